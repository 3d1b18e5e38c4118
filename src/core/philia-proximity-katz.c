/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <string.h>

#include "philia-core.h"
#include "philia-proximity-private.h"

/*
 * Truncated Katz of a few pairs by meeting in the middle.
 *
 * The per-source route (do_katz_truncated () in philia-proximity-solve.c)
 * scatters the walk counts A^l e_u for l < L over dense vectors of n entries:
 * on a graph of mean degree d that is d^(L−1) scattered writes a source, each a
 * cache miss once n is large (10^4 misses a source at d = 100, L = 3, about
 * 15 minutes for 10^6 random pairs). Random pairs rarely share a source, so
 * the work is better split between the two ends: with a = ⌊(L − 1)/2⌋ and
 * b = L − 1 − a, the walk counts X_i = A^i e_u (i ≤ a) and Y_j = A^j e_v
 * (j ≤ b) are kept in small hash maps, and
 *   (A^l)_{uv} = X_i · Y_j                         for l = i + j ≤ a + b,
 *   (A^L)_{uv} = Σ_{w ∈ X_a} X_a[w] Σ_{y ∈ N(w)} Y_b[y],
 * the last one reading the rows of X_a's support in order against a map that
 * stays in cache (d^2 lookups at L = 3, no scattered writes). The counts are
 * integers, exact in doubles below 2^53, and they are weighted and summed in
 * the order the per-source route uses, so both give the same bits; a source
 * whose maps would outgrow MAP_MAX_ENTRIES (a small graph at a long L, where
 * the supports fill the graph) goes the per-source route instead.
 */

/* Past this many entries a map no longer fits in L2 and dense vectors win. */
#define MAP_MAX_ENTRIES (1u << 15)
#define EMPTY G_MAXUINT32

struct _KatzMap
{
  guint32 *keys;
  double  *vals;
  guint   *used;    /* the occupied slots, in insertion order */
  guint    n, cap;  /* cap a power of two */
};

static void
map_init (KatzMap *m)
{
  m->cap = 64;
  m->n = 0;
  m->keys = g_new (guint32, m->cap);
  m->vals = g_new (double, m->cap);
  m->used = g_new (guint, m->cap / 2);
  memset (m->keys, 0xff, sizeof (guint32) * m->cap);
}

static void
map_free (KatzMap *m)
{
  g_free (m->keys);
  g_free (m->vals);
  g_free (m->used);
}

static void
map_reset (KatzMap *m)
{
  for (guint i = 0; i < m->n; i++)
    m->keys[m->used[i]] = EMPTY;
  m->n = 0;
}

static inline guint
map_slot (const KatzMap *m,
          guint32        key)
{
  guint mask = m->cap - 1, s = (key * 2654435769u) & mask;

  while (m->keys[s] != EMPTY && m->keys[s] != key)
    s = (s + 1) & mask;
  return s;
}

static inline double
map_get (const KatzMap *m,
         guint32        key)
{
  guint s = map_slot (m, key);

  return m->keys[s] == key ? m->vals[s] : 0;
}

/* Doubles the capacity, keeping the insertion order of the entries (the
 * sums over a map run in that order). */
static void
map_grow (KatzMap *m)
{
  g_autofree guint32 *keys = m->keys;
  g_autofree double *vals = m->vals;
  g_autofree guint *used = m->used;
  guint n = m->n;

  m->cap *= 2;
  m->keys = g_new (guint32, m->cap);
  m->vals = g_new (double, m->cap);
  m->used = g_new (guint, m->cap / 2);
  memset (m->keys, 0xff, sizeof (guint32) * m->cap);
  m->n = 0;
  for (guint i = 0; i < n; i++)
    {
      guint s = map_slot (m, keys[used[i]]);

      m->keys[s] = keys[used[i]];
      m->vals[s] = vals[used[i]];
      m->used[m->n++] = s;
    }
}

/* m[key] += val; FALSE when the map would pass MAP_MAX_ENTRIES. */
static inline gboolean
map_add (KatzMap *m,
         guint32  key,
         double   val)
{
  guint s = map_slot (m, key);

  if (m->keys[s] == key)
    {
      m->vals[s] += val;
      return TRUE;
    }
  if (m->n >= MAP_MAX_ENTRIES)
    return FALSE;
  if (2 * (m->n + 1) > m->cap)
    {
      map_grow (m);
      s = map_slot (m, key);
    }
  m->keys[s] = key;
  m->vals[s] = val;
  m->used[m->n++] = s;
  return TRUE;
}

/* to = A from (to starts empty); FALSE past MAP_MAX_ENTRIES. */
static gboolean
map_expand (const Job     *job,
            const KatzMap *from,
            KatzMap       *to)
{
  for (guint i = 0; i < from->n; i++)
    {
      guint s = from->used[i];
      guint32 x = from->keys[s];
      double c = from->vals[s];

      for (gint64 e = job->off[x]; e < job->off[x + 1]; e++)
        if (!map_add (to, (guint32)job->nbr[e], c))
          return FALSE;
    }
  return TRUE;
}

/* Σ_k x[k] y[k] over the smaller map. */
static double
map_dot (const KatzMap *x,
         const KatzMap *y)
{
  double sum = 0;

  if (x->n > y->n)
    {
      const KatzMap *t = x;

      x = y;
      y = t;
    }
  for (guint i = 0; i < x->n; i++)
    {
      guint s = x->used[i];

      sum += x->vals[s] * map_get (y, x->keys[s]);
    }
  return sum;
}

/* x^T A y, reading the rows of the support with the smaller degree sum. */
static double
map_dot_across (const Job     *job,
                const KatzMap *x,
                const KatzMap *y)
{
  gint64 wx = 0, wy = 0;
  double sum = 0;

  for (guint i = 0; i < x->n; i++)
    wx += job->off[x->keys[x->used[i]] + 1] - job->off[x->keys[x->used[i]]];
  for (guint i = 0; i < y->n; i++)
    wy += job->off[y->keys[y->used[i]] + 1] - job->off[y->keys[y->used[i]]];
  if (wx > wy)
    {
      const KatzMap *t = x;

      x = y;
      y = t;
    }
  for (guint i = 0; i < x->n; i++)
    {
      guint s = x->used[i];
      guint32 w = x->keys[s];
      double inner = 0;

      for (gint64 e = job->off[w]; e < job->off[w + 1]; e++)
        inner += map_get (y, (guint32)job->nbr[e]);
      sum += x->vals[s] * inner;
    }
  return sum;
}

struct _KatzMeet
{
  guint    n_levels;
  KatzMap *x, *y;     /* n_levels maps each: X_0 … X_a, Y_0 … Y_b */
  double  *counts;    /* (A^l)_{uv} for l = 1 … L */
};

KatzMeet *
_philia_proximity_katz_meet_new (guint len)
{
  KatzMeet *k = g_new0 (KatzMeet, 1);

  k->n_levels = len / 2 + 1;
  k->x = g_new (KatzMap, k->n_levels);
  k->y = g_new (KatzMap, k->n_levels);
  for (guint i = 0; i < k->n_levels; i++)
    {
      map_init (&k->x[i]);
      map_init (&k->y[i]);
    }
  k->counts = g_new0 (double, len + 1);
  return k;
}

void
_philia_proximity_katz_meet_free (KatzMeet *k)
{
  if (k == NULL)
    return;
  for (guint i = 0; i < k->n_levels; i++)
    {
      map_free (&k->x[i]);
      map_free (&k->y[i]);
    }
  g_free (k->x);
  g_free (k->y);
  g_free (k->counts);
  g_free (k);
}

/* Fills maps[0 .. depth] with A^j e_s; FALSE past MAP_MAX_ENTRIES. */
static gboolean
walk_counts (const Job *job,
             KatzMap   *maps,
             guint      s,
             guint      depth)
{
  for (guint j = 0; j <= depth; j++)
    map_reset (&maps[j]);
  map_add (&maps[0], s, 1);
  for (guint j = 1; j <= depth; j++)
    if (!map_expand (job, &maps[j - 1], &maps[j]))
      return FALSE;
  return TRUE;
}

gboolean
_philia_proximity_katz_meet (const Job   *job,
                             KatzMeet    *k,
                             guint        u,
                             const gsize *pairs,
                             gsize        n_pairs,
                             int          col)
{
  guint L = job->params.katz_len, a = (L - 1) / 2, b = L - 1 - a;
  double beta = job->params.katz_beta;

  g_assert (L >= 1 && b < k->n_levels);

  if (!walk_counts (job, k->x, u, a))
    return FALSE;
  for (gsize p = 0; p < n_pairs; p++)
    {
      guint v = (guint)job->pairs[2 * pairs[p] + 1];
      double acc = 0, beta_l = 1;

      if (!walk_counts (job, k->y, v, b))
        return FALSE;
      for (guint l = 1; l < L; l++)
        {
          guint i = MIN (a, l);

          k->counts[l] = map_dot (&k->x[i], &k->y[l - i]);
        }
      k->counts[L] = map_dot_across (job, &k->x[a], &k->y[b]);

      /* The order of do_katz_truncated (): levels with walks, then the last. */
      for (guint l = 1; l < L; l++)
        {
          beta_l *= beta;
          if (k->counts[l] != 0)
            acc += beta_l * k->counts[l];
        }
      beta_l *= beta;
      job->out[pairs[p] * job->n_cols + (gsize)col] = acc + beta_l * k->counts[L];
    }
  return TRUE;
}

/* ------------------------------------------- shortest paths, halfway too */

/* Inserts key → val unless key is there: 1 if inserted, 0 if it was there,
 * −1 past MAP_MAX_ENTRIES. */
static inline int
map_insert (KatzMap *m,
            guint32  key,
            double   val)
{
  guint s = map_slot (m, key);

  if (m->keys[s] == key)
    return 0;
  if (m->n >= MAP_MAX_ENTRIES)
    return -1;
  if (2 * (m->n + 1) > m->cap)
    {
      map_grow (m);
      s = map_slot (m, key);
    }
  m->keys[s] = key;
  m->vals[s] = val;
  m->used[m->n++] = s;
  return 1;
}

/* The bidirectional BFS of philia-proximity-solve.c step for step, with the
 * visited sets in hash maps (their insertion order is the queue), so a pair
 * whose balls stay small touches no n-sized array. */
gboolean
_philia_proximity_sp_meet (const Job *job,
                           KatzMeet  *k,
                           guint      s,
                           guint      t,
                           gint32    *dist)
{
  KatzMap *side[2] = { &k->x[0], &k->y[0] };
  guint head[2] = { 0, 0 }, level_end[2] = { 1, 1 };
  double best = G_MAXINT32;

  if (s == t)
    {
      *dist = 0;
      return TRUE;
    }
  map_reset (side[0]);
  map_reset (side[1]);
  map_insert (side[0], s, 0);
  map_insert (side[1], t, 0);
  while (head[0] < side[0]->n && head[1] < side[1]->n && best == G_MAXINT32)
    {
      guint me = (side[0]->n - head[0]) <= (side[1]->n - head[1]) ? 0 : 1;
      KatzMap *this = side[me];
      const KatzMap *other = side[1 - me];

      for (; head[me] < level_end[me]; head[me]++)
        {
          guint slot = this->used[head[me]];
          guint32 x = this->keys[slot];
          double dx = this->vals[slot];

          for (gint64 e = job->off[x]; e < job->off[x + 1]; e++)
            {
              guint32 y = (guint32)job->nbr[e];
              guint o = map_slot (other, y);

              if (other->keys[o] == y)
                best = MIN (best, dx + 1 + other->vals[o]);
              if (map_insert (this, y, dx + 1) < 0)
                return FALSE;
            }
        }
      level_end[me] = this->n;
    }
  *dist = best == G_MAXINT32 ? -1 : (gint32)best;
  return TRUE;
}
