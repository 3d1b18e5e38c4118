/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "philia-cli-mpi.h"
#include "philia-cli-private.h"

/* What every command shares: --json and --nodes, option parsing, loading a dataset
 * or a project, printing JSON and failing with one line on stderr. */

gboolean opt_json;
char *opt_nodes;
char *opt_features;

/* What --features put in place of the dataset's features (NULL: the dataset's own),
 * and the loaded graph's source and feature columns, for cli_json_features(). */
static PhiliaFeatureSet *features_used;
/* features_used is a copy of the project's set of that name. */
static gboolean features_from_project;
static char *loaded_source;
static guint loaded_columns;
/* The command parse_options() read: stats, proximity and linkpred use a
 * project's choice of features for its measures when --features is not given. */
static const char *features_command;

/* stats, train, proximity and linkpred: a feature matrix to use instead. */
static GOptionEntry features_entries[] = {
  { "features", 0, 0, G_OPTION_ARG_FILENAME, &opt_features,
    N_ ("Use the features in FILE (.npy, .npz with one 2-D array or FILE.npz:MEMBER, or .csv "
        "of comma-separated numbers; one row per node) instead of the dataset's, derived ones: ahat:K (Â^K X), "
        "degree[:MAX] (one-hot degree), random:DIM[:SEED], or a project's feature set by NAME "
        "(stats, proximity and linkpred on a project default to the set it chose for its measures)"),
    "FILE|SPEC|NAME" },
  { NULL }
};

static GOptionEntry json_entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_ ("Machine-readable JSON on stdout"), NULL },
  { NULL }
};

/* For the commands that read a dataset. */
static GOptionEntry dataset_entries[] = {
  { "nodes", 0, 0, G_OPTION_ARG_FILENAME, &opt_nodes,
    N_ ("CSV node table (id,label,f0,…) for an edge-list, GraphML or GML file"), "TABLE.csv" },
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
char *
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
  /* Translators: "philia-cli train: MESSAGE (see “philia-cli train --help”)" */
  fprintf (stderr, _ ("philia-cli %s: %s (see “philia-cli %s --help”)\n"), command, message,
           command);
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
  /* The summaries and option descriptions are marked N_(): GOption looks them
   * up in Philia's catalogue when it prints --help. */
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _ (summary));
  /* Under mpirun, what is shared and what every process still reads. */
  if (cli_mpi_help (command) != NULL)
    g_option_context_set_description (context, cli_mpi_help (command));
  g_option_context_add_main_entries (context, json_entries, NULL);
  if (g_strcmp0 (command, "generate") != 0)
    g_option_context_add_main_entries (context, dataset_entries, NULL);
  if (g_strcmp0 (command, "generate") != 0 && g_strcmp0 (command, "project") != 0
      && g_strcmp0 (command, "plugins") != 0)
    g_option_context_add_main_entries (context, cli_project_open_entries, NULL);
  if (g_strv_contains ((const char *const[]) { "stats", "train", "proximity", "linkpred", NULL },
                       command))
    g_option_context_add_main_entries (context, features_entries, NULL);
  if (extra != NULL)
    g_option_context_add_main_entries (context, extra, NULL);

  features_command = command;
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = usage_error (command, error->message);
      return FALSE;
    }
  if (*argc - 1 != n_positional)
    {
      /* Translators: %s is what the command takes, e.g. "FILE" or "MODEL TARGET" */
      g_autofree char *what = g_strdup_printf (_ ("%s is required"), args);

      *exit_code = usage_error (command, *argc - 1 < n_positional ? what
                                                                  : _ ("too many arguments"));
      return FALSE;
    }
  return TRUE;
}

/* A copy of the project's set @name (NULL when the project, if any, lacks it). */
static PhiliaFeatureSet *
project_set_copy (const char *name)
{
  PhiliaDocument *doc = cli_project_get ();
  const PhiliaFeatureSet *set = doc != NULL ? philia_document_find_feature_set (doc, name)
                                            : NULL;

  if (set == NULL)
    return NULL;
  return philia_feature_set_new (set->name, set->origin, set->n_rows, set->n_cols,
                                 g_memdup2 (set->data, sizeof (float) * set->n_rows
                                                       * set->n_cols));
}

/* stats, proximity and linkpred on a project without --features: the set
 * its feature measures use (chosen in its Statistics or Proximity panel), in
 * features_used; FALSE when that is the original. */
static gboolean
project_measure_features (PhiliaGraph *graph)
{
  PhiliaDocument *doc = cli_project_get ();

  if (doc == NULL || philia_document_get_graph (doc) != graph
      || !g_strv_contains ((const char *const[]) { "stats", "proximity", "linkpred", NULL },
                           features_command))
    return FALSE;
  features_used = project_set_copy (philia_document_get_measure_features (doc));
  return features_used != NULL;
}

/* --features NAME on a project: a copy of its feature set NAME, or NULL when
 * NAME is not one of them (then the specs and files are tried). */
static PhiliaFeatureSet *
project_features (PhiliaGraph *graph,
                  const char  *name)
{
  PhiliaDocument *doc = cli_project_get ();

  if (doc == NULL || philia_document_get_graph (doc) != graph)
    return NULL;
  return project_set_copy (name);
}

/* FILE.npz:MEMBER with FILE.npz there (the member is checked on reading). */
static gboolean
is_npz_member (const char *spec)
{
  const char *colon = strrchr (spec, ':');
  g_autofree char *path = colon != NULL ? g_strndup (spec, colon - spec) : NULL;

  return path != NULL && g_str_has_suffix (path, ".npz")
         && g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* A name that is no set, spec or file: say what there is to choose from. */
static PhiliaGraph *
refuse_features_name (const char  *name,
                      GError     **error)
{
  PhiliaDocument *doc = cli_project_get ();
  g_autofree char *sets = doc != NULL ? philia_document_list_feature_set_names (doc)
                                      : g_strdup (PHILIA_FEATURES_ORIGINAL);

  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
               _ ("--features: “%s” is neither a feature set (%s), a derived one (ahat:K, "
                  "degree[:MAX], random:DIM[:SEED]) nor a file."), name, sets);
  return NULL;
}

PhiliaGraph *
load_dataset (const char  *path,
              GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFile) nodes = opt_nodes ? g_file_new_for_commandline_arg (opt_nodes) : NULL;

  g_autoptr(PhiliaGraph) graph = NULL;

  /* A project goes wherever a dataset goes: its graph, with its splits. */
  if (cli_is_project (path))
    graph = cli_project_load (path, error);
  else if (cli_project_refuse_open_options (path, error))
    graph = philia_graph_load (file, nodes, NULL, NULL, error);
  if (graph == NULL)
    return NULL;
  g_free (loaded_source);
  loaded_source = g_strdup (philia_graph_get_source (graph));
  loaded_columns = philia_graph_get_n_features (graph);
  g_clear_pointer (&features_used, philia_feature_set_free);
  features_from_project = FALSE;
  if (opt_features == NULL)
    {
      if (!project_measure_features (graph))
        return g_steal_pointer (&graph);
      features_from_project = TRUE;
    }
  else if ((features_used = project_features (graph, opt_features)) != NULL)
    features_from_project = TRUE;
  else
    {
      if (!philia_feature_spec_is_derived (opt_features)
          && !g_file_test (opt_features, G_FILE_TEST_EXISTS) && !is_npz_member (opt_features))
        return refuse_features_name (opt_features, error);
      features_used = philia_feature_set_from_spec (graph, opt_features, error);
      if (features_used == NULL)
        return NULL;
      /* "original" on a project is its graph's own features. */
      features_from_project = g_str_equal (opt_features, PHILIA_FEATURES_ORIGINAL);
    }
  loaded_columns = features_used->n_cols;
  return philia_graph_with_feature_set (graph, features_used);
}

const char *
cli_features_project_set (void)
{
  if (features_used == NULL)
    return PHILIA_FEATURES_ORIGINAL;
  if (!features_from_project)
    return NULL;
  return g_str_equal (opt_features != NULL ? opt_features : "", PHILIA_FEATURES_ORIGINAL)
         ? PHILIA_FEATURES_ORIGINAL : features_used->name;
}

const char *
cli_features_name (void)
{
  return features_used != NULL ? features_used->name : PHILIA_FEATURES_ORIGINAL;
}

void
cli_json_features_set_loaded (const char *source,
                              guint       columns)
{
  g_free (loaded_source);
  loaded_source = g_strdup (source);
  loaded_columns = columns;
}

/* "features": which matrix the command used, the dataset's own or --features'. */
void
cli_json_features (PhiliaJson *json)
{
  philia_json_key (json, "features");
  philia_json_begin_object (json);
  philia_json_member_string (json, "name", features_used != NULL ? features_used->name
                                                                 : "original");
  philia_json_member_string (json, "source", features_used != NULL ? features_used->origin
                                                                   : loaded_source);
  philia_json_member_int (json, "columns", loaded_columns);
  philia_json_end_object (json);
}

void
cli_json_class_structure (PhiliaJson            *json,
                          const PhiliaHomophily *h,
                          const gint64          *histogram,
                          guint                  bins)
{
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
  for (guint b = 0; b <= bins; b++)
    philia_json_double (json, (double)b / bins);
  philia_json_end_array (json);
  philia_json_key (json, "counts");
  philia_json_int_array (json, histogram, bins);
  philia_json_end_object (json);
}

/* Prints @text and pads it with spaces (at least one) to @width display
 * columns: a wide character takes two, so translated columns line up. */
char *
cli_id_list (const guint *ids,
             guint        n)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%u",
                            /* Translators: the last separator of a list, "runs 1, 2 and 4" */
                            i == 0 ? "" : i + 1 == n ? _ (" and ") : ", ", ids[i]);
  return g_string_free (text, FALSE);
}

static int
display_columns (const char *text)
{
  int columns = 0;

  for (const char *c = text; *c != '\0'; c = g_utf8_next_char (c))
    columns += g_unichar_iswide (g_utf8_get_char (c)) ? 2 : 1;
  return columns;
}

void
cli_pad (const char *text,
         int         width)
{
  printf ("%s%*s", text, MAX (1, width - display_columns (text)), "");
}

void
cli_right (const char *text,
           int         width)
{
  printf ("%*s%s", MAX (0, width - display_columns (text)), "", text);
}

void
cli_label (const char *label,
           int         width)
{
  printf ("  ");
  cli_pad (label, width);
}
