/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-graph-area.h"

#include "philia-canvas-private.h"

/*
 * The drawing area of the canvas page: a child widget of PhiliaCanvas below
 * its toolbar, so the page's header and the graph each draw and size
 * themselves. The area holds the input controllers (drag, click, pinch,
 * scroll, pointer motion) and the tooltip, so every pointer position is in
 * its own coordinates, and says what the user did with signals
 * (#PhiliaGraphArea::nodes-moved, ::selection-requested, ::view-changed)
 * that the page turns into the document's commands. It keeps the cached
 * frame of large graphs, drawn by a worker (philia-canvas-frame.c) while the
 * last one moves with the view; the view transform and the rest of the drawing
 * state still live in the page (HACKING.md §2), which the area asks to draw
 * into the rectangle it was given and to hit-test its pointer positions.
 */

struct _PhiliaGraphArea
{
  GtkWidget     parent_instance;

  PhiliaCanvas *canvas;   /* borrowed: the page this area belongs to */
  GtkGesture   *drag;     /* borrowed: owned by the widget */

  GdkTexture   *frame;    /* last full frame, for large graphs */
  double        frame_scale;
  double        frame_offset_x;
  double        frame_offset_y;
  int           frame_width;
  int           frame_height;
  gconstpointer frame_graph;   /* compared only: another graph's frame is not shown */
  guint         serial;        /* bumped whenever what the frame shows changes */
  guint         frame_serial;  /* what the frame (or the one being drawn) was asked at */
  gboolean      rendering;
  guint         refits;        /* bumped by _philia_graph_area_refit_frame() */
  guint         frame_refits;  /* … when the frame being drawn was asked for */
  double        refit_scale;   /* the view of the last refit */
  double        refit_offset_x;
  double        refit_offset_y;
};

G_DEFINE_FINAL_TYPE (PhiliaGraphArea, philia_graph_area, GTK_TYPE_WIDGET)

enum {
  NODES_MOVED,
  SELECTION_REQUESTED,
  VIEW_CHANGED,
  N_AREA_SIGNALS
};

static guint area_signals[N_AREA_SIGNALS];

/* A drag of nodes ended: @n nodes of the shown graph now at @xy. */
void
_philia_graph_area_nodes_moved (PhiliaGraphArea *self,
                                const guint     *nodes,
                                const double    *xy,
                                guint            n)
{
  g_signal_emit (self, area_signals[NODES_MOVED], 0, nodes, xy, n);
}

/* A click or a rubber band asks for @nodes (original ids) to be the selection. */
void
_philia_graph_area_request_selection (PhiliaGraphArea *self,
                                      GArray          *nodes)
{
  g_signal_emit (self, area_signals[SELECTION_REQUESTED], 0, nodes);
}

/* The user moved the view (pan, zoom, pinch). */
void
_philia_graph_area_view_changed (PhiliaGraphArea *self)
{
  g_signal_emit (self, area_signals[VIEW_CHANGED], 0);
}

/**
 * philia_graph_area_get_drag_gesture:
 *
 * The drag gesture that pans the view, moves nodes and draws the rubber
 * band; its positions are in the area's coordinates. For tests that drive
 * it with synthesised events.
 *
 * Returns: (transfer none): the gesture
 */
GtkGesture *
philia_graph_area_get_drag_gesture (PhiliaGraphArea *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH_AREA (self), NULL);

  return self->drag;
}

/* What the frame shows changed: a new one is drawn, and until it is ready
 * the old one stands in, moved to the current view. */
void
_philia_graph_area_clear_frame (PhiliaGraphArea *self)
{
  self->serial++;
}

/* Whether a frame of the current view is shown (pans then move it). */
gboolean
_philia_graph_area_has_frame (PhiliaGraphArea *self)
{
  return self->frame != NULL;
}

static void
set_frame_view (PhiliaGraphArea *self,
                double           scale,
                double           offset_x,
                double           offset_y)
{
  self->frame_scale = scale;
  self->frame_offset_x = offset_x;
  self->frame_offset_y = offset_y;
}

/* The view was fitted to new positions (the layout refining): the last
 * frame, and one being drawn, stay where they are on the screen rather than
 * scaled by the change of the fit, until a frame of the new positions lands. */
void
_philia_graph_area_refit_frame (PhiliaGraphArea       *self,
                                const PhiliaGraphView *view)
{
  self->refits++;
  self->refit_scale = view->scale;
  self->refit_offset_x = view->offset_x;
  self->refit_offset_y = view->offset_y;
  if (self->frame != NULL)
    set_frame_view (self, view->scale, view->offset_x, view->offset_y);
}

static void
frame_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PhiliaGraphArea *self = PHILIA_GRAPH_AREA (object);
  PhiliaCanvasFrameJob *job = g_task_get_task_data (G_TASK (result));
  const PhiliaGraphView *view = _philia_canvas_frame_job_get_view (job);
  cairo_surface_t *surface = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GBytes) bytes = NULL;
  int w = cairo_image_surface_get_width (surface), h = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  double sx, sy;

  self->rendering = FALSE;
  cairo_surface_get_device_scale (surface, &sx, &sy);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) stride * h,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  g_clear_object (&self->frame);
  self->frame = gdk_memory_texture_new (w, h, GDK_MEMORY_DEFAULT, bytes, stride);
  if (self->frame_refits != self->refits)
    set_frame_view (self, self->refit_scale, self->refit_offset_x, self->refit_offset_y);
  else
    set_frame_view (self, view->scale, view->offset_x, view->offset_y);
  self->frame_width = (int) lround (w / sx);
  self->frame_height = (int) lround (h / sy);
  self->frame_graph = view->graph;
  /* Anything asked for since the job started is drawn next. */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
frame_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_task_return_pointer (task, _philia_canvas_frame_job_run (task_data),
                         (GDestroyNotify) cairo_surface_destroy);
}

static void
start_frame (PhiliaGraphArea       *self,
             int                    width,
             int                    height,
             PhiliaGraphAreaRender  render,
             gpointer               data)
{
  PhiliaCanvasFrameJob *job = render (data, width, height);
  g_autoptr(GTask) task = NULL;

  if (job == NULL)
    return;
  self->rendering = TRUE;
  self->frame_serial = self->serial;
  self->frame_refits = self->refits;
  task = g_task_new (self, NULL, frame_done_cb, NULL);
  g_task_set_source_tag (task, start_frame);
  g_task_set_task_data (task, job, (GDestroyNotify) _philia_canvas_frame_job_free);
  g_task_run_in_thread (task, frame_thread);
}

/* Large graphs: the last full frame, moved from the transform it was drawn
 * with to @view's; a new one is drawn (by a worker, from the job @render
 * makes) when it is stale or of another size and the view is not moving. */
void
_philia_graph_area_snapshot_frame (PhiliaGraphArea       *self,
                                   GtkSnapshot           *snapshot,
                                   int                    width,
                                   int                    height,
                                   const PhiliaGraphView *view,
                                   gboolean               moving,
                                   const GdkRGBA         *background,
                                   PhiliaGraphAreaRender  render,
                                   gpointer               data)
{
  gboolean stale = self->frame == NULL || self->frame_serial != self->serial
                   || self->frame_width != width || self->frame_height != height
                   || self->frame_graph != (gconstpointer) view->graph;

  if (stale && !moving && !self->rendering)
    start_frame (self, width, height, render, data);

  gtk_snapshot_append_color (snapshot, background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->frame != NULL && self->frame_graph == (gconstpointer) view->graph)
    {
      /* A frame drawn before the view was fitted (scale 0) stays put. */
      gboolean fitted = self->frame_scale > 0 && view->scale > 0;
      double r = fitted ? view->scale / self->frame_scale : 1;
      double dx = fitted ? view->offset_x - self->frame_offset_x * r : 0;
      double dy = fitted ? view->offset_y - self->frame_offset_y * r : 0;

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (dx, dy));
      gtk_snapshot_scale (snapshot, r, r);
      gtk_snapshot_append_texture (snapshot, self->frame,
                                   &GRAPHENE_RECT_INIT (0, 0, self->frame_width,
                                                        self->frame_height));
      gtk_snapshot_restore (snapshot);
    }
}

static void
philia_graph_area_dispose (GObject *object)
{
  PhiliaGraphArea *self = PHILIA_GRAPH_AREA (object);

  g_clear_object (&self->frame);
  self->canvas = NULL;

  G_OBJECT_CLASS (philia_graph_area_parent_class)->dispose (object);
}

void
_philia_graph_area_set_canvas (PhiliaGraphArea *self,
                               PhiliaCanvas    *canvas)
{
  g_return_if_fail (PHILIA_IS_GRAPH_AREA (self));

  self->canvas = canvas;
}

/* Input goes to the page's handlers while the area belongs to one. */

static void
on_drag_begin (GtkGestureDrag  *gesture,
               double           x,
               double           y,
               PhiliaGraphArea *self)
{
  if (self->canvas != NULL)
    _philia_canvas_on_drag_begin (gesture, x, y, self->canvas);
  else
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
}

static void
on_drag_update (GtkGestureDrag  *gesture,
                double           dx,
                double           dy,
                PhiliaGraphArea *self)
{
  if (self->canvas != NULL)
    _philia_canvas_on_drag_update (gesture, dx, dy, self->canvas);
}

static void
on_drag_end (GtkGestureDrag  *gesture,
             double           dx,
             double           dy,
             PhiliaGraphArea *self)
{
  if (self->canvas != NULL)
    _philia_canvas_on_drag_end (gesture, dx, dy, self->canvas);
}

static void
on_click_released (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   PhiliaGraphArea *self)
{
  if (self->canvas != NULL)
    _philia_canvas_on_click_released (gesture, n_press, x, y, self->canvas);
}

static void
on_pinch_begin (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                PhiliaGraphArea  *self)
{
  if (self->canvas != NULL)
    _philia_canvas_on_pinch_begin (gesture, sequence, self->canvas);
}

static void
on_pinch_scale_changed (GtkGestureZoom  *gesture,
                        double           scale,
                        PhiliaGraphArea *self)
{
  if (self->canvas != NULL)
    _philia_canvas_on_pinch_scale_changed (gesture, scale, self->canvas);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           PhiliaGraphArea          *self)
{
  return self->canvas != NULL && _philia_canvas_on_scroll (controller, dx, dy, self->canvas);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           PhiliaGraphArea          *self)
{
  if (self->canvas != NULL)
    _philia_canvas_on_motion (controller, x, y, self->canvas);
}

static gboolean
on_query_tooltip (GtkWidget       *widget,
                  int              x,
                  int              y,
                  gboolean         keyboard_mode,
                  GtkTooltip      *tooltip,
                  PhiliaGraphArea *self)
{
  return self->canvas != NULL
         && _philia_canvas_on_query_tooltip (widget, x, y, keyboard_mode, tooltip, self->canvas);
}

static void
philia_graph_area_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  PhiliaGraphArea *self = PHILIA_GRAPH_AREA (widget);

  if (self->canvas != NULL)
    _philia_canvas_draw_area (self->canvas, snapshot, gtk_widget_get_width (widget),
                              gtk_widget_get_height (widget));
}

static void
philia_graph_area_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  /* The page decides how much room the graph gets (what its toolbar leaves). */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 640;
    }
  else
    {
      *minimum = 160;
      *natural = 480;
    }
}

static void
philia_graph_area_class_init (PhiliaGraphAreaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_graph_area_dispose;
  widget_class->snapshot = philia_graph_area_snapshot;
  widget_class->measure = philia_graph_area_measure;
  gtk_widget_class_set_css_name (widget_class, "philia-graph-area");

  /**
   * PhiliaGraphArea::nodes-moved:
   * @nodes: (array length=n_nodes): the dragged nodes
   * @xy: (array): their new positions, 2 @n_nodes layout coordinates
   * @n_nodes: how many
   *
   * A drag of nodes ended (one step of the document's, made by the page).
   */
  area_signals[NODES_MOVED] =
    g_signal_new ("nodes-moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_POINTER, G_TYPE_POINTER, G_TYPE_UINT);
  /**
   * PhiliaGraphArea::selection-requested:
   * @nodes: (element-type guint): node ids of the graph, the new selection
   *
   * A click or a rubber band chose nodes (none: cleared).
   */
  area_signals[SELECTION_REQUESTED] =
    g_signal_new ("selection-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ARRAY);
  /**
   * PhiliaGraphArea::view-changed:
   *
   * The user panned or zoomed.
   */
  area_signals[VIEW_CHANGED] =
    g_signal_new ("view-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
philia_graph_area_init (PhiliaGraphArea *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *gesture;

  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);

  self->drag = gtk_gesture_drag_new ();
  g_signal_connect (self->drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (self->drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (self->drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (self->drag));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect (gesture, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (on_pinch_begin), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (on_pinch_scale_changed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (widget, controller);

  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip), self);
}
