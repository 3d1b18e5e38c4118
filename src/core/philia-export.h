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
