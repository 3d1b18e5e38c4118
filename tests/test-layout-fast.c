/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"

static PhiliaGraph *
csbm (guint  n,
      guint  classes,
      double homophily,
      double degree)
{
  PhiliaCsbmParams params;
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph;

  philia_csbm_params_init_default (&params);
  params.n_nodes = n;
  params.n_classes = classes;
  params.homophily = homophily;
  params.degree = degree;
  params.n_features = 2;
  params.n_splits = 0;
  params.seed = 3;
  graph = philia_csbm_generate (&params, NULL, &error);
  g_assert_no_error (error);
  return graph;
}

static PhiliaGraph *
build (guint        n,
       const guint *edges,
       guint        m)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph;

  for (guint e = 0; e < m; e++)
    philia_graph_builder_add_edge (builder, edges[2 * e], edges[2 * e + 1]);
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  return graph;
}

static void
assert_finite (const double *xy,
               guint         n)
{
  for (guint i = 0; i < 2 * n; i++)
    g_assert_true (isfinite (xy[i]));
}

/* The mean length of the edges over the mean distance of @samples node pairs
 * drawn with a fixed LCG: well below 1 when the drawing follows the graph. */
static double
edge_length_ratio (PhiliaGraph  *graph,
                   const double *xy)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  double edges = 0, pairs = 0;
  guint64 state = 12345, count = 0;

  for (guint u = 0; u < n; u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      {
        edges += hypot (xy[2 * u] - xy[2 * nbr[e]], xy[2 * u + 1] - xy[2 * nbr[e] + 1]);
        count++;
      }
  for (guint k = 0; k < 20000; k++)
    {
      guint a, b;

      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      a = (guint)((state >> 33) % n);
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      b = (guint)((state >> 33) % n);
      pairs += hypot (xy[2 * a] - xy[2 * b], xy[2 * a + 1] - xy[2 * b + 1]);
    }
  return (edges / count) / (pairs / 20000);
}

/* How far apart the classes' centres are, over the mean distance of a node
 * to its class centre. */
static double
class_separation (PhiliaGraph  *graph,
                  const double *xy)
{
  guint n = philia_graph_get_n_nodes (graph), c = philia_graph_get_n_classes (graph);
  const gint32 *y = philia_graph_get_labels (graph);
  g_autofree double *centre = g_new0 (double, 2 * c);
  g_autofree guint *size = g_new0 (guint, c);
  double spread = 0, between = 0;
  guint pairs = 0;

  for (guint u = 0; u < n; u++)
    {
      centre[2 * y[u]] += xy[2 * u];
      centre[2 * y[u] + 1] += xy[2 * u + 1];
      size[y[u]]++;
    }
  for (guint k = 0; k < c; k++)
    {
      centre[2 * k] /= size[k];
      centre[2 * k + 1] /= size[k];
    }
  for (guint u = 0; u < n; u++)
    spread += hypot (xy[2 * u] - centre[2 * y[u]], xy[2 * u + 1] - centre[2 * y[u] + 1]) / n;
  for (guint a = 0; a < c; a++)
    for (guint b = a + 1; b < c; b++, pairs++)
      between += hypot (centre[2 * a] - centre[2 * b], centre[2 * a + 1] - centre[2 * b + 1]);
  return between / pairs / spread;
}

/* Same seed, same bytes; another seed, another drawing. The placement
 * shortens edges and sets homophilous classes apart at once. */
static void
test_place (void)
{
  g_autoptr(PhiliaGraph) graph = csbm (3000, 3, 0.95, 10);
  guint n = philia_graph_get_n_nodes (graph);
  g_autofree double *a = g_new (double, 2 * n);
  g_autofree double *b = g_new (double, 2 * n);
  g_autofree double *c = g_new (double, 2 * n);
  g_autofree double *r = g_new (double, 2 * n);
  guint64 state = 99;

  philia_layout_fast_place (graph, 7, a);
  philia_layout_fast_place (graph, 7, b);
  philia_layout_fast_place (graph, 8, c);
  assert_finite (a, n);
  g_assert_cmpmem (a, sizeof (double) * 2 * n, b, sizeof (double) * 2 * n);
  g_assert_true (memcmp (a, c, sizeof (double) * 2 * n) != 0);

  /* Against a uniformly random drawing, where both ratios are about 1 and 0. */
  for (guint i = 0; i < 2 * n; i++)
    {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      r[i] = (double)(state >> 11) / 9007199254740992.0;
    }
  g_assert_cmpfloat (edge_length_ratio (graph, r), >, 0.9);
  g_assert_cmpfloat (class_separation (graph, r), <, 0.2);
  g_assert_cmpfloat (edge_length_ratio (graph, a), <, 0.5);
  g_assert_cmpfloat (class_separation (graph, a), >, 1.0);
}

static void
count_draft (const double *positions,
             gpointer      user_data)
{
  (*(guint *) user_data)++;
}

/* Drafts come three times on the way and change nothing of the result. */
static void
test_place_drafts (void)
{
  g_autoptr(PhiliaGraph) graph = csbm (800, 2, 0.9, 6);
  guint n = philia_graph_get_n_nodes (graph), drafts = 0;
  g_autofree double *a = g_new (double, 2 * n);
  g_autofree double *b = g_new (double, 2 * n);

  philia_layout_fast_place (graph, 3, a);
  philia_layout_fast_place_full (graph, 3, b, count_draft, &drafts);
  g_assert_cmpuint (drafts, ==, 3);
  g_assert_cmpmem (a, sizeof (double) * 2 * n, b, sizeof (double) * 2 * n);
}

static void
run_steps (PhiliaLayoutRefine *refine,
           guint               n,
           guint               steps)
{
  for (guint s = 0; s < steps; s++)
    {
      g_assert_true (philia_layout_refine_step (refine));
      g_assert_cmpuint (philia_layout_refine_get_iteration (refine), ==, s + 1);
      assert_finite (philia_layout_refine_get_positions (refine), n);
    }
}

/* Every step counts and leaves finite positions; the refinement keeps the
 * edges short and the classes apart, and spreads the nodes out: a drawing
 * collapsed onto a few points would fill few cells of a 40 × 40 grid. */
static void
test_refine (void)
{
  g_autoptr(PhiliaGraph) graph = csbm (3000, 3, 0.95, 10);
  guint n = philia_graph_get_n_nodes (graph);
  g_autofree double *start = g_new (double, 2 * n);
  g_autoptr(PhiliaLayoutRefine) refine = NULL;
  g_autofree guint8 *cells = g_new0 (guint8, 40 * 40);
  const double *xy;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  guint filled = 0;

  philia_layout_fast_place (graph, 1, start);
  refine = philia_layout_refine_new (graph, start, 30);
  g_assert_cmpuint (philia_layout_refine_get_n_iterations (refine), ==, 30);
  g_assert_cmpuint (philia_layout_refine_get_iteration (refine), ==, 0);
  run_steps (refine, n, 30);
  g_assert_false (philia_layout_refine_step (refine));
  g_assert_cmpuint (philia_layout_refine_get_iteration (refine), ==, 30);

  xy = philia_layout_refine_get_positions (refine);
  g_assert_cmpfloat (edge_length_ratio (graph, xy), <, 0.5);
  g_assert_cmpfloat (class_separation (graph, xy), >, 1.0);
  for (guint u = 0; u < n; u++)
    {
      x0 = MIN (x0, xy[2 * u]);
      x1 = MAX (x1, xy[2 * u]);
      y0 = MIN (y0, xy[2 * u + 1]);
      y1 = MAX (y1, xy[2 * u + 1]);
    }
  for (guint u = 0; u < n; u++)
    {
      guint i = MIN (39, (guint)((xy[2 * u] - x0) / (x1 - x0) * 40));
      guint j = MIN (39, (guint)((xy[2 * u + 1] - y0) / (y1 - y0) * 40));

      filled += !cells[j * 40 + i];
      cells[j * 40 + i] = 1;
    }
  g_assert_cmpuint (filled, >, 400);
}

/* Stopping after some steps (what cancelling does) leaves the positions of
 * exactly those steps: the same as a run planned that long stopped there. */
static void
test_refine_stopped (void)
{
  g_autoptr(PhiliaGraph) graph = csbm (500, 2, 0.9, 6);
  guint n = philia_graph_get_n_nodes (graph);
  g_autofree double *start = g_new (double, 2 * n);
  g_autoptr(PhiliaLayoutRefine) a = NULL;
  g_autoptr(PhiliaLayoutRefine) b = NULL;

  philia_layout_fast_place (graph, 1, start);
  a = philia_layout_refine_new (graph, start, 40);
  b = philia_layout_refine_new (graph, start, 40);
  run_steps (a, n, 7);
  run_steps (b, n, 7);
  g_assert_cmpmem (philia_layout_refine_get_positions (a), sizeof (double) * 2 * n,
                   philia_layout_refine_get_positions (b), sizeof (double) * 2 * n);
  /* And the start was copied, not borrowed. */
  g_assert_true (memcmp (start, philia_layout_refine_get_positions (a),
                         sizeof (double) * 2 * n) != 0);
}

/* The registered layout is the placement refined for the planned steps; a
 * cancelled run is an error, and a layout nobody asked for is not made. */
static void
test_registered (void)
{
  g_autoptr(PhiliaGraph) graph = csbm (400, 2, 0.9, 6);
  guint n = philia_graph_get_n_nodes (graph);
  g_autofree double *start = g_new (double, 2 * n);
  g_autofree double *xy = NULL;
  g_autofree double *none = NULL;
  g_autoptr(PhiliaLayoutRefine) refine = NULL;
  g_autoptr(PhiliaProgress) progress = philia_progress_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  xy = philia_layout_compute (graph, PHILIA_LAYOUT_PROGRESSIVE, 5, progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (philia_progress_get_fraction (progress), ==, 1.0);
  philia_layout_fast_place (graph, 5, start);
  refine = philia_layout_refine_new (graph, start, PHILIA_LAYOUT_REFINE_ITERATIONS);
  while (philia_layout_refine_step (refine))
    ;
  g_assert_cmpmem (xy, sizeof (double) * 2 * n,
                   philia_layout_refine_get_positions (refine), sizeof (double) * 2 * n);

  g_cancellable_cancel (cancellable);
  none = philia_layout_compute (graph, PHILIA_LAYOUT_PROGRESSIVE, 5, NULL, cancellable, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_assert_true (philia_layout_is_progressive (PHILIA_LAYOUT_PROGRESSIVE));
  g_assert_false (philia_layout_is_progressive ("fr"));
  g_assert_false (philia_layout_is_progressive (NULL));
  g_assert_cmpuint (philia_layout_estimate_bytes (graph, PHILIA_LAYOUT_PROGRESSIVE), >=,
                    112 * (guint64)n);
}

/* No nodes, one node, isolated nodes, self-loops and duplicate edges. */
static void
test_edge_cases (void)
{
  g_autoptr(PhiliaGraph) empty = build (0, NULL, 0);
  g_autoptr(PhiliaGraph) one = build (1, NULL, 0);
  /* A triangle with a tail, and nodes 4..9 isolated. */
  const guint edges[] = { 0, 1, 1, 2, 2, 0, 2, 3 };
  /* The same with a self-loop on 1 and 3 and the edge 0–1 three times. */
  const guint messy[] = { 0, 1, 1, 1, 1, 2, 2, 0, 0, 1, 1, 0, 2, 3, 3, 3 };
  g_autoptr(PhiliaGraph) clean = build (10, edges, 4);
  g_autoptr(PhiliaGraph) loops = build (10, messy, 8);
  double dummy[2] = { 1, 2 }, single[2] = { NAN, NAN };
  double a[20], b[20];
  g_autoptr(PhiliaLayoutRefine) refine = NULL;
  g_autoptr(PhiliaLayoutRefine) refine_one = NULL;
  g_autoptr(PhiliaLayoutRefine) refine_clean = NULL;
  g_autoptr(PhiliaLayoutRefine) refine_loops = NULL;
  g_autofree double *none = NULL;
  g_autoptr(GError) error = NULL;

  /* Nothing to place: nothing written. */
  philia_layout_fast_place (empty, 1, dummy);
  g_assert_cmpfloat (dummy[0], ==, 1);
  g_assert_cmpfloat (dummy[1], ==, 2);
  refine = philia_layout_refine_new (empty, NULL, 3);
  run_steps (refine, 0, 3);
  g_assert_false (philia_layout_refine_step (refine));
  none = philia_layout_compute (empty, PHILIA_LAYOUT_PROGRESSIVE, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (none);

  philia_layout_fast_place (one, 1, single);
  assert_finite (single, 1);
  refine_one = philia_layout_refine_new (one, single, 5);
  run_steps (refine_one, 1, 5);

  philia_layout_fast_place (clean, 4, a);
  philia_layout_fast_place (loops, 4, b);
  assert_finite (a, 10);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  /* Every node has a place of its own, the isolated ones too. */
  for (guint u = 0; u < 10; u++)
    for (guint v = u + 1; v < 10; v++)
      g_assert_cmpfloat (hypot (a[2 * u] - a[2 * v], a[2 * u + 1] - a[2 * v + 1]), >, 1e-6);
  refine_clean = philia_layout_refine_new (clean, a, 20);
  refine_loops = philia_layout_refine_new (loops, b, 20);
  run_steps (refine_clean, 10, 20);
  run_steps (refine_loops, 10, 20);
  g_assert_cmpmem (philia_layout_refine_get_positions (refine_clean), sizeof a,
                   philia_layout_refine_get_positions (refine_loops), sizeof b);
}

/* Many pieces (a graph of pairs and singletons) are packed side by side:
 * every pair's two nodes are closer to each other than to the rest. */
static void
test_pieces_packed (void)
{
  guint edges[2 * 50];
  g_autoptr(PhiliaGraph) graph = NULL;
  double xy[2 * 130];

  for (guint k = 0; k < 50; k++)
    {
      edges[2 * k] = 2 * k;
      edges[2 * k + 1] = 2 * k + 1;
    }
  graph = build (130, edges, 50);
  philia_layout_fast_place (graph, 2, xy);
  assert_finite (xy, 130);
  for (guint k = 0; k < 50; k++)
    {
      double d = hypot (xy[4 * k] - xy[4 * k + 2], xy[4 * k + 1] - xy[4 * k + 3]);

      for (guint v = 0; v < 130; v++)
        if (v / 2 != k)
          g_assert_cmpfloat (hypot (xy[4 * k] - xy[2 * v], xy[4 * k + 1] - xy[2 * v + 1]), >, d);
    }
}

static PhiliaGraph *
grid (guint side)
{
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph = philia_grid_generate (side, side, &error);

  g_assert_no_error (error);
  return graph;
}

/* From 50,000 nodes a graph opens with the progressive layout. */
static void
test_default (void)
{
  g_autoptr(PhiliaGraph) below = grid (223);   /* 49,729 nodes */
  g_autoptr(PhiliaGraph) above = grid (224);   /* 50,176 nodes */

  g_assert_cmpstr (philia_layout_default_algorithm (below), ==, "fr");
  g_assert_cmpstr (philia_layout_default_algorithm (above), ==, PHILIA_LAYOUT_PROGRESSIVE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/Philia/LayoutFast/place", test_place);
  g_test_add_func ("/Philia/LayoutFast/place-drafts", test_place_drafts);
  g_test_add_func ("/Philia/LayoutFast/refine", test_refine);
  g_test_add_func ("/Philia/LayoutFast/refine-stopped", test_refine_stopped);
  g_test_add_func ("/Philia/LayoutFast/registered", test_registered);
  g_test_add_func ("/Philia/LayoutFast/edge-cases", test_edge_cases);
  g_test_add_func ("/Philia/LayoutFast/pieces-packed", test_pieces_packed);
  g_test_add_func ("/Philia/LayoutFast/default", test_default);
  return g_test_run ();
}
