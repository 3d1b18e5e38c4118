/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-core.h"

G_BEGIN_DECLS

/*
 * philia_homophily_compute() in parts, for a caller that counts the edge
 * ends in pieces (philia-cli under MPI: one piece per process) and sums the
 * pieces before the measures are derived. Every count is an integer, so the
 * sum of the pieces is the same whatever the pieces; the measures are then
 * derived by the one code philia_homophily_compute() uses, in node order,
 * so they keep their bits. Not part of the plugin API.
 */

/**
 * PhiliaHomophilyCounts:
 * @n_nodes: n
 * @n_classes: C
 * @degree: n values, labeled ends at each labeled node
 * @same: n values, those of them from a same-label neighbour
 * @compatibility: C × C, ends at a class-k node from a class-l neighbour
 */
typedef struct
{
  guint   n_nodes;
  guint   n_classes;
  gint64 *degree;
  gint64 *same;
  gint64 *compatibility;
} PhiliaHomophilyCounts;

/* Zeroed counts for @graph's nodes and classes; refuses more than
 * PHILIA_HOMOPHILY_MAX_CLASSES classes like philia_homophily_compute(). */
PhiliaHomophilyCounts *philia_homophily_counts_new  (PhiliaGraph            *graph,
                                                     GError                **error);
void                   philia_homophily_counts_free (PhiliaHomophilyCounts  *counts);

/* Adds the ends at the nodes [@first, @last) under @convention. */
gboolean               philia_homophily_counts_add_nodes (PhiliaHomophilyCounts *counts,
                                                          PhiliaGraph           *graph,
                                                          PhiliaConvention       convention,
                                                          guint                  first,
                                                          guint                  last,
                                                          GCancellable          *cancellable,
                                                          GError               **error);

/* Every measure but the feature similarities (NaN) from the summed @counts
 * of @graph's labels under @convention. */
PhiliaHomophily       *philia_homophily_from_counts (PhiliaGraph                 *graph,
                                                     const PhiliaHomophilyCounts *counts,
                                                     PhiliaConvention             convention);

/* The feature similarities: the L2 norm of every node's features (NULL
 * without features), the cosine of two nodes (0 when either is a zero
 * vector), and the random-pair baseline philia_homophily_compute() reports
 * (NaN below two nodes or without features; *@n_pairs the pairs drawn). */
double                *philia_feature_norms         (PhiliaGraph                 *graph);
double                 philia_feature_cosine        (PhiliaGraph                 *graph,
                                                     const double                *norms,
                                                     guint                        a,
                                                     guint                        b);
double                 philia_feature_similarity_random (PhiliaGraph             *graph,
                                                         const double            *norms,
                                                         guint64                  seed,
                                                         gint64                  *n_pairs);

/* The report of @graph from measures computed elsewhere (either may be
 * NULL; both are taken): the histogram and the plugins' graph measures
 * (which need the whole @graph) as philia_stats_report_new() adds them. */
PhiliaStatsReport *philia_stats_report_new_from_parts (PhiliaGraph                    *graph,
                                                       const PhiliaStatsReportOptions *options,
                                                       PhiliaHomophily                *homophily,
                                                       PhiliaHomophily                *stored,
                                                       GCancellable                   *cancellable,
                                                       GError                        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaHomophilyCounts, philia_homophily_counts_free)

G_END_DECLS
