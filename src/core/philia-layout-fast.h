/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <glib-object.h>

#include "philia-graph.h"

G_BEGIN_DECLS

/*
 * Layouts for graphs too large to wait for: a placement in O(k (n + m))
 * shown at once, then a refinement in steps that a worker runs while the
 * window draws what each step made. Neither calls igraph, so both run on
 * any thread; a PhiliaLayoutRefine belongs to one thread at a time.
 */

/* The id of the registered layout that places and then refines. */
#define PHILIA_LAYOUT_PROGRESSIVE "progressive"

/* Refinement steps the progressive layout plans by default. */
#define PHILIA_LAYOUT_REFINE_ITERATIONS 60

/* Whether @algorithm is the progressive layout, which the canvas runs live. */
gboolean            philia_layout_is_progressive        (const char          *algorithm);

/* Writes 2 n coordinates into @positions: each component's first two
 * non-trivial eigenvectors of the lazy random walk, by a few power
 * iterations from a seeded random start, packed on shelves. */
void                philia_layout_fast_place            (PhiliaGraph         *graph,
                                                         guint64              seed,
                                                         double              *positions);

/* Receives a rough placement (2 n coordinates, valid during the call). */
typedef void (*PhiliaLayoutDraftFunc) (const double *positions,
                                       gpointer      user_data);

/* The same, handing @draft rougher placements on the way (see the .c). */
void                philia_layout_fast_place_full       (PhiliaGraph         *graph,
                                                         guint64              seed,
                                                         double              *positions,
                                                         PhiliaLayoutDraftFunc draft,
                                                         gpointer             user_data);

typedef struct _PhiliaLayoutRefine PhiliaLayoutRefine;

/* A refinement of @positions (2 n, copied) in @n_iterations steps. */
PhiliaLayoutRefine *philia_layout_refine_new            (PhiliaGraph         *graph,
                                                         const double        *positions,
                                                         guint                n_iterations);
/* Runs one step; FALSE once all planned steps are done (then it does nothing). */
gboolean            philia_layout_refine_step           (PhiliaLayoutRefine  *self);
guint               philia_layout_refine_get_iteration  (PhiliaLayoutRefine  *self);
guint               philia_layout_refine_get_n_iterations (PhiliaLayoutRefine *self);
/* The positions after the steps run so far (2 n), valid until the next step. */
const double       *philia_layout_refine_get_positions  (PhiliaLayoutRefine  *self);
void                philia_layout_refine_free           (PhiliaLayoutRefine  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaLayoutRefine, philia_layout_refine_free)

G_END_DECLS
