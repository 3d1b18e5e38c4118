/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-core.h"

G_BEGIN_DECLS

/*
 * Graphs from a row list, for the statistics and proximity suites
 * (test-homophily.c, test-stats-report.c, test-proximity*.c). @rows holds
 * @n_rows pairs (u, v) as the readers would hand them over: self-loops and
 * repeated rows included, the builder drops them. @labels (n entries, -1 =
 * unlabeled) may be NULL; @features, when given, is n × @n_features,
 * row-major. A refused graph fails the test.
 */
PhiliaGraph *test_graph_from_rows (guint         n,
                                   const gint64 *rows,
                                   gsize         n_rows);
PhiliaGraph *test_graph_labelled (guint         n,
                                  const gint64 *rows,
                                  gsize         n_rows,
                                  const gint64 *labels);

PhiliaGraph *test_graph_with_features (guint         n,
                                       const gint64 *rows,
                                       gsize         n_rows,
                                       const float  *features,
                                       guint         n_features);

G_END_DECLS
