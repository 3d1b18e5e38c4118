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
} PhiliaBarChart;

/* Draws @chart filling width × height user units of @cr. The same call serves
 * the widget's snapshot and figure export. Labels that do not fit are thinned. */
void philia_bar_chart_draw (cairo_t                 *cr,
                            double                   width,
                            double                   height,
                            const PhiliaBarChart    *chart,
                            const PhiliaRenderStyle *style);

G_END_DECLS
