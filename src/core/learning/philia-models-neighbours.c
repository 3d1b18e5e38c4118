/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The models that weigh or separate neighbourhoods: GAT, GraphSAGE, H2GCN
 * (HACKING.md §7). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-ops-gat-private.h"
#include "philia-ops-inplace-private.h"
#include "philia-ops-sage-private.h"
#include "philia-train-private.h"

#include <math.h>
#include <string.h>

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
  _philia_model_recipe_fill (PHILIA_RECIPE_GAT, p);
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
  PhiliaTensor *src, *dst, *alpha = NULL, *out;

  src = _philia_op_head_dot (tape, wx, l->a_src, wx->cols / l->width);
  dst = _philia_op_head_dot (tape, wx, l->a_dst, wx->cols / l->width);
  /* Row v of the pattern is the destination, its entries the sources u:
   * scores, softmax, attention dropout (training only) and the weighted
   * sum of the sources' rows in one op. */
  out = _philia_op_gat_attend (tape, s, wx, src, dst, 0.2f, p, &alpha);
  if (!philia_tape_get_training (tape))
    philia_model_context_keep_attention (ctx, index, alpha);
  if (index == 0)
    /* The hidden layer: bias, ELU and dropout in one op over the
     * attention's output, which nothing else reads. */
    return _philia_op_bias_elu_dropout_consume (tape, out, l->b, 1.0f, p);
  return philia_op_add (tape, out, l->b);
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
  h = gat_layer_forward (ctx, tape, &m->layer[0], 0, h);
  h = philia_op_matmul (tape, h, m->layer[1].w);
  return gat_layer_forward (ctx, tape, &m->layer[1], 1, h);
}

/* GraphSAGE (Hamilton et al. 2017), mean aggregator as PyG's SAGEConv:
 * W_l · mean_{u ∈ N(v)} h_u + W_r · h_v + b, two layers, full batch. */
typedef struct
{
  PhiliaTensor *wl[2], *wr[2], *b[2];
  /* [mean (X) | X] for the passes without input dropout, made by the first
   * (the features and the mean operator do not change during a run). */
  PhiliaTensor *stacked;
} Sage;

static void
sage_free (gpointer model)
{
  Sage *m = model;

  g_clear_pointer (&m->stacked, philia_tensor_free);
  g_free (m);
}

static void
sage_defaults (PhiliaTrainParams *p)
{
  _philia_model_recipe_fill (PHILIA_RECIPE_SAGE, p);
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

/*
 * mean (X Wl) + X Wr + b for dense X, one product X [Wl | Wr] where that
 * pays (_philia_sage_concat_pays ()). Each output element gets the same
 * sums either way.
 */
/* Past this many elements in each half, two products: the concatenated
 * product's gradient, [n, 2 out], is live beside the halves' gradients at
 * the step's peak (512 MB more at 10^6 nodes and width 64, where the step
 * then needed more memory than PyTorch's SAGEConv, which takes two products),
 * while the second pass over X costs a few per cent of such an epoch. */
#define SAGE_CONCAT_MAX_HALF ((double)(1u << 24))

static PhiliaTensor *
sage_layer_dense (PhiliaTape   *tape,
                  PhiliaSparse *mean,
                  PhiliaTensor *x,
                  PhiliaTensor *wl,
                  PhiliaTensor *wr,
                  PhiliaTensor *b)
{
  double in = x->cols, n = x->rows, out = wl->cols;
  PhiliaTensor *yl, *yr, *h;

  if (_philia_sage_concat_pays (n, in, out) && n * out <= SAGE_CONCAT_MAX_HALF)
    {
      PhiliaTensor *y = philia_op_matmul (tape, x, philia_op_concat (tape, wl, wr));

      /* The halves read where the product put them (philia-ops-sage.c);
       * narrow ones (a few classes) take the padded kernels of spmm. */
      if (wl->cols >= 8)
        return _philia_op_sage_mean_add (tape, mean, y, b);
      yl = philia_op_columns (tape, y, 0, wl->cols);
      yr = philia_op_columns (tape, y, wl->cols, wl->cols);
      /* The halves are copies; the product's own values are read by
       * nothing else (its buffer serves the step's next tensor: 512 MB at
       * 10^6 nodes and width 64). */
      _philia_tensor_drop_values (tape, y);
    }
  else
    {
      yl = philia_op_matmul (tape, x, wl);
      yr = philia_op_matmul (tape, x, wr);
    }
  h = _philia_op_spmm_consume (tape, mean, yl);
  /* The sums over the product's buffer: nothing else reads it, nor the
   * other half once added (an addition's backward reads no values). */
  h = _philia_op_add_consume (tape, h, yr);
  _philia_tensor_drop_values (tape, yr);
  return _philia_op_add_consume (tape, h, b);
}

static PhiliaTensor *
sage_forward (gpointer            model,
              PhiliaModelContext *ctx,
              PhiliaTape         *tape)
{
  Sage *m = model;
  PhiliaSparse *mean = _philia_adjacency_cached (ctx->graph, ADJ_MEAN);
  float p = (float)ctx->params.dropout;
  PhiliaTensor *h;

  if (ctx->dense_x != NULL && ctx->dense_x->cols < m->wl[0]->cols
      && _philia_sage_concat_pays (ctx->dense_x->rows, m->wl[1]->rows, m->wl[1]->cols))
    {
      /* Both layers, the hidden one as one fused op (philia-ops-sage.c). */
      if (p > 0 && philia_tape_get_training (tape))
        return _philia_sage_dense_layers_stacked (tape, mean,
                                                  _philia_sage_stack_dropout (tape, mean,
                                                                              ctx->dense_x, p),
                                                  m->wl, m->wr, m->b, p);
      if (m->stacked == NULL)
        {
          g_autoptr(PhiliaTape) scratch = philia_tape_new (1);
          PhiliaTensor *x = ctx->dense_x;
          PhiliaTensor *z = philia_op_concat (scratch, philia_op_spmm (scratch, mean, NULL, x), x);

          m->stacked = philia_tensor_new_from (z->rows, z->cols, z->data);
        }
      return _philia_sage_dense_layers_stacked (tape, mean, m->stacked, m->wl, m->wr, m->b, p);
    }
  if (ctx->dense_x != NULL && ctx->dense_x->cols < m->wl[0]->cols)
    {
      /* Features narrower than the layer: mean(X) Wl, one sparse product
       * over X's columns and none backwards, instead of mean(X Wl) and its
       * backward product over the hidden width. */
      PhiliaTensor *x = philia_op_dropout (tape, ctx->dense_x, p);

      h = philia_op_add (tape, philia_op_matmul (tape, philia_op_spmm (tape, mean, NULL, x),
                                                 m->wl[0]),
                         philia_op_matmul (tape, x, m->wr[0]));
      h = philia_op_add (tape, h, m->b[0]);
    }
  else if (ctx->dense_x != NULL)
    h = sage_layer_dense (tape, mean, philia_op_dropout (tape, ctx->dense_x, p), m->wl[0],
                          m->wr[0], m->b[0]);
  else
    {
      /* Sparse features: two products over the stored entries do the
       * multiply-adds of one over [Wl | Wr], without concatenating the
       * [F, H] weights every step (16 MB at 8,000 words and width 512) and
       * splitting their gradient back. One dropout of the entries serves
       * both, as it served the single product. The mean, X Wr and the bias
       * are added as one op (philia-ops-sage.c). */
      PhiliaSparse *x = ctx->sparse_x;
      PhiliaTensor *values = NULL, *zl;

      if (p > 0 && philia_tape_get_training (tape))
        values = philia_op_dropout (tape, philia_tape_constant (tape, x->nnz, 1, x->values), p);
      zl = philia_op_spmm (tape, x, values, m->wl[0]);
      h = _philia_sage_mean_of (tape, mean, zl);
      h = _philia_op_sage_mean_add_pair (tape, mean, zl, h,
                                         philia_op_spmm (tape, x, values, m->wr[0]), m->b[0]);
    }
  /* Nothing else reads the pre-activation: the activation overwrites it. */
  h = _philia_op_relu_dropout_consume (tape, h, p);
  return sage_layer_dense (tape, mean, h, m->wl[1], m->wr[1], m->b[1]);
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
  _philia_model_recipe_fill (PHILIA_RECIPE_H2GCN, p);
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
                   _ ("H2GCN takes at most 8 rounds (K), as its width doubles with each."));
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
  PhiliaSparse *a1 = _philia_adjacency_cached (ctx->graph, ADJ_SYM);
  PhiliaSparse *a2 = _philia_adjacency_cached (ctx->graph, ADJ_TWO_HOP);
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

const PhiliaModelVTable _philia_model_gat = { FALSE, gat_defaults, gat_create, gat_forward,
                                              g_free };
const PhiliaModelVTable _philia_model_sage = { FALSE, sage_defaults, sage_create, sage_forward,
                                               sage_free };
const PhiliaModelVTable _philia_model_h2gcn = { FALSE, h2gcn_defaults, h2gcn_create,
                                                h2gcn_forward, g_free };
