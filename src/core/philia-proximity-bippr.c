/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-mapped-pages-private.h"
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
 * threads or the MPI ranks. Walk k draws from its own splitmix64 stream,
 * seeded by (seed, s, t, k), and the ends are summed per node in touched
 * order, so one pair's walks can run LANES at a time (walk_pair ()) or
 * beside other pairs' walks (the batch engine, group_walk ()) with the same
 * bits.
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
  guint64        stop_below;    /* a step stops when its draw >> 11 is below */
  gboolean       batch;         /* walk pairs in groups (the batch engine) */
  guint64        group_walks;   /* the batch engine's walks per group */
  guint64        group_tab;     /* and its residual entries per group */
  guint          id_bits;       /* a walker's id: pair slot, then walk index */
  guint          bucket_shift;  /* node id >> shift = the walkers' bucket */
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
  guint64 *hits;     /* walk ends per touched index */
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

/* The random stream of walk @k of a pair whose key is @key: every walk has
 * its own, so a walk's path depends on the pair, k and the graph only, not
 * on which walks run beside it or in what order. */
static inline guint64
walk_stream (guint64 key,
             guint64 k)
{
  return key ^ mix64 (k * G_GUINT64_CONSTANT (0xd1b54a32d192ed03) + 1);
}

/* One step's decision: stop here (probability α)? One draw of the walk's
 * stream; the next draw, if it goes on, picks the neighbour. */
static inline gboolean
walk_stops (guint64 *state,
            guint64  stop_below)
{
  return (next64 (state) >> 11) < stop_below;
}

/* The walks' ends are counted per touched node (@hits, by touched index,
 * zero outside the touched prefix) and the sum Σ hits(x) r(x) / d(x) is
 * taken in touched order over the nodes with r > 0: the same order and the
 * same bits whichever engine counted them. */
static double
hits_sum (Scratch *s,
          guint64 *hits)
{
  double sum = 0;

  for (gsize i = 0; i < s->n_touched; i++)
    {
      if (hits[i] != 0 && s->r[i] > 0)
        sum += (double)hits[i] * (s->r[i] / s->deg[i]);
      hits[i] = 0;
    }
  return sum;
}

/* Walks 0 … w − 1 from @t, one pair alone: counts their ends in @hits.
 *
 * A step is two dependent random reads, the row offsets of the walk's node
 * and then the chosen neighbour, each a cache (and TLB) miss in a large
 * graph. So LANES walks advance together in two passes: the first reads
 * every lane's offsets (prefetched by the second pass of the round before),
 * draws the neighbour's index and prefetches it; the second reads the
 * neighbours and prefetches their offsets (and the node map). Each pass
 * issues LANES independent misses, which the memory system serves
 * together. */
static void
walk_pair (const BiJob *job,
           Scratch     *s,
           guint64     *hits,
           guint        t,
           guint64      w,
           guint64      key)
{
  const gint64 *off = job->off;
  const gint32 *nbr = job->nbr;
  guint at[LANES];
  guint64 rng[LANES];
  gint64 step[LANES];
  gboolean stop[LANES];
  guint64 started = 0;
  guint active = 0;

  G_STATIC_ASSERT (sizeof (off[0]) == 8);
  for (guint l = 0; l < LANES && started < w; l++, started++, active++)
    {
      at[l] = t;
      rng[l] = walk_stream (key, started);
      stop[l] = walk_stops (&rng[l], job->stop_below);
    }
  while (active > 0)
    {
      gboolean ended = FALSE;

      for (guint l = 0; l < active; l++)
        {
          guint x = at[l];
          gint64 lo;

          step[l] = -1;
          if (stop[l])
            {
              guint i = s->pos[x];

              if (i != G_MAXUINT)
                hits[i]++;
              if (started < w)
                {
                  at[l] = t;
                  rng[l] = walk_stream (key, started++);
                  stop[l] = walk_stops (&rng[l], job->stop_below);
                }
              else
                {
                  at[l] = G_MAXUINT;
                  ended = TRUE;
                }
              continue;
            }
          lo = off[x];
          step[l] = lo + (gint64)below (&rng[l], (guint64)(off[x + 1] - lo));
          __builtin_prefetch (&nbr[step[l]]);
        }
      for (guint l = 0; l < active; l++)
        if (step[l] >= 0)
          {
            guint x = (guint)nbr[step[l]];

            at[l] = x;
            stop[l] = walk_stops (&rng[l], job->stop_below);
            if (stop[l])
              __builtin_prefetch (&s->pos[x]);
            else
              __builtin_prefetch (&off[x]);
          }
      if (ended)
        {
          /* Drop the finished lanes. */
          guint k = 0;

          for (guint l = 0; l < active; l++)
            if (at[l] != G_MAXUINT)
              {
                at[k] = at[l];
                rng[k] = rng[l];
                stop[k] = stop[l];
                k++;
              }
          active = k;
        }
    }
}

/* The push from @u towards @v: leaves the residuals in @s (the caller
 * clears them), the mass kept at @v in @p_t and returns the walk count. */
static guint64
push (const BiJob *job,
      Scratch     *s,
      guint        u,
      guint        v,
      double      *p_t)
{
  gint64 du = degree (job, u), dv = degree (job, v);
  double theta;

  *p_t = 0;
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
      push_round (job, s, next, v, p_t, queued);
      theta = 0;
      for (gsize i = 0; i < s->n_touched; i++)
        theta = MAX (theta, s->r[i] / s->deg[i]);
    }

  /* w ≥ (2 + 2ε/3) b ln (2/p_f) / (ε² δ) with b = d(t) · θ. */
  return (guint64)ceil (MIN (job->walk_factor * dv * theta, 0x1.0p62));
}

static inline guint64
pair_key (const BiJob *job,
          guint        u,
          guint        v)
{
  return mix64 (job->seed ^ mix64 (((guint64)u << 32) | v));
}

static void
clear_touched (Scratch *s)
{
  for (gsize i = 0; i < s->n_touched; i++)
    s->pos[s->touched[i]] = G_MAXUINT;
  s->n_touched = 0;
}

static double
estimate (const BiJob *job,
          Scratch     *s,
          guint        u,
          guint        v)
{
  gint64 du = degree (job, u), dv = degree (job, v);
  double p_t = 0, sum = 0;
  guint64 w;

  if (du == 0)
    return u == v ? 1 : 0;   /* an isolated source keeps all its mass */
  if (dv == 0)
    return 0;

  w = push (job, s, u, v, &p_t);
  if (w > 0)
    {
      walk_pair (job, s, s->hits, v, w, pair_key (job, u, v));
      sum = hits_sum (s, s->hits);
    }
  clear_touched (s);
  return p_t + (w > 0 ? dv * (sum / (double)w) : 0);
}

/* The batch engine (HACKING.md §6, "The batch walk engine"). A thread
 * pushes pairs one at a time as above, keeps each one's residuals r / d
 * (the nodes with r > 0, in touched order), and once a group's walks reach
 * the budget it walks all of them together: in sweeps, each advancing every
 * live walker by one step, over the walkers sorted by node range
 * (@bucket_shift), so the CSR rows a sweep reads come a cache-sized slice at
 * a time instead of from anywhere in memory. Every walk draws from its own
 * stream (walk_stream ()) exactly as walk_pair () draws it, and the ends
 * are counted and summed per pair in touched order as hits_sum () does, so
 * a pair's estimate has the same bits whichever engine walked it. */

/* A walker is its node and its id, slot << kbits | k (walk k of the pair
 * in that slot): its stream is walk_stream (key of the slot, k), and since
 * all the group's walks start together and every sweep steps every live
 * walker once, after j sweeps its state is that start plus 2j increments
 * (a stop draw and a neighbour draw a step), so nothing else need be kept. */
typedef struct
{
  guint32 node;
  guint32 id;
} Walker;

typedef struct
{
  gsize   index;     /* in the job's pairs */
  guint   v;
  guint64 key;
  guint64 w;
  double  p_t;
  double  dv;
  gsize   tab;       /* its residuals' start in the group's tables */
  gsize   n_tab;
} GroupPair;

typedef struct
{
  GArray   *pairs;       /* GroupPair */
  guint64   walks;       /* Σ w */
  guint64   max_w;       /* the largest w, which sets the ids' k bits */
  guint32  *tab_node;
  double   *tab_val;     /* r / d */
  gsize     n_tab;
  Walker   *buf[2];      /* the live walkers in front, ended ones at the back */
  guint64  *keys;        /* per slot */
  guint64  *counts;      /* per bucket, then per slot */
  gsize     n_counts;
} Group;

/* The bits of walk indices 0 … w − 1. */
static inline guint
index_bits (guint64 w)
{
  return w <= 1 ? 0 : 64 - (guint)__builtin_clzll (w - 1);
}

/* Whether a pair of @w walks and @n_tab residuals still fits in @g. */
static gboolean
group_fits (const BiJob *job,
            const Group *g,
            guint64      w,
            gsize        n_tab)
{
  guint kb = index_bits (MAX (g->max_w, w));

  if (g->walks + w > job->group_walks || g->n_tab + n_tab > job->group_tab)
    return FALSE;
  return kb <= job->id_bits
         && (guint64)g->pairs->len + 1 <= G_GUINT64_CONSTANT (1) << (job->id_bits - kb);
}

static void
group_walk (const BiJob *job,
            Scratch     *s,
            Group       *g)
{
  const gint64 *off = job->off;
  const gint32 *nbr = job->nbr;
  const guint64 gamma = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  guint shift = job->bucket_shift, kb = index_bits (g->max_w);
  guint32 kmask = (guint32)((G_GUINT64_CONSTANT (1) << kb) - 1);
  gsize nb = ((gsize)job->n >> shift) + 1, n_slots = g->pairs->len;
  guint64 cap = g->walks, live, n_ends[2] = { 0, 0 }, at, j = 0;
  Walker *cur = g->buf[0], *next = g->buf[1];
  guint cur_buf = 0;

  g_assert (nb + 1 <= g->n_counts && n_slots + 1 <= g->n_counts);
  memset (g->counts, 0, sizeof (guint64) * (nb + 1));
  for (gsize p = 0; p < n_slots; p++)
    {
      GroupPair *gp = &g_array_index (g->pairs, GroupPair, p);

      g->keys[p] = gp->key;
      g->counts[(gp->v >> shift) + 1] += gp->w;
    }
  for (gsize b = 0; b < nb; b++)
    g->counts[b + 1] += g->counts[b];
  for (gsize p = 0; p < n_slots; p++)
    {
      GroupPair *gp = &g_array_index (g->pairs, GroupPair, p);
      guint64 *c = &g->counts[gp->v >> shift];

      for (guint64 k = 0; k < gp->w; k++)
        cur[(*c)++] = (Walker){ gp->v, (guint32)(((guint64)p << kb) | k) };
    }
  live = g->walks;

  /* Sweep j: every live walker has taken j steps, so its stream's state is
   * its start plus 2j increments. The walkers ended in a sweep go to the
   * back of the array the kept ones go to the front of (together at most
   * the group's walks). */
  for (; live > 0; j++)
    {
      guint64 kept = 0, ended = 0, skip = 2 * j * gamma;
      Walker *end_at = next + cap - n_ends[cur_buf ^ 1];

      memset (g->counts, 0, sizeof (guint64) * (nb + 1));
      /* One step of every live walker, in bucket order, LANES at a time:
       * the first pass draws and prefetches every lane's neighbour, the
       * second reads them, so their misses overlap. */
      for (guint64 i0 = 0; i0 < live; i0 += LANES)
        {
          guint64 i1 = MIN (i0 + LANES, live);
          gint64 step[LANES];

          for (guint64 i = i0; i < i1; i++)
            {
              Walker wk = cur[i];
              guint64 rng = walk_stream (g->keys[wk.id >> kb], wk.id & kmask) + skip;
              gint64 lo;

              step[i - i0] = -1;
              if (walk_stops (&rng, job->stop_below))
                {
                  *--end_at = wk;
                  ended++;
                  continue;
                }
              lo = off[wk.node];
              step[i - i0] = lo + (gint64)below (&rng, (guint64)(off[wk.node + 1] - lo));
              __builtin_prefetch (&nbr[step[i - i0]]);
            }
          for (guint64 i = i0; i < i1; i++)
            {
              if (i + LANES < live)
                __builtin_prefetch (&off[cur[i + LANES].node]);
              if (step[i - i0] >= 0)
                {
                  guint x = (guint)nbr[step[i - i0]];

                  cur[i].node = x;
                  g->counts[(x >> shift) + 1]++;
                  kept++;
                }
              else
                cur[i].node = G_MAXUINT32;
            }
        }
      n_ends[cur_buf ^ 1] += ended;
      for (gsize b = 0; b < nb; b++)
        g->counts[b + 1] += g->counts[b];
      for (guint64 i = 0; i < live; i++)
        if (cur[i].node != G_MAXUINT32)
          next[g->counts[cur[i].node >> shift]++] = cur[i];
      g_assert (kept + n_ends[cur_buf ^ 1] <= cap);
      {
        Walker *t = cur;

        cur = next;
        next = t;
        cur_buf ^= 1;
      }
      live = kept;
    }
  g_assert (n_ends[0] + n_ends[1] == g->walks);

  /* All the ends into buf[1] (its back holds n_ends[1], its front exactly
   * the room for buf[0]'s), then by pair (a counting sort into buf[0]) and
   * each pair's sum through the node map. */
  {
    Walker *ends = g->buf[1];
    guint32 *by_slot = (guint32 *)g->buf[0];
    guint64 n = g->walks;

    memmove (ends, g->buf[0] + cap - n_ends[0], sizeof (Walker) * n_ends[0]);
    memset (g->counts, 0, sizeof (guint64) * (n_slots + 1));
    for (guint64 e = 0; e < n; e++)
      g->counts[(ends[e].id >> kb) + 1]++;
    for (gsize p = 0; p < n_slots; p++)
      g->counts[p + 1] += g->counts[p];
    for (guint64 e = 0; e < n; e++)
      by_slot[g->counts[ends[e].id >> kb]++] = ends[e].node;
    at = 0;
    for (gsize p = 0; p < n_slots; p++)
      {
        GroupPair *gp = &g_array_index (g->pairs, GroupPair, p);
        const guint32 *node = g->tab_node + gp->tab;
        const double *val = g->tab_val + gp->tab;
        double sum = 0;

        for (gsize jj = 0; jj < gp->n_tab; jj++)
          s->pos[node[jj]] = (guint)jj;
        for (guint64 e = at; e < at + gp->w; e++)
          {
            guint jj = s->pos[by_slot[e]];

            if (jj != G_MAXUINT)
              s->hits[jj]++;
          }
        at += gp->w;
        for (gsize jj = 0; jj < gp->n_tab; jj++)
          {
            if (s->hits[jj] != 0)
              sum += (double)s->hits[jj] * val[jj];
            s->hits[jj] = 0;
            s->pos[node[jj]] = G_MAXUINT;
          }
        job->out[gp->index] = gp->p_t + gp->dv * (sum / (double)gp->w);
      }
  }
  g_array_set_size (g->pairs, 0);
  g->walks = 0;
  g->max_w = 0;
  g->n_tab = 0;
}

/* Scores pair @i into the group (or at once when it needs no walks or more
 * than a group holds). */
static void
group_add (const BiJob *job,
           Scratch     *s,
           Group       *g,
           gsize        i)
{
  guint u = (guint)job->pairs[2 * i], v = (guint)job->pairs[2 * i + 1];
  gint64 du = degree (job, u), dv = degree (job, v);
  double p_t = 0;
  guint64 w;
  gsize n_tab = 0;

  if (du == 0 || dv == 0)
    {
      job->out[i] = estimate (job, s, u, v);
      return;
    }
  w = push (job, s, u, v, &p_t);
  for (gsize k = 0; k < s->n_touched; k++)
    n_tab += s->r[k] > 0;
  if (w == 0 || w > job->group_walks || n_tab > job->group_tab
      || index_bits (w) > job->id_bits)
    {
      /* Alone, the same bits. */
      if (w > 0)
        walk_pair (job, s, s->hits, v, w, pair_key (job, u, v));
      job->out[i] = p_t + (w > 0 ? dv * (hits_sum (s, s->hits) / (double)w) : 0);
      clear_touched (s);
      return;
    }
  if (!group_fits (job, g, w, n_tab))
    {
      /* The group is full: keep this pair's push aside while it walks. */
      g_autofree guint32 *node = g_new (guint32, n_tab);
      g_autofree double *val = g_new (double, n_tab);
      gsize j = 0;

      for (gsize k = 0; k < s->n_touched; k++)
        if (s->r[k] > 0)
          {
            node[j] = s->touched[k];
            val[j++] = s->r[k] / s->deg[k];
          }
      clear_touched (s);
      group_walk (job, s, g);
      memcpy (g->tab_node, node, sizeof (guint32) * n_tab);
      memcpy (g->tab_val, val, sizeof (double) * n_tab);
    }
  else
    {
      gsize j = g->n_tab;

      for (gsize k = 0; k < s->n_touched; k++)
        if (s->r[k] > 0)
          {
            g->tab_node[j] = s->touched[k];
            g->tab_val[j++] = s->r[k] / s->deg[k];
          }
      clear_touched (s);
    }
  {
    GroupPair gp = { i, v, pair_key (job, u, v), w, p_t, (double)dv, g->n_tab, n_tab };

    g_array_append_val (g->pairs, gp);
    g->walks += w;
    g->max_w = MAX (g->max_w, w);
    g->n_tab += n_tab;
  }
}

static gpointer
worker (gpointer data)
{
  BiJob *job = data;
  Scratch s;
  Group g = { 0 };
  gsize n_chunks = (job->n_pairs + CHUNK - 1) / CHUNK;

  s.pos = g_new (guint, job->n);
  memset (s.pos, 0xff, sizeof (guint) * job->n);
  s.touched = g_new (guint, job->n);
  s.r = g_new (double, job->n);
  s.deg = g_new (double, job->n);
  s.queued = g_new (guint8, job->n);
  s.queue = g_new (guint, job->n);
  s.hits = g_new0 (guint64, job->n);
  s.n_touched = 0;
  if (job->batch)
    {
      g.pairs = g_array_new (FALSE, FALSE, sizeof (GroupPair));
      g.tab_node = g_new (guint32, job->group_tab);
      g.tab_val = g_new (double, job->group_tab);
      g.buf[0] = g_new (Walker, job->group_walks);
      g.buf[1] = g_new (Walker, job->group_walks);
      g.keys = g_new (guint64, MIN (job->n_pairs, job->group_walks));
      /* Hundreds of MB written once a call: 2 MB pages fault 512 times
       * less (and the walkers' scattered writes miss the TLB less). */
      _philia_advise_huge_pages (g.tab_node, sizeof (guint32) * job->group_tab);
      _philia_advise_huge_pages (g.tab_val, sizeof (double) * job->group_tab);
      _philia_advise_huge_pages (g.buf[0], sizeof (Walker) * job->group_walks);
      _philia_advise_huge_pages (g.buf[1], sizeof (Walker) * job->group_walks);
      /* Enough for the buckets and for the group's pairs (each has a walk). */
      g.n_counts = MAX (((gsize)job->n >> job->bucket_shift) + 2,
                        MIN (job->n_pairs, job->group_walks) + 1);
      g.counts = g_new (guint64, g.n_counts);
    }
  for (;;)
    {
      gsize c = (gsize)g_atomic_int_add (&job->next, 1);

      if (c >= n_chunks || g_cancellable_is_cancelled (job->cancellable))
        break;
      for (gsize i = c * CHUNK; i < MIN ((c + 1) * CHUNK, job->n_pairs); i++)
        if (job->batch)
          group_add (job, &s, &g, i);
        else
          job->out[i] = estimate (job, &s, (guint)job->pairs[2 * i],
                                  (guint)job->pairs[2 * i + 1]);
    }
  if (job->batch)
    {
      if (g.pairs->len > 0 && !g_cancellable_is_cancelled (job->cancellable))
        group_walk (job, &s, &g);
      g_array_unref (g.pairs);
      g_free (g.tab_node);
      g_free (g.tab_val);
      g_free (g.buf[0]);
      g_free (g.buf[1]);
      g_free (g.keys);
      g_free (g.counts);
    }
  g_free (s.pos);
  g_free (s.r);
  g_free (s.deg);
  g_free (s.queued);
  g_free (s.touched);
  g_free (s.queue);
  g_free (s.hits);
  return NULL;
}

/* Which engine walks, and the batch engine's sizes. The two give the same
 * bits, so this is a matter of speed only: the batch engine when the
 * neighbour array is beyond the caches (64 MB) and there are pairs enough to
 * fill groups. PHILIA_BIPPR_ENGINE (pair, batch), PHILIA_BIPPR_GROUP_WALKS,
 * PHILIA_BIPPR_GROUP_TAB (residuals a group keeps), PHILIA_BIPPR_ID_BITS (a
 * walker id's width, at most 32) and PHILIA_BIPPR_BUCKET_SHIFT override
 * (tests and benchmarks). */
static void
engine_params (BiJob       *job,
               PhiliaGraph *graph,
               gsize        n_pairs)
{
  gint64 nnz = job->off[job->n];
  const char *env = g_getenv ("PHILIA_BIPPR_ENGINE");
  guint shift = 0;

  job->batch = nnz * (gint64)sizeof (gint32) >= 64 * 1024 * 1024 && n_pairs >= 4 * CHUNK;
  if (env != NULL)
    job->batch = g_strcmp0 (env, "batch") == 0;
  /* 2^23 walks a group, or more on a larger graph: the largest power of
   * two up to a quarter of the neighbour entries (2^25 at 10^8 edges, about
   * 0.9 GB a thread with the residual tables, under the transient peak of
   * loading such a graph). */
  job->group_walks = 1 << 23;
  while (job->group_walks * 2 <= (guint64)nnz / 4 && job->group_walks < (1u << 30))
    job->group_walks *= 2;
  env = g_getenv ("PHILIA_BIPPR_GROUP_WALKS");
  if (env != NULL && g_ascii_strtoull (env, NULL, 10) > 0)
    job->group_walks = g_ascii_strtoull (env, NULL, 10);
  job->group_walks = MIN (job->group_walks, G_MAXUINT32);
  job->group_tab = job->group_walks;
  env = g_getenv ("PHILIA_BIPPR_GROUP_TAB");
  if (env != NULL && g_ascii_strtoull (env, NULL, 10) > 0)
    job->group_tab = g_ascii_strtoull (env, NULL, 10);
  job->id_bits = 32;
  env = g_getenv ("PHILIA_BIPPR_ID_BITS");
  if (env != NULL && g_ascii_strtoull (env, NULL, 10) > 0)
    job->id_bits = (guint)MIN (g_ascii_strtoull (env, NULL, 10), 32);
  /* A bucket's rows about 1 MB of neighbours (2^18 entries). */
  while (shift < 30 && (double)nnz / MAX (job->n, 1) * ldexp (2, (int)shift) <= 0x1.0p18)
    shift++;
  env = g_getenv ("PHILIA_BIPPR_BUCKET_SHIFT");
  if (env != NULL)
    shift = (guint)MIN (g_ascii_strtoull (env, NULL, 10), 30);
  job->bucket_shift = shift;
  (void)graph;
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
  /* A step stops when its 53-bit draw is below α 2^53 (α = 1: always). */
  job.stop_below = (guint64)ceil (params->ppr_alpha * 0x1.0p53);
  engine_params (&job, graph, n_pairs);
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
