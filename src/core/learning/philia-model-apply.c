/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Applying a saved model to a graph: the model is built on that graph with
 * its recipe, then given the saved weights (HACKING.md §7). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "philia-import-private.h"
#include "philia-model-private.h"
#include "philia-cost-private.h"

void
_philia_saved_model_instance_clear (SavedModelInstance *instance)
{
  if (instance->model != NULL)
    instance->vtable->free (instance->model);
  instance->model = NULL;
  g_clear_pointer (&instance->ctx, _philia_model_context_free);
}

gboolean
_philia_saved_model_instantiate (const PhiliaSavedModel *saved,
                                 PhiliaGraph            *graph,
                                 SavedModelInstance     *out,
                                 GError                **error)
{
  const PhiliaAlgorithm *algorithm;
  PhiliaTrainParams params = saved->params;

  memset (out, 0, sizeof *out);
  algorithm = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MODEL,
                                      saved->model);
  if (algorithm == NULL)
    {
      g_autofree char *name = _philia_excerpt (saved->model, -1);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   _ ("The model is a “%s”, which this Philia does not know (is a plugin "
                      "missing?)."), name);
      return FALSE;
    }
  if (!philia_saved_model_check_graph (saved, graph, error))
    return FALSE;
  out->vtable = algorithm->vtable;
  /* The saved recipe is resolved; defaults() only fills what it left open. */
  out->vtable->defaults (&params);
  out->ctx = _philia_model_context_new (graph, &params, saved->n_classes, saved->seed);
  out->model = out->vtable->create (out->ctx, error);
  if (out->model == NULL)
    {
      _philia_saved_model_instance_clear (out);
      return FALSE;
    }
  if (out->ctx->parameters->len != saved->weights->len)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("The model file holds %u weight matrices, but a %s with its recipe has %u."),
                   saved->weights->len, saved->model, out->ctx->parameters->len);
      _philia_saved_model_instance_clear (out);
      return FALSE;
    }
  for (guint i = 0; i < saved->weights->len; i++)
    {
      PhiliaTensor *p = g_ptr_array_index (out->ctx->parameters, i);
      const PhiliaTensor *w = g_ptr_array_index (saved->weights, i);

      if (p->rows != w->rows || p->cols != w->cols)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("Weight %u of the model file is %u × %u, but a %s with its recipe "
                          "needs %u × %u."), i, w->rows, w->cols, saved->model, p->rows, p->cols);
          _philia_saved_model_instance_clear (out);
          return FALSE;
        }
      memcpy (p->data, w->data, sizeof (float) * w->rows * w->cols);
    }
  return TRUE;
}

PhiliaTensor *
_philia_saved_model_eval (SavedModelInstance *instance,
                          PhiliaTape         *tape)
{
  GPtrArray *parameters = instance->ctx->parameters;
  PhiliaTensor *logp;

  philia_tape_reset (tape);
  philia_tape_set_training (tape, FALSE);
  for (guint i = 0; i < parameters->len; i++)
    ((PhiliaTensor *)g_ptr_array_index (parameters, i))->requires_grad = FALSE;
  logp = philia_op_log_softmax (tape, instance->vtable->forward (instance->model,
                                                                 instance->ctx, tape));
  for (guint i = 0; i < parameters->len; i++)
    ((PhiliaTensor *)g_ptr_array_index (parameters, i))->requires_grad = TRUE;
  return logp;
}

void
philia_prediction_free (PhiliaPrediction *prediction)
{
  if (prediction == NULL)
    return;
  g_free (prediction->predictions);
  g_free (prediction->probabilities);
  g_free (prediction);
}

PhiliaPrediction *
_philia_prediction_new (const PhiliaTensor *logp,
                        PhiliaGraph        *graph)
{
  PhiliaPrediction *p = g_new0 (PhiliaPrediction, 1);
  const gint32 *labels = philia_graph_get_labels (graph);
  guint n = logp->rows, c = logp->cols;
  g_autofree guint8 *labeled = g_new0 (guint8, MAX (n, 1));
  gint64 hits = 0;

  p->n_nodes = n;
  p->n_classes = c;
  p->predictions = g_new (gint32, MAX (n, 1));
  p->probabilities = g_new (float, MAX ((gsize)n * c, 1));
  /* The argmax of the log-probabilities and expf() of them, exactly as
   * philia_train() keeps a run's, so that both give the same file. */
  for (guint i = 0; i < n; i++)
    {
      const float *row = logp->data + (gsize)i * c;
      guint best = 0;

      for (guint j = 1; j < c; j++)
        if (row[j] > row[best])
          best = j;
      p->predictions[i] = best;
      for (guint j = 0; j < c; j++)
        p->probabilities[(gsize)i * c + j] = expf (row[j]);
      if (labels[i] >= 0 && (guint)labels[i] < c)
        {
          labeled[i] = 1;
          p->n_labeled++;
          hits += p->predictions[i] == labels[i];
        }
    }
  p->accuracy = p->n_labeled > 0 ? (double)hits / p->n_labeled : NAN;
  p->majority_class = p->n_labeled > 0 ? philia_majority_class (labels, labeled, n, c) : -1;
  p->majority_accuracy = p->n_labeled > 0
                         ? philia_class_share (labels, labeled, n, p->majority_class) : NAN;
  p->roc_auc = NAN;
  if (c == 2 && p->n_labeled > 0)
    {
      g_autofree float *scores = g_new (float, n);
      g_autofree guint8 *positive = g_new (guint8, n);
      gsize m = 0;

      for (guint i = 0; i < n; i++)
        if (labeled[i])
          {
            scores[m] = p->probabilities[(gsize)i * 2 + 1];
            positive[m++] = labels[i] == 1;
          }
      p->roc_auc = philia_roc_auc_float (scores, positive, m);
    }
  return p;
}

PhiliaPrediction *
philia_saved_model_predict (const PhiliaSavedModel *model,
                            PhiliaGraph            *graph,
                            guint                   n_threads,
                            GError                **error)
{
  SavedModelInstance instance;
  g_autoptr(PhiliaTape) tape = NULL;
  PhiliaPrediction *p;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);

  if (!_philia_saved_model_instantiate (model, graph, &instance, error))
    return NULL;
  n_threads = MAX (n_threads, 1);
  _philia_cost_blas_single ();
  tape = philia_tape_new (n_threads);
  p = _philia_prediction_new (_philia_saved_model_eval (&instance, tape), graph);
  philia_tape_reset (tape);
  _philia_saved_model_instance_clear (&instance);
  return p;
}

char *
philia_prediction_csv (const PhiliaPrediction *prediction,
                       PhiliaGraph            *graph)
{
  PhiliaTrainResult r = { 0 };

  g_return_val_if_fail (prediction != NULL, NULL);
  g_return_val_if_fail (philia_graph_get_n_nodes (graph) == prediction->n_nodes, NULL);

  /* The run's writer, so that both files agree byte for byte. */
  r.n_nodes = prediction->n_nodes;
  r.n_classes = prediction->n_classes;
  r.predictions = prediction->predictions;
  r.probabilities = prediction->probabilities;
  return philia_train_result_predictions_csv (&r, graph);
}
