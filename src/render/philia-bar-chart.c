/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <math.h>

#include <pango/pangocairo.h>

#include "philia-render.h"

static void
set_color (cairo_t          *cr,
           const PhiliaRgba *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

static PangoLayout *
make_layout (cairo_t                 *cr,
             const PhiliaRenderStyle *style,
             double                   scale,
             gboolean                 bold,
             const char              *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_new ();

  pango_font_description_set_family (font, style->font_family ? style->font_family : "Sans");
  pango_font_description_set_absolute_size (font, style->font_size * scale * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_font_description_free (font);
  return layout;
}

/* Draws @text with its anchor at (x, y): ax/ay are 0 (left/top) to 1 (right/bottom). */
static void
draw_text (cairo_t                 *cr,
           const PhiliaRenderStyle *style,
           double                   scale,
           gboolean                 bold,
           const char              *text,
           double                   x,
           double                   y,
           double                   ax,
           double                   ay,
           double                   max_width)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, style, scale, bold, text);
  PangoRectangle ink, logical;

  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int)(max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_extents (layout, &ink, &logical);
  cairo_move_to (cr, x - ax * logical.width, y - ay * logical.height);
  pango_cairo_show_layout (cr, layout);
}

static double
text_width (cairo_t                 *cr,
            const PhiliaRenderStyle *style,
            double                   scale,
            const char              *text)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, style, scale, FALSE, text);
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  return logical.width;
}

/* A "nice" tick step (1, 2 or 5 × 10^k) giving about @target ticks up to @max. */
static double
nice_step (double max,
           int    target)
{
  double raw = max / MAX (target, 1);
  double mag = pow (10.0, floor (log10 (raw)));
  double norm = raw / mag;

  if (norm <= 1.0)
    return mag;
  if (norm <= 2.0)
    return 2.0 * mag;
  if (norm <= 5.0)
    return 5.0 * mag;
  return 10.0 * mag;
}

static void
format_value (char   *buf,
              gsize   len,
              double  value)
{
  if (fabs (value - round (value)) < 1e-9 && fabs (value) < 1e15)
    g_snprintf (buf, len, "%.0f", value);
  else
    g_snprintf (buf, len, "%.3g", value);
}

void
philia_bar_chart_draw (cairo_t                 *cr,
                       double                   width,
                       double                   height,
                       const PhiliaBarChart    *chart,
                       const PhiliaRenderStyle *style)
{
  PhiliaRenderStyle fallback;
  double fs, top, bottom, left, right, plot_w, plot_h, max = 0.0, step, axis_max;
  double slot, bar_w, label_every = 1;
  char buf[64];

  g_return_if_fail (cr != NULL);
  g_return_if_fail (chart != NULL);

  if (style == NULL)
    {
      philia_render_style_init_default (&fallback);
      style = &fallback;
    }

  cairo_save (cr);

  if (style->background.a > 0)
    {
      set_color (cr, &style->background);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
    }

  fs = style->font_size;
  for (guint i = 0; i < chart->n_bars; i++)
    if (isfinite (chart->values[i]))
      max = MAX (max, chart->values[i]);

  step = nice_step (max > 0 ? max : 1.0, 4);
  axis_max = ceil ((max > 0 ? max : 1.0) / step) * step;

  /* Margins from what has to fit: the widest tick label, titles, category labels. */
  format_value (buf, sizeof buf, axis_max);
  left = text_width (cr, style, 1.0, buf) + fs * 1.2 + (chart->y_label ? fs * 1.6 : 0);
  right = fs * 0.8;
  top = (chart->title ? fs * 2.2 : fs * 0.8) + (chart->show_values ? fs * 1.2 : 0);
  bottom = fs * 2.2 + (chart->x_label ? fs * 1.6 : 0);
  plot_w = width - left - right;
  plot_h = height - top - bottom;

  if (chart->title)
    draw_text (cr, style, 1.1, TRUE, chart->title, left, fs * 0.4, 0.0, 0.0, width - left);

  if (plot_w <= 4 || plot_h <= 4 || chart->n_bars == 0)
    {
      if (chart->n_bars == 0 && plot_w > 4 && plot_h > 4)
        {
          set_color (cr, &style->foreground);
          draw_text (cr, style, 1.0, FALSE, "No data", left + plot_w / 2, top + plot_h / 2,
                     0.5, 0.5, plot_w);
        }
      cairo_restore (cr);
      return;
    }

  /* Grid and tick labels. */
  cairo_set_line_width (cr, 1.0);
  for (double v = 0; v <= axis_max + step * 1e-9; v += step)
    {
      double y = top + plot_h - v / axis_max * plot_h;

      set_color (cr, &style->grid);
      cairo_move_to (cr, left, round (y) + 0.5);
      cairo_line_to (cr, left + plot_w, round (y) + 0.5);
      cairo_stroke (cr);
      set_color (cr, &style->foreground);
      format_value (buf, sizeof buf, v);
      draw_text (cr, style, 1.0, FALSE, buf, left - fs * 0.4, y, 1.0, 0.5, 0);
    }

  if (chart->y_label)
    {
      cairo_save (cr);
      cairo_translate (cr, fs * 0.2, top + plot_h / 2);
      cairo_rotate (cr, -G_PI / 2);
      set_color (cr, &style->foreground);
      draw_text (cr, style, 1.0, FALSE, chart->y_label, 0, 0, 0.5, 0.0, plot_h);
      cairo_restore (cr);
    }

  slot = plot_w / chart->n_bars;
  bar_w = MAX (1.0, slot * 0.72);

  /* Thin category labels so that they never overlap. */
  if (chart->labels != NULL)
    {
      double widest = 0;

      for (guint i = 0; i < chart->n_bars; i++)
        if (chart->labels[i])
          widest = MAX (widest, text_width (cr, style, 1.0, chart->labels[i]));
      widest = MIN (widest, fs * 10);
      label_every = MAX (1.0, ceil ((widest + fs * 0.6) / slot));
    }

  for (guint i = 0; i < chart->n_bars; i++)
    {
      double v = chart->values[i];
      double x = left + i * slot + (slot - bar_w) / 2;
      double h = isfinite (v) && v > 0 ? v / axis_max * plot_h : 0;

      if (chart->color_by_category)
        {
          PhiliaRgba c;

          philia_palette_get_categorical (i, &c);
          set_color (cr, &c);
        }
      else
        set_color (cr, &style->accent);
      cairo_rectangle (cr, x, top + plot_h - h, bar_w, h);
      cairo_fill (cr);

      set_color (cr, &style->foreground);
      if (chart->show_values && isfinite (v) && bar_w >= fs * 1.2)
        {
          format_value (buf, sizeof buf, v);
          draw_text (cr, style, 0.9, FALSE, buf, x + bar_w / 2, top + plot_h - h - fs * 0.2,
                     0.5, 1.0, slot * 1.5);
        }
      if (chart->labels != NULL && chart->labels[i] != NULL && i % (guint)label_every == 0)
        draw_text (cr, style, 1.0, FALSE, chart->labels[i], x + bar_w / 2,
                   top + plot_h + fs * 0.3, 0.5, 0.0, slot * label_every - fs * 0.2);
    }

  /* Baseline. */
  set_color (cr, &style->foreground);
  cairo_move_to (cr, left, round (top + plot_h) + 0.5);
  cairo_line_to (cr, left + plot_w, round (top + plot_h) + 0.5);
  cairo_stroke (cr);

  if (chart->x_label)
    draw_text (cr, style, 1.0, FALSE, chart->x_label, left + plot_w / 2, height - fs * 0.2,
               0.5, 1.0, plot_w);

  cairo_restore (cr);
}
