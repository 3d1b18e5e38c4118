/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Products into a few columns in OpenBLAS's summation order
 * (philia-narrow-gemm-private.h, HACKING.md §7).
 *
 * A two-layer model's output layer multiplies the [n, H] activation by an
 * [H, classes] weight, and its weight gradient is Hᵀ dY over the n rows.
 * OpenBLAS packs both operands and runs a kernel made for 16 × 4 tiles on
 * them: with five classes that took 0.4 ms each way at 2,708 × 512 (about
 * 17 GFLOP/s), a sixth of a GCN 512 step on the 1,500-word graph. Here the
 * same sums in the same order, with vectors where they fit the shape: the
 * product's columns are the lanes (eight floats a row, one broadcast of A a
 * multiply-add), the weight gradient's output rows are (A's rows read in
 * place, one broadcast of B a class).
 *
 * The order, as Debian 12's OpenBLAS 0.3.21 computes sgemm with its Haswell
 * kernels (also what it runs on AMD Zen 4 and 5), found by comparing bits
 * (tests/test-narrow-gemm.c checks every case against cblas_sgemm ()):
 * - the inner index is cut into blocks: while at least 640 remain, 320;
 *   then, if more than 320 remain, half of them rounded up to a multiple of
 *   8, then the rest;
 * - in a block each element is one chain of fused multiply-adds from 0 in
 *   order, except (products of 8 to 15 columns) the first 8 columns of the
 *   rows of the whole 4-row tiles after the last whole 12-row tile: there
 *   the first 8⌊len/8⌋ terms go alternately to two chains, the rest onto
 *   the first, and the block's sum is the first plus the second;
 * - C starts at 0 (beta 0) or at itself (beta 1) and each block's sum is
 *   added to it, one rounding each.
 * A product split into row blocks for threads (_philia_sgemm (), whole
 * tiles of 48 rows) is one call a block, as OpenBLAS's were.
 */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-narrow-gemm-private.h"

#include <math.h>
#include <string.h>

/* The rows whose first 8 columns take two chains (the second rule). */
static void
paired_rows (int  m,
             int  n,
             int *first,
             int *end)
{
  int tiles = m / 12 * 12;

  *first = tiles;
  *end = n >= 8 ? tiles + (m % 12) / 4 * 4 : tiles;
}

/* How many of the @m output rows of Aᵀ B (@n columns) narrow_tn () leaves
 * to element (). */
static int
tn_scalar_rows (int m,
                int n)
{
  int pair_first, pair_end, vec_end;
  gboolean pair_vec;

  paired_rows (m, n, &pair_first, &pair_end);
  vec_end = (pair_end > pair_first ? pair_first : m) / 8 * 8;
  pair_vec = pair_end > pair_first && vec_end == pair_first && (pair_end - pair_first) % 8 == 0;
  return m - (pair_vec ? pair_end : vec_end);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
# define HAVE_NARROW 1
# include <immintrin.h>

# define TARGET __attribute__ ((target ("avx2,fma"), optimize ("O3")))
# define INLINE_TARGET static inline __attribute__ ((always_inline, target ("avx2,fma")))

/* The blocking of the inner index (the first rule above). */
#define BLOCK_Q      320
#define BLOCK_UNROLL 8
#define MAX_BLOCKS   64

static guint
inner_blocks (int  k,
              int *bounds)
{
  int ls = 0;
  guint n = 0;

  bounds[n++] = 0;
  while (ls < k)
    {
      int len = k - ls;

      if (len >= 2 * BLOCK_Q)
        len = BLOCK_Q;
      else if (len > BLOCK_Q)
        len = (len / 2 + BLOCK_UNROLL - 1) / BLOCK_UNROLL * BLOCK_UNROLL;
      ls += len;
      bounds[n++] = ls;
    }
  return n - 1;
}

/* One element the slow way, for the few rows the vectors leave: A[r, t] is
 * a[r · rs + t · cs]. */
TARGET static float
element (const float *a,
         gsize        rs,
         gsize        cs,
         const float *b,
         int          ldb,
         int          r,
         int          j,
         const int   *bounds,
         guint        n_blocks,
         gboolean     paired,
         float        init)
{
  float cv = init;

  for (guint q = 0; q < n_blocks; q++)
    {
      int t0 = bounds[q], len = bounds[q + 1] - t0, main = paired ? len / 8 * 8 : 0;
      float s0 = 0, s1 = 0;

      for (int t = 0; t < main; t += 2)
        {
          s0 = fmaf (a[r * rs + (gsize)(t0 + t) * cs], b[(gsize)(t0 + t) * ldb + j], s0);
          s1 = fmaf (a[r * rs + (gsize)(t0 + t + 1) * cs], b[(gsize)(t0 + t + 1) * ldb + j], s1);
        }
      for (int t = main; t < len; t++)
        s0 = fmaf (a[r * rs + (gsize)(t0 + t) * cs], b[(gsize)(t0 + t) * ldb + j], s0);
      cv = cv + (paired ? s0 + s1 : s0);
    }
  return cv;
}

/* --- A B: R rows, G groups of eight columns, lanes the columns ---------- */

INLINE_TARGET void
nn_rows (const int    R,
         const int    G,
         gboolean     paired,
         const float *a,
         int          lda,
         const float *bp,
         int          i0,
         int          n,
         const int   *bounds,
         guint        n_blocks,
         float        beta,
         float       *c,
         int          ldc)
{
  float out[8][16];

  for (int r = 0; r < R; r++)
    for (int j = 0; j < 8 * G; j++)
      out[r][j] = j < n && beta != 0 ? c[(gsize)(i0 + r) * ldc + j] : 0.0f;
  for (guint q = 0; q < n_blocks; q++)
    {
      int t0 = bounds[q], t1 = bounds[q + 1];
      __m256 acc[8][2], acc1[2];

      for (int r = 0; r < R; r++)
        for (int g = 0; g < G; g++)
          acc[r][g] = _mm256_setzero_ps ();
      if (paired)
        {
          /* One row (R 1): the first group on two chains. */
          int main = (t1 - t0) / 8 * 8;
          const float *ar = a + (gsize)i0 * lda;

          acc1[0] = _mm256_setzero_ps ();
          for (int t = t0; t < t0 + main; t += 2)
            {
              acc[0][0] = _mm256_fmadd_ps (_mm256_broadcast_ss (ar + t),
                                           _mm256_loadu_ps (bp + (gsize)t * 16), acc[0][0]);
              acc1[0] = _mm256_fmadd_ps (_mm256_broadcast_ss (ar + t + 1),
                                         _mm256_loadu_ps (bp + (gsize)(t + 1) * 16), acc1[0]);
              if (G == 2)
                {
                  acc[0][1] = _mm256_fmadd_ps (_mm256_broadcast_ss (ar + t),
                                               _mm256_loadu_ps (bp + (gsize)t * 16 + 8),
                                               acc[0][1]);
                  acc[0][1] = _mm256_fmadd_ps (_mm256_broadcast_ss (ar + t + 1),
                                               _mm256_loadu_ps (bp + (gsize)(t + 1) * 16 + 8),
                                               acc[0][1]);
                }
            }
          for (int t = t0 + main; t < t1; t++)
            for (int g = 0; g < G; g++)
              acc[0][g] = _mm256_fmadd_ps (_mm256_broadcast_ss (ar + t),
                                           _mm256_loadu_ps (bp + (gsize)t * 16 + 8 * g),
                                           acc[0][g]);
          acc[0][0] = _mm256_add_ps (acc[0][0], acc1[0]);
        }
      else
        for (int t = t0; t < t1; t++)
          {
            __m256 bv[2];

            for (int g = 0; g < G; g++)
              bv[g] = _mm256_loadu_ps (bp + (gsize)t * 16 + 8 * g);
            for (int r = 0; r < R; r++)
              {
                __m256 av = _mm256_broadcast_ss (a + (gsize)(i0 + r) * lda + t);

                for (int g = 0; g < G; g++)
                  acc[r][g] = _mm256_fmadd_ps (av, bv[g], acc[r][g]);
              }
          }
      for (int r = 0; r < R; r++)
        for (int g = 0; g < G; g++)
          _mm256_storeu_ps (out[r] + 8 * g,
                            _mm256_add_ps (_mm256_loadu_ps (out[r] + 8 * g), acc[r][g]));
    }
  for (int r = 0; r < R; r++)
    memcpy (c + (gsize)(i0 + r) * ldc, out[r], sizeof (float) * n);
}

/* --- A B with AVX-512: sixteen rows a vector ---------------------------- */

/* GCC 12's AVX-512 intrinsics start their results from
 * _mm512_undefined_ps (), which -Wmaybe-uninitialized reports once
 * inlined at -O3. */
# pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

# define TARGET16 __attribute__ ((target ("avx512f,avx2,fma"), optimize ("O3")))
# define INLINE16 static inline __attribute__ ((always_inline, target ("avx512f,avx2,fma")))

/* r[s] becomes column s of the 16 × 16 tile whose rows were r[0..15]. */
INLINE16 void
transpose16 (__m512 *r)
{
  __m512 t[16], u[16];

  for (int i = 0; i < 8; i++)
    {
      t[2 * i] = _mm512_unpacklo_ps (r[2 * i], r[2 * i + 1]);
      t[2 * i + 1] = _mm512_unpackhi_ps (r[2 * i], r[2 * i + 1]);
    }
  for (int i = 0; i < 4; i++)
    {
      __m512d a = _mm512_castps_pd (t[4 * i]), b = _mm512_castps_pd (t[4 * i + 1]);
      __m512d c = _mm512_castps_pd (t[4 * i + 2]), d = _mm512_castps_pd (t[4 * i + 3]);

      u[4 * i] = _mm512_castpd_ps (_mm512_unpacklo_pd (a, c));
      u[4 * i + 1] = _mm512_castpd_ps (_mm512_unpackhi_pd (a, c));
      u[4 * i + 2] = _mm512_castpd_ps (_mm512_unpacklo_pd (b, d));
      u[4 * i + 3] = _mm512_castpd_ps (_mm512_unpackhi_pd (b, d));
    }
  /* u[4i + s], 128-bit lane q: rows 4i to 4i + 3 of column 4q + s. */
  for (int s = 0; s < 4; s++)
    {
      __m512 v0 = _mm512_shuffle_f32x4 (u[s], u[4 + s], 0x44);
      __m512 v1 = _mm512_shuffle_f32x4 (u[s], u[4 + s], 0xEE);
      __m512 w0 = _mm512_shuffle_f32x4 (u[8 + s], u[12 + s], 0x44);
      __m512 w1 = _mm512_shuffle_f32x4 (u[8 + s], u[12 + s], 0xEE);

      r[s] = _mm512_shuffle_f32x4 (v0, w0, 0x88);
      r[4 + s] = _mm512_shuffle_f32x4 (v0, w0, 0xDD);
      r[8 + s] = _mm512_shuffle_f32x4 (v1, w1, 0x88);
      r[12 + s] = _mm512_shuffle_f32x4 (v1, w1, 0xDD);
    }
}

/* Rows [@i0, @i0 + 16), @J columns: A's tile of 16 rows × 16 terms read
 * and transposed, then each term one multiply-add a column, in order. */
INLINE16 void
nn16_rows (const int    J,
           const float *a,
           int          lda,
           const float *b,
           int          ldb,
           int          i0,
           const int   *bounds,
           guint        n_blocks,
           float        beta,
           float       *c,
           int          ldc)
{
  __m512 out[15];
  float col[16];

  for (int j = 0; j < J; j++)
    {
      for (int l = 0; l < 16; l++)
        col[l] = beta != 0 ? c[(gsize)(i0 + l) * ldc + j] : 0.0f;
      out[j] = _mm512_loadu_ps (col);
    }
  for (guint q = 0; q < n_blocks; q++)
    {
      int t1 = bounds[q + 1];
      __m512 acc[15];

      for (int j = 0; j < J; j++)
        acc[j] = _mm512_setzero_ps ();
      for (int t = bounds[q]; t < t1; t += 16)
        {
          int w = MIN (16, t1 - t);
          __mmask16 mask = (__mmask16)((1u << w) - 1);
          __m512 x[16];

          for (int l = 0; l < 16; l++)
            x[l] = _mm512_maskz_loadu_ps (mask, a + (gsize)(i0 + l) * lda + t);
          transpose16 (x);
          for (int s = 0; s < w; s++)
            for (int j = 0; j < J; j++)
              acc[j] = _mm512_fmadd_ps (x[s], _mm512_set1_ps (b[(gsize)(t + s) * ldb + j]),
                                        acc[j]);
        }
      for (int j = 0; j < J; j++)
        out[j] = _mm512_add_ps (out[j], acc[j]);
    }
  for (int j = 0; j < J; j++)
    {
      _mm512_storeu_ps (col, out[j]);
      for (int l = 0; l < 16; l++)
        c[(gsize)(i0 + l) * ldc + j] = col[l];
    }
}

# define NN16_CASE(J) \
  case J: nn16_rows (J, a, lda, b, ldb, i0, bounds, n_blocks, beta, c, ldc); break;

TARGET16 static void
nn16 (int          n,
      const float *a,
      int          lda,
      const float *b,
      int          ldb,
      int          i0,
      const int   *bounds,
      guint        n_blocks,
      float        beta,
      float       *c,
      int          ldc)
{
  switch (n)
    {
      NN16_CASE (1) NN16_CASE (2) NN16_CASE (3) NN16_CASE (4) NN16_CASE (5)
      NN16_CASE (6) NN16_CASE (7) NN16_CASE (8) NN16_CASE (9) NN16_CASE (10)
      NN16_CASE (11) NN16_CASE (12) NN16_CASE (13) NN16_CASE (14)
    default: nn16_rows (15, a, lda, b, ldb, i0, bounds, n_blocks, beta, c, ldc); break;
    }
}

/* Aᵀ B with AVX-512 on output rows [@i0, @i0 + 16), all @J columns at
 * once (A's rows read once), for the block [@t0, @t1), its sums added into
 * C. Not for the paired rows. */
INLINE16 void
tn16_rows (const int    J,
           const float *a,
           int          lda,
           const float *b,
           int          ldb,
           int          i0,
           int          t0,
           int          t1,
           float       *c,
           int          ldc)
{
  __m512 acc[15];
  float out[16];

  for (int j = 0; j < J; j++)
    acc[j] = _mm512_setzero_ps ();
  for (int t = t0; t < t1; t++)
    {
      __m512 av = _mm512_loadu_ps (a + (gsize)t * lda + i0);

      for (int j = 0; j < J; j++)
        acc[j] = _mm512_fmadd_ps (av, _mm512_set1_ps (b[(gsize)t * ldb + j]), acc[j]);
    }
  for (int j = 0; j < J; j++)
    {
      _mm512_storeu_ps (out, acc[j]);
      for (int l = 0; l < 16; l++)
        c[(gsize)(i0 + l) * ldc + j] += out[l];
    }
}

# define TN16_CASE(J) case J: tn16_rows (J, a, lda, b, ldb, i0, t0, t1, c, ldc); break;

TARGET16 static void
tn16 (int          n,
      const float *a,
      int          lda,
      const float *b,
      int          ldb,
      int          i0,
      int          t0,
      int          t1,
      float       *c,
      int          ldc)
{
  switch (n)
    {
      TN16_CASE (1) TN16_CASE (2) TN16_CASE (3) TN16_CASE (4) TN16_CASE (5)
      TN16_CASE (6) TN16_CASE (7) TN16_CASE (8) TN16_CASE (9) TN16_CASE (10)
      TN16_CASE (11) TN16_CASE (12) TN16_CASE (13) TN16_CASE (14)
    default: tn16_rows (15, a, lda, b, ldb, i0, t0, t1, c, ldc); break;
    }
}

static gboolean
cpu_v4 (void)
{
  static int ok = -1;

  if (g_atomic_int_get (&ok) < 0)
    {
      __builtin_cpu_init ();
      g_atomic_int_set (&ok, __builtin_cpu_supports ("avx512f")
                              && g_getenv ("PHILIA_NARROW_GEMM_AVX2") == NULL);
    }
  return g_atomic_int_get (&ok) > 0;
}

TARGET static void
narrow_nn (int          m,
           int          n,
           const float *a,
           int          lda,
           const float *b,
           int          ldb,
           float        beta,
           float       *c,
           int          ldc,
           const int   *bounds,
           guint        n_blocks,
           int          k)
{
  float *bp = g_aligned_alloc0 ((gsize)k * 16, sizeof (float), 64);
  int pair_first, pair_end, limit, i = 0;

  /* B's rows padded to sixteen floats (the columns past n are 0 and their
   * lanes are dropped). */
  for (int t = 0; t < k; t++)
    memcpy (bp + (gsize)t * 16, b + (gsize)t * ldb, sizeof (float) * n);
  paired_rows (m, n, &pair_first, &pair_end);
  /* Blocks of rows up to the paired ones, then one row at a time. */
  limit = pair_end > pair_first ? pair_first : m;
  if (cpu_v4 ())
    for (; i + 16 <= limit; i += 16)
      nn16 (n, a, lda, b, ldb, i, bounds, n_blocks, beta, c, ldc);
  if (n <= 8)
    {
      for (; i + 8 <= limit; i += 8)
        nn_rows (8, 1, FALSE, a, lda, bp, i, n, bounds, n_blocks, beta, c, ldc);
      for (; i < m; i++)
        nn_rows (1, 1, i >= pair_first && i < pair_end, a, lda, bp, i, n, bounds, n_blocks,
                 beta, c, ldc);
    }
  else
    {
      for (; i + 4 <= limit; i += 4)
        nn_rows (4, 2, FALSE, a, lda, bp, i, n, bounds, n_blocks, beta, c, ldc);
      for (; i < m; i++)
        nn_rows (1, 2, i >= pair_first && i < pair_end, a, lda, bp, i, n, bounds, n_blocks,
                 beta, c, ldc);
    }
  g_aligned_free (bp);
}

/* --- Aᵀ B: V vectors of eight output rows, J columns, lanes the rows ---- */

/* One block [@t0, @t1) of the inner index, its sums added into C. */
INLINE_TARGET void
tn_rows (const int    V,
         const int    J,
         gboolean     paired,
         const float *a,
         int          lda,
         const float *b,
         int          ldb,
         int          i0,
         int          j0,
         int          t0,
         int          t1,
         float       *c,
         int          ldc)
{
  int main = paired ? (t1 - t0) / 8 * 8 : 0;
  __m256 acc[6][2], acc1[6][2];
  float out[16];

  for (int j = 0; j < J; j++)
    for (int v = 0; v < V; v++)
      acc[j][v] = acc1[j][v] = _mm256_setzero_ps ();
  for (int t = t0; t < t0 + main; t += 2)
    for (int j = 0; j < J; j++)
      for (int v = 0; v < V; v++)
        {
          acc[j][v] = _mm256_fmadd_ps (_mm256_loadu_ps (a + (gsize)t * lda + i0 + 8 * v),
                                       _mm256_broadcast_ss (b + (gsize)t * ldb + j0 + j),
                                       acc[j][v]);
          acc1[j][v] = _mm256_fmadd_ps (_mm256_loadu_ps (a + (gsize)(t + 1) * lda + i0 + 8 * v),
                                        _mm256_broadcast_ss (b + (gsize)(t + 1) * ldb + j0 + j),
                                        acc1[j][v]);
        }
  for (int t = t0 + main; t < t1; t++)
    {
      __m256 av[2];

      for (int v = 0; v < V; v++)
        av[v] = _mm256_loadu_ps (a + (gsize)t * lda + i0 + 8 * v);
      for (int j = 0; j < J; j++)
        {
          __m256 bv = _mm256_broadcast_ss (b + (gsize)t * ldb + j0 + j);

          for (int v = 0; v < V; v++)
            acc[j][v] = _mm256_fmadd_ps (av[v], bv, acc[j][v]);
        }
    }
  for (int j = 0; j < J; j++)
    {
      for (int v = 0; v < V; v++)
        _mm256_storeu_ps (out + 8 * v, paired ? _mm256_add_ps (acc[j][v], acc1[j][v])
                                              : acc[j][v]);
      for (int l = 0; l < 8 * V; l++)
        c[(gsize)(i0 + l) * ldc + j0 + j] += out[l];
    }
}

/* Columns [@j0, @j0 + @cols) of rows [@i0, @i0 + 8 · @V), by constant J. */
# define TN_CASES(V, PAIRED)                                                         \
  switch (cols)                                                                      \
    {                                                                                \
    case 1: tn_rows (V, 1, PAIRED, a, lda, b, ldb, i0, j0, t0, t1, c, ldc); break;   \
    case 2: tn_rows (V, 2, PAIRED, a, lda, b, ldb, i0, j0, t0, t1, c, ldc); break;   \
    case 3: tn_rows (V, 3, PAIRED, a, lda, b, ldb, i0, j0, t0, t1, c, ldc); break;   \
    case 4: tn_rows (V, 4, PAIRED, a, lda, b, ldb, i0, j0, t0, t1, c, ldc); break;   \
    case 5: tn_rows (V, 5, PAIRED, a, lda, b, ldb, i0, j0, t0, t1, c, ldc); break;   \
    default: tn_rows (V, 6, PAIRED, a, lda, b, ldb, i0, j0, t0, t1, c, ldc); break;  \
    }

TARGET static void
tn_group (int          V,
          gboolean     paired,
          int          cols,
          const float *a,
          int          lda,
          const float *b,
          int          ldb,
          int          i0,
          int          j0,
          int          t0,
          int          t1,
          float       *c,
          int          ldc)
{
  if (paired)
    TN_CASES (1, TRUE)
  else if (V == 2)
    TN_CASES (2, FALSE)
  else
    TN_CASES (1, FALSE)
}

/* Columns [@j0, @j1) of output rows [@i0, @i1) (a multiple of 8 rows) for
 * the block [@t0, @t1), in groups of at most @most columns. */
TARGET static void
tn_range (int          i0,
          int          i1,
          int          j0,
          int          j1,
          int          most,
          gboolean     paired,
          const float *a,
          int          lda,
          const float *b,
          int          ldb,
          int          t0,
          int          t1,
          float       *c,
          int          ldc)
{
  int groups = (j1 - j0 + most - 1) / most;

  for (int g = 0; g < groups; g++)
    {
      int ga = j0 + (j1 - j0) * g / groups, gb = j0 + (j1 - j0) * (g + 1) / groups;
      int i = i0;

      if (!paired)
        for (; i + 16 <= i1; i += 16)
          tn_group (2, FALSE, gb - ga, a, lda, b, ldb, i, ga, t0, t1, c, ldc);
      for (; i + 8 <= i1; i += 8)
        tn_group (1, paired, gb - ga, a, lda, b, ldb, i, ga, t0, t1, c, ldc);
    }
}

static gboolean cpu_v4 (void);
static void tn16 (int n, const float *a, int lda, const float *b, int ldb, int i0, int t0, int t1,
                  float *c, int ldc);

/* Block by block (A's rows of a block, 1.3 MB at 512 columns, are read
 * from the cache by every group of output rows), each block's sums added
 * into C, which starts at 0 for beta 0. */
TARGET static void
narrow_tn (int          m,
           int          n,
           const float *a,
           int          lda,
           const float *b,
           int          ldb,
           float        beta,
           float       *c,
           int          ldc,
           const int   *bounds,
           guint        nb)
{
  int pair_first, pair_end, vec_end, pair_vec;

  paired_rows (m, n, &pair_first, &pair_end);
  /* Whole vectors of rows up to the paired ones (all rows without them). */
  vec_end = (pair_end > pair_first ? pair_first : m) / 8 * 8;
  pair_vec = pair_end > pair_first && vec_end == pair_first && (pair_end - pair_first) % 8 == 0;
  if (beta == 0)
    for (int i = 0; i < m; i++)
      memset (c + (gsize)i * ldc, 0, sizeof (float) * n);
  for (guint q = 0; q < nb; q++)
    {
      int t0 = bounds[q], t1 = bounds[q + 1], i = 0;

      /* Sixteen rows a vector and every column at once with AVX-512. */
      if (cpu_v4 ())
        for (; i + 16 <= vec_end; i += 16)
          tn16 (n, a, lda, b, ldb, i, t0, t1, c, ldc);
      tn_range (i, vec_end, 0, n, 6, FALSE, a, lda, b, ldb, t0, t1, c, ldc);
      if (pair_vec)
        {
          tn_range (pair_first, pair_end, 0, 8, 4, TRUE, a, lda, b, ldb, t0, t1, c, ldc);
          tn_range (pair_first, pair_end, 8, n, 6, FALSE, a, lda, b, ldb, t0, t1, c, ldc);
        }
    }
  for (int i = pair_vec ? pair_end : vec_end; i < m; i++)
    for (int j = 0; j < n; j++)
      c[(gsize)i * ldc + j] = element (a, 1, lda, b, ldb, i, j, bounds, nb,
                                       j < 8 && i >= pair_first && i < pair_end,
                                       c[(gsize)i * ldc + j]);
}

static gboolean
cpu_ok (void)
{
  static int ok = -1;

  if (g_atomic_int_get (&ok) < 0)
    {
      __builtin_cpu_init ();
      g_atomic_int_set (&ok, __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma"));
    }
  return g_atomic_int_get (&ok) > 0;
}
#else
# define HAVE_NARROW 0
#endif

/* philia-narrow-gemm-private.h */
gboolean
_philia_narrow_gemm_forced (CBLAS_TRANSPOSE  trans_a,
                            int              m,
                            int              n,
                            int              k,
                            const float     *a,
                            int              lda,
                            const float     *b,
                            int              ldb,
                            float            beta,
                            float           *c,
                            int              ldc)
{
#if HAVE_NARROW
  int bounds[MAX_BLOCKS + 1];
  guint nb;

  if (!cpu_ok () || m <= 0 || n < 1 || n > 15 || k < 1 || k > (MAX_BLOCKS - 1) * BLOCK_Q
      || (beta != 0.0f && beta != 1.0f))
    return FALSE;
  nb = inner_blocks (k, bounds);
  if (trans_a == CblasNoTrans)
    narrow_nn (m, n, a, lda, b, ldb, beta, c, ldc, bounds, nb, k);
  else
    narrow_tn (m, n, a, lda, b, ldb, beta, c, ldc, bounds, nb);
  return TRUE;
#else
  (void)trans_a;
  (void)m;
  (void)n;
  (void)k;
  (void)a;
  (void)lda;
  (void)b;
  (void)ldb;
  (void)beta;
  (void)c;
  (void)ldc;
  return FALSE;
#endif
}

/* OpenBLAS names its release and core type; another BLAS lacks these. */
extern char *openblas_get_config (void) __attribute__ ((weak));
extern char *openblas_get_corename (void) __attribute__ ((weak));
extern int openblas_get_num_threads (void) __attribute__ ((weak));

/* philia-narrow-gemm-private.h */
gboolean
_philia_narrow_gemm_active (void)
{
  static int active = -1;

  if (g_atomic_int_get (&active) < 0)
    {
      gboolean found = FALSE;

#if HAVE_NARROW
      if (openblas_get_config != NULL && openblas_get_corename != NULL
          && openblas_get_num_threads != NULL && cpu_ok ()
          && g_getenv ("PHILIA_NARROW_GEMM_OFF") == NULL)
        {
          const char *config = openblas_get_config (), *core = openblas_get_corename ();

          found = config != NULL && core != NULL && g_str_has_prefix (config, "OpenBLAS 0.3.21 ")
                  && g_ascii_strcasecmp (core, "Haswell") == 0;
        }
#endif
      g_atomic_int_set (&active, found);
    }
  return g_atomic_int_get (&active) > 0;
}

/* philia-narrow-gemm-private.h */
gboolean
_philia_narrow_gemm (CBLAS_TRANSPOSE  trans_a,
                     CBLAS_TRANSPOSE  trans_b,
                     int              m,
                     int              n,
                     int              k,
                     float            alpha,
                     const float     *a,
                     int              lda,
                     const float     *b,
                     int              ldb,
                     float            beta,
                     float           *c,
                     int              ldc)
{
  if (trans_b != CblasNoTrans || alpha != 1.0f || !_philia_narrow_gemm_active ())
    return FALSE;
  /* The paired rows are those of one thread's call; OpenBLAS on several
   * would cut the rows elsewhere (the tape keeps it on one). */
  if (n >= 8 && openblas_get_num_threads () != 1)
    return FALSE;
  /* Aᵀ B leaves the output rows past its whole vectors to element (), one
   * chain of k multiply-adds each, about a hundred times a vector's cost
   * per term: with more than a few such terms OpenBLAS is faster (SAGE 16's
   * [16, 10] weight gradient left 8 rows, 80 chains of 2,708, and took
   * three times OpenBLAS's time; tests/bench/GRID.md, session 18). */
  if (trans_a != CblasNoTrans && (gint64)tn_scalar_rows (m, n) * n * k > 4096)
    return FALSE;
  return _philia_narrow_gemm_forced (trans_a, m, n, k, a, lda, b, ldb, beta, c, ldc);
}

/* philia-narrow-gemm-private.h */
void
_philia_narrow_or_sgemm (CBLAS_TRANSPOSE  trans_a,
                         CBLAS_TRANSPOSE  trans_b,
                         int              m,
                         int              n,
                         int              k,
                         float            alpha,
                         const float     *a,
                         int              lda,
                         const float     *b,
                         int              ldb,
                         float            beta,
                         float           *c,
                         int              ldc)
{
  if (!_philia_narrow_gemm (trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
    cblas_sgemm (CblasRowMajor, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
