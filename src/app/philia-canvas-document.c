/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-canvas-private.h"

/* The canvas following its document: layouts, view (colourings, the
 * overlays the document holds), zoom, selection and explained pairs; and
 * the user's changes written back as the document's steps. */
void
_philia_canvas_apply_color_by (PhiliaCanvas  *self,
                               PhiliaColorBy  color_by)
{
  gboolean syncing = self->syncing;

  self->syncing = TRUE;
  philia_canvas_set_color_by (self, color_by);
  self->syncing = syncing;
}

void
_philia_canvas_apply_edge_style (PhiliaCanvas    *self,
                                 PhiliaEdgeStyle  edge_style)
{
  gboolean syncing = self->syncing;

  self->syncing = TRUE;
  philia_canvas_set_edge_style (self, edge_style);
  self->syncing = syncing;
}

gboolean
_philia_canvas_apply_node_layer (PhiliaCanvas *self,
                                 const char   *id)
{
  gboolean syncing = self->syncing, found;

  self->syncing = TRUE;
  found = philia_canvas_show_node_layer (self, id);
  self->syncing = syncing;
  return found;
}

/* A user's choice of colouring or edge style: a step of the document's. */
void
_philia_canvas_write_view (PhiliaCanvas *self,
                           const char   *color_by,
                           const char   *edge_style)
{
  PhiliaDocumentView view = { 0 };

  const PhiliaDocumentView *old = philia_document_get_view (self->document);
  PhiliaColorBy old_color, new_color;
  PhiliaEdgeStyle old_edges, new_edges;

  /* "class" and "label" are one colouring: choosing it again is no step. */
  if (color_by != NULL && philia_color_by_from_string (color_by, &new_color)
      && philia_color_by_from_string (old->color_by, &old_color) && new_color == old_color)
    color_by = NULL;
  if (edge_style != NULL && philia_edge_style_from_string (edge_style, &new_edges)
      && philia_edge_style_from_string (old->edge_style, &old_edges) && new_edges == old_edges)
    edge_style = NULL;
  philia_document_view_copy (&view, old);
  if (color_by != NULL)
    {
      g_free (view.color_by);
      view.color_by = g_strdup (color_by);
    }
  if (edge_style != NULL)
    {
      g_free (view.edge_style);
      view.edge_style = g_strdup (edge_style);
    }
  if (!philia_document_view_equal (&view, philia_document_get_view (self->document)))
    philia_document_set_view (self->document, &view);
  philia_document_view_clear (&view);
}

static gboolean
zoom_write_cb (gpointer user_data)
{
  PhiliaCanvas *self = user_data;
  double w = _philia_canvas_area_width (self), h = _philia_canvas_area_height (self);
  gboolean syncing;

  self->zoom_write_id = 0;
  if (self->document == NULL || self->ego_graph != NULL || self->positions == NULL
      || self->area->fit_scale <= 0 || self->area->view.scale <= 0)
    return G_SOURCE_REMOVE;
  syncing = self->syncing;
  self->syncing = TRUE;
  philia_document_set_zoom (self->document, self->area->view.scale / self->area->fit_scale,
                            (w / 2 - self->area->view.offset_x) / self->area->view.scale,
                            (h / 2 - self->area->view.offset_y) / self->area->view.scale);
  self->syncing = syncing;
  return G_SOURCE_REMOVE;
}

void
_philia_canvas_flush_zoom_write (PhiliaCanvas *self)
{
  if (self->zoom_write_id == 0)
    return;
  g_clear_handle_id (&self->zoom_write_id, g_source_remove);
  zoom_write_cb (self);
}

/* Zoom and pan are written when the motion pauses, not per frame. */
void
_philia_canvas_schedule_zoom_write (PhiliaCanvas *self)
{
  if (self->document == NULL || self->ego_graph != NULL || self->syncing)
    return;
  g_clear_handle_id (&self->zoom_write_id, g_source_remove);
  self->zoom_write_id = g_timeout_add (ZOOM_WRITE_MS, zoom_write_cb, self);
}

/* Puts the document's zoom and centre on the fitted view; zoom 1 is the
 * fitted view itself. */
void
_philia_canvas_apply_document_zoom (PhiliaCanvas *self)
{
  const PhiliaDocumentView *view;
  double w = _philia_canvas_area_width (self), h = _philia_canvas_area_height (self), zoom;

  if (self->document == NULL || self->ego_graph != NULL || self->area->fit_scale <= 0
      || self->positions == NULL || w <= 1 || h <= 1)
    return;
  view = philia_document_get_view (self->document);
  zoom = view->zoom;
  if (!isfinite (zoom) || zoom <= 0 || zoom == 1.0
      || !isfinite (view->center_x) || !isfinite (view->center_y))
    return;
  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  self->area->view.scale = self->area->fit_scale * zoom;
  self->area->view.offset_x = w / 2 - view->center_x * self->area->view.scale;
  self->area->view.offset_y = h / 2 - view->center_y * self->area->view.scale;
}

/* Whether the view shows the document's zoom and centre (or there is
 * nothing to compare yet). */
static gboolean
zoom_matches_document (PhiliaCanvas *self)
{
  const PhiliaDocumentView *view = philia_document_get_view (self->document);
  double w = _philia_canvas_area_width (self), h = _philia_canvas_area_height (self);
  double zoom, cx, cy, tol;

  if (self->ego_graph != NULL || self->positions == NULL || self->area->fit_scale <= 0
      || self->area->view.scale <= 0 || w <= 1 || h <= 1)
    return TRUE;
  zoom = self->area->view.scale / self->area->fit_scale;
  if (!isfinite (view->zoom) || view->zoom <= 0 || view->zoom == 1.0)
    return fabs (zoom - 1) < 1e-9;
  cx = (w / 2 - self->area->view.offset_x) / self->area->view.scale;
  cy = (h / 2 - self->area->view.offset_y) / self->area->view.scale;
  /* Half a pixel. */
  tol = 0.5 / self->area->view.scale;
  return fabs (zoom - view->zoom) < 1e-9 * view->zoom
         && fabs (cx - view->center_x) < tol && fabs (cy - view->center_y) < tol;
}

/* The run whose colourings the colour menu offers: the one the view names,
 * else the latest. */
static const PhiliaDocumentRun *
menu_run (PhiliaCanvas *self)
{
  const PhiliaDocumentView *view = philia_document_get_view (self->document);
  guint n = philia_document_get_n_runs (self->document), id;

  if (philia_run_overlay_parse (view->color_by, &id, NULL)
      && philia_document_find_run (self->document, id) != NULL)
    return philia_document_find_run (self->document, id);
  return n > 0 ? philia_document_get_run (self->document, n - 1) : NULL;
}

/* Adds run @run's colouring @id as a node layer, derived from its result. */
static void
add_run_layer (PhiliaCanvas            *self,
               const PhiliaDocumentRun *run,
               const char              *id)
{
  g_autoptr(PhiliaRunOverlay) overlay = NULL;
  NodeLayer *layer;

  if (_philia_canvas_find_layer (self, id, NULL) != NULL)
    return;
  overlay = philia_run_overlay_new (self->graph, run->result, run->id, id);
  if (overlay == NULL)
    return;
  layer = g_new0 (NodeLayer, 1);
  layer->id = g_steal_pointer (&overlay->id);
  layer->title = g_steal_pointer (&overlay->title);
  layer->values = g_steal_pointer (&overlay->values);
  layer->categories = g_steal_pointer (&overlay->categories);
  layer->names = g_steal_pointer (&overlay->names);
  layer->colors = g_steal_pointer (&overlay->colors);
  layer->n_categories = overlay->n_categories;
  layer->vmin = overlay->vmin;
  layer->vmax = overlay->vmax;
  _philia_canvas_add_layer (self, layer);
}

/* Node layers of runs follow the document: a deleted run's go, a restored
 * run's come back (derived from its result). An attention colouring is
 * offered while the view names it (one layer and head of many). */
static void
sync_run_layers (PhiliaCanvas *self)
{
  const PhiliaDocumentRun *run = menu_run (self);
  const char *color_by = philia_document_get_view (self->document)->color_by;
  g_auto(GStrv) ids = NULL;
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
  guint run_id;

  for (guint i = 0; i < self->layers->len; i++)
    {
      NodeLayer *layer = g_ptr_array_index (self->layers, i);

      if (philia_run_overlay_parse (layer->id, &run_id, NULL)
          && (run == NULL || run_id != run->id
              || (philia_attention_nodes_parse (layer->id, NULL, NULL)
                  && g_strcmp0 (layer->id, color_by) != 0)))
        g_ptr_array_add (stale, g_strdup (layer->id));
    }
  for (guint i = 0; i < stale->len; i++)
    philia_canvas_remove_node_layer (self, g_ptr_array_index (stale, i));

  if (run == NULL || self->graph == NULL)
    return;
  ids = philia_run_overlay_list (run->result, run->id);
  for (guint i = 0; ids[i] != NULL; i++)
    add_run_layer (self, run, ids[i]);
  if (philia_attention_nodes_parse (color_by, NULL, NULL))
    add_run_layer (self, run, color_by);
}

/* The attention edges the view's overlay names ("run:3:attention:0"),
 * derived from its run: gone with the run or the overlay, back with them
 * (undo, a reopened project). */
static void
sync_attention (PhiliaCanvas *self)
{
  const PhiliaDocumentView *view = philia_document_get_view (self->document);
  PhiliaAttentionOverlay attention;
  const PhiliaDocumentRun *run = NULL;
  g_autofree double *values = NULL;
  g_autofree char *title = NULL;
  gboolean relative = FALSE, syncing = self->syncing;
  double vmin = 0, vmax = 1;

  if (self->graph != NULL && philia_attention_overlay_parse (view->overlay, &attention))
    run = philia_document_find_run (self->document, attention.run_id);
  if (run != NULL)
    values = philia_run_overlay_attention_new (self->graph, run->result, &attention, &title,
                                               &relative, &vmin, &vmax);
  self->syncing = TRUE;
  if (values == NULL)
    {
      /* Only edges that were the overlay go; a panel's own stay. */
      if (self->edge_layer_overlay != NULL)
        philia_canvas_set_edge_values (self, NULL, NULL, 0, 1, FALSE);
    }
  else if (self->edge_layer == NULL || g_strcmp0 (self->edge_layer_overlay, view->overlay) != 0)
    {
      /* Shades of grey, so edges never read as classes; softmax attention
       * starts at 0, signed coefficients (FAGCN's, in [-1, 1]) keep their
       * negative end on the scale. */
      philia_canvas_set_edge_scale (self, PHILIA_EDGE_COLORMAP_GREYS, relative, 1.0,
                                    relative ? _("1 = uniform") : NULL);
      philia_canvas_set_edge_values (self, title, values, vmin, vmax, TRUE);
      self->edge_layer_overlay = g_strdup (view->overlay);
    }
  self->syncing = syncing;
}

static void
sync_view (PhiliaCanvas *self)
{
  const PhiliaDocumentView *view = philia_document_get_view (self->document);
  PhiliaColorBy color_by;
  PhiliaEdgeStyle edge_style;

  if (philia_color_by_from_string (view->color_by, &color_by) && color_by < PHILIA_COLOR_BY_VALUE)
    _philia_canvas_apply_color_by (self, color_by);
  else if (view->color_by == NULL || !_philia_canvas_apply_node_layer (self, view->color_by))
    /* A colouring that is gone (its run was deleted) shows classes until it
     * comes back; the view keeps naming it. */
    _philia_canvas_apply_color_by (self, PHILIA_COLOR_BY_LABEL);

  sync_attention (self);
  if (philia_edge_style_from_string (view->edge_style, &edge_style))
    _philia_canvas_apply_edge_style (self, edge_style);
  else
    _philia_canvas_apply_edge_style (self, PHILIA_EDGES_HOMOPHILY);
}

/* The document's current layout on show: no computation when it has one. */
void
_philia_canvas_sync_layout (PhiliaCanvas *self)
{
  const PhiliaDocumentLayout *layout = philia_document_get_current_layout (self->document);
  gboolean new_layout;

  if (self->graph == NULL)
    return;
  if (layout == NULL)
    {
      g_clear_pointer (&self->doc_layout, g_free);
      if (self->ego_graph == NULL)
        {
          self->positions = NULL;
          _philia_canvas_update_view (self);
          _philia_canvas_invalidate_frame (self);
          /* Nothing laid out yet (or the first layout was undone): compute. */
          if (!self->busy)
            _philia_canvas_start_layout (self, self->graph, self->algorithm, FALSE)->initial =
              philia_document_get_n_layouts (self->document) == 0;
        }
      _philia_canvas_update_actions (self);
      return;
    }

  new_layout = g_strcmp0 (self->doc_layout, layout->name) != 0;
  g_free (self->doc_layout);
  self->doc_layout = g_strdup (layout->name);
  g_signal_handlers_block_by_func (self->layout_dropdown, _philia_canvas_on_layout_selected, self);
  /* The menu offers the document's hand-made layouts too, and shows the one on show. */
  _philia_canvas_fill_layout_dropdown (self);
  if (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_LAYOUT,
                              layout->algorithm) != NULL)
    {
      if (g_strcmp0 (self->algorithm, layout->algorithm) != 0)
        {
          g_free (self->algorithm);
          self->algorithm = g_strdup (layout->algorithm);
          g_object_notify_by_pspec (G_OBJECT (self), _philia_canvas_properties[PROP_LAYOUT]);
        }
      _philia_canvas_select_algorithm_in_dropdown (self);
    }
  else
    for (guint i = 0; i < self->algorithms->len; i++)
      if (g_str_has_prefix (self->algorithms->pdata[i], DOC_LAYOUT_PREFIX)
          && g_str_equal ((char *) self->algorithms->pdata[i] + strlen (DOC_LAYOUT_PREFIX),
                          layout->name))
        gtk_drop_down_set_selected (self->layout_dropdown, i);
  g_signal_handlers_unblock_by_func (self->layout_dropdown, _philia_canvas_on_layout_selected,
                                     self);
  if (self->ego_graph != NULL)
    return;
  _philia_canvas_cancel_layout (self);
  g_clear_pointer (&self->area->drag_positions, g_free);
  self->area->drag_mode = self->area->drag_mode == DRAG_NODES ? DRAG_NONE : self->area->drag_mode;
  /* Moving nodes keeps the view where it is, and so does the refined layout
   * landing when the user moved the view while watching it; another layout
   * is fitted. */
  if ((new_layout && !self->live_keeps_view) || self->positions == NULL)
    {
      self->positions = layout->positions;
      _philia_canvas_fit (self);
      /* The last frame shows other positions, perhaps at another scale (a
       * refinement contracts the drawing tenfold): it stays put on the
       * screen until a frame of these lands, not scaled by the new fit. */
      _philia_graph_area_refit_frame (self->area, &self->area->view);
    }
  else
    {
      self->positions = layout->positions;
      _philia_canvas_update_view (self);
      _philia_canvas_invalidate_frame (self);
    }
  _philia_canvas_update_actions (self);
}

static void
sync_selection (PhiliaCanvas *self)
{
  guint n_nodes = 0;
  const guint *nodes = philia_document_get_selection (self->document, &n_nodes);

  philia_canvas_set_selection (self, nodes, n_nodes);
}

/* The document's latest explained pair, drawn as the Proximity panel
 * explains it: the pair, its common neighbours and one shortest path, and
 * the errors a "run errors" overlay rings. The canvas derives it itself, so
 * a reopened project shows it too. */
static void
sync_pair_highlight (PhiliaCanvas *self)
{
  guint n_pairs = philia_document_get_n_pairs (self->document);
  const PhiliaDocumentPair *pair = NULL;
  g_autoptr(GArray) common = NULL;
  g_autoptr(GArray) path = NULL;
  g_autoptr(GArray) errors = NULL;
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n;

  if (self->graph == NULL)
    {
      philia_canvas_clear_highlight (self);
      return;
    }
  n = philia_graph_get_n_nodes (self->graph);
  if (n_pairs > 0)
    pair = philia_document_get_pair (self->document, n_pairs - 1);
  if (pair != NULL && (pair->u >= n || pair->v >= n))
    pair = NULL;
  if (pair != NULL)
    {
      common = philia_proximity_common_neighbors (self->graph, pair->u, pair->v);
      path = philia_proximity_shortest_path (self->graph, pair->u, pair->v);
      for (guint i = 0; i < common->len; i++)
        g_array_append_val (nodes, g_array_index (common, PhiliaCommonNeighbor, i).node);
    }
  /* A run that is gone rings nothing; the overlay stays for undo. */
  if ((errors = philia_document_dup_run_errors (self->document, 0, NULL)) != NULL)
    g_array_append_vals (nodes, errors->data, errors->len);
  philia_canvas_set_highlight (self, (const guint *)nodes->data, nodes->len,
                               path != NULL && path->len > 1 ? (const guint *) path->data : NULL,
                               path != NULL && path->len > 1 ? path->len : 0,
                               pair != NULL ? (const guint[]) { pair->u, pair->v } : NULL);
}

static void
on_document_changed (PhiliaDocument     *document,
                     PhiliaDocumentPart  parts,
                     PhiliaCanvas       *self)
{
  gboolean syncing = self->syncing;

  if (self->graph != philia_document_get_graph (document))
    return;   /* notify::graph brings everything */
  self->syncing = TRUE;
  if (parts & (PHILIA_DOCUMENT_PART_RUNS | PHILIA_DOCUMENT_PART_VIEW | PHILIA_DOCUMENT_PART_GRAPH))
    sync_run_layers (self);
  if (parts & (PHILIA_DOCUMENT_PART_LAYOUTS | PHILIA_DOCUMENT_PART_POSITIONS))
    _philia_canvas_sync_layout (self);
  if (parts & (PHILIA_DOCUMENT_PART_RUNS | PHILIA_DOCUMENT_PART_VIEW | PHILIA_DOCUMENT_PART_GRAPH))
    sync_view (self);
  /* A zoom or pan of ours not written yet (they wait for the motion to
   * pause) is the newest view: written now, not undone by a refit to the
   * document's older one (which made Zoom to Selection or Find jump back
   * to an earlier node when the colouring changed meanwhile). */
  if ((parts & PHILIA_DOCUMENT_PART_VIEW) && self->zoom_write_id != 0)
    _philia_canvas_flush_zoom_write (self);
  if ((parts & PHILIA_DOCUMENT_PART_VIEW) && !zoom_matches_document (self))
    /* Not our own zoom: back to the fitted view, then the document's. */
    _philia_canvas_fit (self);
  if (parts & PHILIA_DOCUMENT_PART_SELECTION)
    sync_selection (self);
  if (parts & (PHILIA_DOCUMENT_PART_PAIRS | PHILIA_DOCUMENT_PART_GRAPH
               | PHILIA_DOCUMENT_PART_OVERLAYS | PHILIA_DOCUMENT_PART_RUNS))
    sync_pair_highlight (self);
  /* Runs too: an overlay of a deleted run says so. */
  if (parts & (PHILIA_DOCUMENT_PART_OVERLAYS | PHILIA_DOCUMENT_PART_RUNS))
    _philia_canvas_sync_overlay_list (self);
  self->syncing = syncing;
}

/* Everything from the document: its graph, layout, view and selection. */
void
_philia_canvas_sync_document (PhiliaCanvas *self)
{
  PhiliaGraph *graph = philia_document_get_graph (self->document);

  self->syncing = TRUE;
  if (self->graph != graph)
    {
      /* The same nodes in a new graph (new splits): keep what is on show. */
      if (self->graph != NULL && graph != NULL
          && philia_graph_get_n_nodes (self->graph) == philia_graph_get_n_nodes (graph))
        {
          g_set_object (&self->graph, graph);
          g_clear_pointer (&self->local_homophily, g_free);
          g_clear_pointer (&self->local_chance, g_free);
          self->n_local_chance = 0;
          /* Derived layers depend on the masks (correct on test). */
          while (self->layers->len > 0)
            {
              NodeLayer *layer = g_ptr_array_index (self->layers, self->layers->len - 1);
              g_autofree char *id = g_strdup (layer->id);

              philia_canvas_remove_node_layer (self, id);
            }
          _philia_canvas_update_overlays (self);
          _philia_canvas_update_view (self);
          g_object_notify_by_pspec (G_OBJECT (self), _philia_canvas_properties[PROP_GRAPH]);
        }
      else
        {
          g_clear_pointer (&self->doc_layout, g_free);
          /* set_graph starts the default layout; the document may have one. */
          g_object_freeze_notify (G_OBJECT (self));
          philia_canvas_set_graph (self, graph);
          _philia_canvas_cancel_layout (self);
          g_object_thaw_notify (G_OBJECT (self));
        }
    }
  if (graph != NULL)
    {
      sync_run_layers (self);
      _philia_canvas_sync_layout (self);
      sync_view (self);
      sync_selection (self);
      sync_pair_highlight (self);
    }
  _philia_canvas_sync_overlay_list (self);
  self->syncing = FALSE;
}

static void
on_document_graph (PhiliaDocument *document,
                   GParamSpec     *pspec,
                   PhiliaCanvas   *self)
{
  _philia_canvas_sync_document (self);
}

/* A panel asked the document to show nodes (philia_document_reveal_nodes()). */
static void
on_document_reveal_nodes (PhiliaDocument *document,
                          const guint    *nodes,
                          guint           n_nodes,
                          PhiliaCanvas   *self)
{
  if (self->graph == philia_document_get_graph (document))
    philia_canvas_zoom_to_nodes (self, nodes, n_nodes);
}

PhiliaDocument *
philia_canvas_get_document (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), NULL);

  return self->document;
}

/**
 * philia_canvas_set_document:
 * @document: (nullable): the analysis to show and edit
 *
 * The canvas then draws the document's graph with its current layout, view
 * and selection, follows its changes (undo and redo included), and writes
 * the user's changes to it: a finished layout, moved nodes, colouring and
 * edge style, zoom and pan (when they pause), the selection.
 */
void
philia_canvas_set_document (PhiliaCanvas   *self,
                            PhiliaDocument *document)
{
  g_return_if_fail (PHILIA_IS_CANVAS (self));
  g_return_if_fail (document == NULL || PHILIA_IS_DOCUMENT (document));

  if (self->document == document)
    return;
  if (self->document != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->document, self);
      g_clear_handle_id (&self->zoom_write_id, g_source_remove);
    }
  g_set_object (&self->document, document);
  g_clear_pointer (&self->doc_layout, g_free);
  /* Nothing of the last document stays (its neighbourhood, highlights),
   * even when the new one has a graph of as many nodes. */
  self->syncing = TRUE;
  philia_canvas_set_graph (self, NULL);
  self->syncing = FALSE;
  if (document != NULL)
    {
      g_signal_connect (document, "changed", G_CALLBACK (on_document_changed), self);
      g_signal_connect (document, "notify::graph", G_CALLBACK (on_document_graph), self);
      g_signal_connect (document, "reveal-nodes", G_CALLBACK (on_document_reveal_nodes), self);
      _philia_canvas_sync_document (self);
    }
  else
    {
      g_signal_handlers_block_by_func (self->layout_dropdown, _philia_canvas_on_layout_selected,
                                       self);
      _philia_canvas_fill_layout_dropdown (self);
      _philia_canvas_select_algorithm_in_dropdown (self);
      g_signal_handlers_unblock_by_func (self->layout_dropdown, _philia_canvas_on_layout_selected,
                                         self);
      _philia_canvas_sync_overlay_list (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), _philia_canvas_properties[PROP_DOCUMENT]);
}
