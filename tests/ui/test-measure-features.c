/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "philia-dataset-panel.h"
#include "philia-feature-sets.h"
#include "philia-proximity-panel.h"
#include "philia-stats-panel.h"
#include "philia-test-util.h"
#include "philia-window.h"

/* Which feature set the feature measures use, through the real window on
 * bundled Cora: the Statistics panel's Features drop-down picks a derived
 * set (a step in the document), the feature-similarity row shows that set's
 * value (checked against a direct count), the Proximity panel's drop-down
 * follows and its fp score of a pair is the set's, and undo brings the
 * original back in both. With PHILIA_FEATURES_SHOTS=DIR set it saves a
 * screenshot of each panel. */
static PhiliaApplication *app;
static PhiliaWindow *window;

#define MAX_DEGREE 4

static PhiliaStatsPanel *
stats (void)
{
  return PHILIA_STATS_PANEL (philia_window_get_stats_panel (window));
}

static PhiliaProximityPanel *
proximity (void)
{
  return PHILIA_PROXIMITY_PANEL (philia_window_get_proximity_panel (window));
}

/* The drop-down named "features-dropdown" inside @root. */
static GtkDropDown *
find_dropdown (GtkWidget *root)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkDropDown *found;

      if (GTK_IS_DROP_DOWN (c) && g_strcmp0 (gtk_widget_get_name (c), "features-dropdown") == 0)
        return GTK_DROP_DOWN (c);
      if ((found = find_dropdown (c)) != NULL)
        return found;
    }
  return NULL;
}

static PhiliaFeatureSets *
sets (void)
{
  return PHILIA_FEATURE_SETS (philia_dataset_panel_get_feature_sets (
    PHILIA_DATASET_PANEL (philia_window_get_dataset_panel (window))));
}

static gboolean
stats_ready (gpointer data)
{
  return !philia_window_get_loading (window) && philia_window_get_graph (window) != NULL
         && !philia_stats_panel_get_computing (stats ())
         && philia_stats_panel_get_result_graph (stats ()) == philia_window_get_graph (window);
}

static gboolean
pair_scored (gpointer data)
{
  const PhiliaPairExplanation *x = philia_proximity_panel_get_explanation (proximity ());

  return !philia_proximity_panel_get_busy (proximity ()) && x != NULL;
}

static GtkStack *
side_stack (void)
{
  GtkWidget *w = philia_window_get_stats_panel (window);

  while (w != NULL && !GTK_IS_STACK (w))
    w = gtk_widget_get_parent (w);
  return GTK_STACK (w);
}

static void
shot (const char *page,
      const char *name)
{
  const char *dir = g_getenv ("PHILIA_FEATURES_SHOTS");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  gtk_stack_set_visible_child_name (side_stack (), page);
  philia_test_spin_for (500);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  texture = philia_test_render_window (window, gtk_widget_get_width (GTK_WIDGET (window)),
                                       gtk_widget_get_height (GTK_WIDGET (window)));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

/* Mean cosine over the edges of one-hot degree (capped at MAX_DEGREE): the
 * share of edges whose two ends fall in the same degree column. */
static double
degree_similarity (PhiliaGraph *graph)
{
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  guint n = philia_graph_get_n_nodes (graph);
  double same = 0, count = 0;

  for (guint v = 0; v < n; v++)
    for (gint64 e = off[v]; e < off[v + 1]; e++)
      if ((guint) nbr[e] > v)
        {
          gint64 a = MIN (off[v + 1] - off[v], MAX_DEGREE);
          gint64 b = MIN (off[nbr[e] + 1] - off[nbr[e]], MAX_DEGREE);

          same += a == b;
          count++;
        }
  return same / count;
}

static void
test_choose (void)
{
  PhiliaDocument *doc;
  PhiliaGraph *graph;
  GtkDropDown *dd, *prox_dd;
  g_autofree char *original = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *fp_original = NULL;
  const gint64 *off;
  guint u = 0, v = 0;

  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, window, 10000));
  philia_window_open_default (window);
  window = philia_test_follow_open (window);
  g_assert_true (philia_test_spin_until (stats_ready, NULL, 30000));
  doc = philia_window_get_document (window);
  graph = philia_window_get_graph (window);
  dd = find_dropdown (GTK_WIDGET (stats ()));
  prox_dd = find_dropdown (GTK_WIDGET (proximity ()));
  g_assert_nonnull (dd);
  g_assert_nonnull (prox_dd);

  /* Nothing to choose from yet. */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (dd)));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dd)), ==, 1);
  original = g_strdup (philia_stats_panel_get_value_text (stats (), "feature-edges"));

  g_assert_true (philia_feature_sets_derive (sets (), "degree:4", NULL));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (dd)));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dd)), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (dd)), 1),
                   ==, "degree (2708 × 5)");
  /* Adding a set is not choosing it. */
  g_assert_cmpuint (gtk_drop_down_get_selected (dd), ==, 0);
  g_assert_cmpstr (philia_document_get_measure_features (doc), ==, "original");

  /* A pair joined by an edge whose ends share a degree column: fp 1 there. */
  off = philia_graph_get_row_offsets (graph);
  for (u = 0; u < philia_graph_get_n_nodes (graph); u++)
    {
      gint64 e;

      for (e = off[u]; e < off[u + 1]; e++)
        {
          v = (guint) philia_graph_get_neighbors (graph)[e];
          if (MIN (off[u + 1] - off[u], MAX_DEGREE) == MIN (off[v + 1] - off[v], MAX_DEGREE))
            break;
        }
      if (e < off[u + 1])
        break;
    }
  g_assert_cmpuint (u, <, philia_graph_get_n_nodes (graph));
  philia_proximity_panel_explain (proximity (), u, v);
  g_assert_true (philia_test_spin_until (pair_scored, NULL, 30000));
  fp_original = g_strdup (philia_proximity_panel_get_score_text (proximity (),
                                                                   PHILIA_PROXIMITY_FP, 1));
  g_assert_cmpstr (fp_original, !=, "1");

  /* The user picks the derived set in the Statistics panel. */
  gtk_drop_down_set_selected (dd, 1);
  g_assert_cmpstr (philia_document_get_measure_features (doc), ==, "degree");
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Features for Measures");
  g_assert_true (philia_stats_panel_get_computing (stats ()));
  g_assert_true (philia_test_spin_until (stats_ready, NULL, 30000));
  expected = g_strdup_printf ("%.4f", degree_similarity (graph));
  g_assert_cmpstr (philia_stats_panel_get_value_text (stats (), "feature-edges"), ==, expected);
  g_assert_cmpstr (expected, !=, original);
  /* The Proximity panel follows: same choice, and the pair's fp is the set's. */
  g_assert_cmpuint (gtk_drop_down_get_selected (prox_dd), ==, 1);
  g_assert_true (philia_test_spin_until (pair_scored, NULL, 30000));
  g_assert_cmpstr (philia_proximity_panel_get_score_text (proximity (), PHILIA_PROXIMITY_FP, 1),
                   ==, "1");
  shot ("statistics", "stats-features-degree.png");
  shot ("proximity", "proximity-features-degree.png");

  /* Undo: the original again, in both panels. */
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpuint (gtk_drop_down_get_selected (dd), ==, 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (prox_dd), ==, 0);
  g_assert_true (philia_test_spin_until (stats_ready, NULL, 30000));
  g_assert_cmpstr (philia_stats_panel_get_value_text (stats (), "feature-edges"), ==, original);
  g_assert_true (philia_test_spin_until (pair_scored, NULL, 30000));
  g_assert_cmpstr (philia_proximity_panel_get_score_text (proximity (), PHILIA_PROXIMITY_FP, 1),
                   ==, fp_original);

  /* Picking in the Proximity panel is the same choice. */
  gtk_drop_down_set_selected (prox_dd, 1);
  g_assert_cmpstr (philia_document_get_measure_features (doc), ==, "degree");
  g_assert_cmpuint (gtk_drop_down_get_selected (dd), ==, 1);
  /* Removing the chosen set falls back to the original. */
  g_assert_true (philia_document_remove_feature_set (doc, "degree"));
  g_assert_cmpuint (gtk_drop_down_get_selected (dd), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (dd)));
  g_assert_true (philia_test_spin_until (stats_ready, NULL, 30000));
  g_assert_cmpstr (philia_stats_panel_get_value_text (stats (), "feature-edges"), ==, original);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!philia_test_init (&argc, &argv, "MeasureFeatures"))
    return g_test_run ();
  window = philia_test_window_new (&app);
  g_test_add_func ("/Philia/MeasureFeatures/choose", test_choose);
  ret = g_test_run ();
  philia_test_window_destroy (window, &app);
  return ret;
}
