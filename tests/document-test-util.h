/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-core.h"

G_BEGIN_DECLS

/*
 * Fixtures the document suites share (test-document.c,
 * test-document-derived.c, test-document-steps.c).
 *
 * The toy graph make_graph() builds (N = 8 nodes; input rows hold a self-loop 3–3 and a duplicate
 * 1–0, both dropped):
 *
 *   0(A) — 1(A)      4(A) — 5(·)      7(·) isolated
 *   |  \   |           \    |
 *   3(B) — 2(B)          6(B)
 *
 * edges 0–1 1–2 2–3 3–0 0–2 4–5 5–6 4–6; labels A=0, B=1, · unlabeled.
 * Degrees: 0:3 1:2 2:3 3:2 4:2 5:2 6:2 7:0.
 * Components: {0,1,2,3} {4,5,6} {7}.
 * Local homophily (labeled neighbours only): 0: 1/3 (1 A; 3, 2 B)
 * 1: 1/2  2: 1/3  3: 1/2  4: 0 (only 6 is labeled)  5: NaN  6: 0  7: NaN.
 * Features of node v: (v, 10 + v). One split: train v < 3, val {3, 4},
 * test the rest. Names "n0" … "n7".
 */

#define N 8

/* The toy graph, with or without its labels and node names. */
PhiliaGraph       *make_graph     (gboolean    labeled,
                                   gboolean    names);
/* @n positions on a slanted line, moved by @shift (never NULL, even for 0). */
double            *grid_positions (guint       n,
                                   double      shift);
/* A run result holding only its model name: the document compares no more. */
PhiliaTrainResult *fake_result    (const char *model);

G_END_DECLS
