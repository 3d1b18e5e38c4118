/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>

#include "philia-core.h"
#include "philia-homophily-parts.h"

#define MAX_BINS 1000

void
philia_stats_report_options_init (PhiliaStatsReportOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (PhiliaStatsReportOptions) { .bins = 10 };
}

guint
philia_stats_bin (double value,
                  guint  bins)
{
  g_return_val_if_fail (bins > 0, 0);

  if (!(value > 0))
    return 0;
  return MIN ((guint)(value * bins), bins - 1);
}

void
philia_stats_report_free (PhiliaStatsReport *report)
{
  if (report == NULL)
    return;
  g_clear_object (&report->graph);
  g_clear_pointer (&report->homophily, philia_homophily_free);
  g_clear_pointer (&report->stored, philia_homophily_free);
  g_free (report->histogram);
  for (guint i = 0; i < report->n_plugin_measures; i++)
    g_free (report->plugin_measures[i].error);
  g_free (report->plugin_measures);
  g_free (report);
}

/* The graph measures plugins registered: the built-in ones are in
 * PhiliaHomophily already, and per-node measures have no single value. */
static GPtrArray *
plugin_graph_measures (void)
{
  GPtrArray *list = philia_registry_list (philia_registry_get_default (),
                                          PHILIA_FAMILY_MEASURE);

  for (guint i = list->len; i-- > 0;)
    {
      const PhiliaAlgorithm *algorithm = list->pdata[i];

      if (g_strcmp0 (algorithm->provider, PHILIA_PROVIDER_BUILTIN) == 0
          || ((const PhiliaMeasureVTable *)algorithm->vtable)->scope != PHILIA_MEASURE_GRAPH)
        g_ptr_array_remove_index (list, i);
    }
  return list;
}

static void
progress (PhiliaProgress *sink,
          double          fraction,
          const char     *message)
{
  if (sink != NULL)
    philia_progress_update (sink, fraction, message);
}

/* The histogram and the plugins' measures of a report whose homophily is
 * computed: the part philia_stats_report_new() and a caller that counted the
 * ends in pieces (philia-homophily-parts.h) share. */
static PhiliaStatsReport *
report_finish (PhiliaStatsReport  *report_in,
               PhiliaProgress     *sink,
               GCancellable       *cancellable,
               GError            **error)
{
  g_autoptr(PhiliaStatsReport) report = report_in;

  if (report->homophily != NULL)
    {
      report->histogram = g_new0 (gint64, report->bins);
      for (guint v = 0; v < report->homophily->n_nodes; v++)
        if (!isnan (report->homophily->local_homophily[v]))
          report->histogram[philia_stats_bin (report->homophily->local_homophily[v],
                                              report->bins)]++;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* A failing plugin measure is one row of the report, not the end of it:
   * the built-in measures and the other plugins' still stand. Only a
   * cancellation stops the whole report. */
  if (report->homophily != NULL)
    {
      g_autoptr(GPtrArray) list = plugin_graph_measures ();

      report->plugin_measures = g_new0 (PhiliaStatsPluginMeasure, MAX (list->len, 1));
      for (guint i = 0; i < list->len; i++)
        {
          PhiliaStatsPluginMeasure *row = &report->plugin_measures[report->n_plugin_measures++];
          g_autoptr(GError) measure_error = NULL;
          g_autofree double *value = NULL;

          row->algorithm = list->pdata[i];
          row->value = NAN;
          value = philia_measure_compute (row->algorithm, report->graph, NULL, cancellable,
                                          &measure_error);
          if (g_error_matches (measure_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&measure_error));
              return NULL;
            }
          if (value != NULL)
            row->value = value[0];
          else
            {
              row->error = g_strdup (measure_error->message);
              report->n_failed++;
            }
        }
    }

  progress (sink, 1.0, "Done");
  return g_steal_pointer (&report);
}

static gboolean
check_options (const PhiliaStatsReportOptions *options,
               GError                        **error)
{
  if (options->bins < 1 || options->bins > MAX_BINS)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("The local homophily histogram needs between 1 and %d bins, not %u."),
                   MAX_BINS, options->bins);
      return FALSE;
    }
  return TRUE;
}

PhiliaStatsReport *
philia_stats_report_new_from_parts (PhiliaGraph                    *graph,
                                    const PhiliaStatsReportOptions *options,
                                    PhiliaHomophily                *homophily,
                                    PhiliaHomophily                *stored,
                                    GCancellable                   *cancellable,
                                    GError                        **error)
{
  g_autoptr(PhiliaHomophily) own_homophily = homophily;
  g_autoptr(PhiliaHomophily) own_stored = stored;
  PhiliaStatsReport *report;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph) && options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_options (options, error))
    return NULL;
  report = g_new0 (PhiliaStatsReport, 1);
  report->graph = g_object_ref (graph);
  report->convention = options->stored;
  report->bins = options->bins;
  report->homophily = g_steal_pointer (&own_homophily);
  report->stored = g_steal_pointer (&own_stored);
  return report_finish (report, NULL, cancellable, error);
}

PhiliaStatsReport *
philia_stats_report_new (PhiliaGraph                    *graph,
                         const PhiliaStatsReportOptions *options,
                         PhiliaProgress                 *sink,
                         GCancellable                   *cancellable,
                         GError                        **error)
{
  g_autoptr(PhiliaStatsReport) report = NULL;
  PhiliaStatsReportOptions defaults;
  gboolean want_default;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (sink == NULL || PHILIA_IS_PROGRESS (sink), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      philia_stats_report_options_init (&defaults);
      options = &defaults;
    }
  if (!check_options (options, error))
    return NULL;
  want_default = !options->stored_only;

  report = g_new0 (PhiliaStatsReport, 1);
  report->graph = g_object_ref (graph);
  report->convention = options->stored;
  report->bins = options->bins;
  progress (sink, 0.05, "Computing homophily");

  if (want_default)
    {
      report->homophily = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT,
                                                    options->seed, cancellable, error);
      if (report->homophily == NULL)
        return NULL;
      progress (sink, options->stored != PHILIA_CONVENTION_DEFAULT ? 0.5 : 0.8,
                "Computed homophily");
    }

  if (options->stored != PHILIA_CONVENTION_DEFAULT)
    {
      report->stored = philia_homophily_compute (graph, options->stored, options->seed,
                                                 cancellable, error);
      if (report->stored == NULL)
        return NULL;
      progress (sink, 0.8, "Computed homophily as stored");
    }

  return report_finish (g_steal_pointer (&report), sink, cancellable, error);
}

typedef struct
{
  PhiliaGraph              *graph;
  PhiliaStatsReportOptions  options;
  PhiliaProgress           *progress;
} ReportJob;

static void
report_job_free (ReportJob *job)
{
  g_clear_object (&job->graph);
  g_clear_object (&job->progress);
  g_free (job);
}

static void
report_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReportJob *job = task_data;
  PhiliaStatsReport *report;
  GError *error = NULL;

  report = philia_stats_report_new (job->graph, &job->options, job->progress, cancellable,
                                    &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify)philia_stats_report_free);
}

void
philia_stats_report_new_async (PhiliaGraph                    *graph,
                               const PhiliaStatsReportOptions *options,
                               PhiliaProgress                 *progress,
                               GCancellable                   *cancellable,
                               GAsyncReadyCallback             callback,
                               gpointer                        user_data)
{
  g_autoptr(GTask) task = NULL;
  ReportJob *job;

  g_return_if_fail (PHILIA_IS_GRAPH (graph));
  g_return_if_fail (progress == NULL || PHILIA_IS_PROGRESS (progress));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (ReportJob, 1);
  job->graph = g_object_ref (graph);
  if (options != NULL)
    job->options = *options;
  else
    philia_stats_report_options_init (&job->options);
  job->progress = progress != NULL ? g_object_ref (progress) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, philia_stats_report_new_async);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify)report_job_free);
  g_task_run_in_thread (task, report_thread);
}

PhiliaStatsReport *
philia_stats_report_new_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == philia_stats_report_new_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
