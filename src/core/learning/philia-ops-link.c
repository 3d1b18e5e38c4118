/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ops of link prediction (HACKING.md §7): products of node pairs'
 * embeddings and the binary cross-entropy of their logits. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-ops-link-private.h"
#include "philia-simd-private.h"
#include "philia-tape-private.h"
#include "philia-cost-private.h"

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
  _philia_tape_parallel_rows_cost (tape, rows, offsets, 2.0 * n * z->cols, 12.0 * n * z->cols,
                                   pair_grad_range, &job);
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
  _philia_tape_parallel_rows_cost (tape, n, NULL, (double)n * z->cols, 12.0 * n * z->cols,
                                   pair_range, &job);
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

/* ------------------------------------------------ fused bias, ReLU, dropout */

/* Rows of the mask's kept-or-dropped factors in a chunk of 64 rows: the
 * gradients of the bias and the weights of the dot are summed per chunk,
 * then the chunks in order, so the sums do not depend on the threads. */
#define HEAD_CHUNK 64

typedef struct
{
  const float  *x;      /* [n, d] */
  const float  *b;      /* [d] */
  const float  *w;      /* [d] or NULL */
  const guint8 *mask;   /* [n, d] or NULL (no dropout) */
  const float  *g;      /* the output's gradient */
  float        *out;
  float        *dx;     /* NULL: x needs no gradient */
  float        *partial;/* per chunk: d sums of db then d of dw */
  guint         rows;
  guint         d;
  float         keep;
  gboolean      fresh;
} ActJob;

/* relu (x + b) · the mask's factor, for one row's eight lanes at @j. */
static inline V8f
act8 (const ActJob *job,
      const float  *x,
      const guint8 *mask,
      guint         j)
{
  V8f v = v8_load (x + j) + v8_load (job->b + j);

  v = v8_select (v > 0, v, (V8f){ 0 });
  return mask != NULL ? v * v8_mask_factor (mask + j, job->keep) : v;
}

static inline float
act1 (const ActJob *job,
      const float  *x,
      const guint8 *mask,
      guint         j)
{
  float v = x[j] + job->b[j];

  v = v > 0 ? v : 0.0f;
  return mask != NULL ? v * (mask[j] ? job->keep : 0.0f) : v;
}

PHILIA_VECTORIZE static void
act_forward_rows (gpointer data,
                  guint    begin,
                  guint    end)
{
  ActJob *job = data;
  guint d = job->d;

  for (guint r = begin; r < end; r++)
    {
      const float *x = job->x + (gsize)r * d;
      const guint8 *mask = job->mask != NULL ? job->mask + (gsize)r * d : NULL;
      float *o = job->out + (gsize)r * d;
      guint j = 0;

      for (; j + 8 <= d; j += 8)
        v8_store (o + j, act8 (job, x, mask, j));
      for (; j < d; j++)
        o[j] = act1 (job, x, mask, j);
    }
}

/* dx = g · the factor where x + b > 0 (as relu_dropout's backward makes it),
 * written or added; db += its column sums, row after row, as the bias's add
 * sums them. One pass, in row order: the bias's sums are those of before. */
PHILIA_VECTORIZE static void
act_backward (ActJob *job,
              float  *db)
{
  guint d = job->d;

  for (guint r = 0; r < job->rows; r++)
    {
      const float *x = job->x + (gsize)r * d, *g = job->g + (gsize)r * d;
      const guint8 *mask = job->mask != NULL ? job->mask + (gsize)r * d : NULL;
      float *dx = job->dx != NULL ? job->dx + (gsize)r * d : NULL;
      guint j = 0;

      for (; j + 8 <= d; j += 8)
        {
          V8f v = v8_load (x + j) + v8_load (job->b + j);
          V8f gm = mask != NULL ? v8_load (g + j) * v8_mask_factor (mask + j, job->keep)
                                : v8_load (g + j);
          V8f t = v8_select (v > 0, gm, (V8f){ 0 });

          if (dx != NULL)
            v8_store (dx + j, job->fresh ? t : v8_load (dx + j) + t);
          if (db != NULL)
            v8_store (db + j, v8_load (db + j) + t);
        }
      for (; j < d; j++)
        {
          float v = x[j] + job->b[j];
          float gm = mask != NULL ? g[j] * (mask[j] ? job->keep : 0.0f) : g[j];
          float t = v > 0 ? gm : 0.0f;

          if (dx != NULL)
            dx[j] = job->fresh ? t : dx[j] + t;
          if (db != NULL)
            db[j] += t;
        }
    }
}

static void
act_job_init (ActJob *job,
              Node   *node)
{
  PhiliaTensor *x = node->in[0], *b = node->in[1], *w = node->in[2];

  *job = (ActJob) { x->data, b->data, w != NULL ? w->data : NULL, node->mask,
                    node->out->grad, NULL, NULL, NULL, x->rows, x->cols, node->f, FALSE };
}

static void
bias_relu_dropout_backward (PhiliaTape *tape,
                            Node       *node)
{
  PhiliaTensor *x = node->in[0], *b = node->in[1];
  ActJob job;

  act_job_init (&job, node);
  if (x->requires_grad)
    job.dx = grad_for_write (tape, x, &job.fresh);
  act_backward (&job, b->requires_grad ? ensure_grad (b) : NULL);
}

/* Draws dropout's mask for @n elements into a tape buffer as
 * philia_op_relu_dropout () does (the same draws from the tape's generator),
 * or NULL when no element is dropped. */
static guint8 *
draw_mask (PhiliaTape *tape,
           gsize       n,
           float       p)
{
  guint8 *mask;

  if (!tape->training || p == 0)
    return NULL;
  mask = (guint8 *)tape_tensor_uninit (tape, 1, (guint)((n + 3) / 4))->data;
  _philia_dropout_mask_from_tape (tape, mask, n, p);
  return mask;
}

PhiliaTensor *
_philia_op_bias_relu_dropout (PhiliaTape   *tape,
                              PhiliaTensor *x,
                              PhiliaTensor *b,
                              float         p)
{
  PhiliaTensor *out;
  guint8 *mask;
  ActJob job;
  Node *node;

  g_return_val_if_fail (tape != NULL && x != NULL && b != NULL, NULL);
  g_return_val_if_fail (b->rows == 1 && b->cols == x->cols, NULL);
  g_return_val_if_fail (p >= 0 && p < 1, NULL);

  mask = draw_mask (tape, tensor_size (x), p);
  out = tape_tensor_uninit (tape, x->rows, x->cols);
  job = (ActJob) { x->data, b->data, NULL, mask, NULL, out->data, NULL, NULL, x->rows, x->cols,
                   1.0f / (1.0f - p), FALSE };
  _philia_tape_parallel_rows_cost (tape, x->rows, NULL, (double)tensor_size (x),
                                   12.0 * tensor_size (x), act_forward_rows, &job);
  node = record (tape, bias_relu_dropout_backward, out, x, b, NULL);
  if (node != NULL)
    {
      node->mask = mask;
      node->f = job.keep;
    }
  return out;
}

/* out[r] = Σ_j act (r, j) w[j], eight lanes then a fixed reduction. */
PHILIA_VECTORIZE static void
act_dot_rows (gpointer data,
              guint    begin,
              guint    end)
{
  ActJob *job = data;
  guint d = job->d;

  for (guint r = begin; r < end; r++)
    {
      const float *x = job->x + (gsize)r * d;
      const guint8 *mask = job->mask != NULL ? job->mask + (gsize)r * d : NULL;
      V8f s0 = { 0 }, s1 = { 0 };
      float sum;
      guint j = 0;

      for (; j + 16 <= d; j += 16)
        {
          s0 += act8 (job, x, mask, j) * v8_load (job->w + j);
          s1 += act8 (job, x, mask, j + 8) * v8_load (job->w + j + 8);
        }
      for (; j + 8 <= d; j += 8)
        s0 += act8 (job, x, mask, j) * v8_load (job->w + j);
      s0 += s1;
      sum = ((s0[0] + s0[4]) + (s0[1] + s0[5])) + ((s0[2] + s0[6]) + (s0[3] + s0[7]));
      for (; j < d; j++)
        sum += act1 (job, x, mask, j) * job->w[j];
      job->out[r] = sum;
    }
}

/* Chunks [begin, end) of HEAD_CHUNK rows: dy = g_r w · the factor where
 * y + b > 0, and the chunk's sums of dy (db) and of g_r act (r, ·) (dw). */
PHILIA_VECTORIZE static void
act_dot_backward_chunks (gpointer data,
                         guint    begin,
                         guint    end)
{
  ActJob *job = data;
  guint d = job->d;

  for (guint c = begin; c < end; c++)
    {
      float *restrict db = job->partial + (gsize)c * 2 * d;
      float *restrict dw = db + d;

      memset (db, 0, sizeof (float) * 2 * d);
      for (guint r = c * HEAD_CHUNK; r < MIN ((c + 1) * HEAD_CHUNK, job->rows); r++)
        {
          const float *x = job->x + (gsize)r * d;
          const guint8 *mask = job->mask != NULL ? job->mask + (gsize)r * d : NULL;
          float *dx = job->dx != NULL ? job->dx + (gsize)r * d : NULL;
          float gr = job->g[r];
          guint j = 0;

          for (; j + 8 <= d; j += 8)
            {
              V8f v = v8_load (x + j) + v8_load (job->b + j);
              V8f f = mask != NULL ? v8_mask_factor (mask + j, job->keep) : (V8f){ 0 } + 1.0f;
              V8f t = v8_select (v > 0, gr * v8_load (job->w + j) * f, (V8f){ 0 });

              if (dx != NULL)
                v8_store (dx + j, job->fresh ? t : v8_load (dx + j) + t);
              v8_store (db + j, v8_load (db + j) + t);
              v8_store (dw + j, v8_load (dw + j) + gr * (v8_select (v > 0, v, (V8f){ 0 }) * f));
            }
          for (; j < d; j++)
            {
              float v = x[j] + job->b[j];
              float f = mask != NULL ? (mask[j] ? job->keep : 0.0f) : 1.0f;
              float t = v > 0 ? gr * job->w[j] * f : 0.0f;

              if (dx != NULL)
                dx[j] = job->fresh ? t : dx[j] + t;
              db[j] += t;
              dw[j] += gr * ((v > 0 ? v : 0.0f) * f);
            }
        }
    }
}

static void
bias_relu_dropout_dot_backward (PhiliaTape *tape,
                                Node       *node)
{
  PhiliaTensor *y = node->in[0], *b = node->in[1], *w = node->in[2];
  guint chunks = (y->rows + HEAD_CHUNK - 1) / HEAD_CHUNK, d = y->cols;
  g_autofree float *partial = g_new (float, MAX ((gsize)chunks * 2 * d, 1));
  ActJob job;

  act_job_init (&job, node);
  job.partial = partial;
  if (y->requires_grad)
    job.dx = grad_for_write (tape, y, &job.fresh);
  _philia_tape_parallel_rows_cost (tape, chunks, NULL, 3.0 * tensor_size (y),
                                   16.0 * tensor_size (y), act_dot_backward_chunks, &job);
  for (guint k = 0; k < 2; k++)
    {
      PhiliaTensor *t = k == 0 ? b : w;
      float *g;

      if (!t->requires_grad)
        continue;
      g = ensure_grad (t);
      for (guint c = 0; c < chunks; c++)
        for (guint j = 0; j < d; j++)
          g[j] += partial[((gsize)c * 2 + k) * d + j];
    }
}

PhiliaTensor *
_philia_op_bias_relu_dropout_dot (PhiliaTape   *tape,
                                  PhiliaTensor *y,
                                  PhiliaTensor *b,
                                  PhiliaTensor *w,
                                  float         p)
{
  PhiliaTensor *out;
  guint8 *mask;
  ActJob job;
  Node *node;

  g_return_val_if_fail (tape != NULL && y != NULL && b != NULL && w != NULL, NULL);
  g_return_val_if_fail (b->rows == 1 && b->cols == y->cols, NULL);
  g_return_val_if_fail (w->rows == y->cols && w->cols == 1, NULL);
  g_return_val_if_fail (p >= 0 && p < 1, NULL);

  mask = draw_mask (tape, tensor_size (y), p);
  out = tape_tensor_uninit (tape, y->rows, 1);
  job = (ActJob) { y->data, b->data, w->data, mask, NULL, out->data, NULL, NULL, y->rows,
                   y->cols, 1.0f / (1.0f - p), FALSE };
  _philia_tape_parallel_rows_cost (tape, y->rows, NULL, 2.0 * tensor_size (y),
                                   8.0 * tensor_size (y), act_dot_rows, &job);
  node = record (tape, bias_relu_dropout_dot_backward, out, y, b, w);
  if (node != NULL)
    {
      node->mask = mask;
      node->f = job.keep;
    }
  return out;
}
