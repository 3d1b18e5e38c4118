/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "autograd-test-util.h"
#include "philia-ops-sage-private.h"

/* GraphSAGE's fused layers over narrow dense features (philia-ops-sage.c)
 * against finite differences and against the separate ops the model used
 * before (mean (X) Wl + X Wr + b, relu_dropout, one product over [Wl | Wr],
 * the mean of its left half plus its right half plus the bias): the same
 * output and gradients within float rounding, over row blocks, dropout, the
 * evaluation mode, an empty row of the mean (an isolated node), self-loops,
 * one row, no rows and two threads. And the row stacking it uses. */

typedef struct
{
  float         p;
  PhiliaSparse *mean;
} Recipe;

#define N_IN 7   /* X, Wl1, Wr1, b1, Wl2, Wr2, b2 */

static PhiliaTensor *
build_fused (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  const Recipe *r = data;
  PhiliaTensor *wl[2] = { in[1], in[4] }, *wr[2] = { in[2], in[5] }, *b[2] = { in[3], in[6] };

  return _philia_sage_dense_layers (t, r->mean, in[0], wl, wr, b, r->p);
}

/* The model's code before the fused op, op by op. */
static PhiliaTensor *
build_separate (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  const Recipe *r = data;
  guint c = in[4]->cols;
  PhiliaTensor *h, *y;

  h = philia_op_add (t, philia_op_matmul (t, philia_op_spmm (t, r->mean, NULL, in[0]), in[1]),
                     philia_op_matmul (t, in[0], in[2]));
  h = philia_op_relu_dropout (t, philia_op_add (t, h, in[3]), r->p);
  y = philia_op_matmul (t, h, philia_op_concat (t, in[4], in[5]));
  h = philia_op_add (t, philia_op_spmm (t, r->mean, NULL, philia_op_columns (t, y, 0, c)),
                     philia_op_columns (t, y, c, c));
  return philia_op_add (t, h, in[6]);
}

/* A row-stochastic [n, n] mean with a self-loop on every row but row 2
 * (no neighbours at all) and about three other entries a row. */
static PhiliaSparse *
mean_matrix (guint      n,
             PhiliaRng *rng)
{
  g_autofree float *dense = g_new0 (float, MAX ((gsize)n * n, 1));

  for (guint i = 0; i < n; i++)
    {
      guint k = 0;

      if (i == 2)
        continue;
      for (guint j = 0; j < n; j++)
        if (i == j || philia_rng_float (rng) < 3.0f / n)
          {
            dense[(gsize)i * n + j] = 1;
            k++;
          }
      for (guint j = 0; j < n; j++)
        dense[(gsize)i * n + j] /= k;
    }
  return philia_sparse_new_from_dense (dense, n, n);
}

static void
test_sage_gradients (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[N_IN];
  Recipe plain = { 0, NULL }, dropped = { 0.5f, NULL };

  philia_rng_init (&rng, 4);
  plain.mean = dropped.mean = mean_matrix (7, &rng);
  in[0] = param (7, 3, &rng);
  in[1] = param (3, 6, &rng);
  in[2] = param (3, 6, &rng);
  in[3] = param (1, 6, &rng);
  in[4] = param (6, 2, &rng);
  in[5] = param (6, 2, &rng);
  in[6] = param (1, 2, &rng);
  check_gradients ("sage-layers", build_fused, in, N_IN, &plain, 2e-3);
  /* The gradient check draws the same mask for every evaluation. */
  check_gradients ("sage-layers-dropout", build_fused, in, N_IN, &dropped, 2e-3);
  philia_sparse_unref (plain.mean);
  FREE_ALL (in);
}

/* Runs @build on a fresh tape (seeded, @training, @threads) and returns its
 * output and every input's gradient after a backward pass from @r. */
static float *
run (BuildFunc      build,
     PhiliaTensor **in,
     Recipe        *recipe,
     gboolean       training,
     guint          threads,
     const float   *r,
     gsize         *n_values)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
  PhiliaTensor *out;
  GArray *values = g_array_new (FALSE, FALSE, sizeof (float));

  philia_rng_init (philia_tape_get_rng (tape), 11);
  philia_tape_set_training (tape, training);
  for (guint k = 0; k < N_IN; k++)
    philia_tensor_zero_grad (in[k]);
  out = build (tape, in, recipe);
  g_array_append_vals (values, out->data, philia_tensor_size (out));
  if (out->requires_grad && philia_tensor_size (out) > 0)
    philia_tape_backward_from (tape, out, r);
  for (guint k = 0; k < N_IN; k++)
    if (in[k]->requires_grad && in[k]->grad != NULL)
      g_array_append_vals (values, in[k]->grad, philia_tensor_size (in[k]));
    else if (in[k]->requires_grad)
      g_assert_cmpuint (philia_tensor_size (out), ==, 0);   /* no rows, no gradient */
  *n_values = values->len;
  return (float *)g_array_free (values, FALSE);
}

static void
assert_close (const float *a,
              const float *b,
              gsize        n)
{
  for (gsize i = 0; i < n; i++)
    if (!(fabsf (a[i] - b[i]) <= 2e-5f * (1 + fabsf (b[i]))))
      g_error ("value %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT ": %.9g against %.9g", i, n,
               a[i], b[i]);
}

static void
test_sage_matches_separate_ops (void)
{
  /* n, features, hidden, classes: one block, several with a short last one
   * (96 rows a block at 512, 192 at 256, 960 at 64), one row, no rows. */
  static const guint shapes[][4] = {
    { 9, 3, 8, 2 }, { 300, 10, 512, 5 }, { 2100, 7, 64, 3 }, { 1, 4, 16, 2 },
    { 130, 20, 33, 4 }, { 500, 9, 256, 7 }, { 0, 4, 16, 2 },
  };
  PhiliaRng rng;

  philia_rng_init (&rng, 5);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (guint v = 0; v < 8; v++)
      {
        guint n = shapes[s][0], f = shapes[s][1], h = shapes[s][2], c = shapes[s][3];
        Recipe recipe = { v % 2 == 0 ? 0.0f : 0.5f, mean_matrix (n, &rng) };
        gboolean training = v % 4 < 2, x_grad = v >= 4;
        PhiliaTensor *in[N_IN] = {
          philia_tensor_new (n, f), param (f, h, &rng), param (f, h, &rng), param (1, h, &rng),
          param (h, c, &rng), param (h, c, &rng), param (1, c, &rng),
        };
        g_autofree float *r = g_new (float, MAX ((gsize)n * c, 1));
        g_autofree float *fused = NULL, *separate = NULL, *threaded = NULL;
        gsize n_fused, n_separate, n_threaded;

        if (n > 0)
          fill (in[0], &rng, -1, 1);
        in[0]->requires_grad = x_grad;
        for (gsize i = 0; i < (gsize)n * c; i++)
          r[i] = 2 * philia_rng_float (&rng) - 1;
        fused = run (build_fused, in, &recipe, training, 1, r, &n_fused);
        separate = run (build_separate, in, &recipe, training, 1, r, &n_separate);
        threaded = run (build_fused, in, &recipe, training, 2, r, &n_threaded);
        g_assert_cmpuint (n_fused, ==, n_separate);
        g_assert_cmpuint (n_threaded, ==, n_separate);
        assert_close (fused, separate, n_fused);
        assert_close (threaded, separate, n_threaded);
        philia_sparse_unref (recipe.mean);
        FREE_ALL (in);
      }
}

static PhiliaTensor *
build_stack (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  /* @in[0] twice: its gradient is the sum of two parts, the second added
   * to the first's copy. */
  return _philia_op_stack_rows (t, in[0], _philia_op_stack_rows (t, in[1], in[0]));
}

static void
test_stack_rows (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[2];
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *out, *empty;

  philia_rng_init (&rng, 9);
  in[0] = param (2, 3, &rng);
  in[1] = param (3, 3, &rng);
  check_gradients ("stack-rows", build_stack, in, 2, NULL, 2e-3);

  out = build_stack (tape, in, NULL);
  g_assert_cmpuint (out->rows, ==, 7);
  g_assert_cmpuint (out->cols, ==, 3);
  for (guint i = 0; i < 7; i++)
    for (guint j = 0; j < 3; j++)
      {
        float want = i < 2 ? in[0]->data[i * 3 + j]
                     : i < 5 ? in[1]->data[(i - 2) * 3 + j] : in[0]->data[(i - 5) * 3 + j];

        g_assert_cmpfloat (out->data[i * 3 + j], ==, want);
      }

  /* No rows on one side: the other's rows alone. */
  empty = philia_tensor_new (0, 3);
  out = _philia_op_stack_rows (tape, empty, in[1]);
  g_assert_cmpuint (out->rows, ==, 3);
  g_assert_cmpmem (out->data, sizeof (float) * 9, in[1]->data, sizeof (float) * 9);
  philia_tensor_free (empty);
  FREE_ALL (in);
}

/* [mean (D) | D], D = dropout (X), stacked in place against the ops it
 * replaces (the same bits: the training step's seeded runs depend on it)
 * and against the mean of D's kept values summed in double; odd widths
 * across the 64-column blocks and the narrow tail, the widths 2 to 7 it
 * hands to the separate ops, an empty row, training and evaluation, two
 * threads. */
static void
test_stack_dropout (void)
{
  /* 128: the row kernel over a compact copy of D (sage_mean_rows_128 ()),
   * also on one row and on 300 (prefetches past the row's end). */
  static const guint widths[] = { 1, 5, 8, 9, 16, 70, 131, 128, 128, 128 };
  static const guint rows[] = { 37, 37, 37, 37, 37, 37, 37, 37, 1, 300 };
  PhiliaRng rng;

  philia_rng_init (&rng, 12);
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    for (guint v = 0; v < 4; v++)
      {
        guint n = rows[w], f = widths[w], threads = v < 2 ? 1 : 2;
        gboolean training = v % 2 == 0;
        float p = 0.5f, keep = 1.0f / (1.0f - p);
        g_autoptr(PhiliaSparse) mean = mean_matrix (n, &rng);
        g_autoptr(PhiliaTape) t1 = philia_tape_new (threads);
        g_autoptr(PhiliaTape) t2 = philia_tape_new (1);
        PhiliaTensor *x = philia_tensor_new (n, f), *z, *d, *want;

        fill (x, &rng, -1, 1);
        philia_rng_init (philia_tape_get_rng (t1), 3 + w);
        philia_rng_init (philia_tape_get_rng (t2), 3 + w);
        philia_tape_set_training (t1, training);
        philia_tape_set_training (t2, training);
        z = _philia_sage_stack_dropout (t1, mean, x, p);
        d = philia_op_dropout (t2, x, p);
        want = philia_op_concat (t2, philia_op_spmm (t2, mean, NULL, d), d);
        g_assert_cmpuint (z->rows, ==, n);
        g_assert_cmpuint (z->cols, ==, 2 * f);
        g_assert_false (z->requires_grad);
        g_assert_cmpmem (z->data, sizeof (float) * n * 2 * f, want->data,
                         sizeof (float) * n * 2 * f);
        for (guint i = 0; i < n; i++)
          for (guint j = 0; j < f; j++)
            {
              float x_ij = x->data[(gsize)i * f + j], d_ij = z->data[(gsize)i * 2 * f + f + j];
              double sum = 0;

              if (training)
                g_assert_true (d_ij == 0.0f || d_ij == x_ij * keep);
              else
                g_assert_cmpfloat (d_ij, ==, x_ij);
              for (gint64 e = mean->row_offsets[i]; e < mean->row_offsets[i + 1]; e++)
                sum += (double)mean->values[e]
                       * z->data[(gsize)mean->col_index[e] * 2 * f + f + j];
              g_assert_cmpfloat_with_epsilon (z->data[(gsize)i * 2 * f + j], sum,
                                              1e-5 * (1 + fabs (sum)));
            }
        philia_tensor_free (x);
      }
}

/* mean (Y[:, :c]) + Y[:, c:] + b as one op (_philia_op_sage_mean_add ())
 * against the ops it replaces (columns, spmm, two adds), bit for bit: the
 * output, and the gradients of Y (a leaf here, so that its gradient stays
 * to compare; written fresh on a first pass and added into on a second),
 * of b and, through Y = X W, of W; zeros of the output's gradient stay +0
 * in Y's (the columns op summed into a zeroed buffer). And the output against
 * sums in double. Widths of the contiguous row kernels (8 to 64), others
 * (9, 70, 128), an empty row, one row, no rows, two threads. */
static PhiliaTensor *
mean_add_separate (PhiliaTape *t, PhiliaSparse *mean, PhiliaTensor *y, PhiliaTensor *b)
{
  guint c = y->cols / 2;
  PhiliaTensor *h;

  h = philia_op_add (t, philia_op_spmm (t, mean, NULL, philia_op_columns (t, y, 0, c)),
                     philia_op_columns (t, y, c, c));
  return philia_op_add (t, h, b);
}

static void
test_mean_add (void)
{
  static const guint widths[] = { 8, 9, 16, 32, 64, 70, 128 };
  static const guint rows[] = { 37, 300, 1, 0 };
  PhiliaRng rng;

  philia_rng_init (&rng, 21);
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    for (guint k = 0; k < G_N_ELEMENTS (rows); k++)
      for (guint threads = 1; threads <= 2; threads++)
        {
          guint n = rows[k], c = widths[w], f = 5;
          g_autoptr(PhiliaSparse) mean = mean_matrix (n, &rng);
          PhiliaTensor *y[2], *b[2], *x = philia_tensor_new (n, f), *wt[2];
          g_autofree float *r = g_new (float, MAX ((gsize)n * c, 1));
          float *out[2] = { NULL, NULL }, *gw[2];

          fill (x, &rng, -1, 1);
          y[0] = param (n, 2 * c, &rng);
          b[0] = param (1, c, &rng);
          wt[0] = param (f, 2 * c, &rng);
          y[1] = philia_tensor_new_from (n, 2 * c, y[0]->data);
          b[1] = philia_tensor_new_from (1, c, b[0]->data);
          wt[1] = philia_tensor_new_from (f, 2 * c, wt[0]->data);
          for (guint v = 0; v < 2; v++)
            y[v]->requires_grad = b[v]->requires_grad = wt[v]->requires_grad = TRUE;
          for (gsize i = 0; i < (gsize)n * c; i++)
            r[i] = i % 7 == 3 ? 0.0f : 2 * philia_rng_float (&rng) - 1;
          for (guint pass = 0; pass < 2; pass++)
            for (guint v = 0; v < 2; v++)
              {
                g_autoptr(PhiliaTape) tape = philia_tape_new (v == 0 ? threads : 1);
                PhiliaTensor *h, *yw;

                h = v == 0 ? _philia_op_sage_mean_add (tape, mean, y[v], b[v])
                           : mean_add_separate (tape, mean, y[v], b[v]);
                g_assert_cmpuint (h->rows, ==, n);
                g_assert_cmpuint (h->cols, ==, c);
                /* The second pass's output is compared: the first one's goes. */
                g_free (out[v]);
                out[v] = g_memdup2 (h->data, sizeof (float) * MAX ((gsize)n * c, 1));
                if (n > 0)
                  philia_tape_backward_from (tape, h, r);
                /* Through a product: Y's buffer is the tape's, its values dropped. */
                yw = philia_op_matmul (tape, x, wt[v]);
                h = v == 0 ? _philia_op_sage_mean_add (tape, mean, yw, b[v])
                           : mean_add_separate (tape, mean, yw, b[v]);
                if (n > 0)
                  philia_tape_backward_from (tape, h, r);
                gw[v] = n > 0 ? wt[v]->grad : NULL;
              }
          if (n > 0)
            {
              g_assert_cmpmem (out[0], sizeof (float) * n * c, out[1], sizeof (float) * n * c);
              g_assert_cmpmem (y[0]->grad, sizeof (float) * n * 2 * c, y[1]->grad,
                               sizeof (float) * n * 2 * c);
              g_assert_cmpmem (b[0]->grad, sizeof (float) * c, b[1]->grad, sizeof (float) * c);
              g_assert_cmpmem (gw[0], sizeof (float) * f * 2 * c, gw[1],
                               sizeof (float) * f * 2 * c);
              for (gsize i = 0; i < (gsize)n * c; i++)
                if (r[i] == 0)
                  g_assert_false (signbit (y[0]->grad[(i / c) * 2 * c + c + i % c]));
            }
          for (guint i = 0; i < n; i++)
            for (guint j = 0; j < c; j++)
              {
                double sum = 0;

                for (gint64 e = mean->row_offsets[i]; e < mean->row_offsets[i + 1]; e++)
                  sum += (double)mean->values[e] * y[0]->data[(gsize)mean->col_index[e] * 2 * c + j];
                sum += y[0]->data[(gsize)i * 2 * c + c + j] + (double)b[0]->data[j];
                g_assert_cmpfloat_with_epsilon (out[0][(gsize)i * c + j], sum, 1e-5 * (1 + fabs (sum)));
              }
          for (guint v = 0; v < 2; v++)
            {
              g_free (out[v]);
              philia_tensor_free (y[v]);
              philia_tensor_free (b[v]);
              philia_tensor_free (wt[v]);
            }
          philia_tensor_free (x);
        }
}

/* SAGE's sparse first layer: mean (Zl) + Zr + b as _philia_sage_mean_of ()
 * and _philia_op_sage_mean_add_pair () against the separate ops the model
 * took (spmm, two additions), bit for bit: the output, the gradients of Zl,
 * Zr and b with Zl and Zr leaves (written fresh by the first walk, added
 * into by the second, which walks the first op again), and through Zl = X Wl,
 * Zr = X Wr (tape tensors: their values dropped, Zr taking the output's
 * gradient buffer) those of Wl and Wr. The output against sums in double.
 * Widths 8, 9, 70 and 512; one row, 37 and 300; one and two threads. */
static PhiliaTensor *
mean_add_pair (PhiliaTape *t, PhiliaSparse *mean, PhiliaTensor *zl, PhiliaTensor *zr,
               PhiliaTensor *b, gboolean fused)
{
  if (fused)
    return _philia_op_sage_mean_add_pair (t, mean, zl, _philia_sage_mean_of (t, mean, zl), zr, b);
  return philia_op_add (t, philia_op_add (t, philia_op_spmm (t, mean, NULL, zl), zr), b);
}

static void
test_mean_add_pair (void)
{
  static const guint widths[] = { 8, 9, 70, 512 };
  static const guint rows[] = { 37, 300, 1 };
  PhiliaRng rng;

  philia_rng_init (&rng, 22);
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    for (guint k = 0; k < G_N_ELEMENTS (rows); k++)
      for (guint threads = 1; threads <= 2; threads++)
        {
          guint n = rows[k], c = widths[w], f = 6;
          g_autoptr(PhiliaSparse) mean = mean_matrix (n, &rng);
          PhiliaTensor *zl[2], *zr[2], *b[2], *wl[2], *wr[2];
          PhiliaTensor *x = philia_tensor_new (n, f);
          g_autofree float *r = g_new (float, (gsize)n * c);
          float *out[2];

          fill (x, &rng, -1, 1);
          zl[0] = param (n, c, &rng);
          zr[0] = param (n, c, &rng);
          b[0] = param (1, c, &rng);
          wl[0] = param (f, c, &rng);
          wr[0] = param (f, c, &rng);
          zl[1] = philia_tensor_new_from (n, c, zl[0]->data);
          zr[1] = philia_tensor_new_from (n, c, zr[0]->data);
          b[1] = philia_tensor_new_from (1, c, b[0]->data);
          wl[1] = philia_tensor_new_from (f, c, wl[0]->data);
          wr[1] = philia_tensor_new_from (f, c, wr[0]->data);
          for (guint v = 0; v < 2; v++)
            zl[v]->requires_grad = zr[v]->requires_grad = b[v]->requires_grad
              = wl[v]->requires_grad = wr[v]->requires_grad = TRUE;
          for (gsize i = 0; i < (gsize)n * c; i++)
            r[i] = i % 7 == 3 ? 0.0f : 2 * philia_rng_float (&rng) - 1;
          for (guint v = 0; v < 2; v++)
            {
              g_autoptr(PhiliaTape) tape = philia_tape_new (v == 0 ? threads : 1);
              PhiliaTensor *h = mean_add_pair (tape, mean, zl[v], zr[v], b[v], v == 0);

              out[v] = g_memdup2 (h->data, sizeof (float) * n * c);
              philia_tape_backward_from (tape, h, r);
              h = mean_add_pair (tape, mean, philia_op_matmul (tape, x, wl[v]),
                                 philia_op_matmul (tape, x, wr[v]), b[v], v == 0);
              philia_tape_backward_from (tape, h, r);
            }
          g_assert_cmpmem (out[0], sizeof (float) * n * c, out[1], sizeof (float) * n * c);
          g_assert_cmpmem (zl[0]->grad, sizeof (float) * n * c, zl[1]->grad,
                           sizeof (float) * n * c);
          g_assert_cmpmem (zr[0]->grad, sizeof (float) * n * c, zr[1]->grad,
                           sizeof (float) * n * c);
          /* b's gradient: both passes' column sums, added alike. */
          g_assert_cmpmem (b[0]->grad, sizeof (float) * c, b[1]->grad, sizeof (float) * c);
          g_assert_cmpmem (wl[0]->grad, sizeof (float) * f * c, wl[1]->grad,
                           sizeof (float) * f * c);
          g_assert_cmpmem (wr[0]->grad, sizeof (float) * f * c, wr[1]->grad,
                           sizeof (float) * f * c);
          for (guint i = 0; i < n; i++)
            for (guint j = 0; j < c; j++)
              {
                double sum = 0;

                for (gint64 e = mean->row_offsets[i]; e < mean->row_offsets[i + 1]; e++)
                  sum += (double)mean->values[e] * zl[0]->data[(gsize)mean->col_index[e] * c + j];
                sum += zr[0]->data[(gsize)i * c + j] + (double)b[0]->data[j];
                g_assert_cmpfloat_with_epsilon (out[0][(gsize)i * c + j], sum,
                                                1e-5 * (1 + fabs (sum)));
              }
          for (guint v = 0; v < 2; v++)
            {
              g_free (out[v]);
              philia_tensor_free (zl[v]);
              philia_tensor_free (zr[v]);
              philia_tensor_free (b[v]);
              philia_tensor_free (wl[v]);
              philia_tensor_free (wr[v]);
            }
          philia_tensor_free (x);
        }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/autograd/sage/stack-rows", test_stack_rows);
  g_test_add_func ("/autograd/sage/gradients", test_sage_gradients);
  g_test_add_func ("/autograd/sage/matches-separate-ops", test_sage_matches_separate_ops);
  g_test_add_func ("/autograd/sage/stack-dropout", test_stack_dropout);
  g_test_add_func ("/autograd/sage/mean-add", test_mean_add);
  g_test_add_func ("/autograd/sage/mean-add-pair", test_mean_add_pair);
  return g_test_run ();
}
