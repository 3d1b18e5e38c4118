/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-autograd.h"

G_BEGIN_DECLS

/* The widest output _philia_op_linear_narrow () takes. */
#define PHILIA_NARROW_MAX 8

/* X W + b for W of at most PHILIA_NARROW_MAX columns (a linear model's
 * classes): each row of X read once forwards and once backwards, where
 * sgemm packs X into panels first (twice its bytes again) for a product too
 * narrow to reuse them. Sums in another order than sgemm: within float
 * rounding of philia_op_add (philia_op_matmul (x, w), b). */
PhiliaTensor *_philia_op_linear_narrow (PhiliaTape   *tape,
                                        PhiliaTensor *x,
                                        PhiliaTensor *w,
                                        PhiliaTensor *b);

G_END_DECLS
