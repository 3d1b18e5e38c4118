/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PHILIA_TYPE_GRAPH_AREA (philia_graph_area_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaGraphArea, philia_graph_area, PHILIA, GRAPH_AREA, GtkWidget)

GtkGesture *philia_graph_area_get_drag_gesture (PhiliaGraphArea *self);

G_END_DECLS
