/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-parallel-private.h"

void _philia_proximity_register (PhiliaRegistry *registry);

static const char * const heuristic_names[PHILIA_PROXIMITY_N_HEURISTICS] = {
  "cn", "jaccard", "aa", "ra", "pa", "katz", "ppr", "sp", "fp",
};

#define LOCAL_MASK (PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_CN)      \
                    | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_JACCARD) \
                    | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_AA)      \
                    | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_RA))

/* Groups of at most this many targets get a bidirectional BFS per pair: on an
 * expander a one-sided BFS to distance k touches d^k nodes, two sides 2 d^(k/2),
 * and a one-sided BFS has to reach the farthest target of the group. */
#define BIDIRECTIONAL_MAX_TARGETS 32

/* Sources solved together by the blocked CG of exact Katz and PPR. */
#define BLOCK 8

typedef struct
{
  guint        u;
  const gsize *pairs;
  gsize        n_pairs;
} Source;

void
philia_proximity_params_init_default (PhiliaProximityParams *params)
{
  g_return_if_fail (params != NULL);

  params->katz_beta = 0.005;
  params->katz_len = 3;
  params->ppr_alpha = 0.15;
  params->n_threads = 0;
}

const char *
philia_proximity_heuristic_to_string (PhiliaProximityHeuristic heuristic)
{
  g_return_val_if_fail ((guint)heuristic < PHILIA_PROXIMITY_N_HEURISTICS, NULL);
  return heuristic_names[heuristic];
}

gboolean
philia_proximity_heuristic_from_string (const char               *name,
                                        PhiliaProximityHeuristic *heuristic)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    if (g_ascii_strcasecmp (name, heuristic_names[h]) == 0)
      {
        if (heuristic != NULL)
          *heuristic = h;
        return TRUE;
      }
  return FALSE;
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
                       "Unknown heuristic “%s”; known heuristics: cn, jaccard, aa, ra, pa, "
                       "katz, ppr, sp, fp.", name);
          return FALSE;
        }
      result |= PHILIA_PROXIMITY_MASK (h);
    }
  if (result == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION, "The list of heuristics is empty.");
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
                   "Katz β must be a positive number, not %g.", params->katz_beta);
      return FALSE;
    }
  if (!(params->ppr_alpha > 0 && params->ppr_alpha <= 1))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   "The PageRank restart probability α must be in (0, 1], not %g.",
                   params->ppr_alpha);
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

/* ------------------------------------------------------------- the job */

typedef struct
{
  PhiliaGraph           *graph;
  guint                  n;
  const gint64          *off;
  const gint32          *nbr;
  PhiliaProximityParams  params;
  guint                  mask;
  guint                  n_cols;
  int                    col[PHILIA_PROXIMITY_N_HEURISTICS];
  const gint64          *pairs;
  double                *out;

  /* Pairs grouped by source: order[start[u] .. start[u+1]) are the pair
   * indices of source u; sources lists the distinct u, component by
   * component when a solver runs (so solver blocks share a component). */
  guint                  n_sources;
  guint                 *sources;
  gsize                 *start;
  gsize                 *order;

  double                *inv_log_deg;   /* 1 / ln d(w), for aa */
  const float           *features;
  guint                  n_features;
  double                 lambda_hi;     /* exact Katz */
  double                *inv_sqrt_deg;  /* PPR */
  guint                 *comp_off;      /* components: comp_nodes[comp_off[c] .. comp_off[c+1]) */
  guint                 *comp_nodes;
  guint                 *comp_of;
  gint64                *comp_ends;     /* Σ d over the component */
  guint                  width;         /* sources per CG block */

  gint                   next;
  GCancellable          *cancellable;
  GMutex                 lock;
  GError                *error;
} Job;

typedef struct
{
  guint32 *stamp;       /* N(u) marks, epoch-stamped */
  guint32  epoch;
  double  *cur, *next, *acc;
  guint   *cur_list, *next_list, *acc_list;
  guint8  *in_acc;
  double  *cg_x, *cg_r, *cg_p, *cg_q, *cg_t;
  gint32  *dist_s, *dist_t;
  guint   *queue_s, *queue_t;
  guint32 *target_stamp;
} Work;

static void
work_clear (Work *w)
{
  g_free (w->stamp);
  g_free (w->cur);
  g_free (w->next);
  g_free (w->acc);
  g_free (w->cur_list);
  g_free (w->next_list);
  g_free (w->acc_list);
  g_free (w->in_acc);
  g_free (w->cg_x);
  g_free (w->cg_r);
  g_free (w->cg_p);
  g_free (w->cg_q);
  g_free (w->cg_t);
  g_free (w->dist_s);
  g_free (w->dist_t);
  g_free (w->queue_s);
  g_free (w->queue_t);
  g_free (w->target_stamp);
  memset (w, 0, sizeof *w);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Work, work_clear)

static void
work_init (Work      *w,
           const Job *job)
{
  gsize n = MAX (job->n, 1);
  gboolean katz_exact = (job->mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_KATZ))
                        && job->params.katz_len == 0;

  memset (w, 0, sizeof *w);
  w->stamp = g_new0 (guint32, n);
  if ((job->mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_KATZ)) && !katz_exact)
    {
      w->cur = g_new0 (double, n);
      w->next = g_new0 (double, n);
      w->acc = g_new0 (double, n);
      w->cur_list = g_new (guint, n);
      w->next_list = g_new (guint, n);
      w->acc_list = g_new (guint, n);
      w->in_acc = g_new0 (guint8, n);
    }
  if (katz_exact || (job->mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR)))
    {
      w->cg_x = g_new0 (double, n * job->width);
      w->cg_r = g_new0 (double, n * job->width);
      w->cg_p = g_new0 (double, n * job->width);
      w->cg_q = g_new0 (double, n * job->width);
      w->cg_t = g_new0 (double, n * job->width);
    }
  if (job->mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_SP))
    {
      w->dist_s = g_new (gint32, n);
      w->dist_t = g_new (gint32, n);
      for (gsize i = 0; i < n; i++)
        w->dist_s[i] = w->dist_t[i] = -1;
      w->queue_s = g_new (guint, n);
      w->queue_t = g_new (guint, n);
      w->target_stamp = g_new0 (guint32, n);
    }
}

static inline double *
cell (const Job               *job,
      gsize                    pair,
      PhiliaProximityHeuristic h)
{
  return job->out + pair * job->n_cols + job->col[h];
}

static inline guint
pair_target (const Job *job,
             gsize      pair)
{
  return (guint)job->pairs[2 * pair + 1];
}

static inline void
store_local (const Job *job,
             gsize      pair,
             guint      du,
             guint      dv,
             guint      cn,
             double     aa,
             double     ra)
{
  if (job->col[PHILIA_PROXIMITY_CN] >= 0)
    *cell (job, pair, PHILIA_PROXIMITY_CN) = cn;
  if (job->col[PHILIA_PROXIMITY_JACCARD] >= 0)
    {
      guint uni = du + dv - cn;

      *cell (job, pair, PHILIA_PROXIMITY_JACCARD) = uni > 0 ? (double)cn / uni : 0.0;
    }
  if (job->col[PHILIA_PROXIMITY_AA] >= 0)
    *cell (job, pair, PHILIA_PROXIMITY_AA) = aa;
  if (job->col[PHILIA_PROXIMITY_RA] >= 0)
    *cell (job, pair, PHILIA_PROXIMITY_RA) = ra;
}

static void
do_local_merge (const Job   *job,
                guint        u,
                const gsize *pairs,
                gsize        n_pairs)
{
  const gint32 *a0 = job->nbr + job->off[u], *a1 = job->nbr + job->off[u + 1];

  for (gsize i = 0; i < n_pairs; i++)
    {
      guint v = pair_target (job, pairs[i]);
      const gint32 *a = a0, *b = job->nbr + job->off[v], *b1 = job->nbr + job->off[v + 1];
      guint dv = (guint)(b1 - b), cn = 0;
      double aa = 0, ra = 0;

      while (a < a1 && b < b1)
        {
          gint32 x = *a, y = *b;

          if (x == y)
            {
              cn++;
              aa += job->inv_log_deg[x];
              ra += 1.0 / (double)(job->off[x + 1] - job->off[x]);
            }
          a += x <= y;
          b += y <= x;
        }
      store_local (job, pairs[i], (guint)(a1 - a0), dv, cn, aa, ra);
    }
}

static void
do_local (const Job   *job,
          Work        *w,
          guint        u,
          const gsize *pairs,
          gsize        n_pairs)
{
  guint du = (guint)(job->off[u + 1] - job->off[u]);

  /* A source with few targets (random pairs: nearly all) intersects the two
   * sorted rows: two cache misses a pair, where stamping u's neighbours
   * and probing them costs one per neighbour. Many targets share stamps. */
  if (n_pairs <= 2)
    {
      do_local_merge (job, u, pairs, n_pairs);
      return;
    }

  w->epoch++;
  for (gint64 e = job->off[u]; e < job->off[u + 1]; e++)
    w->stamp[job->nbr[e]] = w->epoch;

  for (gsize i = 0; i < n_pairs; i++)
    {
      guint v = pair_target (job, pairs[i]);
      guint dv = (guint)(job->off[v + 1] - job->off[v]);
      double aa = 0, ra = 0;
      guint cn = 0;

      for (gint64 e = job->off[v]; e < job->off[v + 1]; e++)
        {
          guint x = (guint)job->nbr[e];

          if (w->stamp[x] == w->epoch)
            {
              double d = (double)(job->off[x + 1] - job->off[x]);

              cn++;
              aa += job->inv_log_deg[x];
              ra += 1.0 / d;
            }
        }
      if (job->col[PHILIA_PROXIMITY_CN] >= 0)
        *cell (job, pairs[i], PHILIA_PROXIMITY_CN) = cn;
      if (job->col[PHILIA_PROXIMITY_JACCARD] >= 0)
        {
          guint uni = du + dv - cn;

          *cell (job, pairs[i], PHILIA_PROXIMITY_JACCARD) = uni > 0 ? (double)cn / uni : 0.0;
        }
      if (job->col[PHILIA_PROXIMITY_AA] >= 0)
        *cell (job, pairs[i], PHILIA_PROXIMITY_AA) = aa;
      if (job->col[PHILIA_PROXIMITY_RA] >= 0)
        *cell (job, pairs[i], PHILIA_PROXIMITY_RA) = ra;
    }
}

/* Walk counts x_l = A^l e_u for l < L as sparse scatters, their β-weighted sum
 * in acc; the last power only at the targets: (A^L)_{uv} = Σ_{w∈N(v)} x_{L−1}[w]. */
static void
do_katz_truncated (const Job   *job,
                   Work        *w,
                   guint        u,
                   const gsize *pairs,
                   gsize        n_pairs)
{
  guint L = job->params.katz_len;
  double beta = job->params.katz_beta, beta_l = 1;
  gsize n_cur = 1, n_acc = 0;

  w->cur[u] = 1;
  w->cur_list[0] = u;
  for (guint l = 1; l < L; l++)
    {
      gsize n_next = 0;

      beta_l *= beta;
      for (gsize i = 0; i < n_cur; i++)
        {
          guint x = w->cur_list[i];
          double cx = w->cur[x];

          for (gint64 e = job->off[x]; e < job->off[x + 1]; e++)
            {
              guint y = (guint)job->nbr[e];

              if (w->next[y] == 0)
                w->next_list[n_next++] = y;
              w->next[y] += cx;
            }
        }
      for (gsize i = 0; i < n_cur; i++)
        w->cur[w->cur_list[i]] = 0;
      for (gsize i = 0; i < n_next; i++)
        {
          guint y = w->next_list[i];

          if (!w->in_acc[y])
            {
              w->in_acc[y] = 1;
              w->acc_list[n_acc++] = y;
            }
          w->acc[y] += beta_l * w->next[y];
        }
      {
        double *t = w->cur;
        guint *tl = w->cur_list;

        w->cur = w->next;
        w->cur_list = w->next_list;
        w->next = t;
        w->next_list = tl;
        n_cur = n_next;
      }
    }
  beta_l *= beta;

  for (gsize i = 0; i < n_pairs; i++)
    {
      guint v = pair_target (job, pairs[i]);
      double last = 0;

      for (gint64 e = job->off[v]; e < job->off[v + 1]; e++)
        last += w->cur[job->nbr[e]];
      *cell (job, pairs[i], PHILIA_PROXIMITY_KATZ) = w->acc[v] + beta_l * last;
    }

  for (gsize i = 0; i < n_cur; i++)
    w->cur[w->cur_list[i]] = 0;
  for (gsize i = 0; i < n_acc; i++)
    {
      w->acc[w->acc_list[i]] = 0;
      w->in_acc[w->acc_list[i]] = 0;
    }
}

/* acc += Σ_e t[nbr[e]] for full blocks: constant trip counts keep acc in
 * registers, and the random gathers are fetched a few neighbours ahead. */
static inline void
gather_block (const double * restrict t,
              const gint32 * restrict nbr,
              gint64                  from,
              gint64                  to,
              gint64                  end,
              double * restrict       acc)
{
  double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;

  for (gint64 e = from; e < to; e++)
    {
      const double *tn = t + (gsize)nbr[e] * BLOCK;

      if (e + 8 < end)
        __builtin_prefetch (t + (gsize)nbr[e + 8] * BLOCK);
      a0 += tn[0], a1 += tn[1], a2 += tn[2], a3 += tn[3];
      a4 += tn[4], a5 += tn[5], a6 += tn[6], a7 += tn[7];
    }
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
  acc[4] = a4, acc[5] = a5, acc[6] = a6, acc[7] = a7;
}

/* Conjugate gradients for (I − c W A W) X = diag(s) [e_u1 … e_uB] over one
 * component, W diagonal (NULL = identity), for nb ≤ BLOCK sources at once:
 * vectors are interleaved (entry i of column j at i·nb + j), so one sweep
 * over the CSR serves every column and each gathered neighbour is one cache
 * line, not BLOCK of them. Each column has its own scalars and stops on its
 * own. With @weighted_l1, column j stops when Σ_i |r_ij| / w_i ≤ tol (the L1
 * norm of the residual mapped back by W⁻¹, what PPR's bound needs);
 * otherwise when ‖r_j‖₂ ≤ tol. Returns FALSE if @max_it was hit first. */
static gboolean
solve_cg_block (const Job    *job,
                Work         *w,
                const guint  *us,
                guint         nb,
                double        c,
                const double *weight,
                const double *s,
                gboolean      weighted_l1,
                double        tol,
                guint         max_it)
{
  guint comp = job->comp_of[us[0]];
  const guint *nodes = job->comp_nodes + job->comp_off[comp];
  guint size = job->comp_off[comp + 1] - job->comp_off[comp];
  double *x = w->cg_x, *r = w->cg_r, *p = w->cg_p, *q = w->cg_q;
  /* What the product gathers: W p (one random stream instead of two). */
  double *t = weight != NULL ? w->cg_t : p;
  gint64 end = job->off[job->n];
  double rr[BLOCK], norm[BLOCK];
  gboolean active[BLOCK];
  guint n_active = nb;

  for (guint j = 0; j < BLOCK; j++)
    {
      active[j] = j < nb;
      rr[j] = j < nb ? s[j] * s[j] : 0;
      norm[j] = j < nb ? (weighted_l1 ? fabs (s[j]) / weight[us[j]] : fabs (s[j])) : 0;
      if (j < nb)
        {
          r[(gsize)us[j] * nb + j] = s[j];
          p[(gsize)us[j] * nb + j] = s[j];
          if (weight != NULL)
            t[(gsize)us[j] * nb + j] = s[j] * weight[us[j]];
        }
    }

  for (guint it = 0; it < max_it; it++)
    {
      double pq[BLOCK] = { 0 }, a[BLOCK], b[BLOCK], rr_new[BLOCK] = { 0 };

      for (guint j = 0; j < nb; j++)
        if (active[j] && norm[j] <= tol)
          {
            active[j] = FALSE;
            n_active--;
          }
      if (n_active == 0)
        return TRUE;

      for (guint k = 0; k < size; k++)
        {
          guint i = nodes[k];
          double acc[BLOCK] = { 0 };
          double *qi = q + (gsize)i * nb;
          const double *pi = p + (gsize)i * nb;
          double wi = weight != NULL ? weight[i] : 1.0;

          if (nb == BLOCK)
            gather_block (t, job->nbr, job->off[i], job->off[i + 1], end, acc);
          else
            for (gint64 e = job->off[i]; e < job->off[i + 1]; e++)
              {
                const double *tn = t + (gsize)job->nbr[e] * nb;

                for (guint j = 0; j < nb; j++)
                  acc[j] += tn[j];
              }
          for (guint j = 0; j < nb; j++)
            acc[j] *= wi;
          for (guint j = 0; j < nb; j++)
            {
              qi[j] = pi[j] - c * acc[j];
              pq[j] += pi[j] * qi[j];
            }
        }
      for (guint j = 0; j < nb; j++)
        {
          a[j] = active[j] ? rr[j] / pq[j] : 0;
          norm[j] = 0;
        }
      for (guint k = 0; k < size; k++)
        {
          guint i = nodes[k];
          double *xi = x + (gsize)i * nb, *ri = r + (gsize)i * nb;
          const double *pi = p + (gsize)i * nb, *qi = q + (gsize)i * nb;
          double scale = weighted_l1 ? 1 / weight[i] : 0;

          for (guint j = 0; j < nb; j++)
            {
              xi[j] += a[j] * pi[j];
              ri[j] -= a[j] * qi[j];
              rr_new[j] += ri[j] * ri[j];
              if (weighted_l1)
                norm[j] += fabs (ri[j]) * scale;
            }
        }
      for (guint j = 0; j < nb; j++)
        {
          b[j] = active[j] ? rr_new[j] / rr[j] : 1;
          if (!weighted_l1)
            norm[j] = sqrt (rr_new[j]);
          if (active[j])
            rr[j] = rr_new[j];
          else
            norm[j] = 0;
          if (!active[j])
            a[j] = 0;
        }
      for (guint k = 0; k < size; k++)
        {
          guint i = nodes[k];
          double *pi = p + (gsize)i * nb, *ti = t + (gsize)i * nb;
          const double *ri = r + (gsize)i * nb;

          for (guint j = 0; j < nb; j++)
            if (active[j])
              pi[j] = ri[j] + b[j] * pi[j];
          if (weight != NULL)
            for (guint j = 0; j < nb; j++)
              ti[j] = weight[i] * pi[j];
        }
    }
  for (guint j = 0; j < nb; j++)
    if (active[j] && norm[j] > tol)
      return FALSE;
  return TRUE;
}

static void
cg_reset (const Job *job,
          Work      *w,
          guint      u,
          guint      nb)
{
  guint comp = job->comp_of[u];

  for (guint k = job->comp_off[comp]; k < job->comp_off[comp + 1]; k++)
    {
      gsize i = (gsize)job->comp_nodes[k] * nb;

      memset (w->cg_x + i, 0, sizeof (double) * nb);
      memset (w->cg_r + i, 0, sizeof (double) * nb);
      memset (w->cg_p + i, 0, sizeof (double) * nb);
      memset (w->cg_q + i, 0, sizeof (double) * nb);
      memset (w->cg_t + i, 0, sizeof (double) * nb);
    }
}

/* Exact Katz for sources of one component: (I − βA) x = e_u, score x_v − [u = v]. */
static gboolean
do_katz_exact (Job          *job,
               Work         *w,
               const Source *src,
               guint         nb)
{
  double beta = job->params.katz_beta;
  /* ‖x − x̃‖₂ ≤ ‖r‖₂ / λ_min(I − βA) and λ_min ≥ 1 − β λ_max. */
  double tol = 1e-13 * (1 - beta * job->lambda_hi);
  double s[BLOCK];
  guint us[BLOCK];

  for (guint j = 0; j < nb; j++)
    s[j] = 1, us[j] = src[j].u;
  if (!solve_cg_block (job, w, us, nb, beta, NULL, s, FALSE, tol, 100000))
    {
      g_mutex_lock (&job->lock);
      if (job->error == NULL)
        g_set_error (&job->error, PHILIA_ERROR, PHILIA_ERROR_FAILED,
                     "Exact Katz did not converge for node %u; β = %g is too close to "
                     "1/λ_max.", us[0], beta);
      g_mutex_unlock (&job->lock);
      cg_reset (job, w, us[0], nb);
      return FALSE;
    }
  for (guint j = 0; j < nb; j++)
    for (gsize i = 0; i < src[j].n_pairs; i++)
      {
        guint v = pair_target (job, src[j].pairs[i]);
        double xv = job->comp_of[v] == job->comp_of[us[j]] ? w->cg_x[(gsize)v * nb + j] : 0;

        *cell (job, src[j].pairs[i], PHILIA_PROXIMITY_KATZ) = xv - (us[j] == v ? 1.0 : 0.0);
      }
  cg_reset (job, w, us[0], nb);
  return TRUE;
}

/* π = α e_u + (1−α) A D⁻¹ π, for sources of one component, none isolated
 * (so the component has no dangling node). With π = D^½ z this is
 * (I − (1−α) D^−½ A D^−½) z = α d_u^−½ e_u: symmetric positive definite with
 * condition ≤ (2−α)/α, so CG. The residual of π̃ = D^½ z̃ in the original
 * equation is ρ = D^½ r, and since A D⁻¹ is column-stochastic,
 * ‖π − π̃‖₁ ≤ ‖ρ‖₁ / α: stopping at ‖D^½ r‖₁ ≤ α · 0.5e-10 gives L1 error
 * below 1e-10 with room for rounding. */
static void
do_ppr (const Job    *job,
        Work         *w,
        const Source *src,
        guint         nb)
{
  double alpha = job->params.ppr_alpha;
  double s[BLOCK];
  guint us[BLOCK];

  for (guint j = 0; j < nb; j++)
    {
      us[j] = src[j].u;
      s[j] = alpha * job->inv_sqrt_deg[us[j]];
    }
  /* The condition bound makes 1000 iterations far more than enough; past
   * that only rounding is left. */
  solve_cg_block (job, w, us, nb, 1 - alpha, job->inv_sqrt_deg, s, TRUE, alpha * 0.5e-10, 1000);
  for (guint j = 0; j < nb; j++)
    for (gsize i = 0; i < src[j].n_pairs; i++)
      {
        guint v = pair_target (job, src[j].pairs[i]);
        double dv = (double)(job->off[v + 1] - job->off[v]);

        *cell (job, src[j].pairs[i], PHILIA_PROXIMITY_PPR)
          = job->comp_of[v] == job->comp_of[us[j]] ? sqrt (dv) * w->cg_x[(gsize)v * nb + j]
                                                   : 0.0;
      }
  cg_reset (job, w, us[0], nb);
}

/* Runs @solve on the sources of a chunk, in blocks of one component each. */
static gboolean
solve_in_blocks (Job          *job,
                 Work         *w,
                 const Source *src,
                 guint         n_src,
                 gboolean      ppr)
{
  Source block[BLOCK];
  guint nb = 0;

  for (guint k = 0; k <= n_src; k++)
    {
      gboolean flush = k == n_src
                       || (nb > 0 && (job->comp_of[src[k].u] != job->comp_of[block[0].u]
                                      || nb == job->width));

      if (flush && nb > 0)
        {
          if (ppr)
            do_ppr (job, w, block, nb);
          else if (!do_katz_exact (job, w, block, nb))
            return FALSE;
          nb = 0;
        }
      if (k == n_src)
        break;
      if (ppr && job->off[src[k].u + 1] == job->off[src[k].u])
        {
          /* An isolated u: every step dangles and returns to u. */
          for (gsize i = 0; i < src[k].n_pairs; i++)
            *cell (job, src[k].pairs[i], PHILIA_PROXIMITY_PPR)
              = pair_target (job, src[k].pairs[i]) == src[k].u ? 1 : 0;
          continue;
        }
      block[nb++] = src[k];
    }
  return TRUE;
}

static gint32
bidirectional_bfs (const Job *job,
                   Work      *w,
                   guint      s,
                   guint      t)
{
  gsize hs = 0, ts = 0, ls = 1, ht = 0, tt = 0, lt = 1;  /* heads, tails, level ends */
  gint32 best = G_MAXINT32;

  if (s == t)
    return 0;
  w->dist_s[s] = 0;
  w->queue_s[ts++] = s;
  w->dist_t[t] = 0;
  w->queue_t[tt++] = t;
  while (hs < ts && ht < tt && best == G_MAXINT32)
    {
      gboolean from_s = (ts - hs) <= (tt - ht);
      gint32 *d_this = from_s ? w->dist_s : w->dist_t;
      gint32 *d_other = from_s ? w->dist_t : w->dist_s;
      guint *queue = from_s ? w->queue_s : w->queue_t;
      gsize *head = from_s ? &hs : &ht, *tail = from_s ? &ts : &tt;
      gsize *level_end = from_s ? &ls : &lt;

      for (; *head < *level_end; (*head)++)
        {
          guint x = queue[*head];

          for (gint64 e = job->off[x]; e < job->off[x + 1]; e++)
            {
              guint y = (guint)job->nbr[e];

              if (d_other[y] >= 0)
                best = MIN (best, d_this[x] + 1 + d_other[y]);
              if (d_this[y] < 0)
                {
                  d_this[y] = d_this[x] + 1;
                  queue[(*tail)++] = y;
                }
            }
        }
      *level_end = *tail;
    }
  for (gsize i = 0; i < ts; i++)
    w->dist_s[w->queue_s[i]] = -1;
  for (gsize i = 0; i < tt; i++)
    w->dist_t[w->queue_t[i]] = -1;
  return best == G_MAXINT32 ? -1 : best;
}

static void
do_sp (const Job   *job,
       Work        *w,
       guint        u,
       const gsize *pairs,
       gsize        n_pairs)
{
  gsize head = 0, tail = 0, remaining = 0;

  if (n_pairs <= BIDIRECTIONAL_MAX_TARGETS)
    {
      for (gsize i = 0; i < n_pairs; i++)
        *cell (job, pairs[i], PHILIA_PROXIMITY_SP)
          = bidirectional_bfs (job, w, u, pair_target (job, pairs[i]));
      return;
    }

  /* One BFS from u that stops once every distinct target is reached. */
  w->epoch++;
  for (gsize i = 0; i < n_pairs; i++)
    {
      guint v = pair_target (job, pairs[i]);

      if (w->target_stamp[v] != w->epoch)
        {
          w->target_stamp[v] = w->epoch;
          remaining++;
        }
    }
  w->dist_s[u] = 0;
  w->queue_s[tail++] = u;
  if (w->target_stamp[u] == w->epoch)
    remaining--;
  while (head < tail && remaining > 0)
    {
      guint x = w->queue_s[head++];

      for (gint64 e = job->off[x]; e < job->off[x + 1]; e++)
        {
          guint y = (guint)job->nbr[e];

          if (w->dist_s[y] < 0)
            {
              w->dist_s[y] = w->dist_s[x] + 1;
              w->queue_s[tail++] = y;
              if (w->target_stamp[y] == w->epoch)
                remaining--;
            }
        }
    }
  for (gsize i = 0; i < n_pairs; i++)
    *cell (job, pairs[i], PHILIA_PROXIMITY_SP) = w->dist_s[pair_target (job, pairs[i])];
  for (gsize i = 0; i < tail; i++)
    w->dist_s[w->queue_s[i]] = -1;
}

static inline double cosine (const float * restrict a,
                             const float * restrict b,
                             guint                  f);

static void
do_fp (const Job   *job,
       guint        u,
       const gsize *pairs,
       gsize        n_pairs)
{
  guint f = job->n_features;

  for (gsize i = 0; i < n_pairs; i++)
    {
      guint v = pair_target (job, pairs[i]);

      /* The same function as the pa/fp fast path, so both give the same bits. */
      *cell (job, pairs[i], PHILIA_PROXIMITY_FP)
        = f == 0 || job->features == NULL
          ? NAN : cosine (job->features + (gsize)u * f, job->features + (gsize)v * f, f);
    }
}

static gpointer
worker (gpointer data)
{
  Job *job = data;
  g_auto(Work) w = { 0 };
  const guint chunk = 2 * BLOCK;
  Source src[2 * BLOCK];

  work_init (&w, job);
  for (;;)
    {
      guint first = (guint)g_atomic_int_add (&job->next, (gint)chunk);
      guint n_src = 0;

      if (first >= job->n_sources)
        break;
      if (g_cancellable_is_cancelled (job->cancellable) || job->error != NULL)
        break;
      for (guint s = first; s < MIN (first + chunk, job->n_sources); s++)
        {
          guint u = job->sources[s];
          const gsize *pairs = job->order + job->start[u];
          gsize n_pairs = job->start[u + 1] - job->start[u];

          src[n_src++] = (Source) { u, pairs, n_pairs };
          if (job->mask & LOCAL_MASK)
            do_local (job, &w, u, pairs, n_pairs);
          if (job->col[PHILIA_PROXIMITY_PA] >= 0)
            for (gsize i = 0; i < n_pairs; i++)
              {
                guint v = pair_target (job, pairs[i]);
                double du = (double)(job->off[u + 1] - job->off[u]);

                *cell (job, pairs[i], PHILIA_PROXIMITY_PA)
                  = du * (double)(job->off[v + 1] - job->off[v]);
              }
          if (job->col[PHILIA_PROXIMITY_KATZ] >= 0 && job->params.katz_len > 0)
            do_katz_truncated (job, &w, u, pairs, n_pairs);
          if (job->col[PHILIA_PROXIMITY_SP] >= 0)
            do_sp (job, &w, u, pairs, n_pairs);
          if (job->col[PHILIA_PROXIMITY_FP] >= 0)
            do_fp (job, u, pairs, n_pairs);
        }
      if (job->col[PHILIA_PROXIMITY_KATZ] >= 0 && job->params.katz_len == 0
          && !solve_in_blocks (job, &w, src, n_src, FALSE))
        return NULL;
      if (job->col[PHILIA_PROXIMITY_PPR] >= 0)
        solve_in_blocks (job, &w, src, n_src, TRUE);
    }
  return NULL;
}

static void
job_clear (Job *job)
{
  g_free (job->sources);
  g_free (job->start);
  g_free (job->order);
  g_free (job->inv_log_deg);
  g_free (job->inv_sqrt_deg);
  g_free (job->comp_off);
  g_free (job->comp_nodes);
  g_free (job->comp_of);
  g_free (job->comp_ends);
  g_clear_error (&job->error);
  g_mutex_clear (&job->lock);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Job, job_clear)

/* Connected components by BFS, nodes listed per component in id order. */
static void
job_components (Job *job)
{
  guint n = job->n, n_comp = 0;
  g_autofree guint *queue = g_new (guint, MAX (n, 1));
  g_autofree guint *fill = NULL;

  job->comp_of = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    job->comp_of[i] = G_MAXUINT;
  for (guint s = 0; s < n; s++)
    {
      gsize head = 0, tail = 0;

      if (job->comp_of[s] != G_MAXUINT)
        continue;
      job->comp_of[s] = n_comp;
      queue[tail++] = s;
      while (head < tail)
        {
          guint x = queue[head++];

          for (gint64 e = job->off[x]; e < job->off[x + 1]; e++)
            if (job->comp_of[job->nbr[e]] == G_MAXUINT)
              {
                job->comp_of[job->nbr[e]] = n_comp;
                queue[tail++] = (guint)job->nbr[e];
              }
        }
      n_comp++;
    }
  job->comp_off = g_new0 (guint, n_comp + 1);
  job->comp_ends = g_new0 (gint64, MAX (n_comp, 1));
  for (guint i = 0; i < n; i++)
    {
      job->comp_off[job->comp_of[i] + 1]++;
      job->comp_ends[job->comp_of[i]] += job->off[i + 1] - job->off[i];
    }
  for (guint c = 0; c < n_comp; c++)
    job->comp_off[c + 1] += job->comp_off[c];
  fill = g_memdup2 (job->comp_off, sizeof (guint) * (n_comp + 1));
  job->comp_nodes = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    job->comp_nodes[fill[job->comp_of[i]]++] = i;
}

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

/* Cosine of two float rows, accumulated in double over four lanes so the
 * loop pipelines; the three sums share one read of each row. */
static inline double
cosine (const float * restrict a,
        const float * restrict b,
        guint                  f)
{
  double dot[4] = { 0 }, na[4] = { 0 }, nb[4] = { 0 };
  double d, sa, sb;
  guint j = 0;

  for (; j + 4 <= f; j += 4)
    for (guint l = 0; l < 4; l++)
      {
        double x = a[j + l], y = b[j + l];

        dot[l] += x * y;
        na[l] += x * x;
        nb[l] += y * y;
      }
  for (; j < f; j++)
    {
      double x = a[j], y = b[j];

      dot[0] += x * y;
      na[0] += x * x;
      nb[0] += y * y;
    }
  d = (dot[0] + dot[1]) + (dot[2] + dot[3]);
  sa = (na[0] + na[1]) + (na[2] + na[3]);
  sb = (nb[0] + nb[1]) + (nb[2] + nb[3]);
  if (sa == 0 || sb == 0)
    return 0;
  return d / (sqrt (sa) * sqrt (sb));
}

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
static gboolean
score_pairs_fast (PhiliaGraph                 *graph,
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
                   "Pair %" G_GSIZE_FORMAT " names node %" G_GINT64_FORMAT
                   ", but the graph has %u nodes.", bad, id, base.n);
      return FALSE;
    }
  return TRUE;
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
  /* Heuristics that read only the two rows of a pair skip the grouping by
   * source: one pass over the pairs in their order. */
  if ((heuristics_mask & ~(LOCAL_MASK | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PA)
                           | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_FP))) == 0)
    return score_pairs_fast (graph, params, pairs, n_pairs, heuristics_mask, out, error);

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
                     "Pair %" G_GSIZE_FORMAT " names node %" G_GINT64_FORMAT
                     ", but the graph has %u nodes.", i / 2, pairs[i], job.n);
        return FALSE;
      }
  if (n_pairs == 0)
    return TRUE;

  if (heuristics_mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_KATZ) && params->katz_len == 0)
    {
      double lo, hi;

      lambda_bounds (graph, params->katz_beta, &lo, &hi);
      if (params->katz_beta * hi >= 1 - 1e-6)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                       "Exact Katz needs β < 1/λ_max = %.6g (λ_max ≈ %.6g by power iteration), "
                       "but β = %g.", 1 / hi, hi, params->katz_beta);
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
    job_components (&job);
  if (heuristics_mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR))
    {
      job.inv_sqrt_deg = g_new (double, job.n);
      for (guint v = 0; v < job.n; v++)
        {
          gint64 d = job.off[v + 1] - job.off[v];

          job.inv_sqrt_deg[v] = d > 0 ? 1 / sqrt ((double)d) : 0;
        }
    }

  /* Counting sort of the pairs by source. */
  job.start = g_new0 (gsize, (gsize)job.n + 1);
  for (gsize i = 0; i < n_pairs; i++)
    job.start[pairs[2 * i] + 1]++;
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
      job.order[fill[pairs[2 * i]]++] = i;
  }

  /* Measured on 10^5 nodes / 10^6 edges: a block of 8 columns costs less
   * than twice one column, even far beyond L2. The width only shrinks to keep
   * the five block vectors per thread under about 64 MB. */
  job.width = CLAMP (64 * 1024 * 1024 / 40 / MAX (job.n, 1), 1, BLOCK);

  n_threads = params->n_threads ? params->n_threads : g_get_num_processors ();
  n_threads = CLAMP (n_threads, 1, MAX (job.n_sources / 8, 1));
  if (n_threads == 1)
    worker (&job);
  else
    {
      g_autofree GThread **threads = g_new (GThread *, n_threads);

      for (guint t = 0; t < n_threads; t++)
        threads[t] = g_thread_new ("philia-proximity", worker, &job);
      for (guint t = 0; t < n_threads; t++)
        g_thread_join (threads[t]);
    }

  if (job.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job.error));
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
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
  { heuristic_names[h], PHILIA_FAMILY_PROXIMITY, name, desc, "built-in", &builtin_vtable, \
    GUINT_TO_POINTER (h) }
  const PhiliaAlgorithm heuristics[] = {
    P (PHILIA_PROXIMITY_CN, "Common neighbours", "Neighbours the two nodes share."),
    P (PHILIA_PROXIMITY_JACCARD, "Jaccard", "Shared neighbours over all neighbours of either."),
    P (PHILIA_PROXIMITY_AA, "Adamic–Adar",
       "Shared neighbours, each weighted by one over the log of its degree."),
    P (PHILIA_PROXIMITY_RA, "Resource allocation",
       "Shared neighbours, each weighted by one over its degree."),
    P (PHILIA_PROXIMITY_PA, "Preferential attachment", "The product of the two degrees."),
    P (PHILIA_PROXIMITY_KATZ, "Katz",
       "Walks between the two nodes, those of length l weighted by β to the l."),
    P (PHILIA_PROXIMITY_PPR, "Personalized PageRank",
       "Where a random walk restarting at the first node spends its time."),
    P (PHILIA_PROXIMITY_SP, "Shortest path", "Hop distance (−1 if unreachable)."),
    P (PHILIA_PROXIMITY_FP, "Feature similarity", "Cosine similarity of the feature vectors."),
  };
#undef P
  g_autoptr(GError) error = NULL;

  if (!philia_registry_add_all (registry, heuristics, G_N_ELEMENTS (heuristics), &error))
    g_critical ("Built-in proximity heuristics: %s", error->message);
}
