/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"

#include "graph-test-util.h"

/* Approximate PPR (bippr, HACKING.md §6 "Approximate PPR") against the exact
 * solver, which tests/test-proximity-ppr.c checks against dense solves: on
 * random graphs built from rows with self-loops, duplicates, isolated nodes
 * and several components, every pair of many seeds, the share of pairs
 * outside the stated bound |π̂ − π| ≤ ε max (π, δ) must stay within the
 * stated failure probability. Plus: same seed, same bits, whatever the order
 * of the pairs and the threads; the exact cases (isolated ends, other
 * components); the parameters' errors; the auto method's choice. */

#define H(x) PHILIA_PROXIMITY_##x
#define PPR PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR)

/* A graph of @n nodes: a few dense-ish blocks (components) with random
 * edges, some self-loops and repeated rows, and the last nodes isolated. */
static PhiliaGraph *
awkward_graph (guint   n,
               guint   n_blocks,
               guint   n_isolated,
               guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint live = n - n_isolated, size = live / n_blocks;

  for (guint b = 0; b < n_blocks; b++)
    {
      guint lo = b * size, hi = b + 1 == n_blocks ? live : lo + size;

      for (guint i = lo + 1; i < hi; i++)
        {
          /* A random tree keeps the block connected, then extra edges. */
          gint64 e[2] = { i, lo + g_rand_int_range (rand, 0, (gint32)(i - lo)) };

          g_array_append_vals (rows, e, 2);
        }
      for (guint k = 0; k < 2 * (hi - lo); k++)
        {
          gint64 e[2] = { g_rand_int_range (rand, (gint32)lo, (gint32)hi),
                          g_rand_int_range (rand, (gint32)lo, (gint32)hi) };

          g_array_append_vals (rows, e, 2);
          if (k % 7 == 0)
            g_array_append_vals (rows, e, 2);   /* a repeated row */
        }
      {
        gint64 loop[2] = { lo, lo };

        g_array_append_vals (rows, loop, 2);
      }
    }
  return test_graph_from_rows (n, (const gint64 *)rows->data, rows->len / 2);
}

static void
score (PhiliaGraph                 *graph,
       const PhiliaProximityParams *p,
       const gint64                *pairs,
       gsize                        n_pairs,
       guint                        mask,
       double                      *out)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (philia_proximity_score_pairs (graph, p, pairs, n_pairs, mask, out, NULL,
                                               &error));
  g_assert_no_error (error);
}

static gint64 *
all_pairs (guint n)
{
  gint64 *pairs = g_new (gint64, 2 * (gsize)n * n);

  for (guint u = 0; u < n; u++)
    for (guint v = 0; v < n; v++)
      {
        pairs[2 * ((gsize)u * n + v)] = u;
        pairs[2 * ((gsize)u * n + v) + 1] = v;
      }
  return pairs;
}

/* Every pair of @n_seeds seeds against the exact scores: returns the share of
 * (pair, seed) outside ε max (π, δ) (plus the exact solver's 1e-10). */
static double
violations (PhiliaGraph *graph,
            double       alpha,
            double       eps,
            double       delta,
            double       fail,
            guint        n_seeds,
            double      *worst)
{
  guint n = philia_graph_get_n_nodes (graph);
  gsize n_pairs = (gsize)n * n, bad = 0;
  g_autofree gint64 *pairs = all_pairs (n);
  g_autofree double *exact = g_new (double, n_pairs);
  g_autofree double *est = g_new (double, n_pairs);
  PhiliaProximityParams p;

  philia_proximity_params_init_default (&p);
  p.ppr_alpha = alpha;
  p.ppr_method = PHILIA_PROXIMITY_PPR_EXACT;
  score (graph, &p, pairs, n_pairs, PPR, exact);
  p.ppr_method = PHILIA_PROXIMITY_PPR_BIPPR;
  p.ppr_epsilon = eps;
  p.ppr_delta = delta;
  p.ppr_failure = fail;
  *worst = 0;
  for (guint s = 0; s < n_seeds; s++)
    {
      p.ppr_seed = 1000 + s;
      score (graph, &p, pairs, n_pairs, PPR, est);
      for (gsize i = 0; i < n_pairs; i++)
        {
          double d = philia_proximity_ppr_delta (graph, &p);
          double err = fabs (est[i] - exact[i]) / (eps * MAX (exact[i], d));

          g_assert_true (isfinite (est[i]));
          g_assert_cmpfloat (est[i], >=, 0);
          *worst = MAX (*worst, err);
          bad += fabs (est[i] - exact[i]) > eps * MAX (exact[i], d) + 1e-10;
        }
    }
  return (double)bad / ((double)n_pairs * n_seeds);
}

/* The stated bound on every pair of many seeds: the failures stay within
 * p_f (with a binomial margin of four standard deviations), on graphs of
 * several shapes, α and accuracies; and the estimates are not trivially
 * exact (the walks matter: some error is seen). */
static void
test_bound (void)
{
  struct { guint n, blocks, isolated; double alpha, eps, delta, fail; } cases[] = {
    { 40, 1, 0, 0.15, 0.25, 0, 0.01 },
    { 48, 3, 4, 0.15, 0.25, 0, 0.01 },
    { 36, 2, 3, 0.3, 0.1, 0.005, 0.05 },
    { 30, 1, 2, 0.05, 0.5, 0.01, 0.2 },
    { 60, 4, 5, 0.15, 1.0, 0.05, 0.3 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(PhiliaGraph) g = awkward_graph (cases[c].n, cases[c].blocks,
                                                cases[c].isolated, 7 + c);
      guint n_seeds = 20;
      double n_trials = (double)cases[c].n * cases[c].n * n_seeds;
      double worst, share = violations (g, cases[c].alpha, cases[c].eps, cases[c].delta,
                                        cases[c].fail, n_seeds, &worst);
      double margin = 4 * sqrt (cases[c].fail * (1 - cases[c].fail) / n_trials);

      g_test_message ("case %u: %.5f of the pairs outside the bound (p_f %g), worst %.3f of it",
                      c, share, cases[c].fail, worst);
      g_assert_cmpfloat (share, <=, cases[c].fail + margin);
      g_assert_cmpfloat (worst, >, 0);
    }
}

/* The estimator is unbiased: over many seeds the mean of a pair's estimates
 * approaches the exact score far closer than one estimate's bound (a wrong
 * reversal factor d(t)/d(x) or walk length would show here). */
static void
test_unbiased (void)
{
  g_autoptr(PhiliaGraph) g = awkward_graph (30, 1, 0, 3);
  gint64 pairs[] = { 0, 17, 5, 29, 12, 3, 20, 20 };
  double exact[4], est[4], mean[4] = { 0 };
  const guint n_seeds = 400;
  PhiliaProximityParams p;

  philia_proximity_params_init_default (&p);
  p.ppr_method = PHILIA_PROXIMITY_PPR_EXACT;
  score (g, &p, pairs, 4, PPR, exact);
  p.ppr_method = PHILIA_PROXIMITY_PPR_BIPPR;
  p.ppr_epsilon = 1;
  p.ppr_delta = 0.05;
  p.ppr_failure = 0.3;
  for (guint s = 0; s < n_seeds; s++)
    {
      p.ppr_seed = s;
      score (g, &p, pairs, 4, PPR, est);
      for (guint i = 0; i < 4; i++)
        mean[i] += est[i] / n_seeds;
    }
  for (guint i = 0; i < 4; i++)
    {
      g_test_message ("pair %u: exact %.6f, mean of %u estimates %.6f", i, exact[i], n_seeds,
                      mean[i]);
      g_assert_cmpfloat (fabs (mean[i] - exact[i]), <=, 0.1 * MAX (exact[i], 0.05));
    }
}

/* Same seed, same bits: whatever the pairs' order, the threads and the other
 * heuristics asked for; another seed changes some scores. */
static void
test_deterministic (void)
{
  g_autoptr(PhiliaGraph) g = awkward_graph (50, 2, 3, 11);
  guint n = 50;
  gsize n_pairs = (gsize)n * n;
  g_autofree gint64 *pairs = all_pairs (n);
  g_autofree gint64 *reversed = g_new (gint64, 2 * n_pairs);
  g_autofree double *a = g_new (double, n_pairs);
  g_autofree double *b = g_new (double, n_pairs);
  g_autofree double *c = g_new (double, 2 * n_pairs);
  PhiliaProximityParams p;
  gsize differ = 0;

  for (gsize i = 0; i < n_pairs; i++)
    {
      reversed[2 * i] = pairs[2 * (n_pairs - 1 - i)];
      reversed[2 * i + 1] = pairs[2 * (n_pairs - 1 - i) + 1];
    }
  philia_proximity_params_init_default (&p);
  p.ppr_method = PHILIA_PROXIMITY_PPR_BIPPR;
  p.ppr_seed = 42;
  p.n_threads = 1;
  score (g, &p, pairs, n_pairs, PPR, a);
  p.n_threads = 2;
  score (g, &p, reversed, n_pairs, PPR, b);
  for (gsize i = 0; i < n_pairs; i++)
    g_assert_cmpmem (&a[i], sizeof (double), &b[n_pairs - 1 - i], sizeof (double));
  /* With cn alongside: the same ppr column. */
  score (g, &p, pairs, n_pairs, PHILIA_PROXIMITY_MASK (H (CN)) | PPR, c);
  for (gsize i = 0; i < n_pairs; i++)
    g_assert_cmpmem (&a[i], sizeof (double), &c[2 * i + 1], sizeof (double));
  /* One pair alone: the same score as among all the others. */
  for (gsize i = 0; i < n_pairs; i += 97)
    {
      double one;

      score (g, &p, pairs + 2 * i, 1, PPR, &one);
      g_assert_cmpmem (&a[i], sizeof (double), &one, sizeof (double));
    }
  p.ppr_seed = 43;
  score (g, &p, pairs, n_pairs, PPR, b);
  for (gsize i = 0; i < n_pairs; i++)
    differ += a[i] != b[i];
  g_assert_cmpuint (differ, >, 0);
}

/* The cases the estimator answers exactly: an isolated source keeps all its
 * mass, an isolated target and a target in another component score 0, and
 * α = 1 is e_u. The empty graph and a single node too. */
static void
test_exact_cases (void)
{
  /* 0–1–2 and 3–4, 5 isolated, a self-loop at 3. */
  const gint64 rows[] = { 0, 1, 1, 2, 3, 4, 3, 3 };
  g_autoptr(PhiliaGraph) g = test_graph_from_rows (6, rows, 4);
  const gint64 pairs[] = { 5, 5, 5, 0, 0, 5, 0, 3, 4, 1, 2, 2 };
  double out[6];
  PhiliaProximityParams p;

  philia_proximity_params_init_default (&p);
  p.ppr_method = PHILIA_PROXIMITY_PPR_BIPPR;
  score (g, &p, pairs, 6, PPR, out);
  g_assert_cmpfloat (out[0], ==, 1);
  g_assert_cmpfloat (out[1], ==, 0);
  g_assert_cmpfloat (out[2], ==, 0);
  g_assert_cmpfloat (out[3], ==, 0);
  g_assert_cmpfloat (out[4], ==, 0);
  g_assert_cmpfloat (out[5], >, 0.15);
  p.ppr_alpha = 1;
  score (g, &p, pairs, 6, PPR, out);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpfloat (out[i], ==, pairs[2 * i] == pairs[2 * i + 1] ? 1 : 0);

  {
    g_autoptr(PhiliaGraph) one = test_graph_from_rows (1, NULL, 0);
    g_autoptr(PhiliaGraph) none = test_graph_from_rows (0, NULL, 0);
    const gint64 self[] = { 0, 0 };
    double x = -1;

    score (one, &p, self, 1, PPR, &x);
    g_assert_cmpfloat (x, ==, 1);
    score (none, &p, NULL, 0, PPR, NULL);
  }
}

static void
test_params (void)
{
  const gint64 rows[] = { 0, 1, 1, 2 };
  g_autoptr(PhiliaGraph) g = test_graph_from_rows (3, rows, 2);
  const gint64 pair[] = { 0, 2 };
  struct { double eps, delta, fail; } bad[] = {
    { 0, 0, 0.01 }, { NAN, 0, 0.01 }, { INFINITY, 0, 0.01 }, { 0.25, -1, 0.01 },
    { 0.25, 2, 0.01 }, { 0.25, 0, 0 }, { 0.25, 0, 1 }, { 0.25, 0, NAN },
  };
  PhiliaProximityParams p;
  double out;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      philia_proximity_params_init_default (&p);
      p.ppr_method = PHILIA_PROXIMITY_PPR_BIPPR;
      p.ppr_epsilon = bad[i].eps;
      p.ppr_delta = bad[i].delta;
      p.ppr_failure = bad[i].fail;
      g_assert_false (philia_proximity_score_pairs (g, &p, pair, 1, PPR, &out, NULL, &error));
      g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
      g_assert_true (g_str_has_suffix (error->message, "."));
    }

  /* auto is exact on a small graph; the descriptions name method and bound. */
  philia_proximity_params_init_default (&p);
  g_assert_cmpint (p.ppr_method, ==, PHILIA_PROXIMITY_PPR_AUTO);
  g_assert_cmpint (philia_proximity_ppr_method_resolve (g, &p), ==, PHILIA_PROXIMITY_PPR_EXACT);
  {
    g_autofree char *exact = philia_proximity_ppr_describe (g, &p);
    g_autofree char *bippr = NULL;

    g_assert_cmpstr (exact, ==, "exact, alpha 0.15, |error| <= 1e-10");
    p.ppr_method = PHILIA_PROXIMITY_PPR_BIPPR;
    p.ppr_seed = 9;
    bippr = philia_proximity_ppr_describe (g, &p);
    g_assert_cmpstr (bippr, ==, "bippr, alpha 0.15, |error| <= 0.25 * max(score, 0.333333) "
                                "with probability >= 1 - 0.01 per pair, seed 9");
    g_assert_cmpfloat (philia_proximity_ppr_delta (g, &p), ==, 1.0 / 3);
    p.ppr_delta = 1e-3;
    g_assert_cmpfloat (philia_proximity_ppr_delta (g, &p), ==, 1e-3);
  }
}

/* The batch walk engine (HACKING.md §6) walks many pairs' walks together
 * in sweeps over node buckets; every walk keeps its own random stream and a
 * pair's ends are summed in the same order, so its scores must equal the
 * one-pair engine's bit for bit: with many buckets, groups of every size
 * (down to groups too small for one pair, which then walks alone), one
 * thread or two, on graphs with self-loops, repeated rows, isolated nodes
 * and several components. */
static void
test_engines (void)
{
  for (guint seed = 0; seed < 4; seed++)
    {
      g_autoptr(PhiliaGraph) g = awkward_graph (60 + 10 * seed, 1 + seed % 3, 3, 100 + seed);
      guint n = philia_graph_get_n_nodes (g);
      gsize n_pairs = (gsize)n * n;
      g_autofree gint64 *pairs = all_pairs (n);
      g_autofree double *a = g_new (double, n_pairs);
      g_autofree double *b = g_new (double, n_pairs);
      const char *budgets[] = { "1", "300", "5000", "1000000", "1000000" };
      /* Ids narrow enough that groups run out of slots, or that a pair's
       * walks cannot be numbered and it walks alone. */
      const char *id_bits[] = { "32", "14", "32", "10", "32" };
      PhiliaProximityParams p;

      philia_proximity_params_init_default (&p);
      p.ppr_method = PHILIA_PROXIMITY_PPR_BIPPR;
      p.ppr_seed = seed;
      p.ppr_epsilon = 0.5;
      p.n_threads = 1;
      g_setenv ("PHILIA_BIPPR_ENGINE", "pair", TRUE);
      score (g, &p, pairs, n_pairs, PPR, a);
      g_setenv ("PHILIA_BIPPR_ENGINE", "batch", TRUE);
      for (guint k = 0; k < G_N_ELEMENTS (budgets); k++)
        {
          g_setenv ("PHILIA_BIPPR_GROUP_WALKS", budgets[k], TRUE);
          g_setenv ("PHILIA_BIPPR_BUCKET_SHIFT", k % 2 ? "1" : "3", TRUE);
          g_setenv ("PHILIA_BIPPR_ID_BITS", id_bits[k], TRUE);
          g_setenv ("PHILIA_BIPPR_GROUP_TAB", k == 4 ? "50" : "1000000", TRUE);
          p.n_threads = 1 + k % 2;
          score (g, &p, pairs, n_pairs, PPR, b);
          for (gsize i = 0; i < n_pairs; i++)
            g_assert_cmpmem (&a[i], sizeof (double), &b[i], sizeof (double));
        }
      g_unsetenv ("PHILIA_BIPPR_GROUP_WALKS");
      g_unsetenv ("PHILIA_BIPPR_BUCKET_SHIFT");
      g_unsetenv ("PHILIA_BIPPR_ID_BITS");
      g_unsetenv ("PHILIA_BIPPR_GROUP_TAB");
      g_unsetenv ("PHILIA_BIPPR_ENGINE");
    }
}

/* The bound, with every pair walked by the batch engine. */
static void
test_bound_batch (void)
{
  g_setenv ("PHILIA_BIPPR_ENGINE", "batch", TRUE);
  g_setenv ("PHILIA_BIPPR_GROUP_WALKS", "20000", TRUE);
  g_setenv ("PHILIA_BIPPR_BUCKET_SHIFT", "2", TRUE);
  test_bound ();
  g_unsetenv ("PHILIA_BIPPR_ENGINE");
  g_unsetenv ("PHILIA_BIPPR_GROUP_WALKS");
  g_unsetenv ("PHILIA_BIPPR_BUCKET_SHIFT");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Philia/ProximityBippr/bound", test_bound);
  g_test_add_func ("/Philia/ProximityBippr/unbiased", test_unbiased);
  g_test_add_func ("/Philia/ProximityBippr/deterministic", test_deterministic);
  g_test_add_func ("/Philia/ProximityBippr/exact-cases", test_exact_cases);
  g_test_add_func ("/Philia/ProximityBippr/params", test_params);
  g_test_add_func ("/Philia/ProximityBippr/engines", test_engines);
  g_test_add_func ("/Philia/ProximityBippr/bound-batch", test_bound_batch);
  return g_test_run ();
}
