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

/* Bytes a sparse product of @nnz entries, @rows × @cols, by a dense matrix
 * @width wide moves when its operands stay in cache (the small products the
 * decision is about): index and value per entry, each row of the dense
 * operand and of the output once. */
#define SPMM_BYTES(nnz, rows, cols, width) \
  (8.0 * (nnz) + 4.0 * ((double)(rows) + (double)(cols)) * (width))

/* _philia_tape_parallel_rows with the decision made by the cost model, for
 * work of @ns nanoseconds on one thread touching @bytes bytes. */
void _philia_tape_parallel_rows_ns (PhiliaTape   *tape,
                                    guint         n,
                                    const gint64 *offsets,
                                    double        ns,
                                    double        bytes,
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
