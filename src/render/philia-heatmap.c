/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include "philia-render-private.h"

/* Viridis at eleven even stops (van der Walt & Smith, matplotlib's default
 * colour map, CC0): perceptually uniform and safe for colour-blind readers. */
static const guint32 viridis[] = {
  0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C,
  0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725,
};

void
philia_colormap_viridis (double      t,
                         PhiliaRgba *color)
{
  double pos;
  guint i;
  double f;
  guint32 a, b;

  g_return_if_fail (color != NULL);

  if (!isfinite (t))
    t = 0;
  pos = CLAMP (t, 0.0, 1.0) * (G_N_ELEMENTS (viridis) - 1);
  i = MIN ((guint)pos, G_N_ELEMENTS (viridis) - 2);
  f = pos - i;
  a = viridis[i];
  b = viridis[i + 1];
  color->r = ((1 - f) * ((a >> 16) & 0xff) + f * ((b >> 16) & 0xff)) / 255.0;
  color->g = ((1 - f) * ((a >> 8) & 0xff) + f * ((b >> 8) & 0xff)) / 255.0;
  color->b = ((1 - f) * (a & 0xff) + f * (b & 0xff)) / 255.0;
  color->a = 1.0;
}

typedef struct
{
  double left, top, cell_w, cell_h, bar_x;
  double row_label_w;   /* the room row labels get */
  double row_scale;     /* their font, smaller when rows are short */
  gboolean slanted;     /* column labels at 45° */
} Layout;

/* Tick t of 0..2 on the colour bar: bottom, middle, top. */
static void
colorbar_label (char                *buf,
                gsize                len,
                const PhiliaHeatmap *map,
                int                  t)
{
  double span = map->vmax > map->vmin ? map->vmax - map->vmin : 1.0;
  double v = map->vmin + span * t / 2.0;

  if (span < 10)
    g_snprintf (buf, len, "%.2g", v);
  else
    _philia_render_format (buf, len, v);
}

static void
compute_layout (cairo_t                 *cr,
                const PhiliaHeatmap     *map,
                const PhiliaRenderStyle *style,
                double                   width,
                double                   height,
                Layout                  *l)
{
  double fs = style->font_size;
  double label_w = 0, bottom, right;
  char buf[64];

  for (guint i = 0; map->row_labels && i < map->n_rows; i++)
    if (map->row_labels[i])
      label_w = MAX (label_w, _philia_render_text_width (cr, style, 1.0, map->row_labels[i]));
  /* Whole names, up to 45 % of the width (beyond, a smaller font). */
  label_w = MIN (label_w, width * 0.45);
  l->row_label_w = label_w;

  double widest_tick = 0;

  for (int t = 0; t <= 2; t++)
    {
      colorbar_label (buf, sizeof buf, map, t);
      widest_tick = MAX (widest_tick, _philia_render_text_width (cr, style, 0.9, buf));
    }
  right = fs * 1.2 + fs * 0.6 + widest_tick + fs;
  l->left = label_w + fs * 0.6 + (map->row_title ? fs * 1.6 : 0);
  l->top = map->title ? fs * 2.2 : fs * 0.6;
  l->cell_w = MAX (0.0, (width - l->left - right) / MAX (map->n_columns, 1));
  /* Column labels level when each fits its column, else slanted, whole. */
  {
    double widest = 0, line = fs * 1.25;

    for (guint j = 0; map->column_labels && j < map->n_columns; j++)
      if (map->column_labels[j])
        widest = MAX (widest, _philia_render_text_width (cr, style, 1.0, map->column_labels[j]));
    l->slanted = widest + fs * 0.4 > l->cell_w;
    bottom = (l->slanted ? (widest + line) * G_SQRT2 / 2 + fs * 0.6 : fs * 1.8)
             + (map->column_title ? fs * 1.6 : 0);
  }
  l->cell_h = MAX (0.0, (height - l->top - bottom) / MAX (map->n_rows, 1));
  l->bar_x = l->left + l->cell_w * map->n_columns + fs;
  /* Rows shorter than a line of text get smaller text, so that names never
   * print over their neighbours'. */
  l->row_scale = CLAMP (l->cell_h / (fs * 1.3), 0.6, 1.0);
}

void
philia_heatmap_draw (cairo_t                 *cr,
                     double                   width,
                     double                   height,
                     const PhiliaHeatmap     *map,
                     const PhiliaRenderStyle *style)
{
  PhiliaRenderStyle fallback;
  Layout l;
  double fs, span, plot_h;
  char buf[64];

  g_return_if_fail (cr != NULL);
  g_return_if_fail (map != NULL);

  style = _philia_render_style_or_default (style, &fallback);
  fs = style->font_size;
  span = map->vmax > map->vmin ? map->vmax - map->vmin : 1.0;

  cairo_save (cr);
  if (style->background.a > 0)
    {
      _philia_render_set_color (cr, &style->background);
      cairo_paint (cr);
    }

  compute_layout (cr, map, style, width, height, &l);
  plot_h = l.cell_h * map->n_rows;

  _philia_render_set_color (cr, &style->foreground);
  if (map->title)
    _philia_render_text (cr, style, 1.1, TRUE, map->title, l.left, fs * 0.4, 0, 0, width);

  if (map->n_rows == 0 || map->n_columns == 0 || l.cell_w < 1 || l.cell_h < 1)
    {
      _philia_render_text (cr, style, 1.0, FALSE, _ ("No data"), width / 2, height / 2, 0.5, 0.5,
                           width);
      cairo_restore (cr);
      return;
    }

  for (guint i = 0; i < map->n_rows; i++)
    for (guint j = 0; j < map->n_columns; j++)
      {
        double v = map->values[(gsize)i * map->n_columns + j];
        double x = l.left + j * l.cell_w, y = l.top + i * l.cell_h;
        PhiliaRgba c;

        if (isnan (v))
          {
            /* Undefined (an empty class): hatched, so it never reads as zero. */
            cairo_save (cr);
            cairo_rectangle (cr, x, y, l.cell_w, l.cell_h);
            cairo_clip (cr);
            _philia_render_set_color (cr, &style->grid);
            cairo_set_line_width (cr, 1.0);
            for (double d = -l.cell_h; d < l.cell_w; d += fs * 0.6)
              {
                cairo_move_to (cr, x + d, y + l.cell_h);
                cairo_line_to (cr, x + d + l.cell_h, y);
              }
            cairo_stroke (cr);
            cairo_restore (cr);
            continue;
          }

        philia_colormap_viridis ((v - map->vmin) / span, &c);
        _philia_render_set_color (cr, &c);
        cairo_rectangle (cr, x, y, l.cell_w + 0.5, l.cell_h + 0.5);
        cairo_fill (cr);

        if (map->show_values && l.cell_w > fs * 2.6 && l.cell_h > fs * 1.4)
          {
            /* Dark text on the light end of the scale, light text on the dark end. */
            double luma = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
            PhiliaRgba ink = luma > 0.45 ? (PhiliaRgba) { 0, 0, 0, 0.87 }
                                         : (PhiliaRgba) { 1, 1, 1, 0.95 };

            g_snprintf (buf, sizeof buf, "%.2f", v);
            _philia_render_set_color (cr, &ink);
            _philia_render_text (cr, style, 0.9, FALSE, buf, x + l.cell_w / 2, y + l.cell_h / 2,
                                 0.5, 0.5, l.cell_w);
          }
      }

  _philia_render_set_color (cr, &style->foreground);
  for (guint i = 0; map->row_labels && i < map->n_rows; i++)
    if (map->row_labels[i])
      _philia_render_text (cr, style, l.row_scale, FALSE, map->row_labels[i], l.left - fs * 0.4,
                           l.top + (i + 0.5) * l.cell_h, 1.0, 0.5, l.row_label_w);
  for (guint j = 0; map->column_labels && j < map->n_columns; j++)
    if (map->column_labels[j] && l.slanted)
      {
        cairo_save (cr);
        cairo_translate (cr, l.left + (j + 0.5) * l.cell_w, l.top + plot_h + fs * 0.3);
        cairo_rotate (cr, -G_PI / 4);
        _philia_render_text (cr, style, 1.0, FALSE, map->column_labels[j], 0, 0, 1.0, 0.5, 0);
        cairo_restore (cr);
      }
    else if (map->column_labels[j])
      _philia_render_text (cr, style, 1.0, FALSE, map->column_labels[j],
                           l.left + (j + 0.5) * l.cell_w, l.top + plot_h + fs * 0.3, 0.5, 0.0, 0);
  if (map->column_title)
    _philia_render_text (cr, style, 1.0, FALSE, map->column_title,
                         l.left + l.cell_w * map->n_columns / 2, height - fs * 0.2, 0.5, 1.0,
                         width);
  if (map->row_title)
    {
      cairo_save (cr);
      cairo_translate (cr, fs * 0.2, l.top + plot_h / 2);
      cairo_rotate (cr, -G_PI / 2);
      _philia_render_text (cr, style, 1.0, FALSE, map->row_title, 0, 0, 0.5, 0.0, plot_h);
      cairo_restore (cr);
    }

  /* Colour bar with its end values and the midpoint. */
  for (int s = 0; s < 64; s++)
    {
      PhiliaRgba c;

      philia_colormap_viridis (s / 63.0, &c);
      _philia_render_set_color (cr, &c);
      cairo_rectangle (cr, l.bar_x, l.top + plot_h * (1 - (s + 1) / 64.0), fs * 1.2,
                       plot_h / 64.0 + 0.5);
      cairo_fill (cr);
    }
  _philia_render_set_color (cr, &style->foreground);
  for (int t = 0; t <= 2; t++)
    {
      colorbar_label (buf, sizeof buf, map, t);
      _philia_render_text (cr, style, 0.9, FALSE, buf, l.bar_x + fs * 1.8,
                           l.top + plot_h * (1 - t / 2.0), 0.0, 0.5, 0);
    }

  cairo_restore (cr);
}

gboolean
philia_heatmap_hit (const PhiliaHeatmap     *map,
                    const PhiliaRenderStyle *style,
                    double                   width,
                    double                   height,
                    double                   x,
                    double                   y,
                    guint                   *row,
                    guint                   *column)
{
  PhiliaRenderStyle fallback;
  cairo_surface_t *surface;
  cairo_t *cr;
  Layout l;
  double i, j;

  g_return_val_if_fail (map != NULL, FALSE);

  /* Text extents need a context; a 1×1 image gives the same metrics. */
  style = _philia_render_style_or_default (style, &fallback);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (surface);
  compute_layout (cr, map, style, width, height, &l);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  if (l.cell_w <= 0 || l.cell_h <= 0)
    return FALSE;
  j = floor ((x - l.left) / l.cell_w);
  i = floor ((y - l.top) / l.cell_h);
  if (i < 0 || j < 0 || i >= map->n_rows || j >= map->n_columns)
    return FALSE;
  if (row)
    *row = (guint)i;
  if (column)
    *column = (guint)j;
  return TRUE;
}
