/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_RENDER_INSIDE) && !defined(PHILIA_RENDER_COMPILATION)
# error "Only <philia-render.h> can be included directly."
#endif

#include "philia-render-types.h"

G_BEGIN_DECLS

/**
 * PhiliaXyChart:
 * @title: (nullable): drawn above
 * @x_label: (nullable): axis title
 * @y_label: (nullable): axis title
 * @n_points: points
 * @x: @n_points x values
 * @y: @n_points y values (non-positive values are skipped on a log axis)
 * @log_x: logarithmic x axis
 * @log_y: logarithmic y axis
 * @connect: join the points with a line (else markers only)
 *
 * A scatter or line chart, e.g. a degree distribution on log-log axes.
 */
typedef struct
{
  const char   *title;
  const char   *x_label;
  const char   *y_label;
  guint         n_points;
  const double *x;
  const double *y;
  gboolean      log_x;
  gboolean      log_y;
  gboolean      connect;
} PhiliaXyChart;

void philia_xy_chart_draw (cairo_t                 *cr,
                           double                   width,
                           double                   height,
                           const PhiliaXyChart     *chart,
                           const PhiliaRenderStyle *style);

G_END_DECLS
