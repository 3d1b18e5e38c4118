/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-graph.h"
#include "philia-homophily.h"
#include "philia-progress.h"
#include "philia-registry.h"

G_BEGIN_DECLS

/*
 * The statistics report: what `philia-cli stats` prints and the Statistics
 * panel shows, built in one place so both agree on every number and on
 * failure.
 *
 * The failure rule: the report fails (NULL and an error) when its options are
 * wrong, a built-in measure fails or it is cancelled. A graph measure that a
 * plugin registered and that fails does not fail the report: it becomes a row
 * with its error and a NaN value (@n_failed counts them). The panel shows the
 * row as "failed" with the reason; the CLI prints the whole report, then the
 * reason, and exits with a failure status.
 */

/**
 * PhiliaStatsPluginMeasure:
 * @algorithm: the registry's entry (lives as long as the process)
 * @value: its value, NaN when it failed (or had none)
 * @error: why it failed, or NULL
 */
typedef struct
{
  const PhiliaAlgorithm *algorithm;
  double                 value;
  char                  *error;
} PhiliaStatsPluginMeasure;

/**
 * PhiliaStatsReportOptions:
 * @stored: also compute every measure under these conventions (the "as
 *   stored" column); %PHILIA_CONVENTION_DEFAULT for none
 * @seed: seed of the random pairs behind the feature-similarity baseline
 * @bins: bins of the local homophily histogram, 1 to 1000
 * @stored_only: compute only the @stored measures, for a caller that keeps
 *   the rest from an earlier report of the same graph (with default @stored
 *   the report then holds no measure)
 */
typedef struct
{
  PhiliaConvention stored;
  guint64          seed;
  guint            bins;
  gboolean         stored_only;
} PhiliaStatsReportOptions;

/**
 * PhiliaStatsReport:
 * @graph: the graph it describes (a reference)
 * @homophily: the measures in the default conventions; NULL with @stored_only
 * @stored: the measures in the @convention, or NULL when it is the default
 * @convention: the options' @stored
 * @bins: bins of @histogram
 * @histogram: nodes per bin of local homophily (philia_stats_bin()); nodes
 *   without a local homophily are in no bin; NULL with @stored_only
 * @n_plugin_measures: graph measures that plugins registered (none with
 *   @stored_only)
 * @plugin_measures: their values or errors, in registry order
 * @n_failed: how many of them failed
 */
typedef struct
{
  PhiliaGraph              *graph;
  PhiliaHomophily          *homophily;
  PhiliaHomophily          *stored;
  PhiliaConvention          convention;
  guint                     bins;
  gint64                   *histogram;
  guint                     n_plugin_measures;
  PhiliaStatsPluginMeasure *plugin_measures;
  guint                     n_failed;
} PhiliaStatsReport;

/* Ten bins, seed 0, no "as stored" column. */
void               philia_stats_report_options_init (PhiliaStatsReportOptions *options);

/* The bin of local homophily @value in [0, 1] among @bins equal bins (1
 * lands in the last): the one binning of the histogram, its figure and the
 * selection of a bar's nodes. */
guint              philia_stats_bin                 (double                          value,
                                                     guint                           bins);

/* Builds the report of @graph (@options NULL: the defaults); @progress
 * (nullable) goes from 0 to 1. The sync variant is for the CLI and tests;
 * the async one runs it in a thread (the graph is immutable, the options
 * are copied). */
PhiliaStatsReport *philia_stats_report_new          (PhiliaGraph                    *graph,
                                                     const PhiliaStatsReportOptions *options,
                                                     PhiliaProgress                 *progress,
                                                     GCancellable                   *cancellable,
                                                     GError                        **error);
void               philia_stats_report_new_async    (PhiliaGraph                    *graph,
                                                     const PhiliaStatsReportOptions *options,
                                                     PhiliaProgress                 *progress,
                                                     GCancellable                   *cancellable,
                                                     GAsyncReadyCallback             callback,
                                                     gpointer                        user_data);
PhiliaStatsReport *philia_stats_report_new_finish   (GAsyncResult                   *result,
                                                     GError                        **error);
void               philia_stats_report_free         (PhiliaStatsReport              *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaStatsReport, philia_stats_report_free)

G_END_DECLS
