/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: the input is a CSV node table ("id,label,f0,..."), loaded
 * with philia_graph_load (GRAPH, TABLE) — the one entry the core offers for
 * tables, which reads files — against three small fixed graphs that take the
 * table's different paths: node names (an edge list), no names so that ids are
 * node numbers (Pajek without vertex lines), and names with labels and
 * features of its own (GraphML). A dataset that loads then goes through stats.
 */
#include "fuzz-common.h"

#include <glib/gstdio.h>

static const struct
{
  const char *name;
  const char *text;
} graphs[] = {
  { "named.txt", "alice bob\nbob carol\ncarol alice\ndave eve\n" },
  { "numbered.net", "*Vertices 5\n*Edges\n1 2\n2 3\n3 1\n4 5\n" },
  { "labelled.graphml",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
    "  <key id=\"y\" for=\"node\" attr.name=\"label\" attr.type=\"int\"/>\n"
    "  <key id=\"f0\" for=\"node\" attr.name=\"feat_0\" attr.type=\"double\"/>\n"
    "  <key id=\"f1\" for=\"node\" attr.name=\"feat_1\" attr.type=\"double\"/>\n"
    "  <graph edgedefault=\"undirected\">\n"
    "    <node id=\"n0\"><data key=\"y\">0</data><data key=\"f0\">1</data>"
    "<data key=\"f1\">0</data></node>\n"
    "    <node id=\"n1\"><data key=\"y\">1</data><data key=\"f0\">0</data>"
    "<data key=\"f1\">1</data></node>\n"
    "    <node id=\"n2\"><data key=\"y\">1</data><data key=\"f0\">0.5</data>"
    "<data key=\"f1\">0.5</data></node>\n"
    "    <edge source=\"n0\" target=\"n1\"/>\n"
    "    <edge source=\"n1\" target=\"n2\"/>\n"
    "  </graph>\n"
    "</graphml>\n" },
};

static char *folder;
static GFile *graph_files[G_N_ELEMENTS (graphs)];
static char *table_path;
static GFile *table_file;

static void
remove_folder (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (graphs); i++)
    {
      g_autofree char *path = g_file_get_path (graph_files[i]);

      g_unlink (path);
      g_clear_object (&graph_files[i]);
    }
  g_unlink (table_path);
  g_rmdir (folder);
  g_clear_object (&table_file);
  g_clear_pointer (&table_path, g_free);
  g_clear_pointer (&folder, g_free);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  fuzz_init ();
  folder = g_dir_make_tmp ("philia-fuzz-XXXXXX", &error);
  if (folder == NULL)
    g_error ("%s", error->message);
  for (guint i = 0; i < G_N_ELEMENTS (graphs); i++)
    {
      g_autofree char *path = g_build_filename (folder, graphs[i].name, NULL);

      if (!g_file_set_contents (path, graphs[i].text, -1, &error))
        g_error ("%s", error->message);
      graph_files[i] = g_file_new_for_path (path);
    }
  table_path = g_build_filename (folder, "table.csv", NULL);
  table_file = g_file_new_for_path (table_path);
  atexit (remove_folder);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  FILE *out = fopen (table_path, "wb");

  /* Plain stdio: g_file_set_contents() may fsync, thousands of times a second. */
  if (out == NULL || (size > 0 && fwrite (data, 1, size, out) != size) || fclose (out) != 0)
    abort ();

  for (guint i = 0; i < G_N_ELEMENTS (graphs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaGraph) graph = NULL;

      graph = philia_graph_load (graph_files[i], table_file, NULL, NULL, &error);
      if (graph == NULL)
        fuzz_check_refusal (error, "table.csv");
      else
        fuzz_use_graph (graph, graphs[i].name);
    }
  return 0;
}
