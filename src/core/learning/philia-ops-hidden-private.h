/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-autograd.h"
#include "philia-ops-inplace-private.h"

G_BEGIN_DECLS

/* dropout (relu (X W1 + b1), p) W2 (+ b2 when not NULL) in one op: the
 * hidden layer of a two-layer model a block of rows at a time, so its
 * [n, H] activation is written once and read once each way instead of
 * going through memory between every op. The values, the dropout draws and
 * the gradients are those of linear, relu_dropout and matmul or linear
 * (tests/test-autograd-hidden.c compares them bit for bit). */
PhiliaTensor *_philia_op_hidden_product (PhiliaTape   *tape,
                                         PhiliaTensor *x,
                                         PhiliaTensor *w1,
                                         PhiliaTensor *b1,
                                         float         p,
                                         PhiliaTensor *w2,
                                         PhiliaTensor *b2);

/* _philia_op_relu_dropout_consume (_philia_op_add_consume (@a, @b), @p)
 * (@b one row) in one pass each way: the same values, dropout draws and
 * gradients (b's summed over the rows in order), over @a's buffer on the
 * same promise about @a (philia-ops-inplace-private.h). GCN's first layer
 * on sparse features, after the sparse product. */
PhiliaTensor *_philia_op_bias_relu_dropout_consume (PhiliaTape   *tape,
                                                    PhiliaTensor *a,
                                                    PhiliaTensor *b,
                                                    float         p);

/* x = relu (x + b) · the stream's factors over @rows rows of @cols, a
 * multiple of eight (philia-ops-dense.c): add then
 * _philia_dropout_stream_relu () in one pass, the same bits and draws. */
void _philia_dropout_stream_bias_relu (PhiliaDropoutStream *stream,
                                       float               *x,
                                       const float         *b,
                                       guint                rows,
                                       guint                cols,
                                       float                keep);

G_END_DECLS
