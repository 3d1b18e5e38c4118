/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-plugins-dialog.h"

#include "philia-app-private.h"

#include <glib/gi18n.h>

#include "philia-core.h"

/* The Plugins window (HACKING.md §8): one row per plugin the loader found, with
 * its name, version, file, families and algorithms, its status and the
 * loader's reason, and a switch that adds it to or removes it from the
 * GSettings disabled-plugins list (read at the next start). */
struct _PhiliaPluginsDialog
{
  GtkWindow   parent_instance;

  /* Template widgets */
  GtkLabel   *summary_label;
  GtkListBox *list;

  /* Owned */
  GSettings  *settings;
  GHashTable *switches;   /* id → GtkSwitch (borrowed) */
  GHashTable *statuses;   /* id → GtkLabel (borrowed) */
  GPtrArray  *infos;
};

G_DEFINE_FINAL_TYPE (PhiliaPluginsDialog, philia_plugins_dialog, GTK_TYPE_WINDOW)

static gboolean
is_disabled (PhiliaPluginsDialog *self,
             const char          *id)
{
  g_auto(GStrv) disabled = g_settings_get_strv (self->settings, PHILIA_PLUGINS_DISABLED_KEY);

  return g_strv_contains ((const char * const *)disabled, id);
}

static char *
status_text (const PhiliaPluginInfo *info,
             gboolean                enabled_now)
{
  gboolean was_enabled = info->status != PHILIA_PLUGIN_DISABLED;
  const char *status;

  switch (info->status)
    {
    case PHILIA_PLUGIN_LOADED:
      status = _("Loaded");
      break;
    case PHILIA_PLUGIN_REFUSED:
      status = _("Refused");
      break;
    case PHILIA_PLUGIN_DISABLED:
    default:
      status = _("Disabled");
      break;
    }
  if (enabled_now != was_enabled)
    return g_strdup_printf ("%s — %s", status,
                            enabled_now ? _("enabled at next start")
                                        : _("disabled at next start"));
  return g_strdup (status);
}

static void
switch_active_cb (GtkSwitch           *sw,
                  GParamSpec          *pspec,
                  PhiliaPluginsDialog *self)
{
  const PhiliaPluginInfo *info = g_object_get_data (G_OBJECT (sw), "philia-plugin-info");
  g_auto(GStrv) disabled = g_settings_get_strv (self->settings, PHILIA_PLUGINS_DISABLED_KEY);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  g_autofree char *text = NULL;
  gboolean active = gtk_switch_get_active (sw);

  for (guint i = 0; disabled[i] != NULL; i++)
    if (!g_str_equal (disabled[i], info->id))
      g_strv_builder_add (builder, disabled[i]);
  if (!active)
    g_strv_builder_add (builder, info->id);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, PHILIA_PLUGINS_DISABLED_KEY,
                       (const char * const *)updated);

  text = status_text (info, active);
  gtk_label_set_text (g_hash_table_lookup (self->statuses, info->id), text);
}

static GtkWidget *
dim_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static GtkWidget *
row_new (PhiliaPluginsDialog    *self,
         const PhiliaPluginInfo *info)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title, *status, *sw;
  g_autofree char *markup = NULL;
  g_autofree char *status_string = NULL;
  g_autofree char *families = g_strjoinv (", ", info->families);
  g_autofree char *algorithms = g_strjoinv (", ", info->algorithms);
  gboolean enabled = !is_disabled (self, info->id);

  gtk_widget_set_margin_top (row, 8);
  gtk_widget_set_margin_bottom (row, 8);
  gtk_widget_set_margin_start (row, 10);
  gtk_widget_set_margin_end (row, 10);
  gtk_widget_set_hexpand (text, TRUE);

  markup = g_markup_printf_escaped ("<b>%s</b>  %s", info->name,
                                    info->version[0] != '\0' ? info->version : "");
  title = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (title), markup);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (text), title);
  if (info->description[0] != '\0')
    {
      GtkWidget *description = gtk_label_new (info->description);

      gtk_label_set_xalign (GTK_LABEL (description), 0);
      gtk_label_set_wrap (GTK_LABEL (description), TRUE);
      gtk_box_append (GTK_BOX (text), description);
    }
  gtk_box_append (GTK_BOX (text), dim_label (info->file));
  if (info->families[0] != NULL)
    {
      g_autofree char *line = g_strdup_printf (_("%s: %s"), families, algorithms);

      gtk_box_append (GTK_BOX (text), dim_label (line));
    }

  status_string = status_text (info, enabled);
  status = gtk_label_new (status_string);
  gtk_label_set_xalign (GTK_LABEL (status), 0);
  gtk_widget_add_css_class (status, info->status == PHILIA_PLUGIN_REFUSED ? "error" : "heading");
  gtk_box_append (GTK_BOX (text), status);
  if (info->reason != NULL && info->status == PHILIA_PLUGIN_REFUSED)
    {
      GtkWidget *reason = gtk_label_new (info->reason);

      gtk_label_set_xalign (GTK_LABEL (reason), 0);
      gtk_label_set_wrap (GTK_LABEL (reason), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (reason), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (reason), TRUE);
      gtk_box_append (GTK_BOX (text), reason);
    }
  gtk_box_append (GTK_BOX (row), text);

  sw = gtk_switch_new ();
  gtk_switch_set_active (GTK_SWITCH (sw), enabled);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  info->name, -1);
  gtk_widget_set_tooltip_text (sw, _("Load this plugin when Philia starts"));
  g_object_set_data (G_OBJECT (sw), "philia-plugin-info", (gpointer)info);
  g_signal_connect (sw, "notify::active", G_CALLBACK (switch_active_cb), self);
  gtk_box_append (GTK_BOX (row), sw);

  g_hash_table_insert (self->switches, info->id, sw);
  g_hash_table_insert (self->statuses, info->id, status);
  return row;
}

static void
philia_plugins_dialog_dispose (GObject *object)
{
  PhiliaPluginsDialog *self = PHILIA_PLUGINS_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_PLUGINS_DIALOG);
  G_OBJECT_CLASS (philia_plugins_dialog_parent_class)->dispose (object);
}

static void
philia_plugins_dialog_finalize (GObject *object)
{
  PhiliaPluginsDialog *self = PHILIA_PLUGINS_DIALOG (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->switches, g_hash_table_unref);
  g_clear_pointer (&self->statuses, g_hash_table_unref);
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  G_OBJECT_CLASS (philia_plugins_dialog_parent_class)->finalize (object);
}

static void
philia_plugins_dialog_class_init (PhiliaPluginsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_plugins_dialog_dispose;
  object_class->finalize = philia_plugins_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-plugins-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaPluginsDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaPluginsDialog, list);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
philia_plugins_dialog_init (PhiliaPluginsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _philia_widget_name_controls (GTK_WIDGET (self));
  self->switches = g_hash_table_new (g_str_hash, g_str_equal);
  self->statuses = g_hash_table_new (g_str_hash, g_str_equal);
}

PhiliaPluginsDialog *
philia_plugins_dialog_new (GtkWindow *parent,
                           GPtrArray *infos,
                           GSettings *settings)
{
  PhiliaPluginsDialog *self;
  guint loaded = 0, refused = 0, disabled = 0;
  g_autofree char *summary = NULL;

  g_return_val_if_fail (infos != NULL, NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (PHILIA_TYPE_PLUGINS_DIALOG, "transient-for", parent, NULL);
  self->settings = g_object_ref (settings);
  self->infos = g_ptr_array_ref (infos);
  for (guint i = 0; i < infos->len; i++)
    {
      const PhiliaPluginInfo *info = infos->pdata[i];

      gtk_list_box_append (self->list, row_new (self, info));
      loaded += info->status == PHILIA_PLUGIN_LOADED;
      refused += info->status == PHILIA_PLUGIN_REFUSED;
      disabled += info->status == PHILIA_PLUGIN_DISABLED;
    }
  if (infos->len == 0)
    summary = g_strdup (_("No plugins were found."));
  else
    /* Translators: counts of plugins; the first is the total */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u plugin found: %u loaded, %u refused, %u disabled.",
                                            "%u plugins found: %u loaded, %u refused, "
                                            "%u disabled.", infos->len),
                               infos->len, loaded, refused, disabled);
  gtk_label_set_text (self->summary_label, summary);
  return self;
}

guint
philia_plugins_dialog_get_n_rows (PhiliaPluginsDialog *self)
{
  g_return_val_if_fail (PHILIA_IS_PLUGINS_DIALOG (self), 0);
  return g_hash_table_size (self->switches);
}

GtkSwitch *
philia_plugins_dialog_get_switch (PhiliaPluginsDialog *self,
                                  const char          *id)
{
  g_return_val_if_fail (PHILIA_IS_PLUGINS_DIALOG (self), NULL);
  return g_hash_table_lookup (self->switches, id);
}

const char *
philia_plugins_dialog_get_status_text (PhiliaPluginsDialog *self,
                                       const char          *id)
{
  GtkLabel *label;

  g_return_val_if_fail (PHILIA_IS_PLUGINS_DIALOG (self), NULL);
  label = g_hash_table_lookup (self->statuses, id);
  return label != NULL ? gtk_label_get_text (label) : NULL;
}
