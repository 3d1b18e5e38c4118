/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The transformer over sampled neighbourhood sequences (HACKING.md §7). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-ops-transformer-private.h"
#include "philia-train-private.h"

#include <math.h>
#include <string.h>

/*
 * Each node v becomes a sequence of tokens: v itself, then @walks random
 * walks of @walk_length steps from v, then @hop_samples distinct neighbours
 * of v drawn uniformly. A token is the node's features times W_in plus a
 * learned embedding of its position kind (self, walk step t, neighbour
 * sample), so attention can tell how far a token is from v. A pre-norm
 * encoder (multi-head self-attention and a ReLU feed-forward of twice the
 * width, each in a residual branch after a layer norm), a final layer norm,
 * and a linear classifier on v's own token. Attention is what chooses among
 * the sampled neighbours, whatever the graph's homophily (the feature-centric
 * design of Song, Mao et al., arXiv 2406.13873).
 *
 * A walk ends early at an isolated node, so an isolated node's sequence is
 * itself alone. Training steps draw fresh sequences from the model's own
 * generator; evaluation passes use one fixed set drawn at creation, so the
 * attention they report is that of fixed sequences. Evaluation runs in
 * chunks of nodes on a tape of its own, bounding its memory on large
 * graphs. With @pretrain_epochs, masked node modelling comes first: 15% of
 * the tokens (never position 0 alone) are replaced by a learned mask vector
 * and the encoder's output at them regresses their input features (mean
 * squared error), then the classifier is trained on the pretrained encoder.
 */

#define EVAL_CHUNK 256
#define MASK_SHARE 0.15

typedef struct
{
  PhiliaTensor *ln1_g, *ln1_b, *wqkv, *bqkv, *wo, *bo;
  PhiliaTensor *ln2_g, *ln2_b, *w1, *b1, *w2, *b2;
} Block;

typedef struct
{
  guint         width, heads, layers, walks, walk_length, hop_samples, seq_len, n_pos;
  PhiliaTensor *w_in, *b_in, *pos, *lnf_g, *lnf_b, *w_out, *b_out;
  Block        *blocks;
  PhiliaRng     rng;          /* training sequences and batches */
  /* Evaluation sequences: n × seq_len tokens and position kinds, lengths. */
  gint32       *eval_tokens, *eval_pos;
  guint        *eval_len;
  /* A training step's sequences, its nodes and rows of the output. */
  gint32       *tokens, *pos_index, *cls_rows;
  guint        *lens, *nodes;
  guint         n_alloc;
  guint        *order;        /* mini-batch order over the loss rows */
  guint         order_at;
  PhiliaTape   *eval_tape;
  /* The first layer's distinct (node, position kind) tokens of a pass,
   * each token's row among them, the first tokens' rows; a hash table of
   * distinct-token indices (−1 empty) finding them. */
  gint32       *uniq_node, *uniq_pos, *row_map, *first_rows, *slots;
  gsize         rows_alloc, first_alloc, slots_alloc;
} Transformer;

static void
transformer_defaults (PhiliaTrainParams *p)
{
  _philia_model_recipe_fill (PHILIA_RECIPE_TRANSFORMER, p);
  if (p->layers <= 0)
    p->layers = 2;
  if (p->walks < 0)
    p->walks = 4;
  if (p->walk_length <= 0)
    p->walk_length = 3;
  if (p->hop_samples < 0)
    p->hop_samples = 4;
  if (p->pretrain_epochs < 0)
    p->pretrain_epochs = 0;
  if (p->batch_size < 0)
    p->batch_size = 0;
}

/* Node @v's sequence into @tokens / @pos (seq_len each); returns its length. */
static guint
sample_sequence (Transformer  *m,
                 PhiliaGraph  *graph,
                 PhiliaRng    *rng,
                 guint         v,
                 gint32       *tokens,
                 gint32       *pos)
{
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nb = philia_graph_get_neighbors (graph);
  guint len = 0, deg = (guint)(off[v + 1] - off[v]);

  tokens[len] = (gint32)v;
  pos[len++] = 0;
  for (guint w = 0; w < m->walks; w++)
    {
      guint at = v;

      for (guint t = 1; t <= m->walk_length; t++)
        {
          guint d = (guint)(off[at + 1] - off[at]);

          if (d == 0)
            break;
          at = (guint)nb[off[at] + philia_rng_below (rng, d)];
          tokens[len] = (gint32)at;
          pos[len++] = (gint32)t;
        }
    }
  /* Distinct neighbours: a partial Fisher–Yates over the neighbour list's
   * positions (all of them when there are fewer). */
  if (m->hop_samples > 0 && deg > 0)
    {
      guint take = MIN (m->hop_samples, deg);
      g_autofree guint *idx = g_new (guint, deg);

      for (guint i = 0; i < deg; i++)
        idx[i] = i;
      for (guint i = 0; i < take; i++)
        {
          guint j = i + philia_rng_below (rng, deg - i), tmp = idx[i];

          idx[i] = idx[j];
          idx[j] = tmp;
          tokens[len] = nb[off[v] + idx[i]];
          pos[len++] = (gint32)m->walk_length + 1;
        }
    }
  for (guint i = len; i < m->seq_len; i++)
    {
      tokens[i] = (gint32)v;
      pos[i] = 0;
    }
  return len;
}

static void
ensure_step_buffers (Transformer *m,
                     guint        n_nodes)
{
  if (m->n_alloc >= n_nodes)
    return;
  m->n_alloc = n_nodes;
  m->tokens = g_renew (gint32, m->tokens, (gsize)n_nodes * m->seq_len);
  m->pos_index = g_renew (gint32, m->pos_index, (gsize)n_nodes * m->seq_len);
  m->cls_rows = g_renew (gint32, m->cls_rows, n_nodes);
  m->lens = g_renew (guint, m->lens, n_nodes);
  m->nodes = g_renew (guint, m->nodes, n_nodes);
}

static void
add_block (PhiliaModelContext *ctx,
           Block              *b,
           guint               d)
{
  b->ln1_g = philia_model_context_add_parameter (ctx, 1, d, FALSE, FALSE);
  b->ln1_b = philia_model_context_add_parameter (ctx, 1, d, FALSE, FALSE);
  b->wqkv = philia_model_context_add_parameter (ctx, d, 3 * d, TRUE, TRUE);
  b->bqkv = philia_model_context_add_parameter (ctx, 1, 3 * d, FALSE, FALSE);
  b->wo = philia_model_context_add_parameter (ctx, d, d, TRUE, TRUE);
  b->bo = philia_model_context_add_parameter (ctx, 1, d, FALSE, FALSE);
  b->ln2_g = philia_model_context_add_parameter (ctx, 1, d, FALSE, FALSE);
  b->ln2_b = philia_model_context_add_parameter (ctx, 1, d, FALSE, FALSE);
  b->w1 = philia_model_context_add_parameter (ctx, d, 2 * d, TRUE, TRUE);
  b->b1 = philia_model_context_add_parameter (ctx, 1, 2 * d, FALSE, FALSE);
  b->w2 = philia_model_context_add_parameter (ctx, 2 * d, d, TRUE, TRUE);
  b->b2 = philia_model_context_add_parameter (ctx, 1, d, FALSE, FALSE);
  for (guint j = 0; j < d; j++)
    b->ln1_g->data[j] = b->ln2_g->data[j] = 1;
}

/* One residual block's attention and feed-forward halves after its
 * attention output @att; the residual stream of the same rows is
 * @h[@rows] (all of @h's rows in order when @rows is NULL). */
static PhiliaTensor *
block_tail (PhiliaTape   *tape,
            Block        *b,
            PhiliaTensor *h,
            const gint32 *rows,
            PhiliaTensor *att,
            float         p)
{
  PhiliaTensor *f;

  h = philia_op_linear_dropout_add (tape, att, b->wo, b->bo, p, h, rows);
  f = philia_op_layer_norm (tape, h, b->ln2_g, b->ln2_b, 1e-5f);
  f = philia_op_relu_dropout (tape, philia_op_linear_columns (tape, f, b->w1, b->b1, 0,
                                                              b->w1->cols), p);
  return philia_op_linear_dropout_add (tape, f, b->w2, b->b2, p, h, NULL);
}

/*
 * The distinct (node, position kind) pairs among @rows tokens, in order of
 * first appearance, into m->uniq_node / m->uniq_pos, and each token's index
 * among them into m->row_map; returns their count. The first layer's norm
 * and q | k | v product depend on the pair alone, and walks revisit nodes
 * (on Squirrel a third of the tokens are distinct), so they are computed
 * once a pair: the same values, their gradients summed over the tokens.
 */
static guint
distinct_tokens (Transformer  *m,
                 guint         rows,
                 const gint32 *tokens,
                 const gint32 *pos)
{
  gsize cap = 64, mask;
  guint n = 0;

  while (cap < 2 * (gsize)rows)
    cap *= 2;
  if (m->rows_alloc < rows)
    {
      m->rows_alloc = rows;
      m->uniq_node = g_renew (gint32, m->uniq_node, rows);
      m->uniq_pos = g_renew (gint32, m->uniq_pos, rows);
      m->row_map = g_renew (gint32, m->row_map, rows);
    }
  if (m->slots_alloc < cap)
    {
      m->slots_alloc = cap;
      m->slots = g_renew (gint32, m->slots, cap);
    }
  mask = cap - 1;
  memset (m->slots, 0xff, sizeof (gint32) * cap);
  for (guint r = 0; r < rows; r++)
    {
      guint64 key = (guint64)(guint32)tokens[r] * m->n_pos + (guint32)pos[r];
      gsize at = (gsize)((key * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)) >> 40) & mask;

      while (m->slots[at] >= 0 && (m->uniq_node[m->slots[at]] != tokens[r]
                                   || m->uniq_pos[m->slots[at]] != pos[r]))
        at = (at + 1) & mask;
      if (m->slots[at] < 0)
        {
          m->slots[at] = (gint32)n;
          m->uniq_node[n] = tokens[r];
          m->uniq_pos[n++] = pos[r];
        }
      m->row_map[r] = m->slots[at];
    }
  return n;
}

/* The rows of the @B first tokens @first among distinct tokens (@map). */
static const gint32 *
first_rows (Transformer  *m,
            const gint32 *map,
            const gint32 *first,
            guint         B)
{
  if (m->first_alloc < B)
    {
      m->first_alloc = B;
      m->first_rows = g_renew (gint32, m->first_rows, B);
    }
  for (guint i = 0; i < B; i++)
    m->first_rows[i] = map[first[i]];
  return m->first_rows;
}

/*
 * The encoder over @B sequences (tokens, position kinds, lengths) given
 * the projected features @xw [n, d]; @mask (B·L, 0/1, or NULL) replaces
 * tokens by @mask_token. Returns the final layer-normed states [B·L, d],
 * or with @first (rows b·L of the B sequences' first tokens) those rows
 * alone [B, d]: the last layer then computes the first tokens' attention,
 * feed-forward and norm only, as nothing else reads the others (a third
 * of the step on long sequences). *@probs (layers entries, or NULL) gets
 * each layer's attention, the last layer's [B, H·L] with @first.
 */
static PhiliaTensor *
encode (Transformer   *m,
        PhiliaTape    *tape,
        PhiliaTensor  *xw,
        guint          B,
        const gint32  *tokens,
        const gint32  *pos,
        const guint   *lens,
        const float   *mask,
        PhiliaTensor  *mask_token,
        const gint32  *first,
        float          p,
        PhiliaTensor **probs)
{
  guint L = m->seq_len, d = m->width, rows = B * L;
  const gint32 *map = NULL;
  PhiliaTensor *h;

  if (mask == NULL)
    {
      guint n = distinct_tokens (m, rows, tokens, pos);

      h = philia_op_add (tape, philia_op_index_select (tape, xw, m->uniq_node, n),
                         philia_op_index_select (tape, m->pos, m->uniq_pos, n));
      map = m->row_map;
    }
  else
    {
      PhiliaTensor *keep = philia_tape_constant (tape, rows, d, NULL);
      PhiliaTensor *col = philia_tape_constant (tape, rows, 1, mask);

      h = philia_op_index_select (tape, xw, tokens, rows);
      for (guint i = 0; i < rows; i++)
        for (guint j = 0; j < d; j++)
          keep->data[(gsize)i * d + j] = 1 - mask[i];
      h = philia_op_add (tape, philia_op_mul (tape, h, keep),
                         philia_op_matmul (tape, col, mask_token));
      h = philia_op_add (tape, h, philia_op_index_select (tape, m->pos, pos, rows));
    }
  /* Until the first attention, h holds a row per distinct token (map). */
  for (guint l = 0; l < m->layers; l++)
    {
      Block *b = &m->blocks[l];
      PhiliaTensor **pl = probs != NULL ? &probs[l] : NULL;
      PhiliaTensor *a, *att;

      a = philia_op_layer_norm (tape, h, b->ln1_g, b->ln1_b, 1e-5f);
      if (first != NULL && l + 1 == m->layers)
        {
          /* Keys and values for every token, queries for the first ones. */
          PhiliaTensor *kv = philia_op_linear_columns (tape, a, b->wqkv, b->bqkv, d, 2 * d);
          const gint32 *own = map != NULL ? first_rows (m, map, first, B) : first;
          PhiliaTensor *q;

          q = philia_op_linear_columns (tape, philia_op_index_select (tape, a, own, B), b->wqkv,
                                        b->bqkv, 0, d);
          att = philia_op_seq_attention_first_packed (tape, q, kv, map, L, m->heads, lens, pl);
          h = block_tail (tape, b, h, own, att, p);
        }
      else
        {
          att = philia_op_seq_attention_packed (tape, philia_op_linear_columns (tape, a, b->wqkv,
                                                                                b->bqkv, 0, 3 * d),
                                                map, B, L, m->heads, lens, pl);
          h = block_tail (tape, b, h, map, att, p);
        }
      map = NULL;
    }
  if (map != NULL)
    h = first != NULL ? philia_op_index_select (tape, h, first_rows (m, map, first, B), B)
                      : philia_op_index_select (tape, h, map, rows);
  else if (first != NULL && m->layers == 0)
    h = philia_op_index_select (tape, h, first, B);
  return philia_op_layer_norm (tape, h, m->lnf_g, m->lnf_b, 1e-5f);
}

/* dropout(X) W_in + b_in for every node. */
static PhiliaTensor *
project (Transformer        *m,
         PhiliaModelContext *ctx,
         PhiliaTape         *tape,
         float               p)
{
  return philia_op_add (tape, philia_model_context_input_matmul (ctx, tape, m->w_in, p),
                        m->b_in);
}

/* Draws the sequences of @n_nodes nodes (m->nodes) into the step buffers. */
static void
sample_step (Transformer        *m,
             PhiliaModelContext *ctx,
             guint               n_nodes)
{
  for (guint b = 0; b < n_nodes; b++)
    {
      gsize at = (gsize)b * m->seq_len;

      m->lens[b] = sample_sequence (m, ctx->graph, &m->rng, m->nodes[b], m->tokens + at,
                                    m->pos_index + at);
      m->cls_rows[b] = (gint32)at;
    }
}

/* The input features of @rows as dense rows (the regression targets). */
static PhiliaTensor *
feature_rows (PhiliaModelContext *ctx,
              PhiliaTape         *tape,
              const gint32       *rows,
              guint               n_rows)
{
  guint f = ctx->n_features;
  PhiliaTensor *t = philia_tape_constant (tape, n_rows, f, NULL);

  for (guint i = 0; i < n_rows; i++)
    {
      float *dst = t->data + (gsize)i * f;

      if (ctx->dense_x != NULL)
        memcpy (dst, ctx->dense_x->data + (gsize)rows[i] * f, sizeof (float) * f);
      else
        {
          PhiliaSparse *s = ctx->sparse_x;

          for (gint64 e = s->row_offsets[rows[i]]; e < s->row_offsets[rows[i] + 1]; e++)
            dst[s->col_index[e]] = s->values != NULL ? s->values[e] : 1;
        }
    }
  return t;
}

/* Masked node modelling: @epochs steps over all nodes (or batches of
 * batch_size), with a mask vector and a regression head of their own. */
static void
pretrain (Transformer        *m,
          PhiliaModelContext *ctx)
{
  const PhiliaTrainParams *p = &ctx->params;
  guint n = philia_graph_get_n_nodes (ctx->graph);
  guint batch = p->batch_size > 0 ? MIN ((guint)p->batch_size, n) : n;
  g_autoptr(PhiliaTape) tape = philia_tape_new (MAX (ctx->n_threads, 1));
  g_autoptr(PhiliaOptimizer) opt = NULL;
  g_autoptr(PhiliaTensor) mask_token = philia_tensor_new (1, m->width);
  g_autoptr(PhiliaTensor) head_w = philia_tensor_new (m->width, ctx->n_features);
  g_autoptr(PhiliaTensor) head_b = philia_tensor_new (1, ctx->n_features);
  g_autofree float *mask = NULL;
  g_autofree gint32 *masked = NULL;
  guint next = 0;

  philia_tensor_glorot (mask_token, &ctx->rng);
  philia_tensor_glorot (head_w, &ctx->rng);
  mask_token->requires_grad = head_w->requires_grad = head_b->requires_grad = TRUE;
  opt = philia_optimizer_new (p->optimizer, (float)p->lr, 0);
  for (guint i = 0; i < ctx->parameters->len; i++)
    philia_optimizer_add (opt, g_ptr_array_index (ctx->parameters, i), FALSE);
  philia_optimizer_add (opt, mask_token, FALSE);
  philia_optimizer_add (opt, head_w, FALSE);
  philia_optimizer_add (opt, head_b, FALSE);
  philia_rng_init (philia_tape_get_rng (tape), philia_rng_next (&ctx->rng));
  philia_tape_set_training (tape, TRUE);
  ensure_step_buffers (m, batch);
  mask = g_new (float, (gsize)batch * m->seq_len);
  masked = g_new (gint32, (gsize)batch * m->seq_len);

  for (int epoch = 0; epoch < p->pretrain_epochs; epoch++)
    {
      PhiliaTensor *h, *xw, *pred;
      guint n_masked = 0;

      for (guint b = 0; b < batch; b++)
        {
          m->nodes[b] = next;
          next = (next + 1) % n;
        }
      sample_step (m, ctx, batch);
      memset (mask, 0, sizeof (float) * batch * m->seq_len);
      for (guint b = 0; b < batch; b++)
        for (guint i = 0; i < m->lens[b]; i++)
          if (philia_rng_float (&m->rng) < MASK_SHARE)
            {
              mask[(gsize)b * m->seq_len + i] = 1;
              masked[n_masked++] = (gint32)((gsize)b * m->seq_len + i);
            }
      if (n_masked == 0)
        continue;
      philia_tape_reset (tape);
      xw = project (m, ctx, tape, (float)p->dropout);
      h = encode (m, tape, xw, batch, m->tokens, m->pos_index, m->lens, mask, mask_token,
                  NULL, (float)p->dropout, NULL);
      h = philia_op_index_select (tape, h, masked, n_masked);
      pred = philia_op_linear (tape, h, head_w, head_b);
      {
        g_autofree gint32 *ids = g_new (gint32, n_masked);

        for (guint i = 0; i < n_masked; i++)
          ids[i] = m->tokens[masked[i]];
        philia_tape_backward (tape, philia_op_mse (tape, pred,
                                                   feature_rows (ctx, tape, ids, n_masked)));
      }
      philia_optimizer_step (opt);
    }
  philia_tape_reset (tape);
}

static void
transformer_free (gpointer model)
{
  Transformer *m = model;

  if (m == NULL)
    return;
  g_free (m->blocks);
  g_free (m->eval_tokens);
  g_free (m->eval_pos);
  g_free (m->eval_len);
  g_free (m->tokens);
  g_free (m->pos_index);
  g_free (m->cls_rows);
  g_free (m->lens);
  g_free (m->nodes);
  g_free (m->order);
  g_free (m->uniq_node);
  g_free (m->uniq_pos);
  g_free (m->row_map);
  g_free (m->first_rows);
  g_free (m->slots);
  g_clear_pointer (&m->eval_tape, philia_tape_free);
  g_free (m);
}

static gpointer
transformer_create (PhiliaModelContext *ctx,
                    GError            **error)
{
  const PhiliaTrainParams *p = &ctx->params;
  guint n = philia_graph_get_n_nodes (ctx->graph);
  Transformer *m;
  guint64 seq_len;

  ctx->own_training_state = TRUE;
  if (p->hidden % p->heads != 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("The transformer's width (%d) must be a multiple of its heads (%d)."),
                   p->hidden, p->heads);
      return NULL;
    }
  seq_len = 1 + (guint64)p->walks * p->walk_length + (guint64)p->hop_samples;
  if (p->layers > 16 || seq_len > 256)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("The transformer takes at most 16 layers and sequences of at most 256 "
                      "tokens (1 + walks × walk length + hop samples = %" PRIu64 ")."),
                   seq_len);
      return NULL;
    }

  m = g_new0 (Transformer, 1);
  m->width = p->hidden;
  m->heads = p->heads;
  m->layers = p->layers;
  m->walks = p->walks;
  m->walk_length = p->walk_length;
  m->hop_samples = p->hop_samples;
  m->seq_len = (guint)seq_len;
  m->n_pos = m->walk_length + 2;
  m->w_in = philia_model_context_add_parameter (ctx, ctx->n_features, m->width, TRUE, TRUE);
  m->b_in = philia_model_context_add_parameter (ctx, 1, m->width, FALSE, FALSE);
  m->pos = philia_model_context_add_parameter (ctx, m->n_pos, m->width, TRUE, FALSE);
  m->blocks = g_new0 (Block, m->layers);
  for (guint l = 0; l < m->layers; l++)
    add_block (ctx, &m->blocks[l], m->width);
  m->lnf_g = philia_model_context_add_parameter (ctx, 1, m->width, FALSE, FALSE);
  m->lnf_b = philia_model_context_add_parameter (ctx, 1, m->width, FALSE, FALSE);
  for (guint j = 0; j < m->width; j++)
    m->lnf_g->data[j] = 1;
  m->w_out = philia_model_context_add_parameter (ctx, m->width, ctx->n_classes, TRUE, TRUE);
  m->b_out = philia_model_context_add_parameter (ctx, 1, ctx->n_classes, FALSE, FALSE);

  /* Sequences from a stream of their own, seeded from the run's. */
  philia_rng_init (&m->rng, philia_rng_next (&ctx->rng));
  m->eval_tokens = g_new (gint32, MAX ((gsize)n * m->seq_len, 1));
  m->eval_pos = g_new (gint32, MAX ((gsize)n * m->seq_len, 1));
  m->eval_len = g_new (guint, MAX (n, 1));
  for (guint v = 0; v < n; v++)
    m->eval_len[v] = sample_sequence (m, ctx->graph, &m->rng, v,
                                      m->eval_tokens + (gsize)v * m->seq_len,
                                      m->eval_pos + (gsize)v * m->seq_len);
  m->eval_tape = philia_tape_new (MAX (ctx->n_threads, 1));
  philia_tape_set_training (m->eval_tape, FALSE);
  if (p->pretrain_epochs > 0)
    pretrain (m, ctx);
  return m;
}

/* The attention of node v's own token (row 0 of its sequence) summed over
 * the tokens that are v or a neighbour, as GAT's [pattern nnz, heads]; the
 * share on tokens further away goes to @beyond (per node, summed over
 * layers and heads). */
static void
gather_attention (Transformer  *m,
                  PhiliaSparse *s,
                  guint         first,
                  guint         count,
                  PhiliaTensor *probs,
                  float        *alpha,
                  double       *beyond)
{
  guint L = m->seq_len, H = m->heads;

  for (guint b = 0; b < count; b++)
    {
      guint v = first + b;
      const gint32 *tok = m->eval_tokens + (gsize)v * L;
      const float *row = probs->data + (gsize)b * (probs->rows / count) * H * L;

      for (guint j = 0; j < m->eval_len[v]; j++)
        {
          gint64 lo = s->row_offsets[v], hi = s->row_offsets[v + 1];

          while (lo < hi)
            {
              gint64 mid = lo + (hi - lo) / 2;

              if (s->col_index[mid] < tok[j])
                lo = mid + 1;
              else
                hi = mid;
            }
          for (guint h = 0; h < H; h++)
            {
              float w = row[(gsize)h * L + j];

              if (lo < s->row_offsets[v + 1] && s->col_index[lo] == tok[j])
                alpha[lo * H + h] += w;
              else
                beyond[v] += w;
            }
        }
    }
}

/* Evaluation: every node, in chunks on the model's own tape, the logits
 * copied to @tape; keeps the attention and the share beyond one hop. */
static PhiliaTensor *
evaluate (Transformer        *m,
          PhiliaModelContext *ctx,
          PhiliaTape         *tape)
{
  guint n = philia_graph_get_n_nodes (ctx->graph), c = ctx->n_classes;
  PhiliaSparse *s = philia_model_context_get_pattern (ctx);
  PhiliaTensor *xw = project (m, ctx, tape, 0);
  PhiliaTensor *logits = philia_tape_constant (tape, n, c, NULL);
  g_autofree PhiliaTensor **probs = g_new0 (PhiliaTensor *, m->layers);
  g_autoptr(GPtrArray) alpha = g_ptr_array_new_with_free_func (
    (GDestroyNotify)philia_tensor_free);
  g_autoptr(PhiliaTensor) beyond = philia_tensor_new (n, 1);
  g_autofree double *beyond_sum = g_new0 (double, MAX (n, 1));
  g_autofree gint32 *cls = g_new (gint32, EVAL_CHUNK);

  for (guint l = 0; l < m->layers; l++)
    g_ptr_array_add (alpha, philia_tensor_new ((guint)s->nnz, m->heads));
  for (guint first = 0; first < n; first += EVAL_CHUNK)
    {
      guint count = MIN (EVAL_CHUNK, n - first);
      gsize at = (gsize)first * m->seq_len;
      PhiliaTensor *h, *out;

      philia_tape_reset (m->eval_tape);
      for (guint b = 0; b < count; b++)
        cls[b] = (gint32)(b * m->seq_len);
      h = encode (m, m->eval_tape, xw, count, m->eval_tokens + at, m->eval_pos + at,
                  m->eval_len + first, NULL, NULL, cls, 0, probs);
      out = philia_op_linear (m->eval_tape, h, m->w_out, m->b_out);
      memcpy (logits->data + (gsize)first * c, out->data, sizeof (float) * count * c);
      for (guint l = 0; l < m->layers; l++)
        gather_attention (m, s, first, count, probs[l], ((PhiliaTensor *)alpha->pdata[l])->data,
                          beyond_sum);
    }
  philia_tape_reset (m->eval_tape);
  for (guint l = 0; l < m->layers; l++)
    philia_model_context_keep_attention (ctx, l, alpha->pdata[l]);
  for (guint v = 0; v < n; v++)
    beyond->data[v] = (float)(beyond_sum[v] / (m->layers * m->heads));
  philia_model_context_keep_node_values (ctx, "attention beyond one hop", beyond);
  return logits;
}

static PhiliaTensor *
transformer_forward (gpointer            model,
                     PhiliaModelContext *ctx,
                     PhiliaTape         *tape)
{
  Transformer *m = model;
  const PhiliaTrainParams *p = &ctx->params;
  guint n = philia_graph_get_n_nodes (ctx->graph), n_rows, count;
  const guint *rows;
  PhiliaTensor *xw, *h;

  if (!philia_tape_get_training (tape))
    return evaluate (m, ctx, tape);

  rows = philia_model_context_get_loss_rows (ctx, tape, &n_rows);
  if (rows == NULL)
    n_rows = n;
  count = n_rows;
  if (p->batch_size > 0 && (guint)p->batch_size < n_rows)
    {
      /* The next batch of a seeded order over the training nodes, reshuffled each round. */
      count = (guint)p->batch_size;
      if (m->order == NULL)
        {
          m->order = g_new (guint, n_rows);
          for (guint i = 0; i < n_rows; i++)
            m->order[i] = rows != NULL ? rows[i] : i;
          m->order_at = n_rows;
        }
      ensure_step_buffers (m, count);
      for (guint b = 0; b < count; b++)
        {
          if (m->order_at == n_rows)
            {
              for (guint i = n_rows - 1; i > 0; i--)
                {
                  guint j = philia_rng_below (&m->rng, i + 1), tmp = m->order[i];

                  m->order[i] = m->order[j];
                  m->order[j] = tmp;
                }
              m->order_at = 0;
            }
          m->nodes[b] = m->order[m->order_at++];
        }
      _philia_model_context_set_batch (ctx, m->nodes, count);
    }
  else
    {
      ensure_step_buffers (m, count);
      for (guint b = 0; b < count; b++)
        m->nodes[b] = rows != NULL ? rows[b] : b;
    }
  sample_step (m, ctx, count);
  xw = project (m, ctx, tape, (float)p->dropout);
  h = encode (m, tape, xw, count, m->tokens, m->pos_index, m->lens, NULL, NULL, m->cls_rows,
              (float)p->dropout, NULL);
  return philia_op_linear (tape, h, m->w_out, m->b_out);
}

const PhiliaModelVTable _philia_model_transformer = { FALSE, transformer_defaults,
                                                      transformer_create, transformer_forward,
                                                      transformer_free };
