/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include "philia-render-private.h"

struct _PhiliaLinkpredFigure
{
  PhiliaLinkpredFigureKind  kind;
  PhiliaRenderStyle         style;
  char                     *font_family;
  char                     *title;
  char                     *axis;
  GPtrArray                *labels;   /* heuristic names, NULL-terminated */
  double                   *values;
  guint                     n_values;
  PhiliaRgba               *colors;   /* one per heuristic */
  PhiliaBarChart            bars;
  PhiliaHeatmap             heatmap;
  GPtrArray                *series;   /* factors: the GNN's two series, NULL-terminated */
};

/* The factors figure's bars: single factors first, then pairs, all, none. */
static const guint region_order[PHILIA_LINK_FACTOR_REGIONS] = { 1, 2, 4, 3, 5, 6, 7, 0 };

static const char *
region_title (guint region)
{
  switch (region)
    {
    case 1: return _("neighbours only");
    case 2: return _("paths only");
    case 4: return _("features only");
    case 3: return _("neighbours + paths");
    case 5: return _("neighbours + features");
    case 6: return _("paths + features");
    case 7: return _("all three");
    default: return _("none");
    }
}

/* Test edges per region, and with a GNN how many of them it gets right and
 * wrong (two stacked series). */
static void
factors_figure (PhiliaLinkpredFigure       *f,
                const PhiliaLinkpredReport *report,
                guint                       k)
{
  g_autoptr(PhiliaLinkFactors) factors = philia_link_factors_new (report->results,
                                                                  report->n_results, k);
  guint n = PHILIA_LINK_FACTOR_REGIONS, n_series = factors->n_models > 0 ? 2 : 1;

  g_ptr_array_set_size (f->labels, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (f->labels, g_strdup (region_title (region_order[i])));
  g_ptr_array_add (f->labels, NULL);
  f->n_values = n_series * n;
  f->values = g_new0 (double, n_series * n);
  for (guint i = 0; i < n; i++)
    {
      guint r = region_order[i];

      if (n_series == 1)
        f->values[i] = factors->regions[r];
      else
        {
          f->values[i] = factors->model_regions[r];
          f->values[n + i] = factors->regions[r] - factors->model_regions[r];
        }
    }
  f->title = g_strdup_printf (_("What explains the %" PRId64 " test links at Hits@%u"),
                              factors->n_test, k);
  /* Which heuristic stood for each factor is in the panel's text and the JSON. */
  f->axis = g_strdup (_("factors whose best heuristic gets the link right"));
  if (n_series == 2)
    {
      const PhiliaLinkpredResult *model = report->results[factors->models[0]];
      g_autofree char *title = philia_linkpred_predictor_title (model->name);

      f->series = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (f->series, g_strdup_printf (_("%s right"), title));
      g_ptr_array_add (f->series, g_strdup_printf (_("%s wrong"), title));
      g_ptr_array_add (f->series, NULL);
    }
  f->bars = (PhiliaBarChart) {
    .title = f->title, .y_label = _("test links"), .x_label = f->axis,
    .n_bars = n, .values = f->values, .labels = (const char * const *)f->labels->pdata,
    .show_values = n_series == 1, .n_series = n_series,
    .series_labels = f->series ? (const char * const *)f->series->pdata : NULL,
  };
}

const char *
philia_linkpred_figure_kind_to_string (PhiliaLinkpredFigureKind kind)
{
  g_return_val_if_fail (kind < PHILIA_N_LINKPRED_FIGURES, NULL);
  return philia_enum_to_nick (PHILIA_TYPE_LINKPRED_FIGURE_KIND, kind);
}

gboolean
philia_linkpred_figure_kind_from_string (const char               *name,
                                         PhiliaLinkpredFigureKind *kind)
{
  int value;

  if (!philia_enum_from_nick (PHILIA_TYPE_LINKPRED_FIGURE_KIND, name, &value))
    return FALSE;
  *kind = value;
  return TRUE;
}

/*
 * Heuristics have colours of their own, never the class palette's (a bar
 * must not read as a class): muted tones by family, the neighbourhood
 * counts in slate, the path and walk scores in clay, features in green (the x axis says so).
 */
static void
heuristic_color (PhiliaProximityHeuristic  h,
                 PhiliaRgba               *color)
{
  static const guint32 family[] = { 0x5B6B7F, 0xA86F4C, 0x6F8F5A };
  static const double shade[] = { 1.0, 0.82, 1.16, 0.92, 1.08 };

  if (h >= PHILIA_PROXIMITY_N_HEURISTICS)
    {
      /* Plugins and learned models: plum, apart from the three families. */
      *color = (PhiliaRgba) { 0x7A / 255.0, 0x5C / 255.0, 0x8E / 255.0, 1.0 };
      return;
    }
  guint f = h <= PHILIA_PROXIMITY_PA ? 0 : h == PHILIA_PROXIMITY_FP ? 2 : 1;
  guint32 rgb = family[f];
  /* Members of a family told apart by lightness. */
  double k = shade[(f == 0 ? h : h - PHILIA_PROXIMITY_KATZ) % G_N_ELEMENTS (shade)];

  color->r = MIN (1.0, ((rgb >> 16) & 0xff) / 255.0 * k);
  color->g = MIN (1.0, ((rgb >> 8) & 0xff) / 255.0 * k);
  color->b = MIN (1.0, (rgb & 0xff) / 255.0 * k);
  color->a = 1.0;
}

PhiliaLinkpredFigure *
philia_linkpred_figure_new (PhiliaLinkpredFigureKind    kind,
                            const PhiliaLinkpredReport *report,
                            guint                       k)
{
  PhiliaLinkpredFigure *f;
  guint n;

  g_return_val_if_fail (kind < PHILIA_N_LINKPRED_FIGURES, NULL);
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (k > 0, NULL);

  n = report->n_results;
  f = g_new0 (PhiliaLinkpredFigure, 1);
  f->kind = kind;
  philia_render_style_init_default (&f->style);
  f->labels = g_ptr_array_new_with_free_func (g_free);
  /* Full names, as "Why this link" shows them, a GNN's with its decoder. */
  for (guint i = 0; i < n; i++)
    {
      /* A plugin's or a GNN's result has no built-in heuristic: its name is its id. */
      const char *id = report->results[i]->heuristic < PHILIA_PROXIMITY_N_HEURISTICS
        ? philia_proximity_heuristic_to_string (report->results[i]->heuristic)
        : report->results[i]->name;

      g_ptr_array_add (f->labels, philia_linkpred_predictor_title (id));
    }
  g_ptr_array_add (f->labels, NULL);
  f->colors = g_new (PhiliaRgba, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    heuristic_color (report->results[i]->heuristic, &f->colors[i]);

  if (kind == PHILIA_LINKPRED_FIGURE_FACTORS)
    factors_figure (f, report, k);
  else if (kind == PHILIA_LINKPRED_FIGURE_HITS)
    {
      f->n_values = n;
      f->values = g_new0 (double, MAX (n, 1));
      for (guint i = 0; i < n; i++)
        f->values[i] = philia_linkpred_result_hits (report->results[i], k);
      f->title = g_strdup_printf (_ ("Hits@%u on %" PRId64 " test edges"), k,
                                  report->split->n_test);
      f->axis = g_strdup_printf ("Hits@%u", k);
      f->bars = (PhiliaBarChart) {
        .title = f->title, .y_label = f->axis,
        .x_label = n == 0 || report->results[n - 1]->heuristic < PHILIA_PROXIMITY_N_HEURISTICS
          ? _ ("heuristic (slate: neighbourhood, clay: paths and walks, green: features)")
          : _ ("heuristic (slate: neighbourhood, clay: paths and walks, green: features, "
              "plum: plugins and GNNs)"),
        .n_bars = n, .values = f->values, .labels = (const char * const *)f->labels->pdata,
        .colors = f->colors, .show_values = TRUE,
      };
    }
  else
    {
      f->n_values = n * n;
      f->values = philia_linkpred_report_overlap (report, k);
      /* The definition is part of the figure: a reader must know what 0.4 means. */
      f->title = g_strdup_printf (_ ("Hits@%u overlap |A∩B| / |A∪B|"), k);
      f->axis = g_strdup_printf (_ ("heuristic B  (A, B: test edges above the K-th best negative, "
                                   "K = %u)"), k);
      f->heatmap = (PhiliaHeatmap) {
        .title = f->title, .row_title = _ ("heuristic A"), .column_title = f->axis,
        .n_rows = n, .n_columns = n, .values = f->values,
        .row_labels = (const char * const *)f->labels->pdata,
        .column_labels = (const char * const *)f->labels->pdata,
        .vmin = 0, .vmax = 1, .show_values = TRUE,
      };
    }
  return f;
}

void
philia_linkpred_figure_free (PhiliaLinkpredFigure *f)
{
  if (f == NULL)
    return;
  g_free (f->font_family);
  g_free (f->title);
  g_free (f->axis);
  g_clear_pointer (&f->labels, g_ptr_array_unref);
  g_clear_pointer (&f->series, g_ptr_array_unref);
  g_free (f->values);
  g_free (f->colors);
  g_free (f);
}

void
philia_linkpred_figure_set_style (PhiliaLinkpredFigure    *f,
                                  const PhiliaRenderStyle *style)
{
  g_return_if_fail (f != NULL && style != NULL);

  g_free (f->font_family);
  f->style = *style;
  f->font_family = g_strdup (style->font_family);
  f->style.font_family = f->font_family;
}

const double *
philia_linkpred_figure_get_values (PhiliaLinkpredFigure *f,
                                   guint                *n_values)
{
  g_return_val_if_fail (f != NULL, NULL);

  if (n_values != NULL)
    *n_values = f->n_values;
  return f->values;
}

void
philia_linkpred_figure_draw (cairo_t  *cr,
                             double    width,
                             double    height,
                             gpointer  user_data)
{
  PhiliaLinkpredFigure *f = user_data;

  g_return_if_fail (f != NULL);

  if (f->kind != PHILIA_LINKPRED_FIGURE_OVERLAP)
    philia_bar_chart_draw (cr, width, height, &f->bars, &f->style);
  else
    philia_heatmap_draw (cr, width, height, &f->heatmap, &f->style);
}
