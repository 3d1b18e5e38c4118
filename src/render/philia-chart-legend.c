/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include "philia-render-private.h"

/* The legend of the line and bar charts (philia-train-figure.c), and where
 * a curves chart puts it: in the corner of the plot the curves leave free. */

double
_philia_legend_width (cairo_t                 *cr,
                      const PhiliaRenderStyle *style,
                      const PhiliaLegendEntry *entries,
                      guint                    n)
{
  double w = 0;

  for (guint i = 0; i < n; i++)
    w = MAX (w, _philia_render_text_width (cr, style, 0.9, entries[i].label));
  return w + style->font_size * 2.4;
}

/* Top-right corner of the box (x1, y0), on a translucent background. */
void
_philia_legend_box (cairo_t                 *cr,
                    const PhiliaRenderStyle *style,
                    const PhiliaLegendEntry *entries,
                    guint                    n,
                    double                   x1,
                    double                   y0,
                    double                   max_width,
                    PhiliaBox               *box)
{
  double fs = style->font_size, row = fs * 1.3;
  double w = MIN (_philia_legend_width (cr, style, entries, n), max_width);

  box->x = x1 - w - fs * 0.4;
  box->y = y0 + fs * 0.3;
  box->width = w;
  box->height = n * row + fs * 0.4;
}

void
_philia_legend_draw (cairo_t                 *cr,
                     const PhiliaRenderStyle *style,
                     const PhiliaLegendEntry *entries,
                     guint                    n,
                     double                   x1,
                     double                   y0,
                     double                   max_width)
{
  double fs = style->font_size, row = fs * 1.3;
  double w = MIN (_philia_legend_width (cr, style, entries, n), max_width);
  double x0 = x1 - w - fs * 0.4;
  PhiliaRgba bg = style->background.a > 0 ? style->background
                                          : (PhiliaRgba) { 1 - style->foreground.r,
                                                           1 - style->foreground.g,
                                                           1 - style->foreground.b, 1 };

  if (n == 0)
    return;
  bg.a = 0.8;
  _philia_render_set_color (cr, &bg);
  cairo_rectangle (cr, x0, y0 + fs * 0.3, w, n * row + fs * 0.4);
  cairo_fill (cr);

  for (guint i = 0; i < n; i++)
    {
      PhiliaRgba c;
      double y = y0 + fs * 0.5 + i * row + row / 2;

      philia_palette_get_categorical (entries[i].color, &c);
      _philia_render_set_color (cr, entries[i].baseline ? &style->foreground : &c);
      if (entries[i].baseline)
        {
          cairo_set_line_width (cr, 1.2);
          cairo_set_dash (cr, (double[]) { 1.5, 2 }, 2, 0);
          cairo_move_to (cr, x0 + fs * 0.3, y);
          cairo_line_to (cr, x0 + fs * 1.6, y);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
      else if (entries[i].box)
        {
          cairo_rectangle (cr, x0 + fs * 0.4, y - fs * 0.4, fs * 0.9, fs * 0.8);
          cairo_fill (cr);
        }
      else
        {
          cairo_set_line_width (cr, 2.0);
          if (entries[i].dashed)
            cairo_set_dash (cr, (double[]) { 4, 2.5 }, 2, 0);
          cairo_move_to (cr, x0 + fs * 0.3, y);
          cairo_line_to (cr, x0 + fs * 1.6, y);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
      _philia_render_set_color (cr, &style->foreground);
      _philia_render_text (cr, style, 0.9, FALSE, entries[i].label, x0 + fs * 2.0, y, 0, 0.5,
                           w - fs * 2.2);
    }
}

