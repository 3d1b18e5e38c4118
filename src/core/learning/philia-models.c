/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The built-in models' recipes and their registration (HACKING.md §7, §11). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-builtins-private.h"
#include "philia-train-private.h"

/* A recipe field the model does not read (philia_train_params_init()'s "default"). */
#define NONE -1

/*
 * The recipe of each built-in model's paper: what a hyperparameter left at
 * "default" becomes. The counts (epochs, hidden, heads, k) are "default" at
 * 0 or below, the rates (lr, weight decay, dropout, alpha) below 0; the
 * --help texts and the descriptions below repeat some of these numbers.
 */
typedef struct
{
  int    epochs;
  double lr;
  double weight_decay;
  int    hidden;
  double dropout;
  int    heads;
  int    k;
  double alpha;
} Recipe;

static const Recipe recipes[PHILIA_N_RECIPES] = {
  /*                        epochs  lr     decay  hidden dropout heads  k     alpha */
  [PHILIA_RECIPE_MLP]    = {  200, 0.01,  5e-4,   64,   0.5,   NONE, NONE, NONE },
  /* Kipf & Welling 2017 */
  [PHILIA_RECIPE_GCN]    = {  200, 0.01,  5e-4,   16,   0.5,   NONE, NONE, NONE },
  /* Wu et al. 2019: logistic regression on Â^K X, so no hidden layer, no dropout */
  [PHILIA_RECIPE_SGC]    = {  100, 0.2,   5e-5,    0,   0,     NONE,    2, NONE },
  /* Gasteiger et al. 2019 */
  [PHILIA_RECIPE_APPNP]  = {  200, 0.01,  5e-3,   64,   0.5,   NONE,   10, 0.1  },
  /* Veličković et al. 2018: hidden is per head, dropout on attention too */
  [PHILIA_RECIPE_GAT]    = {  200, 0.005, 5e-4,    8,   0.6,      8, NONE, NONE },
  /* Hamilton et al. 2017 */
  [PHILIA_RECIPE_SAGE]   = {  200, 0.01,  5e-4,   64,   0.5,   NONE, NONE, NONE },
  /* Zhu et al. 2020: k is the number of rounds */
  [PHILIA_RECIPE_H2GCN]  = {  200, 0.01,  5e-4,   64,   0.5,   NONE,    2, NONE },
  /* Chien et al. 2021 */
  [PHILIA_RECIPE_GPRGNN] = { 1000, 0.002, 5e-4,   64,   0.5,   NONE,   10, 0.1  },
  /* Philia's own (philia-models-transformer.c): hidden is the model width */
  [PHILIA_RECIPE_TRANSFORMER] = { 200, 0.005, 5e-4, 64,   0.5,      4, NONE, NONE },
};

void
_philia_model_recipe_fill (PhiliaModelRecipe  recipe,
                           PhiliaTrainParams *p)
{
  const Recipe *r;

  g_assert (recipe < PHILIA_N_RECIPES);
  r = &recipes[recipe];
  if (r->epochs != NONE && p->epochs <= 0) p->epochs = r->epochs;
  if (r->lr != NONE && p->lr < 0) p->lr = r->lr;
  if (r->weight_decay != NONE && p->weight_decay < 0) p->weight_decay = r->weight_decay;
  if (r->hidden != NONE && p->hidden <= 0) p->hidden = r->hidden;
  if (r->dropout != NONE && p->dropout < 0) p->dropout = r->dropout;
  if (r->heads != NONE && p->heads <= 0) p->heads = r->heads;
  if (r->k != NONE && p->k <= 0) p->k = r->k;
  if (r->alpha != NONE && p->alpha < 0) p->alpha = r->alpha;
}

void
_philia_models_register (PhiliaRegistry *registry)
{
#define M(id, name, desc, vt) \
  { id, PHILIA_FAMILY_MODEL, name, desc, PHILIA_PROVIDER_BUILTIN, &vt, NULL }
  const PhiliaAlgorithm models[] = {
    M ("mlp", "MLP", N_ ("Two-layer perceptron on the features alone (hidden 64, dropout 0.5)."),
       _philia_model_mlp),
    M ("gcn", "GCN", N_ ("Kipf & Welling's graph convolutional network (hidden 16, dropout 0.5)."),
       _philia_model_gcn),
    M ("sgc", "SGC", N_ ("Logistic regression on K-step propagated features (Wu et al., K = 2)."),
       _philia_model_sgc),
    M ("appnp", "APPNP", N_ ("An MLP's predictions propagated by personalised PageRank (K = 10)."),
       _philia_model_appnp),
    M ("gat", "GAT", N_ ("Graph attention network (8 heads of 8, attention dropout 0.6)."),
       _philia_model_gat),
    M ("sage", "GraphSAGE", N_ ("Hamilton et al.'s mean aggregator plus a root weight (hidden 64, "
           "dropout 0.5)."), _philia_model_sage),
    M ("h2gcn", "H2GCN", N_ ("Zhu et al.'s heterophily model: ego, 1-hop and 2-hop neighbours kept "
           "apart, all rounds combined (hidden 64, K = 2)."), _philia_model_h2gcn),
    M ("gprgnn", "GPR-GNN", N_ ("Chien et al.'s MLP then K = 10 propagation steps mixed by learned "
           "weights γ, initialised to PageRank (α = 0.1)."), _philia_model_gprgnn),
    M ("transformer", "Transformer", N_ ("A transformer encoder over each node's sampled "
           "neighbourhood (random walks and neighbour samples), classifying the node's own token "
           "(width 64, 4 heads, 2 layers)."), _philia_model_transformer),
  };
#undef M
  g_autoptr(GError) error = NULL;

  if (!philia_registry_add_all (registry, models, G_N_ELEMENTS (models), &error))
    g_critical ("Built-in models: %s", error->message);
}
