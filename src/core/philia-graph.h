/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * PhiliaSanityReport:
 * @input_edges: rows of the edge list as read (before any cleaning)
 * @declared_directed: the file says the graph is directed (GraphML, GML, Pajek arcs)
 * @directed_input: @declared_directed, or some pair is given in both orientations,
 *   i.e. the rows look like a symmetrised directed list rather than one row per edge
 * @self_loops: rows with u == v (dropped)
 * @duplicate_edges: rows repeating an earlier row in the same orientation (merged)
 * @reciprocal_pairs: unordered pairs present as both (u, v) and (v, u) (merged into one edge)
 * @isolated_nodes: nodes of degree 0 in the simple undirected graph
 * @components: connected components (an isolated node is one)
 * @largest_component: nodes in the largest component
 *
 * What happened between the file and the simple undirected graph Philia analyses.
 */
typedef struct
{
  gint64   input_edges;
  gboolean declared_directed;
  gboolean directed_input;
  gint64   self_loops;
  gint64   duplicate_edges;
  gint64   reciprocal_pairs;
  gint64   isolated_nodes;
  gint64   components;
  gint64   largest_component;
} PhiliaSanityReport;

typedef enum
{
  PHILIA_SPLIT_TRAIN,
  PHILIA_SPLIT_VAL,
  PHILIA_SPLIT_TEST,
} PhiliaSplitPart;

#define PHILIA_TYPE_GRAPH (philia_graph_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaGraph, philia_graph, PHILIA, GRAPH, GObject)

/* Immutable after construction: safe to read from any thread. */
guint                     philia_graph_get_n_nodes          (PhiliaGraph     *self);
gint64                    philia_graph_get_n_edges          (PhiliaGraph     *self);
const gint64             *philia_graph_get_row_offsets      (PhiliaGraph     *self);
const gint32             *philia_graph_get_neighbors        (PhiliaGraph     *self);
guint                     philia_graph_get_degree           (PhiliaGraph     *self,
                                                             guint            node);
gint64                    philia_graph_find_edge            (PhiliaGraph     *self,
                                                             guint            u,
                                                             guint            v);
const gint32             *philia_graph_get_labels           (PhiliaGraph     *self);
guint                     philia_graph_get_n_classes        (PhiliaGraph     *self);
guint                     philia_graph_get_n_labeled        (PhiliaGraph     *self);
const gint64             *philia_graph_get_class_sizes      (PhiliaGraph     *self);
const char               *philia_graph_get_class_name       (PhiliaGraph     *self,
                                                             guint            klass);
gboolean                  philia_graph_has_class_names      (PhiliaGraph     *self);
guint                     philia_graph_get_n_features       (PhiliaGraph     *self);
const float              *philia_graph_get_features         (PhiliaGraph     *self);
guint                     philia_graph_get_n_splits         (PhiliaGraph     *self);
const guint8             *philia_graph_get_split_mask       (PhiliaGraph     *self,
                                                             guint            split,
                                                             PhiliaSplitPart  part);
void                      philia_graph_get_split_sizes      (PhiliaGraph     *self,
                                                             guint            split,
                                                             gint64          *n_train,
                                                             gint64          *n_val,
                                                             gint64          *n_test);
gboolean                  philia_graph_has_node_names       (PhiliaGraph     *self);
const char               *philia_graph_get_node_name        (PhiliaGraph     *self,
                                                             guint            node);
gint64                    philia_graph_find_node            (PhiliaGraph     *self,
                                                             const char      *name_or_id);
const PhiliaSanityReport *philia_graph_get_sanity_report    (PhiliaGraph     *self);
const gint32             *philia_graph_get_input_rows       (PhiliaGraph     *self,
                                                             gint64          *n_rows);
const char               *philia_graph_get_source           (PhiliaGraph     *self);
const char               *philia_graph_get_format           (PhiliaGraph     *self);
PhiliaGraph              *philia_graph_copy_with_splits     (PhiliaGraph     *self,
                                                             guint            n_splits,
                                                             guint8          *train,
                                                             guint8          *val,
                                                             guint8          *test);
PhiliaGraph              *philia_graph_copy_with_features   (PhiliaGraph     *self,
                                                             float           *features,
                                                             guint            n_features);

/*
 * PhiliaGraphBuilder: collects what a reader found, then validates it and
 * builds the immutable graph. Every reader in Philia goes through it, so the
 * validation (ids in range, sizes agree) lives in one place.
 */
typedef struct _PhiliaGraphBuilder PhiliaGraphBuilder;

PhiliaGraphBuilder *philia_graph_builder_new             (guint               n_nodes);
void                philia_graph_builder_free            (PhiliaGraphBuilder *builder);
guint               philia_graph_builder_get_n_nodes     (PhiliaGraphBuilder *builder);
void                philia_graph_builder_add_nodes       (PhiliaGraphBuilder *builder,
                                                          guint               n_more);
void                philia_graph_builder_set_declared_directed (PhiliaGraphBuilder *builder,
                                                          gboolean            directed);
void                philia_graph_builder_add_edge        (PhiliaGraphBuilder *builder,
                                                          gint64              u,
                                                          gint64              v);
void                philia_graph_builder_take_edges      (PhiliaGraphBuilder *builder,
                                                          gint64             *pairs,
                                                          gsize               n_rows);
void                philia_graph_builder_take_labels     (PhiliaGraphBuilder *builder,
                                                          gint64             *labels);
void                philia_graph_builder_take_class_names (PhiliaGraphBuilder *builder,
                                                          char              **names);
void                philia_graph_builder_take_features   (PhiliaGraphBuilder *builder,
                                                          float              *features,
                                                          guint               n_features);
void                philia_graph_builder_take_masks      (PhiliaGraphBuilder *builder,
                                                          guint               n_splits,
                                                          guint8             *train,
                                                          guint8             *val,
                                                          guint8             *test);
void                philia_graph_builder_take_node_names (PhiliaGraphBuilder *builder,
                                                          char              **names);
void                philia_graph_builder_set_source      (PhiliaGraphBuilder *builder,
                                                          const char         *source,
                                                          const char         *format);
PhiliaGraph        *philia_graph_builder_build           (PhiliaGraphBuilder *builder,
                                                          GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaGraphBuilder, philia_graph_builder_free)

G_END_DECLS
