/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sparse products at widths that are not a multiple of 16, bit for bit
 * against the sums of the column blocks they replace (issue 20: no cliff
 * off the grid's widths; philia-spmm.c, spmm_tail_body ()). */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-autograd-private.h"

/* Whether the kernels fuse a multiply and its add into one rounding (the
 * x86-64-v3 and v4 clones do, the baseline one and unoptimised builds do
 * not): found by a product at width 16, whose path is unchanged. */
static gboolean fused;

/* A random @rows × @cols matrix: row i empty when i % 7 == 3, a few rows
 * long, a duplicate entry in some rows; values in [0.25, 1.25) (with a
 * random mantissa, so that fused and unfused sums differ) unless @pattern. */
static PhiliaSparse *
random_sparse (guint      rows,
               guint      cols,
               guint      long_len,
               gboolean   pattern,
               PhiliaRng *rng)
{
  g_autoptr(GArray) col = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) val = g_array_new (FALSE, FALSE, sizeof (float));
  gint64 *off = g_new (gint64, rows + 1);

  for (guint i = 0; i < rows; i++)
    {
      guint len = i % 7 == 3 ? 0 : (i % 11 == 5 ? long_len : 1 + philia_rng_below (rng, 6));

      off[i] = col->len;
      for (guint k = 0; k < len && cols > 0; k++)
        {
          gint32 c = (gint32)philia_rng_below (rng, cols);
          float v = 0.25f + philia_rng_float (rng);

          g_array_append_val (col, c);
          g_array_append_val (val, v);
          if (i % 5 == 1 && k == 0)
            {
              g_array_append_val (col, c);
              g_array_append_val (val, v);
            }
        }
    }
  off[rows] = col->len;
  return philia_sparse_new (rows, cols, off, (gint32 *)g_array_free (g_steal_pointer (&col), FALSE),
                            pattern ? NULL : (float *)g_array_free (g_steal_pointer (&val), FALSE));
}

static float *
random_floats (gsize      n,
               PhiliaRng *rng)
{
  float *f = g_new (float, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    f[i] = 2 * philia_rng_float (rng) - 1;
  return f;
}

/* acc + v x, rounded as the kernels round it. */
static float
madd (float    acc,
      gboolean weighted,
      float    v,
      float    x)
{
  volatile float p;

  if (!weighted)
    return acc + x;
  if (fused)
    return fmaf (v, x, acc);
  p = v * x;
  return acc + p;
}

/*
 * One output element of a product as the old column blocks sum it: in entry
 * order from @init, or, for the last @d % 8 columns of a head @d wide
 * (spmm_block_1 () to spmm_block_7 ()), entries alternating between two
 * accumulators added at the end. Entry e of row @i of @s has the value
 * @values[@vidx[e] × @heads + @h] (@vidx NULL: e; @values NULL: ones) and
 * gathers @x[col × @xs + @j]; with @skip_zeros, entries whose value is 0 are
 * left out (the kept-entry products).
 */
static float
reference (const PhiliaSparse *s,
           const float        *values,
           const gint64       *vidx,
           guint               heads,
           guint               h,
           guint               d,
           const float        *x,
           guint               xs,
           guint               j,
           guint               i,
           float               init,
           gboolean            skip_zeros)
{
  gboolean alternate = (j - h * d) >= d - d % 8;
  float a[2] = { init, 0 };
  guint k = 0;

  for (gint64 e = s->row_offsets[i]; e < s->row_offsets[i + 1]; e++)
    {
      float v = values != NULL ? values[(vidx != NULL ? vidx[e] : e) * heads + h] : 1;
      float xv = x[(gsize)s->col_index[e] * xs + j];

      if (skip_zeros && v == 0)
        continue;
      if (alternate)
        {
          a[k % 2] = madd (a[k % 2], values != NULL, v, xv);
          k++;
        }
      else
        a[0] = madd (a[0], values != NULL, v, xv);
    }
  return alternate ? a[0] + a[1] : a[0];
}

/* @out (@rows × @w, @os floats a row) against reference () bit for bit. */
static void
check_bits (const PhiliaSparse *s,
            const float        *values,
            const gint64       *vidx,
            guint               heads,
            const float        *x,
            guint               xs,
            const float        *init,
            const float        *out,
            guint               w,
            guint               os,
            gboolean            skip_zeros)
{
  guint d = w / heads;

  for (guint i = 0; i < s->rows; i++)
    for (guint j = 0; j < w; j++)
      {
        float ref = reference (s, values, vidx, heads, j / d, d, x, xs, j, i,
                               init != NULL ? init[(gsize)i * os + j] : 0, skip_zeros);

        if (memcmp (&ref, &out[(gsize)i * os + j], sizeof ref) != 0)
          g_error ("width %u, %u heads, row %u of %u, column %u: %.9g, expected %.9g",
                   w, heads, i, s->rows, j, out[(gsize)i * os + j], ref);
      }
}

static void
calibrate (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  g_autoptr(PhiliaSparse) s = NULL;
  g_autofree float *x = NULL, *out = g_new (float, 40 * 16);
  guint differ[2] = { 0, 0 };

  philia_rng_init (&rng, 231);
  s = random_sparse (40, 30, 40, FALSE, &rng);
  x = random_floats (30 * 16, &rng);
  _philia_spmm_to (tape, s, x, out, 16, FALSE);
  for (guint mode = 0; mode < 2; mode++)
    {
      fused = mode == 1;
      for (guint i = 0; i < s->rows; i++)
        for (guint j = 0; j < 16; j++)
          {
            float ref = reference (s, s->values, NULL, 1, 0, 16, x, 16, j, i, 0, FALSE);

            differ[mode] += memcmp (&ref, &out[i * 16 + j], sizeof ref) != 0;
          }
    }
  /* One rounding or the other, and the test can tell them apart. */
  g_assert_true ((differ[0] == 0) != (differ[1] == 0));
  fused = differ[1] == 0;
  g_test_message ("the kernels fuse multiply-adds: %s", fused ? "yes" : "no");
}

static const guint widths[] = { 8, 9, 15, 17, 24, 40, 63, 65, 71, 72, 100, 101, 120, 127, 129,
                                200, 255 };

/*
 * Every width in turn on shapes that reach each path of spmm_rows (): few
 * columns and many entries (the packed blocks), many columns and few entries
 * (in place), X past L2 (more than 4,096 rows: row by row), with 0, 1 and
 * 37 rows; into a fresh buffer and accumulated into a given one; stored
 * values and a pattern; one and two threads.
 */
static void
test_spmm_tails_forward (void)
{
  static const guint shapes[][3] = { /* rows, cols, long row */
    { 37, 5, 40 }, { 37, 300, 30 }, { 20, 5000, 90 }, { 1, 5, 12 }, { 0, 5, 0 },
  };
  PhiliaRng rng;

  philia_rng_init (&rng, 232);
  for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
    for (guint sh = 0; sh < G_N_ELEMENTS (shapes); sh++)
      for (guint pattern = 0; pattern < 2; pattern++)
        for (guint threads = 1; threads <= 2; threads++)
          {
            guint w = widths[k], rows = shapes[sh][0], cols = shapes[sh][1];
            g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
            g_autoptr(PhiliaSparse) s = random_sparse (rows, cols, shapes[sh][2], pattern, &rng);
            g_autofree float *x = random_floats ((gsize)cols * w, &rng);
            g_autofree float *out = random_floats ((gsize)rows * w, &rng);
            g_autofree float *init = g_memdup2 (out, sizeof (float) * MAX ((gsize)rows * w, 1));

            _philia_spmm_to (tape, s, x, out, w, FALSE);
            check_bits (s, s->values, NULL, 1, x, w, NULL, out, w, w, FALSE);
            memcpy (out, init, sizeof (float) * rows * w);
            _philia_spmm_to (tape, s, x, out, w, TRUE);
            check_bits (s, s->values, NULL, 1, x, w, init, out, w, w, FALSE);
          }
}

/* One head of a wider X into a wider output (SAGE's halves,
 * _philia_spmm_strided_to ()): the columns outside it untouched. */
static void
test_spmm_tails_strided (void)
{
  PhiliaRng rng;

  philia_rng_init (&rng, 233);
  for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
    for (guint sh = 0; sh < 2; sh++)
      {
        guint w = widths[k], rows = 37, cols = sh == 0 ? 5 : 300;
        guint xs = w + 5, os = w + 3;
        g_autoptr(PhiliaTape) tape = philia_tape_new (1);
        g_autoptr(PhiliaSparse) s = random_sparse (rows, cols, 30, FALSE, &rng);
        g_autofree float *x = random_floats ((gsize)cols * xs, &rng);
        g_autofree float *out = random_floats ((gsize)rows * os, &rng);
        g_autofree float *before = g_memdup2 (out, sizeof (float) * rows * os);

        _philia_spmm_strided_to (tape, s, x, xs, out, os, w);
        check_bits (s, s->values, NULL, 1, x, xs, NULL, out, w, os, FALSE);
        for (guint i = 0; i < rows; i++)
          g_assert_cmpmem (out + (gsize)i * os + w, sizeof (float) * (os - w),
                           before + (gsize)i * os + w, sizeof (float) * (os - w));
      }
}

/*
 * philia_op_spmm () with a tensor of values: several heads of widths below
 * and above eight (a head's last columns overlap the one before it), one
 * head with a quarter or more of its values zero (the kept entries), and
 * the backward product dX = Sᵀ dOut over the transpose, whose values are
 * read through the permutation between the entries.
 */
static void
test_spmm_tails_heads (void)
{
  static const guint cases[][2] = { /* heads, width of a head */
    { 8, 3 }, { 4, 5 }, { 2, 12 }, { 3, 13 }, { 2, 36 }, { 1, 100 }, { 1, 127 }, { 1, 24 },
  };
  PhiliaRng rng;

  philia_rng_init (&rng, 234);
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    for (guint dropped = 0; dropped < 2; dropped++)
      for (guint threads = 1; threads <= 2; threads++)
        {
          guint heads = cases[k][0], w = heads * cases[k][1], rows = 37, cols = 11;
          g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
          g_autoptr(PhiliaSparse) s = random_sparse (rows, cols, 30, FALSE, &rng);
          g_autoptr(PhiliaTensor) x = philia_tensor_new (cols, w);
          g_autoptr(PhiliaTensor) values = philia_tensor_new (MAX (s->nnz, 1), heads);
          g_autofree float *dout = random_floats ((gsize)rows * w, &rng);
          g_autofree float *xs = random_floats ((gsize)cols * w, &rng);
          gboolean skip = dropped && heads == 1;
          PhiliaTensor *out;

          if (dropped && heads > 1)
            continue;
          values->rows = s->nnz;
          for (gint64 e = 0; e < s->nnz * heads; e++)
            values->data[e] = skip && philia_rng_float (&rng) < 0.5f
                                ? 0 : 0.25f + philia_rng_float (&rng);
          memcpy (x->data, xs, sizeof (float) * cols * w);
          x->requires_grad = TRUE;
          values->requires_grad = FALSE;
          out = philia_op_spmm (tape, s, values, x);
          check_bits (s, values->data, NULL, heads, x->data, w, NULL, out->data, w, w, skip);
          philia_tape_backward_from (tape, out, dout);
          g_assert_nonnull (s->transpose);
          check_bits (s->transpose, values->data, s->transpose_perm, heads, dout, w, NULL,
                      x->grad, w, w, skip);
        }
}

/* Widths below eight keep their kernels: against a double sum. */
static void
test_spmm_tails_narrow (void)
{
  PhiliaRng rng;

  philia_rng_init (&rng, 235);
  for (guint w = 1; w < 8; w++)
    for (guint sh = 0; sh < 3; sh++)
      {
        guint rows = sh == 2 ? 1 : 37, cols = sh == 0 ? 5 : 300;
        g_autoptr(PhiliaTape) tape = philia_tape_new (1);
        g_autoptr(PhiliaSparse) s = random_sparse (rows, cols, 30, FALSE, &rng);
        g_autofree float *x = random_floats ((gsize)cols * w, &rng);
        g_autofree float *out = g_new (float, rows * w);

        _philia_spmm_to (tape, s, x, out, w, FALSE);
        for (guint i = 0; i < rows; i++)
          for (guint j = 0; j < w; j++)
            {
              double ref = 0, size = 1;

              for (gint64 e = s->row_offsets[i]; e < s->row_offsets[i + 1]; e++)
                {
                  double term = (double)s->values[e] * x[(gsize)s->col_index[e] * w + j];

                  ref += term;
                  size += fabs (term);
                }
              g_assert_cmpfloat_with_epsilon (out[(gsize)i * w + j], ref, 2e-6 * size);
            }
      }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  calibrate ();
  g_test_add_func ("/spmm-tails/forward", test_spmm_tails_forward);
  g_test_add_func ("/spmm-tails/strided", test_spmm_tails_strided);
  g_test_add_func ("/spmm-tails/heads", test_spmm_tails_heads);
  g_test_add_func ("/spmm-tails/narrow", test_spmm_tails_narrow);
  return g_test_run ();
}
