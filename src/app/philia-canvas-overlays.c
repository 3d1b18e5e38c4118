/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-canvas-private.h"

/* Overlays on the graph, in whole-graph ids, and their copies indexed by the
 * shown graph: node layers (colourings), edge values and highlights. */
void
_philia_canvas_node_layer_free (NodeLayer *layer)
{
  g_free (layer->id);
  g_free (layer->title);
  g_free (layer->values);
  g_free (layer->categories);
  g_strfreev (layer->names);
  g_free (layer->colors);
  g_free (layer);
}

/* Rebuilds the overlays indexed by the shown graph: on overlay or shown-graph changes. */
void
_philia_canvas_update_overlays (PhiliaCanvas *self)
{
  PhiliaGraph *graph = _philia_canvas_shown_graph (self);
  guint n = graph != NULL ? philia_graph_get_n_nodes (graph) : 0;
  NodeLayer *layer = self->active_layer;

  if (self->shown_owned)
    {
      g_free (self->shown_values);
      g_free (self->shown_categories);
      g_free (self->shown_edges);
    }
  self->shown_values = NULL;
  self->shown_categories = NULL;
  self->shown_edges = NULL;
  self->shown_owned = self->ego_graph != NULL;
  g_clear_pointer (&self->shown_highlight, g_free);
  g_clear_pointer (&self->shown_path, g_free);
  self->n_shown_path = 0;
  self->shown_has_pair = FALSE;

  if (graph == NULL)
    return;

  if (self->ego_graph == NULL)
    {
      self->shown_values = layer != NULL ? layer->values : NULL;
      self->shown_categories = layer != NULL ? layer->categories : NULL;
      self->shown_edges = self->edge_layer;
    }
  else
    {
      const gint64 *eoff = philia_graph_get_row_offsets (self->ego_graph);
      const gint32 *enbr = philia_graph_get_neighbors (self->ego_graph);

      if (layer != NULL && layer->values != NULL)
        {
          self->shown_values = g_new (double, MAX (n, 1));
          for (guint v = 0; v < n; v++)
            self->shown_values[v] = layer->values[self->ego_nodes[v]];
        }
      if (layer != NULL && layer->categories != NULL)
        {
          self->shown_categories = g_new (gint32, MAX (n, 1));
          for (guint v = 0; v < n; v++)
            self->shown_categories[v] = layer->categories[self->ego_nodes[v]];
        }
      if (self->edge_layer != NULL)
        {
          /* An ego edge (a, b) is the whole graph's (ego_nodes[a], ego_nodes[b]). */
          self->shown_edges = g_new (double, MAX (eoff[n], 1));
          for (guint a = 0; a < n; a++)
            for (gint64 k = eoff[a]; k < eoff[a + 1]; k++)
              {
                gint64 e = philia_graph_find_edge (self->graph, self->ego_nodes[a],
                                                   self->ego_nodes[enbr[k]]);

                self->shown_edges[k] = e >= 0 ? self->edge_layer[e] : NAN;
              }
        }
    }

  if (self->hl_nodes->len > 0)
    {
      self->shown_highlight = g_new0 (guint8, n);
      for (guint i = 0; i < self->hl_nodes->len; i++)
        {
          gint64 v = _philia_canvas_original_to_shown (self, g_array_index (self->hl_nodes, guint,
                                                                            i));

          if (v >= 0)
            self->shown_highlight[v] = 1;
        }
    }
  /* The neighbourhood's own node (vertex 0) wears the accent ring of
   * emphasised nodes, on screen and in exports, so it is found at once. */
  if (self->ego_graph != NULL && n > 0)
    {
      if (self->shown_highlight == NULL)
        self->shown_highlight = g_new0 (guint8, n);
      self->shown_highlight[0] = 1;
    }
  if (self->hl_path->len > 1)
    {
      self->shown_path = g_new (guint, self->hl_path->len);
      for (guint i = 0; i < self->hl_path->len; i++)
        {
          gint64 v = _philia_canvas_original_to_shown (self, g_array_index (self->hl_path, guint,
                                                                            i));

          /* A path leaving the neighbourhood is cut where it leaves. */
          if (v < 0)
            break;
          self->shown_path[self->n_shown_path++] = (guint) v;
        }
    }
  if (self->hl_has_pair)
    {
      gint64 a = _philia_canvas_original_to_shown (self, self->hl_pair[0]);
      gint64 b = _philia_canvas_original_to_shown (self, self->hl_pair[1]);

      /* One end outside the neighbourhood: drawn as a pair of itself. */
      if (a >= 0 || b >= 0)
        {
          self->shown_pair[0] = (guint) (a >= 0 ? a : b);
          self->shown_pair[1] = (guint) (b >= 0 ? b : a);
          self->shown_has_pair = TRUE;
        }
    }
}

/* Forgets every layer and highlight (the graph changed), and their menu entries. */
void
_philia_canvas_drop_overlays (PhiliaCanvas *self)
{
  GtkStringList *colors = GTK_STRING_LIST (gtk_drop_down_get_model (self->color_dropdown));
  GtkStringList *edges = GTK_STRING_LIST (gtk_drop_down_get_model (self->edges_dropdown));
  guint n_colors = g_list_model_get_n_items (G_LIST_MODEL (colors));
  guint n_edges = g_list_model_get_n_items (G_LIST_MODEL (edges));

  if (self->active_layer != NULL)
    {
      self->active_layer = NULL;
      self->area->view.color_by = PHILIA_COLOR_BY_LABEL;
      g_object_notify_by_pspec (G_OBJECT (self), _philia_canvas_properties[PROP_COLOR_BY]);
    }
  if (self->area->view.edge_style == PHILIA_EDGES_VALUE)
    {
      self->area->view.edge_style = PHILIA_EDGES_HOMOPHILY;
      g_object_notify_by_pspec (G_OBJECT (self), _philia_canvas_properties[PROP_EDGE_STYLE]);
    }
  g_signal_handlers_block_by_func (self->color_dropdown, _philia_canvas_on_color_selected, self);
  g_signal_handlers_block_by_func (self->edges_dropdown, _philia_canvas_on_edges_selected, self);
  if (n_colors > N_BUILTIN_COLORINGS)
    gtk_string_list_splice (colors, N_BUILTIN_COLORINGS, n_colors - N_BUILTIN_COLORINGS, NULL);
  if (n_edges > N_BUILTIN_EDGE_STYLES)
    gtk_string_list_splice (edges, N_BUILTIN_EDGE_STYLES, n_edges - N_BUILTIN_EDGE_STYLES, NULL);
  gtk_drop_down_set_selected (self->color_dropdown,
                              self->area->view.color_by == PHILIA_COLOR_BY_LOCAL_HOMOPHILY ? 1
                              : self->area->view.color_by == PHILIA_COLOR_BY_DEGREE ? 2 : 0);
  gtk_drop_down_set_selected (self->edges_dropdown,
                              self->area->view.edge_style == PHILIA_EDGES_PLAIN ? 1
                              : self->area->view.edge_style == PHILIA_EDGES_HIDDEN ? 2 : 0);
  g_signal_handlers_unblock_by_func (self->edges_dropdown, _philia_canvas_on_edges_selected, self);
  g_signal_handlers_unblock_by_func (self->color_dropdown, _philia_canvas_on_color_selected, self);

  g_ptr_array_set_size (self->layers, 0);
  g_clear_pointer (&self->edge_layer, g_free);
  g_clear_pointer (&self->edge_layer_title, g_free);
  g_clear_pointer (&self->edge_layer_mark_label, g_free);
  g_clear_pointer (&self->edge_layer_overlay, g_free);
  self->edge_layer_colormap = PHILIA_EDGE_COLORMAP_VIRIDIS;
  self->edge_layer_log = FALSE;
  g_array_set_size (self->hl_nodes, 0);
  g_array_set_size (self->hl_path, 0);
  self->hl_has_pair = FALSE;
  _philia_canvas_update_overlays (self);
}

/* Overlays */

NodeLayer *
_philia_canvas_find_layer (PhiliaCanvas *self,
                           const char   *id,
                           guint        *index)
{
  for (guint i = 0; i < self->layers->len; i++)
    {
      NodeLayer *layer = g_ptr_array_index (self->layers, i);

      if (g_str_equal (layer->id, id))
        {
          if (index != NULL)
            *index = i;
          return layer;
        }
    }
  return NULL;
}

/* Adds @layer, or puts it in the place of the layer with its id. */
void
_philia_canvas_add_layer (PhiliaCanvas *self,
                          NodeLayer    *layer)
{
  GtkStringList *colors = GTK_STRING_LIST (gtk_drop_down_get_model (self->color_dropdown));
  const char *titles[] = { layer->title, NULL };
  gboolean active = FALSE;
  guint i;

  g_signal_handlers_block_by_func (self->color_dropdown, _philia_canvas_on_color_selected, self);
  if (_philia_canvas_find_layer (self, layer->id, &i) != NULL)
    {
      active = self->active_layer == g_ptr_array_index (self->layers, i);
      _philia_canvas_node_layer_free (g_ptr_array_index (self->layers, i));
      g_ptr_array_index (self->layers, i) = layer;
      gtk_string_list_splice (colors, N_BUILTIN_COLORINGS + i, 1, titles);
    }
  else
    {
      g_ptr_array_add (self->layers, layer);
      gtk_string_list_append (colors, layer->title);
    }
  g_signal_handlers_unblock_by_func (self->color_dropdown, _philia_canvas_on_color_selected, self);

  if (active)
    {
      self->active_layer = layer;
      _philia_canvas_apply_node_layer (self, layer->id);
    }
}

/**
 * philia_canvas_set_node_values:
 * @id: the layer's id, unique on this canvas
 * @title: its name in the colour menu and the legend
 * @values: one per node of the whole graph (NaN: no value, drawn grey)
 * @vmin: the value at the dark end of the viridis scale
 * @vmax: the value at the bright end
 *
 * Adds (or replaces) a layer of per-node values that nodes can be coloured
 * by. Layers last until the graph changes; they follow the neighbourhood view.
 */
void
philia_canvas_set_node_values (PhiliaCanvas *self,
                               const char   *id,
                               const char   *title,
                               const double *values,
                               double        vmin,
                               double        vmax)
{
  NodeLayer *layer;
  guint n;

  g_return_if_fail (PHILIA_IS_CANVAS (self));
  g_return_if_fail (id != NULL && title != NULL && values != NULL);
  g_return_if_fail (self->graph != NULL);

  n = philia_graph_get_n_nodes (self->graph);
  layer = g_new0 (NodeLayer, 1);
  layer->id = g_strdup (id);
  layer->title = g_strdup (title);
  layer->values = g_memdup2 (values, sizeof (double) * MAX (n, 1));
  layer->vmin = vmin;
  layer->vmax = vmax;
  _philia_canvas_add_layer (self, layer);
}

/**
 * philia_canvas_set_node_categories:
 * @categories: one per node of the whole graph (-1: none, drawn grey)
 * @names: @n_categories legend names
 * @colors: (nullable): 3 × @n_categories RGB components in [0, 1], or %NULL
 *   for the class palette (so category k of a prediction has class k's colour)
 *
 * Adds (or replaces) a categorical layer, as philia_canvas_set_node_values().
 */
void
philia_canvas_set_node_categories (PhiliaCanvas       *self,
                                   const char         *id,
                                   const char         *title,
                                   const gint32       *categories,
                                   const char * const *names,
                                   const double       *colors,
                                   guint               n_categories)
{
  NodeLayer *layer;
  guint n;

  g_return_if_fail (PHILIA_IS_CANVAS (self));
  g_return_if_fail (id != NULL && title != NULL && categories != NULL);
  g_return_if_fail (names != NULL || n_categories == 0);
  g_return_if_fail (self->graph != NULL);

  n = philia_graph_get_n_nodes (self->graph);
  layer = g_new0 (NodeLayer, 1);
  layer->id = g_strdup (id);
  layer->title = g_strdup (title);
  layer->categories = g_memdup2 (categories, sizeof (gint32) * MAX (n, 1));
  layer->names = g_new0 (char *, n_categories + 1);
  for (guint k = 0; k < n_categories; k++)
    layer->names[k] = g_strdup (names[k]);
  layer->colors = colors != NULL ? g_memdup2 (colors, sizeof (double) * 3 * n_categories) : NULL;
  layer->n_categories = n_categories;
  _philia_canvas_add_layer (self, layer);
}

void
philia_canvas_remove_node_layer (PhiliaCanvas *self,
                                 const char   *id)
{
  GtkStringList *colors;
  NodeLayer *layer;
  guint i;

  g_return_if_fail (PHILIA_IS_CANVAS (self));
  g_return_if_fail (id != NULL);

  layer = _philia_canvas_find_layer (self, id, &i);
  if (layer == NULL)
    return;
  if (self->active_layer == layer)
    _philia_canvas_apply_color_by (self, PHILIA_COLOR_BY_LABEL);
  colors = GTK_STRING_LIST (gtk_drop_down_get_model (self->color_dropdown));
  g_signal_handlers_block_by_func (self->color_dropdown, _philia_canvas_on_color_selected, self);
  gtk_string_list_remove (colors, N_BUILTIN_COLORINGS + i);
  g_signal_handlers_unblock_by_func (self->color_dropdown, _philia_canvas_on_color_selected, self);
  g_ptr_array_remove_index (self->layers, i);
}

/**
 * philia_canvas_show_node_layer:
 *
 * Colours the nodes by layer @id, as picking it in the colour menu does.
 *
 * Returns: %FALSE if there is no such layer
 */
gboolean
philia_canvas_show_node_layer (PhiliaCanvas *self,
                               const char   *id)
{
  NodeLayer *layer;
  guint i;

  g_return_val_if_fail (PHILIA_IS_CANVAS (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  layer = _philia_canvas_find_layer (self, id, &i);
  if (layer == NULL)
    return FALSE;
  if (self->document != NULL && !self->syncing)
    {
      _philia_canvas_write_view (self, id, NULL);
      return TRUE;
    }
  self->active_layer = layer;
  _philia_canvas_update_overlays (self);
  _philia_canvas_update_view (self);
  g_signal_handlers_block_by_func (self->color_dropdown, _philia_canvas_on_color_selected, self);
  gtk_drop_down_set_selected (self->color_dropdown, N_BUILTIN_COLORINGS + i);
  g_signal_handlers_unblock_by_func (self->color_dropdown, _philia_canvas_on_color_selected, self);
  _philia_canvas_invalidate_frame (self);
  g_object_notify_by_pspec (G_OBJECT (self), _philia_canvas_properties[PROP_COLOR_BY]);
  return TRUE;
}

/* The id of the layer nodes are coloured by, or NULL for a built-in colouring. */
const char *
philia_canvas_get_node_layer (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), NULL);

  return self->active_layer != NULL ? self->active_layer->id : NULL;
}

/* The edge values' legend title, or %NULL without edge values. */
const char *
philia_canvas_get_edge_title (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), NULL);

  return self->edge_layer != NULL ? self->edge_layer_title : NULL;
}

/**
 * philia_canvas_set_edge_scale:
 * @colormap: the colours of the edge values
 * @log: a log scale between the values' vmin and vmax (both > 0)
 * @mark: a value to mark on the legend's scale...
 * @mark_label: (nullable): ...with this label; %NULL for no mark
 *
 * How philia_canvas_set_edge_values() draws its values, from the next call
 * on (and in exports); removing the values restores viridis, linear, no mark.
 */
void
philia_canvas_set_edge_scale (PhiliaCanvas       *self,
                              PhiliaEdgeColormap  colormap,
                              gboolean            log,
                              double              mark,
                              const char         *mark_label)
{
  g_return_if_fail (PHILIA_IS_CANVAS (self));

  self->edge_layer_colormap = colormap;
  self->edge_layer_log = log;
  self->edge_layer_mark = mark;
  g_free (self->edge_layer_mark_label);
  self->edge_layer_mark_label = g_strdup (mark_label);
}

/**
 * philia_canvas_set_edge_values:
 * @title: (nullable): the edge legend's title
 * @values: (nullable): one per CSR entry of the whole graph (aligned with
 *   philia_graph_get_neighbors()), or %NULL to remove the edge values
 * @vmin: the value drawn at the low end of the scale (and thinnest)
 * @vmax: the value drawn at the high end (and thickest)
 * @width_by_value: edges also grow with the value
 *
 * Colours edges by @values (and shows them). An edge shows the larger of its
 * two entries: the value itself for symmetric values, the stronger direction
 * for attention.
 */
void
philia_canvas_set_edge_values (PhiliaCanvas *self,
                               const char   *title,
                               const double *values,
                               double        vmin,
                               double        vmax,
                               gboolean      width_by_value)
{
  GtkStringList *edges;
  const char *titles[2] = { NULL, NULL };
  guint n_items;

  g_return_if_fail (PHILIA_IS_CANVAS (self));
  g_return_if_fail (values == NULL || self->graph != NULL);

  edges = GTK_STRING_LIST (gtk_drop_down_get_model (self->edges_dropdown));
  n_items = g_list_model_get_n_items (G_LIST_MODEL (edges));
  /* Whatever replaces the edges, they are no longer the view's overlay (the
   * overlay's own are marked again by sync_attention()). */
  g_clear_pointer (&self->edge_layer_overlay, g_free);
  g_clear_pointer (&self->edge_layer, g_free);
  g_clear_pointer (&self->edge_layer_title, g_free);

  if (values == NULL)
    {
      philia_canvas_set_edge_scale (self, PHILIA_EDGE_COLORMAP_VIRIDIS, FALSE, 0, NULL);
      if (self->area->view.edge_style == PHILIA_EDGES_VALUE)
        _philia_canvas_apply_edge_style (self, PHILIA_EDGES_HOMOPHILY);
      g_signal_handlers_block_by_func (self->edges_dropdown, _philia_canvas_on_edges_selected,
                                       self);
      if (n_items > N_BUILTIN_EDGE_STYLES)
        gtk_string_list_splice (edges, N_BUILTIN_EDGE_STYLES, n_items - N_BUILTIN_EDGE_STYLES,
                                NULL);
      g_signal_handlers_unblock_by_func (self->edges_dropdown, _philia_canvas_on_edges_selected,
                                         self);
      _philia_canvas_update_overlays (self);
      _philia_canvas_update_view (self);
      _philia_canvas_invalidate_frame (self);
      return;
    }

  {
    guint n = philia_graph_get_n_nodes (self->graph);
    const gint64 *off = philia_graph_get_row_offsets (self->graph);
    const gint32 *nbr = philia_graph_get_neighbors (self->graph);
    gint64 m2 = off[n];

    /* Both entries of an edge get the larger value (NaN only if both are). */
    self->edge_layer = g_memdup2 (values, sizeof (double) * MAX (m2, 1));
    for (guint u = 0; u < n; u++)
      for (gint64 e = off[u]; e < off[u + 1]; e++)
        {
          guint w = (guint) nbr[e];
          gint64 back;

          double a, b;

          if (w <= u || (back = philia_graph_find_edge (self->graph, w, u)) < 0)
            continue;
          a = values[e];
          b = values[back];
          self->edge_layer[e] = self->edge_layer[back] = isnan (a) ? b : isnan (b) ? a : MAX (a, b);
        }
  }
  self->edge_layer_title = g_strdup (title != NULL ? title : _("Edge value"));
  self->edge_layer_min = vmin;
  self->edge_layer_max = vmax;
  self->edge_layer_width = width_by_value;

  titles[0] = self->edge_layer_title;
  g_signal_handlers_block_by_func (self->edges_dropdown, _philia_canvas_on_edges_selected, self);
  gtk_string_list_splice (edges, N_BUILTIN_EDGE_STYLES, n_items - N_BUILTIN_EDGE_STYLES, titles);
  g_signal_handlers_unblock_by_func (self->edges_dropdown, _philia_canvas_on_edges_selected, self);
  _philia_canvas_update_overlays (self);
  if (self->area->view.edge_style != PHILIA_EDGES_VALUE)
    philia_canvas_set_edge_style (self, PHILIA_EDGES_VALUE);
  else
    {
      g_signal_handlers_block_by_func (self->edges_dropdown, _philia_canvas_on_edges_selected,
                                       self);
      gtk_drop_down_set_selected (self->edges_dropdown, N_BUILTIN_EDGE_STYLES);
      g_signal_handlers_unblock_by_func (self->edges_dropdown, _philia_canvas_on_edges_selected,
                                         self);
    }
  _philia_canvas_update_view (self);
  _philia_canvas_invalidate_frame (self);
}

/**
 * philia_canvas_set_highlight:
 * @nodes: (nullable): nodes to ring (whole-graph ids)
 * @path: (nullable): nodes joined in order by a thick line
 * @pair: (nullable): two nodes drawn larger, with their names
 *
 * Emphasis drawn over everything, in exports too. Each %NULL part is cleared.
 */
void
philia_canvas_set_highlight (PhiliaCanvas *self,
                             const guint  *nodes,
                             guint         n_nodes,
                             const guint  *path,
                             guint         n_path,
                             const guint  *pair)
{
  guint n;

  g_return_if_fail (PHILIA_IS_CANVAS (self));

  n = self->graph != NULL ? philia_graph_get_n_nodes (self->graph) : 0;
  g_array_set_size (self->hl_nodes, 0);
  g_array_set_size (self->hl_path, 0);
  self->hl_has_pair = FALSE;
  for (guint i = 0; nodes != NULL && i < n_nodes; i++)
    if (nodes[i] < n)
      g_array_append_val (self->hl_nodes, nodes[i]);
  for (guint i = 0; path != NULL && i < n_path; i++)
    {
      if (path[i] >= n)
        {
          g_array_set_size (self->hl_path, 0);
          break;
        }
      g_array_append_val (self->hl_path, path[i]);
    }
  if (pair != NULL && pair[0] < n && pair[1] < n)
    {
      self->hl_pair[0] = pair[0];
      self->hl_pair[1] = pair[1];
      self->hl_has_pair = TRUE;
    }
  _philia_canvas_update_overlays (self);
  _philia_canvas_update_view (self);
  _philia_canvas_invalidate_frame (self);
}

void
philia_canvas_clear_highlight (PhiliaCanvas *self)
{
  philia_canvas_set_highlight (self, NULL, 0, NULL, 0, NULL);
}
