/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-train-private.h"

/*
 * Training: accuracy on Cora's public split with fixed seeds (fast, one run
 * each; the 10-seed means are in the benchmark notes), reproducibility, and
 * the errors a user can hit.
 */

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

/* A ring of @n nodes, two classes by parity of i / 3, features optional. */
static PhiliaGraph *
tiny_graph (guint    n,
            guint    n_features,
            gboolean any_train,
            float    poison)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (n);
  g_autoptr(GError) error = NULL;
  gint64 *edges = g_new (gint64, 2 * n);
  gint64 *labels = g_new (gint64, n);
  guint8 *train = g_new0 (guint8, n), *val = g_new0 (guint8, n), *test = g_new0 (guint8, n);
  PhiliaGraph *graph;

  for (guint i = 0; i < n; i++)
    {
      edges[2 * i] = i;
      edges[2 * i + 1] = (i + 1) % n;
      labels[i] = (i / 3) % 2;
      if (i % 3 == 0)
        train[i] = any_train;
      else if (i % 3 == 1)
        val[i] = 1;
      else
        test[i] = 1;
    }
  philia_graph_builder_take_edges (b, edges, n);
  philia_graph_builder_take_labels (b, labels);
  if (n_features > 0)
    {
      float *x = g_new0 (float, n * n_features);

      for (guint i = 0; i < n; i++)
        x[i * n_features + (labels[i] + i) % n_features] = 1;
      x[0] = poison;
      philia_graph_builder_take_features (b, x, n_features);
    }
  philia_graph_builder_take_masks (b, 1, train, val, test);
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  return graph;
}

static PhiliaTrainResult *
train (PhiliaGraph *graph,
       const char  *model,
       int          epochs,
       guint64      seed,
       guint        threads)
{
  g_autoptr(GError) error = NULL;
  PhiliaTrainParams params;
  PhiliaTrainResult *r;

  philia_train_params_init (&params);
  params.epochs = epochs;
  params.seed = seed;
  params.n_threads = threads;
  r = philia_train (graph, model, &params, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

static void
check_result (PhiliaTrainResult *r,
              PhiliaGraph       *graph)
{
  gint64 n_train, n_val, n_test, binned = 0;

  philia_graph_get_split_sizes (graph, 0, &n_train, &n_val, &n_test);
  g_assert_cmpuint (r->best_epoch, >=, 1);
  g_assert_cmpuint (r->best_epoch, <=, r->n_epochs);
  g_assert_cmpfloat (r->val_accuracy, ==, r->val_curve[r->best_epoch - 1]);
  g_assert_cmpfloat (r->test_accuracy, ==, r->test_curve[r->best_epoch - 1]);
  for (guint e = 0; e < r->n_epochs; e++)
    g_assert_cmpfloat (r->val_curve[e], <=, r->val_accuracy);
  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    binned += r->bin_count[b];
  g_assert_cmpint (binned, <=, n_test);
  g_assert_cmpint (binned, >, 0);
  g_assert_cmpfloat (r->epoch_ms_median, >, 0);
}

static void
test_gcn_cora (void)
{
  g_autoptr(PhiliaGraph) graph = load_cora ();
  g_autoptr(PhiliaTrainResult) r = train (graph, "gcn", -1, 0, 1);

  check_result (r, graph);
  g_test_message ("GCN Cora split 0 seed 0: test %.4f at epoch %u", r->test_accuracy,
                  r->best_epoch);
  g_assert_cmpuint (r->n_epochs, ==, 200);
  g_assert_cmpfloat (r->test_accuracy, >=, 0.79);
  g_assert_true (r->sparse_features);
  /* The structural-disparity shape: homophilous test nodes are easier for a GCN. */
  g_assert_cmpfloat (r->bin_accuracy[4], >, r->bin_accuracy[0]);
}

static void
test_mlp_cora (void)
{
  g_autoptr(PhiliaGraph) graph = load_cora ();
  g_autoptr(PhiliaTrainResult) r = train (graph, "mlp", -1, 0, 1);

  check_result (r, graph);
  g_test_message ("MLP Cora split 0 seed 0: test %.4f", r->test_accuracy);
  g_assert_cmpfloat (r->test_accuracy, >=, 0.50);
  g_assert_cmpfloat (r->test_accuracy, <, 0.70);
}

static void
test_other_models_cora (void)
{
  g_autoptr(PhiliaGraph) graph = load_cora ();
  const char *models[] = { "sgc", "appnp", "gat" };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autoptr(PhiliaTrainResult) r = train (graph, models[i], 60, 1, 2);

      check_result (r, graph);
      g_test_message ("%s Cora 60 epochs: test %.4f", models[i], r->test_accuracy);
      g_assert_cmpfloat (r->test_accuracy, >=, 0.70);
    }
}

static void
test_reproducible (void)
{
  g_autoptr(PhiliaGraph) graph = load_cora ();
  const char *models[] = { "gcn", "gat" };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    for (guint threads = 1; threads <= 2; threads++)
      {
        g_autoptr(PhiliaTrainResult) a = train (graph, models[i], 15, 3, threads);
        g_autoptr(PhiliaTrainResult) b = train (graph, models[i], 15, 3, threads);
        g_autoptr(PhiliaTrainResult) c = train (graph, models[i], 15, 4, threads);

        g_assert_cmpmem (a->loss, sizeof (double) * 15, b->loss, sizeof (double) * 15);
        g_assert_cmpmem (a->predictions, sizeof (gint32) * a->n_nodes, b->predictions,
                         sizeof (gint32) * b->n_nodes);
        g_assert_cmpfloat (a->loss[14], !=, c->loss[14]);
      }
}

/* Two threads give one thread's run to the bit, every model: the thread
 * choice's evaluation passes after epoch 0 (HACKING.md §7) leave the
 * weights, the losses and the random streams (dropout, the transformer's
 * sampling) as they were. */
static void
test_threads_same_bits (void)
{
  g_autoptr(PhiliaGraph) graph = load_cora ();
  const char *models[] = { "gcn", "sage", "gat", "mlp", "sgc", "appnp", "gprgnn",
                           "h2gcn", "transformer" };
  const int epochs = 5;

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autoptr(PhiliaTrainResult) a = train (graph, models[i], epochs, 7, 1);
      g_autoptr(PhiliaTrainResult) b = train (graph, models[i], epochs, 7, 2);

      g_test_message ("%s: loss after %d epochs %.9g (1 thread) %.9g (2)", models[i], epochs,
                      a->loss[epochs - 1], b->loss[epochs - 1]);
      g_assert_cmpmem (a->loss, sizeof (double) * epochs, b->loss, sizeof (double) * epochs);
      g_assert_cmpmem (a->val_loss, sizeof (double) * epochs, b->val_loss,
                       sizeof (double) * epochs);
      g_assert_cmpuint (a->best_epoch, ==, b->best_epoch);
      g_assert_cmpmem (a->predictions, sizeof (gint32) * a->n_nodes, b->predictions,
                       sizeof (gint32) * b->n_nodes);
      g_assert_cmpmem (a->probabilities, sizeof (float) * a->n_nodes * a->n_classes,
                       b->probabilities, sizeof (float) * b->n_nodes * b->n_classes);
    }
}

static void
test_diverged (void)
{
  /* A feature of 3e38 (raw, not normalised) overflows the first layer to ±inf. */
  g_autoptr(PhiliaGraph) graph = tiny_graph (30, 4, TRUE, 3e38f);
  g_autoptr(GError) error = NULL;
  PhiliaTrainParams params;
  PhiliaTrainResult *r;

  philia_train_params_init (&params);
  params.normalize_features = FALSE;
  r = philia_train (graph, "mlp", &params, NULL, NULL, NULL, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_FAILED);
  g_test_message ("%s", error->message);
  /* Dropout doubles the kept features to ±inf; which epoch first keeps the
   * poisoned one depends on the mask stream. */
  g_assert_true (g_str_has_prefix (error->message, "Training diverged at epoch "));
  g_assert_nonnull (strstr (error->message, ": the loss is "));
  g_assert_true (g_str_has_suffix (error->message, "; lower the learning rate."));
}

static void
test_no_training_nodes (void)
{
  g_autoptr(PhiliaGraph) graph = tiny_graph (30, 4, FALSE, 1);
  g_autoptr(GError) error = NULL;
  PhiliaTrainParams split_5;

  philia_train_params_init (&split_5);
  split_5.split = 5;
  g_assert_null (philia_train (graph, "gcn", NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (philia_train (graph, "gcn", &split_5, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
  g_clear_error (&error);
  g_assert_null (philia_train (graph, "nope", NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND);
}

static void
test_featureless (void)
{
  g_autoptr(PhiliaGraph) graph = tiny_graph (60, 0, TRUE, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaTrainResult) r = NULL;

  /* An MLP has nothing to learn from; a GCN uses one-hot node ids. */
  g_assert_null (philia_train (graph, "mlp", NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_null (philia_train (graph, "sgc", NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED);
  r = train (graph, "gcn", 50, 0, 1);
  g_assert_true (r->identity_features);
  g_assert_cmpuint (r->n_epochs, ==, 50);
}

typedef struct
{
  GCancellable *cancellable;
  guint         calls;
} CancelData;

static void
cancel_at_3 (const PhiliaTrainEpoch *epoch,
             gpointer                user_data)
{
  CancelData *data = user_data;

  data->calls++;
  g_assert_cmpuint (epoch->epoch, ==, data->calls);
  g_assert_true (isfinite (epoch->loss));
  if (epoch->epoch == 3)
    g_cancellable_cancel (data->cancellable);
}

static void
test_cancel (void)
{
  g_autoptr(PhiliaGraph) graph = load_cora ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaProgress) progress = philia_progress_new ();
  CancelData data = { cancellable, 0 };

  g_assert_null (philia_train (graph, "gcn", NULL, progress, cancellable,
                               cancel_at_3, &data, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (data.calls, ==, 3);
  g_assert_cmpfloat_with_epsilon (philia_progress_get_fraction (progress), 3.0 / 200, 1e-9);
}

/* GAT's attention, split into neighbours and self-loops, sums to 1 per node and head. */
static void
test_gat_attention (void)
{
  g_autoptr(PhiliaGraph) graph = tiny_graph (30, 4, TRUE, 1);
  g_autoptr(PhiliaTrainResult) r = train (graph, "gat", 5, 0, 1);
  const gint64 *off = philia_graph_get_row_offsets (graph);

  g_assert_nonnull (r->attention);
  g_assert_cmpuint (r->attention->len, ==, 2);
  for (guint l = 0; l < 2; l++)
    {
      PhiliaAttention *a = &g_array_index (r->attention, PhiliaAttention, l);

      g_assert_cmpuint (a->heads, ==, l == 0 ? 8 : 1);
      for (guint v = 0; v < r->n_nodes; v++)
        for (guint h = 0; h < a->heads; h++)
          {
            double sum = a->self[v * a->heads + h];

            for (gint64 e = off[v]; e < off[v + 1]; e++)
              sum += a->edges[e * a->heads + h];
            g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
          }
    }
}

static PhiliaGraph *
load_shared (const char *name)
{
  const char *folder = g_getenv ("PHILIA_SHARED_DATASETS");
  g_autofree char *file_name = g_strdup_printf ("%s.npz", name);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph;

  if (folder == NULL)
    return NULL;
  path = g_build_filename (folder, file_name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  file = g_file_new_for_path (path);
  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return graph;
}

static void
test_sage_cora (void)
{
  g_autoptr(PhiliaGraph) graph = load_cora ();
  /* 60 of the recipe's 200 epochs keep the sanitizer build quick; seed 0 reaches 80.4%. */
  g_autoptr(PhiliaTrainResult) r = train (graph, "sage", 60, 0, 2);

  check_result (r, graph);
  g_test_message ("SAGE Cora split 0 seed 0, 60 epochs: test %.4f at epoch %u", r->test_accuracy,
                  r->best_epoch);
  g_assert_cmpuint (r->n_epochs, ==, 60);
  g_assert_cmpint (r->params.hidden, ==, 64);
  /* W_l, W_r, b per layer. */
  g_assert_cmpuint (r->weights->len, ==, 6);
  g_assert_cmpfloat (r->test_accuracy, >=, 0.77);
}

/* On Texas (edge homophily 0.11) the ego/neighbour separation of H2GCN keeps
 * it at an MLP's level, while a GCN's averaging with neighbours hurts. */
static void
test_heterophily_texas (void)
{
  g_autoptr(PhiliaGraph) graph = load_shared ("texas");
  g_autoptr(PhiliaTrainResult) mlp = NULL, gcn = NULL, h2gcn = NULL;

  if (graph == NULL)
    {
      g_test_skip ("texas.npz is not in PHILIA_SHARED_DATASETS");
      return;
    }
  mlp = train (graph, "mlp", 100, 0, 1);
  gcn = train (graph, "gcn", 100, 0, 1);
  h2gcn = train (graph, "h2gcn", 100, 0, 1);
  check_result (h2gcn, graph);
  g_test_message ("Texas split 0 seed 0: MLP %.4f, GCN %.4f, H2GCN %.4f", mlp->test_accuracy,
                  gcn->test_accuracy, h2gcn->test_accuracy);
  g_assert_cmpfloat (h2gcn->test_accuracy, >=, 0.72);
  g_assert_cmpfloat (h2gcn->test_accuracy, >=, mlp->test_accuracy - 0.06);
  g_assert_cmpfloat (h2gcn->test_accuracy, >, gcn->test_accuracy + 0.08);
}

/* H2GCN's neighbourhoods on a hand-made graph: a path 0–1–2–3 and a triangle
 * 4–5–6 with a pendant 7 on 6, plus an isolated node 8. */
static void
test_h2gcn_neighborhoods (void)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (9);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaTrainResult) r = NULL;
  static const gint64 pairs[] = { 0, 1, 1, 2, 2, 3, 4, 5, 5, 6, 4, 6, 6, 7, 1, 0, 2, 2 };
  /* Expected strict two-hop rows (sorted) and their sizes. */
  static const gint32 two_hop[9][2] = { { 2 }, { 3 }, { 0 }, { 1 }, { 7 }, { 7 },
                                        { -1 }, { 4, 5 }, { -1 } };
  static const guint two_hop_len[9] = { 1, 1, 1, 1, 1, 1, 0, 2, 0 };
  gint64 *labels = g_new (gint64, 9);
  guint8 *train_mask = g_new0 (guint8, 9), *val = g_new0 (guint8, 9), *test = g_new0 (guint8, 9);
  float *x = g_new0 (float, 9 * 2);
  PhiliaSparse *a2, *a1;

  for (guint i = 0; i < 9; i++)
    {
      labels[i] = i % 2;
      x[i * 2 + i % 2] = 1;
      train_mask[i] = i < 5;
      test[i] = i >= 5;
    }
  /* Duplicate edge (1, 0) and a self-loop (2, 2) are dropped by the builder. */
  philia_graph_builder_take_edges (b, g_memdup2 (pairs, sizeof pairs), G_N_ELEMENTS (pairs) / 2);
  philia_graph_builder_take_labels (b, labels);
  philia_graph_builder_take_features (b, x, 2);
  philia_graph_builder_take_masks (b, 1, train_mask, val, test);
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  r = train (graph, "h2gcn", 3, 0, 1);
  g_assert_cmpuint (r->n_epochs, ==, 3);

  a2 = g_object_get_data (G_OBJECT (graph), "philia-two-hop-adjacency");
  a1 = g_object_get_data (G_OBJECT (graph), "philia-sym-adjacency");
  g_assert_nonnull (a2);
  g_assert_nonnull (a1);
  for (guint v = 0; v < 9; v++)
    {
      g_assert_cmpint (a2->row_offsets[v + 1] - a2->row_offsets[v], ==, two_hop_len[v]);
      for (guint k = 0; k < two_hop_len[v]; k++)
        {
          gint64 e = a2->row_offsets[v] + k;
          gint32 u = two_hop[v][k];

          g_assert_cmpint (a2->col_index[e], ==, u);
          g_assert_cmpfloat_with_epsilon (a2->values[e],
                                          1.0 / sqrt ((double)two_hop_len[v] * two_hop_len[u]),
                                          1e-6);
        }
    }
  /* Ā₁ = D^{-1/2} A D^{-1/2} without self-loops: edge 1–2 has degrees 2 and 2. */
  for (gint64 e = a1->row_offsets[1]; e < a1->row_offsets[2]; e++)
    {
      g_assert_cmpint (a1->col_index[e], !=, 1);
      if (a1->col_index[e] == 2)
        g_assert_cmpfloat_with_epsilon (a1->values[e], 0.5, 1e-6);
      if (a1->col_index[e] == 0)
        g_assert_cmpfloat_with_epsilon (a1->values[e], 1 / sqrt (2.0), 1e-6);
    }
  g_assert_cmpint (a1->row_offsets[9] - a1->row_offsets[8], ==, 0);
}

/* GPR-GNN keeps its γ as the last weight; it starts from PageRank and is learned. */
static void
test_gprgnn_gamma (void)
{
  g_autoptr(PhiliaGraph) graph = load_cora ();
  g_autoptr(PhiliaTrainResult) r = train (graph, "gprgnn", 60, 0, 2);
  g_autoptr(PhiliaTrainResult) one = train (graph, "gprgnn", 1, 0, 1);
  PhiliaTensor *gamma, *gamma1;
  double moved = 0;

  check_result (r, graph);
  g_test_message ("GPR-GNN Cora 60 epochs: test %.4f", r->test_accuracy);
  g_assert_cmpfloat (r->test_accuracy, >=, 0.75);
  gamma = g_ptr_array_index (r->weights, r->weights->len - 1);
  gamma1 = g_ptr_array_index (one->weights, one->weights->len - 1);
  g_assert_cmpuint (gamma->rows, ==, 1);
  g_assert_cmpuint (gamma->cols, ==, 11);
  /* After one Adam step (lr 0.002) every γ_k is within 0.0021 of α(1−α)^k. */
  for (guint k = 0; k <= 10; k++)
    {
      double init = k < 10 ? 0.1 * pow (0.9, k) : pow (0.9, 10);

      g_assert_cmpfloat (fabs (gamma1->data[k] - init), <=, 0.0021);
      moved = MAX (moved, fabs (gamma->data[k] - init));
    }
  g_assert_cmpfloat (moved, >, 0.01);
}

static void
test_bad_hyperparameters (void)
{
  g_autoptr(PhiliaGraph) graph = tiny_graph (30, 4, TRUE, 1);
  g_autoptr(GError) error = NULL;
  PhiliaTrainParams params;

  philia_train_params_init (&params);
  params.k = 20;
  g_assert_null (philia_train (graph, "h2gcn", &params, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
  g_clear_error (&error);
  philia_train_params_init (&params);
  params.alpha = 1.5;
  g_assert_null (philia_train (graph, "gprgnn", &params, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
}

/* The new models on a featureless graph (one-hot ids) with an isolated node. */
static void
test_new_models_featureless (void)
{
  g_autoptr(PhiliaGraph) graph = tiny_graph (60, 0, TRUE, 1);
  const char *models[] = { "sage", "h2gcn", "gprgnn" };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autoptr(PhiliaTrainResult) r = train (graph, models[i], 20, 0, 2);

      g_assert_true (r->identity_features);
      g_assert_true (isfinite (r->loss[19]));
    }
}

/* A logistic regression that publishes its logits ([n, C]) and each node's
 * largest logit ([n, 1]) as node values. */
static gpointer
probe_create (PhiliaModelContext *ctx,
              GError            **error)
{
  return philia_model_context_add_parameter (ctx, philia_model_context_get_n_features (ctx),
                                             philia_model_context_get_n_classes (ctx),
                                             TRUE, TRUE);
}

static PhiliaTensor *
probe_forward (gpointer            model,
               PhiliaModelContext *ctx,
               PhiliaTape         *tape)
{
  PhiliaTensor *logits = philia_model_context_input_matmul (ctx, tape, model, 0);

  if (!philia_tape_get_training (tape))
    {
      g_autoptr(PhiliaTensor) top = philia_tensor_new (logits->rows, 1);

      for (guint i = 0; i < logits->rows; i++)
        {
          top->data[i] = logits->data[(gsize)i * logits->cols];
          for (guint j = 1; j < logits->cols; j++)
            top->data[i] = MAX (top->data[i], logits->data[(gsize)i * logits->cols + j]);
        }
      philia_model_context_keep_node_values (ctx, "logit", logits);
      philia_model_context_keep_node_values (ctx, "top", top);
    }
  return logits;
}

static void
probe_defaults (PhiliaTrainParams *params)
{
  if (params->epochs <= 0)
    params->epochs = 30;
  if (params->lr < 0)
    params->lr = 0.05;
  if (params->weight_decay < 0)
    params->weight_decay = 0;
  if (params->hidden <= 0)
    params->hidden = 1;
  if (params->dropout < 0)
    params->dropout = 0;
}

static void
probe_free (gpointer model)
{
}

static const PhiliaModelVTable probe_vtable = {
  FALSE, probe_defaults, probe_create, probe_forward, probe_free
};

/* Node values a model keeps are those of the best-validation epoch, one entry
 * per column: the kept logits give back the result's probabilities. */
static void
test_node_values (void)
{
  const PhiliaAlgorithm probe = { "test-probe", PHILIA_FAMILY_MODEL, "Probe",
                                  "Logistic regression keeping node values.", "test",
                                  &probe_vtable, NULL };
  g_autoptr(PhiliaGraph) graph = tiny_graph (30, 4, TRUE, 1);
  g_autoptr(PhiliaTrainResult) r = NULL;
  g_autoptr(PhiliaTrainResult) mlp = NULL;
  g_autoptr(GError) error = NULL;
  const PhiliaNodeValues *logit[2], *top;

  if (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MODEL,
                              "test-probe") == NULL)
    philia_registry_add (philia_registry_get_default (), &probe, &error);
  g_assert_no_error (error);
  r = train (graph, "test-probe", 30, 3, 1);
  g_assert_nonnull (r->node_values);
  g_assert_cmpuint (r->node_values->len, ==, 3);
  logit[0] = g_ptr_array_index (r->node_values, 0);
  logit[1] = g_ptr_array_index (r->node_values, 1);
  top = g_ptr_array_index (r->node_values, 2);
  g_assert_cmpstr (logit[0]->name, ==, "logit[0]");
  g_assert_cmpstr (logit[1]->name, ==, "logit[1]");
  g_assert_cmpstr (top->name, ==, "top");
  for (guint v = 0; v < r->n_nodes; v++)
    {
      double a = logit[0]->values[v], b = logit[1]->values[v];
      double p0 = 1 / (1 + exp (b - a));

      g_assert_cmpfloat_with_epsilon (r->probabilities[2 * v], p0, 1e-5);
      g_assert_cmpfloat (top->values[v], ==, MAX (a, b));
      g_assert_cmpint (r->predictions[v], ==, a >= b ? 0 : 1);
    }

  /* A model that keeps nothing: an empty list, never NULL. */
  mlp = train (graph, "mlp", 3, 0, 1);
  g_assert_nonnull (mlp->node_values);
  g_assert_cmpuint (mlp->node_values->len, ==, 0);
}

/* Reference models computing every row in every step, as MLP and SGC did
 * before they learned to train on the loss rows alone: same parameters in
 * the same order, so the same seed gives the same initial weights. */
typedef struct
{
  PhiliaTensor *w1, *b1, *w2, *b2;
} FullRows;

static void
full_defaults (PhiliaTrainParams *p)
{
  if (p->epochs <= 0) p->epochs = 20;
  if (p->lr < 0) p->lr = 0.01;
  if (p->weight_decay < 0) p->weight_decay = 5e-4;
  if (p->hidden <= 0) p->hidden = 64;
  if (p->dropout < 0) p->dropout = 0;
  if (p->k <= 0) p->k = 2;
}

static gpointer
full_mlp_create (PhiliaModelContext *ctx,
                 GError            **error)
{
  FullRows *m = g_new0 (FullRows, 1);
  guint f = philia_model_context_get_n_features (ctx), c = philia_model_context_get_n_classes (ctx);
  guint hidden = philia_model_context_get_params (ctx)->hidden;

  m->w1 = philia_model_context_add_parameter (ctx, f, hidden, TRUE, TRUE);
  m->b1 = philia_model_context_add_parameter (ctx, 1, hidden, FALSE, TRUE);
  m->w2 = philia_model_context_add_parameter (ctx, hidden, c, TRUE, TRUE);
  m->b2 = philia_model_context_add_parameter (ctx, 1, c, FALSE, TRUE);
  return m;
}

static PhiliaTensor *
full_mlp_forward (gpointer            model,
                  PhiliaModelContext *ctx,
                  PhiliaTape         *tape)
{
  FullRows *m = model;
  PhiliaTensor *h = philia_model_context_input_matmul (ctx, tape, m->w1, 0);

  h = philia_op_relu (tape, philia_op_add (tape, h, m->b1));
  return philia_op_add (tape, philia_op_matmul (tape, h, m->w2), m->b2);
}

static gpointer
full_sgc_create (PhiliaModelContext *ctx,
                 GError            **error)
{
  FullRows *m = g_new0 (FullRows, 1);
  guint f = philia_model_context_get_n_features (ctx), c = philia_model_context_get_n_classes (ctx);

  m->w1 = philia_model_context_add_parameter (ctx, f, c, TRUE, TRUE);
  m->b1 = philia_model_context_add_parameter (ctx, 1, c, FALSE, TRUE);
  return m;
}

static PhiliaTensor *
full_sgc_forward (gpointer            model,
                  PhiliaModelContext *ctx,
                  PhiliaTape         *tape)
{
  FullRows *m = model;
  PhiliaSparse *a = philia_model_context_get_adjacency (ctx);
  PhiliaTensor *h = philia_model_context_input_matmul (ctx, tape, m->w1, 0);

  g_assert_null (philia_model_context_get_dense_features (ctx));   /* Cora's are sparse */
  for (int k = 0; k < philia_model_context_get_params (ctx)->k; k++)
    h = philia_op_spmm (tape, a, NULL, h);
  return philia_op_add (tape, h, m->b1);
}

static const PhiliaModelVTable full_mlp_vtable = { TRUE, full_defaults, full_mlp_create,
                                                   full_mlp_forward, g_free };
static const PhiliaModelVTable full_sgc_vtable = { TRUE, full_defaults, full_sgc_create,
                                                   full_sgc_forward, g_free };

/* MLP and SGC train on the loss rows alone (SGC on Cora from the training
 * rows of Â²X, precomputed; on the ring propagating X with the training rows
 * of Â last): the losses, accuracies and predictions follow
 * the every-row computation up to float rounding. */
static void
test_loss_rows (void)
{
  static const PhiliaAlgorithm full[] = {
    { "test-full-mlp", PHILIA_FAMILY_MODEL, "MLP on every row", "Reference.", "test",
      &full_mlp_vtable, NULL },
    { "test-full-sgc", PHILIA_FAMILY_MODEL, "SGC on every row", "Reference.", "test",
      &full_sgc_vtable, NULL },
  };
  static const char *const ours[] = { "mlp", "sgc", "sgc" };
  static const guint full_of[] = { 0, 1, 1 };
  g_autoptr(PhiliaGraph) cora = load_cora ();
  /* A ring with one-hot-like features and a third of its nodes in training:
   * the training rows of Â²X cost more than propagating X, so SGC propagates
   * every step and only its last product is restricted to the loss rows. */
  g_autoptr(PhiliaGraph) ring = tiny_graph (300, 300, TRUE, 1);
  PhiliaGraph *graphs[] = { cora, cora, ring };
  g_autoptr(GError) error = NULL;

  if (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MODEL,
                              full[0].id) == NULL)
    philia_registry_add_all (philia_registry_get_default (), full, G_N_ELEMENTS (full), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (ours); i++)
    {
      PhiliaTrainParams params;
      g_autoptr(PhiliaTrainResult) a = NULL;
      g_autoptr(PhiliaTrainResult) b = NULL;
      guint differ = 0;

      philia_train_params_init (&params);
      params.epochs = 20;
      params.dropout = 0;
      params.lr = 0.01;
      params.weight_decay = 5e-4;
      params.hidden = 64;
      params.k = 2;
      params.seed = 7;
      a = philia_train (graphs[i], ours[i], &params, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      b = philia_train (graphs[i], full[full_of[i]].id, &params, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      for (int e = 0; e < params.epochs; e++)
        {
          g_assert_cmpfloat_with_epsilon (a->loss[e], b->loss[e], 1e-5 * fabs (b->loss[e]));
          g_assert_cmpfloat_with_epsilon (a->val_curve[e], b->val_curve[e], 2.0 / 500);
        }
      for (guint v = 0; v < a->n_nodes; v++)
        differ += a->predictions[v] != b->predictions[v];
      g_test_message ("%s: final loss %.7f vs %.7f, %u of %u predictions differ", ours[i],
                      a->loss[params.epochs - 1], b->loss[params.epochs - 1], differ,
                      a->n_nodes);
      g_assert_cmpuint (differ, <=, a->n_nodes / 200);
    }
}


/* Sparse features come straight from the graph's matrix: the stored
 * entries are its nonzeros, each divided by its row's sum when normalised
 * (a zero row stays empty, a row summing to zero stays raw), in order. */
static void
test_sparse_features_direct (void)
{
  guint n = 9, f = 300;
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (n);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  gint64 *edges = g_new (gint64, 2);
  float *x = g_new0 (float, (gsize)n * f);
  const float *gx;

  edges[0] = 0;
  edges[1] = 1;
  philia_graph_builder_take_edges (b, edges, 1);
  for (guint i = 0; i < n; i++)
    if (i != 4)                                        /* row 4: no words */
      for (guint k = 0; k < 1 + i % 4; k++)
        x[(gsize)i * f + (i * 37 + k * 101) % f] = 1.0f + k;
  x[(gsize)7 * f + 3] = -x[(gsize)7 * f + (7 * 37) % f] - 2 - 3;   /* row 7 sums to zero */
  philia_graph_builder_take_features (b, x, f);
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  gx = philia_graph_get_features (graph);

  for (int normalize = 0; normalize <= 1; normalize++)
    {
      g_autoptr(PhiliaSparse) s = NULL;
      g_autoptr(PhiliaTensor) dense = NULL;
      guint n_features = 0;

      _philia_prepare_features (graph, normalize, &n_features, &s, &dense);
      g_assert_null (dense);
      g_assert_nonnull (s);
      g_assert_cmpuint (n_features, ==, f);
      for (guint i = 0; i < n; i++)
        {
          const float *row = gx + (gsize)i * f;
          double sum = 0;
          gint64 e = s->row_offsets[i];

          for (guint j = 0; j < f; j++)
            sum += row[j];
          for (guint j = 0; j < f; j++)
            if (row[j] != 0)
              {
                g_assert_cmpint (e, <, s->row_offsets[i + 1]);
                g_assert_cmpint (s->col_index[e], ==, j);
                g_assert_cmpfloat (s->values[e], ==,
                                   normalize && sum != 0 ? (float)(row[j] / sum) : row[j]);
                e++;
              }
          g_assert_cmpint (e, ==, s->row_offsets[i + 1]);
        }
      g_assert_cmpint (s->row_offsets[4], ==, s->row_offsets[5]);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/Philia/Train/sparse-features-direct", test_sparse_features_direct);
  g_test_add_func ("/Philia/Train/gcn-cora", test_gcn_cora);
  g_test_add_func ("/Philia/Train/mlp-cora", test_mlp_cora);
  g_test_add_func ("/Philia/Train/other-models-cora", test_other_models_cora);
  g_test_add_func ("/Philia/Train/reproducible", test_reproducible);
  g_test_add_func ("/Philia/Train/threads-same-bits", test_threads_same_bits);
  g_test_add_func ("/Philia/Train/diverged", test_diverged);
  g_test_add_func ("/Philia/Train/no-training-nodes", test_no_training_nodes);
  g_test_add_func ("/Philia/Train/featureless", test_featureless);
  g_test_add_func ("/Philia/Train/cancel", test_cancel);
  g_test_add_func ("/Philia/Train/gat-attention", test_gat_attention);
  g_test_add_func ("/Philia/Train/sage-cora", test_sage_cora);
  g_test_add_func ("/Philia/Train/heterophily-texas", test_heterophily_texas);
  g_test_add_func ("/Philia/Train/h2gcn-neighborhoods", test_h2gcn_neighborhoods);
  g_test_add_func ("/Philia/Train/gprgnn-gamma", test_gprgnn_gamma);
  g_test_add_func ("/Philia/Train/bad-hyperparameters", test_bad_hyperparameters);
  g_test_add_func ("/Philia/Train/new-models-featureless", test_new_models_featureless);
  g_test_add_func ("/Philia/Train/node-values", test_node_values);
  g_test_add_func ("/Philia/Train/loss-rows", test_loss_rows);

  return g_test_run ();
}
