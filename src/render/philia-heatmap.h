/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_RENDER_INSIDE) && !defined(PHILIA_RENDER_COMPILATION)
# error "Only <philia-render.h> can be included directly."
#endif

#include "philia-render-types.h"

G_BEGIN_DECLS

/**
 * PhiliaHeatmap:
 * @title: (nullable): drawn above
 * @row_title: (nullable): axis title for the rows (left)
 * @column_title: (nullable): axis title for the columns (bottom)
 * @n_rows: rows
 * @n_columns: columns
 * @values: @n_rows × @n_columns, row-major; NaN cells are hatched as "undefined"
 * @row_labels: (nullable): @n_rows labels
 * @column_labels: (nullable): @n_columns labels
 * @vmin: value at the bottom of the colour scale
 * @vmax: value at the top of the colour scale
 * @show_values: write each value in its cell (when the cell is large enough)
 *
 * A matrix drawn with the viridis scale (perceptually uniform, readable in
 * grey and by colour-blind readers), with a colour bar.
 */
typedef struct
{
  const char         *title;
  const char         *row_title;
  const char         *column_title;
  guint               n_rows;
  guint               n_columns;
  const double       *values;
  const char * const *row_labels;
  const char * const *column_labels;
  double              vmin;
  double              vmax;
  gboolean            show_values;
} PhiliaHeatmap;

void philia_colormap_viridis (double      t,
                              PhiliaRgba *color);

void philia_heatmap_draw     (cairo_t                 *cr,
                              double                   width,
                              double                   height,
                              const PhiliaHeatmap     *heatmap,
                              const PhiliaRenderStyle *style);

/* Which cell is at (x, y) of a heatmap drawn at width × height; FALSE if none. */
gboolean philia_heatmap_hit  (const PhiliaHeatmap     *heatmap,
                              const PhiliaRenderStyle *style,
                              double                   width,
                              double                   height,
                              double                   x,
                              double                   y,
                              guint                   *row,
                              guint                   *column);

G_END_DECLS
