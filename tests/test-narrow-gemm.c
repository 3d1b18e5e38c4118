/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-cost-private.h"
#include "philia-narrow-gemm-private.h"

/*
 * The few-column product kernel (philia-narrow-gemm.c): on shapes that take
 * every path (rows in and out of 8-row, 4-row and 12-row tiles, 1 to 15
 * columns, inner dimensions within one block, at each blocking rule and
 * across many blocks, beta 0 and 1, strides wider than the rows, both
 * transposes of A), against a double-precision product with the tolerance
 * of a float32 sum on any machine, and, where it runs in place of OpenBLAS
 * (_philia_narrow_gemm_active ()), against cblas_sgemm () bit for bit.
 */

static float
uniform (PhiliaRng *rng)
{
  return 2 * philia_rng_float (rng) - 1;
}

static void
check_shape (PhiliaRng *rng,
             gboolean   trans,
             int        m,
             int        n,
             int        k,
             float      beta,
             gboolean   bits)
{
  int lda = (trans ? m : k) + 3, ldb = n + 2, ldc = n + 1;
  gsize a_len = (gsize)(trans ? k : m) * lda, b_len = (gsize)k * ldb, c_len = (gsize)m * ldc;
  g_autofree float *a = g_new (float, a_len), *b = g_new (float, b_len);
  g_autofree float *c = g_new (float, c_len), *c0 = g_new (float, c_len);
  g_autofree float *blas = g_new (float, c_len);
  CBLAS_TRANSPOSE ta = trans ? CblasTrans : CblasNoTrans;

  for (gsize i = 0; i < a_len; i++)
    a[i] = uniform (rng);
  for (gsize i = 0; i < b_len; i++)
    b[i] = uniform (rng);
  for (gsize i = 0; i < c_len; i++)
    c0[i] = uniform (rng);
  memcpy (c, c0, sizeof (float) * c_len);
  memcpy (blas, c0, sizeof (float) * c_len);
  if (!_philia_narrow_gemm_forced (ta, m, n, k, a, lda, b, ldb, beta, c, ldc))
    {
      g_test_skip ("no AVX2 and FMA");
      return;
    }
  for (int i = 0; i < m; i++)
    for (int j = 0; j < ldc; j++)
      {
        double want = beta != 0 ? c0[(gsize)i * ldc + j] : 0, scale = fabs (want);
        float got = c[(gsize)i * ldc + j];

        if (j >= n)
          {
            /* Past the product's columns: untouched. */
            g_assert_cmpfloat (got, ==, c0[(gsize)i * ldc + j]);
            continue;
          }
        for (int t = 0; t < k; t++)
          {
            double x = trans ? a[(gsize)t * lda + i] : a[(gsize)i * lda + t];

            want += x * b[(gsize)t * ldb + j];
            scale += fabs (x * b[(gsize)t * ldb + j]);
          }
        if (fabs (got - want) > 2e-7 * (k + 2) * scale + 1e-30)
          g_error ("%s m %d n %d k %d beta %g: C[%d, %d] = %.9g, want %.9g", trans ? "TN" : "NN",
                   m, n, k, beta, i, j, got, want);
      }
  if (bits)
    {
      cblas_sgemm (CblasRowMajor, ta, CblasNoTrans, m, n, k, 1.0f, a, lda, b, ldb, beta, blas,
                   ldc);
      for (gsize i = 0; i < c_len; i++)
        if (memcmp (&c[i], &blas[i], sizeof (float)) != 0)
          g_error ("%s m %d n %d k %d beta %g: C[%d, %d] %a, OpenBLAS %a", trans ? "TN" : "NN",
                   m, n, k, beta, (int)(i / ldc), (int)(i % ldc), c[i], blas[i]);
    }
}

static void
test_shapes (void)
{
  /* Rows: under a tile, each remainder of 12 (the 4-row tiles), a
   * thread block of 48, the grid's widths; columns 1 to 15; inner
   * dimensions: one term, within a block, 512 (two halves), 600 (the rounded
   * half), 644 and 652 (rounding to 8), 1,500 and 2,708 (many blocks). */
  static const int ms[] = { 1, 3, 7, 8, 12, 16, 24, 28, 29, 31, 33, 35, 48, 100, 512 };
  static const int ks[] = { 1, 5, 17, 320, 512, 600, 644, 652, 1500, 2708 };
  gboolean bits = _philia_narrow_gemm_active ();
  PhiliaRng rng;

  philia_rng_init (&rng, 41);
  if (!bits)
    g_test_message ("not the OpenBLAS the kernel follows: its sums only");
  for (int trans = 0; trans < 2; trans++)
    for (guint i = 0; i < G_N_ELEMENTS (ms); i++)
      for (int n = 1; n <= 15; n++)
        for (guint l = 0; l < G_N_ELEMENTS (ks); l++)
          {
            /* The largest shapes at a few column counts only. */
            if (ms[i] * ks[l] > 200000 && n % 5 != 0 && n != 8)
              continue;
            check_shape (&rng, trans, ms[i], n, ks[l], (i + n + l) % 2 ? 1.0f : 0.0f, bits);
          }
}

/* What the kernel leaves to OpenBLAS. */
static void
test_refused (void)
{
  float a[16 * 16] = { 0 }, b[16 * 16] = { 0 }, c[16 * 16] = { 0 };

  g_assert_false (_philia_narrow_gemm (CblasNoTrans, CblasNoTrans, 4, 16, 4, 1.0f, a, 4, b, 16,
                                       0.0f, c, 16));
  g_assert_false (_philia_narrow_gemm (CblasNoTrans, CblasTrans, 4, 4, 4, 1.0f, a, 4, b, 4,
                                       0.0f, c, 4));
  g_assert_false (_philia_narrow_gemm (CblasNoTrans, CblasNoTrans, 4, 4, 4, 2.0f, a, 4, b, 4,
                                       0.0f, c, 4));
  g_assert_false (_philia_narrow_gemm (CblasNoTrans, CblasNoTrans, 4, 4, 4, 1.0f, a, 4, b, 4,
                                       0.5f, c, 4));
  g_assert_false (_philia_narrow_gemm (CblasNoTrans, CblasNoTrans, 4, 4, 0, 1.0f, a, 4, b, 4,
                                       0.0f, c, 4));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* As the tape runs it (philia-parallel-cost.c): its order is one thread's. */
  _philia_cost_blas_single ();
  g_test_add_func ("/narrow-gemm/shapes", test_shapes);
  g_test_add_func ("/narrow-gemm/refused", test_refused);
  return g_test_run ();
}
