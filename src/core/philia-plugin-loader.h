/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <glib.h>

#include "philia-registry.h"

G_BEGIN_DECLS

typedef enum
{
  PHILIA_PLUGIN_LOADED,
  PHILIA_PLUGIN_REFUSED,
  PHILIA_PLUGIN_DISABLED,
} PhiliaPluginStatus;

const char *philia_plugin_status_to_string (PhiliaPluginStatus status);

/**
 * PhiliaPluginInfo:
 * @id: the module name (Module=), or the keyfile's base name when Module= is missing
 * @name: Name=, or @id
 * @description: Description=, or ""
 * @authors: Authors= (a list), never %NULL
 * @version: Version=, or ""
 * @file: the .plugin keyfile
 * @module_file: the shared object it names, or %NULL when it names none
 * @abi: X-Philia-ABI=, or -1 when missing or not an integer
 * @status: loaded, refused or disabled
 * @reason: why it was refused or disabled (one sentence), or %NULL when loaded
 * @families: names of the families it registered into ("measure", ...), never %NULL
 * @algorithms: ids of the algorithms it registered, never %NULL
 *
 * What the loader found for one plugin, for the Plugins panel and the CLI.
 */
typedef struct
{
  char               *id;
  char               *name;
  char               *description;
  char              **authors;
  char               *version;
  char               *file;
  char               *module_file;
  int                 abi;
  PhiliaPluginStatus  status;
  char               *reason;
  char              **families;
  char              **algorithms;
} PhiliaPluginInfo;

void      philia_plugin_info_free (PhiliaPluginInfo    *info);

gboolean  philia_plugins_load     (PhiliaRegistry      *registry,
                                   const char * const  *search_path,
                                   const char * const  *disabled_ids,
                                   GPtrArray          **infos,
                                   GError             **error);

/* The GSettings key (strv of plugin ids) the app and the CLI leave unloaded. */
#define PHILIA_PLUGINS_DISABLED_KEY "disabled-plugins"
/* The GSettings key (strv of folders) searched after $PHILIA_PLUGIN_PATH. */
#define PHILIA_PLUGINS_FOLDERS_KEY "plugin-folders"

GPtrArray *philia_plugins_load_default (void);
gboolean   philia_plugins_load_folder_default (const char  *dir,
                                               GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaPluginInfo, philia_plugin_info_free)

G_END_DECLS
