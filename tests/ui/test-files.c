/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "philia-app-private.h"
#include "philia-file-chooser.h"
#include "philia-test-util.h"
#include "philia-window.h"

/* Open Recent and the file choosers, in a home folder of the test's own
 * (set before GLib reads it): names shown as they are with their folder,
 * choosers starting where the last file was chosen, else in Documents. */
static PhiliaApplication *app;
static PhiliaWindow *window;
static char *home;
static char *elsewhere;      /* a folder outside the home folder */

/* The test's own folders, gone after the run. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static gboolean
load_done (gpointer data)
{
  return !philia_window_get_loading (window);
}

/* A path of three nodes, written where the test wants a dataset. */
static char *
write_dataset (const char *folder,
               const char *name)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (3);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (folder, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  philia_graph_builder_add_edge (builder, 0, 1);
  philia_graph_builder_add_edge (builder, 1, 2);
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_true (philia_graph_write_npz (graph, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
open_and_wait (const char *path)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-file", "s", path);
  g_assert_true (philia_test_spin_until (load_done, NULL, 30000));
  g_assert_null (philia_window_get_banner_message (window));
}

static void
collect_labels (GtkWidget *widget,
                GPtrArray *labels)
{
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (labels, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels);
}

/* The texts a popover menu built from the Open Recent section shows. */
static GPtrArray *
shown_recent_labels (void)
{
  GtkWidget *popover = gtk_popover_menu_new_from_model (philia_window_get_recent_menu (window));
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);

  g_object_ref_sink (popover);
  collect_labels (popover, labels);
  g_object_unref (popover);
  return labels;
}

static gboolean
contains (GPtrArray  *labels,
          const char *text)
{
  for (guint i = 0; i < labels->len; i++)
    if (g_str_equal (g_ptr_array_index (labels, i), text))
      return TRUE;
  return FALSE;
}

static void
test_recent_names (void)
{
  g_autofree char *in_home = g_build_filename (home, "my_data", NULL);
  g_autofree char *first = write_dataset (in_home, "a_b.npz");
  g_autofree char *second = write_dataset (elsewhere, "a_b.npz");
  g_autofree char *home_label = g_strdup ("a_b.npz — ~/my_data");
  g_autofree char *elsewhere_label = g_strdup_printf ("a_b.npz — %s", elsewhere);
  g_autoptr(GPtrArray) labels = NULL;

  open_and_wait (first);
  open_and_wait (second);

  /* Underscores shown as they are (not taken for mnemonics), and the two
   * files told apart by their folders, the home folder written "~". */
  labels = shown_recent_labels ();
  for (guint i = 0; i < labels->len; i++)
    g_test_message ("shown: %s", (const char *) g_ptr_array_index (labels, i));
  g_assert_true (contains (labels, home_label));
  g_assert_true (contains (labels, elsewhere_label));
  g_assert_false (contains (labels, "ab.npz"));
  g_assert_cmpstr (g_ptr_array_index (labels, 0), ==, elsewhere_label);
}

static void
assert_started_in (const char *expected)
{
  GFile *started = _philia_file_chooser_get_last_start ();
  g_autofree char *path = NULL;

  g_assert_nonnull (started);
  path = g_file_get_path (started);
  g_assert_cmpstr (path, ==, expected);
}

/* Activates @action with a chooser that answers @answer ("" cancels). */
static void
choose (const char *action,
        const char *answer)
{
  philia_window_set_chooser_answer (window, answer);
  gtk_widget_activate_action (GTK_WIDGET (window), action, NULL);
  g_assert_true (philia_test_spin_until (load_done, NULL, 30000));
}

static gboolean
not_saving (gpointer data)
{
  return !philia_window_get_saving (window);
}

static void
test_chooser_folders (void)
{
  g_autofree char *documents = g_build_filename (home, "Documents", NULL);
  g_autofree char *data_dir = g_build_filename (home, "datasets", NULL);
  g_autofree char *projects_dir = g_build_filename (elsewhere, "analyses", NULL);
  g_autofree char *dataset = write_dataset (data_dir, "graph.npz");
  g_autofree char *project = g_build_filename (projects_dir, "graph.philia", NULL);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *moved = g_strconcat (documents, ".away", NULL);
  g_autoptr(GFile) start = NULL;

  /* Nothing chosen yet: the documents folder, not the working directory. */
  g_assert_cmpstr (documents, !=, cwd);
  choose ("win.open", "");
  assert_started_in (documents);

  /* A dataset chosen in a folder: Open and Save Dataset start there next. */
  choose ("win.open", dataset);
  g_assert_cmpuint (philia_graph_get_n_nodes (philia_window_get_graph (window)), ==, 3);
  choose ("win.open", "");
  assert_started_in (data_dir);
  choose ("win.save-npz", "");
  assert_started_in (data_dir);

  /* Projects remember their own folder: Save As starts in Documents until
   * a project is saved somewhere, then there. */
  choose ("win.save-as", "");
  assert_started_in (documents);
  g_assert_cmpint (g_mkdir_with_parents (projects_dir, 0700), ==, 0);
  choose ("win.save-as", project);
  g_assert_true (philia_test_spin_until (not_saving, NULL, 30000));
  g_assert_true (g_file_test (project, G_FILE_TEST_EXISTS));
  start = _philia_file_chooser_dup_start_folder ("projects");
  g_assert_cmpstr (g_file_peek_path (start), ==, projects_dir);
  g_clear_object (&start);
  choose ("win.open", "");
  assert_started_in (data_dir);

  /* Exports have not been used: Documents. */
  start = _philia_file_chooser_dup_start_folder ("exports");
  g_assert_cmpstr (g_file_peek_path (start), ==, documents);
  g_clear_object (&start);

  /* A remembered folder that is gone: Documents; no Documents: home. */
  g_assert_cmpint (g_remove (dataset), ==, 0);
  g_assert_cmpint (g_rmdir (data_dir), ==, 0);
  choose ("win.open", "");
  assert_started_in (documents);
  g_assert_cmpint (g_rename (documents, moved), ==, 0);
  choose ("win.open", "");
  assert_started_in (home);
  g_assert_cmpint (g_rename (moved, documents), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = NULL;
  g_autofree char *documents = NULL;
  g_autofree char *user_dirs = NULL;
  int ret;

  /* Before anything asks GLib for the home or the documents folder. */
  home = g_dir_make_tmp ("philia-home-XXXXXX", NULL);
  elsewhere = g_dir_make_tmp ("philia-elsewhere-XXXXXX", NULL);
  g_assert_nonnull (home);
  g_assert_nonnull (elsewhere);
  config = g_build_filename (home, ".config", NULL);
  documents = g_build_filename (home, "Documents", NULL);
  user_dirs = g_build_filename (config, "user-dirs.dirs", NULL);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (documents, 0700), ==, 0);
  g_assert_true (g_file_set_contents (user_dirs, "XDG_DOCUMENTS_DIR=\"$HOME/Documents\"\n", -1,
                                      NULL));
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);

  if (!philia_test_init (&argc, &argv, "Files"))
    return g_test_run ();

  window = philia_test_window_new (&app);
  g_assert_true (philia_test_spin_until (load_done, NULL, 30000));

  g_test_add_func ("/Philia/Files/recent-names", test_recent_names);
  g_test_add_func ("/Philia/Files/chooser-folders", test_chooser_folders);

  ret = g_test_run ();

  philia_test_window_destroy (window, &app);
  remove_tree (home);
  remove_tree (elsewhere);
  g_free (home);
  g_free (elsewhere);
  return ret;
}
