/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-canvas.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "philia-app-private.h"
#include "philia-run-overlay.h"
#include "philia-window.h"

#define LAYOUT_SEED        42
#define LAYOUTS_KEY        "philia-canvas-layouts"
#define FIT_MARGIN         24.0
#define HIT_RADIUS         8.0
#define SETTLE_MS          150
/* Above this many nodes + edges, pans and zooms move a picture of the last
 * full frame and the full redraw waits until the motion stops. */
#define CACHED_FRAME_SIZE  20000
#define MAX_ZOOM           400.0
#define MIN_ZOOM           0.05
/* Zoom and pan reach the document once the motion pauses this long. */
#define ZOOM_WRITE_MS      300

typedef enum
{
  DRAG_NONE,
  DRAG_PAN,
  DRAG_RUBBER_BAND,
  DRAG_NODES,       /* moving nodes of the document's current layout */
} DragMode;

typedef struct
{
  char    *id;
  char    *title;
  double  *values;       /* n, or NULL for categories */
  gint32  *categories;   /* n, or NULL for values */
  char   **names;        /* n_categories + 1, NULL-terminated */
  double  *colors;       /* 3 n_categories, or NULL: the class palette */
  guint    n_categories;
  double   vmin;
  double   vmax;
} NodeLayer;

static void
node_layer_free (NodeLayer *layer)
{
  g_free (layer->id);
  g_free (layer->title);
  g_free (layer->values);
  g_free (layer->categories);
  g_strfreev (layer->names);
  g_free (layer->colors);
  g_free (layer);
}

struct _PhiliaCanvas
{
  GtkWidget             parent_instance;

  /* Template widgets */
  GtkWidget            *header;
  GtkDropDown          *layout_dropdown;
  GtkDropDown          *color_dropdown;
  GtkDropDown          *edges_dropdown;
  GtkCheckButton       *size_toggle;
  GtkCheckButton       *labels_toggle;
  GtkSpinButton        *hops_spin;
  GtkMenuButton        *ego_button;
  GtkWidget            *whole_button;
  GtkSearchEntry       *find_entry;
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;

  /* Owned */
  PhiliaDocument       *document;        /* what the canvas shows and edits, or NULL */
  char                 *doc_layout;      /* name of the document layout on show */
  guint                 zoom_write_id;
  double               *drag_positions;  /* the layout while nodes are dragged */
  GArray               *drag_nodes;      /* guint, the nodes a drag moves */
  PhiliaGraph          *graph;
  GPtrArray            *algorithms;      /* ids, in drop-down order */
  char                 *algorithm;
  double               *local_homophily; /* n values of @graph */
  double               *local_chance;    /* its chance level per class */
  guint                 n_local_chance;
  GArray               *selection;       /* original node ids, ascending */
  GCancellable         *layout_cancellable;
  PhiliaProgress       *progress;
  GBinding             *progress_binding;
  guint                 layout_serial;

  PhiliaGraph          *ego_graph;       /* the neighbourhood on show, or NULL */
  guint                *ego_nodes;       /* ego vertex → original id */
  double               *ego_positions;
  double               *ego_values;      /* local homophily of the original graph */
  guint                 ego_root;

  guint8               *selected;        /* flags per shown node */
  guint                 n_selected_flags;

  /* Overlays other panels put on the graph (original node ids / CSR entries) */
  GPtrArray            *layers;          /* NodeLayer*, in menu order */
  NodeLayer            *active_layer;    /* colouring now, or NULL for a built-in */
  double               *edge_layer;      /* 2m values, both entries of an edge equal */
  char                 *edge_layer_title;
  double                edge_layer_min;
  double                edge_layer_max;
  gboolean              edge_layer_width;
  PhiliaEdgeColormap    edge_layer_colormap;
  gboolean              edge_layer_log;
  double                edge_layer_mark;
  char                 *edge_layer_mark_label;
  char                 *edge_layer_overlay;  /* the view's attention overlay the edges are */
  GArray               *hl_nodes;        /* guint */
  GArray               *hl_path;         /* guint */
  guint                 hl_pair[2];
  gboolean              hl_has_pair;
  /* …and the same indexed by the shown graph (borrowed when it is the whole graph) */
  double               *shown_values;
  gint32               *shown_categories;
  double               *shown_edges;
  guint8               *shown_highlight;
  guint                *shown_path;
  guint                 n_shown_path;
  guint                 shown_pair[2];
  gboolean              shown_has_pair;
  gboolean              shown_owned;     /* shown_values/_categories/_edges are copies */

  PhiliaFigureExporter  exporter;
  gboolean              export_whole;

  char                 *font_family;
  PhiliaRenderStyle     style;
  PhiliaRgba            canvas_bg;

  GdkTexture           *frame;           /* last full frame, for large graphs */
  double                frame_scale;
  double                frame_offset_x;
  double                frame_offset_y;
  int                   frame_width;
  int                   frame_height;
  guint                 settle_id;
  guint                 moving : 1;

  /* Borrowed: the positions of the shown graph (cache or ego) */
  const double         *positions;

  /* The view transform; graph coordinates → area pixels */
  PhiliaGraphView       view;
  double                fit_scale;
  guint                 need_fit : 1;
  guint                 busy : 1;
  guint                 size_by_degree : 1;
  guint                 show_labels : 1;

  /* Pointer state */
  double                pointer_x;
  double                pointer_y;
  DragMode              drag_mode;
  double                drag_start_x;
  double                drag_start_y;
  double                drag_offset_x;
  double                drag_offset_y;
  double                drag_dx;
  double                drag_dy;
  double                pinch_scale;
  int                   area_y;
  int                   last_width;
  int                   last_height;
  guint                 drag_claimed : 1;
  guint                 syncing : 1;     /* applying the document: do not write back */
};

G_DEFINE_FINAL_TYPE (PhiliaCanvas, philia_canvas, GTK_TYPE_WIDGET)

/* Built-in entries of the colour and edge drop-downs, before the layers. */
#define N_BUILTIN_COLORINGS 3
#define N_BUILTIN_EDGE_STYLES 3

enum {
  PROP_0,
  PROP_GRAPH,
  PROP_LAYOUT,
  PROP_COLOR_BY,
  PROP_EDGE_STYLE,
  PROP_SIZE_BY_DEGREE,
  PROP_SHOW_LABELS,
  PROP_BUSY,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SELECT_NODES,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void request_layout     (PhiliaCanvas *self);
static void on_color_selected  (GtkDropDown  *dropdown,
                                GParamSpec   *pspec,
                                PhiliaCanvas *self);
static void on_edges_selected  (GtkDropDown  *dropdown,
                                GParamSpec   *pspec,
                                PhiliaCanvas *self);
static void schedule_zoom_write (PhiliaCanvas *self);
static void apply_document_zoom (PhiliaCanvas *self);
static void write_view         (PhiliaCanvas *self,
                                const char   *color_by,
                                const char   *edge_style);
static const char *layout_name (const char   *algorithm);
static void sync_document      (PhiliaCanvas *self);
static void sync_layout        (PhiliaCanvas *self);
static void apply_color_by     (PhiliaCanvas *self,
                                PhiliaColorBy color_by);
static void apply_edge_style   (PhiliaCanvas *self,
                                PhiliaEdgeStyle edge_style);
static gboolean apply_node_layer (PhiliaCanvas *self,
                                  const char   *id);
static NodeLayer *find_layer   (PhiliaCanvas *self,
                                const char   *id,
                                guint        *index);
static void add_layer          (PhiliaCanvas *self,
                                NodeLayer    *layer);

/* Shown graph and helpers */

static PhiliaGraph *
shown_graph (PhiliaCanvas *self)
{
  return self->ego_graph != NULL ? self->ego_graph : self->graph;
}

static guint
shown_to_original (PhiliaCanvas *self,
                   guint         v)
{
  return self->ego_nodes != NULL ? self->ego_nodes[v] : v;
}

static gint64
original_to_shown (PhiliaCanvas *self,
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

static double
area_width (PhiliaCanvas *self)
{
  return gtk_widget_get_width (GTK_WIDGET (self));
}

static double
area_height (PhiliaCanvas *self)
{
  return MAX (0, gtk_widget_get_height (GTK_WIDGET (self)) - self->area_y);
}

static gboolean
is_large (PhiliaCanvas *self)
{
  PhiliaGraph *graph = shown_graph (self);

  return graph != NULL
         && philia_graph_get_n_nodes (graph) + philia_graph_get_n_edges (graph) > CACHED_FRAME_SIZE;
}

static void
update_view (PhiliaCanvas *self)
{
  PhiliaGraph *graph = shown_graph (self);

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

static void
invalidate_frame (PhiliaCanvas *self)
{
  g_clear_object (&self->frame);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Rebuilds the per-node flags from the selection: on selection or shown-graph changes. */
static void
update_selected_flags (PhiliaCanvas *self)
{
  PhiliaGraph *graph = shown_graph (self);
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
  update_view (self);
  invalidate_frame (self);
}

/* Rebuilds the overlays indexed by the shown graph: on overlay or shown-graph changes. */
static void
update_overlays (PhiliaCanvas *self)
{
  PhiliaGraph *graph = shown_graph (self);
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
          gint64 v = original_to_shown (self, g_array_index (self->hl_nodes, guint, i));

          if (v >= 0)
            self->shown_highlight[v] = 1;
        }
    }
  if (self->hl_path->len > 1)
    {
      self->shown_path = g_new (guint, self->hl_path->len);
      for (guint i = 0; i < self->hl_path->len; i++)
        {
          gint64 v = original_to_shown (self, g_array_index (self->hl_path, guint, i));

          /* A path leaving the neighbourhood is cut where it leaves. */
          if (v < 0)
            break;
          self->shown_path[self->n_shown_path++] = (guint) v;
        }
    }
  if (self->hl_has_pair)
    {
      gint64 a = original_to_shown (self, self->hl_pair[0]);
      gint64 b = original_to_shown (self, self->hl_pair[1]);

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
static void
drop_overlays (PhiliaCanvas *self)
{
  GtkStringList *colors = GTK_STRING_LIST (gtk_drop_down_get_model (self->color_dropdown));
  GtkStringList *edges = GTK_STRING_LIST (gtk_drop_down_get_model (self->edges_dropdown));
  guint n_colors = g_list_model_get_n_items (G_LIST_MODEL (colors));
  guint n_edges = g_list_model_get_n_items (G_LIST_MODEL (edges));

  if (self->active_layer != NULL)
    {
      self->active_layer = NULL;
      self->view.color_by = PHILIA_COLOR_BY_LABEL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR_BY]);
    }
  if (self->view.edge_style == PHILIA_EDGES_VALUE)
    {
      self->view.edge_style = PHILIA_EDGES_HOMOPHILY;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDGE_STYLE]);
    }
  g_signal_handlers_block_by_func (self->color_dropdown, on_color_selected, self);
  g_signal_handlers_block_by_func (self->edges_dropdown, on_edges_selected, self);
  if (n_colors > N_BUILTIN_COLORINGS)
    gtk_string_list_splice (colors, N_BUILTIN_COLORINGS, n_colors - N_BUILTIN_COLORINGS, NULL);
  if (n_edges > N_BUILTIN_EDGE_STYLES)
    gtk_string_list_splice (edges, N_BUILTIN_EDGE_STYLES, n_edges - N_BUILTIN_EDGE_STYLES, NULL);
  gtk_drop_down_set_selected (self->color_dropdown,
                              self->view.color_by == PHILIA_COLOR_BY_LOCAL_HOMOPHILY ? 1
                              : self->view.color_by == PHILIA_COLOR_BY_DEGREE ? 2 : 0);
  gtk_drop_down_set_selected (self->edges_dropdown,
                              self->view.edge_style == PHILIA_EDGES_PLAIN ? 1
                              : self->view.edge_style == PHILIA_EDGES_HIDDEN ? 2 : 0);
  g_signal_handlers_unblock_by_func (self->edges_dropdown, on_edges_selected, self);
  g_signal_handlers_unblock_by_func (self->color_dropdown, on_color_selected, self);

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
  update_overlays (self);
}

static int
compare_guint (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* Sets the selection from the user's gesture and tells the window. */
static void
select_nodes (PhiliaCanvas *self,
              GArray       *nodes)
{
  g_array_sort (nodes, compare_guint);
  /* The document keeps the selection (saved with the project); its
   * "changed" comes back here through philia_canvas_set_selection(). */
  if (self->document != NULL)
    philia_document_set_selection (self->document, (const guint *) nodes->data, nodes->len);
  philia_canvas_set_selection (self, (const guint *) nodes->data, nodes->len);
  g_signal_emit (self, signals[SELECT_NODES], 0,
                 nodes->len > 0 ? nodes->data : NULL, nodes->len);
}

/* Style */

/* Theme colours are read once per style change, not per frame. */
static void
update_style (PhiliaCanvas *self)
{
  /* The legend box takes the canvas colour: the style's background is transparent. */
  _philia_widget_get_style (GTK_WIDGET (self), 1.0, &self->style, &self->font_family);
  /* The canvas is a document, like a text view: the view background. */
  if (!_philia_widget_lookup_color (GTK_WIDGET (self), "view_bg_color", "theme_base_color",
                                    &self->canvas_bg))
    self->canvas_bg = (PhiliaRgba) { 1, 1, 1, 1 };
}

static void
philia_canvas_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);

  GTK_WIDGET_CLASS (philia_canvas_parent_class)->css_changed (widget, change);

  update_style (self);
  invalidate_frame (self);
}

/* View transform */

static void
fit (PhiliaCanvas *self)
{
  double w = area_width (self), h = area_height (self);

  if (self->positions == NULL || shown_graph (self) == NULL)
    return;
  if (w <= 1 || h <= 1)
    {
      self->need_fit = TRUE;
      return;
    }
  update_view (self);
  philia_graph_view_fit (&self->view, w, h, FIT_MARGIN);
  self->fit_scale = self->view.scale;
  self->need_fit = FALSE;
  apply_document_zoom (self);
  invalidate_frame (self);
}

static void
settle (PhiliaCanvas *self)
{
  self->moving = FALSE;
  invalidate_frame (self);
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
  schedule_zoom_write (self);
  if (is_large (self) && self->frame != NULL)
    {
      self->moving = TRUE;
      g_clear_handle_id (&self->settle_id, g_source_remove);
      self->settle_id = g_timeout_add (SETTLE_MS, settle_cb, self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else
    invalidate_frame (self);
}

static void
zoom_at (PhiliaCanvas *self,
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

static void
centre_on (PhiliaCanvas *self,
           guint         v)
{
  self->view.offset_x = area_width (self) / 2 - self->positions[2 * v] * self->view.scale;
  self->view.offset_y = area_height (self) / 2 - self->positions[2 * v + 1] * self->view.scale;
  invalidate_frame (self);
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

static void
destroy_surface (gpointer data)
{
  cairo_surface_destroy (data);
}

/* Renders a full frame into a texture, which pans and zooms then move. */
static GdkTexture *
render_frame (PhiliaCanvas *self,
              int           width,
              int           height)
{
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  cairo_surface_t *surface;
  g_autoptr(GBytes) bytes = NULL;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * sf, height * sf);
  cairo_surface_set_device_scale (surface, sf, sf);
  cr = cairo_create (surface);
  draw_graph (self, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * height * sf,
                                      destroy_surface, surface);
  return gdk_memory_texture_new (width * sf, height * sf, GDK_MEMORY_DEFAULT, bytes,
                                 cairo_image_surface_get_stride (surface));
}

static void
philia_canvas_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);
  int width = gtk_widget_get_width (widget);
  int height = (int) area_height (self);

  update_view (self);

  if (width > 0 && height > 0)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, self->area_y));
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

      if (!is_large (self))
        {
          cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
                                                   &GRAPHENE_RECT_INIT (0, 0, width, height));

          draw_graph (self, cr, width, height);
          cairo_destroy (cr);
        }
      else if (self->moving && self->frame != NULL)
        {
          /* The cached frame, moved from the transform it was drawn with to this one. */
          double r = self->view.scale / self->frame_scale;

          gtk_snapshot_append_color (snapshot,
                                     &(GdkRGBA) { self->canvas_bg.r, self->canvas_bg.g,
                                                  self->canvas_bg.b, self->canvas_bg.a },
                                     &GRAPHENE_RECT_INIT (0, 0, width, height));
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot,
                                  &GRAPHENE_POINT_INIT (self->view.offset_x
                                                        - self->frame_offset_x * r,
                                                        self->view.offset_y
                                                        - self->frame_offset_y * r));
          gtk_snapshot_scale (snapshot, r, r);
          gtk_snapshot_append_texture (snapshot, self->frame,
                                       &GRAPHENE_RECT_INIT (0, 0, self->frame_width,
                                                            self->frame_height));
          gtk_snapshot_restore (snapshot);
        }
      else
        {
          if (self->frame == NULL || self->frame_width != width || self->frame_height != height)
            {
              g_clear_object (&self->frame);
              self->frame = render_frame (self, width, height);
              self->frame_scale = self->view.scale;
              self->frame_offset_x = self->view.offset_x;
              self->frame_offset_y = self->view.offset_y;
              self->frame_width = width;
              self->frame_height = height;
            }
          gtk_snapshot_append_texture (snapshot, self->frame,
                                       &GRAPHENE_RECT_INIT (0, 0, width, height));
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

  gtk_widget_snapshot_child (widget, self->header, snapshot);
}

static void
philia_canvas_measure (GtkWidget      *widget,
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

static void
philia_canvas_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);
  int min_width, header_height;
  int old_width = self->last_width, old_height = self->last_height;

  gtk_widget_measure (self->header, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (self->header, GTK_ORIENTATION_VERTICAL, MAX (width, min_width),
                      &header_height, NULL, NULL, NULL);
  gtk_widget_size_allocate (self->header,
                            &(GtkAllocation) { 0, 0, MAX (width, min_width), header_height }, -1);

  /* Keep the centre of the view where it was when the area changes size. */
  if (!self->need_fit && old_width > 0 && old_height > 0)
    {
      self->view.offset_x += (width - old_width) / 2.0;
      self->view.offset_y += (height - header_height - old_height) / 2.0;
    }
  self->area_y = header_height;
  self->last_width = width;
  self->last_height = MAX (0, height - header_height);
  if (self->need_fit)
    fit (self);
  /* Any relayout of the window (a label in a side panel) allocates the canvas
   * again; only a new size makes the cached frame stale. */
  if (self->need_fit || width != old_width || self->last_height != old_height)
    g_clear_object (&self->frame);
}

/* Layouts */

typedef struct
{
  PhiliaCanvas *self;
  PhiliaGraph  *graph;
  char         *algorithm;
  guint         serial;
  gboolean      ego;
  gboolean      initial;   /* the automatic first layout of a document */
} LayoutRequest;

static void
layout_request_free (LayoutRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->graph);
  g_free (request->algorithm);
  g_free (request);
}

static GHashTable *
layout_cache (PhiliaGraph *graph,
              gboolean     create)
{
  GHashTable *cache = g_object_get_data (G_OBJECT (graph), LAYOUTS_KEY);

  /* The cache lives on the graph, so positions go when the dataset does. */
  if (cache == NULL && create)
    {
      cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_object_set_data_full (G_OBJECT (graph), LAYOUTS_KEY, cache,
                              (GDestroyNotify) g_hash_table_unref);
    }
  return cache;
}

static void
set_busy (PhiliaCanvas *self,
          const char   *message)
{
  gboolean busy = message != NULL;

  if (busy)
    gtk_label_set_text (self->progress_label, message);
  gtk_revealer_set_reveal_child (self->progress_revealer, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.cancel-layout", busy);
  if (self->busy != busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

static void
stop_layout (PhiliaCanvas *self)
{
  if (self->layout_cancellable != NULL)
    g_cancellable_cancel (self->layout_cancellable);
  g_clear_object (&self->layout_cancellable);
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  g_clear_object (&self->progress);
  self->layout_serial++;
}

static void
cancel_layout (PhiliaCanvas *self)
{
  stop_layout (self);
  set_busy (self, NULL);
}

static void
update_actions (PhiliaCanvas *self)
{
  gboolean have = self->positions != NULL && shown_graph (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.fit", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-in", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-out", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-to-selection",
                                 have && self->selection->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.neighbourhood",
                                 self->graph != NULL && self->selection->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.export-view", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.export-whole", have);
  gtk_widget_set_visible (self->whole_button, self->ego_graph != NULL);
}

static void
layout_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  LayoutRequest *request = user_data;
  PhiliaCanvas *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autofree double *positions = NULL;
  const double *cached = NULL;

  positions = philia_layout_compute_finish (result, &error);

  /* With a document, a finished whole-graph layout is a step of the
   * document's, and the canvas draws it when the document says it changed. */
  if (positions != NULL && !request->ego && self->document != NULL
      && request->graph == philia_document_get_graph (self->document))
    {
      if (request->serial == self->layout_serial)
        {
          g_clear_pointer (&self->progress_binding, g_binding_unbind);
          g_clear_object (&self->progress);
          g_clear_object (&self->layout_cancellable);
          set_busy (self, NULL);
          /* The first layout of a document just opened is what it opens
           * with, not a step to undo; one the user asked for is a step. */
          if (request->initial && philia_document_get_n_layouts (self->document) == 0)
            philia_document_set_initial_layout (self->document, layout_name (request->algorithm),
                                                request->algorithm, LAYOUT_SEED,
                                                g_steal_pointer (&positions));
          else
            philia_document_add_layout (self->document, layout_name (request->algorithm),
                                        request->algorithm, LAYOUT_SEED,
                                        g_steal_pointer (&positions));
        }
      layout_request_free (request);
      return;
    }

  /* Whole-graph positions go to the graph's cache even when superseded, so
   * switching back is instant; the first result for a key stays, as the
   * canvas may already be drawing it. */
  if (positions != NULL && !request->ego)
    {
      GHashTable *cache = layout_cache (request->graph, TRUE);

      if (!g_hash_table_contains (cache, request->algorithm))
        g_hash_table_insert (cache, g_strdup (request->algorithm), g_steal_pointer (&positions));
      cached = g_hash_table_lookup (cache, request->algorithm);
    }

  if (request->serial == self->layout_serial)
    {
      g_clear_pointer (&self->progress_binding, g_binding_unbind);
      g_clear_object (&self->progress);
      g_clear_object (&self->layout_cancellable);
      set_busy (self, NULL);

      if (error != NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

              if (PHILIA_IS_WINDOW (root))
                philia_window_show_error (PHILIA_WINDOW (root), error->message);
              else
                g_message ("Layout failed: %s", error->message);
            }
        }
      else if (request->ego)
        {
          if (request->graph == self->ego_graph)
            {
              g_free (self->ego_positions);
              self->ego_positions = g_steal_pointer (&positions);
              self->positions = self->ego_positions;
              fit (self);
            }
        }
      else if (request->graph == self->graph && self->ego_graph == NULL)
        {
          self->positions = cached;
          fit (self);
        }
      update_actions (self);
    }

  layout_request_free (request);
}

/* Returns the request in flight (owned by the worker's callback). */
static LayoutRequest *
start_layout (PhiliaCanvas *self,
              PhiliaGraph  *graph,
              const char   *algorithm,
              gboolean      ego)
{
  const PhiliaAlgorithm *info;
  LayoutRequest *request;
  g_autofree char *message = NULL;

  cancel_layout (self);

  info = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_LAYOUT, algorithm);
  /* Translators: %s is a layout's name, e.g. "Fruchterman–Reingold" */
  message = g_strdup_printf (_("Computing the %s layout…"), info ? _(info->name) : algorithm);

  self->layout_cancellable = g_cancellable_new ();
  self->progress = philia_progress_new ();
  self->progress_binding = g_object_bind_property (self->progress, "fraction",
                                                   self->progress_bar, "fraction",
                                                   G_BINDING_SYNC_CREATE);
  set_busy (self, message);

  request = g_new0 (LayoutRequest, 1);
  request->self = g_object_ref (self);
  request->graph = g_object_ref (graph);
  request->algorithm = g_strdup (algorithm);
  request->serial = self->layout_serial;
  request->ego = ego;

  philia_layout_compute_async (graph, algorithm, LAYOUT_SEED, self->progress,
                               self->layout_cancellable, layout_done_cb, request);
  return request;
}

/* Shows the whole graph with the chosen layout: from the cache, or computed on a worker. */
static void
request_layout (PhiliaCanvas *self)
{
  GHashTable *cache;
  const double *positions;

  if (self->graph == NULL || self->ego_graph != NULL)
    return;

  /* The document's layouts replace the cache: one made before is shown, not
   * computed again (setting it current is what the document records). */
  if (self->document != NULL && self->syncing)
    return;   /* sync_layout() decides from the document */
  if (self->document != NULL)
    {
      const PhiliaDocumentLayout *current = philia_document_get_current_layout (self->document);
      const char *name = layout_name (self->algorithm);

      if (current != NULL && g_strcmp0 (current->algorithm, self->algorithm) == 0)
        {
          /* Back from a neighbourhood, say: the document's layout again. */
          cancel_layout (self);
          sync_layout (self);
          return;
        }
      if (philia_document_find_layout (self->document, name) != NULL)
        {
          cancel_layout (self);
          philia_document_set_current_layout (self->document, name);
          return;
        }
      start_layout (self, self->graph, self->algorithm, FALSE);
      return;
    }

  cache = layout_cache (self->graph, FALSE);
  positions = cache != NULL ? g_hash_table_lookup (cache, self->algorithm) : NULL;
  if (positions != NULL)
    {
      cancel_layout (self);
      self->positions = positions;
      fit (self);
      update_actions (self);
      return;
    }

  /* The old drawing stays up (greyed by nothing) until the new positions land. */
  start_layout (self, self->graph, self->algorithm, FALSE);
}

static void
clear_ego (PhiliaCanvas *self)
{
  g_clear_object (&self->ego_graph);
  g_clear_pointer (&self->ego_nodes, g_free);
  g_clear_pointer (&self->ego_positions, g_free);
  g_clear_pointer (&self->ego_values, g_free);
}

static void
select_algorithm_in_dropdown (PhiliaCanvas *self)
{
  for (guint i = 0; i < self->algorithms->len; i++)
    if (g_strcmp0 (self->algorithms->pdata[i], self->algorithm) == 0)
      {
        gtk_drop_down_set_selected (self->layout_dropdown, i);
        return;
      }
}

/* Actions */

static void
pan_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  double dx, dy;

  /* A step is a tenth of the canvas, so it means the same at any size. */
  g_variant_get (parameter, "(dd)", &dx, &dy);
  philia_canvas_pan_by (PHILIA_CANVAS (widget), dx * area_width (PHILIA_CANVAS (widget)) / 10,
                        dy * area_height (PHILIA_CANVAS (widget)) / 10);
}

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

  zoom_at (self, PHILIA_CANVAS_ZOOM_STEP, area_width (self) / 2, area_height (self) / 2);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);

  zoom_at (self, 1 / PHILIA_CANVAS_ZOOM_STEP, area_width (self) / 2, area_height (self) / 2);
}

static void
fit_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);

  /* Fitting is what zoom 1 means: the document forgets the old zoom first. */
  if (self->document != NULL && self->ego_graph == NULL)
    philia_document_set_zoom (self->document, 1, 0, 0);
  fit (self);
}

static void
zoom_to_selection_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);
  PhiliaGraph *graph = shown_graph (self);
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  double w = area_width (self), h = area_height (self), scale;
  guint n, count = 0;

  if (graph == NULL || self->positions == NULL || self->selected == NULL)
    return;
  n = philia_graph_get_n_nodes (graph);
  for (guint v = 0; v < n; v++)
    if (self->selected[v])
      {
        x0 = MIN (x0, self->positions[2 * v]);
        x1 = MAX (x1, self->positions[2 * v]);
        y0 = MIN (y0, self->positions[2 * v + 1]);
        y1 = MAX (y1, self->positions[2 * v + 1]);
        count++;
      }
  if (count == 0 || w <= 2 * FIT_MARGIN || h <= 2 * FIT_MARGIN)
    return;

  /* A single node (or a tight cluster) gets a fixed close-up, not infinite zoom. */
  scale = MIN ((w - 4 * FIT_MARGIN) / MAX (x1 - x0, 1e-9), (h - 4 * FIT_MARGIN) / MAX (y1 - y0, 1e-9));
  scale = CLAMP (scale, self->fit_scale, self->fit_scale * 8);
  self->view.scale = scale;
  self->view.offset_x = w / 2 - scale * (x0 + x1) / 2;
  self->view.offset_y = h / 2 - scale * (y0 + y1) / 2;
  schedule_zoom_write (self);
  invalidate_frame (self);
}

static void
clear_selection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PhiliaCanvas *self = PHILIA_CANVAS (widget);
  g_autoptr(GArray) none = g_array_new (FALSE, FALSE, sizeof (guint));

  select_nodes (self, none);
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
  select_nodes (self, nodes);
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
  cancel_layout (PHILIA_CANVAS (widget));
}

/* Export */

typedef struct
{
  PhiliaGraphView   view;
  PhiliaRenderStyle style;
  double            area_width;
  double            area_height;
  gboolean          whole;
} ExportClosure;

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

  if (self->positions == NULL || shown_graph (self) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("There is no graph drawing to export to %s yet."), path);
      return FALSE;
    }

  update_view (self);
  closure.view = self->view;
  closure.whole = whole_graph;
  closure.area_width = MAX (1, area_width (self));
  closure.area_height = MAX (1, area_height (self));
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

/* Input */

static gint64
hit (PhiliaCanvas *self,
     double        x,
     double        y)
{
  if (self->positions == NULL || shown_graph (self) == NULL)
    return -1;
  update_view (self);
  return philia_graph_view_hit (&self->view, x, y, HIT_RADIUS);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               PhiliaCanvas   *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  if (y < self->area_y || self->positions == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_start_x = x;
  self->drag_start_y = y - self->area_y;
  self->drag_offset_x = self->view.offset_x;
  self->drag_offset_y = self->view.offset_y;
  self->drag_dx = self->drag_dy = 0;
  self->drag_claimed = FALSE;
  self->drag_mode = (mods & GDK_SHIFT_MASK) && hit (self, x, y - self->area_y) < 0
                    ? DRAG_RUBBER_BAND : DRAG_PAN;

  /* With a document, a drag that starts on a node moves it (and the rest of
   * the selection with it, when it is selected): one step when it ends. */
  if (self->drag_mode == DRAG_PAN && self->document != NULL && self->ego_graph == NULL
      && philia_document_get_current_layout (self->document) != NULL
      && !(mods & GDK_SHIFT_MASK))
    {
      gint64 v = hit (self, x, y - self->area_y);

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
  update_view (self);
  invalidate_frame (self);
}

static void
on_drag_update (GtkGestureDrag *gesture,
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
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             PhiliaCanvas   *self)
{
  if (self->drag_mode == DRAG_RUBBER_BAND
      && gtk_drag_check_threshold (GTK_WIDGET (self), 0, 0, (int) dx, (int) dy))
    {
      PhiliaGraph *graph = shown_graph (self);
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
      select_nodes (self, nodes);
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
          /* The document's "changed" puts its new layout on show. */
          philia_document_move_nodes (self->document, (const guint *) self->drag_nodes->data,
                                      xy, self->drag_nodes->len);
        }
      if (self->positions == self->drag_positions)
        {
          const PhiliaDocumentLayout *layout = philia_document_get_current_layout (self->document);

          self->positions = layout != NULL ? layout->positions : NULL;
          update_view (self);
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
                   PhiliaCanvas    *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  gint64 v;

  if (y < self->area_y || self->positions == NULL)
    return;
  v = hit (self, x, y - self->area_y);

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
  select_nodes (self, nodes);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           PhiliaCanvas             *self)
{
  self->pointer_x = x;
  self->pointer_y = y - self->area_y;
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           PhiliaCanvas             *self)
{
  if (self->pointer_y < 0)
    return FALSE;
  zoom_at (self, pow (PHILIA_CANVAS_ZOOM_STEP, -dy), self->pointer_x, self->pointer_y);
  return TRUE;
}

static void
on_pinch_begin (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                PhiliaCanvas     *self)
{
  self->pinch_scale = 1.0;
}

static void
on_pinch_scale_changed (GtkGestureZoom *gesture,
                        double          scale,
                        PhiliaCanvas   *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    x = area_width (self) / 2, y = area_height (self) / 2 + self->area_y;
  zoom_at (self, scale / self->pinch_scale, x, y - self->area_y);
  self->pinch_scale = scale;
}

static gboolean
on_query_tooltip (GtkWidget    *widget,
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

  if (keyboard_mode || y < self->area_y || graph == NULL)
    return FALSE;
  v = hit (self, x, y - self->area_y);
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

static void
on_find_activate (GtkSearchEntry *entry,
                  PhiliaCanvas   *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  if (text[0] == '\0')
    return;
  if (!philia_canvas_find_node (self, text))
    gtk_widget_error_bell (GTK_WIDGET (entry));
}

/* Toolbar */

/* Entries of the layout menu that name a document layout made by no
 * registered algorithm (moved by hand, a plugin's that is gone). */
#define DOC_LAYOUT_PREFIX "layout:"

static void
on_layout_selected (GtkDropDown  *dropdown,
                    GParamSpec   *pspec,
                    PhiliaCanvas *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  const char *id;

  if (i >= self->algorithms->len)
    return;
  id = self->algorithms->pdata[i];
  if (g_str_has_prefix (id, DOC_LAYOUT_PREFIX))
    {
      if (self->document != NULL)
        philia_document_set_current_layout (self->document, id + strlen (DOC_LAYOUT_PREFIX));
      return;
    }
  philia_canvas_set_layout (self, id);
}

static void
on_color_selected (GtkDropDown  *dropdown,
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

static void
on_edges_selected (GtkDropDown  *dropdown,
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

static void
fill_layout_dropdown (PhiliaCanvas *self)
{
  g_autoptr(GPtrArray) list = philia_registry_list (philia_registry_get_default (),
                                                    PHILIA_FAMILY_LAYOUT);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n_layouts = self->document != NULL ? philia_document_get_n_layouts (self->document) : 0;

  g_ptr_array_set_size (self->algorithms, 0);
  for (guint i = 0; i < list->len; i++)
    {
      const PhiliaAlgorithm *algorithm = list->pdata[i];

      g_ptr_array_add (self->algorithms, g_strdup (algorithm->id));
      gtk_string_list_append (names, _(algorithm->name));
    }
  for (guint i = 0; i < n_layouts; i++)
    {
      const PhiliaDocumentLayout *layout = philia_document_get_layout (self->document, i);

      if (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_LAYOUT,
                                  layout->algorithm) != NULL)
        continue;
      g_ptr_array_add (self->algorithms, g_strconcat (DOC_LAYOUT_PREFIX, layout->name, NULL));
      gtk_string_list_append (names, layout->name);
    }
  gtk_drop_down_set_model (self->layout_dropdown, G_LIST_MODEL (names));
}

/* The document */

/* Layouts are stored under their algorithm's (untranslated) name, so a
 * project reads the same in every language; running one again replaces it. */
static const char *
layout_name (const char *algorithm)
{
  const PhiliaAlgorithm *info = philia_registry_lookup (philia_registry_get_default (),
                                                        PHILIA_FAMILY_LAYOUT, algorithm);

  return info != NULL && info->name != NULL ? info->name : algorithm;
}

static void
apply_color_by (PhiliaCanvas  *self,
                PhiliaColorBy  color_by)
{
  gboolean syncing = self->syncing;

  self->syncing = TRUE;
  philia_canvas_set_color_by (self, color_by);
  self->syncing = syncing;
}

static void
apply_edge_style (PhiliaCanvas    *self,
                  PhiliaEdgeStyle  edge_style)
{
  gboolean syncing = self->syncing;

  self->syncing = TRUE;
  philia_canvas_set_edge_style (self, edge_style);
  self->syncing = syncing;
}

static gboolean
apply_node_layer (PhiliaCanvas *self,
                  const char   *id)
{
  gboolean syncing = self->syncing, found;

  self->syncing = TRUE;
  found = philia_canvas_show_node_layer (self, id);
  self->syncing = syncing;
  return found;
}

/* A user's choice of colouring or edge style: a step of the document's. */
static void
write_view (PhiliaCanvas *self,
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
  double w = area_width (self), h = area_height (self);

  self->zoom_write_id = 0;
  if (self->document == NULL || self->ego_graph != NULL || self->positions == NULL
      || self->fit_scale <= 0 || self->view.scale <= 0)
    return G_SOURCE_REMOVE;
  self->syncing = TRUE;
  philia_document_set_zoom (self->document, self->view.scale / self->fit_scale,
                            (w / 2 - self->view.offset_x) / self->view.scale,
                            (h / 2 - self->view.offset_y) / self->view.scale);
  self->syncing = FALSE;
  return G_SOURCE_REMOVE;
}

/* Zoom and pan are written when the motion pauses, not per frame. */
static void
schedule_zoom_write (PhiliaCanvas *self)
{
  if (self->document == NULL || self->ego_graph != NULL || self->syncing)
    return;
  g_clear_handle_id (&self->zoom_write_id, g_source_remove);
  self->zoom_write_id = g_timeout_add (ZOOM_WRITE_MS, zoom_write_cb, self);
}

/* Puts the document's zoom and centre on the fitted view; zoom 1 is the
 * fitted view itself. */
static void
apply_document_zoom (PhiliaCanvas *self)
{
  const PhiliaDocumentView *view;
  double w = area_width (self), h = area_height (self), zoom;

  if (self->document == NULL || self->ego_graph != NULL || self->fit_scale <= 0
      || self->positions == NULL || w <= 1 || h <= 1)
    return;
  view = philia_document_get_view (self->document);
  zoom = view->zoom;
  if (!isfinite (zoom) || zoom <= 0 || zoom == 1.0
      || !isfinite (view->center_x) || !isfinite (view->center_y))
    return;
  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  self->view.scale = self->fit_scale * zoom;
  self->view.offset_x = w / 2 - view->center_x * self->view.scale;
  self->view.offset_y = h / 2 - view->center_y * self->view.scale;
}

/* Whether the view shows the document's zoom and centre (or there is
 * nothing to compare yet). */
static gboolean
zoom_matches_document (PhiliaCanvas *self)
{
  const PhiliaDocumentView *view = philia_document_get_view (self->document);
  double w = area_width (self), h = area_height (self), zoom, cx, cy, tol;

  if (self->ego_graph != NULL || self->positions == NULL || self->fit_scale <= 0
      || self->view.scale <= 0 || w <= 1 || h <= 1)
    return TRUE;
  zoom = self->view.scale / self->fit_scale;
  if (!isfinite (view->zoom) || view->zoom <= 0 || view->zoom == 1.0)
    return fabs (zoom - 1) < 1e-9;
  cx = (w / 2 - self->view.offset_x) / self->view.scale;
  cy = (h / 2 - self->view.offset_y) / self->view.scale;
  /* Half a pixel. */
  tol = 0.5 / self->view.scale;
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

  if (find_layer (self, id, NULL) != NULL)
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
  add_layer (self, layer);
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
    apply_color_by (self, color_by);
  else if (view->color_by == NULL || !apply_node_layer (self, view->color_by))
    /* A colouring that is gone (its run was deleted) shows classes until it
     * comes back; the view keeps naming it. */
    apply_color_by (self, PHILIA_COLOR_BY_LABEL);

  sync_attention (self);
  if (philia_edge_style_from_string (view->edge_style, &edge_style))
    apply_edge_style (self, edge_style);
  else
    apply_edge_style (self, PHILIA_EDGES_HOMOPHILY);
}

/* The document's current layout on show: no computation when it has one. */
static void
sync_layout (PhiliaCanvas *self)
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
          update_view (self);
          invalidate_frame (self);
          /* Nothing laid out yet (or the first layout was undone): compute. */
          if (!self->busy)
            start_layout (self, self->graph, self->algorithm, FALSE)->initial =
              philia_document_get_n_layouts (self->document) == 0;
        }
      update_actions (self);
      return;
    }

  new_layout = g_strcmp0 (self->doc_layout, layout->name) != 0;
  g_free (self->doc_layout);
  self->doc_layout = g_strdup (layout->name);
  g_signal_handlers_block_by_func (self->layout_dropdown, on_layout_selected, self);
  /* The menu offers the document's hand-made layouts too, and shows the one on show. */
  fill_layout_dropdown (self);
  if (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_LAYOUT,
                              layout->algorithm) != NULL)
    {
      if (g_strcmp0 (self->algorithm, layout->algorithm) != 0)
        {
          g_free (self->algorithm);
          self->algorithm = g_strdup (layout->algorithm);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT]);
        }
      select_algorithm_in_dropdown (self);
    }
  else
    for (guint i = 0; i < self->algorithms->len; i++)
      if (g_str_has_prefix (self->algorithms->pdata[i], DOC_LAYOUT_PREFIX)
          && g_str_equal ((char *) self->algorithms->pdata[i] + strlen (DOC_LAYOUT_PREFIX),
                          layout->name))
        gtk_drop_down_set_selected (self->layout_dropdown, i);
  g_signal_handlers_unblock_by_func (self->layout_dropdown, on_layout_selected, self);
  if (self->ego_graph != NULL)
    return;
  cancel_layout (self);
  g_clear_pointer (&self->drag_positions, g_free);
  self->drag_mode = self->drag_mode == DRAG_NODES ? DRAG_NONE : self->drag_mode;
  /* Moving nodes keeps the view where it is; another layout is fitted. */
  if (new_layout || self->positions == NULL)
    {
      self->positions = layout->positions;
      fit (self);
    }
  else
    {
      self->positions = layout->positions;
      update_view (self);
      invalidate_frame (self);
    }
  update_actions (self);
}

static void
sync_selection (PhiliaCanvas *self)
{
  guint n_nodes = 0;
  const guint *nodes = philia_document_get_selection (self->document, &n_nodes);

  philia_canvas_set_selection (self, nodes, n_nodes);
}

/* The document's latest explained pair, drawn as the Proximity panel
 * explains it: the pair, its common neighbours and one shortest path. The
 * canvas derives it itself, so a reopened project shows it too. */
static void
sync_pair_highlight (PhiliaCanvas *self)
{
  guint n_pairs = philia_document_get_n_pairs (self->document);
  const PhiliaDocumentPair *pair;
  g_autoptr(GArray) common = NULL;
  g_autoptr(GArray) path = NULL;
  g_autofree guint *nodes = NULL;
  guint n;

  if (n_pairs == 0 || self->graph == NULL)
    {
      philia_canvas_clear_highlight (self);
      return;
    }
  pair = philia_document_get_pair (self->document, n_pairs - 1);
  n = philia_graph_get_n_nodes (self->graph);
  if (pair->u >= n || pair->v >= n)
    {
      philia_canvas_clear_highlight (self);
      return;
    }
  common = philia_proximity_common_neighbors (self->graph, pair->u, pair->v);
  path = philia_proximity_shortest_path (self->graph, pair->u, pair->v);
  nodes = g_new (guint, MAX (common->len, 1));
  for (guint i = 0; i < common->len; i++)
    nodes[i] = g_array_index (common, PhiliaCommonNeighbor, i).node;
  philia_canvas_set_highlight (self, nodes, common->len,
                               path->len > 1 ? (const guint *) path->data : NULL,
                               path->len > 1 ? path->len : 0,
                               (const guint[]) { pair->u, pair->v });
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
    sync_layout (self);
  if (parts & (PHILIA_DOCUMENT_PART_RUNS | PHILIA_DOCUMENT_PART_VIEW | PHILIA_DOCUMENT_PART_GRAPH))
    sync_view (self);
  if ((parts & PHILIA_DOCUMENT_PART_VIEW) && !zoom_matches_document (self))
    /* Not our own zoom: back to the fitted view, then the document's. */
    fit (self);
  if (parts & PHILIA_DOCUMENT_PART_SELECTION)
    sync_selection (self);
  if (parts & (PHILIA_DOCUMENT_PART_PAIRS | PHILIA_DOCUMENT_PART_GRAPH))
    sync_pair_highlight (self);
  self->syncing = syncing;
}

/* Everything from the document: its graph, layout, view and selection. */
static void
sync_document (PhiliaCanvas *self)
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
          self->local_homophily = philia_local_homophily (graph);
          self->local_chance = philia_local_homophily_chance (graph, &self->n_local_chance);
          /* Derived layers depend on the masks (correct on test). */
          while (self->layers->len > 0)
            {
              NodeLayer *layer = g_ptr_array_index (self->layers, self->layers->len - 1);
              g_autofree char *id = g_strdup (layer->id);

              philia_canvas_remove_node_layer (self, id);
            }
          update_overlays (self);
          update_view (self);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRAPH]);
        }
      else
        {
          g_clear_pointer (&self->doc_layout, g_free);
          /* set_graph starts the default layout; the document may have one. */
          g_object_freeze_notify (G_OBJECT (self));
          philia_canvas_set_graph (self, graph);
          cancel_layout (self);
          g_object_thaw_notify (G_OBJECT (self));
        }
    }
  if (graph != NULL)
    {
      sync_run_layers (self);
      sync_layout (self);
      sync_view (self);
      sync_selection (self);
      sync_pair_highlight (self);
    }
  self->syncing = FALSE;
}

static void
on_document_graph (PhiliaDocument *document,
                   GParamSpec     *pspec,
                   PhiliaCanvas   *self)
{
  sync_document (self);
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
      sync_document (self);
    }
  else
    {
      g_signal_handlers_block_by_func (self->layout_dropdown, on_layout_selected, self);
      fill_layout_dropdown (self);
      select_algorithm_in_dropdown (self);
      g_signal_handlers_unblock_by_func (self->layout_dropdown, on_layout_selected, self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

/* GObject */

static void
philia_canvas_dispose (GObject *object)
{
  PhiliaCanvas *self = PHILIA_CANVAS (object);
  GtkWidget *child;

  stop_layout (self);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_clear_handle_id (&self->zoom_write_id, g_source_remove);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  _philia_figure_exporter_clear (&self->exporter);

  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_CANVAS);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  clear_ego (self);
  self->positions = NULL;
  self->view.graph = NULL;
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
  update_overlays (self);
  g_clear_object (&self->frame);
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
  g_clear_pointer (&self->drag_nodes, g_array_unref);
  g_clear_pointer (&self->drag_positions, g_free);
  g_clear_pointer (&self->doc_layout, g_free);

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
      g_value_set_int (value, self->view.color_by);
      break;

    case PROP_EDGE_STYLE:
      g_value_set_int (value, self->view.edge_style);
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
      if (g_value_get_int (value) < PHILIA_COLOR_BY_VALUE)
        philia_canvas_set_color_by (self, g_value_get_int (value));
      break;

    case PROP_EDGE_STYLE:
      philia_canvas_set_edge_style (self, g_value_get_int (value));
      break;

    case PROP_DOCUMENT:
      philia_canvas_set_document (self, g_value_get_object (value));
      break;

    case PROP_SIZE_BY_DEGREE:
      if (self->size_by_degree != g_value_get_boolean (value))
        {
          self->size_by_degree = g_value_get_boolean (value);
          update_view (self);
          invalidate_frame (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_SHOW_LABELS:
      if (self->show_labels != g_value_get_boolean (value))
        {
          self->show_labels = g_value_get_boolean (value);
          update_view (self);
          invalidate_frame (self);
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

  widget_class->snapshot = philia_canvas_snapshot;
  widget_class->measure = philia_canvas_measure;
  widget_class->size_allocate = philia_canvas_size_allocate;
  widget_class->css_changed = philia_canvas_css_changed;

  properties[PROP_GRAPH] =
    g_param_spec_object ("graph", NULL, NULL, PHILIA_TYPE_GRAPH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAYOUT] =
    g_param_spec_string ("layout", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLOR_BY] =
    g_param_spec_int ("color-by", NULL, NULL, 0, PHILIA_N_COLOR_BY - 1, PHILIA_COLOR_BY_LABEL,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EDGE_STYLE] =
    g_param_spec_int ("edge-style", NULL, NULL, 0, PHILIA_EDGES_VALUE, PHILIA_EDGES_HOMOPHILY,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIZE_BY_DEGREE] =
    g_param_spec_boolean ("size-by-degree", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_LABELS] =
    g_param_spec_boolean ("show-labels", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PhiliaCanvas:busy:
   *
   * A layout is being computed on a worker.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PhiliaCanvas:document:
   *
   * The analysis the canvas shows and edits (philia_canvas_set_document()).
   */
  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, PHILIA_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PhiliaCanvas::select-nodes:
   * @nodes: (array length=n_nodes): node ids of the graph, ascending, or %NULL
   * @n_nodes: how many
   *
   * The user selected nodes on the canvas (none: cleared).
   */
  signals[SELECT_NODES] =
    g_signal_new ("select-nodes", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-canvas.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaCanvas, header);
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
  gtk_widget_class_bind_template_callback (widget_class, on_find_activate);

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
  gtk_widget_class_install_action (widget_class, "canvas.pan", "(dd)", pan_action);
  gtk_widget_class_install_action (widget_class, "canvas.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "canvas.export-view", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "canvas.export-whole", NULL, export_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_SHIFT_MASK,
                                       "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0,
                                       "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "canvas.fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, 0, "canvas.fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0,
                                       "canvas.clear-selection", NULL);
  /* Arrows move the view the way a drag does: the graph follows the arrow. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "canvas.pan", "(dd)", 1.0, 0.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "canvas.pan", "(dd)", -1.0, 0.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "canvas.pan", "(dd)", 0.0, 1.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "canvas.pan", "(dd)", 0.0, -1.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "canvas.find", NULL);

  gtk_widget_class_set_css_name (widget_class, "philiacanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
philia_canvas_init (PhiliaCanvas *self)
{
  GtkGesture *gesture;
  GtkEventController *controller;

  self->algorithms = g_ptr_array_new_with_free_func (g_free);
  self->selection = g_array_new (FALSE, FALSE, sizeof (guint));
  self->layers = g_ptr_array_new_with_free_func ((GDestroyNotify) node_layer_free);
  self->hl_nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  self->hl_path = g_array_new (FALSE, FALSE, sizeof (guint));
  self->drag_nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  self->show_labels = TRUE;
  self->view.color_by = PHILIA_COLOR_BY_LABEL;
  self->view.edge_style = PHILIA_EDGES_HOMOPHILY;
  _philia_figure_exporter_init (&self->exporter, GTK_WIDGET (self), 480, 360,
                                describe_export, write_export,
                                N_("Could not export the graph"));
  philia_render_style_init_default (&self->style);
  self->style.background = (PhiliaRgba) { 0, 0, 0, 0 };
  self->canvas_bg = (PhiliaRgba) { 1, 1, 1, 1 };

  gtk_widget_init_template (GTK_WIDGET (self));

  fill_layout_dropdown (self);
  g_signal_connect (self->layout_dropdown, "notify::selected",
                    G_CALLBACK (on_layout_selected), self);
  g_signal_connect (self->color_dropdown, "notify::selected",
                    G_CALLBACK (on_color_selected), self);
  g_signal_connect (self->edges_dropdown, "notify::selected",
                    G_CALLBACK (on_edges_selected), self);
  g_object_bind_property (self->size_toggle, "active", self, "size-by-degree",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->labels_toggle, "active", self, "show-labels",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect (gesture, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (on_pinch_begin), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (on_pinch_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), self);

  set_busy (self, NULL);
  update_actions (self);
}

GtkWidget *
philia_canvas_new (void)
{
  return g_object_new (PHILIA_TYPE_CANVAS, NULL);
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
        sync_document (self);
      return;
    }
  if (self->graph == graph)
    return;

  cancel_layout (self);
  clear_ego (self);
  self->positions = NULL;
  g_set_object (&self->graph, graph);
  g_clear_pointer (&self->local_homophily, g_free);
  g_clear_pointer (&self->local_chance, g_free);
  self->n_local_chance = 0;
  g_array_set_size (self->selection, 0);
  drop_overlays (self);

  if (graph != NULL)
    {
      self->local_homophily = philia_local_homophily (graph);
      self->local_chance = philia_local_homophily_chance (graph, &self->n_local_chance);

      g_free (self->algorithm);
      self->algorithm = g_strdup (philia_layout_default_algorithm (graph));
      g_signal_handlers_block_by_func (self->layout_dropdown, on_layout_selected, self);
      select_algorithm_in_dropdown (self);
      g_signal_handlers_unblock_by_func (self->layout_dropdown, on_layout_selected, self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT]);
    }

  update_selected_flags (self);
  update_overlays (self);
  update_view (self);
  request_layout (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRAPH]);
}

const char *
philia_canvas_get_layout (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), NULL);

  return self->algorithm;
}

/**
 * philia_canvas_set_layout:
 * @algorithm: a registered layout id ("fr", "kk", "drl", "circle", …)
 *
 * Switches the whole-graph layout: instant when computed before for this
 * graph, otherwise on a worker with progress and cancel.
 */
void
philia_canvas_set_layout (PhiliaCanvas *self,
                          const char   *algorithm)
{
  g_return_if_fail (PHILIA_IS_CANVAS (self));

  if (algorithm == NULL)
    return;
  /* With a document, what is on show may be a hand-made layout. */
  if (self->document != NULL && self->ego_graph == NULL
      && philia_document_get_current_layout (self->document) != NULL
      && g_strcmp0 (philia_document_get_current_layout (self->document)->algorithm,
                    algorithm) != 0)
    {
      g_free (self->algorithm);
      self->algorithm = g_strdup (algorithm);
      request_layout (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT]);
      return;
    }
  if (g_strcmp0 (self->algorithm, algorithm) == 0)
    return;

  g_free (self->algorithm);
  self->algorithm = g_strdup (algorithm);
  select_algorithm_in_dropdown (self);
  if (self->ego_graph != NULL)
    philia_canvas_show_whole_graph (self);
  else
    request_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT]);
}

PhiliaColorBy
philia_canvas_get_color_by (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), PHILIA_COLOR_BY_LABEL);

  return self->view.color_by;
}

void
philia_canvas_set_color_by (PhiliaCanvas  *self,
                            PhiliaColorBy  color_by)
{
  g_return_if_fail (PHILIA_IS_CANVAS (self));
  g_return_if_fail (color_by < PHILIA_COLOR_BY_VALUE);

  if (self->document != NULL && !self->syncing)
    {
      write_view (self, philia_color_by_to_string (color_by), NULL);
      return;
    }
  if (self->view.color_by == color_by && self->active_layer == NULL)
    return;
  self->view.color_by = color_by;
  self->active_layer = NULL;
  update_overlays (self);
  update_view (self);
  g_signal_handlers_block_by_func (self->color_dropdown, on_color_selected, self);
  gtk_drop_down_set_selected (self->color_dropdown,
                              color_by == PHILIA_COLOR_BY_LABEL ? 0
                              : color_by == PHILIA_COLOR_BY_LOCAL_HOMOPHILY ? 1 : 2);
  g_signal_handlers_unblock_by_func (self->color_dropdown, on_color_selected, self);
  invalidate_frame (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR_BY]);
}

PhiliaEdgeStyle
philia_canvas_get_edge_style (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), PHILIA_EDGES_HOMOPHILY);

  return self->view.edge_style;
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
      write_view (self, NULL, philia_edge_style_to_string (edge_style));
      return;
    }
  if (self->view.edge_style == edge_style)
    return;
  self->view.edge_style = edge_style;
  g_signal_handlers_block_by_func (self->edges_dropdown, on_edges_selected, self);
  gtk_drop_down_set_selected (self->edges_dropdown,
                              edge_style == PHILIA_EDGES_HOMOPHILY ? 0
                              : edge_style == PHILIA_EDGES_PLAIN ? 1
                              : edge_style == PHILIA_EDGES_HIDDEN ? 2 : N_BUILTIN_EDGE_STYLES);
  g_signal_handlers_unblock_by_func (self->edges_dropdown, on_edges_selected, self);
  invalidate_frame (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDGE_STYLE]);
}

gboolean
philia_canvas_get_busy (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), FALSE);

  return self->busy;
}

/* Whether the shown graph has positions (a layout finished). */
gboolean
philia_canvas_has_positions (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), FALSE);

  return self->positions != NULL && shown_graph (self) != NULL;
}

/* The graph on show: the dataset, or the neighbourhood sub-graph. */
PhiliaGraph *
philia_canvas_get_shown_graph (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), NULL);

  return shown_graph (self);
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
  update_selected_flags (self);
  update_actions (self);
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

  if (original_to_shown (self, id) < 0)
    philia_canvas_show_whole_graph (self);
  select_nodes (self, nodes);

  v = original_to_shown (self, id);
  if (v >= 0 && self->positions != NULL && !self->need_fit)
    centre_on (self, (guint) v);
  return TRUE;
}

/**
 * philia_canvas_show_neighbourhood:
 * @node: a node of the graph
 * @k: hops, 1 to 3
 *
 * Shows the k-hop ego network of @node as a graph of its own, laid out on a
 * worker (Kamada–Kawai when small, Fruchterman–Reingold otherwise). O(size
 * of the neighbourhood) plus one O(n) map.
 *
 * Returns: whether @node exists.
 */
gboolean
philia_canvas_show_neighbourhood (PhiliaCanvas *self,
                                  guint         node,
                                  guint         k)
{
  g_autoptr(PhiliaGraphBuilder) builder = NULL;
  g_autoptr(GArray) members = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint32 *index = NULL;
  g_autofree gint64 *labels = NULL;
  PhiliaGraph *ego;
  const gint64 *off;
  const gint32 *nbr;
  const gint32 *y;
  guint n, level_start = 0, m;

  g_return_val_if_fail (PHILIA_IS_CANVAS (self), FALSE);
  g_return_val_if_fail (k >= 1 && k <= 3, FALSE);

  if (self->graph == NULL || node >= philia_graph_get_n_nodes (self->graph))
    return FALSE;

  n = philia_graph_get_n_nodes (self->graph);
  off = philia_graph_get_row_offsets (self->graph);
  nbr = philia_graph_get_neighbors (self->graph);
  y = philia_graph_get_labels (self->graph);

  /* Breadth-first, level by level, up to k hops. */
  index = g_new (gint32, n);
  memset (index, 0xff, sizeof (gint32) * n);
  members = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_val (members, node);
  index[node] = 0;
  for (guint hop = 0; hop < k; hop++)
    {
      guint level_end = members->len;

      for (guint i = level_start; i < level_end; i++)
        {
          guint u = g_array_index (members, guint, i);

          for (gint64 e = off[u]; e < off[u + 1]; e++)
            if (index[nbr[e]] < 0)
              {
                guint v = (guint) nbr[e];

                index[v] = (gint32) members->len;
                g_array_append_val (members, v);
              }
        }
      level_start = level_end;
    }

  m = members->len;
  builder = philia_graph_builder_new (m);
  labels = g_new (gint64, m);
  for (guint i = 0; i < m; i++)
    {
      guint u = g_array_index (members, guint, i);

      labels[i] = y[u];
      for (gint64 e = off[u]; e < off[u + 1]; e++)
        if (index[nbr[e]] > (gint32) i)
          philia_graph_builder_add_edge (builder, i, index[nbr[e]]);
    }
  philia_graph_builder_take_labels (builder, g_steal_pointer (&labels));
  if (philia_graph_has_class_names (self->graph))
    {
      guint c = philia_graph_get_n_classes (self->graph);
      char **names = g_new0 (char *, c + 1);

      for (guint i = 0; i < c; i++)
        names[i] = g_strdup (philia_graph_get_class_name (self->graph, i));
      philia_graph_builder_take_class_names (builder, names);
    }
  {
    /* The neighbourhood's nodes keep the whole graph's names, or its ids. */
    char **names = g_new0 (char *, m + 1);

    for (guint i = 0; i < m; i++)
      {
        guint u = g_array_index (members, guint, i);
        const char *name = philia_graph_get_node_name (self->graph, u);

        names[i] = name != NULL ? g_strdup (name) : g_strdup_printf ("%u", u);
      }
    philia_graph_builder_take_node_names (builder, names);
  }
  philia_graph_builder_set_source (builder, philia_graph_get_source (self->graph), "ego");

  ego = philia_graph_builder_build (builder, &error);
  if (ego == NULL)
    {
      g_warning ("Could not build the neighbourhood of node %u: %s", node, error->message);
      return FALSE;
    }

  cancel_layout (self);
  clear_ego (self);
  self->ego_graph = ego;
  self->ego_root = node;
  self->ego_nodes = (guint *) g_array_free (g_steal_pointer (&members), FALSE);
  self->ego_values = g_new (double, m);
  for (guint i = 0; i < m; i++)
    self->ego_values[i] = self->local_homophily != NULL
                          ? self->local_homophily[self->ego_nodes[i]] : NAN;
  self->positions = NULL;
  update_selected_flags (self);
  update_overlays (self);
  update_view (self);
  update_actions (self);

  start_layout (self, ego, m <= 500 ? "kk" : "fr", TRUE);
  return TRUE;
}

/* Back from a neighbourhood to the whole graph (its cached layout when there is one). */
void
philia_canvas_show_whole_graph (PhiliaCanvas *self)
{
  g_return_if_fail (PHILIA_IS_CANVAS (self));

  if (self->ego_graph == NULL)
    return;

  cancel_layout (self);
  clear_ego (self);
  self->positions = NULL;
  update_selected_flags (self);
  update_overlays (self);
  update_view (self);
  request_layout (self);
  update_actions (self);
}

/* Overlays */

static NodeLayer *
find_layer (PhiliaCanvas *self,
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
static void
add_layer (PhiliaCanvas *self,
           NodeLayer    *layer)
{
  GtkStringList *colors = GTK_STRING_LIST (gtk_drop_down_get_model (self->color_dropdown));
  const char *titles[] = { layer->title, NULL };
  gboolean active = FALSE;
  guint i;

  g_signal_handlers_block_by_func (self->color_dropdown, on_color_selected, self);
  if (find_layer (self, layer->id, &i) != NULL)
    {
      active = self->active_layer == g_ptr_array_index (self->layers, i);
      node_layer_free (g_ptr_array_index (self->layers, i));
      g_ptr_array_index (self->layers, i) = layer;
      gtk_string_list_splice (colors, N_BUILTIN_COLORINGS + i, 1, titles);
    }
  else
    {
      g_ptr_array_add (self->layers, layer);
      gtk_string_list_append (colors, layer->title);
    }
  g_signal_handlers_unblock_by_func (self->color_dropdown, on_color_selected, self);

  if (active)
    {
      self->active_layer = layer;
      apply_node_layer (self, layer->id);
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
  add_layer (self, layer);
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
  add_layer (self, layer);
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

  layer = find_layer (self, id, &i);
  if (layer == NULL)
    return;
  if (self->active_layer == layer)
    apply_color_by (self, PHILIA_COLOR_BY_LABEL);
  colors = GTK_STRING_LIST (gtk_drop_down_get_model (self->color_dropdown));
  g_signal_handlers_block_by_func (self->color_dropdown, on_color_selected, self);
  gtk_string_list_remove (colors, N_BUILTIN_COLORINGS + i);
  g_signal_handlers_unblock_by_func (self->color_dropdown, on_color_selected, self);
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

  layer = find_layer (self, id, &i);
  if (layer == NULL)
    return FALSE;
  if (self->document != NULL && !self->syncing)
    {
      write_view (self, id, NULL);
      return TRUE;
    }
  self->active_layer = layer;
  update_overlays (self);
  update_view (self);
  g_signal_handlers_block_by_func (self->color_dropdown, on_color_selected, self);
  gtk_drop_down_set_selected (self->color_dropdown, N_BUILTIN_COLORINGS + i);
  g_signal_handlers_unblock_by_func (self->color_dropdown, on_color_selected, self);
  invalidate_frame (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR_BY]);
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
      if (self->view.edge_style == PHILIA_EDGES_VALUE)
        apply_edge_style (self, PHILIA_EDGES_HOMOPHILY);
      g_signal_handlers_block_by_func (self->edges_dropdown, on_edges_selected, self);
      if (n_items > N_BUILTIN_EDGE_STYLES)
        gtk_string_list_splice (edges, N_BUILTIN_EDGE_STYLES, n_items - N_BUILTIN_EDGE_STYLES,
                                NULL);
      g_signal_handlers_unblock_by_func (self->edges_dropdown, on_edges_selected, self);
      update_overlays (self);
      update_view (self);
      invalidate_frame (self);
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
  g_signal_handlers_block_by_func (self->edges_dropdown, on_edges_selected, self);
  gtk_string_list_splice (edges, N_BUILTIN_EDGE_STYLES, n_items - N_BUILTIN_EDGE_STYLES, titles);
  g_signal_handlers_unblock_by_func (self->edges_dropdown, on_edges_selected, self);
  update_overlays (self);
  if (self->view.edge_style != PHILIA_EDGES_VALUE)
    philia_canvas_set_edge_style (self, PHILIA_EDGES_VALUE);
  else
    {
      g_signal_handlers_block_by_func (self->edges_dropdown, on_edges_selected, self);
      gtk_drop_down_set_selected (self->edges_dropdown, N_BUILTIN_EDGE_STYLES);
      g_signal_handlers_unblock_by_func (self->edges_dropdown, on_edges_selected, self);
    }
  update_view (self);
  invalidate_frame (self);
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
  update_overlays (self);
  update_view (self);
  invalidate_frame (self);
}

void
philia_canvas_clear_highlight (PhiliaCanvas *self)
{
  philia_canvas_set_highlight (self, NULL, 0, NULL, 0, NULL);
}

gboolean
philia_canvas_get_node_point (PhiliaCanvas *self,
                              guint         v,
                              double       *x,
                              double       *y)
{
  PhiliaGraph *graph;

  g_return_val_if_fail (PHILIA_IS_CANVAS (self), FALSE);

  graph = shown_graph (self);
  if (self->positions == NULL || graph == NULL || v >= philia_graph_get_n_nodes (graph))
    return FALSE;
  *x = self->positions[2 * v] * self->view.scale + self->view.offset_x;
  *y = self->positions[2 * v + 1] * self->view.scale + self->view.offset_y + self->area_y;
  return TRUE;
}
