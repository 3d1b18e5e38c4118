/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <math.h>

#include "philia-render-private.h"

typedef struct
{
  gboolean log;
  double   lo, hi;     /* in axis space (log10 if log) */
} Axis;

static gboolean
usable (double v,
        gboolean log)
{
  return isfinite (v) && (!log || v > 0);
}

static double
to_axis (double   v,
         gboolean log)
{
  return log ? log10 (v) : v;
}

static void
fit_axis (Axis         *axis,
          const double *values,
          const double *other,
          gboolean      other_log,
          guint         n)
{
  gboolean any = FALSE;

  axis->lo = 0;
  axis->hi = 1;
  for (guint i = 0; i < n; i++)
    if (usable (values[i], axis->log) && usable (other[i], other_log))
      {
        double a = to_axis (values[i], axis->log);

        if (!any)
          axis->lo = axis->hi = a, any = TRUE;
        axis->lo = MIN (axis->lo, a);
        axis->hi = MAX (axis->hi, a);
      }
  if (axis->log)
    {
      /* Whole decades, so the ticks are 1, 10, 100, … */
      axis->lo = floor (axis->lo);
      axis->hi = MAX (ceil (axis->hi), axis->lo + 1);
    }
  else
    {
      double step;

      if (!axis->log && axis->lo > 0)
        axis->lo = 0;
      if (axis->hi <= axis->lo)
        axis->hi = axis->lo + 1;
      step = _philia_render_nice_step (axis->hi - axis->lo, 5);
      axis->lo = floor (axis->lo / step) * step;
      axis->hi = ceil (axis->hi / step) * step;
    }
}

void
philia_xy_chart_draw (cairo_t                 *cr,
                      double                   width,
                      double                   height,
                      const PhiliaXyChart     *chart,
                      const PhiliaRenderStyle *style)
{
  PhiliaRenderStyle fallback;
  Axis ax = { 0 }, ay = { 0 };
  double fs, left, top, right, bottom, pw, ph;
  gboolean first = TRUE;
  char buf[64];

  g_return_if_fail (cr != NULL);
  g_return_if_fail (chart != NULL);

  style = _philia_render_style_or_default (style, &fallback);
  fs = style->font_size;
  ax.log = chart->log_x;
  ay.log = chart->log_y;
  fit_axis (&ax, chart->x, chart->y, chart->log_y, chart->n_points);
  fit_axis (&ay, chart->y, chart->x, chart->log_x, chart->n_points);

  cairo_save (cr);
  if (style->background.a > 0)
    {
      _philia_render_set_color (cr, &style->background);
      cairo_paint (cr);
    }

  g_snprintf (buf, sizeof buf, ay.log ? "1e%+.0f" : "%g", ay.log ? ay.lo : ay.hi);
  left = MAX (_philia_render_text_width (cr, style, 1.0, buf), fs * 3) + fs * 0.8
         + (chart->y_label ? fs * 1.6 : 0);
  /* Half the last x tick label hangs past the plot. */
  g_snprintf (buf, sizeof buf, ax.log ? "%g" : "%g", ax.log ? pow (10, ax.hi) : ax.hi);
  right = MAX (fs * 1.2, _philia_render_text_width (cr, style, 1.0, buf) / 2 + fs * 0.4);
  top = chart->title ? fs * 2.2 : fs * 0.8;
  bottom = fs * 2.0 + (chart->x_label ? fs * 1.6 : 0);
  pw = width - left - right;
  ph = height - top - bottom;

  _philia_render_set_color (cr, &style->foreground);
  if (chart->title)
    _philia_render_text (cr, style, 1.1, TRUE, chart->title, left, fs * 0.4, 0, 0, width);
  if (pw < 8 || ph < 8)
    {
      cairo_restore (cr);
      return;
    }

#define PX(v) (left + (to_axis ((v), ax.log) - ax.lo) / (ax.hi - ax.lo) * pw)
#define PY(v) (top + ph - (to_axis ((v), ay.log) - ay.lo) / (ay.hi - ay.lo) * ph)

  /* Grid and ticks: decades on log axes, nice steps on linear ones. */
  cairo_set_line_width (cr, 1.0);
  for (int axis = 0; axis < 2; axis++)
    {
      Axis *a = axis == 0 ? &ax : &ay;
      double step = a->log ? 1.0 : _philia_render_nice_step (a->hi - a->lo, 5);

      for (double t = a->lo; t <= a->hi + step * 1e-9; t += step)
        {
          double v = a->log ? pow (10, t) : t;

          if (a->log)
            g_snprintf (buf, sizeof buf, fabs (t) < 4 ? "%g" : "1e%+.0f", fabs (t) < 4 ? v : t);
          else
            _philia_render_format (buf, sizeof buf, v);
          _philia_render_tick (cr, style, left, top, pw, ph, axis == 0,
                               axis == 0 ? left + (t - a->lo) / (a->hi - a->lo) * pw
                                         : top + ph - (t - a->lo) / (a->hi - a->lo) * ph,
                               buf);
        }
    }

  _philia_render_set_color (cr, &style->accent);
  cairo_set_line_width (cr, 1.5);
  if (chart->connect)
    {
      for (guint i = 0; i < chart->n_points; i++)
        if (usable (chart->x[i], ax.log) && usable (chart->y[i], ay.log))
          {
            if (first)
              cairo_move_to (cr, PX (chart->x[i]), PY (chart->y[i]));
            else
              cairo_line_to (cr, PX (chart->x[i]), PY (chart->y[i]));
            first = FALSE;
          }
      cairo_stroke (cr);
    }
  for (guint i = 0; i < chart->n_points; i++)
    if (usable (chart->x[i], ax.log) && usable (chart->y[i], ay.log))
      {
        cairo_new_sub_path (cr);
        cairo_arc (cr, PX (chart->x[i]), PY (chart->y[i]), MAX (1.5, fs * 0.22), 0, 2 * G_PI);
      }
  cairo_fill (cr);

#undef PX
#undef PY

  _philia_render_set_color (cr, &style->foreground);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, round (left) + 0.5, round (top) + 0.5, round (pw), round (ph));
  cairo_stroke (cr);
  if (chart->x_label)
    _philia_render_text (cr, style, 1.0, FALSE, chart->x_label, left + pw / 2, height - fs * 0.2,
                         0.5, 1.0, pw);
  if (chart->y_label)
    {
      cairo_save (cr);
      cairo_translate (cr, fs * 0.2, top + ph / 2);
      cairo_rotate (cr, -G_PI / 2);
      _philia_render_text (cr, style, 1.0, FALSE, chart->y_label, 0, 0, 0.5, 0.0, ph);
      cairo_restore (cr);
    }
  cairo_restore (cr);
}
