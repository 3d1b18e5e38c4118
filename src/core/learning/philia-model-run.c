/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A saved model applied to a graph, as a run of that graph's document, and
 * what adapting a model changed on it (before/after comparisons shared by
 * the Adapt page, its charts and `philia-cli adapt --json`). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"

static void
node_values_free (PhiliaNodeValues *nv)
{
  g_free (nv->name);
  g_free (nv->values);
  g_free (nv);
}

/* Accuracy of @predictions per local-homophily bin over every labeled node
 * (no node of a target graph was trained on). */
static void
homophily_bins (const gint32 *predictions,
                PhiliaGraph  *graph,
                const double *local,
                gint64       *count,
                double       *accuracy)
{
  const gint32 *labels = philia_graph_get_labels (graph);
  guint n = philia_graph_get_n_nodes (graph);
  gint64 hits[PHILIA_TRAIN_HOMOPHILY_BINS] = { 0 };

  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    {
      count[b] = 0;
      accuracy[b] = NAN;
    }
  if (local == NULL)
    return;
  for (guint v = 0; v < n; v++)
    {
      guint b;

      if (labels[v] < 0 || isnan (local[v]))
        continue;
      b = MIN ((guint)(local[v] * PHILIA_TRAIN_HOMOPHILY_BINS), PHILIA_TRAIN_HOMOPHILY_BINS - 1);
      count[b]++;
      hits[b] += predictions[v] == labels[v];
    }
  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    if (count[b] > 0)
      accuracy[b] = (double)hits[b] / count[b];
}

double *
philia_adapt_change_values (PhiliaGraph  *graph,
                            const gint32 *before,
                            const gint32 *after)
{
  const gint32 *labels;
  guint n;
  double *values;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (before != NULL && after != NULL, NULL);

  labels = philia_graph_get_labels (graph);
  n = philia_graph_get_n_nodes (graph);
  values = g_new (double, MAX (n, 1));
  for (guint v = 0; v < n; v++)
    {
      if (before[v] == after[v])
        values[v] = NAN;
      else if (labels[v] >= 0 && after[v] == labels[v])
        values[v] = 1;
      else if (labels[v] >= 0 && before[v] == labels[v])
        values[v] = -1;
      else
        values[v] = 0;
    }
  return values;
}

PhiliaTrainResult *
philia_train_result_new_applied (const PhiliaSavedModel *model,
                                 const PhiliaPrediction *prediction,
                                 PhiliaGraph            *graph,
                                 const gint32           *before)
{
  PhiliaTrainResult *r;
  g_autofree double *local = NULL;
  guint n, c;

  g_return_val_if_fail (model != NULL && prediction != NULL, NULL);
  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  n = philia_graph_get_n_nodes (graph);
  g_return_val_if_fail (prediction->n_nodes == n, NULL);

  c = prediction->n_classes;
  r = g_new0 (PhiliaTrainResult, 1);
  r->model = g_strdup (model->model);
  r->seed = model->seed;
  r->n_threads = 1;
  r->params = model->params;
  r->identity_features = model->identity_features;
  r->n_nodes = n;
  r->n_classes = c;
  r->predictions = g_memdup2 (prediction->predictions, sizeof (gint32) * MAX (n, 1));
  r->probabilities = g_memdup2 (prediction->probabilities, sizeof (float) * MAX ((gsize)n * c, 1));
  r->weights = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  for (guint i = 0; i < model->weights->len; i++)
    g_ptr_array_add (r->weights, philia_tensor_copy (g_ptr_array_index (model->weights, i)));
  r->node_values = g_ptr_array_new_with_free_func ((GDestroyNotify)node_values_free);
  if (before != NULL)
    {
      PhiliaNodeValues *nv = g_new0 (PhiliaNodeValues, 1);

      nv->name = g_strdup (PHILIA_ADAPT_CHANGE_VALUES);
      nv->values = philia_adapt_change_values (graph, before, prediction->predictions);
      g_ptr_array_add (r->node_values, nv);
    }
  /* Not trained here: no epochs, no curves, and every labeled node is
   * unseen, so all of them score as test nodes. */
  r->train_accuracy = r->val_accuracy = NAN;
  r->test_accuracy = prediction->accuracy;
  r->train_roc_auc = r->val_roc_auc = NAN;
  r->test_roc_auc = prediction->roc_auc;
  r->epoch_ms_median = NAN;
  r->majority_class = prediction->majority_class;
  r->train_majority = r->val_majority = NAN;
  r->test_majority = prediction->majority_accuracy;
  r->metric = PHILIA_METRIC_ACCURACY;
  local = philia_local_homophily (graph);
  homophily_bins (r->predictions, graph, local, r->bin_count, r->bin_accuracy);
  return r;
}

void
philia_adapt_comparison_free (PhiliaAdaptComparison *comparison)
{
  if (comparison == NULL)
    return;
  g_free (comparison->before_counts);
  g_free (comparison->after_counts);
  g_free (comparison->true_counts);
  g_free (comparison);
}

PhiliaAdaptComparison *
philia_adapt_comparison_new (PhiliaGraph  *graph,
                             const gint32 *before,
                             const gint32 *after,
                             guint         n_classes)
{
  PhiliaAdaptComparison *cmp;
  const gint32 *labels;
  g_autofree double *local = NULL;
  gint64 hits_before = 0, hits_after = 0;
  guint n;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (before != NULL && after != NULL, NULL);

  labels = philia_graph_get_labels (graph);
  n = philia_graph_get_n_nodes (graph);
  cmp = g_new0 (PhiliaAdaptComparison, 1);
  cmp->n_classes = n_classes;
  cmp->before_counts = g_new0 (gint64, MAX (n_classes, 1));
  cmp->after_counts = g_new0 (gint64, MAX (n_classes, 1));
  cmp->true_counts = g_new0 (gint64, MAX (n_classes, 1));
  for (guint v = 0; v < n; v++)
    {
      if ((guint)before[v] < n_classes)
        cmp->before_counts[before[v]]++;
      if ((guint)after[v] < n_classes)
        cmp->after_counts[after[v]]++;
      if (before[v] != after[v])
        {
          cmp->n_changed++;
          if (labels[v] >= 0 && after[v] == labels[v])
            cmp->changed_right++;
          else if (labels[v] >= 0 && before[v] == labels[v])
            cmp->changed_wrong++;
        }
      if (labels[v] < 0)
        continue;
      cmp->n_labeled++;
      if ((guint)labels[v] < n_classes)
        cmp->true_counts[labels[v]]++;
      hits_before += before[v] == labels[v];
      hits_after += after[v] == labels[v];
    }
  cmp->before_accuracy = cmp->n_labeled > 0 ? (double)hits_before / cmp->n_labeled : NAN;
  cmp->after_accuracy = cmp->n_labeled > 0 ? (double)hits_after / cmp->n_labeled : NAN;
  local = philia_local_homophily (graph);
  homophily_bins (before, graph, local, cmp->bin_count, cmp->before_bin_accuracy);
  homophily_bins (after, graph, local, cmp->bin_count, cmp->after_bin_accuracy);
  return cmp;
}

gboolean
philia_adapt_comparison_improved (const PhiliaAdaptComparison *comparison)
{
  double b, c, chi2;

  g_return_val_if_fail (comparison != NULL, FALSE);

  b = comparison->changed_right;
  c = comparison->changed_wrong;
  if (b <= c)
    return FALSE;
  /* McNemar's test with continuity correction on the discordant nodes: the
   * 95 % quantile of χ² with one degree of freedom. */
  chi2 = (fabs (b - c) - 1) * (fabs (b - c) - 1) / (b + c);
  return chi2 > 3.841458820694124;
}
