/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-core.h"

G_BEGIN_DECLS

/* Readers: each fills a builder from bytes in memory; @display_name goes into
 * every error message. They run on a worker thread. */
PhiliaGraphBuilder *_philia_npz_read_graph    (GBytes         *bytes,
                                               const char     *display_name,
                                               PhiliaProgress *progress,
                                               GCancellable   *cancellable,
                                               GError        **error);
/* The same with "edges.npy" (and, when labels give the node count, the
 * features) left unread: the nodes of a graph whose edges are streamed. */
PhiliaGraphBuilder *_philia_npz_read_nodes    (GBytes         *bytes,
                                               const char     *display_name,
                                               gboolean        with_edges,
                                               gboolean        with_features,
                                               PhiliaProgress *progress,
                                               GCancellable   *cancellable,
                                               GError        **error);
/* GraphML, GML, Pajek and edge lists go through igraph (on the igraph thread). */
PhiliaGraphBuilder *_philia_igraph_read_graph (GBytes         *bytes,
                                               const char     *display_name,
                                               PhiliaFormat    format,
                                               PhiliaProgress *progress,
                                               GCancellable   *cancellable,
                                               GError        **error);
/* Refuse an edge that names a node the file does not declare (see
 * philia-import-refs.c); %TRUE when every edge names declared nodes or when
 * the file is malformed in a way igraph reports itself. */
gboolean            _philia_graphml_check_references (const char  *data,
                                                      gsize        size,
                                                      gint64       n_nodes_read,
                                                      const char  *display_name,
                                                      GError     **error);
gboolean            _philia_gml_check_references     (const char  *data,
                                                      gsize        size,
                                                      const char  *display_name,
                                                      GError     **error);
/* A GraphML id as igraph reads it ("&#38;" for every &) as the file means it. */
char               *_philia_graphml_unescape_id       (const char  *raw);
/* Refuses GML and Pajek files igraph would take minutes or gigabytes over:
 * tokens above PHILIA_IMPORT_MAX_TOKEN bytes, Pajek vertex counts the file
 * cannot back (philia-import-limits.c). */
#define PHILIA_IMPORT_MAX_TOKEN (1024 * 1024)
gboolean            _philia_import_check_limits (const char   *data,
                                                 gsize         size,
                                                 PhiliaFormat  format,
                                                 const char   *display_name,
                                                 GError      **error);
/* Whether @text is one JSON object and nothing after it but white space
 * (philia-json.c): json-glib 1.6 leaks what follows the first value, so
 * manifests (projects, models) are checked before parsing. */
gboolean            _philia_json_single_object  (const char   *text,
                                                 gsize         len);
/* Text from a file as an error message may quote it: one line, 40 characters. */
char               *_philia_excerpt             (const char   *text,
                                                 gssize        len);
/* Edge-list text as igraph's readers take it: comments, blank lines and a
 * header row dropped, two space-separated ids a row; refuses mixed id kinds
 * (philia-import-edgelist.c). */
GString            *_philia_edge_list_normalize (const char  *data,
                                                 gsize        size,
                                                 const char  *display_name,
                                                 GError     **error);
/* Whether @len bytes at @start are ASCII digits and nothing else. */
gboolean            _philia_edge_list_is_integer_id (const char *start,
                                                     gsize       len);
/* Attaches a CSV node table ("id,label,f0,...") to @builder. */
gboolean            _philia_node_table_apply  (PhiliaGraphBuilder *builder,
                                               GBytes         *bytes,
                                               const char     *display_name,
                                               GError        **error);

/* Builder internals readers may need (for matching node-table ids to names). */
const char * const *_philia_graph_builder_get_node_names (PhiliaGraphBuilder *builder);
gint64              _philia_graph_builder_get_n_labels    (PhiliaGraphBuilder *builder);
gboolean            _philia_graph_builder_has_labels      (PhiliaGraphBuilder *builder);
gboolean            _philia_graph_builder_has_features    (PhiliaGraphBuilder *builder);

G_END_DECLS
