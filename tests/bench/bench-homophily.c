/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-homophily [NODES] [DEGREE] [OUT.npz]: every graph-level homophily
 * measure on a generated CSBM graph (default 10^6 nodes, mean degree 20, so
 * 10^7 edges), against igraph_assortativity_nominal for adjusted homophily
 * alone. Writes the graph to OUT.npz so bench-homophily.py can time numpy on
 * the very same graph in the same run. Reports the best and median of 5 runs
 * and the extra heap the computation takes next to the CSR's size.
 */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include <igraph.h>

#include "philia-core.h"

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  PhiliaCsbmParams params;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  double ours[5], theirs[5], value = 0, assort = 0;
  gsize csr_bytes, heap_before, heap_peak = 0;
  igraph_t ig;
  igraph_vector_int_t edges, types;
  guint n;
  gint64 m;
  const gint64 *off;
  const gint32 *nbr;

  philia_core_init ();
  philia_csbm_params_init_default (&params);
  params.n_nodes = argc > 1 ? (guint)atoi (argv[1]) : 1000000;
  params.degree = argc > 2 ? atof (argv[2]) : 20.0;
  params.n_classes = 5;
  params.homophily = 0.3;
  params.n_features = 0;
  params.n_splits = 0;
  params.seed = 1;

  graph = philia_csbm_generate (&params, NULL, &error);
  if (graph == NULL)
    {
      fprintf (stderr, "bench-homophily: %s\n", error->message);
      return 1;
    }
  if (argc > 3 && !philia_graph_write_npz (graph, argv[3], &error))
    {
      fprintf (stderr, "bench-homophily: %s\n", error->message);
      return 1;
    }

  n = philia_graph_get_n_nodes (graph);
  m = philia_graph_get_n_edges (graph);
  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  csr_bytes = sizeof (gint64) * (n + 1) + sizeof (gint32) * 2 * m;

  for (int r = 0; r < 5; r++)
    {
      gint64 start = g_get_monotonic_time ();
      PhiliaHomophily *h;
      struct mallinfo2 before = mallinfo2 ();

      heap_before = before.uordblks + before.hblkhd;
      h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 0, NULL, NULL);
      ours[r] = (g_get_monotonic_time () - start) / 1e6;
      {
        struct mallinfo2 after = mallinfo2 ();

        heap_peak = MAX (heap_peak, after.uordblks + after.hblkhd - heap_before);
      }
      value = h->adjusted_homophily;
      philia_homophily_free (h);
    }

  /* igraph on the same simple graph, labels as vertex types. */
  igraph_vector_int_init (&edges, 2 * m);
  for (guint u = 0, at = 0; u < n; u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      if (nbr[e] > (gint32)u)
        {
          VECTOR (edges)[at++] = u;
          VECTOR (edges)[at++] = nbr[e];
        }
  igraph_create (&ig, &edges, n, IGRAPH_UNDIRECTED);
  igraph_vector_int_init (&types, n);
  for (guint v = 0; v < n; v++)
    VECTOR (types)[v] = philia_graph_get_labels (graph)[v];
  for (int r = 0; r < 5; r++)
    {
      gint64 start = g_get_monotonic_time ();

      igraph_assortativity_nominal (&ig, &types, &assort, IGRAPH_UNDIRECTED, TRUE);
      theirs[r] = (g_get_monotonic_time () - start) / 1e6;
    }
  igraph_destroy (&ig);
  igraph_vector_int_destroy (&edges);
  igraph_vector_int_destroy (&types);

  qsort (ours, 5, sizeof (double), compare_double);
  qsort (theirs, 5, sizeof (double), compare_double);
  printf ("graph: %u nodes, %" G_GINT64_FORMAT " edges, CSR %.1f MB\n", n, m, csr_bytes / 1e6);
  printf ("philia all measures       best %.4f s  median %.4f s  (adjusted %.6f)\n",
          ours[0], ours[2], value);
  printf ("igraph assortativity only best %.4f s  median %.4f s  (value    %.6f)\n",
          theirs[0], theirs[2], assort);
  printf ("extra heap during compute %.1f MB = %.2f x CSR\n", heap_peak / 1e6,
          (double)heap_peak / csr_bytes);
  return 0;
}
