/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The hidden layer of a two-layer model as one op (HACKING.md §7). As
 * separate ops, dropout (relu (X W1 + b1)) W2 makes about a dozen passes
 * over [n, H] tensors an epoch (bias fill, product, activation, second
 * product, and the same backwards): at H 512 on 11,758 nodes each is 24 MB,
 * and with 10 or 128 features those passes, not the products, were most of
 * a GCN's or an MLP's epoch. Here a block of rows goes through the first
 * product, the activation and the second product while it sits in the
 * cache, and the backward pass makes the activation's gradient likewise. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-tape-private.h"
#include "philia-simd-private.h"
#include "philia-ops-hidden-private.h"
#include "philia-ops-inplace-private.h"
#include "philia-small-gemm-private.h"
#include "philia-narrow-gemm-private.h"
#include "philia-cost-private.h"

#include <cblas.h>
#include <string.h>

typedef struct
{
  PhiliaTensor *b1, *b2, *h;
} Hidden;

/* Rows of a block: its slice of the activation (about rows × H floats,
 * 256 KB) stays in the L2 cache from one product to the next. A multiple of
 * 96 rows: OpenBLAS's sgemm kernels work on tiles of 16 or 24 rows (Haswell's
 * 24) and round a short last tile otherwise, so blocks that start on a tile
 * boundary of the whole product give its bits. */
static guint
block_rows (guint hidden)
{
  guint rows = (64 * 1024) / MAX (hidden, 1);

  return CLAMP (rows - rows % 96, 96, 4032);
}

/* Rows of a block of the backward pass, when it sums W1's gradient block by
 * block: the block's activation gradient (about 512 KB) and its rows of X
 * stay in the second-level cache for the transposed product. A multiple of
 * 96 for the same reason as block_rows (). */
static guint
block_rows_backward (guint hidden)
{
  guint rows = (128 * 1024) / MAX (hidden, 1);

  return CLAMP (rows - rows % 96, 96, 4032);
}

/* relu in place, as relu () in philia-ops-dense.c writes it (with dropout
 * the block goes through _philia_dropout_stream_relu () instead). */
PHILIA_VECTORIZE static void
relu_in_place (float *restrict h,
               gsize           n)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      V8f v = v8_load (h + i);

      v8_store (h + i, v8_select (v > 0, v, (V8f){ 0 }));
    }
  for (; i < n; i++)
    h[i] = h[i] > 0 ? h[i] : 0.0f;
}

/* The activation's gradient from its output's, in place, over @rows rows
 * of @hd: kept positive elements are those whose output is positive
 * (relu_dropout_grad's rule; with keep 1 relu's, whose input is positive
 * exactly where its output is). With @gb1, each row is then added into it
 * while in L1, element by element and rows in order: the sums of
 * _philia_acc_columns () over the block, without a second pass over it. */
PHILIA_VECTORIZE static void
relu_grad_in_place (float *restrict       g,
                    const float *restrict h,
                    guint                 rows,
                    guint                 hd,
                    float                 keep,
                    float *restrict       gb1)
{
  for (guint r = 0; r < rows; r++)
    {
      float *restrict gr = g + (gsize)r * hd;
      const float *restrict hr = h + (gsize)r * hd;
      guint j = 0;

      for (; j + 8 <= hd; j += 8)
        {
          V8f v = v8_select (v8_load (hr + j) > 0, v8_load (gr + j) * keep, (V8f){ 0 });

          v8_store (gr + j, v);
          if (gb1 != NULL)
            v8_store (gb1 + j, v8_load (gb1 + j) + v);
        }
      for (; j < hd; j++)
        {
          gr[j] = hr[j] > 0 ? gr[j] * keep : 0.0f;
          if (gb1 != NULL)
            gb1[j] += gr[j];
        }
    }
}

/* Whether a product of inner dimension @k into @n columns (or, for
 * kernel_tn, an @k × @n weight gradient) goes through the product kernel:
 * the conditions philia_op_linear and philia_op_matmul take it under, so
 * that this op keeps the separate ops' bits. */
static gboolean
kernel (guint k,
        guint n)
{
  return _philia_small_gemm_dense (n) && _philia_small_gemm_usable (k, n);
}

static gboolean
kernel_tn (guint m,
           guint n)
{
  return _philia_small_gemm_dense_tn (n) && _philia_small_gemm_tn_usable (m, n);
}

/* W2ᵀ for the kernel, once for all blocks (as _philia_small_gemm_nt makes it
 * for the separate ops: the same products), from the pool; NULL when the
 * kernel does not take the shape. */
static float *
w2_transposed (PhiliaTape         *tape,
               const PhiliaTensor *w2,
               guint               hd,
               guint               c)
{
  float *w2t = kernel (c, hd) ? _philia_tape_pool_take (tape, (gsize)c * hd) : NULL;

  for (guint j = 0; w2t != NULL && j < hd; j++)
    for (guint t = 0; t < c; t++)
      w2t[(gsize)t * hd + j] = w2->data[(gsize)j * c + t];
  return w2t;
}

/* The activation gradient of rows [@r0, @r0 + @rows) into @dz (dY W2ᵀ
 * through ReLU and dropout), added into b1's gradient @gb1 if given. */
static void
activation_grad_rows (PhiliaTape         *tape,
                      Node               *node,
                      const float        *dy,
                      const float        *w2t,
                      guint               r0,
                      guint               rows,
                      float              *gb1,
                      float              *dz)
{
  const PhiliaTensor *w2 = node->in[2];
  const Hidden *s = node->saved;
  guint hd = node->in[1]->cols, c = w2->cols;

  if (w2t != NULL)
    _philia_small_gemm (tape, rows, hd, c, dy + (gsize)r0 * c, c, w2t, hd, dz, hd,
                        NULL, FALSE, NULL, NULL);
  else
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, rows, hd, c, 1.0f,
                 dy + (gsize)r0 * c, c, w2->data, c, 0.0f, dz, hd);
  relu_grad_in_place (dz, s->h->data + (gsize)r0 * hd, rows, hd, node->f, gb1);
}

static void
hidden_backward (PhiliaTape *tape,
                 Node       *node)
{
  PhiliaTensor *x = node->in[0], *w1 = node->in[1], *w2 = node->in[2], *y = node->out;
  Hidden *s = node->saved;
  guint n = x->rows, k = x->cols, hd = w1->cols, c = w2->cols, step = block_rows (hd);
  const float *dy = y->grad;
  gboolean fresh;
  float *g;

  if (s->b2 != NULL && s->b2->requires_grad)
    _philia_acc_columns (ensure_grad (s->b2), dy, n, c);
  if (w2->requires_grad)
    {
      g = grad_for_write (tape, w2, &fresh);
      if (kernel_tn (hd, c))
        _philia_small_gemm_tn (tape, hd, c, n, s->h->data, hd, dy, c, g, c, !fresh);
      else
        _philia_narrow_or_sgemm (CblasTrans, CblasNoTrans, hd, c, n, 1.0f, s->h->data, hd, dy,
                                 c, fresh ? 0.0f : 1.0f, g, c);
    }
  /* Without X's gradient and with the kernel's transposed form, W1's
   * gradient is summed a block of rows at a time, right after the block's
   * activation gradient is made (the kernel sums each element over the rows
   * in order, in blocks or not: the same bits), so no [n, H] gradient is
   * written out and read back (24 MB at 11,758 nodes and width 512). */
  if (!x->requires_grad && w1->requires_grad && kernel_tn (k, hd))
    {
      guint bstep = block_rows_backward (hd);
      float *dz = _philia_tape_pool_take (tape, (gsize)bstep * hd);
      float *gb1 = s->b1->requires_grad ? ensure_grad (s->b1) : NULL;
      float *w2t = w2_transposed (tape, w2, hd, c);
      gboolean first;

      g = grad_for_write (tape, w1, &fresh);
      first = fresh;
      for (guint r0 = 0; r0 < n; r0 += bstep)
        {
          guint rows = MIN (bstep, n - r0);

          activation_grad_rows (tape, node, dy, w2t, r0, rows, gb1, dz);
          _philia_small_gemm_tn (tape, k, hd, rows, x->data + (gsize)r0 * k, k, dz, hd, g, hd,
                                 !first);
          first = FALSE;
        }
      if (w2t != NULL)
        _philia_tape_pool_give (tape, (gsize)c * hd, w2t);
      _philia_tape_pool_give (tape, (gsize)bstep * hd, dz);
    }
  else if (x->requires_grad || w1->requires_grad || s->b1->requires_grad)
    {
      float *dz = _philia_tape_pool_take (tape, (gsize)n * hd);
      float *gb1 = s->b1->requires_grad ? ensure_grad (s->b1) : NULL;
      float *w2t = w2_transposed (tape, w2, hd, c);

      for (guint r0 = 0; r0 < n; r0 += step)
        activation_grad_rows (tape, node, dy, w2t, r0, MIN (step, n - r0), gb1,
                              dz + (gsize)r0 * hd);
      if (w1->requires_grad)
        {
          g = grad_for_write (tape, w1, &fresh);
          if (kernel_tn (k, hd))
            _philia_small_gemm_tn (tape, k, hd, n, x->data, k, dz, hd, g, hd, !fresh);
          else
            cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, k, hd, n, 1.0f, x->data, k,
                         dz, hd, fresh ? 0.0f : 1.0f, g, hd);
        }
      if (x->requires_grad)
        {
          g = grad_for_write (tape, x, &fresh);
          if (kernel (hd, k))
            _philia_small_gemm_nt (tape, n, k, hd, dz, hd, w1->data, hd, g, k, !fresh);
          else
            cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, n, k, hd, 1.0f, dz, hd,
                         w1->data, hd, fresh ? 0.0f : 1.0f, g, k);
        }
      if (w2t != NULL)
        _philia_tape_pool_give (tape, (gsize)c * hd, w2t);
      _philia_tape_pool_give (tape, (gsize)n * hd, dz);
    }
}

PhiliaTensor *
_philia_op_hidden_product (PhiliaTape   *tape,
                           PhiliaTensor *x,
                           PhiliaTensor *w1,
                           PhiliaTensor *b1,
                           float         p,
                           PhiliaTensor *w2,
                           PhiliaTensor *b2)
{
  guint n, k, hd, c, step;
  gboolean grads, drop;
  float keep, *block = NULL, *w1p = NULL;
  gsize packed = 0;
  PhiliaDropoutStream stream;
  PhiliaTensor *h = NULL, *y;

  g_return_val_if_fail (x != NULL && w1 != NULL && b1 != NULL && w2 != NULL, NULL);
  g_return_val_if_fail (x->cols == w1->rows && w1->cols == w2->rows, NULL);
  g_return_val_if_fail (b1->rows == 1 && b1->cols == w1->cols, NULL);
  g_return_val_if_fail (b2 == NULL || (b2->rows == 1 && b2->cols == w2->cols), NULL);
  g_return_val_if_fail (p >= 0 && p < 1, NULL);

  n = x->rows;
  k = x->cols;
  hd = w1->cols;
  c = w2->cols;
  /* Empty shapes, and several threads (OpenBLAS splits one whole product
   * among them; a block is too small to split), take the separate ops. The
   * activation overwrites the product, which nothing else reads (its
   * backward reads X and W1): one [n, H] buffer less at the step's peak,
   * the same arithmetic (philia-ops-inplace.c). */
  if (n == 0 || k == 0 || hd == 0 || c == 0 || tape->n_threads > 1)
    {
      PhiliaTensor *a = _philia_op_relu_dropout_consume (tape,
                                                          philia_op_linear (tape, x, w1, b1),
                                                          p);

      return b2 != NULL ? philia_op_linear (tape, a, w2, b2) : philia_op_matmul (tape, a, w2);
    }

  grads = x->requires_grad || w1->requires_grad || b1->requires_grad || w2->requires_grad
          || (b2 != NULL && b2->requires_grad);
  drop = tape->training && p > 0;
  keep = drop ? 1.0f / (1.0f - p) : 1.0f;
  step = block_rows (hd);
  /* The mask of relu_dropout, from the same draws taken as a stream block
   * by block (a block is a multiple of 96 rows, so of eight elements, as
   * the stream needs), not drawn whole, written and read back: 6 MB at
   * 11,758 × 512. The backward pass reads which elements were kept from the
   * activation, as relu_dropout's does. */
  if (drop)
    _philia_dropout_stream_init (tape, &stream, p);
  /* The backward pass needs the activation; without it one block's worth
   * is enough. */
  if (grads)
    h = tape_tensor_uninit (tape, n, hd);
  else
    block = _philia_tape_pool_take (tape, (gsize)step * hd);
  y = tape_tensor_uninit (tape, n, c);
  /* W1's panels packed once for all the blocks (philia-small-gemm.c): in
   * place, each block's product read W1 from the second-level cache. */
  if (kernel (k, hd))
    w1p = _philia_small_gemm_pack_take (tape, k, hd, w1->data, hd, &packed);

  for (guint r0 = 0; r0 < n; r0 += step)
    {
      guint rows = MIN (step, n - r0);
      float *hb = h != NULL ? h->data + (gsize)r0 * hd : block;
      float *yb = y->data + (gsize)r0 * c;

      if (kernel (k, hd))
        _philia_small_gemm_packed (tape, rows, hd, k, x->data + (gsize)r0 * k, k, w1->data, hd,
                                   w1p, hb, hd, b1->data, FALSE, NULL, NULL);
      else
        {
          _philia_fill_rows (hb, b1->data, rows, hd);
          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, hd, k, 1.0f,
                       x->data + (gsize)r0 * k, k, w1->data, hd, 1.0f, hb, hd);
        }
      if (drop)
        _philia_dropout_stream_relu (&stream, hb, (gsize)rows * hd, keep);
      else
        relu_in_place (hb, (gsize)rows * hd);
      if (kernel (hd, c))
        _philia_small_gemm (tape, rows, c, hd, hb, hd, w2->data, c, yb, c,
                            b2 != NULL ? b2->data : NULL, FALSE, NULL, NULL);
      else
        {
          if (b2 != NULL)
            _philia_fill_rows (yb, b2->data, rows, c);
          _philia_narrow_or_sgemm (CblasNoTrans, CblasNoTrans, rows, c, hd, 1.0f, hb, hd,
                                   w2->data, c, b2 != NULL ? 1.0f : 0.0f, yb, c);
        }
    }
  if (block != NULL)
    _philia_tape_pool_give (tape, (gsize)step * hd, block);
  if (w1p != NULL)
    _philia_tape_pool_give (tape, packed, w1p);

  if (grads)
    {
      Node node = { 0 };
      Hidden *s = g_new (Hidden, 1);

      s->b1 = b1;
      s->b2 = b2;
      s->h = h;
      node.backward = hidden_backward;
      node.out = y;
      node.in[0] = x;
      node.in[1] = w1;
      node.in[2] = w2;
      node.saved = s;
      node.f = keep;
      y->requires_grad = TRUE;
      g_array_append_val (tape->nodes, node);
    }
  return y;
}

/* GCN's first layer on sparse features: relu (Â (X W1) + b1) with dropout,
 * the product made by the sparse kernel (philia_op_spmm ()) and then this
 * op, one pass each way over its [n, H] output instead of the two of
 * _philia_op_add_consume () and _philia_op_relu_dropout_consume () forward
 * and their two backward (HACKING.md §7). Widths not a multiple of eight
 * go through in chunks of a multiple of eight rows (so of eight elements,
 * as the dropout stream needs between calls), small enough to stay in L1
 * from the bias add to the ReLU-dropout. */
static guint
bias_chunk_rows (guint cols)
{
  guint rows = (16 * 1024) / MAX (cols * (guint)sizeof (float), 1);

  return MAX (rows - rows % 8, 8);
}

/* x += the row b on each of @rows rows: add_in_place ()'s sums
 * (philia-ops-inplace.c). */
PHILIA_VECTORIZE static void
bias_rows (float *restrict       x,
           const float *restrict b,
           guint                 rows,
           guint                 cols)
{
  for (guint r = 0; r < rows; r++)
    {
      float *restrict xr = x + (gsize)r * cols;

      for (guint j = 0; j < cols; j++)
        xr[j] = xr[j] + b[j];
    }
}

/* The output's gradient rewritten in place into the input's over rows
 * [begin, end), for the row split at several threads (b's sums follow in
 * one pass, rows in order). */
typedef struct
{
  float       *g;
  const float *y;
  guint        cols;
  float        keep;
} BiasReluRows;

static void
bias_relu_grad_rows (gpointer data,
                     guint    begin,
                     guint    end)
{
  BiasReluRows *j = data;
  gsize first = (gsize)begin * j->cols;

  relu_grad_in_place (j->g + first, j->y + first, end - begin, j->cols, j->keep, NULL);
}

/* relu_dropout's gradient (philia-ops-dense.c) and add's (b's: the column
 * sums, rows in order, _philia_acc_columns ()'s; a's: the same buffer). */
static void
bias_relu_dropout_backward (PhiliaTape *tape,
                            Node       *node)
{
  PhiliaTensor *a = node->in[0], *b = node->in[1], *y = node->out;
  guint rows = y->rows, cols = y->cols;
  float *gb = b->requires_grad ? ensure_grad (b) : NULL;
  float *g = a->requires_grad ? grad_steal_from_output (tape, node, a) : NULL;

  if (g != NULL && tape->n_threads > 1)
    {
      /* The elementwise pass split as relu_dropout's is; b's sums after. */
      BiasReluRows job = { g, y->data, cols, node->f };

      _philia_tape_parallel_rows_cost (tape, rows, NULL, 0, 12.0 * (double)rows * cols,
                                       bias_relu_grad_rows, &job);
      if (gb != NULL)
        _philia_acc_columns (gb, g, rows, cols);
    }
  else if (g != NULL)
    relu_grad_in_place (g, y->data, rows, cols, node->f, gb);
  else
    {
      /* a's gradient already started (or a needs none): each row's
       * gradient made in a scratch row, then added where it goes. */
      gboolean fresh = FALSE;
      float *ga = a->requires_grad ? grad_for_write (tape, a, &fresh) : NULL;
      float *row = _philia_tape_pool_take (tape, MAX (cols, 1));

      for (guint r = 0; r < rows; r++)
        {
          gsize at = (gsize)r * cols;

          memcpy (row, y->grad + at, sizeof (float) * cols);
          relu_grad_in_place (row, y->data + at, 1, cols, node->f, gb);
          for (guint j = 0; ga != NULL && j < cols; j++)
            ga[at + j] = fresh ? row[j] : ga[at + j] + row[j];
        }
      _philia_tape_pool_give (tape, MAX (cols, 1), row);
    }
}

PhiliaTensor *
_philia_op_bias_relu_dropout_consume (PhiliaTape   *tape,
                                      PhiliaTensor *a,
                                      PhiliaTensor *b,
                                      float         p)
{
  PhiliaDropoutStream stream;
  PhiliaTensor *out;
  Node *node;
  guint rows, cols, chunk;
  float keep;

  g_return_val_if_fail (tape != NULL && a != NULL && b != NULL, NULL);
  g_return_val_if_fail (b->rows == 1 && b->cols == a->cols && p >= 0 && p < 1, NULL);

  /* Out of training the separate ops (no draws; ReLU's own node when a
   * gradient is wanted), and for what they would not take over either. */
  if (!tape->training || p == 0 || !a->tape_owned || a->data == NULL || a->grad != NULL
      || b->data == a->data)
    return _philia_op_relu_dropout_consume (tape, _philia_op_add_consume (tape, a, b), p);

  rows = a->rows;
  cols = a->cols;
  keep = 1.0f / (1.0f - p);
  chunk = bias_chunk_rows (cols);
  _philia_dropout_stream_init (tape, &stream, p);
  /* A tape tensor that takes over @a's buffer (as take_over () in
   * philia-ops-inplace.c). */
  out = g_new0 (PhiliaTensor, 1);
  out->rows = rows;
  out->cols = cols;
  out->data = g_steal_pointer (&a->data);
  out->tape_owned = TRUE;
  g_ptr_array_add (tape->tensors, out);
  /* Widths of a multiple of eight in one pass; others a chunk of rows at
   * a time through the bias add, then the stream (a chunk is a multiple of
   * eight rows, so of eight elements, as the stream needs between calls). */
  if (cols % 8 == 0)
    _philia_dropout_stream_bias_relu (&stream, out->data, b->data, rows, cols, keep);
  else
    for (guint r0 = 0; r0 < rows; r0 += chunk)
      {
        guint n = MIN (chunk, rows - r0);
        float *x = out->data + (gsize)r0 * cols;

        bias_rows (x, b->data, n, cols);
        _philia_dropout_stream_relu (&stream, x, (gsize)n * cols, keep);
      }
  node = record (tape, bias_relu_dropout_backward, out, a, b, NULL);
  if (node != NULL)
    node->f = keep;
  return out;
}
