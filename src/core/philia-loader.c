/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "philia-core.h"
#include "philia-enums.h"
#include "philia-import-private.h"

const char *
philia_format_to_string (PhiliaFormat format)
{
  const char *nick = philia_enum_to_nick (PHILIA_TYPE_FORMAT, format);

  return nick != NULL ? nick : "auto";
}

static gboolean
starts_with_ci (const char *s,
                gsize       len,
                const char *prefix)
{
  gsize plen = strlen (prefix);

  return len >= plen && g_ascii_strncasecmp (s, prefix, plen) == 0;
}

/**
 * philia_format_detect:
 * @file_name: (nullable): used when the content does not decide
 * @head: the first bytes of the file
 *
 * A zip signature always means .npz; a known extension comes next (so a text
 * file named `x.npz` is read as .npz and refused as "not a zip archive", which
 * is what its owner needs to hear); then the content decides; the fallback is
 * an edge list.
 */
PhiliaFormat
philia_format_detect (const char   *file_name,
                      const guint8 *head,
                      gsize         head_len)
{
  const char *text = (const char *)head;
  gsize len = head_len;

  if (len >= 4 && memcmp (head, "PK", 2) == 0 && head[2] < 9 && head[3] < 9)
    return PHILIA_FORMAT_NPZ;

  if (file_name != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (file_name, -1);

      if (g_str_has_suffix (lower, ".npz"))
        return PHILIA_FORMAT_NPZ;
      if (g_str_has_suffix (lower, ".graphml") || g_str_has_suffix (lower, ".xml"))
        return PHILIA_FORMAT_GRAPHML;
      if (g_str_has_suffix (lower, ".gml"))
        return PHILIA_FORMAT_GML;
      if (g_str_has_suffix (lower, ".net") || g_str_has_suffix (lower, ".paj")
          || g_str_has_suffix (lower, ".pajek"))
        return PHILIA_FORMAT_PAJEK;
      if (g_str_has_suffix (lower, ".txt") || g_str_has_suffix (lower, ".edges")
          || g_str_has_suffix (lower, ".el") || g_str_has_suffix (lower, ".csv")
          || g_str_has_suffix (lower, ".tsv") || g_str_has_suffix (lower, ".edgelist")
          || g_str_has_suffix (lower, ".ncol"))
        return PHILIA_FORMAT_EDGELIST;
    }

  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    text += 3, len -= 3;
  while (len > 0 && g_ascii_isspace (*text))
    text++, len--;

  if (starts_with_ci (text, len, "<?xml") || starts_with_ci (text, len, "<graphml"))
    return PHILIA_FORMAT_GRAPHML;
  if (starts_with_ci (text, len, "*vertices") || starts_with_ci (text, len, "*network"))
    return PHILIA_FORMAT_PAJEK;
  if (starts_with_ci (text, len, "graph") || starts_with_ci (text, len, "creator")
      || starts_with_ci (text, len, "version"))
    {
      const char *bracket = memchr (text, '[', len);

      if (bracket != NULL)
        return PHILIA_FORMAT_GML;
    }

  return PHILIA_FORMAT_EDGELIST;
}

static GBytes *
read_whole_file (GFile         *file,
                 const char    *display_name,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  char *contents = NULL;
  gsize length = 0;

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO,
                     _ ("%s: no such file."), display_name);
      else
        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO,
                     _ ("%s: cannot be read: %s."), display_name, local_error->message);
      return NULL;
    }

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO,
                   _ ("%s is a folder, not a dataset file."), display_name);
      return NULL;
    }

  /* Local files are mapped, not copied: a 100 MB .npz costs no extra memory. */
  path = g_file_get_path (file);
  if (path != NULL)
    {
      g_autoptr(GMappedFile) mapped = NULL;

      mapped = g_mapped_file_new (path, FALSE, &local_error);
      if (mapped == NULL)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO,
                       _ ("%s: cannot be read: %s."), display_name, local_error->message);
          return NULL;
        }
      return g_mapped_file_get_bytes (mapped);
    }

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO,
                     _ ("%s: cannot be read: %s."), display_name, local_error->message);
      return NULL;
    }
  return g_bytes_new_take (contents, length);
}

static PhiliaGraph *
load_bytes (GBytes          *bytes,
            const char      *display_name,
            PhiliaFormat     format,
            GFile           *node_table,
            PhiliaProgress  *progress,
            GCancellable    *cancellable,
            GError         **error)
{
  g_autoptr(PhiliaGraphBuilder) builder = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (size == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s is empty (0 bytes)."), display_name);
      return NULL;
    }

  if (format == PHILIA_FORMAT_AUTO)
    format = philia_format_detect (display_name, data, MIN (size, 512));

  if (progress != NULL)
    philia_progress_update (progress, 0.0, display_name);

  if (format == PHILIA_FORMAT_NPZ)
    builder = _philia_npz_read_graph (bytes, display_name, progress, cancellable, error);
  else
    builder = _philia_igraph_read_graph (bytes, display_name, format, progress,
                                         cancellable, error);
  if (builder == NULL)
    return NULL;

  if (node_table != NULL)
    {
      g_autofree char *table_name = g_file_get_basename (node_table);
      g_autoptr(GBytes) table = NULL;

      table = read_whole_file (node_table, table_name, cancellable, error);
      if (table == NULL)
        return NULL;
      if (!_philia_node_table_apply (builder, table, table_name, error))
        return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (philia_graph_builder_get_n_nodes (builder) == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_EMPTY,
                   _ ("%s: the graph has no nodes."), display_name);
      return NULL;
    }

  if (_philia_graph_builder_get_n_labels (builder) == 0 && node_table == NULL)
    g_debug ("%s: no labels; every node is unlabeled", display_name);

  philia_graph_builder_set_source (builder, display_name, philia_format_to_string (format));
  graph = philia_graph_builder_build (builder, error);
  if (graph == NULL)
    return NULL;

  if (progress != NULL)
    philia_progress_update (progress, 1.0, NULL);

  return g_steal_pointer (&graph);
}

/**
 * philia_graph_load_bytes:
 * @bytes: the whole file
 * @display_name: the name errors and the UI use
 * @format: or %PHILIA_FORMAT_AUTO to detect it
 *
 * Like philia_graph_load() for data already in memory (the bundled dataset).
 */
PhiliaGraph *
philia_graph_load_bytes (GBytes          *bytes,
                         const char      *display_name,
                         PhiliaFormat     format,
                         PhiliaProgress  *progress,
                         GCancellable    *cancellable,
                         GError         **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (progress == NULL || PHILIA_IS_PROGRESS (progress), NULL);

  return load_bytes (bytes, display_name, format, NULL, progress, cancellable, error);
}

PhiliaGraph *
philia_graph_load (GFile           *file,
                   GFile           *node_table,
                   PhiliaProgress  *progress,
                   GCancellable    *cancellable,
                   GError         **error)
{
  g_autofree char *display_name = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (node_table == NULL || G_IS_FILE (node_table), NULL);
  g_return_val_if_fail (progress == NULL || PHILIA_IS_PROGRESS (progress), NULL);

  display_name = g_file_get_basename (file);
  if (display_name == NULL)
    display_name = g_file_get_parse_name (file);

  bytes = read_whole_file (file, display_name, cancellable, error);
  if (bytes == NULL)
    return NULL;

  return load_bytes (bytes, display_name, PHILIA_FORMAT_AUTO, node_table, progress,
                     cancellable, error);
}

/* A file (and its node table), or bytes already in memory. */
typedef struct
{
  GFile          *file;
  GFile          *node_table;
  GBytes         *bytes;
  char           *display_name;
  PhiliaFormat    format;
  PhiliaProgress *progress;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->file);
  g_clear_object (&data->node_table);
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_free (data->display_name);
  g_clear_object (&data->progress);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  PhiliaGraph *graph;

  if (data->bytes != NULL)
    graph = philia_graph_load_bytes (data->bytes, data->display_name, data->format,
                                     data->progress, cancellable, &error);
  else
    graph = philia_graph_load (data->file, data->node_table, data->progress, cancellable,
                               &error);
  if (graph == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, graph, g_object_unref);
}

/**
 * philia_graph_load_async:
 *
 * Loads on a worker thread; @progress (created on the calling thread) is
 * updated as the file is read. Cancel with @cancellable.
 */
void
philia_graph_load_async (GFile               *file,
                         GFile               *node_table,
                         PhiliaProgress      *progress,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (node_table == NULL || G_IS_FILE (node_table));
  g_return_if_fail (progress == NULL || PHILIA_IS_PROGRESS (progress));

  data = g_new0 (LoadData, 1);
  data->file = g_object_ref (file);
  data->node_table = node_table ? g_object_ref (node_table) : NULL;
  data->progress = progress ? g_object_ref (progress) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, philia_graph_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify)load_data_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * philia_graph_load_bytes_async:
 *
 * philia_graph_load_bytes() on a worker thread (the bundled dataset); finish
 * with philia_graph_load_finish().
 */
void
philia_graph_load_bytes_async (GBytes              *bytes,
                               const char          *display_name,
                               PhiliaFormat         format,
                               PhiliaProgress      *progress,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (bytes != NULL);
  g_return_if_fail (display_name != NULL);
  g_return_if_fail (progress == NULL || PHILIA_IS_PROGRESS (progress));

  data = g_new0 (LoadData, 1);
  data->bytes = g_bytes_ref (bytes);
  data->display_name = g_strdup (display_name);
  data->format = format;
  data->progress = progress ? g_object_ref (progress) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, philia_graph_load_bytes_async);
  g_task_set_task_data (task, data, (GDestroyNotify)load_data_free);
  g_task_run_in_thread (task, load_thread);
}

/* Finishes philia_graph_load_async() and philia_graph_load_bytes_async(). */
PhiliaGraph *
philia_graph_load_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
