/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <igraph.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Debian's igraph is built without thread safety and aborts on errors by
 * default. Philia runs every igraph call on one dedicated thread with a
 * non-aborting handler, and turns igraph's errors into GErrors.
 */
typedef gboolean (*PhiliaIgraphFunc) (gpointer      data,
                                      GCancellable *cancellable,
                                      GError      **error);

/* Runs @func on the igraph thread and waits for it; from the igraph thread
 * itself it simply calls @func. igraph's interruption handler checks
 * @cancellable while @func runs. */
gboolean _philia_igraph_call  (PhiliaIgraphFunc  func,
                               gpointer          data,
                               GCancellable     *cancellable,
                               GError          **error);

/* Maps an igraph return code (and the message its handler recorded) to a
 * GError whose message starts with @context. Returns TRUE if @code is success. */
gboolean _philia_igraph_check (igraph_error_t    code,
                               const char       *context,
                               GError          **error);

G_END_DECLS
