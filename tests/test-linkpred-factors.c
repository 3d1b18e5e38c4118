/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "philia-core.h"

/*
 * Which factor explains which test links (philia-linkpred-factors.h): on
 * results with hand-chosen scores, where every edge's region is known; and
 * on a real evaluation of a small graph, recounted here by a second method
 * (each edge against a sorted copy of the negatives).
 */

static PhiliaLinkpredResult *
result_new (const char   *name,
            const double *pos,
            const double *neg,
            gint64        n)
{
  PhiliaLinkpredResult *r = g_new0 (PhiliaLinkpredResult, 1);

  if (!philia_proximity_heuristic_from_string (name, &r->heuristic))
    r->heuristic = PHILIA_PROXIMITY_N_HEURISTICS;
  r->name = g_strdup (name);
  r->n_test = n;
  r->test_pos = g_memdup2 (pos, sizeof (double) * n);
  r->test_neg = g_memdup2 (neg, sizeof (double) * n);
  return r;
}

static void
test_factor_of (void)
{
  PhiliaLinkFactor f;

  g_assert_true (philia_link_factor_of_heuristic ("cn", &f));
  g_assert_cmpint (f, ==, PHILIA_LINK_FACTOR_LOCAL);
  g_assert_true (philia_link_factor_of_heuristic ("ra", &f));
  g_assert_cmpint (f, ==, PHILIA_LINK_FACTOR_LOCAL);
  g_assert_true (philia_link_factor_of_heuristic ("katz", &f));
  g_assert_cmpint (f, ==, PHILIA_LINK_FACTOR_GLOBAL);
  g_assert_true (philia_link_factor_of_heuristic ("sp", &f));
  g_assert_cmpint (f, ==, PHILIA_LINK_FACTOR_GLOBAL);
  g_assert_true (philia_link_factor_of_heuristic ("fp", &f));
  g_assert_cmpint (f, ==, PHILIA_LINK_FACTOR_FEATURE);
  g_assert_false (philia_link_factor_of_heuristic ("pa", &f));
  g_assert_false (philia_link_factor_of_heuristic ("gcn", &f));
  g_assert_false (philia_link_factor_of_heuristic (NULL, &f));
  g_assert_true (philia_link_factors_is_model ("gcn"));
  g_assert_true (philia_link_factors_is_model ("sage-mlp"));
  g_assert_false (philia_link_factors_is_model ("cn"));
  g_assert_false (philia_link_factors_is_model ("-mlp"));
  g_assert_cmpstr (philia_link_factor_to_string (PHILIA_LINK_FACTOR_GLOBAL), ==, "global");
}

/* Four test edges, K = 1 (right: above the highest negative):
 *   edge 0: cn and ra right            → local only
 *   edge 1: ra and katz right          → local and global
 *   edge 2: katz right                 → global only
 *   edge 3: fp right                   → features only
 * ra (2 of 4) beats cn (1 of 4) as the local factor; pa stands for none;
 * gcn gets edges 0 and 3. */
static void
test_hand_made (void)
{
  double cn_pos[] = { 2, 0, 0, 0 }, cn_neg[] = { 1, 0, 0, 0 };
  double ra_pos[] = { 0.5, 0.4, 0, 0 }, ra_neg[] = { 0.3, 0, 0, 0 };
  double katz_pos[] = { 0.1, 0.9, 0.2, 0 }, katz_neg[] = { 0.15, 0, 0, 0 };
  double fp_pos[] = { 0, 0, 0, 0.8 }, fp_neg[] = { 0.5, 0.5, 0.5, 0.5 };
  double pa_pos[] = { 9, 9, 9, 9 }, pa_neg[] = { 0, 0, 0, 0 };
  double gcn_pos[] = { 5, 0, 0, 6 }, gcn_neg[] = { 1, 1, 1, 1 };
  PhiliaLinkpredResult *r[] = {
    result_new ("cn", cn_pos, cn_neg, 4), result_new ("ra", ra_pos, ra_neg, 4),
    result_new ("pa", pa_pos, pa_neg, 4), result_new ("katz", katz_pos, katz_neg, 4),
    result_new ("fp", fp_pos, fp_neg, 4), result_new ("gcn", gcn_pos, gcn_neg, 4),
  };
  g_autoptr(PhiliaLinkFactors) f = philia_link_factors_new (r, G_N_ELEMENTS (r), 1);
  g_autofree char *summary = philia_link_factors_summary (f, r);
  gint64 want[8] = { 0, 1, 1, 1, 1, 0, 0, 0 };
  gint64 gcn_want[8] = { 0, 1, 0, 0, 1, 0, 0, 0 };

  g_assert_cmpint (f->n_test, ==, 4);
  g_assert_cmpint (f->best[PHILIA_LINK_FACTOR_LOCAL], ==, 1);
  g_assert_cmpint (f->best[PHILIA_LINK_FACTOR_GLOBAL], ==, 3);
  g_assert_cmpint (f->best[PHILIA_LINK_FACTOR_FEATURE], ==, 4);
  g_assert_cmpfloat (f->hits[PHILIA_LINK_FACTOR_LOCAL], ==, 0.5);
  g_assert_cmpfloat (f->hits[PHILIA_LINK_FACTOR_GLOBAL], ==, 0.5);
  g_assert_cmpfloat (f->hits[PHILIA_LINK_FACTOR_FEATURE], ==, 0.25);
  g_assert_cmpint (f->n_shared, ==, 1);
  g_assert_cmpmem (f->regions, sizeof f->regions, want, sizeof want);
  g_assert_cmpuint (f->n_models, ==, 1);
  g_assert_cmpuint (f->models[0], ==, 5);
  g_assert_cmpfloat (f->model_hits[0], ==, 0.5);
  g_assert_cmpmem (f->model_regions, sizeof gcn_want, gcn_want, sizeof gcn_want);
  g_assert_cmpstr (summary, ==, "25 % of the test links share a neighbour. At Hits@1, 25 % only "
                   "by shared neighbours, 25 % only by paths, 25 % only by features, 0 % by "
                   "none. GCN (dot product) gets 100 % of the links only features explain "
                   "right, and 50 % of all.");

  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    philia_linkpred_result_free (r[i]);
}

/* Ties go to the first; a factor without a heuristic is left out of the
 * regions and the sentence; no results at all is no test link. */
static void
test_missing (void)
{
  double a_pos[] = { 3, 0, 3 }, a_neg[] = { 1, 1, 1 };
  PhiliaLinkpredResult *r[] = {
    result_new ("aa", a_pos, a_neg, 3), result_new ("cn", a_pos, a_neg, 3),
  };
  g_autoptr(PhiliaLinkFactors) f = philia_link_factors_new (r, 2, 1);
  g_autoptr(PhiliaLinkFactors) none = philia_link_factors_new (NULL, 0, 10);
  g_autofree char *summary = philia_link_factors_summary (f, r);
  g_autofree char *empty = philia_link_factors_summary (none, NULL);

  g_assert_cmpint (f->best[PHILIA_LINK_FACTOR_LOCAL], ==, 0);
  g_assert_cmpint (f->best[PHILIA_LINK_FACTOR_GLOBAL], ==, -1);
  g_assert_true (isnan (f->hits[PHILIA_LINK_FACTOR_FEATURE]));
  g_assert_cmpint (f->regions[0], ==, 1);
  g_assert_cmpint (f->regions[1], ==, 2);
  g_assert_cmpint (f->n_shared, ==, 2);
  g_assert_cmpuint (f->n_models, ==, 0);
  g_assert_cmpstr (summary, ==, "Most test links (67 %) share a neighbour. At Hits@1, 67 % only "
                   "by shared neighbours, 33 % by none.");
  g_assert_cmpint (none->n_test, ==, 0);
  g_assert_cmpstr (empty, ==, "No test links to explain.");
  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    philia_linkpred_result_free (r[i]);
}

static int
compare_desc (const void *a,
              const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x < y) - (x > y);
}

/* Right at K by a second method: above the K-th highest of sorted negatives. */
static gboolean
right_at (const PhiliaLinkpredResult *r,
          gint64                      e,
          guint                       k)
{
  g_autofree double *neg = g_memdup2 (r->test_neg, sizeof (double) * r->n_test);

  if ((gint64)k > r->n_test)
    return TRUE;
  qsort (neg, r->n_test, sizeof (double), compare_desc);
  return r->test_pos[e] > neg[k - 1];
}

/* Two 7-cliques joined by a path of three nodes, with features that split
 * them: every region count agrees with a recount edge by edge. */
static void
test_real_report (void)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (17);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaLinkpredReport) report = NULL;
  g_autoptr(PhiliaLinkFactors) f = NULL;
  GArray *edges = g_array_new (FALSE, FALSE, sizeof (gint64));
  float *x = g_new0 (float, 17 * 2);
  PhiliaProximityParams params;
  gint64 regions[8] = { 0 };
  const guint k = 3;

  for (gint64 c = 0; c < 2; c++)
    for (gint64 i = 0; i < 7; i++)
      for (gint64 j = i + 1; j < 7; j++)
        {
          gint64 e[2] = { 7 * c + i, 7 * c + j };

          g_array_append_vals (edges, e, 2);
        }
  {
    gint64 path[] = { 6, 14, 14, 15, 15, 16, 16, 7 };

    g_array_append_vals (edges, path, 8);
  }
  for (guint v = 0; v < 17; v++)
    x[2 * v + (v < 7 ? 0 : 1)] = 1;
  philia_graph_builder_take_edges (b, (gint64 *)g_array_free (edges, FALSE), 46);
  philia_graph_builder_take_features (b, x, 2);
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  philia_proximity_params_init_default (&params);
  report = philia_linkpred_report_new (graph, &params, PHILIA_PROXIMITY_ALL, 1, 3, NULL, NULL,
                                       &error);
  g_assert_no_error (error);
  f = philia_link_factors_new (report->results, report->n_results, k);
  g_assert_cmpint (f->n_test, ==, report->split->n_test);
  for (gint64 e = 0; e < f->n_test; e++)
    {
      guint region = 0;

      for (guint c = 0; c < PHILIA_N_LINK_FACTORS; c++)
        if (f->best[c] >= 0 && right_at (report->results[f->best[c]], e, k))
          region |= 1u << c;
      regions[region]++;
    }
  g_assert_cmpmem (f->regions, sizeof regions, regions, sizeof regions);
  for (guint c = 0; c < PHILIA_N_LINK_FACTORS; c++)
    {
      g_assert_cmpint (f->best[c], >=, 0);
      for (guint i = 0; i < report->n_results; i++)
        {
          PhiliaLinkFactor of;

          if (philia_link_factor_of_heuristic (report->results[i]->name, &of) && of == c)
            g_assert_cmpfloat (philia_linkpred_result_hits (report->results[i], k), <=,
                               f->hits[c]);
        }
      g_assert_cmpfloat (f->hits[c], ==,
                         philia_linkpred_result_hits (report->results[f->best[c]], k));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/linkpred-factors/factor-of", test_factor_of);
  g_test_add_func ("/linkpred-factors/hand-made", test_hand_made);
  g_test_add_func ("/linkpred-factors/missing", test_missing);
  g_test_add_func ("/linkpred-factors/real-report", test_real_report);
  return g_test_run ();
}
