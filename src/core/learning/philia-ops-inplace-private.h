/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Ops that overwrite an input the caller no longer needs (philia-ops-inplace.c). */

#include "philia-autograd.h"
#include "philia-tape-private.h"

G_BEGIN_DECLS

/* philia_op_relu_dropout (), or philia_op_relu () out of training, written
 * over @a's buffer when @a is a tape tensor whose values nothing reads
 * afterwards: the caller's promise that no later op takes @a and that the
 * backward pass of the op that made @a does not read its output (linear,
 * add, matmul and spmm do not). @a's data is NULL afterwards. Same values,
 * same dropout draws and the same gradients as the out-of-place op; a
 * tensor that cannot be taken over (a leaf, one needing its own gradient
 * already) goes through the out-of-place op. */
PhiliaTensor *_philia_op_relu_dropout_consume (PhiliaTape   *tape,
                                               PhiliaTensor *a,
                                               float         p);

/* philia_op_add (@a, @b) written over @a's buffer, on the same promise
 * about @a; @b of @a's shape or one row. The same sums and gradients. */
PhiliaTensor *_philia_op_add_consume (PhiliaTape   *tape,
                                      PhiliaTensor *a,
                                      PhiliaTensor *b);

/* philia_op_dropout (philia_op_elu (philia_op_add (@a, @b), @alpha), @p)
 * (@b one row), written over @a's buffer on the same promise about @a:
 * GAT's hidden layer after its attention, one pass each way instead of
 * three forward and three back. The same values, dropout draws and
 * gradients as the three ops. */
PhiliaTensor *_philia_op_bias_elu_dropout_consume (PhiliaTape   *tape,
                                                   PhiliaTensor *a,
                                                   PhiliaTensor *b,
                                                   float         alpha,
                                                   float         p);

/* philia_op_spmm (@s, no values, @x), @x's buffer given back to the pool
 * once read, on the same promise about @x (the op that made it must not
 * read its output backwards; linear, matmul and spmm do not): Â (X W) needs
 * X W only to be multiplied. The same values and gradients. */
PhiliaTensor *_philia_op_spmm_consume (PhiliaTape   *tape,
                                       PhiliaSparse *s,
                                       PhiliaTensor *x);

/* Gives @x's values back to the pool when nothing reads them any more, on
 * the same promise: the op that made @x does not read its output backwards,
 * and every op that read @x has (column slices, which copy, and whose
 * backward pass writes only @x's gradient). Its gradient stays. */
void          _philia_tensor_drop_values (PhiliaTape   *tape,
                                          PhiliaTensor *x);

/* philia_op_relu_dropout ()'s and philia_op_add ()'s backward passes
 * (philia-ops-dense.c). */
/* Dropout's draws as a stream (philia-ops-dense.c): init takes the tape's
 * generator where _philia_dropout_mask_from_tape () would, and successive
 * calls over consecutive pieces of a tensor give the elements the factors
 * its whole mask would, provided every piece but the last holds a multiple
 * of eight elements (one draw of the eight lanes). */
typedef struct
{
  guint32 state[32];
  guint32 threshold;
} PhiliaDropoutStream;

void _philia_dropout_stream_init (PhiliaTape          *tape,
                                  PhiliaDropoutStream *stream,
                                  float                p);
void _philia_dropout_stream_relu (PhiliaDropoutStream *stream,
                                  float               *x,
                                  gsize                n,
                                  float                keep);

void _philia_relu_dropout_backward (PhiliaTape *tape,
                                    Node       *node);
void _philia_add_backward (PhiliaTape *tape,
                           Node       *node);

G_END_DECLS
