/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include "philia-linkpred.h"

G_BEGIN_DECLS

/*
 * What explains the test links (Mao et al., "Revisiting Link Prediction: A
 * Data Perspective", ICLR 2024): three data factors, each stood for by its
 * best heuristic of an evaluation at Hits@K — local structural proximity
 * (shared neighbours: cn, jaccard, aa, ra), global structural proximity
 * (paths: katz, ppr, sp) and feature proximity (fp). A test edge is
 * "explained" by a factor when that heuristic gets it right (scores it
 * strictly above the K-th highest negative, the Hits@K rule); the edges fall
 * into 8 regions by the set of factors that explain them, and each GNN link
 * predictor of the evaluation is counted region by region.
 */

typedef enum
{
  PHILIA_LINK_FACTOR_LOCAL,
  PHILIA_LINK_FACTOR_GLOBAL,
  PHILIA_LINK_FACTOR_FEATURE,
  PHILIA_N_LINK_FACTORS,
} PhiliaLinkFactor;

/* Regions are bit sets of factors: bit f set when factor f explains the edge. */
#define PHILIA_LINK_FACTOR_REGIONS (1u << PHILIA_N_LINK_FACTORS)

/**
 * PhiliaLinkFactors:
 * @k: the K of Hits@K
 * @n_test: test edges
 * @best: per factor, the index in the report's results of its best heuristic
 *   (highest Hits@K, the first on a tie), −1 when none was evaluated
 * @hits: its Hits@K (NaN without one)
 * @regions: test edges per region (bit f: factor f explains them); sums to @n_test
 * @n_shared: test edges with a common neighbour in the training graph (cn > 0),
 *   −1 when cn was not evaluated
 * @n_models: GNN link predictors among the results
 * @models: their indices in the results
 * @model_hits: their Hits@K
 * @model_regions: n_models × 8: of each region's edges, how many the model gets right
 */
typedef struct
{
  guint   k;
  gint64  n_test;
  int     best[PHILIA_N_LINK_FACTORS];
  double  hits[PHILIA_N_LINK_FACTORS];
  gint64  regions[PHILIA_LINK_FACTOR_REGIONS];
  gint64  n_shared;
  guint   n_models;
  guint  *models;
  double *model_hits;
  gint64 *model_regions;
} PhiliaLinkFactors;

/* Which factor a built-in heuristic stands for (its id: "cn", …); FALSE for
 * one that stands for none (pa) or an unknown id. */
gboolean           philia_link_factor_of_heuristic (const char        *id,
                                                    PhiliaLinkFactor  *factor);
const char        *philia_link_factor_to_string    (PhiliaLinkFactor   factor);
/* Whether a result's name is a GNN link predictor's ("gcn", "sage-mlp", …). */
gboolean           philia_link_factors_is_model    (const char        *name);

/* The factors of the @n_results results (all scored on one split's test
 * edges and negatives, e.g. a report's then its GNNs'). O(R (P + N) log N). */
PhiliaLinkFactors *philia_link_factors_new         (PhiliaLinkpredResult * const *results,
                                                    guint                         n_results,
                                                    guint                         k);
void               philia_link_factors_free        (PhiliaLinkFactors  *factors);
/* A sentence or two for people: how many test links share neighbours, which
 * share only one factor explains, and what the first GNN gets of those. */
char              *philia_link_factors_summary     (const PhiliaLinkFactors *factors,
                                                    PhiliaLinkpredResult * const *results);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaLinkFactors, philia_link_factors_free)

G_END_DECLS
