/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include "philia-test-util.h"

#include <locale.h>

static void
test_no_display (void)
{
  g_test_skip ("no display: run the UI tests under tests/headless.sh");
}

/*
 * philia_test_init:
 * @area: the test paths' middle part, as in /Philia/<area>/…
 *
 * g_test_init() and GTK in the C.UTF-8 locale. Without a display, registers a
 * skipped /Philia/<area>/no-display and returns FALSE: the caller then just
 * runs the tests.
 */
gboolean
philia_test_init (int          *argc,
                  char       ***argv,
                  const char   *area)
{
  g_autofree char *path = NULL;

  g_test_init (argc, argv, NULL);

  /* Numbers print without digit grouping in this locale, so the panel text is
   * predictable; gtk_test_init would also abort without a display, and the
   * suites skip instead. */
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");

  if (gtk_init_check ())
    {
      /* Without a window manager, focus moves between windows (dialogs,
       * the shortcuts window) without focus-out events, and a blinking text
       * cursor then warns that it "did not receive a focus-out event", which
       * a test takes for a failure. Nothing here tests the blink. */
      g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
      return TRUE;
    }

  path = g_strdup_printf ("/Philia/%s/no-display", area);
  g_test_add_func (path, test_no_display);
  return FALSE;
}

/* The application's window, as a user starts it (it opens the bundled Cora). */
PhiliaWindow *
philia_test_window_new (PhiliaApplication **app)
{
  PhiliaWindow *window;

  *app = philia_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (*app), NULL, NULL));
  g_application_activate (G_APPLICATION (*app));
  window = PHILIA_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (*app)));
  g_assert_nonnull (window);
  return window;
}

void
philia_test_window_destroy (PhiliaWindow       *window,
                            PhiliaApplication **app)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (app);
}

/* Turns the main loop until @condition holds; FALSE after @timeout_ms. */
gboolean
philia_test_spin_until (gboolean (*condition) (gpointer),
                        gpointer  data,
                        guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

void
philia_test_spin_for (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* A condition for philia_test_spin_until(). */
gboolean
philia_test_widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

/* The path of @name in $PHILIA_SHARED_DATASETS, or NULL when it is not there. */
char *
philia_test_shared_dataset (const char *name)
{
  const char *dir = g_getenv ("PHILIA_SHARED_DATASETS");
  char *path;

  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, name, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_clear_pointer (&path, g_free);
  return path;
}

/* The window's frame at @width × @height. Draw first: GtkWidgetPaintable
 * replays the last rendered frame (HACKING.md §13). */
GdkTexture *
philia_test_render_window (PhiliaWindow *window,
                           int           width,
                           int           height)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  GdkTexture *texture;

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  return texture;
}

/* Into the build directory, for a look after the run. */
void
philia_test_save_png (GdkTexture *texture,
                      const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s (%dx%d)", path,
                  gdk_texture_get_width (texture), gdk_texture_get_height (texture));
}
