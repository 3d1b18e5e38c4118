/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include "philia-render-private.h"

typedef struct
{
  double left, top, plot_w, plot_h, slot, bar_w, axis_max, step, label_every, legend_w;
  double label_h;      /* room under the plot for the category labels */
  gboolean slanted;    /* labels at 45°, their ends under the bars */
  guint  n_series;
} Layout;

static double
bar_total (const PhiliaBarChart *chart,
           guint                 n_series,
           guint                 bar)
{
  double total = 0;

  for (guint s = 0; s < n_series; s++)
    {
      double v = chart->values[(gsize)s * chart->n_bars + bar];

      if (isfinite (v) && v > 0)
        total += v;
    }
  return total;
}

static void
compute_layout (cairo_t                 *cr,
                const PhiliaBarChart    *chart,
                const PhiliaRenderStyle *style,
                double                   width,
                double                   height,
                Layout                  *l)
{
  double fs = style->font_size, max = 0.0;
  gboolean integral = TRUE;
  char buf[64];

  l->n_series = MAX (chart->n_series, 1);
  for (guint i = 0; i < chart->n_bars; i++)
    max = MAX (max, bar_total (chart, l->n_series, i));
  for (gsize i = 0; i < (gsize)l->n_series * chart->n_bars && integral; i++)
    integral = !isfinite (chart->values[i]) || chart->values[i] == floor (chart->values[i]);

  /* Counts never get a tick at 0.5. */
  l->step = _philia_render_nice_step (max > 0 ? max : 1.0, 4);
  if (integral)
    l->step = MAX (l->step, 1.0);
  l->axis_max = ceil ((max > 0 ? max : 1.0) / l->step) * l->step;

  /* Margins from what has to fit: the widest tick label, titles, category labels. */
  _philia_render_format (buf, sizeof buf, l->axis_max);
  l->left = _philia_render_text_width (cr, style, 1.0, buf) + fs * 1.2
            + (chart->y_label ? fs * 1.6 : 0);
  l->top = (chart->title ? fs * 2.2 : fs * 0.8) + (chart->show_values ? fs * 1.2 : 0);
  /* A stacked chart's legend gets its own column, so it never covers a bar. */
  l->legend_w = 0;
  if (l->n_series > 1 && chart->series_labels != NULL)
    {
      for (guint s = 0; s < l->n_series; s++)
        l->legend_w = MAX (l->legend_w,
                           _philia_render_text_width (cr, style, 0.9, chart->series_labels[s]));
      l->legend_w = MIN (l->legend_w, width * 0.3) + fs * 2.4;
    }
  l->plot_w = width - l->left - fs * 0.8 - l->legend_w;
  l->slot = chart->n_bars > 0 ? l->plot_w / chart->n_bars : 0;
  l->label_every = 1;
  l->slanted = FALSE;
  l->label_h = fs * 1.4;

  if (chart->labels != NULL && l->slot > 0)
    {
      double widest = 0, line = fs * 1.25;

      for (guint i = 0; i < chart->n_bars; i++)
        if (chart->labels[i])
          widest = MAX (widest, _philia_render_text_width (cr, style, 1.0, chart->labels[i]));
      if (widest + fs * 0.6 > l->slot && l->slot >= line * 0.75)
        {
          /* Slanted, each label whole and ending under its bar: as tall as
           * the widest needs; labels may reach left of the plot. */
          double axis_left = l->left;

          l->slanted = TRUE;
          l->label_h = (widest + line) * G_SQRT2 / 2 + fs * 0.4;
          /* Label i ends under the centre of slot i and reaches (w_i + line)/√2
           * to its left; any of them, not only the first, may be the one that
           * would cross the figure's left edge. Widening the margin narrows the
           * slots, so settle the two together (a few rounds converge). */
          for (guint pass = 0; pass < 8; pass++)
            {
              double need = axis_left;

              for (guint i = 0; i < chart->n_bars; i++)
                if (chart->labels[i])
                  need = MAX (need, (_philia_render_text_width (cr, style, 1.0, chart->labels[i])
                                     + line) * G_SQRT2 / 2 - (i + 0.5) * l->slot + fs * 0.4);
              if (need <= l->left + 0.01 && pass > 0)
                break;
              l->left = MAX (l->left, need);
              l->plot_w = width - l->left - fs * 0.8 - l->legend_w;
              l->slot = chart->n_bars > 0 ? l->plot_w / chart->n_bars : 0;
            }
        }
      else if (widest + fs * 0.6 > l->slot)
        /* Too many bars even to slant (a histogram's numbers): every k-th,
         * whole, so that they never overlap. */
        l->label_every = MAX (1.0, ceil ((widest + fs * 0.6) / MAX (l->slot, 1e-9)));
    }
  l->plot_h = height - l->top - fs * 0.8 - l->label_h - (chart->x_label ? fs * 1.6 : 0);
  l->bar_w = MAX (1.0, l->slot * 0.72);
}

static void
draw_legend (cairo_t                 *cr,
             const PhiliaBarChart    *chart,
             const PhiliaRenderStyle *style,
             const Layout            *l)
{
  double fs = style->font_size;
  double x = l->left + l->plot_w + fs * 1.0, y = l->top + fs * 0.2;

  for (guint s = 0; s < l->n_series; s++, y += fs * 1.3)
    {
      PhiliaRgba c;

      philia_palette_get_categorical (s, &c);
      _philia_render_set_color (cr, &c);
      cairo_rectangle (cr, x, y + fs * 0.15, fs * 0.9, fs * 0.9);
      cairo_fill (cr);
      _philia_render_set_color (cr, &style->foreground);
      _philia_render_text (cr, style, 0.9, FALSE, chart->series_labels[s], x + fs * 1.2, y, 0, 0,
                           l->legend_w - fs * 2.2);
    }
}

void
philia_bar_chart_draw (cairo_t                 *cr,
                       double                   width,
                       double                   height,
                       const PhiliaBarChart    *chart,
                       const PhiliaRenderStyle *style)
{
  PhiliaRenderStyle fallback;
  Layout l;
  double fs;
  char buf[64];

  g_return_if_fail (cr != NULL);
  g_return_if_fail (chart != NULL);

  style = _philia_render_style_or_default (style, &fallback);
  fs = style->font_size;

  cairo_save (cr);

  if (style->background.a > 0)
    {
      _philia_render_set_color (cr, &style->background);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
    }

  compute_layout (cr, chart, style, width, height, &l);

  _philia_render_set_color (cr, &style->foreground);
  if (chart->title)
    _philia_render_text (cr, style, 1.1, TRUE, chart->title, l.left, fs * 0.4, 0.0, 0.0,
                         width - l.left);

  if (l.plot_w <= 4 || l.plot_h <= 4 || chart->n_bars == 0)
    {
      if (chart->n_bars == 0 && l.plot_w > 4 && l.plot_h > 4)
        _philia_render_text (cr, style, 1.0, FALSE, _ ("No data"), l.left + l.plot_w / 2,
                             l.top + l.plot_h / 2, 0.5, 0.5, l.plot_w);
      cairo_restore (cr);
      return;
    }

  /* Grid and tick labels. */
  cairo_set_line_width (cr, 1.0);
  for (double v = 0; v <= l.axis_max + l.step * 1e-9; v += l.step)
    {
      _philia_render_format (buf, sizeof buf, v);
      _philia_render_tick (cr, style, l.left, l.top, l.plot_w, l.plot_h, FALSE,
                           l.top + l.plot_h - v / l.axis_max * l.plot_h, buf);
    }

  if (chart->y_label)
    {
      cairo_save (cr);
      cairo_translate (cr, fs * 0.2, l.top + l.plot_h / 2);
      cairo_rotate (cr, -G_PI / 2);
      _philia_render_text (cr, style, 1.0, FALSE, chart->y_label, 0, 0, 0.5, 0.0, l.plot_h);
      cairo_restore (cr);
    }

  for (guint i = 0; i < chart->n_bars; i++)
    {
      double x = l.left + i * l.slot + (l.slot - l.bar_w) / 2;
      double base = l.top + l.plot_h;
      double total = bar_total (chart, l.n_series, i);

      for (guint s = 0; s < l.n_series; s++)
        {
          double v = chart->values[(gsize)s * chart->n_bars + i];
          double h = isfinite (v) && v > 0 ? v / l.axis_max * l.plot_h : 0;
          PhiliaRgba c;

          if (l.n_series > 1)
            philia_palette_get_categorical (s, &c);
          else if (chart->colors != NULL)
            c = chart->colors[i];
          else if (chart->color_by_category)
            philia_palette_get_categorical (i, &c);
          else
            c = style->accent;
          _philia_render_set_color (cr, &c);
          cairo_rectangle (cr, x, base - h, l.bar_w, h);
          cairo_fill (cr);
          base -= h;
        }

      if (chart->highlight != NULL && chart->highlight[i])
        {
          _philia_render_set_color (cr, &style->foreground);
          cairo_set_line_width (cr, 2.0);
          cairo_rectangle (cr, x - 1, base - 1, l.bar_w + 2, l.top + l.plot_h - base + 1);
          cairo_stroke (cr);
          cairo_set_line_width (cr, 1.0);
        }

      _philia_render_set_color (cr, &style->foreground);
      if (chart->show_values && l.bar_w >= fs * 1.2 && total >= 0)
        {
          _philia_render_format (buf, sizeof buf, total);
          _philia_render_text (cr, style, 0.9, FALSE, buf, x + l.bar_w / 2, base - fs * 0.2,
                               0.5, 1.0, l.slot * 1.5);
        }
      if (chart->labels != NULL && chart->labels[i] != NULL && l.slanted)
        {
          cairo_save (cr);
          cairo_translate (cr, x + l.bar_w / 2, l.top + l.plot_h + fs * 0.3);
          cairo_rotate (cr, -G_PI / 4);
          _philia_render_text (cr, style, 1.0, FALSE, chart->labels[i], 0, 0, 1.0, 0.5, 0);
          cairo_restore (cr);
        }
      else if (chart->labels != NULL && chart->labels[i] != NULL
               && i % (guint)l.label_every == 0)
        _philia_render_text (cr, style, 1.0, FALSE, chart->labels[i], x + l.bar_w / 2,
                             l.top + l.plot_h + fs * 0.3, 0.5, 0.0, 0);
    }

  /* Baseline. */
  _philia_render_set_color (cr, &style->foreground);
  cairo_move_to (cr, l.left, round (l.top + l.plot_h) + 0.5);
  cairo_line_to (cr, l.left + l.plot_w, round (l.top + l.plot_h) + 0.5);
  cairo_stroke (cr);

  if (chart->x_label)
    _philia_render_text (cr, style, 1.0, FALSE, chart->x_label, l.left + l.plot_w / 2,
                         height - fs * 0.2, 0.5, 1.0, l.plot_w);

  if (l.n_series > 1 && chart->series_labels != NULL)
    draw_legend (cr, chart, style, &l);

  cairo_restore (cr);
}

int
philia_bar_chart_hit (const PhiliaBarChart    *chart,
                      const PhiliaRenderStyle *style,
                      double                   width,
                      double                   height,
                      double                   x,
                      double                   y)
{
  PhiliaRenderStyle fallback;
  cairo_surface_t *surface;
  cairo_t *cr;
  Layout l;
  int bar;

  g_return_val_if_fail (chart != NULL, -1);

  style = _philia_render_style_or_default (style, &fallback);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (surface);
  compute_layout (cr, chart, style, width, height, &l);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  if (chart->n_bars == 0 || l.slot <= 0 || y < l.top || y > l.top + l.plot_h
      || x < l.left || x >= l.left + l.plot_w)
    return -1;
  bar = (int)((x - l.left) / l.slot);
  return bar < (int)chart->n_bars ? bar : -1;
}
