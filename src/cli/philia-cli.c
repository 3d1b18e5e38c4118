/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "philia-cli-private.h"

/*
 * philia-cli: the headless twin of every analysis in the workbench. Each
 * subcommand parses its own options, takes the dataset path first, prints a
 * table as CSV or a summary (or JSON with --json) on stdout, and on bad input
 * prints one line on stderr and exits non-zero.
 */

typedef struct
{
  const char *name;
  const char *args;
  const char *summary;
  int (*run) (int argc, char **argv);
} Command;

gboolean opt_json;
char *opt_nodes;

static GOptionEntry json_entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Machine-readable JSON on stdout", NULL },
  { NULL }
};

/* For the commands that read a dataset. */
static GOptionEntry dataset_entries[] = {
  { "nodes", 0, 0, G_OPTION_ARG_FILENAME, &opt_nodes,
    "CSV node table (id,label,f0,…) for an edge-list, GraphML or GML file", "TABLE.csv" },
  { NULL }
};

/* Prints the document on stdout, one line, and frees it. */
void
print_json (PhiliaJson *json)
{
  g_autofree char *text = philia_json_free_to_string (json);

  printf ("%s\n", text);
}

/* "a, b or c": the ids registered in @family, built-ins and plugins alike. */
static char *
registry_ids (PhiliaFamily family)
{
  g_autoptr(GPtrArray) list = philia_registry_list (philia_registry_get_default (), family);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < list->len; i++)
    {
      if (i > 0)
        g_string_append (out, i + 1 == list->len ? " or " : ", ");
      g_string_append (out, ((const PhiliaAlgorithm *)list->pdata[i])->id);
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_plugin (const PhiliaAlgorithm *algorithm)
{
  return g_strcmp0 (algorithm->provider, "built-in") != 0;
}

int
fail (GError *error)
{
  g_autofree char *line = g_strdup (error->message);

  g_strdelimit (line, "\r\n", ' ');
  fprintf (stderr, "philia-cli: %s\n", line);
  g_error_free (error);
  return EXIT_FAILED;
}

int
usage_error (const char *command,
             const char *message)
{
  fprintf (stderr, "philia-cli %s: %s (see “philia-cli %s --help”)\n", command, message, command);
  return EXIT_USAGE;
}

/* Parses @argv with the common options plus @extra; exactly @n_positional
 * positional arguments must remain (argv[1..]). */
gboolean
parse_options (const char    *command,
               const char    *args,
               const char    *summary,
               GOptionEntry  *extra,
               int           *argc,
               char        ***argv,
               int            n_positional,
               int           *exit_code)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;

  /* The usage line is "PRGNAME [OPTION…] ARGS"; main() made the program name
   * "philia-cli COMMAND", so the command is named once, where it is typed. */
  context = g_option_context_new (args);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, json_entries, NULL);
  if (g_strcmp0 (command, "generate") != 0)
    g_option_context_add_main_entries (context, dataset_entries, NULL);
  if (g_strcmp0 (command, "generate") != 0 && g_strcmp0 (command, "project") != 0
      && g_strcmp0 (command, "plugins") != 0)
    g_option_context_add_main_entries (context, cli_project_open_entries, NULL);
  if (extra != NULL)
    g_option_context_add_main_entries (context, extra, NULL);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = usage_error (command, error->message);
      return FALSE;
    }
  if (*argc - 1 != n_positional)
    {
      g_autofree char *what = g_strdup_printf ("%s is required", args);

      *exit_code = usage_error (command, *argc - 1 < n_positional ? what
                                                                  : "too many arguments");
      return FALSE;
    }
  return TRUE;
}

PhiliaGraph *
load_dataset (const char  *path,
              GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFile) nodes = opt_nodes ? g_file_new_for_commandline_arg (opt_nodes) : NULL;

  /* A project goes wherever a dataset goes: its graph, with its splits. */
  if (cli_is_project (path))
    return cli_project_load (path, error);
  if (!cli_project_refuse_open_options (path, error))
    return NULL;
  return philia_graph_load (file, nodes, NULL, NULL, error);
}

/* ------------------------------------------------------------------ info */

static void
info_json (PhiliaGraph *graph,
           const char  *path)
{
  const PhiliaSanityReport *r = philia_graph_get_sanity_report (graph);
  const gint64 *sizes = philia_graph_get_class_sizes (graph);
  g_autoptr(PhiliaJson) json = philia_json_new ();
  guint n_classes = philia_graph_get_n_classes (graph);
  guint n_splits = philia_graph_get_n_splits (graph);

  philia_json_begin_object (json);
  philia_json_member_string (json, "file", path);
  philia_json_member_string (json, "format", philia_graph_get_format (graph));
  philia_json_member_int (json, "nodes", philia_graph_get_n_nodes (graph));
  philia_json_member_int (json, "edges", philia_graph_get_n_edges (graph));
  philia_json_member_int (json, "features", philia_graph_get_n_features (graph));
  philia_json_member_int (json, "classes", n_classes);
  philia_json_member_int (json, "labeled", philia_graph_get_n_labeled (graph));
  philia_json_key (json, "class_sizes");
  philia_json_int_array (json, sizes, n_classes);
  /* Like class_sizes: an empty array when there is nothing to list, never null. */
  philia_json_key (json, "class_names");
  philia_json_begin_array (json);
  for (guint k = 0; philia_graph_has_class_names (graph) && k < n_classes; k++)
    philia_json_string (json, philia_graph_get_class_name (graph, k));
  philia_json_end_array (json);
  philia_json_member_int (json, "splits", n_splits);
  philia_json_key (json, "split_sizes");
  philia_json_begin_array (json);
  for (guint s = 0; s < n_splits; s++)
    {
      gint64 train, val, test;

      philia_graph_get_split_sizes (graph, s, &train, &val, &test);
      philia_json_begin_object (json);
      philia_json_member_int (json, "train", train);
      philia_json_member_int (json, "val", val);
      philia_json_member_int (json, "test", test);
      philia_json_end_object (json);
    }
  philia_json_end_array (json);
  philia_json_member_int (json, "input_edges", r->input_edges);
  philia_json_member_bool (json, "declared_directed", r->declared_directed);
  philia_json_member_bool (json, "directed_input", r->directed_input);
  philia_json_member_int (json, "self_loops", r->self_loops);
  philia_json_member_int (json, "duplicate_edges", r->duplicate_edges);
  philia_json_member_int (json, "reciprocal_pairs", r->reciprocal_pairs);
  philia_json_member_int (json, "isolated_nodes", r->isolated_nodes);
  philia_json_member_int (json, "components", r->components);
  philia_json_member_int (json, "largest_component", r->largest_component);
  cli_project_info_json (json);
  philia_json_end_object (json);

  print_json (g_steal_pointer (&json));
}

static void
info_text (PhiliaGraph *graph,
           const char  *path)
{
  const PhiliaSanityReport *r = philia_graph_get_sanity_report (graph);
  const gint64 *sizes = philia_graph_get_class_sizes (graph);
  guint n = philia_graph_get_n_nodes (graph);
  guint n_classes = philia_graph_get_n_classes (graph);

  printf ("%s (%s)\n", path, philia_graph_get_format (graph));
  printf ("  nodes              %u\n", n);
  printf ("  undirected edges   %" G_GINT64_FORMAT "\n", philia_graph_get_n_edges (graph));
  printf ("  features           %u\n", philia_graph_get_n_features (graph));
  printf ("  classes            %u\n", n_classes);
  printf ("  labeled nodes      %u of %u\n", philia_graph_get_n_labeled (graph), n);
  if (n_classes > 0)
    {
      printf ("  class sizes       ");
      for (guint k = 0; k < n_classes; k++)
        {
          const char *name = philia_graph_get_class_name (graph, k);

          if (name)
            printf (" %s=%" G_GINT64_FORMAT, name, sizes[k]);
          else
            printf (" %" G_GINT64_FORMAT, sizes[k]);
        }
      printf ("\n");
    }
  printf ("  splits             %u\n", philia_graph_get_n_splits (graph));
  for (guint s = 0; s < philia_graph_get_n_splits (graph); s++)
    {
      gint64 train, val, test;

      philia_graph_get_split_sizes (graph, s, &train, &val, &test);
      printf ("    split %-3u        train %" G_GINT64_FORMAT ", val %" G_GINT64_FORMAT
              ", test %" G_GINT64_FORMAT "\n", s, train, val, test);
    }
  printf ("Sanity report\n");
  printf ("  edge rows in file  %" G_GINT64_FORMAT "\n", r->input_edges);
  printf ("  directed input     %s%s\n", r->directed_input ? "yes" : "no",
          r->declared_directed ? " (declared by the file)"
          : r->directed_input ? " (pairs given in both directions)" : "");
  printf ("  reciprocal pairs   %" G_GINT64_FORMAT " (merged)\n", r->reciprocal_pairs);
  printf ("  duplicate rows     %" G_GINT64_FORMAT " (merged)\n", r->duplicate_edges);
  printf ("  self-loops         %" G_GINT64_FORMAT " (dropped)\n", r->self_loops);
  printf ("  isolated nodes     %" G_GINT64_FORMAT "\n", r->isolated_nodes);
  printf ("  components         %" G_GINT64_FORMAT ", largest %" G_GINT64_FORMAT
          " nodes (%.1f%%)\n", r->components, r->largest_component,
          n > 0 ? 100.0 * r->largest_component / n : 0.0);
  cli_project_info_text ();
}

static int
cmd_info (int    argc,
          char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  GError *error = NULL;
  int code = EXIT_OK;

  if (!parse_options ("info", "FILE", "Sizes of a dataset and the sanity report: "
                      "directed input, self-loops, duplicates, isolated nodes, components. "
                      "Given a project (.philia), the same for its dataset and then what the "
                      "project holds: layouts, runs, evaluations (with --json, a \"project\" "
                      "member).",
                      NULL, &argc, &argv, 1, &code))
    return code;

  graph = load_dataset (argv[1], &error);
  if (graph == NULL)
    return fail (error);

  if (opt_json)
    info_json (graph, argv[1]);
  else
    info_text (graph, argv[1]);
  return EXIT_OK;
}

/* ----------------------------------------------------------------- stats */

static char *opt_per_node;
static gboolean opt_keep_self_loops;
static gboolean opt_directed;
static gint64 opt_seed = 0;
static int opt_bins = 10;

static GOptionEntry stats_entries[] = {
  { "per-node", 0, 0, G_OPTION_ARG_FILENAME, &opt_per_node,
    "Write id,label,degree,local_homophily to this CSV file", "OUT.csv" },
  { "keep-self-loops", 0, 0, G_OPTION_ARG_NONE, &opt_keep_self_loops,
    "Also compute every measure with self-loops counted as edges", NULL },
  { "directed", 0, 0, G_OPTION_ARG_NONE, &opt_directed,
    "Also compute every measure on the rows as stored, one direction each", NULL },
  { "bins", 0, 0, G_OPTION_ARG_INT, &opt_bins,
    "Bins of the local homophily histogram (default 10)", "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed,
    "Seed of the random pairs behind the feature-similarity baseline", "S" },
  { NULL }
};

static const struct
{
  const char *key;
  const char *label;
  gsize       offset;
} scalar_measures[] = {
  { "edge_homophily", "edge homophily", G_STRUCT_OFFSET (PhiliaHomophily, edge_homophily) },
  { "node_homophily", "node homophily", G_STRUCT_OFFSET (PhiliaHomophily, node_homophily) },
  { "class_homophily", "class-insensitive homophily",
    G_STRUCT_OFFSET (PhiliaHomophily, class_homophily) },
  { "adjusted_homophily", "adjusted homophily",
    G_STRUCT_OFFSET (PhiliaHomophily, adjusted_homophily) },
  { "label_informativeness", "label informativeness",
    G_STRUCT_OFFSET (PhiliaHomophily, label_informativeness) },
  { "feature_similarity_edges", "feature similarity (edges)",
    G_STRUCT_OFFSET (PhiliaHomophily, feature_similarity_edges) },
  { "feature_similarity_random", "feature similarity (random pairs)",
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

static int
cmd_stats (int    argc,
           char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaHomophily) h = NULL;
  g_autoptr(PhiliaHomophily) stored = NULL;
  g_autofree gint64 *hist = NULL;
  g_autoptr(GPtrArray) plugin_measures = NULL;
  g_autofree double *plugin_values = NULL;
  PhiliaConvention convention = PHILIA_CONVENTION_DEFAULT;
  GError *error = NULL;
  int code = EXIT_OK;

  if (!parse_options ("stats", "FILE", "Homophily and heterophily measures (design §5): edge, "
                      "node, class-insensitive, adjusted, label informativeness, the class "
                      "compatibility matrix, local homophily, feature similarity.",
                      stats_entries, &argc, &argv, 1, &code))
    return code;
  if (opt_bins < 1 || opt_bins > 1000)
    return usage_error ("stats", "--bins must be between 1 and 1000");

  graph = load_dataset (argv[1], &error);
  if (graph == NULL)
    return fail (error);

  h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, (guint64)opt_seed, NULL,
                                &error);
  if (h == NULL)
    return fail (error);

  if (opt_keep_self_loops)
    convention |= PHILIA_CONVENTION_KEEP_SELF_LOOPS;
  if (opt_directed)
    convention |= PHILIA_CONVENTION_DIRECTED;
  if (convention != PHILIA_CONVENTION_DEFAULT)
    {
      stored = philia_homophily_compute (graph, convention, (guint64)opt_seed, NULL, &error);
      if (stored == NULL)
        return fail (error);
    }

  hist = g_new0 (gint64, opt_bins);
  for (guint v = 0; v < h->n_nodes; v++)
    if (!isnan (h->local_homophily[v]))
      hist[MIN ((int)(h->local_homophily[v] * opt_bins), opt_bins - 1)]++;

  if (opt_per_node != NULL && !write_per_node (graph, h, opt_per_node, &error))
    return fail (error);

  /* Graph measures that plugins registered, next to the built-in ones. */
  plugin_measures = philia_registry_list (philia_registry_get_default (), PHILIA_FAMILY_MEASURE);
  for (guint i = plugin_measures->len; i-- > 0;)
    {
      const PhiliaAlgorithm *algorithm = plugin_measures->pdata[i];

      if (!is_plugin (algorithm)
          || ((const PhiliaMeasureVTable *)algorithm->vtable)->scope != PHILIA_MEASURE_GRAPH)
        g_ptr_array_remove_index (plugin_measures, i);
    }
  plugin_values = g_new0 (double, MAX (plugin_measures->len, 1));
  for (guint i = 0; i < plugin_measures->len; i++)
    {
      g_autofree double *value = philia_measure_compute (plugin_measures->pdata[i], graph, NULL,
                                                         NULL, &error);

      if (value == NULL)
        return fail (error);
      plugin_values[i] = value[0];
    }

  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      json_scalars (json, h);
      for (guint i = 0; i < plugin_measures->len; i++)
        {
          /* "aggregation-homophily" → aggregation_homophily, like the built-ins' keys. */
          g_autofree char *key = g_strdup (((const PhiliaAlgorithm *)plugin_measures->pdata[i])->id);

          g_strdelimit (key, "-", '_');
          philia_json_key (json, key);
          philia_json_double (json, plugin_values[i]);
        }
      philia_json_member_int (json, "classes", h->n_classes);
      philia_json_key (json, "compatibility_matrix");
      philia_json_begin_array (json);
      for (guint k = 0; k < h->n_classes; k++)
        philia_json_double_array (json, h->compatibility + k * h->n_classes, h->n_classes);
      philia_json_end_array (json);
      philia_json_key (json, "compatibility_counts");
      philia_json_begin_array (json);
      for (guint k = 0; k < h->n_classes; k++)
        philia_json_int_array (json, h->compatibility_counts + k * h->n_classes, h->n_classes);
      philia_json_end_array (json);
      philia_json_key (json, "class_homophily_per_class");
      philia_json_double_array (json, h->class_h, h->n_classes);
      philia_json_key (json, "local_homophily_histogram");
      philia_json_begin_object (json);
      philia_json_key (json, "edges");
      philia_json_begin_array (json);
      for (int b = 0; b <= opt_bins; b++)
        philia_json_double (json, (double)b / opt_bins);
      philia_json_end_array (json);
      philia_json_key (json, "counts");
      philia_json_int_array (json, hist, opt_bins);
      philia_json_end_object (json);
      if (stored != NULL)
        {
          philia_json_key (json, "as_stored");
          philia_json_begin_object (json);
          philia_json_member_bool (json, "keep_self_loops", opt_keep_self_loops);
          philia_json_member_bool (json, "directed", opt_directed);
          json_scalars (json, stored);
          philia_json_end_object (json);
        }
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
      return EXIT_OK;
    }

  printf ("%s: %u nodes, %u labeled, %" G_GINT64_FORMAT " labeled edge ends\n",
          argv[1], h->n_nodes, (guint)h->n_labeled, h->n_ends);
  printf ("  %-36s %10s", "measure", "value");
  if (stored)
    printf (" %10s %10s", "as stored", "difference");
  printf ("\n");
  for (guint i = 0; i < G_N_ELEMENTS (scalar_measures); i++)
    {
      printf ("  %-36s %10.6f", scalar_measures[i].label, SCALAR (h, i));
      if (stored)
        printf (" %10.6f %+10.6f", SCALAR (stored, i), SCALAR (stored, i) - SCALAR (h, i));
      printf ("\n");
    }
  for (guint i = 0; i < plugin_measures->len; i++)
    {
      const PhiliaAlgorithm *algorithm = plugin_measures->pdata[i];
      g_autofree char *label = g_strdup_printf ("%s (plugin)", algorithm->name);

      printf ("  %-36s %10.6f\n", label, plugin_values[i]);
    }
  printf ("  local homophily histogram (%d bins):", opt_bins);
  for (int b = 0; b < opt_bins; b++)
    printf (" %" G_GINT64_FORMAT, hist[b]);
  printf ("\n");
  return EXIT_OK;
}

/* ---------------------------------------------------------------- figure */

static char *opt_model;
static int opt_split = 0;
static int opt_epochs = -1;
static int opt_threads = 1;
static double opt_lr = -1;
static int opt_hidden = -1;
static double opt_dropout = -1;
static double opt_weight_decay = -1;
static int opt_heads = -1;
static int opt_k = -1;
static double opt_alpha = -1;
static gboolean opt_no_normalize;
static char *opt_predictions;
static char *opt_attention;

static char *opt_models;
static int opt_node = -1;

static char *opt_kind;
static char *opt_out;
static double opt_width;    /* 0: the kind's default size */
static double opt_height;
static double opt_dpi = 150;
static gboolean opt_by_class;
static gboolean opt_linear;
static gboolean opt_counts;
static char *opt_layout;
static char *opt_color_by;
static char *opt_edges;
static gboolean opt_node_labels;
static guint opt_labels_dropped;   /* out: names the graph figure left out */
static int opt_hits_k = 20;
static char *opt_heuristics;

static GOptionEntry figure_entries[] = {
  { "kind", 0, 0, G_OPTION_ARG_STRING, &opt_kind,
    "graph, class-sizes, local-homophily, compatibility, degree, accuracy-by-homophily, "
    "attention, hits or overlap", "KIND" },
  { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, "Output file (.png, .svg or .pdf)", "FILE" },
  { "width", 0, 0, G_OPTION_ARG_DOUBLE, &opt_width,
    "Width in points (default 360; graph, hits, overlap 480)", "PT" },
  { "height", 0, 0, G_OPTION_ARG_DOUBLE, &opt_height,
    "Height in points (default 240; graph 480; hits, overlap 320)", "PT" },
  { "dpi", 0, 0, G_OPTION_ARG_DOUBLE, &opt_dpi, "PNG resolution (default 150)", "DPI" },
  { "bins", 0, 0, G_OPTION_ARG_INT, &opt_bins, "local-homophily: bins (default 10)", "N" },
  { "by-class", 0, 0, G_OPTION_ARG_NONE, &opt_by_class, "local-homophily: stack by class", NULL },
  { "linear", 0, 0, G_OPTION_ARG_NONE, &opt_linear, "degree: linear axes instead of log-log",
    NULL },
  { "counts", 0, 0, G_OPTION_ARG_NONE, &opt_counts, "compatibility: raw counts, not shares",
    NULL },
  { "layout", 0, 0, G_OPTION_ARG_STRING, &opt_layout,
    "graph: fr, kk, drl, circle, class-grouped or multilevel (default: by size); for a "
    "project also the name of a saved layout (default: its current layout)", "A" },
  { "color-by", 0, 0, G_OPTION_ARG_STRING, &opt_color_by,
    "graph: label, local-homophily or degree (default label); for a project also none, "
    "prediction, correct or run:ID:VALUE (default: the project's view)", "WHAT" },
  { "edges", 0, 0, G_OPTION_ARG_STRING, &opt_edges,
    "graph: homophily (same/cross-class colours), plain or hidden; for a project also "
    "attention (default: the project's view)", "STYLE" },
  { "run", 0, 0, G_OPTION_ARG_STRING, &opt_run,
    "Project: the saved run whose predictions or attention graph and attention draw (default: "
    "the view's, else the latest; given alone, graph colours by its predictions), or the runs "
    "accuracy-by-homophily draws (e.g. 1,3) instead of training", "ID" },
  { "labels", 0, 0, G_OPTION_ARG_NONE, &opt_node_labels, "graph: node names where they fit",
    NULL },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed,
    "graph: layout seed; accuracy-by-homophily, attention: training seed; hits, overlap: "
    "edge split seed (default 0)", "S" },
  { "models", 0, 0, G_OPTION_ARG_STRING, &opt_models,
    "accuracy-by-homophily: comma-separated models to train (default gcn,mlp)", "LIST" },
  { "split", 0, 0, G_OPTION_ARG_INT, &opt_split,
    "accuracy-by-homophily, attention: split index (default 0)", "K" },
  { "epochs", 0, 0, G_OPTION_ARG_INT, &opt_epochs,
    "accuracy-by-homophily, attention: epochs (default: each model's recipe)", "N" },
  { "model", 'm', 0, G_OPTION_ARG_STRING, &opt_model, "attention: the model (default gat)", "M" },
  { "node", 0, 0, G_OPTION_ARG_INT, &opt_node,
    "attention: the node whose neighbourhood is drawn (default: highest degree)", "V" },
  { "k", 0, 0, G_OPTION_ARG_INT, &opt_hits_k, "hits, overlap: the K of Hits@K (default 20)", "K" },
  { "heuristics", 0, 0, G_OPTION_ARG_STRING, &opt_heuristics,
    "hits, overlap: comma-separated heuristics (default: all; fp needs features)", "LIST" },
  { NULL }
};

typedef struct
{
  PhiliaGraphView   view;
  PhiliaRenderStyle style;
} GraphFigure;

static void
draw_graph_figure (cairo_t  *cr,
                   double    width,
                   double    height,
                   gpointer  user_data)
{
  GraphFigure *figure = user_data;

  /* The view is fitted to the figure's own size, whatever that is, with the
   * legend kept off the nodes. */
  philia_graph_view_fit_figure (&figure->view, &figure->style, width, height);
  philia_graph_view_draw (cr, width, height, &figure->view, &figure->style);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliProjectView, cli_project_view_clear)

static int
figure_graph (PhiliaGraph *graph)
{
  g_autoptr(PhiliaHomophily) h = NULL;
  g_autofree double *xy = NULL;
  g_autofree double *chance = NULL;
  g_auto(CliProjectView) project = { 0 };
  PhiliaDocument *document = cli_project_get ();
  guint n_chance = 0;
  GraphFigure figure = { 0 };
  double figure_width = opt_width > 0 ? opt_width : 480;
  double figure_height = opt_height > 0 ? opt_height : 480;
  PhiliaColorBy color_by = PHILIA_COLOR_BY_LABEL;
  PhiliaEdgeStyle edges = PHILIA_EDGES_HOMOPHILY;
  GError *error = NULL;

  if (document != NULL)
    {
      /* The project's layout and view; the options, when given, win. */
      if (!cli_project_graph_view (document, opt_layout, opt_color_by, opt_edges, &project,
                                   &error))
        {
          int code;

          if (!g_error_matches (error, PHILIA_ERROR, PHILIA_ERROR_OPTION))
            return fail (error);
          code = usage_error ("figure", error->message);
          g_error_free (error);
          return code;
        }
      color_by = project.view.color_by;
      edges = project.view.edge_style;
    }
  else if (opt_color_by != NULL && (!philia_color_by_from_string (opt_color_by, &color_by)
                                    || color_by >= PHILIA_COLOR_BY_VALUE))
    return usage_error ("figure", "--color-by must be label, local-homophily or degree");
  else if (g_strcmp0 (opt_edges, "plain") == 0)
    edges = PHILIA_EDGES_PLAIN;
  else if (g_strcmp0 (opt_edges, "hidden") == 0)
    edges = PHILIA_EDGES_HIDDEN;
  else if (opt_edges != NULL && g_strcmp0 (opt_edges, "homophily") != 0)
    return usage_error ("figure", "--edges must be homophily, plain or hidden");

  if (project.view.positions == NULL)
    {
      xy = philia_layout_compute (graph, opt_layout ? opt_layout
                                                    : philia_layout_default_algorithm (graph),
                                  (guint64)opt_seed, NULL, NULL, &error);
      if (xy == NULL)
        return fail (error);
    }
  h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 0, NULL, &error);
  if (h == NULL)
    return fail (error);

  chance = philia_local_homophily_chance (graph, &n_chance);

  philia_render_style_init_default (&figure.style);
  figure.view = project.view;
  figure.view.graph = graph;
  figure.view.positions = xy != NULL ? xy : project.view.positions;
  figure.view.color_by = color_by;
  if (color_by != PHILIA_COLOR_BY_VALUE)
    figure.view.node_values = h->local_homophily;
  figure.view.class_chance = chance;
  figure.view.n_class_chance = n_chance;
  figure.view.edge_style = edges;
  figure.view.show_labels = opt_node_labels;
  figure.view.show_legend = TRUE;
  if (!philia_figure_export (opt_out, figure_width, figure_height, opt_dpi, draw_graph_figure,
                             &figure, &error))
    return fail (error);
  if (opt_node_labels)
    {
      g_autoptr(GArray) placed = NULL;
      guint dropped = 0;

      philia_graph_view_fit_figure (&figure.view, &figure.style, figure_width, figure_height);
      placed = philia_graph_view_place_labels (&figure.view, &figure.style, figure_width,
                                               figure_height, &dropped);
      opt_labels_dropped = dropped;
      if (dropped > 0 && !opt_json)
        g_printerr ("figure: %u of %u node names left out: no room to print them apart.\n",
                    dropped, dropped + placed->len);
    }
  return EXIT_OK;
}

static gboolean
figure_stats (PhiliaGraph            *graph,
              PhiliaStatsFigureKind   kind,
              GError                **error)
{
  g_autoptr(PhiliaHomophily) h = NULL;
  g_autoptr(PhiliaStatsFigure) figure = NULL;
  PhiliaStatsFigureOptions options;

  if (kind == PHILIA_STATS_FIGURE_LOCAL_HOMOPHILY || kind == PHILIA_STATS_FIGURE_COMPATIBILITY)
    {
      h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 0, NULL, error);
      if (h == NULL)
        return FALSE;
    }

  philia_stats_figure_options_init (&options);
  options.bins = opt_bins;
  options.by_class = opt_by_class;
  options.log_log = !opt_linear;
  options.counts = opt_counts;
  figure = philia_stats_figure_new (kind, graph, h, &options);

  return philia_figure_export (opt_out, opt_width > 0 ? opt_width : 360,
                               opt_height > 0 ? opt_height : 240, opt_dpi,
                               philia_stats_figure_draw, figure, error);
}

/* Trains like `philia-cli train` with the model's recipe, for a figure. */
static PhiliaTrainResult *
train_for_figure (PhiliaGraph  *graph,
                  const char   *model,
                  GError      **error)
{
  PhiliaTrainParams params;

  if (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MODEL,
                              model) == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   "Unknown model “%s” in --models.", model);
      return NULL;
    }
  philia_train_params_init (&params);
  params.epochs = opt_epochs;
  return philia_train (graph, model, &params, (guint)opt_split, (guint64)opt_seed, 1, NULL,
                       NULL, NULL, NULL, error);
}

typedef struct
{
  GPtrArray         *runs;
  PhiliaRenderStyle  style;
} RunsFigure;

static void
draw_runs_figure (cairo_t  *cr,
                  double    width,
                  double    height,
                  gpointer  user_data)
{
  RunsFigure *figure = user_data;

  philia_accuracy_by_homophily_draw (cr, width, height,
                                     (const PhiliaTrainResult * const *)figure->runs->pdata,
                                     NULL, NULL, figure->runs->len, &figure->style);
}

static gboolean
figure_accuracy_by_homophily (PhiliaGraph  *graph,
                              GError      **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (
    (GDestroyNotify)philia_train_result_free);
  g_auto(GStrv) models = g_strsplit (opt_models != NULL ? opt_models : "gcn,mlp", ",", -1);
  RunsFigure figure = { runs };

  /* A project's saved runs are drawn as they are (the project owns them). */
  if (opt_run != NULL)
    {
      g_autoptr(GPtrArray) saved = cli_project_runs (cli_project_get (), FALSE, error);

      if (saved == NULL)
        return FALSE;
      figure.runs = saved;
      philia_render_style_init_default (&figure.style);
      return philia_figure_export (opt_out, opt_width > 0 ? opt_width : 360,
                                   opt_height > 0 ? opt_height : 240, opt_dpi,
                                   draw_runs_figure, &figure, error);
    }
  for (guint i = 0; models[i] != NULL; i++)
    {
      PhiliaTrainResult *r = train_for_figure (graph, g_strstrip (models[i]), error);

      if (r == NULL)
        return FALSE;
      g_ptr_array_add (runs, r);
    }
  philia_render_style_init_default (&figure.style);
  return philia_figure_export (opt_out, opt_width > 0 ? opt_width : 360,
                               opt_height > 0 ? opt_height : 240, opt_dpi, draw_runs_figure,
                               &figure, error);
}

static gboolean
figure_attention (PhiliaGraph  *graph,
                  GError      **error)
{
  g_autoptr(PhiliaTrainResult) trained = NULL;
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(PhiliaAttentionGrid) grid = NULL;
  PhiliaTrainResult *r;
  guint node = 0, n = philia_graph_get_n_nodes (graph);

  if (opt_node >= 0 && (guint)opt_node >= n)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   "--node %d does not exist: the graph has %u nodes.", opt_node, n);
      return FALSE;
    }
  /* A run saved in the project, or one trained now. */
  if (opt_run != NULL)
    {
      saved = cli_project_runs (cli_project_get (), TRUE, error);
      if (saved == NULL)
        return FALSE;
      r = saved->pdata[0];
    }
  else
    {
      trained = train_for_figure (graph, opt_model != NULL ? opt_model : "gat", error);
      if (trained == NULL)
        return FALSE;
      r = trained;
    }
  if (opt_node >= 0)
    node = (guint)opt_node;
  else
    for (guint v = 1; v < n; v++)
      if (philia_graph_get_degree (graph, v) > philia_graph_get_degree (graph, node))
        node = v;
  /* Over uniform when that means something (a softmax, GAT's), as the app. */
  grid = philia_attention_grid_new (graph, r, node, 24,
                                    philia_train_result_attention_is_softmax (r, graph, 0));
  if (grid == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   "Model “%s” keeps no attention weights; use gat.", r->model);
      return FALSE;
    }
  return philia_figure_export (opt_out, opt_width > 0 ? opt_width : 480,
                               opt_height > 0 ? opt_height : 240, opt_dpi,
                               philia_attention_grid_draw, grid, error);
}

static int proximity_fail (const char *command,
                           GError     *error);

/* Evaluates the heuristics on a seeded split (HACKING.md §6) and draws their
 * Hits@K bars or overlap heatmap. */
static gboolean
figure_linkpred (PhiliaGraph               *graph,
                 PhiliaLinkpredFigureKind   kind,
                 PhiliaLinkpredReport     **report,
                 PhiliaLinkpredFigure     **figure,
                 GError                   **error)
{
  PhiliaProximityParams params;
  guint mask = PHILIA_PROXIMITY_ALL;

  if (opt_heuristics != NULL && !philia_proximity_parse_mask (opt_heuristics, &mask, error))
    return FALSE;
  philia_proximity_params_init_default (&params);
  *report = philia_linkpred_report_new (graph, &params, mask, (guint64)opt_seed, 0, NULL, NULL,
                                        error);
  if (*report == NULL)
    return FALSE;
  *figure = philia_linkpred_figure_new (kind, *report, (guint)opt_hits_k);
  return philia_figure_export (opt_out, opt_width > 0 ? opt_width : 480,
                               opt_height > 0 ? opt_height : 320, opt_dpi,
                               philia_linkpred_figure_draw, *figure, error);
}

static void
linkpred_figure_json (PhiliaJson           *json,
                      PhiliaLinkpredReport *report,
                      PhiliaLinkpredFigure *figure)
{
  const double *values;
  guint n_values;

  values = philia_linkpred_figure_get_values (figure, &n_values);
  philia_json_member_int (json, "k", opt_hits_k);
  philia_json_member_int (json, "seed", opt_seed);
  philia_json_member_int (json, "test_edges", report->split->n_test);
  philia_json_key (json, "heuristics");
  philia_json_begin_array (json);
  for (guint i = 0; i < report->n_results; i++)
    philia_json_string (json, philia_proximity_heuristic_to_string (report->results[i]->heuristic));
  philia_json_end_array (json);
  philia_json_key (json, "values");
  philia_json_double_array (json, values, n_values);
}

static int
cmd_figure (int    argc,
            char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  PhiliaStatsFigureKind kind = PHILIA_STATS_FIGURE_CLASS_SIZES;
  PhiliaLinkpredFigureKind lp_kind = PHILIA_LINKPRED_FIGURE_HITS;
  g_autoptr(PhiliaLinkpredReport) report = NULL;
  g_autoptr(PhiliaLinkpredFigure) lp_figure = NULL;
  PhiliaFigureFormat format;
  gboolean is_graph, is_runs, is_attention, is_linkpred;
  GError *error = NULL;
  int code = EXIT_OK;

  if (!parse_options ("figure", "FILE", "Render a figure the workbench shows to PNG, SVG or PDF.",
                      figure_entries, &argc, &argv, 1, &code))
    return code;
  if (opt_kind == NULL)
    return usage_error ("figure", "--kind is required");
  is_graph = g_str_equal (opt_kind, "graph");
  is_runs = g_str_equal (opt_kind, "accuracy-by-homophily");
  is_attention = g_str_equal (opt_kind, "attention");
  is_linkpred = philia_linkpred_figure_kind_from_string (opt_kind, &lp_kind);
  if (!is_graph && !is_runs && !is_attention && !is_linkpred
      && !philia_stats_figure_kind_from_string (opt_kind, &kind))
    return usage_error ("figure", "unknown --kind; known kinds: graph, class-sizes, "
                        "local-homophily, compatibility, degree, accuracy-by-homophily, "
                        "attention, hits, overlap");
  if (opt_split < 0)
    return usage_error ("figure", "--split must be ≥ 0");
  if (opt_hits_k < 1)
    return usage_error ("figure", "--k must be at least 1");
  if (opt_out == NULL)
    return usage_error ("figure", "--out is required");
  if (!philia_figure_format_from_path (opt_out, &format))
    return usage_error ("figure", "--out must end in .png, .svg or .pdf");
  if (opt_bins < 1 || opt_bins > 1000)
    return usage_error ("figure", "--bins must be between 1 and 1000");
  if (opt_width < 0 || opt_height < 0)
    return usage_error ("figure", "--width and --height must be positive");

  graph = load_dataset (argv[1], &error);
  if (graph == NULL)
    return fail (error);
  if (opt_run != NULL && cli_project_get () == NULL)
    return usage_error ("figure", "--run picks a run saved in a project, and this is a dataset");
  if (opt_run != NULL && !is_graph && !is_runs && !is_attention)
    return usage_error ("figure", "--run is for the kinds graph, attention and "
                        "accuracy-by-homophily");

  if (is_graph)
    {
      code = figure_graph (graph);
      if (code != EXIT_OK)
        return code;
    }
  else if (is_linkpred)
    {
      if (!figure_linkpred (graph, lp_kind, &report, &lp_figure, &error))
        return proximity_fail ("figure", error);
    }
  else if (is_runs ? !figure_accuracy_by_homophily (graph, &error)
           : is_attention ? !figure_attention (graph, &error)
           : !figure_stats (graph, kind, &error))
    return fail (error);

  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_string (json, "path", opt_out);
      philia_json_member_string (json, "kind", opt_kind);
      philia_json_member_double (json, "width",
                                 opt_width > 0 ? opt_width
                                 : is_graph || is_attention || is_linkpred ? 480 : 360);
      philia_json_member_double (json, "height",
                                 opt_height > 0 ? opt_height : is_graph ? 480
                                                             : is_linkpred ? 320 : 240);
      if (is_graph && opt_node_labels)
        philia_json_member_int (json, "labels_dropped", opt_labels_dropped);
      if (is_linkpred)
        linkpred_figure_json (json, report, lp_figure);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
    }
  else
    printf ("%s\n", opt_out);
  return EXIT_OK;
}

/* ---------------------------------------------------------------- layout */

static char *opt_algorithm;
static gboolean opt_layout_force;

static GOptionEntry layout_entries[] = {
  { "algorithm", 'a', 0, G_OPTION_ARG_STRING, &opt_algorithm,
    "fr, kk, drl, multilevel, circle or class-grouped (default: fr, or multilevel on large "
    "sparse graphs)", "A" },
  { "force", 0, 0, G_OPTION_ARG_NONE, &opt_layout_force,
    "Run even when the layout needs more than 1 GiB of memory", NULL },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, "Random seed (default 0)", "S" },
  { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, "Write id,x,y to this CSV file", "POS.csv" },
  { "save", 0, 0, G_OPTION_ARG_NONE, &opt_save,
    "Project: add the layout to it (and make it current) and save it", NULL },
  { "name", 0, 0, G_OPTION_ARG_STRING, &opt_save_name,
    "With --save: the layout's name, replacing a layout of that name (default: the "
    "algorithm's id, numbered if taken: fr, fr 2, …)", "NAME" },
  { NULL }
};

static int
cmd_layout (int    argc,
            char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autofree double *xy = NULL;
  g_autoptr(GString) csv = NULL;
  g_autofree char *name = NULL;
  const char *algorithm;
  GError *error = NULL;
  gint64 start;
  double seconds;
  int code = EXIT_OK;

  if (!parse_options ("layout", "FILE", "Compute node positions with an igraph layout. "
                      "Given a project (.philia), --save adds them to it as a named layout.",
                      layout_entries, &argc, &argv, 1, &code))
    return code;
  if (opt_out == NULL && !opt_save)
    return usage_error ("layout", "--out POS.csv (or, for a project, --save) is required");
  if (opt_save_name != NULL && !opt_save)
    return usage_error ("layout", "--name names the layout --save stores");
  if (opt_save_name != NULL && *g_strstrip (opt_save_name) == '\0')
    return usage_error ("layout", "--name must not be empty");
  if (!cli_project_check_save ("layout", argv[1], &code))
    return code;

  graph = load_dataset (argv[1], &error);
  if (graph == NULL)
    return fail (error);

  algorithm = opt_algorithm ? opt_algorithm : philia_layout_default_algorithm (graph);
  if (!opt_layout_force
      && philia_layout_estimate_bytes (graph, algorithm) > PHILIA_LAYOUT_MEMORY_WARN_BYTES)
    {
      g_autofree char *size = g_format_size (philia_layout_estimate_bytes (graph, algorithm));
      g_autofree char *message = g_strdup_printf ("the %s layout of this graph needs about %s "
                                                  "of memory; pass --force to run it anyway, or "
                                                  "choose --algorithm multilevel", algorithm,
                                                  size);

      return usage_error ("layout", message);
    }
  start = g_get_monotonic_time ();
  xy = philia_layout_compute (graph, algorithm, (guint64)opt_seed, NULL, NULL, &error);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  if (xy == NULL)
    {
      if (g_error_matches (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND))
        {
          code = usage_error ("layout", error->message);
          g_error_free (error);
          return code;
        }
      return fail (error);
    }

  csv = g_string_new ("id,x,y\n");
  for (guint v = 0; v < philia_graph_get_n_nodes (graph); v++)
    {
      char x[G_ASCII_DTOSTR_BUF_SIZE], y[G_ASCII_DTOSTR_BUF_SIZE];
      const char *name = philia_graph_get_node_name (graph, v);

      g_ascii_formatd (x, sizeof x, "%.9g", xy[2 * v]);
      g_ascii_formatd (y, sizeof y, "%.9g", xy[2 * v + 1]);
      if (name != NULL && strpbrk (name, ",\"\n") == NULL)
        g_string_append_printf (csv, "%s,%s,%s\n", name, x, y);
      else
        g_string_append_printf (csv, "%u,%s,%s\n", v, x, y);
    }
  if (opt_out != NULL && !g_file_set_contents (opt_out, csv->str, csv->len, &error))
    return fail (error);
  if (opt_save)
    {
      PhiliaDocument *document = cli_project_get ();

      name = cli_project_layout_name (document, algorithm);
      philia_document_add_layout (document, name, algorithm, (guint64)opt_seed,
                                  g_steal_pointer (&xy));
      if (!cli_project_save (argv[1], &error))
        return fail (error);
    }

  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_string (json, "algorithm", algorithm);
      philia_json_member_int (json, "nodes", philia_graph_get_n_nodes (graph));
      philia_json_member_int (json, "seed", opt_seed);
      philia_json_member_double (json, "seconds", seconds);
      philia_json_key (json, "path");
      if (opt_out != NULL)
        philia_json_string (json, opt_out);
      else
        philia_json_null (json);
      if (opt_save)
        {
          philia_json_member_string (json, "project", argv[1]);
          philia_json_member_string (json, "name", name);
        }
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
    }
  else
    {
      if (opt_out != NULL)
        printf ("%s: %s layout of %u nodes in %.3f s\n", opt_out, algorithm,
                philia_graph_get_n_nodes (graph), seconds);
      if (opt_save)
        printf ("%s: saved the %s layout of %u nodes as “%s” in %.3f s\n", argv[1], algorithm,
                philia_graph_get_n_nodes (graph), name, seconds);
    }
  return EXIT_OK;
}

/* -------------------------------------------------------------- generate */

static int opt_gen_nodes = -1;
static int opt_gen_classes = -1;
static double opt_gen_degree = -1;
static double opt_gen_homophily = -1;
static int opt_gen_features = -1;
static double opt_gen_signal = -1;
static double opt_gen_het_fraction = -1;
static double opt_gen_het_homophily = -1;
static int opt_gen_splits = -1;
static char *opt_gen_proportions;
static int opt_gen_rows = -1;
static int opt_gen_cols = -1;

static GOptionEntry generate_entries[] = {
  { "nodes", 0, 0, G_OPTION_ARG_INT, &opt_gen_nodes, "Number of nodes (default 2000)", "N" },
  { "classes", 0, 0, G_OPTION_ARG_INT, &opt_gen_classes, "Number of classes (default 5)", "C" },
  { "degree", 0, 0, G_OPTION_ARG_DOUBLE, &opt_gen_degree, "Expected mean degree (default 10)",
    "D" },
  { "homophily", 0, 0, G_OPTION_ARG_DOUBLE, &opt_gen_homophily,
    "Target edge homophily in [0, 1] (default 0.5)", "H" },
  { "features", 0, 0, G_OPTION_ARG_INT, &opt_gen_features,
    "Gaussian feature dimensions (default 32)", "F" },
  { "signal", 0, 0, G_OPTION_ARG_DOUBLE, &opt_gen_signal,
    "Distance between class means, in noise units (default 1)", "S" },
  { "heterophilous-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &opt_gen_het_fraction,
    "Share of nodes in a heterophilous region (default 0)", "P" },
  { "heterophilous-homophily", 0, 0, G_OPTION_ARG_DOUBLE, &opt_gen_het_homophily,
    "Edge homophily inside that region (default 0.1)", "H" },
  { "splits", 0, 0, G_OPTION_ARG_INT, &opt_gen_splits,
    "Random 60/20/20 splits to add (default 10)", "K" },
  { "class-proportions", 0, 0, G_OPTION_ARG_STRING, &opt_gen_proportions,
    "Share of each class, e.g. 0.8,0.2 (normalised to sum 1; sets --classes; default balanced)",
    "P0,P1,…" },
  { "rows", 0, 0, G_OPTION_ARG_INT, &opt_gen_rows, "grid, mesh: rows (default 100)", "R" },
  { "cols", 0, 0, G_OPTION_ARG_INT, &opt_gen_cols, "grid, mesh: columns (default: --rows)",
    "C" },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, "Random seed (default 0)", "S" },
  { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, "Output .npz file", "FILE.npz" },
  { NULL }
};

/* grid and mesh: the graphs on which layouts are judged (meshes, roads). */
static int
generate_lattice (const char *kind)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  GError *error = NULL;
  int rows = opt_gen_rows >= 0 ? opt_gen_rows : 100;
  int cols = opt_gen_cols >= 0 ? opt_gen_cols : rows;

  if (opt_gen_rows < -1 || opt_gen_cols < -1)
    return usage_error ("generate", "--rows and --cols must not be negative");
  graph = g_str_equal (kind, "grid") ? philia_grid_generate (rows, cols, &error)
                                     : philia_mesh_generate (rows, cols, (guint64)opt_seed,
                                                             &error);
  if (graph == NULL)
    {
      fprintf (stderr, "philia-cli generate: %s\n", error->message);
      g_error_free (error);
      return EXIT_USAGE;
    }
  if (!philia_graph_write_npz (graph, opt_out, &error))
    return fail (error);
  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_string (json, "generator", kind);
      philia_json_member_int (json, "nodes", philia_graph_get_n_nodes (graph));
      philia_json_member_int (json, "edges", philia_graph_get_n_edges (graph));
      philia_json_member_string (json, "path", opt_out);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
    }
  else
    printf ("%s: %s of %u nodes, %" G_GINT64_FORMAT " edges\n", opt_out, kind,
            philia_graph_get_n_nodes (graph), philia_graph_get_n_edges (graph));
  return EXIT_OK;
}

static int
cmd_generate (int    argc,
              char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaHomophily) h = NULL;
  PhiliaCsbmParams params;
  GError *error = NULL;
  int code = EXIT_OK;

  if (!parse_options ("generate", "csbm|grid|mesh", "Generate a contextual stochastic block "
                      "model graph with a chosen edge homophily (optionally a heterophilous "
                      "region), a grid, or a road-like planar mesh.",
                      generate_entries, &argc, &argv, 1, &code))
    return code;
  if (!g_str_equal (argv[1], "csbm") && !g_str_equal (argv[1], "grid")
      && !g_str_equal (argv[1], "mesh"))
    return usage_error ("generate", "unknown generator; known generators: csbm, grid, mesh");
  if (opt_out == NULL)
    return usage_error ("generate", "--out FILE.npz is required");
  if (!g_str_equal (argv[1], "csbm"))
    return generate_lattice (argv[1]);
  if (opt_gen_nodes < -1 || opt_gen_classes < -1 || opt_gen_features < -1 || opt_gen_splits < -1)
    return usage_error ("generate", "counts must not be negative");

  philia_csbm_params_init_default (&params);
  if (opt_gen_nodes >= 0) params.n_nodes = opt_gen_nodes;
  if (opt_gen_classes >= 0) params.n_classes = opt_gen_classes;
  if (opt_gen_degree != -1) params.degree = opt_gen_degree;
  if (opt_gen_homophily != -1) params.homophily = opt_gen_homophily;
  if (opt_gen_features >= 0) params.n_features = opt_gen_features;
  if (opt_gen_signal != -1) params.signal = opt_gen_signal;
  if (opt_gen_het_fraction != -1) params.heterophilous_fraction = opt_gen_het_fraction;
  if (opt_gen_het_homophily != -1) params.heterophilous_homophily = opt_gen_het_homophily;
  if (opt_gen_splits >= 0) params.n_splits = opt_gen_splits;
  params.seed = (guint64)opt_seed;
  if (opt_gen_proportions != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (opt_gen_proportions, ",", -1);
      guint n = g_strv_length (parts);

      if (n < 1 || n > PHILIA_CSBM_MAX_CLASSES)
        return usage_error ("generate", "--class-proportions takes 1 to 64 shares");
      if (opt_gen_classes >= 0 && (guint)opt_gen_classes != n)
        return usage_error ("generate", "--class-proportions needs one share per class "
                            "(--classes)");
      params.n_classes = n;
      for (guint k = 0; k < n; k++)
        {
          char *end = NULL;

          params.class_proportions[k] = g_ascii_strtod (g_strstrip (parts[k]), &end);
          if (end == parts[k] || *end != '\0')
            return usage_error ("generate", "--class-proportions takes numbers such as 0.8,0.2");
        }
    }

  graph = philia_csbm_generate (&params, NULL, &error);
  if (graph == NULL)
    {
      fprintf (stderr, "philia-cli generate: %s\n", error->message);
      g_error_free (error);
      return EXIT_USAGE;
    }
  if (!philia_graph_write_npz (graph, opt_out, &error))
    return fail (error);
  h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 0, NULL, &error);
  if (h == NULL)
    return fail (error);

  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_string (json, "path", opt_out);
      philia_json_member_int (json, "nodes", philia_graph_get_n_nodes (graph));
      philia_json_member_int (json, "edges", philia_graph_get_n_edges (graph));
      philia_json_member_int (json, "features", philia_graph_get_n_features (graph));
      philia_json_member_int (json, "classes", philia_graph_get_n_classes (graph));
      philia_json_member_double (json, "edge_homophily", h->edge_homophily);
      philia_json_member_int (json, "seed", opt_seed);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
    }
  else
    printf ("%s: %u nodes, %" G_GINT64_FORMAT " edges, edge homophily %.4f\n", opt_out,
            philia_graph_get_n_nodes (graph), philia_graph_get_n_edges (graph),
            h->edge_homophily);
  return EXIT_OK;
}

/* ----------------------------------------------------------------- train */

static char *opt_random_split;
static int opt_num_splits = -1;   /* -1: not given */
static char *opt_splits;
static int opt_seeds = -1;

static GOptionEntry train_entries[] = {
  { "model", 'm', 0, G_OPTION_ARG_STRING, &opt_model, "Model id (listed above)", "M" },
  { "split", 0, 0, G_OPTION_ARG_INT, &opt_split, "Split index (default 0)", "K" },
  { "epochs", 0, 0, G_OPTION_ARG_INT, &opt_epochs, "Epochs (default: the model's recipe)", "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, "Random seed (default 0)", "S" },
  { "threads", 0, 0, G_OPTION_ARG_INT, &opt_threads, "Worker threads (default 1)", "T" },
  { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &opt_lr, "Learning rate", "X" },
  { "hidden", 0, 0, G_OPTION_ARG_INT, &opt_hidden, "Hidden width (per head for GAT)", "H" },
  { "dropout", 0, 0, G_OPTION_ARG_DOUBLE, &opt_dropout, "Dropout probability", "P" },
  { "weight-decay", 0, 0, G_OPTION_ARG_DOUBLE, &opt_weight_decay, "L2 weight decay", "W" },
  { "heads", 0, 0, G_OPTION_ARG_INT, &opt_heads, "GAT: attention heads", "H" },
  { "k", 0, 0, G_OPTION_ARG_INT, &opt_k, "SGC, APPNP, GPR-GNN: propagation steps; H2GCN: rounds", "K" },
  { "alpha", 0, 0, G_OPTION_ARG_DOUBLE, &opt_alpha, "APPNP, GPR-GNN: teleport probability", "A" },
  { "no-normalize", 0, 0, G_OPTION_ARG_NONE, &opt_no_normalize,
    "Keep raw features (default: each row divided by its sum)", NULL },
  { "predictions", 0, 0, G_OPTION_ARG_FILENAME, &opt_predictions,
    "Write id,label,prediction,correct,p0,p1,… at the best epoch", "OUT.csv" },
  { "attention", 0, 0, G_OPTION_ARG_FILENAME, &opt_attention,
    "GAT: write layer,head,target,source,attention (self-loops have target = source)",
    "OUT.csv" },
  { "random-split", 0, 0, G_OPTION_ARG_STRING, &opt_random_split,
    "Replace the file's splits by stratified random ones: fractions of each class to train "
    "and validate, the rest tests (e.g. 0.6,0.2); drawn from --seed", "TRAIN,VAL" },
  { "num-splits", 0, 0, G_OPTION_ARG_INT, &opt_num_splits,
    "How many random splits --random-split makes (default 1)", "K" },
  { "splits", 0, 0, G_OPTION_ARG_STRING, &opt_splits,
    "“all”: one run per split (all the file's, or the K random ones) instead of --split",
    "all" },
  { "seeds", 0, 0, G_OPTION_ARG_INT, &opt_seeds,
    "Runs per split with seeds S, S+1, …, S+N−1 (S = --seed); with --splits all or --seeds, "
    "the output is the mean ± sample standard deviation (n − 1) over the runs, and each run",
    "N" },
  { "save", 0, 0, G_OPTION_ARG_NONE, &opt_save,
    "Project: add every run (predictions and weights kept) to it and save it; with "
    "--random-split the project's splits become the random ones", NULL },
  { NULL }
};

/* The ids --save gave the runs, in run order (empty without --save). */
static GArray *saved_run_ids;

static void
json_saved_runs (PhiliaJson *json,
                 gboolean    single)
{
  if (saved_run_ids == NULL || saved_run_ids->len == 0)
    return;
  if (single)
    {
      philia_json_member_int (json, "run_id", g_array_index (saved_run_ids, guint, 0));
      return;
    }
  philia_json_key (json, "run_ids");
  philia_json_begin_array (json);
  for (guint i = 0; i < saved_run_ids->len; i++)
    philia_json_int (json, g_array_index (saved_run_ids, guint, i));
  philia_json_end_array (json);
}

static void
print_saved_runs (const char *project)
{
  if (saved_run_ids == NULL || saved_run_ids->len == 0)
    return;
  printf ("%s: saved %s", project, saved_run_ids->len == 1 ? "run" : "runs");
  for (guint i = 0; i < saved_run_ids->len; i++)
    printf ("%s%u", i == 0 ? " " : i + 1 == saved_run_ids->len ? " and " : ", ",
            g_array_index (saved_run_ids, guint, i));
  printf ("\n");
}

/* The GUI's "Export CSV" writes the same text (philia-train-run.c). */
static gboolean
write_csv (char        *text,
           const char  *path,
           GError     **error)
{
  g_autofree char *owned = text;

  return g_file_set_contents (path, owned, -1, error);
}

static void
json_nullable (PhiliaJson *json,
               const char *key,
               double      value)
{
  philia_json_key (json, key);
  if (isnan (value))
    philia_json_null (json);
  else
    philia_json_double (json, value);
}

/* "id  Name: description" lines of the registered models, for --help. */
static char *
registered_models (void)
{
  g_autoptr(GPtrArray) models = philia_registry_list (philia_registry_get_default (),
                                                      PHILIA_FAMILY_MODEL);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < models->len; i++)
    {
      const PhiliaAlgorithm *m = g_ptr_array_index (models, i);

      g_string_append_printf (text, "\n  %-8s %s: %s", m->id, m->name, m->description);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "0.6,0.2" into two fractions; the core checks their range. */
static gboolean
parse_fractions (const char *text,
                 double     *train,
                 double     *val)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  char *end = NULL;

  if (g_strv_length (parts) != 2)
    return FALSE;
  *train = g_ascii_strtod (g_strstrip (parts[0]), &end);
  if (end == parts[0] || *end != '\0')
    return FALSE;
  *val = g_ascii_strtod (g_strstrip (parts[1]), &end);
  return end != parts[1] && *end == '\0';
}

static const char *
metric_name (PhiliaMetric metric)
{
  return metric == PHILIA_METRIC_ROC_AUC ? "roc_auc" : "accuracy";
}

static const char *
best_epoch_rule_name (PhiliaBestEpochRule rule)
{
  switch (rule)
    {
    case PHILIA_BEST_BY_VAL_ROC_AUC:
      return "val_roc_auc";
    case PHILIA_BEST_BY_VAL_ACCURACY:
      return "val_accuracy";
    case PHILIA_BEST_BY_LAST_EPOCH:
    default:
      return "last_epoch";
    }
}

/* "mean ± std" members for @key over the runs' values at @offset. */
static void
json_mean_std (PhiliaJson        *json,
               const char        *key,
               GPtrArray         *runs,
               gsize              offset)
{
  g_autofree double *values = g_new (double, MAX (runs->len, 1));
  g_autofree char *mean_key = g_strconcat (key, "_mean", NULL);
  g_autofree char *std_key = g_strconcat (key, "_std", NULL);
  double mean, std;

  for (guint i = 0; i < runs->len; i++)
    values[i] = G_STRUCT_MEMBER (double, g_ptr_array_index (runs, i), offset);
  philia_mean_std (values, runs->len, &mean, &std);
  json_nullable (json, mean_key, mean);
  json_nullable (json, std_key, std);
}

static void
print_mean_std (const char *label,
                GPtrArray  *runs,
                gsize       offset)
{
  g_autofree double *values = g_new (double, MAX (runs->len, 1));
  double mean, std;
  guint k;

  for (guint i = 0; i < runs->len; i++)
    values[i] = G_STRUCT_MEMBER (double, g_ptr_array_index (runs, i), offset);
  k = philia_mean_std (values, runs->len, &mean, &std);
  if (k == 0)
    printf ("  %-22s undefined\n", label);
  else if (k == 1)
    printf ("  %-22s %.4f (one run: no spread)\n", label, mean);
  else
    printf ("  %-22s %.4f ± %.4f (n = %u)\n", label, mean, std, k);
}

static void
run_json (PhiliaJson        *json,
          PhiliaTrainResult *r)
{
  gboolean auc = r->metric == PHILIA_METRIC_ROC_AUC;

  philia_json_member_int (json, "split", r->split);
  philia_json_member_int (json, "seed", (gint64)r->seed);
  philia_json_member_int (json, "epochs", r->n_epochs);
  philia_json_member_int (json, "best_epoch", r->best_epoch);
  philia_json_member_string (json, "best_epoch_by", best_epoch_rule_name (r->best_epoch_rule));
  json_nullable (json, "train_accuracy", r->train_accuracy);
  json_nullable (json, "val_accuracy", r->val_accuracy);
  json_nullable (json, "test_accuracy", r->test_accuracy);
  if (auc)
    {
      json_nullable (json, "train_roc_auc", r->train_roc_auc);
      json_nullable (json, "val_roc_auc", r->val_roc_auc);
      json_nullable (json, "test_roc_auc", r->test_roc_auc);
    }
  philia_json_member_int (json, "majority_class", r->majority_class);
  json_nullable (json, "majority_accuracy", r->test_majority);
  json_nullable (json, "val_majority_accuracy", r->val_majority);
}

static void
summary_json (GPtrArray   *runs,
              const char  *model,
              guint        n_splits,
              guint        n_seeds)
{
  g_autoptr(PhiliaJson) json = philia_json_new ();
  PhiliaTrainResult *first = g_ptr_array_index (runs, 0);
  gboolean auc = first->metric == PHILIA_METRIC_ROC_AUC;

  philia_json_begin_object (json);
  philia_json_member_string (json, "model", model);
  philia_json_member_string (json, "metric", metric_name (first->metric));
  philia_json_member_int (json, "splits", n_splits);
  philia_json_member_int (json, "seeds", n_seeds);
  philia_json_member_int (json, "first_seed", opt_seed);
  philia_json_member_int (json, "n_runs", runs->len);
  /* The spread is the sample standard deviation (n − 1); null below two runs. */
  philia_json_member_string (json, "std", "sample");
  json_saved_runs (json, FALSE);
  json_mean_std (json, "test_accuracy", runs, G_STRUCT_OFFSET (PhiliaTrainResult, test_accuracy));
  json_mean_std (json, "val_accuracy", runs, G_STRUCT_OFFSET (PhiliaTrainResult, val_accuracy));
  if (auc)
    {
      json_mean_std (json, "test_roc_auc", runs,
                     G_STRUCT_OFFSET (PhiliaTrainResult, test_roc_auc));
      json_mean_std (json, "val_roc_auc", runs, G_STRUCT_OFFSET (PhiliaTrainResult, val_roc_auc));
    }
  json_mean_std (json, "majority_accuracy", runs,
                 G_STRUCT_OFFSET (PhiliaTrainResult, test_majority));
  philia_json_key (json, "runs");
  philia_json_begin_array (json);
  for (guint i = 0; i < runs->len; i++)
    {
      PhiliaTrainResult *r = g_ptr_array_index (runs, i);

      philia_json_begin_object (json);
      run_json (json, r);
      philia_json_member_double (json, "seconds", r->seconds);
      philia_json_end_object (json);
    }
  philia_json_end_array (json);
  philia_json_end_object (json);
  print_json (g_steal_pointer (&json));
}

static void
summary_text (GPtrArray  *runs,
              const char *model,
              guint       n_splits,
              guint       n_seeds)
{
  PhiliaTrainResult *first = g_ptr_array_index (runs, 0);
  gboolean auc = first->metric == PHILIA_METRIC_ROC_AUC;

  for (guint i = 0; i < runs->len; i++)
    {
      PhiliaTrainResult *r = g_ptr_array_index (runs, i);

      printf ("split %u seed %" G_GUINT64_FORMAT ": best epoch %u, test accuracy %.4f",
              r->split, r->seed, r->best_epoch, r->test_accuracy);
      if (auc)
        printf (", test ROC-AUC %.4f", r->test_roc_auc);
      printf (" (majority %.4f)\n", r->test_majority);
    }
  printf ("%s over %u %s × %u %s (%u runs), mean ± sample standard deviation:\n", model,
          n_splits, n_splits == 1 ? "split" : "splits", n_seeds, n_seeds == 1 ? "seed" : "seeds",
          runs->len);
  print_mean_std ("test accuracy", runs, G_STRUCT_OFFSET (PhiliaTrainResult, test_accuracy));
  print_mean_std ("majority accuracy", runs, G_STRUCT_OFFSET (PhiliaTrainResult, test_majority));
  if (auc)
    print_mean_std ("test ROC-AUC", runs, G_STRUCT_OFFSET (PhiliaTrainResult, test_roc_auc));
}

static void
single_json (PhiliaTrainResult *r)
{
  g_autoptr(PhiliaJson) json = philia_json_new ();

  philia_json_begin_object (json);
  philia_json_member_string (json, "model", r->model);
  philia_json_member_string (json, "metric", metric_name (r->metric));
  philia_json_member_int (json, "threads", r->n_threads);
  json_saved_runs (json, TRUE);
  run_json (json, r);
  philia_json_member_double (json, "final_loss", r->loss[r->n_epochs - 1]);
  philia_json_member_double (json, "epoch_ms_median", r->epoch_ms_median);
  philia_json_member_double (json, "seconds", r->seconds);
  philia_json_member_double (json, "lr", r->params.lr);
  philia_json_member_double (json, "weight_decay", r->params.weight_decay);
  philia_json_member_double (json, "dropout", r->params.dropout);
  philia_json_member_int (json, "hidden", r->params.hidden);
  philia_json_member_bool (json, "identity_features", r->identity_features);
  philia_json_member_bool (json, "sparse_features", r->sparse_features);
  philia_json_key (json, "accuracy_by_local_homophily");
  philia_json_begin_array (json);
  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    {
      philia_json_begin_object (json);
      philia_json_member_double (json, "low", (double)b / PHILIA_TRAIN_HOMOPHILY_BINS);
      philia_json_member_double (json, "high", (b + 1.0) / PHILIA_TRAIN_HOMOPHILY_BINS);
      philia_json_member_int (json, "count", r->bin_count[b]);
      json_nullable (json, "accuracy", r->bin_accuracy[b]);
      philia_json_end_object (json);
    }
  philia_json_end_array (json);
  philia_json_end_object (json);
  print_json (g_steal_pointer (&json));
}

static void
single_text (PhiliaTrainResult *r)
{
  printf ("%s on split %u (seed %" G_GUINT64_FORMAT ", %u epochs): best epoch %u, "
          "accuracy train %.4f, val %.4f, test %.4f; %.3f ms/epoch, %.2f s\n",
          r->model, r->split, r->seed, r->n_epochs, r->best_epoch, r->train_accuracy,
          r->val_accuracy, r->test_accuracy, r->epoch_ms_median, r->seconds);
  printf ("majority class %d (most frequent in training): accuracy val %.4f, test %.4f\n",
          r->majority_class, r->val_majority, r->test_majority);
  if (r->metric == PHILIA_METRIC_ROC_AUC)
    printf ("ROC-AUC (the metric of two-class data; best epoch by %s): train %.4f, val %.4f, "
            "test %.4f\n", r->best_epoch_rule == PHILIA_BEST_BY_VAL_ROC_AUC
                           ? "validation ROC-AUC" : "validation accuracy",
            r->train_roc_auc, r->val_roc_auc, r->test_roc_auc);
  printf ("test accuracy by local homophily:");
  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    printf (" [%.1f,%.1f%s %.3f (%" G_GINT64_FORMAT ")", (double)b / 5, (b + 1.0) / 5,
            b == 4 ? "]" : ")", r->bin_accuracy[b], r->bin_count[b]);
  printf ("\n");
}

static int
cmd_train (int    argc,
           char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (
    (GDestroyNotify)philia_train_result_free);
  PhiliaTrainParams params;
  GError *error = NULL;
  int code = EXIT_OK;
  double train_fraction = 0, val_fraction = 0;
  gboolean many, split_given;
  guint first_split, n_splits, n_seeds;
  g_autofree char *models = registered_models ();
  g_autofree char *summary = g_strdup_printf ("Train a node-classification model (full batch)."
                                              " Two-class datasets are scored by the ROC-AUC "
                                              "of P(class 1), and the kept epoch has the best "
                                              "validation ROC-AUC; every accuracy comes with "
                                              "the majority-class baseline: the share of the "
                                              "most frequent training class. Given a project "
                                              "(.philia), it trains on the project's splits, "
                                              "and --save keeps the runs in it."
                                              "\n\nModels (--model):%s", models);

  opt_split = G_MININT;   /* tells --split K from its default */
  if (!parse_options ("train", "FILE", summary, train_entries, &argc, &argv, 1, &code))
    return code;
  split_given = opt_split != G_MININT;
  if (!split_given)
    opt_split = 0;
  if (opt_model == NULL)
    return usage_error ("train", "--model M is required");
  if (opt_split < 0 || opt_threads < 1 || opt_threads > 64)
    return usage_error ("train", "--split must be ≥ 0 and --threads between 1 and 64");
  if (opt_dropout >= 1)
    return usage_error ("train", "--dropout must be below 1");
  if (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MODEL,
                              opt_model) == NULL)
    {
      g_autofree char *known = registry_ids (PHILIA_FAMILY_MODEL);
      g_autofree char *message = g_strdup_printf ("unknown --model “%s” (registered: %s)",
                                                  opt_model, known);

      return usage_error ("train", message);
    }
  if (opt_splits != NULL && !g_str_equal (opt_splits, "all"))
    return usage_error ("train", "--splits takes “all” (use --split K for one split)");
  if (opt_splits != NULL && split_given)
    return usage_error ("train", "give --split K or --splits all, not both");
  if (opt_seeds != -1 && (opt_seeds < 1 || opt_seeds > 1000))
    return usage_error ("train", "--seeds must be between 1 and 1000");
  if (opt_num_splits != -1 && opt_random_split == NULL)
    return usage_error ("train", "--num-splits needs --random-split TRAIN,VAL");
  if (opt_num_splits != -1 && (opt_num_splits < 1 || opt_num_splits > PHILIA_MAX_RANDOM_SPLITS))
    return usage_error ("train", "--num-splits must be between 1 and 1000");
  if (opt_random_split != NULL && !parse_fractions (opt_random_split, &train_fraction,
                                                    &val_fraction))
    {
      g_autofree char *message = g_strdup_printf ("--random-split takes two fractions "
                                                  "TRAIN,VAL such as 0.6,0.2, not “%s”",
                                                  opt_random_split);

      return usage_error ("train", message);
    }
  many = opt_splits != NULL || opt_seeds != -1;
  if (many && (opt_predictions != NULL || opt_attention != NULL))
    return usage_error ("train", "--predictions and --attention write one run: leave out "
                        "--splits all and --seeds");
  if (!cli_project_check_save ("train", argv[1], &code))
    return code;

  graph = load_dataset (argv[1], &error);
  if (graph == NULL)
    return fail (error);
  if (opt_random_split != NULL)
    {
      PhiliaGraph *split_graph;

      split_graph = philia_graph_with_random_splits (graph, train_fraction, val_fraction,
                                                     opt_num_splits > 0 ? opt_num_splits : 1,
                                                     (guint64)opt_seed, FALSE, &error);
      if (split_graph == NULL)
        {
          g_autofree char *message = NULL;

          if (!g_error_matches (error, PHILIA_ERROR, PHILIA_ERROR_OPTION))
            return fail (error);
          /* "--random-split 0.8,0.3: The training and validation fractions must …" */
          message = g_strdup_printf ("--random-split %s: %s", opt_random_split, error->message);
          g_error_free (error);
          return usage_error ("train", message);
        }
      g_object_unref (graph);
      graph = split_graph;
    }

  philia_train_params_init (&params);
  params.epochs = opt_epochs;
  params.lr = opt_lr;
  params.hidden = opt_hidden;
  params.dropout = opt_dropout;
  params.weight_decay = opt_weight_decay;
  params.heads = opt_heads;
  params.k = opt_k;
  params.alpha = opt_alpha;
  params.normalize_features = !opt_no_normalize;

  first_split = opt_splits != NULL ? 0 : (guint)opt_split;
  n_splits = opt_splits != NULL ? philia_graph_get_n_splits (graph) : 1;
  n_seeds = opt_seeds > 0 ? (guint)opt_seeds : 1;
  if (n_splits == 0)
    n_splits = 1;   /* philia_train() says why a graph without splits cannot train */
  for (guint s = 0; s < n_splits; s++)
    for (guint k = 0; k < n_seeds; k++)
      {
        PhiliaTrainResult *r;

        r = philia_train (graph, opt_model, &params, first_split + s, (guint64)opt_seed + k,
                          (guint)opt_threads, NULL, NULL, NULL, NULL, &error);
        if (r == NULL)
          return fail (error);
        g_ptr_array_add (runs, r);
      }

  if (opt_save)
    {
      PhiliaDocument *document = cli_project_get ();

      /* The runs name their split by index: the project gets the splits
       * they were trained on. */
      if (opt_random_split != NULL)
        cli_project_set_splits (graph);
      saved_run_ids = g_array_new (FALSE, FALSE, sizeof (guint));
      /* The project takes the runs; they stay readable for the output. */
      g_ptr_array_set_free_func (runs, NULL);
      for (guint i = 0; i < runs->len; i++)
        {
          guint id = philia_document_add_run (document, runs->pdata[i]);

          g_array_append_val (saved_run_ids, id);
        }
      if (!cli_project_save (argv[1], &error))
        return fail (error);
    }

  if (many)
    {
      if (opt_json)
        summary_json (runs, opt_model, n_splits, n_seeds);
      else
        {
          summary_text (runs, opt_model, n_splits, n_seeds);
          print_saved_runs (argv[1]);
        }
      return EXIT_OK;
    }

  if (opt_predictions != NULL
      && !write_csv (philia_train_result_predictions_csv (runs->pdata[0], graph), opt_predictions,
                     &error))
    return fail (error);
  if (opt_attention != NULL
      && !write_csv (philia_train_result_attention_csv (runs->pdata[0], graph), opt_attention,
                     &error))
    return fail (error);
  if (opt_json)
    single_json (runs->pdata[0]);
  else
    {
      single_text (runs->pdata[0]);
      print_saved_runs (argv[1]);
    }
  return EXIT_OK;
}

/* ------------------------------------------------------------- proximity */

static char *opt_pairs;
static char *opt_heuristic;
static double opt_katz_beta = NAN;   /* NaN: not given */
static char *opt_katz_len;
static double opt_ppr_alpha = NAN;
static int opt_prox_threads = 0;
static int opt_mrr_negatives = 100;

#define PROXIMITY_PARAM_ENTRIES \
  { "katz-beta", 0, 0, G_OPTION_ARG_DOUBLE, &opt_katz_beta, "Katz β (default 0.005)", "B" }, \
  { "katz-len", 0, 0, G_OPTION_ARG_STRING, &opt_katz_len, \
    "Katz path length L (default 3), or “exact” for the whole series", "L|exact" }, \
  { "ppr-alpha", 0, 0, G_OPTION_ARG_DOUBLE, &opt_ppr_alpha, \
    "Personalized PageRank restart probability (default 0.15)", "A" }, \
  { "threads", 0, 0, G_OPTION_ARG_INT, &opt_prox_threads, \
    "Worker threads (default: one per processor)", "T" }

static GOptionEntry proximity_entries[] = {
  { "pairs", 0, 0, G_OPTION_ARG_FILENAME, &opt_pairs,
    "CSV file with a header u,v and one pair per row (node ids or names)", "P.csv" },
  { "heuristics", 0, 0, G_OPTION_ARG_STRING, &opt_heuristics,
    "Comma-separated subset of cn,jaccard,aa,ra,pa,katz,ppr,sp,fp and plugin heuristics "
    "such as lpi (default: the built-ins)", "LIST" },
  { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, "Write the CSV here, not on stdout",
    "F.csv" },
  PROXIMITY_PARAM_ENTRIES,
  { NULL }
};

static GOptionEntry linkpred_entries[] = {
  { "heuristic", 0, 0, G_OPTION_ARG_STRING, &opt_heuristic,
    "One of cn, jaccard, aa, ra, pa, katz, ppr, sp, fp", "H" },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, "Seed of the edge split (default 0)", "S" },
  { "mrr-negatives", 0, 0, G_OPTION_ARG_INT, &opt_mrr_negatives,
    "Negatives per test edge for MRR (default 100)", "N" },
  { "save", 0, 0, G_OPTION_ARG_NONE, &opt_save,
    "Project: add the evaluation to it and save it (built-in heuristics)", NULL },
  PROXIMITY_PARAM_ENTRIES,
  { NULL }
};

/* Fills @params from --katz-beta, --katz-len, --ppr-alpha and --threads. */
static gboolean
proximity_params_from_options (const char            *command,
                               PhiliaProximityParams *params,
                               int                   *code)
{
  philia_proximity_params_init_default (params);
  if (!isnan (opt_katz_beta))
    params->katz_beta = opt_katz_beta;
  if (!isnan (opt_ppr_alpha))
    params->ppr_alpha = opt_ppr_alpha;
  if (opt_prox_threads < 0)
    {
      *code = usage_error (command, "--threads must not be negative");
      return FALSE;
    }
  params->n_threads = (guint)opt_prox_threads;
  if (opt_katz_len != NULL)
    {
      guint64 len;

      if (g_ascii_strcasecmp (opt_katz_len, "exact") == 0)
        params->katz_len = 0;
      else if (g_ascii_string_to_unsigned (opt_katz_len, 10, 1, 64, &len, NULL))
        params->katz_len = (guint)len;
      else
        {
          *code = usage_error (command, "--katz-len must be a length from 1 to 64 or “exact”");
          return FALSE;
        }
    }
  if (!(params->katz_beta > 0 && isfinite (params->katz_beta)))
    {
      *code = usage_error (command, "--katz-beta must be a positive number");
      return FALSE;
    }
  if (!(params->ppr_alpha > 0 && params->ppr_alpha <= 1))
    {
      *code = usage_error (command, "--ppr-alpha must be in (0, 1]");
      return FALSE;
    }
  return TRUE;
}

/* An option-shaped error from the core (exact Katz with β ≥ 1/λ_max) is a
 * usage error; anything else a failure. */
static int
proximity_fail (const char *command,
                GError     *error)
{
  if (g_error_matches (error, PHILIA_ERROR, PHILIA_ERROR_OPTION))
    {
      int code = usage_error (command, error->message);

      g_error_free (error);
      return code;
    }
  return fail (error);
}

/* Reads P.csv: a header u,v, then one pair per row; blank lines skipped.
 * Keeps the fields as written for the output. */
static gboolean
read_pairs (PhiliaGraph  *graph,
            const char   *path,
            GArray       *pairs,
            GPtrArray    *fields,
            GError      **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean header = FALSE;

  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = NULL;
      char *line = g_strstrip (lines[i]);

      if (*line == '\0')
        continue;
      cols = g_strsplit (line, ",", -1);
      if (g_strv_length (cols) != 2)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                       "%s, line %u: expected two fields u,v.", path, i + 1);
          return FALSE;
        }
      g_strstrip (cols[0]);
      g_strstrip (cols[1]);
      if (!header)
        {
          if (!g_str_equal (cols[0], "u") || !g_str_equal (cols[1], "v"))
            {
              g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                           "%s: the first line must be the header u,v.", path);
              return FALSE;
            }
          header = TRUE;
          continue;
        }
      for (guint k = 0; k < 2; k++)
        {
          gint64 node = philia_graph_find_node (graph, cols[k]);

          if (node < 0)
            {
              g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                           "%s, line %u: unknown node “%s”.", path, i + 1, cols[k]);
              return FALSE;
            }
          g_array_append_val (pairs, node);
          g_ptr_array_add (fields, g_strdup (cols[k]));
        }
    }
  if (!header)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   "%s: the first line must be the header u,v.", path);
      return FALSE;
    }
  return TRUE;
}

/* Splits --heuristics into the built-in heuristics (a mask) and the proximity
 * algorithms plugins registered (@extra, in the order given). */
static gboolean
split_heuristics (const char  *list,
                  guint       *mask,
                  GPtrArray   *extra,
                  GError     **error)
{
  g_auto(GStrv) names = g_strsplit (list, ",", -1);

  *mask = 0;
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      const PhiliaAlgorithm *algorithm;
      PhiliaProximityHeuristic h;

      if (philia_proximity_heuristic_from_string (name, &h))
        *mask |= PHILIA_PROXIMITY_MASK (h);
      else if ((algorithm = philia_registry_lookup (philia_registry_get_default (),
                                                    PHILIA_FAMILY_PROXIMITY, name)) != NULL)
        {
          if (!g_ptr_array_find (extra, algorithm, NULL))
            g_ptr_array_add (extra, (gpointer)algorithm);
        }
      else
        {
          g_autofree char *known = registry_ids (PHILIA_FAMILY_PROXIMITY);

          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                       "Unknown heuristic “%s”; known heuristics: %s.", name, known);
          return FALSE;
        }
    }
  if (*mask == 0 && extra->len == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION, "--heuristics names no heuristic.");
      return FALSE;
    }
  return TRUE;
}

static int
cmd_proximity (int    argc,
               char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *scores = NULL;
  g_autoptr(GString) csv = NULL;
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  PhiliaProximityParams params;
  GError *error = NULL;
  guint mask = PHILIA_PROXIMITY_ALL, n_cols, n_builtin;
  gsize n_pairs;
  int code = EXIT_OK;

  if (!parse_options ("proximity", "FILE --pairs P.csv",
                      "Score node pairs with the link-prediction heuristics of design §6.",
                      proximity_entries, &argc, &argv, 1, &code))
    return code;
  if (opt_pairs == NULL)
    return usage_error ("proximity", "--pairs P.csv is required");
  if (opt_heuristics != NULL && !split_heuristics (opt_heuristics, &mask, extra, &error))
    return proximity_fail ("proximity", error);
  if (!proximity_params_from_options ("proximity", &params, &code))
    return code;

  graph = load_dataset (argv[1], &error);
  if (graph == NULL)
    return fail (error);
  if (!read_pairs (graph, opt_pairs, pairs, fields, &error))
    return fail (error);

  n_pairs = pairs->len / 2;
  n_builtin = philia_proximity_mask_count (mask);
  n_cols = n_builtin + extra->len;
  scores = g_new (double, MAX (n_pairs * n_cols, 1));
  if (mask != 0 && !philia_proximity_score_pairs (graph, &params, (const gint64 *)pairs->data,
                                                  n_pairs, mask, scores, NULL, &error))
    return proximity_fail ("proximity", error);
  if (extra->len > 0)
    {
      /* Built-ins fill row-major n_builtin columns; spread them to n_cols. */
      g_autofree double *column = g_new (double, MAX (n_pairs, 1));

      for (gsize i = n_pairs; i-- > 0;)
        for (guint c = n_builtin; c-- > 0;)
          scores[i * n_cols + c] = scores[i * n_builtin + c];
      for (guint k = 0; k < extra->len; k++)
        {
          if (!philia_proximity_compute (extra->pdata[k], graph, &params,
                                         (const gint64 *)pairs->data, n_pairs, column, NULL,
                                         &error))
            return proximity_fail ("proximity", error);
          for (gsize i = 0; i < n_pairs; i++)
            scores[i * n_cols + n_builtin + k] = column[i];
        }
    }

  if (opt_json && opt_out == NULL)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_int (json, "pairs", (gint64)n_pairs);
      philia_json_key (json, "rows");
      philia_json_begin_array (json);
      for (gsize i = 0; i < n_pairs; i++)
        {
          guint c = 0;

          philia_json_begin_object (json);
          philia_json_member_string (json, "u", g_ptr_array_index (fields, 2 * i));
          philia_json_member_string (json, "v", g_ptr_array_index (fields, 2 * i + 1));
          for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
            if (mask & PHILIA_PROXIMITY_MASK (h))
              philia_json_member_double (json, philia_proximity_heuristic_to_string (h),
                                         scores[i * n_cols + c++]);
          for (guint k = 0; k < extra->len; k++)
            philia_json_member_double (json, ((const PhiliaAlgorithm *)extra->pdata[k])->id,
                                       scores[i * n_cols + c++]);
          philia_json_end_object (json);
        }
      philia_json_end_array (json);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
      return EXIT_OK;
    }

  csv = g_string_new ("u,v");
  for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    if (mask & PHILIA_PROXIMITY_MASK (h))
      g_string_append_printf (csv, ",%s", philia_proximity_heuristic_to_string (h));
  for (guint k = 0; k < extra->len; k++)
    g_string_append_printf (csv, ",%s", ((const PhiliaAlgorithm *)extra->pdata[k])->id);
  g_string_append_c (csv, '\n');
  for (gsize i = 0; i < n_pairs; i++)
    {
      g_string_append_printf (csv, "%s,%s", (char *)g_ptr_array_index (fields, 2 * i),
                              (char *)g_ptr_array_index (fields, 2 * i + 1));
      for (guint c = 0; c < n_cols; c++)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append_printf (csv, ",%s",
                                  g_ascii_formatd (buf, sizeof buf, "%.17g",
                                                   scores[i * n_cols + c]));
        }
      g_string_append_c (csv, '\n');
    }

  if (opt_out == NULL)
    {
      fwrite (csv->str, 1, csv->len, stdout);
      return EXIT_OK;
    }
  if (!g_file_set_contents (opt_out, csv->str, csv->len, &error))
    return fail (error);
  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_string (json, "path", opt_out);
      philia_json_member_int (json, "pairs", (gint64)n_pairs);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
    }
  return EXIT_OK;
}

/* -------------------------------------------------------------- linkpred */

static int
cmd_linkpred (int    argc,
              char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaLinkSplit) own_split = NULL;
  g_autoptr(PhiliaLinkpredResult) own_result = NULL;
  g_autoptr(PhiliaLinkpredReport) report = NULL;
  PhiliaLinkSplit *split;
  PhiliaLinkpredResult *result;
  guint evaluation_id = 0;
  const PhiliaAlgorithm *algorithm = NULL;
  PhiliaProximityParams params;
  PhiliaProximityHeuristic heuristic = PHILIA_PROXIMITY_N_HEURISTICS;
  GError *error = NULL;
  gint64 start;
  double seconds;
  int code = EXIT_OK;

  if (!parse_options ("linkpred", "FILE --heuristic H",
                      "Evaluate a heuristic on a seeded 85/5/10 edge split with the OGB rules "
                      "(Hits@K, MRR, ROC-AUC). Given a project (.philia), --save keeps the "
                      "evaluation in it.", linkpred_entries, &argc, &argv, 1, &code))
    return code;
  if (opt_heuristic == NULL)
    return usage_error ("linkpred", "--heuristic H is required");
  if (!philia_proximity_heuristic_from_string (opt_heuristic, &heuristic))
    {
      /* A heuristic a plugin registered is evaluated the same way. */
      algorithm = philia_registry_lookup (philia_registry_get_default (),
                                          PHILIA_FAMILY_PROXIMITY, opt_heuristic);
      if (algorithm == NULL)
        {
          g_autofree char *known = registry_ids (PHILIA_FAMILY_PROXIMITY);
          g_autofree char *message = g_strdup_printf ("unknown heuristic; known heuristics: %s",
                                                      known);

          return usage_error ("linkpred", message);
        }
    }
  if (opt_mrr_negatives < 0)
    return usage_error ("linkpred", "--mrr-negatives must not be negative");
  if (!proximity_params_from_options ("linkpred", &params, &code))
    return code;
  if (!cli_project_check_save ("linkpred", argv[1], &code))
    return code;
  /* A project keeps evaluations as a recipe it can replay: built-ins only. */
  if (opt_save && algorithm != NULL)
    return usage_error ("linkpred", "--save keeps evaluations of the built-in heuristics; "
                        "this one comes from a plugin");

  graph = load_dataset (argv[1], &error);
  if (graph == NULL)
    return fail (error);
  start = g_get_monotonic_time ();
  if (opt_save)
    {
      /* The report splits the graph the same way (85/5/10, this seed). */
      report = philia_linkpred_report_new (graph, &params, PHILIA_PROXIMITY_MASK (heuristic),
                                           (guint64)opt_seed, (guint)opt_mrr_negatives, NULL,
                                           NULL, &error);
      if (report == NULL)
        return proximity_fail ("linkpred", error);
      if (report->n_results == 0)
        {
          g_set_error (&error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                       "%s has no node features, so heuristic %s cannot score it.", argv[1],
                       opt_heuristic);
          return fail (error);
        }
      split = report->split;
      result = report->results[0];
    }
  else
    {
      own_split = philia_link_split_new (graph, 0.05, 0.10, (guint)opt_mrr_negatives,
                                         (guint64)opt_seed, &error);
      if (own_split == NULL)
        return fail (error);
      split = own_split;
      own_result = algorithm != NULL
                   ? philia_linkpred_evaluate_algorithm (split, &params, algorithm, NULL, &error)
                   : philia_linkpred_evaluate (split, &params, heuristic, NULL, &error);
      if (own_result == NULL)
        return proximity_fail ("linkpred", error);
      result = own_result;
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  if (opt_save)
    {
      PhiliaDocument *document = cli_project_get ();
      /* The project takes the report; what is printed stays in it. */
      PhiliaLinkpredReport *kept = g_steal_pointer (&report);

      evaluation_id = philia_document_add_evaluation (document, &params, (guint64)opt_seed,
                                                      (guint)opt_mrr_negatives, kept);
      if (!cli_project_save (argv[1], &error))
        return fail (error);
    }

  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_string (json, "heuristic", result->name);
      for (guint k = 0; k < G_N_ELEMENTS (philia_linkpred_hits_ks); k++)
        {
          g_autofree char *key = g_strdup_printf ("hits@%u", philia_linkpred_hits_ks[k]);

          philia_json_member_double (json, key, result->hits[k]);
        }
      philia_json_member_double (json, "mrr", result->mrr);
      philia_json_member_double (json, "auc", result->auc);
      philia_json_member_int (json, "seed", opt_seed);
      philia_json_member_int (json, "train_edges", split->n_train);
      philia_json_member_int (json, "valid_edges", split->n_valid);
      philia_json_member_int (json, "test_edges", split->n_test);
      philia_json_member_int (json, "test_negatives", split->n_test);
      philia_json_member_int (json, "mrr_negatives", split->n_mrr_neg);
      philia_json_member_double (json, "seconds", seconds);
      if (opt_save)
        philia_json_member_int (json, "evaluation_id", evaluation_id);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
      return EXIT_OK;
    }

  printf ("%s on %s: split %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
          " edges (seed %" G_GINT64_FORMAT ")\n", result->name, argv[1], split->n_train, split->n_valid, split->n_test, opt_seed);
  for (guint k = 0; k < G_N_ELEMENTS (philia_linkpred_hits_ks); k++)
    printf ("hits@%-4u %.4f\n", philia_linkpred_hits_ks[k], result->hits[k]);
  printf ("mrr      %.4f  (%u negatives per test edge)\n", result->mrr, split->n_mrr_neg);
  printf ("auc      %.4f\n", result->auc);
  if (opt_save)
    printf ("%s: saved evaluation %u\n", argv[1], evaluation_id);
  return EXIT_OK;
}

/* --------------------------------------------------------------- plugins */

static void
json_strv (PhiliaJson         *json,
           const char         *key,
           const char * const *strv)
{
  philia_json_key (json, key);
  philia_json_begin_array (json);
  for (guint i = 0; strv[i] != NULL; i++)
    philia_json_string (json, strv[i]);
  philia_json_end_array (json);
}

static int
cmd_plugins (int    argc,
             char **argv)
{
  GPtrArray *infos;
  int code = EXIT_OK;

  if (!parse_options ("plugins", "", "The plugins found on the plugin path ($PHILIA_PLUGIN_PATH, "
                      "the user data dir, the installed plugin dir or, run from a build tree, its "
                      "plugins/), whether each was loaded, "
                      "refused (and why) or disabled, and the algorithms it added.",
                      NULL, &argc, &argv, 0, &code))
    return code;

  infos = philia_plugins_load_default ();
  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_key (json, "plugins");
      philia_json_begin_array (json);
      for (guint i = 0; i < infos->len; i++)
        {
          const PhiliaPluginInfo *info = infos->pdata[i];

          philia_json_begin_object (json);
          philia_json_member_string (json, "id", info->id);
          philia_json_member_string (json, "name", info->name);
          philia_json_member_string (json, "version", info->version);
          philia_json_member_string (json, "file", info->file);
          philia_json_key (json, "module");
          if (info->module_file != NULL)
            philia_json_string (json, info->module_file);
          else
            philia_json_null (json);
          philia_json_key (json, "abi");
          if (info->abi >= 0)
            philia_json_int (json, info->abi);
          else
            philia_json_null (json);
          philia_json_member_string (json, "status", philia_plugin_status_to_string (info->status));
          philia_json_key (json, "reason");
          if (info->reason != NULL)
            philia_json_string (json, info->reason);
          else
            philia_json_null (json);
          /* HACKING.md §9 names one "family"; a plugin may register several. */
          philia_json_member_string (json, "family", info->families[0] ? info->families[0] : "");
          json_strv (json, "families", (const char * const *)info->families);
          json_strv (json, "algorithms", (const char * const *)info->algorithms);
          philia_json_end_object (json);
        }
      philia_json_end_array (json);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
      return EXIT_OK;
    }

  if (infos->len == 0)
    printf ("No plugins found.\n");
  for (guint i = 0; i < infos->len; i++)
    {
      const PhiliaPluginInfo *info = infos->pdata[i];
      g_autofree char *algorithms = g_strjoinv (", ", info->algorithms);
      g_autofree char *families = g_strjoinv (", ", info->families);

      printf ("%s %s (%s): %s\n", info->id, info->version,
              philia_plugin_status_to_string (info->status), info->file);
      if (info->status == PHILIA_PLUGIN_LOADED)
        printf ("  %s: %s\n", families, algorithms);
      else
        printf ("  %s\n", info->reason);
    }
  return EXIT_OK;
}

/* ------------------------------------------------------------------ main */

static const Command commands[] = {
  { "info", "FILE", "sizes of a dataset and its sanity report", cmd_info },
  { "stats", "FILE", "homophily and heterophily measures", cmd_stats },
  { "layout", "FILE --out POS.csv", "node positions (FR, KK, DrL, … or a plugin's layout)", cmd_layout },
  { "figure", "FILE --kind K --out F", "render a figure to PNG, SVG or PDF", cmd_figure },
  { "generate", "csbm --out F.npz", "generate a synthetic graph (CSBM)", cmd_generate },
  { "proximity", "FILE --pairs P.csv", "link-prediction heuristics for node pairs",
    cmd_proximity },
  { "linkpred", "FILE --heuristic H", "evaluate a heuristic with the OGB metrics", cmd_linkpred },
  { "train", "FILE --model M", "train a node classifier (MLP, GCN, SAGE, GAT, H2GCN, …)",
    cmd_train },
  { "plugins", "", "plugins found, loaded, refused or disabled", cmd_plugins },
  { "project", "new OUT.philia FILE", "create a project (.philia) around a dataset",
    cmd_project },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "Usage: philia-cli COMMAND FILE [OPTIONS]\n\n"
                "Philia %s, the headless twin of the workbench.\n\nCommands:\n",
           PACKAGE_VERSION);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-9s %-24s %s\n", commands[i].name, commands[i].args, commands[i].summary);
  fprintf (out, "\nEvery command takes --json and --help. Datasets: .npz, GraphML, GML, Pajek,\n"
                "edge lists (with --nodes TABLE.csv for labels and features). A project\n"
                "(.philia) goes wherever a dataset goes; layout, train and linkpred --save\n"
                "add their results to it.\n");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  philia_core_init ();
  /* Plugin algorithms then look exactly like built-ins to every command. */
  philia_plugins_load_default ();

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      printf ("philia-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      {
        /* GOption would take the program name from argv[0], which is now
         * the command: "train [OPTION…] train FILE". */
        static char prgname[64];

        g_snprintf (prgname, sizeof prgname, "philia-cli %s", commands[i].name);
        g_set_prgname (prgname);
        return commands[i].run (argc - 1, argv + 1);
      }

  fprintf (stderr, "philia-cli: unknown command “%s” (see “philia-cli --help”)\n", argv[1]);
  return EXIT_USAGE;
}
