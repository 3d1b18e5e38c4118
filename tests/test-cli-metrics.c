/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli-test-util.h"
#include "philia-core.h"

/*
 * philia-cli train's metrics and splits as a user meets them: the ROC-AUC of
 * a two-class run equals the one recomputed from its --predictions file, the
 * majority baseline, random splits that make a GraphML or an edge list with a
 * node table trainable, and mean ± standard deviation over splits × seeds
 * recomputed from the runs it lists.
 */

/* The number after "KEY": in @json (from @from on), NaN for null; fails if absent. */
static double
json_number (const char *json,
             const char *key)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\":", key);
  const char *at = strstr (json, needle);
  char *end = NULL;
  double value;

  if (at == NULL)
    g_error ("no %s in %s", key, json);
  at += strlen (needle);
  if (g_str_has_prefix (at, "null"))
    return NAN;
  value = g_ascii_strtod (at, &end);
  g_assert_true (end != at);
  return value;
}

static gboolean
json_has (const char *json,
          const char *key)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\":", key);

  return strstr (json, needle) != NULL;
}

static char *
tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("philia-cli-metrics-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static char *
karate_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "import", "karate.graphml", NULL);
}

/* An imbalanced two-class CSBM written by `philia-cli generate`. */
static char *
make_imbalanced (const char *dir)
{
  char *path = g_build_filename (dir, "imbalanced.npz", NULL);
  g_auto(Run) run = { 0 };

  run_cli (&run, "generate", "csbm", "--class-proportions", "0.8,0.2", "--nodes", "800",
           "--splits", "2", "--seed", "5", "--out", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  return path;
}

typedef struct
{
  double score;
  int    positive;
} Item;

static int
cmp_item (const void *a,
          const void *b)
{
  double x = ((const Item *) a)->score, y = ((const Item *) b)->score;

  return (x > y) - (x < y);
}

/* ROC-AUC by the rank sum (Mann–Whitney U with mid-ranks for ties), a
 * different road than the core's count of pairs by score group. */
static double
rank_sum_auc (Item  *items,
              gsize  n)
{
  double ranks_pos = 0, n_pos = 0;

  qsort (items, n, sizeof (Item), cmp_item);
  for (gsize i = 0; i < n;)
    {
      gsize j = i;

      while (j < n && items[j].score == items[i].score)
        j++;
      /* Items i … j−1 share the ranks i+1 … j: their mean. */
      for (gsize k = i; k < j; k++)
        if (items[k].positive)
          {
            ranks_pos += (i + 1 + j) / 2.0;
            n_pos++;
          }
      i = j;
    }
  return (ranks_pos - n_pos * (n_pos + 1) / 2) / (n_pos * (n - n_pos));
}

/* From the predictions file alone (its label and p1 columns) and the split's
 * mask: the ROC-AUC and the share of @klass. */
static void
metrics_from_csv (const char   *csv_path,
                  const guint8 *mask,
                  guint         n,
                  double       *auc,
                  double       *share_of_zero)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree Item *items = g_new (Item, n);
  gsize m = 0, zeros = 0;

  g_assert_true (g_file_get_contents (csv_path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "id,label,prediction,correct,p0,p1"));
  for (guint v = 0; v < n; v++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[v + 1], ",", -1);
      guint id = (guint) g_ascii_strtoull (cols[0], NULL, 10);
      int label = atoi (cols[1]);

      g_assert_cmpuint (id, ==, v);
      if (!mask[v] || label < 0)
        continue;
      items[m].score = g_ascii_strtod (cols[5], NULL);
      items[m++].positive = label == 1;
      zeros += label == 0;
    }
  *auc = rank_sum_auc (items, m);
  *share_of_zero = (double) zeros / m;
}

static void
test_auc_from_predictions (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *npz = make_imbalanced (dir);
  g_autofree char *csv = g_build_filename (dir, "p.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (npz);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  double auc, share, val_auc, val_share;
  guint n;

  run_cli (&run, "train", npz, "--model", "gcn", "--split", "1", "--seed", "2", "--json",
           "--predictions", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_test_message ("%s", run.out);
  g_assert_nonnull (strstr (run.out, "\"metric\":\"roc_auc\""));
  g_assert_nonnull (strstr (run.out, "\"best_epoch_by\":\"val_roc_auc\""));

  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  n = philia_graph_get_n_nodes (graph);
  metrics_from_csv (csv, philia_graph_get_split_mask (graph, 1, PHILIA_SPLIT_TEST), n, &auc,
                    &share);
  metrics_from_csv (csv, philia_graph_get_split_mask (graph, 1, PHILIA_SPLIT_VAL), n, &val_auc,
                    &val_share);
  /* Equal, not close: the file holds the very probabilities. */
  g_assert_cmpfloat (json_number (run.out, "test_roc_auc"), ==, auc);
  g_assert_cmpfloat (json_number (run.out, "val_roc_auc"), ==, val_auc);
  /* Class 0 is the majority of training (80%); its share of test and val. */
  g_assert_cmpfloat (json_number (run.out, "majority_class"), ==, 0);
  g_assert_cmpfloat (json_number (run.out, "majority_accuracy"), ==, share);
  g_assert_cmpfloat (json_number (run.out, "val_majority_accuracy"), ==, val_share);
  g_assert_cmpfloat (share, >, 0.7);
  remove_dir (dir);
}

/* Splits × seeds on the karate club's GraphML, which has labels and no
 * masks: 10 random splits × 10 seeds, mean ± sample std of the 100 runs. */
static void
test_karate_runs (void)
{
  g_autofree char *karate = karate_path ();
  g_auto(Run) run = { 0 };
  g_auto(GStrv) objects = NULL;
  double acc[100], auc[100], sum = 0, sum_auc = 0, ss = 0, ss_auc = 0, mean, mean_auc;
  gboolean seen[10][10] = { { FALSE } };
  guint n_runs;

  run_cli (&run, "train", karate, "--model", "gcn", "--random-split", "0.6,0.2", "--num-splits",
           "10", "--splits", "all", "--seeds", "10", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"metric\":\"roc_auc\""));
  g_assert_cmpfloat (json_number (run.out, "n_runs"), ==, 100);
  g_assert_cmpfloat (json_number (run.out, "splits"), ==, 10);
  g_assert_cmpfloat (json_number (run.out, "seeds"), ==, 10);
  g_assert_nonnull (strstr (run.out, "\"std\":\"sample\""));

  /* Each run once, its own numbers. */
  objects = g_strsplit (strstr (run.out, "\"runs\":[") + 8, "{\"split\":", -1);
  n_runs = g_strv_length (objects) - 1;
  g_assert_cmpuint (n_runs, ==, 100);
  for (guint i = 0; i < n_runs; i++)
    {
      g_autofree char *object = g_strconcat ("{\"split\":", objects[i + 1], NULL);
      guint split = (guint) json_number (object, "split");
      guint seed = (guint) json_number (object, "seed");

      g_assert_cmpuint (split, <, 10);
      g_assert_cmpuint (seed, <, 10);
      g_assert_false (seen[split][seed]);
      seen[split][seed] = TRUE;
      acc[i] = json_number (object, "test_accuracy");
      auc[i] = json_number (object, "test_roc_auc");
      /* 17 + 17 members, 4 of each tested: the majority share is ½. */
      g_assert_cmpfloat (json_number (object, "majority_accuracy"), ==, 0.5);
      sum += acc[i];
      sum_auc += auc[i];
    }
  mean = sum / 100;
  mean_auc = sum_auc / 100;
  for (guint i = 0; i < 100; i++)
    {
      ss += (acc[i] - mean) * (acc[i] - mean);
      ss_auc += (auc[i] - mean_auc) * (auc[i] - mean_auc);
    }
  g_test_message ("karate, GCN, 10 splits × 10 seeds: test accuracy %.4f ± %.4f, ROC-AUC "
                  "%.4f ± %.4f", mean, sqrt (ss / 99), mean_auc, sqrt (ss_auc / 99));
  g_assert_cmpfloat_with_epsilon (json_number (run.out, "test_accuracy_mean"), mean, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_number (run.out, "test_accuracy_std"), sqrt (ss / 99),
                                  1e-12);
  g_assert_cmpfloat_with_epsilon (json_number (run.out, "test_roc_auc_mean"), mean_auc, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_number (run.out, "test_roc_auc_std"), sqrt (ss_auc / 99),
                                  1e-12);
  g_assert_cmpfloat (json_number (run.out, "majority_accuracy_mean"), ==, 0.5);
  g_assert_cmpfloat (json_number (run.out, "majority_accuracy_std"), ==, 0);
  /* The karate club is easy: far above the coin flip. */
  g_assert_cmpfloat (mean, >, 0.7);

  /* The text says what the ± is. */
  {
    g_auto(Run) text = { 0 };

    run_cli (&text, "train", karate, "--model", "gcn", "--random-split", "0.6,0.2",
             "--num-splits", "3", "--splits", "all", "--seeds", "2", NULL);
    g_assert_cmpint (text.status, ==, 0);
    g_assert_nonnull (strstr (text.out, "gcn over 3 splits × 2 seeds (6 runs), mean ± sample "
                                        "standard deviation:"));
    g_assert_nonnull (strstr (text.out, "test ROC-AUC"));
  }
}

/* One run: a mean, and no spread (null) rather than a made-up 0. */
static void
test_one_run (void)
{
  g_autofree char *karate = karate_path ();
  g_auto(Run) run = { 0 };

  run_cli (&run, "train", karate, "--model", "gcn", "--random-split", "0.5,0.25", "--splits",
           "all", "--seeds", "1", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpfloat (json_number (run.out, "n_runs"), ==, 1);
  g_assert_cmpfloat (json_number (run.out, "test_accuracy_mean"), ==,
                     json_number (strstr (run.out, "\"runs\":"), "test_accuracy"));
  g_assert_true (isnan (json_number (run.out, "test_accuracy_std")));
  g_assert_true (isnan (json_number (run.out, "test_roc_auc_std")));
}

/* Many classes: accuracy is the metric, no ROC-AUC keys; the majority
 * baseline is there. Several seeds on one split of the file. */
static void
test_many_classes (void)
{
  g_autofree char *cora = cora_path ();

  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "train", cora, "--model", "mlp", "--epochs", "3", "--json", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "\"metric\":\"accuracy\""));
    g_assert_nonnull (strstr (run.out, "\"best_epoch_by\":\"val_accuracy\""));
    g_assert_false (json_has (run.out, "test_roc_auc"));
    g_assert_false (json_has (run.out, "val_roc_auc"));
    /* Cora's public split trains 20 nodes per class: a tie, class 0 wins;
     * 130 of the 1000 test nodes are class 0. */
    g_assert_cmpfloat (json_number (run.out, "majority_class"), ==, 0);
    g_assert_cmpfloat (json_number (run.out, "majority_accuracy"), ==, 0.13);
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "train", cora, "--model", "mlp", "--epochs", "3", "--seeds", "3", "--seed",
             "7", "--json", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpfloat (json_number (run.out, "n_runs"), ==, 3);
    g_assert_cmpfloat (json_number (run.out, "first_seed"), ==, 7);
    g_assert_nonnull (strstr (run.out, "{\"split\":0,\"seed\":7,"));
    g_assert_nonnull (strstr (run.out, "{\"split\":0,\"seed\":9,"));
    g_assert_false (json_has (run.out, "test_roc_auc_mean"));
    g_assert_cmpfloat (json_number (run.out, "majority_accuracy_std"), ==, 0);
  }
}

/* An edge list with a node table (labels, no masks): refused with the way
 * out, then trained on random splits. */
static void
test_edge_list_with_node_table (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *edges = g_build_filename (dir, "karate.txt", NULL);
  g_autofree char *nodes = g_build_filename (dir, "karate.csv", NULL);
  g_autofree char *karate = karate_path ();
  g_autoptr(GFile) file = g_file_new_for_path (karate);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) edge_text = g_string_new (NULL);
  g_autoptr(GString) node_text = g_string_new ("id,label\n");
  const gint64 *off;
  const gint32 *nbr, *y;

  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  y = philia_graph_get_labels (graph);
  for (guint v = 0; v < philia_graph_get_n_nodes (graph); v++)
    {
      g_string_append_printf (node_text, "m%u,%s\n", v,
                              philia_graph_get_class_name (graph, y[v]));
      for (gint64 e = off[v]; e < off[v + 1]; e++)
        if (nbr[e] > (gint32) v)
          g_string_append_printf (edge_text, "m%u m%d\n", v, nbr[e]);
    }
  g_assert_true (g_file_set_contents (edges, edge_text->str, -1, NULL));
  g_assert_true (g_file_set_contents (nodes, node_text->str, -1, NULL));

  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "train", edges, "--nodes", nodes, "--model", "gcn", NULL);
    assert_one_line_error (&run, 1, "karate.txt has labels but no train/validation/test split; "
                                    "make random splits (philia-cli train --random-split 0.6,0.2");
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "train", edges, "--nodes", nodes, "--model", "gcn", "--random-split",
             "0.6,0.2", "--seed", "3", "--json", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpfloat (json_number (run.out, "seed"), ==, 3);
    g_assert_false (isnan (json_number (run.out, "test_roc_auc")));
  }
  /* The GraphML itself, refused the same way. */
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "train", karate, "--model", "gcn", NULL);
    assert_one_line_error (&run, 1, "--random-split");
  }
  remove_dir (dir);
}

static void
test_usage_errors (void)
{
  g_autofree char *karate = karate_path ();
  g_autofree char *cora = cora_path ();
  const struct { const char *args[6]; const char *needle; } bad[] = {
    { { "--splits", "3" }, "--splits takes “all”" },
    { { "--splits", "all", "--split", "1" }, "give --split K or --splits all, not both" },
    { { "--num-splits", "3" }, "--num-splits needs --random-split TRAIN,VAL" },
    { { "--random-split", "0.6,0.2", "--num-splits", "0" }, "--num-splits must be between 1" },
    { { "--random-split", "0.9,0.2" }, "--random-split 0.9,0.2: The training and validation "
                                        "fractions must add up to less than 1" },
    { { "--random-split", "0,0.5" }, "The training fraction must lie strictly between 0 and 1" },
    { { "--random-split", "0.6,1" }, "The validation fraction must lie strictly between" },
    { { "--random-split", "0.6" }, "--random-split takes two fractions TRAIN,VAL such as 0.6,0.2, "
                                   "not “0.6”" },
    { { "--random-split", "a,b" }, "not “a,b”" },
    { { "--random-split", "0.6,0.2,0.2" }, "takes two fractions" },
    { { "--seeds", "0" }, "--seeds must be between 1 and 1000" },
    { { "--seeds", "2", "--predictions", "p.csv" }, "--predictions and --attention write one run" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(Run) run = { 0 };
      const char *a[6] = { 0 };

      for (guint j = 0; j < 6; j++)
        a[j] = bad[i].args[j];
      run_cli (&run, "train", karate, "--model", "gcn", a[0], a[1], a[2], a[3], a[4], a[5],
               NULL);
      g_test_message ("%s", run.err);
      assert_one_line_error (&run, 2, bad[i].needle);
    }
  /* A split past the end of random ones. */
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "train", karate, "--model", "gcn", "--random-split", "0.6,0.2",
             "--num-splits", "2", "--split", "2", NULL);
    assert_one_line_error (&run, 1, "Split 2 does not exist: karate.graphml has 2 splits.");
  }
  /* Random splits replace the file's own: Cora's 11 become 4. */
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "train", cora, "--model", "mlp", "--epochs", "2", "--random-split",
             "0.1,0.1", "--num-splits", "4", "--splits", "all", "--json", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpfloat (json_number (run.out, "splits"), ==, 4);
    g_assert_cmpfloat (json_number (run.out, "n_runs"), ==, 4);
  }
}

static void
test_generate_proportions (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *npz = make_imbalanced (dir);
  g_auto(Run) run = { 0 };

  run_cli (&run, "info", npz, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"class_sizes\":[640,160]"));
  {
    g_auto(Run) bad = { 0 };

    run_cli (&bad, "generate", "csbm", "--class-proportions", "0.8,0", "--out", npz, NULL);
    assert_one_line_error (&bad, 2, "--class-proportions needs one positive share per class");
  }
  {
    g_auto(Run) bad = { 0 };

    run_cli (&bad, "generate", "csbm", "--classes", "3", "--class-proportions", "1,1", "--out",
             npz, NULL);
    assert_one_line_error (&bad, 2, "--class-proportions needs one share per class (--classes)");
  }
  {
    g_auto(Run) bad = { 0 };

    run_cli (&bad, "generate", "csbm", "--nodes", "50", "--class-proportions", "0.999,0.001",
             "--out", npz, NULL);
    assert_one_line_error (&bad, 2, "--class-proportions leaves a class without nodes");
  }
  remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/Philia/CliMetrics/auc-from-predictions", test_auc_from_predictions);
  g_test_add_func ("/Philia/CliMetrics/karate-runs", test_karate_runs);
  g_test_add_func ("/Philia/CliMetrics/one-run", test_one_run);
  g_test_add_func ("/Philia/CliMetrics/many-classes", test_many_classes);
  g_test_add_func ("/Philia/CliMetrics/edge-list-with-node-table",
                   test_edge_list_with_node_table);
  g_test_add_func ("/Philia/CliMetrics/usage-errors", test_usage_errors);
  g_test_add_func ("/Philia/CliMetrics/generate-proportions", test_generate_proportions);
  return g_test_run ();
}
