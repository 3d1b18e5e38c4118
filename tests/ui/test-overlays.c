/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <gtk/gtk.h>
#include <math.h>

#include "philia-canvas.h"
#include "philia-canvas-private.h"
#include "philia-test-util.h"
#include "philia-train-panel.h"

/*
 * The overlay list in the canvas toolbar (HACKING.md §16): a canvas bound to
 * a document draws what the document's overlay list says, and the list's
 * popover shows the overlays top first, hides and removes them through the
 * document (undoable steps). A "run errors" overlay rings exactly the run's
 * wrong test predictions. The Train panel colours the graph by a run only
 * through the document: its colourings are overlays of the list, undoable.
 * A narrow canvas has the list in its "more" menu.
 * PHILIA_OVERLAYS_SHOTS=DIR keeps screen grabs of the open popover and menu.
 *
 * The graph: Texas (183 nodes, 5 classes, 10 splits).
 */

static GtkWindow *window;
static PhiliaCanvas *canvas;
static PhiliaDocument *doc;

static gboolean
laid_out (gpointer data)
{
  return philia_canvas_has_positions (canvas) && !philia_canvas_get_busy (canvas);
}

static guint
n_rows (void)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (canvas->overlay_list); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

/* The check button of row @i (top first). */
static GtkCheckButton *
row_check (guint i)
{
  GtkWidget *row = gtk_widget_get_first_child (canvas->overlay_list);

  while (i-- > 0)
    row = gtk_widget_get_next_sibling (row);
  return GTK_CHECK_BUTTON (gtk_widget_get_first_child (row));
}

static GtkButton *
row_remove (guint i)
{
  return GTK_BUTTON (gtk_widget_get_next_sibling (GTK_WIDGET (row_check (i))));
}

static void
grab_screen (const char *name)
{
  const char *dir = g_getenv ("PHILIA_OVERLAYS_SHOTS");
  g_autofree char *import = g_find_program_in_path ("import");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (dir == NULL || import == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  philia_test_spin_for (400);
  {
    const char *argv[] = { import, "-window", "root", path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                                 NULL, &status, &error));
  }
  g_assert_no_error (error);
}

static void
test_list (void)
{
  g_assert_true (philia_test_spin_until (laid_out, NULL, 60000));
  g_assert_cmpuint (n_rows (), ==, 0);
  g_assert_true (gtk_widget_get_visible (canvas->overlay_empty));

  /* Through the document only: the canvas follows, the list shows it. */
  g_assert_true (philia_document_add_overlay (doc, PHILIA_OVERLAY_EDGE_STYLE, "plain"));
  g_assert_true (philia_document_add_overlay (doc, PHILIA_OVERLAY_NODE_COLOR, "degree"));
  g_assert_cmpint (philia_canvas_get_color_by (canvas), ==, PHILIA_COLOR_BY_DEGREE);
  g_assert_cmpint (philia_canvas_get_edge_style (canvas), ==, PHILIA_EDGES_PLAIN);
  g_assert_cmpuint (n_rows (), ==, 2);
  g_assert_false (gtk_widget_get_visible (canvas->overlay_empty));
  g_assert_cmpstr (gtk_check_button_get_label (row_check (0)), ==, "Colour by Degree");
  g_assert_cmpstr (gtk_check_button_get_label (row_check (1)), ==, "Edges by Plain");
  g_assert_true (gtk_check_button_get_active (row_check (0)));

  gtk_menu_button_popup (canvas->overlays_button);
  grab_screen ("overlays-popover.png");

  /* The toggle hides the colouring: a step; the canvas shows classes. */
  gtk_check_button_set_active (row_check (0), FALSE);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Hide Colour by Degree");
  g_assert_cmpint (philia_canvas_get_color_by (canvas), ==, PHILIA_COLOR_BY_LABEL);
  g_assert_false (gtk_check_button_get_active (row_check (0)));
  grab_screen ("overlays-popover-hidden.png");
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpint (philia_canvas_get_color_by (canvas), ==, PHILIA_COLOR_BY_DEGREE);
  g_assert_true (gtk_check_button_get_active (row_check (0)));

  /* Remove: the edge style goes; undo brings it back in its place. */
  g_signal_emit_by_name (row_remove (1), "clicked");
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Remove Edges by Plain");
  g_assert_cmpuint (n_rows (), ==, 1);
  g_assert_cmpint (philia_canvas_get_edge_style (canvas), ==, PHILIA_EDGES_HOMOPHILY);
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpuint (n_rows (), ==, 2);
  g_assert_cmpint (philia_canvas_get_edge_style (canvas), ==, PHILIA_EDGES_PLAIN);
  gtk_menu_button_popdown (canvas->overlays_button);

  /* The canvas toolbar's colour choice is a step on the same list. */
  philia_canvas_set_color_by (canvas, PHILIA_COLOR_BY_LOCAL_HOMOPHILY);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Colour by Local Homophily");
  g_assert_cmpuint (n_rows (), ==, 3);
  /* The degree colouring under it is on but covered, and the row says so. */
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row_check (0)), "dim-label"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row_check (1)), "dim-label"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row_check (2)), "dim-label"));
}

/* A run whose predictions are right on the labeled nodes v % 3 != 0 only. */
static PhiliaTrainResult *
every_third_wrong (PhiliaGraph *graph)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint32 *y = philia_graph_get_labels (graph);
  PhiliaTrainResult *r = g_new0 (PhiliaTrainResult, 1);

  r->model = g_strdup ("gcn");
  r->n_nodes = n;
  r->n_classes = philia_graph_get_n_classes (graph);
  r->split = 0;
  r->predictions = g_new (gint32, n);
  for (guint v = 0; v < n; v++)
    r->predictions[v] = y[v] < 0 ? 0 : v % 3 == 0 ? (y[v] + 1) % (gint32) r->n_classes : y[v];
  return r;
}

static void
test_run_errors (void)
{
  PhiliaGraph *graph = philia_document_get_graph (doc);
  const guint8 *test = philia_graph_get_split_mask (graph, 0, PHILIA_SPLIT_TEST);
  const gint32 *y = philia_graph_get_labels (graph);
  guint id = philia_document_add_run (doc, every_third_wrong (graph));
  g_autofree char *source = g_strdup_printf ("run:%u", id);
  guint expected = 0;

  for (guint v = 0; v < philia_graph_get_n_nodes (graph); v++)
    expected += y[v] >= 0 && test[v] && v % 3 == 0;
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (canvas->hl_nodes->len, ==, 0);
  g_assert_true (philia_document_add_overlay (doc, PHILIA_OVERLAY_RUN_ERRORS, source));
  g_assert_cmpuint (canvas->hl_nodes->len, ==, expected);
  for (guint i = 0; i < canvas->hl_nodes->len; i++)
    {
      guint v = g_array_index (canvas->hl_nodes, guint, i);

      g_assert_true (v % 3 == 0 && test[v] && y[v] >= 0);
    }
  gtk_menu_button_popup (canvas->overlays_button);
  grab_screen ("overlays-run-errors.png");
  gtk_menu_button_popdown (canvas->overlays_button);
  /* Hidden: no ring. */
  gtk_check_button_set_active (row_check (0), FALSE);
  g_assert_cmpuint (canvas->hl_nodes->len, ==, 0);
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpuint (canvas->hl_nodes->len, ==, expected);
  /* The run deleted: nothing to ring, the overlay stays for undo, and its
   * row says why it draws nothing (what `philia-cli figure` warns of). */
  g_assert_true (philia_document_delete_run (doc, id));
  g_assert_cmpuint (canvas->hl_nodes->len, ==, 0);
  {
    g_autofree char *stale = g_strdup_printf ("Errors (Run %u) — run deleted", id);

    g_assert_cmpstr (gtk_check_button_get_label (row_check (0)), ==, stale);
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row_check (0)), "dim-label"));
    g_assert_true (philia_document_overlay_is_stale (doc, philia_document_get_overlay (
                                                       doc, philia_document_get_n_overlays (doc)
                                                       - 1), NULL));
  }
  if (g_getenv ("PHILIA_OVERLAYS_SHOTS") != NULL)
    {
      gtk_menu_button_popup (canvas->overlays_button);
      grab_screen ("overlays-run-deleted.png");
      gtk_menu_button_popdown (canvas->overlays_button);
    }
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpuint (canvas->hl_nodes->len, ==, expected);
  {
    g_autofree char *title = g_strdup_printf ("Errors (Run %u)", id);

    g_assert_cmpstr (gtk_check_button_get_label (row_check (0)), ==, title);
  }
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row_check (0)), "dim-label"));
}

/* The row of the overlay list whose label is @title, or -1. */
static int
row_titled (const char *title)
{
  for (guint i = 0; i < n_rows (); i++)
    if (g_strcmp0 (gtk_check_button_get_label (row_check (i)), title) == 0)
      return (int) i;
  return -1;
}

/* The Train panel drives no canvas: its colourings are the document's
 * overlays, which the canvas draws, the list shows and undo takes back. */
static void
test_train_panel (void)
{
  PhiliaGraph *graph = philia_document_get_graph (doc);
  PhiliaTrainPanel *panel = PHILIA_TRAIN_PANEL (g_object_ref_sink (philia_train_panel_new ()));
  guint id = philia_document_add_run (doc, every_third_wrong (graph));
  const char *what[] = { "correctness", "prediction" };
  const char *suffix[] = { "correct", "prediction" };
  guint last;

  philia_train_panel_set_document (panel, doc);
  g_assert_true (philia_train_panel_get_graph (panel) == graph);
  last = philia_train_panel_get_n_runs (panel) - 1;
  philia_train_panel_select_runs (panel, &last, 1);
  g_assert_true (philia_train_panel_get_current_run (panel)
                 == philia_document_find_run (doc, id)->result);

  for (guint k = 0; k < G_N_ELEMENTS (what); k++)
    {
      g_autofree char *source = g_strdup_printf ("run:%u:%s", id, suffix[k]);
      g_autofree char *title = NULL;
      guint n_before = philia_document_get_n_overlays (doc);
      const PhiliaDocumentOverlay *top;

      g_assert_cmpstr (philia_canvas_get_node_layer (canvas), !=, source);
      gtk_widget_activate_action (GTK_WIDGET (panel), "train.color-by", "s", what[k]);
      top = philia_document_get_top_overlay (doc, PHILIA_OVERLAY_NODE_COLOR);
      g_assert_nonnull (top);
      g_assert_cmpstr (top->source, ==, source);
      g_assert_cmpuint (philia_document_get_n_overlays (doc), ==, n_before + 1);
      /* The canvas follows the document; the list has a row for it. */
      g_assert_cmpstr (philia_canvas_get_node_layer (canvas), ==, source);
      title = philia_document_overlay_dup_title (top);
      g_assert_cmpint (row_titled (title), >=, 0);
      /* Undo takes it off the list and the canvas; redo puts it back. */
      g_assert_true (philia_document_undo (doc));
      g_assert_cmpuint (philia_document_get_n_overlays (doc), ==, n_before);
      g_assert_cmpstr (philia_canvas_get_node_layer (canvas), !=, source);
      g_assert_cmpint (row_titled (title), <, 0);
      g_assert_true (philia_document_redo (doc));
      g_assert_cmpstr (philia_canvas_get_node_layer (canvas), ==, source);
      g_assert_cmpint (row_titled (title), >=, 0);
    }

  /* Without a document the panel has nowhere to put a colouring: nothing
   * happens to the canvas. */
  {
    g_autofree char *shown = g_strdup (philia_canvas_get_node_layer (canvas));

    philia_train_panel_set_document (panel, NULL);
    gtk_widget_activate_action (GTK_WIDGET (panel), "train.color-by", "s", "correctness");
    g_assert_cmpstr (philia_canvas_get_node_layer (canvas), ==, shown);
  }
  g_object_unref (panel);
}

static guint
count_children (GtkWidget *box)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (box); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

static gboolean
more_shown (gpointer data)
{
  return gtk_widget_get_visible (canvas->more_button);
}

static gboolean
more_hidden (gpointer data)
{
  return !gtk_widget_get_visible (canvas->more_button);
}

/* A narrow canvas folds the overlay button away with the other tools: the
 * "more" menu then holds the same list, which works the same. */
static void
test_narrow (void)
{
  GtkWidget *first, *check;
  guint n = philia_document_get_n_overlays (doc);

  g_assert_cmpuint (n, >, 0);
  philia_test_resize_window (window, 360, 640);
  g_assert_true (philia_test_spin_until (more_shown, NULL, 10000));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (canvas->overlays_button)));
  g_assert_nonnull (canvas->more_overlay_list);
  g_assert_cmpuint (count_children (canvas->more_overlay_list), ==, n);
  g_assert_false (gtk_widget_get_visible (canvas->more_overlay_empty));

  gtk_menu_button_popup (GTK_MENU_BUTTON (canvas->more_button));
  philia_test_spin_for (200);
  g_assert_true (gtk_widget_is_visible (canvas->more_overlay_list));
  grab_screen ("overlays-narrow-more-menu.png");

  /* The top row's toggle hides that overlay, a step of the document's. */
  first = gtk_widget_get_first_child (canvas->more_overlay_list);
  check = gtk_widget_get_first_child (first);
  g_assert_cmpstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), ==,
                   gtk_check_button_get_label (row_check (0)));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  g_assert_false (philia_document_get_overlay (doc, n - 1)->visible);
  g_assert_true (g_str_has_prefix (philia_document_get_undo_label (doc), "Hide "));
  /* Both lists follow the document. */
  g_assert_false (gtk_check_button_get_active (row_check (0)));
  g_assert_true (philia_document_undo (doc));
  first = gtk_widget_get_first_child (canvas->more_overlay_list);
  check = gtk_widget_get_first_child (first);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (canvas->more_button));

  philia_test_resize_window (window, 900, 640);
  g_assert_true (philia_test_spin_until (more_hidden, NULL, 10000));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (canvas->overlays_button)));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  int ret;

  if (!philia_test_init (&argc, &argv, "Overlays"))
    return g_test_run ();

  philia_core_init ();
  path = philia_test_shared_dataset ("texas.npz");
  file = g_file_new_for_path (path);
  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  doc = philia_document_new (graph, NULL, NULL);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 900, 640);
  canvas = PHILIA_CANVAS (philia_canvas_new ());
  gtk_window_set_child (window, GTK_WIDGET (canvas));
  gtk_window_present (window);
  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, canvas, 10000));
  g_object_set (canvas, "document", doc, NULL);

  g_test_add_func ("/Philia/Overlays/list", test_list);
  g_test_add_func ("/Philia/Overlays/run-errors", test_run_errors);
  g_test_add_func ("/Philia/Overlays/train-panel", test_train_panel);
  g_test_add_func ("/Philia/Overlays/narrow", test_narrow);
  ret = g_test_run ();
  gtk_window_destroy (window);
  g_object_unref (doc);
  return ret;
}
