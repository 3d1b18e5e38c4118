/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "philia-chart-view.h"
#include "philia-dataset-panel.h"
#include "philia-feature-sets.h"
#include "philia-test-util.h"
#include "philia-train-panel.h"
#include "philia-window.h"

/* Feature sets through the real window on bundled Cora: the Dataset panel's
 * list (derive, import and its refusal, remove and undo), the Train panel's
 * Features choice (a run trains on the chosen set and remembers it), and
 * the comparison chart. With PHILIA_FEATURES_SHOTS=DIR set it also trains
 * GCN and MLP on the original, Â²X and random features and saves the
 * screenshot. */
static PhiliaApplication *app;
static PhiliaWindow *window;
static char *tmpdir;

static PhiliaTrainPanel *
train_panel (void)
{
  return PHILIA_TRAIN_PANEL (philia_window_get_train_panel (window));
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
  return !philia_window_get_loading (window) && philia_window_get_graph (window) != NULL
         && philia_graph_get_n_nodes (philia_window_get_graph (window)) == 2708
         && philia_train_panel_get_graph (train_panel ()) == philia_window_get_graph (window);
}

static gboolean
not_training (gpointer data)
{
  return !philia_train_panel_get_training (train_panel ());
}

static void
ensure_cora (void)
{
  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, window, 10000));
  if (!cora_ready (NULL))
    {
      philia_window_open_default (window);
      window = philia_test_follow_open (window);
    }
  g_assert_true (philia_test_spin_until (cora_ready, NULL, 30000));
}

static void
train (const char *model,
       const char *features,
       int         epochs)
{
  g_assert_true (philia_train_panel_set_model (train_panel (), model));
  g_assert_true (philia_train_panel_set_features (train_panel (), features));
  if (epochs > 0)
    gtk_spin_button_set_value (philia_train_panel_get_param_spin (train_panel (), "epochs"),
                               epochs);
  gtk_widget_activate_action (GTK_WIDGET (train_panel ()), "train.start", NULL);
  g_assert_true (philia_train_panel_get_training (train_panel ()));
  g_assert_true (philia_test_spin_until (not_training, NULL, 300000));
}

static const PhiliaDocumentRun *
last_run (void)
{
  PhiliaDocument *doc = philia_window_get_document (window);

  g_assert_cmpuint (philia_document_get_n_runs (doc), >, 0);
  return philia_document_get_run (doc, philia_document_get_n_runs (doc) - 1);
}

static void
test_list (void)
{
  PhiliaDocument *doc;
  g_autoptr(GError) error = NULL;
  g_autofree char *row = NULL;
  g_autofree char *short_csv = g_build_filename (tmpdir, "short.csv", NULL);
  g_autofree char *good_csv = g_build_filename (tmpdir, "emb.csv", NULL);
  g_autoptr(GFile) short_file = g_file_new_for_path (short_csv);
  g_autoptr(GFile) good_file = g_file_new_for_path (good_csv);
  GString *csv = g_string_new (NULL);

  ensure_cora ();
  doc = philia_window_get_document (window);
  g_assert_cmpuint (philia_feature_sets_get_n_rows (sets ()), ==, 1);
  row = philia_feature_sets_dup_row_text (sets (), 0);
  g_assert_nonnull (strstr (row, "original"));
  g_assert_nonnull (strstr (row, "1"));
  g_assert_null (philia_feature_sets_get_remove_button (sets (), 0));

  /* Derived sets, and a malformed spec (the list keeps what it had). */
  g_assert_true (philia_feature_sets_derive (sets (), "ahat:2", &error));
  g_assert_true (philia_feature_sets_derive (sets (), "random:16:1", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (philia_feature_sets_get_n_rows (sets ()), ==, 3);
  g_clear_pointer (&row, g_free);
  row = philia_feature_sets_dup_row_text (sets (), 2);
  g_assert_nonnull (strstr (row, "random 16"));
  g_assert_nonnull (strstr (row, "× 16"));
  g_assert_false (philia_feature_sets_derive (sets (), "random:0", &error));
  g_assert_nonnull (strstr (philia_feature_sets_get_message (sets ()), "random:0"));
  g_clear_error (&error);
  g_assert_cmpuint (philia_feature_sets_get_n_rows (sets ()), ==, 3);

  /* Import: a file with too few rows is refused with both numbers. */
  g_assert_true (g_file_set_contents (short_csv, "1,2\n3,4\n5,6\n", -1, NULL));
  g_assert_false (philia_feature_sets_import (sets (), short_file, &error));
  g_assert_nonnull (strstr (error->message, "3 rows"));
  g_assert_nonnull (strstr (error->message, "2708"));
  g_assert_nonnull (strstr (philia_feature_sets_get_message (sets ()), "2708"));
  g_clear_error (&error);
  for (guint v = 0; v < 2708; v++)
    g_string_append_printf (csv, "%u,%u\n", v % 7, v % 3);
  g_assert_true (g_file_set_contents (good_csv, csv->str, (gssize) csv->len, NULL));
  g_string_free (csv, TRUE);
  g_assert_true (philia_feature_sets_import (sets (), good_file, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (philia_feature_sets_get_n_rows (sets ()), ==, 4);
  g_assert_nonnull (philia_document_find_feature_set (doc, "emb.csv"));
  g_assert_cmpfloat (philia_document_find_feature_set (doc, "emb.csv")->data[2 * 10], ==, 3);

  /* Remove through the row's button; undo brings it back. */
  g_signal_emit_by_name (philia_feature_sets_get_remove_button (sets (), 3), "clicked");
  g_assert_cmpuint (philia_feature_sets_get_n_rows (sets ()), ==, 3);
  g_assert_null (philia_document_find_feature_set (doc, "emb.csv"));
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpuint (philia_feature_sets_get_n_rows (sets ()), ==, 4);
  g_assert_true (philia_document_remove_feature_set (doc, "emb.csv"));

  /* An .npz of two matrices: one set each, named by member. */
  {
    g_autofree char *npz = g_build_filename (g_get_tmp_dir (), "philia-ui-multi.npz", NULL);
    g_autoptr(GFile) npz_file = g_file_new_for_path (npz);
    const char *names[] = { "text", "image", NULL };
    PhiliaArray *arrays[3] = { NULL };

    for (guint i = 0; i < 2; i++)
      {
        arrays[i] = g_new0 (PhiliaArray, 1);
        arrays[i]->dtype = PHILIA_DTYPE_FLOAT32;
        arrays[i]->ndim = 2;
        arrays[i]->shape[0] = 2708;
        arrays[i]->shape[1] = 3 + i;
        arrays[i]->n_elements = 2708 * (3 + i);
        arrays[i]->itemsize = 4;
        arrays[i]->data = g_new0 (float, arrays[i]->n_elements);
      }
    g_assert_true (philia_npz_write (npz, names, arrays, &error));
    g_assert_no_error (error);
    philia_array_free (arrays[0]);
    philia_array_free (arrays[1]);
    g_assert_true (philia_feature_sets_import (sets (), npz_file, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (philia_feature_sets_get_n_rows (sets ()), ==, 5);
    g_assert_cmpuint (philia_document_find_feature_set (doc, "philia-ui-multi.npz:text")->n_cols,
                      ==, 3);
    g_assert_cmpuint (philia_document_find_feature_set (doc, "philia-ui-multi.npz:image")->n_cols,
                      ==, 4);
    g_assert_cmpstr (philia_feature_sets_get_message (sets ()), ==,
                     "Imported “philia-ui-multi.npz:text”, “philia-ui-multi.npz:image”, one set "
                     "per matrix of the file.");
    g_assert_true (philia_document_remove_feature_set (doc, "philia-ui-multi.npz:text"));
    g_assert_true (philia_document_remove_feature_set (doc, "philia-ui-multi.npz:image"));
    g_unlink (npz);
  }
}

static gboolean
homophily_drawn (gpointer data)
{
  return philia_test_count_chart_colour (philia_feature_sets_get_chart (sets ()), 7) > 50;
}

static void
test_train_on_set (void)
{
  PhiliaDocument *doc;
  const PhiliaDocumentRun *run;
  const PhiliaTensor *w;

  ensure_cora ();
  doc = philia_window_get_document (window);
  g_assert_cmpuint (philia_document_get_n_feature_sets (doc), ==, 2);
  /* The drop-down lists the original and every set of the document. */
  g_assert_cmpstr (philia_train_panel_get_features (train_panel ()), ==, "original");
  g_assert_false (philia_train_panel_set_features (train_panel (), "emb.csv"));
  train ("mlp", "random 16", 5);
  run = last_run ();
  g_assert_cmpstr (philia_document_get_run_features (doc, run->id), ==, "random 16");
  /* The first layer's weights take the set's 16 columns, not Cora's 1,433. */
  g_assert_cmpuint (run->result->weights->len, >, 0);
  w = run->result->weights->pdata[0];
  g_assert_cmpuint (w->rows, ==, 16);
  train ("mlp", "original", 5);
  run = last_run ();
  g_assert_cmpstr (philia_document_get_run_features (doc, run->id), ==, "original");
  w = run->result->weights->pdata[0];
  g_assert_cmpuint (w->rows, ==, 1433);
  /* Removing the chosen set puts the drop-down back on the original. */
  g_assert_true (philia_train_panel_set_features (train_panel (), "random 16"));
  g_assert_true (philia_document_remove_feature_set (doc, "random 16"));
  g_assert_cmpstr (philia_train_panel_get_features (train_panel ()), ==, "original");
  g_assert_true (philia_document_undo (doc));
  /* The chart shows runs now, one colour per model. */
  g_assert_true (gtk_widget_get_visible (philia_feature_sets_get_chart (sets ())));
  g_assert_cmpuint (philia_test_count_chart_colour (philia_feature_sets_get_chart (sets ()), 0),
                    >, 50);
  /* Above the scores, each set's feature homophily, computed off the main
   * thread: the bars over edges (palette 7) and over random pairs (8). */
  g_assert_true (philia_test_spin_until (homophily_drawn, NULL, 30000));
  g_assert_cmpuint (philia_test_count_chart_colour (philia_feature_sets_get_chart (sets ()), 8),
                    >, 50);
}

static void
test_shot (void)
{
  const char *shots = g_getenv ("PHILIA_FEATURES_SHOTS");
  PhiliaDocument *doc;
  const char *names[] = { "original", "Â^2 X", "random 64" };
  GtkWidget *chart;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  g_autofree char *chart_path = NULL;
  GtkWidget *side;

  if (shots == NULL)
    {
      g_test_skip ("PHILIA_FEATURES_SHOTS is not set");
      return;
    }
  ensure_cora ();
  doc = philia_window_get_document (window);
  philia_document_delete_run (doc, last_run ()->id);
  philia_document_delete_run (doc, last_run ()->id);
  if (philia_document_find_feature_set (doc, "random 64") == NULL)
    g_assert_true (philia_feature_sets_derive (sets (), "random:64:0", NULL));
  side = gtk_widget_get_parent (philia_window_get_train_panel (window));
  while (side != NULL && !GTK_IS_STACK (side))
    side = gtk_widget_get_parent (side);
  gtk_stack_set_visible_child_name (GTK_STACK (side), "train");
  for (guint s = 0; s < G_N_ELEMENTS (names); s++)
    {
      train ("gcn", names[s], 0);
      train ("mlp", names[s], 0);
    }
  gtk_stack_set_visible_child_name (GTK_STACK (side), "dataset");
  chart = philia_feature_sets_get_chart (sets ());
  philia_test_spin_for (300);
  {
    GtkWidget *scrolled = gtk_widget_get_ancestor (chart, GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  }
  philia_test_spin_for (500);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  texture = philia_test_render_window (window, gtk_widget_get_width (GTK_WIDGET (window)),
                                       gtk_widget_get_height (GTK_WIDGET (window)));
  path = g_build_filename (shots, "cora-feature-sets.png", NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  chart_path = g_build_filename (shots, "cora-feature-sets-chart.png", NULL);
  g_assert_true (philia_chart_view_export (PHILIA_CHART_VIEW (chart), chart_path, 420, 260,
                                           NULL));
  g_test_message ("saved %s and %s", path, chart_path);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!philia_test_init (&argc, &argv, "Features"))
    return g_test_run ();
  tmpdir = g_dir_make_tmp ("philia-ui-features-XXXXXX", NULL);
  window = philia_test_window_new (&app);
  g_test_add_func ("/Philia/Features/list", test_list);
  g_test_add_func ("/Philia/Features/train-on-set", test_train_on_set);
  g_test_add_func ("/Philia/Features/shot", test_shot);
  ret = g_test_run ();
  philia_test_window_destroy (window, &app);
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmpdir, name, NULL);

        g_unlink (p);
      }
    g_rmdir (tmpdir);
    g_free (tmpdir);
  }
  return ret;
}
