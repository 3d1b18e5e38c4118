/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"
#include "philia-window.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_GENERATE_DIALOG (philia_generate_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaGenerateDialog, philia_generate_dialog, PHILIA, GENERATE_DIALOG,
                      GtkWindow)

PhiliaGenerateDialog *philia_generate_dialog_new         (PhiliaWindow           *window);
void                  philia_generate_dialog_get_params  (PhiliaGenerateDialog   *self,
                                                          PhiliaCsbmParams       *params);
void                  philia_generate_dialog_set_params  (PhiliaGenerateDialog   *self,
                                                          const PhiliaCsbmParams *params);
gboolean              philia_generate_dialog_get_running (PhiliaGenerateDialog   *self);

G_END_DECLS
