/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "philia-canvas-private.h"
#include "philia-graph-area-private.h"
#include "philia-test-util.h"
#include "philia-window.h"

/* A generated graph of 2 × 10^4 nodes opened with the progressive layout:
 * a picture comes before the refinement ends, the progress bar moves, and
 * stopping keeps the picture as the document's layout. */
static PhiliaApplication *app;
static PhiliaWindow *window;
static char *dir;

#define N_NODES 20000

typedef struct
{
  guint    n_nodes;
  gboolean shown_while_busy;
  gboolean refining_label;
  guint    steps[8];          /* the steps the label named, increasing */
  guint    n_steps;
  double   fractions[8];
  guint    n_fractions;
  gboolean stop_at_first;
  gboolean stopped;
  double   fraction_at_stop;
  gboolean pan_at_first;      /* pan the view once at the first picture */
  gboolean panned;
  double   panned_x, panned_y;
  int      panned_width, panned_height;
  gint64   last_tick, longest_gap;
  guint    blank_checks;      /* frames looked at before the first picture */
  guint    inked_before_first;/* of those, pixels unlike the background */
  guint    label_checks;      /* step labels compared with the bar */
  guint    label_off;         /* most steps between the label and the bar */
  GtkProgressBar *bar;        /* whose notifications fill @fractions */
  gulong   bar_handler;
} Watch;

/* How many pixels of the graph area differ from its corner, drawn now. */
static guint
inked_pixels (PhiliaCanvas *c)
{
  GtkWidget *area = GTK_WIDGET (c->area);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint32 *pixels = NULL;
  GskRenderNode *node;
  graphene_rect_t bounds;
  int width, height;
  guint inked = 0;

  /* What the area's snapshot draws, at its size (the area may be waiting
   * for an allocation between two layouts of the window). */
  _philia_canvas_draw_area (c, snapshot, MAX (gtk_widget_get_width (area), 1),
                            MAX (gtk_widget_get_height (area), 1));
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return 0;
  gsk_render_node_get_bounds (node, &bounds);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (area)),
                                         node, &bounds);
  gsk_render_node_unref (node);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  pixels = g_new (guint32, (gsize) width * height);
  gdk_texture_download (texture, (guchar *) pixels, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    inked += pixels[i] != pixels[0];
  return inked;
}

static PhiliaWindow *
front_window (void)
{
  return PHILIA_WINDOW (gtk_application_get_windows (GTK_APPLICATION (app))->data);
}

static PhiliaCanvas *
canvas (void)
{
  return PHILIA_CANVAS (philia_window_get_canvas (front_window ()));
}

/* Each fraction the canvas's bar is given while it shows the watched graph,
 * the increasing ones kept: the notifications themselves, not a 5 ms poll,
 * which a loaded machine ran too seldom to see the bar move (it saw one
 * fraction in a whole refinement). */
static void
bar_fraction_cb (GtkProgressBar *bar,
                 GParamSpec     *pspec,
                 gpointer        data)
{
  Watch *watch = data;
  PhiliaCanvas *c = canvas ();
  PhiliaGraph *graph = philia_canvas_get_graph (c);
  double fraction = gtk_progress_bar_get_fraction (bar);

  /* Busy or not: the last steps' notifications may come after the layout
   * landed, when the main loop runs late. */
  if (bar != c->progress_bar || graph == NULL
      || philia_graph_get_n_nodes (graph) != watch->n_nodes)
    return;
  if (watch->n_fractions == 0
      || (fraction > watch->fractions[watch->n_fractions - 1]
          && watch->n_fractions < G_N_ELEMENTS (watch->fractions)))
    watch->fractions[watch->n_fractions++] = fraction;
}

/* Looks at the canvas every few milliseconds while the layout runs. */
static gboolean
watch_cb (gpointer data)
{
  Watch *watch = data;
  PhiliaCanvas *c = canvas ();
  PhiliaGraph *graph = philia_canvas_get_graph (c);
  double fraction;

  if (graph == NULL || philia_graph_get_n_nodes (graph) != watch->n_nodes
      || !philia_canvas_get_busy (c))
    return G_SOURCE_CONTINUE;
  fraction = gtk_progress_bar_get_fraction (c->progress_bar);
  /* Until the first picture the canvas is empty: no legend of nothing. */
  if (!philia_canvas_has_positions (c) && !watch->shown_while_busy
      && gtk_widget_get_mapped (GTK_WIDGET (c->area)))
    {
      PhiliaCanvasFrameJob *job = _philia_canvas_frame_job_new (c, 200, 100);

      watch->blank_checks++;
      watch->inked_before_first += inked_pixels (c);
      /* Nor does a worker draw a frame of it (large graphs). */
      if (job != NULL)
        {
          watch->inked_before_first++;
          _philia_canvas_frame_job_free (job);
        }
    }
  if (philia_canvas_has_positions (c))
    {
      watch->shown_while_busy = TRUE;
      const char *label = gtk_label_get_text (c->progress_label);
      guint step, off;

      if (sscanf (label, "Refining the layout: step %u of", &step) == 1)
        {
          /* The label names the step the bar shows, not an older picture's. */
          off = (guint) fabs (step - fraction * PHILIA_LAYOUT_REFINE_ITERATIONS);
          watch->label_off = MAX (watch->label_off, off);
          watch->label_checks++;
          watch->refining_label = TRUE;
          if ((watch->n_steps == 0 || step > watch->steps[watch->n_steps - 1])
              && watch->n_steps < G_N_ELEMENTS (watch->steps))
            watch->steps[watch->n_steps++] = step;
        }
      if (watch->pan_at_first && !watch->panned && watch->refining_label)
        {
          watch->panned = TRUE;
          philia_canvas_pan_by (c, 40, 25);
          watch->panned_x = c->area->view.offset_x;
          watch->panned_y = c->area->view.offset_y;
          watch->panned_width = c->last_width;
          watch->panned_height = c->last_height;
          g_assert_cmpfloat (c->area->view.scale, >, 0);
        }
      if (watch->panned)
        {
          gint64 now = g_get_monotonic_time ();

          if (watch->last_tick != 0)
            watch->longest_gap = MAX (watch->longest_gap, now - watch->last_tick);
          watch->last_tick = now;
        }
      if (watch->stop_at_first && !watch->stopped)
        {
          watch->stopped = TRUE;
          watch->fraction_at_stop = fraction;
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (c), "canvas.cancel-layout",
                                                     NULL));
        }
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
layout_done (gpointer data)
{
  PhiliaWindow *w = front_window ();
  PhiliaGraph *graph = philia_window_get_graph (w);

  return !philia_window_get_loading (w) && graph != NULL
         && philia_graph_get_n_nodes (graph) == GPOINTER_TO_UINT (data)
         && !philia_canvas_get_busy (canvas ()) && philia_canvas_has_positions (canvas ());
}

static gboolean
area_has_frame (gpointer data)
{
  PhiliaCanvas *c = data;

  return _philia_graph_area_has_frame (PHILIA_GRAPH_AREA (c->area));
}

static GFile *
generate (guint64 seed)
{
  PhiliaCsbmParams params;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("csbm-%" G_GUINT64_FORMAT ".npz", seed);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  philia_csbm_params_init_default (&params);
  params.n_nodes = N_NODES;
  params.degree = 10;
  params.homophily = 0.8;
  params.n_features = 4;
  params.n_splits = 1;
  params.seed = seed;
  graph = philia_csbm_generate (&params, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (philia_graph_write_npz (graph, path, &error));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static void
assert_layout_finite (guint expected_n)
{
  PhiliaDocument *document = philia_window_get_document (front_window ());
  const PhiliaDocumentLayout *layout = philia_document_get_current_layout (document);

  g_assert_nonnull (layout);
  g_assert_cmpstr (layout->algorithm, ==, PHILIA_LAYOUT_PROGRESSIVE);
  for (guint i = 0; i < 2 * expected_n; i++)
    g_assert_true (isfinite (layout->positions[i]));
}

static void
open_watched (GFile *file,
              Watch *watch)
{
  guint id;

  watch->n_nodes = N_NODES;
  /* The document is replaced in this window (it has no work in it). */
  watch->bar = g_object_ref (canvas ()->progress_bar);
  watch->bar_handler = g_signal_connect (watch->bar, "notify::fraction",
                                         G_CALLBACK (bar_fraction_cb), watch);
  id = g_timeout_add (5, watch_cb, watch);
  philia_window_open (front_window (), file);
  g_assert_true (philia_test_spin_until (layout_done, GUINT_TO_POINTER (N_NODES), 180000));
  g_source_remove (id);
  g_signal_handler_disconnect (watch->bar, watch->bar_handler);
  g_clear_object (&watch->bar);
}

static void
test_live (void)
{
  g_autoptr(GFile) file = generate (1);
  Watch watch = { 0 };

  open_watched (file, &watch);
  g_assert_cmpstr (philia_canvas_get_layout (canvas ()), ==, PHILIA_LAYOUT_PROGRESSIVE);
  g_assert_true (watch.shown_while_busy);
  g_assert_true (watch.refining_label);
  g_test_message ("progress seen: %u fractions (last %g), %u steps (last %u)",
                  watch.n_fractions, watch.fractions[MAX (watch.n_fractions, 1) - 1],
                  watch.n_steps, watch.n_steps ? watch.steps[watch.n_steps - 1] : 0);
  /* The bar moved on, and a picture of a step before the last was drawn. */
  g_assert_cmpuint (watch.n_fractions, >=, 2);
  g_assert_cmpfloat (watch.fractions[0], <, watch.fractions[watch.n_fractions - 1]);
  g_assert_cmpuint (watch.n_steps, >=, 1);
  g_assert_cmpuint (watch.steps[0], <, PHILIA_LAYOUT_REFINE_ITERATIONS);
  assert_layout_finite (N_NODES);
  g_assert_cmpfloat (philia_canvas_get_scale (canvas ()), >, 0);
  g_test_message ("%u looks at the canvas before the first picture, %u label checks",
                  watch.blank_checks, watch.label_checks);
  g_assert_cmpuint (watch.inked_before_first, ==, 0);
  g_assert_cmpuint (watch.label_checks, >=, 2);
  g_assert_cmpuint (watch.label_off, ==, 0);
}

/* Stop at the first picture: the layout is what was drawn, not nothing. */
static void
test_stop_keeps_picture (void)
{
  g_autoptr(GFile) file = generate (2);
  Watch watch = { 0 };

  watch.stop_at_first = TRUE;
  open_watched (file, &watch);
  g_assert_true (watch.stopped);
  g_assert_cmpfloat (watch.fraction_at_stop, <, 1.0);
  g_assert_cmpstr (philia_canvas_get_layout (canvas ()), ==, PHILIA_LAYOUT_PROGRESSIVE);
  g_assert_true (philia_canvas_has_positions (canvas ()));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (canvas ()->progress_revealer))
                  && gtk_revealer_get_reveal_child (canvas ()->progress_revealer));
  assert_layout_finite (N_NODES);
}

/* Panning while the layout refines: the view stays where the user put it
 * (new steps no longer refit it), the main loop keeps running (frames are
 * drawn by a worker), and a frame of the graph is drawn. */
static void
test_pan_while_refining (void)
{
  g_autoptr(GFile) file = generate (3);
  Watch watch = { 0 };
  PhiliaCanvas *c;

  watch.pan_at_first = TRUE;
  open_watched (file, &watch);
  c = canvas ();
  g_assert_true (watch.panned);
  g_test_message ("longest main-loop gap while refining after the pan: %.0f ms",
                  watch.longest_gap / 1e3);
  /* The refinement's later steps kept the user's view (the pan moved it by
   * hundreds of pixels). When the progress bar or a label changes the
   * area's size, the view keeps its centre: the offset moves by exactly
   * half the change, whatever size the header settled at. */
  g_assert_cmpfloat (fabs (c->area->view.offset_x - watch.panned_x
                           - (c->last_width - watch.panned_width) / 2.0), <=, 1e-9);
  g_assert_cmpfloat (fabs (c->area->view.offset_y - watch.panned_y
                           - (c->last_height - watch.panned_height) / 2.0), <=, 1e-9);
  /* A frame of the refined graph lands (drawn off the main loop). */
  g_assert_true (philia_test_spin_until (area_has_frame, c, 60000));
  assert_layout_finite (N_NODES);
}

/* The refined layout landing at another scale than the last frame's steps
 * (a refinement contracts the drawing more than tenfold): the view is
 * fitted to it, and the last frame, of earlier positions, stays where it
 * was on the screen until a frame of the new ones is drawn, rather than
 * being scaled by the change of the fit (seen as a blur of a few pixels
 * blown up to the whole canvas). */
static void
test_new_positions_keep_frame (void)
{
  g_autoptr(GFile) file = generate (4);
  Watch watch = { 0 };
  PhiliaCanvas *c;
  PhiliaDocument *document;
  const PhiliaDocumentLayout *layout;
  double *scaled, old_scale, ratio;

  open_watched (file, &watch);
  c = canvas ();
  g_assert_true (philia_test_spin_until (area_has_frame, c, 60000));
  document = philia_window_get_document (front_window ());
  layout = philia_document_get_current_layout (document);
  g_assert_nonnull (layout);
  scaled = g_new (double, 2 * N_NODES);
  for (guint i = 0; i < 2 * N_NODES; i++)
    scaled[i] = layout->positions[i] * 12;
  old_scale = c->area->view.scale;
  /* The document says at once that its layout changed; no frame of the new
   * positions can be drawn before the main loop runs again. */
  philia_document_add_layout (document, "scaled", PHILIA_LAYOUT_PROGRESSIVE, 0, scaled);
  g_assert_cmpfloat (fabs (c->area->view.scale * 12 / old_scale - 1), <, 0.01);
  g_assert_true (_philia_graph_area_has_frame (PHILIA_GRAPH_AREA (c->area)));
  ratio = c->area->view.scale / c->area->frame_scale;
  g_assert_cmpfloat (fabs (ratio - 1), <, 1e-9);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSettings) settings = NULL;
  int ret;

  if (!philia_test_init (&argc, &argv, "Refine"))
    return g_test_run ();

  /* 60 steps of at least 25 ms: a refinement that lasts as long as that of
   * a graph of 10^5 nodes, which the test can watch whatever the machine. */
  g_setenv ("PHILIA_REFINE_STEP_MS", "25", TRUE);
  dir = g_dir_make_tmp ("philia-refine-XXXXXX", NULL);
  g_assert_nonnull (dir);
  /* What a user gets by default from 50,000 nodes, here on a quicker graph. */
  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_string (settings, "default-layout", PHILIA_LAYOUT_PROGRESSIVE);
  window = philia_test_window_new (&app);

  g_test_add_func ("/Philia/Refine/live", test_live);
  g_test_add_func ("/Philia/Refine/stop-keeps-picture", test_stop_keeps_picture);
  g_test_add_func ("/Philia/Refine/pan-while-refining", test_pan_while_refining);
  g_test_add_func ("/Philia/Refine/new-positions-keep-frame", test_new_positions_keep_frame);

  ret = g_test_run ();

  philia_test_window_destroy (window, &app);
  for (guint64 seed = 1; seed <= 3; seed++)
    {
      g_autofree char *name = g_strdup_printf ("csbm-%" G_GUINT64_FORMAT ".npz", seed);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
  g_free (dir);
  return ret;
}
