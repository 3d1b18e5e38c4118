/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-ops-narrow-private.h"
#include "philia-narrow-lanes-private.h"
#include "autograd-test-util.h"

/* The narrow output layer's kernels with rows in lanes
 * (philia-narrow-lanes.c) against the row-by-row kernels they stand in for,
 * bit for bit: the evaluation pass's log-probabilities and argmax, and the
 * fused loss with W's and b's gradients, at 1 to 17 features (the product
 * in lanes at 1-3, 8-11 and 16) and wider (the log-softmax and the loss
 * in lanes after the row kernel's product), 1 to 8 classes, and row counts around their groups of 16
 * and blocks of 32 and the op's blocks of 1,024 (no rows, one, a group
 * and one more, a block short of one). Unlabeled and masked-out rows, and
 * a loss gradient other than 1. */

/* every width the product takes in lanes and those near them, and wider
 * ones where only the log-softmax and the loss go in lanes */
static const guint test_widths[] = { 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 15, 16, 17, 20, 32, 37,
                                     128 };
static const guint test_rows[] = { 0, 1, 15, 16, 17, 31, 32, 33, 47, 64, 65, 100,
                                   1023, 1024, 1025, 2100 };

typedef struct
{
  float  *logp;
  gint32 *best;
} Copy;

static void
on_block (const float  *logp,
          const gint32 *best,
          guint         r0,
          guint         rows,
          guint         c,
          gpointer      data)
{
  Copy *copy = data;

  memcpy (copy->logp + (gsize)r0 * c, logp, sizeof (float) * rows * c);
  memcpy (copy->best + r0, best, sizeof (gint32) * rows);
}

static void
assert_same (const void *a,
             const void *b,
             gsize       n,
             const char *what,
             guint       rows,
             guint       f,
             guint       c)
{
  const float *fa = a, *fb = b;

  if (memcmp (a, b, n * 4) == 0)
    return;
  for (gsize i = 0; i < n; i++)
    if (memcmp (fa + i, fb + i, 4) != 0)
      g_error ("%s, %u rows, %u features, %u classes: element %" G_GSIZE_FORMAT
               " %.9g (lanes) against %.9g (rows)", what, rows, f, c, i, fa[i], fb[i]);
}

static void
eval_shape (guint n,
            guint f,
            guint c)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) x = NULL;
  g_autoptr(PhiliaTensor) w = NULL;
  g_autoptr(PhiliaTensor) b = NULL;
  gsize nc = (gsize)n * c + 1;
  g_autofree float *lp_lanes = g_new0 (float, nc), *lp_rows = g_new0 (float, nc);
  g_autofree float *cp_lanes = g_new0 (float, nc), *cp_rows = g_new0 (float, nc);
  g_autofree gint32 *best_lanes = g_new0 (gint32, n + 1), *best_rows = g_new0 (gint32, n + 1);
  Copy lanes = { cp_lanes, best_lanes }, rows = { cp_rows, best_rows };

  philia_rng_init (&rng, 1000 * n + 10 * f + c);
  x = uniform_tensor (n, f, 1, &rng);
  w = uniform_tensor (f, c, 4.0f / sqrtf ((float)f), &rng);
  b = uniform_tensor (1, c, 0.5f, &rng);
  /* ties for the argmax: a few rows of equal logits */
  for (guint i = 0; i < n; i += 7)
    memset (x->data + (gsize)i * f, 0, sizeof (float) * f);
  _philia_narrow_lanes_set_enabled (TRUE);
  _philia_linear_log_softmax (lp_lanes, x->data, w, b, n, on_block, &lanes);
  _philia_narrow_lanes_set_enabled (FALSE);
  _philia_linear_log_softmax (lp_rows, x->data, w, b, n, on_block, &rows);
  _philia_narrow_lanes_set_enabled (TRUE);
  assert_same (lp_lanes, lp_rows, (gsize)n * c, "log-probabilities", n, f, c);
  assert_same (cp_lanes, cp_rows, (gsize)n * c, "blocks' log-probabilities", n, f, c);
  assert_same (best_lanes, best_rows, n, "argmax", n, f, c);
}

static void
test_eval (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (test_rows); i++)
    for (guint k = 0; k < G_N_ELEMENTS (test_widths); k++)
      for (guint c = 1; c <= PHILIA_NARROW_MAX; c++)
        if (test_rows[i] < 1000 || c == 5 || c == 3 || test_widths[k] == 10)
          eval_shape (test_rows[i], test_widths[k], c);
}

typedef struct
{
  float  loss;
  float *gw, *gb;
} Result;

static Result
run_nll (PhiliaTensor *x,
         PhiliaTensor *w,
         PhiliaTensor *b,
         const gint32 *labels,
         const guint8 *mask,
         float         dl)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *loss = _philia_op_linear_nll (tape, x, w, b, labels, mask);
  Result r = { loss->data[0], NULL, NULL };

  philia_tape_backward_from (tape, loss, &dl);
  r.gw = g_steal_pointer (&w->grad);
  r.gb = g_steal_pointer (&b->grad);
  return r;
}

static void
nll_shape (guint n,
           guint f,
           guint c,
           gboolean with_mask,
           float dl)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) x = NULL;
  g_autoptr(PhiliaTensor) w = NULL;
  g_autoptr(PhiliaTensor) b = NULL;
  g_autofree gint32 *labels = g_new (gint32, n + 1);
  g_autofree guint8 *mask = g_new (guint8, n + 1);
  Result lanes, rows;

  philia_rng_init (&rng, 7 * n + 100 * f + c);
  x = uniform_tensor (n, f, 1, &rng);
  w = uniform_tensor (f, c, 2.0f / sqrtf ((float)f), &rng);
  b = uniform_tensor (1, c, 0.5f, &rng);
  w->requires_grad = b->requires_grad = TRUE;
  for (guint i = 0; i < n; i++)
    {
      labels[i] = philia_rng_below (&rng, 7) == 0 ? -1 : (gint32)philia_rng_below (&rng, c);
      mask[i] = philia_rng_below (&rng, 5) != 0;
    }
  _philia_narrow_lanes_set_enabled (TRUE);
  lanes = run_nll (x, w, b, labels, with_mask ? mask : NULL, dl);
  _philia_narrow_lanes_set_enabled (FALSE);
  rows = run_nll (x, w, b, labels, with_mask ? mask : NULL, dl);
  _philia_narrow_lanes_set_enabled (TRUE);
  if (!(isnan (lanes.loss) && isnan (rows.loss)))
    assert_same (&lanes.loss, &rows.loss, 1, "loss", n, f, c);
  if (lanes.gw != NULL || rows.gw != NULL)
    {
      g_assert_nonnull (lanes.gw);
      g_assert_nonnull (rows.gw);
      assert_same (lanes.gw, rows.gw, (gsize)f * c, "W's gradient", n, f, c);
      assert_same (lanes.gb, rows.gb, c, "b's gradient", n, f, c);
    }
  g_free (lanes.gw);
  g_free (lanes.gb);
  g_free (rows.gw);
  g_free (rows.gb);
}

static void
test_nll (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (test_rows); i++)
    for (guint k = 0; k < G_N_ELEMENTS (test_widths); k++)
      for (guint c = 1; c <= PHILIA_NARROW_MAX; c++)
        if (test_rows[i] < 1000 || c == 5 || c == 2 || test_widths[k] == 10)
          for (int masked = 0; masked < 2; masked++)
            nll_shape (test_rows[i], test_widths[k], c, masked, 1.0f);
}

/* A loss gradient other than 1 (the pass runs again in backward). */
static void
test_nll_other_gradient (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (test_widths); k++)
    nll_shape (100, test_widths[k], 5, TRUE, 0.37f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  openblas_set_num_threads (1);
  g_test_add_func ("/Philia/Autograd/linear-lanes-eval", test_eval);
  g_test_add_func ("/Philia/Autograd/linear-lanes-nll", test_nll);
  g_test_add_func ("/Philia/Autograd/linear-lanes-nll-other-gradient", test_nll_other_gradient);
  return g_test_run ();
}
