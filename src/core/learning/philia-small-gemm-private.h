/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A product kernel for the per-token linear layers of the transformer:
 * many rows, a short inner dimension (the width, 64 to a few hundred) and a
 * narrow output. OpenBLAS (Debian 12's 0.3.21) runs its AVX2 kernel on CPUs
 * it does not know (AMD Zen 4 and 5 among them) and packs both operands on
 * every call; here the weight is read in place from the cache, the rows are
 * split over the tape's threads, and a caller's epilogue (residual, ReLU,
 * dropout) runs on each block of rows while it is still in the cache. */

#include "philia-tape-private.h"

G_BEGIN_DECLS

/* Called on rows [@begin, @end) of the output right after they are written
 * (from the thread that wrote them). */
typedef void (*PhiliaGemmEpilogue) (gpointer data,
                                    guint    begin,
                                    guint    end);

/* Whether _philia_small_gemm () takes a product of inner dimension @k and
 * @n output columns on this CPU (AVX2 and FMA at least; @k and @n bounded so
 * that the weight stays in the cache). */
gboolean _philia_small_gemm_usable (guint k,
                                    guint n);

/*
 * C[r, j] = init + Σ_t A[r, t] B[t, j] for r < @m, j < @n, the sum taken in
 * order of t with one fused multiply-add a term, init @bias[j] (NULL: 0), or
 * C[r, j] itself when @accumulate. A is @m × @k with row stride @lda, B is
 * @k × @n with row stride @ldb, C has row stride @ldc. Rows are split over
 * @tape's threads (each element's arithmetic does not depend on the split).
 * Only for products _philia_small_gemm_usable () accepts.
 */
void     _philia_small_gemm        (PhiliaTape         *tape,
                                    guint               m,
                                    guint               n,
                                    guint               k,
                                    const float        *a,
                                    gsize               lda,
                                    const float        *b,
                                    gsize               ldb,
                                    float              *c,
                                    gsize               ldc,
                                    const float        *bias,
                                    gboolean            accumulate,
                                    PhiliaGemmEpilogue  epilogue,
                                    gpointer            data);

/* Floats a packed copy of B's whole 64-column panels takes for
 * _philia_small_gemm_packed () (@k × the columns in whole panels), or 0
 * when the kernel would not read one (no AVX-512, fewer than 64 columns,
 * or a product _philia_small_gemm_usable () refuses). */
gsize    _philia_small_gemm_packed_size (guint k,
                                         guint n);

/* Copies B (@k × @n, row stride @ldb) into @bp, which holds
 * _philia_small_gemm_packed_size (@k, @n) floats: each whole 64-column
 * panel's @k rows one after the other. */
void     _philia_small_gemm_pack   (guint               k,
                                    guint               n,
                                    const float        *b,
                                    gsize               ldb,
                                    float              *bp);

/* B's panels packed into a buffer of @tape's pool, its length in floats in
 * @size (to give back with _philia_tape_pool_give ()); NULL, @size 0, when
 * the kernel reads B in place. */
float   *_philia_small_gemm_pack_take (PhiliaTape  *tape,
                                       guint        k,
                                       guint        n,
                                       const float *b,
                                       gsize        ldb,
                                       gsize       *size);

/* _philia_small_gemm () reading B's whole panels from @bp, packed from the
 * same B by _philia_small_gemm_pack () (NULL: from @b in place): for a
 * caller that multiplies many row blocks by one B. The same bits either
 * way; _philia_small_gemm () packs by itself over many rows. */
void     _philia_small_gemm_packed (PhiliaTape         *tape,
                                    guint               m,
                                    guint               n,
                                    guint               k,
                                    const float        *a,
                                    gsize               lda,
                                    const float        *b,
                                    gsize               ldb,
                                    const float        *bp,
                                    float              *c,
                                    gsize               ldc,
                                    const float        *bias,
                                    gboolean            accumulate,
                                    PhiliaGemmEpilogue  epilogue,
                                    gpointer            data);

/* Whether _philia_small_gemm_tn () takes an @m × @n product. */
gboolean _philia_small_gemm_tn_usable (guint m,
                                       guint n);

/*
 * C[r, j] = (C[r, j] when @accumulate, else 0) + Σ_t A[t, r] B[t, j] for
 * r < @m, j < @n, t < @k in order, one multiply-add a term: the transpose
 * of A (@k × @m, row stride @lda) times B (@k × @n, row stride @ldb), a
 * weight's gradient X^T G over many rows. The inner index is taken in
 * blocks that stay in the cache (the sum's order is kept across them);
 * rows of C are split over @tape's threads.
 */
void     _philia_small_gemm_tn     (PhiliaTape         *tape,
                                    guint               m,
                                    guint               n,
                                    guint               k,
                                    const float        *a,
                                    gsize               lda,
                                    const float        *b,
                                    gsize               ldb,
                                    float              *c,
                                    gsize               ldc,
                                    gboolean            accumulate);

/* Whether the dense models' products (GCN, SAGE, the MLP: philia_op_linear,
 * philia_op_matmul and the hidden-layer op) into @n columns go through the
 * kernel: with AVX-512 only, at whole vectors of 16 as since session 20 and,
 * since session 23, at any width over 16 (the columns past the last whole
 * vector as masked lanes: at 100 to 127 columns on 5,000 rows and 300 inner
 * 0.7 to 0.8 of the FMA peak against OpenBLAS's 0.4, tests/bench/GRID.md).
 * Narrower outputs (a few classes) stay on OpenBLAS and the few-column
 * kernel. Its AVX2 kernel has not been measured against OpenBLAS on these
 * shapes, so OpenBLAS keeps them there. */
gboolean _philia_small_gemm_dense (guint n);

/* The same for the transposed form (_philia_small_gemm_tn (), a weight's
 * gradient into @n columns): at widths under 48 that are not whole vectors
 * its partial panel does two or three vectors of work a packed term of A,
 * and OpenBLAS is faster (0.34 of the peak against 0.25 at 24 columns). */
gboolean _philia_small_gemm_dense_tn (guint n);

/*
 * C[r, j] = (C[r, j] when @accumulate, else 0) + Σ_t A[r, t] B[j, t]: A
 * times the transpose of B (@n × @k, row stride @ldb), an input's gradient
 * G Wᵀ. B's transpose is copied once (k × n floats) and the product goes
 * through _philia_small_gemm (): for products it accepts as (@k, @n).
 */
void     _philia_small_gemm_nt     (PhiliaTape         *tape,
                                    guint               m,
                                    guint               n,
                                    guint               k,
                                    const float        *a,
                                    gsize               lda,
                                    const float        *b,
                                    gsize               ldb,
                                    float              *c,
                                    gsize               ldc,
                                    gboolean            accumulate);

/* For tests: caps the instruction set the kernel uses (2 AVX-512, 1 AVX2
 * and FMA, 0 none: the callers use OpenBLAS; −1 lifts the cap); returns
 * the cap before. */
int      _philia_small_gemm_set_level (int cap);

G_END_DECLS
