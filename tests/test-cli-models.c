/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cli-test-util.h"

/*
 * philia-cli train --save-model, predict and adapt, driven as a user would:
 * the predictions of a saved model are the training run's, byte for byte;
 * refusals are one line; adapt --json carries what the issue asks for.
 */

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

/* A CSBM graph (features 8, so that the class means are the same for every
 * seed: one feature space). */
static char *
generate (const char *name,
          const char *classes,
          const char *homophily,
          const char *seed)
{
  g_auto(Run) run = { 0 };
  char *path = tmp_path (name);

  run_cli (&run, "generate", "csbm", "--nodes", "300", "--classes", classes, "--features", "8",
           "--degree", "6", "--homophily", homophily, "--signal", "2", "--splits", "1",
           "--seed", seed, "--out", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  return path;
}

static void
test_save_and_predict (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *model = tmp_path ("cora.philia-model");
  g_autofree char *train_csv = tmp_path ("train.csv");
  g_autofree char *predict_csv = tmp_path ("predict.csv");
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  JsonObject *o;
  gint64 hits = 0, labeled = 0;

  run_cli (&run, "train", cora, "--model", "gcn", "--epochs", "30", "--save-model", model,
           "--predictions", train_csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (&run, "predict", model, cora, "--predictions", predict_csv, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (train_csv, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (predict_csv, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);

  /* The accuracy is that of the file's "correct" column. */
  lines = g_strsplit (b, "\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", 5);

      if (cells[3][0] == '\0')
        continue;
      labeled++;
      hits += g_str_equal (cells[3], "1");
    }
  o = parse_object (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (o, "model"), ==, "gcn");
  g_assert_cmpint (json_object_get_int_member (o, "n_labeled"), ==, labeled);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "accuracy"),
                                  (double)hits / labeled, 1e-12);
  g_assert_false (json_object_has_member (o, "roc_auc"));
  /* Cora's largest class: 818 of 2708. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "majority_accuracy"),
                                  818.0 / 2708, 1e-12);
  g_assert_cmpint (json_object_get_int_member (o, "majority_class"), ==, 3);

  /* --save-model keeps one run. */
  run_clear (&run);
  run_cli (&run, "train", cora, "--model", "gcn", "--seeds", "2", "--save-model", model, NULL);
  assert_one_line_error (&run, 2, "--save-model");
}

static void
test_predict_refusals (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *model = tmp_path ("cora-mlp.philia-model");
  g_autofree char *other = generate ("eight.npz", "3", "0.8", "1");
  g_autofree char *junk = tmp_path ("junk.philia-model");
  g_auto(Run) run = { 0 };

  run_cli (&run, "train", cora, "--model", "mlp", "--epochs", "5", "--save-model", model, NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (&run, "predict", model, other, NULL);
  assert_one_line_error (&run, 1, "expects 1433 features per node, but eight.npz has 8");
  run_clear (&run);
  run_cli (&run, "adapt", model, other, NULL);
  assert_one_line_error (&run, 1, "expects 1433 features");
  run_clear (&run);
  g_assert_true (g_file_set_contents (junk, "not a model", -1, NULL));
  run_cli (&run, "predict", junk, cora, NULL);
  assert_one_line_error (&run, 1, "junk.philia-model is not a Philia model");
  run_clear (&run);
  run_cli (&run, "predict", model, NULL);
  assert_one_line_error (&run, 2, "MODEL FILE is required");
  run_clear (&run);
  run_cli (&run, "adapt", model, cora, "--method", "dann", NULL);
  assert_one_line_error (&run, 2, "unknown --method “dann”");
  run_clear (&run);
  run_cli (&run, "adapt", model, cora, "--epochs", "0", NULL);
  assert_one_line_error (&run, 2, "--epochs");
}

static void
test_predict_two_class (void)
{
  g_autofree char *graph = generate ("two.npz", "2", "0.8", "2");
  g_autofree char *model = tmp_path ("two.philia-model");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) run = { 0 };
  JsonObject *o;

  run_cli (&run, "train", graph, "--model", "gcn", "--epochs", "20", "--save-model", model,
           NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (&run, "predict", model, graph, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  o = parse_object (parser, run.out);
  g_assert_true (json_object_has_member (o, "roc_auc"));
  g_assert_cmpfloat (json_object_get_double_member (o, "roc_auc"), >, 0.5);
}

static void
test_adapt (void)
{
  g_autofree char *source = generate ("source.npz", "3", "0.9", "3");
  g_autofree char *target = generate ("target.npz", "3", "0.3", "4");
  g_autofree char *model = tmp_path ("source.philia-model");
  g_autofree char *adapted = tmp_path ("adapted.philia-model");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) parser2 = json_parser_new ();
  g_auto(Run) run = { 0 };
  JsonObject *o, *p;
  JsonArray *loss;

  run_cli (&run, "train", source, "--model", "gcn", "--epochs", "50", "--save-model", model,
           NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (&run, "adapt", model, target, "--method", "soga", "--epochs", "7", "--seed", "3",
           "--save-model", adapted, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  o = parse_object (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (o, "method"), ==, "soga");
  g_assert_cmpint (json_object_get_int_member (o, "epochs"), ==, 7);
  g_assert_false (json_object_get_boolean_member (o, "labels_used_for_adaptation"));
  loss = json_object_get_array_member (o, "loss");
  g_assert_cmpuint (json_array_get_length (loss), ==, 7);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      o, "information_maximisation")), ==, 7);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      o, "structure_consistency")), ==, 7);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      o, "target_accuracy_not_used")), ==, 7);
  g_assert_cmpfloat (json_object_get_double_member (o, "epoch_ms_median"), >, 0);
  {
    JsonObject *c = json_object_get_object_member (o, "comparison");
    JsonObject *d = json_object_get_object_member (c, "class_distribution");
    JsonArray *bins = json_object_get_array_member (c, "homophily_bins");
    const char *keys[3] = { "source_only", "adapted", "true" };
    gint64 sums[3] = { 0 }, binned = 0;

    for (guint k = 0; k < 3; k++)
      {
        JsonArray *counts = json_object_get_array_member (d, keys[k]);

        g_assert_cmpuint (json_array_get_length (counts), ==, 3);
        for (guint i = 0; i < 3; i++)
          sums[k] += json_array_get_int_element (counts, i);
      }
    g_assert_cmpint (sums[0], ==, json_object_get_int_member (o, "n_nodes"));
    g_assert_cmpint (sums[1], ==, json_object_get_int_member (o, "n_nodes"));
    g_assert_cmpint (sums[2], ==, json_object_get_int_member (o, "n_labeled"));
    g_assert_cmpuint (json_array_get_length (bins), ==, 5);
    for (guint b = 0; b < json_array_get_length (bins); b++)
      binned += json_object_get_int_member (json_array_get_object_element (bins, b), "count");
    g_assert_cmpint (binned, >, 0);
    g_assert_cmpint (binned, <=, json_object_get_int_member (o, "n_labeled"));
    g_assert_cmpint (json_object_get_int_member (c, "changed_to_right")
                     + json_object_get_int_member (c, "changed_to_wrong"), <=,
                     json_object_get_int_member (o, "changed_predictions"));
    g_assert_true (json_object_has_member (c, "significant_improvement"));
  }
  /* The adapted model, applied by predict, scores what adapt reported. */
  run_clear (&run);
  run_cli (&run, "predict", adapted, target, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  p = parse_object (parser2, run.out);
  g_assert_cmpstr (json_object_get_string_member (p, "adapted_by"), ==, "soga");
  g_assert_cmpfloat (json_object_get_double_member (p, "accuracy"), ==,
                     json_object_get_double_member (o, "adapted_accuracy"));
  /* And the source-only score is the saved model's. */
  run_clear (&run);
  run_cli (&run, "predict", model, target, "--json", NULL);
  p = parse_object (parser2, run.out);
  g_assert_cmpfloat (json_object_get_double_member (p, "accuracy"), ==,
                     json_object_get_double_member (o, "source_only_accuracy"));
  /* The text form says what it scored. */
  run_clear (&run);
  run_cli (&run, "adapt", model, target, "--epochs", "2", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "labels used only to score"));
  /* The Adapt page's figure, as a file. */
  {
    g_autofree char *png = tmp_path ("adapt.png");
    g_autofree char *bytes = NULL;
    gsize len = 0;

    run_clear (&run);
    run_cli (&run, "adapt", model, target, "--epochs", "3", "--figure", png, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_get_contents (png, &bytes, &len, NULL));
    g_assert_cmpuint (len, >, 1000);
    g_assert_cmpmem (bytes, 4, "\x89PNG", 4);
    g_unlink (png);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("philia-cli-models-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/cli/models/save-and-predict", test_save_and_predict);
  g_test_add_func ("/cli/models/predict-refusals", test_predict_refusals);
  g_test_add_func ("/cli/models/predict-two-class", test_predict_two_class);
  g_test_add_func ("/cli/models/adapt", test_adapt);
  status = g_test_run ();
  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = tmp_path (name);

        g_unlink (path);
      }
  }
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
