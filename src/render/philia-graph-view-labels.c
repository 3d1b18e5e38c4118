/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "philia-graph-view-private.h"

/* Height a colour-scale legend row needs beyond a plain row, in font sizes:
 * the bar sits 1.5 below the title and its end labels end near 3.1. */
#define SCALE_EXTRA 1.9

/* A context for measuring text the same way whatever the target: no hinted
 * metrics, which would round advances to the target's pixels. */
cairo_t *
_philia_graph_view_measure_context (void)
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

gboolean
_philia_graph_view_boxes_meet (const PhiliaBox *a,
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

/* The radius _philia_graph_view_draw_highlight() gives a node of the pair, halo included. */
double
_philia_graph_view_pair_radius (const PhiliaGraphView *view,
                                guint                  v,
                                double                 base)
{
  return MAX (_philia_graph_view_node_radius (view, v, base) * 1.8, 6.0) + 3;
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
GArray *
_philia_graph_view_place_labels (cairo_t                 *measure,
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
      double r = is_pair ? _philia_graph_view_pair_radius (view, v, base)
                         : _philia_graph_view_node_radius (view, v, base) + 1;
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
                          && (legend == NULL
                              || !_philia_graph_view_boxes_meet (&candidates[c], legend));

          /* A space apart, so that two numbers never read as one. */
          PhiliaBox padded = { candidates[c].x - fs * 0.3, candidates[c].y,
                               candidates[c].width + fs * 0.6, candidates[c].height };

          for (guint k = 0; free && k < placed->len; k++)
            {
              const PhiliaLabelPlace *other = &g_array_index (placed, PhiliaLabelPlace, k);

              free = !_philia_graph_view_boxes_meet (&padded, &other->box);
            }
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

void
_philia_graph_view_draw_labels (cairo_t                 *cr,
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

GArray *
_philia_graph_view_legend_rows (const PhiliaGraphView *view)
{
  guint c = philia_graph_get_n_classes (view->graph);
  guint shown = MIN (c, 20);
  gboolean unlabeled = philia_graph_get_n_labeled (view->graph) < philia_graph_get_n_nodes (view->graph);
  const char *edge_name = view->edge_value_name ? view->edge_value_name : _ ("edge value");
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (LegendRow));

  g_array_set_clear_func (rows, legend_row_clear);
  if (view->color_by == PHILIA_COLOR_BY_LABEL)
    {
      for (guint k = 0; k < shown; k++)
        {
          const char *name = philia_graph_get_class_name (view->graph, k);

          add_row (rows, ROW_CLASS, k, name ? g_strdup (name) : g_strdup_printf (_ ("class %u"), k));
        }
      if (c > shown)
        add_row (rows, ROW_MORE, 0, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "… %u more class",
                                                         "… %u more classes", c - shown),
                                            c - shown));
      if (unlabeled)
        add_row (rows, ROW_UNLABELED, 0, g_strdup (_ ("unlabeled")));
    }
  else if (view->color_by == PHILIA_COLOR_BY_CATEGORY)
    {
      guint nc = MIN (view->n_categories, 20);

      add_row (rows, ROW_TITLE, 0, g_strdup (view->value_name ? view->value_name : _ ("category")));
      for (guint k = 0; k < nc; k++)
        add_row (rows, ROW_CATEGORY, k,
                 view->category_names && view->category_names[k]
                 ? g_strdup (view->category_names[k]) : g_strdup_printf ("%u", k));
      if (view->n_categories > nc)
        add_row (rows, ROW_MORE, 0, g_strdup_printf (_ ("… %u more"), view->n_categories - nc));
    }
  else
    {
      add_row (rows, ROW_NODE_SCALE, 0,
               g_strdup (view->color_by == PHILIA_COLOR_BY_LOCAL_HOMOPHILY
                         ? _ ("local homophily")
                         : view->color_by == PHILIA_COLOR_BY_DEGREE
                         ? _ ("degree (log)")
                         : view->value_name ? view->value_name : _ ("value")));
      /* Where the pale middle is, and why there. */
      if (view->color_by == PHILIA_COLOR_BY_LOCAL_HOMOPHILY)
        add_row (rows, ROW_NOTE, 0, view->class_chance != NULL
                                    ? g_strdup (_ ("pale: chance for the node's class, D_k/2m"))
                                    : g_strdup (_ ("pale: 0.5")));
      if (view->color_by == PHILIA_COLOR_BY_LOCAL_HOMOPHILY && any_undefined (view))
        add_row (rows, ROW_UNLABELED, 0, g_strdup (_ ("unlabeled, or no labeled neighbour")));
    }
  if (view->edge_style == PHILIA_EDGES_HOMOPHILY)
    {
      /* Only the kinds a graph can have: none is same- or cross-class
       * without labels, and with every node labelled none is unlabeled. */
      if (philia_graph_get_n_labeled (view->graph) > 0)
        {
          add_row (rows, ROW_EDGE_SAME, 0, g_strdup (_ ("same-class edge")));
          add_row (rows, ROW_EDGE_CROSS, 0, g_strdup (_ ("cross-class edge")));
        }
      if (unlabeled)
        add_row (rows, ROW_EDGE_UNLABELED, 0, g_strdup (_ ("edge with an unlabeled end")));
    }
  else if (view->edge_style == PHILIA_EDGES_VALUE)
    add_row (rows, ROW_EDGE_SCALE, 0, g_strdup (edge_name));
  if (view->edge_style != PHILIA_EDGES_HIDDEN && view->edge_width_by_value
      && view->edge_values != NULL)
    add_row (rows, ROW_EDGE_WIDTH, 0, view->edge_style == PHILIA_EDGES_VALUE
                                      ? g_strdup (_ ("width: same"))
                                      : g_strdup_printf (_ ("width: %s"), edge_name));

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

/* How many nodes (as drawn, discs of their radius) meet each of the
 * @n_boxes boxes: one pass over the nodes for all of them (a pass is
 * 16 MB of positions at 10^6 nodes, and every frame placed the legend). */
/*
 * The legend's four corners (top left, top right, bottom left, bottom
 * right) share two rows and two columns: a node's box { x - r, y - r, 2r,
 * 2r } meets a corner when it meets the corner's row and its column, so
 * four comparisons for the rows and four for the columns test all four
 * corners (_philia_graph_view_boxes_meet(), written out: a call per node
 * and box was half of this loop at 10^6 nodes, and testing each corner on
 * its own most of the rest).
 */
typedef struct
{
  double left[2], right[2];     /* the left and the right column */
  double top[2], bottom[2];     /* the top and the bottom row */
} Corners;

/* Adds @sign to the count of each corner the node meets, if it lies in the drawing. */
static inline void
node_meets (double         x,
            double         y,
            double         r,
            double         width,
            double         height,
            const Corners *k,
            int            sign,
            guint          counts[4])
{
  double left = x - r, top = y - r, side = 2 * r;
  guint in = (x + r >= 0) & (y + r >= 0) & (x - r <= width) & (y - r <= height);
  guint col0 = in & (left < k->right[0]) & (k->left[0] < left + side);
  guint col1 = in & (left < k->right[1]) & (k->left[1] < left + side);
  guint row0 = (top < k->bottom[0]) & (k->top[0] < top + side);
  guint row1 = (top < k->bottom[1]) & (k->top[1] < top + side);

  counts[0] += sign * (int)(row0 & col0), counts[1] += sign * (int)(row0 & col1);
  counts[2] += sign * (int)(row1 & col0), counts[3] += sign * (int)(row1 & col1);
}

/* How many nodes (as drawn, discs of their radius) meet each of the four
 * corner boxes: one pass over the nodes for all of them (a pass is 16 MB
 * of positions at 10^6 nodes, and every frame placed the legend). */
static void
nodes_meeting (const PhiliaGraphView *view,
               double                 width,
               double                 height,
               double                 base,
               const PhiliaBox        boxes[4],
               guint                  counts[4])
{
  guint n = philia_graph_get_n_nodes (view->graph);
  const double *p = view->positions;
  double s = view->scale, ox = view->offset_x, oy = view->offset_y;
  /* In registers, not in memory: an addition to memory per node and
   * corner waited on the last one. */
  guint all[4] = { 0, 0, 0, 0 }, c0 = 0, c1 = 0, c2 = 0, c3 = 0;
  Corners k;

  for (int i = 0; i < 2; i++)
    {
      /* Corner i is in column i and row 0; corner 2i in column 0 and row i. */
      k.left[i] = boxes[i].x, k.right[i] = boxes[i].x + boxes[i].width;
      k.top[i] = boxes[2 * i].y, k.bottom[i] = boxes[2 * i].y + boxes[2 * i].height;
    }
  for (int c = 0; c < 4; c++)
    g_assert (boxes[c].x == k.left[c % 2] && boxes[c].width == boxes[0].width
              && boxes[c].y == k.top[c / 2] && boxes[c].height == boxes[0].height);
  if (p == NULL)
    n = 0;
  for (guint v = 0; v < n; v++)
    {
      /* One radius unless sized by degree (a predictable branch). */
      double r = view->size_by_degree ? _philia_graph_view_node_radius (view, v, base) : base;
      guint one[4] = { 0, 0, 0, 0 };

      node_meets (p[2 * v] * s + ox, p[2 * v + 1] * s + oy, r, width, height, &k, 1, one);
      c0 += one[0], c1 += one[1], c2 += one[2], c3 += one[3];
    }
  all[0] = c0, all[1] = c1, all[2] = c2, all[3] = c3;
  /* The pair's two nodes are drawn larger: counted at their radius instead. */
  for (guint i = 0; view->pair != NULL && i < 2; i++)
    {
      guint v = view->pair[i];
      double x, y;

      if (v >= n || (i == 1 && view->pair[0] == v))
        continue;
      x = p[2 * v] * s + ox, y = p[2 * v + 1] * s + oy;
      node_meets (x, y, view->size_by_degree ? _philia_graph_view_node_radius (view, v, base)
                                             : base, width, height, &k, -1, all);
      node_meets (x, y, _philia_graph_view_pair_radius (view, v, base), width, height, &k, 1,
                  all);
    }
  memcpy (counts, all, sizeof all);
}

/*
 * Where the legend goes: the first corner (top left, top right, bottom
 * left, bottom right) where it covers no node, else the corner where it
 * covers fewest; @covered says how many it covers there.
 */
void
_philia_graph_view_legend_place (cairo_t                 *measure,
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
  guint best = G_MAXUINT, counts[4];
  PhiliaBox candidates[4];

  legend_size (measure, style, rows, &w, &h);
  bw = w + fs * 0.6;
  bh = h;
  for (int corner = 0; corner < 4; corner++)
    candidates[corner] = (PhiliaBox) {
      corner % 2 == 0 ? inset : width - bw - inset,
      corner < 2 ? inset : height - bh - inset,
      bw, bh,
    };
  nodes_meeting (view, width, height, base, candidates, counts);
  for (int corner = 0; corner < 4 && best > 0; corner++)
    if (counts[corner] < best)
      {
        best = counts[corner];
        *box = candidates[corner];
      }
  *covered = best;
}

void
_philia_graph_view_draw_legend (cairo_t                 *cr,
                                const PhiliaGraphView   *view,
                                const PhiliaRenderStyle *style,
                                const GArray            *rows,
                                const PhiliaBox         *box,
                                guint                    covered)
{
  double fs = style->font_size, x = box->x + fs * 0.5, y = box->y + fs * 0.4;
  double w = box->width - fs * 0.6;
  /* Opaque only where it hides nothing; over nodes, the nodes show through. */
  PhiliaRgba bg = _philia_render_paper_color (style);

  if (style->background.a <= 0)
    bg.a = 0.85;
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
          swatch = _philia_graph_view_edge_kind_colors[row->kind == ROW_EDGE_SAME ? EDGE_SAME
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
            swatch = _philia_graph_view_unlabeled_grey;
          else if (row->kind == ROW_CATEGORY)
            _philia_graph_view_category_color (view, (gint32) row->index, &swatch);
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
