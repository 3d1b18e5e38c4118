/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The narrow output layer at few features with rows in the vector lanes
 * (philia-narrow-lanes.c, HACKING.md §7): the same values, to the bit, as
 * philia-ops-narrow.c's row-by-row kernels and the log-softmax ops. */

#include <glib.h>

G_BEGIN_DECLS

/* The widest X the lane kernels take (one 16 × 16 transpose a row group). */
#define PHILIA_LANES_MAX_F 16

/* Whether the lane kernels take X @f features wide (1 to
 * PHILIA_LANES_MAX_F, unless switched off). */
gboolean _philia_narrow_lanes_take        (guint f);

/* Whether the lane kernels run at all (the log-softmax and loss steps
 * after the row-by-row product take them at any width). */
gboolean _philia_narrow_lanes_on          (void);

/* Tests: switches the lane kernels off (the row-by-row ones run) or on. */
void     _philia_narrow_lanes_set_enabled (gboolean enabled);

/* The fused loss's pass (philia-ops-narrow.c's linear_nll_pass ()) over
 * @rows rows of @x, a multiple of 32 (the weight gradient's row blocks),
 * @avail floats readable from @x, @wt W transposed [c, f]: the NLL of the
 * counted rows subtracted from *@sum in row order and, with @gt, the
 * gradients of W (transposed, added to @gt) and b (added to @gb) for the
 * loss's gradient at @scale. */
void     _philia_narrow_lanes_nll         (const float  *x,
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
                                           float        *gb);

/* log-softmax (X W + b) of @rows rows of @x (a multiple of 16) into @logp
 * [rows, c], and each row's argmax (the first of equal maxima) into
 * @best. */
void     _philia_narrow_lanes_log_softmax (float        *logp,
                                           gint32       *best,
                                           const float  *x,
                                           gsize         avail,
                                           const float  *wt,
                                           const float  *b,
                                           guint         rows,
                                           guint         f,
                                           guint         c);

/* The same two passes after the row-by-row product: from @rows (a
 * multiple of 16) rows of logits [rows, c] (eight floats readable from
 * each row's start), the loss subtracted from *@sum and, with @dy, the
 * logits' gradient [rows, c] for the loss's gradient at @scale ... */
void     _philia_narrow_lanes_nll_rows         (float        *dy,
                                                const float  *logits,
                                                guint         rows,
                                                guint         c,
                                                const gint32 *labels,
                                                const guint8 *mask,
                                                float         scale,
                                                double       *sum);

/* ... and the log-probabilities with each row's argmax. */
void     _philia_narrow_lanes_log_softmax_rows (float        *logp,
                                                gint32       *best,
                                                const float  *logits,
                                                guint         rows,
                                                guint         c);

G_END_DECLS
