/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-preferences.h"

#include <glib/gi18n.h>

#include "philia-app-private.h"
#include "philia-core.h"

/* The Preferences window (issue 21): every widget is bound to a GSettings key
 * and writes it as it changes. Nothing is applied from here: the panels, the
 * canvas, the exporter and the autosave read their key when they use it (or
 * follow it), so a change made anywhere, even with gsettings(1), applies the
 * same way. Only the plugin folders act at once from here, by loading the
 * plugins of a folder the user adds. */
struct _PhiliaPreferences
{
  GtkWindow        parent_instance;

  /* Template widgets */
  GtkDropDown     *theme_dropdown;
  GtkSpinButton   *threads_spin;
  GtkDropDown     *layout_dropdown;
  GtkSpinButton   *autosave_spin;
  GtkSpinButton   *width_spin;
  GtkSpinButton   *height_spin;
  GtkSpinButton   *dpi_spin;
  GtkDropDown     *format_dropdown;
  GtkCheckButton  *font_check;
  GtkButton       *font_button;
  GtkListBox      *folders_list;
  GtkButton       *add_folder_button;

  /* Owned */
  GSettings       *settings;
  GStrv            layout_ids;   /* "" (automatic) then the registered layouts */
  GtkNativeDialog *chooser;
  GtkWindow       *font_dialog;  /* while open */
  char            *font;         /* the font the button names */
  gboolean         syncing_font;
};

G_DEFINE_FINAL_TYPE (PhiliaPreferences, philia_preferences, GTK_TYPE_WINDOW)

static const char *const schemes[] = { "default", "light", "dark", NULL };
static const char *const formats[] = { "png", "svg", "pdf", NULL };

/* GtkDropDown "selected" ↔ a string key, by position in a NULL-terminated list. */
static gboolean
choice_get (GValue   *value,
            GVariant *variant,
            gpointer  user_data)
{
  const char *const *choices = user_data;
  const char *s = g_variant_get_string (variant, NULL);

  for (guint i = 0; choices[i] != NULL; i++)
    if (g_str_equal (choices[i], s))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  /* A layout id no longer registered (its plugin was removed): automatic. */
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
choice_set (const GValue       *value,
            const GVariantType *expected_type,
            gpointer            user_data)
{
  const char *const *choices = user_data;
  guint i = g_value_get_uint (value);

  if (i >= g_strv_length ((char **) choices))
    return NULL;
  return g_variant_new_string (choices[i]);
}

/* The layout choices: what the canvas offers, read from the registry now, so
 * a plugin's layout is there too. */
static void
fill_layouts (PhiliaPreferences *self)
{
  g_autoptr(GPtrArray) layouts = philia_registry_list (philia_registry_get_default (),
                                                        PHILIA_FAMILY_LAYOUT);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  GtkStringList *names = gtk_string_list_new (NULL);

  g_strv_builder_add (ids, "");
  gtk_string_list_append (names, _("Automatic (by graph size)"));
  for (guint i = 0; i < layouts->len; i++)
    {
      const PhiliaAlgorithm *algorithm = layouts->pdata[i];

      g_strv_builder_add (ids, algorithm->id);
      gtk_string_list_append (names, algorithm->name);
    }
  g_strfreev (self->layout_ids);
  self->layout_ids = g_strv_builder_end (ids);
  g_settings_unbind (self->layout_dropdown, "selected");
  gtk_drop_down_set_model (self->layout_dropdown, G_LIST_MODEL (names));
  g_object_unref (names);
  g_settings_bind_with_mapping (self->settings, "default-layout", self->layout_dropdown,
                                "selected", G_SETTINGS_BIND_DEFAULT, choice_get, choice_set,
                                self->layout_ids, NULL);
}

/* Font: the check says whether the key is set, the button what it holds. */
static void
set_button_font (PhiliaPreferences *self,
                 const char        *font)
{
  g_free (self->font);
  self->font = g_strdup (font);
  gtk_button_set_label (self->font_button, font);
}

static void
sync_font_widgets (PhiliaPreferences *self)
{
  g_autofree char *font = g_settings_get_string (self->settings, "figure-font");

  self->syncing_font = TRUE;
  gtk_check_button_set_active (self->font_check, font[0] != '\0');
  if (font[0] != '\0')
    set_button_font (self, font);
  self->syncing_font = FALSE;
}

static void
font_widgets_changed (PhiliaPreferences *self)
{
  if (self->syncing_font)
    return;
  g_settings_set_string (self->settings, "figure-font",
                         gtk_check_button_get_active (self->font_check) ? self->font : "");
}

/*
 * The font dialog is made for each click and destroyed with its answer.
 * GtkFontButton would keep it alive hidden for the next click, and a hidden
 * toplevel can crash GTK 4.8's AT-SPI root (HACKING.md, §10).
 */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
on_font_response (GtkDialog         *dialog,
                  int                response,
                  PhiliaPreferences *self)
{
  if (response == GTK_RESPONSE_OK)
    {
      g_autofree char *font = gtk_font_chooser_get_font (GTK_FONT_CHOOSER (dialog));

      if (font != NULL)
        {
          set_button_font (self, font);
          font_widgets_changed (self);
        }
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
on_font_clicked (PhiliaPreferences *self)
{
  GtkWidget *dialog;

  if (self->font_dialog != NULL)
    {
      gtk_window_present (self->font_dialog);
      return;
    }
  dialog = gtk_font_chooser_dialog_new (_("Figure Font"), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_font_chooser_set_font (GTK_FONT_CHOOSER (dialog), self->font);
  g_signal_connect (dialog, "response", G_CALLBACK (on_font_response), self);
  self->font_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->font_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}
G_GNUC_END_IGNORE_DEPRECATIONS

/* The font dialog while it is open, else NULL (for tests). */
GtkWindow *
philia_preferences_get_font_dialog (PhiliaPreferences *self)
{
  g_return_val_if_fail (PHILIA_IS_PREFERENCES (self), NULL);

  return self->font_dialog;
}

static void
on_remove_folder (GtkButton         *button,
                  PhiliaPreferences *self)
{
  const char *path = g_object_get_data (G_OBJECT (button), "philia-folder");
  g_auto(GStrv) folders = g_settings_get_strv (self->settings, PHILIA_PLUGINS_FOLDERS_KEY);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;

  for (guint i = 0; folders[i] != NULL; i++)
    if (!g_str_equal (folders[i], path))
      g_strv_builder_add (kept, folders[i]);
  updated = g_strv_builder_end (kept);
  g_settings_set_strv (self->settings, PHILIA_PLUGINS_FOLDERS_KEY,
                       (const char * const *) updated);
}

static void
fill_folders (PhiliaPreferences *self)
{
  g_auto(GStrv) folders = g_settings_get_strv (self->settings, PHILIA_PLUGINS_FOLDERS_KEY);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->folders_list))) != NULL)
    gtk_list_box_remove (self->folders_list, child);
  for (guint i = 0; folders[i] != NULL; i++)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *label = gtk_label_new (folders[i]);
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
      g_autofree char *remove_name = g_strdup_printf (_("Remove %s"), folders[i]);

      gtk_widget_set_margin_start (row, 8);
      gtk_widget_set_margin_end (row, 8);
      gtk_widget_set_margin_top (row, 4);
      gtk_widget_set_margin_bottom (row, 4);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_tooltip_text (label, folders[i]);
      gtk_widget_set_tooltip_text (remove, _("Remove this folder (its plugins stay loaded "
                                             "until Philia restarts)"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_name, -1);
      gtk_widget_add_css_class (remove, "flat");
      g_object_set_data_full (G_OBJECT (remove), "philia-folder", g_strdup (folders[i]), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_folder), self);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (row), remove);
      gtk_list_box_append (self->folders_list, row);
    }
  if (folders[0] == NULL)
    {
      GtkWidget *empty = gtk_label_new (_("No folders added."));

      gtk_widget_add_css_class (empty, "dim-label");
      gtk_widget_set_margin_top (empty, 12);
      gtk_widget_set_margin_bottom (empty, 12);
      gtk_list_box_append (self->folders_list, empty);
    }
}

gboolean
philia_preferences_add_folder (PhiliaPreferences *self,
                               const char        *path,
                               GError           **error)
{
  g_auto(GStrv) folders = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;

  g_return_val_if_fail (PHILIA_IS_PREFERENCES (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO,
                   _("“%s” is not a folder."), path);
      return FALSE;
    }
  /* Loaded first: a folder that cannot be read is not kept. */
  if (!philia_plugins_load_folder_default (path, error))
    return FALSE;
  folders = g_settings_get_strv (self->settings, PHILIA_PLUGINS_FOLDERS_KEY);
  if (g_strv_contains ((const char * const *) folders, path))
    return TRUE;
  g_strv_builder_addv (builder, (const char **) folders);
  g_strv_builder_add (builder, path);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, PHILIA_PLUGINS_FOLDERS_KEY,
                       (const char * const *) updated);
  /* A plugin's layout can be the default from now on. */
  fill_layouts (self);
  return TRUE;
}

static void
on_chooser_response (GtkNativeDialog   *dialog,
                     int                response,
                     PhiliaPreferences *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path != NULL && !philia_preferences_add_folder (self, path, &error))
    _philia_widget_show_error (GTK_WIDGET (self), _("Could not add the plugin folder"), error);
  g_clear_object (&self->chooser);
}

static void
on_add_folder (GtkButton         *button,
               PhiliaPreferences *self)
{
  if (self->chooser != NULL)
    return;
  self->chooser = GTK_NATIVE_DIALOG (
    gtk_file_chooser_native_new (_("Add a Plugin Folder"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Add"),
                                 _("_Cancel")));
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (self->chooser);
}

static void
philia_preferences_dispose (GObject *object)
{
  PhiliaPreferences *self = PHILIA_PREFERENCES (object);

  if (self->font_dialog != NULL)
    gtk_window_destroy (self->font_dialog);
  g_clear_pointer (&self->font, g_free);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_PREFERENCES);

  G_OBJECT_CLASS (philia_preferences_parent_class)->dispose (object);
}

static void
philia_preferences_finalize (GObject *object)
{
  PhiliaPreferences *self = PHILIA_PREFERENCES (object);

  g_strfreev (self->layout_ids);

  G_OBJECT_CLASS (philia_preferences_parent_class)->finalize (object);
}

static void
philia_preferences_class_init (PhiliaPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_preferences_dispose;
  object_class->finalize = philia_preferences_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaPreferences, theme_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaPreferences, threads_spin);
  gtk_widget_class_bind_template_child (widget_class, PhiliaPreferences, layout_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaPreferences, autosave_spin);
  gtk_widget_class_bind_template_child (widget_class, PhiliaPreferences, width_spin);
  gtk_widget_class_bind_template_child (widget_class, PhiliaPreferences, height_spin);
  gtk_widget_class_bind_template_child (widget_class, PhiliaPreferences, dpi_spin);
  gtk_widget_class_bind_template_child (widget_class, PhiliaPreferences, format_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaPreferences, font_check);
  gtk_widget_class_bind_template_child (widget_class, PhiliaPreferences, font_button);
  gtk_widget_class_bind_template_child (widget_class, PhiliaPreferences, folders_list);
  gtk_widget_class_bind_template_child (widget_class, PhiliaPreferences, add_folder_button);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
philia_preferences_init (PhiliaPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind_with_mapping (self->settings, "color-scheme", self->theme_dropdown, "selected",
                                G_SETTINGS_BIND_DEFAULT, choice_get, choice_set,
                                (gpointer) schemes, NULL);
  g_settings_bind (self->settings, "worker-threads", self->threads_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "autosave-interval", self->autosave_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "figure-width", self->width_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "figure-height", self->height_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "figure-dpi", self->dpi_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "figure-format", self->format_dropdown,
                                "selected", G_SETTINGS_BIND_DEFAULT, choice_get, choice_set,
                                (gpointer) formats, NULL);
  fill_layouts (self);

  {
    g_autofree char *desktop_font = NULL;

    /* Until a font is chosen, the button names the desktop's. */
    g_object_get (gtk_settings_get_default (), "gtk-font-name", &desktop_font, NULL);
    set_button_font (self, desktop_font != NULL ? desktop_font : "Sans 12");
  }
  sync_font_widgets (self);
  g_signal_connect_swapped (self->settings, "changed::figure-font",
                            G_CALLBACK (sync_font_widgets), self);
  g_signal_connect_swapped (self->font_check, "notify::active",
                            G_CALLBACK (font_widgets_changed), self);
  g_signal_connect_swapped (self->font_button, "clicked", G_CALLBACK (on_font_clicked), self);

  fill_folders (self);
  g_signal_connect_swapped (self->settings, "changed::" PHILIA_PLUGINS_FOLDERS_KEY,
                            G_CALLBACK (fill_folders), self);
  g_signal_connect (self->add_folder_button, "clicked", G_CALLBACK (on_add_folder), self);
}

PhiliaPreferences *
philia_preferences_new (GtkWindow *parent)
{
  return g_object_new (PHILIA_TYPE_PREFERENCES,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent)
                                                     : NULL,
                       NULL);
}

GtkWidget *
philia_preferences_get_widget (PhiliaPreferences *self,
                               const char        *name)
{
  const struct { const char *name; gsize offset; } widgets[] = {
    { "theme", G_STRUCT_OFFSET (PhiliaPreferences, theme_dropdown) },
    { "threads", G_STRUCT_OFFSET (PhiliaPreferences, threads_spin) },
    { "layout", G_STRUCT_OFFSET (PhiliaPreferences, layout_dropdown) },
    { "autosave", G_STRUCT_OFFSET (PhiliaPreferences, autosave_spin) },
    { "width", G_STRUCT_OFFSET (PhiliaPreferences, width_spin) },
    { "height", G_STRUCT_OFFSET (PhiliaPreferences, height_spin) },
    { "dpi", G_STRUCT_OFFSET (PhiliaPreferences, dpi_spin) },
    { "format", G_STRUCT_OFFSET (PhiliaPreferences, format_dropdown) },
    { "font-check", G_STRUCT_OFFSET (PhiliaPreferences, font_check) },
    { "font", G_STRUCT_OFFSET (PhiliaPreferences, font_button) },
    { "folders", G_STRUCT_OFFSET (PhiliaPreferences, folders_list) },
  };

  g_return_val_if_fail (PHILIA_IS_PREFERENCES (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (widgets); i++)
    if (g_str_equal (widgets[i].name, name))
      return G_STRUCT_MEMBER (GtkWidget *, self, widgets[i].offset);
  return NULL;
}

/* Application-wide */

static void
apply_color_scheme (GSettings *settings)
{
  GtkSettings *gtk_settings = gtk_settings_get_default ();
  g_autofree char *scheme = g_settings_get_string (settings, "color-scheme");

  if (gtk_settings == NULL)
    return;
  /* GTK 4.8 has no colour-scheme API (AdwStyleManager is libadwaita's):
   * following the system is GTK's own value of the setting, from the
   * desktop (XSettings or the settings portal). */
  if (g_str_equal (scheme, "default"))
    gtk_settings_reset_property (gtk_settings, "gtk-application-prefer-dark-theme");
  else
    g_object_set (gtk_settings, "gtk-application-prefer-dark-theme",
                  g_str_equal (scheme, "dark"), NULL);
}

void
philia_preferences_follow_color_scheme (GSettings *settings)
{
  g_return_if_fail (G_IS_SETTINGS (settings));

  apply_color_scheme (settings);
  g_signal_connect (settings, "changed::color-scheme", G_CALLBACK (apply_color_scheme), NULL);
}

static void
apply_figure_font (GSettings      *settings,
                   const char     *key,
                   GtkCssProvider *provider)
{
  g_autofree char *font = g_settings_get_string (settings, "figure-font");
  g_autoptr(PangoFontDescription) desc = NULL;
  g_autoptr(GString) css = g_string_new ("");

  /* The chart views and the canvas read their text font from their own
   * style (on every style change), so a CSS rule reaches screen and export;
   * the canvas's toolbars and panels inside it keep the desktop's font. */
  desc = font[0] != '\0' ? pango_font_description_from_string (font) : NULL;
  if (desc != NULL && pango_font_description_get_family (desc) != NULL)
    {
      g_autofree char *family = g_strescape (pango_font_description_get_family (desc), NULL);
      int size = pango_font_description_get_size (desc);

      g_string_append_printf (css, "philiachart, philiacanvas, philia-graph-area "
                                   "{ font-family: \"%s\";", family);
      if (size > 0)
        g_string_append_printf (css, " font-size: %gpt;", (double) size / PANGO_SCALE);
      g_string_append (css, " }\n"
                            "philiacanvas > * { font-family: initial; font-size: initial; }\n");
    }
  gtk_css_provider_load_from_data (provider, css->str, -1);
}

void
philia_preferences_follow_figure_font (GSettings *settings)
{
  GtkCssProvider *provider;
  GdkDisplay *display = gdk_display_get_default ();

  g_return_if_fail (G_IS_SETTINGS (settings));
  if (display == NULL)
    return;

  provider = gtk_css_provider_new ();
  /* Above the theme and the application's style.css. */
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  apply_figure_font (settings, NULL, provider);
  g_signal_connect_data (settings, "changed::figure-font", G_CALLBACK (apply_figure_font),
                         provider, (GClosureNotify) g_object_unref, 0);
}
