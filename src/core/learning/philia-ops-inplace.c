/* SPDX-License-Identifier: GPL-3.0-or-later */
/* In-place forms of elementwise ops, for models whose pre-activations are
 * read by the activation alone: at 10^6 nodes and width 512 each [n, H]
 * tensor not made is 2 GB less at the peak, in the training step (the
 * ReLU-dropout output no longer sits beside its input) and in the
 * evaluation pass (whose tensors all live until the tape is reset). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-ops-inplace-private.h"
#include "philia-simd-private.h"
#include "philia-tape-private.h"

#include <string.h>

/* x = relu (x) · the mask's factor, the arithmetic of relu_dropout_apply ()
 * in philia-ops-dense.c, so that the values keep their bits. */
PHILIA_VECTORIZE static void
relu_dropout_in_place (float        *x,
                       const guint8 *mask,
                       gsize         n,
                       float         keep)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      V8f v = v8_load (x + i);

      v8_store (x + i, v8_select (v > 0, v, (V8f){ 0 }) * v8_mask_factor (mask + i, keep));
    }
  for (; i < n; i++)
    x[i] = (x[i] > 0 ? x[i] : 0.0f) * (mask[i] ? keep : 0.0f);
}

/* x = relu (x), as leaky_forward () with slope 0 writes it. */
PHILIA_VECTORIZE static void
relu_in_place (float *x,
               gsize  n)
{
  for (gsize i = 0; i < n; i++)
    x[i] = x[i] > 0 ? x[i] : 0.0f;
}

/* x += y, or x += the row y on every row: the sums philia_op_add () makes. */
PHILIA_VECTORIZE static void
add_in_place (float       *x,
              const float *y,
              guint        rows,
              guint        cols,
              gboolean     broadcast)
{
  for (guint r = 0; r < rows; r++)
    {
      const float *yr = y + (broadcast ? 0 : (gsize)r * cols);
      float *xr = x + (gsize)r * cols;

      for (guint j = 0; j < cols; j++)
        xr[j] = xr[j] + yr[j];
    }
}

/* A tape tensor of @a's shape that takes over @a's buffer. */
static PhiliaTensor *
take_over (PhiliaTape   *tape,
           PhiliaTensor *a)
{
  PhiliaTensor *out = g_new0 (PhiliaTensor, 1);

  out->rows = a->rows;
  out->cols = a->cols;
  out->data = g_steal_pointer (&a->data);
  out->tape_owned = TRUE;
  g_ptr_array_add (tape->tensors, out);
  return out;
}

PhiliaTensor *
_philia_op_relu_dropout_consume (PhiliaTape   *tape,
                                 PhiliaTensor *a,
                                 float         p)
{
  gsize n, mask_floats;
  guint8 *mask;
  PhiliaTensor *out;
  Node *node;

  g_return_val_if_fail (tape != NULL && a != NULL && p >= 0 && p < 1, NULL);

  if (!a->tape_owned || a->data == NULL || a->grad != NULL)
    return philia_op_relu_dropout (tape, a, p);
  n = tensor_size (a);
  if (!tape->training || p == 0)
    {
      /* ReLU's own backward reads its input: in place only without a node. */
      if (a->requires_grad)
        return philia_op_relu (tape, a);
      out = take_over (tape, a);
      relu_in_place (out->data, n);
      return out;
    }
  /* As masked_op () does it: the mask from the pool, drawn from the tape's
   * generator, given back at once (the backward pass reads the output). */
  mask_floats = MAX ((n + 3) / 4, 1);
  mask = (guint8 *)_philia_tape_pool_take (tape, mask_floats);
  _philia_dropout_mask_from_tape (tape, mask, n, p);
  out = take_over (tape, a);
  relu_dropout_in_place (out->data, mask, n, 1.0f / (1.0f - p));
  _philia_tape_pool_give (tape, mask_floats, (float *)mask);
  node = record (tape, _philia_relu_dropout_backward, out, a, NULL, NULL);
  if (node != NULL)
    node->f = 1.0f / (1.0f - p);
  return out;
}

PhiliaTensor *
_philia_op_add_consume (PhiliaTape   *tape,
                        PhiliaTensor *a,
                        PhiliaTensor *b)
{
  PhiliaTensor *out;

  g_return_val_if_fail (tape != NULL && a != NULL && b != NULL, NULL);
  g_return_val_if_fail ((b->rows == a->rows || b->rows == 1) && b->cols == a->cols, NULL);

  if (!a->tape_owned || a->data == NULL || a->grad != NULL || b == a || b->data == a->data)
    return philia_op_add (tape, a, b);
  out = take_over (tape, a);
  add_in_place (out->data, b->data, out->rows, out->cols, b->rows != out->rows);
  record (tape, _philia_add_backward, out, a, b, NULL);
  return out;
}

PhiliaTensor *
_philia_op_spmm_consume (PhiliaTape   *tape,
                         PhiliaSparse *s,
                         PhiliaTensor *x)
{
  PhiliaTensor *out;

  g_return_val_if_fail (tape != NULL && s != NULL && x != NULL, NULL);

  out = philia_op_spmm (tape, s, NULL, x);
  /* spmm's backward reads only S and dOut without per-entry values: @x's
   * buffer can serve the next [n, H] tensor of the step (the gradient of
   * @x, at the latest). */
  if (x->tape_owned && x->data != NULL && x->grad == NULL)
    _philia_tape_pool_give (tape, MAX (tensor_size (x), 1), g_steal_pointer (&x->data));
  return out;
}
