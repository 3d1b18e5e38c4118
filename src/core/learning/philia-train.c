/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

void _philia_models_register (PhiliaRegistry *registry);

/* Features denser than this are multiplied as a dense matrix. */
#define SPARSE_FEATURE_DENSITY 0.10

void
philia_train_params_init (PhiliaTrainParams *params)
{
  g_return_if_fail (params != NULL);

  params->epochs = -1;
  params->lr = -1;
  params->weight_decay = -1;
  params->hidden = -1;
  params->dropout = -1;
  params->heads = -1;
  params->k = -1;
  params->alpha = -1;
  params->optimizer = PHILIA_OPTIMIZER_ADAM;
  params->normalize_features = TRUE;
}

/* ---------------------------------------------------------------- context */

struct _PhiliaModelContext
{
  PhiliaGraph       *graph;
  PhiliaTrainParams  params;
  guint              n_classes;
  guint              n_features;
  PhiliaSparse      *adjacency;
  PhiliaSparse      *pattern;
  PhiliaSparse      *sparse_x;
  PhiliaTensor      *dense_x;
  GPtrArray         *parameters;
  GArray            *decay;     /* gboolean per parameter */
  PhiliaRng          rng;
  GPtrArray         *attention; /* PhiliaTensor copies per layer, last eval pass */
  GPtrArray         *node_values; /* PhiliaNodeValues*, last eval pass */
  guint             *loss_rows;   /* labelled training nodes, ascending; NULL if all nodes */
  guint              n_loss_rows;
  PhiliaTensor      *dense_x_rows;  /* the features of those rows, built when first asked */
  PhiliaSparse      *sparse_x_rows;
};

static G_LOCK_DEFINE (adjacency_cache);

/* Â (or the 0/1 pattern of A+I): row i holds i and its neighbours, sorted. */
static PhiliaSparse *
build_adjacency (PhiliaGraph *graph,
                 gboolean     normalize)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  gint64 nnz = off[n] + n;
  gint64 *row_offsets = g_new (gint64, n + 1);
  gint32 *cols = g_new (gint32, MAX (nnz, 1));
  float *values = g_new (float, MAX (nnz, 1));
  g_autofree float *dinv = g_new (float, MAX (n, 1));
  PhiliaSparse *s;
  gint64 k = 0;

  for (guint i = 0; i < n; i++)
    dinv[i] = (float)(1.0 / sqrt ((double)(off[i + 1] - off[i] + 1)));
  for (guint i = 0; i < n; i++)
    {
      gboolean self_done = FALSE;

      row_offsets[i] = k;
      for (gint64 e = off[i]; e <= off[i + 1]; e++)
        {
          gint32 j;

          if (!self_done && (e == off[i + 1] || nbr[e] > (gint32)i))
            {
              cols[k] = i;
              values[k++] = normalize ? dinv[i] * dinv[i] : 1.0f;
              self_done = TRUE;
            }
          if (e == off[i + 1])
            break;
          j = nbr[e];
          cols[k] = j;
          values[k++] = normalize ? dinv[i] * dinv[j] : 1.0f;
        }
    }
  row_offsets[n] = k;
  s = philia_sparse_new (n, n, row_offsets, cols, values);
  if (normalize)
    philia_sparse_set_scales (s, dinv, dinv);
  return s;
}

static PhiliaSparse *
cached_adjacency (PhiliaGraph *graph,
                  gboolean     normalize)
{
  const char *key = normalize ? "philia-normalized-adjacency" : "philia-adjacency-pattern";
  PhiliaSparse *s;

  G_LOCK (adjacency_cache);
  s = g_object_get_data (G_OBJECT (graph), key);
  if (s == NULL)
    {
      s = build_adjacency (graph, normalize);
      g_object_set_data_full (G_OBJECT (graph), key, s, (GDestroyNotify)philia_sparse_unref);
    }
  G_UNLOCK (adjacency_cache);
  return s;
}

/* Row i of A without self-loops (the graph's own CSR), scaled by @kind:
 * "mean": 1/deg(i) (GraphSAGE's mean aggregator; an isolated row is empty);
 * "sym": 1/√(deg(i) deg(j)) (H2GCN's Ā₁). */
static PhiliaSparse *
build_neighbors (PhiliaGraph *graph,
                 gboolean     mean)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  gint64 nnz = off[n];
  gint64 *row_offsets = g_memdup2 (off, sizeof (gint64) * (n + 1));
  gint32 *cols = g_new (gint32, MAX (nnz, 1));
  float *values = g_new (float, MAX (nnz, 1));

  memcpy (cols, nbr, sizeof (gint32) * nnz);
  for (guint i = 0; i < n; i++)
    for (gint64 e = off[i]; e < off[i + 1]; e++)
      {
        gint64 di = off[i + 1] - off[i], dj = off[nbr[e] + 1] - off[nbr[e]];

        values[e] = mean ? (float)(1.0 / di) : (float)(1.0 / sqrt ((double)di * dj));
      }
  return philia_sparse_new (n, n, row_offsets, cols, values);
}

static int
cmp_gint32 (gconstpointer a,
            gconstpointer b)
{
  gint32 x = *(const gint32 *)a, y = *(const gint32 *)b;

  return (x > y) - (x < y);
}

/* H2GCN's Ā₂: the nodes at distance exactly two (neither a neighbour nor the
 * node itself), symmetrically normalised by their counts. O(Σ deg²). */
static PhiliaSparse *
build_two_hop (PhiliaGraph *graph)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  g_autofree gint64 *stamp = g_new (gint64, MAX (n, 1));
  g_autoptr(GArray) cols = g_array_new (FALSE, FALSE, sizeof (gint32));
  gint64 *row_offsets = g_new (gint64, n + 1);
  g_autofree float *count = g_new (float, MAX (n, 1));
  gint32 *col_index;
  float *values;

  for (guint i = 0; i < n; i++)
    stamp[i] = -1;
  for (guint v = 0; v < n; v++)
    {
      guint first = cols->len;

      row_offsets[v] = cols->len;
      stamp[v] = 2 * (gint64)v;
      for (gint64 e = off[v]; e < off[v + 1]; e++)
        stamp[nbr[e]] = 2 * (gint64)v;
      for (gint64 e = off[v]; e < off[v + 1]; e++)
        for (gint64 f = off[nbr[e]]; f < off[nbr[e] + 1]; f++)
          {
            gint32 w = nbr[f];

            if (stamp[w] < 2 * (gint64)v)
              {
                stamp[w] = 2 * (gint64)v + 1;
                g_array_append_val (cols, w);
              }
          }
      qsort (&g_array_index (cols, gint32, first), cols->len - first, sizeof (gint32),
             cmp_gint32);
      count[v] = (float)(cols->len - first);
    }
  row_offsets[n] = cols->len;
  col_index = g_new (gint32, MAX (cols->len, 1));
  memcpy (col_index, cols->data, sizeof (gint32) * cols->len);
  values = g_new (float, MAX (cols->len, 1));
  for (guint v = 0; v < n; v++)
    for (gint64 e = row_offsets[v]; e < row_offsets[v + 1]; e++)
      values[e] = (float)(1.0 / sqrt ((double)count[v] * count[col_index[e]]));
  return philia_sparse_new (n, n, row_offsets, col_index, values);
}

typedef enum
{
  ADJ_GCN,        /* D^{-1/2}(A+I)D^{-1/2} */
  ADJ_PATTERN,    /* A+I, ones */
  ADJ_MEAN,       /* D^{-1}A */
  ADJ_SYM,        /* D^{-1/2}AD^{-1/2} */
  ADJ_TWO_HOP,    /* strict two-hop, symmetric */
} AdjacencyKind;

static PhiliaSparse *
cached_kind (PhiliaGraph   *graph,
             AdjacencyKind  kind)
{
  static const char *keys[] = { "philia-normalized-adjacency", "philia-adjacency-pattern",
                                "philia-mean-adjacency", "philia-sym-adjacency",
                                "philia-two-hop-adjacency" };
  PhiliaSparse *s;

  G_LOCK (adjacency_cache);
  s = g_object_get_data (G_OBJECT (graph), keys[kind]);
  if (s == NULL)
    {
      switch (kind)
        {
        case ADJ_GCN: s = build_adjacency (graph, TRUE); break;
        case ADJ_PATTERN: s = build_adjacency (graph, FALSE); break;
        case ADJ_MEAN: s = build_neighbors (graph, TRUE); break;
        case ADJ_SYM: s = build_neighbors (graph, FALSE); break;
        case ADJ_TWO_HOP: default: s = build_two_hop (graph); break;
        }
      g_object_set_data_full (G_OBJECT (graph), keys[kind], s,
                              (GDestroyNotify)philia_sparse_unref);
    }
  G_UNLOCK (adjacency_cache);
  return s;
}

PhiliaGraph *
philia_model_context_get_graph (PhiliaModelContext *ctx)
{
  return ctx->graph;
}

const PhiliaTrainParams *
philia_model_context_get_params (PhiliaModelContext *ctx)
{
  return &ctx->params;
}

guint
philia_model_context_get_n_classes (PhiliaModelContext *ctx)
{
  return ctx->n_classes;
}

guint
philia_model_context_get_n_features (PhiliaModelContext *ctx)
{
  return ctx->n_features;
}

PhiliaSparse *
philia_model_context_get_adjacency (PhiliaModelContext *ctx)
{
  if (ctx->adjacency == NULL)
    ctx->adjacency = philia_sparse_ref (cached_adjacency (ctx->graph, TRUE));
  return ctx->adjacency;
}

PhiliaSparse *
philia_model_context_get_pattern (PhiliaModelContext *ctx)
{
  if (ctx->pattern == NULL)
    ctx->pattern = philia_sparse_ref (cached_adjacency (ctx->graph, FALSE));
  return ctx->pattern;
}

PhiliaSparse *
philia_model_context_get_sparse_features (PhiliaModelContext *ctx)
{
  return ctx->sparse_x;
}

PhiliaTensor *
philia_model_context_get_dense_features (PhiliaModelContext *ctx)
{
  return ctx->dense_x;
}

PhiliaRng *
philia_model_context_get_rng (PhiliaModelContext *ctx)
{
  return &ctx->rng;
}

static PhiliaTensor *
input_matmul_on (PhiliaTape   *tape,
                 PhiliaTensor *dense,
                 PhiliaSparse *sparse,
                 PhiliaTensor *w,
                 float         dropout)
{
  if (dense != NULL)
    return philia_op_matmul (tape, philia_op_dropout (tape, dense, dropout), w);
  if (dropout > 0 && philia_tape_get_training (tape))
    {
      /* Dropout on a sparse matrix drops stored entries: zeros stay zero. */
      PhiliaTensor *values = philia_tape_constant (tape, sparse->nnz, 1, sparse->values);

      return philia_op_spmm (tape, sparse, philia_op_dropout (tape, values, dropout), w);
    }
  return philia_op_spmm (tape, sparse, NULL, w);
}

PhiliaTensor *
philia_model_context_input_matmul (PhiliaModelContext *ctx,
                                   PhiliaTape         *tape,
                                   PhiliaTensor       *w,
                                   float               dropout)
{
  return input_matmul_on (tape, ctx->dense_x, ctx->sparse_x, w, dropout);
}

const guint *
philia_model_context_get_loss_rows (PhiliaModelContext *ctx,
                                    PhiliaTape         *tape,
                                    guint              *n_rows)
{
  if (ctx->loss_rows == NULL || !philia_tape_get_training (tape))
    {
      *n_rows = 0;
      return NULL;
    }
  *n_rows = ctx->n_loss_rows;
  return ctx->loss_rows;
}

/* The given rows of a dense matrix, in that order. */
static PhiliaTensor *
dense_rows (const PhiliaTensor *x,
            const guint        *rows,
            guint               n_rows)
{
  PhiliaTensor *out = philia_tensor_new (n_rows, x->cols);

  for (guint i = 0; i < n_rows; i++)
    memcpy (out->data + (gsize)i * x->cols, x->data + (gsize)rows[i] * x->cols,
            sizeof (float) * x->cols);
  return out;
}

/* The features of the loss rows, built on first use. */
static void
ensure_row_features (PhiliaModelContext *ctx,
                     const guint        *rows,
                     guint               n_rows)
{
  if (ctx->dense_x != NULL && ctx->dense_x_rows == NULL)
    ctx->dense_x_rows = dense_rows (ctx->dense_x, rows, n_rows);
  if (ctx->sparse_x != NULL && ctx->sparse_x_rows == NULL)
    ctx->sparse_x_rows = philia_sparse_new_rows (ctx->sparse_x, rows, n_rows);
}

PhiliaTensor *
philia_model_context_row_input_matmul (PhiliaModelContext *ctx,
                                       PhiliaTape         *tape,
                                       PhiliaTensor       *w,
                                       float               dropout)
{
  guint n_rows;
  const guint *rows = philia_model_context_get_loss_rows (ctx, tape, &n_rows);

  if (rows == NULL)
    return philia_model_context_input_matmul (ctx, tape, w, dropout);
  ensure_row_features (ctx, rows, n_rows);
  return input_matmul_on (tape, ctx->dense_x_rows, ctx->sparse_x_rows, w, dropout);
}

PhiliaTensor *
philia_model_context_add_parameter (PhiliaModelContext *ctx,
                                    guint               rows,
                                    guint               cols,
                                    gboolean            glorot,
                                    gboolean            decay)
{
  PhiliaTensor *t = philia_tensor_new (rows, cols);

  if (glorot)
    philia_tensor_glorot (t, &ctx->rng);
  t->requires_grad = TRUE;
  g_ptr_array_add (ctx->parameters, t);
  g_array_append_val (ctx->decay, decay);
  return t;
}

void
philia_model_context_keep_attention (PhiliaModelContext *ctx,
                                     guint               layer,
                                     PhiliaTensor       *alpha)
{
  if (ctx->attention->len <= layer)
    g_ptr_array_set_size (ctx->attention, layer + 1);
  g_clear_pointer (&g_ptr_array_index (ctx->attention, layer), philia_tensor_free);
  g_ptr_array_index (ctx->attention, layer) = philia_tensor_copy (alpha);
}

static void
node_values_free (PhiliaNodeValues *v)
{
  g_free (v->name);
  g_free (v->values);
  g_free (v);
}

void
philia_model_context_keep_node_values (PhiliaModelContext *ctx,
                                       const char         *name,
                                       PhiliaTensor       *values)
{
  guint n = philia_graph_get_n_nodes (ctx->graph);

  g_return_if_fail (name != NULL && values != NULL);
  g_return_if_fail (values->rows == n && values->cols >= 1);

  for (guint j = 0; j < values->cols; j++)
    {
      g_autofree char *full = values->cols == 1 ? g_strdup (name)
                                                : g_strdup_printf ("%s[%u]", name, j);
      PhiliaNodeValues *v = NULL;

      for (guint i = 0; i < ctx->node_values->len && v == NULL; i++)
        if (g_str_equal (((PhiliaNodeValues *)g_ptr_array_index (ctx->node_values, i))->name, full))
          v = g_ptr_array_index (ctx->node_values, i);
      if (v == NULL)
        {
          v = g_new0 (PhiliaNodeValues, 1);
          v->name = g_steal_pointer (&full);
          v->values = g_new (double, MAX (n, 1));
          g_ptr_array_add (ctx->node_values, v);
        }
      for (guint i = 0; i < n; i++)
        v->values[i] = values->data[(gsize)i * values->cols + j];
    }
}

static PhiliaNodeValues *
node_values_copy (const PhiliaNodeValues *v,
                  guint                   n)
{
  PhiliaNodeValues *copy = g_new0 (PhiliaNodeValues, 1);

  copy->name = g_strdup (v->name);
  copy->values = g_memdup2 (v->values, sizeof (double) * MAX (n, 1));
  return copy;
}

static void
context_free (PhiliaModelContext *ctx)
{
  g_clear_pointer (&ctx->adjacency, philia_sparse_unref);
  g_clear_pointer (&ctx->pattern, philia_sparse_unref);
  g_clear_pointer (&ctx->sparse_x, philia_sparse_unref);
  g_clear_pointer (&ctx->dense_x, philia_tensor_free);
  g_clear_pointer (&ctx->parameters, g_ptr_array_unref);
  g_clear_pointer (&ctx->decay, g_array_unref);
  g_clear_pointer (&ctx->attention, g_ptr_array_unref);
  g_clear_pointer (&ctx->node_values, g_ptr_array_unref);
  g_clear_pointer (&ctx->dense_x_rows, philia_tensor_free);
  g_clear_pointer (&ctx->sparse_x_rows, philia_sparse_unref);
  g_free (ctx->loss_rows);
  g_free (ctx);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaModelContext, context_free)

/* Row-normalised copies of the features, kept as CSR when sparse enough; an
 * identity (one-hot node id, as CSR) for a featureless graph. */
static void
prepare_features (PhiliaModelContext *ctx)
{
  guint n = philia_graph_get_n_nodes (ctx->graph);
  guint f = philia_graph_get_n_features (ctx->graph);
  const float *x = philia_graph_get_features (ctx->graph);
  g_autofree float *copy = NULL;
  gsize nonzero = 0;

  if (f == 0 || x == NULL)
    {
      gint64 *off = g_new (gint64, n + 1);
      gint32 *col = g_new (gint32, MAX (n, 1));
      float *val = g_new (float, MAX (n, 1));

      for (guint i = 0; i < n; i++)
        {
          off[i] = i;
          col[i] = i;
          val[i] = 1.0f;
        }
      off[n] = n;
      ctx->n_features = n;
      ctx->sparse_x = philia_sparse_new (n, n, off, col, val);
      return;
    }

  ctx->n_features = f;
  copy = g_memdup2 (x, sizeof (float) * n * f);
  for (guint i = 0; i < n; i++)
    {
      float *row = copy + (gsize)i * f;
      double sum = 0;

      for (guint j = 0; j < f; j++)
        {
          sum += row[j];
          nonzero += row[j] != 0;
        }
      if (ctx->params.normalize_features && sum != 0)
        for (guint j = 0; j < f; j++)
          row[j] = (float)(row[j] / sum);
    }
  if ((double)nonzero < SPARSE_FEATURE_DENSITY * n * f)
    ctx->sparse_x = philia_sparse_new_from_dense (copy, n, f);
  else
    {
      ctx->dense_x = philia_tensor_new (n, f);
      memcpy (ctx->dense_x->data, copy, sizeof (float) * n * f);
    }
}

/* ------------------------------------------------------------------ models */

typedef struct
{
  PhiliaTensor *w1, *b1, *w2, *b2;
} TwoLayer;

static gpointer
two_layer_create (PhiliaModelContext *ctx,
                  guint               hidden,
                  gboolean            decay_second)
{
  TwoLayer *m = g_new0 (TwoLayer, 1);
  guint f = ctx->n_features, c = ctx->n_classes;

  m->w1 = philia_model_context_add_parameter (ctx, f, hidden, TRUE, TRUE);
  m->b1 = philia_model_context_add_parameter (ctx, 1, hidden, FALSE, TRUE);
  m->w2 = philia_model_context_add_parameter (ctx, hidden, c, TRUE, decay_second);
  m->b2 = philia_model_context_add_parameter (ctx, 1, c, FALSE, decay_second);
  return m;
}

/* MLP: Linear → ReLU → dropout → Linear, dropout on the input too. */
static void
mlp_defaults (PhiliaTrainParams *p)
{
  if (p->epochs <= 0) p->epochs = 200;
  if (p->lr < 0) p->lr = 0.01;
  if (p->weight_decay < 0) p->weight_decay = 5e-4;
  if (p->hidden <= 0) p->hidden = 64;
  if (p->dropout < 0) p->dropout = 0.5;
}

static gpointer
mlp_create (PhiliaModelContext *ctx,
            GError            **error)
{
  return two_layer_create (ctx, ctx->params.hidden, TRUE);
}

/* The MLP on every row (APPNP and GPR-GNN propagate its output) or, with
 * @loss_rows_only in a training step, on the loss rows alone. */
static PhiliaTensor *
mlp_forward_rows (TwoLayer           *m,
                  PhiliaModelContext *ctx,
                  PhiliaTape         *tape,
                  gboolean            loss_rows_only)
{
  float p = (float)ctx->params.dropout;
  guint n_rows;
  const guint *rows = loss_rows_only ? philia_model_context_get_loss_rows (ctx, tape, &n_rows)
                                     : NULL;
  PhiliaTensor *dense = ctx->dense_x, *h;
  PhiliaSparse *sparse = ctx->sparse_x;

  if (rows != NULL)
    {
      ensure_row_features (ctx, rows, n_rows);
      dense = ctx->dense_x_rows;
      sparse = ctx->sparse_x_rows;
    }
  /* Dense features: X W1 + b1 as one op; sparse ones go through spmm. */
  if (dense != NULL)
    h = philia_op_linear (tape, philia_op_dropout (tape, dense, p), m->w1, m->b1);
  else
    h = philia_op_add (tape, input_matmul_on (tape, NULL, sparse, m->w1, p), m->b1);
  h = philia_op_relu_dropout (tape, h, p);
  return philia_op_linear (tape, h, m->w2, m->b2);
}

static PhiliaTensor *
mlp_forward (gpointer            model,
             PhiliaModelContext *ctx,
             PhiliaTape         *tape)
{
  return mlp_forward_rows (model, ctx, tape, FALSE);
}

/* As a model of its own the rows are independent: a training step needs
 * only the training rows. */
static PhiliaTensor *
mlp_model_forward (gpointer            model,
                   PhiliaModelContext *ctx,
                   PhiliaTape         *tape)
{
  return mlp_forward_rows (model, ctx, tape, TRUE);
}

/* GCN (Kipf & Welling 2017): Â relu(Â X W1 + b1) W2 + b2; weight decay on
 * the first layer only, as in the paper and PyG's example. */
static void
gcn_defaults (PhiliaTrainParams *p)
{
  if (p->epochs <= 0) p->epochs = 200;
  if (p->lr < 0) p->lr = 0.01;
  if (p->weight_decay < 0) p->weight_decay = 5e-4;
  if (p->hidden <= 0) p->hidden = 16;
  if (p->dropout < 0) p->dropout = 0.5;
}

static gpointer
gcn_create (PhiliaModelContext *ctx,
            GError            **error)
{
  return two_layer_create (ctx, ctx->params.hidden, FALSE);
}

static PhiliaTensor *
gcn_forward (gpointer            model,
             PhiliaModelContext *ctx,
             PhiliaTape         *tape)
{
  TwoLayer *m = model;
  PhiliaSparse *a = philia_model_context_get_adjacency (ctx);
  float p = (float)ctx->params.dropout;
  PhiliaTensor *h;

  h = philia_model_context_input_matmul (ctx, tape, m->w1, p);
  h = philia_op_add (tape, philia_op_spmm (tape, a, NULL, h), m->b1);
  h = philia_op_relu_dropout (tape, h, p);
  h = philia_op_spmm (tape, a, NULL, philia_op_matmul (tape, h, m->w2));
  return philia_op_add (tape, h, m->b2);
}

/* SGC (Wu et al. 2019): logistic regression on Â^K X, precomputed once. */
typedef struct
{
  PhiliaTensor *w, *b;
  PhiliaTensor *dense;    /* Â^K X, or NULL when kept sparse */
  PhiliaSparse *sparse;
  /* Â^K X on the training rows alone, for the training steps (the rows of a
   * linear model on fixed features are independent). */
  PhiliaTensor *dense_rows;
  PhiliaSparse *sparse_rows;
  /* Otherwise (X propagated every step) the training rows of Â, for the
   * last propagation: a step then propagates to the rows its loss reads. */
  PhiliaSparse *adjacency_rows;
} Sgc;

/* Rows @rows of Â^K X for sparse X, each by pushing e_i through Â K times
 * (sparse vectors over the touched nodes) and then through X; a row is
 * dense over the features. Sums in double. */
static PhiliaTensor *
propagated_rows (PhiliaSparse       *a,
                 const PhiliaSparse *x,
                 int                 k,
                 const guint        *rows,
                 guint               n_rows)
{
  guint n = a->rows, f = x->cols;
  PhiliaTensor *out = philia_tensor_new (n_rows, f);
  g_autofree double *cur = g_new0 (double, n), *next = g_new0 (double, n);
  g_autofree double *acc = g_new0 (double, f);
  g_autofree guint *touched = g_new (guint, n), *touched_next = g_new (guint, n);
  g_autofree guint8 *seen = g_new0 (guint8, n);

  for (guint r = 0; r < n_rows; r++)
    {
      guint n_touched = 1;

      touched[0] = rows[r];
      cur[rows[r]] = 1.0;
      for (int step = 0; step < k; step++)
        {
          guint n_next = 0;

          for (guint t = 0; t < n_touched; t++)
            {
              guint j = touched[t];

              for (gint64 e = a->row_offsets[j]; e < a->row_offsets[j + 1]; e++)
                {
                  guint c = (guint)a->col_index[e];

                  if (!seen[c])
                    {
                      seen[c] = 1;
                      touched_next[n_next++] = c;
                    }
                  next[c] += cur[j] * (a->values ? a->values[e] : 1.0f);
                }
              cur[j] = 0;
            }
          for (guint t = 0; t < n_next; t++)
            seen[touched_next[t]] = 0;
          memcpy (touched, touched_next, sizeof (guint) * n_next);
          n_touched = n_next;
          {
            double *swap = cur;

            cur = next;
            next = swap;
          }
        }
      for (guint t = 0; t < n_touched; t++)
        {
          guint j = touched[t];

          for (gint64 e = x->row_offsets[j]; e < x->row_offsets[j + 1]; e++)
            acc[x->col_index[e]] += cur[j] * (x->values ? x->values[e] : 1.0f);
          cur[j] = 0;
        }
      for (guint c = 0; c < f; c++)
        {
          out->data[(gsize)r * f + c] = (float)acc[c];
          acc[c] = 0;
        }
    }
  return out;
}

static void
sgc_defaults (PhiliaTrainParams *p)
{
  if (p->epochs <= 0) p->epochs = 100;
  if (p->lr < 0) p->lr = 0.2;
  if (p->weight_decay < 0) p->weight_decay = 5e-5;
  if (p->k <= 0) p->k = 2;
  if (p->dropout < 0) p->dropout = 0;
  if (p->hidden <= 0) p->hidden = 0;
}

static gpointer
sgc_create (PhiliaModelContext *ctx,
            GError            **error)
{
  Sgc *m = g_new0 (Sgc, 1);
  PhiliaSparse *a = philia_model_context_get_adjacency (ctx);
  guint n = philia_graph_get_n_nodes (ctx->graph), f = ctx->n_features;
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *x;
  gsize nonzero = 0;

  /* Sparse features: Â^K (X W) equals (Â^K X) W and costs K sparse products
   * of width C instead of a dense n × F product (Â^K X fills in). Dense
   * features: Â^K X once. */
  if (ctx->dense_x != NULL)
    {
      x = ctx->dense_x;
      for (int k = 0; k < ctx->params.k; k++)
        x = philia_op_spmm (tape, a, NULL, x);
      for (gsize i = 0; i < (gsize)n * f; i++)
        nonzero += x->data[i] != 0;
      if ((double)nonzero < SPARSE_FEATURE_DENSITY * n * f)
        m->sparse = philia_sparse_new_from_dense (x->data, n, f);
      else
        m->dense = philia_tensor_new_from (n, f, x->data);
    }
  if (ctx->loss_rows != NULL)
    {
      guint r = ctx->n_loss_rows;

      if (m->dense != NULL)
        m->dense_rows = dense_rows (m->dense, ctx->loss_rows, r);
      else if (m->sparse != NULL)
        m->sparse_rows = philia_sparse_new_rows (m->sparse, ctx->loss_rows, r);
      /* Sparse X is propagated every step (Â^K X fills in); the training rows
       * of Â^K X, dense, pay when their product costs less than the K sparse
       * products of a step (a sparse multiply-add counted as four dense). */
      else if (ctx->sparse_x != NULL
               && (double)r * f < 4.0 * (ctx->params.k * (double)a->nnz + ctx->sparse_x->nnz)
               && (double)r * f * sizeof (float) < 256.0 * 1024 * 1024)
        m->dense_rows = propagated_rows (a, ctx->sparse_x, ctx->params.k, ctx->loss_rows, r);
      else
        m->adjacency_rows = philia_sparse_new_rows (a, ctx->loss_rows, r);
    }
  m->w = philia_model_context_add_parameter (ctx, f, ctx->n_classes, TRUE, TRUE);
  m->b = philia_model_context_add_parameter (ctx, 1, ctx->n_classes, FALSE, TRUE);
  return m;
}

static PhiliaTensor *
sgc_forward (gpointer            model,
             PhiliaModelContext *ctx,
             PhiliaTape         *tape)
{
  Sgc *m = model;
  PhiliaTensor *h, *dense = m->dense;
  PhiliaSparse *sparse = m->sparse;
  guint n_rows;
  gboolean loss_rows = philia_model_context_get_loss_rows (ctx, tape, &n_rows) != NULL;

  if (loss_rows && (m->dense_rows != NULL || m->sparse_rows != NULL))
    {
      dense = m->dense_rows;
      sparse = m->sparse_rows;
    }
  if (dense != NULL)
    h = philia_op_matmul (tape, philia_op_dropout (tape, dense, (float)ctx->params.dropout), m->w);
  else if (sparse != NULL)
    h = philia_op_spmm (tape, sparse, NULL, m->w);
  else
    {
      PhiliaSparse *a = philia_model_context_get_adjacency (ctx);
      PhiliaSparse *last = loss_rows && m->adjacency_rows != NULL ? m->adjacency_rows : a;

      h = philia_model_context_input_matmul (ctx, tape, m->w, (float)ctx->params.dropout);
      for (int k = 0; k < ctx->params.k; k++)
        h = philia_op_spmm (tape, k + 1 == ctx->params.k ? last : a, NULL, h);
    }
  return philia_op_add (tape, h, m->b);
}

static void
sgc_free (gpointer model)
{
  Sgc *m = model;

  g_clear_pointer (&m->dense, philia_tensor_free);
  g_clear_pointer (&m->sparse, philia_sparse_unref);
  g_clear_pointer (&m->dense_rows, philia_tensor_free);
  g_clear_pointer (&m->sparse_rows, philia_sparse_unref);
  g_clear_pointer (&m->adjacency_rows, philia_sparse_unref);
  g_free (m);
}

/* APPNP (Gasteiger et al. 2019): an MLP's logits Z propagated K times,
 * H ← (1−α) Â H + α Z. */
static void
appnp_defaults (PhiliaTrainParams *p)
{
  if (p->epochs <= 0) p->epochs = 200;
  if (p->lr < 0) p->lr = 0.01;
  if (p->weight_decay < 0) p->weight_decay = 5e-3;
  if (p->hidden <= 0) p->hidden = 64;
  if (p->dropout < 0) p->dropout = 0.5;
  if (p->k <= 0) p->k = 10;
  if (p->alpha < 0) p->alpha = 0.1;
}

static gpointer
appnp_create (PhiliaModelContext *ctx,
              GError            **error)
{
  return two_layer_create (ctx, ctx->params.hidden, FALSE);
}

static PhiliaTensor *
appnp_forward (gpointer            model,
               PhiliaModelContext *ctx,
               PhiliaTape         *tape)
{
  PhiliaSparse *a = philia_model_context_get_adjacency (ctx);
  float alpha = (float)ctx->params.alpha;
  PhiliaTensor *z = mlp_forward (model, ctx, tape);
  PhiliaTensor *az = philia_op_scale (tape, z, alpha);
  PhiliaTensor *h = z;

  for (int k = 0; k < ctx->params.k; k++)
    h = philia_op_add (tape, philia_op_scale (tape, philia_op_spmm (tape, a, NULL, h), 1 - alpha),
                       az);
  return h;
}

/* GAT (Veličković et al. 2018), PyG's GATConv: per head h,
 * e_vu = LeakyReLU_0.2(a_dst·W x_v + a_src·W x_u) over u ∈ N(v) ∪ {v},
 * softmax over u, attention dropout, Σ_u α_vu W x_u; heads concatenated,
 * ELU, then one output head. */
typedef struct
{
  PhiliaTensor *w, *a_src, *a_dst, *b;
  guint         heads, width;
} GatLayer;

typedef struct
{
  GatLayer layer[2];
} Gat;

static void
gat_defaults (PhiliaTrainParams *p)
{
  if (p->epochs <= 0) p->epochs = 200;
  if (p->lr < 0) p->lr = 0.005;
  if (p->weight_decay < 0) p->weight_decay = 5e-4;
  if (p->hidden <= 0) p->hidden = 8;
  if (p->heads <= 0) p->heads = 8;
  if (p->dropout < 0) p->dropout = 0.6;
}

static void
gat_layer_init (PhiliaModelContext *ctx,
                GatLayer           *l,
                guint               in,
                guint               heads,
                guint               width)
{
  l->heads = heads;
  l->width = width;
  l->w = philia_model_context_add_parameter (ctx, in, heads * width, TRUE, TRUE);
  /* Glorot over (heads, width) as PyG does, stored as one row. */
  l->a_src = philia_model_context_add_parameter (ctx, heads, width, TRUE, TRUE);
  l->a_dst = philia_model_context_add_parameter (ctx, heads, width, TRUE, TRUE);
  l->a_src->rows = l->a_dst->rows = 1;
  l->a_src->cols = l->a_dst->cols = heads * width;
  l->b = philia_model_context_add_parameter (ctx, 1, heads * width, FALSE, TRUE);
}

static gpointer
gat_create (PhiliaModelContext *ctx,
            GError            **error)
{
  Gat *m = g_new0 (Gat, 1);
  const PhiliaTrainParams *p = &ctx->params;

  gat_layer_init (ctx, &m->layer[0], ctx->n_features, p->heads, p->hidden);
  gat_layer_init (ctx, &m->layer[1], p->heads * p->hidden, 1, ctx->n_classes);
  return m;
}

static PhiliaTensor *
gat_layer_forward (PhiliaModelContext *ctx,
                   PhiliaTape         *tape,
                   GatLayer           *l,
                   guint               index,
                   PhiliaTensor       *wx)
{
  PhiliaSparse *s = philia_model_context_get_pattern (ctx);
  float p = (float)ctx->params.dropout;
  PhiliaTensor *src, *dst, *alpha;

  src = philia_op_group_sum (tape, philia_op_mul (tape, wx, l->a_src), l->width);
  dst = philia_op_group_sum (tape, philia_op_mul (tape, wx, l->a_dst), l->width);
  /* Row v of the pattern is the destination, its entries the sources u:
   * scores, softmax and attention dropout (training only) in one op. */
  alpha = philia_op_edge_attention (tape, s, src, dst, 0.2f, p);
  if (!philia_tape_get_training (tape))
    philia_model_context_keep_attention (ctx, index, alpha);
  return philia_op_add (tape, philia_op_spmm (tape, s, alpha, wx), l->b);
}

static PhiliaTensor *
gat_forward (gpointer            model,
             PhiliaModelContext *ctx,
             PhiliaTape         *tape)
{
  Gat *m = model;
  float p = (float)ctx->params.dropout;
  PhiliaTensor *h;

  h = philia_model_context_input_matmul (ctx, tape, m->layer[0].w, p);
  h = philia_op_elu (tape, gat_layer_forward (ctx, tape, &m->layer[0], 0, h), 1.0f);
  h = philia_op_dropout (tape, h, p);
  h = philia_op_matmul (tape, h, m->layer[1].w);
  return gat_layer_forward (ctx, tape, &m->layer[1], 1, h);
}

/* GraphSAGE (Hamilton et al. 2017), mean aggregator as PyG's SAGEConv:
 * W_l · mean_{u ∈ N(v)} h_u + W_r · h_v + b, two layers, full batch. Both
 * products share one matmul: X [W_l | W_r], then the mean of the first half. */
typedef struct
{
  PhiliaTensor *wl[2], *wr[2], *b[2];
} Sage;

static void
sage_defaults (PhiliaTrainParams *p)
{
  if (p->epochs <= 0) p->epochs = 200;
  if (p->lr < 0) p->lr = 0.01;
  if (p->weight_decay < 0) p->weight_decay = 5e-4;
  if (p->hidden <= 0) p->hidden = 64;
  if (p->dropout < 0) p->dropout = 0.5;
}

static gpointer
sage_create (PhiliaModelContext *ctx,
             GError            **error)
{
  Sage *m = g_new0 (Sage, 1);
  guint in[2] = { ctx->n_features, ctx->params.hidden };
  guint out[2] = { ctx->params.hidden, ctx->n_classes };

  for (guint l = 0; l < 2; l++)
    {
      m->wl[l] = philia_model_context_add_parameter (ctx, in[l], out[l], TRUE, TRUE);
      m->wr[l] = philia_model_context_add_parameter (ctx, in[l], out[l], TRUE, TRUE);
      m->b[l] = philia_model_context_add_parameter (ctx, 1, out[l], FALSE, TRUE);
    }
  return m;
}

static PhiliaTensor *
sage_combine (PhiliaTape   *tape,
              PhiliaSparse *mean,
              PhiliaTensor *y,
              PhiliaTensor *b)
{
  guint w = y->cols / 2;

  return philia_op_add (tape,
                        philia_op_add (tape,
                                       philia_op_spmm (tape, mean, NULL,
                                                       philia_op_columns (tape, y, 0, w)),
                                       philia_op_columns (tape, y, w, w)),
                        b);
}

static PhiliaTensor *
sage_forward (gpointer            model,
              PhiliaModelContext *ctx,
              PhiliaTape         *tape)
{
  Sage *m = model;
  PhiliaSparse *mean = cached_kind (ctx->graph, ADJ_MEAN);
  float p = (float)ctx->params.dropout;
  PhiliaTensor *h;

  h = philia_model_context_input_matmul (ctx, tape, philia_op_concat (tape, m->wl[0], m->wr[0]),
                                         p);
  h = philia_op_relu_dropout (tape, sage_combine (tape, mean, h, m->b[0]), p);
  h = philia_op_matmul (tape, h, philia_op_concat (tape, m->wl[1], m->wr[1]));
  return sage_combine (tape, mean, h, m->b[1]);
}

/* H2GCN (Zhu et al. 2020), the paper's H2GCN-1: r⁰ = ReLU(X W_e); K = 2 rounds
 * of r^k = [Ā₁ r^{k−1} | Ā₂ r^{k−1}] with the 1-hop and strict 2-hop
 * neighbourhoods, no self-loops (ego and neighbours kept apart), no weights or
 * nonlinearity inside the rounds; the classifier reads [r⁰ | r¹ | r²] after
 * dropout. */
typedef struct
{
  PhiliaTensor *we, *wo, *bo;
} H2gcn;

static void
h2gcn_defaults (PhiliaTrainParams *p)
{
  if (p->epochs <= 0) p->epochs = 200;
  if (p->lr < 0) p->lr = 0.01;
  if (p->weight_decay < 0) p->weight_decay = 5e-4;
  if (p->hidden <= 0) p->hidden = 64;
  if (p->dropout < 0) p->dropout = 0.5;
  if (p->k <= 0) p->k = 2;
}

static gpointer
h2gcn_create (PhiliaModelContext *ctx,
              GError            **error)
{
  H2gcn *m = g_new0 (H2gcn, 1);
  guint h = ctx->params.hidden, width = h, round = h;

  if (ctx->params.k > 8)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   "H2GCN takes at most 8 rounds (K), as its width doubles with each.");
      g_free (m);
      return NULL;
    }
  for (int k = 0; k < ctx->params.k; k++)
    {
      round *= 2;
      width += round;
    }
  m->we = philia_model_context_add_parameter (ctx, ctx->n_features, h, TRUE, TRUE);
  m->wo = philia_model_context_add_parameter (ctx, width, ctx->n_classes, TRUE, TRUE);
  m->bo = philia_model_context_add_parameter (ctx, 1, ctx->n_classes, FALSE, TRUE);
  return m;
}

static PhiliaTensor *
h2gcn_forward (gpointer            model,
               PhiliaModelContext *ctx,
               PhiliaTape         *tape)
{
  H2gcn *m = model;
  PhiliaSparse *a1 = cached_kind (ctx->graph, ADJ_SYM);
  PhiliaSparse *a2 = cached_kind (ctx->graph, ADJ_TWO_HOP);
  PhiliaTensor *r, *all;

  r = philia_op_relu (tape, philia_model_context_input_matmul (ctx, tape, m->we, 0));
  all = r;
  for (int k = 0; k < ctx->params.k; k++)
    {
      r = philia_op_concat (tape, philia_op_spmm (tape, a1, NULL, r),
                            philia_op_spmm (tape, a2, NULL, r));
      all = philia_op_concat (tape, all, r);
    }
  all = philia_op_dropout (tape, all, (float)ctx->params.dropout);
  return philia_op_add (tape, philia_op_matmul (tape, all, m->wo), m->bo);
}

/* GPR-GNN (Chien et al. 2021): an MLP's output H, dropout, then
 * Z = Σ_{k=0}^{K} γ_k Â^k H with learnable γ initialised to personalised
 * PageRank, γ_k = α(1−α)^k and γ_K = (1−α)^K; γ is the last parameter (the
 * result's last weight) and takes no weight decay, as in the authors' code. */
typedef struct
{
  TwoLayer      mlp;
  PhiliaTensor *gamma;
} Gprgnn;

static void
gprgnn_defaults (PhiliaTrainParams *p)
{
  if (p->epochs <= 0) p->epochs = 1000;
  if (p->lr < 0) p->lr = 0.002;
  if (p->weight_decay < 0) p->weight_decay = 5e-4;
  if (p->hidden <= 0) p->hidden = 64;
  if (p->dropout < 0) p->dropout = 0.5;
  if (p->k <= 0) p->k = 10;
  if (p->alpha < 0) p->alpha = 0.1;
}

static gpointer
gprgnn_create (PhiliaModelContext *ctx,
               GError            **error)
{
  Gprgnn *m = g_new0 (Gprgnn, 1);
  g_autofree TwoLayer *mlp = two_layer_create (ctx, ctx->params.hidden, TRUE);
  double alpha = ctx->params.alpha;
  guint k = (guint)ctx->params.k;

  if (alpha > 1)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   "GPR-GNN's α must lie between 0 and 1.");
      g_free (m);
      return NULL;
    }
  m->mlp = *mlp;
  m->gamma = philia_model_context_add_parameter (ctx, 1, k + 1, FALSE, FALSE);
  for (guint i = 0; i < k; i++)
    m->gamma->data[i] = (float)(alpha * pow (1 - alpha, i));
  m->gamma->data[k] = (float)pow (1 - alpha, k);
  return m;
}

static PhiliaTensor *
gprgnn_forward (gpointer            model,
                PhiliaModelContext *ctx,
                PhiliaTape         *tape)
{
  Gprgnn *m = model;
  PhiliaSparse *a = philia_model_context_get_adjacency (ctx);
  PhiliaTensor *h = mlp_forward (&m->mlp, ctx, tape), *z;

  h = philia_op_dropout (tape, h, (float)ctx->params.dropout);
  z = philia_op_scale_by (tape, h, m->gamma, 0);
  for (int k = 1; k <= ctx->params.k; k++)
    {
      h = philia_op_spmm (tape, a, NULL, h);
      z = philia_op_add (tape, z, philia_op_scale_by (tape, h, m->gamma, k));
    }
  return z;
}

static const PhiliaModelVTable mlp_vtable = { TRUE, mlp_defaults, mlp_create, mlp_model_forward,
                                              g_free };
static const PhiliaModelVTable gcn_vtable = { FALSE, gcn_defaults, gcn_create, gcn_forward,
                                              g_free };
static const PhiliaModelVTable sgc_vtable = { TRUE, sgc_defaults, sgc_create, sgc_forward,
                                              sgc_free };
static const PhiliaModelVTable appnp_vtable = { FALSE, appnp_defaults, appnp_create,
                                                appnp_forward, g_free };
static const PhiliaModelVTable gat_vtable = { FALSE, gat_defaults, gat_create, gat_forward,
                                              g_free };
static const PhiliaModelVTable sage_vtable = { FALSE, sage_defaults, sage_create, sage_forward,
                                               g_free };
static const PhiliaModelVTable h2gcn_vtable = { FALSE, h2gcn_defaults, h2gcn_create,
                                                h2gcn_forward, g_free };
static const PhiliaModelVTable gprgnn_vtable = { FALSE, gprgnn_defaults, gprgnn_create,
                                                 gprgnn_forward, g_free };

void
_philia_models_register (PhiliaRegistry *registry)
{
#define M(id, name, desc, vt) { id, PHILIA_FAMILY_MODEL, name, desc, "built-in", &vt, NULL }
  const PhiliaAlgorithm models[] = {
    M ("mlp", "MLP", "Two-layer perceptron on the features alone (hidden 64, dropout 0.5).",
       mlp_vtable),
    M ("gcn", "GCN", "Kipf & Welling's graph convolutional network (hidden 16, dropout 0.5).",
       gcn_vtable),
    M ("sgc", "SGC", "Logistic regression on K-step propagated features (Wu et al., K = 2).",
       sgc_vtable),
    M ("appnp", "APPNP", "An MLP's predictions propagated by personalised PageRank (K = 10).",
       appnp_vtable),
    M ("gat", "GAT", "Graph attention network (8 heads of 8, attention dropout 0.6).",
       gat_vtable),
    M ("sage", "GraphSAGE", "Hamilton et al.'s mean aggregator plus a root weight (hidden 64, "
       "dropout 0.5).", sage_vtable),
    M ("h2gcn", "H2GCN", "Zhu et al.'s heterophily model: ego, 1-hop and 2-hop neighbours kept "
       "apart, all rounds combined (hidden 64, K = 2).", h2gcn_vtable),
    M ("gprgnn", "GPR-GNN", "Chien et al.'s MLP then K = 10 propagation steps mixed by learned "
       "weights γ, initialised to PageRank (α = 0.1).", gprgnn_vtable),
  };
#undef M
  g_autoptr(GError) error = NULL;

  if (!philia_registry_add_all (registry, models, G_N_ELEMENTS (models), &error))
    g_critical ("Built-in models: %s", error->message);
}

/* ---------------------------------------------------------------- training */

void
philia_train_result_free (PhiliaTrainResult *r)
{
  if (r == NULL)
    return;
  g_free (r->model);
  g_free (r->loss);
  g_free (r->val_loss);
  g_free (r->train_curve);
  g_free (r->val_curve);
  g_free (r->test_curve);
  g_free (r->train_auc_curve);
  g_free (r->val_auc_curve);
  g_free (r->test_auc_curve);
  g_free (r->predictions);
  g_free (r->probabilities);
  g_clear_pointer (&r->weights, g_ptr_array_unref);
  g_clear_pointer (&r->node_values, g_ptr_array_unref);
  if (r->attention != NULL)
    {
      for (guint i = 0; i < r->attention->len; i++)
        {
          PhiliaAttention *a = &g_array_index (r->attention, PhiliaAttention, i);

          g_free (a->edges);
          g_free (a->self);
        }
      g_array_unref (r->attention);
    }
  g_free (r);
}

/* Accuracy on the train, validation and test masks from one argmax pass
 * (NAN for an empty mask); the argmax per node into @predictions if given. */
static void
accuracies (const PhiliaTensor *logp,
            const gint32       *labels,
            const guint8       *const masks[3],
            double              out[3],
            gint32             *predictions)
{
  gint64 hit[3] = { 0 }, total[3] = { 0 };
  guint c = logp->cols;
  const float *data = logp->data;

  for (guint i = 0; i < logp->rows; i++)
    {
      const float *row = data + (gsize)i * c;
      guint best = 0;

      for (guint j = 1; j < c; j++)
        if (row[j] > row[best])
          best = j;
      if (predictions)
        predictions[i] = best;
      if (labels[i] < 0)
        continue;
      for (guint k = 0; k < 3; k++)
        if (masks[k][i])
          {
            total[k]++;
            hit[k] += (gint32)best == labels[i];
          }
    }
  for (guint k = 0; k < 3; k++)
    out[k] = total[k] > 0 ? (double)hit[k] / total[k] : NAN;
}

/* ROC-AUC of P(class 1) on the labeled nodes of each mask, from the very
 * float probabilities the result keeps (and the predictions CSV prints), so
 * that the file gives the same number. @scores and @positive are n scratch. */
static void
roc_aucs (const PhiliaTensor *logp,
          const gint32       *labels,
          const guint8       *const masks[3],
          double              out[3],
          float              *scores,
          guint8             *positive)
{
  for (guint k = 0; k < 3; k++)
    {
      gsize m = 0;

      for (guint i = 0; i < logp->rows; i++)
        if (masks[k][i] && labels[i] >= 0)
          {
            scores[m] = expf (logp->data[(gsize)i * 2 + 1]);
            positive[m++] = labels[i] == 1;
          }
      out[k] = philia_roc_auc_float (scores, positive, m);
    }
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* Splits GAT's attention on the pattern of A+I into neighbours and self. */
static void
keep_attention (PhiliaTrainResult  *result,
                PhiliaModelContext *ctx)
{
  PhiliaSparse *s;
  const gint64 *off = philia_graph_get_row_offsets (ctx->graph);
  guint n = philia_graph_get_n_nodes (ctx->graph);

  if (result->attention == NULL)
    result->attention = g_array_new (FALSE, TRUE, sizeof (PhiliaAttention));
  for (guint i = 0; i < result->attention->len; i++)
    {
      PhiliaAttention *a = &g_array_index (result->attention, PhiliaAttention, i);

      g_free (a->edges);
      g_free (a->self);
    }
  g_array_set_size (result->attention, 0);
  if (ctx->attention->len == 0)
    return;
  s = philia_model_context_get_pattern (ctx);
  for (guint layer = 0; layer < ctx->attention->len; layer++)
    {
      PhiliaTensor *alpha = g_ptr_array_index (ctx->attention, layer);
      PhiliaAttention a = { layer, alpha->cols, NULL, NULL };
      guint h = alpha->cols;

      a.edges = g_new (float, MAX (off[n] * h, 1));
      a.self = g_new (float, MAX ((gsize)n * h, 1));
      for (guint v = 0; v < n; v++)
        {
          gint64 k = off[v];

          for (gint64 e = s->row_offsets[v]; e < s->row_offsets[v + 1]; e++)
            {
              float *dst = s->col_index[e] == (gint32)v ? a.self + (gsize)v * h
                                                        : a.edges + (k++) * h;

              memcpy (dst, alpha->data + e * h, sizeof (float) * h);
            }
        }
      g_array_append_val (result->attention, a);
    }
}

static void
homophily_bins (PhiliaTrainResult *result,
                PhiliaGraph       *graph,
                const guint8      *test)
{
  /* Only local homophily: the full report's feature similarities cost
   * O(m·F), more than training SGC on Squirrel. */
  g_autofree double *local = philia_local_homophily (graph);
  const gint32 *labels = philia_graph_get_labels (graph);
  gint64 hits[PHILIA_TRAIN_HOMOPHILY_BINS] = { 0 };

  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    result->bin_accuracy[b] = NAN;
  if (local == NULL)
    return;
  for (guint v = 0; v < result->n_nodes; v++)
    {
      double lh = local[v];
      guint b;

      if (!test[v] || labels[v] < 0 || isnan (lh))
        continue;
      b = MIN ((guint)(lh * PHILIA_TRAIN_HOMOPHILY_BINS), PHILIA_TRAIN_HOMOPHILY_BINS - 1);
      result->bin_count[b]++;
      hits[b] += result->predictions[v] == labels[v];
    }
  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    if (result->bin_count[b] > 0)
      result->bin_accuracy[b] = (double)hits[b] / result->bin_count[b];
}

PhiliaTrainResult *
philia_train (PhiliaGraph              *graph,
              const char               *model_id,
              const PhiliaTrainParams  *params,
              guint                     split,
              guint64                   seed,
              guint                     n_threads,
              PhiliaProgress           *progress,
              GCancellable             *cancellable,
              PhiliaTrainEpochFunc      callback,
              gpointer                  user_data,
              GError                  **error)
{
  const PhiliaAlgorithm *algorithm;
  const PhiliaModelVTable *vtable;
  g_autoptr(PhiliaModelContext) ctx = NULL;
  g_autoptr(PhiliaTrainResult) result = NULL;
  g_autoptr(PhiliaTape) tape = NULL;
  g_autoptr(PhiliaOptimizer) optimizer = NULL;
  g_autofree double *epoch_ms = NULL;
  g_autofree gint32 *loss_labels = NULL;
  g_autofree gint32 *epoch_predictions = NULL;
  g_autofree float *auc_scores = NULL;
  g_autofree guint8 *auc_positive = NULL;
  const guint8 *train, *val, *test;
  const gint32 *labels;
  gint64 n_train, n_val, n_test;
  gpointer model;
  double best_val = -1, best_val_loss = INFINITY;
  gboolean two_class;
  gint64 start = g_get_monotonic_time ();
  guint n, c;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (model_id != NULL, NULL);

  algorithm = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MODEL,
                                      model_id);
  if (algorithm == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   "Unknown model “%s”.", model_id);
      return NULL;
    }
  vtable = algorithm->vtable;
  n = philia_graph_get_n_nodes (graph);
  c = philia_graph_get_n_classes (graph);
  if (n == 0 || c == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_EMPTY,
                   "%s has no labeled nodes to train on.", philia_graph_get_source (graph));
      return NULL;
    }
  if (philia_graph_get_n_splits (graph) == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   "%s has labels but no train/validation/test split; make random splits "
                   "(philia-cli train --random-split 0.6,0.2, or Make Splits… in the Train "
                   "panel).", philia_graph_get_source (graph));
      return NULL;
    }
  if (split >= philia_graph_get_n_splits (graph))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   "Split %u does not exist: %s has %u splits.", split,
                   philia_graph_get_source (graph), philia_graph_get_n_splits (graph));
      return NULL;
    }
  philia_graph_get_split_sizes (graph, split, &n_train, &n_val, &n_test);
  if (n_train == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   "Split %u of %s has no training nodes.", split,
                   philia_graph_get_source (graph));
      return NULL;
    }
  if (vtable->needs_features && philia_graph_get_n_features (graph) == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   "%s has no node features, and model “%s” needs them; try gcn, appnp or "
                   "gat, which fall back to one-hot node ids.", philia_graph_get_source (graph),
                   model_id);
      return NULL;
    }
  train = philia_graph_get_split_mask (graph, split, PHILIA_SPLIT_TRAIN);
  val = philia_graph_get_split_mask (graph, split, PHILIA_SPLIT_VAL);
  test = philia_graph_get_split_mask (graph, split, PHILIA_SPLIT_TEST);
  labels = philia_graph_get_labels (graph);

  ctx = g_new0 (PhiliaModelContext, 1);
  ctx->graph = graph;
  if (params != NULL)
    ctx->params = *params;
  else
    philia_train_params_init (&ctx->params);
  vtable->defaults (&ctx->params);
  if (ctx->params.dropout >= 1 || ctx->params.lr <= 0 || ctx->params.epochs <= 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   "The learning rate and epochs must be positive and dropout below 1.");
      return NULL;
    }
  ctx->n_classes = c;
  ctx->parameters = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  ctx->decay = g_array_new (FALSE, FALSE, sizeof (gboolean));
  ctx->attention = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  ctx->node_values = g_ptr_array_new_with_free_func ((GDestroyNotify)node_values_free);
  philia_rng_init (&ctx->rng, seed);
  prepare_features (ctx);
  /* The nodes the loss reads; row-independent models may compute only these
   * in a training step (philia_model_context_get_loss_rows()). */
  {
    guint r = 0;

    for (guint i = 0; i < n; i++)
      r += train[i] && labels[i] >= 0;
    if (r < n)
      {
        ctx->loss_rows = g_new (guint, MAX (r, 1));
        ctx->n_loss_rows = r;
        loss_labels = g_new (gint32, MAX (r, 1));
        r = 0;
        for (guint i = 0; i < n; i++)
          if (train[i] && labels[i] >= 0)
            {
              loss_labels[r] = labels[i];
              ctx->loss_rows[r++] = i;
            }
      }
  }

  n_threads = MAX (n_threads, 1);
  openblas_set_num_threads ((int)n_threads);
  model = vtable->create (ctx, error);
  if (model == NULL)
    return NULL;

  result = g_new0 (PhiliaTrainResult, 1);
  result->model = g_strdup (model_id);
  result->split = split;
  result->seed = seed;
  result->n_threads = n_threads;
  result->params = ctx->params;
  result->identity_features = philia_graph_get_n_features (graph) == 0;
  result->sparse_features = ctx->sparse_x != NULL;
  result->n_nodes = n;
  result->n_classes = c;
  result->predictions = g_new0 (gint32, n);
  result->probabilities = g_new0 (float, (gsize)n * c);
  result->weights = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  result->node_values = g_ptr_array_new_with_free_func ((GDestroyNotify)node_values_free);
  result->best_epoch = 0;
  result->train_accuracy = result->val_accuracy = result->test_accuracy = NAN;
  result->loss = g_new0 (double, ctx->params.epochs);
  result->val_loss = g_new0 (double, ctx->params.epochs);
  result->train_curve = g_new0 (double, ctx->params.epochs);
  result->val_curve = g_new0 (double, ctx->params.epochs);
  result->test_curve = g_new0 (double, ctx->params.epochs);
  result->train_roc_auc = result->val_roc_auc = result->test_roc_auc = NAN;
  two_class = c == 2;
  result->metric = two_class ? PHILIA_METRIC_ROC_AUC : PHILIA_METRIC_ACCURACY;
  if (two_class)
    {
      result->train_auc_curve = g_new0 (double, ctx->params.epochs);
      result->val_auc_curve = g_new0 (double, ctx->params.epochs);
      result->test_auc_curve = g_new0 (double, ctx->params.epochs);
      auc_scores = g_new (float, n);
      auc_positive = g_new (guint8, n);
    }
  /* Selection by validation ROC-AUC needs both classes among the validation
   * nodes; it is undefined otherwise, and accuracy decides. */
  {
    double share = philia_class_share (labels, val, n, 0);   /* NaN: no labeled node */

    if (isnan (share))
      result->best_epoch_rule = PHILIA_BEST_BY_LAST_EPOCH;
    else if (two_class && share > 0 && share < 1)
      result->best_epoch_rule = PHILIA_BEST_BY_VAL_ROC_AUC;
    else
      result->best_epoch_rule = PHILIA_BEST_BY_VAL_ACCURACY;
  }
  result->majority_class = philia_majority_class (labels, train, n, c);
  result->train_majority = philia_class_share (labels, train, n, result->majority_class);
  result->val_majority = philia_class_share (labels, val, n, result->majority_class);
  result->test_majority = philia_class_share (labels, test, n, result->majority_class);
  epoch_ms = g_new0 (double, ctx->params.epochs);
  epoch_predictions = g_new (gint32, n);

  optimizer = philia_optimizer_new (ctx->params.optimizer, (float)ctx->params.lr,
                                    (float)ctx->params.weight_decay);
  for (guint i = 0; i < ctx->parameters->len; i++)
    philia_optimizer_add (optimizer, g_ptr_array_index (ctx->parameters, i),
                          g_array_index (ctx->decay, gboolean, i));
  tape = philia_tape_new (n_threads);
  /* Dropout draws from a stream of its own, so initialisation and masks do not interact. */
  philia_rng_init (philia_tape_get_rng (tape), seed ^ 0x5deece66dULL);

  for (int epoch = 0; epoch < ctx->params.epochs; epoch++)
    {
      PhiliaTrainEpoch info = { 0 };
      PhiliaTensor *logp, *loss;
      gint64 t0 = g_get_monotonic_time ();
      double val_loss;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          vtable->free (model);
          return NULL;
        }

      philia_tape_reset (tape);
      philia_tape_set_training (tape, TRUE);
      logp = philia_op_log_softmax (tape, vtable->forward (model, ctx, tape));
      /* A model that computed the loss rows alone returned them in order. */
      if (ctx->loss_rows != NULL && logp->rows == ctx->n_loss_rows)
        loss = philia_op_nll (tape, logp, loss_labels, NULL);
      else
        loss = philia_op_nll (tape, logp, labels, train);
      if (!isfinite (loss->data[0]))
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FAILED,
                       "Training diverged at epoch %d: the loss is %s; lower the learning rate.",
                       epoch + 1, isnan (loss->data[0]) ? "NaN" : "infinite");
          vtable->free (model);
          return NULL;
        }
      philia_tape_backward (tape, loss);
      philia_optimizer_step (optimizer);
      epoch_ms[epoch] = (g_get_monotonic_time () - t0) / 1000.0;
      result->loss[epoch] = loss->data[0];

      /* Evaluation pass: dropout off, no tape nodes (parameters need no grad here). */
      philia_tape_reset (tape);
      philia_tape_set_training (tape, FALSE);
      for (guint i = 0; i < ctx->parameters->len; i++)
        ((PhiliaTensor *)g_ptr_array_index (ctx->parameters, i))->requires_grad = FALSE;
      logp = philia_op_log_softmax (tape, vtable->forward (model, ctx, tape));
      for (guint i = 0; i < ctx->parameters->len; i++)
        ((PhiliaTensor *)g_ptr_array_index (ctx->parameters, i))->requires_grad = TRUE;
      val_loss = n_val > 0 ? philia_op_nll (tape, logp, labels, val)->data[0] : NAN;
      result->val_loss[epoch] = val_loss;
      {
        const guint8 *const masks[3] = { train, val, test };
        double acc[3];

        accuracies (logp, labels, masks, acc, epoch_predictions);
        result->train_curve[epoch] = acc[0];
        result->val_curve[epoch] = acc[1];
        result->test_curve[epoch] = acc[2];
        if (two_class)
          {
            roc_aucs (logp, labels, masks, acc, auc_scores, auc_positive);
            result->train_auc_curve[epoch] = acc[0];
            result->val_auc_curve[epoch] = acc[1];
            result->test_auc_curve[epoch] = acc[2];
          }
      }
      result->n_epochs = epoch + 1;

      /* Best validation ROC-AUC or accuracy (PhiliaBestEpochRule), ties to
       * the lower validation loss; without validation nodes, the last epoch. */
      {
        double score = result->best_epoch_rule == PHILIA_BEST_BY_VAL_ROC_AUC
                       ? result->val_auc_curve[epoch] : result->val_curve[epoch];

        if (result->best_epoch == 0 || result->best_epoch_rule == PHILIA_BEST_BY_LAST_EPOCH
            || score > best_val
            || (score == best_val && val_loss < best_val_loss))
          {
            best_val = score;
            best_val_loss = val_loss;
            result->best_epoch = epoch + 1;
          }
      }
      if (result->best_epoch == (guint)epoch + 1)
        {
          result->train_accuracy = result->train_curve[epoch];
          result->val_accuracy = result->val_curve[epoch];
          result->test_accuracy = result->test_curve[epoch];
          if (two_class)
            {
              result->train_roc_auc = result->train_auc_curve[epoch];
              result->val_roc_auc = result->val_auc_curve[epoch];
              result->test_roc_auc = result->test_auc_curve[epoch];
            }
          memcpy (result->predictions, epoch_predictions, sizeof (gint32) * n);
          for (gsize i = 0; i < (gsize)n * c; i++)
            result->probabilities[i] = expf (logp->data[i]);
          g_ptr_array_set_size (result->weights, 0);
          for (guint i = 0; i < ctx->parameters->len; i++)
            g_ptr_array_add (result->weights,
                             philia_tensor_copy (g_ptr_array_index (ctx->parameters, i)));
          keep_attention (result, ctx);
          g_ptr_array_set_size (result->node_values, 0);
          for (guint i = 0; i < ctx->node_values->len; i++)
            g_ptr_array_add (result->node_values,
                             node_values_copy (g_ptr_array_index (ctx->node_values, i), n));
        }

      if (callback != NULL)
        {
          info.epoch = epoch + 1;
          info.n_epochs = ctx->params.epochs;
          info.loss = result->loss[epoch];
          info.val_loss = val_loss;
          info.train_accuracy = result->train_curve[epoch];
          info.val_accuracy = result->val_curve[epoch];
          info.test_accuracy = result->test_curve[epoch];
          info.epoch_ms = epoch_ms[epoch];
          info.best_epoch = result->best_epoch;
          info.train_roc_auc = two_class ? result->train_auc_curve[epoch] : NAN;
          info.val_roc_auc = two_class ? result->val_auc_curve[epoch] : NAN;
          info.test_roc_auc = two_class ? result->test_auc_curve[epoch] : NAN;
          callback (&info, user_data);
        }
      if (progress != NULL)
        philia_progress_set_fraction (progress, (epoch + 1.0) / ctx->params.epochs);
    }
  philia_tape_reset (tape);
  vtable->free (model);

  qsort (epoch_ms, result->n_epochs, sizeof (double), cmp_double);
  result->epoch_ms_median = result->n_epochs % 2
    ? epoch_ms[result->n_epochs / 2]
    : (epoch_ms[result->n_epochs / 2 - 1] + epoch_ms[result->n_epochs / 2]) / 2;
  homophily_bins (result, graph, test);
  result->seconds = (g_get_monotonic_time () - start) / 1e6;
  return g_steal_pointer (&result);
}
