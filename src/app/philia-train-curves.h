/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"
#include "philia-run-history.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_TRAIN_CURVES (philia_train_curves_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaTrainCurves, philia_train_curves, PHILIA, TRAIN_CURVES, GtkWidget)

GtkWidget *philia_train_curves_new              (void);
void       philia_train_curves_set_history      (PhiliaTrainCurves      *self,
                                                 PhiliaRunHistory       *history);
void       philia_train_curves_start_live       (PhiliaTrainCurves      *self,
                                                 const char             *name,
                                                 guint                   color,
                                                 guint                   n_epochs);
void       philia_train_curves_add_epochs       (PhiliaTrainCurves      *self,
                                                 const PhiliaTrainEpoch *epochs,
                                                 guint                   n_epochs);
void       philia_train_curves_reset_live       (PhiliaTrainCurves      *self);
guint      philia_train_curves_get_live_epochs  (PhiliaTrainCurves      *self);
guint      philia_train_curves_get_n_shown      (PhiliaTrainCurves      *self);
void       philia_train_curves_set_two_class    (PhiliaTrainCurves      *self,
                                                 gboolean                two_class);
void       philia_train_curves_queue_draw       (PhiliaTrainCurves      *self);
GtkWidget *philia_train_curves_get_chart        (PhiliaTrainCurves      *self,
                                                 const char             *name);

G_END_DECLS
