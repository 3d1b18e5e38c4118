/* SPDX-License-Identifier: GPL-3.0-or-later */
/* When an op's work is worth a second thread: the cost model and the
 * products split by it (issue 20; figures in tests/bench/GRID.md). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-cost-private.h"
#include "philia-narrow-gemm-private.h"
#include "philia-parallel-private.h"

#include <math.h>
#include <string.h>
#include <time.h>

/* One thread's speed on the loop kernels (spmm, elementwise, attention):
 * about 16 G multiply-adds and 25 GB a second here, whichever binds
 * (tests/bench/bench-parallel.c: y += a x streams 27 GB/s from one thread
 * and 53 from two, so bytes split as well as multiply-adds do). */
#define NS_PER_MADD 0.06
#define NS_PER_BYTE 0.04
/* OpenBLAS's sgemm does a multiply-add in about a third of that time
 * (45 G a second at widths 32 to 128). */
#define SGEMM_MADD_SHARE 0.37
/* Two threads take t₁ / T + dispatch + hand-over, and an op splits when
 * that is at most t₁. A dispatch and join costs about 1 µs when the worker
 * is spinning (it spins 200 µs after a job) and 20 µs when it has to be
 * woken (medians, bench-parallel). */
#define DISPATCH_NS 15000.0
/* And the worker's half of the data is in the caller's cache: the ops
 * before an op ran on the caller and wrote its operands there, and the ops
 * after read the worker's rows back. A sparse product's gathers fetch each
 * row of the dense operand from the other core one cache line at a time,
 * latency-bound; on this machine a split product of sparse features over
 * 1–4 MB did its half in as long as one thread did the whole
 * (tests/bench/GRID.md, session 14). The hand-over is charged at one
 * thread's byte rate over all the op's bytes (half of them cross, at about
 * half that rate when gathered), up to what the caller's caches hold of
 * them: beyond that the operands come from memory for either thread. */
#define HANDOFF_MAX_BYTES (4.0 * 1024 * 1024)

double
_philia_cost_ns (double madds,
                 double bytes)
{
  return MAX (madds * NS_PER_MADD, bytes * NS_PER_BYTE);
}

double
_philia_cost_gemm_bytes (int m,
                         int n,
                         int k)
{
  return MAX (4.0 * ((double)m * k + (double)k * n + 2.0 * m * n), 0);
}

double
_philia_cost_sgemm_ns (int m,
                       int n,
                       int k)
{
  double madds = (double)MAX (m, 0) * MAX (n, 0) * MAX (k, 0);
  double bytes = _philia_cost_gemm_bytes (m, n, k);

  return _philia_cost_ns (madds * SGEMM_MADD_SHARE, MAX (bytes, 0));
}

double
_philia_cost_split_ns (guint  n_threads,
                       double ns,
                       double bytes)
{
  return ns / MAX (n_threads, 1) + DISPATCH_NS + NS_PER_BYTE * CLAMP (bytes, 0, HANDOFF_MAX_BYTES);
}

gboolean
_philia_cost_parallel_ns (guint  n_threads,
                          double ns,
                          double bytes)
{
  /* On two threads: t₁ ≥ 2 (dispatch + hand-over); without bytes, 30 µs
   * of work (the rule of session 13), and never below 2 × 15 + 2 × 168 µs
   * for an op of 4 MB or more. */
  return n_threads > 1 && _philia_cost_split_ns (n_threads, ns, bytes) <= ns;
}

gboolean
_philia_cost_parallel (guint  n_threads,
                       double madds,
                       double bytes)
{
  return _philia_cost_parallel_ns (n_threads, _philia_cost_ns (madds, bytes), bytes);
}

double
_philia_choice_upper_median (const double *values,
                             guint         n)
{
  double sorted[PHILIA_CHOICE_MAX_ROUNDS];

  n = MIN (n, PHILIA_CHOICE_MAX_ROUNDS);
  if (n == 0)
    return NAN;
  memcpy (sorted, values, n * sizeof (double));
  /* Insertion sort: a few rounds. */
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && sorted[j - 1] > sorted[j]; j--)
      {
        double t = sorted[j];

        sorted[j] = sorted[j - 1];
        sorted[j - 1] = t;
      }
  return sorted[n / 2];
}

void
_philia_choice_init (PhiliaChoice *choice,
                     guint         rounds)
{
  choice->uses = 0;
  choice->rounds = MAX (rounds, 1);
  choice->kept = -1;
  choice->best[0] = choice->best[1] = G_MAXDOUBLE;
  choice->last0 = -1;
  choice->n_ratios = 0;
}

guint
_philia_choice_next (const PhiliaChoice *choice,
                     guint               guess)
{
  if (choice->kept >= 0)
    return (guint)choice->kept;
  if (choice->uses == 0)
    return guess != 0;
  /* Uses 1, 2, 3, 4, …: arms 0, 1, 0, 1, … */
  return (choice->uses - 1) % 2;
}

void
_philia_choice_record (PhiliaChoice *choice,
                       guint         arm,
                       double        time,
                       double        margin)
{
  if (choice->kept >= 0 || arm > 1)
    return;
  if (choice->uses > 0)
    {
      choice->best[arm] = MIN (choice->best[arm], time);
      if (arm == 0)
        choice->last0 = time;
      else if (choice->last0 >= 0 && choice->n_ratios < PHILIA_CHOICE_MAX_ROUNDS)
        {
          choice->ratios[choice->n_ratios++] = choice->last0 > 0 ? time / choice->last0
                                                                 : G_MAXDOUBLE;
          choice->last0 = -1;
        }
    }
  if (++choice->uses < 1 + 2 * choice->rounds)
    return;
  choice->kept = choice->best[1] <= (1.0 - margin) * choice->best[0]
                 && (choice->n_ratios == 0
                     || _philia_choice_upper_median (choice->ratios, choice->n_ratios)
                          <= 1.0 - margin);
}

gboolean
_philia_choice_keep_mix (PhiliaChoice *choice,
                         double        mix)
{
  if (choice->kept != 1 || !(mix <= choice->best[1]))
    return FALSE;
  choice->best[1] = mix;
  return TRUE;
}

/* An op site: the op's function and its shape. Sites of one function and
 * shape share a choice (the same work, wherever in the model it runs). */
typedef struct
{
  guint64 fn;
  guint64 a, b, c;
} SiteKey;

typedef struct
{
  SiteKey      key;   /* first: the table's key points here */
  PhiliaChoice choice;
} Site;

/* Margin a timed split must win by (PhiliaChoice): the ops after a split op
 * read the worker's rows from its core's cache (tests/bench/GRID.md,
 * session 14: up to six times slower), which the op's own time misses. */
#define SITE_MARGIN 0.1
/* One timed use of each arm: a site is used once to a few times an epoch,
 * and every use timed on the slower arm costs. A use slowed by chance
 * errs towards what the cost model chose (split) or towards one thread. */
#define SITE_ROUNDS 1
/* Sites timed at most: shapes that change every step (mini-batches, masked
 * tokens) would otherwise grow the table; past this, the cost model alone
 * decides for new sites. */
#define MAX_SITES 4096

static guint
site_hash (gconstpointer p)
{
  const SiteKey *k = p;
  guint64 h = k->fn;

  h = (h ^ k->a) * 0x9e3779b97f4a7c15ULL;
  h = (h ^ k->b) * 0x9e3779b97f4a7c15ULL;
  h = (h ^ k->c) * 0x9e3779b97f4a7c15ULL;
  return (guint)(h >> 32);
}

static gboolean
site_equal (gconstpointer p,
            gconstpointer q)
{
  const SiteKey *a = p, *b = q;

  return a->fn == b->fn && a->a == b->a && a->b == b->b && a->c == b->c;
}

/* An estimate in the site key, in steps of a quarter octave: an op whose
 * operand changes a little every step (dropout keeps about half of the
 * entries of sparse features, a different number each time) is one site,
 * not a new one each step that is never decided and always splits on its
 * first, uncounted use. */
static guint64
estimate_bucket (double x)
{
  return x > 1 ? (guint64)floor (4.0 * log2 (x)) + 1 : 0;
}

static double
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Whether the op at @key, which the cost model would split (@model), splits
 * this time; *timing is the choice to record its time in, or NULL. */
static gboolean
site_split (PhiliaTape    *tape,
            const SiteKey *key,
            gboolean       model,
            PhiliaChoice **timing)
{
  Site *site;

  *timing = NULL;
  if (tape->n_threads < 2)
    return FALSE;
  if (tape->force_split >= 0)
    return tape->force_split;
  if (!model)
    return FALSE;
  if (tape->sites == NULL)
    tape->sites = g_hash_table_new_full (site_hash, site_equal, g_free, NULL);
  site = g_hash_table_lookup (tape->sites, key);
  if (site == NULL)
    {
      if (!tape->time_ops || g_hash_table_size (tape->sites) >= MAX_SITES)
        return TRUE;
      site = g_new (Site, 1);
      site->key = *key;
      _philia_choice_init (&site->choice, SITE_ROUNDS);
      g_hash_table_add (tape->sites, site);
    }
  if (site->choice.kept >= 0)
    return site->choice.kept;
  if (!tape->time_ops)
    return TRUE;
  *timing = &site->choice;
  return _philia_choice_next (&site->choice, 1);
}

void
_philia_tape_site_counts (PhiliaTape *tape,
                          guint      *split,
                          guint      *single,
                          guint      *timing)
{
  GHashTableIter iter;
  gpointer key;

  *split = *single = *timing = 0;
  if (tape->sites == NULL)
    return;
  g_hash_table_iter_init (&iter, tape->sites);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const Site *site = key;

      if (site->choice.kept < 0)
        (*timing)++;
      else if (site->choice.kept)
        (*split)++;
      else
        (*single)++;
    }
}

void
_philia_tape_forget_sites (PhiliaTape *tape)
{
  if (tape->sites != NULL)
    g_hash_table_remove_all (tape->sites);
}

void
_philia_tape_use_threads (PhiliaTape *tape,
                          guint       n_threads,
                          gboolean    time_ops)
{
  tape->n_threads = MAX (n_threads, 1);
  tape->time_ops = time_ops;
}

void
_philia_tape_force_split (PhiliaTape *tape,
                          int         force)
{
  tape->force_split = CLAMP (force, -1, 1);
}

/* Blocks a thread's share of a split op is cut into. The caller runs
 * blocks from the first row on, the workers from the last
 * (philia_parallel_run ()), so with threads at the same speed each still
 * gets its contiguous share, and a worker that starts late or runs slower
 * leaves its last blocks to the caller instead of keeping it waiting for a
 * whole share (tests/bench/GRID.md, session 21: on GCN 64 over 11,758 ×
 * 8,000 words the caller waited 120–410 µs on average for the worker after
 * its own half of a split op of about 1 ms; the worker was asleep at seven
 * ops in ten and picked the job up 50–190 µs after it was posted). */
#define BLOCKS_PER_THREAD 4

typedef struct
{
  RangeFunc fn;
  gpointer  data;
  guint     bounds[64 * BLOCKS_PER_THREAD + 1];
} Blocks;

static void
run_block (gpointer data,
           guint    task)
{
  Blocks *blocks = data;

  blocks->fn (blocks->data, blocks->bounds[task], blocks->bounds[task + 1]);
}

/* The calling thread alone below two rows a thread; otherwise @per_thread
 * blocks a thread (at most BLOCKS_PER_THREAD), of about equal entries with
 * @offsets, every output row written by one block, so the bits do not
 * depend on the cut. */
void
_philia_tape_split_rows_blocks (PhiliaTape   *tape,
                                guint         n,
                                const gint64 *offsets,
                                guint         per_thread,
                                RangeFunc     fn,
                                gpointer      data)
{
  guint t = MIN (tape->n_threads, 64), parts;
  Blocks blocks;

  if (t < 2 || n < 2 * t)
    {
      fn (data, 0, n);
      return;
    }
  parts = MIN (t * CLAMP (per_thread, 1, BLOCKS_PER_THREAD), n);
  blocks.fn = fn;
  blocks.data = data;
  blocks.bounds[0] = 0;
  blocks.bounds[parts] = n;
  for (guint k = 1; k < parts; k++)
    {
      if (offsets != NULL)
        {
          gint64 target = offsets[0] + (offsets[n] - offsets[0]) * k / parts;
          guint lo = blocks.bounds[k - 1], hi = n;

          while (lo < hi)
            {
              guint mid = lo + (hi - lo) / 2;

              if (offsets[mid] < target)
                lo = mid + 1;
              else
                hi = mid;
            }
          blocks.bounds[k] = lo;
        }
      else
        blocks.bounds[k] = (guint)((guint64)n * k / parts);
    }
  philia_parallel_run (t, parts, run_block, &blocks);
}

void
_philia_tape_parallel_rows_blocks (PhiliaTape   *tape,
                                   guint         n,
                                   const gint64 *offsets,
                                   double        ns,
                                   double        bytes,
                                   guint         per_thread,
                                   RangeFunc     fn,
                                   gpointer      data)
{
  SiteKey key = { (guint64)(guintptr)fn, n, estimate_bucket (ns), estimate_bucket (bytes) };
  PhiliaChoice *timing;
  gboolean split;
  double t0 = 0;

  split = site_split (tape, &key, _philia_cost_parallel_ns (tape->n_threads, ns, bytes), &timing);
  if (timing != NULL)
    t0 = now_ns ();
  if (split)
    _philia_tape_split_rows_blocks (tape, n, offsets, per_thread, fn, data);
  else
    fn (data, 0, n);
  if (timing != NULL)
    _philia_choice_record (timing, split, now_ns () - t0, SITE_MARGIN);
}

void
_philia_tape_parallel_rows_ns (PhiliaTape   *tape,
                               guint         n,
                               const gint64 *offsets,
                               double        ns,
                               double        bytes,
                               RangeFunc     fn,
                               gpointer      data)
{
  _philia_tape_parallel_rows_blocks (tape, n, offsets, ns, bytes, BLOCKS_PER_THREAD, fn, data);
}

void
_philia_tape_parallel_rows_cost (PhiliaTape   *tape,
                                 guint         n,
                                 const gint64 *offsets,
                                 double        madds,
                                 double        bytes,
                                 RangeFunc     fn,
                                 gpointer      data)
{
  _philia_tape_parallel_rows_ns (tape, n, offsets, _philia_cost_ns (madds, bytes), bytes, fn,
                                 data);
}

void
_philia_cost_blas_single (void)
{
  openblas_set_num_threads (1);
}

typedef struct
{
  CBLAS_TRANSPOSE ta, tb;
  int             m, n, k, lda, ldb, ldc;
  float           alpha, beta;
  const float    *a, *b;
  float          *c;
  guint           tiles, parts;
} Gemm;

/* The blocks are cut at multiples of this many rows. OpenBLAS's kernels
 * work on tiles of a few rows (24 for sgemm on this machine; 4, 8 or 16
 * elsewhere) and round the last, partial tile of a call differently: a
 * block of whole tiles gives every row the bits the whole call gives it,
 * whatever the thread count (tests/test-parallel-cost.c checks it here).
 * Columns are never split: no cut tried kept the bits. */
#define GEMM_GRAIN 48

static void
gemm_block (gpointer data,
            guint    task)
{
  Gemm *g = data;
  int first = (int)((gint64)g->tiles * task / g->parts) * GEMM_GRAIN;
  int count = MIN ((int)((gint64)g->tiles * (task + 1) / g->parts) * GEMM_GRAIN, g->m) - first;
  /* Rows of C are rows (or, transposed, columns) of A. */
  const float *a = g->ta == CblasNoTrans ? g->a + (gsize)first * g->lda : g->a + first;

  if (count > 0)
    _philia_narrow_or_sgemm (g->ta, g->tb, count, g->n, g->k, g->alpha, a, g->lda, g->b, g->ldb,
                             g->beta, g->c + (gsize)first * g->ldc, g->ldc);
}

void
_philia_sgemm (PhiliaTape      *tape,
               CBLAS_TRANSPOSE  trans_a,
               CBLAS_TRANSPOSE  trans_b,
               int              m,
               int              n,
               int              k,
               float            alpha,
               const float     *a,
               int              lda,
               const float     *b,
               int              ldb,
               float            beta,
               float           *c,
               int              ldc)
{
  Gemm g = { trans_a, trans_b, m, n, k, lda, ldb, ldc, alpha, beta, a, b, c, 0, 0 };
  guint t = MIN (tape->n_threads, 64);
  gboolean split;

  if (m <= 0 || n <= 0)
    return;
  g.tiles = (guint)((m + GEMM_GRAIN - 1) / GEMM_GRAIN);
  g.parts = MIN (t, g.tiles);
  if (g.parts > 1)
    {
      SiteKey key = { (guint64)(guintptr)gemm_block, ((guint64)(guint)m << 32) | (guint)n,
                      ((guint64)(guint)k << 16) | ((guint64)trans_a << 8) | trans_b, 0 };
      gboolean model = _philia_cost_parallel_ns (t, _philia_cost_sgemm_ns (m, n, k),
                                                 _philia_cost_gemm_bytes (m, n, k));
      PhiliaChoice *timing;
      double t0 = 0;

      split = site_split (tape, &key, model, &timing);
      if (timing != NULL)
        t0 = now_ns ();
      if (split)
        philia_parallel_run (g.parts, g.parts, gemm_block, &g);
      else
        _philia_narrow_or_sgemm (trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      if (timing != NULL)
        _philia_choice_record (timing, split, now_ns () - t0, SITE_MARGIN);
      return;
    }
  _philia_narrow_or_sgemm (trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
