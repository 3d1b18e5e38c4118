/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "philia-import-private.h"

#include <stdlib.h>
#include <string.h>

/*
 * Edge-list text made into what igraph's edge-list readers take (philia-
 * import-igraph.c): tokens, a header row told from data, and ids of one
 * kind. Plain text work on the caller's thread; igraph is not involved.
 */

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
gboolean
_philia_edge_list_is_integer_id (const char *start,
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
      guint kind = _philia_edge_list_is_integer_id (tokens[i].start, tokens[i].len);

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
                       _ ("%s: the header on line %u has “%s” and “%s” in columns %u and %u, "
                          "but an edge list’s node ids must be its first two columns."),
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
                   _ ("%s is a node table (header “%s”), not a graph: open the graph file "
                      "with this table as its node table (--nodes %s on the command line, or "
                      "Open with Node Table… in the app)."), display_name, g_strchomp (header),
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
GString *
_philia_edge_list_normalize (const char  *data,
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
                   _ ("%s: line %u is not UTF-8 text%s."), display_name, line,
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
                           _ ("%s: line %u has one column (“%s”); an edge list needs two "
                              "node ids per line."), display_name, line_no, token);
            }
          else
            g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                         _ ("%s: line %u has an empty node id."), display_name, line_no);
          return NULL;
        }

      /* igraph's lexer takes O(L²) time over an id of L bytes (philia-import-limits.c). */
      if (MAX (tokens[0].len, tokens[1].len) > PHILIA_IMPORT_MAX_TOKEN)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                       _ ("%s: line %u has a node id of %zu bytes; Philia reads "
                          "node ids of at most 1 MiB (%u bytes)."), display_name, line_no,
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
