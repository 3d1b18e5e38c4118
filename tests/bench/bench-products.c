/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Issue 20: the dense products of the grid's wide cells on one thread, on
 * the product kernel (philia-small-gemm.c) and on OpenBLAS sgemm of the same
 * shape, against the core's FMA peak (a loop of independent 512-bit, or
 * 256-bit, multiply-adds: what the FMA units can do at all). Shapes: the
 * 11,758-node graph's first layer at 128 features, X W (forward), Xᵀ dZ (the
 * weight's gradient) and dZ Wᵀ (the input's), for output widths 256 and
 * 512, and SAGE's stacked [mean X | X] at 256 inputs; and the output layer's
 * products into a few classes, H W2 and Hᵀ dY, on the few-column kernel
 * (philia-narrow-gemm.c, OpenBLAS's sums in less time).
 * The transposed form also as the hidden op's backward pass calls it (W1's
 * gradient summed 192 rows at a time, each block's activation gradient in
 * the same small buffer), and on the other shapes it serves: the 2,708-node
 * cells' few input columns, widths that leave columns past the last panel,
 * and widths off the grid (not a multiple of 16) with their neighbours.
 * Usage: bench-products [SUBSTRING]: only the products whose name has it.
 * Prints "PRODUCT name GFLOP/s fraction-of-sgemm fraction-of-peak" lines;
 * times are the thread's CPU time, best of runs, so OpenBLAS runs on one
 * thread (on two, the calling thread's CPU time would count half its work).
 */
#include "config.h"

#include <cblas.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <immintrin.h>

#include "philia-core.h"
#include "bench-util.h"
#include "learning/philia-small-gemm-private.h"
#include "learning/philia-narrow-gemm-private.h"

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Twelve independent multiply-add chains of @VT: enough to fill both FMA
 * pipes whatever their latency. */
#define FMA_LOOP(NAME, VT, TARGET, FMA, SET1, FIRST)                                        \
  static __attribute__ ((noinline, target (TARGET))) float                                 \
  NAME (long iters)                                                                         \
  {                                                                                         \
    VT acc[12], x = SET1 (1.0000001f), y = SET1 (1e-7f);                                    \
    float s = 0;                                                                            \
                                                                                            \
    for (int i = 0; i < 12; i++)                                                            \
      acc[i] = SET1 ((float)i);                                                             \
    for (long i = 0; i < iters; i++)                                                        \
      {                                                                                     \
        _Pragma ("GCC unroll 12")                                                           \
        for (int j = 0; j < 12; j++)                                                        \
          acc[j] = FMA (acc[j], x, y);                                                      \
      }                                                                                     \
    for (int i = 0; i < 12; i++)                                                            \
      s += FIRST (acc[i]);                                                                  \
    return s;                                                                               \
  }

FMA_LOOP (fma_avx512, __m512, "avx512f,fma", _mm512_fmadd_ps, _mm512_set1_ps,
          _mm512_cvtss_f32)
FMA_LOOP (fma_avx2, __m256, "avx2,fma", _mm256_fmadd_ps, _mm256_set1_ps, _mm256_cvtss_f32)

static volatile float sink;

static double
peak (gboolean wide)
{
  long iters = 20000000;
  double best;

  BEST_OF (5, best, sink = wide ? fma_avx512 (iters) : fma_avx2 (iters));
  return (double)iters * 12 * (wide ? 16 : 8) * 2 / best / 1e9;
}

static float *
random_floats (gsize n)
{
  float *x = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    x[i] = (float)((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
  return x;
}

static const char *only;

static const guint odd_widths[] = { 17, 24, 40, 50, 72, 100, 101, 104, 112, 120, 127, 128, 200, 208, 300,
                                    304, 384 };

/* The hidden op's block of rows at width 512 (block_rows_backward () in
 * philia-ops-hidden.c). */
#define BLOCK_ROWS 192

/* form 0: C[m,n] = A[m,k] B[k,n]; 1: C[k,n] = A[m,k]ᵀ B[m,n]; 2: C[m,k] = A[m,n] B[k,n]ᵀ;
 * 3 and 4: forms 0 and 1 on the few-column kernel; 5: form 1 a block of
 * BLOCK_ROWS rows of A at a time, accumulating, every block's rows of B
 * the same BLOCK_ROWS × n buffer (the hidden op's backward pass). */
static void
bench (const char *name,
       int         form,
       guint       m,
       guint       k,
       guint       n,
       double      fma_peak)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  g_autofree float *a = random_floats ((gsize)m * MAX (k, n));
  g_autofree float *b = random_floats ((gsize)MAX (k, m) * n);
  g_autofree float *c = random_floats ((gsize)MAX (m, k) * MAX (n, k));
  double flop = 2.0 * m * k * n, ours, blas;
  int runs = 8;

  if (only != NULL && strstr (name, only) == NULL)
    return;

  if (form == 0)
    {
      BEST_OF (runs, ours, _philia_small_gemm (tape, m, n, k, a, k, b, n, c, n, NULL, FALSE,
                                                NULL, NULL));
      BEST_OF (runs, blas, cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f,
                                        a, k, b, n, 0.0f, c, n));
    }
  else if (form == 1)
    {
      BEST_OF (runs, ours, _philia_small_gemm_tn (tape, k, n, m, a, k, b, n, c, n, FALSE));
      BEST_OF (runs, blas, cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, k, n, m, 1.0f,
                                        a, k, b, n, 0.0f, c, n));
    }
  else if (form == 5)
    {
      BEST_OF (runs, ours,
               for (guint r0 = 0; r0 < m; r0 += BLOCK_ROWS)
                 _philia_small_gemm_tn (tape, k, n, MIN (BLOCK_ROWS, m - r0), a + (gsize)r0 * k,
                                        k, b, n, c, n, r0 > 0));
      BEST_OF (runs, blas,
               for (guint r0 = 0; r0 < m; r0 += BLOCK_ROWS)
                 cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, k, n,
                              MIN (BLOCK_ROWS, m - r0), 1.0f, a + (gsize)r0 * k, k, b, n,
                              r0 > 0 ? 1.0f : 0.0f, c, n));
    }
  else if (form == 3)
    {
      BEST_OF (runs, ours, _philia_narrow_gemm_forced (CblasNoTrans, m, n, k, a, k, b, n, 0.0f,
                                                        c, n));
      BEST_OF (runs, blas, cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f,
                                        a, k, b, n, 0.0f, c, n));
    }
  else if (form == 4)
    {
      BEST_OF (runs, ours, _philia_narrow_gemm_forced (CblasTrans, k, n, m, a, k, b, n, 0.0f, c,
                                                        n));
      BEST_OF (runs, blas, cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, k, n, m, 1.0f,
                                        a, k, b, n, 0.0f, c, n));
    }
  else
    {
      BEST_OF (runs, ours, _philia_small_gemm_nt (tape, m, k, n, a, n, b, n, c, k, FALSE));
      BEST_OF (runs, blas, cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, m, k, n, 1.0f,
                                        a, n, b, n, 0.0f, c, k));
    }
  philia_tape_reset (tape);
  printf ("PRODUCT %-42s kernel %6.1f GFLOP/s  sgemm %6.1f GFLOP/s  kernel/sgemm %.2f  "
          "kernel/peak %.2f  sgemm/peak %.2f\n", name, flop / ours / 1e9, flop / blas / 1e9,
          blas / ours, flop / ours / 1e9 / fma_peak, flop / blas / 1e9 / fma_peak);
}

int
main (int    argc,
      char **argv)
{
  double p512, p256;

  only = argc > 1 ? argv[1] : NULL;
  openblas_set_num_threads (1);
  p512 = peak (TRUE);
  p256 = peak (FALSE);

  printf ("PEAK fma-512 %.1f GFLOP/s  fma-256 %.1f GFLOP/s\n", p512, p256);
  bench ("X W 11758x128 . 128x512", 0, 11758, 128, 512, p512);
  bench ("X^T dZ 128x11758 . 11758x512", 1, 11758, 128, 512, p512);
  bench ("dZ W^T 11758x512 . 512x128", 2, 11758, 128, 512, p512);
  bench ("X W 11758x128 . 128x256", 0, 11758, 128, 256, p512);
  bench ("X^T dZ 128x11758 . 11758x256", 1, 11758, 128, 256, p512);
  bench ("[mX|X] W 11758x256 . 256x512", 0, 11758, 256, 512, p512);
  bench ("[mX|X]^T dZ 256x11758 . 11758x512", 1, 11758, 256, 512, p512);
  bench ("[mX|X]^T dZ 256x11758 . 11758x256", 1, 11758, 256, 256, p512);
  bench ("X^T dZ by 192 rows 128x11758 . 11758x512", 5, 11758, 128, 512, p512);
  bench ("X^T dZ by 192 rows 128x11758 . 11758x256", 5, 11758, 128, 256, p512);
  bench ("X^T dZ 10x2708 . 2708x512", 1, 2708, 10, 512, p512);
  bench ("X^T dZ 128x2708 . 2708x256", 1, 2708, 128, 256, p512);
  bench ("X^T dZ 128x2708 . 2708x80", 1, 2708, 128, 80, p512);
  bench ("X^T dZ 128x2708 . 2708x48", 1, 2708, 128, 48, p512);
  bench ("H^T dZ 512x2708 . 2708x16", 1, 2708, 512, 16, p512);
  bench ("H W2 2708x512 . 512x5", 3, 2708, 512, 5, p512);
  bench ("H^T dY 512x2708 . 2708x5", 4, 2708, 512, 5, p512);
  bench ("H [Wl|Wr] 2708x512 . 512x10", 3, 2708, 512, 10, p512);
  bench ("H^T dY 512x2708 . 2708x10", 4, 2708, 512, 10, p512);
  bench ("H W2 11758x512 . 512x5", 3, 11758, 512, 5, p512);
  bench ("H^T dY 512x11758 . 11758x5", 4, 11758, 512, 5, p512);
  bench ("H W2 2708x64 . 64x7", 3, 2708, 64, 7, p512);
  bench ("H^T dY 64x2708 . 2708x7", 4, 2708, 64, 7, p512);
  /* Widths off the grid (session 23): 5,000 nodes, 300 dense features,
   * hidden widths not a multiple of 16 (a partial panel, masked) against
   * the multiples of 16 around them. */
  for (guint i = 0; i < G_N_ELEMENTS (odd_widths); i++)
    {
      guint w = odd_widths[i];
      char name[64];

      g_snprintf (name, sizeof name, "X W 5000x300 . 300x%u", w);
      bench (name, 0, 5000, 300, w, p512);
      g_snprintf (name, sizeof name, "X^T dZ 300x5000 . 5000x%u", w);
      bench (name, 1, 5000, 300, w, p512);
      g_snprintf (name, sizeof name, "dZ W^T 5000x%u . %ux300", w, w);
      bench (name, 2, 5000, 300, w, p512);
    }
  return 0;
}
