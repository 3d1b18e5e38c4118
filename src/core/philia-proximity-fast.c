/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include <math.h>

#include "philia-core.h"
#include "philia-parallel-private.h"
#include "philia-proximity-private.h"

/* ---------------------------------------- pa and fp: nothing per source */

/* ---------------------------------------- pa and fp: nothing per source */

/* Both need only the two rows of a pair, so they skip the grouping by source
 * and the per-node tables: one pass over the pairs, ids checked in the same
 * pass (the bench's numpy baseline is two gathers and a product; anything
 * more than a tight loop loses to it on pa). */
typedef struct
{
  const gint64 *pairs;
  gsize         begin, end;
  guint         n;
  const gint64 *off;
  const double *degrees;
  const float  *features;
  guint         n_features;
  double       *out;
  guint         n_cols;
  int           col_pa, col_fp;
  const gint32 *nbr;
  int           col_cn, col_jaccard, col_aa, col_ra;
  gboolean      local;        /* any of cn, jaccard, aa, ra */
  gsize         bad;          /* first pair with an id out of range, or G_MAXSIZE */
} FastJob;

/* Pairs [begin, end) of job @task. */
static void
fast_task (gpointer data,
           guint    task)
{
  FastJob *job = (FastJob *)data + task;
  const gint64 *pairs = job->pairs;
  const gint64 *off = job->off;
  double *out = job->out;
  guint n = job->n, f = job->n_features, stride = job->n_cols;
  int col_pa = job->col_pa, col_fp = job->col_fp;
  gboolean have_features = f > 0 && job->features != NULL;

  if (col_fp < 0 && !job->local)
    {
      const double *degrees = job->degrees;

      /* pa alone: a loop with only the (never taken) range check, measured
       * twice as fast as checking every id in a pass of its own. */
      for (gsize i = job->begin; i < job->end; i++)
        {
          guint64 u = (guint64)pairs[2 * i], v = (guint64)pairs[2 * i + 1];

          if (G_UNLIKELY (u >= n || v >= n))
            {
              job->bad = i;
              return;
            }
          out[i * stride + col_pa] = degrees[u] * degrees[v];
        }
      return;
    }

  for (gsize i = job->begin; i < job->end; i++)
    {
      guint64 u = (guint64)pairs[2 * i], v = (guint64)pairs[2 * i + 1];
      double *row = out + i * stride;

      if (G_UNLIKELY (u >= n || v >= n))
        {
          job->bad = i;
          return;
        }
      if (job->local)
        {
          const gint32 *nbr = job->nbr;
          const gint32 *a = nbr + off[u], *a1 = nbr + off[u + 1];
          const gint32 *b = nbr + off[v], *b1 = nbr + off[v + 1];
          guint du = (guint)(a1 - a), dv = (guint)(b1 - b), cn = 0;
          double aa = 0, ra = 0;

          /* Random pairs touch random rows: the offsets of a pair eight
           * ahead, the rows of a pair four ahead, are asked for now. */
          if (i + 8 < job->end)
            {
              guint64 pu = (guint64)pairs[2 * (i + 8)], pv = (guint64)pairs[2 * (i + 8) + 1];

              if (pu < n && pv < n)
                {
                  __builtin_prefetch (off + pu);
                  __builtin_prefetch (off + pv);
                }
            }
          if (i + 4 < job->end)
            {
              guint64 pu = (guint64)pairs[2 * (i + 4)], pv = (guint64)pairs[2 * (i + 4) + 1];

              if (pu < n && pv < n)
                {
                  __builtin_prefetch (nbr + off[pu]);
                  __builtin_prefetch (nbr + off[pv]);
                }
            }
          while (a < a1 && b < b1)
            {
              gint32 x = *a, y = *b;

              if (x == y)
                {
                  double d = (double)(off[x + 1] - off[x]);

                  cn++;
                  aa += 1.0 / log (d);
                  ra += 1.0 / d;
                }
              a += x <= y;
              b += y <= x;
            }
          if (job->col_cn >= 0)
            row[job->col_cn] = cn;
          if (job->col_jaccard >= 0)
            row[job->col_jaccard] = du + dv - cn > 0 ? (double)cn / (du + dv - cn) : 0.0;
          if (job->col_aa >= 0)
            row[job->col_aa] = aa;
          if (job->col_ra >= 0)
            row[job->col_ra] = ra;
        }
      if (col_pa >= 0)
        row[col_pa] = (double)(off[u + 1] - off[u]) * (double)(off[v + 1] - off[v]);
      if (col_fp >= 0)
        {
          if (!have_features)
            row[col_fp] = NAN;
          else
            {
              /* Rows are far apart in memory: ask for the next pair's early. */
              if (i + 4 < job->end)
                {
                  guint64 pu = (guint64)pairs[2 * (i + 4)], pv = (guint64)pairs[2 * (i + 4) + 1];

                  if (pu < n && pv < n)
                    {
                      __builtin_prefetch (job->features + pu * f);
                      __builtin_prefetch (job->features + pv * f);
                    }
                }
              row[col_fp] = cosine (job->features + u * f, job->features + v * f, f);
            }
        }
    }
}

/* The degrees as doubles, computed once per graph and kept on it (the graph
 * is immutable): pa then reads two numbers a pair instead of four offsets. */
static const double *
cached_degrees (PhiliaGraph *graph)
{
  static GMutex lock;
  static GQuark quark;
  double *degrees;

  g_mutex_lock (&lock);
  if (quark == 0)
    quark = g_quark_from_static_string ("philia-proximity-degrees");
  degrees = g_object_get_qdata (G_OBJECT (graph), quark);
  if (degrees == NULL)
    {
      guint n = philia_graph_get_n_nodes (graph);
      const gint64 *off = philia_graph_get_row_offsets (graph);

      degrees = g_new (double, MAX (n, 1));
      for (guint v = 0; v < n; v++)
        degrees[v] = (double)(off[v + 1] - off[v]);
      g_object_set_qdata_full (G_OBJECT (graph), quark, degrees, g_free);
    }
  g_mutex_unlock (&lock);
  return degrees;
}

/* cn, jaccard, aa, ra, pa and/or fp for every pair; FALSE with @error for an
 * id out of range. */
gboolean
_philia_proximity_score_pairs_fast (PhiliaGraph                 *graph,
                                    const PhiliaProximityParams *params,
                                    const gint64                *pairs,
                                    gsize                        n_pairs,
                                    guint                        mask,
                                    double                      *out,
                                    GError                     **error)
{
  FastJob base = { 0 };
  FastJob jobs[16];
  guint n_threads, cols = 0;
  gsize bad = G_MAXSIZE;

  base.pairs = pairs;
  base.n = philia_graph_get_n_nodes (graph);
  base.off = philia_graph_get_row_offsets (graph);
  base.out = out;
  base.col_pa = base.col_fp = -1;
  base.col_cn = base.col_jaccard = base.col_aa = base.col_ra = -1;
  base.nbr = philia_graph_get_neighbors (graph);
  base.local = (mask & LOCAL_MASK) != 0;
  /* Columns in heuristic order: cn, jaccard, aa, ra, pa, …, fp. */
  if (mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_CN))
    base.col_cn = (int)cols++;
  if (mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_JACCARD))
    base.col_jaccard = (int)cols++;
  if (mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_AA))
    base.col_aa = (int)cols++;
  if (mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_RA))
    base.col_ra = (int)cols++;
  if (mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PA))
    {
      base.col_pa = (int)cols++;
      base.degrees = cached_degrees (graph);
    }
  if (mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_FP))
    {
      base.col_fp = (int)cols++;
      base.n_features = philia_graph_get_n_features (graph);
      base.features = philia_graph_get_features (graph);
    }
  base.n_cols = cols;
  base.bad = G_MAXSIZE;

  /* Threads only pay off when each gets real work: fp rows are memory-bound,
   * pa is about a nanosecond a pair (the process's worker team starts in
   * microseconds when warm, but a cold one costs a futex wake-up each). */
  n_threads = params->n_threads ? params->n_threads : g_get_num_processors ();
  if (base.local)
    n_threads = MIN (n_threads, (guint)(n_pairs / (1u << 14)) + 1);
  else if (base.col_fp < 0 || base.features == NULL)
    n_threads = MIN (n_threads, (guint)(n_pairs / (1u << 15)) + 1);
  else
    n_threads = MIN (n_threads, (guint)(n_pairs * MAX (base.n_features, 1) / (1u << 16)) + 1);
  n_threads = CLAMP (n_threads, 1, G_N_ELEMENTS (jobs));

  for (guint t = 0; t < n_threads; t++)
    {
      jobs[t] = base;
      jobs[t].begin = n_pairs * t / n_threads;
      jobs[t].end = n_pairs * (t + 1) / n_threads;
    }
  philia_parallel_run (n_threads, n_threads, fast_task, jobs);
  for (guint t = 0; t < n_threads; t++)
    bad = MIN (bad, jobs[t].bad);

  if (bad != G_MAXSIZE)
    {
      gint64 id = (guint64)pairs[2 * bad] >= base.n ? pairs[2 * bad] : pairs[2 * bad + 1];

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("Pair %zu names node %" PRId64
                      ", but the graph has %u nodes."), bad, id, base.n);
      return FALSE;
    }
  return TRUE;
}
