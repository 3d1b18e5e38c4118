/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "philia-core.h"

static PhiliaGraph *
generate (const PhiliaCsbmParams *params)
{
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph = philia_csbm_generate (params, NULL, &error);

  g_assert_no_error (error);
  return graph;
}

/* The bar: realised edge homophily within ±0.02 of the target for
 * n ≥ 2000, across the whole range and several seeds. */
static void
test_target_homophily (void)
{
  const double targets[] = { 0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0 };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    for (guint64 seed = 1; seed <= 3; seed++)
      {
        PhiliaCsbmParams p;
        g_autoptr(PhiliaGraph) graph = NULL;
        g_autoptr(PhiliaHomophily) h = NULL;

        philia_csbm_params_init_default (&p);
        p.n_nodes = 2000;
        p.homophily = targets[i];
        p.n_features = 0;
        p.seed = seed;
        graph = generate (&p);
        h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 0, NULL, NULL);
        g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 10000);
        g_assert_cmpint (philia_graph_get_sanity_report (graph)->self_loops, ==, 0);
        g_assert_cmpfloat_with_epsilon (h->edge_homophily, targets[i], 0.02);
      }
}

static void
test_balanced_and_splits (void)
{
  PhiliaCsbmParams p;
  g_autoptr(PhiliaGraph) graph = NULL;
  gint64 train, val, test;

  philia_csbm_params_init_default (&p);
  p.n_nodes = 1003;
  p.n_classes = 4;
  graph = generate (&p);
  for (guint k = 0; k < 4; k++)
    {
      gint64 size = philia_graph_get_class_sizes (graph)[k];

      g_assert_true (size == 250 || size == 251);
    }
  g_assert_cmpuint (philia_graph_get_n_splits (graph), ==, 10);
  philia_graph_get_split_sizes (graph, 3, &train, &val, &test);
  g_assert_cmpint (train + val + test, ==, 1003);
  g_assert_cmpint (train, ==, 602);
}

static void
test_reproducible (void)
{
  PhiliaCsbmParams p;
  g_autoptr(PhiliaGraph) a = NULL;
  g_autoptr(PhiliaGraph) b = NULL;
  g_autoptr(PhiliaGraph) c = NULL;
  gint64 m;

  philia_csbm_params_init_default (&p);
  p.n_nodes = 500;
  p.seed = 7;
  a = generate (&p);
  b = generate (&p);
  p.seed = 8;
  c = generate (&p);
  m = philia_graph_get_n_edges (a);
  g_assert_cmpint (m, ==, philia_graph_get_n_edges (b));
  g_assert_cmpmem (philia_graph_get_neighbors (a), 2 * m * 4, philia_graph_get_neighbors (b),
                   2 * m * 4);
  g_assert_cmpmem (philia_graph_get_features (a), 500 * 32 * 4,
                   philia_graph_get_features (b), 500 * 32 * 4);
  g_assert_true (memcmp (philia_graph_get_neighbors (a), philia_graph_get_neighbors (c),
                         2 * m * 4) != 0);
}

/* Mixed mode: the heterophilous region's nodes have low local homophily, the
 * rest high, so the local-homophily distribution is bimodal. */
static void
test_mixed_regions (void)
{
  PhiliaCsbmParams p;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaHomophily) h = NULL;
  guint low = 0, high = 0, n;

  philia_csbm_params_init_default (&p);
  p.n_nodes = 4000;
  p.homophily = 0.9;
  p.heterophilous_fraction = 0.3;
  p.heterophilous_homophily = 0.1;
  p.degree = 20;
  p.n_features = 0;
  graph = generate (&p);
  h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 0, NULL, NULL);
  n = philia_graph_get_n_nodes (graph);
  for (guint v = 0; v < n; v++)
    {
      low += h->local_homophily[v] < 0.4;
      high += h->local_homophily[v] > 0.6;
    }
  /* 1200 nodes are heterophilous, 2800 homophilous; few fall in between. */
  g_assert_cmpuint (low, >, 1100);
  g_assert_cmpuint (low, <, 1300);
  g_assert_cmpuint (high, >, 2700);
  g_assert_cmpfloat_with_epsilon (h->edge_homophily, 0.7 * 0.9 + 0.3 * 0.1, 0.02);
}

/* Class means sit at pairwise distance `signal`; the noise has unit variance. */
static void
test_features (void)
{
  PhiliaCsbmParams p;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autofree double *mean = NULL;
  const float *x;
  const gint32 *y;
  double dist = 0, var = 0;
  guint f = 16, n = 6000;

  philia_csbm_params_init_default (&p);
  p.n_nodes = n;
  p.n_classes = 3;
  p.n_features = f;
  p.signal = 3.0;
  graph = generate (&p);
  x = philia_graph_get_features (graph);
  y = philia_graph_get_labels (graph);
  mean = g_new0 (double, 3 * f);
  for (guint v = 0; v < n; v++)
    for (guint j = 0; j < f; j++)
      mean[y[v] * f + j] += x[v * f + j] / (n / 3.0);
  for (guint j = 0; j < f; j++)
    dist += (mean[j] - mean[f + j]) * (mean[j] - mean[f + j]);
  for (guint v = 0; v < n; v++)
    var += (x[v * f + 5] - mean[y[v] * f + 5]) * (x[v * f + 5] - mean[y[v] * f + 5]) / n;
  g_assert_cmpfloat_with_epsilon (sqrt (dist), 3.0, 0.15);
  g_assert_cmpfloat_with_epsilon (var, 1.0, 0.08);
}

static void
test_bad_params (void)
{
  PhiliaCsbmParams p;
  g_autoptr(GError) error = NULL;

  philia_csbm_params_init_default (&p);
  p.n_classes = 1;
  p.homophily = 0.5;
  g_assert_null (philia_csbm_generate (&p, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
  g_assert_nonnull (strstr (error->message, "one class"));
  g_clear_error (&error);

  philia_csbm_params_init_default (&p);
  p.homophily = 1.5;
  g_assert_null (philia_csbm_generate (&p, NULL, &error));
  g_assert_nonnull (strstr (error->message, "--homophily"));
  g_clear_error (&error);

  philia_csbm_params_init_default (&p);
  p.n_nodes = 10;
  p.degree = 9.5;
  g_assert_null (philia_csbm_generate (&p, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
  g_clear_error (&error);

  philia_csbm_params_init_default (&p);
  p.degree = NAN;
  g_assert_null (philia_csbm_generate (&p, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
}

static void
test_npz_round_trip (void)
{
  PhiliaCsbmParams p;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaGraph) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-gen-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "csbm.npz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  guint n;

  philia_csbm_params_init_default (&p);
  p.n_nodes = 300;
  graph = generate (&p);
  g_assert_true (philia_graph_write_npz (graph, path, &error));
  g_assert_no_error (error);
  back = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  n = philia_graph_get_n_nodes (graph);
  g_assert_cmpuint (philia_graph_get_n_nodes (back), ==, n);
  g_assert_cmpint (philia_graph_get_n_edges (back), ==, philia_graph_get_n_edges (graph));
  g_assert_cmpint (philia_graph_get_sanity_report (back)->reciprocal_pairs, ==, 0);
  g_assert_cmpmem (philia_graph_get_neighbors (back), philia_graph_get_n_edges (graph) * 8,
                   philia_graph_get_neighbors (graph), philia_graph_get_n_edges (graph) * 8);
  g_assert_cmpmem (philia_graph_get_labels (back), n * 4, philia_graph_get_labels (graph), n * 4);
  g_assert_cmpmem (philia_graph_get_features (back), n * 32 * 4,
                   philia_graph_get_features (graph), n * 32 * 4);
  g_assert_cmpmem (philia_graph_get_split_mask (back, 9, PHILIA_SPLIT_TEST), n,
                   philia_graph_get_split_mask (graph, 9, PHILIA_SPLIT_TEST), n);
  g_unlink (path);
  g_rmdir (dir);
}

/* Class names survive .npz (as numpy's '<U n' text), e.g. Zachary's clubs. */
static void
test_npz_class_names (void)
{
  g_autofree char *karate = g_test_build_filename (G_TEST_DIST, "data", "import", "karate.graphml",
                                                   NULL);
  g_autoptr(GFile) in = g_file_new_for_path (karate);
  g_autofree char *dir = g_dir_make_tmp ("philia-gen-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "karate.npz", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = philia_graph_load (in, NULL, NULL, NULL, &error);
  g_autoptr(PhiliaGraph) back = NULL;

  g_assert_no_error (error);
  g_assert_true (philia_graph_write_npz (graph, path, &error));
  back = philia_graph_load (out, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (philia_graph_has_class_names (back));
  g_assert_cmpstr (philia_graph_get_class_name (back, 0), ==, "Mr. Hi");
  g_assert_cmpstr (philia_graph_get_class_name (back, 1), ==, "Officer");
  g_assert_cmpmem (philia_graph_get_labels (back), 34 * 4, philia_graph_get_labels (graph), 34 * 4);
  /* Node names too: the file's ids n0 … n33, in node order. */
  g_assert_true (philia_graph_has_node_names (back));
  for (guint v = 0; v < 34; v++)
    {
      g_autofree char *id = g_strdup_printf ("n%u", v);

      g_assert_cmpstr (philia_graph_get_node_name (graph, v), ==, id);
      g_assert_cmpstr (philia_graph_get_node_name (back, v), ==, id);
    }
  g_assert_cmpint (philia_graph_find_node (back, "n33"), ==, 33);
  g_unlink (path);
  g_rmdir (dir);
}

/* Names of any length and script come back as written; a graph without
 * names gets no node_names member and comes back without names. */
static void
test_npz_node_names (void)
{
  static const char *node_names[] = { "Zoë", "李雷", "a b", "x", "ünïcödé-with-a-long-name" };
  static const char *class_names[] = { "théorie", "B" };
  const gint64 pairs[] = { 0, 1, 1, 2, 2, 3, 0, 4 };
  const gint64 labels[] = { 0, 1, -1, 0, 1 };
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (5);
  g_autofree char *dir = g_dir_make_tmp ("philia-gen-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "names.npz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaGraph) back = NULL;
  g_autoptr(PhiliaGraph) unnamed = NULL;
  g_autoptr(PhiliaGraph) unnamed_back = NULL;

  philia_graph_builder_take_edges (builder, g_memdup2 (pairs, sizeof pairs), 4);
  philia_graph_builder_take_labels (builder, g_memdup2 (labels, sizeof labels));
  philia_graph_builder_take_node_names (builder, g_strdupv ((char **) node_names));
  philia_graph_builder_take_class_names (builder, g_strdupv ((char **) class_names));
  philia_graph_builder_set_source (builder, "names", "test");
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);

  g_assert_true (philia_graph_write_npz (graph, path, &error));
  g_assert_no_error (error);
  back = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint v = 0; v < 5; v++)
    g_assert_cmpstr (philia_graph_get_node_name (back, v), ==, node_names[v]);
  g_assert_cmpstr (philia_graph_get_class_name (back, 0), ==, "théorie");
  g_assert_cmpstr (philia_graph_get_class_name (back, 1), ==, "B");
  g_assert_cmpmem (philia_graph_get_labels (back), 5 * 4, philia_graph_get_labels (graph), 5 * 4);

  /* CSBM graphs have no names: none are invented on the way back. */
  {
    PhiliaCsbmParams p;

    philia_csbm_params_init_default (&p);
    p.n_nodes = 100;
    unnamed = generate (&p);
  }
  g_assert_false (philia_graph_has_node_names (unnamed));
  g_assert_true (philia_graph_write_npz (unnamed, path, &error));
  unnamed_back = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (philia_graph_has_node_names (unnamed_back));
  g_assert_false (philia_graph_has_class_names (unnamed_back));
  g_unlink (path);
  g_rmdir (dir);
}

/* A text array of @n strings, as numpy writes np.array([...]). */
static PhiliaArray *
text_array (const char * const *strings,
            guint               n)
{
  PhiliaArray *a = g_new0 (PhiliaArray, 1);
  glong width = 1;

  for (guint i = 0; i < n; i++)
    width = MAX (width, g_utf8_strlen (strings[i], -1));
  *a = (PhiliaArray) { PHILIA_DTYPE_UNICODE, 1, { n }, n, g_malloc0 (MAX (n * 4 * width, 1)),
                       4 * width };
  for (guint i = 0; i < n; i++)
    {
      glong len = 0;
      g_autofree gunichar *chars = g_utf8_to_ucs4_fast (strings[i], -1, &len);

      memcpy ((guint8 *) a->data + i * 4 * width, chars, 4 * len);
    }
  return a;
}

/* A two-node graph whose node_names member is @names. */
static void
assert_bad_node_names (PhiliaArray *names,
                       const char  *message)
{
  g_autofree char *dir = g_dir_make_tmp ("philia-gen-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad-names.npz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  gint64 edges[] = { 0, 1 }, labels[] = { 0, 1 };
  PhiliaArray e = { PHILIA_DTYPE_INT64, 2, { 1, 2 }, 2, edges, 8 };
  PhiliaArray y = { PHILIA_DTYPE_INT64, 1, { 2 }, 2, labels, 8 };
  const char *members[] = { "edges", "node_labels", "node_names", NULL };
  PhiliaArray *arrays[] = { &e, &y, names, NULL };

  g_assert_true (philia_npz_write (path, members, arrays, &error));
  g_assert_no_error (error);
  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_null (graph);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "bad-names.npz"));
  if (strstr (error->message, message) == NULL)
    g_error ("“%s” not in “%s”", message, error->message);
  g_unlink (path);
  g_rmdir (dir);
  philia_array_free (names);
}

static void
test_npz_bad_node_names (void)
{
  static const char *one[] = { "a" };
  static const char *twice[] = { "a", "a" };
  PhiliaArray *numbers = g_new0 (PhiliaArray, 1);

  assert_bad_node_names (text_array (one, 1),
                         "member “node_names.npy” has 1 names, but the graph has 2 nodes");
  assert_bad_node_names (text_array (twice, 2), "the node name “a” is used twice");
  *numbers = (PhiliaArray) { PHILIA_DTYPE_INT64, 1, { 2 }, 2, g_new0 (gint64, 2), 8 };
  assert_bad_node_names (numbers, "“node_names.npy” must be a 1-D array of strings");
}

static void
async_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static PhiliaGraph *
generate_async (const PhiliaCsbmParams  *params,
                PhiliaProgress          *progress,
                GCancellable            *cancellable,
                GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  philia_csbm_generate_async (params, progress, cancellable, async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return philia_csbm_generate_finish (result, error);
}

/* The async pair builds, edge for edge, what the sync function builds from
 * the same parameters; refusals and cancellation come back through finish. */
static void
test_async (void)
{
  PhiliaCsbmParams p;
  g_autoptr(PhiliaProgress) progress = philia_progress_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PhiliaGraph) sync = NULL;
  g_autoptr(PhiliaGraph) async = NULL;
  g_autoptr(PhiliaGraph) none = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  philia_csbm_params_init_default (&p);
  p.n_nodes = 300;
  p.n_features = 4;
  p.seed = 17;
  sync = generate (&p);
  async = generate_async (&p, progress, NULL, &error);
  g_assert_no_error (error);
  n = philia_graph_get_n_nodes (sync);
  g_assert_cmpuint (philia_graph_get_n_nodes (async), ==, n);
  g_assert_cmpint (philia_graph_get_n_edges (async), ==, philia_graph_get_n_edges (sync));
  g_assert_cmpmem (philia_graph_get_row_offsets (async), (n + 1) * sizeof (gint64),
                   philia_graph_get_row_offsets (sync), (n + 1) * sizeof (gint64));
  g_assert_cmpmem (philia_graph_get_neighbors (async),
                   philia_graph_get_row_offsets (async)[n] * sizeof (gint32),
                   philia_graph_get_neighbors (sync),
                   philia_graph_get_row_offsets (sync)[n] * sizeof (gint32));
  g_assert_cmpmem (philia_graph_get_labels (async), n * sizeof (gint32),
                   philia_graph_get_labels (sync), n * sizeof (gint32));
  g_assert_cmpmem (philia_graph_get_features (async), n * 4 * sizeof (float),
                   philia_graph_get_features (sync), n * 4 * sizeof (float));
  g_assert_cmpfloat (philia_progress_get_fraction (progress), ==, 1.0);

  p.homophily = 1.5;
  none = generate_async (&p, NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
  g_assert_nonnull (strstr (error->message, "--homophily"));
  g_clear_error (&error);

  philia_csbm_params_init_default (&p);
  g_cancellable_cancel (cancellable);
  none = generate_async (&p, NULL, cancellable, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/Philia/Generate/target-homophily", test_target_homophily);
  g_test_add_func ("/Philia/Generate/balanced-and-splits", test_balanced_and_splits);
  g_test_add_func ("/Philia/Generate/reproducible", test_reproducible);
  g_test_add_func ("/Philia/Generate/mixed-regions", test_mixed_regions);
  g_test_add_func ("/Philia/Generate/features", test_features);
  g_test_add_func ("/Philia/Generate/bad-params", test_bad_params);
  g_test_add_func ("/Philia/Generate/async", test_async);
  g_test_add_func ("/Philia/Generate/npz-round-trip", test_npz_round_trip);
  g_test_add_func ("/Philia/Generate/npz-class-names", test_npz_class_names);
  g_test_add_func ("/Philia/Generate/npz-node-names", test_npz_node_names);
  g_test_add_func ("/Philia/Generate/npz-bad-node-names", test_npz_bad_node_names);
  return g_test_run ();
}
