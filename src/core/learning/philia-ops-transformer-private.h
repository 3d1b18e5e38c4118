/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The ops of the transformer model (philia-models-transformer.c): layer
 * norm, self-attention within fixed-length token sequences, and a squared
 * error for masked node modelling. Private to the learning library and its
 * tests until a plugin asks for them. */

#include "philia-autograd.h"

G_BEGIN_DECLS

/*
 * Row-wise layer norm: (x − mean) / √(var + @eps) ⊙ @gamma + @beta, the
 * variance the biased one (PyTorch's LayerNorm); @gamma and @beta [1, cols].
 */
PhiliaTensor *philia_op_layer_norm    (PhiliaTape   *tape,
                                       PhiliaTensor *x,
                                       PhiliaTensor *gamma,
                                       PhiliaTensor *beta,
                                       float         eps);

/*
 * Multi-head scaled dot-product self-attention inside sequences: @q, @k, @v
 * are [B·L, H·D], rows b·L … b·L+L−1 the L = @seq_len tokens of sequence b,
 * columns h·D … h·D+D−1 head h. Token i < @lengths[b] attends to the tokens
 * j < @lengths[b] of its own sequence with softmax_j (q_i·k_j / √D); rows at
 * or past the length come out zero and attend nowhere. @lengths (B values,
 * each 1 … L) is borrowed and must outlive the step. With @probs, *@probs is
 * set to a tape tensor [B·L, H·L] holding the probability token i of
 * sequence b puts on token j in head h at (b·L + i, h·L + j).
 */
PhiliaTensor *philia_op_seq_attention (PhiliaTape    *tape,
                                       PhiliaTensor  *q,
                                       PhiliaTensor  *k,
                                       PhiliaTensor  *v,
                                       guint          seq_len,
                                       guint          heads,
                                       const guint   *lengths,
                                       PhiliaTensor **probs);

/*
 * The same attention for the first token of each sequence alone (all a
 * classifier on that token needs): @q [B, H·D] holds those tokens' queries,
 * @k and @v [B·L, H·D] every token's keys and values; the output is [B, H·D]
 * and *@probs [B, H·L], equal to rows b·L of philia_op_seq_attention ()'s.
 */
PhiliaTensor *philia_op_seq_attention_first (PhiliaTape    *tape,
                                             PhiliaTensor  *q,
                                             PhiliaTensor  *k,
                                             PhiliaTensor  *v,
                                             guint          seq_len,
                                             guint          heads,
                                             const guint   *lengths,
                                             PhiliaTensor **probs);

/* Mean over all elements of (@a − @target)², 1 × 1; @target is constant
 * (same shape, its data copied). */
PhiliaTensor *philia_op_mse           (PhiliaTape   *tape,
                                       PhiliaTensor *a,
                                       PhiliaTensor *target);

G_END_DECLS
