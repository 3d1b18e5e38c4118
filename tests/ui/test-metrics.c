/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "philia-chart-view.h"
#include "philia-split-dialog.h"
#include "philia-test-util.h"
#include "philia-train-panel.h"
#include "philia-window.h"

/* The Train page's metrics and splits, driven through the real window: a
 * two-class graph shows its ROC-AUC curves and the majority baseline; the
 * karate club's GraphML (labels, no masks) gets random splits from Make
 * Splits…, which Save as .npz keeps, and trains over 10 splits × 10 seeds to
 * a mean ± standard deviation that an independent loop reproduces. With
 * PHILIA_TRAIN_SHOTS=DIR set it saves the screenshots. */
static PhiliaApplication *app;
static PhiliaWindow *window;
static const char *shots;

static PhiliaTrainPanel *
panel (void)
{
  return PHILIA_TRAIN_PANEL (philia_window_get_train_panel (window));
}

static GtkStack *
side_stack (void)
{
  GtkWidget *stack = gtk_widget_get_parent (GTK_WIDGET (panel ()));

  while (stack != NULL && !GTK_IS_STACK (stack))
    stack = gtk_widget_get_parent (stack);
  g_assert_nonnull (stack);
  return GTK_STACK (stack);
}

static gboolean
not_training (gpointer data)
{
  return !philia_train_panel_get_training (panel ());
}

static gboolean
panel_has (gpointer graph)
{
  return philia_train_panel_get_graph (panel ()) == graph;
}

static void
show (PhiliaGraph *graph)
{
  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, window, 10000));
  philia_window_set_graph (window, graph);
  /* A new window when the document before had work in it (HACKING.md §10). */
  window = philia_test_follow_open (window);
  g_assert_true (philia_test_spin_until (panel_has, graph, 10000));
  gtk_stack_set_visible_child_name (side_stack (), "train");
}

static void
train (const char *model,
       int         epochs)
{
  g_assert_true (philia_train_panel_set_model (panel (), model));
  if (epochs > 0)
    gtk_spin_button_set_value (philia_train_panel_get_param_spin (panel (), "epochs"), epochs);
  gtk_widget_activate_action (GTK_WIDGET (panel ()), "train.start", NULL);
}

static void
save_shot (const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (shots == NULL)
    return;
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  texture = philia_test_render_window (window, gtk_widget_get_width (GTK_WIDGET (window)),
                                       gtk_widget_get_height (GTK_WIDGET (window)));
  path = g_build_filename (shots, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

/* Scrolls the Train page so that @widget is at the top. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  graphene_point_t p;

  gtk_adjustment_set_value (adj, 0);
  philia_test_spin_for (100);
  g_assert_true (gtk_widget_compute_point (widget, gtk_scrolled_window_get_child (
                                             GTK_SCROLLED_WINDOW (scrolled)),
                                           &GRAPHENE_POINT_INIT (0, 0), &p));
  gtk_adjustment_set_value (adj, MAX (p.y - 12, 0));
  philia_test_spin_for (200);
}

/* ------------------------------------------------------- two classes */

static void
test_two_class (void)
{
  PhiliaCsbmParams p;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *row = NULL;
  GtkWidget *roc = philia_train_panel_get_chart (panel (), "roc-auc");
  const PhiliaTrainResult *r;
  const char *status;
  char expected[64];

  philia_csbm_params_init_default (&p);
  p.n_nodes = 2000;
  p.n_classes = 2;
  p.class_proportions[0] = 0.8;
  p.class_proportions[1] = 0.2;
  p.homophily = 0.5;
  p.seed = 4;
  graph = philia_csbm_generate (&p, NULL, &error);
  g_assert_no_error (error);
  show (graph);

  /* Two classes: the ROC-AUC chart is there. */
  g_assert_true (gtk_widget_get_visible (roc));
  train ("gcn", 200);
  g_assert_true (philia_train_panel_get_training (panel ()));
  g_assert_true (philia_test_spin_until (not_training, NULL, 60000));
  g_assert_null (philia_train_panel_get_message_text (panel ()));

  r = philia_train_panel_get_current_run (panel ());
  g_assert_nonnull (r);
  g_assert_cmpint (r->metric, ==, PHILIA_METRIC_ROC_AUC);
  g_assert_cmpint (r->best_epoch_rule, ==, PHILIA_BEST_BY_VAL_ROC_AUC);
  status = philia_train_panel_get_status_text (panel ());
  row = philia_train_panel_dup_run_text (panel (), 0);
  g_test_message ("%s\n%s", status, row);
  /* The metric, then accuracy beside the majority share, with the run's numbers. */
  g_snprintf (expected, sizeof expected, "GCN: test ROC-AUC %.3f, accuracy %.3f (majority %.3f)",
              r->test_roc_auc, r->test_accuracy, r->test_majority);
  g_assert_true (g_str_has_prefix (status, expected));
  g_snprintf (expected, sizeof expected, "|best val ROC-AUC %.3f (epoch %u) · test ROC-AUC %.3f",
              r->val_roc_auc, r->best_epoch, r->test_roc_auc);
  g_assert_nonnull (strstr (row, expected));
  g_snprintf (expected, sizeof expected, "(majority %.3f)", r->test_majority);
  g_assert_nonnull (strstr (row, expected));
  /* The 80/20 trap: accuracy near the majority share, ROC-AUC well above ½. */
  g_assert_cmpfloat (fabs (r->test_majority - 0.8), <, 0.05);
  g_assert_cmpfloat (r->test_roc_auc, >, 0.75);

  /* The run's ROC-AUC curves are drawn in its colour (the first). */
  g_assert_cmpuint (philia_test_count_chart_colour (roc, 0), >, 200);
  if (shots != NULL)
    {
      g_autofree char *export = g_build_filename (shots, "roc-auc-curves.png", NULL);

      scroll_to (philia_train_panel_get_chart (panel (), "accuracy"));
      save_shot ("two-class-roc-auc.png");
      g_assert_true (philia_chart_view_export_full (PHILIA_CHART_VIEW (roc), export, 480, 300,
                                                    150, &error));
      g_assert_no_error (error);
    }
}

/* ------------------------------------------------- splits, many runs */

static gboolean
graph_nodes (gpointer data)
{
  PhiliaGraph *g = philia_window_get_graph (window);

  return !philia_window_get_loading (window) && g != NULL
         && philia_graph_get_n_nodes (g) == GPOINTER_TO_UINT (data)
         && philia_train_panel_get_graph (panel ()) == g;
}

static PhiliaSplitDialog *
find_split_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (PHILIA_IS_SPLIT_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
no_split_dialog (gpointer data)
{
  return find_split_dialog () == NULL;
}

static void
test_karate_splits_and_runs (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "import",
                                                 "karate.graphml", NULL);
  g_autofree char *npz = g_build_filename (g_get_tmp_dir (), "philia-test-metrics.npz", NULL);
  g_autoptr(GError) error = NULL;
  PhiliaSplitDialog *dialog;
  PhiliaGraph *graph;
  g_autoptr(PhiliaGraph) before = NULL;
  const char *message;
  g_autofree char *row = NULL;
  double acc[100], auc[100], mean, sd, mean_auc, sd_auc;
  char expected[128];

  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, window, 10000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-file", "s", path);
  /* A new window when the document before had work in it (HACKING.md §10). */
  window = philia_test_follow_open (window);
  g_assert_true (philia_test_spin_until (graph_nodes, GUINT_TO_POINTER (34), 30000));
  gtk_stack_set_visible_child_name (side_stack (), "train");
  /* Held: Make Splits replaces it in the window. */
  before = g_object_ref (philia_window_get_graph (window));
  g_assert_cmpuint (philia_graph_get_n_splits (before), ==, 0);

  /* No masks: the panel says how to make some, and Train does nothing. */
  message = philia_train_panel_get_message_text (panel ());
  g_test_message ("%s", message);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "no train/validation/test split"));
  g_assert_nonnull (strstr (message, "Make Splits…"));
  train ("gcn", -1);
  g_assert_false (philia_train_panel_get_training (panel ()));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (philia_train_panel_get_many_check (
                                                          panel ()))));

  /* Make Splits…: a sum of 1 is refused in the dialog, which stays. */
  gtk_widget_activate_action (GTK_WIDGET (panel ()), "train.make-splits", NULL);
  dialog = find_split_dialog ();
  g_assert_nonnull (dialog);
  g_assert_null (philia_split_dialog_get_error_text (dialog));
  philia_split_dialog_set_values (dialog, 0.7, 0.3, 10, 0, FALSE);
  g_assert_nonnull (philia_split_dialog_get_error_text (dialog));
  g_assert_nonnull (strstr (philia_split_dialog_get_error_text (dialog), "less than 1"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "splits.make", NULL);
  g_assert_true (philia_window_get_graph (window) == before);
  g_assert_true (find_split_dialog () == dialog);

  philia_split_dialog_set_values (dialog, 0.6, 0.2, 10, 0, FALSE);
  g_assert_null (philia_split_dialog_get_error_text (dialog));
  if (shots != NULL)
    {
      g_autoptr(GdkTexture) texture = NULL;
      g_autofree char *shot = g_build_filename (shots, "make-splits-dialog.png", NULL);

      g_assert_true (philia_test_spin_until (philia_test_widget_mapped, dialog, 10000));
      gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
      texture = philia_test_render_window ((PhiliaWindow *) dialog,
                                           gtk_widget_get_width (GTK_WIDGET (dialog)),
                                           gtk_widget_get_height (GTK_WIDGET (dialog)));
      g_assert_true (gdk_texture_save_to_png (texture, shot));
    }
  gtk_widget_activate_action (GTK_WIDGET (dialog), "splits.make", NULL);
  g_assert_true (philia_test_spin_until (no_split_dialog, NULL, 5000));

  /* The dataset now has the CLI's splits (same fractions, count and seed). */
  graph = philia_window_get_graph (window);
  g_assert_true (graph != before);
  g_assert_cmpuint (philia_graph_get_n_splits (graph), ==, 10);
  g_assert_true (philia_train_panel_get_graph (panel ()) == graph);
  g_assert_null (philia_train_panel_get_message_text (panel ()));
  {
    g_autoptr(PhiliaGraph) cli = philia_graph_with_random_splits (before, 0.6, 0.2, 10, 0, FALSE,
                                                                  &error);
    guint n = philia_graph_get_n_nodes (graph);

    g_assert_no_error (error);
    for (guint s = 0; s < 10; s++)
      for (guint part = 0; part < 3; part++)
        g_assert_cmpmem (philia_graph_get_split_mask (graph, s, part), n,
                         philia_graph_get_split_mask (cli, s, part), n);
  }
  /* Save as .npz writes them (its writer, then a reload). */
  {
    g_autoptr(GFile) file = g_file_new_for_path (npz);
    g_autoptr(PhiliaGraph) saved = NULL;
    guint n = philia_graph_get_n_nodes (graph);

    g_assert_true (philia_graph_write_npz (graph, npz, &error));
    g_assert_no_error (error);
    saved = philia_graph_load (file, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (philia_graph_get_n_splits (saved), ==, 10);
    for (guint s = 0; s < 10; s++)
      for (guint part = 0; part < 3; part++)
        g_assert_cmpmem (philia_graph_get_split_mask (saved, s, part), n,
                         philia_graph_get_split_mask (graph, s, part), n);
    g_unlink (npz);
  }

  /* Runs over 10 splits × 10 seeds. */
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (philia_train_panel_get_many_check (
                                                         panel ()))));
  gtk_check_button_set_active (philia_train_panel_get_many_check (panel ()), TRUE);
  gtk_spin_button_set_value (philia_train_panel_get_param_spin (panel (), "seeds"), 10);
  gtk_spin_button_set_value (philia_train_panel_get_param_spin (panel (), "seed"), 0);
  train ("gcn", 200);
  g_assert_true (philia_train_panel_get_training (panel ()));
  g_assert_true (philia_test_spin_until (not_training, NULL, 120000));
  g_assert_null (philia_train_panel_get_message_text (panel ()));
  g_assert_cmpuint (philia_train_panel_get_n_runs (panel ()), ==, 1);
  row = philia_train_panel_dup_run_text (panel (), 0);
  g_test_message ("%s\n%s", row, philia_train_panel_get_status_text (panel ()));
  g_assert_true (g_str_has_prefix (row, "GCN #1 · 10 splits × 10 seeds|test ROC-AUC "));
  g_assert_nonnull (strstr (row, "100 runs"));

  /* The same 100 runs, trained here: their mean ± sample sd is on show. */
  for (guint s = 0; s < 10; s++)
    for (guint k = 0; k < 10; k++)
      {
        g_autoptr(PhiliaTrainResult) r = NULL;
        PhiliaTrainParams params;

        philia_train_params_init (&params);
        params.epochs = 200;
        params.split = s;
        params.seed = k;
        r = philia_train (graph, "gcn", &params, NULL, NULL, NULL, NULL, &error);
        g_assert_no_error (error);
        acc[s * 10 + k] = r->test_accuracy;
        auc[s * 10 + k] = r->test_roc_auc;
      }
  {
    double sum = 0, sum_auc = 0, ss = 0, ss_auc = 0;

    for (guint i = 0; i < 100; i++)
      {
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
    sd = sqrt (ss / 99);
    sd_auc = sqrt (ss_auc / 99);
  }
  g_snprintf (expected, sizeof expected, "test ROC-AUC %.3f ± %.3f, accuracy %.3f ± %.3f "
              "(majority 0.500 ± 0.000)", mean_auc, sd_auc, mean, sd);
  g_test_message ("independent: %s", expected);
  g_assert_nonnull (strstr (row, expected));

  /* Charts: the mean curves with their bands, in the group's colour (the
   * first of the history the new splits started). */
  g_assert_cmpuint (philia_train_panel_get_n_shown_curves (panel ()), ==, 2);
  g_assert_cmpuint (philia_test_count_chart_colour (philia_train_panel_get_chart (panel (), "accuracy"), 0), >,
                    200);
  if (shots != NULL)
    {
      scroll_to (philia_train_panel_get_chart (panel (), "accuracy"));
      save_shot ("karate-10-splits-10-seeds.png");
      scroll_to (GTK_WIDGET (philia_train_panel_get_param_spin (panel (), "split")));
      save_shot ("karate-runs-history.png");
    }
}

static gboolean
live_epochs_at_least (gpointer data)
{
  return philia_train_panel_get_live_epochs (panel ()) >= GPOINTER_TO_UINT (data);
}

/* Stop in the middle of a group: nothing half-done joins the history. The
 * first run is stopped once its epochs show, not after a fixed wait: a run
 * of 20,000 epochs on Karate can end within 300 ms. */
static void
test_stop_group (void)
{
  const char *status;

  g_assert_true (gtk_check_button_get_active (philia_train_panel_get_many_check (panel ())));
  train ("gcn", 100000);
  g_assert_true (philia_train_panel_get_training (panel ()));
  g_assert_true (philia_test_spin_until (live_epochs_at_least, GUINT_TO_POINTER (1), 10000));
  gtk_widget_activate_action (GTK_WIDGET (panel ()), "train.stop", NULL);
  g_assert_true (philia_test_spin_until (not_training, NULL, 10000));
  status = philia_train_panel_get_status_text (panel ());
  g_test_message ("%s", status);
  g_assert_true (g_str_has_prefix (status, "Stopped in run 1 of 100"));
  g_assert_cmpuint (philia_train_panel_get_n_runs (panel ()), ==, 1);
  gtk_check_button_set_active (philia_train_panel_get_many_check (panel ()), FALSE);
}

/* Make Splits… can keep the dataset's splits and add the new ones after them. */
static void
test_keep_splits (void)
{
  g_autoptr(PhiliaGraph) before = g_object_ref (philia_window_get_graph (window));
  g_autoptr(GError) error = NULL;
  PhiliaSplitDialog *dialog;
  PhiliaGraph *graph;
  guint n = philia_graph_get_n_nodes (before);

  g_assert_cmpuint (philia_graph_get_n_splits (before), ==, 10);
  gtk_widget_activate_action (GTK_WIDGET (panel ()), "train.make-splits", NULL);
  dialog = find_split_dialog ();
  g_assert_nonnull (dialog);
  philia_split_dialog_set_values (dialog, 0.5, 0.25, 2, 7, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "splits.make", NULL);
  g_assert_true (philia_test_spin_until (no_split_dialog, NULL, 5000));
  graph = philia_window_get_graph (window);
  g_assert_cmpuint (philia_graph_get_n_splits (graph), ==, 12);
  for (guint s = 0; s < 10; s++)
    for (guint part = 0; part < 3; part++)
      g_assert_cmpmem (philia_graph_get_split_mask (graph, s, part), n,
                       philia_graph_get_split_mask (before, s, part), n);
  {
    g_autoptr(PhiliaGraph) fresh = philia_graph_with_random_splits (before, 0.5, 0.25, 2, 7,
                                                                    FALSE, &error);

    g_assert_no_error (error);
    for (guint s = 0; s < 2; s++)
      for (guint part = 0; part < 3; part++)
        g_assert_cmpmem (philia_graph_get_split_mask (graph, 10 + s, part), n,
                         philia_graph_get_split_mask (fresh, s, part), n);
  }
}

/* No labels: nothing to split or train, and the panel says why. */
static void
test_unlabeled (void)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (4);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  const char *message;

  philia_graph_builder_add_edge (b, 0, 1);
  philia_graph_builder_add_edge (b, 2, 3);
  philia_graph_builder_set_source (b, "plain", "test");
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  show (graph);
  message = philia_train_panel_get_message_text (panel ());
  g_test_message ("%s", message);
  g_assert_cmpstr (message, ==, "This dataset has no labels to train on; open a node table or "
                                "a file with labels.");
  g_assert_false (gtk_widget_get_visible (philia_train_panel_get_chart (panel (), "roc-auc")));
  gtk_widget_activate_action (GTK_WIDGET (panel ()), "train.make-splits", NULL);
  philia_test_spin_for (100);
  g_assert_null (find_split_dialog ());
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!philia_test_init (&argc, &argv, "Metrics"))
    return g_test_run ();

  shots = g_getenv ("PHILIA_TRAIN_SHOTS");
  window = philia_test_window_new (&app);

  g_test_add_func ("/Philia/Metrics/two-class", test_two_class);
  g_test_add_func ("/Philia/Metrics/karate-splits-and-runs", test_karate_splits_and_runs);
  g_test_add_func ("/Philia/Metrics/stop-group", test_stop_group);
  g_test_add_func ("/Philia/Metrics/keep-splits", test_keep_splits);
  g_test_add_func ("/Philia/Metrics/unlabeled", test_unlabeled);

  ret = g_test_run ();

  philia_test_window_destroy (window, &app);
  return ret;
}
