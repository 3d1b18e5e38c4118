/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_RENDER_INSIDE) && !defined(PHILIA_RENDER_COMPILATION)
# error "Only <philia-render.h> can be included directly."
#endif

#include "philia-core.h"
#include "philia-render-types.h"

G_BEGIN_DECLS

/**
 * PhiliaLinkpredFigureKind:
 * @PHILIA_LINKPRED_FIGURE_HITS: Hits@K per heuristic, one bar each
 * @PHILIA_LINKPRED_FIGURE_OVERLAP: for each pair of heuristics, the Jaccard
 *   index |A ∩ B| / |A ∪ B| of their Hits@K sets (the positive test edges each
 *   scores strictly above its K-th highest negative)
 * @PHILIA_LINKPRED_FIGURE_FACTORS: what explains the test links
 *   (#PhiliaLinkFactors): test edges per set of factors whose best heuristic
 *   gets them right, split by whether the first GNN gets them right
 */
typedef enum
{
  PHILIA_LINKPRED_FIGURE_HITS,
  PHILIA_LINKPRED_FIGURE_OVERLAP,
  PHILIA_LINKPRED_FIGURE_FACTORS,
  PHILIA_N_LINKPRED_FIGURES,  /*< skip >*/
} PhiliaLinkpredFigureKind;

typedef struct _PhiliaLinkpredFigure PhiliaLinkpredFigure;

const char           *philia_linkpred_figure_kind_to_string   (PhiliaLinkpredFigureKind    kind);
gboolean              philia_linkpred_figure_kind_from_string (const char                 *name,
                                                               PhiliaLinkpredFigureKind   *kind);

/* Prepares the bars or the overlap matrix of @report at @k once, so drawing
 * never recomputes. The figure keeps no reference to @report. */
PhiliaLinkpredFigure *philia_linkpred_figure_new              (PhiliaLinkpredFigureKind    kind,
                                                               const PhiliaLinkpredReport *report,
                                                               guint                       k);
void                  philia_linkpred_figure_free             (PhiliaLinkpredFigure       *figure);
void                  philia_linkpred_figure_set_style        (PhiliaLinkpredFigure       *figure,
                                                               const PhiliaRenderStyle    *style);
/* The values drawn: n bars (hits) or n × n cells (overlap), in heuristic order;
 * factors: 8 regions (neighbours, paths, features only, the pairs, all,
 * none), or with a GNN its right then wrong counts per region. */
const double         *philia_linkpred_figure_get_values       (PhiliaLinkpredFigure       *figure,
                                                               guint                      *n_values);
/* A PhiliaDrawFunc: @user_data is the figure. */
void                  philia_linkpred_figure_draw             (cairo_t                    *cr,
                                                               double                      width,
                                                               double                      height,
                                                               gpointer                    user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaLinkpredFigure, philia_linkpred_figure_free)

G_END_DECLS
