/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The transformer's small-inner-dimension product kernel
 * (philia-small-gemm-private.h; tests in tests/test-transformer.c). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-cost-private.h"
#include "philia-small-gemm-private.h"

#include <math.h>
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
# include <immintrin.h>
#endif

/* Rows written before the epilogue runs on them: small enough that they are
 * still in the first-level cache (48 rows of 192 floats are 36 KiB). */
#define CHUNK_ROWS 48
/* The weight (k × n floats) must fit the second-level cache with room. */
#define MAX_WEIGHT_FLOATS (128 * 1024)

typedef struct
{
  const float       *a, *b, *bias;
  const float       *bp;                     /* B's whole panels packed, or NULL */
  float             *c;
  gsize              a_rs, a_cs, ldb, ldc;   /* A[r, t] is a[r · a_rs + t · a_cs] */
  guint              n, k;
  gboolean           accumulate;
  PhiliaGemmEpilogue epilogue;
  gpointer           data;
} Gemm;

#if defined(__x86_64__) && defined(__GNUC__)
# define HAVE_KERNELS 1

# pragma GCC diagnostic ignored "-Wpsabi"
/* GCC keeps the accumulators in registers at -O3 (clang does at its -O2). */
# ifdef __clang__
#  define KERNEL_OPT
# else
#  define KERNEL_OPT , optimize ("O3")
# endif

typedef float V16 __attribute__ ((vector_size (64)));
typedef float V8 __attribute__ ((vector_size (32)));

/* The first @count lanes of a vector from @p (the others 0, and not read:
 * the masked loads do not fault past the end of a buffer), and the first
 * @count lanes of @v to @p, for a width's last columns (count < VL). */
static inline __attribute__ ((always_inline, target ("arch=x86-64-v4"))) V16
mload_avx512 (const float *p,
              guint        count)
{
  return (V16)_mm512_maskz_loadu_ps ((__mmask16)((1u << count) - 1), p);
}

static inline __attribute__ ((always_inline, target ("arch=x86-64-v4"))) void
mstore_avx512 (float *p,
               V16    v,
               guint  count)
{
  _mm512_mask_storeu_ps (p, (__mmask16)((1u << count) - 1), (__m512)v);
}

/* Eight lanes on, then eight off: the mask of the first count lanes starts
 * 8 − count in. */
static const gint32 lane_masks[16] = { -1, -1, -1, -1, -1, -1, -1, -1 };

static inline __attribute__ ((always_inline, target ("arch=x86-64-v3"))) V8
mload_avx2 (const float *p,
            guint        count)
{
  __m256i m = _mm256_loadu_si256 ((const __m256i *)(lane_masks + 8 - count));

  return (V8)_mm256_maskload_ps (p, m);
}

static inline __attribute__ ((always_inline, target ("arch=x86-64-v3"))) void
mstore_avx2 (float *p,
             V8     v,
             guint  count)
{
  __m256i m = _mm256_loadu_si256 ((const __m256i *)(lane_masks + 8 - count));

  _mm256_maskstore_ps (p, m, (__m256)v);
}

/*
 * One kernel per instruction set from one template: a block of R rows ×
 * NV vectors of columns kept in registers (R·NV accumulators) while the
 * inner index runs, each step one broadcast of A a row and one load of B a
 * vector. Rows left over from R go one at a time. Columns left over from
 * NV vectors go one vector at a time when the width is whole vectors (the
 * grid's widths, multiples of 16: their path as it was); otherwise as one
 * block of as many vectors as they take, the last one masked (a width of
 * 100 takes 64 columns and then 36 as 2 vectors and 4 lanes): the columns
 * past the last whole vector went one element at a time, a chain of
 * dependent multiply-adds each, which is why the dense models' products
 * at those widths were left to OpenBLAS. Every element gets the same
 * init-then-multiply-add sequence whatever block, or lane, it falls in
 * (the one-at-a-time columns took A's term as it is, the lanes take 0 + A
 * as every vector does: the same bits but for the sign of a zero sum where
 * A holds −0).
 */
# define DEFINE_KERNEL(SUFFIX, TARGET, VT, VL, R, NV)                                       \
  static inline __attribute__ ((always_inline, target (TARGET))) VT                        \
  load_##SUFFIX (const float *p)                                                            \
  {                                                                                         \
    VT v;                                                                                   \
    memcpy (&v, p, sizeof v);                                                               \
    return v;                                                                               \
  }                                                                                         \
                                                                                            \
  static inline __attribute__ ((always_inline, target (TARGET))) VT                        \
  init_##SUFFIX (const Gemm *g,                                                            \
                 gsize       row,                                                           \
                 guint       col)                                                           \
  {                                                                                         \
    if (g->accumulate)                                                                      \
      return load_##SUFFIX (g->c + row * g->ldc + col);                                    \
    if (g->bias != NULL)                                                                    \
      return load_##SUFFIX (g->bias + col);                                                 \
    return (VT){ 0 };                                                                       \
  }                                                                                         \
                                                                                            \
  /* init_ of the first @count lanes (the others 0). */                                     \
  static inline __attribute__ ((always_inline, target (TARGET))) VT                        \
  initn_##SUFFIX (const Gemm *g,                                                           \
                  gsize       row,                                                          \
                  guint       col,                                                          \
                  guint       count)                                                        \
  {                                                                                         \
    if (g->accumulate)                                                                      \
      return mload_##SUFFIX (g->c + row * g->ldc + col, count);                            \
    if (g->bias != NULL)                                                                    \
      return mload_##SUFFIX (g->bias + col, count);                                         \
    return (VT){ 0 };                                                                       \
  }                                                                                         \
                                                                                            \
  /* rr rows (R or 1) from @row, nv vectors (NV or 1) from @col. */                         \
  static inline __attribute__ ((always_inline, target (TARGET))) void                      \
  block_##SUFFIX (const Gemm *g,                                                           \
                  gsize       row,                                                          \
                  guint       col,                                                          \
                  guint       rr,                                                           \
                  guint       nv)                                                           \
  {                                                                                         \
    VT acc[R][NV];                                                                          \
    const float *a = g->a + row * g->a_rs, *b = g->b + col;                                \
                                                                                            \
    for (guint r = 0; r < rr; r++)                                                          \
      for (guint v = 0; v < nv; v++)                                                        \
        acc[r][v] = init_##SUFFIX (g, row + r, col + v * VL);                               \
    for (guint t = 0; t < g->k; t++)                                                        \
      {                                                                                     \
        VT bv[NV];                                                                          \
                                                                                            \
        for (guint v = 0; v < nv; v++)                                                      \
          bv[v] = load_##SUFFIX (b + t * g->ldb + v * VL);                                  \
        for (guint r = 0; r < rr; r++)                                                      \
          {                                                                                 \
            VT av = (VT){ 0 } + a[r * g->a_rs + t * g->a_cs];                               \
                                                                                            \
            for (guint v = 0; v < nv; v++)                                                  \
              acc[r][v] += av * bv[v];                                                      \
          }                                                                                 \
      }                                                                                     \
    for (guint r = 0; r < rr; r++)                                                          \
      for (guint v = 0; v < nv; v++)                                                        \
        memcpy (g->c + (row + r) * g->ldc + col + v * VL, &acc[r][v], sizeof (VT));         \
  }                                                                                         \
                                                                                            \
  static inline __attribute__ ((always_inline, target (TARGET))) void                      \
  store_##SUFFIX (float *p,                                                                 \
                  VT     v)                                                                 \
  {                                                                                         \
    memcpy (p, &v, sizeof v);                                                               \
  }                                                                                         \
                                                                                            \
  /* block_ on nv vectors (1 to NV) of which the last is masked to its first                \
   * @tail lanes: the same terms in the same order for each element. Kept                   \
   * apart from block_ so that the whole-vector paths stay as they were                     \
   * (and the accumulators are never addressed, so they stay in registers). */              \
  static inline __attribute__ ((always_inline, target (TARGET))) void                      \
  mblock_##SUFFIX (const Gemm *g,                                                          \
                   gsize       row,                                                         \
                   guint       col,                                                         \
                   guint       rr,                                                          \
                   guint       nv,                                                          \
                   guint       tail)                                                        \
  {                                                                                         \
    VT acc[R][NV];                                                                          \
    const float *a = g->a + row * g->a_rs, *b = g->b + col;                                \
    guint last = nv - 1;                                                                    \
                                                                                            \
    for (guint r = 0; r < rr; r++)                                                          \
      {                                                                                     \
        for (guint v = 0; v < last; v++)                                                    \
          acc[r][v] = init_##SUFFIX (g, row + r, col + v * VL);                             \
        acc[r][last] = initn_##SUFFIX (g, row + r, col + last * VL, tail);                  \
      }                                                                                     \
    for (guint t = 0; t < g->k; t++)                                                        \
      {                                                                                     \
        VT bv[NV];                                                                          \
                                                                                            \
        for (guint v = 0; v < last; v++)                                                    \
          bv[v] = load_##SUFFIX (b + t * g->ldb + v * VL);                                  \
        bv[last] = mload_##SUFFIX (b + t * g->ldb + last * VL, tail);                       \
        for (guint r = 0; r < rr; r++)                                                      \
          {                                                                                 \
            VT av = (VT){ 0 } + a[r * g->a_rs + t * g->a_cs];                               \
                                                                                            \
            for (guint v = 0; v < nv; v++)                                                  \
              acc[r][v] += av * bv[v];                                                      \
          }                                                                                 \
      }                                                                                     \
    for (guint r = 0; r < rr; r++)                                                          \
      {                                                                                     \
        float *c = g->c + (row + r) * g->ldc + col;                                        \
                                                                                            \
        for (guint v = 0; v < last; v++)                                                    \
          store_##SUFFIX (c + v * VL, acc[r][v]);                                           \
        mstore_##SUFFIX (c + last * VL, acc[r][last], tail);                                \
      }                                                                                     \
  }                                                                                         \
                                                                                            \
  /* block_ over the @nv vectors (1 to NV) from @col, the last one's first                 \
   * @tail lanes only: the accumulators' count made a constant. */                          \
  static inline __attribute__ ((always_inline, target (TARGET))) void                      \
  part_##SUFFIX (const Gemm *g,                                                            \
                 gsize       row,                                                           \
                 guint       col,                                                           \
                 guint       rr,                                                            \
                 guint       nv,                                                            \
                 guint       tail)                                                          \
  {                                                                                         \
    switch (nv)                                                                             \
      {                                                                                     \
      case 1: mblock_##SUFFIX (g, row, col, rr, 1, tail); break;                      \
      case 2: mblock_##SUFFIX (g, row, col, rr, MIN (2, NV), tail); break;            \
      case 3: mblock_##SUFFIX (g, row, col, rr, MIN (3, NV), tail); break;            \
      default: mblock_##SUFFIX (g, row, col, rr, MIN (4, NV), tail); break;           \
      }                                                                                     \
  }                                                                                         \
                                                                                            \
  static __attribute__ ((target (TARGET) KERNEL_OPT)) void                                 \
  rows_##SUFFIX (const Gemm *g,                                                            \
                 guint       begin,                                                         \
                 guint       end)                                                           \
  {                                                                                         \
    guint n = g->n, full = n / (NV * VL) * (NV * VL), vec = n / VL * VL;                    \
    /* Columns past the whole panels when the width is not whole vectors:                   \
     * parts vectors, the last one's first tail lanes. */                                   \
    guint parts = (n - full + VL - 1) / VL, tail = n - full - (parts - 1) * VL;             \
    gboolean masked = vec < n;                                                              \
    gsize row;                                                                              \
                                                                                            \
    /* From packed panels (@g->bp), panel by panel of NV · VL columns, each              \
     * over the rows: the panel, contiguous, stays in the first-level cache                 \
     * while the rows' tiles read it. Row by row, each tile read all of B from              \
     * the second level, and in place a 512-column B's rows, 2 KiB apart, put              \
     * a panel's lines in 8 of that cache's 64 sets (HACKING.md §7). In place,              \
     * row by row: its output rows are written whole, one after the other                  \
     * (a short inner dimension's product is bound by those writes). */                     \
    if (g->bp != NULL)                                                                      \
      {                                                                                     \
        for (guint col = 0; col < full; col += NV * VL)                                     \
          {                                                                                 \
            Gemm p = *g;                                                                    \
                                                                                            \
            p.b = g->bp + (gsize)col * g->k - col;                                          \
            p.ldb = NV * VL;                                                                \
            for (row = begin; row + R <= end; row += R)                                     \
              block_##SUFFIX (&p, row, col, R, NV);                                         \
            for (; row < end; row++)                                                        \
              block_##SUFFIX (&p, row, col, 1, NV);                                         \
          }                                                                                 \
        if (masked)                                                                         \
          {                                                                                 \
            for (row = begin; row + R <= end; row += R)                                     \
              part_##SUFFIX (g, row, full, R, parts, tail);                                 \
            for (; row < end; row++)                                                        \
              part_##SUFFIX (g, row, full, 1, parts, tail);                                 \
          }                                                                                 \
        for (guint col = full; !masked && col < vec; col += VL)                             \
          {                                                                                 \
            for (row = begin; row + R <= end; row += R)                                     \
              block_##SUFFIX (g, row, col, R, 1);                                           \
            for (; row < end; row++)                                                        \
              block_##SUFFIX (g, row, col, 1, 1);                                           \
          }                                                                                 \
      }                                                                                     \
    else                                                                                    \
      {                                                                                     \
        for (row = begin; row + R <= end; row += R)                                         \
          {                                                                                 \
            guint col = 0;                                                                  \
                                                                                            \
            for (; col < full; col += NV * VL)                                              \
              block_##SUFFIX (g, row, col, R, NV);                                          \
            if (masked)                                                                     \
              part_##SUFFIX (g, row, full, R, parts, tail);                                 \
            for (; !masked && col < vec; col += VL)                                         \
              block_##SUFFIX (g, row, col, R, 1);                                           \
          }                                                                                 \
        for (; row < end; row++)                                                            \
          {                                                                                 \
            guint col = 0;                                                                  \
                                                                                            \
            for (; col < full; col += NV * VL)                                              \
              block_##SUFFIX (g, row, col, 1, NV);                                          \
            if (masked)                                                                     \
              part_##SUFFIX (g, row, full, 1, parts, tail);                                 \
            for (; !masked && col < vec; col += VL)                                         \
              block_##SUFFIX (g, row, col, 1, 1);                                           \
          }                                                                                 \
      }                                                                                     \
  }                                                                                         \
                                                                                            \
  /* The transposed form on packed operands: rr rows of C (at most R) × NV                  \
   * vectors from @c, A's rows packed as ap[t · rr + r] (0 + A[r, t], the term              \
   * block_ broadcasts), B's panel read a row every @ldb floats from @bp and,               \
   * when @bout is not NULL, copied to bout[t · NV · VL + j] for the panel's                \
   * other tiles as it is read; the terms and their order are block_'s. */                  \
  static inline __attribute__ ((always_inline, target (TARGET))) void                       \
  tn_tile_##SUFFIX (const float *ap,                                                        \
                    const float *bp,                                                        \
                    gsize        ldb,                                                       \
                    float       *bout,                                                      \
                    guint        k,                                                         \
                    float       *c,                                                         \
                    gsize        ldc,                                                       \
                    gboolean     accumulate,                                                \
                    guint        rr)                                                        \
  {                                                                                         \
    VT acc[R][NV];                                                                          \
                                                                                            \
    for (guint r = 0; r < rr; r++)                                                          \
      for (guint v = 0; v < NV; v++)                                                        \
        acc[r][v] = accumulate ? load_##SUFFIX (c + r * ldc + v * VL) : (VT){ 0 };          \
    for (guint t = 0; t < k; t++)                                                           \
      {                                                                                     \
        VT bv[NV];                                                                          \
                                                                                            \
        for (guint v = 0; v < NV; v++)                                                      \
          {                                                                                 \
            bv[v] = load_##SUFFIX (bp + (gsize)t * ldb + v * VL);                           \
            if (bout != NULL)                                                               \
              memcpy (bout + (gsize)t * NV * VL + v * VL, &bv[v], sizeof (VT));             \
          }                                                                                 \
        for (guint r = 0; r < rr; r++)                                                      \
          {                                                                                 \
            /* x − 0 is x for every x, so this is a plain broadcast of the                  \
             * packed term (block_'s 0 + x is not: it turns −0 into +0, which               \
             * is why the packing adds the 0). */                                           \
            VT av = ap[(gsize)t * rr + r] - (VT){ 0 };                                      \
                                                                                            \
            for (guint v = 0; v < NV; v++)                                                  \
              acc[r][v] += av * bv[v];                                                      \
          }                                                                                 \
      }                                                                                     \
    for (guint r = 0; r < rr; r++)                                                          \
      for (guint v = 0; v < NV; v++)                                                        \
        memcpy (c + r * ldc + v * VL, &acc[r][v], sizeof (VT));                             \
  }                                                                                         \
                                                                                            \
  /* tn_tile_ on nv vectors (1 to NV), the last masked to its first @tail                   \
   * lanes, B's packed rows @ldb floats apart (0 past the width): the same                  \
   * terms in the same order for each element, kept apart as mblock_ is. */                 \
  static inline __attribute__ ((always_inline, target (TARGET))) void                       \
  tn_mtile_##SUFFIX (const float *ap,                                                       \
                     const float *bp,                                                       \
                     gsize        ldb,                                                      \
                     guint        k,                                                        \
                     float       *c,                                                        \
                     gsize        ldc,                                                      \
                     gboolean     accumulate,                                               \
                     guint        rr,                                                       \
                     guint        nv,                                                       \
                     guint        tail)                                                     \
  {                                                                                         \
    VT acc[R][NV];                                                                          \
    guint last = nv - 1;                                                                    \
                                                                                            \
    for (guint r = 0; r < rr; r++)                                                          \
      {                                                                                     \
        for (guint v = 0; v < last; v++)                                                    \
          acc[r][v] = accumulate ? load_##SUFFIX (c + r * ldc + v * VL) : (VT){ 0 };        \
        acc[r][last] = accumulate ? mload_##SUFFIX (c + r * ldc + last * VL, tail)          \
                                  : (VT){ 0 };                                              \
      }                                                                                     \
    for (guint t = 0; t < k; t++)                                                           \
      {                                                                                     \
        VT bv[NV];                                                                          \
                                                                                            \
        for (guint v = 0; v < nv; v++)                                                      \
          bv[v] = load_##SUFFIX (bp + (gsize)t * ldb + v * VL);                             \
        for (guint r = 0; r < rr; r++)                                                      \
          {                                                                                 \
            VT av = ap[(gsize)t * rr + r] - (VT){ 0 };                                      \
                                                                                            \
            for (guint v = 0; v < nv; v++)                                                  \
              acc[r][v] += av * bv[v];                                                      \
          }                                                                                 \
      }                                                                                     \
    for (guint r = 0; r < rr; r++)                                                          \
      {                                                                                     \
        for (guint v = 0; v < last; v++)                                                    \
          store_##SUFFIX (c + r * ldc + v * VL, acc[r][v]);                                 \
        mstore_##SUFFIX (c + r * ldc + last * VL, acc[r][last], tail);                      \
      }                                                                                     \
  }                                                                                         \
                                                                                            \
  /* tn_tile_ over the last, partial panel: @nv vectors (1 to NV), the last                 \
   * one's first @tail lanes, B's rows packed @ldb floats apart (its lanes                  \
   * past the width 0); the row and vector counts made constants. */                        \
  static inline __attribute__ ((always_inline, target (TARGET))) void                       \
  tn_part_rows_##SUFFIX (const float *ap,                                                   \
                         const float *bp,                                                   \
                         gsize        ldb,                                                  \
                         guint        k,                                                    \
                         float       *c,                                                    \
                         gsize        ldc,                                                  \
                         gboolean     accumulate,                                           \
                         guint        rr,                                                   \
                         guint        nv,                                                   \
                         guint        tail)                                                 \
  {                                                                                         \
    switch (rr)                                                                             \
      {                                                                                     \
      case R: tn_mtile_##SUFFIX (ap, bp, ldb, k, c, ldc, accumulate, R, nv, tail); break;     \
      case 5: tn_mtile_##SUFFIX (ap, bp, ldb, k, c, ldc, accumulate, 5, nv, tail); break;     \
      case 4: tn_mtile_##SUFFIX (ap, bp, ldb, k, c, ldc, accumulate, 4, nv, tail); break;     \
      case 3: tn_mtile_##SUFFIX (ap, bp, ldb, k, c, ldc, accumulate, 3, nv, tail); break;     \
      case 2: tn_mtile_##SUFFIX (ap, bp, ldb, k, c, ldc, accumulate, 2, nv, tail); break;     \
      default: tn_mtile_##SUFFIX (ap, bp, ldb, k, c, ldc, accumulate, 1, nv, tail); break;     \
      }                                                                                     \
  }                                                                                         \
                                                                                            \
  static inline __attribute__ ((always_inline, target (TARGET))) void                       \
  tn_part_##SUFFIX (const float *ap,                                                        \
                    const float *bp,                                                        \
                    gsize        ldb,                                                       \
                    guint        k,                                                         \
                    float       *c,                                                         \
                    gsize        ldc,                                                       \
                    gboolean     accumulate,                                                \
                    guint        rr,                                                        \
                    guint        nv,                                                        \
                    guint        tail)                                                      \
  {                                                                                         \
    switch (nv)                                                                             \
      {                                                                                     \
      case 1: tn_part_rows_##SUFFIX (ap, bp, ldb, k, c, ldc, accumulate, rr, 1, tail); break; \
      case 2: tn_part_rows_##SUFFIX (ap, bp, ldb, k, c, ldc, accumulate, rr, MIN (2, NV), tail); break; \
      case 3: tn_part_rows_##SUFFIX (ap, bp, ldb, k, c, ldc, accumulate, rr, MIN (3, NV), tail); break; \
      default: tn_part_rows_##SUFFIX (ap, bp, ldb, k, c, ldc, accumulate, rr, MIN (4, NV), tail); break; \
      }                                                                                     \
  }                                                                                         \
                                                                                            \
  /* Prefetches rows [from, to) of the region the panels take next (@b's                    \
   * panel-wide rows, and @a's rows [begin, end) when @a is not NULL). */                   \
  static inline __attribute__ ((always_inline, target (TARGET))) void                       \
  tn_ahead_##SUFFIX (const Gemm  *g,                                                        \
                     const float *a,                                                        \
                     const float *b,                                                        \
                     guint        width,                                                    \
                     guint        from,                                                     \
                     guint        to)                                                       \
  {                                                                                         \
    for (guint t = from; t < to; t++)                                                       \
      {                                                                                     \
        const char *p = (const char *)(b + (gsize)t * g->ldb);                              \
                                                                                            \
        for (guint l = 0; l < NV * VL * sizeof (float); l += 64)                            \
          __builtin_prefetch (p + l, 0, 3);                                                 \
        if (a != NULL)                                                                      \
          {                                                                                 \
            const char *q = (const char *)(a + (gsize)t * g->a_cs);                         \
                                                                                            \
            for (guint l = 0; l < width * sizeof (float); l += 64)                          \
              __builtin_prefetch (q + l, 0, 3);                                             \
          }                                                                                 \
      }                                                                                     \
  }                                                                                         \
                                                                                            \
  /* Rows [begin, end) of C over the whole panels of columns, inner index                   \
   * [t0, t0 + k) (A's rows are contiguous in the transposed form: a_rs is                  \
   * 1). A's rows are packed tile by tile (each tile's k × rr floats in a row,              \
   * the last tile taking the rows left); each NV · VL-column panel of B is                 \
   * copied by its first tile as that tile reads it, then read from the                     \
   * first-level cache by the other tiles, which meanwhile prefetch what the                \
   * next panel (or the next block's A and first panel) reads, a slice each:                \
   * the first tile's reads of B and the next packing of A find their lines                 \
   * in the cache instead of waiting on memory (HACKING.md §7). */                          \
  static __attribute__ ((target (TARGET) KERNEL_OPT)) void                                  \
  tn_panels_##SUFFIX (const Gemm *g,                                                        \
                      guint       begin,                                                    \
                      guint       end,                                                      \
                      gsize       t0,                                                       \
                      guint       k,                                                        \
                      gboolean    accumulate,                                               \
                      float      *apack,                                                    \
                      float      *bpack)                                                    \
  {                                                                                         \
    guint full = g->n / (NV * VL) * (NV * VL), width = end - begin, row = begin;            \
    guint tiles = (width + R - 1) / R;                                                      \
    const float *a = g->a + t0 * g->a_cs, *b = g->b + t0 * g->ldb;                          \
                                                                                            \
    /* Row by row of A, so that its reads go in address order (each tile's                  \
     * column strip, read tile by tile, took a miss on every row). */                       \
    for (guint t = 0; t < k; t++)                                                           \
      {                                                                                     \
        const float *src = a + t * g->a_cs;                                                 \
        float *ap = apack + (gsize)t * R;                                                   \
                                                                                            \
        for (row = begin; row + R <= end; row += R, ap += (gsize)R * k)                     \
          for (guint r = 0; r < R; r++)                                                     \
            ap[r] = 0.0f + src[row + r];                                                    \
        for (guint r = 0; row + r < end; r++)                                               \
          apack[(gsize)(row - begin) * k + (gsize)t * (end - row) + r] = 0.0f + src[row + r]; \
      }                                                                                     \
    for (guint col = 0; col < full; col += NV * VL)                                         \
      {                                                                                     \
        const float *next_a = NULL, *next_b = NULL;                                         \
        guint ahead = 0, slice, done = 0;                                                   \
                                                                                            \
        if (col + NV * VL < full)                                                           \
          {                                                                                 \
            next_b = b + col + NV * VL;                                                     \
            ahead = k;                                                                      \
          }                                                                                 \
        else if (t0 + k < g->k)                                                             \
          {                                                                                 \
            next_a = g->a + (t0 + k) * g->a_cs + begin;                                     \
            next_b = g->b + (t0 + k) * g->ldb;                                              \
            ahead = MIN (k, g->k - t0 - k);                                                 \
          }                                                                                 \
        slice = tiles > 1 ? (ahead + tiles - 2) / (tiles - 1) : 0;                          \
        row = begin;                                                                        \
        if (width >= R)                                                                     \
          {                                                                                 \
            tn_tile_##SUFFIX (apack, b + col, g->ldb, bpack, k, g->c + row * g->ldc + col,  \
                              g->ldc, accumulate, R);                                       \
            row += R;                                                                       \
          }                                                                                 \
        else                                                                                \
          for (guint t = 0; t < k; t++)                                                     \
            memcpy (bpack + (gsize)t * NV * VL, b + t * g->ldb + col, sizeof (float) * NV * VL); \
        for (; row < end; row += R)                                                         \
          {                                                                                 \
            const float *ap = apack + (gsize)(row - begin) * k;                             \
            float *c = g->c + row * g->ldc + col;                                           \
            gsize ldp = NV * VL, ldc = g->ldc;                                              \
                                                                                            \
            if (done < ahead)                                                               \
              {                                                                             \
                tn_ahead_##SUFFIX (g, next_a, next_b, width, done, MIN (ahead, done + slice)); \
                done = MIN (ahead, done + slice);                                           \
              }                                                                             \
            /* Constant row counts, so that the accumulators stay in registers. */          \
            switch (MIN (R, end - row))                                                     \
              {                                                                             \
              case R: tn_tile_##SUFFIX (ap, bpack, ldp, NULL, k, c, ldc, accumulate, R); break; \
              case 5: tn_tile_##SUFFIX (ap, bpack, ldp, NULL, k, c, ldc, accumulate, 5); break; \
              case 4: tn_tile_##SUFFIX (ap, bpack, ldp, NULL, k, c, ldc, accumulate, 4); break; \
              case 3: tn_tile_##SUFFIX (ap, bpack, ldp, NULL, k, c, ldc, accumulate, 3); break; \
              case 2: tn_tile_##SUFFIX (ap, bpack, ldp, NULL, k, c, ldc, accumulate, 2); break; \
              default: tn_tile_##SUFFIX (ap, bpack, ldp, NULL, k, c, ldc, accumulate, 1); break; \
              }                                                                             \
          }                                                                                 \
      }                                                                                     \
    /* A width not whole vectors: the columns past the whole panels as one                  \
     * panel of as many vectors as they take, B's rows copied with 0 past                   \
     * the width (the lanes the masked stores leave out), then read by every                \
     * tile from the first-level cache. */                                                  \
    if (g->n % VL != 0)                                                                     \
      {                                                                                     \
        guint parts = (g->n - full + VL - 1) / VL, tail = g->n - full - (parts - 1) * VL;   \
        gsize ldp = (gsize)parts * VL;                                                      \
                                                                                            \
        for (guint t = 0; t < k; t++)                                                       \
          for (guint v = 0; v < parts; v++)                                                 \
            {                                                                               \
              const float *src = b + t * g->ldb + full + v * VL;                            \
              VT bv = v + 1 == parts ? mload_##SUFFIX (src, tail) : load_##SUFFIX (src);    \
                                                                                            \
              memcpy (bpack + t * ldp + v * VL, &bv, sizeof bv);                            \
            }                                                                               \
        for (row = begin; row < end; row += R)                                              \
          tn_part_##SUFFIX (apack + (gsize)(row - begin) * k, bpack, ldp, k,                \
                            g->c + row * g->ldc + full, g->ldc, accumulate,                 \
                            MIN (R, end - row), parts, tail);                               \
      }                                                                                     \
  }

DEFINE_KERNEL (avx512, "arch=x86-64-v4", V16, 16, 6, 4)
DEFINE_KERNEL (avx2, "arch=x86-64-v3", V8, 8, 6, 2)
#else
# define HAVE_KERNELS 0
#endif

static int isa = -1;        /* 2: AVX-512, 1: AVX2 and FMA, 0: neither */
static int level_cap = 2;   /* tests lower it (_philia_small_gemm_set_level) */

/* The instruction set the kernel runs with (0: none, OpenBLAS does it). */
static int
level (void)
{
  if (g_atomic_int_get (&isa) < 0)
    {
      int found = 0;

#if HAVE_KERNELS
      __builtin_cpu_init ();
      if (__builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma"))
        found = __builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512vl")
                && __builtin_cpu_supports ("avx512bw") && __builtin_cpu_supports ("avx512dq")
                ? 2 : 1;
#endif
      g_atomic_int_set (&isa, found);
    }
  return MIN (g_atomic_int_get (&isa), g_atomic_int_get (&level_cap));
}

int
_philia_small_gemm_set_level (int cap)
{
  int before = g_atomic_int_get (&level_cap);

  g_atomic_int_set (&level_cap, cap < 0 ? 2 : cap);
  return before;
}

gboolean
_philia_small_gemm_usable (guint k,
                           guint n)
{
  return k > 0 && n > 0 && k <= 1024 && (gsize)k * n <= MAX_WEIGHT_FLOATS && level () > 0;
}

static void
gemm_rows (gpointer data,
           guint    begin,
           guint    end)
{
#if HAVE_KERNELS
  const Gemm *g = data;
  gboolean wide = level () == 2;
  Gemm unpacked = *g;

  /* The panels were packed 4 · 16 columns wide, the AVX-512 kernel's. */
  unpacked.bp = NULL;
  for (guint r = begin; r < end; r += CHUNK_ROWS)
    {
      guint stop = MIN (end, r + CHUNK_ROWS);

      if (wide)
        rows_avx512 (g, r, stop);
      else
        rows_avx2 (&unpacked, r, stop);
      if (g->epilogue != NULL)
        g->epilogue (g->data, r, stop);
    }
#else
  (void)data;
  (void)begin;
  (void)end;
  g_assert_not_reached ();
#endif
}

/* The AVX-512 kernel's panel width (rows_avx512 ()'s NV · VL). */
#define PANEL 64

/* Rows from which _philia_small_gemm () packs B's panels itself: the copy
 * (k × n floats) is then under a 200th of the product's loads of B. */
#define PACK_ROWS 1024

gsize
_philia_small_gemm_packed_size (guint k,
                                guint n)
{
  if (level () != 2 || !_philia_small_gemm_usable (k, n))
    return 0;
  return (gsize)k * (n / PANEL * PANEL);
}

void
_philia_small_gemm_pack (guint        k,
                         guint        n,
                         const float *b,
                         gsize        ldb,
                         float       *bp)
{
  guint full = n / PANEL * PANEL;

  for (guint col = 0; col < full; col += PANEL)
    for (guint t = 0; t < k; t++)
      memcpy (bp + (gsize)col * k + (gsize)t * PANEL, b + (gsize)t * ldb + col,
              PANEL * sizeof (float));
}

float *
_philia_small_gemm_pack_take (PhiliaTape  *tape,
                              guint        k,
                              guint        n,
                              const float *b,
                              gsize        ldb,
                              gsize       *size)
{
  float *bp;

  *size = _philia_small_gemm_packed_size (k, n);
  if (*size == 0)
    return NULL;
  bp = _philia_tape_pool_take (tape, *size);
  _philia_small_gemm_pack (k, n, b, ldb, bp);
  return bp;
}

void
_philia_small_gemm_packed (PhiliaTape         *tape,
                           guint               m,
                           guint               n,
                           guint               k,
                           const float        *a,
                           gsize               lda,
                           const float        *b,
                           gsize               ldb,
                           const float        *bp,
                           float              *c,
                           gsize               ldc,
                           const float        *bias,
                           gboolean            accumulate,
                           PhiliaGemmEpilogue  epilogue,
                           gpointer            data)
{
  Gemm g = { a, b, bias, bp, c, lda, 1, ldb, ldc, n, k, accumulate, epilogue, data };

  g_return_if_fail (_philia_small_gemm_usable (k, n));
  if (m == 0)
    return;
  _philia_tape_parallel_rows_ns (tape, m, NULL, _philia_cost_sgemm_ns ((int)m, (int)n, (int)k),
                                 _philia_cost_gemm_bytes ((int)m, (int)n, (int)k), gemm_rows, &g);
}

void
_philia_small_gemm (PhiliaTape         *tape,
                    guint               m,
                    guint               n,
                    guint               k,
                    const float        *a,
                    gsize               lda,
                    const float        *b,
                    gsize               ldb,
                    float              *c,
                    gsize               ldc,
                    const float        *bias,
                    gboolean            accumulate,
                    PhiliaGemmEpilogue  epilogue,
                    gpointer            data)
{
  gsize size = 0;
  float *bp = NULL;

  g_return_if_fail (_philia_small_gemm_usable (k, n));
  if (tape != NULL && m >= PACK_ROWS)
    bp = _philia_small_gemm_pack_take (tape, k, n, b, ldb, &size);
  _philia_small_gemm_packed (tape, m, n, k, a, lda, b, ldb, bp, c, ldc, bias, accumulate,
                             epilogue, data);
  if (bp != NULL)
    _philia_tape_pool_give (tape, size, bp);
}

/* Inner rows a block of the transposed product takes at a time: its rows
 * of B (n floats each) and of A stay in the second-level cache. */
#define INNER_BLOCK 256

#if HAVE_KERNELS
static void
tn_unpacked (const Gemm *whole,
             guint       begin,
             guint       end,
             gboolean    wide)
{
  for (guint t = 0; t < whole->k; t += INNER_BLOCK)
    {
      Gemm g = *whole;

      g.a = whole->a + (gsize)t * whole->a_cs;
      g.b = whole->b + (gsize)t * whole->ldb;
      g.k = MIN (INNER_BLOCK, whole->k - t);
      g.accumulate = whole->accumulate || t > 0;
      if (wide)
        rows_avx512 (&g, begin, end);
      else
        rows_avx2 (&g, begin, end);
    }
}
#endif

/* Inner rows a packed block takes: B's panel (64 columns with AVX-512, k × 64
 * floats, 32 KiB) stays in the first-level cache while every tile reads it. */
#define PACKED_INNER_BLOCK 128

static void
gemm_tn_rows (gpointer data,
              guint    begin,
              guint    end)
{
#if HAVE_KERNELS
  const Gemm *whole = data;
  gboolean wide = level () == 2;
  guint panel = wide ? 4 * 16 : 2 * 8, full = whole->n / panel * panel;
  /* Widths not whole vectors take their last columns as a partial panel. */
  gboolean partial = whole->n % (wide ? 16 : 8) != 0;

  /* Whole panels of columns on packed operands: unpacked, each step of a
   * tile read a vector row of B from a row of its own (2 KiB apart at 512
   * columns) and R scalars of A from another, and the rows left below a
   * whole tile went one at a time. Every element gets the same terms in the
   * same order, so the same bits. */
  if ((full > 0 || partial) && end > begin)
    {
      float *apack = g_aligned_alloc ((gsize)(end - begin) * PACKED_INNER_BLOCK, sizeof (float),
                                      64);
      float *bpack = g_aligned_alloc ((gsize)PACKED_INNER_BLOCK * panel, sizeof (float), 64);
      Gemm rest = *whole;

      for (guint t = 0; t < whole->k; t += PACKED_INNER_BLOCK)
        {
          guint k = MIN (PACKED_INNER_BLOCK, whole->k - t);
          gboolean accumulate = whole->accumulate || t > 0;

          if (wide)
            tn_panels_avx512 (whole, begin, end, t, k, accumulate, apack, bpack);
          else
            tn_panels_avx2 (whole, begin, end, t, k, accumulate, apack, bpack);
        }
      g_aligned_free (apack);
      g_aligned_free (bpack);
      if (full == whole->n || partial)
        return;
      /* The columns past the last panel, as a product of their own. */
      rest.b = whole->b + full;
      rest.c = whole->c + full;
      rest.n = whole->n - full;
      tn_unpacked (&rest, begin, end, wide);
      return;
    }
  tn_unpacked (whole, begin, end, wide);
#else
  (void)data;
  (void)begin;
  (void)end;
  g_assert_not_reached ();
#endif
}

gboolean
_philia_small_gemm_tn_usable (guint m,
                              guint n)
{
  return m > 0 && n > 0 && n <= 1024 && (gsize)m * n <= MAX_WEIGHT_FLOATS && level () > 0;
}

void
_philia_small_gemm_tn (PhiliaTape  *tape,
                       guint        m,
                       guint        n,
                       guint        k,
                       const float *a,
                       gsize        lda,
                       const float *b,
                       gsize        ldb,
                       float       *c,
                       gsize        ldc,
                       gboolean     accumulate)
{
  Gemm g = { a, b, NULL, NULL, c, 1, lda, ldb, ldc, n, k, accumulate, NULL, NULL };

  g_return_if_fail (_philia_small_gemm_tn_usable (m, n));
  if (k == 0)
    {
      if (!accumulate)
        for (guint r = 0; r < m; r++)
          memset (c + (gsize)r * ldc, 0, sizeof (float) * n);
      return;
    }
  /* One block a thread: each block packs all of B's panels again. */
  _philia_tape_parallel_rows_blocks (tape, m, NULL,
                                     _philia_cost_sgemm_ns ((int)m, (int)n, (int)k),
                                     _philia_cost_gemm_bytes ((int)m, (int)n, (int)k), 1,
                                     gemm_tn_rows, &g);
}

gboolean
_philia_small_gemm_dense (guint n)
{
  return (n % 16 == 0 || n > 16) && level () == 2;
}

gboolean
_philia_small_gemm_dense_tn (guint n)
{
  return (n % 16 == 0 || n > 48) && level () == 2;
}

void
_philia_small_gemm_nt (PhiliaTape  *tape,
                       guint        m,
                       guint        n,
                       guint        k,
                       const float *a,
                       gsize        lda,
                       const float *b,
                       gsize        ldb,
                       float       *c,
                       gsize        ldc,
                       gboolean     accumulate)
{
  float *bt;

  g_return_if_fail (_philia_small_gemm_usable (k, n));
  if (m == 0)
    return;
  bt = _philia_tape_pool_take (tape, (gsize)k * n);
  for (guint j = 0; j < n; j++)
    for (guint t = 0; t < k; t++)
      bt[(gsize)t * n + j] = b[(gsize)j * ldb + t];
  _philia_small_gemm (tape, m, n, k, a, lda, bt, n, c, ldc, NULL, accumulate, NULL, NULL);
  _philia_tape_pool_give (tape, (gsize)k * n, bt);
}
