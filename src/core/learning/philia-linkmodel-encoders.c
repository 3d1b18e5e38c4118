/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The built-in link-prediction encoders: GCN, GraphSAGE and an MLP on the
 * features alone (HACKING.md §7), each L layers of the hidden width with
 * ReLU and dropout between layers and none after the last, as in the OGB
 * link-prediction baselines. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-builtins-private.h"
#include "philia-ops-link-private.h"

typedef struct
{
  guint      layers;
  GPtrArray *w;       /* per layer (GraphSAGE: the neighbours' weight) */
  GPtrArray *w_root;  /* GraphSAGE: the node's own weight */
  GPtrArray *b;
} Encoder;

static gpointer
encoder_create (PhiliaLinkModelContext *ctx,
                gboolean                root)
{
  const PhiliaLinkModelParams *p = philia_link_model_context_get_params (ctx);
  Encoder *m = g_new0 (Encoder, 1);
  guint in = philia_link_model_context_get_n_features (ctx);

  m->layers = (guint)p->layers;
  m->w = g_ptr_array_new ();
  m->w_root = g_ptr_array_new ();
  m->b = g_ptr_array_new ();
  for (guint l = 0; l < m->layers; l++)
    {
      guint rows = l == 0 ? in : (guint)p->hidden;

      g_ptr_array_add (m->w, philia_link_model_context_add_parameter (ctx, rows, p->hidden, TRUE));
      if (root)
        g_ptr_array_add (m->w_root,
                         philia_link_model_context_add_parameter (ctx, rows, p->hidden, TRUE));
      g_ptr_array_add (m->b, philia_link_model_context_add_parameter (ctx, 1, p->hidden, FALSE));
    }
  return m;
}

/* The parameters belong to the context; only the lists are the model's. */
static void
encoder_free (gpointer model)
{
  Encoder *m = model;

  g_ptr_array_unref (m->w);
  g_ptr_array_unref (m->w_root);
  g_ptr_array_unref (m->b);
  g_free (m);
}

/* H · W for layer @l: the (possibly sparse) features in the first layer. */
static PhiliaTensor *
layer_matmul (PhiliaLinkModelContext *ctx,
              PhiliaTape             *tape,
              PhiliaTensor           *h,
              PhiliaTensor           *w)
{
  if (h == NULL)
    return philia_link_model_context_input_matmul (ctx, tape, w, 0);
  return philia_op_matmul (tape, h, w);
}

/* The layer's bias, then ReLU and dropout between layers (one fused pass
 * each way: the same numbers as the add and the relu-dropout op). */
static PhiliaTensor *
finish_layer (PhiliaTape    *tape,
              const Encoder *m,
              guint          l,
              PhiliaTensor  *h,
              float          dropout)
{
  if (l + 1 < m->layers)
    return _philia_op_bias_relu_dropout (tape, h, m->b->pdata[l], dropout);
  return philia_op_add (tape, h, m->b->pdata[l]);
}

static gpointer
gcn_create (PhiliaLinkModelContext *ctx,
            GError                **error)
{
  return encoder_create (ctx, FALSE);
}

/* Kipf & Welling's layer: Â H W + b. */
static PhiliaTensor *
gcn_encode (gpointer                model,
            PhiliaLinkModelContext *ctx,
            PhiliaTape             *tape)
{
  Encoder *m = model;
  PhiliaSparse *a = philia_link_model_context_get_adjacency (ctx);
  float p = (float)philia_link_model_context_get_params (ctx)->dropout;
  PhiliaTensor *h = NULL;

  for (guint l = 0; l < m->layers; l++)
    {
      PhiliaTensor *hw = layer_matmul (ctx, tape, h, m->w->pdata[l]);

      h = finish_layer (tape, m, l, philia_op_spmm (tape, a, NULL, hw), p);
    }
  return h;
}

static gpointer
sage_create (PhiliaLinkModelContext *ctx,
             GError                **error)
{
  return encoder_create (ctx, TRUE);
}

/* PyG's SAGEConv with the mean aggregator: mean_{u ∈ N(v)} h_u W + h_v W_root
 * + b; the mean of H W is the mean of H times W, so the narrow side is
 * aggregated. */
static PhiliaTensor *
sage_encode (gpointer                model,
             PhiliaLinkModelContext *ctx,
             PhiliaTape             *tape)
{
  Encoder *m = model;
  PhiliaSparse *mean = philia_link_model_context_get_mean_adjacency (ctx);
  float p = (float)philia_link_model_context_get_params (ctx)->dropout;
  PhiliaTensor *h = NULL;

  for (guint l = 0; l < m->layers; l++)
    {
      PhiliaTensor *neigh = philia_op_spmm (tape, mean, NULL,
                                            layer_matmul (ctx, tape, h, m->w->pdata[l]));
      PhiliaTensor *self = layer_matmul (ctx, tape, h, m->w_root->pdata[l]);

      h = finish_layer (tape, m, l, philia_op_add (tape, neigh, self), p);
    }
  return h;
}

static gpointer
mlp_create (PhiliaLinkModelContext *ctx,
            GError                **error)
{
  return encoder_create (ctx, FALSE);
}

/* The features alone: no edge is read, the feature-proximity baseline. */
static PhiliaTensor *
mlp_encode (gpointer                model,
            PhiliaLinkModelContext *ctx,
            PhiliaTape             *tape)
{
  Encoder *m = model;
  float p = (float)philia_link_model_context_get_params (ctx)->dropout;
  PhiliaTensor *h = NULL;

  for (guint l = 0; l < m->layers; l++)
    {
      h = finish_layer (tape, m, l, layer_matmul (ctx, tape, h, m->w->pdata[l]), p);
    }
  return h;
}

static const PhiliaLinkModelVTable gcn_vtable = { FALSE, gcn_create, gcn_encode, encoder_free };
static const PhiliaLinkModelVTable sage_vtable = { FALSE, sage_create, sage_encode, encoder_free };
static const PhiliaLinkModelVTable mlp_vtable = { TRUE, mlp_create, mlp_encode, encoder_free };

void
_philia_link_models_register (PhiliaRegistry *registry)
{
#define M(id, name, desc, vt) \
  { id, PHILIA_FAMILY_LINK_MODEL, name, desc, PHILIA_PROVIDER_BUILTIN, &vt, NULL }
  const PhiliaAlgorithm models[] = {
    M ("gcn", "GCN", N_ ("Graph convolutions over the training edges (2 layers of 256)."),
       gcn_vtable),
    M ("sage", "GraphSAGE", N_ ("Mean aggregation over the training edges plus a root weight "
           "(2 layers of 256)."), sage_vtable),
    M ("mlp", "MLP",
       N_ ("A perceptron on the node features alone, the feature-proximity baseline."),
       mlp_vtable),
  };
#undef M
  g_autoptr(GError) error = NULL;

  if (!philia_registry_add_all (registry, models, G_N_ELEMENTS (models), &error))
    g_critical ("Built-in link models: %s", error->message);
}
