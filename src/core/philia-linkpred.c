/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "philia-core.h"

const guint philia_linkpred_hits_ks[4] = { 10, 20, 50, 100 };

static int
compare_ascending (const void *a,
                   const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

double
philia_linkpred_hits_at_k (const double *pos,
                           gsize         n_pos,
                           const double *neg,
                           gsize         n_neg,
                           guint         k)
{
  g_autofree double *sorted = NULL;
  double kth;
  gsize above = 0;

  g_return_val_if_fail (pos != NULL || n_pos == 0, NAN);
  g_return_val_if_fail (neg != NULL || n_neg == 0, NAN);
  g_return_val_if_fail (k > 0, NAN);

  if (n_pos == 0)
    return NAN;
  if (n_neg < k)
    return 1.0;
  sorted = g_memdup2 (neg, sizeof (double) * n_neg);
  qsort (sorted, n_neg, sizeof (double), compare_ascending);
  kth = sorted[n_neg - k];
  for (gsize i = 0; i < n_pos; i++)
    above += pos[i] > kth;
  return (double)above / n_pos;
}

gsize
philia_linkpred_hit_set (const double *pos,
                         gsize         n_pos,
                         const double *neg,
                         gsize         n_neg,
                         guint         k,
                         gboolean     *hit)
{
  g_autofree double *sorted = NULL;
  double kth = -INFINITY;
  gboolean all = n_neg < k;
  gsize above = 0;

  g_return_val_if_fail (pos != NULL || n_pos == 0, 0);
  g_return_val_if_fail (neg != NULL || n_neg == 0, 0);
  g_return_val_if_fail (hit != NULL || n_pos == 0, 0);
  g_return_val_if_fail (k > 0, 0);

  if (!all)
    {
      sorted = g_memdup2 (neg, sizeof (double) * n_neg);
      qsort (sorted, n_neg, sizeof (double), compare_ascending);
      kth = sorted[n_neg - k];
    }
  for (gsize i = 0; i < n_pos; i++)
    {
      hit[i] = all || pos[i] > kth;
      above += hit[i];
    }
  return above;
}

void
philia_linkpred_overlap (const gboolean *hits,
                         guint           n_sets,
                         gsize           n_pos,
                         double         *out)
{
  g_return_if_fail (hits != NULL || n_sets == 0 || n_pos == 0);
  g_return_if_fail (out != NULL || n_sets == 0);

  for (guint a = 0; a < n_sets; a++)
    for (guint b = a; b < n_sets; b++)
      {
        const gboolean *x = hits + (gsize)a * n_pos, *y = hits + (gsize)b * n_pos;
        gsize both = 0, either = 0;

        for (gsize i = 0; i < n_pos; i++)
          {
            both += x[i] && y[i];
            either += x[i] || y[i];
          }
        out[(gsize)a * n_sets + b] = out[(gsize)b * n_sets + a]
          = either > 0 ? (double)both / either : NAN;
      }
}

double
philia_linkpred_rank (double        score,
                      const double *neg,
                      gsize         n_neg)
{
  gsize optimistic = 0, pessimistic = 0;

  g_return_val_if_fail (neg != NULL || n_neg == 0, NAN);

  for (gsize j = 0; j < n_neg; j++)
    {
      optimistic += neg[j] > score;
      pessimistic += neg[j] >= score;
    }
  return 0.5 * (optimistic + pessimistic) + 1;
}

double
philia_linkpred_mrr (const double *pos,
                     gsize         n_pos,
                     const double *neg,
                     gsize         n_neg_each)
{
  double sum = 0;

  g_return_val_if_fail (pos != NULL || n_pos == 0, NAN);
  g_return_val_if_fail (neg != NULL || n_pos * n_neg_each == 0, NAN);

  if (n_pos == 0)
    return NAN;
  for (gsize i = 0; i < n_pos; i++)
    sum += 1.0 / philia_linkpred_rank (pos[i], neg + i * n_neg_each, n_neg_each);
  return sum / n_pos;
}

double
philia_linkpred_auc (const double *pos,
                     gsize         n_pos,
                     const double *neg,
                     gsize         n_neg)
{
  g_autofree double *p = NULL;
  g_autofree double *q = NULL;
  double wins = 0;
  gsize below = 0, equal_end = 0;

  g_return_val_if_fail (pos != NULL || n_pos == 0, NAN);
  g_return_val_if_fail (neg != NULL || n_neg == 0, NAN);

  if (n_pos == 0 || n_neg == 0)
    return NAN;
  p = g_memdup2 (pos, sizeof (double) * n_pos);
  q = g_memdup2 (neg, sizeof (double) * n_neg);
  qsort (p, n_pos, sizeof (double), compare_ascending);
  qsort (q, n_neg, sizeof (double), compare_ascending);
  /* For ascending positives: negatives strictly below and up to equal. */
  for (gsize i = 0; i < n_pos; i++)
    {
      while (below < n_neg && q[below] < p[i])
        below++;
      equal_end = MAX (equal_end, below);
      while (equal_end < n_neg && q[equal_end] == p[i])
        equal_end++;
      wins += below + 0.5 * (equal_end - below);
    }
  return wins / ((double)n_pos * n_neg);
}

/* ----------------------------------------------------------------- split */

void
philia_link_split_free (PhiliaLinkSplit *split)
{
  if (split == NULL)
    return;
  g_clear_object (&split->full);
  g_clear_object (&split->train);
  g_free (split->valid);
  g_free (split->test);
  g_free (split->valid_neg);
  g_free (split->test_neg);
  g_free (split->test_mrr_neg);
  g_free (split);
}

/* @count distinct non-edges (u < v) of the graph, none already in @seen. */
static gint64 *
sample_non_edges (PhiliaGraph *graph,
                  GRand       *rand,
                  GHashTable  *seen,
                  gint64       count)
{
  guint n = philia_graph_get_n_nodes (graph);
  gint64 *out = g_new (gint64, 2 * MAX (count, 1));

  for (gint64 i = 0; i < count;)
    {
      gint64 a = g_rand_int_range (rand, 0, (gint32)n);
      gint64 b = g_rand_int_range (rand, 0, (gint32)n - 1);
      gint64 key, *stored;

      if (b >= a)
        b++;
      if (a > b)
        {
          gint64 t = a;

          a = b, b = t;
        }
      if (philia_graph_find_edge (graph, (guint)a, (guint)b) >= 0)
        continue;
      key = a * (gint64)n + b;
      if (g_hash_table_contains (seen, &key))
        continue;
      stored = g_new (gint64, 1);
      *stored = key;
      g_hash_table_add (seen, stored);
      out[2 * i] = a;
      out[2 * i + 1] = b;
      i++;
    }
  return out;
}

gint64 *
philia_linkpred_sample_non_edges (PhiliaGraph  *graph,
                                  gsize         count,
                                  guint64       seed,
                                  GError      **error)
{
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GHashTable) seen = NULL;
  guint n;
  gint64 available;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = philia_graph_get_n_nodes (graph);
  available = (gint64)n * (n - (gint64)1) / 2 - philia_graph_get_n_edges (graph);
  if ((gint64)count > available)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("The graph has %" PRId64 " non-edges, too few for %zu negative pairs."),
                   available, count);
      return NULL;
    }
  rand = g_rand_new_with_seed_array ((const guint32[]) { (guint32)seed, (guint32)(seed >> 32) },
                                     2);
  seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  return sample_non_edges (graph, rand, seen, (gint64)count);
}

PhiliaLinkSplit *
philia_link_split_new (PhiliaGraph  *graph,
                       double        valid_share,
                       double        test_share,
                       guint         n_mrr_neg,
                       guint64       seed,
                       GError      **error)
{
  g_autoptr(PhiliaLinkSplit) split = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(PhiliaGraphBuilder) builder = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autofree gint64 *edges = NULL;
  g_autofree gint64 *train = NULL;
  g_autofree guint32 *stamp = NULL;
  g_autofree guint *candidates = NULL;
  const gint64 *off;
  const gint32 *nbr;
  guint n, f;
  gint64 m, available;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(valid_share >= 0 && test_share >= 0 && valid_share + test_share <= 1))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("The valid and test shares must be non-negative and sum to at most 1, "
                      "not %g and %g."), valid_share, test_share);
      return NULL;
    }

  n = philia_graph_get_n_nodes (graph);
  m = philia_graph_get_n_edges (graph);
  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);

  split = g_new0 (PhiliaLinkSplit, 1);
  split->full = g_object_ref (graph);
  split->seed = seed;
  split->n_mrr_neg = n_mrr_neg;
  split->n_test = (gint64)round (m * test_share);
  split->n_valid = (gint64)round (m * valid_share);
  split->n_valid = MIN (split->n_valid, m - split->n_test);
  split->n_train = m - split->n_test - split->n_valid;

  available = (gint64)n * (n - (gint64)1) / 2 - m;
  if (split->n_test + split->n_valid > available)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("The graph has %" PRId64 " non-edges, too few for %" PRId64
                      " negative pairs."), available, split->n_test + split->n_valid);
      return NULL;
    }

  edges = g_new (gint64, 2 * MAX (m, 1));
  for (guint u = 0, at = 0; u < n; u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      if (nbr[e] > (gint32)u)
        {
          edges[at++] = u;
          edges[at++] = nbr[e];
        }
  rand = g_rand_new_with_seed_array ((const guint32[]) { (guint32)seed, (guint32)(seed >> 32) },
                                     2);
  for (gint64 i = m - 1; i > 0; i--)
    {
      gint64 j = (gint64)(g_rand_double (rand) * (i + 1));
      gint64 a = edges[2 * i], b = edges[2 * i + 1];

      j = MIN (j, i);
      edges[2 * i] = edges[2 * j];
      edges[2 * i + 1] = edges[2 * j + 1];
      edges[2 * j] = a;
      edges[2 * j + 1] = b;
    }
  split->test = g_memdup2 (edges, sizeof (gint64) * 2 * MAX (split->n_test, 1));
  split->valid = g_memdup2 (edges + 2 * split->n_test,
                            sizeof (gint64) * 2 * MAX (split->n_valid, 1));
  train = g_memdup2 (edges + 2 * (split->n_test + split->n_valid),
                     sizeof (gint64) * 2 * MAX (split->n_train, 1));

  builder = philia_graph_builder_new (n);
  if (split->n_train > 0)
    philia_graph_builder_take_edges (builder, g_steal_pointer (&train), split->n_train);
  f = philia_graph_get_n_features (graph);
  if (f > 0 && philia_graph_get_features (graph) != NULL)
    philia_graph_builder_take_features (builder,
                                        g_memdup2 (philia_graph_get_features (graph),
                                                   sizeof (float) * n * f), f);
  if (philia_graph_get_labels (graph) != NULL && n > 0)
    {
      gint64 *labels = g_new (gint64, n);

      for (guint v = 0; v < n; v++)
        labels[v] = philia_graph_get_labels (graph)[v];
      philia_graph_builder_take_labels (builder, labels);
    }
  philia_graph_builder_set_source (builder, philia_graph_get_source (graph), "link-split");
  split->train = philia_graph_builder_build (builder, error);
  if (split->train == NULL)
    return NULL;

  seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  split->test_neg = sample_non_edges (graph, rand, seen, split->n_test);
  split->valid_neg = sample_non_edges (graph, rand, seen, split->n_valid);

  /* Per-edge MRR negatives: distinct non-neighbours of the edge's first node. */
  split->test_mrr_neg = g_new (gint64, MAX (split->n_test * n_mrr_neg, 1));
  stamp = g_new0 (guint32, MAX (n, 1));
  candidates = g_new (guint, MAX (n, 1));
  for (gint64 i = 0; i < split->n_test && n_mrr_neg > 0; i++)
    {
      guint u = (guint)split->test[2 * i];
      gint64 *row = split->test_mrr_neg + i * n_mrr_neg;
      gint64 free_count = (gint64)n - 1 - (off[u + 1] - off[u]);
      guint32 mark = (guint32)i + 1;

      if (free_count <= 2 * (gint64)n_mrr_neg)
        {
          /* Few candidates: list them and draw without replacement. */
          guint c = 0;

          for (guint w = 0; w < n; w++)
            if (w != u && philia_graph_find_edge (graph, u, w) < 0)
              candidates[c++] = w;
          for (guint j = 0; j < n_mrr_neg; j++)
            {
              if (j < c)
                {
                  guint k = j + (guint)g_rand_int_range (rand, 0, (gint32)(c - j));
                  guint t = candidates[j];

                  candidates[j] = candidates[k];
                  candidates[k] = t;
                  row[j] = candidates[j];
                }
              else
                row[j] = -1;
            }
          continue;
        }
      for (guint j = 0; j < n_mrr_neg;)
        {
          guint w = (guint)g_rand_int_range (rand, 0, (gint32)n);

          if (w == u || stamp[w] == mark || philia_graph_find_edge (graph, u, w) >= 0)
            continue;
          stamp[w] = mark;
          row[j++] = w;
        }
    }

  return g_steal_pointer (&split);
}

/* ------------------------------------------------------------- evaluate */

/**
 * philia_link_split_eval_pairs:
 * @n_pairs: (out): how many pairs
 *
 * The pairs every predictor scores on @split, 2 ids each: the n_test test
 * edges, then the n_test shared negatives, then each test edge's MRR
 * negatives in order (the −1 pads left out). Free with g_free().
 */
gint64 *
philia_link_split_eval_pairs (const PhiliaLinkSplit *split,
                              gint64                *n_pairs_out)
{
  gint64 n_test = split->n_test, n_pairs = 0;
  guint n_mrr = split->n_mrr_neg;
  gint64 *pairs = g_new (gint64, 2 * MAX (n_test * (2 + n_mrr), 1));

  for (gint64 i = 0; i < n_test; i++, n_pairs++)
    {
      pairs[2 * n_pairs] = split->test[2 * i];
      pairs[2 * n_pairs + 1] = split->test[2 * i + 1];
    }
  for (gint64 i = 0; i < n_test; i++, n_pairs++)
    {
      pairs[2 * n_pairs] = split->test_neg[2 * i];
      pairs[2 * n_pairs + 1] = split->test_neg[2 * i + 1];
    }
  for (gint64 i = 0; i < n_test; i++)
    for (guint j = 0; j < n_mrr; j++)
      if (split->test_mrr_neg[i * n_mrr + j] >= 0)
        {
          pairs[2 * n_pairs] = split->test[2 * i];
          pairs[2 * n_pairs + 1] = split->test_mrr_neg[i * n_mrr + j];
          n_pairs++;
        }
  *n_pairs_out = n_pairs;
  return pairs;
}

/**
 * philia_linkpred_result_new_from_scores:
 * @name: what scored them
 * @scores: one score per pair of philia_link_split_eval_pairs(), higher
 *   meaning likelier
 *
 * Hits@K, MRR and AUC by the OGB rules, the same for every predictor; the
 * result's heuristic is PHILIA_PROXIMITY_N_HEURISTICS (set it for a built-in).
 */
PhiliaLinkpredResult *
philia_linkpred_result_new_from_scores (const PhiliaLinkSplit *split,
                                        const char            *name,
                                        const double          *scores)
{
  PhiliaLinkpredResult *result;
  g_autofree double *row = NULL;
  gint64 n_test = split->n_test;
  guint n_mrr = split->n_mrr_neg;
  double mrr_sum = 0;

  result = g_new0 (PhiliaLinkpredResult, 1);
  result->heuristic = PHILIA_PROXIMITY_N_HEURISTICS;
  result->name = g_strdup (name);
  result->n_test = n_test;
  result->test_pos = g_memdup2 (scores, sizeof (double) * MAX (n_test, 1));
  result->test_neg = g_memdup2 (scores + n_test, sizeof (double) * MAX (n_test, 1));
  for (guint k = 0; k < G_N_ELEMENTS (philia_linkpred_hits_ks); k++)
    result->hits[k] = philia_linkpred_hits_at_k (result->test_pos, n_test, result->test_neg,
                                                 n_test, philia_linkpred_hits_ks[k]);
  result->auc = philia_linkpred_auc (result->test_pos, n_test, result->test_neg, n_test);

  /* Each edge against its own negatives (a row may be short: −1 pads). */
  row = g_new (double, MAX (n_mrr, 1));
  for (gint64 i = 0, at = 2 * n_test; i < n_test; i++)
    {
      guint c = 0;

      for (guint j = 0; j < n_mrr; j++)
        if (split->test_mrr_neg[i * n_mrr + j] >= 0)
          row[c++] = scores[at++];
      mrr_sum += 1.0 / philia_linkpred_rank (result->test_pos[i], row, c);
    }
  result->mrr = n_test > 0 ? mrr_sum / n_test : NAN;
  return result;
}

void
philia_linkpred_result_free (PhiliaLinkpredResult *result)
{
  if (result == NULL)
    return;
  g_free (result->name);
  g_free (result->test_pos);
  g_free (result->test_neg);
  g_free (result);
}

PhiliaLinkpredResult *
philia_linkpred_result_copy (const PhiliaLinkpredResult *result)
{
  PhiliaLinkpredResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_memdup2 (result, sizeof *result);
  copy->name = g_strdup (result->name);
  copy->test_pos = g_memdup2 (result->test_pos, sizeof (double) * MAX (result->n_test, 1));
  copy->test_neg = g_memdup2 (result->test_neg, sizeof (double) * MAX (result->n_test, 1));
  return copy;
}

static double
orient (PhiliaProximityHeuristic heuristic,
        double                   score)
{
  if (heuristic != PHILIA_PROXIMITY_SP)
    return score;
  return score < 0 ? -INFINITY : -score;
}

/* One of @heuristic (a built-in) or @algorithm (a registered one, e.g. a
 * plugin's; heuristic is then PHILIA_PROXIMITY_N_HEURISTICS). */
static PhiliaLinkpredResult *
evaluate (PhiliaLinkSplit             *split,
          const PhiliaProximityParams *params,
          PhiliaProximityHeuristic     heuristic,
          const PhiliaAlgorithm       *algorithm,
          GCancellable                *cancellable,
          GError                     **error)
{
  g_autoptr(PhiliaLinkpredResult) result = NULL;
  g_autofree gint64 *pairs = NULL;
  g_autofree double *scores = NULL;
  const char *name;
  gint64 n_pairs = 0;

  if (heuristic == PHILIA_PROXIMITY_FP && philia_graph_get_n_features (split->train) == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("Feature similarity needs node features, and the graph has none."));
      return NULL;
    }

  pairs = philia_link_split_eval_pairs (split, &n_pairs);
  scores = g_new (double, MAX (n_pairs, 1));
  if (algorithm != NULL)
    {
      /* A registered heuristic's scores are "higher is likelier" already. */
      if (!philia_proximity_compute (algorithm, split->train, params, pairs, (gsize) n_pairs,
                                     scores, cancellable, error))
        return NULL;
    }
  else
    {
      if (!philia_proximity_score_pairs (split->train, params, pairs, n_pairs,
                                         PHILIA_PROXIMITY_MASK (heuristic), scores, cancellable,
                                         error))
        return NULL;
      for (gint64 i = 0; i < n_pairs; i++)
        scores[i] = orient (heuristic, scores[i]);
    }

  name = algorithm != NULL ? algorithm->id : philia_proximity_heuristic_to_string (heuristic);
  result = philia_linkpred_result_new_from_scores (split, name, scores);
  result->heuristic = heuristic;
  return g_steal_pointer (&result);
}

PhiliaLinkpredResult *
philia_linkpred_evaluate (PhiliaLinkSplit             *split,
                          const PhiliaProximityParams *params,
                          PhiliaProximityHeuristic     heuristic,
                          GCancellable                *cancellable,
                          GError                     **error)
{
  g_return_val_if_fail (split != NULL, NULL);
  g_return_val_if_fail ((guint)heuristic < PHILIA_PROXIMITY_N_HEURISTICS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return evaluate (split, params, heuristic, NULL, cancellable, error);
}

/**
 * philia_linkpred_evaluate_algorithm:
 * @algorithm: a PHILIA_FAMILY_PROXIMITY algorithm of the registry (a plugin's
 *   heuristic, say), whose higher scores mean likelier links
 *
 * philia_linkpred_evaluate() for a registered heuristic; the result's
 * heuristic is PHILIA_PROXIMITY_N_HEURISTICS and its name the algorithm's id.
 */
PhiliaLinkpredResult *
philia_linkpred_evaluate_algorithm (PhiliaLinkSplit             *split,
                                    const PhiliaProximityParams *params,
                                    const PhiliaAlgorithm       *algorithm,
                                    GCancellable                *cancellable,
                                    GError                     **error)
{
  g_return_val_if_fail (split != NULL, NULL);
  g_return_val_if_fail (algorithm != NULL && algorithm->family == PHILIA_FAMILY_PROXIMITY, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return evaluate (split, params, PHILIA_PROXIMITY_N_HEURISTICS, algorithm, cancellable, error);
}

/* --------------------------------------------------------------- report */

void
philia_linkpred_report_free (PhiliaLinkpredReport *report)
{
  if (report == NULL)
    return;
  for (guint i = 0; i < report->n_results; i++)
    philia_linkpred_result_free (report->results[i]);
  g_free (report->results);
  philia_link_split_free (report->split);
  g_free (report);
}

PhiliaLinkpredReport *
philia_linkpred_report_new (PhiliaGraph                 *graph,
                            const PhiliaProximityParams *params,
                            guint                        mask,
                            guint64                      seed,
                            guint                        n_mrr_neg,
                            PhiliaProgress              *progress,
                            GCancellable                *cancellable,
                            GError                     **error)
{
  g_autoptr(PhiliaLinkpredReport) report = NULL;
  guint done = 0;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (progress == NULL || PHILIA_IS_PROGRESS (progress), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  mask &= PHILIA_PROXIMITY_ALL;
  if (philia_graph_get_n_features (graph) == 0)
    mask &= ~PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_FP);
  if (mask == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("No heuristic to evaluate: feature similarity needs node features."));
      return NULL;
    }

  report = g_new0 (PhiliaLinkpredReport, 1);
  report->mask = mask;
  report->results = g_new0 (PhiliaLinkpredResult *, philia_proximity_mask_count (mask));
  if (progress != NULL)
    philia_progress_update (progress, 0, "Splitting the edges");
  report->split = philia_link_split_new (graph, 0.05, 0.10, n_mrr_neg, seed, error);
  if (report->split == NULL)
    return NULL;

  for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    {
      PhiliaLinkpredResult *result;

      if (!(mask & PHILIA_PROXIMITY_MASK (h)))
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (progress != NULL)
        {
          g_autofree char *message =
            g_strdup_printf ("Scoring %s", philia_proximity_heuristic_to_string (h));

          philia_progress_update (progress, (double)done / philia_proximity_mask_count (mask),
                                  message);
        }
      result = philia_linkpred_evaluate (report->split, params, h, cancellable, error);
      if (result == NULL)
        return NULL;
      report->results[report->n_results++] = result;
      done++;
    }
  if (progress != NULL)
    philia_progress_update (progress, 1, "Done");
  return g_steal_pointer (&report);
}

typedef struct
{
  PhiliaGraph          *graph;
  PhiliaProximityParams params;
  guint                 mask;
  guint64               seed;
  guint                 n_mrr_neg;
  PhiliaProgress       *progress;
} ReportJob;

static void
report_job_free (ReportJob *job)
{
  g_clear_object (&job->graph);
  g_clear_object (&job->progress);
  g_free (job);
}

static void
report_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReportJob *job = task_data;
  PhiliaLinkpredReport *report;
  GError *error = NULL;

  report = philia_linkpred_report_new (job->graph, &job->params, job->mask, job->seed,
                                       job->n_mrr_neg, job->progress, cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify)philia_linkpred_report_free);
}

void
philia_linkpred_report_new_async (PhiliaGraph                 *graph,
                                  const PhiliaProximityParams *params,
                                  guint                        mask,
                                  guint64                      seed,
                                  guint                        n_mrr_neg,
                                  PhiliaProgress              *progress,
                                  GCancellable                *cancellable,
                                  GAsyncReadyCallback          callback,
                                  gpointer                     user_data)
{
  g_autoptr(GTask) task = NULL;
  ReportJob *job;

  g_return_if_fail (PHILIA_IS_GRAPH (graph));

  /* The graph is immutable; the parameters are copied so the caller may change its own. */
  job = g_new0 (ReportJob, 1);
  job->graph = g_object_ref (graph);
  if (params != NULL)
    job->params = *params;
  else
    philia_proximity_params_init_default (&job->params);
  job->mask = mask;
  job->seed = seed;
  job->n_mrr_neg = n_mrr_neg;
  job->progress = progress ? g_object_ref (progress) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, philia_linkpred_report_new_async);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify)report_job_free);
  g_task_run_in_thread (task, report_thread);
}

PhiliaLinkpredReport *
philia_linkpred_report_new_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == philia_linkpred_report_new_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

double
philia_linkpred_result_hits (const PhiliaLinkpredResult *result,
                             guint                       k)
{
  g_return_val_if_fail (result != NULL, NAN);

  return philia_linkpred_hits_at_k (result->test_pos, result->n_test, result->test_neg,
                                    result->n_test, k);
}

double *
philia_linkpred_report_overlap (const PhiliaLinkpredReport *report,
                                guint                       k)
{
  g_autofree gboolean *hits = NULL;
  double *out;
  gsize n_pos;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (k > 0, NULL);

  n_pos = report->split->n_test;
  hits = g_new (gboolean, MAX ((gsize)report->n_results * n_pos, 1));
  for (guint i = 0; i < report->n_results; i++)
    philia_linkpred_hit_set (report->results[i]->test_pos, n_pos, report->results[i]->test_neg,
                             n_pos, k, hits + (gsize)i * n_pos);
  out = g_new (double, MAX ((gsize)report->n_results * report->n_results, 1));
  philia_linkpred_overlap (hits, report->n_results, n_pos, out);
  return out;
}
