/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

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
                   "%s: cannot open the data in memory: %s.",
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

/* ------------------------------------------------------------- edge lists */

static gboolean
is_number (const char *token)
{
  char *end = NULL;

  if (*token == '\0')
    return FALSE;
  (void)g_ascii_strtod (token, &end);
  return end != NULL && *end == '\0';
}

/* Column names that head edge lists, in the pairs they come in. */
static gboolean
is_header_pair (const char *a,
                gsize       a_len,
                const char *b,
                gsize       b_len)
{
  static const char * const pairs[][2] = {
    { "source", "target" }, { "src", "dst" }, { "from", "to" }, { "u", "v" },
    { "node1", "node2" }, { "node_1", "node_2" }, { "id1", "id2" },
    { "source_id", "target_id" }, { "head", "tail" }, { "tail", "head" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (pairs); i++)
    if (a_len == strlen (pairs[i][0]) && g_ascii_strncasecmp (a, pairs[i][0], a_len) == 0
        && b_len == strlen (pairs[i][1]) && g_ascii_strncasecmp (b, pairs[i][1], b_len) == 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  const char *start;
  gsize       len;
} Token;

static gboolean
is_separator (char c)
{
  return c == ' ' || c == '\t' || c == ',' || c == '\r';
}

/* The next token at or after *@p, split on runs of spaces, tabs and commas,
 * "quotes" dropped; FALSE at the end of the line. */
static gboolean
next_token (const char **p,
            const char  *end,
            Token       *token)
{
  const char *q = *p;
  const char *start;

  while (q < end && is_separator (*q))
    q++;
  if (q >= end)
    return FALSE;
  start = q;
  while (q < end && !is_separator (*q))
    q++;
  token->start = start;
  token->len = q - start;
  if (token->len >= 2 && start[0] == '"' && q[-1] == '"')
    {
      token->start++;
      token->len -= 2;
    }
  *p = q;
  return TRUE;
}

/* The first two tokens of a line. Returns how many were found (0, 1 or 2). */
static guint
line_tokens (const char *p,
             const char *end,
             Token       tokens[2])
{
  guint found = 0;

  while (found < 2 && next_token (&p, end, &tokens[found]))
    found++;
  return found;
}

static gboolean
token_is (const Token *token,
          gboolean   (*predicate) (const char *))
{
  g_autofree char *text = g_strndup (token->start, token->len);

  return predicate (text);
}

/* An id that is a number: ASCII digits and nothing else (no sign, point or
 * exponent), of any length. */
static gboolean
is_integer_id (const char *start,
               gsize       len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (start[i]))
      return FALSE;
  return TRUE;
}

/* @len bytes (-1: up to a NUL) as a message may quote them: at most 40
 * characters, control characters as spaces (_philia_excerpt). */
static char *
token_for_message (const char *start,
                   gssize      len)
{
  return _philia_excerpt (start, len);
}

/* The first id of each kind an edge list holds, and how many of each. */
typedef struct
{
  guint64 count[2];       /* names, integers */
  guint   line[2];        /* where the first of each kind is */
  Token   first[2];
} IdKinds;

static void
append_row (GString     *out,
            const Token  tokens[2],
            guint        line,
            IdKinds     *kinds)
{
  for (guint i = 0; i < 2; i++)
    {
      guint kind = is_integer_id (tokens[i].start, tokens[i].len);

      if (kinds->count[kind]++ == 0)
        {
          kinds->line[kind] = line;
          kinds->first[kind] = tokens[i];
        }
    }
  g_string_append_len (out, tokens[0].start, tokens[0].len);
  g_string_append_c (out, ' ');
  g_string_append_len (out, tokens[1].start, tokens[1].len);
  g_string_append_c (out, '\n');
}

/* Integer ids are numbered in order of value, names in order of appearance;
 * a file with both would be read as names, "1" and "one" alike, so it is
 * refused, naming the first id of the rarer kind (the later kind on a tie). */
static gboolean
check_id_kinds (const IdKinds  *kinds,
                const char     *display_name,
                GError        **error)
{
  guint odd;
  g_autofree char *token = NULL;
  g_autofree char *other = NULL;

  if (kinds->count[0] == 0 || kinds->count[1] == 0)
    return TRUE;

  if (kinds->count[0] != kinds->count[1])
    odd = kinds->count[0] < kinds->count[1] ? 0 : 1;
  else
    odd = kinds->first[0].start > kinds->first[1].start ? 0 : 1;
  token = token_for_message (kinds->first[odd].start, kinds->first[odd].len);
  other = token_for_message (kinds->first[!odd].start, kinds->first[!odd].len);
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
               odd == 0
               ? "%s: line %u has the node id “%s” among integer ids (like “%s” on line %u); "
                 "node ids must be all integers, written in digits only, or all names."
               : "%s: line %u has the integer node id “%s” among names (like “%s” on line %u); "
                 "node ids must be all integers, written in digits only, or all names.",
               display_name, kinds->line[odd], token, other, kinds->line[!odd]);
  return FALSE;
}

/* The fields of one line, split as line_tokens() splits them. */
static GPtrArray *
line_fields (const char *p,
             const char *end)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  Token token;

  while (next_token (&p, end, &token))
    g_ptr_array_add (fields, g_strndup (token.start, token.len));
  return fields;
}

static gboolean
name_in (const char          *name,
         const char * const  *choices)
{
  for (gsize i = 0; choices[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, choices[i]) == 0)
      return TRUE;
  return FALSE;
}

/*
 * Refuses a first row that shows the file is not an edge list Philia reads
 * right: the header of a CSV node table ("id,label,f0,…": an id column the
 * node-table reader accepts, no column named like an edge end, and a label
 * column or at least three columns), or a header whose source and target
 * columns are not the first two ("id,source,target").
 */
static gboolean
check_first_row (const char  *start,
                 const char  *end,
                 guint        line,
                 const char  *display_name,
                 GError     **error)
{
  static const char * const id_columns[] = { "id", "node", "name", NULL };
  static const char * const label_columns[] = { "label", "y", "class", NULL };
  static const char * const edge_columns[] = {
    "source", "target", "src", "dst", "from", "to", "u", "v", "head", "tail", "node1",
    "node2", "node_1", "node_2", "id1", "id2", "source_id", "target_id", "neighbor",
    "neighbour", NULL,
  };
  g_autoptr(GPtrArray) fields = line_fields (start, end);
  gboolean edge_column = FALSE;
  gboolean label_column = FALSE;

  if (fields->len < 2)
    return TRUE;

  for (guint c = 1; c + 1 < fields->len; c++)
    {
      const char *a = fields->pdata[c], *b = fields->pdata[c + 1];

      if (is_header_pair (a, strlen (a), b, strlen (b)))
        {
          g_autofree char *a_text = token_for_message (a, strlen (a));
          g_autofree char *b_text = token_for_message (b, strlen (b));

          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                       "%s: the header on line %u has “%s” and “%s” in columns %u and %u, "
                       "but an edge list’s node ids must be its first two columns.",
                       display_name, line, a_text, b_text, c + 1, c + 2);
          return FALSE;
        }
    }

  if (!name_in (fields->pdata[0], id_columns))
    return TRUE;
  for (guint c = 0; c < fields->len; c++)
    {
      edge_column = edge_column || name_in (fields->pdata[c], edge_columns);
      label_column = label_column || (c > 0 && name_in (fields->pdata[c], label_columns));
    }
  if (!edge_column && (label_column || fields->len >= 3))
    {
      g_autofree char *header = token_for_message (start, end - start);
      g_autofree char *base = g_path_get_basename (display_name);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   "%s is a node table (header “%s”), not a graph: open the graph file "
                   "with this table as its node table (--nodes %s on the command line, or "
                   "Open with Node Table… in the app).", display_name, g_strchomp (header),
                   base);
      return FALSE;
    }
  return TRUE;
}

/*
 * Rewrites an edge list into what igraph's NCOL reader takes ("a b" per line),
 * in one pass: comment lines (# or %) and blank lines go, a header row goes,
 * commas and tabs become spaces, columns after the second (weights, times)
 * are ignored. A header is a first row of two non-numbers above a row of two
 * numbers, or a pair of names headers use ("source,target", "from to", "u v").
 * Refused: a node table's header, a header whose ids are not its first two
 * columns, and ids of both kinds (integers and names).
 */
static GString *
normalize_edge_list (const char  *data,
                     gsize        size,
                     const char  *display_name,
                     GError     **error)
{
  g_autoptr(GString) out = g_string_sized_new (size + 16);
  const char *p = data;
  const char *end = data + size;
  const char *bad;
  Token first[2] = { { 0 } };
  IdKinds kinds = { { 0 } };
  guint first_line = 0;
  guint n_rows = 0;
  guint line_no = 0;

  if (size == 0)
    return g_steal_pointer (&out);   /* and @data may be NULL */

  if (!g_utf8_validate (data, size, &bad))
    {
      guint line = 1;

      for (const char *q = data; q < bad; q++)
        line += *q == '\n';
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   "%s: line %u is not UTF-8 text%s.", display_name, line,
                   *bad == '\0' ? " (it holds a NUL byte: is this a binary file?)" : "");
      return NULL;
    }

  if (size >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *line_end = eol ? eol : end;
      const char *s = p;
      Token tokens[2];
      guint found;

      line_no++;
      p = eol ? eol + 1 : end;

      while (s < line_end && (*s == ' ' || *s == '\t' || *s == '\r'))
        s++;
      if (s == line_end || *s == '#' || *s == '%')
        continue;

      if (n_rows == 0 && !check_first_row (s, line_end, line_no, display_name, error))
        return NULL;

      found = line_tokens (s, line_end, tokens);
      if (found == 0)
        continue;   /* only commas: the empty row of a spreadsheet */
      if (found < 2 || tokens[0].len == 0 || tokens[1].len == 0)
        {
          if (found < 2)
            {
              g_autofree char *token = token_for_message (tokens[0].start, tokens[0].len);

              g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                           "%s: line %u has one column (“%s”); an edge list needs two "
                           "node ids per line.", display_name, line_no, token);
            }
          else
            g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                         "%s: line %u has an empty node id.", display_name, line_no);
          return NULL;
        }

      /* igraph's lexer takes O(L²) time over an id of L bytes (philia-import-limits.c). */
      if (MAX (tokens[0].len, tokens[1].len) > PHILIA_IMPORT_MAX_TOKEN)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                       "%s: line %u has a node id of %" G_GSIZE_FORMAT " bytes; Philia reads "
                       "node ids of at most 1 MiB (%u bytes).", display_name, line_no,
                       MAX (tokens[0].len, tokens[1].len), (guint)PHILIA_IMPORT_MAX_TOKEN);
          return NULL;
        }

      n_rows++;
      if (n_rows == 1)
        {
          /* Held back until the next row shows whether it is a header. */
          first[0] = tokens[0];
          first[1] = tokens[1];
          first_line = line_no;
          continue;
        }
      if (n_rows == 2)
        {
          gboolean header = !token_is (&first[0], is_number) && !token_is (&first[1], is_number)
                            && ((token_is (&tokens[0], is_number)
                                 && token_is (&tokens[1], is_number))
                                || is_header_pair (first[0].start, first[0].len,
                                                   first[1].start, first[1].len));

          if (header)
            g_debug ("%s: line %u is a header", display_name, first_line);
          else
            append_row (out, first, first_line, &kinds);
        }
      append_row (out, tokens, line_no, &kinds);
    }

  /* A single row: a header only if it is spelled like one. */
  if (n_rows == 1 && !is_header_pair (first[0].start, first[0].len, first[1].start, first[1].len))
    append_row (out, first, first_line, &kinds);

  if (!check_id_kinds (&kinds, display_name, error))
    return NULL;

  return g_steal_pointer (&out);
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

      if (!is_integer_id (name, len))
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
        g_autofree char *a = token_for_message (names->strings[order[r - 1].old_index], -1);
        g_autofree char *b = token_for_message (names->strings[order[r].old_index], -1);

        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                     "%s: the node ids “%s” and “%s” are the same number written two ways; "
                     "write each id one way.", job->display_name, a, b);
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
                       "%s: %s has %s “%g” in attribute “%s”; labels must be class ids "
                       "(integers from 0 to %u) or -1 for unlabeled.",
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
                   "%s: %" G_GINT64_FORMAT " nodes × %u features do not fit in memory.",
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
                   "%s: %" G_GINT64_FORMAT " nodes are more than Philia supports.",
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
                           "%s: the attribute “%s” has %u distinct values; at most %u "
                           "classes are supported.", job->display_name, label_attr->name,
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
      normalized = normalize_edge_list (data, size, display_name, error);
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
                   "%s is empty (0 bytes).", display_name);
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
