/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-graph-area.h"

#include "philia-canvas-private.h"

/*
 * The drawing area of the canvas page: a child widget of PhiliaCanvas below
 * its toolbar, so the page's header and the graph each draw and size
 * themselves. The area keeps the cached frame of large graphs; the rest of
 * the drawing state still lives in the page (HACKING.md §2), which the area
 * asks to draw into the rectangle it was given.
 */

struct _PhiliaGraphArea
{
  GtkWidget     parent_instance;

  PhiliaCanvas *canvas;   /* borrowed: the page this area belongs to */

  GdkTexture   *frame;    /* last full frame, for large graphs */
  double        frame_scale;
  double        frame_offset_x;
  double        frame_offset_y;
  int           frame_width;
  int           frame_height;
};

G_DEFINE_FINAL_TYPE (PhiliaGraphArea, philia_graph_area, GTK_TYPE_WIDGET)

void
_philia_graph_area_clear_frame (PhiliaGraphArea *self)
{
  g_clear_object (&self->frame);
}

gboolean
_philia_graph_area_has_frame (PhiliaGraphArea *self)
{
  return self->frame != NULL;
}

/* Large graphs: while the view moves, the last full frame is moved from the
 * transform it was drawn with to @view's; otherwise it is drawn again (by
 * @render) when missing or of another size. */
void
_philia_graph_area_snapshot_frame (PhiliaGraphArea       *self,
                                   GtkSnapshot           *snapshot,
                                   int                    width,
                                   int                    height,
                                   const PhiliaGraphView *view,
                                   gboolean               moving,
                                   const GdkRGBA         *background,
                                   PhiliaGraphAreaRender  render,
                                   gpointer               data)
{
  if (moving && self->frame != NULL)
    {
      double r = view->scale / self->frame_scale;

      gtk_snapshot_append_color (snapshot, background, &GRAPHENE_RECT_INIT (0, 0, width, height));
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (view->offset_x - self->frame_offset_x * r,
                                                    view->offset_y - self->frame_offset_y * r));
      gtk_snapshot_scale (snapshot, r, r);
      gtk_snapshot_append_texture (snapshot, self->frame,
                                   &GRAPHENE_RECT_INIT (0, 0, self->frame_width,
                                                        self->frame_height));
      gtk_snapshot_restore (snapshot);
      return;
    }
  if (self->frame == NULL || self->frame_width != width || self->frame_height != height)
    {
      g_clear_object (&self->frame);
      self->frame = render (data, width, height);
      self->frame_scale = view->scale;
      self->frame_offset_x = view->offset_x;
      self->frame_offset_y = view->offset_y;
      self->frame_width = width;
      self->frame_height = height;
    }
  gtk_snapshot_append_texture (snapshot, self->frame, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static void
philia_graph_area_dispose (GObject *object)
{
  PhiliaGraphArea *self = PHILIA_GRAPH_AREA (object);

  g_clear_object (&self->frame);
  self->canvas = NULL;

  G_OBJECT_CLASS (philia_graph_area_parent_class)->dispose (object);
}

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
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_graph_area_dispose;
  widget_class->snapshot = philia_graph_area_snapshot;
  widget_class->measure = philia_graph_area_measure;
  gtk_widget_class_set_css_name (widget_class, "philia-graph-area");
}

static void
philia_graph_area_init (PhiliaGraphArea *self)
{
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}
