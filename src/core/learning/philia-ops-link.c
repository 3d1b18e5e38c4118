/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ops of link prediction (HACKING.md §7): products of node pairs'
 * embeddings and the binary cross-entropy of their logits. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
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

static void
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
        {
          float sum = 0;

          for (guint j = 0; j < d; j++)
            sum += a[j] * b[j];
          job->out[k] = sum;
        }
      else
        {
          float *o = job->out + (gsize)k * d;

          for (guint j = 0; j < d; j++)
            o[j] = a[j] * b[j];
        }
    }
}

/* dz[src] += g ⊙ z[dst] and dz[dst] += g ⊙ z[src]; serial, as two pairs may
 * share a node (a sum per node in pair order, the same on every run). */
static void
pair_backward (PhiliaTape *tape,
               Node       *node)
{
  PhiliaTensor *z = node->in[0];
  const gint32 *src = node->saved;
  const gint32 *dst = src + node->n_index;
  const float *g = node->out->grad;
  gboolean dot = node->f != 0;
  guint d = z->cols;
  float *dz = ensure_grad (z);

  for (guint k = 0; k < node->n_index; k++)
    {
      const float *a = z->data + (gsize)src[k] * d;
      const float *b = z->data + (gsize)dst[k] * d;
      float *da = dz + (gsize)src[k] * d;
      float *db = dz + (gsize)dst[k] * d;

      if (dot)
        {
          float gk = g[k];

          for (guint j = 0; j < d; j++)
            {
              da[j] += gk * b[j];
              db[j] += gk * a[j];
            }
        }
      else
        {
          const float *gr = g + (gsize)k * d;

          for (guint j = 0; j < d; j++)
            {
              da[j] += gr[j] * b[j];
              db[j] += gr[j] * a[j];
            }
        }
    }
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
