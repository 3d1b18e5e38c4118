/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-graph.h"

G_BEGIN_DECLS

/**
 * PhiliaConvention:
 * @PHILIA_CONVENTION_DEFAULT: the simple undirected graph (HACKING.md §5)
 * @PHILIA_CONVENTION_KEEP_SELF_LOOPS: count self-loops as (same-label) edges
 * @PHILIA_CONVENTION_DIRECTED: use the rows as stored, one direction each,
 *   duplicates kept; a node's neighbours are the sources of rows ending at it
 *   (PyTorch Geometric's convention)
 *
 * How edges are counted. Papers disagree here; the flags reproduce them.
 */
typedef enum
{
  PHILIA_CONVENTION_DEFAULT = 0,
  PHILIA_CONVENTION_KEEP_SELF_LOOPS = 1 << 0,
  PHILIA_CONVENTION_DIRECTED = 1 << 1,
} PhiliaConvention;

/**
 * PhiliaHomophily:
 * @convention: how edges were counted
 * @n_classes: C
 * @n_labeled: labeled nodes
 * @n_ends: directed edge ends between labeled nodes (2m in the default convention)
 * @edge_homophily: same-label ends / ends
 * @node_homophily: mean local homophily over labeled nodes with a labeled neighbour
 * @class_homophily: LINKX class-insensitive homophily
 * @adjusted_homophily: edge homophily corrected for the degree-weighted class mix
 * @label_informativeness: I(y_u; y_v) / H(y_u) over edge ends
 * @class_degree: C values, D_k
 * @class_size: C values, labeled nodes per class
 * @class_h: C values, h_k (NaN where D_k = 0)
 * @class_mean_local: C values, mean local homophily of the class's nodes
 * @compatibility_counts: C × C, ends from a class-k node to a class-l neighbour
 * @compatibility: C × C, rows of @compatibility_counts divided by D_k (NaN rows if 0)
 * @local_homophily: n values (NaN for unlabeled nodes and nodes without labeled neighbours)
 * @feature_similarity_edges: mean cosine similarity of features over edges
 * @feature_similarity_random: the same over @n_random_pairs seeded random pairs
 * @n_random_pairs: pairs sampled for the baseline
 *
 * Every value undefined on the input is NaN.
 */
typedef struct
{
  PhiliaConvention convention;
  guint            n_classes;
  gint64           n_labeled;
  gint64           n_ends;
  double           edge_homophily;
  double           node_homophily;
  double           class_homophily;
  double           adjusted_homophily;
  double           label_informativeness;
  gint64          *class_degree;
  gint64          *class_size;
  double          *class_h;
  double          *class_mean_local;
  gint64          *compatibility_counts;
  double          *compatibility;
  guint            n_nodes;
  double          *local_homophily;
  double           feature_similarity_edges;
  double           feature_similarity_random;
  gint64           n_random_pairs;
} PhiliaHomophily;

/*
 * Computes every measure of HACKING.md §5 in one pass over the edge ends plus
 * O(C²) work. Complexity O(n + m + C²) time, O(n + C²) extra memory in the
 * default convention (the "as stored" ones build one more CSR of the rows).
 * @seed picks the random pairs of the feature-similarity baseline.
 * C is the largest class id + 1; above PHILIA_HOMOPHILY_MAX_CLASSES the dense
 * C × C tables are refused (%PHILIA_ERROR_UNSUPPORTED) before any is allocated.
 */
#define PHILIA_HOMOPHILY_MAX_CLASSES 4096

PhiliaHomophily *philia_homophily_compute (PhiliaGraph       *graph,
                                           PhiliaConvention   convention,
                                           guint64            seed,
                                           GCancellable      *cancellable,
                                           GError           **error);
void             philia_homophily_free    (PhiliaHomophily   *homophily);

/* Feature homophily alone: the mean cosine similarity of the features over
 * the edges (each undirected edge once) into *@edges and over the seeded
 * random pairs philia_homophily_compute() draws into *@random_pairs (either
 * may be NULL), as the Statistics panel reports them for the same @seed.
 * FALSE, with NaN, for a graph without features. O(m·F + pairs·F). */
gboolean         philia_feature_similarity (PhiliaGraph *graph,
                                            guint64      seed,
                                            double      *edges,
                                            double      *random_pairs,
                                            gint64      *n_random_pairs);

/* Only the per-node local homophily (NaN for unlabeled nodes and nodes
 * without labeled neighbours), in the default convention: O(n + m) and no
 * feature work, cheap enough for the main thread on any graph Philia draws. */
double          *philia_local_homophily   (PhiliaGraph       *graph);
/* What chance gives each class's local homophily: D_k / 2m (see the .c). */
double          *philia_local_homophily_chance (PhiliaGraph  *graph,
                                                guint        *n_classes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaHomophily, philia_homophily_free)

G_END_DECLS
