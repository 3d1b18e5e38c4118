/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include "philia-render.h"

/* Okabe & Ito (2008), "Color Universal Design", without black; then Paul Tol's
 * muted and light schemes (Tol 2021, "Colour schemes", SRON/EPS/TN/09-002):
 * all chosen to stay apart under the common colour-vision deficiencies. */
static const guint32 palette[] = {
  0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7,
  0x332288, 0x88CCEE, 0x44AA99, 0x117733, 0x999933, 0xDDCC77, 0xCC6677,
  0x882255, 0xAA4499, 0x77AADD, 0xEE8866, 0xBBCC33, 0xFFAABB,
};

guint
philia_palette_get_n_distinct (void)
{
  return G_N_ELEMENTS (palette);
}

void
philia_palette_get_categorical (guint       index,
                                PhiliaRgba *color)
{
  guint32 rgb;

  g_return_if_fail (color != NULL);

  rgb = palette[index % G_N_ELEMENTS (palette)];
  color->r = ((rgb >> 16) & 0xff) / 255.0;
  color->g = ((rgb >> 8) & 0xff) / 255.0;
  color->b = (rgb & 0xff) / 255.0;
  color->a = 1.0;
}

/**
 * philia_render_style_init_default:
 *
 * Dark text on white: what an exported figure looks like when nothing from
 * the theme is passed in.
 */
void
philia_render_style_init_default (PhiliaRenderStyle *style)
{
  g_return_if_fail (style != NULL);

  *style = (PhiliaRenderStyle) {
    .foreground = { 0.15, 0.15, 0.17, 1.0 },
    .background = { 1.0, 1.0, 1.0, 1.0 },
    .grid = { 0.15, 0.15, 0.17, 0.12 },
    .accent = { 0.0, 0.447, 0.698, 1.0 },
    .font_family = "Sans",
    .font_size = 9.0,
  };
}

/**
 * philia_render_style_init_dark:
 *
 * Light text on a near-black page: a figure for dark slides, asked for
 * explicitly (exports are light by default).
 */
void
philia_render_style_init_dark (PhiliaRenderStyle *style)
{
  g_return_if_fail (style != NULL);

  philia_render_style_init_default (style);
  style->foreground = (PhiliaRgba) { 0.93, 0.93, 0.94, 1.0 };
  style->background = (PhiliaRgba) { 0.12, 0.12, 0.12, 1.0 };
  style->grid = (PhiliaRgba) { 0.93, 0.93, 0.94, 0.15 };
  style->accent = (PhiliaRgba) { 0.34, 0.71, 0.91, 1.0 };
}
