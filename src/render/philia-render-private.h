/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-enums.h"
#include "philia-render.h"

G_BEGIN_DECLS

/* Shared by the chart types: text with an anchor, sizes, ticks. */
void   _philia_render_set_color   (cairo_t                 *cr,
                                   const PhiliaRgba        *color);
PhiliaRgba _philia_render_paper_color (const PhiliaRenderStyle *style);
void   _philia_render_text        (cairo_t                 *cr,
                                   const PhiliaRenderStyle *style,
                                   double                   scale,
                                   gboolean                 bold,
                                   const char              *text,
                                   double                   x,
                                   double                   y,
                                   double                   anchor_x,
                                   double                   anchor_y,
                                   double                   max_width);
void   _philia_render_message     (cairo_t                 *cr,
                                   const PhiliaRenderStyle *style,
                                   const char              *title,
                                   const char              *message,
                                   double                   width,
                                   double                   height);
double _philia_render_text_width  (cairo_t                 *cr,
                                   const PhiliaRenderStyle *style,
                                   double                   scale,
                                   const char              *text);
double _philia_render_nice_step   (double                   range,
                                   int                      target_ticks);
void   _philia_render_format      (char                    *buf,
                                   gsize                    len,
                                   double                   value);
void   _philia_render_tick        (cairo_t                 *cr,
                                   const PhiliaRenderStyle *style,
                                   double                   left,
                                   double                   top,
                                   double                   width,
                                   double                   height,
                                   gboolean                 x_axis,
                                   double                   pos,
                                   const char              *label);
const PhiliaRenderStyle *_philia_render_style_or_default (const PhiliaRenderStyle *style,
                                                          PhiliaRenderStyle       *fallback);

/* philia-chart-legend.c: the legend of the line and bar charts. */
typedef struct
{
  const char *label;
  guint       color;
  gboolean    dashed;
  gboolean    box;       /* a filled square (bars) instead of a line */
  gboolean    baseline;  /* a dotted rule in the foreground colour */
} PhiliaLegendEntry;

double _philia_legend_width (cairo_t                 *cr,
                             const PhiliaRenderStyle *style,
                             const PhiliaLegendEntry *entries,
                             guint                    n);
/* The box _philia_legend_draw() fills for the same arguments. */
void   _philia_legend_box   (cairo_t                 *cr,
                             const PhiliaRenderStyle *style,
                             const PhiliaLegendEntry *entries,
                             guint                    n,
                             double                   x1,
                             double                   y0,
                             double                   max_width,
                             PhiliaBox               *box);
/* Top-right corner of the box (x1, y0), on a translucent background. */
void   _philia_legend_draw  (cairo_t                 *cr,
                             const PhiliaRenderStyle *style,
                             const PhiliaLegendEntry *entries,
                             guint                    n,
                             double                   x1,
                             double                   y0,
                             double                   max_width);

/* Test hook: called for each text drawn, with its extent in device units. */
typedef void (*PhiliaTextTraceFunc) (const char *text,
                                     double      x0,
                                     double      y0,
                                     double      x1,
                                     double      y1,
                                     gboolean    shortened,
                                     gpointer    user_data);

void   philia_render_set_text_trace (PhiliaTextTraceFunc      func,
                                     gpointer                 user_data);

G_END_DECLS
