/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "philia-test-util.h"
#include "philia-window.h"

/*
 * `philia --nodes TABLE.csv GRAPH` while Philia is already running: this test
 * process is the running Philia (the primary instance on the session bus
 * tests/headless.sh provides), and a second `philia` process started from
 * another directory hands it the command line. The first window must get the
 * graph with the node table's labels, and Open Recent must bring both back.
 */
static PhiliaApplication *app;
static PhiliaWindow *window;
static char *import_dir;

static gboolean
load_done (gpointer data)
{
  return !philia_window_get_loading (window);
}

typedef struct
{
  gboolean done;
  int      status;
  char    *out;
  char    *err;
} Second;

static void
second_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Second *second = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &second->out,
                                        &second->err, &error);
  g_assert_no_error (error);
  second->status = g_subprocess_get_if_exited (G_SUBPROCESS (object))
                   ? g_subprocess_get_exit_status (G_SUBPROCESS (object)) : -1;
  second->done = TRUE;
}

static gboolean
second_finished (gpointer data)
{
  return ((Second *) data)->done;
}

/* Runs `philia ARGS…` in @cwd while this process's main loop turns (it has
 * to, to answer the second process over D-Bus); returns its exit status. */
static int
run_second (Second     *second,
            const char *cwd,
            const char *first,
            ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("PHILIA_APP"));
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  memset (second, 0, sizeof *second);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, cwd);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, second_done, second);
  g_assert_true (philia_test_spin_until (second_finished, second, 30000));
  g_test_message ("second philia: status %d, stderr “%s”", second->status, second->err);
  return second->status;
}

static void
second_clear (Second *second)
{
  g_clear_pointer (&second->out, g_free);
  g_clear_pointer (&second->err, g_free);
}

/* people.tsv with people.nodes.csv: 5 nodes, 3 labelled in 3 named classes
 * (tests/test-import.c checks the same pair through the core). */
static void
assert_people_with_labels (void)
{
  PhiliaGraph *graph = philia_window_get_graph (window);

  g_assert_nonnull (graph);
  g_assert_cmpstr (philia_graph_get_source (graph), ==, "people.tsv");
  g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, 5);
  g_assert_cmpuint (philia_graph_get_n_labeled (graph), ==, 3);
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 3);
  g_assert_cmpstr (philia_graph_get_class_name (graph, 1), ==, "student");
  g_assert_cmpuint (philia_graph_get_n_features (graph), ==, 2);
}

static void
test_forwarded_nodes (void)
{
  Second second;
  PhiliaGraph *before;

  /* Relative names, resolved against the second process's directory. */
  before = philia_window_get_graph (window);
  g_assert_cmpint (run_second (&second, import_dir, "--nodes", "people.nodes.csv", "people.tsv",
                               NULL), ==, 0);
  second_clear (&second);
  g_assert_true (philia_test_spin_until (load_done, NULL, 30000));
  g_assert_true (philia_window_get_graph (window) != before);
  g_assert_null (philia_window_get_banner_message (window));
  assert_people_with_labels ();

  /* One window still: the running instance opened it, no second app did. */
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);
}

static void
test_nodes_without_graph (void)
{
  Second second;
  PhiliaGraph *before = philia_window_get_graph (window);

  /* Said on the second process's terminal, with a usage status; nothing
   * changes in the running window. */
  g_assert_cmpint (run_second (&second, import_dir, "--nodes", "people.nodes.csv", NULL), ==, 2);
  g_assert_nonnull (strstr (second.err, "--nodes TABLE.csv goes with exactly one graph file"));
  second_clear (&second);
  philia_test_spin_for (200);
  g_assert_true (philia_window_get_graph (window) == before);
}

static void
test_recent (void)
{
  GMenuModel *recent = philia_window_get_recent_menu (window);
  g_autoptr(GVariant) target = NULL;
  g_autofree char *action = NULL;
  g_autofree char *label = NULL;
  g_autofree char *graph_path = g_build_filename (import_dir, "people.tsv", NULL);
  g_autofree char *table_path = g_build_filename (import_dir, "people.nodes.csv", NULL);
  g_autoptr(GFile) graph_file = g_file_new_for_path (graph_path);
  g_autoptr(GFile) table_file = g_file_new_for_path (table_path);
  g_autofree char *graph_uri = g_file_get_uri (graph_file);
  g_autofree char *table_uri = g_file_get_uri (table_file);
  const char *got_graph, *got_table;

  /* The first item is the graph with its table, named both. */
  g_assert_cmpint (g_menu_model_get_n_items (recent), >=, 1);
  g_assert_true (g_menu_model_get_item_attribute (recent, 0, G_MENU_ATTRIBUTE_LABEL, "s",
                                                  &label));
  g_assert_true (g_str_has_prefix (label, "people.tsv with people.nodes.csv — "));
  g_assert_true (g_menu_model_get_item_attribute (recent, 0, G_MENU_ATTRIBUTE_ACTION, "s",
                                                  &action));
  target = g_menu_model_get_item_attribute_value (recent, 0, G_MENU_ATTRIBUTE_TARGET, NULL);
  g_assert_nonnull (target);
  g_variant_get (target, "(&s&s)", &got_graph, &got_table);
  g_assert_cmpstr (got_graph, ==, graph_uri);
  g_assert_cmpstr (got_table, ==, table_uri);

  /* Something else in between, then the recent item brings back both. */
  philia_window_open_default (window);
  g_assert_true (philia_test_spin_until (load_done, NULL, 30000));
  g_assert_cmpuint (philia_graph_get_n_nodes (philia_window_get_graph (window)), ==, 2708);
  g_assert_true (g_str_has_prefix (action, "win."));
  gtk_widget_activate_action_variant (GTK_WIDGET (window), action, target);
  g_assert_true (philia_test_spin_until (load_done, NULL, 30000));
  assert_people_with_labels ();

  /* Opened alone afterwards, it is remembered alone. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-file", "s", graph_path);
  g_assert_true (philia_test_spin_until (load_done, NULL, 30000));
  g_assert_cmpuint (philia_graph_get_n_labeled (philia_window_get_graph (window)), ==, 0);
  g_clear_pointer (&label, g_free);
  g_clear_pointer (&action, g_free);
  g_assert_true (g_menu_model_get_item_attribute (recent, 0, G_MENU_ATTRIBUTE_LABEL, "s",
                                                  &label));
  g_assert_true (g_str_has_prefix (label, "people.tsv — "));
  g_assert_true (g_menu_model_get_item_attribute (recent, 0, G_MENU_ATTRIBUTE_ACTION, "s",
                                                  &action));
  g_assert_cmpstr (action, ==, "win.open-file");
}

static void
test_no_private_bus (void)
{
  g_test_skip ("not the primary instance on a private session bus: run under tests/headless.sh");
}

/* An uninstalled build run without meson devenv finds no settings schema:
 * GSettings would abort, so the app says what to do and exits 1. */
static void
test_missing_schema (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = g_dir_make_tmp ("philia-schema-XXXXXX", &error);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", empty, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", empty, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PHILIA_APP"), "cora.npz",
                                      NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
  g_assert_nonnull (strstr (err, "io.github.philia.Philia"));
  g_assert_nonnull (strstr (err, "meson devenv -C build philia"));
  g_clear_object (&proc);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* --version and --help read no setting: they still answer (the man-page
   * check runs them on an uninstalled build). */
  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PHILIA_APP"), "--version",
                                      NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_nonnull (strstr (out, PACKAGE_VERSION));
  g_rmdir (empty);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!philia_test_init (&argc, &argv, "Remote"))
    return g_test_run ();

  import_dir = g_test_build_filename (G_TEST_DIST, "..", "data", "import", NULL);
  g_test_add_func ("/Philia/Remote/missing-schema", test_missing_schema);

  /* The real, unique application: the second process must find it. */
  app = philia_application_new (G_APPLICATION_DEFAULT_FLAGS);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL
      || !g_application_register (G_APPLICATION (app), NULL, &error)
      || g_application_get_is_remote (G_APPLICATION (app)))
    {
      /* No private bus (run it under tests/headless.sh), or another Philia
       * owns the name on this one: it would get the command lines. */
      g_test_message ("cannot be the primary instance: %s",
                      error != NULL ? error->message : "another one runs");
      g_clear_object (&app);
      g_test_add_func ("/Philia/Remote/no-private-bus", test_no_private_bus);
      return g_test_run ();
    }
  g_application_activate (G_APPLICATION (app));
  window = PHILIA_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  g_assert_true (philia_test_spin_until (load_done, NULL, 30000));

  g_test_add_func ("/Philia/Remote/forwarded-nodes", test_forwarded_nodes);
  g_test_add_func ("/Philia/Remote/nodes-without-graph", test_nodes_without_graph);
  g_test_add_func ("/Philia/Remote/recent", test_recent);
  status = g_test_run ();

  philia_test_window_destroy (window, &app);
  g_free (import_dir);
  return status;
}
