/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include "philia-test-util.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>

#include "philia-chart-view.h"

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

static int resize_width;

static gboolean
window_width_is (gpointer window)
{
  /* The surface gets the size; the window widget is that less its
   * client-side shadow. */
  int width = gtk_widget_get_width (GTK_WIDGET (window));

  return width <= resize_width && width >= resize_width - 32;
}

/* Gives @window the size a user would drag it to, and waits for it. */
void
philia_test_resize (PhiliaWindow *window,
                    int           width,
                    int           height)
{
  philia_test_resize_window (GTK_WINDOW (window), width, height);
}

void
philia_test_resize_window (GtkWindow *window,
                           int        width,
                           int        height)
{
  resize_width = width;
  /* Without a window manager a resize request is now and then lost: ask again. */
  for (int attempt = 0; attempt < 5; attempt++)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), width, height);
      gtk_widget_queue_resize (GTK_WIDGET (window));
      if (philia_test_spin_until (window_width_is, window, 3000))
        break;
      gtk_window_set_default_size (GTK_WINDOW (window), width + 1, height + 1);
      philia_test_spin_for (200);
    }
  if (!window_width_is (window))
    g_error ("window %d wide, not %d", gtk_widget_get_width (GTK_WIDGET (window)), width);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

void
philia_test_window_destroy (PhiliaWindow       *window,
                            PhiliaApplication **app)
{
  GList *windows;

  gtk_window_destroy (GTK_WINDOW (window));
  /* And the windows Open made beside it. */
  while (*app != NULL
         && (windows = gtk_application_get_windows (GTK_APPLICATION (*app))) != NULL)
    gtk_window_destroy (windows->data);
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

static gboolean
load_finished (gpointer window)
{
  return !philia_window_get_loading (window);
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

/* Pixels of palette colour @index (within 2 per channel) in a 360 × 240 PNG
 * export of @chart, a PhiliaChartView. */
guint
philia_test_count_chart_colour (GtkWidget *chart,
                                guint      index)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "philia-test-chart-colour.png",
                                            NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint32 *pixels = NULL;
  PhiliaRgba c;
  int w, h;
  guint n = 0;

  g_assert_true (philia_chart_view_export (PHILIA_CHART_VIEW (chart), path, 360, 240, &error));
  g_assert_no_error (error);
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  pixels = g_new (guint32, (gsize) w * h);
  gdk_texture_download (texture, (guchar *) pixels, w * 4);
  philia_palette_get_categorical (index, &c);
  for (gsize i = 0; i < (gsize) w * h; i++)
    {
      int r = (pixels[i] >> 16) & 0xff, g = (pixels[i] >> 8) & 0xff, b = pixels[i] & 0xff;

      if (abs (r - (int) lround (c.r * 255)) <= 2 && abs (g - (int) lround (c.g * 255)) <= 2
          && abs (b - (int) lround (c.b * 255)) <= 2)
        n++;
    }
  g_unlink (path);
  return n;
}

/*
 * philia_test_follow_open:
 *
 * After an Open started from @window, waits for the load and returns the
 * window that shows the result: @window itself, or the new window Open made
 * because @window's document had work in it (HACKING.md §10). A new window
 * comes first in the application's list.
 */
PhiliaWindow *
philia_test_follow_open (PhiliaWindow *window)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));
  GList *windows;

  g_assert_true (philia_test_spin_until (load_finished, window, 60000));
  windows = gtk_application_get_windows (app);
  g_assert_nonnull (windows);
  if (windows->data != (gpointer) window)
    g_assert_true (philia_test_spin_until (philia_test_widget_mapped, windows->data, 10000));
  return PHILIA_WINDOW (windows->data);
}

/* Pixels that differ between two drawings of the same size. */
gsize
philia_test_count_differences (GdkTexture *a,
                               GdkTexture *b)
{
  int w = gdk_texture_get_width (a), h = gdk_texture_get_height (a);
  g_autofree guint32 *pa = g_new (guint32, (gsize) w * h);
  g_autofree guint32 *pb = g_new (guint32, (gsize) w * h);
  gsize n = 0;

  g_assert_cmpint (gdk_texture_get_width (b), ==, w);
  g_assert_cmpint (gdk_texture_get_height (b), ==, h);
  gdk_texture_download (a, (guchar *) pa, (gsize) w * 4);
  gdk_texture_download (b, (guchar *) pb, (gsize) w * 4);
  for (gsize i = 0; i < (gsize) w * h; i++)
    n += pa[i] != pb[i];
  return n;
}

/* Presses @keyval with @mods on @widget as GTK does with a key event it
 * gets: the binding of its class whose trigger that is, activated there.
 * Whether a binding took the key (FALSE: the key goes on to the parent). */
gboolean
philia_test_press_key (GtkWidget       *widget,
                       guint            keyval,
                       GdkModifierType  mods)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}
