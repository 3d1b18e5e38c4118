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
#include "philia-cost-private.h"
#include "philia-simd-private.h"

#include <math.h>
#include <string.h>

/* The eight lanes' sum in a fixed order. */
static inline G_ALWAYS_INLINE float
hsum8 (V8f a)
{
  return ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]));
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
  gboolean     fresh;   /* gx is written, not added to (nothing reached it yet) */
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
          float v = r * (g - sg - (x[j] - m) * r * sgx);

          gx[j] = t->fresh ? v : gx[j] + v;
        }
    }
}

/* gamma's and beta's gradients: column sums over the rows, in row order. */
PHILIA_VECTORIZE static void
norm_param_grads (float       *restrict gg,
                  float       *restrict gb,
                  const float *restrict x,
                  const float *restrict gy,
                  const float *restrict stats,
                  guint        rows,
                  guint        d)
{
  for (guint i = 0; i < rows; i++)
    {
      const float *xr = x + (gsize)i * d, *g = gy + (gsize)i * d;
      float m = stats[2 * (gsize)i], r = stats[2 * (gsize)i + 1];

      for (guint j = 0; j < d; j++)
        {
          gg[j] += g[j] * (xr[j] - m) * r;
          gb[j] += g[j];
        }
    }
}

static void
layer_norm_backward (PhiliaTape *tape,
                     Node       *node)
{
  PhiliaTensor *x = node->in[0], *gamma = node->in[1], *beta = node->in[2];
  NormTask t = { x->data, gamma->data, beta->data, NULL, node->saved, node->out->grad, NULL,
                 x->cols, node->f, FALSE };

  if (x->requires_grad)
    {
      t.gx = grad_for_write (tape, x, &t.fresh);
      _philia_tape_parallel_rows_cost (tape, x->rows, NULL, (double)tensor_size (x) * 8,
                                       16.0 * tensor_size (x), norm_grad_rows, &t);
    }
  /* The column sums over rows run in row order on one thread (sums are never split). */
  if (gamma->requires_grad || beta->requires_grad)
    {
      g_autofree float *unused = g_new0 (float, x->cols);
      float *gg = gamma->requires_grad ? ensure_grad (gamma) : unused;
      float *gb = beta->requires_grad ? ensure_grad (beta) : unused;

      /* Both sums in one pass; one that needs no gradient goes to a scratch row. */
      norm_param_grads (gg, gb, x->data, t.gy, t.stats, x->rows, x->cols);
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
  _philia_tape_parallel_rows_cost (tape, x->rows, NULL, (double)tensor_size (x) * 6,
                                   8.0 * tensor_size (x), norm_rows, &t);
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

/* Where an attention input lives: columns @col … of @t's rows, the row of
 * sequence position r being @map[r] (or r itself with no map: a map lets
 * tokens that share a value share a row, the first layer's repeated
 * nodes). */
typedef struct
{
  PhiliaTensor *t;
  guint         col;
  const gint32 *map;
} Operand;

typedef struct
{
  guint        seq_len, heads, d;
  guint        n_queries;   /* per sequence: seq_len, or 1 (its first token only) */
  const guint *lengths;
  float        scale;
  /* Inputs: head 0's column of row 0, row strides, maps (NULL: identity). */
  const float  *q, *k, *v;
  guint         qs, ks, vs;
  const gint32 *qmap, *kmap, *vmap;
  float        *out, *probs;   /* [B·n_queries, H·D] and [B·n_queries, H·L], written whole */
  const float  *gout;
  /* Gradients by sequence position (row r of gq is query r, of gk and gv
   * token r); each zero-buffer (or NULL) gets its sequence rows zeroed
   * first, so a fresh gradient needs no pass of its own. */
  float        *gq, *gk, *gv;
  guint         gqs, gks, gvs;
  float        *zq, *zk, *zv;
  guint         zqw, zkw, zvw;
  /* With a map, a gradient is the tensor's own (rows through the map, on
   * one thread), each position's sum added to its row at once, in the
   * position order a scatter of the scratch rows would follow. */
  const gint32 *gqmap, *gkmap, *gvmap;
} AttnTask;

static inline gsize
map_row (const gint32 *map,
         gsize         r)
{
  return map != NULL ? (gsize)map[r] : r;
}

/* Head @h's keys of one sequence transposed into @kt [D, LP] (LP = its
 * length in whole blocks, the padding zero), so that a query's scores
 * are eight keys at a time, without a horizontal sum per key. */
static inline G_ALWAYS_INLINE void
transpose_head (float        *restrict kt,
                const float **kr,
                guint         col,
                guint         len,
                guint         lp,
                guint         D)
{
  for (guint j = 0; j < lp; j++)
    {
      if (j < len)
        {
          const float *kj = kr[j] + col;

          for (guint c = 0; c < D; c++)
            kt[(gsize)c * lp + j] = kj[c];
        }
      else
        for (guint c = 0; c < D; c++)
          kt[(gsize)c * lp + j] = 0;
    }
}

/* s[j] = scale · q·k_j for the @lp / 8 blocks of keys in @kt. */
static inline G_ALWAYS_INLINE void
block_scores (float       *restrict s,
              const float *restrict q,
              const float *restrict kt,
              guint        lp,
              guint        D,
              float        scale)
{
  for (guint jb = 0; jb < lp / 8; jb++)
    {
      V8f acc = { 0 };

      for (guint c = 0; c < D; c++)
        acc += q[c] * v8_load (kt + (gsize)c * lp + 8 * jb);
      v8_store (s + 8 * jb, acc * scale);
    }
}

/* block_scores () for four queries at once (four independent chains of
 * products, each key block loaded once), rows of @s @lp apart; each
 * query's sums are those block_scores () makes. */
static inline G_ALWAYS_INLINE void
block_scores4 (float        *restrict s,
               const float **q,
               const float  *restrict kt,
               guint         lp,
               guint         D,
               float         scale)
{
  for (guint jb = 0; jb < lp / 8; jb++)
    {
      V8f a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };

      for (guint c = 0; c < D; c++)
        {
          V8f k = v8_load (kt + (gsize)c * lp + 8 * jb);

          a0 += q[0][c] * k;
          a1 += q[1][c] * k;
          a2 += q[2][c] * k;
          a3 += q[3][c] * k;
        }
      v8_store (s + 8 * jb, a0 * scale);
      v8_store (s + lp + 8 * jb, a1 * scale);
      v8_store (s + 2 * lp + 8 * jb, a2 * scale);
      v8_store (s + 3 * lp + 8 * jb, a3 * scale);
    }
}

/* The rows of sequence @b's keys and values (past any map), so that the
 * kernels' inner loops are the same code with a map and without; the next
 * sequence's rows (below @end) are fetched meanwhile, mapped rows being
 * scattered over the tensor. */
static inline G_ALWAYS_INLINE void
sequence_rows (const AttnTask *t,
               guint           b,
               guint           end,
               const float   **kr,
               const float   **vr)
{
  guint L = t->seq_len, len = t->lengths[b];
  gsize base = (gsize)b * L;

  for (guint j = 0; j < len; j++)
    {
      kr[j] = t->k + map_row (t->kmap, base + j) * t->ks;
      vr[j] = t->v + map_row (t->vmap, base + j) * t->vs;
    }
  if (b + 1 < end)
    for (guint j = 0; j < t->lengths[b + 1]; j++)
      {
        const float *kn = t->k + map_row (t->kmap, base + L + j) * t->ks;
        const float *vn = t->v + map_row (t->vmap, base + L + j) * t->vs;

        for (guint c = 0; c < t->heads * t->d; c += 16)
          {
            __builtin_prefetch (kn + c);
            __builtin_prefetch (vn + c);
          }
      }
}

/* Per head: every query's scores, four queries at a time, eight keys at a
 * time; the softmax over the first @len (e^x by exp_approx, the rest
 * exactly zero); o = Σ_j p_j v_j summed in registers, four queries and
 * eight columns at a time. Each query's sums run in the same order
 * whatever its place in a block of four. */
PHILIA_VECTORIZE static void
attn_rows (gpointer data,
           guint    begin,
           guint    end)
{
  AttnTask *t = data;
  guint L = t->seq_len, H = t->heads, D = t->d, w = H * D, nq_all = t->n_queries;
  guint lp = (L + 7) / 8 * 8;
  g_autofree float *kt = g_new (float, (gsize)D * lp);
  g_autofree float *s = g_new (float, (gsize)(L + 3) * lp);
  g_autofree const float **kr = g_new (const float *, L);
  g_autofree const float **vr = g_new (const float *, L);

  for (guint b = begin; b < end; b++)
    {
      guint len = t->lengths[b], nq = MIN (len, nq_all), lpb = (len + 7) / 8 * 8;
      gsize qbase = (gsize)b * nq_all;
      V8f idx = { 0, 1, 2, 3, 4, 5, 6, 7 };

      for (guint i = nq; i < nq_all; i++)
        {
          memset (t->out + (qbase + i) * w, 0, sizeof (float) * w);
          memset (t->probs + (qbase + i) * (gsize)H * L, 0, sizeof (float) * H * L);
        }
      sequence_rows (t, b, end, kr, vr);
      for (guint h = 0; h < H; h++)
        {
          transpose_head (kt, kr, h * D, len, lpb, D);
          for (guint i0 = 0; i0 < nq; i0 += 4)
            {
              const float *q4[4];

              for (guint r = 0; r < 4; r++)
                q4[r] = t->q + map_row (t->qmap, qbase + MIN (i0 + r, nq - 1)) * t->qs + h * D;
              block_scores4 (s + (gsize)i0 * lpb, q4, kt, lpb, D, t->scale);
            }
          for (guint i = 0; i < nq; i++)
            {
              float *restrict si = s + (gsize)i * lpb;
              float *restrict p = t->probs + (qbase + i) * (gsize)H * L + (gsize)h * L;
              V8f m8, sum8 = { 0 };
              float max, sum;

              /* Positions past the length score −∞: e^{−∞} is 0. */
              for (guint jb = 0; jb < lpb / 8; jb++)
                v8_store (si + 8 * jb, v8_select (idx + (float)(8 * jb) < (float)len,
                                                  v8_load (si + 8 * jb), (V8f){ 0 } - INFINITY));
              m8 = v8_load (si);
              for (guint jb = 1; jb < lpb / 8; jb++)
                m8 = v8_select (v8_load (si + 8 * jb) > m8, v8_load (si + 8 * jb), m8);
              max = MAX (MAX (MAX (m8[0], m8[1]), MAX (m8[2], m8[3])),
                         MAX (MAX (m8[4], m8[5]), MAX (m8[6], m8[7])));
              for (guint jb = 0; jb < lpb / 8; jb++)
                {
                  V8f e = v8_exp_approx (v8_load (si + 8 * jb) - max);

                  v8_store (si + 8 * jb, e);
                  sum8 += e;
                }
              sum = hsum8 (sum8);
              for (guint jb = 0; jb < lpb / 8; jb++)
                v8_store (si + 8 * jb, v8_load (si + 8 * jb) / sum);
              for (guint j = 0; j < L; j++)
                p[j] = j < len ? si[j] : 0;
            }
          for (guint i0 = 0; i0 < nq; i0 += 4)
            {
              guint n4 = MIN (4, nq - i0), c = 0;
              const float *p0, *p1, *p2, *p3;
              float *o[4];

              /* Past the last query the lanes repeat it (the same sums, stored twice). */
              p0 = s + (gsize)i0 * lpb;
              p1 = s + (gsize)(i0 + MIN (1, n4 - 1)) * lpb;
              p2 = s + (gsize)(i0 + MIN (2, n4 - 1)) * lpb;
              p3 = s + (gsize)(i0 + MIN (3, n4 - 1)) * lpb;
              for (guint r = 0; r < 4; r++)
                o[r] = t->out + (qbase + i0 + MIN (r, n4 - 1)) * w + h * D;
              for (; c + 8 <= D; c += 8)
                {
                  V8f a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };

                  for (guint j = 0; j < len; j++)
                    {
                      V8f v = v8_load (vr[j] + h * D + c);

                      a0 += p0[j] * v;
                      a1 += p1[j] * v;
                      a2 += p2[j] * v;
                      a3 += p3[j] * v;
                    }
                  v8_store (o[3] + c, a3);
                  v8_store (o[2] + c, a2);
                  v8_store (o[1] + c, a1);
                  v8_store (o[0] + c, a0);
                }
              for (; c < D; c++)
                for (guint r = 0; r < n4; r++)
                  {
                    const float *pr = s + (gsize)(i0 + r) * lpb;
                    float acc = 0;

                    for (guint j = 0; j < len; j++)
                      acc += pr[j] * vr[j][h * D + c];
                    o[r][c] = acc;
                  }
            }
        }
    }
}

static inline void
zero_rows (float *z,
           guint  width,
           gsize  first,
           guint  count)
{
  if (z != NULL)
    memset (z + first * width, 0, sizeof (float) * width * count);
}

/* One head's gradient of the tokens j < @len: g_j (+)= Σ_i @a[i][j] @x[i]
 * over the @nq queries in order, the rows of @g from @row0 (through @map,
 * or in order), columns @col … @col+@D−1. Without a map each sum starts
 * from g_j's value; with one it starts from zero and is added to the
 * mapped row after (rows in token order, as the scatter of a scratch
 * buffer did). Eight tokens at a time: eight independent chains. */
static inline G_ALWAYS_INLINE void
token_grads (float         *g,
             const gint32  *map,
             gsize          row0,
             guint          stride,
             guint          col,
             const float  **a,
             const float  **x,
             guint          nq,
             guint          len,
             guint          D)
{
  guint c = 0;

  for (; c + 8 <= D; c += 8)
    {
      guint j = 0;

      for (; j + 8 <= len; j += 8)
        {
          float *gj[8];
          V8f acc[8];

          for (guint u = 0; u < 8; u++)
            {
              gj[u] = g + map_row (map, row0 + j + u) * stride + col + c;
              acc[u] = map != NULL ? (V8f){ 0 } : v8_load (gj[u]);
            }
          for (guint i = 0; i < nq; i++)
            {
              V8f xv = v8_load (x[i] + c);
              const float *ai = a[i] + j;

              for (guint u = 0; u < 8; u++)
                acc[u] += ai[u] * xv;
            }
          for (guint u = 0; u < 8; u++)
            v8_store (gj[u], map != NULL ? v8_load (gj[u]) + acc[u] : acc[u]);
        }
      for (; j < len; j++)
        {
          float *gj = g + map_row (map, row0 + j) * stride + col + c;
          V8f acc = map != NULL ? (V8f){ 0 } : v8_load (gj);

          for (guint i = 0; i < nq; i++)
            acc += a[i][j] * v8_load (x[i] + c);
          v8_store (gj, map != NULL ? v8_load (gj) + acc : acc);
        }
    }
  for (; c < D; c++)
    for (guint j = 0; j < len; j++)
      {
        float *gj = g + map_row (map, row0 + j) * stride + col + c;
        float acc = map != NULL ? 0.0f : *gj;

        for (guint i = 0; i < nq; i++)
          acc += a[i][j] * x[i][c];
        *gj = map != NULL ? *gj + acc : acc;
      }
}

/* One head's dQ_i += Σ_j gs_ij k_j (the sum over the tokens from zero, then
 * added to the row), four queries at a time: four independent chains,
 * each query's sum in token order, the rows written in query order. */
static inline G_ALWAYS_INLINE void
query_grads (const AttnTask *t,
             const float   **kr,
             const float   **gsr,
             gsize           qbase,
             guint           col,
             guint           nq,
             guint           len)
{
  guint D = t->d, i = 0;

  for (; i + 4 <= nq; i += 4)
    {
      float *gq[4];
      guint c = 0;

      for (guint r = 0; r < 4; r++)
        gq[r] = t->gq + map_row (t->gqmap, qbase + i + r) * t->gqs + col;
      for (; c + 8 <= D; c += 8)
        {
          V8f a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };

          for (guint j = 0; j < len; j++)
            {
              V8f k = v8_load (kr[j] + col + c);

              a0 += gsr[i][j] * k;
              a1 += gsr[i + 1][j] * k;
              a2 += gsr[i + 2][j] * k;
              a3 += gsr[i + 3][j] * k;
            }
          v8_store (gq[0] + c, v8_load (gq[0] + c) + a0);
          v8_store (gq[1] + c, v8_load (gq[1] + c) + a1);
          v8_store (gq[2] + c, v8_load (gq[2] + c) + a2);
          v8_store (gq[3] + c, v8_load (gq[3] + c) + a3);
        }
      for (; c < D; c++)
        for (guint r = 0; r < 4; r++)
          {
            float acc = 0;

            for (guint j = 0; j < len; j++)
              acc += gsr[i + r][j] * kr[j][col + c];
            gq[r][c] += acc;
          }
    }
  for (; i < nq; i++)
    {
      float *gqi = t->gq + map_row (t->gqmap, qbase + i) * t->gqs + col;
      guint c = 0;

      for (; c + 8 <= D; c += 8)
        {
          V8f acc = { 0 };

          for (guint j = 0; j < len; j++)
            acc += gsr[i][j] * v8_load (kr[j] + col + c);
          v8_store (gqi + c, v8_load (gqi + c) + acc);
        }
      for (; c < D; c++)
        {
          float acc = 0;

          for (guint j = 0; j < len; j++)
            acc += gsr[i][j] * kr[j][col + c];
          gqi[c] += acc;
        }
    }
}

/* The gradient rows the next sequence @b will add into through maps,
 * fetched while this one runs (mapped rows are scattered over the tensor). */
static inline G_ALWAYS_INLINE void
prefetch_grad_rows (const AttnTask *t,
                    guint           b)
{
  guint L = t->seq_len, w = t->heads * t->d;
  gsize base = (gsize)b * L, qbase = (gsize)b * t->n_queries;

  for (guint j = 0; j < t->lengths[b]; j++)
    for (guint c = 0; c < w; c += 16)
      {
        if (t->gkmap != NULL)
          __builtin_prefetch (t->gk + (gsize)t->gkmap[base + j] * t->gks + c, 1);
        if (t->gvmap != NULL)
          __builtin_prefetch (t->gv + (gsize)t->gvmap[base + j] * t->gvs + c, 1);
        if (t->gqmap != NULL && j < t->n_queries)
          __builtin_prefetch (t->gq + (gsize)t->gqmap[qbase + j] * t->gqs + c, 1);
      }
}

/* Per sequence (its rows only, so threads never share an output row):
 * dV_j += P_ij dO_i; dS_ij = P_ij (dO_i·v_j − Σ_j' P_ij' dO_i·v_j');
 * dQ_i += scale Σ_j dS_ij k_j; dK_j += scale dS_ij q_i. Per head, every
 * query's dS first, then dV_j and dK_j summed over the queries in
 * registers, eight columns at a time: each element's sum runs over the
 * queries in order from its buffer's value, as adding each query's term
 * into the buffer in turn did, without the stores and reloads. */
PHILIA_VECTORIZE static void
attn_grad_rows (gpointer data,
                guint    begin,
                guint    end)
{
  AttnTask *t = data;
  guint L = t->seq_len, H = t->heads, D = t->d, w = H * D;
  guint lp = (L + 7) / 8 * 8;
  g_autofree float *ds = g_new (float, lp);
  g_autofree float *gs = g_new (float, (gsize)L * lp);
  g_autofree float *vt = g_new (float, (gsize)D * lp);
  g_autofree const float **kr = g_new (const float *, L);
  g_autofree const float **vr = g_new (const float *, L);
  g_autofree const float **pr = g_new (const float *, L);
  g_autofree const float **gor = g_new (const float *, L);
  g_autofree const float **qr = g_new (const float *, L);
  g_autofree const float **gsr = g_new (const float *, L);

  for (guint b = begin; b < end; b++)
    {
      guint len = t->lengths[b], nq = MIN (len, t->n_queries), lpb = (len + 7) / 8 * 8;
      gsize base = (gsize)b * L, qbase = (gsize)b * t->n_queries;

      zero_rows (t->zq, t->zqw, qbase, t->n_queries);
      zero_rows (t->zk, t->zkw, base, L);
      zero_rows (t->zv, t->zvw, base, L);
      sequence_rows (t, b, end, kr, vr);
      if (b + 1 < end)
        prefetch_grad_rows (t, b + 1);
      for (guint h = 0; h < H; h++)
        {
          transpose_head (vt, vr, h * D, len, lpb, D);
          for (guint i = 0; i < nq; i++)
            {
              const float *p = t->probs + (qbase + i) * (gsize)H * L + (gsize)h * L;
              const float *go = t->gout + (qbase + i) * w + h * D;
              float *restrict gsi = gs + (gsize)i * lpb;
              float dot = 0;

              pr[i] = p;
              gsr[i] = gsi;
              gor[i] = go;
              qr[i] = t->q + map_row (t->qmap, qbase + i) * t->qs + h * D;
              /* dO_i·v_j eight values at a time. */
              block_scores (ds, go, vt, lpb, D, 1.0f);
              for (guint j = 0; j < len; j++)
                dot += p[j] * ds[j];
              for (guint j = 0; j < len; j++)
                gsi[j] = p[j] * (ds[j] - dot) * t->scale;
            }
          if (t->gq != NULL)
            query_grads (t, kr, gsr, qbase, h * D, nq, len);
          if (t->gv != NULL)
            token_grads (t->gv, t->gvmap, base, t->gvs, h * D, pr, gor, nq, len, D);
          if (t->gk != NULL)
            token_grads (t->gk, t->gkmap, base, t->gks, h * D, gsr, qr, nq, len, D);
        }
    }
}

typedef struct
{
  Operand      q, k, v;
  guint        n_seq, seq_len, heads, n_queries;
  const guint *lengths;
  PhiliaTensor *probs;
} AttnSaved;

/* The gradient of operand @x by sequence position (@n_rows of the heads'
 * width @w): straight into its tensor's gradient when it has no map (*@zero
 * set to that buffer when nothing has reached it yet); with a map, through
 * it into the tensor's gradient when the kernel runs on one thread
 * (*@map set), else into a scratch buffer that @x's map then adds into the
 * tensor in position order. @done lists the tensors already given (so a
 * packed tensor is zeroed once). */
static float *
operand_grad (PhiliaTape    *tape,
              const Operand *x,
              gsize          n_rows,
              guint          w,
              guint         *stride,
              float        **zero,
              guint         *zero_w,
              float        **scratch,
              const gint32 **map,
              PhiliaTensor **done,
              float        **done_zero)
{
  gboolean fresh;
  float *g;

  *zero = NULL;
  *zero_w = 0;
  *scratch = NULL;
  *map = NULL;
  if (!x->t->requires_grad)
    return NULL;
  if (x->map != NULL && tape->n_threads <= 1)
    {
      *map = x->map;
      *stride = x->t->cols;
      return ensure_grad (x->t) + x->col;
    }
  if (x->map != NULL)
    {
      *scratch = _philia_tape_pool_take (tape, MAX (n_rows * w, 1));
      *stride = *zero_w = w;
      *zero = *scratch;
      return *scratch;
    }
  for (guint i = 0; i < 2; i++)
    if (done[i] == x->t)
      {
        *stride = x->t->cols;
        return x->t->grad + x->col;
      }
  g = grad_for_write (tape, x->t, &fresh);
  if (fresh)
    {
      *zero = g;
      *zero_w = x->t->cols;
    }
  for (guint i = 0; i < 2; i++)
    if (done[i] == NULL)
      {
        done[i] = x->t;
        done_zero[i] = *zero;
        break;
      }
  *stride = x->t->cols;
  return g + x->col;
}

/* Adds the scratch gradient @g (@n_rows × @w, by position) into @x's
 * tensor's gradient through its map, in position order. */
static void
scatter_operand (PhiliaTape    *tape,
                 const Operand *x,
                 float         *g,
                 gsize          n_rows,
                 guint          w)
{
  float *dst = ensure_grad (x->t);
  guint stride = x->t->cols;

  for (gsize r = 0; r < n_rows; r++)
    {
      float *restrict d = dst + (gsize)x->map[r] * stride + x->col;
      const float *restrict s = g + r * w;

      for (guint c = 0; c < w; c++)
        d[c] += s[c];
    }
  _philia_tape_pool_give (tape, MAX (n_rows * w, 1), g);
}

static void
seq_attention_backward (PhiliaTape *tape,
                        Node       *node)
{
  AttnSaved *s = node->saved;
  guint w = node->out->cols, L = s->seq_len;
  gsize nq_rows = (gsize)s->n_seq * s->n_queries, kv_rows = (gsize)s->n_seq * L;
  PhiliaTensor *done[2] = { NULL, NULL };
  float *done_zero[2] = { NULL, NULL };
  float *sq, *sk, *sv;
  AttnTask t = { L, s->heads, w / s->heads, s->n_queries, s->lengths, node->f,
                 s->q.t->data + s->q.col, s->k.t->data + s->k.col, s->v.t->data + s->v.col,
                 s->q.t->cols, s->k.t->cols, s->v.t->cols, s->q.map, s->k.map, s->v.map,
                 node->out->data, s->probs->data, node->out->grad };

  t.gq = operand_grad (tape, &s->q, nq_rows, w, &t.gqs, &t.zq, &t.zqw, &sq, &t.gqmap, done,
                       done_zero);
  t.gk = operand_grad (tape, &s->k, kv_rows, w, &t.gks, &t.zk, &t.zkw, &sk, &t.gkmap, done,
                       done_zero);
  t.gv = operand_grad (tape, &s->v, kv_rows, w, &t.gvs, &t.zv, &t.zvw, &sv, &t.gvmap, done,
                       done_zero);
  _philia_tape_parallel_rows_cost (tape, s->n_seq, NULL, (double)nq_rows * L * w * 6,
                                   4.0 * 8.0 * nq_rows * w,
                              attn_grad_rows, &t);
  if (sq != NULL)
    scatter_operand (tape, &s->q, sq, nq_rows, w);
  if (sk != NULL)
    scatter_operand (tape, &s->k, sk, kv_rows, w);
  if (sv != NULL)
    scatter_operand (tape, &s->v, sv, kv_rows, w);
}

static PhiliaTensor *
seq_attention (PhiliaTape    *tape,
               Operand        q,
               Operand        k,
               Operand        v,
               guint          n_seq,
               guint          seq_len,
               guint          n_queries,
               guint          heads,
               guint          w,
               const guint   *lengths,
               PhiliaTensor **probs)
{
  PhiliaTensor *out, *p;
  AttnTask t;
  Node *node;
  gsize rows = (gsize)n_seq * n_queries;

  out = tape_tensor_uninit (tape, (guint)rows, w);
  p = tape_tensor_uninit (tape, (guint)rows, heads * seq_len);
  t = (AttnTask) { seq_len, heads, w / heads, n_queries, lengths,
                   (float)(1.0 / sqrt ((double)(w / heads))),
                   q.t->data + q.col, k.t->data + k.col, v.t->data + v.col,
                   q.t->cols, k.t->cols, v.t->cols, q.map, k.map, v.map, out->data, p->data };
  _philia_tape_parallel_rows_cost (tape, n_seq, NULL, (double)rows * seq_len * w * 4,
                                   4.0 * 4.0 * rows * w, attn_rows, &t);
  node = record (tape, seq_attention_backward, out, q.t, k.t != q.t ? k.t : NULL,
                 v.t != k.t && v.t != q.t ? v.t : NULL);
  if (node != NULL)
    {
      AttnSaved saved = { q, k, v, n_seq, seq_len, heads, n_queries, lengths, p };

      node->saved = g_memdup2 (&saved, sizeof saved);
      node->f = t.scale;
    }
  if (probs != NULL)
    *probs = p;
  return out;
}

static gboolean
lengths_ok (const guint *lengths,
            guint        n_seq,
            guint        seq_len)
{
  for (guint b = 0; b < n_seq; b++)
    if (lengths[b] < 1 || lengths[b] > seq_len)
      return FALSE;
  return TRUE;
}

gboolean
_philia_map_ok (const gint32 *map,
                gsize         n,
                guint         rows)
{
  for (gsize r = 0; map != NULL && r < n; r++)
    if (map[r] < 0 || (guint)map[r] >= rows)
      return FALSE;
  return TRUE;
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
  g_return_val_if_fail (seq_len > 0 && heads > 0 && q->rows % seq_len == 0, NULL);
  g_return_val_if_fail (q->cols % heads == 0 && q->cols > 0, NULL);
  g_return_val_if_fail (k->rows == q->rows && k->cols == q->cols, NULL);
  g_return_val_if_fail (v->rows == q->rows && v->cols == q->cols, NULL);
  g_return_val_if_fail (lengths_ok (lengths, q->rows / seq_len, seq_len), NULL);
  return seq_attention (tape, (Operand) { q, 0, NULL }, (Operand) { k, 0, NULL },
                        (Operand) { v, 0, NULL }, q->rows / seq_len, seq_len, seq_len, heads,
                        q->cols, lengths, probs);
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
  g_return_val_if_fail (lengths_ok (lengths, B, seq_len), NULL);
  return seq_attention (tape, (Operand) { q, 0, NULL }, (Operand) { k, 0, NULL },
                        (Operand) { v, 0, NULL }, B, seq_len, 1, heads, q->cols, lengths,
                        probs);
}

PhiliaTensor *
philia_op_seq_attention_packed (PhiliaTape    *tape,
                                PhiliaTensor  *qkv,
                                const gint32  *rows,
                                guint          n_seq,
                                guint          seq_len,
                                guint          heads,
                                const guint   *lengths,
                                PhiliaTensor **probs)
{
  guint w;

  g_return_val_if_fail (qkv != NULL && qkv->cols % 3 == 0 && qkv->cols > 0, NULL);
  w = qkv->cols / 3;
  g_return_val_if_fail (seq_len > 0 && heads > 0 && w % heads == 0, NULL);
  g_return_val_if_fail (rows != NULL || qkv->rows == (gsize)n_seq * seq_len, NULL);
  g_return_val_if_fail (_philia_map_ok (rows, (gsize)n_seq * seq_len, qkv->rows), NULL);
  g_return_val_if_fail (lengths_ok (lengths, n_seq, seq_len), NULL);
  return seq_attention (tape, (Operand) { qkv, 0, rows }, (Operand) { qkv, w, rows },
                        (Operand) { qkv, 2 * w, rows }, n_seq, seq_len, seq_len, heads, w,
                        lengths, probs);
}

PhiliaTensor *
philia_op_seq_attention_first_packed (PhiliaTape    *tape,
                                      PhiliaTensor  *q,
                                      PhiliaTensor  *kv,
                                      const gint32  *rows,
                                      guint          seq_len,
                                      guint          heads,
                                      const guint   *lengths,
                                      PhiliaTensor **probs)
{
  guint B = q->rows, w = q->cols;

  g_return_val_if_fail (seq_len > 0 && heads > 0 && B > 0, NULL);
  g_return_val_if_fail (w % heads == 0 && w > 0 && kv->cols == 2 * w, NULL);
  g_return_val_if_fail (rows != NULL || kv->rows == (gsize)B * seq_len, NULL);
  g_return_val_if_fail (_philia_map_ok (rows, (gsize)B * seq_len, kv->rows), NULL);
  g_return_val_if_fail (lengths_ok (lengths, B, seq_len), NULL);
  return seq_attention (tape, (Operand) { q, 0, NULL }, (Operand) { kv, 0, rows },
                        (Operand) { kv, w, rows }, B, seq_len, 1, heads, w, lengths, probs);
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
