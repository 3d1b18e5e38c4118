/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-graph.h"
#include "philia-registry.h"

G_BEGIN_DECLS

typedef enum
{
  PHILIA_MEASURE_GRAPH,   /* one value */
  PHILIA_MEASURE_NODE,    /* one value per node */
} PhiliaMeasureScope;

/**
 * PhiliaMeasureVTable:
 * @scope: what @compute fills
 * @compute: writes 1 (graph) or n (node) values into @out; NaN for undefined.
 *   Runs on a worker thread; check @cancellable in long loops.
 *
 * The vtable of a PHILIA_FAMILY_MEASURE algorithm.
 */
typedef struct
{
  PhiliaMeasureScope scope;
  gboolean (*compute) (PhiliaGraph   *graph,
                       double        *out,
                       gpointer       vtable_data,
                       GCancellable  *cancellable,
                       GError       **error);
} PhiliaMeasureVTable;

/* Runs a registered measure; returns its values (1 or n), or NULL with @error. */
double *philia_measure_compute (const PhiliaAlgorithm  *algorithm,
                                PhiliaGraph            *graph,
                                gsize                  *n_values,
                                GCancellable           *cancellable,
                                GError                **error);

G_END_DECLS
