/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "philia-render-private.h"

struct _PhiliaStatsFigure
{
  PhiliaStatsFigureKind  kind;
  PhiliaRenderStyle      style;
  char                  *font_family;

  /* Bar kinds */
  PhiliaBarChart         bars;
  double                *values;
  GPtrArray             *labels;        /* category labels, NULL-terminated */
  GPtrArray             *series;        /* class names for stacked bars */
  gboolean              *highlight;

  /* Heatmap */
  PhiliaHeatmap          heatmap;
  double                *cells;

  /* XY */
  PhiliaXyChart          xy;
  double                *xs;
  double                *ys;

  /* Set when there is nothing to plot: the figure says why */
  const char            *empty_title;
  const char            *empty_message;

  /* For bin selection */
  double                *local;         /* copy of the local homophily, n values */
  guint                  n_nodes;
  guint                  bins;
};

const char *
philia_stats_figure_kind_to_string (PhiliaStatsFigureKind kind)
{
  g_return_val_if_fail (kind < PHILIA_N_STATS_FIGURES, NULL);
  return philia_enum_to_nick (PHILIA_TYPE_STATS_FIGURE_KIND, kind);
}

gboolean
philia_stats_figure_kind_from_string (const char            *name,
                                      PhiliaStatsFigureKind *kind)
{
  int value;

  if (!philia_enum_from_nick (PHILIA_TYPE_STATS_FIGURE_KIND, name, &value))
    return FALSE;
  *kind = value;
  return TRUE;
}

void
philia_stats_figure_options_init (PhiliaStatsFigureOptions *options)
{
  *options = (PhiliaStatsFigureOptions) { .bins = 10, .log_log = TRUE };
}

static GPtrArray *
class_labels (PhiliaGraph *graph)
{
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);
  guint c = philia_graph_get_n_classes (graph);

  for (guint k = 0; k < c; k++)
    {
      const char *name = philia_graph_get_class_name (graph, k);

      g_ptr_array_add (labels, name ? g_strdup (name) : g_strdup_printf ("%u", k));
    }
  g_ptr_array_add (labels, NULL);
  return labels;
}

/* The report's binning, so the bars, the CLI's counts and a bar's nodes agree. */
static guint
bin_of (double value,
        guint  bins)
{
  return philia_stats_bin (value, bins);
}

static void
prepare_class_sizes (PhiliaStatsFigure *f,
                     PhiliaGraph       *graph)
{
  guint c = philia_graph_get_n_classes (graph);

  f->values = g_new0 (double, MAX (c, 1));
  for (guint k = 0; k < c; k++)
    f->values[k] = philia_graph_get_class_sizes (graph)[k];
  f->labels = class_labels (graph);
  f->bars = (PhiliaBarChart) {
    .title = _ ("Class sizes"), .x_label = _ ("class"), .y_label = _ ("nodes"),
    .n_bars = c, .values = f->values, .labels = (const char * const *)f->labels->pdata,
    .color_by_category = TRUE, .show_values = TRUE,
  };
}

static void
prepare_local_homophily (PhiliaStatsFigure              *f,
                         PhiliaGraph                    *graph,
                         PhiliaHomophily                *h,
                         const PhiliaStatsFigureOptions *o)
{
  guint bins = CLAMP (o->bins, 1, 1000);
  guint c = h->n_classes;
  guint n_series = o->by_class && c > 1 ? c : 1;
  const gint32 *y = philia_graph_get_labels (graph);

  f->bins = bins;
  f->n_nodes = h->n_nodes;
  f->local = g_memdup2 (h->local_homophily, sizeof (double) * MAX (h->n_nodes, 1));
  f->values = g_new0 (double, (gsize)n_series * bins);
  for (guint v = 0; v < h->n_nodes; v++)
    if (!isnan (h->local_homophily[v]))
      f->values[(gsize)(n_series > 1 ? y[v] : 0) * bins
                + bin_of (h->local_homophily[v], bins)] += 1;

  f->labels = g_ptr_array_new_with_free_func (g_free);
  for (guint b = 0; b < bins; b++)
    g_ptr_array_add (f->labels, g_strdup_printf ("%.*f", bins <= 10 ? 1 : 2, (double)b / bins));
  g_ptr_array_add (f->labels, NULL);
  if (n_series > 1)
    f->series = class_labels (graph);
  f->highlight = g_new0 (gboolean, bins);

  f->bars = (PhiliaBarChart) {
    .title = _ ("Local homophily"), .x_label = _ ("local homophily (bin start)"),
    .y_label = _ ("nodes"),
    .n_bars = bins, .values = f->values, .labels = (const char * const *)f->labels->pdata,
    .show_values = bins <= 20, .n_series = n_series,
    .series_labels = f->series ? (const char * const *)f->series->pdata : NULL,
    .highlight = f->highlight,
  };
}

static void
prepare_compatibility (PhiliaStatsFigure              *f,
                       PhiliaGraph                    *graph,
                       PhiliaHomophily                *h,
                       const PhiliaStatsFigureOptions *o)
{
  guint c = h->n_classes;
  double vmax = 0;

  f->cells = g_new (double, MAX ((gsize)c * c, 1));
  for (gsize i = 0; i < (gsize)c * c; i++)
    {
      f->cells[i] = o->counts ? (double)h->compatibility_counts[i] : h->compatibility[i];
      if (isfinite (f->cells[i]))
        vmax = MAX (vmax, f->cells[i]);
    }
  f->labels = class_labels (graph);
  f->heatmap = (PhiliaHeatmap) {
    .title = o->counts ? _ ("Class compatibility (edge ends)") : _ ("Class compatibility"),
    .row_title = _ ("node class"), .column_title = _ ("neighbour class"),
    .n_rows = c, .n_columns = c, .values = f->cells,
    .row_labels = (const char * const *)f->labels->pdata,
    .column_labels = (const char * const *)f->labels->pdata,
    .vmin = 0, .vmax = o->counts ? MAX (vmax, 1) : 1, .show_values = TRUE,
  };
}

static void
prepare_degree (PhiliaStatsFigure              *f,
                PhiliaGraph                    *graph,
                const PhiliaStatsFigureOptions *o)
{
  guint n = philia_graph_get_n_nodes (graph), max = 0, points = 0;
  g_autofree gint64 *count = NULL;

  for (guint v = 0; v < n; v++)
    max = MAX (max, philia_graph_get_degree (graph, v));
  count = g_new0 (gint64, (gsize)max + 1);
  for (guint v = 0; v < n; v++)
    count[philia_graph_get_degree (graph, v)]++;

  f->xs = g_new (double, (gsize)max + 1);
  f->ys = g_new (double, (gsize)max + 1);
  for (guint k = 0; k <= max; k++)
    if (count[k] > 0)
      {
        f->xs[points] = k;
        f->ys[points] = count[k];
        points++;
      }
  f->xy = (PhiliaXyChart) {
    .title = _ ("Degree distribution"), .x_label = _ ("degree"), .y_label = _ ("nodes"),
    .n_points = points, .x = f->xs, .y = f->ys, .log_x = o->log_log, .log_y = o->log_log,
    .connect = FALSE,
  };
}

PhiliaStatsFigure *
philia_stats_figure_new (PhiliaStatsFigureKind           kind,
                         PhiliaGraph                    *graph,
                         PhiliaHomophily                *homophily,
                         const PhiliaStatsFigureOptions *options)
{
  PhiliaStatsFigureOptions defaults;
  PhiliaStatsFigure *f;

  g_return_val_if_fail (kind < PHILIA_N_STATS_FIGURES, NULL);
  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (homophily != NULL || kind == PHILIA_STATS_FIGURE_CLASS_SIZES
                        || kind == PHILIA_STATS_FIGURE_DEGREE, NULL);

  if (options == NULL)
    {
      philia_stats_figure_options_init (&defaults);
      options = &defaults;
    }

  f = g_new0 (PhiliaStatsFigure, 1);
  f->kind = kind;
  philia_render_style_init_default (&f->style);

  /* The class and label figures of a graph without labels would be empty
   * axes; they say why instead, in the app and in exported files alike. */
  if (kind != PHILIA_STATS_FIGURE_DEGREE && philia_graph_get_n_labeled (graph) == 0)
    {
      f->empty_title = kind == PHILIA_STATS_FIGURE_CLASS_SIZES ? _ ("Class sizes")
                       : kind == PHILIA_STATS_FIGURE_LOCAL_HOMOPHILY ? _ ("Local homophily")
                       : _ ("Class compatibility");
      f->empty_message = _ ("No labels: open a node table or a file with labels.");
      return f;
    }

  switch (kind)
    {
    case PHILIA_STATS_FIGURE_CLASS_SIZES:
      prepare_class_sizes (f, graph);
      break;
    case PHILIA_STATS_FIGURE_LOCAL_HOMOPHILY:
      prepare_local_homophily (f, graph, homophily, options);
      break;
    case PHILIA_STATS_FIGURE_COMPATIBILITY:
      prepare_compatibility (f, graph, homophily, options);
      break;
    case PHILIA_STATS_FIGURE_DEGREE:
      prepare_degree (f, graph, options);
      break;
    case PHILIA_N_STATS_FIGURES:
    default:
      g_assert_not_reached ();
    }
  return f;
}

void
philia_stats_figure_free (PhiliaStatsFigure *f)
{
  if (f == NULL)
    return;
  g_free (f->font_family);
  g_free (f->values);
  g_clear_pointer (&f->labels, g_ptr_array_unref);
  g_clear_pointer (&f->series, g_ptr_array_unref);
  g_free (f->highlight);
  g_free (f->cells);
  g_free (f->xs);
  g_free (f->ys);
  g_free (f->local);
  g_free (f);
}

void
philia_stats_figure_set_style (PhiliaStatsFigure       *f,
                               const PhiliaRenderStyle *style)
{
  g_return_if_fail (f != NULL && style != NULL);

  g_free (f->font_family);
  f->style = *style;
  f->font_family = g_strdup (style->font_family);
  f->style.font_family = f->font_family;
}

void
philia_stats_figure_draw (cairo_t  *cr,
                          double    width,
                          double    height,
                          gpointer  user_data)
{
  PhiliaStatsFigure *f = user_data;

  g_return_if_fail (f != NULL);

  if (f->empty_message != NULL)
    {
      _philia_render_message (cr, &f->style, f->empty_title, f->empty_message, width, height);
      return;
    }

  switch (f->kind)
    {
    case PHILIA_STATS_FIGURE_CLASS_SIZES:
    case PHILIA_STATS_FIGURE_LOCAL_HOMOPHILY:
      philia_bar_chart_draw (cr, width, height, &f->bars, &f->style);
      break;
    case PHILIA_STATS_FIGURE_COMPATIBILITY:
      philia_heatmap_draw (cr, width, height, &f->heatmap, &f->style);
      break;
    case PHILIA_STATS_FIGURE_DEGREE:
      philia_xy_chart_draw (cr, width, height, &f->xy, &f->style);
      break;
    case PHILIA_N_STATS_FIGURES:
    default:
      g_assert_not_reached ();
    }
}

int
philia_stats_figure_hit_bar (PhiliaStatsFigure *f,
                             double             width,
                             double             height,
                             double             x,
                             double             y)
{
  g_return_val_if_fail (f != NULL, -1);

  if ((f->kind != PHILIA_STATS_FIGURE_CLASS_SIZES && f->kind != PHILIA_STATS_FIGURE_LOCAL_HOMOPHILY)
      || f->empty_message != NULL)
    return -1;
  return philia_bar_chart_hit (&f->bars, &f->style, width, height, x, y);
}

void
philia_stats_figure_set_highlight (PhiliaStatsFigure *f,
                                   int                bar)
{
  g_return_if_fail (f != NULL);

  if (f->highlight == NULL)
    return;
  for (guint b = 0; b < f->bins; b++)
    f->highlight[b] = (int)b == bar;
}

GArray *
philia_stats_figure_bin_nodes (PhiliaStatsFigure *f,
                               guint              bin)
{
  GArray *nodes = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_val_if_fail (f != NULL, nodes);

  if (f->local == NULL || bin >= f->bins)
    return nodes;
  for (guint v = 0; v < f->n_nodes; v++)
    if (!isnan (f->local[v]) && bin_of (f->local[v], f->bins) == bin)
      g_array_append_val (nodes, v);
  return nodes;
}
