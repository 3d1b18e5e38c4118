/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-render.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_CHART_VIEW (philia_chart_view_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaChartView, philia_chart_view, PHILIA, CHART_VIEW, GtkWidget)

/*
 * Draws a figure of @width × @height user units with the theme's @style.
 * The same function serves the widget's snapshot and "Export…", so the file
 * matches the screen.
 */
typedef void (*PhiliaChartDrawFunc) (cairo_t                 *cr,
                                     double                   width,
                                     double                   height,
                                     const PhiliaRenderStyle *style,
                                     gpointer                 user_data);

GtkWidget *philia_chart_view_new           (void);
void       philia_chart_view_set_draw_func (PhiliaChartView     *self,
                                            PhiliaChartDrawFunc  draw_func,
                                            gpointer             user_data,
                                            GDestroyNotify       destroy);
void       philia_chart_view_get_style     (PhiliaChartView     *self,
                                            PhiliaRenderStyle   *style);
const char *philia_chart_view_get_export_name (PhiliaChartView  *self);
void       philia_chart_view_set_export_name (PhiliaChartView   *self,
                                            const char          *name);
gboolean   philia_chart_view_export        (PhiliaChartView     *self,
                                            const char          *path,
                                            double               width,
                                            double               height,
                                            GError             **error);
gboolean   philia_chart_view_export_full   (PhiliaChartView     *self,
                                            const char          *path,
                                            double               width,
                                            double               height,
                                            double               dpi,
                                            GError             **error);

G_END_DECLS
