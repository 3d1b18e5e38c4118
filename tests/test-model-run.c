/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "philia-core.h"
#include "philia-model-private.h"

/*
 * A saved model applied to another graph as a run of its document: the run
 * predicts what the model predicts, keeps the model (weights in the project,
 * a model saved from it predicts the same, also after a reopen), and the
 * before/after comparison of an adaptation against hand-counted numbers.
 */

static PhiliaGraph *
csbm (guint64 seed,
      double  homophily)
{
  g_autoptr(GError) error = NULL;
  PhiliaCsbmParams p;
  PhiliaGraph *graph;

  philia_csbm_params_init_default (&p);
  p.n_nodes = 150;
  p.n_classes = 3;
  p.n_features = 12;
  p.homophily = homophily;
  p.degree = 4;
  p.n_splits = 1;
  p.seed = seed;
  graph = philia_csbm_generate (&p, NULL, &error);
  g_assert_no_error (error);
  return graph;
}

static PhiliaSavedModel *
trained_model (PhiliaGraph *graph)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaTrainResult) r = NULL;
  PhiliaTrainParams params;
  PhiliaSavedModel *m;

  philia_train_params_init (&params);
  params.epochs = 25;
  params.seed = 3;
  r = philia_train (graph, "gcn", &params, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  m = philia_saved_model_new_from_run (r, graph, &error);
  g_assert_no_error (error);
  return m;
}

static void
assert_same_prediction (const PhiliaPrediction *a,
                        const PhiliaPrediction *b)
{
  g_assert_cmpuint (a->n_nodes, ==, b->n_nodes);
  g_assert_cmpuint (a->n_classes, ==, b->n_classes);
  g_assert_cmpmem (a->predictions, sizeof (gint32) * a->n_nodes,
                   b->predictions, sizeof (gint32) * b->n_nodes);
  g_assert_cmpmem (a->probabilities, sizeof (float) * a->n_nodes * a->n_classes,
                   b->probabilities, sizeof (float) * b->n_nodes * b->n_classes);
}

static void
test_applied_run (void)
{
  g_autoptr(PhiliaGraph) source = csbm (1, 0.85);
  g_autoptr(PhiliaGraph) target = csbm (2, 0.6);
  g_autoptr(PhiliaSavedModel) model = trained_model (source);
  g_autoptr(PhiliaPrediction) p = NULL;
  g_autoptr(PhiliaTrainResult) run = NULL;
  g_autoptr(PhiliaSavedModel) again = NULL;
  g_autoptr(PhiliaPrediction) q = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *local = philia_local_homophily (target);
  const gint32 *labels = philia_graph_get_labels (target);
  guint n = philia_graph_get_n_nodes (target);
  gint64 hits = 0, labeled = 0, binned = 0;

  p = philia_saved_model_predict (model, target, 1, &error);
  g_assert_no_error (error);
  run = philia_train_result_new_applied (model, p, target, NULL);
  g_assert_cmpstr (run->model, ==, "gcn");
  g_assert_cmpuint (run->n_epochs, ==, 0);
  g_assert_cmpuint (run->n_nodes, ==, n);
  g_assert_cmpmem (run->predictions, sizeof (gint32) * n, p->predictions, sizeof (gint32) * n);
  g_assert_cmpuint (run->node_values->len, ==, 0);
  for (guint v = 0; v < n; v++)
    if (labels[v] >= 0)
      {
        labeled++;
        hits += run->predictions[v] == labels[v];
        binned += !isnan (local[v]);
      }
  g_assert_cmpint (labeled, >, 0);
  g_assert_cmpfloat (run->test_accuracy, ==, (double)hits / labeled);
  g_assert_true (isnan (run->train_accuracy) && isnan (run->val_accuracy));
  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    binned -= run->bin_count[b];
  g_assert_cmpint (binned, ==, 0);

  /* The run keeps the model: saved again, it predicts bit for bit alike. */
  again = philia_saved_model_new_from_run (run, target, &error);
  g_assert_no_error (error);
  q = philia_saved_model_predict (again, target, 1, &error);
  g_assert_no_error (error);
  assert_same_prediction (p, q);
}

static void
test_applied_run_in_project (void)
{
  g_autoptr(PhiliaGraph) source = csbm (4, 0.85);
  g_autoptr(PhiliaGraph) target = csbm (5, 0.7);
  g_autoptr(PhiliaSavedModel) model = trained_model (source);
  g_autoptr(PhiliaPrediction) before = NULL;
  g_autoptr(PhiliaAdaptResult) adapted = NULL;
  g_autoptr(PhiliaDocument) doc = NULL;
  g_autoptr(PhiliaDocument) back = NULL;
  g_autoptr(PhiliaSavedModel) reloaded = NULL;
  g_autoptr(PhiliaPrediction) q = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-model-run-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "adapted.philia", NULL);
  const PhiliaDocumentRun *run;
  const PhiliaNodeValues *nv;
  PhiliaAdaptParams params;
  guint id;

  g_assert_no_error (error);
  before = philia_saved_model_predict (model, target, 1, &error);
  g_assert_no_error (error);
  philia_adapt_params_init (&params);
  params.epochs = 5;
  adapted = philia_adapt (model, target, &params, 3, 1, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  doc = philia_document_new (target, NULL, NULL);
  /* An applied run first (no provenance method), then the adapted one. */
  g_assert_cmpuint (philia_document_add_applied_run (
                      doc, philia_train_result_new_applied (model, before, target, NULL),
                      "source.philia-model", NULL), ==, 1);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Apply Model (Run 1)");
  id = philia_document_add_applied_run (doc, philia_train_result_new_applied (adapted->adapted,
                                                                               adapted->after,
                                                                               target,
                                                                               before->predictions),
                                        "run 1 of source", "soga");
  g_assert_cmpuint (id, ==, 2);
  /* Adding it is a step: undone, the run leaves; redone, it is back with
   * the same id (ids are never reused). */
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Adapt Model (Run 2)");
  g_assert_true (philia_document_undo (doc));
  g_assert_null (philia_document_find_run (doc, id));
  g_assert_cmpuint (philia_document_get_n_runs (doc), ==, 1);
  g_assert_true (philia_document_redo (doc));
  g_assert_cmpuint (philia_document_get_n_runs (doc), ==, 2);
  g_assert_cmpuint (philia_document_get_run (doc, 1)->id, ==, id);
  g_assert_true (philia_document_save (doc, path, NULL, &error));
  g_assert_no_error (error);
  back = philia_document_open (path, NULL, PHILIA_PROJECT_OPEN_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  run = philia_document_find_run (back, id);
  g_assert_nonnull (run);
  /* Where each came from survives the project. */
  g_assert_cmpint (run->provenance, ==, PHILIA_RUN_ADAPTED);
  g_assert_cmpstr (run->provenance_source, ==, "run 1 of source");
  g_assert_cmpstr (run->provenance_method, ==, "soga");
  g_assert_cmpint (philia_document_find_run (back, 1)->provenance, ==, PHILIA_RUN_APPLIED);
  g_assert_cmpstr (philia_document_find_run (back, 1)->provenance_source, ==,
                   "source.philia-model");
  g_assert_null (philia_document_find_run (back, 1)->provenance_method);
  g_assert_cmpuint (run->result->n_epochs, ==, 0);
  g_assert_cmpuint (run->result->node_values->len, ==, 1);
  nv = g_ptr_array_index (run->result->node_values, 0);
  g_assert_cmpstr (nv->name, ==, PHILIA_ADAPT_CHANGE_VALUES);
  for (guint v = 0; v < philia_graph_get_n_nodes (target); v++)
    g_assert_true ((before->predictions[v] == adapted->after->predictions[v]) == isnan (nv->values[v]));

  /* Reopened, the run still holds the adapted model. */
  reloaded = philia_saved_model_new_from_run (run->result, philia_document_get_graph (back),
                                              &error);
  g_assert_no_error (error);
  q = philia_saved_model_predict (reloaded, philia_document_get_graph (back), 1, &error);
  g_assert_no_error (error);
  assert_same_prediction (adapted->after, q);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Path 0-1-2-3, node 4 isolated, node 5 unlabeled and joined to 3, node 2
 * with a self-loop; labels 0 0 1 1 0 -. Local homophily (labeled neighbours
 * of the same label, the self-loop not counted): 1, .5, .5, 1, NaN, NaN. */
static PhiliaGraph *
small_graph (void)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (6);
  g_autoptr(GError) error = NULL;
  gint64 *labels = g_new (gint64, 6);
  static const gint64 y[6] = { 0, 0, 1, 1, 0, -1 };
  PhiliaGraph *g;

  memcpy (labels, y, sizeof y);
  philia_graph_builder_add_edge (b, 0, 1);
  philia_graph_builder_add_edge (b, 1, 2);
  philia_graph_builder_add_edge (b, 2, 3);
  philia_graph_builder_add_edge (b, 3, 5);
  philia_graph_builder_add_edge (b, 2, 2);
  philia_graph_builder_take_labels (b, labels);
  g = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  return g;
}

static void
test_comparison (void)
{
  g_autoptr(PhiliaGraph) g = small_graph ();
  static const gint32 before[6] = { 0, 1, 1, 0, 1, 0 };
  static const gint32 after[6] = { 0, 0, 0, 1, 0, 1 };
  g_autoptr(PhiliaAdaptComparison) c = philia_adapt_comparison_new (g, before, after, 2);
  g_autofree double *change = philia_adapt_change_values (g, before, after);
  static const double expected_change[6] = { NAN, 1, -1, 1, 1, 0 };

  /* Right before: 0, 2 (2 of 5); after: 0, 1, 3, 4 (4 of 5). */
  g_assert_cmpint (c->n_labeled, ==, 5);
  g_assert_cmpfloat_with_epsilon (c->before_accuracy, 0.4, 1e-12);
  g_assert_cmpfloat_with_epsilon (c->after_accuracy, 0.8, 1e-12);
  g_assert_cmpint (c->n_changed, ==, 5);
  g_assert_cmpint (c->changed_right, ==, 3);
  g_assert_cmpint (c->changed_wrong, ==, 1);
  g_assert_cmpint (c->before_counts[0], ==, 3);
  g_assert_cmpint (c->before_counts[1], ==, 3);
  g_assert_cmpint (c->after_counts[0], ==, 4);
  g_assert_cmpint (c->after_counts[1], ==, 2);
  g_assert_cmpint (c->true_counts[0], ==, 3);
  g_assert_cmpint (c->true_counts[1], ==, 2);
  /* Bin [.4, .6): nodes 1 and 2; bin [.8, 1]: nodes 0 and 3. */
  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    {
      g_assert_cmpint (c->bin_count[b], ==, b == 2 || b == 4 ? 2 : 0);
      if (c->bin_count[b] == 0)
        g_assert_true (isnan (c->before_bin_accuracy[b]) && isnan (c->after_bin_accuracy[b]));
    }
  g_assert_cmpfloat (c->before_bin_accuracy[2], ==, 0.5);
  g_assert_cmpfloat (c->after_bin_accuracy[2], ==, 0.5);
  g_assert_cmpfloat (c->before_bin_accuracy[4], ==, 0.5);
  g_assert_cmpfloat (c->after_bin_accuracy[4], ==, 1.0);
  /* 3 right against 1 wrong: (|3 − 1| − 1)² / 4 = 0.25, far from 3.84. */
  g_assert_false (philia_adapt_comparison_improved (c));
  c->changed_right = 12;
  c->changed_wrong = 3;
  /* (9 − 1)² / 15 = 4.27 > 3.84 */
  g_assert_true (philia_adapt_comparison_improved (c));
  c->changed_right = 11;
  /* (8 − 1)² / 14 = 3.5 */
  g_assert_false (philia_adapt_comparison_improved (c));
  for (guint v = 0; v < 6; v++)
    if (isnan (expected_change[v]))
      g_assert_true (isnan (change[v]));
    else
      g_assert_cmpfloat (change[v], ==, expected_change[v]);
}

/* Nothing to compare on an empty or unlabeled graph: no crash, NaN scores. */
static void
test_comparison_degenerate (void)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (0);
  g_autoptr(PhiliaGraphBuilder) b1 = philia_graph_builder_new (1);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) empty = philia_graph_builder_build (b, &error);
  g_autoptr(PhiliaGraph) single = philia_graph_builder_build (b1, &error);
  gint32 zero = 0, one = 1;
  g_autoptr(PhiliaAdaptComparison) c0 = philia_adapt_comparison_new (empty, &zero, &zero, 2);
  g_autoptr(PhiliaAdaptComparison) c1 = philia_adapt_comparison_new (single, &zero, &one, 2);

  g_assert_no_error (error);
  g_assert_cmpint (c0->n_labeled, ==, 0);
  g_assert_true (isnan (c0->before_accuracy) && isnan (c0->after_accuracy));
  g_assert_cmpint (c1->n_changed, ==, 1);
  g_assert_cmpint (c1->changed_right + c1->changed_wrong, ==, 0);
  g_assert_cmpint (c1->before_counts[0], ==, 1);
  g_assert_cmpint (c1->after_counts[1], ==, 1);
}

static void
stop_at_three (const PhiliaAdaptEpoch *epoch,
               gpointer                user_data)
{
  if (epoch->epoch == 3)
    g_cancellable_cancel (user_data);
}

/* "Stop" keeps the model reached: the same as asking for that many epochs. */
static void
test_adapt_stop (void)
{
  g_autoptr(PhiliaGraph) source = csbm (7, 0.85);
  g_autoptr(PhiliaGraph) target = csbm (8, 0.6);
  g_autoptr(PhiliaSavedModel) model = trained_model (source);
  g_autoptr(GCancellable) stop = g_cancellable_new ();
  g_autoptr(PhiliaAdaptResult) stopped = NULL;
  g_autoptr(PhiliaAdaptResult) three = NULL;
  g_autoptr(GError) error = NULL;
  PhiliaAdaptParams params;

  philia_adapt_params_init (&params);
  params.epochs = 20;
  stopped = _philia_adapt_full (model, target, &params, 5, 1, NULL, NULL, stop, stop_at_three,
                                stop, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stopped->n_epochs, ==, 3);
  params.epochs = 3;
  three = philia_adapt (model, target, &params, 5, 1, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (stopped->loss, 3 * sizeof (double), three->loss, 3 * sizeof (double));
  assert_same_prediction (stopped->after, three->after);
  for (guint i = 0; i < model->weights->len; i++)
    {
      const PhiliaTensor *a = g_ptr_array_index (stopped->adapted->weights, i);
      const PhiliaTensor *b = g_ptr_array_index (three->adapted->weights, i);

      g_assert_cmpmem (a->data, sizeof (float) * a->rows * a->cols,
                       b->data, sizeof (float) * b->rows * b->cols);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/model-run/applied", test_applied_run);
  g_test_add_func ("/model-run/project", test_applied_run_in_project);
  g_test_add_func ("/model-run/adapt-stop", test_adapt_stop);
  g_test_add_func ("/model-run/comparison", test_comparison);
  g_test_add_func ("/model-run/comparison-degenerate", test_comparison_degenerate);
  return g_test_run ();
}
