/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "philia-adapt-page.h"
#include "philia-app-private.h"
#include "philia-chart-view.h"
#include "philia-model-save.h"
#include "philia-run-overlay.h"
#include "philia-train-panel-private.h"
#include "philia-test-util.h"
#include "philia-train-panel.h"
#include "philia-window.h"

/*
 * Train here, use it there, through the windows as a user would: a run's
 * "Save Model…" writes a file that predicts exactly like the run; the Adapt
 * page applies a run of another open document (ACM → DBLP) as a new run,
 * refuses a model of another feature size with a message, adapts with live
 * curves and stops, and fills its comparison. PHILIA_ADAPT_SHOTS=DIR saves
 * the page before and after adaptation.
 */

static PhiliaApplication *app;
static char *acm_path;
static char *dblp_path;
static char *tmp_dir;
static const char *shots;

static gboolean
not_loading (gpointer window)
{
  return !philia_window_get_loading (window);
}

static gboolean
not_training (gpointer panel)
{
  return !philia_train_panel_get_training (panel);
}

static gboolean
not_running (gpointer page)
{
  return !philia_adapt_page_get_running (page);
}

static gboolean
has_points (gpointer page)
{
  return philia_adapt_page_get_n_curve_points (page) >= 3;
}

static gboolean
laid_out (gpointer window)
{
  gboolean busy = TRUE;

  g_object_get (philia_window_get_canvas (window), "busy", &busy, NULL);
  return !busy;
}

/* The page scrolled to its end (the comparison charts). */
static void
scroll_to_end (PhiliaAdaptPage *page)
{
  GtkWidget *scrolled = gtk_widget_get_first_child (GTK_WIDGET (page));
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
}

static PhiliaWindow *
window_with (const char *path)
{
  PhiliaWindow *window = philia_window_new (GTK_APPLICATION (app));
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_present (GTK_WINDOW (window));
  philia_window_open (window, file);
  g_assert_true (philia_test_spin_until (not_loading, window, 60000));
  g_assert_nonnull (philia_window_get_document (window));
  return window;
}

static void
save_shot (PhiliaWindow *window,
           const char   *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (shots == NULL)
    return;
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  philia_test_spin_for (300);
  texture = philia_test_render_window (window, gtk_widget_get_width (GTK_WIDGET (window)),
                                       gtk_widget_get_height (GTK_WIDGET (window)));
  path = g_build_filename (shots, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

/* GCN on @window's graph through the Train panel; the run's id. */
static guint
train_gcn (PhiliaWindow *window)
{
  PhiliaTrainPanel *panel = PHILIA_TRAIN_PANEL (philia_window_get_train_panel (window));
  PhiliaDocument *doc = philia_window_get_document (window);
  guint before = philia_document_get_n_runs (doc);
  GtkSpinButton *epochs = philia_train_panel_get_param_spin (panel, "epochs");

  g_assert_true (philia_train_panel_set_model (panel, "gcn"));
  gtk_spin_button_set_value (epochs, 60);
  gtk_widget_activate_action (GTK_WIDGET (panel), "train.start", NULL);
  g_assert_true (philia_test_spin_until (not_training, panel, 120000));
  g_assert_cmpuint (philia_document_get_n_runs (doc), ==, before + 1);
  return philia_document_get_run (doc, before)->id;
}

static void
assert_same_predictions (const PhiliaPrediction  *p,
                         const PhiliaTrainResult *run)
{
  g_assert_cmpuint (p->n_nodes, ==, run->n_nodes);
  g_assert_cmpmem (p->predictions, sizeof (gint32) * p->n_nodes,
                   run->predictions, sizeof (gint32) * run->n_nodes);
  g_assert_cmpmem (p->probabilities, sizeof (float) * p->n_nodes * p->n_classes,
                   run->probabilities, sizeof (float) * run->n_nodes * run->n_classes);
}

static void
test_adapt (void)
{
  PhiliaWindow *acm = window_with (acm_path);
  PhiliaWindow *dblp = NULL;
  PhiliaDocument *acm_doc = philia_window_get_document (acm);
  PhiliaDocument *dblp_doc;
  PhiliaAdaptPage *page;
  g_autofree char *model_path = g_build_filename (tmp_dir, "acm-gcn" PHILIA_MODEL_EXTENSION,
                                                  NULL);
  g_autofree char *cora_model = g_build_filename (tmp_dir, "cora" PHILIA_MODEL_EXTENSION, NULL);
  g_autoptr(PhiliaSavedModel) saved = NULL;
  g_autoptr(PhiliaPrediction) p = NULL;
  g_autoptr(GError) error = NULL;
  const PhiliaDocumentRun *run, *applied;
  const PhiliaAdaptComparison *cmp;
  const char *summary;
  guint id, applied_id, source = G_MAXUINT, n_classes;
  gint64 sum;

  /* Save Model… on the ACM run, through the row's action and its chooser. */
  id = train_gcn (acm);
  philia_window_set_chooser_answer (acm, model_path);
  gtk_widget_activate_action (philia_window_get_train_panel (acm), "train.save-model", "u", id);
  saved = philia_saved_model_load (model_path, &error);
  g_assert_no_error (error);
  run = philia_document_find_run (acm_doc, id);
  p = philia_saved_model_predict (saved, philia_document_get_graph (acm_doc), 1, &error);
  g_assert_no_error (error);
  assert_same_predictions (p, run->result);

  /* DBLP in a second window; its Adapt page lists the ACM run. */
  dblp = window_with (dblp_path);
  dblp_doc = philia_window_get_document (dblp);
  page = PHILIA_ADAPT_PAGE (philia_window_get_adapt_page (dblp));
  philia_adapt_page_refresh_sources (page);
  for (guint i = 0; i < philia_adapt_page_get_n_sources (page); i++)
    if (strstr (philia_adapt_page_get_source_label (page, i), "arnet_acm") != NULL)
      source = i;
  g_assert_cmpuint (source, !=, G_MAXUINT);
  philia_adapt_page_select_source (page, source);

  /* Predict: the ACM run on DBLP, exactly what its saved model predicts. */
  applied_id = philia_adapt_page_apply (page, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied_id, >, 0);
  applied = philia_document_find_run (dblp_doc, applied_id);
  g_assert_nonnull (applied);
  g_clear_pointer (&p, philia_prediction_free);
  p = philia_saved_model_predict (saved, philia_document_get_graph (dblp_doc), 1, &error);
  g_assert_no_error (error);
  assert_same_predictions (p, applied->result);
  g_assert_cmpfloat (applied->result->test_accuracy, ==, p->accuracy);
  {
    g_autofree char *expected = g_strdup_printf ("run:%u:prediction", applied_id);

    g_assert_cmpstr (philia_document_get_view (dblp_doc)->color_by, ==, expected);
  }

  /* A model of another feature size is refused with both numbers, no crash. */
  {
    g_autoptr(PhiliaSavedModel) other = philia_saved_model_copy (saved);
    PhiliaTensor *w = g_ptr_array_index (other->weights, 0);

    other->n_features = 7;
    w->rows = 7;
    g_assert_true (philia_saved_model_save (other, cora_model, &error));
    g_assert_no_error (error);
    g_assert_true (philia_adapt_page_add_model_file (page, cora_model, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (philia_adapt_page_apply (page, &error), ==, 0);
    g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
    g_test_message ("refusal: %s", philia_adapt_page_get_status (page));
    g_assert_nonnull (strstr (philia_adapt_page_get_status (page), "7159"));
    g_clear_error (&error);
    g_assert_false (philia_adapt_page_start (page, &error));
    g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* Adapt from the saved file, with live curves; before and after shots. */
  g_assert_true (philia_adapt_page_add_model_file (page, model_path, &error));
  g_assert_no_error (error);
  gtk_stack_set_visible_child_name (GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (page))),
                                    "adapt");
  g_assert_true (philia_test_spin_until (laid_out, dblp, 120000));
  save_shot (dblp, "adapt-before.png");
  philia_adapt_page_set_epochs (page, 40);
  g_assert_true (philia_adapt_page_start (page, &error));
  g_assert_no_error (error);
  g_assert_true (philia_test_spin_until (not_running, page, 120000));
  g_assert_cmpuint (philia_adapt_page_get_n_curve_points (page), ==, 40);
  cmp = philia_adapt_page_get_comparison (page);
  g_assert_nonnull (cmp);
  n_classes = cmp->n_classes;
  g_assert_cmpuint (n_classes, ==, 5);
  sum = 0;
  for (guint k = 0; k < n_classes; k++)
    sum += cmp->after_counts[k];
  g_assert_cmpint (sum, ==, philia_graph_get_n_nodes (philia_document_get_graph (dblp_doc)));
  sum = 0;
  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    sum += cmp->bin_count[b];
  g_assert_cmpint (sum, >, 0);
  g_assert_true (cmp->after_accuracy >= 0 && cmp->after_accuracy <= 1);
  summary = philia_adapt_page_get_summary (page);
  g_assert_nonnull (summary);
  g_test_message ("%s", summary);
  /* The adapted run colours the canvas by what changed. */
  g_assert_cmpuint (philia_adapt_page_get_result_run (page), >, applied_id);
  g_assert_true (g_str_has_suffix (philia_document_get_view (dblp_doc)->color_by, ":change"));
  save_shot (dblp, "adapt-after.png");
  philia_test_spin_for (200);
  scroll_to_end (page);
  save_shot (dblp, "adapt-after-comparison.png");
  {
    for (guint i = 0; i < 3; i++)
      {
        g_autofree char *name = g_strdup_printf ("adapt-chart-%u.svg", i);
        g_autofree char *svg = g_build_filename (shots != NULL ? shots : tmp_dir, name, NULL);

        g_assert_true (philia_chart_view_export (
          PHILIA_CHART_VIEW (philia_adapt_page_get_chart (page, i)), svg, 480, 320, &error));
        g_assert_no_error (error);
      }
    g_assert_cmpuint (philia_test_count_chart_colour (philia_adapt_page_get_chart (page, 1), 1),
                      >, 50);
    g_assert_cmpuint (philia_test_count_chart_colour (philia_adapt_page_get_chart (page, 2), 0),
                      >, 50);
  }

  /* Adding the adapted run is a step under the colouring it brought:
   * undone, the run leaves the Train panel; redone, it is back. */
  {
    PhiliaTrainPanel *panel = PHILIA_TRAIN_PANEL (philia_window_get_train_panel (dblp));
    guint adapted_id = philia_adapt_page_get_result_run (page);
    g_autofree char *color_label = g_strdup_printf ("Colour by Change by Adaptation (Run %u)",
                                                    adapted_id);
    g_autofree char *adapt_label = g_strdup_printf ("Adapt Model (Run %u)", adapted_id);

    g_assert_cmpstr (philia_document_get_undo_label (dblp_doc), ==, color_label);
    g_assert_true (philia_document_undo (dblp_doc));
    g_assert_cmpstr (philia_document_get_undo_label (dblp_doc), ==, adapt_label);
    g_assert_true (philia_document_undo (dblp_doc));
    g_assert_null (philia_document_find_run (dblp_doc, adapted_id));
    g_assert_cmpuint (philia_train_panel_get_n_runs (panel), ==, 1);
    g_assert_true (philia_document_redo (dblp_doc));
    g_assert_true (philia_document_redo (dblp_doc));
    g_assert_nonnull (philia_document_find_run (dblp_doc, adapted_id));
    g_assert_cmpuint (philia_train_panel_get_n_runs (panel), ==, 2);
  }

  /* The applied and adapted runs (no epochs, no curves) show in the Train
   * panel like any run, each marked with where it came from. */
  {
    PhiliaTrainPanel *panel = PHILIA_TRAIN_PANEL (philia_window_get_train_panel (dblp));
    guint all[2] = { 0, 1 };
    g_autoptr(GdkTexture) texture = NULL;
    g_autofree char *applied_from = philia_run_history_dup_provenance (panel->history, 0);
    g_autofree char *adapted_from = philia_run_history_dup_provenance (panel->history, 1);

    g_test_message ("provenance: %s; %s", applied_from, adapted_from);
    g_assert_true (g_str_has_prefix (applied_from, "Applied from "));
    g_assert_nonnull (strstr (applied_from, "arnet_acm"));
    g_assert_true (g_str_has_prefix (adapted_from, "Adapted (SOGA) from "));
    g_assert_cmpuint (philia_train_panel_get_n_runs (panel), ==, 2);
    philia_train_panel_select_runs (panel, all, 2);
    gtk_stack_set_visible_child_name (GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (panel))),
                                      "train");
    gtk_test_widget_wait_for_draw (GTK_WIDGET (dblp));
    texture = philia_test_render_window (dblp, 800, 600);
    g_assert_nonnull (texture);
    save_shot (dblp, "adapt-runs-in-train-panel.png");
    gtk_stack_set_visible_child_name (GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (page))),
                                      "adapt");
  }

  /* Stop keeps what was reached. */
  philia_adapt_page_set_epochs (page, 100000);
  g_assert_true (philia_adapt_page_start (page, &error));
  g_assert_true (philia_test_spin_until (has_points, page, 60000));
  philia_adapt_page_stop (page);
  g_assert_true (philia_test_spin_until (not_running, page, 60000));
  g_assert_nonnull (philia_adapt_page_get_comparison (page));
  g_assert_cmpuint (philia_adapt_page_get_n_curve_points (page), <, 100000);

  g_unlink (model_path);
  g_unlink (cora_model);
  gtk_window_destroy (GTK_WINDOW (dblp));
  gtk_window_destroy (GTK_WINDOW (acm));
}

static void
no_datasets (void)
{
  g_test_skip ("the ArnetMiner pair is not in ../shared/datasets");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!philia_test_init (&argc, &argv, "Adapt"))
    return g_test_run ();
  acm_path = philia_test_shared_dataset ("arnet_acm.npz");
  dblp_path = philia_test_shared_dataset ("arnet_dblp.npz");
  if (acm_path == NULL || dblp_path == NULL)
    {
      g_test_add_func ("/Philia/Adapt/no-datasets", no_datasets);
      return g_test_run ();
    }
  shots = g_getenv ("PHILIA_ADAPT_SHOTS");
  tmp_dir = g_dir_make_tmp ("philia-adapt-XXXXXX", NULL);
  app = philia_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_test_add_func ("/Philia/Adapt/train-save-apply-adapt", test_adapt);
  status = g_test_run ();
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  g_clear_object (&app);
  return status;
}
