/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_FEATURE_SETS (philia_feature_sets_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaFeatureSets, philia_feature_sets, PHILIA, FEATURE_SETS, GtkWidget)

/*
 * The Dataset panel's feature sets: the document's list (the original
 * first) with each set's shape, Import… (.npy, .npz, .csv), Derive (Â^k X,
 * one-hot degree, random), remove (undoable), and the chart of test
 * accuracy per feature set × model from the document's runs.
 */
GtkWidget *philia_feature_sets_new          (void);
void       philia_feature_sets_set_document (PhiliaFeatureSets *self,
                                             PhiliaDocument    *document);
/* What Import… and Derive do once the user chose (tests call them). */
gboolean   philia_feature_sets_import       (PhiliaFeatureSets *self,
                                             GFile             *file,
                                             GError           **error);
gboolean   philia_feature_sets_derive       (PhiliaFeatureSets *self,
                                             const char        *spec,
                                             GError           **error);
/* Tests: rows shown ("original  2,708 × 1,433"), the message, the chart. */
guint      philia_feature_sets_get_n_rows   (PhiliaFeatureSets *self);
char      *philia_feature_sets_dup_row_text (PhiliaFeatureSets *self,
                                             guint              index);
const char *philia_feature_sets_get_message (PhiliaFeatureSets *self);
GtkWidget *philia_feature_sets_get_chart    (PhiliaFeatureSets *self);
/* The remove button of row @index (NULL for the original). */
GtkWidget *philia_feature_sets_get_remove_button (PhiliaFeatureSets *self,
                                                  guint              index);

G_END_DECLS
