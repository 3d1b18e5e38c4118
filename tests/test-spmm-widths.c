/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sparse products of any dense width against a naive double sum, and the
 * propagated input product in either order (issue 20: speed on every shape). */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-train-private.h"

/* A random @rows × @cols pattern: row i empty when i % 7 == 3, self-loops on
 * the diagonal, a few rows much longer than the rest, duplicate columns in
 * some rows (CSR may hold them: both entries count). Values in [0.25, 1.25)
 * unless @pattern. */
static PhiliaSparse *
random_sparse (guint      rows,
               guint      cols,
               gboolean   pattern,
               PhiliaRng *rng)
{
  g_autoptr(GArray) col = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) val = g_array_new (FALSE, FALSE, sizeof (float));
  gint64 *off = g_new (gint64, rows + 1);

  for (guint i = 0; i < rows; i++)
    {
      guint len = i % 7 == 3 ? 0 : (i % 11 == 0 ? cols : 1 + philia_rng_below (rng, 6));

      off[i] = col->len;
      for (guint k = 0; k < len && cols > 0; k++)
        {
          gint32 c = k == 0 && i < cols ? (gint32)i
                     : (gint32)philia_rng_below (rng, cols);
          float v = 0.25f + philia_rng_float (rng);

          g_array_append_val (col, c);
          g_array_append_val (val, v);
          if (i % 5 == 1 && k == 0)
            {
              g_array_append_val (col, c);    /* a duplicate entry */
              g_array_append_val (val, v);
            }
        }
    }
  off[rows] = col->len;
  return philia_sparse_new (rows, cols, off, (gint32 *)g_array_free (g_steal_pointer (&col), FALSE),
                            pattern ? NULL : (float *)g_array_free (g_steal_pointer (&val), FALSE));
}

static gint
cmp_int32 (gconstpointer a,
           gconstpointer b,
           gpointer      data)
{
  gint32 x = *(const gint32 *)a, y = *(const gint32 *)b;

  return (x > y) - (x < y);
}

/* Bag-of-words rows: @rows rows of 0 to 11 columns below @cols (row i
 * empty when i % 9 == 4), sorted, values in [0.25, 1.25) unless
 * @pattern. */
static PhiliaSparse *
words_sparse (guint      rows,
              guint      cols,
              gboolean   pattern,
              PhiliaRng *rng)
{
  g_autoptr(GArray) col = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) val = g_array_new (FALSE, FALSE, sizeof (float));
  gint64 *off = g_new (gint64, rows + 1);

  for (guint i = 0; i < rows; i++)
    {
      guint len = i % 9 == 4 ? 0 : 1 + philia_rng_below (rng, 11);
      gint32 c = (gint32)philia_rng_below (rng, cols);

      off[i] = col->len;
      for (guint k = 0; k < len; k++)
        {
          float v = 0.25f + philia_rng_float (rng);

          g_array_append_val (col, c);
          g_array_append_val (val, v);
          c = (gint32)((c + 1 + philia_rng_below (rng, cols / 11)) % cols);
        }
      g_qsort_with_data ((gint32 *)col->data + off[i], len, sizeof (gint32),
                         (GCompareDataFunc)cmp_int32, NULL);
    }
  off[rows] = col->len;
  return philia_sparse_new (rows, cols, off, (gint32 *)g_array_free (g_steal_pointer (&col), FALSE),
                            pattern ? NULL : (float *)g_array_free (g_steal_pointer (&val), FALSE));
}

static PhiliaTensor *
random_tensor (guint      rows,
               guint      cols,
               PhiliaRng *rng)
{
  PhiliaTensor *t = philia_tensor_new (rows, cols);

  for (gsize i = 0; i < philia_tensor_size (t); i++)
    t->data[i] = 2 * philia_rng_float (rng) - 1;
  t->requires_grad = TRUE;
  return t;
}

/* out = S X (values of @heads heads when @values; without, also into a given
 * buffer by _philia_spmm_to ()) and dX = Sᵀ dOut against
 * double sums, to float rounding of the sum of the terms' magnitudes. With
 * @dropped, one head of values about half of which are zero (dropout on
 * sparse features), the products running over the kept entries alone. */
static void
check_width_dropped (PhiliaSparse *s,
                     guint         w,
                     guint         heads,
                     gboolean      dropped,
                     guint         n_threads,
                     PhiliaRng    *rng)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (n_threads);
  g_autoptr(PhiliaTensor) x = random_tensor (s->cols, w, rng);
  g_autoptr(PhiliaTensor) values = NULL;
  g_autofree float *dout = g_new (float, MAX ((gsize)s->rows * w, 1));
  guint d = w / heads;
  PhiliaTensor *out;

  if (heads > 1 || dropped)
    {
      values = random_tensor (MAX (s->nnz, 1), heads, rng);
      values->rows = s->nnz;
      values->requires_grad = FALSE;
      for (gint64 e = 0; e < s->nnz && dropped; e++)
        if (philia_rng_float (rng) < 0.5f || s->col_index[e] % 4 == 1)
          values->data[e] = 0;
    }
  for (gsize i = 0; i < (gsize)s->rows * w; i++)
    dout[i] = 2 * philia_rng_float (rng) - 1;
  out = philia_op_spmm (tape, s, values, x);
  if (values == NULL)
    {
      /* The same product into a caller's buffer, without a tape node
       * (SGC's propagation before training): the same bits. */
      g_autofree float *to = g_new (float, MAX ((gsize)s->rows * w, 1));

      _philia_spmm_to (tape, s, x->data, to, w, FALSE);
      g_assert_cmpmem (to, sizeof (float) * s->rows * w, out->data, sizeof (float) * s->rows * w);
    }
  philia_tape_backward_from (tape, out, dout);
  for (guint i = 0; i < s->rows; i++)
    for (guint j = 0; j < w; j++)
      {
        double ref = 0, size = 1;

        for (gint64 e = s->row_offsets[i]; e < s->row_offsets[i + 1]; e++)
          {
            double v = values ? values->data[e * heads + j / d] : s->values ? s->values[e] : 1;
            double term = v * x->data[(gsize)s->col_index[e] * w + j];

            ref += term;
            size += fabs (term);
          }
        g_assert_cmpfloat_with_epsilon (out->data[(gsize)i * w + j], ref, 2e-6 * size);
      }
  for (guint c = 0; c < s->cols; c++)
    for (guint j = 0; j < w; j++)
      {
        double ref = 0, size = 1;

        for (guint i = 0; i < s->rows; i++)
          for (gint64 e = s->row_offsets[i]; e < s->row_offsets[i + 1]; e++)
            if ((guint)s->col_index[e] == c)
              {
                double v = values ? values->data[e * heads + j / d]
                           : s->values ? s->values[e] : 1;
                double term = v * dout[(gsize)i * w + j];

                ref += term;
                size += fabs (term);
              }
        g_assert_cmpfloat_with_epsilon (x->grad[(gsize)c * w + j], ref, 2e-6 * size);
      }
}

static void
check_width (PhiliaSparse *s,
             guint         w,
             guint         heads,
             guint         n_threads,
             PhiliaRng    *rng)
{
  check_width_dropped (s, w, heads, FALSE, n_threads, rng);
}

/* Widths across every block size and its edges (1, odd, 8k ± 1, 64, past
 * 64 and past two blocks), with stored values, as a pattern and with two
 * heads' values; one and two threads. */
static void
test_spmm_widths (void)
{
  static const guint widths[] = { 1, 3, 8, 9, 15, 16, 17, 31, 32, 33, 40, 63, 64, 65, 100,
                                  128, 129, 200, 257 };
  PhiliaRng rng;

  philia_rng_init (&rng, 20);
  for (guint k = 0; k < 2 * G_N_ELEMENTS (widths); k++)
    {
      /* Each width twice: on a random shape, then on a single column (X one
       * row: every entry gathers it; the wide blocks prefetch across row
       * ends, here across the empty rows too). */
      guint rows = 20 + philia_rng_below (&rng, 60);
      guint cols = k % 2 == 0 ? 1 + philia_rng_below (&rng, 50) : 1;
      guint w = widths[k / 2];
      g_autoptr(PhiliaSparse) valued = random_sparse (rows, cols, FALSE, &rng);
      g_autoptr(PhiliaSparse) pattern = random_sparse (rows, cols, TRUE, &rng);

      for (guint threads = 1; threads <= 2; threads++)
        {
          check_width (valued, w, 1, threads, &rng);
          check_width (pattern, w, 1, threads, &rng);
          if (w % 2 == 0)
            check_width (valued, w, 2, threads, &rng);
          check_width_dropped (valued, w, 1, TRUE, threads, &rng);
          check_width_dropped (pattern, w, 1, TRUE, threads, &rng);
        }
    }
}

/* Threads split rows, never a row's sum: one and two threads give the same
 * bits on a product big enough to be split, at a width of several blocks. */
static void
test_spmm_widths_threads (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaSparse) s = NULL;
  g_autoptr(PhiliaTensor) x = NULL;
  g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
  g_autoptr(PhiliaTape) t2 = philia_tape_new (2);
  guint w = 137;

  philia_rng_init (&rng, 21);
  s = random_sparse (4000, 300, FALSE, &rng);
  x = random_tensor (300, w, &rng);
  g_assert_cmpmem (philia_op_spmm (t1, s, NULL, x)->data, sizeof (float) * 4000 * w,
                   philia_op_spmm (t2, s, NULL, x)->data, sizeof (float) * 4000 * w);
}

/* dX = Sᵀ dOut of a tall S with few columns (bag-of-words features: the
 * backward product scatters over S's rows) against a double scatter, and
 * bit for bit against the gather over S's transpose that it replaces (a
 * forward product over the transpose, its values permuted to it), with
 * stored values and with about half of them zero (dropout), on one and two
 * threads, at widths of one block, blocks and a tail of 8, and 512. */
static void
check_scatter_transposed (guint     width,
                          gboolean  dropped,
                          guint     n_threads,
                          guint     rows,
                          guint     cols)
{
  PhiliaRng rng;
  g_autoptr(PhiliaSparse) s = NULL;
  g_autoptr(PhiliaTape) tape = philia_tape_new (n_threads);
  g_autoptr(PhiliaTape) gather = philia_tape_new (1);
  g_autoptr(PhiliaTensor) x = NULL;
  g_autoptr(PhiliaTensor) values = NULL;
  g_autoptr(PhiliaTensor) tvalues = NULL;
  g_autoptr(PhiliaTensor) dout = NULL;
  g_autofree double *ref = NULL;
  g_autofree double *size = NULL;
  PhiliaTensor *out, *want;

  philia_rng_init (&rng, 23 + width + 7 * dropped);
  s = cols > 1000 ? words_sparse (rows, cols, FALSE, &rng) : random_sparse (rows, cols, FALSE, &rng);
  x = random_tensor (cols, width, &rng);
  dout = random_tensor (rows, width, &rng);
  dout->requires_grad = FALSE;
  values = philia_tensor_new (MAX (s->nnz, 1), 1);
  values->rows = s->nnz;
  tvalues = philia_tensor_new (MAX (s->nnz, 1), 1);
  tvalues->rows = s->nnz;
  for (gint64 e = 0; e < s->nnz; e++)
    values->data[e] = dropped && philia_rng_float (&rng) < 0.5f ? 0 : s->values[e];
  for (gint64 k = 0; k < s->nnz; k++)
    tvalues->data[k] = values->data[s->transpose_perm[k]];
  out = philia_op_spmm (tape, s, values, x);
  philia_tape_backward_from (tape, out, dout->data);

  ref = g_new0 (double, (gsize)cols * width);
  size = g_new0 (double, (gsize)cols * width);
  for (guint i = 0; i < rows; i++)
    for (gint64 e = s->row_offsets[i]; e < s->row_offsets[i + 1]; e++)
      for (guint j = 0; j < width; j++)
        {
          double term = (double)values->data[e] * dout->data[(gsize)i * width + j];
          gsize at = (gsize)s->col_index[e] * width + j;

          ref[at] += term;
          size[at] += fabs (term);
        }
  for (gsize k = 0; k < (gsize)cols * width; k++)
    g_assert_cmpfloat_with_epsilon (x->grad[k], ref[k], 2e-6 * (1 + size[k]));

  want = philia_op_spmm (gather, s->transpose, tvalues, dout);
  g_assert_cmpmem (x->grad, sizeof (float) * cols * width, want->data,
                   sizeof (float) * cols * width);
}

static void
test_scatter_transposed (void)
{
  static const guint widths[] = { 64, 136, 512 };

  for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
    for (guint threads = 1; threads <= 2; threads++)
      {
        check_scatter_transposed (widths[k], FALSE, threads, 9000, 300);
        check_scatter_transposed (widths[k], TRUE, threads, 9000, 300);
        /* More columns than the scatter takes (8,000 words on 11,758
         * nodes): the gather over the transpose, its dOut past L2 (rows
         * one at a time, spmm_block_64_next ()), against the double sums
         * and the forward product over the transpose. */
        check_scatter_transposed (widths[k], TRUE, threads, 6000, 5000);
      }
  check_scatter_transposed (136, FALSE, 1, 6000, 5000);
}

/* Products wider than 64 columns gathering from a matrix whose 64-column
 * block is past L2 (more than 4,096 rows: up to 256 columns rows one at a
 * time over their blocks, prefetching the next row's; wider ones in
 * multiples of 16 slab by slab, four rows at a time over 700 rows of 0 to
 * 11 entries; 264 in blocks) against double sums, with stored values, as a
 * pattern and with half of the values zero, and one thread against two bit
 * for bit. */
static void
test_spmm_wide_gather (void)
{
  static const guint widths[] = { 65, 128, 200, 257, 264, 272, 512 };
  PhiliaRng rng;

  philia_rng_init (&rng, 24);
  for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
    for (guint variant = 0; variant < 3; variant++)
      {
        guint rows = 700, cols = 4500, w = widths[k];
        g_autoptr(PhiliaSparse) s = words_sparse (rows, cols, variant == 1, &rng);
        g_autoptr(PhiliaTensor) x = random_tensor (cols, w, &rng);
        g_autoptr(PhiliaTensor) values = NULL;
        g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
        g_autoptr(PhiliaTape) t2 = philia_tape_new (2);
        PhiliaTensor *out;

        x->requires_grad = FALSE;
        if (variant == 2)
          {
            values = philia_tensor_new (MAX (s->nnz, 1), 1);
            values->rows = s->nnz;
            for (gint64 e = 0; e < s->nnz; e++)
              values->data[e] = philia_rng_float (&rng) < 0.5f ? 0 : s->values[e];
          }
        out = philia_op_spmm (t1, s, values, x);
        for (guint i = 0; i < rows; i++)
          for (guint j = 0; j < w; j++)
            {
              double ref = 0, size = 1;

              for (gint64 e = s->row_offsets[i]; e < s->row_offsets[i + 1]; e++)
                {
                  double v = values ? values->data[e] : s->values ? s->values[e] : 1;
                  double term = v * x->data[(gsize)s->col_index[e] * w + j];

                  ref += term;
                  size += fabs (term);
                }
              g_assert_cmpfloat_with_epsilon (out->data[(gsize)i * w + j], ref, 2e-6 * size);
            }
        g_assert_cmpmem (out->data, sizeof (float) * rows * w,
                         philia_op_spmm (t2, s, values, x)->data, sizeof (float) * rows * w);
      }
}

/* The slab path adding into an output that holds a value (the second of
 * two backward products into one gradient): X's gradient of S X + S X, S
 * 4,500 × 4,500 at width 512, against 2 Sᵀ dOut in double. */
static void
test_spmm_slab_accumulate (void)
{
  guint n = 4500, w = 512;
  PhiliaRng rng;
  g_autoptr(PhiliaSparse) s = NULL;
  g_autoptr(PhiliaTensor) x = NULL;
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  g_autofree float *dout = NULL;
  g_autofree double *ref = NULL, *size = NULL;
  PhiliaTensor *out;

  philia_rng_init (&rng, 25);
  s = words_sparse (n, n, FALSE, &rng);
  x = random_tensor (n, w, &rng);
  dout = g_new (float, (gsize)n * w);
  for (gsize i = 0; i < (gsize)n * w; i++)
    dout[i] = 2 * philia_rng_float (&rng) - 1;
  out = philia_op_add (tape, philia_op_spmm (tape, s, NULL, x), philia_op_spmm (tape, s, NULL, x));
  philia_tape_backward_from (tape, out, dout);
  g_assert_nonnull (x->grad);
  ref = g_new0 (double, (gsize)n * w);
  size = g_new0 (double, (gsize)n * w);
  for (guint i = 0; i < n; i++)
    for (gint64 e = s->row_offsets[i]; e < s->row_offsets[i + 1]; e++)
      for (guint j = 0; j < w; j++)
        {
          double term = 2.0 * s->values[e] * dout[(gsize)i * w + j];
          gsize at = (gsize)s->col_index[e] * w + j;

          ref[at] += term;
          size[at] += fabs (term);
        }
  for (gsize k = 0; k < (gsize)n * w; k++)
    g_assert_cmpfloat_with_epsilon (x->grad[k], ref[k], 2e-6 * (1 + size[k]));
}

/* S · X · W in the order the widths choose ((S X) W for features narrower
 * than W's output, S (X W) otherwise) against a double product, and the
 * gradient of W against Xᵀ Sᵀ dOut. */
static void
check_propagated (guint f,
                  guint h)
{
  PhiliaRng rng;
  PhiliaModelContext ctx = { 0 };
  g_autoptr(PhiliaSparse) s = NULL;
  g_autoptr(PhiliaTensor) x = NULL;
  g_autoptr(PhiliaTensor) w = NULL;
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  g_autofree double *sx = NULL;
  g_autofree float *dout = NULL;
  PhiliaTensor *out;
  guint n = 57;

  philia_rng_init (&rng, 22 + f * 1000 + h);
  s = random_sparse (n, n, FALSE, &rng);
  x = random_tensor (n, f, &rng);
  x->requires_grad = FALSE;
  w = random_tensor (f, h, &rng);
  ctx.dense_x = x;
  dout = g_new (float, (gsize)n * h);
  for (gsize i = 0; i < (gsize)n * h; i++)
    dout[i] = 2 * philia_rng_float (&rng) - 1;
  out = _philia_propagated_input_matmul (&ctx, tape, s, w, 0);
  philia_tape_backward_from (tape, out, dout);

  sx = g_new0 (double, (gsize)n * f);
  for (guint i = 0; i < n; i++)
    for (gint64 e = s->row_offsets[i]; e < s->row_offsets[i + 1]; e++)
      for (guint c = 0; c < f; c++)
        sx[(gsize)i * f + c] += (double)s->values[e] * x->data[(gsize)s->col_index[e] * f + c];
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < h; j++)
      {
        double ref = 0, size = 1;

        for (guint c = 0; c < f; c++)
          {
            ref += sx[(gsize)i * f + c] * w->data[(gsize)c * h + j];
            size += fabs (sx[(gsize)i * f + c] * w->data[(gsize)c * h + j]);
          }
        g_assert_cmpfloat_with_epsilon (out->data[(gsize)i * h + j], ref, 1e-5 * size);
      }
  for (guint c = 0; c < f; c++)
    for (guint j = 0; j < h; j++)
      {
        double ref = 0, size = 1;

        for (guint i = 0; i < n; i++)
          {
            ref += sx[(gsize)i * f + c] * dout[(gsize)i * h + j];
            size += fabs (sx[(gsize)i * f + c] * dout[(gsize)i * h + j]);
          }
        g_assert_cmpfloat_with_epsilon (w->grad[(gsize)c * h + j], ref, 1e-5 * size);
      }
}

static void
test_propagated_order (void)
{
  check_propagated (10, 64);   /* (S X) W */
  check_propagated (64, 10);   /* S (X W) */
  check_propagated (1, 1);
  check_propagated (7, 7);
}

/* Products 128 columns wide and more gather each 64-column block of X from
 * a contiguous copy when the entries read X's rows twice or more on average
 * (spmm_block_pack_pays ()): bit for bit each 64-column slice's own product
 * (X's slice contiguous, one block, read in place), with stored values and
 * with half of them zero (the kept entries), forward and for the weight
 * gradient Sᵀ dOut, on one and two threads, at 512 columns (2 KB rows) and
 * 192 plus a tail of 8. */
static void
test_spmm_packed_blocks (void)
{
  static const guint widths[] = { 512, 200 };
  PhiliaRng rng;

  philia_rng_init (&rng, 23);
  for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
    for (guint dropped = 0; dropped <= 1; dropped++)
      for (guint threads = 1; threads <= 2; threads++)
        {
          guint w = widths[k], rows = 900, cols = 150;
          g_autoptr(PhiliaSparse) s = words_sparse (rows, cols, FALSE, &rng);
          g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
          g_autoptr(PhiliaTensor) x = random_tensor (cols, w, &rng);
          g_autoptr(PhiliaTensor) values = random_tensor (MAX (s->nnz, 1), 1, &rng);
          g_autofree float *dout = g_new (float, (gsize)rows * w);
          PhiliaTensor *out;

          g_assert_cmpint (s->nnz, >=, 2 * (gint64)cols);
          values->rows = s->nnz;
          values->requires_grad = FALSE;
          for (gint64 e = 0; e < s->nnz; e++)
            if (!dropped)
              values->data[e] = s->values[e];
            else if (philia_rng_float (&rng) < 0.5f)
              values->data[e] = 0;
          for (gsize i = 0; i < (gsize)rows * w; i++)
            dout[i] = 2 * philia_rng_float (&rng) - 1;
          out = philia_op_spmm (tape, s, values, x);
          philia_tape_backward_from (tape, out, dout);
          for (guint j0 = 0; j0 + 64 <= w; j0 += 64)
            {
              g_autoptr(PhiliaTape) one = philia_tape_new (1);
              g_autoptr(PhiliaTensor) xs = philia_tensor_new (cols, 64);
              g_autofree float *ds = g_new (float, (gsize)rows * 64);
              PhiliaTensor *want;

              for (guint r = 0; r < cols; r++)
                memcpy (xs->data + (gsize)r * 64, x->data + (gsize)r * w + j0, 64 * sizeof (float));
              for (guint r = 0; r < rows; r++)
                memcpy (ds + (gsize)r * 64, dout + (gsize)r * w + j0, 64 * sizeof (float));
              xs->requires_grad = TRUE;
              want = philia_op_spmm (one, s, values, xs);
              philia_tape_backward_from (one, want, ds);
              for (guint r = 0; r < rows; r++)
                g_assert_cmpmem (out->data + (gsize)r * w + j0, 64 * sizeof (float),
                                 want->data + (gsize)r * 64, 64 * sizeof (float));
              for (guint r = 0; r < cols; r++)
                g_assert_cmpmem (x->grad + (gsize)r * w + j0, 64 * sizeof (float),
                                 xs->grad + (gsize)r * 64, 64 * sizeof (float));
            }
        }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spmm/widths", test_spmm_widths);
  g_test_add_func ("/spmm/widths-threads", test_spmm_widths_threads);
  g_test_add_func ("/spmm/propagated-order", test_propagated_order);
  g_test_add_func ("/spmm/scatter-transposed", test_scatter_transposed);
  g_test_add_func ("/spmm/wide-gather", test_spmm_wide_gather);
  g_test_add_func ("/spmm/slab-accumulate", test_spmm_slab_accumulate);
  g_test_add_func ("/spmm/packed-blocks", test_spmm_packed_blocks);
  return g_test_run ();
}
