/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Times philia_graph_load() (zip + inflate + .npy parse + validation + CSR
 * build) on the shared datasets: best and median of 5 runs after one warm-up.
 * Usage: bench-load [FILE.npz ...]; without arguments, pubmed.npz and
 * squirrel.npz from $PHILIA_SHARED_DATASETS.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "philia-core.h"

#define RUNS 5

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static gboolean
bench_file (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *name = g_file_get_basename (file);
  double times[RUNS];
  guint n = 0;
  gint64 m = 0;

  for (int run = -1; run < RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaGraph) graph = NULL;
      gint64 start = g_get_monotonic_time ();

      graph = philia_graph_load (file, NULL, NULL, NULL, &error);
      if (graph == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return FALSE;
        }
      if (run >= 0)
        times[run] = (g_get_monotonic_time () - start) / 1000.0;
      n = philia_graph_get_n_nodes (graph);
      m = philia_graph_get_n_edges (graph);
    }

  qsort (times, RUNS, sizeof times[0], compare_doubles);
  printf ("philia  %-14s nodes %7u  edges %8" G_GINT64_FORMAT "  best %8.2f ms  median %8.2f ms\n",
          name, n, m, times[0], times[RUNS / 2]);
  return TRUE;
}

int
main (int argc, char *argv[])
{
  const char *dir = g_getenv ("PHILIA_SHARED_DATASETS");
  gboolean ok = TRUE;

  philia_core_init ();

  if (argc > 1)
    {
      for (int i = 1; i < argc; i++)
        ok &= bench_file (argv[i]);
      return ok ? 0 : 1;
    }

  if (dir == NULL)
    {
      fprintf (stderr, "Set PHILIA_SHARED_DATASETS or name the files to load.\n");
      return 77;
    }
  for (guint i = 0; i < 2; i++)
    {
      const char *names[] = { "pubmed.npz", "squirrel.npz" };
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      ok &= bench_file (path);
    }
  return ok ? 0 : 1;
}
