/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "philia-canvas.h"
#include "philia-core.h"
#include "philia-plugins-dialog.h"
#include "philia-test-util.h"
#include "philia-window.h"

/* The Plugins window, opened from the app menu of a real application that
 * loaded the shipped plugins and the broken test ones at start-up: statuses,
 * reasons, and the switches writing GSettings. */
static PhiliaApplication *app;
static PhiliaWindow *window;
static GSettings *settings;

static PhiliaPluginsDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (PHILIA_IS_PLUGINS_DIALOG (item))
        return PHILIA_PLUGINS_DIALOG (item);
    }
  return NULL;
}

static gboolean
dialog_mapped (gpointer data)
{
  PhiliaPluginsDialog *dialog = find_dialog ();

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
disabled_contains (const char *id)
{
  g_auto(GStrv) disabled = g_settings_get_strv (settings, PHILIA_PLUGINS_DISABLED_KEY);

  return g_strv_contains ((const char * const *)disabled, id);
}

static void
test_dialog (void)
{
  PhiliaPluginsDialog *dialog;
  GtkSwitch *sw;

  /* Plugin algorithms are in the registry the app's views list. */
  g_assert_nonnull (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_LAYOUT,
                                            "forceatlas2"));
  g_assert_nonnull (philia_registry_lookup (philia_registry_get_default (),
                                            PHILIA_FAMILY_MEASURE, "aggregation-homophily"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "plugins", NULL);
  g_assert_true (philia_test_spin_until (dialog_mapped, NULL, 5000));
  dialog = find_dialog ();

  /* Four shipped plugins and eleven test ones. */
  g_assert_cmpuint (philia_plugins_dialog_get_n_rows (dialog), ==, 15);
  g_assert_cmpstr (philia_plugins_dialog_get_status_text (dialog, "forceatlas2"), ==, "Loaded");
  g_assert_cmpstr (philia_plugins_dialog_get_status_text (dialog, "fagcn"), ==, "Loaded");
  g_assert_cmpstr (philia_plugins_dialog_get_status_text (dialog, "abi-wrong"), ==, "Refused");
  g_assert_cmpstr (philia_plugins_dialog_get_status_text (dialog, "no-symbol"), ==, "Refused");
  g_assert_cmpstr (philia_plugins_dialog_get_status_text (dialog, "mean-degree"), ==, "Disabled");
  g_assert_true (gtk_switch_get_active (philia_plugins_dialog_get_switch (dialog, "forceatlas2")));
  g_assert_false (gtk_switch_get_active (philia_plugins_dialog_get_switch (dialog, "mean-degree")));
  philia_test_spin_for (300);

  /* Off: remembered in GSettings, said in the row. */
  sw = philia_plugins_dialog_get_switch (dialog, "forceatlas2");
  gtk_switch_set_active (sw, FALSE);
  g_assert_true (disabled_contains ("forceatlas2"));
  g_assert_true (disabled_contains ("mean-degree"));
  g_assert_cmpstr (philia_plugins_dialog_get_status_text (dialog, "forceatlas2"), ==,
                   "Loaded — disabled at next start");

  /* On again, and the disabled one switched on. */
  gtk_switch_set_active (sw, TRUE);
  g_assert_false (disabled_contains ("forceatlas2"));
  gtk_switch_set_active (philia_plugins_dialog_get_switch (dialog, "mean-degree"), TRUE);
  g_assert_false (disabled_contains ("mean-degree"));
  g_assert_cmpstr (philia_plugins_dialog_get_status_text (dialog, "mean-degree"), ==,
                   "Disabled — enabled at next start");

  /* A refused plugin can be switched off too, so it is not tried again. */
  gtk_switch_set_active (philia_plugins_dialog_get_switch (dialog, "abi-wrong"), FALSE);
  g_assert_true (disabled_contains ("abi-wrong"));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static PhiliaCanvas *
canvas (void)
{
  return PHILIA_CANVAS (philia_window_get_canvas (window));
}

static gboolean
layout_done (gpointer data)
{
  return !philia_window_get_loading (window) && philia_window_get_graph (window) != NULL
         && !philia_canvas_get_busy (canvas ()) && philia_canvas_has_positions (canvas ());
}

/* A plugin layout runs on the canvas like a built-in one. */
static void
test_canvas_layout (void)
{
  g_autoptr(GdkTexture) texture = NULL;

  g_assert_true (philia_test_spin_until (layout_done, NULL, 60000));
  philia_canvas_set_layout (canvas (), "forceatlas2");
  g_assert_true (philia_test_spin_until (layout_done, NULL, 60000));
  g_assert_cmpstr (philia_canvas_get_layout (canvas ()), ==, "forceatlas2");
  gtk_widget_activate_action (GTK_WIDGET (canvas ()), "canvas.fit", NULL);
  philia_test_spin_for (200);
  texture = philia_test_render_window (window, 1280, 800);
  philia_test_save_png (texture, "plugins-forceatlas2.png");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  int status;

  if (!philia_test_init (&argc, &argv, "Plugins"))
    return 0;

  /* Before the application starts: the shipped plugins, the broken test ones,
   * and one disabled in GSettings (memory backend, shared in this process). */
  path = g_strjoin (G_SEARCHPATH_SEPARATOR_S, g_getenv ("PHILIA_SHIPPED_PLUGIN_DIR"),
                    g_getenv ("PHILIA_TEST_PLUGIN_DIR"), NULL);
  g_setenv ("PHILIA_PLUGIN_PATH", path, TRUE);
  settings = g_settings_new (APPLICATION_ID);
  {
    const char *disabled[] = { "mean-degree", NULL };

    g_settings_set_strv (settings, PHILIA_PLUGINS_DISABLED_KEY, disabled);
  }

  window = philia_test_window_new (&app);
  g_test_add_func ("/Philia/Plugins/dialog", test_dialog);
  g_test_add_func ("/Philia/Plugins/canvas-layout", test_canvas_layout);
  status = g_test_run ();
  philia_test_window_destroy (window, &app);
  g_clear_object (&settings);
  return status;
}
