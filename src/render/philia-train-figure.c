/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>

#include "philia-render-private.h"

/* ---------------------------------------------------------------- curves */

typedef struct
{
  gboolean log;
  double   lo, hi;
  double   tick;   /* a log axis within a decade: linear ticks this far apart (0: decades) */
} Range;

static void
fit_y (Range                   *r,
       const PhiliaCurvesChart *chart)
{
  gboolean any = FALSE;

  r->lo = 0;
  r->hi = 1;
  for (guint c = 0; c < chart->n_curves; c++)
    for (guint i = 0; i < chart->curves[c].n_points; i++)
      for (int side = -1; side <= 1; side++)
        {
          const double *spread = chart->curves[c].spread;
          double v = chart->curves[c].y[i];

          /* The band's edges count too (side ±1) on a linear axis; on a log
           * axis mean − sd may come near 0 and would stretch it by decades,
           * so there the band is clipped to the lines' range. */
          if (side != 0 && (spread == NULL || !isfinite (spread[i]) || r->log))
            continue;
          if (side != 0)
            v += side * spread[i];
          if (!isfinite (v) || (r->log && v <= 0))
            continue;
          v = r->log ? log10 (v) : v;
          if (!any)
            r->lo = r->hi = v, any = TRUE;
          r->lo = MIN (r->lo, v);
          r->hi = MAX (r->hi, v);
        }
  r->tick = 0;
  if (r->log && any && r->hi - r->lo < 1)
    {
      /* Less than a decade (a loss going from 1.6 to 1.1): whole decades
       * would flatten it, so the axis ends at nice values around the data,
       * ticked at linear steps, still on a log scale. */
      double vlo = pow (10, r->lo), vhi = pow (10, r->hi);
      double step = _philia_render_nice_step (MAX (vhi - vlo, vhi * 0.05), 4);
      double a = floor (vlo / step) * step, b = ceil (vhi / step) * step;

      if (b <= a)
        b = a + step;
      if (a <= 0)
        a = vlo * 0.9;
      r->lo = log10 (a);
      r->hi = log10 (b);
      r->tick = step;
      return;
    }
  if (r->log)
    {
      r->lo = floor (r->lo);
      r->hi = MAX (ceil (r->hi), r->lo + 1);
      return;
    }
  if (!isnan (chart->y_min))
    r->lo = chart->y_min;
  if (!isnan (chart->y_max))
    r->hi = chart->y_max;
  if (r->hi <= r->lo)
    r->hi = r->lo + 1;
  if (isnan (chart->y_min) || isnan (chart->y_max))
    {
      double step = _philia_render_nice_step (r->hi - r->lo, 5);

      if (isnan (chart->y_min))
        r->lo = floor (r->lo / step) * step;
      if (isnan (chart->y_max))
        r->hi = ceil (r->hi / step) * step;
    }
}

/* How many points of the curves (sampled a pixel or two apart along each
 * segment) and of the baseline fall in @box, with a margin: what a legend
 * there would hide. */
static guint
points_in_box (const PhiliaCurvesChart *chart,
               const Range             *ry,
               guint                    n_epochs,
               double                   left,
               double                   top,
               double                   pw,
               double                   ph,
               const PhiliaBox         *box)
{
  double x0 = box->x - 3, x1 = box->x + box->width + 3;
  double y0 = box->y - 3, y1 = box->y + box->height + 3;
  guint hits = 0;

#define PX(e) (left + ((double) (e) - 1) / (n_epochs - 1) * pw)
#define PY(v) (top + ph - ((ry->log ? log10 (v) : (v)) - ry->lo) / (ry->hi - ry->lo) * ph)
#define SHOWN(v) (isfinite (v) && (!ry->log || (v) > 0))
#define INSIDE(x, y) ((x) >= x0 && (x) <= x1 && (y) >= y0 && (y) <= y1)

  for (guint c = 0; c < chart->n_curves; c++)
    {
      const PhiliaCurve *curve = &chart->curves[c];

      for (guint i = 0; i < curve->n_points; i++)
        {
          double xa, ya, xb, yb;
          guint steps;

          if (!SHOWN (curve->y[i]))
            continue;
          xa = PX (i + 1), ya = PY (curve->y[i]);
          if (i + 1 >= curve->n_points || !SHOWN (curve->y[i + 1]))
            {
              hits += INSIDE (xa, ya);
              continue;
            }
          xb = PX (i + 2), yb = PY (curve->y[i + 1]);
          steps = (guint) MIN (ceil (hypot (xb - xa, yb - ya) / 1.5), 4096) + 1;
          for (guint k = 0; k < steps; k++)
            hits += INSIDE (xa + (xb - xa) * k / steps, ya + (yb - ya) * k / steps);
        }
    }
  if (SHOWN (chart->baseline) && PY (chart->baseline) >= y0 && PY (chart->baseline) <= y1)
    hits += (guint) ceil (MIN (x1, left + pw) - MAX (x0, left));

#undef PX
#undef PY
#undef SHOWN
#undef INSIDE
  return hits;
}

void
philia_curves_chart_draw (cairo_t                 *cr,
                          double                   width,
                          double                   height,
                          const PhiliaCurvesChart *chart,
                          const PhiliaRenderStyle *style)
{
  PhiliaRenderStyle fallback;
  g_autofree PhiliaLegendEntry *legend = NULL;
  Range ry = { 0 };
  guint n_epochs = 0, n_legend = 0;
  double fs, left, top, right, bottom, pw, ph, xstep, ystep;
  char buf[64];

  g_return_if_fail (cr != NULL);
  g_return_if_fail (chart != NULL);
  g_return_if_fail (chart->n_curves == 0 || chart->curves != NULL);

  style = _philia_render_style_or_default (style, &fallback);
  fs = style->font_size;
  ry.log = chart->log_y;
  fit_y (&ry, chart);
  n_epochs = chart->n_epochs;
  for (guint c = 0; n_epochs == 0 && c < chart->n_curves; c++)
    n_epochs = MAX (n_epochs, chart->curves[c].n_points);
  n_epochs = MAX (n_epochs, 2);

  cairo_save (cr);
  if (style->background.a > 0)
    {
      _philia_render_set_color (cr, &style->background);
      cairo_paint (cr);
    }

  if (ry.log && ry.tick > 0)
    g_snprintf (buf, sizeof buf, "%.3g", pow (10, ry.hi));
  else
    g_snprintf (buf, sizeof buf, ry.log ? "1e%+.0f" : "%.2f", ry.lo);
  left = MAX (_philia_render_text_width (cr, style, 1.0, buf), fs * 2.5) + fs * 0.8
         + (chart->y_label ? fs * 1.6 : 0);
  right = fs * 1.4;
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

#define PX(e) (left + ((double) (e) - 1) / (n_epochs - 1) * pw)
#define PY(v) (top + ph - ((ry.log ? log10 (v) : (v)) - ry.lo) / (ry.hi - ry.lo) * ph)

  cairo_set_line_width (cr, 1.0);
  xstep = MAX (1, _philia_render_nice_step (n_epochs, 5));
  for (double t = 0; t <= n_epochs + 1e-9; t += xstep)
    {
      double e = MAX (t, 1);

      g_snprintf (buf, sizeof buf, "%.0f", e);
      _philia_render_tick (cr, style, left, top, pw, ph, TRUE, PX (e), buf);
    }
  ystep = ry.log ? 1.0 : _philia_render_nice_step (ry.hi - ry.lo, 5);
  for (guint k = 0; ry.log && ry.tick > 0 && k < 100; k++)
    {
      /* Linear ticks on a log axis within a decade. */
      double v = ceil (pow (10, ry.lo) / ry.tick - 1e-9) * ry.tick + k * ry.tick;

      if (log10 (v) > ry.hi + 1e-9)
        break;
      g_snprintf (buf, sizeof buf, "%.3g", v);
      _philia_render_tick (cr, style, left, top, pw, ph, FALSE,
                           top + ph - (log10 (v) - ry.lo) / (ry.hi - ry.lo) * ph, buf);
    }
  for (double t = ry.lo; !(ry.log && ry.tick > 0) && t <= ry.hi + ystep * 1e-9; t += ystep)
    {
      if (ry.log)
        g_snprintf (buf, sizeof buf, fabs (t) < 4 ? "%g" : "1e%+.0f",
                    fabs (t) < 4 ? pow (10, t) : t);
      else
        _philia_render_format (buf, sizeof buf, t);
      _philia_render_tick (cr, style, left, top, pw, ph, FALSE,
                           top + ph - (t - ry.lo) / (ry.hi - ry.lo) * ph, buf);
    }

  cairo_save (cr);
  cairo_rectangle (cr, left, top, pw, ph);
  cairo_clip (cr);
  legend = g_new0 (PhiliaLegendEntry, chart->n_curves + 1);
  /* Bands first, under every line. */
  for (guint c = 0; c < chart->n_curves; c++)
    {
      const PhiliaCurve *curve = &chart->curves[c];
      PhiliaRgba color;

      if (curve->spread == NULL)
        continue;
      philia_palette_get_categorical (curve->color, &color);
      color.a = curve->dashed ? 0.10 : 0.22;
      _philia_render_set_color (cr, &color);
      for (guint i = 0; i < curve->n_points;)
        {
          guint j = i;

          /* One polygon per run of finite points: upper edge out, lower back. */
          while (j < curve->n_points && isfinite (curve->y[j]) && isfinite (curve->spread[j])
                 && (!ry.log || curve->y[j] > 0))
            j++;
          if (j > i)
            {
              for (guint k = i; k < j; k++)
                {
                  double y = PY (curve->y[k] + curve->spread[k]);

                  if (k == i)
                    cairo_move_to (cr, PX (k + 1), y);
                  else
                    cairo_line_to (cr, PX (k + 1), y);
                }
              for (guint k = j; k-- > i;)
                {
                  double low = curve->y[k] - curve->spread[k];

                  /* Below a log axis: a decade under its bottom, clipped. */
                  if (ry.log && low <= 0)
                    low = pow (10, ry.lo - 1);
                  cairo_line_to (cr, PX (k + 1), PY (low));
                }
              cairo_close_path (cr);
              cairo_fill (cr);
            }
          i = MAX (j, i + 1);
        }
    }
  if (isfinite (chart->baseline) && (!ry.log || chart->baseline > 0))
    {
      double y = round (PY (chart->baseline)) + 0.5;

      _philia_render_set_color (cr, &style->foreground);
      cairo_set_line_width (cr, 1.2);
      cairo_set_dash (cr, (double[]) { 1.5, 2 }, 2, 0);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, left + pw, y);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  for (guint c = 0; c < chart->n_curves; c++)
    {
      const PhiliaCurve *curve = &chart->curves[c];
      gboolean pen_down = FALSE;
      PhiliaRgba color;

      philia_palette_get_categorical (curve->color, &color);
      _philia_render_set_color (cr, &color);
      cairo_set_line_width (cr, 1.6);
      if (curve->dashed)
        cairo_set_dash (cr, (double[]) { 4, 2.5 }, 2, 0);
      for (guint i = 0; i < curve->n_points; i++)
        {
          double v = curve->y[i];

          if (!isfinite (v) || (ry.log && v <= 0))
            {
              pen_down = FALSE;
              continue;
            }
          if (pen_down)
            cairo_line_to (cr, PX (i + 1), PY (v));
          else
            cairo_move_to (cr, PX (i + 1), PY (v));
          pen_down = TRUE;
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);

      if (curve->mark >= 1 && curve->mark <= curve->n_points
          && isfinite (curve->y[curve->mark - 1]) && (!ry.log || curve->y[curve->mark - 1] > 0))
        {
          double x = PX (curve->mark), y = PY (curve->y[curve->mark - 1]);

          color.a = 0.5;
          _philia_render_set_color (cr, &color);
          cairo_set_line_width (cr, 1.0);
          cairo_set_dash (cr, (double[]) { 2, 2 }, 2, 0);
          cairo_move_to (cr, round (x) + 0.5, top);
          cairo_line_to (cr, round (x) + 0.5, top + ph);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
          color.a = 1;
          _philia_render_set_color (cr, &color);
          cairo_arc (cr, x, y, MAX (2.5, fs * 0.35), 0, 2 * G_PI);
          cairo_fill_preserve (cr);
          _philia_render_set_color (cr, &style->foreground);
          cairo_set_line_width (cr, 1.0);
          cairo_stroke (cr);
        }
      if (curve->label != NULL)
        legend[n_legend++] = (PhiliaLegendEntry) { curve->label, curve->color, curve->dashed, FALSE,
                                             FALSE };
    }
  if (isfinite (chart->baseline) && chart->baseline_label != NULL)
    legend[n_legend++] = (PhiliaLegendEntry) { chart->baseline_label, 0, FALSE, FALSE, TRUE };
  cairo_restore (cr);

#undef PX
#undef PY

  _philia_render_set_color (cr, &style->foreground);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, round (left) + 0.5, round (top) + 0.5, round (pw), round (ph));
  cairo_stroke (cr);
  if (n_legend > 0)
    {
      /* The corner asked for, unless the curves pass there (a loss ends at
       * the bottom right, an accuracy at the top right): then the corner
       * that hides the least of them, so no curve end is ever covered
       * while a free corner exists. */
      double y_top = top, y_bottom = top + ph - n_legend * fs * 1.3 - fs * 1.2;
      double x_right = left + pw - fs * 0.2, x_left, best_x = x_right, best_y = y_top;
      guint best = G_MAXUINT;
      PhiliaBox box;

      _philia_legend_box (cr, style, legend, n_legend, x_right, y_top, pw * 0.6, &box);
      x_left = left + fs * 0.2 + box.width + fs * 0.4;
      for (guint k = 0; k < 4; k++)
        {
          gboolean bottom_row = (k == 0 || k == 2) == chart->legend_bottom;
          double x = k < 2 ? x_right : x_left, y = bottom_row ? y_bottom : y_top;
          guint hits;

          _philia_legend_box (cr, style, legend, n_legend, x, y, pw * 0.6, &box);
          hits = points_in_box (chart, &ry, n_epochs, left, top, pw, ph, &box);
          if (hits < best)
            best = hits, best_x = x, best_y = y;
        }
      _philia_legend_draw (cr, style, legend, n_legend, best_x, best_y, pw * 0.6);
    }

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

/* ----------------------------------------------------------- grouped bars */

/* The y axis's top (fitted when @chart->y_max ≤ 0). */
static double
bar_chart_y_max (const PhiliaGroupedBarChart *chart)
{
  double ymax = chart->y_max, step;

  if (ymax > 0)
    return ymax;
  ymax = 0;
  for (guint i = 0; i < chart->n_groups * chart->n_series; i++)
    if (isfinite (chart->values[i]))
      ymax = MAX (ymax, chart->values[i]);
  if (ymax <= 0)
    ymax = 1;
  step = _philia_render_nice_step (ymax, 5);
  return ceil (ymax / step) * step;
}

static PhiliaLegendEntry *
bar_chart_legend (const PhiliaGroupedBarChart *chart)
{
  PhiliaLegendEntry *legend = g_new0 (PhiliaLegendEntry, MAX (chart->n_series, 1));

  for (guint s = 0; s < chart->n_series; s++)
    legend[s] = (PhiliaLegendEntry) {
      chart->series_labels != NULL && chart->series_labels[s] != NULL ? chart->series_labels[s]
                                                                      : "",
      chart->series_colors != NULL ? chart->series_colors[s] : s, FALSE, TRUE,
    };
  return legend;
}

/* The margins before @chart's minimums; *@legend_w is the legend's column. */
static void
bar_chart_margins (cairo_t                     *cr,
                   double                       width,
                   const PhiliaGroupedBarChart *chart,
                   const PhiliaRenderStyle     *style,
                   const PhiliaLegendEntry     *legend,
                   double                       ymax,
                   double                      *left,
                   double                      *right,
                   double                      *legend_w)
{
  double fs = style->font_size;
  char buf[64];

  *legend_w = chart->n_series > 0
              ? MIN (_philia_legend_width (cr, style, legend, chart->n_series), width * 0.35)
                + fs * 0.6
              : 0;
  _philia_render_format (buf, sizeof buf, ymax);
  *left = MAX (_philia_render_text_width (cr, style, 1.0, buf), fs * 2) + fs * 0.8
          + (chart->y_label ? fs * 1.6 : 0);
  *right = fs * 0.8 + *legend_w;
}

void
philia_grouped_bar_chart_get_margins (cairo_t                     *cr,
                                      double                       width,
                                      const PhiliaGroupedBarChart *chart,
                                      const PhiliaRenderStyle     *style,
                                      double                      *left,
                                      double                      *right)
{
  PhiliaRenderStyle fallback;
  g_autofree PhiliaLegendEntry *legend = NULL;
  double legend_w;

  g_return_if_fail (cr != NULL && chart != NULL && left != NULL && right != NULL);
  g_return_if_fail (chart->n_groups * chart->n_series == 0 || chart->values != NULL);

  style = _philia_render_style_or_default (style, &fallback);
  legend = bar_chart_legend (chart);
  bar_chart_margins (cr, width, chart, style, legend, bar_chart_y_max (chart), left, right,
                     &legend_w);
}

void
philia_grouped_bar_chart_draw (cairo_t                     *cr,
                               double                       width,
                               double                       height,
                               const PhiliaGroupedBarChart *chart,
                               const PhiliaRenderStyle     *style)
{
  PhiliaRenderStyle fallback;
  g_autofree PhiliaLegendEntry *legend = NULL;
  double fs, left, top, bottom, right, pw, ph, ymax, step, slot, bar_w, legend_w;
  char buf[64];

  g_return_if_fail (cr != NULL);
  g_return_if_fail (chart != NULL);
  g_return_if_fail (chart->n_groups * chart->n_series == 0 || chart->values != NULL);

  style = _philia_render_style_or_default (style, &fallback);
  fs = style->font_size;

  ymax = bar_chart_y_max (chart);
  step = _philia_render_nice_step (ymax, 5);

  cairo_save (cr);
  if (style->background.a > 0)
    {
      _philia_render_set_color (cr, &style->background);
      cairo_paint (cr);
    }

  legend = bar_chart_legend (chart);
  bar_chart_margins (cr, width, chart, style, legend, ymax, &left, &right, &legend_w);
  left = MAX (left, chart->min_left);
  right = MAX (right, chart->min_right);
  top = chart->title ? fs * 2.2 : fs * 0.8;
  bottom = fs * 1.8 + (chart->group_notes ? fs * 1.2 : 0) + (chart->x_label ? fs * 1.6 : 0);
  pw = width - left - right;
  ph = height - top - bottom;

  _philia_render_set_color (cr, &style->foreground);
  if (chart->title)
    _philia_render_text (cr, style, 1.1, TRUE, chart->title, left, fs * 0.4, 0, 0, width);
  if (pw < 8 || ph < 8 || chart->n_groups == 0)
    {
      cairo_restore (cr);
      return;
    }

  cairo_set_line_width (cr, 1.0);
  for (double t = 0; t <= ymax + step * 1e-9; t += step)
    {
      _philia_render_format (buf, sizeof buf, t);
      _philia_render_tick (cr, style, left, top, pw, ph, FALSE, top + ph - t / ymax * ph, buf);
    }

  slot = pw / chart->n_groups;
  bar_w = chart->n_series > 0 ? slot * 0.8 / chart->n_series : 0;
  for (guint g = 0; g < chart->n_groups; g++)
    {
      double x0 = left + g * slot + slot * 0.1;

      for (guint s = 0; s < chart->n_series; s++)
        {
          double v = chart->values[(gsize) s * chart->n_groups + g];
          double h, x = x0 + s * bar_w;
          PhiliaRgba color;

          if (!isfinite (v))
            continue;
          /* A negative value (a cosine) draws no bar; its printed value says it. */
          h = CLAMP (v, 0, ymax) / ymax * ph;
          philia_palette_get_categorical (legend[s].color, &color);
          _philia_render_set_color (cr, &color);
          cairo_rectangle (cr, x + 0.5, top + ph - h, MAX (bar_w - 1, 1), h);
          cairo_fill (cr);
          if (chart->show_values && bar_w >= fs * 1.6)
            {
              _philia_render_set_color (cr, &style->foreground);
              g_snprintf (buf, sizeof buf, "%.2f", v);
              _philia_render_text (cr, style, 0.75, FALSE, buf, x + bar_w / 2,
                                   top + ph - h - fs * 0.15, 0.5, 1.0, bar_w + fs);
            }
        }
      _philia_render_set_color (cr, &style->foreground);
      if (chart->group_labels != NULL && chart->group_labels[g] != NULL)
        _philia_render_text (cr, style, 0.9, FALSE, chart->group_labels[g], left + (g + 0.5) * slot,
                             top + ph + fs * 0.3, 0.5, 0, slot);
      if (chart->group_notes != NULL && chart->group_notes[g] != NULL)
        {
          PhiliaRgba dim = style->foreground;

          dim.a *= 0.65;
          _philia_render_set_color (cr, &dim);
          _philia_render_text (cr, style, 0.8, FALSE, chart->group_notes[g],
                               left + (g + 0.5) * slot, top + ph + fs * 1.45, 0.5, 0, slot);
        }
    }

  _philia_render_set_color (cr, &style->foreground);
  cairo_move_to (cr, left, round (top + ph) + 0.5);
  cairo_line_to (cr, left + pw, round (top + ph) + 0.5);
  cairo_move_to (cr, round (left) + 0.5, top);
  cairo_line_to (cr, round (left) + 0.5, top + ph);
  cairo_stroke (cr);

  _philia_legend_draw (cr, style, legend, chart->n_series, width - fs * 0.2, top, legend_w);

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

void
philia_accuracy_by_homophily_draw (cairo_t                         *cr,
                                   double                           width,
                                   double                           height,
                                   const PhiliaTrainResult * const *runs,
                                   const char * const              *names,
                                   const guint                     *colors,
                                   guint                            n_runs,
                                   const PhiliaRenderStyle         *style)
{
  enum { B = PHILIA_TRAIN_HOMOPHILY_BINS };
  g_autofree double *values = g_new0 (double, (gsize) MAX (n_runs, 1) * B);
  g_autofree const char **series = g_new0 (const char *, MAX (n_runs, 1));
  char labels[B][32], notes[B][48];
  const char *label_ptrs[B], *note_ptrs[B];
  gboolean same_counts = TRUE;
  PhiliaGroupedBarChart chart = { 0 };

  g_return_if_fail (cr != NULL);
  g_return_if_fail (n_runs == 0 || runs != NULL);

  for (guint r = 0; r < n_runs; r++)
    {
      series[r] = names != NULL && names[r] != NULL ? names[r] : runs[r]->model;
      for (guint b = 0; b < B; b++)
        {
          values[(gsize) r * B + b] = runs[r]->bin_accuracy[b];
          if (runs[r]->bin_count[b] != runs[0]->bin_count[b])
            same_counts = FALSE;
        }
    }
  for (guint b = 0; b < B; b++)
    {
      g_snprintf (labels[b], sizeof labels[b], "%.1f–%.1f", (double) b / B, (b + 1.0) / B);
      label_ptrs[b] = labels[b];
      /* Runs on different splits have different test nodes: the first run's
       * counts would mislead, so each run's are listed. */
      if (n_runs == 0)
        notes[b][0] = '\0';
      else if (same_counts)
        g_snprintf (notes[b], sizeof notes[b], "n = %" G_GINT64_FORMAT, runs[0]->bin_count[b]);
      else
        {
          GString *s = g_string_new ("n = ");

          for (guint r = 0; r < n_runs; r++)
            g_string_append_printf (s, r ? "/%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT,
                                    runs[r]->bin_count[b]);
          g_strlcpy (notes[b], s->str, sizeof notes[b]);
          g_string_free (s, TRUE);
        }
      note_ptrs[b] = notes[b];
    }

  chart.title = _ ("Test accuracy by local homophily");
  chart.x_label = _ ("Local homophily of the test node");
  chart.y_label = _ ("Test accuracy");
  chart.n_groups = B;
  chart.n_series = n_runs;
  chart.values = values;
  chart.group_labels = label_ptrs;
  chart.group_notes = note_ptrs;
  chart.series_labels = series;
  chart.series_colors = colors;
  chart.y_max = 1.0;
  chart.show_values = TRUE;
  philia_grouped_bar_chart_draw (cr, width, height, &chart, style);
}

/* --------------------------------------------------------- attention grid */

typedef struct
{
  guint   layer;
  int     head;            /* -1: mean over heads */
  double *edge_values;     /* CSR entries of the ego graph */
  double  self;
} Cell;

struct _PhiliaAttentionGrid
{
  PhiliaGraph       *ego;          /* node 0 is the centre */
  double            *positions;
  guint8            *selected;     /* the centre gets the selection ring */
  guint              n_shown;      /* neighbours shown */
  guint              degree;       /* neighbours in the graph */
  guint              node;
  guint              n_layers;
  guint              max_heads;
  GArray            *cells;        /* Cell, row-major by layer */
  double             vmin, vmax;
  gboolean           relative;     /* values are α · (deg + 1), on a log scale */
  PhiliaRenderStyle  style;
  char              *title;
  char              *subtitle;
};

typedef struct
{
  guint  node;
  gint32 label;
  double weight;
} Neighbour;

static int
cmp_weight_desc (gconstpointer a,
                 gconstpointer b)
{
  const Neighbour *x = a, *y = b;

  return x->weight < y->weight ? 1 : x->weight > y->weight ? -1
                                   : (int) x->node - (int) y->node;
}

static int
cmp_label (gconstpointer a,
           gconstpointer b)
{
  const Neighbour *x = a, *y = b;

  if (x->label != y->label)
    return x->label < y->label ? -1 : 1;
  return (int) x->node - (int) y->node;
}

/**
 * philia_attention_grid_new:
 *
 * @relative: draw α · (deg @node + 1), the attention over what a uniform
 *   softmax would give (1 = uniform), on a log scale; else α itself
 *
 * Each cell shows what @node puts on each neighbour (one direction: the
 * softmax over @node's neighbourhood), the neighbours named by id.
 *
 * Returns: (transfer full) (nullable): the grid, or %NULL when @result has no
 *   attention or @node is out of range
 */
PhiliaAttentionGrid *
philia_attention_grid_new (PhiliaGraph             *graph,
                           const PhiliaTrainResult *result,
                           guint                    node,
                           guint                    max_neighbours,
                           gboolean                 relative)
{
  g_autoptr(PhiliaGraphBuilder) builder = NULL;
  g_autofree Neighbour *nbrs = NULL;
  g_autofree gint64 *edge_of = NULL;     /* original CSR entry per shown neighbour */
  PhiliaAttentionGrid *grid;
  const gint64 *off;
  const gint32 *nbr, *y;
  const gint64 *ego_off;
  const gint32 *ego_nbr;
  gint64 *pairs, *labels;
  guint k, n_classes;
  char **names;
  double uniform;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (result != NULL, NULL);

  if (result->attention == NULL || result->attention->len == 0
      || node >= philia_graph_get_n_nodes (graph) || result->n_nodes != philia_graph_get_n_nodes (graph))
    return NULL;

  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  y = philia_graph_get_labels (graph);
  grid = g_new0 (PhiliaAttentionGrid, 1);
  grid->node = node;
  grid->degree = (guint) (off[node + 1] - off[node]);
  grid->relative = relative;
  uniform = relative ? grid->degree + 1.0 : 1.0;

  /* The most attended neighbours (mean over every layer and head) of a hub. */
  nbrs = g_new0 (Neighbour, MAX (grid->degree, 1));
  for (guint i = 0; i < grid->degree; i++)
    {
      gint64 e = off[node] + i;

      nbrs[i].node = (guint) e;     /* the CSR entry, for now */
      nbrs[i].label = y[nbr[e]];
      for (guint l = 0; l < result->attention->len; l++)
        {
          const PhiliaAttention *a = &g_array_index (result->attention, PhiliaAttention, l);

          for (guint h = 0; h < a->heads; h++)
            nbrs[i].weight += a->edges[e * a->heads + h] / a->heads;
        }
    }
  k = MIN (grid->degree, MAX (max_neighbours, 1));
  if (k < grid->degree)
    qsort (nbrs, grid->degree, sizeof (Neighbour), cmp_weight_desc);
  /* Around the circle by class, so same-label neighbours sit together. */
  qsort (nbrs, k, sizeof (Neighbour), cmp_label);
  grid->n_shown = k;

  builder = philia_graph_builder_new (k + 1);
  pairs = g_new (gint64, 2 * MAX (k, 1));
  labels = g_new (gint64, k + 1);
  edge_of = g_new (gint64, MAX (k, 1));
  labels[0] = y[node];
  grid->positions = g_new0 (double, 2 * (k + 1));
  grid->selected = g_new0 (guint8, k + 1);
  grid->selected[0] = 1;
  /* Every node named as on the canvas (its name, else its id), so a
   * neighbour in a cell can be found in the graph. */
  names = g_new0 (char *, k + 2);
  names[0] = philia_graph_get_node_name (graph, node) != NULL
             ? g_strdup (philia_graph_get_node_name (graph, node)) : g_strdup_printf ("%u", node);
  for (guint i = 0; i < k; i++)
    {
      double angle = 2 * G_PI * i / k - G_PI / 2;
      guint v = (guint) nbr[nbrs[i].node];

      names[i + 1] = philia_graph_get_node_name (graph, v) != NULL
                     ? g_strdup (philia_graph_get_node_name (graph, v)) : g_strdup_printf ("%u", v);
      edge_of[i] = nbrs[i].node;
      pairs[2 * i] = 0;
      pairs[2 * i + 1] = i + 1;
      labels[i + 1] = nbrs[i].label;
      grid->positions[2 * (i + 1)] = cos (angle);
      grid->positions[2 * (i + 1) + 1] = sin (angle);
    }
  philia_graph_builder_take_edges (builder, pairs, k);
  philia_graph_builder_take_labels (builder, labels);
  philia_graph_builder_take_node_names (builder, names);
  n_classes = philia_graph_get_n_classes (graph);
  if (philia_graph_has_class_names (graph) && n_classes > 0)
    {
      char **class_names = g_new0 (char *, n_classes + 1);

      for (guint c = 0; c < n_classes; c++)
        class_names[c] = g_strdup (philia_graph_get_class_name (graph, c));
      philia_graph_builder_take_class_names (builder, class_names);
    }
  grid->ego = philia_graph_builder_build (builder, NULL);
  if (grid->ego == NULL)
    {
      philia_attention_grid_free (grid);
      return NULL;
    }
  ego_off = philia_graph_get_row_offsets (grid->ego);
  ego_nbr = philia_graph_get_neighbors (grid->ego);

  grid->cells = g_array_new (FALSE, TRUE, sizeof (Cell));
  grid->vmin = INFINITY;
  grid->vmax = -INFINITY;
  grid->n_layers = result->attention->len;
  for (guint l = 0; l < result->attention->len; l++)
    {
      const PhiliaAttention *a = &g_array_index (result->attention, PhiliaAttention, l);

      grid->max_heads = MAX (grid->max_heads, a->heads);
    }
  for (guint l = 0; l < result->attention->len; l++)
    {
      const PhiliaAttention *a = &g_array_index (result->attention, PhiliaAttention, l);

      for (guint h = 0; h < grid->max_heads; h++)
        {
          Cell cell = { a->layer, h < a->heads ? (int) h : -2, NULL, NAN };

          if (cell.head >= 0)
            {
              cell.edge_values = g_new (double, MAX (ego_off[k + 1], 1));
              /* Both directions of centre – neighbour carry what the centre
               * puts on the neighbour: the view reads the lower id's entry. */
              for (guint v = 0; v <= k; v++)
                for (gint64 e = ego_off[v]; e < ego_off[v + 1]; e++)
                  {
                    guint j = v == 0 ? (guint) ego_nbr[e] : v;   /* 1-based neighbour */
                    double w = a->edges[edge_of[j - 1] * a->heads + h] * uniform;

                    cell.edge_values[e] = w;
                    grid->vmin = MIN (grid->vmin, w);
                    grid->vmax = MAX (grid->vmax, w);
                  }
              cell.self = a->self[(gsize) node * a->heads + h] * uniform;
            }
          g_array_append_val (grid->cells, cell);
        }
    }
  /* Fixed ends, not this node's own spread: stretched over a spread of
   * 0.071 to 0.081 near-uniform attention would look decisive. Relative
   * values sit on a log scale symmetric about 1 (uniform), at least ½ to 2;
   * raw ones from 0 (or the most negative signed coefficient) up. */
  if (!isfinite (grid->vmin) || !isfinite (grid->vmax))
    grid->vmin = relative ? 0.5 : 0, grid->vmax = relative ? 2 : 1;
  else if (relative)
    {
      double r = MAX (2.0, MAX (grid->vmax, grid->vmin > 0 ? 1 / grid->vmin : 2.0));

      grid->vmin = 1 / r;
      grid->vmax = r;
    }
  else
    {
      grid->vmin = MIN (grid->vmin, 0);
      if (grid->vmax - grid->vmin < 1e-6)
        grid->vmax = grid->vmin + 1;
    }

  if (k < grid->degree)
    grid->title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Attention of node %s on its %u most attended "
                                                "of %u neighbour",
                                                "Attention of node %s on its %u most attended "
                                                "of %u neighbours", grid->degree),
                                   philia_graph_get_node_name (grid->ego, 0), k, grid->degree);
  else
    grid->title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Attention of node %s on its %u neighbour",
                                                "Attention of node %s on its %u neighbours", k),
                                   philia_graph_get_node_name (grid->ego, 0), k);
  if (relative)
    grid->subtitle = g_strdup_printf (_ ("Width and shade: α·(deg+1), 1 = uniform; log scale "
                                        "%.3g (thin, light) to %.3g (thick, dark)"),
                                      grid->vmin, grid->vmax);
  else
    grid->subtitle = g_strdup_printf (_ ("Width and shade: attention α, %.3g (thin, light) to "
                                        "%.3g (thick, dark)"), grid->vmin, grid->vmax);
  philia_render_style_init_default (&grid->style);
  return grid;
}

/* The title, e.g. "Attention of node 55 on its 12 neighbours". */
const char *
philia_attention_grid_get_title (PhiliaAttentionGrid *grid)
{
  g_return_val_if_fail (grid != NULL, NULL);

  return grid->title;
}

/* The ends of the edge scale (1/r and r about 1 when relative). */
void
philia_attention_grid_get_range (PhiliaAttentionGrid *grid,
                                 double              *vmin,
                                 double              *vmax)
{
  g_return_if_fail (grid != NULL);

  *vmin = grid->vmin;
  *vmax = grid->vmax;
}

void
philia_attention_grid_free (PhiliaAttentionGrid *grid)
{
  if (grid == NULL)
    return;
  for (guint i = 0; grid->cells != NULL && i < grid->cells->len; i++)
    g_free (g_array_index (grid->cells, Cell, i).edge_values);
  g_clear_pointer (&grid->cells, g_array_unref);
  g_clear_object (&grid->ego);
  g_free (grid->positions);
  g_free (grid->selected);
  g_free (grid->title);
  g_free (grid->subtitle);
  g_free (grid);
}

void
philia_attention_grid_set_style (PhiliaAttentionGrid     *grid,
                                 const PhiliaRenderStyle *style)
{
  g_return_if_fail (grid != NULL);
  g_return_if_fail (style != NULL);

  grid->style = *style;
}

/* The unit circle of neighbours as large as the cell allows with room for
 * the names around it: their width beside it, a line above and below. */
static void
fit_with_names (cairo_t                 *cr,
                PhiliaAttentionGrid     *grid,
                PhiliaGraphView         *view,
                double                   width,
                double                   height,
                const PhiliaRenderStyle *style)
{
  double name_w = 0, r = philia_graph_view_get_node_radius (view, width, height, 1) + 2;
  double mx, my;

  for (guint i = 1; i <= grid->n_shown; i++)
    name_w = MAX (name_w, _philia_render_text_width (cr, style, 0.85,
                                                      philia_graph_get_node_name (grid->ego, i)));
  mx = r + name_w + 2;
  my = r + style->font_size * 0.85 * 1.3;
  view->scale = MAX (1.0, MIN (width - 2 * mx, height - 2 * my) / 2);
  view->offset_x = width / 2;
  view->offset_y = height / 2;
}

/* Where neighbour @i's name goes: just outside the circle, away from the
 * centre (the centre is named in the title), so names hide no edge. */
static void
name_box (cairo_t                 *cr,
          PhiliaAttentionGrid     *grid,
          const PhiliaGraphView   *view,
          double                   width,
          double                   height,
          const PhiliaRenderStyle *style,
          guint                    i,
          PhiliaBox               *box)
{
  double dx = grid->positions[2 * i], dy = grid->positions[2 * i + 1];
  double r = philia_graph_view_get_node_radius (view, width, height, i) + 2;
  double px = dx * view->scale + view->offset_x + dx * r;
  double py = dy * view->scale + view->offset_y + dy * r;

  box->width = _philia_render_text_width (cr, style, 0.85,
                                          philia_graph_get_node_name (grid->ego, i));
  box->height = style->font_size * 0.85 * 1.2;
  box->x = px - (0.5 - 0.5 * dx) * box->width;
  box->y = py - (0.5 - 0.5 * dy) * box->height;
}

/* Which names print: around the circle in order, each one that meets no
 * name already kept (near the top and bottom of a crowded circle, level text
 * runs into its neighbours). Every cell has the same geometry, so one choice
 * serves all. Returns how many names were left out. */
static guint
choose_names (cairo_t                 *cr,
              PhiliaAttentionGrid     *grid,
              double                   width,
              double                   height,
              const PhiliaRenderStyle *style,
              guint8                  *keep)
{
  PhiliaGraphView view = { 0 };
  g_autofree PhiliaBox *boxes = g_new0 (PhiliaBox, grid->n_shown + 1);
  guint left_out = 0;

  view.graph = grid->ego;
  view.positions = grid->positions;
  view.color_by = PHILIA_COLOR_BY_LABEL;
  fit_with_names (cr, grid, &view, width, height, style);
  for (guint i = 1; i <= grid->n_shown; i++)
    {
      gboolean meets = FALSE;

      name_box (cr, grid, &view, width, height, style, i, &boxes[i]);
      for (guint j = 1; j < i && !meets; j++)
        meets = keep[j] && boxes[i].x < boxes[j].x + boxes[j].width + 1
                && boxes[j].x < boxes[i].x + boxes[i].width + 1
                && boxes[i].y < boxes[j].y + boxes[j].height
                && boxes[j].y < boxes[i].y + boxes[i].height;
      keep[i] = !meets;
      left_out += meets;
    }
  return left_out;
}

static void
draw_neighbour_names (cairo_t                 *cr,
                      PhiliaAttentionGrid     *grid,
                      const PhiliaGraphView   *view,
                      double                   width,
                      double                   height,
                      const PhiliaRenderStyle *style,
                      const guint8            *keep)
{
  _philia_render_set_color (cr, &style->foreground);
  for (guint i = 1; i <= grid->n_shown; i++)
    {
      PhiliaBox box;

      if (!keep[i])
        continue;
      name_box (cr, grid, view, width, height, style, i, &box);
      _philia_render_text (cr, style, 0.85, FALSE, philia_graph_get_node_name (grid->ego, i),
                           box.x, box.y, 0, 0, 0);
    }
}

static guint
layer_heads (PhiliaAttentionGrid *grid,
             guint                layer)
{
  guint n = 0;

  for (guint h = 0; h < grid->max_heads; h++)
    n += g_array_index (grid->cells, Cell, layer * grid->max_heads + h).head >= 0;
  return n;
}

void
philia_attention_grid_draw (cairo_t  *cr,
                            double    width,
                            double    height,
                            gpointer  user_data)
{
  PhiliaAttentionGrid *grid = user_data;
  const PhiliaRenderStyle *style;
  double fs, top, cw, ch;
  guint cols, n_rows;
  char buf[128];
  g_autofree guint8 *keep = NULL;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (grid != NULL);

  style = &grid->style;
  fs = style->font_size;
  cairo_save (cr);
  if (style->background.a > 0)
    {
      _philia_render_set_color (cr, &style->background);
      cairo_paint (cr);
    }
  _philia_render_set_color (cr, &style->foreground);
  _philia_render_text (cr, style, 1.0, TRUE, grid->title, fs * 0.4, fs * 0.3, 0, 0,
                       width - fs * 0.8);
  top = fs * 2.9;
  if (grid->n_layers == 0 || grid->max_heads == 0 || width <= 0 || height <= top)
    {
      _philia_render_text (cr, style, 0.8, FALSE, grid->subtitle, fs * 0.4, fs * 1.6, 0, 0,
                           width - fs * 0.8);
      cairo_restore (cr);
      return;
    }

  /* Each layer starts a row; its heads wrap at @cols, chosen so the cells
   * come out as large (and as square) as the area allows. */
  {
    guint best_cols = grid->max_heads;
    double best = 0;

    for (guint c = 1; c <= grid->max_heads; c++)
      {
        guint r = 0;
        double size;

        for (guint l = 0; l < grid->n_layers; l++)
          r += (layer_heads (grid, l) + c - 1) / c;
        size = MIN (width / c, (height - top) / MAX (r, 1));
        if (size > best + 0.5)
          best = size, best_cols = c;
      }
    cols = best_cols;
    n_rows = 0;
    for (guint l = 0; l < grid->n_layers; l++)
      n_rows += (layer_heads (grid, l) + cols - 1) / cols;
    cw = width / cols;
    ch = (height - top) / MAX (n_rows, 1);
  }

  /* The names that fit, and the subtitle saying how many did not. */
  {
    PhiliaRenderStyle small = *style;
    g_autofree char *subtitle = NULL;
    guint left_out;

    small.font_size = fs * 0.8;
    keep = g_new0 (guint8, grid->n_shown + 1);
    left_out = choose_names (cr, grid, cw, ch - fs * 1.2, &small, keep);
    if (left_out > 0)
      subtitle = g_strdup_printf ("%s; %u of %u neighbour names left out where they would "
                                  "overlap", grid->subtitle, left_out, grid->n_shown);
    _philia_render_set_color (cr, &style->foreground);
    _philia_render_text (cr, style, 0.8, FALSE, subtitle != NULL ? subtitle : grid->subtitle,
                         fs * 0.4, fs * 1.6, 0, 0, width - fs * 0.8);
  }

  for (guint i = 0, row0 = 0, layer = 0; i < grid->cells->len; i++)
    {
      const Cell *cell = &g_array_index (grid->cells, Cell, i);
      guint in_layer = i % grid->max_heads;
      guint row, col;
      double x, y;
      PhiliaGraphView view = { 0 };
      PhiliaRenderStyle small = *style;

      if (i > 0 && in_layer == 0)
        row0 += (layer_heads (grid, layer++) + cols - 1) / cols;
      if (cell->head < 0)
        continue;
      row = row0 + in_layer / cols;
      col = in_layer % cols;
      x = col * cw;
      y = top + row * ch;
      small.font_size = fs * 0.8;
      small.background.a = 0;
      _philia_render_set_color (cr, &style->grid);
      cairo_set_line_width (cr, 1.0);
      cairo_rectangle (cr, round (x) + 0.5, round (y) + 0.5, round (cw) - 1, round (ch) - 1);
      cairo_stroke (cr);
      _philia_render_set_color (cr, &style->foreground);
      g_snprintf (buf, sizeof buf, "L%u H%d", cell->layer, cell->head);
      _philia_render_text (cr, style, 0.8, TRUE, buf, x + fs * 0.3, y + fs * 0.2, 0, 0, cw);
      if (grid->relative)
        g_snprintf (buf, sizeof buf, "self ×%.2f", cell->self);
      else
        g_snprintf (buf, sizeof buf, "self %.2f", cell->self);
      _philia_render_text (cr, style, 0.75, FALSE, buf, x + cw - fs * 0.3, y + fs * 0.2, 1.0, 0,
                           cw);

      view.graph = grid->ego;
      view.positions = grid->positions;
      view.color_by = PHILIA_COLOR_BY_LABEL;
      view.edge_style = PHILIA_EDGES_VALUE;
      view.edge_values = cell->edge_values;
      view.edge_vmin = grid->vmin;
      view.edge_vmax = grid->vmax;
      view.edge_log = grid->relative;
      /* Shades of grey: the nodes carry the class colours. */
      view.edge_colormap = PHILIA_EDGE_COLORMAP_GREYS;
      view.edge_width_by_value = TRUE;
      view.selected = grid->selected;
      cairo_save (cr);
      cairo_rectangle (cr, x, y + fs * 1.2, cw, ch - fs * 1.2);
      cairo_clip (cr);
      cairo_translate (cr, x, y + fs * 1.2);
      fit_with_names (cr, grid, &view, cw, ch - fs * 1.2, &small);
      philia_graph_view_draw (cr, cw, ch - fs * 1.2, &view, &small);
      draw_neighbour_names (cr, grid, &view, cw, ch - fs * 1.2, &small, keep);
      cairo_restore (cr);
    }
  cairo_restore (cr);
}
