/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <cblas.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-cost-private.h"

/* When an op goes parallel (issue 20): the cost model keeps small work on
 * one thread and splits large work, by multiply-adds or by bytes alone,
 * charging the split for moving the operands between caches; a
 * row-parallel op visits every row once either way; and the products split
 * over the team give one single-threaded sgemm's bits, in every transpose,
 * with beta 0 and 1, split or too small to split. */

static void
test_decision (void)
{
  /* One thread never splits, whatever the work. */
  g_assert_false (_philia_cost_parallel (1, 1e12, 1e12));
  g_assert_false (_philia_cost_parallel (0, 1e12, 1e12));
  /* A few thousand multiply-adds over a few kB: microseconds, below the
   * wake-up of a sleeping worker. */
  g_assert_false (_philia_cost_parallel (2, 4096, 4096 * 12));
  /* The old rule's threshold, 65,536 multiply-adds, is about 4 µs of work:
   * not worth a dispatch any more. */
  g_assert_false (_philia_cost_parallel (2, 65536, 65536 * 4));
  /* Hundreds of µs of multiply-adds, or of bytes alone, are. */
  g_assert_true (_philia_cost_parallel (2, 1e7, 0));
  g_assert_true (_philia_cost_parallel (2, 0, 1e7));
  g_assert_true (_philia_cost_parallel (4, 1e7, 1e7));
  /* Splitting moves the operands between the cores' caches: sparse
   * products of sparse features 16 wide (session 14: one thread was as fast
   * as two, or faster) stay on one thread, products over graphs of
   * megabytes go on splitting. Entries and shapes of the grid's cells:
   * 2,708 nodes × 8,000 words (~107k entries, half kept by dropout) and
   * 11,758 × 8,000 words (~470k entries). */
  g_assert_false (_philia_cost_parallel (2, 107000.0 * 16,
                                         SPMM_BYTES (107000, 2708, 8000, 16)));
  g_assert_false (_philia_cost_parallel (2, 53500.0 * 16, SPMM_BYTES (53500, 8000, 2708, 16)));
  g_assert_false (_philia_cost_parallel (2, 235000.0 * 16,
                                         SPMM_BYTES (235000, 11758, 8000, 16)));
  g_assert_false (_philia_cost_parallel (2, 235000.0 * 16,
                                         SPMM_BYTES (235000, 8000, 11758, 16)));
  /* GCN 64 on 11,758 nodes of degree 88: Â (H W) and its 5-wide second
   * layer (padded to 8) split. */
  g_assert_true (_philia_cost_parallel (2, 1046000.0 * 64,
                                        SPMM_BYTES (1046000, 11758, 11758, 64)));
  g_assert_true (_philia_cost_parallel (2, 1046000.0 * 8,
                                        SPMM_BYTES (1046000, 11758, 11758, 5)));
  /* The hand-over grows with the bytes up to a bound, so work enough
   * beside its bytes still splits, and the split estimate is what the
   * decision compares. */
  g_assert_cmpfloat (_philia_cost_split_ns (2, 1e6, 2e6), >, _philia_cost_split_ns (2, 1e6, 1e6));
  g_assert_cmpfloat (_philia_cost_split_ns (2, 1e6, 1e9), ==, _philia_cost_split_ns (2, 1e6, 1e10));
  g_assert_true (_philia_cost_parallel_ns (2, 2.0 * _philia_cost_split_ns (2, 0, 1e9), 1e9));
  g_assert_false (_philia_cost_parallel_ns (2, 1.9 * _philia_cost_split_ns (2, 0, 1e9), 1e9));
  for (double ns = 1e3; ns < 1e8; ns *= 1.5)
    for (double bytes = 0; bytes < 1e9; bytes = bytes * 3 + 1e3)
      g_assert_true (_philia_cost_parallel_ns (2, ns, bytes)
                     == (_philia_cost_split_ns (2, ns, bytes) <= ns));
  /* A product the size of the test below splits; a small one does not. */
  g_assert_true (_philia_cost_parallel_ns (2, _philia_cost_sgemm_ns (3000, 70, 96),
                                           _philia_cost_gemm_bytes (3000, 70, 96)));
  g_assert_false (_philia_cost_parallel_ns (2, _philia_cost_sgemm_ns (256, 32, 64),
                                            _philia_cost_gemm_bytes (256, 32, 64)));
  /* The estimate grows with each of its terms. */
  g_assert_cmpfloat (_philia_cost_ns (2e6, 0), >, _philia_cost_ns (1e6, 0));
  g_assert_cmpfloat (_philia_cost_ns (0, 2e6), >, _philia_cost_ns (0, 1e6));
  g_assert_cmpfloat (_philia_cost_ns (0, 0), ==, 0);
}

typedef struct
{
  guint *visits;
  gint   calls;
} Visit;

static void
visit_rows (gpointer data,
            guint    begin,
            guint    end)
{
  Visit *v = data;

  g_atomic_int_inc (&v->calls);
  for (guint i = begin; i < end; i++)
    v->visits[i]++;
}

static void
test_rows (void)
{
  static const double madds[] = { 0, 100, 1e9 };
  static const guint sizes[] = { 0, 1, 3, 1000 };
  g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
  g_autoptr(PhiliaTape) t2 = philia_tape_new (2);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint w = 0; w < G_N_ELEMENTS (madds); w++)
      for (guint k = 0; k < 2; k++)
        {
          guint n = sizes[s];
          g_autofree guint *visits = g_new0 (guint, MAX (n, 1));
          Visit v = { visits, 0 };

          _philia_tape_parallel_rows_cost (k ? t2 : t1, n, NULL, madds[w], 0, visit_rows, &v);
          for (guint i = 0; i < n; i++)
            g_assert_cmpuint (visits[i], ==, 1);
          /* Small work (or one thread) is one call on the calling thread;
           * a split is four blocks a thread. */
          if (w < 2 || k == 0 || n < 4)
            g_assert_cmpint (v.calls, ==, 1);
          else
            g_assert_cmpint (v.calls, ==, 8);
        }
}

/* The split's blocks: 1 to 4 a thread as asked (capped at 4, and at a row
 * each), every row once, and with offsets, blocks of about equal entries. */
static void
test_rows_blocks (void)
{
  static const guint sizes[] = { 4, 5, 7, 8, 9, 1001 };
  g_autoptr(PhiliaTape) t2 = philia_tape_new (2);
  g_autoptr(PhiliaTape) t3 = philia_tape_new (3);

  /* Not timed: the cost model's split, every time. */
  _philia_tape_use_threads (t2, 2, FALSE);
  _philia_tape_use_threads (t3, 3, FALSE);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint per = 0; per <= 6; per++)
      for (guint k = 0; k < 2; k++)
        {
          PhiliaTape *tape = k ? t3 : t2;
          guint n = sizes[s], threads = k ? 3 : 2;
          g_autofree guint *visits = g_new0 (guint, n);
          g_autofree gint64 *offsets = g_new (gint64, n + 1);
          Visit v = { visits, 0 };
          guint expect = MIN (threads * CLAMP (per, 1, 4), n);

          if (n < 2 * threads)
            expect = 1;
          _philia_tape_parallel_rows_blocks (tape, n, NULL, 1e9, 0, per, visit_rows, &v);
          for (guint i = 0; i < n; i++)
            g_assert_cmpuint (visits[i], ==, 1);
          g_assert_cmpint (v.calls, ==, expect);
          /* All entries in the last row: every cut but the last falls on it. */
          for (guint i = 0; i <= n; i++)
            offsets[i] = i == n ? 1000 : 0;
          memset (visits, 0, sizeof (guint) * n);
          v.calls = 0;
          _philia_tape_parallel_rows_blocks (tape, n, offsets, 1e9, 0, per, visit_rows, &v);
          for (guint i = 0; i < n; i++)
            g_assert_cmpuint (visits[i], ==, 1);
          g_assert_cmpint (v.calls, <=, expect);
        }
}

static float *
random_matrix (gsize      n,
               PhiliaRng *rng)
{
  float *m = g_new (float, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    m[i] = 2.0f * philia_rng_float (rng) - 1.0f;
  return m;
}

/* C (m × n) = alpha op(A) op(B) + beta C through the team of @tape against
 * one cblas_sgemm call, to the bit, twice. */
static void
check_product (PhiliaTape      *tape,
               CBLAS_TRANSPOSE  ta,
               CBLAS_TRANSPOSE  tb,
               int              m,
               int              n,
               int              k,
               float            beta,
               PhiliaRng       *rng)
{
  int lda = ta == CblasNoTrans ? k : m, ldb = tb == CblasNoTrans ? n : k;
  gsize size = (gsize)m * n;
  g_autofree float *a = random_matrix ((gsize)m * k, rng);
  g_autofree float *b = random_matrix ((gsize)k * n, rng);
  g_autofree float *c0 = random_matrix (size, rng);
  g_autofree float *c1 = g_memdup2 (c0, sizeof (float) * MAX (size, 1));
  g_autofree float *c2 = g_memdup2 (c0, sizeof (float) * MAX (size, 1));

  cblas_sgemm (CblasRowMajor, ta, tb, m, n, k, 0.5f, a, lda, b, ldb, beta, c0, n);
  _philia_sgemm (tape, ta, tb, m, n, k, 0.5f, a, lda, b, ldb, beta, c1, n);
  _philia_sgemm (tape, ta, tb, m, n, k, 0.5f, a, lda, b, ldb, beta, c2, n);
  g_assert_cmpmem (c0, sizeof (float) * size, c1, sizeof (float) * size);
  g_assert_cmpmem (c0, sizeof (float) * size, c2, sizeof (float) * size);
}

static void
test_sgemm (void)
{
  /* Shapes split by rows, few rows and many columns (not split), too
   * small to split, odd sizes with a partial last tile, and empty ones. */
  static const int shapes[][3] = {
    { 1100, 64, 300 }, { 3001, 7, 64 }, { 64, 3001, 129 }, { 5, 2001, 300 },
    { 1000, 1000, 33 }, { 128, 256, 500 }, { 17, 5, 3 }, { 1, 1, 1 }, { 0, 8, 8 },
    { 8, 0, 8 }, { 40, 40, 0 },
  };
  g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
  g_autoptr(PhiliaTape) t2 = philia_tape_new (2);
  g_autoptr(PhiliaTape) t3 = philia_tape_new (3);
  PhiliaRng rng;

  _philia_cost_blas_single ();
  philia_rng_init (&rng, 7);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (guint t = 0; t < 4; t++)
      {
        CBLAS_TRANSPOSE ta = t & 1 ? CblasTrans : CblasNoTrans;
        CBLAS_TRANSPOSE tb = t & 2 ? CblasTrans : CblasNoTrans;

        check_product (t1, ta, tb, shapes[s][0], shapes[s][1], shapes[s][2], 0.0f, &rng);
        check_product (t2, ta, tb, shapes[s][0], shapes[s][1], shapes[s][2], 0.0f, &rng);
        check_product (t2, ta, tb, shapes[s][0], shapes[s][1], shapes[s][2], 1.0f, &rng);
        check_product (t3, ta, tb, shapes[s][0], shapes[s][1], shapes[s][2], 1.0f, &rng);
      }
}

/* A product's output and gradients through the tape: one thread and two
 * give the same bits. */
static void
test_matmul_threads (void)
{
  float *out[2], *ga[2], *gb[2];
  PhiliaRng rng;

  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(PhiliaTape) tape = philia_tape_new (k + 1);
      g_autoptr(PhiliaTensor) a = NULL;
      g_autoptr(PhiliaTensor) b = NULL;
      g_autofree float *dc = NULL;
      PhiliaTensor *c;

      philia_rng_init (&rng, 3);
      a = philia_tensor_new (3000, 96);
      b = philia_tensor_new (96, 70);
      philia_tensor_glorot (a, &rng);
      philia_tensor_glorot (b, &rng);
      a->requires_grad = b->requires_grad = TRUE;
      c = philia_op_relu (tape, philia_op_matmul (tape, a, b));
      dc = random_matrix (philia_tensor_size (c), &rng);
      philia_tape_backward_from (tape, c, dc);
      out[k] = g_memdup2 (c->data, sizeof (float) * philia_tensor_size (c));
      ga[k] = g_memdup2 (a->grad, sizeof (float) * philia_tensor_size (a));
      gb[k] = g_memdup2 (b->grad, sizeof (float) * philia_tensor_size (b));
    }
  g_assert_cmpmem (out[0], sizeof (float) * 3000 * 70, out[1], sizeof (float) * 3000 * 70);
  g_assert_cmpmem (ga[0], sizeof (float) * 3000 * 96, ga[1], sizeof (float) * 3000 * 96);
  g_assert_cmpmem (gb[0], sizeof (float) * 96 * 70, gb[1], sizeof (float) * 96 * 70);
  for (guint k = 0; k < 2; k++)
    {
      g_free (out[k]);
      g_free (ga[k]);
      g_free (gb[k]);
    }
}

/* The timed choice between one thread (arm 0) and a split (arm 1) keeps
 * the faster arm by its fastest time, ignores the first use, and keeps a
 * split only if it wins by the margin, on the fastest times and in the
 * median round (with two rounds, in both). */
#define ROUNDS 2

static PhiliaChoice
choose (double first,
        const double *times0,
        const double *times1,
        double margin)
{
  PhiliaChoice c;
  guint i0 = 0, i1 = 0;

  _philia_choice_init (&c, ROUNDS);
  g_assert_cmpint (c.kept, ==, -1);
  /* The first use runs the guess, uncounted. */
  g_assert_cmpuint (_philia_choice_next (&c, 1), ==, 1);
  g_assert_cmpuint (_philia_choice_next (&c, 0), ==, 0);
  _philia_choice_record (&c, 1, first, margin);
  for (guint use = 0; use < 2 * ROUNDS; use++)
    {
      guint arm = _philia_choice_next (&c, 1);

      g_assert_cmpint (c.kept, ==, -1);
      /* Alternating, one thread first. */
      g_assert_cmpuint (arm, ==, use % 2);
      _philia_choice_record (&c, arm, arm ? times1[i1++] : times0[i0++], margin);
    }
  g_assert_cmpint (c.kept, >=, 0);
  g_assert_cmpuint (i0, ==, ROUNDS);
  g_assert_cmpuint (i1, ==, ROUNDS);
  return c;
}

static void
test_choice (void)
{
  static const double slow[] = { 100, 90 }, fast[] = { 60, 80 };
  static const double level[] = { 95, 88 }, noisy[] = { 400, 50 };
  PhiliaChoice c;

  g_assert_cmpuint (ROUNDS, ==, G_N_ELEMENTS (slow));
  /* The split is faster: kept; slower: one thread kept. */
  c = choose (1e9, slow, fast, 0.1);
  g_assert_cmpint (c.kept, ==, 1);
  g_assert_cmpfloat (c.best[0], ==, 90);
  g_assert_cmpfloat (c.best[1], ==, 60);
  c = choose (0, fast, slow, 0.1);
  g_assert_cmpint (c.kept, ==, 0);
  /* The first use does not count, whatever it took. */
  c = choose (1, slow, fast, 0.1);
  g_assert_cmpint (c.kept, ==, 1);
  /* Within the margin, one thread: 88 against 90 · 0.9; without a margin,
   * the faster by a hair wins. */
  c = choose (0, slow, level, 0.1);
  g_assert_cmpint (c.kept, ==, 0);
  c = choose (0, slow, level, 0.0);
  g_assert_cmpint (c.kept, ==, 1);
  /* One slow use of the split (a preemption) keeps one thread: the split
   * must win its rounds too. One slow use of one thread does not make the
   * split win: its fastest time counts. */
  c = choose (0, slow, noisy, 0.1);
  g_assert_cmpint (c.kept, ==, 0);
  c = choose (0, (const double[]){ 400, 100 }, fast, 0.1);
  g_assert_cmpint (c.kept, ==, 1);
  c = choose (0, noisy, slow, 0.1);
  g_assert_cmpint (c.kept, ==, 0);
  /* Once kept, the arm stays and further times are ignored. */
  _philia_choice_record (&c, 1, 0, 0.1);
  g_assert_cmpint (c.kept, ==, 0);
  g_assert_cmpuint (_philia_choice_next (&c, 1), ==, 0);
  /* One round: decided after three uses, on one time of each. */
  _philia_choice_init (&c, 1);
  _philia_choice_record (&c, _philia_choice_next (&c, 1), 1e9, 0.1);
  g_assert_cmpuint (_philia_choice_next (&c, 1), ==, 0);
  _philia_choice_record (&c, 0, 100, 0.1);
  g_assert_cmpint (c.kept, ==, -1);
  g_assert_cmpuint (_philia_choice_next (&c, 1), ==, 1);
  _philia_choice_record (&c, 1, 80, 0.1);
  g_assert_cmpint (c.kept, ==, 1);
}

/* The choice over @rounds rounds of given times, one thread first in each. */
static PhiliaChoice
choose_rounds (guint         rounds,
               const double *times0,
               const double *times1,
               double        margin)
{
  PhiliaChoice c;

  _philia_choice_init (&c, rounds);
  _philia_choice_record (&c, _philia_choice_next (&c, 1), 1, margin);
  for (guint i = 0; i < rounds; i++)
    {
      g_assert_cmpint (c.kept, ==, -1);
      g_assert_cmpuint (_philia_choice_next (&c, 1), ==, 0);
      _philia_choice_record (&c, 0, times0[i], margin);
      g_assert_cmpuint (_philia_choice_next (&c, 1), ==, 1);
      _philia_choice_record (&c, 1, times1[i], margin);
    }
  g_assert_cmpint (c.kept, >=, 0);
  return c;
}

/* The run's thread choice keeps all threads only if they win by the margin
 * on the fastest trials and in the median round (the upper median: more
 * than half the rounds won), so one lucky split among level trials keeps one
 * thread (session 19: GAT 8 × 8 and GCN 16 on the bag-of-words graphs won
 * their fastest trials by 3–4 % and lost their epochs by 5–25 %), while a
 * split that wins most rounds keeps winning through a preempted trial or
 * two. Checked on hand-made cases and, over random times, against the
 * rule counted directly: rounds won ≥ ⌊n / 2⌋ + 1. */
static void
test_choice_rounds (void)
{
  static const double level0[] = { 1000, 1010, 990, 1005, 1000 };
  static const double lucky1[] = { 1000, 940, 1010, 995, 1020 };
  static const double win1[] = { 700, 2000, 690, 710, 705 };
  static const double win2_1[] = { 700, 2000, 690, 2100, 705 };
  static const double win3_1[] = { 2200, 2000, 690, 2100, 705 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (19);
  PhiliaChoice c;

  g_assert_cmpfloat (_philia_choice_upper_median ((const double[]){ 3, 1, 2 }, 3), ==, 2);
  g_assert_cmpfloat (_philia_choice_upper_median ((const double[]){ 4, 1, 3, 2 }, 4), ==, 3);
  g_assert_cmpfloat (_philia_choice_upper_median ((const double[]){ 5 }, 1), ==, 5);
  g_assert_true (isnan (_philia_choice_upper_median (NULL, 0)));

  /* Level, one lucky split trial: its fastest wins by the margin (940 ≤
   * 0.95 · 990) but its rounds do not. */
  g_assert_cmpfloat (lucky1[1], <=, 0.95 * level0[2]);
  c = choose_rounds (5, level0, lucky1, 0.05);
  g_assert_cmpint (c.kept, ==, 0);
  g_assert_cmpuint (c.n_ratios, ==, 5);
  /* A clear win through one and two preempted split trials; not three. */
  c = choose_rounds (5, level0, win1, 0.05);
  g_assert_cmpint (c.kept, ==, 1);
  c = choose_rounds (5, level0, win2_1, 0.05);
  g_assert_cmpint (c.kept, ==, 1);
  c = choose_rounds (5, level0, win3_1, 0.05);
  g_assert_cmpint (c.kept, ==, 0);
  /* Four rounds, two won: the upper median is a lost round. */
  c = choose_rounds (4, level0, (const double[]){ 700, 700, 1000, 1000 }, 0.05);
  g_assert_cmpint (c.kept, ==, 0);
  c = choose_rounds (4, level0, (const double[]){ 700, 700, 700, 1000 }, 0.05);
  g_assert_cmpint (c.kept, ==, 1);

  for (guint run = 0; run < 20000; run++)
    {
      guint rounds = 1 + run % 5, won = 0;
      double t0[5], t1[5], min0 = G_MAXDOUBLE, min1 = G_MAXDOUBLE, margin = 0.05;

      for (guint i = 0; i < rounds; i++)
        {
          t0[i] = 1000 * g_rand_double_range (rand, 1, 1.5);
          t1[i] = 1000 * g_rand_double_range (rand, 0.6, 1.2) * g_rand_double_range (rand, 1, 1.5);
          min0 = MIN (min0, t0[i]);
          min1 = MIN (min1, t1[i]);
          won += t1[i] <= (1 - margin) * t0[i];
        }
      c = choose_rounds (rounds, t0, t1, margin);
      g_assert_cmpint (c.kept, ==, min1 <= (1 - margin) * min0 && won >= rounds / 2 + 1);
    }
}

/* Adam's step split over two threads (rows of 13 floats, so the cut is not
 * at a multiple of the 8-float vectors) gives the bits of the unsplit step,
 * both follow PyTorch's Adam computed in double precision, and the dry
 * pass only zeroes the gradients. */
static void
test_adam_split (void)
{
  const guint rows = 301, cols = 13, n = rows * cols, steps = 3;
  const double lr = 0.01, wd = 5e-4;
  g_autoptr (PhiliaTensor) a = philia_tensor_new (rows, cols);
  g_autoptr (PhiliaTensor) b = philia_tensor_new (rows, cols);
  g_autoptr (PhiliaOptimizer) oa = philia_optimizer_new (PHILIA_OPTIMIZER_ADAM, lr, wd);
  g_autoptr (PhiliaOptimizer) ob = philia_optimizer_new (PHILIA_OPTIMIZER_ADAM, lr, wd);
  g_autoptr (PhiliaTape) tape = philia_tape_new (2);
  g_autofree double *p = g_new (double, n), *m = g_new0 (double, n), *v = g_new0 (double, n);
  g_autofree float *before = NULL;
  PhiliaRng rng;

  philia_rng_init (&rng, 5);
  philia_tensor_glorot (a, &rng);
  memcpy (b->data, a->data, sizeof (float) * n);
  for (guint i = 0; i < n; i++)
    p[i] = a->data[i];
  philia_optimizer_add (oa, a, TRUE);
  philia_optimizer_add (ob, b, TRUE);
  a->grad = g_new0 (float, n);
  b->grad = g_new0 (float, n);
  _philia_tape_force_split (tape, 1);
  for (guint t = 1; t <= steps; t++)
    {
      for (guint i = 0; i < n; i++)
        a->grad[i] = b->grad[i] = philia_rng_float (&rng) - 0.5f;
      for (guint i = 0; i < n; i++)
        {
          double g = a->grad[i] + wd * p[i];

          m[i] = 0.9 * m[i] + 0.1 * g;
          v[i] = 0.999 * v[i] + 0.001 * g * g;
          p[i] -= lr / (1 - pow (0.9, t)) * m[i] / (sqrt (v[i] / (1 - pow (0.999, t))) + 1e-8);
        }
      philia_optimizer_step (oa);
      _philia_optimizer_step_on (ob, tape);
      g_assert_cmpmem (a->data, sizeof (float) * n, b->data, sizeof (float) * n);
      for (guint i = 0; i < n; i++)
        {
          g_assert_cmpfloat (b->grad[i], ==, 0);
          g_assert_cmpfloat_with_epsilon (b->data[i], p[i], 1e-6);
        }
    }
  /* The dry pass: gradients to zero, parameters and the step count kept
   * (the next real step is still the fourth). */
  for (guint i = 0; i < n; i++)
    b->grad[i] = 1;
  before = g_memdup2 (b->data, sizeof (float) * n);
  _philia_optimizer_trial_step (ob, tape);
  g_assert_cmpmem (before, sizeof (float) * n, b->data, sizeof (float) * n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat (b->grad[i], ==, 0);
      a->grad[i] = b->grad[i] = 0.25f;
    }
  philia_optimizer_step (oa);
  _philia_optimizer_step_on (ob, tape);
  g_assert_cmpmem (a->data, sizeof (float) * n, b->data, sizeof (float) * n);
}

static double
thread_cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* The dry pass the thread choice's trial steps take in place of Adam's step
 * costs what the step costs, on one thread, where it is not split: it did
 * a chain of dependent float additions, 2.5 times the step's time for the
 * 8,000 × 64 weights of an MLP over 8,000 words, so one thread's trials
 * lost by more than the split's and two threads were chosen for a run they
 * made slower (tests/bench/GRID.md, session 18). The fastest of eleven of
 * each, interleaved, in the thread's CPU time; and the pass changes
 * nothing but the gradients (the next real step matches an optimizer that
 * never took it, bit for bit). */
static void
test_adam_dry_cost (void)
{
  const guint rows = 8000, cols = 64, n = rows * cols, reps = 11;
  g_autoptr (PhiliaTensor) a = philia_tensor_new (rows, cols);
  g_autoptr (PhiliaTensor) b = philia_tensor_new (rows, cols);
  g_autoptr (PhiliaOptimizer) oa = philia_optimizer_new (PHILIA_OPTIMIZER_ADAM, 0.01, 5e-4);
  g_autoptr (PhiliaOptimizer) ob = philia_optimizer_new (PHILIA_OPTIMIZER_ADAM, 0.01, 5e-4);
  g_autoptr (PhiliaTape) tape = philia_tape_new (1);
  double step = G_MAXDOUBLE, dry = G_MAXDOUBLE;
  PhiliaRng rng;

  philia_rng_init (&rng, 11);
  philia_tensor_glorot (a, &rng);
  memcpy (b->data, a->data, sizeof (float) * n);
  philia_optimizer_add (oa, a, TRUE);
  philia_optimizer_add (ob, b, TRUE);
  a->grad = g_new0 (float, n);
  b->grad = g_new0 (float, n);
  for (guint r = 0; r < reps; r++)
    {
      double t0;

      for (guint i = 0; i < n; i++)
        a->grad[i] = b->grad[i] = philia_rng_float (&rng) - 0.5f;
      t0 = thread_cpu_ns ();
      _philia_optimizer_step_on (oa, tape);
      step = MIN (step, thread_cpu_ns () - t0);
      _philia_optimizer_step_on (ob, tape);
      g_assert_cmpmem (a->data, sizeof (float) * n, b->data, sizeof (float) * n);

      for (guint i = 0; i < n; i++)
        b->grad[i] = philia_rng_float (&rng) - 0.5f;
      t0 = thread_cpu_ns ();
      _philia_optimizer_trial_step (ob, tape);
      dry = MIN (dry, thread_cpu_ns () - t0);
      for (guint i = 0; i < n; i++)
        g_assert_cmpfloat (b->grad[i], ==, 0);
    }
  g_test_message ("Adam's step %.0f µs, its dry pass %.0f µs", step / 1e3, dry / 1e3);
  /* The cost is a speed figure: checked only in performance mode
   * (`test-parallel-cost -m perf`, GRID.md), never in the suites' runs,
   * where a sanitizer or a loaded machine would move it. */
  if (g_test_perf ())
    {
      g_assert_cmpfloat (dry, <=, 1.5 * step);
      g_assert_cmpfloat (dry, >=, 0.6 * step);
    }
}

/* The run's thread choice (philia-train.c, choose_threads ()): after the
 * split wins, the op sites' mix is timed as a whole step and goes on only
 * if it is no slower than splitting as the cost model says. Whatever goes
 * on — one thread, the split, the mix — was never slower on the trials
 * than one thread's fastest, and a split one beat it by the margin:
 * checked against the rule computed directly from the times, over random
 * (noisy) times. */
static void
test_choice_mix (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (17);
  PhiliaChoice c;

  /* Only after the split was kept. */
  c = choose (0, (const double[]){ 60, 80 }, (const double[]){ 100, 90 }, 0.03);
  g_assert_cmpint (c.kept, ==, 0);
  g_assert_false (_philia_choice_keep_mix (&c, 1));
  g_assert_cmpint (c.kept, ==, 0);
  c = choose (0, (const double[]){ 100, 90 }, (const double[]){ 60, 80 }, 0.03);
  g_assert_false (_philia_choice_keep_mix (&c, 61));
  g_assert_cmpfloat (c.best[1], ==, 60);
  g_assert_true (_philia_choice_keep_mix (&c, 60));
  g_assert_cmpfloat (c.best[1], ==, 60);
  g_assert_false (_philia_choice_keep_mix (&c, NAN));
  for (guint run = 0; run < 10000; run++)
    {
      double t0[ROUNDS], t1[ROUNDS], mix, min0 = G_MAXDOUBLE, min1 = G_MAXDOUBLE, margin = 0.03;
      gboolean split, keep_mix, rounds_won = TRUE;

      /* Steps of 1 ms, each arm up to 40 % apart and noise up to 2×. */
      for (guint i = 0; i < ROUNDS; i++)
        {
          t0[i] = 1000 * g_rand_double_range (rand, 1, 2);
          t1[i] = 1000 * g_rand_double_range (rand, 0.6, 1.4) * g_rand_double_range (rand, 1, 2);
          min0 = MIN (min0, t0[i]);
          min1 = MIN (min1, t1[i]);
          /* Two rounds: the upper median is the larger ratio. */
          rounds_won = rounds_won && t1[i] <= (1 - margin) * t0[i];
        }
      mix = 1000 * g_rand_double_range (rand, 0.5, 3);
      c = choose (g_rand_double_range (rand, 0, 1e4), t0, t1, margin);
      split = c.kept == 1;
      keep_mix = _philia_choice_keep_mix (&c, mix);
      g_assert_cmpint (split, ==, min1 <= (1 - margin) * min0 && rounds_won);
      g_assert_cmpint (keep_mix, ==, split && mix <= min1);
      g_assert_cmpint (c.kept, ==, split);
      if (c.kept)
        {
          /* What goes on: its time is the fastest of the split's and the
           * mix's that it kept, and one thread was slower by the margin. */
          g_assert_cmpfloat (c.best[1], ==, keep_mix ? mix : min1);
          g_assert_cmpfloat (c.best[1], <=, (1 - margin) * min0);
          g_assert_cmpfloat (c.best[1], <=, min1);
        }
    }
}

/* Sites of an op: the first uses alternate split and unsplit, then the
 * tape keeps one; a site timed as slower split stays on the calling
 * thread. Forced, every op splits or none does. */
typedef struct
{
  gint   calls;
  gulong sleep_us;   /* per call over all rows; a block of fewer takes 30 × */
  guint  n;
} Slow;

static void
slow_rows (gpointer data,
           guint    begin,
           guint    end)
{
  Slow *s = data;

  g_atomic_int_inc (&s->calls);
  g_usleep (end - begin < s->n ? 30 * s->sleep_us : s->sleep_us);
}

static void
test_sites (void)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (2);
  Slow s = { 0, 1000, 1000 };
  guint split, single, timing;

  /* Work the cost model splits, but a split's blocks take 30 ms each where
   * the whole takes 1 ms: timed, the site is kept on one thread (by a
   * margin a loaded test machine's late wake-ups do not close). */
  for (guint use = 0; use < 3; use++)
    {
      _philia_tape_site_counts (tape, &split, &single, &timing);
      g_assert_cmpuint (single, ==, 0);
      _philia_tape_parallel_rows_ns (tape, 1000, NULL, 1e9, 0, slow_rows, &s);
    }
  _philia_tape_site_counts (tape, &split, &single, &timing);
  g_assert_cmpuint (split + single + timing, ==, 1);
  g_assert_cmpuint (single, ==, 1);
  /* Uses: split (8 blocks, uncounted), one thread, split. */
  g_assert_cmpint (s.calls, ==, 8 + 1 + 8);
  s.calls = 0;
  _philia_tape_parallel_rows_ns (tape, 1000, NULL, 1e9, 0, slow_rows, &s);
  g_assert_cmpint (s.calls, ==, 1);
  /* Estimates a little apart, as when dropout keeps a different number of a
   * sparse operand's entries each step, are one site: three uses decide it
   * (each its own site, it would never be decided and always split). */
  {
    g_autoptr(PhiliaTape) other = philia_tape_new (2);
    Slow t = { 0, 1000, 1000 };

    for (guint use = 0; use < 3; use++)
      _philia_tape_parallel_rows_ns (other, 1000, NULL, 1e9 * (1 + 0.004 * use),
                                     4e6 * (1 - 0.004 * use), slow_rows, &t);
    _philia_tape_site_counts (other, &split, &single, &timing);
    g_assert_cmpuint (split + single + timing, ==, 1);
    g_assert_cmpuint (timing, ==, 0);
    /* Twice the work is another site. */
    _philia_tape_parallel_rows_ns (other, 1000, NULL, 2e9, 4e6, slow_rows, &t);
    _philia_tape_site_counts (other, &split, &single, &timing);
    g_assert_cmpuint (split + single + timing, ==, 2);
  }
  /* Small work is not timed, and stays on one thread. */
  s.sleep_us = 0;
  s.calls = 0;
  _philia_tape_parallel_rows_ns (tape, 1000, NULL, 10, 0, slow_rows, &s);
  g_assert_cmpint (s.calls, ==, 1);
  _philia_tape_site_counts (tape, &split, &single, &timing);
  g_assert_cmpuint (split + single + timing, ==, 1);
  /* Forced, it splits; forced off, a split site does not. */
  _philia_tape_force_split (tape, 1);
  s.calls = 0;
  _philia_tape_parallel_rows_ns (tape, 1000, NULL, 10, 0, slow_rows, &s);
  g_assert_cmpint (s.calls, ==, 8);
  _philia_tape_force_split (tape, 0);
  s.calls = 0;
  _philia_tape_parallel_rows_ns (tape, 1000, NULL, 1e9, 1, slow_rows, &s);
  g_assert_cmpint (s.calls, ==, 1);
  /* Untimed (a run still choosing its thread count), a new site splits as
   * the cost model says and is not recorded as decided. */
  _philia_tape_force_split (tape, -1);
  _philia_tape_use_threads (tape, 2, FALSE);
  s.calls = 0;
  _philia_tape_parallel_rows_ns (tape, 1000, NULL, 1e9, 2, slow_rows, &s);
  g_assert_cmpint (s.calls, ==, 8);
  /* On one thread, nothing splits. */
  _philia_tape_use_threads (tape, 1, TRUE);
  s.calls = 0;
  _philia_tape_parallel_rows_ns (tape, 1000, NULL, 1e9, 3, slow_rows, &s);
  g_assert_cmpint (s.calls, ==, 1);
}

/* A two-layer GCN-like step through the tape (sparse product, products,
 * ReLU with dropout, log-softmax, NLL, backward) gives the same bits with every op
 * split, with none split, and on the timed choices over several steps
 * (whatever they pick), against one thread. */
static void
gcn_step (PhiliaTape   *tape,
          PhiliaSparse *adj,
          PhiliaTensor *x,
          PhiliaTensor *w1,
          PhiliaTensor *w2,
          const gint32 *labels,
          float       **out,
          float       **g1,
          float       **g2)
{
  PhiliaTensor *h, *logp, *loss;

  philia_tape_reset (tape);
  philia_tensor_zero_grad (w1);
  philia_tensor_zero_grad (w2);
  /* Dropout's masks drawn the same in every mode and step. */
  philia_tape_set_training (tape, TRUE);
  philia_rng_init (philia_tape_get_rng (tape), 3);
  h = philia_op_relu_dropout (tape, philia_op_spmm (tape, adj, NULL,
                                                    philia_op_matmul (tape, x, w1)), 0.5f);
  logp = philia_op_log_softmax (tape, philia_op_spmm (tape, adj, NULL,
                                                      philia_op_matmul (tape, h, w2)));
  loss = philia_op_nll (tape, logp, labels, NULL);
  philia_tape_backward (tape, loss);
  *out = g_memdup2 (logp->data, sizeof (float) * philia_tensor_size (logp));
  *g1 = g_memdup2 (w1->grad, sizeof (float) * philia_tensor_size (w1));
  *g2 = g_memdup2 (w2->grad, sizeof (float) * philia_tensor_size (w2));
}

static void
test_split_bits (void)
{
  const guint n = 3000, f = 96, hid = 64, c = 7;
  /* philia_sparse_new () takes the arrays. */
  gint64 *offsets = g_new (gint64, n + 1);
  gint32 *cols = g_new (gint32, 5 * n);
  float *values = g_new (float, 5 * n);
  g_autofree gint32 *labels = g_new (gint32, n);
  g_autoptr(PhiliaTensor) x = philia_tensor_new (n, f);
  g_autoptr(PhiliaTensor) w1 = philia_tensor_new (f, hid);
  g_autoptr(PhiliaTensor) w2 = philia_tensor_new (hid, c);
  float *ref[3] = { NULL, NULL, NULL };
  PhiliaSparse *adj;
  PhiliaRng rng;

  philia_rng_init (&rng, 11);
  offsets[0] = 0;
  for (guint i = 0; i < n; i++)
    {
      for (guint e = 0; e < 5; e++)
        {
          cols[5 * i + e] = e == 0 ? (gint32)i : (gint32)(philia_rng_next (&rng) % n);
          values[5 * i + e] = 0.2f + 0.1f * philia_rng_float (&rng);
        }
      offsets[i + 1] = 5 * (i + 1);
      labels[i] = (gint32)(philia_rng_next (&rng) % c);
    }
  adj = philia_sparse_new (n, n, offsets, cols, values);
  philia_tensor_glorot (x, &rng);
  philia_tensor_glorot (w1, &rng);
  philia_tensor_glorot (w2, &rng);
  w1->requires_grad = w2->requires_grad = TRUE;

  /* Modes: one thread; two, all split; two, none split; two, timed. */
  for (guint mode = 0; mode < 4; mode++)
    {
      g_autoptr(PhiliaTape) tape = philia_tape_new (mode == 0 ? 1 : 2);

      if (mode == 1 || mode == 2)
        _philia_tape_force_split (tape, mode == 1);
      for (guint step = 0; step < (mode == 3 ? 8 : 1); step++)
        {
          float *got[3];

          gcn_step (tape, adj, x, w1, w2, labels, &got[0], &got[1], &got[2]);
          if (ref[0] == NULL)
            {
              for (guint k = 0; k < 3; k++)
                ref[k] = got[k];
              continue;
            }
          g_assert_cmpmem (ref[0], sizeof (float) * n * c, got[0], sizeof (float) * n * c);
          g_assert_cmpmem (ref[1], sizeof (float) * f * hid, got[1], sizeof (float) * f * hid);
          g_assert_cmpmem (ref[2], sizeof (float) * hid * c, got[2], sizeof (float) * hid * c);
          for (guint k = 0; k < 3; k++)
            g_free (got[k]);
        }
      if (mode == 3)
        {
          guint split, single, timing;

          /* Eight steps are past every site's timing. */
          _philia_tape_site_counts (tape, &split, &single, &timing);
          g_assert_cmpuint (timing, ==, 0);
          g_assert_cmpuint (split + single, >, 0);
        }
    }
  philia_sparse_unref (adj);
  for (guint k = 0; k < 3; k++)
    g_free (ref[k]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/parallel-cost/decision", test_decision);
  g_test_add_func ("/parallel-cost/rows", test_rows);
  g_test_add_func ("/parallel-cost/rows-blocks", test_rows_blocks);
  g_test_add_func ("/parallel-cost/sgemm", test_sgemm);
  g_test_add_func ("/parallel-cost/matmul-threads", test_matmul_threads);
  g_test_add_func ("/parallel-cost/choice", test_choice);
  g_test_add_func ("/parallel-cost/choice-mix", test_choice_mix);
  g_test_add_func ("/parallel-cost/choice-rounds", test_choice_rounds);
  g_test_add_func ("/parallel-cost/adam-split", test_adam_split);
  g_test_add_func ("/parallel-cost/adam-dry-cost", test_adam_dry_cost);
  g_test_add_func ("/parallel-cost/sites", test_sites);
  g_test_add_func ("/parallel-cost/split-bits", test_split_bits);
  return g_test_run ();
}
