/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-cli-private.h"

G_BEGIN_DECLS

/* philia-cli-stream.c: stats --stream (graph-level statistics with the edge
 * list streamed from disk; under mpirun each rank reads its slice). */
int          cli_stats_stream          (const char *path,
                                        guint       bins);
/* Whether loading @path (an .npz) would need more memory than is free:
 * stats then streams without being asked. */
gboolean     cli_stream_would_not_fit  (const char *path);

/* philia-cli-stream-pairs.c: proximity --stream. Whether the heuristics of
 * @mask are all ones it scores (cn, jaccard, aa, ra, pa). */
gboolean     cli_stream_pairs_supports (guint        mask);
/* The scores of @mask for @pairs (ids below @n) from the edge member of
 * @npz, read in pieces; under mpirun each rank reads its slice, and every
 * rank gets every score. */
gboolean     cli_stream_score_pairs    (const char    *path,
                                        PhiliaNpz     *npz,
                                        guint          n,
                                        const gint64  *pairs,
                                        gsize          n_pairs,
                                        guint          mask,
                                        double        *out,
                                        GError       **error);

G_END_DECLS
