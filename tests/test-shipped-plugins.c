/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The plugins shipped in plugins/, loaded from the build tree through the
 * same loader as the app, checked against hand-computed small graphs and
 * numpy (tests/plugin-reference.h, from tests/data/plugin-reference.py).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "plugin-reference.h"

static PhiliaGraph *
build_graph (guint         n,
             const gint64 *edges,
             guint         n_edges,
             const gint64 *labels)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph;

  for (guint i = 0; i < n_edges; i++)
    philia_graph_builder_add_edge (builder, edges[2 * i], edges[2 * i + 1]);
  if (labels != NULL)
    philia_graph_builder_take_labels (builder, g_memdup2 (labels, sizeof (gint64) * n));
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  return graph;
}

static PhiliaGraph *
load_shared (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("PHILIA_SHARED_DATASETS"),
                                            name, NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  file = g_file_new_for_path (path);
  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return graph;
}

static const PhiliaAlgorithm *
lookup (PhiliaFamily  family,
        const char   *id)
{
  const PhiliaAlgorithm *algorithm = philia_registry_lookup (philia_registry_get_default (),
                                                             family, id);

  g_assert_nonnull (algorithm);
  /* Registered by its plugin, not built in. */
  g_assert_cmpstr (algorithm->provider, !=, "built-in");
  return algorithm;
}

static void
test_all_loaded (void)
{
  GPtrArray *infos = philia_plugins_load_default ();
  const char *expected[][2] = {
    { "aggregation-homophily", "measure" }, { "local-path-index", "proximity" },
    { "forceatlas2", "layout" }, { "fagcn", "model" },
  };

  for (guint e = 0; e < G_N_ELEMENTS (expected); e++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < infos->len; i++)
        {
          const PhiliaPluginInfo *info = infos->pdata[i];

          if (!g_str_equal (info->id, expected[e][0]))
            continue;
          found = TRUE;
          g_test_message ("%s: %s %s", info->id, philia_plugin_status_to_string (info->status),
                          info->reason ? info->reason : "");
          g_assert_cmpint (info->status, ==, PHILIA_PLUGIN_LOADED);
          g_assert_cmpstr (info->families[0], ==, expected[e][1]);
          g_assert_cmpint (info->abi, ==, 1);
        }
      g_assert_true (found);
    }
}

/* ---------------------------------------------------- aggregation homophily */

static double
measure (PhiliaGraph *graph)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *values = NULL;
  gsize n_values = 0;

  values = philia_measure_compute (lookup (PHILIA_FAMILY_MEASURE, "aggregation-homophily"),
                                   graph, &n_values, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_values, ==, 1);
  return values[0];
}

static void
test_aggregation_small (void)
{
  /* Path 0-1-2 labelled 0, 0, 1. Z = D̂⁻¹(A+I)Y: Z0 = (1, 0), Z1 = (2/3, 1/3),
   * Z2 = (1/2, 1/2); class means M0 = (5/6, 1/6), M1 = (1/2, 1/2).
   * v0: 5/6 ≥ 1/2; v1: 11/18 ≥ 1/2; v2: Z2·M1 = 1/2 = Z2·M0, a tie that
   * counts. So H_agg = 3/3. */
  const gint64 path[] = { 0, 1, 1, 2 };
  const gint64 path_labels[] = { 0, 0, 1 };
  /* 8 nodes: a class-0 hub among class-1 nodes, a class-0 pair, an unlabeled
   * node 6 on the hub and an isolated class-1 node 7. numpy (the dense
   * definition, tests/data/plugin-reference.py's function): 6/7. */
  const gint64 mixed[] = { 0, 1, 0, 2, 0, 3, 4, 5, 1, 2, 6, 0 };
  const gint64 mixed_labels[] = { 0, 1, 1, 1, 0, 0, -1, 1 };
  const gint64 one_class[] = { 0, 0, 0 };
  g_autoptr(PhiliaGraph) g1 = build_graph (3, path, 2, path_labels);
  g_autoptr(PhiliaGraph) g2 = build_graph (8, mixed, 6, mixed_labels);
  g_autoptr(PhiliaGraph) g3 = build_graph (3, path, 2, one_class);
  g_autoptr(PhiliaGraph) g4 = build_graph (3, path, 2, NULL);
  g_autoptr(PhiliaGraph) g5 = build_graph (1, NULL, 0, one_class);

  g_assert_cmpfloat_with_epsilon (measure (g1), 1.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (measure (g2), 6.0 / 7.0, 1e-15);
  /* Undefined with one class, without labels, on a single node. */
  g_assert_true (isnan (measure (g3)));
  g_assert_true (isnan (measure (g4)));
  g_assert_true (isnan (measure (g5)));
}

static void
test_aggregation_datasets (void)
{
  guint checked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (agg_reference); i++)
    {
      g_autofree char *file = g_strconcat (agg_reference[i].name, ".npz", NULL);
      g_autoptr(PhiliaGraph) graph = load_shared (file);
      double value;

      if (graph == NULL)
        continue;
      value = measure (graph);
      g_test_message ("%s: H_agg %.6f (numpy %.6f)", agg_reference[i].name, value,
                      agg_reference[i].aggregation_homophily);
      g_assert_cmpfloat_with_epsilon (value, agg_reference[i].aggregation_homophily, 1e-12);
      checked++;
    }
  if (checked == 0)
    g_test_skip ("no shared datasets");
}

/* ------------------------------------------------------- local path index */

static void
score (PhiliaGraph  *graph,
       const gint64 *pairs,
       gsize         n_pairs,
       double       *out)
{
  PhiliaProximityParams params;
  g_autoptr(GError) error = NULL;

  philia_proximity_params_init_default (&params);
  g_assert_true (philia_proximity_compute (lookup (PHILIA_FAMILY_PROXIMITY, "lpi"), graph,
                                           &params, pairs, n_pairs, out, NULL, &error));
  g_assert_no_error (error);
}

static void
test_lpi_small (void)
{
  /* Path 0-1-2-3 plus isolated 4. A²: (0,2) = 1, (0,0) = d(0) = 1,
   * (1,1) = 2. A³: (0,3) = 1, (0,1) = 2 (0-1-0-1, 0-1-2-1). */
  const gint64 edges[] = { 0, 1, 1, 2, 2, 3 };
  const gint64 pairs[] = { 0, 2, 0, 3, 0, 0, 1, 1, 0, 1, 2, 0, 4, 0, 4, 4 };
  const double expected[] = { 1, 0.01, 1, 2, 0.02, 1, 0, 0 };
  const gint64 bad[] = { 0, 5 };
  g_autoptr(PhiliaGraph) graph = build_graph (5, edges, 3, NULL);
  double out[G_N_ELEMENTS (expected)];
  PhiliaProximityParams params;
  g_autoptr(GError) error = NULL;

  score (graph, pairs, G_N_ELEMENTS (expected), out);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpfloat_with_epsilon (out[i], expected[i], 1e-15);

  philia_proximity_params_init_default (&params);
  g_assert_false (philia_proximity_compute (lookup (PHILIA_FAMILY_PROXIMITY, "lpi"), graph,
                                            &params, bad, 1, out, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_test_message ("%s", error->message);
  /* No pairs: nothing to do, no error. */
  score (graph, NULL, 0, out);
}

static void
test_lpi_datasets (void)
{
  guint checked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (lpi_reference); i++)
    {
      g_autofree char *file = g_strconcat (lpi_reference[i].name, ".npz", NULL);
      g_autoptr(PhiliaGraph) graph = load_shared (file);
      gint64 pairs[2 * LPI_N_PAIRS];
      double out[LPI_N_PAIRS];
      guint positive = 0;

      if (graph == NULL)
        continue;
      for (guint k = 0; k < 2 * LPI_N_PAIRS; k++)
        pairs[k] = lpi_reference[i].pairs[k];
      score (graph, pairs, LPI_N_PAIRS, out);
      for (guint k = 0; k < LPI_N_PAIRS; k++)
        {
          g_assert_cmpfloat_with_epsilon (out[k], lpi_reference[i].lpi[k],
                                          1e-9 * MAX (1.0, lpi_reference[i].lpi[k]));
          positive += out[k] > 0;
        }
      g_assert_cmpuint (positive, >, LPI_N_PAIRS / 4);
      checked++;
    }
  if (checked == 0)
    g_test_skip ("no shared datasets");
}

/* ------------------------------------------------------------ ForceAtlas2 */

/* Two disjoint components of 60 nodes: a ring with chords each. */
static PhiliaGraph *
two_components (void)
{
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint c = 0; c < 2; c++)
    for (guint i = 0; i < 60; i++)
      {
        gint64 e[] = { 60 * c + i, 60 * c + (i + 1) % 60, 60 * c + i, 60 * c + (i * 7 + 3) % 60 };

        g_array_append_vals (edges, e, 4);
      }
  return build_graph (120, (const gint64 *)edges->data, edges->len / 2, NULL);
}

static double *
fa2 (PhiliaGraph  *graph,
     guint64       seed,
     GCancellable *cancellable,
     GError      **error)
{
  lookup (PHILIA_FAMILY_LAYOUT, "forceatlas2");
  return philia_layout_compute (graph, "forceatlas2", seed, NULL, cancellable, error);
}

static double
dist (const double *xy,
      guint         u,
      guint         v)
{
  return hypot (xy[2 * u] - xy[2 * v], xy[2 * u + 1] - xy[2 * v + 1]);
}

static void
test_forceatlas2 (void)
{
  g_autoptr(PhiliaGraph) graph = two_components ();
  g_autoptr(GError) error = NULL;
  g_autofree double *a = fa2 (graph, 3, NULL, &error);
  g_autofree double *b = fa2 (graph, 3, NULL, &error);
  g_autofree double *c = fa2 (graph, 4, NULL, &error);
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *offsets = philia_graph_get_row_offsets (graph);
  const gint32 *neighbors = philia_graph_get_neighbors (graph);
  double edge_sum = 0, random_sum = 0, centroid[2][2] = { { 0 } };
  gint64 n_edges = 0;
  PhiliaRng rng;

  g_assert_no_error (error);
  /* Reproducible for a seed, different for another. */
  g_assert_cmpmem (a, sizeof (double) * 2 * n, b, sizeof (double) * 2 * n);
  g_assert_true (memcmp (a, c, sizeof (double) * 2 * n) != 0);

  for (guint v = 0; v < 2 * n; v++)
    g_assert_true (isfinite (a[v]));

  /* Linked nodes end much closer than random pairs. */
  for (guint v = 0; v < n; v++)
    for (gint64 e = offsets[v]; e < offsets[v + 1]; e++)
      {
        edge_sum += dist (a, v, (guint)neighbors[e]);
        n_edges++;
      }
  philia_rng_init (&rng, 1);
  for (guint k = 0; k < 2000; k++)
    random_sum += dist (a, philia_rng_below (&rng, n), philia_rng_below (&rng, n));
  g_test_message ("mean edge length %.3f, mean random-pair distance %.3f",
                  edge_sum / n_edges, random_sum / 2000);
  g_assert_cmpfloat (edge_sum / n_edges, <, 0.5 * random_sum / 2000);

  /* The two components are separated: every node is nearer its own
   * component's centroid than the other's. */
  for (guint v = 0; v < n; v++)
    {
      centroid[v / 60][0] += a[2 * v] / 60;
      centroid[v / 60][1] += a[2 * v + 1] / 60;
    }
  for (guint v = 0; v < n; v++)
    {
      guint own = v / 60;
      double d_own = hypot (a[2 * v] - centroid[own][0], a[2 * v + 1] - centroid[own][1]);
      double d_other = hypot (a[2 * v] - centroid[1 - own][0],
                              a[2 * v + 1] - centroid[1 - own][1]);

      g_assert_cmpfloat (d_own, <, d_other);
    }
}

static void
test_forceatlas2_edge_cases (void)
{
  g_autoptr(PhiliaGraph) graph = two_components ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree double *xy = NULL;
  const gint64 loops[] = { 0, 1, 0, 1, 1, 1 };   /* duplicate edge and a self-loop */
  g_autoptr(PhiliaGraph) small = build_graph (3, loops, 3, NULL);
  g_autoptr(PhiliaGraph) single = build_graph (1, NULL, 0, NULL);
  g_autoptr(PhiliaProgress) progress = philia_progress_new ();

  g_cancellable_cancel (cancellable);
  xy = fa2 (graph, 0, cancellable, &error);
  g_assert_null (xy);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  xy = philia_layout_compute (small, "forceatlas2", 0, progress, NULL, &error);
  g_assert_no_error (error);
  for (guint v = 0; v < 6; v++)
    g_assert_true (isfinite (xy[v]));
  g_assert_cmpfloat (philia_progress_get_fraction (progress), ==, 1.0);
  g_clear_pointer (&xy, g_free);

  xy = philia_layout_compute (single, "forceatlas2", 0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (isfinite (xy[0]) && isfinite (xy[1]));
}

/* ------------------------------------------------------------------ FAGCN */

static void
check_fagcn (const char *dataset,
             double      min_mean_accuracy)
{
  g_autoptr(PhiliaGraph) graph = load_shared (dataset);
  PhiliaTrainParams params;
  double sum = 0;
  const guint n_seeds = 2;

  if (graph == NULL)
    {
      g_test_skip ("no shared datasets");
      return;
    }
  lookup (PHILIA_FAMILY_MODEL, "fagcn");
  philia_train_params_init (&params);
  for (guint seed = 0; seed < n_seeds; seed++)
    {
      g_autoptr(GError) error = NULL;
      params.seed = seed;
      params.n_threads = 2;
      g_autoptr(PhiliaTrainResult) result = philia_train (graph, "fagcn", &params,
                                                          NULL, NULL, NULL, NULL, &error);
      guint n = philia_graph_get_n_nodes (graph);
      gint64 two_m = philia_graph_get_row_offsets (graph)[n];
      guint negative = 0;

      g_assert_no_error (error);
      g_test_message ("%s seed %u: test accuracy %.4f (best epoch %u)", dataset, seed,
                      result->test_accuracy, result->best_epoch);
      sum += result->test_accuracy;

      /* Resolved defaults: the paper's settings. */
      g_assert_cmpint (result->params.hidden, ==, 64);
      g_assert_cmpfloat (result->params.alpha, ==, 0.3);
      g_assert_cmpint (result->params.k, ==, 2);

      /* One attention layer per FAGCN layer, coefficients in [−1, 1], the
       * self entry 0 (FAGCN aggregates neighbours only). */
      g_assert_cmpuint (result->attention->len, ==, 2);
      for (guint l = 0; l < result->attention->len; l++)
        {
          const PhiliaAttention *att = &g_array_index (result->attention, PhiliaAttention, l);

          g_assert_cmpuint (att->layer, ==, l);
          g_assert_cmpuint (att->heads, ==, 1);
          for (gint64 e = 0; e < two_m; e++)
            {
              /* tanh saturates to ±1 in float */
              g_assert_true (att->edges[e] >= -1 && att->edges[e] <= 1);
              negative += att->edges[e] < 0;
            }
          for (guint v = 0; v < n; v++)
            g_assert_cmpfloat (att->self[v], ==, 0);
        }
      g_test_message ("%s seed %u: %u of %" G_GINT64_FORMAT " edge coefficients negative",
                      dataset, seed, negative, (gint64)result->attention->len * two_m);
    }
  g_test_message ("%s: mean test accuracy %.4f over %u seeds of split 0", dataset,
                  sum / n_seeds, n_seeds);
  g_assert_cmpfloat (sum / n_seeds, >=, min_mean_accuracy);
}

static void
test_fagcn_cora (void)
{
  check_fagcn ("cora.npz", 0.78);
}

static void
test_fagcn_chameleon (void)
{
  check_fagcn ("chameleon.npz", 0.45);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  /* The build tree's plugins/, through the default search path like the app. */
  g_setenv ("PHILIA_PLUGIN_PATH", g_getenv ("PHILIA_SHIPPED_PLUGIN_DIR"), TRUE);
  philia_plugins_load_default ();

  g_test_add_func ("/Philia/ShippedPlugins/all-loaded", test_all_loaded);
  g_test_add_func ("/Philia/ShippedPlugins/aggregation-homophily/small",
                   test_aggregation_small);
  g_test_add_func ("/Philia/ShippedPlugins/aggregation-homophily/datasets",
                   test_aggregation_datasets);
  g_test_add_func ("/Philia/ShippedPlugins/lpi/small", test_lpi_small);
  g_test_add_func ("/Philia/ShippedPlugins/lpi/datasets", test_lpi_datasets);
  g_test_add_func ("/Philia/ShippedPlugins/forceatlas2", test_forceatlas2);
  g_test_add_func ("/Philia/ShippedPlugins/forceatlas2/edge-cases", test_forceatlas2_edge_cases);
  g_test_add_func ("/Philia/ShippedPlugins/fagcn/cora", test_fagcn_cora);
  g_test_add_func ("/Philia/ShippedPlugins/fagcn/chameleon", test_fagcn_chameleon);
  return g_test_run ();
}
