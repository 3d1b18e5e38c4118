/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "autograd-test-util.h"
#include "philia-core.h"
#include "philia-ops-transformer-private.h"
#include "philia-small-gemm-private.h"

/*
 * The transformer's ops (forward against a direct double-precision
 * computation, backward against central finite differences of
 * L = Σ out ⊙ R, the check of autograd-test-util.c every op shares) and the
 * model on small graphs: reproducible by seed, isolated nodes, self-loops,
 * unlabeled nodes, mini-batches and pretraining.
 */

/* ------------------------------------------------------------ layer norm */

static PhiliaTensor *
build_layer_norm (PhiliaTape    *tape,
                  PhiliaTensor **in,
                  gpointer       data)
{
  return philia_op_layer_norm (tape, in[0], in[1], in[2], 1e-5f);
}

/* Rows of @C columns: 4 takes the scalar sums, 12 the eight-lane ones and
 * a remainder. */
static void
layer_norm_case (guint C)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) x = NULL, gamma = NULL, beta = NULL;
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *in[3], *y;

  philia_rng_init (&rng, 1);
  x = param (5, C, &rng);
  gamma = param (1, C, &rng);
  beta = param (1, C, &rng);
  /* A constant row: its deviation is all zero, the output is beta. */
  for (guint j = 0; j < C; j++)
    x->data[4 * C + j] = 0.5f;
  y = philia_op_layer_norm (tape, x, gamma, beta, 1e-5f);
  for (guint i = 0; i < 5; i++)
    {
      double mean = 0, var = 0;

      for (guint j = 0; j < C; j++)
        mean += x->data[i * C + j] / (double)C;
      for (guint j = 0; j < C; j++)
        var += pow (x->data[i * C + j] - mean, 2) / (double)C;
      for (guint j = 0; j < C; j++)
        g_assert_cmpfloat_with_epsilon (y->data[i * C + j],
                                        (x->data[i * C + j] - mean) / sqrt (var + 1e-5)
                                        * gamma->data[j] + beta->data[j], 1e-5);
    }
  for (guint j = 0; j < C; j++)
    g_assert_cmpfloat_with_epsilon (y->data[4 * C + j], beta->data[j], 1e-6);
  philia_tape_reset (tape);
  /* Finite differences need a row with a spread well above the step. */
  for (guint j = 0; j < C; j++)
    x->data[4 * C + j] = j % 2 ? 0.8f : -0.7f + 0.1f * (j % 4);
  in[0] = x;
  in[1] = gamma;
  in[2] = beta;
  check_gradients ("layer_norm", build_layer_norm, in, 3, NULL, 2e-3);
}

/* x through two norms: the second gradient adds to the first. */
static PhiliaTensor *
build_layer_norm_twice (PhiliaTape    *tape,
                        PhiliaTensor **in,
                        gpointer       data)
{
  return philia_op_add (tape, philia_op_layer_norm (tape, in[0], in[1], in[2], 1e-5f),
                        philia_op_layer_norm (tape, in[0], in[2], in[1], 1e-5f));
}

static void
test_layer_norm (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) x = NULL, gamma = NULL, beta = NULL;
  PhiliaTensor *in[3];

  layer_norm_case (4);
  layer_norm_case (12);
  philia_rng_init (&rng, 11);
  x = param (4, 10, &rng);
  gamma = param (1, 10, &rng);
  beta = param (1, 10, &rng);
  in[0] = x;
  in[1] = gamma;
  in[2] = beta;
  check_gradients ("layer_norm twice", build_layer_norm_twice, in, 3, NULL, 2e-3);
  /* beta alone learns: gamma's sums go nowhere. */
  gamma->requires_grad = FALSE;
  check_gradients ("layer_norm (beta alone)", build_layer_norm, in, 3, NULL, 2e-3);
  for (guint j = 0; j < 10; j++)
    g_assert_cmpfloat (gamma->grad[j], ==, 0);
}

/* ------------------------------------------------------- seq attention */

typedef struct
{
  guint        seq_len, heads;
  const guint *lengths;
} AttnCase;

static PhiliaTensor *
build_attention (PhiliaTape    *tape,
                 PhiliaTensor **in,
                 gpointer       data)
{
  AttnCase *c = data;

  return philia_op_seq_attention (tape, in[0], in[1], in[2], c->seq_len, c->heads, c->lengths,
                                  NULL);
}

/* Heads of @D columns: 3 takes the scalar dot products, 12 the eight-lane
 * ones and a remainder. */
static void
seq_attention_case (guint D)
{
  /* Three sequences of 4: full, a single token (an isolated node), two. */
  static const guint lengths[] = { 4, 1, 2 };
  AttnCase c = { 4, 2, lengths };
  guint L = 4, H = 2, w = H * D;
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) q = NULL, k = NULL, v = NULL;
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *in[3], *out, *probs = NULL;

  philia_rng_init (&rng, 2);
  q = param (12, w, &rng);
  k = param (12, w, &rng);
  v = param (12, w, &rng);
  out = philia_op_seq_attention (tape, q, k, v, L, H, lengths, &probs);
  g_assert_nonnull (probs);
  g_assert_cmpuint (probs->rows, ==, 12);
  g_assert_cmpuint (probs->cols, ==, H * L);
  for (guint b = 0; b < 3; b++)
    for (guint h = 0; h < H; h++)
      for (guint i = 0; i < L; i++)
        {
          guint row = b * L + i;
          double s[4], max = -INFINITY, sum = 0;

          if (i >= lengths[b])
            {
              /* Padding: nothing out, no attention. */
              for (guint d = 0; d < D; d++)
                g_assert_cmpfloat (out->data[row * w + h * D + d], ==, 0);
              for (guint j = 0; j < L; j++)
                g_assert_cmpfloat (probs->data[row * H * L + h * L + j], ==, 0);
              continue;
            }
          for (guint j = 0; j < lengths[b]; j++)
            {
              s[j] = 0;
              for (guint d = 0; d < D; d++)
                s[j] += (double)q->data[row * w + h * D + d] * k->data[(b * L + j) * w + h * D + d];
              s[j] /= sqrt (D);
              max = MAX (max, s[j]);
            }
          for (guint j = 0; j < lengths[b]; j++)
            sum += exp (s[j] - max);
          for (guint d = 0; d < D; d++)
            {
              double o = 0;

              for (guint j = 0; j < lengths[b]; j++)
                o += exp (s[j] - max) / sum * v->data[(b * L + j) * w + h * D + d];
              g_assert_cmpfloat_with_epsilon (out->data[row * w + h * D + d], o, 1e-5);
            }
          for (guint j = 0; j < L; j++)
            g_assert_cmpfloat_with_epsilon (probs->data[row * H * L + h * L + j],
                                            j < lengths[b] ? exp (s[j] - max) / sum : 0, 1e-6);
        }
  /* A single token attends to itself alone: its output is its value. */
  for (guint d = 0; d < w; d++)
    g_assert_cmpfloat (out->data[4 * w + d], ==, v->data[4 * w + d]);
  philia_tape_reset (tape);

  in[0] = q;
  in[1] = k;
  in[2] = v;
  check_gradients ("seq_attention", build_attention, in, 3, &c, 2e-3);
}

static void
test_seq_attention (void)
{
  seq_attention_case (3);
  seq_attention_case (12);
}

static PhiliaTensor *
build_attention_first (PhiliaTape    *tape,
                       PhiliaTensor **in,
                       gpointer       data)
{
  AttnCase *c = data;

  return philia_op_seq_attention_first (tape, in[0], in[1], in[2], c->seq_len, c->heads,
                                        c->lengths, NULL);
}

/* The first tokens' attention alone: the rows b·L of the full op (output and
 * probabilities, bit for bit: the same sums in the same order), a gradient
 * that finite differences confirm, and keys and values past a sequence's
 * length get none. */
static void
test_seq_attention_first (void)
{
  static const guint lengths[] = { 4, 1, 2 };
  AttnCase c = { 4, 2, lengths };
  guint L = 4, H = 2, D = 3, w = H * D, B = 3;
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) q = NULL, q1 = NULL, k = NULL, v = NULL;
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *in[3], *full, *first, *pf = NULL, *p1 = NULL;

  philia_rng_init (&rng, 5);
  q = param (B * L, w, &rng);
  k = param (B * L, w, &rng);
  v = param (B * L, w, &rng);
  q1 = philia_tensor_new (B, w);
  q1->requires_grad = TRUE;
  for (guint b = 0; b < B; b++)
    memcpy (q1->data + b * w, q->data + b * L * w, sizeof (float) * w);
  full = philia_op_seq_attention (tape, q, k, v, L, H, lengths, &pf);
  first = philia_op_seq_attention_first (tape, q1, k, v, L, H, lengths, &p1);
  g_assert_cmpuint (first->rows, ==, B);
  g_assert_cmpuint (first->cols, ==, w);
  g_assert_cmpuint (p1->rows, ==, B);
  g_assert_cmpuint (p1->cols, ==, H * L);
  for (guint b = 0; b < B; b++)
    {
      g_assert_cmpmem (first->data + b * w, sizeof (float) * w, full->data + b * L * w,
                       sizeof (float) * w);
      g_assert_cmpmem (p1->data + b * H * L, sizeof (float) * H * L,
                       pf->data + b * L * H * L, sizeof (float) * H * L);
    }
  philia_tape_reset (tape);

  /* Keys and values beyond a sequence's length: no gradient. */
  philia_tensor_zero_grad (k);
  philia_tensor_zero_grad (v);
  philia_tape_backward (tape, philia_op_mse (tape, philia_op_seq_attention_first (
                                               tape, q1, k, v, L, H, lengths, NULL), q1));
  for (guint b = 0; b < B; b++)
    for (guint j = lengths[b]; j < L; j++)
      for (guint d = 0; d < w; d++)
        {
          g_assert_cmpfloat (k->grad[(b * L + j) * w + d], ==, 0);
          g_assert_cmpfloat (v->grad[(b * L + j) * w + d], ==, 0);
        }
  philia_tape_reset (tape);

  in[0] = q1;
  in[1] = k;
  in[2] = v;
  check_gradients ("seq_attention_first", build_attention_first, in, 3, &c, 2e-3);
}

/* Two threads split sequences, never a sum: the same bits as one. */
static void
test_seq_attention_threads (void)
{
  guint n = 400, L = 5, w = 8;
  g_autofree guint *lengths = g_new (guint, n);
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) q = NULL, k = NULL, v = NULL;
  g_autofree float *out1 = NULL, *grad1 = NULL;

  philia_rng_init (&rng, 3);
  q = param (n * L, w, &rng);
  k = param (n * L, w, &rng);
  v = param (n * L, w, &rng);
  for (guint b = 0; b < n; b++)
    lengths[b] = 1 + b % L;
  for (guint threads = 1; threads <= 2; threads++)
    {
      g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
      PhiliaTensor *out, *loss;

      philia_tensor_zero_grad (q);
      out = philia_op_seq_attention (tape, q, k, v, L, 2, lengths, NULL);
      loss = philia_op_mse (tape, out, v);
      philia_tape_backward (tape, loss);
      if (threads == 1)
        {
          out1 = g_memdup2 (out->data, sizeof (float) * n * L * w);
          grad1 = g_memdup2 (q->grad, sizeof (float) * n * L * w);
        }
      else
        {
          g_assert_cmpmem (out1, sizeof (float) * n * L * w, out->data,
                           sizeof (float) * n * L * w);
          g_assert_cmpmem (grad1, sizeof (float) * n * L * w, q->grad,
                           sizeof (float) * n * L * w);
        }
    }
}

/* ------------------------------------------------------ packed attention */

typedef struct
{
  guint         n_seq, seq_len, heads;
  const guint  *lengths;
  const gint32 *rows;
} PackedCase;

static PhiliaTensor *
build_packed (PhiliaTape    *tape,
              PhiliaTensor **in,
              gpointer       data)
{
  PackedCase *c = data;

  return philia_op_seq_attention_packed (tape, in[0], c->rows, c->n_seq, c->seq_len, c->heads,
                                         c->lengths, NULL);
}

static PhiliaTensor *
build_first_packed (PhiliaTape    *tape,
                    PhiliaTensor **in,
                    gpointer       data)
{
  PackedCase *c = data;

  return philia_op_seq_attention_first_packed (tape, in[0], in[1], c->rows, c->seq_len,
                                               c->heads, c->lengths, NULL);
}

/* Columns @begin … of @src's rows @rows (or all in order) as a new tensor. */
static PhiliaTensor *
gather_block (PhiliaTensor *src,
              const gint32 *rows,
              guint         n,
              guint         begin,
              guint         count)
{
  PhiliaTensor *t = philia_tensor_new (n, count);

  for (guint r = 0; r < n; r++)
    {
      guint at = rows != NULL ? (guint)rows[r] : r;

      memcpy (t->data + r * count, src->data + at * src->cols + begin, sizeof (float) * count);
    }
  t->requires_grad = TRUE;
  return t;
}

/* Adds @t's gradient into @acc's columns @begin … at rows @rows. */
static void
scatter_block (double       *acc,
               guint         acc_cols,
               PhiliaTensor *t,
               const gint32 *rows,
               guint         begin)
{
  for (guint r = 0; r < t->rows; r++)
    for (guint j = 0; j < t->cols; j++)
      acc[(rows != NULL ? (guint)rows[r] : r) * acc_cols + begin + j] += t->grad[r * t->cols + j];
}

/* Packed q | k | v read through a row map (tokens sharing rows, as the
 * first layer's repeated nodes do) against the three blocks gathered into
 * tensors of their own and the plain op: the same output and probabilities
 * bit for bit (the same sums in the same order), gradients equal to the
 * gathered ones summed back through the map, and finite differences. With
 * D = 3 the dot products are scalar, with 12 eight lanes and a remainder. */
static void
packed_case (guint D)
{
  /* Three sequences of 4 over 6 shared rows: full, a single token, two. */
  static const guint lengths[] = { 4, 1, 2 };
  static const gint32 rows[] = { 0, 1, 2, 1, 3, 3, 3, 3, 4, 0, 5, 5 };
  guint L = 4, H = 2, w = H * D, B = 3, U = 6, n = B * L;
  PackedCase c = { B, L, H, lengths, rows };
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) qkv = NULL, q = NULL, k = NULL, v = NULL, q1 = NULL, kv = NULL;
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  g_autofree double *sum = g_new0 (double, U * 3 * w);
  PhiliaTensor *in[2], *out, *ref, *p = NULL, *pref = NULL;
  gint32 first[3];

  philia_rng_init (&rng, 8);
  qkv = param (U, 3 * w, &rng);
  q = gather_block (qkv, rows, n, 0, w);
  k = gather_block (qkv, rows, n, w, w);
  v = gather_block (qkv, rows, n, 2 * w, w);
  out = philia_op_seq_attention_packed (tape, qkv, rows, B, L, H, lengths, &p);
  ref = philia_op_seq_attention (tape, q, k, v, L, H, lengths, &pref);
  g_assert_cmpmem (out->data, sizeof (float) * n * w, ref->data, sizeof (float) * n * w);
  g_assert_cmpmem (p->data, sizeof (float) * n * H * L, pref->data, sizeof (float) * n * H * L);
  philia_tape_reset (tape);
  /* The same loss through both (each on a tape of its own step). */
  philia_tensor_zero_grad (qkv);
  philia_tape_backward (tape, philia_op_mse (tape, philia_op_seq_attention_packed (
                                               tape, qkv, rows, B, L, H, lengths, NULL),
                                             q));
  philia_tape_reset (tape);
  philia_tape_backward (tape, philia_op_mse (tape, philia_op_seq_attention (
                                               tape, q, k, v, L, H, lengths, NULL), q));
  scatter_block (sum, 3 * w, q, rows, 0);
  scatter_block (sum, 3 * w, k, rows, w);
  scatter_block (sum, 3 * w, v, rows, 2 * w);
  for (guint i = 0; i < U * 3 * w; i++)
    g_assert_cmpfloat_with_epsilon (qkv->grad[i], sum[i], 1e-6);
  philia_tape_reset (tape);
  in[0] = qkv;
  check_gradients ("seq_attention_packed", build_packed, in, 1, &c, 2e-3);
  /* No map: rows in order, the packed gradient written in place. */
  c.rows = NULL;
  {
    g_autoptr(PhiliaTensor) full = param (n, 3 * w, &rng);

    in[0] = full;
    check_gradients ("seq_attention_packed (no map)", build_packed, in, 1, &c, 2e-3);
  }

  /* First tokens: q apart, k | v packed and mapped, against the plain op. */
  c.rows = rows;
  for (guint b = 0; b < B; b++)
    first[b] = rows[b * L];
  q1 = gather_block (qkv, first, B, 0, w);
  kv = gather_block (qkv, NULL, U, w, 2 * w);
  out = philia_op_seq_attention_first_packed (tape, q1, kv, rows, L, H, lengths, &p);
  ref = philia_op_seq_attention_first (tape, q1, k, v, L, H, lengths, &pref);
  g_assert_cmpmem (out->data, sizeof (float) * B * w, ref->data, sizeof (float) * B * w);
  g_assert_cmpmem (p->data, sizeof (float) * B * H * L, pref->data, sizeof (float) * B * H * L);
  philia_tape_reset (tape);
  in[0] = q1;
  in[1] = kv;
  check_gradients ("seq_attention_first_packed", build_first_packed, in, 2, &c, 2e-3);
  c.rows = NULL;
  {
    g_autoptr(PhiliaTensor) kv_full = param (n, 2 * w, &rng);

    in[1] = kv_full;
    check_gradients ("seq_attention_first_packed (no map)", build_first_packed, in, 2, &c,
                     2e-3);
  }
}

static void
test_seq_attention_packed (void)
{
  packed_case (3);
  packed_case (12);
}

/* Two threads split sequences; the mapped rows' sums run in position order
 * after them, where one thread adds each position's sums into the mapped
 * rows as it goes: the same bits either way. Heads of 4 (scalar columns)
 * and of 12 (eight lanes and a remainder). */
static void
packed_threads_case (guint w)
{
  guint n = 300, L = 5, U = 97;
  g_autofree guint *lengths = g_new (guint, n);
  g_autofree gint32 *rows = g_new (gint32, n * L);
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) qkv = NULL, target = NULL;
  g_autofree float *out1 = NULL, *grad1 = NULL;

  philia_rng_init (&rng, 9);
  qkv = param (U, 3 * w, &rng);
  target = param (n * L, w, &rng);
  target->requires_grad = FALSE;
  for (guint b = 0; b < n; b++)
    lengths[b] = 1 + b % L;
  for (guint r = 0; r < n * L; r++)
    rows[r] = (gint32)philia_rng_below (&rng, U);
  for (guint threads = 1; threads <= 2; threads++)
    {
      g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
      PhiliaTensor *out;

      philia_tensor_zero_grad (qkv);
      out = philia_op_seq_attention_packed (tape, qkv, rows, n, L, 2, lengths, NULL);
      philia_tape_backward (tape, philia_op_mse (tape, out, target));
      if (threads == 1)
        {
          out1 = g_memdup2 (out->data, sizeof (float) * n * L * w);
          grad1 = g_memdup2 (qkv->grad, sizeof (float) * U * 3 * w);
        }
      else
        {
          g_assert_cmpmem (out1, sizeof (float) * n * L * w, out->data,
                           sizeof (float) * n * L * w);
          g_assert_cmpmem (grad1, sizeof (float) * U * 3 * w, qkv->grad,
                           sizeof (float) * U * 3 * w);
        }
    }
}

static void
test_seq_attention_packed_threads (void)
{
  packed_threads_case (8);
  packed_threads_case (24);
}

/* ------------------------------------------------------ linear columns */

typedef struct
{
  guint begin, count;
} ColumnsCase;

static PhiliaTensor *
build_linear_columns (PhiliaTape    *tape,
                      PhiliaTensor **in,
                      gpointer       data)
{
  ColumnsCase *c = data;

  return philia_op_linear_columns (tape, in[0], in[1], in[2], c->begin, c->count);
}

/* A column block of the weight against philia_op_linear () on that block
 * copied out, then finite differences; the gradient stays in the block. */
static void
test_linear_columns (void)
{
  ColumnsCase c = { 3, 4 };
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) x = NULL, w = NULL, b = NULL, wb = NULL, bb = NULL;
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *in[3], *y, *ref;

  philia_rng_init (&rng, 10);
  x = param (6, 6, &rng);
  w = param (6, 9, &rng);
  b = param (1, 9, &rng);
  wb = gather_block (w, NULL, 6, 3, 4);
  bb = gather_block (b, NULL, 1, 3, 4);
  y = philia_op_linear_columns (tape, x, w, b, 3, 4);
  g_assert_cmpuint (y->rows, ==, 6);
  ref = philia_op_linear (tape, x, wb, bb);
  g_assert_cmpuint (y->cols, ==, 4);
  for (guint i = 0; i < 6 * 4; i++)
    g_assert_cmpfloat_with_epsilon (y->data[i], ref->data[i], 1e-6);
  philia_tensor_zero_grad (w);
  philia_tape_backward (tape, philia_op_mse (tape, y, wb));
  for (guint r = 0; r < 6; r++)
    for (guint j = 0; j < 9; j++)
      if (j < 3 || j >= 7)
        g_assert_cmpfloat (w->grad[r * 9 + j], ==, 0);
  philia_tape_reset (tape);
  in[0] = x;
  in[1] = w;
  in[2] = b;
  check_gradients ("linear_columns", build_linear_columns, in, 3, &c, 2e-3);
}

/* --------------------------------------------- linear, dropout, residual */

typedef struct
{
  const gint32 *rows;
  float         p;
} ResidualCase;

static PhiliaTensor *
build_residual (PhiliaTape    *tape,
                PhiliaTensor **in,
                gpointer       data)
{
  ResidualCase *c = data;

  philia_tape_set_training (tape, TRUE);
  return philia_op_linear_dropout_add (tape, in[0], in[1], in[2], c->p, in[3], c->rows);
}

static PhiliaTensor *
build_residual_unfused (PhiliaTape    *tape,
                        PhiliaTensor **in,
                        gpointer       data)
{
  ResidualCase *c = data;
  PhiliaTensor *res = c->rows != NULL ? philia_op_index_select (tape, in[3], c->rows, 6)
                                      : in[3];

  philia_tape_set_training (tape, TRUE);
  return philia_op_add (tape, res, philia_op_dropout (tape, philia_op_linear (tape, in[0], in[1],
                                                                              in[2]), c->p));
}

/* The fused residual branch against linear, dropout, index_select and add
 * composed, on the same mask draws: output and every gradient bit for bit
 * (the same operations in the same order: both products by OpenBLAS here;
 * test-small-gemm.c compares the small-product kernel's path with a
 * tolerance), with and without a row map and dropout, 12 columns (eight
 * lanes and a remainder); then finite differences, by the path the model
 * takes (the mask is the same draw each time: the tape is reseeded). */
static void
test_linear_dropout_add (void)
{
  static const gint32 rows[] = { 2, 0, 2, 3, 1, 0 };
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) x = NULL, w = NULL, b = NULL, res = NULL, res6 = NULL;

  philia_rng_init (&rng, 12);
  x = param (6, 5, &rng);
  w = param (5, 12, &rng);
  b = param (1, 12, &rng);
  res = param (4, 12, &rng);
  res6 = param (6, 12, &rng);
  for (guint k = 0; k < 4; k++)
    {
      ResidualCase c = { k % 2 ? rows : NULL, k < 2 ? 0.5f : 0 };
      PhiliaTensor *in[4] = { x, w, b, k % 2 ? res : res6 };
      float *grads[2][4] = { { NULL } };
      float *outs[2] = { NULL };

      int cap = _philia_small_gemm_set_level (0);

      for (guint fused = 0; fused < 2; fused++)
        {
          g_autoptr(PhiliaTape) tape = philia_tape_new (1);
          PhiliaTensor *out;

          philia_rng_init (philia_tape_get_rng (tape), 3);
          for (guint i = 0; i < 4; i++)
            philia_tensor_zero_grad (in[i]);
          out = fused ? build_residual (tape, in, &c) : build_residual_unfused (tape, in, &c);
          outs[fused] = g_memdup2 (out->data, sizeof (float) * 6 * 12);
          philia_tape_backward (tape, philia_op_mse (tape, out, res6));
          for (guint i = 0; i < 4; i++)
            grads[fused][i] = g_memdup2 (in[i]->grad, sizeof (float) * philia_tensor_size (in[i]));
        }
      _philia_small_gemm_set_level (cap);
      g_assert_cmpmem (outs[0], sizeof (float) * 72, outs[1], sizeof (float) * 72);
      for (guint i = 0; i < 4; i++)
        g_assert_cmpmem (grads[0][i], sizeof (float) * philia_tensor_size (in[i]), grads[1][i],
                         sizeof (float) * philia_tensor_size (in[i]));
      check_gradients ("linear_dropout_add", build_residual, in, 4, &c, 2e-3);
      for (guint fused = 0; fused < 2; fused++)
        {
          g_free (outs[fused]);
          for (guint i = 0; i < 4; i++)
            g_free (grads[fused][i]);
        }
    }
}

/* ------------------------------------------------------------------- mse */

static PhiliaTensor *
build_mse (PhiliaTape    *tape,
           PhiliaTensor **in,
           gpointer       data)
{
  return philia_op_mse (tape, in[0], data);
}

static void
test_mse (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaTensor) a = NULL;
  g_autoptr(PhiliaTensor) t = philia_tensor_new (2, 2);
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *in[1];
  const float a0[] = { 1, 2, 3, 4 }, t0[] = { 1, 0, 5, 3 };
  g_autoptr(PhiliaTensor) fixed = philia_tensor_new_from (2, 2, a0);
  g_autoptr(PhiliaTensor) target = philia_tensor_new_from (2, 2, t0);

  /* (0 + 4 + 4 + 1) / 4 */
  g_assert_cmpfloat (philia_op_mse (tape, fixed, target)->data[0], ==, 2.25f);
  philia_rng_init (&rng, 4);
  a = param (3, 5, &rng);
  g_clear_pointer (&t, philia_tensor_free);
  t = param (3, 5, &rng);
  t->requires_grad = FALSE;
  in[0] = a;
  check_gradients ("mse", build_mse, in, 1, t, 2e-3);
}

/* ---------------------------------------------------------------- model */

/* Two communities of 6 (ring inside, one bridge), node 12 isolated, node 13
 * unlabeled, a self-loop on 0 and a duplicate edge; features say the class
 * only for half of the nodes, so neighbours help. */
static PhiliaGraph *
small_graph (void)
{
  guint n = 14;
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (n);
  g_autoptr(GError) error = NULL;
  GArray *edges = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 *labels = g_new (gint64, n);
  float *x = g_new0 (float, n * 3);
  guint8 *train = g_new0 (guint8, n), *val = g_new0 (guint8, n), *test = g_new0 (guint8, n);
  PhiliaGraph *graph;
  guint n_edges;

#define EDGE(u, v) \
  G_STMT_START { gint64 e_[2] = { u, v }; g_array_append_vals (edges, e_, 2); } G_STMT_END
  for (guint c = 0; c < 2; c++)
    for (guint i = 0; i < 6; i++)
      EDGE (6 * c + i, 6 * c + (i + 1) % 6);
  EDGE (0, 6);
  EDGE (0, 0);
  EDGE (1, 2);
#undef EDGE
  for (guint i = 0; i < n; i++)
    {
      labels[i] = i < 6 ? 0 : i < 12 ? 1 : i == 12 ? 0 : -1;
      x[i * 3 + 2] = 1;
      if (i % 2 == 0 && labels[i] >= 0)
        x[i * 3 + labels[i]] = 1;
      train[i] = i % 3 == 0 || i == 12;
      val[i] = i % 3 == 1;
      test[i] = i % 3 == 2;
    }
  n_edges = edges->len / 2;
  philia_graph_builder_take_edges (b, (gint64 *)g_array_free (edges, FALSE), n_edges);
  philia_graph_builder_take_labels (b, labels);
  philia_graph_builder_take_features (b, x, 3);
  philia_graph_builder_take_masks (b, 1, train, val, test);
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  return graph;
}

static PhiliaTrainResult *
train_with (PhiliaGraph       *graph,
            PhiliaTrainParams *params,
            guint64            seed,
            guint              threads)
{
  g_autoptr(GError) error = NULL;
  PhiliaTrainResult *r;

  params->seed = seed;
  params->n_threads = threads;
  r = philia_train (graph, "transformer", params, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

static void
small_params (PhiliaTrainParams *p)
{
  philia_train_params_init (p);
  p->epochs = 30;
  p->hidden = 8;
  p->heads = 2;
  p->layers = 2;
  p->walks = 2;
  p->walk_length = 2;
  p->hop_samples = 2;
  p->dropout = 0.1;
}

static void
assert_same_run (PhiliaTrainResult *a,
                 PhiliaTrainResult *b)
{
  g_assert_cmpuint (a->n_epochs, ==, b->n_epochs);
  g_assert_cmpmem (a->loss, sizeof (double) * a->n_epochs, b->loss,
                   sizeof (double) * b->n_epochs);
  g_assert_cmpmem (a->probabilities, sizeof (float) * a->n_nodes * a->n_classes,
                   b->probabilities, sizeof (float) * b->n_nodes * b->n_classes);
}

static void
test_model_small (void)
{
  g_autoptr(PhiliaGraph) graph = small_graph ();
  PhiliaTrainParams p;
  g_autoptr(PhiliaTrainResult) a = NULL, b = NULL, c = NULL, t2 = NULL;
  const gint64 *off = philia_graph_get_row_offsets (graph);

  small_params (&p);
  a = train_with (graph, &p, 5, 1);
  b = train_with (graph, &p, 5, 1);
  c = train_with (graph, &p, 6, 1);
  t2 = train_with (graph, &p, 5, 2);
  assert_same_run (a, b);
  assert_same_run (a, t2);
  g_assert_true (memcmp (a->loss, c->loss, sizeof (double) * a->n_epochs) != 0);
  g_assert_cmpstr (a->model, ==, "transformer");
  g_assert_cmpint (a->params.layers, ==, 2);
  /* It learns the training nodes. */
  g_assert_cmpfloat (a->loss[a->n_epochs - 1], <, a->loss[0]);
  g_assert_cmpfloat (a->train_accuracy, ==, 1.0);

  /* Attention as GAT's: per layer, each node's own token spreads one unit
   * per head over itself, its neighbours and (the node value) further
   * tokens; the isolated node 12 has only itself. */
  g_assert_nonnull (a->attention);
  g_assert_cmpuint (a->attention->len, ==, 2);
  g_assert_cmpuint (a->node_values->len, ==, 1);
  for (guint l = 0; l < 2; l++)
    {
      PhiliaAttention *at = &g_array_index (a->attention, PhiliaAttention, l);
      PhiliaNodeValues *beyond = g_ptr_array_index (a->node_values, 0);

      g_assert_cmpuint (at->heads, ==, 2);
      g_assert_cmpfloat (at->self[12 * 2], ==, 1.0f);
      g_assert_cmpfloat (at->self[12 * 2 + 1], ==, 1.0f);
      g_assert_cmpfloat (beyond->values[12], ==, 0);
      for (guint v = 0; v < a->n_nodes; v++)
        {
          double total = 0;

          for (guint h = 0; h < 2; h++)
            {
              total += at->self[v * 2 + h];
              for (gint64 e = off[v]; e < off[v + 1]; e++)
                total += at->edges[e * 2 + h];
            }
          /* Layers share the "beyond" average, so check the sum loosely:
           * at most one unit per head, at least what the neighbours got. */
          g_assert_cmpfloat (total, <=, 2.0 + 1e-5);
          g_assert_cmpfloat (total, >, 0);
        }
    }
}

static void
test_model_batches_pretraining (void)
{
  g_autoptr(PhiliaGraph) graph = small_graph ();
  PhiliaTrainParams p;
  g_autoptr(PhiliaTrainResult) full = NULL, batch = NULL, batch2 = NULL, pre = NULL, pre2 = NULL;

  small_params (&p);
  full = train_with (graph, &p, 1, 1);
  p.batch_size = 2;
  batch = train_with (graph, &p, 1, 1);
  batch2 = train_with (graph, &p, 1, 1);
  assert_same_run (batch, batch2);
  g_assert_true (memcmp (full->loss, batch->loss, sizeof (double) * full->n_epochs) != 0);
  p.batch_size = 0;
  p.pretrain_epochs = 10;
  pre = train_with (graph, &p, 1, 1);
  pre2 = train_with (graph, &p, 1, 1);
  assert_same_run (pre, pre2);
  g_assert_true (memcmp (full->loss, pre->loss, sizeof (double) * full->n_epochs) != 0);
  g_assert_cmpint (pre->params.pretrain_epochs, ==, 10);
}

/* Walks only, neighbour samples only, and a sequence of the node alone. */
static void
test_model_sequences (void)
{
  g_autoptr(PhiliaGraph) graph = small_graph ();
  PhiliaTrainParams p;

  small_params (&p);
  for (guint k = 0; k < 3; k++)
    {
      g_autoptr(PhiliaTrainResult) r = NULL;

      p.walks = k == 0 ? 3 : 0;
      p.hop_samples = k == 1 ? 3 : 0;
      r = train_with (graph, &p, 0, 1);
      if (k == 2)
        {
          PhiliaAttention *at = &g_array_index (r->attention, PhiliaAttention, 0);

          /* Alone in its sequence, every node attends to itself only. */
          for (guint v = 0; v < r->n_nodes; v++)
            g_assert_cmpfloat (at->self[v * 2], ==, 1.0f);
        }
    }
}

static void
test_model_refusals (void)
{
  g_autoptr(PhiliaGraph) graph = small_graph ();
  PhiliaTrainParams p;
  g_autoptr(GError) error = NULL;

  small_params (&p);
  p.hidden = 9;
  g_assert_null (philia_train (graph, "transformer", &p, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
  g_assert_nonnull (strstr (error->message, "multiple of its heads"));
  g_clear_error (&error);
  small_params (&p);
  p.walks = 100;
  p.walk_length = 100;
  g_assert_null (philia_train (graph, "transformer", &p, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/transformer/layer-norm", test_layer_norm);
  g_test_add_func ("/transformer/seq-attention", test_seq_attention);
  g_test_add_func ("/transformer/seq-attention-first", test_seq_attention_first);
  g_test_add_func ("/transformer/seq-attention-threads", test_seq_attention_threads);
  g_test_add_func ("/transformer/seq-attention-packed", test_seq_attention_packed);
  g_test_add_func ("/transformer/seq-attention-packed-threads",
                   test_seq_attention_packed_threads);
  g_test_add_func ("/transformer/linear-columns", test_linear_columns);
  g_test_add_func ("/transformer/linear-dropout-add", test_linear_dropout_add);
  g_test_add_func ("/transformer/mse", test_mse);
  g_test_add_func ("/transformer/model-small", test_model_small);
  g_test_add_func ("/transformer/batches-pretraining", test_model_batches_pretraining);
  g_test_add_func ("/transformer/sequences", test_model_sequences);
  g_test_add_func ("/transformer/refusals", test_model_refusals);
  return g_test_run ();
}
