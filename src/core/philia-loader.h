/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-graph.h"
#include "philia-progress.h"

G_BEGIN_DECLS

typedef enum
{
  PHILIA_FORMAT_AUTO,
  PHILIA_FORMAT_NPZ,
  PHILIA_FORMAT_GRAPHML,
  PHILIA_FORMAT_GML,
  PHILIA_FORMAT_PAJEK,
  PHILIA_FORMAT_EDGELIST,
} PhiliaFormat;

const char  *philia_format_to_string   (PhiliaFormat         format);

/* Guesses the format from the first bytes, then from the file name. */
PhiliaFormat philia_format_detect      (const char          *file_name,
                                        const guint8        *head,
                                        gsize                head_len);

/*
 * Loads a dataset: any format above, plus an optional CSV node table
 * (header "id,label,f0,f1,..."; ids match node names, or 0-based ids when the
 * graph has no names). A file with no nodes is an error. Every error names the
 * file and what is wrong, in one sentence. Complexity: O(n + m log m).
 */
PhiliaGraph *philia_graph_load         (GFile               *file,
                                        GFile               *node_table,
                                        PhiliaProgress      *progress,
                                        GCancellable        *cancellable,
                                        GError             **error);
PhiliaGraph *philia_graph_load_bytes   (GBytes              *bytes,
                                        const char          *display_name,
                                        PhiliaFormat         format,
                                        PhiliaProgress      *progress,
                                        GCancellable        *cancellable,
                                        GError             **error);
void         philia_graph_load_async   (GFile               *file,
                                        GFile               *node_table,
                                        PhiliaProgress      *progress,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
void         philia_graph_load_bytes_async (GBytes              *bytes,
                                            const char          *display_name,
                                            PhiliaFormat         format,
                                            PhiliaProgress      *progress,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
PhiliaGraph *philia_graph_load_finish  (GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS
