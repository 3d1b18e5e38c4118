/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  PHILIA_FAMILY_MEASURE,
  PHILIA_FAMILY_PROXIMITY,
  PHILIA_FAMILY_LAYOUT,
  PHILIA_FAMILY_MODEL,
  PHILIA_FAMILY_GENERATOR,
  PHILIA_FAMILY_EXPORTER,
  PHILIA_FAMILY_LINK_MODEL,        /* appended: the values above keep their numbers */
  PHILIA_N_FAMILIES,               /*< skip >*/
} PhiliaFamily;

const char *philia_family_to_string   (PhiliaFamily family);
gboolean    philia_family_from_string (const char   *name,
                                       PhiliaFamily *family);

/* The provider of the algorithms Philia itself registers; a plugin's are its
 * module name. */
#define PHILIA_PROVIDER_BUILTIN "built-in"

/**
 * PhiliaAlgorithm:
 * @id: unique, stable, lower-case id ("edge-homophily", "katz", "gcn")
 * @family: which family it belongs to
 * @name: human-readable, translatable name
 * @description: one sentence
 * @provider: %PHILIA_PROVIDER_BUILTIN or the plugin's module name
 * @vtable: the family's function table (defined by the family's own header)
 * @vtable_data: passed back to every vtable function
 *
 * One algorithm as the registry knows it. Built-ins and plugins register
 * through the same call.
 */
typedef struct
{
  const char   *id;
  PhiliaFamily  family;
  const char   *name;
  const char   *description;
  const char   *provider;
  gconstpointer vtable;
  gpointer      vtable_data;
} PhiliaAlgorithm;

typedef struct _PhiliaRegistry PhiliaRegistry;

PhiliaRegistry        *philia_registry_new         (void);
PhiliaRegistry        *philia_registry_get_default (void);
void                   philia_registry_free        (PhiliaRegistry        *registry);
/* Copies the strings; refuses an empty or duplicate id with PHILIA_ERROR_DUPLICATE. */
gboolean               philia_registry_add         (PhiliaRegistry        *registry,
                                                    const PhiliaAlgorithm *algorithm,
                                                    GError               **error);
/* Atomically adds all or none (a plugin never leaves half its algorithms). */
gboolean               philia_registry_add_all     (PhiliaRegistry        *registry,
                                                    const PhiliaAlgorithm *algorithms,
                                                    guint                  n_algorithms,
                                                    GError               **error);
guint                  philia_registry_remove_provider (PhiliaRegistry    *registry,
                                                    const char            *provider);
const PhiliaAlgorithm *philia_registry_lookup      (PhiliaRegistry        *registry,
                                                    PhiliaFamily           family,
                                                    const char            *id);
/* Sorted by id; free the array only, the entries belong to the registry. */
GPtrArray             *philia_registry_list        (PhiliaRegistry        *registry,
                                                    PhiliaFamily           family);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaRegistry, philia_registry_free)

G_END_DECLS
