/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_RENDER_INSIDE) && !defined(PHILIA_RENDER_COMPILATION)
# error "Only <philia-render.h> can be included directly."
#endif

#include "philia-core.h"
#include "philia-render-types.h"

G_BEGIN_DECLS

/*
 * PhiliaFeatureSetSimilarity: a feature set's homophily, the mean cosine
 * similarity of its rows over the graph's edges and over random pairs
 * (philia_feature_similarity()); NaN where it has none.
 */
typedef struct
{
  const char *name;
  double      edges;
  double      random_pairs;
} PhiliaFeatureSetSimilarity;

/*
 * Feature sets side by side: on top, each set's feature homophily (mean
 * cosine similarity over edges against random pairs, from @similarities;
 * left out when @n_similarities is 0); below, the test score (accuracy, or ROC-AUC on a
 * two-class dataset) of each model on each feature set, one group of bars
 * per set and one bar per model, the mean over the runs of that pair; under
 * each set the number of runs. @features[i] names the set run @runs[i]
 * trained on. Sets keep the order of @similarities, then of their first run;
 * models the order of their first run. The Dataset
 * panel and `philia-cli figure --kind feature-sets` both draw it with this
 * call.
 */
void philia_feature_sets_chart_draw (cairo_t                         *cr,
                                     double                           width,
                                     double                           height,
                                     const PhiliaTrainResult * const *runs,
                                     const char * const              *features,
                                     guint                            n_runs,
                                     const PhiliaFeatureSetSimilarity *similarities,
                                     guint                            n_similarities,
                                     const PhiliaRenderStyle         *style);

G_END_DECLS
