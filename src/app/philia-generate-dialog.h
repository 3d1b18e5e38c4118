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
/* "csbm" or "latent": which model Generate draws. */
const char           *philia_generate_dialog_get_model   (PhiliaGenerateDialog   *self);
void                  philia_generate_dialog_set_model   (PhiliaGenerateDialog   *self,
                                                          const char             *model);
void        philia_generate_dialog_get_latent_params (PhiliaGenerateDialog     *self,
                                                      PhiliaLatentParams       *params);
void        philia_generate_dialog_set_latent_params (PhiliaGenerateDialog     *self,
                                                      const PhiliaLatentParams *params);
/* Selects a preset, as a user would in the drop-down; "custom" after a knob changed. */
void        philia_generate_dialog_set_latent_preset (PhiliaGenerateDialog     *self,
                                                      PhiliaLatentPreset        preset);
const char *philia_generate_dialog_get_latent_preset (PhiliaGenerateDialog     *self);

G_END_DECLS
