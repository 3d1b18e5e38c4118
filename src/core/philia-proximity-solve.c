/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-proximity-private.h"

/* Groups of at most this many targets get a bidirectional BFS per pair: on an
 * expander a one-sided BFS to distance k touches d^k nodes, two sides 2 d^(k/2),
 * and a one-sided BFS has to reach the farthest target of the group. */
#define BIDIRECTIONAL_MAX_TARGETS 32


/* ------------------------------------------------------------- the job */

typedef struct
{
  guint32 *stamp;       /* N(u) marks, epoch-stamped */
  guint32  epoch;
  double  *cur, *next, *acc;
  guint   *cur_list, *next_list, *acc_list;
  guint8  *in_acc;
  double  *cg_x, *cg_r, *cg_p, *cg_q, *cg_t;
  double  *ppr_a, *ppr_b;
  gint32  *dist_s, *dist_t;
  guint   *queue_s, *queue_t;
  guint32 *target_stamp;
  KatzMeet *meet;
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
  g_aligned_free (w->ppr_a);
  g_aligned_free (w->ppr_b);
  g_free (w->dist_s);
  g_free (w->dist_t);
  g_free (w->queue_s);
  g_free (w->queue_t);
  g_free (w->target_stamp);
  _philia_proximity_katz_meet_free (w->meet);
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
  if ((job->mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_KATZ)) && !katz_exact)
    w->meet = _philia_proximity_katz_meet_new (job->params.katz_len);
  else if (job->mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_SP))
    w->meet = _philia_proximity_katz_meet_new (1);
  if (job->mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR))
    {
      /* Aligned so a row of a full block is whole cache lines. */
      w->ppr_a = g_aligned_alloc0 (n * job->ppr_width, sizeof (double), 64);
      w->ppr_b = g_aligned_alloc0 (n * job->ppr_width, sizeof (double), 64);
    }
  if (katz_exact)
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

  /* Random pairs rarely share a source: a few targets meet u halfway. */
  if (n_pairs <= KATZ_MEET_MAX_TARGETS
      && _philia_proximity_katz_meet (job, w->meet, u, pairs, n_pairs,
                                      job->col[PHILIA_PROXIMITY_KATZ]))
    return;

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
static inline __attribute__ ((always_inline)) gboolean
cg_block_body (const Job    *job,
               Work         *w,
               const guint  *us,
               guint         nb,
               double        c,
               const double *weight,
               const double *s,
               gboolean      weighted_l1,
               const double *tol,
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
        if (active[j] && norm[j] <= tol[j])
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
    if (active[j] && norm[j] > tol[j])
      return FALSE;
  return TRUE;
}

/* Full blocks get the width as a constant, so every per-column loop unrolls
 * into whole vectors; the AVX2 clone is picked at load time. */
PROXIMITY_VECTORIZE static gboolean
solve_cg_full (const Job    *job,
               Work         *w,
               const guint  *us,
               double        c,
               const double *weight,
               const double *s,
               gboolean      weighted_l1,
               const double *tol,
               guint         max_it)
{
  return cg_block_body (job, w, us, BLOCK, c, weight, s, weighted_l1, tol, max_it);
}

static gboolean
solve_cg_block (const Job    *job,
                Work         *w,
                const guint  *us,
                guint         nb,
                double        c,
                const double *weight,
                const double *s,
                gboolean      weighted_l1,
                const double *tol,
                guint         max_it)
{
  if (nb == BLOCK)
    return solve_cg_full (job, w, us, c, weight, s, weighted_l1, tol, max_it);
  return cg_block_body (job, w, us, nb, c, weight, s, weighted_l1, tol, max_it);
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
  double tol[BLOCK];
  double s[BLOCK];
  guint us[BLOCK];

  for (guint j = 0; j < nb; j++)
    s[j] = 1, us[j] = src[j].u, tol[j] = 1e-13 * (1 - beta * job->lambda_hi);
  if (!solve_cg_block (job, w, us, nb, beta, NULL, s, FALSE, tol, 100000))
    {
      g_mutex_lock (&job->lock);
      if (job->error == NULL)
        g_set_error (&job->error, PHILIA_ERROR, PHILIA_ERROR_FAILED,
                     _ ("Exact Katz did not converge for node %u; β = %g is too close to "
                        "1/λ_max."), us[0], beta);
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

/* PPR for sources of one component by Chebyshev iteration
 * (philia-proximity-ppr.c). */
static void
do_ppr (const Job    *job,
        Work         *w,
        const Source *src,
        guint         nb)
{
  _philia_proximity_ppr_block (job, src, nb, w->ppr_a, w->ppr_b);
}

static gboolean
reaches_a_target (const Job    *job,
                  const Source *src)
{
  for (gsize i = 0; i < src->n_pairs; i++)
    if (job->comp_of[pair_target (job, src->pairs[i])] == job->comp_of[src->u])
      return TRUE;
  return FALSE;
}

/* Runs @solve on the sources of a chunk, in blocks of one component each. */
static gboolean
solve_in_blocks (Job          *job,
                 Work         *w,
                 const Source *src,
                 guint         n_src,
                 gboolean      ppr)
{
  Source block[MAX (BLOCK, PPR_BLOCK)];
  guint nb = 0, width = ppr ? job->ppr_width : job->width;

  for (guint k = 0; k <= n_src; k++)
    {
      gboolean flush = k == n_src
                       || (nb > 0 && (job->comp_of[src[k].u] != job->comp_of[block[0].u]
                                      || nb == width));

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
      if (ppr && !reaches_a_target (job, &src[k]))
        {
          /* Every target lies in another component: no walk gets there. */
          for (gsize i = 0; i < src[k].n_pairs; i++)
            *cell (job, src[k].pairs[i], PHILIA_PROXIMITY_PPR) = 0;
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
        {
          guint v = pair_target (job, pairs[i]);
          gint32 d;

          /* Small balls in hash maps first: no n-sized array is touched. */
          if (!_philia_proximity_sp_meet (job, w->meet, u, v, &d))
            d = bidirectional_bfs (job, w, u, v);
          *cell (job, pairs[i], PHILIA_PROXIMITY_SP) = d;
        }
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

gpointer
_philia_proximity_worker (gpointer data)
{
  Job *job = data;
  g_auto(Work) w = { 0 };
  const guint chunk = 2 * MAX (BLOCK, PPR_BLOCK);
  Source src[2 * MAX (BLOCK, PPR_BLOCK)];

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

void
_philia_proximity_job_clear (Job *job)
{
  g_free (job->sources);
  g_free (job->start);
  g_free (job->order);
  g_free (job->inv_log_deg);
  g_free (job->turned_pairs);
  g_free (job->turned);
  g_free (job->ppr_pos);
  g_free (job->ppr_off);
  g_free (job->ppr_nbr);
  g_free (job->comp_off);
  g_free (job->comp_nodes);
  g_free (job->comp_of);
  g_free (job->comp_ends);
  g_clear_error (&job->error);
  g_mutex_clear (&job->lock);
}


/* Connected components by BFS, nodes listed per component in id order. */
void
_philia_proximity_job_components (Job *job)
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
