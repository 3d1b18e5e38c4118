/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_RENDER_INSIDE) && !defined(PHILIA_RENDER_COMPILATION)
# error "Only <philia-render.h> can be included directly."
#endif

#include "philia-core.h"
#include "philia-render-types.h"

G_BEGIN_DECLS

/**
 * PhiliaCurve:
 * @label: (nullable): legend entry; %NULL keeps it out of the legend
 * @n_points: points; x is the 1-based epoch
 * @y: @n_points values (NaN and, on a log axis, non-positive ones are gaps)
 * @color: palette index
 * @dashed: dashed line; by Philia's convention train curves are dashed and
 *   validation curves solid, in every chart
 * @mark: 1-based epoch to mark with a dot and a vertical rule (0: none)
 * @spread: (nullable): @n_points half-widths: a translucent band y ± spread
 *   (a mean over runs ± their standard deviation); NaN entries leave gaps
 */
typedef struct
{
  const char   *label;
  guint         n_points;
  const double *y;
  guint         color;
  gboolean      dashed;
  guint         mark;
  const double *spread;
} PhiliaCurve;

/**
 * PhiliaCurvesChart:
 * @n_epochs: x range 1 … @n_epochs (0: the longest curve)
 * @y_min: lower end of a linear y axis (NaN: fitted)
 * @y_max: upper end (NaN: fitted)
 * @legend_bottom: prefer the bottom-right corner to the top-right for the legend
 *   (either way it goes to a corner of the plot the curves leave free, if any)
 * @baseline: a level to draw as a dotted horizontal rule in the foreground
 *   colour, such as the majority-class accuracy (NaN: none)
 * @baseline_label: (nullable): its legend entry
 *
 * Training curves: several lines over epochs, a legend, best epochs marked.
 * Zero-initialise and set @baseline to NaN when there is none.
 */
typedef struct
{
  const char        *title;
  const char        *x_label;
  const char        *y_label;
  gboolean           log_y;
  double             y_min;
  double             y_max;
  gboolean           legend_bottom;
  guint              n_epochs;
  guint              n_curves;
  const PhiliaCurve *curves;
  double             baseline;
  const char        *baseline_label;
} PhiliaCurvesChart;

void philia_curves_chart_draw (cairo_t                 *cr,
                               double                   width,
                               double                   height,
                               const PhiliaCurvesChart *chart,
                               const PhiliaRenderStyle *style);

/**
 * PhiliaGroupedBarChart:
 * @n_groups: groups along x (e.g. local-homophily bins)
 * @n_series: bars per group (e.g. runs), coloured by palette index
 * @values: @n_series rows of @n_groups (series-major); NaN bars are left out
 * @group_labels: @n_groups labels under the groups
 * @group_notes: (nullable): @n_groups second lines (e.g. "n = 65")
 * @series_labels: @n_series legend names
 * @series_colors: (nullable): palette index per series (default 0, 1, …)
 * @y_max: top of the y axis (≤ 0: fitted)
 * @show_values: print each value above its bar
 * @min_left, @min_right: (optional) the least left and right margins, so two
 *   charts stacked one above the other put their groups at the same x
 */
typedef struct
{
  const char         *title;
  const char         *x_label;
  const char         *y_label;
  guint               n_groups;
  guint               n_series;
  const double       *values;
  const char * const *group_labels;
  const char * const *group_notes;
  const char * const *series_labels;
  const guint        *series_colors;
  double              y_max;
  gboolean            show_values;
  double              min_left;
  double              min_right;
} PhiliaGroupedBarChart;

/* The left and right margins @chart would take at @width (before its
 * @min_left and @min_right). */
void philia_grouped_bar_chart_get_margins (cairo_t                     *cr,
                                           double                       width,
                                           const PhiliaGroupedBarChart *chart,
                                           const PhiliaRenderStyle     *style,
                                           double                      *left,
                                           double                      *right);

void philia_grouped_bar_chart_draw (cairo_t                     *cr,
                                    double                       width,
                                    double                       height,
                                    const PhiliaGroupedBarChart *chart,
                                    const PhiliaRenderStyle     *style);

/*
 * The structural-disparity figure: test accuracy per local-homophily bin for
 * each run side by side, with the test nodes per bin. @names label the runs
 * (%NULL: the model ids). The GUI and `philia-cli figure --kind
 * accuracy-by-homophily` both draw it with this call.
 */
void philia_accuracy_by_homophily_draw (cairo_t                         *cr,
                                        double                           width,
                                        double                           height,
                                        const PhiliaTrainResult * const *runs,
                                        const char * const              *names,
                                        const guint                     *colors,
                                        guint                            n_runs,
                                        const PhiliaRenderStyle         *style);

/*
 * Small multiples of one node's 1-hop neighbourhood, one per attention layer
 * and head (rows: layers, columns: heads), edge widths and grey shades by the
 * attention the node puts on each neighbour (raw, or over uniform with
 * @relative), neighbours named; the node's self-loop attention is printed
 * in each cell. Hubs show their @max_neighbours most attended neighbours.
 */
typedef struct _PhiliaAttentionGrid PhiliaAttentionGrid;

PhiliaAttentionGrid *philia_attention_grid_new  (PhiliaGraph             *graph,
                                                 const PhiliaTrainResult *result,
                                                 guint                    node,
                                                 guint                    max_neighbours,
                                                 gboolean                 relative);
void                 philia_attention_grid_free (PhiliaAttentionGrid     *grid);
const char          *philia_attention_grid_get_title (PhiliaAttentionGrid     *grid);
void                 philia_attention_grid_get_range (PhiliaAttentionGrid     *grid,
                                                      double                  *vmin,
                                                      double                  *vmax);
void                 philia_attention_grid_set_style (PhiliaAttentionGrid     *grid,
                                                      const PhiliaRenderStyle *style);
/* A PhiliaDrawFunc for philia_figure_export(). */
void                 philia_attention_grid_draw (cairo_t                 *cr,
                                                 double                   width,
                                                 double                   height,
                                                 gpointer                 grid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaAttentionGrid, philia_attention_grid_free)

G_END_DECLS
