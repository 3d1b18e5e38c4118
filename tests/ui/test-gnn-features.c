/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "philia-dataset-panel.h"
#include "philia-feature-sets.h"
#include "philia-proximity-gnn.h"
#include "philia-proximity-panel.h"
#include "philia-test-util.h"
#include "philia-window.h"

/* The feature set of the Proximity panel's evaluation and of its GNN, through
 * the real window on bundled Cora: random features derived and chosen for the
 * measures, Evaluate records and shows them, a GNN trained on the split
 * learns from them (its "Why this link" row matches philia-cli linkpred
 * --features with the same recipe, and differs from the original features'),
 * its row names the set, removing the set refuses the row by name and undo
 * brings it back. */
static PhiliaApplication *app;
static PhiliaWindow *window;

#define SPEC "random:16:3"

static PhiliaProximityPanel *
panel (void)
{
  return PHILIA_PROXIMITY_PANEL (philia_window_get_proximity_panel (window));
}

static PhiliaFeatureSets *
sets (void)
{
  return PHILIA_FEATURE_SETS (philia_dataset_panel_get_feature_sets (
    PHILIA_DATASET_PANEL (philia_window_get_dataset_panel (window))));
}

static gboolean
cora_ready (gpointer data)
{
  PhiliaGraph *g = philia_window_get_graph (window);

  return !philia_window_get_loading (window) && g != NULL && philia_graph_get_n_nodes (g) == 2708;
}

static gboolean
evaluated (gpointer data)
{
  return !philia_proximity_panel_get_busy (panel ())
         && philia_proximity_panel_get_report (panel ()) != NULL;
}

static gboolean
gnn_idle (gpointer data)
{
  return !philia_proximity_gnn_get_running (philia_proximity_panel_get_gnn (panel ()));
}

static gboolean
explained (gpointer data)
{
  return !philia_proximity_panel_get_busy (panel ())
         && philia_proximity_panel_get_explanation (panel ()) != NULL;
}

/* philia-cli linkpred on bundled Cora with --features @features (NULL: none): the MLP
 * link predictor's score of (@u, @v) as the panel prints it. */
static char *
cli_score (const char *features,
           guint       u,
           guint       v)
{
  g_autofree char *dataset = g_test_build_filename (G_TEST_DIST, "..", "..", "data", "cora.npz",
                                                    NULL);
  g_autofree char *pair = g_strdup_printf ("%u,%u", u, v);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("PHILIA_CLI"), "linkpred", dataset, "--model", "mlp",
                         "--seed", "0", "--epochs", "5", "--mrr-negatives", "20",
                         "--explain", pair, "--json", "--features", features, NULL };
  const char *at;
  int status;

  /* NULL: the dataset's own features. */
  if (features == NULL)
    argv[14] = NULL;
  g_assert_nonnull (argv[0]);
  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  at = strstr (out, "\"score\":");
  g_assert_nonnull (at);
  return g_strdup_printf ("%.4g", g_ascii_strtod (at + 8, NULL));
}

static void
save_window (const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;

  philia_test_spin_for (800);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  texture = philia_test_render_window (window, gtk_widget_get_width (GTK_WIDGET (window)),
                                       gtk_widget_get_height (GTK_WIDGET (window)));
  philia_test_save_png (texture, name);
}

static void
test_gnn_features (void)
{
  PhiliaDocument *doc;
  const PhiliaDocumentEvaluation *e;
  GtkWidget *gnn;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  g_autofree char *want = NULL;
  g_autofree char *original = NULL;
  g_autofree char *refusal = NULL;
  guint u = 0, v = 1;

  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, window, 10000));
  philia_window_open_default (window);
  window = philia_test_follow_open (window);
  g_assert_true (philia_test_spin_until (cora_ready, NULL, 60000));
  doc = philia_window_get_document (window);

  g_assert_true (philia_feature_sets_derive (sets (), SPEC, NULL));
  name = g_strdup (philia_document_get_feature_set (doc, 0)->name);
  g_assert_cmpstr (name, ==, "random 16");
  g_assert_true (philia_document_set_measure_features (doc, name));

  philia_proximity_panel_evaluate (panel (), 20);
  g_assert_true (philia_test_spin_until (evaluated, NULL, 300000));
  e = philia_document_get_evaluation (doc, 0);
  g_assert_cmpstr (e->features, ==, name);
  g_assert_nonnull (strstr (philia_proximity_panel_get_eval_status (panel ()),
                            "Features: “random 16” (fp and GNNs)."));

  gnn = philia_proximity_panel_get_gnn (panel ());
  philia_proximity_gnn_train (gnn, "mlp", "dot", 5);
  g_assert_true (philia_test_spin_until (gnn_idle, NULL, 300000));
  g_assert_cmpstr (philia_proximity_gnn_get_trained_features (gnn), ==, name);
  g_assert_nonnull (strstr (philia_proximity_gnn_get_status (gnn), "features “random 16”"));
  /* The document keeps the model with its set. */
  g_assert_cmpuint (e->models->len, ==, 1);
  g_assert_cmpstr (philia_document_evaluation_get_model_features (e, 0), ==, name);

  /* A pair: the row is the model's on those features, as the CLI's. */
  philia_proximity_panel_explain (panel (), u, v);
  g_assert_true (philia_test_spin_until (explained, NULL, 60000));
  label = g_strdup_printf ("%s on %s", "MLP (dot product)", name);
  g_assert_cmpstr (philia_proximity_panel_get_gnn_score_text (panel (), 0), ==, label);
  g_assert_nonnull (strstr (philia_proximity_panel_get_gnn_tooltip (panel ()),
                            "with the feature set “random 16”"));
  want = cli_score (SPEC, u, v);
  original = cli_score (NULL, u, v);
  g_test_message ("MLP on (%u, %u): panel %s, CLI on %s %s, on the original %s", u, v,
                  philia_proximity_panel_get_gnn_score_text (panel (), 1), SPEC, want, original);
  g_assert_cmpstr (philia_proximity_panel_get_gnn_score_text (panel (), 1), ==, want);
  g_assert_cmpstr (want, !=, original);
  gtk_stack_set_visible_child_name (GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (panel ()),
                                                                        GTK_TYPE_STACK)),
                                    "proximity");
  save_window ("window-proximity-gnn-features.png");

  /* Removing the set: the row refuses, naming it; undo brings the score back. */
  g_assert_true (philia_document_remove_feature_set (doc, name));
  g_assert_true (philia_test_spin_until (explained, NULL, 60000));
  refusal = g_strdup_printf ("Trained on the feature set “%s”, which the document no longer "
                             "has.", name);
  g_assert_cmpstr (philia_proximity_panel_get_gnn_score_text (panel (), 2), ==, refusal);
  g_assert_cmpstr (philia_proximity_panel_get_gnn_score_text (panel (), 1), ==, "—");
  g_assert_true (philia_document_undo (doc));
  g_assert_true (philia_test_spin_until (explained, NULL, 60000));
  g_assert_cmpstr (philia_proximity_panel_get_gnn_score_text (panel (), 1), ==, want);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!philia_test_init (&argc, &argv, "GnnFeatures"))
    return g_test_run ();
  window = philia_test_window_new (&app);
  g_test_add_func ("/Philia/GnnFeatures/gnn-row", test_gnn_features);
  ret = g_test_run ();
  philia_test_window_destroy (window, &app);
  return ret;
}
