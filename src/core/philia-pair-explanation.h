/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-graph.h"
#include "philia-proximity.h"

G_BEGIN_DECLS

/*
 * PhiliaProximityNegatives: uniformly drawn non-edges of a graph (seeded)
 * scored once with every heuristic, the yardstick a pair's scores are ranked
 * against. Immutable and reference counted, so a panel can keep it per graph
 * and hand it to worker threads.
 */
typedef struct _PhiliaProximityNegatives PhiliaProximityNegatives;

/* Draws @n_pairs distinct non-edges (u < v) with @seed and scores them on
 * @graph (fp only when the graph has features). Fewer if the graph has fewer
 * non-edges. */
PhiliaProximityNegatives *philia_proximity_negatives_new         (PhiliaGraph                 *graph,
                                                                  const PhiliaProximityParams *params,
                                                                  gsize                        n_pairs,
                                                                  guint64                      seed,
                                                                  GCancellable                *cancellable,
                                                                  GError                     **error);
PhiliaProximityNegatives *philia_proximity_negatives_ref         (PhiliaProximityNegatives    *negatives);
void                      philia_proximity_negatives_unref       (PhiliaProximityNegatives    *negatives);
gsize                     philia_proximity_negatives_get_n_pairs (PhiliaProximityNegatives    *negatives);
/* 2 n_pairs node ids. */
const gint64             *philia_proximity_negatives_get_pairs   (PhiliaProximityNegatives    *negatives);
/* The raw scores of @heuristic (n_pairs), or NULL if it was not scored. */
const double             *philia_proximity_negatives_get_scores  (PhiliaProximityNegatives    *negatives,
                                                                  PhiliaProximityHeuristic     heuristic);
/* How many negatives score strictly higher than @score under @heuristic
 * (higher means closer: for sp a smaller distance, unreachable lowest), or −1
 * if @heuristic was not scored or @score is NaN. O(n_pairs). */
gint64                    philia_proximity_negatives_count_above (PhiliaProximityNegatives    *negatives,
                                                                  PhiliaProximityHeuristic     heuristic,
                                                                  double                       score);

/**
 * PhiliaPairExplanation:
 * @u, @v: the pair
 * @adjacent: (u, v) is already an edge
 * @mask: the heuristics scored (fp missing on a graph without features)
 * @scores: the raw score of each heuristic (NaN if not in @mask)
 * @above: negatives scoring strictly higher, per heuristic (−1: no negatives
 *   or not scored)
 * @negatives: (nullable): what @above counts against
 * @common: #PhiliaCommonNeighbor of N(u) ∩ N(v), by node id
 * @path: one shortest path u … v (guint ids), empty if unreachable
 * @katz_len: lengths counted (params' L, or 5 for exact Katz)
 * @katz_beta: β
 * @katz_counts: walks of length l between u and v, (A^l)_uv, l = 1..katz_len
 * @katz_sum: Σ β^l katz_counts[l−1]; equals the Katz score when L is finite
 *
 * Everything the "why this link" view shows for one pair.
 */
/**
 * PhiliaPairExtraScore:
 * @algorithm: a registered PHILIA_FAMILY_PROXIMITY algorithm that is not built in
 * @score: its score of the pair (NaN if it failed)
 * @above: how many of the negatives it scores strictly higher, or -1
 */
typedef struct
{
  const PhiliaAlgorithm *algorithm;
  double                 score;
  gint64                 above;
} PhiliaPairExtraScore;

typedef struct
{
  guint                     u, v;
  gboolean                  adjacent;
  guint                     mask;
  double                    scores[PHILIA_PROXIMITY_N_HEURISTICS];
  gint64                    above[PHILIA_PROXIMITY_N_HEURISTICS];
  PhiliaProximityNegatives *negatives;
  GArray                   *common;
  GArray                   *path;
  guint                     katz_len;
  double                    katz_beta;
  double                   *katz_counts;
  double                    katz_sum;
  GArray                   *extra;   /* PhiliaPairExtraScore: plugins' heuristics */
} PhiliaPairExplanation;

/* Explains (u, v) on @graph. With @negatives NULL and @n_negatives > 0, draws
 * and scores that many negatives with @seed first (kept in the result, so a
 * caller can pass them next time); with both NULL/0 no ranks. Cost: the
 * negatives once, then one source's worth of every heuristic plus a BFS and
 * katz_len sparse products. */
PhiliaPairExplanation *philia_pair_explanation_new        (PhiliaGraph                 *graph,
                                                           const PhiliaProximityParams *params,
                                                           PhiliaProximityNegatives    *negatives,
                                                           gsize                        n_negatives,
                                                           guint64                      seed,
                                                           guint                        u,
                                                           guint                        v,
                                                           GCancellable                *cancellable,
                                                           GError                     **error);
void                   philia_pair_explanation_new_async  (PhiliaGraph                 *graph,
                                                           const PhiliaProximityParams *params,
                                                           PhiliaProximityNegatives    *negatives,
                                                           gsize                        n_negatives,
                                                           guint64                      seed,
                                                           guint                        u,
                                                           guint                        v,
                                                           GCancellable                *cancellable,
                                                           GAsyncReadyCallback          callback,
                                                           gpointer                     user_data);
PhiliaPairExplanation *philia_pair_explanation_new_finish (GAsyncResult                *result,
                                                           GError                     **error);
void                   philia_pair_explanation_free       (PhiliaPairExplanation       *explanation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaProximityNegatives, philia_proximity_negatives_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaPairExplanation, philia_pair_explanation_free)

G_END_DECLS
