/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include <glib/gstdio.h>

#include "philia-core.h"
#include "philia-render.h"

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  unsigned char *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(guint32 *)(data + y * stride + x * 4) & 0xffffff;
}

static guint32
palette_rgb (guint index)
{
  PhiliaRgba c;

  philia_palette_get_categorical (index, &c);
  return ((guint32)lround (c.r * 255) << 16) | ((guint32)lround (c.g * 255) << 8)
         | (guint32)lround (c.b * 255);
}

/* The tallest bar reaches near the top of the plot and carries its class colour;
 * a zero bar paints nothing above the baseline. */
static void
test_bar_chart_pixels (void)
{
  const double values[] = { 10, 0, 40, NAN };
  const char *labels[] = { "a", "b", "c", "d" };
  PhiliaBarChart chart = {
    .n_bars = 4, .values = values, .labels = labels, .color_by_category = TRUE,
  };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 300);
  cairo_t *cr = cairo_create (surface);
  int found_tall = 0, found_zero = 0;

  philia_bar_chart_draw (cr, 400, 300, &chart, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  for (int y = 0; y < 300; y++)
    for (int x = 0; x < 400; x++)
      {
        guint32 p = pixel_at (surface, x, y);

        if (p == palette_rgb (2) && y < 60)
          found_tall++;
        if (p == palette_rgb (1))
          found_zero++;
      }
  g_assert_cmpint (found_tall, >, 0);
  g_assert_cmpint (found_zero, ==, 0);
  cairo_surface_destroy (surface);
}

static void
test_palette (void)
{
  g_assert_cmpuint (philia_palette_get_n_distinct (), >=, 20);
  for (guint i = 0; i < philia_palette_get_n_distinct (); i++)
    for (guint j = 0; j < i; j++)
      g_assert_cmpuint (palette_rgb (i), !=, palette_rgb (j));
  g_assert_cmpuint (palette_rgb (0), ==, palette_rgb (philia_palette_get_n_distinct ()));
}

static void
draw_chart (cairo_t  *cr,
            double    width,
            double    height,
            gpointer  data)
{
  philia_bar_chart_draw (cr, width, height, data, NULL);
}

static void
test_export_formats (void)
{
  const double values[] = { 3, 1, 2 };
  const char *labels[] = { "Theory", "Neural_Networks", "Rule_Learning" };
  PhiliaBarChart chart = {
    .title = "Class sizes", .n_bars = 3, .values = values, .labels = labels,
    .show_values = TRUE,
  };
  g_autofree char *dir = g_dir_make_tmp ("philia-render-XXXXXX", NULL);
  const struct { const char *name; const char *magic; } cases[] = {
    { "f.png", "\x89PNG" }, { "f.svg", "<?xml" }, { "f.pdf", "%PDF" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, cases[i].name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize len;

      g_assert_true (philia_figure_export (path, 360, 240, 144, draw_chart, &chart, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_true (g_str_has_prefix (contents, cases[i].magic));
      if (i == 1)   /* vector output keeps the text */
        g_assert_nonnull (strstr (contents, "<svg"));
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_export_png_size (void)
{
  const double values[] = { 1 };
  PhiliaBarChart chart = { .n_bars = 1, .values = values };
  g_autofree char *dir = g_dir_make_tmp ("philia-render-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "f.png", NULL);
  cairo_surface_t *png;

  g_assert_true (philia_figure_export (path, 100, 50, 144, draw_chart, &chart, NULL));
  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 200);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, 100);
  cairo_surface_destroy (png);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_export_errors (void)
{
  PhiliaBarChart chart = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_false (philia_figure_export ("figure.bmp", 100, 100, 72, draw_chart, &chart, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
  g_assert_nonnull (strstr (error->message, "figure.bmp"));
  g_clear_error (&error);

  g_assert_false (philia_figure_export ("f.png", 0, 100, 72, draw_chart, &chart, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
  g_clear_error (&error);

  g_assert_false (philia_figure_export ("f.png", 100, 100, 5, draw_chart, &chart, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
  g_clear_error (&error);

  g_assert_false (philia_figure_export ("/nonexistent-dir/f.png", 10, 10, 72, draw_chart,
                                        &chart, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_IO);
}

static void
test_empty_chart (void)
{
  PhiliaBarChart chart = { .title = "Nothing", .n_bars = 0 };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 50, 50);
  cairo_t *cr = cairo_create (surface);

  philia_bar_chart_draw (cr, 200, 100, &chart, NULL);   /* no crash, no division by zero */
  philia_bar_chart_draw (cr, 3, 3, &chart, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Philia/Render/bar-chart-pixels", test_bar_chart_pixels);
  g_test_add_func ("/Philia/Render/palette", test_palette);
  g_test_add_func ("/Philia/Render/export-formats", test_export_formats);
  g_test_add_func ("/Philia/Render/export-png-size", test_export_png_size);
  g_test_add_func ("/Philia/Render/export-errors", test_export_errors);
  g_test_add_func ("/Philia/Render/empty-chart", test_empty_chart);
  return g_test_run ();
}
