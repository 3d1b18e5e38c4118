/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "philia-canvas.h"
#include "philia-test-util.h"

/*
 * The canvas's drawing area (PhiliaGraphArea) on a bare canvas bound to a
 * document of a small graph: what its gestures say (signals the page turns
 * into the document's commands), the view on resize, Zoom to Selection and
 * the document's requests to reveal nodes, the neighbourhood view, and the
 * view keys of the area (the page's focus stop).
 *
 * The graph: a path 0–1–2–3–4–5–6–7 with a branch 2–8–9 (10 nodes); the
 * 1-hop neighbourhood of 2 is {2, 1, 3, 8}.
 */

static GtkWidget *win;
static PhiliaCanvas *canvas;
static PhiliaDocument *doc;

static gboolean
canvas_ready (gpointer data)
{
  return !philia_canvas_get_busy (canvas) && philia_canvas_has_positions (canvas);
}

static GtkWidget *
area (void)
{
  return GTK_WIDGET (philia_canvas_get_graph_area (canvas));
}

/* Where node @v of the shown graph is, in the area's coordinates. */
static void
area_point (guint   v,
            double *x,
            double *y)
{
  double cx, cy;

  g_assert_true (philia_canvas_get_node_point (canvas, v, &cx, &cy));
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (canvas), area (), cx, cy, x, y));
}

static void
assert_centred (guint v)
{
  double x, y;

  area_point (v, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, gtk_widget_get_width (area ()) / 2.0, 0.5);
  g_assert_cmpfloat_with_epsilon (y, gtk_widget_get_height (area ()) / 2.0, 0.5);
}

/* Fits the view (as the toolbar's Fit does); the fitted scale. */
static double
fitted_scale (void)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.fit", NULL));
  return philia_canvas_get_scale (canvas);
}

typedef struct
{
  guint  n_moved;
  guint  moved_node;
  double moved_xy[2];
  guint  n_selection;
  guint  selection_len;
  guint  n_view;
} Seen;

static void
on_nodes_moved (GtkWidget    *widget,
                const guint  *nodes,
                const double *xy,
                guint         n,
                Seen         *seen)
{
  seen->n_moved++;
  g_assert_cmpuint (n, ==, 1);
  seen->moved_node = nodes[0];
  seen->moved_xy[0] = xy[0];
  seen->moved_xy[1] = xy[1];
}

static void
on_selection_requested (GtkWidget *widget,
                        GArray    *nodes,
                        Seen      *seen)
{
  seen->n_selection++;
  seen->selection_len = nodes->len;
}

static void
on_view_changed (GtkWidget *widget,
                 Seen      *seen)
{
  seen->n_view++;
}

/* The area holds the drag gesture; a drag from a node says which node went
 * where (the page makes it the document's step), a drag from empty space
 * pans and says the view changed. */
static void
test_signals (void)
{
  GtkGesture *drag = philia_graph_area_get_drag_gesture (PHILIA_GRAPH_AREA (area ()));
  Seen seen = { 0 };
  const PhiliaDocumentLayout *layout = philia_document_get_current_layout (doc);
  double x, y, scale = philia_canvas_get_scale (canvas), before[2];
  gulong ids[3];

  g_assert_true (GTK_IS_GESTURE_DRAG (drag));
  g_assert_true (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (drag)) == area ());
  ids[0] = g_signal_connect (area (), "nodes-moved", G_CALLBACK (on_nodes_moved), &seen);
  ids[1] = g_signal_connect (area (), "selection-requested", G_CALLBACK (on_selection_requested),
                             &seen);
  ids[2] = g_signal_connect (area (), "view-changed", G_CALLBACK (on_view_changed), &seen);

  before[0] = layout->positions[2 * 5];
  before[1] = layout->positions[2 * 5 + 1];
  area_point (5, &x, &y);
  g_signal_emit_by_name (drag, "drag-begin", x, y);
  g_signal_emit_by_name (drag, "drag-update", 30.0, -20.0);
  g_assert_cmpuint (seen.n_moved, ==, 0);
  g_signal_emit_by_name (drag, "drag-end", 30.0, -20.0);
  g_assert_cmpuint (seen.n_moved, ==, 1);
  g_assert_cmpuint (seen.moved_node, ==, 5);
  g_assert_cmpfloat_with_epsilon (seen.moved_xy[0], before[0] + 30.0 / scale, 1e-9);
  g_assert_cmpfloat_with_epsilon (seen.moved_xy[1], before[1] - 20.0 / scale, 1e-9);
  g_assert_cmpuint (seen.n_view, ==, 0);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Move Node 5");
  g_assert_true (philia_document_undo (doc));

  /* A pan from a corner, where no node is. */
  g_signal_emit_by_name (drag, "drag-begin", 2.0, 2.0);
  g_signal_emit_by_name (drag, "drag-update", 40.0, 0.0);
  g_signal_emit_by_name (drag, "drag-end", 40.0, 0.0);
  g_assert_cmpuint (seen.n_view, >=, 1);
  g_assert_cmpuint (seen.n_moved, ==, 1);
  g_assert_cmpuint (seen.n_selection, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_signal_handler_disconnect (area (), ids[i]);
  fitted_scale ();
}

static gboolean
area_width_is (gpointer data)
{
  return gtk_widget_get_width (area ()) == GPOINTER_TO_INT (data);
}

/* Until the user zooms or pans, a new size fits the drawing again; after,
 * the user's view (scale and centre) stays. */
static void
test_resize (void)
{
  double scale, fitted, x, y;
  int w = gtk_widget_get_width (area ()), h;

  fitted = fitted_scale ();
  gtk_widget_set_size_request (GTK_WIDGET (canvas), w + 200, -1);
  g_assert_true (philia_test_spin_until (area_width_is, GINT_TO_POINTER (w + 200), 10000));
  scale = philia_canvas_get_scale (canvas);
  /* Fitted at the new size: Fit changes nothing now. */
  g_assert_cmpfloat_with_epsilon (fitted_scale (), scale, 1e-9 * scale);
  g_assert_cmpfloat (fabs (scale - fitted), >, 1e-6 * fitted);

  /* The user zooms in on node 9: a new size keeps that view. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.zoom-in", NULL));
  area_point (9, &x, &y);
  h = gtk_widget_get_height (area ());
  scale = philia_canvas_get_scale (canvas);
  /* (A window grows to a larger request; it does not shrink by itself.) */
  gtk_widget_set_size_request (GTK_WIDGET (canvas), w + 300, -1);
  g_assert_true (philia_test_spin_until (area_width_is, GINT_TO_POINTER (w + 300), 10000));
  g_assert_cmpfloat (philia_canvas_get_scale (canvas), ==, scale);
  {
    double x2, y2;

    /* The centre stays: the node moves by half the change of size (the
     * toolbar may take another height at another width). */
    area_point (9, &x2, &y2);
    g_assert_cmpfloat_with_epsilon (x2, x + 50, 1e-6);
    g_assert_cmpfloat_with_epsilon (y2, y + (gtk_widget_get_height (area ()) - h) / 2.0, 1e-6);
  }
  gtk_widget_set_size_request (GTK_WIDGET (canvas), -1, -1);
  philia_test_spin_for (200);
  fitted_scale ();
}

static void
set_selection (guint v)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.select-node", "x",
                                             (gint64) v));
}

/* Zoom to Selection frames the selection now, and stays there when the
 * view changes before the zoom is written to the document (it used to jump
 * back to the node zoomed to before). */
static void
test_zoom_to_selection (void)
{
  const char *shots = g_getenv ("PHILIA_TEST_SHOTS");

  set_selection (0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.zoom-to-selection",
                                             NULL));
  assert_centred (0);
  /* Written when the motion pauses. */
  philia_test_spin_for (600);

  set_selection (7);
  g_assert_true (philia_canvas_zoom_to_selection (canvas));
  assert_centred (7);
  /* A colouring (a view step of the document's) at once: still on 7. */
  philia_canvas_set_color_by (canvas, PHILIA_COLOR_BY_DEGREE);
  g_assert_cmpstr (philia_document_get_view (doc)->color_by, ==, "degree");
  assert_centred (7);
  philia_test_spin_for (600);
  assert_centred (7);
  g_assert_true (philia_document_undo (doc));
  assert_centred (7);

  /* Find centres on the node, and that too survives a change of colouring. */
  g_assert_true (philia_canvas_find_node (canvas, "4"));
  assert_centred (4);
  philia_canvas_set_color_by (canvas, PHILIA_COLOR_BY_DEGREE);
  assert_centred (4);
  g_assert_true (philia_document_undo (doc));
  assert_centred (4);

  if (shots != NULL)
    {
      g_autofree char *path = g_build_filename (shots, "zoom-to-selection.png", NULL);
      g_autoptr(GError) error = NULL;

      set_selection (7);
      g_assert_true (philia_canvas_zoom_to_selection (canvas));
      gtk_test_widget_wait_for_draw (win);
      g_assert_true (philia_canvas_export (canvas, path, 480, 300, 96, FALSE, &error));
      g_assert_no_error (error);
    }
  fitted_scale ();
}

/* A panel asks the document to show nodes; the canvas frames them. */
static void
test_reveal (void)
{
  double x0, y0, x1, y1, w = gtk_widget_get_width (area ()), h = gtk_widget_get_height (area ());
  double fitted = fitted_scale ();

  g_assert_false (philia_document_reveal_nodes (doc, (const guint[]) { 99 }, 1));
  g_assert_false (philia_document_reveal_nodes (doc, NULL, 0));
  g_assert_cmpfloat (philia_canvas_get_scale (canvas), ==, fitted);

  g_assert_true (philia_document_reveal_nodes (doc, (const guint[]) { 8, 99, 9 }, 3));
  area_point (8, &x0, &y0);
  area_point (9, &x1, &y1);
  /* The box of 8 and 9 in the middle, closer than fitted. */
  g_assert_cmpfloat_with_epsilon ((x0 + x1) / 2, w / 2, 0.5);
  g_assert_cmpfloat_with_epsilon ((y0 + y1) / 2, h / 2, 0.5);
  g_assert_cmpfloat (philia_canvas_get_scale (canvas), >, fitted);
  for (guint v = 8; v <= 9; v++)
    {
      double x, y;

      area_point (v, &x, &y);
      g_assert_cmpfloat (x, >=, 0);
      g_assert_cmpfloat (x, <=, w);
      g_assert_cmpfloat (y, >=, 0);
      g_assert_cmpfloat (y, <=, h);
    }
  /* The selection is not touched. */
  {
    guint n;

    philia_canvas_get_selection (canvas, &n);
    g_assert_cmpuint (n, ==, 1);
  }
  fitted_scale ();
}

/* The view keys are the area's, the page's focus stop: +/- zoom by a step
 * about the middle, the arrows move the graph a tenth of the area, 0 fits
 * (zoom 1 in the document), Escape clears the selection and otherwise
 * leaves the key to the window. The page takes no focus and no view key. */
static void
test_keys (void)
{
  static const guint zoom_in[] = { GDK_KEY_plus, GDK_KEY_equal, GDK_KEY_KP_Add };
  static const guint page_keys[] = {
    GDK_KEY_plus, GDK_KEY_minus, GDK_KEY_0, GDK_KEY_Left, GDK_KEY_Down, GDK_KEY_Escape,
  };
  static const struct { guint key; double dx, dy; } arrows[] = {
    { GDK_KEY_Right, -0.1, 0 }, { GDK_KEY_Left, 0.1, 0 },
    { GDK_KEY_Down, 0, -0.1 }, { GDK_KEY_Up, 0, 0.1 },
  };
  double w = gtk_widget_get_width (area ()), h = gtk_widget_get_height (area ());
  double fitted = fitted_scale (), x, y, x2, y2;
  guint n;

  g_assert_true (gtk_widget_get_focusable (area ()));
  g_assert_false (gtk_widget_get_focusable (GTK_WIDGET (canvas)));
  g_assert_true (gtk_widget_grab_focus (area ()));
  g_assert_true (gtk_widget_has_focus (area ()));
  for (guint i = 0; i < G_N_ELEMENTS (page_keys); i++)
    g_assert_false (philia_test_press_key (GTK_WIDGET (canvas), page_keys[i], 0));

  for (guint i = 0; i < G_N_ELEMENTS (zoom_in); i++)
    {
      area_point (9, &x, &y);
      g_assert_true (philia_test_press_key (area (), zoom_in[i], 0));
      g_assert_cmpfloat_with_epsilon (philia_canvas_get_scale (canvas),
                                      fitted * PHILIA_CANVAS_ZOOM_STEP, 1e-9 * fitted);
      /* About the middle: node 9 moved away from it by the step. */
      area_point (9, &x2, &y2);
      g_assert_cmpfloat_with_epsilon (x2 - w / 2, (x - w / 2) * PHILIA_CANVAS_ZOOM_STEP, 1e-3);
      g_assert_cmpfloat_with_epsilon (y2 - h / 2, (y - h / 2) * PHILIA_CANVAS_ZOOM_STEP, 1e-3);
      g_assert_true (philia_test_press_key (area (), i == 0 ? GDK_KEY_minus : GDK_KEY_KP_Subtract,
                                            0));
      g_assert_cmpfloat_with_epsilon (philia_canvas_get_scale (canvas), fitted, 1e-9 * fitted);
    }
  g_assert_true (philia_test_press_key (area (), GDK_KEY_plus, GDK_SHIFT_MASK));

  for (guint i = 0; i < G_N_ELEMENTS (arrows); i++)
    {
      area_point (9, &x, &y);
      g_assert_true (philia_test_press_key (area (), arrows[i].key, 0));
      area_point (9, &x2, &y2);
      /* A tenth of the area, in whole units (so the density raster of a
       * large graph can be moved rather than filled again). */
      g_assert_cmpfloat_with_epsilon (x2 - x, round (arrows[i].dx * 10 * w / 10), 1e-3);
      g_assert_cmpfloat_with_epsilon (y2 - y, round (arrows[i].dy * 10 * h / 10), 1e-3);
    }

  /* 0 fits again, and the document forgets the zoom once written. */
  philia_test_spin_for (600);
  g_assert_cmpfloat (philia_document_get_view (doc)->zoom, >, 1.01);
  g_assert_true (philia_test_press_key (area (), GDK_KEY_0, 0));
  g_assert_cmpfloat_with_epsilon (philia_canvas_get_scale (canvas), fitted, 1e-9 * fitted);
  g_assert_cmpfloat (philia_document_get_view (doc)->zoom, ==, 1);
  g_assert_true (philia_test_press_key (area (), GDK_KEY_KP_0, 0));

  set_selection (3);
  philia_canvas_get_selection (canvas, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (philia_test_press_key (area (), GDK_KEY_Escape, 0));
  philia_canvas_get_selection (canvas, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_false (philia_test_press_key (area (), GDK_KEY_Escape, 0));
}

static GBytes *
export_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (philia_canvas_export (canvas, path, 320, 240, 96, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_unlink (path);
  return g_bytes_new_take (contents, length);
}

/* The neighbourhood of 2 is centred on 2 and marks it with the accent ring
 * of emphasised nodes, in exports too. */
static void
test_ego (void)
{
  g_autofree char *dir = g_dir_make_tmp ("philia-area-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "ego.png", NULL);
  const char *shots = g_getenv ("PHILIA_TEST_SHOTS");
  g_autoptr(GBytes) marked = NULL;
  g_autoptr(GBytes) by_hand = NULL;
  g_autoptr(GBytes) other = NULL;
  const guint *shown;
  guint n_shown;

  philia_canvas_clear_highlight (canvas);
  g_assert_true (philia_canvas_show_neighbourhood (canvas, 2, 1));
  g_assert_true (philia_test_spin_until (canvas_ready, NULL, 30000));
  shown = philia_canvas_get_shown_nodes (canvas, &n_shown);
  g_assert_cmpuint (n_shown, ==, 4);
  g_assert_cmpuint (shown[0], ==, 2);
  assert_centred (0);
  /* Every node of the neighbourhood inside the area. */
  for (guint v = 0; v < n_shown; v++)
    {
      double x, y;

      area_point (v, &x, &y);
      g_assert_cmpfloat (x, >, 0);
      g_assert_cmpfloat (x, <, gtk_widget_get_width (area ()));
      g_assert_cmpfloat (y, >, 0);
      g_assert_cmpfloat (y, <, gtk_widget_get_height (area ()));
    }

  /* The mark is the highlight ring of node 2: the same picture as 2
   * highlighted by hand; another node highlighted is another picture. */
  marked = export_bytes (png);
  philia_canvas_set_highlight (canvas, (const guint[]) { 2 }, 1, NULL, 0, NULL);
  by_hand = export_bytes (png);
  g_assert_true (g_bytes_equal (marked, by_hand));
  philia_canvas_set_highlight (canvas, (const guint[]) { 3 }, 1, NULL, 0, NULL);
  other = export_bytes (png);
  g_assert_false (g_bytes_equal (marked, other));
  philia_canvas_clear_highlight (canvas);
  g_clear_pointer (&other, g_bytes_unref);
  other = export_bytes (png);
  g_assert_true (g_bytes_equal (marked, other));

  if (shots != NULL)
    {
      g_autofree char *path = g_build_filename (shots, "ego.png", NULL);
      g_autoptr(GError) error = NULL;

      gtk_test_widget_wait_for_draw (win);
      g_assert_true (philia_canvas_export (canvas, path, 480, 300, 96, FALSE, &error));
      g_assert_no_error (error);
    }
  philia_canvas_show_whole_graph (canvas);
  g_assert_true (philia_test_spin_until (canvas_ready, NULL, 30000));
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PhiliaGraphBuilder) builder = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  static const gint64 labels[] = { 0, 0, 1, 1, 0, 1, 0, 1, 0, 1 };
  int ret;

  if (!philia_test_init (&argc, &argv, "GraphArea"))
    return g_test_run ();
  /* The layouts (a bare canvas, no application to register them). */
  philia_core_init ();

  builder = philia_graph_builder_new (10);
  for (guint v = 0; v + 1 < 8; v++)
    philia_graph_builder_add_edge (builder, v, v + 1);
  philia_graph_builder_add_edge (builder, 2, 8);
  philia_graph_builder_add_edge (builder, 8, 9);
  philia_graph_builder_take_labels (builder, g_memdup2 (labels, sizeof labels));
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  doc = philia_document_new (graph, NULL, NULL);

  win = gtk_window_new ();
  canvas = PHILIA_CANVAS (philia_canvas_new ());
  gtk_window_set_child (GTK_WINDOW (win), GTK_WIDGET (canvas));
  gtk_window_set_default_size (GTK_WINDOW (win), 640, 420);
  philia_canvas_set_document (canvas, doc);
  gtk_window_present (GTK_WINDOW (win));
  g_assert_true (philia_test_spin_until (canvas_ready, NULL, 30000));
  gtk_test_widget_wait_for_draw (win);

  g_test_add_func ("/Philia/GraphArea/signals", test_signals);
  g_test_add_func ("/Philia/GraphArea/resize", test_resize);
  g_test_add_func ("/Philia/GraphArea/zoom-to-selection", test_zoom_to_selection);
  g_test_add_func ("/Philia/GraphArea/reveal", test_reveal);
  g_test_add_func ("/Philia/GraphArea/ego", test_ego);
  g_test_add_func ("/Philia/GraphArea/keys", test_keys);
  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (win));
  g_clear_object (&doc);
  return ret;
}
