/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The narrow output layer (philia-ops-narrow.c) at few features, with rows
 * in the vector lanes (HACKING.md §7).
 *
 * Row by row, a 10-feature row's five logits are five 8-lane products, a
 * horizontal sum and two scalar terms each, and the log-softmax, the loss
 * and the evaluation's argmax then go over five-float rows one at a time:
 * on SGC at 10^6 × 10 that was about 9 ns a row for the product alone,
 * where the row's 40 bytes take 2.5 ns. Here sixteen rows are transposed
 * so that each lane is a row and each class one vector, and every later
 * step is lane by lane. Every element gets the same operations in the same
 * order as there (each logit: the eight lanes' chains over the groups of
 * eight features, summed from 0 lane after lane, then the tail's chain,
 * then the bias; log-softmax's max, shift, exponentials, sum, logarithm;
 * the loss's gradient; the weight gradient's 32-row sums), so the same
 * bits: tests/test-linear-lanes.c compares both ways.
 */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-simd-private.h"
#include "philia-log-approx-private.h"
#include "philia-ops-narrow-private.h"
#include "philia-narrow-lanes-private.h"

#include <string.h>

#if defined(__GNUC__) && !defined(__clang__)
# pragma GCC diagnostic ignored "-Wpsabi"
#endif

/* The weight gradient's row blocks (philia-ops-narrow.c's NARROW_BLOCK). */
#define LANES_BLOCK 32

static gint lanes_disabled;

/* The entry points are built for AVX-512 (x86-64-v4) and AVX2 (v3) and
 * picked at run time, as PHILIA_VECTORIZE_V4's clones are, but without its
 * baseline clone: GCC lowers each 64-byte vector to four SSE2 registers
 * there, and that one clone took about 120 s of the file's 190 s of
 * compile time (against 7 s for v4 and 66 s for v3), the longest object of
 * every build. A CPU without AVX2 takes the row kernels instead (their
 * baseline clones round as the lanes' would: tests/test-linear-lanes.c
 * compares the two ways, HACKING.md §7). Builds where the clones are off
 * (clang, sanitizers, other CPUs) keep one plain copy. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
# define LANES_DISPATCH 1
# define LANES_V4 __attribute__ ((target ("arch=x86-64-v4"), optimize ("O3")))
# define LANES_V3 __attribute__ ((target ("arch=x86-64-v3"), optimize ("O3")))
/* An entry point NAME over its body NAME_body (always inlined, so each
 * target compiles the whole body), with PARAMS its parameter list and ARGS
 * the call's arguments. */
# define LANES_ENTRY(NAME, PARAMS, ARGS)                                     \
  static LANES_V4 void NAME##_v4 PARAMS { NAME##_body ARGS; }                 \
  static LANES_V3 void NAME##_v3 PARAMS { NAME##_body ARGS; }                 \
  void _philia_narrow_##NAME PARAMS                                           \
  {                                                                           \
    if (lanes_cpu () > 1)                                                     \
      NAME##_v4 ARGS;                                                         \
    else                                                                      \
      NAME##_v3 ARGS;                                                         \
  }

/* 2 with AVX-512, 1 with AVX2 and FMA, 0 without. */
static gint
lanes_cpu (void)
{
  static gint level = -1;
  gint l = g_atomic_int_get (&level);

  if (l < 0)
    {
      __builtin_cpu_init ();
      l = __builtin_cpu_supports ("x86-64-v4") ? 2 : __builtin_cpu_supports ("x86-64-v3") ? 1 : 0;
      g_atomic_int_set (&level, l);
    }
  return l;
}
#else
# define LANES_ENTRY(NAME, PARAMS, ARGS) \
  void _philia_narrow_##NAME PARAMS { NAME##_body ARGS; }

static gint
lanes_cpu (void)
{
  return 1;
}
#endif

gboolean
_philia_narrow_lanes_take (guint f)
{
  return f >= 1 && f <= PHILIA_LANES_MAX_F && f % 8 < 4 && _philia_narrow_lanes_on ();
}

gboolean
_philia_narrow_lanes_on (void)
{
  return !g_atomic_int_get (&lanes_disabled) && lanes_cpu () > 0;
}

void
_philia_narrow_lanes_set_enabled (gboolean enabled)
{
  g_atomic_int_set (&lanes_disabled, !enabled);
}

/* Sixteen floats from @p + @off, of which @f are a row's; zeros past the
 * row where sixteen would read past @avail. */
static inline G_ALWAYS_INLINE V16f
row_load (const float *p,
          gsize        off,
          gsize        avail,
          guint        f)
{
  float t[16] = { 0 };

  if (off + 16 <= avail)
    return v16_load (p + off);
  memcpy (t, p + off, sizeof (float) * f);
  return v16_load (t);
}

/* Within each 128-bit quarter, rows i … i + 3 of @r become its columns: in
 * quarter q, r[i + s] holds element 4q + s of the four rows. */
static inline G_ALWAYS_INLINE void
quarter_transpose (V16f *r,
                   guint n)
{
  for (guint i = 0; i < n; i += 4)
    {
      V16f t0 = __builtin_shufflevector (r[i], r[i + 1], 0, 16, 1, 17, 4, 20, 5, 21,
                                         8, 24, 9, 25, 12, 28, 13, 29);
      V16f t1 = __builtin_shufflevector (r[i], r[i + 1], 2, 18, 3, 19, 6, 22, 7, 23,
                                         10, 26, 11, 27, 14, 30, 15, 31);
      V16f t2 = __builtin_shufflevector (r[i + 2], r[i + 3], 0, 16, 1, 17, 4, 20, 5, 21,
                                         8, 24, 9, 25, 12, 28, 13, 29);
      V16f t3 = __builtin_shufflevector (r[i + 2], r[i + 3], 2, 18, 3, 19, 6, 22, 7, 23,
                                         10, 26, 11, 27, 14, 30, 15, 31);

      r[i] = __builtin_shufflevector (t0, t2, 0, 1, 16, 17, 4, 5, 20, 21,
                                      8, 9, 24, 25, 12, 13, 28, 29);
      r[i + 1] = __builtin_shufflevector (t0, t2, 2, 3, 18, 19, 6, 7, 22, 23,
                                          10, 11, 26, 27, 14, 15, 30, 31);
      r[i + 2] = __builtin_shufflevector (t1, t3, 0, 1, 16, 17, 4, 5, 20, 21,
                                          8, 9, 24, 25, 12, 13, 28, 29);
      r[i + 3] = __builtin_shufflevector (t1, t3, 2, 3, 18, 19, 6, 7, 22, 23,
                                          10, 11, 26, 27, 14, 15, 30, 31);
    }
}

/* r[0 … 15] (rows) become c[0 … 15] (columns): lane l of c[k] is r[l][k]. */
static inline G_ALWAYS_INLINE void
transpose16 (V16f *r,
             V16f *c)
{
  quarter_transpose (r, 16);
  for (guint s = 0; s < 4; s++)
    {
      V16f v0 = __builtin_shufflevector (r[s], r[4 + s], 0, 1, 2, 3, 4, 5, 6, 7,
                                         16, 17, 18, 19, 20, 21, 22, 23);
      V16f v1 = __builtin_shufflevector (r[s], r[4 + s], 8, 9, 10, 11, 12, 13, 14, 15,
                                         24, 25, 26, 27, 28, 29, 30, 31);
      V16f w0 = __builtin_shufflevector (r[8 + s], r[12 + s], 0, 1, 2, 3, 4, 5, 6, 7,
                                         16, 17, 18, 19, 20, 21, 22, 23);
      V16f w1 = __builtin_shufflevector (r[8 + s], r[12 + s], 8, 9, 10, 11, 12, 13, 14, 15,
                                         24, 25, 26, 27, 28, 29, 30, 31);

      c[s] = __builtin_shufflevector (v0, w0, 0, 1, 2, 3, 8, 9, 10, 11,
                                      16, 17, 18, 19, 24, 25, 26, 27);
      c[4 + s] = __builtin_shufflevector (v0, w0, 4, 5, 6, 7, 12, 13, 14, 15,
                                          20, 21, 22, 23, 28, 29, 30, 31);
      c[8 + s] = __builtin_shufflevector (v1, w1, 0, 1, 2, 3, 8, 9, 10, 11,
                                          16, 17, 18, 19, 24, 25, 26, 27);
      c[12 + s] = __builtin_shufflevector (v1, w1, 4, 5, 6, 7, 12, 13, 14, 15,
                                           20, 21, 22, 23, 28, 29, 30, 31);
    }
}

/* Each half of the lanes an 8 × 8 transpose of its own: lane h of c[k] is
 * lane k of r[h] (h < 8), lane 8 + h of c[k] lane 8 + k of r[h]. Eight
 * class vectors of sixteen rows become eight vectors of rows k and 8 + k. */
static inline G_ALWAYS_INLINE void
transpose8x2 (V16f *r,
              V16f *c)
{
  quarter_transpose (r, 8);
  for (guint s = 0; s < 4; s++)
    {
      c[s] = __builtin_shufflevector (r[s], r[4 + s], 0, 1, 2, 3, 16, 17, 18, 19,
                                      8, 9, 10, 11, 24, 25, 26, 27);
      c[4 + s] = __builtin_shufflevector (r[s], r[4 + s], 4, 5, 6, 7, 20, 21, 22, 23,
                                          12, 13, 14, 15, 28, 29, 30, 31);
    }
}

/* The logits of sixteen rows from @x (@avail floats readable), class by
 * class: narrow_forward_c ()'s operations lane by lane. */
static inline G_ALWAYS_INLINE void
group_logits (V16f          *z,
              const float   *x,
              gsize          avail,
              guint          f,
              const float   *wt,
              const float   *b,
              const guint    c)
{
  V16f r[16], xc[16];
  guint f8 = f / 8 * 8;

  for (guint l = 0; l < 16; l++)
    r[l] = row_load (x, (gsize)l * f, avail, f);
  transpose16 (r, xc);
  for (guint j = 0; j < c; j++)
    {
      const float *wj = wt + (gsize)j * f;
      V16f s = { 0 }, t = { 0 };

      /* v8_sum () of the eight lanes' chains, lane after lane from 0 */
      if (f8 > 0)
        for (guint l = 0; l < 8; l++)
          {
            V16f p = { 0 };

            for (guint k = l; k < f8; k += 8)
              p += xc[k] * wj[k];
            s += p;
          }
      for (guint k = f8; k < f; k++)
        t += xc[k] * wj[k];
      z[j] = (s + t) + b[j];
    }
}

/* _philia_log_softmax_rows ()'s steps lane by lane: the max, NaN for a
 * row with a non-finite logit, the shift, the exponentials' sum from 0,
 * its logarithm, the output. */
static inline G_ALWAYS_INLINE void
group_log_softmax (V16f       *lp,
                   const V16f *z,
                   const guint c)
{
  V16f mx = z[0], bad = { 0 }, sum = { 0 }, lse, sh[PHILIA_NARROW_MAX];

  for (guint j = 1; j < c; j++)
    mx = v16_select (z[j] > mx, z[j], mx);
  for (guint j = 0; j < c; j++)
    bad += z[j] - z[j];
  mx += bad;
  for (guint j = 0; j < c; j++)
    {
      sh[j] = z[j] - mx;
      sum += v16_exp_approx (sh[j]);
    }
  lse = v16_log_approx (sum);
  for (guint j = 0; j < c; j++)
    lp[j] = sh[j] - lse;
}

/* Sixteen mask bytes as lanes: all ones where set. */
static inline G_ALWAYS_INLINE V16i
mask_load (const guint8 *mask)
{
  V16b bytes;

  memcpy (&bytes, mask, sizeof bytes);
  return __builtin_convertvector (bytes != 0, V16i);
}

static inline G_ALWAYS_INLINE V16i
labels_load (const gint32 *labels)
{
  V16i v;

  memcpy (&v, labels, sizeof v);
  return v;
}

/* Sixteen rows' log-softmax of the logits @z, and @sum less the NLL of
 * the counted ones (label ≥ 0 and @mask set, or no @mask) in row order
 * (philia_op_nll ()'s double sum), returned; with @grad the logits'
 * gradient @dy for the loss's gradient at @scale. The sum by value: kept
 * in a register, not stored and reloaded once a row. */
static inline G_ALWAYS_INLINE double
group_loss (V16f         *dy,
            const V16f   *z,
            const gint32 *labels,
            const guint8 *mask,
            float         scale,
            double        sum,
            gboolean      grad,
            const guint   c)
{
  V16f lp[PHILIA_NARROW_MAX], at = { 0 };
  V16i lab = labels_load (labels), counted = lab >= 0;
  float atv[16];
  gint32 cv[16];

  if (mask != NULL)
    counted &= mask_load (mask);
  group_log_softmax (lp, z, c);
  for (guint j = 0; j < c; j++)
    at = v16_select (lab == (gint32)j, lp[j], at);
  v16_store (atv, at);
  memcpy (cv, &counted, sizeof cv);
  for (guint i = 0; i < 16; i++)
    if (cv[i])
      sum -= atv[i];
  if (grad)
    {
      /* _philia_nll_log_softmax_grad (): −scale at the label of a counted
       * row (0 − scale), its sum over the row from 0, then
       * 0 + (g − e^logp · Σ g). */
      V16f g[PHILIA_NARROW_MAX], gs = { 0 }, zero = { 0 }, neg = zero - scale;

      for (guint j = 0; j < c; j++)
        {
          g[j] = v16_select (counted & (lab == (gint32)j), neg, zero);
          gs += g[j];
        }
      for (guint j = 0; j < c; j++)
        dy[j] = zero + (g[j] - v16_exp_approx (lp[j]) * gs);
    }
  return sum;
}

/* Sixteen rows of row-major [rows, c] values from @v (eight floats
 * readable from each row's start) as @c class vectors, and back. */
static inline G_ALWAYS_INLINE void
rows_to_lanes (V16f        *z,
               const float *v,
               const guint  c)
{
  V16f r[8], col[8];

  for (guint k = 0; k < 8; k++)
    {
      V8f a = v8_load (v + (gsize)k * c), b = v8_load (v + (gsize)(8 + k) * c);

      r[k] = __builtin_shufflevector (a, b, 0, 1, 2, 3, 4, 5, 6, 7,
                                      8, 9, 10, 11, 12, 13, 14, 15);
    }
  transpose8x2 (r, col);
  for (guint j = 0; j < c; j++)
    z[j] = col[j];
}

static inline G_ALWAYS_INLINE void
lanes_to_rows (float      *v,
               const V16f *z,
               const guint c)
{
  V16f r[8], out[8];

  for (guint j = 0; j < 8; j++)
    r[j] = j < c ? z[j] : (V16f){ 0 };
  transpose8x2 (r, out);
  for (guint k = 0; k < 8; k++)
    {
      memcpy (v + (gsize)k * c, &out[k], sizeof (float) * c);
      memcpy (v + (gsize)(8 + k) * c, (const float *)&out[k] + 8, sizeof (float) * c);
    }
}

static inline G_ALWAYS_INLINE void
lanes_nll_c (const float  *x,
             gsize         avail,
             const float  *wt,
             const float  *b,
             guint         rows,
             guint         f,
             const gint32 *labels,
             const guint8 *mask,
             float         scale,
             double       *sum,
             float        *gt,
             float        *gb,
             const guint   c)
{
  const guint f8 = f / 8 * 8;
  double s = *sum;

  for (guint r0 = 0; r0 + LANES_BLOCK <= rows; r0 += LANES_BLOCK)
    {
      float dyt[PHILIA_NARROW_MAX][LANES_BLOCK];
      V16f acc[PHILIA_NARROW_MAX];

      for (guint h = 0; h < LANES_BLOCK; h += 16)
        {
          guint r = r0 + h;
          V16f z[PHILIA_NARROW_MAX], lp[PHILIA_NARROW_MAX], at = { 0 };
          V16i lab = labels_load (labels + r), counted = lab >= 0;
          float atv[16];
          gint32 cv[16];

          if (mask != NULL)
            counted &= mask_load (mask + r);
          group_logits (z, x + (gsize)r * f, avail - (gsize)r * f, f, wt, b, c);
          group_log_softmax (lp, z, c);
          /* group_loss () written out: through it the 10-feature step took
           * 8.1-8.5 ms against 7.4-7.6 (tests/bench/GRID.md, session 21).
           * The loss: each counted row's log-probability at its label,
           * subtracted in row order (philia_op_nll ()'s double sum). */
          for (guint j = 0; j < c; j++)
            at = v16_select (lab == (gint32)j, lp[j], at);
          v16_store (atv, at);
          memcpy (cv, &counted, sizeof cv);
          for (guint i = 0; i < 16; i++)
            if (cv[i])
              s -= atv[i];
          if (gt == NULL)
            continue;
          /* _philia_nll_log_softmax_grad (): −scale at the label of a
           * counted row (0 − scale), its sum over the row from 0, then
           * 0 + (g − e^logp · Σ g). */
          {
            V16f g[PHILIA_NARROW_MAX], gs = { 0 }, zero = { 0 }, neg = zero - scale;

            for (guint j = 0; j < c; j++)
              {
                g[j] = v16_select (counted & (lab == (gint32)j), neg, zero);
                gs += g[j];
              }
            for (guint j = 0; j < c; j++)
              v16_store (dyt[j] + h, zero + (g[j] - v16_exp_approx (lp[j]) * gs));
          }
        }
      if (gt == NULL)
        continue;
      for (guint i = 0; i < LANES_BLOCK; i++)
        for (guint j = 0; j < c; j++)
          gb[j] += dyt[j][i];
      /* narrow_grad_c () on this block: features below f8 summed over the
       * block from 0 and then added to gt, the rest chained straight onto
       * gt row by row; each lane starts from what its kind starts from. */
      for (guint j = 0; j < c; j++)
        {
          float init[16] = { 0 };

          for (guint k = f8; k < f; k++)
            init[k] = gt[(gsize)j * f + k];
          acc[j] = v16_load (init);
        }
      for (guint i = 0; i < LANES_BLOCK; i++)
        {
          V16f xr = row_load (x, (gsize)(r0 + i) * f, avail, f);

          for (guint j = 0; j < c; j++)
            acc[j] += xr * dyt[j][i];
        }
      for (guint j = 0; j < c; j++)
        {
          float out[16];

          v16_store (out, acc[j]);
          for (guint k = 0; k < f8; k++)
            gt[(gsize)j * f + k] = gt[(gsize)j * f + k] + out[k];
          for (guint k = f8; k < f; k++)
            gt[(gsize)j * f + k] = out[k];
        }
    }
  *sum = s;
}

static inline G_ALWAYS_INLINE void
lanes_nll_body (const float  *x,
                gsize         avail,
                const float  *wt,
                const float  *b,
                guint         rows,
                guint         f,
                guint         c,
                const gint32 *labels,
                const guint8 *mask,
                float         scale,
                double       *sum,
                float        *gt,
                float        *gb)
{
  g_return_if_fail (rows % LANES_BLOCK == 0 && f >= 1 && f <= PHILIA_LANES_MAX_F);

#define NLL_CASE(C) \
  case C: lanes_nll_c (x, avail, wt, b, rows, f, labels, mask, scale, sum, gt, gb, C); break;
  switch (c)
    {
      NLL_CASE (1) NLL_CASE (2) NLL_CASE (3) NLL_CASE (4)
      NLL_CASE (5) NLL_CASE (6) NLL_CASE (7) NLL_CASE (8)
    default: g_return_if_reached ();
    }
#undef NLL_CASE
}

LANES_ENTRY (lanes_nll,
             (const float *x, gsize avail, const float *wt, const float *b, guint rows, guint f,
              guint c, const gint32 *labels, const guint8 *mask, float scale, double *sum,
              float *gt, float *gb),
             (x, avail, wt, b, rows, f, c, labels, mask, scale, sum, gt, gb))

/* Sixteen rows' log-softmax of @z into @logp's rows, and each row's
 * argmax into @best: a later class only where strictly greater, as the
 * evaluation's row loop chose. */
static inline G_ALWAYS_INLINE void
group_eval (float       *logp,
            gint32      *best,
            const V16f  *z,
            const guint  c)
{
  V16f lp[PHILIA_NARROW_MAX], bv;
  V16i bi = { 0 };

  group_log_softmax (lp, z, c);
  bv = lp[0];
  for (guint j = 1; j < c; j++)
    {
      V16i m = lp[j] > bv;

      bi = (bi & ~m) | ((gint32)j & m);
      bv = v16_select (m, lp[j], bv);
    }
  memcpy (best, &bi, sizeof bi);
  lanes_to_rows (logp, lp, c);
}

static inline G_ALWAYS_INLINE void
lanes_log_softmax_c (float       *logp,
                     gint32      *best,
                     const float *x,
                     gsize        avail,
                     const float *wt,
                     const float *b,
                     guint        rows,
                     guint        f,
                     const guint  c)
{
  for (guint r = 0; r + 16 <= rows; r += 16)
    {
      V16f z[PHILIA_NARROW_MAX];

      group_logits (z, x + (gsize)r * f, avail - (gsize)r * f, f, wt, b, c);
      group_eval (logp + (gsize)r * c, best + r, z, c);
    }
}

static inline G_ALWAYS_INLINE void
lanes_log_softmax_body (float       *logp,
                        gint32      *best,
                        const float *x,
                        gsize        avail,
                        const float *wt,
                        const float *b,
                        guint        rows,
                        guint        f,
                        guint        c)
{
  g_return_if_fail (rows % 16 == 0 && f >= 1 && f <= PHILIA_LANES_MAX_F);

#define LS_CASE(C) case C: lanes_log_softmax_c (logp, best, x, avail, wt, b, rows, f, C); break;
  switch (c)
    {
      LS_CASE (1) LS_CASE (2) LS_CASE (3) LS_CASE (4)
      LS_CASE (5) LS_CASE (6) LS_CASE (7) LS_CASE (8)
    default: g_return_if_reached ();
    }
#undef LS_CASE
}

LANES_ENTRY (lanes_log_softmax,
             (float *logp, gint32 *best, const float *x, gsize avail, const float *wt,
              const float *b, guint rows, guint f, guint c),
             (logp, best, x, avail, wt, b, rows, f, c))

/* --- the row-by-row product's logits, the rest in lanes ------------------ */

static inline G_ALWAYS_INLINE void
rows_nll_c (float        *dy,
            const float  *logits,
            guint         rows,
            const gint32 *labels,
            const guint8 *mask,
            float         scale,
            double       *sum,
            const guint   c)
{
  double s = *sum;

  for (guint r = 0; r + 16 <= rows; r += 16)
    {
      V16f z[PHILIA_NARROW_MAX], d[PHILIA_NARROW_MAX];

      rows_to_lanes (z, logits + (gsize)r * c, c);
      s = group_loss (d, z, labels + r, mask != NULL ? mask + r : NULL, scale, s, dy != NULL, c);
      if (dy != NULL)
        lanes_to_rows (dy + (gsize)r * c, d, c);
    }
  *sum = s;
}

static inline G_ALWAYS_INLINE void
lanes_nll_rows_body (float        *dy,
                     const float  *logits,
                     guint         rows,
                     guint         c,
                     const gint32 *labels,
                     const guint8 *mask,
                     float         scale,
                     double       *sum)
{
  g_return_if_fail (rows % 16 == 0);

#define NLL_CASE(C) case C: rows_nll_c (dy, logits, rows, labels, mask, scale, sum, C); break;
  switch (c)
    {
      NLL_CASE (1) NLL_CASE (2) NLL_CASE (3) NLL_CASE (4)
      NLL_CASE (5) NLL_CASE (6) NLL_CASE (7) NLL_CASE (8)
    default: g_return_if_reached ();
    }
#undef NLL_CASE
}

LANES_ENTRY (lanes_nll_rows,
             (float *dy, const float *logits, guint rows, guint c, const gint32 *labels,
              const guint8 *mask, float scale, double *sum),
             (dy, logits, rows, c, labels, mask, scale, sum))

static inline G_ALWAYS_INLINE void
lanes_log_softmax_rows_body (float       *logp,
                             gint32      *best,
                             const float *logits,
                             guint        rows,
                             guint        c)
{
  g_return_if_fail (rows % 16 == 0);

#define LS_CASE(C)                                                                 \
  case C:                                                                          \
    for (guint r = 0; r < rows; r += 16)                                           \
      {                                                                            \
        V16f z[PHILIA_NARROW_MAX];                                                 \
                                                                                   \
        rows_to_lanes (z, logits + (gsize)r * C, C);                               \
        group_eval (logp + (gsize)r * C, best + r, z, C);                          \
      }                                                                            \
    break;
  switch (c)
    {
      LS_CASE (1) LS_CASE (2) LS_CASE (3) LS_CASE (4)
      LS_CASE (5) LS_CASE (6) LS_CASE (7) LS_CASE (8)
    default: g_return_if_reached ();
    }
#undef LS_CASE
}

LANES_ENTRY (lanes_log_softmax_rows,
             (float *logp, gint32 *best, const float *logits, guint rows, guint c),
             (logp, best, logits, rows, c))
