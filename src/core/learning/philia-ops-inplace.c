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
#include "philia-cost-private.h"

#include <math.h>

#include <string.h>

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
  gsize n;
  PhiliaDropoutStream stream;
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
  /* masked_op ()'s mask, drawn from the tape's generator, but taken as a
   * stream (the same factors) in the pass itself: no mask written and read
   * back, as the backward pass reads the output. */
  _philia_dropout_stream_init (tape, &stream, p);
  out = take_over (tape, a);
  _philia_dropout_stream_relu (&stream, out->data, n, 1.0f / (1.0f - p));
  node = record (tape, _philia_relu_dropout_backward, out, a, NULL, NULL);
  if (node != NULL)
    node->f = 1.0f / (1.0f - p);
  return out;
}

/* GAT's hidden layer after its attention: y = elu (x + b) over @x's buffer,
 * and with a mask out = y · the mask's factor. The arithmetic of
 * philia_op_add (), elu_forward () and dropout_apply () in
 * philia-ops-dense.c, element by element (their vector part over the first
 * n − n mod 8 elements of the whole tensor, their scalar tail after), so
 * the values keep their bits. */
typedef struct
{
  float        *y;
  const float  *b;
  const guint8 *mask;    /* NULL: no dropout */
  float        *out;
  const float  *g;       /* backward: out's gradient */
  float        *ga;      /* x's gradient */
  float        *gb;      /* b's gradient, summed over rows in order; NULL: not here */
  guint         cols;
  gsize         n;       /* rows · cols */
  float         alpha;
  float         keep;
  gboolean      fresh;
} BiasElu;

/* The bias of elements [i, i + 8) of a [·, cols] tensor. */
static inline G_ALWAYS_INLINE V8f
bias8 (const float *b,
       guint        cols,
       gsize        i)
{
  V8f v;

  if (cols % 8 == 0)
    return v8_load (b + i % cols);
  for (guint k = 0; k < 8; k++)
    v[k] = b[(i + k) % cols];
  return v;
}

PHILIA_VECTORIZE_V4 static void
bias_elu_rows (gpointer data,
               guint    begin,
               guint    end)
{
  const BiasElu *t = data;
  float *restrict y = t->y;
  float *restrict out = t->out;
  const float *restrict b = t->b;
  const guint8 *restrict mask = t->mask;
  guint cols = t->cols;
  gsize vec = t->n & ~(gsize)7, i = (gsize)begin * cols, stop = MIN ((gsize)end * cols, vec);
  float alpha = t->alpha, keep = t->keep;

  /* Row blocks start at multiples of 8 elements when cols is one; other
   * widths run on one thread (_philia_op_bias_elu_dropout_consume), so the
   * vector part covers exactly elu_forward's. Widths of sixteens go in
   * sixteen lanes first (the same operations per element, half the
   * instructions on AVX-512: the exponentials made a tenth of a GAT 512
   * epoch). */
  if (cols % 16 == 0)
    for (guint j = 0; i + 16 <= stop; i += 16, j = j + 16 == cols ? 0 : j + 16)
      {
        V16f v = v16_load (y + i) + v16_load (b + j);

        v = v16_select (v > 0, v,
                        alpha * v16_expm1_nonpositive (v16_select (v > 0, (V16f){ 0 }, v)));
        v16_store (y + i, v);
        if (mask != NULL)
          v16_store (out + i, v * v16_mask_factor (mask + i, keep));
      }
  for (guint j = 0; i + 8 <= stop; i += 8, j = j + 8 == cols ? 0 : j + 8)
    {
      V8f v = v8_load (y + i) + (cols % 8 == 0 ? v8_load (b + j) : bias8 (b, cols, i));

      v = v8_select (v > 0, v, alpha * v8_expm1_nonpositive (v8_select (v > 0, (V8f){ 0 }, v)));
      v8_store (y + i, v);
      if (mask != NULL)
        v8_store (out + i, v * v8_mask_factor (mask + i, keep));
    }
  for (i = MAX (i, vec); i < (gsize)end * cols; i++)
    {
      float v = y[i] + b[i % cols];

      y[i] = v > 0 ? v : alpha * expm1f (v);
      if (mask != NULL)
        out[i] = y[i] * (mask[i] ? keep : 0.0f);
    }
}

/* The gradient of x: dropout_grad ()'s factor, then elu_backward ()'s rule
 * (x + b > 0 exactly where y > 0: ELU keeps the sign, and maps 0 to 0),
 * and with @gb the bias's, add_backward ()'s column sums in row order. */
PHILIA_VECTORIZE_V4 static void
bias_elu_grad_rows (gpointer data,
                    guint    begin,
                    guint    end)
{
  const BiasElu *t = data;
  const float *restrict y = t->y;
  const float *g = t->g;    /* may be ga itself: no restrict on these two */
  float *ga = t->ga;
  float *restrict gb = t->gb;
  const guint8 *restrict mask = t->mask;
  guint cols = t->cols;
  gsize vec = t->n & ~(gsize)7, i = (gsize)begin * cols, stop = MIN ((gsize)end * cols, vec);
  float alpha = t->alpha, keep = t->keep;
  gboolean fresh = t->fresh;

  if (cols % 16 == 0)
    for (guint j = 0; i + 16 <= stop; i += 16, j = j + 16 == cols ? 0 : j + 16)
      {
        V16f r = v16_load (g + i), d;

        if (mask != NULL)
          r = r * v16_mask_factor (mask + i, keep);
        d = v16_select (v16_load (y + i) > 0, r, r * (v16_load (y + i) + alpha));
        v16_store (ga + i, fresh ? d : v16_load (ga + i) + d);
        if (gb != NULL)
          v16_store (gb + j, v16_load (gb + j) + d);
      }
  for (guint j = 0; i + 8 <= stop; i += 8, j = j + 8 == cols ? 0 : j + 8)
    {
      V8f r = v8_load (g + i), d;

      if (mask != NULL)
        r = r * v8_mask_factor (mask + i, keep);
      d = v8_select (v8_load (y + i) > 0, r, r * (v8_load (y + i) + alpha));
      v8_store (ga + i, fresh ? d : v8_load (ga + i) + d);
      if (gb != NULL)
        {
          if (cols % 8 == 0)
            v8_store (gb + j, v8_load (gb + j) + d);
          else
            for (guint k = 0; k < 8; k++)
              gb[(i + k) % cols] += d[k];
        }
    }
  for (i = MAX (i, vec); i < (gsize)end * cols; i++)
    {
      float r = mask != NULL ? g[i] * (mask[i] ? keep : 0.0f) : g[i];
      float d = y[i] > 0 ? r : r * (y[i] + alpha);

      ga[i] = fresh ? d : ga[i] + d;
      if (gb != NULL)
        gb[i % cols] += d;
    }
}

typedef struct
{
  float alpha;
  float keep;
} BiasEluSaved;

/* dropout (elu (x + b)): in[0] is x (its buffer now y's), in[1] b, in[2] y. */
static void
bias_elu_backward (PhiliaTape *tape,
                   Node       *node)
{
  PhiliaTensor *x = node->in[0], *b = node->in[1], *y = node->in[2];
  const BiasEluSaved *saved = node->saved;
  BiasElu t = { 0 };
  gsize n = tensor_size (y);

  t.y = y->data;
  t.mask = node->mask;
  t.g = node->out->grad;
  t.cols = y->cols;
  t.n = n;
  t.alpha = saved->alpha;
  t.keep = saved->keep;
  t.fresh = TRUE;
  if (x->requires_grad)
    {
      /* In place over the output's gradient when nothing has reached x's. */
      t.ga = grad_steal_from_output (tape, node, x);
      if (t.ga == NULL)
        t.ga = grad_for_write (tape, x, &t.fresh);
    }
  else
    t.ga = _philia_tape_pool_take (tape, MAX (n, 1));
  if (b->requires_grad && t.fresh && y->cols % 8 == 0
      && _philia_cost_parallel (tape->n_threads, 2.0 * n, 16.0 * n))
    {
      /* The rows split over the team, then the bias's sums over the
       * gradient just written, in row order as on one thread. */
      _philia_tape_parallel_rows_cost (tape, y->rows, NULL, 2.0 * n, 16.0 * n,
                                       bias_elu_grad_rows, &t);
      _philia_acc_columns (ensure_grad (b), t.ga, y->rows, y->cols);
    }
  else if (y->cols % 8 == 0 && !b->requires_grad)
    _philia_tape_parallel_rows_cost (tape, y->rows, NULL, 2.0 * n, 16.0 * n,
                                     bias_elu_grad_rows, &t);
  else
    {
      /* One pass, the bias's sums beside. */
      t.gb = b->requires_grad ? ensure_grad (b) : NULL;
      bias_elu_grad_rows (&t, 0, y->rows);
    }
  if (!x->requires_grad)
    _philia_tape_pool_give (tape, MAX (n, 1), t.ga);
}

PhiliaTensor *
_philia_op_bias_elu_dropout_consume (PhiliaTape   *tape,
                                     PhiliaTensor *a,
                                     PhiliaTensor *b,
                                     float         alpha,
                                     float         p)
{
  gboolean drop;
  BiasElu t = { 0 };
  PhiliaTensor *y, *out;
  gsize n;
  Node *node;

  g_return_val_if_fail (tape != NULL && a != NULL && b != NULL, NULL);
  g_return_val_if_fail (b->rows == 1 && b->cols == a->cols, NULL);
  g_return_val_if_fail (alpha > 0 && p >= 0 && p < 1, NULL);

  if (!a->tape_owned || a->data == NULL || a->grad != NULL || b->data == a->data)
    return philia_op_dropout (tape, philia_op_elu (tape, philia_op_add (tape, a, b), alpha), p);
  n = tensor_size (a);
  drop = tape->training && p > 0;
  t.b = b->data;
  t.cols = a->cols;
  t.n = n;
  t.alpha = alpha;
  t.keep = drop ? 1.0f / (1.0f - p) : 1.0f;
  if (drop)
    {
      /* dropout's mask, from the same draws, kept for the backward pass. */
      guint8 *mask = (guint8 *)tape_tensor_uninit (tape, 1, (guint)MAX ((n + 3) / 4, 1))->data;

      _philia_dropout_mask_from_tape (tape, mask, n, p);
      t.mask = mask;
    }
  y = take_over (tape, a);
  out = drop ? tape_tensor_uninit (tape, a->rows, a->cols) : y;
  t.y = y->data;
  t.out = out->data;
  if (a->cols % 8 == 0)
    _philia_tape_parallel_rows_cost (tape, a->rows, NULL, 12.0 * n, (drop ? 13.0 : 8.0) * n,
                                     bias_elu_rows, &t);
  else
    bias_elu_rows (&t, 0, a->rows);
  node = record (tape, bias_elu_backward, out, a, b, y);
  if (node != NULL)
    {
      BiasEluSaved *saved = g_new (BiasEluSaved, 1);

      saved->alpha = alpha;
      saved->keep = t.keep;
      node->saved = saved;
      node->mask = t.mask;
    }
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
  _philia_tensor_drop_values (tape, x);
  return out;
}

void
_philia_tensor_drop_values (PhiliaTape   *tape,
                            PhiliaTensor *x)
{
  g_return_if_fail (tape != NULL && x != NULL);

  if (x->tape_owned && x->data != NULL && x->grad == NULL)
    _philia_tape_pool_give (tape, MAX (tensor_size (x), 1), g_steal_pointer (&x->data));
}
