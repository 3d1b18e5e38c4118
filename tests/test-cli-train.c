/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cli-test-util.h"
#include "philia-core.h"

/*
 * philia-cli train's CSV files are the very text the Train panel exports
 * (same seed, same run), and the training figures render.
 */

static void
test_csv_matches_core (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *dir = g_dir_make_tmp ("philia-cli-XXXXXX", NULL);
  g_autofree char *pred = g_build_filename (dir, "p.csv", NULL);
  g_autofree char *att = g_build_filename (dir, "a.csv", NULL);
  g_autofree char *pred_text = NULL;
  g_autofree char *att_text = NULL;
  g_autofree char *core_pred = NULL;
  g_autofree char *core_att = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (cora);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaTrainResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  PhiliaTrainParams params;

  run_cli (&run, "train", cora, "--model", "gat", "--epochs", "4", "--seed", "3",
           "--predictions", pred, "--attention", att, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (pred, &pred_text, NULL, NULL));
  g_assert_true (g_file_get_contents (att, &att_text, NULL, NULL));
  g_assert_true (g_str_has_prefix (pred_text, "id,label,prediction,correct,p0,p1,"));
  g_assert_true (g_str_has_prefix (att_text, "layer,head,target,source,attention\n0,0,0,0,"));

  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  philia_train_params_init (&params);
  params.epochs = 4;
  params.seed = 3;
  r = philia_train (graph, "gat", &params, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  core_pred = philia_train_result_predictions_csv (r, graph);
  core_att = philia_train_result_attention_csv (r, graph);
  g_assert_cmpstr (pred_text, ==, core_pred);
  g_assert_cmpstr (att_text, ==, core_att);

  g_unlink (pred);
  g_unlink (att);
  g_rmdir (dir);
}

static void
test_figures (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *dir = g_dir_make_tmp ("philia-cli-XXXXXX", NULL);
  g_autofree char *bars = g_build_filename (dir, "bars.svg", NULL);
  g_autofree char *grid = g_build_filename (dir, "grid.png", NULL);
  g_autofree char *contents = NULL;

  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "figure", cora, "--kind", "accuracy-by-homophily", "--models", "gcn,mlp",
             "--epochs", "10", "--out", bars, "--json", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "\"kind\":\"accuracy-by-homophily\""));
    g_assert_true (g_file_get_contents (bars, &contents, NULL, NULL));
    g_assert_true (g_str_has_prefix (contents, "<?xml"));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "figure", cora, "--kind", "attention", "--epochs", "3", "--node", "55",
             "--out", grid, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_test (grid, G_FILE_TEST_IS_REGULAR));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "figure", cora, "--kind", "accuracy-by-homophily", "--models", "gcn,nope",
             "--out", bars, NULL);
    assert_one_line_error (&run, 1, "Unknown model “nope” in --models.");
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "figure", cora, "--kind", "attention", "--model", "gcn", "--epochs", "2",
             "--out", grid, NULL);
    assert_one_line_error (&run, 1, "keeps no attention weights");
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "figure", cora, "--kind", "attention", "--node", "99999", "--out", grid,
             NULL);
    assert_one_line_error (&run, 1, "--node 99999 does not exist");
  }
  g_unlink (bars);
  g_unlink (grid);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/Philia/CliTrain/csv-matches-core", test_csv_matches_core);
  g_test_add_func ("/Philia/CliTrain/figures", test_figures);
  return g_test_run ();
}
