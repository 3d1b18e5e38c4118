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
  const char *algorithms[] = { "fr", "kk", "drl", "circle", "class-grouped" };

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
  const char *algorithms[] = { "fr", "kk", "drl", "circle", "class-grouped" };

  for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
    {
      g_autofree double *a = layout (empty, algorithms[i], 0);
      g_autofree double *b = layout (single, algorithms[i], 0);
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
  return g_test_run ();
}
