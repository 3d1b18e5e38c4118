/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_PARAM_GRID (philia_param_grid_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaParamGrid, philia_param_grid, PHILIA, PARAM_GRID, GtkWidget)

GtkWidget     *philia_param_grid_new       (void);
gboolean       philia_param_grid_set_model (PhiliaParamGrid   *self,
                                            const char        *model_id,
                                            gboolean          *needs_features);
void           philia_param_grid_read      (PhiliaParamGrid   *self,
                                            PhiliaTrainParams *params,
                                            guint64           *seed,
                                            guint             *threads);
GtkSpinButton *philia_param_grid_get_spin  (PhiliaParamGrid   *self,
                                            const char        *key);

G_END_DECLS
