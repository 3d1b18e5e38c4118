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
  const gint32       *lh;      /* gat_lane_heads_new (heads, d) */
  float              *doutT;   /* [s->rows, d·heads + 8]: d out transposed, or NULL */
} GatTask;

/* The floats of the weights, of wx and of d out. */
#define GAT_WLEN(t) ((gsize)(t)->s->nnz * (t)->heads)
#define GAT_XLEN(t) ((gsize)(t)->s->cols * (t)->heads * (t)->d)
#define GAT_DLEN(t) ((gsize)(t)->s->rows * (t)->heads * (t)->d)

/* Entry @e's position in the op's entry order. */
#define AT(vidx, e) ((vidx) != NULL ? (vidx)[e] : (e))

/* Tests: FALSE sends the shapes without a loop of their own through the
 * scalar loops (the vector ones give their bits). */
gboolean _philia_gat_rows_vector = TRUE;

gboolean
_philia_gat_vector_shape (guint H,
                          guint d)
{
  /* Rows of fewer than three vectors measured no faster in vectors (the
   * per-row set-up and the tail cost what the scalar loops do). */
  return _philia_gat_rows_vector && !(H == 8 && (d == 1 || d == 2 || d == 4)) && d % 8 != 0
         && (gsize)H * d >= 24;
}

static inline G_ALWAYS_INLINE V8i
v8i_load (const gint32 *p)
{
  V8i v;

  memcpy (&v, p, sizeof v);
  return v;
}

/* x[i[0]], …, x[i[7]]. */
static inline G_ALWAYS_INLINE V8f
v8_gather (const float *restrict x,
           V8i                   i)
{
  return (V8f){ x[i[0]], x[i[1]], x[i[2]], x[i[3]], x[i[4]], x[i[5]], x[i[6]], x[i[7]] };
}

/* The vectors gat_gather_block keeps in registers: 32 columns (four
 * accumulators and four permutes fit the sixteen AVX registers). */
#define GAT_BLOCK_VECTORS 8

/* @n ≤ 8·GAT_BLOCK_VECTORS floats of @x into @b, zeros after: the vectors
 * of a row that would read past the end of its array. */
static G_NO_INLINE void
gat_pad_copy (float *restrict       b,
              const float *restrict x,
              gsize                 n)
{
  memset (b, 0, sizeof (float) * 8 * GAT_BLOCK_VECTORS);
  memcpy (b, x, sizeof (float) * n);
}

/* The lane heads of a row of @H heads of @d columns: lh[c] the head of
 * column c for c < H·d, the last head in the 7 after (lanes past the row),
 * read eight at a time by gat_gather_block. NULL where the shape has a loop
 * of its own (gat_gather_takes) or _philia_gat_rows_vector is off. */
static gint32 *
gat_lane_heads_new (guint H,
                    guint d)
{
  gsize n = (gsize)H * d;
  gint32 *lh;

  if (!_philia_gat_vector_shape (H, d))
    return NULL;
  lh = g_new (gint32, n + 8);
  for (gsize c = 0; c < n + 8; c++)
    lh[c] = (gint32)MIN (c / d, H - 1);
  return lh;
}

/*
 * gat_gather's columns [c0, c0 + 8·NC) for a row of H heads of d columns
 * that the shapes above do not take (any H, d not a multiple of 8): NC
 * vectors in registers, the entries inner. Each column's sum is the scalar
 * loop's below (its terms in entry order, from zero or from o's value with
 * @accumulate, multiplied and added as the clone fuses them): the vectors
 * only regroup the columns, the row treated as H·d floats, each lane's head
 * weight spread by a permute of the entry's weights (HACKING.md §7). The
 * lanes past the row read the next row of @x and the next entries' weights
 * (a zeroed copy where that would read past @xlen or @wlen floats) and are
 * never stored, so a thread writes only its own rows.
 */
static inline G_ALWAYS_INLINE void
gat_gather_block (const gint32 *restrict col,
                  const gint64 *restrict vidx,
                  gint64                 e0,
                  gint64                 e1,
                  const float *restrict  w,
                  guint                  H,
                  guint                  d,
                  const float *restrict  x,
                  float *restrict        o,
                  gboolean               accumulate,
                  gsize                  wlen,
                  gsize                  xlen,
                  const gint32 *restrict lh,
                  gsize                  c0,
                  guint                  NC)
{
  gsize n = (gsize)H * d;
  gsize valid = MIN (n - c0, (gsize)8 * NC);
  V8i hi[GAT_BLOCK_VECTORS];
  V8f acc[GAT_BLOCK_VECTORS];
  float ob[8 * GAT_BLOCK_VECTORS] = { 0 };
  float xb[8 * GAT_BLOCK_VECTORS], wb[8 * GAT_BLOCK_VECTORS];

  for (guint k = 0; k < NC; k++)
    {
      hi[k] = v8i_load (lh + c0 + 8 * k);
      if (!accumulate)
        acc[k] = (V8f){ 0 };
      else if (8 * k + 8 <= valid)
        acc[k] = v8_load (o + c0 + 8 * k);
      else
        {
          for (guint j = 0; 8 * k + j < valid; j++)
            ob[j] = o[c0 + 8 * k + j];
          acc[k] = v8_load (ob);
        }
    }
  for (gint64 e = e0; e < e1; e++)
    {
      gsize xo = (gsize)col[e] * n + c0, wo = (gsize)AT (vidx, e) * H;
      const float *restrict xr = x + xo;
      V8f wv = { 0 };

      if (G_UNLIKELY (xo + 8 * NC > xlen))
        {
          gat_pad_copy (xb, xr, valid);
          xr = xb;
        }
      if (H <= 8)
        {
          if (G_LIKELY (wo + 8 <= wlen))
            wv = v8_load (w + wo);
          else
            {
              gat_pad_copy (wb, w + wo, H);
              wv = v8_load (wb);
            }
        }
      for (guint k = 0; k < NC; k++)
        {
          V8f wk;

          if (H <= 8)
            wk = v8_permute (wv, hi[k]);
          else
            wk = v8_gather (w + wo, hi[k]);
          acc[k] += wk * v8_load (xr + 8 * k);
        }
    }
  for (guint k = 0; k < NC; k++)
    if (8 * k + 8 <= valid)
      v8_store (o + c0 + 8 * k, acc[k]);
    else
      {
        v8_store (ob, acc[k]);
        for (guint j = 0; 8 * k + j < valid; j++)
          o[c0 + 8 * k + j] = ob[j];
      }
}

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
            gboolean               accumulate,
            gsize                  wlen,
            gsize                  xlen,
            const gint32 *restrict lh)
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
  if (lh != NULL)
    {
      /* Blocks of up to eight vectors, the entries inner, as above. */
      for (gsize c0 = 0; c0 < n; c0 += 8 * GAT_BLOCK_VECTORS)
        switch (MIN ((n - c0 + 7) / 8, GAT_BLOCK_VECTORS))
          {
#define GAT_BLOCK_CASE(NC)                                                    \
          case NC:                                                            \
            gat_gather_block (col, vidx, e0, e1, w, H, d, x, o, accumulate, wlen, xlen, lh, \
                              c0, NC);                                        \
            break
          GAT_BLOCK_CASE (1);
          GAT_BLOCK_CASE (2);
          GAT_BLOCK_CASE (3);
          GAT_BLOCK_CASE (4);
          GAT_BLOCK_CASE (5);
          GAT_BLOCK_CASE (6);
          GAT_BLOCK_CASE (7);
          default:
            gat_gather_block (col, vidx, e0, e1, w, H, d, x, o, accumulate, wlen, xlen, lh, c0,
                              8);
            break;
#undef GAT_BLOCK_CASE
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

/* Row @a of @H heads of @d columns transposed into @o: o[k·H + h] =
 * a[h·d + k], so that the heads of a column are adjacent. Up to eight
 * heads go eight columns at a time through v8_transpose, reading up to 7
 * floats past the row (@a_end: where they may be read; a zeroed copy past
 * it) and writing up to 7 past it in @o (which has room for them). */
static inline G_ALWAYS_INLINE void
gat_transpose_row (float *restrict       o,
                   const float *restrict a,
                   const float *restrict a_end,
                   guint                 H,
                   guint                 d)
{
  gsize n = (gsize)H * d;
  float b[8 * 8 * 8 + 8];

  if (H > 8)
    {
      for (guint h = 0; h < H; h++)
        for (guint k = 0; k < d; k++)
          o[k * H + h] = a[h * d + k];
      return;
    }
  if (G_UNLIKELY (a + n + 8 > a_end))
    {
      if (n + 8 > G_N_ELEMENTS (b))
        {
          for (guint h = 0; h < H; h++)
            for (guint k = 0; k < d; k++)
              o[k * H + h] = a[h * d + k];
          return;
        }
      memset (b, 0, sizeof b);
      memcpy (b, a, sizeof (float) * n);
      a = b;
    }
  for (guint kb = 0; kb < d; kb += 8)
    {
      V8f r[8], c[8];

      for (guint h = 0; h < 8; h++)
        r[h] = h < H ? v8_load (a + h * d + kb) : (V8f){ 0 };
      v8_transpose (r, c);
      for (guint k = 0; k < 8 && kb + k < d; k++)
        v8_store (o + (kb + k) * H, c[k]);
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
          float *restrict        da,
          const float *restrict  gT,
          const float *restrict  xT)
{
  gsize n = (gsize)H * d;

  if (gT != NULL)
    {
      /* Heads in lanes over the transposed rows (gat_transpose_rows): lane
       * h of vector k is column h·d + k, so each lane's sum is the scalar
       * loop's below, term for term (HACKING.md §7). The lanes past the
       * heads read the next columns and are not stored. */
      gint64 e = e0;

      /* Four entries at a time where the heads fit one vector: four
       * chains of d multiply-adds in flight instead of one (each lane's
       * chain is a dependent sequence, latency-bound at large d). */
      for (; H <= 8 && e + 4 <= e1; e += 4)
        {
          const float *restrict g0 = gT + (gsize)col[e] * (n + 8);
          const float *restrict g1 = gT + (gsize)col[e + 1] * (n + 8);
          const float *restrict g2 = gT + (gsize)col[e + 2] * (n + 8);
          const float *restrict g3 = gT + (gsize)col[e + 3] * (n + 8);
          V8f a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };

          for (guint k = 0; k < d; k++)
            {
              V8f xk = v8_load (xT + k * H);

              a0 += v8_load (g0 + k * H) * xk;
              a1 += v8_load (g1 + k * H) * xk;
              a2 += v8_load (g2 + k * H) * xk;
              a3 += v8_load (g3 + k * H) * xk;
            }
          for (guint h = 0; h < H; h++)
            {
              da[vidx[e] * H + h] = a0[h];
              da[vidx[e + 1] * H + h] = a1[h];
              da[vidx[e + 2] * H + h] = a2[h];
              da[vidx[e + 3] * H + h] = a3[h];
            }
        }
      for (; e < e1; e++)
        {
          const float *restrict gr = gT + (gsize)col[e] * (n + 8);
          float *restrict o = da + vidx[e] * H;

          for (guint h0 = 0; h0 < H; h0 += 8)
            {
              V8f acc = { 0 };

              for (guint k = 0; k < d; k++)
                acc += v8_load (gr + k * H + h0) * v8_load (xT + k * H + h0);
              if (h0 + 8 <= H)
                v8_store (o + h0, acc);
              else
                for (guint h = 0; h0 + h < H; h++)
                  o[h0 + h] = acc[h];
            }
        }
      return;
    }
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

/*
 * One head (the output layer: one head of the classes, at most eight of
 * them forward, seven backward) on rows of one to eight entries, the common
 * rows of sparse graphs: a row's entries are the lanes of one vector, the
 * lanes past its end (the next rows' entries, read but never kept) masked
 * off. No loop runs over the row's entries, so no branch depends on its
 * length: the general loops ended a loop of a few entries at every row, in
 * every pass, and most of those ends were mispredicted (a third of a GAT 16
 * epoch on the 2,708-node graphs went to the output layer's passes). Each
 * lane gets the general loops' operations, and every sum its order and its
 * rounding as GCC compiles those loops (one lane after another, from the same
 * start; a masked lane adds −0, which changes no float; see v8_dot_as_rows),
 * so the bits are theirs: /Philia/Gat/lanes compares the two bit for bit. A
 * row these cannot take (longer, empty, or whose vectors would reach past
 * what the thread may read or write) goes through the general loops.
 */
gboolean _philia_gat_rows_in_lanes = TRUE;
gboolean _philia_gat_source_fused = TRUE;

/* All ones in the lanes below @n. */
static inline G_ALWAYS_INLINE V8i
v8_below (gint64 n)
{
  return (V8i){ 0, 1, 2, 3, 4, 5, 6, 7 } < (gint32)n;
}

static inline G_ALWAYS_INLINE gint32
v8i_max_lane (V8i c)
{
  V8i s = __builtin_shufflevector (c, c, 4, 5, 6, 7, 0, 1, 2, 3), m = c > s;

  c = (c & m) | (s & ~m);
  s = __builtin_shufflevector (c, c, 2, 3, 0, 1, 6, 7, 4, 5);
  m = c > s;
  c = (c & m) | (s & ~m);
  return MAX (c[0], c[1]);
}

/* The largest lane (as MAX over the lanes in any order: they differ only in
 * the sign of a zero maximum, which exp_approx (x − max) does not see). */
static inline G_ALWAYS_INLINE float
v8_max_lane (V8f x)
{
  V8f s = __builtin_shufflevector (x, x, 4, 5, 6, 7, 0, 1, 2, 3);

  x = v8_select (x > s, x, s);
  s = __builtin_shufflevector (x, x, 2, 3, 0, 1, 6, 7, 4, 5);
  x = v8_select (x > s, x, s);
  return MAX (x[0], x[1]);
}

/* @acc + v[0] + v[1] + … + v[7], one after another. */
static inline G_ALWAYS_INLINE float
v8_add_in_order (float acc,
                 V8f   v)
{
  for (guint j = 0; j < 8; j++)
    acc += v[j];
  return acc;
}

/* Σ_j a[j] g[j] over the lanes from 0, rounded as gat_score_loop's sum over
 * a row of @n entries is: GCC vectorises that in-order sum four and eight
 * entries at a time, each product rounded before it is added, and fuses the
 * multiply and the add of the last n mod 4 entries (where the clone has
 * FMA). So lanes below 4⌊n/4⌋ add rounded products and the others multiply
 * and add as the clone fuses them; a masked lane (−0 · +0) adds nothing
 * either way. */
static inline G_ALWAYS_INLINE float
v8_dot_as_rows (V8f    a,
                V8f    g,
                gint64 n)
{
  V8f p = a * g;
  float lo_r = 0, lo_f = 0, hi_r, hi_f;

  for (guint j = 0; j < 4; j++)
    lo_r += p[j];
  for (guint j = 0; j < 4; j++)
    lo_f += a[j] * g[j];
  hi_r = hi_f = n >= 4 ? lo_r : lo_f;
  for (guint j = 4; j < 8; j++)
    hi_r += p[j];
  for (guint j = 4; j < 8; j++)
    hi_f += a[j] * g[j];
  return n >= 8 ? hi_r : hi_f;
}

/* x[i[b]], …, x[i[b + 7]] for 64-bit indices. */
static inline G_ALWAYS_INLINE V8f
v8_gather64 (const float *restrict  x,
             const gint64 *restrict i)
{
  return (V8f){ x[i[0]], x[i[1]], x[i[2]], x[i[3]], x[i[4]], x[i[5]], x[i[6]], x[i[7]] };
}

/* Σ_j α_j r[j] over the lanes j of @ok, in lane order from @acc: each
 * column's multiply-adds those of gat_gather's loop over the entries. */
static inline G_ALWAYS_INLINE V8f
v8_weigh_rows (V8f       acc,
               V8i       ok,
               V8f       alpha,
               const V8f r[8])
{
  for (guint j = 0; j < 8; j++)
    acc = v8_select ((V8i){ 0 } + ok[j], acc + alpha[j] * r[j], acc);
  return acc;
}

/* A row of @d ≤ 8 floats from lanes: all eight when that stays below
 * @limit (the thread's end; the lanes past @d land in the next row, which
 * is written after), else @d of them. */
static inline G_ALWAYS_INLINE void
v8_store_row (float *restrict o,
              gsize           i,
              guint           d,
              gsize           limit,
              V8f             v)
{
  if (i + 8 <= limit)
    v8_store (o + i, v);
  else
    for (guint k = 0; k < d; k++)
      o[i + k] = v[k];
}

/* Whether destination row @v of @s goes in lanes: one to eight entries,
 * the thread owning eight from its first (below @elimit), and every lane's
 * eight floats of its row of wx (@d columns) within wx. Its first entry in
 * *@b, its length in *@n, its columns in *@c. */
static inline G_ALWAYS_INLINE gboolean
gat1_lane_row (const PhiliaSparse *s,
               guint               v,
               guint               d,
               gint64              elimit,
               gint64             *b,
               gint64             *n,
               V8i                *c)
{
  *b = s->row_offsets[v];
  *n = s->row_offsets[v + 1] - *b;
  if (!_philia_gat_rows_in_lanes || *n < 1 || *n > 8 || *b + 8 > elimit)
    return FALSE;
  *c = v8i_load (s->col_index + *b);
  return (gint64)v8i_max_lane (*c) * d + 8 <= (gint64)s->cols * d;
}

/* Forward, row @v of one head of @d ≤ 8 columns: scores, softmax, dropout
 * and the weighted sum (gat_softmax_row, gat_exp, gat_normalise_row and
 * gat_gather's arithmetic). The thread owns the entries below @elimit and
 * the rows below @vend. */
static inline G_ALWAYS_INLINE gboolean
gat1_forward_row (const GatTask *t,
                  guint          v,
                  guint          d,
                  gint64         elimit,
                  guint          vend)
{
  gint64 b, n;
  V8f x, w, a, p, r[8];
  V8i c, ok;
  float mx, sm;

  if (!gat1_lane_row (t->s, v, d, elimit, &b, &n, &c))
    return FALSE;
  ok = v8_below (n);
  x = t->dst[v] + v8_gather (t->src, c);
  x = v8_select (x > 0, x, t->slope * x);
  mx = v8_max_lane (v8_select (ok, x, (V8f){ 0 } - INFINITY));
  w = v8_select (ok, v8_exp_approx (x - mx), (V8f){ 0 } - 0.0f);
  sm = v8_add_in_order (0.0f, w);
  a = w / sm;
  v8_store (t->alpha + b, a);
  p = a;
  if (t->mask != NULL)
    {
      p = a * v8_mask_factor (t->mask + b, t->keep);
      v8_store (t->post + b, p);
    }
  for (guint j = 0; j < 8; j++)
    r[j] = v8_load (t->wx + (gsize)c[j] * d);
  v8_store_row (t->out, (gsize)v * d, d, (gsize)vend * d, v8_weigh_rows ((V8f){ 0 }, ok, p, r));
  return TRUE;
}

/* Backward, first pass, source row @u of one head of @d ≤ 7 columns: its
 * row of d wx (gat_gather over the transpose, written outright). The
 * entries' dots come in the second pass (gat1_score_row), where each is its
 * destination row's and needs no scattered write. The thread owns the rows
 * below @uend. */
static inline G_ALWAYS_INLINE gboolean
gat1_source_row (const GatTask *t,
                 guint          u,
                 guint          d,
                 guint          uend)
{
  const PhiliaSparse *tr = t->s->transpose;
  gint64 b = tr->row_offsets[u], n = tr->row_offsets[u + 1] - b;
  V8f r[8];
  V8i c;

  if (!_philia_gat_rows_in_lanes)
    return FALSE;
  if (n < 1 || n > 8 || b + 8 > tr->nnz || t->accumulate)
    return FALSE;
  c = v8i_load (tr->col_index + b);
  if ((gint64)v8i_max_lane (c) * d + 8 > (gint64)t->s->rows * d)
    return FALSE;
  for (guint j = 0; j < 8; j++)
    r[j] = v8_load (t->dout + (gsize)c[j] * d);
  v8_store_row (t->dwx, (gsize)u * d, d, (gsize)uend * d,
                v8_weigh_rows ((V8f){ 0 }, v8_below (n),
                               v8_gather64 (t->post, t->s->transpose_perm + b), r));
  return TRUE;
}

/* Backward, second pass, destination row @v of one head of @d ≤ 7 columns:
 * the entries' dots (gat_dots' sums: eight columns would sum as a tree
 * there, hence seven), then gat_score_loop's arithmetic. The lanes past the
 * row are written too; the next rows write theirs after. */
static inline G_ALWAYS_INLINE gboolean
gat1_score_row (const GatTask *t,
                guint          v,
                guint          d,
                gint64         elimit)
{
  const float *restrict gv = t->dout + (gsize)v * d;
  gint64 b, n;
  V8f raw, g, a, h, r[8], col[8];
  V8i c, ok;
  float dot;

  if (!gat1_lane_row (t->s, v, d, elimit, &b, &n, &c))
    return FALSE;
  ok = v8_below (n);
  for (guint j = 0; j < 8; j++)
    r[j] = v8_load (t->wx + (gsize)c[j] * d);
  v8_transpose (r, col);
  raw = (V8f){ 0 };
  for (guint k = 0; k < d; k++)
    raw += gv[k] * col[k];
  g = raw;
  if (t->mask != NULL)
    g = v8_select (v8_kept (t->mask + b), t->keep * raw, (V8f){ 0 });
  a = v8_load (t->alpha + b);
  dot = v8_dot_as_rows (v8_select (ok, a, (V8f){ 0 } - 0.0f), v8_select (ok, g, (V8f){ 0 }), n);
  h = a * (g - dot);
  h = v8_select (t->dst[v] + v8_gather (t->src, c) > 0, h, t->slope * h);
  v8_store (t->da + b, h);
  if (t->gd != NULL)
    t->gd[v] = v8_add_in_order (t->gd[v], v8_select (ok, h, (V8f){ 0 } - 0.0f));
  return TRUE;
}

/* Backward, third pass, source row @u of one head (gat_src_grad_loop). */
static inline G_ALWAYS_INLINE gboolean
gat1_src_grad_row (const GatTask *t,
                   guint          u)
{
  const PhiliaSparse *tr = t->s->transpose;
  gint64 b = tr->row_offsets[u], n = tr->row_offsets[u + 1] - b;

  if (!_philia_gat_rows_in_lanes)
    return FALSE;
  if (n < 1 || n > 8 || b + 8 > tr->nnz)
    return FALSE;
  t->gs[u] = v8_add_in_order (t->gs[u], v8_select (v8_below (n),
                                                   v8_gather64 (t->da, t->s->transpose_perm + b),
                                                   (V8f){ 0 } - 0.0f));
  return TRUE;
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
                      t->out + (gsize)v * H * d, FALSE, GAT_WLEN (t), GAT_XLEN (t), t->lh);
        }
      return;
    }
  if (H == 1 && d <= 8)
    {
      for (guint v = begin; v < end; v++)
        if (!gat1_forward_row (t, v, d, off[end], end))
          {
            gat_softmax_row (t, v, H, mx);
            gat_exp (t->alpha + off[v], (gsize)(off[v + 1] - off[v]));
            gat_normalise_row (t, v, H, mx + H);
            gat_gather (t->s->col_index, NULL, off[v], off[v + 1], t->post, H, d, t->wx,
                        t->out + (gsize)v * d, FALSE, GAT_WLEN (t), GAT_XLEN (t), t->lh);
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
                      t->out + (gsize)v * H * d, FALSE, GAT_WLEN (t), GAT_XLEN (t), t->lh);
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

/* The longest transpose row gat_source_row_blocks takes: its entries' dot
 * vectors stay on the stack, 256 bytes an entry. */
#define GAT_SOURCE_ROW_MAX 32

/*
 * Eight heads of a multiple of 64 columns (each 64-column block inside one
 * head), source row @xj of wx: its row @o of d wx as gat_gather makes it and
 * its entries' dots as gat_dots makes them, in one pass over the gathered
 * rows of @g. The two read each gathered row of d out in turn, 2 KB a row at
 * 512 columns, from a [rows, 512] gradient that L2 does not hold: a third of
 * GAT 512's step on the 1,500-word graph went to the pair (HACKING.md §7).
 * Here each 64-column piece of a gathered row serves both the block's
 * accumulators and the entry's dot for that head, which goes on where the
 * head's previous block left it, so every sum is the separate loops': the
 * same terms, the same order, the same fused multiply-adds.
 * /Philia/Gat/source-fused compares the two bit for bit. FALSE (nothing
 * written) for a row longer than GAT_SOURCE_ROW_MAX.
 */
static inline G_ALWAYS_INLINE gboolean
gat_source_row_blocks (const gint32 *restrict col,
                       const gint64 *restrict vidx,
                       gint64                 e0,
                       gint64                 e1,
                       const float *restrict  w,
                       guint                  d,
                       const float *restrict  g,
                       const float *restrict  xj,
                       float *restrict        o,
                       gboolean               accumulate,
                       float *restrict        da)
{
  gsize n = (gsize)8 * d;
  V8f p[GAT_SOURCE_ROW_MAX][8];

  if (!_philia_gat_source_fused || e1 - e0 > GAT_SOURCE_ROW_MAX)
    return FALSE;
  for (gsize c0 = 0; c0 < n; c0 += 64)
    {
      guint h = c0 / d;
      gboolean first = c0 % d == 0;
      V8f acc[8] = { { 0 }, { 0 }, { 0 }, { 0 }, { 0 }, { 0 }, { 0 }, { 0 } };

      for (gint64 e = e0; e < e1; e++)
        {
          const float *restrict gr = g + (gsize)col[e] * n + c0;
          float we = w[vidx[e] * 8 + h];
          V8f gk = v8_load (gr), q;

          acc[0] += we * gk;
          if (first)
            q = gk * v8_load (xj + c0);
          else
            {
              q = p[e - e0][h];
              q += gk * v8_load (xj + c0);
            }
          for (guint k = 1; k < 8; k++)
            {
              gk = v8_load (gr + 8 * k);
              acc[k] += we * gk;
              q += gk * v8_load (xj + c0 + 8 * k);
            }
          p[e - e0][h] = q;
        }
      for (guint k = 0; k < 8; k++)
        v8_store (o + c0 + 8 * k, accumulate ? v8_load (o + c0 + 8 * k) + acc[k] : acc[k]);
    }
  for (gint64 e = e0; e < e1; e++)
    v8_store (da + vidx[e] * 8, v8_add_lane_sums ((V8f){ 0 }, p[e - e0]));
  return TRUE;
}

/* Backward, first pass, over the rows u of the transpose: d wx_u =
 * Σ_v α'_vu d out_v (α' after dropout) and dα'_vu = d out_v · wx_u per head. */
static inline G_ALWAYS_INLINE void
gat_source_loop (const GatTask *t,
                 guint          begin,
                 guint          end,
                 guint          H,
                 guint          d,
                 float         *xT)
{
  const PhiliaSparse *tr = t->s->transpose;
  const gint64 *off = tr->row_offsets;
  gsize n = (gsize)H * d;

  if (H == 1 && d <= 7)
    {
      /* The dots come in the second pass (gat1_score_row). */
      if (t->dwx != NULL)
        for (guint u = begin; u < end; u++)
          if (!gat1_source_row (t, u, d, end))
            gat_gather (tr->col_index, t->s->transpose_perm, off[u], off[u + 1], t->post, H,
                        d, t->dout, t->dwx + u * n, t->accumulate, GAT_WLEN (t),
                        GAT_DLEN (t), t->lh);
      return;
    }
  for (guint u = begin; u < end; u++)
    {
      if (H == 8 && d % 64 == 0 && t->dwx != NULL && t->da != NULL
          && gat_source_row_blocks (tr->col_index, t->s->transpose_perm, off[u], off[u + 1],
                                    t->post, d, t->dout, t->wx + u * n, t->dwx + u * n,
                                    t->accumulate, t->da))
        continue;
      if (t->dwx != NULL)
        gat_gather (tr->col_index, t->s->transpose_perm, off[u], off[u + 1], t->post, H, d,
                    t->dout, t->dwx + u * n, t->accumulate, GAT_WLEN (t), GAT_DLEN (t), t->lh);
      if (t->da != NULL && xT != NULL)
        {
          gat_transpose_row (xT, t->wx + u * n, t->wx + GAT_XLEN (t), H, d);
          gat_dots (tr->col_index, t->s->transpose_perm, off[u], off[u + 1], H, d, t->dout,
                    t->wx + u * n, t->da, t->doutT, xT);
        }
      else if (t->da != NULL)
        gat_dots (tr->col_index, t->s->transpose_perm, off[u], off[u + 1], H, d, t->dout,
                  t->wx + u * n, t->da, NULL, NULL);
    }
}

PHILIA_VECTORIZE static void
gat_source_rows (gpointer data,
                 guint    begin,
                 guint    end)
{
  const GatTask *t = data;
  /* Row u of wx transposed, for the dots over the transposed rows of d out;
   * eight floats more for the lanes past its end. */
  g_autofree float *xT = t->doutT != NULL ? g_new (float, (gsize)t->heads * t->d + 8) : NULL;

  if (xT != NULL)
    memset (xT, 0, sizeof (float) * ((gsize)t->heads * t->d + 8));
  GAT_DISPATCH (gat_source_loop, t, begin, end, xT);
}

/* d out's rows transposed (gat_transpose_row) into doutT, for the dots of
 * the shapes gat_gather_block takes with two heads or more. */
PHILIA_VECTORIZE static void
gat_transpose_rows (gpointer data,
                    guint    begin,
                    guint    end)
{
  const GatTask *t = data;
  gsize n = (gsize)t->heads * t->d;

  for (guint v = begin; v < end; v++)
    gat_transpose_row (t->doutT + v * (n + 8), t->dout + v * n, t->dout + GAT_DLEN (t),
                       t->heads, t->d);
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

/* One head of @d ≤ 7 columns: the dots and scores of a row in lanes, or
 * (rows they cannot take) its dots, then gat_score_loop. */
static inline G_ALWAYS_INLINE void
gat1_score_loop (const GatTask *t,
                 guint          begin,
                 guint          end,
                 guint          d)
{
  gint64 elimit = t->s->row_offsets[end];
  float dot;

  for (guint v = begin; v < end; v++)
    if (!gat1_score_row (t, v, d, elimit))
      {
        /* Each entry's dot as gat_dots makes it, then the general loop. */
        for (gint64 e = t->s->row_offsets[v]; e < t->s->row_offsets[v + 1]; e++)
          {
            gint32 row = (gint32)v;

            gat_dots (&row, &e, 0, 1, 1, d, t->dout, t->wx + (gsize)t->s->col_index[e] * d,
                      t->da, NULL, NULL);
          }
        gat_score_loop (t, v, v + 1, 1, &dot);
      }
}

PHILIA_VECTORIZE static void
gat_score_rows (gpointer data,
                guint    begin,
                guint    end)
{
  const GatTask *t = data;
  g_autofree float *dot = NULL;

  if (t->heads == 1 && t->d <= 7)
    {
      switch (t->d)
        {
        case 1: gat1_score_loop (t, begin, end, 1); break;
        case 2: gat1_score_loop (t, begin, end, 2); break;
        case 3: gat1_score_loop (t, begin, end, 3); break;
        case 4: gat1_score_loop (t, begin, end, 4); break;
        case 5: gat1_score_loop (t, begin, end, 5); break;
        case 6: gat1_score_loop (t, begin, end, 6); break;
        default: gat1_score_loop (t, begin, end, 7); break;
        }
      return;
    }
  dot = g_new (float, t->heads);
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
    if (H != 1 || !gat1_src_grad_row (t, u))
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
  g_autofree gint32 *lh = NULL;
  gsize nT = 0;

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
  task.lh = lh = gat_lane_heads_new (task.heads, task.d);
  if (lh != NULL && task.da != NULL && task.heads >= 2)
    {
      /* The dots' rows of d out with their heads adjacent: a pass over the
       * rows here, then every entry's dot in vectors of heads. */
      nT = (gsize)s->rows * (wx->cols + 8);
      task.doutT = _philia_tape_pool_take (tape, MAX (nT, 1));
      _philia_tape_parallel_rows_cost (tape, s->rows, s->row_offsets,
                                       (double)s->rows * wx->cols,
                                       8.0 * s->rows * wx->cols, gat_transpose_rows, &task);
    }
  _philia_tape_parallel_rows_cost (tape, s->cols, s->transpose->row_offsets, work,
                                   4.0 * (5.0 * nh + s->nnz + 2.0 * s->cols * wx->cols),
                                   gat_source_rows, &task);
  if (task.doutT != NULL)
    _philia_tape_pool_give (tape, MAX (nT, 1), task.doutT);
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
  g_autofree gint32 *lh = NULL;

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
  task.lh = lh = gat_lane_heads_new (task.heads, task.d);
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
