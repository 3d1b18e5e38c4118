/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "philia-import-private.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "philia-igraph-private.h"

/*
 * GraphML, GML, Pajek and edge lists are parsed by igraph, on the igraph
 * thread. That thread only parses and copies the edge list and the vertex
 * attributes out into plain arrays (ReadJob); deciding what the attributes
 * mean (names, labels, features) happens back on the caller's thread, so the
 * shared igraph thread is busy no longer than it must be.
 */

/* Class ids beyond this are refused: the class tables are dense. */
#define MAX_CLASS_ID G_MAXUINT16

typedef enum
{
  ATTR_NUMERIC,
  ATTR_STRING,
} AttrKind;

typedef struct
{
  char     *name;
  AttrKind  kind;
  double   *numbers;     /* n, for ATTR_NUMERIC (booleans become 0 / 1) */
  char    **strings;     /* n + 1, NULL-terminated, for ATTR_STRING */
} VertexAttr;

typedef struct
{
  /* In */
  const char     *data;
  gsize           size;
  PhiliaFormat    format;
  const char     *display_name;
  PhiliaProgress *progress;

  /* Out */
  gint64          n;
  gboolean        directed;
  gint64         *edges;       /* 2 × n_rows */
  gsize           n_rows;
  GPtrArray      *attrs;       /* VertexAttr */
} ReadJob;

static void
vertex_attr_free (VertexAttr *attr)
{
  g_free (attr->name);
  g_free (attr->numbers);
  g_strfreev (attr->strings);
  g_free (attr);
}

static const char *
format_title (PhiliaFormat format)
{
  switch (format)
    {
    case PHILIA_FORMAT_GRAPHML:  return "GraphML";
    case PHILIA_FORMAT_GML:      return "GML";
    case PHILIA_FORMAT_PAJEK:    return "Pajek";
    case PHILIA_FORMAT_EDGELIST: return "the edge list";
    case PHILIA_FORMAT_AUTO:
    case PHILIA_FORMAT_NPZ:
    default:                     return "the file";
    }
}

/* ------------------------------------------------------------ igraph thread */

static gboolean
copy_numeric_attr (const igraph_t  *graph,
                   const char      *context,
                   VertexAttr      *attr,
                   gboolean         boolean,
                   GError         **error)
{
  igraph_integer_t n = igraph_vcount (graph);
  igraph_error_t code;

  attr->kind = ATTR_NUMERIC;
  attr->numbers = g_new (double, MAX (n, 1));

  if (boolean)
    {
      igraph_vector_bool_t values;

      if (!_philia_igraph_check (igraph_vector_bool_init (&values, n), context, error))
        return FALSE;
      code = igraph_cattribute_VABV (graph, attr->name, igraph_vss_all (), &values);
      if (code == IGRAPH_SUCCESS)
        for (igraph_integer_t v = 0; v < n; v++)
          attr->numbers[v] = VECTOR (values)[v] ? 1.0 : 0.0;
      igraph_vector_bool_destroy (&values);
    }
  else
    {
      igraph_vector_t values;

      if (!_philia_igraph_check (igraph_vector_init (&values, n), context, error))
        return FALSE;
      code = igraph_cattribute_VANV (graph, attr->name, igraph_vss_all (), &values);
      if (code == IGRAPH_SUCCESS)
        for (igraph_integer_t v = 0; v < n; v++)
          attr->numbers[v] = VECTOR (values)[v];
      igraph_vector_destroy (&values);
    }

  return _philia_igraph_check (code, context, error);
}

static gboolean
copy_string_attr (const igraph_t  *graph,
                  const char      *context,
                  VertexAttr      *attr,
                  GError         **error)
{
  igraph_integer_t n = igraph_vcount (graph);
  igraph_strvector_t values;
  igraph_error_t code;

  attr->kind = ATTR_STRING;
  if (!_philia_igraph_check (igraph_strvector_init (&values, n), context, error))
    return FALSE;
  code = igraph_cattribute_VASV (graph, attr->name, igraph_vss_all (), &values);
  if (code == IGRAPH_SUCCESS)
    {
      attr->strings = g_new0 (char *, n + 1);
      for (igraph_integer_t v = 0; v < n; v++)
        {
          const char *value = igraph_strvector_get (&values, v);

          /* GML and Pajek strings are whatever bytes the file held. */
          attr->strings[v] = g_utf8_validate (value, -1, NULL) ? g_strdup (value)
                                                               : g_utf8_make_valid (value, -1);
        }
    }
  igraph_strvector_destroy (&values);

  return _philia_igraph_check (code, context, error);
}

static gboolean
copy_attrs (const igraph_t  *graph,
            ReadJob         *job,
            const char      *context,
            GError         **error)
{
  igraph_strvector_t names;
  igraph_vector_int_t types;
  igraph_error_t code;
  gboolean ok = TRUE;

  if (!_philia_igraph_check (igraph_strvector_init (&names, 0), context, error))
    return FALSE;
  code = igraph_vector_int_init (&types, 0);
  if (code != IGRAPH_SUCCESS)
    {
      igraph_strvector_destroy (&names);
      return _philia_igraph_check (code, context, error);
    }

  code = igraph_cattribute_list (graph, NULL, NULL, &names, &types, NULL, NULL);
  ok = _philia_igraph_check (code, context, error);

  for (igraph_integer_t i = 0; ok && i < igraph_strvector_size (&names); i++)
    {
      VertexAttr *attr = g_new0 (VertexAttr, 1);

      attr->name = g_strdup (igraph_strvector_get (&names, i));
      g_ptr_array_add (job->attrs, attr);

      switch (VECTOR (types)[i])
        {
        case IGRAPH_ATTRIBUTE_NUMERIC:
          ok = copy_numeric_attr (graph, context, attr, FALSE, error);
          break;
        case IGRAPH_ATTRIBUTE_BOOLEAN:
          ok = copy_numeric_attr (graph, context, attr, TRUE, error);
          break;
        case IGRAPH_ATTRIBUTE_STRING:
          ok = copy_string_attr (graph, context, attr, error);
          break;
        default:
          g_debug ("%s: ignoring vertex attribute “%s” of igraph type %d",
                   job->display_name, attr->name, (int)VECTOR (types)[i]);
          g_ptr_array_remove_index (job->attrs, job->attrs->len - 1);
          break;
        }
    }

  igraph_vector_int_destroy (&types);
  igraph_strvector_destroy (&names);
  return ok;
}

static gboolean
copy_graph (const igraph_t  *graph,
            ReadJob         *job,
            const char      *context,
            GError         **error)
{
  igraph_vector_int_t edges;
  igraph_error_t code;
  gsize n_rows = (gsize)igraph_ecount (graph);

  job->n = igraph_vcount (graph);
  job->directed = igraph_is_directed (graph);

  if (!_philia_igraph_check (igraph_vector_int_init (&edges, 0), context, error))
    return FALSE;
  code = igraph_get_edgelist (graph, &edges, FALSE);
  if (code == IGRAPH_SUCCESS)
    {
      job->edges = g_new (gint64, 2 * MAX (n_rows, 1));
      for (gsize i = 0; i < 2 * n_rows; i++)
        job->edges[i] = VECTOR (edges)[i];
      job->n_rows = n_rows;
    }
  igraph_vector_int_destroy (&edges);
  if (!_philia_igraph_check (code, context, error))
    return FALSE;

  if (job->progress != NULL)
    philia_progress_update (job->progress, 0.6, NULL);

  return copy_attrs (graph, job, context, error);
}

/* Runs on the igraph thread. */
static gboolean
read_on_igraph_thread (gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  ReadJob *job = data;
  g_autofree char *context = NULL;
  igraph_t graph;
  igraph_error_t code;
  FILE *stream;
  gboolean ok;

  context = g_strdup_printf ("%s: cannot parse %s", job->display_name,
                             format_title (job->format));

  /* Only read from: the cast drops const for fmemopen's prototype. */
  stream = fmemopen ((void *)job->data, job->size, "r");
  if (stream == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FAILED,
                   _ ("%s: cannot open the data in memory: %s."),
                   job->display_name, g_strerror (saved_errno));
      return FALSE;
    }

  switch (job->format)
    {
    case PHILIA_FORMAT_GRAPHML:
      code = igraph_read_graph_graphml (&graph, stream, 0);
      break;
    case PHILIA_FORMAT_GML:
      code = igraph_read_graph_gml (&graph, stream);
      break;
    case PHILIA_FORMAT_PAJEK:
      code = igraph_read_graph_pajek (&graph, stream);
      break;
    case PHILIA_FORMAT_EDGELIST:
      /* Directed, so igraph keeps each row's orientation for the sanity report. */
      code = igraph_read_graph_ncol (&graph, stream, NULL, TRUE, IGRAPH_ADD_WEIGHTS_NO, TRUE);
      break;
    case PHILIA_FORMAT_AUTO:
    case PHILIA_FORMAT_NPZ:
    default:
      g_assert_not_reached ();
    }
  fclose (stream);

  /* On failure igraph has already destroyed the half-built graph. */
  if (!_philia_igraph_check (code, context, error))
    {
      /* Whatever igraph's reader rejects (a vertex id out of range, say) is a
       * malformed file; only running out of memory is something else. */
      if (error != NULL && *error != NULL && (*error)->domain == PHILIA_ERROR
          && ((*error)->code == PHILIA_ERROR_IGRAPH || (*error)->code == PHILIA_ERROR_INVALID))
        (*error)->code = PHILIA_ERROR_FORMAT;
      return FALSE;
    }

  ok = copy_graph (&graph, job, context, error);
  igraph_destroy (&graph);
  return ok;
}

typedef struct
{
  const char *digits;     /* without leading zeros (but one digit at least) */
  gsize       len;
  gint64      old_index;
} IntName;

/* By value: digit strings without leading zeros compare by length, then bytes. */
static int
compare_int_names (const void *a,
                   const void *b)
{
  const IntName *x = a, *y = b;
  int c;

  if (x->len != y->len)
    return x->len < y->len ? -1 : 1;
  c = memcmp (x->digits, y->digits, x->len);
  if (c != 0)
    return c;
  return x->old_index < y->old_index ? -1 : x->old_index > y->old_index;
}

/*
 * NCOL numbers nodes in order of appearance; integer ids read better in
 * order of value (of any length: they are compared as digit strings). Two
 * spellings of one number ("7" and "007") would be two nodes: refused.
 */
static gboolean
order_integer_names (ReadJob  *job,
                     GError  **error)
{
  VertexAttr *names = NULL;
  g_autofree IntName *order = NULL;
  g_autofree gint64 *new_index = NULL;
  char **sorted;

  for (guint i = 0; i < job->attrs->len; i++)
    {
      VertexAttr *attr = job->attrs->pdata[i];

      if (g_str_equal (attr->name, "name") && attr->kind == ATTR_STRING)
        names = attr;
    }
  if (names == NULL || job->n == 0)
    return TRUE;

  order = g_new (IntName, job->n);
  for (gint64 v = 0; v < job->n; v++)
    {
      const char *name = names->strings[v];
      gsize len = strlen (name);

      if (!_philia_edge_list_is_integer_id (name, len))
        return TRUE;
      while (len > 1 && name[0] == '0')
        name++, len--;
      order[v].digits = name;
      order[v].len = len;
      order[v].old_index = v;
    }
  qsort (order, job->n, sizeof *order, compare_int_names);

  for (gint64 r = 1; r < job->n; r++)
    if (order[r].len == order[r - 1].len
        && memcmp (order[r].digits, order[r - 1].digits, order[r].len) == 0)
      {
        g_autofree char *a = _philia_excerpt (names->strings[order[r - 1].old_index], -1);
        g_autofree char *b = _philia_excerpt (names->strings[order[r].old_index], -1);

        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                     _ ("%s: the node ids “%s” and “%s” are the same number written two ways; "
                        "write each id one way."), job->display_name, a, b);
        return FALSE;
      }

  new_index = g_new (gint64, job->n);
  sorted = g_new0 (char *, job->n + 1);
  for (gint64 r = 0; r < job->n; r++)
    {
      new_index[order[r].old_index] = r;
      sorted[r] = names->strings[order[r].old_index];
    }
  g_free (names->strings);
  names->strings = sorted;

  for (gsize i = 0; i < 2 * job->n_rows; i++)
    job->edges[i] = new_index[job->edges[i]];
  return TRUE;
}

/* ------------------------------------------------------------- attributes */

static VertexAttr *
find_attr (ReadJob    *job,
           const char *name)
{
  for (guint i = 0; i < job->attrs->len; i++)
    {
      VertexAttr *attr = job->attrs->pdata[i];

      if (g_str_equal (attr->name, name))
        return attr;
    }
  return NULL;
}

/* TRUE if every value is non-empty and no two are equal. */
static gboolean
strings_are_unique (char  **strings,
                    gint64  n)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (gint64 v = 0; v < n; v++)
    {
      if (strings[v] == NULL || strings[v][0] == '\0')
        return FALSE;
      if (!g_hash_table_add (seen, strings[v]))
        return FALSE;
    }
  return TRUE;
}

static char *
describe_node (char       **names,
               gint64       v)
{
  if (names != NULL)
    {
      g_autofree char *shown = _philia_excerpt (names[v], -1);

      return g_strdup_printf ("node “%s”", shown);
    }
  return g_strdup_printf ("node %" G_GINT64_FORMAT, v);
}

/* Gephi writes the display name as a string `label`, one per node. */
static gboolean
is_display_label (ReadJob    *job,
                  VertexAttr *attr)
{
  return attr != NULL && attr->kind == ATTR_STRING && g_str_equal (attr->name, "label")
         && strings_are_unique (attr->strings, job->n);
}

/*
 * igraph names GraphML nodes by their id attributes as libxml2 hands them
 * over, and libxml2 keeps an & in an attribute value (written &amp; or &#38;)
 * as "&#38;" while every other reference is replaced. Since a bare & cannot
 * occur there, each "&#38;" is exactly one &. (A data key named "id" would
 * take the place of the ids; a literal "&#38;" in its text is the one thing
 * read wrong here.)
 */
static char **
graphml_ids (char **ids)
{
  guint n = g_strv_length (ids);
  char **out = g_new0 (char *, n + 1);

  for (guint v = 0; v < n; v++)
    out[v] = _philia_graphml_unescape_id (ids[v]);
  return out;
}

static char **
choose_node_names (ReadJob *job)
{
  static const char * const sources[] = { "name", "id", "label" };
  VertexAttr *id;

  for (gsize i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      VertexAttr *attr = find_attr (job, sources[i]);

      if (attr == NULL || attr->kind != ATTR_STRING)
        continue;
      if (g_str_equal (sources[i], "label") && !is_display_label (job, attr))
        continue;
      if (!strings_are_unique (attr->strings, job->n))
        {
          g_debug ("%s: vertex attribute “%s” is empty or repeated for some nodes; "
                   "not using it as node names", job->display_name, attr->name);
          continue;
        }
      if (job->format == PHILIA_FORMAT_GRAPHML && g_str_equal (sources[i], "id"))
        return graphml_ids (attr->strings);
      return g_strdupv (attr->strings);
    }

  /* GML ids are numbers; as names they let a node table refer to them. */
  id = find_attr (job, "id");
  if (id != NULL && id->kind == ATTR_NUMERIC)
    {
      g_auto(GStrv) names = g_new0 (char *, job->n + 1);

      for (gint64 v = 0; v < job->n; v++)
        {
          double x = id->numbers[v];

          if (!isfinite (x) || x != floor (x) || fabs (x) > 1e15)
            return NULL;
          names[v] = g_strdup_printf ("%.0f", x);
        }
      if (strings_are_unique (names, job->n))
        return g_steal_pointer (&names);
      g_debug ("%s: numeric node ids repeat; not using them as node names",
               job->display_name);
    }

  return NULL;
}

static VertexAttr *
choose_label_attr (ReadJob *job)
{
  static const char * const candidates[] = {
    "label", "y", "class", "club", "community", "group", "value",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      VertexAttr *attr = find_attr (job, candidates[i]);
      VertexAttr *x;

      if (attr == NULL)
        continue;
      if (is_display_label (job, attr))
        {
          g_debug ("%s: “label” holds a distinct string per node: a display name, "
                   "not a class", job->display_name);
          continue;
        }
      /* Pajek, and Gephi's GraphML, store node positions as x and y. */
      x = find_attr (job, "x");
      if (g_str_equal (attr->name, "y") && attr->kind == ATTR_NUMERIC
          && x != NULL && x->kind == ATTR_NUMERIC)
        {
          g_debug ("%s: “y” next to “x” is a coordinate, not a class", job->display_name);
          continue;
        }
      return attr;
    }
  return NULL;
}

static gboolean
numeric_labels (ReadJob      *job,
                VertexAttr   *attr,
                char        **names,
                gint64       *labels,
                GError      **error)
{
  for (gint64 v = 0; v < job->n; v++)
    {
      double y = attr->numbers[v];

      if (isnan (y) || y == -1.0)
        labels[v] = -1;
      else if (y >= 0 && y == floor (y) && y <= MAX_CLASS_ID)
        labels[v] = (gint64)y;
      else
        {
          g_autofree char *node = describe_node (names, v);

          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("%s: %s has %s “%g” in attribute “%s”; labels must be class ids "
                          "(integers from 0 to %u) or -1 for unlabeled."),
                       job->display_name, node,
                       y > MAX_CLASS_ID && y == floor (y) ? "the too large value" : "the value",
                       y, attr->name, (guint)MAX_CLASS_ID);
          return FALSE;
        }
    }
  return TRUE;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return g_strcmp0 (*(char * const *)a, *(char * const *)b);
}

/* Each distinct non-empty value is a class; classes are numbered in sorted order. */
static char **
string_labels (char   **values,
               gint64   n,
               gint64  *labels)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) classes = g_ptr_array_new ();

  for (gint64 v = 0; v < n; v++)
    if (values[v] != NULL && values[v][0] != '\0' && g_hash_table_add (index, values[v]))
      g_ptr_array_add (classes, values[v]);

  /* No values at all leaves pdata NULL, which qsort() must not be given. */
  if (classes->len > 1)
    qsort (classes->pdata, classes->len, sizeof (gpointer), compare_strings);
  for (guint c = 0; c < classes->len; c++)
    g_hash_table_insert (index, classes->pdata[c], GUINT_TO_POINTER (c + 1));

  for (gint64 v = 0; v < n; v++)
    labels[v] = values[v] != NULL && values[v][0] != '\0'
                ? (gint64)GPOINTER_TO_UINT (g_hash_table_lookup (index, values[v])) - 1
                : -1;

  g_ptr_array_add (classes, NULL);
  return g_strdupv ((char **)classes->pdata);
}

/* Feature attributes: feat_<k>, f<k> or x<k>, all of one scheme, ordered by k. */
typedef struct
{
  guint64     k;
  VertexAttr *attr;
} FeatureAttr;

static int
compare_feature_attrs (const void *a,
                       const void *b)
{
  const FeatureAttr *x = a, *y = b;

  if (x->k != y->k)
    return x->k < y->k ? -1 : 1;
  return strcmp (x->attr->name, y->attr->name);
}

static GArray *
collect_feature_attrs (ReadJob *job)
{
  static const char * const prefixes[] = { "feat_", "f", "x" };

  for (gsize s = 0; s < G_N_ELEMENTS (prefixes); s++)
    {
      g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (FeatureAttr));
      gsize plen = strlen (prefixes[s]);

      for (guint i = 0; i < job->attrs->len; i++)
        {
          VertexAttr *attr = job->attrs->pdata[i];
          const char *digits = attr->name + plen;
          FeatureAttr feature = { 0, attr };

          if (attr->kind != ATTR_NUMERIC || !g_str_has_prefix (attr->name, prefixes[s])
              || !g_ascii_isdigit (*digits)
              || !g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT64, &feature.k, NULL))
            continue;
          g_array_append_val (found, feature);
        }
      if (found->len > 0)
        {
          g_array_sort (found, compare_feature_attrs);
          return g_steal_pointer (&found);
        }
    }
  return NULL;
}

static gboolean
take_features (ReadJob             *job,
               PhiliaGraphBuilder  *builder,
               char               **names,
               GError             **error)
{
  g_autoptr(GArray) columns = collect_feature_attrs (job);
  g_autofree float *features = NULL;
  guint n_features;

  if (columns == NULL)
    return TRUE;

  n_features = columns->len;
  if ((guint64)job->n > G_MAXSIZE / sizeof (float) / n_features)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: %" PRId64 " nodes × %u features do not fit in memory."),
                   job->display_name, job->n, n_features);
      return FALSE;
    }

  features = g_new (float, MAX ((gsize)job->n * n_features, 1));
  for (guint j = 0; j < n_features; j++)
    {
      VertexAttr *attr = g_array_index (columns, FeatureAttr, j).attr;

      for (gint64 v = 0; v < job->n; v++)
        {
          double x = attr->numbers[v];

          if (!isfinite (x) || fabs (x) > G_MAXFLOAT)
            {
              g_autofree char *node = describe_node (names, v);

              g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                           isnan (x)
                           ? "%s: %s has no value for the feature attribute “%s”."
                           : "%s: %s has an out-of-range value for the feature attribute “%s”.",
                           job->display_name, node, attr->name);
              return FALSE;
            }
          features[(gsize)v * n_features + j] = (float)x;
        }
    }

  philia_graph_builder_take_features (builder, g_steal_pointer (&features), n_features);
  return TRUE;
}

static PhiliaGraphBuilder *
fill_builder (ReadJob  *job,
              GError  **error)
{
  g_autoptr(PhiliaGraphBuilder) builder = NULL;
  g_auto(GStrv) names = NULL;
  VertexAttr *label_attr;

  if (job->n > G_MAXINT32)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   _ ("%s: %" PRId64 " nodes are more than Philia supports."),
                   job->display_name, job->n);
      return NULL;
    }

  if (job->format == PHILIA_FORMAT_EDGELIST && !order_integer_names (job, error))
    return NULL;

  builder = philia_graph_builder_new ((guint)job->n);
  philia_graph_builder_set_declared_directed (builder,
                                              job->format != PHILIA_FORMAT_EDGELIST
                                              && job->directed);
  /* As read: the builder counts self-loops, duplicates and reciprocal rows. */
  philia_graph_builder_take_edges (builder, g_steal_pointer (&job->edges), job->n_rows);
  job->n_rows = 0;

  names = choose_node_names (job);

  label_attr = choose_label_attr (job);
  if (label_attr != NULL)
    {
      g_autofree gint64 *labels = g_new (gint64, MAX (job->n, 1));

      if (label_attr->kind == ATTR_NUMERIC)
        {
          if (!numeric_labels (job, label_attr, names, labels, error))
            return NULL;
        }
      else
        {
          char **class_names = string_labels (label_attr->strings, job->n, labels);

          if (g_strv_length (class_names) > MAX_CLASS_ID + 1u)
            {
              g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                           _ ("%s: the attribute “%s” has %u distinct values; at most %u "
                              "classes are supported."), job->display_name, label_attr->name,
                           g_strv_length (class_names), MAX_CLASS_ID + 1u);
              g_strfreev (class_names);
              return NULL;
            }
          philia_graph_builder_take_class_names (builder, class_names);
        }
      g_debug ("%s: labels from the vertex attribute “%s”",
               job->display_name, label_attr->name);
      philia_graph_builder_take_labels (builder, g_steal_pointer (&labels));
    }

  if (!take_features (job, builder, names, error))
    return NULL;

  if (names != NULL)
    philia_graph_builder_take_node_names (builder, g_steal_pointer (&names));

  return g_steal_pointer (&builder);
}

/**
 * _philia_igraph_read_graph:
 * @bytes: the whole file
 * @display_name: named in every error
 * @format: GraphML, GML, Pajek or an edge list
 *
 * Parses with igraph (on the igraph thread) and fills a builder: the edge rows
 * as read, declared directedness, node names, labels and features from vertex
 * attributes. Complexity: O(n A + m) for A vertex attributes, plus
 * O(n log n) to order integer ids of an edge list.
 *
 * Returns: (transfer full): a builder, or %NULL with @error set.
 */
PhiliaGraphBuilder *
_philia_igraph_read_graph (GBytes          *bytes,
                           const char      *display_name,
                           PhiliaFormat     format,
                           PhiliaProgress  *progress,
                           GCancellable    *cancellable,
                           GError         **error)
{
  g_autoptr(GString) normalized = NULL;
  g_autoptr(GPtrArray) attrs = NULL;
  PhiliaGraphBuilder *builder = NULL;
  ReadJob job = { 0 };
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (format == PHILIA_FORMAT_GRAPHML || format == PHILIA_FORMAT_GML
                        || format == PHILIA_FORMAT_PAJEK || format == PHILIA_FORMAT_EDGELIST,
                        NULL);

  data = g_bytes_get_data (bytes, &size);
  if (!_philia_import_check_limits (data, size, format, display_name, error))
    return NULL;
  if (format == PHILIA_FORMAT_EDGELIST)
    {
      normalized = _philia_edge_list_normalize (data, size, display_name, error);
      if (normalized == NULL)
        return NULL;
      data = normalized->str;
      size = normalized->len;
    }

  if (size == 0)
    {
      /* fmemopen refuses empty buffers; an edge list of comments has no nodes. */
      if (format == PHILIA_FORMAT_EDGELIST)
        return philia_graph_builder_new (0);
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s is empty (0 bytes)."), display_name);
      return NULL;
    }

  /* igraph 0.10 refuses GML edges naming unknown ids itself, but without
   * saying which edge or id; this check names them, so it comes first. */
  if (format == PHILIA_FORMAT_GML
      && !_philia_gml_check_references (data, size, display_name, error))
    return NULL;

  if (progress != NULL)
    philia_progress_update (progress, 0.05, NULL);

  attrs = g_ptr_array_new_with_free_func ((GDestroyNotify)vertex_attr_free);
  job.data = data;
  job.size = size;
  job.format = format;
  job.display_name = display_name;
  job.progress = progress;
  job.attrs = attrs;

  /* igraph's GraphML reader adds a node for an edge end it has not seen
   * declared; what it read is checked against the file's own <node>s. */
  if (_philia_igraph_call (read_on_igraph_thread, &job, cancellable, error)
      && (format != PHILIA_FORMAT_GRAPHML
          || _philia_graphml_check_references (data, size, job.n, display_name, error)))
    {
      if (progress != NULL)
        philia_progress_update (progress, 0.8, NULL);
      builder = fill_builder (&job, error);
    }
  /* NULL once the builder has taken the rows. */
  g_free (job.edges);

  return builder;
}
