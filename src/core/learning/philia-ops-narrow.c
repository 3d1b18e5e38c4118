/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Products with a narrow output (HACKING.md §7): SGC's logistic regression
 * on Â^K X is an [n, F] · [F, C] product with C the number of classes. At
 * F 128 and C 5 OpenBLAS spent more time packing X than multiplying (perf:
 * sgemm_oncopy and otcopy 32 % of the epoch, its kernel 31 %); here every
 * row of X is read once each way, eight features at a time. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-tape-private.h"
#include "philia-cost-private.h"
#include "philia-simd-private.h"
#include "philia-ops-narrow-private.h"

#include <cblas.h>
#include <string.h>

/* Rows of X a backward block reads (16 KB at F 128): they stay in the L1
 * cache while every group of eight features goes over them. */
#define NARROW_BLOCK 32

#if defined(__GNUC__) && !defined(__clang__)
# pragma GCC diagnostic ignored "-Wpsabi"
#endif

static inline G_ALWAYS_INLINE float
v8_sum (V8f v)
{
  float s = 0;

  for (int i = 0; i < 8; i++)
    s += v[i];
  return s;
}

/* y[r][c] = b[c] + Σ_k x[r][k] wt[c][k], with @c a constant after inlining
 * so that the accumulators stay in registers. */
static inline G_ALWAYS_INLINE void
narrow_forward_c (float *restrict       y,
                  const float *restrict x,
                  const float *restrict wt,
                  const float *restrict b,
                  guint                 rows,
                  guint                 f,
                  const guint           c)
{
  for (guint r = 0; r < rows; r++)
    {
      const float *restrict xr = x + (gsize)r * f;
      V8f acc[PHILIA_NARROW_MAX] = { { 0 } };
      float tail[PHILIA_NARROW_MAX] = { 0 };
      guint k = 0;

      for (; k + 8 <= f; k += 8)
        {
          V8f v = v8_load (xr + k);

          for (guint j = 0; j < c; j++)
            acc[j] += v * v8_load (wt + (gsize)j * f + k);
        }
      for (; k < f; k++)
        for (guint j = 0; j < c; j++)
          tail[j] += xr[k] * wt[(gsize)j * f + k];
      for (guint j = 0; j < c; j++)
        y[(gsize)r * c + j] = (v8_sum (acc[j]) + tail[j]) + b[j];
    }
}

PHILIA_VECTORIZE static void
narrow_forward (float *restrict       y,
                const float *restrict x,
                const float *restrict wt,
                const float *restrict b,
                guint                 rows,
                guint                 f,
                guint                 c)
{
  switch (c)
    {
    case 1: narrow_forward_c (y, x, wt, b, rows, f, 1); break;
    case 2: narrow_forward_c (y, x, wt, b, rows, f, 2); break;
    case 3: narrow_forward_c (y, x, wt, b, rows, f, 3); break;
    case 4: narrow_forward_c (y, x, wt, b, rows, f, 4); break;
    case 5: narrow_forward_c (y, x, wt, b, rows, f, 5); break;
    case 6: narrow_forward_c (y, x, wt, b, rows, f, 6); break;
    case 7: narrow_forward_c (y, x, wt, b, rows, f, 7); break;
    default: narrow_forward_c (y, x, wt, b, rows, f, 8); break;
    }
}

/* gt[c][k] += Σ_r x[r][k] dy[r][c]: a block of rows at a time, each group of
 * eight features summed over the block in registers. */
static inline G_ALWAYS_INLINE void
narrow_grad_c (float *restrict       gt,
               const float *restrict x,
               const float *restrict dy,
               guint                 rows,
               guint                 f,
               const guint           c)
{
  for (guint r0 = 0; r0 < rows; r0 += NARROW_BLOCK)
    {
      guint r1 = MIN (rows, r0 + NARROW_BLOCK), k = 0;

      /* Sixteen features at a time: each lane's sum over the block's rows
       * in order, as two groups of eight were (one 512-bit multiply-add
       * where the CPU has them, two 256-bit ones otherwise). */
      for (; k + 16 <= f; k += 16)
        {
          V16f acc[PHILIA_NARROW_MAX] = { { 0 } };

          for (guint r = r0; r < r1; r++)
            {
              V16f v = v16_load (x + (gsize)r * f + k);

              for (guint j = 0; j < c; j++)
                acc[j] += v * dy[(gsize)r * c + j];
            }
          for (guint j = 0; j < c; j++)
            v16_store (gt + (gsize)j * f + k, v16_load (gt + (gsize)j * f + k) + acc[j]);
        }
      for (; k + 8 <= f; k += 8)
        {
          V8f acc[PHILIA_NARROW_MAX] = { { 0 } };

          for (guint r = r0; r < r1; r++)
            {
              V8f v = v8_load (x + (gsize)r * f + k);

              for (guint j = 0; j < c; j++)
                acc[j] += v * dy[(gsize)r * c + j];
            }
          for (guint j = 0; j < c; j++)
            v8_store (gt + (gsize)j * f + k, v8_load (gt + (gsize)j * f + k) + acc[j]);
        }
      for (; k < f; k++)
        for (guint r = r0; r < r1; r++)
          for (guint j = 0; j < c; j++)
            gt[(gsize)j * f + k] += x[(gsize)r * f + k] * dy[(gsize)r * c + j];
    }
}

PHILIA_VECTORIZE_V4 static void
narrow_grad (float *restrict       gt,
             const float *restrict x,
             const float *restrict dy,
             guint                 rows,
             guint                 f,
             guint                 c)
{
  switch (c)
    {
    case 1: narrow_grad_c (gt, x, dy, rows, f, 1); break;
    case 2: narrow_grad_c (gt, x, dy, rows, f, 2); break;
    case 3: narrow_grad_c (gt, x, dy, rows, f, 3); break;
    case 4: narrow_grad_c (gt, x, dy, rows, f, 4); break;
    case 5: narrow_grad_c (gt, x, dy, rows, f, 5); break;
    case 6: narrow_grad_c (gt, x, dy, rows, f, 6); break;
    case 7: narrow_grad_c (gt, x, dy, rows, f, 7); break;
    default: narrow_grad_c (gt, x, dy, rows, f, 8); break;
    }
}

static void
narrow_backward (PhiliaTape *tape,
                 Node       *node)
{
  PhiliaTensor *x = node->in[0], *w = node->in[1], *b = node->in[2], *y = node->out;
  guint n = x->rows, f = x->cols, c = w->cols;
  const float *dy = y->grad;
  gboolean fresh;

  if (b->requires_grad)
    {
      float *gb = ensure_grad (b);

      for (guint r = 0; r < n; r++)
        for (guint j = 0; j < c; j++)
          gb[j] += dy[(gsize)r * c + j];
    }
  if (w->requires_grad)
    {
      g_autofree float *gt = g_new0 (float, (gsize)c * f);
      float *g = grad_for_write (tape, w, &fresh);

      narrow_grad (gt, x->data, dy, n, f, c);
      for (guint k = 0; k < f; k++)
        for (guint j = 0; j < c; j++)
          g[(gsize)k * c + j] = (fresh ? 0.0f : g[(gsize)k * c + j]) + gt[(gsize)j * f + k];
    }
  if (x->requires_grad)
    {
      float *g = grad_for_write (tape, x, &fresh);

      _philia_sgemm (tape, CblasNoTrans, CblasTrans, n, f, c, 1.0f, dy, c, w->data, c,
                     fresh ? 0.0f : 1.0f, g, f);
    }
}

PhiliaTensor *
_philia_op_linear_narrow (PhiliaTape   *tape,
                          PhiliaTensor *x,
                          PhiliaTensor *w,
                          PhiliaTensor *b)
{
  guint n, f, c;
  g_autofree float *wt = NULL;
  PhiliaTensor *y;
  Node node = { 0 };

  g_return_val_if_fail (x != NULL && w != NULL && b != NULL && x->cols == w->rows, NULL);
  g_return_val_if_fail (b->rows == 1 && b->cols == w->cols, NULL);
  g_return_val_if_fail (w->cols >= 1 && w->cols <= PHILIA_NARROW_MAX, NULL);

  n = x->rows;
  f = x->cols;
  c = w->cols;
  /* Wᵀ, so that each class's weights are contiguous like X's rows. */
  wt = g_new (float, (gsize)c * f + 1);
  for (guint k = 0; k < f; k++)
    for (guint j = 0; j < c; j++)
      wt[(gsize)j * f + k] = w->data[(gsize)k * c + j];
  y = tape_tensor_uninit (tape, n, c);
  narrow_forward (y->data, x->data, wt, b->data, n, f, c);
  if (!(x->requires_grad || w->requires_grad || b->requires_grad))
    return y;
  node.backward = narrow_backward;
  node.out = y;
  node.in[0] = x;
  node.in[1] = w;
  node.in[2] = b;
  y->requires_grad = TRUE;
  g_array_append_val (tape->nodes, node);
  return y;
}
