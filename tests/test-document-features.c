/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "philia-core.h"

/*
 * A document's feature sets: adding, unique names, removing, undo and redo
 * (the sets come back identical), the graph a run gets for a set, which set
 * a run used, and the project round-trip (imported sets as arrays, derived
 * ones by their spec).
 */

/* A triangle 0 – 1 – 2, node 3 joined to 2, node 4 isolated; two features. */
static PhiliaGraph *
make_graph (void)
{
  static const gint64 edges[] = { 0, 1, 1, 2, 2, 0, 2, 3 };
  static const gint64 labels[] = { 0, 0, 1, 1, 0 };
  g_autoptr (PhiliaGraphBuilder) b = philia_graph_builder_new (5);
  g_autoptr (GError) error = NULL;
  float *x = g_new (float, 10);
  guint8 *masks[3];
  PhiliaGraph *graph;

  for (guint v = 0; v < 5; v++)
    {
      x[2 * v] = (float)v;
      x[2 * v + 1] = 1;
    }
  for (guint p = 0; p < 3; p++)
    masks[p] = g_new0 (guint8, 5);
  masks[0][0] = masks[0][2] = masks[1][1] = masks[2][3] = masks[2][4] = 1;
  philia_graph_builder_take_edges (b, g_memdup2 (edges, sizeof edges), 4);
  philia_graph_builder_take_labels (b, g_memdup2 (labels, sizeof labels));
  philia_graph_builder_take_features (b, x, 2);
  philia_graph_builder_take_masks (b, 1, masks[0], masks[1], masks[2]);
  philia_graph_builder_set_source (b, "toy.npz", "npz");
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  return graph;
}

static void
on_changed (PhiliaDocument *doc,
            guint           parts,
            gpointer        user_data)
{
  guint *seen = user_data;

  *seen |= parts;
}

static void
test_add_remove_undo (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph ();
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  g_autoptr (GError) error = NULL;
  PhiliaFeatureSet *two = philia_feature_set_from_spec (graph, "ahat:2", &error);
  PhiliaFeatureSet *r1 = philia_feature_set_from_spec (graph, "random:3:1", &error);
  PhiliaFeatureSet *r2 = philia_feature_set_from_spec (graph, "random:3:2", &error);
  PhiliaFeatureSet *orig = philia_feature_set_from_spec (graph, "original", &error);
  g_autoptr (PhiliaFeatureSet) want = philia_feature_set_from_spec (graph, "ahat:2", &error);
  guint seen = 0;

  g_assert_no_error (error);
  g_signal_connect (doc, "changed", G_CALLBACK (on_changed), &seen);
  g_assert_cmpuint (philia_document_get_n_feature_sets (doc), ==, 0);
  g_assert_null (philia_document_find_feature_set (doc, "Â^2 X"));

  g_assert_cmpstr (philia_document_add_feature_set (doc, two, "ahat:2"), ==, "Â^2 X");
  g_assert_true (seen & PHILIA_DOCUMENT_PART_FEATURES);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Add Feature Set");
  g_assert_true (philia_document_get_dirty (doc));
  /* Names stay unique, and "original" is the graph's own. */
  g_assert_cmpstr (philia_document_add_feature_set (doc, r1, "random:3:1"), ==, "random 3");
  g_assert_cmpstr (philia_document_add_feature_set (doc, r2, "random:3:2"), ==,
                   "random 3 (2)");
  g_assert_cmpstr (philia_document_add_feature_set (doc, orig, NULL), ==, "original (2)");
  g_assert_cmpuint (philia_document_get_n_feature_sets (doc), ==, 4);
  g_assert_cmpstr (philia_document_get_feature_set_spec (doc, 1), ==, "random:3:1");
  g_assert_null (philia_document_get_feature_set_spec (doc, 3));

  /* Remove, undo (back at its place, same numbers), redo. */
  g_assert_false (philia_document_remove_feature_set (doc, "nothing"));
  g_assert_true (philia_document_remove_feature_set (doc, "Â^2 X"));
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Remove Feature Set");
  g_assert_cmpuint (philia_document_get_n_feature_sets (doc), ==, 3);
  g_assert_null (philia_document_find_feature_set (doc, "Â^2 X"));
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpuint (philia_document_get_n_feature_sets (doc), ==, 4);
  g_assert_cmpstr (philia_document_get_feature_set (doc, 0)->name, ==, "Â^2 X");
  g_assert_cmpmem (philia_document_get_feature_set (doc, 0)->data, sizeof (float) * 10,
                   want->data, sizeof (float) * 10);
  g_assert_true (philia_document_redo (doc));
  g_assert_cmpuint (philia_document_get_n_feature_sets (doc), ==, 3);
  /* Undo every add: none left. */
  for (guint i = 0; i < 5; i++)
    g_assert_true (philia_document_undo (doc));
  g_assert_cmpuint (philia_document_get_n_feature_sets (doc), ==, 0);
  g_assert_false (philia_document_get_dirty (doc));
  g_assert_true (philia_document_redo (doc));
  g_assert_cmpstr (philia_document_get_feature_set (doc, 0)->name, ==, "Â^2 X");
}

static void
test_graph_and_runs (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph ();
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (PhiliaGraph) same = NULL;
  g_autoptr (PhiliaGraph) deg = NULL;
  PhiliaTrainResult *result = g_new0 (PhiliaTrainResult, 1);
  guint id;

  philia_document_add_feature_set (doc, philia_feature_set_from_spec (graph, "degree", &error),
                                   "degree");
  g_assert_no_error (error);
  same = philia_document_dup_graph_with_features (doc, NULL, &error);
  g_assert_true (same == graph);
  g_clear_object (&same);
  same = philia_document_dup_graph_with_features (doc, "original", &error);
  g_assert_true (same == graph);
  deg = philia_document_dup_graph_with_features (doc, "degree", &error);
  g_assert_no_error (error);
  /* Degrees 2, 2, 3, 1, 0: one-hot over 0 … 3. */
  {
    const float want[] = { 0, 0, 1, 0,  0, 0, 1, 0,  0, 0, 0, 1,  0, 1, 0, 0,  1, 0, 0, 0 };

    g_assert_cmpuint (philia_graph_get_n_features (deg), ==, 4);
    g_assert_cmpmem (philia_graph_get_features (deg), sizeof want, want, sizeof want);
    g_assert_cmpuint (philia_graph_get_n_edges (deg), ==, philia_graph_get_n_edges (graph));
  }
  g_assert_null (philia_document_dup_graph_with_features (doc, "gone", &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“gone”"));

  result->model = g_strdup ("mlp");
  id = philia_document_add_run (doc, result);
  g_assert_cmpstr (philia_document_get_run_features (doc, id), ==, "original");
  philia_document_set_run_features (doc, id, "degree");
  g_assert_cmpstr (philia_document_get_run_features (doc, id), ==, "degree");
  g_assert_cmpstr (philia_document_get_run_features (doc, id + 1), ==, "original");
  philia_document_set_run_features (doc, id, "original");
  g_assert_cmpstr (philia_document_get_run_features (doc, id), ==, "original");
}

/* Saved and reopened: the sets (numbers, names, specs, order) and which set
 * each run used come back, the reopened document is clean; a project
 * without feature sets opens with none. */
static void
test_project (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph ();
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  g_autoptr (PhiliaDocument) back = NULL;
  g_autoptr (PhiliaDocument) plain = NULL;
  g_autoptr (PhiliaDocument) plain_back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-docfeat-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "p.philia", NULL);
  g_autofree char *path2 = g_build_filename (dir, "q.philia", NULL);
  PhiliaFeatureSet *imported = philia_feature_set_new ("emb.npy", "/somewhere/emb.npy", 5, 3,
                                                       g_new0 (float, 15));
  PhiliaTrainParams params;
  PhiliaTrainResult *result;
  guint id;

  for (guint i = 0; i < 15; i++)
    imported->data[i] = (float) i / 4;
  philia_document_set_embed (doc, TRUE);
  philia_document_add_feature_set (doc, philia_feature_set_from_spec (graph, "ahat:1", &error),
                                   "ahat:1");
  philia_document_add_feature_set (doc, imported, NULL);
  g_assert_no_error (error);
  philia_train_params_init (&params);
  params.epochs = 2;
  result = philia_train (graph, "mlp", &params, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  id = philia_document_add_run (doc, result);
  philia_document_set_run_features (doc, id, "emb.npy");
  g_assert_true (philia_document_save (doc, path, NULL, &error));
  g_assert_no_error (error);

  back = philia_document_open (path, NULL, PHILIA_PROJECT_OPEN_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (philia_document_get_dirty (back));
  g_assert_cmpuint (philia_document_get_n_feature_sets (back), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const PhiliaFeatureSet *a = philia_document_get_feature_set (doc, i);
      const PhiliaFeatureSet *b = philia_document_get_feature_set (back, i);

      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_cmpstr (a->origin, ==, b->origin);
      g_assert_cmpuint (a->n_cols, ==, b->n_cols);
      g_assert_cmpmem (a->data, sizeof (float) * a->n_rows * a->n_cols, b->data,
                       sizeof (float) * b->n_rows * b->n_cols);
      g_assert_cmpstr (philia_document_get_feature_set_spec (doc, i), ==,
                       philia_document_get_feature_set_spec (back, i));
    }
  g_assert_cmpstr (philia_document_get_run_features (back, id), ==, "emb.npy");
  /* The history is not saved: nothing to undo after opening. */
  g_assert_false (philia_document_can_undo (back));

  plain = philia_document_new (graph, NULL, NULL);
  philia_document_set_embed (plain, TRUE);
  g_assert_true (philia_document_save (plain, path2, NULL, &error));
  plain_back = philia_document_open (path2, NULL, PHILIA_PROJECT_OPEN_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (philia_document_get_n_feature_sets (plain_back), ==, 0);
  g_unlink (path);
  g_unlink (path2);
  g_rmdir (dir);
}

/* The set the feature measures use: "original" until chosen; a name the
 * document lacks is refused without a step; choosing is a step that undo and
 * redo walk; removing the set falls back to the original and undoing the
 * removal brings the choice back; the project keeps it. */
static void
test_measure_features (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph ();
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  g_autoptr (PhiliaDocument) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-measfeat-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "m.philia", NULL);
  g_autofree char *names = NULL;
  guint seen = 0;

  g_signal_connect (doc, "changed", G_CALLBACK (on_changed), &seen);
  g_assert_cmpstr (philia_document_get_measure_features (doc), ==, "original");
  philia_document_add_feature_set (doc, philia_feature_set_from_spec (graph, "degree", &error),
                                   "degree");
  philia_document_add_feature_set (doc, philia_feature_set_from_spec (graph, "ahat:1", &error),
                                   "ahat:1");
  g_assert_no_error (error);
  names = philia_document_list_feature_set_names (doc);
  g_assert_cmpstr (names, ==, "original, degree, Â^1 X");

  g_assert_false (philia_document_set_measure_features (doc, "no such set"));
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Add Feature Set");
  /* Choosing what is already chosen is no step either. */
  g_assert_true (philia_document_set_measure_features (doc, "original"));
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Add Feature Set");

  seen = 0;
  g_assert_true (philia_document_set_measure_features (doc, "degree"));
  g_assert_true (seen & PHILIA_DOCUMENT_PART_FEATURES);
  g_assert_cmpstr (philia_document_get_measure_features (doc), ==, "degree");
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Features for Measures");
  g_assert_true (philia_document_set_measure_features (doc, "Â^1 X"));
  philia_document_undo (doc);
  g_assert_cmpstr (philia_document_get_measure_features (doc), ==, "degree");
  philia_document_undo (doc);
  g_assert_cmpstr (philia_document_get_measure_features (doc), ==, "original");
  philia_document_redo (doc);
  g_assert_cmpstr (philia_document_get_measure_features (doc), ==, "degree");

  g_assert_true (philia_document_remove_feature_set (doc, "degree"));
  g_assert_cmpstr (philia_document_get_measure_features (doc), ==, "original");
  philia_document_undo (doc);
  g_assert_cmpstr (philia_document_get_measure_features (doc), ==, "degree");

  philia_document_set_embed (doc, TRUE);
  g_assert_true (philia_document_save (doc, path, NULL, &error));
  g_assert_no_error (error);
  back = philia_document_open (path, NULL, PHILIA_PROJECT_OPEN_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (philia_document_get_measure_features (back), ==, "degree");
  g_assert_false (philia_document_get_dirty (back));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/document-features/add-remove-undo", test_add_remove_undo);
  g_test_add_func ("/document-features/graph-and-runs", test_graph_and_runs);
  g_test_add_func ("/document-features/project", test_project);
  g_test_add_func ("/document-features/measure-features", test_measure_features);
  return g_test_run ();
}
