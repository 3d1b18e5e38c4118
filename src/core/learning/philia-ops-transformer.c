/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The transformer's ops: layer norm, self-attention within token sequences
 * and a squared error (HACKING.md §7). Their backward passes are checked
 * against finite differences in tests/test-transformer.c. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-ops-transformer-private.h"
#include "philia-tape-private.h"
#include "philia-simd-private.h"

#include <math.h>
#include <string.h>

/* The eight lanes' sum in a fixed order. */
static inline G_ALWAYS_INLINE float
hsum8 (V8f a)
{
  return ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]));
}

/* Σ a_c b_c over @n floats: eight lanes at a time summed in a fixed order
 * (GCC keeps a plain reduction scalar), the remainder after them. */
static inline G_ALWAYS_INLINE float
vdot (const float *a,
      const float *b,
      guint        n)
{
  guint c = 0;
  float s = 0;

  if (n >= 8)
    {
      V8f acc = v8_load (a) * v8_load (b);

      for (c = 8; c + 8 <= n; c += 8)
        acc += v8_load (a + c) * v8_load (b + c);
      s = hsum8 (acc);
    }
  for (; c < n; c++)
    s += a[c] * b[c];
  return s;
}

/* ------------------------------------------------------------ layer norm */

typedef struct
{
  const float *x, *gamma, *beta;
  float       *y;
  float       *stats;   /* mean, 1/σ per row */
  const float *gy;
  float       *gx;
  guint        cols;
  float        eps;
} NormTask;

/* Mean and variance in float over eight lanes (two passes, so the variance
 * does not cancel); a row of the transformer's width is short enough. */
PHILIA_VECTORIZE static void
norm_rows (gpointer data,
           guint    begin,
           guint    end)
{
  NormTask *t = data;
  guint d = t->cols;

  for (guint i = begin; i < end; i++)
    {
      const float *x = t->x + (gsize)i * d;
      float *y = t->y + (gsize)i * d;
      V8f s8 = { 0 }, q8 = { 0 };
      float sum, sq, m, r;
      guint j;

      for (j = 0; j + 8 <= d; j += 8)
        s8 += v8_load (x + j);
      sum = hsum8 (s8);
      for (; j < d; j++)
        sum += x[j];
      m = sum / (float)d;
      for (j = 0; j + 8 <= d; j += 8)
        {
          V8f c = v8_load (x + j) - m;

          q8 += c * c;
        }
      sq = hsum8 (q8);
      for (; j < d; j++)
        sq += (x[j] - m) * (x[j] - m);
      r = 1.0f / sqrtf (sq / (float)d + t->eps);
      t->stats[2 * (gsize)i] = m;
      t->stats[2 * (gsize)i + 1] = r;
      for (j = 0; j < d; j++)
        y[j] = (x[j] - m) * r * t->gamma[j] + t->beta[j];
    }
}

/* dx = r (g − mean(g) − x̂ mean(g x̂)), g = dy ⊙ gamma. */
PHILIA_VECTORIZE static void
norm_grad_rows (gpointer data,
                guint    begin,
                guint    end)
{
  NormTask *t = data;
  guint d = t->cols;

  for (guint i = begin; i < end; i++)
    {
      const float *x = t->x + (gsize)i * d, *gy = t->gy + (gsize)i * d;
      float *gx = t->gx + (gsize)i * d;
      float m = t->stats[2 * (gsize)i], r = t->stats[2 * (gsize)i + 1];
      V8f sg8 = { 0 }, sgx8 = { 0 };
      float sg, sgx;
      guint j;

      for (j = 0; j + 8 <= d; j += 8)
        {
          V8f g = v8_load (gy + j) * v8_load (t->gamma + j);

          sg8 += g;
          sgx8 += g * ((v8_load (x + j) - m) * r);
        }
      sg = hsum8 (sg8);
      sgx = hsum8 (sgx8);
      for (; j < d; j++)
        {
          float g = gy[j] * t->gamma[j];

          sg += g;
          sgx += g * ((x[j] - m) * r);
        }
      sg /= (float)d;
      sgx /= (float)d;
      for (j = 0; j < d; j++)
        {
          float g = gy[j] * t->gamma[j];

          gx[j] += r * (g - sg - (x[j] - m) * r * sgx);
        }
    }
}

static void
layer_norm_backward (PhiliaTape *tape,
                     Node       *node)
{
  PhiliaTensor *x = node->in[0], *gamma = node->in[1], *beta = node->in[2];
  NormTask t = { x->data, gamma->data, beta->data, NULL, node->saved, node->out->grad, NULL,
                 x->cols, node->f };

  if (x->requires_grad)
    {
      t.gx = ensure_grad (x);
      _philia_tape_parallel_rows (tape, x->rows, NULL, (double)tensor_size (x) * 8,
                                  norm_grad_rows, &t);
    }
  /* The column sums over rows run in row order on one thread (sums are never split). */
  if (gamma->requires_grad || beta->requires_grad)
    {
      float *gg = gamma->requires_grad ? ensure_grad (gamma) : NULL;
      float *gb = beta->requires_grad ? ensure_grad (beta) : NULL;

      for (guint i = 0; i < x->rows; i++)
        {
          const float *xr = x->data + (gsize)i * x->cols;
          const float *gy = t.gy + (gsize)i * x->cols;
          float m = t.stats[2 * (gsize)i], r = t.stats[2 * (gsize)i + 1];

          for (guint j = 0; j < x->cols; j++)
            {
              if (gg != NULL)
                gg[j] += gy[j] * (xr[j] - m) * r;
              if (gb != NULL)
                gb[j] += gy[j];
            }
        }
    }
}

PhiliaTensor *
philia_op_layer_norm (PhiliaTape   *tape,
                      PhiliaTensor *x,
                      PhiliaTensor *gamma,
                      PhiliaTensor *beta,
                      float         eps)
{
  PhiliaTensor *out;
  NormTask t;
  Node *node;

  g_return_val_if_fail (gamma->rows == 1 && gamma->cols == x->cols, NULL);
  g_return_val_if_fail (beta->rows == 1 && beta->cols == x->cols, NULL);
  g_return_val_if_fail (x->cols > 0, NULL);

  out = tape_tensor_uninit (tape, x->rows, x->cols);
  t = (NormTask) { x->data, gamma->data, beta->data, out->data,
                   g_new (float, 2 * (gsize)MAX (x->rows, 1)), NULL, NULL, x->cols, eps };
  _philia_tape_parallel_rows (tape, x->rows, NULL, (double)tensor_size (x) * 6, norm_rows, &t);
  node = record (tape, layer_norm_backward, out, x, gamma, beta);
  if (node != NULL)
    {
      node->saved = t.stats;
      node->f = eps;
    }
  else
    g_free (t.stats);
  return out;
}

/* ------------------------------------------------------- seq attention */

typedef struct
{
  guint        seq_len, heads, d;
  guint        n_queries;   /* per sequence: seq_len, or 1 (its first token only) */
  const guint *lengths;
  float        scale;
  PhiliaTensor *q, *k, *v, *out, *probs;
  float       *gq, *gk, *gv;
} AttnTask;

PHILIA_VECTORIZE static void
attn_rows (gpointer data,
           guint    begin,
           guint    end)
{
  AttnTask *t = data;
  guint L = t->seq_len, H = t->heads, D = t->d, w = H * D;

  for (guint b = begin; b < end; b++)
    {
      guint len = t->lengths[b], nq = MIN (len, t->n_queries);
      gsize base = (gsize)b * L, qbase = (gsize)b * t->n_queries;

      for (guint h = 0; h < H; h++)
        for (guint i = 0; i < nq; i++)
          {
            const float *qi = t->q->data + (qbase + i) * w + h * D;
            float *p = t->probs->data + (qbase + i) * (gsize)H * L + (gsize)h * L;
            float *o = t->out->data + (qbase + i) * w + h * D;
            float max = -INFINITY, sum = 0;

            for (guint j = 0; j < len; j++)
              {
                const float *kj = t->k->data + (base + j) * w + h * D;

                p[j] = vdot (qi, kj, D) * t->scale;
                max = MAX (max, p[j]);
              }
            for (guint j = 0; j < len; j++)
              {
                p[j] = expf (p[j] - max);
                sum += p[j];
              }
            for (guint j = 0; j < len; j++)
              {
                const float *vj = t->v->data + (base + j) * w + h * D;

                p[j] /= sum;
                for (guint c = 0; c < D; c++)
                  o[c] += p[j] * vj[c];
              }
          }
    }
}

/* Per sequence (its rows only, so threads never share an output row):
 * dV_j += P_ij dO_i; dS_ij = P_ij (dO_i·v_j − Σ_j' P_ij' dO_i·v_j');
 * dQ_i += scale Σ_j dS_ij k_j; dK_j += scale dS_ij q_i. */
PHILIA_VECTORIZE static void
attn_grad_rows (gpointer data,
                guint    begin,
                guint    end)
{
  AttnTask *t = data;
  guint L = t->seq_len, H = t->heads, D = t->d, w = H * D;
  g_autofree float *ds = g_new (float, MAX (L, 1));

  for (guint b = begin; b < end; b++)
    {
      guint len = t->lengths[b], nq = MIN (len, t->n_queries);
      gsize base = (gsize)b * L, qbase = (gsize)b * t->n_queries;

      for (guint h = 0; h < H; h++)
        for (guint i = 0; i < nq; i++)
          {
            const float *p = t->probs->data + (qbase + i) * (gsize)H * L + (gsize)h * L;
            const float *go = t->out->grad + (qbase + i) * w + h * D;
            const float *qi = t->q->data + (qbase + i) * w + h * D;
            float dot = 0;

            for (guint j = 0; j < len; j++)
              {
                const float *vj = t->v->data + (base + j) * w + h * D;
                float s = vdot (go, vj, D);

                ds[j] = s;
                dot += p[j] * s;
                if (t->gv != NULL)
                  {
                    float *gvj = t->gv + (base + j) * w + h * D;

                    for (guint c = 0; c < D; c++)
                      gvj[c] += p[j] * go[c];
                  }
              }
            for (guint j = 0; j < len; j++)
              {
                float g = p[j] * (ds[j] - dot) * t->scale;
                const float *kj = t->k->data + (base + j) * w + h * D;

                if (t->gq != NULL)
                  {
                    float *gqi = t->gq + (qbase + i) * w + h * D;

                    for (guint c = 0; c < D; c++)
                      gqi[c] += g * kj[c];
                  }
                if (t->gk != NULL)
                  {
                    float *gkj = t->gk + (base + j) * w + h * D;

                    for (guint c = 0; c < D; c++)
                      gkj[c] += g * qi[c];
                  }
              }
          }
    }
}

typedef struct
{
  guint        seq_len, heads, n_queries;
  const guint *lengths;
  PhiliaTensor *probs;
} AttnSaved;

static void
seq_attention_backward (PhiliaTape *tape,
                        Node       *node)
{
  AttnSaved *s = node->saved;
  PhiliaTensor *q = node->in[0], *k = node->in[1], *v = node->in[2];
  guint B = q->rows / s->n_queries;
  AttnTask t = { s->seq_len, s->heads, q->cols / s->heads, s->n_queries, s->lengths,
                 node->f, q, k, v, node->out, s->probs,
                 q->requires_grad ? ensure_grad (q) : NULL,
                 k->requires_grad ? ensure_grad (k) : NULL,
                 v->requires_grad ? ensure_grad (v) : NULL };

  _philia_tape_parallel_rows (tape, B, NULL, (double)q->rows * s->seq_len * q->cols * 6,
                              attn_grad_rows, &t);
}

static PhiliaTensor *
seq_attention (PhiliaTape    *tape,
               PhiliaTensor  *q,
               PhiliaTensor  *k,
               PhiliaTensor  *v,
               guint          seq_len,
               guint          n_queries,
               guint          heads,
               const guint   *lengths,
               PhiliaTensor **probs)
{
  PhiliaTensor *out, *p;
  AttnTask t;
  Node *node;
  guint B = q->rows / n_queries;

  out = tape_tensor (tape, q->rows, q->cols);
  p = tape_tensor (tape, q->rows, heads * seq_len);
  t = (AttnTask) { seq_len, heads, q->cols / heads, n_queries, lengths,
                   (float)(1.0 / sqrt ((double)(q->cols / heads))), q, k, v, out, p,
                   NULL, NULL, NULL };
  _philia_tape_parallel_rows (tape, B, NULL, (double)q->rows * seq_len * q->cols * 4,
                              attn_rows, &t);
  node = record (tape, seq_attention_backward, out, q, k, v);
  if (node != NULL)
    {
      AttnSaved saved = { seq_len, heads, n_queries, lengths, p };

      node->saved = g_memdup2 (&saved, sizeof saved);
      node->f = t.scale;
    }
  if (probs != NULL)
    *probs = p;
  return out;
}

PhiliaTensor *
philia_op_seq_attention (PhiliaTape    *tape,
                         PhiliaTensor  *q,
                         PhiliaTensor  *k,
                         PhiliaTensor  *v,
                         guint          seq_len,
                         guint          heads,
                         const guint   *lengths,
                         PhiliaTensor **probs)
{
  guint B;

  g_return_val_if_fail (seq_len > 0 && heads > 0 && q->rows % seq_len == 0, NULL);
  g_return_val_if_fail (q->cols % heads == 0 && q->cols > 0, NULL);
  g_return_val_if_fail (k->rows == q->rows && k->cols == q->cols, NULL);
  g_return_val_if_fail (v->rows == q->rows && v->cols == q->cols, NULL);
  B = q->rows / seq_len;
  for (guint b = 0; b < B; b++)
    g_return_val_if_fail (lengths[b] >= 1 && lengths[b] <= seq_len, NULL);
  return seq_attention (tape, q, k, v, seq_len, seq_len, heads, lengths, probs);
}

PhiliaTensor *
philia_op_seq_attention_first (PhiliaTape    *tape,
                               PhiliaTensor  *q,
                               PhiliaTensor  *k,
                               PhiliaTensor  *v,
                               guint          seq_len,
                               guint          heads,
                               const guint   *lengths,
                               PhiliaTensor **probs)
{
  guint B = q->rows;

  g_return_val_if_fail (seq_len > 0 && heads > 0 && B > 0, NULL);
  g_return_val_if_fail (q->cols % heads == 0 && q->cols > 0, NULL);
  g_return_val_if_fail (k->rows == (gsize)B * seq_len && k->cols == q->cols, NULL);
  g_return_val_if_fail (v->rows == k->rows && v->cols == q->cols, NULL);
  for (guint b = 0; b < B; b++)
    g_return_val_if_fail (lengths[b] >= 1 && lengths[b] <= seq_len, NULL);
  return seq_attention (tape, q, k, v, seq_len, 1, heads, lengths, probs);
}

/* ------------------------------------------------------------------- mse */

static void
mse_backward (PhiliaTape *tape,
              Node       *node)
{
  PhiliaTensor *a = node->in[0];
  const float *target = node->saved;
  float *ga = ensure_grad (a);
  gsize n = tensor_size (a);
  float g = node->out->grad[0] * 2.0f / (float)MAX (n, 1);

  for (gsize i = 0; i < n; i++)
    ga[i] += g * (a->data[i] - target[i]);
}

PhiliaTensor *
philia_op_mse (PhiliaTape   *tape,
               PhiliaTensor *a,
               PhiliaTensor *target)
{
  PhiliaTensor *out;
  Node *node;
  gsize n = tensor_size (a);
  double sum = 0;

  g_return_val_if_fail (target->rows == a->rows && target->cols == a->cols, NULL);

  for (gsize i = 0; i < n; i++)
    {
      double d = (double)a->data[i] - target->data[i];

      sum += d * d;
    }
  out = tape_tensor (tape, 1, 1);
  out->data[0] = n > 0 ? (float)(sum / n) : NAN;
  node = record (tape, mse_backward, out, a, NULL, NULL);
  if (node != NULL)
    node->saved = g_memdup2 (target->data, sizeof (float) * MAX (n, 1));
  return out;
}
