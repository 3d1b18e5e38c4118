/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_RENDER_INSIDE) && !defined(PHILIA_RENDER_COMPILATION)
# error "Only <philia-render.h> can be included directly."
#endif

#include "philia-core.h"
#include "philia-render-types.h"

G_BEGIN_DECLS

/*
 * Figures of a source-free adaptation. The Adapt page and `philia-cli adapt
 * --figure` draw them with these calls, so an export matches the screen.
 */

/* The two objectives over the epochs reached so far (x: 1 … @n_epochs, the
 * planned count) and, when @accuracy has a number, the target accuracy in
 * a second chart below, titled as not used by the adaptation. */
void philia_adapt_curves_draw       (cairo_t                     *cr,
                                     double                       width,
                                     double                       height,
                                     guint                        n_epochs,
                                     guint                        n_points,
                                     const double                *im_loss,
                                     const double                *structure_loss,
                                     const double                *accuracy,
                                     const PhiliaRenderStyle     *style);

/* Share of the nodes predicted as each class before and after adaptation,
 * and the true share among labeled nodes (when there are any). @class_names
 * (nullable) has @comparison->n_classes entries. */
void philia_adapt_distribution_draw (cairo_t                     *cr,
                                     double                       width,
                                     double                       height,
                                     const PhiliaAdaptComparison *comparison,
                                     const char * const          *class_names,
                                     const PhiliaRenderStyle     *style);

/* Accuracy per local-homophily bin before and after, with the labeled
 * nodes per bin. */
void philia_adapt_homophily_draw    (cairo_t                     *cr,
                                     double                       width,
                                     double                       height,
                                     const PhiliaAdaptComparison *comparison,
                                     const PhiliaRenderStyle     *style);

/*
 * The nodes an adaptation changed (a run's PHILIA_ADAPT_CHANGE_VALUES) as
 * four categories, the same on the Adapt page's canvas and in `philia-cli
 * figure`: 0 changed to the right class, 1 changed from right to wrong,
 * 2 changed otherwise (no label, or from one wrong class to another),
 * 3 unchanged.
 */
#define PHILIA_ADAPT_CHANGE_N_CATEGORIES 4

/* 4 RGB triples (Okabe–Ito bluish green, vermillion, sky blue; grey). */
const double *philia_adapt_change_colors      (void);
/* @n categories of @change (NaN: unchanged). */
gint32       *philia_adapt_change_categories  (const double *change,
                                               guint         n);

/* The curves on top, both comparisons side by side below (the CLI's figure). */
void philia_adapt_figure_draw       (cairo_t                     *cr,
                                     double                       width,
                                     double                       height,
                                     const PhiliaAdaptResult     *result,
                                     const PhiliaAdaptComparison *comparison,
                                     const char * const          *class_names,
                                     const PhiliaRenderStyle     *style);

G_END_DECLS
