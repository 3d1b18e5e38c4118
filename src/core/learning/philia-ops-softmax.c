/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Softmax and the loss, and the index ops: gather, scatter, slices (HACKING.md §7). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-tape-private.h"
#include "philia-simd-private.h"
#include "philia-log-approx-private.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------ softmax and loss */

/* The clamps of the scalar versions become branches: GCC does not vectorise
 * a plain loop of them, so these go eight lanes at a time by hand. */
PHILIA_VECTORIZE static void
vec_exp (float *restrict y,
         const float *restrict x,
         gsize        n)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    v8_store (y + i, v8_exp_approx (v8_load (x + i)));
  for (; i < n; i++)
    y[i] = exp_approx (x[i]);
}

PHILIA_VECTORIZE static void
vec_log_in_place (float *restrict v,
                  gsize           n)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    v8_store (v + i, v8_log_approx (v8_load (v + i)));
  for (; i < n; i++)
    v[i] = log_approx (v[i]);
}

/* ga += g − e^y · s, s repeated over each row's classes. */
PHILIA_VECTORIZE static void
log_softmax_grad (float *restrict ga,
                  const float *restrict g,
                  const float *restrict y,
                  const float *restrict s,
                  gsize        n)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    v8_store (ga + i, v8_load (ga + i) + (v8_load (g + i)
                                          - v8_exp_approx (v8_load (y + i)) * v8_load (s + i)));
  for (; i < n; i++)
    ga[i] += g[i] - exp_approx (y[i]) * s[i];
}

/* The per-row steps of log-softmax with the class count C a compile-time
 * constant for C ≤ 8 (straight-line rows GCC can interleave), any C otherwise:
 * shift each row by its max (NaN for a row with a non-finite logit), the
 * row sums of the exponentials, the output. */
#define LOG_SOFTMAX_ROWS(NAME, C_EXPR, C_PARAM)                                        \
  PHILIA_VECTORIZE static void                                                        \
  log_softmax_shift_##NAME (float *restrict shifted, const float *restrict x,         \
                            guint rows C_PARAM)                                        \
  {                                                                                   \
    const guint c = (C_EXPR);                                                         \
                                                                                      \
    for (guint r = 0; r < rows; r++)                                                  \
      {                                                                               \
        const float *xr = x + (gsize)r * c;                                           \
        float mx = xr[0], bad = 0;                                                    \
                                                                                      \
        for (guint j = 1; j < c; j++)                                                 \
          mx = xr[j] > mx ? xr[j] : mx;                                               \
        for (guint j = 0; j < c; j++)                                                 \
          bad += xr[j] - xr[j];                                                       \
        mx += bad;                                                                    \
        for (guint j = 0; j < c; j++)                                                 \
          shifted[(gsize)r * c + j] = xr[j] - mx;                                     \
      }                                                                               \
  }                                                                                   \
  PHILIA_VECTORIZE static void                                                        \
  log_softmax_sum_##NAME (float *restrict sums, const float *restrict e, guint rows   \
                          C_PARAM)                                                    \
  {                                                                                   \
    const guint c = (C_EXPR);                                                         \
                                                                                      \
    for (guint r = 0; r < rows; r++)                                                  \
      {                                                                               \
        float sum = 0;                                                                \
                                                                                      \
        for (guint j = 0; j < c; j++)                                                 \
          sum += e[(gsize)r * c + j];                                                 \
        sums[r] = sum;                                                                \
      }                                                                               \
  }                                                                                   \
  PHILIA_VECTORIZE static void                                                        \
  log_softmax_out_##NAME (float *restrict y, const float *restrict shifted,           \
                          const float *restrict lse, guint rows C_PARAM)               \
  {                                                                                   \
    const guint c = (C_EXPR);                                                         \
                                                                                      \
    for (guint r = 0; r < rows; r++)                                                  \
      for (guint j = 0; j < c; j++)                                                   \
        y[(gsize)r * c + j] = shifted[(gsize)r * c + j] - lse[r];                     \
  }                                                                                   \
  /* The backward pass's Σ dy of each row, repeated over its classes. */              \
  PHILIA_VECTORIZE static void                                                        \
  log_softmax_gsum_##NAME (float *restrict sums, const float *restrict g, guint rows  \
                           C_PARAM)                                                   \
  {                                                                                   \
    const guint c = (C_EXPR);                                                         \
                                                                                      \
    for (guint r = 0; r < rows; r++)                                                  \
      {                                                                               \
        float sum = 0;                                                                \
                                                                                      \
        for (guint j = 0; j < c; j++)                                                 \
          sum += g[(gsize)r * c + j];                                                 \
        for (guint j = 0; j < c; j++)                                                 \
          sums[(gsize)r * c + j] = sum;                                               \
      }                                                                               \
  }

#define NO_PARAM
#define COLS_PARAM , guint cols
LOG_SOFTMAX_ROWS (2, 2, NO_PARAM) LOG_SOFTMAX_ROWS (3, 3, NO_PARAM)
LOG_SOFTMAX_ROWS (4, 4, NO_PARAM) LOG_SOFTMAX_ROWS (5, 5, NO_PARAM)
LOG_SOFTMAX_ROWS (6, 6, NO_PARAM) LOG_SOFTMAX_ROWS (7, 7, NO_PARAM)
LOG_SOFTMAX_ROWS (8, 8, NO_PARAM) LOG_SOFTMAX_ROWS (any, cols, COLS_PARAM)
#undef NO_PARAM
#undef COLS_PARAM

typedef enum { LS_SHIFT, LS_SUM, LS_OUT, LS_GSUM } LogSoftmaxStep;

#define LS_CASE(C)                                                                   \
  case C:                                                                            \
    switch (step)                                                                    \
      {                                                                              \
      case LS_SHIFT: log_softmax_shift_##C (a, b, rows); return;                     \
      case LS_SUM: log_softmax_sum_##C (a, b, rows); return;                         \
      case LS_OUT: log_softmax_out_##C (a, b, lse, rows); return;                    \
      case LS_GSUM: log_softmax_gsum_##C (a, b, rows); return;                       \
      default: g_assert_not_reached ();                                              \
      }

static void
log_softmax_step (LogSoftmaxStep step,
                  float         *a,
                  const float   *b,
                  const float   *lse,
                  guint          rows,
                  guint          cols)
{
  switch (cols)
    {
      LS_CASE (2) LS_CASE (3) LS_CASE (4) LS_CASE (5) LS_CASE (6) LS_CASE (7) LS_CASE (8)
    default:
      switch (step)
        {
        case LS_SHIFT: log_softmax_shift_any (a, b, rows, cols); return;
        case LS_SUM: log_softmax_sum_any (a, b, rows, cols); return;
        case LS_OUT: log_softmax_out_any (a, b, lse, rows, cols); return;
        case LS_GSUM: log_softmax_gsum_any (a, b, rows, cols); return;
        default: g_assert_not_reached ();
        }
    }
}

static void
log_softmax_backward (PhiliaTape *tape,
                      Node       *node)
{
  PhiliaTensor *a = node->in[0], *out = node->out;
  gsize n = tensor_size (out);
  float *sums = _philia_tape_pool_take (tape, MAX (n, 1));

  /* dx = dy − softmax · Σ dy */
  if (out->cols > 0)
    log_softmax_step (LS_GSUM, sums, out->grad, NULL, out->rows, out->cols);
  log_softmax_grad (ensure_grad (a), out->grad, out->data, sums, n);
  _philia_tape_pool_give (tape, MAX (n, 1), sums);
}

/* Classes are few (2 to a few dozen), so the exponentials and logarithms run
 * as flat vectorised passes over all rows, the per-row max and sums between
 * them. Sums of exponentials in float (each term ≤ 1). An infinite or NaN
 * logit makes its whole row NaN, as a direct evaluation would. */
PhiliaTensor *
philia_op_log_softmax (PhiliaTape   *tape,
                       PhiliaTensor *a)
{
  PhiliaTensor *out;
  guint c, rows;
  gsize n;
  float *shifted, *lse;

  g_return_val_if_fail (a != NULL, NULL);

  c = a->cols;
  rows = a->rows;
  n = tensor_size (a);
  out = tape_tensor_uninit (tape, rows, c);
  if (c > 0 && rows > 0)
    {
      shifted = _philia_tape_pool_take (tape, n);
      lse = _philia_tape_pool_take (tape, rows);
      _philia_log_softmax_rows (out->data, a->data, rows, c, shifted, lse);
      _philia_tape_pool_give (tape, n, shifted);
      _philia_tape_pool_give (tape, rows, lse);
    }
  record (tape, log_softmax_backward, out, a, NULL, NULL);
  return out;
}

void
_philia_log_softmax_rows (float       *y,
                          const float *x,
                          guint        rows,
                          guint        c,
                          float       *shifted,
                          float       *lse)
{
  if (c == 0 || rows == 0)
    return;
  log_softmax_step (LS_SHIFT, shifted, x, NULL, rows, c);
  vec_exp (y, shifted, (gsize)rows * c);       /* e^(x − max) for now */
  log_softmax_step (LS_SUM, lse, y, NULL, rows, c);
  vec_log_in_place (lse, rows);
  log_softmax_step (LS_OUT, y, shifted, lse, rows, c);
}

void
_philia_nll_log_softmax_grad (float        *dy,
                              const float  *logp,
                              const gint32 *labels,
                              const guint8 *mask,
                              guint         rows,
                              guint         c,
                              float         scale,
                              float        *g,
                              float        *sums)
{
  gsize n = (gsize)rows * c;

  if (c == 0 || rows == 0)
    return;
  /* nll_backward () on a zeroed gradient, then log_softmax_backward () into
   * a zeroed one: the same functions, so the same bits. */
  memset (g, 0, sizeof (float) * n);
  for (guint i = 0; i < rows; i++)
    if (labels[i] >= 0 && (mask == NULL || mask[i]))
      g[(gsize)i * c + labels[i]] -= scale;
  log_softmax_step (LS_GSUM, sums, g, NULL, rows, c);
  memset (dy, 0, sizeof (float) * n);
  log_softmax_grad (dy, g, logp, sums, n);
}

typedef struct
{
  const gint32 *labels;
  const guint8 *mask;
  double        count;
} NllSaved;

static gboolean
nll_counts (const NllSaved *s,
            guint           i)
{
  return s->labels[i] >= 0 && (s->mask == NULL || s->mask[i]);
}

static void
nll_backward (PhiliaTape *tape,
              Node       *node)
{
  const NllSaved *s = node->saved;
  PhiliaTensor *logp = node->in[0];
  float *g = ensure_grad (logp);
  float scale = (float)(node->out->grad[0] / s->count);

  for (guint i = 0; i < logp->rows; i++)
    if (nll_counts (s, i))
      g[(gsize)i * logp->cols + s->labels[i]] -= scale;
}

PhiliaTensor *
philia_op_nll (PhiliaTape   *tape,
               PhiliaTensor *logp,
               const gint32 *labels,
               const guint8 *mask)
{
  PhiliaTensor *out;
  NllSaved s = { labels, mask, 0 };
  double sum = 0;
  Node *node;

  g_return_val_if_fail (logp != NULL && labels != NULL, NULL);
  g_return_val_if_fail (logp->cols > 0 || logp->rows == 0, NULL);

  {
    const float *restrict data = logp->data;
    guint cols = logp->cols;
    gint64 count = 0;
    gboolean bad = FALSE;

    for (guint i = 0; i < logp->rows; i++)
      if (labels[i] >= 0 && (mask == NULL || mask[i]))
        {
          bad |= (guint)labels[i] >= cols;
          sum -= data[(gsize)i * cols + MIN ((guint)labels[i], cols - 1)];
          count++;
        }
    g_return_val_if_fail (!bad, NULL);
    s.count = count;
  }
  out = tape_tensor (tape, 1, 1);
  out->data[0] = s.count > 0 ? (float)(sum / s.count) : NAN;
  node = record (tape, nll_backward, out, logp, NULL, NULL);
  if (node != NULL)
    node->saved = g_memdup2 (&s, sizeof s);
  return out;
}

/* ------------------------------------------------------- gather, scatter */

static void
index_select_backward (PhiliaTape *tape,
                       Node       *node)
{
  PhiliaTensor *a = node->in[0], *out = node->out;
  float *ga = ensure_grad (a);
  guint c = a->cols;

  for (guint k = 0; k < node->n_index; k++)
    {
      float *dst = ga + (gsize)node->index[k] * c;
      const float *src = out->grad + (gsize)k * c;

      for (guint j = 0; j < c; j++)
        dst[j] += src[j];
    }
}

PhiliaTensor *
philia_op_index_select (PhiliaTape   *tape,
                        PhiliaTensor *a,
                        const gint32 *index,
                        guint         n_index)
{
  PhiliaTensor *out;
  Node *node;

  g_return_val_if_fail (a != NULL && (index != NULL || n_index == 0), NULL);

  out = tape_tensor_uninit (tape, n_index, a->cols);
  for (guint k = 0; k < n_index; k++)
    {
      g_return_val_if_fail ((guint)index[k] < a->rows, NULL);
      memcpy (out->data + (gsize)k * a->cols, a->data + (gsize)index[k] * a->cols,
              sizeof (float) * a->cols);
    }
  node = record (tape, index_select_backward, out, a, NULL, NULL);
  if (node != NULL)
    {
      node->index = index;
      node->n_index = n_index;
    }
  return out;
}

static void
scatter_add_backward (PhiliaTape *tape,
                      Node       *node)
{
  PhiliaTensor *a = node->in[0], *out = node->out;
  float *ga = ensure_grad (a);
  guint c = a->cols;

  for (guint k = 0; k < a->rows; k++)
    {
      const float *src = out->grad + (gsize)node->index[k] * c;
      float *dst = ga + (gsize)k * c;

      for (guint j = 0; j < c; j++)
        dst[j] += src[j];
    }
}

PhiliaTensor *
philia_op_scatter_add (PhiliaTape   *tape,
                       PhiliaTensor *a,
                       const gint32 *index,
                       guint         n_out)
{
  PhiliaTensor *out;
  Node *node;

  g_return_val_if_fail (a != NULL && (index != NULL || a->rows == 0), NULL);

  out = tape_tensor (tape, n_out, a->cols);
  for (guint k = 0; k < a->rows; k++)
    {
      float *dst;
      const float *src = a->data + (gsize)k * a->cols;

      g_return_val_if_fail ((guint)index[k] < n_out, NULL);
      dst = out->data + (gsize)index[k] * a->cols;
      for (guint j = 0; j < a->cols; j++)
        dst[j] += src[j];
    }
  node = record (tape, scatter_add_backward, out, a, NULL, NULL);
  if (node != NULL)
    node->index = index;
  return out;
}

static void
concat_backward (PhiliaTape *tape,
                 Node       *node)
{
  PhiliaTensor *a = node->in[0], *b = node->in[1], *out = node->out;

  for (guint r = 0; r < out->rows; r++)
    {
      const float *g = out->grad + (gsize)r * out->cols;

      if (a->requires_grad)
        {
          float *ga = ensure_grad (a) + (gsize)r * a->cols;

          for (guint j = 0; j < a->cols; j++)
            ga[j] += g[j];
        }
      if (b->requires_grad)
        {
          float *gb = ensure_grad (b) + (gsize)r * b->cols;

          for (guint j = 0; j < b->cols; j++)
            gb[j] += g[a->cols + j];
        }
    }
}

PhiliaTensor *
philia_op_concat (PhiliaTape   *tape,
                  PhiliaTensor *a,
                  PhiliaTensor *b)
{
  PhiliaTensor *out;

  g_return_val_if_fail (a != NULL && b != NULL && a->rows == b->rows, NULL);

  out = tape_tensor_uninit (tape, a->rows, a->cols + b->cols);
  for (guint r = 0; r < a->rows; r++)
    {
      memcpy (out->data + (gsize)r * out->cols, a->data + (gsize)r * a->cols,
              sizeof (float) * a->cols);
      memcpy (out->data + (gsize)r * out->cols + a->cols, b->data + (gsize)r * b->cols,
              sizeof (float) * b->cols);
    }
  record (tape, concat_backward, out, a, b, NULL);
  return out;
}

static void
columns_backward (PhiliaTape *tape,
                  Node       *node)
{
  PhiliaTensor *a = node->in[0], *out = node->out;
  float *ga = ensure_grad (a);

  for (guint r = 0; r < out->rows; r++)
    {
      const float *g = out->grad + (gsize)r * out->cols;
      float *d = ga + (gsize)r * a->cols + node->n_index;

      for (guint j = 0; j < out->cols; j++)
        d[j] += g[j];
    }
}

PhiliaTensor *
philia_op_columns (PhiliaTape   *tape,
                   PhiliaTensor *a,
                   guint         begin,
                   guint         count)
{
  PhiliaTensor *out;
  Node *node;

  g_return_val_if_fail (a != NULL && begin <= a->cols && count <= a->cols - begin, NULL);

  out = tape_tensor_uninit (tape, a->rows, count);
  for (guint r = 0; r < a->rows; r++)
    memcpy (out->data + (gsize)r * count, a->data + (gsize)r * a->cols + begin,
            sizeof (float) * count);
  node = record (tape, columns_backward, out, a, NULL, NULL);
  if (node != NULL)
    node->n_index = begin;
  return out;
}

static void
scale_by_backward (PhiliaTape *tape,
                   Node       *node)
{
  PhiliaTensor *a = node->in[0], *g = node->in[1], *out = node->out;
  gsize n = tensor_size (out);
  guint k = node->n_index;

  if (a->requires_grad)
    {
      float *ga = ensure_grad (a);
      float s = g->data[k];

      for (gsize i = 0; i < n; i++)
        ga[i] += s * out->grad[i];
    }
  if (g->requires_grad)
    {
      double acc = 0;

      for (gsize i = 0; i < n; i++)
        acc += (double)a->data[i] * out->grad[i];
      ensure_grad (g)[k] += (float)acc;
    }
}

PhiliaTensor *
philia_op_scale_by (PhiliaTape   *tape,
                    PhiliaTensor *a,
                    PhiliaTensor *g,
                    guint         k)
{
  PhiliaTensor *out;
  Node *node;
  float s;

  g_return_val_if_fail (a != NULL && g != NULL && g->rows == 1 && k < g->cols, NULL);

  s = g->data[k];
  out = tape_tensor_uninit (tape, a->rows, a->cols);
  for (gsize i = 0; i < tensor_size (a); i++)
    out->data[i] = s * a->data[i];
  node = record (tape, scale_by_backward, out, a, g, NULL);
  if (node != NULL)
    node->n_index = k;
  return out;
}

PHILIA_VECTORIZE static void
group_sum_grad (float *restrict ga,
                const float *restrict g,
                gsize        groups,
                guint        d)
{
  for (gsize k = 0; k < groups; k++)
    for (guint j = 0; j < d; j++)
      ga[k * d + j] += g[k];
}

static void
group_sum_backward (PhiliaTape *tape,
                    Node       *node)
{
  PhiliaTensor *a = node->in[0], *out = node->out;

  group_sum_grad (ensure_grad (a), out->grad, tensor_size (out), node->n_index);
}

/* Each group's elements summed in order from 0 (the bits of a running sum
 * over the row-major tensor). */
PHILIA_VECTORIZE static void
group_sum_rows (float *restrict o,
                const float *restrict x,
                gsize        groups,
                guint        d)
{
  for (gsize k = 0; k < groups; k++)
    {
      float acc = 0;

      for (guint j = 0; j < d; j++)
        acc += x[k * d + j];
      o[k] = acc;
    }
}

PhiliaTensor *
philia_op_group_sum (PhiliaTape   *tape,
                     PhiliaTensor *a,
                     guint         group_size)
{
  PhiliaTensor *out;
  Node *node;

  g_return_val_if_fail (a != NULL && group_size > 0 && a->cols % group_size == 0, NULL);

  out = tape_tensor_uninit (tape, a->rows, a->cols / group_size);
  group_sum_rows (out->data, a->data, tensor_size (out), group_size);
  node = record (tape, group_sum_backward, out, a, NULL, NULL);
  if (node != NULL)
    node->n_index = group_size;
  return out;
}
