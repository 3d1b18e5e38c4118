/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-ops-narrow-private.h"
#include "autograd-test-util.h"

/* The evaluation pass's output layer and log-softmax in one pass over X's
 * rows, _philia_linear_log_softmax (): against the separate ops it replaces
 * (narrow linear, then log-softmax over all rows) to the bit, on shapes
 * around its row blocks (no rows, one row, counts off a block, several
 * blocks, widths off the vector length, one to eight classes), with every
 * block handed to the caller once, in order, while the rows it says are
 * final. And the deferred output layer of an evaluation pass, and the
 * narrow op's weight gradient and forward product against their sums
 * written out. */

typedef struct
{
  const float *logp;   /* the output the blocks should lie in */
  guint        next;   /* the row the next block should start at */
  guint        blocks;
  float       *copy;   /* each block's values as handed over */
} Blocks;

static void
on_block (const float  *logp,
          const gint32 *best,
          guint         r0,
          guint         rows,
          guint         c,
          gpointer      data)
{
  Blocks *b = data;
  g_autofree gint32 *expected = g_new (gint32, rows);

  g_assert_cmpuint (r0, ==, b->next);
  g_assert_cmpuint (rows, >, 0);
  g_assert_true (logp == b->logp + (gsize)r0 * c);
  memcpy (b->copy + (gsize)r0 * c, logp, sizeof (float) * rows * c);
  /* the argmax of each row as handed over */
  _philia_rows_argmax (expected, logp, rows, c);
  g_assert_cmpmem (best, sizeof (gint32) * rows, expected, sizeof (gint32) * rows);
  b->next = r0 + rows;
  b->blocks++;
}

static void
check_shape (guint n,
             guint f,
             guint c)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  g_autoptr(PhiliaTensor) x = NULL;
  g_autoptr(PhiliaTensor) w = NULL;
  g_autoptr(PhiliaTensor) b = NULL;
  g_autofree float *logp = g_new (float, (gsize)n * c + 1);
  g_autofree float *copy = g_new (float, (gsize)n * c + 1);
  PhiliaTensor *expected;
  Blocks blocks = { logp, 0, 0, copy };

  philia_rng_init (&rng, 1000 * n + 10 * f + c);
  /* logits spread over a few units, so that rows' maxima and sums differ */
  x = uniform_tensor (n, f, 1, &rng);
  w = uniform_tensor (f, c, 4.0f / sqrtf ((float)f), &rng);
  b = uniform_tensor (1, c, 0.5f, &rng);
  philia_tape_set_training (tape, FALSE);
  expected = philia_op_log_softmax (tape, _philia_op_linear_narrow (tape, x, w, b));
  _philia_linear_log_softmax (logp, x->data, w, b, n, on_block, &blocks);
  g_assert_cmpuint (blocks.next, ==, n);
  g_assert_cmpuint (blocks.blocks, ==, n == 0 ? 0 : blocks.blocks);
  if (n > 0)
    {
      g_assert_cmpmem (logp, sizeof (float) * n * c, expected->data, sizeof (float) * n * c);
      g_assert_cmpmem (copy, sizeof (float) * n * c, expected->data, sizeof (float) * n * c);
    }
  else
    g_assert_cmpuint (blocks.blocks, ==, 0);
  /* without a reader */
  memset (logp, 0, sizeof (float) * n * c);
  _philia_linear_log_softmax (logp, x->data, w, b, n, NULL, NULL);
  if (n > 0)
    g_assert_cmpmem (logp, sizeof (float) * n * c, expected->data, sizeof (float) * n * c);
}

static void
test_matches_separate_ops (void)
{
  const guint rows[] = { 0, 1, 7, 31, 32, 33, 63, 65, 511, 512, 513, 1025, 1100, 2100 };
  const guint widths[] = { 1, 5, 32, 37, 128, 131 };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
      for (guint c = 1; c <= PHILIA_NARROW_MAX; c++)
        {
          if (rows[i] > 600 && c != 5 && c != 3 && c != 8)
            continue;
          check_shape (rows[i], widths[k], c);
        }
}

/* Several blocks at 128 features (512 rows each): the reader is called
 * once a block. */
static void
test_blocks (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) x = NULL;
  g_autoptr(PhiliaTensor) w = NULL;
  g_autoptr(PhiliaTensor) b = NULL;
  g_autofree float *logp = g_new (float, 1300 * 5);
  g_autofree float *copy = g_new (float, 1300 * 5);
  Blocks blocks = { logp, 0, 0, copy };

  philia_rng_init (&rng, 5);
  x = uniform_tensor (1300, 128, 1, &rng);
  w = uniform_tensor (128, 5, 0.3f, &rng);
  b = uniform_tensor (1, 5, 0.3f, &rng);
  _philia_linear_log_softmax (logp, x->data, w, b, 1300, on_block, &blocks);
  g_assert_cmpuint (blocks.blocks, >=, 2);
  g_assert_cmpuint (blocks.next, ==, 1300);
}

/* The deferred output layer of an evaluation pass (tape not training, no
 * parameter needing a gradient): computes nothing, and the pass's
 * log-softmax fills the deferred output with the separate ops' bits. A
 * model that returns something else, or a training step's deferred layer,
 * is reported as misused. With a parameter needing a gradient in
 * evaluation, nothing is deferred. */
static void
test_deferred_eval (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) x = NULL;
  g_autoptr(PhiliaTensor) w = NULL;
  g_autoptr(PhiliaTensor) b = NULL;
  gboolean misused;

  philia_rng_init (&rng, 29);
  x = uniform_tensor (700, 64, 1, &rng);
  w = uniform_tensor (64, 4, 0.3f, &rng);
  b = uniform_tensor (1, 4, 0.3f, &rng);

  {
    g_autoptr(PhiliaTape) tape = philia_tape_new (1);
    g_autoptr(PhiliaTape) direct = philia_tape_new (1);
    g_autofree float *copy = g_new (float, 700 * 4);
    PhiliaTensor *y, *logp, *expected;
    Blocks blocks = { NULL, 0, 0, copy };

    philia_tape_set_training (tape, FALSE);
    _philia_tape_defer_output (tape, TRUE);
    y = _philia_op_linear_output (tape, x, w, b);
    _philia_tape_defer_output (tape, FALSE);
    blocks.logp = y->data;
    logp = _philia_op_output_log_softmax (tape, y, on_block, &blocks, &misused);
    g_assert_false (misused);
    g_assert_true (logp == y);
    g_assert_cmpuint (blocks.next, ==, 700);
    expected = philia_op_log_softmax (direct, _philia_op_linear_narrow (direct, x, w, b));
    g_assert_cmpmem (logp->data, sizeof (float) * 2800, expected->data, sizeof (float) * 2800);
    g_assert_cmpmem (copy, sizeof (float) * 2800, expected->data, sizeof (float) * 2800);
    /* taken: a second call finds nothing deferred */
    g_assert_null (_philia_op_output_log_softmax (tape, y, NULL, NULL, &misused));
    g_assert_false (misused);
    /* the loss's call finds nothing either */
    g_assert_null (_philia_op_output_nll (tape, y, (const gint32 *)copy, NULL, &misused));
    g_assert_false (misused);
  }
  {
    g_autoptr(PhiliaTape) tape = philia_tape_new (1);
    PhiliaTensor *y;

    philia_tape_set_training (tape, FALSE);
    _philia_tape_defer_output (tape, TRUE);
    y = _philia_op_linear_output (tape, x, w, b);
    _philia_tape_defer_output (tape, FALSE);
    g_assert_null (_philia_op_output_log_softmax (tape, philia_op_relu (tape, y), NULL, NULL,
                                                  &misused));
    g_assert_true (misused);
  }
  /* a training step's deferred layer is not this pass's */
  {
    g_autoptr(PhiliaTape) tape = philia_tape_new (1);
    PhiliaTensor *y;

    w->requires_grad = b->requires_grad = TRUE;
    philia_tape_set_training (tape, TRUE);
    _philia_tape_defer_output (tape, TRUE);
    y = _philia_op_linear_output (tape, x, w, b);
    _philia_tape_defer_output (tape, FALSE);
    g_assert_null (_philia_op_output_log_softmax (tape, y, NULL, NULL, &misused));
    g_assert_true (misused);
    w->requires_grad = b->requires_grad = FALSE;
  }
  /* not deferred: not asked, a parameter needing a gradient in evaluation,
   * X needing one; the narrow op's values */
  for (int mode = 0; mode < 3; mode++)
    {
      g_autoptr(PhiliaTape) tape = philia_tape_new (1);
      g_autoptr(PhiliaTape) direct = philia_tape_new (1);
      PhiliaTensor *y, *expected;

      philia_tape_set_training (tape, FALSE);
      _philia_tape_defer_output (tape, mode != 0);
      w->requires_grad = mode == 1;
      x->requires_grad = mode == 2;
      y = _philia_op_linear_output (tape, x, w, b);
      g_assert_null (_philia_op_output_log_softmax (tape, y, NULL, NULL, &misused));
      g_assert_false (misused);
      expected = _philia_op_linear_narrow (direct, x, w, b);
      g_assert_cmpmem (y->data, sizeof (float) * 2800, expected->data, sizeof (float) * 2800);
      x->requires_grad = w->requires_grad = FALSE;
    }
}

/* W's gradient from the narrow op's backward pass (narrow_grad ()), to the
 * bit, against its sums written out: for each NARROW_BLOCK (32) rows, each
 * feature's and class's sum over the block's rows in order (a multiply-add
 * each, fused where the CPU has it), then added to the sum so far. Groups of sixteen features
 * taken four or two at a time must not change it. */
static float
grad_reference (const PhiliaTensor *x,
                const float        *dy,
                guint               c,
                guint               k,
                guint               j,
                gboolean            fused)
{
  guint n = x->rows, f = x->cols;
  float g = 0;

  for (guint r0 = 0; r0 < n; r0 += 32)
    {
      guint r1 = MIN (n, r0 + 32);
      float acc = 0;

      for (guint r = r0; r < r1; r++)
        {
          float a = x->data[(gsize)r * f + k], d = dy[(gsize)r * c + j];

          acc = fused ? fmaf (a, d, acc) : acc + a * d;
        }
      g = g + acc;
    }
  return 0.0f + g;
}

static void
test_weight_gradient (void)
{
  const guint rows[] = { 0, 1, 31, 33, 100 };
  const guint widths[] = { 16, 32, 37, 64, 80, 128, 131, 136, 200 };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    for (guint wi = 0; wi < G_N_ELEMENTS (widths); wi++)
      for (guint c = 1; c <= PHILIA_NARROW_MAX; c++)
        {
          guint n = rows[i], f = widths[wi];
          PhiliaRng rng;
          g_autoptr(PhiliaTape) tape = philia_tape_new (1);
          g_autoptr(PhiliaTensor) x = NULL;
          g_autoptr(PhiliaTensor) w = NULL;
          g_autoptr(PhiliaTensor) b = NULL;
          g_autofree float *dy = g_new (float, (gsize)n * c + 1);
          PhiliaTensor *y;

          philia_rng_init (&rng, 7 * n + 100 * f + c);
          x = uniform_tensor (n, f, 1, &rng);
          w = uniform_tensor (f, c, 0.3f, &rng);
          b = uniform_tensor (1, c, 0.3f, &rng);
          for (gsize e = 0; e < (gsize)n * c; e++)
            dy[e] = 2 * philia_rng_float (&rng) - 1;
          w->requires_grad = TRUE;
          y = _philia_op_linear_narrow (tape, x, w, b);
          philia_tape_backward_from (tape, y, dy);
          g_assert_nonnull (w->grad);
          /* The last features short of eight are summed row by row into
           * the gradient, as before (not checked here: the compiler's
           * contraction of that scalar loop is its own). */
          for (guint k = 0; k < f / 8 * 8; k++)
            for (guint j = 0; j < c; j++)
              {
                float got = w->grad[(gsize)k * c + j];
                float fused = grad_reference (x, dy, c, k, j, TRUE);
                float plain = grad_reference (x, dy, c, k, j, FALSE);

                if (memcmp (&got, &fused, sizeof got) != 0
                    && memcmp (&got, &plain, sizeof got) != 0)
                  g_error ("n %u f %u c %u: W's gradient [%u, %u] %.9g, sums in order %.9g "
                           "(fused) / %.9g", n, f, c, k, j, got, fused, plain);
              }
        }
}

/* One logit of the narrow op's forward pass (narrow_forward ()) written
 * out, at a width of whole groups of eight features: each of the eight
 * lanes a chain of multiply-adds over the row's groups in order (fused
 * where the CPU has it), the lanes summed from zero in order, the empty
 * tail's zero, then the bias. And b's gradient from the backward pass,
 * each class's sum over the rows in order (bias_grad (), session 22). */
static float
forward_reference (const PhiliaTensor *x,
                   const PhiliaTensor *w,
                   const PhiliaTensor *b,
                   guint               r,
                   guint               j,
                   gboolean            fused)
{
  guint f = x->cols, c = w->cols;
  float s = 0;

  for (guint i = 0; i < 8; i++)
    {
      float acc = 0;

      for (guint k = i; k < f; k += 8)
        {
          float a = x->data[(gsize)r * f + k], v = w->data[(gsize)k * c + j];

          acc = fused ? fmaf (a, v, acc) : acc + a * v;
        }
      s = s + acc;
    }
  return (s + 0.0f) + b->data[j];
}

static void
test_forward (void)
{
  const guint rows[] = { 0, 1, 2, 3, 31, 33, 100 };
  const guint widths[] = { 8, 16, 64, 128, 136, 200 };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    for (guint wi = 0; wi < G_N_ELEMENTS (widths); wi++)
      for (guint c = 1; c <= PHILIA_NARROW_MAX; c++)
        {
          guint n = rows[i], f = widths[wi];
          PhiliaRng rng;
          g_autoptr(PhiliaTape) tape = philia_tape_new (1);
          g_autoptr(PhiliaTensor) x = NULL;
          g_autoptr(PhiliaTensor) w = NULL;
          g_autoptr(PhiliaTensor) b = NULL;
          PhiliaTensor *y;

          philia_rng_init (&rng, 11 * n + 100 * f + c);
          x = uniform_tensor (n, f, 1, &rng);
          w = uniform_tensor (f, c, 0.3f, &rng);
          b = uniform_tensor (1, c, 0.3f, &rng);
          g_autofree float *dy = g_new (float, (gsize)n * c + 1);

          b->requires_grad = TRUE;
          y = _philia_op_linear_narrow (tape, x, w, b);
          g_assert_cmpuint (y->rows, ==, n);
          for (guint r = 0; r < n; r++)
            for (guint j = 0; j < c; j++)
              {
                float got = y->data[(gsize)r * c + j];
                float fused = forward_reference (x, w, b, r, j, TRUE);
                float plain = forward_reference (x, w, b, r, j, FALSE);

                if (memcmp (&got, &fused, sizeof got) != 0
                    && memcmp (&got, &plain, sizeof got) != 0)
                  g_error ("n %u f %u c %u: logit [%u, %u] %.9g, sums in order %.9g "
                           "(fused) / %.9g", n, f, c, r, j, got, fused, plain);
              }
          /* b's gradient: each class's dY summed over the rows in order */
          for (gsize e = 0; e < (gsize)n * c; e++)
            dy[e] = 2 * philia_rng_float (&rng) - 1;
          philia_tape_backward_from (tape, y, dy);
          g_assert_nonnull (b->grad);
          for (guint j = 0; j < c; j++)
            {
              float sum = 0;

              for (guint r = 0; r < n; r++)
                sum += dy[(gsize)r * c + j];
              if (memcmp (&b->grad[j], &sum, sizeof sum) != 0)
                g_error ("n %u f %u c %u: b's gradient [%u] %.9g, the sum in order %.9g", n, f,
                         c, j, b->grad[j], sum);
            }
        }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  openblas_set_num_threads (1);
  g_test_add_func ("/Philia/Autograd/linear-eval-matches-separate-ops",
                   test_matches_separate_ops);
  g_test_add_func ("/Philia/Autograd/linear-eval-blocks", test_blocks);
  g_test_add_func ("/Philia/Autograd/linear-eval-deferred", test_deferred_eval);
  g_test_add_func ("/Philia/Autograd/narrow-weight-gradient", test_weight_gradient);
  g_test_add_func ("/Philia/Autograd/narrow-forward-and-bias", test_forward);
  return g_test_run ();
}
