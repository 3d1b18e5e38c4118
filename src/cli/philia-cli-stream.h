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

G_END_DECLS
