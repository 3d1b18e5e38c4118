/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The statistics report behind `philia-cli stats` and the Statistics panel:
 * its histogram against hand-counted bins, the "as stored" column, the
 * failure rule (a failing plugin measure is a row, a cancellation ends the
 * report), the options it refuses, and the async variant against the sync one.
 */
#include "config.h"

#include <math.h>

#include "philia-core.h"

#include "graph-test-util.h"

#define EPS 1e-12
#define PROVIDER "test-stats-report"

/* Path 0-1-2-3 labelled 0 0 1 1 and node 4 (unlabeled) tied to 0: local
 * homophily 1, 1/2, 1/2, 1 and none for node 4 (worked by hand in
 * tests/test-homophily.c). */
static PhiliaGraph *
path_graph (void)
{
  static const gint64 rows[] = { 0, 1,  1, 2,  2, 3,  4, 0 };
  static const gint64 labels[] = { 0, 0, 1, 1, -1 };

  return test_graph_labelled (5, rows, 4, labels);
}

/* ------------------------------------------------- plugin measures for tests */

static gboolean
node_count (PhiliaGraph   *graph,
            double        *out,
            gpointer       vtable_data,
            GCancellable  *cancellable,
            GError       **error)
{
  out[0] = philia_graph_get_n_nodes (graph);
  return TRUE;
}

static gboolean
always_fails (PhiliaGraph   *graph,
              double        *out,
              gpointer       vtable_data,
              GCancellable  *cancellable,
              GError       **error)
{
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FAILED, "The test measure always fails.");
  return FALSE;
}

/* Set by a test: the measure cancels it, as a user pressing Cancel would. */
static GCancellable *cancel_from_measure;

static gboolean
cancels (PhiliaGraph   *graph,
         double        *out,
         gpointer       vtable_data,
         GCancellable  *cancellable,
         GError       **error)
{
  if (cancel_from_measure == NULL)
    {
      out[0] = 7;
      return TRUE;
    }
  g_cancellable_cancel (cancel_from_measure);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static const PhiliaMeasureVTable count_vtable = { PHILIA_MEASURE_GRAPH, node_count };
static const PhiliaMeasureVTable fails_vtable = { PHILIA_MEASURE_GRAPH, always_fails };
static const PhiliaMeasureVTable cancels_vtable = { PHILIA_MEASURE_GRAPH, cancels };
static const PhiliaMeasureVTable per_node_vtable = { PHILIA_MEASURE_NODE, always_fails };

/* Registered once, in the default registry the report reads. */
static void
register_test_measures (void)
{
  const PhiliaAlgorithm algorithms[] = {
    { "test-node-count", PHILIA_FAMILY_MEASURE, "Node count", "n", PROVIDER, &count_vtable,
      NULL },
    { "test-fails", PHILIA_FAMILY_MEASURE, "Fails", "Always fails.", PROVIDER, &fails_vtable,
      NULL },
    { "test-cancels", PHILIA_FAMILY_MEASURE, "Cancels", "Cancels when asked.", PROVIDER,
      &cancels_vtable, NULL },
    /* Per-node: no row of the report, so its failure is never computed. */
    { "test-per-node", PHILIA_FAMILY_MEASURE, "Per node", "Per node.", PROVIDER,
      &per_node_vtable, NULL },
  };
  g_autoptr(GError) error = NULL;

  philia_registry_add_all (philia_registry_get_default (), algorithms,
                           G_N_ELEMENTS (algorithms), &error);
  g_assert_no_error (error);
}

static const PhiliaStatsPluginMeasure *
row (const PhiliaStatsReport *report,
     const char              *id)
{
  for (guint i = 0; i < report->n_plugin_measures; i++)
    if (g_str_equal (report->plugin_measures[i].algorithm->id, id))
      return &report->plugin_measures[i];
  return NULL;
}

/* ------------------------------------------------------------------ tests */

static void
test_bin (void)
{
  g_assert_cmpuint (philia_stats_bin (0.0, 10), ==, 0);
  g_assert_cmpuint (philia_stats_bin (0.0999, 10), ==, 0);
  g_assert_cmpuint (philia_stats_bin (0.1, 10), ==, 1);
  g_assert_cmpuint (philia_stats_bin (0.5, 10), ==, 5);
  g_assert_cmpuint (philia_stats_bin (0.5, 3), ==, 1);
  g_assert_cmpuint (philia_stats_bin (2.0 / 3.0, 3), ==, 2);
  /* 1 is in the last bin, not one past it. */
  g_assert_cmpuint (philia_stats_bin (1.0, 10), ==, 9);
  g_assert_cmpuint (philia_stats_bin (1.0, 1), ==, 0);
  g_assert_cmpuint (philia_stats_bin (0.3, 1), ==, 0);
}

static void
test_hand_counted (void)
{
  g_autoptr(PhiliaGraph) graph = path_graph ();
  g_autoptr(GError) error = NULL;
  struct { guint bins; gint64 counts[10]; } cases[] = {
    { 10, { 0, 0, 0, 0, 0, 2, 0, 0, 0, 2 } },
    { 3, { 0, 2, 2 } },
    { 2, { 0, 4 } },
    { 1, { 4 } },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(PhiliaStatsReport) report = NULL;
      PhiliaStatsReportOptions options;

      philia_stats_report_options_init (&options);
      options.bins = cases[c].bins;
      report = philia_stats_report_new (graph, &options, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (report->graph == graph);
      g_assert_cmpuint (report->bins, ==, cases[c].bins);
      for (guint b = 0; b < cases[c].bins; b++)
        g_assert_cmpint (report->histogram[b], ==, cases[c].counts[b]);
      /* Hand values of tests/test-homophily.c's path graph. */
      g_assert_cmpfloat_with_epsilon (report->homophily->edge_homophily, 2.0 / 3.0, EPS);
      g_assert_cmpfloat_with_epsilon (report->homophily->node_homophily, 0.75, EPS);
      g_assert_null (report->stored);
      g_assert_cmpint (report->convention, ==, PHILIA_CONVENTION_DEFAULT);
    }
}

static void
test_defaults (void)
{
  g_autoptr(PhiliaGraph) graph = path_graph ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaStatsReport) report = philia_stats_report_new (graph, NULL, NULL, NULL,
                                                                 &error);

  g_assert_no_error (error);
  g_assert_cmpuint (report->bins, ==, 10);
  g_assert_nonnull (report->homophily);
  g_assert_null (report->stored);
}

/* The "as stored" column is the homophily of the other conventions; with
 * stored_only it comes alone. */
static void
test_stored (void)
{
  /* A self-loop on 3 and a duplicate 0-1: the conventions differ. */
  gint64 rows[] = { 0, 1,  1, 2,  2, 3,  4, 0,  3, 3,  0, 1 };
  gint64 labels[] = { 0, 0, 1, 1, -1 };
  g_autoptr(PhiliaGraph) graph = test_graph_labelled (5, rows, 6, labels);
  PhiliaConvention convention = PHILIA_CONVENTION_KEEP_SELF_LOOPS | PHILIA_CONVENTION_DIRECTED;
  g_autoptr(PhiliaHomophily) expected = philia_homophily_compute (graph, convention, 0, NULL,
                                                                  NULL);
  g_autoptr(PhiliaStatsReport) report = NULL;
  g_autoptr(PhiliaStatsReport) alone = NULL;
  g_autoptr(GError) error = NULL;
  PhiliaStatsReportOptions options;

  philia_stats_report_options_init (&options);
  options.stored = convention;
  report = philia_stats_report_new (graph, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report->homophily);
  g_assert_nonnull (report->stored);
  g_assert_cmpint (report->convention, ==, convention);
  g_assert_cmpfloat (report->stored->edge_homophily, ==, expected->edge_homophily);
  g_assert_cmpfloat (report->stored->node_homophily, ==, expected->node_homophily);
  g_assert_cmpfloat (report->stored->edge_homophily, !=, report->homophily->edge_homophily);

  options.stored_only = TRUE;
  alone = philia_stats_report_new (graph, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (alone->homophily);
  g_assert_null (alone->histogram);
  g_assert_cmpuint (alone->n_plugin_measures, ==, 0);
  g_assert_cmpfloat (alone->stored->edge_homophily, ==, expected->edge_homophily);
}

/* The failure rule: a failing plugin measure is a row with its error, the
 * others keep their values, the report stands. */
static void
test_failing_measure (void)
{
  g_autoptr(PhiliaGraph) graph = path_graph ();
  g_autoptr(PhiliaStatsReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const PhiliaStatsPluginMeasure *m;

  report = philia_stats_report_new (graph, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->n_failed, ==, 1);

  m = row (report, "test-fails");
  g_assert_nonnull (m);
  g_assert_cmpstr (m->error, ==, "The test measure always fails.");
  g_assert_true (isnan (m->value));

  m = row (report, "test-node-count");
  g_assert_nonnull (m);
  g_assert_null (m->error);
  g_assert_cmpfloat (m->value, ==, 5);
  g_assert_cmpfloat (row (report, "test-cancels")->value, ==, 7);

  /* Neither a per-node measure nor a built-in one is a row. */
  g_assert_null (row (report, "test-per-node"));
  for (guint i = 0; i < report->n_plugin_measures; i++)
    g_assert_cmpstr (report->plugin_measures[i].algorithm->provider, ==, PROVIDER);
  g_assert_cmpuint (report->n_plugin_measures, ==, 3);
}

/* A cancellation, from before the start or from inside a plugin measure,
 * ends the whole report. */
static void
test_cancelled (void)
{
  g_autoptr(PhiliaGraph) graph = path_graph ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PhiliaStatsReport) report = NULL;
  g_autoptr(GError) error = NULL;

  cancel_from_measure = cancellable;
  report = philia_stats_report_new (graph, NULL, NULL, cancellable, &error);
  cancel_from_measure = NULL;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (report);
  g_clear_error (&error);

  report = philia_stats_report_new (graph, NULL, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (report);
}

static void
test_bad_options (void)
{
  g_autoptr(PhiliaGraph) graph = path_graph ();
  PhiliaStatsReportOptions options;
  guint bad[] = { 0, 1001 };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaStatsReport) report = NULL;
      g_autofree char *expected = g_strdup_printf ("The local homophily histogram needs between "
                                                   "1 and 1000 bins, not %u.", bad[i]);

      philia_stats_report_options_init (&options);
      options.bins = bad[i];
      report = philia_stats_report_new (graph, &options, NULL, NULL, &error);
      g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
      g_assert_cmpstr (error->message, ==, expected);
      g_assert_null (report);
    }
}

/* Empty graph, one node, isolated nodes, unlabeled nodes: no local
 * homophily anywhere, so every bin is empty, and the report still stands. */
static void
test_degenerate (void)
{
  gint64 loop[] = { 0, 0 };
  gint64 one_label[] = { 3 };
  gint64 none[] = { -1, -1, -1 };
  g_autoptr(PhiliaGraph) empty = test_graph_labelled (0, NULL, 0, NULL);
  g_autoptr(PhiliaGraph) single = test_graph_labelled (1, loop, 1, one_label);
  g_autoptr(PhiliaGraph) unlabeled = test_graph_labelled (3, NULL, 0, none);
  PhiliaGraph *graphs[] = { empty, single, unlabeled };

  for (guint g = 0; g < G_N_ELEMENTS (graphs); g++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaStatsReport) report = philia_stats_report_new (graphs[g], NULL, NULL, NULL,
                                                                     &error);

      g_assert_no_error (error);
      g_assert_nonnull (report->homophily);
      for (guint b = 0; b < report->bins; b++)
        g_assert_cmpint (report->histogram[b], ==, 0);
      g_assert_cmpfloat (row (report, "test-node-count")->value, ==,
                         philia_graph_get_n_nodes (graphs[g]));
    }
}

static void
async_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The async variant runs the sync one in a thread: the same numbers, the
 * progress at 1, and the same failure rule. */
static void
test_async (void)
{
  g_autoptr(PhiliaGraph) graph = path_graph ();
  g_autoptr(PhiliaProgress) progress = philia_progress_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PhiliaStatsReport) report = NULL;
  g_autoptr(PhiliaStatsReport) sync = NULL;
  g_autoptr(GError) error = NULL;
  PhiliaStatsReportOptions options;

  philia_stats_report_options_init (&options);
  options.bins = 3;
  options.stored = PHILIA_CONVENTION_DIRECTED;
  philia_stats_report_new_async (graph, &options, progress, NULL, async_done, &result);
  /* The options were copied: changing them now changes nothing. */
  options.bins = 7;
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  report = philia_stats_report_new_finish (result, &error);
  g_assert_no_error (error);

  options.bins = 3;
  sync = philia_stats_report_new (graph, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->bins, ==, 3);
  for (guint b = 0; b < 3; b++)
    g_assert_cmpint (report->histogram[b], ==, sync->histogram[b]);
  g_assert_cmpfloat (report->stored->node_homophily, ==, sync->stored->node_homophily);
  g_assert_cmpuint (report->n_failed, ==, 1);
  g_assert_cmpfloat (philia_progress_get_fraction (progress), ==, 1.0);
}

static void
test_async_cancelled (void)
{
  g_autoptr(PhiliaGraph) graph = path_graph ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PhiliaStatsReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  philia_stats_report_new_async (graph, NULL, NULL, cancellable, async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  report = philia_stats_report_new_finish (result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (report);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  register_test_measures ();

  g_test_add_func ("/Philia/StatsReport/bin", test_bin);
  g_test_add_func ("/Philia/StatsReport/hand-counted", test_hand_counted);
  g_test_add_func ("/Philia/StatsReport/defaults", test_defaults);
  g_test_add_func ("/Philia/StatsReport/stored", test_stored);
  g_test_add_func ("/Philia/StatsReport/failing-measure", test_failing_measure);
  g_test_add_func ("/Philia/StatsReport/cancelled", test_cancelled);
  g_test_add_func ("/Philia/StatsReport/bad-options", test_bad_options);
  g_test_add_func ("/Philia/StatsReport/degenerate", test_degenerate);
  g_test_add_func ("/Philia/StatsReport/async", test_async);
  g_test_add_func ("/Philia/StatsReport/async-cancelled", test_async_cancelled);
  return g_test_run ();
}
