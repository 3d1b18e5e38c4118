/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "philia-core.h"

#define EPS 1e-12

/* Hits@K (OGB): the K-th highest negative is the bar, positives must be
 * strictly above it.
 * pos = {5, 4, 3, 3, 1}, neg = {4, 3, 3, 2, 0} (sorted: 4 3 3 2 0).
 *   K=1: bar 4, above: {5}            → 1/5
 *   K=2: bar 3, above: {5, 4}         → 2/5 (the two 3s tie the bar: not counted)
 *   K=3: bar 3                        → 2/5
 *   K=4: bar 2, above: {5, 4, 3, 3}   → 4/5
 *   K=5: bar 0, above: all            → 1
 *   K=6: fewer than K negatives       → 1.0 by the rule */
static void
test_hits (void)
{
  const double pos[] = { 5, 4, 3, 3, 1 };
  const double neg[] = { 3, 0, 4, 2, 3 };   /* unsorted on purpose */
  const double want[] = { 0.2, 0.4, 0.4, 0.8, 1.0, 1.0 };

  for (guint k = 1; k <= 6; k++)
    g_assert_cmpfloat_with_epsilon (philia_linkpred_hits_at_k (pos, 5, neg, 5, k), want[k - 1],
                                    EPS);
  /* Every positive ties the bar: 0. */
  g_assert_cmpfloat (philia_linkpred_hits_at_k ((double[]) { 2, 2 }, 2,
                                                (double[]) { 2, 2, 2 }, 3, 2), ==, 0);
  g_assert_true (isnan (philia_linkpred_hits_at_k (NULL, 0, neg, 5, 1)));
  /* No negatives at all: fewer than K. */
  g_assert_cmpfloat (philia_linkpred_hits_at_k (pos, 5, NULL, 0, 10), ==, 1);
}

/* MRR (OGB): rank = (optimistic + pessimistic) / 2 + 1 with optimistic =
 * #neg > pos, pessimistic = #neg ≥ pos, each positive against its own row.
 *   pos 3 vs {3, 1, 4}: opt 1 (the 4), pess 2 (4 and 3) → rank 2.5 → 0.4
 *   pos 2 vs {0, 1, 1}: opt 0, pess 0 → rank 1 → 1
 *   pos 1 vs {1, 1, 1}: opt 0, pess 3 → rank 2.5 → 0.4
 *   pos 0 vs {5, 6, 7}: opt 3, pess 3 → rank 4 → 0.25
 *   MRR = (0.4 + 1 + 0.4 + 0.25) / 4 = 0.5125 */
static void
test_mrr (void)
{
  const double pos[] = { 3, 2, 1, 0 };
  const double neg[] = { 3, 1, 4,  0, 1, 1,  1, 1, 1,  5, 6, 7 };

  g_assert_cmpfloat_with_epsilon (philia_linkpred_rank (3, neg, 3), 2.5, EPS);
  g_assert_cmpfloat_with_epsilon (philia_linkpred_rank (1, neg + 6, 3), 2.5, EPS);
  g_assert_cmpfloat_with_epsilon (philia_linkpred_mrr (pos, 4, neg, 3), 0.5125, EPS);
  g_assert_cmpfloat_with_epsilon (philia_linkpred_mrr (pos, 1, neg, 3), 0.4, EPS);
  /* No negatives: rank 1. */
  g_assert_cmpfloat_with_epsilon (philia_linkpred_mrr (pos, 4, NULL, 0), 1.0, EPS);
  g_assert_true (isnan (philia_linkpred_mrr (NULL, 0, NULL, 3)));
}

/* AUC with ties counting ½. pos {3, 2, 1}, neg {2, 1, 0, 2}:
 *   3 beats all 4                     → 4
 *   2 beats {1, 0}, ties {2, 2}       → 2 + 1   = 3
 *   1 beats {0}, ties {1}             → 1 + 0.5 = 1.5
 *   (4 + 3 + 1.5) / (3 · 4) = 8.5 / 12 */
static void
test_auc (void)
{
  const double pos[] = { 2, 3, 1 };
  const double neg[] = { 2, 1, 0, 2 };

  g_assert_cmpfloat_with_epsilon (philia_linkpred_auc (pos, 3, neg, 4), 8.5 / 12, EPS);
  /* All tied: ½. Perfect: 1. Reversed: 0. */
  g_assert_cmpfloat_with_epsilon (philia_linkpred_auc ((double[]) { 1, 1 }, 2,
                                                       (double[]) { 1, 1, 1 }, 3), 0.5, EPS);
  g_assert_cmpfloat (philia_linkpred_auc ((double[]) { 5 }, 1, (double[]) { 1, 2 }, 2), ==, 1);
  g_assert_cmpfloat (philia_linkpred_auc ((double[]) { 0 }, 1, (double[]) { 1, 2 }, 2), ==, 0);
  g_assert_true (isnan (philia_linkpred_auc (pos, 3, NULL, 0)));
}

/* The brute-force AUC on random lists with many ties agrees with the sorted one. */
static void
test_auc_brute_force (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);

  for (int trial = 0; trial < 20; trial++)
    {
      guint np = g_rand_int_range (rand, 1, 40), nn = g_rand_int_range (rand, 1, 40);
      g_autofree double *p = g_new (double, np);
      g_autofree double *q = g_new (double, nn);
      double wins = 0;

      for (guint i = 0; i < np; i++)
        p[i] = g_rand_int_range (rand, 0, 6);
      for (guint j = 0; j < nn; j++)
        q[j] = g_rand_int_range (rand, 0, 6);
      for (guint i = 0; i < np; i++)
        for (guint j = 0; j < nn; j++)
          wins += p[i] > q[j] ? 1 : p[i] == q[j] ? 0.5 : 0;
      g_assert_cmpfloat_with_epsilon (philia_linkpred_auc (p, np, q, nn), wins / (np * nn), EPS);
    }
}

static PhiliaGraph *
load_cora (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "cora.npz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph = philia_graph_load (file, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return graph;
}

static gboolean
adjacent (PhiliaGraph *g,
          gint64       u,
          gint64       v)
{
  const gint64 *off = philia_graph_get_row_offsets (g);
  const gint32 *nbr = philia_graph_get_neighbors (g);

  for (gint64 e = off[u]; e < off[u + 1]; e++)
    if (nbr[e] == v)
      return TRUE;
  return FALSE;
}

/* Cora: 5278 edges → 528 test, 264 valid, 4486 train; no held-out edge left
 * in the training graph; negatives are distinct non-edges; seeds reproduce. */
static void
test_split (void)
{
  g_autoptr(PhiliaGraph) cora = load_cora ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaLinkSplit) a = philia_link_split_new (cora, 0.05, 0.10, 20, 7, &error);
  g_autoptr(PhiliaLinkSplit) b = philia_link_split_new (cora, 0.05, 0.10, 20, 7, &error);
  g_autoptr(PhiliaLinkSplit) c = philia_link_split_new (cora, 0.05, 0.10, 20, 8, &error);
  g_autoptr(GHashTable) negs = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *keys = NULL;
  guint n = philia_graph_get_n_nodes (cora);

  g_assert_no_error (error);
  g_assert_cmpint (a->n_test, ==, 528);
  g_assert_cmpint (a->n_valid, ==, 264);
  g_assert_cmpint (a->n_train, ==, 4486);
  g_assert_cmpint (philia_graph_get_n_edges (a->train), ==, 4486);
  g_assert_cmpuint (philia_graph_get_n_nodes (a->train), ==, n);
  g_assert_cmpuint (philia_graph_get_n_features (a->train), ==, 1433);
  g_assert_true (memcmp (a->test, b->test, sizeof (gint64) * 2 * a->n_test) == 0);
  g_assert_true (memcmp (a->test_neg, b->test_neg, sizeof (gint64) * 2 * a->n_test) == 0);
  g_assert_false (memcmp (a->test, c->test, sizeof (gint64) * 2 * a->n_test) == 0);

  for (gint64 i = 0; i < a->n_test; i++)
    {
      g_assert_true (adjacent (cora, a->test[2 * i], a->test[2 * i + 1]));
      g_assert_false (adjacent (a->train, a->test[2 * i], a->test[2 * i + 1]));
    }
  for (gint64 i = 0; i < a->n_valid; i++)
    g_assert_false (adjacent (a->train, a->valid[2 * i], a->valid[2 * i + 1]));

  keys = g_new (gint64, a->n_test + a->n_valid);
  for (gint64 i = 0; i < a->n_test + a->n_valid; i++)
    {
      const gint64 *pair = i < a->n_test ? a->test_neg + 2 * i
                                         : a->valid_neg + 2 * (i - a->n_test);

      g_assert_cmpint (pair[0], <, pair[1]);
      g_assert_false (adjacent (cora, pair[0], pair[1]));
      keys[i] = pair[0] * n + pair[1];
      g_assert_false (g_hash_table_contains (negs, &keys[i]));
      g_hash_table_add (negs, &keys[i]);
    }
  for (gint64 i = 0; i < a->n_test; i++)
    for (guint j = 0; j < a->n_mrr_neg; j++)
      {
        gint64 w = a->test_mrr_neg[i * a->n_mrr_neg + j];

        g_assert_cmpint (w, >=, 0);
        g_assert_cmpint (w, !=, a->test[2 * i]);
        g_assert_false (adjacent (cora, a->test[2 * i], w));
        for (guint k = 0; k < j; k++)
          g_assert_cmpint (a->test_mrr_neg[i * a->n_mrr_neg + k], !=, w);
      }
}

/* Too few non-edges, bad shares, a small graph whose MRR rows must be padded. */
static void
test_split_errors (void)
{
  gint64 k5[20];
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (5);
  g_autoptr(PhiliaGraph) complete = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaLinkSplit) split = NULL;
  g_autoptr(PhiliaGraph) cora = load_cora ();

  for (int i = 0, at = 0; i < 5; i++)
    for (int j = i + 1; j < 5; j++)
      k5[at++] = i, k5[at++] = j;
  philia_graph_builder_take_edges (builder, g_memdup2 (k5, sizeof k5), 10);
  complete = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  split = philia_link_split_new (complete, 0.05, 0.10, 5, 0, &error);
  g_assert_null (split);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "non-edges"));
  g_clear_error (&error);

  split = philia_link_split_new (cora, 0.6, 0.6, 5, 0, &error);
  g_assert_null (split);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
}

/* Evaluating cn on Cora: the metrics are the metric functions applied to the
 * returned scores, and cn beats chance. fp works on Cora, not on a featureless graph. */
/* Common neighbours counted by brute force over sorted rows, as a plugin's
 * heuristic would be: registered, not built in. */
static gboolean
brute_cn (PhiliaGraph                 *graph,
          const PhiliaProximityParams *params,
          const gint64                *pairs,
          gsize                        n_pairs,
          double                      *out,
          gpointer                     data,
          GCancellable                *cancellable,
          GError                     **error)
{
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);

  for (gsize i = 0; i < n_pairs; i++)
    {
      gint64 u = pairs[2 * i], v = pairs[2 * i + 1];
      guint common = 0;

      for (gint64 a = off[u]; a < off[u + 1]; a++)
        for (gint64 b = off[v]; b < off[v + 1]; b++)
          common += nbr[a] == nbr[b];
      out[i] = common;
    }
  return TRUE;
}

static const PhiliaProximityVTable brute_cn_vtable = { brute_cn };

/* A registered heuristic goes through the same evaluation as a built-in one:
 * a brute-force common-neighbour count gives CN's numbers exactly. */
static void
test_evaluate_algorithm (void)
{
  const PhiliaAlgorithm brute = { "test-brute-cn", PHILIA_FAMILY_PROXIMITY, "Brute CN",
                                  "Common neighbours by brute force.", "test",
                                  &brute_cn_vtable, NULL };
  g_autoptr(PhiliaGraph) cora = load_cora ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaLinkSplit) split = philia_link_split_new (cora, 0.05, 0.10, 30, 2, &error);
  g_autoptr(PhiliaLinkpredResult) cn = NULL;
  g_autoptr(PhiliaLinkpredResult) other = NULL;
  const PhiliaAlgorithm *registered;

  g_assert_no_error (error);
  if (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_PROXIMITY,
                              brute.id) == NULL)
    philia_registry_add (philia_registry_get_default (), &brute, &error);
  g_assert_no_error (error);
  registered = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_PROXIMITY,
                                       brute.id);

  cn = philia_linkpred_evaluate (split, NULL, PHILIA_PROXIMITY_CN, NULL, &error);
  g_assert_no_error (error);
  other = philia_linkpred_evaluate_algorithm (split, NULL, registered, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cn->name, ==, "cn");
  g_assert_cmpstr (other->name, ==, "test-brute-cn");
  g_assert_cmpint (other->heuristic, ==, PHILIA_PROXIMITY_N_HEURISTICS);
  for (guint k = 0; k < 4; k++)
    g_assert_cmpfloat (other->hits[k], ==, cn->hits[k]);
  g_assert_cmpfloat (other->mrr, ==, cn->mrr);
  g_assert_cmpfloat (other->auc, ==, cn->auc);
  g_assert_cmpmem (other->test_pos, cn->n_test * sizeof (double),
                   cn->test_pos, cn->n_test * sizeof (double));
}

static void
test_evaluate (void)
{
  g_autoptr(PhiliaGraph) cora = load_cora ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaLinkSplit) split = philia_link_split_new (cora, 0.05, 0.10, 50, 1, &error);
  g_autoptr(PhiliaLinkpredResult) cn = NULL;
  g_autoptr(PhiliaLinkpredResult) sp = NULL;
  g_autoptr(PhiliaLinkpredResult) fp = NULL;
  gint64 rows[] = { 0, 1,  1, 2,  2, 3,  3, 4,  4, 5,  5, 0,  0, 3,  1, 4,  6, 7,  7, 8 };
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (12);
  g_autoptr(PhiliaGraph) small = NULL;
  g_autoptr(PhiliaLinkSplit) small_split = NULL;
  g_autoptr(PhiliaLinkpredResult) bad = NULL;

  g_assert_no_error (error);
  cn = philia_linkpred_evaluate (split, NULL, PHILIA_PROXIMITY_CN, NULL, &error);
  g_assert_no_error (error);
  for (guint k = 0; k < 4; k++)
    {
      g_assert_cmpfloat (cn->hits[k], ==,
                         philia_linkpred_hits_at_k (cn->test_pos, cn->n_test, cn->test_neg,
                                                    cn->n_test, philia_linkpred_hits_ks[k]));
      g_assert_cmpfloat (cn->hits[k], >=, 0);
      g_assert_cmpfloat (cn->hits[k], <=, 1);
      if (k > 0)
        g_assert_cmpfloat (cn->hits[k], >=, cn->hits[k - 1]);
    }
  g_assert_cmpfloat (cn->auc, >, 0.6);
  g_assert_cmpfloat (cn->mrr, >, 0);
  g_assert_cmpfloat (cn->mrr, <=, 1);
  /* Positives in the training graph are scored without their own edge. */
  for (gint64 i = 0; i < split->n_test; i++)
    g_assert_cmpfloat (cn->test_pos[i], ==,
                       philia_proximity_score (split->train, NULL, PHILIA_PROXIMITY_CN,
                                               split->test[2 * i], split->test[2 * i + 1],
                                               NULL));

  sp = philia_linkpred_evaluate (split, NULL, PHILIA_PROXIMITY_SP, NULL, &error);
  g_assert_no_error (error);
  for (gint64 i = 0; i < split->n_test; i++)
    g_assert_cmpfloat (sp->test_pos[i], <=, -2);   /* −distance, and the edge is gone */
  fp = philia_linkpred_evaluate (split, NULL, PHILIA_PROXIMITY_FP, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (isnan (fp->auc));

  philia_graph_builder_take_edges (builder, g_memdup2 (rows, sizeof rows), 10);
  small = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  small_split = philia_link_split_new (small, 0.1, 0.2, 200, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (small_split->n_test, ==, 2);
  /* 12 nodes: at most 11 − d(u) MRR negatives per edge, the rest padded with −1. */
  g_assert_cmpint (small_split->test_mrr_neg[199], ==, -1);
  bad = philia_linkpred_evaluate (small_split, NULL, PHILIA_PROXIMITY_FP, NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_clear_error (&error);
  bad = philia_linkpred_evaluate (small_split, NULL, PHILIA_PROXIMITY_RA, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (isnan (bad->mrr));
}

/* Hit sets and their overlap on hand-made scores, negatives {3, 0, 4, 2, 3}.
 * K = 2: the bar is 3 (sorted 4 3 3 2 0), strictly above it:
 *   A pos {5, 4, 3, 3, 1} → {0, 1}
 *   B pos {1, 4, 9, 0, 3} → {1, 2}
 *   C pos {0, 0, 0, 0, 0} → {}
 *   D pos {9, 9, 9, 9, 9} → {0, 1, 2, 3, 4}
 * Jaccard: A·B = |{1}| / |{0,1,2}| = 1/3, A·D = 2/5, B·D = 2/5, A·C = 0,
 * C·C = NaN (both empty), A·A = 1. K = 6 > 5 negatives: every positive hits. */
static void
test_hit_set_overlap (void)
{
  const double neg[] = { 3, 0, 4, 2, 3 };
  const double pos[4][5] = { { 5, 4, 3, 3, 1 }, { 1, 4, 9, 0, 3 }, { 0, 0, 0, 0, 0 },
                             { 9, 9, 9, 9, 9 } };
  const gboolean want[4][5] = { { 1, 1, 0, 0, 0 }, { 0, 1, 1, 0, 0 }, { 0 },
                                { 1, 1, 1, 1, 1 } };
  const gsize want_count[4] = { 2, 2, 0, 5 };
  gboolean hits[4][5];
  double overlap[16];

  for (guint s = 0; s < 4; s++)
    {
      g_assert_cmpuint (philia_linkpred_hit_set (pos[s], 5, neg, 5, 2, hits[s]), ==,
                        want_count[s]);
      for (guint i = 0; i < 5; i++)
        g_assert_cmpint (hits[s][i], ==, want[s][i]);
      /* The set agrees with Hits@K. */
      g_assert_cmpfloat_with_epsilon (philia_linkpred_hits_at_k (pos[s], 5, neg, 5, 2),
                                      want_count[s] / 5.0, EPS);
    }
  philia_linkpred_overlap (&hits[0][0], 4, 5, overlap);
  g_assert_cmpfloat_with_epsilon (overlap[0 * 4 + 1], 1.0 / 3, EPS);
  g_assert_cmpfloat_with_epsilon (overlap[1 * 4 + 0], 1.0 / 3, EPS);
  g_assert_cmpfloat_with_epsilon (overlap[0 * 4 + 3], 0.4, EPS);
  g_assert_cmpfloat_with_epsilon (overlap[1 * 4 + 3], 0.4, EPS);
  g_assert_cmpfloat (overlap[0 * 4 + 2], ==, 0);
  g_assert_cmpfloat (overlap[0 * 4 + 0], ==, 1);
  g_assert_cmpfloat (overlap[3 * 4 + 3], ==, 1);
  g_assert_true (isnan (overlap[2 * 4 + 2]));

  g_assert_cmpuint (philia_linkpred_hit_set (pos[2], 5, neg, 5, 6, hits[2]), ==, 5);
  g_assert_cmpuint (philia_linkpred_hit_set (NULL, 0, neg, 5, 1, NULL), ==, 0);
}

static void
report_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PhiliaLinkpredReport **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = philia_linkpred_report_new_finish (result, &error);
  g_assert_no_error (error);
}

/* A report is the per-heuristic evaluations on one split; its overlap matrix
 * is the Jaccard index of hit sets recounted here by brute force; the async
 * variant returns the same numbers; fp is dropped without features; a
 * cancelled run fails with G_IO_ERROR_CANCELLED. */
static void
test_report (void)
{
  g_autoptr(PhiliaGraph) cora = load_cora ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaLinkpredReport) report = NULL;
  g_autoptr(PhiliaLinkpredReport) async = NULL;
  g_autoptr(PhiliaLinkpredReport) none = NULL;
  g_autoptr(PhiliaLinkSplit) split = NULL;
  g_autoptr(PhiliaProgress) progress = philia_progress_new ();
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autofree double *overlap = NULL;
  guint mask = PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_CN)
               | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PA)
               | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_FP);
  gint64 rows[] = { 0, 1,  1, 2,  2, 3,  3, 4,  4, 5,  5, 0,  0, 3,  1, 4,  6, 7,  7, 8 };
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (12);
  g_autoptr(PhiliaGraph) small = NULL;

  report = philia_linkpred_report_new (cora, NULL, mask, 3, 10, progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_results, ==, 3);
  g_assert_cmpfloat (philia_progress_get_fraction (progress), ==, 1);
  split = philia_link_split_new (cora, 0.05, 0.10, 10, 3, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      const PhiliaProximityHeuristic h[] = { PHILIA_PROXIMITY_CN, PHILIA_PROXIMITY_PA,
                                             PHILIA_PROXIMITY_FP };
      g_autoptr(PhiliaLinkpredResult) alone =
        philia_linkpred_evaluate (split, NULL, h[i], NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (report->results[i]->heuristic, ==, h[i]);
      for (guint k = 0; k < 4; k++)
        g_assert_cmpfloat (report->results[i]->hits[k], ==, alone->hits[k]);
      g_assert_cmpfloat (report->results[i]->mrr, ==, alone->mrr);
      g_assert_cmpfloat (philia_linkpred_result_hits (report->results[i], 20), ==,
                         alone->hits[1]);
    }

  overlap = philia_linkpred_report_overlap (report, 30);
  for (guint a = 0; a < 3; a++)
    for (guint b = 0; b < 3; b++)
      {
        const PhiliaLinkpredResult *ra = report->results[a], *rb = report->results[b];
        g_autofree double *na = g_memdup2 (ra->test_neg, sizeof (double) * ra->n_test);
        g_autofree double *nb = g_memdup2 (rb->test_neg, sizeof (double) * rb->n_test);
        double bar_a = -INFINITY, bar_b = -INFINITY;
        gsize both = 0, either = 0;

        /* The 30th highest negative, by repeated maximum. */
        for (guint r = 0; r < 30; r++)
          {
            gsize ia = 0, ib = 0;

            for (gint64 j = 1; j < ra->n_test; j++)
              {
                if (na[j] > na[ia])
                  ia = j;
                if (nb[j] > nb[ib])
                  ib = j;
              }
            bar_a = na[ia], bar_b = nb[ib];
            na[ia] = nb[ib] = -INFINITY;
          }
        for (gint64 i = 0; i < ra->n_test; i++)
          {
            gboolean x = ra->test_pos[i] > bar_a, y = rb->test_pos[i] > bar_b;

            both += x && y;
            either += x || y;
          }
        g_assert_cmpuint (either, >, 0);
        g_assert_cmpfloat_with_epsilon (overlap[a * 3 + b], (double)both / either, EPS);
      }

  philia_linkpred_report_new_async (cora, NULL, mask, 3, 10, NULL, NULL, report_ready, &async);
  while (async == NULL)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpfloat (async->results[i]->auc, ==, report->results[i]->auc);

  philia_graph_builder_take_edges (builder, g_memdup2 (rows, sizeof rows), 10);
  small = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  none = philia_linkpred_report_new (small, NULL, PHILIA_PROXIMITY_ALL, 0, 5, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->n_results, ==, PHILIA_PROXIMITY_N_HEURISTICS - 1);
  g_assert_false (none->mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_FP));
  g_clear_pointer (&none, philia_linkpred_report_free);
  none = philia_linkpred_report_new (small, NULL, PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_FP), 0,
                                     5, NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
  g_clear_error (&error);

  g_cancellable_cancel (cancel);
  none = philia_linkpred_report_new (cora, NULL, mask, 3, 10, NULL, cancel, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Full names for tables and charts, abbreviations and decoders in tooltips. */
static void
test_predictor_names (void)
{
  const struct { const char *id, *title, *tooltip_start; } cases[] = {
    { "cn", "Common neighbours", "CN: " },
    { "ppr", "Personalized PageRank", "PPR: " },
    { "fp", "Feature similarity", "FP: " },
    { "gcn", "GCN (dot product)", "gcn, scored by the dot product" },
    { "sage-mlp", "GraphSAGE (MLP decoder)", "sage-mlp, scored by an MLP" },
    { "mlp", "MLP (dot product)", "mlp, scored by the dot product" },
    { "mlp-mlp", "MLP (MLP decoder)", "mlp-mlp, scored by an MLP" },
    /* Unknown ids stay as they are, "-mlp" or not. */
    { "nope", "nope", "nope" },
    { "nope-mlp", "nope-mlp", "nope-mlp" },
    { "-mlp", "-mlp", "-mlp" },
  };

  philia_core_init ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *title = philia_linkpred_predictor_title (cases[i].id);
      g_autofree char *tooltip = philia_linkpred_predictor_tooltip (cases[i].id);

      g_assert_cmpstr (title, ==, cases[i].title);
      g_assert_true (g_str_has_prefix (tooltip, cases[i].tooltip_start));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Philia/Linkpred/hits", test_hits);
  g_test_add_func ("/Philia/Linkpred/mrr", test_mrr);
  g_test_add_func ("/Philia/Linkpred/auc", test_auc);
  g_test_add_func ("/Philia/Linkpred/auc-brute-force", test_auc_brute_force);
  g_test_add_func ("/Philia/Linkpred/split", test_split);
  g_test_add_func ("/Philia/Linkpred/split-errors", test_split_errors);
  g_test_add_func ("/Philia/Linkpred/evaluate", test_evaluate);
  g_test_add_func ("/Philia/Linkpred/evaluate-algorithm", test_evaluate_algorithm);
  g_test_add_func ("/Philia/Linkpred/hit-set-overlap", test_hit_set_overlap);
  g_test_add_func ("/Philia/Linkpred/report", test_report);
  g_test_add_func ("/Philia/Linkpred/predictor-names", test_predictor_names);

  return g_test_run ();
}
