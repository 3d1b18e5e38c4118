/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"
#include "philia-graph-area.h"
#include "philia-render.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_CANVAS (philia_canvas_get_type ())

/* One step of canvas.zoom-in / canvas.zoom-out and of a keyboard +/−. */
#define PHILIA_CANVAS_ZOOM_STEP 1.25

G_DECLARE_FINAL_TYPE (PhiliaCanvas, philia_canvas, PHILIA, CANVAS, GtkWidget)

GtkWidget     *philia_canvas_new                  (void);
PhiliaGraphArea *philia_canvas_get_graph_area     (PhiliaCanvas   *self);
PhiliaDocument *philia_canvas_get_document        (PhiliaCanvas   *self);
void           philia_canvas_set_document         (PhiliaCanvas   *self,
                                                   PhiliaDocument *document);
PhiliaGraph   *philia_canvas_get_graph            (PhiliaCanvas   *self);
void           philia_canvas_set_graph            (PhiliaCanvas   *self,
                                                   PhiliaGraph    *graph);
const char    *philia_canvas_get_layout           (PhiliaCanvas   *self);
void           philia_canvas_set_layout           (PhiliaCanvas   *self,
                                                   const char     *algorithm);
PhiliaColorBy  philia_canvas_get_color_by         (PhiliaCanvas   *self);
void           philia_canvas_set_color_by         (PhiliaCanvas   *self,
                                                   PhiliaColorBy   color_by);
PhiliaEdgeStyle philia_canvas_get_edge_style      (PhiliaCanvas   *self);
void           philia_canvas_set_edge_style       (PhiliaCanvas   *self,
                                                   PhiliaEdgeStyle edge_style);
gboolean       philia_canvas_get_busy             (PhiliaCanvas   *self);
gboolean       philia_canvas_has_positions        (PhiliaCanvas   *self);
PhiliaGraph   *philia_canvas_get_shown_graph      (PhiliaCanvas   *self);
const guint   *philia_canvas_get_shown_nodes      (PhiliaCanvas   *self,
                                                   guint          *n_nodes);
double         philia_canvas_get_scale            (PhiliaCanvas   *self);
void           philia_canvas_pan_by               (PhiliaCanvas   *self,
                                                   double          dx,
                                                   double          dy);
void           philia_canvas_set_selection        (PhiliaCanvas   *self,
                                                   const guint    *nodes,
                                                   guint           n_nodes);
const guint   *philia_canvas_get_selection        (PhiliaCanvas   *self,
                                                   guint          *n_nodes);
/* Where node @v of the shown graph is drawn, in the canvas's coordinates
 * (tests that drag it translate them to the graph area's, where the drag
 * gesture is); FALSE without positions. */
gboolean       philia_canvas_get_node_point       (PhiliaCanvas   *self,
                                                   guint           v,
                                                   double         *x,
                                                   double         *y);
gboolean       philia_canvas_find_node            (PhiliaCanvas   *self,
                                                   const char     *name_or_id);
gboolean       philia_canvas_show_neighbourhood   (PhiliaCanvas   *self,
                                                   guint           node,
                                                   guint           k);
void           philia_canvas_show_whole_graph     (PhiliaCanvas   *self);
gboolean       philia_canvas_zoom_to_nodes        (PhiliaCanvas   *self,
                                                   const guint    *nodes,
                                                   guint           n_nodes);
gboolean       philia_canvas_zoom_to_selection    (PhiliaCanvas   *self);
void           philia_canvas_commit_view          (PhiliaCanvas   *self);
gboolean       philia_canvas_export               (PhiliaCanvas   *self,
                                                   const char     *path,
                                                   double          width,
                                                   double          height,
                                                   double          dpi,
                                                   gboolean        whole_graph,
                                                   GError        **error);

/* Overlays other panels put on the canvas (whole-graph node ids and CSR
 * entries; kept across layouts and the neighbourhood view, dropped with the
 * graph). Node layers join the colour menu after the built-in colourings. */
void           philia_canvas_set_node_values      (PhiliaCanvas       *self,
                                                   const char         *id,
                                                   const char         *title,
                                                   const double       *values,
                                                   double              vmin,
                                                   double              vmax);
void           philia_canvas_set_node_categories  (PhiliaCanvas       *self,
                                                   const char         *id,
                                                   const char         *title,
                                                   const gint32       *categories,
                                                   const char * const *names,
                                                   const double       *colors,
                                                   guint               n_categories);
void           philia_canvas_remove_node_layer    (PhiliaCanvas       *self,
                                                   const char         *id);
gboolean       philia_canvas_show_node_layer      (PhiliaCanvas       *self,
                                                   const char         *id);
const char    *philia_canvas_get_node_layer       (PhiliaCanvas       *self);
const char    *philia_canvas_get_edge_title       (PhiliaCanvas       *self);
void           philia_canvas_set_edge_scale       (PhiliaCanvas       *self,
                                                   PhiliaEdgeColormap  colormap,
                                                   gboolean            log,
                                                   double              mark,
                                                   const char         *mark_label);
void           philia_canvas_set_edge_values      (PhiliaCanvas       *self,
                                                   const char         *title,
                                                   const double       *values,
                                                   double              vmin,
                                                   double              vmax,
                                                   gboolean            width_by_value);
void           philia_canvas_set_highlight        (PhiliaCanvas       *self,
                                                   const guint        *nodes,
                                                   guint               n_nodes,
                                                   const guint        *path,
                                                   guint               n_path,
                                                   const guint        *pair);
void           philia_canvas_clear_highlight      (PhiliaCanvas       *self);

G_END_DECLS
