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
#include "philia-narrow-lanes-private.h"

#include <cblas.h>
#include <math.h>
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
 * so that the accumulators stay in registers.
 *
 * Each class: eight lanes' chains of multiply-adds over the whole groups of
 * eight features, v8_sum () of them, plus the tail's sum, plus the bias.
 * The C horizontal sums are taken at once: the accumulators transposed
 * (lane i of each in vector i) and the eight vectors added from zero in
 * lane order (v8_add_lane_sums ()), which gives each class v8_sum ()'s
 * additions in its order (tests/bench/GRID.md, session 22).
 *
 * The tail (the f % 8 features past the last eight) is summed from zero
 * with the classes in the lanes, one broadcast feature at a time, rounding
 * as the compiler's code for the scalar loop `tail[j] += x[k] wt[j][k]`
 * rounded in the x86-64-v3 clone: with four or more, the first four
 * products unfused (GCC vectorised them four wide and added them in order),
 * the others fused; with three or fewer all fused. The same bits as that
 * loop (tests/test-narrow-tails.c compares the two, @sums off being the
 * scalar loop with its row of horizontal sums, kept for the tests), where
 * the scalar form cost a row C horizontal sums and C × (f % 8) scalar
 * steps: on 10,000 × 63 SGC's step was 0.42 ms against 0.22 at 64
 * (tests/bench/GRID.md, session 23). */
static inline G_ALWAYS_INLINE void
narrow_forward_c (float *restrict       y,
                  const float *restrict x,
                  const float *restrict wt,
                  const float *restrict b,
                  guint                 rows,
                  guint                 f,
                  const guint           c,
                  gboolean              sums)
{
  const guint f8 = f / 8 * 8, t = f - f8;

  if (t == 0 || sums)
    {
      float bp[8] = { 0 };
      V8f wk[8];

      memcpy (bp, b, sizeof (float) * c);
      /* the tail's weights with the classes in the lanes */
      for (guint k = 0; k < t; k++)
        {
          float col[8] = { 0 };

          for (guint j = 0; j < c; j++)
            col[j] = wt[(gsize)j * f + f8 + k];
          wk[k] = v8_load (col);
        }
      for (guint r = 0; r < rows; r++)
        {
          const float *restrict xr = x + (gsize)r * f;
          V8f acc[8] = { { 0 } }, s, tl = { 0 };

          for (guint k = 0; k < f8; k += 8)
            {
              V8f v = v8_load (xr + k);

              for (guint j = 0; j < c; j++)
                acc[j] += v * v8_load (wt + (gsize)j * f + k);
            }
          s = v8_add_lane_sums ((V8f){ 0 }, acc);
          if (t >= 4)
            {
              V8f p[4];

              for (guint k = 0; k < 4; k++)
                p[k] = xr[f8 + k] * wk[k];
              /* through memory: the products rounded on their own */
              __asm__ ("" : "+m" (p));
              tl = ((((tl + p[0]) + p[1]) + p[2]) + p[3]);
            }
          for (guint k = t >= 4 ? 4 : 0; k < t; k++)
            tl += xr[f8 + k] * wk[k];
          s = (s + tl) + v8_load (bp);
          /* lane by lane: a copy through memory stalls on the store */
          for (guint j = 0; j < c; j++)
            y[(gsize)r * c + j] = s[j];
        }
      return;
    }
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

/* Rows a pass of wide_forward () keeps in registers: eight sums of sixteen
 * classes, each a chain of multiply-adds with its own row (eight chains
 * hide the multiply-add's latency), W's row of sixteen classes loaded once
 * for the eight. */
#define WIDE_ROWS 8

/* y = X W + b for more than PHILIA_NARROW_MAX classes, from @wp: W [f, cp]
 * with its classes padded with zeros to cp, a multiple of sixteen. Each
 * logit is one chain of multiply-adds over the features from zero, then
 * the bias (tests/test-narrow-tails.c). Dot products (narrow_forward_c ())
 * need a horizontal sum per class a row and, eight classes a pass, read
 * each row once per eight; here each row's feature is one broadcast per
 * sixteen classes (SGC on 10,000 × 128 with 16 classes: tests/bench/GRID.md,
 * session 23). */
static inline G_ALWAYS_INLINE void
wide_forward_rows (float *restrict       y,
                   const float *restrict x,
                   const float *restrict wp,
                   const float *restrict b,
                   guint                 r0,
                   guint                 f,
                   guint                 c,
                   guint                 cp,
                   const guint           nr)
{
  for (guint j = 0; j < cp; j += 16)
    {
      V16f acc[WIDE_ROWS] = { { 0 } }, bv;
      float bt[16] = { 0 }, out[16];
      guint m = MIN (16, c - j);

      for (guint k = 0; k < f; k++)
        {
          V16f wv = v16_load (wp + (gsize)k * cp + j);

          for (guint i = 0; i < nr; i++)
            acc[i] += x[(gsize)(r0 + i) * f + k] * wv;
        }
      memcpy (bt, b + j, sizeof (float) * m);
      bv = v16_load (bt);
      for (guint i = 0; i < nr; i++)
        {
          v16_store (out, acc[i] + bv);
          memcpy (y + (gsize)(r0 + i) * c + j, out, sizeof (float) * m);
        }
    }
}

PHILIA_VECTORIZE_V4 static void
wide_forward (float *restrict       y,
              const float *restrict x,
              const float *restrict wp,
              const float *restrict b,
              guint                 rows,
              guint                 f,
              guint                 c,
              guint                 cp)
{
  guint r = 0;

  for (; r + WIDE_ROWS <= rows; r += WIDE_ROWS)
    wide_forward_rows (y, x, wp, b, r, f, c, cp, WIDE_ROWS);
  for (; r < rows; r++)
    wide_forward_rows (y, x, wp, b, r, f, c, cp, 1);
}

static void
narrow_forward_wide (float       *y,
                     const float *x,
                     const float *wt,
                     const float *b,
                     guint        rows,
                     guint        f,
                     guint        c)
{
  guint cp = (c + 15) / 16 * 16;
  g_autofree float *wp = g_new0 (float, (gsize)f * cp);

  for (guint j = 0; j < c; j++)
    for (guint k = 0; k < f; k++)
      wp[(gsize)k * cp + j] = wt[(gsize)j * f + k];
  wide_forward (y, x, wp, b, rows, f, c, cp);
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
  gboolean sums = _philia_narrow_lanes_on ();

  switch (c)
    {
    case 1: narrow_forward_c (y, x, wt, b, rows, f, 1, sums); return;
    case 2: narrow_forward_c (y, x, wt, b, rows, f, 2, sums); return;
    case 3: narrow_forward_c (y, x, wt, b, rows, f, 3, sums); return;
    case 4: narrow_forward_c (y, x, wt, b, rows, f, 4, sums); return;
    case 5: narrow_forward_c (y, x, wt, b, rows, f, 5, sums); return;
    case 6: narrow_forward_c (y, x, wt, b, rows, f, 6, sums); return;
    case 7: narrow_forward_c (y, x, wt, b, rows, f, 7, sums); return;
    case 8: narrow_forward_c (y, x, wt, b, rows, f, 8, sums); return;
    default: narrow_forward_wide (y, x, wt, b, rows, f, c); return;
    }
}

/* narrow_grad_c ()'s sums for @ng groups of sixteen features from @k at
 * once: each row's dY read once for all of them, and each lane's sum over
 * the block's rows in the same order as one group at a time. */
static inline G_ALWAYS_INLINE void
narrow_grad_groups (float *restrict       gt,
                    const float *restrict x,
                    const float *restrict dy,
                    guint                 r0,
                    guint                 r1,
                    guint                 f,
                    guint                 k,
                    const guint           c,
                    guint                 ldy,
                    const guint           ng)
{
  V16f acc[4][PHILIA_NARROW_MAX] = { { { 0 } } };

  for (guint r = r0; r < r1; r++)
    {
      V16f v[4];

      for (guint g = 0; g < ng; g++)
        v[g] = v16_load (x + (gsize)r * f + k + 16 * g);
      for (guint j = 0; j < c; j++)
        {
          float d = dy[(gsize)r * ldy + j];

          for (guint g = 0; g < ng; g++)
            acc[g][j] += v[g] * d;
        }
    }
  for (guint g = 0; g < ng; g++)
    for (guint j = 0; j < c; j++)
      {
        float *o = gt + (gsize)j * f + k + 16 * g;

        v16_store (o, v16_load (o) + acc[g][j]);
      }
}

/* Features k … f of row @r of @x [rows, f] in the first lanes of a
 * vector: eight floats, past the row into the next one's where there is one
 * (those lanes are not kept). */
static inline G_ALWAYS_INLINE V8f
narrow_tail_load (const float *x,
                  guint        r,
                  guint        f,
                  guint        k,
                  guint        rows)
{
  float last[8] = { 0 };

  /* Eight floats from feature k of row r reach into the next rows; that
   * is only inside the block when eight of its floats remain (with fewer
   * than eight features a row, the next row alone may not hold them). */
  if ((gsize)(rows - r) * f - k >= 8)
    return v8_load (x + (gsize)r * f + k);
  memcpy (last, x + (gsize)r * f + k, sizeof (float) * (f - k));
  return v8_load (last);
}

/* gt[c][k] += Σ_r x[r][k] dy[r][c] (row r of dy at dy + r ldy): a block of
 * rows at a time, each group of eight features summed over the block in
 * registers, the features past the last eight chained onto gt row by row. */
static inline G_ALWAYS_INLINE void
narrow_grad_c (float *restrict       gt,
               const float *restrict x,
               const float *restrict dy,
               guint                 rows,
               guint                 f,
               const guint           c,
               guint                 ldy,
               gboolean              lanes)
{
  for (guint r0 = 0; r0 < rows; r0 += NARROW_BLOCK)
    {
      guint r1 = MIN (rows, r0 + NARROW_BLOCK), k = 0;
      /* Four groups of sixteen features a pass over the block where their
       * sums and the row's values fit the 32 vector registers (at most 24
       * sums), two otherwise: a row's dY is read a quarter as often as one
       * group at a time, and the same bits. */
      const guint ng = c <= 6 ? 4 : 2;

      for (; k + 16 * ng <= f; k += 16 * ng)
        narrow_grad_groups (gt, x, dy, r0, r1, f, k, c, ldy, ng);
      /* The two or three groups of sixteen left (a width not a multiple of
       * 64, as 63 or 127) in one pass too, not one pass each. */
      if (ng == 4 && k + 48 <= f)
        {
          narrow_grad_groups (gt, x, dy, r0, r1, f, k, c, ldy, 3);
          k += 48;
        }
      else if (ng == 4 && k + 32 <= f)
        {
          narrow_grad_groups (gt, x, dy, r0, r1, f, k, c, ldy, 2);
          k += 32;
        }

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
                acc[j] += v * dy[(gsize)r * ldy + j];
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
                acc[j] += v * dy[(gsize)r * ldy + j];
            }
          for (guint j = 0; j < c; j++)
            v8_store (gt + (gsize)j * f + k, v8_load (gt + (gsize)j * f + k) + acc[j]);
        }
      /* The tail's features in the lanes of one vector a class: each
       * element's multiply-adds onto gt in row order, fused, as the scalar
       * loop below (kept for the tests: tests/test-narrow-tails.c) does
       * them one at a time, C × (f % 8) dependent chains a block where the
       * vectors make C. */
      if (k < f && lanes)
        {
          const guint t = f - k;
          /* At one class GCC vectorised the scalar loop's rows four at a
           * time: the products of each whole four unfused, added in row
           * order; the rest fused (two loops: in one, the compiler shares
           * the product between both kinds and fuses neither). A last
           * class alone of more than eight rounds as one class does (the
           * scalar loop fuses all there, dy's rows being c apart). */
          const guint r4 = c == 1 ? r0 + (r1 - r0) / 4 * 4 : r0;
          V8f tacc[PHILIA_NARROW_MAX];

          for (guint j = 0; j < c; j++)
            {
              float init[8] = { 0 };

              memcpy (init, gt + (gsize)j * f + k, sizeof (float) * t);
              tacc[j] = v8_load (init);
            }
          /* Rows from rl on are read apart: eight floats from feature k of
           * row r stay inside x only while (rows - r) f - k >= 8, which
           * with fewer than eight features a row leaves out more than the
           * last row. */
          const guint need = (k + 8 + f - 1) / f;
          const guint rl = rows >= need ? MIN (r1, rows - need + 1) : 0;

          for (guint r = r0; r < r4; r++)
            {
              V8f p = narrow_tail_load (x, r, f, k, rows) * dy[(gsize)r * ldy];

              __asm__ ("" : "+m" (p));
              tacc[0] += p;
            }
          for (guint r = r4; r < rl; r++)
            {
              V8f v = v8_load (x + (gsize)r * f + k);

              for (guint j = 0; j < c; j++)
                tacc[j] += v * dy[(gsize)r * ldy + j];
            }
          for (guint r = MAX (r4, rl); r < r1; r++)
            {
              V8f v = narrow_tail_load (x, r, f, k, rows);

              for (guint j = 0; j < c; j++)
                tacc[j] += v * dy[(gsize)r * ldy + j];
            }
          for (guint j = 0; j < c; j++)
            {
              float out[8];

              v8_store (out, tacc[j]);
              memcpy (gt + (gsize)j * f + k, out, sizeof (float) * t);
            }
          k = f;
        }
      for (; k < f; k++)
        for (guint r = r0; r < r1; r++)
          for (guint j = 0; j < c; j++)
            gt[(gsize)j * f + k] += x[(gsize)r * f + k] * dy[(gsize)r * ldy + j];
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
  gboolean lanes = _philia_narrow_lanes_on ();

  switch (c)
    {
    case 1: narrow_grad_c (gt, x, dy, rows, f, 1, 1, lanes); return;
    case 2: narrow_grad_c (gt, x, dy, rows, f, 2, 2, lanes); return;
    case 3: narrow_grad_c (gt, x, dy, rows, f, 3, 3, lanes); return;
    case 4: narrow_grad_c (gt, x, dy, rows, f, 4, 4, lanes); return;
    case 5: narrow_grad_c (gt, x, dy, rows, f, 5, 5, lanes); return;
    case 6: narrow_grad_c (gt, x, dy, rows, f, 6, 6, lanes); return;
    case 7: narrow_grad_c (gt, x, dy, rows, f, 7, 7, lanes); return;
    case 8: narrow_grad_c (gt, x, dy, rows, f, 8, 8, lanes); return;
    default: break;
    }
  /* More classes: each block of rows through every group of eight classes
   * while it is in cache; each element's sums as among eight. */
  for (guint r0 = 0; r0 < rows; r0 += NARROW_BLOCK)
    {
      guint n = MIN (NARROW_BLOCK, rows - r0);
      const float *xb = x + (gsize)r0 * f, *db = dy + (gsize)r0 * c;

      for (guint j0 = 0; j0 < c; j0 += PHILIA_NARROW_MAX)
        {
          float *gj = gt + (gsize)j0 * f;

          switch (MIN (PHILIA_NARROW_MAX, c - j0))
            {
            case 1: narrow_grad_c (gj, xb, db + j0, n, f, 1, c, lanes); break;
            case 2: narrow_grad_c (gj, xb, db + j0, n, f, 2, c, lanes); break;
            case 3: narrow_grad_c (gj, xb, db + j0, n, f, 3, c, lanes); break;
            case 4: narrow_grad_c (gj, xb, db + j0, n, f, 4, c, lanes); break;
            case 5: narrow_grad_c (gj, xb, db + j0, n, f, 5, c, lanes); break;
            case 6: narrow_grad_c (gj, xb, db + j0, n, f, 6, c, lanes); break;
            case 7: narrow_grad_c (gj, xb, db + j0, n, f, 7, c, lanes); break;
            default: narrow_grad_c (gj, xb, db + j0, n, f, 8, c, lanes); break;
            }
        }
    }
}

/* gb[c] += Σ_r dy[r][c], each class's sum over the rows in order. The sums
 * are held in locals with @c a constant after inlining: added straight
 * into gb (which may alias dy for the compiler) each was a store and a
 * load a row, about 8 % of SGC's step on 11,758 × 128 (tests/bench/GRID.md,
 * session 22). The same additions in the same order, so the same bits. */
static inline G_ALWAYS_INLINE void
bias_grad_c (float *restrict       gb,
             const float *restrict dy,
             guint                 rows,
             const guint           c,
             guint                 ldy)
{
  float acc[PHILIA_NARROW_MAX];

  for (guint j = 0; j < c; j++)
    acc[j] = gb[j];
  for (guint r = 0; r < rows; r++)
    for (guint j = 0; j < c; j++)
      acc[j] += dy[(gsize)r * ldy + j];
  for (guint j = 0; j < c; j++)
    gb[j] = acc[j];
}

static void
bias_grad (float       *gb,
           const float *dy,
           guint        rows,
           guint        c)
{
  switch (c)
    {
    case 1: bias_grad_c (gb, dy, rows, 1, 1); return;
    case 2: bias_grad_c (gb, dy, rows, 2, 2); return;
    case 3: bias_grad_c (gb, dy, rows, 3, 3); return;
    case 4: bias_grad_c (gb, dy, rows, 4, 4); return;
    case 5: bias_grad_c (gb, dy, rows, 5, 5); return;
    case 6: bias_grad_c (gb, dy, rows, 6, 6); return;
    case 7: bias_grad_c (gb, dy, rows, 7, 7); return;
    case 8: bias_grad_c (gb, dy, rows, 8, 8); return;
    default: break;
    }
  /* more classes: eight at a time, each class's sum over the rows in order */
  for (guint j0 = 0; j0 < c; j0 += PHILIA_NARROW_MAX)
    if (c - j0 >= PHILIA_NARROW_MAX)
      bias_grad_c (gb + j0, dy + j0, rows, PHILIA_NARROW_MAX, c);
    else
      for (guint j = j0; j < c; j++)
        bias_grad_c (gb + j, dy + j, rows, 1, c);
}

/* Wᵀ, so that each class's weights are contiguous like X's rows. */
static float *
narrow_transpose (const PhiliaTensor *w)
{
  guint f = w->rows, c = w->cols;
  float *wt = g_new (float, (gsize)c * f + 1);

  for (guint k = 0; k < f; k++)
    for (guint j = 0; j < c; j++)
      wt[(gsize)j * f + k] = w->data[(gsize)k * c + j];
  return wt;
}

/* W's gradient g [F, C] from its transpose gt [C, F]: g = gt (fresh) or
 * g + gt. */
static void
add_transposed (float       *g,
                const float *gt,
                guint        f,
                guint        c,
                gboolean     fresh)
{
  for (guint k = 0; k < f; k++)
    for (guint j = 0; j < c; j++)
      g[(gsize)k * c + j] = (fresh ? 0.0f : g[(gsize)k * c + j]) + gt[(gsize)j * f + k];
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
    bias_grad (ensure_grad (b), dy, n, c);
  if (w->requires_grad)
    {
      g_autofree float *gt = g_new0 (float, (gsize)c * f);
      float *g = grad_for_write (tape, w, &fresh);

      narrow_grad (gt, x->data, dy, n, f, c);
      add_transposed (g, gt, f, c, fresh);
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
  g_return_val_if_fail (w->cols >= 1 && w->cols <= PHILIA_NARROW_CLASSES, NULL);

  n = x->rows;
  f = x->cols;
  c = w->cols;
  wt = narrow_transpose (w);
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

/* ------------------------------------------- the output layer and the loss */

/* Bytes of X a block of the fused loss takes through the product, the
 * log-softmax, the loss's gradient and the weight gradient: 512 rows at
 * F 128, still in L2 when the weight gradient reads them again (at 10^6 ×
 * 128, loaded: 29–35 ms a step against 35–43 with 64-row blocks). Blocks
 * are whole multiples of NARROW_BLOCK rows (itself a multiple of 8), so
 * they give the bits of the separate ops (philia_op_log_softmax ()'s
 * eight-element steps, the weight gradient's NARROW_BLOCK-row sums). */
#define LINEAR_NLL_BYTES (256 * 1024)

G_STATIC_ASSERT (NARROW_BLOCK % 8 == 0);

static guint
linear_nll_block (guint f)
{
  guint rows = LINEAR_NLL_BYTES / (sizeof (float) * MAX (f, 1));

  return CLAMP (rows / NARROW_BLOCK * NARROW_BLOCK, NARROW_BLOCK, 1024);
}

typedef struct
{
  const gint32 *labels;
  const guint8 *mask;
  double        count;
  float        *gt;      /* [C, F]: Σ Xᵀ dY for the loss's gradient 1, by class */
  float        *gb;      /* [C]: Σ dY */
} LinearNllSaved;

/* One pass over the rows of X, a block at a time: the logits, their
 * log-softmax, the NLL's sum over the counted rows (returned, in double as
 * philia_op_nll () sums) and, with @gt, the gradients of W (transposed,
 * added to @gt) and b (added to @gb) for the logits' gradient at @scale. */
static double
linear_nll_pass (const float  *x,
                 const float  *wt,
                 const float  *b,
                 guint         n,
                 guint         f,
                 guint         c,
                 const gint32 *labels,
                 const guint8 *mask,
                 float         scale,
                 float        *gt,
                 float        *gb)
{
  const guint block = linear_nll_block (f);
  const gsize bc = (gsize)block * c;
  g_autofree float *scratch = g_new (float, 6 * bc);
  float *logits = scratch, *logp = logits + bc, *shifted = logp + bc;
  float *sums = shifted + bc, *dy = sums + bc, *lse = dy + bc;
  double sum = 0;
  /* Few features: whole 32-row blocks with rows in lanes (the same bits,
   * philia-narrow-lanes.c); the rows after the last whole one below. */
  guint r0 = 0;

  if (_philia_narrow_lanes_take (f) && c <= PHILIA_NARROW_MAX && n >= NARROW_BLOCK)
    {
      r0 = n / NARROW_BLOCK * NARROW_BLOCK;
      _philia_narrow_lanes_nll (x, (gsize)n * f, wt, b, r0, f, c, labels, mask, scale, &sum,
                                gt, gb);
    }
  for (; r0 < n; r0 += block)
    {
      guint rows = MIN (block, n - r0);
      const float *xb = x + (gsize)r0 * f;

      guint done = 0;

      narrow_forward (logits, xb, wt, b, rows, f, c);
      /* The log-softmax, the loss and its gradient of whole groups of
       * sixteen rows in lanes (the same bits), the rest row by row. */
      if (_philia_narrow_lanes_on () && c <= PHILIA_NARROW_MAX)
        {
          done = rows / 16 * 16;
          _philia_narrow_lanes_nll_rows (gt != NULL ? dy : NULL, logits, done, c, labels + r0,
                                         mask != NULL ? mask + r0 : NULL, scale, &sum);
        }
      if (done < rows)
        {
          guint left = rows - done, d0 = r0 + done;

          _philia_log_softmax_rows (logp, logits + (gsize)done * c, left, c, shifted, lse);
          for (guint i = 0; i < left; i++)
            if (labels[d0 + i] >= 0 && (mask == NULL || mask[d0 + i]))
              sum -= logp[(gsize)i * c + labels[d0 + i]];
          /* shifted is the gradient of the log-softmax here */
          if (gt != NULL)
            _philia_nll_log_softmax_grad (dy + (gsize)done * c, logp, labels + d0,
                                          mask != NULL ? mask + d0 : NULL, left, c, scale,
                                          shifted, sums);
        }
      if (gt == NULL)
        continue;
      bias_grad (gb, dy, rows, c);
      narrow_grad (gt, xb, dy, rows, f, c);
    }
  return sum;
}

static void
linear_nll_backward (PhiliaTape *tape,
                     Node       *node)
{
  LinearNllSaved *s = node->saved;
  PhiliaTensor *x = node->in[0], *w = node->in[1], *b = node->in[2];
  guint f = x->cols, c = w->cols;
  float dl = node->out->grad[0];
  gboolean fresh;

  /* The pass assumed the loss's own gradient 1 (a training step's); any
   * other goes over the rows again. */
  if (dl != 1.0f)
    {
      g_autofree float *wt = narrow_transpose (w);

      memset (s->gt, 0, sizeof (float) * ((gsize)c * f + c));
      linear_nll_pass (x->data, wt, b->data, x->rows, f, c, s->labels, s->mask,
                       (float)(dl / s->count), s->gt, s->gb);
    }
  if (b->requires_grad)
    {
      float *gb = ensure_grad (b);

      for (guint j = 0; j < c; j++)
        gb[j] += s->gb[j];
    }
  if (w->requires_grad)
    {
      float *g = grad_for_write (tape, w, &fresh);

      add_transposed (g, s->gt, f, c, fresh);
    }
}

/* The rows the loss counts (a label, and in @mask where given) and whether
 * a counted label is not below @c: 0/1 sums without a branch a row, which
 * the compiler vectorises (a training step counts them every time). */
PHILIA_VECTORIZE static guint
nll_count (const gint32 *labels,
           const guint8 *mask,
           guint         n,
           guint         c,
           gboolean     *bad)
{
  guint count = 0, out = 0;

  if (mask == NULL)
    for (guint i = 0; i < n; i++)
      {
        guint on = labels[i] >= 0;

        count += on;
        out |= on & ((guint)labels[i] >= c);
      }
  else
    for (guint i = 0; i < n; i++)
      {
        guint on = (labels[i] >= 0) & (mask[i] != 0);

        count += on;
        out |= on & ((guint)labels[i] >= c);
      }
  *bad = out != 0;
  return count;
}

PhiliaTensor *
_philia_op_linear_nll (PhiliaTape   *tape,
                       PhiliaTensor *x,
                       PhiliaTensor *w,
                       PhiliaTensor *b,
                       const gint32 *labels,
                       const guint8 *mask)
{
  guint n, f, c;
  g_autofree float *wt = NULL;
  LinearNllSaved *s;
  PhiliaTensor *out;
  gboolean grads;
  gint64 count = 0;
  gboolean bad = FALSE;
  double sum;
  Node node = { 0 };

  g_return_val_if_fail (x != NULL && w != NULL && b != NULL && x->cols == w->rows, NULL);
  g_return_val_if_fail (b->rows == 1 && b->cols == w->cols, NULL);
  g_return_val_if_fail (w->cols >= 1 && w->cols <= PHILIA_NARROW_CLASSES, NULL);
  g_return_val_if_fail (!x->requires_grad && labels != NULL, NULL);

  n = x->rows;
  f = x->cols;
  c = w->cols;
  count = nll_count (labels, mask, n, c, &bad);
  g_return_val_if_fail (!bad, NULL);
  grads = w->requires_grad || b->requires_grad;
  /* One allocation, freed with the node: the saved labels and both gradients. */
  s = g_malloc0 (sizeof (LinearNllSaved) + sizeof (float) * ((gsize)c * f + c));
  s->labels = labels;
  s->mask = mask;
  s->count = count;
  s->gt = (float *)(s + 1);
  s->gb = s->gt + (gsize)c * f;
  wt = narrow_transpose (w);
  sum = linear_nll_pass (x->data, wt, b->data, n, f, c, labels, mask,
                         (float)(1.0 / s->count), grads ? s->gt : NULL, s->gb);
  out = tape_tensor (tape, 1, 1);
  out->data[0] = count > 0 ? (float)(sum / s->count) : NAN;
  if (!grads)
    {
      g_free (s);
      return out;
    }
  node.backward = linear_nll_backward;
  node.out = out;
  node.in[0] = x;
  node.in[1] = w;
  node.in[2] = b;
  node.saved = s;
  out->requires_grad = TRUE;
  g_array_append_val (tape->nodes, node);
  return out;
}

/* Few classes: the narrow op (each row of X read once each way), at any
 * feature width. Below 32 features the generic path used to be taken, but
 * there it is three passes over X's rows and a [rows, C] tensor each (the
 * few-column product, the bias, then the log-softmax and NLL), and the rows
 * are still most of the bytes: on 10^6 × 10 SGC's step went from 25–30 ms
 * to 19–21 ms with its loss unchanged (tests/bench/GRID.md, session 20). */
static gboolean
linear_is_narrow (const PhiliaTensor *x,
                  const PhiliaTensor *w)
{
  return w->cols >= 1 && w->cols <= PHILIA_NARROW_CLASSES && x->cols >= 1;
}

PhiliaTensor *
_philia_op_linear_output (PhiliaTape   *tape,
                          PhiliaTensor *x,
                          PhiliaTensor *w,
                          PhiliaTensor *b)
{
  g_return_val_if_fail (x != NULL && w != NULL && b != NULL && x->cols == w->rows, NULL);

  /* A training step's loss takes the layer when W or b learns; an
   * evaluation pass's log-softmax takes it with nothing to learn. */
  if (linear_is_narrow (x, w) && tape->defer_output && tape->deferred.y == NULL
      && !x->requires_grad
      && (tape->training ? w->requires_grad || b->requires_grad
                         : !(w->requires_grad || b->requires_grad)))
    {
      tape->deferred.x = x;
      tape->deferred.w = w;
      tape->deferred.b = b;
      tape->deferred.y = tape_tensor_uninit (tape, x->rows, w->cols);
      return tape->deferred.y;
    }
  if (linear_is_narrow (x, w))
    return _philia_op_linear_narrow (tape, x, w, b);
  return philia_op_add (tape, philia_op_matmul (tape, x, w), b);
}

void
_philia_tape_defer_output (PhiliaTape *tape,
                           gboolean    defer)
{
  tape->defer_output = !!defer;
}

PhiliaTensor *
_philia_op_output_nll (PhiliaTape   *tape,
                       PhiliaTensor *out,
                       const gint32 *labels,
                       const guint8 *mask,
                       gboolean     *misused)
{
  *misused = tape->deferred.y != NULL && tape->deferred.y != out;
  if (tape->deferred.y == NULL || tape->deferred.y != out)
    return NULL;
  tape->deferred.y = NULL;
  return _philia_op_linear_nll (tape, tape->deferred.x, tape->deferred.w, tape->deferred.b,
                                labels, mask);
}

/* ------------------------------------------------ the evaluation pass */

/* philia-ops-narrow-private.h */
void
_philia_rows_argmax (gint32      *best,
                     const float *logp,
                     guint        rows,
                     guint        c)
{
  for (guint i = 0; i < rows; i++)
    {
      const float *row = logp + (gsize)i * c;
      guint k = 0;

      for (guint j = 1; j < c; j++)
        if (row[j] > row[k])
          k = j;
      best[i] = k;
    }
}

void
_philia_linear_log_softmax (float               *logp,
                            const float         *x,
                            const PhiliaTensor  *w,
                            const PhiliaTensor  *b,
                            guint                n,
                            PhiliaEvalBlockFunc  func,
                            gpointer             data)
{
  guint f = w->rows, c = w->cols;
  const guint block = linear_nll_block (f);
  const gsize bc = (gsize)block * c;
  g_autofree float *wt = NULL, *scratch = NULL;
  g_autofree gint32 *best = NULL;
  float *logits, *shifted, *lse;

  g_return_if_fail (c >= 1 && c <= PHILIA_NARROW_CLASSES && b->cols == c);

  if (n == 0)
    return;
  wt = narrow_transpose (w);
  scratch = g_new (float, 2 * bc + block);
  best = g_new (gint32, block);
  logits = scratch;
  shifted = logits + bc;
  lse = shifted + bc;
  /* Blocks of whole NARROW_BLOCK rows, so that the log-softmax's
   * eight-element steps fall where they fall over all rows at once. */
  for (guint r0 = 0; r0 < n; r0 += block)
    {
      guint rows = MIN (block, n - r0), done = 0;
      float *out = logp + (gsize)r0 * c;
      const float *xb = x + (gsize)r0 * f;

      /* Few features: whole groups of sixteen rows in lanes (the same
       * bits, philia-narrow-lanes.c), the rest row by row. */
      if (_philia_narrow_lanes_take (f) && c <= PHILIA_NARROW_MAX)
        {
          done = rows / 16 * 16;
          _philia_narrow_lanes_log_softmax (out, best, xb, (gsize)(n - r0) * f, wt, b->data,
                                            done, f, c);
        }
      if (done < rows)
        {
          guint lanes = 0;

          narrow_forward (logits, xb + (gsize)done * f, wt, b->data, rows - done, f, c);
          /* the log-softmax and argmax of whole groups of sixteen in lanes */
          if (_philia_narrow_lanes_on () && c <= PHILIA_NARROW_MAX)
            {
              lanes = (rows - done) / 16 * 16;
              _philia_narrow_lanes_log_softmax_rows (out + (gsize)done * c, best + done, logits,
                                                     lanes, c);
            }
          done += lanes;
          if (done < rows)
            {
              _philia_log_softmax_rows (out + (gsize)done * c, logits + (gsize)lanes * c,
                                        rows - done, c, shifted, lse);
              _philia_rows_argmax (best + done, out + (gsize)done * c, rows - done, c);
            }
        }
      if (func != NULL)
        func (out, best, r0, rows, c, data);
    }
}

PhiliaTensor *
_philia_op_output_log_softmax (PhiliaTape          *tape,
                               PhiliaTensor        *out,
                               PhiliaEvalBlockFunc  func,
                               gpointer             data,
                               gboolean            *misused)
{
  PhiliaTensor *logp;

  /* A training step's deferred layer is the loss's, not this pass's. */
  *misused = tape->deferred.y != NULL && (tape->deferred.y != out || tape->training);
  if (tape->deferred.y == NULL || *misused)
    return NULL;
  tape->deferred.y = NULL;
  /* The deferred output's own buffer takes the log-probabilities: the
   * logits are never kept whole. */
  logp = out;
  _philia_linear_log_softmax (logp->data, tape->deferred.x->data, tape->deferred.w,
                              tape->deferred.b, tape->deferred.x->rows, func, data);
  return logp;
}
