/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-graph-view-private.h"

/* The names are the nicks of the enum GTypes (philia-render-enums); the
 * aliases below are the names a document's view may also hold. */
const char *
philia_color_by_to_string (PhiliaColorBy color_by)
{
  g_return_val_if_fail (color_by < PHILIA_N_COLOR_BY, NULL);
  return philia_enum_to_nick (PHILIA_TYPE_COLOR_BY, color_by);
}

/* "class" is what a document's view calls the label colouring. */
gboolean
philia_color_by_from_string (const char    *name,
                             PhiliaColorBy *color_by)
{
  int value;

  if (g_strcmp0 (name, "class") == 0)
    value = PHILIA_COLOR_BY_LABEL;
  else if (!philia_enum_from_nick (PHILIA_TYPE_COLOR_BY, name, &value))
    return FALSE;
  *color_by = value;
  return TRUE;
}

const char *
philia_edge_style_to_string (PhiliaEdgeStyle edge_style)
{
  g_return_val_if_fail (edge_style <= PHILIA_EDGES_VALUE, NULL);
  return philia_enum_to_nick (PHILIA_TYPE_EDGE_STYLE, edge_style);
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
  int value;

  if (philia_enum_from_nick (PHILIA_TYPE_EDGE_STYLE, name, &value))
    {
      *edge_style = value;
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

const PhiliaRgba _philia_graph_view_unlabeled_grey = { 0.62, 0.62, 0.62, 1.0 };

const PhiliaRgba _philia_graph_view_edge_kind_colors[N_EDGE_KINDS] = {
  [EDGE_UNLABELED] = { 0.62, 0.62, 0.62, 1.0 },
  [EDGE_SAME] = { 0.21, 0.29, 0.60, 1.0 },
  [EDGE_CROSS] = { 0.85, 0.20, 0.15, 1.0 },
};

void
_philia_graph_view_category_color (const PhiliaGraphView *view,
                                   gint32                 k,
                                   PhiliaRgba            *color)
{
  if (k < 0 || (guint) k >= view->n_categories)
    *color = _philia_graph_view_unlabeled_grey;
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
        *color = _philia_graph_view_unlabeled_grey;
      else
        philia_palette_get_categorical (y[v], color);
      break;

    case PHILIA_COLOR_BY_LOCAL_HOMOPHILY:
      value = view->node_values ? view->node_values[v] : NAN;
      if (isnan (value))
        *color = _philia_graph_view_unlabeled_grey;
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
        *color = _philia_graph_view_unlabeled_grey;
      else
        philia_colormap_viridis (view->vmax > view->vmin
                                 ? (value - view->vmin) / (view->vmax - view->vmin) : 0.5,
                                 color);
      break;

    case PHILIA_COLOR_BY_CATEGORY:
      _philia_graph_view_category_color (view,
                                         view->node_categories ? view->node_categories[v] : -1,
                                         color);
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
double
_philia_graph_view_edge_width_of_bucket (guint  bucket,
                                         double line_width)
{
  if (bucket == 0)
    return line_width;
  return 0.5 + 3.5 * (bucket - 1) / (double)(N_EDGE_LEVELS - 1);
}

/*
 * The bucket of every edge, colour × N_EDGE_WIDTHS + width, at its CSR entry
 * from the smaller end (EDGE_SKIP elsewhere, and for edges @sample leaves
 * out), and how many edges each holds.
 */
guint16 *
_philia_graph_view_edge_buckets (const PhiliaGraphView *view,
                                 EdgeSample            *sample,
                                 guint                  counts[N_EDGE_COLORS * N_EDGE_WIDTHS])
{
  const gint64 *off = philia_graph_get_row_offsets (view->graph);
  const gint32 *nbr = philia_graph_get_neighbors (view->graph);
  const gint32 *y = philia_graph_get_labels (view->graph);
  guint n = philia_graph_get_n_nodes (view->graph);
  gboolean by_width = view->edge_width_by_value && view->edge_values != NULL;
  guint16 *keys = _philia_frame_scratch_take (view->scratch, SCRATCH_EDGE_KEYS,
                                              sizeof (guint16) * MAX (off[n], 1));

  memset (counts, 0, sizeof (guint) * N_EDGE_COLORS * N_EDGE_WIDTHS);
  for (guint u = 0; u < n; u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      {
        gint32 v = nbr[e];
        int level;
        guint color, width;

        if (v <= (gint32)u || !edge_sample_next (sample))
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

static guint64
gcd64 (guint64 a,
       guint64 b)
{
  while (b != 0)
    {
      guint64 t = a % b;

      a = b, b = t;
    }
  return a;
}

/* See EdgeSample; @max_edges 0 keeps every edge. */
void
_philia_graph_view_edge_sample_init (const PhiliaGraphView *view,
                                     guint64                max_edges,
                                     EdgeSample            *sample)
{
  guint64 m;

  *sample = (EdgeSample) { .m = 0, .keep = G_MAXUINT64 };
  /* The stored count can include self-loops, which are never drawn: only
   * when even it is over the budget are the edges drawn counted (once for
   * the graph: philia-graph-sample.c). */
  if (max_edges == 0 || (guint64)philia_graph_get_n_edges (view->graph) <= max_edges)
    return;
  m = _philia_graph_view_canonical_edges (view);
  if (m <= max_edges)
    return;
  sample->m = m;
  sample->keep = max_edges;
  sample->step = (guint64)(m * 0.6180339887498949);
  while (gcd64 (sample->step, m) != 1)
    sample->step++;
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
      colors[0] = _philia_graph_view_unlabeled_grey;
      colors[0].a = alpha * 0.5;
      for (int l = 0; l < N_EDGE_LEVELS; l++)
        {
          edge_colormap (view, l / (double)(N_EDGE_LEVELS - 1), &colors[l + 1]);
          colors[l + 1].a = alpha;
        }
      break;

    case PHILIA_EDGES_HOMOPHILY:
      for (int k = 0; k < N_EDGE_KINDS; k++)
        {
          colors[k] = _philia_graph_view_edge_kind_colors[k];
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

double
_philia_graph_view_node_radius (const PhiliaGraphView *view,
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
  return _philia_graph_view_node_radius (view, v, node_base_radius (width, height, n));
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

/* The vector form of raster_edges_by_value: one stroke per colour and width. */
static void
draw_edges_by_value (cairo_t               *cr,
                     double                 width,
                     double                 height,
                     const PhiliaGraphView *view,
                     EdgeSample            *sample,
                     double                 line_width,
                     const PhiliaRgba      *colors)
{
  const gint64 *off = philia_graph_get_row_offsets (view->graph);
  const gint32 *nbr = philia_graph_get_neighbors (view->graph);
  guint n = philia_graph_get_n_nodes (view->graph);
  const double *p = view->positions;
  guint counts[N_EDGE_COLORS * N_EDGE_WIDTHS];
  guint16 *keys = _philia_graph_view_edge_buckets (view, sample, counts);

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
      cairo_set_line_width (cr, _philia_graph_view_edge_width_of_bucket (key % N_EDGE_WIDTHS,
                                                                        line_width));
      _philia_render_set_color (cr, &colors[key / N_EDGE_WIDTHS]);
      cairo_stroke (cr);
    }
  _philia_frame_scratch_give (view->scratch, keys);
}

static void
draw_edges (cairo_t               *cr,
            double                 width,
            double                 height,
            const PhiliaGraphView *view,
            const PhiliaRenderStyle *style,
            guint64                max_edges)
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
  EdgeSample sample;

  /* A sample keeps the whole graph's faintness: where the full drawing is
   * dense enough to saturate, the sample still is, and the tone matches. */
  _philia_graph_view_edge_sample_init (view, max_edges, &sample);
  edge_colors (view, style, alpha, colors);
  if (edges_by_value (view))
    {
      if (_philia_graph_view_raster_begin (cr, width, height, &raster))
        _philia_graph_view_raster_edges_by_value (cr, &raster, view, &sample, line_width, colors);
      else
        draw_edges_by_value (cr, width, height, view, &sample, line_width, colors);
      return;
    }

  if (_philia_graph_view_raster_begin (cr, width, height, &raster))
    {
      _philia_graph_view_raster_edges (cr, &raster, view, &sample, line_width, colors);
      return;
    }

  cairo_set_line_width (cr, line_width);
  for (int pass = 0; pass < (split ? N_EDGE_KINDS : 1); pass++)
    {
      sample.r = 0;   /* each pass walks the same sample */
      for (guint u = 0; u < n; u++)
        {
          double ux = p[2 * u] * view->scale + view->offset_x;
          double uy = p[2 * u + 1] * view->scale + view->offset_y;

          for (gint64 e = off[u]; e < off[u + 1]; e++)
            {
              gint32 v = nbr[e];
              double vx, vy;

              if (v <= (gint32)u || !edge_sample_next (&sample))
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
  guint *bucket_of = _philia_frame_scratch_take (view->scratch, SCRATCH_BUCKETS,
                                                 sizeof (guint) * MAX (n, 1));
  g_autofree guint *start = NULL;
  g_autofree guint *fill = NULL;
  g_autofree guint *order = NULL;
  double log_max = 0;
  const double *p = view->positions;
  const gint32 *labels = philia_graph_get_labels (view->graph);
  gboolean by_label = view->color_by == PHILIA_COLOR_BY_LABEL;
  guint class_bucket[256] = { 0 };   /* bucket + 1 of each class seen, 0 not yet */
  Raster raster;

  /* Only the degree colouring needs it: a log per node of 10^6 otherwise. */
  for (guint v = 0; view->color_by == PHILIA_COLOR_BY_DEGREE && v < n; v++)
    log_max = MAX (log_max, log1p (philia_graph_get_degree (view->graph, v)));

  for (guint v = 0; v < n; v++)
    {
      PhiliaRgba c;
      gpointer hit;

      /* A class's bucket is looked up once, not once per node. */
      if (by_label && labels[v] >= 0 && labels[v] < (gint32)G_N_ELEMENTS (class_bucket)
          && class_bucket[labels[v]] != 0)
        {
          bucket_of[v] = class_bucket[labels[v]] - 1;
          continue;
        }
      node_color (view, v, log_max, &c);
      hit = g_hash_table_lookup (buckets, GUINT_TO_POINTER (color_key (&c) + 1));
      if (hit == NULL)
        {
          g_array_append_val (keys, c);
          hit = GUINT_TO_POINTER (keys->len);
          g_hash_table_insert (buckets, GUINT_TO_POINTER (color_key (&c) + 1), hit);
        }
      bucket_of[v] = GPOINTER_TO_UINT (hit) - 1;
      if (by_label && labels[v] >= 0 && labels[v] < (gint32)G_N_ELEMENTS (class_bucket))
        class_bucket[labels[v]] = bucket_of[v] + 1;
    }

  /* Crowded nodes: every colour in proportion, not the last one drawn. */
  if (_philia_graph_view_draw_density (cr, width, height, view, base, bucket_of,
                                       (const PhiliaRgba *)keys->data, keys->len))
    {
      _philia_frame_scratch_give (view->scratch, bucket_of);
      return;
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
  _philia_frame_scratch_give (view->scratch, bucket_of);
  bucket_of = NULL;

  if (_philia_graph_view_raster_begin (cr, width, height, &raster))
    {
      cairo_surface_t *layer = _philia_graph_view_raster_surface (&raster, CAIRO_FORMAT_ARGB32,
                                                                  view->scratch, SCRATCH_LAYER);
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
              double r = _philia_graph_view_node_radius (view, v, base);

              if (x < -r || y < -r || x > width + r || y > height + r)
                continue;
              _philia_graph_view_raster_node (data, stride, raster.width, raster.height,
                                              x * k, y * k, r * k, color);
            }
        }
      cairo_surface_mark_dirty (layer);
      /* Saved and restored: the source lets go of the layer, which the
       * scratch clears for the next frame. */
      cairo_save (cr);
      cairo_set_source_surface (cr, layer, 0, 0);
      cairo_paint (cr);
      cairo_restore (cr);
      _philia_frame_scratch_give_surface (view->scratch, layer);
      return;
    }

  for (guint b = 0; b < keys->len; b++)
    {
      for (guint i = start[b]; i < start[b + 1]; i++)
        {
          guint v = order[i];
          double x = p[2 * v] * view->scale + view->offset_x;
          double y = p[2 * v + 1] * view->scale + view->offset_y;
          double r = _philia_graph_view_node_radius (view, v, base);

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
        double r = _philia_graph_view_node_radius (view, v, base) + 2.5;

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
void
_philia_graph_view_draw_highlight (cairo_t                 *cr,
                                   const PhiliaGraphView   *view,
                                   const PhiliaRenderStyle *style,
                                   double                   base)
{
  guint n = philia_graph_get_n_nodes (view->graph);
  PhiliaRgba halo = _philia_render_paper_color (style);
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
            cairo_arc (cr, x, y, _philia_graph_view_node_radius (view, v, base) + 3.5, 0, 2 * G_PI);
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
        r = MAX (_philia_graph_view_node_radius (view, v, base) * 1.8, 6.0);
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
  cairo_t *measure = _philia_graph_view_measure_context ();
  double base = node_base_radius (width, height, philia_graph_get_n_nodes (view->graph));

  *overlay = (Overlay) { 0 };
  if (view->show_legend)
    {
      overlay->rows = _philia_graph_view_legend_rows (view);
      _philia_graph_view_legend_place (measure, view, style, overlay->rows, width, height, base,
                    &overlay->legend, &overlay->covered);
    }
  overlay->labels = _philia_graph_view_place_labels (measure, view, style, width, height, base,
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

static void
draw_view (cairo_t                 *cr,
           double                   width,
           double                   height,
           const PhiliaGraphView   *shown,
           const PhiliaRenderStyle *style,
           guint64                  max_edges)
{
  PhiliaRenderStyle fallback;
  PhiliaGraphView held;
  const PhiliaGraphView *view = &held;
  Overlay overlay;
  double base;
  guint n;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (shown != NULL && PHILIA_IS_GRAPH (shown->graph));

  /* The scratch, if another draw does not hold it; else this one allocates. */
  held = *shown;
  held.scratch = _philia_frame_scratch_lock (shown);

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
        draw_edges (cr, width, height, view, style, max_edges);
      draw_nodes (cr, width, height, view, base);
      draw_selection (cr, view, style, base);
      _philia_graph_view_draw_highlight (cr, view, style, base);
      _philia_graph_view_draw_labels (cr, view, style, overlay.labels);
    }
  if (overlay.rows != NULL)
    _philia_graph_view_draw_legend (cr, view, style, overlay.rows, &overlay.legend,
                                    overlay.covered);
  overlay_clear (&overlay);
  cairo_restore (cr);
  _philia_frame_scratch_unlock (held.scratch);
}

/* Every edge: what exports and figures draw. */
void
philia_graph_view_draw (cairo_t                 *cr,
                        double                   width,
                        double                   height,
                        const PhiliaGraphView   *view,
                        const PhiliaRenderStyle *style)
{
  draw_view (cr, width, height, view, style, 0);
}

/**
 * philia_graph_view_draw_sampled:
 * @max_edges: the most edges to draw; 0 draws them all
 *
 * philia_graph_view_draw() for a screen frame of a graph with far more
 * edges than the frame has pixels: at most @max_edges edges, a deterministic
 * sample spread over the whole graph (so the drawing covers what the full
 * one covers), and everything else (nodes, selection, labels, legend) as
 * philia_graph_view_draw() draws it. Never for exports.
 */
void
philia_graph_view_draw_sampled (cairo_t                 *cr,
                                double                   width,
                                double                   height,
                                const PhiliaGraphView   *view,
                                const PhiliaRenderStyle *style,
                                guint64                  max_edges)
{
  draw_view (cr, width, height, view, style, max_edges);
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
    r = MAX (r, _philia_graph_view_node_radius (view, v, base));
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
