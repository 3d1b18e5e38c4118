/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "philia-chart-view.h"
#include "philia-dataset-panel.h"
#include "philia-test-util.h"
#include "philia-window.h"

/* The tests drive one application and window in turn, as a user would:
 * bundled Cora first, then another dataset, then a bad file. */
static PhiliaApplication *app;
static PhiliaWindow *window;

static gboolean
load_done (gpointer data)
{
  return !philia_window_get_loading (window);
}

static PhiliaDatasetPanel *
panel (void)
{
  return PHILIA_DATASET_PANEL (philia_window_get_dataset_panel (window));
}

static void
assert_row (const char *key,
            const char *expected)
{
  g_assert_cmpstr (philia_dataset_panel_get_row_text (panel (), key), ==, expected);
}

static void
open_and_wait (const char *path_or_uri)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-file", "s", path_or_uri);
  g_assert_true (philia_window_get_loading (window));
  g_assert_true (philia_test_spin_until (load_done, NULL, 30000));
}

static void
test_default_dataset (void)
{
  g_autofree char *split0 = NULL;
  g_autofree char *split10 = NULL;
  g_autofree char *sanity = NULL;

  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, window, 10000));
  g_assert_true (philia_test_spin_until (load_done, NULL, 30000));

  g_assert_null (philia_window_get_banner_message (window));
  g_assert_nonnull (philia_window_get_graph (window));
  g_assert_true (philia_dataset_panel_get_graph (panel ()) == philia_window_get_graph (window));

  assert_row ("source", "Cora (bundled)");
  assert_row ("format", "npz");
  assert_row ("nodes", "2708");
  assert_row ("edges", "5278");
  assert_row ("features", "1433");
  assert_row ("classes", "7");
  assert_row ("labeled", "2708 (all)");
  assert_row ("splits", "11 splits; nodes in each part:");

  split0 = philia_dataset_panel_dup_split_text (panel (), 0);
  g_assert_cmpstr (split0, ==, "140/500/1000");
  split10 = philia_dataset_panel_dup_split_text (panel (), 10);
  g_assert_cmpstr (split10, ==, "1192/796/497");
  g_assert_null (philia_dataset_panel_dup_split_text (panel (), 11));

  sanity = philia_dataset_panel_dup_sanity_text (panel ());
  g_test_message ("sanity report:\n%s", sanity);
  g_assert_nonnull (strstr (sanity, "The file lists 5278 edge rows; 5278 undirected edges remain.\n"));
  g_assert_nonnull (strstr (sanity, "No self-loops.\n"));
  g_assert_nonnull (strstr (sanity, "No duplicate rows.\n"));
  g_assert_nonnull (strstr (sanity, "No isolated nodes.\n"));
  g_assert_nonnull (strstr (sanity, "78 connected components; the largest has 2485 nodes (91.8 %).\n"));
  g_assert_null (strstr (sanity, "! "));   /* Cora is clean: no warnings */
}

static void
test_open_file (void)
{
  g_autofree char *path = philia_test_shared_dataset ("texas.npz");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) recent = NULL;
  g_autofree char *uri = NULL;

  if (path == NULL)
    {
      g_test_skip ("texas.npz not found in $PHILIA_SHARED_DATASETS");
      return;
    }

  open_and_wait (path);

  g_assert_null (philia_window_get_banner_message (window));
  assert_row ("source", "texas.npz");
  assert_row ("nodes", "183");
  assert_row ("edges", "279");
  assert_row ("classes", "5");

  /* The opened file goes first in the recent list, once. */
  file = g_file_new_for_path (path);
  uri = g_file_get_uri (file);
  settings = g_settings_new (APPLICATION_ID);
  recent = g_settings_get_strv (settings, "recent-files");
  g_assert_cmpuint (g_strv_length (recent), >=, 1);
  g_assert_cmpstr (recent[0], ==, uri);

  /* Opening it again (as a URI this time) keeps a single entry. */
  open_and_wait (uri);
  g_clear_pointer (&recent, g_strfreev);
  recent = g_settings_get_strv (settings, "recent-files");
  g_assert_cmpstr (recent[0], ==, uri);
  for (guint i = 1; recent[i] != NULL; i++)
    g_assert_cmpstr (recent[i], !=, uri);
}

static void
assert_bad_file_keeps_dataset (const char *path,
                               const char *expected_in_message)
{
  PhiliaGraph *before = philia_window_get_graph (window);
  g_autofree char *nodes_before = g_strdup (philia_dataset_panel_get_row_text (panel (), "nodes"));
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_auto(GStrv) recent_before = g_settings_get_strv (settings, "recent-files");
  g_auto(GStrv) recent_after = NULL;
  const char *message;

  open_and_wait (path);

  message = philia_window_get_banner_message (window);
  g_test_message ("banner: %s", message);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, expected_in_message));

  /* The previous dataset stays on show, and a failure is not "recent". */
  g_assert_true (philia_window_get_graph (window) == before);
  assert_row ("nodes", nodes_before);
  recent_after = g_settings_get_strv (settings, "recent-files");
  g_assert_true (g_strv_equal ((const char * const *) recent_before,
                               (const char * const *) recent_after));
}

static void
test_bad_file (void)
{
  g_autofree char *empty = g_test_build_filename (G_TEST_DIST, "..", "data", "bad", "empty.npz",
                                                  NULL);
  g_autofree char *dir = NULL;
  g_autofree char *garbage = NULL;
  g_autoptr(GError) error = NULL;

  assert_bad_file_keeps_dataset (empty, "empty.npz");

  dir = g_dir_make_tmp ("philia-ui-XXXXXX", &error);
  g_assert_no_error (error);
  garbage = g_build_filename (dir, "garbage.npz", NULL);
  g_file_set_contents (garbage, "PK\003\004 this is not a zip archive at all", -1, &error);
  g_assert_no_error (error);

  assert_bad_file_keeps_dataset (garbage, "garbage.npz");

  /* Files that used to load as something they are not (src/core/READERS.md). */
  {
    static const char * const misreads[][2] = {
      { "edge-undeclared-target.graphml", "names node “zzz” as its target" },
      { "mixed-ids.txt", "has the node id “two” among integer ids" },
      { "node-table-alone.csv", "Open with Node Table…" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (misreads); i++)
      {
        g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "bad",
                                                       misreads[i][0], NULL);

        assert_bad_file_keeps_dataset (path, misreads[i][1]);
      }
  }

  /* Dismissing hides the banner. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-banner", NULL);
  g_assert_null (philia_window_get_banner_message (window));

  g_unlink (garbage);
  g_rmdir (dir);
}

static void
test_cancel (void)
{
  PhiliaGraph *before = philia_window_get_graph (window);
  g_autofree char *path = philia_test_shared_dataset ("texas.npz");

  /* Cancelled: no banner, nothing changes. */
  philia_window_open_default (window);
  g_assert_true (philia_window_get_loading (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-load", NULL);
  g_assert_true (philia_test_spin_until (load_done, NULL, 30000));
  g_assert_null (philia_window_get_banner_message (window));
  g_assert_true (philia_window_get_graph (window) == before);

  /* A second load supersedes the first: only the last one lands. */
  if (path != NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.open-file", "s", path);
      philia_window_open_default (window);
      g_assert_true (philia_test_spin_until (load_done, NULL, 30000));
      g_assert_null (philia_window_get_banner_message (window));
      assert_row ("nodes", "2708");
    }
}

static void
test_render (void)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint32 *pixels = NULL;
  int width, height;
  gsize differing = 0;

  /* Back to Cora for the picture. */
  if (philia_window_get_graph (window) == NULL ||
      g_strcmp0 (philia_dataset_panel_get_row_text (panel (), "nodes"), "2708") != 0)
    {
      philia_window_open_default (window);
      g_assert_true (philia_test_spin_until (load_done, NULL, 30000));
    }

  /* Let the progress bar slide away, then take a fresh frame: GtkWidgetPaintable
   * replays the last rendered one (HACKING.md §13). */
  philia_test_spin_for (600);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  texture = philia_test_render_window (window, width, height);
  philia_test_save_png (texture, "window.png");

  pixels = g_new (guint32, (gsize) width * height);
  gdk_texture_download (texture, (guchar *) pixels, width * 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    differing += pixels[i] != pixels[0];
  g_assert_cmpuint (differing, >, (gsize) width * height / 100);

}

static void
find_chart (GtkWidget  *widget,
            GtkWidget **chart)
{
  if (*chart != NULL)
    return;
  if (PHILIA_IS_CHART_VIEW (widget))
    {
      *chart = widget;
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_chart (child, chart);
}

static void
test_chart_export (void)
{
  static const char *names[] = { "class-sizes.png", "class-sizes.svg", "class-sizes.pdf" };
  GtkWidget *chart = NULL;

  find_chart (GTK_WIDGET (panel ()), &chart);
  g_assert_nonnull (chart);
  g_assert_cmpstr (philia_chart_view_get_export_name (PHILIA_CHART_VIEW (chart)), ==,
                   "class-sizes");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_BUILT, names[i], NULL);
      g_autoptr(GError) error = NULL;
      GStatBuf st;

      g_assert_true (philia_chart_view_export (PHILIA_CHART_VIEW (chart), path, 400, 240, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_size, >, 500);
      g_test_message ("exported %s", path);
    }
}

static gboolean
shortcuts_shown (gpointer data)
{
  GtkWindow *overlay = philia_window_get_shortcuts_window (window);

  return overlay != NULL && gtk_widget_get_mapped (GTK_WIDGET (overlay));
}

static gboolean
shortcuts_gone (gpointer data)
{
  return philia_window_get_shortcuts_window (window) == NULL;
}

/* Every toplevel GTK keeps is shown: none alive hidden. */
static void
assert_no_hidden_toplevel (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      g_test_message ("toplevel %u: %s, visible %d", i, G_OBJECT_TYPE_NAME (w),
                      gtk_widget_get_visible (w));
      g_assert_true (gtk_widget_get_visible (w));
    }
}

/* The shortcuts window builds from its template and lists the canvas's keys. */
static void
test_shortcuts (void)
{
  GtkWindow *overlay;
  GtkWidget *child;
  gboolean canvas_group = FALSE;

  assert_no_hidden_toplevel ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  g_assert_true (philia_test_spin_until (shortcuts_shown, NULL, 5000));
  overlay = philia_window_get_shortcuts_window (window);
  /* Walk the tree for the canvas group's title. */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (overlay)); child != NULL;)
    {
      if (GTK_IS_SHORTCUTS_GROUP (child))
        {
          g_autofree char *title = NULL;

          g_object_get (child, "title", &title, NULL);
          canvas_group |= g_strcmp0 (title, "Graph canvas") == 0;
        }
      if (gtk_widget_get_first_child (child) != NULL)
        child = gtk_widget_get_first_child (child);
      else
        {
          while (child != NULL && gtk_widget_get_next_sibling (child) == NULL)
            {
              child = gtk_widget_get_parent (child);
              if (child == GTK_WIDGET (overlay))
                child = NULL;
            }
          if (child != NULL)
            child = gtk_widget_get_next_sibling (child);
        }
    }
  g_assert_true (canvas_group);
  gtk_window_close (GTK_WINDOW (overlay));
  /* Closing destroys it: no window stays alive hidden, which GTK 4.8's
   * AT-SPI root would hand a screen reader without an object path. */
  g_assert_true (philia_test_spin_until (shortcuts_gone, NULL, 5000));
  assert_no_hidden_toplevel ();
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!philia_test_init (&argc, &argv, "Window"))
    return g_test_run ();

  window = philia_test_window_new (&app);

  g_test_add_func ("/Philia/Window/default-dataset", test_default_dataset);
  g_test_add_func ("/Philia/Window/open-file", test_open_file);
  g_test_add_func ("/Philia/Window/bad-file", test_bad_file);
  g_test_add_func ("/Philia/Window/cancel", test_cancel);
  g_test_add_func ("/Philia/Window/render", test_render);
  g_test_add_func ("/Philia/Window/chart-export", test_chart_export);
  g_test_add_func ("/Philia/Window/shortcuts", test_shortcuts);

  ret = g_test_run ();

  philia_test_window_destroy (window, &app);

  return ret;
}
