/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-render-private.h"

static const char *color_by_names[PHILIA_N_COLOR_BY] = {
  "label", "local-homophily", "degree", "value", "category",
};

const char *
philia_color_by_to_string (PhiliaColorBy color_by)
{
  g_return_val_if_fail (color_by < PHILIA_N_COLOR_BY, NULL);
  return color_by_names[color_by];
}

/* "class" is what a document's view calls the label colouring. */
gboolean
philia_color_by_from_string (const char    *name,
                             PhiliaColorBy *color_by)
{
  if (g_strcmp0 (name, "class") == 0)
    {
      *color_by = PHILIA_COLOR_BY_LABEL;
      return TRUE;
    }
  for (guint i = 0; name != NULL && i < PHILIA_N_COLOR_BY; i++)
    if (g_str_equal (name, color_by_names[i]))
      {
        *color_by = i;
        return TRUE;
      }
  return FALSE;
}

static const char *edge_style_names[] = {
  [PHILIA_EDGES_PLAIN] = "plain",
  [PHILIA_EDGES_HOMOPHILY] = "homophily",
  [PHILIA_EDGES_HIDDEN] = "hidden",
  [PHILIA_EDGES_VALUE] = "value",
};

const char *
philia_edge_style_to_string (PhiliaEdgeStyle edge_style)
{
  g_return_val_if_fail (edge_style < G_N_ELEMENTS (edge_style_names), NULL);
  return edge_style_names[edge_style];
}

/* The aliases are the names a document's view may hold ("class" edges are
 * coloured by whether their ends share a class; "none" hides them). */
gboolean
philia_edge_style_from_string (const char      *name,
                               PhiliaEdgeStyle *edge_style)
{
  static const struct { const char *alias; PhiliaEdgeStyle style; } aliases[] = {
    { "class", PHILIA_EDGES_HOMOPHILY }, { "none", PHILIA_EDGES_HIDDEN },
    { "attention", PHILIA_EDGES_VALUE },
  };

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (edge_style_names); i++)
    if (g_str_equal (name, edge_style_names[i]))
      {
        *edge_style = i;
        return TRUE;
      }
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (aliases); i++)
    if (g_str_equal (name, aliases[i].alias))
      {
        *edge_style = aliases[i].style;
        return TRUE;
      }
  return FALSE;
}

/* Paul Tol, "Colour schemes" (2021), the diverging "sunset" scheme's
 * end and middle colours: readable by colour-blind viewers and in grey. */
void
philia_colormap_diverging (double      t,
                           PhiliaRgba *color)
{
  static const double stops[3][3] = {
    { 0xA5 / 255.0, 0x00 / 255.0, 0x26 / 255.0 },
    { 0xEA / 255.0, 0xEC / 255.0, 0xCC / 255.0 },
    { 0x36 / 255.0, 0x4B / 255.0, 0x9A / 255.0 },
  };
  int i;
  double f;

  t = isfinite (t) ? CLAMP (t, 0.0, 1.0) : 0.5;
  i = t < 0.5 ? 0 : 1;
  f = t < 0.5 ? t * 2 : (t - 0.5) * 2;
  color->r = (1 - f) * stops[i][0] + f * stops[i + 1][0];
  color->g = (1 - f) * stops[i][1] + f * stops[i + 1][1];
  color->b = (1 - f) * stops[i][2] + f * stops[i + 1][2];
  color->a = 1.0;
}

double
philia_local_homophily_scale (double h,
                              double chance)
{
  if (isnan (h))
    return NAN;
  h = CLAMP (h, 0.0, 1.0);
  /* A chance of 0 or 1 (one class holds every labelled edge end) explains
   * any value a node can have: pale. */
  if (!(chance > 0 && chance < 1))
    return 0.5;
  return h <= chance ? 0.5 * h / chance : 0.5 + 0.5 * (h - chance) / (1 - chance);
}

/*
 * The centre of the local homophily scale for node @v: what chance gives
 * its class (see philia_local_homophily_chance() for why D_k / 2m), so pale
 * means "as homophilous as a random rewiring would make it", not "0.5".
 */
static double
chance_of (const PhiliaGraphView *view,
           guint                  v)
{
  gint32 k = philia_graph_get_labels (view->graph)[v];

  if (view->class_chance == NULL || k < 0 || (guint)k >= view->n_class_chance
      || isnan (view->class_chance[k]))
    return 0.5;
  return view->class_chance[k];
}

static const PhiliaRgba unlabeled_grey = { 0.62, 0.62, 0.62, 1.0 };

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

static const PhiliaRgba edge_kind_colors[N_EDGE_KINDS] = {
  [EDGE_UNLABELED] = { 0.62, 0.62, 0.62, 1.0 },
  [EDGE_SAME] = { 0.21, 0.29, 0.60, 1.0 },
  [EDGE_CROSS] = { 0.85, 0.20, 0.15, 1.0 },
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

/* Height a colour-scale legend row needs beyond a plain row, in font sizes:
 * the bar sits 1.5 below the title and its end labels end near 3.1. */
#define SCALE_EXTRA 1.9

static void
category_color (const PhiliaGraphView *view,
                gint32                 k,
                PhiliaRgba            *color)
{
  if (k < 0 || (guint) k >= view->n_categories)
    *color = unlabeled_grey;
  else if (view->category_colors != NULL)
    *color = (PhiliaRgba) { view->category_colors[3 * k], view->category_colors[3 * k + 1],
                            view->category_colors[3 * k + 2], 1.0 };
  else
    philia_palette_get_categorical ((guint) k, color);
}

static void
node_color (const PhiliaGraphView *view,
            guint                  v,
            double                 log_max_degree,
            PhiliaRgba            *color)
{
  const gint32 *y = philia_graph_get_labels (view->graph);
  double value;

  switch (view->color_by)
    {
    case PHILIA_COLOR_BY_LABEL:
      if (y[v] < 0)
        *color = unlabeled_grey;
      else
        philia_palette_get_categorical (y[v], color);
      break;

    case PHILIA_COLOR_BY_LOCAL_HOMOPHILY:
      value = view->node_values ? view->node_values[v] : NAN;
      if (isnan (value))
        *color = unlabeled_grey;
      else
        philia_colormap_diverging (philia_local_homophily_scale (value, chance_of (view, v)),
                                   color);
      break;

    case PHILIA_COLOR_BY_DEGREE:
      philia_colormap_viridis (log_max_degree > 0
                               ? log1p (philia_graph_get_degree (view->graph, v)) / log_max_degree
                               : 0, color);
      break;

    case PHILIA_COLOR_BY_VALUE:
      value = view->node_values ? view->node_values[v] : NAN;
      if (isnan (value))
        *color = unlabeled_grey;
      else
        philia_colormap_viridis (view->vmax > view->vmin
                                 ? (value - view->vmin) / (view->vmax - view->vmin) : 0.5,
                                 color);
      break;

    case PHILIA_COLOR_BY_CATEGORY:
      category_color (view, view->node_categories ? view->node_categories[v] : -1, color);
      break;

    case PHILIA_N_COLOR_BY:
    default:
      g_assert_not_reached ();
    }
}

/* Colours are bucketed so that each bucket is filled as one path. */
static guint
color_key (const PhiliaRgba *c)
{
  return ((guint)lround (c->r * 63) << 12) | ((guint)lround (c->g * 63) << 6)
         | (guint)lround (c->b * 63);
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

static gboolean
edges_by_value (const PhiliaGraphView *view)
{
  return view->edge_style == PHILIA_EDGES_VALUE
         || (view->edge_width_by_value && view->edge_values != NULL);
}

void
philia_colormap_greys (double      t,
                       PhiliaRgba *color)
{
  double g;

  t = isfinite (t) ? CLAMP (t, 0.0, 1.0) : 0.0;
  g = 0.86 - 0.80 * t;
  *color = (PhiliaRgba) { g, g, g, 1.0 };
}

double
philia_graph_view_edge_position (const PhiliaGraphView *view,
                                 double                 value)
{
  double t;

  if (isnan (value))
    return NAN;
  if (view->edge_log && view->edge_vmin > 0 && view->edge_vmax > view->edge_vmin)
    t = value > 0 ? log (value / view->edge_vmin) / log (view->edge_vmax / view->edge_vmin) : 0;
  else
    t = view->edge_vmax > view->edge_vmin
        ? (value - view->edge_vmin) / (view->edge_vmax - view->edge_vmin) : 0.5;
  return CLAMP (t, 0.0, 1.0);
}

static void
edge_colormap (const PhiliaGraphView *view,
               double                 t,
               PhiliaRgba            *color)
{
  if (view->edge_colormap == PHILIA_EDGE_COLORMAP_GREYS)
    philia_colormap_greys (t, color);
  else
    philia_colormap_viridis (t, color);
}

/* The level of CSR entry @e, or -1 for NaN or no values. */
static int
edge_level (const PhiliaGraphView *view,
            gint64                 e)
{
  double t;

  if (view->edge_values == NULL)
    return -1;
  t = philia_graph_view_edge_position (view, view->edge_values[e]);
  if (isnan (t))
    return -1;
  return (int)lround (t * (N_EDGE_LEVELS - 1));
}

/* Width bucket 0 is NaN (or no width by value); bucket l + 1 is level l. */
static double
edge_width_of_bucket (guint  bucket,
                      double line_width)
{
  if (bucket == 0)
    return line_width;
  return 0.5 + 3.5 * (bucket - 1) / (double)(N_EDGE_LEVELS - 1);
}

/*
 * The bucket of every edge, colour × N_EDGE_WIDTHS + width, at its CSR entry
 * from the smaller end (EDGE_SKIP elsewhere), and how many edges each holds.
 */
static guint16 *
edge_buckets (const PhiliaGraphView *view,
              guint                  counts[N_EDGE_COLORS * N_EDGE_WIDTHS])
{
  const gint64 *off = philia_graph_get_row_offsets (view->graph);
  const gint32 *nbr = philia_graph_get_neighbors (view->graph);
  const gint32 *y = philia_graph_get_labels (view->graph);
  guint n = philia_graph_get_n_nodes (view->graph);
  gboolean by_width = view->edge_width_by_value && view->edge_values != NULL;
  guint16 *keys = g_new (guint16, MAX (off[n], 1));

  memset (counts, 0, sizeof (guint) * N_EDGE_COLORS * N_EDGE_WIDTHS);
  for (guint u = 0; u < n; u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      {
        gint32 v = nbr[e];
        int level;
        guint color, width;

        if (v <= (gint32)u)
          {
            keys[e] = EDGE_SKIP;
            continue;
          }
        level = edge_level (view, e);
        if (view->edge_style == PHILIA_EDGES_VALUE)
          color = level + 1;
        else if (view->edge_style == PHILIA_EDGES_HOMOPHILY)
          color = edge_kind (y, u, v);
        else
          color = 0;
        width = by_width ? level + 1 : 0;
        keys[e] = color * N_EDGE_WIDTHS + width;
        counts[keys[e]]++;
      }
  return keys;
}

/* The colour of each bucket, at @alpha. */
static void
edge_colors (const PhiliaGraphView   *view,
             const PhiliaRenderStyle *style,
             double                   alpha,
             PhiliaRgba               colors[N_EDGE_COLORS])
{
  switch (view->edge_style)
    {
    case PHILIA_EDGES_VALUE:
      colors[0] = (PhiliaRgba) { unlabeled_grey.r, unlabeled_grey.g, unlabeled_grey.b,
                                 alpha * 0.5 };
      for (int l = 0; l < N_EDGE_LEVELS; l++)
        {
          edge_colormap (view, l / (double)(N_EDGE_LEVELS - 1), &colors[l + 1]);
          colors[l + 1].a = alpha;
        }
      break;

    case PHILIA_EDGES_HOMOPHILY:
      for (int k = 0; k < N_EDGE_KINDS; k++)
        {
          colors[k] = edge_kind_colors[k];
          colors[k].a = alpha;
        }
      break;

    case PHILIA_EDGES_PLAIN:
    case PHILIA_EDGES_HIDDEN:
    default:
      colors[0] = (PhiliaRgba) { style->foreground.r, style->foreground.g, style->foreground.b,
                                 alpha };
      break;
    }
}

/* Nodes shrink as the drawing gets crowded, but stay visible. */
static double
node_base_radius (double width,
                  double height,
                  guint  n)
{
  return CLAMP (sqrt (width * height / MAX (n, 1)) * 0.18, 0.8, 7.0);
}

/* Edges are a fifth of a node radius wide, between a thin hairline and 1.2. */
static double
edge_line_width (double width,
                 double height,
                 guint  n)
{
  return CLAMP (node_base_radius (width, height, n) * 0.2, 0.2, 1.2);
}

static double
node_radius (const PhiliaGraphView *view,
             guint                  v,
             double                 base)
{
  if (!view->size_by_degree)
    return base;
  return base * (0.6 + 0.4 * sqrt ((double)philia_graph_get_degree (view->graph, v)));
}

/* The node radius philia_graph_view_draw() gives @v in a @width × @height drawing. */
double
philia_graph_view_get_node_radius (const PhiliaGraphView *view,
                                   double                 width,
                                   double                 height,
                                   guint                  v)
{
  guint n;

  g_return_val_if_fail (view != NULL && PHILIA_IS_GRAPH (view->graph), 0);

  n = philia_graph_get_n_nodes (view->graph);
  return node_radius (view, v, node_base_radius (width, height, n));
}

void
philia_graph_view_fit (PhiliaGraphView *view,
                       double           width,
                       double           height,
                       double           margin)
{
  guint n;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  double sx, sy;

  g_return_if_fail (view != NULL && PHILIA_IS_GRAPH (view->graph));

  n = philia_graph_get_n_nodes (view->graph);
  for (guint v = 0; v < n; v++)
    {
      x0 = MIN (x0, view->positions[2 * v]);
      x1 = MAX (x1, view->positions[2 * v]);
      y0 = MIN (y0, view->positions[2 * v + 1]);
      y1 = MAX (y1, view->positions[2 * v + 1]);
    }
  if (n == 0)
    x0 = y0 = -1, x1 = y1 = 1;
  if (x1 - x0 < 1e-12)
    x0 -= 1, x1 += 1;
  if (y1 - y0 < 1e-12)
    y0 -= 1, y1 += 1;

  sx = MAX (1.0, width - 2 * margin) / (x1 - x0);
  sy = MAX (1.0, height - 2 * margin) / (y1 - y0);
  view->scale = MIN (sx, sy);
  view->offset_x = width / 2 - view->scale * (x0 + x1) / 2;
  view->offset_y = height / 2 - view->scale * (y0 + y1) / 2;
}

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
typedef struct
{
  int    width;    /* device pixels */
  int    height;
  double scale;    /* device pixels per user unit */
} Raster;

/* Whether @cr draws into an image through an axis-aligned uniform scale. */
static gboolean
raster_begin (cairo_t *cr,
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

/* One row and column more than the view: the clip hides them. */
static cairo_surface_t *
raster_surface (const Raster   *raster,
                cairo_format_t  format)
{
  cairo_surface_t *surface = cairo_image_surface_create (format, raster->width + 1,
                                                         raster->height + 1);

  cairo_surface_set_device_scale (surface, raster->scale, raster->scale);
  cairo_surface_flush (surface);
  return surface;
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

/* Device positions of the nodes, and which sides of the view each lies beyond. */
static void
raster_project (const Raster          *raster,
                const PhiliaGraphView *view,
                float                 *xy,
                guint8                *outside)
{
  guint n = philia_graph_get_n_nodes (view->graph);
  const double *p = view->positions;
  double k = view->scale * raster->scale;
  double ox = view->offset_x * raster->scale, oy = view->offset_y * raster->scale;
  int w = raster->width, h = raster->height;

  for (guint v = 0; v < n; v++)
    {
      double x = p[2 * v] * k + ox, yy = p[2 * v + 1] * k + oy;

      xy[2 * v] = (float)CLAMP (x, -1e7, 1e7);
      xy[2 * v + 1] = (float)CLAMP (yy, -1e7, 1e7);
      outside[v] = (x < 0) | (x > w) << 1 | (yy < 0) << 2 | (yy > h) << 3;
    }
}

/*
 * Edges coloured or sized by value: one A8 mask, reused for each colour
 * bucket in turn (up to N_EDGE_COLORS of them), each line at its own width.
 */
static void
raster_edges_by_value (cairo_t               *cr,
                       const Raster          *raster,
                       const PhiliaGraphView *view,
                       double                 line_width,
                       const PhiliaRgba      *colors)
{
  const gint64 *off = philia_graph_get_row_offsets (view->graph);
  const gint32 *nbr = philia_graph_get_neighbors (view->graph);
  guint n = philia_graph_get_n_nodes (view->graph);
  guint counts[N_EDGE_COLORS * N_EDGE_WIDTHS];
  g_autofree guint16 *keys = edge_buckets (view, counts);
  g_autofree float *xy = g_new (float, 2 * (gsize)MAX (n, 1));
  g_autofree guint8 *outside = g_new (guint8, MAX (n, 1));
  cairo_surface_t *mask = raster_surface (raster, CAIRO_FORMAT_A8);
  guint8 *data = cairo_image_surface_get_data (mask);
  int stride = cairo_image_surface_get_stride (mask);
  int w = raster->width, h = raster->height;
  gboolean dirty = FALSE;

  raster_project (raster, view, xy, outside);
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

            if (keys[e] / N_EDGE_WIDTHS != color || (outside[u] & outside[v]) != 0)
              continue;
            /* keys[e] is EDGE_SKIP (beyond every colour) for the second copy of an edge. */
            px_width = edge_width_of_bucket (keys[e] % N_EDGE_WIDTHS, line_width) * raster->scale;
            if (keys[e] % N_EDGE_WIDTHS == 0)
              px_width = MIN (px_width, 2.0);   /* as raster_edges */
            if (px_width <= 1.0 || keys[e] % N_EDGE_WIDTHS == 0)
              raster_line (data, stride, w, h, xy[2 * u], xy[2 * u + 1], xy[2 * v],
                           xy[2 * v + 1], px_width);
            else
              raster_wide_line (data, stride, w, h, xy[2 * u], xy[2 * u + 1], xy[2 * v],
                                xy[2 * v + 1], px_width);
          }
      cairo_surface_mark_dirty (mask);
      _philia_render_set_color (cr, &colors[color]);
      cairo_mask_surface (cr, mask, 0, 0);
      dirty = TRUE;
    }
  cairo_surface_destroy (mask);
}

/* @colors: one per edge kind for PHILIA_EDGES_HOMOPHILY, else only [0]. */
static void
raster_edges (cairo_t                 *cr,
              const Raster            *raster,
              const PhiliaGraphView   *view,
              double                   line_width,
              const PhiliaRgba        *colors)
{
  const gint64 *off = philia_graph_get_row_offsets (view->graph);
  const gint32 *nbr = philia_graph_get_neighbors (view->graph);
  const gint32 *y = philia_graph_get_labels (view->graph);
  guint n = philia_graph_get_n_nodes (view->graph);
  gboolean split = view->edge_style == PHILIA_EDGES_HOMOPHILY;
  double px_width = MIN (line_width * raster->scale, 2.0);
  cairo_surface_t *masks[N_EDGE_KINDS] = { raster_surface (raster, CAIRO_FORMAT_A8) };
  guint8 *data[N_EDGE_KINDS];
  int stride = cairo_image_surface_get_stride (masks[0]);
  int w = raster->width, h = raster->height;
  /* Device positions and which sides of the view each node lies beyond, in
   * one sequential pass: the edge loop then reads 9 bytes per endpoint, and
   * an edge with both ends beyond one side is dropped on their codes alone. */
  g_autofree float *xy = g_new (float, 2 * (gsize)MAX (n, 1));
  g_autofree guint8 *outside = g_new (guint8, MAX (n, 1));

  for (int i = 1; split && i < N_EDGE_KINDS; i++)
    masks[i] = raster_surface (raster, CAIRO_FORMAT_A8);
  for (int i = 0; i < N_EDGE_KINDS; i++)
    data[i] = masks[i] ? cairo_image_surface_get_data (masks[i]) : NULL;

  raster_project (raster, view, xy, outside);

  for (guint u = 0; u < n; u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      {
        gint32 v = nbr[e];
        int pass;

        if (v <= (gint32)u || (outside[u] & outside[v]) != 0)
          continue;
        pass = split ? edge_kind (y, u, (guint)v) : 0;
        raster_line (data[pass], stride, w, h, xy[2 * u], xy[2 * u + 1], xy[2 * v],
                     xy[2 * v + 1], px_width);
      }

  for (int i = 0; i < N_EDGE_KINDS; i++)
    if (masks[i] != NULL)
      {
        cairo_surface_mark_dirty (masks[i]);
        _philia_render_set_color (cr, &colors[i]);
        cairo_mask_surface (cr, masks[i], 0, 0);
        cairo_surface_destroy (masks[i]);
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
static void
raster_node (guint8        *data,
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

/* The vector form of raster_edges_by_value: one stroke per colour and width. */
static void
draw_edges_by_value (cairo_t               *cr,
                     double                 width,
                     double                 height,
                     const PhiliaGraphView *view,
                     double                 line_width,
                     const PhiliaRgba      *colors)
{
  const gint64 *off = philia_graph_get_row_offsets (view->graph);
  const gint32 *nbr = philia_graph_get_neighbors (view->graph);
  guint n = philia_graph_get_n_nodes (view->graph);
  const double *p = view->positions;
  guint counts[N_EDGE_COLORS * N_EDGE_WIDTHS];
  g_autofree guint16 *keys = edge_buckets (view, counts);

  for (guint key = 0; key < N_EDGE_COLORS * N_EDGE_WIDTHS; key++)
    {
      if (counts[key] == 0)
        continue;
      for (guint u = 0; u < n; u++)
        {
          double ux = p[2 * u] * view->scale + view->offset_x;
          double uy = p[2 * u + 1] * view->scale + view->offset_y;

          for (gint64 e = off[u]; e < off[u + 1]; e++)
            {
              gint32 v = nbr[e];
              double vx, vy;

              if (keys[e] != key)
                continue;
              vx = p[2 * v] * view->scale + view->offset_x;
              vy = p[2 * v + 1] * view->scale + view->offset_y;
              if (MAX (ux, vx) < 0 || MIN (ux, vx) > width || MAX (uy, vy) < 0
                  || MIN (uy, vy) > height)
                continue;
              cairo_move_to (cr, ux, uy);
              cairo_line_to (cr, vx, vy);
            }
        }
      cairo_set_line_width (cr, edge_width_of_bucket (key % N_EDGE_WIDTHS, line_width));
      _philia_render_set_color (cr, &colors[key / N_EDGE_WIDTHS]);
      cairo_stroke (cr);
    }
}

static void
draw_edges (cairo_t               *cr,
            double                 width,
            double                 height,
            const PhiliaGraphView *view,
            const PhiliaRenderStyle *style)
{
  const gint64 *off = philia_graph_get_row_offsets (view->graph);
  const gint32 *nbr = philia_graph_get_neighbors (view->graph);
  const gint32 *y = philia_graph_get_labels (view->graph);
  guint n = philia_graph_get_n_nodes (view->graph);
  gint64 m = philia_graph_get_n_edges (view->graph);
  const double *p = view->positions;
  /* Fainter edges on dense drawings, so structure shows instead of a blot. */
  double alpha = CLAMP (40.0 / sqrt ((double)MAX (m, 1)), 0.06, 0.6);
  /* A fixed share of the node radius, so that edges keep their weight next
   * to the nodes at any figure size: a 480 pt export and an 800 px canvas
   * look alike (the zoom, view->scale, changes neither). */
  double line_width = edge_line_width (width, height, n);
  PhiliaRgba colors[N_EDGE_COLORS];
  gboolean split = view->edge_style == PHILIA_EDGES_HOMOPHILY;
  Raster raster;

  edge_colors (view, style, alpha, colors);
  if (edges_by_value (view))
    {
      if (raster_begin (cr, width, height, &raster))
        raster_edges_by_value (cr, &raster, view, line_width, colors);
      else
        draw_edges_by_value (cr, width, height, view, line_width, colors);
      return;
    }

  if (raster_begin (cr, width, height, &raster))
    {
      raster_edges (cr, &raster, view, line_width, colors);
      return;
    }

  cairo_set_line_width (cr, line_width);
  for (int pass = 0; pass < (split ? N_EDGE_KINDS : 1); pass++)
    {
      for (guint u = 0; u < n; u++)
        {
          double ux = p[2 * u] * view->scale + view->offset_x;
          double uy = p[2 * u + 1] * view->scale + view->offset_y;

          for (gint64 e = off[u]; e < off[u + 1]; e++)
            {
              gint32 v = nbr[e];
              double vx, vy;

              if (v <= (gint32)u)
                continue;
              if (split && edge_kind (y, u, (guint)v) != pass)
                continue;
              vx = p[2 * v] * view->scale + view->offset_x;
              vy = p[2 * v + 1] * view->scale + view->offset_y;
              /* Cull segments whose box misses the viewport. */
              if (MAX (ux, vx) < 0 || MIN (ux, vx) > width || MAX (uy, vy) < 0
                  || MIN (uy, vy) > height)
                continue;
              cairo_move_to (cr, ux, uy);
              cairo_line_to (cr, vx, vy);
            }
        }
      _philia_render_set_color (cr, &colors[pass]);
      cairo_stroke (cr);
    }
}

static void
draw_nodes (cairo_t               *cr,
            double                 width,
            double                 height,
            const PhiliaGraphView *view,
            double                 base)
{
  guint n = philia_graph_get_n_nodes (view->graph);
  g_autoptr(GHashTable) buckets = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (PhiliaRgba));
  g_autofree guint *bucket_of = g_new (guint, MAX (n, 1));
  g_autofree guint *start = NULL;
  g_autofree guint *fill = NULL;
  g_autofree guint *order = NULL;
  double log_max = 0;
  const double *p = view->positions;
  Raster raster;

  for (guint v = 0; v < n; v++)
    log_max = MAX (log_max, log1p (philia_graph_get_degree (view->graph, v)));

  for (guint v = 0; v < n; v++)
    {
      PhiliaRgba c;
      gpointer hit;

      node_color (view, v, log_max, &c);
      hit = g_hash_table_lookup (buckets, GUINT_TO_POINTER (color_key (&c) + 1));
      if (hit == NULL)
        {
          g_array_append_val (keys, c);
          hit = GUINT_TO_POINTER (keys->len);
          g_hash_table_insert (buckets, GUINT_TO_POINTER (color_key (&c) + 1), hit);
        }
      bucket_of[v] = GPOINTER_TO_UINT (hit) - 1;
    }

  /* Counting sort by colour: one pass per bucket over its own nodes only. */
  start = g_new0 (guint, keys->len + 1);
  order = g_new (guint, MAX (n, 1));
  for (guint v = 0; v < n; v++)
    start[bucket_of[v] + 1]++;
  for (guint b = 0; b < keys->len; b++)
    start[b + 1] += start[b];
  fill = g_memdup2 (start, sizeof (guint) * (keys->len + 1));
  for (guint v = 0; v < n; v++)
    order[fill[bucket_of[v]]++] = v;

  if (raster_begin (cr, width, height, &raster))
    {
      cairo_surface_t *layer = raster_surface (&raster, CAIRO_FORMAT_ARGB32);
      guint8 *data = cairo_image_surface_get_data (layer);
      int stride = cairo_image_surface_get_stride (layer);
      double k = raster.scale;

      for (guint b = 0; b < keys->len; b++)
        {
          const PhiliaRgba *c = &g_array_index (keys, PhiliaRgba, b);
          double alpha = CLAMP (c->a, 0.0, 1.0);
          guint32 color[4] = {
            (guint32)(alpha * 255 + 0.5), (guint32)(CLAMP (c->r, 0.0, 1.0) * alpha * 255 + 0.5),
            (guint32)(CLAMP (c->g, 0.0, 1.0) * alpha * 255 + 0.5),
            (guint32)(CLAMP (c->b, 0.0, 1.0) * alpha * 255 + 0.5),
          };

          for (guint i = start[b]; i < start[b + 1]; i++)
            {
              guint v = order[i];
              double x = p[2 * v] * view->scale + view->offset_x;
              double y = p[2 * v + 1] * view->scale + view->offset_y;
              double r = node_radius (view, v, base);

              if (x < -r || y < -r || x > width + r || y > height + r)
                continue;
              raster_node (data, stride, raster.width, raster.height, x * k, y * k, r * k,
                           color);
            }
        }
      cairo_surface_mark_dirty (layer);
      cairo_set_source_surface (cr, layer, 0, 0);
      cairo_paint (cr);
      cairo_surface_destroy (layer);
      return;
    }

  for (guint b = 0; b < keys->len; b++)
    {
      for (guint i = start[b]; i < start[b + 1]; i++)
        {
          guint v = order[i];
          double x = p[2 * v] * view->scale + view->offset_x;
          double y = p[2 * v + 1] * view->scale + view->offset_y;
          double r = node_radius (view, v, base);

          if (x < -r || y < -r || x > width + r || y > height + r)
            continue;
          if (r < 1.2)
            cairo_rectangle (cr, x - r, y - r, 2 * r, 2 * r);   /* cheaper than arcs */
          else
            {
              cairo_new_sub_path (cr);
              cairo_arc (cr, x, y, r, 0, 2 * G_PI);
            }
        }
      _philia_render_set_color (cr, &g_array_index (keys, PhiliaRgba, b));
      cairo_fill (cr);
    }
}

static void
draw_selection (cairo_t               *cr,
                const PhiliaGraphView *view,
                const PhiliaRenderStyle *style,
                double                 base)
{
  guint n = philia_graph_get_n_nodes (view->graph);

  if (view->selected == NULL)
    return;
  for (guint v = 0; v < n; v++)
    if (view->selected[v])
      {
        double r = node_radius (view, v, base) + 2.5;

        cairo_new_sub_path (cr);
        cairo_arc (cr, view->positions[2 * v] * view->scale + view->offset_x,
                   view->positions[2 * v + 1] * view->scale + view->offset_y, r, 0, 2 * G_PI);
      }
  cairo_set_line_width (cr, 2.0);
  _philia_render_set_color (cr, &style->foreground);
  cairo_stroke (cr);
}

static void
node_xy (const PhiliaGraphView *view,
         guint                  v,
         double                *x,
         double                *y)
{
  *x = view->positions[2 * v] * view->scale + view->offset_x;
  *y = view->positions[2 * v + 1] * view->scale + view->offset_y;
}

/* The emphasis other panels ask for: a path, rings, and a named pair, on top. */
static void
draw_highlight (cairo_t                 *cr,
                const PhiliaGraphView   *view,
                const PhiliaRenderStyle *style,
                double                   base)
{
  guint n = philia_graph_get_n_nodes (view->graph);
  PhiliaRgba halo = style->background.a > 0 ? style->background
                                            : (PhiliaRgba) { 1, 1, 1, 1 };
  double x, y, log_max = 0;

  if (view->path != NULL && view->n_path > 1)
    {
      for (int pass = 0; pass < 2; pass++)
        {
          for (guint i = 0; i < view->n_path; i++)
            {
              if (view->path[i] >= n)
                continue;
              node_xy (view, view->path[i], &x, &y);
              if (i == 0)
                cairo_move_to (cr, x, y);
              else
                cairo_line_to (cr, x, y);
            }
          /* A light casing first, so the path reads over dense edges. */
          cairo_set_line_width (cr, pass == 0 ? 7.0 : 3.5);
          cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
          cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
          _philia_render_set_color (cr, pass == 0 ? &halo : &style->foreground);
          cairo_stroke (cr);
        }
    }

  if (view->highlighted != NULL)
    {
      for (guint v = 0; v < n; v++)
        if (view->highlighted[v])
          {
            node_xy (view, v, &x, &y);
            cairo_new_sub_path (cr);
            cairo_arc (cr, x, y, node_radius (view, v, base) + 3.5, 0, 2 * G_PI);
          }
      cairo_set_line_width (cr, 2.5);
      _philia_render_set_color (cr, &style->foreground);
      cairo_stroke (cr);
    }

  for (guint v = 0; view->pair != NULL && view->color_by == PHILIA_COLOR_BY_DEGREE && v < n; v++)
    log_max = MAX (log_max, log1p (philia_graph_get_degree (view->graph, v)));
  if (view->pair != NULL)
    for (guint i = 0; i < 2; i++)
      {
        guint v = view->pair[i];
        PhiliaRgba c;
        double r;

        if (v >= n)
          continue;
        node_xy (view, v, &x, &y);
        r = MAX (node_radius (view, v, base) * 1.8, 6.0);
        /* The pair keeps its colour, ringed in the foreground over a halo. */
        cairo_arc (cr, x, y, r + 3, 0, 2 * G_PI);
        _philia_render_set_color (cr, &halo);
        cairo_fill (cr);
        cairo_arc (cr, x, y, r, 0, 2 * G_PI);
        node_color (view, v, log_max, &c);
        _philia_render_set_color (cr, &c);
        cairo_fill_preserve (cr);
        cairo_set_line_width (cr, 2.5);
        _philia_render_set_color (cr, &style->foreground);
        cairo_stroke (cr);
      }
}

/* A context for measuring text the same way whatever the target: no hinted
 * metrics, which would round advances to the target's pixels. */
static cairo_t *
measure_context (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_set_font_options (cr, options);
  cairo_font_options_destroy (options);
  cairo_surface_destroy (surface);
  return cr;
}

static gboolean
boxes_meet (const PhiliaBox *a,
            const PhiliaBox *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width
         && a->y < b->y + b->height && b->y < a->y + a->height;
}

static gboolean
box_inside (const PhiliaBox *b,
            double           width,
            double           height)
{
  return b->x >= 0 && b->y >= 0 && b->x + b->width <= width && b->y + b->height <= height;
}

static const char *
node_label (const PhiliaGraphView *view,
            guint                  v,
            char                   id[16])
{
  const char *name = philia_graph_get_node_name (view->graph, v);

  if (name != NULL)
    return name;
  g_snprintf (id, 16, "%u", v);
  return id;
}

/* The radius draw_highlight() gives a node of the pair, halo included. */
static double
pair_radius (const PhiliaGraphView *view,
             guint                  v,
             double                 base)
{
  return MAX (node_radius (view, v, base) * 1.8, 6.0) + 3;
}

/* Labels tried at most: beyond this, the rest cannot find room anyway on a
 * readable figure, and trying would slow the canvas down. */
#define MAX_LABEL_TRIES 4000

static int
compare_by_degree (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  PhiliaGraph *graph = user_data;
  guint u = *(const guint *) a, v = *(const guint *) b;
  guint64 du = philia_graph_get_degree (graph, u), dv = philia_graph_get_degree (graph, v);

  if (du != dv)
    return du > dv ? -1 : 1;
  return u < v ? -1 : u > v;
}

/*
 * Greedy label placement: the pair first, then the other visible nodes from
 * the highest degree down; each name goes right of its node, else left,
 * above or below, where it meets no name already placed, stays inside the
 * figure and keeps off the legend; a name with no such place is dropped and
 * counted, never printed over another.
 */
static GArray *
place_labels (cairo_t                 *measure,
              const PhiliaGraphView   *view,
              const PhiliaRenderStyle *style,
              double                   width,
              double                   height,
              double                   base,
              const PhiliaBox         *legend,
              guint                   *n_dropped)
{
  GArray *placed = g_array_new (FALSE, FALSE, sizeof (PhiliaLabelPlace));
  guint n = philia_graph_get_n_nodes (view->graph);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  double fs = style->font_size;
  guint dropped = 0, tries = 0;

  if (view->positions == NULL || n == 0)
    {
      *n_dropped = 0;
      return placed;
    }
  for (guint i = 0; view->pair != NULL && i < 2; i++)
    if (view->pair[i] < n && (i == 0 || view->pair[1] != view->pair[0]))
      g_array_append_val (order, view->pair[i]);
  if (view->show_labels)
    {
      g_autoptr(GArray) rest = g_array_new (FALSE, FALSE, sizeof (guint));

      for (guint v = 0; v < n; v++)
        {
          double x = view->positions[2 * v] * view->scale + view->offset_x;
          double y = view->positions[2 * v + 1] * view->scale + view->offset_y;

          if (x < 0 || y < 0 || x > width || y > height)
            continue;
          if (view->pair != NULL && (view->pair[0] == v || view->pair[1] == v))
            continue;
          g_array_append_val (rest, v);
        }
      /* Level of detail: names only when few enough nodes are in view to
       * read them (the canvas zoomed in, a small graph); else all count as
       * left out. */
      if (rest->len > MAX (30.0, width * height / 9000.0))
        dropped += rest->len;
      else
        {
          g_array_sort_with_data (rest, compare_by_degree, view->graph);
          g_array_append_vals (order, rest->data, rest->len);
        }
    }

  for (guint i = 0; i < order->len; i++)
    {
      guint v = g_array_index (order, guint, i);
      gboolean is_pair = view->pair != NULL && (view->pair[0] == v || view->pair[1] == v);
      double scale = is_pair ? 1.0 : 0.85;
      double r = is_pair ? pair_radius (view, v, base) : node_radius (view, v, base) + 1;
      double x = view->positions[2 * v] * view->scale + view->offset_x;
      double y = view->positions[2 * v + 1] * view->scale + view->offset_y;
      double tw, th = fs * scale * 1.25, gap = fs * 0.2;
      char id[16];
      PhiliaBox candidates[4];
      gboolean done = FALSE;

      if (++tries > MAX_LABEL_TRIES)
        {
          dropped += order->len - i;
          break;
        }
      tw = _philia_render_text_width (measure, style, scale, node_label (view, v, id));
      if (is_pair)
        tw *= 1.08;   /* bold: measured regular, so leave room */
      candidates[0] = (PhiliaBox) { x + r + gap, y - th / 2, tw, th };
      candidates[1] = (PhiliaBox) { x - r - gap - tw, y - th / 2, tw, th };
      candidates[2] = (PhiliaBox) { x - tw / 2, y - r - th, tw, th };
      candidates[3] = (PhiliaBox) { x - tw / 2, y + r, tw, th };
      for (int c = 0; c < 4 && !done; c++)
        {
          gboolean free = box_inside (&candidates[c], width, height)
                          && (legend == NULL || !boxes_meet (&candidates[c], legend));

          /* A space apart, so that two numbers never read as one. */
          PhiliaBox padded = { candidates[c].x - fs * 0.3, candidates[c].y,
                               candidates[c].width + fs * 0.6, candidates[c].height };

          for (guint k = 0; free && k < placed->len; k++)
            free = !boxes_meet (&padded, &g_array_index (placed, PhiliaLabelPlace, k).box);
          if (free)
            {
              PhiliaLabelPlace place = { v, candidates[c], is_pair };

              g_array_append_val (placed, place);
              done = TRUE;
            }
        }
      dropped += !done;
    }
  *n_dropped = dropped;
  return placed;
}

static void
draw_labels (cairo_t                 *cr,
             const PhiliaGraphView   *view,
             const PhiliaRenderStyle *style,
             const GArray            *placed)
{
  _philia_render_set_color (cr, &style->foreground);
  for (guint i = 0; i < placed->len; i++)
    {
      const PhiliaLabelPlace *place = &g_array_index (placed, PhiliaLabelPlace, i);
      char id[16];

      _philia_render_text (cr, style, place->bold ? 1.0 : 0.85, place->bold,
                           node_label (view, place->node, id), place->box.x,
                           place->box.y + place->box.height / 2, 0.0, 0.5, 0);
    }
}

typedef enum
{
  ROW_CLASS,        /* a class swatch; @index is the class */
  ROW_MORE,         /* "… n more classes", no swatch */
  ROW_UNLABELED,
  ROW_TITLE,        /* a heading over category rows, no swatch */
  ROW_CATEGORY,     /* a category swatch; @index is the category */
  ROW_NODE_SCALE,   /* title, then the node colour scale */
  ROW_NOTE,         /* a smaller line under a scale, no swatch */
  ROW_EDGE_SAME,
  ROW_EDGE_CROSS,
  ROW_EDGE_UNLABELED,
  ROW_EDGE_SCALE,   /* title, then the edge colour scale */
  ROW_EDGE_WIDTH,   /* a wedge from the thinnest to the thickest edge */
} RowKind;

typedef struct
{
  RowKind  kind;
  guint    index;
  char    *text;
} LegendRow;

static void
legend_row_clear (gpointer data)
{
  g_free (((LegendRow *)data)->text);
}

static void
add_row (GArray  *rows,
         RowKind  kind,
         guint    index,
         char    *text)
{
  LegendRow row = { kind, index, text };

  g_array_append_val (rows, row);
}

typedef enum
{
  SCALE_VIRIDIS,
  SCALE_DIVERGING,
  SCALE_GREYS,
} ScaleColors;

/* A colour bar from @x to @x + @w with its end labels, under a title at @y;
 * @mid (nullable) labels a tick at @mid_t (0 … 1 along the bar). */
static void
draw_scale (cairo_t                 *cr,
            const PhiliaRenderStyle *style,
            ScaleColors              colors,
            double                   x,
            double                   y,
            double                   w,
            const char              *low,
            const char              *mid,
            double                   mid_t,
            const char              *high)
{
  double fs = style->font_size;

  for (int s = 0; s < 40; s++)
    {
      PhiliaRgba c;
      double t = s / 39.0;

      if (colors == SCALE_DIVERGING)
        philia_colormap_diverging (t, &c);
      else if (colors == SCALE_GREYS)
        philia_colormap_greys (t, &c);
      else
        philia_colormap_viridis (t, &c);
      _philia_render_set_color (cr, &c);
      cairo_rectangle (cr, x + w * s / 40.0, y + fs * 1.5, w / 40.0 + 0.5, fs * 0.6);
      cairo_fill (cr);
    }
  _philia_render_set_color (cr, &style->foreground);
  _philia_render_text (cr, style, 0.8, FALSE, low, x, y + fs * 2.2, 0, 0, 0);
  _philia_render_text (cr, style, 0.8, FALSE, high, x + w, y + fs * 2.2, 1, 0, 0);
  if (mid != NULL && mid_t >= 0 && mid_t <= 1)
    {
      double mx = x + w * mid_t;
      double half = _philia_render_text_width (cr, style, 0.8, mid) / 2;

      cairo_set_line_width (cr, 1.0);
      cairo_move_to (cr, mx, y + fs * 1.3);
      cairo_line_to (cr, mx, y + fs * 2.3);
      cairo_stroke (cr);
      /* Kept clear of the bar's ends, where their own labels are. */
      _philia_render_text (cr, style, 0.8, FALSE, mid, CLAMP (mx, x + half, x + w - half),
                           y + fs * 2.2, 0.5, 0, 0);
    }
}

/* Whether some node has no value to colour by (drawn grey). */
static gboolean
any_undefined (const PhiliaGraphView *view)
{
  guint n = philia_graph_get_n_nodes (view->graph);

  for (guint v = 0; v < n; v++)
    if (view->node_values == NULL || isnan (view->node_values[v]))
      return TRUE;
  return FALSE;
}

static GArray *
legend_rows (const PhiliaGraphView *view)
{
  guint c = philia_graph_get_n_classes (view->graph);
  guint shown = MIN (c, 20);
  gboolean unlabeled = philia_graph_get_n_labeled (view->graph) < philia_graph_get_n_nodes (view->graph);
  const char *edge_name = view->edge_value_name ? view->edge_value_name : "edge value";
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (LegendRow));

  g_array_set_clear_func (rows, legend_row_clear);
  if (view->color_by == PHILIA_COLOR_BY_LABEL)
    {
      for (guint k = 0; k < shown; k++)
        {
          const char *name = philia_graph_get_class_name (view->graph, k);

          add_row (rows, ROW_CLASS, k, name ? g_strdup (name) : g_strdup_printf ("class %u", k));
        }
      if (c > shown)
        add_row (rows, ROW_MORE, 0, g_strdup_printf ("… %u more classes", c - shown));
      if (unlabeled)
        add_row (rows, ROW_UNLABELED, 0, g_strdup ("unlabeled"));
    }
  else if (view->color_by == PHILIA_COLOR_BY_CATEGORY)
    {
      guint nc = MIN (view->n_categories, 20);

      add_row (rows, ROW_TITLE, 0, g_strdup (view->value_name ? view->value_name : "category"));
      for (guint k = 0; k < nc; k++)
        add_row (rows, ROW_CATEGORY, k,
                 view->category_names && view->category_names[k]
                 ? g_strdup (view->category_names[k]) : g_strdup_printf ("%u", k));
      if (view->n_categories > nc)
        add_row (rows, ROW_MORE, 0, g_strdup_printf ("… %u more", view->n_categories - nc));
    }
  else
    {
      add_row (rows, ROW_NODE_SCALE, 0,
               g_strdup (view->color_by == PHILIA_COLOR_BY_LOCAL_HOMOPHILY
                         ? "local homophily"
                         : view->color_by == PHILIA_COLOR_BY_DEGREE
                         ? "degree (log)"
                         : view->value_name ? view->value_name : "value"));
      /* Where the pale middle is, and why there. */
      if (view->color_by == PHILIA_COLOR_BY_LOCAL_HOMOPHILY)
        add_row (rows, ROW_NOTE, 0, view->class_chance != NULL
                                    ? g_strdup ("pale: chance for the node's class, D_k/2m")
                                    : g_strdup ("pale: 0.5"));
      if (view->color_by == PHILIA_COLOR_BY_LOCAL_HOMOPHILY && any_undefined (view))
        add_row (rows, ROW_UNLABELED, 0, g_strdup ("unlabeled, or no labeled neighbour"));
    }
  if (view->edge_style == PHILIA_EDGES_HOMOPHILY)
    {
      /* Only the kinds a graph can have: none is same- or cross-class
       * without labels, and with every node labelled none is unlabeled. */
      if (philia_graph_get_n_labeled (view->graph) > 0)
        {
          add_row (rows, ROW_EDGE_SAME, 0, g_strdup ("same-class edge"));
          add_row (rows, ROW_EDGE_CROSS, 0, g_strdup ("cross-class edge"));
        }
      if (unlabeled)
        add_row (rows, ROW_EDGE_UNLABELED, 0, g_strdup ("edge with an unlabeled end"));
    }
  else if (view->edge_style == PHILIA_EDGES_VALUE)
    add_row (rows, ROW_EDGE_SCALE, 0, g_strdup (edge_name));
  if (view->edge_style != PHILIA_EDGES_HIDDEN && view->edge_width_by_value
      && view->edge_values != NULL)
    add_row (rows, ROW_EDGE_WIDTH, 0, view->edge_style == PHILIA_EDGES_VALUE
                                      ? g_strdup ("width: same")
                                      : g_strdup_printf ("width: %s", edge_name));

  return rows;
}

/* The legend's content size: @w wide (swatch and text), @h tall. */
static void
legend_size (cairo_t                 *measure,
             const PhiliaRenderStyle *style,
             const GArray            *rows,
             double                  *w,
             double                  *h)
{
  double fs = style->font_size;
  guint n_scales = 0;

  *w = 0;
  for (guint i = 0; i < rows->len; i++)
    {
      const LegendRow *row = &g_array_index (rows, LegendRow, i);

      *w = MAX (*w, _philia_render_text_width (measure, style, 0.9, row->text)
                    * (row->kind == ROW_TITLE ? 1.08 : 1.0));
      n_scales += row->kind == ROW_NODE_SCALE || row->kind == ROW_EDGE_SCALE;
    }
  *w += fs * 2.4;
  /* A scale row is a title, a bar and its end labels: SCALE_EXTRA more than a row. */
  *h = rows->len * fs * 1.35 + fs * 0.6 + n_scales * fs * SCALE_EXTRA;
}

/* How many nodes (as drawn, discs of their radius) meet @box. */
static guint
nodes_meeting (const PhiliaGraphView *view,
               double                 width,
               double                 height,
               double                 base,
               const PhiliaBox       *box)
{
  guint n = philia_graph_get_n_nodes (view->graph), count = 0;

  for (guint v = 0; view->positions != NULL && v < n; v++)
    {
      double r = node_radius (view, v, base);
      double x = view->positions[2 * v] * view->scale + view->offset_x;
      double y = view->positions[2 * v + 1] * view->scale + view->offset_y;
      PhiliaBox node = { x - r, y - r, 2 * r, 2 * r };

      if (view->pair != NULL && (view->pair[0] == v || view->pair[1] == v))
        {
          r = pair_radius (view, v, base);
          node = (PhiliaBox) { x - r, y - r, 2 * r, 2 * r };
        }
      count += x + r >= 0 && y + r >= 0 && x - r <= width && y - r <= height
               && boxes_meet (&node, box);
    }
  return count;
}

/*
 * Where the legend goes: the first corner (top left, top right, bottom
 * left, bottom right) where it covers no node, else the corner where it
 * covers fewest; @covered says how many it covers there.
 */
static void
legend_place (cairo_t                 *measure,
              const PhiliaGraphView   *view,
              const PhiliaRenderStyle *style,
              const GArray            *rows,
              double                   width,
              double                   height,
              double                   base,
              PhiliaBox               *box,
              guint                   *covered)
{
  double fs = style->font_size, w, h, bw, bh, inset = fs * 0.5;
  guint best = G_MAXUINT;

  legend_size (measure, style, rows, &w, &h);
  bw = w + fs * 0.6;
  bh = h;
  for (int corner = 0; corner < 4 && best > 0; corner++)
    {
      PhiliaBox candidate = {
        corner % 2 == 0 ? inset : width - bw - inset,
        corner < 2 ? inset : height - bh - inset,
        bw, bh,
      };
      guint count = nodes_meeting (view, width, height, base, &candidate);

      if (count < best)
        {
          best = count;
          *box = candidate;
        }
    }
  *covered = best;
}

static void
draw_legend (cairo_t                 *cr,
             const PhiliaGraphView   *view,
             const PhiliaRenderStyle *style,
             const GArray            *rows,
             const PhiliaBox         *box,
             guint                    covered)
{
  double fs = style->font_size, x = box->x + fs * 0.5, y = box->y + fs * 0.4;
  double w = box->width - fs * 0.6;
  /* Opaque only where it hides nothing; over nodes, the nodes show through. */
  PhiliaRgba bg = style->background.a > 0 ? style->background
                                          : (PhiliaRgba) { 1, 1, 1, 0.85 };

  if (covered > 0)
    bg.a = MIN (bg.a, 0.5);
  _philia_render_set_color (cr, &bg);
  cairo_rectangle (cr, box->x, box->y, box->width, box->height);
  cairo_fill (cr);

  for (guint i = 0; i < rows->len; i++, y += fs * 1.35)
    {
      const LegendRow *row = &g_array_index (rows, LegendRow, i);
      PhiliaRgba swatch;

      switch (row->kind)
        {
        case ROW_EDGE_SAME:
        case ROW_EDGE_CROSS:
        case ROW_EDGE_UNLABELED:
          swatch = edge_kind_colors[row->kind == ROW_EDGE_SAME ? EDGE_SAME
                                    : row->kind == ROW_EDGE_CROSS ? EDGE_CROSS
                                    : EDGE_UNLABELED];
          _philia_render_set_color (cr, &swatch);
          cairo_set_line_width (cr, 2);
          cairo_move_to (cr, x, y + fs * 0.6);
          cairo_line_to (cr, x + fs * 1.2, y + fs * 0.6);
          cairo_stroke (cr);
          break;

        case ROW_EDGE_WIDTH:
          /* 0.5 at the left end to 4 at the right, as the edges. */
          _philia_render_set_color (cr, &style->foreground);
          cairo_move_to (cr, x, y + fs * 0.6 - 0.25);
          cairo_line_to (cr, x + fs * 1.2, y + fs * 0.6 - 2);
          cairo_line_to (cr, x + fs * 1.2, y + fs * 0.6 + 2);
          cairo_line_to (cr, x, y + fs * 0.6 + 0.25);
          cairo_close_path (cr);
          cairo_fill (cr);
          break;

        case ROW_CLASS:
        case ROW_UNLABELED:
        case ROW_CATEGORY:
          if (row->kind == ROW_UNLABELED)
            swatch = unlabeled_grey;
          else if (row->kind == ROW_CATEGORY)
            category_color (view, (gint32) row->index, &swatch);
          else
            philia_palette_get_categorical (row->index, &swatch);
          _philia_render_set_color (cr, &swatch);
          cairo_arc (cr, x + fs * 0.5, y + fs * 0.6, fs * 0.45, 0, 2 * G_PI);
          cairo_fill (cr);
          break;

        case ROW_NODE_SCALE:
          if (view->color_by == PHILIA_COLOR_BY_VALUE)
            {
              char low[G_ASCII_DTOSTR_BUF_SIZE], high[G_ASCII_DTOSTR_BUF_SIZE];

              g_ascii_formatd (low, sizeof low, "%.3g", view->vmin);
              g_ascii_formatd (high, sizeof high, "%.3g", view->vmax);
              draw_scale (cr, style, SCALE_VIRIDIS, x, y, w - fs, low, NULL, 0, high);
            }
          else if (view->color_by == PHILIA_COLOR_BY_LOCAL_HOMOPHILY)
            draw_scale (cr, style, SCALE_DIVERGING, x, y, w - fs, "0", "chance", 0.5, "1");
          else
            draw_scale (cr, style, SCALE_VIRIDIS, x, y, w - fs, "low", NULL, 0, "high");
          break;

        case ROW_EDGE_SCALE:
          {
            char low[G_ASCII_DTOSTR_BUF_SIZE], high[G_ASCII_DTOSTR_BUF_SIZE];

            g_ascii_formatd (low, sizeof low, "%.3g", view->edge_vmin);
            g_ascii_formatd (high, sizeof high, "%.3g", view->edge_vmax);
            draw_scale (cr, style, view->edge_colormap == PHILIA_EDGE_COLORMAP_GREYS
                                   ? SCALE_GREYS : SCALE_VIRIDIS,
                        x, y, w - fs, low, view->edge_mark_label,
                        view->edge_mark_label != NULL
                        ? philia_graph_view_edge_position (view, view->edge_mark) : -1, high);
          }
          break;

        case ROW_MORE:
        default:
          break;
        }

      _philia_render_set_color (cr, &style->foreground);
      if (row->kind == ROW_TITLE)
        _philia_render_text (cr, style, 0.9, TRUE, row->text, x, y, 0, 0, w);
      else if (row->kind == ROW_NOTE)
        _philia_render_text (cr, style, 0.8, FALSE, row->text, x, y, 0, 0, w);
      else if (row->kind == ROW_NODE_SCALE || row->kind == ROW_EDGE_SCALE)
        {
          _philia_render_text (cr, style, 0.9, FALSE, row->text, x, y, 0, 0, w);
          y += fs * SCALE_EXTRA;
        }
      else
        _philia_render_text (cr, style, 0.9, FALSE, row->text, x + fs * 1.6, y, 0, 0, w);
    }
}

/* Everything placed on top of the drawing: the legend and the names. */
typedef struct
{
  GArray    *rows;       /* nullable: no legend */
  PhiliaBox  legend;
  guint      covered;
  GArray    *labels;
  guint      n_dropped;
} Overlay;

static void
overlay_compute (const PhiliaGraphView   *view,
                 const PhiliaRenderStyle *style,
                 double                   width,
                 double                   height,
                 Overlay                 *overlay)
{
  cairo_t *measure = measure_context ();
  double base = node_base_radius (width, height, philia_graph_get_n_nodes (view->graph));

  *overlay = (Overlay) { 0 };
  if (view->show_legend)
    {
      overlay->rows = legend_rows (view);
      legend_place (measure, view, style, overlay->rows, width, height, base,
                    &overlay->legend, &overlay->covered);
    }
  overlay->labels = place_labels (measure, view, style, width, height, base,
                                  overlay->rows != NULL ? &overlay->legend : NULL,
                                  &overlay->n_dropped);
  cairo_destroy (measure);
}

static void
overlay_clear (Overlay *overlay)
{
  g_clear_pointer (&overlay->rows, g_array_unref);
  g_clear_pointer (&overlay->labels, g_array_unref);
}

void
philia_graph_view_draw (cairo_t                 *cr,
                        double                   width,
                        double                   height,
                        const PhiliaGraphView   *view,
                        const PhiliaRenderStyle *style)
{
  PhiliaRenderStyle fallback;
  Overlay overlay;
  double base;
  guint n;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (view != NULL && PHILIA_IS_GRAPH (view->graph));

  style = _philia_render_style_or_default (style, &fallback);
  n = philia_graph_get_n_nodes (view->graph);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  if (style->background.a > 0)
    {
      _philia_render_set_color (cr, &style->background);
      cairo_paint (cr);
    }

  base = node_base_radius (width, height, n);
  overlay_compute (view, style, width, height, &overlay);

  if (view->positions != NULL && n > 0)
    {
      if (view->edge_style != PHILIA_EDGES_HIDDEN)
        draw_edges (cr, width, height, view, style);
      draw_nodes (cr, width, height, view, base);
      draw_selection (cr, view, style, base);
      draw_highlight (cr, view, style, base);
      draw_labels (cr, view, style, overlay.labels);
    }
  if (overlay.rows != NULL)
    draw_legend (cr, view, style, overlay.rows, &overlay.legend, overlay.covered);
  overlay_clear (&overlay);
  cairo_restore (cr);
}

/**
 * philia_graph_view_get_legend_box:
 *
 * Where philia_graph_view_draw() puts the legend in a @width × @height
 * drawing, and how many nodes it covers there (0 unless no corner is free).
 * Returns %FALSE without a legend.
 */
gboolean
philia_graph_view_get_legend_box (const PhiliaGraphView   *view,
                                  const PhiliaRenderStyle *style,
                                  double                   width,
                                  double                   height,
                                  PhiliaBox               *box,
                                  guint                   *covered)
{
  PhiliaRenderStyle fallback;
  Overlay overlay;
  gboolean any;

  g_return_val_if_fail (view != NULL && PHILIA_IS_GRAPH (view->graph), FALSE);

  style = _philia_render_style_or_default (style, &fallback);
  overlay_compute (view, style, width, height, &overlay);
  any = overlay.rows != NULL;
  if (any && box != NULL)
    *box = overlay.legend;
  if (covered != NULL)
    *covered = any ? overlay.covered : 0;
  overlay_clear (&overlay);
  return any;
}

/**
 * philia_graph_view_place_labels:
 * @n_dropped: (out) (optional): names left out for want of room
 *
 * The names philia_graph_view_draw() prints (the pair's, and with
 * @show_labels the other nodes'), and where. Free with g_array_unref().
 */
GArray *
philia_graph_view_place_labels (const PhiliaGraphView   *view,
                                const PhiliaRenderStyle *style,
                                double                   width,
                                double                   height,
                                guint                   *n_dropped)
{
  PhiliaRenderStyle fallback;
  Overlay overlay;
  GArray *labels;

  g_return_val_if_fail (view != NULL && PHILIA_IS_GRAPH (view->graph), NULL);

  style = _philia_render_style_or_default (style, &fallback);
  overlay_compute (view, style, width, height, &overlay);
  labels = g_steal_pointer (&overlay.labels);
  if (n_dropped != NULL)
    *n_dropped = overlay.n_dropped;
  overlay_clear (&overlay);
  return labels;
}

/* The largest radius a node is drawn with, rings and the pair's halo included. */
static double
largest_radius (const PhiliaGraphView *view,
                double                 base)
{
  guint n = philia_graph_get_n_nodes (view->graph);
  double r = base;

  for (guint v = 0; view->size_by_degree && v < n; v++)
    r = MAX (r, node_radius (view, v, base));
  if (view->selected != NULL || view->highlighted != NULL)
    r += 5;
  if (view->pair != NULL)
    r = MAX (r, MAX (r * 1.8, 6.0) + 4.5);
  return r;
}

/**
 * philia_graph_view_fit_figure:
 *
 * Fits the whole graph to a @width × @height figure as an export wants it:
 * a margin that grows with the nodes (none touches the border), and the
 * legend in a corner it leaves free, or else in a column of its own on the
 * left, so that it never covers a node.
 */
void
philia_graph_view_fit_figure (PhiliaGraphView         *view,
                              const PhiliaRenderStyle *style,
                              double                   width,
                              double                   height)
{
  PhiliaRenderStyle fallback;
  PhiliaBox box;
  guint n, covered = 0;
  double margin;

  g_return_if_fail (view != NULL && PHILIA_IS_GRAPH (view->graph));

  style = _philia_render_style_or_default (style, &fallback);
  n = philia_graph_get_n_nodes (view->graph);
  margin = MAX (MIN (width, height) * 0.04,
                1.5 * largest_radius (view, node_base_radius (width, height, n)) + 2);
  philia_graph_view_fit (view, width, height, margin);
  if (!view->show_legend
      || !philia_graph_view_get_legend_box (view, style, width, height, &box, &covered)
      || covered == 0)
    return;

  /* The drawing moves right of the legend's column: fitted to what is left,
   * with the left margin measured from the column. */
  {
    double left = box.width + style->font_size;   /* the inset, both sides */
    double rest = width - left;

    if (rest <= 2 * margin)
      return;
    philia_graph_view_fit (view, rest, height, margin);
    view->offset_x += left;
  }
}

gint64
philia_graph_view_hit (const PhiliaGraphView *view,
                       double                 x,
                       double                 y,
                       double                 radius)
{
  gint64 best = -1;
  double best_d2 = radius * radius;
  guint n;

  g_return_val_if_fail (view != NULL && PHILIA_IS_GRAPH (view->graph), -1);

  n = philia_graph_get_n_nodes (view->graph);
  for (guint v = 0; view->positions != NULL && v < n; v++)
    {
      double dx = view->positions[2 * v] * view->scale + view->offset_x - x;
      double dy = view->positions[2 * v + 1] * view->scale + view->offset_y - y;
      double d2 = dx * dx + dy * dy;

      if (d2 <= best_d2)
        {
          best_d2 = d2;
          best = v;
        }
    }
  return best;
}
