/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <math.h>
#include <mpi.h>

#include "philia-cli-mpi.h"
#include "philia-homophily-parts.h"

/*
 * philia-cli stats across MPI ranks. Rank r counts the edge ends at its
 * share of the nodes (a contiguous range holding about 1/K of the ends);
 * the counts are integers and summed exactly, then every rank derives the
 * measures with the code a single process uses. The mean feature
 * similarity over edges is a floating-point sum: each rank computes the
 * cosines of its edges, and the running sum passes from rank to rank in
 * node order, so it is added up in exactly the order of one process. The
 * random-pair baseline (one seeded sequence) is drawn on rank 0.
 */

/* The first node of rank @r's range: ranges split the ends evenly. */
static guint
range_start (PhiliaGraph *graph,
             int          r,
             int          size)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  gint64 target;
  guint lo = 0, hi = n;

  if (r <= 0)
    return 0;
  if (r >= size)
    return n;
  target = (gint64)((double)off[n] * r / size);
  /* The first v with off[v] >= target. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (off[mid] < target)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
sum_int64 (gint64 *values,
           gsize   n)
{
  /* MPI counts are ints: large arrays go in slices. */
  const gsize slice = 1 << 28;

  for (gsize at = 0; at < n; at += slice)
    MPI_Allreduce (MPI_IN_PLACE, values + at, (int)MIN (slice, n - at), MPI_INT64_T, MPI_SUM,
                   MPI_COMM_WORLD);
}

/* Sets the feature similarities of @h as philia_homophily_compute() does. */
static void
feature_similarity (PhiliaHomophily *h,
                    PhiliaGraph     *graph,
                    guint            first,
                    guint            last,
                    guint64          seed)
{
  int rank = cli_mpi_rank (), size = cli_mpi_size ();
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  g_autofree double *norms = philia_feature_norms (graph);
  g_autofree double *cosines = NULL;
  gint64 count = 0, n_pairs = 0;
  double sum = 0.0, random = NAN;

  h->feature_similarity_edges = NAN;
  h->feature_similarity_random = NAN;
  if (norms == NULL)
    return;

  /* Each undirected edge once, at its lower end, in node order. */
  cosines = g_new (double, MAX (off[last] - off[first], 1));
  for (guint v = first; v < last; v++)
    for (gint64 e = off[v]; e < off[v + 1]; e++)
      if (nbr[e] > (gint32)v)
        cosines[count++] = philia_feature_cosine (graph, norms, v, nbr[e]);

  /* The running sum, rank after rank: one process's order of additions. */
  if (rank > 0)
    MPI_Recv (&sum, 1, MPI_DOUBLE, rank - 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  for (gint64 i = 0; i < count; i++)
    sum += cosines[i];
  if (rank + 1 < size)
    MPI_Send (&sum, 1, MPI_DOUBLE, rank + 1, 0, MPI_COMM_WORLD);
  MPI_Bcast (&sum, 1, MPI_DOUBLE, size - 1, MPI_COMM_WORLD);
  MPI_Allreduce (MPI_IN_PLACE, &count, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
  if (count > 0)
    h->feature_similarity_edges = sum / count;

  if (rank == 0)
    random = philia_feature_similarity_random (graph, norms, seed, &n_pairs);
  MPI_Bcast (&random, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  MPI_Bcast (&n_pairs, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
  h->feature_similarity_random = random;
  h->n_random_pairs = n_pairs;
}

static PhiliaHomophily *
homophily (PhiliaGraph       *graph,
           PhiliaConvention   convention,
           guint64            seed,
           GError           **error)
{
  g_autoptr(PhiliaHomophilyCounts) counts = NULL;
  guint first, last;
  PhiliaHomophily *h;

  counts = philia_homophily_counts_new (graph, error);
  first = range_start (graph, cli_mpi_rank (), cli_mpi_size ());
  last = range_start (graph, cli_mpi_rank () + 1, cli_mpi_size ());
  if (counts != NULL)
    philia_homophily_counts_add_nodes (counts, graph, convention, first, last, NULL, error);
  if (!cli_mpi_agree (error))
    return NULL;

  sum_int64 (counts->degree, counts->n_nodes);
  sum_int64 (counts->same, counts->n_nodes);
  sum_int64 (counts->compatibility, (gsize)counts->n_classes * counts->n_classes);
  h = philia_homophily_from_counts (graph, counts, convention);
  feature_similarity (h, graph, first, last, seed);
  return h;
}

PhiliaStatsReport *
cli_mpi_stats_report (PhiliaGraph                    *graph,
                      const PhiliaStatsReportOptions *options,
                      GError                        **error)
{
  g_autoptr(PhiliaHomophily) h = NULL;
  g_autoptr(PhiliaHomophily) stored = NULL;
  PhiliaStatsReport *report;

  if (!options->stored_only)
    {
      h = homophily (graph, PHILIA_CONVENTION_DEFAULT, options->seed, error);
      if (h == NULL)
        return NULL;
    }
  if (options->stored != PHILIA_CONVENTION_DEFAULT)
    {
      stored = homophily (graph, options->stored, options->seed, error);
      if (stored == NULL)
        return NULL;
    }
  /* The plugins' graph measures need the whole graph: every rank has it. */
  report = philia_stats_report_new_from_parts (graph, options, g_steal_pointer (&h),
                                               g_steal_pointer (&stored), NULL, error);
  if (!cli_mpi_agree (error))
    g_clear_pointer (&report, philia_stats_report_free);
  return report;
}
