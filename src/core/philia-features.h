/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-graph.h"

G_BEGIN_DECLS

/**
 * PhiliaFeatureSet:
 * @name: short name ("original", "Â^2 X", a file's base name, …)
 * @origin: where it came from, for a reader (a path, "derived from …")
 * @n_rows: one row per node
 * @n_cols: columns (0: no features)
 * @data: @n_rows × @n_cols, row-major
 *
 * One feature matrix of a graph. A graph carries one (philia_graph_get_features());
 * these are the others a user can import or derive and then train or
 * measure on, through philia_graph_with_feature_set().
 */
typedef struct
{
  char   *name;
  char   *origin;
  guint   n_rows;
  guint   n_cols;
  float  *data;
} PhiliaFeatureSet;

/* Takes @data (n_rows × n_cols floats). */
PhiliaFeatureSet *philia_feature_set_new          (const char             *name,
                                                   const char             *origin,
                                                   guint                   n_rows,
                                                   guint                   n_cols,
                                                   float                  *data);
void              philia_feature_set_free         (PhiliaFeatureSet       *set);

/*
 * Reads a feature matrix for a graph of @n_nodes nodes: a .npy file with
 * one 2-D numeric array, a .npz holding exactly one 2-D member (other
 * members must not be 2-D), or a .csv file of comma-separated numbers, one
 * row per node (an optional header line). Refused with both numbers when its
 * row count is not @n_nodes, and when a value is not finite (a CSV error
 * names the line).
 */
PhiliaFeatureSet *philia_feature_set_load         (GFile                  *file,
                                                   guint                   n_nodes,
                                                   GError                **error);
/* The same for the 2-D array @member (NULL: the only one) of an .npz; a
 * name that is not one is refused listing those there are. */
PhiliaFeatureSet *philia_feature_set_load_member  (GFile                  *file,
                                                   const char             *member,
                                                   guint                   n_nodes,
                                                   GError                **error);
/* The names of the 2-D arrays in an .npz (empty for another file). */
char            **philia_feature_file_list_members (GFile                 *file,
                                                   GError                **error);

/* The graph's own features (NULL when it has none). */
PhiliaFeatureSet *philia_feature_set_original     (PhiliaGraph            *graph);
/* Â^k X with Â = D^{-1/2}(A+I)D^{-1/2} (GCN's), k ≥ 0 (SGC's features). */
PhiliaFeatureSet *philia_feature_set_propagated   (PhiliaGraph            *graph,
                                                   const PhiliaFeatureSet *x,
                                                   guint                   k);
/* One column per degree 0 … @max_degree, the last holding every higher degree. */
PhiliaFeatureSet *philia_feature_set_degree       (PhiliaGraph            *graph,
                                                   guint                   max_degree);
/* Uniform in [0, 1), @dim columns, from @seed: a control that carries no information. */
PhiliaFeatureSet *philia_feature_set_random       (PhiliaGraph            *graph,
                                                   guint                   dim,
                                                   guint64                 seed);

/*
 * A feature set named by @spec: "original" (the graph's own), "ahat:K"
 * (Â^K X of the original), "degree" or "degree:MAX" (one-hot degree; MAX
 * defaults to the highest degree, at most 32), "random:DIM" or
 * "random:DIM:SEED"; anything else is a file for philia_feature_set_load(),
 * or FILE:MEMBER, a 2-D array of an .npz.
 * A malformed spec is refused naming it.
 */
PhiliaFeatureSet *philia_feature_set_from_spec    (PhiliaGraph            *graph,
                                                   const char             *spec,
                                                   GError                **error);
/* Whether @spec names a derived set (else it is a file). */
gboolean          philia_feature_spec_is_derived  (const char             *spec);

/* A copy of @graph whose features are @set's (rows must match). */
PhiliaGraph      *philia_graph_with_feature_set   (PhiliaGraph            *graph,
                                                   const PhiliaFeatureSet *set);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaFeatureSet, philia_feature_set_free)

G_END_DECLS
