/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_RENDER_INSIDE) && !defined(PHILIA_RENDER_COMPILATION)
# error "Only <philia-render.h> can be included directly."
#endif

#include "philia-core.h"
#include "philia-render-types.h"

G_BEGIN_DECLS

typedef enum
{
  PHILIA_COLOR_BY_LABEL,            /* categorical palette, grey for unlabeled */
  PHILIA_COLOR_BY_LOCAL_HOMOPHILY,  /* diverging, pale at chance: red below … blue above */
  PHILIA_COLOR_BY_DEGREE,           /* viridis on log degree */
  PHILIA_COLOR_BY_VALUE,            /* viridis on @node_values between vmin and vmax */
  PHILIA_COLOR_BY_CATEGORY,         /* @node_categories in their own colours, grey for -1 */
  PHILIA_N_COLOR_BY,                /*< skip >*/
} PhiliaColorBy;

/* The colours of PHILIA_EDGES_VALUE. */
typedef enum
{
  PHILIA_EDGE_COLORMAP_VIRIDIS,     /* dark purple … yellow */
  PHILIA_EDGE_COLORMAP_GREYS,       /* light grey … black: no hue, so it never reads as a class */
} PhiliaEdgeColormap;

typedef enum
{
  PHILIA_EDGES_PLAIN,
  PHILIA_EDGES_HOMOPHILY,           /* same-label edges vs different-label edges */
  PHILIA_EDGES_HIDDEN,
  PHILIA_EDGES_VALUE,               /* viridis on @edge_values between edge_vmin and edge_vmax */
} PhiliaEdgeStyle;

/**
 * PhiliaGraphView:
 * @graph: the graph (borrowed)
 * @positions: 2 n layout coordinates (borrowed)
 * @color_by: node colouring
 * @node_values: (nullable): n values for the scalar colourings (NaN: grey);
 *   local homophily for PHILIA_COLOR_BY_LOCAL_HOMOPHILY
 * @class_chance: (nullable): @n_class_chance values, the local homophily
 *   chance gives a node of each class (philia_local_homophily_chance()):
 *   PHILIA_COLOR_BY_LOCAL_HOMOPHILY draws it pale, less red, more blue;
 *   %NULL centres the scale at 0.5
 * @n_class_chance: how many classes @class_chance has
 * @value_name: (nullable): legend title for PHILIA_COLOR_BY_VALUE and _CATEGORY
 * @vmin: lower end of the PHILIA_COLOR_BY_VALUE scale
 * @vmax: upper end of that scale
 * @node_categories: (nullable): n categories for PHILIA_COLOR_BY_CATEGORY
 *   (-1: none, drawn grey)
 * @category_names: (nullable): @n_categories legend names
 * @category_colors: (nullable): 3 × @n_categories RGB in [0, 1]; NULL: the
 *   class palette
 * @n_categories: how many categories there are
 * @edge_style: how edges are drawn
 * @edge_values: (nullable): one value per CSR entry, aligned with
 *   philia_graph_get_neighbors(); edge (u, v) is read at u's entry for v with
 *   u < v (NaN: faint grey). Used by PHILIA_EDGES_VALUE and @edge_width_by_value
 * @edge_value_name: (nullable): legend title for the edge values
 * @edge_vmin: value drawn at the low end of the edge scale (and thinnest)
 * @edge_vmax: value drawn at the high end of the edge scale (and thickest)
 * @edge_width_by_value: with @edge_values, edges run from 0.5 (at @edge_vmin)
 *   to 4 (at @edge_vmax) units wide, whatever @edge_style colours them with
 * @edge_colormap: the colours of PHILIA_EDGES_VALUE
 * @edge_log: place edge values on a log scale between @edge_vmin and
 *   @edge_vmax (both > 0; smaller values are drawn at @edge_vmin)
 * @edge_mark: a value marked on the edge legend's scale, with...
 * @edge_mark_label: (nullable): ...this label under it; %NULL: no mark
 * @size_by_degree: node radius grows with the square root of the degree
 * @show_labels: draw node names where they fit apart (the rest are left out)
 * @show_legend: draw the legend in a corner where it covers no node (else
 *   where it covers fewest, translucent)
 * @selected: (nullable): n flags; selected nodes get a ring and are drawn last
 * @highlighted: (nullable): n flags; emphasised nodes get a thick accent ring
 * @path: (nullable): @n_path nodes joined, in order, by a thick accent line
 * @n_path: nodes on @path
 * @pair: (nullable): two nodes drawn larger, with their names
 * @scale: pixels per layout unit
 * @offset_x: where layout x = 0 lands
 * @offset_y: where layout y = 0 lands
 * @scratch: (nullable): buffers a series of frames reuses
 *   (philia_frame_scratch_new()); %NULL: each draw allocates its own
 *
 * Everything needed to draw a graph the same way on screen and in a file.
 */
typedef struct _PhiliaFrameScratch PhiliaFrameScratch;

typedef struct
{
  PhiliaGraph     *graph;
  const double    *positions;
  PhiliaColorBy    color_by;
  const double    *node_values;
  const double    *class_chance;
  guint            n_class_chance;
  const char      *value_name;
  double           vmin;
  double           vmax;
  const gint32    *node_categories;
  const char * const *category_names;
  const double    *category_colors;
  guint            n_categories;
  PhiliaEdgeStyle  edge_style;
  const double    *edge_values;
  const char      *edge_value_name;
  double           edge_vmin;
  double           edge_vmax;
  gboolean         edge_width_by_value;
  PhiliaEdgeColormap edge_colormap;
  gboolean         edge_log;
  double           edge_mark;
  const char      *edge_mark_label;
  gboolean         size_by_degree;
  gboolean         show_labels;
  gboolean         show_legend;
  const guint8    *selected;
  const guint8    *highlighted;
  const guint     *path;
  guint            n_path;
  const guint     *pair;
  double           scale;
  double           offset_x;
  double           offset_y;
  PhiliaFrameScratch *scratch;
} PhiliaGraphView;

/* A rectangle in the drawing's units. */
typedef struct
{
  double x, y, width, height;
} PhiliaBox;

/* A node name as philia_graph_view_draw() prints it: @box is the text's
 * extent, @bold for the highlighted pair. */
typedef struct
{
  guint     node;
  PhiliaBox box;
  gboolean  bold;
} PhiliaLabelPlace;

const char *philia_color_by_to_string   (PhiliaColorBy           color_by);
gboolean    philia_color_by_from_string (const char             *name,
                                         PhiliaColorBy          *color_by);
/* "homophily", "plain", "hidden", "value"; from_string also takes the
 * document's aliases "class" (homophily) and "none" (hidden). */
const char *philia_edge_style_to_string   (PhiliaEdgeStyle       edge_style);
gboolean    philia_edge_style_from_string (const char           *name,
                                           PhiliaEdgeStyle      *edge_style);
/* Diverging, colour-blind-safe (Paul Tol's "sunset" ends): 0 red, 0.5 pale, 1 blue. */
void        philia_colormap_diverging   (double                  t,
                                         PhiliaRgba             *color);
/* Light grey (0) to near black (1), for values drawn over class colours. */
void        philia_colormap_greys       (double                  t,
                                         PhiliaRgba             *color);
/* Where @value lands in [0, 1] on the edge scale of @view (linear or log). */
double      philia_graph_view_edge_position (const PhiliaGraphView *view,
                                             double                 value);
/* Where local homophily @h lands on the diverging scale when @chance is what
 * chance gives: 0 → 0, @chance → 0.5 (pale), 1 → 1, linear in between. */
double      philia_local_homophily_scale (double                  h,
                                          double                  chance);
/* The radius philia_graph_view_draw() gives node @v in a @width × @height drawing. */
double      philia_graph_view_get_node_radius (const PhiliaGraphView *view,
                                               double                 width,
                                               double                 height,
                                               guint                  v);
/* Sets scale and offsets so that every node fits in width × height with @margin. */
void        philia_graph_view_fit       (PhiliaGraphView        *view,
                                         double                  width,
                                         double                  height,
                                         double                  margin);
/* philia-graph-budget.c: philia_graph_view_fit() of the bulk of a large
 * graph's nodes, leaving out the few far beyond the rest (the screen's fit). */
void        philia_graph_view_fit_robust (PhiliaGraphView       *view,
                                          double                 width,
                                          double                 height,
                                          double                 margin);
void        philia_graph_view_draw      (cairo_t                *cr,
                                         double                  width,
                                         double                  height,
                                         const PhiliaGraphView  *view,
                                         const PhiliaRenderStyle *style);
/* A screen frame: at most @max_edges edges (0: all), a deterministic sample
 * spread over the graph. Interactive frames only; exports draw every edge. */
void        philia_graph_view_draw_sampled (cairo_t                *cr,
                                            double                  width,
                                            double                  height,
                                            const PhiliaGraphView  *view,
                                            const PhiliaRenderStyle *style,
                                            guint64                 max_edges);
/* philia-graph-budget.c: the edges a sampled frame needs for @crossings
 * lines over each pixel, at most @max_edges (0: no bound). */
guint64     philia_graph_view_edge_budget (const PhiliaGraphView  *view,
                                           double                  width,
                                           double                  height,
                                           double                  crossings,
                                           guint64                 max_edges);
/* Fits the whole graph for a figure: margin from the node size, legend clear of nodes. */
void        philia_graph_view_fit_figure (PhiliaGraphView        *view,
                                          const PhiliaRenderStyle *style,
                                          double                  width,
                                          double                  height);
gboolean    philia_graph_view_get_legend_box (const PhiliaGraphView   *view,
                                              const PhiliaRenderStyle *style,
                                              double                   width,
                                              double                   height,
                                              PhiliaBox               *box,
                                              guint                   *covered);
/* Array of PhiliaLabelPlace; @n_dropped: names that found no room. */
GArray     *philia_graph_view_place_labels (const PhiliaGraphView   *view,
                                            const PhiliaRenderStyle *style,
                                            double                   width,
                                            double                   height,
                                            guint                   *n_dropped);
/* The node drawn nearest to (x, y) within @radius pixels, or -1. O(n). */
gint64      philia_graph_view_hit       (const PhiliaGraphView  *view,
                                         double                  x,
                                         double                  y,
                                         double                  radius);

/* philia-graph-scratch.c: the arrays and images a frame needs, kept for the
 * next frame of the same size instead of allocated again; one draw at a
 * time. The count says how often a buffer had to be (re)allocated. */
PhiliaFrameScratch *philia_frame_scratch_new             (void);
void                philia_frame_scratch_free            (PhiliaFrameScratch *scratch);
guint64             philia_frame_scratch_get_allocations (const PhiliaFrameScratch *scratch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaFrameScratch, philia_frame_scratch_free)

G_END_DECLS
