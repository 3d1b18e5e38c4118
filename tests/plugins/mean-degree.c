/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The good test plugin: a graph measure computed from the CSR alone, through
 * nothing but the public plugin header. */
#include <math.h>

#include "philia-plugin.h"

static gboolean
mean_degree (PhiliaGraph   *graph,
             double        *out,
             gpointer       vtable_data,
             GCancellable  *cancellable,
             GError       **error)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *offsets = philia_graph_get_row_offsets (graph);

  /* Each undirected edge appears in two rows, so the CSR holds the degree sum. */
  out[0] = n > 0 ? (double)offsets[n] / n : NAN;
  return TRUE;
}

static const PhiliaMeasureVTable vtable = { PHILIA_MEASURE_GRAPH, mean_degree };

gboolean
philia_plugin_register (PhiliaRegistry  *registry,
                        const char      *provider,
                        GError         **error)
{
  const PhiliaAlgorithm algorithm = {
    "mean-degree", PHILIA_FAMILY_MEASURE, "Mean degree",
    "Average number of neighbours per node (2m / n).", provider, &vtable, NULL,
  };

  return philia_registry_add (registry, &algorithm, error);
}
