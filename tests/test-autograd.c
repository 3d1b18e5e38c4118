/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "autograd-test-util.h"
#include "philia-tape-private.h"

/* Every op's backward pass and values (autograd-test-util.h says how); the
 * sparse products are in test-autograd-spmm.c. */

static PhiliaTensor *
build_matmul (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_matmul (t, in[0], in[1]);
}

static void
test_matmul (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[2];

  philia_rng_init (&rng, 1);
  in[0] = param (5, 4, &rng);
  in[1] = param (4, 3, &rng);
  check_gradients ("matmul", build_matmul, in, 2, NULL, 2e-3);
  FREE_ALL (in);
}

static PhiliaTensor *
build_linear (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_linear (t, in[0], in[1], in[2]);
}

/* Gradients of X W + b for all three inputs, and the same values as matmul
 * then add; a gradient first reached by a product is written, a second one
 * added to it (x used twice). */
static void
test_linear (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[3];
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *a, *b, *twice;

  philia_rng_init (&rng, 3);
  in[0] = param (6, 4, &rng);
  in[1] = param (4, 3, &rng);
  in[2] = param (1, 3, &rng);
  check_gradients ("linear", build_linear, in, 3, NULL, 2e-3);

  a = philia_op_linear (tape, in[0], in[1], in[2]);
  b = philia_op_add (tape, philia_op_matmul (tape, in[0], in[1]), in[2]);
  for (gsize i = 0; i < philia_tensor_size (a); i++)
    g_assert_cmpfloat_with_epsilon (a->data[i], b->data[i], 1e-6);

  /* d/dx of sum(x W + b) + sum(x W) is 2 · (row sums of W) in every row. */
  philia_tape_reset (tape);
  for (guint k = 0; k < 3; k++)
    g_clear_pointer (&in[k]->grad, g_free);
  twice = philia_op_add (tape, philia_op_linear (tape, in[0], in[1], in[2]),
                         philia_op_matmul (tape, in[0], in[1]));
  {
    g_autofree float *ones = g_new (float, philia_tensor_size (twice));

    for (gsize i = 0; i < philia_tensor_size (twice); i++)
      ones[i] = 1;
    philia_tape_backward_from (tape, twice, ones);
  }
  for (guint r = 0; r < 6; r++)
    for (guint c = 0; c < 4; c++)
      {
        float expect = 0;

        for (guint j = 0; j < 3; j++)
          expect += 2 * in[1]->data[c * 3 + j];
        g_assert_cmpfloat_with_epsilon (in[0]->grad[r * 4 + c], expect, 1e-5);
      }
  for (guint j = 0; j < 3; j++)
    g_assert_cmpfloat_with_epsilon (in[2]->grad[j], 6, 1e-6);
  philia_tape_reset (tape);
  FREE_ALL (in);
}

static PhiliaTensor *
build_add (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_add (t, philia_op_add (t, in[0], in[1]), in[2]);
}

static PhiliaTensor *
build_mul (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_mul (t, philia_op_mul (t, in[0], in[1]), in[2]);
}

static PhiliaTensor *
build_scale (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_scale (t, in[0], -0.7f);
}

static void
test_elementwise (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[3];

  philia_rng_init (&rng, 4);
  in[0] = param (4, 3, &rng);
  in[1] = param (4, 3, &rng);
  in[2] = param (1, 3, &rng);   /* broadcast row */
  check_gradients ("add", build_add, in, 3, NULL, 2e-3);
  check_gradients ("mul", build_mul, in, 3, NULL, 2e-3);
  check_gradients ("scale", build_scale, in, 1, NULL, 2e-3);
  FREE_ALL (in);
}

static PhiliaTensor *
build_relu (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_relu (t, in[0]);
}

static PhiliaTensor *
build_leaky (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_leaky_relu (t, in[0], 0.2f);
}

static PhiliaTensor *
build_elu (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_elu (t, in[0], 1.0f);
}

static PhiliaTensor *
build_tanh (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_tanh (t, in[0]);
}

static PhiliaTensor *
build_sigmoid (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_sigmoid (t, in[0]);
}

static void
test_activations (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[1];

  philia_rng_init (&rng, 5);
  in[0] = param (6, 5, &rng);
  check_gradients ("relu", build_relu, in, 1, NULL, 2e-3);
  check_gradients ("leaky_relu", build_leaky, in, 1, NULL, 2e-3);
  check_gradients ("elu", build_elu, in, 1, NULL, 2e-3);
  check_gradients ("tanh", build_tanh, in, 1, NULL, 2e-3);
  check_gradients ("sigmoid", build_sigmoid, in, 1, NULL, 2e-3);
  FREE_ALL (in);

  /* ELU's vectorised e^x − 1 against libm's, across both of its ranges. */
  {
    g_autoptr(PhiliaTape) tape = philia_tape_new (1);
    g_autoptr(PhiliaTensor) x = philia_tensor_new (1, 2003);
    PhiliaTensor *y;

    for (guint i = 0; i < 2003; i++)
      x->data[i] = -12.0f + 14.0f * i / 2002;
    y = philia_op_elu (tape, x, 1.0f);
    for (guint i = 0; i < 2003; i++)
      {
        double want = x->data[i] > 0 ? x->data[i] : expm1 ((double)x->data[i]);

        g_assert_cmpfloat_with_epsilon (y->data[i], want, 2e-7 * MAX (1.0, fabs (want)));
      }
  }
}

static PhiliaTensor *
build_dropout (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_dropout (t, in[0], 0.5f);
}

static void
test_dropout (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[1];
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  g_autoptr(PhiliaTensor) big = philia_tensor_new (100, 100);
  PhiliaTensor *out;
  guint zeros = 0;

  philia_rng_init (&rng, 6);
  in[0] = param (6, 5, &rng);
  check_gradients ("dropout", build_dropout, in, 1, NULL, 2e-3);
  FREE_ALL (in);

  /* Inverted dropout: about p zeros, survivors scaled by 1/(1−p); identity in eval. */
  for (gsize i = 0; i < 10000; i++)
    big->data[i] = 1;
  out = philia_op_dropout (tape, big, 0.5f);
  for (gsize i = 0; i < 10000; i++)
    {
      g_assert_true (out->data[i] == 0 || out->data[i] == 2);
      zeros += out->data[i] == 0;
    }
  g_assert_cmpuint (zeros, >, 4700);
  g_assert_cmpuint (zeros, <, 5300);
  philia_tape_set_training (tape, FALSE);
  g_assert_true (philia_op_dropout (tape, big, 0.5f) == big);

  /* Masks at p = 0.6 on 10^5 elements, odd size (the eight-lane tail): the
   * dropped share within 4 standard deviations of p. */
  {
    g_autoptr(PhiliaTensor) odd = philia_tensor_new (1, 100003);

    philia_tape_set_training (tape, TRUE);
    for (gsize i = 0; i < 100003; i++)
      odd->data[i] = 1;
    out = philia_op_dropout (tape, odd, 0.6f);
    zeros = 0;
    for (gsize i = 0; i < 100003; i++)
      zeros += out->data[i] == 0;
    g_assert_cmpfloat (fabs (zeros / 100003.0 - 0.6), <, 4 * sqrt (0.24 / 100003));
  }
}

static PhiliaTensor *
build_relu_dropout (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_relu_dropout (t, in[0], 0.4f);
}

/* The fused op: its gradient, and the same values and gradient bits as
 * dropout (relu (x)) from the same generator state. */
static void
test_relu_dropout (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[1];
  g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
  g_autoptr(PhiliaTape) t2 = philia_tape_new (1);
  g_autoptr(PhiliaTensor) x = NULL;
  g_autofree float *g1 = NULL;
  g_autofree float *r = NULL;
  PhiliaTensor *a, *b;

  philia_rng_init (&rng, 8);
  in[0] = param (7, 9, &rng);
  check_gradients ("relu_dropout", build_relu_dropout, in, 1, NULL, 2e-3);
  FREE_ALL (in);

  x = param (37, 29, &rng);
  r = g_new (float, 37 * 29);
  for (guint i = 0; i < 37 * 29; i++)
    r[i] = 2 * philia_rng_float (&rng) - 1;
  philia_rng_init (philia_tape_get_rng (t1), 11);
  philia_rng_init (philia_tape_get_rng (t2), 11);
  a = philia_op_relu_dropout (t1, x, 0.4f);
  philia_tape_backward_from (t1, a, r);
  g1 = g_memdup2 (x->grad, sizeof (float) * 37 * 29);
  g_clear_pointer (&x->grad, g_free);
  b = philia_op_dropout (t2, philia_op_relu (t2, x), 0.4f);
  philia_tape_backward_from (t2, b, r);
  g_assert_cmpmem (a->data, sizeof (float) * 37 * 29, b->data, sizeof (float) * 37 * 29);
  /* Equal values; a dropped positive element's gradient may be 0 where the
   * composition makes −0 (it multiplies by the mask's 0), which no sum sees. */
  for (guint i = 0; i < 37 * 29; i++)
    g_assert_cmpfloat (g1[i], ==, x->grad[i]);
}

static PhiliaTensor *
build_log_softmax (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_log_softmax (t, in[0]);
}

static const gint32 nll_labels[6] = { 0, 2, -1, 1, 3, 0 };
static const guint8 nll_mask[6] = { 1, 1, 1, 0, 1, 1 };

static PhiliaTensor *
build_nll (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_nll (t, philia_op_log_softmax (t, in[0]), nll_labels, nll_mask);
}

static void
test_softmax_nll (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[1];
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *loss;
  g_autofree float *x = NULL;
  double expected = 0;

  philia_rng_init (&rng, 7);
  in[0] = param (6, 4, &rng);
  check_gradients ("log_softmax", build_log_softmax, in, 1, NULL, 2e-3);
  check_gradients ("nll", build_nll, in, 1, NULL, 2e-3);

  /* The value: mean of −log softmax over rows 0, 1, 4, 5 (row 2 unlabeled, 3 masked). */
  x = g_memdup2 (in[0]->data, sizeof (float) * 24);
  for (guint i = 0; i < 6; i++)
    {
      double z = 0;

      if (!nll_mask[i] || nll_labels[i] < 0)
        continue;
      for (guint j = 0; j < 4; j++)
        z += exp (x[i * 4 + j]);
      expected -= (x[i * 4 + nll_labels[i]] - log (z)) / 4;
    }
  loss = build_nll (tape, in, NULL);
  g_assert_cmpfloat_with_epsilon (loss->data[0], expected, 1e-5);
  FREE_ALL (in);
}

static const gint32 gather_index[7] = { 3, 0, 0, 2, 3, 1, 3 };

static PhiliaTensor *
build_index_select (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_index_select (t, in[0], gather_index, 7);
}

static PhiliaTensor *
build_scatter_add (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_scatter_add (t, in[0], gather_index, 5);
}

static PhiliaTensor *
build_concat (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_concat (t, in[0], in[1]);
}

static PhiliaTensor *
build_group_sum (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_group_sum (t, in[0], 3);
}

static void
test_gather_scatter_concat (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[3];

  philia_rng_init (&rng, 8);
  in[0] = param (4, 3, &rng);
  in[1] = param (4, 2, &rng);
  in[2] = param (7, 3, &rng);
  check_gradients ("index_select", build_index_select, in, 1, NULL, 2e-3);
  check_gradients ("concat", build_concat, in, 2, NULL, 2e-3);
  check_gradients ("scatter_add", build_scatter_add, in + 2, 1, NULL, 2e-3);
  in[1]->requires_grad = FALSE;
  {
    PhiliaTensor *g[1] = { philia_tensor_new (3, 6) };

    fill (g[0], &rng, -1, 1);
    g[0]->requires_grad = TRUE;
    check_gradients ("group_sum", build_group_sum, g, 1, NULL, 2e-3);
    FREE_ALL (g);
  }
  FREE_ALL (in);
}

static PhiliaTensor *
build_columns (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  /* Two overlapping slices summed: both paths reach the same input columns. */
  return philia_op_add (t, philia_op_columns (t, in[0], 1, 3), philia_op_columns (t, in[0], 2, 3));
}

/* Σ_k γ_k · X_k with one learnable row γ, as GPR-GNN combines its propagation steps. */
static PhiliaTensor *
build_scale_by (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  PhiliaTensor *h = philia_op_scale_by (t, in[0], in[1], 0);

  h = philia_op_add (t, h, philia_op_scale_by (t, philia_op_mul (t, in[0], in[0]), in[1], 2));
  return h;
}

static void
test_columns_scale_by (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[2];
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *out;

  philia_rng_init (&rng, 12);
  in[0] = param (4, 5, &rng);
  in[1] = param (1, 3, &rng);
  check_gradients ("columns", build_columns, in, 1, NULL, 2e-3);
  check_gradients ("scale_by", build_scale_by, in, 2, NULL, 2e-3);
  /* γ_1 is unused: its gradient stays exactly zero. */
  g_assert_cmpfloat (in[1]->grad[1], ==, 0);

  out = philia_op_columns (tape, in[0], 3, 2);
  g_assert_cmpuint (out->rows, ==, 4);
  g_assert_cmpuint (out->cols, ==, 2);
  for (guint r = 0; r < 4; r++)
    for (guint j = 0; j < 2; j++)
      g_assert_cmpfloat (out->data[r * 2 + j], ==, in[0]->data[r * 5 + 3 + j]);
  out = philia_op_columns (tape, in[0], 5, 0);
  g_assert_cmpuint (out->cols, ==, 0);
  out = philia_op_scale_by (tape, in[0], in[1], 1);
  g_assert_cmpfloat (out->data[7], ==, in[1]->data[1] * in[0]->data[7]);
  FREE_ALL (in);
}

static PhiliaTensor *
build_edge_softmax (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_edge_softmax (t, data, in[0]);
}

/* A GAT layer end to end: every op of the attention path composed. */
static PhiliaTensor *
build_attention (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  PhiliaSparse *s = data;
  PhiliaTensor *wx = philia_op_matmul (t, in[0], in[1]);
  PhiliaTensor *src = philia_op_group_sum (t, philia_op_mul (t, wx, in[2]), 2);
  PhiliaTensor *dst = philia_op_group_sum (t, philia_op_mul (t, wx, in[3]), 2);
  PhiliaTensor *e = philia_op_add (t, philia_op_index_select (t, dst, s->row_index, s->nnz),
                                   philia_op_index_select (t, src, s->col_index, s->nnz));
  PhiliaTensor *alpha = philia_op_edge_softmax (t, s, philia_op_leaky_relu (t, e, 0.2f));

  return philia_op_elu (t, philia_op_spmm (t, s, philia_op_dropout (t, alpha, 0.3f), wx), 1);
}

/* The fused op against its composition, and its own gradients. */
static PhiliaTensor *
build_edge_scores (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_edge_scores (t, data, in[0], in[1], 0.2f);
}

static void
test_edge_scores (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[2];
  g_autoptr(PhiliaSparse) s = NULL;
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *fused, *composed;

  philia_rng_init (&rng, 13);
  s = small_sparse (6, 6, &rng);
  in[0] = param (6, 3, &rng);
  in[1] = param (6, 3, &rng);
  check_gradients ("edge_scores", build_edge_scores, in, 2, s, 2e-3);
  fused = philia_op_edge_scores (tape, s, in[0], in[1], 0.2f);
  composed = philia_op_leaky_relu (tape,
                                   philia_op_add (tape,
                                                  philia_op_index_select (tape, in[1],
                                                                          s->row_index, s->nnz),
                                                  philia_op_index_select (tape, in[0],
                                                                          s->col_index, s->nnz)),
                                   0.2f);
  g_assert_cmpmem (fused->data, sizeof (float) * s->nnz * 3,
                   composed->data, sizeof (float) * s->nnz * 3);
  FREE_ALL (in);
}

static void
test_edge_softmax (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaSparse) s = NULL;
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *in[4];
  PhiliaTensor *alpha;

  philia_rng_init (&rng, 9);
  s = small_sparse (6, 6, &rng);
  in[0] = param (s->nnz, 3, &rng);
  check_gradients ("edge_softmax", build_edge_softmax, in, 1, s, 2e-3);

  /* Each non-empty row sums to 1 per head. */
  alpha = philia_op_edge_softmax (tape, s, in[0]);
  for (guint i = 0; i < s->rows; i++)
    for (guint h = 0; h < 3; h++)
      {
        double sum = 0;

        for (gint64 e = s->row_offsets[i]; e < s->row_offsets[i + 1]; e++)
          sum += alpha->data[e * 3 + h];
        if (s->row_offsets[i + 1] > s->row_offsets[i])
          g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
      }
  philia_tensor_free (in[0]);

  in[0] = param (6, 5, &rng);
  in[1] = param (5, 4, &rng);   /* 2 heads × 2 */
  in[2] = param (1, 4, &rng);
  in[3] = param (1, 4, &rng);
  check_gradients ("gat-layer", build_attention, in, 4, s, 3e-3);
  FREE_ALL (in);
}

static PhiliaTensor *
build_edge_attention (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return philia_op_edge_attention (t, data, in[0], in[1], 0.2f, 0.3f);
}

/* edge_attention's output and both input gradients after backward from @r. */
static void
run_attention (PhiliaTape    *tape,
               PhiliaSparse  *s,
               PhiliaTensor **in,
               gboolean       fused,
               const float   *r,
               float        **out,
               float        **gs,
               float        **gd)
{
  PhiliaTensor *o;
  gsize n = (gsize)s->nnz * in[0]->cols;

  philia_tape_reset (tape);
  philia_rng_init (philia_tape_get_rng (tape), 5);
  philia_tensor_zero_grad (in[0]);
  philia_tensor_zero_grad (in[1]);
  if (fused)
    o = philia_op_edge_attention (tape, s, in[0], in[1], 0.2f, 0.4f);
  else
    o = philia_op_dropout (tape,
                           philia_op_edge_softmax (tape, s,
                                                   philia_op_edge_scores (tape, s, in[0], in[1],
                                                                          0.2f)),
                           0.4f);
  *out = g_memdup2 (o->data, sizeof (float) * n);
  philia_tape_backward_from (tape, o, r);
  *gs = g_memdup2 (in[0]->grad, sizeof (float) * philia_tensor_size (in[0]));
  *gd = g_memdup2 (in[1]->grad, sizeof (float) * philia_tensor_size (in[1]));
}

/* The fused attention: its gradients, bit-equality with the composed ops on
 * one thread (values and gradients), and on two threads the same result
 * every run, equal to one thread's up to rounding. */
static void
test_edge_attention (void)
{
  static const guint heads[] = { 3, 8, 1 };
  PhiliaRng rng;
  g_autoptr(PhiliaSparse) s = NULL;
  g_autoptr(PhiliaSparse) big = NULL;
  g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
  g_autoptr(PhiliaTape) t2 = philia_tape_new (2);
  g_autofree float *dense = NULL;
  guint n = 600;

  philia_rng_init (&rng, 21);
  s = small_sparse (6, 6, &rng);
  for (guint k = 0; k < G_N_ELEMENTS (heads); k++)
    {
      PhiliaTensor *in[2];

      in[0] = param (6, heads[k], &rng);
      in[1] = param (6, heads[k], &rng);
      /* |dst + src| ≥ 0.4 keeps the differences off LeakyReLU's kink. */
      for (guint i = 0; i < 6 * heads[k]; i++)
        {
          in[0]->data[i] = in[0]->data[i] > 0 ? 0.6f + in[0]->data[i] : -0.6f + in[0]->data[i];
          in[1]->data[i] *= 0.2f;
        }
      check_gradients ("edge_attention", build_edge_attention, in, 2, s, 2e-3);
      FREE_ALL (in);
    }

  dense = g_new0 (float, (gsize)n * n);
  for (gsize i = 0; i < (gsize)n * n; i++)
    if (philia_rng_float (&rng) < 0.05f || i % (n + 1) == 0)
      dense[i] = 1;
  big = philia_sparse_new_from_dense (dense, n, n);
  for (guint k = 0; k < G_N_ELEMENTS (heads); k++)
    {
      guint h = heads[k];
      gsize m = (gsize)big->nnz * h;
      PhiliaTensor *in[2];
      g_autofree float *r = g_new (float, m);
      float *o[4], *gs[4], *gd[4];

      in[0] = param (n, h, &rng);
      in[1] = param (n, h, &rng);
      for (gsize i = 0; i < m; i++)
        r[i] = 2 * philia_rng_float (&rng) - 1;
      run_attention (t1, big, in, FALSE, r, &o[0], &gs[0], &gd[0]);
      run_attention (t1, big, in, TRUE, r, &o[1], &gs[1], &gd[1]);
      run_attention (t2, big, in, TRUE, r, &o[2], &gs[2], &gd[2]);
      run_attention (t2, big, in, TRUE, r, &o[3], &gs[3], &gd[3]);
      g_assert_cmpmem (o[0], sizeof (float) * m, o[1], sizeof (float) * m);
      g_assert_cmpmem (gs[0], sizeof (float) * n * h, gs[1], sizeof (float) * n * h);
      g_assert_cmpmem (gd[0], sizeof (float) * n * h, gd[1], sizeof (float) * n * h);
      g_assert_cmpmem (o[1], sizeof (float) * m, o[2], sizeof (float) * m);
      g_assert_cmpmem (gd[1], sizeof (float) * n * h, gd[2], sizeof (float) * n * h);
      g_assert_cmpmem (gs[2], sizeof (float) * n * h, gs[3], sizeof (float) * n * h);
      for (gsize i = 0; i < (gsize)n * h; i++)
        g_assert_cmpfloat_with_epsilon (gs[2][i], gs[1][i], 1e-5 * MAX (1, fabsf (gs[1][i])));
      for (guint j = 0; j < 4; j++)
        {
          g_free (o[j]);
          g_free (gs[j]);
          g_free (gd[j]);
        }
      FREE_ALL (in);
    }

  /* Outside training it is the softmax itself, on which dropout never acted. */
  {
    PhiliaTensor *in[2];
    PhiliaTensor *a, *b;
    PhiliaRng before;

    in[0] = param (6, 3, &rng);
    in[1] = param (6, 3, &rng);
    philia_tape_set_training (t1, FALSE);
    before = *philia_tape_get_rng (t1);
    a = philia_op_edge_attention (t1, s, in[0], in[1], 0.2f, 0.5f);
    /* ... and draws nothing from the tape's stream. */
    g_assert_cmpmem (&before, sizeof before, philia_tape_get_rng (t1), sizeof before);
    b = philia_op_edge_softmax (t1, s, philia_op_edge_scores (t1, s, in[0], in[1], 0.2f));
    g_assert_cmpmem (a->data, sizeof (float) * s->nnz * 3, b->data, sizeof (float) * s->nnz * 3);
    FREE_ALL (in);
  }
}

/* exp_approx (inside edge_softmax) against double exp, over softmax's range. */
static void
test_edge_softmax_exp (void)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  g_autoptr(PhiliaSparse) s = NULL;
  g_autoptr(PhiliaTensor) x = philia_tensor_new (2001, 1);
  float dense[2001] = { 0 };
  PhiliaTensor *a;

  /* One row holding every score: α_e = exp(x_e − max) / Σ. */
  for (guint i = 0; i < 2001; i++)
    {
      dense[i] = 1;
      x->data[i] = -100.0f + 0.05f * i;
    }
  s = philia_sparse_new_from_dense (dense, 1, 2001);
  a = philia_op_edge_softmax (tape, s, x);
  {
    double sum = 0;

    for (guint i = 0; i < 2001; i++)
      sum += exp ((double)x->data[i] - x->data[2000]);
    for (guint i = 0; i < 2001; i++)
      {
        double ref = exp ((double)x->data[i] - x->data[2000]) / sum;

        if (x->data[i] - x->data[2000] < -87.3f)
          g_assert_cmpfloat (a->data[i], ==, 0);
        else
          g_assert_cmpfloat (fabs (a->data[i] - ref), <=, 4e-7 * ref + 1e-45);
      }
  }
}

/* Adam and SGD against hand-computed steps (PyTorch's formulas). */
static void
test_optimizers (void)
{
  g_autoptr(PhiliaTensor) p = philia_tensor_new (1, 2);
  g_autoptr(PhiliaTensor) q = philia_tensor_new (1, 1);
  g_autoptr(PhiliaOptimizer) adam = philia_optimizer_new (PHILIA_OPTIMIZER_ADAM, 0.1f, 0.5f);
  g_autoptr(PhiliaOptimizer) sgd = philia_optimizer_new (PHILIA_OPTIMIZER_SGD, 0.1f, 0.5f);
  double m = 0, v = 0, x = 1.0;

  p->data[0] = 1.0f;
  p->data[1] = -2.0f;
  philia_optimizer_add (adam, p, TRUE);
  for (int t = 1; t <= 3; t++)
    {
      double g = 0.3 + x * 0.5;   /* gradient 0.3 plus decay */

      p->grad = p->grad ? p->grad : g_new0 (float, 2);
      p->grad[0] = 0.3f;
      p->grad[1] = 0;
      philia_optimizer_step (adam);
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      x -= 0.1 * (m / (1 - pow (0.9, t))) / (sqrt (v / (1 - pow (0.999, t))) + 1e-8);
      g_assert_cmpfloat_with_epsilon (p->data[0], x, 1e-5);
      g_assert_cmpfloat (p->grad[0], ==, 0);
    }

  /* Eleven parameters: whole groups of lanes and a tail, each element its
   * own gradient, undecayed, against the same formulas in double. */
  {
    g_autoptr(PhiliaTensor) w = philia_tensor_new (1, 11);
    g_autoptr(PhiliaOptimizer) wide = philia_optimizer_new (PHILIA_OPTIMIZER_ADAM, 0.05f, 0.5f);
    double wm[11] = { 0 }, wv[11] = { 0 }, wx[11];

    for (guint i = 0; i < 11; i++)
      w->data[i] = wx[i] = 0.25 * i - 1.0;
    philia_optimizer_add (wide, w, FALSE);
    w->grad = g_new0 (float, 11);
    for (int t = 1; t <= 4; t++)
      {
        for (guint i = 0; i < 11; i++)
          {
            double g = w->grad[i] = (float)(0.1 * t * ((int)i - 5) + 0.01 * i * i);

            wm[i] = 0.9 * wm[i] + 0.1 * g;
            wv[i] = 0.999 * wv[i] + 0.001 * g * g;
            wx[i] -= 0.05 * (wm[i] / (1 - pow (0.9, t)))
                     / (sqrt (wv[i] / (1 - pow (0.999, t))) + 1e-8);
          }
        philia_optimizer_step (wide);
        for (guint i = 0; i < 11; i++)
          {
            g_assert_cmpfloat_with_epsilon (w->data[i], wx[i], 1e-5);
            g_assert_cmpfloat (w->grad[i], ==, 0);
          }
      }
  }

  q->data[0] = 2.0f;
  philia_optimizer_add (sgd, q, FALSE);   /* no decay on this one */
  q->grad = g_new0 (float, 1);
  q->grad[0] = 1.0f;
  philia_optimizer_step (sgd);
  g_assert_cmpfloat_with_epsilon (q->data[0], 1.9, 1e-6);
}

/* Adam on a parameter of an odd length past a vector's eight (the vector
 * body and its tail) with mixed gradients and decay, five steps, against
 * the update in double. */
static void
test_adam_vector (void)
{
  g_autoptr(PhiliaTensor) p = philia_tensor_new (1, 37);
  g_autoptr(PhiliaOptimizer) adam = philia_optimizer_new (PHILIA_OPTIMIZER_ADAM, 0.01f, 5e-4f);
  double x[37], m[37] = { 0 }, v[37] = { 0 };

  for (guint i = 0; i < 37; i++)
    x[i] = p->data[i] = (float)(0.1 * i - 1.7);
  p->grad = g_new0 (float, 37);
  philia_optimizer_add (adam, p, TRUE);
  for (int t = 1; t <= 5; t++)
    {
      for (guint i = 0; i < 37; i++)
        p->grad[i] = i % 5 == 2 ? 0.0f : (float)(sin (i * 0.7 + t) * (i % 3 + 1));
      for (guint i = 0; i < 37; i++)
        {
          double g = p->grad[i] + 5e-4 * x[i];

          m[i] = 0.9 * m[i] + 0.1 * g;
          v[i] = 0.999 * v[i] + 0.001 * g * g;
          x[i] -= 0.01 * (m[i] / (1 - pow (0.9, t)))
                  / (sqrt (v[i] / (1 - pow (0.999, t))) + 1e-8);
        }
      philia_optimizer_step (adam);
      for (guint i = 0; i < 37; i++)
        {
          g_assert_cmpfloat_with_epsilon (p->data[i], x[i], 2e-6 * (1 + fabs (x[i])));
          g_assert_cmpfloat (p->grad[i], ==, 0);
        }
    }
}

static void
test_glorot_rng (void)
{
  PhiliaRng a, b;
  g_autoptr(PhiliaTensor) w = philia_tensor_new (100, 50);
  float bound = sqrtf (6.0f / 150.0f);
  double mean = 0;

  philia_rng_init (&a, 42);
  philia_rng_init (&b, 42);
  for (int i = 0; i < 100; i++)
    g_assert_cmpuint (philia_rng_next (&a), ==, philia_rng_next (&b));
  philia_tensor_glorot (w, &a);
  for (gsize i = 0; i < 5000; i++)
    {
      g_assert_cmpfloat (fabsf (w->data[i]), <=, bound);
      mean += w->data[i] / 5000;
    }
  g_assert_cmpfloat (fabs (mean), <, 0.02);
  for (int i = 0; i < 1000; i++)
    g_assert_cmpuint (philia_rng_below (&a, 7), <, 7);
}

/* One step on @tape: a constant of @rows × 8, then a reset; returns its data pointer. */
static const float *
pool_step (PhiliaTape *tape,
           guint       rows)
{
  PhiliaTensor *t = philia_tape_constant (tape, rows, 8, NULL);
  const float *data = t->data;

  for (gsize i = 0; i < (gsize)rows * 8; i++)
    g_assert_cmpfloat (t->data[i], ==, 0);
  philia_tape_reset (tape);
  return data;
}

/* The tape's buffer pool: the same shape reuses its buffer step after step,
 * shapes that alternate (training and evaluation) keep theirs, shapes that
 * vary a little share a size class instead of piling up, and shapes no
 * longer used are let go. */
static void
test_tape_pool (void)
{
  PhiliaTape *tape = philia_tape_new (1);
  const float *first, *a, *b;
  gsize before;

  /* Size classes: never smaller, at most 1/8 larger, monotone. */
  for (gsize n = 1, last = 0; n < 100000; n += 1 + n / 50)
    {
      gsize c = _philia_tape_pool_class (n);

      g_assert_cmpuint (c, >=, n);
      g_assert_cmpuint (c * 8, <=, n * 9 + 8);
      g_assert_cmpuint (c, >=, last);
      g_assert_cmpuint (_philia_tape_pool_class (c), ==, c);
      last = c;
    }

  first = pool_step (tape, 1000);
  g_assert_cmpuint (_philia_tape_pool_bytes (tape), ==,
                    sizeof (float) * _philia_tape_pool_class (8000));
  for (guint k = 0; k < 10; k++)
    g_assert_true (pool_step (tape, 1000) == first);
  g_assert_cmpuint (_philia_tape_pool_bytes (tape), ==,
                    sizeof (float) * _philia_tape_pool_class (8000));

  /* Alternating shapes each keep their buffer. */
  a = pool_step (tape, 3000);
  b = pool_step (tape, 1000);
  for (guint k = 0; k < 5; k++)
    {
      g_assert_true (pool_step (tape, 3000) == a);
      g_assert_true (pool_step (tape, 1000) == b);
    }

  /* Rows varying by a few each step: the pool stays within a few steps' worth
   * (one buffer per step, about 200 kB in all, without the classes). */
  for (guint k = 0; k < 50; k++)
    pool_step (tape, 5000 + 7 * k);
  g_assert_cmpuint (_philia_tape_pool_bytes (tape), <=, 4 * sizeof (float) * 6000 * 8);

  /* A large step followed by several small ones (link prediction's
   * training step, then its validation pairs in chunks), over and over:
   * the large step finds its buffer again each time. */
  a = pool_step (tape, 4000);
  for (guint round = 0; round < 4; round++)
    {
      for (guint k = 0; k < 6; k++)
        pool_step (tape, 10);
      /* Still held (malloc could hand back the same address anyway). */
      g_assert_cmpuint (_philia_tape_pool_bytes (tape), >=, sizeof (float) * 4000 * 8);
      g_assert_true (pool_step (tape, 4000) == a);
    }

  /* Small steps only, for longer than the window the pool remembers: the
   * large buffers go. */
  before = _philia_tape_pool_bytes (tape);
  for (guint k = 0; k < POOL_STEP_WINDOW + 2; k++)
    pool_step (tape, 10);
  g_assert_cmpuint (_philia_tape_pool_bytes (tape), <, before);
  g_assert_cmpuint (_philia_tape_pool_bytes (tape), <=, sizeof (float) * 5000 * 8);
  philia_tape_free (tape);
}

/* Steps of @rows × 1024 floats (4 MiB at 1024 rows): a constant, the
 * pool's buffers checked zeroed. */
static void
big_step (PhiliaTape *tape,
          guint       rows)
{
  PhiliaTensor *t = philia_tape_constant (tape, rows, 1024, NULL);

  for (gsize i = 0; i < (gsize)rows * 1024; i += 997)
    g_assert_cmpfloat (t->data[i], ==, 0);
  philia_tape_reset (tape);
}

/* A step whose small buffers run out part-way (the extra one takes a large
 * buffer on loan) and then needs its large ones again while a small one sits
 * idle (SAGE's [n, 64] and [n, 128] buffers on 10^5 nodes): the pool must
 * settle after the first step. Replacing the idle small buffer by a new large
 * one made the next step short of small buffers again, so each step turned
 * one more small buffer into a large one, with fresh pages every epoch. */
static void
test_tape_pool_short_class (void)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  const gsize small = 300 * 1024, large = 500 * 1024;
  const guint k = 5;
  gsize settled = 0;

  for (guint step = 0; step < 2 * k; step++)
    {
      float *x = _philia_tape_pool_take (tape, large), *y, *s[5];

      for (guint i = 0; i < k; i++)
        s[i] = _philia_tape_pool_take (tape, small);
      for (guint i = 0; i + 1 < k; i++)
        _philia_tape_pool_give (tape, small, s[i]);
      y = _philia_tape_pool_take (tape, large);
      _philia_tape_pool_give (tape, small, s[k - 1]);
      _philia_tape_pool_give (tape, large, y);
      _philia_tape_pool_give (tape, large, x);
      philia_tape_reset (tape);
      if (step == 0)
        settled = _philia_tape_pool_bytes (tape);
      g_assert_cmpuint (_philia_tape_pool_bytes (tape), ==, settled);
    }
  g_assert_cmpuint (settled, ==, sizeof (float) * (k * _philia_tape_pool_class (small)
                                                   + 2 * _philia_tape_pool_class (large)));
}

/* One step holding tensors of @sizes floats (multiples of 8, 0-terminated)
 * to its end, then a reset. */
static void
sizes_step (PhiliaTape  *tape,
            const gsize *sizes)
{
  for (guint i = 0; sizes[i] != 0; i++)
    philia_tape_constant (tape, (guint)(sizes[i] / 8), 8, NULL);
  philia_tape_reset (tape);
}

/* The thread choice's trials alternate two arms whose steps take different
 * buffers (two threads' separate ops hold three [n, H] buffers where one
 * thread's fused op holds one), then the run goes on with one arm and an
 * evaluation pass each epoch. Left alone, the pool frees what only the
 * other arm took once its trials leave the window of remembered steps, in
 * the reset that starts a counted epoch (about a millisecond of a 2.2 ms
 * GCN 512 epoch on 2,708 × 10; tests/bench/GRID.md, session 18). With the
 * trials forgotten, it frees that within a few steps, and nothing after. */
static void
test_tape_pool_forget_steps (void)
{
  const gsize x = 1 << 20;
  const gsize two[] = { x, x, x, 0 }, one[] = { x, 1000, 0 }, eval[] = { x, 0 };
  const gsize *const trials[] = { two, two, one, one, two, two, one, one, two, two };

  for (guint forget = 0; forget < 2; forget++)
    {
      g_autoptr(PhiliaTape) tape = philia_tape_new (1);
      gsize freed, held;
      guint settle = 0, freed_late = 0;

      for (guint i = 0; i < G_N_ELEMENTS (trials); i++)
        sizes_step (tape, trials[i]);
      if (forget)
        {
          /* As settle_pool () in philia-train.c: an evaluation pass and a
           * step of the chosen arm until a pair frees nothing. */
          _philia_tape_pool_forget_steps (tape);
          do
            {
              freed = _philia_tape_pool_freed (tape);
              sizes_step (tape, eval);
              sizes_step (tape, one);
              settle++;
            }
          while (_philia_tape_pool_freed (tape) != freed && settle < 4);
          g_assert_cmpuint (_philia_tape_pool_freed (tape), ==, freed);
          g_assert_cmpuint (settle, <=, 3);
        }
      /* Epochs: from the second on nothing may be freed. */
      sizes_step (tape, eval);
      sizes_step (tape, one);
      freed = _philia_tape_pool_freed (tape);
      held = _philia_tape_pool_bytes (tape);
      for (guint epoch = 0; epoch < POOL_STEP_WINDOW; epoch++)
        {
          sizes_step (tape, eval);
          sizes_step (tape, one);
          freed_late += _philia_tape_pool_freed (tape) != freed;
          freed = _philia_tape_pool_freed (tape);
        }
      if (forget)
        {
          g_assert_cmpuint (freed_late, ==, 0);
          g_assert_cmpuint (_philia_tape_pool_bytes (tape), ==, held);
          /* What one arm and the evaluation need, no more. */
          g_assert_cmpuint (held, ==, sizeof (float) * (_philia_tape_pool_class (x)
                                                        + _philia_tape_pool_class (1000)));
        }
      else
        /* The cause: without forgetting, the two-thread buffers go later,
         * in a counted epoch. */
        g_assert_cmpuint (freed_late, >, 0);
    }
}

/* Large buffers of steps that alternate between shapes (a training step on
 * the loss rows, an evaluation pass on all of them) are shared: the pool
 * holds about the larger step, not both. */
static void
test_tape_pool_share (void)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  gsize small = sizeof (float) * _philia_tape_pool_class (600 * 1024);
  gsize large = sizeof (float) * _philia_tape_pool_class (1000 * 1024);

  for (guint k = 0; k < 6; k++)
    {
      big_step (tape, 600);
      big_step (tape, 1000);
    }
  g_assert_cmpuint (_philia_tape_pool_bytes (tape), ==, large);
  /* A smaller step takes the larger buffer, which comes back as itself. */
  big_step (tape, 600);
  g_assert_cmpuint (_philia_tape_pool_bytes (tape), ==, large);
  /* More than twice smaller: a buffer of its own class beside it. */
  big_step (tape, 300);
  g_assert_cmpuint (_philia_tape_pool_bytes (tape), ==,
                    large + sizeof (float) * _philia_tape_pool_class (300 * 1024));
  g_assert_cmpuint (small, <, large);
}

static PhiliaTensor *
build_chain (PhiliaTape    *tape,
             PhiliaTensor **in,
             gpointer       data)
{
  PhiliaTensor *h = philia_op_add (tape, philia_op_matmul (tape, in[0], in[1]), in[2]);

  h = philia_op_relu_dropout (tape, h, 0.3f);
  return philia_op_add (tape, philia_op_relu (tape, h), h);
}

/* The backward walk gives each intermediate's gradient back once its node
 * has run (and hands it on in place where an op allows): afterwards only the
 * leaves and the output the walk started from have one; gradients are those
 * of the finite differences. */
static void
test_backward_releases (void)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaRng rng;
  PhiliaTensor *in[3], *out, *h;
  g_autofree float *r = NULL;

  philia_rng_init (&rng, 21);
  in[0] = param (6, 5, &rng);
  in[1] = param (5, 7, &rng);
  in[2] = param (1, 7, &rng);
  check_gradients ("chain", build_chain, in, 3, NULL, 2e-3);

  philia_rng_init (philia_tape_get_rng (tape), 7);
  out = build_chain (tape, in, NULL);
  r = g_new (float, 6 * 7);
  for (guint i = 0; i < 6 * 7; i++)
    r[i] = 1;
  philia_tape_backward_from (tape, out, r);
  g_assert_nonnull (out->grad);
  for (guint k = 0; k < 3; k++)
    g_assert_nonnull (in[k]->grad);
  for (guint i = 0; i < tape->tensors->len; i++)
    {
      h = g_ptr_array_index (tape->tensors, i);
      if (h != out)
        g_assert_null (h->grad);
    }
  philia_tape_reset (tape);
  FREE_ALL (in);
}

static PhiliaTensor *
build_head_dot (PhiliaTape    *tape,
                PhiliaTensor **in,
                gpointer       data)
{
  return _philia_op_head_dot (tape, in[0], in[1], GPOINTER_TO_UINT (data));
}

/* GAT's per-head scores in one op: the values and gradients of
 * group_sum (mul (x, a)) (equal, the same roundings), and the finite
 * differences'. */
static void
test_head_dot (void)
{
  /* Eight heads of 2, 8, 16 and 32 take loops of their own. */
  const guint shapes[][3] = { { 13, 4, 3 }, { 9, 8, 8 }, { 5, 1, 7 }, { 0, 2, 2 }, { 11, 8, 2 },
                              { 6, 8, 16 }, { 4, 8, 32 } };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      guint rows = shapes[s][0], heads = shapes[s][1], d = shapes[s][2];
      g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
      g_autoptr(PhiliaTape) t2 = philia_tape_new (1);
      g_autofree float *gx = NULL, *ga = NULL, *r = NULL;
      PhiliaTensor *in[2], *a, *b;
      PhiliaRng rng;

      philia_rng_init (&rng, 40 + s);
      in[0] = param (rows, heads * d, &rng);
      in[1] = param (1, heads * d, &rng);
      if (rows > 0)
        check_gradients ("head_dot", build_head_dot, in, 2, GUINT_TO_POINTER (heads), 2e-3);
      r = g_new (float, MAX (rows * heads, 1));
      for (guint i = 0; i < rows * heads; i++)
        r[i] = 2 * philia_rng_float (&rng) - 1;
      philia_tensor_zero_grad (in[0]);
      philia_tensor_zero_grad (in[1]);
      a = _philia_op_head_dot (t1, in[0], in[1], heads);
      g_assert_cmpuint (a->rows, ==, rows);
      g_assert_cmpuint (a->cols, ==, heads);
      philia_tape_backward_from (t1, a, r);
      gx = g_memdup2 (in[0]->grad, sizeof (float) * MAX (rows * heads * d, 1));
      ga = g_memdup2 (in[1]->grad, sizeof (float) * heads * d);
      philia_tensor_zero_grad (in[0]);
      philia_tensor_zero_grad (in[1]);
      b = philia_op_group_sum (t2, philia_op_mul (t2, in[0], in[1]), d);
      philia_tape_backward_from (t2, b, r);
      for (guint i = 0; i < rows * heads; i++)
        g_assert_cmpfloat (a->data[i], ==, b->data[i]);
      for (guint i = 0; i < rows * heads * d; i++)
        g_assert_cmpfloat (gx[i], ==, in[0]->grad[i]);
      for (guint i = 0; i < heads * d; i++)
        g_assert_cmpfloat (ga[i], ==, in[1]->grad[i]);
      philia_tape_reset (t1);
      philia_tape_reset (t2);
      FREE_ALL (in);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Philia/Autograd/matmul", test_matmul);
  g_test_add_func ("/Philia/Autograd/linear", test_linear);
  g_test_add_func ("/Philia/Autograd/elementwise", test_elementwise);
  g_test_add_func ("/Philia/Autograd/activations", test_activations);
  g_test_add_func ("/Philia/Autograd/dropout", test_dropout);
  g_test_add_func ("/Philia/Autograd/relu-dropout", test_relu_dropout);
  g_test_add_func ("/Philia/Autograd/log-softmax-nll", test_softmax_nll);
  g_test_add_func ("/Philia/Autograd/gather-scatter-concat", test_gather_scatter_concat);
  g_test_add_func ("/Philia/Autograd/edge-softmax", test_edge_softmax);
  g_test_add_func ("/Philia/Autograd/columns-scale-by", test_columns_scale_by);
  g_test_add_func ("/Philia/Autograd/edge-scores", test_edge_scores);
  g_test_add_func ("/Philia/Autograd/edge-attention", test_edge_attention);
  g_test_add_func ("/Philia/Autograd/edge-softmax-exp", test_edge_softmax_exp);
  g_test_add_func ("/Philia/Autograd/optimizers", test_optimizers);
  g_test_add_func ("/Philia/Autograd/adam-vector", test_adam_vector);
  g_test_add_func ("/Philia/Autograd/glorot-rng", test_glorot_rng);
  g_test_add_func ("/Philia/Autograd/tape-pool", test_tape_pool);
  g_test_add_func ("/Philia/Autograd/tape-pool-share", test_tape_pool_share);
  g_test_add_func ("/Philia/Autograd/tape-pool-short-class", test_tape_pool_short_class);
  g_test_add_func ("/Philia/Autograd/tape-pool-forget-steps", test_tape_pool_forget_steps);
  g_test_add_func ("/Philia/Autograd/backward-releases", test_backward_releases);
  g_test_add_func ("/Philia/Autograd/head-dot", test_head_dot);

  return g_test_run ();
}
