/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-autograd.h"

G_BEGIN_DECLS

/* The classes the narrow kernels sum in registers at once (one vector's
 * lanes each); more go eight at a time. */
#define PHILIA_NARROW_MAX 8

/* The widest output _philia_op_linear_narrow () takes. */
#define PHILIA_NARROW_CLASSES 256

/* X W + b for W of at most PHILIA_NARROW_CLASSES columns (a linear model's
 * classes): each row of X read once forwards and once backwards, where
 * sgemm packs X into panels first (twice its bytes again) for a product too
 * narrow to reuse them. Sums in another order than sgemm: within float
 * rounding of philia_op_add (philia_op_matmul (x, w), b). */
PhiliaTensor *_philia_op_linear_narrow (PhiliaTape   *tape,
                                        PhiliaTensor *x,
                                        PhiliaTensor *w,
                                        PhiliaTensor *b);

/* A model's output layer X W + b, for a model that returns it as its
 * output unchanged: the narrow op for few classes (any feature width),
 * else matmul + add. In a training step whose loop takes the loss itself
 * (_philia_tape_defer_output ()), with X needing no gradient (fixed
 * features, as SGC's Â^K X; not an MLP's first layer, whose X W feeds
 * later layers, nor any layer on a learned tensor), it computes nothing:
 * the returned tensor's values are undefined, and the loop's loss
 * (_philia_op_output_nll ()) does the product with the loss in one pass
 * over X's rows. Likewise in an evaluation pass with no parameter needing
 * a gradient: _philia_op_output_log_softmax () does the product with the
 * log-softmax. */
PhiliaTensor *_philia_op_linear_output (PhiliaTape   *tape,
                                        PhiliaTensor *x,
                                        PhiliaTensor *w,
                                        PhiliaTensor *b);

/* The mean NLL of log-softmax (X W + b) over the counted rows (label ≥ 0
 * and @mask set, or no @mask), as philia_op_nll (philia_op_log_softmax
 * (_philia_op_linear_narrow ())) gives it, to the bit, and the gradients of
 * W and b they give, for X that needs no gradient and W of at most
 * PHILIA_NARROW_CLASSES columns. One pass over X's rows, a block at a time:
 * product, log-softmax, loss and the block's share of the weight gradient
 * while the block is in the L1 cache. The gradients are kept for the loss's
 * gradient 1 and added in the backward pass; any other gradient of the loss
 * takes a second pass. @labels and @mask are borrowed for the step. */
PhiliaTensor *_philia_op_linear_nll (PhiliaTape   *tape,
                                     PhiliaTensor *x,
                                     PhiliaTensor *w,
                                     PhiliaTensor *b,
                                     const gint32 *labels,
                                     const guint8 *mask);

/* The training loop: asks (or stops asking) the model's output layer to
 * wait for the loss. */
void          _philia_tape_defer_output (PhiliaTape *tape,
                                         gboolean    defer);

/* The loss of the training step whose output @out is a deferred output
 * layer: _philia_op_linear_nll () over its operands; NULL when @out is not
 * one. *@misused is TRUE when a layer deferred but the model returned
 * something else (it read the undefined values: the caller runs the forward
 * pass again without deferring). */
PhiliaTensor *_philia_op_output_nll     (PhiliaTape   *tape,
                                         PhiliaTensor *out,
                                         const gint32 *labels,
                                         const guint8 *mask,
                                         gboolean     *misused);

/* Called by _philia_linear_log_softmax () with each block of @rows rows
 * from row @r0 of the log-probabilities [rows, @c] while they are in
 * cache, and each row's argmax (@best, the first of equal maxima). */
typedef void (*PhiliaEvalBlockFunc) (const float  *logp,
                                     const gint32 *best,
                                     guint         r0,
                                     guint         rows,
                                     guint         c,
                                     gpointer      data);

/* Each of @rows rows' argmax over its @c values into @best: the first of
 * equal maxima; a NaN never wins. */
void          _philia_rows_argmax       (gint32      *best,
                                         const float *logp,
                                         guint        rows,
                                         guint        c);

/* log-softmax (X W + b) into @logp [n, C] for @n rows of @x (X's width
 * W's rows, C its columns, at most PHILIA_NARROW_CLASSES), bit for bit as
 * philia_op_log_softmax (_philia_op_linear_narrow ()) gives it, in one pass
 * over X's rows a block at a time; @func (if not NULL) reads each block's
 * log-probabilities while they are in cache (the evaluation pass's argmax,
 * accuracy and validation loss, HACKING.md §7). No [n, C] logits. */
void          _philia_linear_log_softmax (float               *logp,
                                          const float         *x,
                                          const PhiliaTensor  *w,
                                          const PhiliaTensor  *b,
                                          guint                n,
                                          PhiliaEvalBlockFunc  func,
                                          gpointer             data);

/* The evaluation pass's log-softmax of a deferred output layer @out (the
 * loop deferred it with the tape in evaluation mode and no parameter
 * needing a gradient): _philia_linear_log_softmax () into @out's own
 * buffer, returned (no tape node); NULL when @out is not one, with
 * *@misused as for _philia_op_output_nll (). */
PhiliaTensor *_philia_op_output_log_softmax (PhiliaTape          *tape,
                                             PhiliaTensor        *out,
                                             PhiliaEvalBlockFunc  func,
                                             gpointer             data,
                                             gboolean            *misused);

G_END_DECLS
