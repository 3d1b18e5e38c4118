/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The vectorisation helpers of the autograd's kernels: the per-function
 * optimisation attributes, a branch-free exp and eight-float vectors. */

#include <glib.h>
#include <string.h>

/* The sparse kernels are row-of-X axpys: GCC's -O2 cost model leaves them
 * scalar, so they get -O3 and an AVX2/FMA clone picked at load time. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
# define PHILIA_VECTORIZE __attribute__ ((target_clones ("arch=x86-64-v3", "default"), optimize ("O3")))
/* The same without fusing a multiply and an add into one rounding, for a
 * kernel that must round as the unfused ops it replaces do. */
# define PHILIA_VECTORIZE_NO_FMA __attribute__ ((target_clones ("arch=x86-64-v3", "default"), optimize ("O3", "fp-contract=off")))
/* With an AVX-512 clone too, for kernels written in 16-float vectors. The
 * same guard as the others: a kernel that must give another's bits gets
 * the same treatment in every build (-O0 and sanitizer builds leave both
 * unfused; an O3 kernel beside an -O0 one would fuse alone). */
# define PHILIA_VECTORIZE_V4 __attribute__ ((target_clones ("arch=x86-64-v4", "arch=x86-64-v3", "default"), optimize ("O3")))
#else
# define PHILIA_VECTORIZE
# define PHILIA_VECTORIZE_NO_FMA
# define PHILIA_VECTORIZE_V4
#endif
#if defined(__GNUC__) && !defined(__clang__)
# define PHILIA_NO_MEMCPY __attribute__ ((optimize ("no-tree-loop-distribute-patterns")))
#else
# define PHILIA_NO_MEMCPY
#endif

/* e^x for softmax's x ≤ 0 (any x below 88): x = n ln 2 + r with |r| ≤ ln 2 / 2,
 * e^r by its Taylor polynomial to r^7 (relative error below 1e-8, so within
 * 2 ulp of expf), 2^n through the exponent bits; below -87.3 it is 0. Branch
 * free and call free, so the loops that use it vectorise. */
static inline float
exp_approx (float x)
{
  float y = MAX (MIN (x, 88.0f), -87.5f);   /* keeps 2^n a normal float */
  float n, r, p, scale;
  gint32 bits;

  n = (y * 1.44269504088896341f + 12582912.0f) - 12582912.0f;   /* round to nearest */
  r = y - n * 0.693145751953125f;        /* ln 2 in two parts, the first exact times n */
  r = r - n * 1.4286068202862268e-06f;
  p = 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  bits = ((gint32)n + 127) << 23;
  memcpy (&scale, &bits, sizeof scale);
  return x < -87.3f ? 0.0f : p * scale;
}

/* The V8f helpers are static and inlined: no call crosses an ABI boundary. */
#pragma GCC diagnostic ignored "-Wpsabi"

/* Eight floats (one AVX register in the x86-64-v3 clones, two SSE ones
 * otherwise), for GAT's eight heads: GCC leaves the per-head loops scalar. */
typedef float  V8f __attribute__ ((vector_size (32)));
typedef gint32 V8i __attribute__ ((vector_size (32)));

static inline G_ALWAYS_INLINE V8f
v8_load (const float *p)
{
  V8f v;

  memcpy (&v, p, sizeof v);
  return v;
}

/* From a 32-byte aligned address. */
static inline G_ALWAYS_INLINE V8f
v8_load_aligned (const float *p)
{
  return *(const V8f *)__builtin_assume_aligned (p, 32);
}

static inline void
v8_store (float *p,
          V8f    v)
{
  memcpy (p, &v, sizeof v);
}

/* m ? a : b, lane by lane (m all ones or all zeros, as comparisons give). */
static inline G_ALWAYS_INLINE V8f
v8_select (V8i m,
           V8f a,
           V8f b)
{
  return (V8f)(((V8i)a & m) | ((V8i)b & ~m));
}

/* exp_approx on eight lanes, with the same operations in the same order. */
static inline G_ALWAYS_INLINE V8f
v8_exp_approx (V8f x)
{
  V8f y = v8_select (x < 88.0f, x, (V8f){ 0 } + 88.0f);
  V8f n, r, p;
  V8i bits;

  y = v8_select (y > -87.5f, y, (V8f){ 0 } - 87.5f);
  n = (y * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  r = y - n * 0.693145751953125f;
  r = r - n * 1.4286068202862268e-06f;
  p = (V8f){ 0 } + 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  bits = (__builtin_convertvector (n, V8i) + 127) << 23;
  return v8_select (x < -87.3f, (V8f){ 0 }, p * (V8f)bits);
}

/* e^x − 1 on eight lanes for x ≤ 0 (GAT's ELU; philia-ops-dense.c,
 * philia-ops-inplace.c): its Taylor series to x^8
 * for |x| < 0.5 (truncation below 6e-9), exp_approx (x) − 1 beyond, where
 * the subtraction loses nothing that matters (|e^x − 1| > 0.39). */
static inline V8f
v8_expm1_nonpositive (V8f x)
{
  V8f p = (V8f){ 0 } + 1.0f / 40320;

  p = p * x + 1.0f / 5040;
  p = p * x + 1.0f / 720;
  p = p * x + 1.0f / 120;
  p = p * x + 1.0f / 24;
  p = p * x + 1.0f / 6;
  p = p * x + 0.5f;
  p = p * x + 1.0f;
  return v8_select (x > -0.5f, p * x, v8_exp_approx (x) - 1.0f);
}

/* Each of @rows rows of @o (@cols wide) set to @row (philia-ops-dense.c):
 * a bias broadcast before a product adds onto it. */
void _philia_fill_rows (float *restrict       o,
                        const float *restrict row,
                        guint                 rows,
                        guint                 cols);

/* Eight mask bytes (dropout keeps a byte per element). */
typedef gint8   V8b __attribute__ ((vector_size (8)));

typedef gint32 V4i __attribute__ ((vector_size (16)));
typedef gint64 V2q __attribute__ ((vector_size (16)));

/* Eight mask bytes as lanes: all ones where the byte is set (kept). Lane i
 * holds bytes 4⌊i/4⌋ … 4⌊i/4⌋ + 3 (one 64-bit load and a lane permute) and
 * tests its own: GCC 12 widens an 8-byte vector lane by lane in some thirty
 * scalar instructions (__builtin_convertvector), this is four. */
static inline G_ALWAYS_INLINE V8i
v8_kept (const guint8 *mask)
{
  gint64 bytes;
  V4i x;

  memcpy (&bytes, mask, sizeof bytes);
  x = (V4i)(V2q){ bytes, 0 };
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return (__builtin_shufflevector (x, x, 0, 0, 0, 0, 1, 1, 1, 1)
          & (V8i){ 0xff, 0xff00, 0xff0000, (gint32)0xff000000u,
                   0xff, 0xff00, 0xff0000, (gint32)0xff000000u }) != 0;
#else
  return (__builtin_shufflevector (x, x, 0, 0, 0, 0, 1, 1, 1, 1)
          & (V8i){ (gint32)0xff000000u, 0xff0000, 0xff00, 0xff,
                   (gint32)0xff000000u, 0xff0000, 0xff00, 0xff }) != 0;
#endif
}

/* Lane i of the result is lane idx[i] mod 8 of @v: a permute whose indices
 * are known only at run time (GAT's lane heads). __builtin_shuffle is
 * GCC's (one vpermps with AVX2); clang, which builds the fuzzers, has only
 * the constant-index __builtin_shufflevector, so it takes the lanes one by
 * one. A permute moves values without arithmetic: the same bits either way. */
static inline G_ALWAYS_INLINE V8f
v8_permute (V8f v,
            V8i idx)
{
#if defined(__clang__)
  V8f r;

  for (guint i = 0; i < 8; i++)
    r[i] = v[idx[i] & 7];
  return r;
#else
  return __builtin_shuffle (v, idx);
#endif
}

/* The mask's factor on eight lanes: keep where the byte is set, else 0. */
static inline G_ALWAYS_INLINE V8f
v8_mask_factor (const guint8 *mask,
                float         keep)
{
  return v8_select (v8_kept (mask), (V8f){ 0 } + keep, (V8f){ 0 });
}

/* Sixteen floats: one AVX-512 register in the x86-64-v4 clones
 * (PHILIA_VECTORIZE_V4), two AVX ones in the v3 clones. The v16 helpers do
 * the operations of their v8 namesakes in the same order lane by lane, so a
 * kernel that walks the same elements in sixteens gives the same bits. */
typedef float  V16f __attribute__ ((vector_size (64)));
typedef gint32 V16i __attribute__ ((vector_size (64)));
typedef gint8  V16b __attribute__ ((vector_size (16)));

static inline G_ALWAYS_INLINE V16f
v16_load (const float *p)
{
  V16f v;

  memcpy (&v, p, sizeof v);
  return v;
}

static inline G_ALWAYS_INLINE void
v16_store (float *p,
           V16f   v)
{
  memcpy (p, &v, sizeof v);
}

static inline G_ALWAYS_INLINE V16f
v16_select (V16i m,
            V16f a,
            V16f b)
{
  return (V16f)(((V16i)a & m) | ((V16i)b & ~m));
}

static inline G_ALWAYS_INLINE V16f
v16_exp_approx (V16f x)
{
  V16f y = v16_select (x < 88.0f, x, (V16f){ 0 } + 88.0f);
  V16f n, r, p;
  V16i bits;

  y = v16_select (y > -87.5f, y, (V16f){ 0 } - 87.5f);
  n = (y * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  r = y - n * 0.693145751953125f;
  r = r - n * 1.4286068202862268e-06f;
  p = (V16f){ 0 } + 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  bits = (__builtin_convertvector (n, V16i) + 127) << 23;
  return v16_select (x < -87.3f, (V16f){ 0 }, p * (V16f)bits);
}

static inline G_ALWAYS_INLINE V16f
v16_expm1_nonpositive (V16f x)
{
  V16f p = (V16f){ 0 } + 1.0f / 40320;

  p = p * x + 1.0f / 5040;
  p = p * x + 1.0f / 720;
  p = p * x + 1.0f / 120;
  p = p * x + 1.0f / 24;
  p = p * x + 1.0f / 6;
  p = p * x + 0.5f;
  p = p * x + 1.0f;
  return v16_select (x > -0.5f, p * x, v16_exp_approx (x) - 1.0f);
}

/* Sixteen mask bytes as the factor keep or 0 (one byte compare and a
 * sign extension: sixteen bytes fill an SSE register, unlike v8_kept's
 * eight). */
static inline G_ALWAYS_INLINE V16f
v16_mask_factor (const guint8 *mask,
                 float         keep)
{
  V16b bytes;

  memcpy (&bytes, mask, sizeof bytes);
  return v16_select (__builtin_convertvector (bytes != 0, V16i), (V16f){ 0 } + keep,
                     (V16f){ 0 });
}

/* Rows r[0 … 7] as columns: lane j of c[k] is r[j][k]. */
static inline G_ALWAYS_INLINE void
v8_transpose (const V8f r[8],
              V8f       c[8])
{
  V8f t[8], u[8];

  for (guint j = 0; j < 8; j += 2)
    {
      t[j] = __builtin_shufflevector (r[j], r[j + 1], 0, 8, 1, 9, 4, 12, 5, 13);
      t[j + 1] = __builtin_shufflevector (r[j], r[j + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
  for (guint j = 0; j < 8; j += 4)
    {
      u[j] = __builtin_shufflevector (t[j], t[j + 2], 0, 1, 8, 9, 4, 5, 12, 13);
      u[j + 1] = __builtin_shufflevector (t[j], t[j + 2], 2, 3, 10, 11, 6, 7, 14, 15);
      u[j + 2] = __builtin_shufflevector (t[j + 1], t[j + 3], 0, 1, 8, 9, 4, 5, 12, 13);
      u[j + 3] = __builtin_shufflevector (t[j + 1], t[j + 3], 2, 3, 10, 11, 6, 7, 14, 15);
    }
  for (guint k = 0; k < 4; k++)
    {
      c[k] = __builtin_shufflevector (u[k], u[k + 4], 0, 1, 2, 3, 8, 9, 10, 11);
      c[k + 4] = __builtin_shufflevector (u[k], u[k + 4], 4, 5, 6, 7, 12, 13, 14, 15);
    }
}

/* @acc plus, in lane h, the sum of the lanes of p[h]: the transpose, then
 * the eight columns added to @acc one after another (the order the
 * head-dot kernels of GAT round in). */
static inline G_ALWAYS_INLINE V8f
v8_add_lane_sums (V8f       acc,
                  const V8f p[8])
{
  V8f c[8];

  v8_transpose (p, c);
  for (guint k = 0; k < 8; k++)
    acc += c[k];
  return acc;
}
