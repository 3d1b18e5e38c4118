/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PHILIA_TYPE_PREFERENCES (philia_preferences_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaPreferences, philia_preferences, PHILIA, PREFERENCES, GtkWindow)

/* The Preferences window: its widgets are bound to the application's GSettings,
 * so every change is stored at once; the code that uses each value reads it. */
PhiliaPreferences *philia_preferences_new        (GtkWindow         *parent);
/* Adds @path to the plugin-folders key and loads its plugins now; FALSE with
 * @error when the folder cannot be read (then nothing is added). */
gboolean           philia_preferences_add_folder (PhiliaPreferences *self,
                                                  const char        *path,
                                                  GError           **error);
/* For tests: the font dialog while it is open, else NULL. */
GtkWindow         *philia_preferences_get_font_dialog (PhiliaPreferences *self);
/* For tests: the page widgets by name ("theme", "threads", "layout",
 * "autosave", "width", "height", "dpi", "format", "font-check", "font",
 * "folders"), or NULL. */
GtkWidget         *philia_preferences_get_widget (PhiliaPreferences *self,
                                                  const char        *name);

/* Applies the color-scheme key to GTK (prefer-dark-theme) and follows it. */
void               philia_preferences_follow_color_scheme (GSettings *settings);
/* The figure-font key as CSS for the figure widgets, reloaded when it changes. */
void               philia_preferences_follow_figure_font  (GSettings *settings);

G_END_DECLS
