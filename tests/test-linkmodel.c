/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-ops-link-private.h"

/* GNN link predictors: the ops they add (against finite differences), the
 * training loop on graphs whose answer is obvious, and the refusals. */

/* ------------------------------------------------------------ gradients */

typedef PhiliaTensor *(*BuildFunc) (PhiliaTape *tape, PhiliaTensor *x, gpointer data);

/* L = Σ out ⊙ R with R fixed; central differences in double against the
 * backward pass (float32 forward passes: about 1e-3 relative). */
static void
check_gradients (const char   *name,
                 BuildFunc     build,
                 PhiliaTensor *x,
                 gpointer      data)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  g_autofree float *r = NULL;
  g_autofree float *analytic = NULL;
  PhiliaRng rng;
  PhiliaTensor *out;
  gsize n_out;

  philia_rng_init (&rng, 99);
  out = build (tape, x, data);
  n_out = philia_tensor_size (out);
  r = g_new (float, MAX (n_out, 1));
  for (gsize i = 0; i < n_out; i++)
    r[i] = 2 * philia_rng_float (&rng) - 1;
  philia_tensor_zero_grad (x);
  philia_tape_backward_from (tape, out, r);
  g_assert_nonnull (x->grad);
  analytic = g_memdup2 (x->grad, sizeof (float) * philia_tensor_size (x));
  for (gsize i = 0; i < philia_tensor_size (x); i++)
    {
      float saved = x->data[i];
      float h = 1e-2f * MAX (1.0f, fabsf (saved));
      double plus = 0, minus = 0, numeric, err;

      x->data[i] = saved + h;
      philia_tape_reset (tape);
      out = build (tape, x, data);
      for (gsize j = 0; j < n_out; j++)
        plus += (double)out->data[j] * r[j];
      x->data[i] = saved - h;
      philia_tape_reset (tape);
      out = build (tape, x, data);
      for (gsize j = 0; j < n_out; j++)
        minus += (double)out->data[j] * r[j];
      x->data[i] = saved;
      numeric = (plus - minus) / (((double)(saved + h)) - ((double)(saved - h)));
      err = fabs (numeric - analytic[i]) / MAX (1.0, fabs (numeric));
      if (err > 2e-3)
        g_error ("%s: element %" G_GSIZE_FORMAT ": analytic %g, numeric %g", name, i,
                 analytic[i], numeric);
    }
  philia_tape_reset (tape);
}

/* Pairs with a repeated node, a pair (u, u) and a node in no pair. */
static const gint32 pair_src[] = { 0, 1, 2, 0, 3, 1 };
static const gint32 pair_dst[] = { 1, 2, 2, 3, 0, 0 };

static PhiliaTensor *
build_pair_product (PhiliaTape *t, PhiliaTensor *x, gpointer data)
{
  return philia_op_pair_product (t, x, pair_src, pair_dst, G_N_ELEMENTS (pair_src));
}

static PhiliaTensor *
build_pair_dot (PhiliaTape *t, PhiliaTensor *x, gpointer data)
{
  return philia_op_pair_dot (t, x, pair_src, pair_dst, G_N_ELEMENTS (pair_src));
}

static PhiliaTensor *
build_bce (PhiliaTape *t, PhiliaTensor *x, gpointer data)
{
  return philia_op_bce_logits (t, x, data);
}

static PhiliaTensor *
random_param (guint rows,
              guint cols,
              guint seed)
{
  PhiliaTensor *t = philia_tensor_new (rows, cols);
  PhiliaRng rng;

  philia_rng_init (&rng, seed);
  for (gsize i = 0; i < philia_tensor_size (t); i++)
    t->data[i] = 4 * philia_rng_float (&rng) - 2;
  t->requires_grad = TRUE;
  return t;
}

static void
test_ops_gradients (void)
{
  g_autoptr(PhiliaTensor) z = random_param (5, 3, 1);
  g_autoptr(PhiliaTensor) logits = random_param (6, 1, 2);
  const float targets[] = { 1, 0, 1, 0.25f, 0, 1 };

  check_gradients ("pair_product", build_pair_product, z, NULL);
  check_gradients ("pair_dot", build_pair_dot, z, NULL);
  check_gradients ("bce_logits", build_bce, logits, (gpointer)targets);
}

/* Wide rows (29 floats: the kernels' 16- and 8-float blocks and a tail) and
 * enough pairs for the backward pass to split over threads: the pair ops on
 * 1 and 2 threads against the sums in double, the gradient both written
 * fresh and added to one already there. */
static void
test_ops_wide (void)
{
  enum { ROWS = 40, D = 29, N = 3000 };
  g_autofree gint32 *src = g_new (gint32, N);
  g_autofree gint32 *dst = g_new (gint32, N);
  g_autofree float *g = g_new (float, (gsize)N * D);
  g_autofree double *want = g_new0 (double, ROWS * D);
  g_autofree double *want_prod = g_new0 (double, ROWS * D);
  g_autoptr(PhiliaTensor) z = random_param (ROWS, D, 7);
  PhiliaRng rng;

  philia_rng_init (&rng, 5);
  for (guint k = 0; k < N; k++)
    {
      src[k] = (gint32)philia_rng_below (&rng, ROWS - 1);   /* the last row: in no pair */
      dst[k] = k % 97 == 0 ? src[k] : (gint32)philia_rng_below (&rng, ROWS - 1);
    }
  for (gsize i = 0; i < (gsize)N * D; i++)
    g[i] = 2 * philia_rng_float (&rng) - 1;
  for (guint k = 0; k < N; k++)
    for (guint j = 0; j < D; j++)
      {
        double a = z->data[src[k] * D + j], b = z->data[dst[k] * D + j];

        want[src[k] * D + j] += (double)g[k] * b;
        want[dst[k] * D + j] += (double)g[k] * a;
        want_prod[src[k] * D + j] += (double)g[(gsize)k * D + j] * b;
        want_prod[dst[k] * D + j] += (double)g[(gsize)k * D + j] * a;
      }
  for (guint threads = 1; threads <= 2; threads++)
    {
      g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
      PhiliaTensor *dot, *prod;

      dot = philia_op_pair_dot (tape, z, src, dst, N);
      for (guint k = 0; k < N; k++)
        {
          double sum = 0;

          for (guint j = 0; j < D; j++)
            sum += (double)z->data[src[k] * D + j] * z->data[dst[k] * D + j];
          g_assert_cmpfloat_with_epsilon (dot->data[k], sum, 1e-4 * MAX (1.0, fabs (sum)));
        }
      g_clear_pointer (&z->grad, g_free);
      philia_tape_backward_from (tape, dot, g);
      for (guint i = 0; i < ROWS * D; i++)
        g_assert_cmpfloat_with_epsilon (z->grad[i], want[i], 1e-3 * MAX (1.0, fabs (want[i])));
      /* A second pass adds to the gradient already there. */
      philia_tape_reset (tape);
      prod = philia_op_pair_product (tape, z, src, dst, N);
      for (guint j = 0; j < D; j++)
        g_assert_cmpfloat_with_epsilon (prod->data[(gsize)(N - 1) * D + j],
                                        z->data[src[N - 1] * D + j] * z->data[dst[N - 1] * D + j],
                                        1e-6);
      philia_tape_backward_from (tape, prod, g);
      for (guint i = 0; i < ROWS * D; i++)
        {
          double w = want[i] + want_prod[i];

          g_assert_cmpfloat_with_epsilon (z->grad[i], w, 1e-3 * MAX (1.0, fabs (w)));
        }
      for (guint j = 0; j < D; j++)
        g_assert_cmpfloat (z->grad[(ROWS - 1) * D + j], ==, 0);
    }
}

static void
test_ops_values (void)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (2);
  const float zd[] = { 1, 2, 3, -1, 0.5f, 4 };
  const float y[] = { 1, 0, 1 };
  const gint32 src[] = { 0, 1, 0 }, dst[] = { 1, 1, 0 };
  g_autoptr(PhiliaTensor) z = philia_tensor_new_from (2, 3, zd);
  PhiliaTensor *dot, *prod, *bce;
  double expected;

  /* By hand: ⟨z0, z1⟩ = −1 + 1 + 12 = 12, ⟨z1, z1⟩ = 1 + 0.25 + 16, ⟨z0, z0⟩ = 14. */
  dot = philia_op_pair_dot (tape, z, src, dst, 3);
  g_assert_cmpuint (dot->rows, ==, 3);
  g_assert_cmpuint (dot->cols, ==, 1);
  g_assert_cmpfloat_with_epsilon (dot->data[0], 12, 1e-5);
  g_assert_cmpfloat_with_epsilon (dot->data[1], 17.25, 1e-5);
  g_assert_cmpfloat_with_epsilon (dot->data[2], 14, 1e-5);
  prod = philia_op_pair_product (tape, z, src, dst, 3);
  g_assert_cmpuint (prod->cols, ==, 3);
  g_assert_cmpfloat_with_epsilon (prod->data[2], 12, 1e-5);
  g_assert_cmpfloat_with_epsilon (prod->data[3], 1, 1e-5);

  /* BCE of logits 12, 17.25, 14 against 1, 0, 1: mean of log(1 + e^−x) for
   * the positives and log(1 + e^x) for the negative. */
  bce = philia_op_bce_logits (tape, dot, y);
  expected = (log1p (exp (-12.0)) + (17.25 + log1p (exp (-17.25))) + log1p (exp (-14.0))) / 3;
  g_assert_cmpfloat_with_epsilon (bce->data[0], expected, 1e-5);
  /* Logits far out of exp's range stay finite. */
  {
    const float big[] = { 200, -200 };
    const float t2[] = { 0, 1 };
    g_autoptr(PhiliaTensor) b = philia_tensor_new_from (2, 1, big);

    bce = philia_op_bce_logits (tape, b, t2);
    g_assert_cmpfloat_with_epsilon (bce->data[0], 200, 1e-3);
  }
  bce = philia_op_bce_logits (tape, philia_tape_constant (tape, 0, 1, NULL), NULL);
  g_assert_true (isnan (bce->data[0]));
}

/* The fused bias-ReLU-dropout ops against the chains of public ops they
 * replace. Inputs keep |x + b| ≥ 0.1, clear of ReLU's kink for the central
 * differences of step 1e-2. */
static PhiliaTensor *
kink_free_input (guint              rows,
                 guint              cols,
                 const PhiliaTensor *b,
                 guint              seed)
{
  PhiliaTensor *x = random_param (rows, cols, seed);

  for (guint r = 0; r < rows; r++)
    for (guint j = 0; j < cols; j++)
      {
        float *v = &x->data[(gsize)r * cols + j];
        float mag = 0.1f + fabsf (*v);

        *v = (*v < 0 ? -mag : mag) - b->data[j];
      }
  return x;
}

static PhiliaTensor *fused_b, *fused_w;

static PhiliaTensor *
build_bias_relu (PhiliaTape *t, PhiliaTensor *x, gpointer data)
{
  return _philia_op_bias_relu_dropout (t, x, fused_b, 0);
}

static PhiliaTensor *
build_bias_relu_dot (PhiliaTape *t, PhiliaTensor *x, gpointer data)
{
  return _philia_op_bias_relu_dropout_dot (t, x, fused_b, fused_w, 0);
}

static void
assert_close (const float *got,
              const float *want,
              gsize        n,
              double       tolerance)
{
  for (gsize i = 0; i < n; i++)
    if (!(fabs ((double)got[i] - want[i]) <= tolerance * MAX (1.0, fabs (want[i]))))
      g_error ("element %" G_GSIZE_FORMAT ": %g, expected %g", i, got[i], want[i]);
}

/* Wide rows (29: the 16- and 8-lane blocks and a tail) over more rows than
 * one chunk of the dot's gradient sums; dropout on (the masks from tapes
 * seeded alike), every gradient written fresh. */
static void
test_fused_ops (void)
{
  enum { ROWS = 150, D = 29 };
  g_autoptr(PhiliaTensor) b = random_param (1, D, 11);
  g_autoptr(PhiliaTensor) w = random_param (D, 1, 12);
  g_autoptr(PhiliaTensor) x = kink_free_input (ROWS, D, b, 13);
  g_autofree float *g = g_new (float, (gsize)ROWS * D);
  g_autofree float *want_x = NULL, *want_b = NULL, *want_w = NULL, *want_out = NULL;
  g_autofree float *first_x = NULL, *first_out = NULL;
  PhiliaRng rng;

  fused_b = b;
  fused_w = w;
  check_gradients ("bias_relu_dropout", build_bias_relu, x, NULL);
  check_gradients ("bias_relu_dropout_dot", build_bias_relu_dot, x, NULL);
  philia_rng_init (&rng, 14);
  for (gsize i = 0; i < (gsize)ROWS * D; i++)
    g[i] = 2 * philia_rng_float (&rng) - 1;

  /* bias + ReLU + dropout: the add and the relu-dropout op, bit for bit. */
  for (guint fused = 0; fused < 2; fused++)
    {
      g_autoptr(PhiliaTape) tape = philia_tape_new (2);
      PhiliaTensor *out;

      philia_rng_init (philia_tape_get_rng (tape), 21);
      philia_tensor_zero_grad (x);
      philia_tensor_zero_grad (b);
      out = fused ? _philia_op_bias_relu_dropout (tape, x, b, 0.5f)
                  : philia_op_relu_dropout (tape, philia_op_add (tape, x, b), 0.5f);
      philia_tape_backward_from (tape, out, g);
      if (!fused)
        {
          want_out = g_memdup2 (out->data, sizeof (float) * ROWS * D);
          want_x = g_memdup2 (x->grad, sizeof (float) * ROWS * D);
          want_b = g_memdup2 (b->grad, sizeof (float) * D);
          continue;
        }
      g_assert_cmpmem (out->data, sizeof (float) * ROWS * D, want_out, sizeof (float) * ROWS * D);
      g_assert_cmpmem (x->grad, sizeof (float) * ROWS * D, want_x, sizeof (float) * ROWS * D);
      g_assert_cmpmem (b->grad, sizeof (float) * D, want_b, sizeof (float) * D);
    }
  g_clear_pointer (&want_out, g_free);
  g_clear_pointer (&want_x, g_free);
  g_clear_pointer (&want_b, g_free);

  /* … then the weights of width 1: the chain of public ops to a rounding,
   * and the same bits on 1 and 2 threads. */
  for (guint run = 0; run < 3; run++)
    {
      g_autoptr(PhiliaTape) tape = philia_tape_new (run == 2 ? 2 : 1);
      PhiliaTensor *out;

      philia_rng_init (philia_tape_get_rng (tape), 22);
      philia_tensor_zero_grad (x);
      philia_tensor_zero_grad (b);
      philia_tensor_zero_grad (w);
      out = run == 0 ? philia_op_matmul (tape, philia_op_relu_dropout (tape, philia_op_add (tape,
                                                                                           x, b),
                                                                       0.5f), w)
                     : _philia_op_bias_relu_dropout_dot (tape, x, b, w, 0.5f);
      g_assert_cmpuint (out->rows, ==, ROWS);
      g_assert_cmpuint (out->cols, ==, 1);
      philia_tape_backward_from (tape, out, g);
      if (run == 0)
        {
          want_out = g_memdup2 (out->data, sizeof (float) * ROWS);
          want_x = g_memdup2 (x->grad, sizeof (float) * ROWS * D);
          want_b = g_memdup2 (b->grad, sizeof (float) * D);
          want_w = g_memdup2 (w->grad, sizeof (float) * D);
          continue;
        }
      assert_close (out->data, want_out, ROWS, 1e-5);
      assert_close (x->grad, want_x, (gsize)ROWS * D, 1e-6);
      assert_close (b->grad, want_b, D, 1e-5);
      assert_close (w->grad, want_w, D, 1e-5);
      if (run == 1)
        {
          first_out = g_memdup2 (out->data, sizeof (float) * ROWS);
          first_x = g_memdup2 (w->grad, sizeof (float) * D);
        }
      else
        {
          g_assert_cmpmem (out->data, sizeof (float) * ROWS, first_out, sizeof (float) * ROWS);
          g_assert_cmpmem (w->grad, sizeof (float) * D, first_x, sizeof (float) * D);
        }
    }

  /* Outside training neither drops anything: ReLU (x + b) · w. */
  {
    g_autoptr(PhiliaTape) tape = philia_tape_new (1);
    PhiliaTensor *act, *dot;

    philia_tape_set_training (tape, FALSE);
    act = _philia_op_bias_relu_dropout (tape, x, b, 0.5f);
    dot = _philia_op_bias_relu_dropout_dot (tape, x, b, w, 0.5f);
    for (guint r = 0; r < ROWS; r++)
      {
        double sum = 0;

        for (guint j = 0; j < D; j++)
          {
            double v = MAX (0.0, (double)x->data[r * D + j] + b->data[j]);

            g_assert_cmpfloat_with_epsilon (act->data[r * D + j], v, 1e-6);
            sum += v * w->data[j];
          }
        g_assert_cmpfloat_with_epsilon (dot->data[r], sum, 1e-4 * MAX (1.0, fabs (sum)));
      }
  }
  fused_b = fused_w = NULL;
}

/* ---------------------------------------------------------------- graphs */

/* Two cliques of @size (nodes 0…size−1 and size…2size−1), @extra isolated
 * nodes after them, and with @features a one-hot of the clique (plus a
 * constant column). The answer is obvious: a pair is a link exactly when
 * both ends are in one clique. */
static PhiliaGraph *
two_cliques (guint    size,
             guint    extra,
             gboolean features)
{
  guint n = 2 * size + extra;
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (gint64));
  GError *error = NULL;
  PhiliaGraph *graph;

  for (guint c = 0; c < 2; c++)
    for (guint i = 0; i < size; i++)
      for (guint j = i + 1; j < size; j++)
        {
          gint64 u = c * size + i, v = c * size + j;

          g_array_append_val (edges, u);
          g_array_append_val (edges, v);
        }
  philia_graph_builder_take_edges (builder, g_memdup2 (edges->data, sizeof (gint64) * edges->len),
                                   edges->len / 2);
  if (features)
    {
      float *x = g_new0 (float, n * 3);

      for (guint v = 0; v < n; v++)
        {
          if (v < 2 * size)
            x[v * 3 + v / size] = 1;
          x[v * 3 + 2] = 1;
        }
      philia_graph_builder_take_features (builder, x, 3);
    }
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  return graph;
}

static void
small_params (PhiliaLinkModelParams *p)
{
  philia_link_model_params_init (p);
  p->hidden = 16;
  p->epochs = 80;
  p->patience = 0;
  p->dropout = 0;
  p->n_threads = 1;
  p->seed = 3;
}

/* The result's metrics are the evaluation's own, recomputed from its scores. */
static void
assert_consistent (const PhiliaLinkTrainResult *r,
                   const PhiliaLinkSplit       *split)
{
  const PhiliaLinkpredResult *e = r->result;

  g_assert_cmpint (e->n_test, ==, split->n_test);
  for (guint k = 0; k < G_N_ELEMENTS (philia_linkpred_hits_ks); k++)
    g_assert_cmpfloat (e->hits[k], ==,
                       philia_linkpred_hits_at_k (e->test_pos, e->n_test, e->test_neg, e->n_test,
                                                  philia_linkpred_hits_ks[k]));
  g_assert_cmpfloat (e->auc, ==, philia_linkpred_auc (e->test_pos, e->n_test, e->test_neg,
                                                      e->n_test));
  g_assert_cmpuint (r->best_epoch, >=, 1);
  g_assert_cmpuint (r->best_epoch, <=, r->n_epochs);
  g_assert_cmpfloat (r->best_val_hits, ==, r->val_hits[r->best_epoch - 1]);
}

/* More pairs scored after training: a test edge scores what the evaluation
 * gave it, and a pair's rank counts the negatives scoring above it. */
static void
assert_pairs_scored (PhiliaLinkTrainResult *r,
                     const PhiliaLinkSplit *split,
                     PhiliaGraph           *graph)
{
  g_autoptr(PhiliaProximityNegatives) negatives = NULL;
  g_autofree double *scores = g_new (double, MAX (split->n_test, 1));
  g_autofree double *neg_scores = NULL;
  const gint64 bad[2] = { 0, philia_graph_get_n_nodes (graph) };
  GError *error = NULL;
  gsize n_neg;

  g_assert_true (philia_link_train_result_score_pairs (r, split->test, split->n_test, scores,
                                                       &error));
  g_assert_no_error (error);
  /* float32 logits: batches of another size may round differently. */
  for (gint64 i = 0; i < split->n_test; i++)
    g_assert_cmpfloat_with_epsilon (scores[i], r->result->test_pos[i],
                                    1e-5 * (1 + fabs (r->result->test_pos[i])));
  g_assert_false (philia_link_train_result_score_pairs (r, bad, 1, scores, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_clear_error (&error);

  negatives = philia_proximity_negatives_new (graph, NULL, 30, 0, NULL, &error);
  g_assert_no_error (error);
  n_neg = philia_proximity_negatives_get_n_pairs (negatives);
  neg_scores = g_new (double, n_neg + 1);
  for (gint64 i = 0; i < split->n_test; i++)
    {
      g_autofree gint64 *batch = g_new (gint64, 2 * (n_neg + 1));
      double score;
      gint64 above, want = 0;

      /* The pair and the negatives in one batch, as a rank compares them. */
      memcpy (batch, split->test + 2 * i, 2 * sizeof (gint64));
      memcpy (batch + 2, philia_proximity_negatives_get_pairs (negatives),
              2 * n_neg * sizeof (gint64));
      g_assert_true (philia_link_train_result_score_pairs (r, batch, (gint64)n_neg + 1,
                                                           neg_scores, &error));

      g_assert_true (philia_link_train_result_rank_pair (r, negatives, (guint)split->test[2 * i],
                                                         (guint)split->test[2 * i + 1], &score,
                                                         &above, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (score, ==, neg_scores[0]);
      g_assert_cmpfloat_with_epsilon (score, scores[i], 1e-5 * (1 + fabs (scores[i])));
      for (gsize k = 1; k <= n_neg; k++)
        want += neg_scores[k] > score;
      g_assert_cmpint (above, ==, want);
    }
  /* Without negatives, no rank. */
  {
    double score;
    gint64 above;

    g_assert_true (philia_link_train_result_rank_pair (r, NULL, 0, 1, &score, &above, &error));
    g_assert_cmpint (above, ==, -1);
  }
}

static void
count_epoch (const PhiliaLinkTrainEpoch *epoch,
             gpointer                    data)
{
  GArray *seen = data;

  g_assert_cmpuint (epoch->epoch, ==, seen->len + 1);
  g_assert_true (isfinite (epoch->loss));
  g_array_append_val (seen, epoch->loss);
}

static void
test_cliques (void)
{
  const char *models[] = { "gcn", "sage", "mlp" };

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    for (guint d = 0; d < 2; d++)
      {
        g_autoptr(PhiliaGraph) graph = two_cliques (8, 2, TRUE);
        g_autoptr(PhiliaLinkSplit) split = NULL;
        g_autoptr(PhiliaLinkTrainResult) r = NULL;
        g_autoptr(GArray) losses = g_array_new (FALSE, FALSE, sizeof (double));
        g_autofree char *name = NULL;
        PhiliaLinkModelParams p;
        GError *error = NULL;

        split = philia_link_split_new (graph, 0.05, 0.10, 10, 1, &error);
        g_assert_no_error (error);
        small_params (&p);
        p.decoder = d ? PHILIA_LINK_DECODER_MLP : PHILIA_LINK_DECODER_DOT;
        r = philia_link_train (split, models[m], &p, count_epoch, losses, NULL, NULL, &error);
        g_assert_no_error (error);
        g_assert_nonnull (r);
        assert_consistent (r, split);
        g_assert_cmpuint (losses->len, ==, r->n_epochs);
        g_assert_cmpuint (r->n_epochs, ==, 80);
        g_assert_cmpstr (r->model, ==, models[m]);
        name = d ? g_strdup_printf ("%s-mlp", models[m]) : g_strdup (models[m]);
        g_assert_cmpstr (r->result->name, ==, name);
        /* Every test edge is inside a clique and every negative across:
         * all of them ranked right, and the loss came down. */
        g_test_message ("%s/%s: auc %.3f, loss %.3f → %.3f", models[m], d ? "mlp" : "dot",
                        r->result->auc, g_array_index (losses, double, 0),
                        g_array_index (losses, double, losses->len - 1));
        g_assert_cmpfloat (r->result->auc, >=, 0.95);
        g_assert_cmpfloat (g_array_index (losses, double, losses->len - 1), <,
                           0.5 * g_array_index (losses, double, 0));
        g_assert_false (r->identity_features);
        assert_pairs_scored (r, split, graph);
      }
}

/* Without features GCN learns a free embedding per node (one-hot ids) and
 * still separates the cliques; the MLP has nothing to read and says so. */
static void
test_featureless (void)
{
  g_autoptr(PhiliaGraph) graph = two_cliques (8, 0, FALSE);
  g_autoptr(PhiliaLinkSplit) split = NULL;
  g_autoptr(PhiliaLinkTrainResult) r = NULL;
  PhiliaLinkModelParams p;
  GError *error = NULL;

  split = philia_link_split_new (graph, 0.05, 0.10, 10, 2, &error);
  g_assert_no_error (error);
  small_params (&p);
  r = philia_link_train (split, "gcn", &p, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (r->identity_features);
  g_assert_cmpfloat (r->result->auc, >=, 0.95);
  g_clear_pointer (&r, philia_link_train_result_free);

  r = philia_link_train (split, "mlp", &p, NULL, NULL, NULL, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "node features, and the graph has none."));
  g_clear_error (&error);
}

static void
test_refusals (void)
{
  g_autoptr(PhiliaGraphBuilder) empty_builder = philia_graph_builder_new (0);
  g_autoptr(PhiliaGraphBuilder) edgeless_builder = philia_graph_builder_new (10);
  g_autoptr(PhiliaGraph) empty = philia_graph_builder_build (empty_builder, NULL);
  g_autoptr(PhiliaGraph) edgeless = philia_graph_builder_build (edgeless_builder, NULL);
  g_autoptr(PhiliaGraph) cliques = two_cliques (8, 0, TRUE);
  g_autoptr(PhiliaLinkSplit) split = NULL;
  PhiliaLinkModelParams p;
  GError *error = NULL;
  struct { const char *field; int value; } bad[] = {
    { "epochs", 0 }, { "hidden", 0 }, { "layers", 0 }, { "decoder_layers", 0 },
    { "patience", -1 },
  };

  small_params (&p);
  g_assert_nonnull (empty);
  g_assert_nonnull (edgeless);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PhiliaLinkSplit) s = philia_link_split_new (i ? edgeless : empty, 0.05, 0.10, 5,
                                                            0, &error);

      g_assert_no_error (error);
      g_assert_null (philia_link_train (s, "gcn", &p, NULL, NULL, NULL, NULL, &error));
      g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, "The graph has no training edges to learn links from.");
      g_clear_error (&error);
    }

  split = philia_link_split_new (cliques, 0.05, 0.10, 5, 0, &error);
  g_assert_no_error (error);
  g_assert_null (philia_link_train (split, "no-such-model", &p, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
  g_clear_error (&error);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      PhiliaLinkModelParams q = p;

      if (g_str_equal (bad[i].field, "epochs")) q.epochs = bad[i].value;
      if (g_str_equal (bad[i].field, "hidden")) q.hidden = bad[i].value;
      if (g_str_equal (bad[i].field, "layers")) q.layers = bad[i].value;
      if (g_str_equal (bad[i].field, "decoder_layers")) q.decoder_layers = bad[i].value;
      if (g_str_equal (bad[i].field, "patience")) q.patience = bad[i].value;
      g_assert_null (philia_link_train (split, "gcn", &q, NULL, NULL, NULL, NULL, &error));
      g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
      g_clear_error (&error);
    }
  {
    PhiliaLinkModelParams q = p;

    q.lr = 0;
    g_assert_null (philia_link_train (split, "gcn", &q, NULL, NULL, NULL, NULL, &error));
    g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
    g_clear_error (&error);
    q = p;
    q.dropout = 1;
    g_assert_null (philia_link_train (split, "gcn", &q, NULL, NULL, NULL, NULL, &error));
    g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
    g_clear_error (&error);
  }

  /* A split with training edges but no validation edge has nothing to pick
   * the epoch with. */
  {
    g_autoptr(PhiliaLinkSplit) s = philia_link_split_new (cliques, 0, 0.10, 5, 0, &error);

    g_assert_no_error (error);
    g_assert_null (philia_link_train (s, "gcn", &p, NULL, NULL, NULL, NULL, &error));
    g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
    g_clear_error (&error);
  }
}

/* The same seed gives the same run; patience stops it where it says. */
static void
test_seed_and_patience (void)
{
  g_autoptr(PhiliaGraph) graph = two_cliques (10, 3, TRUE);
  g_autoptr(PhiliaLinkSplit) split = philia_link_split_new (graph, 0.05, 0.10, 10, 4, NULL);
  g_autoptr(PhiliaLinkTrainResult) a = NULL;
  g_autoptr(PhiliaLinkTrainResult) b = NULL;
  g_autoptr(PhiliaLinkTrainResult) c = NULL;
  PhiliaLinkModelParams p;
  GError *error = NULL;

  small_params (&p);
  p.dropout = 0.3;
  p.epochs = 30;
  a = philia_link_train (split, "sage", &p, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  b = philia_link_train (split, "sage", &p, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (a->loss, sizeof (double) * a->n_epochs, b->loss, sizeof (double) * b->n_epochs);
  g_assert_cmpmem (a->result->test_pos, sizeof (double) * a->result->n_test,
                   b->result->test_pos, sizeof (double) * b->result->n_test);
  p.seed = 4;
  c = philia_link_train (split, "sage", &p, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (memcmp (a->loss, c->loss, sizeof (double) * a->n_epochs) != 0);
  g_clear_pointer (&c, philia_link_train_result_free);

  p.epochs = 500;
  p.patience = 5;
  c = philia_link_train (split, "gcn", &p, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c->n_epochs, <, 500);
  g_assert_cmpuint (c->n_epochs, ==, c->best_epoch + 5);
}

/* ----------------------------------------------------------------- async */

typedef struct
{
  GMainLoop             *loop;
  PhiliaLinkTrainResult *result;
  GError                *error;
  guint                  epochs;
  guint                  epochs_at_result;
  gboolean               destroyed;
  GCancellable          *cancel_at_3;
} AsyncRun;

static void
async_epoch (const PhiliaLinkTrainEpoch *epoch,
             gpointer                    data)
{
  AsyncRun *run = data;

  g_assert_cmpuint (epoch->epoch, ==, ++run->epochs);
  if (run->cancel_at_3 != NULL && epoch->epoch == 3)
    g_cancellable_cancel (run->cancel_at_3);
}

static void
async_destroy (gpointer data)
{
  AsyncRun *run = data;

  run->destroyed = TRUE;
}

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  AsyncRun *run = data;

  run->epochs_at_result = run->epochs;
  run->result = philia_link_train_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
test_async (void)
{
  g_autoptr(PhiliaGraph) graph = two_cliques (8, 0, TRUE);
  g_autoptr(PhiliaLinkSplit) split = philia_link_split_new (graph, 0.05, 0.10, 10, 5, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PhiliaProgress) progress = philia_progress_new ();
  AsyncRun run = { loop };
  PhiliaLinkModelParams p;

  small_params (&p);
  p.epochs = 20;
  philia_link_train_async (split, "gcn", &p, async_epoch, &run, async_destroy, progress, NULL,
                           async_done, &run);
  g_main_loop_run (loop);
  g_assert_no_error (run.error);
  g_assert_nonnull (run.result);
  /* Every epoch arrived, before the result. */
  g_assert_cmpuint (run.epochs_at_result, ==, 20);
  g_assert_cmpuint (run.result->n_epochs, ==, 20);
  g_assert_true (run.destroyed);
  g_clear_pointer (&run.result, philia_link_train_result_free);

  /* Cancelled from the third epoch's callback: the run stops and says so. */
  run = (AsyncRun) { loop };
  run.cancel_at_3 = cancellable;
  p.epochs = 100000;
  philia_link_train_async (split, "gcn", &p, async_epoch, &run, NULL, NULL, cancellable,
                           async_done, &run);
  g_main_loop_run (loop);
  g_assert_null (run.result);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (run.epochs, <, 100000);
  g_clear_error (&run.error);
}

/* A link model registered from outside, as a plugin does: a free
 * embedding per node (no message passing), trained like the built-ins. */
static gpointer
free_embedding_create (PhiliaLinkModelContext *ctx,
                       GError                **error)
{
  guint n = philia_graph_get_n_nodes (philia_link_model_context_get_graph (ctx));

  return philia_link_model_context_add_parameter (ctx, n,
                                                  philia_link_model_context_get_params (ctx)->hidden,
                                                  TRUE);
}

static PhiliaTensor *
free_embedding_encode (gpointer                model,
                       PhiliaLinkModelContext *ctx,
                       PhiliaTape             *tape)
{
  return model;
}

static void
free_embedding_free (gpointer model)
{
  /* The parameter belongs to the context. */
}

static void
test_registered_model (void)
{
  static const PhiliaLinkModelVTable vtable = {
    FALSE, free_embedding_create, free_embedding_encode, free_embedding_free,
  };
  const PhiliaAlgorithm algorithm = {
    "test-embedding", PHILIA_FAMILY_LINK_MODEL, "Free embedding", "One vector per node.",
    "test", &vtable, NULL,
  };
  g_autoptr(PhiliaGraph) graph = two_cliques (8, 0, FALSE);
  g_autoptr(PhiliaLinkSplit) split = philia_link_split_new (graph, 0.05, 0.10, 10, 6, NULL);
  g_autoptr(PhiliaLinkTrainResult) r = NULL;
  PhiliaLinkModelParams p;
  GError *error = NULL;

  g_assert_true (philia_registry_add (philia_registry_get_default (), &algorithm, &error));
  g_assert_no_error (error);
  small_params (&p);
  p.epochs = 150;
  r = philia_link_train (split, "test-embedding", &p, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->result->name, ==, "test-embedding");
  assert_consistent (r, split);
  /* Well above chance (0.5); below the GCN's 1.0, as the held-out edges
   * are non-training pairs the negatives may draw, and nothing smooths a
   * free embedding over its neighbours. */
  g_assert_cmpfloat (r->result->auc, >=, 0.75);
  philia_registry_remove_provider (philia_registry_get_default (), "test");
}

/* The registry lists the built-ins under their own family. */
static void
test_registry (void)
{
  g_autoptr(GPtrArray) list = NULL;

  philia_core_init ();
  list = philia_registry_list (philia_registry_get_default (), PHILIA_FAMILY_LINK_MODEL);
  g_assert_cmpuint (list->len, >=, 3);
  g_assert_cmpstr (philia_family_to_string (PHILIA_FAMILY_LINK_MODEL), ==, "link-model");
  /* The older families keep their numbers (plugins built before still load). */
  g_assert_cmpint (PHILIA_FAMILY_EXPORTER, ==, 5);
  g_assert_cmpint (PHILIA_FAMILY_LINK_MODEL, ==, 6);
  for (guint i = 0; i < 3; i++)
    g_assert_nonnull (philia_registry_lookup (philia_registry_get_default (),
                                              PHILIA_FAMILY_LINK_MODEL,
                                              (const char *[]) { "gcn", "sage", "mlp" }[i]));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/linkmodel/ops-gradients", test_ops_gradients);
  g_test_add_func ("/linkmodel/ops-values", test_ops_values);
  g_test_add_func ("/linkmodel/ops-wide", test_ops_wide);
  g_test_add_func ("/linkmodel/fused-ops", test_fused_ops);
  g_test_add_func ("/linkmodel/registry", test_registry);
  g_test_add_func ("/linkmodel/cliques", test_cliques);
  g_test_add_func ("/linkmodel/featureless", test_featureless);
  g_test_add_func ("/linkmodel/refusals", test_refusals);
  g_test_add_func ("/linkmodel/seed-and-patience", test_seed_and_patience);
  g_test_add_func ("/linkmodel/async", test_async);
  g_test_add_func ("/linkmodel/registered-model", test_registered_model);
  return g_test_run ();
}
