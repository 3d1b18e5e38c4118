/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"

#include "graph-test-util.h"

/* Every heuristic against hand-computed tiny graphs, then against deliberately
 * naive second methods: dense matrix powers, dense Gaussian elimination, dense
 * power iteration and Floyd–Warshall on random graphs. Edge-list sweeps and
 * hash sets on the shared datasets: test-proximity-datasets.c. */

#define H(x) PHILIA_PROXIMITY_##x
#define EPS 1e-12

static double
score (PhiliaGraph              *graph,
       PhiliaProximityHeuristic  h,
       guint                     u,
       guint                     v)
{
  g_autoptr(GError) error = NULL;
  double value = philia_proximity_score (graph, NULL, h, u, v, &error);

  g_assert_no_error (error);
  return value;
}

static double
score_with (PhiliaGraph                 *graph,
            const PhiliaProximityParams *params,
            PhiliaProximityHeuristic     h,
            guint                        u,
            guint                        v)
{
  g_autoptr(GError) error = NULL;
  double value = philia_proximity_score (graph, params, h, u, v, &error);

  g_assert_no_error (error);
  return value;
}

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

/* Path 0-1-2-3 (degrees 1 2 2 1). β = 0.005, L = 3.
 * (0,2): N(0)={1}, N(2)={1,3}: cn 1, jaccard 1/2, aa 1/ln 2, ra 1/2, pa 2, sp 2;
 *   walks 0→2: none of length 1, one of length 2, none of length 3 (bipartite,
 *   same side) → katz β².
 * (0,3): cn 0, jaccard 0, pa 1, sp 3, one walk of length 3 → katz β³.
 * (1,2): adjacent; length-3 walks 1-0-1-2, 1-2-1-2, 1-2-3-2 → katz β + 3β³.
 * (0,0): cn = d(0) = 1, jaccard 1, aa 1/ln d(1) = 1/ln 2, ra 1/2, pa 1, sp 0,
 *   closed walks: one of length 2 → katz β². */
static void
test_path (void)
{
  gint64 rows[] = { 0, 1,  1, 2,  2, 3 };
  g_autoptr(PhiliaGraph) g = test_graph_with_features (4, rows, 3, NULL, 0);
  double b = 0.005;

  assert_close (score (g, H (CN), 0, 2), 1, EPS, "cn");
  assert_close (score (g, H (JACCARD), 0, 2), 0.5, EPS, "jaccard");
  assert_close (score (g, H (AA), 0, 2), 1 / log (2), EPS, "aa");
  assert_close (score (g, H (RA), 0, 2), 0.5, EPS, "ra");
  assert_close (score (g, H (PA), 0, 2), 2, EPS, "pa");
  assert_close (score (g, H (SP), 0, 2), 2, EPS, "sp");
  assert_close (score (g, H (KATZ), 0, 2), b * b, EPS, "katz 0 2");
  assert_close (score (g, H (CN), 0, 3), 0, EPS, "cn 0 3");
  assert_close (score (g, H (JACCARD), 0, 3), 0, EPS, "jaccard 0 3");
  assert_close (score (g, H (SP), 0, 3), 3, EPS, "sp 0 3");
  assert_close (score (g, H (SP), 3, 0), 3, EPS, "sp 3 0");
  assert_close (score (g, H (KATZ), 0, 3), b * b * b, EPS, "katz 0 3");
  assert_close (score (g, H (KATZ), 1, 2), b + 3 * b * b * b, EPS, "katz 1 2");
  assert_close (score (g, H (CN), 0, 0), 1, EPS, "cn 0 0");
  assert_close (score (g, H (JACCARD), 0, 0), 1, EPS, "jaccard 0 0");
  assert_close (score (g, H (AA), 0, 0), 1 / log (2), EPS, "aa 0 0");
  assert_close (score (g, H (PA), 0, 0), 1, EPS, "pa 0 0");
  assert_close (score (g, H (SP), 0, 0), 0, EPS, "sp 0 0");
  assert_close (score (g, H (KATZ), 0, 0), b * b, EPS, "katz 0 0");
  /* No features: fp is undefined. */
  g_assert_true (isnan (score (g, H (FP), 0, 1)));
}

/* Star: centre 0, leaves 1-4 (λ_max = 2). (1,2): cn 1, jaccard 1, aa 1/ln 4,
 * ra 1/4, pa 1, sp 2, katz β². (0,0): every neighbour has degree 1, so
 * aa(0,0) = Σ 1/ln 1 = +∞ by the formula; ra(0,0) = 4. */
static void
test_star (void)
{
  gint64 rows[] = { 0, 1,  0, 2,  0, 3,  0, 4 };
  g_autoptr(PhiliaGraph) g = test_graph_with_features (5, rows, 4, NULL, 0);
  double b = 0.005, lo, hi;

  assert_close (score (g, H (CN), 1, 2), 1, EPS, "cn");
  assert_close (score (g, H (JACCARD), 1, 2), 1, EPS, "jaccard");
  assert_close (score (g, H (AA), 1, 2), 1 / log (4), EPS, "aa");
  assert_close (score (g, H (RA), 1, 2), 0.25, EPS, "ra");
  assert_close (score (g, H (PA), 1, 2), 1, EPS, "pa");
  assert_close (score (g, H (PA), 0, 2), 4, EPS, "pa 0 2");
  assert_close (score (g, H (SP), 1, 2), 2, EPS, "sp");
  assert_close (score (g, H (KATZ), 1, 2), b * b, EPS, "katz");
  g_assert_true (isinf (score (g, H (AA), 0, 0)));
  assert_close (score (g, H (RA), 0, 0), 4, EPS, "ra 0 0");

  philia_proximity_lambda_max (g, &lo, &hi);
  g_assert_cmpfloat (lo, <=, 2 + 1e-12);
  g_assert_cmpfloat (hi, >=, 2 - 1e-12);
  assert_close (hi, 2, 1e-8, "λ_max of the star");
}

/* Triangle 0,1,2 and pendant 3 on 2 (degrees 2 2 3 1).
 * (0,1): common {2}: cn 1, union {0,1,2}: jaccard 1/3, aa 1/ln 3, ra 1/3, pa 4;
 *   walks: 1 of length 1, 1 of length 2 (0-2-1), 3 of length 3 (0-1-0-1,
 *   0-1-2-1, 0-2-0-1) → katz β + β² + 3β³.
 * (0,3): cn 1, jaccard 1/2, pa 2, sp 2; walks 0-2-3 and 0-1-2-3 → katz β² + β³. */
static void
test_triangle_pendant (void)
{
  gint64 rows[] = { 0, 1,  1, 2,  2, 0,  2, 3 };
  g_autoptr(PhiliaGraph) g = test_graph_with_features (4, rows, 4, NULL, 0);
  double b = 0.005, counts[3], sum;
  g_autoptr(GArray) common = NULL;
  g_autoptr(GArray) path = NULL;

  assert_close (score (g, H (CN), 0, 1), 1, EPS, "cn");
  assert_close (score (g, H (JACCARD), 0, 1), 1.0 / 3, EPS, "jaccard");
  assert_close (score (g, H (AA), 0, 1), 1 / log (3), EPS, "aa");
  assert_close (score (g, H (RA), 0, 1), 1.0 / 3, EPS, "ra");
  assert_close (score (g, H (PA), 0, 1), 4, EPS, "pa");
  assert_close (score (g, H (KATZ), 0, 1), b + b * b + 3 * b * b * b, EPS, "katz 0 1");
  assert_close (score (g, H (CN), 0, 3), 1, EPS, "cn 0 3");
  assert_close (score (g, H (JACCARD), 0, 3), 0.5, EPS, "jaccard 0 3");
  assert_close (score (g, H (SP), 0, 3), 2, EPS, "sp 0 3");
  assert_close (score (g, H (KATZ), 0, 3), b * b + b * b * b, EPS, "katz 0 3");

  /* "Why this link" parts. */
  sum = philia_proximity_katz_paths (g, 0, 1, 3, b, counts);
  g_assert_cmpfloat (counts[0], ==, 1);
  g_assert_cmpfloat (counts[1], ==, 1);
  g_assert_cmpfloat (counts[2], ==, 3);
  assert_close (sum, score (g, H (KATZ), 0, 1), EPS, "katz paths sum");
  common = philia_proximity_common_neighbors (g, 0, 3);
  g_assert_cmpuint (common->len, ==, 1);
  g_assert_cmpuint (g_array_index (common, PhiliaCommonNeighbor, 0).node, ==, 2);
  g_assert_cmpuint (g_array_index (common, PhiliaCommonNeighbor, 0).degree, ==, 3);
  assert_close (g_array_index (common, PhiliaCommonNeighbor, 0).aa, 1 / log (3), EPS, "aa part");
  assert_close (g_array_index (common, PhiliaCommonNeighbor, 0).ra, 1.0 / 3, EPS, "ra part");
  path = philia_proximity_shortest_path (g, 0, 3);
  g_assert_cmpuint (path->len, ==, 3);
  g_assert_cmpuint (g_array_index (path, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (path, guint, 1), ==, 2);
  g_assert_cmpuint (g_array_index (path, guint, 2), ==, 3);
}

/* Components {0-1}, {2-3-4 path} and the isolated node 5.
 * PPR on the single edge: π_0 = α + (1−α) π_1, π_1 = (1−α) π_0, so
 * π_0 = 1/(2−α), π_1 = (1−α)/(2−α). Exact Katz on it: (I − βA)⁻¹ =
 * [[1, β], [β, 1]] / (1 − β²), so katz(0,1) = β/(1−β²), katz(0,0) = β²/(1−β²).
 * Unreachable pairs: sp −1, ppr 0, katz 0. The isolated node: ppr(5,5) = 1
 * (every step dangles back), jaccard(5,5) = 0 (empty union), pa 0. */
static void
test_components_and_isolated (void)
{
  gint64 rows[] = { 0, 1,  2, 3,  3, 4 };
  g_autoptr(PhiliaGraph) g = test_graph_with_features (6, rows, 3, NULL, 0);
  PhiliaProximityParams exact;
  double a = 0.15, b = 0.1;
  g_autoptr(GArray) path = NULL;

  philia_proximity_params_init_default (&exact);
  exact.katz_len = 0;
  exact.katz_beta = b;

  assert_close (score (g, H (PPR), 0, 0), 1 / (2 - a), 1e-10, "ppr 0 0");
  assert_close (score (g, H (PPR), 0, 1), (1 - a) / (2 - a), 1e-10, "ppr 0 1");
  assert_close (score (g, H (PPR), 0, 3), 0, EPS, "ppr unreachable");
  assert_close (score (g, H (PPR), 5, 5), 1, EPS, "ppr isolated self");
  assert_close (score (g, H (PPR), 5, 0), 0, EPS, "ppr from isolated");
  assert_close (score (g, H (PPR), 0, 5), 0, EPS, "ppr to isolated");
  assert_close (score (g, H (SP), 0, 3), -1, EPS, "sp unreachable");
  assert_close (score (g, H (SP), 5, 0), -1, EPS, "sp isolated");
  assert_close (score (g, H (SP), 5, 5), 0, EPS, "sp isolated self");
  assert_close (score (g, H (KATZ), 0, 4), 0, EPS, "katz unreachable");
  assert_close (score (g, H (JACCARD), 5, 5), 0, EPS, "jaccard isolated");
  assert_close (score (g, H (AA), 5, 5), 0, EPS, "aa isolated");
  assert_close (score (g, H (PA), 5, 0), 0, EPS, "pa isolated");
  assert_close (score_with (g, &exact, H (KATZ), 0, 1), b / (1 - b * b), 1e-12, "exact katz");
  assert_close (score_with (g, &exact, H (KATZ), 0, 0), b * b / (1 - b * b), 1e-12,
                "exact katz self");
  assert_close (score_with (g, &exact, H (KATZ), 0, 2), 0, EPS, "exact katz unreachable");
  assert_close (score_with (g, &exact, H (KATZ), 5, 5), 0, EPS, "exact katz isolated");
  path = philia_proximity_shortest_path (g, 0, 4);
  g_assert_cmpuint (path->len, ==, 0);
}

/* x0 = (1, 0), x1 = (1, 1), x2 = 0: fp(0,1) = 1/√2, fp(0,2) = 0 (a zero vector). */
static void
test_features (void)
{
  gint64 rows[] = { 0, 1 };
  float x[] = { 1, 0,  1, 1,  0, 0 };
  g_autoptr(PhiliaGraph) g = test_graph_with_features (3, rows, 1, x, 2);

  assert_close (score (g, H (FP), 0, 1), 1 / sqrt (2), 1e-7, "fp");
  assert_close (score (g, H (FP), 0, 2), 0, EPS, "fp zero");
  assert_close (score (g, H (FP), 2, 2), 0, EPS, "fp zero self");
  assert_close (score (g, H (FP), 1, 1), 1, 1e-7, "fp self");
}

/* The null graph, the single node, and bad input. */
static void
test_errors_and_edge_cases (void)
{
  g_autoptr(PhiliaGraph) null_graph = test_graph_with_features (0, NULL, 0, NULL, 0);
  g_autoptr(PhiliaGraph) single = test_graph_with_features (1, NULL, 0, NULL, 0);
  gint64 k5[20];
  g_autoptr(PhiliaGraph) complete = NULL;
  g_autoptr(GError) error = NULL;
  PhiliaProximityParams params;
  gint64 pair[] = { 0, 7 };
  double out[PHILIA_PROXIMITY_N_HEURISTICS];
  guint mask = 0;
  g_autoptr(GCancellable) cancel = g_cancellable_new ();

  g_assert_true (philia_proximity_score_pairs (null_graph, NULL, NULL, 0, PHILIA_PROXIMITY_ALL,
                                               NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (philia_proximity_score_pairs (single, NULL, (gint64[]) { 0, 0 }, 1,
                                               PHILIA_PROXIMITY_ALL, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (out[H (CN)], ==, 0);
  g_assert_cmpfloat (out[H (PPR)], ==, 1);
  g_assert_cmpfloat (out[H (SP)], ==, 0);
  g_assert_true (isnan (out[H (FP)]));

  g_assert_false (philia_proximity_score_pairs (single, NULL, pair, 1, PHILIA_PROXIMITY_ALL,
                                                out, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "node 7"));
  g_clear_error (&error);

  philia_proximity_params_init_default (&params);
  params.ppr_alpha = 0;
  g_assert_false (philia_proximity_score_pairs (single, &params, (gint64[]) { 0, 0 }, 1,
                                                PHILIA_PROXIMITY_ALL, out, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
  g_clear_error (&error);

  /* K5: λ_max = 4, so exact Katz takes β = 0.24 and refuses β = 0.25. */
  for (int i = 0, at = 0; i < 5; i++)
    for (int j = i + 1; j < 5; j++)
      k5[at++] = i, k5[at++] = j;
  complete = test_graph_with_features (5, k5, 10, NULL, 0);
  philia_proximity_params_init_default (&params);
  params.katz_len = 0;
  params.katz_beta = 0.25;
  g_assert_true (isnan (philia_proximity_score (complete, &params, H (KATZ), 0, 1, &error)));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
  g_assert_nonnull (strstr (error->message, "1/λ_max"));
  g_clear_error (&error);
  /* (I − βA)⁻¹ on K_n: off-diagonal β / ((1 + β)(1 − 4β)). */
  params.katz_beta = 0.24;
  assert_close (philia_proximity_score (complete, &params, H (KATZ), 0, 1, &error),
                0.24 / (1.24 * (1 - 0.96)), 1e-9, "exact katz on K5");
  g_assert_no_error (error);

  g_assert_false (philia_proximity_parse_mask ("cn,nope", &mask, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
  g_assert_nonnull (strstr (error->message, "nope"));
  g_clear_error (&error);
  g_assert_true (philia_proximity_parse_mask ("cn, katz,fp", &mask, &error));
  g_assert_cmpuint (mask, ==, (1u << H (CN)) | (1u << H (KATZ)) | (1u << H (FP)));

  g_cancellable_cancel (cancel);
  g_assert_false (philia_proximity_score_pairs (complete, NULL, (gint64[]) { 0, 1 }, 1,
                                                PHILIA_PROXIMITY_ALL, out, cancel, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ------------------------------------------------- dense naive oracles */

typedef struct
{
  guint   n;
  double *adj;     /* n × n */
  double *powers;  /* L × n × n: A^1 … A^L */
  double *inv;     /* (I − βA)⁻¹ */
  double *ppr;     /* n × n: row u = π_u */
  double *dist;    /* Floyd–Warshall, INFINITY unreachable */
  guint   len;
} Dense;

static void
dense_clear (Dense *d)
{
  g_free (d->adj);
  g_free (d->powers);
  g_free (d->inv);
  g_free (d->ppr);
  g_free (d->dist);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Dense, dense_clear)

static void
dense_build (Dense                       *d,
             PhiliaGraph                 *g,
             const PhiliaProximityParams *p,
             double                       exact_beta)
{
  guint n = philia_graph_get_n_nodes (g);
  gint64 n_rows;
  const gint32 *rows = philia_graph_get_input_rows (g, &n_rows);
  g_autofree double *m = NULL;

  d->n = n;
  d->len = p->katz_len;
  d->adj = g_new0 (double, n * n);
  /* From the raw input rows, not from the CSR. */
  for (gint64 r = 0; r < n_rows; r++)
    if (rows[2 * r] != rows[2 * r + 1])
      {
        d->adj[rows[2 * r] * n + rows[2 * r + 1]] = 1;
        d->adj[rows[2 * r + 1] * n + rows[2 * r]] = 1;
      }

  d->powers = g_new0 (double, d->len * n * n);
  memcpy (d->powers, d->adj, sizeof (double) * n * n);
  for (guint l = 1; l < d->len; l++)
    for (guint i = 0; i < n; i++)
      for (guint j = 0; j < n; j++)
        {
          double s = 0;

          for (guint k = 0; k < n; k++)
            s += d->powers[(l - 1) * n * n + i * n + k] * d->adj[k * n + j];
          d->powers[l * n * n + i * n + j] = s;
        }

  /* Gauss–Jordan with partial pivoting on [I − βA | I]. */
  m = g_new0 (double, n * 2 * n);
  for (guint i = 0; i < n; i++)
    {
      for (guint j = 0; j < n; j++)
        m[i * 2 * n + j] = (i == j) - exact_beta * d->adj[i * n + j];
      m[i * 2 * n + n + i] = 1;
    }
  for (guint c = 0; c < n; c++)
    {
      guint piv = c;

      for (guint r = c + 1; r < n; r++)
        if (fabs (m[r * 2 * n + c]) > fabs (m[piv * 2 * n + c]))
          piv = r;
      for (guint j = 0; j < 2 * n; j++)
        {
          double t = m[c * 2 * n + j];

          m[c * 2 * n + j] = m[piv * 2 * n + j];
          m[piv * 2 * n + j] = t;
        }
      for (guint r = 0; r < n; r++)
        if (r != c)
          {
            double f = m[r * 2 * n + c] / m[c * 2 * n + c];

            for (guint j = 0; j < 2 * n; j++)
              m[r * 2 * n + j] -= f * m[c * 2 * n + j];
          }
    }
  d->inv = g_new (double, n * n);
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      d->inv[i * n + j] = m[i * 2 * n + n + j] / m[i * 2 * n + i];

  /* Dense power iteration, 600 steps: (1 − α)^600 < 1e-40. */
  d->ppr = g_new0 (double, n * n);
  for (guint u = 0; u < n; u++)
    {
      g_autofree double *pi = g_new0 (double, n);
      g_autofree double *next = g_new0 (double, n);

      pi[u] = 1;
      for (int it = 0; it < 600; it++)
        {
          double dangling = 0;

          for (guint j = 0; j < n; j++)
            next[j] = 0;
          for (guint i = 0; i < n; i++)
            {
              double deg = 0;

              for (guint j = 0; j < n; j++)
                deg += d->adj[i * n + j];
              if (deg == 0)
                dangling += pi[i];
              else
                for (guint j = 0; j < n; j++)
                  next[j] += (1 - p->ppr_alpha) * pi[i] * d->adj[i * n + j] / deg;
            }
          next[u] += p->ppr_alpha + (1 - p->ppr_alpha) * dangling;
          memcpy (pi, next, sizeof (double) * n);
        }
      memcpy (d->ppr + u * n, pi, sizeof (double) * n);
    }

  d->dist = g_new (double, n * n);
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      d->dist[i * n + j] = i == j ? 0 : d->adj[i * n + j] ? 1 : INFINITY;
  for (guint k = 0; k < n; k++)
    for (guint i = 0; i < n; i++)
      for (guint j = 0; j < n; j++)
        d->dist[i * n + j] = MIN (d->dist[i * n + j], d->dist[i * n + k] + d->dist[k * n + j]);
}

static void
dense_scores (const Dense                 *d,
              const PhiliaProximityParams *p,
              const float                 *x,
              guint                        f,
              guint                        u,
              guint                        v,
              double                      *out)
{
  guint n = d->n;
  double du = 0, dv = 0, cn = 0, aa = 0, ra = 0, uni = 0, katz = 0, bl = 1;

  for (guint w = 0; w < n; w++)
    {
      du += d->adj[u * n + w];
      dv += d->adj[v * n + w];
    }
  for (guint w = 0; w < n; w++)
    {
      double dw = 0;

      for (guint z = 0; z < n; z++)
        dw += d->adj[w * n + z];
      if (d->adj[u * n + w] && d->adj[v * n + w])
        {
          cn += 1;
          aa += 1 / log (dw);
          ra += 1 / dw;
        }
      if (d->adj[u * n + w] || d->adj[v * n + w])
        uni += 1;
    }
  for (guint l = 0; l < d->len; l++)
    {
      bl *= p->katz_beta;
      katz += bl * d->powers[l * n * n + u * n + v];
    }
  out[H (CN)] = cn;
  out[H (JACCARD)] = uni > 0 ? cn / uni : 0;
  out[H (AA)] = aa;
  out[H (RA)] = ra;
  out[H (PA)] = du * dv;
  out[H (KATZ)] = katz;
  out[H (PPR)] = d->ppr[u * n + v];
  out[H (SP)] = isinf (d->dist[u * n + v]) ? -1 : d->dist[u * n + v];
  if (f == 0)
    out[H (FP)] = NAN;
  else
    {
      double dot = 0, nu = 0, nv = 0;

      for (guint j = 0; j < f; j++)
        {
          dot += (double)x[u * f + j] * x[v * f + j];
          nu += (double)x[u * f + j] * x[u * f + j];
          nv += (double)x[v * f + j] * x[v * f + j];
        }
      out[H (FP)] = nu == 0 || nv == 0 ? 0 : dot / sqrt (nu * nv);
    }
}

static PhiliaGraph *
random_graph (GRand  *rand,
              guint   n,
              double  p,
              guint   f)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree float *x = f ? g_new (float, n * f) : NULL;

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      if (g_rand_double (rand) < p && i % 11 != 10 && j % 11 != 10)   /* some isolated nodes */
        {
          gint64 e[2] = { i, j };

          g_array_append_vals (rows, e, 2);
        }
  for (guint i = 0; i < n * f; i++)
    x[i] = g_rand_double (rand) < 0.3 ? 0 : (float)g_rand_double_range (rand, -1, 1);
  if (f)
    for (guint j = 0; j < f; j++)
      x[3 * f + j] = 0;   /* a zero feature vector */
  return test_graph_with_features (n, (gint64 *)rows->data, rows->len / 2, x, f);
}

/* All n² pairs (u = v included) of random graphs, every heuristic, against
 * the dense oracles, single- and multi-threaded, truncated and exact Katz. */
static void
test_random_dense (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  const struct { guint n; double p; guint len; } cases[] = {
    { 12, 0.3, 3 }, { 30, 0.1, 3 }, { 45, 0.15, 5 }, { 40, 0.05, 1 }, { 50, 0.3, 2 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(PhiliaGraph) g = random_graph (rand, cases[c].n, cases[c].p, c % 2 ? 0 : 6);
      guint n = philia_graph_get_n_nodes (g), f = philia_graph_get_n_features (g);
      g_auto(Dense) d = { 0 };
      PhiliaProximityParams p, exact;
      g_autofree gint64 *pairs = g_new (gint64, 2 * n * n);
      g_autofree double *out = g_new (double, n * n * PHILIA_PROXIMITY_N_HEURISTICS);
      g_autofree double *out1 = g_new (double, n * n * PHILIA_PROXIMITY_N_HEURISTICS);
      g_autofree double *kx = g_new (double, n * n);
      g_autoptr(GError) error = NULL;
      double lo, hi;

      philia_proximity_params_init_default (&p);
      p.katz_len = cases[c].len;
      p.katz_beta = 0.05;
      philia_proximity_lambda_max (g, &lo, &hi);
      exact = p;
      exact.katz_len = 0;
      exact.katz_beta = 0.7 / hi;
      dense_build (&d, g, &p, exact.katz_beta);

      for (guint i = 0; i < n * n; i++)
        {
          /* A shuffled order, so sources are not contiguous. */
          guint k = (i * 7919u) % (n * n);

          pairs[2 * i] = k / n;
          pairs[2 * i + 1] = k % n;
        }
      p.n_threads = 3;
      g_assert_true (philia_proximity_score_pairs (g, &p, pairs, n * n, PHILIA_PROXIMITY_ALL, out,
                                                   NULL, &error));
      g_assert_no_error (error);
      p.n_threads = 1;
      g_assert_true (philia_proximity_score_pairs (g, &p, pairs, n * n, PHILIA_PROXIMITY_ALL,
                                                   out1, NULL, &error));
      g_assert_true (memcmp (out, out1, sizeof (double) * n * n * 9) == 0);
      g_assert_true (philia_proximity_score_pairs (g, &exact, pairs, n * n,
                                                   PHILIA_PROXIMITY_MASK (H (KATZ)), kx, NULL,
                                                   &error));
      g_assert_no_error (error);

      for (guint i = 0; i < n * n; i++)
        {
          guint u = pairs[2 * i], v = pairs[2 * i + 1];
          double want[PHILIA_PROXIMITY_N_HEURISTICS];

          dense_scores (&d, &p, philia_graph_get_features (g), f, u, v, want);
          for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
            {
              g_autofree char *what = g_strdup_printf ("case %u %s(%u, %u)", c,
                                                       philia_proximity_heuristic_to_string (h),
                                                       u, v);

              assert_close (out[i * PHILIA_PROXIMITY_N_HEURISTICS + h], want[h],
                            h == H (FP) ? 1e-6 : 1e-9, what);
            }
          assert_close (kx[i], d.inv[u * n + v] - (u == v), 1e-9, "exact katz");
        }
    }
}

static void
test_suggest_and_registry (void)
{
  gint64 rows[] = { 0, 1,  1, 2,  2, 3,  1, 4 };
  g_autoptr(PhiliaGraph) g = test_graph_with_features (6, rows, 4, NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) by_cn = NULL;
  g_autoptr(GArray) by_sp = NULL;
  const PhiliaAlgorithm *katz;
  gint64 pairs[] = { 0, 2,  0, 3 };
  double via_registry[2], direct[2];

  philia_core_init ();

  /* Non-neighbours of 0: 2, 3, 4, 5. cn: 2 and 4 share node 1 → 1; 3, 5 → 0. */
  by_cn = philia_proximity_suggest (g, NULL, H (CN), 0, 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_cn->len, ==, 3);
  g_assert_cmpuint (g_array_index (by_cn, PhiliaProximitySuggestion, 0).node, ==, 2);
  g_assert_cmpuint (g_array_index (by_cn, PhiliaProximitySuggestion, 1).node, ==, 4);
  g_assert_cmpfloat (g_array_index (by_cn, PhiliaProximitySuggestion, 1).score, ==, 1);
  g_assert_cmpuint (g_array_index (by_cn, PhiliaProximitySuggestion, 2).node, ==, 3);
  /* sp: nearest first (2 and 4 at 2, 3 at 3), the isolated 5 never. */
  by_sp = philia_proximity_suggest (g, NULL, H (SP), 0, 10, NULL, &error);
  g_assert_cmpuint (by_sp->len, ==, 3);
  g_assert_cmpuint (g_array_index (by_sp, PhiliaProximitySuggestion, 0).node, ==, 2);
  g_assert_cmpfloat (g_array_index (by_sp, PhiliaProximitySuggestion, 0).score, ==, 2);
  g_assert_cmpuint (g_array_index (by_sp, PhiliaProximitySuggestion, 2).node, ==, 3);
  g_assert_cmpfloat (g_array_index (by_sp, PhiliaProximitySuggestion, 2).score, ==, 3);

  for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    g_assert_nonnull (philia_registry_lookup (philia_registry_get_default (),
                                              PHILIA_FAMILY_PROXIMITY,
                                              philia_proximity_heuristic_to_string (h)));
  katz = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_PROXIMITY,
                                 "katz");
  g_assert_true (philia_proximity_compute (katz, g, NULL, pairs, 2, via_registry, NULL, &error));
  g_assert_true (philia_proximity_score_pairs (g, NULL, pairs, 2, 1u << H (KATZ), direct, NULL,
                                               &error));
  g_assert_cmpfloat (via_registry[0], ==, direct[0]);
  g_assert_cmpfloat (via_registry[1], ==, direct[1]);
}

static void
explanation_ready (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PhiliaPairExplanation **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = philia_pair_explanation_new_finish (result, &error);
  g_assert_no_error (error);
}

/* "Why this link" on a hand-made graph: 0–1, 0–2, 1–3, 2–3, 3–4, 1–2, node 5
 * isolated. For (0, 3): common neighbours {1, 2}, d(1) = d(2) = 3, so each
 * adds 1/ln 3 to aa and 1/3 to ra; a shortest path 0 … 3 has 3 nodes; walks
 * per length come from a dense matrix power here; the β-weighted sum is the
 * Katz score; every rank is a brute-force count over the negatives. */
static gboolean
twice_cn (PhiliaGraph                 *graph,
          const PhiliaProximityParams *params,
          const gint64                *pairs,
          gsize                        n_pairs,
          double                      *out,
          gpointer                     data,
          GCancellable                *cancellable,
          GError                     **error)
{
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);

  for (gsize i = 0; i < n_pairs; i++)
    {
      gint64 u = pairs[2 * i], v = pairs[2 * i + 1];

      out[i] = 0;
      for (gint64 a = off[u]; a < off[u + 1]; a++)
        for (gint64 b = off[v]; b < off[v + 1]; b++)
          out[i] += 2 * (nbr[a] == nbr[b]);
    }
  return TRUE;
}

static const PhiliaProximityVTable twice_cn_vtable = { twice_cn };

static void
test_explanation (void)
{
  const gint64 rows[] = { 0, 1,  0, 2,  1, 3,  2, 3,  3, 4,  1, 2 };
  const float feats[] = { 1, 0,  1, 1,  0, 1,  1, 0,  0, 1,  0, 0 };
  g_autoptr(PhiliaGraph) g = test_graph_with_features (6, rows, 6, feats, 2);
  g_autoptr(PhiliaPairExplanation) x = NULL;
  g_autoptr(PhiliaPairExplanation) y = NULL;
  g_autoptr(PhiliaPairExplanation) lonely = NULL;
  g_autoptr(PhiliaPairExplanation) async = NULL;
  g_autoptr(GError) error = NULL;
  PhiliaProximityParams params;
  double adj[36] = { 0 }, power[36], next[36];
  const gint64 *neg;
  gsize n_neg;

  philia_proximity_params_init_default (&params);
  params.katz_len = 4;
  params.katz_beta = 0.1;
  x = philia_pair_explanation_new (g, &params, NULL, 8, 42, 0, 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (x->adjacent);
  g_assert_cmpuint (x->mask, ==, PHILIA_PROXIMITY_ALL);
  g_assert_cmpuint (x->common->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      PhiliaCommonNeighbor *c = &g_array_index (x->common, PhiliaCommonNeighbor, i);

      g_assert_cmpuint (c->node, ==, i + 1);
      g_assert_cmpuint (c->degree, ==, 3);
      assert_close (c->aa, 1 / log (3.0), 1e-12, "explanation");
      assert_close (c->ra, 1 / 3.0, 1e-12, "explanation");
    }
  assert_close (x->scores[PHILIA_PROXIMITY_AA], 2 / log (3.0), 1e-12, "explanation");
  assert_close (x->scores[PHILIA_PROXIMITY_RA], 2 / 3.0, 1e-12, "explanation");
  g_assert_cmpuint (x->path->len, ==, 3);
  g_assert_cmpuint (g_array_index (x->path, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (x->path, guint, 2), ==, 3);

  for (guint i = 0; i < G_N_ELEMENTS (rows) / 2; i++)
    adj[rows[2 * i] * 6 + rows[2 * i + 1]] = adj[rows[2 * i + 1] * 6 + rows[2 * i]] = 1;
  memcpy (power, adj, sizeof adj);
  g_assert_cmpuint (x->katz_len, ==, 4);
  for (guint l = 1; l <= 4; l++)
    {
      assert_close (x->katz_counts[l - 1], power[0 * 6 + 3], 1e-12, "explanation");
      for (guint i = 0; i < 6; i++)
        for (guint j = 0; j < 6; j++)
          {
            next[i * 6 + j] = 0;
            for (guint k = 0; k < 6; k++)
              next[i * 6 + j] += power[i * 6 + k] * adj[k * 6 + j];
          }
      memcpy (power, next, sizeof next);
    }
  assert_close (x->katz_counts[1], 2, 1e-12, "explanation");
  assert_close (x->katz_sum, x->scores[PHILIA_PROXIMITY_KATZ], 1e-12, "explanation");

  /* Ranks: negatives strictly above, recounted pair by pair. */
  g_assert_nonnull (x->negatives);
  n_neg = philia_proximity_negatives_get_n_pairs (x->negatives);
  g_assert_cmpuint (n_neg, ==, 8);
  neg = philia_proximity_negatives_get_pairs (x->negatives);
  for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    {
      gint64 above = 0;

      g_assert_cmpfloat (x->scores[h], ==, score_with (g, &params, h, 0, 3));
      for (gsize i = 0; i < n_neg; i++)
        {
          double s = score_with (g, &params, h, neg[2 * i], neg[2 * i + 1]);

          g_assert_false (neg[2 * i] == neg[2 * i + 1]);
          if (h == PHILIA_PROXIMITY_SP)
            above += s >= 0 && s < x->scores[h];
          else
            above += s > x->scores[h];
        }
      g_assert_cmpint (x->above[h], ==, above);
    }

  /* A heuristic a plugin registers is scored with the built-in ones: twice
   * the common neighbours, counted by brute force, ranks the pair exactly as
   * CN does among the same negatives. */
  {
    const PhiliaAlgorithm twice = { "test-twice-cn", PHILIA_FAMILY_PROXIMITY, "Twice CN",
                                    "Two times the common neighbours.", "test",
                                    &twice_cn_vtable, NULL };
    g_autoptr(PhiliaPairExplanation) z = NULL;
    const PhiliaPairExtraScore *extra;

    if (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_PROXIMITY,
                                twice.id) == NULL)
      philia_registry_add (philia_registry_get_default (), &twice, &error);
    g_assert_no_error (error);
    z = philia_pair_explanation_new (g, &params, x->negatives, 0, 0, 0, 3, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (z->extra->len, >=, 1);
    extra = NULL;
    for (guint i = 0; i < z->extra->len; i++)
      if (g_str_equal (g_array_index (z->extra, PhiliaPairExtraScore, i).algorithm->id, twice.id))
        extra = &g_array_index (z->extra, PhiliaPairExtraScore, i);
    g_assert_nonnull (extra);
    g_assert_cmpfloat (extra->score, ==, 4);
    g_assert_cmpint (extra->above, ==, x->above[PHILIA_PROXIMITY_CN]);
    /* Built-ins never show up twice. */
    for (guint i = 0; i < z->extra->len; i++)
      g_assert_cmpstr (g_array_index (z->extra, PhiliaPairExtraScore, i).algorithm->provider,
                       !=, "built-in");
  }

  /* The same negatives again: shared, not redrawn; and the async twin agrees. */
  y = philia_pair_explanation_new (g, &params, x->negatives, 0, 0, 4, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (y->negatives == x->negatives);
  g_assert_cmpuint (y->common->len, ==, 0);
  philia_pair_explanation_new_async (g, &params, x->negatives, 0, 0, 0, 3, NULL,
                                     explanation_ready, &async);
  while (async == NULL)
    g_main_context_iteration (NULL, TRUE);
  for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    g_assert_cmpint (async->above[h], ==, x->above[h]);

  /* An isolated node: no path, no common neighbours, no walks; no negatives asked. */
  lonely = philia_pair_explanation_new (g, &params, NULL, 0, 0, 5, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lonely->path->len, ==, 0);
  g_assert_cmpuint (lonely->common->len, ==, 0);
  g_assert_cmpint (lonely->above[PHILIA_PROXIMITY_CN], ==, -1);
  assert_close (lonely->katz_sum, 0, 1e-12, "explanation");
  g_assert_cmpfloat (lonely->scores[PHILIA_PROXIMITY_SP], ==, -1);
  g_clear_pointer (&lonely, philia_pair_explanation_free);

  lonely = philia_pair_explanation_new (g, &params, NULL, 0, 0, 0, 6, NULL, &error);
  g_assert_null (lonely);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND);
}

/* pa and fp alone (and cn, jaccard, aa, ra) take a path of their own (no
 * grouping by source, threads over the pairs): the same bits as when scored
 * with everything else, and the same error for a bad id. */
static void
test_fast_path (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  const float feats[] = { 1, 0.5f, 0,  0, 0, 0,  2, 1, 1,  0.25f, 0, 3,  1, 1, 1,  0, 2, 0 };
  const gint64 rows[] = { 0, 1,  1, 2,  2, 3,  3, 4,  0, 4,  1, 3 };
  g_autoptr(PhiliaGraph) g = test_graph_with_features (6, rows, 6, feats, 3);
  gsize n_pairs = 300000;   /* enough for the threaded branch */
  g_autofree gint64 *pairs = g_new (gint64, 2 * n_pairs);
  g_autofree double *fast = g_new (double, 2 * n_pairs);
  g_autofree double *all = g_new (double, PHILIA_PROXIMITY_N_HEURISTICS * 1000);
  g_autoptr(GError) error = NULL;
  guint two = PHILIA_PROXIMITY_MASK (H (PA)) | PHILIA_PROXIMITY_MASK (H (FP));
  PhiliaProximityParams params;

  philia_proximity_params_init_default (&params);
  params.n_threads = 2;
  for (gsize i = 0; i < 2 * n_pairs; i++)
    pairs[i] = g_rand_int_range (rand, 0, 6);
  g_assert_true (philia_proximity_score_pairs (g, &params, pairs, n_pairs, two, fast, NULL,
                                               &error));
  g_assert_no_error (error);
  g_assert_true (philia_proximity_score_pairs (g, &params, pairs, 1000, PHILIA_PROXIMITY_ALL, all,
                                               NULL, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < 1000; i++)
    {
      g_assert_cmpfloat (fast[2 * i], ==, all[i * PHILIA_PROXIMITY_N_HEURISTICS + H (PA)]);
      g_assert_cmpfloat (fast[2 * i + 1], ==, all[i * PHILIA_PROXIMITY_N_HEURISTICS + H (FP)]);
    }
  for (gsize i = 0; i < n_pairs; i++)
    {
      guint u = pairs[2 * i], v = pairs[2 * i + 1];

      g_assert_cmpfloat (fast[2 * i], ==, (double)philia_graph_get_degree (g, u)
                                          * philia_graph_get_degree (g, v));
      g_assert_cmpfloat (fast[2 * i + 1], ==, score (g, H (FP), u, v));
    }
  assert_close (score (g, H (FP), 2, 4), 4 / sqrt (6.0 * 3.0), 1e-12, "fp(2, 4)");
  g_assert_cmpfloat (score (g, H (FP), 1, 2), ==, 0);

  /* A bad id deep in the list, in the second thread's half. */
  pairs[2 * 250000 + 1] = 6;
  g_assert_false (philia_proximity_score_pairs (g, &params, pairs, n_pairs, two, fast, NULL,
                                                &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Pair 250000 names node 6"));
  g_clear_error (&error);
  g_assert_false (philia_proximity_score_pairs (g, &params, pairs, n_pairs,
                                                PHILIA_PROXIMITY_MASK (H (PA)), fast, NULL,
                                                &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);

  /* cn, jaccard, aa and ra read only the pair's two rows too: intersected
   * in pair order they give the very bits of the grouped-by-source pass, on
   * a graph with isolated nodes, self-pairs and pairs over hubs. */
  {
    const gint64 star_rows[] = { 0, 1,  0, 2,  0, 3,  0, 4,  0, 5,  1, 2,  2, 3,  5, 6,  6, 7 };
    /* 8, 9 isolated */
    g_autoptr(PhiliaGraph) h = test_graph_with_features (10, star_rows, 9, NULL, 0);
    guint local = PHILIA_PROXIMITY_MASK (H (CN)) | PHILIA_PROXIMITY_MASK (H (JACCARD))
                  | PHILIA_PROXIMITY_MASK (H (AA)) | PHILIA_PROXIMITY_MASK (H (RA))
                  | PHILIA_PROXIMITY_MASK (H (PA));
    gsize m = 50000;
    g_autofree double *by_pair = g_new (double, 5 * m);
    g_autofree double *grouped = g_new (double, PHILIA_PROXIMITY_N_HEURISTICS * m);

    g_clear_error (&error);
    for (gsize i = 0; i < 2 * m; i++)
      pairs[i] = g_rand_int_range (rand, 0, 10);
    pairs[0] = pairs[1] = 0;   /* the hub with itself */
    g_assert_true (philia_proximity_score_pairs (h, &params, pairs, m, local, by_pair, NULL,
                                                 &error));
    g_assert_no_error (error);
    g_assert_true (philia_proximity_score_pairs (h, &params, pairs, m, PHILIA_PROXIMITY_ALL,
                                                 grouped, NULL, &error));
    g_assert_no_error (error);
    for (gsize i = 0; i < m; i++)
      for (guint c = 0; c < 5; c++)
        {
          double a = by_pair[5 * i + c], b = grouped[PHILIA_PROXIMITY_N_HEURISTICS * i + c];

          g_assert_true (a == b || (isnan (a) && isnan (b)));
        }
    g_assert_cmpfloat (by_pair[0], ==, 5);   /* cn(0, 0): its five neighbours */
  }
}

static void
suggest_ready (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The async pair gives the sync ranking (the hand-checked cn order of
 * test_suggest_and_registry), and a cancellation through finish. */
static void
test_suggest_async (void)
{
  gint64 rows[] = { 0, 1,  1, 2,  2, 3,  1, 4 };
  g_autoptr(PhiliaGraph) g = test_graph_with_features (6, rows, 4, NULL, 0);
  g_autoptr(PhiliaProgress) progress = philia_progress_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GArray) by_cn = NULL;
  g_autoptr(GArray) none = NULL;
  g_autoptr(GError) error = NULL;

  philia_proximity_suggest_async (g, NULL, H (CN), 0, 3, progress, NULL, suggest_ready, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  by_cn = philia_proximity_suggest_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_cn->len, ==, 3);
  g_assert_cmpuint (g_array_index (by_cn, PhiliaProximitySuggestion, 0).node, ==, 2);
  g_assert_cmpuint (g_array_index (by_cn, PhiliaProximitySuggestion, 1).node, ==, 4);
  g_assert_cmpfloat (g_array_index (by_cn, PhiliaProximitySuggestion, 1).score, ==, 1);
  g_assert_cmpuint (g_array_index (by_cn, PhiliaProximitySuggestion, 2).node, ==, 3);
  g_assert_cmpfloat (philia_progress_get_fraction (progress), ==, 1.0);

  g_cancellable_cancel (cancellable);
  philia_proximity_suggest_async (g, NULL, H (KATZ), 0, 3, NULL, cancellable, suggest_ready,
                                  &cancelled);
  while (cancelled == NULL)
    g_main_context_iteration (NULL, TRUE);
  none = philia_proximity_suggest_finish (cancelled, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Philia/Proximity/path", test_path);
  g_test_add_func ("/Philia/Proximity/star", test_star);
  g_test_add_func ("/Philia/Proximity/triangle-pendant", test_triangle_pendant);
  g_test_add_func ("/Philia/Proximity/components-isolated", test_components_and_isolated);
  g_test_add_func ("/Philia/Proximity/features", test_features);
  g_test_add_func ("/Philia/Proximity/errors", test_errors_and_edge_cases);
  g_test_add_func ("/Philia/Proximity/random-dense", test_random_dense);
  g_test_add_func ("/Philia/Proximity/suggest-registry", test_suggest_and_registry);
  g_test_add_func ("/Philia/Proximity/suggest-async", test_suggest_async);
  g_test_add_func ("/Philia/Proximity/explanation", test_explanation);
  g_test_add_func ("/Philia/Proximity/fast-path", test_fast_path);

  return g_test_run ();
}
