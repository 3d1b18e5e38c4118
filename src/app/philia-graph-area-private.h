/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-canvas.h"
#include "philia-graph-area.h"

G_BEGIN_DECLS

/*
 * What the canvas page reads of its drawing area (HACKING.md §2). The area
 * owns the view transform (zoom and pan, the fitted scale), the pointer
 * (hover, drags, pinches, the wheel) and the keys that move the view; the
 * page owns what is drawn (graph, positions, overlays, selection) and puts
 * it into the view before the area draws or hit-tests.
 */

typedef enum
{
  DRAG_NONE,
  DRAG_PAN,
  DRAG_RUBBER_BAND,
  DRAG_NODES,       /* moving nodes of the document's current layout */
} DragMode;

struct _PhiliaGraphArea
{
  GtkWidget        parent_instance;

  PhiliaCanvas    *canvas;   /* borrowed: the page this area belongs to */
  GtkGesture      *drag;     /* borrowed: owned by the widget */

  GdkTexture      *frame;    /* last full frame, for large graphs */
  double           frame_scale;
  double           frame_offset_x;
  double           frame_offset_y;
  int              frame_width;
  int              frame_height;
  gconstpointer    frame_graph;   /* compared only: another graph's frame is not shown */
  guint            serial;        /* bumped whenever what the frame shows changes */
  guint            frame_serial;  /* what the frame (or the one being drawn) was asked at */
  gboolean         rendering;
  guint            refits;        /* bumped by _philia_graph_area_refit_frame() */
  guint            frame_refits;  /* … when the frame being drawn was asked for */
  double           refit_scale;   /* the view of the last refit */
  double           refit_offset_x;
  double           refit_offset_y;
  /* What the frame jobs reuse, one job at a time: the render's buffers and
   * the copy of the positions (philia-canvas-frame.c). */
  PhiliaFrameScratch *scratch;
  double          *job_positions;
  gsize            job_positions_n;

  /* The view transform; graph coordinates → area pixels */
  PhiliaGraphView  view;
  double           fit_scale;
  guint            settle_id;
  guint            need_fit : 1;
  /* The user zoomed or panned since the last fit: a new size keeps that
   * view; otherwise the drawing is fitted again (and the document's zoom
   * put on it), so what is shown depends only on the size, not on when
   * the allocations came. */
  guint            user_view : 1;
  guint            moving : 1;   /* large graphs: the cached frame moves */

  /* Pointer state */
  double           pointer_x;
  double           pointer_y;
  DragMode         drag_mode;
  double           drag_start_x;
  double           drag_start_y;
  double           drag_offset_x;
  double           drag_offset_y;
  double           drag_dx;
  double           drag_dy;
  double           pinch_scale;
  double          *drag_positions;  /* the layout while nodes are dragged */
  GArray          *drag_nodes;      /* guint, the nodes a drag moves */
  guint            drag_claimed : 1;
};

void _philia_graph_area_zoom_at (PhiliaGraphArea *self,
                                 double           factor,
                                 double           x,
                                 double           y);
/* The view moved (pan, zoom): the user's view now, redrawn. */
void _philia_graph_area_moved (PhiliaGraphArea *self);

G_END_DECLS
