/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "philia-core.h"

/*
 * The limits of src/core/philia-import-limits.c, each at its edge: the last
 * accepted size loads (and reads back), one more is refused with the numbers.
 * Without them a 4 MB GML string took 7 s (igraph's lexer is quadratic in a
 * token's length) and "*Vertices 100000000" in a 31-byte Pajek file took
 * minutes and gigabytes; the fuzzers found both.
 */

#define MAX_TOKEN (1024 * 1024)

static PhiliaGraph *
load (const GString  *text,
      const char     *name,
      GError        **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text->str, text->len);

  return philia_graph_load_bytes (bytes, name, PHILIA_FORMAT_AUTO, NULL, NULL, error);
}

static void
assert_refused (const GString *text,
                const char    *name,
                gint           code,
                const char    *substring)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = load (text, name, &error);

  g_assert_null (graph);
  g_assert_error (error, PHILIA_ERROR, code);
  if (!g_str_has_prefix (error->message, name) || strstr (error->message, substring) == NULL)
    g_error ("“%s” should name %s and contain “%s”", error->message, name, substring);
  g_assert_true (g_str_has_suffix (error->message, "."));
}

/* A GML file whose node 0 is labelled with a quoted string of @span bytes,
 * quotes included (a string label, distinct per node: the node's name). */
static GString *
gml_with_string (gsize span)
{
  GString *s = g_string_new ("graph [\n  node [ id 0 label \"");

  for (gsize i = 0; i < span - 2; i++)
    g_string_append_c (s, 'a' + i % 26);
  g_string_append (s, "\" ]\n  node [ id 1 label \"b\" ]\n  edge [ source 0 target 1 ]\n]\n");
  return s;
}

static void
test_gml_string (void)
{
  g_autoptr(GString) at_limit = gml_with_string (MAX_TOKEN);
  g_autoptr(GString) beyond = gml_with_string (MAX_TOKEN + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = load (at_limit, "long.gml", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, 2);
  g_assert_cmpuint (strlen (philia_graph_get_node_name (graph, 0)), ==, MAX_TOKEN - 2);
  g_assert_cmpstr (philia_graph_get_node_name (graph, 1), ==, "b");

  assert_refused (beyond, "long.gml", PHILIA_ERROR_UNSUPPORTED,
                  "line 2 starts a quoted string of 1048577 bytes; Philia reads strings, "
                  "words and comments of at most 1 MiB (1048576 bytes)");
}

/* A stray quote: flex would scan to the end of the file for its mate. */
static void
test_gml_unclosed (void)
{
  g_autoptr(GString) text = g_string_new ("graph [\n  node [ id 0 label \"a ]\n");

  while (text->len <= MAX_TOKEN + 64)
    g_string_append (text, "  node [ id 1 ]\n");
  assert_refused (text, "stray.gml", PHILIA_ERROR_FORMAT,
                  "line 2 opens a quoted string that is never closed");
}

static void
test_gml_comment_and_word (void)
{
  g_autoptr(GString) comment = g_string_new ("# ");
  g_autoptr(GString) word = g_string_new ("graph [\n  node [ id 0 ]\n  ");

  g_string_set_size (comment, MAX_TOKEN + 1);
  memset (comment->str + 2, 'c', MAX_TOKEN - 1);
  g_string_append (comment, "\ngraph [\n  node [ id 0 ]\n]\n");
  assert_refused (comment, "comment.gml", PHILIA_ERROR_UNSUPPORTED,
                  "line 1 starts a comment of 1048577 bytes");

  for (gsize i = 0; i <= MAX_TOKEN; i++)
    g_string_append_c (word, 'k');
  g_string_append (word, " 1\n]\n");
  assert_refused (word, "word.gml", PHILIA_ERROR_UNSUPPORTED,
                  "line 3 starts a word of 1048577 bytes");
}

static GString *
pajek_with_vertices (guint64 declared)
{
  GString *s = g_string_new (NULL);

  g_string_printf (s, "*Vertices %" G_GUINT64_FORMAT "\n*Edges\n1 2\n", declared);
  return s;
}

/* 1,000,000 vertices without lines, plus one per byte of the file. */
static void
test_pajek_vertices (void)
{
  g_autoptr(GString) probe = pajek_with_vertices (1000000);
  guint64 limit = 1000000 + probe->len;   /* the count keeps its 7 digits */
  g_autoptr(GString) at_limit = pajek_with_vertices (limit);
  g_autoptr(GString) beyond = pajek_with_vertices (limit + 1);
  g_autoptr(GString) huge = g_string_new ("% a comment first\n  *vertices 100000000 7\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpuint (at_limit->len, ==, probe->len);
  g_assert_cmpuint (beyond->len, ==, probe->len);
  graph = load (at_limit, "many.net", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, limit);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 1);

  expected = g_strdup_printf ("line 1 declares %" G_GUINT64_FORMAT " vertices, but a file of "
                              "%" G_GSIZE_FORMAT " bytes describes at most %" G_GUINT64_FORMAT
                              " (1000000 that need no line of their own, plus one per byte); "
                              "correct the count on the “*Vertices” line",
                              limit + 1, beyond->len, limit);
  assert_refused (beyond, "many.net", PHILIA_ERROR_INVALID, expected);
  assert_refused (huge, "huge.net", PHILIA_ERROR_INVALID,
                  "line 2 declares 100000000 vertices, but a file of 42 bytes");
}

/* Found by fuzzing: the message quotes the number only, not the bytes after it. */
static void
test_pajek_vertices_garbage (void)
{
  g_autoptr(GString) text = g_string_new ("*Vertices 099e999\xff\xfe\x01U\n*Edges\n");

  assert_refused (text, "garbage.net", PHILIA_ERROR_INVALID,
                  "line 1 declares 099e999 vertices, but a file of 29 bytes");
}

/* Found by fuzzing: igraph takes a form feed or vertical tab before
 * "*Vertices" as a blank, so the count is bounded there too. */
static void
test_pajek_vertices_after_blanks (void)
{
  g_autoptr(GString) feed = g_string_new ("\f*VerTices 3333333\n1 \"Ver");
  g_autoptr(GString) vtab = g_string_new ("\v *vertices 3333333\n");

  assert_refused (feed, "feed.net", PHILIA_ERROR_INVALID,
                  "line 1 declares 3333333 vertices, but a file of 25 bytes");
  assert_refused (vtab, "vtab.net", PHILIA_ERROR_INVALID,
                  "line 1 declares 3333333 vertices, but a file of 20 bytes");
}

static void
test_pajek_string (void)
{
  g_autoptr(GString) text = g_string_new ("*Vertices 2\n1 \"");

  for (gsize i = 0; i < MAX_TOKEN; i++)
    g_string_append_c (text, 'p');
  g_string_append (text, "\"\n2 \"q\"\n*Edges\n1 2\n");
  assert_refused (text, "label.net", PHILIA_ERROR_UNSUPPORTED,
                  "line 2 starts a quoted string of 1048578 bytes");
}

static void
test_edge_list_id (void)
{
  g_autoptr(GString) at_limit = g_string_new ("a b\nb ");
  g_autoptr(GString) beyond = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;

  for (gsize i = 0; i < MAX_TOKEN; i++)
    g_string_append_c (at_limit, 'z');
  beyond = g_string_new (at_limit->str);
  g_string_append (at_limit, "\n");
  g_string_append (beyond, "z\n");

  graph = load (at_limit, "long.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, 3);
  g_assert_cmpuint (strlen (philia_graph_get_node_name (graph, 2)), ==, MAX_TOKEN);

  assert_refused (beyond, "long.txt", PHILIA_ERROR_UNSUPPORTED,
                  "line 2 has a node id of 1048577 bytes; Philia reads node ids of at most "
                  "1 MiB (1048576 bytes)");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/Philia/ImportLimits/gml-string", test_gml_string);
  g_test_add_func ("/Philia/ImportLimits/gml-unclosed", test_gml_unclosed);
  g_test_add_func ("/Philia/ImportLimits/gml-comment-and-word", test_gml_comment_and_word);
  g_test_add_func ("/Philia/ImportLimits/pajek-vertices", test_pajek_vertices);
  g_test_add_func ("/Philia/ImportLimits/pajek-vertices-garbage", test_pajek_vertices_garbage);
  g_test_add_func ("/Philia/ImportLimits/pajek-vertices-after-blanks",
                   test_pajek_vertices_after_blanks);
  g_test_add_func ("/Philia/ImportLimits/pajek-string", test_pajek_string);
  g_test_add_func ("/Philia/ImportLimits/edge-list-id", test_edge_list_id);

  return g_test_run ();
}
