/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <unistd.h>

#include "philia-core.h"

static const char *
plugin_dir (void)
{
  const char *dir = g_getenv ("PHILIA_TEST_PLUGIN_DIR");

  g_assert_nonnull (dir);
  return dir;
}

static const PhiliaPluginInfo *
find (GPtrArray  *infos,
      const char *id)
{
  const PhiliaPluginInfo *found = NULL;

  for (guint i = 0; i < infos->len; i++)
    {
      const PhiliaPluginInfo *info = infos->pdata[i];

      if (g_str_equal (info->id, id))
        {
          g_assert_null (found);   /* each id reported once per directory here */
          found = info;
        }
    }
  g_assert_nonnull (found);
  return found;
}

static void
assert_refused (GPtrArray  *infos,
                const char *id,
                const char *reason_part)
{
  const PhiliaPluginInfo *info = find (infos, id);

  g_test_message ("%s: %s", id, info->reason ? info->reason : "(loaded)");
  g_assert_cmpint (info->status, ==, PHILIA_PLUGIN_REFUSED);
  g_assert_nonnull (info->reason);
  g_assert_nonnull (strstr (info->reason, reason_part));
  /* One sentence naming the plugin. */
  g_assert_nonnull (strstr (info->reason, id));
  g_assert_true (g_str_has_suffix (info->reason, "."));
  g_assert_cmpuint (g_strv_length (info->families), ==, 0);
  g_assert_cmpuint (g_strv_length (info->algorithms), ==, 0);
}

static PhiliaGraph *
build_graph (guint         n,
             const gint64 *edges,
             guint         n_edges)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph;

  for (guint i = 0; i < n_edges; i++)
    philia_graph_builder_add_edge (builder, edges[2 * i], edges[2 * i + 1]);
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  return graph;
}

static double
compute_graph_measure (const PhiliaAlgorithm *algorithm,
                       PhiliaGraph           *graph)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *values = NULL;
  gsize n_values = 0;

  values = philia_measure_compute (algorithm, graph, &n_values, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_values, ==, 1);
  return values[0];
}

static void
test_load_directory (void)
{
  g_autoptr(PhiliaRegistry) registry = philia_registry_new ();
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  const char *path[] = { plugin_dir (), NULL };
  const PhiliaPluginInfo *good;
  const PhiliaAlgorithm *algorithm;
  g_autoptr(GPtrArray) measures = NULL;
  g_autoptr(PhiliaGraph) path3 = NULL;
  g_autoptr(PhiliaGraph) single = NULL;
  /* 0-1-2 plus isolated 3 and 4: degrees 1, 2, 1, 0, 0, mean 4 / 5. */
  const gint64 edges[] = { 0, 1, 1, 2 };

  g_assert_true (philia_plugins_load (registry, path, NULL, &infos, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 11);

  good = find (infos, "mean-degree");
  g_assert_cmpint (good->status, ==, PHILIA_PLUGIN_LOADED);
  g_assert_null (good->reason);
  g_assert_cmpstr (good->name, ==, "Mean degree");
  g_assert_cmpstr (good->version, ==, "0.1");
  g_assert_cmpint (good->abi, ==, 1);
  g_assert_cmpstr (good->authors[0], ==, "Philia tests");
  g_assert_true (g_str_has_suffix (good->file, "mean-degree.plugin"));
  g_assert_true (g_str_has_suffix (good->module_file, "mean-degree." G_MODULE_SUFFIX));
  g_assert_cmpuint (g_strv_length (good->families), ==, 1);
  g_assert_cmpstr (good->families[0], ==, "measure");
  g_assert_cmpuint (g_strv_length (good->algorithms), ==, 1);
  g_assert_cmpstr (good->algorithms[0], ==, "mean-degree");

  assert_refused (infos, "abi-wrong", "was built for ABI 2, this Philia has ABI 1");
  assert_refused (infos, "abi-missing", "does not declare X-Philia-ABI");
  assert_refused (infos, "abi-garbage", "X-Philia-ABI=“one”");
  assert_refused (infos, "no-module", "has no Module= key");
  assert_refused (infos, "module-missing", "which does not exist");
  assert_refused (infos, "not-a-module", "cannot be opened");
  assert_refused (infos, "no-symbol", "does not export the entry point philia_plugin_register()");
  assert_refused (infos, "entry-fails", "failed to start: The test plugin needs a licence file");
  assert_refused (infos, "entry-fails-silently", "failed to start and gave no reason");
  assert_refused (infos, "twin-mean-degree", "“mean-degree” from twin-mean-degree is already "
                  "registered by mean-degree");
  g_assert_cmpint (find (infos, "abi-wrong")->abi, ==, 2);
  g_assert_cmpint (find (infos, "abi-garbage")->abi, ==, -1);
  g_assert_null (find (infos, "no-module")->module_file);

  /* Only the good plugin's one algorithm got in: no canary from a module that
   * should never have run, nothing registered before a failure, no half of the
   * twin's pair. */
  measures = philia_registry_list (registry, PHILIA_FAMILY_MEASURE);
  g_assert_cmpuint (measures->len, ==, 1);
  for (guint f = 0; f < PHILIA_N_FAMILIES; f++)
    if (f != PHILIA_FAMILY_MEASURE)
      {
        g_autoptr(GPtrArray) list = philia_registry_list (registry, f);

        g_assert_cmpuint (list->len, ==, 0);
      }
  g_assert_null (philia_registry_lookup (registry, PHILIA_FAMILY_MEASURE, "canary"));
  g_assert_null (philia_registry_lookup (registry, PHILIA_FAMILY_MEASURE, "entry-fails-first"));
  g_assert_null (philia_registry_lookup (registry, PHILIA_FAMILY_MEASURE, "twin-extra"));

  algorithm = philia_registry_lookup (registry, PHILIA_FAMILY_MEASURE, "mean-degree");
  g_assert_nonnull (algorithm);
  g_assert_cmpstr (algorithm->provider, ==, "mean-degree");
  g_assert_cmpstr (algorithm->name, ==, "Mean degree");

  path3 = build_graph (5, edges, 2);
  g_assert_cmpfloat_with_epsilon (compute_graph_measure (algorithm, path3), 0.8, 1e-12);
  single = build_graph (1, NULL, 0);
  g_assert_cmpfloat (compute_graph_measure (algorithm, single), ==, 0.0);
}

static void
test_disabled (void)
{
  g_autoptr(PhiliaRegistry) registry = philia_registry_new ();
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  const char *path[] = { plugin_dir (), NULL };
  const char *disabled[] = { "mean-degree", NULL };
  const PhiliaPluginInfo *info;

  g_assert_true (philia_plugins_load (registry, path, disabled, &infos, &error));
  g_assert_no_error (error);

  info = find (infos, "mean-degree");
  g_assert_cmpint (info->status, ==, PHILIA_PLUGIN_DISABLED);
  g_assert_nonnull (strstr (info->reason, "disabled"));
  g_assert_cmpstr (info->name, ==, "Mean degree");
  /* With the original out of the way the twin has no clash and loads whole. */
  info = find (infos, "twin-mean-degree");
  g_assert_cmpint (info->status, ==, PHILIA_PLUGIN_LOADED);
  g_assert_cmpstr (philia_registry_lookup (registry, PHILIA_FAMILY_MEASURE,
                                           "mean-degree")->provider, ==, "twin-mean-degree");
  g_assert_nonnull (philia_registry_lookup (registry, PHILIA_FAMILY_MEASURE, "twin-extra"));
}

/* The same id in two directories: the first on the path wins, the later copy
 * is refused, and loading the same module again is harmless. */
static void
test_shadowed (void)
{
  g_autoptr(PhiliaRegistry) registry = philia_registry_new ();
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("philia-plugins-XXXXXX", &error);
  g_autofree char *src_keyfile = g_build_filename (plugin_dir (), "mean-degree.plugin", NULL);
  g_autofree char *keyfile = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  const char *path[] = { tmp, plugin_dir (), NULL };
  const PhiliaPluginInfo *first = NULL, *second = NULL;

  g_assert_no_error (error);
  /* Keyfile only: the copy in tmp names a module that is not there, so the
   * first copy is refused for that, and the second is still shadowed by it. */
  keyfile = g_build_filename (tmp, "mean-degree.plugin", NULL);
  g_assert_true (g_file_get_contents (src_keyfile, &contents, &length, &error));
  g_assert_true (g_file_set_contents (keyfile, contents, length, &error));
  g_assert_no_error (error);

  g_assert_true (philia_plugins_load (registry, path, NULL, &infos, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < infos->len; i++)
    {
      const PhiliaPluginInfo *info = infos->pdata[i];

      if (!g_str_equal (info->id, "mean-degree"))
        continue;
      if (first == NULL)
        first = info;
      else
        second = info;
    }
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_true (g_str_has_prefix (first->file, tmp));
  g_assert_cmpint (first->status, ==, PHILIA_PLUGIN_REFUSED);
  g_assert_nonnull (strstr (first->reason, "does not exist"));
  g_assert_cmpint (second->status, ==, PHILIA_PLUGIN_REFUSED);
  g_assert_nonnull (strstr (second->reason, "is ignored"));
  g_assert_nonnull (strstr (second->reason, first->file));
  /* The twin now loads: nothing named mean-degree got in before it. */
  g_assert_cmpint (find (infos, "twin-mean-degree")->status, ==, PHILIA_PLUGIN_LOADED);

  g_assert_cmpint (g_remove (keyfile), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

static void
test_default_path (void)
{
  g_autoptr(PhiliaRegistry) registry = philia_registry_new ();
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *env = g_strconcat ("/nonexistent-philia-dir" G_SEARCHPATH_SEPARATOR_S,
                                      plugin_dir (), NULL);

  /* NULL search path: $PHILIA_PLUGIN_PATH comes first (missing dirs are fine). */
  g_setenv ("PHILIA_PLUGIN_PATH", env, TRUE);
  g_assert_true (philia_plugins_load (registry, NULL, NULL, &infos, &error));
  g_assert_no_error (error);
  g_assert_cmpint (find (infos, "mean-degree")->status, ==, PHILIA_PLUGIN_LOADED);
  g_assert_nonnull (philia_registry_lookup (registry, PHILIA_FAMILY_MEASURE, "mean-degree"));
  g_setenv ("PHILIA_PLUGIN_PATH", "", TRUE);
}

/* One directory named twice (once as a symbolic link, once with a trailing
 * "/.") is searched once: every plugin in it is reported a single time. */
static void
test_same_directory_twice (void)
{
  g_autoptr(PhiliaRegistry) registry = philia_registry_new ();
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GPtrArray) once = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("philia-plugins-XXXXXX", NULL);
  g_autofree char *link = g_build_filename (tmp, "link", NULL);
  g_autofree char *dotted = g_build_filename (plugin_dir (), ".", NULL);
  const char *path[] = { plugin_dir (), dotted, link, NULL };
  const char *single[] = { plugin_dir (), NULL };

  g_assert_cmpint (symlink (plugin_dir (), link), ==, 0);
  g_assert_true (philia_plugins_load (registry, path, NULL, &infos, &error));
  g_assert_no_error (error);
  g_assert_cmpint (find (infos, "mean-degree")->status, ==, PHILIA_PLUGIN_LOADED);
  {
    g_autoptr(PhiliaRegistry) other = philia_registry_new ();

    g_assert_true (philia_plugins_load (other, single, NULL, &once, &error));
    g_assert_cmpuint (infos->len, ==, once->len);
  }
  g_assert_cmpint (g_unlink (link), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/Philia/Plugins/load-directory", test_load_directory);
  g_test_add_func ("/Philia/Plugins/disabled", test_disabled);
  g_test_add_func ("/Philia/Plugins/shadowed", test_shadowed);
  g_test_add_func ("/Philia/Plugins/default-path", test_default_path);
  g_test_add_func ("/Philia/Plugins/same-directory-twice", test_same_directory_twice);

  return g_test_run ();
}
