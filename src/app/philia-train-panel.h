/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-canvas.h"
#include "philia-core.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_TRAIN_PANEL (philia_train_panel_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaTrainPanel, philia_train_panel, PHILIA, TRAIN_PANEL, GtkWidget)

GtkWidget               *philia_train_panel_new             (void);
PhiliaDocument          *philia_train_panel_get_document    (PhiliaTrainPanel *self);
void                     philia_train_panel_set_document    (PhiliaTrainPanel *self,
                                                             PhiliaDocument   *document);
PhiliaGraph             *philia_train_panel_get_graph       (PhiliaTrainPanel *self);
void                     philia_train_panel_set_graph       (PhiliaTrainPanel *self,
                                                             PhiliaGraph      *graph);
void                     philia_train_panel_set_selection   (PhiliaTrainPanel *self,
                                                             const guint      *nodes,
                                                             guint             n_nodes);
gboolean                 philia_train_panel_get_training    (PhiliaTrainPanel *self);
const PhiliaTrainResult *philia_train_panel_get_current_run (PhiliaTrainPanel *self);
gboolean                 philia_train_panel_export_csv      (PhiliaTrainPanel *self,
                                                             const char       *kind,
                                                             const char       *path,
                                                             GError          **error);

/* For tests and accessibility checks: what the panel shows and its controls. */
gboolean                 philia_train_panel_set_model       (PhiliaTrainPanel *self,
                                                             const char       *model_id);
GtkSpinButton           *philia_train_panel_get_param_spin  (PhiliaTrainPanel *self,
                                                             const char       *key);
guint                    philia_train_panel_get_n_runs      (PhiliaTrainPanel *self);
char                    *philia_train_panel_dup_run_text    (PhiliaTrainPanel *self,
                                                             guint             index);
void                     philia_train_panel_select_runs     (PhiliaTrainPanel *self,
                                                             const guint      *indices,
                                                             guint             n_indices);
guint                    philia_train_panel_get_n_shown_curves (PhiliaTrainPanel *self);
guint                    philia_train_panel_get_live_epochs (PhiliaTrainPanel *self);
const char              *philia_train_panel_get_status_text (PhiliaTrainPanel *self);
const char              *philia_train_panel_get_message_text (PhiliaTrainPanel *self);
GtkWidget               *philia_train_panel_get_chart       (PhiliaTrainPanel *self,
                                                             const char       *name);
GtkCheckButton          *philia_train_panel_get_many_check  (PhiliaTrainPanel *self);
/* The feature set the next run trains on ("original" or a set of the document's). */
const char              *philia_train_panel_get_features    (PhiliaTrainPanel *self);
gboolean                 philia_train_panel_set_features    (PhiliaTrainPanel *self,
                                                             const char       *name);

G_END_DECLS
