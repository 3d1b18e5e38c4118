/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* When an op's work is worth a second thread (issue 20): a cost model from
 * its multiply-adds and the bytes it moves against the measured cost of
 * handing work to the team and joining it (tests/bench/bench-parallel.c,
 * tests/bench/GRID.md), and the products of the tape split by it. */

#include "philia-tape-private.h"

#include <cblas.h>

G_BEGIN_DECLS

/* Estimated nanoseconds of @madds multiply-adds touching @bytes bytes on
 * one thread. */
double   _philia_cost_ns       (double madds,
                                double bytes);
/* Estimated nanoseconds of a single-threaded sgemm of m × n outputs over
 * k terms. */
double   _philia_cost_sgemm_ns (int    m,
                                int    n,
                                int    k);
/* The bytes an sgemm of m × n outputs over k terms moves. */
double   _philia_cost_gemm_bytes (int    m,
                                  int    n,
                                  int    k);
/* Estimated nanoseconds of work of @ns nanoseconds on one thread, touching
 * @bytes bytes, split over @n_threads: its share, the dispatch and join, and
 * handing the operands between the caller's cache and the workers'. */
double   _philia_cost_split_ns (guint  n_threads,
                                double ns,
                                double bytes);
/* Whether splitting work of @ns estimated nanoseconds over @bytes bytes
 * over @n_threads takes no longer than one thread (_philia_cost_split_ns);
 * and for @madds multiply-adds touching @bytes bytes. */
gboolean _philia_cost_parallel_ns (guint  n_threads,
                                   double ns,
                                   double bytes);
gboolean _philia_cost_parallel (guint  n_threads,
                                double madds,
                                double bytes);

/* Two ways of doing the same work, arm 0 (one thread) and arm 1 (split
 * over the team), timed in turn on their first uses and the faster kept.
 * The first use runs the guess and is not counted (cold caches, first
 * touch of fresh buffers), the next 2 × rounds alternate 0, 1, 0, 1, …,
 * and then arm 1 is kept only if it won by the margin twice over: its
 * fastest time is at most (1 − margin) times arm 0's, and so is, in the
 * median round, its time over the time of arm 0 just before it (the upper
 * median: with two rounds, both). A split has costs its own timing does not
 * see (the ops after it read the worker's rows from the other core's
 * cache), and one lucky split among level times must not keep it: noise
 * only ever keeps arm 0 (tests/bench/GRID.md, session 19). */
#define PHILIA_CHOICE_MAX_ROUNDS 8

typedef struct
{
  guint  uses;     /* timed uses so far, the uncounted first one included */
  guint  rounds;   /* uses of each arm timed before deciding */
  int    kept;     /* −1 while timing, else the arm kept */
  double best[2];  /* the fastest time of each arm so far */
  double last0;    /* arm 0's last time, for the round's ratio (< 0: none) */
  guint  n_ratios; /* rounds timed so far, at most PHILIA_CHOICE_MAX_ROUNDS */
  double ratios[PHILIA_CHOICE_MAX_ROUNDS];  /* arm 1's time over arm 0's, each round */
} PhiliaChoice;

/* The upper median of @n values (the larger middle one when @n is even;
 * at most PHILIA_CHOICE_MAX_ROUNDS are read), NaN when @n is 0. */
double   _philia_choice_upper_median (const double *values,
                                      guint         n);
void     _philia_choice_init   (PhiliaChoice       *choice,
                                guint               rounds);
/* The arm the next use runs: the kept one, or the one to time next (@guess
 * on the first use). */
guint    _philia_choice_next   (const PhiliaChoice *choice,
                                guint               guess);
/* Counts a use of @arm that took @time (any unit); decides after the last. */
void     _philia_choice_record (PhiliaChoice       *choice,
                                guint               arm,
                                double              time,
                                double              margin);
/* After @choice kept the split (arm 1) and the op sites were decided:
 * whether their mix, whose fastest whole step took @mix, goes on instead
 * of splitting every op the cost model splits (it must be no slower); the
 * kept configuration's time becomes best[1]. So whatever goes on beat one
 * thread's fastest by the choice's margin. */
gboolean _philia_choice_keep_mix (PhiliaChoice       *choice,
                                  double              mix);

/* How many op sites the tape has decided (kept split, kept on one thread)
 * and how many it is still timing; for tests and benchmarks. */
void     _philia_tape_site_counts (PhiliaTape *tape,
                                   guint      *split,
                                   guint      *single,
                                   guint      *timing);
/* Drops every op site's choice (ops split as the cost model says again,
 * timed anew only while the tape times ops). */
void     _philia_tape_forget_sites (PhiliaTape *tape);
/* Sets the threads the tape's ops use from now on (1 … the count it was
 * made with), and whether op sites still undecided are timed (else they
 * split as the cost model says, untimed). */
void     _philia_tape_use_threads (PhiliaTape *tape,
                                   guint       n_threads,
                                   gboolean    time_ops);
/* Tests: every row-parallel op and product of two rows a thread or more
 * splits (@force 1), whatever the cost model says, or none does (0); −1
 * restores the cost model and the timed choice. */
void     _philia_tape_force_split (PhiliaTape *tape,
                                   int         force);

/* Bytes a sparse product of @nnz entries, @rows × @cols, by a dense matrix
 * @width wide moves when its operands stay in cache (the small products the
 * decision is about): index and value per entry, each row of the dense
 * operand and of the output once. */
#define SPMM_BYTES(nnz, rows, cols, width) \
  (8.0 * (nnz) + 4.0 * ((double)(rows) + (double)(cols)) * (width))

/* Runs @fn over [0, n) on the tape's threads (in blocks, below) or
 * on the calling thread alone: an op the cost model would split, for work
 * of @ns nanoseconds on one thread touching @bytes bytes, is timed split and
 * unsplit on its first uses at its site (@fn and the shape), and the faster
 * is kept (PhiliaChoice); either gives the same bits. */
void _philia_tape_parallel_rows_ns (PhiliaTape   *tape,
                                    guint         n,
                                    const gint64 *offsets,
                                    double        ns,
                                    double        bytes,
                                    RangeFunc     fn,
                                    gpointer      data);
/* The same, a split cutting each thread's share into @per_thread blocks (at
 * most 4; _philia_tape_parallel_rows_ns () cuts 4): the caller runs them
 * from the first row, the workers from the last, so a late worker's last
 * blocks fall to the caller. 1 for an op whose every block reads a whole
 * operand again (a packed panel of B). */
void _philia_tape_parallel_rows_blocks (PhiliaTape   *tape,
                                        guint         n,
                                        const gint64 *offsets,
                                        double        ns,
                                        double        bytes,
                                        guint         per_thread,
                                        RangeFunc     fn,
                                        gpointer      data);
/* The same for @madds multiply-adds (_philia_cost_ns). */
void _philia_tape_parallel_rows_cost (PhiliaTape   *tape,
                                      guint         n,
                                      const gint64 *offsets,
                                      double        madds,
                                      double        bytes,
                                      RangeFunc     fn,
                                      gpointer      data);

/* Row-major cblas_sgemm on the tape's team: OpenBLAS runs on one thread
 * (its own threads would busy-wait beside the team's, three threads on two
 * cores), and a product worth it is split into blocks of output rows, each
 * one single-threaded sgemm cut at whole kernel tiles, so that the result
 * has the bits of one call whatever the thread count (OpenBLAS's own
 * threads did not keep them). */
void _philia_sgemm (PhiliaTape      *tape,
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
                    int              ldc);

/* Sets OpenBLAS to one thread: the team splits the products. */
void _philia_cost_blas_single (void);

G_END_DECLS
