/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <string.h>

#include <cairo.h>

#include "cli-test-util.h"

/* philia-cli is driven as a user would: a subprocess, its stdout, stderr and
 * exit status. The bundled Cora in data/ is always there, so these never skip. */

static void
test_info_json (void)
{
  g_autofree char *cora = cora_path ();
  g_auto(Run) run = { 0 };
  const char *expected[] = {
    "\"nodes\":2708", "\"edges\":5278", "\"features\":1433", "\"classes\":7",
    "\"labeled\":2708", "\"splits\":11", "\"directed_input\":false", "\"self_loops\":0",
    "\"duplicate_edges\":0", "\"isolated_nodes\":0", "\"components\":78",
    "\"largest_component\":2485", "\"class_sizes\":[351,217,418,818,426,298,180]",
    "{\"train\":140,\"val\":500,\"test\":1000}", "\"format\":\"npz\"",
  };

  run_cli (&run, "info", cora, "--json", NULL);
  if (run.status != 0)
    g_test_message ("stderr: %s", run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "{"));
  g_assert_true (g_str_has_suffix (run.out, "}\n"));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (strstr (run.out, expected[i]) == NULL)
      g_error ("“%s” not in %s", expected[i], run.out);
}

static void
test_info_text (void)
{
  g_autofree char *cora = cora_path ();
  g_auto(Run) run = { 0 };

  run_cli (&run, "info", cora, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "undirected edges   5278"));
  g_assert_nonnull (strstr (run.out, "largest 2485 nodes"));
}

/* Lists are lists in the JSON, empty when there is nothing: a graph without
 * labels has "class_sizes":[] and "class_names":[], never null. */
static void
test_info_json_unlabeled (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "import", "integers.txt",
                                                 NULL);
  g_auto(Run) run = { 0 };

  run_cli (&run, "info", path, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"classes\":0,\"labeled\":0,\"class_sizes\":[],"
                                     "\"class_names\":[],\"splits\":0,\"split_sizes\":[],"));
  g_assert_null (strstr (run.out, "null"));
}

static void
test_missing_file (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, "info", "no-such-dataset.npz", "--json", NULL);
  assert_one_line_error (&run, 1, "no-such-dataset.npz");
}

static void
test_directory (void)
{
  g_autofree char *dir = g_dir_make_tmp ("philia-cli-XXXXXX", NULL);
  g_auto(Run) run = { 0 };

  run_cli (&run, "info", dir, NULL);
  assert_one_line_error (&run, 1, "folder");
  g_rmdir (dir);
}

static void
test_usage_errors (void)
{
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) c = { 0 };
  g_auto(Run) d = { 0 };

  run_cli (&a, "frobnicate", NULL);
  assert_one_line_error (&a, 2, "unknown command");
  run_cli (&b, "info", NULL);
  assert_one_line_error (&b, 2, "FILE is required");
  run_cli (&c, "info", "a.npz", "--bogus", NULL);
  assert_one_line_error (&c, 2, "--bogus");
  run_cli (&d, "figure", "a.npz", "--kind", "class-sizes", "--out", "x.bmp", NULL);
  assert_one_line_error (&d, 2, ".png, .svg or .pdf");
}

static void
test_help (void)
{
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };

  run_cli (&a, "--help", NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_nonnull (strstr (a.out, "info"));
  run_cli (&b, "info", "--help", NULL);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_nonnull (strstr (b.out, "--json"));
  g_assert_nonnull (strstr (b.out, "--nodes"));
}

/* Every command's usage line names the program and the command once:
 * "philia-cli train [OPTION…] FILE", not "train [OPTION…] train FILE". The
 * commands are the ones `philia-cli --help` lists, so a new one is checked
 * too; those listed here also have their arguments checked. */
static void
test_help_usage_lines (void)
{
  static const char *args[][2] = {
    { "info", "FILE" }, { "stats", "FILE" }, { "layout", "FILE" }, { "figure", "FILE" },
    { "generate", "csbm|grid|mesh|latent" }, { "proximity", "FILE --pairs P.csv" },
    { "linkpred", "FILE --heuristic H" }, { "train", "FILE" }, { "plugins", "" },
  };
  g_auto(Run) top = { 0 };
  g_auto(GStrv) top_lines = NULL;
  gboolean in_commands = FALSE;
  guint n_commands = 0;

  run_cli (&top, "--help", NULL);
  g_assert_cmpint (top.status, ==, 0);
  top_lines = g_strsplit (top.out, "\n", -1);
  for (guint l = 0; top_lines[l] != NULL; l++)
    {
      g_auto(Run) run = { 0 };
      g_auto(GStrv) lines = NULL;
      g_autofree char *name = NULL;
      g_autofree char *prefix = NULL;
      g_autofree char *rest = NULL;
      const char *after;

      if (g_str_equal (top_lines[l], "Commands:"))
        {
          in_commands = TRUE;
          continue;
        }
      if (!in_commands || !g_str_has_prefix (top_lines[l], "  "))
        {
          in_commands = in_commands && top_lines[l][0] != '\0';
          continue;
        }
      name = g_strndup (top_lines[l] + 2, strcspn (top_lines[l] + 2, " "));
      n_commands++;

      run_cli (&run, name, "--help", NULL);
      g_assert_cmpint (run.status, ==, 0);
      lines = g_strsplit (run.out, "\n", 3);
      g_assert_cmpstr (lines[0], ==, "Usage:");
      g_test_message ("%s", lines[1]);
      prefix = g_strdup_printf ("  philia-cli %s [OPTION", name);
      g_assert_true (g_str_has_prefix (lines[1], prefix));
      /* After "[OPTION…]" come the arguments, never the command again. */
      after = strchr (lines[1], ']');
      g_assert_nonnull (after);
      rest = g_strstrip (g_strdup (after + 1));
      g_assert_false (g_str_has_prefix (rest, name));
      for (guint i = 0; i < G_N_ELEMENTS (args); i++)
        if (g_str_equal (args[i][0], name))
          g_assert_cmpstr (rest, ==, args[i][1]);
    }
  g_assert_cmpuint (n_commands, >=, G_N_ELEMENTS (args));
}

static void
test_figure (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *dir = g_dir_make_tmp ("philia-cli-XXXXXX", NULL);
  const char *names[] = { "classes.png", "classes.svg", "classes.pdf" };
  const char *magic[] = { "\x89PNG", "<?xml", "%PDF" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *out = g_build_filename (dir, names[i], NULL);
      g_autofree char *contents = NULL;
      g_auto(Run) run = { 0 };

      run_cli (&run, "figure", cora, "--kind", "class-sizes", "--out", out, "--json", NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.out, "\"width\":360"));
      g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
      g_assert_true (g_str_has_prefix (contents, magic[i]));
      g_unlink (out);
    }
  g_rmdir (dir);
}

static void
test_stats (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *dir = g_dir_make_tmp ("philia-cli-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "nodes.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(Run) run = { 0 };
  const char *keys[] = {
    "\"edge_homophily\":0.80996589617279", "\"node_homophily\":0.82515782759279",
    "\"class_homophily\":", "\"adjusted_homophily\":", "\"label_informativeness\":",
    "\"compatibility_matrix\":[[", "\"local_homophily_histogram\":{",
    "\"feature_similarity_edges\":", "\"feature_similarity_random\":", "\"as_stored\":{",
  };

  run_cli (&run, "stats", cora, "--json", "--per-node", csv, "--directed", NULL);
  g_assert_cmpint (run.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (strstr (run.out, keys[i]) == NULL)
      g_error ("“%s” not in %s", keys[i], run.out);

  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "id,label,degree,local_homophily");
  g_assert_cmpuint (g_strv_length (lines), ==, 2708 + 2);   /* header, rows, final "" */
  g_unlink (csv);
  g_rmdir (dir);
}

static void
test_stats_bad_option (void)
{
  g_autofree char *cora = cora_path ();
  g_auto(Run) run = { 0 };

  run_cli (&run, "stats", cora, "--bins", "0", NULL);
  assert_one_line_error (&run, 2, "--bins");
}

/* A node table with the class id 65535 (found by fuzzing): the graph loads,
 * but stats would have asked for two dense 65536 × 65536 tables (64 GiB). */
static void
test_stats_sparse_class_ids (void)
{
  g_autofree char *graph = g_test_build_filename (G_TEST_DIST, "data", "import", "people.tsv",
                                                  NULL);
  g_autofree char *table = g_test_build_filename (G_TEST_DIST, "data", "bad",
                                                  "class-id-65535.nodes.csv", NULL);
  g_auto(Run) info = { 0 };
  g_auto(Run) stats = { 0 };

  run_cli (&info, "info", graph, "--nodes", table, "--json", NULL);
  g_assert_cmpint (info.status, ==, 0);
  g_assert_nonnull (strstr (info.out, "\"classes\":65536"));
  run_cli (&stats, "stats", graph, "--nodes", table, NULL);
  assert_one_line_error (&stats, 1, "people.tsv: the class ids go up to 65535, but the "
                         "homophily measures compare classes pairwise for at most 4096 "
                         "classes (2 of the 65536 class ids have nodes");
}

static void
test_layout_and_graph_figure (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *dir = g_dir_make_tmp ("philia-cli-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "pos.csv", NULL);
  g_autofree char *svg = g_build_filename (dir, "graph.svg", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) c = { 0 };
  g_auto(Run) d = { 0 };
  g_auto(Run) e = { 0 };
  g_auto(Run) f = { 0 };

  run_cli (&a, "layout", cora, "--algorithm", "circle", "--out", csv, "--json", NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_nonnull (strstr (a.out, "\"algorithm\":\"circle\""));
  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "id,x,y");
  g_assert_cmpstr (lines[1], ==, "0,1,0");               /* node 0 at angle 0 */
  g_assert_cmpuint (g_strv_length (lines), ==, 2708 + 2);

  run_cli (&b, "figure", cora, "--kind", "graph", "--color-by", "local-homophily", "--out", svg,
           NULL);
  g_assert_cmpint (b.status, ==, 0);
  /* Edge styles are named as in a project; the value style needs values. */
  run_cli (&d, "figure", cora, "--kind", "graph", "--edges", "none", "--out", svg, NULL);
  g_assert_cmpint (d.status, ==, 0);
  run_cli (&e, "figure", cora, "--kind", "graph", "--edges", "value", "--out", svg, NULL);
  assert_one_line_error (&e, 2, "--edges must be homophily, plain or hidden");
  run_cli (&f, "figure", cora, "--kind", "graph", "--color-by", "Degree", "--out", svg, NULL);
  assert_one_line_error (&f, 2, "--color-by must be label, local-homophily or degree");
  run_cli (&c, "layout", cora, "--algorithm", "spiral", "--out", csv, NULL);
  assert_one_line_error (&c, 2, "known layouts");
  g_unlink (csv);
  g_unlink (svg);
  g_rmdir (dir);
}

/* The three newer models through the CLI: the HACKING.md §9 keys, a predictions
 * file with one row per node, GPR-GNN's γ unaffected by --k (K = 3 here). */
static void
test_train_new_models (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *dir = g_dir_make_tmp ("philia-cli-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "pred.csv", NULL);
  const char *models[] = { "sage", "h2gcn", "gprgnn" };
  const char *keys[] = { "\"model\":", "\"split\":", "\"best_epoch\":",
                         "\"train_accuracy\":", "\"val_accuracy\":", "\"test_accuracy\":",
                         "\"epoch_ms_median\":", "\"seconds\":",
                         "\"accuracy_by_local_homophily\":" };

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      g_auto(Run) run = { 0 };
      g_autofree char *text = NULL;
      g_autofree char *model_key = g_strdup_printf ("\"model\":\"%s\"", models[m]);
      g_auto(GStrv) lines = NULL;

      run_cli (&run, "train", cora, "--model", models[m], "--epochs", "5", "--k", "3",
               "--threads", "2", "--json", "--predictions", csv, NULL);
      g_assert_cmpint (run.status, ==, 0);
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        g_assert_nonnull (strstr (run.out, keys[k]));
      g_assert_nonnull (strstr (run.out, model_key));
      g_assert_nonnull (strstr (run.out, "\"epochs\":5"));
      g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
      lines = g_strsplit (text, "\n", -1);
      /* Header, 2708 nodes, the empty string after the last newline. */
      g_assert_cmpuint (g_strv_length (lines), ==, 2708 + 2);
      g_assert_true (g_str_has_prefix (lines[0], "id,label,prediction,correct,p0,"));
      g_remove (csv);
    }
  g_rmdir (dir);
}

static void
test_train_lists_models (void)
{
  g_auto(Run) help = { 0 };
  g_auto(Run) bad = { 0 };
  g_autofree char *cora = cora_path ();

  run_cli (&help, "train", "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "  sage "));
  g_assert_nonnull (strstr (help.out, "  h2gcn "));
  g_assert_nonnull (strstr (help.out, "  gprgnn "));
  run_cli (&bad, "train", cora, "--model", "graphsage", NULL);
  assert_one_line_error (&bad, 2, "unknown --model “graphsage” (registered: ");
  g_assert_nonnull (strstr (bad.err, "h2gcn"));
}

/* A file read wrong before is refused: exit 1, one line naming the file, for
 * info as for stats (and with a node table that is fine). */
static void
test_misreads_refused (void)
{
  static const struct
  {
    const char *file;
    const char *needle;
  } cases[] = {
    { "edge-undeclared-target.graphml",
      "edge-undeclared-target.graphml: edge 1 (line 8) names node “zzz” as its target" },
    { "edge-undeclared.gml", "edge-undeclared.gml: edge 2 (line 9) names node “7”" },
    { "mixed-ids.txt", "mixed-ids.txt: line 5 has the node id “two” among integer ids" },
    { "node-table-alone.csv", "node-table-alone.csv is a node table" },
  };
  g_autofree char *table = g_test_build_filename (G_TEST_DIST, "data", "import",
                                                  "people.nodes.csv", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "bad", cases[i].file,
                                                     NULL);
      g_auto(Run) info = { 0 };
      g_auto(Run) stats = { 0 };
      g_auto(Run) with_table = { 0 };

      run_cli (&info, "info", path, NULL);
      assert_one_line_error (&info, 1, cases[i].needle);
      run_cli (&stats, "stats", path, "--json", NULL);
      assert_one_line_error (&stats, 1, cases[i].needle);
      run_cli (&with_table, "info", path, "--nodes", table, NULL);
      assert_one_line_error (&with_table, 1, cases[i].needle);
    }
}

/* Luminance of the pixel at (@x, @y) of the PNG at @path, 0 to 1. */
static double
png_luminance (const char *path,
               int         x,
               int         y)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);
  const guint32 *row;
  guint32 p;

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  row = (const guint32 *) (cairo_image_surface_get_data (surface)
                           + y * cairo_image_surface_get_stride (surface));
  p = row[x];
  cairo_surface_destroy (surface);
  return (0.2126 * ((p >> 16) & 0xff) + 0.7152 * ((p >> 8) & 0xff) + 0.0722 * (p & 0xff)) / 255;
}

/* Figures are light unless --theme dark asks: the page and the title's ink
 * swap; any other theme is refused. */
static void
test_figure_theme (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *dir = g_dir_make_tmp ("philia-cli-XXXXXX", NULL);
  g_autofree char *light = g_build_filename (dir, "light.png", NULL);
  g_autofree char *dark = g_build_filename (dir, "dark.png", NULL);
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) c = { 0 };

  run_cli (&a, "figure", cora, "--kind", "class-sizes", "--out", light, "--dpi", "72", NULL);
  g_assert_cmpint (a.status, ==, 0);
  run_cli (&b, "figure", cora, "--kind", "class-sizes", "--out", dark, "--dpi", "72",
           "--theme", "dark", NULL);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_cmpfloat (png_luminance (light, 1, 1), >, 0.95);
  g_assert_cmpfloat (png_luminance (dark, 1, 1), <, 0.2);
  run_cli (&c, "figure", cora, "--kind", "class-sizes", "--out", dark, "--theme", "sepia", NULL);
  assert_one_line_error (&c, 2, "--theme must be light or dark");
  g_unlink (light);
  g_unlink (dark);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Philia/Cli/info-json", test_info_json);
  g_test_add_func ("/Philia/Cli/info-text", test_info_text);
  g_test_add_func ("/Philia/Cli/info-json-unlabeled", test_info_json_unlabeled);
  g_test_add_func ("/Philia/Cli/missing-file", test_missing_file);
  g_test_add_func ("/Philia/Cli/directory", test_directory);
  g_test_add_func ("/Philia/Cli/misreads-refused", test_misreads_refused);
  g_test_add_func ("/Philia/Cli/usage-errors", test_usage_errors);
  g_test_add_func ("/Philia/Cli/help", test_help);
  g_test_add_func ("/Philia/Cli/help-usage-lines", test_help_usage_lines);
  g_test_add_func ("/Philia/Cli/figure", test_figure);
  g_test_add_func ("/Philia/Cli/stats", test_stats);
  g_test_add_func ("/Philia/Cli/stats-bad-option", test_stats_bad_option);
  g_test_add_func ("/Philia/Cli/stats-sparse-class-ids", test_stats_sparse_class_ids);
  g_test_add_func ("/Philia/Cli/layout-and-graph-figure", test_layout_and_graph_figure);
  g_test_add_func ("/Philia/Cli/train-new-models", test_train_new_models);
  g_test_add_func ("/Philia/Cli/train-lists-models", test_train_lists_models);
  g_test_add_func ("/Philia/Cli/figure-theme", test_figure_theme);
  return g_test_run ();
}
