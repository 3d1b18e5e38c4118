/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-proximity-private.h"

/*
 * Personalized PageRank for many pairs.
 *
 * π_u = α e_u + (1 − α) A D⁻¹ π_u on the simple undirected graph. With
 * y = D⁻¹ π this is the symmetric positive definite system
 *
 *   (D − (1 − α) A) y = α e_u,
 *
 * whose Jacobi-preconditioned matrix I − (1 − α) D⁻¹A has every eigenvalue in
 * [α, 2 − α] (those of D⁻¹A lie in [−1, 1]). Chebyshev iteration with these
 * bounds needs no inner products, so one pass over the component does a whole
 * step, and its error after K steps is bounded in advance: in the D-norm,
 * ‖y − y_K‖_D ≤ ‖y‖_D / T_K(σ) with σ = 1 / (1 − α) and T_K the Chebyshev
 * polynomial. By reversibility (below) y_i = π_u(i) / d_i = π_i(u) / d_u ≤
 * 1 / d_u, so ‖y‖_D² = Σ π_i y_i ≤ (Σ π_i) / d_u = 1 / d_u, and for any one
 * node d_v (y_v − y_K,v)² ≤ ‖y − y_K‖_D², so
 *
 *   |π_u(v) − d_v y_K,v| ≤ √(d_v / d_u) / T_K(σ).
 *
 * K is the least step count that makes this at most PPR_TOLERANCE for every
 * target of the source. That bound holds whatever the graph; rounding adds
 * about 1e-16 per step and term.
 *
 * Pairs share the work of their source, and random pairs rarely share a
 * source, so most of the cost is one solve per distinct source. On an
 * undirected graph π_u(v) d_u = π_v(u) d_v (the walk is reversible), so a
 * pair can be solved from either end: the pairs are turned so that a small
 * set of ends covers them all (greedy vertex cover of the pair graph), and a
 * turned score is mapped back as π_u(v) = π_v(u) d_v / d_u. Its error is then
 * (d_v / d_u) √(d_u / d_v) / T_K = √(d_v / d_u) / T_K, and K is chosen to
 * keep that below the tolerance too.
 */

/* ------------------------------------------------------------ turning */

/* Whether (u, v) needs a solve and may be solved from either end: u ≠ v in
 * one component (so neither is isolated). */
static inline gboolean
turnable (const Job *job,
          guint      u,
          guint      v)
{
  return u != v && job->comp_of[u] == job->comp_of[v];
}

void
_philia_proximity_ppr_turn_pairs (Job  *job,
                                  gsize n_pairs)
{
  guint n = job->n;
  g_autofree gsize *poff = g_new0 (gsize, (gsize)n + 1);
  g_autofree gsize *plist = NULL;
  g_autofree guint8 *covered = g_new0 (guint8, MAX (n_pairs, 1));
  g_autofree guint8 *chosen = g_new0 (guint8, MAX (n, 1));
  g_autofree gsize *deg = g_new0 (gsize, MAX (n, 1));
  g_autofree guint *head = NULL;
  g_autofree guint *next = g_new (guint, MAX (n, 1));
  g_autofree guint *prev = g_new (guint, MAX (n, 1));
  gsize max_deg = 0, top;

  /* The pair graph of the turnable pairs, as CSR over pair indices. */
  for (gsize i = 0; i < n_pairs; i++)
    {
      guint u = (guint)job->pairs[2 * i], v = (guint)job->pairs[2 * i + 1];

      if (turnable (job, u, v))
        poff[u + 1]++, poff[v + 1]++;
      else if (u == v && job->off[u + 1] > job->off[u])
        chosen[u] = TRUE;  /* (u, u) is solved from u anyway */
    }
  for (guint w = 0; w < n; w++)
    poff[w + 1] += poff[w];
  plist = g_new (gsize, MAX (poff[n], 1));
  {
    g_autofree gsize *fill = g_memdup2 (poff, sizeof (gsize) * ((gsize)n + 1));

    for (gsize i = 0; i < n_pairs; i++)
      {
        guint u = (guint)job->pairs[2 * i], v = (guint)job->pairs[2 * i + 1];

        if (turnable (job, u, v))
          plist[fill[u]++] = i, plist[fill[v]++] = i;
      }
  }

  /* Ends that are solved anyway cover their pairs for free. */
  for (guint w = 0; w < n; w++)
    if (chosen[w])
      for (gsize k = poff[w]; k < poff[w + 1]; k++)
        covered[plist[k]] = TRUE;
  for (gsize i = 0; i < n_pairs; i++)
    if (!covered[i] && turnable (job, (guint)job->pairs[2 * i], (guint)job->pairs[2 * i + 1]))
      {
        deg[job->pairs[2 * i]]++;
        deg[job->pairs[2 * i + 1]]++;
      }

  /* Greedy cover: repeatedly take the end with the most uncovered pairs,
   * from buckets of doubly linked lists by that count. */
  for (guint w = 0; w < n; w++)
    max_deg = MAX (max_deg, deg[w]);
  head = g_new (guint, max_deg + 1);
  for (gsize d = 0; d <= max_deg; d++)
    head[d] = G_MAXUINT;
  for (guint w = 0; w < n; w++)
    if (deg[w] > 0)
      {
        prev[w] = G_MAXUINT;
        next[w] = head[deg[w]];
        if (next[w] != G_MAXUINT)
          prev[next[w]] = w;
        head[deg[w]] = w;
      }
  for (top = max_deg; top > 0;)
    {
      guint w = head[top];

      if (w == G_MAXUINT)
        {
          top--;
          continue;
        }
      head[top] = next[w];
      if (next[w] != G_MAXUINT)
        prev[next[w]] = G_MAXUINT;
      chosen[w] = TRUE;
      deg[w] = 0;
      for (gsize k = poff[w]; k < poff[w + 1]; k++)
        {
          gsize i = plist[k];
          guint x = (guint)job->pairs[2 * i] == w ? (guint)job->pairs[2 * i + 1]
                                                 : (guint)job->pairs[2 * i];

          if (covered[i])
            continue;
          covered[i] = TRUE;
          if (x == w || deg[x] == 0)
            continue;
          /* Move x one bucket down. */
          if (prev[x] != G_MAXUINT)
            next[prev[x]] = next[x];
          else
            head[deg[x]] = next[x];
          if (next[x] != G_MAXUINT)
            prev[next[x]] = prev[x];
          deg[x]--;
          if (deg[x] > 0)
            {
              prev[x] = G_MAXUINT;
              next[x] = head[deg[x]];
              if (next[x] != G_MAXUINT)
                prev[next[x]] = x;
              head[deg[x]] = x;
            }
        }
    }

  /* Turn a pair when only its second end is chosen. */
  job->turned = g_new0 (guint8, MAX (n_pairs, 1));
  job->turned_pairs = g_memdup2 (job->pairs, sizeof (gint64) * 2 * n_pairs);
  for (gsize i = 0; i < n_pairs; i++)
    {
      guint u = (guint)job->pairs[2 * i], v = (guint)job->pairs[2 * i + 1];

      if (turnable (job, u, v) && !chosen[u] && chosen[v])
        {
          job->turned[i] = TRUE;
          job->turned_pairs[2 * i] = v;
          job->turned_pairs[2 * i + 1] = u;
        }
    }
  job->pairs = job->turned_pairs;
}

void
_philia_proximity_ppr_map_back (Job  *job,
                                gsize n_pairs)
{
  for (gsize i = 0; i < n_pairs; i++)
    if (job->turned[i])
      {
        /* The job's pair is (v, u) and scored π_v(u). */
        guint v = (guint)job->pairs[2 * i], u = (guint)job->pairs[2 * i + 1];
        double du = (double)(job->off[u + 1] - job->off[u]);
        double dv = (double)(job->off[v + 1] - job->off[v]);
        double *score = job->out + i * job->n_cols + job->col[PHILIA_PROXIMITY_PPR];

        *score *= dv / du;
      }
}

/* ------------------------------------------------------------ layout */

/* The solve runs over a copy of the CSR relabelled so that each component
 * is one range of labels, in the order of a breadth-first search from one of
 * its least-connected nodes: a node's neighbours then sit a few levels away
 * in the block vectors rather than anywhere in them, so the gathers of a
 * step mostly hit cache lines that the last few rows brought in. */
void
_philia_proximity_ppr_relabel (Job *job)
{
  guint n = job->n;
  guint n_comp = 0;
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  gint64 m = job->off[n];

  job->ppr_pos = g_new (guint, MAX (n, 1));
  for (guint v = 0; v < n; v++)
    job->ppr_pos[v] = G_MAXUINT;
  for (guint v = 0; v < n; v++)
    n_comp = MAX (n_comp, job->comp_of[v] + 1);
  for (guint c = 0; c < n_comp; c++)
    {
      guint lo = job->comp_off[c], hi = job->comp_off[c + 1], head = lo, tail = lo;
      guint root = job->comp_nodes[lo];

      for (guint k = lo; k < hi; k++)
        if (job->off[job->comp_nodes[k] + 1] - job->off[job->comp_nodes[k]]
            < job->off[root + 1] - job->off[root])
          root = job->comp_nodes[k];
      job->ppr_pos[root] = tail;
      order[tail++] = root;
      while (head < tail)
        {
          guint x = order[head++];

          for (gint64 e = job->off[x]; e < job->off[x + 1]; e++)
            if (job->ppr_pos[job->nbr[e]] == G_MAXUINT)
              {
                job->ppr_pos[job->nbr[e]] = tail;
                order[tail++] = (guint)job->nbr[e];
              }
        }
      g_assert (tail == hi);
    }
  job->ppr_off = g_new (gint64, (gsize)n + 1);
  job->ppr_nbr = g_new (gint32, MAX (m, 1));
  job->ppr_off[0] = 0;
  for (guint i = 0; i < n; i++)
    {
      guint x = order[i];
      gint64 at = job->ppr_off[i];

      for (gint64 e = job->off[x]; e < job->off[x + 1]; e++)
        job->ppr_nbr[at++] = (gint32)job->ppr_pos[job->nbr[e]];
      job->ppr_off[i + 1] = at;
    }
}

/* ---------------------------------------------------------- the solve */

/* The least K with T_K(σ) ≥ @need, T_K(σ) = cosh (K acosh σ). */
static guint
steps_for (double sigma,
           double need)
{
  double k;

  if (need <= 1)
    return 1;
  k = ceil (acosh (need) / acosh (sigma));
  /* Guard the rounding of acosh: T_K grows by at least σ per step. */
  while (k > 1 && cosh ((k - 1) * acosh (sigma)) >= need)
    k--;
  while (cosh (k * acosh (sigma)) < need)
    k++;
  return (guint)k;
}

/* One Chebyshev step for every column, in the three-term form that needs no
 * residual vector: @a holds the direction d_k, @b holds d_{k−1} and receives
 * d_{k+1} = p d_k + q d_{k−1} + s D⁻¹ A d_k (see _philia_proximity_ppr_block()
 * for p, q and s). Two vectors instead of three keep more of them in cache.
 * Rows are @stride doubles. */
static void
cheb_step_scalar (const Job    *job,
                  guint         stride,
                  guint         lo,
                  guint         hi,
                  double        p,
                  double        q,
                  double        s,
                  const double *restrict a,
                  double       *restrict b)
{
  const gint64 *off = job->ppr_off;
  const gint32 *nbr = job->ppr_nbr;
  double acc[PPR_BLOCK];

  for (guint i = lo; i < hi; i++)
    {
      double si = s / (double)(off[i + 1] - off[i]);
      const double *ai = a + (gsize)i * stride;
      double *bi = b + (gsize)i * stride;

      memset (acc, 0, sizeof (double) * stride);
      for (gint64 e = off[i]; e < off[i + 1]; e++)
        {
          const double *an = a + (gsize)nbr[e] * stride;

          for (guint j = 0; j < stride; j++)
            acc[j] += an[j];
        }
      for (guint j = 0; j < stride; j++)
        bi[j] = p * ai[j] + q * bi[j] + si * acc[j];
    }
}

/* Eight columns as one vector: GCC does not vectorise the column loop of a
 * gathered row by itself (it unrolls it into scalar adds), so the kernel
 * spells the vectors out; the clones make them AVX-512, AVX2 or SSE2. */
typedef double PprVec __attribute__ ((vector_size (64)));
#define PPR_VEC_COLS 8
G_STATIC_ASSERT (PPR_BLOCK % PPR_VEC_COLS == 0 && PPR_BLOCK <= 4 * PPR_VEC_COLS);

/* cheb_step_scalar() for rows of @nv whole vectors (64-byte aligned). */
static inline __attribute__ ((always_inline)) void
cheb_step_vec_body (const Job    *job,
                    guint         nv,
                    guint         lo,
                    guint         hi,
                    double        p,
                    double        q,
                    double        s,
                    const double *restrict a,
                    double       *restrict b)
{
  const gint64 *off = job->ppr_off;
  const gint32 *nbr = job->ppr_nbr;
  const PprVec *va = (const PprVec *)a;
  PprVec *vb = (PprVec *)b;

  for (guint i = lo; i < hi; i++)
    {
      PprVec acc[4] = { 0 };   /* nv ≤ 4 */
      double si = s / (double)(off[i + 1] - off[i]);
      const PprVec *ai = va + (gsize)i * nv;
      PprVec *bi = vb + (gsize)i * nv;

      for (gint64 e = off[i]; e < off[i + 1]; e++)
        {
          const PprVec *an = va + (gsize)nbr[e] * nv;

          for (guint v = 0; v < nv; v++)
            acc[v] += an[v];
        }
      for (guint v = 0; v < nv; v++)
        bi[v] = p * ai[v] + q * bi[v] + si * acc[v];
    }
}

#define PPR_VEC_STEP(nv)                                                 \
  PPR_VECTORIZE static void                                              \
  cheb_step_vec##nv (const Job *job, guint lo, guint hi, double p,       \
                     double q, double s, const double *a, double *b)     \
  {                                                                      \
    cheb_step_vec_body (job, nv, lo, hi, p, q, s, a, b);                 \
  }
PPR_VEC_STEP (1)
PPR_VEC_STEP (2)
PPR_VEC_STEP (3)
PPR_VEC_STEP (4)

static void
cheb_step (const Job    *job,
           guint         stride,
           guint         lo,
           guint         hi,
           double        p,
           double        q,
           double        s,
           const double *a,
           double       *b)
{
  switch (stride % PPR_VEC_COLS == 0 ? stride / PPR_VEC_COLS : 0)
    {
    case 1:
      cheb_step_vec1 (job, lo, hi, p, q, s, a, b);
      break;
    case 2:
      cheb_step_vec2 (job, lo, hi, p, q, s, a, b);
      break;
    case 3:
      cheb_step_vec3 (job, lo, hi, p, q, s, a, b);
      break;
    case 4:
      cheb_step_vec4 (job, lo, hi, p, q, s, a, b);
      break;
    default:
      cheb_step_scalar (job, stride, lo, hi, p, q, s, a, b);
    }
}

/* The row length of a block of @nb sources: whole vectors when the block
 * vectors have room for them (the extra columns stay zero throughout). */
static inline guint
block_stride (const Job *job,
              guint      nb)
{
  if (job->ppr_width % PPR_VEC_COLS != 0)
    return nb;
  return (nb + PPR_VEC_COLS - 1) / PPR_VEC_COLS * PPR_VEC_COLS;
}

static inline double
degree (const Job *job,
        guint      v)
{
  return (double)(job->off[v + 1] - job->off[v]);
}

void
_philia_proximity_ppr_block (const Job    *job,
                             const Source *src,
                             guint         nb,
                             double       *a,
                             double       *b)
{
  double alpha = job->params.ppr_alpha;
  guint comp = job->comp_of[src[0].u];
  guint lo = job->comp_off[comp], hi = job->comp_off[comp + 1];
  gsize n_pairs = 0, p = 0;
  g_autofree double *x = NULL;
  g_autofree gsize *at = NULL;
  double need = 0, sigma, delta, rho, c1_prev = 0, c2_prev = 1;
  guint steps, stride = block_stride (job, nb);

  for (guint j = 0; j < nb; j++)
    n_pairs += src[j].n_pairs;
  x = g_new0 (double, MAX (n_pairs, 1));
  at = g_new (gsize, MAX (n_pairs, 1));

  /* α = 1: π_u = e_u, no walk at all. */
  if (alpha >= 1)
    {
      for (guint j = 0; j < nb; j++)
        for (gsize i = 0; i < src[j].n_pairs; i++)
          job->out[src[j].pairs[i] * job->n_cols + job->col[PHILIA_PROXIMITY_PPR]]
            = (guint)job->pairs[2 * src[j].pairs[i] + 1] == src[j].u ? 1 : 0;
      return;
    }

  /* The step count that the bound of the file comment asks for the worst
   * target of the block: √(d_t / d_s) for a pair as given, √(d_s / d_t) for
   * a turned one (its score is multiplied by d_s / d_t). Targets in other
   * components score 0 and are skipped. */
  for (guint j = 0; j < nb; j++)
    for (gsize i = 0; i < src[j].n_pairs; i++, p++)
      {
        gsize pair = src[j].pairs[i];
        guint t = (guint)job->pairs[2 * pair + 1];
        double dt = degree (job, t);

        at[p] = G_MAXSIZE;
        if (job->comp_of[t] != comp)
          continue;
        at[p] = (gsize)job->ppr_pos[t] * stride + j;
        if (job->turned != NULL && job->turned[pair])
          need = MAX (need, sqrt (degree (job, src[j].u) / dt));
        else
          need = MAX (need, sqrt (dt / degree (job, src[j].u)));
      }
  sigma = 1 / (1 - alpha);
  delta = 1 - alpha;
  steps = steps_for (sigma, need / PPR_TOLERANCE);

  /* d_{−1} = 0 and d_0 = D⁻¹ r_0 / θ with r_0 = α e_u and θ = 1 (the centre
   * of [α, 2 − α]). */
  memset (a + (gsize)lo * stride, 0, sizeof (double) * (hi - lo) * stride);
  memset (b + (gsize)lo * stride, 0, sizeof (double) * (hi - lo) * stride);
  for (guint j = 0; j < nb; j++)
    a[(gsize)job->ppr_pos[src[j].u] * stride + j] = alpha / degree (job, src[j].u);
  rho = 1 / sigma;
  for (guint k = 0; k < steps; k++)
    {
      /* Chebyshev with a residual r: r_{k+1} = r_k − M d_k and d_{k+1} =
       * c1 d_k + c2 D⁻¹ r_{k+1}, c1 = ρ_{k+1} ρ_k, c2 = 2 ρ_{k+1} / δ. The
       * previous step gives D⁻¹ r_k = (d_k − c1' d_{k−1}) / c2' (c1' = 0,
       * c2' = 1 at k = 0), and D⁻¹ M = I − (1 − α) D⁻¹ A, so
       * d_{k+1} = (c1 + g − c2) d_k − g c1' d_{k−1} + c2 (1 − α) D⁻¹ A d_k
       * with g = c2 / c2'. */
      double rho_next = 1 / (2 * sigma - rho);
      double c1 = rho_next * rho, c2 = 2 * rho_next / delta, g = c2 / c2_prev;
      double *t;

      /* y_{k+1} = y_k + d_k, needed only at the targets. */
      for (p = 0; p < n_pairs; p++)
        if (at[p] != G_MAXSIZE)
          x[p] += a[at[p]];
      if (k + 1 == steps)
        break;
      cheb_step (job, stride, lo, hi, c1 + g - c2, -g * c1_prev, c2 * (1 - alpha), a, b);
      rho = rho_next;
      c1_prev = c1;
      c2_prev = c2;
      t = a, a = b, b = t;
    }

  p = 0;
  for (guint j = 0; j < nb; j++)
    for (gsize i = 0; i < src[j].n_pairs; i++, p++)
      {
        gsize pair = src[j].pairs[i];
        guint t = (guint)job->pairs[2 * pair + 1];

        job->out[pair * job->n_cols + job->col[PHILIA_PROXIMITY_PPR]]
          = at[p] != G_MAXSIZE ? degree (job, t) * x[p] : 0.0;
      }
}
