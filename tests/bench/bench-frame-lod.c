/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-frame-lod GRAPH.npz [WIDTH HEIGHT]: what one full frame of the
 * canvas costs on a large graph (issue 20), drawn as the canvas's worker
 * draws it: philia_graph_view_draw_sampled() onto an ARGB32 image with the
 * canvas's budget (one edge per pixel), against philia_graph_view_draw()
 * (every edge: what an export draws), and with the edges hidden (the nodes'
 * share). The layout is the progressive layout's fast placement. Each view
 * says how many nodes cover each covered pixel and so whether its nodes are
 * a density raster (1.5 or more) or discs; the zoomed-in views (8× on the
 * middle) time the discs at the same size.
 *
 * bench_pan() times a pan of the canvas fit (see there). Other
 * times are wall and CPU time of this thread (the machine may be shared:
 * quote the load average), median of 3 frames; PNGs of the sampled and full
 * frames go to $PHILIA_BENCH_PNG_DIR when it is set, to compare by eye,
 * with an SVG and a PDF of the views without edges (what an export of the
 * same view and size draws), to rasterise and compare with the PNG.
 *
 * $PHILIA_BENCH_ONLY names the one view to time (a profiler's run), and
 * $PHILIA_BENCH_POSITIONS a file that keeps the placement between runs
 * (written when missing or of another size, read otherwise). With
 * $PHILIA_BENCH_CHECK set, each pan frame is also drawn without a scratch
 * (as an export draws it, filling its density grid afresh) and compared
 * byte for byte with the pan's frame, outside the timing.
 *
 *   build/tests/bench/bench-frame-lod /tmp/g1e6.npz 769 610
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "philia-core.h"
#include "philia-render.h"
#include "philia-graph-view-private.h"

#define FRAMES 3

static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static void
bench (const char            *name,
       const PhiliaGraphView *view,
       int                    width,
       int                    height,
       guint64                max_edges)
{
  double wall[FRAMES], cpu[FRAMES];
  const char *dir = g_getenv ("PHILIA_BENCH_PNG_DIR");
  const char *only = g_getenv ("PHILIA_BENCH_ONLY");
  PhiliaRenderStyle style;

  if (only != NULL && g_strcmp0 (only, name) != 0)
    return;
  philia_render_style_init_default (&style);
  for (int f = 0; f < FRAMES; f++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      cairo_t *cr = cairo_create (surface);
      double t0 = g_get_monotonic_time () / 1e6, c0 = cpu_now ();

      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      philia_graph_view_draw_sampled (cr, width, height, view, &style, max_edges);
      cairo_surface_flush (surface);
      wall[f] = g_get_monotonic_time () / 1e6 - t0;
      cpu[f] = cpu_now () - c0;
      if (f == 0 && dir != NULL)
        {
          g_autofree char *base = g_strdup_printf ("frame-%s.png", name);
          g_autofree char *path = g_build_filename (dir, base, NULL);

          cairo_surface_write_to_png (surface, path);
        }
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  {
    double overdraw;
    gboolean dense = _philia_graph_view_node_overdraw (
      view, width, height, philia_graph_view_get_node_radius (view, width, height, 0), &overdraw);

    printf ("%-16s nodes: %s (%.2f nodes over each covered pixel)\n", name,
            dense ? "density raster" : "discs", overdraw);
  }
  if (dir != NULL && view->edge_style == PHILIA_EDGES_HIDDEN)
    for (int vector = 0; vector < 2; vector++)
      {
        g_autofree char *base = g_strdup_printf ("frame-%s.%s", name, vector ? "pdf" : "svg");
        g_autofree char *path = g_build_filename (dir, base, NULL);
        cairo_surface_t *surface = vector ? cairo_pdf_surface_create (path, width, height)
                                          : cairo_svg_surface_create (path, width, height);
        cairo_t *cr = cairo_create (surface);

        cairo_set_source_rgb (cr, 1, 1, 1);
        cairo_paint (cr);
        philia_graph_view_draw (cr, width, height, view, &style);
        cairo_destroy (cr);
        cairo_surface_destroy (surface);
      }
  qsort (wall, FRAMES, sizeof (double), compare_doubles);
  qsort (cpu, FRAMES, sizeof (double), compare_doubles);
  printf ("%-16s budget %10" G_GUINT64_FORMAT "  wall %7.0f ms (max %7.0f)  cpu %7.0f ms\n", name,
          max_edges, wall[FRAMES / 2] * 1e3, wall[FRAMES - 1] * 1e3, cpu[FRAMES / 2] * 1e3);
}

/*
 * A pan as the canvas draws it: PAN_FRAMES full frames, each of the view
 * moved by a few pixels, each a job's work (philia-canvas-frame.c): the
 * positions copied, the budget by count and length (which a pan keeps: the
 * scratch remembers it), the sampled frame into a new image. With @reuse,
 * the job's copy goes into one buffer and the render takes its arrays from
 * a scratch (which keeps the density grid and the edge masks), as the
 * canvas does now; without, each frame allocates its own, as before. Prints the median CPU and wall
 * time of a frame after the first, and the minor page faults a frame
 * takes: fresh pages, that is memory allocated and touched for that frame.
 */
#define PAN_FRAMES 13

static void
bench_pan (const char            *name,
           const PhiliaGraphView *fitted,
           int                    width,
           int                    height,
           gboolean               reuse)
{
  const char *only = g_getenv ("PHILIA_BENCH_ONLY");
  guint n = philia_graph_get_n_nodes (fitted->graph);
  g_autoptr(PhiliaFrameScratch) scratch = reuse ? philia_frame_scratch_new () : NULL;
  g_autofree double *copy = reuse ? g_new (double, 2 * (gsize) n) : NULL;
  double wall[PAN_FRAMES], cpu[PAN_FRAMES], faults[PAN_FRAMES];
  guint64 allocations = 0, budget = 0;
  gboolean check = g_getenv ("PHILIA_BENCH_CHECK") != NULL;
  guint same = 0;
  PhiliaRenderStyle style;

  if (only != NULL && g_strcmp0 (only, name) != 0)
    return;
  philia_render_style_init_default (&style);
  for (int f = 0; f < PAN_FRAMES; f++)
    {
      PhiliaGraphView view = *fitted;
      double t0 = g_get_monotonic_time () / 1e6, c0 = cpu_now ();
      struct rusage r0, r1;
      cairo_surface_t *surface;
      cairo_t *cr;
      double *positions;
      guint8 *drawn;

      getrusage (RUSAGE_SELF, &r0);
      if (reuse)
        positions = memcpy (copy, fitted->positions, 2 * (gsize) n * sizeof (double));
      else
        positions = g_memdup2 (fitted->positions, 2 * (gsize) n * sizeof (double));
      view.positions = positions;
      view.scratch = scratch;
      view.offset_x += 13 * f;
      view.offset_y += 7 * f;
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      cr = cairo_create (surface);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      budget = philia_graph_view_edge_budget (&view, width, height, 32,
                                              (guint64) width * height);
      philia_graph_view_draw_sampled (cr, width, height, &view, &style, budget);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      /* Timed only without the check: kept for it otherwise. */
      drawn = check ? g_memdup2 (cairo_image_surface_get_data (surface),
                                 (gsize) cairo_image_surface_get_stride (surface) * height) : NULL;
      cairo_surface_destroy (surface);
      if (!reuse)
        g_free (positions);
      getrusage (RUSAGE_SELF, &r1);
      wall[f] = g_get_monotonic_time () / 1e6 - t0;
      cpu[f] = cpu_now () - c0;
      if (check)
        {
          cairo_surface_t *fresh = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);

          cr = cairo_create (fresh);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_paint (cr);
          view.positions = fitted->positions;
          view.scratch = NULL;
          philia_graph_view_draw_sampled (cr, width, height, &view, &style, budget);
          cairo_destroy (cr);
          cairo_surface_flush (fresh);
          same += memcmp (cairo_image_surface_get_data (fresh), drawn,
                          (gsize) cairo_image_surface_get_stride (fresh) * height) == 0;
          cairo_surface_destroy (fresh);
          g_free (drawn);
        }
      faults[f] = (double) (r1.ru_minflt - r0.ru_minflt);
      if (f == 0 && scratch != NULL)
        allocations = philia_frame_scratch_get_allocations (scratch);
    }
  if (scratch != NULL)
    allocations = philia_frame_scratch_get_allocations (scratch) - allocations;
  /* The first frame fills the scratch: the others are the pan (median,
   * and the least CPU time, which a loaded machine inflates least). */
  qsort (wall + 1, PAN_FRAMES - 1, sizeof (double), compare_doubles);
  qsort (cpu + 1, PAN_FRAMES - 1, sizeof (double), compare_doubles);
  qsort (faults + 1, PAN_FRAMES - 1, sizeof (double), compare_doubles);
  printf ("%-16s budget %7" G_GUINT64_FORMAT "  wall %6.0f ms (first %5.0f)  cpu %5.0f ms"
          " (min %4.0f, first %4.0f)  page faults %6.0f a frame (first %6.0f)",
          name, budget, wall[PAN_FRAMES / 2] * 1e3, wall[0] * 1e3, cpu[PAN_FRAMES / 2] * 1e3,
          cpu[1] * 1e3, cpu[0] * 1e3, faults[PAN_FRAMES / 2], faults[0]);
  if (scratch != NULL)
    printf ("  allocations after the first: %" G_GUINT64_FORMAT, allocations);
  if (scratch != NULL)
    printf ("  density fills: %" G_GUINT64_FORMAT "  edge fills: %" G_GUINT64_FORMAT,
            scratch->density_fills, scratch->edges_fills);
  if (check)
    printf ("  same as a fresh draw: %u of %d", same, PAN_FRAMES);
  printf ("\n");
}

/* The fast placement, or the one $PHILIA_BENCH_POSITIONS kept of this graph's size. */
static double *
placement (PhiliaGraph *graph)
{
  gsize size = 2 * (gsize) MAX (philia_graph_get_n_nodes (graph), 1) * sizeof (double);
  const char *path = g_getenv ("PHILIA_BENCH_POSITIONS");
  g_autofree char *kept = NULL;
  gsize length = 0;
  double *xy;

  if (path != NULL && g_file_get_contents (path, &kept, &length, NULL) && length == size)
    return g_memdup2 (kept, size);
  xy = g_malloc (size);
  philia_layout_fast_place (graph, 42, xy);
  if (path != NULL && !g_file_set_contents (path, (const char *) xy, size, NULL))
    fprintf (stderr, "could not keep the placement in %s\n", path);
  return xy;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autofree double *xy = NULL;
  PhiliaGraphView view = { 0 };
  int width = argc > 3 ? atoi (argv[2]) : 1280, height = argc > 3 ? atoi (argv[3]) : 800;
  guint64 budget = (guint64) width * height;
  double t0;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s GRAPH.npz [WIDTH HEIGHT]\n", argv[0]);
      return 2;
    }
  philia_core_init ();
  file = g_file_new_for_commandline_arg (argv[1]);
  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  if (graph == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  t0 = g_get_monotonic_time () / 1e6;
  xy = placement (graph);
  printf ("%s: %u nodes, %" G_GINT64_FORMAT " edges, %d × %d; placement %.1f s\n", argv[1],
          philia_graph_get_n_nodes (graph), philia_graph_get_n_edges (graph), width, height,
          g_get_monotonic_time () / 1e6 - t0);

  view = (PhiliaGraphView) {
    .graph = graph, .positions = xy, .color_by = PHILIA_COLOR_BY_LABEL,
    .edge_style = PHILIA_EDGES_HOMOPHILY, .show_legend = TRUE,
  };
  /* The canvas's fit, and a pan of it: what issue 20 asks to be interactive. */
  philia_graph_view_fit_robust (&view, width, height, 24);
  bench_pan ("pan-fresh", &view, width, height, FALSE);
  bench_pan ("pan-reuse", &view, width, height, TRUE);

  philia_graph_view_fit (&view, width, height, 24);
  bench ("sampled", &view, width, height, budget);
  /* What the canvas draws now: also at most 32 lines over each pixel
   * (CROSSINGS_PER_PIXEL in src/app/philia-canvas-frame.c). */
  bench ("sampled-length", &view, width, height,
         philia_graph_view_edge_budget (&view, width, height, 32, budget));
  bench ("sampled-quarter", &view, width, height, budget / 4);
  bench ("full", &view, width, height, 0);
  view.edge_style = PHILIA_EDGES_HIDDEN;
  bench ("nodes-only", &view, width, height, 0);

  /* 8× on the middle: the nodes spread out and are discs again. */
  view.edge_style = PHILIA_EDGES_HOMOPHILY;
  view.offset_x = width / 2.0 - (width / 2.0 - view.offset_x) * 8;
  view.offset_y = height / 2.0 - (height / 2.0 - view.offset_y) * 8;
  view.scale *= 8;
  bench ("zoom8-sampled", &view, width, height, budget);
  bench ("zoom8-length", &view, width, height,
         philia_graph_view_edge_budget (&view, width, height, 32, budget * 64));
  view.edge_style = PHILIA_EDGES_HIDDEN;
  bench ("zoom8-nodes-only", &view, width, height, 0);
  return 0;
}
