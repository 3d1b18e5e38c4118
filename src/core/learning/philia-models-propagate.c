/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The MLP and the models that propagate over Â: GCN, SGC, APPNP, GPR-GNN
 * (HACKING.md §7). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-ops-inplace-private.h"
#include "philia-train-private.h"
#include "philia-ops-hidden-private.h"
#include "philia-ops-narrow-private.h"

#include <math.h>
#include <string.h>

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
  _philia_model_recipe_fill (PHILIA_RECIPE_MLP, p);
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
      _philia_model_context_ensure_row_features (ctx, rows, n_rows);
      dense = ctx->dense_x_rows;
      sparse = ctx->sparse_x_rows;
    }
  /* Dense features: the hidden layer and the second product as one op;
   * sparse ones go through spmm. */
  if (dense != NULL)
    return _philia_op_hidden_product (tape, philia_op_dropout (tape, dense, p), m->w1, m->b1, p,
                                      m->w2, m->b2);
  h = _philia_op_add_consume (tape, _philia_input_matmul_on (tape, NULL, sparse, m->w1, p), m->b1);
  /* Nothing else reads the pre-activation: the activation overwrites it. */
  h = _philia_op_relu_dropout_consume (tape, h, p);
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

/*
 * S · dropout(X) · W. With dense features narrower than W's output, (S X) W:
 * the sparse product then runs over X's F columns instead of W's, and its
 * backward pass is skipped (the features take no gradient), where S (X W)
 * spends two sparse products of the wide side. A 10-feature graph of 519k
 * edges at hidden width 64 spends most of an epoch on them otherwise.
 * Sparse features keep X W first: S X would fill in.
 */
PhiliaTensor *
_philia_propagated_input_matmul (PhiliaModelContext *ctx,
                                 PhiliaTape         *tape,
                                 PhiliaSparse       *s,
                                 PhiliaTensor       *w,
                                 float               dropout)
{
  PhiliaTensor *x = ctx->dense_x;

  if (x != NULL && x->cols < w->cols)
    return philia_op_matmul (tape, philia_op_spmm (tape, s, NULL,
                                                   philia_op_dropout (tape, x, dropout)), w);
  /* X W is read by the product alone. */
  return _philia_op_spmm_consume (tape, s, philia_model_context_input_matmul (ctx, tape, w,
                                                                             dropout));
}

/* GCN (Kipf & Welling 2017): Â relu(Â X W1 + b1) W2 + b2; weight decay on
 * the first layer only, as in the paper and PyG's example. */
static void
gcn_defaults (PhiliaTrainParams *p)
{
  _philia_model_recipe_fill (PHILIA_RECIPE_GCN, p);
}

typedef struct
{
  TwoLayer      layers;
  /* Â X for the passes without dropout on the input (evaluation, or a
   * recipe without dropout), made by the first such pass: the features and
   * Â do not change during a run. NULL until then, or when not used. */
  PhiliaTensor *ax;
} Gcn;

static gpointer
gcn_create (PhiliaModelContext *ctx,
            GError            **error)
{
  Gcn *m = g_new0 (Gcn, 1);
  g_autofree TwoLayer *layers = two_layer_create (ctx, ctx->params.hidden, FALSE);

  m->layers = *layers;
  return m;
}

/* Â X as the op computes it, kept across passes (see Gcn). */
static PhiliaTensor *
gcn_propagated_features (Gcn                *m,
                         PhiliaModelContext *ctx,
                         PhiliaSparse       *a)
{
  if (m->ax == NULL)
    {
      g_autoptr(PhiliaTape) scratch = philia_tape_new (1);
      PhiliaTensor *ax = philia_op_spmm (scratch, a, NULL, ctx->dense_x);

      m->ax = philia_tensor_new_from (ax->rows, ax->cols, ax->data);
    }
  return m->ax;
}

static PhiliaTensor *
gcn_forward (gpointer            model,
             PhiliaModelContext *ctx,
             PhiliaTape         *tape)
{
  Gcn *g = model;
  TwoLayer *m = &g->layers;
  PhiliaSparse *a = philia_model_context_get_adjacency (ctx);
  float p = (float)ctx->params.dropout;
  PhiliaTensor *h;

  if (ctx->dense_x != NULL && ctx->dense_x->cols < m->w1->cols)
    {
      /* (Â X) W1 + b1, the activation and the product by W2 as one op (see
       * _philia_propagated_input_matmul ()): the [n, H] activation then
       * makes one round trip through memory each way. Without dropout on
       * the input, Â X is the same every pass: made once. */
      PhiliaTensor *ax = p == 0 || !philia_tape_get_training (tape)
                         ? gcn_propagated_features (g, ctx, a)
                         : philia_op_spmm (tape, a, NULL,
                                           philia_op_dropout (tape, ctx->dense_x, p));

      h = _philia_op_hidden_product (tape, ax, m->w1, m->b1, p, m->w2, NULL);
    }
  else
    {
      /* + b1 and ReLU-dropout in one pass over the product's [n, H]
       * output each way (philia-ops-hidden.c). */
      h = _philia_op_bias_relu_dropout_consume (tape, _philia_propagated_input_matmul (ctx, tape,
                                                                                       a, m->w1,
                                                                                       p),
                                                m->b1, p);
      h = philia_op_matmul (tape, h, m->w2);
    }
  h = philia_op_spmm (tape, a, NULL, h);
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
gcn_free (gpointer model)
{
  Gcn *m = model;

  g_clear_pointer (&m->ax, philia_tensor_free);
  g_free (m);
}

static void
sgc_defaults (PhiliaTrainParams *p)
{
  _philia_model_recipe_fill (PHILIA_RECIPE_SGC, p);
}

static gpointer
sgc_create (PhiliaModelContext *ctx,
            GError            **error)
{
  Sgc *m = g_new0 (Sgc, 1);
  PhiliaSparse *a = philia_model_context_get_adjacency (ctx);
  guint n = philia_graph_get_n_nodes (ctx->graph), f = ctx->n_features;
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  gsize nonzero = 0;

  /* Sparse features: Â^K (X W) equals (Â^K X) W and costs K sparse products
   * of width C instead of a dense n × F product (Â^K X fills in). Dense
   * features: Â^K X once, into two buffers taken in turn, the last product
   * kept as the model's own: beside X at most two [n, F] tensors are live
   * (at 10^6 nodes × 128 features each is 512 MB; HACKING.md §7). */
  if (ctx->dense_x != NULL)
    {
      PhiliaTensor *buffers[2] = { NULL, NULL }, *x = ctx->dense_x;

      for (int k = 0; k < ctx->params.k; k++)
        {
          PhiliaTensor **out = &buffers[k % 2];

          if (*out == NULL)
            *out = philia_tensor_new (n, f);
          _philia_spmm_to (tape, a, x->data, (*out)->data, f, FALSE);
          x = *out;
        }
      for (gsize i = 0; i < (gsize)n * f; i++)
        nonzero += x->data[i] != 0;
      if ((double)nonzero < SPARSE_FEATURE_DENSITY * n * f)
        m->sparse = philia_sparse_new_from_dense (x->data, n, f);
      else if (x == ctx->dense_x)
        m->dense = philia_tensor_new_from (n, f, x->data);
      else
        {
          m->dense = x;
          buffers[(ctx->params.k - 1) % 2] = NULL;
        }
      g_clear_pointer (&buffers[0], philia_tensor_free);
      g_clear_pointer (&buffers[1], philia_tensor_free);
    }
  if (ctx->loss_rows != NULL)
    {
      guint r = ctx->n_loss_rows;

      if (m->dense != NULL)
        m->dense_rows = _philia_dense_rows (m->dense, ctx->loss_rows, r);
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
  /* Â^K X needs no gradient: in a training step the loss takes the output
   * layer (one pass over the rows), else the narrow op or matmul + add. */
  if (dense != NULL)
    return _philia_op_linear_output (tape, philia_op_dropout (tape, dense,
                                                              (float)ctx->params.dropout),
                                     m->w, m->b);
  if (sparse != NULL)
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
  _philia_model_recipe_fill (PHILIA_RECIPE_APPNP, p);
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
  _philia_model_recipe_fill (PHILIA_RECIPE_GPRGNN, p);
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
                   _ ("GPR-GNN's α must lie between 0 and 1."));
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

const PhiliaModelVTable _philia_model_mlp = { TRUE, mlp_defaults, mlp_create, mlp_model_forward,
                                              g_free };
const PhiliaModelVTable _philia_model_gcn = { FALSE, gcn_defaults, gcn_create, gcn_forward,
                                              gcn_free };
const PhiliaModelVTable _philia_model_sgc = { TRUE, sgc_defaults, sgc_create, sgc_forward,
                                              sgc_free };
const PhiliaModelVTable _philia_model_appnp = { FALSE, appnp_defaults, appnp_create,
                                                appnp_forward, g_free };
const PhiliaModelVTable _philia_model_gprgnn = { FALSE, gprgnn_defaults, gprgnn_create,
                                                 gprgnn_forward, g_free };
