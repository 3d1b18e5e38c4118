/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <gtk/gtk.h>

#include "philia-app-private.h"
#include "philia-autosave.h"
#include "philia-canvas.h"
#include "philia-chart-view.h"
#include "philia-core.h"
#include "philia-export-dialog.h"
#include "philia-param-grid.h"
#include "philia-preferences.h"
#include "philia-test-util.h"
#include "philia-window.h"

/* The Preferences window of a running application: each widget writes its
 * GSettings key (read back through another GSettings object, as a later run
 * would), and the code that uses the value shows the change at once. */
static PhiliaApplication *app;
static PhiliaWindow *window;
static GSettings *settings;

static PhiliaPreferences *
find_preferences (guint *n_found)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */
  PhiliaPreferences *found = NULL;

  *n_found = 0;
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (PHILIA_IS_PREFERENCES (item))
        {
          found = PHILIA_PREFERENCES (item);
          (*n_found)++;
        }
    }
  return found;
}

static gboolean
preferences_mapped (gpointer data)
{
  guint n;
  PhiliaPreferences *prefs = find_preferences (&n);

  return prefs != NULL && gtk_widget_get_mapped (GTK_WIDGET (prefs));
}

static PhiliaPreferences *
open_preferences (void)
{
  guint n = 0;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_true (philia_test_spin_until (preferences_mapped, NULL, 5000));
  return find_preferences (&n);
}

static GtkWidget *
pref (const char *name)
{
  return philia_preferences_get_widget (open_preferences (), name);
}

/* Opened from the app menu's action; a second activation raises the same one. */
static void
test_open (void)
{
  guint n = 0;

  open_preferences ();
  open_preferences ();
  find_preferences (&n);
  g_assert_cmpuint (n, ==, 1);
}

static void
test_theme (void)
{
  GtkSettings *gtk_settings = gtk_settings_get_default ();
  GtkDropDown *theme = GTK_DROP_DOWN (pref ("theme"));
  gboolean dark = FALSE, system_dark;

  g_object_get (gtk_settings, "gtk-application-prefer-dark-theme", &system_dark, NULL);
  gtk_drop_down_set_selected (theme, 2);
  g_assert_cmpstr (g_settings_get_string (settings, "color-scheme"), ==, "dark");
  g_object_get (gtk_settings, "gtk-application-prefer-dark-theme", &dark, NULL);
  g_assert_true (dark);
  gtk_drop_down_set_selected (theme, 1);
  g_object_get (gtk_settings, "gtk-application-prefer-dark-theme", &dark, NULL);
  g_assert_false (dark);
  gtk_drop_down_set_selected (theme, 2);
  gtk_drop_down_set_selected (theme, 0);
  g_assert_cmpstr (g_settings_get_string (settings, "color-scheme"), ==, "default");
  /* Following the system again: the desktop's value, whatever was forced. */
  g_object_get (gtk_settings, "gtk-application-prefer-dark-theme", &dark, NULL);
  g_assert_cmpint (dark, ==, system_dark);
  /* And the other way: a key set elsewhere moves the widget. */
  g_settings_set_string (settings, "color-scheme", "light");
  g_assert_cmpuint (gtk_drop_down_get_selected (theme), ==, 1);
  g_settings_reset (settings, "color-scheme");
}

static guint
grid_threads (PhiliaParamGrid *grid)
{
  PhiliaTrainParams params;
  guint64 seed;
  guint threads;

  philia_param_grid_read (grid, &params, &seed, &threads);
  return threads;
}

static void
test_threads (void)
{
  GtkWidget *existing = g_object_ref_sink (philia_param_grid_new ());
  GtkWidget *later;

  g_assert_cmpuint (grid_threads (PHILIA_PARAM_GRID (existing)), ==, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (pref ("threads")), 3);
  g_assert_cmpint (g_settings_get_int (settings, "worker-threads"), ==, 3);
  /* A panel already open follows; one opened later starts there. */
  g_assert_cmpuint (grid_threads (PHILIA_PARAM_GRID (existing)), ==, 3);
  later = g_object_ref_sink (philia_param_grid_new ());
  g_assert_cmpuint (grid_threads (PHILIA_PARAM_GRID (later)), ==, 3);
  g_object_unref (later);
  g_object_unref (existing);
  g_settings_reset (settings, "worker-threads");
}

static PhiliaGraph *
path_graph (guint n)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph;

  for (guint v = 0; v + 1 < n; v++)
    philia_graph_builder_add_edge (builder, v, v + 1);
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  return graph;
}

static void
test_layout (void)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (pref ("layout"));
  GListModel *model = gtk_drop_down_get_model (dropdown);
  g_autoptr(GPtrArray) layouts = philia_registry_list (philia_registry_get_default (),
                                                        PHILIA_FAMILY_LAYOUT);
  g_autoptr(PhiliaGraph) graph = path_graph (6);
  GtkWidget *canvas = g_object_ref_sink (philia_canvas_new ());
  guint circle = G_MAXUINT;

  /* Automatic, then every registered layout. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, layouts->len + 1);
  for (guint i = 0; i < layouts->len; i++)
    if (g_str_equal (((const PhiliaAlgorithm *) layouts->pdata[i])->id, "circle"))
      circle = i + 1;
  g_assert_cmpuint (circle, !=, G_MAXUINT);

  philia_canvas_set_graph (PHILIA_CANVAS (canvas), graph);
  g_assert_cmpstr (philia_canvas_get_layout (PHILIA_CANVAS (canvas)), ==,
                   philia_layout_default_algorithm (graph));
  g_assert_cmpstr (philia_layout_default_algorithm (graph), !=, "circle");

  gtk_drop_down_set_selected (dropdown, circle);
  g_assert_cmpstr (g_settings_get_string (settings, "default-layout"), ==, "circle");
  philia_canvas_set_graph (PHILIA_CANVAS (canvas), NULL);
  philia_canvas_set_graph (PHILIA_CANVAS (canvas), graph);
  g_assert_cmpstr (philia_canvas_get_layout (PHILIA_CANVAS (canvas)), ==, "circle");

  /* An id no longer registered (a plugin gone) falls back to the automatic one. */
  g_settings_set_string (settings, "default-layout", "no-such-layout");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 0);
  philia_canvas_set_graph (PHILIA_CANVAS (canvas), NULL);
  philia_canvas_set_graph (PHILIA_CANVAS (canvas), graph);
  g_assert_cmpstr (philia_canvas_get_layout (PHILIA_CANVAS (canvas)), ==,
                   philia_layout_default_algorithm (graph));
  gtk_drop_down_set_selected (dropdown, circle);
  gtk_drop_down_set_selected (dropdown, 0);
  g_assert_cmpstr (g_settings_get_string (settings, "default-layout"), ==, "");
  g_object_unref (canvas);
}

static gboolean
describe (GtkWidget   *widget,
          const char **title,
          const char **stem)
{
  *title = "Export";
  *stem = "figure";
  return TRUE;
}

static gboolean
write_nothing (GtkWidget   *widget,
               const char  *path,
               double       width,
               double       height,
               double       dpi,
               GError     **error)
{
  return TRUE;
}

static void
dialog_values (PhiliaFigureExporter *exporter,
               double               *width,
               double               *height,
               double               *dpi,
               PhiliaFigureFormat   *format)
{
  PhiliaExportDialog *dialog;

  _philia_figure_exporter_present (exporter);
  dialog = _philia_figure_exporter_get_dialog (exporter);
  g_assert_nonnull (dialog);
  philia_export_dialog_get_size (dialog, width, height, dpi);
  *format = philia_export_dialog_get_format (dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (_philia_figure_exporter_get_dialog (exporter));
}

static void
test_figures (void)
{
  GtkWidget *label = gtk_label_new ("figure");
  PhiliaFigureExporter exporter;
  PhiliaFigureFormat format;
  double width, height, dpi;

  gtk_window_set_child (GTK_WINDOW (gtk_window_new ()), label);
  _philia_figure_exporter_init (&exporter, label, 360, 240, describe, write_nothing, "Export");
  /* Defaults: the figure's own size, 300 dpi, PNG. */
  dialog_values (&exporter, &width, &height, &dpi, &format);
  g_assert_cmpfloat (width, ==, 360);
  g_assert_cmpfloat (height, ==, 240);
  g_assert_cmpfloat (dpi, ==, 300);
  g_assert_cmpint (format, ==, PHILIA_FIGURE_PNG);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (pref ("width")), 500);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (pref ("dpi")), 96);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (pref ("format")), 1);
  g_assert_cmpint (g_settings_get_int (settings, "figure-width"), ==, 500);
  g_assert_cmpint (g_settings_get_int (settings, "figure-dpi"), ==, 96);
  g_assert_cmpstr (g_settings_get_string (settings, "figure-format"), ==, "svg");
  /* The next export dialog offers them; height 0 keeps the figure's own. */
  dialog_values (&exporter, &width, &height, &dpi, &format);
  g_assert_cmpfloat (width, ==, 500);
  g_assert_cmpfloat (height, ==, 240);
  g_assert_cmpfloat (dpi, ==, 96);
  g_assert_cmpint (format, ==, PHILIA_FIGURE_SVG);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (pref ("height")), 333);
  dialog_values (&exporter, &width, &height, &dpi, &format);
  g_assert_cmpfloat (height, ==, 333);

  /* What an export chose is offered again for that figure, not the defaults. */
  exporter.chosen = TRUE;
  exporter.width = 123;
  dialog_values (&exporter, &width, &height, &dpi, &format);
  g_assert_cmpfloat (width, ==, 123);

  _philia_figure_exporter_clear (&exporter);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (label)));
  g_settings_reset (settings, "figure-width");
  g_settings_reset (settings, "figure-height");
  g_settings_reset (settings, "figure-dpi");
  g_settings_reset (settings, "figure-format");
}

static char *
widget_font_family (GtkWidget *widget)
{
  const PangoFontDescription *font;

  font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  return g_strdup (pango_font_description_get_family (font));
}

static int
widget_font_size (GtkWidget *widget)
{
  const PangoFontDescription *font;

  font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  return pango_font_description_get_size (font) / PANGO_SCALE;
}

static gboolean
font_is (gpointer data)
{
  GtkWidget *widget = g_object_get_data (data, "widget");
  g_autofree char *family = widget_font_family (widget);

  return g_strcmp0 (family, g_object_get_data (data, "family")) == 0;
}

static gboolean
wait_for_font (GtkWidget  *widget,
               const char *family)
{
  g_autoptr(GObject) data = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_set_data (data, "widget", widget);
  g_object_set_data_full (data, "family", g_strdup (family), g_free);
  return philia_test_spin_until (font_is, data, 15000);
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS

static gboolean
font_dialog_shown (gpointer data)
{
  GtkWindow *dialog = philia_preferences_get_font_dialog (data);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
font_dialog_gone (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FONT_CHOOSER_DIALOG (w))
        return FALSE;
    }
  return philia_preferences_get_font_dialog (data) == NULL;
}

static gboolean
font_selected (gpointer data)
{
  g_autofree char *font = gtk_font_chooser_get_font (GTK_FONT_CHOOSER (data));

  return font != NULL;
}

/* Clicks the font button and answers its dialog with @font (OK) or
 * cancels it (@font NULL). The dialog is gone afterwards: a hidden one
 * kept for the next click could crash GTK 4.8's AT-SPI root. */
static void
pick_font (const char *font)
{
  GtkWidget *button = pref ("font");
  PhiliaPreferences *prefs = PHILIA_PREFERENCES (gtk_widget_get_root (button));
  GtkWindow *dialog;

  g_signal_emit_by_name (button, "clicked");
  g_assert_true (philia_test_spin_until (font_dialog_shown, prefs, 5000));
  dialog = philia_preferences_get_font_dialog (prefs);
  if (font != NULL)
    {
      /* The dialog selects a face once its list has filled; then the one
       * asked for, as a click in the list would. */
      g_assert_true (philia_test_spin_until (font_selected, dialog, 10000));
      gtk_font_chooser_set_font (GTK_FONT_CHOOSER (dialog), font);
      philia_test_spin_for (100);
    }
  gtk_dialog_response (GTK_DIALOG (dialog), font != NULL ? GTK_RESPONSE_OK : GTK_RESPONSE_CANCEL);
  g_assert_true (philia_test_spin_until (font_dialog_gone, prefs, 5000));
}

G_GNUC_END_IGNORE_DEPRECATIONS

static void
test_font (void)
{
  GtkWidget *chart = philia_chart_view_new ();
  GtkWidget *label = gtk_label_new ("beside");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *toplevel = gtk_window_new ();
  GtkCheckButton *check = GTK_CHECK_BUTTON (pref ("font-check"));
  g_autofree char *before = NULL;
  g_autofree char *family = NULL;
  g_autofree char *label_family = NULL;

  gtk_box_append (GTK_BOX (box), chart);
  gtk_box_append (GTK_BOX (box), label);
  gtk_window_set_child (GTK_WINDOW (toplevel), box);
  gtk_window_present (GTK_WINDOW (toplevel));
  philia_test_spin_for (100);
  before = widget_font_family (chart);
  g_assert_cmpstr (before, !=, "DejaVu Sans Mono");
  g_assert_false (gtk_check_button_get_active (check));

  /* A font picked in the button's dialog (and one dialog cancelled), then
   * switched on. */
  pick_font (NULL);
  pick_font ("DejaVu Sans Mono 17");
  g_assert_cmpstr (g_settings_get_string (settings, "figure-font"), ==, "");
  gtk_check_button_set_active (check, TRUE);
  g_assert_cmpstr (g_settings_get_string (settings, "figure-font"), ==, "DejaVu Sans Mono 17");
  wait_for_font (chart, "DejaVu Sans Mono");
  /* The chart's text (screen and export read the widget's font) changes;
   * other widgets keep the desktop's. */
  family = widget_font_family (chart);
  g_assert_cmpstr (family, ==, "DejaVu Sans Mono");
  /* CSS points become pixels at 96 dpi. */
  g_assert_cmpint (widget_font_size (chart), ==, (int) (17 * 96.0 / 72.0));
  label_family = widget_font_family (label);
  g_assert_cmpstr (label_family, ==, before);

  /* Off: the desktop's font again. */
  gtk_check_button_set_active (check, FALSE);
  g_assert_cmpstr (g_settings_get_string (settings, "figure-font"), ==, "");
  wait_for_font (chart, before);
  g_free (family);
  family = widget_font_family (chart);
  g_assert_cmpstr (family, ==, before);

  /* Set elsewhere: the widgets show it. */
  g_settings_set_string (settings, "figure-font", "Serif 9");
  g_assert_true (gtk_check_button_get_active (check));
  g_settings_reset (settings, "figure-font");
  g_assert_false (gtk_check_button_get_active (check));
  gtk_window_destroy (GTK_WINDOW (toplevel));
}

static void
test_autosave (void)
{
  g_autofree char *env = g_strdup (g_getenv ("PHILIA_AUTOSAVE_DELAY_MS"));

  g_unsetenv ("PHILIA_AUTOSAVE_DELAY_MS");
  g_assert_cmpuint (philia_autosave_get_delay_ms (), ==, 30000);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (pref ("autosave")), 7);
  g_assert_cmpint (g_settings_get_int (settings, "autosave-interval"), ==, 7);
  g_assert_cmpuint (philia_autosave_get_delay_ms (), ==, 7000);
  /* Below the schema's range: the spin button's bounds keep it valid. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (pref ("autosave")), 1);
  g_assert_cmpint (g_settings_get_int (settings, "autosave-interval"), ==, 5);
  g_settings_reset (settings, "autosave-interval");
  if (env != NULL)
    g_setenv ("PHILIA_AUTOSAVE_DELAY_MS", env, TRUE);
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static GtkButton *
first_remove_button (GtkWidget *list)
{
  GtkWidget *row = gtk_widget_get_first_child (list);
  GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

  return GTK_BUTTON (gtk_widget_get_last_child (box));
}

static void
test_plugin_folder (void)
{
  PhiliaPreferences *prefs = open_preferences ();
  const char *dir = g_getenv ("PHILIA_TEST_PLUGIN_DIR");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) folders = NULL;
  GtkWidget *list = pref ("folders");
  guint n_infos;

  g_assert_nonnull (dir);
  /* Not on the path at start-up: the test plugin is unknown. */
  g_assert_null (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MEASURE,
                                         "mean-degree"));
  n_infos = philia_plugins_load_default ()->len;

  g_assert_false (philia_preferences_add_folder (prefs, "/nonexistent/plugins", &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_IO);
  g_clear_error (&error);
  folders = g_settings_get_strv (settings, PHILIA_PLUGINS_FOLDERS_KEY);
  g_assert_cmpuint (g_strv_length (folders), ==, 0);

  /* Added: loaded at once, listed, kept. */
  g_assert_true (philia_preferences_add_folder (prefs, dir, &error));
  g_assert_no_error (error);
  g_assert_nonnull (philia_registry_lookup (philia_registry_get_default (),
                                            PHILIA_FAMILY_MEASURE, "mean-degree"));
  g_assert_cmpuint (philia_plugins_load_default ()->len, >, n_infos);
  g_strfreev (folders);
  folders = g_settings_get_strv (settings, PHILIA_PLUGINS_FOLDERS_KEY);
  g_assert_cmpuint (g_strv_length (folders), ==, 1);
  g_assert_cmpstr (folders[0], ==, dir);
  g_assert_cmpuint (count_rows (list), ==, 1);
  /* Twice: neither searched nor listed again. */
  n_infos = philia_plugins_load_default ()->len;
  g_assert_true (philia_preferences_add_folder (prefs, dir, &error));
  g_assert_cmpuint (philia_plugins_load_default ()->len, ==, n_infos);
  g_strfreev (folders);
  folders = g_settings_get_strv (settings, PHILIA_PLUGINS_FOLDERS_KEY);
  g_assert_cmpuint (g_strv_length (folders), ==, 1);

  /* Its row's remove button takes it off the list. */
  g_signal_emit_by_name (first_remove_button (list), "clicked");
  g_strfreev (folders);
  folders = g_settings_get_strv (settings, PHILIA_PLUGINS_FOLDERS_KEY);
  g_assert_cmpuint (g_strv_length (folders), ==, 0);
  /* The "No folders added." placeholder. */
  g_assert_cmpuint (count_rows (list), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!philia_test_init (&argc, &argv, "Preferences"))
    return 0;
  settings = g_settings_new (APPLICATION_ID);
  window = philia_test_window_new (&app);

  g_test_add_func ("/preferences/open", test_open);
  g_test_add_func ("/preferences/theme", test_theme);
  g_test_add_func ("/preferences/threads", test_threads);
  g_test_add_func ("/preferences/layout", test_layout);
  g_test_add_func ("/preferences/figures", test_figures);
  g_test_add_func ("/preferences/font", test_font);
  g_test_add_func ("/preferences/autosave", test_autosave);
  g_test_add_func ("/preferences/plugin-folder", test_plugin_folder);
  status = g_test_run ();

  philia_test_window_destroy (window, &app);
  g_clear_object (&settings);
  return status;
}
