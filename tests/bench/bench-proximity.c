/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-proximity DIR [NODES] [DEGREE] [PAIRS] [PPR_PAIRS_PUBMED] [PPR_PAIRS_GENERATED]:
 * every heuristic of philia_proximity_score_pairs for PAIRS (default 10^5)
 * seeded random pairs on PubMed ($PHILIA_SHARED_DATASETS) and on a generated
 * CSBM graph (default 10^5 nodes, mean degree 20: 10^6 edges, 32 features).
 * Writes each graph (.npz), its pairs and Philia's scores (raw little-endian
 * int64 / float64) into DIR, and the timings to DIR/philia-times.txt, so
 * bench-proximity.py can time scipy and networkx on the very same pairs and
 * check that they agree. PPR (a solve over the component per distinct source)
 * runs on the first PPR_PAIRS pairs only, on both sides.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "philia-core.h"

/* Runs of the sub-millisecond heuristics (pa, fp); bench-proximity.py uses as many. */
#define FAST_RUNS 10

static double
best_of (PhiliaGraph *graph,
         const gint64 *pairs,
         gsize         n_pairs,
         guint         mask,
         double       *out,
         int           runs)
{
  double best = G_MAXDOUBLE;

  for (int r = 0; r < runs; r++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      if (!philia_proximity_score_pairs (graph, NULL, pairs, n_pairs, mask, out, NULL, &error))
        {
          fprintf (stderr, "bench-proximity: %s\n", error->message);
          exit (1);
        }
      best = MIN (best, (g_get_monotonic_time () - start) / 1e6);
    }
  return best;
}

static void
save (const char *dir,
      const char *name,
      const void *data,
      gsize       size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, data, size, &error))
    {
      fprintf (stderr, "bench-proximity: %s\n", error->message);
      exit (1);
    }
}

static void
bench_graph (const char  *dir,
             const char  *name,
             PhiliaGraph *graph,
             gsize        n_pairs,
             gsize        n_ppr,
             FILE        *times)
{
  guint n = philia_graph_get_n_nodes (graph);
  g_autofree gint64 *pairs = g_new (gint64, 2 * n_pairs);
  g_autofree double *out = g_new (double, n_pairs * PHILIA_PROXIMITY_N_HEURISTICS);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
  g_autofree char *pairs_name = g_strdup_printf ("%s-pairs.bin", name);
  guint all_but_ppr = PHILIA_PROXIMITY_ALL & ~PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR);
  double total;

  for (gsize i = 0; i < 2 * n_pairs; i++)
    pairs[i] = g_rand_int_range (rand, 0, (gint32)n);
  save (dir, pairs_name, pairs, sizeof (gint64) * 2 * n_pairs);
  n_ppr = MIN (n_ppr, n_pairs);

  printf ("%s: %u nodes, %" G_GINT64_FORMAT " edges, %u features, %" G_GSIZE_FORMAT
          " pairs (ppr: first %" G_GSIZE_FORMAT "), %u threads\n", name, n,
          philia_graph_get_n_edges (graph), philia_graph_get_n_features (graph), n_pairs, n_ppr,
          g_get_num_processors ());
  for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    {
      gsize count = h == PHILIA_PROXIMITY_PPR ? n_ppr : n_pairs;
      /* pa and fp take well under a millisecond to a few: best of more
       * runs, as bench-proximity.py does for its side, so a busy moment of a
       * shared machine does not decide the ratio. */
      double t = best_of (graph, pairs, count, PHILIA_PROXIMITY_MASK (h), out,
                          h == PHILIA_PROXIMITY_PPR ? 1
                          : h == PHILIA_PROXIMITY_PA || h == PHILIA_PROXIMITY_FP ? FAST_RUNS : 3);
      g_autofree char *scores_name = g_strdup_printf ("%s-scores-%s.bin", name,
                                                      philia_proximity_heuristic_to_string (h));

      save (dir, scores_name, out, sizeof (double) * count);
      printf ("  philia %-8s %10.6f s  (%" G_GSIZE_FORMAT " pairs, %.4f ms a pair)\n",
              philia_proximity_heuristic_to_string (h), t, count, count ? 1e3 * t / count : 0);
      fprintf (times, "%s %s %" G_GSIZE_FORMAT " %.6f\n", name,
               philia_proximity_heuristic_to_string (h), count, t);
    }
  total = best_of (graph, pairs, n_pairs, all_but_ppr, out, 3);
  printf ("  philia all but ppr in one call %.4f s\n", total);
  fprintf (times, "%s together %" G_GSIZE_FORMAT " %.6f\n", name, n_pairs, total);
}

int
main (int    argc,
      char **argv)
{
  const char *dir, *folder = g_getenv ("PHILIA_SHARED_DATASETS");
  PhiliaCsbmParams params;
  g_autoptr(PhiliaGraph) generated = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *times_path = NULL;
  g_autofree char *generated_path = NULL;
  gsize n_pairs;
  FILE *times;

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-proximity DIR [NODES] [DEGREE] [PAIRS] [PPR_PUBMED] "
                       "[PPR_GENERATED]\n");
      return 2;
    }
  dir = argv[1];
  n_pairs = argc > 4 ? (gsize)atol (argv[4]) : 100000;
  philia_core_init ();
  times_path = g_build_filename (dir, "philia-times.txt", NULL);
  times = fopen (times_path, "w");
  if (times == NULL)
    return 1;

  if (folder != NULL)
    {
      g_autofree char *path = g_build_filename (folder, "pubmed.npz", NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(PhiliaGraph) pubmed = philia_graph_load (file, NULL, NULL, NULL, &error);

      if (pubmed == NULL)
        {
          fprintf (stderr, "bench-proximity: %s\n", error->message);
          return 1;
        }
      bench_graph (dir, "pubmed", pubmed, n_pairs, argc > 5 ? (gsize)atol (argv[5]) : 2000,
                   times);
    }
  else
    printf ("PHILIA_SHARED_DATASETS is not set: PubMed skipped\n");

  philia_csbm_params_init_default (&params);
  params.n_nodes = argc > 2 ? (guint)atoi (argv[2]) : 100000;
  params.degree = argc > 3 ? atof (argv[3]) : 20.0;
  params.n_classes = 5;
  params.homophily = 0.5;
  params.n_features = 32;
  params.n_splits = 0;
  params.seed = 1;
  generated = philia_csbm_generate (&params, NULL, &error);
  if (generated == NULL)
    {
      fprintf (stderr, "bench-proximity: %s\n", error->message);
      return 1;
    }
  generated_path = g_build_filename (dir, "generated.npz", NULL);
  if (!philia_graph_write_npz (generated, generated_path, &error))
    {
      fprintf (stderr, "bench-proximity: %s\n", error->message);
      return 1;
    }
  bench_graph (dir, "generated", generated, n_pairs, argc > 6 ? (gsize)atol (argv[6]) : 200,
               times);
  fclose (times);
  return 0;
}
