/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"

/*
 * What the Train panel builds on: the asynchronous run (epochs delivered in
 * order and complete, cancel, errors), the CSV text shared with the CLI, and
 * the attention summaries, checked on hand-made results.
 */

/* A ring of @n nodes, labels (i / 3) % 2, one-hot features, split by i % 3. */
static PhiliaGraph *
ring_graph (guint    n,
            gboolean any_train)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (n);
  g_autoptr(GError) error = NULL;
  gint64 *edges = g_new (gint64, 2 * n);
  gint64 *labels = g_new (gint64, n);
  guint8 *train = g_new0 (guint8, n), *val = g_new0 (guint8, n), *test = g_new0 (guint8, n);
  float *x = g_new0 (float, n * 4);
  PhiliaGraph *graph;

  for (guint i = 0; i < n; i++)
    {
      edges[2 * i] = i;
      edges[2 * i + 1] = (i + 1) % n;
      labels[i] = (i / 3) % 2;
      x[i * 4 + (labels[i] + i) % 4] = 1;
      (i % 3 == 0 ? train : i % 3 == 1 ? val : test)[i] = i % 3 != 0 || any_train;
    }
  philia_graph_builder_take_edges (b, edges, n);
  philia_graph_builder_take_labels (b, labels);
  philia_graph_builder_take_features (b, x, 4);
  philia_graph_builder_take_masks (b, 1, train, val, test);
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  return graph;
}

typedef struct
{
  GArray            *epochs;          /* PhiliaTrainEpoch */
  guint              batches;
  guint              cancel_at;       /* 0: never */
  GCancellable      *cancellable;
  PhiliaTrainResult *result;
  GError            *error;
  gboolean           done;
  gboolean           destroyed;
} Run;

static void
on_epochs (const PhiliaTrainEpoch *epochs,
           guint                   n_epochs,
           gpointer                user_data)
{
  Run *run = user_data;

  g_assert_false (run->done);
  g_assert_cmpuint (n_epochs, >, 0);
  run->batches++;
  g_array_append_vals (run->epochs, epochs, n_epochs);
  if (run->cancel_at > 0 && run->epochs->len >= run->cancel_at)
    g_cancellable_cancel (run->cancellable);
}

static void
on_destroy (gpointer user_data)
{
  ((Run *) user_data)->destroyed = TRUE;
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->result = philia_train_finish (result, &run->error);
  run->done = TRUE;
}

static void
run_async (Run         *run,
           PhiliaGraph *graph,
           const char  *model,
           int          epochs)
{
  PhiliaTrainParams params;

  philia_train_params_init (&params);
  params.epochs = epochs;
  run->epochs = g_array_new (FALSE, FALSE, sizeof (PhiliaTrainEpoch));
  run->cancellable = g_cancellable_new ();
  params.seed = 7;
  philia_train_async (graph, model, &params, run->cancellable, on_epochs, run,
                      on_destroy, on_done, run);
  while (!run->done || !run->destroyed)
    g_main_context_iteration (NULL, TRUE);
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->epochs, g_array_unref);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->result, philia_train_result_free);
  g_clear_error (&run->error);
  memset (run, 0, sizeof *run);
}

static void
test_async_matches_sync (void)
{
  g_autoptr(PhiliaGraph) graph = ring_graph (90, TRUE);
  g_autoptr(PhiliaTrainResult) sync = NULL;
  g_autoptr(GError) error = NULL;
  PhiliaTrainParams params;
  Run run = { 0 };

  run_async (&run, graph, "gcn", 120);
  g_assert_no_error (run.error);
  g_assert_nonnull (run.result);

  /* Every epoch, in order, before the result, with the result's numbers. */
  g_assert_cmpuint (run.epochs->len, ==, 120);
  for (guint e = 0; e < run.epochs->len; e++)
    {
      PhiliaTrainEpoch *ep = &g_array_index (run.epochs, PhiliaTrainEpoch, e);

      g_assert_cmpuint (ep->epoch, ==, e + 1);
      g_assert_cmpuint (ep->n_epochs, ==, 120);
      g_assert_cmpfloat (ep->loss, ==, run.result->loss[e]);
      g_assert_cmpfloat (ep->val_accuracy, ==, run.result->val_curve[e]);
    }
  g_assert_cmpuint (g_array_index (run.epochs, PhiliaTrainEpoch, 119).best_epoch, ==,
                    run.result->best_epoch);
  g_test_message ("120 epochs in %u deliveries", run.batches);
  g_assert_cmpuint (run.batches, <=, 120);

  /* The worker runs the very same training as the synchronous call. */
  philia_train_params_init (&params);
  params.epochs = 120;
  params.seed = 7;
  sync = philia_train (graph, "gcn", &params, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (sync->loss, 120 * sizeof (double), run.result->loss, 120 * sizeof (double));
  g_assert_cmpmem (sync->predictions, 90 * sizeof (gint32), run.result->predictions,
                   90 * sizeof (gint32));
  run_clear (&run);
}

static void
test_async_cancel (void)
{
  g_autoptr(PhiliaGraph) graph = ring_graph (3000, TRUE);
  Run run = { 0 };

  run.cancel_at = 2;
  run_async (&run, graph, "gat", 100000);
  g_assert_null (run.result);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (run.epochs->len, >=, 2);
  g_assert_cmpuint (run.epochs->len, <, 100000);
  run_clear (&run);
}

static void
test_async_errors (void)
{
  g_autoptr(PhiliaGraph) graph = ring_graph (30, FALSE);
  Run run = { 0 };

  run_async (&run, graph, "gcn", 10);
  g_assert_null (run.result);
  g_assert_error (run.error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_cmpuint (run.epochs->len, ==, 0);
  run_clear (&run);

  run_async (&run, graph, "no-such-model", 10);
  g_assert_error (run.error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND);
  run_clear (&run);
}

static void
test_defaults (void)
{
  PhiliaTrainParams p;
  gboolean needs = TRUE;

  g_assert_true (philia_train_model_defaults ("gat", &p, &needs));
  g_assert_false (needs);
  g_assert_cmpint (p.heads, ==, 8);
  g_assert_cmpfloat (p.lr, ==, 0.005);
  g_assert_true (philia_train_model_defaults ("mlp", &p, &needs));
  g_assert_true (needs);
  /* Unused by an MLP: left at "default". */
  g_assert_cmpint (p.heads, <, 0);
  g_assert_cmpint (p.k, <, 0);
  g_assert_false (philia_train_model_defaults ("nope", &p, NULL));
}

/* Every built-in model's defaults, as its paper gives them (-1: not the
 * model's hyperparameter, left at "default"); a value the caller set is kept. */
static void
test_recipes (void)
{
  static const struct
  {
    const char *id;
    gboolean    needs_features;
    int         epochs;
    double      lr, weight_decay;
    int         hidden;
    double      dropout;
    int         heads, k;
    double      alpha;
  } expected[] = {
    { "mlp",    TRUE,   200, 0.01,  5e-4, 64, 0.5, -1, -1, -1 },
    { "gcn",    FALSE,  200, 0.01,  5e-4, 16, 0.5, -1, -1, -1 },
    { "sgc",    TRUE,   100, 0.2,   5e-5,  0, 0,   -1,  2, -1 },
    { "appnp",  FALSE,  200, 0.01,  5e-3, 64, 0.5, -1, 10, 0.1 },
    { "gat",    FALSE,  200, 0.005, 5e-4,  8, 0.6,  8, -1, -1 },
    { "sage",   FALSE,  200, 0.01,  5e-4, 64, 0.5, -1, -1, -1 },
    { "h2gcn",  FALSE,  200, 0.01,  5e-4, 64, 0.5, -1,  2, -1 },
    { "gprgnn", FALSE, 1000, 0.002, 5e-4, 64, 0.5, -1, 10, 0.1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const PhiliaAlgorithm *algorithm;
      PhiliaTrainParams p;
      gboolean needs = !expected[i].needs_features;

      g_test_message ("%s", expected[i].id);
      g_assert_true (philia_train_model_defaults (expected[i].id, &p, &needs));
      g_assert_cmpint (needs, ==, expected[i].needs_features);
      g_assert_cmpint (p.epochs, ==, expected[i].epochs);
      g_assert_cmpfloat (p.lr, ==, expected[i].lr);
      g_assert_cmpfloat (p.weight_decay, ==, expected[i].weight_decay);
      g_assert_cmpint (p.hidden, ==, expected[i].hidden);
      g_assert_cmpfloat (p.dropout, ==, expected[i].dropout);
      g_assert_cmpint (p.heads, ==, expected[i].heads);
      g_assert_cmpint (p.k, ==, expected[i].k);
      g_assert_cmpfloat (p.alpha, ==, expected[i].alpha);

      /* Set values stay, including a dropout of 0 and an SGC hidden width. */
      algorithm = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MODEL,
                                          expected[i].id);
      g_assert_nonnull (algorithm);
      philia_train_params_init (&p);
      p.epochs = 7;
      p.lr = 0.125;
      p.weight_decay = 0;
      p.hidden = 3;
      p.dropout = 0;
      p.heads = 2;
      p.k = 1;
      p.alpha = 0.5;
      ((const PhiliaModelVTable *)algorithm->vtable)->defaults (&p);
      g_assert_cmpint (p.epochs, ==, 7);
      g_assert_cmpfloat (p.lr, ==, 0.125);
      g_assert_cmpfloat (p.weight_decay, ==, 0);
      g_assert_cmpint (p.hidden, ==, 3);
      g_assert_cmpfloat (p.dropout, ==, 0);
      g_assert_cmpint (p.heads, ==, 2);
      g_assert_cmpint (p.k, ==, 1);
      g_assert_cmpfloat (p.alpha, ==, 0.5);
    }
}

/*
 * A path 0 – 1 – 2 plus 1 – 3, labels 0 0 1 -1, with a hand-made result:
 * CSR rows 0: [1], 1: [0, 2, 3], 2: [1], 3: [1].
 */
static PhiliaGraph *
star_graph (void)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (4);
  g_autoptr(GError) error = NULL;
  gint64 *edges = g_new (gint64, 6);
  gint64 *labels = g_new (gint64, 4);
  PhiliaGraph *graph;

  memcpy (edges, (gint64[]) { 0, 1, 1, 2, 1, 3 }, 6 * sizeof (gint64));
  memcpy (labels, (gint64[]) { 0, 0, 1, -1 }, 4 * sizeof (gint64));
  philia_graph_builder_take_edges (b, edges, 3);
  philia_graph_builder_take_labels (b, labels);
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  return graph;
}

static PhiliaTrainResult *
hand_result (void)
{
  PhiliaTrainResult *r = g_new0 (PhiliaTrainResult, 1);
  PhiliaAttention a = { 0, 2, NULL, NULL };
  /* Per CSR entry, heads (h0, h1). Row 1 puts 0.1/0.3 on node 0, 0.2/0.1 on
   * node 2, 0.4/0.2 on the unlabeled node 3. */
  static const float edges[] = {
    0.6f, 0.5f,                               /* 0 → 1 */
    0.1f, 0.3f, 0.2f, 0.1f, 0.4f, 0.2f,       /* 1 → 0, 2, 3 */
    0.7f, 0.9f,                               /* 2 → 1 */
    0.5f, 0.5f,                               /* 3 → 1 */
  };
  static const float self[] = { 0.4f, 0.5f, 0.3f, 0.4f, 0.3f, 0.1f, 0.5f, 0.5f };

  r->model = g_strdup ("hand");
  r->n_nodes = 4;
  r->n_classes = 2;
  r->predictions = g_new (gint32, 4);
  memcpy (r->predictions, (gint32[]) { 0, 1, 1, 0 }, 4 * sizeof (gint32));
  r->probabilities = g_new (float, 8);
  memcpy (r->probabilities, (float[]) { 0.75f, 0.25f, 0.5f, 0.5f, 0.1f, 0.9f, 1, 0 },
          8 * sizeof (float));
  r->attention = g_array_new (FALSE, FALSE, sizeof (PhiliaAttention));
  a.edges = g_memdup2 (edges, sizeof edges);
  a.self = g_memdup2 (self, sizeof self);
  g_array_append_val (r->attention, a);
  r->weights = g_ptr_array_new ();
  return r;
}

static void
free_hand_result (PhiliaTrainResult *r)
{
  PhiliaAttention *a = &g_array_index (r->attention, PhiliaAttention, 0);

  g_free (a->edges);
  g_free (a->self);
  g_array_set_size (r->attention, 0);
  philia_train_result_free (r);
}

static void
test_csv (void)
{
  g_autoptr(PhiliaGraph) graph = star_graph ();
  PhiliaTrainResult *r = hand_result ();
  g_autofree char *predictions = philia_train_result_predictions_csv (r, graph);
  g_autofree char *attention = philia_train_result_attention_csv (r, graph);
  g_auto(GStrv) lines = g_strsplit (attention, "\n", -1);

  g_assert_cmpstr (predictions, ==,
                   "id,label,prediction,correct,p0,p1\n"
                   "0,0,0,1,0.75,0.25\n"
                   "1,0,1,0,0.5,0.5\n"
                   "2,1,1,1,0.1,0.9\n"
                   "3,-1,0,,1,0\n");
  /* Header, then per node and head the self-loop and the 2m / n entries. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 2 * (4 + 6) + 1);
  g_assert_cmpstr (lines[0], ==, "layer,head,target,source,attention");
  g_assert_cmpstr (lines[1], ==, "0,0,0,0,0.4");
  g_assert_cmpstr (lines[2], ==, "0,0,0,1,0.6");
  g_assert_cmpstr (lines[3], ==, "0,1,0,0,0.5");
  g_assert_cmpstr (lines[6], ==, "0,0,1,0,0.1");
  g_assert_cmpstr (lines[20], ==, "0,1,3,1,0.5");
  free_hand_result (r);
}

static void
test_attention_summaries (void)
{
  g_autoptr(PhiliaGraph) graph = star_graph ();
  PhiliaTrainResult *r = hand_result ();
  double self[4];
  g_autofree double *h1 = philia_train_result_attention_values (r, graph, 0, 1, NULL);
  g_autofree double *mean = philia_train_result_attention_values (r, graph, 0, -1, self);
  g_autofree double *share0 = philia_train_result_same_label_attention (r, graph, 0, 0);
  g_autofree double *share_mean = philia_train_result_same_label_attention (r, graph, 0, -1);

  g_assert_cmpfloat_with_epsilon (h1[1], 0.3, 1e-6);
  g_assert_cmpfloat_with_epsilon (mean[1], 0.2, 1e-6);
  g_assert_cmpfloat_with_epsilon (mean[4], 0.8, 1e-6);
  g_assert_cmpfloat_with_epsilon (self[2], 0.2, 1e-6);

  /* Node 0's only neighbour (1) shares its label: 1. Node 1 (label 0): labeled
   * neighbours 0 (same) and 2 (other), node 3 ignored: 0.1 / (0.1 + 0.2) on
   * head 0, 0.2 / (0.2 + 0.15) on the mean. Node 2: 0. Node 3: unlabeled. */
  g_assert_cmpfloat_with_epsilon (share0[0], 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (share0[1], 1.0 / 3, 1e-6);
  g_assert_cmpfloat_with_epsilon (share_mean[1], 0.2 / 0.35, 1e-6);
  g_assert_cmpfloat (share0[2], ==, 0.0);
  g_assert_true (isnan (share0[3]));

  g_assert_null (philia_train_result_attention_values (r, graph, 1, 0, NULL));
  g_assert_null (philia_train_result_attention_values (r, graph, 0, 2, NULL));
  free_hand_result (r);
}

/* The hand result is a softmax per node and head (row plus self sum to 1);
 * relative to uniform multiplies row v by deg v + 1; the two directions of
 * an edge combine to their larger value or their mean. */
static void
test_attention_views (void)
{
  g_autoptr(PhiliaGraph) graph = star_graph ();
  PhiliaTrainResult *r = hand_result ();
  PhiliaAttention *a = &g_array_index (r->attention, PhiliaAttention, 0);
  double self[4];
  g_autofree double *h0 = philia_train_result_attention_values (r, graph, 0, 0, self);
  g_autofree double *max = NULL;
  g_autofree double *mean = NULL;
  float kept;

  g_assert_true (philia_train_result_attention_is_softmax (r, graph, 0));
  g_assert_false (philia_train_result_attention_is_softmax (r, graph, 1));

  /* Degrees 1, 3, 1, 1: uniform is 1/2, 1/4, 1/2, 1/2. */
  max = g_memdup2 (h0, 6 * sizeof (double));
  philia_attention_relative_to_uniform (graph, max, self);
  g_assert_cmpfloat_with_epsilon (max[0], 0.6 * 2, 1e-6);    /* 0 → 1 */
  g_assert_cmpfloat_with_epsilon (max[1], 0.1 * 4, 1e-6);    /* 1 → 0 */
  g_assert_cmpfloat_with_epsilon (max[3], 0.4 * 4, 1e-6);    /* 1 → 3 */
  g_assert_cmpfloat_with_epsilon (self[1], 0.3 * 4, 1e-6);
  g_assert_cmpfloat_with_epsilon (self[3], 0.5 * 2, 1e-6);
  g_clear_pointer (&max, g_free);

  /* Edge 0–1 is 0.6 from 0 and 0.1 from 1; 1–2 is 0.2 and 0.7; 1–3 is 0.4
   * and 0.5 (head 0). CSR: 0:[1] 1:[0,2,3] 2:[1] 3:[1]. */
  max = g_memdup2 (h0, 6 * sizeof (double));
  mean = g_memdup2 (h0, 6 * sizeof (double));
  philia_attention_combine_directions (graph, max, FALSE);
  philia_attention_combine_directions (graph, mean, TRUE);
  g_assert_cmpfloat_with_epsilon (max[0], 0.6, 1e-6);
  g_assert_cmpfloat_with_epsilon (max[1], 0.6, 1e-6);
  g_assert_cmpfloat_with_epsilon (max[2], 0.7, 1e-6);
  g_assert_cmpfloat_with_epsilon (max[4], 0.7, 1e-6);
  g_assert_cmpfloat_with_epsilon (max[3], 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (max[5], 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (mean[0], 0.35, 1e-6);
  g_assert_cmpfloat_with_epsilon (mean[1], 0.35, 1e-6);
  g_assert_cmpfloat_with_epsilon (mean[2], 0.45, 1e-6);
  g_assert_cmpfloat_with_epsilon (mean[5], 0.45, 1e-6);

  /* A row that no longer sums to 1, or a negative coefficient: not a softmax. */
  kept = a->self[2];
  a->self[2] += 0.01f;
  g_assert_false (philia_train_result_attention_is_softmax (r, graph, 0));
  a->self[2] = kept;
  a->edges[0] = -0.6f;
  a->self[0] = 1.6f;
  g_assert_false (philia_train_result_attention_is_softmax (r, graph, 0));
  free_hand_result (r);
}

/* The view's attention overlay names: every form the syntax allows reads
 * back as written, and near misses are refused, not half-read. */
static void
test_attention_overlay_names (void)
{
  static const struct
  {
    const char *text;
    guint       run, layer;
    int         head;
    gboolean    relative, mean;
    const char *canonical;
  } good[] = {
    { "run:3:attention", 3, 0, -1, FALSE, FALSE, "run:3:attention:0" },
    { "run:3:attention:1", 3, 1, -1, FALSE, FALSE, "run:3:attention:1" },
    { "run:12:attention:1:7", 12, 1, 7, FALSE, FALSE, "run:12:attention:1:7" },
    { "run:1:attention:0:relative", 1, 0, -1, TRUE, FALSE, "run:1:attention:0:relative" },
    { "run:1:attention:2:0:mean", 1, 2, 0, FALSE, TRUE, "run:1:attention:2:0:mean" },
    { "run:1:attention:mean:relative", 1, 0, -1, TRUE, TRUE, "run:1:attention:0:relative:mean" },
  };
  static const char *bad[] = {
    NULL, "", "run:", "run:0:attention", "run:x:attention", "run:3:prediction",
    "run:3:attentions", "run:3:attention:", "run:3:attention:-1", "run:3:attention:1:2:3",
    "run:3:attention:relative:1", "run:3:attention:mean:mean", "run:3:attention:1001",
    "layer:3:attention", "run:3:attention:1x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      PhiliaAttentionOverlay o;
      g_autofree char *text = NULL;

      g_test_message ("%s", good[i].text);
      g_assert_true (philia_attention_overlay_parse (good[i].text, &o));
      g_assert_cmpuint (o.run_id, ==, good[i].run);
      g_assert_cmpuint (o.layer, ==, good[i].layer);
      g_assert_cmpint (o.head, ==, good[i].head);
      g_assert_cmpint (o.relative, ==, good[i].relative);
      g_assert_cmpint (o.mean, ==, good[i].mean);
      text = philia_attention_overlay_format (&o);
      g_assert_cmpstr (text, ==, good[i].canonical);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("refused: %s", bad[i] != NULL ? bad[i] : "(null)");
      g_assert_false (philia_attention_overlay_parse (bad[i], NULL));
    }
}

/* The node colourings from attention the view names: names read back as
 * written, near misses and the edge overlay's flags are refused; the values
 * are the hand result's (see hand_result() and test_attention_summaries()). */
static void
test_attention_nodes (void)
{
  static const struct
  {
    const char          *text;
    PhiliaAttentionNodes what;
    guint                run, layer;
    int                  head;
    gboolean             relative;
    const char          *canonical;
  } good[] = {
    { "run:3:same-label-attention", PHILIA_ATTENTION_NODES_SAME_LABEL, 3, 0, -1, FALSE,
      "run:3:same-label-attention:0" },
    { "run:4:same-label-attention:1:2", PHILIA_ATTENTION_NODES_SAME_LABEL, 4, 1, 2, FALSE,
      "run:4:same-label-attention:1:2" },
    { "run:5:self-attention", PHILIA_ATTENTION_NODES_SELF, 5, 0, -1, FALSE,
      "run:5:self-attention:0" },
    { "run:5:self-attention:0:1:relative", PHILIA_ATTENTION_NODES_SELF, 5, 0, 1, TRUE,
      "run:5:self-attention:0:1:relative" },
  };
  static const char *bad[] = {
    NULL, "", "run:3:attention:0", "run:0:self-attention", "run:3:same-label-attention:relative",
    "run:3:self-attention:mean", "run:3:self-attention:relative:relative",
    "run:3:self-attentions", "run:3:self-attention:1:2:3", "run:3:prediction",
  };
  g_autoptr(PhiliaGraph) graph = star_graph ();
  g_autoptr(PhiliaGraph) other = NULL;
  PhiliaTrainResult *r = hand_result ();
  PhiliaAttentionOverlay o = { 1, 0, 0, FALSE, FALSE };
  g_autofree double *share = NULL;
  g_autofree double *self = NULL;
  g_autofree double *relative = NULL;
  gboolean was_relative = TRUE;
  double vmin = -1, vmax = -1;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      PhiliaAttentionOverlay parsed;
      PhiliaAttentionNodes what;
      g_autofree char *text = NULL;

      g_test_message ("%s", good[i].text);
      g_assert_true (philia_attention_nodes_parse (good[i].text, &what, &parsed));
      g_assert_cmpint (what, ==, good[i].what);
      g_assert_cmpuint (parsed.run_id, ==, good[i].run);
      g_assert_cmpuint (parsed.layer, ==, good[i].layer);
      g_assert_cmpint (parsed.head, ==, good[i].head);
      g_assert_cmpint (parsed.relative, ==, good[i].relative);
      g_assert_false (parsed.mean);
      text = philia_attention_nodes_format (what, &parsed);
      g_assert_cmpstr (text, ==, good[i].canonical);
      /* Not an edge overlay, nor a run colouring of another kind. */
      g_assert_false (philia_attention_overlay_parse (good[i].text, NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("refused: %s", bad[i] != NULL ? bad[i] : "(null)");
      g_assert_false (philia_attention_nodes_parse (bad[i], NULL, NULL));
    }

  /* Same-label share, head 0: 1, 1/3, 0, NaN (test_attention_summaries). */
  share = philia_attention_nodes_values (r, graph, PHILIA_ATTENTION_NODES_SAME_LABEL, &o,
                                         &was_relative, &vmin, &vmax);
  g_assert_nonnull (share);
  g_assert_false (was_relative);
  g_assert_cmpfloat (vmin, ==, 0);
  g_assert_cmpfloat (vmax, ==, 1);
  g_assert_cmpfloat_with_epsilon (share[0], 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (share[1], 1.0 / 3, 1e-6);
  g_assert_cmpfloat (share[2], ==, 0.0);
  g_assert_true (isnan (share[3]));

  /* Self attention, head 0: 0.4, 0.3, 0.3, 0.5 as stored. */
  self = philia_attention_nodes_values (r, graph, PHILIA_ATTENTION_NODES_SELF, &o, NULL, &vmin,
                                        &vmax);
  g_assert_cmpfloat_with_epsilon (self[0], 0.4, 1e-6);
  g_assert_cmpfloat_with_epsilon (self[1], 0.3, 1e-6);
  g_assert_cmpfloat_with_epsilon (self[3], 0.5, 1e-6);
  g_assert_cmpfloat (vmax, ==, 1);
  /* Over uniform, × (deg + 1) with degrees 1, 3, 1, 1: 0.8, 1.2, 0.6, 1.0;
   * the scale reaches the largest. */
  o.relative = TRUE;
  relative = philia_attention_nodes_values (r, graph, PHILIA_ATTENTION_NODES_SELF, &o,
                                            &was_relative, &vmin, &vmax);
  g_assert_true (was_relative);
  g_assert_cmpfloat_with_epsilon (relative[0], 0.8, 1e-6);
  g_assert_cmpfloat_with_epsilon (relative[1], 1.2, 1e-6);
  g_assert_cmpfloat_with_epsilon (relative[2], 0.6, 1e-6);
  g_assert_cmpfloat_with_epsilon (relative[3], 1.0, 1e-6);
  g_assert_cmpfloat (vmin, ==, 0);
  g_assert_cmpfloat_with_epsilon (vmax, 1.2, 1e-6);

  /* No such layer or head, or a run of another graph: nothing. */
  o.layer = 1;
  g_assert_null (philia_attention_nodes_values (r, graph, PHILIA_ATTENTION_NODES_SELF, &o,
                                                NULL, NULL, NULL));
  o.layer = 0;
  o.head = 2;
  g_assert_null (philia_attention_nodes_values (r, graph, PHILIA_ATTENTION_NODES_SAME_LABEL,
                                                &o, NULL, NULL, NULL));
  o.head = 0;
  {
    g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (3);
    g_autoptr(GError) error = NULL;

    philia_graph_builder_take_edges (b, g_memdup2 ((gint64[]) { 0, 1 }, 2 * sizeof (gint64)),
                                     1);
    other = philia_graph_builder_build (b, &error);
    g_assert_no_error (error);
  }
  g_assert_null (philia_attention_nodes_values (r, other, PHILIA_ATTENTION_NODES_SELF, &o,
                                                NULL, NULL, NULL));
  free_hand_result (r);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/Philia/TrainRun/async-matches-sync", test_async_matches_sync);
  g_test_add_func ("/Philia/TrainRun/async-cancel", test_async_cancel);
  g_test_add_func ("/Philia/TrainRun/async-errors", test_async_errors);
  g_test_add_func ("/Philia/TrainRun/defaults", test_defaults);
  g_test_add_func ("/Philia/TrainRun/recipes", test_recipes);
  g_test_add_func ("/Philia/TrainRun/csv", test_csv);
  g_test_add_func ("/Philia/TrainRun/attention-summaries", test_attention_summaries);
  g_test_add_func ("/Philia/TrainRun/attention-views", test_attention_views);
  g_test_add_func ("/Philia/TrainRun/attention-overlay-names", test_attention_overlay_names);
  g_test_add_func ("/Philia/TrainRun/attention-nodes", test_attention_nodes);

  return g_test_run ();
}
