/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A graph keeps mostly-zero features as CSR: the dense matrix it hands out
 * has the bits it was given, copies keep it, and training reads the CSR to
 * the same features, losses and predictions as from the dense matrix. */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-graph-features-private.h"
#include "philia-train-private.h"

/* @n nodes on a ring (a single node: no edges), two classes, one split. */
static PhiliaGraph *
graph_with (guint  n,
            float *x,
            guint  f)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (n);
  g_autoptr(GError) error = NULL;
  guint m = n > 1 ? n : 0;
  gint64 *edges = g_new (gint64, 2 * MAX (m, 1));
  gint64 *labels = g_new (gint64, MAX (n, 1));
  guint8 *train = g_new0 (guint8, MAX (n, 1)), *val = g_new0 (guint8, MAX (n, 1));
  guint8 *test = g_new0 (guint8, MAX (n, 1));
  PhiliaGraph *graph;

  for (guint i = 0; i < m; i++)
    {
      edges[2 * i] = i;
      edges[2 * i + 1] = (i + 1) % n;
    }
  for (guint i = 0; i < n; i++)
    {
      labels[i] = (i / 3) % 2;
      (i % 3 == 0 ? train : i % 3 == 1 ? val : test)[i] = 1;
    }
  philia_graph_builder_take_edges (b, edges, m);
  philia_graph_builder_take_labels (b, labels);
  philia_graph_builder_take_masks (b, 1, train, val, test);
  philia_graph_builder_take_features (b, x, f);
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  return graph;
}

/* Bag-of-words rows with a -0.0, a row without words, a row summing to
 * zero and a value that normalises to zero; every tenth node has none. */
static float *
words (guint n,
       guint f)
{
  float *x = g_new0 (float, (gsize)n * f);

  for (guint i = 0; i < n; i++)
    if (i % 10 != 4)
      for (guint k = 0; k < 1 + i % 5; k++)
        x[(gsize)i * f + (i * 37 + k * 101) % f] = 1.0f + k;
  if (n > 7)
    {
      x[(gsize)3 * f + 5] = -0.0f;
      x[(gsize)7 * f + 2] = 1.0f;
      x[(gsize)7 * f + 3] = -1.0f;
      x[(gsize)8 * f + 1] = 1e-45f;   /* 1e-45 / 3e38 underflows */
      x[(gsize)8 * f + 2] = 3e38f;
    }
  return x;
}

static gboolean
kept_sparse (PhiliaGraph *graph)
{
  const gint64 *o;
  const gint32 *c;
  const float *v;

  return _philia_graph_get_sparse_features (graph, &o, &c, &v);
}

static void
test_round_trip (void)
{
  guint n = 40, f = 300;
  float *x = words (n, f);
  g_autofree float *want = g_memdup2 (x, sizeof (float) * n * f);
  g_autoptr(PhiliaGraph) graph = graph_with (n, x, f);
  g_autoptr(PhiliaGraph) copy = NULL, other = NULL;
  const float *gx;

  g_assert_true (kept_sparse (graph));
  g_assert_cmpuint (philia_graph_get_n_features (graph), ==, f);
  gx = philia_graph_get_features (graph);
  g_assert_nonnull (gx);
  /* Bit for bit, -0.0 included, and the same matrix on the next request. */
  g_assert_cmpmem (gx, sizeof (float) * n * f, want, sizeof (float) * n * f);
  g_assert_true (signbit (gx[(gsize)3 * f + 5]));
  g_assert_true (philia_graph_get_features (graph) == gx);

  copy = philia_graph_copy_with_splits (graph, 0, NULL, NULL, NULL);
  g_assert_true (kept_sparse (copy));
  g_assert_cmpmem (philia_graph_get_features (copy), sizeof (float) * n * f, want,
                   sizeof (float) * n * f);

  other = philia_graph_copy_with_features (graph, g_memdup2 (want, sizeof (float) * n * f), f);
  g_assert_false (kept_sparse (other));
  g_assert_cmpmem (philia_graph_get_features (other), sizeof (float) * n * f, want,
                   sizeof (float) * n * f);
}

static void
test_dense_kept_dense (void)
{
  guint n = 12, f = 4;
  float *x = g_new (float, n * f);
  g_autoptr(PhiliaGraph) graph = NULL;

  /* One zero in four: dense. */
  for (guint i = 0; i < n * f; i++)
    x[i] = i % 4 == 0 ? 0.0f : 0.5f + i;
  graph = graph_with (n, x, f);
  g_assert_false (kept_sparse (graph));
  g_assert_true (philia_graph_get_features (graph) == x);
}

static void
test_small_graphs (void)
{
  /* A single node with one word in a hundred; one with no words at all. */
  for (int words_on = 0; words_on <= 1; words_on++)
    {
      float *x = g_new0 (float, 100);
      g_autoptr(PhiliaGraph) graph = NULL;
      const float *gx;

      x[17] = words_on ? 2.5f : 0.0f;
      graph = graph_with (1, x, 100);
      g_assert_true (kept_sparse (graph));
      gx = philia_graph_get_features (graph);
      for (guint j = 0; j < 100; j++)
        g_assert_cmpfloat (gx[j], ==, j == 17 && words_on ? 2.5f : 0.0f);
    }
}

static void
assert_same_sparse (const PhiliaSparse *a,
                    const PhiliaSparse *b)
{
  g_assert_cmpuint (a->rows, ==, b->rows);
  g_assert_cmpuint (a->cols, ==, b->cols);
  g_assert_cmpint (a->nnz, ==, b->nnz);
  g_assert_cmpmem (a->row_offsets, sizeof (gint64) * (a->rows + 1), b->row_offsets,
                   sizeof (gint64) * (b->rows + 1));
  g_assert_cmpmem (a->col_index, sizeof (gint32) * a->nnz, b->col_index,
                   sizeof (gint32) * b->nnz);
  g_assert_cmpmem (a->values, sizeof (float) * a->nnz, b->values, sizeof (float) * b->nnz);
}

/* The training's CSR from the kept CSR against the one from the dense
 * matrix (a copy given dense features keeps them dense). */
static void
test_training_features (void)
{
  guint n = 40, f = 300;
  float *x = words (n, f);
  g_autoptr(PhiliaGraph) sparse = graph_with (n, x, f);
  g_autoptr(PhiliaGraph) dense = philia_graph_copy_with_features (
    sparse, g_memdup2 (philia_graph_get_features (sparse), sizeof (float) * n * f), f);

  g_assert_true (kept_sparse (sparse));
  g_assert_false (kept_sparse (dense));
  for (int normalize = 0; normalize <= 1; normalize++)
    {
      g_autoptr(PhiliaSparse) a = NULL, b = NULL;
      g_autoptr(PhiliaTensor) da = NULL, db = NULL;
      guint fa = 0, fb = 0;

      _philia_prepare_features (sparse, normalize, &fa, &a, &da);
      _philia_prepare_features (dense, normalize, &fb, &b, &db);
      g_assert_null (da);
      g_assert_null (db);
      g_assert_cmpuint (fa, ==, f);
      g_assert_cmpuint (fb, ==, f);
      assert_same_sparse (a, b);
      /* -0.0 and the underflowed value are not stored by either. */
      for (gint64 e = a->row_offsets[3]; e < a->row_offsets[4]; e++)
        g_assert_cmpint (a->col_index[e], !=, 5);
    }
}

static void
test_training_losses (void)
{
  guint n = 60, f = 200;
  g_autoptr(PhiliaGraph) sparse = graph_with (n, words (n, f), f);
  g_autoptr(PhiliaGraph) dense = philia_graph_copy_with_features (
    sparse, g_memdup2 (philia_graph_get_features (sparse), sizeof (float) * n * f), f);
  const char *models[] = { "gcn", "sage", "mlp", "sgc", "gat" };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaTrainResult) a = NULL, b = NULL;
      PhiliaTrainParams params;

      philia_train_params_init (&params);
      params.epochs = 6;
      params.seed = 3;
      a = philia_train (sparse, models[i], &params, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      b = philia_train (dense, models[i], &params, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (a->sparse_features && b->sparse_features);
      g_assert_cmpmem (a->loss, sizeof (double) * 6, b->loss, sizeof (double) * 6);
      g_assert_cmpmem (a->predictions, sizeof (gint32) * n, b->predictions, sizeof (gint32) * n);
    }
}

static gpointer
read_features (gpointer graph)
{
  return (gpointer)philia_graph_get_features (graph);
}

/* Threads asking at once get one matrix. */
static void
test_concurrent_requests (void)
{
  guint n = 200, f = 500;
  g_autoptr(PhiliaGraph) graph = graph_with (n, words (n, f), f);
  GThread *threads[4];
  gpointer got[4];

  for (guint t = 0; t < 4; t++)
    threads[t] = g_thread_new ("features", read_features, graph);
  for (guint t = 0; t < 4; t++)
    got[t] = g_thread_join (threads[t]);
  for (guint t = 1; t < 4; t++)
    g_assert_true (got[t] == got[0]);
  g_assert_true (got[0] == philia_graph_get_features (graph));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/Philia/GraphFeatures/round-trip", test_round_trip);
  g_test_add_func ("/Philia/GraphFeatures/dense-kept-dense", test_dense_kept_dense);
  g_test_add_func ("/Philia/GraphFeatures/small-graphs", test_small_graphs);
  g_test_add_func ("/Philia/GraphFeatures/training-features", test_training_features);
  g_test_add_func ("/Philia/GraphFeatures/training-losses", test_training_losses);
  g_test_add_func ("/Philia/GraphFeatures/concurrent-requests", test_concurrent_requests);

  return g_test_run ();
}
