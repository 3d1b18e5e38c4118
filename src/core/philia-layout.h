/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-graph.h"
#include "philia-progress.h"
#include "philia-registry.h"

G_BEGIN_DECLS

/**
 * PhiliaLayoutVTable:
 * @compute: writes 2 n coordinates (x0, y0, x1, y1, …) into @positions.
 *   Runs on a worker; reproducible for a given @seed; checks @cancellable.
 *
 * The vtable of a PHILIA_FAMILY_LAYOUT algorithm.
 */
typedef struct
{
  gboolean (*compute) (PhiliaGraph     *graph,
                       double          *positions,
                       guint64          seed,
                       PhiliaProgress  *progress,
                       gpointer         vtable_data,
                       GCancellable    *cancellable,
                       GError         **error);
} PhiliaLayoutVTable;

/* The layout a graph gets unless the user picks one: "multilevel" when its
 * largest component has 1,000 to 20,000 nodes and the mean degree is at
 * most 10 (sparse graphs, which FR crumples), else "fr". */
const char *philia_layout_default_algorithm (PhiliaGraph     *graph);

/* Above this many bytes, the UI and the CLI ask before running a layout. */
#define PHILIA_LAYOUT_MEMORY_WARN_BYTES (G_GUINT64_CONSTANT (1) << 30)

/* TRUE when @algorithm's memory grows with the square of the node count
 * (Kamada–Kawai's distance matrix), so that large graphs need a warning. */
gboolean    philia_layout_is_quadratic      (const char      *algorithm);

/* What @algorithm will allocate on @graph, in bytes, before it starts:
 * for "kk", 8 k² for the distance matrix of the largest component (k nodes)
 * plus the linear part; for the others a linear estimate (0 for an unknown
 * or plugin layout, which Philia cannot know). */
guint64     philia_layout_estimate_bytes    (PhiliaGraph     *graph,
                                             const char      *algorithm);

/* Runs the registered layout @algorithm ("fr", "kk", "drl", "multilevel",
 * "circle", "class-grouped", or a plugin's). Returns 2 n coordinates. */
double     *philia_layout_compute           (PhiliaGraph     *graph,
                                             const char      *algorithm,
                                             guint64          seed,
                                             PhiliaProgress  *progress,
                                             GCancellable    *cancellable,
                                             GError         **error);
void        philia_layout_compute_async     (PhiliaGraph         *graph,
                                             const char          *algorithm,
                                             guint64              seed,
                                             PhiliaProgress      *progress,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
double     *philia_layout_compute_finish    (GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
