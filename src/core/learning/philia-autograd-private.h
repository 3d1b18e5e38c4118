/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-autograd.h"

G_BEGIN_DECLS

/* Declares that @s's values are row_scale[i] · col_scale[j] (to rounding;
 * either may be NULL for ones), as in D^{-1/2}(A+I)D^{-1/2}: its products
 * can then gather unweighted rows of X scaled once by @col_scale and scale
 * each output row by @row_scale. Copies both; sets the transpose's too.
 * Call before @s is shared. */
void          philia_sparse_set_scales (PhiliaSparse       *s,
                                        const float        *row_scale,
                                        const float        *col_scale);

/* Rows @rows of @s, in that order (with their scales). */
PhiliaSparse *philia_sparse_new_rows   (const PhiliaSparse *s,
                                        const guint        *rows,
                                        guint               n_rows);

/* out[v][h] = Σ_k x[v][h·d + k] · a[h·d + k] with d = x->cols / @heads (a
 * is one row as wide as x): GAT's per-head scores, as
 * group_sum (mul (x, a), d) computes them to the bit, without their
 * [n, heads·d] intermediate or its gradient. */
PhiliaTensor *_philia_op_head_dot      (PhiliaTape         *tape,
                                        PhiliaTensor       *x,
                                        PhiliaTensor       *a,
                                        guint               heads);

/* out[i, j] = Σ_e s[i, e] x[col(e), j] for j < @width, rows of @x and @out
 * @stride floats apart (one may be the other's right half: SAGE's
 * [mean (X) | X]), with @s's own values; the sums of philia_op_spmm (@s, NULL)
 * over a contiguous X @width wide when no value of @s is zero. Widths 2 to
 * 7 take philia_op_spmm ()'s padded kernels: not here. */
void          _philia_spmm_strided     (PhiliaTape         *tape,
                                        const PhiliaSparse *s,
                                        const float        *x,
                                        float              *out,
                                        guint               width,
                                        guint               stride);

/* The same with rows of @x @x_stride floats apart and rows of @out
 * @out_stride apart (SAGE's mean over the left half of X [Wl | Wr] into an
 * [n, H] tensor, and its transpose's product back into the left half of
 * that product's gradient). */
void          _philia_spmm_strided_to  (PhiliaTape         *tape,
                                        const PhiliaSparse *s,
                                        const float        *x,
                                        guint               x_stride,
                                        float              *out,
                                        guint               out_stride,
                                        guint               width);

/* @out = @s @x for @x with @cols columns, into the caller's [s->rows, @cols]
 * buffer: philia_op_spmm ()'s product without a tape node (the same sums,
 * bit for bit), for propagation done once before training (SGC's Â^K X).
 * With @accumulate the product is added into @out (philia_op_spmm ()'s
 * backward product into a gradient something has reached already: the
 * kernels start from @out's values, so the same bits). */
void          _philia_spmm_to          (PhiliaTape         *tape,
                                        const PhiliaSparse *s,
                                        const float        *x,
                                        float              *out,
                                        guint               cols,
                                        gboolean            accumulate);

/* Frees a matrix's row slices (philia-spmm.c; its free, philia-sparse.c). */
void          _philia_sparse_slices_free (gpointer slices);

/* Whether a product with @s has used its sliced copy (for tests). */
gboolean      philia_sparse_get_sliced (const PhiliaSparse *s);

/* The optimizer's step with each parameter's update split over the tape's
 * threads where that pays (the same bits as philia_optimizer_step ()), and
 * a dry pass for the thread choice's trial steps: it reads what a step
 * reads, on the same split, and only sets the gradients to zero. */
void          _philia_optimizer_step_on    (PhiliaOptimizer *optimizer,
                                            PhiliaTape      *tape);
void          _philia_optimizer_trial_step (PhiliaOptimizer *optimizer,
                                            PhiliaTape      *tape);

/* Log-softmax of @rows rows of @c logits @x into @y, with scratch @shifted
 * (@rows × @c floats) and @lse (@rows): philia_op_log_softmax ()'s
 * arithmetic, which calls it. Elementwise steps go eight elements at a time
 * from the start of the arrays, so a caller that splits rows into blocks
 * gets the whole call's bits when every block starts at a row whose element
 * offset and row index are multiples of 8 (philia-ops-softmax.c). */
void _philia_log_softmax_rows     (float        *y,
                                   const float  *x,
                                   guint         rows,
                                   guint         c,
                                   float        *shifted,
                                   float        *lse);
/* The logits' gradient @dy of the mean NLL over @logp's counted rows
 * (label ≥ 0 and @mask set, or no @mask) with @scale = the loss's gradient
 * / the count: what philia_op_nll ()'s and philia_op_log_softmax ()'s
 * backward passes leave in a fresh gradient, to the bit (same block rule).
 * @g (@rows × @c) and @sums (@rows × @c) are scratch. */
void _philia_nll_log_softmax_grad (float        *dy,
                                   const float  *logp,
                                   const gint32 *labels,
                                   const guint8 *mask,
                                   guint         rows,
                                   guint         c,
                                   float         scale,
                                   float        *g,
                                   float        *sums);

G_END_DECLS
