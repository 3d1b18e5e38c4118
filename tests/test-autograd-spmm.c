/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "autograd-test-util.h"

/* The sparse products' backward passes and their agreement with dense ones,
 * over threads, narrow widths, factored values and GAT's 8 × 8 kernel. */

static PhiliaTensor *
build_spmm (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_spmm (t, data, NULL, in[0]);
}

static PhiliaTensor *
build_spmm_values (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_spmm (t, data, in[1], in[0]);
}

static void
test_spmm (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaSparse) s = NULL;
  PhiliaTensor *in[2];

  philia_rng_init (&rng, 2);
  s = small_sparse (6, 5, &rng);
  in[0] = param (5, 4, &rng);
  in[1] = param (s->nnz, 2, &rng);   /* two heads of width 2 */
  check_gradients ("spmm", build_spmm, in, 1, s, 2e-3);
  check_gradients ("spmm-values", build_spmm_values, in, 2, s, 2e-3);
  FREE_ALL (in);
}

/* The sparse product against a dense one, with 1 and 3 threads on a bigger
 * matrix (above the parallel threshold): identical bits. */
static void
test_spmm_threads (void)
{
  PhiliaRng rng;
  guint n = 3000, f = 64;
  g_autofree float *dense = g_new0 (float, (gsize)n * 40);
  g_autoptr(PhiliaSparse) s = NULL;
  g_autoptr(PhiliaTensor) x = philia_tensor_new (40, f);
  g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
  g_autoptr(PhiliaTape) t3 = philia_tape_new (3);
  PhiliaTensor *a, *b;

  philia_rng_init (&rng, 3);
  for (gsize i = 0; i < (gsize)n * 40; i++)
    if (philia_rng_float (&rng) < 0.3f)
      dense[i] = philia_rng_float (&rng);
  s = philia_sparse_new_from_dense (dense, n, 40);
  fill (x, &rng, -1, 1);
  a = philia_op_spmm (t1, s, NULL, x);
  b = philia_op_spmm (t3, s, NULL, x);
  g_assert_cmpmem (a->data, sizeof (float) * n * f, b->data, sizeof (float) * n * f);
  for (guint i = 0; i < n; i += 97)
    for (guint j = 0; j < f; j++)
      {
        double ref = 0;

        for (guint k = 0; k < 40; k++)
          ref += (double)dense[(gsize)i * 40 + k] * x->data[k * f + j];
        g_assert_cmpfloat_with_epsilon (a->data[(gsize)i * f + j], ref, 1e-4);
      }
}

/* A normalised adjacency D^{-1/2}(A+I)D^{-1/2} of a random graph on @n
 * nodes, its values stored and its scales declared (as the trainer builds
 * it); node 1 is isolated, so its row holds only the self-loop. */
static PhiliaSparse *
factored_adjacency (guint      n,
                    double     p,
                    PhiliaRng *rng)
{
  g_autofree guint8 *adj = g_new0 (guint8, (gsize)n * n);
  g_autofree float *dinv = g_new (float, n);
  g_autofree float *dense = g_new0 (float, (gsize)n * n);
  PhiliaSparse *s;

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      if (i != 1 && j != 1 && philia_rng_float (rng) < p)
        adj[i * n + j] = adj[j * n + i] = 1;
  for (guint i = 0; i < n; i++)
    {
      guint d = 1;

      adj[i * n + i] = 1;
      for (guint j = 0; j < n; j++)
        d += i != j && adj[i * n + j];
      dinv[i] = (float)(1.0 / sqrt (d));
    }
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      if (adj[i * n + j])
        dense[(gsize)i * n + j] = dinv[i] * dinv[j];
  s = philia_sparse_new_from_dense (dense, n, n);
  philia_sparse_set_scales (s, dinv, dinv);
  return s;
}

/* out = S X and dX += Sᵀ dOut (a product with S's transpose, which carries
 * the scales swapped) against double sums over the stored values, to float
 * rounding of the sum of the terms' magnitudes. */
static void
check_spmm_against_dense (PhiliaSparse *s,
                          guint         w,
                          guint         n_threads,
                          PhiliaRng    *rng)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (n_threads);
  g_autoptr(PhiliaTensor) x = param (s->cols, w, rng);
  g_autofree float *dout = g_new (float, (gsize)s->rows * w);
  PhiliaTensor *out;

  for (gsize i = 0; i < (gsize)s->rows * w; i++)
    dout[i] = 2 * philia_rng_float (rng) - 1;
  out = philia_op_spmm (tape, s, NULL, x);
  philia_tape_backward_from (tape, out, dout);
  for (guint i = 0; i < s->rows; i++)
    for (guint j = 0; j < w; j++)
      {
        double ref = 0, size = 1;

        for (gint64 e = s->row_offsets[i]; e < s->row_offsets[i + 1]; e++)
          {
            double term = (double)(s->values ? s->values[e] : 1.0f) * x->data[s->col_index[e] * w + j];

            ref += term;
            size += fabs (term);
          }
        g_assert_cmpfloat_with_epsilon (out->data[i * w + j], ref, 2e-6 * size);
      }
  for (guint c = 0; c < s->cols; c++)
    for (guint j = 0; j < w; j++)
      {
        double ref = 0, size = 1;

        for (guint i = 0; i < s->rows; i++)
          for (gint64 e = s->row_offsets[i]; e < s->row_offsets[i + 1]; e++)
            if ((guint)s->col_index[e] == c)
              {
                double term = (double)(s->values ? s->values[e] : 1.0f) * dout[i * w + j];

                ref += term;
                size += fabs (term);
              }
        g_assert_cmpfloat_with_epsilon (x->grad[c * w + j], ref, 2e-6 * size);
      }
  philia_tape_reset (tape);
}

/* Products of 1 to 9 columns (2 to 7 go through the padded kernels, which
 * sum unweighted rows, by slices of four, for a matrix whose values factor)
 * on a star, on a declared
 * D^{-1/2}(A+I)D^{-1/2}, on row-normalised binary features (a row scale
 * found by philia_sparse_new), on general values and on a pattern; with one
 * and three threads the same bits. The rows of a factored matrix keep its
 * scales. */
static void
test_spmm_narrow (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaSparse) a = NULL;
  g_autoptr(PhiliaSparse) features = NULL;
  g_autoptr(PhiliaSparse) general = NULL;
  g_autoptr(PhiliaSparse) pattern = NULL;
  g_autoptr(PhiliaSparse) rows = NULL;
  g_autofree float *binary = g_new0 (float, 303 * 40);
  g_autoptr(PhiliaSparse) star = NULL;
  guint n = 303, pick[] = { 7, 1, 302, 0, 7 };

  philia_rng_init (&rng, 11);
  a = factored_adjacency (n, 0.05, &rng);
  g_assert_nonnull (a->row_scale);
  g_assert_nonnull (a->transpose->col_scale);
  for (guint i = 0; i < n; i++)
    {
      guint count = 0;

      for (guint j = 0; j < 40; j++)
        if (i % 10 != 3 && philia_rng_float (&rng) < 0.2f)
          count++, binary[i * 40 + j] = 1;
      for (guint j = 0; j < 40 && count > 0; j++)
        binary[i * 40 + j] /= count;
    }
  features = philia_sparse_new_from_dense (binary, n, 40);
  g_assert_nonnull (features->row_scale);        /* each row's values are equal */
  g_assert_null (features->col_scale);
  g_assert_nonnull (features->transpose->col_scale);
  general = small_sparse (40, 30, &rng);
  g_assert_null (general->row_scale);
  {
    gint64 *off = g_memdup2 (a->row_offsets, sizeof (gint64) * (n + 1));
    gint32 *col = g_memdup2 (a->col_index, sizeof (gint32) * a->nnz);

    pattern = philia_sparse_new (n, n, off, col, NULL);
  }

  /* A star: the hub's row would pad its chunk of four to 4 × 302 slots,
   * so its products stay on the row kernel. */
  {
    g_autofree float *dense = g_new0 (float, (gsize)n * n);

    for (guint i = 1; i < n; i++)
      dense[i] = dense[(gsize)i * n] = 1;
    star = philia_sparse_new_from_dense (dense, n, n);
  }

  for (guint w = 1; w <= 9; w++)
    for (guint threads = 1; threads <= 3; threads += 2)
      {
        check_spmm_against_dense (star, w, threads, &rng);
        check_spmm_against_dense (a, w, threads, &rng);
        check_spmm_against_dense (features, w, threads, &rng);
        check_spmm_against_dense (general, w, threads, &rng);
        check_spmm_against_dense (pattern, w, threads, &rng);
      }

  /* The unweighted products of 2-7 columns went through the slices (n is
   * not a multiple of four: the last chunk has empty slots), the star's not. */
  g_assert_true (philia_sparse_get_sliced (a));
  g_assert_true (philia_sparse_get_sliced (a->transpose));
  g_assert_true (philia_sparse_get_sliced (features));
  g_assert_true (philia_sparse_get_sliced (pattern));
  g_assert_false (philia_sparse_get_sliced (general));   /* weighted: rows */
  g_assert_false (philia_sparse_get_sliced (star));

  /* Same bits on any thread count (fixed summation order per row). */
  {
    g_autoptr(PhiliaTensor) x = philia_tensor_new (n, 5);
    g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
    g_autoptr(PhiliaTape) t3 = philia_tape_new (3);

    fill (x, &rng, -1, 1);
    g_assert_cmpmem (philia_op_spmm (t1, a, NULL, x)->data, sizeof (float) * n * 5,
                     philia_op_spmm (t3, a, NULL, x)->data, sizeof (float) * n * 5);
  }

  /* Rows of a factored matrix: the full one's rows of the product (to
   * rounding: five rows take the weighted kernel). */
  rows = philia_sparse_new_rows (a, pick, G_N_ELEMENTS (pick));
  g_assert_cmpuint (rows->rows, ==, 5);
  g_assert_nonnull (rows->row_scale);
  for (guint k = 0; k < G_N_ELEMENTS (pick); k++)
    g_assert_cmpfloat (rows->row_scale[k], ==, a->row_scale[pick[k]]);
  check_spmm_against_dense (rows, 5, 1, &rng);
  {
    g_autoptr(PhiliaTensor) x = philia_tensor_new (n, 5);
    g_autoptr(PhiliaTape) tape = philia_tape_new (1);
    PhiliaTensor *full, *sub;

    fill (x, &rng, -1, 1);
    full = philia_op_spmm (tape, a, NULL, x);
    sub = philia_op_spmm (tape, rows, NULL, x);
    for (guint k = 0; k < G_N_ELEMENTS (pick); k++)
      for (guint j = 0; j < 5; j++)
        g_assert_cmpfloat_with_epsilon (sub->data[k * 5 + j], full->data[pick[k] * 5 + j], 1e-6);
  }
}

/* Finite differences through the padded, factored product and its
 * accumulating transpose, and through the padded product with values. */
static void
test_spmm_factored_gradients (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaSparse) a = NULL;
  PhiliaTensor *in[1];

  philia_rng_init (&rng, 12);
  a = factored_adjacency (12, 0.4, &rng);
  g_assert_cmpint (a->nnz, >, 2 * 12);
  in[0] = param (12, 5, &rng);
  check_gradients ("spmm-factored", build_spmm, in, 1, a, 2e-3);
  /* With values of its own (one head): the padded kernel reads them in
   * entry order forward, through the transpose's permutation backward. */
  {
    PhiliaTensor *with_values[2] = { in[0], param (a->nnz, 1, &rng) };

    check_gradients ("spmm-padded-values", build_spmm_values, with_values, 2, a, 2e-3);
    philia_tensor_free (with_values[1]);
  }
  FREE_ALL (in);
}

static PhiliaTensor *
build_spmm_heads (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_spmm (t, data, in[0], in[1]);
}

/* Eight heads of eight columns (GAT's first layer, its own one-pass kernel):
 * gradients, and values against a double-precision product. */
static void
test_spmm_8x8 (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaSparse) s = NULL;
  g_autoptr(PhiliaTape) tape = philia_tape_new (2);
  g_autofree float *dense = g_new0 (float, 300 * 300);
  PhiliaTensor *in[2];
  PhiliaTensor *out;

  philia_rng_init (&rng, 31);
  s = small_sparse (6, 6, &rng);
  in[0] = param (s->nnz, 8, &rng);
  in[1] = param (6, 64, &rng);
  check_gradients ("spmm-8x8", build_spmm_heads, in, 2, s, 2e-3);
  FREE_ALL (in);
  g_clear_pointer (&s, philia_sparse_unref);

  for (guint i = 0; i < 300 * 300; i++)
    if (philia_rng_float (&rng) < 0.1f)
      dense[i] = 1;
  s = philia_sparse_new_from_dense (dense, 300, 300);
  in[0] = param (s->nnz, 8, &rng);
  in[1] = param (300, 64, &rng);
  out = philia_op_spmm (tape, s, in[0], in[1]);
  for (guint i = 0; i < 300; i++)
    for (guint j = 0; j < 64; j++)
      {
        double ref = 0;

        for (gint64 e = s->row_offsets[i]; e < s->row_offsets[i + 1]; e++)
          ref += (double)in[0]->data[e * 8 + j / 8] * in[1]->data[s->col_index[e] * 64 + j];
        g_assert_cmpfloat_with_epsilon (out->data[i * 64 + j], ref, 1e-4);
      }
  FREE_ALL (in);
}

/* A 40 × 30 matrix in CSR with an empty row, a diagonal entry (a self-loop
 * of a graph), a column stored twice in one row, and values of which about
 * two in five are exactly 0 (the products over the kept entries). */
static PhiliaSparse *
awkward_sparse (PhiliaRng *rng)
{
  const guint rows = 40, cols = 30;
  gint64 *off = g_new (gint64, rows + 1);
  gint32 *col = g_new (gint32, rows * 12);
  float *val = g_new (float, rows * 12);
  gint64 e = 0;

  for (guint i = 0; i < rows; i++)
    {
      off[i] = e;
      if (i == 0)
        continue;                   /* empty row */
      for (guint j = 0; j < cols && e - off[i] < 10; j++)
        if (philia_rng_float (rng) < 0.25f || (i == 3 && j == 3))
          {
            col[e] = (gint32)j;
            val[e++] = philia_rng_float (rng) < 0.4f ? 0.0f : 0.25f + philia_rng_float (rng);
            if (i == 5 && j == 7)
              {
                col[e] = 7;           /* stored twice */
                val[e++] = 0.5f;
              }
          }
    }
  off[rows] = e;
  return philia_sparse_new (rows, cols, off, col, val);
}

/* One-head products exactly 8, 16, 32 and 64 columns wide go row by row
 * through one block kernel each (24 takes two): forward and backward, with
 * the matrix's values and with values given as a tensor (whose backward
 * reads them through the transpose's permutation), against double sums. */
static void
test_spmm_wide_rows (void)
{
  const guint widths[] = { 8, 16, 24, 32, 64 };
  g_autoptr(PhiliaSparse) s = NULL;
  PhiliaRng rng;

  philia_rng_init (&rng, 29);
  s = awkward_sparse (&rng);
  g_assert_cmpint (s->row_offsets[1], ==, 0);
  for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
    {
      guint w = widths[k];
      g_autoptr(PhiliaTape) tape = philia_tape_new (1);
      g_autoptr(PhiliaTensor) values = philia_tensor_new_from (s->nnz, 1, s->values);
      PhiliaTensor *in[1] = { param (s->cols, w, &rng) };
      g_autofree float *dout = g_new (float, (gsize)s->rows * w);
      PhiliaTensor *out;

      check_spmm_against_dense (s, w, 1, &rng);
      check_spmm_against_dense (s, w, 2, &rng);

      for (gsize i = 0; i < (gsize)s->rows * w; i++)
        dout[i] = 2 * philia_rng_float (&rng) - 1;
      out = philia_op_spmm (tape, s, values, in[0]);
      philia_tape_backward_from (tape, out, dout);
      for (guint i = 0; i < s->rows; i++)
        for (guint j = 0; j < w; j++)
          {
            double ref = 0;

            for (gint64 e = s->row_offsets[i]; e < s->row_offsets[i + 1]; e++)
              ref += (double)s->values[e] * in[0]->data[s->col_index[e] * w + j];
            g_assert_cmpfloat_with_epsilon (out->data[i * w + j], ref, 1e-5);
          }
      for (guint c = 0; c < s->cols; c++)
        for (guint j = 0; j < w; j++)
          {
            double ref = 0;

            for (guint i = 0; i < s->rows; i++)
              for (gint64 e = s->row_offsets[i]; e < s->row_offsets[i + 1]; e++)
                if ((guint)s->col_index[e] == c)
                  ref += (double)s->values[e] * dout[i * w + j];
            g_assert_cmpfloat_with_epsilon (in[0]->grad[c * w + j], ref, 1e-5);
          }
      FREE_ALL (in);
    }
}

/* SAGE's two products over one input (X Wl, X Wr) against the single
 * product over the concatenation [Wl | Wr] split into its halves: the same
 * outputs and weight gradients, bit for bit (each element is the same
 * entry-order sum), with a quarter of the entries dropped to zero as
 * dropout does, at widths the column-block kernels take. */
static void
test_spmm_split_weights (void)
{
  const guint widths[] = { 8, 16, 40, 64, 256 };
  guint n = 300, f = 120;
  g_autofree float *dense = g_new0 (float, (gsize)n * f);
  g_autoptr(PhiliaSparse) s = NULL;
  PhiliaRng rng;

  philia_rng_init (&rng, 31);
  for (gsize i = 0; i < (gsize)n * f; i++)
    if (philia_rng_float (&rng) < 0.1f)
      dense[i] = philia_rng_float (&rng);
  s = philia_sparse_new_from_dense (dense, n, f);
  for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
    {
      guint w = widths[k];
      g_autoptr(PhiliaTape) split = philia_tape_new (1);
      g_autoptr(PhiliaTape) joined = philia_tape_new (1);
      g_autoptr(PhiliaTensor) values = philia_tensor_new_from (s->nnz, 1, s->values);
      PhiliaTensor *w1[2] = { param (f, w, &rng), param (f, w, &rng) };
      PhiliaTensor *w2[2] = { philia_tensor_copy (w1[0]), philia_tensor_copy (w1[1]) };
      g_autofree float *dy = g_new (float, (gsize)n * 2 * w);
      PhiliaTensor *yl, *yr, *y, *zl, *zr;

      for (gint64 e = 0; e < s->nnz; e += 4)
        values->data[e] = 0;
      w2[0]->requires_grad = w2[1]->requires_grad = TRUE;
      for (gsize i = 0; i < (gsize)n * 2 * w; i++)
        dy[i] = 2 * philia_rng_float (&rng) - 1;
      yl = philia_op_spmm (split, s, values, w1[0]);
      yr = philia_op_spmm (split, s, values, w1[1]);
      y = philia_op_spmm (joined, s, values, philia_op_concat (joined, w2[0], w2[1]));
      zl = philia_op_columns (joined, y, 0, w);
      zr = philia_op_columns (joined, y, w, w);
      g_assert_cmpmem (yl->data, sizeof (float) * n * w, zl->data, sizeof (float) * n * w);
      g_assert_cmpmem (yr->data, sizeof (float) * n * w, zr->data, sizeof (float) * n * w);
      /* One walk a tape: the halves' gradients side by side. */
      philia_tape_backward_from (split, philia_op_concat (split, yl, yr), dy);
      philia_tape_backward_from (joined, y, dy);
      for (guint h = 0; h < 2; h++)
        g_assert_cmpmem (w1[h]->grad, sizeof (float) * f * w, w2[h]->grad,
                         sizeof (float) * f * w);
      FREE_ALL (w1);
      FREE_ALL (w2);
    }
}

/* The weight gradient of a product over dropped sparse values (half the
 * values zero, as dropout leaves them, and not needing a gradient): Sᵀ's
 * kept entries are transposed from the forward product's, and must give
 * the bits of the build through the transpose's permutation, which a
 * values tensor that needs a gradient still takes (no step cache). Rows
 * of one entry, empty columns, the last column full, widths with tails. */
static void
test_spmm_kept_transposed (void)
{
  static const guint shapes[][3] = {
    { 1, 1, 8 }, { 1, 9, 8 }, { 37, 13, 8 }, { 200, 70, 64 }, { 500, 33, 96 }, { 64, 5, 13 },
  };
  PhiliaRng rng;

  philia_rng_init (&rng, 11);
  for (guint k = 0; k < G_N_ELEMENTS (shapes); k++)
    {
      guint n = shapes[k][0], f = shapes[k][1], w = shapes[k][2];
      g_autofree float *dense = g_new0 (float, (gsize)n * f);
      g_autofree float *dy = g_new (float, (gsize)n * w);
      g_autofree float *cached = NULL;
      g_autoptr(PhiliaSparse) s = NULL;
      g_autoptr(PhiliaTensor) v = NULL;
      g_autoptr(PhiliaTensor) v_grad = NULL;
      g_autoptr(PhiliaTensor) x = philia_tensor_new (f, w);
      PhiliaTensor *y;

      for (guint i = 0; i < n; i++)
        for (guint j = 0; j < f; j++)
          if (j == f - 1 || (j % 5 != 2 && philia_rng_float (&rng) < 0.4f))
            dense[(gsize)i * f + j] = 1.0f;
      s = philia_sparse_new_from_dense (dense, n, f);
      v = philia_tensor_new ((guint)s->nnz, 1);
      for (gint64 e = 0; e < s->nnz; e++)
        v->data[e] = philia_rng_float (&rng) < 0.5f ? 0.0f : 2 * philia_rng_float (&rng);
      v_grad = philia_tensor_new_from ((guint)s->nnz, 1, v->data);
      v_grad->requires_grad = TRUE;
      fill (x, &rng, -1, 1);
      x->requires_grad = TRUE;
      for (gsize i = 0; i < (gsize)n * w; i++)
        dy[i] = 2 * philia_rng_float (&rng) - 1;
      for (guint pass = 0; pass < 2; pass++)
        {
          g_autoptr(PhiliaTape) tape = philia_tape_new (1);

          philia_tensor_zero_grad (x);
          y = philia_op_spmm (tape, s, pass == 0 ? v : v_grad, x);
          philia_tape_backward_from (tape, y, dy);
          if (pass == 0)
            cached = g_memdup2 (x->grad, sizeof (float) * f * w);
        }
      g_assert_cmpmem (cached, sizeof (float) * f * w, x->grad, sizeof (float) * f * w);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Philia/Autograd/spmm", test_spmm);
  g_test_add_func ("/Philia/Autograd/spmm-threads", test_spmm_threads);
  g_test_add_func ("/Philia/Autograd/spmm-narrow", test_spmm_narrow);
  g_test_add_func ("/Philia/Autograd/spmm-factored-gradients", test_spmm_factored_gradients);
  g_test_add_func ("/Philia/Autograd/spmm-8x8", test_spmm_8x8);
  g_test_add_func ("/Philia/Autograd/spmm-wide-rows", test_spmm_wide_rows);
  g_test_add_func ("/Philia/Autograd/spmm-split-weights", test_spmm_split_weights);
  g_test_add_func ("/Philia/Autograd/spmm-kept-transposed", test_spmm_kept_transposed);

  return g_test_run ();
}
