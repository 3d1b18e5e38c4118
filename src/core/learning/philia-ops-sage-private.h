/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* GraphSAGE's two layers over dense features narrower than its hidden
 * layer, as one hidden-layer op (philia-ops-sage.c). */

#include "philia-autograd.h"

G_BEGIN_DECLS

/* [@a; @b]: @b's rows under @a's (the same columns). Its gradient goes back
 * to each in the same split. */
PhiliaTensor *_philia_op_stack_rows (PhiliaTape   *tape,
                                     PhiliaTensor *a,
                                     PhiliaTensor *b);

/* Whether one product over [Wl | Wr] beats two for a layer from @in to
 * @out columns over @n rows (see philia-ops-sage.c). */
gboolean _philia_sage_concat_pays (double n,
                                   double in,
                                   double out);

/* mean (H Wl2) + H Wr2 + b2 with H = dropout (relu (mean (X) Wl1 + X Wr1 +
 * b1), @p): both layers of GraphSAGE for dense @x (its input dropout
 * already drawn), the hidden layer as _philia_op_hidden_product () over
 * [mean (X) | X] and [Wl1; Wr1]. The model's values within float rounding
 * (the products sum in another order), the same dropout draws. @wl, @wr
 * and @b are the two layers' parameters. */
PhiliaTensor *_philia_sage_dense_layers (PhiliaTape   *tape,
                                         PhiliaSparse *mean,
                                         PhiliaTensor *x,
                                         PhiliaTensor *const *wl,
                                         PhiliaTensor *const *wr,
                                         PhiliaTensor *const *b,
                                         float         p);

/* [mean (D) | D] with D = dropout (@x, @p) (@x takes no gradient): D
 * written into the right half and the mean gathered from there into the
 * left, without the separate D and mean (D) tensors and their copy. The
 * same dropout draws and the same values as concat (spmm (mean, D), D). */
PhiliaTensor *_philia_sage_stack_dropout (PhiliaTape   *tape,
                                          PhiliaSparse *mean,
                                          PhiliaTensor *x,
                                          float         p);

/* The same from @z = [mean (X) | X] already stacked (for a model that keeps
 * it across passes without input dropout). */
PhiliaTensor *_philia_sage_dense_layers_stacked (PhiliaTape          *tape,
                                                 PhiliaSparse        *mean,
                                                 PhiliaTensor        *z,
                                                 PhiliaTensor *const *wl,
                                                 PhiliaTensor *const *wr,
                                                 PhiliaTensor *const *b,
                                                 float                p);

/* mean (Y[:, :c]) + Y[:, c:] + @b for @y = X [Wl | Wr], [n, 2c] with c ≥ 8:
 * the halves read in place, the gradient written into @y's without copies
 * of either half. The values and gradients of the separate ops (columns,
 * spmm, two adds), bit for bit. @y's values are dropped. */
PhiliaTensor *_philia_op_sage_mean_add (PhiliaTape   *tape,
                                        PhiliaSparse *mean,
                                        PhiliaTensor *y,
                                        PhiliaTensor *b);

/* SAGE's first layer on sparse features, mean (@zl) + @zr + @b for two
 * [n, c] tensors, in two calls: _philia_sage_mean_of () makes mean (@zl)
 * (no tape node; @zl's values are dropped, so that @zr, made next, can take
 * its buffer), then _philia_op_sage_mean_add_pair () adds @zr and @b into
 * that @h in one pass and records the whole as one node, whose backward
 * pass gives @zr the output's gradient buffer instead of a copy. The values
 * and gradients of the separate ops (spmm, two additions), bit for bit.
 * @zr's values are dropped. */
PhiliaTensor *_philia_sage_mean_of          (PhiliaTape   *tape,
                                             PhiliaSparse *mean,
                                             PhiliaTensor *zl);

PhiliaTensor *_philia_op_sage_mean_add_pair (PhiliaTape   *tape,
                                             PhiliaSparse *mean,
                                             PhiliaTensor *zl,
                                             PhiliaTensor *h,
                                             PhiliaTensor *zr,
                                             PhiliaTensor *b);

G_END_DECLS
