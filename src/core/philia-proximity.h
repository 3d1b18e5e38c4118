/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-graph.h"
#include "philia-progress.h"
#include "philia-registry.h"

G_BEGIN_DECLS

/**
 * PhiliaProximityHeuristic:
 * @PHILIA_PROXIMITY_CN: common neighbours |N(u) ∩ N(v)|
 * @PHILIA_PROXIMITY_JACCARD: cn / |N(u) ∪ N(v)| (0 if the union is empty)
 * @PHILIA_PROXIMITY_AA: Adamic–Adar Σ_{w ∈ N(u)∩N(v)} 1 / ln d(w)
 * @PHILIA_PROXIMITY_RA: resource allocation Σ_{w ∈ N(u)∩N(v)} 1 / d(w)
 * @PHILIA_PROXIMITY_PA: preferential attachment d(u) · d(v)
 * @PHILIA_PROXIMITY_KATZ: Σ_{l=1..L} β^l (A^l)_{uv}; with L = 0 ("exact") the
 *   whole series, x_v − [u = v] where (I − βA) x = e_u (needs β < 1/λ_max)
 * @PHILIA_PROXIMITY_PPR: personalized PageRank of v with restart at u
 * @PHILIA_PROXIMITY_SP: hop distance (−1 if unreachable, 0 if u = v)
 * @PHILIA_PROXIMITY_FP: cosine similarity of the features (0 if either is
 *   zero, NaN if the graph has no features)
 *
 * The heuristics of HACKING.md §6, in the column order of every output. A score
 * of (u, u) follows the formula literally: cn(u, u) = d(u), and aa(u, u) is
 * +∞ when a neighbour of u has degree 1.
 */
typedef enum
{
  PHILIA_PROXIMITY_CN,
  PHILIA_PROXIMITY_JACCARD,
  PHILIA_PROXIMITY_AA,
  PHILIA_PROXIMITY_RA,
  PHILIA_PROXIMITY_PA,
  PHILIA_PROXIMITY_KATZ,
  PHILIA_PROXIMITY_PPR,
  PHILIA_PROXIMITY_SP,
  PHILIA_PROXIMITY_FP,
  PHILIA_PROXIMITY_N_HEURISTICS,  /*< skip >*/
} PhiliaProximityHeuristic;

#define PHILIA_PROXIMITY_MASK(h) (1u << (h))
#define PHILIA_PROXIMITY_ALL     ((1u << PHILIA_PROXIMITY_N_HEURISTICS) - 1)

/**
 * PhiliaProximityPprMethod:
 * @PHILIA_PROXIMITY_PPR_AUTO: exact below PHILIA_PROXIMITY_PPR_AUTO_EDGES
 *   edges, bippr from there on
 * @PHILIA_PROXIMITY_PPR_EXACT: every score within 1e-10 of the exact value
 *   (a Chebyshev solve over the source's component)
 * @PHILIA_PROXIMITY_PPR_BIPPR: bidirectional estimation (forward push from
 *   u, seeded random walks from v): with probability at least 1 − p_f per
 *   pair, |error| ≤ ε max (score, δ)
 *
 * How PPR scores are computed (HACKING.md §6, "Approximate PPR").
 */
typedef enum
{
  PHILIA_PROXIMITY_PPR_AUTO,
  PHILIA_PROXIMITY_PPR_EXACT,
  PHILIA_PROXIMITY_PPR_BIPPR,
} PhiliaProximityPprMethod;

/* The auto method estimates PPR on graphs with at least this many edges. */
#define PHILIA_PROXIMITY_PPR_AUTO_EDGES 10000000

/**
 * PhiliaProximityParams:
 * @katz_beta: β (default 0.005)
 * @katz_len: L (default 3); 0 means the exact series
 * @ppr_alpha: restart probability α in (0, 1] (default 0.15)
 * @n_threads: worker threads (0: one per processor)
 * @ppr_method: exact, bippr or auto (default)
 * @ppr_epsilon: bippr's relative error ε > 0 (default 0.25)
 * @ppr_delta: bippr's score floor δ, below which the error is absolute
 *   (at most εδ); 0 (default) means 1/n
 * @ppr_failure: bippr's failure probability p_f per pair, in (0, 1)
 *   (default 0.01)
 * @ppr_seed: seed of bippr's walks (default 0); a pair's walks depend on
 *   the seed and the pair only
 */
typedef struct
{
  double katz_beta;
  guint  katz_len;
  double ppr_alpha;
  guint  n_threads;
  PhiliaProximityPprMethod ppr_method;
  double ppr_epsilon;
  double ppr_delta;
  double ppr_failure;
  guint64 ppr_seed;
} PhiliaProximityParams;

void        philia_proximity_params_init_default (PhiliaProximityParams *params);

/* The method @params gives PPR on @graph: EXACT or BIPPR, never AUTO. */
PhiliaProximityPprMethod philia_proximity_ppr_method_resolve (PhiliaGraph                 *graph,
                                                              const PhiliaProximityParams *params);
/* bippr's δ on @graph (1/n unless @params sets it). */
double      philia_proximity_ppr_delta           (PhiliaGraph                 *graph,
                                                  const PhiliaProximityParams *params);
/* One line naming PPR's method and error bound on @graph, untranslated
 * (for output files), e.g. "exact, |error| <= 1e-10". */
char       *philia_proximity_ppr_describe        (PhiliaGraph                 *graph,
                                                  const PhiliaProximityParams *params);

const char *philia_proximity_heuristic_to_string (PhiliaProximityHeuristic  heuristic);
gboolean    philia_proximity_heuristic_from_string (const char             *name,
                                                    PhiliaProximityHeuristic *heuristic);
/* "cn,aa,katz" → a mask; names an unknown heuristic in @error (PHILIA_ERROR_OPTION). */
gboolean    philia_proximity_parse_mask          (const char               *list,
                                                  guint                    *mask,
                                                  GError                  **error);
guint       philia_proximity_mask_count          (guint                     mask);
/* Joins a table scored apart from one of its columns: @out (n_pairs rows of
 * philia_proximity_mask_count (@mask) scores, @heuristic in @mask) takes
 * @heuristic's column from @column (one score a pair) and the others, in
 * order, from @rest (rows one score narrower). PPR is scored apart so that
 * its turning of pairs stays unseen by the rest (philia-proximity-ppr.c). */
void        philia_proximity_join_column         (guint                     mask,
                                                  PhiliaProximityHeuristic  heuristic,
                                                  const double             *rest,
                                                  const double             *column,
                                                  gsize                     n_pairs,
                                                  double                   *out);

/**
 * philia_proximity_score_pairs:
 * @pairs: (array length=n_pairs): 2 n_pairs node ids (u0, v0, u1, v1, …)
 * @heuristics_mask: PHILIA_PROXIMITY_MASK() bits
 * @out: n_pairs × (bits in @heuristics_mask) scores, row-major, columns in
 *   #PhiliaProximityHeuristic order
 *
 * Scores every pair. Pairs are grouped by their source u, so the per-source
 * work (walk counts, Katz and PPR solves, BFS) is done once per distinct u,
 * and sources are spread over @params->n_threads threads (igraph is not
 * used). Cost per distinct source: O(Σ_{w∈N(u)} d(w)) for truncated Katz
 * (L = 3; a source with at most four targets meets each halfway instead, in
 * small hash maps, with the same result), one conjugate-gradient solve over u's component for exact Katz
 * (O(m) per iteration, about 50 iterations), a BFS for sp; plus O(d(v))
 * (O(F) for fp) per pair. PPR solves from the end of each pair that covers
 * more pairs, by about 42 Chebyshev steps of O(m) each, every score within
 * 1e-10 of the exact one.
 *
 * Returns: %FALSE with @error for an id out of range, a bad parameter, exact
 *   Katz with β ≥ 1/λ_max, or cancellation.
 */
gboolean    philia_proximity_score_pairs         (PhiliaGraph                 *graph,
                                                  const PhiliaProximityParams *params,
                                                  const gint64                *pairs,
                                                  gsize                        n_pairs,
                                                  guint                        heuristics_mask,
                                                  double                      *out,
                                                  GCancellable                *cancellable,
                                                  GError                     **error);

/* One pair, one heuristic; NaN with @error on failure. */
double      philia_proximity_score               (PhiliaGraph                 *graph,
                                                  const PhiliaProximityParams *params,
                                                  PhiliaProximityHeuristic     heuristic,
                                                  guint                        u,
                                                  guint                        v,
                                                  GError                     **error);

/* Bounds on the largest adjacency eigenvalue by power iteration on A + I
 * (Rayleigh quotient below, Collatz–Wielandt above). O(m) per iteration. */
void        philia_proximity_lambda_max          (PhiliaGraph                 *graph,
                                                  double                      *lower,
                                                  double                      *upper);

/* ---- "Why this link": the parts a score is made of. ---- */

/**
 * PhiliaCommonNeighbor:
 * @node: w ∈ N(u) ∩ N(v)
 * @degree: d(w)
 * @aa: 1 / ln d(w), its Adamic–Adar contribution
 * @ra: 1 / d(w), its resource-allocation contribution
 */
typedef struct
{
  guint  node;
  guint  degree;
  double aa;
  double ra;
} PhiliaCommonNeighbor;

/* Sorted by node id; O(d(u) + d(v)). */
GArray     *philia_proximity_common_neighbors    (PhiliaGraph  *graph,
                                                  guint         u,
                                                  guint         v);

/* @counts receives (A^l)_{uv} for l = 1..@max_len (walks of length l);
 * returns Σ β^l counts[l−1]. O(max_len · m) at worst. */
double      philia_proximity_katz_paths          (PhiliaGraph  *graph,
                                                  guint         u,
                                                  guint         v,
                                                  guint         max_len,
                                                  double        beta,
                                                  double       *counts);

/* One shortest path u … v as node ids (u first), empty if unreachable. */
GArray     *philia_proximity_shortest_path       (PhiliaGraph  *graph,
                                                  guint         u,
                                                  guint         v);

/**
 * PhiliaProximitySuggestion:
 * @node: a non-neighbour v ≠ u
 * @score: its score with u
 */
typedef struct
{
  guint  node;
  double score;
} PhiliaProximitySuggestion;

/* The @k best non-neighbours v ≠ u of @u under @heuristic (highest score
 * first; for sp the nearest first, unreachable nodes never), ties by node id. */
GArray     *philia_proximity_suggest             (PhiliaGraph                 *graph,
                                                  const PhiliaProximityParams *params,
                                                  PhiliaProximityHeuristic     heuristic,
                                                  guint                        u,
                                                  guint                        k,
                                                  GCancellable                *cancellable,
                                                  GError                     **error);
/* philia_proximity_suggest() in a thread (@params copied, NULL: the
 * defaults); @progress (nullable) is 0 at the start and 1 when ranked. */
void        philia_proximity_suggest_async       (PhiliaGraph                 *graph,
                                                  const PhiliaProximityParams *params,
                                                  PhiliaProximityHeuristic     heuristic,
                                                  guint                        u,
                                                  guint                        k,
                                                  PhiliaProgress              *progress,
                                                  GCancellable                *cancellable,
                                                  GAsyncReadyCallback          callback,
                                                  gpointer                     user_data);
GArray     *philia_proximity_suggest_finish      (GAsyncResult                *result,
                                                  GError                     **error);

/**
 * PhiliaProximityVTable:
 * @score_pairs: fills @out with one score per pair (2 n_pairs ids in @pairs).
 *   Runs on a worker thread; checks @cancellable.
 *
 * The vtable of a PHILIA_FAMILY_PROXIMITY algorithm.
 */
typedef struct
{
  gboolean (*score_pairs) (PhiliaGraph                 *graph,
                           const PhiliaProximityParams *params,
                           const gint64                *pairs,
                           gsize                        n_pairs,
                           double                      *out,
                           gpointer                     vtable_data,
                           GCancellable                *cancellable,
                           GError                     **error);
} PhiliaProximityVTable;

/* Runs a registered proximity algorithm on @n_pairs pairs; one score each. */
gboolean    philia_proximity_compute             (const PhiliaAlgorithm       *algorithm,
                                                  PhiliaGraph                 *graph,
                                                  const PhiliaProximityParams *params,
                                                  const gint64                *pairs,
                                                  gsize                        n_pairs,
                                                  double                      *out,
                                                  GCancellable                *cancellable,
                                                  GError                     **error);

G_END_DECLS
