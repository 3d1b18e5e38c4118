/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "autograd-test-util.h"
#include "philia-core.h"
#include "philia-train-private.h"
#include "philia-ops-hidden-private.h"
#include "philia-ops-transformer-private.h"
#include "philia-small-gemm-private.h"
#include "philia-tape-private.h"

/*
 * The product kernel (philia-small-gemm.c) at widths that are not whole
 * vectors, where the last columns go through masked loads and stores (a
 * partial panel) since session 23, and the dense models' products through
 * it at any width of 16 columns or more (_philia_small_gemm_dense ()):
 * - the three forms (A B, Aᵀ B, A Bᵀ) on odd shapes (0, 1, 5 and 13 rows,
 *   1 to 300 columns, inner sizes 1 to 700, padded strides, every start),
 *   at each instruction set the kernel dispatches (AVX-512, AVX2), bit for
 *   bit against one fused multiply-add a term in order (the kernel's
 *   promise) and within a float32 sum's rounding of a double product; the
 *   padding past the width untouched (the masked stores);
 * - the gate: which widths take the kernel at each level (none without
 *   AVX-512, the fallback: OpenBLAS), the weight gradient's from 48 up;
 * - the dense ops (linear, matmul, the hidden layer) at odd widths, outputs
 *   and gradients, against the same ops on OpenBLAS (level 0), and seeded
 *   training of the MLP, GCN and SAGE at widths 100 and 127 against
 *   OpenBLAS's (the base's path at those widths) within 1e-5 relative.
 */

static float
uniform (PhiliaRng *rng)
{
  return 2 * philia_rng_float (rng) - 1;
}

static float *
random_floats (gsize      n,
               PhiliaRng *rng)
{
  float *x = g_new (float, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    x[i] = uniform (rng);
  return x;
}

/* Whether the kernel runs at @level (2 AVX-512, 1 AVX2) on this CPU. */
static gboolean
level_available (int level)
{
  int cap = _philia_small_gemm_set_level (level);
  gboolean ok = level == 2 ? _philia_small_gemm_packed_size (1, 64) > 0
                           : _philia_small_gemm_usable (1, 1);

  _philia_small_gemm_set_level (cap);
  return ok;
}

static const guint widths[] = { 1, 7, 15, 17, 24, 100, 127, 300 };

/* One element of init + Σ_t a_t b_t, one fma a term in order (the kernel
 * broadcasts 0 + a: the same value but for −0, which no draw gives), and
 * the same in double with the sum of magnitudes for a rounding bound. */
static float
fma_sum (float        init,
         const float *a,
         gsize        a_step,
         const float *b,
         gsize        b_step,
         guint        k,
         double      *exact,
         double      *mag)
{
  float acc = init;

  *exact = init;
  *mag = fabs (init);
  for (guint t = 0; t < k; t++)
    {
      float x = a[t * a_step], y = b[t * b_step];

      acc = fmaf (0.0f + x, y, acc);
      *exact += (double)x * y;
      *mag += fabs ((double)x * y);
    }
  return acc;
}

/* C = init + A B on @m × @n × @k with padded strides; init 0 none, 1 bias,
 * 2 C itself. */
static void
check_nn (guint      m,
          guint      n,
          guint      k,
          guint      init,
          guint      threads,
          PhiliaRng *rng)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
  gsize lda = k + 3, ldb = n + 5, ldc = n + 3;
  g_autofree float *a = random_floats ((gsize)m * lda, rng);
  g_autofree float *b = random_floats ((gsize)k * ldb, rng);
  g_autofree float *bias = random_floats (n, rng);
  g_autofree float *c0 = random_floats ((gsize)m * ldc, rng);
  g_autofree float *c = g_memdup2 (c0, sizeof (float) * MAX ((gsize)m * ldc, 1));

  _philia_small_gemm (tape, m, n, k, a, lda, b, ldb, c, ldc, init == 1 ? bias : NULL,
                      init == 2, NULL, NULL);
  for (guint r = 0; r < m; r++)
    {
      for (guint j = 0; j < n; j++)
        {
          float start = init == 1 ? bias[j] : init == 2 ? c0[r * ldc + j] : 0.0f;
          double exact, mag;
          float want = fma_sum (start, a + r * lda, 1, b + j, ldb, k, &exact, &mag);

          g_assert_cmpfloat (c[r * ldc + j], ==, want);
          g_assert_cmpfloat (fabs (c[r * ldc + j] - exact), <=, (k + 1) * 1.2e-7 * mag);
        }
      for (gsize j = n; j < ldc; j++)
        g_assert_cmpfloat (c[r * ldc + j], ==, c0[r * ldc + j]);
    }
}

/* C (@m × @n) = (C when @accumulate) + Aᵀ B, A @k × @m, B @k × @n. */
static void
check_tn (guint      m,
          guint      n,
          guint      k,
          gboolean   accumulate,
          guint      threads,
          PhiliaRng *rng)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
  gsize lda = m + 1, ldb = n + 2, ldc = n + 3;
  g_autofree float *a = random_floats ((gsize)k * lda, rng);
  g_autofree float *b = random_floats ((gsize)k * ldb, rng);
  g_autofree float *c0 = random_floats ((gsize)m * ldc, rng);
  g_autofree float *c = g_memdup2 (c0, sizeof (float) * (gsize)m * ldc);

  _philia_small_gemm_tn (tape, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
  for (guint r = 0; r < m; r++)
    {
      for (guint j = 0; j < n; j++)
        {
          double exact, mag;
          float want = fma_sum (accumulate ? c0[r * ldc + j] : 0.0f, a + r, lda, b + j, ldb, k,
                                &exact, &mag);

          g_assert_cmpfloat (c[r * ldc + j], ==, want);
          g_assert_cmpfloat (fabs (c[r * ldc + j] - exact), <=, (k + 1) * 1.2e-7 * mag);
        }
      for (gsize j = n; j < ldc; j++)
        g_assert_cmpfloat (c[r * ldc + j], ==, c0[r * ldc + j]);
    }
}

/* C (@m × @n) = (C when @accumulate) + A Bᵀ, A @m × @k, B @n × @k. */
static void
check_nt (guint      m,
          guint      n,
          guint      k,
          gboolean   accumulate,
          PhiliaRng *rng)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  gsize lda = k + 1, ldb = k + 2, ldc = n + 1;
  g_autofree float *a = random_floats ((gsize)m * lda, rng);
  g_autofree float *b = random_floats ((gsize)n * ldb, rng);
  g_autofree float *c0 = random_floats ((gsize)m * ldc, rng);
  g_autofree float *c = g_memdup2 (c0, sizeof (float) * MAX ((gsize)m * ldc, 1));

  _philia_small_gemm_nt (tape, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
  for (guint r = 0; r < m; r++)
    {
      for (guint j = 0; j < n; j++)
        {
          double exact, mag;
          float want = fma_sum (accumulate ? c0[r * ldc + j] : 0.0f, a + r * lda, 1,
                                b + j * ldb, 1, k, &exact, &mag);

          g_assert_cmpfloat (c[r * ldc + j], ==, want);
          g_assert_cmpfloat (fabs (c[r * ldc + j] - exact), <=, (k + 1) * 1.2e-7 * mag);
        }
      g_assert_cmpfloat (c[r * ldc + n], ==, c0[r * ldc + n]);
    }
}

static void
kernels_at (int level)
{
  static const guint rows[] = { 0, 1, 5, 13 };
  static const guint inner[] = { 1, 3, 300 };
  int cap;
  PhiliaRng rng;

  if (!level_available (level))
    {
      g_test_skip ("The CPU does not have this instruction set.");
      return;
    }
  cap = _philia_small_gemm_set_level (level);
  philia_rng_init (&rng, 23 + level);
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    for (guint i = 0; i < G_N_ELEMENTS (inner); i++)
      {
        for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
          {
            for (guint init = 0; init < 3; init++)
              check_nn (rows[r], widths[w], inner[i], init, 1, &rng);
            check_nt (rows[r], widths[w], inner[i], r % 2 == 1, &rng);
            if (rows[r] > 0)
              check_tn (rows[r], widths[w], inner[i], r % 2 == 0, 1, &rng);
          }
        /* Weight gradients: the inner index over several cached blocks. */
        check_tn (inner[i], widths[w], 700, i == 1, 1, &rng);
      }
  /* Many rows: B's whole panels packed, the rest read in place; the rows
   * split over two threads. */
  check_nn (1100, 100, 50, 1, 1, &rng);
  check_nn (1100, 300, 37, 2, 2, &rng);
  check_nn (200, 127, 300, 0, 2, &rng);
  check_tn (300, 127, 500, TRUE, 2, &rng);
  check_tn (50, 100, 1000, FALSE, 2, &rng);
  _philia_small_gemm_set_level (cap);
}

static void
test_kernels_avx512 (void)
{
  kernels_at (2);
}

static void
test_kernels_avx2 (void)
{
  kernels_at (1);
}

/* The dense models take the kernel at any width of 16 or more with
 * AVX-512, whole vectors of 16 as before; narrow outputs (a few classes)
 * stay on OpenBLAS and the few-column kernel; without AVX-512 OpenBLAS. */
static void
test_gate (void)
{
  int cap = _philia_small_gemm_set_level (0);

  g_assert_false (_philia_small_gemm_dense (64));
  g_assert_false (_philia_small_gemm_usable (1, 1));
  _philia_small_gemm_set_level (1);
  g_assert_false (_philia_small_gemm_dense (64));
  g_assert_false (_philia_small_gemm_dense (100));
  g_assert_false (_philia_small_gemm_dense_tn (100));
  _philia_small_gemm_set_level (cap);
  if (!level_available (2))
    return;
  _philia_small_gemm_set_level (2);
  for (guint n = 1; n < 16; n++)
    g_assert_false (_philia_small_gemm_dense (n));
  for (guint n = 16; n <= 520; n++)
    g_assert_true (_philia_small_gemm_dense (n));
  /* The weight gradient's form: whole vectors, or wider than 48. */
  for (guint n = 1; n <= 520; n++)
    g_assert_true (_philia_small_gemm_dense_tn (n) == (n % 16 == 0 || n > 48));
  _philia_small_gemm_set_level (cap);
}

/* Outputs and input gradients of @build on the kernel (level −1) and on
 * OpenBLAS (level 0), within 1e-5 of the largest (reordered float32
 * sums of a few hundred terms). */
static void
compare_paths (BuildFunc      build,
               PhiliaTensor **in,
               guint          n_in,
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
      philia_tape_set_training (tape, TRUE);
      for (guint i = 0; i < n_in; i++)
        philia_tensor_zero_grad (in[i]);
      y = build (tape, in, NULL);
      size = philia_tensor_size (y);
      out[path] = g_memdup2 (y->data, sizeof (float) * size);
      target = philia_tape_constant (tape, y->rows, y->cols, NULL);
      for (gsize i = 0; i < size; i++)
        target->data[i] = 0.25f * (float)((i * 37) % 11) - 1;
      philia_tape_backward (tape, philia_op_mse (tape, y, target));
      for (guint i = 0; i < n_in; i++)
        grads[path][i] = g_memdup2 (in[i]->grad, sizeof (float) * philia_tensor_size (in[i]));
      _philia_small_gemm_set_level (cap);
    }
  for (guint i = 0; i <= n_in; i++)
    {
      const float *x0 = i < n_in ? grads[0][i] : out[0], *x1 = i < n_in ? grads[1][i] : out[1];
      gsize count = i < n_in ? philia_tensor_size (in[i]) : size;
      double scale = 0;

      for (gsize e = 0; e < count; e++)
        scale = MAX (scale, fabs (x0[e]));
      for (gsize e = 0; e < count; e++)
        g_assert_cmpfloat (fabs (x1[e] - x0[e]), <=, 1e-5 * scale + 1e-12);
    }
  for (guint i = 0; i < n_in; i++)
    {
      g_free (grads[0][i]);
      g_free (grads[1][i]);
    }
  g_free (out[0]);
  g_free (out[1]);
}

static PhiliaTensor *
build_linear (PhiliaTape    *tape,
              PhiliaTensor **in,
              gpointer       data)
{
  return philia_op_linear (tape, in[0], in[1], in[2]);
}

static PhiliaTensor *
build_matmul (PhiliaTape    *tape,
              PhiliaTensor **in,
              gpointer       data)
{
  return philia_op_matmul (tape, in[0], in[1]);
}

static PhiliaTensor *
build_hidden (PhiliaTape    *tape,
              PhiliaTensor **in,
              gpointer       data)
{
  return _philia_op_hidden_product (tape, in[0], in[1], in[2], 0.5f, in[3], NULL);
}

static void
test_ops (void)
{
  static const guint hidden[] = { 17, 24, 100, 127, 300 };
  PhiliaRng rng;

  philia_rng_init (&rng, 41);
  for (guint h = 0; h < G_N_ELEMENTS (hidden); h++)
    for (guint threads = 1; threads <= 2; threads++)
      {
        g_autoptr(PhiliaTensor) x = param (301, 50, &rng);
        g_autoptr(PhiliaTensor) w = param (50, hidden[h], &rng);
        g_autoptr(PhiliaTensor) b = param (1, hidden[h], &rng);
        g_autoptr(PhiliaTensor) w2 = param (hidden[h], 5, &rng);
        g_autoptr(PhiliaTensor) w3 = param (hidden[h], 37, &rng);
        PhiliaTensor *lin[3] = { x, w, b }, *hid[4] = { x, w, b, w2 };
        PhiliaTensor *mm[2] = { NULL, w3 };
        g_autoptr(PhiliaTensor) hx = param (301, hidden[h], &rng);

        compare_paths (build_linear, lin, 3, threads);
        compare_paths (build_hidden, hid, 4, threads);
        mm[0] = hx;
        compare_paths (build_matmul, mm, 2, threads);
      }
}

/* A graph of @n nodes and 5 classes with dense Gaussian-like features of
 * @f columns (features shifted by the class), a ring and chords. */
static PhiliaGraph *
dense_graph (guint n,
             guint f)
{
  g_autoptr(PhiliaGraphBuilder) gb = philia_graph_builder_new (n);
  g_autoptr(GError) error = NULL;
  gint64 *edges = g_new (gint64, 4 * n);
  gint64 *labels = g_new (gint64, n);
  guint8 *train = g_new0 (guint8, n), *val = g_new0 (guint8, n), *test = g_new0 (guint8, n);
  float *x = g_new (float, (gsize)n * f);
  PhiliaRng rng;
  PhiliaGraph *graph;

  philia_rng_init (&rng, 9);
  for (guint i = 0; i < n; i++)
    {
      labels[i] = (i * 7) % 5;
      edges[4 * i] = i;
      edges[4 * i + 1] = (i + 1) % n;
      edges[4 * i + 2] = i;
      edges[4 * i + 3] = (i * 13 + 5) % n;
      train[i] = i % 3 == 0;
      val[i] = i % 3 == 1;
      test[i] = i % 3 == 2;
      for (guint j = 0; j < f; j++)
        x[(gsize)i * f + j] = uniform (&rng) + (j % 5 == (guint)labels[i] ? 0.5f : 0.0f);
    }
  philia_graph_builder_take_edges (gb, edges, 2 * n);
  philia_graph_builder_take_labels (gb, labels);
  philia_graph_builder_take_features (gb, x, f);
  philia_graph_builder_take_masks (gb, 1, train, val, test);
  graph = philia_graph_builder_build (gb, &error);
  g_assert_no_error (error);
  return graph;
}

static PhiliaTrainResult *
train (PhiliaGraph *graph,
       const char  *model,
       int          hidden,
       guint        threads,
       int          level)
{
  g_autoptr(GError) error = NULL;
  PhiliaTrainParams params;
  PhiliaTrainResult *r;
  int cap = _philia_small_gemm_set_level (level);

  philia_train_params_init (&params);
  params.epochs = 20;
  params.seed = 1;
  params.hidden = hidden;
  params.n_threads = threads;
  params.normalize_features = FALSE;
  r = philia_train (graph, model, &params, NULL, NULL, NULL, NULL, &error);
  _philia_small_gemm_set_level (cap);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

/* Seeded training at widths that moved from OpenBLAS to the kernel: every
 * epoch's loss within 1e-5 relative of OpenBLAS's (the path before). */
static void
test_training (void)
{
  static const char *models[] = { "mlp", "gcn", "sage" };
  static const int hidden[] = { 100, 127 };
  g_autoptr(PhiliaGraph) graph = dense_graph (700, 50);

  if (!level_available (2))
    {
      g_test_skip ("No AVX-512: the dense models stay on OpenBLAS.");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    for (guint h = 0; h < G_N_ELEMENTS (hidden); h++)
      for (guint threads = 1; threads <= 2; threads++)
        {
          g_autoptr(PhiliaTrainResult) base = train (graph, models[i], hidden[h], threads, 0);
          g_autoptr(PhiliaTrainResult) ours = train (graph, models[i], hidden[h], threads, -1);

          g_assert_cmpuint (ours->n_epochs, ==, base->n_epochs);
          for (guint e = 0; e < ours->n_epochs; e++)
            g_assert_cmpfloat (fabs (ours->loss[e] - base->loss[e]), <=, 1e-5 * base->loss[e]);
        }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/dense-widths/kernels-avx512", test_kernels_avx512);
  g_test_add_func ("/dense-widths/kernels-avx2", test_kernels_avx2);
  g_test_add_func ("/dense-widths/gate", test_gate);
  g_test_add_func ("/dense-widths/ops", test_ops);
  g_test_add_func ("/dense-widths/training", test_training);
  return g_test_run ();
}
