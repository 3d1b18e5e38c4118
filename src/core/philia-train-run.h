/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-train.h"

G_BEGIN_DECLS

/*
 * Epochs reached since the last call, in order, on the thread that started
 * the run. Several epochs arrive together when the worker outpaces the main
 * loop: a run never queues more than one idle at a time.
 */
typedef void (*PhiliaTrainEpochsFunc) (const PhiliaTrainEpoch *epochs,
                                       guint                   n_epochs,
                                       gpointer                user_data);

void               philia_train_async   (PhiliaGraph             *graph,
                                         const char              *model_id,
                                         const PhiliaTrainParams *params,
                                         GCancellable            *cancellable,
                                         PhiliaTrainEpochsFunc    epochs_func,
                                         gpointer                 epochs_data,
                                         GDestroyNotify           epochs_destroy,
                                         GAsyncReadyCallback      callback,
                                         gpointer                 user_data);
PhiliaTrainResult *philia_train_finish  (GAsyncResult            *result,
                                         GError                 **error);

/* Default parameters of @model_id with the paper's recipe filled in; fields
 * the model does not use stay at "default" (negative). FALSE if unknown. */
gboolean           philia_train_model_defaults (const char        *model_id,
                                                PhiliaTrainParams *params,
                                                gboolean          *needs_features);

/* CSV: id,label,prediction,correct,p0…p{C-1}, then one column per node-values entry
 * (correct is empty for unlabeled nodes). Each probability has the fewest
 * digits (6 to 9) that read back as the float the run holds. */
char              *philia_train_result_predictions_csv (const PhiliaTrainResult *result,
                                                        PhiliaGraph             *graph);
/* CSV: layer,head,target,source,attention; a self-loop has target = source. */
char              *philia_train_result_attention_csv   (const PhiliaTrainResult *result,
                                                        PhiliaGraph             *graph);

/*
 * Attention of layer @layer per CSR entry of @graph (length 2m, the attention
 * row v puts on neighbour u), for head @head or the mean over heads (-1).
 * @self_values (nullable, n) receives the self-loop attention. NULL if the
 * result has no such layer or head.
 */
double            *philia_train_result_attention_values (const PhiliaTrainResult *result,
                                                         PhiliaGraph             *graph,
                                                         guint                    layer,
                                                         int                      head,
                                                         double                  *self_values);

/* Whether layer @layer's attention is a softmax over each node's neighbours
 * and itself (a GAT's); only then is α · (deg + 1) = 1 uniform. */
gboolean           philia_train_result_attention_is_softmax (const PhiliaTrainResult *result,
                                                             PhiliaGraph             *graph,
                                                             guint                    layer);
/* α · (deg v + 1) in place, row v of @values and @self_values[v]: 1 = uniform. */
void               philia_attention_relative_to_uniform (PhiliaGraph *graph,
                                                         double      *values,
                                                         double      *self_values);
/* Both CSR entries of each edge get the larger of the two directions, or
 * their mean. */
void               philia_attention_combine_directions  (PhiliaGraph *graph,
                                                         double      *values,
                                                         gboolean     mean);

/*
 * An attention edge overlay as the document's view names it (and the CLI
 * and the canvas read it): "run:ID:attention[:LAYER[:HEAD]][:relative][:mean]",
 * layer 0 and the mean over heads (-1) when left out; "relative" divides by
 * uniform attention, "mean" shows the mean of both directions (else the
 * stronger one).
 */
typedef struct
{
  guint    run_id;
  guint    layer;
  int      head;
  gboolean relative;
  gboolean mean;
} PhiliaAttentionOverlay;

gboolean           philia_attention_overlay_parse       (const char             *overlay,
                                                         PhiliaAttentionOverlay *out);
char              *philia_attention_overlay_format      (const PhiliaAttentionOverlay *overlay);

/*
 * A node colouring from a run's attention, as the document's view names it
 * in its colouring (and the canvas and the CLI read it):
 * "run:ID:same-label-attention[:LAYER[:HEAD]]", each node's share of its
 * attention on neighbours of its own label (philia_train_result_same_label_attention());
 * "run:ID:self-attention[:LAYER[:HEAD]][:relative]", the attention each
 * node keeps for itself, over uniform with "relative". Layer 0 and the mean
 * over heads when left out; the @mean field is unused (FALSE).
 */
typedef enum
{
  PHILIA_ATTENTION_NODES_SAME_LABEL,
  PHILIA_ATTENTION_NODES_SELF,
} PhiliaAttentionNodes;

gboolean           philia_attention_nodes_parse         (const char             *color_by,
                                                         PhiliaAttentionNodes   *what,
                                                         PhiliaAttentionOverlay *out);
char              *philia_attention_nodes_format        (PhiliaAttentionNodes          what,
                                                         const PhiliaAttentionOverlay *overlay);
/* The n node values the colouring shows on @graph (NaN where undefined)
 * and the ends of its scale: [0, 1], or for self attention over uniform
 * [0, max(1, largest)]. "relative" applies only to a softmax layer
 * (philia_train_result_attention_is_softmax()); @relative_out says whether
 * it did. NULL when the run keeps no such attention or is of another graph. */
double            *philia_attention_nodes_values        (const PhiliaTrainResult      *result,
                                                         PhiliaGraph                  *graph,
                                                         PhiliaAttentionNodes          what,
                                                         const PhiliaAttentionOverlay *overlay,
                                                         gboolean                     *relative_out,
                                                         double                       *vmin,
                                                         double                       *vmax);

/*
 * Per node v, the share of the attention v puts on its neighbours (self-loop
 * excluded) that goes to neighbours of v's own label, renormalised over the
 * labeled neighbours. NaN for unlabeled nodes and nodes without labeled
 * neighbours. NULL like philia_train_result_attention_values().
 */
double            *philia_train_result_same_label_attention (const PhiliaTrainResult *result,
                                                             PhiliaGraph             *graph,
                                                             guint                    layer,
                                                             int                      head);

G_END_DECLS
