/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "graph-test-util.h"

PhiliaGraph *
test_graph_labelled (guint         n,
                     const gint64 *rows,
                     gsize         n_rows,
                     const gint64 *labels)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph;

  if (n_rows > 0)
    philia_graph_builder_take_edges (builder, g_memdup2 (rows, n_rows * 2 * sizeof (gint64)),
                                     n_rows);
  if (labels != NULL)
    philia_graph_builder_take_labels (builder, g_memdup2 (labels, n * sizeof (gint64)));
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  return graph;
}

PhiliaGraph *
test_graph_from_rows (guint         n,
                      const gint64 *rows,
                      gsize         n_rows)
{
  return test_graph_labelled (n, rows, n_rows, NULL);
}
