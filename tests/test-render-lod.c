/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "philia-core.h"
#include "philia-render.h"
#include "philia-graph-view-private.h"

/*
 * The level of detail of screen frames (philia_graph_view_draw_sampled()):
 * a graph whose edges can be told apart on the image, each a short
 * horizontal segment in a cell of its own, so that counting the inked cell
 * middles counts the edges drawn. A sample draws exactly the budget, spread
 * over every part of the drawing; exports draw every edge.
 */

#define COLS   40
#define ROWS   30
#define CELL   16     /* pixels */
#define WIDTH  (COLS * CELL)
#define HEIGHT (ROWS * CELL)
#define N_EDGES (COLS * ROWS)

/* Edge i joins nodes 2i and 2i + 1, 10 px apart across the middle of cell i
 * (row-major); with @loops, every other node also has a self-loop, which is
 * never drawn and must not use up the budget. */
static PhiliaGraph *
cell_graph (double   *xy,
            gboolean  loops)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (2 * N_EDGES);
  g_autofree gint64 *labels = g_new (gint64, 2 * N_EDGES);
  PhiliaGraph *graph;

  for (guint i = 0; i < N_EDGES; i++)
    {
      double x = (i % COLS) * CELL + 3, y = (i / COLS) * CELL + CELL / 2.0;

      philia_graph_builder_add_edge (builder, 2 * i, 2 * i + 1);
      if (loops)
        philia_graph_builder_add_edge (builder, 2 * i, 2 * i);
      xy[4 * i] = x, xy[4 * i + 1] = y;
      xy[4 * i + 2] = x + 10, xy[4 * i + 3] = y;
      /* Two classes: same-class and cross-class edges alternate. */
      labels[2 * i] = 0;
      labels[2 * i + 1] = i % 2;
    }
  philia_graph_builder_take_labels (builder, g_steal_pointer (&labels));
  graph = philia_graph_builder_build (builder, NULL);
  g_assert_nonnull (graph);
  return graph;
}

static void
init_view (PhiliaGraphView *view,
           PhiliaGraph     *graph,
           const double    *xy,
           PhiliaEdgeStyle  edge_style,
           const double    *edge_values)
{
  *view = (PhiliaGraphView) {
    .graph = graph, .positions = xy, .color_by = PHILIA_COLOR_BY_LABEL,
    .edge_style = edge_style, .edge_values = edge_values, .edge_vmin = 0, .edge_vmax = 1,
    .scale = 1, .offset_x = 0, .offset_y = 0.5,   /* edges along pixel centres */
  };
}

/* White paper, then the view, sampled to @max_edges (0: every edge), on an
 * image (the raster path) or through a recording surface (the vector path). */
static cairo_surface_t *
draw (const PhiliaGraphView *view,
      guint64                max_edges,
      gboolean               vector)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, WIDTH, HEIGHT);
  cairo_surface_t *target = vector ? cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA,
                                                                     NULL)
                                   : cairo_surface_reference (surface);
  cairo_t *cr = cairo_create (target);
  PhiliaRenderStyle style;

  philia_render_style_init_default (&style);
  style.background = (PhiliaRgba) { 1, 1, 1, 1 };
  if (max_edges == 0)
    philia_graph_view_draw (cr, WIDTH, HEIGHT, view, &style);
  else
    philia_graph_view_draw_sampled (cr, WIDTH, HEIGHT, view, &style, max_edges);
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

/* Whether the middle of edge @i's cell (5 px from either node) has ink. */
static gboolean
edge_drawn (cairo_surface_t *surface,
            guint            i)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  int x = (i % COLS) * CELL + 8, y = (i / COLS) * CELL + CELL / 2;
  gboolean inked = FALSE;

  for (int dy = -1; dy <= 1; dy++)
    inked |= (*(const guint32 *)(data + (y + dy) * stride + x * 4) & 0xffffff) != 0xffffff;
  return inked;
}

/* How many edges @surface shows, and how many in each of the 4 × 3 blocks
 * of 10 × 10 cells. */
static guint
count_edges (cairo_surface_t *surface,
             guint            blocks[12])
{
  guint count = 0;

  memset (blocks, 0, sizeof (guint) * 12);
  for (guint i = 0; i < N_EDGES; i++)
    if (edge_drawn (surface, i))
      {
        count++;
        blocks[(i / COLS) / 10 * 4 + (i % COLS) / 10]++;
      }
  return count;
}

static gboolean
same_pixels (cairo_surface_t *a,
             cairo_surface_t *b)
{
  int stride = cairo_image_surface_get_stride (a);

  return memcmp (cairo_image_surface_get_data (a), cairo_image_surface_get_data (b),
                 (gsize) stride * HEIGHT) == 0;
}

/* Every edge style, raster and vector: a budget below the edge count draws
 * exactly the budget, from every block of the drawing; a budget at or above
 * it, and the export call, every edge. Self-loops are not counted against it. */
static void
test_sample_bounded_and_spread (void)
{
  static const PhiliaEdgeStyle styles[] = {
    PHILIA_EDGES_PLAIN, PHILIA_EDGES_HOMOPHILY, PHILIA_EDGES_VALUE,
  };
  static const guint64 budgets[] = { 1, 97, 300, N_EDGES - 1 };

  for (int loops = 0; loops < 2; loops++)
    {
      g_autofree double *xy = g_new (double, 4 * N_EDGES);
      g_autoptr(PhiliaGraph) graph = cell_graph (xy, loops);
      gint64 n_entries = philia_graph_get_row_offsets (graph)[2 * N_EDGES];
      g_autofree double *values = g_new (double, n_entries);

      for (gint64 e = 0; e < n_entries; e++)
        values[e] = (e % 5) / 4.0;
      for (guint s = 0; s < G_N_ELEMENTS (styles); s++)
        for (int vector = 0; vector < 2; vector++)
          {
            PhiliaGraphView view;
            guint blocks[12];
            cairo_surface_t *full, *all;

            init_view (&view, graph, xy, styles[s],
                       styles[s] == PHILIA_EDGES_VALUE ? values : NULL);
            full = draw (&view, 0, vector);
            g_assert_cmpuint (count_edges (full, blocks), ==, N_EDGES);
            /* A budget the graph fits in is the full drawing, pixel for pixel. */
            all = draw (&view, N_EDGES, vector);
            g_assert_true (same_pixels (full, all));
            cairo_surface_destroy (all);
            cairo_surface_destroy (full);

            for (guint b = 0; b < G_N_ELEMENTS (budgets); b++)
              {
                cairo_surface_t *sampled = draw (&view, budgets[b], vector);
                cairo_surface_t *again = draw (&view, budgets[b], vector);

                g_assert_cmpuint (count_edges (sampled, blocks), ==, budgets[b]);
                /* Spread: each block holds its share of the sample, give or take. */
                for (guint k = 0; budgets[b] >= 97 && k < 12; k++)
                  {
                    g_assert_cmpuint (blocks[k], >=, budgets[b] / 12 / 2);
                    g_assert_cmpuint (blocks[k], <=, budgets[b] / 12 * 2 + 1);
                  }
                /* Deterministic: the same frame drawn again is the same. */
                g_assert_true (same_pixels (sampled, again));
                cairo_surface_destroy (again);
                cairo_surface_destroy (sampled);
              }
          }
    }
}

/* Panning keeps the sample: the edges drawn do not depend on which of
 * them the frame culls. */
static void
test_sample_stable_under_pan (void)
{
  g_autofree double *xy = g_new (double, 4 * N_EDGES);
  g_autoptr(PhiliaGraph) graph = cell_graph (xy, FALSE);
  PhiliaGraphView view;
  cairo_surface_t *before, *after;
  guint blocks[12];
  guint drawn_before[N_EDGES], n_checked = 0;

  init_view (&view, graph, xy, PHILIA_EDGES_PLAIN, NULL);
  before = draw (&view, 200, FALSE);
  for (guint i = 0; i < N_EDGES; i++)
    drawn_before[i] = edge_drawn (before, i);
  /* Ten cells right and ten down: the rest is off the frame. */
  view.offset_x += 10 * CELL;
  view.offset_y += 10 * CELL;
  after = draw (&view, 200, FALSE);
  for (guint i = 0; i < N_EDGES; i++)
    {
      guint col = i % COLS + 10, row = i / COLS + 10;

      if (col >= COLS || row >= ROWS)
        continue;
      g_assert_cmpuint (edge_drawn (after, row * COLS + col), ==, drawn_before[i]);
      n_checked++;
    }
  g_assert_cmpuint (n_checked, ==, (COLS - 10) * (ROWS - 10));
  g_assert_cmpuint (count_edges (before, blocks), ==, 200);
  cairo_surface_destroy (after);
  cairo_surface_destroy (before);
}

static void
export_draw (cairo_t *cr,
             double   width,
             double   height,
             gpointer user_data)
{
  PhiliaRenderStyle style;

  philia_render_style_init_default (&style);
  style.background = (PhiliaRgba) { 1, 1, 1, 1 };
  philia_graph_view_draw (cr, width, height, user_data, &style);
}

/* A PNG export of the graph shows every edge (the screen's level of detail
 * is not the export's). */
static void
test_export_draws_every_edge (void)
{
  g_autofree double *xy = g_new (double, 4 * N_EDGES);
  g_autoptr(PhiliaGraph) graph = cell_graph (xy, FALSE);
  g_autofree char *dir = g_dir_make_tmp ("philia-lod-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "graph.png", NULL);
  g_autoptr(GError) error = NULL;
  PhiliaGraphView view;
  cairo_surface_t *png, *image;
  cairo_t *cr;
  guint blocks[12];

  init_view (&view, graph, xy, PHILIA_EDGES_PLAIN, NULL);
  g_assert_true (philia_figure_export (path, WIDTH, HEIGHT, 72, export_draw, &view, &error));
  g_assert_no_error (error);
  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, WIDTH);
  /* Onto white, in the layout count_edges() reads. */
  image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, WIDTH, HEIGHT);
  cr = cairo_create (image);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_surface (cr, png, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (image);
  g_assert_cmpuint (count_edges (image, blocks), ==, N_EDGES);
  cairo_surface_destroy (image);
  cairo_surface_destroy (png);
  g_unlink (path);
  g_rmdir (dir);
}

/* No edges, one node: nothing to sample, nothing goes wrong. */
static void
test_sample_tiny_graphs (void)
{
  for (guint n = 0; n <= 1; n++)
    {
      g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);
      g_autoptr(PhiliaGraph) graph = philia_graph_builder_build (builder, NULL);
      double xy[2] = { 5, 5 };
      PhiliaGraphView view;
      cairo_surface_t *surface;

      g_assert_nonnull (graph);
      init_view (&view, graph, xy, PHILIA_EDGES_PLAIN, NULL);
      surface = draw (&view, 1, FALSE);
      cairo_surface_destroy (surface);
    }
}

/* The budget by drawn length: cell_graph's edges are 10 px long, so lines
 * over each pixel add up to 0.01 of one for every 30,720 edges of the
 * 640 × 480 frame; edges outside the view are length 0, clipped ones count
 * their visible part, self-loops are not drawn, and the budget by count
 * caps it. */
static void
test_budget_by_length (void)
{
  g_autofree double *xy = g_new (double, 4 * N_EDGES);
  g_autofree double *xy_loops = g_new (double, 4 * N_EDGES);
  g_autoptr(PhiliaGraph) graph = cell_graph (xy, FALSE);
  g_autoptr(PhiliaGraph) looped = cell_graph (xy_loops, TRUE);
  PhiliaGraphView view;

  init_view (&view, graph, xy, PHILIA_EDGES_PLAIN, NULL);
  /* 0.01 × 640 × 480 / 10 = 307.2 */
  g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 0.01, 0), ==, 308);
  g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 0.01, 5000), ==, 308);
  g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 0.01, 100), ==, 100);
  /* 12.5 times the lines, 12.5 times the edges; capped by the count. */
  g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 0.125, 0), ==, 3840);
  g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 1, 5000), ==, 5000);

  /* The upper 15 rows of edges (y up to 232) above the view: mean 5 px. */
  view.offset_y = 0.5 - HEIGHT / 2.0;
  g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 0.01, 0), ==, 615);
  /* Column 0's edges (x 3 to 13) moved 5 px left: 8 px visible, mean 9.95. */
  view.offset_y = 0.5;
  view.offset_x = -5;
  g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 0.01, 0), ==, 309);
  /* Everything out of view: no length to go by, the count decides. */
  view.offset_x = 10 * WIDTH;
  g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 0.01, 77), ==, 77);

  /* Self-loops take no length: the same budget. */
  init_view (&view, looped, xy_loops, PHILIA_EDGES_PLAIN, NULL);
  g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 0.01, 0), ==, 308);
  view.positions = NULL;
  g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 0.01, 9), ==, 9);

  /* No edges, one node: nothing to measure. */
  for (guint n = 0; n <= 1; n++)
    {
      g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);
      g_autoptr(PhiliaGraph) tiny = philia_graph_builder_build (builder, NULL);
      double one[2] = { 5, 5 };

      init_view (&view, tiny, one, PHILIA_EDGES_PLAIN, NULL);
      g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 0.01, 3), ==, 3);
    }
}

/* A frame reaches its sample directly (philia-graph-sample.c): the same
 * edges, in CSR order, as running the Weyl sequence along every row, on
 * rows of every length (isolated nodes, hubs, self-loops and duplicate
 * rows the builder drops) and every budget from one edge to all but one. */
static void
test_sample_reached_directly (void)
{
  const guint n = 300;
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20);
  g_autofree double *xy = g_new0 (double, 2 * n);
  const gint64 *off;
  const gint32 *nbr;
  PhiliaGraphView view;
  guint64 m = 0;

  for (guint k = 0; k < 2000; k++)
    {
      /* Node 0 a hub, nodes 250 and up isolated. */
      guint u = k % 5 == 0 ? 0 : g_rand_int_range (rand, 0, 250);
      guint v = g_rand_int_range (rand, 0, 250);

      philia_graph_builder_add_edge (builder, u, v);
      if (k % 17 == 0)
        philia_graph_builder_add_edge (builder, v, u);   /* a duplicate */
    }
  graph = philia_graph_builder_build (builder, NULL);
  g_assert_nonnull (graph);
  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  for (guint u = 0; u < n; u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      m += nbr[e] > (gint32)u;
  init_view (&view, graph, xy, PHILIA_EDGES_PLAIN, NULL);
  g_assert_cmpuint (_philia_graph_view_canonical_edges (&view), ==, m);

  /* Without a scratch, exactly the sample; with one, the edges of an
   * earlier frame serve while they hold the budget's slots (the budgets go
   * up, then down, as a pan moves them): the edges drawn, those with a slot
   * below the budget, are the walk's either way, in its order. */
  for (int with_scratch = 0; with_scratch < 2; with_scratch++)
    {
      g_autoptr(PhiliaFrameScratch) scratch = with_scratch ? philia_frame_scratch_new () : NULL;

      for (int pass = 0; pass < 2; pass++)
        for (guint64 b = 1; b < m; b += b < 40 ? 1 : 97)
          {
            guint64 budget = pass == 0 ? b : m - b;
            EdgeSample sample, walk;
            KeptEdges kept;
            gsize k = 0, drawn = 0;

            _philia_graph_view_edge_sample_init (&view, budget, &sample);
            walk = sample;
            g_assert_true (_philia_graph_view_sample_edges (&view, scratch, &sample, &kept));
            if (scratch == NULL)
              g_assert_cmpuint (kept.n, ==, budget);
            g_assert_cmpuint (kept.n, >=, budget);
            for (guint u = 0; u < n; u++)
              for (gint64 e = off[u]; e < off[u + 1]; e++)
                {
                  guint64 slot = walk.r;

                  if (nbr[e] <= (gint32)u || !edge_sample_next (&walk))
                    continue;
                  /* The next kept edge with a slot below the budget. */
                  while (k < kept.n && kept.slots[k] >= budget)
                    k++;
                  g_assert_cmpuint (k, <, kept.n);
                  g_assert_cmpuint (kept.pairs[2 * k], ==, u);
                  g_assert_cmpuint (kept.pairs[2 * k + 1], ==, (guint)nbr[e]);
                  g_assert_cmpuint (kept.slots[k], ==, slot);
                  k++, drawn++;
                }
            while (k < kept.n && kept.slots[k] >= budget)
              k++;
            g_assert_cmpuint (k, ==, kept.n);
            g_assert_cmpuint (drawn, ==, budget);
            _philia_graph_view_kept_edges_clear (&kept);
          }
    }
  /* Every edge: nothing to reach, the frame walks the rows. */
  {
    EdgeSample sample;
    KeptEdges kept;

    _philia_graph_view_edge_sample_init (&view, m, &sample);
    g_assert_false (_philia_graph_view_sample_edges (&view, NULL, &sample, &kept));
    g_assert_cmpuint (kept.n, ==, 0);
  }
}

/* The screen's fit: 2,000 nodes spread over a unit square and five far
 * away (a small component, say) are fitted by the square, grown by at most a
 * quarter on each side, where the plain fit shrinks the square to a speck;
 * without the far nodes, and below 1,000 nodes, both fits are the same. */
static void
test_fit_robust (void)
{
  for (guint far = 0; far <= 5; far += 5)
    for (guint bulk = 990; bulk <= 2000; bulk += 1010)
      {
        guint n = bulk + far;
        g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);
        g_autoptr(PhiliaGraph) graph = philia_graph_builder_build (builder, NULL);
        g_autofree double *xy = g_new (double, 2 * n);
        PhiliaGraphView plain, robust, square;

        for (guint v = 0; v < bulk; v++)
          xy[2 * v] = (v % 40) / 39.0, xy[2 * v + 1] = (v / 40) / (double)((bulk - 1) / 40);
        for (guint v = bulk; v < n; v++)
          xy[2 * v] = 100 + v, xy[2 * v + 1] = -50;
        init_view (&plain, graph, xy, PHILIA_EDGES_PLAIN, NULL);
        robust = square = plain;
        philia_graph_view_fit (&plain, WIDTH, HEIGHT, 24);
        philia_graph_view_fit_robust (&robust, WIDTH, HEIGHT, 24);
        if (far == 0 || n < 1000)
          {
            g_assert_cmpfloat (robust.scale, ==, plain.scale);
            g_assert_cmpfloat (robust.offset_x, ==, plain.offset_x);
            g_assert_cmpfloat (robust.offset_y, ==, plain.offset_y);
            continue;
          }
        /* The square alone: the bulk fills the view. */
        square.graph = graph;
        philia_graph_view_fit (&square, WIDTH, HEIGHT, 24);
        square.scale = MIN ((WIDTH - 48) / 1.0, (HEIGHT - 48) / 1.0);
        g_assert_cmpfloat (plain.scale, <, square.scale / 50);
        g_assert_cmpfloat (robust.scale, >=, square.scale / 1.5 - 1e-9);
        g_assert_cmpfloat (robust.scale, <=, square.scale + 1e-9);
        /* Every node of the square is in view. */
        for (guint v = 0; v < bulk; v++)
          {
            double x = xy[2 * v] * robust.scale + robust.offset_x;
            double y = xy[2 * v + 1] * robust.scale + robust.offset_y;

            g_assert_true (x >= 0 && x <= WIDTH && y >= 0 && y <= HEIGHT);
          }
      }
}

/* Frames drawn with a scratch (the canvas's pan) are the frames drawn
 * without one, byte for byte: crowded nodes (the density grid) and spread
 * ones (discs), edges by class and by value, budgets that move up and down
 * within the kept edges' headroom and past it; and a frame like the last
 * allocates nothing. */
static void
test_scratch_same_frames (void)
{
  const guint n = 12000;
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);
  g_autoptr(PhiliaFrameScratch) scratch = philia_frame_scratch_new ();
  g_autofree double *xy = g_new (double, 2 * n);
  g_autofree gint64 *labels = g_new (gint64, n);
  g_autofree double *values = NULL;
  const guint64 budgets[] = { 3000, 3300, 2900, 3000, 1000, 5000 };
  guint64 allocations = 0;

  for (guint v = 0; v < n; v++)
    {
      labels[v] = (gint64) (v % 4) - (v % 97 == 0);   /* a few unlabeled */
      /* A tenth of the drawing each way: crowded, until zoomed in. */
      xy[2 * v] = g_rand_double_range (rand, 0.45 * WIDTH, 0.55 * WIDTH);
      xy[2 * v + 1] = g_rand_double_range (rand, 0.45 * HEIGHT, 0.55 * HEIGHT);
    }
  for (guint k = 0; k < 40000; k++)
    philia_graph_builder_add_edge (builder, g_rand_int_range (rand, 0, n),
                                   g_rand_int_range (rand, 0, n));
  philia_graph_builder_take_labels (builder, g_steal_pointer (&labels));
  graph = philia_graph_builder_build (builder, NULL);
  g_assert_nonnull (graph);
  values = g_new (double, philia_graph_get_row_offsets (graph)[n]);
  for (gint64 e = 0; e < philia_graph_get_row_offsets (graph)[n]; e++)
    values[e] = (double) (e % 11) / 10;

  for (int style = 0; style < 2; style++)
    for (int zoom = 0; zoom < 2; zoom++)
      for (guint f = 0; f < G_N_ELEMENTS (budgets); f++)
        {
          PhiliaGraphView view;
          cairo_surface_t *fresh, *reused;
          double overdraw;

          init_view (&view, graph, xy, style ? PHILIA_EDGES_VALUE : PHILIA_EDGES_HOMOPHILY,
                     style ? values : NULL);
          /* Zoomed in 6×, the nodes spread out to discs; each frame panned. */
          view.scale = zoom ? 6 : 1;
          view.offset_x = -(double) f * 3 - (zoom ? 2.5 * WIDTH : 0);
          view.offset_y = (double) f * 2 - (zoom ? 2.5 * HEIGHT : 0);
          g_assert_true (_philia_graph_view_node_overdraw (
            &view, WIDTH, HEIGHT, philia_graph_view_get_node_radius (&view, WIDTH, HEIGHT, 0),
            &overdraw) == !zoom);
          fresh = draw (&view, budgets[f], FALSE);
          view.scratch = scratch;
          reused = draw (&view, budgets[f], FALSE);
          g_assert_true (same_pixels (fresh, reused));
          /* The same view and budget again: nothing new to allocate. */
          allocations = philia_frame_scratch_get_allocations (scratch);
          cairo_surface_destroy (reused);
          reused = draw (&view, budgets[f], FALSE);
          g_assert_true (same_pixels (fresh, reused));
          g_assert_cmpuint (philia_frame_scratch_get_allocations (scratch), ==, allocations);
          cairo_surface_destroy (fresh);
          cairo_surface_destroy (reused);
        }
  g_assert_cmpuint (allocations, >, 0);
}

/* A graph of 6,000 nodes over the view and as much again around it, and
 * 30,000 random edges: many cross the view's borders. */
static PhiliaGraph *
spread_graph (double *xy,
              guint   n)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);
  g_autofree gint64 *labels = g_new (gint64, n);
  PhiliaGraph *graph;

  for (guint v = 0; v < n; v++)
    {
      labels[v] = (gint64) (v % 3) - (v % 89 == 0);   /* a few unlabeled */
      xy[2 * v] = g_rand_double_range (rand, -0.5 * WIDTH, 1.5 * WIDTH);
      xy[2 * v + 1] = g_rand_double_range (rand, -0.5 * HEIGHT, 1.5 * HEIGHT);
    }
  for (guint k = 0; k < 5 * n; k++)
    {
      guint u = g_rand_int_range (rand, 0, n);

      /* Mostly short edges, some across the whole drawing. */
      if (k % 5 != 0)
        philia_graph_builder_add_edge (builder, u, (u + g_rand_int_range (rand, 1, 40)) % n);
      else
        philia_graph_builder_add_edge (builder, u, g_rand_int_range (rand, 0, n));
    }
  philia_graph_builder_take_labels (builder, g_steal_pointer (&labels));
  graph = philia_graph_builder_build (builder, NULL);
  g_assert_nonnull (graph);
  return graph;
}

/* The view sampled to @max_edges on an ARGB32 image at @device_scale. */
static cairo_surface_t *
draw_scaled (const PhiliaGraphView *view,
             guint64                max_edges,
             int                    device_scale)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                         WIDTH * device_scale,
                                                         HEIGHT * device_scale);
  cairo_t *cr;
  PhiliaRenderStyle style;

  cairo_surface_set_device_scale (surface, device_scale, device_scale);
  cr = cairo_create (surface);
  philia_render_style_init_default (&style);
  style.background = (PhiliaRgba) { 1, 1, 1, 1 };
  philia_graph_view_draw_sampled (cr, WIDTH, HEIGHT, view, &style, max_edges);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  return *(const guint32 *) (cairo_image_surface_get_data (surface)
                             + (gsize) y * cairo_image_surface_get_stride (surface) + 4 * x);
}

/* Edges are drawn in pixels anchored to the layout (philia-graph-raster.c):
 * a view moved by whole units shows every pixel moved with it, byte for
 * byte, at any fractions of the offsets and device scale, with or without
 * sampling; lines crossing the view's border included (on main, the clip
 * at the border changed the first column and the steps of such a line). */
static void
test_edges_move_with_pan (void)
{
  const guint n = 6000;
  g_autofree double *xy = g_new (double, 2 * n);
  g_autoptr(PhiliaGraph) graph = spread_graph (xy, n);
  const double fractions[][2] = { { 0, 0 }, { 0.37, 0.81 }, { 0.5, 0.125 } };
  const int moves[][2] = { { 1, 0 }, { 0, 1 }, { 13, 7 }, { -29, 41 } };

  for (guint f = 0; f < G_N_ELEMENTS (fractions); f++)
    for (int device_scale = 1; device_scale <= 2; device_scale++)
      for (int style = 0; style < 2; style++)
        {
          PhiliaGraphView view;
          cairo_surface_t *before;
          guint64 budget = style ? 8000 : 0;

          /* At device scale 2 one set of fractions (0.74, 1.62 device
           * pixels) is enough: the others are drawn at scale 1. */
          if (device_scale == 2 && f != 1)
            continue;
          init_view (&view, graph, xy, style ? PHILIA_EDGES_HOMOPHILY : PHILIA_EDGES_PLAIN, NULL);
          view.offset_x = fractions[f][0], view.offset_y = fractions[f][1];
          before = draw_scaled (&view, budget, device_scale);
          for (guint m = 0; m < G_N_ELEMENTS (moves); m++)
            {
              PhiliaGraphView moved = view;
              cairo_surface_t *after;
              int w = WIDTH * device_scale, h = HEIGHT * device_scale;
              int mx = moves[m][0] * device_scale, my = moves[m][1] * device_scale;
              guint inked = 0;

              moved.offset_x += moves[m][0], moved.offset_y += moves[m][1];
              after = draw_scaled (&moved, budget, device_scale);
              for (int y = MAX (0, my); y < MIN (h, h + my); y++)
                for (int x = MAX (0, mx); x < MIN (w, w + mx); x++)
                  {
                    guint32 a = pixel_at (before, x - mx, y - my), b = pixel_at (after, x, y);

                    if (a != b)
                      g_error ("fractions %u, scale %d, style %d, move %u: (%d, %d) is %08x,"
                               " moved from %08x", f, device_scale, style, m, x, y, b, a);
                    inked += a != 0xffffffff;
                  }
              /* Most of what was compared has edges over it. */
              g_assert_cmpuint (inked, >, (guint) (w * h / 2));
              cairo_surface_destroy (after);
            }
          cairo_surface_destroy (before);
        }
}

/* Frames of a pan drawn with a scratch, which keeps the edge masks of the
 * last frame over the view and half a view around it, are the frames
 * drawn without one (what exports draw), byte for byte; the masks serve
 * pans by whole units within that reach and are drawn again when the pan
 * leaves it, or the fractions, zoom, positions, budget, edge style or
 * device scale change. */
static void
test_kept_edge_masks (void)
{
  const guint n = 6000;
  g_autofree double *xy = g_new (double, 2 * n);
  g_autoptr(PhiliaGraph) graph = spread_graph (xy, n);
  g_autoptr(PhiliaFrameScratch) scratch = philia_frame_scratch_new ();
  struct
  {
    double dx, dy, zoom;
    int    change;      /* 1: a node moves, 2: another budget, 3: plain edges */
    int    device_scale;
    gboolean refill;
  } steps[] = {
    { 0, 0, 1, 0, 1, TRUE },            /* the first frame draws them */
    { 3, -2, 1, 0, 1, FALSE },          /* a pan by whole units paints the kept ones */
    { 300, 200, 1, 0, 1, FALSE },       /* … up to half the view beyond each side */
    { -310, -230, 1, 0, 1, FALSE },
    { 0.25, 0, 1, 0, 1, TRUE },         /* another fraction */
    { 0.25, 1, 1, 0, 1, FALSE },
    { 0.25, 1, 1.25, 0, 1, TRUE },      /* another zoom */
    { 0.25, 1, 1.25, 1, 1, TRUE },      /* a node moved */
    { 0.25, 1, 1.25, 2, 1, TRUE },      /* another budget */
    { 0.25, 1, 1.25, 3, 1, TRUE },      /* plain edges (one mask) */
    { 5.25, 1, 1.25, 3, 1, FALSE },
    { 5.25, 1, 1.25, 3, 2, TRUE },      /* another device scale */
    { 7.25, 3, 1.25, 3, 2, FALSE },
    { -400, 3, 1.25, 3, 2, TRUE },      /* out of the kept masks' reach */
  };

  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      PhiliaGraphView view;
      cairo_surface_t *fresh, *kept;
      guint64 fills = scratch->edges_fills, budget = steps[s].change >= 2 ? 9000 : 8000;
      int ds = steps[s].device_scale;

      if (steps[s].change == 1 && steps[s - 1].change != 1)
        xy[0] += 0.5;
      init_view (&view, graph, xy,
                 steps[s].change == 3 ? PHILIA_EDGES_PLAIN : PHILIA_EDGES_HOMOPHILY, NULL);
      view.scale = steps[s].zoom;
      view.offset_x = steps[s].dx, view.offset_y = steps[s].dy;
      fresh = draw_scaled (&view, budget, ds);
      view.scratch = scratch;
      kept = draw_scaled (&view, budget, ds);
      g_test_message ("step %u: fills %" G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT, s, fills,
                      scratch->edges_fills);
      g_assert_true (memcmp (cairo_image_surface_get_data (fresh),
                             cairo_image_surface_get_data (kept),
                             (gsize) cairo_image_surface_get_stride (fresh) * HEIGHT * ds) == 0);
      g_assert_cmpuint (scratch->edges_fills, ==, fills + steps[s].refill);
      cairo_surface_destroy (fresh);
      cairo_surface_destroy (kept);
    }
}

/* A pan keeps its budget (philia-graph-budget.c): with a scratch, a view
 * moved by less than its size gets the budget measured before the pan;
 * moved further, zoomed, or with other positions, it is measured again,
 * as without a scratch. */
static void
test_budget_kept_in_pan (void)
{
  const guint n = 6000;
  g_autofree double *xy = g_new (double, 2 * n);
  g_autoptr(PhiliaGraph) graph = spread_graph (xy, n);
  g_autoptr(PhiliaFrameScratch) scratch = philia_frame_scratch_new ();
  PhiliaGraphView view, fresh;
  guint64 first, measured;

  init_view (&view, graph, xy, PHILIA_EDGES_HOMOPHILY, NULL);
  view.scratch = scratch;
  first = philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 4, 0);
  fresh = view, fresh.scratch = NULL;
  g_assert_cmpuint (philia_graph_view_edge_budget (&fresh, WIDTH, HEIGHT, 4, 0), ==, first);
  /* Panned: measured alone it moves, with the scratch it stays. */
  view.offset_x += 200, view.offset_y -= 150;
  fresh = view, fresh.scratch = NULL;
  measured = philia_graph_view_edge_budget (&fresh, WIDTH, HEIGHT, 4, 0);
  g_assert_cmpuint (measured, !=, first);
  g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 4, 0), ==, first);
  /* Further than the view's width from where it was measured: again. */
  view.offset_x += WIDTH;
  fresh = view, fresh.scratch = NULL;
  measured = philia_graph_view_edge_budget (&fresh, WIDTH, HEIGHT, 4, 0);
  g_assert_cmpuint (measured, !=, first);
  g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 4, 0), ==, measured);
  first = measured;
  /* Another zoom, other crossings, other positions: measured again. */
  view.scale = 1.5;
  fresh = view, fresh.scratch = NULL;
  measured = philia_graph_view_edge_budget (&fresh, WIDTH, HEIGHT, 4, 0);
  g_assert_cmpuint (measured, !=, first);
  g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 4, 0), ==, measured);
  g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 8, 0), ==,
                    philia_graph_view_edge_budget (&fresh, WIDTH, HEIGHT, 8, 0));
  first = philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 8, 0);
  for (guint v = 0; v < n; v++)
    xy[2 * v] *= 0.5;
  measured = philia_graph_view_edge_budget (&fresh, WIDTH, HEIGHT, 8, 0);
  g_assert_cmpuint (measured, !=, first);
  g_assert_cmpuint (philia_graph_view_edge_budget (&view, WIDTH, HEIGHT, 8, 0), ==, measured);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/Philia/RenderLod/sample-bounded-and-spread", test_sample_bounded_and_spread);
  g_test_add_func ("/Philia/RenderLod/sample-stable-under-pan", test_sample_stable_under_pan);
  g_test_add_func ("/Philia/RenderLod/export-draws-every-edge", test_export_draws_every_edge);
  g_test_add_func ("/Philia/RenderLod/sample-tiny-graphs", test_sample_tiny_graphs);
  g_test_add_func ("/Philia/RenderLod/budget-by-length", test_budget_by_length);
  g_test_add_func ("/Philia/RenderLod/sample-reached-directly", test_sample_reached_directly);
  g_test_add_func ("/Philia/RenderLod/fit-robust", test_fit_robust);
  g_test_add_func ("/Philia/RenderLod/scratch-same-frames", test_scratch_same_frames);
  g_test_add_func ("/Philia/RenderLod/edges-move-with-pan", test_edges_move_with_pan);
  g_test_add_func ("/Philia/RenderLod/kept-edge-masks", test_kept_edge_masks);
  g_test_add_func ("/Philia/RenderLod/budget-kept-in-pan", test_budget_kept_in_pan);
  return g_test_run ();
}
