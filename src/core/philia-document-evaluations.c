/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-document-private.h"

/* ------------------------------------------------------------ evaluations */

guint
philia_document_get_n_evaluations (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  return self->evaluations->len;
}

const PhiliaDocumentEvaluation *
philia_document_get_evaluation (PhiliaDocument *self,
                                guint           index)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (index < self->evaluations->len, NULL);
  return self->evaluations->pdata[index];
}

static int
compare_descending (gconstpointer a,
                    gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  /* NaN (a score that could not be computed) ranks last. */
  if (isnan (x) || isnan (y))
    return isnan (x) - isnan (y);
  return (x < y) - (x > y);
}

/* Average precision of @n positives against @n negatives: the mean of the
 * precision at each distinct score threshold, weighted by the recall gained
 * there (tied scores form one threshold, as in scikit-learn). */
static double
average_precision (const double *pos,
                   const double *neg,
                   gint64        n)
{
  g_autofree double *all = NULL;
  g_autofree double *p = NULL;
  gint64 true_pos = 0, seen = 0, i = 0, j = 0;
  double ap = 0;

  if (n <= 0)
    return NAN;
  p = g_memdup2 (pos, sizeof (double) * n);
  all = g_memdup2 (neg, sizeof (double) * n);
  qsort (p, n, sizeof (double), compare_descending);
  qsort (all, n, sizeof (double), compare_descending);
  /* Walk both sorted lists by threshold, highest first. */
  while (i < n || j < n)
    {
      double t;
      gint64 new_pos = 0;

      if (j >= n || (i < n && compare_descending (&p[i], &all[j]) <= 0))
        t = p[i];
      else
        t = all[j];
      while (i < n && (p[i] == t || (isnan (t) && isnan (p[i]))))
        i++, new_pos++;
      while (j < n && (all[j] == t || (isnan (t) && isnan (all[j]))))
        j++, seen++;
      seen += new_pos;
      true_pos += new_pos;
      if (new_pos > 0)
        ap += (double)new_pos / n * ((double)true_pos / seen);
    }
  return ap;
}

static double *
report_summary (const PhiliaLinkpredReport *report)
{
  double *summary = g_new (double, 6 * MAX (report->n_results, 1));

  for (guint k = 0; k < report->n_results; k++)
    {
      const PhiliaLinkpredResult *r = report->results[k];
      double *row = summary + 6 * k;

      row[0] = r->auc;
      row[1] = average_precision (r->test_pos, r->test_neg, r->n_test);
      row[2] = r->mrr;
      row[3] = r->hits[1];
      row[4] = r->hits[2];
      row[5] = r->hits[3];
    }
  return summary;
}

guint
philia_document_add_evaluation (PhiliaDocument              *self,
                                const PhiliaProximityParams *params,
                                guint64                      seed,
                                guint                        n_mrr_neg,
                                PhiliaLinkpredReport        *report)
{
  PhiliaDocumentEvaluation *evaluation;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  g_return_val_if_fail (params != NULL, 0);
  g_return_val_if_fail (report != NULL, 0);

  evaluation = g_new0 (PhiliaDocumentEvaluation, 1);
  evaluation->id = self->next_evaluation_id++;
  evaluation->params = *params;
  evaluation->mask = report->mask;
  evaluation->seed = seed;
  evaluation->n_mrr_neg = n_mrr_neg;
  evaluation->report = report;
  evaluation->n_heuristics = report->n_results;
  evaluation->summary = report_summary (report);
  evaluation->features = g_strdup (PHILIA_FEATURES_ORIGINAL);
  g_ptr_array_add (self->evaluations, evaluation);
  _philia_document_changed_not_a_step (self, PHILIA_DOCUMENT_PART_EVALUATIONS);
  return evaluation->id;
}

static int
evaluation_index (PhiliaDocument *self,
                  guint           id)
{
  for (guint i = 0; i < self->evaluations->len; i++)
    if (((PhiliaDocumentEvaluation *)self->evaluations->pdata[i])->id == id)
      return (int)i;
  return -1;
}

gboolean
philia_document_add_evaluation_model (PhiliaDocument              *self,
                                      guint                        id,
                                      const PhiliaLinkTrainResult *trained,
                                      GError                     **error)
{
  PhiliaDocumentEvaluation *evaluation;
  int i;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (trained != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  i = evaluation_index (self, id);
  if (i < 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   _ ("The document has no link-prediction evaluation %u."), id);
      return FALSE;
    }
  evaluation = self->evaluations->pdata[i];
  if (trained->result == NULL || trained->model == NULL
      || (evaluation->report != NULL
          && trained->result->n_test != evaluation->report->split->n_test))
    {
      /* Its Hits@K and overlaps would compare edges of two different splits. */
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("The link predictor was not scored on the test edges of evaluation %u."),
                   id);
      return FALSE;
    }
  if (evaluation->models == NULL)
    evaluation->models =
      g_ptr_array_new_with_free_func ((GDestroyNotify)philia_link_train_result_free);
  g_ptr_array_add (evaluation->models, philia_link_train_result_copy_figures (trained));
  /* It trained on the split's graph, so on the evaluation's features. */
  if (evaluation->model_features == NULL)
    evaluation->model_features = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (evaluation->model_features, g_strdup (evaluation->features));
  _philia_document_changed_not_a_step (self, PHILIA_DOCUMENT_PART_EVALUATIONS);
  return TRUE;
}

gboolean
philia_document_delete_evaluation (PhiliaDocument *self,
                                   guint           id)
{
  int i;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  i = evaluation_index (self, id);
  if (i < 0)
    return FALSE;
  g_ptr_array_remove_index (self->evaluations, i);
  _philia_document_changed_not_a_step (self, PHILIA_DOCUMENT_PART_EVALUATIONS);
  return TRUE;
}

gboolean
philia_document_ensure_evaluation (PhiliaDocument *self,
                                   guint           id,
                                   GCancellable   *cancellable,
                                   GError        **error)
{
  PhiliaDocumentEvaluation *evaluation;
  PhiliaLinkpredReport *report;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autofree double *summary = NULL;
  gboolean same;
  int i;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  i = evaluation_index (self, id);
  if (i < 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   _ ("The document has no link-prediction evaluation %u."), id);
      return FALSE;
    }
  evaluation = self->evaluations->pdata[i];
  if (evaluation->report != NULL)
    return TRUE;

  /* The features fp scored with when it was made, not today's choice. */
  graph = philia_document_dup_evaluation_graph (self, id, error);
  if (graph == NULL)
    return FALSE;
  report = philia_linkpred_report_new (graph, &evaluation->params, evaluation->mask,
                                       evaluation->seed, evaluation->n_mrr_neg, NULL,
                                       cancellable, error);
  if (report == NULL)
    return FALSE;
  summary = report_summary (report);
  same = report->n_results == evaluation->n_heuristics;
  for (guint k = 0; same && k < 6 * report->n_results; k++)
    {
      double a = summary[k], b = evaluation->summary[k];

      same = (isnan (a) && isnan (b)) || a == b || fabs (a - b) <= 1e-12;
    }
  evaluation->report = report;
  for (guint m = evaluation->models ? evaluation->models->len : 0; m-- > 0;)
    {
      const PhiliaLinkTrainResult *t = evaluation->models->pdata[m];

      /* A model whose scores do not line up with the split's test edges
       * (a project edited by hand) cannot sit in the same overlap. */
      if (t->result->n_test != report->split->n_test)
        {
          g_debug ("Link predictor %s of evaluation %u left out: it scored %" G_GINT64_FORMAT
                   " test edges, the split has %" G_GINT64_FORMAT ".", t->result->name, id,
                   t->result->n_test, report->split->n_test);
          g_ptr_array_remove_index (evaluation->models, m);
          if (evaluation->model_features != NULL && m < evaluation->model_features->len)
            g_ptr_array_remove_index (evaluation->model_features, m);
          same = FALSE;
        }
    }
  if (!same)
    {
      /* The recipe no longer gives the saved figures (another Philia
       * version, a changed heuristic): the figures shown are the ones
       * recomputed, and the project is saved with them. */
      g_debug ("Link-prediction evaluation %u recomputed to other figures than saved.", id);
      g_free (evaluation->summary);
      evaluation->summary = g_steal_pointer (&summary);
      evaluation->n_heuristics = report->n_results;
      evaluation->mask = report->mask;
      _philia_document_changed_not_a_step (self, PHILIA_DOCUMENT_PART_EVALUATIONS);
    }
  else
    {
      _philia_document_emit_changed (self, PHILIA_DOCUMENT_PART_EVALUATIONS);
    }
  return TRUE;
}
