/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"

#include <libxml/parser.h>

#include "philia-builtins-private.h"

/**
 * philia_core_init:
 *
 * Idempotent. Installs igraph's non-aborting handlers before anything can
 * call igraph, initialises libxml2 (which GraphML is read with), and fills
 * the default registry with the built-in algorithms.
 */
void
philia_core_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      _philia_igraph_init ();
      /* libxml2 asks threaded programs to set it up once, before threads
       * use it: the GraphML check and igraph read with it on two threads. */
      xmlInitParser ();
      _philia_measures_register (philia_registry_get_default ());
      _philia_layouts_register (philia_registry_get_default ());
      _philia_proximity_register (philia_registry_get_default ());
      _philia_models_register (philia_registry_get_default ());
      _philia_link_models_register (philia_registry_get_default ());
      g_once_init_leave (&initialized, 1);
    }
}
