/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-export-dialog.h"

#include "philia-app-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "philia-enums.h"

/* Asks for what the file name cannot say: the size in points and, for PNG,
 * the resolution. The format picked here only suggests the extension; the
 * name typed in the file chooser decides. */
struct _PhiliaExportDialog
{
  GtkWindow       parent_instance;

  /* Template widgets */
  GtkDropDown    *format_dropdown;
  GtkSpinButton  *width_spin;
  GtkSpinButton  *height_spin;
  GtkSpinButton  *dpi_spin;
  GtkLabel       *pixels_label;
};

G_DEFINE_FINAL_TYPE (PhiliaExportDialog, philia_export_dialog, GTK_TYPE_WINDOW)

enum {
  ACCEPT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The extension that makes philia_figure_export() pick @format: the format's nick. */
const char *
philia_figure_format_get_extension (PhiliaFigureFormat format)
{
  const char *nick = philia_enum_to_nick (PHILIA_TYPE_FIGURE_FORMAT, format);

  g_return_val_if_fail (nick != NULL, "png");
  return nick;
}

static void
update_pixels (PhiliaExportDialog *self)
{
  gboolean png = philia_export_dialog_get_format (self) == PHILIA_FIGURE_PNG;
  double width, height, dpi;

  philia_export_dialog_get_size (self, &width, &height, &dpi);
  gtk_widget_set_sensitive (GTK_WIDGET (self->dpi_spin), png);

  if (png)
    {
      /* Translators: the PNG size, e.g. "1500 × 1000 pixels" */
      g_autofree char *text = g_strdup_printf (_("%d × %d pixels"),
                                               (int) ceil (width * dpi / 72.0),
                                               (int) ceil (height * dpi / 72.0));

      gtk_label_set_text (self->pixels_label, text);
    }
  else
    gtk_label_set_text (self->pixels_label, _("Vector, text kept as text"));
}

static void
on_value_changed (PhiliaExportDialog *self)
{
  update_pixels (self);
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PhiliaExportDialog *self = PHILIA_EXPORT_DIALOG (widget);

  gtk_spin_button_update (self->width_spin);
  gtk_spin_button_update (self->height_spin);
  gtk_spin_button_update (self->dpi_spin);
  g_signal_emit (self, signals[ACCEPT], 0);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
philia_export_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PHILIA_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (philia_export_dialog_parent_class)->dispose (object);
}

static void
philia_export_dialog_class_init (PhiliaExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_export_dialog_dispose;

  /**
   * PhiliaExportDialog::accept:
   *
   * The user chose a size; next comes the file name.
   */
  signals[ACCEPT] = g_signal_new ("accept", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaExportDialog, format_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaExportDialog, width_spin);
  gtk_widget_class_bind_template_child (widget_class, PhiliaExportDialog, height_spin);
  gtk_widget_class_bind_template_child (widget_class, PhiliaExportDialog, dpi_spin);
  gtk_widget_class_bind_template_child (widget_class, PhiliaExportDialog, pixels_label);
  gtk_widget_class_bind_template_callback (widget_class, on_value_changed);

  gtk_widget_class_install_action (widget_class, "export.accept", NULL, accept_action);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "export.cancel", NULL);
}

static void
philia_export_dialog_init (PhiliaExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _philia_widget_name_controls (GTK_WIDGET (self));
  update_pixels (self);
}

PhiliaExportDialog *
philia_export_dialog_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (PHILIA_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
}

PhiliaFigureFormat
philia_export_dialog_get_format (PhiliaExportDialog *self)
{
  guint selected;

  g_return_val_if_fail (PHILIA_IS_EXPORT_DIALOG (self), PHILIA_FIGURE_PNG);

  selected = gtk_drop_down_get_selected (self->format_dropdown);
  return selected <= PHILIA_FIGURE_PDF ? (PhiliaFigureFormat) selected : PHILIA_FIGURE_PNG;
}

void
philia_export_dialog_set_format (PhiliaExportDialog *self,
                                 PhiliaFigureFormat  format)
{
  g_return_if_fail (PHILIA_IS_EXPORT_DIALOG (self));

  gtk_drop_down_set_selected (self->format_dropdown, format);
}

/* Width and height in points (1/72 inch), dots per inch for PNG. */
void
philia_export_dialog_get_size (PhiliaExportDialog *self,
                               double             *width,
                               double             *height,
                               double             *dpi)
{
  g_return_if_fail (PHILIA_IS_EXPORT_DIALOG (self));

  if (width != NULL)
    *width = gtk_spin_button_get_value (self->width_spin);
  if (height != NULL)
    *height = gtk_spin_button_get_value (self->height_spin);
  if (dpi != NULL)
    *dpi = gtk_spin_button_get_value (self->dpi_spin);
}

void
philia_export_dialog_set_size (PhiliaExportDialog *self,
                               double              width,
                               double              height,
                               double              dpi)
{
  g_return_if_fail (PHILIA_IS_EXPORT_DIALOG (self));

  gtk_spin_button_set_value (self->width_spin, width);
  gtk_spin_button_set_value (self->height_spin, height);
  gtk_spin_button_set_value (self->dpi_spin, dpi);
}
