/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-enums.h"
#include "philia-proximity-private.h"

#include "philia-builtins-private.h"


void
philia_proximity_params_init_default (PhiliaProximityParams *params)
{
  g_return_if_fail (params != NULL);

  params->katz_beta = 0.005;
  params->katz_len = 3;
  params->ppr_alpha = 0.15;
  params->n_threads = 0;
  params->ppr_method = PHILIA_PROXIMITY_PPR_AUTO;
  params->ppr_epsilon = 0.25;
  params->ppr_delta = 0;
  params->ppr_failure = 0.01;
  params->ppr_seed = 0;
}

/* On the auto method the edge count alone decides, so a pair's score never
 * depends on which other pairs are scored with it (nor on the MPI ranks). */
PhiliaProximityPprMethod
philia_proximity_ppr_method_resolve (PhiliaGraph                 *graph,
                                     const PhiliaProximityParams *params)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), PHILIA_PROXIMITY_PPR_EXACT);
  g_return_val_if_fail (params != NULL, PHILIA_PROXIMITY_PPR_EXACT);

  if (params->ppr_method == PHILIA_PROXIMITY_PPR_BIPPR
      || params->ppr_method == PHILIA_PROXIMITY_PPR_EXACT)
    return params->ppr_method;
  return philia_graph_get_row_offsets (graph)[philia_graph_get_n_nodes (graph)] / 2
         >= PHILIA_PROXIMITY_PPR_AUTO_EDGES
         ? PHILIA_PROXIMITY_PPR_BIPPR : PHILIA_PROXIMITY_PPR_EXACT;
}

double
philia_proximity_ppr_delta (PhiliaGraph                 *graph,
                            const PhiliaProximityParams *params)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NAN);
  g_return_val_if_fail (params != NULL, NAN);

  return _philia_proximity_bippr_delta (graph, params);
}

char *
philia_proximity_ppr_describe (PhiliaGraph                 *graph,
                               const PhiliaProximityParams *params)
{
  char a[G_ASCII_DTOSTR_BUF_SIZE], e[G_ASCII_DTOSTR_BUF_SIZE], d[G_ASCII_DTOSTR_BUF_SIZE];
  char f[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (params != NULL, NULL);

  g_ascii_formatd (a, sizeof a, "%g", params->ppr_alpha);
  if (philia_proximity_ppr_method_resolve (graph, params) == PHILIA_PROXIMITY_PPR_EXACT)
    return g_strdup_printf ("exact, alpha %s, |error| <= 1e-10", a);
  g_ascii_formatd (e, sizeof e, "%g", params->ppr_epsilon);
  g_ascii_formatd (d, sizeof d, "%.6g", philia_proximity_ppr_delta (graph, params));
  g_ascii_formatd (f, sizeof f, "%g", params->ppr_failure);
  return g_strdup_printf ("bippr, alpha %s, |error| <= %s * max(score, %s) "
                          "with probability >= 1 - %s per pair, seed %" G_GUINT64_FORMAT,
                          a, e, d, f, params->ppr_seed);
}

const char *
philia_proximity_heuristic_to_string (PhiliaProximityHeuristic heuristic)
{
  g_return_val_if_fail ((guint)heuristic < PHILIA_PROXIMITY_N_HEURISTICS, NULL);
  return philia_enum_to_nick (PHILIA_TYPE_PROXIMITY_HEURISTIC, heuristic);
}

/* Names are matched regardless of case ("CN" is cn); the nicks are lower
 * case, so the name is folded before it is looked up. */
gboolean
philia_proximity_heuristic_from_string (const char               *name,
                                        PhiliaProximityHeuristic *heuristic)
{
  g_autofree char *folded = NULL;
  int value;

  g_return_val_if_fail (name != NULL, FALSE);

  folded = g_ascii_strdown (name, -1);
  if (!philia_enum_from_nick (PHILIA_TYPE_PROXIMITY_HEURISTIC, folded, &value))
    return FALSE;
  if (heuristic != NULL)
    *heuristic = value;
  return TRUE;
}

gboolean
philia_proximity_parse_mask (const char  *list,
                             guint       *mask,
                             GError     **error)
{
  g_auto(GStrv) names = NULL;
  guint result = 0;

  g_return_val_if_fail (list != NULL, FALSE);
  g_return_val_if_fail (mask != NULL, FALSE);

  names = g_strsplit (list, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      PhiliaProximityHeuristic h;
      char *name = g_strstrip (names[i]);

      if (!philia_proximity_heuristic_from_string (name, &h))
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                       _ ("Unknown heuristic “%s”; known heuristics: cn, jaccard, aa, ra, pa, "
                          "katz, ppr, sp, fp."), name);
          return FALSE;
        }
      result |= PHILIA_PROXIMITY_MASK (h);
    }
  if (result == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("The list of heuristics is empty."));
      return FALSE;
    }
  *mask = result;
  return TRUE;
}

guint
philia_proximity_mask_count (guint mask)
{
  return (guint)__builtin_popcount (mask & PHILIA_PROXIMITY_ALL);
}

static gboolean
check_params (const PhiliaProximityParams  *params,
              GError                      **error)
{
  if (!(params->katz_beta > 0 && isfinite (params->katz_beta)))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("Katz β must be a positive number, not %g."), params->katz_beta);
      return FALSE;
    }
  if (!(params->ppr_alpha > 0 && params->ppr_alpha <= 1))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("The PageRank restart probability α must be in (0, 1], not %g."),
                   params->ppr_alpha);
      return FALSE;
    }
  if ((guint)params->ppr_method > PHILIA_PROXIMITY_PPR_BIPPR)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("Unknown PageRank method %u."), (guint)params->ppr_method);
      return FALSE;
    }
  if (!(params->ppr_epsilon > 0 && isfinite (params->ppr_epsilon)))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("The PageRank relative error ε must be a positive number, not %g."),
                   params->ppr_epsilon);
      return FALSE;
    }
  if (!(params->ppr_delta >= 0 && params->ppr_delta <= 1))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("The PageRank score floor δ must be in [0, 1] (0: one over the number "
                      "of nodes), not %g."), params->ppr_delta);
      return FALSE;
    }
  if (!(params->ppr_failure > 0 && params->ppr_failure < 1))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("The PageRank failure probability must be in (0, 1), not %g."),
                   params->ppr_failure);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------ λ_max */

/* Power iteration on A + I (whose top eigenvalue is 1 + λ_max and which does
 * not oscillate on bipartite graphs). With x > 0: the Rayleigh quotient is a
 * lower bound and max_i (Ax)_i / x_i an upper bound (Collatz–Wielandt). When
 * @beta > 0 it stops as soon as β < 1/λ_max is decided either way. */
static void
lambda_bounds (PhiliaGraph *graph,
               double       beta,
               double      *lower,
               double      *upper)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  double lo = 0, hi = 0;

  if (philia_graph_get_n_edges (graph) == 0)
    {
      *lower = *upper = 0;
      return;
    }

  x = g_new (double, n);
  y = g_new (double, n);
  for (guint i = 0; i < n; i++)
    x[i] = 1.0;

  hi = G_MAXDOUBLE;
  for (guint it = 0; it < 10000; it++)
    {
      double xx = 0, xax = 0, ratio = 0, top = 0;

      for (guint i = 0; i < n; i++)
        {
          double s = 0;

          for (gint64 e = off[i]; e < off[i + 1]; e++)
            s += x[nbr[e]];
          y[i] = s;
          xx += x[i] * x[i];
          xax += x[i] * s;
          if (x[i] > 0)
            ratio = MAX (ratio, s / x[i]);
        }
      lo = MAX (lo, xax / xx);
      hi = MIN (hi, ratio);
      if (hi - lo <= 1e-10 * hi)
        break;
      if (beta > 0 && (beta * hi < 1 - 1e-6 || beta * lo >= 1))
        break;
      for (guint i = 0; i < n; i++)
        {
          y[i] += x[i];
          top = MAX (top, y[i]);
        }
      for (guint i = 0; i < n; i++)
        x[i] = y[i] / top;
    }
  *lower = lo;
  *upper = hi;
}

void
philia_proximity_lambda_max (PhiliaGraph *graph,
                             double      *lower,
                             double      *upper)
{
  double lo, hi;

  g_return_if_fail (PHILIA_IS_GRAPH (graph));

  lambda_bounds (graph, 0, &lo, &hi);
  if (lower)
    *lower = lo;
  if (upper)
    *upper = hi;
}


/* philia_proximity_score_pairs() for a mask of PPR and more: the others in
 * one call, PPR in another, then one table. */
static gboolean
score_with_ppr_apart (PhiliaGraph                 *graph,
                      const PhiliaProximityParams *params,
                      const gint64                *pairs,
                      gsize                        n_pairs,
                      guint                        mask,
                      double                      *out,
                      GCancellable                *cancellable,
                      GError                     **error)
{
  guint ppr = PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR);
  guint n_cols = philia_proximity_mask_count (mask);
  g_autofree double *rest = g_new (double, MAX (n_pairs * (n_cols - 1), 1));
  g_autofree double *ppr_scores = g_new (double, MAX (n_pairs, 1));

  if (!philia_proximity_score_pairs (graph, params, pairs, n_pairs, mask & ~ppr, rest,
                                     cancellable, error)
      || !philia_proximity_score_pairs (graph, params, pairs, n_pairs, ppr, ppr_scores,
                                        cancellable, error))
    return FALSE;
  philia_proximity_join_column (mask, PHILIA_PROXIMITY_PPR, rest, ppr_scores, n_pairs, out);
  return TRUE;
}

void
philia_proximity_join_column (guint                     mask,
                              PhiliaProximityHeuristic  heuristic,
                              const double             *rest,
                              const double             *column,
                              gsize                     n_pairs,
                              double                   *out)
{
  guint n_cols = philia_proximity_mask_count (mask), col = 0;

  g_return_if_fail ((guint)heuristic < PHILIA_PROXIMITY_N_HEURISTICS);
  g_return_if_fail (mask & PHILIA_PROXIMITY_MASK (heuristic));

  for (guint h = 0; h < (guint)heuristic; h++)
    col += (mask & PHILIA_PROXIMITY_MASK (h)) != 0;
  for (gsize i = 0; i < n_pairs; i++)
    {
      double *row = out + i * n_cols;
      const double *from = rest + i * (n_cols - 1);

      memcpy (row, from, sizeof (double) * col);
      row[col] = column[i];
      memcpy (row + col + 1, from + col, sizeof (double) * (n_cols - 1 - col));
    }
}

gboolean
philia_proximity_score_pairs (PhiliaGraph                 *graph,
                              const PhiliaProximityParams *params,
                              const gint64                *pairs,
                              gsize                        n_pairs,
                              guint                        heuristics_mask,
                              double                      *out,
                              GCancellable                *cancellable,
                              GError                     **error)
{
  g_auto(Job) job = { 0 };
  PhiliaProximityParams defaults;
  guint n_threads;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), FALSE);
  g_return_val_if_fail (pairs != NULL || n_pairs == 0, FALSE);
  g_return_val_if_fail (out != NULL || n_pairs == 0, FALSE);
  g_return_val_if_fail (heuristics_mask != 0 && (heuristics_mask & ~PHILIA_PROXIMITY_ALL) == 0,
                        FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (params == NULL)
    {
      philia_proximity_params_init_default (&defaults);
      params = &defaults;
    }
  if (!check_params (params, error))
    return FALSE;
  /* PPR turns pairs to solve them from the end that covers more of them
   * (philia-proximity-ppr.c), which the other heuristics must not see: it
   * runs on its own and its column is interleaved. */
  if ((heuristics_mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR))
      && heuristics_mask != PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR))
    return score_with_ppr_apart (graph, params, pairs, n_pairs, heuristics_mask, out,
                                 cancellable, error);
  /* Heuristics that read only the two rows of a pair skip the grouping by
   * source: one pass over the pairs in their order. */
  if ((heuristics_mask & ~(LOCAL_MASK | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PA)
                           | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_FP))) == 0)
    return _philia_proximity_score_pairs_fast (graph, params, pairs, n_pairs, heuristics_mask,
                                               out, error);

  g_mutex_init (&job.lock);
  job.graph = graph;
  job.n = philia_graph_get_n_nodes (graph);
  job.off = philia_graph_get_row_offsets (graph);
  job.nbr = philia_graph_get_neighbors (graph);
  job.params = *params;
  job.mask = heuristics_mask;
  job.pairs = pairs;
  job.out = out;
  job.cancellable = cancellable;
  for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    job.col[h] = (heuristics_mask & PHILIA_PROXIMITY_MASK (h)) ? (int)job.n_cols++ : -1;

  for (gsize i = 0; i < 2 * n_pairs; i++)
    if (pairs[i] < 0 || pairs[i] >= (gint64)job.n)
      {
        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                     _ ("Pair %zu names node %" PRId64
                        ", but the graph has %u nodes."), i / 2, pairs[i], job.n);
        return FALSE;
      }
  if (n_pairs == 0)
    return TRUE;
  /* Here PPR is alone in the mask (see above). */
  if (heuristics_mask == PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR)
      && philia_proximity_ppr_method_resolve (graph, params) == PHILIA_PROXIMITY_PPR_BIPPR)
    return _philia_proximity_bippr_score_pairs (graph, params, pairs, n_pairs, out, cancellable,
                                                error);

  if (heuristics_mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_KATZ) && params->katz_len == 0)
    {
      double lo, hi;

      lambda_bounds (graph, params->katz_beta, &lo, &hi);
      if (params->katz_beta * hi >= 1 - 1e-6)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                       _ ("Exact Katz needs β < 1/λ_max = %.6g (λ_max ≈ %.6g by power iteration), "
                          "but β = %g."), 1 / hi, hi, params->katz_beta);
          return FALSE;
        }
      job.lambda_hi = hi;
    }

  if (heuristics_mask & LOCAL_MASK)
    {
      job.inv_log_deg = g_new (double, job.n);
      for (guint v = 0; v < job.n; v++)
        job.inv_log_deg[v] = 1.0 / log ((double)(job.off[v + 1] - job.off[v]));
    }
  if (heuristics_mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_FP))
    {
      job.n_features = philia_graph_get_n_features (graph);
      job.features = philia_graph_get_features (graph);
    }
  if (heuristics_mask & (PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR)
                         | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_KATZ)))
    _philia_proximity_job_components (&job);
  if (heuristics_mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR))
    {
      _philia_proximity_ppr_turn_pairs (&job, n_pairs);
      _philia_proximity_ppr_relabel (&job);
    }

  /* Counting sort of the pairs by source. */
  job.start = g_new0 (gsize, (gsize)job.n + 1);
  for (gsize i = 0; i < n_pairs; i++)
    job.start[job.pairs[2 * i] + 1]++;
  job.sources = g_new (guint, MAX (job.n, 1));
  for (guint k = 0; k < job.n; k++)
    {
      guint v = job.comp_nodes ? job.comp_nodes[k] : k;

      if (job.start[v + 1] > 0)
        job.sources[job.n_sources++] = v;
    }
  for (guint v = 0; v < job.n; v++)
    job.start[v + 1] += job.start[v];
  job.order = g_new (gsize, n_pairs);
  {
    g_autofree gsize *fill = g_memdup2 (job.start, sizeof (gsize) * job.n);

    for (gsize i = 0; i < n_pairs; i++)
      job.order[fill[job.pairs[2 * i]]++] = i;
  }

  /* Measured on 10^5 nodes / 10^6 edges: a block of 8 columns costs less
   * than twice one column, even far beyond L2. The width only shrinks to keep
   * the five block vectors per thread under about 64 MB. */
  job.width = CLAMP (64 * 1024 * 1024 / 40 / MAX (job.n, 1), 1, BLOCK);
  /* PPR's two block vectors likewise stay under about 64 MB per thread. */
  job.ppr_width = CLAMP (64 * 1024 * 1024 / 16 / MAX (job.n, 1), 1, PPR_BLOCK);
  if (job.ppr_width >= 8)
    job.ppr_width -= job.ppr_width % 8;   /* whole vectors (philia-proximity-ppr.c) */

  n_threads = params->n_threads ? params->n_threads : g_get_num_processors ();
  n_threads = CLAMP (n_threads, 1, MAX (job.n_sources / 8, 1));
  _philia_proximity_run_threads ("philia-proximity", n_threads, _philia_proximity_worker, &job);

  if (job.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job.error));
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (job.turned != NULL)
    _philia_proximity_ppr_map_back (&job, n_pairs);
  return TRUE;
}

double
philia_proximity_score (PhiliaGraph                 *graph,
                        const PhiliaProximityParams *params,
                        PhiliaProximityHeuristic     heuristic,
                        guint                        u,
                        guint                        v,
                        GError                     **error)
{
  gint64 pair[2] = { u, v };
  double value = NAN;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NAN);
  g_return_val_if_fail ((guint)heuristic < PHILIA_PROXIMITY_N_HEURISTICS, NAN);

  if (!philia_proximity_score_pairs (graph, params, pair, 1, PHILIA_PROXIMITY_MASK (heuristic),
                                     &value, NULL, error))
    return NAN;
  return value;
}

/* ------------------------------------------------------ why this link */

GArray *
philia_proximity_common_neighbors (PhiliaGraph *graph,
                                   guint        u,
                                   guint        v)
{
  const gint64 *off;
  const gint32 *nbr;
  GArray *result;
  gint64 a, b;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (u < philia_graph_get_n_nodes (graph), NULL);
  g_return_val_if_fail (v < philia_graph_get_n_nodes (graph), NULL);

  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  result = g_array_new (FALSE, FALSE, sizeof (PhiliaCommonNeighbor));
  /* Rows are sorted: merge. */
  for (a = off[u], b = off[v]; a < off[u + 1] && b < off[v + 1];)
    {
      if (nbr[a] < nbr[b])
        a++;
      else if (nbr[a] > nbr[b])
        b++;
      else
        {
          PhiliaCommonNeighbor c;

          c.node = (guint)nbr[a];
          c.degree = (guint)(off[c.node + 1] - off[c.node]);
          c.aa = 1.0 / log ((double)c.degree);
          c.ra = 1.0 / c.degree;
          g_array_append_val (result, c);
          a++, b++;
        }
    }
  return result;
}

double
philia_proximity_katz_paths (PhiliaGraph *graph,
                             guint        u,
                             guint        v,
                             guint        max_len,
                             double       beta,
                             double      *counts)
{
  guint n;
  const gint64 *off;
  const gint32 *nbr;
  g_autofree double *cur = NULL;
  g_autofree double *next = NULL;
  double sum = 0, beta_l = 1;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NAN);
  n = philia_graph_get_n_nodes (graph);
  g_return_val_if_fail (u < n && v < n, NAN);
  g_return_val_if_fail (counts != NULL || max_len == 0, NAN);

  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  cur = g_new0 (double, n);
  next = g_new0 (double, n);
  cur[u] = 1;
  for (guint l = 1; l <= max_len; l++)
    {
      double *t;

      for (guint i = 0; i < n; i++)
        {
          double s = 0;

          for (gint64 e = off[i]; e < off[i + 1]; e++)
            s += cur[nbr[e]];
          next[i] = s;
        }
      t = cur, cur = next, next = t;
      beta_l *= beta;
      counts[l - 1] = cur[v];
      sum += beta_l * cur[v];
    }
  return sum;
}

GArray *
philia_proximity_shortest_path (PhiliaGraph *graph,
                                guint        u,
                                guint        v)
{
  guint n;
  const gint64 *off;
  const gint32 *nbr;
  g_autofree gint32 *parent = NULL;
  g_autofree guint *queue = NULL;
  GArray *path;
  gsize head = 0, tail = 0;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  n = philia_graph_get_n_nodes (graph);
  g_return_val_if_fail (u < n && v < n, NULL);

  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  path = g_array_new (FALSE, FALSE, sizeof (guint));
  parent = g_new (gint32, n);
  queue = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    parent[i] = -1;
  parent[u] = (gint32)u;
  queue[tail++] = u;
  while (head < tail && parent[v] < 0)
    {
      guint x = queue[head++];

      for (gint64 e = off[x]; e < off[x + 1]; e++)
        if (parent[nbr[e]] < 0)
          {
            parent[nbr[e]] = (gint32)x;
            queue[tail++] = (guint)nbr[e];
          }
    }
  if (parent[v] < 0)
    return path;
  for (guint x = v;; x = (guint)parent[x])
    {
      g_array_prepend_val (path, x);
      if (x == u)
        break;
    }
  return path;
}

static int
compare_suggestions (gconstpointer a,
                     gconstpointer b)
{
  const PhiliaProximitySuggestion *x = a, *y = b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return (x->node > y->node) - (x->node < y->node);
}

GArray *
philia_proximity_suggest (PhiliaGraph                 *graph,
                          const PhiliaProximityParams *params,
                          PhiliaProximityHeuristic     heuristic,
                          guint                        u,
                          guint                        k,
                          GCancellable                *cancellable,
                          GError                     **error)
{
  guint n;
  const gint64 *off;
  const gint32 *nbr;
  g_autofree gint64 *pairs = NULL;
  g_autofree double *scores = NULL;
  g_autoptr(GArray) result = NULL;
  gsize n_pairs = 0;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail ((guint)heuristic < PHILIA_PROXIMITY_N_HEURISTICS, NULL);
  n = philia_graph_get_n_nodes (graph);
  g_return_val_if_fail (u < n, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  pairs = g_new (gint64, 2 * (gsize)n);
  for (guint v = 0, e = 0; v < n; v++)
    {
      while (off[u] + e < off[u + 1] && (guint)nbr[off[u] + e] < v)
        e++;
      if (v == u || (off[u] + e < off[u + 1] && (guint)nbr[off[u] + e] == v))
        continue;
      pairs[2 * n_pairs] = u;
      pairs[2 * n_pairs + 1] = v;
      n_pairs++;
    }
  scores = g_new (double, MAX (n_pairs, 1));
  if (!philia_proximity_score_pairs (graph, params, pairs, n_pairs,
                                     PHILIA_PROXIMITY_MASK (heuristic), scores, cancellable,
                                     error))
    return NULL;

  result = g_array_sized_new (FALSE, FALSE, sizeof (PhiliaProximitySuggestion), n_pairs);
  for (gsize i = 0; i < n_pairs; i++)
    {
      PhiliaProximitySuggestion s = { (guint)pairs[2 * i + 1], scores[i] };

      if (isnan (s.score))
        continue;
      if (heuristic == PHILIA_PROXIMITY_SP)
        {
          if (s.score < 0)
            continue;
          s.score = -s.score;   /* nearest first; restored below */
        }
      g_array_append_val (result, s);
    }
  g_array_sort (result, compare_suggestions);
  if (result->len > k)
    g_array_set_size (result, k);
  if (heuristic == PHILIA_PROXIMITY_SP)
    for (guint i = 0; i < result->len; i++)
      g_array_index (result, PhiliaProximitySuggestion, i).score *= -1;
  return g_steal_pointer (&result);
}

typedef struct
{
  PhiliaGraph              *graph;
  PhiliaProximityParams     params;
  PhiliaProximityHeuristic  heuristic;
  guint                     u;
  guint                     k;
  PhiliaProgress           *progress;
} SuggestJob;

static void
suggest_job_free (SuggestJob *job)
{
  g_clear_object (&job->graph);
  g_clear_object (&job->progress);
  g_free (job);
}

static void
suggest_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SuggestJob *job = task_data;
  GError *error = NULL;
  GArray *result = philia_proximity_suggest (job->graph, &job->params, job->heuristic, job->u,
                                             job->k, cancellable, &error);

  if (result == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (job->progress != NULL)
    philia_progress_update (job->progress, 1, "Done");
  g_task_return_pointer (task, result, (GDestroyNotify)g_array_unref);
}

void
philia_proximity_suggest_async (PhiliaGraph                 *graph,
                                const PhiliaProximityParams *params,
                                PhiliaProximityHeuristic     heuristic,
                                guint                        u,
                                guint                        k,
                                PhiliaProgress              *progress,
                                GCancellable                *cancellable,
                                GAsyncReadyCallback          callback,
                                gpointer                     user_data)
{
  g_autoptr(GTask) task = NULL;
  SuggestJob *job;

  g_return_if_fail (PHILIA_IS_GRAPH (graph));
  g_return_if_fail (progress == NULL || PHILIA_IS_PROGRESS (progress));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (SuggestJob, 1);
  job->graph = g_object_ref (graph);
  if (params != NULL)
    job->params = *params;
  else
    philia_proximity_params_init_default (&job->params);
  job->heuristic = heuristic;
  job->u = u;
  job->k = k;
  job->progress = progress != NULL ? g_object_ref (progress) : NULL;
  if (progress != NULL)
    philia_progress_update (progress, 0, "Ranking candidates");

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, philia_proximity_suggest_async);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify)suggest_job_free);
  g_task_run_in_thread (task, suggest_thread);
}

GArray *
philia_proximity_suggest_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == philia_proximity_suggest_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------ registry */

gboolean
philia_proximity_compute (const PhiliaAlgorithm       *algorithm,
                          PhiliaGraph                 *graph,
                          const PhiliaProximityParams *params,
                          const gint64                *pairs,
                          gsize                        n_pairs,
                          double                      *out,
                          GCancellable                *cancellable,
                          GError                     **error)
{
  const PhiliaProximityVTable *vtable;

  g_return_val_if_fail (algorithm != NULL, FALSE);
  g_return_val_if_fail (algorithm->family == PHILIA_FAMILY_PROXIMITY, FALSE);
  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), FALSE);
  g_return_val_if_fail (pairs != NULL || n_pairs == 0, FALSE);
  g_return_val_if_fail (out != NULL || n_pairs == 0, FALSE);

  vtable = algorithm->vtable;
  return vtable->score_pairs (graph, params, pairs, n_pairs, out, algorithm->vtable_data,
                              cancellable, error);
}

static gboolean
builtin_score_pairs (PhiliaGraph                 *graph,
                     const PhiliaProximityParams *params,
                     const gint64                *pairs,
                     gsize                        n_pairs,
                     double                      *out,
                     gpointer                     data,
                     GCancellable                *cancellable,
                     GError                     **error)
{
  return philia_proximity_score_pairs (graph, params, pairs, n_pairs,
                                       PHILIA_PROXIMITY_MASK (GPOINTER_TO_UINT (data)), out,
                                       cancellable, error);
}

static const PhiliaProximityVTable builtin_vtable = { builtin_score_pairs };

void
_philia_proximity_register (PhiliaRegistry *registry)
{
#define P(h, name, desc) \
  { philia_proximity_heuristic_to_string (h), PHILIA_FAMILY_PROXIMITY, name, desc, \
    PHILIA_PROVIDER_BUILTIN, \
    &builtin_vtable, GUINT_TO_POINTER (h) }
  const PhiliaAlgorithm heuristics[] = {
    P (PHILIA_PROXIMITY_CN, "Common neighbours", N_ ("Neighbours the two nodes share.")),
    P (PHILIA_PROXIMITY_JACCARD, "Jaccard",
       N_ ("Shared neighbours over all neighbours of either.")),
    P (PHILIA_PROXIMITY_AA, "Adamic–Adar",
       N_ ("Shared neighbours, each weighted by one over the log of its degree.")),
    P (PHILIA_PROXIMITY_RA, "Resource allocation",
       N_ ("Shared neighbours, each weighted by one over its degree.")),
    P (PHILIA_PROXIMITY_PA, "Preferential attachment", N_ ("The product of the two degrees.")),
    P (PHILIA_PROXIMITY_KATZ, "Katz",
       N_ ("Walks between the two nodes, those of length l weighted by β to the l.")),
    P (PHILIA_PROXIMITY_PPR, "Personalized PageRank",
       N_ ("Where a random walk restarting at the first node spends its time.")),
    P (PHILIA_PROXIMITY_SP, "Shortest path", N_ ("Hop distance (−1 if unreachable).")),
    P (PHILIA_PROXIMITY_FP, "Feature similarity", N_ ("Cosine similarity of the feature vectors.")),
  };
#undef P
  g_autoptr(GError) error = NULL;

  if (!philia_registry_add_all (registry, heuristics, G_N_ELEMENTS (heuristics), &error))
    g_critical ("Built-in proximity heuristics: %s", error->message);
}

void
_philia_proximity_run_threads (const char *name,
                               guint       n_threads,
                               GThreadFunc func,
                               gpointer    data)
{
  g_autofree GThread **threads = NULL;

  if (n_threads <= 1)
    {
      func (data);
      return;
    }
  threads = g_new (GThread *, n_threads);
  for (guint t = 0; t < n_threads; t++)
    threads[t] = g_thread_new (name, func, data);
  for (guint t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);
}
