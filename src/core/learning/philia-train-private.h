/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the training loop (philia-train.c) and the built-in models
 * (philia-models*.c) share behind the public model API: the model context's
 * fields, the helpers the models use beyond philia_model_context_*(), and
 * the recipe table of their defaults. */

#include "philia-core.h"

G_BEGIN_DECLS

/* Features denser than this are multiplied as a dense matrix. */
#define SPARSE_FEATURE_DENSITY 0.10

struct _PhiliaModelContext
{
  PhiliaGraph       *graph;
  PhiliaTrainParams  params;
  guint              n_classes;
  guint              n_features;
  PhiliaSparse      *adjacency;
  PhiliaSparse      *pattern;
  PhiliaSparse      *sparse_x;
  PhiliaTensor      *dense_x;
  GPtrArray         *parameters;
  GArray            *decay;     /* gboolean per parameter */
  PhiliaRng          rng;
  GPtrArray         *attention; /* PhiliaTensor copies per layer, last eval pass */
  GPtrArray         *node_values; /* PhiliaNodeValues*, last eval pass */
  guint             *loss_rows;   /* labelled training nodes, ascending; NULL if all nodes */
  guint              n_loss_rows;
  PhiliaTensor      *dense_x_rows;  /* the features of those rows, built when first asked */
  PhiliaSparse      *sparse_x_rows;
  guint              n_threads;
  gint32            *batch_labels;  /* labels of the batch a step's logits are for */
  guint              n_batch_rows;
  /* A training pass moves state of the model's own (the transformer's
   * sampling stream): the thread choice's trial steps run in evaluation
   * mode (philia-train.c). */
  gboolean           own_training_state;
};

typedef enum
{
  ADJ_GCN,        /* D^{-1/2}(A+I)D^{-1/2} */
  ADJ_PATTERN,    /* A+I, ones */
  ADJ_MEAN,       /* D^{-1}A */
  ADJ_SYM,        /* D^{-1/2}AD^{-1/2} */
  ADJ_TWO_HOP,    /* strict two-hop, symmetric */
} AdjacencyKind;

/* The adjacency of @kind for @graph, built once and cached on it (not a new reference). */
PhiliaSparse *_philia_adjacency_cached (PhiliaGraph   *graph,
                                        AdjacencyKind  kind);
/* dropout(X) · W for dense @dense or sparse @sparse features. */
PhiliaTensor *_philia_input_matmul_on (PhiliaTape   *tape,
                                       PhiliaTensor *dense,
                                       PhiliaSparse *sparse,
                                       PhiliaTensor *w,
                                       float         dropout);
/* S · dropout(X) · W for the context's features, in the cheaper order. */
PhiliaTensor *_philia_propagated_input_matmul (PhiliaModelContext *ctx,
                                               PhiliaTape         *tape,
                                               PhiliaSparse       *s,
                                               PhiliaTensor       *w,
                                               float               dropout);
/* The given rows of a dense matrix, in that order. */
PhiliaTensor *_philia_dense_rows      (const PhiliaTensor *x,
                                       const guint        *rows,
                                       guint               n_rows);
/* The model input: @graph's features, or one-hot node ids without them. */
/* _philia_prepare_features ()'s sparse result straight from a graph that
 * keeps its features as CSR; FALSE (nothing set) for one that does not
 * (philia-train-features.c). */
gboolean      _philia_prepare_kept_sparse_features (PhiliaGraph   *graph,
                                                    gboolean       normalize,
                                                    PhiliaSparse **sparse_x);
void          _philia_prepare_features (PhiliaGraph   *graph,
                                        gboolean       normalize,
                                        guint         *n_features,
                                        PhiliaSparse **sparse_x,
                                        PhiliaTensor **dense_x);
/* Builds the features of the loss rows on first use. */
void          _philia_model_context_ensure_row_features (PhiliaModelContext *ctx,
                                                         const guint        *rows,
                                                         guint               n_rows);

/* A context for running a saved model on @graph (philia-train.c): the
 * features prepared as philia_train() does, no split, no loss rows. */
PhiliaModelContext *_philia_model_context_new  (PhiliaGraph             *graph,
                                                const PhiliaTrainParams *params,
                                                guint                    n_classes,
                                                guint64                  seed);
void                _philia_model_context_free (PhiliaModelContext      *ctx);
/* Declares that this training step's logits are for @rows (labelled
 * training nodes, a mini-batch), in that order: the loss reads their labels. */
void          _philia_model_context_set_batch (PhiliaModelContext *ctx,
                                               const guint        *rows,
                                               guint               n_rows);

/* The built-in models, in the order of the recipe table (philia-models.c). */
typedef enum
{
  PHILIA_RECIPE_MLP,
  PHILIA_RECIPE_GCN,
  PHILIA_RECIPE_SGC,
  PHILIA_RECIPE_APPNP,
  PHILIA_RECIPE_GAT,
  PHILIA_RECIPE_SAGE,
  PHILIA_RECIPE_H2GCN,
  PHILIA_RECIPE_GPRGNN,
  PHILIA_RECIPE_TRANSFORMER,
  PHILIA_N_RECIPES,
} PhiliaModelRecipe;

/* Replaces every hyperparameter of @params left at "default" by the model's
 * recipe (a PhiliaModelVTable's defaults). */
void _philia_model_recipe_fill (PhiliaModelRecipe  recipe,
                                PhiliaTrainParams *params);

extern const PhiliaModelVTable _philia_model_mlp;
extern const PhiliaModelVTable _philia_model_gcn;
extern const PhiliaModelVTable _philia_model_sgc;
extern const PhiliaModelVTable _philia_model_appnp;
extern const PhiliaModelVTable _philia_model_gprgnn;
extern const PhiliaModelVTable _philia_model_gat;
extern const PhiliaModelVTable _philia_model_sage;
extern const PhiliaModelVTable _philia_model_h2gcn;
extern const PhiliaModelVTable _philia_model_transformer;

G_END_DECLS
