/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "graph-test-util.h"

static PhiliaGraph *
graph_new (guint         n,
           const gint64 *rows,
           gsize         n_rows,
           const gint64 *labels,
           const float  *features,
           guint         n_features)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph;

  if (n_rows > 0)
    philia_graph_builder_take_edges (builder, g_memdup2 (rows, n_rows * 2 * sizeof (gint64)),
                                     n_rows);
  if (labels != NULL)
    philia_graph_builder_take_labels (builder, g_memdup2 (labels, n * sizeof (gint64)));
  if (features != NULL)
    philia_graph_builder_take_features (builder,
                                        g_memdup2 (features, sizeof (float) * n * n_features),
                                        n_features);
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  return graph;
}

PhiliaGraph *
test_graph_labelled (guint         n,
                     const gint64 *rows,
                     gsize         n_rows,
                     const gint64 *labels)
{
  return graph_new (n, rows, n_rows, labels, NULL, 0);
}

PhiliaGraph *
test_graph_with_features (guint         n,
                          const gint64 *rows,
                          gsize         n_rows,
                          const float  *features,
                          guint         n_features)
{
  return graph_new (n, rows, n_rows, NULL, features, n_features);
}

PhiliaGraph *
test_graph_from_rows (guint         n,
                      const gint64 *rows,
                      gsize         n_rows)
{
  return test_graph_labelled (n, rows, n_rows, NULL);
}
