/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* ln x without libm, for log-softmax (philia-ops-softmax.c) and the
 * narrow output layer's kernels in lanes (philia-narrow-lanes.c): one
 * definition, so that both round alike (HACKING.md §7). */

#include "philia-simd-private.h"

/* ln x for positive normal x: x = m 2^e with m in [√½, √2),
 * ln m = 2 atanh(s), s = (m − 1)/(m + 1), |s| < 0.172, by its series to s^11
 * (truncation below 1e-9); e ln 2 with ln 2 in two parts. Branch free and
 * call free, so a loop of it vectorises. */
static inline G_GNUC_UNUSED float
log_approx (float x)
{
  guint32 bits;
  gint32 e;
  float m, s, s2, p, ef;

  memcpy (&bits, &x, sizeof bits);
  e = (gint32)((bits >> 23) & 0xff) - 127;
  bits = (bits & 0x7fffff) | 0x3f800000;
  memcpy (&m, &bits, sizeof m);
  e += m > 1.41421356f;
  m = m > 1.41421356f ? m * 0.5f : m;
  s = (m - 1.0f) / (m + 1.0f);
  s2 = s * s;
  p = 2.0f / 11;
  p = p * s2 + 2.0f / 9;
  p = p * s2 + 2.0f / 7;
  p = p * s2 + 2.0f / 5;
  p = p * s2 + 2.0f / 3;
  p = p * s2 + 2.0f;
  ef = (float)e;
  return ef * 0.693145751953125f + (ef * 1.4286068202862268e-06f + s * p);
}

/* log_approx on the lanes of VF (integer lanes VI, SELECT choosing where a
 * mask is set), with the same operations in the same order: one body for
 * the eight- and sixteen-lane versions. */
#define PHILIA_DEFINE_LOG_APPROX(NAME, VF, VI, SELECT)                   \
  static inline G_GNUC_UNUSED VF                                          \
  NAME (VF x)                                                             \
  {                                                                       \
    VI bits = (VI)x;                                                      \
    VI e = ((bits >> 23) & 0xff) - 127;                                   \
    VF m = (VF)((bits & 0x7fffff) | 0x3f800000);                          \
    VI big = m > 1.41421356f;                                             \
    VF s, s2, p, ef;                                                      \
                                                                          \
    e = e - big;                   /* big is −1 where true */             \
    m = SELECT (big, m * 0.5f, m);                                        \
    s = (m - 1.0f) / (m + 1.0f);                                          \
    s2 = s * s;                                                           \
    p = (VF){ 0 } + 2.0f / 11;                                            \
    p = p * s2 + 2.0f / 9;                                                \
    p = p * s2 + 2.0f / 7;                                                \
    p = p * s2 + 2.0f / 5;                                                \
    p = p * s2 + 2.0f / 3;                                                \
    p = p * s2 + 2.0f;                                                    \
    ef = __builtin_convertvector (e, VF);                                 \
    return ef * 0.693145751953125f + (ef * 1.4286068202862268e-06f + s * p); \
  }

/* log-softmax's eight lanes (philia-ops-softmax.c). */
PHILIA_DEFINE_LOG_APPROX (v8_log_approx, V8f, V8i, v8_select)
/* The evaluation and loss kernels' sixteen lanes (philia-narrow-lanes.c). */
PHILIA_DEFINE_LOG_APPROX (v16_log_approx, V16f, V16i, v16_select)
