/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-render.h"
#include "philia-graph-view-private.h"

/*
 * Nodes as a density raster when they crowd (philia-graph-density.c): a
 * blob of two classes mixed in one square, one node in four of class 1,
 * drawn zoomed out (four nodes per pixel) shows both classes in proportion
 * to their nodes, not the class drawn last; zoomed in, discs come back; the
 * vector path (exports to SVG and PDF) and a HiDPI image show the same cells.
 */

#define SIZE    200
#define N_BLOB  40000
#define PROBE_X 100.03125   /* lands on pixel (100, 100)'s centre at ZOOM */
#define ZOOM    16.0

typedef struct
{
  PhiliaGraph *graph;
  double      *xy;
  guint        n;
  guint        lone;      /* a node of class 1 alone at (10.5, 10.5) */
  guint        probe;     /* a node of class 1 with no other within 0.3 */
} Blob;

/* @n_blob nodes uniform in [50, 150]², class 1 for every fourth; then the
 * lone node and the probe. */
static void
blob_init (Blob *blob,
           guint n_blob)
{
  g_autoptr(PhiliaGraphBuilder) builder = NULL;
  g_autoptr(GRand) rng = g_rand_new_with_seed (20);
  gint64 *labels;

  blob->n = n_blob + 2;
  blob->xy = g_new (double, 2 * blob->n);
  labels = g_new (gint64, blob->n);
  for (guint v = 0; v < n_blob; v++)
    {
      double x, y;

      do
        {
          x = g_rand_double_range (rng, 50, 150);
          y = g_rand_double_range (rng, 50, 150);
        }
      while (fabs (x - PROBE_X) < 0.3 && fabs (y - PROBE_X) < 0.3);
      blob->xy[2 * v] = x, blob->xy[2 * v + 1] = y;
      labels[v] = v % 4 == 3;
    }
  blob->lone = n_blob, blob->probe = n_blob + 1;
  blob->xy[2 * blob->lone] = blob->xy[2 * blob->lone + 1] = 10.5;
  blob->xy[2 * blob->probe] = blob->xy[2 * blob->probe + 1] = PROBE_X;
  labels[blob->lone] = labels[blob->probe] = 1;
  builder = philia_graph_builder_new (blob->n);
  philia_graph_builder_take_labels (builder, labels);
  blob->graph = philia_graph_builder_build (builder, NULL);
  g_assert_nonnull (blob->graph);
}

static void
blob_clear (Blob *blob)
{
  g_clear_object (&blob->graph);
  g_clear_pointer (&blob->xy, g_free);
}

static void
init_view (PhiliaGraphView *view,
           const Blob      *blob,
           double           zoom)
{
  *view = (PhiliaGraphView) {
    .graph = blob->graph, .positions = blob->xy, .color_by = PHILIA_COLOR_BY_LABEL,
    .edge_style = PHILIA_EDGES_HIDDEN,
    /* Layout (100, 100) stays at the middle of the drawing. */
    .scale = zoom, .offset_x = 100 - 100 * zoom, .offset_y = 100 - 100 * zoom,
  };
}

/* White paper and the view, through an image at @device_scale or (@vector)
 * through a recording surface replayed onto the image, as SVG and PDF are. */
static cairo_surface_t *
draw (const PhiliaGraphView *view,
      int                    device_scale,
      gboolean               vector)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, SIZE * device_scale,
                                                         SIZE * device_scale);
  cairo_surface_t *target;
  PhiliaRenderStyle style;
  cairo_t *cr;

  cairo_surface_set_device_scale (surface, device_scale, device_scale);
  target = vector ? cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL)
                  : cairo_surface_reference (surface);
  cr = cairo_create (target);
  philia_render_style_init_default (&style);
  style.background = (PhiliaRgba) { 1, 1, 1, 1 };
  philia_graph_view_draw (cr, SIZE, SIZE, view, &style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  if (vector)
    {
      cr = cairo_create (surface);
      cairo_set_source_surface (cr, target, 0, 0);
      cairo_paint (cr);
      cairo_destroy (cr);
    }
  cairo_surface_destroy (target);
  cairo_surface_flush (surface);
  return surface;
}

static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(const guint32 *)(data + (gsize)y * stride + (gsize)x * 4) & 0xffffff;
}

/* @color at opacity @a over white, as 0xRRGGBB. */
static guint32
over_white (const PhiliaRgba *color,
            double            a)
{
  double ch[3] = { color->r, color->g, color->b };
  guint32 out = 0;

  for (int i = 0; i < 3; i++)
    out = out << 8 | (guint32)((ch[i] * a + (1 - a)) * 255 + 0.5);
  return out;
}

static gboolean
close_to (guint32 a,
          guint32 b,
          int     tolerance)
{
  for (int shift = 0; shift < 24; shift += 8)
    if (ABS ((int)((a >> shift) & 0xff) - (int)((b >> shift) & 0xff)) > tolerance)
      return FALSE;
  return TRUE;
}

/* Which class colour @p is (over white at some opacity): the one whose line
 * from white passes nearer, or -1 for white. */
static int
classify (guint32           p,
          const PhiliaRgba  colors[2])
{
  double px[3] = { (p >> 16 & 0xff) / 255.0, (p >> 8 & 0xff) / 255.0, (p & 0xff) / 255.0 };
  double best = G_MAXDOUBLE;
  int which = -1;

  if (p == 0xffffff)
    return -1;
  for (int k = 0; k < 2; k++)
    {
      double d[3] = { colors[k].r - 1, colors[k].g - 1, colors[k].b - 1 };
      double w[3] = { px[0] - 1, px[1] - 1, px[2] - 1 };
      double a = (w[0] * d[0] + w[1] * d[1] + w[2] * d[2])
                 / (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
      double r2 = 0;

      for (int i = 0; i < 3; i++)
        r2 += (w[i] - a * d[i]) * (w[i] - a * d[i]);
      if (r2 < best)
        best = r2, which = k;
    }
  return which;
}

static void
test_density_in_proportion (void)
{
  Blob blob;
  PhiliaGraphView view;
  PhiliaRgba colors[2];
  cairo_surface_t *image;
  guint counts[2] = { 0, 0 };
  double overdraw, share;
  double base;

  blob_init (&blob, N_BLOB);
  init_view (&view, &blob, 1);
  philia_palette_get_categorical (0, &colors[0]);
  philia_palette_get_categorical (1, &colors[1]);
  base = philia_graph_view_get_node_radius (&view, SIZE, SIZE, 0);
  g_assert_cmpfloat (base, ==, 0.8);

  /* Four nodes a unit², each over about two cells: crowded. */
  g_assert_true (_philia_graph_view_node_overdraw (&view, SIZE, SIZE, base, &overdraw));
  g_assert_cmpfloat (overdraw, >, 4);

  image = draw (&view, 1, FALSE);
  for (int y = 55; y < 145; y++)
    for (int x = 55; x < 145; x++)
      {
        int k = classify (pixel (image, x, y), colors);

        if (k >= 0)
          counts[k]++;
      }
  /* A cell is left empty with probability about e^-8 (Poisson, eight covers
   * on average): a few of the 8,100. */
  g_assert_cmpuint (counts[0] + counts[1], >, 8100 - 20);
  /* One node in four is of class 1 everywhere, so about a quarter of the
   * cells show it (8,100 cells: one standard deviation is 0.005). Discs
   * would show class 1, drawn last, on most of them. */
  share = (double)counts[1] / (counts[0] + counts[1]);
  g_test_message ("class 1 on %u of %u cells (%.3f); overdraw %.2f", counts[1],
                  counts[0] + counts[1], share, overdraw);
  g_assert_cmpfloat (fabs (share - 0.25), <, 0.02);

  /* A lone node: one cell at the opacity of one node. */
  g_assert_true (close_to (pixel (image, 10, 10), over_white (&colors[1], 0.6), 1));
  g_assert_cmphex (pixel (image, 11, 10), ==, 0xffffff);
  g_assert_cmphex (pixel (image, 9, 10), ==, 0xffffff);
  /* Outside the blob, the paper. */
  g_assert_cmphex (pixel (image, 180, 180), ==, 0xffffff);
  cairo_surface_destroy (image);
  blob_clear (&blob);
}

static void
test_discs_when_zoomed_in (void)
{
  Blob blob;
  PhiliaGraphView view;
  PhiliaRgba color;
  cairo_surface_t *image;
  double overdraw, base;

  blob_init (&blob, N_BLOB);
  philia_palette_get_categorical (1, &color);

  /* Zoomed out the probe is one translucent cell among crowded ones... */
  init_view (&view, &blob, 1);
  base = philia_graph_view_get_node_radius (&view, SIZE, SIZE, 0);
  g_assert_true (_philia_graph_view_node_overdraw (&view, SIZE, SIZE, base, &overdraw));

  /* ...zoomed in, 256 pixels a unit² hold four nodes: they hardly meet, and
   * the probe is an opaque square over the pixel it is centred on. */
  init_view (&view, &blob, ZOOM);
  g_assert_false (_philia_graph_view_node_overdraw (&view, SIZE, SIZE, base, &overdraw));
  g_assert_cmpfloat (overdraw, >=, 1);
  g_assert_cmpfloat (overdraw, <, 1.2);
  image = draw (&view, 1, FALSE);
  g_assert_true (close_to (pixel (image, 100, 100), over_white (&color, 1), 1));
  cairo_surface_destroy (image);

  /* Where the rule changes: between the two zooms. */
  for (double zoom = 1; zoom <= ZOOM; zoom *= 2)
    {
      gboolean dense;

      init_view (&view, &blob, zoom);
      dense = _philia_graph_view_node_overdraw (&view, SIZE, SIZE, base, &overdraw);
      g_test_message ("zoom %g: overdraw %.2f, %s", zoom, overdraw, dense ? "density" : "discs");
      g_assert_cmpint (dense, ==, overdraw >= 1.5);
    }
  blob_clear (&blob);
}

/* Files and HiDPI screens show the cells the screen shows at the same size. */
static void
test_density_same_everywhere (void)
{
  Blob blob;
  PhiliaGraphView view;
  cairo_surface_t *image, *vector, *hidpi;
  guint differ = 0;

  blob_init (&blob, N_BLOB);
  init_view (&view, &blob, 1);
  image = draw (&view, 1, FALSE);
  vector = draw (&view, 1, TRUE);
  hidpi = draw (&view, 2, FALSE);
  for (int y = 0; y < SIZE; y++)
    for (int x = 0; x < SIZE; x++)
      {
        guint32 p = pixel (image, x, y);

        differ += !close_to (p, pixel (vector, x, y), 1);
        for (int d = 0; d < 4; d++)
          differ += !close_to (p, pixel (hidpi, 2 * x + d % 2, 2 * y + d / 2), 1);
      }
  g_assert_cmpuint (differ, ==, 0);
  cairo_surface_destroy (image);
  cairo_surface_destroy (vector);
  cairo_surface_destroy (hidpi);
  blob_clear (&blob);
}

/* A single node, nodes out of view, coincident nodes, unlabeled ones. */
static void
test_density_small_cases (void)
{
  Blob blob;
  PhiliaGraphView view;
  double overdraw, base = 0.8;
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (100);
  g_autoptr(PhiliaGraph) stack = NULL;
  g_autofree double *xy = g_new (double, 200);

  blob_init (&blob, 0);
  init_view (&view, &blob, 1);
  g_assert_false (_philia_graph_view_node_overdraw (&view, SIZE, SIZE, base, &overdraw));
  g_assert_cmpfloat (overdraw, ==, 1);
  /* Panned away from every node: nothing covered. */
  view.offset_x = 1000;
  g_assert_false (_philia_graph_view_node_overdraw (&view, SIZE, SIZE, base, &overdraw));
  g_assert_cmpfloat (overdraw, ==, 0);
  blob_clear (&blob);

  /* 100 unlabeled nodes on one spot. */
  for (guint v = 0; v < 100; v++)
    xy[2 * v] = xy[2 * v + 1] = 50.5;
  stack = philia_graph_builder_build (builder, NULL);
  g_assert_nonnull (stack);
  view = (PhiliaGraphView) {
    .graph = stack, .positions = xy, .color_by = PHILIA_COLOR_BY_LABEL,
    .edge_style = PHILIA_EDGES_HIDDEN, .scale = 1,
  };
  base = philia_graph_view_get_node_radius (&view, SIZE, SIZE, 0);
  /* Crowded, but under DENSITY_MIN_NODES in view: discs. */
  g_assert_false (_philia_graph_view_node_overdraw (&view, SIZE, SIZE, base, &overdraw));
  g_assert_cmpfloat (overdraw, ==, 100);
  g_assert_cmpfloat (fabs (_philia_graph_view_density_alpha (1) - 0.6), <, 1e-12);
  g_assert_cmpfloat (_philia_graph_view_density_alpha (64), ==, 1);
  g_assert_cmpfloat (fabs (_philia_graph_view_density_alpha (8) - 0.8), <, 1e-12);
}

/* Whether @a at (x, y) equals @b at (x + @dx, y + @dy) wherever both lie in
 * the drawing, and how many pixels were compared that are not white. */
static gboolean
same_shifted (cairo_surface_t *a,
              cairo_surface_t *b,
              int              size,
              int              dx,
              int              dy,
              guint           *inked)
{
  *inked = 0;
  for (int y = MAX (0, -dy); y < MIN (size, size - dy); y++)
    for (int x = MAX (0, -dx); x < MIN (size, size - dx); x++)
      {
        if (pixel (a, x, y) != pixel (b, x + dx, y + dy))
          {
            g_test_message ("(%d, %d): %06x, moved by (%d, %d): %06x", x, y, pixel (a, x, y), dx,
                            dy, pixel (b, x + dx, y + dy));
            return FALSE;
          }
        *inked += pixel (a, x, y) != 0xffffff;
      }
  return TRUE;
}

/* The density raster is anchored to the layout: a view moved by whole
 * units draws the same cells moved with it, pixel for pixel (on a HiDPI
 * image too), whatever the offsets' fractions; so a pan may move the last
 * frame's cells instead of filling them again. */
static void
test_density_moves_with_pan (void)
{
  Blob blob;
  PhiliaGraphView view;
  const double fractions[][2] = { { 0, 0 }, { 0.37, 0.81 }, { 0.5, 0.125 } };
  const int moves[][2] = { { 1, 0 }, { 0, 1 }, { 13, 7 }, { -29, 41 } };

  blob_init (&blob, N_BLOB);
  for (guint f = 0; f < G_N_ELEMENTS (fractions); f++)
    for (int device_scale = 1; device_scale <= 2; device_scale++)
      {
        cairo_surface_t *before;
        double overdraw;

        init_view (&view, &blob, 1);
        view.offset_x += fractions[f][0], view.offset_y += fractions[f][1];
        g_assert_true (_philia_graph_view_node_overdraw (&view, SIZE, SIZE, 0.8, &overdraw));
        before = draw (&view, device_scale, FALSE);
        for (guint m = 0; m < G_N_ELEMENTS (moves); m++)
          {
            PhiliaGraphView moved = view;
            cairo_surface_t *after;
            guint inked;

            moved.offset_x += moves[m][0], moved.offset_y += moves[m][1];
            after = draw (&moved, device_scale, FALSE);
            g_assert_true (same_shifted (before, after, SIZE * device_scale,
                                         moves[m][0] * device_scale, moves[m][1] * device_scale,
                                         &inked));
            /* The blob (100 × 100 units) lies in what was compared. */
            g_assert_cmpuint (inked, >, 5000 * device_scale * device_scale);
            cairo_surface_destroy (after);
          }
        cairo_surface_destroy (before);
      }
  blob_clear (&blob);
}

static gboolean
same_images (cairo_surface_t *a,
             cairo_surface_t *b)
{
  for (int y = 0; y < cairo_image_surface_get_height (a); y++)
    for (int x = 0; x < cairo_image_surface_get_width (a); x++)
      if (pixel (a, x, y) != pixel (b, x, y))
        {
          g_test_message ("(%d, %d): %06x against %06x", x, y, pixel (a, x, y), pixel (b, x, y));
          return FALSE;
        }
  return TRUE;
}

/* Frames of a pan drawn with a scratch, which keeps the grid of the last
 * frame, are the frames drawn afresh without one (what exports draw), byte
 * for byte; the kept grid serves pans by whole units within its margin and
 * is filled again when the pan leaves it, the offsets' fractions or the
 * zoom change, a node moves, or the colours change. */
static void
test_density_kept_grid (void)
{
  Blob blob;
  g_autoptr(PhiliaFrameScratch) scratch = philia_frame_scratch_new ();
  g_autofree gint64 *labels = NULL;
  g_autoptr(PhiliaGraph) relabeled = NULL;
  struct
  {
    double dx, dy, zoom;
    int    change;      /* 1: a node moves, 2: other labels */
    gboolean refill;
  } steps[] = {
    { 0, 0, 1, 0, TRUE },            /* the first frame fills */
    { 3, -2, 1, 0, FALSE },          /* a pan by whole units reads the kept grid */
    { 40, 30, 1, 0, FALSE },         /* … up to half the view beyond each side */
    { -60, 90, 1, 0, FALSE },        /* … wherever nodes lie */
    { 0.25, 0, 1, 0, TRUE },         /* another fraction */
    { 0.25, 1, 1, 0, FALSE },
    { 0.25, 1, 1.25, 0, TRUE },      /* another zoom */
    { 0.25, 1, 1.25, 1, TRUE },      /* a node moved */
    { 0.25, 1, 1.25, 2, TRUE },      /* other classes */
    { 0.25, 5, 1.25, 2, FALSE },
    { -105, 5, 1.25, 2, TRUE },      /* out of the kept grid's reach */
  };

  blob_init (&blob, N_BLOB);
  /* The same nodes with other classes (a third of class 1). */
  labels = g_new (gint64, blob.n);
  for (guint v = 0; v < blob.n; v++)
    labels[v] = v % 3 == 0;
  {
    g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (blob.n);

    philia_graph_builder_take_labels (builder, g_steal_pointer (&labels));
    relabeled = philia_graph_builder_build (builder, NULL);
  }
  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      PhiliaGraphView view;
      cairo_surface_t *fresh, *kept;
      guint64 fills = scratch->density_fills;
      double overdraw;

      if (steps[s].change == 1 && steps[s - 1].change != 1)
        blob.xy[0] += 0.5;
      init_view (&view, &blob, steps[s].zoom);
      if (steps[s].change == 2)
        view.graph = relabeled;
      view.offset_x += steps[s].dx, view.offset_y += steps[s].dy;
      g_assert_true (_philia_graph_view_node_overdraw (&view, SIZE, SIZE, 0.8, &overdraw));
      fresh = draw (&view, 1, FALSE);
      view.scratch = scratch;
      kept = draw (&view, 1, FALSE);
      g_test_message ("step %u: fills %" G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT, s, fills,
                      scratch->density_fills);
      g_assert_true (same_images (fresh, kept));
      g_assert_cmpuint (scratch->density_fills, ==, fills + steps[s].refill);
      cairo_surface_destroy (fresh);
      cairo_surface_destroy (kept);
    }
  blob_clear (&blob);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/Philia/RenderDensity/in-proportion", test_density_in_proportion);
  g_test_add_func ("/Philia/RenderDensity/discs-when-zoomed-in", test_discs_when_zoomed_in);
  g_test_add_func ("/Philia/RenderDensity/same-everywhere", test_density_same_everywhere);
  g_test_add_func ("/Philia/RenderDensity/small-cases", test_density_small_cases);
  g_test_add_func ("/Philia/RenderDensity/moves-with-pan", test_density_moves_with_pan);
  g_test_add_func ("/Philia/RenderDensity/kept-grid", test_density_kept_grid);
  return g_test_run ();
}
