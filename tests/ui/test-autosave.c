/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <stdio.h>
#include <string.h>

#include "philia-app-private.h"
#include "philia-test-util.h"
#include "philia-window.h"

/*
 * Autosave: a changed document is copied to the user cache folder on a
 * worker; a save or a clean close removes the copy; a Philia killed with
 * SIGKILL (this test binary run again as a child, which makes a change,
 * waits for its autosave and says so) leaves it, and the next start offers
 * to restore it, dirty, with its project path. Also prints the longest gap
 * between frames while a big document is autosaved (no assertion on time:
 * HACKING.md §14).
 */
#define READY_LINE "PHILIA-AUTOSAVE-READY"

static PhiliaApplication *app;
static char *cora_path;
static char *cache_dir;

static gboolean
not_loading (gpointer window)
{
  return !philia_window_get_loading (window);
}

static gboolean
not_saving (gpointer window)
{
  return !philia_window_get_saving (window);
}

static guint n_written_before;

/* A copy was written since n_written_before was taken. */
static gboolean
written (gpointer window)
{
  PhiliaAutosave *autosave = philia_window_get_autosave (window);

  return philia_autosave_get_n_written (autosave) > n_written_before
         && !philia_autosave_get_writing (autosave);
}

static PhiliaWindow *
window_with (const char *path)
{
  PhiliaWindow *window = philia_window_new (GTK_APPLICATION (app));
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_window_present (GTK_WINDOW (window));
  philia_window_open (window, file);
  g_assert_true (philia_test_spin_until (not_loading, window, 30000));
  g_assert_nonnull (philia_window_get_document (window));
  return window;
}

static void
add_layout (PhiliaDocument *document,
            const char     *name)
{
  guint n = philia_graph_get_n_nodes (philia_document_get_graph (document));
  double *xy = g_new (double, 2 * n);

  for (guint i = 0; i < n; i++)
    {
      xy[2 * i] = i % 100;
      xy[2 * i + 1] = i / 100;
    }
  philia_document_add_layout (document, name, "manual", 3, xy);
}

/* One application for the whole run (it registers once), no window left
 * over from the test before. */
static void
setup (void)
{
  n_written_before = 0;
  if (app == NULL)
    {
      app = philia_application_new (G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
    }
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
}

static void
teardown (void)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
}

static void
test_written_and_removed (void)
{
  g_autofree char *project = g_build_filename (cache_dir, "saved.philia", NULL);
  PhiliaWindow *window = window_with (cora_path);
  PhiliaAutosave *autosave = philia_window_get_autosave (window);
  const char *copy = philia_autosave_get_path (autosave);
  g_autofree char *marker = NULL;
  g_autoptr(PhiliaDocument) reread = NULL;
  g_autoptr(GError) error = NULL;

  /* Nothing changed, nothing written. */
  philia_test_spin_for (300);
  g_assert_cmpuint (philia_autosave_get_n_written (autosave), ==, 0);
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));

  add_layout (philia_window_get_document (window), "Autosaved");
  g_assert_true (philia_test_spin_until (written, window, 30000));
  g_test_message ("autosave copy: %s", copy);
  g_assert_true (g_str_has_prefix (copy, cache_dir));
  g_assert_true (g_file_test (copy, G_FILE_TEST_IS_REGULAR));
  {
    g_autofree char *stem = g_strndup (copy, strlen (copy) - strlen (PHILIA_PROJECT_EXTENSION));

    marker = g_strconcat (stem, ".ini", NULL);
  }
  g_assert_true (g_file_test (marker, G_FILE_TEST_IS_REGULAR));
  reread = philia_document_open (copy, NULL, PHILIA_PROJECT_OPEN_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (philia_document_find_layout (reread, "Autosaved"));

  /* This process is running: its copy is not an orphan. */
  {
    g_autoptr(GPtrArray) orphans = philia_autosave_find_orphans ();

    g_assert_cmpuint (orphans->len, ==, 0);
  }

  /* Saved: the copy goes. */
  philia_window_set_chooser_answer (window, project);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_true (philia_test_spin_until (not_saving, window, 30000));
  g_assert_null (philia_window_get_banner_message (window));
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));

  /* Changed again, then closed on purpose (Discard): the copy goes too. */
  n_written_before = philia_autosave_get_n_written (autosave);
  add_layout (philia_window_get_document (window), "Again");
  g_assert_true (philia_test_spin_until (written, window, 30000));
  g_assert_true (g_file_test (copy, G_FILE_TEST_IS_REGULAR));
  gtk_window_close (GTK_WINDOW (window));
  gtk_dialog_response (GTK_DIALOG (philia_window_get_question (window)), GTK_RESPONSE_REJECT);
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
  g_remove (project);
}

/* The child: a Philia with a change, autosaved, then killed by the parent. */
static void
test_child (void)
{
  g_autofree char *project = g_build_filename (cache_dir, "before-crash.philia", NULL);
  PhiliaWindow *window = window_with (cora_path);
  g_autoptr(GError) error = NULL;

  /* A saved project, changed after the save: the restore must know it. */
  add_layout (philia_window_get_document (window), "Saved");
  philia_window_set_chooser_answer (window, project);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_true (philia_test_spin_until (not_saving, window, 30000));
  n_written_before = philia_autosave_get_n_written (philia_window_get_autosave (window));
  add_layout (philia_window_get_document (window), "Unsaved");
  g_assert_true (philia_test_spin_until (written, window, 30000));
  printf ("\n" READY_LINE "\n");
  fflush (stdout);
  for (;;)
    philia_test_spin_for (1000);   /* until SIGKILL */
}

static gboolean
offer_shown (gpointer window)
{
  return philia_window_get_restore_message (window) != NULL;
}

typedef struct
{
  PhiliaWindow *window;
} Found;

static gboolean
restored_window (gpointer data)
{
  Found *found = data;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    {
      PhiliaDocument *document = philia_window_get_document (l->data);

      if (document != NULL && philia_document_find_layout (document, "Unsaved") != NULL)
        {
          found->window = l->data;
          return TRUE;
        }
    }
  return FALSE;
}

static void
test_crash_and_restore (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                      | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orphans = NULL;
  g_autofree char *project = g_build_filename (cache_dir, "before-crash.philia", NULL);
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *shot = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  PhiliaWindow *window;
  Found found = { NULL };
  gboolean ready = FALSE;
  char *line;

  g_assert_nonnull (self_exe);
  g_subprocess_launcher_setenv (launcher, "PHILIA_AUTOSAVE_CHILD", "1", TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self_exe, "-p",
                                       "/Philia/Autosave/child", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  while (!ready && (line = g_data_input_stream_read_line (out, NULL, NULL, &error)) != NULL)
    {
      ready = g_str_equal (line, READY_LINE);
      g_free (line);
    }
  g_assert_no_error (error);
  g_assert_true (ready);

  /* A crash: no close, no dispose, no clean-up. */
  g_subprocess_force_exit (child);
  g_assert_true (g_subprocess_wait (child, NULL, &error));
  g_assert_false (g_subprocess_get_if_exited (child));

  orphans = philia_autosave_find_orphans ();
  g_assert_cmpuint (orphans->len, ==, 1);
  g_assert_cmpstr (((PhiliaAutosaveEntry *) orphans->pdata[0])->project_path, ==, project);

  /* The next start offers it, in its first window. */
  g_application_activate (G_APPLICATION (app));
  window = PHILIA_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  g_assert_true (philia_test_spin_until (offer_shown, window, 5000));
  g_assert_cmpstr (philia_window_get_restore_message (window), ==,
                   "Philia did not close properly. Restore 1 unsaved analysis?");
  g_assert_true (philia_test_spin_until (not_loading, window, 30000));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  philia_test_spin_for (400);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  texture = philia_test_render_window (window, gtk_widget_get_width (GTK_WIDGET (window)),
                                       gtk_widget_get_height (GTK_WIDGET (window)));
  philia_test_save_png (texture, "autosave-restore-offer.png");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.restore-autosaves", NULL);
  g_assert_null (philia_window_get_restore_message (window));
  g_assert_true (philia_test_spin_until (restored_window, &found, 30000));

  /* Unsaved, under the project it belongs to; the old copy is gone. */
  g_assert_true (philia_window_get_dirty (found.window));
  g_assert_cmpstr (philia_window_get_title_text (found.window), ==, "• before-crash");
  g_assert_nonnull (philia_document_find_layout (philia_window_get_document (found.window),
                                                 "Saved"));
  g_assert_false (g_file_test (((PhiliaAutosaveEntry *) orphans->pdata[0])->autosave_path,
                               G_FILE_TEST_EXISTS));
  g_clear_pointer (&orphans, g_ptr_array_unref);
  orphans = philia_autosave_find_orphans ();
  g_assert_cmpuint (orphans->len, ==, 0);

  /* Save goes to the project, not to the cache. */
  gtk_widget_activate_action (GTK_WIDGET (found.window), "win.save", NULL);
  g_assert_true (philia_test_spin_until (not_saving, found.window, 30000));
  g_assert_null (philia_window_get_banner_message (found.window));
  g_assert_false (philia_window_get_dirty (found.window));
  {
    g_autoptr(PhiliaDocument) reread = philia_document_open (project, NULL,
                                                             PHILIA_PROJECT_OPEN_DEFAULT, NULL,
                                                             &error);

    g_assert_no_error (error);
    g_assert_nonnull (philia_document_find_layout (reread, "Unsaved"));
  }
  g_remove (project);
}

/* Frames while a big document is autosaved: the longest gap, printed. */
typedef struct
{
  gint64 last;
  gint64 longest;
  guint  frames;
} FrameGaps;

static gboolean
tick (GtkWidget     *widget,
      GdkFrameClock *clock,
      gpointer       data)
{
  FrameGaps *gaps = data;
  gint64 now = g_get_monotonic_time ();

  if (gaps->last != 0)
    gaps->longest = MAX (gaps->longest, now - gaps->last);
  gaps->last = now;
  gaps->frames++;
  /* A frame every vsync, without redrawing the whole graph each time. */
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static gboolean
not_writing (gpointer window)
{
  return !philia_autosave_get_writing (philia_window_get_autosave (window));
}

static void
test_frame_gaps (void)
{
  g_autofree char *pubmed = philia_test_shared_dataset ("pubmed.npz");
  PhiliaWindow *window;
  PhiliaDocument *document;
  FrameGaps idle = { 0 }, saving = { 0 };
  gint64 start, took;
  guint tick_id;
  GStatBuf st;

  if (pubmed == NULL)
    {
      g_test_skip ("pubmed.npz is not in the shared datasets");
      return;
    }
  window = window_with (pubmed);
  document = philia_window_get_document (window);
  /* Big enough to take a while: ten layouts of 19,717 nodes, at random
   * positions (a grid would compress to nothing). */
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("Layout %u", i);
      g_autoptr(GRand) rand = g_rand_new_with_seed (i);
      guint n = philia_graph_get_n_nodes (philia_document_get_graph (document));
      double *xy = g_new (double, 2 * n);

      for (guint k = 0; k < 2 * n; k++)
        xy[k] = g_rand_double_range (rand, -1000.0, 1000.0);
      philia_document_add_layout (document, name, "manual", i, xy);
    }
  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, window, 10000));
  g_assert_true (philia_test_spin_until (not_writing, window, 60000));
  /* Let the canvas finish its own first layout and drawing of PubMed, which
   * would otherwise be what is measured. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  philia_test_spin_for (4000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* The same measurement without an autosave, for comparison. */
  tick_id = gtk_widget_add_tick_callback (philia_window_get_dataset_panel (window), tick, &idle,
                                          NULL);
  philia_test_spin_for (200);
  idle.longest = 0;
  idle.frames = 0;
  philia_test_spin_for (1000);
  gtk_widget_remove_tick_callback (philia_window_get_dataset_panel (window), tick_id);

  tick_id = gtk_widget_add_tick_callback (philia_window_get_dataset_panel (window), tick, &saving,
                                          NULL);
  philia_test_spin_for (200);
  saving.longest = 0;
  start = g_get_monotonic_time ();
  g_assert_true (philia_autosave_write_now (philia_window_get_autosave (window)));
  g_assert_true (philia_test_spin_until (not_writing, window, 120000));
  took = g_get_monotonic_time () - start;
  gtk_widget_remove_tick_callback (philia_window_get_dataset_panel (window), tick_id);

  g_assert_cmpint (g_stat (philia_autosave_get_path (philia_window_get_autosave (window)), &st),
                   ==, 0);
  g_test_message ("autosave of pubmed.npz with 10 layouts: %.0f ms, %.1f MB written",
                  took / 1000.0, st.st_size / 1e6);
  g_test_message ("longest frame gap: %.1f ms while autosaving (%u frames), "
                  "%.1f ms without (%u frames in 1 s)",
                  saving.longest / 1000.0, saving.frames, idle.longest / 1000.0, idle.frames);
  /* The part on the main thread: the snapshot. */
  start = g_get_monotonic_time ();
  philia_document_snapshot_free (philia_document_snapshot (document));
  g_test_message ("snapshot on the main thread: %.2f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (saving.frames, >, 0);
}

/* The test's own cache folder, gone after the run. */
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

static void
no_datasets (void)
{
  g_test_skip ("cora.npz is not in the shared datasets");
}

int
main (int   argc,
      char *argv[])
{
  gboolean child = g_getenv ("PHILIA_AUTOSAVE_CHILD") != NULL;
  g_autofree char *base = NULL;

  /* A cache of its own before GLib reads XDG_CACHE_HOME, shared with the child. */
  if (!child)
    {
      base = g_dir_make_tmp ("philia-autosave-XXXXXX", NULL);
      g_setenv ("XDG_CACHE_HOME", base, TRUE);
      g_setenv ("PHILIA_AUTOSAVE_DELAY_MS", "100", TRUE);
    }
  cache_dir = g_strdup (g_get_user_cache_dir ());

  if (!philia_test_init (&argc, &argv, "Autosave"))
    return g_test_run ();

  cora_path = philia_test_shared_dataset ("cora.npz");
  if (cora_path == NULL)
    {
      g_test_add_func ("/Philia/Autosave/no-datasets", no_datasets);
      return g_test_run ();
    }

#define ADD(path, func) g_test_add_vtable (path, 0, NULL, (GTestFixtureFunc) setup, \
                                          (GTestFixtureFunc) func, (GTestFixtureFunc) teardown)
  if (child)
    ADD ("/Philia/Autosave/child", test_child);
  else
    {
      ADD ("/Philia/Autosave/written-and-removed", test_written_and_removed);
      ADD ("/Philia/Autosave/crash-and-restore", test_crash_and_restore);
      ADD ("/Philia/Autosave/frame-gaps", test_frame_gaps);
    }
#undef ADD

  {
    int status = g_test_run ();

    if (!child)
      remove_tree (base);
    return status;
  }
}
