/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-graph.h"
#include "philia-progress.h"
#include "philia-proximity.h"

G_BEGIN_DECLS

/* ---- OGB metrics (HACKING.md §6), on plain score lists. ---- */

/* Share of @pos scoring strictly above the K-th highest of @neg; 1.0 if
 * there are fewer than K negatives; NaN without positives. O((P + N) log N). */
double philia_linkpred_hits_at_k (const double *pos,
                                  gsize         n_pos,
                                  const double *neg,
                                  gsize         n_neg,
                                  guint         k);

/* Mean over positives of 1 / rank, rank = (optimistic + pessimistic) / 2 + 1
 * against that positive's own @n_neg_each negatives (row i of @neg, row-major
 * n_pos × n_neg_each); NaN without positives. */
double philia_linkpred_mrr       (const double *pos,
                                  gsize         n_pos,
                                  const double *neg,
                                  gsize         n_neg_each);

/* The OGB rank of @score among @n_neg negatives (1 = above them all). */
double philia_linkpred_rank      (double        score,
                                  const double *neg,
                                  gsize         n_neg);

/* ROC-AUC: P(pos > neg) + ½ P(pos = neg) over all pairs; NaN if either list
 * is empty. O((P + N) log (P + N)). */
double philia_linkpred_auc       (const double *pos,
                                  gsize         n_pos,
                                  const double *neg,
                                  gsize         n_neg);

/* ---- Which test edges a heuristic gets right, and how heuristics agree. ---- */

/* Sets @hit[i] to whether @pos[i] scores strictly above the K-th highest of
 * @neg (the Hits@K rule; all TRUE with fewer than K negatives) and returns
 * how many do. O((P + N) log N). */
gsize  philia_linkpred_hit_set   (const double *pos,
                                  gsize         n_pos,
                                  const double *neg,
                                  gsize         n_neg,
                                  guint         k,
                                  gboolean     *hit);

/* The overlap of @n_sets hit sets over the same @n_pos positives (@hits is
 * n_sets × n_pos, row-major): @out[a][b] = |A ∩ B| / |A ∪ B| (the Jaccard
 * index of the two sets), NaN when both are empty. Symmetric; the diagonal
 * is 1 for a non-empty set. O(n_sets² n_pos). */
void   philia_linkpred_overlap   (const gboolean *hits,
                                  guint           n_sets,
                                  gsize           n_pos,
                                  double         *out);

/**
 * PhiliaLinkSplit:
 * @full: the graph split (a reference)
 * @train: @full without the valid and test edges (same nodes, features, labels)
 * @n_train: edges of @train
 * @valid, @test: the held-out edges, 2 ids each (u < v)
 * @valid_neg, @test_neg: as many uniformly drawn non-edges of @full (u < v, no
 *   duplicates, none in the other list), the shared negatives of Hits@K and AUC
 * @n_mrr_neg: negatives per test edge for MRR
 * @test_mrr_neg: n_test × n_mrr_neg targets w: the pairs (u, w) with u the
 *   edge's first node, w ≠ u not adjacent to u in @full, distinct per edge
 *   (fewer than n_mrr_neg only if u has fewer non-neighbours: −1 pads)
 * @seed: the seed
 *
 * A seeded random edge split for link prediction.
 */
typedef struct
{
  PhiliaGraph *full;
  PhiliaGraph *train;
  gint64       n_train;
  gint64      *valid;
  gint64       n_valid;
  gint64      *test;
  gint64       n_test;
  gint64      *valid_neg;
  gint64      *test_neg;
  guint        n_mrr_neg;
  gint64      *test_mrr_neg;
  guint64      seed;
} PhiliaLinkSplit;

/* @count distinct uniformly drawn non-edges (u < v, 2 ids each) of @graph
 * from @seed; fails if the graph has fewer. */
gint64          *philia_linkpred_sample_non_edges (PhiliaGraph *graph,
                                                   gsize        count,
                                                   guint64      seed,
                                                   GError     **error);

/* Shuffles the m undirected edges with @seed; the first round(m·@test_share)
 * go to test, the next round(m·@valid_share) to valid, the rest train (0.10
 * and 0.05 are the defaults). O(m + n) expected plus the training graph. */
PhiliaLinkSplit *philia_link_split_new  (PhiliaGraph      *graph,
                                         double            valid_share,
                                         double            test_share,
                                         guint             n_mrr_neg,
                                         guint64           seed,
                                         GError          **error);
void             philia_link_split_free (PhiliaLinkSplit  *split);

/**
 * PhiliaLinkpredResult:
 * @heuristic: what was scored
 * @hits: Hits@10, @20, @50, @100 (philia_linkpred_hits_ks)
 * @mrr: MRR of the test edges against their own negatives
 * @auc: ROC-AUC of test edges against the shared test negatives
 * @test_pos: n_test scores of the test edges (on the training graph)
 * @test_neg: n_test scores of the shared negatives
 *
 * Scores are oriented so that higher means "more likely a link": for sp a
 * distance d becomes −d and "unreachable" −∞.
 */
typedef struct
{
  PhiliaProximityHeuristic heuristic;
  double                   hits[4];
  double                   mrr;
  double                   auc;
  gint64                   n_test;
  double                  *test_pos;
  double                  *test_neg;
  char                    *name;      /* the heuristic's id: "cn", …, or a plugin's */
} PhiliaLinkpredResult;

extern const guint philia_linkpred_hits_ks[4];

/* The pairs every predictor scores (test edges, shared negatives, MRR
 * negatives; 2 ids each) and the result of their scores: what a GNN shares
 * with the heuristics' evaluation. */
gint64               *philia_link_split_eval_pairs            (const PhiliaLinkSplit *split,
                                                               gint64                *n_pairs);
PhiliaLinkpredResult *philia_linkpred_result_new_from_scores  (const PhiliaLinkSplit *split,
                                                               const char            *name,
                                                               const double          *scores);

/* Scores the test edges, the shared negatives and the MRR negatives with
 * @heuristic on the training graph; refuses fp on a graph without features. */
PhiliaLinkpredResult *philia_linkpred_evaluate    (PhiliaLinkSplit             *split,
                                                   const PhiliaProximityParams *params,
                                                   PhiliaProximityHeuristic     heuristic,
                                                   GCancellable                *cancellable,
                                                   GError                     **error);
PhiliaLinkpredResult *philia_linkpred_evaluate_algorithm (PhiliaLinkSplit             *split,
                                                          const PhiliaProximityParams *params,
                                                          const PhiliaAlgorithm       *algorithm,
                                                          GCancellable                *cancellable,
                                                          GError                     **error);
void                  philia_linkpred_result_free (PhiliaLinkpredResult        *result);
PhiliaLinkpredResult *philia_linkpred_result_copy (const PhiliaLinkpredResult  *result);

/* What a table or chart calls a result's predictor, @id a result's name: a
 * heuristic's full name ("Common neighbours") or a link model's with its
 * decoder ("GCN (dot product)"); the id itself when nothing is registered
 * under it. The tooltip gives the abbreviation and what it scores. */
char                 *philia_linkpred_predictor_title   (const char *id);
char                 *philia_linkpred_predictor_tooltip (const char *id);

/**
 * PhiliaLinkpredReport:
 * @split: the seeded split every heuristic was scored on
 * @mask: the heuristics evaluated (fp is left out on a graph without features)
 * @n_results: bits in @mask
 * @results: one result per heuristic, in #PhiliaProximityHeuristic order
 *
 * Every heuristic of @mask evaluated on one split, for the table, the Hits@K
 * chart and the overlap heatmap.
 */
typedef struct
{
  PhiliaLinkSplit       *split;
  guint                  mask;
  guint                  n_results;
  PhiliaLinkpredResult **results;
} PhiliaLinkpredReport;

/* Splits @graph (85/5/10, @seed, @n_mrr_neg MRR negatives per test edge) and
 * evaluates every heuristic of @mask; PHILIA_PROXIMITY_FP is dropped from the
 * mask when the graph has no features. @progress (nullable) gets one step per
 * heuristic. The sync variant is for the CLI and tests. */
PhiliaLinkpredReport *philia_linkpred_report_new        (PhiliaGraph                 *graph,
                                                         const PhiliaProximityParams *params,
                                                         guint                        mask,
                                                         guint64                      seed,
                                                         guint                        n_mrr_neg,
                                                         PhiliaProgress              *progress,
                                                         GCancellable                *cancellable,
                                                         GError                     **error);
void                  philia_linkpred_report_new_async  (PhiliaGraph                 *graph,
                                                         const PhiliaProximityParams *params,
                                                         guint                        mask,
                                                         guint64                      seed,
                                                         guint                        n_mrr_neg,
                                                         PhiliaProgress              *progress,
                                                         GCancellable                *cancellable,
                                                         GAsyncReadyCallback          callback,
                                                         gpointer                     user_data);
PhiliaLinkpredReport *philia_linkpred_report_new_finish (GAsyncResult                *result,
                                                         GError                     **error);
void                  philia_linkpred_report_free       (PhiliaLinkpredReport        *report);

/* Hits@k of one result from its stored scores (any K, not only 10/20/50/100). */
double                philia_linkpred_result_hits       (const PhiliaLinkpredResult  *result,
                                                         guint                        k);

/* The n_results × n_results overlap (philia_linkpred_overlap) of the results'
 * Hits@k sets over the test edges. Free with g_free(). */
double               *philia_linkpred_report_overlap    (const PhiliaLinkpredReport  *report,
                                                         guint                        k);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaLinkSplit, philia_link_split_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaLinkpredResult, philia_linkpred_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaLinkpredReport, philia_linkpred_report_free)

G_END_DECLS
