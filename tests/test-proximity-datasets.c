/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"

/* The heuristics on the shared datasets against edge-list oracles that use
 * nothing of Philia's CSR: sweeps over the input rows and hash sets. Skips
 * when the datasets are not there. */

#define H(x) PHILIA_PROXIMITY_##x

static void
assert_close (double got,
              double expected,
              double tol,
              const char *what)
{
  if (isnan (expected) && isnan (got))
    return;
  if (isinf (expected) && got == expected)
    return;
  if (!(fabs (got - expected) <= tol * MAX (1.0, fabs (expected))))
    g_error ("%s: got %.17g, expected %.17g", what, got, expected);
}

/* Per source, with only the input edge list: walks by sweeps over the rows,
 * exact Katz by its power series, PPR by power iteration, distances by
 * Bellman–Ford sweeps; cn/aa/ra with hash sets. */
typedef struct
{
  guint         n;
  gint64        m;
  gint64       *rows;   /* deduplicated u < v */
  double       *deg;
  GHashTable  **sets;
} Naive;

static void
naive_clear (Naive *z)
{
  for (guint i = 0; i < z->n && z->sets; i++)
    g_hash_table_unref (z->sets[i]);
  g_free (z->sets);
  g_free (z->rows);
  g_free (z->deg);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Naive, naive_clear)

static void
naive_init (Naive       *z,
            PhiliaGraph *g)
{
  gint64 n_rows;
  const gint32 *raw = philia_graph_get_input_rows (g, &n_rows);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  z->n = philia_graph_get_n_nodes (g);
  z->rows = g_new (gint64, 2 * MAX (n_rows, 1));
  z->deg = g_new0 (double, z->n);
  z->sets = g_new (GHashTable *, z->n);
  for (guint i = 0; i < z->n; i++)
    z->sets[i] = g_hash_table_new (NULL, NULL);
  for (gint64 r = 0; r < n_rows; r++)
    {
      gint64 a = MIN (raw[2 * r], raw[2 * r + 1]), b = MAX (raw[2 * r], raw[2 * r + 1]);
      gint64 *key = g_new (gint64, 1);

      *key = a * z->n + b;
      if (a == b || g_hash_table_contains (seen, key))
        {
          g_free (key);
          continue;
        }
      g_hash_table_add (seen, key);
      z->rows[2 * z->m] = a;
      z->rows[2 * z->m + 1] = b;
      z->m++;
      z->deg[a]++, z->deg[b]++;
      g_hash_table_add (z->sets[a], GUINT_TO_POINTER (b + 1));
      g_hash_table_add (z->sets[b], GUINT_TO_POINTER (a + 1));
    }
}

/* y = A x over the rows. */
static void
naive_spmv (const Naive  *z,
            const double *x,
            double       *y)
{
  memset (y, 0, sizeof (double) * z->n);
  for (gint64 r = 0; r < z->m; r++)
    {
      y[z->rows[2 * r]] += x[z->rows[2 * r + 1]];
      y[z->rows[2 * r + 1]] += x[z->rows[2 * r]];
    }
}

static void
naive_source (const Naive                 *z,
              const PhiliaProximityParams *p,
              double                       exact_beta,
              guint                        u,
              double                      *katz,    /* n */
              double                      *katz_x,  /* n */
              double                      *ppr,     /* n */
              double                      *dist)    /* n */
{
  guint n = z->n;
  g_autofree double *x = g_new0 (double, n);
  g_autofree double *y = g_new0 (double, n);
  double bl = 1;
  gboolean changed = TRUE;

  memset (katz, 0, sizeof (double) * n);
  x[u] = 1;
  for (guint l = 1; l <= p->katz_len; l++)
    {
      naive_spmv (z, x, y);
      bl *= p->katz_beta;
      for (guint i = 0; i < n; i++)
        katz[i] += bl * y[i], x[i] = y[i];
    }

  /* Σ_{l≥1} (βA)^l e_u until the term vanishes. */
  memset (katz_x, 0, sizeof (double) * n);
  memset (x, 0, sizeof (double) * n);
  x[u] = 1;
  for (int it = 0; it < 2000; it++)
    {
      double size = 0;

      naive_spmv (z, x, y);
      for (guint i = 0; i < n; i++)
        {
          x[i] = exact_beta * y[i];
          katz_x[i] += x[i];
          size += fabs (x[i]);
        }
      if (size < 1e-300)
        break;
      if (size < 1e-18)
        break;
    }

  memset (x, 0, sizeof (double) * n);
  x[u] = 1;
  for (int it = 0; it < 400; it++)
    {
      double dangling = 0;

      for (guint i = 0; i < n; i++)
        if (z->deg[i] == 0)
          dangling += x[i], y[i] = 0;
        else
          y[i] = x[i] / z->deg[i];
      naive_spmv (z, y, ppr);
      for (guint i = 0; i < n; i++)
        x[i] = (1 - p->ppr_alpha) * ppr[i];
      x[u] += p->ppr_alpha + (1 - p->ppr_alpha) * dangling;
    }
  memcpy (ppr, x, sizeof (double) * n);

  for (guint i = 0; i < n; i++)
    dist[i] = INFINITY;
  dist[u] = 0;
  while (changed)
    {
      changed = FALSE;
      for (gint64 r = 0; r < z->m; r++)
        {
          gint64 a = z->rows[2 * r], b = z->rows[2 * r + 1];

          if (dist[a] + 1 < dist[b])
            dist[b] = dist[a] + 1, changed = TRUE;
          if (dist[b] + 1 < dist[a])
            dist[a] = dist[b] + 1, changed = TRUE;
        }
    }
}

static void
test_datasets (void)
{
  const char *folder = g_getenv ("PHILIA_SHARED_DATASETS");
  const char *names[] = { "cora", "chameleon" };

  if (folder == NULL || !g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("PHILIA_SHARED_DATASETS is not a folder");
      return;
    }

  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autofree char *base = g_strconcat (names[k], ".npz", NULL);
      g_autofree char *path = g_build_filename (folder, base, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaGraph) g = philia_graph_load (file, NULL, NULL, NULL, &error);
      g_autoptr(GRand) rand = g_rand_new_with_seed (7 + k);
      g_auto(Naive) z = { 0 };
      const guint n_sources = 60, per_source = 5, n_pairs = n_sources * per_source;
      g_autofree gint64 *pairs = g_new (gint64, 2 * n_pairs);
      g_autofree double *out = g_new (double, n_pairs * PHILIA_PROXIMITY_N_HEURISTICS);
      g_autofree double *kx = g_new (double, n_pairs);
      PhiliaProximityParams p, exact;
      guint n, f;
      const float *x;
      double lo, hi;
      g_autofree double *katz = NULL, *katz_x = NULL, *ppr = NULL, *dist = NULL;

      g_assert_no_error (error);
      n = philia_graph_get_n_nodes (g);
      f = philia_graph_get_n_features (g);
      x = philia_graph_get_features (g);
      naive_init (&z, g);
      g_assert_cmpint (z.m, ==, philia_graph_get_n_edges (g));
      katz = g_new (double, n), katz_x = g_new (double, n);
      ppr = g_new (double, n), dist = g_new (double, n);

      for (guint s = 0; s < n_sources; s++)
        {
          guint u = g_rand_int_range (rand, 0, n);

          for (guint t = 0; t < per_source; t++)
            {
              guint i = s * per_source + t;

              pairs[2 * i] = u;
              /* some neighbours, some self pairs, mostly random nodes */
              if (t == 0 && z.deg[u] > 0)
                pairs[2 * i + 1] = philia_graph_get_neighbors (g)
                                     [philia_graph_get_row_offsets (g)[u]];
              else if (t == 1 && s % 10 == 0)
                pairs[2 * i + 1] = u;
              else
                pairs[2 * i + 1] = g_rand_int_range (rand, 0, n);
            }
        }

      philia_proximity_params_init_default (&p);
      philia_proximity_lambda_max (g, &lo, &hi);
      g_test_message ("%s: λ_max in [%.9f, %.9f]", names[k], lo, hi);
      exact = p;
      exact.katz_len = 0;
      exact.katz_beta = 0.5 / hi;
      g_assert_true (philia_proximity_score_pairs (g, &p, pairs, n_pairs, PHILIA_PROXIMITY_ALL,
                                                   out, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (philia_proximity_score_pairs (g, &exact, pairs, n_pairs,
                                                   PHILIA_PROXIMITY_MASK (H (KATZ)), kx, NULL,
                                                   &error));
      g_assert_no_error (error);

      for (guint s = 0; s < n_sources; s++)
        {
          guint u = pairs[2 * s * per_source];

          naive_source (&z, &p, exact.katz_beta, u, katz, katz_x, ppr, dist);
          for (guint t = 0; t < per_source; t++)
            {
              guint i = s * per_source + t, v = pairs[2 * i + 1];
              double *o = out + i * PHILIA_PROXIMITY_N_HEURISTICS;
              double cn = 0, aa = 0, ra = 0, dot = 0, nu = 0, nv = 0;
              GHashTableIter it;
              gpointer key;

              g_hash_table_iter_init (&it, z.sets[u]);
              while (g_hash_table_iter_next (&it, &key, NULL))
                if (g_hash_table_contains (z.sets[v], key))
                  {
                    double dw = z.deg[GPOINTER_TO_UINT (key) - 1];

                    cn++, aa += 1 / log (dw), ra += 1 / dw;
                  }
              assert_close (o[H (CN)], cn, 1e-9, "cn");
              assert_close (o[H (JACCARD)], cn > 0 ? cn / (z.deg[u] + z.deg[v] - cn) : 0, 1e-9,
                            "jaccard");
              assert_close (o[H (AA)], aa, 1e-9, "aa");
              assert_close (o[H (RA)], ra, 1e-9, "ra");
              assert_close (o[H (PA)], z.deg[u] * z.deg[v], 1e-9, "pa");
              assert_close (o[H (KATZ)], katz[v], 1e-9, "katz");
              assert_close (kx[i], katz_x[v], 1e-9, "exact katz");
              assert_close (o[H (PPR)], ppr[v], 1e-9, "ppr");
              assert_close (o[H (SP)], isinf (dist[v]) ? -1 : dist[v], 0, "sp");
              for (guint j = 0; j < f; j++)
                {
                  dot += (double)x[(gsize)u * f + j] * x[(gsize)v * f + j];
                  nu += (double)x[(gsize)u * f + j] * x[(gsize)u * f + j];
                  nv += (double)x[(gsize)v * f + j] * x[(gsize)v * f + j];
                }
              assert_close (o[H (FP)], nu == 0 || nv == 0 ? 0 : dot / sqrt (nu * nv), 1e-9,
                            "fp");
            }
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/Philia/Proximity/datasets", test_datasets);
  return g_test_run ();
}
