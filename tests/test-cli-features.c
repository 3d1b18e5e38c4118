/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cli-test-util.h"
#include "philia-core.h"

/*
 * --features FILE on stats, train, proximity and linkpred: the run is the
 * core's on the graph with those features, the JSON names them, and a
 * file whose rows are not the nodes is refused with both numbers.
 */

static char *dir;

/* Cora's random-feature control (@rows × 4, seed 5) as FILE.npz, member "emb". */
static char *
write_features (PhiliaGraph *graph,
                guint        rows,
                const char  *name)
{
  g_autoptr(PhiliaFeatureSet) set = philia_feature_set_random (graph, 4, 5);
  PhiliaArray *a = g_new0 (PhiliaArray, 1);
  const char *names[] = { "emb", NULL };
  PhiliaArray *arrays[] = { a, NULL };
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  a->dtype = PHILIA_DTYPE_FLOAT32;
  a->ndim = 2;
  a->shape[0] = rows;
  a->shape[1] = 4;
  a->n_elements = rows * 4;
  a->itemsize = 4;
  a->data = g_memdup2 (set->data, sizeof (float) * rows * 4);
  g_assert_true (philia_npz_write (path, names, arrays, &error));
  g_assert_no_error (error);
  philia_array_free (a);
  return path;
}

static PhiliaGraph *
load_cora (void)
{
  g_autofree char *cora = cora_path ();
  g_autoptr(GFile) file = g_file_new_for_path (cora);
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph = philia_graph_load (file, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return graph;
}

static void
test_features (void)
{
  g_autofree char *cora = cora_path ();
  g_autoptr(PhiliaGraph) graph = load_cora ();
  g_autofree char *good = write_features (graph, 2708, "f.npz");
  g_autofree char *short_file = write_features (graph, 100, "short.npz");
  g_autofree char *pred = g_build_filename (dir, "p.csv", NULL);
  g_autofree char *pred_text = NULL;
  g_autofree char *core_pred = NULL;
  g_autoptr(PhiliaFeatureSet) set = philia_feature_set_random (graph, 4, 5);
  g_autoptr(PhiliaGraph) copy = philia_graph_with_feature_set (graph, set);
  g_autoptr(PhiliaTrainResult) r = NULL;
  g_autoptr(GError) error = NULL;
  PhiliaTrainParams params;
  const char *commands[] = { "stats", "train", "proximity", "linkpred" };
  g_autofree char *pairs = g_build_filename (dir, "pairs.csv", NULL);

  g_assert_true (g_file_set_contents (pairs, "u,v\n0,1\n", -1, NULL));

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      g_auto(Run) run = { 0 };
      g_auto(Run) plain = { 0 };
      g_auto(Run) bad = { 0 };
      const char *extra = c == 1 ? "--model" : c == 2 ? "--pairs" : c == 3 ? "--heuristic"
                                                                           : NULL;
      const char *value = c == 1 ? "mlp" : c == 2 ? pairs : c == 3 ? "fp" : NULL;

      run_cli (&run, commands[c], cora, "--json", "--features", good, extra, value,
               c == 1 ? "--epochs" : NULL, "3", NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.out, "\"features\":{\"name\":\"f.npz:emb\""));
      g_assert_nonnull (strstr (run.out, "\"columns\":4}"));
      run_cli (&plain, commands[c], cora, "--json", extra, value,
               c == 1 ? "--epochs" : NULL, "3", NULL);
      g_assert_cmpint (plain.status, ==, 0);
      g_assert_nonnull (strstr (plain.out, "\"features\":{\"name\":\"original\""));
      g_assert_nonnull (strstr (plain.out, "\"columns\":1433}"));
      run_cli (&bad, commands[c], cora, "--features", short_file, extra, value, NULL);
      assert_one_line_error (&bad, 1, "has 100 rows but the graph has 2708 nodes");
    }

  /* The run is the core's on the copy with those features. */
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "train", cora, "--model", "mlp", "--epochs", "5", "--features", good,
             "--predictions", pred, NULL);
    g_assert_cmpint (run.status, ==, 0);
  }
  g_assert_true (g_file_get_contents (pred, &pred_text, NULL, NULL));
  philia_train_params_init (&params);
  params.epochs = 5;
  r = philia_train (copy, "mlp", &params, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  core_pred = philia_train_result_predictions_csv (r, copy);
  g_assert_cmpstr (pred_text, ==, core_pred);

  /* Commands that do not read features refuse the option. */
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "info", cora, "--features", good, NULL);
    g_assert_cmpint (run.status, ==, 2);
  }
  /* A model file cannot record the matrix, so saving one is refused. */
  {
    g_auto(Run) run = { 0 };
    g_autofree char *model = g_build_filename (dir, "m.philia-model", NULL);

    run_cli (&run, "train", cora, "--model", "mlp", "--epochs", "2", "--features", good,
             "--save-model", model, NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "--save-model cannot record the --features matrix"));
    g_assert_false (g_file_test (model, G_FILE_TEST_EXISTS));
  }
  g_unlink (good);
  g_unlink (short_file);
  g_unlink (pred);
  g_unlink (pairs);
}

/* Derived specs: train on ahat:2 is the core's run on Â²X; the JSON names
 * the set; a malformed spec is one line naming it; figure --kind
 * feature-sets draws a PNG and refuses a bad set. */
static void
test_specs (void)
{
  g_autofree char *cora = cora_path ();
  g_autoptr(PhiliaGraph) graph = load_cora ();
  g_autofree char *pred = g_build_filename (dir, "p2.csv", NULL);
  g_autofree char *png = g_build_filename (dir, "sets.png", NULL);
  g_autofree char *pred_text = NULL;
  g_autofree char *core_pred = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaFeatureSet) x = philia_feature_set_original (graph);
  g_autoptr(PhiliaFeatureSet) two = philia_feature_set_propagated (graph, x, 2);
  g_autoptr(PhiliaGraph) copy = philia_graph_with_feature_set (graph, two);
  g_autoptr(PhiliaTrainResult) r = NULL;
  PhiliaTrainParams params;

  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "train", cora, "--json", "--model", "mlp", "--epochs", "4", "--features",
             "ahat:2", "--predictions", pred, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "\"features\":{\"name\":\"Â^2 X\""));
    g_assert_nonnull (strstr (run.out, "\"columns\":1433}"));
  }
  g_assert_true (g_file_get_contents (pred, &pred_text, NULL, NULL));
  philia_train_params_init (&params);
  params.epochs = 4;
  r = philia_train (copy, "mlp", &params, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  core_pred = philia_train_result_predictions_csv (r, copy);
  g_assert_cmpstr (pred_text, ==, core_pred);
  {
    g_auto(Run) run = { 0 };
    g_auto(Run) deg = { 0 };

    run_cli (&run, "stats", cora, "--json", "--features", "random:8:3", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "\"name\":\"random 8\""));
    run_cli (&deg, "stats", cora, "--json", "--features", "degree:4", NULL);
    g_assert_nonnull (strstr (deg.out, "\"columns\":5}"));
  }
  {
    g_auto(Run) bad = { 0 };

    run_cli (&bad, "train", cora, "--model", "mlp", "--features", "ahat:x", NULL);
    assert_one_line_error (&bad, 1, "Feature set “ahat:x”");
  }
  {
    g_auto(Run) run = { 0 };
    g_auto(Run) bad = { 0 };

    run_cli (&run, "figure", cora, "--kind", "feature-sets", "--sets", "original,degree",
             "--models", "mlp", "--epochs", "3", "-o", png, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
    run_cli (&bad, "figure", cora, "--kind", "feature-sets", "--sets", "random:0",
             "--models", "mlp", "-o", png, NULL);
    assert_one_line_error (&bad, 1, "random:0");
  }
  g_unlink (pred);
  g_unlink (png);
}

/* The number after "KEY": in @json (the first one), NAN when absent. */
static double
json_number (const char *json,
             const char *key)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\":", key);
  const char *at = strstr (json, needle);

  return at != NULL ? g_ascii_strtod (at + strlen (needle), NULL) : NAN;
}

/*
 * A triangle 0 – 1 – 2 with node 3 joined to 2 and node 4 isolated;
 * features (v, 1). Degrees 2, 2, 3, 1, 0, so the derived "degree" set is
 * one-hot over degrees 0..3: nodes 0 and 1 share a column, 2, 3 and 4 each
 * have their own.
 *
 * Feature similarity over the four edges, by hand:
 *   original: cos((0,1),(1,1)) = 1/√2, cos((1,1),(2,1)) = 3/√10,
 *             cos((0,1),(2,1)) = 1/√5, cos((2,1),(3,1)) = 7/√50;
 *   degree:   1 for 0 – 1, 0 for the other three: mean 1/4.
 * fp of the pairs (0,1), (0,3), (2,3): original 1/√2, 1/√10, 7/√50;
 * degree 1, 0, 0.
 */
static char *
write_toy_project (const char *choice)
{
  static const gint64 edges[] = { 0, 1, 1, 2, 0, 2, 2, 3 };
  static const gint64 labels[] = { 0, 0, 1, 1, 0 };
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (5);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "toy.philia", NULL);
  float *x = g_new (float, 10);

  for (guint v = 0; v < 5; v++)
    {
      x[2 * v] = (float)v;
      x[2 * v + 1] = 1;
    }
  philia_graph_builder_take_edges (b, g_memdup2 (edges, sizeof edges), 4);
  philia_graph_builder_take_labels (b, g_memdup2 (labels, sizeof labels));
  philia_graph_builder_take_features (b, x, 2);
  philia_graph_builder_set_source (b, "toy.npz", "npz");
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  doc = philia_document_new (graph, NULL, NULL);
  philia_document_add_feature_set (doc, philia_feature_set_from_spec (graph, "degree", &error),
                                   "degree");
  g_assert_no_error (error);
  g_assert_true (philia_document_set_measure_features (doc, choice));
  philia_document_set_embed (doc, TRUE);
  g_assert_true (philia_document_save (doc, path, NULL, &error));
  g_assert_no_error (error);
  return path;
}

/* The feature measures of stats and proximity on a project follow the set
 * chosen in it (the Statistics and Proximity panels' drop-down), --features
 * NAME picks one of its sets, and a name that is nothing is one line listing
 * the sets. */
static void
test_measure_features (void)
{
  g_autofree char *pairs = g_build_filename (dir, "toy-pairs.csv", NULL);
  const double orig_edges = (1 / sqrt (2) + 3 / sqrt (10) + 1 / sqrt (5) + 7 / sqrt (50)) / 4;
  const double orig_fp[] = { 1 / sqrt (2), 1 / sqrt (10), 7 / sqrt (50) };
  const double degree_fp[] = { 1, 0, 0 };

  g_assert_true (g_file_set_contents (pairs, "u,v\n0,1\n0,3\n2,3\n", -1, NULL));
  for (guint chosen = 0; chosen < 2; chosen++)
    {
      g_autofree char *project = write_toy_project (chosen ? "degree" : "original");
      g_auto(Run) stats = { 0 };
      g_auto(Run) named = { 0 };
      g_auto(Run) prox = { 0 };
      const char *rows;

      run_cli (&stats, "stats", project, "--json", NULL);
      g_assert_cmpint (stats.status, ==, 0);
      g_assert_cmpfloat_with_epsilon (json_number (stats.out, "feature_similarity_edges"),
                                      chosen ? 0.25 : orig_edges, 1e-6);
      g_assert_nonnull (strstr (stats.out, chosen ? "\"name\":\"degree\""
                                                  : "\"name\":\"original\""));
      g_assert_nonnull (strstr (stats.out, chosen ? "\"columns\":4}" : "\"columns\":2}"));
      /* --features names the other set of the project: its values. */
      run_cli (&named, "stats", project, "--json", "--features", chosen ? "original" : "degree",
               NULL);
      g_assert_cmpint (named.status, ==, 0);
      g_assert_cmpfloat_with_epsilon (json_number (named.out, "feature_similarity_edges"),
                                      chosen ? orig_edges : 0.25, 1e-6);

      run_cli (&prox, "proximity", project, "--json", "--pairs", pairs, "--heuristics", "fp",
               NULL);
      g_assert_cmpint (prox.status, ==, 0);
      rows = prox.out;
      for (guint i = 0; i < 3; i++)
        {
          rows = strstr (rows, "\"fp\":");
          g_assert_nonnull (rows);
          g_assert_cmpfloat_with_epsilon (json_number (rows, "fp"),
                                          chosen ? degree_fp[i] : orig_fp[i], 1e-6);
          rows++;
        }
      g_unlink (project);
    }
  {
    g_autofree char *project = write_toy_project ("original");
    g_auto(Run) prox = { 0 };
    g_auto(Run) bad = { 0 };
    g_auto(Run) bad_dataset = { 0 };
    g_autofree char *cora = cora_path ();

    run_cli (&prox, "proximity", project, "--json", "--pairs", pairs, "--heuristics", "fp",
             "--features", "degree", NULL);
    g_assert_cmpint (prox.status, ==, 0);
    g_assert_cmpfloat_with_epsilon (json_number (prox.out, "fp"), 1, 1e-6);
    run_cli (&bad, "proximity", project, "--pairs", pairs, "--features", "degre", NULL);
    assert_one_line_error (&bad, 1, "--features: “degre” is neither a feature set (original, "
                           "degree), a derived one");
    run_cli (&bad_dataset, "stats", cora, "--features", "nothing-here.npy", NULL);
    assert_one_line_error (&bad_dataset, 1, "“nothing-here.npy” is neither a feature set "
                           "(original)");
    g_unlink (project);
  }
  g_unlink (pairs);
}

/* FILE.npz:MEMBER picks one matrix of an .npz holding several; the file
 * alone is refused naming them, a member it lacks is refused listing them. */
static void
test_npz_member (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *path = g_build_filename (dir, "multi.npz", NULL);
  g_autofree char *pick = g_strdup_printf ("%s:b", path);
  g_autofree char *wrong = g_strdup_printf ("%s:c", path);
  PhiliaArray *arrays[3];
  const char *names[] = { "a", "b", NULL };
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) both = { 0 };
  g_auto(Run) missing = { 0 };

  for (guint i = 0; i < 2; i++)
    {
      arrays[i] = g_new0 (PhiliaArray, 1);
      arrays[i]->dtype = PHILIA_DTYPE_FLOAT32;
      arrays[i]->ndim = 2;
      arrays[i]->shape[0] = 2708;
      arrays[i]->shape[1] = 2 + i;
      arrays[i]->n_elements = 2708 * (2 + i);
      arrays[i]->itemsize = 4;
      arrays[i]->data = g_new0 (float, arrays[i]->n_elements);
    }
  arrays[2] = NULL;
  g_assert_true (philia_npz_write (path, names, arrays, &error));
  g_assert_no_error (error);
  philia_array_free (arrays[0]);
  philia_array_free (arrays[1]);

  run_cli (&run, "stats", cora, "--json", "--features", pick, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"features\":{\"name\":\"multi.npz:b\""));
  g_assert_nonnull (strstr (run.out, "\"columns\":3}"));
  run_cli (&both, "stats", cora, "--features", path, NULL);
  assert_one_line_error (&both, 1, "holds more than one 2-D array (“a”, “b”); name the one to "
                         "use as");
  run_cli (&missing, "stats", cora, "--features", wrong, NULL);
  assert_one_line_error (&missing, 1, "has no 2-D array called “c”; its 2-D arrays: “a”, “b”.");
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  dir = g_dir_make_tmp ("philia-cli-features-XXXXXX", NULL);
  g_test_add_func ("/cli/features", test_features);
  g_test_add_func ("/cli/features-specs", test_specs);
  g_test_add_func ("/cli/features-measures", test_measure_features);
  g_test_add_func ("/cli/features-npz-member", test_npz_member);
  status = g_test_run ();
  g_rmdir (dir);
  g_free (dir);
  return status;
}
