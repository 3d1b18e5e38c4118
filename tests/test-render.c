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

/* Two grouped bar charts stacked with the same minimum margins put their
 * groups at the same x, whatever their legends; a negative value draws no
 * bar. */
static void
test_grouped_bars_aligned (void)
{
  const double a[] = { 0.5, 0.7 }, b[] = { 0.6, -0.2 };
  const char *groups[] = { "x", "y" };
  const char *short_names[] = { "A" };
  const char *long_names[] = { "a much longer legend entry" };
  const guint blue[] = { 4 }, red[] = { 5 };
  PhiliaGroupedBarChart top = { .n_groups = 2, .n_series = 1, .values = a,
                                .group_labels = groups, .series_labels = short_names,
                                .series_colors = blue, .y_max = 1 };
  PhiliaGroupedBarChart bottom = { .n_groups = 2, .n_series = 1, .values = b,
                                   .group_labels = groups, .series_labels = long_names,
                                   .series_colors = red, .y_max = 1 };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 500, 400);
  cairo_t *cr = cairo_create (surface);
  double l1, r1, l2, r2;
  int first[2] = { -1, -1 }, red_right = 0;

  philia_grouped_bar_chart_get_margins (cr, 500, &top, NULL, &l1, &r1);
  philia_grouped_bar_chart_get_margins (cr, 500, &bottom, NULL, &l2, &r2);
  g_assert_cmpfloat (r2, >, r1);   /* the longer legend needs more room */
  top.min_left = bottom.min_left = MAX (l1, l2);
  top.min_right = bottom.min_right = MAX (r1, r2);
  philia_grouped_bar_chart_draw (cr, 500, 200, &top, NULL);
  cairo_save (cr);
  cairo_translate (cr, 0, 200);
  cairo_rectangle (cr, 0, 0, 500, 200);
  cairo_clip (cr);
  philia_grouped_bar_chart_draw (cr, 500, 200, &bottom, NULL);
  cairo_restore (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  /* The first bar's left edge, on a row inside each bar (legend swatches
   * sit right of the plot, past the bars). */
  for (int x = 0; x < 500; x++)
    {
      if (first[0] < 0 && pixel_at (surface, x, 180) == palette_rgb (4))
        first[0] = x;
      if (first[1] < 0 && pixel_at (surface, x, 380) == palette_rgb (5))
        first[1] = x;
      if (pixel_at (surface, x, 380) == palette_rgb (5) && x < 500 - r2)
        red_right = x;
    }
  g_assert_cmpint (first[0], >, 0);
  g_assert_cmpint (first[0], ==, first[1]);
  /* Group y's value is negative: no red there, only group x's bar. */
  g_assert_cmpint (red_right, <, first[1] + (500 - top.min_left - top.min_right) / 2);
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

static void
test_heatmap_and_hit (void)
{
  const double cells[] = { 1.0, 0.0, NAN, 0.5 };
  const char *names[] = { "a", "b" };
  PhiliaHeatmap map = {
    .n_rows = 2, .n_columns = 2, .values = cells, .row_labels = names, .column_labels = names,
    .vmin = 0, .vmax = 1, .show_values = TRUE,
  };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 300, 200);
  cairo_t *cr = cairo_create (surface);
  guint row = 99, col = 99;
  gboolean top_yellow = FALSE;
  PhiliaRgba hi;

  philia_heatmap_draw (cr, 300, 200, &map, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  philia_colormap_viridis (1.0, &hi);
  g_assert_cmpfloat_with_epsilon (hi.r, 0xFD / 255.0, 1e-9);
  /* The top colour of the scale appears in the 1.0 cell (top-left) and the
   * colour bar, nowhere else. */
  for (int y = 0; y < 200; y++)
    for (int x = 0; x < 300; x++)
      if (pixel_at (surface, x, y) == 0xFDE725
          && philia_heatmap_hit (&map, NULL, 300, 200, x, y, &row, &col))
        {
          g_assert_cmpuint (row, ==, 0);
          g_assert_cmpuint (col, ==, 0);
          top_yellow = TRUE;
        }
  g_assert_true (top_yellow);
  g_assert_false (philia_heatmap_hit (&map, NULL, 300, 200, 1, 1, &row, &col));
  cairo_surface_destroy (surface);
}

static void
test_stacked_bars_hit (void)
{
  const double values[] = { 1, 2, 3,   4, 0, 1 };    /* 2 series × 3 bars */
  const char *series[] = { "x", "y" };
  PhiliaBarChart chart = { .n_bars = 3, .values = values, .n_series = 2, .series_labels = series };
  int hits[3] = { 0, 0, 0 };

  for (int x = 0; x < 300; x++)
    {
      int bar = philia_bar_chart_hit (&chart, NULL, 300, 200, x, 150);

      g_assert_cmpint (bar, <, 3);
      if (bar >= 0)
        hits[bar]++;
    }
  g_assert_cmpint (hits[0], >, 50);
  g_assert_cmpint (hits[1], >, 50);
  g_assert_cmpint (hits[2], >, 50);
  g_assert_cmpint (philia_bar_chart_hit (&chart, NULL, 300, 200, 150, 1), ==, -1);
}

static void
test_xy_log_skips_nonpositive (void)
{
  const double x[] = { 0, 1, 10, 100 };
  const double y[] = { 5, 100, 10, 0 };
  PhiliaXyChart chart = { .n_points = 4, .x = x, .y = y, .log_x = TRUE, .log_y = TRUE };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 150);
  cairo_t *cr = cairo_create (surface);

  philia_xy_chart_draw (cr, 200, 150, &chart, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* Rasterises with an external program and compares with Cairo's own PNG:
 * the vector files must show what the PNG shows. */
static cairo_surface_t *
rasterise (const char * const *argv,
           const char         *png)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error))
    return NULL;
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return cairo_image_surface_create_from_png (png);
}

static void
compare_images (cairo_surface_t *a,
                cairo_surface_t *b,
                const char      *what)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  int sa = cairo_image_surface_get_stride (a), sb = cairo_image_surface_get_stride (b);
  const guint8 *pa = cairo_image_surface_get_data (a), *pb = cairo_image_surface_get_data (b);
  double total = 0;
  int far = 0;

  g_assert_cmpint (cairo_image_surface_get_width (b), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (b), ==, h);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        int worst = 0;

        for (int c = 0; c < 3; c++)
          {
            int d = abs ((int)pa[y * sa + 4 * x + c] - (int)pb[y * sb + 4 * x + c]);

            worst = MAX (worst, d);
            total += d;
          }
        far += worst > 64;
      }
  g_test_message ("%s: mean |Δ| %.2f, %.2f%% of pixels differ by more than 64", what,
                  total / (3.0 * w * h), 100.0 * far / (w * h));
  /* Anti-aliasing and hinting differ between rasterisers; shapes must not. */
  g_assert_cmpfloat (total / (3.0 * w * h), <, 4.0);
  g_assert_cmpfloat (100.0 * far / (w * h), <, 2.0);
}

/* Exports @draw as PNG, SVG and PDF at 400 × 260 pt and checks that the two
 * vector files, rasterised by rsvg-convert and pdftoppm, show the PNG. */
static void
assert_vector_matches_png (PhiliaDrawFunc draw,
                           gpointer       data)
{
  g_autofree char *dir = g_dir_make_tmp ("philia-render-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "f.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "f.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "f.pdf", NULL);
  g_autofree char *svg_png = g_build_filename (dir, "svg.png", NULL);
  g_autofree char *pdf_base = g_build_filename (dir, "pdf", NULL);
  g_autofree char *pdf_png = g_build_filename (dir, "pdf.png", NULL);
  const char *rsvg[] = { "rsvg-convert", "-w", "400", "-h", "260", "-b", "white", svg, "-o",
                         svg_png, NULL };
  const char *ppm[] = { "pdftoppm", "-png", "-r", "72", "-singlefile", pdf, pdf_base, NULL };
  cairo_surface_t *ref, *from_svg, *from_pdf;

  for (const char **p = (const char *[]) { png, svg, pdf, NULL }; *p; p++)
    g_assert_true (philia_figure_export (*p, 400, 260, 72, draw, data, NULL));

  ref = cairo_image_surface_create_from_png (png);
  from_svg = rasterise (rsvg, svg_png);
  from_pdf = rasterise (ppm, pdf_png);
  g_assert_nonnull (from_svg);
  g_assert_nonnull (from_pdf);
  compare_images (ref, from_svg, "SVG");
  compare_images (ref, from_pdf, "PDF");

  cairo_surface_destroy (ref);
  cairo_surface_destroy (from_svg);
  cairo_surface_destroy (from_pdf);
  for (const char **p = (const char *[]) { png, svg, pdf, svg_png, pdf_png, NULL }; *p; p++)
    g_unlink (*p);
  g_rmdir (dir);
}

static gboolean
have_rasterisers (void)
{
  g_autofree char *rsvg = g_find_program_in_path ("rsvg-convert");
  g_autofree char *ppm = g_find_program_in_path ("pdftoppm");

  if (rsvg == NULL || ppm == NULL)
    g_test_skip ("rsvg-convert or pdftoppm is not installed");
  return rsvg != NULL && ppm != NULL;
}

static void
test_vector_matches_png (void)
{
  const double values[] = { 351, 217, 418, 818, 426, 298, 180 };
  const char *labels[] = { "0", "1", "2", "3", "4", "5", "6" };
  PhiliaBarChart chart = {
    .title = "Class sizes", .x_label = "class", .y_label = "nodes", .n_bars = 7,
    .values = values, .labels = labels, .color_by_category = TRUE, .show_values = TRUE,
  };

  if (have_rasterisers ())
    assert_vector_matches_png (draw_chart, &chart);
}

typedef struct
{
  PhiliaGraphView   view;
  PhiliaRenderStyle style;
} GraphFigure;

static void
draw_graph (cairo_t  *cr,
            double    width,
            double    height,
            gpointer  data)
{
  GraphFigure *figure = data;

  philia_graph_view_fit (&figure->view, width, height, 12);
  philia_graph_view_draw (cr, width, height, &figure->view, &figure->style);
}

/* The graph figure too: nodes, edges, legend and names survive as vectors. */
static void
test_graph_vector_matches_png (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "import", "karate.graphml",
                                                 NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, NULL, NULL, NULL);
  g_autofree double *xy = NULL;
  GraphFigure figure = { 0 };

  if (!have_rasterisers ())
    return;
  g_assert_nonnull (graph);
  xy = philia_layout_compute (graph, "kk", 1, NULL, NULL, NULL);
  philia_render_style_init_default (&figure.style);
  figure.view = (PhiliaGraphView) {
    .graph = graph, .positions = xy, .color_by = PHILIA_COLOR_BY_LABEL,
    .edge_style = PHILIA_EDGES_HOMOPHILY, .show_labels = TRUE, .show_legend = TRUE,
  };
  assert_vector_matches_png (draw_graph, &figure);
}

/* Three nodes at known places: fitting maps them into the frame, hits find
 * them, and each is painted in its class colour where it should be. */
static void
test_graph_view (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (3);
  g_autoptr(PhiliaGraph) graph = NULL;
  const double xy[] = { 0, 0,   10, 0,   10, 10 };
  PhiliaGraphView view = { 0 };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 200);
  cairo_t *cr = cairo_create (surface);
  PhiliaRenderStyle style;

  philia_graph_builder_add_edge (builder, 0, 1);
  philia_graph_builder_add_edge (builder, 1, 2);
  philia_graph_builder_take_labels (builder, g_memdup2 ((gint64[]) { 0, 1, 2 }, 3 * 8));
  graph = philia_graph_builder_build (builder, NULL);
  view.graph = graph;
  view.positions = xy;
  view.color_by = PHILIA_COLOR_BY_LABEL;
  view.edge_style = PHILIA_EDGES_HOMOPHILY;

  philia_graph_view_fit (&view, 200, 200, 20);
  g_assert_cmpfloat_with_epsilon (view.scale, 16.0, 1e-9);   /* 160 px over 10 units */
  g_assert_cmpint (philia_graph_view_hit (&view, 20, 20, 5), ==, 0);
  g_assert_cmpint (philia_graph_view_hit (&view, 181, 179, 5), ==, 2);
  g_assert_cmpint (philia_graph_view_hit (&view, 100, 100, 5), ==, -1);

  philia_render_style_init_default (&style);
  philia_graph_view_draw (cr, 200, 200, &view, &style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_cmphex (pixel_at (surface, 20, 20), ==, palette_rgb (0));
  g_assert_cmphex (pixel_at (surface, 180, 20), ==, palette_rgb (1));
  g_assert_cmphex (pixel_at (surface, 180, 180), ==, palette_rgb (2));
  g_assert_cmphex (pixel_at (surface, 20, 180), ==, 0xffffff);   /* nothing there */
  cairo_surface_destroy (surface);
}

static cairo_surface_t *
draw_path_graph (const PhiliaGraphView *proto)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 200);
  cairo_t *cr = cairo_create (surface);
  PhiliaGraphView view = *proto;
  PhiliaRenderStyle style;

  philia_graph_view_fit (&view, 200, 200, 20);
  philia_render_style_init_default (&style);
  philia_graph_view_draw (cr, 200, 200, &view, &style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static gboolean
is_dark (guint32 pixel)
{
  return ((pixel >> 16) & 0xff) < 70 && ((pixel >> 8) & 0xff) < 70 && (pixel & 0xff) < 70;
}

/* Categories take their own colours (grey for -1); a highlighted path, ring
 * and pair are drawn over the graph where they should be, and only then. */
static void
test_graph_categories_and_highlight (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (3);
  g_autoptr(PhiliaGraph) graph = NULL;
  const double xy[] = { 0, 0,   10, 0,   10, 10 };
  const gint32 categories[] = { 1, 0, -1 };
  const char * const names[] = { "red", "green" };
  const double colors[] = { 1, 0, 0,   0, 1, 0 };
  const guint8 ringed[] = { 0, 1, 0 };
  const guint path[] = { 0, 2 };
  const guint pair[] = { 0, 2 };
  PhiliaGraphView view = { 0 };
  cairo_surface_t *plain, *marked;

  philia_graph_builder_add_edge (builder, 0, 1);
  philia_graph_builder_add_edge (builder, 1, 2);
  graph = philia_graph_builder_build (builder, NULL);
  view.graph = graph;
  view.positions = xy;
  view.color_by = PHILIA_COLOR_BY_CATEGORY;
  view.node_categories = categories;
  view.category_names = names;
  view.category_colors = colors;
  view.n_categories = 2;
  view.edge_style = PHILIA_EDGES_PLAIN;

  plain = draw_path_graph (&view);
  g_assert_cmphex (pixel_at (plain, 20, 20), ==, 0x00ff00);
  g_assert_cmphex (pixel_at (plain, 180, 20), ==, 0xff0000);
  g_assert_cmphex (pixel_at (plain, 180, 180), ==, 0x9e9e9e);
  /* No edge 0–2: the diagonal's middle is blank, and so is the ring's place. */
  g_assert_cmphex (pixel_at (plain, 100, 100), ==, 0xffffff);
  g_assert_cmphex (pixel_at (plain, 187, 27), ==, 0xffffff);
  g_assert_cmphex (pixel_at (plain, 20, 30), ==, 0xffffff);

  view.highlighted = ringed;
  view.path = path;
  view.n_path = 2;
  view.pair = pair;
  marked = draw_path_graph (&view);
  g_assert_true (is_dark (pixel_at (marked, 100, 100)));        /* the path */
  g_assert_true (is_dark (pixel_at (marked, 187, 27)));         /* node 1's ring */
  g_assert_cmphex (pixel_at (marked, 20, 30), ==, 0x00ff00);    /* node 0, enlarged */
  g_assert_cmphex (pixel_at (marked, 180, 20), ==, 0xff0000);   /* node 1 still red */

  cairo_surface_destroy (plain);
  cairo_surface_destroy (marked);
}

/* Three horizontal edges, 0–1 at the top, 2–3 in the middle and 4–5 at the
 * bottom, valued @values[0..2] at the row entry of their smaller end (the
 * other entries hold a value that must be ignored). */
static PhiliaGraph *
three_edges (const double  values[3],
             double       *edge_values)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (6);
  PhiliaGraph *graph;
  const gint64 *off;
  const gint32 *nbr;

  for (guint i = 0; i < 3; i++)
    philia_graph_builder_add_edge (builder, 2 * i, 2 * i + 1);
  philia_graph_builder_take_labels (builder, g_memdup2 ((gint64[]) { 0, 0, 0, 0, 0, 0 }, 6 * 8));
  graph = philia_graph_builder_build (builder, NULL);
  g_assert_nonnull (graph);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 3);
  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  g_assert_cmpint (off[6], ==, 6);
  for (guint u = 0; u < 6; u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      edge_values[e] = nbr[e] > (gint32)u ? values[u / 2] : 1e9;
  return graph;
}

static const double three_edges_xy[] = { 0, 0, 10, 0,   0, 5, 10, 5,   0, 10, 10, 10 };

/* Whether @pixel is @color laid over white at some opacity of at least
 * @min_alpha (antialiasing and edge alpha only fade it towards white). */
static gboolean
is_tint_of (guint32           pixel,
            const PhiliaRgba *color,
            double            min_alpha)
{
  double c[3] = { color->r * 255, color->g * 255, color->b * 255 };
  double p[3] = { (pixel >> 16) & 0xff, (pixel >> 8) & 0xff, pixel & 0xff };
  double num = 0, den = 0, a;

  for (int i = 0; i < 3; i++)
    {
      num += (255 - p[i]) * (255 - c[i]);
      den += (255 - c[i]) * (255 - c[i]);
    }
  a = num / den;
  if (a < min_alpha)
    return FALSE;
  for (int i = 0; i < 3; i++)
    if (fabs (255 + a * (c[i] - 255) - p[i]) > 4)
      return FALSE;
  return TRUE;
}

static cairo_surface_t *
draw_three_edges (PhiliaGraph  *graph,
                  const double *edge_values,
                  gboolean      by_width)
{
  PhiliaGraphView view = {
    .graph = graph, .positions = three_edges_xy, .color_by = PHILIA_COLOR_BY_LABEL,
    .edge_style = PHILIA_EDGES_VALUE, .edge_values = edge_values, .edge_vmin = 0,
    .edge_vmax = 1, .edge_width_by_value = by_width,
  };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 200);
  cairo_t *cr = cairo_create (surface);
  PhiliaRenderStyle style;

  philia_graph_view_fit (&view, 200, 200, 20);
  view.offset_y += 0.5;   /* edges along pixel centres: rows 20, 100 and 180 */
  philia_render_style_init_default (&style);
  philia_graph_view_draw (cr, 200, 200, &view, &style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* Pixels in column @x within 12 rows of @row that the drawing touched. */
static int
painted_near (cairo_surface_t *surface,
              int              x,
              int              row)
{
  int count = 0;

  for (int y = row - 12; y <= row + 12; y++)
    count += pixel_at (surface, x, y) != 0xffffff;
  return count;
}

/* Edges coloured by a value show viridis at their midpoints (NaN: grey), and
 * sized by it the top value's edge is the thickest. */
static void
test_graph_edge_values (void)
{
  const double values[] = { 0, 0.5, 1 };
  const int rows[] = { 20, 100, 180 };
  double edge_values[6];
  g_autoptr(PhiliaGraph) graph = three_edges (values, edge_values);
  PhiliaRgba expected[3];

  for (guint i = 0; i < 3; i++)
    philia_colormap_viridis (values[i], &expected[i]);

  for (int by_width = 0; by_width < 2; by_width++)
    {
      cairo_surface_t *surface = draw_three_edges (graph, edge_values, by_width);

      for (guint i = 0; i < 3; i++)
        {
          guint32 mid = pixel_at (surface, 100, rows[i]);

          g_test_message ("width by value %d, edge %u: midpoint #%06x", by_width, i, mid);
          g_assert_true (is_tint_of (mid, &expected[i], 0.15));
          for (guint j = 0; j < 3; j++)
            if (j != i)
              g_assert_false (is_tint_of (mid, &expected[j], 0.15));
        }
      if (by_width)
        {
          int thin = painted_near (surface, 100, rows[0]);
          int middle = painted_near (surface, 100, rows[1]);
          int thick = painted_near (surface, 100, rows[2]);

          g_test_message ("pixels across: %d, %d, %d", thin, middle, thick);
          g_assert_cmpint (thin, >=, 1);
          g_assert_cmpint (middle, >, thin);
          g_assert_cmpint (thick, >, middle);
          g_assert_cmpint (thick, >=, 4);
        }
      cairo_surface_destroy (surface);
    }

  /* No value: faint grey, and the other edges keep their colours. */
  {
    const double with_nan[] = { NAN, 0.5, 1 };
    double nan_values[6];
    g_autoptr(PhiliaGraph) nan_graph = three_edges (with_nan, nan_values);
    cairo_surface_t *surface = draw_three_edges (nan_graph, nan_values, FALSE);
    guint32 mid = pixel_at (surface, 100, rows[0]);
    int r = (mid >> 16) & 0xff, g = (mid >> 8) & 0xff, b = mid & 0xff;

    g_assert_cmphex (mid, !=, 0xffffff);
    g_assert_cmpint (MAX (MAX (r, g), b) - MIN (MIN (r, g), b), <=, 2);
    g_assert_true (is_tint_of (pixel_at (surface, 100, rows[2]), &expected[2], 0.15));
    cairo_surface_destroy (surface);
  }
}

/* The same figure through the vector path: SVG and PDF show the PNG. */
static void
test_graph_edge_values_vector (void)
{
  const double values[] = { 0, 0.5, 1 };
  double edge_values[6];
  g_autoptr(PhiliaGraph) graph = three_edges (values, edge_values);
  GraphFigure figure = { 0 };

  if (!have_rasterisers ())
    return;
  philia_render_style_init_default (&figure.style);
  for (int by_width = 0; by_width < 2; by_width++)
    {
      figure.view = (PhiliaGraphView) {
        .graph = graph, .positions = three_edges_xy, .color_by = PHILIA_COLOR_BY_LABEL,
        .edge_style = PHILIA_EDGES_VALUE, .edge_values = edge_values, .edge_vmin = 0,
        .edge_vmax = 1, .edge_value_name = "attention", .edge_width_by_value = by_width,
        .show_legend = TRUE,
      };
      assert_vector_matches_png (draw_graph, &figure);
    }
  /* Width by value under the class colours, with its legend row. */
  figure.view.edge_style = PHILIA_EDGES_HOMOPHILY;
  assert_vector_matches_png (draw_graph, &figure);
}

/* @view drawn at 200 × 200 on white, through the raster path (an image
 * target) or the vector one (a recording surface, as SVG and PDF get). */
static cairo_surface_t *
draw_view (PhiliaGraphView *view,
           gboolean         vector)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 200);
  cairo_surface_t *target = vector ? cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA,
                                                                     NULL)
                                   : cairo_surface_reference (surface);
  cairo_t *cr = cairo_create (target);
  PhiliaRenderStyle style;

  philia_graph_view_fit (view, 200, 200, 20);
  view->offset_y += 0.5;   /* edges along pixel centres: rows 20, 100 and 180 */
  philia_render_style_init_default (&style);
  if (vector)
    style.background.a = 0;
  else
    {
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
    }
  philia_graph_view_draw (cr, 200, 200, view, &style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  if (vector)
    {
      cr = cairo_create (surface);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      cairo_set_source_surface (cr, target, 0, 0);
      cairo_paint (cr);
      cairo_destroy (cr);
    }
  cairo_surface_destroy (target);
  cairo_surface_flush (surface);
  return surface;
}

/* Same vs cross class: an edge with an unlabeled end is neither, and is
 * drawn in the unlabeled grey, on screen and in vector files alike. */
static void
test_graph_edge_kinds (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (6);
  g_autoptr(PhiliaGraph) graph = NULL;
  const PhiliaRgba same = { 0.21, 0.29, 0.60, 1 }, cross = { 0.85, 0.20, 0.15, 1 };
  const PhiliaRgba grey = { 0.62, 0.62, 0.62, 1 };
  const PhiliaRgba *expected[] = { &same, &cross, &grey };
  const int rows[] = { 20, 100, 180 };

  /* 0–1 same class, 2–3 two classes, 4–5 one end unlabeled. */
  for (guint i = 0; i < 3; i++)
    philia_graph_builder_add_edge (builder, 2 * i, 2 * i + 1);
  philia_graph_builder_take_labels (builder,
                                    g_memdup2 ((gint64[]) { 0, 0, 0, 1, -1, 1 }, 6 * 8));
  graph = philia_graph_builder_build (builder, NULL);
  g_assert_nonnull (graph);

  for (int vector = 0; vector < 2; vector++)
    {
      PhiliaGraphView view = {
        .graph = graph, .positions = three_edges_xy, .color_by = PHILIA_COLOR_BY_LABEL,
        .edge_style = PHILIA_EDGES_HOMOPHILY, .show_legend = FALSE,
      };
      cairo_surface_t *surface = draw_view (&view, vector);

      for (guint i = 0; i < 3; i++)
        {
          guint32 mid = pixel_at (surface, 100, rows[i]);

          g_test_message ("%s, edge %u: midpoint #%06x", vector ? "vector" : "raster", i, mid);
          g_assert_true (is_tint_of (mid, expected[i], 0.15));
          for (guint j = 0; j < 3; j++)
            if (j != i)
              g_assert_false (is_tint_of (mid, expected[j], 0.15));
        }
      cairo_surface_destroy (surface);
    }
}

static guint32
rgb_of (const PhiliaRgba *c)
{
  return ((guint32)lround (c->r * 255) << 16) | ((guint32)lround (c->g * 255) << 8)
         | (guint32)lround (c->b * 255);
}

/* Local homophily is coloured around what chance gives the node's class:
 * the triangle 0-1-2 (class 0) with 3 (class 1) on 2 has chance 7/8 and 1/8
 * (tests/test-homophily.c); node 2's 2/3 is below its 7/8, so it is red-ish
 * where an uncentred scale would make it blue-ish, and a node exactly at
 * chance is pale. */
static void
test_local_homophily_centre (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (4);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autofree double *local = NULL;
  g_autofree double *chance = NULL;
  const double xy[] = { 0, 0,   10, 0,   10, 10,   0, 10 };
  const int px[][2] = { { 20, 20 }, { 180, 20 }, { 180, 180 }, { 20, 180 } };
  guint c;
  PhiliaRgba expected;

  philia_graph_builder_add_edge (builder, 0, 1);
  philia_graph_builder_add_edge (builder, 0, 2);
  philia_graph_builder_add_edge (builder, 1, 2);
  philia_graph_builder_add_edge (builder, 2, 3);
  philia_graph_builder_take_labels (builder, g_memdup2 ((gint64[]) { 0, 0, 0, 1 }, 4 * 8));
  graph = philia_graph_builder_build (builder, NULL);
  local = philia_local_homophily (graph);
  chance = philia_local_homophily_chance (graph, &c);

  /* The mapping: 0 → 0, chance → ½, 1 → 1, linear on each side. */
  g_assert_cmpfloat_with_epsilon (philia_local_homophily_scale (2.0 / 3, 7.0 / 8),
                                  0.5 * (2.0 / 3) / (7.0 / 8), 1e-12);
  g_assert_cmpfloat_with_epsilon (philia_local_homophily_scale (7.0 / 8, 7.0 / 8), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (philia_local_homophily_scale (0.9, 0.6), 0.5 + 0.5 * 0.3 / 0.4,
                                  1e-12);
  g_assert_cmpfloat (philia_local_homophily_scale (0, 0.3), ==, 0);
  g_assert_cmpfloat (philia_local_homophily_scale (1, 0.3), ==, 1);
  g_assert_cmpfloat (philia_local_homophily_scale (1, 1), ==, 0.5);
  g_assert_true (isnan (philia_local_homophily_scale (NAN, 0.3)));

  for (int centred = 0; centred < 2; centred++)
    {
      GraphFigure figure = { 0 };
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 200);
      cairo_t *cr = cairo_create (surface);

      philia_render_style_init_default (&figure.style);
      figure.view = (PhiliaGraphView) {
        .graph = graph, .positions = xy, .color_by = PHILIA_COLOR_BY_LOCAL_HOMOPHILY,
        .node_values = local, .class_chance = centred ? chance : NULL,
        .n_class_chance = centred ? c : 0, .edge_style = PHILIA_EDGES_HIDDEN,
      };
      philia_graph_view_fit (&figure.view, 200, 200, 20);
      philia_graph_view_draw (cr, 200, 200, &figure.view, &figure.style);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      for (guint v = 0; v < 4; v++)
        {
          double t = centred ? philia_local_homophily_scale (local[v], chance[v == 3])
                             : local[v];
          guint32 got = pixel_at (surface, px[v][0], px[v][1]);

          philia_colormap_diverging (t, &expected);
          g_test_message ("%s: node %u, h %.4f → %.4f: #%06x", centred ? "centred" : "at ½", v,
                          local[v], t, got);
          g_assert_cmphex (got, ==, rgb_of (&expected));
        }
      /* Node 2 (h = 2/3): below its class's chance of 7/8, so red of pale;
       * only the uncentred scale calls it homophilous. */
      {
        guint32 got = pixel_at (surface, 180, 180);
        int r = (got >> 16) & 0xff, b = got & 0xff;

        if (centred)
          g_assert_cmpint (r, >, b);
        else
          g_assert_cmpint (b, >, r);
      }
      cairo_surface_destroy (surface);
    }
}

/* Text and lines, antialiased: darker than mid-grey in every channel. */
static gboolean
is_inked (guint32 pixel)
{
  return ((pixel >> 16) & 0xff) < 128 && ((pixel >> 8) & 0xff) < 128 && (pixel & 0xff) < 128;
}

/* Figures of labels on a graph without labels say so instead of drawing
 * empty axes; the degree figure is drawn as ever. */
static void
test_stats_figure_without_labels (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (4);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaHomophily) h = NULL;

  philia_graph_builder_add_edge (builder, 0, 1);
  philia_graph_builder_add_edge (builder, 1, 2);
  philia_graph_builder_add_edge (builder, 2, 3);
  graph = philia_graph_builder_build (builder, NULL);
  h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 0, NULL, NULL);

  for (PhiliaStatsFigureKind kind = 0; kind < PHILIA_N_STATS_FIGURES; kind++)
    {
      g_autoptr(PhiliaStatsFigure) figure = philia_stats_figure_new (kind, graph, h, NULL);
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 260);
      cairo_t *cr = cairo_create (surface);
      guint blue = 0, middle = 0, bottom = 0;

      philia_stats_figure_draw (cr, 400, 260, figure);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      for (int y = 0; y < 260; y++)
        for (int x = 0; x < 400; x++)
          {
            guint32 p = pixel_at (surface, x, y);

            /* The sentence sits in the middle; axes, ticks and their
             * labels would reach the bottom. */
            middle += is_inked (p) && y >= 110 && y < 150;
            bottom += is_inked (p) && y >= 200;
            /* Bars, cells and points are coloured; text is grey-black. */
            blue += ((p & 0xff) > ((p >> 16) & 0xff) + 60);
          }
      g_test_message ("%s: %u inked in the middle, %u at the bottom, %u coloured",
                      philia_stats_figure_kind_to_string (kind), middle, bottom, blue);
      if (kind == PHILIA_STATS_FIGURE_DEGREE)
        {
          g_assert_cmpuint (blue, >, 0);
          g_assert_cmpuint (bottom, >, 0);
        }
      else
        {
          g_assert_cmpuint (middle, >, 100);
          g_assert_cmpuint (bottom, ==, 0);
          g_assert_cmpuint (blue, ==, 0);
          g_assert_cmpint (philia_stats_figure_hit_bar (figure, 400, 260, 200, 130), ==, -1);
        }
      cairo_surface_destroy (surface);
    }
}

/* Attention's scale: shades of grey (no hue, so never a class colour) on a
 * log scale, ½, 1 and 2 at its bottom, middle and top. */
static void
test_graph_edge_greys_log (void)
{
  const double values[] = { 0.5, 1, 2 };
  const int rows[] = { 20, 100, 180 };
  double edge_values[6];
  g_autoptr(PhiliaGraph) graph = three_edges (values, edge_values);

  g_assert_cmpfloat_with_epsilon (philia_graph_view_edge_position (
                                    &(PhiliaGraphView) { .edge_vmin = 0.5, .edge_vmax = 2,
                                                         .edge_log = TRUE }, 1.0), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (philia_graph_view_edge_position (
                                    &(PhiliaGraphView) { .edge_vmin = 0.25, .edge_vmax = 4,
                                                         .edge_log = TRUE }, 2.0), 0.75, 1e-12);
  g_assert_cmpfloat (philia_graph_view_edge_position (
                       &(PhiliaGraphView) { .edge_vmin = 0.5, .edge_vmax = 2, .edge_log = TRUE },
                       0.0), ==, 0.0);

  for (int vector = 0; vector < 2; vector++)
    {
      PhiliaGraphView view = {
        .graph = graph, .positions = three_edges_xy, .color_by = PHILIA_COLOR_BY_LABEL,
        .edge_style = PHILIA_EDGES_VALUE, .edge_values = edge_values, .edge_vmin = 0.5,
        .edge_vmax = 2, .edge_log = TRUE, .edge_colormap = PHILIA_EDGE_COLORMAP_GREYS,
      };
      cairo_surface_t *surface = draw_view (&view, vector);
      int last = 256;

      for (guint i = 0; i < 3; i++)
        {
          guint32 mid = pixel_at (surface, 100, rows[i]);
          int r = (mid >> 16) & 0xff, g = (mid >> 8) & 0xff, b = mid & 0xff;
          PhiliaRgba expected;

          philia_colormap_greys (i / 2.0, &expected);
          g_test_message ("%s, edge %u: #%06x", vector ? "vector" : "raster", i, mid);
          /* Grey, the expected shade over white, and darker as the value grows. */
          g_assert_cmpint (MAX (MAX (r, g), b) - MIN (MIN (r, g), b), <=, 1);
          g_assert_true (is_tint_of (mid, &expected, 0.15));
          g_assert_cmpint (r, <, last);
          last = r;
        }
      cairo_surface_destroy (surface);
    }
}

/* The attention grid of a softmax result: one direction (what the node
 * puts on its neighbours), over uniform on a log scale symmetric about 1,
 * titled with the right plural. Path 0 – 1 – 2 plus 1 – 3; node 1 puts
 * 0.1, 0.2, 0.4 (head 0) and 0.3, 0.1, 0.2 (head 1) on 0, 2, 3, itself
 * 0.3 and 0.4: over uniform (× 4) 0.4 … 1.6 and 1.2, 0.4, 0.8. */
static void
test_attention_grid (void)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (4);
  g_autoptr(PhiliaGraph) graph = NULL;
  PhiliaTrainResult r = { 0 };
  PhiliaAttention a = { 0, 2, NULL, NULL };
  static float edges[] = { 0.6f, 0.5f,   0.1f, 0.3f, 0.2f, 0.1f, 0.4f, 0.2f,
                           0.7f, 0.9f,   0.5f, 0.5f };
  static float self[] = { 0.4f, 0.5f, 0.3f, 0.4f, 0.3f, 0.1f, 0.5f, 0.5f };
  double vmin, vmax;

  philia_graph_builder_take_edges (b, g_memdup2 ((gint64[]) { 0, 1, 1, 2, 1, 3 }, 6 * 8), 3);
  philia_graph_builder_take_labels (b, g_memdup2 ((gint64[]) { 0, 0, 1, -1 }, 4 * 8));
  graph = philia_graph_builder_build (b, NULL);
  a.edges = edges;
  a.self = self;
  r.n_nodes = 4;
  r.attention = g_array_new (FALSE, FALSE, sizeof (PhiliaAttention));
  g_array_append_val (r.attention, a);

  {
    g_autoptr(PhiliaAttentionGrid) one = philia_attention_grid_new (graph, &r, 0, 24, TRUE);
    g_autoptr(PhiliaAttentionGrid) hub = philia_attention_grid_new (graph, &r, 1, 24, TRUE);
    g_autoptr(PhiliaAttentionGrid) raw = philia_attention_grid_new (graph, &r, 1, 24, FALSE);
    g_autoptr(PhiliaAttentionGrid) top2 = philia_attention_grid_new (graph, &r, 1, 2, TRUE);

    g_assert_cmpstr (philia_attention_grid_get_title (one), ==,
                     "Attention of node 0 on its 1 neighbour");
    g_assert_cmpstr (philia_attention_grid_get_title (hub), ==,
                     "Attention of node 1 on its 3 neighbours");
    g_assert_cmpstr (philia_attention_grid_get_title (top2), ==,
                     "Attention of node 1 on its 2 most attended of 3 neighbours");
    /* Node 0 puts 0.6 and 0.5 on its one neighbour: × 2 = 1.2, 1.0; the
     * scale is never narrower than ½ … 2. */
    philia_attention_grid_get_range (one, &vmin, &vmax);
    g_assert_cmpfloat_with_epsilon (vmin, 0.5, 1e-9);
    g_assert_cmpfloat_with_epsilon (vmax, 2.0, 1e-9);
    /* Node 1: the farthest from 1 is 0.4 (1 / 2.5), so 0.4 … 2.5. */
    philia_attention_grid_get_range (hub, &vmin, &vmax);
    g_assert_cmpfloat_with_epsilon (vmin, 1 / 2.5, 1e-6);
    g_assert_cmpfloat_with_epsilon (vmax, 2.5, 1e-6);
    /* Raw: from 0 to the largest coefficient, 0.4. */
    philia_attention_grid_get_range (raw, &vmin, &vmax);
    g_assert_cmpfloat (vmin, ==, 0);
    g_assert_cmpfloat_with_epsilon (vmax, 0.4, 1e-6);
    for (PhiliaAttentionGrid **grid = (PhiliaAttentionGrid *[]) { one, hub, raw, top2, NULL };
         *grid != NULL; grid++)
      {
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 480, 240);
        cairo_t *cr = cairo_create (surface);

        philia_attention_grid_draw (cr, 480, 240, *grid);
        g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
        cairo_destroy (cr);
        cairo_surface_destroy (surface);
      }
  }
  g_array_unref (r.attention);
}

static void
test_diverging_scale (void)
{
  PhiliaRgba lo, mid, hi;

  philia_colormap_diverging (0.0, &lo);
  philia_colormap_diverging (0.5, &mid);
  philia_colormap_diverging (1.0, &hi);
  g_assert_cmpfloat (lo.r, >, lo.b);   /* heterophilous: red */
  g_assert_cmpfloat (hi.b, >, hi.r);   /* homophilous: blue */
  g_assert_cmpfloat (mid.r + mid.g + mid.b, >, 2.5);   /* pale in the middle */
}

/* The names a document's view stores round-trip, and its aliases land on
 * the styles the canvas draws. */
static void
test_view_names (void)
{
  PhiliaColorBy color_by = PHILIA_COLOR_BY_DEGREE;
  PhiliaEdgeStyle edge_style = PHILIA_EDGES_PLAIN;

  for (PhiliaColorBy c = 0; c < PHILIA_N_COLOR_BY; c++)
    {
      g_assert_true (philia_color_by_from_string (philia_color_by_to_string (c), &color_by));
      g_assert_cmpint (color_by, ==, c);
    }
  for (PhiliaEdgeStyle e = 0; e <= PHILIA_EDGES_VALUE; e++)
    {
      g_assert_true (philia_edge_style_from_string (philia_edge_style_to_string (e),
                                                    &edge_style));
      g_assert_cmpint (edge_style, ==, e);
    }
  g_assert_true (philia_color_by_from_string ("class", &color_by));
  g_assert_cmpint (color_by, ==, PHILIA_COLOR_BY_LABEL);
  g_assert_true (philia_edge_style_from_string ("class", &edge_style));
  g_assert_cmpint (edge_style, ==, PHILIA_EDGES_HOMOPHILY);
  g_assert_true (philia_edge_style_from_string ("none", &edge_style));
  g_assert_cmpint (edge_style, ==, PHILIA_EDGES_HIDDEN);
  g_assert_true (philia_edge_style_from_string ("attention", &edge_style));
  g_assert_cmpint (edge_style, ==, PHILIA_EDGES_VALUE);
  g_assert_cmpstr (philia_edge_style_to_string (PHILIA_EDGES_PLAIN), ==, "plain");
  /* Unknown names leave the value alone. */
  edge_style = PHILIA_EDGES_PLAIN;
  g_assert_false (philia_edge_style_from_string ("run:3:prediction", &edge_style));
  g_assert_false (philia_edge_style_from_string (NULL, &edge_style));
  g_assert_cmpint (edge_style, ==, PHILIA_EDGES_PLAIN);
  g_assert_false (philia_color_by_from_string ("run:3:prediction", &color_by));
  g_assert_false (philia_color_by_from_string ("Degree", &color_by));
  g_assert_false (philia_color_by_from_string (NULL, &color_by));
  g_assert_cmpint (color_by, ==, PHILIA_COLOR_BY_LABEL);
}

/* The figure kinds, colourings and edge styles have GTypes whose nicks are
 * the names the CLI and projects use, in value order. */
static void
test_enum_names (void)
{
  static const char * const stats[] = {
    "class-sizes", "local-homophily", "compatibility", "degree",
  };
  static const char * const linkpred[] = { "hits", "overlap", "factors" };
  static const char * const color_by[] = {
    "label", "local-homophily", "degree", "value", "category",
  };
  static const char * const edges[] = { "plain", "homophily", "hidden", "value" };
  static const char * const formats[] = { "png", "svg", "pdf" };
  struct { GType type; const char * const *names; guint n, n_enum; } enums[] = {
    { PHILIA_TYPE_STATS_FIGURE_KIND, stats, G_N_ELEMENTS (stats), PHILIA_N_STATS_FIGURES },
    { PHILIA_TYPE_LINKPRED_FIGURE_KIND, linkpred, G_N_ELEMENTS (linkpred),
      PHILIA_N_LINKPRED_FIGURES },
    { PHILIA_TYPE_COLOR_BY, color_by, G_N_ELEMENTS (color_by), PHILIA_N_COLOR_BY },
    { PHILIA_TYPE_EDGE_STYLE, edges, G_N_ELEMENTS (edges), PHILIA_EDGES_VALUE + 1 },
    { PHILIA_TYPE_FIGURE_FORMAT, formats, G_N_ELEMENTS (formats), PHILIA_FIGURE_PDF + 1 },
  };
  PhiliaStatsFigureKind kind = PHILIA_STATS_FIGURE_DEGREE;
  PhiliaLinkpredFigureKind lp_kind = PHILIA_LINKPRED_FIGURE_HITS;

  for (guint e = 0; e < G_N_ELEMENTS (enums); e++)
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (enums[e].type);

      g_assert_cmpuint (klass->n_values, ==, enums[e].n);
      g_assert_cmpuint (enums[e].n, ==, enums[e].n_enum);
      for (guint i = 0; i < enums[e].n; i++)
        {
          GEnumValue *value = g_enum_get_value (klass, i);

          g_assert_nonnull (value);
          g_assert_cmpstr (value->value_nick, ==, enums[e].names[i]);
        }
    }

  /* The named wrappers go through the GTypes, the view names agree. */
  for (guint i = 0; i < G_N_ELEMENTS (stats); i++)
    {
      g_assert_cmpstr (philia_stats_figure_kind_to_string (i), ==, stats[i]);
      g_assert_true (philia_stats_figure_kind_from_string (stats[i], &kind));
      g_assert_cmpint (kind, ==, i);
    }
  for (guint i = 0; i < G_N_ELEMENTS (linkpred); i++)
    {
      g_assert_cmpstr (philia_linkpred_figure_kind_to_string (i), ==, linkpred[i]);
      g_assert_true (philia_linkpred_figure_kind_from_string (linkpred[i], &lp_kind));
      g_assert_cmpint (lp_kind, ==, i);
    }
  kind = PHILIA_STATS_FIGURE_DEGREE;
  g_assert_false (philia_stats_figure_kind_from_string ("hits", &kind));
  g_assert_false (philia_stats_figure_kind_from_string (NULL, &kind));
  g_assert_cmpint (kind, ==, PHILIA_STATS_FIGURE_DEGREE);
  g_assert_false (philia_linkpred_figure_kind_from_string ("degree", &lp_kind));
  g_assert_cmpint (lp_kind, ==, G_N_ELEMENTS (linkpred) - 1);
  for (guint i = 0; i < G_N_ELEMENTS (color_by); i++)
    g_assert_cmpstr (philia_color_by_to_string (i), ==, color_by[i]);
  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    g_assert_cmpstr (philia_edge_style_to_string (i), ==, edges[i]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/Philia/Render/bar-chart-pixels", test_bar_chart_pixels);
  g_test_add_func ("/Philia/Render/graph-categories-highlight",
                   test_graph_categories_and_highlight);
  g_test_add_func ("/Philia/Render/palette", test_palette);
  g_test_add_func ("/Philia/Render/grouped-bars-aligned", test_grouped_bars_aligned);
  g_test_add_func ("/Philia/Render/export-formats", test_export_formats);
  g_test_add_func ("/Philia/Render/export-png-size", test_export_png_size);
  g_test_add_func ("/Philia/Render/export-errors", test_export_errors);
  g_test_add_func ("/Philia/Render/empty-chart", test_empty_chart);
  g_test_add_func ("/Philia/Render/heatmap-and-hit", test_heatmap_and_hit);
  g_test_add_func ("/Philia/Render/stacked-bars-hit", test_stacked_bars_hit);
  g_test_add_func ("/Philia/Render/xy-log-skips-nonpositive", test_xy_log_skips_nonpositive);
  g_test_add_func ("/Philia/Render/vector-matches-png", test_vector_matches_png);
  g_test_add_func ("/Philia/Render/graph-vector-matches-png", test_graph_vector_matches_png);
  g_test_add_func ("/Philia/Render/graph-view", test_graph_view);
  g_test_add_func ("/Philia/Render/graph-edge-kinds", test_graph_edge_kinds);
  g_test_add_func ("/Philia/Render/local-homophily-centre", test_local_homophily_centre);
  g_test_add_func ("/Philia/Render/graph-edge-greys-log", test_graph_edge_greys_log);
  g_test_add_func ("/Philia/Render/attention-grid", test_attention_grid);
  g_test_add_func ("/Philia/Render/stats-figure-without-labels",
                   test_stats_figure_without_labels);
  g_test_add_func ("/Philia/Render/graph-edge-values", test_graph_edge_values);
  g_test_add_func ("/Philia/Render/graph-edge-values-vector", test_graph_edge_values_vector);
  g_test_add_func ("/Philia/Render/diverging-scale", test_diverging_scale);
  g_test_add_func ("/Philia/Render/view-names", test_view_names);
  g_test_add_func ("/Philia/Render/enum-names", test_enum_names);
  return g_test_run ();
}
