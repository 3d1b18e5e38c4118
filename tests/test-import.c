/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "philia-core.h"

/*
 * GraphML, GML, Pajek, edge lists and CSV node tables, loaded through
 * philia_graph_load () from tests/data/import/. Every expected number is
 * counted by hand from the file it belongs to (the comments there say how).
 */

static GFile *
data_file (const char *folder,
           const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", folder, name, NULL);

  return g_file_new_for_path (path);
}

static PhiliaGraph *
load_with_table (const char  *folder,
                 const char  *name,
                 const char  *table_folder,
                 const char  *table,
                 GError     **error)
{
  g_autoptr(GFile) file = data_file (folder, name);
  g_autoptr(GFile) table_file = table ? data_file (table_folder, table) : NULL;

  return philia_graph_load (file, table_file, NULL, NULL, error);
}

static PhiliaGraph *
load_ok (const char *name,
         const char *table)
{
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph = load_with_table ("import", name, "import", table, &error);

  g_assert_no_error (error);
  g_assert_nonnull (graph);
  return graph;
}

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
} Report;

static void
assert_report (PhiliaGraph  *graph,
               const Report *expected)
{
  const PhiliaSanityReport *r = philia_graph_get_sanity_report (graph);

  g_assert_cmpint (r->input_edges, ==, expected->input_edges);
  g_assert_cmpint (r->declared_directed, ==, expected->declared_directed);
  g_assert_cmpint (r->directed_input, ==, expected->directed_input);
  g_assert_cmpint (r->self_loops, ==, expected->self_loops);
  g_assert_cmpint (r->duplicate_edges, ==, expected->duplicate_edges);
  g_assert_cmpint (r->reciprocal_pairs, ==, expected->reciprocal_pairs);
  g_assert_cmpint (r->isolated_nodes, ==, expected->isolated_nodes);
  g_assert_cmpint (r->components, ==, expected->components);
  g_assert_cmpint (r->largest_component, ==, expected->largest_component);
}

/* @expected: space-separated names, in node order. */
static void
assert_names (PhiliaGraph *graph,
              const char  *expected)
{
  g_auto(GStrv) names = g_strsplit (expected, " ", -1);
  guint n = g_strv_length (names);

  g_assert_true (philia_graph_has_node_names (graph));
  g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, n);
  for (guint v = 0; v < n; v++)
    {
      g_assert_cmpstr (philia_graph_get_node_name (graph, v), ==, names[v]);
      g_assert_cmpint (philia_graph_find_node (graph, names[v]), ==, v);
    }
}

static void
assert_labels (PhiliaGraph  *graph,
               const gint32 *expected,
               guint         n)
{
  g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, n);
  g_assert_cmpmem (philia_graph_get_labels (graph), n * sizeof (gint32),
                   expected, n * sizeof (gint32));
}

static void
assert_features (PhiliaGraph *graph,
                 const float *expected,
                 guint        n_features)
{
  guint n = philia_graph_get_n_nodes (graph);
  const float *x = philia_graph_get_features (graph);

  g_assert_cmpuint (philia_graph_get_n_features (graph), ==, n_features);
  g_assert_nonnull (x);
  for (gsize i = 0; i < (gsize)n * n_features; i++)
    g_assert_cmpfloat_with_epsilon (x[i], expected[i], 1e-6);
}

static void
assert_rows (PhiliaGraph  *graph,
             const gint32 *expected,
             gint64        n_rows)
{
  gint64 got = 0;
  const gint32 *rows = philia_graph_get_input_rows (graph, &got);

  g_assert_cmpint (got, ==, n_rows);
  g_assert_cmpmem (rows, n_rows * 2 * sizeof (gint32), expected, n_rows * 2 * sizeof (gint32));
}

/* One sentence naming the file, with the code and a telling substring. */
static void
assert_error (const GError *error,
              const char   *file_name,
              gint          code,
              const char   *substring)
{
  g_assert_error (error, PHILIA_ERROR, code);
  if (strstr (error->message, substring) == NULL || strstr (error->message, file_name) == NULL)
    g_error ("“%s” should name “%s” and contain “%s”",
             error->message, file_name, substring);
  g_assert_true (g_str_has_suffix (error->message, "."));
  g_assert_null (strchr (error->message, '\n'));
}

/* Loads @text from a temporary file called @name. */
static PhiliaGraph *
load_text (const char  *name,
           const char  *text,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-import-XXXXXX", &local_error);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  PhiliaGraph *graph;

  g_assert_no_error (local_error);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, text, -1, &local_error);
  g_assert_no_error (local_error);
  file = g_file_new_for_path (path);
  graph = philia_graph_load (file, NULL, NULL, NULL, error);
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  return graph;
}

/* ------------------------------------------------------------------ GraphML */

static void
test_graphml_karate (void)
{
  g_autoptr(PhiliaGraph) graph = load_ok ("karate.graphml", NULL);
  static const guint officers[] = {
    9, 14, 15, 18, 20, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33,
  };
  const gint32 *labels;
  const gint64 *sizes;
  static const Report report = { 78, FALSE, FALSE, 0, 0, 0, 0, 1, 34 };

  g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, 34);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 78);
  g_assert_cmpstr (philia_graph_get_format (graph), ==, "graphml");
  g_assert_cmpstr (philia_graph_get_source (graph), ==, "karate.graphml");
  assert_report (graph, &report);

  /* Mr. Hi (node 0) and the officers' leader (node 33) are the two hubs. */
  g_assert_cmpuint (philia_graph_get_degree (graph, 0), ==, 16);
  g_assert_cmpuint (philia_graph_get_degree (graph, 33), ==, 17);

  g_assert_true (philia_graph_has_node_names (graph));
  g_assert_cmpstr (philia_graph_get_node_name (graph, 0), ==, "n0");
  g_assert_cmpint (philia_graph_find_node (graph, "n33"), ==, 33);

  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 2);
  g_assert_cmpuint (philia_graph_get_n_labeled (graph), ==, 34);
  g_assert_true (philia_graph_has_class_names (graph));
  g_assert_cmpstr (philia_graph_get_class_name (graph, 0), ==, "Mr. Hi");
  g_assert_cmpstr (philia_graph_get_class_name (graph, 1), ==, "Officer");
  sizes = philia_graph_get_class_sizes (graph);
  g_assert_cmpint (sizes[0], ==, 17);
  g_assert_cmpint (sizes[1], ==, 17);

  labels = philia_graph_get_labels (graph);
  for (guint v = 0, o = 0; v < 34; v++)
    {
      gboolean officer = o < G_N_ELEMENTS (officers) && officers[o] == v;

      g_assert_cmpint (labels[v], ==, officer ? 1 : 0);
      o += officer;
    }
  g_assert_cmpuint (philia_graph_get_n_features (graph), ==, 0);
}

static void
test_graphml_directed (void)
{
  g_autoptr(PhiliaGraph) graph = load_ok ("tiny-directed.graphml", NULL);
  static const gint32 labels[] = { 0, 2, -1, 2, 1 };
  /* feat_0, feat_1, feat_10: ordered by the number, not as declared. */
  static const float features[] = {
    1, 2, 3,  4, 5, 6,  0.5, -1.5, 0,  0, 0, 0,  7, 8, 9,
  };
  static const gint32 rows[] = { 0, 1,  1, 0,  1, 2,  2, 2,  2, 3,  2, 3 };
  static const Report report = { 6, TRUE, TRUE, 1, 1, 1, 1, 2, 4 };

  /* GraphML ids are the names; the distinct "label" strings are not classes. */
  assert_names (graph, "a b c d e");
  assert_labels (graph, labels, 5);
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 3);
  g_assert_cmpuint (philia_graph_get_n_labeled (graph), ==, 4);
  g_assert_false (philia_graph_has_class_names (graph));
  assert_features (graph, features, 3);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 3);
  assert_rows (graph, rows, 6);
  assert_report (graph, &report);
}

static void
test_graphml_single_node (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  static const Report report = { 0, FALSE, FALSE, 0, 0, 0, 1, 1, 1 };

  graph = load_text ("one.graphml",
                     "<?xml version=\"1.0\"?>\n"
                     "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
                     "  <key id=\"c\" for=\"node\" attr.name=\"class\" attr.type=\"string\"/>\n"
                     "  <graph edgedefault=\"undirected\">"
                     "<node id=\"only\"><data key=\"c\">x</data></node></graph>\n"
                     "</graphml>\n", &error);
  g_assert_no_error (error);
  assert_names (graph, "only");
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 0);
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 1);
  g_assert_cmpstr (philia_graph_get_class_name (graph, 0), ==, "x");
  assert_report (graph, &report);
}

static void
test_graphml_attributes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  static const gint32 labels[] = { 1, 1, -1, 0 };

  /* A repeated string "label" is a class, an empty one unlabeled. */
  graph = load_text ("labels.graphml",
                     "<?xml version=\"1.0\"?>\n"
                     "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
                     "<key id=\"l\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
                     "<key id=\"g\" for=\"node\" attr.name=\"group\" attr.type=\"boolean\"/>\n"
                     "<key id=\"x\" for=\"node\" attr.name=\"x3\" attr.type=\"int\"/>\n"
                     "<graph edgedefault=\"undirected\">\n"
                     "<node id=\"a\"><data key=\"l\">x</data><data key=\"g\">true</data>"
                     "<data key=\"x\">3</data></node>\n"
                     "<node id=\"b\"><data key=\"l\">x</data><data key=\"x\">4</data></node>\n"
                     "<node id=\"c\"><data key=\"x\">5</data></node>\n"
                     "<node id=\"d\"><data key=\"l\">w</data><data key=\"x\">6</data></node>\n"
                     "<edge source=\"a\" target=\"b\"/>\n"
                     "</graph></graphml>\n", &error);
  g_assert_no_error (error);
  assert_names (graph, "a b c d");
  assert_labels (graph, labels, 4);
  g_assert_cmpstr (philia_graph_get_class_name (graph, 0), ==, "w");
  g_assert_cmpstr (philia_graph_get_class_name (graph, 1), ==, "x");
  g_assert_cmpuint (philia_graph_get_n_features (graph), ==, 1);
  g_assert_cmpfloat (philia_graph_get_features (graph)[3], ==, 6.0f);
  g_clear_object (&graph);

  /* Numeric labels: only whole numbers from 0, or -1. */
  graph = load_text ("negative.gml",
                     "graph [ node [ id 0 y -2 ] node [ id 1 y 0 ] ]\n", &error);
  g_assert_null (graph);
  assert_error (error, "negative.gml", PHILIA_ERROR_INVALID,
                "node “0” has the value “-2” in attribute “y”");
  g_clear_error (&error);
  graph = load_text ("big.gml", "graph [ node [ id 0 y 65536 ] node [ id 1 y 0 ] ]\n", &error);
  g_assert_null (graph);
  assert_error (error, "big.gml", PHILIA_ERROR_INVALID,
                "node “0” has the too large value “65536” in attribute “y”");
  g_clear_error (&error);

  /* The null graph. */
  graph = load_text ("empty.graphml",
                     "<?xml version=\"1.0\"?>\n"
                     "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">"
                     "<graph edgedefault=\"directed\"/></graphml>\n", &error);
  g_assert_null (graph);
  assert_error (error, "empty.graphml", PHILIA_ERROR_EMPTY, "no nodes");
}

/* Ids read as igraph reads them: prefixes, entities, edges before nodes; the
 * edges igraph skips (comments, CDATA, foreign namespaces, a second graph)
 * are not checked. */
static void
test_graphml_references (void)
{
  g_autoptr(PhiliaGraph) graph = load_ok ("tricky.graphml", NULL);
  /* igraph keeps an undirected edge's ends in id order: (C, B) is (1, 2). */
  static const gint32 rows[] = { 0, 1,  1, 2,  0, 2 };
  static const Report report = { 3, FALSE, FALSE, 0, 0, 0, 0, 1, 3 };

  assert_names (graph, "a&b B C");
  assert_rows (graph, rows, 3);
  assert_report (graph, &report);
}

/* Edge ends igraph would make new nodes of, written inline: each refused. */
static void
test_graphml_references_inline (void)
{
  static const struct
  {
    const char  *body;
    PhiliaError  code;        /* 0: loads */
    const char  *substring;   /* or the node names */
  } cases[] = {
    { "<node id=\"a\"/><edge source=\"\" target=\"a\"/>", PHILIA_ERROR_INVALID,
      "edge 1 (line 3) has an empty source, which names no node the file declares" },
    /* The first edge at fault in file order, not the first end looked at. */
    { "<edge source=\"a\" target=\"b\"/>\n<edge source=\"q\" target=\"a\"/>\n"
      "<edge source=\"a\" target=\"r\"/>\n<node id=\"a\"/><node id=\"b\"/>",
      PHILIA_ERROR_INVALID, "edge 2 (line 4) names node “q” as its source" },
    /* Ids are compared as XML reads them, not as written. */
    { "<node id=\"x&#x41;y\"/><node id=\"a&amp;b\"/>"
      "<edge source=\"xAy\" target=\"a&#38;b\"/>", 0, "xAy a&b" },
    /* A line break in an id is quoted as \n, keeping the message on one line. */
    { "<node id=\"a\"/><edge source=\"a\" target=\"b&#10;c\"/>", PHILIA_ERROR_INVALID,
      "names node “b\\nc” as its target" },
  };
  static const char *head =
    "<?xml version=\"1.0\"?>\n"
    "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"><graph edgedefault=\"undirected\">\n";

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = g_strconcat (head, cases[i].body, "\n</graph></graphml>\n", NULL);
      g_autoptr(PhiliaGraph) graph = load_text ("refs.graphml", text, &error);

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      if (cases[i].code == 0)
        {
          g_assert_no_error (error);
          assert_names (graph, cases[i].substring);
          continue;
        }
      g_assert_null (graph);
      assert_error (error, "refs.graphml", cases[i].code, cases[i].substring);
    }

  /* Without a namespace on the root, un-namespaced elements are GraphML. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PhiliaGraph) graph = NULL;

    graph = load_text ("plain.graphml",
                       "<graphml><graph><node id=\"a\"/><node id=\"b\"/>\n"
                       "<edge source=\"a\" target=\"b\"/><edge source=\"b\" target=\"c\"/>"
                       "</graph></graphml>\n", &error);
    g_assert_null (graph);
    assert_error (error, "plain.graphml", PHILIA_ERROR_INVALID,
                  "edge 2 (line 2) names node “c” as its target");
  }
}

/* ---------------------------------------------------------------- GML, Pajek */

static void
test_gml (void)
{
  g_autoptr(PhiliaGraph) graph = load_ok ("small.gml", NULL);
  static const gint32 labels[] = { 1, 0, -1, 1 };
  static const float features[] = { 1, 0.25,  2, 0.5,  3, 0.75,  4, 1 };
  static const Report report = { 4, FALSE, FALSE, 1, 0, 0, 1, 2, 3 };

  /* Numeric GML ids, so the distinct labels name the nodes. */
  assert_names (graph, "A B C D");
  assert_labels (graph, labels, 4);
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 2);
  g_assert_false (philia_graph_has_class_names (graph));
  assert_features (graph, features, 2);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 3);
  assert_report (graph, &report);
  g_assert_cmpstr (philia_graph_get_format (graph), ==, "gml");
}

static void
test_gml_numeric_ids (void)
{
  g_autoptr(PhiliaGraph) graph = load_ok ("ids.gml", NULL);
  static const gint32 rows[] = { 0, 1,  1, 2,  2, 0 };
  static const Report report = { 3, TRUE, TRUE, 0, 0, 0, 0, 1, 3 };

  /* File order is node order; the ids become names. */
  assert_names (graph, "7 5 9");
  assert_rows (graph, rows, 3);
  assert_report (graph, &report);
  g_assert_cmpuint (philia_graph_get_n_labeled (graph), ==, 0);
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 0);
}

/* GML as igraph reads it: the first top-level graph only, ids anywhere in the
 * file's order, numbers like 2.0 and 2e0 as the integer 2, comments and
 * strings that merely look like edges ignored. */
static void
test_gml_references (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  static const gint32 rows[] = { 0, 1 };

  graph = load_text ("refs.gml",
                     "Creator \"x [ ]\"\n"
                     "# edge [ source 1 target 99 ]\n"
                     "graph [\n"
                     "  edge [ source 1 target 2.0 ]\n"
                     "  node [ id 1 label \"a]b[ target 99\" ]\n"
                     "  node [ id 2e0 ]\n"
                     "]\n"
                     "graph [ node [ id 5 ] edge [ source 5 target 99 ] ]\n", &error);
  g_assert_no_error (error);
  assert_names (graph, "1 2");
  assert_rows (graph, rows, 1);
  g_clear_object (&graph);

  /* An id inside a nested list declares nothing. */
  graph = load_text ("nested.gml",
                     "graph [ node [ id 1 graphics [ id 3 ] ]\n"
                     "  edge [ source 1 target 3 ] ]\n", &error);
  g_assert_null (graph);
  assert_error (error, "nested.gml", PHILIA_ERROR_INVALID,
                "edge 1 (line 2) names node “3” as its target, which the file does not declare");
  g_clear_error (&error);

  /* What igraph refuses itself keeps igraph's words. */
  graph = load_text ("twice.gml", "graph [ node [ id 1 ] node [ id 1 ] ]\n", &error);
  g_assert_null (graph);
  assert_error (error, "twice.gml", PHILIA_ERROR_FORMAT, "Duplicate node id");
  g_clear_error (&error);
  graph = load_text ("half.gml", "graph [ node [ id 1 ] edge [ source 1 ] ]\n", &error);
  g_assert_null (graph);
  assert_error (error, "half.gml", PHILIA_ERROR_FORMAT, "No 'target' for edge");
}

static void
test_pajek (void)
{
  g_autoptr(PhiliaGraph) graph = load_ok ("small.net", NULL);
  static const gint32 rows[] = { 0, 1,  1, 0,  1, 2,  2, 3 };
  static const Report report = { 4, TRUE, TRUE, 0, 0, 1, 0, 1, 4 };

  assert_names (graph, "a b c d");
  assert_rows (graph, rows, 4);
  assert_report (graph, &report);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 3);
  /* x and y are coordinates: neither a class nor features. */
  g_assert_cmpuint (philia_graph_get_n_labeled (graph), ==, 0);
  g_assert_cmpuint (philia_graph_get_n_features (graph), ==, 0);
  g_assert_cmpstr (philia_graph_get_format (graph), ==, "pajek");
}

/* ---------------------------------------------------------------- edge lists */

static void
test_edgelist_comments (void)
{
  g_autoptr(PhiliaGraph) graph = load_ok ("comments.txt", NULL);
  static const gint32 rows[] = { 0, 1,  1, 2,  2, 3,  4, 5 };
  static const Report report = { 4, FALSE, FALSE, 0, 0, 0, 0, 2, 4 };

  assert_names (graph, "0 1 2 3 4 5");
  assert_rows (graph, rows, 4);
  assert_report (graph, &report);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 4);
  g_assert_cmpstr (philia_graph_get_format (graph), ==, "edgelist");
}

static void
test_edgelist_header (void)
{
  g_autoptr(PhiliaGraph) graph = load_ok ("header.csv", NULL);
  static const gint32 rows[] = { 0, 1,  1, 2,  2, 0 };
  static const Report report = { 3, FALSE, FALSE, 0, 0, 0, 0, 1, 3 };

  assert_names (graph, "0 1 2");
  assert_rows (graph, rows, 3);
  assert_report (graph, &report);
}

static void
test_edgelist_strings (void)
{
  g_autoptr(PhiliaGraph) graph = load_ok ("people.tsv", NULL);
  static const gint32 rows[] = { 0, 1,  1, 2,  2, 3 };
  static const Report report = { 3, FALSE, FALSE, 0, 0, 0, 0, 1, 4 };

  /* Order of first appearance; the "from to" header and the quotes are gone. */
  assert_names (graph, "alice bob carol dave");
  assert_rows (graph, rows, 3);
  assert_report (graph, &report);
}

static void
test_edgelist_integer_order (void)
{
  g_autoptr(PhiliaGraph) graph = load_ok ("integers.txt", NULL);
  /* 49 4, 5 10, 4 5 with nodes ordered 4, 5, 10, 49. */
  static const gint32 rows[] = { 3, 0,  1, 2,  0, 1 };
  static const Report report = { 3, FALSE, FALSE, 0, 0, 0, 0, 1, 4 };

  assert_names (graph, "4 5 10 49");
  assert_rows (graph, rows, 3);
  assert_report (graph, &report);
}

static void
test_edgelist_messy (void)
{
  g_autoptr(PhiliaGraph) graph = load_ok ("messy.txt", NULL);
  static const gint32 rows[] = { 0, 1,  1, 0,  0, 1,  2, 2,  1, 2,  1, 2,  2, 1,  3, 4 };
  /* See the file's comment: 1 self-loop, 2 duplicates, 2 reciprocal pairs. */
  static const Report report = { 8, FALSE, TRUE, 1, 2, 2, 0, 2, 3 };

  assert_names (graph, "0 1 2 3 4");
  assert_rows (graph, rows, 8);
  assert_report (graph, &report);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 3);
}

static void
test_edgelist_self_loop_and_null (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = load_text ("loop.txt", "7 7\n", &error);
  static const Report report = { 1, FALSE, FALSE, 1, 0, 0, 1, 1, 1 };

  g_assert_no_error (error);
  assert_names (graph, "7");
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 0);
  assert_report (graph, &report);
  g_clear_object (&graph);

  /* The null graph: only comments. */
  graph = load_text ("comments.txt", "# nothing here\n% nor here\n\n", &error);
  g_assert_null (graph);
  assert_error (error, "comments.txt", PHILIA_ERROR_EMPTY, "no nodes");
}

/* Small edge lists written to a temporary folder. */
static void
test_edgelist_inline (void)
{
  static const struct
  {
    const char  *text;
    gssize       len;
    const char  *names;       /* space-separated, or NULL for an error */
    gint64       rows;
    PhiliaError  code;
    const char  *substring;
  } cases[] = {
    { "source target\n1 2\n", -1, "1 2", 1, 0, NULL },
    /* One row, not a header: two string ids. */
    { "alpha beta\n", -1, "alpha beta", 1, 0, NULL },
    /* "from,to" over string rows is still a header: it is spelled like one. */
    { "From,To\r\nx,y\r\ny,z\r\n", -1, "x y z", 2, 0, NULL },
    /* Non-numbers over numbers: a header whatever its words. */
    { "person friend\n3 1\n", -1, "1 3", 1, 0, NULL },
    /* Not a header: the next row is not numeric either. */
    { "ann bob\nbob cy\n", -1, "ann bob cy", 2, 0, NULL },
    { "1,\"\"\n", -1, NULL, 0, PHILIA_ERROR_FORMAT, "line 1 has an empty node id" },
    { "0 1\n1\0002\n", 8, NULL, 0, PHILIA_ERROR_FORMAT,
      "line 2 is not UTF-8 text (it holds a NUL" },
    { "0 1\n\xff 2\n", -1, NULL, 0, PHILIA_ERROR_FORMAT, "line 2 is not UTF-8 text" },
    /* Integer ids and names together: the first id of the rarer kind is named. */
    { "1 2\n2 3\n3 x\n", -1, NULL, 0, PHILIA_ERROR_INVALID,
      "line 3 has the node id “x” among integer ids (like “1” on line 1)" },
    { "a b\nb c\n# 9 9\nc 7 0.5\n", -1, NULL, 0, PHILIA_ERROR_INVALID,
      "line 4 has the integer node id “7” among names (like “a” on line 1)" },
    /* A tie names the kind that comes second. */
    { "1 a\n", -1, NULL, 0, PHILIA_ERROR_INVALID, "line 1 has the node id “a” among integer" },
    { "a 1\n", -1, NULL, 0, PHILIA_ERROR_INVALID, "line 1 has the integer node id “1” among" },
    /* Integers are digits only: no sign, point or exponent. */
    { "0 1\n+1 2\n", -1, NULL, 0, PHILIA_ERROR_INVALID, "the node id “+1” among integer" },
    { "0 1\n1 2.0\n", -1, NULL, 0, PHILIA_ERROR_INVALID, "the node id “2.0” among integer" },
    { "0 1\n1 1e3\n", -1, NULL, 0, PHILIA_ERROR_INVALID, "the node id “1e3” among integer" },
    /* The header is not an id; the rows under it are. */
    { "source,target\n1,two\n", -1, NULL, 0, PHILIA_ERROR_INVALID,
      "line 2 has the node id “two” among integer ids (like “1” on line 2)" },
    /* A long id is cut in the message, on a character boundary. */
    { "1 2\n2 ééééééééééééééééééééééééééééééééééééééééééééé\n", -1, NULL, 0,
      PHILIA_ERROR_INVALID, "“éééééééééééééééééééééééééééééééééééééééé…” among" },
    /* No integers at all: every id is a name, in order of appearance. */
    { "1.5 -2\n-2 x\n", -1, "1.5 -2 x", 2, 0, NULL },
    /* Integers by value, of any length; zero-padding is fine when consistent. */
    { "123456789012345678901234567890 5\n5 6\n", -1,
      "5 6 123456789012345678901234567890", 2, 0, NULL },
    { "003 001\n002 001\n", -1, "001 002 003", 2, 0, NULL },
    { "9 10\n10 010\n", -1, NULL, 0, PHILIA_ERROR_INVALID,
      "the node ids “10” and “010” are the same number written two ways" },
    /* A byte-order mark is not part of the first id. */
    { "\xef\xbb\xbf" "4 5\n", -1, "4 5", 1, 0, NULL },
    /* Weights and other columns after the second are not ids. */
    { "0,1,w\n1,2,0.5\n", -1, "0 1 2", 2, 0, NULL },
    /* Found by fuzzing: a row of separators only is blank (it was read as
     * one token that was never set, and quoted from stack garbage). */
    { "1 2\n,\t,\n2 3\n", -1, "1 2 3", 2, 0, NULL },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-import-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "inline.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PhiliaGraph) graph = NULL;
      gint64 rows = 0;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_file_set_contents (path, cases[i].text, cases[i].len, &error);
      g_assert_no_error (error);
      graph = philia_graph_load (file, NULL, NULL, NULL, &error);
      if (cases[i].names == NULL)
        {
          g_assert_null (graph);
          assert_error (error, "inline.txt", cases[i].code, cases[i].substring);
          g_clear_error (&error);
          continue;
        }
      g_assert_no_error (error);
      assert_names (graph, cases[i].names);
      (void)philia_graph_get_input_rows (graph, &rows);
      g_assert_cmpint (rows, ==, cases[i].rows);
    }

  g_remove (path);
  g_rmdir (dir);
}

/* Files read as edge lists whose first row says they are something else. */
static void
test_edgelist_not_edges (void)
{
  static const struct
  {
    const char  *name;
    const char  *text;
    PhiliaError  code;        /* 0: loads as an edge list */
    const char  *substring;   /* or the node names */
  } cases[] = {
    { "people.csv", "id,label,age\nann,0,30\nbob,1,40\n", PHILIA_ERROR_FORMAT,
      "people.csv is a node table (header “id,label,age”), not a graph: open the graph file "
      "with this table as its node table (--nodes people.csv on the command line" },
    /* Two columns: a node table when the second is a label. */
    { "y.csv", "Node,Y\n0,1\n1,0\n", PHILIA_ERROR_FORMAT, "y.csv is a node table" },
    { "tab.tsv", "name\tclass\nann\tx\n", PHILIA_ERROR_FORMAT, "tab.tsv is a node table" },
    { "quoted.csv", "\xef\xbb\xbf\"id\",\"label\"\n\"a\",1\n", PHILIA_ERROR_FORMAT,
      "quoted.csv is a node table" },
    /* After comments, the first row is the header. */
    { "commented.csv", "# nodes\nid,x0,x1\n0,1,2\n", PHILIA_ERROR_FORMAT,
      "commented.csv is a node table" },
    /* Edge lists whose header happens to start with a node-table word. */
    { "neighbors.csv", "node,neighbor,weight\n0,1,0.5\n", 0, "0 1" },
    /* Over rows of names, a header not spelled like one is an edge, as before. */
    { "friends.csv", "name,friend\nann,bob\n", 0, "name friend ann bob" },
    { "ids.csv", "id1,id2\n0,1\n", 0, "0 1" },
    /* Gephi's edge table: source and target come first. */
    { "gephi.csv", "Source,Target,Type,Id,Label,Weight\n1,2,Undirected,0,,1\n", 0, "1 2" },
    /* The ids elsewhere than in the first two columns. */
    { "edges.csv", "id,source,target\n0,1,2\n", PHILIA_ERROR_FORMAT,
      "the header on line 1 has “source” and “target” in columns 2 and 3" },
    { "ft.csv", "time,from,to\n0,1,2\n", PHILIA_ERROR_FORMAT, "“from” and “to” in columns 2" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaGraph) graph = load_text (cases[i].name, cases[i].text, &error);

      g_test_message ("%s", cases[i].name);
      if (cases[i].code == 0)
        {
          g_assert_no_error (error);
          assert_names (graph, cases[i].substring);
          continue;
        }
      g_assert_null (graph);
      assert_error (error, cases[i].name, cases[i].code, cases[i].substring);
    }
}

/* A string class attribute without a single value (UBSan, found by fuzzing:
 * the empty list of class names went to qsort() as NULL): all unlabeled. */
static void
test_graphml_empty_class_values (void)
{
  g_autoptr(PhiliaGraph) graph = load_ok ("empty-class-values.graphml", NULL);

  assert_names (graph, "a b");
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 1);
  g_assert_cmpuint (philia_graph_get_n_labeled (graph), ==, 0);
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 0);
  g_assert_cmpint (philia_graph_get_labels (graph)[0], ==, -1);
  g_assert_cmpint (philia_graph_get_labels (graph)[1], ==, -1);
}

/* ---------------------------------------------------------------- node tables */

static void
test_node_table (void)
{
  g_autoptr(PhiliaGraph) graph = load_ok ("people.tsv", "people.nodes.csv");
  /* alice student, bob teacher, carol empty, dave missing, eve "guest" (new). */
  static const gint32 labels[] = { 1, 2, -1, -1, 0 };
  static const float features[] = { 20, 0.5,  45, 1.5,  25, 0,  0, 0,  30, -2 };
  static const Report report = { 3, FALSE, FALSE, 0, 0, 0, 1, 2, 4 };

  assert_names (graph, "alice bob carol dave eve");
  assert_labels (graph, labels, 5);
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 3);
  g_assert_cmpstr (philia_graph_get_class_name (graph, 0), ==, "\"guest\"");
  g_assert_cmpstr (philia_graph_get_class_name (graph, 1), ==, "student");
  g_assert_cmpstr (philia_graph_get_class_name (graph, 2), ==, "teacher");
  assert_features (graph, features, 2);
  assert_report (graph, &report);
}

static void
test_node_table_overrides (void)
{
  g_autoptr(PhiliaGraph) graph = load_ok ("karate.graphml", "karate.nodes.csv");
  const gint32 *labels = philia_graph_get_labels (graph);

  /* The table's integer labels replace the clubs, and their names go too. */
  g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, 34);
  g_assert_cmpuint (philia_graph_get_n_labeled (graph), ==, 2);
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 2);
  g_assert_false (philia_graph_has_class_names (graph));
  g_assert_cmpint (labels[0], ==, 1);
  g_assert_cmpint (labels[33], ==, 0);
  g_assert_cmpint (labels[5], ==, -1);
  g_assert_cmpint (labels[1], ==, -1);
}

static void
test_node_table_unnamed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = load_with_table ("npz", "tiny-graph.npz",
                                                  "import", "tiny-graph.nodes.csv", &error);
  static const gint32 labels[] = { 3, -1, -1, -1, -1 };

  g_assert_no_error (error);
  /* No names in an .npz: ids are indices. The file's features stay. */
  g_assert_false (philia_graph_has_node_names (graph));
  assert_labels (graph, labels, 5);
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 4);
  g_assert_cmpuint (philia_graph_get_n_features (graph), ==, 2);
}

static void
test_node_table_bad (void)
{
  static const struct
  {
    const char  *table;
    PhiliaError  code;
    const char  *substring;
  } cases[] = {
    { "duplicate-id.nodes.csv", PHILIA_ERROR_DUPLICATE,
      "line 4 repeats the id “alice” of line 2" },
    { "non-numeric-feature.nodes.csv", PHILIA_ERROR_FORMAT,
      "line 3, column 3 (“age”): “forty” is not a finite number" },
    { "no-header.nodes.csv", PHILIA_ERROR_FORMAT,
      "the first line must be a header whose first column is “id”" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaGraph) graph = load_with_table ("import", "people.tsv",
                                                      "bad", cases[i].table, &error);

      g_assert_null (graph);
      assert_error (error, cases[i].table, cases[i].code, cases[i].substring);
    }
}

/* Inline tables, written to a temporary folder and loaded against people.tsv. */
static void
test_node_table_csv (void)
{
  static const struct
  {
    const char  *text;
    PhiliaError  code;        /* 0 with no substring: loads */
    const char  *substring;
    gint32       alice_label;
    gint32       bob_label;
  } cases[] = {
    /* A quoted line break; the row after it starts on line 4. */
    { "id,label,w\n\"alice\",\"two\nlines\",1\nbob,b,x\n", PHILIA_ERROR_FORMAT,
      "line 4, column 3 (“w”): “x” is not a finite number", 0, 0 },
    { "id,label\nalice,\"open\n", PHILIA_ERROR_FORMAT,
      "quoted field opened on line 2 is never closed", 0, 0 },
    { "id,label\nalice,\"a\"b\n", PHILIA_ERROR_FORMAT, "line 2 has text after a closing quote",
      0, 0 },
    { "id,label\nalice\n", PHILIA_ERROR_FORMAT, "line 2 has 1 fields, but the header has 2",
      0, 0 },
    { "id,label\n,1\n", PHILIA_ERROR_INVALID, "line 2 has an empty id", 0, 0 },
    { "id,label\nalice,-3\n", PHILIA_ERROR_INVALID, "line 2 has the label “-3”", 0, 0 },
    { "id,label\nalice,1.5\n", PHILIA_ERROR_INVALID, "line 2 has the label “1.5”", 0, 0 },
    { "", PHILIA_ERROR_FORMAT, "is empty", 0, 0 },
    { "id,label\nalice,\xff\n", PHILIA_ERROR_FORMAT, "line 2 is not UTF-8 text", 0, 0 },
    /* Class ids and class names together: the first of the rarer kind is named. */
    { "id,label\nalice,0\nbob,x\ncarol,1\n", PHILIA_ERROR_INVALID,
      "line 3 has the label “x” among class ids (like “0” on line 2)", 0, 0 },
    { "id,label\nalice,a\nbob,-1\ncarol,b\n", PHILIA_ERROR_INVALID,
      "line 3 has the class id “-1” among class names (like “a” on line 2)", 0, 0 },
    /* ... and a quoted line break in the label it names stays one line. */
    { "id,label\nalice,0\nbob,\"x\ny\"\ncarol,1\n", PHILIA_ERROR_INVALID,
      "line 3 has the label “x y” among class ids (like “0” on line 2)", 0, 0 },
    /* Empty cells are unlabeled whatever the kind. */
    { "id,label\nalice,b\nbob,a\ncarol,\n", 0, NULL, 1, 0 },
    /* A quoted line break in a header quoted by a message: one line still. */
    { "id,label,\"two\nlines\"\nalice,1,x\n", PHILIA_ERROR_FORMAT,
      "line 3, column 3 (“two lines”): “x” is not a finite number", 0, 0 },
    /* Tab-separated, integer labels, -1 and empty both unlabeled. */
    { "node\tclass\nalice\t4\nbob\t-1\ncarol\t\n", 0, NULL, 4, -1 },
    /* Only ids: nothing changes. */
    { "name\nalice\n", 0, NULL, -1, -1 },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-import-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "inline.nodes.csv", NULL);
  g_autoptr(GFile) graph_file = data_file ("import", "people.tsv");
  g_autoptr(GFile) table = g_file_new_for_path (path);

  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PhiliaGraph) graph = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_file_set_contents (path, cases[i].text, -1, &error);
      g_assert_no_error (error);
      graph = philia_graph_load (graph_file, table, NULL, NULL, &error);
      if (cases[i].substring != NULL)
        {
          g_assert_null (graph);
          assert_error (error, "inline.nodes.csv", cases[i].code, cases[i].substring);
          g_clear_error (&error);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, 4);
      g_assert_cmpint (philia_graph_get_labels (graph)[0], ==, cases[i].alice_label);
      g_assert_cmpint (philia_graph_get_labels (graph)[1], ==, cases[i].bob_label);
      g_assert_cmpint (philia_graph_get_labels (graph)[2], ==, -1);
    }

  g_remove (path);
  g_rmdir (dir);
}

/* Loads @graph_name from tests/data/@folder with @text as its node table. */
static PhiliaGraph *
load_with_table_text (const char  *folder,
                      const char  *graph_name,
                      const char  *text,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-import-XXXXXX", &local_error);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = data_file (folder, graph_name);
  g_autoptr(GFile) table = NULL;
  PhiliaGraph *graph;

  g_assert_no_error (local_error);
  path = g_build_filename (dir, "table.csv", NULL);
  g_file_set_contents (path, text, -1, &local_error);
  g_assert_no_error (local_error);
  table = g_file_new_for_path (path);
  graph = philia_graph_load (file, table, NULL, NULL, error);
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  return graph;
}

static void
test_node_table_new_nodes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;

  /* Integer ids against GraphML names: nothing matches, so nothing is added. */
  graph = load_with_table_text ("import", "karate.graphml", "id,label\n0,1\n1,0\n", &error);
  g_assert_null (graph);
  assert_error (error, "table.csv", PHILIA_ERROR_INVALID,
                "none of its ids is a node of the graph (whose nodes are named like “n0”)");
  g_clear_error (&error);

  /* A new node would need labels the graph file's clubs cannot give it. */
  graph = load_with_table_text ("import", "karate.graphml", "id\nn0\nzed\n", &error);
  g_assert_null (graph);
  assert_error (error, "table.csv", PHILIA_ERROR_INVALID,
                "line 3 adds a node that is not in the graph, but the table has no label column");
  g_clear_error (&error);

  /* With a label column it works: one more node, isolated, in class “z”.
   * Note that “club” is not a label column's name, only “label”, “y”, “class”. */
  graph = load_with_table_text ("import", "karate.graphml", "id,class\nn0,a\nzed,z\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, 35);
  g_assert_cmpstr (philia_graph_get_node_name (graph, 34), ==, "zed");
  g_assert_cmpint (philia_graph_get_labels (graph)[34], ==, 1);
  g_assert_cmpstr (philia_graph_get_class_name (graph, 1), ==, "z");
  g_assert_cmpint (philia_graph_get_sanity_report (graph)->isolated_nodes, ==, 1);
  g_clear_object (&graph);

  /* No names: new ids continue 0..n-1 without gaps (tiny-graph.npz has 5 nodes). */
  graph = load_with_table_text ("npz", "tiny-graph.npz", "id,y,a,b\n7,1,0,0\n", &error);
  g_assert_null (graph);
  assert_error (error, "table.csv", PHILIA_ERROR_INVALID, "the id 7 leaves a gap");
  g_clear_error (&error);

  graph = load_with_table_text ("npz", "tiny-graph.npz", "id,y\nnode-a,1\n", &error);
  g_assert_null (graph);
  assert_error (error, "table.csv", PHILIA_ERROR_INVALID,
                "the id “node-a” is not a node number");
}

/* ------------------------------------------------------------ format detection */

static void
test_format_detect (void)
{
  static const struct
  {
    const char   *name;
    const char   *head;
    PhiliaFormat  format;
  } cases[] = {
    /* A zip signature wins over any name. */
    { "graph.graphml", "PK\x03\x04", PHILIA_FORMAT_NPZ },
    /* Then the extension, whatever the content. */
    { "x.NPZ", "0 1\n", PHILIA_FORMAT_NPZ },
    { "x.xml", "0 1\n", PHILIA_FORMAT_GRAPHML },
    { "x.gml", "0 1\n", PHILIA_FORMAT_GML },
    { "x.paj", "0 1\n", PHILIA_FORMAT_PAJEK },
    { "x.tsv", "<?xml version=\"1.0\"?>", PHILIA_FORMAT_EDGELIST },
    /* Then the first bytes, after a byte-order mark and blanks. */
    { "x.dat", "\xef\xbb\xbf  <graphml>", PHILIA_FORMAT_GRAPHML },
    { "x.dat", "*Vertices 3\n", PHILIA_FORMAT_PAJEK },
    { "x.dat", "Creator \"me\"\ngraph [", PHILIA_FORMAT_GML },
    { "x.dat", "graph with no bracket", PHILIA_FORMAT_EDGELIST },
    { NULL, "0 1\n", PHILIA_FORMAT_EDGELIST },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (philia_format_detect (cases[i].name, (const guint8 *)cases[i].head,
                                           strlen (cases[i].head)), ==, cases[i].format);
}

/* ------------------------------------------------------------ malformed files */

/* The same files are in tests/data/bad/EXPECTED; here they also prove the
 * messages are one sentence naming the file. */
static void
test_bad_graphs (void)
{
  static const struct
  {
    const char  *file;
    PhiliaError  code;
    const char  *substring;
  } cases[] = {
    { "unclosed-tag.graphml", PHILIA_ERROR_FORMAT, "cannot parse GraphML: " },
    { "non-numeric-attribute.graphml", PHILIA_ERROR_FORMAT, "cannot parse GraphML: " },
    { "missing-feature.graphml", PHILIA_ERROR_INVALID,
      "node “b” has no value for the feature attribute “feat_0”" },
    { "malformed.gml", PHILIA_ERROR_FORMAT, "cannot parse GML: " },
    { "label-fraction.gml", PHILIA_ERROR_INVALID, "“1.5” in attribute “class”" },
    { "arc-past-vertices.net", PHILIA_ERROR_FORMAT, "cannot parse Pajek: " },
    { "one-column.txt", PHILIA_ERROR_FORMAT, "line 4 has one column (“3”)" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaGraph) graph = load_with_table ("bad", cases[i].file, NULL, NULL, &error);

      g_test_message ("%s: %s", cases[i].file, error ? error->message : "(loaded)");
      g_assert_null (graph);
      assert_error (error, cases[i].file, cases[i].code, cases[i].substring);
    }
}

static void
test_progress (void)
{
  g_autoptr(PhiliaProgress) progress = philia_progress_new ();
  g_autoptr(GFile) file = data_file ("import", "karate.graphml");
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, progress, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (graph);
  g_assert_cmpfloat (philia_progress_get_fraction (progress), ==, 1.0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GFile) file = data_file ("import", "karate.graphml");
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;

  g_cancellable_cancel (cancellable);
  graph = philia_graph_load (file, NULL, NULL, cancellable, &error);
  g_assert_null (graph);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  static const struct { const char *path; GTestFunc func; } tests[] = {
    { "/Philia/Import/graphml-karate", test_graphml_karate },
    { "/Philia/Import/graphml-directed", test_graphml_directed },
    { "/Philia/Import/graphml-single-node", test_graphml_single_node },
    { "/Philia/Import/graphml-attributes", test_graphml_attributes },
    { "/Philia/Import/graphml-references", test_graphml_references },
    { "/Philia/Import/graphml-references-inline", test_graphml_references_inline },
    { "/Philia/Import/graphml-empty-class-values", test_graphml_empty_class_values },
    { "/Philia/Import/gml", test_gml },
    { "/Philia/Import/gml-numeric-ids", test_gml_numeric_ids },
    { "/Philia/Import/gml-references", test_gml_references },
    { "/Philia/Import/pajek", test_pajek },
    { "/Philia/Import/edgelist-comments", test_edgelist_comments },
    { "/Philia/Import/edgelist-header", test_edgelist_header },
    { "/Philia/Import/edgelist-strings", test_edgelist_strings },
    { "/Philia/Import/edgelist-integer-order", test_edgelist_integer_order },
    { "/Philia/Import/edgelist-messy", test_edgelist_messy },
    { "/Philia/Import/edgelist-self-loop-and-null", test_edgelist_self_loop_and_null },
    { "/Philia/Import/edgelist-inline", test_edgelist_inline },
    { "/Philia/Import/edgelist-not-edges", test_edgelist_not_edges },
    { "/Philia/Import/node-table", test_node_table },
    { "/Philia/Import/node-table-overrides", test_node_table_overrides },
    { "/Philia/Import/node-table-unnamed", test_node_table_unnamed },
    { "/Philia/Import/node-table-new-nodes", test_node_table_new_nodes },
    { "/Philia/Import/node-table-bad", test_node_table_bad },
    { "/Philia/Import/node-table-csv", test_node_table_csv },
    { "/Philia/Import/format-detect", test_format_detect },
    { "/Philia/Import/bad-graphs", test_bad_graphs },
    { "/Philia/Import/progress", test_progress },
    { "/Philia/Import/cancelled", test_cancelled },
  };

  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_func (tests[i].path, tests[i].func);
  return g_test_run ();
}
