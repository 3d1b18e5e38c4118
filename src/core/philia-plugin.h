/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * philia-plugin.h: everything a Philia plugin includes (HACKING.md §8).
 *
 * A plugin is NAME.so plus NAME.plugin, a keyfile:
 *
 *   [Plugin]
 *   Module=NAME
 *   Name=Human-readable name
 *   Description=One sentence.
 *   Authors=Someone
 *   Version=1.0
 *   X-Philia-ABI=1
 *
 * The module exports one function, philia_plugin_register(), which adds its
 * algorithms with philia_registry_add() / philia_registry_add_all(), setting
 * each algorithm's provider to @provider. The loader reads the keyfile before
 * opening the module and refuses a plugin whose X-Philia-ABI is not
 * PHILIA_PLUGIN_ABI; registration is all-or-nothing (the loader hands the entry
 * point a staging registry), so an entry point that fails half-way leaves
 * nothing behind.
 *
 * The module is not linked against Philia: the philia_* symbols it calls are
 * resolved from the host process when the module is opened. The module stays
 * loaded for the life of the process, so vtables and vtable_data may point
 * into its static data.
 */

#include <gio/gio.h>
#include <gmodule.h>

/* Exactly the installed header set (include/philia-1/): graph access, the
 * registry, one vtable per family, the tensor/autograd API and the model
 * context for models, progress, cancellation (GCancellable) and GError.
 *
 *   measure    PhiliaMeasureVTable    philia-measure.h
 *   proximity  PhiliaProximityVTable  philia-proximity.h
 *   layout     PhiliaLayoutVTable     philia-layout.h
 *   model      PhiliaModelVTable      philia-train.h (+ philia-autograd.h)
 *   generator  PhiliaGeneratorVTable  philia-generate.h
 *   exporter   PhiliaExporterVTable   philia-export.h
 *   link-model PhiliaLinkModelVTable  philia-linkmodel.h (+ philia-linkpred.h)
 *
 * The link-model family was added within ABI 1: it was appended to
 * PhiliaFamily (no other value moved) and changes no existing struct, so
 * plugins built before it still load; one that registers a link model needs
 * a Philia that has it (PHILIA_PLUGIN_HAS_LINK_MODELS is defined).
 */
#define PHILIA_CORE_INSIDE
# include "philia-error.h"
# include "philia-graph.h"
# include "philia-progress.h"
# include "philia-registry.h"
# include "philia-autograd.h"
# include "philia-measure.h"
# include "philia-proximity.h"
# include "philia-layout.h"
# include "philia-train.h"
# include "philia-generate.h"
# include "philia-export.h"
# include "philia-linkpred.h"
# include "philia-linkmodel.h"
#undef PHILIA_CORE_INSIDE

G_BEGIN_DECLS

/**
 * PHILIA_PLUGIN_ABI:
 *
 * The plugin ABI this header describes. Bumped whenever a struct, a vtable or
 * a function a plugin can reach changes incompatibly; a plugin's keyfile must
 * declare the same number in X-Philia-ABI.
 */
#define PHILIA_PLUGIN_ABI 1

/* Defined by the headers that have the link-model family (see above). */
#define PHILIA_PLUGIN_HAS_LINK_MODELS 1

/**
 * PHILIA_PLUGIN_ENTRY_SYMBOL:
 *
 * The name the loader looks up in the module.
 */
#define PHILIA_PLUGIN_ENTRY_SYMBOL "philia_plugin_register"

/**
 * PhiliaPluginEntry:
 * @registry: where to add the plugin's algorithms
 * @provider: the plugin's id (its module name); use it as every
 *   algorithm's provider
 * @error: set it, with a sentence naming what is wrong, when returning %FALSE
 *
 * The type of philia_plugin_register(). Called once, on the main thread.
 *
 * Returns: %TRUE if the plugin registered its algorithms
 */
typedef gboolean (*PhiliaPluginEntry) (PhiliaRegistry  *registry,
                                       const char      *provider,
                                       GError         **error);

/* Declared here so a plugin's definition has a prototype and is exported. */
G_MODULE_EXPORT gboolean philia_plugin_register (PhiliaRegistry  *registry,
                                                 const char      *provider,
                                                 GError         **error);

G_END_DECLS
