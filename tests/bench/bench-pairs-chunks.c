/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-pairs-chunks GRAPH PAIRS OUT HEURISTIC CHUNK [LIMIT [BOUNDS]]: loads
 * GRAPH once, then scores the pairs of the CSV PAIRS (header, then u,v) with
 * one heuristic (its default parameters, so ppr takes bippr on a large graph)
 * CHUNK pairs at a time, appending "u,v,score" rows (%.17g) to OUT after
 * each chunk and printing the pairs done, the CPU seconds of scoring so far,
 * the peak resident size and the load average. A run stopped early has its
 * finished chunks in OUT, so a long run gives its rate and its pairs done;
 * LIMIT stops after that many pairs. The scores of a pair do not depend on
 * the chunk (HACKING.md §6), so OUT equals `philia-cli proximity`'s scores.
 *
 * BOUNDS, a list "EPSILON:FAILURE,..." (ppr only), scores the first LIMIT
 * pairs again under each of bippr's bounds in turn (δ stays 1/n), in one
 * process so the graph is loaded once: the cost of each bound a user can
 * choose, on the same pairs. OUT then has a comment line naming each bound
 * before its rows.
 *
 * With BENCH_PAIRS_VARIANTS="K=V;K=V|K=V|..." in the environment, the first
 * LIMIT pairs are scored once under each variant in turn (its variables set
 * with g_setenv, the ones of the variant before unset), in the same process:
 * engine settings (PHILIA_BIPPR_*) compared interleaved on one loaded graph.
 * List a variant twice to alternate rounds. OUT then has a comment line
 * naming each variant before its rows.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "philia-core.h"
#include "bench-util.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree double *out = NULL;
  PhiliaProximityParams params;
  PhiliaProximityHeuristic heuristic;
  gsize chunk, limit, n_pairs;
  g_auto(GStrv) bounds = NULL;
  g_auto(GStrv) variants = NULL;
  guint n_bounds, n_variants;
  char line[256];
  FILE *in, *dst;
  double cpu0, cpu;

  if (argc < 6)
    {
      fprintf (stderr, "usage: bench-pairs-chunks GRAPH PAIRS OUT HEURISTIC CHUNK "
               "[LIMIT [BOUNDS]]\n");
      return 2;
    }
  philia_core_init ();
  if (!philia_proximity_heuristic_from_string (argv[4], &heuristic))
    {
      fprintf (stderr, "bench-pairs-chunks: unknown heuristic %s\n", argv[4]);
      return 2;
    }
  chunk = MAX ((gsize)atol (argv[5]), 1);
  limit = argc > 6 ? (gsize)atol (argv[6]) : G_MAXSIZE;

  in = fopen (argv[2], "r");
  if (in == NULL || fgets (line, sizeof line, in) == NULL)
    {
      fprintf (stderr, "bench-pairs-chunks: cannot read %s\n", argv[2]);
      return 1;
    }
  while (fgets (line, sizeof line, in) != NULL && pairs->len / 2 < limit)
    {
      char *end;
      gint64 uv[2];

      uv[0] = g_ascii_strtoll (line, &end, 10);
      uv[1] = g_ascii_strtoll (end + 1, NULL, 10);
      g_array_append_vals (pairs, uv, 2);
    }
  fclose (in);
  n_pairs = pairs->len / 2;

  cpu0 = bench_cpu_seconds ();
  file = g_file_new_for_commandline_arg (argv[1]);
  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  if (graph == NULL)
    {
      fprintf (stderr, "bench-pairs-chunks: %s\n", error->message);
      return 1;
    }
  printf ("loaded %u nodes, %" G_GINT64_FORMAT " edges: %.1f CPU s, peak %ld MB, "
          "load average %.2f\n", philia_graph_get_n_nodes (graph),
          philia_graph_get_n_edges (graph), bench_cpu_seconds () - cpu0, bench_peak_mb (), bench_load_average ());
  fflush (stdout);

  philia_proximity_params_init_default (&params);
  out = g_new (double, chunk);
  dst = fopen (argv[3], "w");
  if (dst == NULL)
    {
      fprintf (stderr, "bench-pairs-chunks: cannot write %s\n", argv[3]);
      return 1;
    }
  fprintf (dst, "u,v,%s\n", argv[4]);
  bounds = g_strsplit (argc > 7 ? argv[7] : "", ",", -1);
  variants = g_strsplit (g_getenv ("BENCH_PAIRS_VARIANTS") ? g_getenv ("BENCH_PAIRS_VARIANTS")
                         : "", "|", -1);
  n_bounds = g_strv_length (bounds);
  n_variants = g_strv_length (variants);
  for (guint b = 0; b < MAX (1, MAX (n_bounds, n_variants)); b++)
    {
      if (b < n_variants)
        {
          if (b > 0)
            {
              g_auto(GStrv) old = g_strsplit (variants[b - 1], ";", -1);

              for (guint k = 0; old[k] != NULL; k++)
                {
                  g_auto(GStrv) kv = g_strsplit (old[k], "=", 2);

                  if (kv[0] != NULL)
                    g_unsetenv (kv[0]);
                }
            }
          {
            g_auto(GStrv) set = g_strsplit (variants[b], ";", -1);

            for (guint k = 0; set[k] != NULL; k++)
              {
                g_auto(GStrv) kv = g_strsplit (set[k], "=", 2);

                if (kv[0] != NULL && kv[0][0] != 0 && kv[1] != NULL)
                  g_setenv (kv[0], kv[1], TRUE);
              }
          }
          fprintf (dst, "# variant %s\n", variants[b]);
          printf ("variant %s:\n", variants[b]);
        }
      if (b < n_bounds)
        {
          char *end;

          params.ppr_epsilon = g_ascii_strtod (bounds[b], &end);
          params.ppr_failure = *end == ':' ? g_ascii_strtod (end + 1, NULL) : 0;
          if (!(params.ppr_epsilon > 0) || !(params.ppr_failure > 0 && params.ppr_failure < 1))
            {
              fprintf (stderr, "bench-pairs-chunks: bad bound %s (EPSILON:FAILURE)\n", bounds[b]);
              return 2;
            }
          params.ppr_method = PHILIA_PROXIMITY_PPR_BIPPR;
          fprintf (dst, "# epsilon %g failure %g\n", params.ppr_epsilon, params.ppr_failure);
          printf ("bippr, epsilon %g, delta 1/n, failure %g:\n", params.ppr_epsilon,
                  params.ppr_failure);
        }
      cpu0 = bench_cpu_seconds ();
      for (gsize at = 0; at < n_pairs; at += chunk)
        {
          gsize k = MIN (chunk, n_pairs - at);
          const gint64 *p = &g_array_index (pairs, gint64, 2 * at);

          if (!philia_proximity_score_pairs (graph, &params, p, k,
                                             PHILIA_PROXIMITY_MASK (heuristic), out, NULL, &error))
            {
              fprintf (stderr, "bench-pairs-chunks: %s\n", error->message);
              return 1;
            }
          for (gsize i = 0; i < k; i++)
            fprintf (dst, "%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%.17g\n", p[2 * i],
                     p[2 * i + 1], out[i]);
          fflush (dst);
          cpu = bench_cpu_seconds () - cpu0;
          printf ("%" G_GSIZE_FORMAT " pairs: %.1f CPU s (%.3f CPU ms a pair), peak %ld MB, "
                  "load average %.2f\n", at + k, cpu, 1e3 * cpu / (at + k), bench_peak_mb (),
                  bench_load_average ());
          fflush (stdout);
        }
    }
  fclose (dst);
  return 0;
}
