/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-canvas-private.h"

/* What the page draws in its area: the graph (a cached frame for large
 * graphs while it moves), fitting the view to it, the page's size and the
 * page's accessors of the area's view. The transform itself, the pointer,
 * hover, drags and the view keys are the area's (philia-graph-area.c). */
/* Shown graph and helpers */

PhiliaGraph *
_philia_canvas_shown_graph (PhiliaCanvas *self)
{
  return self->ego_graph != NULL ? self->ego_graph : self->graph;
}

guint
_philia_canvas_shown_to_original (PhiliaCanvas *self,
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
  return self->area != NULL ? gtk_widget_get_width (GTK_WIDGET (self->area)) : 0;
}

double
_philia_canvas_area_height (PhiliaCanvas *self)
{
  return self->area != NULL ? gtk_widget_get_height (GTK_WIDGET (self->area)) : 0;
}

gboolean
_philia_canvas_is_large (PhiliaCanvas *self)
{
  PhiliaGraph *graph = _philia_canvas_shown_graph (self);

  return graph != NULL
         && philia_graph_get_n_nodes (graph) + philia_graph_get_n_edges (graph) > CACHED_FRAME_SIZE;
}

/* The shown graph's local homophily (and its chance per class), computed
 * on first use. */
const double *
_philia_canvas_get_local_homophily (PhiliaCanvas *self)
{
  if (self->local_homophily == NULL && self->graph != NULL)
    {
      self->local_homophily = philia_local_homophily (self->graph);
      g_clear_pointer (&self->local_chance, g_free);
      self->local_chance = philia_local_homophily_chance (self->graph, &self->n_local_chance);
    }
  return self->local_homophily;
}

void
_philia_canvas_update_view (PhiliaCanvas *self)
{
  PhiliaGraph *graph = _philia_canvas_shown_graph (self);

  self->area->view.graph = graph;
  self->area->view.positions = self->positions;
  if (self->active_layer != NULL)
    {
      NodeLayer *layer = self->active_layer;

      self->area->view.color_by = layer->values != NULL ? PHILIA_COLOR_BY_VALUE
                                                  : PHILIA_COLOR_BY_CATEGORY;
      self->area->view.node_values = self->shown_values;
      self->area->view.value_name = layer->title;
      self->area->view.vmin = layer->vmin;
      self->area->view.vmax = layer->vmax;
      self->area->view.node_categories = self->shown_categories;
      self->area->view.category_names = (const char * const *) layer->names;
      self->area->view.category_colors = layer->colors;
      self->area->view.n_categories = layer->n_categories;
    }
  else
    {
      /* Only the local homophily colouring reads them: a graph's are
       * computed when first shown (a second of the main thread at 10^7
       * edges, which every open paid before). */
      if (self->ego_graph == NULL && self->area->view.color_by == PHILIA_COLOR_BY_LOCAL_HOMOPHILY)
        _philia_canvas_get_local_homophily (self);
      self->area->view.node_values = self->ego_graph != NULL ? self->ego_values
                                                             : self->local_homophily;
      /* Of the whole graph, also in a neighbourhood (its nodes keep their classes). */
      self->area->view.class_chance = self->local_chance;
      self->area->view.n_class_chance = self->n_local_chance;
      self->area->view.node_categories = NULL;
      self->area->view.n_categories = 0;
    }
  self->area->view.edge_values = self->shown_edges;
  self->area->view.edge_value_name = self->edge_layer_title;
  self->area->view.edge_vmin = self->edge_layer_min;
  self->area->view.edge_vmax = self->edge_layer_max;
  self->area->view.edge_width_by_value = self->shown_edges != NULL && self->edge_layer_width;
  self->area->view.edge_colormap = self->edge_layer_colormap;
  self->area->view.edge_log = self->edge_layer_log;
  self->area->view.edge_mark = self->edge_layer_mark;
  self->area->view.edge_mark_label = self->edge_layer_mark_label;
  self->area->view.highlighted = self->shown_highlight;
  self->area->view.path = self->shown_path;
  self->area->view.n_path = self->n_shown_path;
  self->area->view.pair = self->shown_has_pair ? self->shown_pair : NULL;
  self->area->view.size_by_degree = self->size_by_degree;
  self->area->view.show_labels = self->show_labels;
  self->area->view.show_legend = TRUE;
  self->area->view.selected = self->selected;
}

void
_philia_canvas_invalidate_frame (PhiliaCanvas *self)
{
  if (self->area == NULL)
    return;
  _philia_graph_area_clear_frame (self->area);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
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
    scale = self->area->view.scale;   /* the ego node alone */
  else
    scale = MIN (dx > 0 ? (w / 2 - FIT_MARGIN) / dx : G_MAXDOUBLE,
                 dy > 0 ? (h / 2 - FIT_MARGIN) / dy : G_MAXDOUBLE);
  if (!isfinite (scale) || scale <= 0)
    scale = self->area->view.scale;
  self->area->view.scale = scale;
  self->area->view.offset_x = w / 2 - x0 * scale;
  self->area->view.offset_y = h / 2 - y0 * scale;
}

void
_philia_canvas_fit (PhiliaCanvas *self)
{
  double w = _philia_canvas_area_width (self), h = _philia_canvas_area_height (self);

  if (self->positions == NULL || _philia_canvas_shown_graph (self) == NULL)
    return;
  if (w <= 1 || h <= 1)
    {
      self->area->need_fit = TRUE;
      return;
    }
  _philia_canvas_update_view (self);
  philia_graph_view_fit_robust (&self->area->view, w, h, FIT_MARGIN);
  if (self->ego_graph != NULL)
    fit_around_ego (self, w, h);
  self->area->fit_scale = self->area->view.scale;
  self->area->need_fit = FALSE;
  self->area->user_view = FALSE;
  _philia_canvas_apply_document_zoom (self);
  _philia_canvas_invalidate_frame (self);
}


void
_philia_canvas_centre_on (PhiliaCanvas *self,
                          guint         v)
{
  self->area->view.offset_x = _philia_canvas_area_width (self) / 2
                        - self->positions[2 * v] * self->area->view.scale;
  self->area->view.offset_y = _philia_canvas_area_height (self) / 2
                        - self->positions[2 * v + 1] * self->area->view.scale;
  /* The user's view now, written to the document like a pan: left
   * unwritten, the next change of the view would jump back. */
  self->area->user_view = TRUE;
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
  /* Nothing but the background until the layout gives the first positions:
   * a legend over an empty canvas looked like a drawing that failed. */
  if (self->area->view.graph != NULL && self->area->view.positions != NULL)
    philia_graph_view_draw (cr, width, height, &self->area->view, &self->style);
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

      if (!_philia_canvas_is_large (self))
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

          _philia_graph_area_snapshot_frame (self->area, snapshot, width,
                                             height, &self->area->view, self->area->moving, &bg,
                                             frame_job_cb, self);
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

  if (self->area->need_fit || self->positions == NULL || _philia_canvas_shown_graph (self) == NULL
      || w <= 1 || h <= 1)
    return;
  if (!self->area->user_view || old_width <= 0 || old_height <= 0)
    {
      self->area->need_fit = TRUE;
      return;
    }
  self->area->view.offset_x += (w - old_width) / 2.0;
  self->area->view.offset_y += (h - old_height) / 2.0;
  if (self->ego_graph != NULL)
    return;
  _philia_canvas_update_view (self);
  fitted = self->area->view;
  philia_graph_view_fit_robust (&fitted, w, h, FIT_MARGIN);
  self->area->fit_scale = fitted.scale;
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
  gtk_widget_size_allocate (GTK_WIDGET (self->area),
                            &(GtkAllocation) { 0, header_height, width,
                                               MAX (0, height - header_height) }, -1);

  self->area_y = header_height;
  self->last_width = width;
  self->last_height = MAX (0, height - header_height);
  if (width != old_width || self->last_height != old_height)
    resized (self, old_width, old_height);
  if (self->area->need_fit)
    _philia_canvas_fit (self);
  /* Any relayout of the window (a label in a side panel) allocates the canvas
   * again; only a new size makes the cached frame stale. */
  if (self->area->need_fit || width != old_width || self->last_height != old_height)
    _philia_graph_area_clear_frame (self->area);
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

  return self->area->view.scale;
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
  self->area->view.offset_x += dx;
  self->area->view.offset_y += dy;
  _philia_graph_area_moved (self->area);
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
  *x = self->positions[2 * v] * self->area->view.scale + self->area->view.offset_x;
  *y = self->positions[2 * v + 1] * self->area->view.scale + self->area->view.offset_y
       + self->area_y;
  return TRUE;
}
