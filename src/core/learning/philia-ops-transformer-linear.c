/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The transformer's product ops: a column block of a weight, and a
 * residual branch (product, dropout, sum) in one op (HACKING.md §7). Split
 * from philia-ops-transformer.c, which keeps the norm and the attention;
 * their backward passes are checked in tests/test-transformer.c. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-ops-transformer-private.h"
#include "philia-tape-private.h"
#include "philia-cost-private.h"
#include "philia-simd-private.h"
#include "philia-small-gemm-private.h"

#include <cblas.h>
#include <string.h>

/* ------------------------------------------------------ linear columns */

/* @g (@k × @n, row stride @ldg) = or += X^T G for X (@m × @k) and G
 * (@m × @n): a product's weight gradient, by the small-product kernel
 * when it takes it, else by OpenBLAS. */
static void
weight_grad (PhiliaTape  *tape,
             float       *g,
             gsize        ldg,
             gboolean     fresh,
             const float *x,
             const float *gy,
             guint        m,
             guint        n,
             guint        k)
{
  if (_philia_small_gemm_tn_usable (k, n))
    _philia_small_gemm_tn (tape, k, n, m, x, k, gy, n, g, ldg, !fresh);
  else
    _philia_sgemm (tape, CblasTrans, CblasNoTrans, k, n, m, 1.0f, x, k, gy, n,
                   fresh ? 0.0f : 1.0f, g, ldg);
}

/* @g (@m × @k) = or += @gy (@m × @n) times the transpose of columns
 * @begin … @begin+@n−1 of @w (@k rows): the input's gradient of a product,
 * by the small-product kernel on the block transposed once (n × k floats),
 * else by OpenBLAS. */
static void
input_grad (PhiliaTape   *tape,
            float        *g,
            gboolean      fresh,
            const float  *gy,
            PhiliaTensor *w,
            guint         begin,
            guint         m,
            guint         n,
            guint         k)
{
  float *wt;

  if (!_philia_small_gemm_usable (n, k))
    {
      _philia_sgemm (tape, CblasNoTrans, CblasTrans, m, k, n, 1.0f, gy, n,
                     w->data + begin, w->cols, fresh ? 0.0f : 1.0f, g, k);
      return;
    }
  wt = _philia_tape_pool_take (tape, (gsize)n * k);
  for (guint t = 0; t < k; t++)
    for (guint j = 0; j < n; j++)
      wt[(gsize)j * k + t] = w->data[(gsize)t * w->cols + begin + j];
  _philia_small_gemm (tape, m, k, n, gy, n, wt, k, g, k, NULL, !fresh, NULL, NULL);
  _philia_tape_pool_give (tape, (gsize)n * k, wt);
}

/* A column block of a product's weight: the last layer's queries are
 * needed for the first tokens alone and its keys and values for all, from
 * one [d, 3d] weight (the products read the block in place, ld = 3d). */
static void
linear_columns_backward (PhiliaTape *tape,
                         Node       *node)
{
  PhiliaTensor *x = node->in[0], *w = node->in[1], *b = node->in[2], *y = node->out;
  guint begin = node->n_index, n = y->cols, k = x->cols, m = x->rows;
  gboolean fresh;

  if (m == 0 || n == 0 || k == 0)
    return;
  if (x->requires_grad)
    {
      float *g = grad_for_write (tape, x, &fresh);

      input_grad (tape, g, fresh, y->grad, w, begin, m, n, k);
    }
  if (w->requires_grad)
    weight_grad (tape, ensure_grad (w) + begin, w->cols, FALSE, x->data, y->grad, m, n, k);
  if (b->requires_grad)
    {
      float *gb = ensure_grad (b) + begin;

      for (guint r = 0; r < m; r++)
        for (guint j = 0; j < n; j++)
          gb[j] += y->grad[(gsize)r * n + j];
    }
}

PhiliaTensor *
philia_op_linear_columns (PhiliaTape   *tape,
                          PhiliaTensor *x,
                          PhiliaTensor *w,
                          PhiliaTensor *b,
                          guint         begin,
                          guint         count)
{
  PhiliaTensor *y;
  Node *node;

  g_return_val_if_fail (x != NULL && w != NULL && b != NULL && x->cols == w->rows, NULL);
  g_return_val_if_fail (b->rows == 1 && b->cols == w->cols, NULL);
  g_return_val_if_fail (begin <= w->cols && count <= w->cols - begin, NULL);

  y = tape_tensor_uninit (tape, x->rows, count);
  if (_philia_small_gemm_usable (x->cols, count))
    _philia_small_gemm (tape, x->rows, count, x->cols, x->data, x->cols, w->data + begin,
                        w->cols, y->data, count, b->data + begin, FALSE, NULL, NULL);
  else
    {
      _philia_fill_rows (y->data, b->data + begin, x->rows, count);
      if (x->rows > 0 && count > 0 && x->cols > 0)
        _philia_sgemm (tape, CblasNoTrans, CblasNoTrans, x->rows, count, x->cols, 1.0f,
                       x->data, x->cols, w->data + begin, w->cols, 1.0f, y->data, count);
    }
  node = record (tape, linear_columns_backward, y, x, w, b);
  if (node != NULL)
    node->n_index = begin;
  return y;
}

/* ------------------------------------------- linear, dropout, residual */

/* y_r = res[rows_r] + dropout (z_r) with z = X W + b already in @y: one
 * pass (the dropout's and the sum's two, and the gather's), rounding the
 * product before the sum as the two ops did. */
PHILIA_VECTORIZE_NO_FMA static void
residual_apply (float        *restrict y,
                const float  *restrict res,
                const gint32 *restrict rows,
                const guint8 *restrict mask,
                guint         n_rows,
                guint         n,
                float         keep)
{
  for (guint r = 0; r < n_rows; r++)
    {
      const float *restrict rr = res + (gsize)(rows != NULL ? (guint)rows[r] : r) * n;
      float *restrict yr = y + (gsize)r * n;
      const guint8 *mr = mask != NULL ? mask + (gsize)r * n : NULL;
      guint j = 0;

      if (mr != NULL)
        for (; j + 8 <= n; j += 8)
          v8_store (yr + j, v8_load (rr + j) + v8_load (yr + j) * v8_mask_factor (mr + j, keep));
      for (; j < n; j++)
        yr[j] = rr[j] + (mr != NULL ? yr[j] * (mr[j] ? keep : 0.0f) : yr[j]);
    }
}

/* gz = gy ⊙ mask · keep (fresh), and the bias's column sums of gz. */
PHILIA_VECTORIZE static void
residual_grad (float        *restrict gz,
               float        *restrict gb,
               const float  *restrict gy,
               const guint8 *restrict mask,
               guint         n_rows,
               guint         n,
               float         keep)
{
  for (guint r = 0; r < n_rows; r++)
    {
      const float *restrict g = gy + (gsize)r * n;
      float *restrict z = gz + (gsize)r * n;
      guint j = 0;

      if (mask != NULL)
        for (; j + 8 <= n; j += 8)
          v8_store (z + j, v8_load (g + j) * v8_mask_factor (mask + (gsize)r * n + j, keep));
      for (; j < n; j++)
        z[j] = mask != NULL ? g[j] * (mask[(gsize)r * n + j] ? keep : 0.0f) : g[j];
      if (gb != NULL)
        for (j = 0; j < n; j++)
          gb[j] += z[j];
    }
}

/* g[rows_r] += gy_r, rows in order (all rows in order without @rows). */
PHILIA_VECTORIZE static void
residual_scatter (float        *restrict g,
                  const float  *restrict gy,
                  const gint32 *restrict rows,
                  guint         n_rows,
                  guint         n)
{
  for (guint r = 0; r < n_rows; r++)
    {
      float *restrict d = g + (gsize)(rows != NULL ? (guint)rows[r] : r) * n;
      const float *restrict s = gy + (gsize)r * n;

      for (guint j = 0; j < n; j++)
        d[j] += s[j];
    }
}

typedef struct
{
  PhiliaTensor *res;
  const gint32 *rows;
} ResidualSaved;

typedef struct
{
  float        *y;
  const float  *res;
  const gint32 *rows;
  const guint8 *mask;
  guint         n;
  float         keep;
} ResidualEpilogue;

/* residual_apply () on rows the product kernel has just written. */
static void
residual_epilogue (gpointer data,
                   guint    begin,
                   guint    end)
{
  const ResidualEpilogue *e = data;
  gsize at = (gsize)begin * e->n;

  residual_apply (e->y + at, e->rows != NULL ? e->res : e->res + at,
                  e->rows != NULL ? e->rows + begin : NULL,
                  e->mask != NULL ? e->mask + at : NULL, end - begin, e->n, e->keep);
}

static void
linear_dropout_add_backward (PhiliaTape *tape,
                             Node       *node)
{
  PhiliaTensor *x = node->in[0], *w = node->in[1], *b = node->in[2], *y = node->out;
  ResidualSaved *rs = node->saved;
  PhiliaTensor *res = rs->res;
  guint m = y->rows, n = y->cols, k = x->cols;
  gsize size = tensor_size (y);
  gboolean fresh;
  float *gz;

  if (res->requires_grad)
    {
      if (rs->rows == NULL)
        {
          float *g = grad_for_write (tape, res, &fresh);

          if (fresh)
            memcpy (g, y->grad, sizeof (float) * MAX (size, 1));
          else
            residual_scatter (g, y->grad, NULL, m, n);
        }
      else
        residual_scatter (ensure_grad (res), y->grad, rs->rows, m, n);
    }
  if (!(x->requires_grad || w->requires_grad || b->requires_grad) || size == 0)
    return;
  gz = _philia_tape_pool_take (tape, size);
  residual_grad (gz, b->requires_grad ? ensure_grad (b) : NULL, y->grad, node->mask, m, n,
                 node->f);
  if (k > 0 && x->requires_grad)
    {
      float *g = grad_for_write (tape, x, &fresh);

      input_grad (tape, g, fresh, gz, w, 0, m, n, k);
    }
  if (k > 0 && w->requires_grad)
    {
      float *g = grad_for_write (tape, w, &fresh);

      weight_grad (tape, g, n, fresh, x->data, gz, m, n, k);
    }
  _philia_tape_pool_give (tape, size, gz);
}

PhiliaTensor *
philia_op_linear_dropout_add (PhiliaTape   *tape,
                              PhiliaTensor *x,
                              PhiliaTensor *w,
                              PhiliaTensor *b,
                              float         p,
                              PhiliaTensor *res,
                              const gint32 *res_rows)
{
  PhiliaTensor *y;
  guint8 *mask = NULL;
  float keep = 1;
  Node *node;
  gsize size;

  g_return_val_if_fail (x != NULL && w != NULL && b != NULL && x->cols == w->rows, NULL);
  g_return_val_if_fail (b->rows == 1 && b->cols == w->cols, NULL);
  g_return_val_if_fail (p >= 0 && p < 1 && res != NULL && res->cols == w->cols, NULL);
  g_return_val_if_fail (res_rows != NULL || res->rows == x->rows, NULL);
  g_return_val_if_fail (_philia_map_ok (res_rows, x->rows, res->rows), NULL);

  y = tape_tensor_uninit (tape, x->rows, w->cols);
  size = tensor_size (y);
  if (philia_tape_get_training (tape) && p > 0)
    {
      /* The dropout op's mask buffer and draws. */
      mask = (guint8 *)tape_tensor_uninit (tape, 1, (guint)((size + 3) / 4))->data;
      _philia_dropout_mask_from_tape (tape, mask, size, p);
      keep = 1.0f / (1.0f - p);
    }
  if (_philia_small_gemm_usable (x->cols, w->cols))
    {
      /* The residual and dropout on each block of rows while it is in the cache. */
      ResidualEpilogue e = { y->data, res->data, res_rows, mask, w->cols, keep };

      _philia_small_gemm (tape, x->rows, w->cols, x->cols, x->data, x->cols, w->data, w->cols,
                          y->data, w->cols, b->data, FALSE, residual_epilogue, &e);
    }
  else
    {
      _philia_fill_rows (y->data, b->data, x->rows, w->cols);
      if (x->rows > 0 && w->cols > 0 && x->cols > 0)
        _philia_sgemm (tape, CblasNoTrans, CblasNoTrans, x->rows, w->cols, x->cols, 1.0f,
                       x->data, x->cols, w->data, w->cols, 1.0f, y->data, w->cols);
      residual_apply (y->data, res->data, res_rows, mask, x->rows, w->cols, keep);
    }
  node = record (tape, linear_dropout_add_backward, y, x, w, b);
  if (node == NULL && res->requires_grad)
    node = record (tape, linear_dropout_add_backward, y, res, NULL, NULL);
  if (node != NULL)
    {
      ResidualSaved saved = { res, res_rows };

      node->in[0] = x;
      node->in[1] = w;
      node->in[2] = b;
      node->saved = g_memdup2 (&saved, sizeof saved);
      node->mask = mask;
      node->f = keep;
    }
  return y;
}
