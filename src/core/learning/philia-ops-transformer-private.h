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

/*
 * The same attention with queries, keys and values packed in one product
 * @qkv [R, 3·H·D] (columns q | k | v, the product with a concatenated
 * weight), read in place: no copies of the three blocks either way. With
 * @rows (n_seq·L values, borrowed), token i of sequence b reads row
 * @rows[b·L + i] of @qkv, so tokens that share a value share a row (and
 * its gradient sums theirs); NULL means R = n_seq·L rows in order. Equal to
 * philia_op_seq_attention () on the three blocks gathered by @rows.
 */
PhiliaTensor *philia_op_seq_attention_packed (PhiliaTape    *tape,
                                              PhiliaTensor  *qkv,
                                              const gint32  *rows,
                                              guint          n_seq,
                                              guint          seq_len,
                                              guint          heads,
                                              const guint   *lengths,
                                              PhiliaTensor **probs);

/*
 * The first tokens' attention with keys and values packed in @kv
 * [R, 2·H·D] (columns k | v), read through @rows as above; @q [B, H·D].
 */
PhiliaTensor *philia_op_seq_attention_first_packed (PhiliaTape    *tape,
                                                    PhiliaTensor  *q,
                                                    PhiliaTensor  *kv,
                                                    const gint32  *rows,
                                                    guint          seq_len,
                                                    guint          heads,
                                                    const guint   *lengths,
                                                    PhiliaTensor **probs);

/*
 * X W[:, @begin … @begin+@count−1] + b[@begin …]: philia_op_linear () on a
 * column block of @w and @b, read in place; the gradients go to that block.
 */
PhiliaTensor *philia_op_linear_columns (PhiliaTape   *tape,
                                        PhiliaTensor *x,
                                        PhiliaTensor *w,
                                        PhiliaTensor *b,
                                        guint         begin,
                                        guint         count);

/*
 * A residual branch in one op: @res[@res_rows] + dropout (X W + b, @p),
 * equal to philia_op_add (index_select (res, res_rows) or res,
 * philia_op_dropout (philia_op_linear (x, w, b), p)) with the same mask
 * draws, without the gathered, dropped and linear intermediates. @res_rows
 * (x->rows values, borrowed) may be NULL: @res has x's rows.
 */
PhiliaTensor *philia_op_linear_dropout_add (PhiliaTape   *tape,
                                            PhiliaTensor *x,
                                            PhiliaTensor *w,
                                            PhiliaTensor *b,
                                            float         p,
                                            PhiliaTensor *res,
                                            const gint32 *res_rows);

/* Whether each of the @n entries of @map (NULL: none) is a row below @rows. */
gboolean      _philia_map_ok          (const gint32 *map,
                                       gsize         n,
                                       guint         rows);

/* Mean over all elements of (@a − @target)², 1 × 1; @target is constant
 * (same shape, its data copied). */
PhiliaTensor *philia_op_mse           (PhiliaTape   *tape,
                                       PhiliaTensor *a,
                                       PhiliaTensor *target);

G_END_DECLS
