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
 * One antialiased line of @line_width pixels from (x0, y0) to (x1, y1), in
 * device pixels: each column (or row, for steep lines) along the major axis
 * gets the area the line covers in it, split between the two nearest pixels.
 * The mask has one spare row and column, so the lower pixel needs no check.
 */
static void
raster_line (guint8 *mask,
             int     stride,
             int     w,
             int     h,
             double  x0,
             double  y0,
             double  x1,
             double  y1,
             double  line_width)
{
  double dx = x1 - x0, dy = y1 - y0, t0 = 0, t1 = 1;
  /* Clipped to the box of pixel centres, so every sample lands in the mask. */
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { x0 - 0.5, w - 0.5 - x0, y0 - 0.5, h - 0.5 - y0 };
  double slope, weight, a0, a1, b0, b1, c0, c1, minor_max;
  int i0, i1, major_step, minor_step, full, first, last;
  gint32 c, step;

  for (int k = 0; k < 4; k++)
    {
      if (p[k] == 0)
        {
          if (q[k] < 0)
            return;
          continue;
        }
      if (p[k] < 0)
        t0 = MAX (t0, q[k] / p[k]);
      else
        t1 = MIN (t1, q[k] / p[k]);
    }
  if (t0 > t1)
    return;

  /* a runs along the major axis, b along the minor one. */
  if (fabs (dy) > fabs (dx))
    {
      a0 = y0 + t0 * dy, a1 = y0 + t1 * dy, b0 = x0 + t0 * dx, b1 = x0 + t1 * dx;
      major_step = stride, minor_step = 1, minor_max = w - 1;
    }
  else
    {
      a0 = x0 + t0 * dx, a1 = x0 + t1 * dx, b0 = y0 + t0 * dy, b1 = y0 + t1 * dy;
      major_step = 1, minor_step = stride, minor_max = h - 1;
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
  slope = (b1 - b0) / (a1 - a0);
  /* Coverage per unit of the major axis: the width over the cosine of the angle. */
  weight = 255.0 * line_width * sqrt (1 + slope * slope);
  i0 = (int)a0, i1 = (int)a1;   /* both ≥ 0 after clipping */
  full = (int)(weight + 0.5);
  first = (int)(weight * (MIN (a1, i0 + 1.0) - a0) + 0.5);
  last = (int)(weight * (a1 - i1) + 0.5);
  if (i0 == i1)
    first = last = (int)(weight * (a1 - a0) + 0.5);

  /* The minor coordinate at each column's centre, less half a pixel, in 16.16
   * fixed point; clamped at both ends so that it stays inside the mask. */
  c0 = CLAMP (b0 + (i0 + 0.5 - a0) * slope - 0.5, 0.0, minor_max);
  c1 = CLAMP (b0 + (i1 + 0.5 - a0) * slope - 0.5, 0.0, minor_max);
  c = (gint32)(c0 * 65536);
  step = i1 > i0 ? (gint32)((c1 - c0) * 65536 / (i1 - i0)) : 0;

  for (int i = i0; i <= i1; i++, c += step)
    {
      int coverage = i == i0 ? first : i == i1 ? last : full;
      int lower = (coverage * ((c >> 8) & 0xff)) >> 8;
      guint8 *px = mask + (gsize)i * major_step + (gsize)(c >> 16) * minor_step;
      int upper_value = px[0] + coverage - lower, lower_value = px[minor_step] + lower;

      px[0] = MIN (upper_value, 255);
      px[minor_step] = MIN (lower_value, 255);
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
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { x0 + pad, w + pad - x0, y0 + pad, h + pad - y0 };
  double a0, a1, b0, b1, slope, half;
  int major_max, minor_max;
  gsize major_step, minor_step;

  for (int k = 0; k < 4; k++)
    {
      if (p[k] == 0)
        {
          if (q[k] < 0)
            return;
          continue;
        }
      if (p[k] < 0)
        t0 = MAX (t0, q[k] / p[k]);
      else
        t1 = MIN (t1, q[k] / p[k]);
    }
  if (t0 > t1)
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
 * What the edge loops read of an endpoint, packed: its device position,
 * which sides of the view it lies beyond, and its label. The sampled edges
 * of a large graph reach their endpoints in no order, and each separate
 * array was a cache miss of its own per endpoint; packed, one line holds all.
 */
typedef struct
{
  float   x;
  float   y;
  gint32  label;     /* -1 unlabeled */
  guint32 outside;
} RasterNode;

/* Device positions of the nodes, which sides of the view each lies beyond,
 * and its label; give the array back to the view's scratch. */
static RasterNode *
raster_project (const Raster          *raster,
                const PhiliaGraphView *view)
{
  guint n = philia_graph_get_n_nodes (view->graph);
  const double *p = view->positions;
  const gint32 *labels = philia_graph_get_labels (view->graph);
  double k = view->scale * raster->scale;
  double ox = view->offset_x * raster->scale, oy = view->offset_y * raster->scale;
  int w = raster->width, h = raster->height;
  RasterNode *nodes = _philia_frame_scratch_take (view->scratch, SCRATCH_NODES,
                                                  sizeof (RasterNode) * MAX (n, 1));

  for (guint v = 0; v < n; v++)
    {
      double x = p[2 * v] * k + ox, yy = p[2 * v + 1] * k + oy;

      nodes[v].x = (float)CLAMP (x, -1e7, 1e7);
      nodes[v].y = (float)CLAMP (yy, -1e7, 1e7);
      nodes[v].label = labels != NULL ? labels[v] : -1;
      nodes[v].outside = (x < 0) | (x > w) << 1 | (yy < 0) << 2 | (yy > h) << 3;
    }
  return nodes;
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
  guint16 *keys = _philia_graph_view_edge_buckets (view, sample, counts);
  RasterNode *nodes = raster_project (raster, view);
  cairo_surface_t *mask = _philia_graph_view_raster_surface (raster, CAIRO_FORMAT_A8,
                                                             view->scratch, SCRATCH_MASK_0);
  guint8 *data = cairo_image_surface_get_data (mask);
  int stride = cairo_image_surface_get_stride (mask);
  int w = raster->width, h = raster->height;
  gboolean dirty = FALSE;

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
              raster_line (data, stride, w, h, nodes[u].x, nodes[u].y, nodes[v].x, nodes[v].y,
                           px_width);
            else
              raster_wide_line (data, stride, w, h, nodes[u].x, nodes[u].y, nodes[v].x,
                                nodes[v].y, px_width);
          }
      cairo_surface_mark_dirty (mask);
      _philia_render_set_color (cr, &colors[color]);
      cairo_mask_surface (cr, mask, 0, 0);
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
             int               w,
             int               h,
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
  raster_line (data[pass], stride, w, h, a->x, a->y, b->x, b->y, px_width);
}

#if defined(__GNUC__)
static inline void
raster_edge_prefetch (guint8           *data[N_EDGE_KINDS],
                      int               stride,
                      int               w,
                      int               h,
                      const RasterNode *a,
                      const RasterNode *b,
                      gboolean          split)
{
  guint8 *mask;

  if ((a->outside & b->outside) != 0)
    return;
  if (!split)
    mask = data[0];
  else if (a->label < 0 || b->label < 0)
    mask = data[EDGE_UNLABELED];
  else
    mask = data[a->label == b->label ? EDGE_SAME : EDGE_CROSS];
  if (a->outside == 0 && a->x < w && a->y < h)
    __builtin_prefetch (mask + (gsize)a->y * stride + (gsize)a->x, 1);
  if (b->outside == 0 && b->x < w && b->y < h)
    __builtin_prefetch (mask + (gsize)b->y * stride + (gsize)b->x, 1);
}
#endif

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
  double px_width = MIN (line_width * raster->scale, 2.0);
  cairo_surface_t *masks[N_EDGE_KINDS] = {
    _philia_graph_view_raster_surface (raster, CAIRO_FORMAT_A8, view->scratch, SCRATCH_MASK_0)
  };
  guint8 *data[N_EDGE_KINDS];
  int stride = cairo_image_surface_get_stride (masks[0]);
  int w = raster->width, h = raster->height;
  /* Device positions and which sides of the view each node lies beyond, in
   * one sequential pass: an edge with both ends beyond one side is dropped
   * on their codes alone. */
  RasterNode *nodes = raster_project (raster, view);
  KeptEdges kept;
  /* A sample is reached directly, without the edges it leaves out; the
   * sample counts every edge, culled or not, so that a panned frame draws
   * the same ones. The last frame's kept edges may hold more slots: those
   * at or past keep are not drawn. */
  gboolean sampled = _philia_graph_view_sample_edges (view, view->scratch, sample, &kept);
  const guint32 *pairs = kept.pairs;
  const guint64 *slots = kept.slots;
  guint64 keep = sample->keep;

  for (int i = 1; split && i < N_EDGE_KINDS; i++)
    masks[i] = _philia_graph_view_raster_surface (raster, CAIRO_FORMAT_A8, view->scratch,
                                                  SCRATCH_MASK_0 + i);
  for (int i = 0; i < N_EDGE_KINDS; i++)
    data[i] = masks[i] ? cairo_image_surface_get_data (masks[i]) : NULL;

  if (sampled)
    for (gsize i = 0; i < kept.n; i++)
      {
#if defined(__GNUC__)
        /* The far ends are all over the nodes' 16 bytes × n: ask for them
         * some edges ahead, or each waits on memory. */
        if (i + PREFETCH_AHEAD < kept.n)
          __builtin_prefetch (&nodes[pairs[2 * (i + PREFETCH_AHEAD) + 1]]);
        /* And the mask (a megabyte or more) where the edge halfway there
         * starts and ends, its ends having arrived by then. */
        if (i + PREFETCH_AHEAD / 2 < kept.n)
          raster_edge_prefetch (data, stride, w, h, &nodes[pairs[2 * (i + PREFETCH_AHEAD / 2)]],
                                &nodes[pairs[2 * (i + PREFETCH_AHEAD / 2) + 1]], split);
#endif
        if (slots[i] < keep)
          raster_edge (data, stride, w, h, &nodes[pairs[2 * i]], &nodes[pairs[2 * i + 1]], split,
                       px_width);
      }
  else
    for (guint u = 0; u < n; u++)
      for (gint64 e = off[u]; e < off[u + 1]; e++)
        {
          gint32 v = nbr[e];

          if (v <= (gint32)u || !edge_sample_next (sample))
            continue;
          raster_edge (data, stride, w, h, &nodes[u], &nodes[v], split, px_width);
        }

  for (int i = 0; i < N_EDGE_KINDS; i++)
    if (masks[i] != NULL)
      {
        cairo_surface_mark_dirty (masks[i]);
        _philia_render_set_color (cr, &colors[i]);
        cairo_mask_surface (cr, masks[i], 0, 0);
        _philia_frame_scratch_give_surface (view->scratch, masks[i]);
      }
  _philia_graph_view_kept_edges_clear (&kept);
  _philia_frame_scratch_give (view->scratch, nodes);
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
