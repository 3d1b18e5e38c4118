/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "philia-core.h"
#include "philia-render.h"

gboolean
philia_figure_format_from_path (const char         *path,
                                PhiliaFigureFormat *format)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".png"))
    *format = PHILIA_FIGURE_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    *format = PHILIA_FIGURE_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    *format = PHILIA_FIGURE_PDF;
  else
    return FALSE;
  return TRUE;
}

static gboolean
check_status (cairo_status_t   status,
              const char      *path,
              GError         **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO,
               _ ("%s: cannot write the figure: %s."), path, cairo_status_to_string (status));
  return FALSE;
}

/*
 * Pixels for @points at @scale pixels per point. Rounded up, since a figure
 * never loses a part of a pixel, but not for the rounding error of the
 * product: 960 pt at 150 dpi is 2000 px, although 960 × 150 / 72 comes out
 * a hair above 2000 in binary floating point.
 */
static int
pixels_for (double points,
            double scale)
{
  double px = points * scale;

  return MAX (1, (int) ceil (px - 1e-6 * MAX (1.0, px)));
}

/**
 * philia_figure_get_pixel_size:
 *
 * The size in pixels of a PNG figure of @width × @height points at @dpi, as
 * philia_figure_export() writes it.
 */
void
philia_figure_get_pixel_size (double  width,
                              double  height,
                              double  dpi,
                              int    *pixel_width,
                              int    *pixel_height)
{
  if (pixel_width != NULL)
    *pixel_width = pixels_for (width, dpi / 72.0);
  if (pixel_height != NULL)
    *pixel_height = pixels_for (height, dpi / 72.0);
}

/**
 * philia_figure_export:
 *
 * One draw function serves screen and file: the widget calls it with its
 * size, this calls it with the figure's size in points, so what is saved is
 * what was seen.
 */
gboolean
philia_figure_export (const char      *path,
                      double           width,
                      double           height,
                      double           dpi,
                      PhiliaDrawFunc   draw,
                      gpointer         user_data,
                      GError         **error)
{
  PhiliaFigureFormat format;
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  cairo_t *cr;
  double scale = 1.0;
  int pixel_width, pixel_height;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (draw != NULL, FALSE);

  if (!philia_figure_format_from_path (path, &format))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("%s: unknown figure format; use .png, .svg or .pdf."), path);
      return FALSE;
    }
  if (!(width >= 1 && height >= 1 && width <= 100000 && height <= 100000))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("%s: the figure size %g × %g is out of range."), path, width, height);
      return FALSE;
    }

  switch (format)
    {
    case PHILIA_FIGURE_PNG:
      if (!(dpi >= 10 && dpi <= 2400))
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                       _ ("%s: the resolution %g dpi is out of range (10 to 2400)."), path, dpi);
          return FALSE;
        }
      scale = dpi / 72.0;
      philia_figure_get_pixel_size (width, height, dpi, &pixel_width, &pixel_height);
      if ((double) pixel_width * pixel_height > 400e6)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                       _ ("%s: %g × %g points at %g dpi is too many pixels."),
                       path, width, height, dpi);
          return FALSE;
        }
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pixel_width, pixel_height);
      break;

    case PHILIA_FIGURE_SVG:
      surface = cairo_svg_surface_create (path, width, height);
      break;

    case PHILIA_FIGURE_PDF:
      surface = cairo_pdf_surface_create (path, width, height);
      break;

    default:
      g_assert_not_reached ();
    }

  if (!check_status (cairo_surface_status (surface), path, error))
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }

  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  draw (cr, width, height, user_data);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && format == PHILIA_FIGURE_PNG)
    status = cairo_surface_write_to_png (surface, path);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  return check_status (status, path, error);
}
