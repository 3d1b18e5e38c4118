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
 *     nodes of each colour lie there (a seeded hash of the cell's place in
 *     the layout, see DensityGrid: the same view gives the same picture,
 *     and a pan moves it whole), so that over a region every colour covers the
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
/* A kept grid reaches this share of the view's width and height beyond
 * each side of it (where nodes lie there), so a pan of up to that much
 * reads it instead of filling a new one; 4 times the view's cells at most. */
#define DENSITY_MARGIN     0.5
/* Colour tables (bucket × count) for at most this many colour buckets. */
#define DENSITY_TABLE_COLORS 1024

/* A cell: its count and bucket side by side, one cache line for both (the
 * covers of a 10^6-node frame land all over the grid). */
typedef struct
{
  guint32 count;       /* nodes over the cell */
  guint32 bucket;      /* the colour bucket it shows */
} DensityCell;

/*
 * The grid is anchored to the layout, not to the screen: cell (I, J) spans
 * [I, I + 1) × [J, J + 1) of a = position × scale + frac (offset), the
 * offsets' fractional parts, and is the drawing's cell (I + ⌊offset_x⌋,
 * J + ⌊offset_y⌋). Which nodes cover a cell, and the colour the cell
 * shows, depend on the zoom and the offsets' fractions only: a view moved
 * by whole units shows each cell's content moved with it, exactly, so a
 * pan can read the grid of the last frame (kept in the scratch over some
 * margin around the view) instead of filling it again.
 */
typedef struct
{
  gint64       i0;         /* the first cell, in layout cells */
  gint64       j0;
  int          width;      /* cells */
  int          height;
  DensityCell *cells;
} DensityGrid;

/* What a view's drawing of @width × @height units puts where. */
typedef struct
{
  double fx, fy;           /* the offsets' fractions */
  gint64 vi0, vj0;         /* the drawing's first cell, in layout cells */
  int    width, height;    /* the drawing's cells */
  double same_r;           /* every node's radius, unless sized by degree */
} DensityFrame;

static inline guint32
cell_hash (gint64  i,
           gint64  j,
           guint32 count)
{
  guint64 z = ((guint64)(guint32)i << 32 | (guint32)j)
              ^ ((guint64)count * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return (guint32)(z ^ (z >> 31));
}

static inline double
density_radius (const PhiliaGraphView *view,
                const DensityFrame    *frame,
                guint                  v,
                double                 base)
{
  return view->size_by_degree
         ? MAX (_philia_graph_view_node_radius (view, v, base), G_SQRT2 / 2) : frame->same_r;
}

/* Whether a drawing of @width × @height can have a grid, and where it lies. */
static gboolean
density_frame_init (DensityFrame          *frame,
                    const PhiliaGraphView *view,
                    double                 width,
                    double                 height,
                    double                 base)
{
  double ox = floor (view->offset_x), oy = floor (view->offset_y);

  if (!(width >= 1 && height >= 1) || width * height > DENSITY_MAX_CELLS
      || view->positions == NULL || !(fabs (ox) < 1e15 && fabs (oy) < 1e15))
    return FALSE;
  frame->fx = view->offset_x - ox, frame->fy = view->offset_y - oy;
  frame->vi0 = -(gint64)ox, frame->vj0 = -(gint64)oy;
  frame->width = (int)ceil (width), frame->height = (int)ceil (height);
  /* One radius for all unless sized by degree: no call per node. */
  frame->same_r = MAX (base, G_SQRT2 / 2);
  return TRUE;
}

/* The nodes whose discs reach into the drawing, counted up to @limit. */
static guint
density_nodes_in_view (const PhiliaGraphView *view,
                       const DensityFrame    *frame,
                       double                 width,
                       double                 height,
                       double                 base,
                       guint                  limit)
{
  guint n = philia_graph_get_n_nodes (view->graph), in = 0;
  const double *p = view->positions;
  double x0 = (double)frame->vi0, y0 = (double)frame->vj0;

  for (guint v = 0; v < n && in < limit; v++)
    {
      double ax = p[2 * v] * view->scale + frame->fx;
      double ay = p[2 * v + 1] * view->scale + frame->fy;
      double r = density_radius (view, frame, v, base);

      /* Also NaN positions. */
      in += ax > x0 - r && ay > y0 - r && ax < x0 + width + r && ay < y0 + height + r;
    }
  return in;
}

/*
 * Fills @grid (its cells and origin set) with the nodes over it. A node
 * covers the cells whose centres lie within its radius, and at least the
 * cell it lies in (whose centre is within half a diagonal). The k-th node
 * over a cell takes the cell's colour with probability 1 / k (reservoir
 * sampling), so each colour ends up shown with probability its share of
 * the cell's nodes, with 8 bytes a cell whatever the colouring. Everything
 * is computed in layout cells, so a cell gets the same count and colour
 * whichever grid it is filled in.
 * @bucket_of: NULL to count only.
 */
static void
density_grid_fill (DensityGrid           *grid,
                   const PhiliaGraphView *view,
                   const DensityFrame    *frame,
                   double                 base,
                   const guint           *bucket_of)
{
  guint n = philia_graph_get_n_nodes (view->graph);
  const double *p = view->positions;
  double x0 = (double)grid->i0, y0 = (double)grid->j0;
  double x1 = x0 + grid->width, y1 = y0 + grid->height;

  memset (grid->cells, 0, sizeof (DensityCell) * grid->width * grid->height);
  for (guint v = 0; v < n; v++)
    {
      double x = p[2 * v] * view->scale + frame->fx;
      double y = p[2 * v + 1] * view->scale + frame->fy;
      double r = density_radius (view, frame, v, base);
      gint64 i0, i1, j0, j1;

#if defined(__GNUC__)
      /* Nodes come in no order over the grid (megabytes at 10^6 nodes,
       * beyond the core's cache): the cell of a node some nodes ahead is
       * asked for now, or each cover waits on memory (two thirds of the
       * fill's time). */
      if (v + PREFETCH_AHEAD < n)
        {
          double ax = p[2 * (v + PREFETCH_AHEAD)] * view->scale + frame->fx - x0;
          double ay = p[2 * (v + PREFETCH_AHEAD) + 1] * view->scale + frame->fy - y0;

          if (ax >= 0 && ay >= 0 && ax < grid->width && ay < grid->height)
            __builtin_prefetch (&grid->cells[(gsize)ay * grid->width + (gsize)ax], 1);
        }
#endif

      if (!(x > x0 - r && y > y0 - r && x < x1 + r && y < y1 + r))
        continue;   /* also NaN positions */
      i0 = MAX (grid->i0, (gint64)floor (x - r));
      i1 = MIN (grid->i0 + grid->width - 1, (gint64)floor (x + r));
      j0 = MAX (grid->j0, (gint64)floor (y - r));
      j1 = MIN (grid->j0 + grid->height - 1, (gint64)floor (y + r));
      for (gint64 j = j0; j <= j1; j++)
        {
          double dy = (double)j + 0.5 - y;
          DensityCell *row = grid->cells + (gsize)(j - grid->j0) * grid->width - grid->i0;

          for (gint64 i = i0; i <= i1; i++)
            {
              double dx = (double)i + 0.5 - x;
              guint32 c;

              if (dx * dx + dy * dy > r * r)
                continue;
              c = ++row[i].count;
              /* Probability 1 / c: the hash is below 2^32 / c. A product,
               * where a remainder (a division for each cover) cost a fifth
               * of a 10^6-node frame. The first node always takes it. */
              if (bucket_of != NULL && (c == 1 || ((guint64)cell_hash (i, j, c) * c) >> 32 == 0))
                row[i].bucket = bucket_of[v];
            }
        }
    }
}

/*
 * Row @j of the drawing in @grid: the cells of its columns [*@first, *@end)
 * (indexed by the drawing's column), the others being empty (the grid
 * keeps no cells where no node lies).
 */
static const DensityCell *
density_window_row (const DensityGrid  *grid,
                    const DensityFrame *frame,
                    int                 j,
                    int                *first,
                    int                *end)
{
  gint64 row = frame->vj0 + j - grid->j0;

  *first = (int)CLAMP (grid->i0 - frame->vi0, 0, frame->width);
  *end = (int)CLAMP (grid->i0 + grid->width - frame->vi0, *first, frame->width);
  if (row < 0 || row >= grid->height)
    {
      *end = *first;
      return NULL;
    }
  return grid->cells + row * grid->width + (frame->vi0 - grid->i0);
}

/* The drawing's covers and covered cells. */
static void
density_window_counts (const DensityGrid  *grid,
                       const DensityFrame *frame,
                       guint64            *covers,
                       guint64            *covered)
{
  *covers = *covered = 0;
  for (int j = 0; j < frame->height; j++)
    {
      int first, end;
      const DensityCell *row = density_window_row (grid, frame, j, &first, &end);

      for (int i = first; i < end; i++)
        {
          *covers += row[i].count;
          *covered += row[i].count != 0;
        }
    }
}

static gboolean
density_rule (guint   nodes,
              guint64 covers,
              guint64 covered)
{
  return nodes >= DENSITY_MIN_NODES && covered > 0 && covers >= DENSITY_OVERDRAW * covered;
}

/*
 * The grid of a screen frame that has a scratch: the kept one if it was
 * filled from the same nodes, positions, colours, zoom and offset fractions
 * and holds the drawing, else one filled afresh over the drawing and a
 * margin around it (where nodes lie), and kept.
 */
static gboolean
density_grid_kept (DensityGrid           *grid,
                   const PhiliaGraphView *view,
                   const DensityFrame    *frame,
                   double                 base,
                   const guint           *bucket_of)
{
  PhiliaFrameScratch *scratch = view->scratch;
  guint n = philia_graph_get_n_nodes (view->graph);
  const double *p = view->positions;
  guint64 positions = _philia_frame_scratch_positions_hash (scratch, view);
  guint64 buckets = _philia_frame_scratch_hash_bytes (bucket_of, (gsize)n * sizeof (guint));
  g_autoptr(PhiliaGraph) kept_graph = g_weak_ref_get (&scratch->density_graph);
  gint64 mi = (gint64)ceil (DENSITY_MARGIN * frame->width);
  gint64 mj = (gint64)ceil (DENSITY_MARGIN * frame->height);
  double lo_x = G_MAXDOUBLE, lo_y = G_MAXDOUBLE, hi_x = -G_MAXDOUBLE, hi_y = -G_MAXDOUBLE;
  double r_max = frame->same_r;
  gint64 i0, i1, j0, j1, reach[4];
  gboolean valid, same_nodes, same_zoom, same_radius;
  const char *why;

  /* A drawing past a quarter of the grid's limit keeps no margin. */
  if ((gint64)frame->width * frame->height * 4 > DENSITY_MAX_CELLS)
    mi = mj = 0;
  valid = scratch->density_valid;
  same_nodes = kept_graph == view->graph && scratch->density_positions == positions
               && scratch->density_buckets == buckets;
  same_zoom = scratch->density_scale == view->scale && scratch->density_fx == frame->fx
              && scratch->density_fy == frame->fy;
  same_radius = scratch->density_base == base && scratch->density_by_degree == view->size_by_degree;
  if (valid && same_nodes && same_zoom && same_radius
      && frame->vi0 >= scratch->density_reach[0] && frame->vj0 >= scratch->density_reach[1]
      && frame->vi0 + frame->width <= scratch->density_reach[2]
      && frame->vj0 + frame->height <= scratch->density_reach[3])
    {
      *grid = (DensityGrid) {
        .i0 = scratch->density_i0, .j0 = scratch->density_j0,
        .width = scratch->density_width, .height = scratch->density_height,
        .cells = scratch->buffers[SCRATCH_DENSITY],
      };
      return TRUE;
    }

  why = !valid ? "none" : kept_graph != view->graph ? "another graph"
        : scratch->density_positions != positions ? "other positions"
        : scratch->density_buckets != buckets ? "other colours"
        : !same_zoom ? "another zoom or fractions" : !same_radius ? "another radius"
        : "out of reach";

  /* Where the nodes' discs lie, to keep no margin where there is nothing. */
  for (guint v = 0; v < n; v++)
    {
      double x = p[2 * v] * view->scale + frame->fx, y = p[2 * v + 1] * view->scale + frame->fy;

      if (!(isfinite (x) && isfinite (y)))
        continue;
      lo_x = MIN (lo_x, x), hi_x = MAX (hi_x, x), lo_y = MIN (lo_y, y), hi_y = MAX (hi_y, y);
      if (view->size_by_degree)
        r_max = MAX (r_max, density_radius (view, frame, v, base));
    }
  /* It serves drawings within its reach, and keeps cells where nodes lie. */
  reach[0] = frame->vi0 - mi, reach[1] = frame->vj0 - mj;
  reach[2] = frame->vi0 + frame->width + mi, reach[3] = frame->vj0 + frame->height + mj;
  i0 = i1 = reach[0], j0 = j1 = reach[1];
  if (lo_x <= hi_x)
    {
      i0 = MAX (reach[0], (gint64)MAX (floor (lo_x - r_max), -1e15));
      i1 = MAX (i0, MIN (reach[2], (gint64)MIN (floor (hi_x + r_max) + 1, 1e15)));
      j0 = MAX (reach[1], (gint64)MAX (floor (lo_y - r_max), -1e15));
      j1 = MAX (j0, MIN (reach[3], (gint64)MIN (floor (hi_y + r_max) + 1, 1e15)));
    }
  *grid = (DensityGrid) { .i0 = i0, .j0 = j0, .width = (int)(i1 - i0), .height = (int)(j1 - j0) };
  grid->cells = _philia_frame_scratch_take (scratch, SCRATCH_DENSITY,
                                            sizeof (DensityCell) * grid->width * grid->height);
  density_grid_fill (grid, view, frame, base, bucket_of);
  g_weak_ref_set (&scratch->density_graph, view->graph);
  scratch->density_valid = TRUE;
  scratch->density_positions = positions;
  scratch->density_buckets = buckets;
  scratch->density_scale = view->scale;
  scratch->density_fx = frame->fx;
  scratch->density_fy = frame->fy;
  scratch->density_base = base;
  scratch->density_by_degree = view->size_by_degree;
  memcpy (scratch->density_reach, reach, sizeof reach);
  scratch->density_i0 = grid->i0;
  scratch->density_j0 = grid->j0;
  scratch->density_width = grid->width;
  scratch->density_height = grid->height;
  scratch->density_fills++;
  g_debug ("Density grid filled: %d × %d cells, for a view of %d × %d (the kept one: %s)",
           grid->width, grid->height, frame->width, frame->height, why);
  return TRUE;
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
  DensityFrame frame;
  DensityGrid grid;
  guint64 covers, covered;
  guint nodes;

  *overdraw = 0;
  if (!density_frame_init (&frame, view, width, height, base))
    return FALSE;
  nodes = density_nodes_in_view (view, &frame, width, height, base, DENSITY_MIN_NODES);
  grid = (DensityGrid) { .i0 = frame.vi0, .j0 = frame.vj0, .width = frame.width,
                         .height = frame.height };
  grid.cells = _philia_frame_scratch_take (view->scratch, SCRATCH_CELLS,
                                           sizeof (DensityCell) * grid.width * grid.height);
  density_grid_fill (&grid, view, &frame, base, NULL);
  density_window_counts (&grid, &frame, &covers, &covered);
  _philia_frame_scratch_give (view->scratch, grid.cells);
  *overdraw = covered > 0 ? (double)covers / covered : 0;
  return density_rule (nodes, covers, covered);
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
  DensityFrame frame;
  DensityGrid grid;
  cairo_surface_t *layer;
  cairo_pattern_t *pattern;
  guint8 *data;
  int stride;
  double alpha[DENSITY_SATURATION + 1];
  g_autofree guint32 *table = NULL;
  guint64 covers, covered;

  /* Fewer nodes than the rule asks for in view: discs, without filling
   * (and clearing) a grid of the whole drawing for nothing. */
  if (philia_graph_get_n_nodes (view->graph) < DENSITY_MIN_NODES
      || !density_frame_init (&frame, view, width, height, base)
      || density_nodes_in_view (view, &frame, width, height, base, DENSITY_MIN_NODES)
         < DENSITY_MIN_NODES)
    return FALSE;
  if (view->scratch != NULL)
    density_grid_kept (&grid, view, &frame, base, bucket_of);
  else
    {
      grid = (DensityGrid) { .i0 = frame.vi0, .j0 = frame.vj0, .width = frame.width,
                             .height = frame.height };
      grid.cells = g_new (DensityCell, (gsize)grid.width * grid.height);
      density_grid_fill (&grid, view, &frame, base, bucket_of);
    }
  density_window_counts (&grid, &frame, &covers, &covered);
  if (!density_rule (DENSITY_MIN_NODES, covers, covered))
    {
      if (view->scratch == NULL)
        g_free (grid.cells);
      return FALSE;
    }

  for (int c = 0; c <= DENSITY_SATURATION; c++)
    alpha[c] = _philia_graph_view_density_alpha ((guint32)c);
  /* Each colour at each count, once, when there are few colours. */
  if (n_colors <= DENSITY_TABLE_COLORS)
    {
      table = g_new (guint32, (gsize)n_colors * (DENSITY_SATURATION + 1));
      for (guint b = 0; b < n_colors; b++)
        for (int k = 0; k <= DENSITY_SATURATION; k++)
          {
            const PhiliaRgba *c = &colors[b];
            double a = alpha[k] * CLAMP (c->a, 0.0, 1.0);

            table[b * (DENSITY_SATURATION + 1) + k]
              = (guint32)(a * 255 + 0.5) << 24
                | (guint32)(CLAMP (c->r, 0.0, 1.0) * a * 255 + 0.5) << 16
                | (guint32)(CLAMP (c->g, 0.0, 1.0) * a * 255 + 0.5) << 8
                | (guint32)(CLAMP (c->b, 0.0, 1.0) * a * 255 + 0.5);
          }
    }
  layer = _philia_frame_scratch_surface (view->scratch, SCRATCH_LAYER, CAIRO_FORMAT_ARGB32,
                                         frame.width, frame.height, 1);
  data = cairo_image_surface_get_data (layer);
  stride = cairo_image_surface_get_stride (layer);
  for (int j = 0; j < frame.height; j++)
    {
      guint32 *row = (guint32 *)(data + (gsize)j * stride);
      int first, end;
      const DensityCell *cells = density_window_row (&grid, &frame, j, &first, &end);

      /* The layer comes cleared: cells beyond the grid stay empty. */
      for (int i = first; i < end; i++)
        {
          guint32 count = cells[i].count, bucket = cells[i].bucket;
          const PhiliaRgba *c;
          double a;

          if (count == 0 || bucket >= n_colors)
            {
              row[i] = 0;
              continue;
            }
          count = MIN (count, (guint32)DENSITY_SATURATION);
          if (table != NULL)
            {
              row[i] = table[bucket * (DENSITY_SATURATION + 1) + count];
              continue;
            }
          c = &colors[bucket];
          a = alpha[count] * CLAMP (c->a, 0.0, 1.0);
          row[i] = (guint32)(a * 255 + 0.5) << 24
                   | (guint32)(CLAMP (c->r, 0.0, 1.0) * a * 255 + 0.5) << 16
                   | (guint32)(CLAMP (c->g, 0.0, 1.0) * a * 255 + 0.5) << 8
                   | (guint32)(CLAMP (c->b, 0.0, 1.0) * a * 255 + 0.5);
        }
    }
  cairo_surface_mark_dirty (layer);
  if (view->scratch == NULL)
    g_free (grid.cells);

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
