/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-render.h"

/*
 * How runs are scored and split: ROC-AUC against hand-computed cases and an
 * O(n²) pair count, the majority baseline, mean ± sample standard deviation,
 * stratified random splits (sizes by the documented rounding, disjoint,
 * seeded, prefix-stable), and training on them: a two-class run keeps the
 * epoch of best validation ROC-AUC and reports numbers that recomputing from
 * its probabilities gives again.
 */

/* ------------------------------------------------------------- ROC-AUC */

/* The definition itself: every (positive, negative) pair, a tie counting half. */
static double
pair_count_auc (const double *scores,
                const guint8 *positive,
                gsize         n)
{
  double wins = 0, pairs = 0;

  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < n; j++)
      if (positive[i] && !positive[j])
        {
          pairs++;
          wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
        }
  return pairs > 0 ? wins / pairs : NAN;
}

static void
test_roc_auc_hand (void)
{
  /* scikit-learn's documented example: 0.75. */
  const double s1[] = { 0.1, 0.4, 0.35, 0.8 };
  const guint8 p1[] = { 0, 0, 1, 1 };
  /* Ties: positives 0.5, 0.9; negatives 0.5, 0.2, 0.5. Pairs: 0.5 ties
   * twice (½ + ½) and beats 0.2 (1); 0.9 beats all three: 5 of 6. */
  const double s2[] = { 0.5, 0.5, 0.2, 0.9, 0.5 };
  const guint8 p2[] = { 1, 0, 0, 1, 0 };
  /* Every score equal: all pairs tie, ½. Perfect and reversed rankings. */
  const double s3[] = { 0.3, 0.3, 0.3, 0.3 };
  const guint8 p3[] = { 1, 0, 1, 0 };
  const double s4[] = { 1, 2, 3, 4 };
  const guint8 p4[] = { 0, 0, 1, 1 };
  const guint8 p5[] = { 1, 1, 0, 0 };
  const guint8 none[] = { 0, 0, 0, 0 };
  const guint8 all[] = { 1, 1, 1, 1 };
  const double with_nan[] = { 0.1, NAN, 0.3, 0.4 };

  g_assert_cmpfloat (philia_roc_auc (s1, p1, 4), ==, 0.75);
  g_assert_cmpfloat (philia_roc_auc (s2, p2, 5), ==, 5.0 / 6.0);
  g_assert_cmpfloat (philia_roc_auc (s3, p3, 4), ==, 0.5);
  g_assert_cmpfloat (philia_roc_auc (s4, p4, 4), ==, 1.0);
  g_assert_cmpfloat (philia_roc_auc (s4, p5, 4), ==, 0.0);
  /* Undefined: one class only, nothing at all, a NaN score. */
  g_assert_true (isnan (philia_roc_auc (s4, none, 4)));
  g_assert_true (isnan (philia_roc_auc (s4, all, 4)));
  g_assert_true (isnan (philia_roc_auc (s4, p4, 1)));
  g_assert_true (isnan (philia_roc_auc (NULL, NULL, 0)));
  g_assert_true (isnan (philia_roc_auc (with_nan, p4, 4)));
  /* The order of the items does not matter; -0 and +0 tie. */
  {
    const double zeros[] = { -0.0, 0.0 };
    const float fzeros[] = { -0.0f, 0.0f };
    const guint8 one_each[] = { 1, 0 };

    g_assert_cmpfloat (philia_roc_auc (zeros, one_each, 2), ==, 0.5);
    g_assert_cmpfloat (philia_roc_auc_float (fzeros, one_each, 2), ==, 0.5);
  }
  /* The float path on the same hand cases. */
  {
    const float f2[] = { 0.5f, 0.5f, 0.2f, 0.9f, 0.5f };
    const float fnan[] = { 0.1f, NAN, 0.3f, 0.4f };
    const float negative[] = { -3, -1, -2, 5 };

    g_assert_cmpfloat (philia_roc_auc_float (f2, p2, 5), ==, 5.0 / 6.0);
    g_assert_true (isnan (philia_roc_auc_float (fnan, p4, 4)));
    g_assert_true (isnan (philia_roc_auc_float (f2, none, 4)));
    g_assert_true (isnan (philia_roc_auc_float (NULL, NULL, 0)));
    /* Positives -2 and 5 against -3 and -1: 5 beats both, -2 beats -3. */
    g_assert_cmpfloat (philia_roc_auc_float (negative, (const guint8[]) { 0, 0, 1, 1 }, 4), ==,
                       0.75);
  }
}

static void
test_roc_auc_pairs (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint round = 0; round < 200; round++)
    {
      gsize n = 1 + g_rand_int_range (rand, 0, round < 100 ? 12 : 400);
      g_autofree double *scores = g_new (double, n);
      g_autofree guint8 *positive = g_new (guint8, n);
      /* Few distinct values in half the rounds: many ties. */
      int levels = round % 2 ? 4 : 1000000;
      double expected, got;

      for (gsize i = 0; i < n; i++)
        {
          scores[i] = g_rand_int_range (rand, 0, levels) / (double) levels;
          positive[i] = g_rand_double (rand) < 0.3;
        }
      expected = pair_count_auc (scores, positive, n);
      got = philia_roc_auc (scores, positive, n);
      if (isnan (expected))
        g_assert_true (isnan (got));
      else
        g_assert_cmpfloat_with_epsilon (got, expected, 1e-12);

      /* The radix-sorted float path: the very same number on float scores,
       * negative ones and both zeros included. */
      {
        g_autofree float *floats = g_new (float, n);
        g_autofree double *widened = g_new (double, n);

        for (gsize i = 0; i < n; i++)
          {
            floats[i] = (float) (scores[i] - 0.5) * (round % 3 == 0 ? -1.0f : 1.0f);
            if (floats[i] == 0 && i % 2)
              floats[i] = -0.0f;
            widened[i] = floats[i];
          }
        expected = philia_roc_auc (widened, positive, n);
        got = philia_roc_auc_float (floats, positive, n);
        if (isnan (expected))
          g_assert_true (isnan (got));
        else
          g_assert_cmpfloat (got, ==, expected);
        g_assert_cmpfloat_with_epsilon (isnan (got) ? 0 : got,
                                        isnan (expected) ? 0
                                                         : pair_count_auc (widened, positive, n),
                                        1e-12);
      }
    }
}

/* ----------------------------------------------------- majority, spread */

static void
test_majority (void)
{
  const gint32 labels[] = { 2, 0, 2, -1, 0, 1, -1, -1 };
  const guint8 mask[] = { 1, 1, 1, 1, 0, 0, 0, 0 };
  const guint8 tie[] = { 1, 1, 0, 0, 0, 1, 0, 0 };
  const guint8 empty[] = { 0, 0, 0, 1, 0, 0, 1, 1 };

  /* In the mask: class 2 twice, class 0 once (node 3 unlabeled). */
  g_assert_cmpint (philia_majority_class (labels, mask, 8, 3), ==, 2);
  /* Unmasked: 0 and 2 twice each, 1 once; a tie goes to the lower id. */
  g_assert_cmpint (philia_majority_class (labels, NULL, 8, 3), ==, 0);
  g_assert_cmpint (philia_majority_class (labels, tie, 8, 3), ==, 0);
  g_assert_cmpint (philia_majority_class (labels, empty, 8, 3), ==, -1);
  g_assert_cmpint (philia_majority_class (NULL, NULL, 0, 0), ==, -1);

  g_assert_cmpfloat (philia_class_share (labels, mask, 8, 2), ==, 2.0 / 3.0);
  g_assert_cmpfloat (philia_class_share (labels, NULL, 8, 1), ==, 1.0 / 5.0);
  g_assert_cmpfloat (philia_class_share (labels, tie, 8, 2), ==, 1.0 / 3.0);
  g_assert_true (isnan (philia_class_share (labels, empty, 8, 0)));
  g_assert_true (isnan (philia_class_share (labels, mask, 8, -1)));
}

static void
test_mean_std (void)
{
  const double four[] = { 1, 2, 3, 4 };
  const double holes[] = { NAN, 1, NAN, 3 };
  const double far[] = { 1e9 + 1, 1e9 + 2, 1e9 + 3 };
  const double one[] = { 0.7 };
  const double nothing[] = { NAN, NAN };
  double mean, std;

  /* Σ(x − 2.5)² = 5, n − 1 = 3. */
  g_assert_cmpuint (philia_mean_std (four, 4, &mean, &std), ==, 4);
  g_assert_cmpfloat (mean, ==, 2.5);
  g_assert_cmpfloat_with_epsilon (std, sqrt (5.0 / 3.0), 1e-15);
  g_assert_cmpuint (philia_mean_std (holes, 4, &mean, &std), ==, 2);
  g_assert_cmpfloat (mean, ==, 2);
  g_assert_cmpfloat_with_epsilon (std, sqrt (2.0), 1e-15);
  /* Two passes keep the digits of a spread far from zero. */
  philia_mean_std (far, 3, &mean, &std);
  g_assert_cmpfloat (std, ==, 1);
  /* One value: a mean, no spread; none: neither. */
  g_assert_cmpuint (philia_mean_std (one, 1, &mean, &std), ==, 1);
  g_assert_cmpfloat (mean, ==, 0.7);
  g_assert_true (isnan (std));
  g_assert_cmpuint (philia_mean_std (nothing, 2, &mean, &std), ==, 0);
  g_assert_true (isnan (mean) && isnan (std));
  g_assert_cmpuint (philia_mean_std (NULL, 0, NULL, NULL), ==, 0);
}

/* --------------------------------------------------------------- splits */

/* Classes of 1, 2, 3, 4, 5 and 17 nodes, then 3 unlabeled nodes; a path,
 * with a self-loop, a duplicate edge and two isolated nodes in the input, so
 * the sanity report has something to keep. Node names, features. */
static const guint class_sizes[] = { 1, 2, 3, 4, 5, 17 };
#define N_LABELED 32
#define N_NODES 35

static PhiliaGraph *
split_graph (void)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (N_NODES);
  g_autoptr(GError) error = NULL;
  gint64 *labels = g_new (gint64, N_NODES);
  float *x = g_new0 (float, N_NODES * 2);
  char **names = g_new0 (char *, N_NODES + 1);
  PhiliaGraph *graph;
  guint v = 0;

  /* Classes interleaved over the ids, so grouping by class is not a no-op. */
  for (guint k = 0; k < G_N_ELEMENTS (class_sizes); k++)
    for (guint i = 0; i < class_sizes[k]; i++)
      labels[(v++ * 7) % N_LABELED] = k;
  for (; v < N_NODES; v++)
    labels[v] = -1;
  for (v = 0; v < N_NODES; v++)
    {
      names[v] = g_strdup_printf ("node-%u", v);
      x[2 * v] = v;
      if (v + 1 < N_NODES - 2)
        philia_graph_builder_add_edge (b, v, v + 1);
    }
  philia_graph_builder_add_edge (b, 4, 4);
  philia_graph_builder_add_edge (b, 5, 6);
  philia_graph_builder_take_labels (b, labels);
  philia_graph_builder_take_features (b, x, 2);
  philia_graph_builder_take_node_names (b, names);
  philia_graph_builder_set_source (b, "split-graph", "test");
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  return graph;
}

static void
check_split_sizes (PhiliaGraph *graph,
                   guint        split)
{
  /* 0.6 / 0.2 / 0.2 by class, floors then largest remainders, ties to the
   * later part, at least one training node:
   *  1 → 0.6 0.2 0.2: floors 0 0 0, +1 to train (0.6)       → 1 0 0
   *  2 → 1.2 0.4 0.4: 1 0 0, +1 to test (tie with val)       → 1 0 1
   *  3 → 1.8 0.6 0.6: 1 0 0, +1 train (0.8), +1 test         → 2 0 1
   *  4 → 2.4 0.8 0.8: 2 0 0, +1 test, +1 val                 → 2 1 1
   *  5 → 3 1 1                                               → 3 1 1
   * 17 → 10.2 3.4 3.4: 10 3 3, +1 test                       → 10 3 4 */
  const guint expected[][3] = { { 1, 0, 0 }, { 1, 0, 1 }, { 2, 0, 1 }, { 2, 1, 1 },
                                { 3, 1, 1 }, { 10, 3, 4 } };
  const gint32 *labels = philia_graph_get_labels (graph);
  guint n = philia_graph_get_n_nodes (graph);
  const guint8 *masks[3];

  for (guint part = 0; part < 3; part++)
    masks[part] = philia_graph_get_split_mask (graph, split, part);
  for (guint k = 0; k < G_N_ELEMENTS (class_sizes); k++)
    for (guint part = 0; part < 3; part++)
      {
        guint count = 0;

        for (guint v = 0; v < n; v++)
          count += masks[part][v] && labels[v] == (gint32) k;
        g_assert_cmpuint (count, ==, expected[k][part]);
      }
  /* Disjoint, covering every labeled node, no unlabeled one. */
  for (guint v = 0; v < n; v++)
    {
      guint in = masks[0][v] + masks[1][v] + masks[2][v];

      g_assert_cmpuint (in, ==, labels[v] >= 0 ? 1 : 0);
    }
}

static void
test_random_splits (void)
{
  g_autoptr(PhiliaGraph) graph = split_graph ();
  g_autoptr(PhiliaGraph) five = NULL;
  g_autoptr(PhiliaGraph) two = NULL;
  g_autoptr(PhiliaGraph) other = NULL;
  g_autoptr(GError) error = NULL;
  guint n = philia_graph_get_n_nodes (graph);
  gboolean differs = FALSE;

  five = philia_graph_with_random_splits (graph, 0.6, 0.2, 5, 42, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (philia_graph_get_n_splits (five), ==, 5);
  for (guint s = 0; s < 5; s++)
    check_split_sizes (five, s);

  /* Seeded and prefix-stable: two splits are the first two of five. */
  two = philia_graph_with_random_splits (graph, 0.6, 0.2, 2, 42, FALSE, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < 2; s++)
    for (guint part = 0; part < 3; part++)
      g_assert_cmpmem (philia_graph_get_split_mask (two, s, part), n,
                       philia_graph_get_split_mask (five, s, part), n);
  /* Random: the splits differ from each other and with the seed. */
  other = philia_graph_with_random_splits (graph, 0.6, 0.2, 1, 43, FALSE, &error);
  g_assert_no_error (error);
  for (guint s = 1; s < 5; s++)
    differs |= memcmp (philia_graph_get_split_mask (five, 0, 0),
                       philia_graph_get_split_mask (five, s, 0), n) != 0;
  g_assert_true (differs);
  g_assert_true (memcmp (philia_graph_get_split_mask (other, 0, 0),
                         philia_graph_get_split_mask (five, 0, 0), n) != 0);
}

/* Every node of a 17-node class lands in training about 60% of the time:
 * the shuffle is uniform, whatever the id order. */
static void
test_random_splits_uniform (void)
{
  g_autoptr(PhiliaGraph) graph = split_graph ();
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *train = NULL, *val = NULL, *test = NULL;
  const gint32 *labels = philia_graph_get_labels (graph);
  guint n = philia_graph_get_n_nodes (graph), splits = 1000;

  g_assert_true (philia_random_splits (graph, 0.6, 0.2, splits, 1, &train, &val, &test, &error));
  g_assert_no_error (error);
  for (guint v = 0; v < n; v++)
    if (labels[v] == 5)
      {
        guint hits = 0;

        for (guint s = 0; s < splits; s++)
          hits += train[(gsize) s * n + v];
        /* 10 of 17 per split: p = 0.588, sd over 1000 splits ≈ 0.016. */
        g_assert_cmpfloat (fabs (hits / (double) splits - 10.0 / 17.0), <, 0.07);
      }
}

static void
test_random_splits_copy (void)
{
  g_autoptr(PhiliaGraph) graph = split_graph ();
  g_autoptr(PhiliaGraph) first = NULL;
  g_autoptr(PhiliaGraph) more = NULL;
  g_autoptr(GError) error = NULL;
  guint n = philia_graph_get_n_nodes (graph);
  const PhiliaSanityReport *a, *b;
  gint64 rows_a, rows_b;

  first = philia_graph_with_random_splits (graph, 0.5, 0.25, 2, 9, FALSE, &error);
  g_assert_no_error (error);
  /* Added after the graph's own splits, which stay as they were. */
  more = philia_graph_with_random_splits (first, 0.6, 0.2, 3, 10, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (philia_graph_get_n_splits (more), ==, 5);
  for (guint s = 0; s < 2; s++)
    for (guint part = 0; part < 3; part++)
      g_assert_cmpmem (philia_graph_get_split_mask (more, s, part), n,
                       philia_graph_get_split_mask (first, s, part), n);
  for (guint s = 2; s < 5; s++)
    check_split_sizes (more, s);

  /* Everything else is the graph's. */
  g_assert_cmpuint (philia_graph_get_n_nodes (more), ==, n);
  g_assert_cmpint (philia_graph_get_n_edges (more), ==, philia_graph_get_n_edges (graph));
  g_assert_cmpmem (philia_graph_get_row_offsets (more), sizeof (gint64) * (n + 1),
                   philia_graph_get_row_offsets (graph), sizeof (gint64) * (n + 1));
  g_assert_cmpmem (philia_graph_get_neighbors (more),
                   sizeof (gint32) * 2 * philia_graph_get_n_edges (graph),
                   philia_graph_get_neighbors (graph),
                   sizeof (gint32) * 2 * philia_graph_get_n_edges (graph));
  g_assert_cmpmem (philia_graph_get_labels (more), sizeof (gint32) * n,
                   philia_graph_get_labels (graph), sizeof (gint32) * n);
  g_assert_cmpmem (philia_graph_get_class_sizes (more), sizeof (gint64) * 6,
                   philia_graph_get_class_sizes (graph), sizeof (gint64) * 6);
  g_assert_cmpuint (philia_graph_get_n_labeled (more), ==, N_LABELED);
  g_assert_cmpuint (philia_graph_get_n_features (more), ==, 2);
  g_assert_cmpmem (philia_graph_get_features (more), sizeof (float) * n * 2,
                   philia_graph_get_features (graph), sizeof (float) * n * 2);
  g_assert_cmpstr (philia_graph_get_node_name (more, 7), ==, "node-7");
  g_assert_cmpint (philia_graph_find_node (more, "node-12"), ==, 12);
  g_assert_cmpstr (philia_graph_get_source (more), ==, "split-graph");
  a = philia_graph_get_sanity_report (graph);
  b = philia_graph_get_sanity_report (more);
  g_assert_cmpint (b->self_loops, ==, 1);
  g_assert_cmpint (b->duplicate_edges, ==, a->duplicate_edges);
  g_assert_cmpint (b->isolated_nodes, ==, 2);
  g_assert_cmpint (b->components, ==, a->components);
  g_assert_cmpmem (philia_graph_get_input_rows (more, &rows_b), sizeof (gint32) * 2 * rows_b,
                   philia_graph_get_input_rows (graph, &rows_a), sizeof (gint32) * 2 * rows_a);
  /* And it trains: featureless models fall back, MLP reads the features. */
  {
    g_autoptr(PhiliaTrainResult) r = NULL;
    PhiliaTrainParams params;

    philia_train_params_init (&params);
    params.epochs = 5;
    params.split = 4;
    r = philia_train (more, "mlp", &params, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (r->n_epochs, ==, 5);
  }
}

static void
test_random_splits_errors (void)
{
  g_autoptr(PhiliaGraph) graph = split_graph ();
  const struct { double train, val; guint splits; const char *needle; } bad[] = {
    { 0, 0.2, 1, "training fraction must lie strictly between 0 and 1, not 0." },
    { 1, 0.2, 1, "training fraction" },
    { -0.5, 0.2, 1, "training fraction" },
    { NAN, 0.2, 1, "training fraction" },
    { 0.6, 0, 1, "validation fraction must lie strictly between 0 and 1, not 0." },
    { 0.6, 1.5, 1, "validation fraction" },
    { 0.8, 0.2, 1, "add up to less than 1" },
    { 0.7, 0.3, 1, "(0.7 + 0.3)" },
    { 0.7, 0.5, 1, "(0.7 + 0.5)" },
    { 0.6, 0.2, 0, "between 1 and 1000, not 0." },
    { 0.6, 0.2, 1001, "between 1 and 1000, not 1001." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaGraph) none = philia_graph_with_random_splits (graph, bad[i].train,
                                                                     bad[i].val, bad[i].splits,
                                                                     0, FALSE, &error);

      g_assert_null (none);
      g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, bad[i].needle));
    }

  /* No labels, no nodes: nothing to split. */
  for (guint n = 0; n < 2; n++)
    {
      g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (n * 3);
      g_autoptr(PhiliaGraph) unlabeled = NULL;
      g_autoptr(PhiliaGraph) none = NULL;
      g_autoptr(GError) error = NULL;

      if (n > 0)
        philia_graph_builder_add_edge (b, 0, 1);
      philia_graph_builder_set_source (b, "plain", "test");
      unlabeled = philia_graph_builder_build (b, &error);
      g_assert_no_error (error);
      none = philia_graph_with_random_splits (unlabeled, 0.6, 0.2, 1, 0, FALSE, &error);
      g_assert_null (none);
      g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_EMPTY);
      g_assert_cmpstr (error->message, ==, "plain has no labeled nodes to split; open a node "
                                           "table or a file with labels.");
    }
}

/* One labeled node: it trains, nothing validates or tests. */
static void
test_random_splits_single_node (void)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (1);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaGraph) split = NULL;
  g_autoptr(GError) error = NULL;
  gint64 *labels = g_new (gint64, 1);

  labels[0] = 0;
  philia_graph_builder_take_labels (b, labels);
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  split = philia_graph_with_random_splits (graph, 0.6, 0.2, 3, 0, FALSE, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < 3; s++)
    {
      g_assert_cmpuint (philia_graph_get_split_mask (split, s, PHILIA_SPLIT_TRAIN)[0], ==, 1);
      g_assert_cmpuint (philia_graph_get_split_mask (split, s, PHILIA_SPLIT_VAL)[0], ==, 0);
      g_assert_cmpuint (philia_graph_get_split_mask (split, s, PHILIA_SPLIT_TEST)[0], ==, 0);
    }
}

/* ------------------------------------------------------------- training */

static PhiliaGraph *
load_karate (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "import", "karate.graphml",
                                                 NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph = philia_graph_load (file, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return graph;
}

/* A labeled graph without masks cannot train, and the message says how to
 * make some. */
static void
test_train_without_splits (void)
{
  g_autoptr(PhiliaGraph) graph = load_karate ();
  g_autoptr(PhiliaTrainResult) r = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (philia_graph_get_n_splits (graph), ==, 0);
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 2);
  r = philia_train (graph, "gcn", NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "karate.graphml has labels but no "
                                            "train/validation/test split"));
  g_assert_nonnull (strstr (error->message, "--random-split"));
  g_assert_nonnull (strstr (error->message, "Make Splits…"));
}

static double
masked_auc (const PhiliaTrainResult *r,
            const gint32            *labels,
            const guint8            *mask)
{
  g_autofree double *scores = g_new (double, r->n_nodes);
  g_autofree guint8 *positive = g_new (guint8, r->n_nodes);
  gsize m = 0;

  for (guint v = 0; v < r->n_nodes; v++)
    if (mask[v] && labels[v] >= 0)
      {
        scores[m] = r->probabilities[2 * v + 1];
        positive[m++] = labels[v] == 1;
      }
  return pair_count_auc (scores, positive, m);
}

/* An imbalanced two-class CSBM (80/20): ROC-AUC is the metric, the kept epoch
 * has the best validation ROC-AUC, its numbers are those of its
 * probabilities, and accuracy sits by the majority share. */
static void
test_two_class (void)
{
  PhiliaCsbmParams p;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaTrainResult) r = NULL;
  g_autoptr(GError) error = NULL;
  const gint32 *labels;
  const guint8 *train, *val, *test;
  guint n, best;
  gint64 zeros = 0;
  PhiliaTrainParams params;

  philia_train_params_init (&params);
  philia_csbm_params_init_default (&p);
  p.n_nodes = 600;
  p.n_classes = 2;
  p.class_proportions[0] = 0.8;
  p.class_proportions[1] = 0.2;
  p.n_splits = 2;
  graph = philia_csbm_generate (&p, NULL, &error);
  g_assert_no_error (error);
  n = philia_graph_get_n_nodes (graph);
  labels = philia_graph_get_labels (graph);
  for (guint v = 0; v < n; v++)
    zeros += labels[v] == 0;
  g_assert_cmpint (zeros, ==, 480);
  g_assert_cmpstr (philia_graph_get_source (graph), ==,
                   "CSBM n=600 C=2 d=10 h=0.50, classes 480/120");

  params.split = 1;
  params.seed = 3;
  r = philia_train (graph, "gcn", &params, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  train = philia_graph_get_split_mask (graph, 1, PHILIA_SPLIT_TRAIN);
  val = philia_graph_get_split_mask (graph, 1, PHILIA_SPLIT_VAL);
  test = philia_graph_get_split_mask (graph, 1, PHILIA_SPLIT_TEST);

  g_assert_cmpint (r->metric, ==, PHILIA_METRIC_ROC_AUC);
  g_assert_cmpint (r->best_epoch_rule, ==, PHILIA_BEST_BY_VAL_ROC_AUC);
  g_assert_nonnull (r->val_auc_curve);
  /* The best epoch: the highest validation ROC-AUC, the first on a tie of
   * AUC and loss. */
  best = r->best_epoch;
  for (guint e = 0; e < r->n_epochs; e++)
    {
      g_assert_cmpfloat (r->val_auc_curve[e], <=, r->val_auc_curve[best - 1]);
      if (r->val_auc_curve[e] == r->val_auc_curve[best - 1] && e + 1 != best)
        g_assert_cmpfloat (r->val_loss[e], >=, r->val_loss[best - 1]);
    }
  g_assert_cmpfloat (r->val_roc_auc, ==, r->val_auc_curve[best - 1]);
  g_assert_cmpfloat (r->test_roc_auc, ==, r->test_auc_curve[best - 1]);
  /* Recomputed from the kept probabilities by the pair count. */
  g_assert_cmpfloat_with_epsilon (r->test_roc_auc, masked_auc (r, labels, test), 1e-12);
  g_assert_cmpfloat_with_epsilon (r->val_roc_auc, masked_auc (r, labels, val), 1e-12);
  g_assert_cmpfloat_with_epsilon (r->train_roc_auc, masked_auc (r, labels, train), 1e-12);
  g_test_message ("80/20 CSBM, GCN: test accuracy %.4f, majority %.4f, ROC-AUC %.4f",
                  r->test_accuracy, r->test_majority, r->test_roc_auc);
  g_assert_cmpfloat (r->test_roc_auc, >, 0.8);

  /* The majority baseline: class 0, its share of each part, counted here. */
  g_assert_cmpint (r->majority_class, ==, 0);
  {
    const guint8 *parts[3] = { train, val, test };
    const double got[3] = { r->train_majority, r->val_majority, r->test_majority };

    for (guint k = 0; k < 3; k++)
      {
        guint in = 0, zero = 0;

        for (guint v = 0; v < n; v++)
          if (parts[k][v])
            {
              in++;
              zero += labels[v] == 0;
            }
        g_assert_cmpfloat (got[k], ==, (double) zero / in);
      }
  }
}

static void
test_many_classes_and_fallbacks (void)
{
  g_autoptr(PhiliaGraph) karate = load_karate ();
  g_autoptr(GError) error = NULL;
  PhiliaTrainParams params;

  philia_train_params_init (&params);
  params.epochs = 20;

  /* Three classes: accuracy, no ROC-AUC. */
  {
    PhiliaCsbmParams p;
    g_autoptr(PhiliaGraph) graph = NULL;
    g_autoptr(PhiliaTrainResult) r = NULL;

    philia_csbm_params_init_default (&p);
    p.n_nodes = 300;
    p.n_classes = 3;
    p.n_splits = 1;
    graph = philia_csbm_generate (&p, NULL, &error);
    g_assert_no_error (error);
    r = philia_train (graph, "gcn", &params, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->metric, ==, PHILIA_METRIC_ACCURACY);
    g_assert_cmpint (r->best_epoch_rule, ==, PHILIA_BEST_BY_VAL_ACCURACY);
    g_assert_null (r->val_auc_curve);
    g_assert_true (isnan (r->test_roc_auc) && isnan (r->val_roc_auc));
    g_assert_cmpint (r->majority_class, >=, 0);
    g_assert_false (isnan (r->test_majority));
  }

  /* Two classes, but the validation part holds one: accuracy picks the
   * epoch; without validation nodes, the last epoch. */
  {
    guint n = philia_graph_get_n_nodes (karate);
    const gint32 *y = philia_graph_get_labels (karate);
    guint8 *train = g_new0 (guint8, 2 * n), *val = g_new0 (guint8, 2 * n);
    guint8 *test = g_new0 (guint8, 2 * n);
    g_autoptr(PhiliaGraph) graph = NULL;
    g_autoptr(PhiliaTrainResult) one = NULL;
    g_autoptr(PhiliaTrainResult) none = NULL;
    guint seen_val = 0;

    for (guint v = 0; v < n; v++)
      {
        /* Split 0: validation only class 0 (two nodes); split 1: no validation. */
        gboolean to_val = v % 2 == 0 && y[v] == 0 && seen_val < 2;

        seen_val += to_val;
        (v % 2 ? train : to_val ? val : test)[v] = 1;
        (v % 2 ? train : test)[n + v] = 1;
      }
    graph = philia_graph_copy_with_splits (karate, 2, train, val, test);
    one = philia_train (graph, "gcn", &params, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (one->metric, ==, PHILIA_METRIC_ROC_AUC);
    g_assert_cmpint (one->best_epoch_rule, ==, PHILIA_BEST_BY_VAL_ACCURACY);
    g_assert_true (isnan (one->val_roc_auc));
    g_assert_false (isnan (one->test_roc_auc));
    g_assert_cmpuint (one->best_epoch, >=, 1);
    params.split = 1;
    none = philia_train (graph, "gcn", &params, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (none->best_epoch_rule, ==, PHILIA_BEST_BY_LAST_EPOCH);
    g_assert_cmpuint (none->best_epoch, ==, 20);
    g_assert_true (isnan (none->val_majority));
  }
}

/* Random splits make a GraphML with labels trainable; the per-epoch
 * callback carries the ROC-AUC. */
static void
on_epoch (const PhiliaTrainEpoch *epoch,
          gpointer                user_data)
{
  GArray *aucs = user_data;

  g_array_append_val (aucs, epoch->val_roc_auc);
}

static void
test_train_on_random_splits (void)
{
  g_autoptr(PhiliaGraph) karate = load_karate ();
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaTrainResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) aucs = g_array_new (FALSE, FALSE, sizeof (double));
  PhiliaTrainParams params;

  philia_train_params_init (&params);
  graph = philia_graph_with_random_splits (karate, 0.6, 0.2, 10, 0, FALSE, &error);
  g_assert_no_error (error);
  params.split = 9;
  params.seed = 4;
  r = philia_train (graph, "gcn", &params, NULL, NULL, on_epoch, aucs, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (aucs->len, ==, r->n_epochs);
  for (guint e = 0; e < r->n_epochs; e++)
    g_assert_cmpfloat (g_array_index (aucs, double, e), ==, r->val_auc_curve[e]);
  /* 17 and 17: 10/3/4 of each, so the majority share is ½ everywhere. */
  g_assert_cmpfloat (r->test_majority, ==, 0.5);
  g_assert_cmpfloat (r->val_majority, ==, 0.5);
  g_assert_cmpfloat (r->test_roc_auc, >=, 0.5);
}

/* The predictions CSV gives back the run's very probabilities: scores one
 * float step apart stay apart and in order, so a ROC-AUC recomputed from the
 * file is the reported one. Six digits would merge them into a tie. */
static void
test_predictions_exact (void)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (6);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 *labels = g_new (gint64, 6);
  PhiliaTrainResult r = { 0 };
  float p1[6];
  double from_file[6], from_run[6];
  guint8 positive[6];

  for (guint v = 0; v < 6; v++)
    labels[v] = v % 2;   /* negatives, positives interleaved along the scores */
  philia_graph_builder_take_labels (b, labels);
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);

  p1[0] = 0.7f;
  for (guint v = 1; v < 6; v++)
    p1[v] = nextafterf (p1[v - 1], 1.0f);
  r.n_nodes = 6;
  r.n_classes = 2;
  r.predictions = g_new0 (gint32, 6);
  r.probabilities = g_new (float, 12);
  for (guint v = 0; v < 6; v++)
    {
      r.probabilities[2 * v] = 1.0f - p1[v];
      r.probabilities[2 * v + 1] = p1[v];
    }
  csv = philia_train_result_predictions_csv (&r, graph);
  lines = g_strsplit (csv, "\n", -1);
  for (guint v = 0; v < 6; v++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[v + 1], ",", -1);

      from_file[v] = g_ascii_strtod (cols[5], NULL);
      from_run[v] = p1[v];
      positive[v] = v % 2;
      g_assert_true ((float) from_file[v] == p1[v]);
      if (v > 0)
        g_assert_cmpfloat (from_file[v], >, from_file[v - 1]);
    }
  g_test_message ("%s", lines[1]);
  /* Each positive beats the negatives below it: 1 + 2 + 3 of the 9 pairs. */
  g_assert_cmpfloat (philia_roc_auc (from_file, positive, 6), ==, 6.0 / 9.0);
  g_assert_cmpfloat (philia_roc_auc (from_file, positive, 6), ==,
                     philia_roc_auc (from_run, positive, 6));
  g_free (r.predictions);
  g_free (r.probabilities);
}

/* ------------------------------------------------------------ drawing */

/* A curve y = 0.5 with a band of ± @spread and a @baseline, drawn 300 × 200;
 * the pixels as 0xRRGGBB. */
static guint32 *
draw_band (double spread,
           double baseline)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 300, 200);
  cairo_t *cr = cairo_create (surface);
  double y[20], s[20];
  PhiliaCurve curve = { NULL, 20, y, 0, FALSE, 0, spread > 0 ? s : NULL };
  PhiliaCurvesChart chart = { 0 };
  PhiliaRenderStyle style;
  guint32 *pixels = g_new (guint32, 300 * 200);

  for (guint i = 0; i < 20; i++)
    {
      y[i] = 0.5;
      s[i] = spread;
    }
  philia_render_style_init_default (&style);
  chart.y_min = 0;
  chart.y_max = 1;
  chart.n_curves = 1;
  chart.curves = &curve;
  chart.baseline = baseline;
  philia_curves_chart_draw (cr, 300, 200, &chart, &style);
  cairo_surface_flush (surface);
  for (int r = 0; r < 200; r++)
    memcpy (pixels + r * 300, cairo_image_surface_get_data (surface)
                              + r * cairo_image_surface_get_stride (surface), 300 * 4);
  for (gsize i = 0; i < 300 * 200; i++)
    pixels[i] &= 0xffffff;
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return pixels;
}

/* The rows of column @x where @a and @b differ: first and last (-1: none). */
static void
differing_rows (const guint32 *a,
                const guint32 *b,
                int            x,
                int           *first,
                int           *last)
{
  *first = *last = -1;
  for (int r = 0; r < 200; r++)
    if (a[r * 300 + x] != b[r * 300 + x])
      {
        if (*first < 0)
          *first = r;
        *last = r;
      }
}

/* The mean ± sd band covers y ± spread on the axis the baselines measure,
 * and a baseline is a rule at its level. */
static void
test_curves_band (void)
{
  g_autofree guint32 *plain = draw_band (0, NAN);
  g_autofree guint32 *band = draw_band (0.2, NAN);
  g_autofree guint32 *low = draw_band (0, 0.3);
  g_autofree guint32 *high = draw_band (0, 0.7);
  int b0, b1, l0, l1, h0, h1;
  double unit, centre;

  differing_rows (plain, low, 150, &l0, &l1);
  differing_rows (plain, high, 150, &h0, &h1);
  differing_rows (plain, band, 150, &b0, &b1);
  g_assert_cmpint (l0, >=, 0);
  g_assert_cmpint (h0, >=, 0);
  g_assert_cmpint (b0, >=, 0);
  /* A rule: at most three rows (1.2 px wide, antialiased). */
  g_assert_cmpint (l1 - l0, <=, 2);
  g_assert_cmpint (h1 - h0, <=, 2);
  unit = ((l0 + l1) / 2.0 - (h0 + h1) / 2.0) / 0.4;   /* pixels per unit of y */
  centre = ((l0 + l1) / 2.0 + (h0 + h1) / 2.0) / 2;   /* y = 0.5 */
  g_test_message ("band rows %d–%d; 0.3 at %d, 0.7 at %d", b0, b1, l0, h0);
  /* 0.3 … 0.7, give or take the edge pixels. */
  g_assert_cmpfloat (fabs ((b1 - b0) - 0.4 * unit), <=, 2);
  g_assert_cmpfloat (fabs ((b0 + b1) / 2.0 - centre), <=, 1.5);
  /* Translucent: the band is not the line's full colour. */
  {
    PhiliaRgba c;
    guint32 line;

    philia_palette_get_categorical (0, &c);
    line = (guint32) lround (c.r * 255) << 16 | (guint32) lround (c.g * 255) << 8
           | (guint32) lround (c.b * 255);
    g_assert_cmpuint (band[(b0 + 2) * 300 + 150], !=, line);
    g_assert_cmpuint (band[(b0 + 2) * 300 + 150], !=, plain[(b0 + 2) * 300 + 150]);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/Philia/Evaluation/roc-auc-hand", test_roc_auc_hand);
  g_test_add_func ("/Philia/Evaluation/roc-auc-pairs", test_roc_auc_pairs);
  g_test_add_func ("/Philia/Evaluation/majority", test_majority);
  g_test_add_func ("/Philia/Evaluation/mean-std", test_mean_std);
  g_test_add_func ("/Philia/Evaluation/random-splits", test_random_splits);
  g_test_add_func ("/Philia/Evaluation/random-splits-uniform", test_random_splits_uniform);
  g_test_add_func ("/Philia/Evaluation/random-splits-copy", test_random_splits_copy);
  g_test_add_func ("/Philia/Evaluation/random-splits-errors", test_random_splits_errors);
  g_test_add_func ("/Philia/Evaluation/random-splits-single-node",
                   test_random_splits_single_node);
  g_test_add_func ("/Philia/Evaluation/train-without-splits", test_train_without_splits);
  g_test_add_func ("/Philia/Evaluation/two-class", test_two_class);
  g_test_add_func ("/Philia/Evaluation/many-classes-and-fallbacks",
                   test_many_classes_and_fallbacks);
  g_test_add_func ("/Philia/Evaluation/train-on-random-splits", test_train_on_random_splits);
  g_test_add_func ("/Philia/Evaluation/predictions-exact", test_predictions_exact);
  g_test_add_func ("/Philia/Evaluation/curves-band", test_curves_band);
  return g_test_run ();
}
