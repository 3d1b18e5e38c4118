/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_RENDER_INSIDE) && !defined(PHILIA_RENDER_COMPILATION)
# error "Only <philia-render.h> can be included directly."
#endif

#include "philia-render-types.h"

G_BEGIN_DECLS

/**
 * PhiliaBarChart:
 * @title: (nullable): drawn above the plot
 * @x_label: (nullable): axis title under the categories
 * @y_label: (nullable): axis title beside the values
 * @n_bars: number of bars
 * @values: @n_bars values (NaN bars are left empty)
 * @labels: (nullable): @n_bars category labels
 * @color_by_category: colour bar i with palette entry i (classes), else the accent
 * @show_values: print each value above its bar
 * @n_series: 0 or 1 for plain bars; more to stack that many series per bar, with
 *   @values holding @n_series rows of @n_bars (series-major) coloured by palette
 * @series_labels: (nullable): @n_series names for the legend
 * @highlight: (nullable): @n_bars flags; highlighted bars get an outline
 * @colors: (nullable): @n_bars colours of plain bars, over @color_by_category
 *
 * Category labels are drawn whole: level when they fit under their bars,
 * else slanted at 45°, never shortened.
 */
typedef struct
{
  const char         *title;
  const char         *x_label;
  const char         *y_label;
  guint               n_bars;
  const double       *values;
  const char * const *labels;
  gboolean            color_by_category;
  gboolean            show_values;
  guint               n_series;
  const char * const *series_labels;
  const gboolean     *highlight;
  const PhiliaRgba   *colors;
} PhiliaBarChart;

/* Draws @chart filling width × height user units of @cr. The same call serves
 * the widget's snapshot and figure export. Labels that do not fit are thinned. */
void philia_bar_chart_draw (cairo_t                 *cr,
                            double                   width,
                            double                   height,
                            const PhiliaBarChart    *chart,
                            const PhiliaRenderStyle *style);

/* The bar under (x, y) of a chart drawn at width × height, or -1. */
int  philia_bar_chart_hit  (const PhiliaBarChart    *chart,
                            const PhiliaRenderStyle *style,
                            double                   width,
                            double                   height,
                            double                   x,
                            double                   y);

G_END_DECLS
