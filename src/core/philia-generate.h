/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-graph.h"
#include "philia-progress.h"

G_BEGIN_DECLS

/**
 * PhiliaGeneratorVTable:
 * @generate: builds a graph from @options, "KEY=VALUE" strings as the user
 *   typed them (may be empty, never %NULL); the same @seed gives the same
 *   graph. Runs on a worker; checks @cancellable; names a bad option in
 *   @error with PHILIA_ERROR_OPTION.
 *
 * The vtable of a PHILIA_FAMILY_GENERATOR algorithm (the built-in CSBM is
 * philia_csbm_generate()).
 */
typedef struct
{
  PhiliaGraph *(*generate) (const char * const  *options,
                            guint64              seed,
                            PhiliaProgress      *progress,
                            gpointer             vtable_data,
                            GCancellable        *cancellable,
                            GError             **error);
} PhiliaGeneratorVTable;

#define PHILIA_CSBM_MAX_CLASSES 64

/**
 * PhiliaCsbmParams:
 * @n_nodes: n (≥ 2)
 * @n_classes: C (1 … %PHILIA_CSBM_MAX_CLASSES), classes balanced within one node
 *   unless @class_proportions says otherwise
 * @degree: expected mean degree d; n·d/2 distinct undirected edges are drawn
 * @homophily: target edge homophily h in [0, 1]: each edge joins two nodes of
 *   the same class with probability h
 * @n_features: F (may be 0)
 * @signal: distance between any two class means, in units of the feature noise
 *   (standard deviation 1)
 * @heterophilous_fraction: share of nodes in the heterophilous region (0: none)
 * @heterophilous_homophily: the edge homophily inside that region
 * @n_splits: random 60/20/20 train/val/test splits to add
 * @seed: everything is reproducible from it
 * @class_proportions: the share of each class (C entries, normalised to sum
 *   1, each positive; every class must get a node), e.g. 0.8, 0.2 for the
 *   imbalanced two-class graphs of the heterophilous benchmark; all zero
 *   (the default): balanced
 *
 * A contextual stochastic block model. With a heterophilous region, nodes are
 * split into two regions that each draw their edges inside themselves, one
 * with @homophily and one with @heterophilous_homophily, so local homophily is
 * bimodal as in real graphs that mix both.
 */
typedef struct
{
  guint   n_nodes;
  guint   n_classes;
  double  degree;
  double  homophily;
  guint   n_features;
  double  signal;
  double  heterophilous_fraction;
  double  heterophilous_homophily;
  guint   n_splits;
  guint64 seed;
  double  class_proportions[PHILIA_CSBM_MAX_CLASSES];
} PhiliaCsbmParams;

void         philia_csbm_params_init_default (PhiliaCsbmParams       *params);

/* Complexity O(n·F + m) expected. Rejects impossible requests (e.g. h < 1
 * with one class) with PHILIA_ERROR_OPTION naming the parameter. */
PhiliaGraph *philia_csbm_generate            (const PhiliaCsbmParams *params,
                                              GCancellable           *cancellable,
                                              GError                **error);
/* philia_csbm_generate() in a thread (the parameters are copied). @progress
 * (nullable) is 0 when it starts and 1 when the graph is built: the
 * generator has no steps to report in between. */
void         philia_csbm_generate_async      (const PhiliaCsbmParams *params,
                                              PhiliaProgress         *progress,
                                              GCancellable           *cancellable,
                                              GAsyncReadyCallback     callback,
                                              gpointer                user_data);
PhiliaGraph *philia_csbm_generate_finish     (GAsyncResult           *result,
                                              GError                **error);

/* A rows × cols lattice: node r·cols + c joins its right and lower
 * neighbours. Rejects an empty or over-large request with PHILIA_ERROR_OPTION. */
PhiliaGraph *philia_grid_generate            (guint                   rows,
                                              guint                   cols,
                                              GError                **error);

/* A road-like planar mesh on a rows × cols lattice: each lattice edge is kept
 * with probability 0.85 and each cell gets one of its diagonals with
 * probability 0.3, so no two edges cross in the lattice's drawing. */
PhiliaGraph *philia_mesh_generate            (guint                   rows,
                                              guint                   cols,
                                              guint64                 seed,
                                              GError                **error);

G_END_DECLS
