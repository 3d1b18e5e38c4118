/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-graph.h"
#include "philia-progress.h"
#include "philia-registry.h"

G_BEGIN_DECLS

/**
 * PhiliaGeneratorVTable:
 * @generate: builds a graph from @options, "KEY=VALUE" strings as the user
 *   typed them (may be empty, never %NULL); the same @seed gives the same
 *   graph. Runs on a worker; checks @cancellable; names a bad option in
 *   @error with PHILIA_ERROR_OPTION.
 *
 * The vtable of a PHILIA_FAMILY_GENERATOR algorithm (the built-in CSBM is
 * philia_csbm_generate()).
 */
typedef struct
{
  PhiliaGraph *(*generate) (const char * const  *options,
                            guint64              seed,
                            PhiliaProgress      *progress,
                            gpointer             vtable_data,
                            GCancellable        *cancellable,
                            GError             **error);
} PhiliaGeneratorVTable;

/**
 * PhiliaExporterVTable:
 * @extension: the file extension it writes, without the dot ("gexf")
 * @write: writes @graph to @path; @positions (2 n coordinates) is %NULL when
 *   no layout has been computed. Runs on a worker; checks @cancellable.
 *
 * The vtable of a PHILIA_FAMILY_EXPORTER algorithm.
 */
typedef struct
{
  const char *extension;
  gboolean  (*write) (PhiliaGraph    *graph,
                      const double   *positions,
                      const char     *path,
                      gpointer        vtable_data,
                      GCancellable   *cancellable,
                      GError        **error);
} PhiliaExporterVTable;

G_END_DECLS
