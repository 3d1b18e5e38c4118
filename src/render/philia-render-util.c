/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <math.h>

#include <pango/pangocairo.h>

#include "philia-render-private.h"

void
_philia_render_set_color (cairo_t          *cr,
           const PhiliaRgba *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

/**
 * _philia_render_paper_color:
 *
 * What boxes and halos under text are filled with: the style's background
 * when it has one, else (a widget's own background shows through) a surface
 * the foreground reads on: white under dark text, near-black under light text
 * (a dark theme).
 */
PhiliaRgba
_philia_render_paper_color (const PhiliaRenderStyle *style)
{
  const PhiliaRgba *fg = &style->foreground;

  if (style->background.a > 0)
    return style->background;
  if (0.2126 * fg->r + 0.7152 * fg->g + 0.0722 * fg->b > 0.5)
    return (PhiliaRgba) { 0.12, 0.12, 0.12, 1 };
  return (PhiliaRgba) { 1, 1, 1, 1 };
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

static PhiliaTextTraceFunc text_trace;
static gpointer text_trace_data;

/**
 * philia_render_set_text_trace:
 *
 * Calls @func for every piece of text a render function draws, with its
 * extent in device units, so that a test can check that no label is cut,
 * shortened or printed over another. %NULL stops. Not thread-safe: for tests.
 */
void
philia_render_set_text_trace (PhiliaTextTraceFunc func,
                              gpointer            user_data)
{
  text_trace = func;
  text_trace_data = user_data;
}

static void
trace_text (cairo_t     *cr,
            PangoLayout *layout,
            const char  *text)
{
  PangoRectangle logical;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  double cx, cy;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  cairo_get_current_point (cr, &cx, &cy);
  for (int corner = 0; corner < 4; corner++)
    {
      double x = cx + logical.x + (corner & 1 ? logical.width : 0);
      double y = cy + logical.y + (corner & 2 ? logical.height : 0);

      cairo_user_to_device (cr, &x, &y);
      x0 = MIN (x0, x), x1 = MAX (x1, x), y0 = MIN (y0, y), y1 = MAX (y1, y);
    }
  text_trace (text, x0, y0, x1, y1, pango_layout_is_ellipsized (layout), text_trace_data);
}

/* Draws @text with its anchor at (x, y): ax/ay are 0 (left/top) to 1 (right/bottom). */
void
_philia_render_text (cairo_t                 *cr,
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

  pango_layout_get_pixel_extents (layout, &ink, &logical);
  if (max_width > 0 && logical.width > max_width)
    {
      /* Too long: a smaller font first, down to 70 %, so that the text is
       * read whole; only beyond that is it shortened with an ellipsis. */
      double fit = MAX (0.7, max_width / logical.width * 0.98);

      g_object_unref (layout);
      layout = make_layout (cr, style, scale * fit, bold, text);
      pango_layout_set_width (layout, (int)(max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_extents (layout, &ink, &logical);
    }
  cairo_move_to (cr, x - ax * logical.width, y - ay * logical.height);
  if (text_trace != NULL)
    trace_text (cr, layout, text);
  pango_cairo_show_layout (cr, layout);
}

/*
 * A figure that has nothing to plot says why instead of drawing empty axes:
 * the background, @title at the top left as charts put it, and @message
 * wrapped and centred in what is left.
 */
void
_philia_render_message (cairo_t                 *cr,
                        const PhiliaRenderStyle *style,
                        const char              *title,
                        const char              *message,
                        double                   width,
                        double                   height)
{
  PhiliaRenderStyle fallback;
  g_autoptr(PangoLayout) layout = NULL;
  double fs, top;
  PangoRectangle logical;

  style = _philia_render_style_or_default (style, &fallback);
  fs = style->font_size;
  cairo_save (cr);
  if (style->background.a > 0)
    {
      _philia_render_set_color (cr, &style->background);
      cairo_paint (cr);
    }
  _philia_render_set_color (cr, &style->foreground);
  top = 0;
  if (title != NULL)
    {
      _philia_render_text (cr, style, 1.0, TRUE, title, fs * 0.4, fs * 0.3, 0, 0,
                           width - fs * 0.8);
      top = fs * 1.8;
    }
  layout = make_layout (cr, style, 1.0, FALSE, message);
  pango_layout_set_width (layout, (int) (MAX (width - 4 * fs, fs) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  cairo_move_to (cr, 2 * fs, top + MAX (0, (height - top - logical.height) / 2));
  if (text_trace != NULL)
    trace_text (cr, layout, message);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

double
_philia_render_text_width (cairo_t                 *cr,
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
double
_philia_render_nice_step (double max,
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

void
_philia_render_format (char   *buf,
              gsize   len,
              double  value)
{
  if (fabs (value - round (value)) < 1e-9 && fabs (value) < 1e15)
    g_snprintf (buf, len, "%.0f", value);
  else
    g_snprintf (buf, len, "%.3g", value);
}

/* Every chart's grid: a line across the plot (left, top, width × height) at
 * @pos, snapped to the middle of a pixel so that it stays one pixel wide, and
 * @label beside it: under the plot for a vertical line (@x_axis), left of it
 * for a horizontal one. */
void
_philia_render_tick (cairo_t                 *cr,
                     const PhiliaRenderStyle *style,
                     double                   left,
                     double                   top,
                     double                   width,
                     double                   height,
                     gboolean                 x_axis,
                     double                   pos,
                     const char              *label)
{
  double fs = style->font_size, at = round (pos) + 0.5;

  _philia_render_set_color (cr, &style->grid);
  cairo_move_to (cr, x_axis ? at : left, x_axis ? top : at);
  cairo_line_to (cr, x_axis ? at : left + width, x_axis ? top + height : at);
  cairo_stroke (cr);
  _philia_render_set_color (cr, &style->foreground);
  if (x_axis)
    _philia_render_text (cr, style, 1.0, FALSE, label, at, top + height + fs * 0.3, 0.5, 0, 0);
  else
    _philia_render_text (cr, style, 1.0, FALSE, label, left - fs * 0.4, at, 1.0, 0.5, 0);
}

const PhiliaRenderStyle *
_philia_render_style_or_default (const PhiliaRenderStyle *style,
                                 PhiliaRenderStyle       *fallback)
{
  if (style != NULL)
    return style;
  philia_render_style_init_default (fallback);
  return fallback;
}
