/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_RENDER_INSIDE) && !defined(PHILIA_RENDER_COMPILATION)
# error "Only <philia-render.h> can be included directly."
#endif

#include "philia-render-types.h"

G_BEGIN_DECLS

typedef enum
{
  PHILIA_FIGURE_PNG,
  PHILIA_FIGURE_SVG,
  PHILIA_FIGURE_PDF,
} PhiliaFigureFormat;

gboolean philia_figure_format_from_path (const char         *path,
                                         PhiliaFigureFormat *format);

/* The pixels of a PNG of @width × @height points at @dpi (exact when the
 * product is a whole number, else rounded up). */
void     philia_figure_get_pixel_size   (double              width,
                                         double              height,
                                         double              dpi,
                                         int                *pixel_width,
                                         int                *pixel_height);

/* Renders @draw at @width × @height points into @path (format from the
 * extension). PNG is rasterised at @dpi (72 = one pixel per point); SVG and PDF
 * stay vector with fonts embedded by Cairo. */
gboolean philia_figure_export (const char     *path,
                               double          width,
                               double          height,
                               double          dpi,
                               PhiliaDrawFunc  draw,
                               gpointer        user_data,
                               GError        **error);

G_END_DECLS
