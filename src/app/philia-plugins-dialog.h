/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PHILIA_TYPE_PLUGINS_DIALOG (philia_plugins_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaPluginsDialog, philia_plugins_dialog, PHILIA, PLUGINS_DIALOG,
                      GtkWindow)

/* Lists @infos (PhiliaPluginInfo*, borrowed: keep them alive) and writes the
 * enable switches to @settings' disabled-plugins key. */
PhiliaPluginsDialog *philia_plugins_dialog_new           (GtkWindow           *parent,
                                                          GPtrArray           *infos,
                                                          GSettings           *settings);
guint                philia_plugins_dialog_get_n_rows    (PhiliaPluginsDialog *self);
/* For tests and accessibility checks: the widgets of the row of plugin @id. */
GtkSwitch           *philia_plugins_dialog_get_switch    (PhiliaPluginsDialog *self,
                                                          const char          *id);
const char          *philia_plugins_dialog_get_status_text (PhiliaPluginsDialog *self,
                                                          const char          *id);

G_END_DECLS
