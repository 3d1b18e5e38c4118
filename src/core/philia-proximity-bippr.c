/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-proximity-private.h"

/*
 * Approximate personalized PageRank for graphs too large for the exact
 * solve: bidirectional estimation on the undirected graph (the
 * "Undirected-BiPPR" of Lofgren, Banerjee and Goel), one pair at a time.
 *
 * Forward push from the source s keeps, for every node t,
 *
 *   π_s(t) = p(t) + Σ_x r(x) π_x(t)
 *
 * (start p = 0, r = e_s; a push at x moves α r(x) to p(x) and (1 − α) r(x)
 * / d(x) to the residual of every neighbour). The walk is reversible,
 * π_x(t) d(x) = π_t(x) d(t), so the sum is d(t) E[r(X) / d(X)] with X the end
 * of a walk from t that stops with probability α at each step. Pushing
 * until every r(x) / d(x) ≤ θ makes each sample d(t) r(X) / d(X) lie in
 * [0, b], b = d(t) max_x r(x) / d(x), and w walks give the estimate
 *
 *   π̂ = p(t) + (d(t) / w) Σ_i r(X_i) / d(X_i).
 *
 * The bound (Bernstein's inequality, not the paper's Chernoff form, so it
 * holds for every ε > 0 and below δ too): the samples have mean
 * μ = π − p(t) ≤ π and variance at most b μ, so with M = max (μ, δ)
 *
 *   P(|π̂ − π| ≥ ε M) ≤ 2 exp (−w ε² M² / (2 b μ + 2 b ε M / 3))
 *                     ≤ 2 exp (−w ε² δ / (b (2 + 2ε / 3))),
 *
 * which is at most p_f once w ≥ (2 + 2ε / 3) b ln (2 / p_f) / (ε² δ). Hence
 * for every pair, with probability at least 1 − p_f,
 *
 *   |π̂_s(t) − π_s(t)| ≤ ε max (π_s(t), δ):
 *
 * relative error ε above δ, absolute error εδ below it. δ defaults to 1/n,
 * the mean score of a pair (a random pair's score is about d(t) / 2m).
 *
 * Cost: the push does work Σ d(x) over pushed nodes, the walks about w / α
 * steps of one random read each. θ starts at 1 / d(s) and halves while the
 * next round's known work (the degrees of the nodes already above the new
 * threshold) is below the walk steps it saves (half of them): the paper's
 * balancing, decided from the pair itself so that the score depends on the
 * graph, the pair and the parameters only, never on the other pairs, the
 * threads or the MPI ranks. The walks are drawn from a splitmix64 stream
 * seeded by (seed, s, t), and LANES of them run interleaved so that their
 * cache misses overlap.
 */

/* The number of walks interleaved. */
#define LANES 32

/* How many neighbours ahead the push prefetches. */
#define PUSH_AHEAD 8

typedef struct
{
  const gint64  *off;
  const gint32  *nbr;
  guint          n;
  double         alpha;
  double         walk_factor;   /* (2 + 2ε/3) ln (2/p_f) / (ε² δ) */
  guint64        seed;
  const gint64  *pairs;
  gsize          n_pairs;
  double        *out;
  gint           next;          /* next chunk of pairs */
  GCancellable  *cancellable;
} BiJob;

/* One thread's scratch. The push's state lives in arrays indexed by the
 * order in which nodes were first touched, so the scans of every round read
 * them in order and the push's updates stay in a few hundred KB; only @pos
 * is indexed by node (G_MAXUINT where untouched), cleared through the
 * touched list after each pair. */
typedef struct
{
  guint  *pos;
  guint  *touched;   /* the nodes, in order of first touch */
  double *r;         /* their residuals */
  double *deg;       /* their degrees */
  guint8 *queued;
  gsize   n_touched;
  guint  *queue;     /* a ring of capacity n of touched indices, each at most once */
} Scratch;

#define CHUNK 64

static inline guint64
mix64 (guint64 z)
{
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline guint64
next64 (guint64 *state)
{
  *state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  return mix64 (*state);
}

/* Uniform in [0, d), d > 0; the bias is below d / 2^64. */
static inline guint64
below (guint64 *state,
       guint64  d)
{
  return (guint64)(((unsigned __int128)next64 (state) * d) >> 64);
}

/* Steps before stopping: geometric with P(stop) = α at each step. */
static inline guint64
walk_length (guint64 *state,
             double   log_keep)
{
  double u = ((next64 (state) >> 11) + 1) * 0x1.0p-53;   /* (0, 1] */

  if (log_keep == -INFINITY)
    return 0;
  return (guint64)floor (log (u) / log_keep);
}

static inline gint64
degree (const BiJob *job,
        guint        x)
{
  return job->off[x + 1] - job->off[x];
}

/* The touched index of @x, touching it (r = 0) the first time. */
static inline guint
touch (const BiJob *job,
       Scratch     *s,
       guint        x)
{
  guint i = s->pos[x];

  if (i == G_MAXUINT)
    {
      i = (guint)s->n_touched++;
      s->pos[x] = i;
      s->touched[i] = x;
      s->r[i] = 0;
      s->deg[i] = (double)degree (job, x);
      s->queued[i] = 0;
    }
  return i;
}

/* Pushes until every r(x) ≤ θ d(x), starting from the @queued nodes the
 * caller put at the head of the queue (those above θ); returns the work
 * (Σ d over pushes) and adds the mass kept at t to @p_t. */
static double
push_round (const BiJob *job,
            Scratch     *s,
            double       theta,
            guint        t,
            double      *p_t,
            gsize        queued)
{
  gsize head = 0, tail = queued, n = job->n;
  double work = 0;

  for (gsize i = 0; i < queued; i++)
    s->queued[s->queue[i]] = 1;
  if (tail == n)
    tail = 0;
  while (queued > 0)
    {
      guint i = s->queue[head], x = s->touched[i];
      double d = s->deg[i], rx = s->r[i], share;

      head = head + 1 == n ? 0 : head + 1;
      queued--;
      s->queued[i] = 0;
      if (!(rx > theta * d))
        continue;
      if (x == t)
        *p_t += job->alpha * rx;
      s->r[i] = 0;
      share = (1 - job->alpha) * rx / d;
      work += d;
      for (gint64 e = job->off[x], end = job->off[x + 1]; e < end; e++)
        {
          guint j;

          /* The node map and the degree of a neighbour a few entries on
           * are random reads: start them now. */
          if (e + PUSH_AHEAD < end)
            {
              guint y = (guint)job->nbr[e + PUSH_AHEAD];

              __builtin_prefetch (&s->pos[y]);
              __builtin_prefetch (&job->off[y]);
            }
          j = touch (job, s, (guint)job->nbr[e]);

          s->r[j] += share;
          if (!s->queued[j] && s->r[j] > theta * s->deg[j])
            {
              s->queued[j] = 1;
              s->queue[tail] = j;
              tail = tail + 1 == n ? 0 : tail + 1;
              queued++;
            }
        }
    }
  return work;
}

/* Walks from @t: Σ over @w walk ends X of r(X) / d(X), summed in the order
 * the walks end.
 *
 * A step is two dependent random reads, the row offsets of the walk's node
 * and then the chosen neighbour, each a cache (and TLB) miss in a large
 * graph. So LANES walks advance together in two passes: the first reads
 * every lane's offsets (prefetched by the second pass of the round before),
 * draws the neighbour's index and prefetches it; the second reads the
 * neighbours and prefetches their offsets (and r where the walk ends). Each
 * pass issues LANES independent misses, which the memory system serves
 * together. The schedule is fixed by w and the random stream alone. */
static double
walk_sum (const BiJob *job,
          Scratch     *s,
          guint        t,
          guint64      w,
          guint64     *rng)
{
  const gint64 *off = job->off;
  const gint32 *nbr = job->nbr;
  double log_keep = job->alpha >= 1 ? -INFINITY : log1p (-job->alpha);
  guint at[LANES];
  guint64 left[LANES];
  gint64 step[LANES];
  guint64 started = 0;
  guint active = 0;
  double sum = 0;

  G_STATIC_ASSERT (sizeof (off[0]) == 8);
  for (guint l = 0; l < LANES && started < w; l++, started++, active++)
    {
      at[l] = t;
      left[l] = walk_length (rng, log_keep);
    }
  while (active > 0)
    {
      gboolean ended = FALSE;

      for (guint l = 0; l < active; l++)
        {
          guint x = at[l];
          gint64 lo;

          if (left[l] == 0)
            {
              guint i = s->pos[x];

              /* Untouched: r = 0 (the sum is in the same bits as 0 / d). */
              if (i != G_MAXUINT)
                sum += s->r[i] / s->deg[i];
              step[l] = -1;
              if (started < w)
                {
                  at[l] = t;
                  left[l] = walk_length (rng, log_keep);
                  started++;
                }
              else
                {
                  at[l] = G_MAXUINT;
                  ended = TRUE;
                }
              continue;
            }
          lo = off[x];
          step[l] = lo + (gint64)below (rng, (guint64)(off[x + 1] - lo));
          __builtin_prefetch (&nbr[step[l]]);
        }
      for (guint l = 0; l < active; l++)
        if (step[l] >= 0)
          {
            guint x = (guint)nbr[step[l]];

            __builtin_prefetch (&off[x]);
            if (--left[l] == 0)
              __builtin_prefetch (&s->pos[x]);
            at[l] = x;
          }
      if (ended)
        {
          /* Drop the finished lanes, keeping the others' order. */
          guint k = 0;

          for (guint l = 0; l < active; l++)
            if (at[l] != G_MAXUINT)
              {
                at[k] = at[l];
                left[k] = left[l];
                k++;
              }
          active = k;
        }
    }
  return sum;
}

static double
estimate (const BiJob *job,
          Scratch     *s,
          guint        u,
          guint        v)
{
  gint64 du = degree (job, u), dv = degree (job, v);
  double p_t = 0, theta, ratio = 0, sum = 0;
  guint64 rng, w;

  if (du == 0)
    return u == v ? 1 : 0;   /* an isolated source keeps all its mass */
  if (dv == 0)
    return 0;

  s->r[touch (job, s, u)] = 1;
  /* θ is the largest r(x) / d(x): all of r is at s. */
  theta = 1.0 / du;
  for (guint round = 0; round < 4096 && theta > 0; round++)
    {
      double next = theta / 2, known = 0;
      double saved = job->walk_factor * dv * (theta - next) / job->alpha;
      gsize queued = 0;

      /* The nodes above the next threshold: their degrees are the work
       * known in advance, and they seed the round's queue. */
      for (gsize i = 0; i < s->n_touched; i++)
        if (s->r[i] > next * s->deg[i])
          {
            known += s->deg[i];
            s->queue[queued++] = (guint)i;
          }
      if (known >= saved)
        break;
      push_round (job, s, next, v, &p_t, queued);
      theta = 0;
      for (gsize i = 0; i < s->n_touched; i++)
        theta = MAX (theta, s->r[i] / s->deg[i]);
    }
  ratio = theta;

  /* w ≥ (2 + 2ε/3) b ln (2/p_f) / (ε² δ) with b = d(t) · ratio. */
  w = (guint64)ceil (MIN (job->walk_factor * dv * ratio, 0x1.0p62));
  rng = mix64 (job->seed ^ mix64 (((guint64)u << 32) | v));
  if (w > 0)
    sum = walk_sum (job, s, v, w, &rng);

  for (gsize i = 0; i < s->n_touched; i++)
    s->pos[s->touched[i]] = G_MAXUINT;
  s->n_touched = 0;
  return p_t + (w > 0 ? dv * (sum / (double)w) : 0);
}

static gpointer
worker (gpointer data)
{
  BiJob *job = data;
  Scratch s;
  gsize n_chunks = (job->n_pairs + CHUNK - 1) / CHUNK;

  s.pos = g_new (guint, job->n);
  memset (s.pos, 0xff, sizeof (guint) * job->n);
  s.touched = g_new (guint, job->n);
  s.r = g_new (double, job->n);
  s.deg = g_new (double, job->n);
  s.queued = g_new (guint8, job->n);
  s.queue = g_new (guint, job->n);
  s.n_touched = 0;
  for (;;)
    {
      gsize c = (gsize)g_atomic_int_add (&job->next, 1);

      if (c >= n_chunks || g_cancellable_is_cancelled (job->cancellable))
        break;
      for (gsize i = c * CHUNK; i < MIN ((c + 1) * CHUNK, job->n_pairs); i++)
        job->out[i] = estimate (job, &s, (guint)job->pairs[2 * i],
                                (guint)job->pairs[2 * i + 1]);
    }
  g_free (s.pos);
  g_free (s.r);
  g_free (s.deg);
  g_free (s.queued);
  g_free (s.touched);
  g_free (s.queue);
  return NULL;
}

double
_philia_proximity_bippr_delta (PhiliaGraph                 *graph,
                               const PhiliaProximityParams *params)
{
  if (params->ppr_delta > 0)
    return params->ppr_delta;
  return 1.0 / MAX (philia_graph_get_n_nodes (graph), 1);
}

gboolean
_philia_proximity_bippr_score_pairs (PhiliaGraph                 *graph,
                                     const PhiliaProximityParams *params,
                                     const gint64                *pairs,
                                     gsize                        n_pairs,
                                     double                      *out,
                                     GCancellable                *cancellable,
                                     GError                     **error)
{
  BiJob job = { 0 };
  double eps = params->ppr_epsilon, delta = _philia_proximity_bippr_delta (graph, params);
  guint n_threads;

  job.off = philia_graph_get_row_offsets (graph);
  job.nbr = philia_graph_get_neighbors (graph);
  job.n = philia_graph_get_n_nodes (graph);
  job.alpha = params->ppr_alpha;
  job.walk_factor = (2 + 2 * eps / 3) * log (2 / params->ppr_failure) / (eps * eps * delta);
  job.seed = params->ppr_seed;
  job.pairs = pairs;
  job.n_pairs = n_pairs;
  job.out = out;
  job.cancellable = cancellable;
  if (n_pairs == 0 || job.n == 0)
    return TRUE;

  n_threads = params->n_threads ? params->n_threads : g_get_num_processors ();
  n_threads = (guint)CLAMP (n_threads, 1, MAX ((n_pairs + CHUNK - 1) / CHUNK, 1));
  _philia_proximity_run_threads ("philia-bippr", n_threads, worker, &job);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}
