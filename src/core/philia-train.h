/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-autograd.h"
#include "philia-graph.h"
#include "philia-progress.h"
#include "philia-registry.h"

G_BEGIN_DECLS

/**
 * PhiliaTrainParams:
 * @epochs: full-batch epochs (≤ 0: the model's default)
 * @lr: learning rate (< 0: default)
 * @weight_decay: L2 added to the gradient (< 0: default)
 * @hidden: hidden width per head (≤ 0: default)
 * @dropout: dropout probability (< 0: default)
 * @heads: attention heads of GAT's first layer (≤ 0: default)
 * @k: propagation steps of SGC and APPNP (≤ 0: default)
 * @alpha: APPNP's teleport probability (< 0: default)
 * @optimizer: Adam or SGD
 * @normalize_features: divide each feature row by its sum (the Planetoid recipe)
 * @layers: the transformer's encoder layers (≤ 0: default)
 * @walks: the transformer's random walks per node (< 0: default)
 * @walk_length: steps of each walk (≤ 0: default)
 * @hop_samples: neighbours sampled once each into the sequence (< 0: default)
 * @pretrain_epochs: masked-node-modelling steps before training (< 0: default, none)
 * @batch_size: training nodes per step, drawn in a seeded order (≤ 0: all, full batch)
 * @split: the graph's split to train on (0)
 * @seed: seeds initialisation, dropout and sampling (0)
 * @n_threads: workers for sparse products and OpenBLAS (1; 0 counts as 1)
 *
 * Hyperparameters. philia_train_params_init() sets every field to "the
 * model's default", which is the recipe of the model's paper.
 */
typedef struct
{
  int                 epochs;
  double              lr;
  double              weight_decay;
  int                 hidden;
  double              dropout;
  int                 heads;
  int                 k;
  double              alpha;
  PhiliaOptimizerKind optimizer;
  gboolean            normalize_features;
  int                 layers;
  int                 walks;
  int                 walk_length;
  int                 hop_samples;
  int                 pretrain_epochs;
  int                 batch_size;
  guint               split;
  guint64             seed;
  guint               n_threads;
} PhiliaTrainParams;

void philia_train_params_init (PhiliaTrainParams *params);

/* What a model sees while it is built and run: the graph's inputs, prepared once. */
typedef struct _PhiliaModelContext PhiliaModelContext;

PhiliaGraph             *philia_model_context_get_graph      (PhiliaModelContext *ctx);
/* The resolved hyperparameters (no "default" left). */
const PhiliaTrainParams *philia_model_context_get_params     (PhiliaModelContext *ctx);
guint                    philia_model_context_get_n_classes  (PhiliaModelContext *ctx);
/* Columns of the input features (n for the identity features of a featureless graph). */
guint                    philia_model_context_get_n_features (PhiliaModelContext *ctx);
/* Â = D^{-1/2}(A+I)D^{-1/2}, built once per graph and cached on it. */
PhiliaSparse            *philia_model_context_get_adjacency  (PhiliaModelContext *ctx);
/* The pattern of A+I (values 1), cached like the adjacency: GAT's attention support. */
PhiliaSparse            *philia_model_context_get_pattern    (PhiliaModelContext *ctx);
/* Exactly one of these is non-NULL: features below 10% density are kept as CSR. */
PhiliaSparse            *philia_model_context_get_sparse_features (PhiliaModelContext *ctx);
PhiliaTensor            *philia_model_context_get_dense_features  (PhiliaModelContext *ctx);
/* dropout(X) · W for either storage (sparse dropout drops stored entries). */
PhiliaTensor            *philia_model_context_input_matmul   (PhiliaModelContext *ctx,
                                                              PhiliaTape         *tape,
                                                              PhiliaTensor       *w,
                                                              float               dropout);
/* The rows the loss reads in a training step (the split's labelled training
 * nodes, ascending) and their count, or NULL in evaluation (every row is
 * wanted) and when every node is a training node. While this is not NULL a
 * model may return logits for these rows only, in this order: one whose rows
 * are independent computes only them, one that propagates over edges can
 * make its last propagation to them alone. */
const guint             *philia_model_context_get_loss_rows  (PhiliaModelContext *ctx,
                                                              PhiliaTape         *tape,
                                                              guint              *n_rows);
/* philia_model_context_input_matmul() on the loss rows alone while
 * philia_model_context_get_loss_rows() gives them, on every row otherwise. */
PhiliaTensor            *philia_model_context_row_input_matmul (PhiliaModelContext *ctx,
                                                              PhiliaTape         *tape,
                                                              PhiliaTensor       *w,
                                                              float               dropout);
/* A trainable parameter owned by the context; Glorot-initialised or zeros. */
PhiliaTensor            *philia_model_context_add_parameter  (PhiliaModelContext *ctx,
                                                              guint               rows,
                                                              guint               cols,
                                                              gboolean            glorot,
                                                              gboolean            decay);
PhiliaRng               *philia_model_context_get_rng        (PhiliaModelContext *ctx);
/* Called by attention models in evaluation passes: @alpha is [pattern nnz, heads]. */
void                     philia_model_context_keep_attention (PhiliaModelContext *ctx,
                                                              guint               layer,
                                                              PhiliaTensor       *alpha);

/* Called by a model in evaluation passes (like keep_attention): @values is
 * [n, 1] (kept as NAME) or [n, k] (one entry per column, named "NAME[j]").
 * Kept at the best-validation epoch in PhiliaTrainResult.node_values, for the
 * Inspect views and `philia-cli train --predictions`. */
void                     philia_model_context_keep_node_values (PhiliaModelContext *ctx,
                                                                const char         *name,
                                                                PhiliaTensor       *values);

/**
 * PhiliaModelVTable:
 * @needs_features: refuse a featureless graph (else identity features are used)
 * @defaults: fills the fields of @params left at "default" with the paper's recipe
 * @create: builds the model's parameters with philia_model_context_add_parameter()
 * @forward: returns the logits [n, C] on @tape (training or evaluation mode)
 * @free: frees what @create returned
 *
 * The vtable of a PHILIA_FAMILY_MODEL algorithm. A model is a composition of
 * philia_op_*() calls, so it needs no backward pass of its own.
 */
typedef struct
{
  gboolean       needs_features;
  void         (*defaults) (PhiliaTrainParams  *params);
  gpointer     (*create)   (PhiliaModelContext *ctx,
                            GError            **error);
  PhiliaTensor *(*forward) (gpointer            model,
                            PhiliaModelContext *ctx,
                            PhiliaTape         *tape);
  void         (*free)     (gpointer            model);
} PhiliaModelVTable;

#define PHILIA_TRAIN_HOMOPHILY_BINS 5

/**
 * PhiliaAttention:
 * @layer: 0-based attention layer
 * @heads: heads of that layer
 * @edges: [2m, heads] attention that node v puts on neighbour u, in the order
 *   of the graph's CSR (row v, entry of u), self-loops excluded
 * @self: [n, heads] attention of each node on itself (its self-loop)
 */
typedef struct
{
  guint  layer;
  guint  heads;
  float *edges;
  float *self;
} PhiliaAttention;

/**
 * PhiliaNodeValues:
 * @name: what the model called them (a gate, a mixing weight, …)
 * @values: one per node
 */
typedef struct
{
  char   *name;
  double *values;
} PhiliaNodeValues;

/**
 * PhiliaTrainEpoch:
 * What a per-epoch callback receives (accuracies NaN where a part is empty).
 */
typedef struct
{
  guint  epoch;          /* 1-based */
  guint  n_epochs;
  double loss;           /* training loss of this epoch's step */
  double val_loss;
  double train_accuracy; /* evaluation pass after the step */
  double val_accuracy;
  double test_accuracy;
  double epoch_ms;       /* forward + backward + step */
  guint  best_epoch;
  double train_roc_auc;  /* two-class datasets; NaN otherwise or where undefined */
  double val_roc_auc;
  double test_roc_auc;
} PhiliaTrainEpoch;

typedef void (*PhiliaTrainEpochFunc) (const PhiliaTrainEpoch *epoch,
                                      gpointer                user_data);

/**
 * PhiliaMetric:
 * @PHILIA_METRIC_ACCURACY: share of correct predictions
 * @PHILIA_METRIC_ROC_AUC: area under the ROC curve of P(class 1), the metric
 *   of two-class datasets (Platonov et al., ICLR 2023)
 *
 * The headline metric of a run: ROC-AUC on a dataset with exactly two
 * classes, accuracy otherwise.
 */
typedef enum
{
  PHILIA_METRIC_ACCURACY,
  PHILIA_METRIC_ROC_AUC,          /*< nick=roc_auc >*/
} PhiliaMetric;

/**
 * PhiliaBestEpochRule:
 * @PHILIA_BEST_BY_VAL_ROC_AUC: highest validation ROC-AUC (two classes, both
 *   present among the validation nodes)
 * @PHILIA_BEST_BY_VAL_ACCURACY: highest validation accuracy
 * @PHILIA_BEST_BY_LAST_EPOCH: no validation nodes: the last epoch
 *
 * How the kept epoch was chosen; ties go to the lower validation loss, then
 * to the earlier epoch.
 */
typedef enum
{
  PHILIA_BEST_BY_VAL_ROC_AUC,     /*< nick=val_roc_auc >*/
  PHILIA_BEST_BY_VAL_ACCURACY,    /*< nick=val_accuracy >*/
  PHILIA_BEST_BY_LAST_EPOCH,      /*< nick=last_epoch >*/
} PhiliaBestEpochRule;

/**
 * PhiliaTrainResult:
 * The outcome of a run: curves, the best-validation epoch (its accuracies,
 * predictions, weights and attention) and accuracy by local homophily.
 *
 * The majority baseline: the majority class is the most frequent label among
 * the split's training nodes (lowest id on a tie); train_majority,
 * val_majority and test_majority are its shares of each part's labeled
 * nodes, i.e. the accuracy of always predicting it.
 */
typedef struct
{
  char              *model;
  guint              split;
  guint64            seed;
  guint              n_threads;
  PhiliaTrainParams  params;          /* resolved */
  gboolean           identity_features;
  gboolean           sparse_features;
  guint              n_epochs;        /* epochs run */
  double            *loss;            /* n_epochs each */
  double            *val_loss;
  double            *train_curve;
  double            *val_curve;
  double            *test_curve;
  guint              best_epoch;      /* 1-based */
  double             train_accuracy;
  double             val_accuracy;
  double             test_accuracy;
  double             epoch_ms_median;
  double             seconds;
  guint              n_nodes;
  guint              n_classes;
  gint32            *predictions;     /* n, at the best epoch */
  float             *probabilities;   /* n × C */
  GPtrArray         *weights;         /* PhiliaTensor copies at the best epoch */
  GArray            *attention;       /* PhiliaAttention per layer, at the best epoch */
  GPtrArray         *node_values;     /* PhiliaNodeValues*, at the best epoch; never NULL */
  /* Test nodes by local homophily in [0, .2), [.2, .4), …, [.8, 1]; nodes
   * whose local homophily is undefined are left out. */
  gint64             bin_count[PHILIA_TRAIN_HOMOPHILY_BINS];
  double             bin_accuracy[PHILIA_TRAIN_HOMOPHILY_BINS];
  PhiliaMetric        metric;
  PhiliaBestEpochRule best_epoch_rule;
  double            *train_auc_curve; /* n_epochs each; NULL unless the metric is ROC-AUC */
  double            *val_auc_curve;
  double            *test_auc_curve;
  double             train_roc_auc;   /* at the best epoch; NaN unless ROC-AUC (or undefined) */
  double             val_roc_auc;
  double             test_roc_auc;
  gint32             majority_class;  /* -1: no labeled training node */
  double             train_majority;
  double             val_majority;
  double             test_majority;
} PhiliaTrainResult;

void philia_train_result_free (PhiliaTrainResult *result);

/*
 * Trains model @model_id (a PHILIA_FAMILY_MODEL in the default registry) on
 * split @params->split, full batch, seeded by @params->seed, with
 * @params->n_threads workers for sparse products and OpenBLAS (%NULL @params:
 * the model's defaults on split 0, seed 0, one thread). @callback runs on the
 * calling thread after each epoch. Stops within one epoch of @cancellable
 * firing (G_IO_ERROR_CANCELLED), on a NaN loss, and refuses a split without
 * training nodes. Same seed and threads: the same run.
 */
PhiliaTrainResult *philia_train (PhiliaGraph              *graph,
                                 const char               *model_id,
                                 const PhiliaTrainParams  *params,
                                 PhiliaProgress           *progress,
                                 GCancellable             *cancellable,
                                 PhiliaTrainEpochFunc      callback,
                                 gpointer                  user_data,
                                 GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaTrainResult, philia_train_result_free)

G_END_DECLS
