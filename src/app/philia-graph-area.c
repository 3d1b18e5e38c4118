/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-graph-area.h"

#include "philia-canvas-private.h"

/*
 * The drawing area of the canvas page: a child widget of PhiliaCanvas below
 * its toolbar, so the page's header and the graph each draw and size
 * themselves. The drawing state still lives in the page (HACKING.md §2): the
 * area asks its page to draw into the rectangle it was given.
 */

struct _PhiliaGraphArea
{
  GtkWidget     parent_instance;

  PhiliaCanvas *canvas;   /* borrowed: the page this area belongs to */
};

G_DEFINE_FINAL_TYPE (PhiliaGraphArea, philia_graph_area, GTK_TYPE_WIDGET)

void
_philia_graph_area_set_canvas (PhiliaGraphArea *self,
                               PhiliaCanvas    *canvas)
{
  g_return_if_fail (PHILIA_IS_GRAPH_AREA (self));

  self->canvas = canvas;
}

static void
philia_graph_area_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  PhiliaGraphArea *self = PHILIA_GRAPH_AREA (widget);

  if (self->canvas != NULL)
    _philia_canvas_draw_area (self->canvas, snapshot, gtk_widget_get_width (widget),
                              gtk_widget_get_height (widget));
}

static void
philia_graph_area_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  /* The page decides how much room the graph gets (what its toolbar leaves). */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 640;
    }
  else
    {
      *minimum = 160;
      *natural = 480;
    }
}

static void
philia_graph_area_class_init (PhiliaGraphAreaClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = philia_graph_area_snapshot;
  widget_class->measure = philia_graph_area_measure;
  gtk_widget_class_set_css_name (widget_class, "philia-graph-area");
}

static void
philia_graph_area_init (PhiliaGraphArea *self)
{
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}
