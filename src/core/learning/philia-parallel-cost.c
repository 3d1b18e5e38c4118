/* SPDX-License-Identifier: GPL-3.0-or-later */
/* When an op's work is worth a second thread: the cost model and the
 * products split by it (issue 20; figures in tests/bench/GRID.md). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-cost-private.h"
#include "philia-parallel-private.h"

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

void
_philia_tape_parallel_rows_ns (PhiliaTape   *tape,
                               guint         n,
                               const gint64 *offsets,
                               double        ns,
                               double        bytes,
                               RangeFunc     fn,
                               gpointer      data)
{
  if (!_philia_cost_parallel_ns (tape->n_threads, ns, bytes))
    {
      fn (data, 0, n);
      return;
    }
  /* Above every threshold _philia_tape_parallel_rows keeps. */
  _philia_tape_parallel_rows (tape, n, offsets, G_MAXDOUBLE, fn, data);
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
    cblas_sgemm (CblasRowMajor, g->ta, g->tb, count, g->n, g->k, g->alpha, a, g->lda, g->b,
                 g->ldb, g->beta, g->c + (gsize)first * g->ldc, g->ldc);
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

  if (m <= 0 || n <= 0)
    return;
  g.tiles = (guint)((m + GEMM_GRAIN - 1) / GEMM_GRAIN);
  g.parts = MIN (t, g.tiles);
  if (g.parts <= 1
      || !_philia_cost_parallel_ns (t, _philia_cost_sgemm_ns (m, n, k),
                                    _philia_cost_gemm_bytes (m, n, k)))
    {
      cblas_sgemm (CblasRowMajor, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c,
                   ldc);
      return;
    }
  philia_parallel_run (g.parts, g.parts, gemm_block, &g);
}
