/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "philia-import-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * A CSV node table: a header row whose first column is the node id ("id",
 * "node" or "name"), an optional label column ("label", "y" or "class"), and
 * numeric feature columns, in order. Fields follow RFC 4180 (double quotes,
 * "" for a quote, CRLF or LF); a UTF-8 BOM and blank lines are ignored. A
 * tab-separated file is accepted when its header has tabs and no commas.
 */

/* Class ids beyond this are refused: the class tables are dense. */
#define MAX_CLASS_ID G_MAXUINT16

typedef struct
{
  guint      line;     /* where the record starts, from 1 */
  GPtrArray *fields;   /* char * */
} Record;

static void
record_clear (Record *record)
{
  g_clear_pointer (&record->fields, g_ptr_array_unref);
}

typedef struct
{
  const char *p;
  const char *end;
  guint       line;
  char        delimiter;
} Reader;

static gboolean
at_eol (Reader *reader)
{
  return reader->p >= reader->end || *reader->p == '\n' || *reader->p == '\r';
}

static void
skip_eol (Reader *reader)
{
  if (reader->p < reader->end && *reader->p == '\r')
    reader->p++;
  if (reader->p < reader->end && *reader->p == '\n')
    reader->p++;
  reader->line++;
}

static gboolean
is_blank (char c,
          char delimiter)
{
  return (c == ' ' || c == '\t') && c != delimiter;
}

/* Reads one field; leaves the reader on the delimiter, the line end or EOF. */
static char *
read_field (Reader      *reader,
            const char  *display_name,
            GError     **error)
{
  const char *start;
  const char *stop;

  while (reader->p < reader->end && is_blank (*reader->p, reader->delimiter))
    reader->p++;

  if (reader->p < reader->end && *reader->p == '"')
    {
      g_autoptr(GString) value = g_string_new (NULL);
      guint open_line = reader->line;

      reader->p++;
      for (;;)
        {
          if (reader->p >= reader->end)
            {
              g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                           _ ("%s: the quoted field opened on line %u is never closed."),
                           display_name, open_line);
              return NULL;
            }
          if (*reader->p == '"')
            {
              if (reader->p + 1 < reader->end && reader->p[1] == '"')
                {
                  g_string_append_c (value, '"');
                  reader->p += 2;
                  continue;
                }
              reader->p++;
              break;
            }
          if (*reader->p == '\n')
            reader->line++;
          g_string_append_c (value, *reader->p++);
        }

      while (reader->p < reader->end && is_blank (*reader->p, reader->delimiter))
        reader->p++;
      if (!at_eol (reader) && *reader->p != reader->delimiter)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                       _ ("%s: line %u has text after a closing quote."),
                       display_name, reader->line);
          return NULL;
        }
      return g_string_free (g_steal_pointer (&value), FALSE);
    }

  start = reader->p;
  while (!at_eol (reader) && *reader->p != reader->delimiter)
    reader->p++;
  stop = reader->p;
  while (stop > start && is_blank (stop[-1], reader->delimiter))
    stop--;
  return g_strndup (start, stop - start);
}

static GArray *
read_records (const char  *data,
              gsize        size,
              const char  *display_name,
              GError     **error)
{
  g_autoptr(GArray) records = g_array_new (FALSE, TRUE, sizeof (Record));
  Reader reader = { data, NULL, 1, ',' };
  const char *eol;

  g_array_set_clear_func (records, (GDestroyNotify)record_clear);

  if (size == 0)
    return g_steal_pointer (&records);   /* and @data may be NULL: no NULL + 0 */
  reader.end = data + size;
  if (size >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    reader.p += 3;

  eol = memchr (reader.p, '\n', reader.end - reader.p);
  if (eol == NULL)
    eol = reader.end;
  if (memchr (reader.p, ',', eol - reader.p) == NULL
      && memchr (reader.p, '\t', eol - reader.p) != NULL)
    reader.delimiter = '\t';

  while (reader.p < reader.end)
    {
      Record record = { reader.line, g_ptr_array_new_with_free_func (g_free) };

      for (;;)
        {
          char *field = read_field (&reader, display_name, error);

          if (field == NULL)
            {
              record_clear (&record);
              return NULL;
            }
          g_ptr_array_add (record.fields, field);
          if (at_eol (&reader))
            break;
          reader.p++;   /* the delimiter */
        }
      skip_eol (&reader);

      if (record.fields->len == 1 && *(const char *)record.fields->pdata[0] == '\0')
        record_clear (&record);   /* a blank line */
      else
        g_array_append_val (records, record);
    }

  return g_steal_pointer (&records);
}

static const char *
field (Record *record,
       guint   column)
{
  return record->fields->pdata[column];
}

static gboolean
parse_double (const char *text,
              double     *value)
{
  char *end = NULL;

  if (*text == '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0' && isfinite (*value);
}

static gboolean
column_is (const char *name,
           const char * const *choices)
{
  for (gsize i = 0; choices[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, choices[i]) == 0)
      return TRUE;
  return FALSE;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return g_strcmp0 (*(char * const *)a, *(char * const *)b);
}

/* Maps each row to a node index, adding nodes for ids the graph lacks. */
static gboolean
resolve_ids (PhiliaGraphBuilder  *builder,
             GArray              *records,
             const char          *display_name,
             gboolean             has_label_column,
             guint                n_features,
             gint64              *node_of_row,
             GError             **error)
{
  const char * const *names = _philia_graph_builder_get_node_names (builder);
  guint n = philia_graph_builder_get_n_nodes (builder);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) row_of_node = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) new_names = g_ptr_array_new ();
  guint64 n_new = 0;
  guint64 matched = 0;
  guint64 max_id = 0;
  guint first_new_line = 0;

  if (names != NULL)
    for (guint v = 0; v < n; v++)
      g_hash_table_insert (index, (gpointer)names[v], GUINT_TO_POINTER (v + 1));

  for (guint r = 1; r < records->len; r++)
    {
      Record *record = &g_array_index (records, Record, r);
      const char *id = field (record, 0);
      gint64 node;
      gpointer first_row;

      if (*id == '\0')
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("%s: line %u has an empty id."), display_name, record->line);
          return FALSE;
        }

      if (names != NULL)
        {
          gpointer found = g_hash_table_lookup (index, id);

          if (found != NULL)
            {
              node = GPOINTER_TO_UINT (found) - 1;
              if (node < n)
                matched++;
            }
          else
            {
              node = (gint64)n + new_names->len;
              g_ptr_array_add (new_names, (gpointer)id);
              g_hash_table_insert (index, (gpointer)id, GUINT_TO_POINTER (node + 1));
              if (first_new_line == 0)
                first_new_line = record->line;
            }
        }
      else
        {
          guint64 value;

          if (id[0] == '+' || id[0] == '-'
              || !g_ascii_string_to_unsigned (id, 10, 0, G_MAXINT32 - 1, &value, NULL))
            {
              g_autofree char *shown = _philia_excerpt (id, -1);

              g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                           _ ("%s: line %u: the id “%s” is not a node number; the graph has "
                              "no node names, so ids must be integers from 0."),
                           display_name, record->line, shown);
              return FALSE;
            }
          node = (gint64)value;
          if (value >= n)
            {
              max_id = MAX (max_id, value);
              if (first_new_line == 0)
                first_new_line = record->line;
            }
        }

      node_of_row[r] = node;
      first_row = g_hash_table_lookup (row_of_node, &node_of_row[r]);
      if (first_row != NULL)
        {
          Record *first = &g_array_index (records, Record, GPOINTER_TO_UINT (first_row));
          g_autofree char *shown = _philia_excerpt (id, -1);

          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_DUPLICATE,
                       _ ("%s: line %u repeats the id “%s” of line %u."),
                       display_name, record->line, shown, first->line);
          return FALSE;
        }
      g_hash_table_insert (row_of_node, &node_of_row[r], GUINT_TO_POINTER (r));
      if (names == NULL && node >= n)
        n_new++;
    }

  if (names != NULL)
    {
      n_new = new_names->len;
      /* Integer ids against a graph with names that are not integers. */
      if (n > 0 && n_new > 0 && matched == 0)
        {
          g_autofree char *shown = _philia_excerpt (names[0], -1);

          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("%s: none of its ids is a node of the graph (whose nodes are "
                          "named like “%s”)."), display_name, shown);
          return FALSE;
        }
    }
  else if (n_new > 0 && max_id >= n + n_new)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: the id %" PRIu64 " leaves a gap after the graph’s %u "
                      "nodes; new nodes must be numbered on from %u."),
                   display_name, max_id, n, n);
      return FALSE;
    }

  if (n_new == 0)
    return TRUE;

  if (n_new > (guint64)(G_MAXINT32 - n))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   _ ("%s: adding %" PRIu64 " nodes makes more than Philia supports."),
                   display_name, n_new);
      return FALSE;
    }
  /* The graph's own labels and features cannot be read back to extend them. */
  if ((_philia_graph_builder_has_labels (builder) && !has_label_column)
      || (_philia_graph_builder_has_features (builder) && n_features == 0))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: line %u adds a node that is not in the graph, but the table has no "
                      "%s to replace the graph’s own."), display_name, first_new_line,
                   (_philia_graph_builder_has_labels (builder) && !has_label_column)
                   ? "label column" : "feature columns");
      return FALSE;
    }

  g_debug ("%s: adding %" G_GUINT64_FORMAT " isolated nodes that are not in the graph",
           display_name, n_new);
  philia_graph_builder_add_nodes (builder, (guint)n_new);

  if (names != NULL)
    {
      char **extended = g_new0 (char *, (gsize)n + n_new + 1);

      for (guint v = 0; v < n; v++)
        extended[v] = g_strdup (names[v]);
      for (guint i = 0; i < new_names->len; i++)
        extended[n + i] = g_strdup (new_names->pdata[i]);
      philia_graph_builder_take_node_names (builder, extended);
    }

  return TRUE;
}

static gboolean
apply_labels (PhiliaGraphBuilder  *builder,
              GArray              *records,
              const char          *display_name,
              guint                column,
              const gint64        *node_of_row,
              GError             **error)
{
  guint n = philia_graph_builder_get_n_nodes (builder);
  g_autofree gint64 *labels = g_new (gint64, MAX (n, 1));
  guint64 kinds[2] = { 0, 0 };   /* text, numbers */
  guint first_row[2] = { 0, 0 };
  gboolean numeric;
  char **class_names = NULL;

  for (guint v = 0; v < n; v++)
    labels[v] = -1;

  /* Class ids or class names, not both: "0, 1, x" would make "0" and "1"
   * names too, silently. The first label of the rarer kind is named. */
  for (guint r = 1; r < records->len; r++)
    {
      const char *cell = field (&g_array_index (records, Record, r), column);
      double value;
      guint kind;

      if (*cell == '\0')
        continue;
      kind = parse_double (cell, &value);
      if (kinds[kind]++ == 0)
        first_row[kind] = r;
    }
  numeric = kinds[0] == 0;
  if (kinds[0] > 0 && kinds[1] > 0)
    {
      guint odd = kinds[0] != kinds[1] ? kinds[0] > kinds[1] : first_row[0] < first_row[1];
      Record *at = &g_array_index (records, Record, first_row[odd]);
      Record *like = &g_array_index (records, Record, first_row[!odd]);
      /* A quoted cell may hold a line break: the message stays one line. */
      g_autofree char *shown_at = _philia_excerpt (field (at, column), -1);
      g_autofree char *shown_like = _philia_excerpt (field (like, column), -1);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   odd == 0
                   ? _ ("%s: line %u has the label “%s” among class ids (like “%s” on line %u); "
                        "labels must be all class ids or all class names.")
                   : _ ("%s: line %u has the class id “%s” among class names (like “%s” on line "
                        "%u); labels must be all class ids or all class names."),
                   display_name, at->line, shown_at, shown_like, like->line);
      return FALSE;
    }

  if (numeric)
    {
      for (guint r = 1; r < records->len; r++)
        {
          Record *record = &g_array_index (records, Record, r);
          const char *cell = field (record, column);
          double value = -1;

          if (*cell == '\0' || (parse_double (cell, &value) && value == -1.0))
            continue;
          if (value < 0 || value != floor (value) || value > MAX_CLASS_ID)
            {
              g_autofree char *shown = _philia_excerpt (cell, -1);

              g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                           _ ("%s: line %u has the label “%s”; labels must be class ids "
                              "(integers from 0 to %u), class names, or empty or -1 for "
                              "unlabeled."),
                           display_name, record->line, shown, (guint)MAX_CLASS_ID);
              return FALSE;
            }
          labels[node_of_row[r]] = (gint64)value;
        }
    }
  else
    {
      g_autoptr(GHashTable) class_of = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) classes = g_ptr_array_new ();

      for (guint r = 1; r < records->len; r++)
        {
          const char *cell = field (&g_array_index (records, Record, r), column);

          if (*cell != '\0' && g_hash_table_add (class_of, (gpointer)cell))
            g_ptr_array_add (classes, (gpointer)cell);
        }
      if (classes->len > MAX_CLASS_ID + 1u)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("%s: the label column has %u distinct values; at most %u classes "
                          "are supported."), display_name, classes->len, MAX_CLASS_ID + 1u);
          return FALSE;
        }
      qsort (classes->pdata, classes->len, sizeof (gpointer), compare_strings);
      for (guint c = 0; c < classes->len; c++)
        g_hash_table_insert (class_of, classes->pdata[c], GUINT_TO_POINTER (c + 1));

      for (guint r = 1; r < records->len; r++)
        {
          const char *cell = field (&g_array_index (records, Record, r), column);

          if (*cell != '\0')
            labels[node_of_row[r]] = GPOINTER_TO_UINT (g_hash_table_lookup (class_of, cell)) - 1;
        }
      g_ptr_array_add (classes, NULL);
      class_names = g_strdupv ((char **)classes->pdata);
    }

  if (_philia_graph_builder_has_labels (builder))
    g_debug ("%s: the node table’s labels replace the labels from the graph file",
             display_name);

  philia_graph_builder_take_labels (builder, g_steal_pointer (&labels));
  /* Clears class names from the graph file when the table has numeric labels. */
  philia_graph_builder_take_class_names (builder, class_names);
  return TRUE;
}

static gboolean
apply_features (PhiliaGraphBuilder  *builder,
                GArray              *records,
                const char          *display_name,
                const guint         *columns,
                guint                n_features,
                const gint64        *node_of_row,
                GError             **error)
{
  guint n = philia_graph_builder_get_n_nodes (builder);
  Record *header = &g_array_index (records, Record, 0);
  g_autofree float *features = NULL;

  if ((gsize)MAX (n, 1) > G_MAXSIZE / sizeof (float) / n_features)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: %u nodes × %u features do not fit in memory."),
                   display_name, n, n_features);
      return FALSE;
    }
  features = g_new0 (float, (gsize)MAX (n, 1) * n_features);

  for (guint r = 1; r < records->len; r++)
    {
      Record *record = &g_array_index (records, Record, r);

      for (guint j = 0; j < n_features; j++)
        {
          const char *cell = field (record, columns[j]);
          double value;

          if (!parse_double (cell, &value) || fabs (value) > G_MAXFLOAT)
            {
              g_autofree char *name = _philia_excerpt (field (header, columns[j]), -1);
              g_autofree char *shown = _philia_excerpt (cell, -1);

              g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                           _ ("%s: line %u, column %u (“%s”): “%s” is not a finite number."),
                           display_name, record->line, columns[j] + 1, name, shown);
              return FALSE;
            }
          features[(gsize)node_of_row[r] * n_features + j] = (float)value;
        }
    }

  if (_philia_graph_builder_has_features (builder))
    g_debug ("%s: the node table’s features replace the features from the graph file",
             display_name);

  philia_graph_builder_take_features (builder, g_steal_pointer (&features), n_features);
  return TRUE;
}

/**
 * _philia_node_table_apply:
 * @builder: what the graph file gave
 * @bytes: the CSV table
 * @display_name: named in every error
 *
 * Matches rows to nodes by name (or by 0-based index when the graph has no
 * names); ids the graph lacks become isolated nodes. The table's labels and
 * features replace the graph file's; nodes missing from the table are
 * unlabeled with zero features. Complexity: O(size of the table + n).
 *
 * Returns: %TRUE, or %FALSE with @error set (the builder may then be partly
 *   changed and should be dropped).
 */
gboolean
_philia_node_table_apply (PhiliaGraphBuilder  *builder,
                          GBytes              *bytes,
                          const char          *display_name,
                          GError             **error)
{
  static const char * const id_names[] = { "id", "node", "name", NULL };
  static const char * const label_names[] = { "label", "y", "class", NULL };
  g_autoptr(GArray) records = NULL;
  g_autofree gint64 *node_of_row = NULL;
  g_autofree guint *feature_columns = NULL;
  Record *header;
  guint n_columns;
  guint label_column = 0;
  guint n_features = 0;
  const char *data;
  const char *bad;
  gsize size = 0;

  g_return_val_if_fail (builder != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (display_name != NULL, FALSE);

  data = g_bytes_get_data (bytes, &size);
  if (size > 0 && !g_utf8_validate (data, size, &bad))
    {
      guint line = 1;

      for (const char *q = data; q < bad; q++)
        line += *q == '\n';
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s: line %u is not UTF-8 text."), display_name, line);
      return FALSE;
    }

  records = read_records (data, size, display_name, error);
  if (records == NULL)
    return FALSE;

  if (records->len == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s is empty; a node table needs a header row such as “id,label”."),
                   display_name);
      return FALSE;
    }

  header = &g_array_index (records, Record, 0);
  n_columns = header->fields->len;
  if (!column_is (field (header, 0), id_names))
    {
      g_autofree char *shown = _philia_excerpt (field (header, 0), -1);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s: the first line must be a header whose first column is “id” "
                      "(or “node” or “name”), not “%s”."), display_name, shown);
      return FALSE;
    }

  feature_columns = g_new (guint, MAX (n_columns, 1));
  for (guint c = 1; c < n_columns; c++)
    {
      if (label_column == 0 && column_is (field (header, c), label_names))
        label_column = c;
      else
        feature_columns[n_features++] = c;
    }

  for (guint r = 1; r < records->len; r++)
    {
      Record *record = &g_array_index (records, Record, r);

      if (record->fields->len != n_columns)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                       _ ("%s: line %u has %u fields, but the header has %u."),
                       display_name, record->line, record->fields->len, n_columns);
          return FALSE;
        }
    }

  node_of_row = g_new0 (gint64, records->len);
  if (!resolve_ids (builder, records, display_name, label_column != 0, n_features,
                    node_of_row, error))
    return FALSE;

  if (label_column != 0
      && !apply_labels (builder, records, display_name, label_column, node_of_row, error))
    return FALSE;

  if (n_features > 0
      && !apply_features (builder, records, display_name, feature_columns, n_features,
                          node_of_row, error))
    return FALSE;

  return TRUE;
}
