/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "autograd-test-util.h"
#include "philia-core.h"
#include "philia-ops-transformer-private.h"
#include "philia-small-gemm-private.h"
#include "philia-tape-private.h"

/*
 * The transformer's small-product kernel (philia-small-gemm.c): against a
 * double-precision product on shapes that take every block of the kernel
 * (whole and partial row blocks, whole and partial column panels, columns
 * past the last vector, strides wider than the rows), its AVX2 and AVX-512
 * forms and its thread splits bit for bit (each element is the same
 * multiply-add sequence), and the transformer's product ops through it
 * against the same ops through OpenBLAS (the unfused path, bit-identical to
 * the composed ops: test-transformer.c), outputs and gradients (the
 * weight's through the transposed kernel), with the
 * tolerance of a reordered float32 sum.
 */

static float
uniform (PhiliaRng *rng)
{
  return 2 * philia_rng_float (rng) - 1;
}

typedef struct
{
  guint m, n, k;
  gsize lda, ldb, ldc;
  float *a, *b, *bias, *c0;
} Case;

static void
case_init (Case      *c,
           guint      m,
           guint      n,
           guint      k,
           guint      pad,
           PhiliaRng *rng)
{
  c->m = m;
  c->n = n;
  c->k = k;
  c->lda = k + pad;
  c->ldb = n + 2 * pad;
  c->ldc = n + pad;
  c->a = g_new (float, MAX ((gsize)m * c->lda, 1));
  c->b = g_new (float, (gsize)k * c->ldb);
  c->bias = g_new (float, n);
  c->c0 = g_new (float, MAX ((gsize)m * c->ldc, 1));
  for (gsize i = 0; i < (gsize)m * c->lda; i++)
    c->a[i] = uniform (rng);
  for (gsize i = 0; i < (gsize)k * c->ldb; i++)
    c->b[i] = uniform (rng);
  for (guint j = 0; j < n; j++)
    c->bias[j] = uniform (rng);
  for (gsize i = 0; i < (gsize)m * c->ldc; i++)
    c->c0[i] = uniform (rng);
}

static void
case_clear (Case *c)
{
  g_free (c->a);
  g_free (c->b);
  g_free (c->bias);
  g_free (c->c0);
}

/* The kernel's output in a fresh copy of c0 (init: 0 none, 1 bias, 2 c0). */
static float *
run (Case *c,
     guint threads,
     guint init)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
  float *out = g_memdup2 (c->c0, sizeof (float) * MAX ((gsize)c->m * c->ldc, 1));

  _philia_small_gemm (tape, c->m, c->n, c->k, c->a, c->lda, c->b, c->ldb, out, c->ldc,
                      init == 1 ? c->bias : NULL, init == 2, NULL, NULL);
  return out;
}

/* Every element within a float32 sum's rounding of the double product;
 * the padding between rows untouched. */
static void
check_reference (Case        *c,
                 const float *out,
                 guint        init)
{
  for (guint r = 0; r < c->m; r++)
    {
      for (guint j = 0; j < c->n; j++)
        {
          double start = init == 1 ? c->bias[j] : init == 2 ? c->c0[r * c->ldc + j] : 0;
          double sum = start, mag = fabs (start);

          for (guint t = 0; t < c->k; t++)
            {
              sum += (double)c->a[r * c->lda + t] * c->b[t * c->ldb + j];
              mag += fabs ((double)c->a[r * c->lda + t] * c->b[t * c->ldb + j]);
            }
          g_assert_cmpfloat (fabs (out[r * c->ldc + j] - sum), <=, (c->k + 1) * 1.2e-7 * mag);
        }
      for (gsize j = c->n; j < c->ldc; j++)
        g_assert_cmpfloat (out[r * c->ldc + j], ==, c->c0[r * c->ldc + j]);
    }
}

static void
test_kernel (void)
{
  /* m: empty, one row, under a row block, blocks and a remainder, past a
   * chunk; n: under a vector, vectors and a remainder, whole panels of both
   * instruction sets and more; k: 1 and a transformer's widths. */
  static const guint ms[] = { 0, 1, 5, 13, 100 };
  static const guint ns[] = { 1, 3, 8, 17, 64, 70, 192 };
  static const guint ks[] = { 1, 7, 64, 128 };
  PhiliaRng rng;

  if (!_philia_small_gemm_usable (1, 1))
    {
      g_test_skip ("The CPU has no AVX2 and FMA: the kernel is not used.");
      return;
    }
  philia_rng_init (&rng, 31);
  for (guint i = 0; i < G_N_ELEMENTS (ms); i++)
    for (guint j = 0; j < G_N_ELEMENTS (ns); j++)
      for (guint l = 0; l < G_N_ELEMENTS (ks); l++)
        {
          Case c;

          case_init (&c, ms[i], ns[j], ks[l], (i + j + l) % 3, &rng);
          for (guint init = 0; init < 3; init++)
            {
              g_autofree float *out = run (&c, 1, init);
              int cap = _philia_small_gemm_set_level (1);
              g_autofree float *narrow = run (&c, 1, init);

              _philia_small_gemm_set_level (cap);
              check_reference (&c, out, init);
              g_assert_cmpmem (out, sizeof (float) * c.m * c.ldc, narrow,
                               sizeof (float) * c.m * c.ldc);
            }
          case_clear (&c);
        }
}

/* Two and three threads split the rows at other places than one: the same bits. */
static void
test_kernel_threads (void)
{
  PhiliaRng rng;
  Case c;
  g_autofree float *one = NULL, *two = NULL, *three = NULL;

  if (!_philia_small_gemm_usable (1, 1))
    {
      g_test_skip ("The CPU has no AVX2 and FMA: the kernel is not used.");
      return;
    }
  philia_rng_init (&rng, 32);
  case_init (&c, 1001, 72, 64, 1, &rng);
  one = run (&c, 1, 1);
  two = run (&c, 2, 1);
  three = run (&c, 3, 1);
  check_reference (&c, one, 1);
  g_assert_cmpmem (one, sizeof (float) * c.m * c.ldc, two, sizeof (float) * c.m * c.ldc);
  g_assert_cmpmem (one, sizeof (float) * c.m * c.ldc, three, sizeof (float) * c.m * c.ldc);
  case_clear (&c);
}

/* The three results of a transposed product (@out: AVX-512, AVX2, two
 * threads; freed here) against Σ_t A[r, t] B[c, t] in double, A[r, t] at
 * @a[r * @a_r + t * @a_t], B[c, t] at @b[c * @b_c + t * @b_t], over @c0 when
 * @acc; the column past @n untouched; all three the same bits. */
static void
check_products (float       **out,
                const float  *c0,
                gboolean      acc,
                guint         m,
                guint         n,
                guint         k,
                guint         ldc,
                const float  *a,
                gsize         a_r,
                gsize         a_t,
                const float  *b,
                gsize         b_c,
                gsize         b_t)
{
  for (guint r = 0; r < m; r++)
    {
      for (guint c = 0; c < n; c++)
        {
          double sum = acc ? c0[r * ldc + c] : 0, mag = fabs (sum);

          for (guint t = 0; t < k; t++)
            {
              double p = (double)a[r * a_r + t * a_t] * b[c * b_c + t * b_t];

              sum += p;
              mag += fabs (p);
            }
          g_assert_cmpfloat (fabs (out[0][r * ldc + c] - sum), <=, (k + 1) * 1.2e-7 * mag);
        }
      g_assert_cmpfloat (out[0][r * ldc + n], ==, c0[r * ldc + n]);
    }
  for (guint v = 1; v < 3; v++)
    g_assert_cmpmem (out[0], sizeof (float) * m * ldc, out[v], sizeof (float) * m * ldc);
  for (guint v = 0; v < 3; v++)
    g_free (out[v]);
}

/* The transposed product X^T G (a weight's gradient) against doubles:
 * inner dimensions under a block, several blocks and a remainder, none;
 * AVX2 and AVX-512 and one or two threads the same bits. */
static void
test_kernel_tn (void)
{
  static const guint ms[] = { 1, 7, 64 };
  static const guint ns[] = { 3, 16, 70, 128 };
  static const guint ks[] = { 0, 1, 255, 600 };
  PhiliaRng rng;

  if (!_philia_small_gemm_tn_usable (1, 1))
    {
      g_test_skip ("The CPU has no AVX2 and FMA: the kernel is not used.");
      return;
    }
  philia_rng_init (&rng, 35);
  for (guint i = 0; i < G_N_ELEMENTS (ms); i++)
    for (guint j = 0; j < G_N_ELEMENTS (ns); j++)
      for (guint l = 0; l < G_N_ELEMENTS (ks); l++)
        for (guint acc = 0; acc < 2; acc++)
          {
            guint m = ms[i], n = ns[j], k = ks[l], ldc = n + 1;
            g_autofree float *x = g_new (float, (gsize)k * m + 1);
            g_autofree float *gy = g_new (float, (gsize)k * n + 1);
            g_autofree float *c0 = g_new (float, (gsize)m * ldc);
            float *out[3];

            for (gsize e = 0; e < (gsize)k * m; e++)
              x[e] = uniform (&rng);
            for (gsize e = 0; e < (gsize)k * n; e++)
              gy[e] = uniform (&rng);
            for (gsize e = 0; e < (gsize)m * ldc; e++)
              c0[e] = uniform (&rng);
            for (guint v = 0; v < 3; v++)
              {
                g_autoptr(PhiliaTape) tape = philia_tape_new (v == 2 ? 2 : 1);
                int cap = _philia_small_gemm_set_level (v == 1 ? 1 : -1);

                out[v] = g_memdup2 (c0, sizeof (float) * m * ldc);
                _philia_small_gemm_tn (tape, m, n, k, x, m, gy, n, out[v], ldc, acc);
                _philia_small_gemm_set_level (cap);
              }
            check_products (out, c0, acc, m, n, k, ldc, x, 1, m, gy, 1, n);
          }
}

/* The transposed form's promise, to the bit: each element is its start and
 * then one fused multiply-add a row, in order of the rows (an independent
 * scalar loop), whatever the tile the element falls in (every count of rows
 * left below a whole tile), across whole column panels and columns past
 * them, and across blocks of the inner index; a product cut into two over
 * the rows, the second accumulating, gives the same bits (the hidden layer's
 * backward pass sums a weight's gradient block by block). */
static void
test_kernel_tn_order (void)
{
  static const guint ms[] = { 1, 2, 3, 4, 5, 6, 7, 11, 13, 20, 256 };
  static const guint ns[] = { 64, 80, 512 };
  static const guint ks[] = { 1, 127, 300 };
  PhiliaRng rng;

  if (!_philia_small_gemm_tn_usable (1, 1))
    {
      g_test_skip ("The CPU has no AVX2 and FMA: the kernel is not used.");
      return;
    }
  philia_rng_init (&rng, 36);
  for (guint i = 0; i < G_N_ELEMENTS (ms); i++)
    for (guint j = 0; j < G_N_ELEMENTS (ns); j++)
      for (guint l = 0; l < G_N_ELEMENTS (ks); l++)
        for (guint cap = 1; cap <= 2; cap++)
          {
            guint m = ms[i], n = ns[j], k = ks[l], lda = m + 3, ldb = n + 5, ldc = n + 1;
            guint cut = k / 3 + 1;
            g_autofree float *x = g_new (float, (gsize)k * lda);
            g_autofree float *gy = g_new (float, (gsize)k * ldb);
            g_autofree float *c0 = g_new (float, (gsize)m * ldc);
            g_autofree float *whole = NULL, *halves = NULL;
            g_autoptr(PhiliaTape) tape = philia_tape_new (1);
            int before = _philia_small_gemm_set_level (cap);

            for (gsize e = 0; e < (gsize)k * lda; e++)
              x[e] = uniform (&rng);
            for (gsize e = 0; e < (gsize)k * ldb; e++)
              gy[e] = uniform (&rng);
            for (gsize e = 0; e < (gsize)m * ldc; e++)
              c0[e] = uniform (&rng);
            whole = g_memdup2 (c0, sizeof (float) * m * ldc);
            halves = g_memdup2 (c0, sizeof (float) * m * ldc);
            _philia_small_gemm_tn (tape, m, n, k, x, lda, gy, ldb, whole, ldc, TRUE);
            _philia_small_gemm_tn (tape, m, n, MIN (cut, k), x, lda, gy, ldb, halves, ldc, FALSE);
            if (cut < k)
              _philia_small_gemm_tn (tape, m, n, k - cut, x + (gsize)cut * lda, lda,
                                     gy + (gsize)cut * ldb, ldb, halves, ldc, TRUE);
            _philia_small_gemm_set_level (before);
            for (guint r = 0; r < m; r++)
              {
                for (guint c = 0; c < n; c++)
                  {
                    float sum = c0[(gsize)r * ldc + c], fresh = 0;

                    for (guint t = 0; t < k; t++)
                      {
                        sum = fmaf (x[(gsize)t * lda + r], gy[(gsize)t * ldb + c], sum);
                        fresh = fmaf (x[(gsize)t * lda + r], gy[(gsize)t * ldb + c], fresh);
                      }
                    g_assert_true (whole[(gsize)r * ldc + c] == sum);
                    g_assert_true (halves[(gsize)r * ldc + c] == fresh);
                  }
                g_assert_true (whole[(gsize)r * ldc + n] == c0[(gsize)r * ldc + n]);
              }
          }
}

/* B's panels packed (philia-small-gemm.c's _philia_small_gemm_pack ()): the
 * product from the packed copy, from B in place and from the AVX2 kernel
 * (never packed) bit for bit, each element the scalar fmaf () chain from
 * its start (bias, C or 0) over t in order. Shapes: 0, 1 and a partial row
 * block of rows, rows past _philia_small_gemm ()'s own packing threshold;
 * widths under a panel, whole panels, panels and a vector tail, panels
 * and a scalar tail; inner sizes 1, odd, 128; strides wider than rows. */
static void
test_kernel_packed (void)
{
  static const guint ms[] = { 0, 1, 7, 100, 1100 };
  static const guint ns[] = { 16, 64, 80, 130, 512 };
  static const guint ks[] = { 1, 13, 128 };
  PhiliaRng rng;

  if (!_philia_small_gemm_usable (1, 1))
    {
      g_test_skip ("The CPU has no AVX2 and FMA: the kernel is not used.");
      return;
    }
  philia_rng_init (&rng, 37);
  for (guint i = 0; i < G_N_ELEMENTS (ms); i++)
    for (guint j = 0; j < G_N_ELEMENTS (ns); j++)
      for (guint l = 0; l < G_N_ELEMENTS (ks); l++)
        for (guint init = 0; init < 3; init++)
          {
            Case c;
            g_autoptr(PhiliaTape) tape = philia_tape_new (1);
            gsize size, cells;
            g_autofree float *bp = NULL, *packed = NULL, *inplace = NULL, *own = NULL;
            g_autofree float *narrow = NULL;
            int cap;

            if (ms[i] == 1100 && (ks[l] != 128 || init == 2))
              continue;
            case_init (&c, ms[i], ns[j], ks[l], (i + j + l) % 3, &rng);
            cells = MAX ((gsize)c.m * c.ldc, 1);
            size = _philia_small_gemm_packed_size (c.k, c.n);
            g_assert_cmpuint (size, ==, _philia_small_gemm_dense (16)
                                          ? (gsize)c.k * (c.n / 64 * 64) : 0);
            bp = g_new (float, MAX (size, 1));
            _philia_small_gemm_pack (c.k, c.n, c.b, c.ldb, bp);
            packed = g_memdup2 (c.c0, sizeof (float) * cells);
            inplace = g_memdup2 (c.c0, sizeof (float) * cells);
            _philia_small_gemm_packed (tape, c.m, c.n, c.k, c.a, c.lda, c.b, c.ldb,
                                       size > 0 ? bp : NULL, packed, c.ldc,
                                       init == 1 ? c.bias : NULL, init == 2, NULL, NULL);
            _philia_small_gemm_packed (tape, c.m, c.n, c.k, c.a, c.lda, c.b, c.ldb, NULL,
                                       inplace, c.ldc, init == 1 ? c.bias : NULL, init == 2,
                                       NULL, NULL);
            own = run (&c, 1, init);
            cap = _philia_small_gemm_set_level (1);
            narrow = run (&c, 1, init);
            _philia_small_gemm_set_level (cap);
            g_assert_cmpmem (packed, sizeof (float) * c.m * c.ldc, inplace,
                             sizeof (float) * c.m * c.ldc);
            g_assert_cmpmem (packed, sizeof (float) * c.m * c.ldc, own,
                             sizeof (float) * c.m * c.ldc);
            g_assert_cmpmem (packed, sizeof (float) * c.m * c.ldc, narrow,
                             sizeof (float) * c.m * c.ldc);
            for (guint r = 0; r < c.m; r++)
              {
                for (guint q = 0; q < c.n; q++)
                  {
                    float sum = init == 1 ? c.bias[q] : init == 2 ? c.c0[r * c.ldc + q] : 0;

                    for (guint t = 0; t < c.k; t++)
                      sum = fmaf (c.a[r * c.lda + t], c.b[t * c.ldb + q], sum);
                    g_assert_true (packed[r * c.ldc + q] == sum);
                  }
                for (gsize q = c.n; q < c.ldc; q++)
                  g_assert_true (packed[r * c.ldc + q] == c.c0[r * c.ldc + q]);
              }
            case_clear (&c);
          }
}

/* A value of the transposed-shape test: mostly uniform, sometimes −0 or +0
 * (one in @zeros), so that the sign of a zero sum shows. */
static float
signed_value (PhiliaRng *rng,
              guint      zeros)
{
  guint32 pick = philia_rng_below (rng, 2 * zeros);

  return pick == 0 ? -0.0f : pick == 1 ? 0.0f : uniform (rng);
}

/* The transposed form's exact sums on the odd shapes: inner row counts
 * around its 128-row packed blocks (0, 1, 127, 129, 130, 300), output rows
 * around its 6-row tiles (1 to 7, 13, 128, 130) and widths around its
 * panels (1, 17, 63, 64, 65, 100, 520: columns past the last panel, past
 * the last vector). Each element bit for bit against an independent scalar
 * loop — its start (C when accumulating, else +0), then one fused
 * multiply-add a row in the rows' order, A's term taken as 0 + A[r, t] in
 * every column (the broadcast the kernels make, which turns −0 into +0;
 * the columns past the last vector are masked lanes of one, since session
 * 23, where they went one at a time with A[r, t] as it is)
 * — with −0 and +0 among A, B and C and a row of A all −0, so that a
 * zero sum's sign is checked too; and within the tolerance of a reordered
 * float32 sum of a double-precision one. Strides wider than the rows; the
 * column past the last untouched. */
static void
test_kernel_tn_shapes (void)
{
  static const guint ks[] = { 0, 1, 127, 129, 130, 300 };
  static const guint ms[] = { 1, 2, 3, 5, 6, 7, 13, 128, 130 };
  static const guint ns[] = { 1, 17, 63, 64, 65, 100, 520 };
  PhiliaRng rng;

  if (!_philia_small_gemm_tn_usable (1, 1))
    {
      g_test_skip ("The CPU has no AVX2 and FMA: the kernel is not used.");
      return;
    }
  philia_rng_init (&rng, 37);
  for (guint i = 0; i < G_N_ELEMENTS (ks); i++)
    for (guint j = 0; j < G_N_ELEMENTS (ms); j++)
      for (guint l = 0; l < G_N_ELEMENTS (ns); l++)
        for (guint cap = 1; cap <= 2; cap++)
          {
            guint k = ks[i], m = ms[j], n = ns[l], lda = m + 3, ldb = n + 5, ldc = n + 1;
            gboolean acc = (i + j + l) % 2 == 1;
            g_autofree float *x = g_new (float, (gsize)k * lda + 1);
            g_autofree float *gy = g_new (float, (gsize)k * ldb + 1);
            g_autofree float *c0 = g_new (float, (gsize)m * ldc);
            g_autofree float *out = NULL;
            g_autoptr(PhiliaTape) tape = philia_tape_new (1);
            int before;

            if ((gsize)m * n > 128 * 1024)
              continue;
            for (gsize e = 0; e < (gsize)k * lda; e++)
              x[e] = e % lda == 2 ? -0.0f : signed_value (&rng, 8);
            for (gsize e = 0; e < (gsize)k * ldb; e++)
              gy[e] = signed_value (&rng, 8);
            for (gsize e = 0; e < (gsize)m * ldc; e++)
              c0[e] = signed_value (&rng, 4);
            out = g_memdup2 (c0, sizeof (float) * m * ldc);
            before = _philia_small_gemm_set_level (cap);
            _philia_small_gemm_tn (tape, m, n, k, x, lda, gy, ldb, out, ldc, acc);
            _philia_small_gemm_set_level (before);
            for (guint r = 0; r < m; r++)
              {
                for (guint c = 0; c < n; c++)
                  {
                    float sum = acc ? c0[(gsize)r * ldc + c] : 0.0f, got = out[(gsize)r * ldc + c];
                    double exact = sum, mag = fabs (exact);

                    for (guint t = 0; t < k; t++)
                      {
                        float a = x[(gsize)t * lda + r], b = gy[(gsize)t * ldb + c];

                        sum = fmaf (0.0f + a, b, sum);
                        exact += (double)a * b;
                        mag += fabs ((double)a * b);
                      }
                    if (memcmp (&got, &sum, sizeof sum) != 0)
                      g_error ("k %u m %u n %u level %u accumulate %d: C[%u, %u] is %a, "
                               "the scalar loop's %a", k, m, n, cap, acc, r, c, got, sum);
                    g_assert_cmpfloat (fabs (got - exact), <=, (k + 1) * 1.2e-7 * mag);
                  }
                g_assert_true (memcmp (&out[(gsize)r * ldc + n], &c0[(gsize)r * ldc + n],
                                       sizeof (float)) == 0);
              }
          }
}

/* A times B's transpose (an input's gradient G Wᵀ): against a double sum,
 * strides wider than the rows, C past its columns untouched, AVX2 and
 * AVX-512 and two threads bit for bit. */
static void
test_kernel_nt (void)
{
  static const guint ms[] = { 1, 7, 100 };
  static const guint ns[] = { 3, 16, 70, 128 };
  static const guint ks[] = { 1, 5, 130 };
  PhiliaRng rng;

  if (!_philia_small_gemm_usable (1, 1))
    {
      g_test_skip ("The CPU has no AVX2 and FMA: the kernel is not used.");
      return;
    }
  philia_rng_init (&rng, 36);
  for (guint i = 0; i < G_N_ELEMENTS (ms); i++)
    for (guint j = 0; j < G_N_ELEMENTS (ns); j++)
      for (guint l = 0; l < G_N_ELEMENTS (ks); l++)
        for (guint acc = 0; acc < 2; acc++)
          {
            guint m = ms[i], n = ns[j], k = ks[l], lda = k + 2, ldb = k + 3, ldc = n + 1;
            g_autofree float *a = g_new (float, (gsize)m * lda);
            g_autofree float *b = g_new (float, (gsize)n * ldb);
            g_autofree float *c0 = g_new (float, (gsize)m * ldc);
            float *out[3];

            for (gsize e = 0; e < (gsize)m * lda; e++)
              a[e] = uniform (&rng);
            for (gsize e = 0; e < (gsize)n * ldb; e++)
              b[e] = uniform (&rng);
            for (gsize e = 0; e < (gsize)m * ldc; e++)
              c0[e] = uniform (&rng);
            for (guint v = 0; v < 3; v++)
              {
                g_autoptr(PhiliaTape) tape = philia_tape_new (v == 2 ? 2 : 1);
                int cap = _philia_small_gemm_set_level (v == 1 ? 1 : -1);

                out[v] = g_memdup2 (c0, sizeof (float) * m * ldc);
                _philia_small_gemm_nt (tape, m, n, k, a, lda, b, ldb, out[v], ldc, acc);
                _philia_small_gemm_set_level (cap);
              }
            check_products (out, c0, acc, m, n, k, ldc, a, lda, 1, b, ldb, 1);
          }
}

/* ------------------------------------------------------------------- ops */

static void
assert_close (const float *a,
              const float *b,
              gsize        n,
              double       tol)
{
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (fabs (a[i] - b[i]), <=, tol * (1 + fabs (b[i])));
}

/* One op's output and input gradients with the kernel at @cap (0: OpenBLAS). */
typedef PhiliaTensor *(*OpFunc) (PhiliaTape *tape, PhiliaTensor **in, gboolean which);

static PhiliaTensor *
op_columns (PhiliaTape    *tape,
            PhiliaTensor **in,
            gboolean       full)
{
  /* The first layer's q | k | v product whole, or the last layer's k | v block. */
  return full ? philia_op_linear_columns (tape, in[0], in[1], in[2], 0, in[1]->cols)
              : philia_op_linear_columns (tape, in[0], in[1], in[2], 24, 48);
}

static PhiliaTensor *
op_residual (PhiliaTape    *tape,
             PhiliaTensor **in,
             gboolean       mapped)
{
  static gint32 rows[200];

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    rows[i] = (gint32)((i * 7) % in[3]->rows);
  philia_tape_set_training (tape, TRUE);
  return philia_op_linear_dropout_add (tape, in[0], in[1], in[2], 0.3f, in[3],
                                       mapped ? rows : NULL);
}

static void
compare_paths (OpFunc         op,
               PhiliaTensor **in,
               guint          n_in,
               gboolean       which,
               guint          threads)
{
  float *out[2], *grads[2][4] = { { NULL } };
  gsize size = 0;

  for (guint path = 0; path < 2; path++)
    {
      g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
      int cap = _philia_small_gemm_set_level (path == 0 ? 0 : -1);
      PhiliaTensor *y, *target;

      philia_rng_init (philia_tape_get_rng (tape), 5);
      for (guint i = 0; i < n_in; i++)
        philia_tensor_zero_grad (in[i]);
      y = op (tape, in, which);
      size = philia_tensor_size (y);
      out[path] = g_memdup2 (y->data, sizeof (float) * size);
      /* A target of y's shape: its gradient is 2 (y − target) / size. */
      target = philia_tape_constant (tape, y->rows, y->cols, NULL);
      for (gsize i = 0; i < size; i++)
        target->data[i] = 0.25f * (float)((i * 37) % 11) - 1;
      philia_tape_backward (tape, philia_op_mse (tape, y, target));
      for (guint i = 0; i < n_in; i++)
        grads[path][i] = g_memdup2 (in[i]->grad, sizeof (float) * philia_tensor_size (in[i]));
      _philia_small_gemm_set_level (cap);
    }
  /* Sums of up to 128 terms of size about 1 in float32: 1e-5 relative. */
  assert_close (out[1], out[0], size, 1e-5);
  for (guint i = 0; i < n_in; i++)
    {
      double scale = 0;

      for (gsize e = 0; e < philia_tensor_size (in[i]); e++)
        scale = MAX (scale, fabs (grads[0][i][e]));
      for (gsize e = 0; e < philia_tensor_size (in[i]); e++)
        g_assert_cmpfloat (fabs (grads[1][i][e] - grads[0][i][e]), <=, 1e-5 * scale + 1e-12);
      g_free (grads[0][i]);
      g_free (grads[1][i]);
    }
  g_free (out[0]);
  g_free (out[1]);
}

/* The ops on transformer-like shapes (width 72, a feed-forward of 128), one
 * thread and two, the kernel's path against OpenBLAS's. */
static void
test_ops (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) x = NULL, w = NULL, b = NULL, x2 = NULL, w2 = NULL, b2 = NULL;
  g_autoptr(PhiliaTensor) res = NULL, res_all = NULL;

  if (!_philia_small_gemm_usable (1, 1))
    {
      g_test_skip ("The CPU has no AVX2 and FMA: the kernel is not used.");
      return;
    }
  philia_rng_init (&rng, 33);
  x = param (200, 72, &rng);
  w = param (72, 216, &rng);
  b = param (1, 216, &rng);
  x2 = param (200, 128, &rng);
  w2 = param (128, 72, &rng);
  b2 = param (1, 72, &rng);
  res = param (57, 72, &rng);
  res_all = param (200, 72, &rng);
  for (guint threads = 1; threads <= 2; threads++)
    {
      PhiliaTensor *cols_in[3] = { x, w, b };
      PhiliaTensor *res_in[4] = { x2, w2, b2, res };
      PhiliaTensor *res_all_in[4] = { x2, w2, b2, res_all };

      compare_paths (op_columns, cols_in, 3, TRUE, threads);
      compare_paths (op_columns, cols_in, 3, FALSE, threads);
      compare_paths (op_residual, res_in, 4, TRUE, threads);
      compare_paths (op_residual, res_all_in, 4, FALSE, threads);
    }
}

/* Finite differences through the kernel's path on a shape it takes whole
 * (a row block and a remainder, a panel and a vector of columns). */
static PhiliaTensor *
build_residual (PhiliaTape    *tape,
                PhiliaTensor **in,
                gpointer       data)
{
  return op_residual (tape, in, data != NULL);
}

static PhiliaTensor *
build_columns (PhiliaTape    *tape,
               PhiliaTensor **in,
               gpointer       data)
{
  return philia_op_linear_columns (tape, in[0], in[1], in[2], 2, 20);
}

static void
test_gradients (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) x = NULL, w = NULL, b = NULL, res = NULL;
  PhiliaTensor *in[4];

  philia_rng_init (&rng, 34);
  x = param (7, 9, &rng);
  w = param (9, 24, &rng);
  b = param (1, 24, &rng);
  res = param (7, 24, &rng);
  in[0] = x;
  in[1] = w;
  in[2] = b;
  in[3] = res;
  check_gradients ("linear_columns (kernel)", build_columns, in, 3, NULL, 2e-3);
  check_gradients ("linear_dropout_add (kernel)", build_residual, in, 4, NULL, 2e-3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/small-gemm/kernel", test_kernel);
  g_test_add_func ("/small-gemm/kernel-threads", test_kernel_threads);
  g_test_add_func ("/small-gemm/kernel-packed", test_kernel_packed);
  g_test_add_func ("/small-gemm/kernel-tn", test_kernel_tn);
  g_test_add_func ("/small-gemm/kernel-tn-order", test_kernel_tn_order);
  g_test_add_func ("/small-gemm/kernel-tn-shapes", test_kernel_tn_shapes);
  g_test_add_func ("/small-gemm/kernel-nt", test_kernel_nt);
  g_test_add_func ("/small-gemm/ops", test_ops);
  g_test_add_func ("/small-gemm/gradients", test_gradients);
  return g_test_run ();
}
