/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A graph's features kept as CSR when most of them are zero
 * (philia-graph-features.c): a bag-of-words matrix of 10^5 nodes and 1,500
 * words is 600 MB dense and 16 MB as CSR, and training multiplies it as CSR
 * anyway. The dense matrix is made only when something asks for it
 * (philia_graph_get_features ()). */

#include "philia-graph.h"

G_BEGIN_DECLS

/* Stored entries (nonzero bit patterns, so -0.0 is kept) below this share
 * of n × F make a graph keep its features as CSR; the same share as the
 * training's (SPARSE_FEATURE_DENSITY). */
#define PHILIA_GRAPH_SPARSE_FEATURES 0.10

/* CSR of the row-major @n × @f matrix @x when fewer than
 * PHILIA_GRAPH_SPARSE_FEATURES of its entries are stored, else FALSE and
 * nothing is allocated. Entries in column order within a row. */
gboolean _philia_features_to_csr   (const float   *x,
                                    guint          n,
                                    guint          f,
                                    gint64       **offsets,
                                    gint32       **columns,
                                    float        **values);

/* The dense row-major matrix of a CSR made by _philia_features_to_csr ():
 * the same bits as the matrix it was made from. */
float   *_philia_features_from_csr (const gint64  *offsets,
                                    const gint32  *columns,
                                    const float   *values,
                                    guint          n,
                                    guint          f);

/* @graph's features as CSR (borrowed, valid for @graph's life) when it keeps
 * them so, else FALSE. */
gboolean _philia_graph_get_sparse_features (PhiliaGraph   *graph,
                                            const gint64 **offsets,
                                            const gint32 **columns,
                                            const float  **values);

G_END_DECLS
