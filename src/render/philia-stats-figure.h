/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_RENDER_INSIDE) && !defined(PHILIA_RENDER_COMPILATION)
# error "Only <philia-render.h> can be included directly."
#endif

#include "philia-core.h"
#include "philia-render-types.h"

G_BEGIN_DECLS

typedef enum
{
  PHILIA_STATS_FIGURE_CLASS_SIZES,
  PHILIA_STATS_FIGURE_LOCAL_HOMOPHILY,
  PHILIA_STATS_FIGURE_COMPATIBILITY,
  PHILIA_STATS_FIGURE_DEGREE,
  PHILIA_N_STATS_FIGURES,  /*< skip >*/
} PhiliaStatsFigureKind;

/**
 * PhiliaStatsFigureOptions:
 * @bins: bins of the local homophily histogram (1..1000)
 * @by_class: stack the histogram by class
 * @log_log: degree distribution on log-log axes
 * @counts: the compatibility heatmap shows raw edge-end counts instead of shares
 */
typedef struct
{
  guint    bins;
  gboolean by_class;
  gboolean log_log;
  gboolean counts;
} PhiliaStatsFigureOptions;

typedef struct _PhiliaStatsFigure PhiliaStatsFigure;

const char        *philia_stats_figure_kind_to_string   (PhiliaStatsFigureKind           kind);
gboolean           philia_stats_figure_kind_from_string (const char                     *name,
                                                         PhiliaStatsFigureKind          *kind);
void               philia_stats_figure_options_init     (PhiliaStatsFigureOptions       *options);

/* Prepares everything the figure draws (counts, labels, scales) once, so
 * drawing never recomputes. @homophily is needed by the local-homophily and
 * compatibility kinds. */
PhiliaStatsFigure *philia_stats_figure_new              (PhiliaStatsFigureKind           kind,
                                                         PhiliaGraph                    *graph,
                                                         PhiliaHomophily                *homophily,
                                                         const PhiliaStatsFigureOptions *options);
void               philia_stats_figure_free             (PhiliaStatsFigure              *figure);
void               philia_stats_figure_set_style        (PhiliaStatsFigure              *figure,
                                                         const PhiliaRenderStyle        *style);
/* A PhiliaDrawFunc: @user_data is the figure. */
void               philia_stats_figure_draw             (cairo_t                        *cr,
                                                         double                          width,
                                                         double                          height,
                                                         gpointer                        user_data);
/* The histogram bin or class bar under (x, y), or -1 (other kinds: -1). */
int                philia_stats_figure_hit_bar          (PhiliaStatsFigure              *figure,
                                                         double                          width,
                                                         double                          height,
                                                         double                          x,
                                                         double                          y);
void               philia_stats_figure_set_highlight    (PhiliaStatsFigure              *figure,
                                                         int                             bar);
/* The nodes a histogram bin holds (local homophily in [b/B, (b+1)/B), the last
 * bin closed), ascending. */
GArray            *philia_stats_figure_bin_nodes        (PhiliaStatsFigure              *figure,
                                                         guint                           bin);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaStatsFigure, philia_stats_figure_free)

G_END_DECLS
