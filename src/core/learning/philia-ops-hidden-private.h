/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-autograd.h"

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

G_END_DECLS
