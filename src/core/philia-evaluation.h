/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <glib.h>

#include "philia-graph.h"

G_BEGIN_DECLS

/*
 * How node classification is scored and split: the metrics the benchmarks
 * report, the summary over many runs, and stratified random splits for a
 * labelled graph that brings none of its own.
 */

/* The largest number of random splits one request may make. */
#define PHILIA_MAX_RANDOM_SPLITS 1000

double       philia_roc_auc              (const double  *scores,
                                          const guint8  *positive,
                                          gsize          n);
double       philia_roc_auc_float        (const float   *scores,
                                          const guint8  *positive,
                                          gsize          n);

gint32       philia_majority_class       (const gint32  *labels,
                                          const guint8  *mask,
                                          guint          n,
                                          guint          n_classes);
double       philia_class_share          (const gint32  *labels,
                                          const guint8  *mask,
                                          guint          n,
                                          gint32         klass);

guint        philia_mean_std             (const double  *values,
                                          guint          n,
                                          double        *mean,
                                          double        *std);

gboolean     philia_random_splits        (PhiliaGraph   *graph,
                                          double         train_fraction,
                                          double         val_fraction,
                                          guint          n_splits,
                                          guint64        seed,
                                          guint8       **train,
                                          guint8       **val,
                                          guint8       **test,
                                          GError       **error);
PhiliaGraph *philia_graph_with_random_splits (PhiliaGraph *graph,
                                          double         train_fraction,
                                          double         val_fraction,
                                          guint          n_splits,
                                          guint64        seed,
                                          gboolean       keep_existing,
                                          GError       **error);

G_END_DECLS
