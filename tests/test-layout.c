/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "philia-core.h"

static PhiliaGraph *
karate (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "import", "karate.graphml",
                                                 NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph = philia_graph_load (file, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return graph;
}

static double *
layout (PhiliaGraph *graph,
        const char  *algorithm,
        guint64      seed)
{
  g_autoptr(GError) error = NULL;
  double *xy = philia_layout_compute (graph, algorithm, seed, NULL, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < 2 * philia_graph_get_n_nodes (graph); i++)
    g_assert_true (isfinite (xy[i]));
  return xy;
}

static void
test_every_layout_reproducible (void)
{
  g_autoptr(PhiliaGraph) graph = karate ();
  const char *algorithms[] = { "fr", "kk", "drl", "multilevel", "circle", "class-grouped" };

  for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
    {
      g_autofree double *a = layout (graph, algorithms[i], 42);
      g_autofree double *b = layout (graph, algorithms[i], 42);

      g_assert_cmpmem (a, 34 * 2 * sizeof (double), b, 34 * 2 * sizeof (double));
      if (g_str_equal (algorithms[i], "fr"))
        {
          g_autofree double *c = layout (graph, algorithms[i], 43);

          g_assert_true (memcmp (a, c, 34 * 2 * sizeof (double)) != 0);
        }
    }
}

static void
test_circle (void)
{
  g_autoptr(PhiliaGraph) graph = karate ();
  g_autofree double *xy = layout (graph, "circle", 0);

  for (guint v = 0; v < 34; v++)
    g_assert_cmpfloat_with_epsilon (hypot (xy[2 * v], xy[2 * v + 1]), 1.0, 1e-9);
}

/* Linked nodes end up nearer each other than random pairs, and the class-grouped
 * layout keeps classes apart: what each layout is for. */
static void
test_structure_is_visible (void)
{
  g_autoptr(PhiliaGraph) graph = karate ();
  g_autofree double *fr = layout (graph, "fr", 1);
  g_autofree double *grouped = layout (graph, "class-grouped", 1);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  const gint32 *y = philia_graph_get_labels (graph);
  double linked = 0, all = 0, same = 0, cross = 0;
  guint n_linked = 0, n_all = 0, n_same = 0, n_cross = 0;

  for (guint u = 0; u < 34; u++)
    {
      for (gint64 e = off[u]; e < off[u + 1]; e++)
        {
          linked += hypot (fr[2 * u] - fr[2 * nbr[e]], fr[2 * u + 1] - fr[2 * nbr[e] + 1]);
          n_linked++;
        }
      for (guint v = u + 1; v < 34; v++)
        {
          double d = hypot (grouped[2 * u] - grouped[2 * v], grouped[2 * u + 1] - grouped[2 * v + 1]);

          all += hypot (fr[2 * u] - fr[2 * v], fr[2 * u + 1] - fr[2 * v + 1]);
          n_all++;
          if (y[u] == y[v])
            same += d, n_same++;
          else
            cross += d, n_cross++;
        }
    }
  g_assert_cmpfloat (linked / n_linked, <, 0.6 * all / n_all);
  g_assert_cmpfloat (same / n_same, <, 0.5 * cross / n_cross);
}

/* Disconnected pieces are packed, not flung: the largest component spans a
 * good share of the drawing. */
static void
test_components_packed (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (40);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autofree double *xy = NULL;
  double x0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, c0 = G_MAXDOUBLE, c1 = -G_MAXDOUBLE;

  for (guint v = 1; v < 30; v++)          /* a 30-node cycle, plus 10 isolated nodes */
    philia_graph_builder_add_edge (builder, v - 1, v);
  philia_graph_builder_add_edge (builder, 29, 0);
  graph = philia_graph_builder_build (builder, NULL);
  xy = layout (graph, "fr", 0);
  for (guint v = 0; v < 40; v++)
    {
      x0 = MIN (x0, xy[2 * v]);
      x1 = MAX (x1, xy[2 * v]);
      if (v < 30)
        c0 = MIN (c0, xy[2 * v]), c1 = MAX (c1, xy[2 * v]);
    }
  g_assert_cmpfloat ((c1 - c0) / (x1 - x0), >, 0.5);
}

static void
test_edge_cases (void)
{
  g_autoptr(PhiliaGraphBuilder) b0 = philia_graph_builder_new (0);
  g_autoptr(PhiliaGraphBuilder) b1 = philia_graph_builder_new (1);
  g_autoptr(PhiliaGraph) empty = philia_graph_builder_build (b0, NULL);
  g_autoptr(PhiliaGraph) single = philia_graph_builder_build (b1, NULL);
  const char *algorithms[] = { "fr", "kk", "drl", "multilevel", "circle", "class-grouped" };

  for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
    {
      /* layout() checks the error and every coordinate; only the result is dropped. */
      g_free (layout (empty, algorithms[i], 0));
      g_free (layout (single, algorithms[i], 0));
    }
}

static void
test_unknown_and_cancelled (void)
{
  g_autoptr(PhiliaGraph) graph = karate ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_assert_null (philia_layout_compute (graph, "spiral", 0, NULL, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "class-grouped"));
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_null (philia_layout_compute (graph, "fr", 0, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_assert_cmpstr (philia_layout_default_algorithm (graph), ==, "fr");
}

static gpointer
cancel_later (gpointer data)
{
  GCancellable *cancellable = data;

  g_usleep (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cancellable), "delay")));
  g_cancellable_cancel (cancellable);
  return NULL;
}

/* Layouts cancelled at many points while igraph runs leave igraph usable:
 * what an interrupted igraph function registered for cleanup is freed then,
 * not by the next call that fails (which crashed the app now and then). */
static void
test_cancelled_mid_run (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (4000);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaGraph) small = karate ();
  g_autoptr(GError) error = NULL;
  guint32 state = 7;
  guint cancelled = 0;

  /* Two random halves joined by nothing: several components, so the layout
   * runs igraph's connectivity and decomposition before the force passes. */
  for (guint e = 0; e < 16000; e++)
    {
      guint half = e % 2, u, v;

      state = state * 1664525u + 1013904223u;
      u = half * 2000 + (state >> 8) % 2000;
      state = state * 1664525u + 1013904223u;
      v = half * 2000 + (state >> 8) % 2000;
      philia_graph_builder_add_edge (builder, u, v);
    }
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) run_error = NULL;
      g_autofree double *xy = NULL;
      GThread *thread;

      g_object_set_data (G_OBJECT (cancellable), "delay", GUINT_TO_POINTER (500 + i * 4000));
      thread = g_thread_new ("cancel", cancel_later, cancellable);
      xy = philia_layout_compute (graph, i % 3 == 2 ? "kk" : "fr", i, NULL, cancellable,
                                  &run_error);
      g_thread_join (thread);
      if (xy == NULL)
        {
          g_assert_error (run_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          cancelled++;
        }
    }
  g_test_message ("%u of 12 layouts cancelled mid-run", cancelled);
  g_assert_cmpuint (cancelled, >, 0);

  /* igraph still answers, and right. */
  {
    g_autofree double *a = layout (small, "fr", 3);
    g_autofree double *b = layout (small, "fr", 3);

    g_assert_cmpmem (a, 2 * 34 * sizeof (double), b, 2 * 34 * sizeof (double));
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

/* Proper crossings between edges that share no endpoint, over all pairs. */
static guint
count_crossings (PhiliaGraph  *graph,
                 const double *xy)
{
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (gint32));
  guint crossings = 0;

  for (guint u = 0; u < philia_graph_get_n_nodes (graph); u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      if ((guint)nbr[e] > u)
        {
          gint32 v = nbr[e];

          g_array_append_val (edges, u);
          g_array_append_val (edges, v);
        }
  for (guint i = 0; i < edges->len / 2; i++)
    for (guint j = i + 1; j < edges->len / 2; j++)
      {
        gint32 a = g_array_index (edges, gint32, 2 * i), b = g_array_index (edges, gint32, 2 * i + 1);
        gint32 c = g_array_index (edges, gint32, 2 * j), d = g_array_index (edges, gint32, 2 * j + 1);
#define SIDE(p, q, r) ((xy[2 * (q)] - xy[2 * (p)]) * (xy[2 * (r) + 1] - xy[2 * (p) + 1]) \
                       - (xy[2 * (q) + 1] - xy[2 * (p) + 1]) * (xy[2 * (r)] - xy[2 * (p)]))

        if (a == c || a == d || b == c || b == d)
          continue;
        if (SIDE (a, b, c) * SIDE (a, b, d) < 0 && SIDE (c, d, a) * SIDE (c, d, b) < 0)
          crossings++;
#undef SIDE
      }
  return crossings;
}

/* The grid generator against a hand count: 2 r c − r − c edges, degree 2 at
 * the corners, 4 inside. */
static void
test_grid_and_mesh_generators (void)
{
  g_autoptr(PhiliaGraph) g = NULL;
  g_autoptr(PhiliaGraph) m1 = NULL;
  g_autoptr(PhiliaGraph) m2 = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 *off;

  g = philia_grid_generate (3, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (philia_graph_get_n_nodes (g), ==, 12);
  g_assert_cmpint (philia_graph_get_n_edges (g), ==, 2 * 3 * 4 - 3 - 4);
  off = philia_graph_get_row_offsets (g);
  g_assert_cmpint (off[1] - off[0], ==, 2);
  g_assert_cmpint (off[6] - off[5], ==, 4);

  /* A planar drawing: the mesh on its own lattice has no crossing. */
  m1 = philia_mesh_generate (20, 20, 5, &error);
  g_assert_no_error (error);
  m2 = philia_mesh_generate (20, 20, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (philia_graph_get_n_edges (m1), ==, philia_graph_get_n_edges (m2));
  {
    double xy[800];

    for (guint v = 0; v < 400; v++)
      xy[2 * v] = v % 20, xy[2 * v + 1] = v / 20;
    g_assert_cmpuint (count_crossings (m1, xy), ==, 0);
  }

  g_assert_null (philia_grid_generate (0, 5, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
}

/* FR folds a grid onto itself; the multilevel layout lays it flat. */
static void
test_multilevel_untangles_grid (void)
{
  g_autoptr(PhiliaGraph) graph = grid (30);
  g_autofree double *fr = layout (graph, "fr", 0);
  g_autofree double *ml = layout (graph, "multilevel", 0);
  g_autofree double *again = layout (graph, "multilevel", 0);
  guint fr_crossings = count_crossings (graph, fr);
  guint ml_crossings = count_crossings (graph, ml);

  g_test_message ("30 x 30 grid: %u crossings with FR, %u with multilevel", fr_crossings,
                  ml_crossings);
  g_assert_cmpmem (ml, 2 * 900 * sizeof (double), again, 2 * 900 * sizeof (double));
  g_assert_cmpuint (ml_crossings * 10, <, fr_crossings);
}

typedef struct
{
  PhiliaGraph    *graph;
  const char     *algorithm;
  PhiliaProgress *progress;
  GCancellable   *cancellable;
  double         *xy;
  GError         *error;
  gboolean        done;
} ProgressRun;

static gpointer
progress_run_thread (gpointer data)
{
  ProgressRun *run = data;

  run->xy = philia_layout_compute (run->graph, run->algorithm, 0, run->progress,
                                   run->cancellable, &run->error);
  g_atomic_int_set (&run->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

static void
on_fraction (PhiliaProgress *progress,
             GParamSpec     *pspec,
             GArray         *seen)
{
  double f = philia_progress_get_fraction (progress);

  g_array_append_val (seen, f);
}

/* Runs a layout on a thread while the main context records every fraction
 * that is announced; cancels once @cancel_at is reached (if below 1). */
static GArray *
watch_progress (PhiliaGraph *graph,
                const char  *algorithm,
                double       cancel_at,
                ProgressRun *run)
{
  GArray *seen = g_array_new (FALSE, FALSE, sizeof (double));
  GThread *thread;

  run->graph = graph;
  run->algorithm = algorithm;
  run->progress = philia_progress_new ();
  run->cancellable = g_cancellable_new ();
  g_signal_connect (run->progress, "notify::fraction", G_CALLBACK (on_fraction), seen);
  thread = g_thread_new ("layout", progress_run_thread, run);
  while (!g_atomic_int_get (&run->done))
    {
      g_main_context_iteration (NULL, TRUE);
      if (seen->len > 0 && g_array_index (seen, double, seen->len - 1) >= cancel_at)
        g_cancellable_cancel (run->cancellable);
    }
  g_thread_join (thread);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&run->progress);
  g_clear_object (&run->cancellable);
  return seen;
}

/* KK reports progress between its rounds: it rises, never falls, ends at 1;
 * the multilevel layout reports level by level. Cancelling stops KK early. */
static void
test_progress_moves (void)
{
  g_autoptr(PhiliaGraph) graph = grid (30);
  const char *algorithms[] = { "kk", "multilevel" };

  for (guint a = 0; a < G_N_ELEMENTS (algorithms); a++)
    {
      ProgressRun run = { 0 };
      g_autoptr(GArray) seen = watch_progress (graph, algorithms[a], 2.0, &run);
      guint between = 0;

      g_assert_no_error (run.error);
      g_free (run.xy);
      g_assert_cmpuint (seen->len, >, 0);
      for (guint i = 0; i < seen->len; i++)
        {
          double f = g_array_index (seen, double, i);

          if (i > 0)
            g_assert_cmpfloat (f, >=, g_array_index (seen, double, i - 1));
          between += f > 0 && f < 1;
        }
      g_assert_cmpfloat (g_array_index (seen, double, seen->len - 1), ==, 1.0);
      g_test_message ("%s: %u progress values strictly between 0 and 1", algorithms[a], between);
      if (g_str_equal (algorithms[a], "kk"))
        g_assert_cmpuint (between, >=, 2);
    }

  {
    ProgressRun run = { 0 };
    g_autoptr(GArray) seen = watch_progress (graph, "kk", 0.1, &run);

    g_assert_null (run.xy);
    g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&run.error);
    g_assert_cmpfloat (g_array_index (seen, double, seen->len - 1), <, 1.0);
  }
}

/* Each node joins the next @k on a ring of @n: mean degree 2k, one component. */
static PhiliaGraph *
ring_lattice (guint n,
              guint k)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph;

  for (guint v = 0; v < n; v++)
    for (guint j = 1; j <= k; j++)
      philia_graph_builder_add_edge (builder, v, (v + j) % n);
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  return graph;
}

/* Sparse graphs of 1,000 to 20,000 nodes get the multilevel layout; small,
 * very large or dense ones FR. The size that counts is the largest
 * component's, not the graph's. */
static void
test_default_algorithm (void)
{
  g_autoptr(PhiliaGraph) small = grid (31);             /* 961 nodes */
  g_autoptr(PhiliaGraph) large = grid (32);             /* 1,024 nodes, mean degree < 4 */
  g_autoptr(PhiliaGraph) largest = grid (141);          /* 19,881 nodes */
  g_autoptr(PhiliaGraph) too_large = grid (142);        /* 20,164 nodes */
  g_autoptr(PhiliaGraph) at_limit = ring_lattice (1200, 5);   /* mean degree 10 */
  g_autoptr(PhiliaGraph) dense = ring_lattice (1200, 6);      /* mean degree 12 */
  g_autoptr(PhiliaGraphBuilder) pairs_builder = philia_graph_builder_new (4000);
  g_autoptr(PhiliaGraphBuilder) one_builder = philia_graph_builder_new (1);
  g_autoptr(PhiliaGraph) pairs = NULL;
  g_autoptr(PhiliaGraph) one = NULL;
  g_autoptr(GError) error = NULL;

  /* 2,000 components of two nodes, plus a self-loop and a duplicate edge. */
  for (guint v = 0; v < 4000; v += 2)
    philia_graph_builder_add_edge (pairs_builder, v, v + 1);
  philia_graph_builder_add_edge (pairs_builder, 0, 0);
  philia_graph_builder_add_edge (pairs_builder, 1, 0);
  pairs = philia_graph_builder_build (pairs_builder, &error);
  g_assert_no_error (error);
  one = philia_graph_builder_build (one_builder, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (philia_layout_default_algorithm (small), ==, "fr");
  g_assert_cmpstr (philia_layout_default_algorithm (large), ==, "multilevel");
  g_assert_cmpstr (philia_layout_default_algorithm (largest), ==, "multilevel");
  g_assert_cmpstr (philia_layout_default_algorithm (too_large), ==, "fr");
  g_assert_cmpstr (philia_layout_default_algorithm (at_limit), ==, "multilevel");
  g_assert_cmpstr (philia_layout_default_algorithm (dense), ==, "fr");
  g_assert_cmpstr (philia_layout_default_algorithm (pairs), ==, "fr");
  g_assert_cmpstr (philia_layout_default_algorithm (one), ==, "fr");
}

/* KK's estimate grows with the square of the largest component: 8 bytes per
 * pair of its nodes more than the linear layouts; plugins are unknown (0). */
static void
test_memory_estimate (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (40);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaGraph) big = grid (120);
  g_autoptr(PhiliaGraph) empty = NULL;
  g_autoptr(PhiliaGraphBuilder) b0 = philia_graph_builder_new (0);

  for (guint v = 1; v < 30; v++)          /* a 30-node path, plus 10 isolated nodes */
    philia_graph_builder_add_edge (builder, v - 1, v);
  graph = philia_graph_builder_build (builder, NULL);
  empty = philia_graph_builder_build (b0, NULL);

  g_assert_true (philia_layout_is_quadratic ("kk"));
  g_assert_false (philia_layout_is_quadratic ("fr"));
  g_assert_false (philia_layout_is_quadratic ("multilevel"));
  g_assert_cmpuint (philia_layout_estimate_bytes (graph, "kk")
                    - philia_layout_estimate_bytes (graph, "fr"), ==, 24 * 30 * 30);
  g_assert_cmpuint (philia_layout_estimate_bytes (graph, "fr"), >=, 2 * 40 * sizeof (double));
  g_assert_cmpuint (philia_layout_estimate_bytes (graph, "spiral"), ==, 0);
  g_assert_cmpuint (philia_layout_estimate_bytes (empty, "kk"), ==, 0);
  /* 14,400 nodes in one piece: KK needs more than the 1 GiB warning line. */
  g_assert_cmpuint (philia_layout_estimate_bytes (big, "kk"), >, PHILIA_LAYOUT_MEMORY_WARN_BYTES);
  g_assert_cmpuint (philia_layout_estimate_bytes (big, "multilevel"), <,
                    PHILIA_LAYOUT_MEMORY_WARN_BYTES / 100);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/Philia/Layout/every-layout-reproducible", test_every_layout_reproducible);
  g_test_add_func ("/Philia/Layout/circle", test_circle);
  g_test_add_func ("/Philia/Layout/structure-is-visible", test_structure_is_visible);
  g_test_add_func ("/Philia/Layout/components-packed", test_components_packed);
  g_test_add_func ("/Philia/Layout/edge-cases", test_edge_cases);
  g_test_add_func ("/Philia/Layout/unknown-and-cancelled", test_unknown_and_cancelled);
  g_test_add_func ("/Philia/Layout/cancelled-mid-run", test_cancelled_mid_run);
  g_test_add_func ("/Philia/Layout/grid-and-mesh-generators", test_grid_and_mesh_generators);
  g_test_add_func ("/Philia/Layout/multilevel-untangles-grid", test_multilevel_untangles_grid);
  g_test_add_func ("/Philia/Layout/progress-moves", test_progress_moves);
  g_test_add_func ("/Philia/Layout/memory-estimate", test_memory_estimate);
  g_test_add_func ("/Philia/Layout/default-algorithm", test_default_algorithm);
  return g_test_run ();
}
