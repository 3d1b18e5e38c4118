/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "document-test-util.h"

PhiliaGraph *
make_graph (gboolean labeled,
            gboolean names)
{
  static const gint64 rows[] = {
    0, 1, 1, 2, 2, 3, 3, 0, 0, 2, 4, 5, 5, 6, 4, 6, 3, 3, 1, 0,
  };
  static const gint64 labels[N] = { 0, 0, 1, 1, 0, -1, 1, -1 };
  g_autoptr (PhiliaGraphBuilder) builder = philia_graph_builder_new (N);
  g_autoptr (GError) error = NULL;
  float *x = g_new (float, 2 * N);
  guint8 *masks[3];
  PhiliaGraph *graph;

  philia_graph_builder_take_edges (builder, g_memdup2 (rows, sizeof rows),
                                   G_N_ELEMENTS (rows) / 2);
  if (labeled)
    {
      char **class_names = g_new0 (char *, 3);

      class_names[0] = g_strdup ("A");
      class_names[1] = g_strdup ("B");
      philia_graph_builder_take_labels (builder, g_memdup2 (labels, sizeof labels));
      philia_graph_builder_take_class_names (builder, class_names);
    }
  for (guint v = 0; v < N; v++)
    {
      x[2 * v] = v;
      x[2 * v + 1] = 10 + v;
    }
  philia_graph_builder_take_features (builder, x, 2);
  for (guint p = 0; p < 3; p++)
    masks[p] = g_new0 (guint8, N);
  for (guint v = 0; v < N; v++)
    masks[v < 3 ? 0 : v == 3 || v == 4 ? 1 : 2][v] = 1;
  philia_graph_builder_take_masks (builder, 1, masks[0], masks[1], masks[2]);
  if (names)
    {
      char **node_names = g_new0 (char *, N + 1);

      for (guint v = 0; v < N; v++)
        node_names[v] = g_strdup_printf ("n%u", v);
      philia_graph_builder_take_node_names (builder, node_names);
    }
  philia_graph_builder_set_source (builder, "toy.npz", "npz");
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 8);
  return graph;
}

double *
grid_positions (guint  n,
                double shift)
{
  double *xy = g_new (double, 2 * MAX (n, 1));

  for (guint v = 0; v < n; v++)
    {
      xy[2 * v] = v + shift;
      xy[2 * v + 1] = -(double)v * 0.5 + shift;
    }
  return xy;
}

PhiliaTrainResult *
fake_result (const char *model)
{
  PhiliaTrainResult *result = g_new0 (PhiliaTrainResult, 1);

  result->model = g_strdup (model);
  return result;
}
