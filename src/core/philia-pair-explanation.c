/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>

#include "philia-core.h"

/* Lengths whose walk counts are shown when Katz is the exact series. */
#define EXACT_KATZ_SHOWN_LENGTHS 5

struct _PhiliaProximityNegatives
{
  gsize   n_pairs;
  guint   mask;
  gint64 *pairs;
  double *scores[PHILIA_PROXIMITY_N_HEURISTICS];
};

static guint
scorable_mask (PhiliaGraph *graph)
{
  guint mask = PHILIA_PROXIMITY_ALL;

  if (philia_graph_get_n_features (graph) == 0)
    mask &= ~PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_FP);
  return mask;
}

static void
negatives_clear (PhiliaProximityNegatives *negatives)
{
  g_free (negatives->pairs);
  for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    g_free (negatives->scores[h]);
}

PhiliaProximityNegatives *
philia_proximity_negatives_new (PhiliaGraph                 *graph,
                                const PhiliaProximityParams *params,
                                gsize                        n_pairs,
                                guint64                      seed,
                                GCancellable                *cancellable,
                                GError                     **error)
{
  g_autoptr(PhiliaProximityNegatives) negatives = NULL;
  g_autofree double *table = NULL;
  guint n, n_cols, c = 0;
  gint64 available;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = philia_graph_get_n_nodes (graph);
  available = (gint64)n * (n - (gint64)1) / 2 - philia_graph_get_n_edges (graph);
  n_pairs = MIN ((gint64)n_pairs, available);

  negatives = g_rc_box_new0 (PhiliaProximityNegatives);
  negatives->n_pairs = n_pairs;
  negatives->mask = scorable_mask (graph);
  negatives->pairs = philia_linkpred_sample_non_edges (graph, n_pairs, seed, error);
  if (negatives->pairs == NULL)
    return NULL;
  n_cols = philia_proximity_mask_count (negatives->mask);
  table = g_new (double, MAX (n_pairs * n_cols, 1));
  if (!philia_proximity_score_pairs (graph, params, negatives->pairs, n_pairs, negatives->mask,
                                     table, cancellable, error))
    return NULL;
  for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    {
      if (!(negatives->mask & PHILIA_PROXIMITY_MASK (h)))
        continue;
      negatives->scores[h] = g_new (double, MAX (n_pairs, 1));
      for (gsize i = 0; i < n_pairs; i++)
        negatives->scores[h][i] = table[i * n_cols + c];
      c++;
    }
  return g_steal_pointer (&negatives);
}

PhiliaProximityNegatives *
philia_proximity_negatives_ref (PhiliaProximityNegatives *negatives)
{
  g_return_val_if_fail (negatives != NULL, NULL);
  return g_rc_box_acquire (negatives);
}

void
philia_proximity_negatives_unref (PhiliaProximityNegatives *negatives)
{
  if (negatives != NULL)
    g_rc_box_release_full (negatives, (GDestroyNotify)negatives_clear);
}

gsize
philia_proximity_negatives_get_n_pairs (PhiliaProximityNegatives *negatives)
{
  g_return_val_if_fail (negatives != NULL, 0);
  return negatives->n_pairs;
}

const gint64 *
philia_proximity_negatives_get_pairs (PhiliaProximityNegatives *negatives)
{
  g_return_val_if_fail (negatives != NULL, NULL);
  return negatives->pairs;
}

const double *
philia_proximity_negatives_get_scores (PhiliaProximityNegatives *negatives,
                                       PhiliaProximityHeuristic  heuristic)
{
  g_return_val_if_fail (negatives != NULL, NULL);
  g_return_val_if_fail ((guint)heuristic < PHILIA_PROXIMITY_N_HEURISTICS, NULL);
  return negatives->scores[heuristic];
}

/* Higher is closer, as in the evaluation: a distance d becomes −d, unreachable −∞. */
static double
oriented (PhiliaProximityHeuristic heuristic,
          double                   score)
{
  if (heuristic != PHILIA_PROXIMITY_SP)
    return score;
  return score < 0 ? -INFINITY : -score;
}

gint64
philia_proximity_negatives_count_above (PhiliaProximityNegatives *negatives,
                                        PhiliaProximityHeuristic  heuristic,
                                        double                    score)
{
  const double *scores;
  double bar;
  gint64 above = 0;

  g_return_val_if_fail (negatives != NULL, -1);
  g_return_val_if_fail ((guint)heuristic < PHILIA_PROXIMITY_N_HEURISTICS, -1);

  scores = negatives->scores[heuristic];
  if (scores == NULL || isnan (score))
    return -1;
  bar = oriented (heuristic, score);
  for (gsize i = 0; i < negatives->n_pairs; i++)
    above += oriented (heuristic, scores[i]) > bar;
  return above;
}

/* ---------------------------------------------------------- explanation */

void
philia_pair_explanation_free (PhiliaPairExplanation *explanation)
{
  if (explanation == NULL)
    return;
  g_clear_pointer (&explanation->negatives, philia_proximity_negatives_unref);
  g_clear_pointer (&explanation->common, g_array_unref);
  g_clear_pointer (&explanation->path, g_array_unref);
  g_free (explanation->katz_counts);
  g_clear_pointer (&explanation->extra, g_array_unref);
  g_free (explanation);
}

PhiliaPairExplanation *
philia_pair_explanation_new (PhiliaGraph                 *graph,
                             const PhiliaProximityParams *params,
                             PhiliaProximityNegatives    *negatives,
                             gsize                        n_negatives,
                             guint64                      seed,
                             guint                        u,
                             guint                        v,
                             GCancellable                *cancellable,
                             GError                     **error)
{
  g_autoptr(PhiliaPairExplanation) x = NULL;
  double table[PHILIA_PROXIMITY_N_HEURISTICS];
  PhiliaProximityParams defaults;
  guint n, c = 0;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (params == NULL)
    {
      philia_proximity_params_init_default (&defaults);
      params = &defaults;
    }

  n = philia_graph_get_n_nodes (graph);
  if (u >= n || v >= n)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   _ ("Node %u is not in the graph, which has %u nodes."), MAX (u, v), n);
      return NULL;
    }

  x = g_new0 (PhiliaPairExplanation, 1);
  x->u = u;
  x->v = v;
  x->adjacent = philia_graph_find_edge (graph, u, v) >= 0;
  x->mask = scorable_mask (graph);
  if (negatives != NULL)
    x->negatives = philia_proximity_negatives_ref (negatives);
  else if (n_negatives > 0)
    {
      x->negatives = philia_proximity_negatives_new (graph, params, n_negatives, seed,
                                                     cancellable, error);
      if (x->negatives == NULL)
        return NULL;
    }

  if (!philia_proximity_score_pairs (graph, params, (const gint64[]) { u, v }, 1, x->mask, table,
                                     cancellable, error))
    return NULL;
  for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    {
      x->scores[h] = (x->mask & PHILIA_PROXIMITY_MASK (h)) ? table[c++] : NAN;
      x->above[h] = x->negatives
                    ? philia_proximity_negatives_count_above (x->negatives, h, x->scores[h])
                    : -1;
    }

  /* Heuristics plugins registered: the pair and the same negatives. */
  x->extra = g_array_new (FALSE, FALSE, sizeof (PhiliaPairExtraScore));
  {
    g_autoptr(GPtrArray) list = philia_registry_list (philia_registry_get_default (),
                                                      PHILIA_FAMILY_PROXIMITY);

    for (guint i = 0; i < list->len; i++)
      {
        const PhiliaAlgorithm *algorithm = list->pdata[i];
        PhiliaPairExtraScore extra = { algorithm, NAN, -1 };
        g_autoptr(GError) local_error = NULL;

        if (g_strcmp0 (algorithm->provider, PHILIA_PROVIDER_BUILTIN) == 0)
          continue;
        if (!philia_proximity_compute (algorithm, graph, params, (const gint64[]) { u, v }, 1,
                                       &extra.score, cancellable, &local_error))
          {
            if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
              {
                g_propagate_error (error, g_steal_pointer (&local_error));
                return NULL;
              }
            extra.score = NAN;
          }
        else if (x->negatives != NULL)
          {
            gsize k = philia_proximity_negatives_get_n_pairs (x->negatives);
            g_autofree double *neg = g_new (double, MAX (k, 1));

            if (philia_proximity_compute (algorithm, graph, params,
                                          philia_proximity_negatives_get_pairs (x->negatives), k,
                                          neg, cancellable, NULL))
              {
                extra.above = 0;
                for (gsize j = 0; j < k; j++)
                  extra.above += neg[j] > extra.score;
              }
          }
        g_array_append_val (x->extra, extra);
      }
  }

  x->common = philia_proximity_common_neighbors (graph, u, v);
  x->path = philia_proximity_shortest_path (graph, u, v);
  x->katz_len = params->katz_len > 0 ? params->katz_len : EXACT_KATZ_SHOWN_LENGTHS;
  x->katz_beta = params->katz_beta;
  x->katz_counts = g_new0 (double, x->katz_len);
  x->katz_sum = philia_proximity_katz_paths (graph, u, v, x->katz_len, params->katz_beta,
                                             x->katz_counts);
  return g_steal_pointer (&x);
}

typedef struct
{
  PhiliaGraph              *graph;
  PhiliaProximityParams     params;
  PhiliaProximityNegatives *negatives;
  gsize                     n_negatives;
  guint64                   seed;
  guint                     u, v;
} ExplainJob;

static void
explain_job_free (ExplainJob *job)
{
  g_clear_object (&job->graph);
  g_clear_pointer (&job->negatives, philia_proximity_negatives_unref);
  g_free (job);
}

static void
explain_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ExplainJob *job = task_data;
  PhiliaPairExplanation *x;
  GError *error = NULL;

  x = philia_pair_explanation_new (job->graph, &job->params, job->negatives, job->n_negatives,
                                   job->seed, job->u, job->v, cancellable, &error);
  if (x == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, x, (GDestroyNotify)philia_pair_explanation_free);
}

void
philia_pair_explanation_new_async (PhiliaGraph                 *graph,
                                   const PhiliaProximityParams *params,
                                   PhiliaProximityNegatives    *negatives,
                                   gsize                        n_negatives,
                                   guint64                      seed,
                                   guint                        u,
                                   guint                        v,
                                   GCancellable                *cancellable,
                                   GAsyncReadyCallback          callback,
                                   gpointer                     user_data)
{
  g_autoptr(GTask) task = NULL;
  ExplainJob *job;

  g_return_if_fail (PHILIA_IS_GRAPH (graph));

  job = g_new0 (ExplainJob, 1);
  job->graph = g_object_ref (graph);
  if (params != NULL)
    job->params = *params;
  else
    philia_proximity_params_init_default (&job->params);
  job->negatives = negatives ? philia_proximity_negatives_ref (negatives) : NULL;
  job->n_negatives = n_negatives;
  job->seed = seed;
  job->u = u;
  job->v = v;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, philia_pair_explanation_new_async);
  g_task_set_task_data (task, job, (GDestroyNotify)explain_job_free);
  g_task_run_in_thread (task, explain_thread);
}

PhiliaPairExplanation *
philia_pair_explanation_new_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == philia_pair_explanation_new_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
