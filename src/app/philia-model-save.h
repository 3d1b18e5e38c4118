/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"

G_BEGIN_DECLS

/*
 * "Save Model…" on a run: a file chooser, then the same model file as
 * `philia-cli train --save-model` (weights at the kept epoch, recipe, input
 * size, feature normalisation, class names). Errors go to @widget's window;
 * in a PhiliaWindow the chooser is the window's, which a test answers with
 * philia_window_set_chooser_answer().
 */
void                  _philia_model_save_dialog      (GtkWidget               *widget,
                                                      const PhiliaTrainResult *result,
                                                      PhiliaGraph             *graph);
gboolean              _philia_model_save_run         (const PhiliaTrainResult *result,
                                                      PhiliaGraph             *graph,
                                                      const char              *path,
                                                      GError                 **error);

G_END_DECLS
