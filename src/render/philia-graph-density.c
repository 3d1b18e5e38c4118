/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-graph-view-private.h"

/*
 * Nodes as a density raster. Zoomed out on 10^5–10^6 nodes, many nodes fall
 * on one pixel, and discs drawn one colour after another show only the
 * colour drawn last there: a class drawn early disappears wherever it mixes
 * with another. So when the nodes crowd (the rule below), each cell of the
 * drawing (one unit: a logical pixel on screen, a point in a file) counts
 * the nodes over it, and shows
 *
 *   - the colour of one of them, chosen at random in proportion to how many
 *     nodes of each colour lie there (a seeded hash per cell: the same view
 *     gives the same picture), so that over a region every colour covers the
 *     share of cells its nodes have, and every colour stays in the legend's
 *     own hue instead of a blend no legend row names;
 *   - at an opacity that grows with the count: DENSITY_ALPHA_ONE for one
 *     node, opaque from DENSITY_SATURATION on, on a log scale between, so
 *     that dense cores read darker than lone nodes and edges show through
 *     thin parts. The scale is fixed, not relative to the frame, so panning
 *     does not change a region's shade.
 *
 * The rule: the nodes are drawn as a density raster when, over the cells
 * they cover, each covered cell is covered by DENSITY_OVERDRAW nodes or
 * more on average, that is when discs would hide a third or more of what
 * they draw (at 2, half: a 10^5-node graph fitted to a window sits just
 * under that, with one class hidden under another in its cores). Zoomed
 * in, nodes spread out and discs come back. The grid is in the drawing's
 * units, not device pixels, so that the rule and the picture are
 * the same on screen (any scale factor) and in PNG, SVG and PDF exports of
 * the same view and size: files embed the raster as an image.
 */

#define DENSITY_OVERDRAW   1.5
#define DENSITY_ALPHA_ONE  0.6
#define DENSITY_SATURATION 64
/* Fewer nodes in view keep their discs, crowded or not: the rule is for
 * graphs whose nodes outnumber what discs can show. */
#define DENSITY_MIN_NODES  10000
/* Past this many cells (a 4096 × 4096 figure), discs: the grid would cost
 * 8 bytes a cell. */
#define DENSITY_MAX_CELLS  (4096 * 4096)
#define PREFETCH_AHEAD     16

/* A cell: its count and bucket side by side, one cache line for both (the
 * covers of a 10^6-node frame land all over the grid). */
typedef struct
{
  guint32 count;       /* nodes over the cell */
  guint32 bucket;      /* the colour bucket it shows */
} DensityCell;

typedef struct
{
  int          width;      /* cells */
  int          height;
  DensityCell *cells;      /* from the view's scratch */
  gboolean     colored;    /* buckets kept */
  guint64      covers;     /* node-cell covers */
  guint64      covered;    /* cells covered at least once */
  guint        nodes;      /* nodes in view */
} DensityGrid;

static inline guint32
cell_hash (guint32 cell,
           guint32 count)
{
  guint64 z = ((guint64)cell << 32 | count) + G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return (guint32)(z ^ (z >> 31));
}

/*
 * A node covers the cells whose centres lie within its radius, and at
 * least the cell it lies in (whose centre is within half a diagonal). The
 * k-th node over a cell takes the cell's colour with probability 1 / k
 * (reservoir sampling), so each colour ends up shown with probability its
 * share of the cell's nodes, with 8 bytes a cell whatever the colouring.
 * @bucket_of: NULL to count only.
 */
static gboolean
density_grid_fill (DensityGrid           *grid,
                   const PhiliaGraphView *view,
                   double                 width,
                   double                 height,
                   double                 base,
                   const guint           *bucket_of)
{
  guint n = philia_graph_get_n_nodes (view->graph);
  const double *p = view->positions;
  /* One radius for all unless sized by degree: no call per node. */
  double same_r = MAX (base, G_SQRT2 / 2);

  *grid = (DensityGrid) { 0 };
  if (!(width >= 1 && height >= 1) || width * height > DENSITY_MAX_CELLS || p == NULL)
    return FALSE;
  grid->width = (int)ceil (width);
  grid->height = (int)ceil (height);
  grid->cells = _philia_frame_scratch_take (view->scratch, SCRATCH_CELLS,
                                            sizeof (DensityCell) * grid->width * grid->height);
  memset (grid->cells, 0, sizeof (DensityCell) * grid->width * grid->height);
  grid->colored = bucket_of != NULL;

  for (guint v = 0; v < n; v++)
    {
      double x = p[2 * v] * view->scale + view->offset_x;
      double y = p[2 * v + 1] * view->scale + view->offset_y;
      double r = view->size_by_degree
                 ? MAX (_philia_graph_view_node_radius (view, v, base), G_SQRT2 / 2) : same_r;
      int i0, i1, j0, j1;

#if defined(__GNUC__)
      /* Nodes come in no order over the grid (megabytes at 10^6 nodes,
       * beyond the core's cache): the cell of a node some nodes ahead is
       * asked for now, or each cover waits on memory (two thirds of the
       * fill's time). */
      if (v + PREFETCH_AHEAD < n)
        {
          double ax = p[2 * (v + PREFETCH_AHEAD)] * view->scale + view->offset_x;
          double ay = p[2 * (v + PREFETCH_AHEAD) + 1] * view->scale + view->offset_y;

          if (ax >= 0 && ay >= 0 && ax < grid->width && ay < grid->height)
            __builtin_prefetch (&grid->cells[(gsize)ay * grid->width + (gsize)ax], 1);
        }
#endif

      if (!(x > -r && y > -r && x < width + r && y < height + r))
        continue;   /* also NaN positions */
      grid->nodes++;
      i0 = MAX (0, (int)floor (x - r)), i1 = MIN (grid->width - 1, (int)floor (x + r));
      j0 = MAX (0, (int)floor (y - r)), j1 = MIN (grid->height - 1, (int)floor (y + r));
      for (int j = j0; j <= j1; j++)
        {
          double dy = j + 0.5 - y;

          for (int i = i0; i <= i1; i++)
            {
              double dx = i + 0.5 - x;
              guint32 cell = (guint32)j * (guint32)grid->width + (guint32)i, c;

              if (dx * dx + dy * dy > r * r)
                continue;
              c = ++grid->cells[cell].count;
              grid->covers++;
              if (c == 1)
                grid->covered++;
              /* Probability 1 / c: the hash is below 2^32 / c. A product,
               * where a remainder (a division for each cover) cost a fifth
               * of a 10^6-node frame. The first node always takes it. */
              if (bucket_of != NULL && (c == 1 || ((guint64)cell_hash (cell, c) * c) >> 32 == 0))
                grid->cells[cell].bucket = bucket_of[v];
            }
        }
    }
  return TRUE;
}

static void
density_grid_clear (DensityGrid           *grid,
                    const PhiliaGraphView *view)
{
  if (grid->cells != NULL)
    _philia_frame_scratch_give (view->scratch, grid->cells);
  grid->cells = NULL;
}

static gboolean
density_rule (const DensityGrid *grid)
{
  return grid->nodes >= DENSITY_MIN_NODES && grid->covered > 0
         && grid->covers >= DENSITY_OVERDRAW * grid->covered;
}

/**
 * _philia_graph_view_node_overdraw:
 *
 * How many nodes cover each covered cell of a @width × @height drawing on
 * average (0 without nodes in view or past the grid's size), and whether
 * the nodes are drawn as a density raster there.
 */
gboolean
_philia_graph_view_node_overdraw (const PhiliaGraphView *view,
                                  double                 width,
                                  double                 height,
                                  double                 base,
                                  double                *overdraw)
{
  DensityGrid grid;
  gboolean dense = FALSE;

  *overdraw = 0;
  if (density_grid_fill (&grid, view, width, height, base, NULL))
    {
      *overdraw = grid.covered > 0 ? (double)grid.covers / grid.covered : 0;
      dense = density_rule (&grid);
    }
  density_grid_clear (&grid, view);
  return dense;
}

/* The opacity of a cell covered by @count nodes. */
double
_philia_graph_view_density_alpha (guint32 count)
{
  if (count == 0)
    return 0;
  return MIN (1.0, DENSITY_ALPHA_ONE + (1 - DENSITY_ALPHA_ONE) * log2 (count)
                                       / log2 (DENSITY_SATURATION));
}

/**
 * _philia_graph_view_draw_density:
 * @bucket_of: the colour bucket of each node, an index into @colors
 *
 * Draws the nodes as a density raster if the rule says so; otherwise draws
 * nothing and returns %FALSE (the caller draws discs).
 */
gboolean
_philia_graph_view_draw_density (cairo_t               *cr,
                                 double                 width,
                                 double                 height,
                                 const PhiliaGraphView *view,
                                 double                 base,
                                 const guint           *bucket_of,
                                 const PhiliaRgba      *colors,
                                 guint                  n_colors)
{
  DensityGrid grid;
  cairo_surface_t *layer;
  cairo_pattern_t *pattern;
  guint8 *data;
  int stride;
  double alpha[DENSITY_SATURATION + 1];

  /* Fewer nodes than the rule asks for in view: discs, without filling
   * (and clearing) a grid of the whole drawing for nothing. */
  if (philia_graph_get_n_nodes (view->graph) < DENSITY_MIN_NODES)
    return FALSE;
  if (!density_grid_fill (&grid, view, width, height, base, bucket_of) || !density_rule (&grid))
    {
      density_grid_clear (&grid, view);
      return FALSE;
    }

  for (int c = 0; c <= DENSITY_SATURATION; c++)
    alpha[c] = _philia_graph_view_density_alpha ((guint32)c);
  layer = _philia_frame_scratch_surface (view->scratch, SCRATCH_LAYER, CAIRO_FORMAT_ARGB32,
                                         grid.width, grid.height, 1);
  data = cairo_image_surface_get_data (layer);
  stride = cairo_image_surface_get_stride (layer);
  for (int j = 0; j < grid.height; j++)
    {
      guint32 *row = (guint32 *)(data + (gsize)j * stride);

      for (int i = 0; i < grid.width; i++)
        {
          gsize cell = (gsize)j * grid.width + i;
          guint32 count = grid.cells[cell].count;
          const PhiliaRgba *c;
          double a;

          if (count == 0 || grid.cells[cell].bucket >= n_colors)
            {
              row[i] = 0;
              continue;
            }
          c = &colors[grid.cells[cell].bucket];
          a = alpha[MIN (count, (guint32)DENSITY_SATURATION)] * CLAMP (c->a, 0.0, 1.0);
          row[i] = (guint32)(a * 255 + 0.5) << 24
                   | (guint32)(CLAMP (c->r, 0.0, 1.0) * a * 255 + 0.5) << 16
                   | (guint32)(CLAMP (c->g, 0.0, 1.0) * a * 255 + 0.5) << 8
                   | (guint32)(CLAMP (c->b, 0.0, 1.0) * a * 255 + 0.5);
        }
    }
  cairo_surface_mark_dirty (layer);
  density_grid_clear (&grid, view);

  /* Cells stay sharp at any scale: on a HiDPI screen, at any PNG resolution
   * and in a file's viewer. */
  cairo_save (cr);
  cairo_set_source_surface (cr, layer, 0, 0);
  pattern = cairo_get_source (cr);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);
  _philia_frame_scratch_give_surface (view->scratch, layer);
  return TRUE;
}
