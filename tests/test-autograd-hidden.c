/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "autograd-test-util.h"
#include "philia-ops-hidden-private.h"
#include "philia-ops-inplace-private.h"
#include "philia-ops-narrow-private.h"
#include "philia-small-gemm-private.h"

/* The fused hidden layer, dropout (relu (X W1 + b1)) W2 (+ b2), against
 * finite differences and against the separate ops it replaces: the same
 * output and the same gradients to the bit, over blocks, dropout, the
 * evaluation mode, empty and one-row inputs and several threads, with the
 * products on the product kernel (where the CPU has it) and on OpenBLAS. And the
 * narrow-output linear op against finite differences and matmul + add. */

typedef struct
{
  float    p;
  gboolean b2;
} Recipe;

static PhiliaTensor *
build_hidden (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  const Recipe *r = data;

  return _philia_op_hidden_product (t, in[0], in[1], in[2], r->p, in[3], r->b2 ? in[4] : NULL);
}

static PhiliaTensor *
build_separate (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  const Recipe *r = data;
  PhiliaTensor *h = philia_op_relu_dropout (t, philia_op_linear (t, in[0], in[1], in[2]), r->p);

  return r->b2 ? philia_op_linear (t, h, in[3], in[4]) : philia_op_matmul (t, h, in[3]);
}

static void
test_hidden_gradients (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[5];
  Recipe plain = { 0, TRUE }, dropped = { 0.5f, FALSE };

  philia_rng_init (&rng, 4);
  in[0] = param (7, 3, &rng);
  in[1] = param (3, 6, &rng);
  in[2] = param (1, 6, &rng);
  in[3] = param (6, 2, &rng);
  in[4] = param (1, 2, &rng);
  check_gradients ("hidden", build_hidden, in, 5, &plain, 2e-3);
  /* The gradient check draws the same mask for every evaluation. */
  check_gradients ("hidden-dropout", build_hidden, in, 4, &dropped, 2e-3);
  FREE_ALL (in);
}

/* Runs @build on a fresh tape (seeded with @seed, @training, @threads) over
 * @n_in inputs and returns its output and the gradients of the first
 * @n_grads inputs after a backward pass from @r, in one buffer. */
static float *
run (BuildFunc      build,
     PhiliaTensor **in,
     guint          n_in,
     guint          n_grads,
     gpointer       recipe,
     guint64        seed,
     gboolean       training,
     guint          threads,
     const float   *r,
     gsize         *n_values)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
  PhiliaTensor *out;
  GArray *values = g_array_new (FALSE, FALSE, sizeof (float));

  philia_rng_init (philia_tape_get_rng (tape), seed);
  philia_tape_set_training (tape, training);
  for (guint k = 0; k < n_in; k++)
    philia_tensor_zero_grad (in[k]);
  out = build (tape, in, recipe);
  g_array_append_vals (values, out->data, philia_tensor_size (out));
  if (out->requires_grad)
    philia_tape_backward_from (tape, out, r);
  for (guint k = 0; k < n_grads; k++)
    if (in[k]->requires_grad && in[k]->grad != NULL)
      g_array_append_vals (values, in[k]->grad, philia_tensor_size (in[k]));
    else if (in[k]->requires_grad)
      g_assert_cmpuint (philia_tensor_size (out), ==, 0);   /* no rows, no gradient */
  *n_values = values->len;
  return (float *)g_array_free (values, FALSE);
}

/* The hidden op's inputs X, W1, b1, W2, b2: b2's gradient only where the
 * recipe adds it. */
#define RUN_HIDDEN(build, in, recipe, training, threads, r, n) \
  run (build, in, 5, (recipe)->b2 ? 5 : 4, recipe, 11, training, threads, r, n)

static void
test_hidden_matches_separate_ops (gconstpointer data)
{
  /* n, features, hidden, classes: one block, several with a short last
   * one (96 rows a block at 512, 960 at 64, 192 at 256), no rows, one row. */
  static const guint shapes[][4] = {
    { 9, 3, 8, 2 }, { 300, 10, 512, 5 }, { 2100, 7, 64, 3 }, { 0, 4, 16, 2 },
    { 1, 128, 16, 1 }, { 130, 20, 33, 4 }, { 500, 9, 256, 7 }, { 200, 256, 512, 3 },
  };
  /* The products' instruction set: OpenBLAS (0), or the kernel's best. */
  int cap = GPOINTER_TO_INT (data), before = _philia_small_gemm_set_level (cap);
  PhiliaRng rng;

  philia_rng_init (&rng, 5);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (guint v = 0; v < 12; v++)
      {
        guint n = shapes[s][0], f = shapes[s][1], h = shapes[s][2], c = shapes[s][3];
        Recipe recipe = { v % 3 == 0 ? 0.0f : 0.5f, v % 2 == 0 };
        gboolean training = (v / 2) % 3 != 2, x_grad = v >= 6;
        PhiliaTensor *in[5] = {
          philia_tensor_new (n, f), param (f, h, &rng), param (1, h, &rng), param (h, c, &rng),
          param (1, c, &rng),
        };
        g_autofree float *r = g_new (float, MAX ((gsize)n * c, 1));
        g_autofree float *fused = NULL, *separate = NULL, *threaded = NULL;
        gsize n_fused, n_separate, n_threaded;

        if (n > 0)
          fill (in[0], &rng, -1, 1);
        in[0]->requires_grad = x_grad;
        for (gsize i = 0; i < (gsize)n * c; i++)
          r[i] = 2 * philia_rng_float (&rng) - 1;
        fused = RUN_HIDDEN (build_hidden, in, &recipe, training, 1, r, &n_fused);
        separate = RUN_HIDDEN (build_separate, in, &recipe, training, 1, r, &n_separate);
        threaded = RUN_HIDDEN (build_hidden, in, &recipe, training, 2, r, &n_threaded);
        g_assert_cmpuint (n_fused, ==, n_separate);
        g_assert_cmpuint (n_threaded, ==, n_separate);
        g_assert_cmpmem (fused, sizeof (float) * n_fused, separate, sizeof (float) * n_separate);
        g_assert_cmpmem (threaded, sizeof (float) * n_threaded, separate,
                         sizeof (float) * n_separate);
        FREE_ALL (in);
      }
  _philia_small_gemm_set_level (before);
}

/* No gradient wanted (the evaluation pass): the output alone, as the separate ops give. */
static void
test_hidden_without_gradients (void)
{
  PhiliaRng rng;
  Recipe recipe = { 0.5f, TRUE };
  PhiliaTensor *in[5];
  g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
  g_autoptr(PhiliaTape) t2 = philia_tape_new (1);
  PhiliaTensor *a, *b;

  philia_rng_init (&rng, 6);
  in[0] = param (700, 12, &rng);
  in[1] = param (12, 256, &rng);
  in[2] = param (1, 256, &rng);
  in[3] = param (256, 3, &rng);
  in[4] = param (1, 3, &rng);
  for (guint k = 0; k < 5; k++)
    in[k]->requires_grad = FALSE;
  philia_tape_set_training (t1, FALSE);
  philia_tape_set_training (t2, FALSE);
  a = build_hidden (t1, in, &recipe);
  b = build_separate (t2, in, &recipe);
  g_assert_false (a->requires_grad);
  g_assert_cmpmem (a->data, sizeof (float) * philia_tensor_size (a), b->data,
                   sizeof (float) * philia_tensor_size (b));
  FREE_ALL (in);
}

static PhiliaTensor *
build_narrow (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  return _philia_op_linear_narrow (t, in[0], in[1], in[2]);
}

static void
test_narrow_gradients (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[3];

  philia_rng_init (&rng, 7);
  in[0] = param (37, 19, &rng);   /* two groups of eight features and a tail */
  in[1] = param (19, 3, &rng);
  in[2] = param (1, 3, &rng);
  check_gradients ("linear-narrow", build_narrow, in, 3, NULL, 2e-3);
  FREE_ALL (in);
}

/* Against matmul + add, every width up to the widest, features below,
 * at and above a multiple of eight, rows across blocks: within a few float
 * roundings (the sums run in another order; sgemm's own order is not
 * specified). */
static void
test_narrow_matches_matmul (void)
{
  static const guint shapes[][2] = { { 0, 40 }, { 1, 8 }, { 70, 128 }, { 33, 5 }, { 100, 131 } };
  PhiliaRng rng;

  philia_rng_init (&rng, 8);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (guint c = 1; c <= PHILIA_NARROW_MAX; c++)
      {
        guint n = shapes[s][0], f = shapes[s][1];
        PhiliaTensor *in[3] = { param (n, f, &rng), param (f, c, &rng), param (1, c, &rng) };
        g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
        g_autoptr(PhiliaTape) t2 = philia_tape_new (1);
        g_autofree float *r = g_new (float, MAX ((gsize)n * c, 1));
        float *grads[3] = { NULL };
        PhiliaTensor *a, *b;

        for (gsize i = 0; i < (gsize)n * c; i++)
          r[i] = 2 * philia_rng_float (&rng) - 1;
        a = _philia_op_linear_narrow (t1, in[0], in[1], in[2]);
        philia_tape_backward_from (t1, a, r);
        for (guint k = 0; k < 3; k++)
          {
            grads[k] = g_memdup2 (in[k]->grad,
                                  sizeof (float) * MAX (philia_tensor_size (in[k]), 1));
            philia_tensor_zero_grad (in[k]);
          }
        b = philia_op_add (t2, philia_op_matmul (t2, in[0], in[1]), in[2]);
        philia_tape_backward_from (t2, b, r);
        for (gsize i = 0; i < (gsize)n * c; i++)
          g_assert_cmpfloat_with_epsilon (a->data[i], b->data[i], 1e-5 * (1 + fabsf (b->data[i])));
        for (guint k = 0; k < 3; k++)
          for (gsize i = 0; n > 0 && i < philia_tensor_size (in[k]); i++)
            g_assert_cmpfloat_with_epsilon (grads[k][i], in[k]->grad[i],
                                            1e-5 * (1 + fabsf (in[k]->grad[i])) * sqrt (n + 1));
        for (guint k = 0; k < 3; k++)
          g_free (grads[k]);
        FREE_ALL (in);
      }
}

/* GCN's first layer on sparse features after its product: + b1 and
 * ReLU-dropout in one op (_philia_op_bias_relu_dropout_consume ()) against
 * the two in-place ops it replaces and against the out-of-place ops, on a
 * product's output (a tape tensor the op may take over). @direct ends the
 * chain at the op (its output is where the backward walk starts, whose
 * gradient is not handed over: the op's other backward path); otherwise a
 * product by W2 follows. */
typedef struct
{
  float    p;
  gboolean direct;
  int      form;     /* 0 the fused op, 1 the in-place ops, 2 out of place */
} BiasRelu;

static PhiliaTensor *
build_bias_relu (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  const BiasRelu *r = data;
  PhiliaTensor *z = philia_op_matmul (t, in[0], in[1]), *h;

  if (r->form == 0)
    h = _philia_op_bias_relu_dropout_consume (t, z, in[2], r->p);
  else if (r->form == 1)
    h = _philia_op_relu_dropout_consume (t, _philia_op_add_consume (t, z, in[2]), r->p);
  else
    h = philia_op_relu_dropout (t, philia_op_add (t, z, in[2]), r->p);
  return r->direct ? h : philia_op_matmul (t, h, in[3]);
}

static void
test_bias_relu_gradients (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[4];
  BiasRelu chained = { 0.5f, FALSE, 0 }, direct = { 0.5f, TRUE, 0 };

  philia_rng_init (&rng, 6);
  in[0] = param (9, 3, &rng);
  in[1] = param (3, 13, &rng);
  in[2] = param (1, 13, &rng);
  in[3] = param (13, 2, &rng);
  check_gradients ("bias-relu-dropout", build_bias_relu, in, 4, &chained, 2e-3);
  check_gradients ("bias-relu-dropout-direct", build_bias_relu, in, 3, &direct, 2e-3);
  FREE_ALL (in);
}

/* The output and the gradients of X (when it takes one), W1, b1 and W2
 * (when used), in one buffer: @form's chain on a fresh tape. */
#define RUN_BIAS_RELU(in, recipe, training, threads, r, n) \
  run (build_bias_relu, in, 4, (recipe)->direct ? 3 : 4, recipe, 17, training, threads, r, n)

static void
test_bias_relu_matches_separate_ops (void)
{
  /* n, features, width: widths of a multiple of eight (the one pass) and
   * not (rows in chunks of eight through the stream), no rows, one row,
   * fewer rows than a chunk, a short last chunk, 512 wide as in the grid. */
  static const guint shapes[][3] = {
    { 0, 3, 16 }, { 1, 4, 8 }, { 1, 5, 13 }, { 7, 3, 33 }, { 9, 2, 3 }, { 300, 6, 512 },
    { 301, 5, 13 }, { 130, 7, 64 }, { 2100, 3, 24 },
  };
  PhiliaRng rng;

  philia_rng_init (&rng, 8);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (guint v = 0; v < 16; v++)
      {
        guint n = shapes[s][0], f = shapes[s][1], h = shapes[s][2];
        BiasRelu recipe = { v % 4 == 3 ? 0.0f : 0.5f, v % 2 == 1, 0 };
        gboolean training = v % 8 != 6, x_grad = v >= 8;
        PhiliaTensor *in[4] = {
          philia_tensor_new (n, f), param (f, h, &rng), param (1, h, &rng), param (h, 3, &rng),
        };
        guint c = recipe.direct ? h : 3;
        g_autofree float *r = g_new (float, MAX ((gsize)n * c, 1));
        g_autofree float *fused = NULL, *threaded = NULL;
        gsize n_fused, n_threaded;

        if (n > 0)
          fill (in[0], &rng, -1, 1);
        in[0]->requires_grad = x_grad;
        for (gsize i = 0; i < (gsize)n * c; i++)
          r[i] = 2 * philia_rng_float (&rng) - 1;
        fused = RUN_BIAS_RELU (in, &recipe, training, 1, r, &n_fused);
        threaded = RUN_BIAS_RELU (in, &recipe, training, 2, r, &n_threaded);
        g_assert_cmpuint (n_threaded, ==, n_fused);
        g_assert_cmpmem (threaded, sizeof (float) * n_threaded, fused, sizeof (float) * n_fused);
        for (int form = 1; form <= 2; form++)
          {
            g_autofree float *separate = NULL;
            gsize n_separate;

            recipe.form = form;
            separate = RUN_BIAS_RELU (in, &recipe, training, 1, r, &n_separate);
            g_assert_cmpuint (n_fused, ==, n_separate);
            g_assert_cmpmem (fused, sizeof (float) * n_fused, separate,
                             sizeof (float) * n_separate);
          }
        FREE_ALL (in);
      }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  openblas_set_num_threads (1);
  g_test_add_func ("/Philia/Autograd/hidden-gradients", test_hidden_gradients);
  g_test_add_data_func ("/Philia/Autograd/hidden-matches-separate-ops",
                        GINT_TO_POINTER (-1), test_hidden_matches_separate_ops);
  g_test_add_data_func ("/Philia/Autograd/hidden-matches-separate-ops-openblas",
                        GINT_TO_POINTER (0), test_hidden_matches_separate_ops);
  g_test_add_func ("/Philia/Autograd/hidden-without-gradients", test_hidden_without_gradients);
  g_test_add_func ("/Philia/Autograd/bias-relu-dropout-gradients", test_bias_relu_gradients);
  g_test_add_func ("/Philia/Autograd/bias-relu-dropout-matches-separate-ops",
                   test_bias_relu_matches_separate_ops);
  g_test_add_func ("/Philia/Autograd/linear-narrow-gradients", test_narrow_gradients);
  g_test_add_func ("/Philia/Autograd/linear-narrow-matches-matmul", test_narrow_matches_matmul);
  return g_test_run ();
}
