/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * What philia_core_init() calls: igraph's handlers, then each family's
 * built-in algorithms into the registry. Defined next to the algorithms
 * (philia-igraph.c, philia-measure.c, philia-layout.c, philia-proximity.c,
 * learning/philia-models.c, learning/philia-linkmodel.c).
 */

#include "philia-core.h"

G_BEGIN_DECLS

void _philia_igraph_init         (void);
void _philia_measures_register   (PhiliaRegistry *registry);
void _philia_layouts_register    (PhiliaRegistry *registry);
void _philia_proximity_register  (PhiliaRegistry *registry);
void _philia_models_register     (PhiliaRegistry *registry);
void _philia_link_models_register (PhiliaRegistry *registry);

G_END_DECLS
