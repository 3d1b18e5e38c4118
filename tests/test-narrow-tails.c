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

/* The narrow output layer (philia-ops-narrow.c) at feature widths that are
 * not a multiple of eight and at more classes than one vector's lanes
 * (HACKING.md §7, tests/bench/GRID.md session 23):
 *
 * - the tail's sums with the classes in the lanes (forward) and the tail's
 *   features in the lanes (W's gradient) against the scalar loops they
 *   stand in for (the kernels with the lanes switched off), bit for bit,
 *   at every tail length 1 to 7 after no, one and many groups of eight;
 * - more than PHILIA_NARROW_MAX classes: each logit against a double
 *   sum within float rounding (whether a multiply-add rounds once is the
 *   compiler's choice); W's and b's gradients against the same op on W's
 *   columns eight at a time (each class's as among eight); the fused loss
 *   and the evaluation pass against the separate ops (log-softmax, NLL) on
 *   the op's logits, bit for bit. */

static const guint tail_widths[] = { 1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14, 15, 20, 23, 50, 51, 63,
                                     65, 127, 129, 300, 301, 303 };
static const guint tail_rows[] = { 0, 1, 2, 31, 32, 33, 100 };
static const guint wide_classes[] = { 9, 10, 15, 16, 17, 24, 40, 41, 64, 70, 129, 256 };

static void
assert_same (const float *a,
             const float *b,
             gsize        n,
             const char  *what,
             guint        rows,
             guint        f,
             guint        c)
{
  if (n == 0 || memcmp (a, b, n * sizeof (float)) == 0)
    return;
  for (gsize i = 0; i < n; i++)
    if (memcmp (a + i, b + i, sizeof (float)) != 0)
      g_error ("%s, %u rows, %u features, %u classes: element %" G_GSIZE_FORMAT
               " %.9g against %.9g", what, rows, f, c, i, a[i], b[i]);
}

typedef struct
{
  float *y, *gw, *gb;
} Op;

/* The narrow op's logits, and W's and b's gradients for the logits'
 * gradient @dy. */
static Op
run_op (PhiliaTensor *x,
        PhiliaTensor *w,
        PhiliaTensor *b,
        const float  *dy)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *y;
  Op op;

  w->requires_grad = b->requires_grad = TRUE;
  y = _philia_op_linear_narrow (tape, x, w, b);
  /* One float more than y holds, so that an empty y still gives a buffer. */
  op.y = g_new0 (float, (gsize)y->rows * y->cols + 1);
  memcpy (op.y, y->data, sizeof (float) * y->rows * y->cols);
  philia_tape_backward_from (tape, y, dy);
  op.gw = g_steal_pointer (&w->grad);
  op.gb = g_steal_pointer (&b->grad);
  return op;
}

static void
op_free (Op *op)
{
  g_free (op->y);
  g_free (op->gw);
  g_free (op->gb);
}

/* The tail kernels against the scalar loops, through the op. */
static void
tail_shape (guint n,
            guint f,
            guint c)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) x = NULL;
  g_autoptr(PhiliaTensor) w = NULL;
  g_autoptr(PhiliaTensor) b = NULL;
  g_autoptr(PhiliaTensor) dy = NULL;
  Op lanes, rows;

  philia_rng_init (&rng, 1000 * n + 10 * f + c);
  x = uniform_tensor (n, f, 1, &rng);
  w = uniform_tensor (f, c, 4.0f / sqrtf ((float)f), &rng);
  b = uniform_tensor (1, c, 0.5f, &rng);
  dy = uniform_tensor (n, c, 0.3f, &rng);
  _philia_narrow_lanes_set_enabled (TRUE);
  lanes = run_op (x, w, b, dy->data);
  _philia_narrow_lanes_set_enabled (FALSE);
  rows = run_op (x, w, b, dy->data);
  _philia_narrow_lanes_set_enabled (TRUE);
  assert_same (lanes.y, rows.y, (gsize)n * c, "logits", n, f, c);
  assert_same (lanes.gw, rows.gw, (gsize)f * c, "W's gradient", n, f, c);
  assert_same (lanes.gb, rows.gb, c, "b's gradient", n, f, c);
  op_free (&lanes);
  op_free (&rows);
}

static void
test_tails (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (tail_rows); i++)
    for (guint k = 0; k < G_N_ELEMENTS (tail_widths); k++)
      for (guint c = 1; c <= PHILIA_NARROW_MAX; c++)
        tail_shape (tail_rows[i], tail_widths[k], c);
  /* and with the classes eight at a time; not with one class left over,
   * whose W gradient rounds as the one-class op's (narrow-wide-classes),
   * which the scalar loop at dy's stride does not */
  for (guint k = 0; k < G_N_ELEMENTS (tail_widths); k++)
    for (guint i = 0; i < G_N_ELEMENTS (wide_classes); i++)
      if (wide_classes[i] % PHILIA_NARROW_MAX != 1)
        tail_shape (45, tail_widths[k], wide_classes[i]);
}

/* Columns j0 … j0 + m of @t [rows, cols]. */
static PhiliaTensor *
columns (const PhiliaTensor *t,
         guint               j0,
         guint               m)
{
  PhiliaTensor *s = philia_tensor_new (t->rows, m);

  for (guint r = 0; r < t->rows; r++)
    memcpy (s->data + (gsize)r * m, t->data + (gsize)r * t->cols + j0, sizeof (float) * m);
  return s;
}

/* More classes than a vector's lanes: the op against itself on W's columns
 * eight at a time, logits and gradients. */
static void
wide_shape (guint n,
            guint f,
            guint c)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) x = NULL;
  g_autoptr(PhiliaTensor) w = NULL;
  g_autoptr(PhiliaTensor) b = NULL;
  g_autoptr(PhiliaTensor) dy = NULL;
  Op all = { 0 };

  philia_rng_init (&rng, 77 * n + 10 * f + c);
  x = uniform_tensor (n, f, 1, &rng);
  w = uniform_tensor (f, c, 4.0f / sqrtf ((float)f), &rng);
  b = uniform_tensor (1, c, 0.5f, &rng);
  dy = uniform_tensor (n, c, 0.3f, &rng);
  all = run_op (x, w, b, dy->data);
  /* The logits against a double-precision sum, within float rounding of
   * the sum of the terms' sizes: whether each multiply-add rounds once or
   * twice is the compiler's choice (GCC contracts a * b + c at -O2 but not
   * at -O0, as the sanitizer build compiles), so bits are not asked here;
   * a wrong feature, class or order of rows is far outside the bound. */
  for (guint r = 0; r < n; r++)
    for (guint j = 0; j < c; j++)
      {
        double s = b->data[j], size = fabs (b->data[j]);

        for (guint k = 0; k < f; k++)
          {
            double t = (double)x->data[(gsize)r * f + k] * w->data[(gsize)k * c + j];

            s += t;
            size += fabs (t);
          }
        if (!(fabs (all.y[(gsize)r * c + j] - s) <= 4e-7 * (f + 2) * size))
          g_error ("logit, %u rows, %u features, %u classes: row %u class %u %.9g against "
                   "%.9g", n, f, c, r, j, all.y[(gsize)r * c + j], s);
      }
  for (guint j0 = 0; j0 < c; j0 += PHILIA_NARROW_MAX)
    {
      guint m = MIN (PHILIA_NARROW_MAX, c - j0);
      g_autoptr(PhiliaTensor) ws = columns (w, j0, m);
      g_autoptr(PhiliaTensor) bs = columns (b, j0, m);
      g_autoptr(PhiliaTensor) ds = columns (dy, j0, m);
      g_autoptr(PhiliaTensor) gws = NULL;
      Op part = run_op (x, ws, bs, ds->data);
      PhiliaTensor gwt = { 0 };

      gwt.rows = f;
      gwt.cols = c;
      gwt.data = all.gw;
      gws = columns (&gwt, j0, m);
      assert_same (gws->data, part.gw, (gsize)f * m, "W's gradient by eights", n, f, c);
      assert_same (all.gb + j0, part.gb, m, "b's gradient by eights", n, f, c);
      op_free (&part);
    }
  op_free (&all);
}

static void
test_wide (void)
{
  static const guint widths[] = { 1, 3, 8, 10, 16, 63, 128, 300 };
  static const guint rows[] = { 0, 1, 33, 100 };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
      for (guint j = 0; j < G_N_ELEMENTS (wide_classes); j++)
        wide_shape (rows[i], widths[k], wide_classes[j]);
}

typedef struct
{
  float  loss;
  float *gw, *gb;
} Loss;

static Loss
run_loss (PhiliaTensor *x,
          PhiliaTensor *w,
          PhiliaTensor *b,
          const gint32 *labels,
          const guint8 *mask,
          gboolean      fused)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *loss;
  Loss r;

  w->requires_grad = b->requires_grad = TRUE;
  if (fused)
    loss = _philia_op_linear_nll (tape, x, w, b, labels, mask);
  else
    loss = philia_op_nll (tape,
                          philia_op_log_softmax (tape, _philia_op_linear_narrow (tape, x, w, b)),
                          labels, mask);
  r.loss = loss->data[0];
  philia_tape_backward (tape, loss);
  r.gw = g_steal_pointer (&w->grad);
  r.gb = g_steal_pointer (&b->grad);
  return r;
}

/* The fused loss and the evaluation pass against the separate ops at more
 * classes than a vector's lanes. */
static void
loss_shape (guint n,
            guint f,
            guint c)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) x = NULL;
  g_autoptr(PhiliaTensor) w = NULL;
  g_autoptr(PhiliaTensor) b = NULL;
  g_autofree gint32 *labels = g_new (gint32, n + 1);
  g_autofree guint8 *mask = g_new (guint8, n + 1);
  g_autofree float *logp = g_new0 (float, (gsize)n * c + 1);
  Loss fused, ops;

  philia_rng_init (&rng, 7 * n + 100 * f + c);
  x = uniform_tensor (n, f, 1, &rng);
  w = uniform_tensor (f, c, 2.0f / sqrtf ((float)f), &rng);
  b = uniform_tensor (1, c, 0.5f, &rng);
  for (guint i = 0; i < n; i++)
    {
      labels[i] = philia_rng_below (&rng, 7) == 0 ? -1 : (gint32)philia_rng_below (&rng, c);
      mask[i] = philia_rng_below (&rng, 5) != 0;
    }
  fused = run_loss (x, w, b, labels, mask, TRUE);
  ops = run_loss (x, w, b, labels, mask, FALSE);
  if (!(isnan (fused.loss) && isnan (ops.loss)))
    assert_same (&fused.loss, &ops.loss, 1, "loss", n, f, c);
  assert_same (fused.gw, ops.gw, (gsize)f * c, "W's gradient", n, f, c);
  assert_same (fused.gb, ops.gb, c, "b's gradient", n, f, c);
  g_free (fused.gw);
  g_free (fused.gb);
  g_free (ops.gw);
  g_free (ops.gb);

  /* the evaluation pass */
  w->requires_grad = b->requires_grad = FALSE;
  {
    g_autoptr(PhiliaTape) tape = philia_tape_new (1);
    PhiliaTensor *lp = philia_op_log_softmax (tape, _philia_op_linear_narrow (tape, x, w, b));

    _philia_linear_log_softmax (logp, x->data, w, b, n, NULL, NULL);
    assert_same (logp, lp->data, (gsize)n * c, "log-probabilities", n, f, c);
  }
}

static void
test_wide_loss (void)
{
  static const guint widths[] = { 3, 10, 63, 128, 300 };
  static const guint rows[] = { 0, 1, 31, 33, 100, 1025, 2100 };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
      for (guint j = 0; j < G_N_ELEMENTS (wide_classes); j++)
        if (rows[i] < 1000 || wide_classes[j] == 10)
          loss_shape (rows[i], widths[k], wide_classes[j]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  openblas_set_num_threads (1);
  g_test_add_func ("/Philia/Autograd/narrow-tails", test_tails);
  g_test_add_func ("/Philia/Autograd/narrow-wide-classes", test_wide);
  g_test_add_func ("/Philia/Autograd/narrow-wide-classes-loss", test_wide_loss);
  return g_test_run ();
}
