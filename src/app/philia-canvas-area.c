/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-canvas-private.h"

/* The drawing area of the canvas: the graph drawn (a cached frame for large
 * graphs while it moves), the view transform, pan and zoom, hit testing,
 * selection gestures and dragging nodes. */
/* Shown graph and helpers */

PhiliaGraph *
_philia_canvas_shown_graph (PhiliaCanvas *self)
{
  return self->ego_graph != NULL ? self->ego_graph : self->graph;
}

static guint
shown_to_original (PhiliaCanvas *self,
                   guint         v)
{
  return self->ego_nodes != NULL ? self->ego_nodes[v] : v;
}

gint64
_philia_canvas_original_to_shown (PhiliaCanvas *self,
                                  guint         node)
{
  guint n;

  if (self->ego_graph == NULL)
    return self->graph != NULL && node < philia_graph_get_n_nodes (self->graph) ? (gint64) node : -1;
  n = philia_graph_get_n_nodes (self->ego_graph);
  for (guint v = 0; v < n; v++)
    if (self->ego_nodes[v] == node)
      return v;
  return -1;
}

double
_philia_canvas_area_width (PhiliaCanvas *self)
{
  return self->area != NULL ? gtk_widget_get_width (self->area) : 0;
}

double
_philia_canvas_area_height (PhiliaCanvas *self)
{
  return self->area != NULL ? gtk_widget_get_height (self->area) : 0;
}

static gboolean
is_large (PhiliaCanvas *self)
{
  PhiliaGraph *graph = _philia_canvas_shown_graph (self);

  return graph != NULL
         && philia_graph_get_n_nodes (graph) + philia_graph_get_n_edges (graph) > CACHED_FRAME_SIZE;
}

void
_philia_canvas_update_view (PhiliaCanvas *self)
{
  PhiliaGraph *graph = _philia_canvas_shown_graph (self);

  self->view.graph = graph;
  self->view.positions = self->positions;
  if (self->active_layer != NULL)
    {
      NodeLayer *layer = self->active_layer;

      self->view.color_by = layer->values != NULL ? PHILIA_COLOR_BY_VALUE
                                                  : PHILIA_COLOR_BY_CATEGORY;
      self->view.node_values = self->shown_values;
      self->view.value_name = layer->title;
      self->view.vmin = layer->vmin;
      self->view.vmax = layer->vmax;
      self->view.node_categories = self->shown_categories;
      self->view.category_names = (const char * const *) layer->names;
      self->view.category_colors = layer->colors;
      self->view.n_categories = layer->n_categories;
    }
  else
    {
      self->view.node_values = self->ego_graph != NULL ? self->ego_values : self->local_homophily;
      /* Of the whole graph, also in a neighbourhood (its nodes keep their classes). */
      self->view.class_chance = self->local_chance;
      self->view.n_class_chance = self->n_local_chance;
      self->view.node_categories = NULL;
      self->view.n_categories = 0;
    }
  self->view.edge_values = self->shown_edges;
  self->view.edge_value_name = self->edge_layer_title;
  self->view.edge_vmin = self->edge_layer_min;
  self->view.edge_vmax = self->edge_layer_max;
  self->view.edge_width_by_value = self->shown_edges != NULL && self->edge_layer_width;
  self->view.edge_colormap = self->edge_layer_colormap;
  self->view.edge_log = self->edge_layer_log;
  self->view.edge_mark = self->edge_layer_mark;
  self->view.edge_mark_label = self->edge_layer_mark_label;
  self->view.highlighted = self->shown_highlight;
  self->view.path = self->shown_path;
  self->view.n_path = self->n_shown_path;
  self->view.pair = self->shown_has_pair ? self->shown_pair : NULL;
  self->view.size_by_degree = self->size_by_degree;
  self->view.show_labels = self->show_labels;
  self->view.show_legend = TRUE;
  self->view.selected = self->selected;
}

void
_philia_canvas_invalidate_frame (PhiliaCanvas *self)
{
  if (self->area == NULL)
    return;
  _philia_graph_area_clear_frame (PHILIA_GRAPH_AREA (self->area));
  gtk_widget_queue_draw (self->area);
}

/* Rebuilds the per-node flags from the selection: on selection or shown-graph changes. */
void
_philia_canvas_update_selected_flags (PhiliaCanvas *self)
{
  PhiliaGraph *graph = _philia_canvas_shown_graph (self);
  guint n = graph != NULL ? philia_graph_get_n_nodes (graph) : 0;

  g_clear_pointer (&self->selected, g_free);
  self->n_selected_flags = 0;
  if (n > 0 && self->selection->len > 0)
    {
      self->selected = g_new0 (guint8, n);
      self->n_selected_flags = n;
      if (self->ego_graph == NULL)
        {
          for (guint i = 0; i < self->selection->len; i++)
            {
              guint v = g_array_index (self->selection, guint, i);

              if (v < n)
                self->selected[v] = 1;
            }
        }
      else
        {
          for (guint v = 0; v < n; v++)
            for (guint i = 0; i < self->selection->len; i++)
              if (g_array_index (self->selection, guint, i) == self->ego_nodes[v])
                {
                  self->selected[v] = 1;
                  break;
                }
        }
    }
  _philia_canvas_update_view (self);
  _philia_canvas_invalidate_frame (self);
}

static int
compare_guint (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* Sets the selection from the user's gesture and tells the window. */
void
_philia_canvas_select_nodes (PhiliaCanvas *self,
                             GArray       *nodes)
{
  g_array_sort (nodes, compare_guint);
  /* The document keeps the selection (saved with the project); its
   * "changed" comes back here through philia_canvas_set_selection(). */
  if (self->document != NULL)
    philia_document_set_selection (self->document, (const guint *) nodes->data, nodes->len);
  philia_canvas_set_selection (self, (const guint *) nodes->data, nodes->len);
  g_signal_emit (self, _philia_canvas_signals[SELECT_NODES], 0,
                 nodes->len > 0 ? nodes->data : NULL, nodes->len);
}

/* Style */

/* Theme colours are read once per style change, not per frame. */
void
_philia_canvas_update_style (PhiliaCanvas *self)
{
  /* The legend box takes the canvas colour: the style's background is transparent. */
  _philia_widget_get_style (GTK_WIDGET (self), 1.0, &self->style, &self->font_family);
  /* The canvas is a document, like a text view: the view background. */
  if (!_philia_widget_lookup_color (GTK_WIDGET (self), "view_bg_color", "theme_base_color",
                                    &self->canvas_bg))
    self->canvas_bg = (PhiliaRgba) { 1, 1, 1, 1 };
}

/* View transform */

/* The neighbourhood view: its ego node (vertex 0) in the centre, the
 * farthest node still inside the margins. */
static void
fit_around_ego (PhiliaCanvas *self,
                double        w,
                double        h)
{
  guint n = philia_graph_get_n_nodes (self->ego_graph);
  double x0 = self->positions[0], y0 = self->positions[1], dx = 0, dy = 0, scale;

  for (guint v = 1; v < n; v++)
    {
      dx = MAX (dx, fabs (self->positions[2 * v] - x0));
      dy = MAX (dy, fabs (self->positions[2 * v + 1] - y0));
    }
  if (dx <= 0 && dy <= 0)
    scale = self->view.scale;   /* the ego node alone */
  else
    scale = MIN (dx > 0 ? (w / 2 - FIT_MARGIN) / dx : G_MAXDOUBLE,
                 dy > 0 ? (h / 2 - FIT_MARGIN) / dy : G_MAXDOUBLE);
  if (!isfinite (scale) || scale <= 0)
    scale = self->view.scale;
  self->view.scale = scale;
  self->view.offset_x = w / 2 - x0 * scale;
  self->view.offset_y = h / 2 - y0 * scale;
}

void
_philia_canvas_fit (PhiliaCanvas *self)
{
  double w = _philia_canvas_area_width (self), h = _philia_canvas_area_height (self);

  if (self->positions == NULL || _philia_canvas_shown_graph (self) == NULL)
    return;
  if (w <= 1 || h <= 1)
    {
      self->need_fit = TRUE;
      return;
    }
  _philia_canvas_update_view (self);
  philia_graph_view_fit (&self->view, w, h, FIT_MARGIN);
  if (self->ego_graph != NULL)
    fit_around_ego (self, w, h);
  self->fit_scale = self->view.scale;
  self->need_fit = FALSE;
  self->user_view = FALSE;
  _philia_canvas_apply_document_zoom (self);
  _philia_canvas_invalidate_frame (self);
}

static void
settle (PhiliaCanvas *self)
{
  self->moving = FALSE;
  _philia_canvas_invalidate_frame (self);
}

static gboolean
settle_cb (gpointer user_data)
{
  PhiliaCanvas *self = user_data;

  self->settle_id = 0;
  settle (self);
  return G_SOURCE_REMOVE;
}

/* Motion: large graphs redraw the cached frame until the motion stops. */
static void
view_moved (PhiliaCanvas *self)
{
  self->user_view = TRUE;
  if (self->area != NULL)
    _philia_graph_area_view_changed (PHILIA_GRAPH_AREA (self->area));
  if (is_large (self) && self->area != NULL
      && _philia_graph_area_has_frame (PHILIA_GRAPH_AREA (self->area)))
    {
      self->moving = TRUE;
      g_clear_handle_id (&self->settle_id, g_source_remove);
      self->settle_id = g_timeout_add (SETTLE_MS, settle_cb, self);
      gtk_widget_queue_draw (self->area);
    }
  else
    _philia_canvas_invalidate_frame (self);
}

void
_philia_canvas_zoom_at (PhiliaCanvas *self,
                        double        factor,
                        double        x,
                        double        y)
{
  double scale;

  if (self->positions == NULL || self->fit_scale <= 0)
    return;
  scale = CLAMP (self->view.scale * factor, self->fit_scale * MIN_ZOOM,
                 self->fit_scale * MAX_ZOOM);
  factor = scale / self->view.scale;
  self->view.offset_x = x - (x - self->view.offset_x) * factor;
  self->view.offset_y = y - (y - self->view.offset_y) * factor;
  self->view.scale = scale;
  view_moved (self);
}

void
_philia_canvas_centre_on (PhiliaCanvas *self,
                          guint         v)
{
  self->view.offset_x = _philia_canvas_area_width (self) / 2
                        - self->positions[2 * v] * self->view.scale;
  self->view.offset_y = _philia_canvas_area_height (self) / 2
                        - self->positions[2 * v + 1] * self->view.scale;
  /* The user's view now, written to the document like a pan: left
   * unwritten, the next change of the view would jump back. */
  self->user_view = TRUE;
  _philia_canvas_schedule_zoom_write (self);
  _philia_canvas_invalidate_frame (self);
}

/* Drawing */

static void
draw_graph (PhiliaCanvas *self,
            cairo_t      *cr,
            double        width,
            double        height)
{
  cairo_set_source_rgba (cr, self->canvas_bg.r, self->canvas_bg.g, self->canvas_bg.b,
                         self->canvas_bg.a);
  cairo_paint (cr);
  if (self->view.graph != NULL)
    philia_graph_view_draw (cr, width, height, &self->view, &self->style);
}

static PhiliaCanvasFrameJob *
frame_job_cb (gpointer data,
              int      width,
              int      height)
{
  return _philia_canvas_frame_job_new (data, width, height);
}

/* Draws the graph into the drawing area, @width × @height pixels. */
void
_philia_canvas_draw_area (PhiliaCanvas *self,
                          GtkSnapshot  *snapshot,
                          int           width,
                          int           height)
{
  _philia_canvas_update_view (self);

  if (width > 0 && height > 0)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

      if (!is_large (self))
        {
          cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
                                                   &GRAPHENE_RECT_INIT (0, 0, width, height));

          draw_graph (self, cr, width, height);
          cairo_destroy (cr);
        }
      else
        {
          GdkRGBA bg = { self->canvas_bg.r, self->canvas_bg.g, self->canvas_bg.b,
                         self->canvas_bg.a };

          _philia_graph_area_snapshot_frame (PHILIA_GRAPH_AREA (self->area), snapshot, width,
                                             height, &self->view, self->moving, &bg,
                                             frame_job_cb, self);
        }

      if (self->drag_mode == DRAG_RUBBER_BAND)
        {
          GdkRGBA fill = { self->style.accent.r, self->style.accent.g, self->style.accent.b, 0.15 };
          GdkRGBA edge = { self->style.accent.r, self->style.accent.g, self->style.accent.b, 0.9 };
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

      gtk_snapshot_pop (snapshot);
      gtk_snapshot_restore (snapshot);
    }
}

void
_philia_canvas_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);
  int header_min, header_nat;

  gtk_widget_measure (self->header, orientation, -1, &header_min, &header_nat, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* The toolbar is clipped rather than widening the window. */
      *minimum = 240;
      *natural = MAX (640, header_nat);
    }
  else
    {
      *minimum = header_min + 160;
      *natural = header_nat + 480;
    }
}

/* A new size of the area: a view the user has not moved is fitted again
 * (with the document's zoom on it); the user's view keeps its centre and
 * scale, and its zoom is written again relative to the new fitted scale. */
static void
resized (PhiliaCanvas *self,
         int           old_width,
         int           old_height)
{
  double w = self->last_width, h = self->last_height;
  PhiliaGraphView fitted;

  if (self->need_fit || self->positions == NULL || _philia_canvas_shown_graph (self) == NULL
      || w <= 1 || h <= 1)
    return;
  if (!self->user_view || old_width <= 0 || old_height <= 0)
    {
      self->need_fit = TRUE;
      return;
    }
  self->view.offset_x += (w - old_width) / 2.0;
  self->view.offset_y += (h - old_height) / 2.0;
  if (self->ego_graph != NULL)
    return;
  _philia_canvas_update_view (self);
  fitted = self->view;
  philia_graph_view_fit (&fitted, w, h, FIT_MARGIN);
  self->fit_scale = fitted.scale;
  _philia_canvas_schedule_zoom_write (self);
}

void
_philia_canvas_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);
  int min_width, header_height;
  int old_width = self->last_width, old_height = self->last_height;

  _philia_canvas_fit_toolbar (self, width);
  gtk_widget_measure (self->header, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (self->header, GTK_ORIENTATION_VERTICAL, MAX (width, min_width),
                      &header_height, NULL, NULL, NULL);
  gtk_widget_size_allocate (self->header,
                            &(GtkAllocation) { 0, 0, MAX (width, min_width), header_height }, -1);
  gtk_widget_size_allocate (self->area,
                            &(GtkAllocation) { 0, header_height, width,
                                               MAX (0, height - header_height) }, -1);

  self->area_y = header_height;
  self->last_width = width;
  self->last_height = MAX (0, height - header_height);
  if (width != old_width || self->last_height != old_height)
    resized (self, old_width, old_height);
  if (self->need_fit)
    _philia_canvas_fit (self);
  /* Any relayout of the window (a label in a side panel) allocates the canvas
   * again; only a new size makes the cached frame stale. */
  if (self->need_fit || width != old_width || self->last_height != old_height)
    _philia_graph_area_clear_frame (PHILIA_GRAPH_AREA (self->area));
}

/* Input */

static gint64
hit (PhiliaCanvas *self,
     double        x,
     double        y)
{
  if (self->positions == NULL || _philia_canvas_shown_graph (self) == NULL)
    return -1;
  _philia_canvas_update_view (self);
  return philia_graph_view_hit (&self->view, x, y, HIT_RADIUS);
}

void
_philia_canvas_on_drag_begin (GtkGestureDrag *gesture,
                              double          x,
                              double          y,
                              PhiliaCanvas   *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  if (self->positions == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
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
  if (self->drag_mode == DRAG_PAN && self->document != NULL && self->ego_graph == NULL
      && philia_document_get_current_layout (self->document) != NULL
      && !(mods & GDK_SHIFT_MASK))
    {
      gint64 v = hit (self, x, y);

      if (v >= 0)
        {
          guint node = (guint) v;

          g_array_set_size (self->drag_nodes, 0);
          if (self->selected != NULL && self->selected[node])
            g_array_append_vals (self->drag_nodes, self->selection->data, self->selection->len);
          else
            g_array_append_val (self->drag_nodes, node);
          self->drag_mode = DRAG_NODES;
        }
    }
}

/* Draws the dragged nodes at their new place (the document keeps the old
 * one until the drag ends). */
static void
drag_nodes_to (PhiliaCanvas *self,
               double        dx,
               double        dy)
{
  const PhiliaDocumentLayout *layout = philia_document_get_current_layout (self->document);
  guint n = philia_graph_get_n_nodes (self->graph);

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
  self->positions = self->drag_positions;
  _philia_canvas_update_view (self);
  _philia_canvas_invalidate_frame (self);
}

void
_philia_canvas_on_drag_update (GtkGestureDrag *gesture,
                               double          dx,
                               double          dy,
                               PhiliaCanvas   *self)
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
      self->view.offset_x = self->drag_offset_x + dx;
      self->view.offset_y = self->drag_offset_y + dy;
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
      gtk_widget_queue_draw (self->area);
    }
}

void
_philia_canvas_on_drag_end (GtkGestureDrag *gesture,
                            double          dx,
                            double          dy,
                            PhiliaCanvas   *self)
{
  if (self->drag_mode == DRAG_RUBBER_BAND
      && gtk_drag_check_threshold (GTK_WIDGET (self), 0, 0, (int) dx, (int) dy))
    {
      PhiliaGraph *graph = _philia_canvas_shown_graph (self);
      g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
      double x0 = MIN (self->drag_start_x, self->drag_start_x + dx);
      double x1 = MAX (self->drag_start_x, self->drag_start_x + dx);
      double y0 = MIN (self->drag_start_y, self->drag_start_y + dy);
      double y1 = MAX (self->drag_start_y, self->drag_start_y + dy);
      guint n = philia_graph_get_n_nodes (graph);

      /* Adds to the selection, as Shift does everywhere. */
      g_array_append_vals (nodes, self->selection->data, self->selection->len);
      for (guint v = 0; v < n; v++)
        {
          double x = self->positions[2 * v] * self->view.scale + self->view.offset_x;
          double y = self->positions[2 * v + 1] * self->view.scale + self->view.offset_y;
          guint node = shown_to_original (self, v);

          if (x >= x0 && x <= x1 && y >= y0 && y <= y1
              && (self->selected == NULL || !self->selected[v]))
            g_array_append_val (nodes, node);
        }
      self->drag_mode = DRAG_NONE;
      _philia_graph_area_request_selection (PHILIA_GRAPH_AREA (self->area), nodes);
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
          _philia_graph_area_nodes_moved (PHILIA_GRAPH_AREA (self->area),
                                          (const guint *) self->drag_nodes->data, xy,
                                          self->drag_nodes->len);
        }
      if (self->positions == self->drag_positions)
        {
          const PhiliaDocumentLayout *layout = philia_document_get_current_layout (self->document);

          self->positions = layout != NULL ? layout->positions : NULL;
          _philia_canvas_update_view (self);
        }
      g_clear_pointer (&self->drag_positions, g_free);
    }
  else
    self->drag_mode = DRAG_NONE;
  gtk_widget_queue_draw (self->area);
}

void
_philia_canvas_on_click_released (GtkGestureClick *gesture,
                                  int              n_press,
                                  double           x,
                                  double           y,
                                  PhiliaCanvas    *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  gint64 v;

  if (self->positions == NULL)
    return;
  v = hit (self, x, y);

  if (mods & GDK_SHIFT_MASK)
    {
      guint node;
      gboolean removed = FALSE;

      if (v < 0)
        return;
      node = shown_to_original (self, (guint) v);
      for (guint i = 0; i < self->selection->len; i++)
        {
          guint s = g_array_index (self->selection, guint, i);

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
      guint node = shown_to_original (self, (guint) v);

      g_array_append_val (nodes, node);
    }
  _philia_graph_area_request_selection (PHILIA_GRAPH_AREA (self->area), nodes);
}

void
_philia_canvas_on_motion (GtkEventControllerMotion *controller,
                          double                    x,
                          double                    y,
                          PhiliaCanvas             *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

gboolean
_philia_canvas_on_scroll (GtkEventControllerScroll *controller,
                          double                    dx,
                          double                    dy,
                          PhiliaCanvas             *self)
{
  if (self->pointer_y < 0)
    return FALSE;
  _philia_canvas_zoom_at (self, pow (PHILIA_CANVAS_ZOOM_STEP, -dy), self->pointer_x,
                          self->pointer_y);
  return TRUE;
}

void
_philia_canvas_on_pinch_begin (GtkGesture       *gesture,
                               GdkEventSequence *sequence,
                               PhiliaCanvas     *self)
{
  self->pinch_scale = 1.0;
}

void
_philia_canvas_on_pinch_scale_changed (GtkGestureZoom *gesture,
                                       double          scale,
                                       PhiliaCanvas   *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = _philia_canvas_area_width (self) / 2;
      y = _philia_canvas_area_height (self) / 2;
    }
  _philia_canvas_zoom_at (self, scale / self->pinch_scale, x, y);
  self->pinch_scale = scale;
}

gboolean
_philia_canvas_on_query_tooltip (GtkWidget    *widget,
                                 int           x,
                                 int           y,
                                 gboolean      keyboard_mode,
                                 GtkTooltip   *tooltip,
                                 PhiliaCanvas *self)
{
  PhiliaGraph *graph = self->graph;
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

  node = shown_to_original (self, (guint) v);
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
  h = self->local_homophily != NULL ? self->local_homophily[node] : NAN;
  if (isnan (h))
    g_string_append (text, _("\nLocal homophily: undefined"));
  else
    g_string_append_printf (text, _("\nLocal homophily: %.3f"), h);
  if (self->active_layer != NULL)
    {
      NodeLayer *layer = self->active_layer;
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

/* Whether the shown graph has positions (a layout finished). */
gboolean
philia_canvas_has_positions (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), FALSE);

  return self->positions != NULL && _philia_canvas_shown_graph (self) != NULL;
}

/* The graph on show: the dataset, or the neighbourhood sub-graph. */
PhiliaGraph *
philia_canvas_get_shown_graph (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), NULL);

  return _philia_canvas_shown_graph (self);
}

/* For a neighbourhood: the original id of each shown node (%NULL for the whole graph). */
const guint *
philia_canvas_get_shown_nodes (PhiliaCanvas *self,
                               guint        *n_nodes)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), NULL);

  if (n_nodes != NULL)
    *n_nodes = self->ego_graph != NULL ? philia_graph_get_n_nodes (self->ego_graph) : 0;
  return self->ego_nodes;
}

/* Pixels per layout unit. */
double
philia_canvas_get_scale (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), 0);

  return self->view.scale;
}

/**
 * philia_canvas_pan_by:
 *
 * Moves the view by @dx, @dy pixels, as a drag by that much does. For
 * scripted pans (tests, benchmarks).
 */
void
philia_canvas_pan_by (PhiliaCanvas *self,
                      double        dx,
                      double        dy)
{
  g_return_if_fail (PHILIA_IS_CANVAS (self));

  if (self->positions == NULL)
    return;
  self->view.offset_x += dx;
  self->view.offset_y += dy;
  view_moved (self);
}

gboolean
philia_canvas_get_node_point (PhiliaCanvas *self,
                              guint         v,
                              double       *x,
                              double       *y)
{
  PhiliaGraph *graph;

  g_return_val_if_fail (PHILIA_IS_CANVAS (self), FALSE);

  graph = _philia_canvas_shown_graph (self);
  if (self->positions == NULL || graph == NULL || v >= philia_graph_get_n_nodes (graph))
    return FALSE;
  *x = self->positions[2 * v] * self->view.scale + self->view.offset_x;
  *y = self->positions[2 * v + 1] * self->view.scale + self->view.offset_y + self->area_y;
  return TRUE;
}
