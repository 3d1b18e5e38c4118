/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * philia-cli with plugins on its path: the shipped plugins' algorithms are
 * accepted like built-ins by layout, stats, proximity and train, and
 * `plugins` reports loaded and refused ones (HACKING.md §9). Run from the build
 * tree it finds the shipped plugins by itself; a copy outside it, like an
 * installed one, does not.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cli-test-util.h"

static void
set_plugin_path (gboolean with_broken)
{
  g_autofree char *path = NULL;

  if (with_broken)
    path = g_strjoin (G_SEARCHPATH_SEPARATOR_S, g_getenv ("PHILIA_SHIPPED_PLUGIN_DIR"),
                      g_getenv ("PHILIA_TEST_PLUGIN_DIR"), NULL);
  else
    path = g_strdup (g_getenv ("PHILIA_SHIPPED_PLUGIN_DIR"));
  g_setenv ("PHILIA_PLUGIN_PATH", path, TRUE);
}

static char *build_tree_cli;
static char *installed_dir;

/* A copy of philia-cli outside the build tree stands for an installed one
 * (the core is linked in statically). It sees the plugins installed in
 * PHILIA_PLUGINDIR; FALSE (test skipped) if a Philia installed on this
 * machine has put plugins there. */
static gboolean
use_installed_copy (void)
{
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (g_file_test (PHILIA_PLUGINDIR, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("a Philia is installed here: " PHILIA_PLUGINDIR " exists");
      return FALSE;
    }
  if (build_tree_cli == NULL)
    build_tree_cli = g_strdup (g_getenv ("PHILIA_CLI"));
  if (installed_dir == NULL)
    {
      installed_dir = g_dir_make_tmp ("philia-installed-XXXXXX", &error);
      g_assert_no_error (error);
    }
  path = g_build_filename (installed_dir, "philia-cli", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      source = g_file_new_for_path (build_tree_cli);
      copy = g_file_new_for_path (path);
      g_file_copy (source, copy, G_FILE_COPY_ALL_METADATA, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_setenv ("PHILIA_CLI", path, TRUE);
  return TRUE;
}

static void
use_build_tree_cli (void)
{
  if (build_tree_cli != NULL)
    g_setenv ("PHILIA_CLI", build_tree_cli, TRUE);
}

static void
test_plugins_json (void)
{
  g_auto(Run) run = { 0 };

  set_plugin_path (TRUE);
  run_cli (&run, "plugins", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "{\"plugins\":["));
  g_assert_nonnull (strstr (run.out, "{\"id\":\"forceatlas2\",\"name\":\"ForceAtlas2\","
                                     "\"version\":\"1.0\""));
  g_assert_nonnull (strstr (run.out, "\"status\":\"loaded\",\"reason\":null,\"family\":\"layout\","
                                     "\"families\":[\"layout\"],\"algorithms\":[\"forceatlas2\"]"));
  g_assert_nonnull (strstr (run.out, "\"algorithms\":[\"lpi\"]"));
  g_assert_nonnull (strstr (run.out, "\"status\":\"refused\",\"reason\":\"Plugin “abi-wrong” was "
                                     "built for ABI 2, this Philia has ABI 1.\""));
  g_assert_nonnull (strstr (run.out, "does not export the entry point"));
  g_assert_cmpstr (run.err, ==, "");
  run_clear (&run);

  /* Text form: one line per plugin and its reason. */
  run_cli (&run, "plugins", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "fagcn 1.0 (loaded)"));
  g_assert_nonnull (strstr (run.out, "no-module 0.1 (refused)"));
  g_assert_nonnull (strstr (run.out, "has no Module= key"));
  run_clear (&run);

  /* No plugins at all: an installed philia-cli with nothing installed. */
  if (use_installed_copy ())
    {
      g_setenv ("PHILIA_PLUGIN_PATH", "/nonexistent-philia-plugins", TRUE);
      run_cli (&run, "plugins", "--json", NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.out, ==, "{\"plugins\":[]}\n");
      run_clear (&run);
      run_cli (&run, "plugins", NULL);
      g_assert_cmpstr (run.out, ==, "No plugins found.\n");
      use_build_tree_cli ();
    }
}

/* Run from the build tree with no PHILIA_PLUGIN_PATH at all, philia-cli
 * finds the plugins built beside it. */
static void
test_build_tree (void)
{
  const char *shipped = g_getenv ("PHILIA_SHIPPED_PLUGIN_DIR");
  static const char *ids[] = { "aggregation-homophily", "fagcn", "forceatlas2",
                               "local-path-index" };
  g_autofree char *cora = cora_path ();
  g_auto(Run) run = { 0 };

  g_unsetenv ("PHILIA_PLUGIN_PATH");
  run_cli (&run, "plugins", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_test_message ("%s", run.out);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s.plugin", ids[i]);
      g_autofree char *path = g_build_filename (shipped, file, NULL);
      g_autofree char *line = g_strdup_printf ("%s 1.0 (loaded): %s\n", ids[i], path);

      if (strstr (run.out, line) == NULL)
        g_error ("“%s” not in %s", line, run.out);
    }
  g_assert_null (strstr (run.out, "refused"));
  run_clear (&run);

  /* …and uses them like built-ins. */
  run_cli (&run, "train", cora, "--model", "fagcn", "--epochs", "2", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"model\":\"fagcn\""));
  run_clear (&run);

  /* The same directory on $PHILIA_PLUGIN_PATH is searched once, not
   * reported as shadowing itself. */
  g_setenv ("PHILIA_PLUGIN_PATH", shipped, TRUE);
  run_cli (&run, "plugins", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strstr (run.out, "refused"));
  g_assert_nonnull (strstr (run.out, "fagcn 1.0 (loaded)"));
}

/* A philia-cli outside any build tree (as installed) looks in the installed
 * plugin dir, never in the build tree it was built in. */
static void
test_installed (void)
{
  g_auto(Run) run = { 0 };

  if (!use_installed_copy ())
    return;
  g_unsetenv ("PHILIA_PLUGIN_PATH");
  run_cli (&run, "plugins", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "{\"plugins\":[]}\n");
  use_build_tree_cli ();
}

static void
test_plugin_algorithms (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *dir = g_dir_make_tmp ("philia-cli-plugins-XXXXXX", NULL);
  g_autofree char *pairs = g_build_filename (dir, "pairs.csv", NULL);
  g_autofree char *pos = g_build_filename (dir, "pos.csv", NULL);
  g_auto(Run) run = { 0 };

  set_plugin_path (FALSE);
  g_assert_true (g_file_set_contents (pairs, "u,v\n0,0\n0,633\n", -1, NULL));

  run_cli (&run, "layout", cora, "--algorithm", "forceatlas2", "--out", pos, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"algorithm\":\"forceatlas2\""));
  g_assert_true (g_file_test (pos, G_FILE_TEST_EXISTS));
  run_clear (&run);

  run_cli (&run, "stats", cora, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"aggregation_homophily\":0.99519940915805"));
  run_clear (&run);

  /* cora node 0 has degree 3, so lpi(0, 0) = (A²)_00 + 0.01 (A³)_00 = 3 + 0.01 (A³)_00. */
  run_cli (&run, "proximity", cora, "--pairs", pairs, "--heuristics", "cn,lpi", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "u,v,cn,lpi\n0,0,3,3"));
  run_clear (&run);

  /* The plugin's heuristic is evaluated like a built-in one. */
  run_cli (&run, "linkpred", cora, "--heuristic", "lpi", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "{\"heuristic\":\"lpi\",\"hits@10\":"));
  run_clear (&run);

  run_cli (&run, "train", cora, "--model", "fagcn", "--epochs", "5", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"model\":\"fagcn\""));
  run_clear (&run);

  g_remove (pos);

  /* Without the plugin, a clear usage error that lists what is known. */
  if (use_installed_copy ())
    {
      g_setenv ("PHILIA_PLUGIN_PATH", "/nonexistent-philia-plugins", TRUE);
      run_cli (&run, "train", cora, "--model", "fagcn", NULL);
      assert_one_line_error (&run, 2, "unknown --model “fagcn” (registered: appnp, gat, gcn, "
                             "gprgnn, h2gcn, mlp, sage, sgc or transformer)");
      run_clear (&run);
      run_cli (&run, "proximity", cora, "--pairs", pairs, "--heuristics", "lpi", NULL);
      assert_one_line_error (&run, 2, "Unknown heuristic “lpi”");
      run_clear (&run);
      run_cli (&run, "linkpred", cora, "--heuristic", "lpi", NULL);
      assert_one_line_error (&run, 2, "unknown heuristic; known heuristics: aa, cn");
      use_build_tree_cli ();
    }

  g_remove (pairs);
  g_rmdir (dir);
}

/* The stats failure rule (philia-stats-report.h): a plugin's measure that
 * fails is a row marked failed, the rest of the report is printed, the reason
 * goes to stderr and the exit status is a failure. */
static void
test_stats_failing_measure (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *path = g_strjoin (G_SEARCHPATH_SEPARATOR_S,
                                     g_getenv ("PHILIA_SHIPPED_PLUGIN_DIR"),
                                     g_getenv ("PHILIA_TEST_FAILING_PLUGIN_DIR"), NULL);
  const char *reason = "philia-cli stats: the measure “always-fails” from the plugin "
                       "“failing-measure” failed: The test measure needs a licence file "
                       "that is not there.\n";
  g_auto(Run) run = { 0 };

  g_setenv ("PHILIA_PLUGIN_PATH", path, TRUE);
  run_cli (&run, "stats", cora, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "  edge homophily "));
  g_assert_nonnull (strstr (run.out, "Always fails (plugin)"));
  g_assert_nonnull (strstr (run.out, "failed\n"));
  /* The other plugin's measure and the histogram are still there. */
  g_assert_nonnull (strstr (run.out, "Aggregation homophily (plugin)"));
  g_assert_nonnull (strstr (run.out, "local homophily histogram (10 bins):"));
  g_assert_cmpstr (run.err, ==, reason);
  run_clear (&run);

  run_cli (&run, "stats", cora, "--json", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "\"aggregation_homophily\":0.99519940915805"));
  g_assert_nonnull (strstr (run.out, "\"always_fails\":null"));
  g_assert_nonnull (strstr (run.out, "\"failed_measures\":{\"always_fails\":\"The test measure "
                                     "needs a licence file that is not there.\"}"));
  g_assert_nonnull (strstr (run.out, "\"local_homophily_histogram\":"));
  g_assert_cmpstr (run.err, ==, reason);
  run_clear (&run);

  /* Without it the same command succeeds and says nothing of failures. */
  g_setenv ("PHILIA_PLUGIN_PATH", g_getenv ("PHILIA_SHIPPED_PLUGIN_DIR"), TRUE);
  run_cli (&run, "stats", cora, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strstr (run.out, "failed_measures"));
  g_assert_cmpstr (run.err, ==, "");
}

/* In German the shipped plugins speak German too: their names and
 * descriptions from Philia's catalogue and from the .plugin files' localised
 * keys, and a usage error is German. */
static void
test_translated (void)
{
  g_autofree char *cora = cora_path ();
  g_auto(Run) run = { 0 };

  g_setenv ("PHILIA_PLUGIN_PATH", g_getenv ("PHILIA_SHIPPED_PLUGIN_DIR"), TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  /* The .plugin files' Name[de]… */
  run_cli (&run, "plugins", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"name\":\"Lokaler Pfadindex\""));
  g_assert_nonnull (strstr (run.out, "\"id\":\"local-path-index\""));
  g_assert_null (strstr (run.out, "Local path index"));
  run_clear (&run);

  /* …and the algorithm's name the plugin registers, from Philia's catalogue. */
  run_cli (&run, "stats", cora, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Aggregationshomophilie"));
  g_assert_null (strstr (run.out, "Aggregation homophily"));
  run_clear (&run);

  run_cli (&run, "train", cora, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--model M ist erforderlich"));
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LC_ALL");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Philia/CliPlugins/plugins-json", test_plugins_json);
  g_test_add_func ("/Philia/CliPlugins/algorithms", test_plugin_algorithms);
  g_test_add_func ("/Philia/CliPlugins/build-tree", test_build_tree);
  g_test_add_func ("/Philia/CliPlugins/installed", test_installed);
  g_test_add_func ("/Philia/CliPlugins/stats-failing-measure", test_stats_failing_measure);
  g_test_add_func ("/Philia/CliPlugins/translated", test_translated);
  status = g_test_run ();

  if (installed_dir != NULL)
    {
      g_autofree char *copy = g_build_filename (installed_dir, "philia-cli", NULL);

      g_remove (copy);
      g_rmdir (installed_dir);
    }
  g_free (installed_dir);
  g_free (build_tree_cli);
  return status;
}
