/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"
#include "philia-window.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_SPLIT_DIALOG (philia_split_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaSplitDialog, philia_split_dialog, PHILIA, SPLIT_DIALOG, GtkWindow)

PhiliaSplitDialog *philia_split_dialog_new            (PhiliaWindow      *window);
/* With a document, Make puts the splits in it (an undoable step that keeps
 * layouts and runs) instead of handing the window a new graph. */
PhiliaSplitDialog *philia_split_dialog_new_for_document (GtkWindow      *parent,
                                                         PhiliaDocument *document);
void               philia_split_dialog_set_values     (PhiliaSplitDialog *self,
                                                       double             train_fraction,
                                                       double             val_fraction,
                                                       guint              n_splits,
                                                       guint64            seed,
                                                       gboolean           keep_existing);
const char        *philia_split_dialog_get_error_text (PhiliaSplitDialog *self);

G_END_DECLS
