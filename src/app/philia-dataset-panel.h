/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_DATASET_PANEL (philia_dataset_panel_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaDatasetPanel, philia_dataset_panel, PHILIA, DATASET_PANEL, GtkWidget)

GtkWidget   *philia_dataset_panel_new             (void);
PhiliaGraph *philia_dataset_panel_get_graph       (PhiliaDatasetPanel *self);
void         philia_dataset_panel_set_graph       (PhiliaDatasetPanel *self,
                                                   PhiliaGraph        *graph);
const char  *philia_dataset_panel_get_row_text    (PhiliaDatasetPanel *self,
                                                   const char         *key);
char        *philia_dataset_panel_dup_split_text  (PhiliaDatasetPanel *self,
                                                   guint               split);
char        *philia_dataset_panel_dup_sanity_text (PhiliaDatasetPanel *self);

PhiliaDocument *philia_dataset_panel_get_document (PhiliaDatasetPanel *self);
/* The feature sets section (philia-feature-sets.h). */
GtkWidget      *philia_dataset_panel_get_feature_sets (PhiliaDatasetPanel *self);
void            philia_dataset_panel_set_document (PhiliaDatasetPanel *self,
                                                   PhiliaDocument *document);

G_END_DECLS
