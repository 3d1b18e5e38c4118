/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-autograd.h"

G_BEGIN_DECLS

/*
 * GAT's attention and aggregation in one op (philia-ops-gat.c): with
 * H = @src->cols heads of d = @wx->cols / H columns, per destination row v
 * of @s and per head h, the scores LeakyReLU_slope(dst[v][h] + src[u][h])
 * over the row's entries u, their softmax, attention dropout with
 * probability @p (training only) and out[v][h·d + k] = Σ_u α_vu,h wx[u][h·d + k].
 * The softmax weights (before dropout) are the ones philia_op_edge_attention
 * gives, bit for bit; *@alpha (may be NULL) receives them as a tape tensor
 * [nnz, H], for the attention views.
 */
PhiliaTensor *_philia_op_gat_attend (PhiliaTape    *tape,
                                     PhiliaSparse  *s,
                                     PhiliaTensor  *wx,
                                     PhiliaTensor  *src,
                                     PhiliaTensor  *dst,
                                     float          slope,
                                     float          p,
                                     PhiliaTensor **alpha);

/* Tests: FALSE sends every row through the general loops (the rows of one
 * head in lanes give their bits). */
extern gboolean _philia_gat_rows_in_lanes;
/* Tests: FALSE sends the eight-head source pass through its two separate
 * loops (the fused one gives their bits). */
extern gboolean _philia_gat_source_fused;
/* Tests: FALSE sends the shapes without a loop of their own (per-head
 * widths not a multiple of 8, head counts other than 8) through the scalar
 * loops (the vector ones give their bits). */
extern gboolean _philia_gat_rows_vector;
/* Whether @H heads of @d columns go in vectors: per-head widths without a
 * loop of their own, rows of three vectors or more (philia-ops-gat.c,
 * philia-ops-attention.c's head_dot). */
gboolean _philia_gat_vector_shape (guint H,
                                   guint d);

G_END_DECLS
