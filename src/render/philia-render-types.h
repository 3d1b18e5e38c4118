/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_RENDER_INSIDE) && !defined(PHILIA_RENDER_COMPILATION)
# error "Only <philia-render.h> can be included directly."
#endif

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double r, g, b, a;
} PhiliaRgba;

/**
 * PhiliaRenderStyle:
 * @foreground: text, axes and outlines
 * @background: fill behind the figure (alpha 0: transparent, as on screen)
 * @grid: grid lines
 * @accent: single-series marks
 * @font_family: Pango family name
 * @font_size: in points at 72 dpi user units (Cairo's), scaled by the target
 *
 * Everything a render function needs to know about looks. The widget fills it
 * from the GTK theme, the exporter from the same values, so screen and file match.
 */
typedef struct
{
  PhiliaRgba  foreground;
  PhiliaRgba  background;
  PhiliaRgba  grid;
  PhiliaRgba  accent;
  const char *font_family;
  double      font_size;
} PhiliaRenderStyle;

void philia_render_style_init_default (PhiliaRenderStyle *style);
void philia_render_style_init_dark (PhiliaRenderStyle *style);

/* Colour-blind-safe categorical palette (Okabe–Ito, then Paul Tol's muted and
 * light sets): distinct for the first 20 indices, then it repeats. */
guint philia_palette_get_n_distinct (void);
void  philia_palette_get_categorical (guint       index,
                                      PhiliaRgba *color);

typedef void (*PhiliaDrawFunc) (cairo_t *cr,
                                double   width,
                                double   height,
                                gpointer user_data);

G_END_DECLS
