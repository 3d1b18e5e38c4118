/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-core.h"

G_BEGIN_DECLS

/* The parts of philia_csbm_generate() that the streamed writer
 * (philia-generate-stream.c) shares, so that both give a seed the same
 * labels, regions, features and splits. */
gboolean  _philia_csbm_check_params (const PhiliaCsbmParams  *params,
                                     GError                 **error);
GRand    *_philia_csbm_draw_labels  (const PhiliaCsbmParams  *params,
                                     gint64                  *labels,
                                     guint8                  *region);
float    *_philia_csbm_features     (const PhiliaCsbmParams  *params,
                                     const gint64            *labels);
void      _philia_csbm_masks        (const PhiliaCsbmParams  *params,
                                     guint8                  *masks[3]);

/* Writes a CSBM graph to @path without holding its edges: each pair of
 * nodes is an edge independently, with the probability of its pair of
 * classes (what the default draw gives on average), drawn in sorted order
 * by geometric skips, so rows go to the file as they come. The edge count
 * is random around n·d/2; the labels, features and splits are those of
 * philia_csbm_generate() for the same seed, the edges are not. @level 0
 * stores every member (readable in place and by slices), 1–9 deflates.
 * O(n·C + E) time, O(n·F) memory. */
gboolean  philia_csbm_write_streamed (const PhiliaCsbmParams *params,
                                      const char             *path,
                                      int                     level,
                                      gint64                 *n_edges,
                                      GCancellable           *cancellable,
                                      GError                **error);

G_END_DECLS
