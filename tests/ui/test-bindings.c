/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "philia-canvas.h"
#include "philia-document-private.h"
#include "philia-inspector.h"
#include "philia-proximity-panel.h"
#include "philia-split-dialog.h"
#include "philia-stats-panel.h"
#include "philia-test-util.h"
#include "philia-train-panel.h"

/*
 * The canvas and the panels bound to a PhiliaDocument, in a plain window (no
 * PhiliaWindow: they need nothing from it): what the user does lands in the
 * document as the right steps, and what the document says (undo, redo, a
 * reopened project) is what they show.
 */

static GtkWindow *window;
static GtkNotebook *notebook;
static PhiliaCanvas *canvas;
static PhiliaTrainPanel *train;
static PhiliaProximityPanel *proximity;
static PhiliaStatsPanel *stats;
static PhiliaInspector *inspector;
static PhiliaDocument *doc;
static PhiliaGraph *texas;
static const char *shots;

static PhiliaGraph *
load_texas (void)
{
  g_autofree char *path = philia_test_shared_dataset ("texas.npz");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph = philia_graph_load (file, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return graph;
}

static PhiliaTrainResult *train_quietly (PhiliaGraph *graph,
                                        const char  *model,
                                        guint        split);

static void
build_window (void)
{
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *side = gtk_notebook_new ();

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1280, 800);
  canvas = PHILIA_CANVAS (philia_canvas_new ());
  train = PHILIA_TRAIN_PANEL (philia_train_panel_new ());
  proximity = PHILIA_PROXIMITY_PANEL (philia_proximity_panel_new ());
  stats = PHILIA_STATS_PANEL (philia_stats_panel_new ());
  inspector = PHILIA_INSPECTOR (philia_inspector_new ());
  gtk_notebook_append_page (GTK_NOTEBOOK (side), GTK_WIDGET (train), gtk_label_new ("Train"));
  gtk_notebook_append_page (GTK_NOTEBOOK (side), GTK_WIDGET (proximity),
                            gtk_label_new ("Link prediction"));
  gtk_notebook_append_page (GTK_NOTEBOOK (side), GTK_WIDGET (stats), gtk_label_new ("Stats"));
  gtk_notebook_append_page (GTK_NOTEBOOK (side), GTK_WIDGET (inspector),
                            gtk_label_new ("Inspector"));
  gtk_paned_set_start_child (GTK_PANED (paned), GTK_WIDGET (canvas));
  gtk_paned_set_end_child (GTK_PANED (paned), side);
  notebook = GTK_NOTEBOOK (side);
  gtk_paned_set_position (GTK_PANED (paned), 700);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_window_set_child (window, paned);
  gtk_window_present (window);
  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, canvas, 10000));
}

static void
bind (PhiliaDocument *document)
{
  g_object_set (canvas, "document", document, NULL);
  g_object_set (train, "document", document, NULL);
  g_object_set (proximity, "document", document, NULL);
  g_object_set (stats, "document", document, NULL);
  g_object_set (inspector, "document", document, NULL);
}

static gboolean
laid_out (gpointer data)
{
  return philia_document_get_current_layout (doc) != NULL && !philia_canvas_get_busy (canvas)
         && philia_canvas_has_positions (canvas);
}

/* The canvas as drawn now: a fresh node (the paintable would replay the
 * last frame shown, or nothing right after a change). */
static GdkTexture *
render_canvas (void)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (canvas));
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  graphene_rect_t bounds;
  GskRenderNode *node;
  GdkTexture *texture;

  gtk_test_widget_wait_for_draw (GTK_WIDGET (canvas));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (canvas), parent, &bounds));
  gtk_widget_snapshot_child (parent, GTK_WIDGET (canvas), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &bounds);
  gsk_render_node_unref (node);
  return texture;
}

static void
shot (const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (shots == NULL)
    return;
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  texture = philia_test_render_window ((PhiliaWindow *) window, 1280, 800);
  path = g_build_filename (shots, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

static GtkScrolledWindow *
find_scrolled (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget) && gtk_widget_get_mapped (widget))
    return GTK_SCROLLED_WINDOW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_scrolled (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The side panel on @page, scrolled to @fraction of its height, for a look. */
static void
shot_page (guint       page,
           double      fraction,
           const char *name)
{
  GtkScrolledWindow *scrolled;

  if (shots == NULL)
    return;
  gtk_notebook_set_current_page (notebook, page);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  scrolled = find_scrolled (gtk_notebook_get_nth_page (notebook, page));
  if (scrolled != NULL)
    {
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scrolled);

      gtk_adjustment_set_value (adj, fraction * (gtk_adjustment_get_upper (adj)
                                                 - gtk_adjustment_get_page_size (adj)));
    }
  shot (name);
  gtk_notebook_set_current_page (notebook, 0);
}

/* The canvas's first layout is the document's initial layout, no step;
 * another layout is a "Layout" step; undo puts the first back on the
 * canvas, pixel for pixel. */
static void
test_layout_undo (void)
{
  g_autoptr(GdkTexture) first = NULL;
  g_autoptr(GdkTexture) second = NULL;
  g_autoptr(GdkTexture) undone = NULL;
  g_autoptr(GdkTexture) redone = NULL;
  const PhiliaDocumentLayout *layout;

  g_assert_true (philia_test_spin_until (laid_out, NULL, 60000));
  g_assert_cmpuint (philia_document_get_n_layouts (doc), ==, 1);
  layout = philia_document_get_current_layout (doc);
  g_assert_cmpstr (layout->algorithm, ==, philia_layout_default_algorithm (texas));
  g_assert_cmpstr (layout->name, ==, "Fruchterman–Reingold");
  g_assert_false (philia_document_can_undo (doc));
  g_assert_null (philia_document_get_undo_label (doc));
  g_assert_false (philia_document_get_dirty (doc));
  first = render_canvas ();

  philia_canvas_set_layout (canvas, "circle");
  g_assert_true (philia_test_spin_until (laid_out, NULL, 60000));
  g_assert_true (philia_test_spin_until (laid_out, NULL, 60000));
  g_assert_cmpuint (philia_document_get_n_layouts (doc), ==, 2);
  g_assert_cmpstr (philia_document_get_current_layout (doc)->algorithm, ==, "circle");
  g_assert_cmpstr (philia_canvas_get_layout (canvas), ==, "circle");
  second = render_canvas ();
  g_assert_cmpuint (philia_test_count_differences (first, second), >, 1000);

  g_assert_true (philia_document_undo (doc));
  g_assert_cmpstr (philia_document_get_current_layout (doc)->algorithm, ==, "fr");
  g_assert_cmpstr (philia_canvas_get_layout (canvas), ==, "fr");
  g_assert_false (philia_canvas_get_busy (canvas));   /* no recompute: the document has it */
  undone = render_canvas ();
  g_assert_cmpuint (philia_test_count_differences (first, undone), ==, 0);

  g_assert_true (philia_document_redo (doc));
  redone = render_canvas ();
  g_assert_cmpuint (philia_test_count_differences (second, redone), ==, 0);

  /* Choosing a layout the document has shows it without computing. */
  philia_canvas_set_layout (canvas, "fr");
  g_assert_false (philia_canvas_get_busy (canvas));
  g_assert_cmpstr (philia_document_get_current_layout (doc)->algorithm, ==, "fr");
  g_assert_cmpuint (philia_document_get_n_layouts (doc), ==, 2);
}

static GtkGesture *
drag_gesture (void)
{
  return philia_graph_area_get_drag_gesture (philia_canvas_get_graph_area (canvas));
}

/* philia_canvas_get_node_point () in the graph area's coordinates, where the
 * drag gesture is. */
static gboolean
get_area_point (guint   v,
                double *x,
                double *y)
{
  double cx, cy;

  if (!philia_canvas_get_node_point (canvas, v, &cx, &cy))
    return FALSE;
  return gtk_widget_translate_coordinates (GTK_WIDGET (canvas),
                                           GTK_WIDGET (philia_canvas_get_graph_area (canvas)),
                                           cx, cy, x, y);
}

/* Dragging a node is one "Move Node N" step, undone exactly. */
static void
test_move_node (void)
{
  GtkGesture *drag = drag_gesture ();
  const guint v = 7;
  double x, y, scale = philia_canvas_get_scale (canvas), before[2];
  g_autofree char *label = NULL;
  guint history = philia_document_get_history_length (doc);
  g_autoptr(GdkTexture) start = render_canvas ();
  g_autoptr(GdkTexture) moved = NULL;
  g_autoptr(GdkTexture) undone = NULL;
  const PhiliaDocumentLayout *layout = philia_document_get_current_layout (doc);

  before[0] = layout->positions[2 * v];
  before[1] = layout->positions[2 * v + 1];
  g_assert_true (get_area_point (v, &x, &y));
  g_signal_emit_by_name (drag, "drag-begin", x, y);
  g_signal_emit_by_name (drag, "drag-update", 20.0, 10.0);
  g_signal_emit_by_name (drag, "drag-update", 40.0, -30.0);
  /* Nothing in the document until the drag ends. */
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, history);
  g_signal_emit_by_name (drag, "drag-end", 40.0, -30.0);

  g_assert_cmpuint (philia_document_get_history_length (doc), ==, history + 1);
  label = g_strdup_printf ("Move Node %u", v);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, label);
  layout = philia_document_get_current_layout (doc);
  g_assert_cmpfloat_with_epsilon (layout->positions[2 * v], before[0] + 40.0 / scale, 1e-9);
  g_assert_cmpfloat_with_epsilon (layout->positions[2 * v + 1], before[1] - 30.0 / scale, 1e-9);
  /* The view stays where it was: the node is under the pointer. */
  g_assert_cmpfloat_with_epsilon (philia_canvas_get_scale (canvas), scale, 1e-12);
  {
    double nx, ny;

    g_assert_true (get_area_point (v, &nx, &ny));
    g_assert_cmpfloat_with_epsilon (nx, x + 40, 1e-6);
    g_assert_cmpfloat_with_epsilon (ny, y - 30, 1e-6);
  }
  moved = render_canvas ();
  g_assert_cmpuint (philia_test_count_differences (start, moved), >, 10);

  g_assert_true (philia_document_undo (doc));
  layout = philia_document_get_current_layout (doc);
  g_assert_cmpfloat (layout->positions[2 * v], ==, before[0]);
  g_assert_cmpfloat (layout->positions[2 * v + 1], ==, before[1]);
  undone = render_canvas ();
  g_assert_cmpuint (philia_test_count_differences (start, undone), ==, 0);
  g_assert_true (philia_document_redo (doc));
  g_assert_true (philia_document_undo (doc));
}

static gboolean
zoom_written (gpointer data)
{
  return fabs (philia_document_get_view (doc)->zoom - *(double *) data) < 1e-9;
}

/* Colouring and edge style are steps; zoom reaches the document when the
 * motion pauses; the selection goes both ways. */
static void
test_view_and_selection (void)
{
  double expected = PHILIA_CANVAS_ZOOM_STEP;
  guint n_nodes;
  const guint *nodes;
  g_autofree char *last = g_strdup (philia_document_get_undo_label (doc));

  g_assert_cmpstr (last, ==, "Switch Layout");

  philia_canvas_set_color_by (canvas, PHILIA_COLOR_BY_DEGREE);
  g_assert_cmpstr (philia_document_get_view (doc)->color_by, ==, "degree");
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Colour by Degree");
  g_assert_cmpint (philia_canvas_get_color_by (canvas), ==, PHILIA_COLOR_BY_DEGREE);
  philia_canvas_set_edge_style (canvas, PHILIA_EDGES_PLAIN);
  g_assert_cmpstr (philia_document_get_view (doc)->edge_style, ==, "plain");
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Edges by Plain");

  g_assert_true (philia_document_undo (doc));
  g_assert_cmpint (philia_canvas_get_edge_style (canvas), ==, PHILIA_EDGES_HOMOPHILY);
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpint (philia_canvas_get_color_by (canvas), ==, PHILIA_COLOR_BY_LABEL);
  /* Choosing the colouring on show again is no step. */
  philia_canvas_set_color_by (canvas, PHILIA_COLOR_BY_LABEL);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, last);

  /* The two are enum properties, so the menu's property action names the
   * style by its nick, as the document does. */
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (g_object_class_find_property (
    G_OBJECT_GET_CLASS (canvas), "edge-style")) == PHILIA_TYPE_EDGE_STYLE);
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (g_object_class_find_property (
    G_OBJECT_GET_CLASS (canvas), "color-by")) == PHILIA_TYPE_COLOR_BY);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.edge-style", "s",
                                             "hidden"));
  g_assert_cmpint (philia_canvas_get_edge_style (canvas), ==, PHILIA_EDGES_HIDDEN);
  g_assert_cmpstr (philia_document_get_view (doc)->edge_style, ==, "hidden");
  g_object_set (canvas, "color-by", PHILIA_COLOR_BY_DEGREE, NULL);
  g_assert_cmpstr (philia_document_get_view (doc)->color_by, ==, "degree");
  g_assert_true (philia_document_undo (doc));
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpint (philia_canvas_get_edge_style (canvas), ==, PHILIA_EDGES_HOMOPHILY);
  g_assert_cmpint (philia_canvas_get_color_by (canvas), ==, PHILIA_COLOR_BY_LABEL);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, last);

  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.fit", NULL);
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.zoom-in", NULL);
  g_assert_true (philia_test_spin_until (zoom_written, &expected, 5000));
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, last);   /* not a step */
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.fit", NULL);
  expected = 1;
  g_assert_true (philia_test_spin_until (zoom_written, &expected, 5000));

  /* The canvas's selection lands in the document; the document's reaches
   * the canvas and the inspector. */
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.select-node", "x", (gint64) 5);
  nodes = philia_document_get_selection (doc, &n_nodes);
  g_assert_cmpuint (n_nodes, ==, 1);
  g_assert_cmpuint (nodes[0], ==, 5);
  g_assert_cmpstr (philia_inspector_get_row_text (inspector, "id"), !=, NULL);
  philia_document_set_selection (doc, (const guint[]) { 2, 3 }, 2);
  nodes = philia_canvas_get_selection (canvas, &n_nodes);
  g_assert_cmpuint (n_nodes, ==, 2);
  g_assert_cmpuint (nodes[1], ==, 3);
  g_assert_nonnull (strstr (philia_inspector_get_row_text (inspector, "summary"),
                            "2 nodes selected"));
  philia_document_set_selection (doc, NULL, 0);

  /* A neighbourhood and back: the document's layout is drawn again, not
   * computed, and nothing became a step. */
  g_assert_true (philia_canvas_show_neighbourhood (canvas, 5, 1));
  g_assert_true (philia_test_spin_until (laid_out, NULL, 60000));
  g_assert_true (philia_canvas_get_shown_graph (canvas) != philia_document_get_graph (doc));
  philia_canvas_show_whole_graph (canvas);
  g_assert_false (philia_canvas_get_busy (canvas));
  g_assert_true (philia_canvas_has_positions (canvas));
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, last);
}

static gboolean
not_training (gpointer data)
{
  return !philia_train_panel_get_training (train);
}

static void
train_in_panel (const char *model)
{
  g_assert_true (philia_train_panel_set_model (train, model));
  gtk_spin_button_set_value (philia_train_panel_get_param_spin (train, "epochs"), 20);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (train), "train.start", NULL));
  g_assert_true (philia_test_spin_until (not_training, NULL, 60000));
}

/* Runs trained in the panel go into the document; deleting one is an
 * undoable step that takes its colourings off the canvas; undo brings both
 * back. */
static void
test_runs (void)
{
  g_autofree char *text = NULL;
  g_autofree char *last = g_strdup (philia_document_get_undo_label (doc));
  guint first, second;

  train_in_panel ("mlp");
  train_in_panel ("gcn");
  g_assert_cmpuint (philia_document_get_n_runs (doc), ==, 2);
  g_assert_cmpuint (philia_train_panel_get_n_runs (train), ==, 2);
  first = philia_document_get_run (doc, 0)->id;
  second = philia_document_get_run (doc, 1)->id;
  text = philia_train_panel_dup_run_text (train, 1);
  g_assert_nonnull (strstr (text, "GCN"));
  /* Adding a run is no step: Ctrl+Z does not throw a run away. */
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, last);

  /* Colour by the second run's prediction: a view the canvas derives. */
  {
    g_autofree char *id = g_strdup_printf ("run:%u:prediction", second);

    philia_train_panel_select_runs (train, (const guint[]) { 1 }, 1);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (train), "train.color-by", "s",
                                               "prediction"));
    g_assert_cmpstr (philia_document_get_view (doc)->color_by, ==, id);
    g_assert_cmpstr (philia_canvas_get_node_layer (canvas), ==, id);
    g_assert_cmpint (philia_canvas_get_color_by (canvas), ==, PHILIA_COLOR_BY_CATEGORY);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (train), "train.remove-run", "u",
                                             second));
  g_clear_pointer (&text, g_free);
  text = g_strdup_printf ("Delete Run %u", second);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, text);
  g_assert_cmpuint (philia_train_panel_get_n_runs (train), ==, 1);
  g_assert_null (philia_canvas_get_node_layer (canvas));
  g_assert_cmpint (philia_canvas_get_color_by (canvas), ==, PHILIA_COLOR_BY_LABEL);

  g_assert_true (philia_document_undo (doc));
  g_assert_cmpuint (philia_train_panel_get_n_runs (train), ==, 2);
  g_assert_nonnull (philia_document_find_run (doc, second));
  g_assert_nonnull (philia_canvas_get_node_layer (canvas));
  g_assert_cmpint (philia_canvas_get_color_by (canvas), ==, PHILIA_COLOR_BY_CATEGORY);
  g_assert_true (philia_document_find_run (doc, first) != NULL);
  shot ("runs-after-undo.png");
}

/* Attention shown from the Train panel is the document's overlay: an
 * "Overlay" step the canvas draws from the run, gone on undo (pixel for
 * pixel) and back on redo; a reopened document's overlay is drawn with no
 * Train panel bound. */
static void
test_attention (void)
{
  g_autoptr(GdkTexture) before = NULL;
  g_autoptr(GdkTexture) shown = NULL;
  g_autoptr(GdkTexture) undone = NULL;
  g_autoptr(GdkTexture) redone = NULL;
  g_autoptr(GdkTexture) restored = NULL;
  g_autoptr(GdkTexture) restored_plain = NULL;
  g_autoptr(PhiliaDocument) reopened = _philia_document_new_restored (texas, NULL, NULL);
  const PhiliaDocumentView *view;
  PhiliaDocumentView plain = { 0 };
  PhiliaAttentionOverlay attention;
  guint n = philia_graph_get_n_nodes (texas), id;
  double *positions = g_new (double, 2 * n);

  train_in_panel ("gat");
  id = philia_document_get_run (doc, philia_document_get_n_runs (doc) - 1)->id;
  philia_train_panel_select_runs (train,
                                  (const guint[]) { philia_train_panel_get_n_runs (train) - 1 }, 1);
  g_assert_true (philia_test_spin_until (laid_out, NULL, 60000));
  g_assert_cmpint (philia_canvas_get_edge_style (canvas), !=, PHILIA_EDGES_VALUE);
  before = render_canvas ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (train), "train.edges-by-attention",
                                             NULL));
  view = philia_document_get_view (doc);
  g_assert_true (philia_attention_overlay_parse (view->overlay, &attention));
  g_assert_cmpuint (attention.run_id, ==, id);
  g_assert_cmpuint (attention.layer, ==, 0);
  g_assert_cmpint (attention.head, ==, -1);
  g_assert_cmpstr (view->edge_style, ==, "attention");
  {
    g_autofree char *label = g_strdup_printf ("Show Attention (Run %u, Layer 0)", id);

    g_assert_cmpstr (philia_document_get_undo_label (doc), ==, label);
  }
  g_assert_cmpint (philia_canvas_get_edge_style (canvas), ==, PHILIA_EDGES_VALUE);
  shown = render_canvas ();
  g_assert_cmpuint (philia_test_count_differences (before, shown), >, 0);
  shot ("attention.png");

  g_assert_true (philia_document_undo (doc));
  g_assert_cmpstr (philia_document_get_view (doc)->overlay, ==, "");
  g_assert_cmpint (philia_canvas_get_edge_style (canvas), !=, PHILIA_EDGES_VALUE);
  undone = render_canvas ();
  g_assert_cmpuint (philia_test_count_differences (before, undone), ==, 0);

  g_assert_true (philia_document_redo (doc));
  g_assert_cmpint (philia_canvas_get_edge_style (canvas), ==, PHILIA_EDGES_VALUE);
  redone = render_canvas ();
  g_assert_cmpuint (philia_test_count_differences (shown, redone), ==, 0);
  g_assert_true (philia_document_undo (doc));

  /* A reopened project naming the overlay, on the canvas alone. */
  for (guint v = 0; v < n; v++)
    {
      positions[2 * v] = cos (2 * G_PI * v / n) * (1 + (v % 3));
      positions[2 * v + 1] = sin (2 * G_PI * v / n) * (1 + (v % 3));
    }
  _philia_document_restore_layout (reopened, _philia_document_layout_new ("Rings", "manual", 0,
                                                                          positions), TRUE);
  _philia_document_restore_run (reopened, _philia_document_run_new (5, train_quietly (texas,
                                                                                      "gat", 0)));
  plain.color_by = g_strdup ("class");
  plain.edge_style = g_strdup ("attention");
  plain.overlay = g_strdup ("run:5:attention:0:relative");
  plain.zoom = 1;
  _philia_document_restore_state (reopened, NULL, 0, &plain, PHILIA_CONVENTION_DEFAULT, NULL,
                                  NULL);
  g_object_set (canvas, "document", reopened, NULL);
  g_assert_false (philia_canvas_get_busy (canvas));
  g_assert_cmpint (philia_canvas_get_edge_style (canvas), ==, PHILIA_EDGES_VALUE);
  restored = render_canvas ();
  shot ("attention-reopened.png");
  /* Deleting the run takes the overlay off. */
  g_assert_true (philia_document_delete_run (reopened, 5));
  g_assert_cmpint (philia_canvas_get_edge_style (canvas), !=, PHILIA_EDGES_VALUE);
  restored_plain = render_canvas ();
  g_assert_cmpuint (philia_test_count_differences (restored, restored_plain), >, 0);
  g_assert_true (philia_document_undo (reopened));
  g_assert_cmpint (philia_canvas_get_edge_style (canvas), ==, PHILIA_EDGES_VALUE);
  g_clear_object (&restored_plain);
  restored_plain = render_canvas ();
  g_assert_cmpuint (philia_test_count_differences (restored, restored_plain), ==, 0);
  philia_document_view_clear (&plain);
  g_object_set (canvas, "document", doc, NULL);
}

/* The Train panel's colourings from attention are the document's view: a
 * "Colouring" step the canvas derives from the run, gone on undo (pixel for
 * pixel) and back on redo; another layer or scale chosen while it is shown
 * is another step; a saved and reopened project shows it again with the
 * canvas alone. */
static void
test_attention_nodes (void)
{
  g_autoptr(GdkTexture) before = NULL;
  g_autoptr(GdkTexture) shown = NULL;
  g_autoptr(GdkTexture) undone = NULL;
  g_autoptr(GdkTexture) redone = NULL;
  g_autoptr(GdkTexture) reopened_shown = NULL;
  g_autoptr(PhiliaDocument) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-bindings-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "texas.philia", NULL);
  g_autofree char *last_name = NULL;
  g_autofree char *before_name = NULL;
  const PhiliaDocumentView *view;
  PhiliaAttentionOverlay attention;
  PhiliaAttentionNodes what;
  guint id;

  train_in_panel ("gat");
  id = philia_document_get_run (doc, philia_document_get_n_runs (doc) - 1)->id;
  philia_train_panel_select_runs (train,
                                  (const guint[]) { philia_train_panel_get_n_runs (train) - 1 }, 1);
  g_assert_true (philia_test_spin_until (laid_out, NULL, 60000));
  before_name = g_strdup (philia_canvas_get_node_layer (canvas));
  before = render_canvas ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (train), "train.color-by", "s",
                                             "self-attention"));
  view = philia_document_get_view (doc);
  g_assert_true (philia_attention_nodes_parse (view->color_by, &what, &attention));
  g_assert_cmpint (what, ==, PHILIA_ATTENTION_NODES_SELF);
  g_assert_cmpuint (attention.run_id, ==, id);
  g_assert_cmpuint (attention.layer, ==, 0);
  g_assert_cmpint (attention.head, ==, -1);
  {
    g_autofree char *label = g_strdup_printf ("Colour by Self Attention (Run %u)", id);

    g_assert_cmpstr (philia_document_get_undo_label (doc), ==, label);
  }
  g_assert_cmpstr (philia_canvas_get_node_layer (canvas), ==, view->color_by);
  g_assert_cmpint (philia_canvas_get_color_by (canvas), ==, PHILIA_COLOR_BY_VALUE);
  shown = render_canvas ();
  g_assert_cmpuint (philia_test_count_differences (before, shown), >, 0);

  g_assert_true (philia_document_undo (doc));
  g_assert_false (philia_attention_nodes_parse (philia_document_get_view (doc)->color_by, NULL,
                                                NULL));
  g_assert_cmpstr (philia_canvas_get_node_layer (canvas), ==, before_name);
  undone = render_canvas ();
  g_assert_cmpuint (philia_test_count_differences (before, undone), ==, 0);
  g_assert_true (philia_document_redo (doc));
  g_assert_cmpstr (philia_canvas_get_node_layer (canvas), ==,
                   philia_document_get_view (doc)->color_by);
  redone = render_canvas ();
  g_assert_cmpuint (philia_test_count_differences (shown, redone), ==, 0);

  /* The same-label share is another colouring, and another step. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (train), "train.color-by", "s",
                                             "same-label"));
  view = philia_document_get_view (doc);
  g_assert_true (philia_attention_nodes_parse (view->color_by, &what, &attention));
  g_assert_cmpint (what, ==, PHILIA_ATTENTION_NODES_SAME_LABEL);
  last_name = g_strdup (view->color_by);
  g_assert_cmpstr (philia_canvas_get_node_layer (canvas), ==, last_name);
  g_assert_true (philia_document_undo (doc));
  g_assert_true (philia_attention_nodes_parse (philia_document_get_view (doc)->color_by, &what,
                                               NULL));
  g_assert_cmpint (what, ==, PHILIA_ATTENTION_NODES_SELF);
  g_assert_true (philia_document_redo (doc));
  g_assert_cmpstr (philia_canvas_get_node_layer (canvas), ==, last_name);
  g_clear_object (&shown);
  shown = render_canvas ();
  shot ("attention-nodes.png");

  /* Saved and reopened: the canvas alone draws it, pixel for pixel. */
  g_assert_true (philia_document_save (doc, path, NULL, &error));
  g_assert_no_error (error);
  reopened = philia_document_open (path, NULL, PHILIA_PROJECT_OPEN_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (philia_document_get_view (reopened)->color_by, ==, last_name);
  g_assert_false (philia_document_can_undo (reopened));
  g_object_set (canvas, "document", reopened, NULL);
  g_assert_false (philia_canvas_get_busy (canvas));
  g_assert_cmpstr (philia_canvas_get_node_layer (canvas), ==, last_name);
  reopened_shown = render_canvas ();
  g_assert_cmpuint (philia_test_count_differences (shown, reopened_shown), ==, 0);
  if (shots != NULL)
    {
      g_autofree char *png = g_build_filename (shots, "attention-nodes-reopened.png", NULL);

      g_assert_true (gdk_texture_save_to_png (reopened_shown, png));
    }
  /* Deleting the run takes the colouring off; undo brings it back. */
  g_assert_true (philia_document_delete_run (reopened, id));
  g_assert_cmpstr (philia_canvas_get_node_layer (canvas), !=, last_name);
  g_assert_true (philia_document_undo (reopened));
  g_assert_cmpstr (philia_canvas_get_node_layer (canvas), ==, last_name);
  g_object_set (canvas, "document", doc, NULL);

  /* Back to classes for the tests after this one. */
  g_assert_true (philia_document_undo (doc));
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpstr (philia_canvas_get_node_layer (canvas), ==, before_name);
  g_unlink (path);
  g_rmdir (dir);
}

/* Make Splits is a step that keeps layouts and runs; undo restores the masks. */
static void
test_splits (void)
{
  PhiliaGraph *before = g_object_ref (philia_document_get_graph (doc));
  guint n = philia_graph_get_n_nodes (before);
  guint n_layouts = philia_document_get_n_layouts (doc), n_runs = philia_document_get_n_runs (doc);
  PhiliaSplitDialog *dialog = philia_split_dialog_new_for_document (window, doc);
  PhiliaGraph *after;
  g_autofree char *text = philia_train_panel_dup_run_text (train, 0);
  g_autofree char *last = NULL;

  /* Not the default layout on show, so a reset would show. */
  philia_canvas_set_layout (canvas, "circle");
  g_assert_cmpstr (philia_document_get_current_layout (doc)->algorithm, ==, "circle");
  n_layouts = philia_document_get_n_layouts (doc);
  last = g_strdup (philia_document_get_undo_label (doc));

  philia_split_dialog_set_values (dialog, 0.5, 0.25, 3, 11, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "splits.make", NULL));
  g_assert_null (philia_split_dialog_get_error_text (dialog));

  after = philia_document_get_graph (doc);
  g_assert_true (after != before);
  g_assert_cmpuint (philia_graph_get_n_splits (after), ==, 3);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Make Splits");
  g_assert_cmpstr (philia_document_get_current_layout (doc)->algorithm, ==, "circle");
  g_assert_cmpstr (philia_canvas_get_layout (canvas), ==, "circle");
  {
    g_autofree char *now = philia_train_panel_dup_run_text (train, 0);

    g_assert_cmpstr (now, ==, text);
  }
  g_assert_cmpuint (philia_document_get_n_layouts (doc), ==, n_layouts);
  g_assert_cmpuint (philia_document_get_n_runs (doc), ==, n_runs);
  /* The panels are on the new graph and keep their state. */
  g_assert_true (philia_canvas_get_graph (canvas) == after);
  g_assert_true (philia_train_panel_get_graph (train) == after);
  g_assert_cmpuint (philia_train_panel_get_n_runs (train), ==, n_runs);
  g_assert_true (philia_canvas_has_positions (canvas));
  g_assert_false (philia_canvas_get_busy (canvas));

  g_assert_true (philia_document_undo (doc));
  /* Nothing else became a step on the way (a window handing the graph on). */
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, last);
  after = philia_document_get_graph (doc);
  g_assert_cmpuint (philia_graph_get_n_splits (after), ==, 10);
  for (guint k = 0; k < 10; k++)
    for (PhiliaSplitPart part = PHILIA_SPLIT_TRAIN; part <= PHILIA_SPLIT_TEST; part++)
      g_assert_cmpmem (philia_graph_get_split_mask (after, k, part), n,
                       philia_graph_get_split_mask (before, k, part), n);
  g_assert_cmpuint (philia_train_panel_get_n_runs (train), ==, n_runs);
  g_assert_cmpuint (philia_document_get_n_layouts (doc), ==, n_layouts);
  g_object_unref (before);
}

/* Runs over splits × seeds: every run goes into the document, the history
 * keeps them as one entry; deleting it deletes them all in one step. */
static void
test_group (void)
{
  guint n_runs = philia_document_get_n_runs (doc);
  guint n_entries = philia_train_panel_get_n_runs (train);
  guint n_splits = philia_graph_get_n_splits (philia_document_get_graph (doc));
  g_autofree char *text = NULL;
  guint first;

  gtk_check_button_set_active (philia_train_panel_get_many_check (train), TRUE);
  gtk_spin_button_set_value (philia_train_panel_get_param_spin (train, "seeds"), 1);
  train_in_panel ("mlp");
  gtk_check_button_set_active (philia_train_panel_get_many_check (train), FALSE);
  g_assert_cmpuint (philia_document_get_n_runs (doc), ==, n_runs + n_splits);
  g_assert_cmpuint (philia_train_panel_get_n_runs (train), ==, n_entries + 1);
  first = philia_document_get_run (doc, n_runs)->id;
  text = philia_train_panel_dup_run_text (train, n_entries);
  g_assert_nonnull (strstr (text, "splits"));
  g_assert_nonnull (strstr (text, " ± "));

  /* Saved and reopened, the group is one entry again, with its mean ± sd
   * (it used to come back as one entry per run). */
  {
    g_autofree char *dir = g_dir_make_tmp ("philia-bindings-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "group.philia", NULL);
    g_autofree char *again = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(PhiliaDocument) back = NULL;

    g_assert_true (philia_document_save (doc, path, NULL, &error));
    g_assert_no_error (error);
    back = philia_document_open (path, NULL, PHILIA_PROJECT_OPEN_DEFAULT, NULL, &error);
    g_assert_no_error (error);
    g_object_set (train, "document", back, NULL);
    g_assert_cmpuint (philia_train_panel_get_n_runs (train), ==, n_entries + 1);
    again = philia_train_panel_dup_run_text (train, n_entries);
    g_assert_cmpstr (again, ==, text);
    g_object_set (train, "document", doc, NULL);
    g_assert_cmpuint (philia_train_panel_get_n_runs (train), ==, n_entries + 1);
    g_remove (path);
    g_rmdir (dir);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (train), "train.remove-run", "u", first));
  g_assert_cmpuint (philia_document_get_n_runs (doc), ==, n_runs);
  g_assert_cmpuint (philia_train_panel_get_n_runs (train), ==, n_entries);
  /* One step: undo brings the group back as the one entry it was, with the
   * same mean ± sd (it used to come back one run, one entry, at a time). */
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpuint (philia_document_get_n_runs (doc), ==, n_runs + n_splits);
  g_assert_cmpuint (philia_train_panel_get_n_runs (train), ==, n_entries + 1);
  {
    g_autofree char *again = philia_train_panel_dup_run_text (train, n_entries);

    g_assert_cmpstr (again, ==, text);
  }
  g_assert_true (philia_document_redo (doc));
  g_assert_cmpuint (philia_document_get_n_runs (doc), ==, n_runs);
  g_assert_cmpuint (philia_train_panel_get_n_runs (train), ==, n_entries);
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpuint (philia_train_panel_get_n_runs (train), ==, n_entries + 1);
}

static gboolean
proximity_idle (gpointer data)
{
  return !philia_proximity_panel_get_busy (proximity);
}

/* An explained pair and an evaluation go into the document. */
static void
test_proximity (void)
{
  const PhiliaDocumentPair *pair;
  guint n_pairs;

  /* Selecting two nodes explained them already (test_view_and_selection). */
  g_assert_true (philia_test_spin_until (proximity_idle, NULL, 60000));
  n_pairs = philia_document_get_n_pairs (doc);
  philia_proximity_panel_explain (proximity, 0, 1);
  g_assert_true (philia_test_spin_until (proximity_idle, NULL, 60000));
  g_assert_cmpuint (philia_document_get_n_pairs (doc), ==, n_pairs + 1);
  pair = philia_document_get_pair (doc, n_pairs);
  g_assert_cmpuint (pair->u, ==, 0);
  g_assert_cmpuint (pair->v, ==, 1);

  philia_proximity_panel_evaluate (proximity, 20);
  g_assert_true (philia_test_spin_until (proximity_idle, NULL, 120000));
  g_assert_cmpuint (philia_document_get_n_evaluations (doc), ==, 1);
  g_assert_nonnull (philia_proximity_panel_get_report (proximity));
  g_assert_true (philia_proximity_panel_get_report (proximity)
                 == philia_document_get_evaluation (doc, 0)->report);
}

/* Stats conventions are the document's, undoable. */
static void
test_conventions (void)
{
  gboolean directed;

  g_object_set (stats, "directed", TRUE, NULL);
  g_assert_cmpint (philia_document_get_conventions (doc), ==, PHILIA_CONVENTION_DIRECTED);
  g_object_get (stats, "directed", &directed, NULL);
  g_assert_true (directed);
  g_assert_true (philia_document_undo (doc));
  g_object_get (stats, "directed", &directed, NULL);
  g_assert_false (directed);
  g_assert_cmpint (philia_document_get_conventions (doc), ==, PHILIA_CONVENTION_DEFAULT);
}

static PhiliaTrainResult *
train_quietly (PhiliaGraph *graph,
               const char  *model,
               guint        split)
{
  PhiliaTrainParams params;
  g_autoptr(GError) error = NULL;
  PhiliaTrainResult *result;

  philia_train_params_init (&params);
  params.epochs = 20;
  params.split = split;
  result = philia_train (graph, model, &params, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return result;
}

static gboolean
current_is (gpointer data)
{
  const PhiliaDocumentLayout *layout = philia_document_get_current_layout (doc);

  return layout != NULL && g_str_equal (layout->algorithm, data) && !philia_canvas_get_busy (canvas)
         && philia_canvas_has_positions (canvas);
}

static gboolean
explained (gpointer data)
{
  const PhiliaPairExplanation *x = philia_proximity_panel_get_explanation (proximity);

  return x != NULL && x->u == 3 && x->v == 9 && !philia_proximity_panel_get_busy (proximity);
}

static gboolean
recomputed (gpointer data)
{
  return philia_proximity_panel_get_report (proximity) != NULL
         && !philia_proximity_panel_get_busy (proximity);
}

/* A document as a reopened project holds it: two runs, a layout, an
 * evaluation without its report (only the figures), a pair. The panels show
 * them; the evaluation's report is recomputed from its recipe. */
static void
test_reopened (void)
{
  g_autoptr(PhiliaDocument) reopened = _philia_document_new_restored (texas, NULL, NULL);
  g_autoptr(PhiliaLinkpredReport) reference = NULL;
  g_autoptr(GError) error = NULL;
  PhiliaDocumentEvaluation *evaluation = g_new0 (PhiliaDocumentEvaluation, 1);
  PhiliaDocumentPair pair = { 3, 9 };
  PhiliaDocumentView view = { 0 };
  guint n = philia_graph_get_n_nodes (texas);
  double *positions = g_new (double, 2 * n);
  g_autofree char *text = NULL;

  for (guint v = 0; v < n; v++)
    {
      positions[2 * v] = cos (2 * G_PI * v / n) * (1 + (v % 3));
      positions[2 * v + 1] = sin (2 * G_PI * v / n) * (1 + (v % 3));
    }
  _philia_document_restore_layout (reopened, _philia_document_layout_new ("Rings", "manual", 0,
                                                                          positions), TRUE);
  _philia_document_restore_run (reopened, _philia_document_run_new (4, train_quietly (texas,
                                                                                      "mlp", 0)));
  _philia_document_restore_run (reopened, _philia_document_run_new (7, train_quietly (texas,
                                                                                      "gcn", 1)));
  evaluation->id = 2;
  philia_proximity_params_init_default (&evaluation->params);
  evaluation->mask = PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_CN)
                     | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_AA);
  evaluation->seed = 5;
  evaluation->n_mrr_neg = 20;
  reference = philia_linkpred_report_new (texas, &evaluation->params, evaluation->mask,
                                          evaluation->seed, evaluation->n_mrr_neg, NULL, NULL,
                                          &error);
  g_assert_no_error (error);
  evaluation->n_heuristics = reference->n_results;
  evaluation->summary = g_new0 (double, 6 * reference->n_results);
  for (guint i = 0; i < reference->n_results; i++)
    {
      evaluation->summary[6 * i] = reference->results[i]->auc;
      evaluation->summary[6 * i + 2] = reference->results[i]->mrr;
      evaluation->summary[6 * i + 3] = reference->results[i]->hits[1];
      evaluation->summary[6 * i + 4] = reference->results[i]->hits[2];
      evaluation->summary[6 * i + 5] = reference->results[i]->hits[3];
    }
  _philia_document_restore_evaluation (reopened, evaluation);
  _philia_document_restore_pair (reopened, &pair);
  view.color_by = g_strdup ("run:7:correct");
  view.edge_style = g_strdup ("plain");
  view.overlay = g_strdup ("");
  view.zoom = 1;
  _philia_document_restore_state (reopened, (const guint[]) { 3 }, 1, &view,
                                  PHILIA_CONVENTION_DEFAULT, NULL, NULL);
  philia_document_view_clear (&view);

  g_clear_object (&doc);
  doc = g_object_ref (reopened);
  bind (doc);

  /* The layout is drawn as stored, not computed. */
  g_assert_false (philia_canvas_get_busy (canvas));
  g_assert_true (philia_canvas_has_positions (canvas));
  g_assert_cmpstr (philia_canvas_get_node_layer (canvas), ==, "run:7:correct");
  g_assert_cmpint (philia_canvas_get_edge_style (canvas), ==, PHILIA_EDGES_PLAIN);
  g_assert_cmpuint (philia_train_panel_get_n_runs (train), ==, 2);
  text = philia_train_panel_dup_run_text (train, 0);
  g_assert_nonnull (strstr (text, "MLP #4"));
  g_clear_pointer (&text, g_free);
  text = philia_train_panel_dup_run_text (train, 1);
  g_assert_nonnull (strstr (text, "GCN #7"));
  /* The stored figures are in the table while the report is recomputed. */
  {
    g_autofree char *title = philia_linkpred_predictor_title (
      philia_proximity_heuristic_to_string (PHILIA_PROXIMITY_CN));

    g_assert_cmpstr (philia_proximity_panel_get_eval_text (proximity, 1, 0), ==, title);
  }

  g_assert_true (philia_test_spin_until (recomputed, NULL, 120000));
  g_assert_true (philia_test_spin_until (explained, NULL, 60000));
  {
    const PhiliaLinkpredReport *report = philia_proximity_panel_get_report (proximity);

    g_assert_cmpuint (report->n_results, ==, reference->n_results);
    for (guint i = 0; i < report->n_results; i++)
      {
        g_assert_cmpfloat (report->results[i]->auc, ==, reference->results[i]->auc);
        g_assert_cmpfloat (report->results[i]->mrr, ==, reference->results[i]->mrr);
      }
  }
  /* Nothing was added while showing them. */
  g_assert_cmpuint (philia_document_get_n_pairs (doc), ==, 1);
  g_assert_cmpuint (philia_document_get_n_evaluations (doc), ==, 1);
  g_assert_false (philia_document_can_undo (doc));
  shot ("reopened.png");
  shot_page (0, 1.0, "reopened-runs.png");
  shot_page (1, 1.0, "reopened-linkpred.png");

  /* Deleting the run the canvas is coloured by, then undoing it. */
  g_assert_true (philia_document_delete_run (doc, 7));
  g_assert_null (philia_canvas_get_node_layer (canvas));
  g_assert_cmpuint (philia_train_panel_get_n_runs (train), ==, 1);
  shot ("reopened-run-deleted.png");
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpstr (philia_canvas_get_node_layer (canvas), ==, "run:7:correct");
  g_assert_cmpuint (philia_train_panel_get_n_runs (train), ==, 2);
  /* …in the colour it had: the palette's second (sky blue) in the chart. */
  philia_train_panel_select_runs (train, (const guint[]) { 1 }, 1);
  g_assert_cmpuint (philia_test_count_chart_colour (philia_train_panel_get_chart (train,
                                                                                   "homophily"),
                                                    1), >, 0);
  g_assert_cmpuint (philia_test_count_chart_colour (philia_train_panel_get_chart (train,
                                                                                   "homophily"),
                                                    2), ==, 0);
  shot ("reopened-after-undo.png");
  shot_page (0, 1.0, "reopened-runs-after-undo.png");

  /* From the hand-made layout to an algorithm's: computed, and a step. */
  philia_canvas_set_layout (canvas, "kk");
  g_assert_true (philia_test_spin_until (current_is, "kk", 60000));
  g_assert_cmpuint (philia_document_get_n_layouts (doc), ==, 2);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Layout");
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpstr (philia_document_get_current_layout (doc)->name, ==, "Rings");
  g_assert_false (philia_canvas_get_busy (canvas));
}

/* What a window that also hands its graph on does when the document's graph
 * changes (connected before the widgets, so it runs first). */
static void
hand_on_graph (PhiliaDocument *document,
               GParamSpec     *pspec,
               gpointer        data)
{
  PhiliaGraph *graph = philia_document_get_graph (document);

  g_object_set (canvas, "graph", graph, NULL);
  g_object_set (train, "graph", graph, NULL);
  g_object_set (proximity, "graph", graph, NULL);
  g_object_set (stats, "graph", graph, NULL);
  g_object_set (inspector, "graph", graph, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!philia_test_init (&argc, &argv, "Bindings"))
    return g_test_run ();

  philia_core_init ();
  shots = g_getenv ("PHILIA_BINDINGS_SHOTS");
  texas = load_texas ();
  doc = philia_document_new (texas, NULL, NULL);
  build_window ();
  g_signal_connect (doc, "notify::graph", G_CALLBACK (hand_on_graph), NULL);
  bind (doc);

  g_test_add_func ("/Philia/Bindings/layout-undo", test_layout_undo);
  g_test_add_func ("/Philia/Bindings/move-node", test_move_node);
  g_test_add_func ("/Philia/Bindings/view-and-selection", test_view_and_selection);
  g_test_add_func ("/Philia/Bindings/runs", test_runs);
  g_test_add_func ("/Philia/Bindings/attention", test_attention);
  g_test_add_func ("/Philia/Bindings/attention-nodes", test_attention_nodes);
  g_test_add_func ("/Philia/Bindings/splits", test_splits);
  g_test_add_func ("/Philia/Bindings/group", test_group);
  g_test_add_func ("/Philia/Bindings/proximity", test_proximity);
  g_test_add_func ("/Philia/Bindings/conventions", test_conventions);
  g_test_add_func ("/Philia/Bindings/reopened", test_reopened);

  ret = g_test_run ();

  bind (NULL);
  gtk_window_destroy (window);
  g_clear_object (&doc);
  g_clear_object (&texas);
  return ret;
}
