/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Attention: edge scores, edge softmax and fused GAT attention (HACKING.md §7). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-tape-private.h"
#include "philia-cost-private.h"
#include "philia-simd-private.h"
#include "philia-edge-softmax-private.h"
#include "philia-ops-gat-private.h"

#include <math.h>
#include <string.h>

/* ----------------------------------------------------------- edge scores */

typedef struct
{
  const PhiliaSparse *s;
  guint               heads;
  const float        *src;
  const float        *dst;
  float              *out;
  float               slope;
} EdgeScoresTask;

/* With H a compile-time constant (8 heads, or 1) the per-entry loop is straight-line code. */
#define EDGE_SCORES(H)                                                        \
  for (guint v = begin; v < end; v++)                                         \
    {                                                                         \
      const float *d = t->dst + (gsize)v * (H);                               \
                                                                              \
      for (gint64 e = t->s->row_offsets[v]; e < t->s->row_offsets[v + 1]; e++) \
        {                                                                     \
          const float *u = t->src + (gsize)t->s->col_index[e] * (H);          \
          float *o = t->out + e * (H);                                        \
                                                                              \
          for (guint k = 0; k < (H); k++)                                     \
            {                                                                 \
              float x = d[k] + u[k];                                          \
                                                                              \
              o[k] = x > 0 ? x : t->slope * x;                                \
            }                                                                 \
        }                                                                     \
    }

PHILIA_VECTORIZE static void
edge_scores_rows (gpointer data,
                  guint    begin,
                  guint    end)
{
  const EdgeScoresTask *t = data;
  guint h = t->heads;

  if (h == 8)
    {
      EDGE_SCORES (8);
      return;
    }
  if (h == 1)
    {
      EDGE_SCORES (1);
      return;
    }
  for (guint v = begin; v < end; v++)
    {
      const float *d = t->dst + (gsize)v * h;

      for (gint64 e = t->s->row_offsets[v]; e < t->s->row_offsets[v + 1]; e++)
        {
          const float *u = t->src + (gsize)t->s->col_index[e] * h;
          float *o = t->out + e * h;

          for (guint k = 0; k < h; k++)
            {
              float x = d[k] + u[k];

              o[k] = x > 0 ? x : t->slope * x;
            }
        }
    }
}

PHILIA_VECTORIZE static void
edge_scores_backward (PhiliaTape *tape,
                      Node       *node)
{
  PhiliaSparse *s = node->sparse;
  PhiliaTensor *src = node->in[0], *dst = node->in[1], *out = node->out;
  guint h = out->cols;
  float slope = node->f;
  float *gs = src->requires_grad ? ensure_grad (src) : NULL;
  float *gd = dst->requires_grad ? ensure_grad (dst) : NULL;

  /* The output's sign is the input's (slope > 0), so it tells the branch. */
  for (guint v = 0; v < s->rows; v++)
    for (gint64 e = s->row_offsets[v]; e < s->row_offsets[v + 1]; e++)
      for (guint k = 0; k < h; k++)
        {
          float g = out->grad[e * h + k];

          g = out->data[e * h + k] > 0 ? g : slope * g;
          if (gd != NULL)
            gd[(gsize)v * h + k] += g;
          if (gs != NULL)
            gs[(gsize)s->col_index[e] * h + k] += g;
        }
}

PhiliaTensor *
philia_op_edge_scores (PhiliaTape   *tape,
                       PhiliaSparse *s,
                       PhiliaTensor *src,
                       PhiliaTensor *dst,
                       float         slope)
{
  PhiliaTensor *out;
  EdgeScoresTask task;
  Node *node;

  g_return_val_if_fail (s != NULL && src != NULL && dst != NULL, NULL);
  g_return_val_if_fail (src->rows == s->cols && dst->rows == s->rows && src->cols == dst->cols,
                        NULL);
  g_return_val_if_fail (slope > 0, NULL);

  out = tape_tensor_uninit (tape, s->nnz, src->cols);
  task = (EdgeScoresTask) { s, src->cols, src->data, dst->data, out->data, slope };
  _philia_tape_parallel_rows_cost (tape, s->rows, s->row_offsets, (double)s->nnz * src->cols * 2,
                                   4.0 * s->nnz * (src->cols + 2)
                                   + 4.0 * ((double)s->rows + s->cols) * src->cols,
                                   edge_scores_rows, &task);
  node = record (tape, edge_scores_backward, out, src, dst, NULL);
  if (node != NULL)
    {
      node->sparse = philia_sparse_ref (s);
      node->f = slope;
    }
  return out;
}

/* -------------------------------------------------------------- head dot */

/* A row of @n floats from @x, with @pad zeros after it where reading
 * @pad floats past its end would leave @xlen (the last rows): @b holds the
 * copy. */
static inline G_ALWAYS_INLINE const float *
head_row (const float *restrict x,
          gsize                 at,
          gsize                 n,
          gsize                 pad,
          gsize                 xlen,
          float *restrict       b)
{
  if (G_LIKELY (at + n + pad <= xlen))
    return x + at;
  memset (b, 0, sizeof (float) * (n + pad));
  memcpy (b, x + at, sizeof (float) * n);
  return b;
}

/*
 * head_dot_rows for the shapes without a loop of their own (a per-head
 * width not a multiple of 8, or heads other than 8): eight heads in lanes,
 * eight columns of each loaded as a row and transposed (v8_transpose), so
 * that lane h adds head h's products one column after another from 0, each
 * product rounded: the scalar loop's sums, term for term (HACKING.md §7).
 * A head's eight columns may run into the next head's or past the row
 * (those lanes are not added); the last row is read from a zero-padded copy.
 */
static inline G_ALWAYS_INLINE void
head_dot_rows_lanes (float *restrict       o,
                     const float *restrict x,
                     const float *restrict a,
                     guint                 rows,
                     guint                 heads,
                     guint                 d)
{
  gsize n = (gsize)heads * d;
  guint nb = (d + 7) / 8;
  g_autofree float *aT = g_new0 (float, (gsize)nb * 64 * ((heads + 7) / 8));
  g_autofree float *b = g_new (float, n + 8);

  /* a transposed: aT[(g·nb·8 + k)·8 + h] = a[(8g + h)·d + k], zeros past. */
  for (guint g0 = 0; g0 < heads; g0 += 8)
    for (guint h = 0; h < 8 && g0 + h < heads; h++)
      for (guint k = 0; k < d; k++)
        aT[((gsize)(g0 / 8) * nb * 8 + k) * 8 + h] = a[(gsize)(g0 + h) * d + k];
  for (guint r = 0; r < rows; r++)
    {
      const float *restrict xr = head_row (x, (gsize)r * n, n, 8, (gsize)rows * n, b);

      for (guint g0 = 0; g0 < heads; g0 += 8)
        {
          const float *restrict at = aT + (gsize)(g0 / 8) * nb * 64;
          V8f acc = { 0 };

          for (guint kb = 0; kb < d; kb += 8)
            {
              V8f rv[8], c[8];

              for (guint h = 0; h < 8; h++)
                rv[h] = g0 + h < heads ? v8_load (xr + (gsize)(g0 + h) * d + kb) : (V8f){ 0 };
              v8_transpose (rv, c);
              for (guint k = 0; k < 8 && kb + k < d; k++)
                acc += c[k] * v8_load (at + (gsize)(kb + k) * 8);
            }
          if (g0 + 8 <= heads)
            v8_store (o + (gsize)r * heads + g0, acc);
          else
            for (guint h = 0; g0 + h < heads; h++)
              o[(gsize)r * heads + g0 + h] = acc[h];
        }
    }
}

/* Lane j of the vector at column c0 of a row of @heads heads of @d
 * columns: lh[c0 + j], the head of that column (the last head past the
 * row), for c0 < n + 8. */
static gint32 *
head_lanes_new (guint heads,
                guint d)
{
  gsize n = (gsize)heads * d;
  gint32 *lh = g_new (gint32, n + 8);

  for (gsize c = 0; c < n + 8; c++)
    lh[c] = (gint32)MIN (c / d, heads - 1);
  return lh;
}

static inline G_ALWAYS_INLINE V8i
head_lanes (const gint32 *lh,
            gsize         c)
{
  V8i v;

  memcpy (&v, lh + c, sizeof v);
  return v;
}

/* g's row @r (@heads ≤ 8 floats) in lanes, the lanes past it whatever
 * follows (zeros past the end of g). */
static inline G_ALWAYS_INLINE V8f
head_weights (const float *restrict g,
              guint                 r,
              guint                 rows,
              guint                 heads)
{
  V8f v = { 0 };

  if (G_LIKELY ((gsize)r * heads + 8 <= (gsize)rows * heads))
    return v8_load (g + (gsize)r * heads);
  for (guint h = 0; h < heads; h++)
    v[h] = g[(gsize)r * heads + h];
  return v;
}

/*
 * head_dot_grad_x and head_dot_grad_a for up to eight heads of any width:
 * the row as heads·d floats in vectors, each lane's gradient g[r][h] spread
 * by a permute (head_lanes), every element's multiply-add the scalar loop's
 * (HACKING.md §7). A row's last vector is read and written through a
 * zero-padded copy of its floats.
 */
static inline G_ALWAYS_INLINE void
head_dot_grad_x_lanes (float *restrict       gx,
                       const float *restrict g,
                       const float *restrict a,
                       guint                 rows,
                       guint                 heads,
                       guint                 d)
{
  gsize n = (gsize)heads * d, full = n / 8 * 8;
  g_autofree gint32 *lh = head_lanes_new (heads, d);
  g_autofree float *ap = g_new0 (float, full + 8);

  memcpy (ap, a, sizeof (float) * n);
  for (guint r = 0; r < rows; r++)
    {
      float *restrict o = gx + (gsize)r * n;
      V8f gv = head_weights (g, r, rows, heads);

      for (gsize c = 0; c < full; c += 8)
        v8_store (o + c, v8_load (o + c)
                         + v8_permute (gv, head_lanes (lh, c)) * v8_load (ap + c));
      if (full < n)
        {
          float t[8] = { 0 };
          V8f v;

          for (gsize j = 0; full + j < n; j++)
            t[j] = o[full + j];
          v = v8_load (t) + v8_permute (gv, head_lanes (lh, full)) * v8_load (ap + full);
          v8_store (t, v);
          for (gsize j = 0; full + j < n; j++)
            o[full + j] = t[j];
        }
    }
}

static inline G_ALWAYS_INLINE void
head_dot_grad_a_block (float *restrict       ga,
                       const float *restrict g,
                       const float *restrict x,
                       guint                 rows,
                       guint                 heads,
                       guint                 d,
                       const gint32         *lh,
                       gsize                 c0,
                       guint                 NC)
{
  gsize n = (gsize)heads * d, valid = MIN (n - c0, (gsize)8 * NC);
  float t[64] = { 0 }, b[64];
  V8f acc[8];
  V8i hi[8];

  memcpy (t, ga + c0, sizeof (float) * valid);
  for (guint k = 0; k < NC; k++)
    {
      acc[k] = v8_load (t + 8 * k);
      hi[k] = head_lanes (lh, c0 + 8 * k);
    }
  for (guint r = 0; r < rows; r++)
    {
      V8f gv = head_weights (g, r, rows, heads);
      const float *restrict xr = x + (gsize)r * n + c0;

      if (G_UNLIKELY ((gsize)r * n + c0 + 8 * NC > (gsize)rows * n))
        {
          memset (b, 0, sizeof b);
          memcpy (b, xr, sizeof (float) * valid);
          xr = b;
        }
      for (guint k = 0; k < NC; k++)
        acc[k] += v8_permute (gv, hi[k]) * v8_load (xr + 8 * k);
    }
  for (guint k = 0; k < NC; k++)
    v8_store (t + 8 * k, acc[k]);
  memcpy (ga + c0, t, sizeof (float) * valid);
}

static inline G_ALWAYS_INLINE void
head_dot_grad_a_lanes (float *restrict       ga,
                       const float *restrict g,
                       const float *restrict x,
                       guint                 rows,
                       guint                 heads,
                       guint                 d)
{
  gsize n = (gsize)heads * d;
  g_autofree gint32 *lh = head_lanes_new (heads, d);

  /* Blocks of up to eight vectors in registers, the rows inner. */
  for (gsize c0 = 0; c0 < n; c0 += 64)
    switch (MIN ((n - c0 + 7) / 8, 8))
      {
      case 1: head_dot_grad_a_block (ga, g, x, rows, heads, d, lh, c0, 1); break;
      case 2: head_dot_grad_a_block (ga, g, x, rows, heads, d, lh, c0, 2); break;
      case 3: head_dot_grad_a_block (ga, g, x, rows, heads, d, lh, c0, 3); break;
      case 4: head_dot_grad_a_block (ga, g, x, rows, heads, d, lh, c0, 4); break;
      case 5: head_dot_grad_a_block (ga, g, x, rows, heads, d, lh, c0, 5); break;
      case 6: head_dot_grad_a_block (ga, g, x, rows, heads, d, lh, c0, 6); break;
      case 7: head_dot_grad_a_block (ga, g, x, rows, heads, d, lh, c0, 7); break;
      default: head_dot_grad_a_block (ga, g, x, rows, heads, d, lh, c0, 8); break;
      }
}

/* Products rounded before the sum, as mul's output is (no fused
 * multiply-add), summed from 0 in order as group_sum does. */
PHILIA_VECTORIZE_NO_FMA static void
head_dot_rows (float *restrict o,
               const float *restrict x,
               const float *restrict a,
               guint        rows,
               guint        heads,
               guint        d)
{
  gsize n = (gsize)heads * d;

  if (heads == 8 && d == 8)
    {
      /* GAT's 8 heads of 8: the row's 64 products as eight vectors, one a
       * head, transposed so that lane h sums head h's products in order. */
      V8f av[8];

      for (guint h = 0; h < 8; h++)
        av[h] = v8_load (a + h * 8);
      for (guint r = 0; r < rows; r++)
        {
          V8f p[8];

          for (guint h = 0; h < 8; h++)
            p[h] = v8_load (x + (gsize)r * 64 + h * 8) * av[h];
          v8_store (o + (gsize)r * 8, v8_add_lane_sums ((V8f){ 0 }, p));
        }
      return;
    }
  if (heads == 8 && d == 2)
    {
      /* Eight heads of 2 (hidden width 16): each head's two products from
       * the even and the odd lanes, added in order from 0. */
      V8f a0 = v8_load (a), a1 = v8_load (a + 8);

      for (guint r = 0; r < rows; r++)
        {
          V8f p0 = v8_load (x + (gsize)r * 16) * a0, p1 = v8_load (x + (gsize)r * 16 + 8) * a1;
          V8f acc = (V8f){ 0 } + __builtin_shufflevector (p0, p1, 0, 2, 4, 6, 8, 10, 12, 14);

          v8_store (o + (gsize)r * 8,
                    acc + __builtin_shufflevector (p0, p1, 1, 3, 5, 7, 9, 11, 13, 15));
        }
      return;
    }
  if (heads == 8 && d % 8 == 0)
    {
      /* Eight heads of 16 to 64: eight columns of every head at a time,
       * transposed so that lane h adds head h's products in order. */
      for (guint r = 0; r < rows; r++)
        {
          V8f acc = { 0 };

          for (guint c = 0; c < d; c += 8)
            {
              V8f p[8];

              for (guint h = 0; h < 8; h++)
                p[h] = v8_load (x + (gsize)r * n + h * d + c) * v8_load (a + h * d + c);
              acc = v8_add_lane_sums (acc, p);
            }
          v8_store (o + (gsize)r * 8, acc);
        }
      return;
    }
  if (heads >= 2 && _philia_gat_vector_shape (heads, d))
    {
      head_dot_rows_lanes (o, x, a, rows, heads, d);
      return;
    }
  for (guint r = 0; r < rows; r++)
    for (guint h = 0; h < heads; h++)
      {
        const float *restrict xr = x + r * n + h * d;
        const float *restrict ah = a + h * d;
        float acc = 0;

        for (guint k = 0; k < d; k++)
          acc += xr[k] * ah[k];
        o[(gsize)r * heads + h] = acc;
      }
}

/* dx += g · a and da += Σ_rows g · x, rows in order: the expressions of
 * mul's backward pass on group_sum's broadcast gradient. */
PHILIA_VECTORIZE static void
head_dot_grad_x (float *restrict gx,
                 const float *restrict g,
                 const float *restrict a,
                 guint        rows,
                 guint        heads,
                 guint        d)
{
  gsize n = (gsize)heads * d;

  if (heads == 8 && d == 2)
    {
      V8f a0 = v8_load (a), a1 = v8_load (a + 8);

      for (guint r = 0; r < rows; r++)
        {
          V8f gr = v8_load (g + (gsize)r * 8);
          float *restrict o = gx + (gsize)r * 16;

          v8_store (o,
                    v8_load (o) + __builtin_shufflevector (gr, gr, 0, 0, 1, 1, 2, 2, 3, 3) * a0);
          v8_store (o + 8,
                    v8_load (o + 8) + __builtin_shufflevector (gr, gr, 4, 4, 5, 5, 6, 6, 7, 7) * a1);
        }
      return;
    }
  if (heads == 8 && d % 8 == 0)
    {
      /* Eight heads of 8 to 64: one broadcast a head, whole vectors. */
      for (guint r = 0; r < rows; r++)
        for (guint h = 0; h < 8; h++)
          {
            float *restrict o = gx + (gsize)r * n + h * d;
            const float *restrict ah = a + h * d;
            float gh = g[(gsize)r * 8 + h];

            for (guint c = 0; c < d; c += 8)
              v8_store (o + c, v8_load (o + c) + gh * v8_load (ah + c));
          }
      return;
    }
  if (heads <= 8 && _philia_gat_vector_shape (heads, d))
    {
      head_dot_grad_x_lanes (gx, g, a, rows, heads, d);
      return;
    }
  for (guint r = 0; r < rows; r++)
    for (guint h = 0; h < heads; h++)
      {
        float *restrict o = gx + r * n + h * d;
        const float *restrict ah = a + h * d;
        float gh = g[(gsize)r * heads + h];

        for (guint k = 0; k < d; k++)
          o[k] += gh * ah[k];
      }
}

PHILIA_VECTORIZE static void
head_dot_grad_a (float *restrict ga,
                 const float *restrict g,
                 const float *restrict x,
                 guint        rows,
                 guint        heads,
                 guint        d)
{
  gsize n = (gsize)heads * d;

  if (heads == 8 && d == 2)
    {
      V8f o0 = v8_load (ga), o1 = v8_load (ga + 8);

      for (guint r = 0; r < rows; r++)
        {
          V8f gr = v8_load (g + (gsize)r * 8);

          o0 += __builtin_shufflevector (gr, gr, 0, 0, 1, 1, 2, 2, 3, 3)
                * v8_load (x + (gsize)r * 16);
          o1 += __builtin_shufflevector (gr, gr, 4, 4, 5, 5, 6, 6, 7, 7)
                * v8_load (x + (gsize)r * 16 + 8);
        }
      v8_store (ga, o0);
      v8_store (ga + 8, o1);
      return;
    }
  if (heads == 8 && d % 8 == 0)
    {
      for (guint r = 0; r < rows; r++)
        for (guint h = 0; h < 8; h++)
          {
            const float *restrict xr = x + (gsize)r * n + h * d;
            float *restrict o = ga + h * d;
            float gh = g[(gsize)r * 8 + h];

            for (guint c = 0; c < d; c += 8)
              v8_store (o + c, v8_load (o + c) + gh * v8_load (xr + c));
          }
      return;
    }
  if (heads <= 8 && _philia_gat_vector_shape (heads, d))
    {
      head_dot_grad_a_lanes (ga, g, x, rows, heads, d);
      return;
    }
  for (guint r = 0; r < rows; r++)
    for (guint h = 0; h < heads; h++)
      {
        const float *restrict xr = x + r * n + h * d;
        float *restrict o = ga + h * d;
        float gh = g[(gsize)r * heads + h];

        for (guint k = 0; k < d; k++)
          o[k] += gh * xr[k];
      }
}

static void
head_dot_backward (PhiliaTape *tape,
                   Node       *node)
{
  PhiliaTensor *x = node->in[0], *a = node->in[1], *out = node->out;
  guint heads = out->cols, d = x->cols / MAX (heads, 1);

  if (x->requires_grad)
    head_dot_grad_x (ensure_grad (x), out->grad, a->data, x->rows, heads, d);
  if (a->requires_grad)
    head_dot_grad_a (ensure_grad (a), out->grad, x->data, x->rows, heads, d);
}

PhiliaTensor *
_philia_op_head_dot (PhiliaTape   *tape,
                     PhiliaTensor *x,
                     PhiliaTensor *a,
                     guint         heads)
{
  PhiliaTensor *out;

  g_return_val_if_fail (x != NULL && a != NULL && heads > 0 && x->cols % heads == 0, NULL);
  g_return_val_if_fail (a->rows == 1 && a->cols == x->cols, NULL);

  out = tape_tensor_uninit (tape, x->rows, heads);
  head_dot_rows (out->data, x->data, a->data, x->rows, heads, x->cols / heads);
  record (tape, head_dot_backward, out, x, a, NULL);
  return out;
}

/* ----------------------------------------------------------- edge softmax */

typedef struct
{
  const PhiliaSparse *s;
  guint               heads;
  const float        *in;    /* scores (forward) or α (backward) */
  const float        *grad;  /* backward: dα */
  float              *out;
} EdgeSoftmaxTask;

PHILIA_VECTORIZE static void
edge_softmax_rows (gpointer data,
                   guint    begin,
                   guint    end)
{
  const EdgeSoftmaxTask *t = data;
  guint H = t->heads;

  for (guint i = begin; i < end; i++)
    {
      gint64 e0 = t->s->row_offsets[i], e1 = t->s->row_offsets[i + 1];

      for (guint h = 0; h < H; h++)
        {
          float max = -INFINITY;
          float sum = 0;

          for (gint64 e = e0; e < e1; e++)
            max = MAX (max, t->in[e * H + h]);
          for (gint64 e = e0; e < e1; e++)
            {
              float v = exp_approx (t->in[e * H + h] - max);

              t->out[e * H + h] = v;
              sum += v;
            }
          for (gint64 e = e0; e < e1; e++)
            t->out[e * H + h] /= sum;
        }
    }
}

PHILIA_VECTORIZE static void
edge_softmax_grad_rows (gpointer data,
                        guint    begin,
                        guint    end)
{
  const EdgeSoftmaxTask *t = data;
  guint H = t->heads;

  /* d score_e = α_e (dα_e − Σ_row α dα), per head */
  for (guint i = begin; i < end; i++)
    {
      gint64 e0 = t->s->row_offsets[i], e1 = t->s->row_offsets[i + 1];

      for (guint h = 0; h < H; h++)
        {
          float dot = 0;

          for (gint64 e = e0; e < e1; e++)
            dot += t->in[e * H + h] * t->grad[e * H + h];
          for (gint64 e = e0; e < e1; e++)
            t->out[e * H + h] += t->in[e * H + h] * (t->grad[e * H + h] - dot);
        }
    }
}

static void
edge_softmax_backward (PhiliaTape *tape,
                       Node       *node)
{
  PhiliaSparse *s = node->sparse;
  EdgeSoftmaxTask task = { s, node->out->cols, node->out->data, node->out->grad,
                           ensure_grad (node->in[0]) };

  _philia_tape_parallel_rows_cost (tape, s->rows, s->row_offsets, (double)s->nnz * task.heads * 8,
                                   4.0 * s->nnz * (3.0 * task.heads + 2), edge_softmax_grad_rows,
                                   &task);
}

PhiliaTensor *
philia_op_edge_softmax (PhiliaTape   *tape,
                        PhiliaSparse *s,
                        PhiliaTensor *scores)
{
  PhiliaTensor *out;
  EdgeSoftmaxTask task;
  Node *node;

  g_return_val_if_fail (s != NULL && scores != NULL && scores->rows == s->nnz, NULL);

  out = tape_tensor_uninit (tape, scores->rows, scores->cols);
  task = (EdgeSoftmaxTask) { s, scores->cols, scores->data, NULL, out->data };
  _philia_tape_parallel_rows_cost (tape, s->rows, s->row_offsets, (double)s->nnz * task.heads * 8,
                                   4.0 * s->nnz * (2.0 * task.heads + 2), edge_softmax_rows,
                                   &task);
  node = record (tape, edge_softmax_backward, out, scores, NULL, NULL);
  if (node != NULL)
    node->sparse = philia_sparse_ref (s);
  return out;
}

/* ------------------------------------------------- fused GAT attention */

typedef struct
{
  const PhiliaSparse *s;
  guint               heads;
  const float        *src;
  const float        *dst;
  float              *alpha;   /* softmax, before dropout */
  float              *out;     /* after dropout (NULL without) */
  const guint8       *mask;    /* 1 = kept (NULL without dropout) */
  const float        *grad;    /* backward: d out */
  float              *gs;      /* backward */
  float              *gd;
  float               slope;
  float               keep;
  /* backward with threads: the scattered source gradients of every block
   * but the first go to a private buffer, added in block order afterwards */
  GMutex              lock;
  guint               n_partial;
  guint               partial_begin[64];
  float              *partial[64];
} AttentionTask;

/* Scores, per-head max, exponentials, normalisation and dropout for the rows
 * [begin, end), with the very arithmetic of edge_scores, edge_softmax and
 * dropout composed; @mx and @sm hold H floats each. The restrict locals let
 * GCC vectorise across the heads. */
#define ATTENTION_LOCALS                                                      \
  const gint64 *restrict off = t->s->row_offsets;                             \
  const gint32 *restrict col = t->s->col_index;                               \
  const float *restrict src = t->src;                                         \
  const float *restrict dst = t->dst;                                         \
  const guint8 *restrict mask = t->mask;                                      \
  float slope = t->slope, keep = t->keep;

#define ATTENTION_ROWS(H, mx, sm)                                             \
  for (guint v = begin; v < end; v++)                                         \
    {                                                                         \
      const float *restrict d = dst + (gsize)v * (H);                         \
                                                                              \
      for (guint k = 0; k < (H); k++)                                         \
        {                                                                     \
          mx[k] = -INFINITY;                                                  \
          sm[k] = 0;                                                          \
        }                                                                     \
      for (gint64 e = off[v]; e < off[v + 1]; e++)                            \
        {                                                                     \
          const float *restrict u = src + (gsize)col[e] * (H);                \
          float *restrict a = alpha + e * (H);                                \
                                                                              \
          for (guint k = 0; k < (H); k++)                                     \
            {                                                                 \
              float x = d[k] + u[k];                                          \
                                                                              \
              x = x > 0 ? x : slope * x;                                      \
              a[k] = x;                                                       \
              mx[k] = MAX (mx[k], x);                                         \
            }                                                                 \
        }                                                                     \
      for (gint64 e = off[v]; e < off[v + 1]; e++)                            \
        {                                                                     \
          float *restrict a = alpha + e * (H);                                \
                                                                              \
          for (guint k = 0; k < (H); k++)                                     \
            {                                                                 \
              float w = exp_approx (a[k] - mx[k]);                            \
                                                                              \
              a[k] = w;                                                       \
              sm[k] += w;                                                     \
            }                                                                 \
        }                                                                     \
      for (gint64 e = off[v]; e < off[v + 1]; e++)                            \
        {                                                                     \
          float *restrict a = alpha + e * (H);                                \
                                                                              \
          for (guint k = 0; k < (H); k++)                                     \
            a[k] /= sm[k];                                                    \
          if (out != NULL)                                                    \
            for (guint k = 0; k < (H); k++)                                   \
              out[e * (H) + k] = a[k] * (mask[e * (H) + k] ? keep : 0.0f);    \
        }                                                                     \
    }

PHILIA_VECTORIZE static void
attention_rows (gpointer data,
                guint    begin,
                guint    end)
{
  const AttentionTask *t = data;
  ATTENTION_LOCALS
  float *restrict alpha = t->alpha;
  float *restrict out = t->out;
  guint h = t->heads;

  if (h == 8)
    {
      for (guint v = begin; v < end; v++)
        _philia_edge_softmax_row8 (dst + (gsize)v * 8, src, col, off[v], off[v + 1], slope,
                                   alpha, mask, keep, out);
    }
  else if (h == 1)
    {
      float mx[1], sm[1];

      ATTENTION_ROWS (1, mx, sm);
    }
  else
    {
      g_autofree float *mx = g_new (float, 2 * (gsize)h);
      float *sm = mx + h;

      ATTENTION_ROWS (h, mx, sm);
    }
}

/* d α = mask · d out; d score = α (d α − Σ_row α d α); then LeakyReLU's
 * derivative from the sign of dst + src, recomputed. The row sums Σ α d α
 * come from a kernel that may fuse their multiply-adds, the rest from one
 * that may not, so that each clone rounds as the unfused ops (dropout,
 * edge_softmax, edge_scores backward) do, bit for bit. */
#define ATTENTION_DOT_ROWS(H)                                                 \
  for (guint v = begin; v < end; v++)                                         \
    {                                                                         \
      float *restrict dot = dots + (gsize)(v - begin) * (H);                  \
                                                                              \
      for (guint k = 0; k < (H); k++)                                         \
        dot[k] = 0;                                                           \
      for (gint64 e = off[v]; e < off[v + 1]; e++)                            \
        for (guint k = 0; k < (H); k++)                                       \
          {                                                                   \
            gsize i = e * (H) + k;                                            \
            float ga = mask[i] ? keep * grad[i] : 0.0f;                       \
                                                                              \
            dot[k] += alpha[i] * ga;                                          \
          }                                                                   \
    }

PHILIA_VECTORIZE static void
attention_dot_rows (const AttentionTask *t,
                    guint                begin,
                    guint                end,
                    float *restrict      dots)
{
  const gint64 *restrict off = t->s->row_offsets;
  const guint8 *restrict mask = t->mask;
  const float *restrict alpha = t->alpha;
  const float *restrict grad = t->grad;
  float keep = t->keep;
  guint h = t->heads;

  if (h == 8)
    {
      for (guint v = begin; v < end; v++)
        {
          V8f dot = { 0 };

          for (gint64 e = off[v]; e < off[v + 1]; e++)
            {
              V8f ga = v8_select (v8_kept (mask + e * 8), keep * v8_load (grad + e * 8),
                                  (V8f){ 0 });

              dot += v8_load (alpha + e * 8) * ga;
            }
          v8_store (dots + (gsize)(v - begin) * 8, dot);
        }
    }
  else if (h == 1)
    {
      ATTENTION_DOT_ROWS (1);
    }
  else
    {
      ATTENTION_DOT_ROWS (h);
    }
}

#define ATTENTION_GRAD_ROWS(H)                                                \
  for (guint v = begin; v < end; v++)                                         \
    {                                                                         \
      const float *restrict d = dst + (gsize)v * (H);                         \
      const float *restrict dot = dots + (gsize)(v - begin) * (H);            \
      float *restrict gv = gd + (gsize)v * (H);                               \
                                                                              \
      for (gint64 e = off[v]; e < off[v + 1]; e++)                            \
        {                                                                     \
          const float *restrict u = src + (gsize)col[e] * (H);                \
          float *restrict gu = gs + (gsize)col[e] * (H);                      \
                                                                              \
          for (guint k = 0; k < (H); k++)                                     \
            {                                                                 \
              gsize i = e * (H) + k;                                          \
              float ga = mask[i] ? keep * grad[i] : 0.0f;                     \
              float g = alpha[i] * (ga - dot[k]);                             \
                                                                              \
              g = d[k] + u[k] > 0 ? g : slope * g;                            \
              gv[k] += g;                                                     \
              gu[k] += g;                                                     \
            }                                                                 \
        }                                                                     \
    }

PHILIA_VECTORIZE_NO_FMA static void
attention_grad_rows (gpointer data,
                     guint    begin,
                     guint    end)
{
  AttentionTask *t = data;
  ATTENTION_LOCALS
  const float *restrict alpha = t->alpha;
  const float *restrict grad = t->grad;
  float *restrict gd = t->gd;
  float *restrict gs = t->gs;
  g_autofree float *dots = NULL;
  guint h = t->heads;

  if (begin == end)
    return;
  if (begin > 0)
    {
      /* Only the block starting at row 0 writes the shared buffer. */
      gs = g_new0 (float, (gsize)t->s->cols * h);
      g_mutex_lock (&t->lock);
      t->partial_begin[t->n_partial] = begin;
      t->partial[t->n_partial++] = gs;
      g_mutex_unlock (&t->lock);
    }
  dots = g_new (float, (gsize)(end - begin) * h);
  attention_dot_rows (t, begin, end, dots);
  if (h == 8)
    {
      for (guint v = begin; v < end; v++)
        {
          V8f d = v8_load (dst + (gsize)v * 8);
          V8f dot = v8_load (dots + (gsize)(v - begin) * 8);
          V8f gv = v8_load (gd + (gsize)v * 8);

          for (gint64 e = off[v]; e < off[v + 1]; e++)
            {
              V8f ga = v8_select (v8_kept (mask + e * 8), keep * v8_load (grad + e * 8),
                                  (V8f){ 0 });
              V8f g = v8_load (alpha + e * 8) * (ga - dot);
              float *gu = gs + (gsize)col[e] * 8;

              g = v8_select (d + v8_load (src + (gsize)col[e] * 8) > 0, g, slope * g);
              gv += g;
              v8_store (gu, v8_load (gu) + g);
            }
          v8_store (gd + (gsize)v * 8, gv);
        }
    }
  else if (h == 1)
    {
      ATTENTION_GRAD_ROWS (1);
    }
  else
    {
      ATTENTION_GRAD_ROWS (h);
    }
}

typedef struct
{
  PhiliaTensor *alpha;   /* tape-owned */
  float         keep;
  guint8        mask[];  /* nnz·H, or empty without dropout */
} AttentionSaved;

static void
edge_attention_backward (PhiliaTape *tape,
                         Node       *node)
{
  PhiliaSparse *s = node->sparse;
  AttentionSaved *saved = node->saved;
  PhiliaTensor *src = node->in[0], *dst = node->in[1];
  AttentionTask task = { 0 };
  float *scratch_s = NULL, *scratch_d = NULL;
  gsize n;

  task.s = s;
  task.heads = src->cols;
  task.src = src->data;
  task.dst = dst->data;
  task.alpha = saved->alpha->data;
  task.mask = saved->mask;
  task.grad = node->out->grad;
  /* An input without a gradient gets a scratch one, so the loops test nothing. */
  task.gs = src->requires_grad ? ensure_grad (src)
                               : (scratch_s = g_new0 (float, tensor_size (src)));
  task.gd = dst->requires_grad ? ensure_grad (dst)
                               : (scratch_d = g_new0 (float, tensor_size (dst)));
  task.slope = node->f;
  task.keep = saved->keep;
  g_mutex_init (&task.lock);
  _philia_tape_parallel_rows_cost (tape, s->rows, s->row_offsets, (double)s->nnz * task.heads * 8,
                                   4.0 * s->nnz * (4.0 * task.heads + 2), attention_grad_rows,
                                   &task);
  g_mutex_clear (&task.lock);

  /* The blocks' partial sums in row order, so a thread count gives one result. */
  n = (gsize)s->cols * task.heads;
  for (guint b = 0; b < task.n_partial; b++)
    {
      guint best = b;

      for (guint c = b + 1; c < task.n_partial; c++)
        if (task.partial_begin[c] < task.partial_begin[best])
          best = c;
      if (best != b)
        {
          float *p = task.partial[b];
          guint pb = task.partial_begin[b];

          task.partial[b] = task.partial[best];
          task.partial_begin[b] = task.partial_begin[best];
          task.partial[best] = p;
          task.partial_begin[best] = pb;
        }
      for (gsize i = 0; i < n; i++)
        task.gs[i] += task.partial[b][i];
      g_free (task.partial[b]);
    }
  g_free (scratch_s);
  g_free (scratch_d);
}

PhiliaTensor *
philia_op_edge_attention (PhiliaTape   *tape,
                          PhiliaSparse *s,
                          PhiliaTensor *src,
                          PhiliaTensor *dst,
                          float         slope,
                          float         p)
{
  PhiliaTensor *alpha, *out;
  AttentionSaved *saved;
  AttentionTask task = { 0 };
  gboolean drop;
  gsize n;
  Node *node;

  g_return_val_if_fail (s != NULL && src != NULL && dst != NULL, NULL);
  g_return_val_if_fail (src->rows == s->cols && dst->rows == s->rows && src->cols == dst->cols,
                        NULL);
  g_return_val_if_fail (slope > 0 && p >= 0 && p < 1, NULL);

  n = (gsize)s->nnz * src->cols;
  drop = tape->training && p > 0;
  /* Without dropout the backward pass reads a mask of ones (keep 1), which
   * multiplies exactly. */
  saved = g_malloc (sizeof (AttentionSaved) + MAX (n, 1));
  saved->keep = drop ? 1.0f / (1.0f - p) : 1.0f;
  if (!drop)
    {
      if (src->requires_grad || dst->requires_grad)
        memset (saved->mask, 1, n);
    }
  else
    {
      /* philia_op_dropout's mask, from the same draws. */
      _philia_dropout_mask_from_tape (tape, saved->mask, n, p);
    }

  alpha = tape_tensor_uninit (tape, s->nnz, src->cols);
  out = drop ? tape_tensor_uninit (tape, s->nnz, src->cols) : alpha;
  task.s = s;
  task.heads = src->cols;
  task.src = src->data;
  task.dst = dst->data;
  task.alpha = alpha->data;
  task.out = drop ? out->data : NULL;
  task.mask = drop ? saved->mask : NULL;
  task.slope = slope;
  task.keep = saved->keep;
  _philia_tape_parallel_rows_cost (tape, s->rows, s->row_offsets, (double)n * 12,
                                   4.0 * (3.0 * n + s->nnz), attention_rows, &task);

  node = record (tape, edge_attention_backward, out, src, dst, NULL);
  if (node != NULL)
    {
      node->sparse = philia_sparse_ref (s);
      node->f = slope;
      saved->alpha = alpha;
      node->saved = saved;
    }
  else
    g_free (saved);
  return out;
}
