/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <math.h>

#include "philia-simd-private.h"

/*
 * One destination row of GAT's edge softmax for eight heads at once: per
 * entry e of [@begin, @end) the score LeakyReLU_slope (@dst_v + src[col[e]]),
 * then exp_approx (score − the row's maximum) divided by the row's sum into
 * alpha[e·8 …]; with @post, also alpha times the dropout factor of @mask and
 * @keep into post[e·8 …]. philia_op_edge_attention and the GAT op both run
 * it, so their weights agree bit for bit (the attention views read either).
 */
static inline G_ALWAYS_INLINE void
_philia_edge_softmax_row8 (const float *restrict  dst_v,
                           const float *restrict  src,
                           const gint32 *restrict col,
                           gint64                 begin,
                           gint64                 end,
                           float                  slope,
                           float *restrict        alpha,
                           const guint8 *restrict mask,
                           float                  keep,
                           float *restrict        post)
{
  V8f d = v8_load (dst_v);
  V8f mx = (V8f){ 0 } - INFINITY, sm = { 0 };

  for (gint64 e = begin; e < end; e++)
    {
      V8f x = d + v8_load (src + (gsize)col[e] * 8);

      x = v8_select (x > 0, x, slope * x);
      v8_store (alpha + e * 8, x);
      mx = v8_select (mx > x, mx, x);
    }
  for (gint64 e = begin; e < end; e++)
    {
      V8f w = v8_exp_approx (v8_load (alpha + e * 8) - mx);

      v8_store (alpha + e * 8, w);
      sm += w;
    }
  for (gint64 e = begin; e < end; e++)
    {
      V8f a = v8_load (alpha + e * 8) / sm;

      v8_store (alpha + e * 8, a);
      if (post != NULL)
        v8_store (post + e * 8, a * v8_mask_factor (mask + e * 8, keep));
    }
}
