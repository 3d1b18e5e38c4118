/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"

#include "graph-test-util.h"

/* Personalized PageRank scores against their stated bound (every score within
 * 1e-10 of the exact one, HACKING.md §6): a hand-solved path, dense Gaussian
 * elimination on random graphs built from rows with self-loops, duplicates,
 * isolated nodes and several components, and long power iteration on a
 * dataset, whose ranking must agree wherever the exact scores differ by more
 * than twice the bound. */

#define H(x) PHILIA_PROXIMITY_##x
#define TOLERANCE 1e-10

static void
score_all (PhiliaGraph  *graph,
           double        alpha,
           guint         threads,
           const gint64 *pairs,
           gsize         n_pairs,
           guint         mask,
           double       *out)
{
  g_autoptr(GError) error = NULL;
  PhiliaProximityParams p;

  philia_proximity_params_init_default (&p);
  p.ppr_alpha = alpha;
  p.n_threads = threads;
  g_assert_true (philia_proximity_score_pairs (graph, &p, pairs, n_pairs, mask, out, NULL,
                                               &error));
  g_assert_no_error (error);
}

/* π_u for every u of a dense adjacency (self-loops and repeats already
 * folded), by Gaussian elimination with partial pivoting on
 * (I − (1 − α) A D⁻¹) π = α e_u; an isolated u keeps all its mass. */
static double *
dense_ppr (const double *adj,
           guint         n,
           double        alpha)
{
  double *ppr = g_new0 (double, (gsize)n * n);
  g_autofree double *deg = g_new0 (double, n);
  g_autofree double *m = g_new (double, (gsize)n * (n + 1));

  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      deg[i] += adj[i * n + j];
  for (guint u = 0; u < n; u++)
    {
      if (deg[u] == 0)
        {
          ppr[u * n + u] = 1;
          continue;
        }
      for (guint i = 0; i < n; i++)
        {
          for (guint j = 0; j < n; j++)
            m[i * (n + 1) + j] = (i == j) - (deg[j] > 0 ? (1 - alpha) * adj[i * n + j] / deg[j]
                                                        : 0);
          m[i * (n + 1) + n] = i == u ? alpha : 0;
        }
      for (guint c = 0; c < n; c++)
        {
          guint piv = c;

          for (guint r = c + 1; r < n; r++)
            if (fabs (m[r * (n + 1) + c]) > fabs (m[piv * (n + 1) + c]))
              piv = r;
          for (guint j = 0; j <= n; j++)
            {
              double t = m[c * (n + 1) + j];

              m[c * (n + 1) + j] = m[piv * (n + 1) + j];
              m[piv * (n + 1) + j] = t;
            }
          for (guint r = 0; r < n; r++)
            if (r != c && m[r * (n + 1) + c] != 0)
              {
                double f = m[r * (n + 1) + c] / m[c * (n + 1) + c];

                for (guint j = c; j <= n; j++)
                  m[r * (n + 1) + j] -= f * m[c * (n + 1) + j];
              }
        }
      for (guint i = 0; i < n; i++)
        ppr[u * n + i] = m[i * (n + 1) + n] / m[i * (n + 1) + i];
    }
  return ppr;
}

/* The path 0 – 1 – 2, solved by hand with β = 1 − α:
 * π_0 = α (2 − β²) / (2 (1 − β²)), π_0(1) = α β / (1 − β²),
 * π_0(2) = α β² / (2 (1 − β²)), and π_1(0) = π_0(1) d_0 / d_1. */
static void
test_path (void)
{
  const gint64 rows[] = { 0, 1, 1, 2 };
  g_autoptr(PhiliaGraph) g = test_graph_from_rows (3, rows, 2);
  const gint64 pairs[] = { 0, 0, 0, 1, 0, 2, 1, 0, 2, 0, 1, 1, 2, 1 };
  double out[7];
  double a = 0.15, b = 1 - a, z = 1 - b * b;

  score_all (g, a, 1, pairs, 7, PHILIA_PROXIMITY_MASK (H (PPR)), out);
  g_assert_cmpfloat_with_epsilon (out[0], a * (2 - b * b) / (2 * z), TOLERANCE);
  g_assert_cmpfloat_with_epsilon (out[1], a * b / z, TOLERANCE);
  g_assert_cmpfloat_with_epsilon (out[2], a * b * b / (2 * z), TOLERANCE);
  g_assert_cmpfloat_with_epsilon (out[3], a * b / z / 2, TOLERANCE);
  g_assert_cmpfloat_with_epsilon (out[4], a * b * b / (2 * z), TOLERANCE);
  /* π_1(1) = 1 − π_1(0) − π_1(2) by symmetry of the path. */
  g_assert_cmpfloat_with_epsilon (out[5], 1 - a * b / z, TOLERANCE);
  g_assert_cmpfloat_with_epsilon (out[6], a * b / z, TOLERANCE);
  /* α = 1: no walk. */
  score_all (g, 1, 1, pairs, 7, PHILIA_PROXIMITY_MASK (H (PPR)), out);
  for (guint i = 0; i < 7; i++)
    g_assert_cmpfloat (out[i], ==, pairs[2 * i] == pairs[2 * i + 1] ? 1 : 0);
}

/* No nodes; nodes but no edges. */
static void
test_empty (void)
{
  g_autoptr(PhiliaGraph) empty = test_graph_from_rows (0, NULL, 0);
  g_autoptr(PhiliaGraph) bare = test_graph_from_rows (3, NULL, 0);
  const gint64 pairs[] = { 0, 0, 0, 1, 2, 1, 2, 2 };
  double out[4] = { -1, -1, -1, -1 };

  score_all (empty, 0.15, 1, NULL, 0, PHILIA_PROXIMITY_MASK (H (PPR)), out);
  g_assert_cmpfloat (out[0], ==, -1);
  score_all (bare, 0.15, 1, pairs, 4, PHILIA_PROXIMITY_MASK (H (PPR)), out);
  g_assert_cmpfloat (out[0], ==, 1);
  g_assert_cmpfloat (out[1], ==, 0);
  g_assert_cmpfloat (out[2], ==, 0);
  g_assert_cmpfloat (out[3], ==, 1);
}

/* All n² pairs of random graphs in one call (so most pairs are turned), and
 * then one by one, against the dense solve. The rows repeat edges, add
 * self-loops and leave nodes 10, 21, … isolated; a third of the nodes form
 * a second component. */
static void
test_random_dense (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20);
  const struct { guint n; double p; double alpha; guint threads; } cases[] = {
    { 12, 0.3, 0.15, 1 }, { 33, 0.12, 0.15, 2 }, { 45, 0.2, 0.5, 2 }, { 40, 0.08, 0.01, 1 },
    { 50, 0.3, 0.15, 1 }, { 2, 1, 0.15, 1 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      guint n = cases[c].n, split = 2 * n / 3;
      g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autofree double *adj = g_new0 (double, n * n);
      g_autofree double *exact = NULL;
      g_autofree gint64 *pairs = g_new (gint64, 2 * n * n);
      g_autofree double *out = g_new (double, n * n);
      g_autoptr(PhiliaGraph) g = NULL;
      double worst = 0;

      for (guint i = 0; i < n; i++)
        for (guint j = i; j < n; j++)
          {
            gboolean same_side = (i < split) == (j < split);
            gint64 e[2] = { i, j }, back[2] = { j, i };

            if (i % 11 == 10 || j % 11 == 10 || !same_side || g_rand_double (rand) >= cases[c].p)
              continue;
            g_array_append_vals (rows, e, 2);
            if (g_rand_double (rand) < 0.2)
              g_array_append_vals (rows, back, 2);   /* a duplicate */
            if (i != j)
              adj[i * n + j] = adj[j * n + i] = 1;   /* self-loops are dropped */
          }
      g = test_graph_from_rows (n, (gint64 *)rows->data, rows->len / 2);
      exact = dense_ppr (adj, n, cases[c].alpha);

      for (guint u = 0; u < n; u++)
        for (guint v = 0; v < n; v++)
          pairs[2 * (u * n + v)] = u, pairs[2 * (u * n + v) + 1] = v;
      score_all (g, cases[c].alpha, cases[c].threads, pairs, n * n,
                 PHILIA_PROXIMITY_MASK (H (PPR)), out);
      for (guint i = 0; i < n * n; i++)
        worst = MAX (worst, fabs (out[i] - exact[i]));
      g_assert_cmpfloat (worst, <=, TOLERANCE);

      for (guint i = 0; i < n * n; i += 7)
        {
          double one;

          score_all (g, cases[c].alpha, 1, pairs + 2 * i, 1, PHILIA_PROXIMITY_MASK (H (PPR)),
                     &one);
          g_assert_cmpfloat (fabs (one - exact[i]), <=, TOLERANCE);
        }
    }
}

/* PPR among other heuristics lands in its own column with the same bits as
 * alone, and leaves the others' bits alone too. */
static void
test_mixed_mask (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint64));
  const guint n = 60, n_pairs = 500;
  guint all = PHILIA_PROXIMITY_ALL & ~PHILIA_PROXIMITY_MASK (H (FP));
  guint rest = all & ~PHILIA_PROXIMITY_MASK (H (PPR));
  guint n_all = philia_proximity_mask_count (all);
  g_autofree gint64 *pairs = g_new (gint64, 2 * n_pairs);
  g_autofree double *mixed = g_new (double, n_pairs * n_all);
  g_autofree double *others = g_new (double, n_pairs * (n_all - 1));
  g_autofree double *ppr = g_new (double, n_pairs);
  g_autoptr(PhiliaGraph) g = NULL;
  guint col = 0;

  for (guint i = 0; i < 4 * n; i++)
    {
      gint64 e[2] = { g_rand_int_range (rand, 0, n), g_rand_int_range (rand, 0, n) };

      g_array_append_vals (rows, e, 2);
    }
  g = test_graph_from_rows (n, (gint64 *)rows->data, rows->len / 2);
  for (guint i = 0; i < 2 * n_pairs; i++)
    pairs[i] = g_rand_int_range (rand, 0, n);
  score_all (g, 0.15, 2, pairs, n_pairs, all, mixed);
  score_all (g, 0.15, 2, pairs, n_pairs, rest, others);
  score_all (g, 0.15, 2, pairs, n_pairs, PHILIA_PROXIMITY_MASK (H (PPR)), ppr);
  for (guint h = 0; h < H (PPR); h++)
    col += (all & PHILIA_PROXIMITY_MASK (h)) != 0;
  for (guint i = 0; i < n_pairs; i++)
    for (guint k = 0; k < n_all; k++)
      {
        double want = k == col ? ppr[i] : others[i * (n_all - 1) + k - (k > col)];

        g_assert_cmpmem (&mixed[i * n_all + k], sizeof (double), &want, sizeof (double));
      }
}

/* Random pairs on Cora against power iteration on the CSR run far past
 * convergence ((1 − α)^300 < 1e-21), and the ranking of the pairs. */
static void
test_dataset (void)
{
  const char *folder = g_getenv ("PHILIA_SHARED_DATASETS");
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PhiliaGraph) g = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  const guint n_pairs = 240;
  g_autofree gint64 *pairs = g_new (gint64, 2 * n_pairs);
  g_autofree double *out = g_new (double, n_pairs);
  g_autofree double *exact = g_new (double, n_pairs);
  g_autofree double *pi = NULL, *next = NULL;
  const gint64 *off;
  const gint32 *nbr;
  double alpha = 0.15;
  guint n;

  if (folder == NULL || !g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("PHILIA_SHARED_DATASETS is not a folder");
      return;
    }
  path = g_build_filename (folder, "cora.npz", NULL);
  file = g_file_new_for_path (path);
  g = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  n = philia_graph_get_n_nodes (g);
  off = philia_graph_get_row_offsets (g);
  nbr = philia_graph_get_neighbors (g);
  /* Random pairs, a few repeated sources and some pairs both ways round. */
  for (guint i = 0; i < n_pairs; i++)
    {
      pairs[2 * i] = i % 4 == 1 ? pairs[2 * (i - 1)] : g_rand_int_range (rand, 0, n);
      pairs[2 * i + 1] = g_rand_int_range (rand, 0, n);
      if (i % 4 == 3)
        pairs[2 * i] = pairs[2 * (i - 1) + 1], pairs[2 * i + 1] = pairs[2 * (i - 1)];
    }
  score_all (g, alpha, 0, pairs, n_pairs, PHILIA_PROXIMITY_MASK (H (PPR)), out);

  pi = g_new (double, n);
  next = g_new (double, n);
  for (guint i = 0; i < n_pairs; i++)
    {
      guint u = (guint)pairs[2 * i];

      memset (pi, 0, sizeof (double) * n);
      pi[u] = 1;
      for (guint it = 0; it < 300; it++)
        {
          double lost = 0;

          memset (next, 0, sizeof (double) * n);
          for (guint x = 0; x < n; x++)
            {
              gint64 d = off[x + 1] - off[x];

              if (d == 0)
                lost += pi[x];
              for (gint64 e = off[x]; e < off[x + 1]; e++)
                next[nbr[e]] += (1 - alpha) * pi[x] / d;
            }
          next[u] += alpha + (1 - alpha) * lost;
          memcpy (pi, next, sizeof (double) * n);
        }
      exact[i] = pi[pairs[2 * i + 1]];
    }
  for (guint i = 0; i < n_pairs; i++)
    g_assert_cmpfloat (fabs (out[i] - exact[i]), <=, TOLERANCE);
  for (guint i = 0; i < n_pairs; i++)
    for (guint j = 0; j < n_pairs; j++)
      if (exact[i] > exact[j] + 2 * TOLERANCE)
        g_assert_cmpfloat (out[i], >, out[j]);
}

/* Gauss–Jordan inverse of the n × n @m in place (partial pivoting). */
static void
invert (double *m,
        guint   n)
{
  g_autofree double *inv = g_new0 (double, (gsize)n * n);

  for (guint i = 0; i < n; i++)
    inv[(gsize)i * n + i] = 1;
  for (guint c = 0; c < n; c++)
    {
      guint piv = c;
      double f;

      for (guint r = c + 1; r < n; r++)
        if (fabs (m[(gsize)r * n + c]) > fabs (m[(gsize)piv * n + c]))
          piv = r;
      for (guint j = 0; j < n; j++)
        {
          double t = m[(gsize)c * n + j], ti = inv[(gsize)c * n + j];

          m[(gsize)c * n + j] = m[(gsize)piv * n + j];
          m[(gsize)piv * n + j] = t;
          inv[(gsize)c * n + j] = inv[(gsize)piv * n + j];
          inv[(gsize)piv * n + j] = ti;
        }
      f = 1 / m[(gsize)c * n + c];
      for (guint j = 0; j < n; j++)
        m[(gsize)c * n + j] *= f, inv[(gsize)c * n + j] *= f;
      for (guint r = 0; r < n; r++)
        if (r != c && m[(gsize)r * n + c] != 0)
          {
            double g = m[(gsize)r * n + c];

            for (guint j = 0; j < n; j++)
              {
                m[(gsize)r * n + j] -= g * m[(gsize)c * n + j];
                inv[(gsize)r * n + j] -= g * inv[(gsize)c * n + j];
              }
          }
    }
  memcpy (m, inv, sizeof (double) * n * n);
}

/* Appends the row (i, j) and marks the simple edge it makes (self-loops are
 * dropped by the graph). */
static void
add_edge (GArray *rows,
          double *adj,
          guint   n,
          guint   i,
          guint   j)
{
  gint64 e[2] = { i, j };

  g_array_append_vals (rows, e, 2);
  if (i != j)
    adj[(gsize)i * n + j] = adj[(gsize)j * n + i] = 1;
}

/* 1,000 random pairs (sources repeated, pairs both ways round, (u, u),
 * isolated ends) on a graph of every awkward shape at once: a hub, a long
 * path, a star, small components, isolated nodes, self-loops and duplicate
 * rows. The exact scores come from one dense inverse,
 * Π = α (I − (1 − α) A D⁻¹)⁻¹ (column u is π_u; an isolated u keeps its
 * mass), a different method from the solver's; every score is within the
 * stated bound, and any two pairs whose exact scores differ by more than twice
 * the bound are ranked in the exact order, on one thread and on two. */
static void
test_ranking_1000 (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1000);
  const guint n = 300, n_pairs = 1000;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree double *adj = g_new0 (double, n * n);
  g_autofree double *deg = g_new0 (double, n);
  g_autofree double *m = g_new (double, n * n);
  g_autofree gint64 *pairs = g_new (gint64, 2 * n_pairs);
  g_autofree double *exact = g_new (double, n_pairs);
  g_autofree double *out = g_new (double, n_pairs);
  g_autoptr(PhiliaGraph) g = NULL;
  double alpha = 0.15;

  /* 0–199: random graph with a hub (0) and self-loops and repeats. */
  for (guint i = 1; i < 200; i++)
    {
      if (i % 3 == 0)
        add_edge (rows, adj, n, 0, i);
      for (guint k = 0; k < 2; k++)
        add_edge (rows, adj, n, i, (guint)g_rand_int_range (rand, 1, 200));
      if (i % 17 == 0)
        add_edge (rows, adj, n, i, i);
      if (i % 13 == 0)
        {
          add_edge (rows, adj, n, i, (guint)g_rand_int_range (rand, 1, 200));
          add_edge (rows, adj, n, i, i - 1);  /* both ways round: a duplicate */
          add_edge (rows, adj, n, i - 1, i);
        }
    }
  /* 200–259: a path; 260–279: a star; 280–291: pairs and a triangle;
   * 292–299: isolated (one with only a self-loop). */
  for (guint i = 200; i < 259; i++)
    add_edge (rows, adj, n, i, i + 1);
  for (guint i = 261; i < 280; i++)
    add_edge (rows, adj, n, 260, i);
  for (guint i = 280; i < 288; i += 2)
    add_edge (rows, adj, n, i, i + 1);
  add_edge (rows, adj, n, 288, 289);
  add_edge (rows, adj, n, 289, 290);
  add_edge (rows, adj, n, 290, 288);
  add_edge (rows, adj, n, 295, 295);
  g = test_graph_from_rows (n, (gint64 *)rows->data, rows->len / 2);

  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      deg[j] += adj[(gsize)i * n + j];
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      m[(gsize)i * n + j] = (i == j) - (deg[j] > 0 ? (1 - alpha) * adj[(gsize)i * n + j] / deg[j]
                                                  : (i == j) * (1 - alpha));
  invert (m, n);

  for (guint i = 0; i < n_pairs; i++)
    {
      guint u = g_rand_int_range (rand, 0, n), v = g_rand_int_range (rand, 0, n);

      if (i % 5 == 1)
        u = (guint)pairs[2 * (i - 1)];
      else if (i % 5 == 2)
        u = (guint)pairs[2 * (i - 1) + 1], v = (guint)pairs[2 * (i - 1)];
      else if (i % 50 == 3)
        v = u;
      pairs[2 * i] = u, pairs[2 * i + 1] = v;
      exact[i] = alpha * m[(gsize)v * n + u];
    }
  for (guint threads = 1; threads <= 2; threads++)
    {
      score_all (g, alpha, threads, pairs, n_pairs, PHILIA_PROXIMITY_MASK (H (PPR)), out);
      for (guint i = 0; i < n_pairs; i++)
        g_assert_cmpfloat (fabs (out[i] - exact[i]), <=, TOLERANCE);
      for (guint i = 0; i < n_pairs; i++)
        for (guint j = 0; j < n_pairs; j++)
          if (exact[i] > exact[j] + 2 * TOLERANCE)
            g_assert_cmpfloat (out[i], >, out[j]);
    }
}

/* The join of a column scored apart puts it where the mask's order says,
 * first, in between or last, and keeps the other columns in order. */
static void
test_join_column (void)
{
  const struct { guint mask; PhiliaProximityHeuristic h; guint col; } cases[] = {
    { PHILIA_PROXIMITY_MASK (H (PPR)) | PHILIA_PROXIMITY_MASK (H (SP)), H (PPR), 0 },
    { PHILIA_PROXIMITY_MASK (H (CN)) | PHILIA_PROXIMITY_MASK (H (PPR))
      | PHILIA_PROXIMITY_MASK (H (FP)), H (PPR), 1 },
    { PHILIA_PROXIMITY_MASK (H (CN)) | PHILIA_PROXIMITY_MASK (H (AA))
      | PHILIA_PROXIMITY_MASK (H (PPR)), H (PPR), 2 },
    { PHILIA_PROXIMITY_MASK (H (PPR)), H (PPR), 0 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      guint w = philia_proximity_mask_count (cases[c].mask);
      double rest[3 * 2], column[3], out[3 * 3];

      for (guint i = 0; i < 3 * (w - 1); i++)
        rest[i] = 10 + i;
      for (guint i = 0; i < 3; i++)
        column[i] = -1 - (double)i;
      philia_proximity_join_column (cases[c].mask, cases[c].h, rest, column, 3, out);
      for (guint i = 0; i < 3; i++)
        for (guint k = 0; k < w; k++)
          g_assert_cmpfloat (out[i * w + k], ==,
                             k == cases[c].col ? column[i]
                             : rest[i * (w - 1) + k - (k > cases[c].col)]);
    }
}

/* A graph of 600,000 nodes makes the block vectors narrower than one
 * hardware vector (the scalar step of philia-proximity-ppr.c): its 40-node
 * random part, the rest isolated, scores like the dense solve of that part. */
static void
test_wide_graph (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (600);
  const guint n = 600000, k = 40;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree double *adj = g_new0 (double, k * k);
  g_autofree double *exact = NULL;
  g_autofree gint64 *pairs = g_new (gint64, 2 * k * k + 2);
  g_autofree double *out = g_new (double, k * k + 1);
  g_autoptr(PhiliaGraph) g = NULL;

  for (guint i = 0; i < k; i++)
    for (guint j = i + 1; j < k; j++)
      if (g_rand_double (rand) < 0.15)
        add_edge (rows, adj, k, i, j);
  g = test_graph_from_rows (n, (gint64 *)rows->data, rows->len / 2);
  exact = dense_ppr (adj, k, 0.15);
  for (guint u = 0; u < k; u++)
    for (guint v = 0; v < k; v++)
      pairs[2 * (u * k + v)] = u, pairs[2 * (u * k + v) + 1] = v;
  pairs[2 * k * k] = 0, pairs[2 * k * k + 1] = n - 1;   /* to an isolated node */
  score_all (g, 0.15, 2, pairs, k * k + 1, PHILIA_PROXIMITY_MASK (H (PPR)), out);
  for (guint i = 0; i < k * k; i++)
    g_assert_cmpfloat (fabs (out[i] - exact[i]), <=, TOLERANCE);
  g_assert_cmpfloat (out[k * k], ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/Philia/ProximityPpr/path", test_path);
  g_test_add_func ("/Philia/ProximityPpr/empty", test_empty);
  g_test_add_func ("/Philia/ProximityPpr/random-dense", test_random_dense);
  g_test_add_func ("/Philia/ProximityPpr/mixed-mask", test_mixed_mask);
  g_test_add_func ("/Philia/ProximityPpr/dataset", test_dataset);
  g_test_add_func ("/Philia/ProximityPpr/ranking-1000", test_ranking_1000);
  g_test_add_func ("/Philia/ProximityPpr/join-column", test_join_column);
  g_test_add_func ("/Philia/ProximityPpr/wide-graph", test_wide_graph);
  return g_test_run ();
}
