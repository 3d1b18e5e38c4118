/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-render-private.h"

G_BEGIN_DECLS

/*
 * What the parts of the graph view share: the view and its colours
 * (philia-graph-view.c), the software rasteriser for image targets
 * (philia-graph-raster.c), nodes as a density raster when they crowd
 * (philia-graph-density.c), and the node labels and the legend
 * (philia-graph-view-labels.c).
 */

/*
 * PHILIA_EDGES_HOMOPHILY sorts edges three ways: an edge with an unlabeled
 * end is neither same- nor cross-class (nothing is known), so it gets the
 * unlabeled grey and its own legend row, and is drawn first, underneath.
 */
enum
{
  EDGE_UNLABELED,
  EDGE_SAME,
  EDGE_CROSS,
  N_EDGE_KINDS
};

static inline int
edge_kind (const gint32 *y,
           guint         u,
           guint         v)
{
  if (y[u] < 0 || y[v] < 0)
    return EDGE_UNLABELED;
  return y[u] == y[v] ? EDGE_SAME : EDGE_CROSS;
}

/*
 * Edge values (PHILIA_EDGES_VALUE, edge_width_by_value) are rounded to
 * N_EDGE_LEVELS levels, level 0 at edge_vmin and the last at edge_vmax, so
 * that each colour is still painted once and each colour and width stroked
 * once. Colour buckets: PHILIA_EDGES_VALUE has NaN first (underneath, faint
 * grey) and then one per level, so higher values lie on top;
 * PHILIA_EDGES_HOMOPHILY uses the edge kinds (unlabeled end, same-class,
 * cross-class, in drawing order); the other styles use 0.
 */
#define N_EDGE_LEVELS 17
#define N_EDGE_COLORS (N_EDGE_LEVELS + 1)
#define N_EDGE_WIDTHS (N_EDGE_LEVELS + 1)
#define EDGE_SKIP     G_MAXUINT16

/*
 * Which edges a screen frame draws when the graph has far more edges than
 * the frame has pixels (philia_graph_view_draw_sampled()): the canonical
 * edges (u < v) are numbered in CSR order, edge i goes to slot r_i = i × step
 * mod m (a Weyl sequence: step is near m / φ and coprime to m, so the slots
 * are a permutation and the kept ones are spread evenly along the CSR), and
 * the edges whose slot is below @keep are drawn: exactly min (@keep, m) of
 * them, from every part of the graph. Deterministic, so a frame drawn again
 * (panned, say) shows the same edges.
 */
typedef struct
{
  guint64 m;      /* canonical edges */
  guint64 step;
  guint64 keep;   /* ≥ m: every edge */
  guint64 r;      /* the next edge's slot */
} EdgeSample;

void _philia_graph_view_edge_sample_init (const PhiliaGraphView *view,
                                          guint64                max_edges,
                                          EdgeSample            *sample);

/* Whether the next canonical edge (in CSR order) is drawn; once per edge. */
static inline gboolean
edge_sample_next (EdgeSample *sample)
{
  gboolean keep;

  if (sample->keep >= sample->m)
    return TRUE;
  keep = sample->r < sample->keep;
  sample->r += sample->step;
  if (sample->r >= sample->m)
    sample->r -= sample->m;
  return keep;
}

/* --- philia-graph-scratch.c ---------------------------------------------- */
/* The arrays a frame takes from its scratch (one of each at a time). */
typedef enum
{
  SCRATCH_NODES,          /* RasterNode per node */
  SCRATCH_BUCKETS,        /* colour bucket per node */
  SCRATCH_CELLS,          /* density grid of one frame */
  SCRATCH_DENSITY,        /* density grid kept for the next frame */
  SCRATCH_EDGE_KEYS,      /* colour and width bucket per CSR entry */
  SCRATCH_SORT_SLOT,      /* kept_ascending()'s work arrays */
  SCRATCH_SORT_START,
  SCRATCH_SORT_NUMBER,
  SCRATCH_SORT_RANK,
  N_SCRATCH_BUFFERS
} ScratchBuffer;

/* The images: edge masks (one per edge kind), the node layer, and the
 * edge masks kept for the next frame (philia-graph-raster.c). */
typedef enum
{
  SCRATCH_MASK_0,
  SCRATCH_LAYER = SCRATCH_MASK_0 + N_EDGE_KINDS,
  SCRATCH_EDGES_0,
  N_SCRATCH_SURFACES = SCRATCH_EDGES_0 + N_EDGE_KINDS
} ScratchSurface;

/*
 * The edges a sample keeps, as (u, v) pairs in CSR order, and each one's
 * slot: the frame draws those with slot < keep. A scratch keeps them for
 * the next frame, which draws the same graph with a budget that moves a
 * little as the view pans: kept for some more slots than asked, they serve
 * every budget up to those.
 */
typedef struct
{
  guint32 *pairs;    /* 2 × n node ids */
  guint64 *slots;    /* n slots */
  gsize    n;
  gboolean owned;    /* the caller's to free (no scratch) */
} KeptEdges;

struct _PhiliaFrameScratch
{
  GMutex           lock;       /* one draw at a time: a second one allocates */
  guint64          allocations;
  gpointer         buffers[N_SCRATCH_BUFFERS];
  gsize            sizes[N_SCRATCH_BUFFERS];
  cairo_surface_t *surfaces[N_SCRATCH_SURFACES];
  /* The kept edges of the last sampled frame. */
  GWeakRef         kept_graph;
  guint64          kept_m;
  guint64          kept_step;
  guint64          kept_keep;  /* slots below this are all in kept */
  KeptEdges        kept;
  gsize            kept_capacity;
  /* The density grid of the last frame that drew one (SCRATCH_DENSITY),
   * anchored to the layout (philia-graph-density.c), and what it was
   * filled from: a pan of the same zoom reads it instead of filling. */
  GWeakRef         density_graph;
  gboolean         density_valid;
  guint64          density_positions;   /* hashes of the positions and buckets */
  guint64          density_buckets;
  double           density_scale;
  double           density_fx;          /* the offsets' fractions */
  double           density_fy;
  double           density_base;
  gboolean         density_by_degree;
  gint64           density_reach[4];    /* the drawings it serves: i0, j0, i1, j1 */
  gint64           density_i0;          /* its cells, in layout cells */
  gint64           density_j0;
  int              density_width;
  int              density_height;
  guint64          density_fills;       /* how many times it was filled */
  /* The positions' hash, once per draw (reset when the draw takes the scratch). */
  gboolean         frame_hash_valid;
  guint64          frame_hash;
  /* The edge masks of the last sampled frame (SCRATCH_EDGES_0 …), anchored
   * to the layout like the density grid, and what they were drawn from. */
  GWeakRef         edges_graph;
  gboolean         edges_valid;
  guint64          edges_positions;
  double           edges_scale;         /* device pixels per layout unit */
  double           edges_raster_scale;
  double           edges_fx;            /* the device offsets' fractions */
  double           edges_fy;
  double           edges_line_width;
  gboolean         edges_split;
  guint64          edges_m;
  guint64          edges_step;
  guint64          edges_keep;
  gint64           edges_x0;            /* the masks' first pixel, anchored */
  gint64           edges_y0;
  int              edges_width;
  int              edges_height;
  guint64          edges_fills;
  /* The last budget philia_graph_view_edge_budget() measured, and of what. */
  GWeakRef         budget_graph;
  gboolean         budget_valid;
  guint64          budget_hash;         /* of the positions it sampled */
  double           budget_scale;
  double           budget_width;
  double           budget_height;
  double           budget_crossings;
  guint64          budget_max_edges;
  double           budget_offset_x;     /* where it was measured */
  double           budget_offset_y;
  guint64          budget;
};

PhiliaFrameScratch *_philia_frame_scratch_lock (const PhiliaGraphView *view);
void _philia_frame_scratch_unlock (PhiliaFrameScratch *scratch);
gpointer _philia_frame_scratch_take (PhiliaFrameScratch *scratch,
                                     ScratchBuffer       which,
                                     gsize               size);
void _philia_frame_scratch_give (PhiliaFrameScratch *scratch,
                                 gpointer            data);
cairo_surface_t *_philia_frame_scratch_surface (PhiliaFrameScratch *scratch,
                                                ScratchSurface      which,
                                                cairo_format_t      format,
                                                int                 width,
                                                int                 height,
                                                double              device_scale);
void _philia_frame_scratch_give_surface (PhiliaFrameScratch *scratch,
                                         cairo_surface_t    *surface);
guint64 _philia_frame_scratch_hash_bytes (gconstpointer data,
                                          gsize         size);
guint64 _philia_frame_scratch_positions_hash (PhiliaFrameScratch    *scratch,
                                              const PhiliaGraphView *view);

/* --- philia-graph-sample.c ----------------------------------------------- */
guint64 _philia_graph_view_canonical_edges (const PhiliaGraphView *view);
gboolean _philia_graph_view_sample_edges (const PhiliaGraphView *view,
                                          PhiliaFrameScratch    *scratch,
                                          const EdgeSample      *sample,
                                          KeptEdges             *kept);
void _philia_graph_view_kept_edges_clear (KeptEdges *kept);

extern const PhiliaRgba _philia_graph_view_unlabeled_grey;
extern const PhiliaRgba _philia_graph_view_edge_kind_colors[N_EDGE_KINDS];

/* --- philia-graph-view.c -------------------------------------------------- */
guint16 *_philia_graph_view_edge_buckets (const PhiliaGraphView *view,
                                          EdgeSample            *sample,
                                          guint counts[N_EDGE_COLORS * N_EDGE_WIDTHS]);
double _philia_graph_view_edge_width_of_bucket (guint  bucket,
                                                double line_width);
double _philia_graph_view_node_radius (const PhiliaGraphView *view,
                                       guint                  v,
                                       double                 base);
void _philia_graph_view_category_color (const PhiliaGraphView *view,
                                        gint32                 k,
                                        PhiliaRgba            *color);
void _philia_graph_view_draw_highlight (cairo_t                 *cr,
                                        const PhiliaGraphView   *view,
                                        const PhiliaRenderStyle *style,
                                        double                   base);

/* --- philia-graph-raster.c ------------------------------------------------ */
typedef struct
{
  int    width;    /* device pixels */
  int    height;
  double scale;    /* device pixels per user unit */
} Raster;

gboolean _philia_graph_view_raster_begin (cairo_t *cr,
                                          double   width,
                                          double   height,
                                          Raster  *raster);
cairo_surface_t *_philia_graph_view_raster_surface (const Raster       *raster,
                                                    cairo_format_t      format,
                                                    PhiliaFrameScratch *scratch,
                                                    ScratchSurface      which);
void _philia_graph_view_raster_edges_by_value (cairo_t               *cr,
                                               const Raster          *raster,
                                               const PhiliaGraphView *view,
                                               EdgeSample            *sample,
                                               double                 line_width,
                                               const PhiliaRgba      *colors);
void _philia_graph_view_raster_edges (cairo_t               *cr,
                                      const Raster          *raster,
                                      const PhiliaGraphView *view,
                                      EdgeSample            *sample,
                                      double                 line_width,
                                      const PhiliaRgba      *colors);
void _philia_graph_view_raster_node (guint8        *data,
                                     int            stride,
                                     int            w,
                                     int            h,
                                     double         x,
                                     double         y,
                                     double         r,
                                     const guint32  color[4]);

/* --- philia-graph-density.c ----------------------------------------------- */
gboolean _philia_graph_view_node_overdraw (const PhiliaGraphView *view,
                                           double                 width,
                                           double                 height,
                                           double                 base,
                                           double                *overdraw);
double _philia_graph_view_density_alpha (guint32 count);
gboolean _philia_graph_view_draw_density (cairo_t               *cr,
                                          double                 width,
                                          double                 height,
                                          const PhiliaGraphView *view,
                                          double                 base,
                                          const guint           *bucket_of,
                                          const PhiliaRgba      *colors,
                                          guint                  n_colors);

/* --- philia-graph-view-labels.c ------------------------------------------- */
cairo_t *_philia_graph_view_measure_context (void);
gboolean _philia_graph_view_boxes_meet (const PhiliaBox *a,
                                        const PhiliaBox *b);
double _philia_graph_view_pair_radius (const PhiliaGraphView *view,
                                       guint                  v,
                                       double                 base);
GArray *_philia_graph_view_place_labels (cairo_t                 *measure,
                                         const PhiliaGraphView   *view,
                                         const PhiliaRenderStyle *style,
                                         double                   width,
                                         double                   height,
                                         double                   base,
                                         const PhiliaBox         *legend,
                                         guint                   *n_dropped);
void _philia_graph_view_draw_labels (cairo_t                 *cr,
                                     const PhiliaGraphView   *view,
                                     const PhiliaRenderStyle *style,
                                     const GArray            *placed);
GArray *_philia_graph_view_legend_rows (const PhiliaGraphView *view);
void _philia_graph_view_legend_place (cairo_t                 *measure,
                                      const PhiliaGraphView   *view,
                                      const PhiliaRenderStyle *style,
                                      const GArray            *rows,
                                      double                   width,
                                      double                   height,
                                      double                   base,
                                      PhiliaBox               *box,
                                      guint                   *covered);
void _philia_graph_view_draw_legend (cairo_t                 *cr,
                                     const PhiliaGraphView   *view,
                                     const PhiliaRenderStyle *style,
                                     const GArray            *rows,
                                     const PhiliaBox         *box,
                                     guint                    covered);

G_END_DECLS
