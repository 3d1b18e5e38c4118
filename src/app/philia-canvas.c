/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-canvas-private.h"

/* The canvas: a widget with a toolbar (layout, colouring and edge menus,
 * find box, neighbourhood view) over the drawing area; its actions, export,
 * properties and the calls panels make. The other parts are in the files
 * philia-canvas-private.h names. */

G_DEFINE_FINAL_TYPE (PhiliaCanvas, philia_canvas, GTK_TYPE_WIDGET)

GParamSpec *_philia_canvas_properties[N_PROPS];
guint _philia_canvas_signals[N_SIGNALS];

typedef struct
{
  PhiliaGraphView   view;
  PhiliaRenderStyle style;
  double            area_width;
  double            area_height;
  gboolean          whole;
} ExportClosure;

static void
philia_canvas_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);

  GTK_WIDGET_CLASS (philia_canvas_parent_class)->css_changed (widget, change);

  _philia_canvas_update_style (self);
  _philia_canvas_invalidate_frame (self);
}

/* Actions */

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (PHILIA_CANVAS (widget)->find_entry));
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);

  _philia_graph_area_zoom_at (self->area, PHILIA_CANVAS_ZOOM_STEP,
                              _philia_canvas_area_width (self) / 2,
                              _philia_canvas_area_height (self) / 2);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);

  _philia_graph_area_zoom_at (self->area, 1 / PHILIA_CANVAS_ZOOM_STEP,
                              _philia_canvas_area_width (self) / 2,
                              _philia_canvas_area_height (self) / 2);
}

/* Fit (the toolbar's button, the area's 0 key). Fitting is what zoom 1
 * means: the document forgets the old zoom first (and a zoom of ours still
 * waiting to be written with it). */
void
_philia_canvas_fit_view (PhiliaCanvas *self)
{
  g_clear_handle_id (&self->zoom_write_id, g_source_remove);
  if (self->document != NULL && self->ego_graph == NULL)
    philia_document_set_zoom (self->document, 1, 0, 0);
  _philia_canvas_fit (self);
}

static void
fit_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  _philia_canvas_fit_view (PHILIA_CANVAS (widget));
}

/* Frames the shown nodes flagged in @flags (n of the shown graph). */
static gboolean
zoom_to_flags (PhiliaCanvas *self,
               const guint8 *flags)
{
  PhiliaGraph *graph = _philia_canvas_shown_graph (self);
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  double w = _philia_canvas_area_width (self), h = _philia_canvas_area_height (self), scale;
  guint n, count = 0;

  if (graph == NULL || self->positions == NULL || flags == NULL)
    return FALSE;
  n = philia_graph_get_n_nodes (graph);
  for (guint v = 0; v < n; v++)
    if (flags[v])
      {
        x0 = MIN (x0, self->positions[2 * v]);
        x1 = MAX (x1, self->positions[2 * v]);
        y0 = MIN (y0, self->positions[2 * v + 1]);
        y1 = MAX (y1, self->positions[2 * v + 1]);
        count++;
      }
  if (count == 0 || w <= 2 * FIT_MARGIN || h <= 2 * FIT_MARGIN)
    return FALSE;

  /* A single node (or a tight cluster) gets a fixed close-up, not infinite zoom. */
  scale = MIN ((w - 4 * FIT_MARGIN) / MAX (x1 - x0, 1e-9), (h - 4 * FIT_MARGIN) / MAX (y1 - y0, 1e-9));
  scale = CLAMP (scale, self->area->fit_scale, self->area->fit_scale * 8);
  self->area->view.scale = scale;
  self->area->view.offset_x = w / 2 - scale * (x0 + x1) / 2;
  self->area->view.offset_y = h / 2 - scale * (y0 + y1) / 2;
  self->area->user_view = TRUE;
  _philia_canvas_schedule_zoom_write (self);
  _philia_canvas_invalidate_frame (self);
  return TRUE;
}

/**
 * philia_canvas_zoom_to_nodes:
 * @nodes: (array length=n_nodes): node ids of the whole graph
 *
 * Brings @nodes into view: centred on their box, zoomed in up to 8 times the
 * fitted scale (no closer for a single node), never out beyond the fitted
 * view. Nodes outside a neighbourhood on show take the view back to the whole
 * graph first (framed once its layout is there). Panels ask for this through
 * the document (philia_document_reveal_nodes()), which the canvas follows.
 *
 * Returns: whether the view changed.
 */
gboolean
philia_canvas_zoom_to_nodes (PhiliaCanvas *self,
                             const guint  *nodes,
                             guint         n_nodes)
{
  PhiliaGraph *graph;
  g_autofree guint8 *flags = NULL;
  gboolean any = FALSE;

  g_return_val_if_fail (PHILIA_IS_CANVAS (self), FALSE);
  g_return_val_if_fail (nodes != NULL || n_nodes == 0, FALSE);

  if (self->graph == NULL || n_nodes == 0)
    return FALSE;
  for (guint i = 0; i < n_nodes; i++)
    if (nodes[i] < philia_graph_get_n_nodes (self->graph)
        && _philia_canvas_original_to_shown (self, nodes[i]) < 0)
      {
        philia_canvas_show_whole_graph (self);
        break;
      }
  graph = _philia_canvas_shown_graph (self);
  flags = g_new0 (guint8, MAX (philia_graph_get_n_nodes (graph), 1));
  for (guint i = 0; i < n_nodes; i++)
    {
      gint64 v = nodes[i] < philia_graph_get_n_nodes (self->graph)
                 ? _philia_canvas_original_to_shown (self, nodes[i]) : -1;

      if (v >= 0)
        flags[v] = any = TRUE;
    }
  return any && zoom_to_flags (self, flags);
}

/**
 * philia_canvas_zoom_to_selection:
 *
 * Brings the current selection into view, as the toolbar's Zoom to
 * Selection does (philia_canvas_zoom_to_nodes()).
 *
 * Returns: whether the view changed.
 */
gboolean
philia_canvas_zoom_to_selection (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), FALSE);

  return zoom_to_flags (self, self->selected);
}

/**
 * philia_canvas_commit_view:
 *
 * Writes a zoom or pan still waiting for the motion to pause into the
 * document now, so that what is saved is what the canvas shows (a save can
 * come within the pause, e.g. right after "Why this link" framed a pair).
 */
void
philia_canvas_commit_view (PhiliaCanvas *self)
{
  g_return_if_fail (PHILIA_IS_CANVAS (self));

  _philia_canvas_flush_zoom_write (self);
}

static void
zoom_to_selection_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  philia_canvas_zoom_to_selection (PHILIA_CANVAS (widget));
}

static void
clear_selection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);
  g_autoptr(GArray) none = g_array_new (FALSE, FALSE, sizeof (guint));

  _philia_canvas_select_nodes (self, none);
}

static void
select_node_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);
  gint64 node = g_variant_get_int64 (parameter);
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  guint v;

  if (self->graph == NULL || node < 0 || node >= philia_graph_get_n_nodes (self->graph))
    return;
  v = (guint) node;
  g_array_append_val (nodes, v);
  _philia_canvas_select_nodes (self, nodes);
}

static void
neighbourhood_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);
  guint k = (guint) gtk_spin_button_get_value_as_int (self->hops_spin);

  if (self->selection->len == 0)
    return;
  gtk_menu_button_popdown (self->ego_button);
  philia_canvas_show_neighbourhood (self, g_array_index (self->selection, guint, 0), k);
}

static void
whole_graph_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  philia_canvas_show_whole_graph (PHILIA_CANVAS (widget));
}

static void
cancel_layout_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  /* A layout drawn while it refines stops where it is and stays. */
  if (_philia_canvas_stop_live_layout (PHILIA_CANVAS (widget)))
    return;
  _philia_canvas_cancel_layout (PHILIA_CANVAS (widget));
  _philia_canvas_restore_shown_layout (PHILIA_CANVAS (widget));
}

static void
export_draw (cairo_t *cr,
             double   width,
             double   height,
             gpointer user_data)
{
  ExportClosure *closure = user_data;
  PhiliaGraphView view = closure->view;

  if (closure->whole)
    philia_graph_view_fit_figure (&view, &closure->style, width, height);
  else
    {
      /* The same part of the graph as on screen, scaled to the figure. */
      double f = MIN (width / closure->area_width, height / closure->area_height);

      view.scale *= f;
      view.offset_x = view.offset_x * f + (width - closure->area_width * f) / 2;
      view.offset_y = view.offset_y * f + (height - closure->area_height * f) / 2;
    }
  philia_graph_view_draw (cr, width, height, &view, &closure->style);
}

/**
 * philia_canvas_export:
 * @whole_graph: the whole graph fitted to the figure, or else the current view
 *
 * Writes the canvas at @width × @height points to @path (PNG at @dpi, SVG or
 * PDF from the extension), with the legend, dark on white as figures for
 * papers are; the font is the theme's.
 */
gboolean
philia_canvas_export (PhiliaCanvas  *self,
                      const char    *path,
                      double         width,
                      double         height,
                      double         dpi,
                      gboolean       whole_graph,
                      GError       **error)
{
  ExportClosure closure = { 0 };

  g_return_val_if_fail (PHILIA_IS_CANVAS (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);

  if (self->positions == NULL || _philia_canvas_shown_graph (self) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("There is no graph drawing to export to %s yet."), path);
      return FALSE;
    }

  _philia_canvas_update_view (self);
  closure.view = self->area->view;
  closure.whole = whole_graph;
  closure.area_width = MAX (1, _philia_canvas_area_width (self));
  closure.area_height = MAX (1, _philia_canvas_area_height (self));
  philia_render_style_init_default (&closure.style);
  closure.style.font_family = self->style.font_family;

  return philia_figure_export (path, width, height, dpi, export_draw, &closure, error);
}

static gboolean
describe_export (GtkWidget   *widget,
                 const char **chooser_title,
                 const char **file_stem)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);

  *chooser_title = self->export_whole ? _("Export Whole Graph") : _("Export View");
  *file_stem = self->export_whole ? "graph" : "graph-view";
  return TRUE;
}

static gboolean
write_export (GtkWidget   *widget,
              const char  *path,
              double       width,
              double       height,
              double       dpi,
              GError     **error)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);

  return philia_canvas_export (self, path, width, height, dpi, self->export_whole, error);
}

/* Size first (the shared export dialog), then the file. */
static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);

  if (self->positions == NULL || _philia_figure_exporter_is_busy (&self->exporter))
    return;

  self->export_whole = g_str_equal (action_name, "canvas.export-whole");
  _philia_figure_exporter_present (&self->exporter);
}

void
_philia_canvas_on_color_selected (GtkDropDown  *dropdown,
                                  GParamSpec   *pspec,
                                  PhiliaCanvas *self)
{
  static const PhiliaColorBy map[] = {
    PHILIA_COLOR_BY_LABEL, PHILIA_COLOR_BY_LOCAL_HOMOPHILY, PHILIA_COLOR_BY_DEGREE,
  };
  guint i = gtk_drop_down_get_selected (dropdown);

  if (i < G_N_ELEMENTS (map))
    philia_canvas_set_color_by (self, map[i]);
  else if (i - N_BUILTIN_COLORINGS < self->layers->len)
    philia_canvas_show_node_layer (self, ((NodeLayer *) g_ptr_array_index (
                                             self->layers, i - N_BUILTIN_COLORINGS))->id);
}

void
_philia_canvas_on_edges_selected (GtkDropDown  *dropdown,
                                  GParamSpec   *pspec,
                                  PhiliaCanvas *self)
{
  static const PhiliaEdgeStyle map[] = {
    PHILIA_EDGES_HOMOPHILY, PHILIA_EDGES_PLAIN, PHILIA_EDGES_HIDDEN,
  };
  guint i = gtk_drop_down_get_selected (dropdown);

  if (i < G_N_ELEMENTS (map))
    philia_canvas_set_edge_style (self, map[i]);
  else if (i == N_BUILTIN_EDGE_STYLES)
    philia_canvas_set_edge_style (self, PHILIA_EDGES_VALUE);
}

/* GObject */

static void
philia_canvas_dispose (GObject *object)
{
  PhiliaCanvas *self = PHILIA_CANVAS (object);
  GtkWidget *child;

  _philia_canvas_stop_layout (self);
  /* The area outlives the template until finalize: it no longer asks here. */
  _philia_graph_area_set_canvas (self->area, NULL);
  g_clear_handle_id (&self->zoom_write_id, g_source_remove);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  _philia_figure_exporter_clear (&self->exporter);

  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_CANVAS);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  _philia_canvas_clear_ego (self);
  self->positions = NULL;
  self->area->view.graph = NULL;
  /* The drop-downs are gone with the template: only the data is dropped. */
  self->active_layer = NULL;
  if (self->layers != NULL)
    g_ptr_array_set_size (self->layers, 0);
  g_clear_pointer (&self->edge_layer, g_free);
  g_clear_pointer (&self->edge_layer_title, g_free);
  g_clear_pointer (&self->edge_layer_mark_label, g_free);
  g_clear_pointer (&self->edge_layer_overlay, g_free);
  if (self->hl_nodes != NULL)
    {
      g_array_set_size (self->hl_nodes, 0);
      g_array_set_size (self->hl_path, 0);
    }
  self->hl_has_pair = FALSE;
  _philia_canvas_update_overlays (self);
  g_clear_object (&self->graph);

  G_OBJECT_CLASS (philia_canvas_parent_class)->dispose (object);
}

static void
philia_canvas_finalize (GObject *object)
{
  PhiliaCanvas *self = PHILIA_CANVAS (object);

  g_clear_pointer (&self->algorithms, g_ptr_array_unref);
  g_clear_pointer (&self->algorithm, g_free);
  g_clear_pointer (&self->local_homophily, g_free);
  g_clear_pointer (&self->local_chance, g_free);
  g_clear_pointer (&self->selection, g_array_unref);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->font_family, g_free);
  g_clear_pointer (&self->layers, g_ptr_array_unref);
  g_clear_pointer (&self->hl_nodes, g_array_unref);
  g_clear_pointer (&self->hl_path, g_array_unref);
  g_clear_pointer (&self->doc_layout, g_free);
  g_clear_object (&self->area);

  G_OBJECT_CLASS (philia_canvas_parent_class)->finalize (object);
}

static void
philia_canvas_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PhiliaCanvas *self = PHILIA_CANVAS (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      g_value_set_object (value, self->graph);
      break;

    case PROP_LAYOUT:
      g_value_set_string (value, self->algorithm);
      break;

    case PROP_COLOR_BY:
      g_value_set_enum (value, self->area->view.color_by);
      break;

    case PROP_EDGE_STYLE:
      g_value_set_enum (value, self->area->view.edge_style);
      break;

    case PROP_SIZE_BY_DEGREE:
      g_value_set_boolean (value, self->size_by_degree);
      break;

    case PROP_SHOW_LABELS:
      g_value_set_boolean (value, self->show_labels);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_canvas_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PhiliaCanvas *self = PHILIA_CANVAS (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      philia_canvas_set_graph (self, g_value_get_object (value));
      break;

    case PROP_LAYOUT:
      philia_canvas_set_layout (self, g_value_get_string (value));
      break;

    case PROP_COLOR_BY:
      /* Value and category colourings come with their layer: show_node_layer(). */
      if (g_value_get_enum (value) < PHILIA_COLOR_BY_VALUE)
        philia_canvas_set_color_by (self, g_value_get_enum (value));
      break;

    case PROP_EDGE_STYLE:
      philia_canvas_set_edge_style (self, g_value_get_enum (value));
      break;

    case PROP_DOCUMENT:
      philia_canvas_set_document (self, g_value_get_object (value));
      break;

    case PROP_SIZE_BY_DEGREE:
      if (self->size_by_degree != g_value_get_boolean (value))
        {
          self->size_by_degree = g_value_get_boolean (value);
          _philia_canvas_update_view (self);
          _philia_canvas_invalidate_frame (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_SHOW_LABELS:
      if (self->show_labels != g_value_get_boolean (value))
        {
          self->show_labels = g_value_get_boolean (value);
          _philia_canvas_update_view (self);
          _philia_canvas_invalidate_frame (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_canvas_class_init (PhiliaCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_canvas_dispose;
  object_class->finalize = philia_canvas_finalize;
  object_class->get_property = philia_canvas_get_property;
  object_class->set_property = philia_canvas_set_property;

  widget_class->measure = _philia_canvas_measure;
  widget_class->size_allocate = _philia_canvas_size_allocate;
  widget_class->css_changed = philia_canvas_css_changed;

  _philia_canvas_properties[PROP_GRAPH] =
    g_param_spec_object ("graph", NULL, NULL, PHILIA_TYPE_GRAPH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _philia_canvas_properties[PROP_LAYOUT] =
    g_param_spec_string ("layout", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _philia_canvas_properties[PROP_COLOR_BY] =
    g_param_spec_enum ("color-by", NULL, NULL, PHILIA_TYPE_COLOR_BY, PHILIA_COLOR_BY_LABEL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _philia_canvas_properties[PROP_EDGE_STYLE] =
    g_param_spec_enum ("edge-style", NULL, NULL, PHILIA_TYPE_EDGE_STYLE, PHILIA_EDGES_HOMOPHILY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _philia_canvas_properties[PROP_SIZE_BY_DEGREE] =
    g_param_spec_boolean ("size-by-degree", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _philia_canvas_properties[PROP_SHOW_LABELS] =
    g_param_spec_boolean ("show-labels", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PhiliaCanvas:busy:
   *
   * A layout is being computed on a worker.
   */
  _philia_canvas_properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PhiliaCanvas:document:
   *
   * The analysis the canvas shows and edits (philia_canvas_set_document()).
   */
  _philia_canvas_properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, PHILIA_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, _philia_canvas_properties);

  /**
   * PhiliaCanvas::select-nodes:
   * @nodes: (array length=n_nodes): node ids of the graph, ascending, or %NULL
   * @n_nodes: how many
   *
   * The user selected nodes on the canvas (none: cleared).
   */
  _philia_canvas_signals[SELECT_NODES] =
    g_signal_new ("select-nodes", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);

  g_type_ensure (PHILIA_TYPE_GRAPH_AREA);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-canvas.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, header);
  gtk_widget_class_bind_template_child_full (widget_class, "area", FALSE,
                                             G_STRUCT_OFFSET (PhiliaCanvas, area_child));
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, layout_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, color_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, edges_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, size_toggle);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, labels_toggle);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, hops_spin);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, ego_button);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, whole_button);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, find_entry);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, progress_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, toolbar);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, tools_box);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, export_button);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, more_button);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, find_revealer);
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, find_status);
  gtk_widget_class_bind_template_callback (widget_class, _philia_canvas_on_find_activate);
  gtk_widget_class_bind_template_callback (widget_class, _philia_canvas_on_find_changed);

  gtk_widget_class_install_action (widget_class, "canvas.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "canvas.fit", NULL, fit_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-to-selection", NULL,
                                   zoom_to_selection_action);
  gtk_widget_class_install_action (widget_class, "canvas.clear-selection", NULL,
                                   clear_selection_action);
  gtk_widget_class_install_action (widget_class, "canvas.select-node", "x", select_node_action);
  gtk_widget_class_install_action (widget_class, "canvas.neighbourhood", NULL,
                                   neighbourhood_action);
  gtk_widget_class_install_action (widget_class, "canvas.whole-graph", NULL, whole_graph_action);
  gtk_widget_class_install_action (widget_class, "canvas.cancel-layout", NULL,
                                   cancel_layout_action);
  gtk_widget_class_install_action (widget_class, "canvas.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "canvas.export-view", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "canvas.export-whole", NULL, export_action);
  /* For the toolbar's "more" menu, which holds the display options when narrow. */
  gtk_widget_class_install_property_action (widget_class, "canvas.edge-style", "edge-style");
  gtk_widget_class_install_property_action (widget_class, "canvas.size-by-degree",
                                            "size-by-degree");
  gtk_widget_class_install_property_action (widget_class, "canvas.show-labels", "show-labels");

  /* The view keys (+, -, 0, arrows, Escape) are the graph area's, the focus
   * stop of the page; Ctrl+F works from anywhere in it. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "canvas.find", NULL);

  gtk_widget_class_set_css_name (widget_class, "philiacanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
on_area_nodes_moved (PhiliaGraphArea *area,
                     const guint     *nodes,
                     const double    *xy,
                     guint            n_nodes,
                     PhiliaCanvas    *self)
{
  if (self->document != NULL)
    philia_document_move_nodes (self->document, nodes, xy, n_nodes);
}

static void
on_area_selection_requested (PhiliaGraphArea *area,
                             GArray          *nodes,
                             PhiliaCanvas    *self)
{
  _philia_canvas_select_nodes (self, nodes);
}

static void
on_area_view_changed (PhiliaGraphArea *area,
                      PhiliaCanvas    *self)
{
  _philia_canvas_schedule_zoom_write (self);
}

static void
philia_canvas_init (PhiliaCanvas *self)
{
  self->algorithms = g_ptr_array_new_with_free_func (g_free);
  self->selection = g_array_new (FALSE, FALSE, sizeof (guint));
  self->layers = g_ptr_array_new_with_free_func ((GDestroyNotify) _philia_canvas_node_layer_free);
  self->hl_nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  self->hl_path = g_array_new (FALSE, FALSE, sizeof (guint));
  self->show_labels = TRUE;
  _philia_figure_exporter_init (&self->exporter, GTK_WIDGET (self), 480, 360,
                                describe_export, write_export,
                                N_("Could not export the graph"));
  philia_render_style_init_default (&self->style);
  self->style.background = (PhiliaRgba) { 0, 0, 0, 0 };
  self->canvas_bg = (PhiliaRgba) { 1, 1, 1, 1 };

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The view transform lives in the area: held until finalize, so the page
   * can drop what it shows after its template is gone. */
  self->area = g_object_ref (PHILIA_GRAPH_AREA (self->area_child));
  self->area->view.color_by = PHILIA_COLOR_BY_LABEL;
  self->area->view.edge_style = PHILIA_EDGES_HOMOPHILY;
  _philia_graph_area_set_canvas (self->area, self);
  _philia_canvas_init_toolbar (self);
  _philia_canvas_init_overlay_list (self);

  _philia_canvas_fill_layout_dropdown (self);
  g_signal_connect (self->layout_dropdown, "notify::selected",
                    G_CALLBACK (_philia_canvas_on_layout_selected), self);
  g_signal_connect (self->color_dropdown, "notify::selected",
                    G_CALLBACK (_philia_canvas_on_color_selected), self);
  g_signal_connect (self->edges_dropdown, "notify::selected",
                    G_CALLBACK (_philia_canvas_on_edges_selected), self);
  g_object_bind_property (self->size_toggle, "active", self, "size-by-degree",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->labels_toggle, "active", self, "show-labels",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  /* The area says what the user did; the page makes it the document's. */
  g_signal_connect_object (self->area, "nodes-moved", G_CALLBACK (on_area_nodes_moved), self, 0);
  g_signal_connect_object (self->area, "selection-requested",
                           G_CALLBACK (on_area_selection_requested), self, 0);
  g_signal_connect_object (self->area, "view-changed", G_CALLBACK (on_area_view_changed), self,
                           0);

  _philia_canvas_set_busy (self, NULL);
  _philia_canvas_update_actions (self);
}

GtkWidget *
philia_canvas_new (void)
{
  return g_object_new (PHILIA_TYPE_CANVAS, NULL);
}

/**
 * philia_canvas_get_graph_area:
 *
 * Returns: (transfer none): the drawing area below the toolbar, which holds
 * the pointer controllers (philia_graph_area_get_drag_gesture()).
 */
PhiliaGraphArea *
philia_canvas_get_graph_area (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), NULL);

  return self->area;
}

PhiliaGraph *
philia_canvas_get_graph (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), NULL);

  return self->graph;
}

/**
 * philia_canvas_set_graph:
 * @graph: (nullable): the dataset to draw
 *
 * Shows @graph with the default layout for its size, or its cached one. A
 * layout still running for the previous graph is cancelled. Local homophily
 * is computed here (O(n + m)) for colouring and tooltips.
 */
void
philia_canvas_set_graph (PhiliaCanvas *self,
                         PhiliaGraph  *graph)
{

  g_return_if_fail (PHILIA_IS_CANVAS (self));
  g_return_if_fail (graph == NULL || PHILIA_IS_GRAPH (graph));

  /* With a document the graph is the document's: a window handing it on too
   * (new splits) must not reset what the document keeps. */
  if (self->document != NULL && !self->syncing)
    {
      if (graph == philia_document_get_graph (self->document))
        _philia_canvas_sync_document (self);
      return;
    }
  if (self->graph == graph)
    return;

  _philia_canvas_cancel_layout (self);
  _philia_canvas_clear_ego (self);
  self->positions = NULL;
  g_set_object (&self->graph, graph);
  g_clear_pointer (&self->local_homophily, g_free);
  g_clear_pointer (&self->local_chance, g_free);
  self->n_local_chance = 0;
  g_array_set_size (self->selection, 0);
  _philia_graph_area_update_description (self->area);
  _philia_canvas_drop_overlays (self);

  if (graph != NULL)
    {
      g_free (self->algorithm);
      self->algorithm = _philia_default_layout_for (graph);
      g_signal_handlers_block_by_func (self->layout_dropdown, _philia_canvas_on_layout_selected,
                                       self);
      _philia_canvas_select_algorithm_in_dropdown (self);
      g_signal_handlers_unblock_by_func (self->layout_dropdown, _philia_canvas_on_layout_selected,
                                         self);
      g_object_notify_by_pspec (G_OBJECT (self), _philia_canvas_properties[PROP_LAYOUT]);
    }

  _philia_canvas_update_selected_flags (self);
  _philia_canvas_update_overlays (self);
  _philia_canvas_update_view (self);
  _philia_canvas_request_layout (self);
  _philia_canvas_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), _philia_canvas_properties[PROP_GRAPH]);
}

PhiliaColorBy
philia_canvas_get_color_by (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), PHILIA_COLOR_BY_LABEL);

  return self->area->view.color_by;
}

void
philia_canvas_set_color_by (PhiliaCanvas  *self,
                            PhiliaColorBy  color_by)
{
  g_return_if_fail (PHILIA_IS_CANVAS (self));
  g_return_if_fail (color_by < PHILIA_COLOR_BY_VALUE);

  if (self->document != NULL && !self->syncing)
    {
      _philia_canvas_write_view (self, philia_color_by_to_string (color_by), NULL);
      return;
    }
  if (self->area->view.color_by == color_by && self->active_layer == NULL)
    return;
  self->area->view.color_by = color_by;
  self->active_layer = NULL;
  _philia_canvas_update_overlays (self);
  _philia_canvas_update_view (self);
  g_signal_handlers_block_by_func (self->color_dropdown, _philia_canvas_on_color_selected, self);
  gtk_drop_down_set_selected (self->color_dropdown,
                              color_by == PHILIA_COLOR_BY_LABEL ? 0
                              : color_by == PHILIA_COLOR_BY_LOCAL_HOMOPHILY ? 1 : 2);
  g_signal_handlers_unblock_by_func (self->color_dropdown, _philia_canvas_on_color_selected, self);
  _philia_canvas_invalidate_frame (self);
  g_object_notify_by_pspec (G_OBJECT (self), _philia_canvas_properties[PROP_COLOR_BY]);
}

PhiliaEdgeStyle
philia_canvas_get_edge_style (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), PHILIA_EDGES_HOMOPHILY);

  return self->area->view.edge_style;
}

void
philia_canvas_set_edge_style (PhiliaCanvas    *self,
                              PhiliaEdgeStyle  edge_style)
{
  g_return_if_fail (PHILIA_IS_CANVAS (self));
  g_return_if_fail (edge_style <= PHILIA_EDGES_VALUE);

  /* Edge values are only there when a panel has put some on the canvas. */
  if (edge_style == PHILIA_EDGES_VALUE && self->edge_layer == NULL)
    edge_style = PHILIA_EDGES_HOMOPHILY;
  if (self->document != NULL && !self->syncing)
    {
      _philia_canvas_write_view (self, NULL, philia_edge_style_to_string (edge_style));
      return;
    }
  if (self->area->view.edge_style == edge_style)
    return;
  self->area->view.edge_style = edge_style;
  g_signal_handlers_block_by_func (self->edges_dropdown, _philia_canvas_on_edges_selected, self);
  gtk_drop_down_set_selected (self->edges_dropdown,
                              edge_style == PHILIA_EDGES_HOMOPHILY ? 0
                              : edge_style == PHILIA_EDGES_PLAIN ? 1
                              : edge_style == PHILIA_EDGES_HIDDEN ? 2 : N_BUILTIN_EDGE_STYLES);
  g_signal_handlers_unblock_by_func (self->edges_dropdown, _philia_canvas_on_edges_selected, self);
  _philia_canvas_invalidate_frame (self);
  g_object_notify_by_pspec (G_OBJECT (self), _philia_canvas_properties[PROP_EDGE_STYLE]);
}

/**
 * philia_canvas_set_selection:
 * @nodes: (array length=n_nodes) (nullable): node ids of the graph
 *
 * Highlights @nodes (from the window's selection). Does not emit
 * #PhiliaCanvas::select-nodes. O(n) for the whole graph.
 */
void
philia_canvas_set_selection (PhiliaCanvas *self,
                             const guint  *nodes,
                             guint         n_nodes)
{
  g_return_if_fail (PHILIA_IS_CANVAS (self));
  g_return_if_fail (nodes != NULL || n_nodes == 0);

  if (self->selection->len == n_nodes
      && (n_nodes == 0 || memcmp (self->selection->data, nodes, n_nodes * sizeof (guint)) == 0))
    return;

  g_array_set_size (self->selection, 0);
  if (n_nodes > 0)
    g_array_append_vals (self->selection, nodes, n_nodes);
  _philia_canvas_update_selected_flags (self);
  _philia_canvas_update_actions (self);
  _philia_graph_area_update_description (self->area);
}

const guint *
philia_canvas_get_selection (PhiliaCanvas *self,
                             guint        *n_nodes)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), NULL);

  if (n_nodes != NULL)
    *n_nodes = self->selection->len;
  return self->selection->len > 0 ? (const guint *) self->selection->data : NULL;
}

/**
 * philia_canvas_find_node:
 * @name_or_id: a node name or id, as philia_graph_find_node() takes
 *
 * Selects the node and centres the view on it; leaves a neighbourhood that
 * does not contain it.
 *
 * Returns: whether the node exists.
 */
gboolean
philia_canvas_find_node (PhiliaCanvas *self,
                         const char   *name_or_id)
{
  g_autoptr(GArray) nodes = NULL;
  g_autofree char *text = NULL;
  gint64 node, v;
  guint id;

  g_return_val_if_fail (PHILIA_IS_CANVAS (self), FALSE);
  g_return_val_if_fail (name_or_id != NULL, FALSE);

  if (self->graph == NULL)
    return FALSE;
  text = g_strstrip (g_strdup (name_or_id));
  node = philia_graph_find_node (self->graph, text);
  if (node < 0)
    return FALSE;

  id = (guint) node;
  nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_val (nodes, id);

  if (_philia_canvas_original_to_shown (self, id) < 0)
    philia_canvas_show_whole_graph (self);
  _philia_canvas_select_nodes (self, nodes);

  v = _philia_canvas_original_to_shown (self, id);
  if (v >= 0 && self->positions != NULL && !self->area->need_fit)
    _philia_canvas_centre_on (self, (guint) v);
  return TRUE;
}
