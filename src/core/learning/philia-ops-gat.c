/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GAT's attention and aggregation in one op (HACKING.md §7): one pass per
 * destination row for the scores, the softmax, attention dropout and the
 * weighted sum of the sources' rows, all heads at once; the backward pass
 * over the transpose's rows (a gather per source, no scattered writes). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-ops-gat-private.h"
#include "philia-tape-private.h"
#include "philia-cost-private.h"
#include "philia-simd-private.h"
#include "philia-edge-softmax-private.h"

#include <math.h>
#include <string.h>

typedef struct
{
  const PhiliaSparse *s;
  guint               heads;
  guint               d;
  const float        *wx;      /* [s->cols, heads·d] */
  const float        *src;     /* [s->cols, heads] */
  const float        *dst;     /* [s->rows, heads] */
  float              *alpha;   /* [nnz, heads], softmax before dropout */
  float              *post;    /* after dropout (== alpha without) */
  const guint8       *mask;    /* NULL without dropout */
  float              *out;
  float               slope;
  float               keep;
  /* backward */
  const float        *dout;    /* [s->rows, heads·d] */
  float              *dwx;
  gboolean            accumulate;
  float              *da;      /* [nnz, heads]: dα after dropout, then d score */
  float              *gs;
  float              *gd;
} GatTask;

/* Entry @e's position in the op's entry order. */
#define AT(vidx, e) ((vidx) != NULL ? (vidx)[e] : (e))

/*
 * o[h·d + k] (=, or += with @accumulate) Σ_e w[AT (e)·H + h] · x[col[e]·H·d + h·d + k]
 * over the entries [e0, e1), each element's terms summed in entry order from
 * zero. H and d are constants where the callers dispatch on them, so each
 * shape gets its own straight-line loop.
 */
static inline G_ALWAYS_INLINE void
gat_gather (const gint32 *restrict col,
            const gint64 *restrict vidx,
            gint64                 e0,
            gint64                 e1,
            const float *restrict  w,
            guint                  H,
            guint                  d,
            const float *restrict  x,
            float *restrict        o,
            gboolean               accumulate)
{
  gsize n = (gsize)H * d;

  if (H == 8 && (d == 1 || d == 2 || d == 4))
    {
      /* Eight heads of 1, 2 or 4: the row's 8 to 32 sums in one to four
       * vectors, each head's weight spread over its d lanes by a shuffle. */
      V8f acc[4] = { { 0 }, { 0 }, { 0 }, { 0 } };

      for (gint64 e = e0; e < e1; e++)
        {
          const float *restrict xr = x + (gsize)col[e] * n;
          V8f a = v8_load (w + AT (vidx, e) * 8);

          if (d == 1)
            acc[0] += a * v8_load (xr);
          else if (d == 2)
            {
              acc[0] += __builtin_shufflevector (a, a, 0, 0, 1, 1, 2, 2, 3, 3) * v8_load (xr);
              acc[1] += __builtin_shufflevector (a, a, 4, 4, 5, 5, 6, 6, 7, 7) * v8_load (xr + 8);
            }
          else
            {
              acc[0] += __builtin_shufflevector (a, a, 0, 0, 0, 0, 1, 1, 1, 1) * v8_load (xr);
              acc[1] += __builtin_shufflevector (a, a, 2, 2, 2, 2, 3, 3, 3, 3) * v8_load (xr + 8);
              acc[2] += __builtin_shufflevector (a, a, 4, 4, 4, 4, 5, 5, 5, 5)
                        * v8_load (xr + 16);
              acc[3] += __builtin_shufflevector (a, a, 6, 6, 6, 6, 7, 7, 7, 7)
                        * v8_load (xr + 24);
            }
        }
      for (guint c = 0; c < d; c++)
        v8_store (o + c * 8, accumulate ? v8_load (o + c * 8) + acc[c] : acc[c]);
      return;
    }
  if (d % 8 == 0)
    {
      /* Blocks of 64 columns (eight vectors in registers), the entries
       * inner; vector k of a block belongs to head (c0 + 8k) / d. */
      gsize c0 = 0;

      for (; c0 + 64 <= n; c0 += 64)
        {
          V8f acc[8] = { { 0 }, { 0 }, { 0 }, { 0 }, { 0 }, { 0 }, { 0 }, { 0 } };

          for (gint64 e = e0; e < e1; e++)
            {
              const float *restrict xr = x + (gsize)col[e] * n + c0;
              const float *restrict we = w + AT (vidx, e) * H;

              for (guint k = 0; k < 8; k++)
                acc[k] += we[(c0 + 8 * k) / d] * v8_load (xr + 8 * k);
            }
          for (guint k = 0; k < 8; k++)
            v8_store (o + c0 + 8 * k,
                      accumulate ? v8_load (o + c0 + 8 * k) + acc[k] : acc[k]);
        }
      for (; c0 < n; c0 += 8)
        {
          V8f acc = { 0 };

          for (gint64 e = e0; e < e1; e++)
            acc += w[AT (vidx, e) * H + c0 / d] * v8_load (x + (gsize)col[e] * n + c0);
          v8_store (o + c0, accumulate ? v8_load (o + c0) + acc : acc);
        }
      return;
    }
  if (!accumulate)
    memset (o, 0, sizeof (float) * n);
  for (gint64 e = e0; e < e1; e++)
    {
      const float *restrict xr = x + (gsize)col[e] * n;
      const float *restrict we = w + AT (vidx, e) * H;

      for (guint h = 0; h < H; h++)
        for (guint k = 0; k < d; k++)
          o[h * d + k] += we[h] * xr[h * d + k];
    }
}

static inline G_ALWAYS_INLINE float
v8_sum (V8f v)
{
  V8f s = v + __builtin_shufflevector (v, v, 4, 5, 6, 7, 0, 1, 2, 3);

  s += __builtin_shufflevector (s, s, 2, 3, 0, 1, 6, 7, 4, 5);
  s += __builtin_shufflevector (s, s, 1, 0, 3, 2, 5, 4, 7, 6);
  return s[0];
}

/*
 * Per head, the dot product of row @xj with each row col[e] of @g, into
 * da[vidx[e]·H + h], for the entries [e0, e1) of a transpose row: dα after
 * dropout, d out_v,h · wx_u,h.
 */
static inline G_ALWAYS_INLINE void
gat_dots (const gint32 *restrict col,
          const gint64 *restrict vidx,
          gint64                 e0,
          gint64                 e1,
          guint                  H,
          guint                  d,
          const float *restrict  g,
          const float *restrict  xj,
          float *restrict        da)
{
  gsize n = (gsize)H * d;

  for (gint64 e = e0; e < e1; e++)
    {
      const float *restrict gr = g + (gsize)col[e] * n;
      float *restrict o = da + vidx[e] * H;

      if (H == 8 && d == 1)
        v8_store (o, v8_load (gr) * v8_load (xj));
      else if (H == 8 && d == 2)
        {
          V8f p0 = v8_load (gr) * v8_load (xj), p1 = v8_load (gr + 8) * v8_load (xj + 8);

          v8_store (o, __builtin_shufflevector (p0, p1, 0, 2, 4, 6, 8, 10, 12, 14)
                       + __builtin_shufflevector (p0, p1, 1, 3, 5, 7, 9, 11, 13, 15));
        }
      else if (H == 8 && d == 4)
        {
          V8f p[4], q0, q1;

          for (guint c = 0; c < 4; c++)
            p[c] = v8_load (gr + 8 * c) * v8_load (xj + 8 * c);
          q0 = __builtin_shufflevector (p[0], p[1], 0, 2, 4, 6, 8, 10, 12, 14)
               + __builtin_shufflevector (p[0], p[1], 1, 3, 5, 7, 9, 11, 13, 15);
          q1 = __builtin_shufflevector (p[2], p[3], 0, 2, 4, 6, 8, 10, 12, 14)
               + __builtin_shufflevector (p[2], p[3], 1, 3, 5, 7, 9, 11, 13, 15);
          v8_store (o, __builtin_shufflevector (q0, q1, 0, 2, 4, 6, 8, 10, 12, 14)
                       + __builtin_shufflevector (q0, q1, 1, 3, 5, 7, 9, 11, 13, 15));
        }
      else if (H == 8 && d % 8 == 0)
        {
          V8f p[8];

          for (guint h = 0; h < 8; h++)
            {
              p[h] = v8_load (gr + h * d) * v8_load (xj + h * d);
              for (guint c = 8; c < d; c += 8)
                p[h] += v8_load (gr + h * d + c) * v8_load (xj + h * d + c);
            }
          v8_store (o, v8_add_lane_sums ((V8f){ 0 }, p));
        }
      else if (d % 8 == 0)
        for (guint h = 0; h < H; h++)
          {
            V8f acc = v8_load (gr + h * d) * v8_load (xj + h * d);

            for (guint c = 8; c < d; c += 8)
              acc += v8_load (gr + h * d + c) * v8_load (xj + h * d + c);
            o[h] = v8_sum (acc);
          }
      else
        for (guint h = 0; h < H; h++)
          {
            float acc = 0;

            for (guint k = 0; k < d; k++)
              acc += gr[h * d + k] * xj[h * d + k];
            o[h] = acc;
          }
    }
}

/* Row @v's scores, softmax and dropout for eight heads; for other head
 * counts its scores less their maximum, which gat_exp and
 * gat_normalise_row finish. The arithmetic is philia_op_edge_attention's,
 * so the weights are its own. @mx holds H floats. */
static inline G_ALWAYS_INLINE void
gat_softmax_row (const GatTask *t,
                 guint          v,
                 guint          H,
                 float *restrict mx)
{
  const gint64 *restrict off = t->s->row_offsets;
  const gint32 *restrict col = t->s->col_index;
  const float *restrict src = t->src;
  float *restrict alpha = t->alpha;
  float slope = t->slope;

  if (H == 8)
    {
      _philia_edge_softmax_row8 (t->dst + (gsize)v * 8, src, col, off[v], off[v + 1], slope,
                                 alpha, t->mask, t->keep, t->mask != NULL ? t->post : NULL);
      return;
    }
  {
    const float *restrict dv = t->dst + (gsize)v * H;

    for (guint k = 0; k < H; k++)
      mx[k] = -INFINITY;
    for (gint64 e = off[v]; e < off[v + 1]; e++)
      {
        const float *restrict u = src + (gsize)col[e] * H;
        float *restrict a = alpha + e * H;

        for (guint k = 0; k < H; k++)
          {
            float x = dv[k] + u[k];

            x = x > 0 ? x : slope * x;
            a[k] = x;
            mx[k] = MAX (mx[k], x);
          }
      }
    /* The exponentials come after, over many rows at once (gat_exp). */
    for (gint64 e = off[v]; e < off[v + 1]; e++)
      for (guint k = 0; k < H; k++)
        alpha[e * H + k] -= mx[k];
  }
}

/* exp_approx over @n floats in place: one vectorised loop over the entries
 * of many rows, where a row of one head has a handful. */
static inline G_ALWAYS_INLINE void
gat_exp (float *restrict a,
         gsize           n)
{
  for (gsize i = 0; i < n; i++)
    a[i] = exp_approx (a[i]);
}

/* The rest of a row's softmax after gat_exp: the sums, the division and
 * dropout (not for eight heads, which gat_softmax_row finishes). */
static inline G_ALWAYS_INLINE void
gat_normalise_row (const GatTask *t,
                   guint          v,
                   guint          H,
                   float *restrict sm)
{
  const gint64 *restrict off = t->s->row_offsets;
  float *restrict alpha = t->alpha;

  for (guint k = 0; k < H; k++)
    sm[k] = 0;
  for (gint64 e = off[v]; e < off[v + 1]; e++)
    for (guint k = 0; k < H; k++)
      sm[k] += alpha[e * H + k];
  for (gint64 e = off[v]; e < off[v + 1]; e++)
    for (guint k = 0; k < H; k++)
      {
        alpha[e * H + k] /= sm[k];
        if (t->mask != NULL)
          t->post[e * H + k] = alpha[e * H + k] * (t->mask[e * H + k] ? t->keep : 0.0f);
      }
}

static inline G_ALWAYS_INLINE void
gat_forward_loop (const GatTask *t,
                  guint          begin,
                  guint          end,
                  guint          H,
                  guint          d,
                  float         *mx)
{
  const gint64 *off = t->s->row_offsets;

  if (H == 8)
    {
      for (guint v = begin; v < end; v++)
        {
          gat_softmax_row (t, v, H, mx);
          gat_gather (t->s->col_index, NULL, off[v], off[v + 1], t->post, H, d, t->wx,
                      t->out + (gsize)v * H * d, FALSE);
        }
      return;
    }
  /* Other head counts in blocks of 64 rows: scores, then every exponential
   * of the block in one loop, then the sums and the products. */
  for (guint c0 = begin; c0 < end; c0 += 64)
    {
      guint c1 = MIN (end, c0 + 64);

      for (guint v = c0; v < c1; v++)
        gat_softmax_row (t, v, H, mx);
      gat_exp (t->alpha + off[c0] * H, (gsize)(off[c1] - off[c0]) * H);
      for (guint v = c0; v < c1; v++)
        {
          gat_normalise_row (t, v, H, mx + H);
          gat_gather (t->s->col_index, NULL, off[v], off[v + 1], t->post, H, d, t->wx,
                      t->out + (gsize)v * H * d, FALSE);
        }
    }
}


/* The shapes worth a loop of their own: GAT's eight heads of 1 to 64 (hidden
 * widths 8 to 512) and one head of any multiple of 8; the rest take the
 * general one. */
#define GAT_DISPATCH(LOOP, t, begin, end, ...)                                \
  G_STMT_START                                                                \
  {                                                                           \
    guint H_ = (t)->heads, d_ = (t)->d;                                       \
                                                                              \
    if (H_ == 8 && d_ == 1)                                                   \
      LOOP (t, begin, end, 8, 1, __VA_ARGS__);                                \
    else if (H_ == 8 && d_ == 2)                                              \
      LOOP (t, begin, end, 8, 2, __VA_ARGS__);                                \
    else if (H_ == 8 && d_ == 4)                                              \
      LOOP (t, begin, end, 8, 4, __VA_ARGS__);                                \
    else if (H_ == 8 && d_ == 8)                                              \
      LOOP (t, begin, end, 8, 8, __VA_ARGS__);                                \
    else if (H_ == 8 && d_ == 16)                                             \
      LOOP (t, begin, end, 8, 16, __VA_ARGS__);                               \
    else if (H_ == 8 && d_ == 32)                                             \
      LOOP (t, begin, end, 8, 32, __VA_ARGS__);                               \
    else if (H_ == 8 && d_ == 64)                                             \
      LOOP (t, begin, end, 8, 64, __VA_ARGS__);                               \
    else if (H_ == 8 && d_ % 8 == 0)                                          \
      LOOP (t, begin, end, 8, d_, __VA_ARGS__);                               \
    else if (H_ == 1 && d_ >= 2 && d_ <= 7)                                   \
      {                                                                       \
        /* The output layer: one head of a few classes. */                   \
        switch (d_)                                                           \
          {                                                                   \
          case 2: LOOP (t, begin, end, 1, 2, __VA_ARGS__); break;             \
          case 3: LOOP (t, begin, end, 1, 3, __VA_ARGS__); break;             \
          case 4: LOOP (t, begin, end, 1, 4, __VA_ARGS__); break;             \
          case 5: LOOP (t, begin, end, 1, 5, __VA_ARGS__); break;             \
          case 6: LOOP (t, begin, end, 1, 6, __VA_ARGS__); break;             \
          default: LOOP (t, begin, end, 1, 7, __VA_ARGS__); break;            \
          }                                                                   \
      }                                                                       \
    else if (H_ == 1)                                                         \
      LOOP (t, begin, end, 1, d_, __VA_ARGS__);                               \
    else                                                                      \
      LOOP (t, begin, end, H_, d_, __VA_ARGS__);                              \
  }                                                                           \
  G_STMT_END

PHILIA_VECTORIZE static void
gat_forward_rows (gpointer data,
                  guint    begin,
                  guint    end)
{
  const GatTask *t = data;
  g_autofree float *mx = g_new (float, 2 * (gsize)t->heads);

  GAT_DISPATCH (gat_forward_loop, t, begin, end, mx);
}

/* Backward, first pass, over the rows u of the transpose: d wx_u =
 * Σ_v α'_vu d out_v (α' after dropout) and dα'_vu = d out_v · wx_u per head. */
static inline G_ALWAYS_INLINE void
gat_source_loop (const GatTask *t,
                 guint          begin,
                 guint          end,
                 guint          H,
                 guint          d,
                 gboolean       unused)
{
  const PhiliaSparse *tr = t->s->transpose;
  const gint64 *off = tr->row_offsets;
  gsize n = (gsize)H * d;

  (void)unused;
  for (guint u = begin; u < end; u++)
    {
      if (t->dwx != NULL)
        gat_gather (tr->col_index, t->s->transpose_perm, off[u], off[u + 1], t->post, H, d,
                    t->dout, t->dwx + u * n, t->accumulate);
      if (t->da != NULL)
        gat_dots (tr->col_index, t->s->transpose_perm, off[u], off[u + 1], H, d, t->dout,
                  t->wx + u * n, t->da);
    }
}

PHILIA_VECTORIZE static void
gat_source_rows (gpointer data,
                 guint    begin,
                 guint    end)
{
  const GatTask *t = data;

  GAT_DISPATCH (gat_source_loop, t, begin, end, FALSE);
}

/* Second pass, over the destination rows: dα = mask · dα', d score =
 * α (dα − Σ_row α dα) per head, LeakyReLU's derivative from the sign of
 * dst + src (recomputed); d dst summed here, d score kept for the third. */
static inline G_ALWAYS_INLINE void
gat_score_loop (const GatTask *t,
                guint          begin,
                guint          end,
                guint          H,
                float *restrict dot)
{
  const gint64 *restrict off = t->s->row_offsets;
  const gint32 *restrict col = t->s->col_index;
  const float *restrict alpha = t->alpha;
  const float *restrict src = t->src;
  const guint8 *restrict mask = t->mask;
  float *restrict da = t->da;
  float *restrict gd = t->gd;
  float slope = t->slope, keep = t->keep;

  if (H == 8)
    {
      for (guint v = begin; v < end; v++)
        {
          V8f dv = v8_load (t->dst + (gsize)v * 8), dot8 = { 0 };
          V8f gv = gd != NULL ? v8_load (gd + (gsize)v * 8) : (V8f){ 0 };

          for (gint64 e = off[v]; e < off[v + 1]; e++)
            {
              V8f ga = v8_load (da + e * 8);

              if (mask != NULL)
                {
                  ga = v8_select (v8_kept (mask + e * 8), keep * ga, (V8f){ 0 });
                  v8_store (da + e * 8, ga);
                }
              dot8 += v8_load (alpha + e * 8) * ga;
            }
          for (gint64 e = off[v]; e < off[v + 1]; e++)
            {
              V8f g = v8_load (alpha + e * 8) * (v8_load (da + e * 8) - dot8);

              g = v8_select (dv + v8_load (src + (gsize)col[e] * 8) > 0, g, slope * g);
              v8_store (da + e * 8, g);
              gv += g;
            }
          if (gd != NULL)
            v8_store (gd + (gsize)v * 8, gv);
        }
      return;
    }
  for (guint v = begin; v < end; v++)
    {
      const float *restrict dv = t->dst + (gsize)v * H;

      for (guint k = 0; k < H; k++)
        dot[k] = 0;
      if (mask != NULL)
        for (gint64 e = off[v]; e < off[v + 1]; e++)
          for (guint k = 0; k < H; k++)
            {
              gsize i = e * H + k;

              da[i] = mask[i] ? keep * da[i] : 0.0f;
            }
      for (gint64 e = off[v]; e < off[v + 1]; e++)
        for (guint k = 0; k < H; k++)
          dot[k] += alpha[e * H + k] * da[e * H + k];
      for (gint64 e = off[v]; e < off[v + 1]; e++)
        {
          const float *restrict u = src + (gsize)col[e] * H;

          for (guint k = 0; k < H; k++)
            {
              gsize i = e * H + k;
              float g = alpha[i] * (da[i] - dot[k]);

              g = dv[k] + u[k] > 0 ? g : slope * g;
              da[i] = g;
              if (gd != NULL)
                gd[(gsize)v * H + k] += g;
            }
        }
    }
}

PHILIA_VECTORIZE static void
gat_score_rows (gpointer data,
                guint    begin,
                guint    end)
{
  const GatTask *t = data;
  g_autofree float *dot = g_new (float, t->heads);

  if (t->heads == 8)
    gat_score_loop (t, begin, end, 8, dot);
  else if (t->heads == 1)
    gat_score_loop (t, begin, end, 1, dot);
  else
    gat_score_loop (t, begin, end, t->heads, dot);
}

/* Third pass, over the transpose's rows: d src_u = Σ_v d score_vu. */
static inline G_ALWAYS_INLINE void
gat_src_grad_loop (const GatTask *t,
                   guint          begin,
                   guint          end,
                   guint          H)
{
  const gint64 *restrict off = t->s->transpose->row_offsets;
  const gint64 *restrict perm = t->s->transpose_perm;
  const float *restrict da = t->da;
  float *restrict gs = t->gs;

  if (H == 8)
    {
      for (guint u = begin; u < end; u++)
        {
          V8f acc = v8_load (gs + (gsize)u * 8);

          for (gint64 e = off[u]; e < off[u + 1]; e++)
            acc += v8_load (da + perm[e] * 8);
          v8_store (gs + (gsize)u * 8, acc);
        }
      return;
    }
  for (guint u = begin; u < end; u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      for (guint k = 0; k < H; k++)
        gs[(gsize)u * H + k] += da[perm[e] * H + k];
}

PHILIA_VECTORIZE static void
gat_src_grad_rows (gpointer data,
                   guint    begin,
                   guint    end)
{
  const GatTask *t = data;

  if (t->heads == 8)
    gat_src_grad_loop (t, begin, end, 8);
  else if (t->heads == 1)
    gat_src_grad_loop (t, begin, end, 1);
  else
    gat_src_grad_loop (t, begin, end, t->heads);
}

typedef struct
{
  PhiliaTensor *alpha;   /* tape-owned */
  PhiliaTensor *post;    /* tape-owned; alpha itself without dropout */
  float         keep;
  guint8        mask[];  /* nnz·H with dropout, else empty */
} GatSaved;

static void
gat_attend_backward (PhiliaTape *tape,
                     Node       *node)
{
  PhiliaSparse *s = node->sparse;
  GatSaved *saved = node->saved;
  PhiliaTensor *wx = node->in[0], *src = node->in[1], *dst = node->in[2];
  GatTask task = { 0 };
  gsize nh = (gsize)s->nnz * src->cols;
  gboolean scores = src->requires_grad || dst->requires_grad;
  gboolean fresh = FALSE;
  double work = (double)s->nnz * wx->cols * 4;

  task.s = s;
  task.heads = src->cols;
  task.d = wx->cols / src->cols;
  task.wx = wx->data;
  task.src = src->data;
  task.dst = dst->data;
  task.alpha = saved->alpha->data;
  task.post = saved->post->data;
  task.mask = saved->post != saved->alpha ? saved->mask : NULL;
  task.keep = saved->keep;
  task.slope = node->f;
  task.dout = node->out->grad;
  task.da = scores ? _philia_tape_pool_take (tape, MAX (nh, 1)) : NULL;
  /* Written outright when nothing has reached d wx yet: no zeroing pass. */
  task.dwx = wx->requires_grad ? grad_for_write (tape, wx, &fresh) : NULL;
  task.accumulate = !fresh;
  _philia_tape_parallel_rows_cost (tape, s->cols, s->transpose->row_offsets, work,
                                   4.0 * (5.0 * nh + s->nnz + 2.0 * s->cols * wx->cols),
                                   gat_source_rows, &task);
  if (!scores)
    return;
  task.gd = dst->requires_grad ? ensure_grad (dst) : NULL;
  task.gs = src->requires_grad ? ensure_grad (src) : NULL;
  _philia_tape_parallel_rows_cost (tape, s->rows, s->row_offsets, (double)nh * 8,
                                   4.0 * (4.0 * nh + s->nnz), gat_score_rows, &task);
  if (task.gs != NULL)
    _philia_tape_parallel_rows_cost (tape, s->cols, s->transpose->row_offsets, (double)nh * 2,
                                     4.0 * (2.0 * nh + s->nnz), gat_src_grad_rows, &task);
  _philia_tape_pool_give (tape, MAX (nh, 1), task.da);
}

PhiliaTensor *
_philia_op_gat_attend (PhiliaTape    *tape,
                       PhiliaSparse  *s,
                       PhiliaTensor  *wx,
                       PhiliaTensor  *src,
                       PhiliaTensor  *dst,
                       float          slope,
                       float          p,
                       PhiliaTensor **alpha)
{
  PhiliaTensor *a, *post, *out;
  GatSaved *saved;
  GatTask task = { 0 };
  gboolean drop;
  gsize nh;
  Node *node;

  g_return_val_if_fail (s != NULL && wx != NULL && src != NULL && dst != NULL, NULL);
  g_return_val_if_fail (src->rows == s->cols && dst->rows == s->rows && src->cols == dst->cols,
                        NULL);
  g_return_val_if_fail (src->cols > 0 && wx->rows == s->cols && wx->cols % src->cols == 0
                        && wx->cols > 0, NULL);
  g_return_val_if_fail (slope > 0 && p >= 0 && p < 1, NULL);

  nh = (gsize)s->nnz * src->cols;
  drop = tape->training && p > 0;
  saved = g_malloc (sizeof (GatSaved) + (drop ? MAX (nh, 1) : 0));
  saved->keep = drop ? 1.0f / (1.0f - p) : 1.0f;
  if (drop)
    {
      /* philia_op_edge_attention's mask, from the same draws. */
      _philia_dropout_mask_from_tape (tape, saved->mask, nh, p);
    }
  a = tape_tensor_uninit (tape, s->nnz, src->cols);
  post = drop ? tape_tensor_uninit (tape, s->nnz, src->cols) : a;
  out = tape_tensor_uninit (tape, s->rows, wx->cols);
  task.s = s;
  task.heads = src->cols;
  task.d = wx->cols / src->cols;
  task.wx = wx->data;
  task.src = src->data;
  task.dst = dst->data;
  task.alpha = a->data;
  task.post = post->data;
  task.mask = drop ? saved->mask : NULL;
  task.out = out->data;
  task.slope = slope;
  task.keep = saved->keep;
  _philia_tape_parallel_rows_cost (tape, s->rows, s->row_offsets,
                                   (double)nh * 12 + (double)s->nnz * wx->cols * 2,
                                   4.0 * (4.0 * nh + s->nnz + 2.0 * s->rows * wx->cols),
                                   gat_forward_rows, &task);
  if (alpha != NULL)
    *alpha = a;
  node = record (tape, gat_attend_backward, out, wx, src, dst);
  if (node != NULL)
    {
      node->sparse = philia_sparse_ref (s);
      node->f = slope;
      saved->alpha = a;
      saved->post = post;
      node->saved = saved;
    }
  else
    g_free (saved);
  return out;
}
