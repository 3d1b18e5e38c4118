/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sparse product's last block of a width that is not a multiple of 16,
 * in one pass over each row's entries (HACKING.md §7; the rest of the
 * product is philia-spmm.c). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-spmm-private.h"
#include "philia-simd-private.h"

/*
 * Columns [j0, j0 + width) of one output row (@o points at column j0),
 * width = 8 NV + @tail_lanes below 64, in one pass over the row's entries
 * for a width that is not a multiple of 16 (issue 20: no cliff off the
 * grid's widths). spmm_columns () went over the entries once per block of
 * 32, 16, 8 and the last few columns (a GCN of hidden width 100 on Cora:
 * three passes a row, the last a scalar four-column loop), here the first
 * 8 NV columns in 16- and 8-float vectors and, for the last @tail_lanes
 * columns, one 8-float vector ending at column j0 + width that overlaps
 * the columns before it (which exist: j0 + width ≥ 8) and is written back
 * through a lane select, so no load or store leaves the row. The bits are
 * the old blocks': the first 8 NV columns each summed in entry order as
 * spmm_block_1v () to spmm_block_4v () sum them, the last ones over two
 * accumulators taking alternate entries, added at the end, as
 * spmm_block_1 () to spmm_block_7 () do. All loads of @o happen before
 * the stores, and the overlapped lanes are stored last with the values
 * already there (tests/test-spmm-tails.c).
 */
static inline G_ALWAYS_INLINE void
spmm_tail_body (const gint64 *off, const gint32 *col, const float *values, guint heads,
                guint h, const float *x, guint stride, guint j0, guint i, float *restrict o,
                gboolean accumulate, const guint nv, const gboolean tail, guint tail_lanes)
{
  /* Sixteen columns a vector where they fill one (one AVX-512 register in
   * the x86-64-v4 clone), then an eight-column one if nv is odd. */
  const guint n16 = nv / 2, odd = nv % 2, c8 = 16 * n16;
  V16f acc[4];
  V8f acc8 = { 0 }, a0 = { 0 }, a1 = { 0 };
  gint64 e = off[i], end = off[i + 1];
  gssize last = (gssize)(8 * nv + tail_lanes) - 8;   /* the tail vector's first column */

  for (guint k = 0; k < n16; k++)
    acc[k] = accumulate ? v16_load (o + 16 * k) : (V16f){ 0 };
  if (odd && accumulate)
    acc8 = v8_load (o + c8);
  if (tail && accumulate)
    a0 = v8_load (o + last);
  for (; e + 2 <= end; e += 2)
    {
      const float *restrict x0 = x + (gsize)col[e] * stride + j0;
      const float *restrict x1 = x + (gsize)col[e + 1] * stride + j0;

      if (values != NULL)
        {
          float v0 = values[e * heads + h], v1 = values[(e + 1) * heads + h];

          for (guint k = 0; k < n16; k++)
            acc[k] += v0 * v16_load (x0 + 16 * k);
          if (odd)
            acc8 += v0 * v8_load (x0 + c8);
          for (guint k = 0; k < n16; k++)
            acc[k] += v1 * v16_load (x1 + 16 * k);
          if (odd)
            acc8 += v1 * v8_load (x1 + c8);
          if (tail)
            {
              a0 += v0 * v8_load (x0 + last);
              a1 += v1 * v8_load (x1 + last);
            }
        }
      else
        {
          for (guint k = 0; k < n16; k++)
            acc[k] += v16_load (x0 + 16 * k);
          if (odd)
            acc8 += v8_load (x0 + c8);
          for (guint k = 0; k < n16; k++)
            acc[k] += v16_load (x1 + 16 * k);
          if (odd)
            acc8 += v8_load (x1 + c8);
          if (tail)
            {
              a0 += v8_load (x0 + last);
              a1 += v8_load (x1 + last);
            }
        }
    }
  if (e < end)
    {
      const float *restrict x0 = x + (gsize)col[e] * stride + j0;

      /* Written as the loop's multiply-adds: a conditional operand would
       * keep GCC from fusing them as it fuses the old blocks'. */
      if (values != NULL)
        {
          float v0 = values[e * heads + h];

          for (guint k = 0; k < n16; k++)
            acc[k] += v0 * v16_load (x0 + 16 * k);
          if (odd)
            acc8 += v0 * v8_load (x0 + c8);
          if (tail)
            a0 += v0 * v8_load (x0 + last);
        }
      else
        {
          for (guint k = 0; k < n16; k++)
            acc[k] += v16_load (x0 + 16 * k);
          if (odd)
            acc8 += v8_load (x0 + c8);
          if (tail)
            a0 += v8_load (x0 + last);
        }
    }
  for (guint k = 0; k < n16; k++)
    v16_store (o + 16 * k, acc[k]);
  if (odd)
    v8_store (o + c8, acc8);
  if (tail)
    {
      /* Lanes 8 - tail_lanes … 7 are the tail's, the others keep the
       * columns before it as just stored (or as an earlier block left them). */
      V8i lanes = { 0, 1, 2, 3, 4, 5, 6, 7 };

      v8_store (o + last, v8_select (lanes >= (gint32)(8 - tail_lanes), a0 + a1,
                                     v8_load (o + last)));
    }
}

#define SPMM_TAIL(NV)                                                               \
  PHILIA_VECTORIZE_V4 static void                                                     \
  spmm_tail_##NV (const gint64 *off, const gint32 *col, const float *values,       \
                  guint heads, guint h, const float *x, guint stride, guint j0,    \
                  guint i, float *restrict o, gboolean accumulate, guint tail_lanes)\
  {                                                                                \
    if (tail_lanes != 0)                                                           \
      spmm_tail_body (off, col, values, heads, h, x, stride, j0, i, o, accumulate, \
                      NV, TRUE, tail_lanes);                                       \
    else                                                                           \
      spmm_tail_body (off, col, values, heads, h, x, stride, j0, i, o, accumulate, \
                      NV, FALSE, 0);                                               \
  }                                                                                \
                                                                                   \
  /* Rows [begin, end) of one head's columns [j0, j0 + 8 NV + tail_lanes),   \
   * rows of @out @out_stride floats apart: the row kernel above without a    \
   * call a row (see spmm_rows_1v () in philia-spmm.c). */                     \
  PHILIA_VECTORIZE_V4 static void                                                  \
  spmm_tail_rows_##NV (const gint64 *off, const gint32 *col, const float *values,  \
                       const float *x, guint stride, guint j0, float *out,         \
                       gsize out_stride, guint begin, guint end,                   \
                       gboolean accumulate, guint tail_lanes)                      \
  {                                                                                \
    for (guint i = begin; i < end; i++)                                            \
      {                                                                            \
        float *o = out + (gsize)i * out_stride + j0;                               \
                                                                                   \
        if (tail_lanes != 0)                                                       \
          spmm_tail_body (off, col, values, 1, 0, x, stride, j0, i, o, accumulate, \
                          NV, TRUE, tail_lanes);                                   \
        else                                                                       \
          spmm_tail_body (off, col, values, 1, 0, x, stride, j0, i, o, accumulate, \
                          NV, FALSE, 0);                                           \
      }                                                                            \
  }

SPMM_TAIL (0) SPMM_TAIL (1) SPMM_TAIL (2) SPMM_TAIL (3) SPMM_TAIL (4) SPMM_TAIL (5)
SPMM_TAIL (6) SPMM_TAIL (7)

typedef void (*SpmmTail) (const gint64 *, const gint32 *, const float *, guint, guint,
                          const float *, guint, guint, guint, float *, gboolean, guint);
typedef void (*SpmmTailRows) (const gint64 *, const gint32 *, const float *, const float *,
                              guint, guint, float *, gsize, guint, guint, gboolean, guint);

static const SpmmTail spmm_tails[8] = { spmm_tail_0, spmm_tail_1, spmm_tail_2, spmm_tail_3,
                                        spmm_tail_4, spmm_tail_5, spmm_tail_6, spmm_tail_7 };

static const SpmmTailRows spmm_tail_rows[8] = { spmm_tail_rows_0, spmm_tail_rows_1,
                                                spmm_tail_rows_2, spmm_tail_rows_3,
                                                spmm_tail_rows_4, spmm_tail_rows_5,
                                                spmm_tail_rows_6, spmm_tail_rows_7 };

/* philia-spmm-private.h */
void
_philia_spmm_tail_row (const gint64 *off,
                       const gint32 *col,
                       const float  *values,
                       guint         heads,
                       guint         h,
                       const float  *x,
                       guint         stride,
                       guint         j0,
                       guint         i,
                       float        *o,
                       gboolean      accumulate,
                       guint         width)
{
  spmm_tails[width / 8] (off, col, values, heads, h, x, stride, j0, i, o, accumulate, width % 8);
}

/* philia-spmm-private.h */
void
_philia_spmm_tail_rows (const gint64 *off,
                        const gint32 *col,
                        const float  *values,
                        const float  *x,
                        guint         stride,
                        guint         j0,
                        float        *out,
                        gsize         out_stride,
                        guint         begin,
                        guint         end,
                        gboolean      accumulate,
                        guint         width)
{
  spmm_tail_rows[width / 8] (off, col, values, x, stride, j0, out, out_stride, begin, end,
                             accumulate, width % 8);
}
