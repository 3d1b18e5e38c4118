/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "philia-canvas.h"
#include "philia-proximity-panel.h"
#include "philia-app-private.h"
#include "philia-test-util.h"
#include "philia-train-panel.h"
#include "philia-window.h"

/*
 * A whole session in the real window, end to end: open Cora, lay it out,
 * drag a node, train two models, explain a pair, filter into a second
 * window, save, close, reopen — and find the same state: the same canvas
 * drawing pixel for pixel, the same runs in the Train panel, the same
 * layout, view and explained pair in the document.
 */
static PhiliaApplication *app;
static PhiliaWindow *window;

static gboolean
not_loading (gpointer data)
{
  return !philia_window_get_loading (data);
}

static gboolean
not_saving (gpointer data)
{
  return !philia_window_get_saving (data);
}

static PhiliaCanvas *
canvas (void)
{
  return PHILIA_CANVAS (philia_window_get_canvas (window));
}

static PhiliaTrainPanel *
train (void)
{
  return PHILIA_TRAIN_PANEL (philia_window_get_train_panel (window));
}

static PhiliaProximityPanel *
proximity (void)
{
  return PHILIA_PROXIMITY_PANEL (philia_window_get_proximity_panel (window));
}

static gboolean
laid_out (gpointer data)
{
  PhiliaDocument *document = philia_window_get_document (window);

  GtkWidget *area = GTK_WIDGET (philia_canvas_get_graph_area (canvas ()));

  /* And drawn at a size: on a loaded machine the layout can be done before
   * the window's first allocation, and a node cannot be dragged yet. */
  return document != NULL && philia_document_get_current_layout (document) != NULL
         && !philia_canvas_get_busy (canvas ()) && philia_canvas_has_positions (canvas ())
         && gtk_widget_get_width (area) > 1 && gtk_widget_get_height (area) > 1;
}

static gboolean
not_training (gpointer data)
{
  return !philia_train_panel_get_training (train ());
}

static gboolean
not_busy (gpointer data)
{
  return !philia_proximity_panel_get_busy (proximity ());
}

static GtkGesture *
drag_gesture (void)
{
  return philia_graph_area_get_drag_gesture (philia_canvas_get_graph_area (canvas ()));
}

/* philia_canvas_get_node_point () in the graph area's coordinates, where the
 * drag gesture is. */
static gboolean
get_area_point (guint   v,
                double *x,
                double *y)
{
  double cx, cy;

  if (!philia_canvas_get_node_point (canvas (), v, &cx, &cy))
    return FALSE;
  return gtk_widget_translate_coordinates (GTK_WIDGET (canvas ()),
                                           GTK_WIDGET (philia_canvas_get_graph_area (canvas ())),
                                           cx, cy, x, y);
}

/* The canvas as drawn now, from a fresh node (HACKING.md §13). */
static GdkTexture *
render_canvas (void)
{
  GtkWidget *widget = GTK_WIDGET (canvas ());
  GtkWidget *parent = gtk_widget_get_parent (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  graphene_rect_t bounds;
  GskRenderNode *node;
  GdkTexture *texture;

  gtk_test_widget_wait_for_draw (widget);
  g_assert_true (gtk_widget_compute_bounds (widget, parent, &bounds));
  gtk_widget_snapshot_child (parent, widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &bounds);
  gsk_render_node_unref (node);
  return texture;
}

static PhiliaWindow *
open_in_new_window (const char *path)
{
  PhiliaWindow *w = philia_window_new (GTK_APPLICATION (app));
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_window_set_default_size (GTK_WINDOW (w), 1280, 800);
  gtk_window_present (GTK_WINDOW (w));
  philia_window_open (w, file);
  g_assert_true (philia_test_spin_until (not_loading, w, 60000));
  g_assert_null (philia_window_get_banner_message (w));
  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, w, 10000));
  return w;
}

typedef struct
{
  GdkTexture *canvas;
  char       *runs[2];
  char       *layout;
  double      node7[2];
  char       *color_by;
  guint       n_pairs;
  guint       pair[2];
} State;

static void
state_clear (State *state)
{
  g_clear_object (&state->canvas);
  g_clear_pointer (&state->runs[0], g_free);
  g_clear_pointer (&state->runs[1], g_free);
  g_clear_pointer (&state->layout, g_free);
  g_clear_pointer (&state->color_by, g_free);
}

static void
take_state (State *state)
{
  PhiliaDocument *document = philia_window_get_document (window);
  const PhiliaDocumentLayout *layout = philia_document_get_current_layout (document);
  const PhiliaDocumentPair *pair;

  g_assert_true (philia_test_spin_until (laid_out, NULL, 60000));
  /* The loading bar slides away first; the canvas then has its full height. */
  {
    int height = -1;

    for (guint i = 0; i < 50 && gtk_widget_get_height (GTK_WIDGET (canvas ())) != height; i++)
      {
        height = gtk_widget_get_height (GTK_WIDGET (canvas ()));
        philia_test_spin_for (300);
      }
  }
  state->canvas = render_canvas ();
  g_assert_cmpuint (philia_train_panel_get_n_runs (train ()), ==, 2);
  state->runs[0] = philia_train_panel_dup_run_text (train (), 0);
  state->runs[1] = philia_train_panel_dup_run_text (train (), 1);
  state->layout = g_strdup (layout->name);
  state->node7[0] = layout->positions[14];
  state->node7[1] = layout->positions[15];
  state->color_by = g_strdup (philia_document_get_view (document)->color_by);
  state->n_pairs = philia_document_get_n_pairs (document);
  g_assert_cmpuint (state->n_pairs, >, 0);
  pair = philia_document_get_pair (document, state->n_pairs - 1);
  state->pair[0] = pair->u;
  state->pair[1] = pair->v;
  {
    guint n = 0;
    const guint *nodes = philia_document_get_selection (document, &n);
    guint n_canvas = 0;

    philia_canvas_get_selection (canvas (), &n_canvas);
    g_test_message ("selection: %u nodes in the document (first %d), %u on the canvas; "
                    "explanation shown: %s", n, n > 0 ? (int) nodes[0] : -1, n_canvas,
                    philia_proximity_panel_get_explanation (proximity ()) != NULL ? "yes" : "no");
  }
}

static void
test_session (void)
{
  g_autofree char *cora = philia_test_shared_dataset ("cora.npz");
  g_autofree char *dir = g_dir_make_tmp ("philia-session-XXXXXX", NULL);
  g_autofree char *project = g_build_filename (dir, "session.philia", NULL);
  State before = { 0 }, after = { 0 };
  PhiliaWindow *filtered;
  PhiliaFilter filter = { .kind = PHILIA_FILTER_COMPONENT };
  double x, y;
  gsize differences;

  if (cora == NULL)
    {
      g_test_skip ("cora.npz is not in the shared datasets");
      return;
    }

  /* Open, lay out. */
  window = open_in_new_window (cora);
  philia_canvas_set_layout (canvas (), "fr");
  g_assert_true (philia_test_spin_until (laid_out, NULL, 60000));

  /* Move node 7 with the pointer. */
  {
    GtkGesture *drag = drag_gesture ();

    g_assert_true (get_area_point (7, &x, &y));
    g_signal_emit_by_name (drag, "drag-begin", x, y);
    g_signal_emit_by_name (drag, "drag-update", 30.0, 25.0);
    g_signal_emit_by_name (drag, "drag-end", 30.0, 25.0);
  }
  g_assert_cmpstr (philia_document_get_undo_label (philia_window_get_document (window)), ==,
                   "Move Node 7");
  g_assert_true (philia_window_get_dirty (window));

  /* Train two models. */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (philia_train_panel_set_model (train (), i == 0 ? "mlp" : "gcn"));
      gtk_spin_button_set_value (philia_train_panel_get_param_spin (train (), "epochs"), 20);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (train ()), "train.start", NULL));
      g_assert_true (philia_test_spin_until (not_training, NULL, 120000));
    }
  g_assert_cmpuint (philia_document_get_n_runs (philia_window_get_document (window)), ==, 2);

  /* Explain a pair. */
  philia_proximity_panel_explain (proximity (), 3, 9);
  g_assert_true (philia_test_spin_until (not_busy, NULL, 60000));
  g_assert_nonnull (philia_proximity_panel_get_explanation (proximity ()));

  /* Filter: the largest component, in a window of its own. */
  filtered = philia_window_filter (window, &filter);
  g_assert_nonnull (filtered);
  g_assert_true (filtered != window);
  g_assert_cmpuint (philia_graph_get_n_nodes (philia_window_get_graph (filtered)), ==, 2485);
  gtk_window_destroy (GTK_WINDOW (filtered));

  /* Save, then remember what the window shows. */
  philia_window_set_chooser_answer (window, project);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_true (philia_test_spin_until (not_saving, window, 60000));
  g_assert_null (philia_window_get_banner_message (window));
  g_assert_false (philia_window_get_dirty (window));
  take_state (&before);
  philia_test_save_png (before.canvas, "session-before.png");

  /* Close (clean: no question), reopen. */
  gtk_window_close (GTK_WINDOW (window));
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  window = open_in_new_window (project);
  g_assert_false (philia_window_get_dirty (window));
  /* Nothing asks the Proximity panel: the canvas highlights the document's
   * last explained pair by itself. */
  take_state (&after);
  /* A loaded machine may still be settling the new window (its first
   * allocations, the deferred redraw of a large graph): the drawing must
   * converge to the saved one, so look again for a while before judging. */
  for (guint i = 0; i < 40; i++)
    {
      if (gdk_texture_get_width (after.canvas) == gdk_texture_get_width (before.canvas)
          && gdk_texture_get_height (after.canvas) == gdk_texture_get_height (before.canvas)
          && philia_test_count_differences (before.canvas, after.canvas) == 0)
        break;
      philia_test_spin_for (250);
      g_clear_object (&after.canvas);
      after.canvas = render_canvas ();
    }
  philia_test_save_png (after.canvas, "session-after.png");

  g_assert_cmpstr (after.layout, ==, before.layout);
  g_assert_cmpfloat (after.node7[0], ==, before.node7[0]);
  g_assert_cmpfloat (after.node7[1], ==, before.node7[1]);
  g_assert_cmpstr (after.color_by, ==, before.color_by);
  g_assert_cmpstr (after.runs[0], ==, before.runs[0]);
  g_assert_cmpstr (after.runs[1], ==, before.runs[1]);
  g_assert_cmpuint (after.n_pairs, ==, before.n_pairs);
  g_assert_cmpuint (after.pair[0], ==, before.pair[0]);
  g_assert_cmpuint (after.pair[1], ==, before.pair[1]);
  differences = philia_test_count_differences (before.canvas, after.canvas);
  g_test_message ("canvas pixels that differ after reopening: %" G_GSIZE_FORMAT, differences);
  g_assert_cmpuint (differences, ==, 0);

  state_clear (&before);
  state_clear (&after);
  gtk_window_destroy (GTK_WINDOW (window));
  g_remove (project);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (!philia_test_init (&argc, &argv, "Session"))
    return g_test_run ();

  app = philia_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_test_add_func ("/Philia/Session/save-close-reopen", test_session);
  return g_test_run ();
}
