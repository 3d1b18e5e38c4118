/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cli-test-util.h"
#include "philia-core.h"

/*
 * linkpred on a project and the feature set its evaluations and GNN link
 * predictors used: the project's choice for its measures by default,
 * --features NAME for another of its sets, recorded by --save and shown by
 * info (text and JSON); a file or spec the project does not hold cannot be
 * saved (the evaluation could not be recomputed).
 *
 * The graph: two 8-cliques, 0..7 and 8..15, no edge between them. Original
 * features (1, 1) on every node; the set "cluster" is one-hot by clique.
 * Every edge is inside a clique and every non-edge between the two, so, by
 * hand, the feature-proximity heuristic (cosine):
 *   original: every pair scores 1, positives tie with negatives: AUC 1/2;
 *   cluster:  positives 1, negatives 0: AUC 1, MRR 1.
 */

static char *dir;

static double
json_number (const char *json,
             const char *key)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\":", key);
  const char *at = strstr (json, needle);

  return at != NULL ? g_ascii_strtod (at + strlen (needle), NULL) : NAN;
}

static char *
write_project (const char *measures)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (16);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (gint64));
  char *path = g_build_filename (dir, "cliques.philia", NULL);
  gint64 *labels = g_new (gint64, 16);
  float *x = g_new (float, 32);
  float *cluster = g_new0 (float, 32);

  for (gint64 c = 0; c < 2; c++)
    for (gint64 u = 8 * c; u < 8 * c + 8; u++)
      {
        for (gint64 v = u + 1; v < 8 * c + 8; v++)
          {
            g_array_append_val (edges, u);
            g_array_append_val (edges, v);
          }
        labels[u] = c;
        x[2 * u] = x[2 * u + 1] = 1;
        cluster[2 * u + c] = 1;
      }
  philia_graph_builder_take_edges (b, g_memdup2 (edges->data, sizeof (gint64) * edges->len),
                                   edges->len / 2);
  philia_graph_builder_take_labels (b, labels);
  philia_graph_builder_take_features (b, x, 2);
  philia_graph_builder_set_source (b, "cliques.npz", "npz");
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  doc = philia_document_new (graph, NULL, NULL);
  philia_document_add_feature_set (doc, philia_feature_set_new ("cluster", "by hand", 16, 2,
                                                                cluster), NULL);
  g_assert_true (philia_document_set_measure_features (doc, measures));
  philia_document_set_embed (doc, TRUE);
  g_assert_true (philia_document_save (doc, path, NULL, &error));
  g_assert_no_error (error);
  return path;
}

/* The n-th (0-based) occurrence of @needle in @text, or NULL. */
static const char *
nth (const char *text,
     const char *needle,
     guint       n)
{
  const char *at = strstr (text, needle);

  for (guint i = 0; at != NULL && i < n; i++)
    at = strstr (at + 1, needle);
  return at;
}

static void
test_heuristic (void)
{
  for (guint chosen = 0; chosen < 2; chosen++)
    {
      g_autofree char *project = write_project (chosen ? "cluster" : "original");
      g_auto(Run) def = { 0 };
      g_auto(Run) other = { 0 };
      g_auto(Run) info = { 0 };
      g_auto(Run) text = { 0 };

      /* The project's choice for its measures, by default. */
      run_cli (&def, "linkpred", project, "--heuristic", "fp", "--mrr-negatives", "10", "--json",
               "--save", NULL);
      g_assert_cmpint (def.status, ==, 0);
      g_assert_cmpfloat_with_epsilon (json_number (def.out, "auc"), chosen ? 1 : 0.5, 1e-12);
      if (chosen)
        g_assert_cmpfloat_with_epsilon (json_number (def.out, "mrr"), 1, 1e-12);
      g_assert_nonnull (strstr (def.out, chosen ? "\"features\":{\"name\":\"cluster\""
                                                : "\"features\":{\"name\":\"original\""));
      /* --features NAME: the other set. */
      run_cli (&other, "linkpred", project, "--heuristic", "fp", "--mrr-negatives", "10",
               "--json", "--save", "--features", chosen ? "original" : "cluster", NULL);
      g_assert_cmpint (other.status, ==, 0);
      g_assert_cmpfloat_with_epsilon (json_number (other.out, "auc"), chosen ? 0.5 : 1, 1e-12);

      /* Both evaluations name their set, in the text and in the JSON. */
      run_cli (&info, "info", project, "--json", NULL);
      g_assert_cmpint (info.status, ==, 0);
      g_assert_nonnull (nth (info.out, chosen ? "\"n_mrr_neg\":10,\"features\":\"cluster\""
                                              : "\"n_mrr_neg\":10,\"features\":\"original\"", 0));
      g_assert_nonnull (nth (info.out, chosen ? "\"n_mrr_neg\":10,\"features\":\"original\""
                                              : "\"n_mrr_neg\":10,\"features\":\"cluster\"", 0));
      run_cli (&text, "info", project, NULL);
      g_assert_cmpint (text.status, ==, 0);
      g_assert_nonnull (strstr (text.out, "10 MRR negatives, features “cluster”"));
      g_assert_nonnull (strstr (text.out, "10 MRR negatives, features “original”"));
      g_unlink (project);
    }
}

/* A GNN saved with --save goes to the evaluation on the same seed and the
 * same features, or a new one; info names the set of each; a spec the
 * project does not hold is refused before anything is trained. */
static void
test_model (void)
{
  g_autofree char *project = write_project ("original");
  g_auto(Run) heuristic = { 0 };
  g_auto(Run) model = { 0 };
  g_auto(Run) plain = { 0 };
  g_auto(Run) info = { 0 };
  g_auto(Run) text = { 0 };
  g_auto(Run) spec = { 0 };
  g_auto(Run) spec_model = { 0 };
  const char *models;

  run_cli (&heuristic, "linkpred", project, "--heuristic", "fp", "--mrr-negatives", "10",
           "--save", "--features", "cluster", NULL);
  g_assert_cmpint (heuristic.status, ==, 0);
  g_assert_nonnull (strstr (heuristic.out, "features cluster\n"));
  run_cli (&model, "linkpred", project, "--model", "mlp", "--epochs", "3", "--mrr-negatives",
           "10", "--save", "--features", "cluster", "--json", NULL);
  g_assert_cmpint (model.status, ==, 0);
  g_assert_cmpint ((gint64)json_number (model.out, "evaluation_id"), ==, 1);
  g_assert_nonnull (strstr (model.out, "\"features\":{\"name\":\"cluster\""));
  run_cli (&plain, "linkpred", project, "--model", "mlp", "--epochs", "3", "--mrr-negatives",
           "10", "--save", "--json", NULL);
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_cmpint ((gint64)json_number (plain.out, "evaluation_id"), ==, 2);
  g_assert_nonnull (strstr (plain.out, "\"features\":{\"name\":\"original\""));

  run_cli (&info, "info", project, "--json", NULL);
  g_assert_cmpint (info.status, ==, 0);
  models = strstr (info.out, "\"models\":[{\"name\":\"mlp\"");
  g_assert_nonnull (models);
  g_assert_nonnull (strstr (models, "\"features\":\"cluster\"}]"));
  models = strstr (models + 1, "\"models\":[{\"name\":\"mlp\"");
  g_assert_nonnull (models);
  g_assert_nonnull (strstr (models, "\"features\":\"original\"}]"));
  run_cli (&text, "info", project, NULL);
  g_assert_nonnull (strstr (text.out, "features “cluster”\n      fp "));
  g_assert_nonnull (nth (text.out, "      mlp ", 1));
  g_assert_nonnull (strstr (strstr (text.out, "      mlp "), "features “cluster”"));

  run_cli (&spec, "linkpred", project, "--heuristic", "fp", "--save", "--features", "ahat:1",
           NULL);
  assert_one_line_error (&spec, 1, "--save: the project replays a saved evaluation on one of "
                         "its own feature sets (original, cluster), and “ahat:1” is not one");
  run_cli (&spec_model, "linkpred", project, "--model", "mlp", "--save", "--features",
           "random:4", NULL);
  assert_one_line_error (&spec_model, 1, "“random:4” is not one of them");
  g_unlink (project);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  dir = g_dir_make_tmp ("philia-cli-evalfeat-XXXXXX", NULL);
  g_test_add_func ("/cli/evaluation-features/heuristic", test_heuristic);
  g_test_add_func ("/cli/evaluation-features/model", test_model);
  status = g_test_run ();
  g_rmdir (dir);
  g_free (dir);
  return status;
}
