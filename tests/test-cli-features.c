/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
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
  status = g_test_run ();
  g_rmdir (dir);
  g_free (dir);
  return status;
}
