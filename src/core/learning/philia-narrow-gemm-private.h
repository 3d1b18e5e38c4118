/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Products into a few columns (a model's output layer: hidden width → the
 * classes) in OpenBLAS's own summation order (philia-narrow-gemm.c). */

#include <glib.h>
#include <cblas.h>

G_BEGIN_DECLS

/*
 * C = beta C + A B (@trans_a CblasNoTrans: A is @m × @k, row stride @lda;
 * CblasTrans: A is @k × @m) for B @k × @n (row stride @ldb), @n from 1 to
 * 15, alpha 1 and beta 0 or 1, every element summed in the order and with
 * the roundings of the sgemm of the OpenBLAS this process runs (the kernel
 * is used only with the OpenBLAS release and core type whose order it was
 * checked against, tests/test-narrow-gemm.c). Returns FALSE, having done
 * nothing, for anything else: the caller then calls cblas_sgemm ().
 */
gboolean _philia_narrow_gemm (CBLAS_TRANSPOSE  trans_a,
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

/* _philia_narrow_gemm () where it takes the call, else cblas_sgemm () (row
 * major): the same bits either way. */
void     _philia_narrow_or_sgemm (CBLAS_TRANSPOSE  trans_a,
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

/* The kernel regardless of the OpenBLAS found (tests: its sums against a
 * double-precision product on any machine). Same arguments and conditions
 * on the shape as _philia_narrow_gemm (); FALSE without AVX2 and FMA. */
gboolean _philia_narrow_gemm_forced (CBLAS_TRANSPOSE  trans_a,
                                     int              m,
                                     int              n,
                                     int              k,
                                     const float     *a,
                                     int              lda,
                                     const float     *b,
                                     int              ldb,
                                     float            beta,
                                     float           *c,
                                     int              ldc);

/* Whether _philia_narrow_gemm () runs here (the OpenBLAS whose order it
 * reproduces, and a CPU with AVX2 and FMA). */
gboolean _philia_narrow_gemm_active (void);

G_END_DECLS
