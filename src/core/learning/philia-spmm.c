/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Products of sparse (CSR) matrices with dense ones, spmm, and their row
 * slices and kept-entry copies (HACKING.md §7). The matrix is philia-sparse.c. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-tape-private.h"
#include "philia-cost-private.h"
#include "philia-simd-private.h"
#include "philia-spmm-private.h"

#include <math.h>
#include <string.h>

/* ----------------------------------------------------------------- spmm */

typedef struct
{
  const PhiliaSparse *s;
  const float        *values;  /* nnz × heads, or NULL for ones */
  guint               heads;
  const float        *x;
  float              *out;
  guint               cols;
  gboolean            accumulate;
  const float        *row_scale;  /* the padded path: each output row's factor, or NULL */
  const struct _SparseSlices *slices;
  const gint64       *value_index;  /* 8×8 and padded kernels: entry e's values at
                                     * value_index[e] (NULL: at e) */
  guint               width;   /* one head's columns [0, width) of rows @cols apart,
                                * or 0 for all of them (_philia_spmm_strided ()) */
  guint               out_stride;  /* with @width: the output's rows this many floats
                                    * apart, or 0 for @cols */
} SpmmTask;

/* Where entry @e's values are: a transposed product may read the values of
 * the matrix it transposes through the permutation between their entries. */
#define ENTRY(vidx, e) ((vidx) != NULL ? (vidx)[e] : (e))

/*
 * Sliced ELLPACK (SELL-4-64) for unweighted narrow products: rows in
 * chunks of four, each chunk's entries stored column by column (entry k of
 * its four rows side by side, a short row padded with a zero row of X), the
 * rows sorted by length within windows of 64 so that a chunk's rows have
 * similar lengths and stay near their place. A chunk's loop sums four
 * independent rows and ends once per four rows: CSR's per-row loop ends
 * with a mispredicted branch after which the next row's loads start late,
 * which on rows of a few dozen entries (bag-of-words features, a training
 * subset's transpose) costs as much as the entries (Squirrel's features:
 * 80 -> 41 µs a product of 5 columns).
 */
typedef struct _SparseSlices SparseSlices;
struct _SparseSlices
{
  gboolean usable;          /* FALSE when padding would add more than a third */
  guint    n_chunks;
  gint64  *chunk_offsets;   /* n_chunks + 1 offsets into col: 4 L slots for length L */
  guint   *slot_row;        /* 4 per chunk: the rows, or the row count for none */
  gint32  *col;             /* the entries' columns; the column count pads */
};

#define SLICE_ROWS 4
#define SLICE_WINDOW 64

/* philia-autograd-private.h */
void
_philia_sparse_slices_free (gpointer slices)
{
  SparseSlices *sl = slices;

  if (sl == NULL)
    return;
  g_free (sl->chunk_offsets);
  g_free (sl->slot_row);
  g_free (sl->col);
  g_free (sl);
}

/* Longer rows first, then by index (@data: the row offsets). */
static gint
cmp_longer_first (gconstpointer a,
                  gconstpointer b,
                  gpointer      data)
{
  const gint64 *off = data;
  guint i = *(const guint *)a, j = *(const guint *)b;
  gint64 li = off[i + 1] - off[i], lj = off[j + 1] - off[j];

  if (li != lj)
    return li > lj ? -1 : 1;
  return (i > j) - (i < j);
}

static SparseSlices *
slices_build (const PhiliaSparse *s)
{
  SparseSlices *sl = g_new0 (SparseSlices, 1);
  guint n = s->rows;
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  gint64 slots = 0;

  for (guint i = 0; i < n; i++)
    order[i] = i;
  for (guint w = 0; w < n; w += SLICE_WINDOW)
    g_qsort_with_data (order + w, MIN (SLICE_WINDOW, n - w), sizeof (guint), cmp_longer_first,
                       s->row_offsets);

  sl->n_chunks = (n + SLICE_ROWS - 1) / SLICE_ROWS;
  sl->chunk_offsets = g_new (gint64, sl->n_chunks + 1);
  sl->slot_row = g_new (guint, (gsize)sl->n_chunks * SLICE_ROWS + 1);
  for (guint c = 0; c < sl->n_chunks; c++)
    {
      gint64 longest = 0;

      for (guint r = 0; r < SLICE_ROWS; r++)
        {
          guint k = c * SLICE_ROWS + r, row = k < n ? order[k] : n;

          sl->slot_row[k] = row;
          if (row < n)
            longest = MAX (longest, s->row_offsets[row + 1] - s->row_offsets[row]);
        }
      sl->chunk_offsets[c] = slots;
      slots += longest * SLICE_ROWS;
    }
  sl->chunk_offsets[sl->n_chunks] = slots;
  sl->usable = slots * 3 <= s->nnz * 4;
  if (!sl->usable)
    return sl;
  sl->col = g_new (gint32, MAX (slots, 1));
  for (guint c = 0; c < sl->n_chunks; c++)
    {
      gint64 base = sl->chunk_offsets[c];
      gint64 length = (sl->chunk_offsets[c + 1] - base) / SLICE_ROWS;

      for (guint r = 0; r < SLICE_ROWS; r++)
        {
          guint row = sl->slot_row[c * SLICE_ROWS + r];
          gint64 have = row < n ? s->row_offsets[row + 1] - s->row_offsets[row] : 0;

          for (gint64 k = 0; k < length; k++)
            sl->col[base + k * SLICE_ROWS + r] =
              k < have ? s->col_index[s->row_offsets[row] + k] : (gint32)s->cols;
        }
    }
  return sl;
}

/* @s's slices, built once (thread-safe: a finished PhiliaSparse is shared). */
static const SparseSlices *
sparse_slices (const PhiliaSparse *s)
{
  PhiliaSparse *mutable = (PhiliaSparse *)s;

  if (g_once_init_enter (&mutable->slices))
    g_once_init_leave (&mutable->slices, slices_build (s));
  return s->slices;
}

gboolean
philia_sparse_get_sliced (const PhiliaSparse *s)
{
  const SparseSlices *sl = g_atomic_pointer_get (&((PhiliaSparse *)s)->slices);

  return sl != NULL && sl->usable;
}

/* The 64-column block prefetches the four cache lines it will gather
 * SPMM_PREFETCH entries ahead: the rows of X a wide product gathers from
 * (an 8,000-word W of width 512: 2 MB a block) miss L2, and the loads of
 * the few entries the reorder window holds left the kernel waiting on
 * them (a GCN of width 512 on 8,000 words: about an eighth less CPU time
 * per product, loaded machine). Prefetches change no result. */
#define SPMM_PREFETCH 4

/* The bytes of a gathered 64-column block that stay in L2 (1 MB a core on
 * the Zen cores measured, 2 MB on recent Intel ones). */
#define SPMM_BLOCK_L2 (1024u * 1024)

/* The widest product that goes row by row when its blocks are past L2
 * (spmm_block_64_next ()): at 512 columns a row of 20 entries and the next
 * row's prefetched ones are 80 KB, past L1, and the row order measured no
 * faster than the block order on 11,758 × 8,000 (its weight gradient
 * slower), where at 256 it took a tenth less. */
#define SPMM_ROW_ORDER_MAX 256

/* The largest 16-column slab of a gathered matrix that products wider than
 * SPMM_ROW_ORDER_MAX gather from in L2 (spmm_slab_16 ()): three quarters of
 * it, the rest for the indices and output lines passing through. */
#define SPMM_SLAB_L2 (SPMM_BLOCK_L2 / 4 * 3)

/*
 * One output row's columns [j0, j0 + 8 NV) of S X, the accumulators NV
 * explicit eight-float vectors so they stay in registers across the row's
 * entries: written as float arrays, GCC kept the 32-column block scalar with
 * its accumulators on the stack (a GCN of hidden width 64 took 12× the time
 * of width 16). Up to 64 columns share one pass over the row's entries.
 * @stride is X's row length, @heads and @h say which head's value scales
 * the columns. Each output element gets the multiply-adds of a scalar loop
 * over the entries, in entry order.
 */
#define SPMM_KERNEL(NV)                                                             \
  static inline G_ALWAYS_INLINE void                                               \
  spmm_block_##NV##v_body (const gint64 *off, const gint32 *col,                   \
                           const float *values, guint heads, guint h,              \
                           const float *x, guint stride, guint j0, guint i,        \
                           float *restrict o, gboolean accumulate)                 \
  {                                                                                \
    V8f acc[NV];                                                                   \
    gint64 e = off[i], end = off[i + 1];                                           \
                                                                                   \
    for (guint k = 0; k < NV; k++)                                                 \
      acc[k] = accumulate ? v8_load (o + 8 * k) : (V8f){ 0 };                      \
    if (values != NULL)                                                            \
      for (; e < end; e++)                                                         \
        {                                                                          \
          const float *restrict xr = x + (gsize)col[e] * stride + j0;              \
          float v = values[e * heads + h];                                         \
                                                                                   \
          if (NV == 8 && e + SPMM_PREFETCH < end)                                  \
            for (guint k = 0; k < 4; k++)                                          \
              __builtin_prefetch (x + (gsize)col[e + SPMM_PREFETCH] * stride + j0  \
                                  + 16 * k);                                       \
          for (guint k = 0; k < NV; k++)                                           \
            acc[k] += v * v8_load (xr + 8 * k);                                    \
        }                                                                          \
    else                                                                           \
      for (; e < end; e++)                                                         \
        {                                                                          \
          const float *restrict xr = x + (gsize)col[e] * stride + j0;              \
                                                                                   \
          if (NV == 8 && e + SPMM_PREFETCH < end)                                  \
            for (guint k = 0; k < 4; k++)                                          \
              __builtin_prefetch (x + (gsize)col[e + SPMM_PREFETCH] * stride + j0  \
                                  + 16 * k);                                       \
          for (guint k = 0; k < NV; k++)                                           \
            acc[k] += v8_load (xr + 8 * k);                                        \
        }                                                                          \
    for (guint k = 0; k < NV; k++)                                                 \
      v8_store (o + 8 * k, acc[k]);                                                \
  }                                                                                \
                                                                                   \
  PHILIA_VECTORIZE static void                                                     \
  spmm_block_##NV##v (const gint64 *off, const gint32 *col, const float *values,   \
                      guint heads, guint h, const float *x, guint stride, guint j0,\
                      guint i, float *restrict o, gboolean accumulate)             \
  {                                                                                \
    spmm_block_##NV##v_body (off, col, values, heads, h, x, stride, j0, i, o,      \
                             accumulate);                                          \
  }                                                                                \
                                                                                   \
  /* Rows [begin, end) of a one-head product exactly 8 NV columns wide: the     \
   * block above for each row without two calls a row (a GCN of hidden width    \
   * 16 spent as much on them as on its entries), the same sums. */              \
  PHILIA_VECTORIZE static void                                                     \
  spmm_rows_##NV##v (gpointer data,                                                \
                     guint    begin,                                               \
                     guint    end)                                                 \
  {                                                                                \
    const SpmmTask *t = data;                                                      \
                                                                                   \
    gsize out_stride = t->out_stride != 0 ? t->out_stride : 8 * NV;               \
                                                                                   \
    for (guint i = begin; i < end; i++)                                            \
      spmm_block_##NV##v_body (t->s->row_offsets, t->s->col_index, t->values, 1, 0, \
                               t->x, 8 * NV, 0, i, t->out + (gsize)i * out_stride, \
                               t->accumulate);                                     \
  }

/* The 64-column block of the wide path (spmm_rows ()): spmm_block_8v ()'s
 * sums for one head in four 16-float vectors: on an AVX-512 core half the
 * loads and multiply-adds, each output element the same multiply-adds in
 * the same order (V16f: philia-simd-private.h). Each entry also prefetches
 * the gathered row of entry @pf (then @pf + 1, …) while @pf < @pf_end; with
 * @drain, entries to prefetch left at the row's end are prefetched there. */
static inline G_ALWAYS_INLINE void
spmm_block_64_body (const gint64 *off, const gint32 *col, const float *values,
                    const float *x, guint stride, guint j0, guint i, float *restrict o,
                    gboolean accumulate, gint64 pf, gint64 pf_end, gboolean drain)
{
  V16f acc[4];
  gint64 e = off[i], end = off[i + 1];

  for (guint k = 0; k < 4; k++)
    {
      if (accumulate)
        memcpy (&acc[k], o + 16 * k, sizeof (V16f));
      else
        acc[k] = (V16f){ 0 };
    }
  for (; e < end; e++)
    {
      const float *restrict xr = x + (gsize)col[e] * stride + j0;

      if (pf < pf_end)
        {
          for (guint k = 0; k < 4; k++)
            __builtin_prefetch (x + (gsize)col[pf] * stride + j0 + 16 * k);
          pf++;
        }
      if (values != NULL)
        {
          float v = values[e];

          for (guint k = 0; k < 4; k++)
            {
              V16f xv;

              memcpy (&xv, xr + 16 * k, sizeof xv);
              acc[k] += v * xv;
            }
        }
      else
        for (guint k = 0; k < 4; k++)
          {
            V16f xv;

            memcpy (&xv, xr + 16 * k, sizeof xv);
            acc[k] += xv;
          }
    }
  if (drain)
    for (; pf < pf_end; pf++)
      for (guint k = 0; k < 4; k++)
        __builtin_prefetch (x + (gsize)col[pf] * stride + j0 + 16 * k);
  for (guint k = 0; k < 4; k++)
    memcpy (o + 16 * k, &acc[k], sizeof (V16f));
}

/* The block prefetching SPMM_PREFETCH entries ahead, across the row's end
 * up to entry @limit (rows of a few entries otherwise leave their first
 * gathers unfetched). */
PHILIA_VECTORIZE_V4 static void
spmm_block_64_ahead (const gint64 *off, const gint32 *col, const float *values,
                     const float *x, guint stride, guint j0, guint i, float *restrict o,
                     gboolean accumulate, gint64 limit)
{
  spmm_block_64_body (off, col, values, x, stride, j0, i, o, accumulate,
                      off[i] + SPMM_PREFETCH, limit, FALSE);
}

/*
 * The block for a product whose gathered matrix is past L2 even one
 * 64-column block at a time (an 8,000-word W, or the [n, H] matrix Â
 * gathers on 11,758 nodes: 2–3 MB a block). There the block-by-block order
 * gains nothing and reads each gathered row in four separate passes; rows
 * go one at a time over all their blocks instead, and block j0 of row i
 * prefetches block j0 of the entries [@pf, @pf_end) (the next row's), a
 * whole row's work ahead of their use.
 */
PHILIA_VECTORIZE_V4 static void
spmm_block_64_next (const gint64 *off, const gint32 *col, const float *values,
                    const float *x, guint stride, guint j0, guint i, float *restrict o,
                    gboolean accumulate, gint64 pf, gint64 pf_end)
{
  spmm_block_64_body (off, col, values, x, stride, j0, i, o, accumulate, pf, pf_end, TRUE);
}

/* Sixteen columns of one output row added to @acc: the row's entries in
 * order, gathering from the packed slab @xs (16 floats a row). */
static inline G_ALWAYS_INLINE V16f
spmm_slab_row (const gint32 *col, const float *values, gint64 e, gint64 end,
               const float *xs, V16f acc)
{
  for (; e < end; e++)
    acc += (values != NULL ? values[e] : 1.0f) * v16_load (xs + (gsize)col[e] * 16);
  return acc;
}

/*
 * Output rows [@begin, @end), columns [@j0, @j0 + 16) (@stride floats a
 * row), of a product whose gathered matrix is past L2 even 64 columns at a
 * time but whose 16-column slab is not (4,097 to 12,288 rows: an 8,000-word
 * W, the [n, H] matrix Â gathers on 11,758 nodes), at widths past
 * SPMM_ROW_ORDER_MAX: slab after slab, each copied into @xs, contiguous
 * (spmm_slab_pack ()), and gathered from there in L2 where the 64-column
 * blocks gathered from L3. Copied, not read in place: at a row length of
 * 512 floats (2 KB) the lines of one slab fall in a thirty-second of L2's
 * sets, and in place the slab ran 2.5× slower than the blocks. Four rows
 * at a time, one accumulator each, over their common length, so that four
 * multiply-add chains overlap; then each row's remaining entries. Each
 * output element gets the multiply-adds of a scalar loop over its row's
 * entries, in entry order (the blocks' sums, so the same bits).
 */
PHILIA_VECTORIZE_V4 static void
spmm_slab_16 (const gint64 *off, const gint32 *col, const float *values,
              const float *xs, guint j0, guint begin, guint end, float *out,
              guint stride, gboolean accumulate)
{
  guint i = begin;

  for (; i + 4 <= end; i += 4)
    {
      V16f acc[4];
      gint64 e[4], n = G_MAXINT64;

      for (guint r = 0; r < 4; r++)
        {
          float *o = out + (gsize)(i + r) * stride + j0;

          /* The output lines two groups ahead, for writing. */
          if (i + 8 + r < end)
            __builtin_prefetch (o + 8 * (gsize)stride, 1);
          acc[r] = accumulate ? v16_load (o) : (V16f){ 0 };
          e[r] = off[i + r];
          n = MIN (n, off[i + r + 1] - off[i + r]);
        }
      for (gint64 k = 0; k < n; k++)
        for (guint r = 0; r < 4; r++)
          {
            gint64 ek = e[r] + k;

            acc[r] += (values != NULL ? values[ek] : 1.0f) * v16_load (xs + (gsize)col[ek] * 16);
          }
      for (guint r = 0; r < 4; r++)
        {
          acc[r] = spmm_slab_row (col, values, e[r] + n, off[i + r + 1], xs, acc[r]);
          v16_store (out + (gsize)(i + r) * stride + j0, acc[r]);
        }
    }
  for (; i < end; i++)
    {
      V16f acc = accumulate ? v16_load (out + (gsize)i * stride + j0) : (V16f){ 0 };

      acc = spmm_slab_row (col, values, off[i], off[i + 1], xs, acc);
      v16_store (out + (gsize)i * stride + j0, acc);
    }
}

/* Narrow blocks (a model's 2 to 7 classes) fill a fraction of a vector: one
 * accumulator would make every entry wait on the previous multiply-add's
 * latency, so two take alternate entries and are summed at the end (a fixed
 * order, so results do not depend on threads). */
#define SPMM_KERNEL_NARROW(W)                                                       \
  PHILIA_VECTORIZE static void                                                     \
  spmm_block_##W (const gint64 *off, const gint32 *col, const float *values,       \
                  guint heads, guint h, const float *x, guint stride, guint j0,    \
                  guint i, float *restrict o, gboolean accumulate)                 \
  {                                                                                \
    float a0[W], a1[W];                                                            \
    gint64 e = off[i], end = off[i + 1];                                           \
                                                                                   \
    for (guint j = 0; j < W; j++)                                                  \
      {                                                                            \
        a0[j] = accumulate ? o[j] : 0.0f;                                          \
        a1[j] = 0.0f;                                                              \
      }                                                                            \
    for (; e + 2 <= end; e += 2)                                                   \
      {                                                                            \
        const float *restrict x0 = x + (gsize)col[e] * stride + j0;                \
        const float *restrict x1 = x + (gsize)col[e + 1] * stride + j0;            \
        float v0 = values ? values[e * heads + h] : 1.0f;                          \
        float v1 = values ? values[(e + 1) * heads + h] : 1.0f;                    \
                                                                                   \
        for (guint j = 0; j < W; j++)                                              \
          {                                                                        \
            a0[j] += v0 * x0[j];                                                   \
            a1[j] += v1 * x1[j];                                                   \
          }                                                                        \
      }                                                                            \
    if (e < end)                                                                   \
      {                                                                            \
        const float *restrict x0 = x + (gsize)col[e] * stride + j0;                \
        float v0 = values ? values[e * heads + h] : 1.0f;                          \
                                                                                   \
        for (guint j = 0; j < W; j++)                                              \
          a0[j] += v0 * x0[j];                                                     \
      }                                                                            \
    for (guint j = 0; j < W; j++)                                                  \
      o[j] = a0[j] + a1[j];                                                        \
  }

SPMM_KERNEL_NARROW (1) SPMM_KERNEL_NARROW (2) SPMM_KERNEL_NARROW (3) SPMM_KERNEL_NARROW (4)
SPMM_KERNEL_NARROW (5) SPMM_KERNEL_NARROW (6) SPMM_KERNEL_NARROW (7)
SPMM_KERNEL (1) SPMM_KERNEL (2) SPMM_KERNEL (4) SPMM_KERNEL (8)

/* Rows [begin, end) of a block of a one-head product that goes through
 * the one-pass kernel (_philia_spmm_tail_applies ()), gathered from X in
 * place. */
static void
spmm_tail_range (const SpmmTask *t,
                 guint           begin,
                 guint           end,
                 guint           j0,
                 guint           width)
{
  _philia_spmm_tail_rows (t->s->row_offsets, t->s->col_index, t->values, t->x, t->cols, j0,
                          t->out, t->out_stride != 0 ? t->out_stride : t->cols, begin, end,
                          t->accumulate, width);
}

typedef void (*SpmmBlock) (const gint64 *, const gint32 *, const float *, guint, guint,
                           const float *, guint, guint, guint, float *, gboolean);

static const SpmmBlock spmm_blocks[9] = { NULL, spmm_block_1, spmm_block_2, spmm_block_3,
                                          spmm_block_4, spmm_block_5, spmm_block_6,
                                          spmm_block_7, spmm_block_1v };

static const RangeFunc spmm_rows_wide[9] = { NULL, spmm_rows_1v, spmm_rows_2v, NULL,
                                             spmm_rows_4v, NULL, NULL, NULL, spmm_rows_8v };

/* The columns of one head, [j0, j0 + width), in blocks of 64, 32, 16, then
 * ≤ 8 (the last few columns of an odd width in one narrow block). */
static void
spmm_columns (const SpmmTask *t,
              guint           i,
              guint           h,
              guint           j0,
              guint           width)
{
  const gint64 *off = t->s->row_offsets;
  const gint32 *col = t->s->col_index;
  guint n = t->cols, end = j0 + width;
  float *o = t->out + (gsize)i * (t->out_stride != 0 ? t->out_stride : n);

  while (j0 < end)
    {
      guint left = end - j0;

      if (left >= 64)
        {
          spmm_block_8v (off, col, t->values, t->heads, h, t->x, n, j0, i, o + j0,
                         t->accumulate);
          j0 += 64;
        }
      else if (_philia_spmm_tail_applies (j0, left))
        {
          _philia_spmm_tail_row (off, col, t->values, t->heads, h, t->x, n, j0, i, o + j0,
                                 t->accumulate, left);
          j0 += left;
        }
      else if (left >= 32)
        {
          spmm_block_4v (off, col, t->values, t->heads, h, t->x, n, j0, i, o + j0,
                         t->accumulate);
          j0 += 32;
        }
      else if (left >= 16)
        {
          spmm_block_2v (off, col, t->values, t->heads, h, t->x, n, j0, i, o + j0,
                         t->accumulate);
          j0 += 16;
        }
      else
        {
          guint w = MIN (left, 8);

          spmm_blocks[w] (off, col, t->values, t->heads, h, t->x, n, j0, i, o + j0,
                          t->accumulate);
          j0 += w;
        }
    }
}

/* GAT's first layer (8 heads of 8): one pass over the row's entries for all
 * heads, the 64 accumulators in eight 8-lane vectors, instead of eight passes
 * of spmm_block_1v. Each output element gets the same multiply-adds in the
 * same order as there. */
PHILIA_VECTORIZE static void
spmm_row_8x8 (const SpmmTask *t,
              guint           i)
{
  const gint64 *restrict off = t->s->row_offsets;
  const gint32 *restrict col = t->s->col_index;
  float *restrict o = t->out + (gsize)i * 64;
  V8f acc[8];

  for (guint h = 0; h < 8; h++)
    acc[h] = t->accumulate ? v8_load (o + h * 8) : (V8f){ 0 };
  for (gint64 e = off[i]; e < off[i + 1]; e++)
    {
      const float *restrict xr = t->x + (gsize)col[e] * 64;
      const float *restrict v = t->values + ENTRY (t->value_index, e) * 8;

      for (guint h = 0; h < 8; h++)
        acc[h] += v[h] * v8_load (xr + h * 8);
    }
  for (guint h = 0; h < 8; h++)
    v8_store (o + h * 8, acc[h]);
}

/*
 * One head of W = 2 to 7 columns (a model's classes) read from @t->x padded
 * to eight floats a row, 32-byte aligned: one vector load per entry, never
 * across a cache line, instead of a 4-wide and scalar loads from a row of
 * 8 to 28 bytes at any offset (4.5× faster on Squirrel's Â at 5 columns).
 * With @t->values the multiply-adds and their order are those of the narrow
 * blocks. A matrix whose values factor (D^{-1/2}(A+I)D^{-1/2}) comes with
 * its column scale folded into the padded rows: the entries are summed
 * unweighted (no value to load), the row scale applied once. W is a
 * compile-time constant so that a row's W floats move without a memcpy call.
 */
#define SPMM_PADDED(W)                                                              \
  PHILIA_VECTORIZE static void                                                     \
  spmm_rows_padded_##W (gpointer data,                                             \
                        guint    begin,                                            \
                        guint    end)                                              \
  {                                                                                \
    const SpmmTask *t = data;                                                      \
    const gint64 *restrict off = t->s->row_offsets;                                \
    const gint32 *restrict col = t->s->col_index;                                  \
    const float *restrict values = t->values;                                      \
    const gint64 *restrict vidx = t->value_index;                                  \
    const float *restrict x = t->x;                                                \
                                                                                   \
    for (guint i = begin; i < end; i++)                                            \
      {                                                                            \
        float *restrict o = t->out + (gsize)i * W;                                 \
        gint64 e = off[i], stop = off[i + 1];                                      \
        V8f a0 = { 0 }, a1 = { 0 }, sum;                                           \
                                                                                   \
        if (t->accumulate && t->row_scale == NULL)                                 \
          for (guint j = 0; j < W; j++)                                            \
            a0[j] = o[j];                                                          \
        if (values != NULL)                                                        \
          {                                                                        \
            for (; e + 2 <= stop; e += 2)                                          \
              {                                                                    \
                a0 += values[ENTRY (vidx, e)] * v8_load_aligned (x + (gsize)col[e] * 8); \
                a1 += values[ENTRY (vidx, e + 1)]                                  \
                      * v8_load_aligned (x + (gsize)col[e + 1] * 8);               \
              }                                                                    \
            if (e < stop)                                                          \
              a0 += values[ENTRY (vidx, e)] * v8_load_aligned (x + (gsize)col[e] * 8); \
          }                                                                        \
        else                                                                       \
          {                                                                        \
            for (; e + 2 <= stop; e += 2)                                          \
              {                                                                    \
                a0 += v8_load_aligned (x + (gsize)col[e] * 8);                     \
                a1 += v8_load_aligned (x + (gsize)col[e + 1] * 8);                 \
              }                                                                    \
            if (e < stop)                                                          \
              a0 += v8_load_aligned (x + (gsize)col[e] * 8);                       \
          }                                                                        \
        sum = a0 + a1;                                                             \
        if (t->row_scale != NULL)                                                  \
          {                                                                        \
            sum *= t->row_scale[i];                                                \
            if (t->accumulate)                                                     \
              for (guint j = 0; j < W; j++)                                        \
                sum[j] += o[j];                                                    \
          }                                                                        \
        for (guint j = 0; j < W; j++)                                              \
          o[j] = sum[j];                                                           \
      }                                                                            \
  }                                                                                \
                                                                                   \
  /* Rows [begin, end) of the W-column @x, times @scale[r] unless it is NULL,   \
   * into @padded, eight floats a row. */                                          \
  PHILIA_VECTORIZE static void                                                     \
  pad_rows_##W (const float *restrict x,                                           \
                const float *restrict scale,                                       \
                float *restrict       padded,                                      \
                gsize                 rows)                                        \
  {                                                                                \
    for (gsize r = 0; r < rows; r++)                                               \
      {                                                                            \
        V8f row = { 0 };                                                           \
                                                                                   \
        for (guint j = 0; j < W; j++)                                              \
          row[j] = x[r * W + j];                                                   \
        if (scale != NULL)                                                         \
          row *= scale[r];                                                         \
        v8_store (padded + r * 8, row);                                            \
      }                                                                            \
  }                                                                                \
                                                                                   \
  /* Chunks [begin, end) of @t->slices, unweighted, each row scaled once. */       \
  PHILIA_VECTORIZE static void                                                     \
  spmm_slices_##W (gpointer data,                                                  \
                   guint    begin,                                                 \
                   guint    end)                                                   \
  {                                                                                \
    const SpmmTask *t = data;                                                      \
    const SparseSlices *sl = t->slices;                                            \
    const float *restrict x = t->x;                                                \
    guint n = t->s->rows;                                                          \
                                                                                   \
    for (guint c = begin; c < end; c++)                                            \
      {                                                                            \
        const gint32 *restrict sc = sl->col + sl->chunk_offsets[c];                \
        gint64 length = (sl->chunk_offsets[c + 1] - sl->chunk_offsets[c]) / 4;     \
        V8f acc[4] = { { 0 }, { 0 }, { 0 }, { 0 } };                               \
                                                                                   \
        for (gint64 k = 0; k < length; k++, sc += 4)                               \
          {                                                                        \
            acc[0] += v8_load_aligned (x + (gsize)sc[0] * 8);                      \
            acc[1] += v8_load_aligned (x + (gsize)sc[1] * 8);                      \
            acc[2] += v8_load_aligned (x + (gsize)sc[2] * 8);                      \
            acc[3] += v8_load_aligned (x + (gsize)sc[3] * 8);                      \
          }                                                                        \
        for (guint r = 0; r < 4; r++)                                              \
          {                                                                        \
            guint row = sl->slot_row[c * 4 + r];                                   \
            float *restrict o = t->out + (gsize)row * W;                           \
            V8f sum = acc[r];                                                      \
                                                                                   \
            if (row >= n)                                                          \
              continue;                                                            \
            if (t->row_scale != NULL)                                              \
              sum *= t->row_scale[row];                                            \
            if (t->accumulate)                                                     \
              for (guint j = 0; j < W; j++)                                        \
                sum[j] += o[j];                                                    \
            for (guint j = 0; j < W; j++)                                          \
              o[j] = sum[j];                                                       \
          }                                                                        \
      }                                                                            \
  }

SPMM_PADDED (2) SPMM_PADDED (3) SPMM_PADDED (4) SPMM_PADDED (5) SPMM_PADDED (6)
SPMM_PADDED (7)

static const RangeFunc spmm_padded[8] = { NULL, NULL, spmm_rows_padded_2,
                                          spmm_rows_padded_3, spmm_rows_padded_4,
                                          spmm_rows_padded_5, spmm_rows_padded_6,
                                          spmm_rows_padded_7 };

static const RangeFunc spmm_slices[8] = { NULL, NULL, spmm_slices_2, spmm_slices_3,
                                          spmm_slices_4, spmm_slices_5, spmm_slices_6,
                                          spmm_slices_7 };

typedef void (*PadRows) (const float *, const float *, float *, gsize);

static const PadRows pad_rows[8] = { NULL, NULL, pad_rows_2, pad_rows_3, pad_rows_4,
                                     pad_rows_5, pad_rows_6, pad_rows_7 };

typedef struct
{
  gsize  size;
  float *data;
} SlabBuffer;

static void
slab_buffer_free (gpointer p)
{
  SlabBuffer *b = p;

  g_free (b->data);
  g_free (b);
}

/* The calling thread's slab buffer (spmm_slab_16 ()) of at least @size
 * floats, kept for its next products: 768 KB at most, where a fresh one
 * each product took page faults every time. */
static float *
spmm_slab_buffer (gsize size)
{
  static GPrivate key = G_PRIVATE_INIT (slab_buffer_free);
  SlabBuffer *b = g_private_get (&key);

  if (b == NULL)
    {
      b = g_new0 (SlabBuffer, 1);
      g_private_set (&key, b);
    }
  if (b->size < size)
    {
      g_free (b->data);
      b->data = g_new (float, size);
      b->size = size;
    }
  return b->data;
}

/* Columns [@j0, @j0 + 16) of the @rows rows of @x (@stride floats apart)
 * into @slab, contiguous: one pass over X's lines a product in all. */
static void
spmm_slab_pack (const float *x, guint stride, guint j0, guint rows, float *restrict slab)
{
  for (guint r = 0; r < rows; r++)
    {
      if (r + 16 < rows)
        __builtin_prefetch (x + (gsize)(r + 16) * stride + j0);
      memcpy (slab + (gsize)r * 16, x + (gsize)r * stride + j0, 16 * sizeof (float));
    }
}

/*
 * A 64-column block of a wide X read in place lies in a few of L2's sets:
 * its rows' 256 bytes sit @d floats apart, and at 512 columns (2 KB) the
 * block's lines map to a thirty-second of the sets, at 256 to a sixteenth
 * (with 16 ways, 128 or 256 KB of a 1 MB L2), so a block of 2,708 rows
 * (693 KB) or 1,500 (384 KB) that would fit L2 is gathered from L3: SAGE
 * 512's products on the 1,500-word graph took 2.5-4 times those of width
 * 256 (bench-words). The block is copied first into a contiguous per-thread
 * buffer (spmm_slab_buffer ()) and gathered from there, where the copy pays:
 * the range's entries gather each of X's rows twice or more on average, and
 * the copy fits L2. A block past L2 (wide products on 10^5 rows reach this
 * path when even a 16-column slab is past L2) would be gathered from L3 or
 * memory either way, and its copy would be a per-thread buffer of 256 bytes
 * a row kept after the product (256 MB at 10^6 rows).
 * Same sums in the same order, so the same bits.
 */
static gboolean
spmm_block_pack_pays (const PhiliaSparse *s,
                      guint               d,
                      gint64              entries)
{
  return d >= 128 && entries >= 2 * (gint64)s->cols
         && (gsize)s->cols * 64 * sizeof (float) <= SPMM_BLOCK_L2;
}

/* Columns [@j0, @j0 + 64) of the @rows rows of @x (@stride floats apart)
 * into @block, contiguous. */
static void
spmm_block_pack (const float *x, guint stride, guint j0, guint rows, float *restrict block)
{
  for (guint r = 0; r < rows; r++)
    {
      if (r + 8 < rows)
        for (guint k = 0; k < 4; k++)
          __builtin_prefetch (x + (gsize)(r + 8) * stride + j0 + 16 * k);
      memcpy (block + (gsize)r * 64, x + (gsize)r * stride + j0, 64 * sizeof (float));
    }
}

static void
spmm_rows (gpointer data,
           guint    begin,
           guint    end)
{
  const SpmmTask *t = data;
  guint d = t->cols / t->heads;

  if (t->width != 0)
    {
      /* The column blocks of a product @t->width wide, in the order below:
       * the same sums for each output element. */
      for (guint j0 = 0; j0 < t->width; j0 += 64)
        {
          guint w = MIN (64, t->width - j0);

          if (_philia_spmm_tail_applies (j0, w))
            spmm_tail_range (t, begin, end, j0, w);
          else
            for (guint i = begin; i < end; i++)
              spmm_columns (t, i, 0, j0, w);
        }
      return;
    }
  if (t->heads == 8 && d == 8 && t->values != NULL)
    {
      for (guint i = begin; i < end; i++)
        spmm_row_8x8 (t, i);
      return;
    }
  if (t->heads == 1 && (d == 8 || d == 16 || d == 32 || d == 64))
    {
      /* spmm_columns() would take one block of these widths. */
      spmm_rows_wide[d / 8] (data, begin, end);
      return;
    }
  if (t->heads == 1 && d > SPMM_ROW_ORDER_MAX && d % 16 == 0
      && (gsize)t->s->cols * 64 * sizeof (float) > SPMM_BLOCK_L2
      && (gsize)t->s->cols * 16 * sizeof (float) <= SPMM_SLAB_L2)
    {
      /* Past L2 64 columns at a time, within it 16 at a time: slab by
       * slab, see spmm_slab_16 (). */
      guint xr = t->s->cols;
      float *slab = spmm_slab_buffer ((gsize)xr * 16);

      for (guint j0 = 0; j0 < d; j0 += 16)
        {
          spmm_slab_pack (t->x, d, j0, xr, slab);
          spmm_slab_16 (t->s->row_offsets, t->s->col_index, t->values, slab, j0, begin, end,
                        t->out, d, t->accumulate);
        }
      return;
    }
  if (t->heads == 1 && d > 64 && d <= SPMM_ROW_ORDER_MAX
      && (gsize)t->s->cols * 64 * sizeof (float) > SPMM_BLOCK_L2)
    {
      /* A block of X past L2 anyway: row by row, see spmm_block_64_next (). */
      const gint64 *off = t->s->row_offsets;

      for (guint i = begin; i < end; i++)
        {
          gint64 pf = off[i + 1], pf_end = off[MIN (i + 2, end)];

          for (guint j0 = 0; j0 < d; j0 += 64)
            {
              if (d - j0 >= 64)
                spmm_block_64_next (off, t->s->col_index, t->values, t->x, d, j0, i,
                                    t->out + (gsize)i * d + j0, t->accumulate, pf, pf_end);
              else
                spmm_columns (t, i, 0, j0, d - j0);
            }
        }
      return;
    }
  if (t->heads == 1 && d > 64)
    {
      /* Wide products one 64-column block at a time over all the rows:
       * the block of X the rows gather from (a 1,500-feature W: 384 KB)
       * stays in L2 where the whole of X (1.5 MB) would not, and each
       * output element gets the same sums as row by row. */
      const gint64 *off = t->s->row_offsets;
      gint64 limit = off[end];
      float *packed = spmm_block_pack_pays (t->s, d, off[end] - off[begin])
                        ? spmm_slab_buffer ((gsize)t->s->cols * 64)
                        : NULL;

      for (guint j0 = 0; j0 < d; j0 += 64)
        {
          const float *xb = t->x;
          guint xs = d, xj = j0;

          if (_philia_spmm_tail_applies (j0, d - j0))
            {
              spmm_tail_range (t, begin, end, j0, d - j0);
              break;
            }

          if (packed != NULL && d - j0 >= 64)
            {
              spmm_block_pack (t->x, d, j0, t->s->cols, packed);
              xb = packed;
              xs = 64;
              xj = 0;
            }
          for (guint i = begin; i < end; i++)
            {
              if (d - j0 >= 64)
                spmm_block_64_ahead (off, t->s->col_index, t->values, xb, xs, xj, i,
                                     t->out + (gsize)i * d + j0, t->accumulate, limit);
              else
                spmm_columns (t, i, 0, j0, d - j0);
            }
        }
      return;
    }
  if (t->heads == 1 && _philia_spmm_tail_applies (0, d))
    {
      /* One pass a row over all its columns (philia-spmm-tail.c). */
      spmm_tail_range (t, begin, end, 0, d);
      return;
    }
  for (guint i = begin; i < end; i++)
    for (guint h = 0; h < t->heads; h++)
      spmm_columns (t, i, h, h * d, d);
}

/* How many of @values are 0: every product over sparse features asks
 * (spmm_run_kept()), and an indexed scalar loop over ArnetMiner's features
 * took a twelfth of an adaptation epoch. */
PHILIA_VECTORIZE static gint64
count_zeros (const float *restrict values,
             gint64                n)
{
  gint64 zeros = 0;

  for (gint64 e = 0; e < n; e++)
    zeros += values[e] == 0.0f;
  return zeros;
}

/* S's entries whose value is not zero, in order, in a CSR of pool
 * buffers (values[value_index[e]] is entry e's, or values[e] without an
 * index); kept_sparse_release () gives them back. The pool finds buffers by
 * size: these take the full entry count, the same every step, not the kept
 * one, which would leave a buffer of a new size each time. */
static void
kept_sparse_build (PhiliaTape         *tape,
                   const PhiliaSparse *s,
                   const float        *values,
                   const gint64       *value_index,
                   PhiliaSparse       *kept)
{
  gint64 k = 0;
  float *val;

  /* Pool buffers are floats (offsets take two each). */
  *kept = (PhiliaSparse){ 0 };
  kept->rows = s->rows;
  kept->cols = s->cols;
  kept->row_offsets = (gint64 *)_philia_tape_pool_take (tape, 2 * ((gsize)s->rows + 1));
  kept->col_index = (gint32 *)_philia_tape_pool_take (tape, (gsize)s->nnz);
  kept->values = val = _philia_tape_pool_take (tape, (gsize)s->nnz);
  for (guint i = 0; i < s->rows; i++)
    {
      kept->row_offsets[i] = k;
      for (gint64 e = s->row_offsets[i]; e < s->row_offsets[i + 1]; e++)
        {
          float v = values[ENTRY (value_index, e)];

          kept->col_index[k] = s->col_index[e];
          val[k] = v;
          k += v != 0.0f;
        }
    }
  kept->row_offsets[s->rows] = k;
  kept->nnz = k;
}

/*
 * The kept entries of the transpose of @t (S, whose kept entries under the
 * same values are @fwd), as kept_sparse_build () gives them from Sᵀ
 * through its permutation: by a counting sort of @fwd's entries on their
 * column, which lists each column's entries in S's order, as Sᵀ's rows do
 * (philia-sparse.c), with the same values. The build through the
 * permutation reads every entry's value at a random place and each kept
 * entry's place depends on that read; this reads @fwd's half of the
 * entries in order (11,758 × 8,000 words: a sixth of the weight gradient's
 * product; tests/bench/GRID.md, session 20).
 */
static void
kept_sparse_transpose (PhiliaTape         *tape,
                       const PhiliaSparse *t,
                       const PhiliaSparse *fwd,
                       PhiliaSparse       *kept)
{
  gint64 *off;
  float *val;

  *kept = (PhiliaSparse){ 0 };
  kept->rows = t->rows;
  kept->cols = t->cols;
  kept->row_offsets = off = (gint64 *)_philia_tape_pool_take (tape, 2 * ((gsize)t->rows + 1));
  kept->col_index = (gint32 *)_philia_tape_pool_take (tape, (gsize)t->nnz);
  kept->values = val = _philia_tape_pool_take (tape, (gsize)t->nnz);
  memset (off, 0, sizeof (gint64) * ((gsize)t->rows + 1));
  /* off[c + 2] counts column c (the last column's count is not needed);
   * after the sum off[c + 1] is where column c starts, and placing the
   * column's entries moves it to where it ends, its final value. */
  for (gint64 e = 0; e < fwd->nnz; e++)
    if ((gint64)fwd->col_index[e] + 2 <= (gint64)t->rows)
      off[fwd->col_index[e] + 2]++;
  for (guint c = 1; c <= t->rows; c++)
    off[c] += off[c - 1];
  for (guint i = 0; i < fwd->rows; i++)
    for (gint64 e = fwd->row_offsets[i]; e < fwd->row_offsets[i + 1]; e++)
      {
        gint64 k = off[fwd->col_index[e] + 1]++;

        kept->col_index[k] = (gint32)i;
        val[k] = fwd->values[e];
      }
  off[0] = 0;
  kept->nnz = fwd->nnz;
}

static void
kept_sparse_release (PhiliaTape         *tape,
                     const PhiliaSparse *s,
                     const PhiliaSparse *kept)
{
  _philia_tape_pool_give (tape, 2 * ((gsize)s->rows + 1), (float *)kept->row_offsets);
  _philia_tape_pool_give (tape, (gsize)s->nnz, (float *)kept->col_index);
  _philia_tape_pool_give (tape, (gsize)s->nnz, (float *)kept->values);
}

/* philia-tape-private.h */
void
_philia_tape_kept_clear (PhiliaTape *tape)
{
  for (guint k = 0; k < tape->n_kept; k++)
    {
      kept_sparse_release (tape, tape->kept[k].s, tape->kept[k].kept);
      g_free (tape->kept[k].kept);
      philia_sparse_unref ((PhiliaSparse *)tape->kept[k].s);
    }
  tape->n_kept = 0;
}

/*
 * The kept entries of @s under @values, from the step's cache when
 * @key, the tensor @values belong to, has been seen with @s this step: SAGE's
 * two products over one dropped X, and their two backward products, each
 * made the same compact CSR (a pass over X's 470k entries at 8,000 words,
 * the backward's through the transpose's permutation: 400 perf samples
 * beside the 64-wide kernel's 1,009 in a SAGE 64 run). A tensor's values
 * do not change within the step (the backward pass reads them too).
 * *@owned says whether the caller gives it back (kept_sparse_release ()):
 * without @key, or with the cache full.
 */
static const PhiliaSparse *
kept_sparse_get (PhiliaTape         *tape,
                 const PhiliaSparse *s,
                 const PhiliaTensor *key,
                 const float        *values,
                 const gint64       *value_index,
                 PhiliaSparse       *scratch,
                 gboolean           *owned)
{
  const PhiliaSparse *fwd = NULL;
  PhiliaSparse *kept;

  if (key != NULL)
    for (guint k = 0; k < tape->n_kept; k++)
      if (tape->kept[k].s == s && tape->kept[k].values == key && tape->kept[k].data == key->data)
        {
          *owned = FALSE;
          return tape->kept[k].kept;
        }
  /* Sᵀ's kept entries, read through its permutation, when S's under the
   * same values are made: transposed from them (kept_sparse_transpose ()). */
  if (key != NULL && value_index != NULL)
    for (guint k = 0; k < tape->n_kept; k++)
      if (tape->kept[k].s->transpose == s && tape->kept[k].s->transpose_perm == value_index
          && tape->kept[k].values == key && tape->kept[k].data == key->data)
        {
          fwd = tape->kept[k].kept;
          break;
        }
  kept = key == NULL || tape->n_kept == TAPE_KEPT_MAX ? scratch : g_new (PhiliaSparse, 1);
  if (fwd != NULL)
    kept_sparse_transpose (tape, s, fwd, kept);
  else
    kept_sparse_build (tape, s, values, value_index, kept);
  if (kept == scratch)
    {
      *owned = TRUE;
      return scratch;
    }
  /* Held until the reset: the release reads its sizes, and a matrix freed
   * mid-step must not match a new one at its address. */
  tape->kept[tape->n_kept].s = philia_sparse_ref ((PhiliaSparse *)s);
  tape->kept[tape->n_kept].values = key;
  tape->kept[tape->n_kept].data = key->data;
  tape->kept[tape->n_kept++].kept = kept;
  *owned = FALSE;
  return kept;
}

/*
 * One-head products whose values are zero for a quarter of the entries or
 * more (dropout on sparse features zeroes half of them every step): the
 * product over the kept entries alone, copied once into a compact CSR (a
 * pass over the indices, cheap beside @cols gathered columns an entry), so
 * the forward and the backward product gather half the rows. FALSE, having
 * done nothing, when too few entries are zero. Each output element gets
 * the sum of the kept terms in entry order, which differs from the full
 * sum only by terms that are exactly zero.
 */
static gboolean
spmm_run_kept (PhiliaTape         *tape,
               const PhiliaSparse *s,
               const PhiliaTensor *key,
               const float        *values,
               const float        *x,
               float              *out,
               guint               cols,
               const gint64       *value_index,
               gboolean            accumulate)
{
  PhiliaSparse scratch;
  const PhiliaSparse *kept;
  gboolean owned;
  SpmmTask task = { NULL, NULL, 1, x, out, cols, accumulate, NULL, NULL, NULL };

  /* Counted in storage order: @value_index, where given, permutes the
   * entries (a transpose's), which leaves the count as it is. */
  if (count_zeros (values, s->nnz) * 4 < s->nnz)
    return FALSE;
  kept = kept_sparse_get (tape, s, key, values, value_index, &scratch, &owned);
  task.s = kept;
  task.values = kept->values;
  _philia_tape_parallel_rows_cost (tape, kept->rows, kept->row_offsets, (double)kept->nnz * cols,
                                   SPMM_BYTES (kept->nnz, kept->rows, kept->cols, cols),
                                   spmm_rows, &task);
  if (owned)
    kept_sparse_release (tape, s, &scratch);
  return TRUE;
}

static void
spmm_run (PhiliaTape         *tape,
          const PhiliaSparse *s,
          const PhiliaTensor *key,
          const float        *values,
          guint               heads,
          const float        *x,
          float              *out,
          guint               cols,
          const gint64       *value_index,
          gboolean            accumulate)
{
  SpmmTask task = { s, values, heads, x, out, cols, accumulate, NULL, NULL, value_index };
  float *ordered = NULL;

  if (heads == 1 && cols >= 2 && cols <= 7 && s->nnz > 2 * (gint64)s->cols)
    {
      /* Pad X's rows to eight floats (a pass over X, small beside the
       * gathers when the matrix has a few entries per column or more). */
      gsize size = ((gsize)s->cols + 1) * 8 + 8;
      float *buffer = _philia_tape_pool_take (tape, size);
      float *padded = (float *)(((guintptr)buffer + 31) & ~(guintptr)31);
      gboolean factored = values == s->values && value_index == NULL
                          && (s->row_scale != NULL || s->col_scale != NULL);

      pad_rows[cols] (x, factored ? s->col_scale : NULL, padded, s->cols);
      memset (padded + (gsize)s->cols * 8, 0, sizeof (float) * 8);   /* the slices' padding row */
      task.x = padded;
      if (factored)
        {
          task.values = NULL;
          task.row_scale = s->row_scale;
        }
      task.slices = task.values == NULL ? sparse_slices (s) : NULL;
      /* The padded kernels do eight multiply-adds an entry, whatever @cols. */
      if (task.slices != NULL && task.slices->usable)
        _philia_tape_parallel_rows_cost (tape, task.slices->n_chunks, task.slices->chunk_offsets,
                                         (double)s->nnz * 8,
                                         SPMM_BYTES (s->nnz, s->rows, s->cols, cols),
                                         spmm_slices[cols], &task);
      else
        _philia_tape_parallel_rows_cost (tape, s->rows, s->row_offsets, (double)s->nnz * 8,
                                         SPMM_BYTES (s->nnz, s->rows, s->cols, cols),
                                         spmm_padded[cols], &task);
      _philia_tape_pool_give (tape, size, buffer);
      return;
    }
  if (heads == 1 && values != NULL && cols >= 8 && s->nnz > 0
      && spmm_run_kept (tape, s, key, values, x, out, cols, value_index, accumulate))
    return;
  if (value_index != NULL && !(heads == 8 && cols == 64))
    {
      /* The column-block kernels read values in entry order: put them in
       * it (from the tape's pool, not fresh pages every step). */
      ordered = _philia_tape_pool_take (tape, MAX (s->nnz * heads, 1));
      for (gint64 k = 0; k < s->nnz; k++)
        for (guint h = 0; h < heads; h++)
          ordered[k * heads + h] = values[value_index[k] * heads + h];
      task.values = ordered;
      task.value_index = NULL;
    }
  _philia_tape_parallel_rows_cost (tape, s->rows, s->row_offsets, (double)s->nnz * cols,
                                   SPMM_BYTES (s->nnz, s->rows, s->cols, cols), spmm_rows, &task);
  if (ordered != NULL)
    _philia_tape_pool_give (tape, MAX (s->nnz * heads, 1), ordered);
}

/* philia-autograd-private.h */
void
_philia_spmm_strided (PhiliaTape         *tape,
                      const PhiliaSparse *s,
                      const float        *x,
                      float              *out,
                      guint               width,
                      guint               stride)
{
  _philia_spmm_strided_to (tape, s, x, stride, out, stride, width);
}

/* philia-autograd-private.h */
void
_philia_spmm_strided_to (PhiliaTape         *tape,
                         const PhiliaSparse *s,
                         const float        *x,
                         guint               x_stride,
                         float              *out,
                         guint               out_stride,
                         guint               width)
{
  SpmmTask task = { s, s->values, 1, x, out, x_stride, FALSE, NULL, NULL, NULL, width,
                    out_stride };

  g_assert (width > 0 && width <= x_stride && width <= out_stride
            && !(width >= 2 && width <= 7));

  if (x_stride == width && (width == 8 || width == 16 || width == 32 || width == 64))
    {
      /* A contiguous X of one of spmm_rows_wide's widths: its row kernel
       * (the block of spmm_columns () without a call a row, the same sums),
       * which writes rows @out_stride apart. */
      task.width = 0;
      task.cols = width;
    }

  _philia_tape_parallel_rows_cost (tape, s->rows, s->row_offsets, (double)s->nnz * width,
                                   SPMM_BYTES (s->nnz, s->rows, s->cols, width), spmm_rows,
                                   &task);
}

typedef struct
{
  const PhiliaSparse *s;
  guint               heads;
  const float        *dout;
  const float        *x;
  float              *dvalues;
  guint               cols;
} SpmmValuesTask;

PHILIA_VECTORIZE static void
spmm_values_rows (gpointer data,
                  guint    begin,
                  guint    end)
{
  const SpmmValuesTask *t = data;
  guint n = t->cols, heads = t->heads, d = n / heads;

  if (heads == 8 && d == 8)
    {
      /* GAT's first layer: the eight heads' sums interleaved (the same
       * multiply-adds per head, in the same order), not one dependent
       * chain after another. */
      for (guint i = begin; i < end; i++)
        for (gint64 e = t->s->row_offsets[i]; e < t->s->row_offsets[i + 1]; e++)
          {
            const float *restrict g = t->dout + (gsize)i * 64;
            const float *restrict x = t->x + (gsize)t->s->col_index[e] * 64;
            float *restrict dv = t->dvalues + e * 8;
            float acc[8] = { 0 };

            for (guint j = 0; j < 8; j++)
              for (guint h = 0; h < 8; h++)
                acc[h] += g[h * 8 + j] * x[h * 8 + j];
            for (guint h = 0; h < 8; h++)
              dv[h] += acc[h];
          }
      return;
    }
  for (guint i = begin; i < end; i++)
    for (gint64 e = t->s->row_offsets[i]; e < t->s->row_offsets[i + 1]; e++)
      {
        const float *g = t->dout + (gsize)i * n;
        const float *x = t->x + (gsize)t->s->col_index[e] * n;

        for (guint h = 0; h < heads; h++)
          {
            float acc = 0;

            for (guint j = h * d; j < (h + 1) * d; j++)
              acc += g[j] * x[j];
            t->dvalues[e * heads + h] += acc;
          }
      }
}

/*
 * dX = Sᵀ dOut for a tall S with few columns (bag-of-words features: 10^5
 * rows of 1,500 words) by a scatter over S's rows, not a gather over its
 * transpose. Each of the transpose's few rows gathers its entries' rows of
 * dOut from all over it (10^5 × 512 floats: 200 MB, one 64-column slice
 * 25 MB, far past L2), a few cache lines an entry; the scatter reads dOut
 * once in order and adds into an output slice that stays in L2 (1,500 ×
 * 64 floats: 384 KB). Blocks of 64 columns split between threads. Each
 * output element gets the multiply-adds of the gather, in its order (the
 * transpose's rows list S's rows ascending) and with the same zero terms
 * skipped (spmm_run_kept()), so the bits are the gather's.
 */
typedef struct
{
  const PhiliaSparse *s;
  const float        *values;
  const float        *dout;
  float              *out;
  guint               cols;
  gboolean            accumulate;
} ScatterTask;

/* Output rows of L2-sized slices, and dOut rows enough to leave L2. */
static gboolean
spmm_scatter_fits (const PhiliaSparse *s,
                   guint               heads,
                   guint               cols)
{
  return heads == 1 && cols % 8 == 0 && cols >= 64 && s->cols <= 4096
         && s->rows >= 8 * (gsize)s->cols && s->rows >= 8192 && s->nnz > 0;
}

#define SCATTER_BLOCK 64

PHILIA_VECTORIZE static void
spmm_scatter_blocks (gpointer data,
                     guint    begin,
                     guint    end)
{
  const ScatterTask *t = data;
  const gint64 *restrict off = t->s->row_offsets;
  const gint32 *restrict col = t->s->col_index;
  const float *restrict values = t->values;
  guint n = t->cols;

  for (guint b = begin; b < end; b++)
    {
      guint j0 = b * SCATTER_BLOCK, nv = MIN (SCATTER_BLOCK, n - j0) / 8;

      if (!t->accumulate)
        for (guint c = 0; c < t->s->cols; c++)
          memset (t->out + (gsize)c * n + j0, 0, sizeof (float) * 8 * nv);
      for (guint i = 0; i < t->s->rows; i++)
        {
          const float *restrict g = t->dout + (gsize)i * n + j0;
          V8f row[SCATTER_BLOCK / 8];

          if (off[i] == off[i + 1])
            continue;
          for (guint k = 0; k < nv; k++)
            row[k] = v8_load (g + 8 * k);
          for (gint64 e = off[i]; e < off[i + 1]; e++)
            {
              float v = values[e];
              float *restrict o = t->out + (gsize)col[e] * n + j0;

              for (guint k = 0; k < nv; k++)
                v8_store (o + 8 * k, v8_load (o + 8 * k) + v * row[k]);
            }
        }
    }
}

static void
spmm_scatter_transposed (PhiliaTape         *tape,
                         const PhiliaSparse *s,
                         const PhiliaTensor *key,
                         const float        *values,
                         const float        *dout,
                         float              *out,
                         guint               cols,
                         gboolean            accumulate)
{
  PhiliaSparse scratch;
  gboolean skip = count_zeros (values, s->nnz) * 4 >= s->nnz, owned = FALSE;
  ScatterTask task = { s, values, dout, out, cols, accumulate };

  /* The kept entries alone where the gather would skip zeros (the forward
   * product's, kept_sparse_get ()): a test on each entry in each 64-column
   * block is a branch on dropout's coin, mispredicted half the time. */
  if (skip)
    {
      task.s = kept_sparse_get (tape, s, key, values, NULL, &scratch, &owned);
      task.values = task.s->values;
    }
  /* The site's cost by all entries, as before: the kept count changes every
   * step, and the timed choice keys a site by its cost. */
  _philia_tape_parallel_rows_cost (tape, (cols + SCATTER_BLOCK - 1) / SCATTER_BLOCK, NULL,
                                   (double)s->nnz * cols,
                                   SPMM_BYTES (s->nnz, s->cols, s->rows, cols),
                                   spmm_scatter_blocks, &task);
  if (owned)
    kept_sparse_release (tape, s, &scratch);
}

/* The values tensor as the key of the step's kept entries
 * (kept_sparse_get ()): only values no gradient reaches (dropout on sparse
 * features), which nothing in the step rewrites. */
static const PhiliaTensor *
kept_key (const PhiliaTensor *values)
{
  return values != NULL && !values->requires_grad ? values : NULL;
}

static void
spmm_backward (PhiliaTape *tape,
               Node       *node)
{
  PhiliaSparse *s = node->sparse;
  PhiliaTensor *values = node->in[0], *x = node->in[1], *out = node->out;
  guint heads = values ? values->cols : 1;

  /* dX = Sᵀ dOut, row-parallel over the transpose; the op's values are read
   * where they are, through the permutation from the transpose's entries. */
  if (x->requires_grad)
    {
      gboolean fresh;
      float *gx = grad_for_write (tape, x, &fresh);

      /* Written outright when nothing has reached dX yet: no zeroing pass. */
      if (spmm_scatter_fits (s, heads, x->cols))
        spmm_scatter_transposed (tape, s, kept_key (values), values ? values->data : s->values,
                                 out->grad, gx, x->cols, !fresh);
      else
        spmm_run (tape, s->transpose, kept_key (values),
                  values ? values->data : s->transpose->values, heads, out->grad, gx, x->cols,
                  values ? s->transpose_perm : NULL, !fresh);
    }
  if (values != NULL && values->requires_grad)
    {
      SpmmValuesTask task = { s, heads, out->grad, x->data, ensure_grad (values), x->cols };

      _philia_tape_parallel_rows_cost (tape, s->rows, s->row_offsets, (double)s->nnz * x->cols,
                                       SPMM_BYTES (s->nnz, s->rows, s->cols, x->cols),
                                       spmm_values_rows, &task);
    }
}

/* philia-autograd-private.h */
void
_philia_spmm_to (PhiliaTape         *tape,
                 const PhiliaSparse *s,
                 const float        *x,
                 float              *out,
                 guint               cols,
                 gboolean            accumulate)
{
  g_return_if_fail (s != NULL && x != NULL && out != NULL && cols > 0);

  spmm_run (tape, s, kept_key (NULL), s->values, 1, x, out, cols, NULL, accumulate);
}

PhiliaTensor *
philia_op_spmm (PhiliaTape   *tape,
                PhiliaSparse *s,
                PhiliaTensor *values,
                PhiliaTensor *x)
{
  PhiliaTensor *out;
  guint heads = values ? values->cols : 1;
  Node *node;

  g_return_val_if_fail (s != NULL && x != NULL && x->rows == s->cols, NULL);
  g_return_val_if_fail (values == NULL || (values->rows == s->nnz && values->cols > 0
                                           && x->cols % values->cols == 0), NULL);

  out = tape_tensor_uninit (tape, s->rows, x->cols);
  spmm_run (tape, s, kept_key (values), values ? values->data : s->values, heads, x->data,
            out->data, x->cols, NULL, FALSE);
  node = record (tape, spmm_backward, out, values, x, NULL);
  if (node != NULL)
    node->sparse = philia_sparse_ref (s);
  return out;
}
