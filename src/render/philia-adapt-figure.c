/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include "philia-render.h"

/* Palette entries of the series, the same in every adaptation chart. */
enum { BEFORE_COLOR = 0, AFTER_COLOR = 1, TRUE_COLOR = 2 };

const double *
philia_adapt_change_colors (void)
{
  /* Right and wrong as in the "correct on test" colouring; sky blue and a
   * neutral grey keep the other two apart from any class colour. */
  static const double colors[3 * PHILIA_ADAPT_CHANGE_N_CATEGORIES] = {
    0.0, 0.62, 0.45, 0.84, 0.37, 0.0, 0.34, 0.71, 0.91, 0.72, 0.72, 0.72,
  };

  return colors;
}

gint32 *
philia_adapt_change_categories (const double *change,
                                guint         n)
{
  gint32 *categories = g_new (gint32, MAX (n, 1));

  g_return_val_if_fail (change != NULL || n == 0, categories);
  for (guint v = 0; v < n; v++)
    categories[v] = isnan (change[v]) ? 3 : change[v] > 0 ? 0 : change[v] < 0 ? 1 : 2;
  return categories;
}

/* The charts paint their whole surface: each panel of a composite figure is
 * drawn clipped to its own rectangle, at (@x, @y). */
static void
begin_panel (cairo_t *cr,
             double   x,
             double   y,
             double   width,
             double   height)
{
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
}

static gboolean
has_number (const double *values,
            guint         n)
{
  for (guint i = 0; values != NULL && i < n; i++)
    if (!isnan (values[i]))
      return TRUE;
  return FALSE;
}

/* One curve over the epochs in the panel at @y of height @height. */
static void
draw_curve_panel (cairo_t                 *cr,
                  double                   y,
                  double                   width,
                  double                   height,
                  const char              *title,
                  const char              *y_label,
                  const char              *label,
                  guint                    color,
                  gboolean                 dashed,
                  guint                    n_epochs,
                  guint                    n_points,
                  const double            *values,
                  const PhiliaRenderStyle *style)
{
  PhiliaCurve curve = { 0 };
  PhiliaCurvesChart chart = { 0 };

  curve.label = label;
  curve.n_points = n_points;
  curve.y = values;
  curve.color = color;
  curve.dashed = dashed;
  chart.title = title;
  chart.x_label = _ ("Epoch");
  chart.y_label = y_label;
  chart.y_min = NAN;
  chart.y_max = NAN;
  chart.legend_bottom = TRUE;
  chart.n_epochs = MAX (n_epochs, 1);
  chart.n_curves = n_points > 0 ? 1 : 0;
  chart.curves = &curve;
  chart.baseline = NAN;
  begin_panel (cr, 0, y, width, height);
  philia_curves_chart_draw (cr, width, height, &chart, style);
  cairo_restore (cr);
}

void
philia_adapt_curves_draw (cairo_t                 *cr,
                          double                   width,
                          double                   height,
                          guint                    n_epochs,
                          guint                    n_points,
                          const double            *im_loss,
                          const double            *structure_loss,
                          const double            *accuracy,
                          const PhiliaRenderStyle *style)
{
  gboolean with_accuracy = has_number (accuracy, n_points);
  double h = height / (with_accuracy ? 3 : 2);

  g_return_if_fail (cr != NULL);

  /* One chart per objective: their scales differ by orders of magnitude,
   * and on a shared axis the smaller one would look flat. */
  draw_curve_panel (cr, 0, width, h, _ ("Information maximisation (lower is better)"),
                    _ ("Loss"), _ ("Mean entropy − entropy of the mean"), 0, FALSE, n_epochs,
                    n_points, im_loss, style);
  draw_curve_panel (cr, h, width, h, _ ("Structure consistency (lower is better)"), _ ("Loss"),
                    _ ("Random-walk pairs vs negatives"), 1, FALSE, n_epochs, n_points,
                    structure_loss, style);
  if (with_accuracy)
    draw_curve_panel (cr, 2 * h, width, h, _ ("Target accuracy (labels not used for adaptation)"),
                      _ ("Accuracy"), _ ("Target accuracy"), 2, TRUE, n_epochs, n_points,
                      accuracy, style);
}

void
philia_adapt_distribution_draw (cairo_t                     *cr,
                                double                       width,
                                double                       height,
                                const PhiliaAdaptComparison *comparison,
                                const char * const          *class_names,
                                const PhiliaRenderStyle     *style)
{
  static const guint colors[3] = { BEFORE_COLOR, AFTER_COLOR, TRUE_COLOR };
  const char *const series[3] = { _ ("Before"), _ ("After"), _ ("True (labeled nodes)") };
  guint c, n_series;
  gint64 n = 0;
  g_autofree double *values = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  PhiliaGroupedBarChart chart = { 0 };

  g_return_if_fail (cr != NULL && comparison != NULL);

  c = comparison->n_classes;
  n_series = comparison->n_labeled > 0 ? 3 : 2;
  values = g_new (double, (gsize)3 * MAX (c, 1));
  for (guint k = 0; k < c; k++)
    n += comparison->before_counts[k];
  for (guint k = 0; k < c; k++)
    {
      values[k] = n > 0 ? (double)comparison->before_counts[k] / n : NAN;
      values[c + k] = n > 0 ? (double)comparison->after_counts[k] / n : NAN;
      values[2 * c + k] = comparison->n_labeled > 0
                          ? (double)comparison->true_counts[k] / comparison->n_labeled : NAN;
      g_ptr_array_add (labels, class_names != NULL && class_names[k] != NULL
                               ? g_strdup (class_names[k]) : g_strdup_printf ("class %u", k));
    }
  chart.title = _ ("Predicted class distribution");
  chart.x_label = _ ("Class");
  chart.y_label = _ ("Share of nodes");
  chart.n_groups = c;
  chart.n_series = n_series;
  chart.values = values;
  chart.group_labels = (const char * const *)labels->pdata;
  chart.series_labels = series;
  chart.series_colors = colors;
  chart.y_max = 0;
  philia_grouped_bar_chart_draw (cr, width, height, &chart, style);
}

void
philia_adapt_homophily_draw (cairo_t                     *cr,
                             double                       width,
                             double                       height,
                             const PhiliaAdaptComparison *comparison,
                             const PhiliaRenderStyle     *style)
{
  enum { B = PHILIA_TRAIN_HOMOPHILY_BINS };
  static const guint colors[2] = { BEFORE_COLOR, AFTER_COLOR };
  const char *const series[2] = { _ ("Before"), _ ("After") };
  double values[2 * B];
  char labels[B][32], notes[B][48];
  const char *label_ptrs[B], *note_ptrs[B];
  PhiliaGroupedBarChart chart = { 0 };

  g_return_if_fail (cr != NULL && comparison != NULL);

  for (guint b = 0; b < B; b++)
    {
      values[b] = comparison->before_bin_accuracy[b];
      values[B + b] = comparison->after_bin_accuracy[b];
      g_snprintf (labels[b], sizeof labels[b], "%.1f–%.1f", (double)b / B, (b + 1.0) / B);
      g_snprintf (notes[b], sizeof notes[b], "n = %" G_GINT64_FORMAT, comparison->bin_count[b]);
      label_ptrs[b] = labels[b];
      note_ptrs[b] = notes[b];
    }
  chart.title = _ ("Accuracy by local homophily");
  chart.x_label = _ ("Local homophily of the labeled node");
  chart.y_label = _ ("Accuracy");
  chart.n_groups = B;
  chart.n_series = 2;
  chart.values = values;
  chart.group_labels = label_ptrs;
  chart.group_notes = note_ptrs;
  chart.series_labels = series;
  chart.series_colors = colors;
  chart.y_max = 1.0;
  chart.show_values = TRUE;
  philia_grouped_bar_chart_draw (cr, width, height, &chart, style);
}

void
philia_adapt_figure_draw (cairo_t                     *cr,
                          double                       width,
                          double                       height,
                          const PhiliaAdaptResult     *result,
                          const PhiliaAdaptComparison *comparison,
                          const char * const          *class_names,
                          const PhiliaRenderStyle     *style)
{
  double top = height * 0.55;

  g_return_if_fail (cr != NULL && result != NULL && comparison != NULL);

  begin_panel (cr, 0, 0, width, top);
  philia_adapt_curves_draw (cr, width, top, result->n_epochs, result->n_epochs,
                            result->im_loss, result->structure_loss, result->accuracy_curve,
                            style);
  cairo_restore (cr);
  begin_panel (cr, 0, top, width / 2, height - top);
  philia_adapt_distribution_draw (cr, width / 2, height - top, comparison, class_names, style);
  cairo_restore (cr);
  begin_panel (cr, width / 2, top, width / 2, height - top);
  philia_adapt_homophily_draw (cr, width / 2, height - top, comparison, style);
  cairo_restore (cr);
}
