/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-enums.h"

const char *
philia_family_to_string (PhiliaFamily family)
{
  g_return_val_if_fail (family < PHILIA_N_FAMILIES, NULL);
  return philia_enum_to_nick (PHILIA_TYPE_FAMILY, family);
}

gboolean
philia_family_from_string (const char   *name,
                           PhiliaFamily *family)
{
  int value;

  g_return_val_if_fail (name != NULL, FALSE);

  if (!philia_enum_from_nick (PHILIA_TYPE_FAMILY, name, &value))
    return FALSE;
  if (family)
    *family = value;
  return TRUE;
}

typedef struct
{
  PhiliaAlgorithm public;
  char           *id;
  char           *name;
  char           *description;
  char           *provider;
} Entry;

struct _PhiliaRegistry
{
  GMutex      mutex;
  GHashTable *by_id[PHILIA_N_FAMILIES];   /* id → Entry */
};

static void
entry_free (Entry *entry)
{
  g_free (entry->id);
  g_free (entry->name);
  g_free (entry->description);
  g_free (entry->provider);
  g_free (entry);
}

PhiliaRegistry *
philia_registry_new (void)
{
  PhiliaRegistry *registry = g_new0 (PhiliaRegistry, 1);

  g_mutex_init (&registry->mutex);
  for (guint i = 0; i < PHILIA_N_FAMILIES; i++)
    registry->by_id[i] = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                (GDestroyNotify)entry_free);
  return registry;
}

/**
 * philia_registry_get_default:
 *
 * The process-wide registry that the GUI, the CLI and plugins share.
 */
PhiliaRegistry *
philia_registry_get_default (void)
{
  static PhiliaRegistry *instance;

  if (g_once_init_enter (&instance))
    g_once_init_leave (&instance, philia_registry_new ());
  return instance;
}

void
philia_registry_free (PhiliaRegistry *registry)
{
  if (registry == NULL)
    return;
  for (guint i = 0; i < PHILIA_N_FAMILIES; i++)
    g_hash_table_unref (registry->by_id[i]);
  g_mutex_clear (&registry->mutex);
  g_free (registry);
}

static gboolean
check_algorithm (PhiliaRegistry         *registry,
                 const PhiliaAlgorithm  *algorithm,
                 GError                **error)
{
  if (algorithm->family >= PHILIA_N_FAMILIES)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("Algorithm “%s” has an unknown family (%d)."),
                   algorithm->id ? algorithm->id : "", (int)algorithm->family);
      return FALSE;
    }
  if (algorithm->id == NULL || algorithm->id[0] == '\0')
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("A %s algorithm from %s has no id."),
                   philia_family_to_string (algorithm->family),
                   algorithm->provider ? algorithm->provider : PHILIA_PROVIDER_BUILTIN);
      return FALSE;
    }
  if (g_hash_table_contains (registry->by_id[algorithm->family], algorithm->id))
    {
      Entry *existing = g_hash_table_lookup (registry->by_id[algorithm->family],
                                             algorithm->id);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_DUPLICATE,
                   _ ("The %s id “%s” from %s is already registered by %s."),
                   philia_family_to_string (algorithm->family), algorithm->id,
                   algorithm->provider ? algorithm->provider : PHILIA_PROVIDER_BUILTIN,
                   existing->provider);
      return FALSE;
    }
  return TRUE;
}

static void
insert_algorithm (PhiliaRegistry        *registry,
                  const PhiliaAlgorithm *algorithm)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->id = g_strdup (algorithm->id);
  /* Built-ins and the plugins shipped with Philia mark their names and
   * descriptions N_() where they register; they are read in the user's
   * language here (philia_core_init() runs after setlocale()). A third-party
   * plugin's strings are not in Philia's catalogue and come back as given. */
  entry->name = g_strdup (algorithm->name != NULL && algorithm->name[0] != '\0'
                          ? g_dgettext (GETTEXT_PACKAGE, algorithm->name) : algorithm->id);
  entry->description = g_strdup (algorithm->description != NULL
                                 && algorithm->description[0] != '\0'
                                 ? g_dgettext (GETTEXT_PACKAGE, algorithm->description) : "");
  entry->provider = g_strdup (algorithm->provider ? algorithm->provider : PHILIA_PROVIDER_BUILTIN);
  entry->public = *algorithm;
  entry->public.id = entry->id;
  entry->public.name = entry->name;
  entry->public.description = entry->description;
  entry->public.provider = entry->provider;
  g_hash_table_insert (registry->by_id[algorithm->family], entry->id, entry);
}

gboolean
philia_registry_add (PhiliaRegistry         *registry,
                     const PhiliaAlgorithm  *algorithm,
                     GError                **error)
{
  return philia_registry_add_all (registry, algorithm, 1, error);
}

/**
 * philia_registry_add_all:
 *
 * Checks every algorithm first (ids present, unique in the registry and
 * among themselves), then inserts them all; on any failure nothing is added.
 */
gboolean
philia_registry_add_all (PhiliaRegistry         *registry,
                         const PhiliaAlgorithm  *algorithms,
                         guint                   n_algorithms,
                         GError                **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (registry != NULL, FALSE);
  g_return_val_if_fail (algorithms != NULL || n_algorithms == 0, FALSE);

  g_mutex_lock (&registry->mutex);
  for (guint i = 0; ok && i < n_algorithms; i++)
    {
      ok = check_algorithm (registry, &algorithms[i], error);
      for (guint j = 0; ok && j < i; j++)
        if (algorithms[j].family == algorithms[i].family
            && g_strcmp0 (algorithms[j].id, algorithms[i].id) == 0)
          {
            g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_DUPLICATE,
                         _ ("The %s id “%s” appears twice in %s."),
                         philia_family_to_string (algorithms[i].family), algorithms[i].id,
                         algorithms[i].provider ? algorithms[i].provider : PHILIA_PROVIDER_BUILTIN);
            ok = FALSE;
          }
    }
  if (ok)
    for (guint i = 0; i < n_algorithms; i++)
      insert_algorithm (registry, &algorithms[i]);
  g_mutex_unlock (&registry->mutex);

  return ok;
}

guint
philia_registry_remove_provider (PhiliaRegistry *registry,
                                 const char     *provider)
{
  guint removed = 0;

  g_return_val_if_fail (registry != NULL, 0);
  g_return_val_if_fail (provider != NULL, 0);

  g_mutex_lock (&registry->mutex);
  for (guint f = 0; f < PHILIA_N_FAMILIES; f++)
    {
      GHashTableIter iter;
      Entry *entry;

      g_hash_table_iter_init (&iter, registry->by_id[f]);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&entry))
        if (g_str_equal (entry->provider, provider))
          {
            g_hash_table_iter_remove (&iter);
            removed++;
          }
    }
  g_mutex_unlock (&registry->mutex);
  return removed;
}

const PhiliaAlgorithm *
philia_registry_lookup (PhiliaRegistry *registry,
                        PhiliaFamily    family,
                        const char     *id)
{
  Entry *entry;

  g_return_val_if_fail (registry != NULL, NULL);
  g_return_val_if_fail (family < PHILIA_N_FAMILIES, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  g_mutex_lock (&registry->mutex);
  entry = g_hash_table_lookup (registry->by_id[family], id);
  g_mutex_unlock (&registry->mutex);
  return entry ? &entry->public : NULL;
}

static int
compare_by_id (gconstpointer a,
               gconstpointer b)
{
  const PhiliaAlgorithm *x = *(const PhiliaAlgorithm * const *)a;
  const PhiliaAlgorithm *y = *(const PhiliaAlgorithm * const *)b;

  return g_strcmp0 (x->id, y->id);
}

GPtrArray *
philia_registry_list (PhiliaRegistry *registry,
                      PhiliaFamily    family)
{
  GPtrArray *list = g_ptr_array_new ();
  GHashTableIter iter;
  Entry *entry;

  g_return_val_if_fail (registry != NULL, list);
  g_return_val_if_fail (family < PHILIA_N_FAMILIES, list);

  g_mutex_lock (&registry->mutex);
  g_hash_table_iter_init (&iter, registry->by_id[family]);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&entry))
    g_ptr_array_add (list, &entry->public);
  g_mutex_unlock (&registry->mutex);

  g_ptr_array_sort (list, compare_by_id);
  return list;
}
