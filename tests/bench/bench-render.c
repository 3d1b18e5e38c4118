/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-render [PNG_DIR|-] [ONLY]: philia_graph_view_draw() onto a 1280×800 ARGB32
 * image surface, which is what the canvas draws into under GTK's Cairo
 * renderer. PubMed with its Fruchterman–Reingold layout, and a generated
 * graph of 100,000 nodes and 10^6 edges on two layouts: Fruchterman–Reingold
 * (about 10 s to compute) and "circle" (every edge a long chord: the worst
 * case for the rasteriser).
 *
 * Per graph: the first complete frame (fit to the window), frames at 2× and
 * 8× zoom on the centre (most edges culled) and panned frames; median and
 * maximum of 5 frames each. With PNG_DIR, each kind of frame is saved there to
 * check by eye that a faster path still looks the same; with ONLY, just the
 * graphs whose name contains it.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "philia-core.h"
#include "philia-render.h"

#define WIDTH  1280
#define HEIGHT 800
#define FRAMES 5

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* Zooms by @factor about the window centre, then pans by (dx, dy) pixels. */
static void
zoom_view (PhiliaGraphView *view,
           double           factor,
           double           dx,
           double           dy)
{
  view->offset_x = WIDTH / 2.0 + (view->offset_x - WIDTH / 2.0) * factor + dx;
  view->offset_y = HEIGHT / 2.0 + (view->offset_y - HEIGHT / 2.0) * factor + dy;
  view->scale *= factor;
}

static void
bench_frames (const char            *graph_name,
              const char            *kind,
              const PhiliaGraphView *fitted,
              double                 factor,
              double                 pan_step,
              const char            *png_dir)
{
  const PhiliaRenderStyle *style = NULL;
  PhiliaRenderStyle default_style;
  double ms[FRAMES];
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);

  philia_render_style_init_default (&default_style);
  style = &default_style;
  for (int f = 0; f < FRAMES; f++)
    {
      PhiliaGraphView view = *fitted;
      cairo_t *cr = cairo_create (surface);
      gint64 start;

      /* Panning moves the view a little further each frame, as a drag does. */
      zoom_view (&view, factor, pan_step * f, pan_step * 0.6 * f);
      start = g_get_monotonic_time ();
      philia_graph_view_draw (cr, WIDTH, HEIGHT, &view, style);
      cairo_surface_flush (surface);
      ms[f] = (g_get_monotonic_time () - start) / 1000.0;
      cairo_destroy (cr);
    }
  if (png_dir != NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s-%s.png", graph_name, kind);
      g_autofree char *path = g_build_filename (png_dir, name, NULL);

      cairo_surface_write_to_png (surface, path);
    }
  cairo_surface_destroy (surface);

  qsort (ms, FRAMES, sizeof (double), compare_doubles);
  printf ("%-17s %-10s median %8.1f ms  max %8.1f ms  (%5.1f frames/s)\n", graph_name, kind,
          ms[FRAMES / 2], ms[FRAMES - 1], 1000.0 / ms[FRAMES / 2]);
  fflush (stdout);
}

static const char *only;

static void
bench_graph (const char      *name,
             PhiliaGraph     *graph,
             const double    *positions,
             const char      *png_dir)
{
  PhiliaGraphView view = {
    .graph = graph,
    .positions = positions,
    .color_by = PHILIA_COLOR_BY_LABEL,
    .edge_style = PHILIA_EDGES_HOMOPHILY,
    .show_labels = TRUE,
    .show_legend = TRUE,
  };

  if (only != NULL && strstr (name, only) == NULL)
    return;
  philia_graph_view_fit (&view, WIDTH, HEIGHT, MIN (WIDTH, HEIGHT) * 0.04);
  bench_frames (name, "fit", &view, 1, 0, png_dir);
  bench_frames (name, "pan", &view, 1, 40, png_dir);
  bench_frames (name, "zoom-2x", &view, 2, 0, png_dir);
  bench_frames (name, "pan-2x", &view, 2, 40, png_dir);
  bench_frames (name, "zoom-8x", &view, 8, 0, png_dir);
  bench_frames (name, "zoom-64x", &view, 64, 0, png_dir);
}

int
main (int    argc,
      char **argv)
{
  const char *dir = g_getenv ("PHILIA_SHARED_DATASETS");
  const char *png_dir = argc > 1 && !g_str_equal (argv[1], "-") ? argv[1] : NULL;
  PhiliaCsbmParams params;
  g_autoptr(PhiliaGraph) generated = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *fr = NULL;
  g_autofree double *circle = NULL;

  philia_core_init ();
  only = argc > 2 ? argv[2] : NULL;

  if (dir != NULL)
    {
      g_autofree char *path = g_build_filename (dir, "pubmed.npz", NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(PhiliaGraph) pubmed = philia_graph_load (file, NULL, NULL, NULL, &error);
      g_autofree double *pubmed_fr = NULL;

      if (pubmed != NULL)
        pubmed_fr = philia_layout_compute (pubmed, "fr", 42, NULL, NULL, &error);
      if (pubmed_fr == NULL)
        {
          fprintf (stderr, "bench-render: %s\n", error->message);
          return 1;
        }
      bench_graph ("pubmed-fr", pubmed, pubmed_fr, png_dir);
    }
  else
    printf ("PHILIA_SHARED_DATASETS is not set: PubMed skipped.\n");

  philia_csbm_params_init_default (&params);
  params.n_nodes = 100000;
  params.degree = 20;
  params.n_classes = 5;
  params.homophily = 0.7;
  params.n_features = 0;
  params.n_splits = 0;
  params.seed = 1;
  generated = philia_csbm_generate (&params, NULL, &error);
  if (generated == NULL)
    {
      fprintf (stderr, "bench-render: %s\n", error->message);
      return 1;
    }
  fr = philia_layout_compute (generated, "fr", 42, NULL, NULL, &error);
  if (fr != NULL)
    circle = philia_layout_compute (generated, "circle", 42, NULL, NULL, &error);
  if (circle == NULL)
    {
      fprintf (stderr, "bench-render: %s\n", error->message);
      return 1;
    }
  bench_graph ("generated-fr", generated, fr, png_dir);
  bench_graph ("generated-circle", generated, circle, png_dir);
  return 0;
}
