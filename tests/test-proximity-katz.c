/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"

#include "graph-test-util.h"

/* Truncated Katz has two routes (philia-proximity-katz.c): a source with at
 * most four targets meets each target halfway through small hash maps, a
 * source with more scatters its walk counts over the whole graph. Both must
 * give the same bits, and the numbers of dense matrix powers. */

#define KATZ PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_KATZ)

static void
katz (PhiliaGraph  *g,
      guint         len,
      double        beta,
      const gint64 *pairs,
      gsize         n_pairs,
      guint         n_threads,
      double       *out)
{
  g_autoptr(GError) error = NULL;
  PhiliaProximityParams p;

  philia_proximity_params_init_default (&p);
  p.katz_len = len;
  p.katz_beta = beta;
  p.n_threads = n_threads;
  g_assert_true (philia_proximity_score_pairs (g, &p, pairs, n_pairs, KATZ, out, NULL, &error));
  g_assert_no_error (error);
}

/* A random graph with isolated nodes, self-loops and duplicate rows. */
static PhiliaGraph *
random_graph (GRand  *rand,
              guint   n,
              double  p)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < n; i++)
    for (guint j = i; j < n; j++)
      if (i % 13 != 12 && j % 13 != 12
          && g_rand_double (rand) < (i == j ? 0.2 : p))
        {
          gint64 e[2] = { i, j }, r[2] = { j, i };

          g_array_append_vals (rows, e, 2);
          if (g_rand_double (rand) < 0.1)
            g_array_append_vals (rows, r, 2);
        }
  return test_graph_from_rows (n, (gint64 *)rows->data, rows->len / 2);
}

/* Σ_l β^l (A^l)_{uv} from dense powers of the simple graph's adjacency. */
static double
dense_katz (PhiliaGraph *g,
            guint        len,
            double       beta,
            guint        u,
            guint        v)
{
  guint n = philia_graph_get_n_nodes (g);
  const gint64 *off = philia_graph_get_row_offsets (g);
  const gint32 *nbr = philia_graph_get_neighbors (g);
  g_autofree double *x = g_new0 (double, n);
  g_autofree double *y = g_new0 (double, n);
  double sum = 0, bl = 1;

  x[u] = 1;
  for (guint l = 1; l <= len; l++)
    {
      for (guint i = 0; i < n; i++)
        {
          y[i] = 0;
          for (gint64 e = off[i]; e < off[i + 1]; e++)
            y[i] += x[nbr[e]];
        }
      memcpy (x, y, sizeof (double) * n);
      bl *= beta;
      sum += bl * x[v];
    }
  return sum;
}

/* Every pair scored once with its source alone (halfway) and once among
 * seven more targets of the same source (the dense route): the same bits,
 * one thread or three, and the dense powers within rounding. */
static void
test_routes_agree (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20);
  const struct { guint n; double p; } graphs[] = {
    { 1, 0 }, { 2, 1 }, { 14, 0.3 }, { 40, 0.08 }, { 60, 0.2 }, { 90, 0.04 },
  };
  const guint lens[] = { 1, 2, 3, 4, 5, 6, 7, 10 };

  for (guint c = 0; c < G_N_ELEMENTS (graphs); c++)
    {
      g_autoptr(PhiliaGraph) g = random_graph (rand, graphs[c].n, graphs[c].p);
      guint n = philia_graph_get_n_nodes (g), n_pairs = 3 * n;
      g_autofree gint64 *alone = g_new (gint64, 2 * n_pairs);
      g_autofree gint64 *crowded = g_new (gint64, 2 * 8 * n_pairs);
      g_autofree double *a = g_new (double, n_pairs);
      g_autofree double *a3 = g_new (double, n_pairs);
      g_autofree double *b = g_new (double, 8 * n_pairs);

      /* Each source u appears in three pairs (u, v) when scored "alone", so a
       * source has at most four targets; "crowded" gives it 24. */
      for (guint i = 0; i < n_pairs; i++)
        {
          alone[2 * i] = i % n;
          alone[2 * i + 1] = i < n ? (gint64)(i % n) : g_rand_int_range (rand, 0, (gint32)n);
        }
      for (guint i = 0; i < 8 * n_pairs; i++)
        {
          crowded[2 * i] = alone[2 * (i % n_pairs)];
          crowded[2 * i + 1] = i < n_pairs ? alone[2 * i + 1] : g_rand_int_range (rand, 0, (gint32)n);
        }
      for (guint k = 0; k < G_N_ELEMENTS (lens); k++)
        {
          double beta = k % 2 ? 0.05 : 0.5;

          katz (g, lens[k], beta, alone, n_pairs, 1, a);
          katz (g, lens[k], beta, alone, n_pairs, 3, a3);
          katz (g, lens[k], beta, crowded, 8 * n_pairs, 1, b);
          g_assert_true (memcmp (a, a3, sizeof (double) * n_pairs) == 0);
          for (guint i = 0; i < n_pairs; i++)
            {
              guint u = alone[2 * i], v = alone[2 * i + 1];
              double want = dense_katz (g, lens[k], beta, u, v);

              if (a[i] != b[i])
                g_error ("graph %u, L %u, (%u, %u): halfway %.17g, dense route %.17g", c, lens[k],
                         u, v, a[i], b[i]);
              if (!(fabs (a[i] - want) <= 1e-12 * MAX (1.0, want)))
                g_error ("graph %u, L %u, (%u, %u): %.17g, dense powers %.17g", c, lens[k], u, v,
                         a[i], want);
            }
        }
    }
}

/* A star with more leaves than the halfway maps hold, by hand. From the
 * centre c: (A^l)_{c,leaf} is 1 for odd l ≥ 1 times k^((l−1)/2) (walks
 * c-x-c-x-…-leaf), so katz(c, leaf) at L = 3 is β + kβ³; between two leaves
 * (A^2) = 1, so katz(leaf, leaf') = β², and katz(c, c) = kβ² at L = 3. The
 * centre's maps overflow (k > 2^15) and take the dense route; the leaves'
 * do not. */
static void
test_big_star (void)
{
  const guint k = 40000;
  g_autofree gint64 *rows = g_new (gint64, 2 * k);
  g_autoptr(PhiliaGraph) g = NULL;
  gint64 pairs[] = { 0, 1,  1, 0,  5, 9,  0, 0,  3, 3 };
  double out[5], beta = 0.001;

  for (guint i = 0; i < k; i++)
    rows[2 * i] = 0, rows[2 * i + 1] = i + 1;
  g = test_graph_from_rows (k + 1, rows, k);
  katz (g, 3, beta, pairs, 5, 1, out);
  g_assert_cmpfloat_with_epsilon (out[0], beta + k * beta * beta * beta, 1e-15);
  g_assert_cmpfloat (out[0], ==, out[1]);
  g_assert_cmpfloat_with_epsilon (out[2], beta * beta, 1e-18);
  g_assert_cmpfloat_with_epsilon (out[3], k * beta * beta, 1e-15);
  /* A leaf: one walk back of length 2 (leaf-c-leaf). */
  g_assert_cmpfloat_with_epsilon (out[4], beta * beta, 1e-18);
}

/* Hop distances by plain BFS from u over the CSR. */
static gint32
bfs_distance (PhiliaGraph *g,
              guint        u,
              guint        v)
{
  guint n = philia_graph_get_n_nodes (g);
  const gint64 *off = philia_graph_get_row_offsets (g);
  const gint32 *nbr = philia_graph_get_neighbors (g);
  g_autofree gint32 *dist = g_new (gint32, n);
  g_autofree guint *queue = g_new (guint, n);
  guint head = 0, tail = 0;

  for (guint i = 0; i < n; i++)
    dist[i] = -1;
  dist[u] = 0;
  queue[tail++] = u;
  while (head < tail)
    {
      guint x = queue[head++];

      for (gint64 e = off[x]; e < off[x + 1]; e++)
        if (dist[nbr[e]] < 0)
          {
            dist[nbr[e]] = dist[x] + 1;
            queue[tail++] = (guint)nbr[e];
          }
    }
  return dist[v];
}

/* sp of few-target sources (the bidirectional BFS over hash maps) against a
 * plain BFS: random graphs with isolated nodes and several components, a
 * long path, and a star whose centre overflows the maps (dense fallback). */
static void
test_shortest_paths (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (21);
  const guint k = 40000;
  g_autofree gint64 *star = g_new (gint64, 2 * (k + 60));
  g_autoptr(PhiliaGraph) big = NULL;
  PhiliaGraph *graphs[4];
  g_autoptr(GError) error = NULL;

  graphs[0] = random_graph (rand, 50, 0.04);
  graphs[1] = random_graph (rand, 200, 0.012);
  graphs[2] = random_graph (rand, 30, 0.3);
  {
    gint64 path[2 * 99];

    for (guint i = 0; i < 99; i++)
      path[2 * i] = i, path[2 * i + 1] = i + 1;
    graphs[3] = test_graph_from_rows (100, path, 99);
  }
  for (guint c = 0; c < G_N_ELEMENTS (graphs); c++)
    {
      guint n = philia_graph_get_n_nodes (graphs[c]), n_pairs = 2 * n;
      g_autofree gint64 *pairs = g_new (gint64, 2 * n_pairs);
      g_autofree double *out = g_new (double, n_pairs);

      for (guint i = 0; i < n_pairs; i++)
        {
          pairs[2 * i] = i % n;
          pairs[2 * i + 1] = g_rand_int_range (rand, 0, (gint32)n);
        }
      g_assert_true (philia_proximity_score_pairs (graphs[c], NULL, pairs, n_pairs,
                                                   PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_SP),
                                                   out, NULL, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < n_pairs; i++)
        g_assert_cmpfloat (out[i], ==, bfs_distance (graphs[c], pairs[2 * i],
                                                     pairs[2 * i + 1]));
      g_object_unref (graphs[c]);
    }

  /* The star's centre 0 with k leaves, and a tail 1-(k+1)-…-(k+60). */
  for (guint i = 0; i < k; i++)
    star[2 * i] = 0, star[2 * i + 1] = i + 1;
  for (guint i = 0; i < 60; i++)
    star[2 * (k + i)] = i == 0 ? 1 : k + i, star[2 * (k + i) + 1] = k + i + 1;
  big = test_graph_from_rows (k + 61, star, k + 60);
  {
    gint64 pairs[] = { 5, 9,  0, 7,  k + 60, 3,  2, k + 60,  4, 4 };
    double out[5];

    g_assert_true (philia_proximity_score_pairs (big, NULL, pairs, 5,
                                                 PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_SP),
                                                 out, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpfloat (out[0], ==, 2);
    g_assert_cmpfloat (out[1], ==, 1);
    g_assert_cmpfloat (out[2], ==, 62);   /* 3-0-1, then 60 tail edges */
    g_assert_cmpfloat (out[3], ==, 62);
    g_assert_cmpfloat (out[4], ==, 0);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Philia/ProximityKatz/routes-agree", test_routes_agree);
  g_test_add_func ("/Philia/ProximityKatz/big-star", test_big_star);
  g_test_add_func ("/Philia/ProximityKatz/shortest-paths", test_shortest_paths);

  return g_test_run ();
}
