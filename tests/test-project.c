/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "philia-core.h"
#include "philia-document-private.h"
#include "philia-zip-private.h"

#include "project-test-util.h"

/*
 * Project files (HACKING.md §16): everything a document holds comes back
 * from a save and an open, bit for bit (runs trained for real on a small
 * graph, compared field by field); saving is atomic; every refusal has its
 * message checked. Damaged projects are made by rewriting a real one's
 * manifest or members with correct CRCs, so each case reaches the check it
 * is meant for.
 *
 * The graph and the fixture: project-test-util.h. Refusals:
 * test-project-refused.c.
 */

/* {{{ Comparing */

static void
assert_same_doubles (const double *a,
                     const double *b,
                     gsize         n)
{
  g_assert_true ((a == NULL) == (b == NULL));
  if (a != NULL && n > 0)
    g_assert_cmpmem (a, n * sizeof (double), b, n * sizeof (double));
}

static void
assert_same_double (double a,
                    double b)
{
  g_assert_cmpmem (&a, sizeof a, &b, sizeof b);
}

static void
assert_same_result (const PhiliaTrainResult *a,
                    const PhiliaTrainResult *b,
                    gint64                   n_entries)
{
  gsize n = a->n_nodes;

  g_assert_cmpstr (a->model, ==, b->model);
  g_assert_cmpuint (a->split, ==, b->split);
  g_assert_cmpuint (a->seed, ==, b->seed);
  g_assert_cmpuint (a->n_threads, ==, b->n_threads);
  /* The params struct has padding: compare it field by field. */
  g_assert_cmpint (a->params.epochs, ==, b->params.epochs);
  assert_same_double (a->params.lr, b->params.lr);
  assert_same_double (a->params.weight_decay, b->params.weight_decay);
  g_assert_cmpint (a->params.hidden, ==, b->params.hidden);
  assert_same_double (a->params.dropout, b->params.dropout);
  g_assert_cmpint (a->params.heads, ==, b->params.heads);
  g_assert_cmpint (a->params.k, ==, b->params.k);
  assert_same_double (a->params.alpha, b->params.alpha);
  g_assert_cmpint (a->params.optimizer, ==, b->params.optimizer);
  g_assert_cmpint (a->params.normalize_features, ==, b->params.normalize_features);
  g_assert_cmpint (a->identity_features, ==, b->identity_features);
  g_assert_cmpint (a->sparse_features, ==, b->sparse_features);
  g_assert_cmpuint (a->n_epochs, ==, b->n_epochs);
  assert_same_doubles (a->loss, b->loss, a->n_epochs);
  assert_same_doubles (a->val_loss, b->val_loss, a->n_epochs);
  assert_same_doubles (a->train_curve, b->train_curve, a->n_epochs);
  assert_same_doubles (a->val_curve, b->val_curve, a->n_epochs);
  assert_same_doubles (a->test_curve, b->test_curve, a->n_epochs);
  assert_same_doubles (a->train_auc_curve, b->train_auc_curve, a->n_epochs);
  assert_same_doubles (a->val_auc_curve, b->val_auc_curve, a->n_epochs);
  assert_same_doubles (a->test_auc_curve, b->test_auc_curve, a->n_epochs);
  g_assert_cmpuint (a->best_epoch, ==, b->best_epoch);
  assert_same_double (a->train_accuracy, b->train_accuracy);
  assert_same_double (a->val_accuracy, b->val_accuracy);
  assert_same_double (a->test_accuracy, b->test_accuracy);
  assert_same_double (a->epoch_ms_median, b->epoch_ms_median);
  assert_same_double (a->seconds, b->seconds);
  g_assert_cmpuint (a->n_nodes, ==, b->n_nodes);
  g_assert_cmpuint (a->n_classes, ==, b->n_classes);
  g_assert_cmpmem (a->predictions, n * 4, b->predictions, n * 4);
  g_assert_cmpmem (a->probabilities, n * a->n_classes * 4, b->probabilities,
                   n * b->n_classes * 4);
  g_assert_cmpuint (a->weights->len, ==, b->weights->len);
  for (guint i = 0; i < a->weights->len; i++)
    {
      const PhiliaTensor *ta = g_ptr_array_index (a->weights, i);
      const PhiliaTensor *tb = g_ptr_array_index (b->weights, i);

      g_assert_cmpuint (ta->rows, ==, tb->rows);
      g_assert_cmpuint (ta->cols, ==, tb->cols);
      g_assert_cmpmem (ta->data, philia_tensor_size (ta) * 4, tb->data,
                       philia_tensor_size (tb) * 4);
    }
  g_assert_true ((a->attention == NULL) == (b->attention == NULL));
  for (guint i = 0; a->attention != NULL && i < a->attention->len; i++)
    {
      const PhiliaAttention *x = &g_array_index (a->attention, PhiliaAttention, i);
      const PhiliaAttention *y = &g_array_index (b->attention, PhiliaAttention, i);

      g_assert_cmpuint (a->attention->len, ==, b->attention->len);
      g_assert_cmpuint (x->layer, ==, y->layer);
      g_assert_cmpuint (x->heads, ==, y->heads);
      g_assert_cmpmem (x->edges, n_entries * x->heads * 4, y->edges, n_entries * y->heads * 4);
      g_assert_cmpmem (x->self, n * x->heads * 4, y->self, n * y->heads * 4);
    }
  g_assert_cmpuint (a->node_values->len, ==, b->node_values->len);
  for (guint i = 0; i < a->node_values->len; i++)
    {
      const PhiliaNodeValues *x = g_ptr_array_index (a->node_values, i);
      const PhiliaNodeValues *y = g_ptr_array_index (b->node_values, i);

      g_assert_cmpstr (x->name, ==, y->name);
      assert_same_doubles (x->values, y->values, n);
    }
  g_assert_cmpmem (a->bin_count, sizeof a->bin_count, b->bin_count, sizeof b->bin_count);
  g_assert_cmpmem (a->bin_accuracy, sizeof a->bin_accuracy, b->bin_accuracy,
                   sizeof b->bin_accuracy);
  g_assert_cmpint (a->metric, ==, b->metric);
  g_assert_cmpint (a->best_epoch_rule, ==, b->best_epoch_rule);
  assert_same_double (a->train_roc_auc, b->train_roc_auc);
  assert_same_double (a->val_roc_auc, b->val_roc_auc);
  assert_same_double (a->test_roc_auc, b->test_roc_auc);
  g_assert_cmpint (a->majority_class, ==, b->majority_class);
  assert_same_double (a->train_majority, b->train_majority);
  assert_same_double (a->val_majority, b->val_majority);
  assert_same_double (a->test_majority, b->test_majority);
}

static void
assert_same_document (PhiliaDocument *a,
                      PhiliaDocument *b)
{
  PhiliaGraph *ga = philia_document_get_graph (a), *gb = philia_document_get_graph (b);
  guint n = philia_graph_get_n_nodes (ga);
  const guint *sa, *sb;
  guint na, nb;
  const PhiliaDocumentLayout *ca, *cb;

  g_assert_cmpuint (n, ==, philia_graph_get_n_nodes (gb));
  g_assert_cmpint (philia_graph_get_n_edges (ga), ==, philia_graph_get_n_edges (gb));
  g_assert_cmpuint (philia_graph_get_n_splits (ga), ==, philia_graph_get_n_splits (gb));
  for (guint s = 0; s < philia_graph_get_n_splits (ga); s++)
    for (guint part = 0; part < 3; part++)
      g_assert_cmpmem (philia_graph_get_split_mask (ga, s, part), n,
                       philia_graph_get_split_mask (gb, s, part), n);

  g_assert_cmpuint (philia_document_get_n_layouts (a), ==, philia_document_get_n_layouts (b));
  for (guint i = 0; i < philia_document_get_n_layouts (a); i++)
    {
      const PhiliaDocumentLayout *la = philia_document_get_layout (a, i);
      const PhiliaDocumentLayout *lb = philia_document_get_layout (b, i);

      g_assert_cmpstr (la->name, ==, lb->name);
      g_assert_cmpstr (la->algorithm, ==, lb->algorithm);
      g_assert_cmpuint (la->seed, ==, lb->seed);
      assert_same_doubles (la->positions, lb->positions, 2 * n);
    }
  ca = philia_document_get_current_layout (a);
  cb = philia_document_get_current_layout (b);
  g_assert_true ((ca == NULL) == (cb == NULL));
  if (ca != NULL)
    g_assert_cmpstr (ca->name, ==, cb->name);

  sa = philia_document_get_selection (a, &na);
  sb = philia_document_get_selection (b, &nb);
  g_assert_cmpmem (sa, na * sizeof (guint), sb, nb * sizeof (guint));
  g_assert_true (philia_document_view_equal (philia_document_get_view (a),
                                             philia_document_get_view (b)));
  assert_same_double (philia_document_get_view (a)->zoom, philia_document_get_view (b)->zoom);
  assert_same_double (philia_document_get_view (a)->center_x,
                      philia_document_get_view (b)->center_x);
  assert_same_double (philia_document_get_view (a)->center_y,
                      philia_document_get_view (b)->center_y);
  g_assert_cmpint (philia_document_get_conventions (a), ==, philia_document_get_conventions (b));
  g_assert_cmpstr (philia_document_get_notes (a), ==, philia_document_get_notes (b));
  g_assert_cmpstr (philia_document_get_origin (a), ==, philia_document_get_origin (b));
  g_assert_cmpuint (_philia_document_get_next_run_id (a), ==,
                    _philia_document_get_next_run_id (b));
  g_assert_cmpuint (_philia_document_get_next_evaluation_id (a), ==,
                    _philia_document_get_next_evaluation_id (b));

  g_assert_cmpuint (philia_document_get_n_runs (a), ==, philia_document_get_n_runs (b));
  for (guint i = 0; i < philia_document_get_n_runs (a); i++)
    {
      const PhiliaDocumentRun *ra = philia_document_get_run (a, i);
      const PhiliaDocumentRun *rb = philia_document_get_run (b, i);

      g_assert_cmpuint (ra->id, ==, rb->id);
      g_assert_cmpuint (ra->group, ==, rb->group);
      g_assert_cmpuint (ra->n_splits, ==, rb->n_splits);
      g_assert_cmpuint (ra->n_seeds, ==, rb->n_seeds);
      assert_same_result (ra->result, rb->result, philia_graph_get_row_offsets (ga)[n]);
    }
  g_assert_cmpuint (philia_document_get_n_evaluations (a), ==,
                    philia_document_get_n_evaluations (b));
  for (guint i = 0; i < philia_document_get_n_evaluations (a); i++)
    {
      const PhiliaDocumentEvaluation *ea = philia_document_get_evaluation (a, i);
      const PhiliaDocumentEvaluation *eb = philia_document_get_evaluation (b, i);

      g_assert_cmpuint (ea->id, ==, eb->id);
      g_assert_cmpuint (ea->mask, ==, eb->mask);
      g_assert_cmpuint (ea->seed, ==, eb->seed);
      g_assert_cmpuint (ea->n_mrr_neg, ==, eb->n_mrr_neg);
      assert_same_double (ea->params.katz_beta, eb->params.katz_beta);
      g_assert_cmpuint (ea->params.katz_len, ==, eb->params.katz_len);
      assert_same_double (ea->params.ppr_alpha, eb->params.ppr_alpha);
      g_assert_cmpuint (ea->params.n_threads, ==, eb->params.n_threads);
      g_assert_cmpuint (ea->n_heuristics, ==, eb->n_heuristics);
      assert_same_doubles (ea->summary, eb->summary, 6 * ea->n_heuristics);
    }
  g_assert_cmpuint (philia_document_get_n_pairs (a), ==, philia_document_get_n_pairs (b));
  for (guint i = 0; i < philia_document_get_n_pairs (a); i++)
    {
      const PhiliaDocumentPair *pa = philia_document_get_pair (a, i);
      const PhiliaDocumentPair *pb = philia_document_get_pair (b, i);

      g_assert_cmpuint (pa->u, ==, pb->u);
      g_assert_cmpuint (pa->v, ==, pb->v);
      assert_same_double (pa->params.katz_beta, pb->params.katz_beta);
      g_assert_cmpuint (pa->params.katz_len, ==, pb->params.katz_len);
    }
}

/* }}} */
/* {{{ Round trips */

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = new_document (f);
  g_autoptr(PhiliaDocument) back = NULL;
  g_autofree char *title = NULL;

  save (doc, f->project);
  back = reopen (f->project);
  assert_same_document (doc, back);
  g_assert_false (philia_document_get_dirty (back));
  g_assert_false (philia_document_can_undo (back));
  g_assert_cmpstr (philia_document_get_path (back), ==, f->project);
  g_assert_cmpstr (philia_document_get_dataset_path (back), ==, f->dataset);
  g_assert_null (philia_document_get_node_table_path (back));
  g_assert_null (philia_document_get_current_layout (back));
  title = philia_document_dup_title (back);
  g_assert_cmpstr (title, ==, "p");
}

static void
test_full (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = full_document (f);
  g_autoptr(PhiliaDocument) back = NULL;
  g_autoptr(PhiliaDocument) again = NULL;
  g_autofree char *second = g_build_filename (f->dir, "second.philia", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *contents2 = NULL;
  gsize len, len2;
  const PhiliaTrainResult *gcn;

  g_assert_true (philia_document_get_dirty (doc));
  save (doc, f->project);
  back = reopen (f->project);
  assert_same_document (doc, back);
  g_assert_cmpuint (_philia_document_get_next_run_id (back), ==, 5);
  g_assert_cmpuint (philia_document_get_n_runs (back), ==, 3);
  g_assert_cmpuint (philia_graph_get_n_splits (philia_document_get_graph (back)), ==, 2);
  gcn = philia_document_find_run (back, 1)->result;
  g_assert_cmpstr (gcn->model, ==, "gcn");
  /* Two classes: ROC-AUC curves were kept and came back. */
  g_assert_nonnull (gcn->val_auc_curve);
  g_assert_cmpuint (philia_document_get_evaluation (back, 0)->n_heuristics, ==, 2);
  g_assert_null (philia_document_get_evaluation (back, 0)->report);

  /* Saving what was opened writes the same file again. */
  save (back, second);
  again = reopen (second);
  assert_same_document (doc, again);
  g_assert_true (g_file_get_contents (f->project, &contents, &len, NULL));
  g_assert_true (g_file_get_contents (second, &contents2, &len2, NULL));
  g_assert_cmpmem (contents, len, contents2, len2);
}

static void
test_embedded (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = full_document (f);
  g_autoptr(PhiliaDocument) back = NULL;
  g_autoptr(PhiliaDocument) again = NULL;
  g_autofree char *second = g_build_filename (f->dir, "second.philia", NULL);

  philia_document_set_embed (doc, TRUE);
  save (doc, f->project);
  /* The dataset can go: the project holds it. */
  g_assert_cmpint (g_unlink (f->dataset), ==, 0);
  back = reopen (f->project);
  assert_same_document (doc, back);
  g_assert_true (philia_document_get_embed (back));
  g_assert_null (philia_document_get_dataset_path (back));
  /* And a save of the reopened document embeds it again. */
  save (back, second);
  again = reopen (second);
  assert_same_document (doc, again);
}

/* A graph without a file (a filtered document) is embedded as an .npz. */
static void
test_filtered (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = new_document (f);
  g_autoptr(PhiliaDocument) filtered = NULL;
  g_autoptr(PhiliaDocument) back = NULL;
  g_autoptr(GError) error = NULL;
  static const guint classes[] = { 0 };
  PhiliaFilter filter = { PHILIA_FILTER_CLASSES, classes, 1, 0, 0 };

  filtered = philia_document_filter (doc, &filter, &error);
  g_assert_no_error (error);
  g_assert_null (philia_document_get_dataset_path (filtered));
  save (filtered, f->project);
  back = reopen (f->project);
  assert_same_document (filtered, back);
  g_assert_cmpuint (philia_graph_get_n_nodes (philia_document_get_graph (back)), ==, N / 2);
  g_assert_nonnull (philia_document_get_origin (back));
}

static void
test_node_table (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *edges = g_build_filename (f->dir, "data", "tiny.txt", NULL);
  g_autofree char *table = g_build_filename (f->dir, "data", "tiny.nodes.csv", NULL);
  g_autoptr(GFile) edges_file = g_file_new_for_path (edges);
  g_autoptr(GFile) table_file = g_file_new_for_path (table);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaDocument) doc = NULL;
  g_autoptr(PhiliaDocument) back = NULL;
  g_autoptr(PhiliaDocument) embedded = NULL;
  PhiliaDocument *refused;

  g_assert_true (g_file_set_contents (edges, "a b\nb c\nc d\nd a\n", -1, NULL));
  g_assert_true (g_file_set_contents (table, "id,class\na,x\nb,y\nc,x\n", -1, NULL));
  graph = philia_graph_load (edges_file, table_file, NULL, NULL, &error);
  g_assert_no_error (error);
  doc = philia_document_new (graph, edges, table);
  save (doc, f->project);
  back = reopen (f->project);
  g_assert_cmpstr (philia_document_get_node_table_path (back), ==, table);
  g_assert_cmpuint (philia_graph_get_n_labeled (philia_document_get_graph (back)), ==, 3);
  g_assert_cmpstr (philia_graph_get_class_name (philia_document_get_graph (back), 1), ==, "y");

  /* Embedded, the graph goes in as loaded (node table applied). */
  philia_document_set_embed (doc, TRUE);
  save (doc, f->project);
  g_unlink (table);
  embedded = reopen (f->project);
  g_assert_cmpuint (philia_graph_get_n_labeled (philia_document_get_graph (embedded)), ==, 3);
  g_assert_cmpstr (philia_graph_get_node_name (philia_document_get_graph (embedded), 3), ==,
                   "d");

  /* A changed node table is a changed dataset. */
  philia_document_set_embed (doc, FALSE);
  g_assert_true (g_file_set_contents (table, "id,class\na,x\nb,y\nc,x\n", -1, NULL));
  save (doc, f->project);
  g_assert_true (g_file_set_contents (table, "id,class\na,y\nb,y\nc,x\n", -1, NULL));
  refused = philia_document_open (f->project, NULL, 0, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_DATASET_CHANGED);
  g_assert_true (strstr (error->message, "node table") != NULL);
}

/* The relative path wins over the absolute one, which is the fallback. */
static void
test_moved (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = new_document (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_dir = g_strconcat (f->dir, "-moved", NULL);
  g_autofree char *moved_project = g_build_filename (moved_dir, "p.philia", NULL);
  g_autofree char *moved_dataset = g_build_filename (moved_dir, "data", "ring.npz", NULL);
  g_autofree char *elsewhere = g_build_filename (g_get_tmp_dir (), "philia-elsewhere.philia",
                                                 NULL);
  g_autoptr(PhiliaDocument) back = NULL;
  g_autoptr(PhiliaDocument) fallback = NULL;

  save (doc, f->project);
  /* Project and data moved together: found by the relative path. */
  g_assert_cmpint (g_rename (f->dir, moved_dir), ==, 0);
  back = reopen (moved_project);
  g_assert_cmpstr (philia_document_get_dataset_path (back), ==, moved_dataset);
  g_assert_cmpint (g_rename (moved_dir, f->dir), ==, 0);

  /* The project alone moved: found by the absolute path. */
  g_assert_true (philia_document_save (doc, elsewhere, NULL, &error));
  fallback = reopen (elsewhere);
  g_assert_cmpstr (philia_document_get_dataset_path (fallback), ==, f->dataset);
  g_unlink (elsewhere);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = full_document (f);
  g_autoptr(PhiliaDocument) back = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  philia_document_save_async (doc, f->project, NULL, store_result, &result);
  /* Not saved until the write is done. */
  g_assert_true (philia_document_get_dirty (doc));
  g_assert_true (philia_document_save_finish (doc, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_false (philia_document_get_dirty (doc));
  g_assert_cmpstr (philia_document_get_path (doc), ==, f->project);

  /* An edit made while the worker writes is not in the file: still unsaved. */
  philia_document_save_async (doc, f->project, NULL, store_result, &result);
  philia_document_set_notes (doc, "changed during the save");
  g_assert_true (philia_document_save_finish (doc, wait_for (&result), &error));
  g_clear_object (&result);
  g_assert_true (philia_document_get_dirty (doc));
  philia_document_undo (doc);

  philia_document_open_async (f->project, NULL, 0, NULL, store_result, &result);
  back = philia_document_open_finish (wait_for (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  assert_same_document (doc, back);

  /* Errors arrive the same way. */
  g_unlink (f->dataset);
  philia_document_open_async (f->project, NULL, 0, NULL, store_result, &result);
  g_assert_null (philia_document_open_finish (wait_for (&result), &error));
  g_clear_object (&result);
  g_assert_error (error, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_DATASET_MISSING);
}

/* }}} */
/* {{{ Atomic saves */

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_atomic (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = full_document (f);
  g_autoptr(PhiliaDocument) other = new_document (f);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *folder = g_build_filename (f->dir, "a-folder", NULL);
  g_autofree char *no_dir = g_build_filename (f->dir, "no", "such", "p.philia", NULL);
  gsize len_before, len_after;
  guint n_files;

  save (doc, f->project);
  g_assert_true (g_file_get_contents (f->project, &before, &len_before, NULL));
  n_files = count_files (f->dir);

  /* A cancelled save leaves the old file and no temporary file. */
  g_cancellable_cancel (cancellable);
  g_assert_false (philia_document_save (other, f->project, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (philia_document_get_dirty (other) || philia_document_get_path (other) == NULL);
  g_assert_true (g_file_get_contents (f->project, &after, &len_after, NULL));
  g_assert_cmpmem (before, len_before, after, len_after);
  g_assert_cmpuint (count_files (f->dir), ==, n_files);

  /* A rename that fails (the target is a folder) leaves no temporary file. */
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_false (philia_document_save (other, folder, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "a-folder: cannot be written: "));
  g_clear_error (&error);
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_files (f->dir), ==, n_files + 1);

  /* A folder that does not exist. */
  g_assert_false (philia_document_save (other, no_dir, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "p.philia: cannot be written: "));
  g_clear_error (&error);

  /* A read-only folder (root writes anyway: then there is nothing to check). */
  g_assert_cmpint (g_chmod (f->dir, 0555), ==, 0);
  if (access (f->dir, W_OK) != 0)
    {
      g_autofree char *still = NULL;
      gsize len_still;

      g_assert_false (philia_document_save (other, f->project, NULL, &error));
      g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_IO);
      g_clear_error (&error);
      g_assert_true (g_file_get_contents (f->project, &still, &len_still, NULL));
      g_assert_cmpmem (before, len_before, still, len_still);
    }
  g_assert_cmpint (g_chmod (f->dir, 0755), ==, 0);
}

/* The zip layer under project files: empty members, stored and deflated,
 * with and without a head (fuzz-project found NULL + 0 in the deflater). */
static void
test_zip_members (void)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(PhiliaZipWriter) zip = _philia_zip_writer_new (out, "members.zip");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) all = NULL;
  g_autoptr(PhiliaNpz) npz = NULL;
  static const char *const names[] = { "empty-stored", "empty-deflated", "head-stored",
                                       "head-deflated" };
  static const char *const expected[] = { "", "", "headdata", "headdata" };

  g_assert_true (_philia_zip_writer_add (zip, names[0], NULL, 0, NULL, 0, 0, NULL, &error));
  g_assert_true (_philia_zip_writer_add (zip, names[1], NULL, 0, NULL, 0, 6, NULL, &error));
  g_assert_true (_philia_zip_writer_add (zip, names[2], (const guint8 *)"head", 4,
                                         (const guint8 *)"data", 4, 0, NULL, &error));
  g_assert_true (_philia_zip_writer_add (zip, names[3], (const guint8 *)"head", 4,
                                         (const guint8 *)"data", 4, 1, NULL, &error));
  g_assert_true (_philia_zip_writer_finish (zip, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  all = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  npz = philia_npz_new_from_bytes (all, "members.zip", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_philia_npz_get_n_members (npz), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GBytes) b = _philia_npz_read_member (npz, names[i], 100, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (_philia_npz_get_member_name (npz, i), ==, names[i]);
      g_assert_cmpmem (g_bytes_get_data (b, NULL), g_bytes_get_size (b), expected[i],
                       strlen (expected[i]));
    }
  /* The size cap is checked before anything is read. */
  g_assert_null (_philia_npz_read_member (npz, names[2], 7, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "members.zip: member “head-stored” is too large (8 "
                   "bytes; at most 7 are read).");
  g_clear_error (&error);
  g_assert_null (_philia_npz_read_member (npz, "nothing", 7, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND);
}

/* }}} */
/* {{{ Sniffing and facts */

static void
test_sniff (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = new_document (f);
  g_autofree char *project = NULL;
  g_autofree char *dataset = NULL;
  gsize len, len_dataset;

  save (doc, f->project);
  g_assert_true (g_file_get_contents (f->project, &project, &len, NULL));
  g_assert_true (g_file_get_contents (f->dataset, &dataset, &len_dataset, NULL));
  g_assert_true (philia_project_sniff ((const guint8 *)project, len));
  g_assert_true (philia_project_sniff ((const guint8 *)project, 64));
  g_assert_false (philia_project_sniff ((const guint8 *)project, 40));
  g_assert_false (philia_project_sniff ((const guint8 *)dataset, len_dataset));
  g_assert_false (philia_project_sniff ((const guint8 *)"PK", 2));
  g_assert_false (philia_project_sniff (NULL, 0));
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = full_document (f);
  g_autoptr(PhiliaJson) json = philia_json_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *contents = NULL;
  JsonObject *p, *d, *run, *h;
  JsonArray *layouts;
  gsize len;

  save (doc, f->project);
  philia_json_begin_object (json);
  philia_document_write_json (doc, json);
  philia_json_end_object (json);
  text = philia_json_free_to_string (g_steal_pointer (&json));
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  p = json_object_get_object_member (json_node_get_object (root), "project");
  g_assert_cmpint (json_object_get_int_member (p, "format_version"), ==, 1);
  d = json_object_get_object_member (p, "dataset");
  g_assert_cmpstr (json_object_get_string_member (d, "path"), ==, f->dataset);
  g_assert_true (g_file_get_contents (f->dataset, &contents, &len, NULL));
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, len);
  g_assert_cmpstr (json_object_get_string_member (d, "sha256"), ==, sha);
  g_assert_cmpint (json_object_get_int_member (d, "size"), ==, (gint64)len);
  layouts = json_object_get_array_member (p, "layouts");
  g_assert_cmpuint (json_array_get_length (layouts), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (layouts, 0),
                                                  "algorithm"), ==, "fr");
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (layouts, 0),
                                                 "current"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (layouts, 1),
                                                  "name"), ==, "kk 2");
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (p, "runs")), ==, 3);
  run = json_array_get_object_element (json_object_get_array_member (p, "runs"), 1);
  g_assert_cmpint (json_object_get_int_member (run, "id"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (run, "model"), ==, "gat");
  g_assert_cmpfloat (json_object_get_double_member (run, "test_accuracy"), ==,
                     philia_document_find_run (doc, 2)->result->test_accuracy);
  h = json_array_get_object_element (
        json_object_get_array_member (first_of (p, "evaluations"), "heuristics"), 1);
  g_assert_cmpstr (json_object_get_string_member (h, "name"), ==, "katz");
  g_assert_cmpfloat (json_object_get_double_member (h, "auc"), ==,
                     philia_document_get_evaluation (doc, 0)->summary[6]);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (p, "pairs")), ==, 2);
}

/* }}} */

/* Runs over splits × seeds: @n_splits × @n_seeds MLP runs in split-major
 * order, seeds 5, 6, … per split, as the Train panel makes them. */
static guint
add_group (PhiliaDocument *doc,
           guint           n_splits,
           guint           n_seeds)
{
  PhiliaGraph *graph = philia_document_get_graph (doc);
  g_autofree PhiliaTrainResult **results = g_new (PhiliaTrainResult *, n_splits * n_seeds);
  PhiliaTrainParams params;

  philia_train_params_init (&params);
  params.epochs = 6;
  for (guint i = 0; i < n_splits * n_seeds; i++)
    {
      g_autoptr(GError) error = NULL;

      params.split = i / n_seeds;
      params.seed = 5 + i % n_seeds;
      results[i] = philia_train (graph, "mlp", &params, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  return philia_document_add_run_group (doc, results, n_splits, n_seeds);
}

/* A document with a run, a group of 2 splits × 2 seeds, and a run after. */
static PhiliaDocument *
group_document (Fixture *f)
{
  PhiliaDocument *doc = new_document (f);

  set_two_splits (doc);
  g_assert_cmpuint (philia_document_add_run (doc, train (philia_document_get_graph (doc), "gcn",
                                                         1)), ==, 1);
  g_assert_cmpuint (add_group (doc, 2, 2), ==, 2);
  g_assert_cmpuint (philia_document_add_run (doc, train (philia_document_get_graph (doc), "mlp",
                                                         1)), ==, 6);
  return doc;
}

/* The group survives save and reopen (it used to come back as four runs of
 * their own); a project without groups (older Philia) reads as before. */
static void
test_group (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = group_document (f);
  g_autoptr(PhiliaDocument) back = NULL;
  g_autoptr(PhiliaDocument) older = NULL;
  g_autoptr(Archive) a = NULL;
  JsonArray *runs;

  /* In the document: ids 2–5, split-major, each naming the group's first. */
  g_assert_cmpuint (philia_document_get_n_runs (doc), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      const PhiliaDocumentRun *run = philia_document_get_run (doc, i);
      gboolean member = run->id >= 2 && run->id <= 5;

      g_assert_cmpuint (run->id, ==, i + 1);
      g_assert_cmpuint (run->group, ==, member ? 2 : 0);
      g_assert_cmpuint (run->n_splits, ==, member ? 2 : 0);
      g_assert_cmpuint (run->n_seeds, ==, member ? 2 : 0);
      if (member)
        {
          g_assert_cmpuint (run->result->split, ==, (run->id - 2) / 2);
          g_assert_cmpuint (run->result->seed, ==, 5 + (run->id - 2) % 2);
        }
    }
  /* Adding runs is not a step, a group no more than a run. */
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Make Splits");

  save (doc, f->project);
  back = reopen (f->project);
  assert_same_document (doc, back);
  g_assert_cmpuint (philia_document_find_run (back, 4)->group, ==, 2);

  /* `info --json` names the group as the project does. */
  {
    g_autoptr(PhiliaJson) json = philia_json_new ();
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;
    JsonArray *list;
    JsonObject *group;

    philia_json_begin_object (json);
    philia_document_write_json (back, json);
    philia_json_end_object (json);
    text = philia_json_free_to_string (g_steal_pointer (&json));
    root = json_from_string (text, &error);
    g_assert_no_error (error);
    list = json_object_get_array_member (json_object_get_object_member (
                                           json_node_get_object (root), "project"), "runs");
    g_assert_false (json_object_has_member (json_array_get_object_element (list, 0), "group"));
    group = json_object_get_object_member (json_array_get_object_element (list, 3), "group");
    g_assert_nonnull (group);
    g_assert_cmpint (json_object_get_int_member (group, "id"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (group, "splits"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (group, "seeds"), ==, 2);
  }

  /* Deleting one run of the group and undoing it keeps its place. */
  g_assert_true (philia_document_delete_run (back, 3));
  g_assert_null (philia_document_find_run (back, 3));
  g_assert_true (philia_document_undo (back));
  g_assert_cmpuint (philia_document_find_run (back, 3)->group, ==, 2);
  g_assert_cmpuint (philia_document_find_run (back, 3)->n_seeds, ==, 2);

  /* Without the group members: the runs of a project from before groups. */
  a = archive_read (f->project);
  runs = json_object_get_array_member (manifest (a), "runs");
  g_assert_true (json_object_has_member (json_array_get_object_element (runs, 1), "group"));
  g_assert_false (json_object_has_member (json_array_get_object_element (runs, 0), "group"));
  for (guint i = 0; i < json_array_get_length (runs); i++)
    json_object_remove_member (json_array_get_object_element (runs, i), "group");
  archive_write (a, f->project);
  older = reopen (f->project);
  g_assert_cmpuint (philia_document_get_n_runs (older), ==, 6);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpuint (philia_document_get_run (older, i)->group, ==, 0);
}

/* A group that does not hold together is refused, naming the runs. */
static void
test_group_inconsistent (Fixture       *f,
                         gconstpointer  data)
{
  struct
  {
    guint       run;       /* index in the manifest's runs */
    const char *key;
    gint64      value;
    const char *message;
  } cases[] = {
    { 4, "id", 4, "p.philia: run 5 of the group that starts at run 4 used split 1, not 0." },
    { 4, "seeds", 1, "p.philia: run 5 is not one of the 2 × 1 runs of the group that starts at "
                     "run 2." },
    { 1, "splits", 3, "p.philia: runs 2 and 3 of the group that starts at run 2 disagree on its "
                      "shape." },
    { 2, "id", 6, "p.philia: run 3 is not one of the 2 × 2 runs of the group that starts at "
                  "run 6." },
    { 2, "seeds", 0, "p.philia: the manifest's runs.2.group.seeds is 0, outside [1, "
                     "4294967295]." },
  };
  g_autoptr(PhiliaDocument) doc = group_document (f);

  save (doc, f->project);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Archive) a = archive_read (f->project);
      JsonArray *runs = json_object_get_array_member (manifest (a), "runs");
      JsonObject *group = json_object_get_object_member (
        json_array_get_object_element (runs, cases[i].run), "group");

      json_object_set_int_member (group, cases[i].key, cases[i].value);
      archive_write (a, f->project);
      assert_refused (f->project, PHILIA_ERROR, PHILIA_ERROR_INVALID, cases[i].message);
      save (doc, f->project);
    }
}

/* A transformer run keeps its recipe (layers, sequences, batches) through a
 * save: its model, saved from the reopened run, predicts what the run did. */
static void
test_transformer_recipe (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = new_document (f);
  g_autoptr(PhiliaDocument) back = NULL;
  g_autoptr(PhiliaSavedModel) model = NULL;
  g_autoptr(PhiliaPrediction) p = NULL;
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph = philia_document_get_graph (doc);
  const PhiliaTrainResult *r, *original;
  PhiliaTrainParams params;

  philia_train_params_init (&params);
  params.epochs = 4;
  params.hidden = 8;
  params.heads = 2;
  params.layers = 1;
  params.walks = 2;
  params.walk_length = 4;
  params.hop_samples = 1;
  params.pretrain_epochs = 2;
  params.batch_size = 8;
  params.split = 0;
  params.seed = 3;
  params.n_threads = 1;
  philia_document_add_run (doc, philia_train (graph, "transformer", &params, NULL, NULL, NULL,
                                              NULL, &error));
  g_assert_no_error (error);
  save (doc, f->project);
  back = reopen (f->project);
  original = philia_document_find_run (doc, 1)->result;
  r = philia_document_find_run (back, 1)->result;
  g_assert_cmpint (r->params.layers, ==, 1);
  g_assert_cmpint (r->params.walks, ==, 2);
  g_assert_cmpint (r->params.walk_length, ==, 4);
  g_assert_cmpint (r->params.hop_samples, ==, 1);
  g_assert_cmpint (r->params.pretrain_epochs, ==, 2);
  g_assert_cmpint (r->params.batch_size, ==, 8);
  model = philia_saved_model_new_from_run (r, philia_document_get_graph (back), &error);
  g_assert_no_error (error);
  p = philia_saved_model_predict (model, philia_document_get_graph (back), 1, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (p->predictions, sizeof (gint32) * original->n_nodes, original->predictions,
                   sizeof (gint32) * original->n_nodes);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

#define ADD(path, func) \
  g_test_add ("/Philia/Project/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("empty", test_empty);
  ADD ("full", test_full);
  ADD ("group", test_group);
  ADD ("group-inconsistent", test_group_inconsistent);
  ADD ("embedded", test_embedded);
  ADD ("filtered", test_filtered);
  ADD ("node-table", test_node_table);
  ADD ("moved", test_moved);
  ADD ("async", test_async);
  ADD ("atomic", test_atomic);
  ADD ("sniff", test_sniff);
  ADD ("json", test_json);
  ADD ("transformer-recipe", test_transformer_recipe);
#undef ADD
  g_test_add_func ("/Philia/Project/zip-members", test_zip_members);

  return g_test_run ();
}
