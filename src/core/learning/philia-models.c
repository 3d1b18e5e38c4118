/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The built-in models' registration (HACKING.md §7, §11). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-train-private.h"

void
_philia_models_register (PhiliaRegistry *registry)
{
#define M(id, name, desc, vt) { id, PHILIA_FAMILY_MODEL, name, desc, "built-in", &vt, NULL }
  const PhiliaAlgorithm models[] = {
    M ("mlp", "MLP", "Two-layer perceptron on the features alone (hidden 64, dropout 0.5).",
       _philia_model_mlp),
    M ("gcn", "GCN", "Kipf & Welling's graph convolutional network (hidden 16, dropout 0.5).",
       _philia_model_gcn),
    M ("sgc", "SGC", "Logistic regression on K-step propagated features (Wu et al., K = 2).",
       _philia_model_sgc),
    M ("appnp", "APPNP", "An MLP's predictions propagated by personalised PageRank (K = 10).",
       _philia_model_appnp),
    M ("gat", "GAT", "Graph attention network (8 heads of 8, attention dropout 0.6).",
       _philia_model_gat),
    M ("sage", "GraphSAGE", "Hamilton et al.'s mean aggregator plus a root weight (hidden 64, "
       "dropout 0.5).", _philia_model_sage),
    M ("h2gcn", "H2GCN", "Zhu et al.'s heterophily model: ego, 1-hop and 2-hop neighbours kept "
       "apart, all rounds combined (hidden 64, K = 2).", _philia_model_h2gcn),
    M ("gprgnn", "GPR-GNN", "Chien et al.'s MLP then K = 10 propagation steps mixed by learned "
       "weights γ, initialised to PageRank (α = 0.1).", _philia_model_gprgnn),
  };
#undef M
  g_autoptr(GError) error = NULL;

  if (!philia_registry_add_all (registry, models, G_N_ELEMENTS (models), &error))
    g_critical ("Built-in models: %s", error->message);
}
