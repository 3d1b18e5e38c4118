/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dense ops: products, elementwise ops, activations and dropout (HACKING.md §7). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-tape-private.h"
#include "philia-cost-private.h"
#include "philia-simd-private.h"
#include "philia-ops-inplace-private.h"
#include "philia-ops-hidden-private.h"
#include "philia-small-gemm-private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* --------------------------------------------------------------- matmul */

/* dA += dC Bᵀ and dB += Aᵀ dC for those that need a gradient; a gradient
 * nothing has reached yet is written (beta 0), not added to. The product
 * kernel takes the shapes it can where it beats OpenBLAS
 * (philia-small-gemm-private.h). */
static void
product_grads (PhiliaTape   *tape,
               PhiliaTensor *a,
               PhiliaTensor *b,
               const float  *dc)
{
  int m = a->rows, k = a->cols, n = b->cols;
  gboolean fresh;
  float *g;

  if (m == 0 || n == 0 || k == 0)
    return;
  if (a->requires_grad)
    {
      g = grad_for_write (tape, a, &fresh);
      if (_philia_small_gemm_dense (k) && _philia_small_gemm_usable (n, k))
        _philia_small_gemm_nt (tape, m, k, n, dc, n, b->data, n, g, k, !fresh);
      else
        _philia_sgemm (tape, CblasNoTrans, CblasTrans, m, k, n, 1.0f, dc, n,
                       b->data, n, fresh ? 0.0f : 1.0f, g, k);
    }
  if (b->requires_grad)
    {
      g = grad_for_write (tape, b, &fresh);
      if (_philia_small_gemm_dense_tn (n) && _philia_small_gemm_tn_usable (k, n))
        _philia_small_gemm_tn (tape, k, n, m, a->data, k, dc, n, g, n, !fresh);
      else
        _philia_sgemm (tape, CblasTrans, CblasNoTrans, k, n, m, 1.0f, a->data, k,
                       dc, n, fresh ? 0.0f : 1.0f, g, n);
    }
}

static void
matmul_backward (PhiliaTape *tape,
                 Node       *node)
{
  product_grads (tape, node->in[0], node->in[1], node->out->grad);
}

PhiliaTensor *
philia_op_matmul (PhiliaTape   *tape,
                  PhiliaTensor *a,
                  PhiliaTensor *b)
{
  PhiliaTensor *c;

  g_return_val_if_fail (a != NULL && b != NULL && a->cols == b->rows, NULL);

  if (a->rows > 0 && b->cols > 0 && a->cols > 0)
    {
      c = tape_tensor_uninit (tape, a->rows, b->cols);
      if (_philia_small_gemm_dense (b->cols)
          && _philia_small_gemm_usable (a->cols, b->cols))
        _philia_small_gemm (tape, a->rows, b->cols, a->cols, a->data, a->cols, b->data,
                            b->cols, c->data, c->cols, NULL, FALSE, NULL, NULL);
      else
        _philia_sgemm (tape, CblasNoTrans, CblasNoTrans, a->rows, b->cols, a->cols, 1.0f,
                       a->data, a->cols, b->data, b->cols, 0.0f, c->data, c->cols);
    }
  else
    c = tape_tensor (tape, a->rows, b->cols);
  record (tape, matmul_backward, c, a, b, NULL);
  return c;
}

/* ----------------------------------------------------------- elementwise */

static gboolean
broadcast_ok (PhiliaTensor *a,
              PhiliaTensor *b)
{
  return (b->rows == a->rows || b->rows == 1) && b->cols == a->cols;
}

/* Elementwise kernels on restrict pointers: the core is built with
 * -fno-strict-aliasing, so a loop storing through out->data would reload every
 * struct field each iteration and stay scalar. */
PHILIA_VECTORIZE static void
vec_add (float *restrict o,
         const float *restrict x,
         const float *restrict y,
         gsize        n)
{
  for (gsize i = 0; i < n; i++)
    o[i] = x[i] + y[i];
}

PHILIA_VECTORIZE static void
vec_add_row (float *restrict o,
             const float *restrict x,
             const float *restrict row,
             guint        rows,
             guint        cols)
{
  for (guint r = 0; r < rows; r++)
    for (guint j = 0; j < cols; j++)
      o[(gsize)r * cols + j] = x[(gsize)r * cols + j] + row[j];
}

PHILIA_VECTORIZE static void
vec_acc (float *restrict o,
         const float *restrict x,
         gsize        n)
{
  for (gsize i = 0; i < n; i++)
    o[i] += x[i];
}

/* Each row of o set to @row, in the loop itself: GCC otherwise turns the copy
 * into a memcpy call per (short) row. Shared with the transformer's ops. */
PHILIA_VECTORIZE PHILIA_NO_MEMCPY void
_philia_fill_rows (float *restrict       o,
                   const float *restrict row,
                   guint                 rows,
                   guint                 cols)
{
  for (guint r = 0; r < rows; r++)
    {
      float *restrict out = o + (gsize)r * cols;
      guint j = 0;

      for (; j + 8 <= cols; j += 8)
        v8_store (out + j, v8_load (row + j));
      for (; j < cols; j++)
        out[j] = row[j];
    }
}

/* philia-tape-private.h */
PHILIA_VECTORIZE void
_philia_acc_columns (float *restrict       o,
                     const float *restrict x,
                     guint                 rows,
                     guint                 cols)
{
  for (guint r = 0; r < rows; r++)
    for (guint j = 0; j < cols; j++)
      o[j] += x[(gsize)r * cols + j];
}

static void
add_backward (PhiliaTape *tape,
              Node       *node)
{
  PhiliaTensor *a = node->in[0], *b = node->in[1], *out = node->out;
  gsize n = tensor_size (out);

  gboolean fresh;

  /* A gradient nothing has reached yet is a copy, not a zeroing pass and a
   * sum; b's first, so that a can then take the output's buffer itself. */
  if (b->requires_grad)
    {
      if (b->rows == a->rows)
        {
          float *gb = grad_for_write (tape, b, &fresh);

          if (fresh)
            memcpy (gb, out->grad, sizeof (float) * MAX (n, 1));
          else
            vec_acc (gb, out->grad, n);
        }
      else
        _philia_acc_columns (ensure_grad (b), out->grad, out->rows, out->cols);
    }
  if (a->requires_grad && grad_steal_from_output (tape, node, a) == NULL)
    {
      float *ga = grad_for_write (tape, a, &fresh);

      if (fresh)
        memcpy (ga, out->grad, sizeof (float) * MAX (n, 1));
      else
        vec_acc (ga, out->grad, n);
    }
}

PhiliaTensor *
philia_op_add (PhiliaTape   *tape,
               PhiliaTensor *a,
               PhiliaTensor *b)
{
  PhiliaTensor *out;

  g_return_val_if_fail (a != NULL && b != NULL && broadcast_ok (a, b), NULL);

  out = tape_tensor_uninit (tape, a->rows, a->cols);
  if (b->rows == a->rows)
    vec_add (out->data, a->data, b->data, tensor_size (a));
  else
    vec_add_row (out->data, a->data, b->data, a->rows, a->cols);
  record (tape, add_backward, out, a, b, NULL);
  return out;
}

/* X W + b in one op: the bias rows are the product's starting value and its
 * gradient the column sums of the output's, so neither direction makes a
 * pass of its own over the [n, out] tensor. */
static void
linear_backward (PhiliaTape *tape,
                 Node       *node)
{
  PhiliaTensor *b = node->in[2], *y = node->out;

  product_grads (tape, node->in[0], node->in[1], y->grad);
  if (b->requires_grad && y->rows > 0)
    _philia_acc_columns (ensure_grad (b), y->grad, y->rows, y->cols);
}

PhiliaTensor *
philia_op_linear (PhiliaTape   *tape,
                  PhiliaTensor *x,
                  PhiliaTensor *w,
                  PhiliaTensor *b)
{
  PhiliaTensor *y;

  g_return_val_if_fail (x != NULL && w != NULL && b != NULL && x->cols == w->rows, NULL);
  g_return_val_if_fail (b->rows == 1 && b->cols == w->cols, NULL);

  y = tape_tensor_uninit (tape, x->rows, w->cols);
  if (x->rows > 0 && w->cols > 0 && x->cols > 0 && _philia_small_gemm_dense (w->cols)
      && _philia_small_gemm_usable (x->cols, w->cols))
    {
      /* The bias is the kernel's starting value. */
      _philia_small_gemm (tape, x->rows, w->cols, x->cols, x->data, x->cols, w->data, w->cols,
                          y->data, y->cols, b->data, FALSE, NULL, NULL);
      record (tape, linear_backward, y, x, w, b);
      return y;
    }
  _philia_fill_rows (y->data, b->data, x->rows, w->cols);
  if (x->rows > 0 && w->cols > 0 && x->cols > 0)
    _philia_sgemm (tape, CblasNoTrans, CblasNoTrans, x->rows, w->cols, x->cols, 1.0f,
                   x->data, x->cols, w->data, w->cols, 1.0f, y->data, y->cols);
  record (tape, linear_backward, y, x, w, b);
  return y;
}

PHILIA_VECTORIZE static void
vec_mul_rows (float *restrict o,
              const float *restrict x,
              const float *restrict y,
              guint        rows,
              guint        cols,
              gboolean     broadcast)
{
  for (guint r = 0; r < rows; r++)
    {
      const float *restrict yr = y + (broadcast ? 0 : (gsize)r * cols);

      for (guint j = 0; j < cols; j++)
        o[(gsize)r * cols + j] = x[(gsize)r * cols + j] * yr[j];
    }
}

/* o[r][j] += g[r][j] · y[j or r][j]; with @sum_rows o is one row, summed over r in order. */
PHILIA_VECTORIZE static void
vec_mul_acc (float *restrict o,
             const float *restrict g,
             const float *restrict y,
             guint        rows,
             guint        cols,
             gboolean     broadcast_y,
             gboolean     sum_rows)
{
  for (guint r = 0; r < rows; r++)
    {
      const float *restrict yr = y + (broadcast_y ? 0 : (gsize)r * cols);
      float *restrict orow = o + (sum_rows ? 0 : (gsize)r * cols);

      for (guint j = 0; j < cols; j++)
        orow[j] += g[(gsize)r * cols + j] * yr[j];
    }
}

static void
mul_backward (PhiliaTape *tape,
              Node       *node)
{
  PhiliaTensor *a = node->in[0], *b = node->in[1], *out = node->out;
  gboolean broadcast = b->rows == 1 && a->rows != 1;

  if (a->requires_grad)
    vec_mul_acc (ensure_grad (a), out->grad, b->data, out->rows, out->cols, broadcast, FALSE);
  if (b->requires_grad)
    vec_mul_acc (ensure_grad (b), out->grad, a->data, out->rows, out->cols, FALSE, broadcast);
}

PhiliaTensor *
philia_op_mul (PhiliaTape   *tape,
               PhiliaTensor *a,
               PhiliaTensor *b)
{
  PhiliaTensor *out;

  g_return_val_if_fail (a != NULL && b != NULL && broadcast_ok (a, b), NULL);

  out = tape_tensor_uninit (tape, a->rows, a->cols);
  vec_mul_rows (out->data, a->data, b->data, a->rows, a->cols, b->rows == 1);
  record (tape, mul_backward, out, a, b, NULL);
  return out;
}

static void
scale_backward (PhiliaTape *tape,
                Node       *node)
{
  float *ga = ensure_grad (node->in[0]);

  for (gsize i = 0; i < tensor_size (node->out); i++)
    ga[i] += node->f * node->out->grad[i];
}

PhiliaTensor *
philia_op_scale (PhiliaTape   *tape,
                 PhiliaTensor *a,
                 float         alpha)
{
  PhiliaTensor *out;
  Node *node;

  g_return_val_if_fail (a != NULL, NULL);

  out = tape_tensor_uninit (tape, a->rows, a->cols);
  for (gsize i = 0; i < tensor_size (a); i++)
    out->data[i] = alpha * a->data[i];
  node = record (tape, scale_backward, out, a, NULL, NULL);
  if (node != NULL)
    node->f = alpha;
  return out;
}

/* ReLU, leaky ReLU, ELU: the derivative is a function of input and output. */
typedef enum { ACT_RELU, ACT_LEAKY, ACT_ELU, ACT_TANH, ACT_SIGMOID } Activation;

/* ReLU (slope 0) and leaky ReLU as branch-free loops the compiler vectorises. */
PHILIA_VECTORIZE static void
leaky_forward (float *restrict out,
               const float *restrict x,
               gsize        n,
               float        slope)
{
  if (slope == 0)
    for (gsize i = 0; i < n; i++)
      out[i] = x[i] > 0 ? x[i] : 0.0f;
  else
    for (gsize i = 0; i < n; i++)
      out[i] = x[i] > 0 ? x[i] : slope * x[i];
}

PHILIA_VECTORIZE static void
leaky_backward (float *restrict ga,
                const float *restrict x,
                const float *restrict g,
                gsize        n,
                float        slope,
                gboolean     fresh)
{
  if (fresh && slope == 0)
    for (gsize i = 0; i < n; i++)
      ga[i] = x[i] > 0 ? g[i] : 0.0f;
  else if (fresh)
    for (gsize i = 0; i < n; i++)
      ga[i] = x[i] > 0 ? g[i] : slope * g[i];
  else if (slope == 0)
    for (gsize i = 0; i < n; i++)
      ga[i] += x[i] > 0 ? g[i] : 0.0f;
  else
    for (gsize i = 0; i < n; i++)
      ga[i] += x[i] > 0 ? g[i] : slope * g[i];
}

PHILIA_VECTORIZE static void
elu_forward (float *restrict out,
             const float *restrict x,
             gsize        n,
             float        alpha)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      V8f v = v8_load (x + i);

      v8_store (out + i, v8_select (v > 0, v,
                                    alpha * v8_expm1_nonpositive (v8_select (v > 0, (V8f){ 0 },
                                                                             v))));
    }
  for (; i < n; i++)
    out[i] = x[i] > 0 ? x[i] : alpha * expm1f (x[i]);
}

PHILIA_VECTORIZE static void
elu_backward (float *restrict ga,
              const float *restrict x,
              const float *restrict y,
              const float *restrict g,
              gsize        n,
              float        alpha,
              gboolean     fresh)
{
  gsize i = 0;

  /* Eight lanes by hand: GCC left this loop scalar with a branch on the
   * sign, mispredicted half the time (a quarter of a GAT epoch). */
  for (; i + 8 <= n; i += 8)
    {
      V8f gv = v8_load (g + i);
      V8f r = v8_select (v8_load (x + i) > 0, gv, gv * (v8_load (y + i) + alpha));

      v8_store (ga + i, fresh ? r : v8_load (ga + i) + r);
    }
  for (; i < n; i++)
    {
      float d = g[i] * (y[i] + alpha);
      float r = x[i] > 0 ? g[i] : d;

      ga[i] = fresh ? r : ga[i] + r;
    }
}

static void
activation_backward (PhiliaTape *tape,
                     Node       *node)
{
  PhiliaTensor *a = node->in[0], *out = node->out;
  Activation kind = GPOINTER_TO_UINT (node->index);
  gboolean fresh;
  float *ga = grad_for_write (tape, a, &fresh);
  float f = node->f;

  if (kind == ACT_RELU || kind == ACT_LEAKY)
    {
      leaky_backward (ga, a->data, out->grad, tensor_size (out),
                      kind == ACT_RELU ? 0.0f : f, fresh);
      return;
    }
  if (kind == ACT_ELU)
    {
      elu_backward (ga, a->data, out->data, out->grad, tensor_size (out), f, fresh);
      return;
    }
  if (fresh)
    memset (ga, 0, sizeof (float) * tensor_size (a));
  for (gsize i = 0; i < tensor_size (out); i++)
    {
      float x = a->data[i], g = out->grad[i];

      switch (kind)
        {
        case ACT_RELU:
          ga[i] += x > 0 ? g : 0;
          break;
        case ACT_LEAKY:
          ga[i] += x > 0 ? g : f * g;
          break;
        case ACT_ELU:
          ga[i] += x > 0 ? g : g * (out->data[i] + f);
          break;
        case ACT_TANH:
          ga[i] += g * (1 - out->data[i] * out->data[i]);
          break;
        case ACT_SIGMOID:
          ga[i] += g * out->data[i] * (1 - out->data[i]);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static PhiliaTensor *
activation (PhiliaTape   *tape,
            PhiliaTensor *a,
            Activation    kind,
            float         f)
{
  PhiliaTensor *out;
  Node *node;

  g_return_val_if_fail (a != NULL, NULL);

  out = tape_tensor_uninit (tape, a->rows, a->cols);
  if (kind == ACT_RELU || kind == ACT_LEAKY)
    leaky_forward (out->data, a->data, tensor_size (a), kind == ACT_RELU ? 0.0f : f);
  else if (kind == ACT_ELU)
    elu_forward (out->data, a->data, tensor_size (a), f);
  else
  for (gsize i = 0; i < tensor_size (a); i++)
    {
      float x = a->data[i];

      switch (kind)
        {
        case ACT_RELU:
          out->data[i] = x > 0 ? x : 0;
          break;
        case ACT_LEAKY:
          out->data[i] = x > 0 ? x : f * x;
          break;
        case ACT_ELU:
          out->data[i] = x > 0 ? x : f * expm1f (x);
          break;
        case ACT_TANH:
          out->data[i] = tanhf (x);
          break;
        case ACT_SIGMOID:
          /* Written so that neither branch overflows expf. */
          out->data[i] = x >= 0 ? 1 / (1 + expf (-x)) : expf (x) / (1 + expf (x));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  node = record (tape, activation_backward, out, a, NULL, NULL);
  if (node != NULL)
    {
      node->index = GUINT_TO_POINTER (kind);
      node->f = f;
    }
  return out;
}

PhiliaTensor *
philia_op_relu (PhiliaTape   *tape,
                PhiliaTensor *a)
{
  return activation (tape, a, ACT_RELU, 0);
}

PhiliaTensor *
philia_op_leaky_relu (PhiliaTape   *tape,
                      PhiliaTensor *a,
                      float         slope)
{
  return activation (tape, a, ACT_LEAKY, slope);
}

PhiliaTensor *
philia_op_elu (PhiliaTape   *tape,
               PhiliaTensor *a,
               float         alpha)
{
  return activation (tape, a, ACT_ELU, alpha);
}

PhiliaTensor *
philia_op_tanh (PhiliaTape   *tape,
                PhiliaTensor *a)
{
  return activation (tape, a, ACT_TANH, 0);
}

PhiliaTensor *
philia_op_sigmoid (PhiliaTape   *tape,
                   PhiliaTensor *a)
{
  return activation (tape, a, ACT_SIGMOID, 0);
}

/* Dropout masks, one byte per element, from eight xoshiro128** streams
 * seeded from the tape's generator, each draw giving a 24-bit uniform (the
 * resolution the single-stream version had). Eight 32-bit lanes are one AVX2
 * register, so a mask costs a fraction of a nanosecond an element. */
#define MASK_LANES 8

typedef guint32 V8u __attribute__ ((vector_size (32)));
typedef gint8   V32b __attribute__ ((vector_size (32)));

/* One draw of the eight streams: xoshiro128**'s output and step, lane by
 * lane (dropout_mask () and _philia_dropout_stream_relu () share it, so a
 * mask and a streamed pass see the same draws). */
#define MASK_DRAW(draw, s0, s1, s2, s3)                                             \
  do                                                                                \
    {                                                                               \
      V8u x_ = (s1) * 5, t_ = (s1) << 9;                                            \
                                                                                    \
      (draw) = ((x_ << 7) | (x_ >> 25)) * 9;                                        \
      (s2) ^= (s0);                                                                 \
      (s3) ^= (s1);                                                                 \
      (s1) ^= (s2);                                                                 \
      (s0) ^= (s3);                                                                 \
      (s2) ^= t_;                                                                   \
      (s3) = ((s3) << 11) | ((s3) >> 21);                                           \
    }                                                                               \
  while (0)

PHILIA_VECTORIZE static void
dropout_mask (guint8 *restrict mask,
              gsize            n,
              const guint32   *state,   /* 4 × MASK_LANES words */
              guint32          threshold)
{
  V8u s0, s1, s2, s3;

  memcpy (&s0, state, sizeof s0);
  memcpy (&s1, state + MASK_LANES, sizeof s1);
  memcpy (&s2, state + 2 * MASK_LANES, sizeof s2);
  memcpy (&s3, state + 3 * MASK_LANES, sizeof s3);
  for (gsize i = 0; i < n; i += MASK_LANES)
    {
      V8u draw;
      V32b bytes;
      V8b keep;

      MASK_DRAW (draw, s0, s1, s2, s3);
      /* The low byte of each lane, by a byte shuffle (a lane-by-lane
       * conversion compiles to eight extracts). */
      bytes = (V32b)((V8i)((draw >> 8) >= threshold) & 1);
      keep = __builtin_shufflevector (bytes, bytes, 0, 4, 8, 12, 16, 20, 24, 28);
      if (n - i >= MASK_LANES)
        memcpy (mask + i, &keep, MASK_LANES);
      else
        memcpy (mask + i, &keep, n - i);
    }
}

/* The streams' state from the tape's generator: two 32-bit words of each
 * 64-bit draw; a lane of all zeros would be stuck. */
static void
dropout_seed (PhiliaTape *tape,
              guint32    *state)   /* 4 × MASK_LANES words */
{
  for (guint k = 0; k < 4 * MASK_LANES; k += 2)
    {
      guint64 draw = rng_step (&tape->rng);

      state[k] = (guint32)draw;
      state[k + 1] = (guint32)(draw >> 32) | (k < MASK_LANES ? 1u : 0u);
    }
}

/* Dropped when the 24-bit uniform u satisfies u / 2^24 < p. */
static guint32
dropout_threshold (float p)
{
  return (guint32)ceil ((double)p * 16777216.0);
}

/* mask[i] = 1 (kept) or 0 (dropped with probability p), the streams seeded
 * from the tape's generator. */
void
_philia_dropout_mask_from_tape (PhiliaTape *tape,
                                guint8     *mask,
                                gsize       n,
                                float       p)
{
  guint32 state[4 * MASK_LANES];

  dropout_seed (tape, state);
  dropout_mask (mask, n, state, dropout_threshold (p));
}

/* philia-ops-inplace-private.h */
void
_philia_dropout_stream_init (PhiliaTape          *tape,
                             PhiliaDropoutStream *stream,
                             float                p)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (stream->state) == 4 * MASK_LANES);

  dropout_seed (tape, stream->state);
  stream->threshold = dropout_threshold (p);
}

/* philia-ops-inplace-private.h: x = relu (x) · the factor of the next @n
 * elements' draws, the arithmetic of relu_dropout_apply () (relu, then
 * times keep or 0) with the draws dropout_mask () would have put in the
 * mask, taken from the registers instead of a byte written to memory and
 * read back (6 MB at 11,758 × 512; tests/bench/GRID.md, session 20). */
PHILIA_VECTORIZE void
_philia_dropout_stream_relu (PhiliaDropoutStream *stream,
                             float *restrict      x,
                             gsize                n,
                             float                keep)
{
  guint32 threshold = stream->threshold;
  V8u s0, s1, s2, s3, draw;
  gsize i = 0;

  memcpy (&s0, stream->state, sizeof s0);
  memcpy (&s1, stream->state + MASK_LANES, sizeof s1);
  memcpy (&s2, stream->state + 2 * MASK_LANES, sizeof s2);
  memcpy (&s3, stream->state + 3 * MASK_LANES, sizeof s3);
  for (; i + 8 <= n; i += 8)
    {
      V8f v = v8_load (x + i);
      V8i kept;

      MASK_DRAW (draw, s0, s1, s2, s3);
      kept = (V8i)((draw >> 8) >= threshold);
      v8_store (x + i, v8_select (v > 0, v, (V8f){ 0 })
                       * v8_select (kept, (V8f){ 0 } + keep, (V8f){ 0 }));
    }
  if (i < n)
    {
      MASK_DRAW (draw, s0, s1, s2, s3);
      for (guint k = 0; i + k < n; k++)
        x[i + k] = (x[i + k] > 0 ? x[i + k] : 0.0f) * ((draw[k] >> 8) >= threshold ? keep : 0.0f);
    }
  memcpy (stream->state, &s0, sizeof s0);
  memcpy (stream->state + MASK_LANES, &s1, sizeof s1);
  memcpy (stream->state + 2 * MASK_LANES, &s2, sizeof s2);
  memcpy (stream->state + 3 * MASK_LANES, &s3, sizeof s3);
}

/* philia-ops-hidden-private.h: x = relu (x + b) · the factor of the next
 * draws over @rows rows of @cols (a multiple of eight) with b one row, the
 * sums of add_in_place () (philia-ops-inplace.c) and then the arithmetic of
 * _philia_dropout_stream_relu () above, in one pass: that pass waits on the
 * stream's draws, not on memory, so the add costs little there, where its
 * own pass was one more round trip of the [n, H] product through memory
 * (tests/bench/GRID.md, session 21). */
PHILIA_VECTORIZE void
_philia_dropout_stream_bias_relu (PhiliaDropoutStream *stream,
                                  float *restrict      x,
                                  const float         *b,
                                  guint                rows,
                                  guint                cols,
                                  float                keep)
{
  guint32 threshold = stream->threshold;
  V8u s0, s1, s2, s3, draw;

  g_return_if_fail (cols % 8 == 0);

  memcpy (&s0, stream->state, sizeof s0);
  memcpy (&s1, stream->state + MASK_LANES, sizeof s1);
  memcpy (&s2, stream->state + 2 * MASK_LANES, sizeof s2);
  memcpy (&s3, stream->state + 3 * MASK_LANES, sizeof s3);
  for (guint r = 0; r < rows; r++)
    {
      float *restrict xr = x + (gsize)r * cols;

      for (guint j = 0; j < cols; j += 8)
        {
          V8f v = v8_load (xr + j) + v8_load (b + j);
          V8i kept;

          MASK_DRAW (draw, s0, s1, s2, s3);
          kept = (V8i)((draw >> 8) >= threshold);
          v8_store (xr + j, v8_select (v > 0, v, (V8f){ 0 })
                            * v8_select (kept, (V8f){ 0 } + keep, (V8f){ 0 }));
        }
    }
  memcpy (stream->state, &s0, sizeof s0);
  memcpy (stream->state + MASK_LANES, &s1, sizeof s1);
  memcpy (stream->state + 2 * MASK_LANES, &s2, sizeof s2);
  memcpy (stream->state + 3 * MASK_LANES, &s3, sizeof s3);
}

PHILIA_VECTORIZE void
_philia_dropout_apply (float *restrict        out,
                       const float *restrict  x,
                       const guint8 *restrict mask,
                       gsize                  n,
                       float                  keep)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    v8_store (out + i, v8_load (x + i) * v8_mask_factor (mask + i, keep));
  for (; i < n; i++)
    out[i] = x[i] * (mask[i] ? keep : 0.0f);
}

PHILIA_VECTORIZE static void
dropout_grad (float *restrict ga,
              const float *restrict g,
              const guint8 *restrict mask,
              gsize        n,
              float        keep,
              gboolean     fresh)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      V8f r = v8_load (g + i) * v8_mask_factor (mask + i, keep);

      v8_store (ga + i, fresh ? r : v8_load (ga + i) + r);
    }
  for (; i < n; i++)
    {
      float r = g[i] * (mask[i] ? keep : 0.0f);

      ga[i] = fresh ? r : ga[i] + r;
    }
}

static void
dropout_backward (PhiliaTape *tape,
                  Node       *node)
{
  gboolean fresh;
  float *ga = grad_for_write (tape, node->in[0], &fresh);

  dropout_grad (ga, node->out->grad, node->mask, tensor_size (node->out), node->f,
                fresh);
}

typedef void (*MaskApply) (float *restrict, const float *restrict, const guint8 *restrict,
                           gsize, float);

/* A masked op's pass over a block of rows: elementwise, so the tape may
 * split the rows between threads with the same bits (on two threads the
 * hidden layer's fused op gives way to these separate ops, and unsplit
 * they were a fifth of a GCN 512 step there; tests/bench/GRID.md, session
 * 17). */
typedef struct
{
  MaskApply      apply;
  float         *out;
  const float   *x;
  const guint8  *mask;
  gsize          cols;
  float          keep;
} MaskRows;

static void
mask_rows (gpointer data,
           guint    begin,
           guint    end)
{
  MaskRows *j = data;
  gsize first = (gsize)begin * j->cols;

  j->apply (j->out + first, j->x + first, j->mask + first, (gsize)(end - begin) * j->cols,
            j->keep);
}

/* out = apply (a, fresh mask, 1/(1 − p)), recorded with @backward; the mask
 * lives in a tape buffer, reused step after step like the tensors'. With
 * @mask_in_output the backward pass reads which elements were kept from the
 * output, and the mask goes back to the pool at once (n bytes an element
 * fewer alive through the step). */
static PhiliaTensor *
masked_op (PhiliaTape   *tape,
           PhiliaTensor *a,
           float         p,
           MaskApply     apply,
           void        (*backward) (PhiliaTape *, Node *),
           gboolean      mask_in_output)
{
  gsize n = tensor_size (a), mask_floats = MAX ((n + 3) / 4, 1);
  float keep = 1.0f / (1.0f - p);
  guint8 *mask;
  PhiliaTensor *out;
  Node *node;

  if (mask_in_output)
    mask = (guint8 *)_philia_tape_pool_take (tape, mask_floats);
  else
    mask = (guint8 *)tape_tensor_uninit (tape, 1, (guint)mask_floats)->data;
  _philia_dropout_mask_from_tape (tape, mask, n, p);
  out = tape_tensor_uninit (tape, a->rows, a->cols);
  {
    MaskRows job = { apply, out->data, a->data, mask, a->cols, keep };

    /* Four bytes read, one of mask and four written an element. */
    _philia_tape_parallel_rows_cost (tape, a->rows, NULL, 0, 9.0 * (double)n, mask_rows, &job);
  }
  if (mask_in_output)
    {
      _philia_tape_pool_give (tape, mask_floats, (float *)mask);
      mask = NULL;
    }
  node = record (tape, backward, out, a, NULL, NULL);
  if (node != NULL)
    {
      node->mask = mask;
      node->f = keep;
    }
  return out;
}

PhiliaTensor *
philia_op_dropout (PhiliaTape   *tape,
                   PhiliaTensor *a,
                   float         p)
{
  g_return_val_if_fail (a != NULL && p >= 0 && p < 1, NULL);

  if (!tape->training || p == 0)
    return a;
  return masked_op (tape, a, p, _philia_dropout_apply, dropout_backward, FALSE);
}

/* dropout (relu (a)) in one pass each way: no intermediate tensor, and the
 * backward reads the input and the mask once. Same mask draws as dropout. */
/* Written as relu then the mask's factor (the composition's bits), eight lanes
 * by hand: GCC leaves the byte-mask select scalar here. */
PHILIA_VECTORIZE static void
relu_dropout_apply (float *restrict out,
                    const float *restrict x,
                    const guint8 *restrict mask,
                    gsize        n,
                    float        keep)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      V8f v = v8_load (x + i);

      v8_store (out + i, v8_select (v > 0, v, (V8f){ 0 }) * v8_mask_factor (mask + i, keep));
    }
  for (; i < n; i++)
    out[i] = (x[i] > 0 ? x[i] : 0.0f) * (mask[i] ? keep : 0.0f);
}

/* The kept positive elements are those whose output is positive (the
 * output is x / (1 − p) there, never below x, and 0 elsewhere): the same
 * factor as the mask's and the input's sign together, read from one tensor. */
PHILIA_VECTORIZE static void
relu_dropout_grad (float *restrict ga,
                   const float *restrict y,
                   const float *restrict g,
                   gsize        n,
                   float        keep,
                   gboolean     fresh)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      V8f r = v8_select (v8_load (y + i) > 0, v8_load (g + i) * keep, (V8f){ 0 });

      v8_store (ga + i, fresh ? r : v8_load (ga + i) + r);
    }
  for (; i < n; i++)
    {
      float r = y[i] > 0 ? g[i] * keep : 0.0f;

      ga[i] = fresh ? r : ga[i] + r;
    }
}

/* The same, rewriting the output's gradient in place into the input's. */
PHILIA_VECTORIZE static void
relu_dropout_grad_in_place (float *g,
                            const float *restrict y,
                            gsize        n,
                            float        keep)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    v8_store (g + i, v8_select (v8_load (y + i) > 0, v8_load (g + i) * keep, (V8f){ 0 }));
  for (; i < n; i++)
    g[i] = y[i] > 0 ? g[i] * keep : 0.0f;
}

/* The backward pass over a block of rows (elementwise: any split gives the
 * same bits); @g NULL rewrites @ga in place. */
typedef struct
{
  float       *ga;
  const float *y, *g;
  gsize        cols;
  float        keep;
  gboolean     fresh;
} ReluDropoutRows;

static void
relu_dropout_grad_rows (gpointer data,
                        guint    begin,
                        guint    end)
{
  ReluDropoutRows *j = data;
  gsize first = (gsize)begin * j->cols, n = (gsize)(end - begin) * j->cols;

  if (j->g == NULL)
    relu_dropout_grad_in_place (j->ga + first, j->y + first, n, j->keep);
  else
    relu_dropout_grad (j->ga + first, j->y + first, j->g + first, n, j->keep, j->fresh);
}

static void
relu_dropout_backward (PhiliaTape *tape,
                       Node       *node)
{
  ReluDropoutRows job = { NULL, node->out->data, NULL, node->out->cols, node->f, TRUE };
  gsize n = tensor_size (node->out);

  job.ga = grad_steal_from_output (tape, node, node->in[0]);
  if (job.ga == NULL)
    {
      job.ga = grad_for_write (tape, node->in[0], &job.fresh);
      job.g = node->out->grad;
    }
  /* Eight bytes read and four written an element in place; four more read
   * (and four when adding) otherwise. */
  _philia_tape_parallel_rows_cost (tape, node->out->rows, NULL, 0,
                                   (job.g == NULL ? 12.0 : 16.0) * (double)n,
                                   relu_dropout_grad_rows, &job);
}

PhiliaTensor *
philia_op_relu_dropout (PhiliaTape   *tape,
                        PhiliaTensor *a,
                        float         p)
{
  g_return_val_if_fail (a != NULL && p >= 0 && p < 1, NULL);

  if (!tape->training || p == 0)
    return philia_op_relu (tape, a);
  return masked_op (tape, a, p, relu_dropout_apply, relu_dropout_backward, TRUE);
}

/* For the in-place form (philia-ops-inplace.c). */
void
_philia_relu_dropout_backward (PhiliaTape *tape,
                               Node       *node)
{
  relu_dropout_backward (tape, node);
}

/* philia_op_add ()'s backward pass, for the in-place form. */
void
_philia_add_backward (PhiliaTape *tape,
                      Node       *node)
{
  add_backward (tape, node);
}
