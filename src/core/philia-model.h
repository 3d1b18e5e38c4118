/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-graph.h"
#include "philia-progress.h"
#include "philia-train.h"

G_BEGIN_DECLS

/*
 * Saved models: a trained run's weights with everything needed to apply them
 * to another graph (HACKING.md §7), and source-free adaptation of such a model
 * to an unlabeled target graph (SOGA).
 */

#define PHILIA_MODEL_EXTENSION ".philia-model"
/* The model-file format this Philia writes and the newest it reads. */
#define PHILIA_MODEL_FORMAT_VERSION 1

/**
 * PhiliaSavedModel:
 * @model: the model id (a PHILIA_FAMILY_MODEL algorithm)
 * @params: the resolved recipe; params.normalize_features is the feature
 *   normalisation the model expects
 * @n_features: input dimension (the node count for identity features)
 * @identity_features: trained on a featureless graph (one-hot node ids)
 * @n_classes: output classes
 * @class_names: @n_classes names (NULL-terminated), or NULL when the training
 *   graph had none
 * @weights: PhiliaTensor per parameter, in the model's creation order
 * @source: what it was trained on (the graph's source name), for display
 * @seed: the training seed
 * @adapted_from: NULL, or "soga" when this is an adapted model
 *
 * Plain data; free with philia_saved_model_free().
 */
typedef struct
{
  char              *model;
  PhiliaTrainParams  params;
  guint              n_features;
  gboolean           identity_features;
  guint              n_classes;
  char             **class_names;
  GPtrArray         *weights;
  char              *source;
  guint64            seed;
  char              *adapted_from;
} PhiliaSavedModel;

void              philia_saved_model_free          (PhiliaSavedModel        *model);
PhiliaSavedModel *philia_saved_model_copy          (const PhiliaSavedModel  *model);
/* The model of a finished run on @graph (the weights at its best epoch).
 * Fails when the run kept no weights. */
PhiliaSavedModel *philia_saved_model_new_from_run  (const PhiliaTrainResult *run,
                                                    PhiliaGraph             *graph,
                                                    GError                 **error);
/* A zip of "philia-model.json" and one .npy per weight. */
GBytes           *philia_saved_model_to_bytes      (const PhiliaSavedModel  *model,
                                                    GError                 **error);
gboolean          philia_saved_model_save          (const PhiliaSavedModel  *model,
                                                    const char              *path,
                                                    GError                 **error);
/* Refuses a corrupt or truncated file (PHILIA_ERROR_FORMAT), one from a newer
 * Philia (PHILIA_ERROR_UNSUPPORTED, naming both versions) and weights that do
 * not fit the recipe (PHILIA_ERROR_INVALID). @display_name names the file in
 * every message. */
PhiliaSavedModel *philia_saved_model_new_from_bytes (GBytes                 *bytes,
                                                     const char             *display_name,
                                                     GError                **error);
PhiliaSavedModel *philia_saved_model_load          (const char              *path,
                                                    GError                 **error);

/* Whether @graph can be fed to @model: the same input dimension and, when the
 * graph has labels, the same class count (both numbers in the message,
 * PHILIA_ERROR_INVALID). */
gboolean          philia_saved_model_check_graph   (const PhiliaSavedModel  *model,
                                                    PhiliaGraph             *graph,
                                                    GError                 **error);

/**
 * PhiliaPrediction:
 * Applying a model to a graph (no training). Scores use every labeled node
 * of the graph (NaN when it has none): @roc_auc only for two classes; the
 * majority baseline is the share of the graph's most frequent label, the
 * accuracy of always predicting it.
 */
typedef struct
{
  guint   n_nodes;
  guint   n_classes;
  gint32 *predictions;    /* n */
  float  *probabilities;  /* n × C */
  gint64  n_labeled;
  double  accuracy;
  double  roc_auc;
  gint32  majority_class;
  double  majority_accuracy;
} PhiliaPrediction;

void              philia_prediction_free           (PhiliaPrediction        *prediction);
PhiliaPrediction *philia_saved_model_predict       (const PhiliaSavedModel  *model,
                                                    PhiliaGraph             *graph,
                                                    guint                    n_threads,
                                                    GError                 **error);
/* CSV: id,label,prediction,correct,p0…p{C-1}, like a run's predictions. */
char             *philia_prediction_csv            (const PhiliaPrediction  *prediction,
                                                    PhiliaGraph             *graph);

/**
 * PhiliaAdaptParams:
 * @epochs: adaptation epochs (≤ 0: default)
 * @lr: Adam's learning rate (≤ 0: default)
 * @weight_decay: L2 (< 0: the source model's recipe)
 * @structure_weight: λ, the weight of the structure-consistency term (< 0: default)
 * @negatives: negative pairs per positive pair (0: default)
 * @window: random-walk co-occurrence window: a positive partner is the end of
 *   a walk of 1 to @window steps (0: default)
 *
 * SOGA's knobs; philia_adapt_params_init() sets every one to "default".
 */
typedef struct
{
  int    epochs;
  double lr;
  double weight_decay;
  double structure_weight;
  guint  negatives;
  guint  window;
} PhiliaAdaptParams;

void philia_adapt_params_init (PhiliaAdaptParams *params);

/**
 * PhiliaAdaptEpoch:
 * What the per-epoch callback receives. @target_accuracy is computed from the
 * target's labels for display only and never reaches the objective (NaN when
 * the target has no labels); the page must say so.
 */
typedef struct
{
  guint  epoch;           /* 1-based */
  guint  n_epochs;
  double loss;            /* information maximisation + λ · structure consistency */
  double im_loss;         /* mean entropy − entropy of the mean prediction */
  double mean_entropy;
  double marginal_entropy;
  double structure_loss;
  double target_accuracy; /* not used by the adaptation */
  double epoch_ms;
} PhiliaAdaptEpoch;

typedef void (*PhiliaAdaptEpochFunc) (const PhiliaAdaptEpoch *epoch,
                                      gpointer                user_data);

/**
 * PhiliaAdaptResult:
 * @adapted: the adapted model (its @adapted_from is "soga")
 * @before, @after: the source-only and the adapted model applied to the target
 * The per-epoch arrays hold @n_epochs values each; @accuracy_curve is NaN
 * where the target has no labels.
 */
typedef struct
{
  PhiliaAdaptParams  params;     /* resolved */
  guint64            seed;
  guint              n_epochs;
  double            *loss;
  double            *im_loss;
  double            *structure_loss;
  double            *accuracy_curve;
  double             epoch_ms_median;
  double             seconds;
  PhiliaSavedModel  *adapted;
  PhiliaPrediction  *before;
  PhiliaPrediction  *after;
} PhiliaAdaptResult;

void               philia_adapt_result_free (PhiliaAdaptResult *result);

/*
 * Adapts @model to @target without reading the target's labels (they only
 * score the predictions before and after). Same seed and threads: the same
 * adapted weights. Stops within one epoch of @cancellable (G_IO_ERROR_CANCELLED).
 * @callback runs on the calling thread after each epoch.
 */
PhiliaAdaptResult *philia_adapt        (const PhiliaSavedModel  *model,
                                        PhiliaGraph             *target,
                                        const PhiliaAdaptParams *params,
                                        guint64                  seed,
                                        guint                    n_threads,
                                        PhiliaProgress          *progress,
                                        GCancellable            *cancellable,
                                        PhiliaAdaptEpochFunc     callback,
                                        gpointer                 user_data,
                                        GError                 **error);

/* philia_adapt() on a worker thread; @epochs_func gets the epochs reached
 * since its last call on the calling thread's main context. */
typedef void (*PhiliaAdaptEpochsFunc) (const PhiliaAdaptEpoch *epochs,
                                       guint                   n_epochs,
                                       gpointer                user_data);

void               philia_adapt_async  (const PhiliaSavedModel  *model,
                                        PhiliaGraph             *target,
                                        const PhiliaAdaptParams *params,
                                        guint64                  seed,
                                        guint                    n_threads,
                                        GCancellable            *cancellable,
                                        PhiliaAdaptEpochsFunc    epochs_func,
                                        gpointer                 epochs_data,
                                        GDestroyNotify           epochs_destroy,
                                        GAsyncReadyCallback      callback,
                                        gpointer                 user_data);
/* The same, ending after the current epoch with the model reached so far
 * once @stop (nullable) is cancelled (@cancellable discards the run). */
void               philia_adapt_async_full (const PhiliaSavedModel  *model,
                                            PhiliaGraph             *target,
                                            const PhiliaAdaptParams *params,
                                            guint64                  seed,
                                            guint                    n_threads,
                                            GCancellable            *cancellable,
                                            GCancellable            *stop,
                                            PhiliaAdaptEpochsFunc    epochs_func,
                                            gpointer                 epochs_data,
                                            GDestroyNotify           epochs_destroy,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data);
PhiliaAdaptResult *philia_adapt_finish (GAsyncResult            *result,
                                        GError                 **error);

/* The node values an adapted run keeps (PhiliaTrainResult.node_values): per
 * node 1 when adaptation changed its prediction to the right class, −1 when
 * it changed a right prediction to a wrong one, 0 for another change (an
 * unlabeled node, or wrong to another wrong class), NaN when unchanged. */
#define PHILIA_ADAPT_CHANGE_VALUES "change"

double            *philia_adapt_change_values      (PhiliaGraph             *graph,
                                                    const gint32            *before,
                                                    const gint32            *after);

/*
 * A run of @graph made by applying @model (no training): the model's recipe
 * and a copy of its weights, no epochs or curves; every labeled node scores
 * as a test node (none of @graph was trained on) and fills the local-homophily
 * bins. With @before (the source model's predictions on @graph), the run is an
 * adapted one and keeps PHILIA_ADAPT_CHANGE_VALUES.
 */
PhiliaTrainResult *philia_train_result_new_applied (const PhiliaSavedModel  *model,
                                                    const PhiliaPrediction  *prediction,
                                                    PhiliaGraph             *graph,
                                                    const gint32            *before);

/**
 * PhiliaAdaptComparison:
 * Predictions on one graph before and after adaptation. Class counts are over
 * every node (@true_counts over the labeled ones); accuracies and the
 * local-homophily bins ([0, .2), …, [.8, 1], as a run's) over the labeled
 * nodes, NaN where there are none. @changed_right: labeled nodes wrong
 * before and right after; @changed_wrong: right before, wrong
 * after.
 */
typedef struct
{
  guint   n_classes;
  gint64 *before_counts;
  gint64 *after_counts;
  gint64 *true_counts;
  gint64  n_labeled;
  double  before_accuracy;
  double  after_accuracy;
  gint64  n_changed;
  gint64  changed_right;
  gint64  changed_wrong;
  gint64  bin_count[PHILIA_TRAIN_HOMOPHILY_BINS];
  double  before_bin_accuracy[PHILIA_TRAIN_HOMOPHILY_BINS];
  double  after_bin_accuracy[PHILIA_TRAIN_HOMOPHILY_BINS];
} PhiliaAdaptComparison;

PhiliaAdaptComparison *philia_adapt_comparison_new  (PhiliaGraph           *graph,
                                                     const gint32          *before,
                                                     const gint32          *after,
                                                     guint                  n_classes);
void                   philia_adapt_comparison_free (PhiliaAdaptComparison *comparison);
/* Whether the adapted model is right on significantly more labeled nodes
 * than the source model (McNemar's test on the changed nodes, 5 %): a gain
 * of a few nodes out of thousands is not called an improvement. */
gboolean               philia_adapt_comparison_improved (const PhiliaAdaptComparison *comparison);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaAdaptComparison, philia_adapt_comparison_free)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaSavedModel, philia_saved_model_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaPrediction, philia_prediction_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaAdaptResult, philia_adapt_result_free)

G_END_DECLS
