/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include <math.h>

#include "philia-graph-area.h"

#include "philia-canvas-private.h"

/*
 * The drawing area of the canvas page: a child widget of PhiliaCanvas below
 * its toolbar, so the page's header and the graph each draw and size
 * themselves. The area owns the view transform (zoom, pan, the fitted
 * scale), the input controllers (drag, click, pinch, scroll, pointer motion),
 * the hover tooltip and the keys that move the view (it is the page's focus
 * stop, named and described for screen readers), so every pointer
 * position is in its own coordinates. It says what the user did with
 * signals (#PhiliaGraphArea::nodes-moved, ::selection-requested,
 * ::view-changed) that the page turns into the document's commands, and
 * keeps the cached frame of large graphs, drawn by a worker
 * (philia-canvas-frame.c) while the last one moves with the view. What is drawn (graph, positions,
 * overlays, selection) is the page's (HACKING.md §2), which puts it into
 * the view before the area draws or hit-tests.
 */

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
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->canvas = NULL;

  G_OBJECT_CLASS (philia_graph_area_parent_class)->dispose (object);
}

static void
philia_graph_area_finalize (GObject *object)
{
  PhiliaGraphArea *self = PHILIA_GRAPH_AREA (object);

  g_clear_pointer (&self->drag_nodes, g_array_unref);
  g_clear_pointer (&self->drag_positions, g_free);
  g_clear_pointer (&self->scratch, philia_frame_scratch_free);
  g_clear_pointer (&self->job_positions, g_free);

  G_OBJECT_CLASS (philia_graph_area_parent_class)->finalize (object);
}

void
_philia_graph_area_set_canvas (PhiliaGraphArea *self,
                               PhiliaCanvas    *canvas)
{
  g_return_if_fail (PHILIA_IS_GRAPH_AREA (self));

  self->canvas = canvas;
}

/* View transform and input */

static void
settle (PhiliaGraphArea *self)
{
  self->moving = FALSE;
  if (self->canvas != NULL)
    _philia_canvas_invalidate_frame (self->canvas);
}

static gboolean
settle_cb (gpointer user_data)
{
  PhiliaGraphArea *self = user_data;

  self->settle_id = 0;
  settle (self);
  return G_SOURCE_REMOVE;
}

/* Motion: large graphs redraw the cached frame until the motion stops. */
static void
view_moved (PhiliaGraphArea *self)
{
  self->user_view = TRUE;
  _philia_graph_area_view_changed (self);
  if (_philia_canvas_is_large (self->canvas) && self->frame != NULL)
    {
      self->moving = TRUE;
      g_clear_handle_id (&self->settle_id, g_source_remove);
      self->settle_id = g_timeout_add (SETTLE_MS, settle_cb, self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else
    _philia_canvas_invalidate_frame (self->canvas);
}

void
_philia_graph_area_moved (PhiliaGraphArea *self)
{
  view_moved (self);
}

void
_philia_graph_area_zoom_at (PhiliaGraphArea *self,
                        double        factor,
                        double        x,
                        double        y)
{
  PhiliaCanvas *c = self->canvas;
  double scale;

  if (c == NULL || c->positions == NULL || self->fit_scale <= 0)
    return;
  scale = CLAMP (self->view.scale * factor, self->fit_scale * MIN_ZOOM,
                 self->fit_scale * MAX_ZOOM);
  factor = scale / self->view.scale;
  self->view.offset_x = x - (x - self->view.offset_x) * factor;
  self->view.offset_y = y - (y - self->view.offset_y) * factor;
  self->view.scale = scale;
  view_moved (self);
}

/* Input */

static gint64
hit (PhiliaGraphArea *self,
     double        x,
     double        y)
{
  PhiliaCanvas *c = self->canvas;
  if (c == NULL || c->positions == NULL || _philia_canvas_shown_graph (c) == NULL)
    return -1;
  _philia_canvas_update_view (c);
  return philia_graph_view_hit (&self->view, x, y, HIT_RADIUS);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
                              double          x,
                              double          y,
                              PhiliaGraphArea *self)
{
  PhiliaCanvas *c = self->canvas;
  GdkModifierType mods =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  if (c == NULL || c->positions == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  /* The area is the page's focus stop: its keys move this view. */
  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_start_x = x;
  self->drag_start_y = y;
  self->drag_offset_x = self->view.offset_x;
  self->drag_offset_y = self->view.offset_y;
  self->drag_dx = self->drag_dy = 0;
  self->drag_claimed = FALSE;
  self->drag_mode = (mods & GDK_SHIFT_MASK) && hit (self, x, y) < 0
                    ? DRAG_RUBBER_BAND : DRAG_PAN;

  /* With a document, a drag that starts on a node moves it (and the rest of
   * the selection with it, when it is selected): one step when it ends. */
  if (self->drag_mode == DRAG_PAN && c->document != NULL && c->ego_graph == NULL
      && philia_document_get_current_layout (c->document) != NULL
      && !(mods & GDK_SHIFT_MASK))
    {
      gint64 v = hit (self, x, y);

      if (v >= 0)
        {
          guint node = (guint) v;

          g_array_set_size (self->drag_nodes, 0);
          if (c->selected != NULL && c->selected[node])
            g_array_append_vals (self->drag_nodes, c->selection->data, c->selection->len);
          else
            g_array_append_val (self->drag_nodes, node);
          self->drag_mode = DRAG_NODES;
        }
    }
}

/* Draws the dragged nodes at their new place (the document keeps the old
 * one until the drag ends). */
static void
drag_nodes_to (PhiliaGraphArea *self,
               double        dx,
               double        dy)
{
  PhiliaCanvas *c = self->canvas;
  const PhiliaDocumentLayout *layout = philia_document_get_current_layout (c->document);
  guint n = philia_graph_get_n_nodes (c->graph);

  if (layout == NULL)
    return;
  if (self->drag_positions == NULL)
    self->drag_positions = g_memdup2 (layout->positions, sizeof (double) * 2 * MAX (n, 1));
  for (guint i = 0; i < self->drag_nodes->len; i++)
    {
      guint v = g_array_index (self->drag_nodes, guint, i);

      self->drag_positions[2 * v] = layout->positions[2 * v] + dx / self->view.scale;
      self->drag_positions[2 * v + 1] = layout->positions[2 * v + 1] + dy / self->view.scale;
    }
  c->positions = self->drag_positions;
  _philia_canvas_update_view (c);
  _philia_canvas_invalidate_frame (self->canvas);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                               double          dx,
                               double          dy,
                               PhiliaGraphArea *self)
{
  self->drag_dx = dx;
  self->drag_dy = dy;
  if (self->drag_mode == DRAG_PAN)
    {
      if (!self->drag_claimed
          && !gtk_drag_check_threshold (GTK_WIDGET (self), 0, 0, (int) dx, (int) dy))
        return;
      self->drag_claimed = TRUE;
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      /* By whole units: the density raster of a large graph moves with the
       * view then, and the next frame reads the last one's grid instead of
       * filling it again (philia-graph-density.c). */
      self->view.offset_x = self->drag_offset_x + round (dx);
      self->view.offset_y = self->drag_offset_y + round (dy);
      view_moved (self);
    }
  else if (self->drag_mode == DRAG_NODES)
    {
      if (!self->drag_claimed
          && !gtk_drag_check_threshold (GTK_WIDGET (self), 0, 0, (int) dx, (int) dy))
        return;
      self->drag_claimed = TRUE;
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      drag_nodes_to (self, dx, dy);
    }
  else if (self->drag_mode == DRAG_RUBBER_BAND)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_drag_end (GtkGestureDrag *gesture,
                            double          dx,
                            double          dy,
                            PhiliaGraphArea *self)
{
  PhiliaCanvas *c = self->canvas;
  if (self->drag_mode == DRAG_RUBBER_BAND
      && gtk_drag_check_threshold (GTK_WIDGET (self), 0, 0, (int) dx, (int) dy))
    {
      PhiliaGraph *graph = _philia_canvas_shown_graph (c);
      g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
      double x0 = MIN (self->drag_start_x, self->drag_start_x + dx);
      double x1 = MAX (self->drag_start_x, self->drag_start_x + dx);
      double y0 = MIN (self->drag_start_y, self->drag_start_y + dy);
      double y1 = MAX (self->drag_start_y, self->drag_start_y + dy);
      guint n = philia_graph_get_n_nodes (graph);

      /* Adds to the selection, as Shift does everywhere. */
      g_array_append_vals (nodes, c->selection->data, c->selection->len);
      for (guint v = 0; v < n; v++)
        {
          double x = c->positions[2 * v] * self->view.scale + self->view.offset_x;
          double y = c->positions[2 * v + 1] * self->view.scale + self->view.offset_y;
          guint node = _philia_canvas_shown_to_original (c, v);

          if (x >= x0 && x <= x1 && y >= y0 && y <= y1
              && (c->selected == NULL || !c->selected[v]))
            g_array_append_val (nodes, node);
        }
      self->drag_mode = DRAG_NONE;
      _philia_graph_area_request_selection (self, nodes);
    }
  else if (self->drag_mode == DRAG_NODES)
    {
      self->drag_mode = DRAG_NONE;
      if (self->drag_claimed && self->drag_positions != NULL)
        {
          g_autofree double *xy = g_new (double, 2 * MAX (self->drag_nodes->len, 1));

          for (guint i = 0; i < self->drag_nodes->len; i++)
            {
              guint v = g_array_index (self->drag_nodes, guint, i);

              xy[2 * i] = self->drag_positions[2 * v];
              xy[2 * i + 1] = self->drag_positions[2 * v + 1];
            }
          /* The page makes it the document's step; the document's
           * "changed" puts its new layout on show. */
          _philia_graph_area_nodes_moved (self,
                                          (const guint *) self->drag_nodes->data, xy,
                                          self->drag_nodes->len);
        }
      if (c->positions == self->drag_positions)
        {
          const PhiliaDocumentLayout *layout = philia_document_get_current_layout (c->document);

          c->positions = layout != NULL ? layout->positions : NULL;
          _philia_canvas_update_view (c);
        }
      g_clear_pointer (&self->drag_positions, g_free);
    }
  else
    self->drag_mode = DRAG_NONE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_click_released (GtkGestureClick *gesture,
                                  int              n_press,
                                  double           x,
                                  double           y,
                                  PhiliaGraphArea *self)
{
  PhiliaCanvas *c = self->canvas;
  GdkModifierType mods =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  gint64 v;

  if (c == NULL || c->positions == NULL)
    return;
  v = hit (self, x, y);

  if (mods & GDK_SHIFT_MASK)
    {
      guint node;
      gboolean removed = FALSE;

      if (v < 0)
        return;
      node = _philia_canvas_shown_to_original (c, (guint) v);
      for (guint i = 0; i < c->selection->len; i++)
        {
          guint s = g_array_index (c->selection, guint, i);

          if (s == node)
            removed = TRUE;
          else
            g_array_append_val (nodes, s);
        }
      if (!removed)
        g_array_append_val (nodes, node);
    }
  else if (v >= 0)
    {
      guint node = _philia_canvas_shown_to_original (c, (guint) v);

      g_array_append_val (nodes, node);
    }
  _philia_graph_area_request_selection (self, nodes);
}

static void
on_motion (GtkEventControllerMotion *controller,
                          double                    x,
                          double                    y,
                          PhiliaGraphArea          *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
                          double                    dx,
                          double                    dy,
                          PhiliaGraphArea          *self)
{
  if (self->pointer_y < 0)
    return FALSE;
  _philia_graph_area_zoom_at (self, pow (PHILIA_CANVAS_ZOOM_STEP, -dy), self->pointer_x,
                          self->pointer_y);
  return TRUE;
}

static void
on_pinch_begin (GtkGesture       *gesture,
                               GdkEventSequence *sequence,
                               PhiliaGraphArea  *self)
{
  self->pinch_scale = 1.0;
}

static void
on_pinch_scale_changed (GtkGestureZoom *gesture,
                                       double          scale,
                                       PhiliaGraphArea *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  _philia_graph_area_zoom_at (self, scale / self->pinch_scale, x, y);
  self->pinch_scale = scale;
}

static gboolean
on_query_tooltip (GtkWidget    *widget,
                                 int           x,
                                 int           y,
                                 gboolean      keyboard_mode,
                                 GtkTooltip   *tooltip,
                                 PhiliaGraphArea *self)
{
  PhiliaCanvas *c = self->canvas;
  PhiliaGraph *graph = c != NULL ? c->graph : NULL;
  g_autoptr(GString) text = NULL;
  const gint32 *labels;
  const char *name;
  gint64 v;
  guint node;
  double h;

  if (keyboard_mode || graph == NULL)
    return FALSE;
  v = hit (self, x, y);
  if (v < 0)
    return FALSE;

  node = _philia_canvas_shown_to_original (c, (guint) v);
  labels = philia_graph_get_labels (graph);
  name = philia_graph_get_node_name (graph, node);
  text = g_string_new (NULL);
  /* Translators: tooltip rows for a node of the graph canvas */
  g_string_append_printf (text, _("<b>Node %u</b>"), node);
  if (name != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (name, -1);

      g_string_append_printf (text, "\n%s", escaped);
    }
  if (labels[node] >= 0)
    {
      const char *class_name = philia_graph_get_class_name (graph, (guint) labels[node]);
      g_autofree char *escaped = class_name ? g_markup_escape_text (class_name, -1) : NULL;

      if (escaped != NULL)
        g_string_append_printf (text, _("\nClass: %s (%d)"), escaped, labels[node]);
      else
        g_string_append_printf (text, _("\nClass: %d"), labels[node]);
    }
  else
    g_string_append (text, _("\nUnlabeled"));
  g_string_append_printf (text, _("\nDegree: %u"), philia_graph_get_degree (graph, node));
  h = _philia_canvas_get_local_homophily (c) != NULL ? c->local_homophily[node] : NAN;
  if (isnan (h))
    g_string_append (text, _("\nLocal homophily: undefined"));
  else
    g_string_append_printf (text, _("\nLocal homophily: %.3f"), h);
  if (c->active_layer != NULL)
    {
      NodeLayer *layer = c->active_layer;
      g_autofree char *title = g_markup_escape_text (layer->title, -1);

      if (layer->values != NULL && !isnan (layer->values[node]))
        g_string_append_printf (text, "\n%s: %.4g", title, layer->values[node]);
      else if (layer->categories != NULL && layer->categories[node] >= 0
               && (guint) layer->categories[node] < layer->n_categories)
        {
          g_autofree char *cat = g_markup_escape_text (layer->names[layer->categories[node]], -1);

          g_string_append_printf (text, "\n%s: %s", title, cat);
        }
    }

  gtk_tooltip_set_markup (tooltip, text->str);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { x - 6, y - 6, 12, 12 });
  return TRUE;
}


/* Keys. The area is the page's focus stop, so the keys that move the view
 * are its own; each returns FALSE when it has nothing to do, so that the
 * key goes on to the page and the window (Escape closes what it closes
 * there when no node is selected). */

static gboolean
has_drawing (PhiliaGraphArea *self)
{
  return self->canvas != NULL && self->canvas->positions != NULL;
}

/* +, -: by one step about the middle of the area, as the toolbar does. */
static gboolean
zoom_key (GtkWidget *widget,
          GVariant  *args,
          gpointer   user_data)
{
  PhiliaGraphArea *self = PHILIA_GRAPH_AREA (widget);

  if (!has_drawing (self))
    return FALSE;
  _philia_graph_area_zoom_at (self, g_variant_get_double (args),
                              gtk_widget_get_width (widget) / 2.0,
                              gtk_widget_get_height (widget) / 2.0);
  return TRUE;
}

/* Arrows move the view the way a drag does: the graph follows the arrow,
 * by a tenth of the area so that a step means the same at any size. */
static gboolean
pan_key (GtkWidget *widget,
         GVariant  *args,
         gpointer   user_data)
{
  PhiliaGraphArea *self = PHILIA_GRAPH_AREA (widget);
  double dx, dy;

  if (!has_drawing (self))
    return FALSE;
  g_variant_get (args, "(dd)", &dx, &dy);
  /* By whole units, as a drag pans. */
  self->view.offset_x += round (dx * gtk_widget_get_width (widget) / 10);
  self->view.offset_y += round (dy * gtk_widget_get_height (widget) / 10);
  view_moved (self);
  return TRUE;
}

/* 0: the whole drawing again, which the document also takes as zoom 1. */
static gboolean
fit_key (GtkWidget *widget,
         GVariant  *args,
         gpointer   user_data)
{
  PhiliaGraphArea *self = PHILIA_GRAPH_AREA (widget);

  if (!has_drawing (self))
    return FALSE;
  _philia_canvas_fit_view (self->canvas);
  return TRUE;
}

/* Escape: no node selected, as a click on empty space. */
static gboolean
clear_key (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  PhiliaGraphArea *self = PHILIA_GRAPH_AREA (widget);
  g_autoptr(GArray) none = NULL;

  if (self->canvas == NULL || self->canvas->selection->len == 0)
    return FALSE;
  none = g_array_new (FALSE, FALSE, sizeof (guint));
  _philia_graph_area_request_selection (self, none);
  return TRUE;
}

/* What a screen reader says about the focus stop: the graph is a picture,
 * so the selected node's facts (the ones its tooltip shows) are the area's
 * accessible description, e.g. "Node 42, class Theory, degree 5, local
 * homophily 0.60"; several nodes are counted. The page calls this when its
 * graph or selection changes. */
void
_philia_graph_area_update_description (PhiliaGraphArea *self)
{
  PhiliaCanvas *c = self->canvas;
  g_autofree char *text = NULL;
  guint n = c != NULL ? c->selection->len : 0;

  if (n == 0 || c->graph == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }
  if (n == 1)
    {
      guint v = g_array_index (c->selection, guint, 0);
      const char *name = philia_graph_get_node_name (c->graph, v);
      const gint32 *labels = philia_graph_get_labels (c->graph);
      g_autofree char *node = name != NULL ? g_strdup (name) : g_strdup_printf ("%u", v);
      g_autofree char *hom = NULL;
      guint degree = philia_graph_get_degree (c->graph, v);
      double h = _philia_canvas_get_local_homophily (c) != NULL ? c->local_homophily[v] : NAN;

      hom = isnan (h) ? g_strdup (_("undefined")) : g_strdup_printf ("%.2f", h);
      if (labels == NULL || labels[v] < 0)
        text = g_strdup_printf (_("Node %s, unlabeled, degree %u, local homophily %s"), node,
                                degree, hom);
      else
        {
          const char *class_name = philia_graph_get_class_name (c->graph, (guint) labels[v]);
          g_autofree char *klass = class_name != NULL ? g_strdup (class_name)
                                                      : g_strdup_printf ("%d", labels[v]);

          /* Translators: the selected node for a screen reader, "Node 42, class Theory,
           * degree 5, local homophily 0.60" */
          text = g_strdup_printf (_("Node %s, class %s, degree %u, local homophily %s"), node,
                                  klass, degree, hom);
        }
    }
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u node selected",
                                         "%u nodes selected", n), n);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}


static void
philia_graph_area_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  PhiliaGraphArea *self = PHILIA_GRAPH_AREA (widget);

  if (self->canvas == NULL)
    return;
  _philia_canvas_draw_area (self->canvas, snapshot, gtk_widget_get_width (widget),
                            gtk_widget_get_height (widget));
  if (self->drag_mode == DRAG_RUBBER_BAND)
    {
      const PhiliaRgba *accent = &self->canvas->style.accent;
      GdkRGBA fill = { accent->r, accent->g, accent->b, 0.15 };
      GdkRGBA edge = { accent->r, accent->g, accent->b, 0.9 };
      graphene_rect_t rect = GRAPHENE_RECT_INIT (MIN (self->drag_start_x,
                                                      self->drag_start_x + self->drag_dx),
                                                 MIN (self->drag_start_y,
                                                      self->drag_start_y + self->drag_dy),
                                                 fabs (self->drag_dx), fabs (self->drag_dy));
      GskRoundedRect outline;

      gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
      gtk_snapshot_append_color (snapshot, &fill, &rect);
      gtk_snapshot_append_border (snapshot, &outline, (float[]) { 1, 1, 1, 1 },
                                  (GdkRGBA[]) { edge, edge, edge, edge });
    }
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
  object_class->finalize = philia_graph_area_finalize;
  widget_class->snapshot = philia_graph_area_snapshot;
  widget_class->measure = philia_graph_area_measure;
  gtk_widget_class_set_css_name (widget_class, "philia-graph-area");
  /* A panel a screen reader names ("Graph canvas") and describes (the
   * selected node): the page's focus stop. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_plus, 0, zoom_key, "d",
                                PHILIA_CANVAS_ZOOM_STEP);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_plus, GDK_SHIFT_MASK, zoom_key, "d",
                                PHILIA_CANVAS_ZOOM_STEP);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_equal, 0, zoom_key, "d",
                                PHILIA_CANVAS_ZOOM_STEP);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Add, 0, zoom_key, "d",
                                PHILIA_CANVAS_ZOOM_STEP);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_minus, 0, zoom_key, "d",
                                1 / PHILIA_CANVAS_ZOOM_STEP);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Subtract, 0, zoom_key, "d",
                                1 / PHILIA_CANVAS_ZOOM_STEP);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_0, 0, fit_key, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_0, 0, fit_key, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, clear_key, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, pan_key, "(dd)", 1.0, 0.0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, pan_key, "(dd)", -1.0, 0.0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Up, 0, pan_key, "(dd)", 0.0, 1.0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Down, 0, pan_key, "(dd)", 0.0, -1.0);

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
  gtk_widget_set_focusable (widget, TRUE);
  self->scratch = philia_frame_scratch_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Graph canvas"), -1);
  self->drag_nodes = g_array_new (FALSE, FALSE, sizeof (guint));

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
