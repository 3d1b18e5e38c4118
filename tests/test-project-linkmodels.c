/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "philia-core.h"
#include "philia-document-private.h"
#include "philia-project-private.h"

/*
 * GNN link predictors kept with a link-prediction evaluation: added to the
 * document, saved in the project and read back bit for bit (scores, curves,
 * figures, recipe), without their weights; refused when scored on another
 * split; a damaged entry is refused with a message naming it.
 *
 * The graph: a ring of 40 nodes with chords i – i+7 for even i (60 edges),
 * no features (the GCN sees one-hot ids).
 */

#define N 40

static PhiliaGraph *
ring_graph (void)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (N);
  g_autoptr(GError) error = NULL;
  GArray *edges = g_array_new (FALSE, FALSE, sizeof (gint64));
  PhiliaGraph *graph;
  guint n_edges;

  for (gint64 i = 0; i < N; i++)
    {
      gint64 e[2] = { i, (i + 1) % N };

      g_array_append_vals (edges, e, 2);
      if (i % 2 == 0)
        {
          e[1] = (i + 7) % N;
          g_array_append_vals (edges, e, 2);
        }
    }
  n_edges = edges->len / 2;
  philia_graph_builder_take_edges (b, (gint64 *)g_array_free (edges, FALSE), n_edges);
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  return graph;
}

static PhiliaLinkTrainResult *
train_gcn (PhiliaLinkSplit *split)
{
  g_autoptr(GError) error = NULL;
  PhiliaLinkModelParams params;
  PhiliaLinkTrainResult *t;

  philia_link_model_params_init (&params);
  params.epochs = 6;
  params.hidden = 8;
  params.n_threads = 1;
  params.seed = G_MAXUINT64 - 2;   /* past G_MAXINT64: written as a string */
  params.val_k = 5;
  t = philia_link_train (split, "gcn", &params, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return t;
}

static void
assert_same_doubles (const double *a,
                     const double *b,
                     gsize         n)
{
  if (n == 0)
    return;
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  for (gsize i = 0; i < n; i++)
    if (!(isnan (a[i]) && isnan (b[i])))
      g_assert_cmpmem (&a[i], sizeof (double), &b[i], sizeof (double));
}

static void
assert_same_model (const PhiliaLinkTrainResult *a,
                   const PhiliaLinkTrainResult *b)
{
  g_assert_cmpstr (a->model, ==, b->model);
  g_assert_cmpstr (a->result->name, ==, b->result->name);
  g_assert_cmpint (a->params.epochs, ==, b->params.epochs);
  g_assert_cmpint (a->params.patience, ==, b->params.patience);
  g_assert_cmpint (a->params.hidden, ==, b->params.hidden);
  g_assert_cmpint (a->params.layers, ==, b->params.layers);
  g_assert_cmpint (a->params.decoder_layers, ==, b->params.decoder_layers);
  g_assert_cmpint (a->params.decoder, ==, b->params.decoder);
  g_assert_cmpuint (a->params.val_k, ==, b->params.val_k);
  g_assert_cmpuint (a->params.seed, ==, b->params.seed);
  g_assert_cmpuint (a->params.n_threads, ==, b->params.n_threads);
  g_assert_cmpint (a->params.normalize_features, ==, b->params.normalize_features);
  assert_same_doubles (&a->params.lr, &b->params.lr, 1);
  assert_same_doubles (&a->params.dropout, &b->params.dropout, 1);
  assert_same_doubles (&a->params.weight_decay, &b->params.weight_decay, 1);
  g_assert_cmpuint (a->n_epochs, ==, b->n_epochs);
  g_assert_cmpuint (a->best_epoch, ==, b->best_epoch);
  assert_same_doubles (&a->best_val_hits, &b->best_val_hits, 1);
  assert_same_doubles (&a->epoch_ms_median, &b->epoch_ms_median, 1);
  assert_same_doubles (&a->seconds, &b->seconds, 1);
  g_assert_cmpint (a->identity_features, ==, b->identity_features);
  assert_same_doubles (a->loss, b->loss, a->n_epochs);
  assert_same_doubles (a->val_hits, b->val_hits, a->n_epochs);
  assert_same_doubles (a->result->hits, b->result->hits, 4);
  assert_same_doubles (&a->result->mrr, &b->result->mrr, 1);
  assert_same_doubles (&a->result->auc, &b->result->auc, 1);
  g_assert_cmpint (a->result->n_test, ==, b->result->n_test);
  assert_same_doubles (a->result->test_pos, b->result->test_pos, a->result->n_test);
  assert_same_doubles (a->result->test_neg, b->result->test_neg, a->result->n_test);
}

/* Trained, added, saved, reopened: the same figures and scores; the
 * reopened one scores no new pair (no weights) and its stored scores give
 * its stored Hits@K again. */
static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-linkmodels-XXXXXX", &error);
  g_autofree char *dataset = g_build_filename (dir, "ring.npz", NULL);
  g_autofree char *project = g_build_filename (dir, "p.philia", NULL);
  g_autoptr(PhiliaGraph) graph = ring_graph ();
  g_autoptr(PhiliaDocument) doc = NULL;
  g_autoptr(PhiliaDocument) back = NULL;
  g_autoptr(PhiliaLinkTrainResult) trained = NULL;
  g_autoptr(PhiliaLinkTrainResult) other = NULL;
  g_autoptr(PhiliaLinkSplit) other_split = NULL;
  PhiliaLinkpredReport *report;
  PhiliaProximityParams params;
  const PhiliaDocumentEvaluation *e;
  PhiliaLinkTrainResult *kept;
  gint64 pair[2] = { 0, 1 };
  double score;
  guint id;

  g_assert_no_error (error);
  g_assert_true (philia_graph_write_npz (graph, dataset, &error));
  doc = philia_document_new (graph, dataset, NULL);
  philia_proximity_params_init_default (&params);
  report = philia_linkpred_report_new (graph, &params,
                                       PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_CN) |
                                       PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_KATZ),
                                       5, 4, NULL, NULL, &error);
  g_assert_no_error (error);
  id = philia_document_add_evaluation (doc, &params, 5, 4, report);
  trained = train_gcn (report->split);

  /* An unknown evaluation, and a model scored on another split, are refused. */
  g_assert_false (philia_document_add_evaluation_model (doc, id + 1, trained, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  other_split = philia_link_split_new (graph, 0.05, 0.20, 4, 5, &error);
  g_assert_no_error (error);
  other = train_gcn (other_split);
  g_assert_cmpint (other->result->n_test, !=, report->split->n_test);
  g_assert_false (philia_document_add_evaluation_model (doc, id, other, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The link predictor was not scored on the test edges "
                   "of evaluation 1.");
  g_clear_error (&error);
  g_assert_null (philia_document_get_evaluation (doc, 0)->models);

  philia_document_save (doc, project, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (philia_document_add_evaluation_model (doc, id, trained, &error));
  g_assert_no_error (error);
  /* Not a step, but something to save. */
  g_assert_true (philia_document_get_dirty (doc));
  g_assert_false (philia_document_can_undo (doc));
  e = philia_document_get_evaluation (doc, 0);
  g_assert_cmpuint (e->models->len, ==, 1);
  kept = e->models->pdata[0];
  assert_same_model (trained, kept);
  g_assert_false (philia_link_train_result_score_pairs (kept, pair, 1, &score, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_clear_error (&error);

  philia_document_save (doc, project, NULL, &error);
  g_assert_no_error (error);
  back = philia_document_open (project, NULL, PHILIA_PROJECT_OPEN_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  e = philia_document_get_evaluation (back, 0);
  g_assert_null (e->report);
  g_assert_nonnull (e->models);
  g_assert_cmpuint (e->models->len, ==, 1);
  assert_same_model (trained, e->models->pdata[0]);
  /* The stored scores are those that gave the stored figures. */
  kept = e->models->pdata[0];
  for (guint k = 0; k < 4; k++)
    g_assert_cmpfloat (philia_linkpred_result_hits (kept->result, philia_linkpred_hits_ks[k]),
                       ==, kept->result->hits[k]);
  /* Recomputing the heuristics from the recipe keeps the model. */
  g_assert_true (philia_document_ensure_evaluation (back, e->id, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (e->models->len, ==, 1);
  g_assert_false (philia_document_get_dirty (back));
  g_assert_cmpint (e->report->split->n_test, ==, kept->result->n_test);

  g_unlink (dataset);
  g_unlink (project);
  g_rmdir (dir);
}

/* Written and read by the manifest's own functions: NaN, ±∞, a seed past
 * G_MAXINT64, an empty curve, and every member checked. */
static PhiliaLinkTrainResult *
hand_made (void)
{
  PhiliaLinkTrainResult *t = g_new0 (PhiliaLinkTrainResult, 1);
  PhiliaLinkpredResult *r = g_new0 (PhiliaLinkpredResult, 1);
  double pos[] = { 1.5, -INFINITY, NAN }, neg[] = { INFINITY, 0.1, -2e-310 };

  philia_link_model_params_init (&t->params);
  t->params.seed = G_MAXUINT64;
  t->params.decoder = PHILIA_LINK_DECODER_MLP;
  t->model = g_strdup ("sage");
  t->n_epochs = 0;
  t->best_epoch = 0;
  t->best_val_hits = NAN;
  t->result = r;
  r->heuristic = PHILIA_PROXIMITY_N_HEURISTICS;
  r->name = g_strdup ("sage-mlp");
  r->n_test = 3;
  r->test_pos = g_memdup2 (pos, sizeof pos);
  r->test_neg = g_memdup2 (neg, sizeof neg);
  r->hits[0] = 1.0 / 3.0;
  r->hits[3] = 1;
  r->mrr = NAN;
  r->auc = 0.5;
  return t;
}

static char *
manifest_of (GPtrArray *models)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  _philia_project_write_link_models (b, models, NULL);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static gboolean
read_text (const char                *text,
           PhiliaDocumentEvaluation  *e,
           GError                   **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  e->id = 7;
  return _philia_project_read_link_models (json_node_get_object (json_parser_get_root (parser)),
                                           "p.philia", e, error);
}

static void
test_manifest (void)
{
  g_autoptr(GPtrArray) models =
    g_ptr_array_new_with_free_func ((GDestroyNotify)philia_link_train_result_free);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  PhiliaDocumentEvaluation e = { 0 };
  struct { const char *from, *to, *message; } damage[] = {
    { "\"test_neg\":[\"inf\",", "\"test_neg\":[",
      "p.philia: link predictor 1 of evaluation 7: test_neg has 2 numbers, where 3 were "
      "expected." },
    { "\"decoder\":\"mlp\"", "\"decoder\":\"cnn\"",
      "p.philia: link predictor 1 of evaluation 7: the decoder is neither dot nor mlp." },
    { "\"hidden\":256", "\"hidden\":0",
      "p.philia: link predictor 1 of evaluation 7: hidden is 0, outside [1, 2147483647]." },
    { "\"mrr\":null", "\"mrr\":\"x\"",
      "p.philia: link predictor 1 of evaluation 7: mrr is missing or not a number." },
    { "\"model\":\"sage\"", "\"model\":\"\"",
      "p.philia: link predictor 1 of evaluation 7: model is missing or not a name." },
    { "\"best_epoch\":0", "\"best_epoch\":2",
      "p.philia: link predictor 1 of evaluation 7: its best epoch 2 is past its 0 epochs." },
  };

  g_ptr_array_add (models, hand_made ());
  g_ptr_array_add (models, hand_made ());
  text = manifest_of (models);
  g_assert_true (read_text (text, &e, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (e.models->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    assert_same_model (models->pdata[0], e.models->pdata[i]);
  /* Without names, the original features, written and read back. */
  g_assert_nonnull (strstr (text, "\"features\":\"original\""));
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (philia_document_evaluation_get_model_features (&e, i), ==, "original");
  g_clear_pointer (&e.models, g_ptr_array_unref);
  g_clear_pointer (&e.model_features, g_ptr_array_unref);

  /* No member (a project from before): no models. An empty list: none. */
  g_assert_true (read_text ("{}", &e, &error));
  g_assert_null (e.models);
  g_assert_true (read_text ("{\"models\":[]}", &e, &error));
  g_assert_null (e.models);
  g_assert_false (read_text ("{\"models\":{}}", &e, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT);
  g_assert_cmpstr (error->message, ==, "p.philia: the models of evaluation 7 are not a list.");
  g_clear_error (&error);

  g_ptr_array_set_size (models, 1);
  g_clear_pointer (&text, g_free);
  text = manifest_of (models);
  for (guint d = 0; d < G_N_ELEMENTS (damage); d++)
    {
      g_autoptr(GString) bad = g_string_new (text);

      g_assert_nonnull (strstr (text, damage[d].from));
      g_string_replace (bad, damage[d].from, damage[d].to, 1);
      g_assert_false (read_text (bad->str, &e, &error));
      g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT);
      g_assert_cmpstr (error->message, ==, damage[d].message);
      g_clear_error (&error);
      g_clear_pointer (&e.models, g_ptr_array_unref);
      g_clear_pointer (&e.model_features, g_ptr_array_unref);
    }
  /* Two models of one evaluation scored different numbers of test edges. */
  {
    g_autoptr(GString) two = NULL;
    g_autoptr(GString) shorter = NULL;
    g_autofree char *one = g_strdup (strchr (text, '[') + 1);

    one[strlen (one) - 2] = '\0';   /* the object inside "models":[…]} */
    shorter = g_string_new (one);
    g_string_replace (shorter, "\"test_pos\":[1.5,", "\"test_pos\":[", 1);
    g_string_replace (shorter, "\"test_neg\":[\"inf\",", "\"test_neg\":[", 1);
    two = g_string_new (NULL);
    g_string_printf (two, "{\"models\":[%s,%s]}", one, shorter->str);
    g_assert_false (read_text (two->str, &e, &error));
    g_assert_cmpstr (error->message, ==, "p.philia: link predictor 2 of evaluation 7: test_pos "
                     "has 2 numbers, where 3 were expected.");
    g_clear_error (&error);
    g_clear_pointer (&e.models, g_ptr_array_unref);
    g_clear_pointer (&e.model_features, g_ptr_array_unref);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/project-linkmodels/round-trip", test_round_trip);
  g_test_add_func ("/project-linkmodels/manifest", test_manifest);
  return g_test_run ();
}
