/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "philia-core.h"
#include "philia-import-private.h"
#include "philia-mapped-pages-private.h"
#include "philia-graph-features-private.h"

/* Class ids above this are refused rather than allocated for. */
#define PHILIA_MAX_CLASSES 65536

#define FINITE_BLOCK 4096

struct _PhiliaGraphBuilder
{
  guint     n;
  gboolean  declared_directed;

  gint64   *edges;          /* 2 × n_rows */
  gsize     n_rows;
  gsize     capacity;

  gint64   *labels;
  guint     labels_n;       /* node count when the labels were taken */
  char    **class_names;
  float    *features;
  guint     n_features;
  guint     features_n;
  guint8   *masks[3];
  guint     n_splits;
  guint     masks_n;
  char    **node_names;
  char     *source;
  char     *format;
};

struct _PhiliaGraph
{
  GObject             parent_instance;

  guint               n;
  gint64              m;
  gint64             *row_offsets;   /* n + 1 */
  gint32             *neighbors;     /* 2m, each row sorted ascending */
  gint32             *input_rows;    /* 2 × report.input_edges, as read */

  gint32             *labels;        /* n, -1 = unlabeled */
  guint               n_classes;
  guint               n_labeled;
  gint64             *class_sizes;   /* n_classes */
  char              **class_names;   /* NULL or n_classes */

  float              *features;      /* n × n_features, row-major */
  guint               n_features;
  /* The features as CSR when mostly zeros; then the dense matrix above is
   * made on first request (under dense_features_lock). */
  gint64             *x_offsets;     /* n + 1 */
  gint32             *x_columns;
  float              *x_values;

  guint               n_splits;
  guint8             *masks[3];      /* n_splits × n each */

  char              **node_names;    /* NULL or n */
  GHashTable         *name_index;    /* name → index + 1 */

  PhiliaSanityReport  report;
  char               *source;
  char               *format;
};

G_DEFINE_FINAL_TYPE (PhiliaGraph, philia_graph, G_TYPE_OBJECT)

static void
philia_graph_finalize (GObject *object)
{
  PhiliaGraph *self = (PhiliaGraph *)object;

  g_clear_pointer (&self->row_offsets, g_free);
  g_clear_pointer (&self->neighbors, g_free);
  g_clear_pointer (&self->input_rows, g_free);
  g_clear_pointer (&self->labels, g_free);
  g_clear_pointer (&self->class_sizes, g_free);
  g_clear_pointer (&self->class_names, g_strfreev);
  g_clear_pointer (&self->features, g_free);
  g_clear_pointer (&self->x_offsets, g_free);
  g_clear_pointer (&self->x_columns, g_free);
  g_clear_pointer (&self->x_values, g_free);
  for (guint i = 0; i < 3; i++)
    g_clear_pointer (&self->masks[i], g_free);
  g_clear_pointer (&self->node_names, g_strfreev);
  g_clear_pointer (&self->name_index, g_hash_table_unref);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->format, g_free);

  G_OBJECT_CLASS (philia_graph_parent_class)->finalize (object);
}

static void
philia_graph_class_init (PhiliaGraphClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = philia_graph_finalize;
}

static void
philia_graph_init (PhiliaGraph *self)
{
}

/* ---------------------------------------------------------------- builder */

PhiliaGraphBuilder *
philia_graph_builder_new (guint n_nodes)
{
  PhiliaGraphBuilder *builder = g_new0 (PhiliaGraphBuilder, 1);

  builder->n = n_nodes;
  return builder;
}

void
philia_graph_builder_free (PhiliaGraphBuilder *builder)
{
  if (builder == NULL)
    return;

  g_free (builder->edges);
  g_free (builder->labels);
  g_strfreev (builder->class_names);
  g_free (builder->features);
  for (guint i = 0; i < 3; i++)
    g_free (builder->masks[i]);
  g_strfreev (builder->node_names);
  g_free (builder->source);
  g_free (builder->format);
  g_free (builder);
}

guint
philia_graph_builder_get_n_nodes (PhiliaGraphBuilder *builder)
{
  g_return_val_if_fail (builder != NULL, 0);
  return builder->n;
}

void
philia_graph_builder_add_nodes (PhiliaGraphBuilder *builder,
                                guint               n_more)
{
  g_return_if_fail (builder != NULL);
  g_return_if_fail (n_more <= G_MAXINT32 - builder->n);
  builder->n += n_more;
}

void
philia_graph_builder_set_declared_directed (PhiliaGraphBuilder *builder,
                                            gboolean            directed)
{
  g_return_if_fail (builder != NULL);
  builder->declared_directed = !!directed;
}

static void
reserve_rows (PhiliaGraphBuilder *builder,
              gsize               extra)
{
  if (builder->n_rows + extra <= builder->capacity)
    return;
  builder->capacity = MAX (builder->n_rows + extra, MAX (16, builder->capacity * 2));
  builder->edges = g_renew (gint64, builder->edges, 2 * builder->capacity);
}

void
philia_graph_builder_add_edge (PhiliaGraphBuilder *builder,
                               gint64              u,
                               gint64              v)
{
  g_return_if_fail (builder != NULL);

  reserve_rows (builder, 1);
  builder->edges[2 * builder->n_rows] = u;
  builder->edges[2 * builder->n_rows + 1] = v;
  builder->n_rows++;
}

void
philia_graph_builder_take_edges (PhiliaGraphBuilder *builder,
                                 gint64             *pairs,
                                 gsize               n_rows)
{
  g_return_if_fail (builder != NULL);
  g_return_if_fail (pairs != NULL || n_rows == 0);

  if (builder->n_rows == 0)
    {
      g_free (builder->edges);
      builder->edges = pairs;
      builder->n_rows = builder->capacity = n_rows;
      return;
    }

  reserve_rows (builder, n_rows);
  memcpy (builder->edges + 2 * builder->n_rows, pairs, 2 * n_rows * sizeof (gint64));
  builder->n_rows += n_rows;
  g_free (pairs);
}

void
philia_graph_builder_take_labels (PhiliaGraphBuilder *builder,
                                  gint64             *labels)
{
  g_return_if_fail (builder != NULL);

  g_free (builder->labels);
  builder->labels = labels;
  builder->labels_n = builder->n;
}

void
philia_graph_builder_take_class_names (PhiliaGraphBuilder *builder,
                                       char              **names)
{
  g_return_if_fail (builder != NULL);

  g_strfreev (builder->class_names);
  builder->class_names = names;
}

void
philia_graph_builder_take_features (PhiliaGraphBuilder *builder,
                                    float              *features,
                                    guint               n_features)
{
  g_return_if_fail (builder != NULL);

  g_free (builder->features);
  builder->features = n_features > 0 ? features : (g_free (features), NULL);
  builder->n_features = n_features;
  builder->features_n = builder->n;
}

void
philia_graph_builder_take_masks (PhiliaGraphBuilder *builder,
                                 guint               n_splits,
                                 guint8             *train,
                                 guint8             *val,
                                 guint8             *test)
{
  g_return_if_fail (builder != NULL);

  for (guint i = 0; i < 3; i++)
    g_clear_pointer (&builder->masks[i], g_free);
  builder->masks[PHILIA_SPLIT_TRAIN] = train;
  builder->masks[PHILIA_SPLIT_VAL] = val;
  builder->masks[PHILIA_SPLIT_TEST] = test;
  builder->n_splits = n_splits;
  builder->masks_n = builder->n;
}

void
philia_graph_builder_take_node_names (PhiliaGraphBuilder *builder,
                                      char              **names)
{
  g_return_if_fail (builder != NULL);

  g_strfreev (builder->node_names);
  builder->node_names = names;
}

void
philia_graph_builder_set_source (PhiliaGraphBuilder *builder,
                                 const char         *source,
                                 const char         *format)
{
  g_return_if_fail (builder != NULL);

  g_free (builder->source);
  g_free (builder->format);
  builder->source = g_strdup (source);
  builder->format = g_strdup (format);
}

const char * const *
_philia_graph_builder_get_node_names (PhiliaGraphBuilder *builder)
{
  return (const char * const *)builder->node_names;
}

gint64
_philia_graph_builder_get_n_labels (PhiliaGraphBuilder *builder)
{
  return builder->labels != NULL ? builder->labels_n : 0;
}

gboolean
_philia_graph_builder_has_labels (PhiliaGraphBuilder *builder)
{
  return builder->labels != NULL;
}

gboolean
_philia_graph_builder_has_features (PhiliaGraphBuilder *builder)
{
  return builder->features != NULL;
}

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *)a;
  gint64 y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

static void
sort_bucket (gint64 *items,
             gsize   n)
{
  /* Buckets are one node's rows: mostly tiny, so insertion sort wins there. */
  if (n > 24)
    {
      qsort (items, n, sizeof *items, compare_gint64);
      return;
    }
  for (gsize i = 1; i < n; i++)
    {
      gint64 x = items[i];
      gsize j = i;

      while (j > 0 && items[j - 1] > x)
        {
          items[j] = items[j - 1];
          j--;
        }
      items[j] = x;
    }
}

/*
 * Builds the CSR of the simple undirected graph and the sanity counts in
 * O(n + m log d_max): rows are bucketed by their smaller endpoint with a
 * counting sort, each bucket is sorted by (larger endpoint, orientation), and
 * pairs come out in lexicographic order, which leaves every CSR row sorted.
 */
static gboolean
build_adjacency (PhiliaGraph         *self,
                 PhiliaGraphBuilder  *builder,
                 GError             **error)
{
  const gint64 *rows = builder->edges;
  guint n = builder->n;
  g_autofree gint64 *bucket_start = g_new0 (gint64, (gsize)n + 1);
  g_autofree gint64 *fill = NULL;
  g_autofree gint64 *items = NULL;
  g_autofree gint64 *degree = g_new0 (gint64, (gsize)n + 1);
  g_autofree gint64 *pos = NULL;
  gint64 n_items = 0;
  gint64 n_pairs = 0;
  PhiliaSanityReport *report = &self->report;

  report->input_edges = builder->n_rows;
  report->declared_directed = builder->declared_directed;
  self->input_rows = g_new (gint32, 2 * MAX (builder->n_rows, 1));

  for (gsize r = 0; r < builder->n_rows; r++)
    {
      gint64 u = rows[2 * r], v = rows[2 * r + 1];

      if (u < 0 || v < 0 || u >= n || v >= n)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("%s: edge row %zu points to node %" PRId64
                          ", but the graph has only %u nodes (ids 0 to %u)."),
                       builder->source, r, (u < 0 || u >= n) ? u : v, n,
                       n > 0 ? n - 1 : 0);
          return FALSE;
        }
      self->input_rows[2 * r] = (gint32)u;
      self->input_rows[2 * r + 1] = (gint32)v;
      if (u == v)
        report->self_loops++;
      else
        {
          bucket_start[MIN (u, v) + 1]++;
          n_items++;
        }
    }

  for (guint i = 0; i < n; i++)
    bucket_start[i + 1] += bucket_start[i];

  fill = g_memdup2 (bucket_start, sizeof (gint64) * n);
  items = g_new (gint64, MAX (n_items, 1));
  for (gsize r = 0; r < builder->n_rows; r++)
    {
      gint64 u = rows[2 * r], v = rows[2 * r + 1];

      if (u != v)
        items[fill[MIN (u, v)]++] = MAX (u, v) * 2 + (u > v);
    }
  g_clear_pointer (&fill, g_free);

  /* Group each bucket by partner: count orientations, keep unique pairs in place. */
  for (guint u = 0; u < n; u++)
    {
      gint64 start = bucket_start[u], end = bucket_start[u + 1];
      gint64 i = start;

      sort_bucket (items + start, end - start);
      while (i < end)
        {
          gint64 v = items[i] / 2;
          gint64 forward = 0, backward = 0;

          while (i < end && items[i] / 2 == v)
            {
              if (items[i] & 1)
                backward++;
              else
                forward++;
              i++;
            }
          report->duplicate_edges += (forward > 1 ? forward - 1 : 0)
                                     + (backward > 1 ? backward - 1 : 0);
          if (forward > 0 && backward > 0)
            report->reciprocal_pairs++;

          /* Unique pairs overwrite the bucket front; the order stays lexicographic. */
          items[n_pairs++] = (gint64)u << 32 | v;
          degree[u]++;
          degree[v]++;
        }
    }
  report->directed_input = report->declared_directed || report->reciprocal_pairs > 0;

  self->m = n_pairs;
  self->row_offsets = g_new (gint64, (gsize)n + 1);
  _philia_advise_huge_pages (self->row_offsets, sizeof (gint64) * ((gsize)n + 1));
  self->row_offsets[0] = 0;
  for (guint i = 0; i < n; i++)
    self->row_offsets[i + 1] = self->row_offsets[i] + degree[i];
  self->neighbors = g_new (gint32, MAX (2 * n_pairs, 1));
  _philia_advise_huge_pages (self->neighbors, sizeof (gint32) * MAX (2 * n_pairs, 1));

  pos = g_memdup2 (self->row_offsets, sizeof (gint64) * ((gsize)n + 1));
  for (gint64 p = 0; p < n_pairs; p++)
    {
      gint32 u = (gint32)(items[p] >> 32);
      gint32 v = (gint32)(items[p] & 0xffffffff);

      self->neighbors[pos[u]++] = v;
      self->neighbors[pos[v]++] = u;
    }

  return TRUE;
}

static void
count_components (PhiliaGraph *self)
{
  guint n = self->n;
  g_autofree gint32 *queue = g_new (gint32, MAX (n, 1));
  g_autofree guint8 *seen = g_new0 (guint8, MAX (n, 1));
  PhiliaSanityReport *report = &self->report;

  for (guint s = 0; s < n; s++)
    {
      gint64 head = 0, tail = 0;

      if (self->row_offsets[s + 1] == self->row_offsets[s])
        report->isolated_nodes++;
      if (seen[s])
        continue;

      report->components++;
      seen[s] = 1;
      queue[tail++] = s;
      while (head < tail)
        {
          gint32 v = queue[head++];

          for (gint64 e = self->row_offsets[v]; e < self->row_offsets[v + 1]; e++)
            {
              gint32 w = self->neighbors[e];

              if (!seen[w])
                {
                  seen[w] = 1;
                  queue[tail++] = w;
                }
            }
        }
      report->largest_component = MAX (report->largest_component, tail);
    }
}

static gboolean
take_labels (PhiliaGraph         *self,
             PhiliaGraphBuilder  *builder,
             GError             **error)
{
  gint64 max_label = -1;
  guint n_names = builder->class_names ? g_strv_length (builder->class_names) : 0;

  self->labels = g_new (gint32, MAX (self->n, 1));
  if (builder->labels == NULL)
    {
      for (guint i = 0; i < self->n; i++)
        self->labels[i] = -1;
    }
  else
    {
      if (builder->labels_n != self->n)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("%s: there are labels for %u nodes, but the graph has %u nodes."),
                       builder->source, builder->labels_n, self->n);
          return FALSE;
        }
      for (guint i = 0; i < self->n; i++)
        {
          gint64 y = builder->labels[i];

          if (y > PHILIA_MAX_CLASSES - 1)
            {
              /* The class tables are sized by the largest id: refuse absurd ones. */
              g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                           _ ("%s: node %u has label %" PRId64
                              "; class ids must be below %d."),
                           builder->source, i, y, PHILIA_MAX_CLASSES);
              return FALSE;
            }
          if (y < -1)
            {
              g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                           _ ("%s: node %u has label %" PRId64
                              "; labels must be class ids from 0, or -1 for unlabeled."),
                           builder->source, i, y);
              return FALSE;
            }
          self->labels[i] = (gint32)y;
          max_label = MAX (max_label, y);
        }
    }

  if (n_names > 0 && n_names < max_label + 1)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: %u class names were given for %" PRId64 " classes."),
                   builder->source, n_names, max_label + 1);
      return FALSE;
    }

  self->n_classes = MAX ((guint)(max_label + 1), n_names);
  self->class_sizes = g_new0 (gint64, MAX (self->n_classes, 1));
  for (guint i = 0; i < self->n; i++)
    if (self->labels[i] >= 0)
      {
        self->class_sizes[self->labels[i]]++;
        self->n_labeled++;
      }
  if (n_names > 0)
    self->class_names = g_steal_pointer (&builder->class_names);

  return TRUE;
}

static gboolean
take_features (PhiliaGraph         *self,
               PhiliaGraphBuilder  *builder,
               GError             **error)
{
  gsize total;

  if (builder->features == NULL || builder->n_features == 0)
    return TRUE;

  if (builder->features_n != self->n)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: there are features for %u nodes, but the graph has %u nodes."),
                   builder->source, builder->features_n, self->n);
      return FALSE;
    }

  total = (gsize)self->n * builder->n_features;
  for (gsize start = 0; start < total; start += FINITE_BLOCK)
    {
      const guint32 *bits = (const guint32 *)(builder->features + start);
      guint32 any = 0;

      /* The exponent is all ones exactly for inf and NaN, and then adding one
       * to it carries into bit 31. Only and/add/or over a fixed-size block:
       * the compiler vectorises it even at -O2; the scalar search runs only on
       * a bad block. */
      if (total - start >= FINITE_BLOCK)
        for (gsize i = 0; i < FINITE_BLOCK; i++)
          any |= (bits[i] & 0x7f800000u) + 0x00800000u;
      else
        for (gsize i = 0; i < total - start; i++)
          any |= (bits[i] & 0x7f800000u) + 0x00800000u;
      if (!(any & 0x80000000u))
        continue;
      for (gsize i = start; i < MIN (start + FINITE_BLOCK, total); i++)
        if (!isfinite (builder->features[i]))
          {
            g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                         _ ("%s: node %zu has a non-finite feature value (%g) "
                            "in column %zu."),
                         builder->source, i / builder->n_features, builder->features[i],
                         i % builder->n_features);
            return FALSE;
          }
    }

  self->n_features = builder->n_features;
  /* Mostly zeros (bags of words): kept as CSR, the dense matrix freed. */
  if (_philia_features_to_csr (builder->features, self->n, self->n_features, &self->x_offsets,
                               &self->x_columns, &self->x_values))
    g_clear_pointer (&builder->features, g_free);
  else
    self->features = g_steal_pointer (&builder->features);
  return TRUE;
}

static gboolean
take_masks (PhiliaGraph         *self,
            PhiliaGraphBuilder  *builder,
            GError             **error)
{
  gsize total;

  if (builder->n_splits == 0)
    return TRUE;

  if (builder->masks_n != self->n)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: the split masks cover %u nodes, but the graph has %u nodes."),
                   builder->source, builder->masks_n, self->n);
      return FALSE;
    }

  total = (gsize)builder->n_splits * self->n;
  for (guint part = 0; part < 3; part++)
    {
      g_return_val_if_fail (builder->masks[part] != NULL, FALSE);
      for (gsize i = 0; i < total; i++)
        builder->masks[part][i] = builder->masks[part][i] != 0;
      self->masks[part] = g_steal_pointer (&builder->masks[part]);
    }
  self->n_splits = builder->n_splits;
  return TRUE;
}

static gboolean
take_node_names (PhiliaGraph         *self,
                 PhiliaGraphBuilder  *builder,
                 GError             **error)
{
  guint n_names;

  if (builder->node_names == NULL)
    return TRUE;

  n_names = g_strv_length (builder->node_names);
  if (n_names != self->n)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: there are %u node names for %u nodes."),
                   builder->source, n_names, self->n);
      return FALSE;
    }

  self->name_index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n_names; i++)
    {
      if (!g_hash_table_insert (self->name_index, builder->node_names[i],
                                GUINT_TO_POINTER (i + 1)))
        {
          g_autofree char *shown = _philia_excerpt (builder->node_names[i], -1);

          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("%s: the node name “%s” is used twice."), builder->source, shown);
          return FALSE;
        }
    }
  self->node_names = g_steal_pointer (&builder->node_names);
  return TRUE;
}

/**
 * philia_graph_builder_build:
 * @builder: a builder; it is left empty but must still be freed
 * @error: return location for a #GError
 *
 * Validates what was collected (ids in range, sizes that agree, finite
 * features, unique names) and builds the simple undirected graph with its
 * sanity report. A graph with no nodes is valid here; loaders refuse it.
 * Complexity: O(n + m log d_max) time, O(n + m) extra memory.
 *
 * Returns: (transfer full): the graph, or %NULL with @error set.
 */
PhiliaGraph *
philia_graph_builder_build (PhiliaGraphBuilder  *builder,
                            GError             **error)
{
  g_autoptr(PhiliaGraph) self = NULL;

  g_return_val_if_fail (builder != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (builder->source == NULL)
    builder->source = g_strdup ("graph");

  self = g_object_new (PHILIA_TYPE_GRAPH, NULL);
  self->n = builder->n;
  self->source = g_strdup (builder->source);
  self->format = g_strdup (builder->format ? builder->format : "memory");

  if (!build_adjacency (self, builder, error) ||
      !take_labels (self, builder, error) ||
      !take_features (self, builder, error) ||
      !take_masks (self, builder, error) ||
      !take_node_names (self, builder, error))
    return NULL;

  count_components (self);

  g_clear_pointer (&builder->edges, g_free);
  builder->n_rows = builder->capacity = 0;

  return g_steal_pointer (&self);
}

/* --------------------------------------------------------------- accessors */

guint
philia_graph_get_n_nodes (PhiliaGraph *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), 0);
  return self->n;
}

gint64
philia_graph_get_n_edges (PhiliaGraph *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), 0);
  return self->m;
}

/**
 * philia_graph_get_row_offsets:
 *
 * Returns: n + 1 offsets into philia_graph_get_neighbors(); row v holds v's
 *   neighbours in ascending order, each undirected edge appearing in both rows.
 */
const gint64 *
philia_graph_get_row_offsets (PhiliaGraph *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), NULL);
  return self->row_offsets;
}

const gint32 *
philia_graph_get_neighbors (PhiliaGraph *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), NULL);
  return self->neighbors;
}

guint
philia_graph_get_degree (PhiliaGraph *self,
                         guint        node)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), 0);
  g_return_val_if_fail (node < self->n, 0);
  return (guint)(self->row_offsets[node + 1] - self->row_offsets[node]);
}

/**
 * philia_graph_find_edge:
 *
 * Where @v sits in @u's row of the CSR (rows are sorted): the index into
 * philia_graph_get_neighbors() of the entry (u, v), by bisection.
 *
 * Returns: that index, or -1 if u and v are not adjacent
 */
gint64
philia_graph_find_edge (PhiliaGraph *self,
                        guint        u,
                        guint        v)
{
  gint64 lo, hi;

  g_return_val_if_fail (PHILIA_IS_GRAPH (self), -1);
  g_return_val_if_fail (u < self->n && v < self->n, -1);

  lo = self->row_offsets[u];
  hi = self->row_offsets[u + 1];
  while (lo < hi)
    {
      gint64 mid = lo + (hi - lo) / 2;

      if (self->neighbors[mid] < (gint32) v)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < self->row_offsets[u + 1] && self->neighbors[lo] == (gint32) v ? lo : -1;
}

const gint32 *
philia_graph_get_labels (PhiliaGraph *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), NULL);
  return self->labels;
}

guint
philia_graph_get_n_classes (PhiliaGraph *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), 0);
  return self->n_classes;
}

guint
philia_graph_get_n_labeled (PhiliaGraph *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), 0);
  return self->n_labeled;
}

const gint64 *
philia_graph_get_class_sizes (PhiliaGraph *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), NULL);
  return self->class_sizes;
}

gboolean
philia_graph_has_class_names (PhiliaGraph *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), FALSE);
  return self->class_names != NULL;
}

/**
 * philia_graph_get_class_name:
 *
 * Returns: (nullable): the name the file gave class @klass, or %NULL.
 */
const char *
philia_graph_get_class_name (PhiliaGraph *self,
                             guint        klass)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), NULL);
  g_return_val_if_fail (klass < self->n_classes, NULL);
  return self->class_names ? self->class_names[klass] : NULL;
}

guint
philia_graph_get_n_features (PhiliaGraph *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), 0);
  return self->n_features;
}

/**
 * philia_graph_get_features:
 *
 * A graph whose features are mostly zeros keeps them as CSR; the dense
 * matrix is then made on the first call (O(n × F) once) and kept.
 *
 * Returns: (nullable): n × F floats, row-major; %NULL when F = 0.
 */
G_LOCK_DEFINE_STATIC (dense_features_lock);

const float *
philia_graph_get_features (PhiliaGraph *self)
{
  const float *x;

  g_return_val_if_fail (PHILIA_IS_GRAPH (self), NULL);
  if (self->x_offsets == NULL)
    return self->features;
  /* Made once, on first request, for callers that read the matrix dense;
   * training reads the CSR (_philia_graph_get_sparse_features ()). */
  G_LOCK (dense_features_lock);
  if (self->features == NULL)
    self->features = _philia_features_from_csr (self->x_offsets, self->x_columns, self->x_values,
                                                self->n, self->n_features);
  x = self->features;
  G_UNLOCK (dense_features_lock);
  return x;
}

gboolean
_philia_graph_get_sparse_features (PhiliaGraph   *graph,
                                   const gint64 **offsets,
                                   const gint32 **columns,
                                   const float  **values)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), FALSE);

  if (graph->x_offsets == NULL)
    return FALSE;
  *offsets = graph->x_offsets;
  *columns = graph->x_columns;
  *values = graph->x_values;
  return TRUE;
}

guint
philia_graph_get_n_splits (PhiliaGraph *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), 0);
  return self->n_splits;
}

const guint8 *
philia_graph_get_split_mask (PhiliaGraph     *self,
                             guint            split,
                             PhiliaSplitPart  part)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), NULL);
  g_return_val_if_fail (split < self->n_splits, NULL);
  g_return_val_if_fail (part <= PHILIA_SPLIT_TEST, NULL);
  return self->masks[part] + (gsize)split * self->n;
}

void
philia_graph_get_split_sizes (PhiliaGraph *self,
                              guint        split,
                              gint64      *n_train,
                              gint64      *n_val,
                              gint64      *n_test)
{
  gint64 counts[3] = { 0, 0, 0 };

  g_return_if_fail (PHILIA_IS_GRAPH (self));
  g_return_if_fail (split < self->n_splits);

  for (guint part = 0; part < 3; part++)
    {
      const guint8 *mask = self->masks[part] + (gsize)split * self->n;

      for (guint i = 0; i < self->n; i++)
        counts[part] += mask[i];
    }
  if (n_train)
    *n_train = counts[0];
  if (n_val)
    *n_val = counts[1];
  if (n_test)
    *n_test = counts[2];
}

gboolean
philia_graph_has_node_names (PhiliaGraph *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), FALSE);
  return self->node_names != NULL;
}

const char *
philia_graph_get_node_name (PhiliaGraph *self,
                            guint        node)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), NULL);
  g_return_val_if_fail (node < self->n, NULL);
  return self->node_names ? self->node_names[node] : NULL;
}

/**
 * philia_graph_find_node:
 * @name_or_id: a node name, or a 0-based id
 *
 * Names win over ids when the graph has names. O(1) expected.
 *
 * Returns: the node's index, or -1.
 */
gint64
philia_graph_find_node (PhiliaGraph *self,
                        const char  *name_or_id)
{
  guint64 id;

  g_return_val_if_fail (PHILIA_IS_GRAPH (self), -1);
  g_return_val_if_fail (name_or_id != NULL, -1);

  if (self->name_index != NULL)
    {
      gpointer hit = g_hash_table_lookup (self->name_index, name_or_id);

      if (hit != NULL)
        return GPOINTER_TO_UINT (hit) - 1;
    }
  if (g_ascii_string_to_unsigned (name_or_id, 10, 0, self->n ? self->n - 1 : 0, &id, NULL)
      && self->n > 0)
    return (gint64)id;
  return -1;
}

const PhiliaSanityReport *
philia_graph_get_sanity_report (PhiliaGraph *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), NULL);
  return &self->report;
}

/**
 * philia_graph_get_input_rows:
 * @n_rows: (out): number of rows
 *
 * The edge rows as the file gave them (self-loops, duplicates, orientation
 * kept), for measures computed "as stored" to reproduce published numbers.
 *
 * Returns: 2 × @n_rows node ids, row-major.
 */
const gint32 *
philia_graph_get_input_rows (PhiliaGraph *self,
                             gint64      *n_rows)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), NULL);
  if (n_rows)
    *n_rows = self->report.input_edges;
  return self->input_rows;
}

const char *
philia_graph_get_source (PhiliaGraph *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), NULL);
  return self->source;
}

const char *
philia_graph_get_format (PhiliaGraph *self)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (self), NULL);
  return self->format;
}

/**
 * philia_graph_copy_with_splits:
 * @n_splits: splits in the masks (0: none)
 * @train: (transfer full) (nullable): @n_splits × n, row k = split k; %NULL when @n_splits is 0
 * @val: (transfer full) (nullable): likewise
 * @test: (transfer full) (nullable): likewise
 *
 * A copy of @graph, sanity report and source included, whose split masks are
 * the ones given (any nonzero byte counts as set). The graph itself is
 * immutable, so new splits make a new graph. O(n·F + m + n_splits·n).
 *
 * Returns: (transfer full): the copy
 */
PhiliaGraph *
philia_graph_copy_with_splits (PhiliaGraph *self,
                               guint        n_splits,
                               guint8      *train,
                               guint8      *val,
                               guint8      *test)
{
  PhiliaGraph *copy;
  guint8 *masks[3] = { train, val, test };
  gsize n;

  g_return_val_if_fail (PHILIA_IS_GRAPH (self), NULL);
  g_return_val_if_fail (n_splits == 0 || (train != NULL && val != NULL && test != NULL), NULL);

  n = self->n;
  copy = g_object_new (PHILIA_TYPE_GRAPH, NULL);
  copy->n = self->n;
  copy->m = self->m;
  copy->row_offsets = g_memdup2 (self->row_offsets, sizeof (gint64) * (n + 1));
  copy->neighbors = g_memdup2 (self->neighbors, sizeof (gint32) * MAX (2 * self->m, 1));
  copy->input_rows = g_memdup2 (self->input_rows,
                                sizeof (gint32) * 2 * MAX (self->report.input_edges, 1));
  copy->labels = g_memdup2 (self->labels, sizeof (gint32) * MAX (n, 1));
  copy->n_classes = self->n_classes;
  copy->n_labeled = self->n_labeled;
  copy->class_sizes = g_memdup2 (self->class_sizes, sizeof (gint64) * MAX (self->n_classes, 1));
  copy->class_names = g_strdupv (self->class_names);
  copy->n_features = self->n_features;
  if (self->x_offsets != NULL)
    {
      gsize nnz = (gsize)self->x_offsets[n];

      copy->x_offsets = g_memdup2 (self->x_offsets, sizeof (gint64) * ((gsize)n + 1));
      copy->x_columns = g_memdup2 (self->x_columns, sizeof (gint32) * MAX (nnz, 1));
      copy->x_values = g_memdup2 (self->x_values, sizeof (float) * MAX (nnz, 1));
    }
  else if (self->features != NULL)
    copy->features = g_memdup2 (self->features, sizeof (float) * n * self->n_features);
  copy->n_splits = n_splits;
  for (guint part = 0; part < 3; part++)
    {
      if (n_splits == 0)
        {
          g_free (masks[part]);
          continue;
        }
      for (gsize i = 0; i < n_splits * n; i++)
        masks[part][i] = masks[part][i] != 0;
      copy->masks[part] = masks[part];
    }
  copy->node_names = g_strdupv (self->node_names);
  if (copy->node_names != NULL)
    {
      copy->name_index = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < n; i++)
        g_hash_table_insert (copy->name_index, copy->node_names[i], GUINT_TO_POINTER (i + 1));
    }
  copy->report = self->report;
  copy->source = g_strdup (self->source);
  copy->format = g_strdup (self->format);
  return copy;
}

/**
 * philia_graph_copy_with_features:
 * @features: (transfer full) (nullable): n × @n_features, row-major
 * @n_features: columns (0: a featureless copy)
 *
 * A copy of @graph with its features replaced (a feature set picked for a
 * model or a measure); everything else, splits included, is kept.
 *
 * Returns: (transfer full): the copy
 */
PhiliaGraph *
philia_graph_copy_with_features (PhiliaGraph *self,
                                 float       *features,
                                 guint        n_features)
{
  guint8 *masks[3] = { NULL, NULL, NULL };
  PhiliaGraph *copy;

  g_return_val_if_fail (PHILIA_IS_GRAPH (self), NULL);
  g_return_val_if_fail (n_features == 0 || features != NULL, NULL);

  for (guint part = 0; part < 3 && self->n_splits > 0; part++)
    {
      gsize size = (gsize)self->n_splits * self->n;

      masks[part] = g_malloc0 (MAX (size, 1));
      if (size > 0)
        memcpy (masks[part], self->masks[part], size);
    }
  copy = philia_graph_copy_with_splits (self, self->n_splits, masks[0], masks[1], masks[2]);
  g_clear_pointer (&copy->features, g_free);
  g_clear_pointer (&copy->x_offsets, g_free);
  g_clear_pointer (&copy->x_columns, g_free);
  g_clear_pointer (&copy->x_values, g_free);
  copy->n_features = n_features;
  copy->features = n_features > 0 ? features : NULL;
  if (n_features == 0)
    g_free (features);
  return copy;
}
