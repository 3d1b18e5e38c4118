/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "philia-app-private.h"
#include "philia-canvas.h"
#include "philia-graph-area-private.h"
#include "philia-run-overlay.h"
#include "philia-window.h"

G_BEGIN_DECLS

/*
 * What the files of the canvas share (HACKING.md §2): philia-canvas.c (the
 * widget, its toolbar, actions and export), philia-canvas-area.c (what the
 * drawing area draws, hit testing, pan and zoom, node drag; the area itself
 * is the child widget of philia-graph-area.c), philia-canvas-layout.c
 * (layout jobs and the neighbourhood view), philia-canvas-overlays.c (the
 * node, edge and highlight overlays) and philia-canvas-document.c (following
 * the document, overlays it holds included).
 */


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

void _philia_canvas_node_layer_free (NodeLayer *layer);

typedef struct
{
  PhiliaCanvas *self;
  PhiliaGraph  *graph;
  char         *algorithm;
  guint         serial;
  gboolean      ego;
  gboolean      initial;   /* the automatic first layout of a document */
} LayoutRequest;

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
  GtkWidget            *area_child;      /* the template's; NULL once disposed */
  PhiliaGraphArea      *area;            /* owned ref of it: the view transform, pointer */
  GtkWidget            *toolbar;
  GtkWidget            *tools_box;       /* folded into more_button when narrow */
  GtkWidget            *export_button;
  GtkWidget            *more_button;
  GtkRevealer          *find_revealer;
  GtkLabel             *find_status;
  GtkMenuButton        *overlays_button; /* philia-canvas-overlay-list.c */
  GtkWidget            *overlay_list;
  GtkWidget            *overlay_empty;
  GtkWidget            *more_overlay_list;   /* the same in the "more" menu */
  GtkWidget            *more_overlay_empty;

  /* Owned */
  PhiliaDocument       *document;        /* what the canvas shows and edits, or NULL */
  char                 *doc_layout;      /* name of the document layout on show */
  guint                 zoom_write_id;
  PhiliaGraph          *graph;
  GPtrArray            *algorithms;      /* ids, in drop-down order */
  char                 *algorithm;
  double               *local_homophily; /* n values of @graph, on first use */
  double               *local_chance;    /* its chance level per class, with it */
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

  /* Borrowed: the positions of the shown graph (cache or ego) */
  const double         *positions;

  /* The progressive layout is landing as the document's, and the user moved
   * the view while it refined: the view stays (philia-canvas-refine.c). */
  guint                 live_keeps_view : 1;
  guint                 busy : 1;
  guint                 size_by_degree : 1;
  guint                 show_labels : 1;

  int                   area_y;
  int                   last_width;
  int                   last_height;
  guint                 syncing : 1;     /* applying the document: do not write back */
};

/* Built-in entries of the colour and edge drop-downs, before the layers. */
#define N_BUILTIN_COLORINGS 3
#define N_BUILTIN_EDGE_STYLES 3

/* Entries of the layout menu that name a document layout made by no
 * registered algorithm (moved by hand, a plugin's that is gone). */
#define DOC_LAYOUT_PREFIX "layout:"

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

extern GParamSpec *_philia_canvas_properties[N_PROPS];

enum {
  SELECT_NODES,
  N_SIGNALS
};

extern guint _philia_canvas_signals[N_SIGNALS];

/* philia-canvas-area.c */
PhiliaGraph *_philia_canvas_shown_graph (PhiliaCanvas *self);
guint _philia_canvas_shown_to_original (PhiliaCanvas *self,
                                        guint         v);
gboolean _philia_canvas_is_large (PhiliaCanvas *self);
gint64 _philia_canvas_original_to_shown (PhiliaCanvas *self,
                                         guint         node);
double _philia_canvas_area_width (PhiliaCanvas *self);
double _philia_canvas_area_height (PhiliaCanvas *self);
void _philia_canvas_update_view (PhiliaCanvas *self);
const double *_philia_canvas_get_local_homophily (PhiliaCanvas *self);
void _philia_canvas_invalidate_frame (PhiliaCanvas *self);
void _philia_canvas_update_selected_flags (PhiliaCanvas *self);
void _philia_canvas_select_nodes (PhiliaCanvas *self,
                                  GArray       *nodes);
void _philia_canvas_update_style (PhiliaCanvas *self);
void _philia_canvas_fit (PhiliaCanvas *self);
void _philia_canvas_fit_view (PhiliaCanvas *self);
void _philia_canvas_centre_on (PhiliaCanvas *self,
                               guint         v);
void _philia_canvas_draw_area (PhiliaCanvas *self,
                               GtkSnapshot  *snapshot,
                               int           width,
                               int           height);
void _philia_canvas_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline);
void _philia_canvas_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline);

/* philia-canvas-frame.c */
typedef struct _PhiliaCanvasFrameJob PhiliaCanvasFrameJob;

PhiliaCanvasFrameJob *_philia_canvas_frame_job_new (PhiliaCanvas *self,
                                                    int           width,
                                                    int           height);
void _philia_canvas_frame_job_free (PhiliaCanvasFrameJob *job);
const PhiliaGraphView *_philia_canvas_frame_job_get_view (const PhiliaCanvasFrameJob *job);
cairo_surface_t *_philia_canvas_frame_job_run (PhiliaCanvasFrameJob *job);

/* philia-graph-area.c */
typedef PhiliaCanvasFrameJob *(*PhiliaGraphAreaRender) (gpointer data,
                                                        int      width,
                                                        int      height);

void _philia_graph_area_set_canvas (PhiliaGraphArea *self,
                                    PhiliaCanvas    *canvas);
void _philia_graph_area_nodes_moved (PhiliaGraphArea *self,
                                     const guint     *nodes,
                                     const double    *xy,
                                     guint            n);
void _philia_graph_area_request_selection (PhiliaGraphArea *self,
                                           GArray          *nodes);
void _philia_graph_area_view_changed (PhiliaGraphArea *self);
void _philia_graph_area_update_description (PhiliaGraphArea *self);
void _philia_graph_area_clear_frame (PhiliaGraphArea *self);
void _philia_graph_area_refit_frame (PhiliaGraphArea       *self,
                                     const PhiliaGraphView *view);
gboolean _philia_graph_area_has_frame (PhiliaGraphArea *self);
void _philia_graph_area_snapshot_frame (PhiliaGraphArea       *self,
                                        GtkSnapshot           *snapshot,
                                        int                    width,
                                        int                    height,
                                        const PhiliaGraphView *view,
                                        gboolean               moving,
                                        const GdkRGBA         *background,
                                        PhiliaGraphAreaRender  render,
                                        gpointer               data);

/* philia-canvas-layout.c */
void _philia_canvas_set_busy (PhiliaCanvas *self,
                              const char   *message);
void _philia_canvas_stop_layout (PhiliaCanvas *self);
void _philia_canvas_cancel_layout (PhiliaCanvas *self);
void _philia_canvas_update_actions (PhiliaCanvas *self);
LayoutRequest *_philia_canvas_start_layout (PhiliaCanvas *self,
                                            PhiliaGraph  *graph,
                                            const char   *algorithm,
                                            gboolean      ego);
void _philia_canvas_request_layout (PhiliaCanvas *self);
void _philia_canvas_clear_ego (PhiliaCanvas *self);
void _philia_canvas_select_algorithm_in_dropdown (PhiliaCanvas *self);
void _philia_canvas_on_layout_selected (GtkDropDown  *dropdown,
                                        GParamSpec   *pspec,
                                        PhiliaCanvas *self);
void _philia_canvas_fill_layout_dropdown (PhiliaCanvas *self);
void _philia_canvas_restore_shown_layout (PhiliaCanvas *self);

/* philia-canvas-overlays.c */
void _philia_canvas_node_layer_free (NodeLayer *layer);
void _philia_canvas_update_overlays (PhiliaCanvas *self);
void _philia_canvas_drop_overlays (PhiliaCanvas *self);
NodeLayer *_philia_canvas_find_layer (PhiliaCanvas *self,
                                      const char   *id,
                                      guint        *index);
void _philia_canvas_add_layer (PhiliaCanvas *self,
                               NodeLayer    *layer);

/* philia-canvas-document.c */
void _philia_canvas_apply_color_by (PhiliaCanvas  *self,
                                    PhiliaColorBy  color_by);
void _philia_canvas_apply_edge_style (PhiliaCanvas    *self,
                                      PhiliaEdgeStyle  edge_style);
gboolean _philia_canvas_apply_node_layer (PhiliaCanvas *self,
                                          const char   *id);
void _philia_canvas_write_view (PhiliaCanvas *self,
                                const char   *color_by,
                                const char   *edge_style);
void _philia_canvas_schedule_zoom_write (PhiliaCanvas *self);
void _philia_canvas_flush_zoom_write (PhiliaCanvas *self);
void _philia_canvas_apply_document_zoom (PhiliaCanvas *self);
void _philia_canvas_sync_layout (PhiliaCanvas *self);

/* philia-canvas-refine.c */
void     _philia_canvas_start_live_layout (PhiliaCanvas        *self,
                                           LayoutRequest       *request,
                                           GAsyncReadyCallback  finish);
gboolean _philia_canvas_stop_live_layout  (PhiliaCanvas        *self);
void _philia_canvas_sync_document (PhiliaCanvas *self);

/* philia-canvas.c */
void _philia_canvas_on_color_selected (GtkDropDown  *dropdown,
                                       GParamSpec   *pspec,
                                       PhiliaCanvas *self);
/* philia-canvas-toolbar.c */
void _philia_canvas_init_toolbar (PhiliaCanvas *self);
/* philia-canvas-overlay-list.c */
void _philia_canvas_init_overlay_list (PhiliaCanvas *self);
void _philia_canvas_sync_overlay_list (PhiliaCanvas *self);
void _philia_canvas_fit_toolbar (PhiliaCanvas *self,
                                 int           width);
guint _philia_canvas_find (PhiliaCanvas *self,
                           const char   *text);
void _philia_canvas_on_find_activate (GtkSearchEntry *entry,
                                      PhiliaCanvas   *self);
void _philia_canvas_on_find_changed (GtkSearchEntry *entry,
                                     PhiliaCanvas   *self);

void _philia_canvas_on_edges_selected (GtkDropDown  *dropdown,
                                       GParamSpec   *pspec,
                                       PhiliaCanvas *self);

G_END_DECLS
