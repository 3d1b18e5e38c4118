/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-window.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_FILTER_DIALOG (philia_filter_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaFilterDialog, philia_filter_dialog, PHILIA, FILTER_DIALOG,
                      GtkWindow)

PhiliaFilterDialog *philia_filter_dialog_new        (PhiliaWindow       *window);
void                philia_filter_dialog_set_filter (PhiliaFilterDialog *self,
                                                     const PhiliaFilter *filter);
void                philia_filter_dialog_get_filter (PhiliaFilterDialog *self,
                                                     PhiliaFilter       *filter,
                                                     GArray             *classes);
guint               philia_filter_dialog_get_n_class_buttons (PhiliaFilterDialog *self);
PhiliaWindow       *philia_filter_dialog_get_result (PhiliaFilterDialog *self);

G_END_DECLS
