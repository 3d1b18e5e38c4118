/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-autograd.h"
#include "philia-graph.h"
#include "philia-linkpred.h"
#include "philia-pair-explanation.h"
#include "philia-progress.h"
#include "philia-registry.h"

G_BEGIN_DECLS

/*
 * GNN link predictors (HACKING.md §7): an encoder (a PHILIA_FAMILY_LINK_MODEL
 * algorithm: GCN, GraphSAGE, an MLP on the features, or a plugin's) embeds
 * every node from the training graph of a PhiliaLinkSplit; a decoder scores
 * a pair from the two embeddings. Trained with binary cross-entropy against
 * uniformly drawn non-edges (fresh every epoch), kept at the epoch of best
 * validation Hits@K, and scored on the split's own test edges and negatives
 * by the heuristics' evaluation (philia_linkpred_result_new_from_scores()).
 */

/**
 * PhiliaLinkDecoder:
 * @PHILIA_LINK_DECODER_DOT: ⟨z_u, z_v⟩
 * @PHILIA_LINK_DECODER_MLP: an MLP on z_u ⊙ z_v (OGB's LinkPredictor)
 */
typedef enum
{
  PHILIA_LINK_DECODER_DOT,
  PHILIA_LINK_DECODER_MLP,
} PhiliaLinkDecoder;

const char *philia_link_decoder_to_string   (PhiliaLinkDecoder  decoder);
gboolean    philia_link_decoder_from_string (const char        *name,
                                             PhiliaLinkDecoder *decoder);

/**
 * PhiliaLinkModelParams:
 * @epochs: at most this many epochs (one full-batch step each)
 * @patience: stop after this many epochs without a better validation Hits@K (0: never)
 * @lr: Adam's learning rate
 * @weight_decay: L2 added to the gradient
 * @hidden: width of every layer and of the embedding
 * @layers: encoder layers (≥ 1)
 * @decoder_layers: layers of the MLP decoder (≥ 1; 1 is a linear map)
 * @dropout: dropout between layers
 * @decoder: how a pair is scored
 * @val_k: the K of the validation Hits@K that picks the kept epoch
 * @seed: initial weights, dropout and negative draws
 * @n_threads: worker threads (0: one per processor)
 * @normalize_features: divide each feature row by its sum
 *
 * philia_link_model_params_init() gives the usual recipe of the GNN
 * link-prediction baselines: 2 layers of 256, lr 0.01, dropout 0.5, a dot
 * product decoder, up to 300 epochs with patience 50 on validation Hits@100.
 */
typedef struct
{
  int               epochs;
  int               patience;
  double            lr;
  double            weight_decay;
  int               hidden;
  int               layers;
  int               decoder_layers;
  double            dropout;
  PhiliaLinkDecoder decoder;
  guint             val_k;
  guint64           seed;
  guint             n_threads;
  gboolean          normalize_features;
} PhiliaLinkModelParams;

void philia_link_model_params_init (PhiliaLinkModelParams *params);

/* What an encoder sees: the training graph's inputs, prepared once. */
typedef struct _PhiliaLinkModelContext PhiliaLinkModelContext;

/* The training graph: message passing sees only the training edges. */
PhiliaGraph                 *philia_link_model_context_get_graph      (PhiliaLinkModelContext *ctx);
const PhiliaLinkModelParams *philia_link_model_context_get_params     (PhiliaLinkModelContext *ctx);
/* Columns of the input features (n: one-hot node ids on a featureless graph). */
guint                        philia_link_model_context_get_n_features (PhiliaLinkModelContext *ctx);
/* D^{-1/2}(A+I)D^{-1/2} of the training graph. */
PhiliaSparse                *philia_link_model_context_get_adjacency  (PhiliaLinkModelContext *ctx);
/* D^{-1}A of the training graph (an isolated node's row is empty). */
PhiliaSparse                *philia_link_model_context_get_mean_adjacency (PhiliaLinkModelContext *ctx);
/* dropout(X) · W for the features, dense or sparse. */
PhiliaTensor                *philia_link_model_context_input_matmul   (PhiliaLinkModelContext *ctx,
                                                                       PhiliaTape             *tape,
                                                                       PhiliaTensor           *w,
                                                                       float                   dropout);
/* A trainable parameter owned by the context; Glorot-initialised or zeros. */
PhiliaTensor                *philia_link_model_context_add_parameter  (PhiliaLinkModelContext *ctx,
                                                                       guint                   rows,
                                                                       guint                   cols,
                                                                       gboolean                glorot);

/**
 * PhiliaLinkModelVTable:
 * @needs_features: refuse a graph without node features
 * @create: builds the encoder's parameters with
 *   philia_link_model_context_add_parameter()
 * @encode: the embeddings [n, hidden] of every node, on @tape (training or
 *   evaluation mode)
 * @free: frees what @create returned
 *
 * The vtable of a PHILIA_FAMILY_LINK_MODEL algorithm (an encoder; the
 * decoder is chosen by the parameters).
 */
typedef struct
{
  gboolean       needs_features;
  gpointer     (*create) (PhiliaLinkModelContext *ctx,
                          GError                **error);
  PhiliaTensor *(*encode) (gpointer                model,
                           PhiliaLinkModelContext *ctx,
                           PhiliaTape             *tape);
  void         (*free)   (gpointer                model);
} PhiliaLinkModelVTable;

/**
 * PhiliaLinkTrainEpoch:
 * What the per-epoch callback receives.
 */
typedef struct
{
  guint  epoch;      /* 1-based */
  guint  n_epochs;   /* the most the run may take */
  double loss;       /* training BCE of this epoch's step */
  double val_hits;   /* validation Hits@val_k after the step */
  double epoch_ms;   /* forward + backward + step */
  guint  best_epoch;
} PhiliaLinkTrainEpoch;

typedef void (*PhiliaLinkTrainEpochFunc) (const PhiliaLinkTrainEpoch *epoch,
                                          gpointer                    user_data);

/**
 * PhiliaLinkTrainResult:
 * @model: the encoder's id
 * @params: as run
 * @n_epochs: epochs run (fewer than params.epochs after early stopping)
 * @loss, @val_hits: one per epoch
 * @best_epoch: the kept epoch (1-based)
 * @identity_features: the graph had no features (one-hot ids were used)
 * @result: the test metrics and scores at the kept epoch, like a heuristic's
 *   (its name is "MODEL" or "MODEL-mlp" for the MLP decoder)
 */
typedef struct
{
  char                  *model;
  PhiliaLinkModelParams  params;
  guint                  n_epochs;
  double                *loss;
  double                *val_hits;
  guint                  best_epoch;
  double                 best_val_hits;
  double                 epoch_ms_median;
  double                 epoch_cpu_ms_median; /* CPU of all threads in the step */
  double                 seconds;
  gboolean               identity_features;
  PhiliaLinkpredResult  *result;
  gpointer               scorer;   /* private: the kept weights */
} PhiliaLinkTrainResult;

void                   philia_link_train_result_free (PhiliaLinkTrainResult *result);
/* A deep copy of everything but the kept weights (a project stores the
 * figures, curves and test scores, not the weights): the copy cannot score
 * new pairs. */
PhiliaLinkTrainResult *philia_link_train_result_copy_figures (const PhiliaLinkTrainResult *result);
/* Scores @n_pairs pairs (2 node ids each) with the kept epoch's weights,
 * embeddings from the split's training graph: the decoder's logit, higher
 * meaning likelier. Not thread-safe on one result. */
gboolean               philia_link_train_result_score_pairs (PhiliaLinkTrainResult *result,
                                                             const gint64          *pairs,
                                                             gint64                 n_pairs,
                                                             double                *scores,
                                                             GError               **error);
/* The pair (u, v)'s score and how many of @negatives (nullable: @above is
 * −1) it scores strictly higher, as "Why this link" ranks a heuristic. */
gboolean               philia_link_train_result_rank_pair   (PhiliaLinkTrainResult *result,
                                                             PhiliaProximityNegatives *negatives,
                                                             guint                  u,
                                                             guint                  v,
                                                             double                *score,
                                                             gint64                *above,
                                                             GError               **error);

/* Trains @model_id on @split's training graph; @epoch_func (nullable) is
 * called after every epoch on this thread; @progress (nullable) advances by
 * epoch. Refuses a split without training or validation edges and, for an
 * encoder that needs them, a graph without features. */
PhiliaLinkTrainResult *philia_link_train        (PhiliaLinkSplit             *split,
                                                 const char                  *model_id,
                                                 const PhiliaLinkModelParams *params,
                                                 PhiliaLinkTrainEpochFunc     epoch_func,
                                                 gpointer                     epoch_data,
                                                 PhiliaProgress              *progress,
                                                 GCancellable                *cancellable,
                                                 GError                     **error);
/* The same on a worker thread; @epoch_func runs on the caller's
 * thread-default main context, every epoch before the result arrives.
 * Cancelling stops the run within one epoch (G_IO_ERROR_CANCELLED). */
void                   philia_link_train_async  (PhiliaLinkSplit             *split,
                                                 const char                  *model_id,
                                                 const PhiliaLinkModelParams *params,
                                                 PhiliaLinkTrainEpochFunc     epoch_func,
                                                 gpointer                     epoch_data,
                                                 GDestroyNotify               epoch_destroy,
                                                 PhiliaProgress              *progress,
                                                 GCancellable                *cancellable,
                                                 GAsyncReadyCallback          callback,
                                                 gpointer                     user_data);
PhiliaLinkTrainResult *philia_link_train_finish (GAsyncResult                *result,
                                                 GError                     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaLinkTrainResult, philia_link_train_result_free)

G_END_DECLS
