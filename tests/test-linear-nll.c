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

/* The fused output layer and loss, _philia_op_linear_nll (): the mean NLL
 * of log-softmax (X W + b) and the gradients of W and b in one pass over
 * X's rows. Against the separate ops it replaces (narrow linear,
 * log-softmax, NLL) to the bit, and against the same sums in double, on
 * shapes around its row blocks: no rows, one row, row counts off a
 * block, one class, unlabeled rows, a mask, a loss gradient other than 1.
 * And the deferred output layer the training loop hands to it. */

typedef struct
{
  float  loss;
  float *gw, *gb;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->gw, g_free);
  g_clear_pointer (&r->gb, g_free);
}

/* The gradients W and b hold after a backward pass from @loss with @dl,
 * taken off them (so the next run starts fresh). */
static Result
take (PhiliaTape   *tape,
      PhiliaTensor *loss,
      float         dl,
      PhiliaTensor *w,
      PhiliaTensor *b)
{
  Result r = { loss->data[0], NULL, NULL };

  philia_tape_backward_from (tape, loss, &dl);
  g_assert_nonnull (w->grad);
  g_assert_nonnull (b->grad);
  r.gw = g_steal_pointer (&w->grad);
  r.gb = g_steal_pointer (&b->grad);
  return r;
}

static Result
run_separate (PhiliaTensor *x,
              PhiliaTensor *w,
              PhiliaTensor *b,
              const gint32 *labels,
              const guint8 *mask,
              float         dl)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *y = _philia_op_linear_narrow (tape, x, w, b);

  return take (tape, philia_op_nll (tape, philia_op_log_softmax (tape, y), labels, mask), dl,
               w, b);
}

static Result
run_fused (PhiliaTensor *x,
           PhiliaTensor *w,
           PhiliaTensor *b,
           const gint32 *labels,
           const guint8 *mask,
           float         dl)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);

  return take (tape, _philia_op_linear_nll (tape, x, w, b, labels, mask), dl, w, b);
}

/* The loss and the gradients in double, straight from the definitions. */
static void
reference (const PhiliaTensor *x,
           const PhiliaTensor *w,
           const PhiliaTensor *b,
           const gint32       *labels,
           const guint8       *mask,
           double              dl,
           double             *loss,
           double             *gw,
           double             *gb)
{
  guint n = x->rows, f = x->cols, c = w->cols;
  g_autofree double *z = g_new (double, c);
  double sum = 0, count = 0;

  memset (gw, 0, sizeof (double) * f * c);
  memset (gb, 0, sizeof (double) * c);
  for (guint i = 0; i < n; i++)
    count += labels[i] >= 0 && (mask == NULL || mask[i]);
  for (guint i = 0; i < n; i++)
    {
      double mx = -INFINITY, lse = 0;

      if (labels[i] < 0 || (mask != NULL && !mask[i]))
        continue;
      for (guint j = 0; j < c; j++)
        {
          z[j] = b->data[j];
          for (guint k = 0; k < f; k++)
            z[j] += (double)x->data[(gsize)i * f + k] * w->data[(gsize)k * c + j];
          mx = MAX (mx, z[j]);
        }
      for (guint j = 0; j < c; j++)
        lse += exp (z[j] - mx);
      lse = mx + log (lse);
      sum -= z[labels[i]] - lse;
      for (guint j = 0; j < c; j++)
        {
          double d = dl / count * (exp (z[j] - lse) - (j == (guint)labels[i]));

          gb[j] += d;
          for (guint k = 0; k < f; k++)
            gw[(gsize)k * c + j] += x->data[(gsize)i * f + k] * d;
        }
    }
  *loss = count > 0 ? sum / count : NAN;
}

static void
assert_same_bits (const Result *a,
                  const Result *b,
                  gsize         n_w,
                  guint         c)
{
  g_assert_true (memcmp (&a->loss, &b->loss, sizeof (float)) == 0
                 || (isnan (a->loss) && isnan (b->loss)));
  g_assert_cmpmem (a->gw, sizeof (float) * n_w, b->gw, sizeof (float) * n_w);
  g_assert_cmpmem (a->gb, sizeof (float) * c, b->gb, sizeof (float) * c);
}

static void
check_shape (guint      n,
             guint      f,
             guint      c,
             gboolean   with_mask,
             float      dl,
             PhiliaRng *rng)
{
  g_autoptr(PhiliaTensor) x = uniform_tensor (n, f, 1, rng);
  g_autoptr(PhiliaTensor) w = uniform_tensor (f, c, 2.0f / sqrtf (f), rng);
  g_autoptr(PhiliaTensor) b = uniform_tensor (1, c, 0.5f, rng);
  g_autofree gint32 *labels = g_new (gint32, MAX (n, 1));
  g_autofree guint8 *mask = g_new (guint8, MAX (n, 1));
  g_autofree double *gw = g_new (double, (gsize)f * c), *gb = g_new (double, c);
  Result separate, fused;
  double loss;

  w->requires_grad = b->requires_grad = TRUE;
  for (guint i = 0; i < n; i++)
    {
      /* about one row in seven unlabeled, one in five masked out */
      labels[i] = philia_rng_below (rng, 7) == 0 ? -1 : (gint32)philia_rng_below (rng, c);
      mask[i] = philia_rng_below (rng, 5) != 0;
    }
  separate = run_separate (x, w, b, labels, with_mask ? mask : NULL, dl);
  fused = run_fused (x, w, b, labels, with_mask ? mask : NULL, dl);
  assert_same_bits (&separate, &fused, (gsize)f * c, c);

  reference (x, w, b, labels, with_mask ? mask : NULL, dl, &loss, gw, gb);
  if (isnan (loss))
    g_assert_true (isnan (fused.loss));
  else
    g_assert_cmpfloat_with_epsilon (fused.loss, loss, 1e-5 * (1 + fabs (loss)));
  for (gsize i = 0; i < (gsize)f * c; i++)
    g_assert_cmpfloat_with_epsilon (fused.gw[i], gw[i], 1e-5 * (1 + fabs (gw[i])));
  for (guint j = 0; j < c; j++)
    g_assert_cmpfloat_with_epsilon (fused.gb[j], gb[j], 1e-5 * (1 + fabs (gb[j])));
  result_clear (&separate);
  result_clear (&fused);
}

static void
test_matches_separate_ops (void)
{
  /* rows: none, one, within and around the weight gradient's 32-row sums,
   * and across the op's blocks (1,024 rows at 1 to 37 features, 512 at 128),
   * on a block boundary and off one */
  static const guint rows[] = { 0, 1, 7, 32, 63, 65, 130, 257, 1024, 1100 };
  static const guint features[] = { 1, 32, 37, 128 };
  PhiliaRng rng;

  philia_rng_init (&rng, 20);
  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    for (guint fi = 0; fi < G_N_ELEMENTS (features); fi++)
      for (guint c = 1; c <= PHILIA_NARROW_MAX; c++)
        for (int masked = 0; masked < 2; masked++)
          check_shape (rows[r], features[fi], c, masked, 1.0f, &rng);
}

/* A loss gradient other than 1 (a weighted loss): the backward pass goes
 * over the rows again, with the same bits as the separate ops. */
static void
test_other_loss_gradient (void)
{
  PhiliaRng rng;

  philia_rng_init (&rng, 21);
  check_shape (130, 128, 5, FALSE, 2.5f, &rng);
  check_shape (65, 37, 1, TRUE, -0.75f, &rng);
  check_shape (0, 32, 3, FALSE, 2.0f, &rng);
}

/* Every row unlabeled: the loss is NaN (no counted row), as philia_op_nll ()
 * gives it, and the gradients are zero. */
static void
test_no_counted_rows (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) x = NULL;
  g_autoptr(PhiliaTensor) w = NULL;
  g_autoptr(PhiliaTensor) b = NULL;
  gint32 labels[70];
  Result separate, fused;

  philia_rng_init (&rng, 22);
  x = uniform_tensor (70, 40, 1, &rng);
  w = uniform_tensor (40, 4, 0.3f, &rng);
  b = uniform_tensor (1, 4, 0.3f, &rng);
  w->requires_grad = b->requires_grad = TRUE;
  for (guint i = 0; i < 70; i++)
    labels[i] = -1;
  separate = run_separate (x, w, b, labels, NULL, 1);
  fused = run_fused (x, w, b, labels, NULL, 1);
  g_assert_true (isnan (fused.loss));
  assert_same_bits (&separate, &fused, 40 * 4, 4);
  for (guint i = 0; i < 40 * 4; i++)
    g_assert_cmpfloat (fused.gw[i], ==, 0);
  result_clear (&separate);
  result_clear (&fused);
}

/* The deferred output layer: computes nothing when the loop asks and X
 * needs no gradient, and the loop's loss is then the fused op's; otherwise
 * (not asked, evaluation, X needing a gradient) it is the narrow op. A model
 * that returns something else is reported as having misused it. */
static void
test_deferred_output (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) x = NULL;
  g_autoptr(PhiliaTensor) w = NULL;
  g_autoptr(PhiliaTensor) b = NULL;
  gint32 labels[100];
  gboolean misused;

  philia_rng_init (&rng, 23);
  x = uniform_tensor (100, 64, 1, &rng);
  w = uniform_tensor (64, 3, 0.2f, &rng);
  b = uniform_tensor (1, 3, 0.2f, &rng);
  w->requires_grad = b->requires_grad = TRUE;
  for (guint i = 0; i < 100; i++)
    labels[i] = (gint32)philia_rng_below (&rng, 3);

  {
    g_autoptr(PhiliaTape) tape = philia_tape_new (1);
    g_autoptr(PhiliaTape) direct = philia_tape_new (1);
    PhiliaTensor *y, *loss, *expected;

    philia_tape_set_training (tape, TRUE);
    _philia_tape_defer_output (tape, TRUE);
    y = _philia_op_linear_output (tape, x, w, b);
    _philia_tape_defer_output (tape, FALSE);
    g_assert_false (y->requires_grad);
    loss = _philia_op_output_nll (tape, y, labels, NULL, &misused);
    g_assert_false (misused);
    g_assert_nonnull (loss);
    expected = _philia_op_linear_nll (direct, x, w, b, labels, NULL);
    g_assert_cmpmem (loss->data, sizeof (float), expected->data, sizeof (float));
    /* taken: a second call finds nothing deferred */
    g_assert_null (_philia_op_output_nll (tape, y, labels, NULL, &misused));
    g_assert_false (misused);
  }
  {
    g_autoptr(PhiliaTape) tape = philia_tape_new (1);
    PhiliaTensor *y;

    philia_tape_set_training (tape, TRUE);
    _philia_tape_defer_output (tape, TRUE);
    y = _philia_op_linear_output (tape, x, w, b);
    _philia_tape_defer_output (tape, FALSE);
    g_assert_null (_philia_op_output_nll (tape, philia_op_relu (tape, y), labels, NULL,
                                          &misused));
    g_assert_true (misused);
  }
  /* not deferred: the narrow op's values */
  for (int mode = 0; mode < 3; mode++)
    {
      g_autoptr(PhiliaTape) tape = philia_tape_new (1);
      g_autoptr(PhiliaTape) direct = philia_tape_new (1);
      PhiliaTensor *y, *expected;

      philia_tape_set_training (tape, mode != 1);
      _philia_tape_defer_output (tape, mode != 0);
      x->requires_grad = mode == 2;
      y = _philia_op_linear_output (tape, x, w, b);
      g_assert_null (_philia_op_output_nll (tape, y, labels, NULL, &misused));
      g_assert_false (misused);
      expected = _philia_op_linear_narrow (direct, x, w, b);
      g_assert_cmpmem (y->data, sizeof (float) * 300, expected->data, sizeof (float) * 300);
      x->requires_grad = FALSE;
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  openblas_set_num_threads (1);
  g_test_add_func ("/Philia/Autograd/linear-nll-matches-separate-ops",
                   test_matches_separate_ops);
  g_test_add_func ("/Philia/Autograd/linear-nll-other-loss-gradient", test_other_loss_gradient);
  g_test_add_func ("/Philia/Autograd/linear-nll-no-counted-rows", test_no_counted_rows);
  g_test_add_func ("/Philia/Autograd/linear-nll-deferred-output", test_deferred_output);
  return g_test_run ();
}
