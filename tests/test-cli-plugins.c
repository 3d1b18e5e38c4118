/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * philia-cli with plugins on its path: the shipped plugins' algorithms are
 * accepted like built-ins by layout, stats, proximity and train, and
 * `plugins` reports loaded and refused ones (HACKING.md §9).
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

  /* No plugins at all. */
  g_setenv ("PHILIA_PLUGIN_PATH", "/nonexistent-philia-plugins", TRUE);
  run_cli (&run, "plugins", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "{\"plugins\":["));
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

  /* Without the plugin, a clear usage error that lists what is known. */
  g_setenv ("PHILIA_PLUGIN_PATH", "/nonexistent-philia-plugins", TRUE);
  run_cli (&run, "train", cora, "--model", "fagcn", NULL);
  assert_one_line_error (&run, 2, "unknown --model “fagcn” (registered: appnp, gat, gcn, gprgnn, "
                         "h2gcn, mlp, sage or sgc)");
  run_clear (&run);
  run_cli (&run, "proximity", cora, "--pairs", pairs, "--heuristics", "lpi", NULL);
  assert_one_line_error (&run, 2, "Unknown heuristic “lpi”");
  run_clear (&run);
  run_cli (&run, "linkpred", cora, "--heuristic", "lpi", NULL);
  assert_one_line_error (&run, 2, "unknown heuristic; known heuristics: aa, cn");
  run_clear (&run);

  g_remove (pairs);
  g_remove (pos);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Philia/CliPlugins/plugins-json", test_plugins_json);
  g_test_add_func ("/Philia/CliPlugins/algorithms", test_plugin_algorithms);
  return g_test_run ();
}
