/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The link predictors' fused ops (philia-ops-link.c): each replaces a chain
 * of the public ops with one pass over its [n, d] input each way. */

#include "philia-autograd.h"

G_BEGIN_DECLS

/* dropout (relu (x + b), p) for x [n, d] and a bias row b [1, d]: what
 * philia_op_relu_dropout (philia_op_add (x, b), p) computes, bit for bit and
 * with the same mask draws (relu alone outside training or for p = 0), in
 * one pass forward and one backward (dx and db together) instead of three
 * each way. */
PhiliaTensor *_philia_op_bias_relu_dropout     (PhiliaTape   *tape,
                                                PhiliaTensor *x,
                                                PhiliaTensor *b,
                                                float         p);

/* dropout (relu (y + b), p) · w for y [n, d], b [1, d] and w [d, 1]: an MLP
 * decoder's hidden activation and its output weights, [n, 1], without the
 * [n, d] activation written or read back and without the outer product of a
 * width-1 gradient. The same mask draws as philia_op_relu_dropout (); the
 * row sums are taken in another order than sgemm's (a rounding's worth).
 * The gradients of b and w are summed over fixed blocks of rows in order,
 * whatever the thread count. */
PhiliaTensor *_philia_op_bias_relu_dropout_dot (PhiliaTape   *tape,
                                                PhiliaTensor *y,
                                                PhiliaTensor *b,
                                                PhiliaTensor *w,
                                                float         p);

G_END_DECLS
