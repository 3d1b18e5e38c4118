/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-render.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_EXPORT_DIALOG (philia_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaExportDialog, philia_export_dialog, PHILIA, EXPORT_DIALOG, GtkWindow)

PhiliaExportDialog *philia_export_dialog_new        (GtkWindow          *parent);
PhiliaFigureFormat  philia_export_dialog_get_format (PhiliaExportDialog *self);
void                philia_export_dialog_set_format (PhiliaExportDialog *self,
                                                     PhiliaFigureFormat  format);
void                philia_export_dialog_get_size   (PhiliaExportDialog *self,
                                                     double             *width,
                                                     double             *height,
                                                     double             *dpi);
void                philia_export_dialog_set_size   (PhiliaExportDialog *self,
                                                     double              width,
                                                     double              height,
                                                     double              dpi);
const char         *philia_figure_format_get_extension (PhiliaFigureFormat format);

G_END_DECLS
