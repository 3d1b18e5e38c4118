/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_INSPECTOR (philia_inspector_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaInspector, philia_inspector, PHILIA, INSPECTOR, GtkWidget)

GtkWidget   *philia_inspector_new                 (void);
PhiliaGraph *philia_inspector_get_graph           (PhiliaInspector *self);
void         philia_inspector_set_graph           (PhiliaInspector *self,
                                                   PhiliaGraph     *graph);
void         philia_inspector_set_selection       (PhiliaInspector *self,
                                                   const guint     *nodes,
                                                   guint            n_nodes);
const char  *philia_inspector_get_row_text        (PhiliaInspector *self,
                                                   const char      *key);
guint        philia_inspector_get_n_neighbour_rows (PhiliaInspector *self);
void         philia_inspector_set_train_result    (PhiliaInspector         *self,
                                                   const PhiliaTrainResult *result);

PhiliaDocument *philia_inspector_get_document (PhiliaInspector *self);
void            philia_inspector_set_document (PhiliaInspector *self,
                                               PhiliaDocument *document);

G_END_DECLS
