/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

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

static gboolean
has_edge (const gint64 *off,
          const gint32 *nbr,
          gint64        u,
          gint64        v)
{
  gint64 lo = off[u], hi = off[u + 1];

  while (lo < hi)
    {
      gint64 mid = lo + (hi - lo) / 2;

      if (nbr[mid] < v)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < off[u + 1] && nbr[lo] == v;
}

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
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
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
      if (has_edge (off, nbr, a, b))
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
                   "The valid and test shares must be non-negative and sum to at most 1, "
                   "not %g and %g.", valid_share, test_share);
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
                   "The graph has %" G_GINT64_FORMAT " non-edges, too few for %" G_GINT64_FORMAT
                   " negative pairs.", available, split->n_test + split->n_valid);
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
            if (w != u && !has_edge (off, nbr, u, w))
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

          if (w == u || stamp[w] == mark || has_edge (off, nbr, u, w))
            continue;
          stamp[w] = mark;
          row[j++] = w;
        }
    }

  return g_steal_pointer (&split);
}

/* ------------------------------------------------------------- evaluate */

void
philia_linkpred_result_free (PhiliaLinkpredResult *result)
{
  if (result == NULL)
    return;
  g_free (result->test_pos);
  g_free (result->test_neg);
  g_free (result);
}

static double
orient (PhiliaProximityHeuristic heuristic,
        double                   score)
{
  if (heuristic != PHILIA_PROXIMITY_SP)
    return score;
  return score < 0 ? -INFINITY : -score;
}

PhiliaLinkpredResult *
philia_linkpred_evaluate (PhiliaLinkSplit             *split,
                          const PhiliaProximityParams *params,
                          PhiliaProximityHeuristic     heuristic,
                          GCancellable                *cancellable,
                          GError                     **error)
{
  g_autoptr(PhiliaLinkpredResult) result = NULL;
  g_autofree gint64 *pairs = NULL;
  g_autofree double *scores = NULL;
  g_autofree double *row = NULL;
  gint64 n_test, n_pairs = 0;
  guint n_mrr;
  double mrr_sum = 0;

  g_return_val_if_fail (split != NULL, NULL);
  g_return_val_if_fail ((guint)heuristic < PHILIA_PROXIMITY_N_HEURISTICS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (heuristic == PHILIA_PROXIMITY_FP && philia_graph_get_n_features (split->train) == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   "Feature similarity needs node features, and the graph has none.");
      return NULL;
    }

  n_test = split->n_test;
  n_mrr = split->n_mrr_neg;
  pairs = g_new (gint64, 2 * MAX (n_test * (2 + n_mrr), 1));
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

  scores = g_new (double, MAX (n_pairs, 1));
  if (!philia_proximity_score_pairs (split->train, params, pairs, n_pairs,
                                     PHILIA_PROXIMITY_MASK (heuristic), scores, cancellable,
                                     error))
    return NULL;
  for (gint64 i = 0; i < n_pairs; i++)
    scores[i] = orient (heuristic, scores[i]);

  result = g_new0 (PhiliaLinkpredResult, 1);
  result->heuristic = heuristic;
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

  return g_steal_pointer (&result);
}
