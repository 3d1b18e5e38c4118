/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "project-test-util.h"

/*
 * Which feature set a link-prediction evaluation and its GNN link
 * predictors used: recorded with the evaluation, saved and read back,
 * "original" for projects from before feature sets, the figures recomputed
 * on that set (not on today's choice), and a set removed since refused by
 * name.
 */

/* The fp heuristic's column in a report (the evaluations here score fp and CN). */
static const PhiliaLinkpredResult *
fp_result (const PhiliaLinkpredReport *report)
{
  for (guint i = 0; i < report->n_results; i++)
    if (report->results[i]->heuristic == PHILIA_PROXIMITY_FP)
      return report->results[i];
  g_assert_not_reached ();
  return NULL;
}

#define MASK (PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_CN) \
              | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_FP))

/* An evaluation (seed 3, 5 MRR negatives) of fp and CN on the graph with the
 * document's set @features, recorded with that name, and a GCN trained for
 * two epochs on its split; returns its id. */
static guint
add_evaluation (PhiliaDocument *doc,
                const char     *features)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = philia_document_dup_graph_with_features (doc, features, &error);
  g_autoptr(PhiliaLinkTrainResult) trained = NULL;
  PhiliaLinkpredReport *report;
  PhiliaProximityParams params;
  PhiliaLinkModelParams mp;
  guint id;

  g_assert_no_error (error);
  philia_proximity_params_init_default (&params);
  report = philia_linkpred_report_new (graph, &params, MASK, 3, 5, NULL, NULL, &error);
  g_assert_no_error (error);
  id = philia_document_add_evaluation (doc, &params, 3, 5, report);
  g_assert_true (philia_document_set_evaluation_features (doc, id, features));
  philia_link_model_params_init (&mp);
  mp.epochs = 2;
  mp.hidden = 8;
  mp.n_threads = 1;
  trained = philia_link_train (report->split, "gcn", &mp, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (philia_document_add_evaluation_model (doc, id, trained, &error));
  g_assert_no_error (error);
  return id;
}

static const PhiliaDocumentEvaluation *
evaluation (PhiliaDocument *doc,
            guint           id)
{
  for (guint i = 0; i < philia_document_get_n_evaluations (doc); i++)
    if (philia_document_get_evaluation (doc, i)->id == id)
      return philia_document_get_evaluation (doc, i);
  g_assert_not_reached ();
  return NULL;
}

/* Recorded, refused for a name or an id the document lacks, saved and read
 * back; reopened, the figures are recomputed on the recorded set: fp's
 * scores are those of the set, not of the original features (which give
 * others), and the document stays clean. */
static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = new_document (f);
  g_autoptr(PhiliaDocument) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaFeatureSet) set = NULL;
  const PhiliaDocumentEvaluation *e, *orig;
  const char *name;
  guint id, plain;

  set = philia_feature_set_from_spec (philia_document_get_graph (doc), "ahat:2", &error);
  g_assert_no_error (error);
  name = philia_document_add_feature_set (doc, g_steal_pointer (&set), "ahat:2");
  id = add_evaluation (doc, name);
  plain = add_evaluation (doc, PHILIA_FEATURES_ORIGINAL);
  g_assert_false (philia_document_set_evaluation_features (doc, id, "no such set"));
  g_assert_false (philia_document_set_evaluation_features (doc, 999, PHILIA_FEATURES_ORIGINAL));
  e = evaluation (doc, id);
  orig = evaluation (doc, plain);
  g_assert_cmpstr (e->features, ==, name);
  g_assert_cmpstr (philia_document_evaluation_get_model_features (e, 0), ==, name);
  g_assert_cmpstr (orig->features, ==, PHILIA_FEATURES_ORIGINAL);
  /* Same split, other features: fp scores the test edges otherwise. */
  g_assert_cmpint (e->report->split->n_test, ==, orig->report->split->n_test);
  g_assert_cmpmem (e->report->split->test, 2 * sizeof (gint64) * e->report->split->n_test,
                   orig->report->split->test, 2 * sizeof (gint64) * orig->report->split->n_test);
  g_assert_true (memcmp (fp_result (e->report)->test_pos, fp_result (orig->report)->test_pos,
                         sizeof (double) * e->report->split->n_test) != 0);

  save (doc, f->project);
  back = reopen (f->project);
  g_assert_cmpstr (evaluation (back, id)->features, ==, name);
  g_assert_cmpstr (philia_document_evaluation_get_model_features (evaluation (back, id), 0), ==,
                   name);
  g_assert_cmpstr (evaluation (back, plain)->features, ==, PHILIA_FEATURES_ORIGINAL);
  /* Recomputed on Â²X even though the measures' choice is the original. */
  g_assert_cmpstr (philia_document_get_measure_features (back), ==, PHILIA_FEATURES_ORIGINAL);
  g_assert_true (philia_document_ensure_evaluation (back, id, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (philia_document_get_dirty (back));
  g_assert_cmpmem (fp_result (evaluation (back, id)->report)->test_pos,
                   sizeof (double) * e->report->split->n_test, fp_result (e->report)->test_pos,
                   sizeof (double) * e->report->split->n_test);
  g_assert_cmpuint (evaluation (back, id)->models->len, ==, 1);
  g_assert_cmpuint (evaluation (back, id)->model_features->len, ==, 1);
}

/* A project from before feature sets (no "features" in its evaluations or
 * models) opens with the original, and recomputes on it. */
static void
test_old_project (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = new_document (f);
  g_autoptr(PhiliaDocument) back = NULL;
  g_autoptr(Archive) a = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *e;
  guint id;

  id = add_evaluation (doc, PHILIA_FEATURES_ORIGINAL);
  save (doc, f->project);
  a = archive_read (f->project);
  e = first_of (manifest (a), "evaluations");
  g_assert_cmpstr (json_object_get_string_member (e, "features"), ==, "original");
  json_object_remove_member (e, "features");
  json_object_remove_member (first_of (e, "models"), "features");
  archive_write (a, f->project);

  back = reopen (f->project);
  g_assert_cmpstr (evaluation (back, id)->features, ==, PHILIA_FEATURES_ORIGINAL);
  g_assert_cmpstr (philia_document_evaluation_get_model_features (evaluation (back, id), 0), ==,
                   PHILIA_FEATURES_ORIGINAL);
  g_assert_true (philia_document_ensure_evaluation (back, id, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (philia_document_get_dirty (back));
}

/* Removing the set keeps the evaluation (and the project still opens), but
 * its graph and its recomputation are refused naming the set; undoing the
 * removal brings both back. A model recorded under another name than its
 * evaluation's is kept as written. */
static void
test_missing_set (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = new_document (f);
  g_autoptr(PhiliaDocument) back = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(Archive) a = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaFeatureSet) set = NULL;
  const char *name;
  guint id;

  set = philia_feature_set_random (philia_document_get_graph (doc), 3, 7);
  name = philia_document_add_feature_set (doc, g_steal_pointer (&set), "random:3:7");
  id = add_evaluation (doc, name);
  g_assert_true (philia_document_remove_feature_set (doc, name));
  graph = philia_document_dup_evaluation_graph (doc, id, &error);
  g_assert_null (graph);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_nonnull (strstr (error->message, "no longer has"));
  g_clear_error (&error);
  graph = philia_document_dup_evaluation_graph (doc, 999, &error);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  save (doc, f->project);
  back = reopen (f->project);
  g_assert_cmpstr (evaluation (back, id)->features, ==, name);
  g_assert_false (philia_document_ensure_evaluation (back, id, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, name));
  g_clear_error (&error);
  g_assert_null (evaluation (back, id)->report);

  g_assert_true (philia_document_undo (doc));
  graph = philia_document_dup_evaluation_graph (doc, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (philia_graph_get_n_features (graph), ==, 3);

  /* A hand-edited model name is read as written. */
  g_clear_object (&back);
  a = archive_read (f->project);
  json_object_set_string_member (first_of (first_of (manifest (a), "evaluations"), "models"),
                                 "features", "emb.npy");
  archive_write (a, f->project);
  back = reopen (f->project);
  g_assert_cmpstr (philia_document_evaluation_get_model_features (evaluation (back, id), 0), ==,
                   "emb.npy");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add ("/evaluation-features/round-trip", Fixture, NULL, fixture_set_up,
              test_round_trip, fixture_tear_down);
  g_test_add ("/evaluation-features/old-project", Fixture, NULL, fixture_set_up,
              test_old_project, fixture_tear_down);
  g_test_add ("/evaluation-features/missing-set", Fixture, NULL, fixture_set_up,
              test_missing_set, fixture_tear_down);
  return g_test_run ();
}
