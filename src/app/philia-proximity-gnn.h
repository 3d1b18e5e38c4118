/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"

G_BEGIN_DECLS

/* The Proximity panel's evaluation beyond the built-in heuristics: plugins'
 * proximity algorithms and GNN link predictors, scored on the same seeded
 * split and negatives so their results sit in the same table and figures. */

/* Every built-in heuristic of @mask (philia_linkpred_report_new()) and then
 * every plugin's PHILIA_FAMILY_PROXIMITY algorithm on the same split, on a
 * worker thread. */
void                  philia_proximity_evaluate_all_async  (PhiliaGraph                 *graph,
                                                            const PhiliaProximityParams *params,
                                                            guint                        mask,
                                                            guint64                      seed,
                                                            guint                        n_mrr_neg,
                                                            PhiliaProgress              *progress,
                                                            GCancellable *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer                     user_data);
/* The report; @plugins gets the plugins' results (PhiliaLinkpredResult). */
PhiliaLinkpredReport *philia_proximity_evaluate_all_finish (GAsyncResult                *result,
                                                            GPtrArray                  **plugins,
                                                            GError                     **error);

/* Receives a GNN's test result (owned by the callee). */
typedef void (*PhiliaProximityGnnFunc) (PhiliaLinkpredResult *result,
                                        gpointer              user_data);

/* The GNN controls: model, decoder, epochs, Train, progress, Cancel and the
 * loss / validation curve. */
GtkWidget *philia_proximity_gnn_new         (PhiliaProximityGnnFunc func,
                                             gpointer               user_data);
/* The split every result of the table shares (@graph NULL: none); a run in
 * progress on another split is cancelled. */
void       philia_proximity_gnn_set_split   (GtkWidget   *gnn,
                                             PhiliaGraph *graph,
                                             guint64      seed,
                                             guint        n_mrr_neg);
/* The name of the feature set @graph of the split carries ("original",
 * "Â^2 X", …): a run trains on those features and remembers the name. */
void       philia_proximity_gnn_set_features (GtkWidget  *gnn,
                                              const char *name);
/* The set the latest finished run trained on (NULL: none finished). */
const char *philia_proximity_gnn_get_trained_features (GtkWidget *gnn);
void       philia_proximity_gnn_train       (GtkWidget   *gnn,
                                             const char  *model,
                                             const char  *decoder,
                                             int          epochs);
/* Sets the hyperparameter controls, as a user would. */
void       philia_proximity_gnn_set_hyperparameters (GtkWidget *gnn,
                                                     int        hidden,
                                                     int        layers,
                                                     double     lr,
                                                     double     dropout);
void       philia_proximity_gnn_cancel      (GtkWidget   *gnn);
gboolean   philia_proximity_gnn_get_running (GtkWidget   *gnn);
const char *philia_proximity_gnn_get_status (GtkWidget   *gnn);
/* The latest run that finished, with its weights (nullable). */
PhiliaLinkTrainResult *philia_proximity_gnn_get_trained (GtkWidget *gnn);

G_END_DECLS
