/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Figures as a paper prints them: exact sizes, a legend that hides no node,
 * names printed apart, every chart label whole. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "philia-core.h"
#include "philia-render.h"
#include "philia-render-private.h"

typedef struct
{
  char    *text;
  double   x0, y0, x1, y1;
  gboolean shortened;
} DrawnText;

static void
drawn_text_clear (gpointer data)
{
  g_free (((DrawnText *) data)->text);
}

static void
record_text (const char *text,
             double      x0,
             double      y0,
             double      x1,
             double      y1,
             gboolean    shortened,
             gpointer    user_data)
{
  DrawnText t = { g_strdup (text), x0, y0, x1, y1, shortened };

  g_array_append_val ((GArray *) user_data, t);
}

/* Draws @draw on a @width × @height image at one pixel per point and returns
 * every text it drew, with the extents the renderer reported. */
static GArray *
drawn_texts (PhiliaDrawFunc draw,
             gpointer       data,
             double         width,
             double         height)
{
  GArray *texts = g_array_new (FALSE, FALSE, sizeof (DrawnText));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width,
                                                         (int) height);
  cairo_t *cr = cairo_create (surface);

  g_array_set_clear_func (texts, drawn_text_clear);
  philia_render_set_text_trace (record_text, texts);
  draw (cr, width, height, data);
  philia_render_set_text_trace (NULL, NULL);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return texts;
}

/* No text is cut by the border, shortened with "…", or printed over another. */
static void
assert_texts_whole (GArray     *texts,
                    double      width,
                    double      height,
                    const char *what)
{
  for (guint i = 0; i < texts->len; i++)
    {
      const DrawnText *t = &g_array_index (texts, DrawnText, i);

      if (t->x0 < -0.5 || t->y0 < -0.5 || t->x1 > width + 0.5 || t->y1 > height + 0.5)
        g_error ("%s: “%s” at %.1f,%.1f–%.1f,%.1f leaves the %g × %g figure", what, t->text,
                 t->x0, t->y0, t->x1, t->y1, width, height);
      g_assert_false (t->shortened);
      g_assert_false (g_str_has_suffix (t->text, "…"));
    }
}

static gboolean
texts_overlap (const DrawnText *a,
               const DrawnText *b)
{
  /* A pixel of slack: logical extents of neighbouring rows may touch. */
  return a->x0 + 1 < b->x1 && b->x0 + 1 < a->x1 && a->y0 + 1 < b->y1 && b->y0 + 1 < a->y1;
}

static gboolean
boxes_meet (const PhiliaBox *a,
            const PhiliaBox *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width
         && a->y < b->y + b->height && b->y < a->y + a->height;
}

/* ------------------------------------------------------------ sizes */

static void
draw_bars (cairo_t  *cr,
           double    width,
           double    height,
           gpointer  data)
{
  philia_bar_chart_draw (cr, width, height, data, NULL);
}

static void
test_pixel_sizes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("philia-figures-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "f.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "f.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "f.pdf", NULL);
  g_autofree char *svg_text = NULL;
  g_autofree char *pdf_text = NULL;
  cairo_surface_t *image;
  const double values[] = { 3, 1 };
  PhiliaBarChart chart = { .n_bars = 2, .values = values };
  int w, h;
  gsize len;

  /* 960 × 720 pt at 150 dpi is 2000 × 1500 pixels exactly, although
   * 960 · 150 / 72 is a hair above 2000 in doubles. */
  philia_figure_get_pixel_size (960, 720, 150, &w, &h);
  g_assert_cmpint (w, ==, 2000);
  g_assert_cmpint (h, ==, 1500);
  philia_figure_get_pixel_size (1000, 750, 144, &w, &h);
  g_assert_cmpint (w, ==, 2000);
  g_assert_cmpint (h, ==, 1500);
  /* A part of a pixel is still a pixel. */
  philia_figure_get_pixel_size (100.5, 0.2, 72, &w, &h);
  g_assert_cmpint (w, ==, 101);
  g_assert_cmpint (h, ==, 1);

  g_assert_true (philia_figure_export (png, 960, 720, 150,
                                       draw_bars, &chart, NULL));
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 2000);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, 1500);
  cairo_surface_destroy (image);

  /* Vector files are in points, exactly the size asked for. */
  g_assert_true (philia_figure_export (svg, 960, 720, 150,
                                       draw_bars, &chart, NULL));
  g_assert_true (g_file_get_contents (svg, &svg_text, &len, NULL));
  g_assert_nonnull (strstr (svg_text, "width=\"960pt\" height=\"720pt\""));
  g_assert_true (philia_figure_export (pdf, 960, 720, 150,
                                       draw_bars, &chart, NULL));
  g_assert_true (g_file_get_contents (pdf, &pdf_text, &len, NULL));
  g_assert_nonnull (g_strstr_len (pdf_text, len, "/MediaBox [ 0 0 960 720 ]"));

  for (const char **p = (const char *[]) { png, svg, pdf, NULL }; *p; p++)
    g_unlink (*p);
  g_rmdir (dir);
}

/* ------------------------------------------------------------ graph */

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

  philia_graph_view_fit_figure (&figure->view, &figure->style, width, height);
  philia_graph_view_draw (cr, width, height, &figure->view, &figure->style);
}

static PhiliaGraph *
load_cora (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "cora.npz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph = philia_graph_load (file, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return graph;
}

/* Every node's disc lies inside the figure, a margin from the border, and
 * outside the legend's box. */
static void
assert_legend_clear (GraphFigure *figure,
                     double       width,
                     double       height)
{
  const PhiliaGraphView *view = &figure->view;
  guint n = philia_graph_get_n_nodes (view->graph), covered = 99;
  PhiliaBox legend;

  philia_graph_view_fit_figure (&figure->view, &figure->style, width, height);
  g_assert_true (philia_graph_view_get_legend_box (view, &figure->style, width, height, &legend,
                                                   &covered));
  g_assert_cmpuint (covered, ==, 0);
  g_assert_cmpfloat (legend.x, >=, 0);
  g_assert_cmpfloat (legend.y, >=, 0);
  g_assert_cmpfloat (legend.x + legend.width, <=, width);
  g_assert_cmpfloat (legend.y + legend.height, <=, height);
  for (guint v = 0; v < n; v++)
    {
      double r = philia_graph_view_get_node_radius (view, width, height, v);
      double x = view->positions[2 * v] * view->scale + view->offset_x;
      double y = view->positions[2 * v + 1] * view->scale + view->offset_y;
      PhiliaBox node = { x - r, y - r, 2 * r, 2 * r };

      if (boxes_meet (&node, &legend))
        g_error ("%g × %g: node %u at %.1f,%.1f (r %.2f) is under the legend "
                 "%.1f,%.1f %.1f × %.1f", width, height, v, x, y, r, legend.x, legend.y,
                 legend.width, legend.height);
      /* Not touching the border: at least a radius of space. */
      g_assert_cmpfloat (x - r, >=, r);
      g_assert_cmpfloat (y - r, >=, r);
      g_assert_cmpfloat (x + r, <=, width - r);
      g_assert_cmpfloat (y + r, <=, height - r);
    }
}

static void
test_legend_covers_no_node (void)
{
  g_autoptr(PhiliaGraph) graph = load_cora ();
  g_autofree double *xy = philia_layout_compute (graph, "fr", 0, NULL, NULL, NULL);
  const double sizes[][2] = { { 480, 480 }, { 480, 360 }, { 360, 240 }, { 300, 600 },
                              { 960, 720 }, { 252, 200 } };
  GraphFigure figure = { 0 };

  philia_render_style_init_default (&figure.style);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (int colour = 0; colour < 2; colour++)
      {
        g_autoptr(GArray) texts = NULL;

        figure.view = (PhiliaGraphView) {
          .graph = graph, .positions = xy,
          .color_by = colour ? PHILIA_COLOR_BY_LOCAL_HOMOPHILY : PHILIA_COLOR_BY_LABEL,
          .edge_style = PHILIA_EDGES_HOMOPHILY, .show_legend = TRUE,
        };
        assert_legend_clear (&figure, sizes[s][0], sizes[s][1]);
        texts = drawn_texts (draw_graph, &figure, sizes[s][0], sizes[s][1]);
        g_assert_cmpuint (texts->len, >=, colour ? 3 : 9);
        assert_texts_whole (texts, sizes[s][0], sizes[s][1], "graph legend");
      }
}

/* A small graph, a node alone and an empty graph: no node under the legend,
 * none on the border. */
static void
test_legend_small_graphs (void)
{
  for (guint n = 0; n <= 6; n += 3)
    {
      g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (MAX (n, 1));
      g_autoptr(PhiliaGraph) graph = NULL;
      g_autofree double *xy = NULL;
      gint64 *labels = g_new (gint64, MAX (n, 1));
      GraphFigure figure = { 0 };

      for (guint v = 0; v < MAX (n, 1); v++)
        {
          labels[v] = v % 3;
          if (v > 0)
            philia_graph_builder_add_edge (builder, 0, v);
        }
      philia_graph_builder_take_labels (builder, labels);
      graph = philia_graph_builder_build (builder, NULL);
      g_assert_nonnull (graph);
      xy = philia_layout_compute (graph, "fr", 1, NULL, NULL, NULL);
      philia_render_style_init_default (&figure.style);
      figure.view = (PhiliaGraphView) {
        .graph = graph, .positions = xy, .color_by = PHILIA_COLOR_BY_LABEL,
        .edge_style = PHILIA_EDGES_HOMOPHILY, .show_legend = TRUE, .size_by_degree = TRUE,
      };
      assert_legend_clear (&figure, 360, 240);
    }
}

/* Names: never over each other, the legend or the border; the ones left out
 * are counted, and the ones drawn are the ones placed. Karate's 34 nodes in
 * a large font crowd each other; Cora's 2708 are too many to name at all. */
static void
test_labels_apart (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "import", "karate.graphml",
                                                 NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, NULL, NULL, NULL);
  g_autoptr(PhiliaGraph) cora = load_cora ();
  g_autofree double *xy = NULL;
  g_autofree double *cora_xy = philia_layout_compute (cora, "fr", 0, NULL, NULL, NULL);
  const guint pair[2] = { 0, 33 };
  GraphFigure figure = { 0 };
  const double width = 600, height = 600;
  g_autoptr(GArray) placed = NULL;
  g_autoptr(GArray) none = NULL;
  g_autoptr(GArray) texts = NULL;
  guint dropped = 0, n_names = 0;
  PhiliaBox legend;

  g_assert_nonnull (graph);
  xy = philia_layout_compute (graph, "fr", 0, NULL, NULL, NULL);
  philia_render_style_init_default (&figure.style);
  figure.style.font_size = 30;
  figure.view = (PhiliaGraphView) {
    .graph = graph, .positions = xy, .color_by = PHILIA_COLOR_BY_LABEL, .pair = pair,
    .edge_style = PHILIA_EDGES_HOMOPHILY, .show_legend = TRUE, .show_labels = TRUE,
  };
  philia_graph_view_fit_figure (&figure.view, &figure.style, width, height);
  placed = philia_graph_view_place_labels (&figure.view, &figure.style, width, height,
                                           &dropped);
  g_assert_true (philia_graph_view_get_legend_box (&figure.view, &figure.style, width, height,
                                                   &legend, NULL));
  /* Every node is in view: each is placed or counted as left out. */
  g_assert_cmpuint (placed->len + dropped, ==, philia_graph_get_n_nodes (graph));
  g_assert_cmpuint (placed->len, >, 5);
  g_assert_cmpuint (dropped, >, 0);
  /* The pair comes first and is named in bold. */
  g_assert_cmpuint (g_array_index (placed, PhiliaLabelPlace, 0).node, ==, 0);
  g_assert_true (g_array_index (placed, PhiliaLabelPlace, 0).bold);
  for (guint i = 0; i < placed->len; i++)
    {
      const PhiliaBox *a = &g_array_index (placed, PhiliaLabelPlace, i).box;

      g_assert_false (boxes_meet (a, &legend));
      g_assert_cmpfloat (a->x, >=, 0);
      g_assert_cmpfloat (a->x + a->width, <=, width);
      for (guint j = i + 1; j < placed->len; j++)
        g_assert_false (boxes_meet (a, &g_array_index (placed, PhiliaLabelPlace, j).box));
    }

  /* What is drawn: the legend's rows and the placed names, none over another. */
  texts = drawn_texts (draw_graph, &figure, width, height);
  assert_texts_whole (texts, width, height, "graph names");
  for (guint i = 0; i < texts->len; i++)
    {
      const DrawnText *a = &g_array_index (texts, DrawnText, i);

      n_names += !g_str_has_suffix (a->text, "edge") && !g_str_has_prefix (a->text, "class ");
      for (guint j = i + 1; j < texts->len; j++)
        if (texts_overlap (a, &g_array_index (texts, DrawnText, j)))
          g_error ("“%s” and “%s” are printed over each other", a->text,
                   g_array_index (texts, DrawnText, j).text);
    }
  g_assert_cmpuint (n_names, >=, placed->len);

  /* Cora: the pair is named; the other names are all left out, and said to be. */
  figure.view.graph = cora;
  figure.view.positions = cora_xy;
  figure.style.font_size = 9;
  philia_graph_view_fit_figure (&figure.view, &figure.style, 480, 360);
  none = philia_graph_view_place_labels (&figure.view, &figure.style, 480, 360, &dropped);
  g_assert_cmpuint (none->len, ==, 2);
  g_assert_cmpuint (dropped, ==, philia_graph_get_n_nodes (cora) - 2);
}

/* Few nodes far apart: every name fits, none is dropped. */
static void
test_labels_all_fit (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (3);
  g_autoptr(PhiliaGraph) graph = NULL;
  const double xy[] = { 0, 0, 1, 0, 0, 1 };
  GraphFigure figure = { 0 };
  g_autoptr(GArray) placed = NULL;
  guint dropped = 99;

  philia_graph_builder_add_edge (builder, 0, 1);
  graph = philia_graph_builder_build (builder, NULL);
  philia_render_style_init_default (&figure.style);
  figure.view = (PhiliaGraphView) {
    .graph = graph, .positions = xy, .show_labels = TRUE, .show_legend = TRUE,
  };
  philia_graph_view_fit_figure (&figure.view, &figure.style, 400, 300);
  placed = philia_graph_view_place_labels (&figure.view, &figure.style, 400, 300, &dropped);
  g_assert_cmpuint (dropped, ==, 0);
  g_assert_cmpuint (placed->len, ==, 3);
}


/* ------------------------------------------------------------ charts */

/* Every name in @names is drawn once, whole; no two texts overlap. */
static void
assert_names_drawn (GArray             *texts,
                    const char * const *names,
                    guint               n_names,
                    const char         *what)
{
  for (guint k = 0; k < n_names; k++)
    {
      guint found = 0;

      for (guint i = 0; i < texts->len; i++)
        found += g_str_equal (g_array_index (texts, DrawnText, i).text, names[k]);
      if (found == 0)
        g_error ("%s: “%s” is not drawn whole", what, names[k]);
    }
  for (guint i = 0; i < texts->len; i++)
    for (guint j = i + 1; j < texts->len; j++)
      {
        const DrawnText *a = &g_array_index (texts, DrawnText, i);
        const DrawnText *b = &g_array_index (texts, DrawnText, j);

        /* Slanted labels' boxes are their bounding boxes: compare level ones. */
        if (fabs ((a->y1 - a->y0) - (b->y1 - b->y0)) > 2 && (a->y1 - a->y0) > 20)
          continue;
        if (texts_overlap (a, b) && (a->y1 - a->y0) < 20 && (b->y1 - b->y0) < 20)
          g_error ("%s: “%s” and “%s” overlap", what, a->text, b->text);
      }
}

static void
draw_stats (cairo_t  *cr,
            double    width,
            double    height,
            gpointer  data)
{
  philia_stats_figure_draw (cr, width, height, data);
}

/* Cora's seven class names, under the bars and beside and under the
 * compatibility heatmap, whole, at the CLI's size and at a narrow one. */
static void
test_class_names_whole (void)
{
  g_autoptr(PhiliaGraph) graph = load_cora ();
  g_autoptr(PhiliaHomophily) h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 0,
                                                           NULL, NULL);
  const char *names[7];
  /* Panel-like shapes too: wide and low, where every slanted name, not
   * only the first, may reach past the left edge. */
  const double sizes[][2] = { { 360, 240 }, { 252, 200 }, { 480, 320 }, { 420, 200 },
                              { 400, 220 }, { 300, 200 }, { 600, 220 } };

  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 7);
  for (guint k = 0; k < 7; k++)
    names[k] = philia_graph_get_class_name (graph, k);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (PhiliaStatsFigureKind kind = PHILIA_STATS_FIGURE_CLASS_SIZES;
         kind <= PHILIA_STATS_FIGURE_COMPATIBILITY; kind++)
      {
        g_autoptr(PhiliaStatsFigure) figure = NULL;
        g_autoptr(GArray) texts = NULL;
        g_autofree char *what = NULL;

        if (kind != PHILIA_STATS_FIGURE_CLASS_SIZES && kind != PHILIA_STATS_FIGURE_COMPATIBILITY)
          continue;
        figure = philia_stats_figure_new (kind, graph, h, NULL);
        texts = drawn_texts (draw_stats, figure, sizes[s][0], sizes[s][1]);
        what = g_strdup_printf ("%s at %g × %g", philia_stats_figure_kind_to_string (kind),
                                sizes[s][0], sizes[s][1]);
        assert_texts_whole (texts, sizes[s][0], sizes[s][1], what);
        assert_names_drawn (texts, names, 7, what);
      }
}

static void
draw_linkpred (cairo_t  *cr,
               double    width,
               double    height,
               gpointer  data)
{
  philia_linkpred_figure_draw (cr, width, height, data);
}

/* Link-prediction figures: full heuristic names, whole; bars in colours
 * that are not the classes'. */
static void
test_linkpred_names_and_colours (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "import", "karate.graphml",
                                                 NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, NULL, NULL, NULL);
  g_autoptr(PhiliaLinkpredReport) report = NULL;
  PhiliaProximityParams params;
  const char *names[] = { "Common neighbours", "Adamic–Adar", "Resource allocation",
                          "Preferential attachment", "Personalized PageRank", "Shortest path" };
  const char *regions[] = { "neighbours only", "paths only", "neighbours + paths", "none" };
  guint mask = PHILIA_PROXIMITY_ALL & ~(1u << PHILIA_PROXIMITY_FP);

  g_assert_nonnull (graph);
  philia_proximity_params_init_default (&params);
  report = philia_linkpred_report_new (graph, &params, mask, 0, 0, NULL, NULL, NULL);
  g_assert_nonnull (report);
  for (PhiliaLinkpredFigureKind kind = 0; kind < PHILIA_N_LINKPRED_FIGURES; kind++)
    {
      g_autoptr(PhiliaLinkpredFigure) figure = philia_linkpred_figure_new (kind, report, 5);
      g_autoptr(GArray) texts = drawn_texts (draw_linkpred, figure, 480, 320);
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 480, 320);
      cairo_t *cr = cairo_create (surface);

      assert_texts_whole (texts, 480, 320, philia_linkpred_figure_kind_to_string (kind));
      /* The factors figure's bars are regions of test edges, not heuristics. */
      if (kind == PHILIA_LINKPRED_FIGURE_FACTORS)
        assert_names_drawn (texts, regions, G_N_ELEMENTS (regions), "factors");
      else
        assert_names_drawn (texts, names, G_N_ELEMENTS (names),
                            philia_linkpred_figure_kind_to_string (kind));
      if (kind != PHILIA_LINKPRED_FIGURE_HITS)
        goto next;
      philia_linkpred_figure_draw (cr, 480, 320, figure);
      cairo_surface_flush (surface);
      for (int y = 0; y < 320; y++)
        for (int x = 0; x < 480; x++)
          {
            guint32 p = *(guint32 *) (cairo_image_surface_get_data (surface)
                                      + y * cairo_image_surface_get_stride (surface) + 4 * x)
                        & 0xffffff;

            for (guint k = 0; k < 10; k++)
              {
                PhiliaRgba c;
                guint32 rgb;

                philia_palette_get_categorical (k, &c);
                rgb = ((guint32) lround (c.r * 255) << 16) | ((guint32) lround (c.g * 255) << 8)
                      | (guint32) lround (c.b * 255);
                g_assert_cmphex (p, !=, rgb);
              }
          }
next:
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
}

static void
draw_curves (cairo_t  *cr,
             double    width,
             double    height,
             gpointer  data)
{
  philia_curves_chart_draw (cr, width, height, data, NULL);
}

/* A loss from 1.6 down to 1.1 (Chameleon's, roughly) fills its axis: the
 * ticks lie around the data, not at the decades 1 and 10. */
static void
test_loss_axis_fits (void)
{
  double train[100], val[100];
  PhiliaCurve curves[2];
  PhiliaCurvesChart chart = { 0 };
  g_autoptr(GArray) texts = NULL;
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE, epoch_row = -1;
  guint ticks = 0;

  for (guint i = 0; i < 100; i++)
    {
      train[i] = 1.6 - 0.55 * (1 - exp (-(double) i / 20.0));
      val[i] = 1.62 - 0.5 * (1 - exp (-(double) i / 25.0));
    }
  curves[0] = (PhiliaCurve) { "GCN val", 100, val, 0, FALSE, 0, NULL };
  curves[1] = (PhiliaCurve) { "GCN train", 100, train, 0, TRUE, 0, NULL };
  chart = (PhiliaCurvesChart) {
    .x_label = "Epoch", .y_label = "Loss", .log_y = TRUE, .y_min = NAN, .y_max = NAN,
    .n_curves = 2, .curves = curves, .baseline = NAN,
  };
  texts = drawn_texts (draw_curves, &chart, 360, 240);
  assert_texts_whole (texts, 360, 240, "loss");
  for (guint i = 0; i < texts->len; i++)
    if (g_str_equal (g_array_index (texts, DrawnText, i).text, "100"))
      epoch_row = g_array_index (texts, DrawnText, i).y0;
  g_assert_cmpfloat (epoch_row, >, 0);
  for (guint i = 0; i < texts->len; i++)
    {
      const DrawnText *t = &g_array_index (texts, DrawnText, i);
      char *end;
      double v = g_ascii_strtod (t->text, &end);

      /* The y ticks: numbers left of the plot, not in the row of epoch
       * ticks (which ends with "100"). */
      if (*end != '\0' || end == t->text || t->x1 > 60 || fabs (t->y0 - epoch_row) < 1)
        continue;
      lo = MIN (lo, v);
      hi = MAX (hi, v);
      ticks++;
    }
  /* PHILIA_FIGURE_GALLERY=DIR keeps the chart in all three formats, to look at. */
  if (g_getenv ("PHILIA_FIGURE_GALLERY") != NULL)
    for (const char **f = (const char *[]) { "png", "svg", "pdf", NULL }; *f; f++)
      {
        g_autofree char *name = g_strdup_printf ("loss-chameleon-shape.%s", *f);
        g_autofree char *path = g_build_filename (g_getenv ("PHILIA_FIGURE_GALLERY"), name, NULL);

        g_assert_true (philia_figure_export (path, 360, 240, 300, draw_curves, &chart, NULL));
      }
  g_assert_cmpuint (ticks, >=, 3);
  g_assert_cmpfloat (lo, >=, 0.9);
  g_assert_cmpfloat (lo, <=, 1.1);
  g_assert_cmpfloat (hi, >=, 1.6);
  g_assert_cmpfloat (hi, <=, 1.8);
}

/* Draws @chart on a white @size × @size image; returns its ARGB32 pixels. */
static guint32 *
curves_pixels (const PhiliaCurvesChart *chart,
               int                      size)
{
  PhiliaRenderStyle style;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cairo_t *cr = cairo_create (surface);
  guint32 *pixels = g_new (guint32, (gsize) size * size);
  int stride = cairo_image_surface_get_stride (surface);

  philia_render_style_init_default (&style);
  style.background = (PhiliaRgba) { 1, 1, 1, 1 };
  philia_curves_chart_draw (cr, size, size, chart, &style);
  cairo_surface_flush (surface);
  for (int y = 0; y < size; y++)
    memcpy (pixels + (gsize) y * size, cairo_image_surface_get_data (surface) + (gsize) y * stride,
            size * 4);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return pixels;
}

static gboolean
near_color (guint32           pixel,
            const PhiliaRgba *c)
{
  return fabs (((pixel >> 16) & 0xff) / 255.0 - c->r) < 0.08
         && fabs (((pixel >> 8) & 0xff) / 255.0 - c->g) < 0.08
         && fabs ((pixel & 0xff) / 255.0 - c->b) < 0.08;
}

/*
 * The legend hides no part of any curve: the chart drawn with its legend
 * and without (no labels) differs nowhere a curve was drawn. The curves are
 * those of an adaptation (losses falling to the bottom right, the corner the
 * Adapt page asks for) and of training (accuracy rising to the top right,
 * the default corner), where the legend used to cover the curve ends.
 */
static void
test_legend_covers_no_curve (void)
{
  enum { N = 60, SIZE = 320 };
  double falling[N], rising[N], flat[N];

  for (guint i = 0; i < N; i++)
    {
      falling[i] = 2.0 * exp (-(double) i / 12.0) + 0.05;
      rising[i] = 1.0 - 0.9 * exp (-(double) i / 10.0);
      flat[i] = 0.5;
    }
  for (guint c = 0; c < 3; c++)
    {
      const double *ys = c == 0 ? falling : c == 1 ? rising : flat;
      PhiliaCurve curves[2] = { { 0 }, { 0 } };
      PhiliaCurvesChart chart = { 0 };
      g_autofree guint32 *with = NULL, *without = NULL;
      guint curve_pixels = 0, differing = 0;
      PhiliaRgba color[2];

      for (guint k = 0; k < 2; k++)
        {
          curves[k].label = k == 0 ? "Mean entropy − entropy of the mean" : "Second curve";
          curves[k].n_points = N;
          curves[k].y = k == 0 ? ys : flat;
          curves[k].color = k;
          philia_palette_get_categorical (k, &color[k]);
        }
      chart.title = "Curves";
      chart.x_label = "Epoch";
      chart.y_label = "Loss";
      chart.y_min = NAN;
      chart.y_max = NAN;
      chart.baseline = NAN;
      chart.legend_bottom = c != 1;
      chart.n_epochs = N;
      chart.n_curves = 2;
      chart.curves = curves;
      with = curves_pixels (&chart, SIZE);
      curves[0].label = curves[1].label = NULL;
      without = curves_pixels (&chart, SIZE);
      for (guint p = 0; p < SIZE * SIZE; p++)
        if (near_color (without[p], &color[0]) || near_color (without[p], &color[1]))
          {
            curve_pixels++;
            differing += with[p] != without[p];
          }
      g_assert_cmpuint (curve_pixels, >, 150);
      g_assert_cmpuint (differing, ==, 0);
      /* A legend was drawn, somewhere. */
      differing = 0;
      for (guint p = 0; p < SIZE * SIZE; p++)
        differing += with[p] != without[p];
      g_assert_cmpuint (differing, >, 100);
    }
}

/* Where the legend goes on a crowded drawing, where every corner covers
 * nodes: the corner that covers fewest (the first of them, top left, top
 * right, bottom left, bottom right), and how many, against a count of
 * every node's box against each corner's, with one radius, radii by
 * degree, and the pair's two nodes drawn larger. */
static void
test_legend_fewest_covered (void)
{
  const guint n = 20000;
  const double width = 600, height = 450;
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (21);
  g_autofree double *xy = g_new (double, 2 * n);
  g_autofree gint64 *labels = g_new (gint64, n);
  const guint pair[2] = { 0, 1 };
  GraphFigure figure = { 0 };
  guint pair_free = 0;

  for (guint v = 0; v < n; v++)
    {
      /* Crowding towards the right, some nodes beyond the drawing. */
      double u = g_rand_double (rand);

      xy[2 * v] = sqrt (u) * 1.1 * width - 0.05 * width;
      xy[2 * v + 1] = g_rand_double_range (rand, -0.05 * height, 1.05 * height);
      labels[v] = v % 3;
    }
  for (guint k = 0; k < 3 * n; k++)
    philia_graph_builder_add_edge (builder, g_rand_int_range (rand, 0, n),
                                   g_rand_int_range (rand, 0, n));
  philia_graph_builder_take_labels (builder, g_steal_pointer (&labels));
  graph = philia_graph_builder_build (builder, NULL);
  philia_render_style_init_default (&figure.style);
  /* The pair 8 px above the bottom left corner's box: only drawn larger
   * (9 px at least) do they meet it. */
  {
    PhiliaBox box;

    figure.view = (PhiliaGraphView) { .graph = graph, .positions = xy, .scale = 1,
                                      .color_by = PHILIA_COLOR_BY_LABEL, .show_legend = TRUE,
                                      .edge_style = PHILIA_EDGES_HOMOPHILY };
    g_assert_true (philia_graph_view_get_legend_box (&figure.view, &figure.style, width, height,
                                                     &box, NULL));
    xy[0] = box.width / 2, xy[1] = height - box.height - figure.style.font_size * 0.5 - 8.5;
    xy[2] = box.width / 2 + 12, xy[3] = xy[1];
  }
  for (int by_degree = 0; by_degree < 2; by_degree++)
    for (int with_pair = 0; with_pair < 2; with_pair++)
      {
        PhiliaGraphView *view = &figure.view;
        double inset = figure.style.font_size * 0.5;
        guint covered = 0, counts[4] = { 0 }, best = 0;
        PhiliaBox legend, corners[4];

        *view = (PhiliaGraphView) {
          .graph = graph, .positions = xy, .color_by = PHILIA_COLOR_BY_LABEL,
          .edge_style = PHILIA_EDGES_HOMOPHILY, .show_legend = TRUE,
          .size_by_degree = by_degree, .pair = with_pair ? pair : NULL,
          .scale = 1, .offset_x = 0.25, .offset_y = 0.5,
        };
        g_assert_true (philia_graph_view_get_legend_box (view, &figure.style, width, height,
                                                         &legend, &covered));
        for (int c = 0; c < 4; c++)
          corners[c] = (PhiliaBox) {
            c % 2 == 0 ? inset : width - legend.width - inset,
            c < 2 ? inset : height - legend.height - inset, legend.width, legend.height,
          };
        for (guint v = 0; v < n; v++)
          {
            double r = philia_graph_view_get_node_radius (view, width, height, v);
            double x = xy[2 * v] + view->offset_x, y = xy[2 * v + 1] + view->offset_y;
            PhiliaBox node;

            if (with_pair && v < 2)
              r = MAX (r * 1.8, 6.0) + 3;
            node = (PhiliaBox) { x - r, y - r, 2 * r, 2 * r };
            if (x + r < 0 || y + r < 0 || x - r > width || y - r > height)
              continue;
            for (int c = 0; c < 4; c++)
              counts[c] += boxes_meet (&node, &corners[c]);
          }
        for (int c = 1; c < 4; c++)
          if (counts[c] < counts[best])
            best = c;
        g_test_message ("by degree %d, pair %d: %u %u %u %u", by_degree, with_pair, counts[0],
                        counts[1], counts[2], counts[3]);
        g_assert_cmpuint (counts[best], >, 0);
        g_assert_cmpuint (covered, ==, counts[best]);
        /* The pair counts in the bottom left corner's box (then as few as
         * the top left's: the first of them wins). */
        if (with_pair)
          g_assert_cmpuint (counts[2], ==, pair_free + 2);
        else
          pair_free = counts[2];
        g_assert_cmpfloat (legend.x, ==, corners[best].x);
        g_assert_cmpfloat (legend.y, ==, corners[best].y);
      }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/Philia/RenderFigures/pixel-sizes", test_pixel_sizes);
  g_test_add_func ("/Philia/RenderFigures/legend-covers-no-node", test_legend_covers_no_node);
  g_test_add_func ("/Philia/RenderFigures/legend-small-graphs", test_legend_small_graphs);
  g_test_add_func ("/Philia/RenderFigures/labels-apart", test_labels_apart);
  g_test_add_func ("/Philia/RenderFigures/labels-all-fit", test_labels_all_fit);
  g_test_add_func ("/Philia/RenderFigures/class-names-whole", test_class_names_whole);
  g_test_add_func ("/Philia/RenderFigures/linkpred-names-and-colours",
                   test_linkpred_names_and_colours);
  g_test_add_func ("/Philia/RenderFigures/loss-axis-fits", test_loss_axis_fits);
  g_test_add_func ("/Philia/RenderFigures/legend-covers-no-curve", test_legend_covers_no_curve);
  g_test_add_func ("/Philia/RenderFigures/legend-fewest-covered", test_legend_fewest_covered);

  return g_test_run ();
}
