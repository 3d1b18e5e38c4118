/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "autograd-test-util.h"
#include "philia-ops-inplace-private.h"
#include "philia-tape-private.h"

/* The in-place ops (philia-ops-inplace.c): ReLU-dropout against the op it stands
 * for: its gradient by finite differences, then the same values and the same
 * gradient bits as philia_op_relu_dropout () from the same generator state,
 * with the input's buffer taken over rather than a new one made. */

/* The input is a scaled leaf, so that it stays as far from ReLU's kink as
 * the leaves' draw keeps them (a product's sums may land on it). */
static PhiliaTensor *
build_consume (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  PhiliaTensor *h = philia_op_scale (t, in[0], 1.5f);

  return philia_op_matmul (t, _philia_op_relu_dropout_consume (t, h, 0.4f), in[1]);
}

static void
test_gradients (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[2];

  philia_rng_init (&rng, 5);
  in[0] = param (7, 9, &rng);
  in[1] = param (9, 3, &rng);
  check_gradients ("relu_dropout_consume", build_consume, in, 2, NULL, 2e-3);
  FREE_ALL (in);
}

/* linear → ReLU-dropout (in place or not) → matmul, backward from @r; the
 * leaves' gradients copied into @grads (x, w, b, w2 one after the other). */
static PhiliaTensor *
run_chain (PhiliaTape   *tape,
           PhiliaTensor **in,
           gboolean      in_place,
           const float  *r,
           float        *grads,
           float       **taken)
{
  PhiliaTensor *h, *a, *out;
  gsize at = 0;

  for (guint k = 0; k < 4; k++)
    philia_tensor_zero_grad (in[k]);
  philia_rng_init (philia_tape_get_rng (tape), 13);
  h = philia_op_linear (tape, in[0], in[1], in[2]);
  *taken = h->data;
  a = in_place ? _philia_op_relu_dropout_consume (tape, h, 0.5f)
               : philia_op_relu_dropout (tape, h, 0.5f);
  if (in_place)
    {
      /* Written over the linear output's buffer, which is no longer its. */
      g_assert_true (a->data == *taken);
      g_assert_null (h->data);
    }
  else
    g_assert_true (a->data != *taken && h->data == *taken);
  out = philia_op_matmul (tape, a, in[3]);
  philia_tape_backward_from (tape, out, r);
  for (guint k = 0; k < 4; k++)
    {
      memcpy (grads + at, in[k]->grad, sizeof (float) * philia_tensor_size (in[k]));
      at += philia_tensor_size (in[k]);
    }
  return a;
}

static void
test_same_as_out_of_place (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[4];
  g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
  g_autoptr(PhiliaTape) t2 = philia_tape_new (1);
  g_autofree float *r = NULL, *g1 = NULL, *g2 = NULL;
  PhiliaTensor *a, *b;
  float *taken;
  gsize n_grads;

  philia_rng_init (&rng, 17);
  /* 53 × 29: neither a multiple of the eight lanes nor of the mask's words. */
  in[0] = param (53, 6, &rng);
  in[1] = param (6, 29, &rng);
  in[2] = param (1, 29, &rng);
  in[3] = param (29, 4, &rng);
  n_grads = 53 * 6 + 6 * 29 + 29 + 29 * 4;
  g1 = g_new (float, n_grads);
  g2 = g_new (float, n_grads);
  r = g_new (float, 53 * 4);
  for (guint i = 0; i < 53 * 4; i++)
    r[i] = 2 * philia_rng_float (&rng) - 1;

  a = run_chain (t1, in, TRUE, r, g1, &taken);
  b = run_chain (t2, in, FALSE, r, g2, &taken);
  g_assert_cmpmem (a->data, sizeof (float) * 53 * 29, b->data, sizeof (float) * 53 * 29);
  g_assert_cmpmem (g1, sizeof (float) * n_grads, g2, sizeof (float) * n_grads);
  /* Some elements dropped, some kept, some negative: the test sees all three. */
  {
    guint zeros = 0;

    for (guint i = 0; i < 53 * 29; i++)
      zeros += a->data[i] == 0;
    g_assert_cmpuint (zeros, >, 53 * 29 / 2);
    g_assert_cmpuint (zeros, <, 53 * 29);
  }
  /* A second step on the same tape reuses the pool as before. */
  philia_tape_reset (t1);
  philia_tape_reset (t2);
  a = run_chain (t1, in, TRUE, r, g1, &taken);
  b = run_chain (t2, in, FALSE, r, g2, &taken);
  g_assert_cmpmem (a->data, sizeof (float) * 53 * 29, b->data, sizeof (float) * 53 * 29);
  g_assert_cmpmem (g1, sizeof (float) * n_grads, g2, sizeof (float) * n_grads);
  FREE_ALL (in);
}

/* Out of training: ReLU over the input's buffer when no gradient is
 * recorded; with one (ReLU's backward reads its input), or with a leaf or
 * an empty tensor, the out-of-place op and the input intact. */
static void
test_evaluation_and_fallbacks (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  g_autoptr(PhiliaTensor) x = NULL, w = NULL, b = NULL, empty = NULL;
  g_autofree float *expected = NULL, *leaf = NULL;
  PhiliaTensor *h, *a;
  float *buffer;

  philia_rng_init (&rng, 3);
  x = param (11, 5, &rng);
  w = param (5, 7, &rng);
  b = param (1, 7, &rng);
  philia_tape_set_training (tape, FALSE);

  /* Parameters taking gradients: ReLU's node needs h, h stays. */
  h = philia_op_linear (tape, x, w, b);
  expected = g_memdup2 (philia_op_relu (tape, h)->data, sizeof (float) * 77);
  buffer = h->data;
  a = _philia_op_relu_dropout_consume (tape, h, 0.5f);
  g_assert_true (h->data == buffer && a->data != buffer);
  g_assert_cmpmem (a->data, sizeof (float) * 77, expected, sizeof (float) * 77);

  /* No gradients (the evaluation pass): in place, the same values. */
  x->requires_grad = w->requires_grad = b->requires_grad = FALSE;
  h = philia_op_linear (tape, x, w, b);
  buffer = h->data;
  a = _philia_op_relu_dropout_consume (tape, h, 0.5f);
  g_assert_true (a->data == buffer && h->data == NULL);
  g_assert_cmpmem (a->data, sizeof (float) * 77, expected, sizeof (float) * 77);
  for (guint i = 0; i < 77; i++)
    g_assert_cmpfloat (a->data[i], >=, 0);

  /* A leaf (not the tape's): never overwritten, training or not. */
  philia_tape_set_training (tape, TRUE);
  leaf = g_memdup2 (x->data, sizeof (float) * 55);
  a = _philia_op_relu_dropout_consume (tape, x, 0.5f);
  g_assert_true (a != x && a->data != x->data);
  g_assert_cmpmem (x->data, sizeof (float) * 55, leaf, sizeof (float) * 55);

  /* No rows. */
  empty = philia_tensor_new (0, 5);
  h = philia_op_linear (tape, empty, w, b);
  a = _philia_op_relu_dropout_consume (tape, h, 0.5f);
  g_assert_cmpuint (a->rows, ==, 0);
  g_assert_cmpuint (a->cols, ==, 7);
  philia_tape_reset (tape);
}

static PhiliaTensor *
build_add_consume (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  PhiliaTensor *h = philia_op_matmul (t, in[0], in[1]);

  h = _philia_op_add_consume (t, h, philia_op_scale (t, in[2], 2.0f));
  return _philia_op_add_consume (t, h, in[3]);
}

/* The in-place sum (a full tensor, then a bias row): gradients by finite
 * differences, values and gradients bit-identical to philia_op_add ()'s, the
 * buffer taken over; a leaf is never written. */
static void
test_add (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[4];
  g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
  g_autoptr(PhiliaTape) t2 = philia_tape_new (1);
  g_autofree float *r = NULL, *g1 = NULL, *leaf = NULL;
  PhiliaTensor *a, *b, *h;
  float *buffer;

  philia_rng_init (&rng, 23);
  in[0] = param (13, 5, &rng);
  in[1] = param (5, 11, &rng);
  in[2] = param (13, 11, &rng);
  in[3] = param (1, 11, &rng);
  check_gradients ("add_consume", build_add_consume, in, 4, NULL, 2e-3);

  r = g_new (float, 13 * 11);
  for (guint i = 0; i < 13 * 11; i++)
    r[i] = 2 * philia_rng_float (&rng) - 1;
  for (guint k = 0; k < 4; k++)
    philia_tensor_zero_grad (in[k]);
  a = build_add_consume (t1, in, NULL);
  philia_tape_backward_from (t1, a, r);
  g1 = g_new (float, 5 * 11 + 13 * 11 + 11);
  memcpy (g1, in[1]->grad, sizeof (float) * 55);
  memcpy (g1 + 55, in[2]->grad, sizeof (float) * 143);
  memcpy (g1 + 198, in[3]->grad, sizeof (float) * 11);
  for (guint k = 0; k < 4; k++)
    philia_tensor_zero_grad (in[k]);
  b = philia_op_add (t2, philia_op_add (t2, philia_op_matmul (t2, in[0], in[1]),
                                        philia_op_scale (t2, in[2], 2.0f)), in[3]);
  philia_tape_backward_from (t2, b, r);
  g_assert_cmpmem (a->data, sizeof (float) * 143, b->data, sizeof (float) * 143);
  g_assert_cmpmem (g1, sizeof (float) * 55, in[1]->grad, sizeof (float) * 55);
  g_assert_cmpmem (g1 + 55, sizeof (float) * 143, in[2]->grad, sizeof (float) * 143);
  g_assert_cmpmem (g1 + 198, sizeof (float) * 11, in[3]->grad, sizeof (float) * 11);

  /* In place: the product's buffer became the sum's. */
  philia_tape_reset (t1);
  h = philia_op_matmul (t1, in[0], in[1]);
  buffer = h->data;
  a = _philia_op_add_consume (t1, h, in[3]);
  g_assert_true (a->data == buffer && h->data == NULL);
  /* A leaf stays as it was. */
  leaf = g_memdup2 (in[2]->data, sizeof (float) * 143);
  a = _philia_op_add_consume (t1, in[2], in[3]);
  g_assert_true (a->data != in[2]->data);
  g_assert_cmpmem (in[2]->data, sizeof (float) * 143, leaf, sizeof (float) * 143);
  philia_tape_reset (t1);
  FREE_ALL (in);
}

static PhiliaTensor *
build_spmm_consume (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  PhiliaSparse *s = data;

  return _philia_op_spmm_consume (t, s, philia_op_matmul (t, in[0], in[1]));
}

/* S (X W) with X W's buffer given back once read: gradients by finite
 * differences, values and gradients bit-identical to philia_op_spmm ()'s,
 * the buffer back in the pool (the next tensor of its size takes it); a leaf
 * keeps its buffer. */
static void
test_spmm (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[2];
  g_autoptr(PhiliaSparse) s = NULL;
  g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
  g_autoptr(PhiliaTape) t2 = philia_tape_new (1);
  g_autofree float *r = NULL, *g1 = NULL;
  PhiliaTensor *a, *b, *xw, *leaf;
  float *buffer;

  philia_rng_init (&rng, 29);
  s = small_sparse (9, 9, &rng);
  in[0] = param (9, 6, &rng);
  in[1] = param (6, 10, &rng);
  check_gradients ("spmm_consume", build_spmm_consume, in, 2, s, 2e-3);

  r = g_new (float, 9 * 10);
  for (guint i = 0; i < 9 * 10; i++)
    r[i] = 2 * philia_rng_float (&rng) - 1;
  for (guint k = 0; k < 2; k++)
    philia_tensor_zero_grad (in[k]);
  a = build_spmm_consume (t1, in, s);
  philia_tape_backward_from (t1, a, r);
  g1 = g_new (float, 54 + 60);
  memcpy (g1, in[0]->grad, sizeof (float) * 54);
  memcpy (g1 + 54, in[1]->grad, sizeof (float) * 60);
  for (guint k = 0; k < 2; k++)
    philia_tensor_zero_grad (in[k]);
  b = philia_op_spmm (t2, s, NULL, philia_op_matmul (t2, in[0], in[1]));
  philia_tape_backward_from (t2, b, r);
  g_assert_cmpmem (a->data, sizeof (float) * 90, b->data, sizeof (float) * 90);
  g_assert_cmpmem (g1, sizeof (float) * 54, in[0]->grad, sizeof (float) * 54);
  g_assert_cmpmem (g1 + 54, sizeof (float) * 60, in[1]->grad, sizeof (float) * 60);

  /* The product's buffer is free for the next tensor of its size. */
  philia_tape_reset (t1);
  xw = philia_op_matmul (t1, in[0], in[1]);
  buffer = xw->data;
  a = _philia_op_spmm_consume (t1, s, xw);
  g_assert_null (xw->data);
  g_assert_true (philia_op_scale (t1, a, 2.0f)->data == buffer);
  /* A leaf keeps its buffer. */
  leaf = param (9, 4, &rng);
  buffer = leaf->data;
  a = _philia_op_spmm_consume (t1, s, leaf);
  g_assert_true (leaf->data == buffer);
  b = philia_op_spmm (t2, s, NULL, leaf);
  g_assert_cmpmem (a->data, sizeof (float) * 36, b->data, sizeof (float) * 36);
  philia_tape_reset (t1);
  philia_tape_reset (t2);
  philia_tensor_free (leaf);
  FREE_ALL (in);
}

/* GAT's bias-ELU-dropout (_philia_op_bias_elu_dropout_consume): its
 * gradient by finite differences, then against add → elu → dropout from
 * the same generator state: the same values and gradient bits, on one
 * thread and two, for widths of whole vectors of sixteen and of eight
 * (GAT's) and one of none, in training and out of it. */
static PhiliaTensor *
build_bias_elu (PhiliaTape *t, PhiliaTensor **in, gpointer data)
{
  PhiliaTensor *h = philia_op_matmul (t, in[0], in[1]);

  return philia_op_matmul (t, _philia_op_bias_elu_dropout_consume (t, h, in[2], 1.0f, 0.4f),
                           in[3]);
}

static void
test_bias_elu_gradients (void)
{
  PhiliaRng rng;
  PhiliaTensor *in[4];

  philia_rng_init (&rng, 7);
  in[0] = param (9, 5, &rng);
  in[1] = param (5, 16, &rng);
  in[2] = param (1, 16, &rng);
  in[3] = param (16, 3, &rng);
  check_gradients ("bias_elu_dropout_consume", build_bias_elu, in, 4, NULL, 2e-3);
  FREE_ALL (in);
}

static PhiliaTensor *
run_bias_elu (PhiliaTape    *tape,
              PhiliaTensor **in,
              gboolean       fused,
              const float   *r,
              float         *grads)
{
  PhiliaTensor *h, *a, *out;
  gsize at = 0;

  for (guint k = 0; k < 4; k++)
    philia_tensor_zero_grad (in[k]);
  philia_rng_init (philia_tape_get_rng (tape), 21);
  /* Scaled so that ELU sees both sides of -0.5 (its two approximations). */
  h = philia_op_scale (tape, philia_op_matmul (tape, in[0], in[1]), 3.0f);
  a = fused ? _philia_op_bias_elu_dropout_consume (tape, h, in[2], 1.0f, 0.5f)
            : philia_op_dropout (tape, philia_op_elu (tape, philia_op_add (tape, h, in[2]), 1.0f),
                                 0.5f);
  if (fused && philia_tape_get_training (tape))
    g_assert_null (h->data);
  if (!philia_tape_get_training (tape))
    return a;
  out = philia_op_matmul (tape, a, in[3]);
  philia_tape_backward_from (tape, out, r);
  for (guint k = 0; k < 4; k++)
    {
      memcpy (grads + at, in[k]->grad, sizeof (float) * philia_tensor_size (in[k]));
      at += philia_tensor_size (in[k]);
    }
  return a;
}

static void
test_bias_elu_same (void)
{
  /* Widths of none, of eights (the eight-lane loop) and of sixteens (the
   * sixteen-lane one). */
  const guint shapes[][2] = { { 53, 29 }, { 45, 24 }, { 301, 64 } };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (guint threads = 1; threads <= 2; threads++)
      for (guint training = 0; training <= 1; training++)
        {
          guint n = shapes[s][0], c = shapes[s][1];
          PhiliaRng rng;
          PhiliaTensor *in[4];
          g_autoptr(PhiliaTape) t1 = philia_tape_new (threads);
          g_autoptr(PhiliaTape) t2 = philia_tape_new (1);
          g_autofree float *r = g_new (float, n * 4);
          gsize n_grads = n * 6 + 6 * c + c + c * 4;
          g_autofree float *g1 = g_new (float, n_grads), *g2 = g_new (float, n_grads);
          PhiliaTensor *a, *b;
          guint negative = 0, dropped = 0;

          philia_rng_init (&rng, 17 + s);
          in[0] = param (n, 6, &rng);
          in[1] = param (6, c, &rng);
          in[2] = param (1, c, &rng);
          in[3] = param (c, 4, &rng);
          for (guint i = 0; i < n * 4; i++)
            r[i] = 2 * philia_rng_float (&rng) - 1;
          philia_tape_set_training (t1, training);
          philia_tape_set_training (t2, training);
          a = run_bias_elu (t1, in, TRUE, r, g1);
          b = run_bias_elu (t2, in, FALSE, r, g2);
          g_assert_cmpmem (a->data, sizeof (float) * n * c, b->data, sizeof (float) * n * c);
          if (training)
            g_assert_cmpmem (g1, sizeof (float) * n_grads, g2, sizeof (float) * n_grads);
          for (guint i = 0; i < n * c; i++)
            {
              negative += b->data[i] < -0.4f;
              dropped += b->data[i] == 0;
            }
          g_assert_cmpuint (negative, >, 0);
          if (training)
            g_assert_cmpuint (dropped, >, n * c / 4);
          FREE_ALL (in);
        }
}

/* Dropout's draws as a stream (philia-ops-dense.c) against the whole mask
 * from the same generator state: x = relu (x) · (mask ? keep : 0), bit for
 * bit, over pieces of a multiple of eight elements and a short last one
 * (as the hidden op's blocks take them), for sizes with and without a
 * tail, none, one element; and the generator left where the mask leaves it. */
static void
test_dropout_stream (void)
{
  static const gsize sizes[] = { 0, 1, 7, 8, 9, 64, 1003, 4096 + 5 };
  static const gsize pieces[] = { 8, 16, 96 * 33, 1 << 20 };
  PhiliaRng rng;

  philia_rng_init (&rng, 17);
  for (guint a = 0; a < G_N_ELEMENTS (sizes); a++)
    for (guint b = 0; b < G_N_ELEMENTS (pieces); b++)
      {
        gsize n = sizes[a];
        float p = b % 2 == 0 ? 0.5f : 0.3f, keep = 1.0f / (1.0f - p);
        g_autofree float *x = g_new (float, MAX (n, 1));
        g_autofree float *expected = g_new (float, MAX (n, 1));
        g_autofree guint8 *mask = g_new (guint8, MAX (n, 1));
        g_autoptr(PhiliaTape) whole = philia_tape_new (1);
        g_autoptr(PhiliaTape) streamed = philia_tape_new (1);
        PhiliaDropoutStream stream;

        for (gsize i = 0; i < n; i++)
          x[i] = 2 * philia_rng_float (&rng) - 1;
        philia_rng_init (philia_tape_get_rng (whole), 40 + a);
        philia_rng_init (philia_tape_get_rng (streamed), 40 + a);
        _philia_dropout_mask_from_tape (whole, mask, n, p);
        for (gsize i = 0; i < n; i++)
          expected[i] = (x[i] > 0 ? x[i] : 0.0f) * (mask[i] ? keep : 0.0f);
        _philia_dropout_stream_init (streamed, &stream, p);
        for (gsize i = 0; i < n; i += pieces[b])
          _philia_dropout_stream_relu (&stream, x + i, MIN (pieces[b], n - i), keep);
        g_assert_cmpmem (x, sizeof (float) * n, expected, sizeof (float) * n);
        g_assert_cmpuint (philia_rng_next (philia_tape_get_rng (whole)), ==,
                          philia_rng_next (philia_tape_get_rng (streamed)));
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Philia/Autograd/relu-dropout-in-place/gradients", test_gradients);
  g_test_add_func ("/Philia/Autograd/relu-dropout-in-place/same-as-out-of-place",
                   test_same_as_out_of_place);
  g_test_add_func ("/Philia/Autograd/relu-dropout-in-place/evaluation-and-fallbacks",
                   test_evaluation_and_fallbacks);
  g_test_add_func ("/Philia/Autograd/bias-elu-dropout/gradients", test_bias_elu_gradients);
  g_test_add_func ("/Philia/Autograd/bias-elu-dropout/same-as-three-ops", test_bias_elu_same);
  g_test_add_func ("/Philia/Autograd/add-in-place", test_add);
  g_test_add_func ("/Philia/Autograd/dropout-stream", test_dropout_stream);
  g_test_add_func ("/Philia/Autograd/spmm-in-place", test_spmm);
  return g_test_run ();
}
