/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The deliberately broken test plugins, one per BROKEN_* define. Those whose
 * keyfile is refused before the module is opened still register a canary, so
 * the test can tell that the module never ran. */
#include "philia-plugin.h"

static gboolean
constant (PhiliaGraph   *graph,
          double        *out,
          gpointer       vtable_data,
          GCancellable  *cancellable,
          GError       **error)
{
  out[0] = 42.0;
  return TRUE;
}

G_GNUC_UNUSED static const PhiliaMeasureVTable vtable = { PHILIA_MEASURE_GRAPH, constant };

static gboolean
fails (PhiliaGraph   *graph,
       double        *out,
       gpointer       vtable_data,
       GCancellable  *cancellable,
       GError       **error)
{
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FAILED,
               "The test measure needs a licence file that is not there.");
  return FALSE;
}

G_GNUC_UNUSED static const PhiliaMeasureVTable failing_vtable = { PHILIA_MEASURE_GRAPH, fails };

#if defined(BROKEN_NO_SYMBOL)

/* Exports something, but not the entry point. */
G_MODULE_EXPORT int philia_plugin_regsiter (void);

G_MODULE_EXPORT int
philia_plugin_regsiter (void)
{
  return vtable.scope;
}

#else

gboolean
philia_plugin_register (PhiliaRegistry  *registry,
                        const char      *provider,
                        GError         **error)
{
# if defined(BROKEN_ENTRY_FAILS)
  const PhiliaAlgorithm first = {
    "entry-fails-first", PHILIA_FAMILY_MEASURE, "Registered before failing", NULL, provider,
    &vtable, NULL,
  };

  /* Registers one algorithm, then fails: the loader must drop it. */
  if (!philia_registry_add (registry, &first, error))
    return FALSE;
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FAILED,
               "The test plugin needs a licence file that is not there.");
  return FALSE;
# elif defined(BROKEN_ENTRY_FAILS_SILENTLY)
  return FALSE;
# elif defined(BROKEN_MEASURE_FAILS)
  /* Registers fine; its measure fails whenever it runs. */
  const PhiliaAlgorithm failing = {
    "always-fails", PHILIA_FAMILY_MEASURE, "Always fails",
    "Test plugin: a graph measure that always fails.", provider, &failing_vtable, NULL,
  };

  return philia_registry_add (registry, &failing, error);
# elif defined(BROKEN_DUPLICATE_ID)
  /* "mean-degree" is the good plugin's; "twin-extra" must not survive the refusal. */
  const PhiliaAlgorithm algorithms[] = {
    { "twin-extra", PHILIA_FAMILY_MEASURE, "Twin extra", NULL, provider, &vtable, NULL },
    { "mean-degree", PHILIA_FAMILY_MEASURE, "Mean degree again", NULL, provider, &vtable, NULL },
  };

  return philia_registry_add_all (registry, algorithms, G_N_ELEMENTS (algorithms), error);
# else
  const PhiliaAlgorithm canary = {
    "canary", PHILIA_FAMILY_MEASURE, "Canary", "Must never be registered.", provider,
    &vtable, NULL,
  };

  return philia_registry_add (registry, &canary, error);
# endif
}

#endif
