/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "philia-import-private.h"

#include <math.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>

/*
 * Edges that name a node the file never declares. igraph's GraphML reader
 * quietly adds a node for such an id (an unknown one, or target=""), so the
 * graph gains a node and a wrong edge; its GML reader refuses them, but
 * without saying which edge or id. These checks find the first such edge in
 * file order and name it: "edge 3 (line 12) names node “zzz” as its target,
 * which the file does not declare". Edges may come before the nodes they name
 * (both formats allow it), so ends are judged against every declared node.
 *
 * Each check reads the file as igraph does and keeps no verdict on anything
 * igraph itself refuses (malformed XML, a GML syntax error): igraph's own
 * message says what is wrong there. Time and memory are linear in the file.
 */

typedef struct
{
  guint64  edge;      /* 1-based, in file order */
  guint64  line;
  gboolean target;    /* else the source */
  gboolean nested;    /* declared only in a graph nested in a node */
  char    *id;        /* as read (GraphML) or printed (GML) */
  gint32   number;    /* GML */
} Reference;

/**
 * _philia_graphml_unescape_id:
 * @raw: a GraphML id as libxml2 gives it (and igraph keeps it)
 *
 * libxml2, not replacing entities, hands attribute values over with every
 * other reference replaced but an & kept as "&#38;" (however it was written);
 * a bare & cannot occur, so each "&#38;" is one &.
 *
 * Returns: (transfer full): the id as the file means it.
 */
char *
_philia_graphml_unescape_id (const char *raw)
{
  GString *out = g_string_sized_new (strlen (raw));

  for (const char *p = raw; *p != '\0';)
    {
      if (g_str_has_prefix (p, "&#38;"))
        {
          g_string_append_c (out, '&');
          p += 5;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* An id as it may appear in a one-line message: valid UTF-8, control
 * characters escaped, at most 60 characters. */
static char *
printable_id (const char *id)
{
  g_autofree char *valid = g_utf8_make_valid (id, -1);
  GString *out = g_string_new (NULL);
  guint n_chars = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n_chars++ == 60)
        {
          g_string_append (out, "…");
          break;
        }
      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_printf (out, "\\x%02X", c);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static void
set_reference_error (const Reference  *ref,
                     const char       *display_name,
                     GError          **error)
{
  const char *end = ref->target ? "target" : "source";
  g_autofree char *id = printable_id (ref->id);

  if (ref->id[0] == '\0')
    g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                 _ ("%s: edge %" PRIu64 " (line %" PRIu64 ") has an "
                    "empty %s, which names no node the file declares."),
                 display_name, ref->edge, ref->line, end);
  else if (ref->nested)
    g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                 _ ("%s: edge %" PRIu64 " (line %" PRIu64 ") names "
                    "node “%s” as its %s, which the file declares only inside a nested "
                    "graph; Philia reads the top-level graph alone."),
                 display_name, ref->edge, ref->line, id, end);
  else
    g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                 _ ("%s: edge %" PRIu64 " (line %" PRIu64 ") names "
                    "node “%s” as its %s, which the file does not declare."),
                 display_name, ref->edge, ref->line, id, end);
}

/* ------------------------------------------------------------------ GraphML */

/*
 * What igraph 0.10 reads of a GraphML file: the first <graph> child of the
 * <graphml> root, and of it only the <node> and <edge> children; nested
 * graphs, other graphs and elements in foreign namespaces are skipped. A
 * root without a namespace makes un-namespaced elements count as GraphML.
 * The same libxml2 parser with the same options and entity handling reads the
 * file here, so ids come out exactly as igraph sees them (entities, character
 * references and attribute-value normalisation included).
 *
 * Besides edge ends, two more things igraph would quietly get wrong are
 * refused: a node id declared twice (igraph merges the two nodes, the later
 * attributes winning) and an empty node id (igraph makes a new node for every
 * empty id it meets, so no edge can reach that node).
 *
 * A first pass collects the declared ids. igraph has one node per distinct id
 * it met, declared or not: when it read as many nodes as there are declared
 * ids, no edge named another one, and the edges need no second look. Only
 * otherwise does a second pass find the first edge at fault.
 */

#define GRAPHML_NAMESPACE "http://graphml.graphdrawing.org/xmlns"

typedef struct
{
  xmlParserCtxtPtr ctxt;
  gboolean         edges_pass;   /* else the nodes pass */
  guint            depth;        /* of the element being opened; the root is 0 */
  gboolean         root_ok;      /* the root is <graphml> */
  gboolean         lenient;      /* ... without a namespace */
  gboolean         graph_seen;
  gboolean         in_graph;     /* inside the first <graph> */
  GString         *scratch;      /* the attribute value being looked at */
  GStringChunk    *ids;          /* the keys of the two tables */
  GHashTable      *declared;     /* node id (char *) → its line */
  GHashTable      *nested;       /* ids of nodes of graphs nested in it */
  char            *duplicate;    /* the first id declared twice */
  guint64          duplicate_lines[2];
  guint64          empty_id_line;
  guint64          n_edges;
  Reference        missing;      /* the first edge end not declared */
} GraphmlScan;

static gboolean
graphml_name (const GraphmlScan *scan,
              const xmlChar     *uri)
{
  if (uri != NULL)
    return xmlStrEqual (uri, BAD_CAST GRAPHML_NAMESPACE);
  return scan->lenient || scan->depth == 0;
}

/* libxml2's attribute array: localname, prefix, URI, value, end of value.
 * The value goes to @scan->scratch; %NULL if there is no such attribute. */
static const char *
graphml_attribute (GraphmlScan    *scan,
                   const xmlChar **attributes,
                   int             n_attributes,
                   const char     *name,
                   gboolean        first)
{
  const char *value = NULL;

  for (int i = 0; i < n_attributes; i++)
    {
      const xmlChar **a = attributes + 5 * i;

      if (a[2] != NULL && !xmlStrEqual (a[2], BAD_CAST GRAPHML_NAMESPACE))
        continue;
      if (!xmlStrEqual (a[0], BAD_CAST name))
        continue;
      g_string_truncate (scan->scratch, 0);
      g_string_append_len (scan->scratch, (const char *)a[3], a[4] - a[3]);
      value = scan->scratch->str;
      if (first)
        break;
    }
  return value;
}

static guint64
graphml_line (GraphmlScan *scan)
{
  return (guint64)MAX (xmlSAX2GetLineNumber (scan->ctxt), 0);
}

static void
graphml_node (GraphmlScan *scan,
              const char  *id,
              gboolean     nested)
{
  guint64 line = graphml_line (scan);
  gpointer first_line;

  if (id == NULL)
    return;   /* igraph refuses a node without an id */
  if (nested)
    {
      if (!g_hash_table_contains (scan->nested, id))
        g_hash_table_add (scan->nested, g_string_chunk_insert (scan->ids, id));
      return;
    }
  if (id[0] == '\0')
    {
      if (scan->empty_id_line == 0)
        scan->empty_id_line = line;
      return;
    }
  if (g_hash_table_lookup_extended (scan->declared, id, NULL, &first_line))
    {
      if (scan->duplicate == NULL)
        {
          scan->duplicate = _philia_graphml_unescape_id (id);
          scan->duplicate_lines[0] = GPOINTER_TO_SIZE (first_line);
          scan->duplicate_lines[1] = line;
        }
      return;
    }
  g_hash_table_insert (scan->declared, g_string_chunk_insert (scan->ids, id),
                       GSIZE_TO_POINTER ((gsize)line));
}

static void
graphml_edge_end (GraphmlScan *scan,
                  const char  *id,
                  gboolean     target)
{
  /* An edge without this end is igraph's to refuse. */
  if (id == NULL || scan->missing.id != NULL || g_hash_table_contains (scan->declared, id))
    return;
  scan->missing.edge = scan->n_edges;
  scan->missing.line = graphml_line (scan);
  scan->missing.target = target;
  scan->missing.nested = g_hash_table_contains (scan->nested, id);
  scan->missing.id = _philia_graphml_unescape_id (id);
  xmlStopParser (scan->ctxt);
}

static void
graphml_start (void           *user_data,
               const xmlChar  *localname,
               const xmlChar  *prefix,
               const xmlChar  *uri,
               int             n_namespaces,
               const xmlChar **namespaces,
               int             n_attributes,
               int             n_defaulted,
               const xmlChar **attributes)
{
  GraphmlScan *scan = user_data;
  gboolean ours = graphml_name (scan, uri);

  if (scan->depth == 0 && ours && xmlStrEqual (localname, BAD_CAST "graphml"))
    {
      scan->root_ok = TRUE;
      scan->lenient = uri == NULL;
    }
  else if (scan->depth == 1 && scan->root_ok && ours && !scan->graph_seen
           && xmlStrEqual (localname, BAD_CAST "graph"))
    {
      scan->graph_seen = TRUE;
      scan->in_graph = TRUE;
    }
  else if (scan->depth >= 2 && scan->in_graph && ours)
    {
      if (!scan->edges_pass && xmlStrEqual (localname, BAD_CAST "node"))
        graphml_node (scan, graphml_attribute (scan, attributes, n_attributes, "id", TRUE),
                      scan->depth > 2);
      else if (scan->edges_pass && scan->depth == 2 && xmlStrEqual (localname, BAD_CAST "edge"))
        {
          scan->n_edges++;
          graphml_edge_end (scan, graphml_attribute (scan, attributes, n_attributes,
                                                     "source", FALSE), FALSE);
          /* Stopping the parser on an undeclared source frees the buffer the
           * attribute values point into: the target must not be read then. */
          if (scan->missing.id == NULL)
            graphml_edge_end (scan, graphml_attribute (scan, attributes, n_attributes,
                                                       "target", FALSE), TRUE);
        }
    }
  scan->depth++;
}

static void
graphml_end (void          *user_data,
             const xmlChar *localname,
             const xmlChar *prefix,
             const xmlChar *uri)
{
  GraphmlScan *scan = user_data;

  scan->depth--;
  if (scan->depth == 1)
    scan->in_graph = FALSE;
}

static void
graphml_quiet (void        *user_data,
               xmlErrorPtr  error)
{
  /* igraph reports what is malformed; nothing is printed here. */
}

/* igraph knows the five predefined entities and reads any other as a blank
 * external one; so does this scan, to see the ids igraph sees. */
static xmlEntity blank_entity = {
  .type = XML_ENTITY_DECL,
  .etype = XML_EXTERNAL_GENERAL_PARSED_ENTITY,
  .checked = 1,
};

static xmlEntityPtr
graphml_entity (void          *user_data,
                const xmlChar *name)
{
  xmlEntityPtr predefined = xmlGetPredefinedEntity (name);

  return predefined != NULL ? predefined : &blank_entity;
}

/* One pass over the file; FALSE if it is not well-formed XML. */
static gboolean
graphml_pass (GraphmlScan *scan,
              const char  *data,
              gsize        size)
{
  xmlSAXHandler sax;
  gsize first = MIN (size, 4096);
  gboolean well_formed;

  scan->depth = 0;
  scan->root_ok = scan->lenient = scan->graph_seen = scan->in_graph = FALSE;
  scan->n_edges = 0;

  /* The handlers igraph sets, no more: only elements matter and no tree is built. */
  memset (&sax, 0, sizeof sax);
  sax.initialized = XML_SAX2_MAGIC;
  sax.getEntity = graphml_entity;
  sax.startElementNs = graphml_start;
  sax.endElementNs = graphml_end;
  sax.serror = graphml_quiet;

  /* As igraph does: the first bytes decide the encoding, the rest follows in chunks. */
  scan->ctxt = xmlCreatePushParserCtxt (&sax, scan, data, (int)first, NULL);
  if (scan->ctxt == NULL)
    return FALSE;
  xmlCtxtUseOptions (scan->ctxt, XML_PARSE_NOBLANKS | XML_PARSE_NONET | XML_PARSE_NSCLEAN
                                 | XML_PARSE_NOCDATA | XML_PARSE_HUGE);
  for (gsize offset = first;
       offset < size && scan->ctxt->wellFormed && scan->missing.id == NULL;)
    {
      gsize chunk = MIN (size - offset, (gsize)1 << 20);

      xmlParseChunk (scan->ctxt, data + offset, (int)chunk, 0);
      offset += chunk;
    }
  if (scan->missing.id == NULL)
    xmlParseChunk (scan->ctxt, NULL, 0, 1);
  well_formed = scan->ctxt->wellFormed;
  if (scan->ctxt->myDoc != NULL)
    xmlFreeDoc (scan->ctxt->myDoc);
  xmlFreeParserCtxt (scan->ctxt);
  scan->ctxt = NULL;
  return well_formed;
}

/**
 * _philia_graphml_check_references:
 * @data: the whole GraphML file, which igraph has read without error
 * @n_nodes_read: how many nodes igraph made of it
 *
 * Refuses an edge whose source or target is not the id of a <node> of the
 * graph igraph reads, a node id declared twice and an empty node id.
 * Complexity: O(size) time, O(nodes) memory.
 *
 * Returns: %TRUE, or %FALSE with @error set.
 */
gboolean
_philia_graphml_check_references (const char  *data,
                                  gsize        size,
                                  gint64       n_nodes_read,
                                  const char  *display_name,
                                  GError     **error)
{
  g_autoptr(GHashTable) declared = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) nested = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) scratch = g_string_new (NULL);
  g_autofree char *duplicate = NULL;
  g_autofree char *missing = NULL;
  GStringChunk *ids = g_string_chunk_new (4096);
  GraphmlScan scan = { 0 };
  gboolean well_formed;
  gboolean ok = TRUE;

  scan.scratch = scratch;
  scan.ids = ids;
  scan.declared = declared;
  scan.nested = nested;

  well_formed = graphml_pass (&scan, data, size);
  duplicate = scan.duplicate;
  if (!well_formed || !scan.graph_seen)
    goto out;   /* igraph read it: this cannot happen, but igraph has the last word */
  if (scan.empty_id_line > 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: line %" PRIu64 " declares a node with an empty id."),
                   display_name, scan.empty_id_line);
      ok = FALSE;
    }
  else if (duplicate != NULL)
    {
      g_autofree char *id = printable_id (duplicate);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_DUPLICATE,
                   _ ("%s: node “%s” is declared twice (lines %" PRIu64 " and %"
                      PRIu64 "); node ids must be unique."),
                   display_name, id, scan.duplicate_lines[0], scan.duplicate_lines[1]);
      ok = FALSE;
    }
  else if ((gint64)g_hash_table_size (declared) != n_nodes_read)
    {
      scan.edges_pass = TRUE;
      graphml_pass (&scan, data, size);
      missing = scan.missing.id;
      if (missing != NULL)
        {
          set_reference_error (&scan.missing, display_name, error);
          ok = FALSE;
        }
      else
        g_debug ("%s: igraph read %" G_GINT64_FORMAT " nodes, the file declares %u, "
                 "yet every edge names a declared node", display_name, n_nodes_read,
                 g_hash_table_size (declared));
    }

out:
  g_string_chunk_free (ids);
  return ok;
}

/* ---------------------------------------------------------------------- GML */

/*
 * GML as igraph 0.10 lexes it: keys ([A-Za-z_][A-Za-z0-9_]*), numbers
 * ([+-]digits[.digits][e[+-]digits], and nan or inf right after a key),
 * strings ("…", no escapes, may span lines), [ and ] (at most 31 deep), and
 * comments from a # that starts a line. igraph reads the first top-level
 * `graph` list: its `node [ id N … ]` and `edge [ source S target T … ]`
 * children, ids being numbers that are integers of 32 bits.
 */

#define GML_MAX_DEPTH 32

typedef enum
{
  GML_END,
  GML_KEY,
  GML_NUMBER,
  GML_STRING,
  GML_OPEN,
  GML_CLOSE,
  GML_ERROR,
} GmlToken;

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  guint64     line;
  gboolean    after_key;
  const char *text;     /* of the last token */
  gsize       len;
} GmlLexer;

static gboolean
is_key_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_key_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static gsize
digits (const char *p,
        const char *end)
{
  const char *q = p;

  while (q < end && g_ascii_isdigit (*q))
    q++;
  return q - p;
}

/* The length of a number at @p, longest match as flex takes it, or 0. */
static gsize
number_length (const char *p,
               const char *end,
               gboolean    after_key)
{
  const char *q = p;
  gsize n, key_len = 0;

  if (q < end && (*q == '+' || *q == '-'))
    q++;
  if (after_key && end - q >= 3
      && (g_ascii_strncasecmp (q, "nan", 3) == 0 || g_ascii_strncasecmp (q, "inf", 3) == 0))
    {
      /* "info" is a key: the longer match wins; "inf" ties and the number rule comes first. */
      if (q == p)
        while (p + key_len < end && is_key_char (p[key_len]))
          key_len++;
      return key_len > 3 ? 0 : (gsize)(q + 3 - p);
    }
  n = digits (q, end);
  if (n == 0)
    return 0;
  q += n;
  if (q + 1 < end && *q == '.' && (n = digits (q + 1, end)) > 0)
    q += 1 + n;
  if (q < end && (*q == 'e' || *q == 'E'))
    {
      const char *e = q + 1;

      if (e < end && (*e == '+' || *e == '-'))
        e++;
      if ((n = digits (e, end)) > 0)
        q = e + n;
    }
  return q - p;
}

static GmlToken
gml_next (GmlLexer *lex)
{
  for (;;)
    {
      const char *p = lex->p;
      gsize n;

      if (p >= lex->end)
        return GML_END;
      if (*p == '\n' || *p == ' ' || *p == '\t' || *p == '\r' || *p == '\v' || *p == '\f')
        {
          lex->line += *p == '\n';
          lex->p++;
          continue;
        }
      if (*p == '#' && (p == lex->start || p[-1] == '\n'))
        {
          const char *eol = p;

          /* A comment runs to the line end (or a NUL, which is an error next). */
          while (eol < lex->end && *eol != '\n' && *eol != '\r' && *eol != '\0')
            eol++;
          lex->p = eol;
          continue;
        }

      lex->text = p;
      if (*p == '"')
        {
          const char *close = memchr (p + 1, '"', lex->end - p - 1);

          if (close == NULL || memchr (p + 1, '\0', close - p - 1) != NULL)
            return GML_ERROR;
          for (const char *q = p + 1; q < close; q++)
            lex->line += *q == '\n';
          lex->len = close + 1 - p;
          lex->p = close + 1;
          lex->after_key = FALSE;
          return GML_STRING;
        }
      if ((n = number_length (p, lex->end, lex->after_key)) > 0)
        {
          lex->len = n;
          lex->p = p + n;
          lex->after_key = FALSE;
          return GML_NUMBER;
        }
      if (is_key_start (*p))
        {
          const char *q = p + 1;

          while (q < lex->end && is_key_char (*q))
            q++;
          lex->len = q - p;
          lex->p = q;
          lex->after_key = TRUE;
          return GML_KEY;
        }
      lex->len = 1;
      lex->p = p + 1;
      lex->after_key = FALSE;
      if (*p == '[')
        return GML_OPEN;
      if (*p == ']')
        return GML_CLOSE;
      return GML_ERROR;
    }
}

/* A GML id as igraph takes it: a number whose value is an integer of 32 bits. */
static gboolean
gml_integer (const GmlLexer *lex,
             gint32         *value)
{
  char buffer[64];
  g_autofree char *long_text = NULL;
  const char *text = buffer;
  double x;

  if (lex->len < sizeof buffer)
    {
      memcpy (buffer, lex->text, lex->len);
      buffer[lex->len] = '\0';
    }
  else
    text = long_text = g_strndup (lex->text, lex->len);
  x = g_ascii_strtod (text, NULL);
  if (!isfinite (x) || x != floor (x) || x < G_MININT32 || x > G_MAXINT32)
    return FALSE;
  *value = (gint32)x;
  return TRUE;
}

/* Where the scan is: which list of the graph the next key belongs to. */
typedef enum
{
  IN_TOP,       /* the file's top level */
  IN_GRAPH,     /* the first graph [ ] */
  IN_NODE,      /* a node [ ] of it */
  IN_EDGE,      /* an edge [ ] of it */
  IN_OTHER,     /* any other list */
} GmlPlace;

/**
 * _philia_gml_check_references:
 * @data: the whole GML file
 *
 * Refuses an edge whose source or target is not the id of a node of the
 * graph igraph reads. Anything else wrong (a syntax error, a string where an
 * id should be, a missing source) is left for igraph to report.
 * Complexity: O(size) time, O(nodes) memory (plus the edges that come before
 * the nodes they name).
 *
 * Returns: %TRUE, or %FALSE with @error set.
 */
gboolean
_philia_gml_check_references (const char  *data,
                              gsize        size,
                              const char  *display_name,
                              GError     **error)
{
  /* Ids are 32-bit integers: they are their own keys. */
  g_autoptr(GHashTable) declared = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (Reference));
  GmlPlace stack[GML_MAX_DEPTH + 1];
  guint depth = 0;
  gboolean graph_seen = FALSE;
  guint64 n_edges = 0;
  GmlLexer lex = { data, data, data + size, 1, FALSE, data, 0 };
  GmlToken token;
  gboolean ok = TRUE;

  stack[0] = IN_TOP;

  while ((token = gml_next (&lex)) != GML_END)
    {
      GmlPlace place = stack[depth];
      const char *key;
      gsize key_len;
      guint64 key_line;
      gint32 id;

      if (token == GML_CLOSE && depth > 0)
        {
          depth--;
          continue;
        }
      if (token != GML_KEY)
        goto out;   /* a syntax error: igraph's to report */
      key = lex.text;
      key_len = lex.len;
      key_line = lex.line;

      token = gml_next (&lex);
      if (token == GML_OPEN)
        {
          GmlPlace inner = IN_OTHER;

          if (depth + 1 >= GML_MAX_DEPTH)
            goto out;
          if (place == IN_TOP && !graph_seen && key_len == 5 && memcmp (key, "graph", 5) == 0)
            {
              inner = IN_GRAPH;
              graph_seen = TRUE;
            }
          else if (place == IN_GRAPH && key_len == 4 && memcmp (key, "node", 4) == 0)
            inner = IN_NODE;
          else if (place == IN_GRAPH && key_len == 4 && memcmp (key, "edge", 4) == 0)
            {
              inner = IN_EDGE;
              n_edges++;
            }
          stack[++depth] = inner;
          continue;
        }
      if (token != GML_NUMBER && token != GML_STRING)
        goto out;

      /* A first `graph` that is not a list, or a node or edge that is not one: igraph refuses. */
      if ((place == IN_TOP && !graph_seen && key_len == 5 && memcmp (key, "graph", 5) == 0)
          || (place == IN_GRAPH && key_len == 4
              && (memcmp (key, "node", 4) == 0 || memcmp (key, "edge", 4) == 0)))
        goto out;

      if (place == IN_NODE && key_len == 2 && memcmp (key, "id", 2) == 0)
        {
          if (token != GML_NUMBER || !gml_integer (&lex, &id))
            goto out;
          g_hash_table_add (declared, GINT_TO_POINTER (id));
        }
      else if (place == IN_EDGE && key_len == 6
               && (memcmp (key, "source", 6) == 0 || memcmp (key, "target", 6) == 0))
        {
          Reference ref = { n_edges, key_line, key[0] == 't', FALSE, NULL, 0 };

          if (token != GML_NUMBER || !gml_integer (&lex, &id))
            goto out;
          if (!g_hash_table_contains (declared, GINT_TO_POINTER (id)))
            {
              ref.number = id;
              ref.id = g_strdup_printf ("%" G_GINT32_FORMAT, id);
              g_array_append_val (pending, ref);
            }
        }
    }

  if (depth != 0 || !graph_seen)
    goto out;
  for (guint i = 0; i < pending->len && ok; i++)
    {
      Reference *ref = &g_array_index (pending, Reference, i);

      if (!g_hash_table_contains (declared, GINT_TO_POINTER (ref->number)))
        {
          set_reference_error (ref, display_name, error);
          ok = FALSE;
        }
    }

out:
  for (guint i = 0; i < pending->len; i++)
    g_free (g_array_index (pending, Reference, i).id);
  return ok;
}
