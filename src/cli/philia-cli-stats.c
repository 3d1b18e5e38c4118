/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <locale.h>
#include <math.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "philia-cli-mpi.h"
#include "philia-cli-private.h"
#include "philia-cli-stream.h"

/* philia-cli stats: homophily and heterophily measures, per graph and per node. */

/* ----------------------------------------------------------------- stats */

static char *opt_per_node;
static gboolean opt_keep_self_loops;
static gboolean opt_directed;
static gint64 opt_seed = 0;
static int opt_bins = 10;
static gboolean opt_stream;

static GOptionEntry stats_entries[] = {
  { "per-node", 0, 0, G_OPTION_ARG_FILENAME, &opt_per_node,
    N_ ("Write id,label,degree,local_homophily to this CSV file"), "OUT.csv" },
  { "keep-self-loops", 0, 0, G_OPTION_ARG_NONE, &opt_keep_self_loops,
    N_ ("Also compute every measure with self-loops counted as edges"), NULL },
  { "directed", 0, 0, G_OPTION_ARG_NONE, &opt_directed,
    N_ ("Also compute every measure on the rows as stored, one direction each"), NULL },
  { "bins", 0, 0, G_OPTION_ARG_INT, &opt_bins,
    N_ ("Bins of the local homophily histogram (default 10)"), "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed,
    N_ ("Seed of the random pairs behind the feature-similarity baseline"), "S" },
  { "stream", 0, 0, G_OPTION_ARG_NONE, &opt_stream,
    N_ ("Read the edges of an .npz from disk in pieces, never holding them: graph-level "
        "counts, degrees, components and the label measures, in O(nodes) memory (chosen "
        "without asking when loading would not fit in the free memory)"), NULL },
  { NULL }
};

static const struct
{
  const char *key;
  const char *label;
  gsize       offset;
} scalar_measures[] = {
  { "edge_homophily", N_ ("edge homophily"), G_STRUCT_OFFSET (PhiliaHomophily, edge_homophily) },
  { "node_homophily", N_ ("node homophily"), G_STRUCT_OFFSET (PhiliaHomophily, node_homophily) },
  { "class_homophily", N_ ("class-insensitive homophily"),
    G_STRUCT_OFFSET (PhiliaHomophily, class_homophily) },
  { "adjusted_homophily", N_ ("adjusted homophily"),
    G_STRUCT_OFFSET (PhiliaHomophily, adjusted_homophily) },
  { "label_informativeness", N_ ("label informativeness"),
    G_STRUCT_OFFSET (PhiliaHomophily, label_informativeness) },
  { "feature_similarity_edges", N_ ("feature similarity (edges)"),
    G_STRUCT_OFFSET (PhiliaHomophily, feature_similarity_edges) },
  { "feature_similarity_random", N_ ("feature similarity (random pairs)"),
    G_STRUCT_OFFSET (PhiliaHomophily, feature_similarity_random) },
};

#define SCALAR(h, i) G_STRUCT_MEMBER (double, (h), scalar_measures[i].offset)

static void
json_scalars (PhiliaJson      *json,
              PhiliaHomophily *h)
{
  for (guint i = 0; i < G_N_ELEMENTS (scalar_measures); i++)
    {
      philia_json_key (json, scalar_measures[i].key);
      philia_json_double (json, SCALAR (h, i));
    }
}

static gboolean
write_per_node (PhiliaGraph      *graph,
                PhiliaHomophily  *h,
                const char       *path,
                GError          **error)
{
  g_autoptr(GString) csv = g_string_new ("id,label,degree,local_homophily\n");
  const gint32 *y = philia_graph_get_labels (graph);

  for (guint v = 0; v < h->n_nodes; v++)
    {
      const char *name = philia_graph_get_node_name (graph, v);
      char num[G_ASCII_DTOSTR_BUF_SIZE];

      if (name != NULL && strpbrk (name, ",\"\n") != NULL)
        {
          g_autofree char *quoted = NULL;
          g_auto(GStrv) parts = g_strsplit (name, "\"", -1);

          quoted = g_strjoinv ("\"\"", parts);
          g_string_append_printf (csv, "\"%s\"", quoted);
        }
      else if (name != NULL)
        g_string_append (csv, name);
      else
        g_string_append_printf (csv, "%u", v);
      g_string_append_printf (csv, ",%d,%u,", y[v], philia_graph_get_degree (graph, v));
      if (!isnan (h->local_homophily[v]))
        g_string_append (csv, g_ascii_formatd (num, sizeof num, "%.17g", h->local_homophily[v]));
      g_string_append_c (csv, '\n');
    }

  if (!g_file_set_contents (path, csv->str, csv->len, error))
    return FALSE;
  return TRUE;
}

/* The failure rule of PhiliaStatsReport: a plugin's measure that fails is a
 * row like the others, printed with the report; its reason goes to stderr and
 * the exit status says the command failed. */
static int
report_failures (const PhiliaStatsReport *report)
{
  for (guint i = 0; i < report->n_plugin_measures; i++)
    {
      const PhiliaStatsPluginMeasure *m = &report->plugin_measures[i];
      g_autofree char *line = NULL;

      if (m->error == NULL)
        continue;
      line = g_strdup (m->error);
      g_strdelimit (line, "\r\n", ' ');
      fprintf (stderr, _ ("philia-cli stats: the measure “%s” from the plugin “%s” failed: %s\n"),
               m->algorithm->id, m->algorithm->provider, line);
    }
  return report->n_failed > 0 ? EXIT_FAILED : EXIT_OK;
}

/* "aggregation-homophily" → aggregation_homophily, like the built-ins' keys. */
static char *
json_key (const PhiliaAlgorithm *algorithm)
{
  return g_strdelimit (g_strdup (algorithm->id), "-", '_');
}

int
cmd_stats (int    argc,
           char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaStatsReport) report = NULL;
  PhiliaStatsReportOptions options;
  PhiliaHomophily *h, *stored;
  GError *error = NULL;
  int code = EXIT_OK;

  if (!parse_options ("stats", "FILE", N_ ("Homophily and heterophily measures: edge, "
                          "node, class-insensitive, adjusted, label informativeness, the class "
                          "compatibility matrix, local homophily, feature similarity."),
                      stats_entries, &argc, &argv, 1, &code))
    return code;
  if (opt_bins < 1 || opt_bins > 1000)
    return usage_error ("stats", _ ("--bins must be between 1 and 1000"));

  if (!opt_stream && opt_per_node == NULL && !opt_keep_self_loops && !opt_directed &&
      opt_features == NULL && cli_stream_would_not_fit (argv[1]))
    {
      if (cli_mpi_is_root ())
        fprintf (stderr, "%s\n", _ ("philia-cli stats: the graph would not fit in the free "
                                    "memory; its edges are streamed (--stream)."));
      opt_stream = TRUE;
    }
  if (opt_stream)
    {
      if (opt_per_node != NULL || opt_keep_self_loops || opt_directed || opt_features != NULL)
        return usage_error ("stats", _ ("--stream does not combine with --per-node, "
                                     "--keep-self-loops, --directed or --features"));
      return cli_stats_stream (argv[1], (guint)opt_bins);
    }

  graph = load_dataset (argv[1], &error);
  if (!cli_mpi_agree (&error))
    return fail (error);

  philia_stats_report_options_init (&options);
  options.seed = (guint64)opt_seed;
  options.bins = (guint)opt_bins;
  if (opt_keep_self_loops)
    options.stored |= PHILIA_CONVENTION_KEEP_SELF_LOOPS;
  if (opt_directed)
    options.stored |= PHILIA_CONVENTION_DIRECTED;
  /* Under mpirun the ranks share the counting (philia-cli-mpi.h). */
  if (cli_mpi_active ())
    report = cli_mpi_stats_report (graph, &options, &error);
  else
    report = philia_stats_report_new (graph, &options, NULL, NULL, &error);
  if (report == NULL)
    return fail (error);
  h = report->homophily;
  stored = report->stored;

  if (opt_per_node != NULL && cli_mpi_is_root ()
      && !write_per_node (graph, h, opt_per_node, &error))
    return fail (error);

  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      cli_json_features (json);
      json_scalars (json, h);
      /* A failed measure is null here and explained under "failed_measures". */
      for (guint i = 0; i < report->n_plugin_measures; i++)
        {
          g_autofree char *key = json_key (report->plugin_measures[i].algorithm);

          philia_json_key (json, key);
          philia_json_double (json, report->plugin_measures[i].value);
        }
      philia_json_member_int (json, "classes", h->n_classes);
      philia_json_key (json, "compatibility_matrix");
      philia_json_begin_array (json);
      for (guint k = 0; k < h->n_classes; k++)
        philia_json_double_array (json, h->compatibility + k * h->n_classes, h->n_classes);
      philia_json_end_array (json);
      cli_json_class_structure (json, h, report->histogram, report->bins);
      if (stored != NULL)
        {
          philia_json_key (json, "as_stored");
          philia_json_begin_object (json);
          philia_json_member_bool (json, "keep_self_loops", opt_keep_self_loops);
          philia_json_member_bool (json, "directed", opt_directed);
          json_scalars (json, stored);
          philia_json_end_object (json);
        }
      if (report->n_failed > 0)
        {
          philia_json_key (json, "failed_measures");
          philia_json_begin_object (json);
          for (guint i = 0; i < report->n_plugin_measures; i++)
            if (report->plugin_measures[i].error != NULL)
              {
                g_autofree char *key = json_key (report->plugin_measures[i].algorithm);

                philia_json_key (json, key);
                philia_json_string (json, report->plugin_measures[i].error);
              }
          philia_json_end_object (json);
        }
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
      return report_failures (report);
    }

  /* Translators: "FILE: 2708 nodes, 2708 labeled, 10556 labeled edge ends" */
  printf (_ ("%s: %u nodes, %u labeled, %" PRId64 " labeled edge ends\n"),
          argv[1], h->n_nodes, (guint)h->n_labeled, (gint64)h->n_ends);
  cli_label (_ ("measure"), 37);
  cli_right (_ ("value"), 10);
  if (stored)
    {
      printf (" ");
      cli_right (_ ("as stored"), 10);
      printf (" ");
      cli_right (_ ("difference"), 10);
    }
  printf ("\n");
  for (guint i = 0; i < G_N_ELEMENTS (scalar_measures); i++)
    {
      cli_label (_ (scalar_measures[i].label), 37);
      printf ("%10.6f", SCALAR (h, i));
      if (stored)
        printf (" %10.6f %+10.6f", SCALAR (stored, i), SCALAR (stored, i) - SCALAR (h, i));
      printf ("\n");
    }
  for (guint i = 0; i < report->n_plugin_measures; i++)
    {
      const PhiliaStatsPluginMeasure *m = &report->plugin_measures[i];
      /* Translators: a measure computed by a plugin, "Edge density (plugin)" */
      g_autofree char *label = g_strdup_printf (_ ("%s (plugin)"), m->algorithm->name);

      cli_label (label, 37);
      if (m->error != NULL)
        cli_right (_ ("failed"), 10);
      else
        printf ("%10.6f", m->value);
      printf ("\n");
    }
  printf ("  ");
  printf (ngettext ("local homophily histogram (%d bin):", "local homophily histogram (%d bins):",
                    (gulong)MAX (opt_bins, 0)), opt_bins);
  for (guint b = 0; b < report->bins; b++)
    printf (" %" PRId64, (gint64)report->histogram[b]);
  printf ("\n");
  return report_failures (report);
}
