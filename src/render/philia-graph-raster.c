/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-graph-view-private.h"

/*
 * Image targets (the canvas, PNG export) take a raster path. Cairo strokes a
 * path by building the whole outline polygon and scan-converting it, which
 * costs seconds for PubMed's 44,000 edges and minutes for 10^6; rasterising
 * the hairlines directly costs one step per pixel column. The look is kept:
 * all edges of one colour accumulate (saturating) coverage in an A8 mask that
 * is then painted once with the colour, as the union a single cairo_stroke()
 * fills, and nodes are antialiased discs and squares in an ARGB32 layer.
 * Vector targets (SVG, PDF) keep the cairo paths.
 */

/* Whether @cr draws into an image through an axis-aligned uniform scale. */
gboolean
_philia_graph_view_raster_begin (cairo_t *cr,
                                 double   width,
                                 double   height,
                                 Raster  *raster)
{
  cairo_surface_t *target = cairo_get_target (cr);
  cairo_matrix_t m;
  double dsx, dsy;

  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE)
    return FALSE;
  cairo_get_matrix (cr, &m);
  cairo_surface_get_device_scale (target, &dsx, &dsy);
  if (m.xy != 0 || m.yx != 0 || m.xx <= 0 || m.xx != m.yy || dsx != dsy)
    return FALSE;
  raster->scale = m.xx * dsx;
  if (width * raster->scale > 16384 || height * raster->scale > 16384)
    return FALSE;
  raster->width = MAX (1, (int)ceil (width * raster->scale));
  raster->height = MAX (1, (int)ceil (height * raster->scale));
  return TRUE;
}

/* One row and column more than the view: the clip hides them. Cleared;
 * give it back with _philia_frame_scratch_give_surface(). */
cairo_surface_t *
_philia_graph_view_raster_surface (const Raster       *raster,
                                   cairo_format_t      format,
                                   PhiliaFrameScratch *scratch,
                                   ScratchSurface      which)
{
  return _philia_frame_scratch_surface (scratch, which, format, raster->width + 1,
                                        raster->height + 1, raster->scale);
}

/*
 * Where a mask lies: its pixel (0, 0) is the anchored pixel (x0, y0), and
 * it has width × height pixels, every one of which a line may write.
 * Anchored device pixels are whole units of position × scale + the device
 * offsets' fractions (as the density grid's cells): a view moved by whole
 * pixels has the same anchored coordinates, only shifted by whole pixels.
 */
typedef struct
{
  gint64 x0;
  gint64 y0;
  int    width;
  int    height;
} MaskBox;

/* Liang–Barsky: narrows [*t0, *t1] to the part of the segment (x0, y0) +
 * t (dx, dy) inside [xmin, xmax] × [ymin, ymax]; FALSE when none of it is. */
static gboolean
clip_segment (double  x0,
              double  y0,
              double  dx,
              double  dy,
              double  xmin,
              double  ymin,
              double  xmax,
              double  ymax,
              double *t0,
              double *t1)
{
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { x0 - xmin, xmax - x0, y0 - ymin, ymax - y0 };

  for (int k = 0; k < 4; k++)
    {
      if (p[k] == 0)
        {
          if (q[k] < 0)
            return FALSE;
          continue;
        }
      if (p[k] < 0)
        *t0 = MAX (*t0, q[k] / p[k]);
      else
        *t1 = MIN (*t1, q[k] / p[k]);
    }
  return *t0 <= *t1;
}

/* Lines are cut to this box of anchored pixels (the same for every mask),
 * so that the 16.16 steps below stay within 64 bits. */
#define LINE_LIMIT 1073741824.0

/*
 * One antialiased line of @line_width pixels from (x0, y0) to (x1, y1), in
 * anchored device pixels: each column (or row, for steep lines) along the
 * major axis gets the area the line covers in it, split between the two
 * nearest pixels. Every column's coverage and place is computed from the
 * whole line, never from where the mask cuts it, so a column has the same
 * bytes in any mask that holds it: a larger mask kept across a pan, cut to
 * the view, is the view's own mask. Pixels beyond the mask are skipped.
 */
static void
raster_line (guint8        *mask,
             int            stride,
             const MaskBox *box,
             double         x0,
             double         y0,
             double         x1,
             double         y1,
             double         line_width)
{
  double dx = x1 - x0, dy = y1 - y0;
  double slope, weight, a0, a1, b0, b1, c0, c1, f0, f1;
  gint64 i0, i1, lo, hi, major_min, minor_min, c, step;
  int major_len, minor_len, full, first, last;
  gsize major_step, minor_step;

  if (!(isfinite (dx) && isfinite (dy)))
    return;
  if (fabs (x0) > LINE_LIMIT || fabs (y0) > LINE_LIMIT || fabs (x1) > LINE_LIMIT
      || fabs (y1) > LINE_LIMIT)
    {
      /* Cut to the fixed box (Liang–Barsky): far beyond any mask. */
      double t0 = 0, t1 = 1;

      if (!clip_segment (x0, y0, dx, dy, -LINE_LIMIT, -LINE_LIMIT, LINE_LIMIT, LINE_LIMIT,
                         &t0, &t1))
        return;
      x1 = x0 + t1 * dx, y1 = y0 + t1 * dy, x0 = x0 + t0 * dx, y0 = y0 + t0 * dy;
    }

  /* a runs along the major axis, b along the minor one. */
  if (fabs (dy) > fabs (dx))
    {
      a0 = y0, a1 = y1, b0 = x0, b1 = x1;
      major_min = box->y0, major_len = box->height, major_step = stride;
      minor_min = box->x0, minor_len = box->width, minor_step = 1;
    }
  else
    {
      a0 = x0, a1 = x1, b0 = y0, b1 = y1;
      major_min = box->x0, major_len = box->width, major_step = 1;
      minor_min = box->y0, minor_len = box->height, minor_step = stride;
    }
  if (a1 < a0)
    {
      double t = a0;

      a0 = a1, a1 = t;
      t = b0, b0 = b1, b1 = t;
    }
  if (a1 - a0 < 1e-9)
    {
      /* A dot: at most one sample. */
      a1 = a0 + 1e-9;
    }
  f0 = floor (a0), f1 = floor (a1);
  i0 = (gint64)f0, i1 = (gint64)f1;
  lo = MAX (i0, major_min), hi = MIN (i1, major_min + major_len - 1);
  if (lo > hi)
    return;
  slope = (b1 - b0) / (a1 - a0);
  /* Coverage per unit of the major axis: the width over the cosine of the angle. */
  weight = 255.0 * line_width * sqrt (1 + slope * slope);
  full = (int)(weight + 0.5);
  first = (int)(weight * (MIN (a1, f0 + 1.0) - a0) + 0.5);
  last = (int)(weight * (a1 - f1) + 0.5);
  if (i0 == i1)
    first = last = (int)(weight * (a1 - a0) + 0.5);

  /* The minor coordinate at each column's centre, less half a pixel, in 16.16
   * fixed point: the first column's and a step, from the whole line. */
  c0 = b0 + (f0 + 0.5 - a0) * slope - 0.5;
  c1 = b0 + (f1 + 0.5 - a0) * slope - 0.5;
  c = (gint64)floor (c0 * 65536);
  step = i1 > i0 ? (gint64)((c1 - c0) * 65536 / (double)(i1 - i0)) : 0;
  c += (lo - i0) * step;

  for (gint64 i = lo; i <= hi; i++, c += step)
    {
      int coverage = i == i0 ? first : i == i1 ? last : full;
      int lower = (coverage * (int)((c >> 8) & 0xff)) >> 8;
      gint64 j = (c >> 16) - minor_min;
      guint8 *px = mask + (gsize)(i - major_min) * major_step;

      if ((guint64)j < (guint64)minor_len)
        {
          int value = px[(gsize)j * minor_step] + coverage - lower;

          px[(gsize)j * minor_step] = MIN (value, 255);
        }
      if ((guint64)(j + 1) < (guint64)minor_len)
        {
          int value = px[(gsize)(j + 1) * minor_step] + lower;

          px[(gsize)(j + 1) * minor_step] = MIN (value, 255);
        }
    }
}

/*
 * A line wider than a pixel, in device pixels: each column (or row, for
 * steep lines) along the major axis gets, in every pixel across, the area of
 * the band of half-width @line_width / 2 / cos θ over it; butt ends are cut
 * square to the major axis. Coverage adds up and saturates, as in raster_line.
 */
static void
raster_wide_line (guint8 *mask,
                  int     stride,
                  int     w,
                  int     h,
                  double  x0,
                  double  y0,
                  double  x1,
                  double  y1,
                  double  line_width)
{
  double dx = x1 - x0, dy = y1 - y0, t0 = 0, t1 = 1, pad = line_width + 1;
  /* Clipped to the mask grown by the width: the rest is clamped per pixel. */
  double a0, a1, b0, b1, slope, half;
  int major_max, minor_max;
  gsize major_step, minor_step;

  if (!clip_segment (x0, y0, dx, dy, -pad, -pad, w + pad, h + pad, &t0, &t1))
    return;

  if (fabs (dy) > fabs (dx))
    {
      a0 = y0 + t0 * dy, a1 = y0 + t1 * dy, b0 = x0 + t0 * dx, b1 = x0 + t1 * dx;
      major_step = stride, minor_step = 1, major_max = h - 1, minor_max = w - 1;
    }
  else
    {
      a0 = x0 + t0 * dx, a1 = x0 + t1 * dx, b0 = y0 + t0 * dy, b1 = y0 + t1 * dy;
      major_step = 1, minor_step = stride, major_max = w - 1, minor_max = h - 1;
    }
  if (a1 < a0)
    {
      double t = a0;

      a0 = a1, a1 = t;
      t = b0, b0 = b1, b1 = t;
    }
  if (a1 - a0 < 1e-9)
    return;   /* zero length: butt ends draw nothing */
  slope = (b1 - b0) / (a1 - a0);
  half = 0.5 * line_width * sqrt (1 + slope * slope);

  for (int i = MAX (0, (int)floor (a0)); i <= MIN (major_max, (int)floor (a1)); i++)
    {
      double lo = MAX (a0, (double)i), hi = MIN (a1, i + 1.0), len = hi - lo;
      double c, m0, m1;
      int j0, j1;

      if (len <= 0)
        continue;
      c = b0 + ((lo + hi) / 2 - a0) * slope;
      m0 = c - half, m1 = c + half;
      j0 = MAX (0, (int)floor (m0)), j1 = MIN (minor_max, (int)floor (m1));
      for (int j = j0; j <= j1; j++)
        {
          double cover = (MIN (m1, j + 1.0) - MAX (m0, (double)j)) * len;
          guint8 *px = mask + (gsize)i * major_step + (gsize)j * minor_step;
          int value;

          if (cover <= 0)
            continue;
          value = *px + (int)(cover * 255 + 0.5);
          *px = MIN (value, 255);
        }
    }
}

/*
 * What the edge loops read of an endpoint, packed: its anchored device
 * position, which sides of the mask it lies beyond, and its label. The
 * sampled edges of a large graph reach their endpoints in no order, and
 * each separate array was a cache miss of its own per endpoint; packed,
 * one line holds all.
 */
typedef struct
{
  double  x;
  double  y;
  gint32  label;     /* -1 unlabeled */
  guint32 outside;
} RasterNode;

/* Where a frame's view lies among the anchored device pixels. */
typedef struct
{
  double k;          /* device pixels per layout unit */
  double fx;         /* the device offsets' fractions */
  double fy;
  gint64 vx0;        /* the view's first pixel, anchored */
  gint64 vy0;
} EdgeFrame;

static gboolean
edge_frame_init (EdgeFrame             *frame,
                 const Raster          *raster,
                 const PhiliaGraphView *view)
{
  double ox = view->offset_x * raster->scale, oy = view->offset_y * raster->scale;
  double fox = floor (ox), foy = floor (oy);

  if (!(fabs (fox) < 1e15 && fabs (foy) < 1e15))
    return FALSE;
  frame->k = view->scale * raster->scale;
  frame->fx = ox - fox, frame->fy = oy - foy;
  frame->vx0 = -(gint64)fox, frame->vy0 = -(gint64)foy;
  return TRUE;
}

/* A line with both ends this far beyond one side of a mask touches none of
 * its pixels (lines are at most 2 px wide here). */
#define CULL_MARGIN 2.0

/* Anchored device positions of the nodes, which sides of @box each lies
 * beyond, and its label; give the array back to the view's scratch. */
static RasterNode *
raster_project (const PhiliaGraphView *view,
                const EdgeFrame       *frame,
                const MaskBox         *box)
{
  guint n = philia_graph_get_n_nodes (view->graph);
  const double *p = view->positions;
  const gint32 *labels = philia_graph_get_labels (view->graph);
  double k = frame->k, fx = frame->fx, fy = frame->fy;
  double left = box->x0 - CULL_MARGIN, right = box->x0 + box->width + CULL_MARGIN;
  double top = box->y0 - CULL_MARGIN, bottom = box->y0 + box->height + CULL_MARGIN;
  RasterNode *nodes = _philia_frame_scratch_take (view->scratch, SCRATCH_NODES,
                                                  sizeof (RasterNode) * MAX (n, 1));

  for (guint v = 0; v < n; v++)
    {
      double x = p[2 * v] * k + fx, yy = p[2 * v + 1] * k + fy;

      nodes[v].x = x;
      nodes[v].y = yy;
      nodes[v].label = labels != NULL ? labels[v] : -1;
      nodes[v].outside = (x < left) | (x > right) << 1 | (yy < top) << 2 | (yy > bottom) << 3;
    }
  return nodes;
}

/* Paints @mask, which lies at @box, in @color over the view of @frame. */
static void
paint_mask (cairo_t          *cr,
            const Raster     *raster,
            const EdgeFrame  *frame,
            cairo_surface_t  *mask,
            const MaskBox    *box,
            const PhiliaRgba *color)
{
  cairo_surface_mark_dirty (mask);
  _philia_render_set_color (cr, color);
  cairo_mask_surface (cr, mask, (box->x0 - frame->vx0) / raster->scale,
                      (box->y0 - frame->vy0) / raster->scale);
}

/*
 * Edges coloured or sized by value: one A8 mask, reused for each colour
 * bucket in turn (up to N_EDGE_COLORS of them), each line at its own width.
 */
void
_philia_graph_view_raster_edges_by_value (cairo_t               *cr,
                                          const Raster          *raster,
                                          const PhiliaGraphView *view,
                                          EdgeSample            *sample,
                                          double                 line_width,
                                          const PhiliaRgba      *colors)
{
  const gint64 *off = philia_graph_get_row_offsets (view->graph);
  const gint32 *nbr = philia_graph_get_neighbors (view->graph);
  guint n = philia_graph_get_n_nodes (view->graph);
  guint counts[N_EDGE_COLORS * N_EDGE_WIDTHS];
  guint16 *keys;
  RasterNode *nodes;
  cairo_surface_t *mask;
  guint8 *data;
  int stride;
  int w = raster->width, h = raster->height;
  gboolean dirty = FALSE;
  EdgeFrame frame;
  MaskBox box;

  if (!edge_frame_init (&frame, raster, view))
    return;
  box = (MaskBox) { frame.vx0, frame.vy0, w + 1, h + 1 };
  keys = _philia_graph_view_edge_buckets (view, sample, counts);
  nodes = raster_project (view, &frame, &box);
  mask = _philia_graph_view_raster_surface (raster, CAIRO_FORMAT_A8, view->scratch,
                                            SCRATCH_MASK_0);
  data = cairo_image_surface_get_data (mask);
  stride = cairo_image_surface_get_stride (mask);
  for (guint color = 0; color < N_EDGE_COLORS; color++)
    {
      guint total = 0;

      for (guint width = 0; width < N_EDGE_WIDTHS; width++)
        total += counts[color * N_EDGE_WIDTHS + width];
      if (total == 0)
        continue;
      if (dirty)
        {
          cairo_surface_flush (mask);
          memset (data, 0, (gsize)stride * (h + 1));
        }
      for (guint u = 0; u < n; u++)
        for (gint64 e = off[u]; e < off[u + 1]; e++)
          {
            gint32 v = nbr[e];
            double px_width;

            if (keys[e] / N_EDGE_WIDTHS != color || (nodes[u].outside & nodes[v].outside) != 0)
              continue;
            /* keys[e] is EDGE_SKIP (beyond every colour) for the second copy of an edge. */
            px_width = _philia_graph_view_edge_width_of_bucket (keys[e] % N_EDGE_WIDTHS,
                                                                line_width) * raster->scale;
            if (keys[e] % N_EDGE_WIDTHS == 0)
              px_width = MIN (px_width, 2.0);   /* as raster_edges */
            if (px_width <= 1.0 || keys[e] % N_EDGE_WIDTHS == 0)
              raster_line (data, stride, &box, nodes[u].x, nodes[u].y, nodes[v].x, nodes[v].y,
                           px_width);
            else
              raster_wide_line (data, stride, w, h, nodes[u].x - box.x0, nodes[u].y - box.y0,
                                nodes[v].x - box.x0, nodes[v].y - box.y0, px_width);
          }
      paint_mask (cr, raster, &frame, mask, &box, &colors[color]);
      dirty = TRUE;
    }
  _philia_frame_scratch_give_surface (view->scratch, mask);
  _philia_frame_scratch_give (view->scratch, nodes);
  _philia_frame_scratch_give (view->scratch, keys);
}

#define PREFETCH_AHEAD 16

/* One edge of raster_edges into the mask of its kind. */
static inline void
raster_edge (guint8           *data[N_EDGE_KINDS],
             int               stride,
             const MaskBox    *box,
             const RasterNode *a,
             const RasterNode *b,
             gboolean          split,
             double            px_width)
{
  int pass;

  if ((a->outside & b->outside) != 0)
    return;
  if (!split)
    pass = 0;
  else if (a->label < 0 || b->label < 0)
    pass = EDGE_UNLABELED;
  else
    pass = a->label == b->label ? EDGE_SAME : EDGE_CROSS;
  raster_line (data[pass], stride, box, a->x, a->y, b->x, b->y, px_width);
}

#if defined(__GNUC__)
static inline void
raster_edge_prefetch (guint8           *data[N_EDGE_KINDS],
                      int               stride,
                      const MaskBox    *box,
                      const RasterNode *a,
                      const RasterNode *b,
                      gboolean          split)
{
  guint8 *mask;
  double ax = a->x - box->x0, ay = a->y - box->y0, bx = b->x - box->x0, by = b->y - box->y0;

  if ((a->outside & b->outside) != 0)
    return;
  if (!split)
    mask = data[0];
  else if (a->label < 0 || b->label < 0)
    mask = data[EDGE_UNLABELED];
  else
    mask = data[a->label == b->label ? EDGE_SAME : EDGE_CROSS];
  if (ax >= 0 && ay >= 0 && ax < box->width && ay < box->height)
    __builtin_prefetch (mask + (gsize)ay * stride + (gsize)ax, 1);
  if (bx >= 0 && by >= 0 && bx < box->width && by < box->height)
    __builtin_prefetch (mask + (gsize)by * stride + (gsize)bx, 1);
}
#endif

/*
 * The edge masks a sampled screen frame keeps (SCRATCH_EDGES_0 …): drawn
 * over the view and this share of its width and height beyond each side,
 * so that a pan of up to that much paints them instead of drawing its
 * edges again (3 masks of 4 times the view's pixels at most).
 */
#define EDGES_MARGIN    0.5
#define EDGES_MAX_PIXELS (4096 * 4096)

/* Whether the kept masks are this frame's, cut to its view; sets @box to theirs. */
static gboolean
edges_kept (PhiliaFrameScratch    *scratch,
            const PhiliaGraphView *view,
            const Raster          *raster,
            const EdgeFrame       *frame,
            const EdgeSample      *sample,
            double                 px_width,
            gboolean               split,
            guint64                positions,
            MaskBox               *box,
            const char           **why)
{
  g_autoptr(PhiliaGraph) kept_graph = g_weak_ref_get (&scratch->edges_graph);

  *why = !scratch->edges_valid ? "none" : kept_graph != view->graph ? "another graph"
         : scratch->edges_positions != positions ? "other positions"
         : scratch->edges_scale != frame->k || scratch->edges_raster_scale != raster->scale
           || scratch->edges_fx != frame->fx || scratch->edges_fy != frame->fy
         ? "another zoom or fractions"
         : scratch->edges_line_width != px_width || scratch->edges_split != split
         ? "another width or style"
         : scratch->edges_m != sample->m || scratch->edges_step != sample->step
           || scratch->edges_keep != sample->keep ? "another budget"
         : box->x0 < scratch->edges_x0 || box->y0 < scratch->edges_y0
           || box->x0 + box->width > scratch->edges_x0 + scratch->edges_width
           || box->y0 + box->height > scratch->edges_y0 + scratch->edges_height
         ? "out of reach" : NULL;
  if (*why != NULL)
    return FALSE;
  *box = (MaskBox) { scratch->edges_x0, scratch->edges_y0, scratch->edges_width,
                     scratch->edges_height };
  return TRUE;
}

/* @colors: one per edge kind for PHILIA_EDGES_HOMOPHILY, else only [0]. */
void
_philia_graph_view_raster_edges (cairo_t                 *cr,
                                 const Raster            *raster,
                                 const PhiliaGraphView   *view,
                                 EdgeSample              *sample,
                                 double                   line_width,
                                 const PhiliaRgba        *colors)
{
  const gint64 *off = philia_graph_get_row_offsets (view->graph);
  const gint32 *nbr = philia_graph_get_neighbors (view->graph);
  guint n = philia_graph_get_n_nodes (view->graph);
  gboolean split = view->edge_style == PHILIA_EDGES_HOMOPHILY;
  int n_masks = split ? N_EDGE_KINDS : 1;
  double px_width = MIN (line_width * raster->scale, 2.0);
  PhiliaFrameScratch *scratch = view->scratch;
  cairo_surface_t *masks[N_EDGE_KINDS] = { NULL };
  ScratchSurface first = SCRATCH_MASK_0;
  guint8 *data[N_EDGE_KINDS] = { NULL };
  const char *why = NULL;
  guint64 positions = 0;
  gboolean keep_masks;
  RasterNode *nodes;
  EdgeFrame frame;
  MaskBox box;
  KeptEdges kept;
  gboolean sampled;
  int stride;

  if (!edge_frame_init (&frame, raster, view))
    return;
  box = (MaskBox) { frame.vx0, frame.vy0, raster->width + 1, raster->height + 1 };

  /* A sampled screen frame (large graphs) keeps its masks for the next one,
   * at whole device scales (so that a mask moves by whole pixels). */
  keep_masks = scratch != NULL && sample->keep < sample->m
               && raster->scale == floor (raster->scale);
  if (keep_masks)
    {
      positions = _philia_frame_scratch_positions_hash (scratch, view);
      if (edges_kept (scratch, view, raster, &frame, sample, px_width, split, positions, &box,
                      &why))
        {
          for (int i = 0; i < n_masks; i++)
            paint_mask (cr, raster, &frame, scratch->surfaces[SCRATCH_EDGES_0 + i], &box,
                        &colors[i]);
          return;
        }
      if ((gint64)box.width * box.height * 4 <= EDGES_MAX_PIXELS)
        {
          int mx = (int)ceil (EDGES_MARGIN * raster->width);
          int my = (int)ceil (EDGES_MARGIN * raster->height);

          box.x0 -= mx, box.y0 -= my, box.width += 2 * mx, box.height += 2 * my;
        }
      first = SCRATCH_EDGES_0;
    }

  for (int i = 0; i < n_masks; i++)
    {
      masks[i] = _philia_frame_scratch_surface (scratch, first + i, CAIRO_FORMAT_A8, box.width,
                                                box.height, raster->scale);
      data[i] = cairo_image_surface_get_data (masks[i]);
    }
  stride = cairo_image_surface_get_stride (masks[0]);
  /* Device positions and which sides of the masks each node lies beyond,
   * in one sequential pass: an edge with both ends beyond one side is
   * dropped on their codes alone. */
  nodes = raster_project (view, &frame, &box);
  /* A sample is reached directly, without the edges it leaves out; the
   * sample counts every edge, culled or not, so that a panned frame draws
   * the same ones. The last frame's kept edges may hold more slots: those
   * at or past keep are not drawn. */
  sampled = _philia_graph_view_sample_edges (view, scratch, sample, &kept);

  if (sampled)
    {
      const guint32 *pairs = kept.pairs;
      const guint64 *slots = kept.slots;
      guint64 keep = sample->keep;

      for (gsize i = 0; i < kept.n; i++)
        {
#if defined(__GNUC__)
          /* The far ends are all over the nodes' 24 bytes × n: ask for them
           * some edges ahead, or each waits on memory. */
          if (i + PREFETCH_AHEAD < kept.n)
            __builtin_prefetch (&nodes[pairs[2 * (i + PREFETCH_AHEAD) + 1]]);
          /* And the mask (a megabyte or more) where the edge halfway there
           * starts and ends, its ends having arrived by then. */
          if (i + PREFETCH_AHEAD / 2 < kept.n)
            raster_edge_prefetch (data, stride, &box, &nodes[pairs[2 * (i + PREFETCH_AHEAD / 2)]],
                                  &nodes[pairs[2 * (i + PREFETCH_AHEAD / 2) + 1]], split);
#endif
          if (slots[i] < keep)
            raster_edge (data, stride, &box, &nodes[pairs[2 * i]], &nodes[pairs[2 * i + 1]],
                         split, px_width);
        }
    }
  else
    for (guint u = 0; u < n; u++)
      for (gint64 e = off[u]; e < off[u + 1]; e++)
        {
          gint32 v = nbr[e];

          if (v <= (gint32)u || !edge_sample_next (sample))
            continue;
          raster_edge (data, stride, &box, &nodes[u], &nodes[v], split, px_width);
        }

  for (int i = 0; i < n_masks; i++)
    {
      paint_mask (cr, raster, &frame, masks[i], &box, &colors[i]);
      _philia_frame_scratch_give_surface (scratch, masks[i]);
    }
  _philia_graph_view_kept_edges_clear (&kept);
  _philia_frame_scratch_give (scratch, nodes);

  if (keep_masks)
    {
      g_weak_ref_set (&scratch->edges_graph, view->graph);
      scratch->edges_valid = TRUE;
      scratch->edges_positions = positions;
      scratch->edges_scale = frame.k;
      scratch->edges_raster_scale = raster->scale;
      scratch->edges_fx = frame.fx;
      scratch->edges_fy = frame.fy;
      scratch->edges_line_width = px_width;
      scratch->edges_split = split;
      scratch->edges_m = sample->m;
      scratch->edges_step = sample->step;
      scratch->edges_keep = sample->keep;
      scratch->edges_x0 = box.x0;
      scratch->edges_y0 = box.y0;
      scratch->edges_width = box.width;
      scratch->edges_height = box.height;
      scratch->edges_fills++;
      g_debug ("Edge masks drawn: %d × %d pixels, %" G_GUINT64_FORMAT " edges, for a view of"
               " %d × %d (the kept ones: %s)", box.width, box.height, sample->keep,
               raster->width, raster->height, why);
    }
}

/* Source-over of a premultiplied colour at @coverage (0..255) onto a premultiplied pixel. */
static inline void
blend_pixel (guint32       *pixel,
             const guint32  color[4],
             guint32        coverage)
{
  guint32 d = *pixel;
  guint32 a = (color[0] * coverage + 127) / 255, keep = 255 - a;
  guint32 out = 0;

  for (int shift = 0, ch = 3; shift < 32; shift += 8, ch--)
    {
      guint32 src = (color[ch] * coverage + 127) / 255;

      out |= MIN (src + (((d >> shift) & 0xff) * keep + 127) / 255, 255u) << shift;
    }
  *pixel = out;
}

/* A node at (x, y) in device pixels: a square below 1.2 px radius, else a disc;
 * @color is premultiplied A, R, G, B in 0..255. */
void
_philia_graph_view_raster_node (guint8        *data,
                                int            stride,
                                int            w,
                                int            h,
                                double         x,
                                double         y,
                                double         r,
                                const guint32  color[4])
{
  int x0 = MAX (0, (int)floor (x - r - 0.5)), x1 = MIN (w - 1, (int)floor (x + r + 0.5));
  int y0 = MAX (0, (int)floor (y - r - 0.5)), y1 = MIN (h - 1, (int)floor (y + r + 0.5));
  gboolean square = r < 1.2;
  double inner = r > 0.5 ? (r - 0.5) * (r - 0.5) : 0, outer = (r + 0.5) * (r + 0.5);
  guint32 solid = (color[0] << 24) | (color[1] << 16) | (color[2] << 8) | color[3];

  for (int j = y0; j <= y1; j++)
    {
      guint32 *row = (guint32 *)(data + (gsize)j * stride);
      double cy = square ? MAX (0.0, MIN (j + 1.0, y + r) - MAX ((double)j, y - r)) : 0;
      double ddy = j + 0.5 - y;

      for (int i = x0; i <= x1; i++)
        {
          double coverage, ddx = i + 0.5 - x, d2 = ddx * ddx + ddy * ddy;

          if (square)
            coverage = cy * MAX (0.0, MIN (i + 1.0, x + r) - MAX ((double)i, x - r));
          else if (d2 >= outer)
            continue;
          else if (d2 <= inner)
            coverage = 1;
          else
            coverage = MIN (1.0, r + 0.5 - sqrt (d2));
          if (coverage >= 1 && color[0] == 255)
            row[i] = solid;
          else if (coverage > 0)
            blend_pixel (row + i, color, (guint32)(coverage * 255 + 0.5));
        }
    }
}
