/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-graph.h"

G_BEGIN_DECLS

/**
 * PhiliaLatentPreset:
 * @PHILIA_LATENT_PRESET_LSP: local structure dominates: a dense graph in a
 *   2-dimensional latent space, so linked nodes share many neighbours
 * @PHILIA_LATENT_PRESET_GSP: global structure: a sparse graph in the same
 *   space, so many linked nodes share no neighbour but are joined by short
 *   paths
 * @PHILIA_LATENT_PRESET_FP: feature proximity: links form by distance in the
 *   feature space alone (8 dimensions, where linked nodes seldom share a
 *   neighbour), and the features show those positions with little noise
 */
typedef enum
{
  PHILIA_LATENT_PRESET_LSP,
  PHILIA_LATENT_PRESET_GSP,
  PHILIA_LATENT_PRESET_FP,
} PhiliaLatentPreset;

gboolean philia_latent_preset_from_string (const char         *name,
                                           PhiliaLatentPreset *preset);

/**
 * PhiliaLatentParams:
 * @n_nodes: n (2 … 50,000: every pair is drawn)
 * @dim: dimension of the structural latent space (a unit torus), 1 … 16
 * @degree: the expected mean degree the radii are calibrated to
 * @sharpness: α of the link probability 1 / (1 + e^{α (d_ij / max(r_i, r_j) − 1)}):
 *   large is a hard threshold at the radius, small lets far pairs link
 * @radius_spread: σ of the log-normal radii r_i = r₀ e^{σ z_i − σ²/2}
 *   (0: one radius; larger: hubs)
 * @feature_weight: β in [0, 1]: the distance that decides links is
 *   √((1 − β) d_s² + β d_f²), d_s in the structural space and d_f in the
 *   feature space, each divided by its mean over random pairs
 * @feature_dim: dimension of the feature space (a unit torus), 1 … 64
 * @noise: standard deviation of the Gaussian noise on each feature
 * @n_classes: labels: the nearest of this many random centres in the space
 *   that weighs more in the distance (0: no labels)
 * @seed: everything is reproducible from it
 *
 * The latent space network model of Sarkar et al. (IJCAI 2011) as Mao et al.
 * ("Revisiting Link Prediction: A Data Perspective", ICLR 2024) use it, with
 * a feature space beside the structural one. The features are the feature
 * positions on the torus, each coordinate t as the pair (cos 2πt, sin 2πt),
 * plus noise: 2·@feature_dim columns whose cosine similarity falls with the
 * feature distance.
 */
typedef struct
{
  guint   n_nodes;
  guint   dim;
  double  degree;
  double  sharpness;
  double  radius_spread;
  double  feature_weight;
  guint   feature_dim;
  double  noise;
  guint   n_classes;
  guint64 seed;
} PhiliaLatentParams;

/* Defaults (2000 nodes, the lsp preset's shape). */
void         philia_latent_params_init   (PhiliaLatentParams       *params);
/* Sets the knobs of @preset, keeping n_nodes, n_classes and seed. */
void         philia_latent_params_preset (PhiliaLatentParams       *params,
                                          PhiliaLatentPreset        preset);

/* O(n² (dim + feature_dim)). Refuses bad parameters with PHILIA_ERROR_OPTION
 * naming them. @radius (nullable) receives r₀. */
PhiliaGraph *philia_latent_generate      (const PhiliaLatentParams *params,
                                          double                   *radius,
                                          GCancellable             *cancellable,
                                          GError                  **error);

G_END_DECLS
