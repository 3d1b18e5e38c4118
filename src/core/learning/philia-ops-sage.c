/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GraphSAGE's layers over dense features narrower than its hidden layer
 * (HACKING.md §7). As separate ops, mean (X) Wl + X Wr + b made two [n, H]
 * products, each zeroed by sgemm before it summed, a third tensor for their
 * sum and a fourth for the bias, then a gradient copy back through the sum
 * and two weight-gradient products that each packed the whole [n, H]
 * gradient: at 11,758 nodes, 128 features and width 512 those passes were a
 * fifth of an epoch. Written as [mean (X) | X] [Wl; Wr] + b it is one
 * product of twice the depth, the same multiply-adds, and the hidden layer
 * then goes through _philia_op_hidden_product () as GCN's and the MLP's do:
 * bias, product, activation and the second layer's product a block of rows
 * at a time. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-tape-private.h"
#include "philia-cost-private.h"
#include "philia-simd-private.h"
#include "philia-ops-hidden-private.h"
#include "philia-ops-inplace-private.h"
#include "philia-ops-sage-private.h"

#include <string.h>

PHILIA_VECTORIZE static void
acc (float *restrict       o,
     const float *restrict x,
     gsize                 n)
{
  for (gsize i = 0; i < n; i++)
    o[i] += x[i];
}

/* Row-major storage: the gradient of each part is a contiguous range of the
 * output's. A gradient nothing has reached yet is a copy. */
static void
stack_part_backward (PhiliaTape   *tape,
                     PhiliaTensor *t,
                     const float  *g)
{
  gsize n = tensor_size (t);
  gboolean fresh;
  float *gt;

  if (!t->requires_grad || n == 0)
    return;
  gt = grad_for_write (tape, t, &fresh);
  if (fresh)
    memcpy (gt, g, sizeof (float) * n);
  else
    acc (gt, g, n);
}

static void
stack_rows_backward (PhiliaTape *tape,
                     Node       *node)
{
  PhiliaTensor *a = node->in[0], *b = node->in[1];
  const float *g = node->out->grad;

  stack_part_backward (tape, a, g);
  stack_part_backward (tape, b, g + tensor_size (a));
}

PhiliaTensor *
_philia_op_stack_rows (PhiliaTape   *tape,
                       PhiliaTensor *a,
                       PhiliaTensor *b)
{
  PhiliaTensor *out;

  g_return_val_if_fail (tape != NULL && a != NULL && b != NULL && a->cols == b->cols, NULL);

  out = tape_tensor_uninit (tape, a->rows + b->rows, a->cols);
  if (tensor_size (a) > 0)
    memcpy (out->data, a->data, sizeof (float) * tensor_size (a));
  if (tensor_size (b) > 0)
    memcpy (out->data + tensor_size (a), b->data, sizeof (float) * tensor_size (b));
  record (tape, stack_rows_backward, out, a, b, NULL);
  return out;
}

/*
 * The left half of [mean (D) | D] at F = 128 (the grid's dense features),
 * row by row: each entry's 512 bytes (eight cache lines) in one pass into
 * eight 16-float accumulators. The strided product (spmm_rows ()) went over
 * the rows twice, one 64-column block at a time in eight-float vectors,
 * gathering from the right half of Z in place, where at a row stride of 1 KB
 * the rows' lines fall in half of L2's sets; here the gathers come from a
 * compact copy of D (@x, @x_stride floats a row; X itself when nothing is
 * dropped). D is 6 MB at 11,758 nodes, past L2 either way: the rows of
 * SAGE_MEAN_PREFETCH entries ahead are prefetched, across the row's end.
 * Each output element gets the multiply-adds of a scalar loop over its row's
 * entries, in entry order (the strided product's sums, so the same bits).
 */
#define SAGE_MEAN_WIDTH 128
#define SAGE_MEAN_PREFETCH 8

typedef struct
{
  const PhiliaSparse *mean;
  const float        *x;
  guint               x_stride;
  float              *z;   /* [n, 2 SAGE_MEAN_WIDTH] */
} SageMeanTask;

PHILIA_VECTORIZE_V4 static void
sage_mean_rows_128 (gpointer data,
                    guint    begin,
                    guint    end)
{
  const SageMeanTask *t = data;
  const gint64 *restrict off = t->mean->row_offsets;
  const gint32 *restrict col = t->mean->col_index;
  const float *restrict values = t->mean->values;
  const float *x = t->x;
  guint stride = t->x_stride;
  gint64 limit = off[end];

  for (guint i = begin; i < end; i++)
    {
      V16f acc[SAGE_MEAN_WIDTH / 16];
      float *o = t->z + (gsize)i * 2 * SAGE_MEAN_WIDTH;

      for (guint k = 0; k < SAGE_MEAN_WIDTH / 16; k++)
        acc[k] = (V16f){ 0 };
      for (gint64 e = off[i]; e < off[i + 1]; e++)
        {
          const float *xr = x + (gsize)col[e] * stride;
          float v = values[e];

          if (e + SAGE_MEAN_PREFETCH < limit)
            for (guint k = 0; k < SAGE_MEAN_WIDTH / 16; k++)
              __builtin_prefetch (x + (gsize)col[e + SAGE_MEAN_PREFETCH] * stride + 16 * k);
          for (guint k = 0; k < SAGE_MEAN_WIDTH / 16; k++)
            acc[k] += v * v16_load (xr + 16 * k);
        }
      for (guint k = 0; k < SAGE_MEAN_WIDTH / 16; k++)
        v16_store (o + 16 * k, acc[k]);
    }
}

/* D's rows (@f = SAGE_MEAN_WIDTH floats each) into Z's right half: as a
 * memcpy () of a variable size GCC made it `rep movsq`, which took as many
 * samples as the dropout's own pass. */
PHILIA_VECTORIZE_V4 static void
sage_copy_right_128 (float *restrict       z,
                     const float *restrict d,
                     guint                 n)
{
  for (guint r = 0; r < n; r++)
    for (guint k = 0; k < SAGE_MEAN_WIDTH / 16; k++)
      v16_store (z + (gsize)r * 2 * SAGE_MEAN_WIDTH + SAGE_MEAN_WIDTH + 16 * k,
                 v16_load (d + (gsize)r * SAGE_MEAN_WIDTH + 16 * k));
}

/* D = dropout (X) (@f = SAGE_MEAN_WIDTH floats a row) into @d, compact, and
 * into Z's right half in one pass: _philia_dropout_apply ()'s arithmetic,
 * each element x times keep or 0, so the same bits. */
PHILIA_VECTORIZE static void
sage_dropout_both_128 (float *restrict        z,
                       float *restrict        d,
                       const float *restrict  x,
                       const guint8 *restrict mask,
                       guint                  n,
                       float                  keep)
{
  for (guint r = 0; r < n; r++)
    for (guint j = 0; j < SAGE_MEAN_WIDTH; j += 8)
      {
        gsize i = (gsize)r * SAGE_MEAN_WIDTH + j;
        V8f v = v8_load (x + i) * v8_mask_factor (mask + i, keep);

        v8_store (d + i, v);
        v8_store (z + (gsize)r * 2 * SAGE_MEAN_WIDTH + SAGE_MEAN_WIDTH + j, v);
      }
}

/* Whether the row kernel above makes Z's left half (else the strided
 * product). */
static gboolean
sage_mean_rows_apply (const PhiliaSparse *mean,
                      guint               f)
{
  return f == SAGE_MEAN_WIDTH && mean->values != NULL;
}

static void
sage_mean_rows (PhiliaTape         *tape,
                const PhiliaSparse *mean,
                const float        *x,
                guint               x_stride,
                float              *z)
{
  SageMeanTask task = { mean, x, x_stride, z };

  _philia_tape_parallel_rows_cost (tape, mean->rows, mean->row_offsets,
                                   (double)mean->nnz * SAGE_MEAN_WIDTH,
                                   SPMM_BYTES (mean->nnz, mean->rows, mean->cols, SAGE_MEAN_WIDTH),
                                   sage_mean_rows_128, &task);
}

PhiliaTensor *
_philia_sage_stack_dropout (PhiliaTape   *tape,
                            PhiliaSparse *mean,
                            PhiliaTensor *x,
                            float         p)
{
  guint n, f;
  PhiliaTensor *z;

  g_return_val_if_fail (tape != NULL && mean != NULL && x != NULL, NULL);
  g_return_val_if_fail (!x->requires_grad && mean->cols == x->rows, NULL);
  g_return_val_if_fail (p >= 0 && p < 1, NULL);

  n = x->rows;
  f = x->cols;
  if (n == 0 || f == 0 || (f >= 2 && f <= 7) || mean->rows != n)
    {
      PhiliaTensor *d = philia_op_dropout (tape, x, p);

      return philia_op_concat (tape, philia_op_spmm (tape, mean, NULL, d), d);
    }
  z = tape_tensor_uninit (tape, n, 2 * f);
  if (philia_tape_get_training (tape) && p > 0)
    {
      /* philia_op_dropout ()'s draws: the same mask, the same stream. */
      gsize mask_floats = MAX (((gsize)n * f + 3) / 4, 1);
      guint8 *mask = (guint8 *)_philia_tape_pool_take (tape, mask_floats);
      float keep = 1.0f / (1.0f - p);

      _philia_dropout_mask_from_tape (tape, mask, (gsize)n * f, p);
      if (sage_mean_rows_apply (mean, f))
        {
          /* D compact first, then copied into Z: the mean gathers from the
           * copy (sage_mean_rows_128 ()). The same products as row by row. */
          float *d = _philia_tape_pool_take (tape, (gsize)n * f);

          sage_dropout_both_128 (z->data, d, x->data, mask, n, keep);
          _philia_tape_pool_give (tape, mask_floats, (float *)mask);
          sage_mean_rows (tape, mean, d, f, z->data);
          _philia_tape_pool_give (tape, (gsize)n * f, d);
          return z;
        }
      for (guint r = 0; r < n; r++)
        _philia_dropout_apply (z->data + (gsize)r * 2 * f + f, x->data + (gsize)r * f,
                               mask + (gsize)r * f, f, keep);
      _philia_tape_pool_give (tape, mask_floats, (float *)mask);
    }
  else
    {
      if (sage_mean_rows_apply (mean, f))
        {
          sage_copy_right_128 (z->data, x->data, n);
          sage_mean_rows (tape, mean, x->data, f, z->data);
          return z;
        }
      for (guint r = 0; r < n; r++)
        memcpy (z->data + (gsize)r * 2 * f + f, x->data + (gsize)r * f, sizeof (float) * f);
    }
  _philia_spmm_strided (tape, mean, z->data + f, z->data, f, 2 * f);
  return z;
}

/*
 * One product X [Wl | Wr] reads X once each way (forward, and for the
 * weights' gradient) where two products read it twice, but costs a copy of
 * both weights and of their gradients every step and a copy of each half of
 * its output and of their gradients: it pays when those, 4 out (in + n)
 * floats, are fewer than the two extra passes over X and the extra gradient
 * sum, 3 n in (a second layer over the hidden width into a few classes), not
 * for a wide layer over narrow features.
 */
gboolean
_philia_sage_concat_pays (double n,
                          double in,
                          double out)
{
  return 4 * out * (in + n) < 3 * n * in;
}

PhiliaTensor *
_philia_sage_dense_layers (PhiliaTape   *tape,
                           PhiliaSparse *mean,
                           PhiliaTensor *x,
                           PhiliaTensor *const *wl,
                           PhiliaTensor *const *wr,
                           PhiliaTensor *const *b,
                           float         p)
{
  PhiliaTensor *z;

  g_return_val_if_fail (tape != NULL && mean != NULL && x != NULL, NULL);
  g_return_val_if_fail (wl != NULL && wr != NULL && b != NULL, NULL);
  g_return_val_if_fail (x->cols == wl[0]->rows && wl[0]->cols == wl[1]->rows, NULL);

  /* [mean (X) | X]: [n, 2F], a copy of what the separate products read,
   * small beside the [n, H] passes it saves when F < H. */
  z = philia_op_concat (tape, philia_op_spmm (tape, mean, NULL, x), x);
  return _philia_sage_dense_layers_stacked (tape, mean, z, wl, wr, b, p);
}

PhiliaTensor *
_philia_sage_dense_layers_stacked (PhiliaTape   *tape,
                                   PhiliaSparse *mean,
                                   PhiliaTensor *z,
                                   PhiliaTensor *const *wl,
                                   PhiliaTensor *const *wr,
                                   PhiliaTensor *const *b,
                                   float         p)
{
  guint c;
  PhiliaTensor *y, *h;

  g_return_val_if_fail (tape != NULL && mean != NULL && z != NULL, NULL);
  g_return_val_if_fail (wl != NULL && wr != NULL && b != NULL, NULL);
  g_return_val_if_fail (z->cols == 2 * wl[0]->rows && wl[0]->cols == wl[1]->rows, NULL);

  c = wl[1]->cols;
  y = _philia_op_hidden_product (tape, z, _philia_op_stack_rows (tape, wl[0], wr[0]), b[0], p,
                                 philia_op_concat (tape, wl[1], wr[1]), NULL);
  /* The second layer's split, as the model's one product over [Wl | Wr]. */
  h = philia_op_spmm (tape, mean, NULL, philia_op_columns (tape, y, 0, c));
  h = _philia_op_add_consume (tape, h, philia_op_columns (tape, y, c, c));
  return _philia_op_add_consume (tape, h, b[1]);
}

/*
 * mean (Y[:, :c]) + Y[:, c:] + b for Y = X [Wl | Wr] ([n, 2c]), read where
 * the product put it: as separate ops the two halves were copied out of Y
 * ([n, c] each, every pass), and their gradients copied back into Y's, a
 * zeroed [n, 2c] buffer (a tenth of SAGE 64's epoch on 10^5 nodes and 128
 * features). The same sums in the same order: the mean's gathers are the
 * contiguous product's (spmm_columns () at a row stride of 2c), then the
 * half, then the bias; backwards the transpose's product goes straight into
 * the left half of Y's gradient and the output's gradient into the right
 * (plus +0, as the zeroed buffer's sum made −0 into +0).
 */
/* The right half of Y's gradient: the output's, +0 added (a zeroed buffer
 * plus the gradient, as the columns op made it, turns −0 into +0). */
PHILIA_VECTORIZE static void
sage_right_half (float *restrict       gy,
                 const float *restrict dh,
                 guint                 n,
                 guint                 c)
{
  for (guint r = 0; r < n; r++)
    {
      const float *restrict g = dh + (gsize)r * c;
      float *restrict o = gy + (gsize)r * 2 * c + c;

      for (guint j = 0; j < c; j++)
        o[j] = g[j] + 0.0f;
    }
}

/* The left half of Y, compact: the mean's gathers from it. */
static void
sage_left_half (float *restrict       left,
                const float *restrict y,
                guint                 n,
                guint                 c)
{
  for (guint r = 0; r < n; r++)
    memcpy (left + (gsize)r * c, y + (gsize)r * 2 * c, sizeof (float) * c);
}

static void
sage_mean_add_backward (PhiliaTape *tape,
                        Node       *node)
{
  PhiliaTensor *y = node->in[0], *b = node->in[1], *h = node->out;
  guint n = h->rows, c = h->cols;
  const float *dh = h->grad;

  if (b->requires_grad && n > 0)
    _philia_acc_columns (ensure_grad (b), dh, n, c);
  if (y->requires_grad && n > 0)
    {
      gboolean fresh;
      float *gy = grad_for_write (tape, y, &fresh);

      if (!fresh)
        {
          /* Not the case in the model (Y has no other reader): add the
           * halves' gradients as the separate ops would. */
          float *left = _philia_tape_pool_take (tape, (gsize)n * c);

          _philia_spmm_strided_to (tape, node->sparse->transpose, dh, c, left, c, c);
          for (guint r = 0; r < n; r++)
            for (guint j = 0; j < c; j++)
              {
                gy[(gsize)r * 2 * c + j] += left[(gsize)r * c + j];
                gy[(gsize)r * 2 * c + c + j] += dh[(gsize)r * c + j];
              }
          _philia_tape_pool_give (tape, (gsize)n * c, left);
          return;
        }
      _philia_spmm_strided_to (tape, node->sparse->transpose, dh, c, gy, 2 * c, c);
      sage_right_half (gy, dh, n, c);
    }
}

PHILIA_VECTORIZE static void
sage_mean_add_rows (float *restrict       h,
                    const float *restrict y,
                    const float *restrict b,
                    guint                 n,
                    guint                 c)
{
  for (guint r = 0; r < n; r++)
    {
      float *restrict o = h + (gsize)r * c;
      const float *restrict yr = y + (gsize)r * 2 * c + c;

      for (guint j = 0; j < c; j++)
        o[j] = (o[j] + yr[j]) + b[j];
    }
}

PhiliaTensor *
_philia_op_sage_mean_add (PhiliaTape   *tape,
                          PhiliaSparse *mean,
                          PhiliaTensor *y,
                          PhiliaTensor *b)
{
  guint n, c;
  PhiliaTensor *h;
  Node *node;

  g_return_val_if_fail (tape != NULL && mean != NULL && y != NULL && b != NULL, NULL);
  g_return_val_if_fail (y->cols % 2 == 0 && y->cols / 2 >= 8, NULL);
  g_return_val_if_fail (mean->rows == y->rows && mean->cols == y->rows, NULL);
  g_return_val_if_fail (b->rows == 1 && b->cols == y->cols / 2, NULL);

  n = y->rows;
  c = y->cols / 2;
  h = tape_tensor_uninit (tape, n, c);
  if (n > 0)
    {
      /* The mean gathers from a compact copy of the left half: read in place
       * at a row stride of 2c its random rows spread over twice the bytes
       * (51 MB instead of 26 at 10^5 nodes and c = 64), past a core's share
       * of L3, and the step was slower than with both halves copied. */
      float *left = _philia_tape_pool_take (tape, (gsize)n * c);

      sage_left_half (left, y->data, n, c);
      _philia_spmm_strided_to (tape, mean, left, c, h->data, c, c);
      _philia_tape_pool_give (tape, (gsize)n * c, left);
      sage_mean_add_rows (h->data, y->data, b->data, n, c);
    }
  node = record (tape, sage_mean_add_backward, h, y, b, NULL);
  if (node != NULL)
    node->sparse = philia_sparse_ref (mean);
  /* The backward pass reads no values of Y: its buffer serves the step's
   * next tensor. */
  _philia_tensor_drop_values (tape, y);
  return h;
}

/*
 * mean (@zl) + @zr + @b for two [n, c] tensors (SAGE's first layer on
 * sparse features, X Wl and X Wr over the kept words): the separate ops
 * (spmm, then two additions in place) made a pass over [n, c] for each
 * addition and, backwards, a copy of the output's gradient for @zr. Here
 * the right term and the bias go in one pass, and @zr takes the output's
 * gradient buffer itself once the mean's transpose has read it. The same
 * sums in the same order ((mean + zr) + b; the mean's product is
 * philia_op_spmm ()'s), so the same bits. The values of both inputs are
 * dropped (no backward pass here reads them).
 */
PHILIA_VECTORIZE static void
sage_add_rows (float *restrict       h,
               const float *restrict zr,
               const float *restrict b,
               guint                 n,
               guint                 c)
{
  for (guint r = 0; r < n; r++)
    {
      float *restrict o = h + (gsize)r * c;
      const float *restrict z = zr + (gsize)r * c;

      for (guint j = 0; j < c; j++)
        o[j] = (o[j] + z[j]) + b[j];
    }
}

static void
sage_mean_add_pair_backward (PhiliaTape *tape,
                             Node       *node)
{
  PhiliaTensor *zl = node->in[0], *zr = node->in[1], *b = node->in[2], *h = node->out;
  guint n = h->rows, c = h->cols;
  gsize size = MAX ((gsize)n * c, 1);
  const float *dh = h->grad;
  gboolean fresh;

  if (b->requires_grad && n > 0)
    _philia_acc_columns (ensure_grad (b), dh, n, c);
  if (zl->requires_grad)
    {
      float *gl = grad_for_write (tape, zl, &fresh);

      /* Added into a gradient already reached (not in the model: nothing
       * else reads X Wl) as spmm's backward adds, from its values. */
      _philia_spmm_to (tape, node->sparse->transpose, dh, gl, c, !fresh);
    }
  if (zr->requires_grad && grad_steal_from_output (tape, node, zr) == NULL)
    {
      float *gr = grad_for_write (tape, zr, &fresh);

      if (fresh)
        memcpy (gr, dh, sizeof (float) * size);
      else
        acc (gr, dh, (gsize)n * c);
    }
}

/* philia-ops-sage-private.h */
PhiliaTensor *
_philia_sage_mean_of (PhiliaTape   *tape,
                      PhiliaSparse *mean,
                      PhiliaTensor *zl)
{
  PhiliaTensor *h;

  g_return_val_if_fail (tape != NULL && mean != NULL && zl != NULL, NULL);
  g_return_val_if_fail (mean->rows == zl->rows && mean->cols == zl->rows && zl->cols > 0, NULL);

  h = tape_tensor_uninit (tape, zl->rows, zl->cols);
  if (zl->rows > 0)
    _philia_spmm_to (tape, mean, zl->data, h->data, zl->cols, FALSE);
  /* Its buffer serves X Wr, made next: the step holds two [n, c] tensors
   * here, as the separate ops did. */
  _philia_tensor_drop_values (tape, zl);
  return h;
}

/* philia-ops-sage-private.h */
PhiliaTensor *
_philia_op_sage_mean_add_pair (PhiliaTape   *tape,
                               PhiliaSparse *mean,
                               PhiliaTensor *zl,
                               PhiliaTensor *h,
                               PhiliaTensor *zr,
                               PhiliaTensor *b)
{
  Node *node;

  g_return_val_if_fail (tape != NULL && mean != NULL && zl != NULL && h != NULL && zr != NULL
                        && b != NULL, NULL);
  g_return_val_if_fail (h->rows == zl->rows && h->cols == zl->cols && zr->rows == zl->rows
                        && zr->cols == zl->cols, NULL);
  g_return_val_if_fail (b->rows == 1 && b->cols == zl->cols, NULL);

  if (h->rows > 0)
    sage_add_rows (h->data, zr->data, b->data, h->rows, h->cols);
  node = record (tape, sage_mean_add_pair_backward, h, zl, zr, b);
  if (node != NULL)
    node->sparse = philia_sparse_ref (mean);
  _philia_tensor_drop_values (tape, zr);
  return h;
}
