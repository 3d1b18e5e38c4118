/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * FAGCN (a model plugin).
 *
 * Bo, Wang, Shi & Shen, "Beyond Low-frequency Information in Graph
 * Convolutional Networks", AAAI 2021. Frequency-adaptive aggregation: each
 * edge gets a signed coefficient, so a layer can pass low frequencies
 * (α > 0, averaging like a GCN) or high ones (α < 0, differences, what a
 * heterophilous graph needs):
 *
 *   h⁰ = ReLU(W₁ x + b₁)                               (dropout before and after)
 *   α_vu = tanh(g_dst · h_v + g_src · h_u + b_g)        per layer, u ∈ N(v)
 *   h_v^{l+1} = ε h_v⁰ + Σ_{u ∈ N(v)} α_vu / √(d_v d_u) h_u^l   (dropout on α)
 *   logits = W₂ h^L + b₂
 *
 * Hyperparameters (PhiliaTrainParams): hidden 64, dropout 0.6, lr 0.01,
 * weight decay 1e-3, ε = alpha 0.3, layers = k 2, 500 epochs, as in the
 * paper's experimental settings. Built only from philia_op_*() calls, so
 * autograd supplies the backward pass.
 *
 * The coefficients α ∈ (−1, 1) of each layer are kept for the Inspect views
 * (philia_model_context_keep_attention on the A + I pattern; the self entry
 * is 0, FAGCN has no self-loop, the ε h⁰ term plays its part).
 */
#include <math.h>

#include "philia-plugin.h"

/* Shipped with Philia: the name and description are in Philia's catalogue,
 * and the host reads them in the user's language; N_() only marks them. */
#ifndef N_
#define N_(String) (String)
#endif

#define MAX_LAYERS 16

typedef struct
{
  PhiliaTensor *w1, *b1, *w2, *b2;
  PhiliaTensor *g_dst[MAX_LAYERS], *g_src[MAX_LAYERS], *g_b[MAX_LAYERS];
  guint         n_layers;
  float        *norm;      /* per pattern entry: 1/√(d_v d_u), 0 on the diagonal */
  float        *off_diag;  /* per pattern entry: 1, 0 on the diagonal */
  gint64        nnz;
} Fagcn;

static void
fagcn_defaults (PhiliaTrainParams *p)
{
  if (p->epochs <= 0) p->epochs = 500;
  if (p->lr < 0) p->lr = 0.01;
  if (p->weight_decay < 0) p->weight_decay = 1e-3;
  if (p->hidden <= 0) p->hidden = 64;
  if (p->dropout < 0) p->dropout = 0.6;
  if (p->alpha < 0) p->alpha = 0.3;
  if (p->k <= 0) p->k = 2;
}

static gpointer
fagcn_create (PhiliaModelContext *ctx,
              GError            **error)
{
  const PhiliaTrainParams *p = philia_model_context_get_params (ctx);
  PhiliaGraph *graph = philia_model_context_get_graph (ctx);
  PhiliaSparse *s = philia_model_context_get_pattern (ctx);
  guint hidden = (guint)p->hidden;
  Fagcn *m;

  if (p->k > MAX_LAYERS)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   "FAGCN takes at most %d layers, not %d.", MAX_LAYERS, p->k);
      return NULL;
    }

  m = g_new0 (Fagcn, 1);
  m->n_layers = (guint)p->k;
  m->w1 = philia_model_context_add_parameter (ctx, philia_model_context_get_n_features (ctx),
                                              hidden, TRUE, TRUE);
  m->b1 = philia_model_context_add_parameter (ctx, 1, hidden, FALSE, TRUE);
  for (guint l = 0; l < m->n_layers; l++)
    {
      m->g_dst[l] = philia_model_context_add_parameter (ctx, hidden, 1, TRUE, TRUE);
      m->g_src[l] = philia_model_context_add_parameter (ctx, hidden, 1, TRUE, TRUE);
      m->g_b[l] = philia_model_context_add_parameter (ctx, 1, 1, FALSE, TRUE);
    }
  m->w2 = philia_model_context_add_parameter (ctx, hidden,
                                              philia_model_context_get_n_classes (ctx),
                                              TRUE, TRUE);
  m->b2 = philia_model_context_add_parameter (ctx, 1, philia_model_context_get_n_classes (ctx),
                                              FALSE, TRUE);

  m->nnz = s->nnz;
  m->norm = g_new (float, MAX (s->nnz, 1));
  m->off_diag = g_new (float, MAX (s->nnz, 1));
  for (gint64 e = 0; e < s->nnz; e++)
    {
      gint32 v = s->row_index[e], u = s->col_index[e];
      double dv = philia_graph_get_degree (graph, (guint)v);
      double du = philia_graph_get_degree (graph, (guint)u);

      m->off_diag[e] = v != u;
      m->norm[e] = v != u ? (float)(1.0 / sqrt (dv * du)) : 0.0f;
    }
  return m;
}

static PhiliaTensor *
fagcn_forward (gpointer            model,
               PhiliaModelContext *ctx,
               PhiliaTape         *tape)
{
  Fagcn *m = model;
  const PhiliaTrainParams *p = philia_model_context_get_params (ctx);
  PhiliaSparse *s = philia_model_context_get_pattern (ctx);
  float dropout = (float)p->dropout;
  PhiliaTensor *raw, *h, *norm, *off_diag = NULL;

  raw = philia_model_context_input_matmul (ctx, tape, m->w1, dropout);
  raw = philia_op_relu (tape, philia_op_add (tape, raw, m->b1));
  raw = philia_op_dropout (tape, raw, dropout);

  norm = philia_tape_constant (tape, (guint)m->nnz, 1, m->norm);
  if (!philia_tape_get_training (tape))
    off_diag = philia_tape_constant (tape, (guint)m->nnz, 1, m->off_diag);

  h = raw;
  for (guint l = 0; l < m->n_layers; l++)
    {
      PhiliaTensor *dst = philia_op_matmul (tape, h, m->g_dst[l]);
      PhiliaTensor *src = philia_op_matmul (tape, h, m->g_src[l]);
      PhiliaTensor *alpha;

      /* Row v of the pattern is the node that aggregates, its entries u. */
      alpha = philia_op_add (tape, philia_op_index_select (tape, dst, s->row_index, (guint)s->nnz),
                             philia_op_index_select (tape, src, s->col_index, (guint)s->nnz));
      alpha = philia_op_tanh (tape, philia_op_add (tape, alpha, m->g_b[l]));
      if (off_diag != NULL)
        philia_model_context_keep_attention (ctx, l, philia_op_mul (tape, alpha, off_diag));
      alpha = philia_op_dropout (tape, philia_op_mul (tape, alpha, norm), dropout);
      h = philia_op_add (tape, philia_op_scale (tape, raw, (float)p->alpha),
                         philia_op_spmm (tape, s, alpha, h));
    }
  return philia_op_add (tape, philia_op_matmul (tape, h, m->w2), m->b2);
}

static void
fagcn_free (gpointer model)
{
  Fagcn *m = model;

  g_free (m->norm);
  g_free (m->off_diag);
  g_free (m);
}

static const PhiliaModelVTable vtable = {
  FALSE, fagcn_defaults, fagcn_create, fagcn_forward, fagcn_free,
};

gboolean
philia_plugin_register (PhiliaRegistry  *registry,
                        const char      *provider,
                        GError         **error)
{
  const PhiliaAlgorithm algorithm = {
    "fagcn", PHILIA_FAMILY_MODEL, "FAGCN",
    N_ ("Frequency-adaptive GCN: signed tanh edge coefficients plus ε times the input "
        "layer (Bo et al. 2021; ε = --alpha 0.3, layers = --k 2)."),
    provider, &vtable, NULL,
  };

  return philia_registry_add (registry, &algorithm, error);
}
