/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What applying a saved model (philia-model-apply.c) and adapting it
 * (philia-adapt.c) share: a model built on a new graph with the saved weights. */

#include "philia-core.h"
#include "philia-model.h"
#include "philia-train-private.h"

G_BEGIN_DECLS

typedef struct
{
  PhiliaModelContext      *ctx;
  const PhiliaModelVTable *vtable;
  gpointer                 model;
} SavedModelInstance;

/* Builds @saved's model on @graph and copies the saved weights into its
 * parameters; refuses a graph that does not fit and weights whose count or
 * shapes differ from what the recipe builds. */
gboolean _philia_saved_model_instantiate (const PhiliaSavedModel *saved,
                                          PhiliaGraph            *graph,
                                          SavedModelInstance     *out,
                                          GError                **error);
void     _philia_saved_model_instance_clear (SavedModelInstance *instance);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SavedModelInstance, _philia_saved_model_instance_clear)
/* An evaluation pass (no dropout, no gradients): log-probabilities [n, C]
 * owned by @tape. */
PhiliaTensor *_philia_saved_model_eval (SavedModelInstance *instance,
                                        PhiliaTape         *tape);
/* Predictions, probabilities and the scores of the graph's labeled nodes. */
PhiliaPrediction *_philia_prediction_new (const PhiliaTensor *logp,
                                          PhiliaGraph        *graph);

/* Negative sampling by unigram^0.75 (philia-adapt.c): Walker's alias table. */
typedef struct
{
  guint    n;
  double  *prob;
  guint32 *alias;
} SogaNegatives;

SogaNegatives *_philia_soga_negatives_new  (PhiliaGraph   *graph);
void           _philia_soga_negatives_free (SogaNegatives *negatives);
guint          _philia_soga_draw_negative  (const SogaNegatives *negatives,
                                            PhiliaRng           *rng);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SogaNegatives, _philia_soga_negatives_free)

/*
 * The SOGA objective of log-probabilities @logp [n, C] (philia-adapt.c) and
 * its gradient with respect to them (@grad, n × C floats); @terms gets the
 * loss, information maximisation, mean entropy, entropy of the mean and the
 * structure term. Positive pairs: from every node with neighbours, the end of
 * a random walk of 1 to @window steps; for each, @k negatives drawn from
 * @negatives. Everything is drawn from @rng; no label is read.
 */
void _philia_soga_objective (const PhiliaTensor *logp,
                             PhiliaGraph        *graph,
                             double              lambda,
                             guint               window,
                             guint               k,
                             const SogaNegatives *negatives,
                             PhiliaRng          *rng,
                             float              *grad,
                             double              terms[5]);

/* philia_adapt() that also ends with what it reached once @stop is cancelled. */
PhiliaAdaptResult *_philia_adapt_full (const PhiliaSavedModel  *model,
                                       PhiliaGraph             *target,
                                       const PhiliaAdaptParams *params,
                                       guint64                  seed,
                                       guint                    n_threads,
                                       PhiliaProgress          *progress,
                                       GCancellable            *cancellable,
                                       GCancellable            *stop,
                                       PhiliaAdaptEpochFunc     callback,
                                       gpointer                 user_data,
                                       GError                 **error);

G_END_DECLS
