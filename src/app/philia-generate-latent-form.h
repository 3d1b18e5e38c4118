/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"

G_BEGIN_DECLS

/* The latent space model's part of the Generate dialog. */
GtkWidget   *_philia_generate_latent_form_new        (void);
void         _philia_generate_latent_form_get_params (GtkWidget                *form,
                                                      PhiliaLatentParams       *params);
/* Sets every knob and shows the preset as "Custom". */
void         _philia_generate_latent_form_set_params (GtkWidget                *form,
                                                      const PhiliaLatentParams *params);
/* Selects @preset, which sets the knobs (nodes, classes and seed stay). */
void         _philia_generate_latent_form_set_preset (GtkWidget                *form,
                                                      PhiliaLatentPreset        preset);
/* "lsp", "gsp", "fp" or "custom". */
const char  *_philia_generate_latent_form_get_preset (GtkWidget                *form);

/* philia_latent_generate() on a worker thread. */
void         _philia_generate_latent_async           (const PhiliaLatentParams *params,
                                                      GCancellable             *cancellable,
                                                      GAsyncReadyCallback       callback,
                                                      gpointer                  user_data);
PhiliaGraph *_philia_generate_latent_finish          (GAsyncResult             *result,
                                                      GError                  **error);

G_END_DECLS
