/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ops of link prediction (HACKING.md §7): products of node pairs'
 * embeddings and the binary cross-entropy of their logits. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-simd-private.h"
#include "philia-tape-private.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------ pair products */

typedef struct
{
  const PhiliaTensor *z;
  const gint32       *src;
  const gint32       *dst;
  float              *out;
  gboolean            dot;
} PairJob;

/* a · b over @d floats: sixteen partial sums then a fixed reduction, so the
 * chain of additions does not serialise the loop (the same on every run). */
static inline float
dot_row (const float *a,
         const float *b,
         guint        d)
{
  V8f s0 = { 0 }, s1 = { 0 };
  float sum;
  guint j = 0;

  for (; j + 16 <= d; j += 16)
    {
      s0 += v8_load (a + j) * v8_load (b + j);
      s1 += v8_load (a + j + 8) * v8_load (b + j + 8);
    }
  for (; j + 8 <= d; j += 8)
    s0 += v8_load (a + j) * v8_load (b + j);
  s0 += s1;
  sum = ((s0[0] + s0[4]) + (s0[1] + s0[5])) + ((s0[2] + s0[6]) + (s0[3] + s0[7]));
  for (; j < d; j++)
    sum += a[j] * b[j];
  return sum;
}

PHILIA_VECTORIZE static void
pair_range (gpointer data,
            guint    begin,
            guint    end)
{
  PairJob *job = data;
  guint d = job->z->cols;

  for (guint k = begin; k < end; k++)
    {
      const float *a = job->z->data + (gsize)job->src[k] * d;
      const float *b = job->z->data + (gsize)job->dst[k] * d;

      if (job->dot)
        job->out[k] = dot_row (a, b, d);
      else
        {
          float *restrict o = job->out + (gsize)k * d;

          for (guint j = 0; j < d; j++)
            o[j] = a[j] * b[j];
        }
    }
}

typedef struct
{
  const PhiliaTensor *z;
  const float        *g;
  const gint64       *offsets;   /* per node, into pair/other */
  const gint32       *pair;
  const gint32       *other;
  float              *dz;
  gboolean            dot;
  gboolean            fresh;
} PairGradJob;

/* dz[u] (+)= Σ over the pairs k that hold u of g_k ⊙ z[the other node]: one
 * node per output row, so the rows split over threads without a race. */
PHILIA_VECTORIZE static void
pair_grad_range (gpointer data,
                 guint    begin,
                 guint    end)
{
  PairGradJob *job = data;
  guint d = job->z->cols;

  for (guint u = begin; u < end; u++)
    {
      float *restrict du = job->dz + (gsize)u * d;

      if (job->fresh)
        memset (du, 0, sizeof (float) * d);
      for (gint64 e = job->offsets[u]; e < job->offsets[u + 1]; e++)
        {
          const float *restrict b = job->z->data + (gsize)job->other[e] * d;
          guint k = (guint)job->pair[e];

          if (job->dot)
            {
              float gk = job->g[k];

              for (guint j = 0; j < d; j++)
                du[j] += gk * b[j];
            }
          else
            {
              const float *restrict gr = job->g + (gsize)k * d;

              for (guint j = 0; j < d; j++)
                du[j] += gr[j] * b[j];
            }
        }
    }
}

/* dz[src] += g ⊙ z[dst] and dz[dst] += g ⊙ z[src]. The pairs are grouped by
 * node first (a counting sort, stable: each node's terms add up in pair
 * order, src's before dst's, whatever the thread count). */
static void
pair_backward (PhiliaTape *tape,
               Node       *node)
{
  PhiliaTensor *z = node->in[0];
  const gint32 *src = node->saved;
  const gint32 *dst = src + node->n_index;
  guint n = node->n_index, rows = z->rows;
  g_autofree gint64 *offsets = g_new0 (gint64, (gsize)rows + 2);
  g_autofree gint32 *pair = g_new (gint32, 2 * (gsize)MAX (n, 1));
  g_autofree gint32 *other = g_new (gint32, 2 * (gsize)MAX (n, 1));
  PairGradJob job;
  gboolean fresh;

  /* offsets[u + 2] counts u's entries; the prefix sums then make
   * offsets[u + 1] the next free slot of u while filling. */
  for (guint k = 0; k < n; k++)
    {
      offsets[src[k] + 2]++;
      offsets[dst[k] + 2]++;
    }
  for (guint u = 0; u < rows; u++)
    offsets[u + 2] += offsets[u + 1];
  for (guint k = 0; k < n; k++)
    {
      gint64 at = offsets[src[k] + 1]++;

      pair[at] = (gint32)k;
      other[at] = dst[k];
      at = offsets[dst[k] + 1]++;
      pair[at] = (gint32)k;
      other[at] = src[k];
    }
  job = (PairGradJob) { z, node->out->grad, offsets, pair, other, NULL, node->f != 0, FALSE };
  job.dz = grad_for_write (tape, z, &fresh);
  job.fresh = fresh;
  _philia_tape_parallel_rows (tape, rows, offsets, 2.0 * n * z->cols, pair_grad_range, &job);
}

static PhiliaTensor *
pair_op (PhiliaTape   *tape,
         PhiliaTensor *z,
         const gint32 *src,
         const gint32 *dst,
         guint         n,
         gboolean      dot)
{
  PhiliaTensor *out;
  PairJob job;
  Node *node;

  g_return_val_if_fail (tape != NULL && z != NULL, NULL);
  g_return_val_if_fail (n == 0 || (src != NULL && dst != NULL), NULL);
  for (guint k = 0; k < n; k++)
    g_return_val_if_fail (src[k] >= 0 && (guint)src[k] < z->rows
                          && dst[k] >= 0 && (guint)dst[k] < z->rows, NULL);

  out = tape_tensor_uninit (tape, n, dot ? 1 : z->cols);
  job = (PairJob) { z, src, dst, out->data, dot };
  _philia_tape_parallel_rows (tape, n, NULL, (double)n * z->cols, pair_range, &job);
  node = record (tape, pair_backward, out, z, NULL, NULL);
  if (node != NULL)
    {
      gint32 *saved = g_new (gint32, 2 * (gsize)MAX (n, 1));

      memcpy (saved, src, sizeof (gint32) * n);
      memcpy (saved + n, dst, sizeof (gint32) * n);
      node->saved = saved;
      node->n_index = n;
      node->f = dot ? 1.0f : 0.0f;
    }
  return out;
}

PhiliaTensor *
philia_op_pair_product (PhiliaTape   *tape,
                        PhiliaTensor *z,
                        const gint32 *src,
                        const gint32 *dst,
                        guint         n)
{
  return pair_op (tape, z, src, dst, n, FALSE);
}

PhiliaTensor *
philia_op_pair_dot (PhiliaTape   *tape,
                    PhiliaTensor *z,
                    const gint32 *src,
                    const gint32 *dst,
                    guint         n)
{
  return pair_op (tape, z, src, dst, n, TRUE);
}

/* ------------------------------------------------------------------- BCE */

/* log(1 + e^x) without overflow. */
static inline double
softplus (double x)
{
  return (x > 0 ? x : 0) + log1p (exp (-fabs (x)));
}

static void
bce_backward (PhiliaTape *tape,
              Node       *node)
{
  PhiliaTensor *x = node->in[0];
  const float *y = node->saved;
  float *dx = ensure_grad (x);
  gsize n = tensor_size (x);
  float g = node->out->grad[0] / (float)MAX (n, 1);

  for (gsize i = 0; i < n; i++)
    dx[i] += g * (float)(1.0 / (1.0 + exp (-(double)x->data[i])) - y[i]);
}

PhiliaTensor *
philia_op_bce_logits (PhiliaTape   *tape,
                      PhiliaTensor *logits,
                      const float  *targets)
{
  PhiliaTensor *out;
  Node *node;
  gsize n;
  double sum = 0;

  g_return_val_if_fail (tape != NULL && logits != NULL && logits->cols == 1, NULL);

  n = tensor_size (logits);
  g_return_val_if_fail (targets != NULL || n == 0, NULL);
  out = tape_tensor (tape, 1, 1);
  for (gsize i = 0; i < n; i++)
    sum += softplus (logits->data[i]) - targets[i] * (double)logits->data[i];
  out->data[0] = n > 0 ? (float)(sum / n) : NAN;
  node = record (tape, bce_backward, out, logits, NULL, NULL);
  if (node != NULL)
    node->saved = g_memdup2 (targets, sizeof (float) * MAX (n, 1));
  return out;
}
