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
#include "philia-stream-stats.h"

/* philia-cli proximity and linkpred: link-prediction heuristics for given
 * pairs, and their evaluation on a seeded edge split with the OGB metrics. */

/* ------------------------------------------------------------- proximity */

static gint64 opt_seed = 0;
static char *opt_out;
static char *opt_heuristics;
static char *opt_pairs;
static char *opt_heuristic;
static double opt_katz_beta = NAN;   /* NaN: not given */
static char *opt_katz_len;
static double opt_ppr_alpha = NAN;
static char *opt_ppr_method;
static double opt_ppr_epsilon = NAN;
static double opt_ppr_delta = NAN;
static double opt_ppr_failure = NAN;
static gint64 opt_ppr_seed = -1;     /* -1: not given */
static int opt_prox_threads = 0;
static int opt_mrr_negatives = 100;
static gboolean opt_prox_stream;

#define PROXIMITY_PARAM_ENTRIES \
  { "katz-beta", 0, 0, G_OPTION_ARG_DOUBLE, &opt_katz_beta, "Katz β (default 0.005)", "B" }, \
  { "katz-len", 0, 0, G_OPTION_ARG_STRING, &opt_katz_len, \
    "Katz path length L (default 3), or “exact” for the whole series", "L|exact" }, \
  { "ppr-alpha", 0, 0, G_OPTION_ARG_DOUBLE, &opt_ppr_alpha, \
    N_ ("Personalized PageRank restart probability (default 0.15)"), "A" }, \
  { "ppr-method", 0, 0, G_OPTION_ARG_STRING, &opt_ppr_method, \
    N_ ("PPR by “exact” solves (every score within 1e-10), by “bippr” estimates (with " \
        "probability 1 − F per pair within E · max (score, D)), or “auto” (default): bippr " \
        "from 10^7 edges on"), "auto|exact|bippr" }, \
  { "ppr-epsilon", 0, 0, G_OPTION_ARG_DOUBLE, &opt_ppr_epsilon, \
    N_ ("bippr's relative error (default 0.25)"), "E" }, \
  { "ppr-delta", 0, 0, G_OPTION_ARG_DOUBLE, &opt_ppr_delta, \
    N_ ("bippr's score floor: below it the error is at most E · D (default 1/n)"), "D" }, \
  { "ppr-failure", 0, 0, G_OPTION_ARG_DOUBLE, &opt_ppr_failure, \
    N_ ("bippr's failure probability per pair (default 0.01)"), "F" }, \
  { "ppr-seed", 0, 0, G_OPTION_ARG_INT64, &opt_ppr_seed, \
    N_ ("Seed of bippr's random walks (default 0); a pair's score depends on it and the pair " \
        "only"), "S" }, \
  { "threads", 0, 0, G_OPTION_ARG_INT, &opt_prox_threads, \
    "Worker threads (default: one per processor)", "T" }

static GOptionEntry proximity_entries[] = {
  { "pairs", 0, 0, G_OPTION_ARG_FILENAME, &opt_pairs,
    N_ ("CSV file with a header u,v and one pair per row (node ids or names)"), "P.csv" },
  { "heuristics", 0, 0, G_OPTION_ARG_STRING, &opt_heuristics,
    N_ ("Comma-separated subset of cn,jaccard,aa,ra,pa,katz,ppr,sp,fp and plugin heuristics "
        "such as lpi (default: the built-ins)"), "LIST" },
  { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, N_ ("Write the CSV here, not on stdout"),
    "F.csv" },
  { "stream", 0, 0, G_OPTION_ARG_NONE, &opt_prox_stream,
    N_ ("Read the edges of an .npz in pieces instead of loading the graph, holding only the "
        "rows of the pairs' nodes (cn, jaccard, aa, ra and pa; under mpirun each process reads "
        "its slice, which it does without being asked)"), NULL },
  PROXIMITY_PARAM_ENTRIES,
  { NULL }
};

static GOptionEntry linkpred_entries[] = {
  { "heuristic", 0, 0, G_OPTION_ARG_STRING, &opt_heuristic,
    N_ ("One of cn, jaccard, aa, ra, pa, katz, ppr, sp, fp"), "H" },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, N_ ("Seed of the edge split (default 0)"), "S" },
  { "mrr-negatives", 0, 0, G_OPTION_ARG_INT, &opt_mrr_negatives,
    N_ ("Negatives per test edge for MRR (default 100)"), "N" },
  { "save", 0, 0, G_OPTION_ARG_NONE, &opt_save,
    N_ ("Project: add the evaluation to it and save it (built-in heuristics)"), NULL },
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
      *code = usage_error (command, _ ("--threads must not be negative"));
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
          *code = usage_error (command, _ ("--katz-len must be a length from 1 to 64 or “exact”"));
          return FALSE;
        }
    }
  if (!(params->katz_beta > 0 && isfinite (params->katz_beta)))
    {
      *code = usage_error (command, _ ("--katz-beta must be a positive number"));
      return FALSE;
    }
  if (!(params->ppr_alpha > 0 && params->ppr_alpha <= 1))
    {
      *code = usage_error (command, _ ("--ppr-alpha must be in (0, 1]"));
      return FALSE;
    }
  if (opt_ppr_method != NULL)
    {
      if (g_ascii_strcasecmp (opt_ppr_method, "auto") == 0)
        params->ppr_method = PHILIA_PROXIMITY_PPR_AUTO;
      else if (g_ascii_strcasecmp (opt_ppr_method, "exact") == 0)
        params->ppr_method = PHILIA_PROXIMITY_PPR_EXACT;
      else if (g_ascii_strcasecmp (opt_ppr_method, "bippr") == 0)
        params->ppr_method = PHILIA_PROXIMITY_PPR_BIPPR;
      else
        {
          *code = usage_error (command, _ ("--ppr-method must be auto, exact or bippr"));
          return FALSE;
        }
    }
  if (!isnan (opt_ppr_epsilon))
    params->ppr_epsilon = opt_ppr_epsilon;
  if (!isnan (opt_ppr_delta))
    params->ppr_delta = opt_ppr_delta;
  if (!isnan (opt_ppr_failure))
    params->ppr_failure = opt_ppr_failure;
  if (opt_ppr_seed < -1)
    {
      *code = usage_error (command, _ ("--ppr-seed must not be negative"));
      return FALSE;
    }
  if (opt_ppr_seed >= 0)
    params->ppr_seed = (guint64)opt_ppr_seed;
  if (!(params->ppr_epsilon > 0 && isfinite (params->ppr_epsilon)))
    {
      *code = usage_error (command, _ ("--ppr-epsilon must be a positive number"));
      return FALSE;
    }
  if (!(params->ppr_delta >= 0 && params->ppr_delta <= 1))
    {
      *code = usage_error (command, _ ("--ppr-delta must be in [0, 1] (0: 1/n)"));
      return FALSE;
    }
  if (!(params->ppr_failure > 0 && params->ppr_failure < 1))
    {
      *code = usage_error (command, _ ("--ppr-failure must be in (0, 1)"));
      return FALSE;
    }
  return TRUE;
}

/* Whether any of the bippr options was given (a project keeps only α). */
static gboolean
ppr_options_given (void)
{
  return opt_ppr_method != NULL || !isnan (opt_ppr_epsilon) || !isnan (opt_ppr_delta)
         || !isnan (opt_ppr_failure) || opt_ppr_seed != -1;
}

/* "ppr": the method and the error bound of the PPR scores on @graph. */
static void
json_ppr (PhiliaJson                  *json,
          PhiliaGraph                 *graph,
          const PhiliaProximityParams *params)
{
  g_autofree char *bound = philia_proximity_ppr_describe (graph, params);
  gboolean bippr = philia_proximity_ppr_method_resolve (graph, params)
                   == PHILIA_PROXIMITY_PPR_BIPPR;

  philia_json_key (json, "ppr");
  philia_json_begin_object (json);
  philia_json_member_string (json, "method", bippr ? "bippr" : "exact");
  philia_json_member_double (json, "alpha", params->ppr_alpha);
  if (bippr)
    {
      philia_json_member_double (json, "epsilon", params->ppr_epsilon);
      philia_json_member_double (json, "delta", philia_proximity_ppr_delta (graph, params));
      philia_json_member_double (json, "failure_probability", params->ppr_failure);
      philia_json_member_int (json, "seed", (gint64)params->ppr_seed);
    }
  else
    philia_json_member_double (json, "absolute_error", 1e-10);
  philia_json_member_string (json, "bound", bound);
  philia_json_end_object (json);
}

/* An option-shaped error from the core (exact Katz with β ≥ 1/λ_max) is a
 * usage error; anything else a failure. */
int
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

/* Reads P.csv: a header u,v, then one pair per row; blank lines and lines
 * starting with '#' (such as the "# ppr: …" line this command writes) are
 * skipped. Keeps the fields as written for the output. */
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

      if (*line == '\0' || *line == '#')
        continue;
      cols = g_strsplit (line, ",", -1);
      if (g_strv_length (cols) != 2)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                       _ ("%s, line %u: expected two fields u,v."), path, i + 1);
          return FALSE;
        }
      g_strstrip (cols[0]);
      g_strstrip (cols[1]);
      if (!header)
        {
          if (!g_str_equal (cols[0], "u") || !g_str_equal (cols[1], "v"))
            {
              g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                           _ ("%s: the first line must be the header u,v."), path);
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
                           _ ("%s, line %u: unknown node “%s”."), path, i + 1, cols[k]);
              return FALSE;
            }
          g_array_append_val (pairs, node);
          g_ptr_array_add (fields, g_strdup (cols[k]));
        }
    }
  if (!header)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s: the first line must be the header u,v."), path);
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
                       _ ("Unknown heuristic “%s”; known heuristics: %s."), name, known);
          return FALSE;
        }
    }
  if (*mask == 0 && extra->len == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION, _ ("--heuristics names no heuristic."));
      return FALSE;
    }
  return TRUE;
}

/* The scores of @mask's built-ins, or of @algorithm's one column; under
 * mpirun shared among the ranks (philia-cli-mpi.h). */
static gboolean
score_pairs (PhiliaGraph                 *graph,
             const PhiliaProximityParams *params,
             const gint64                *pairs,
             gsize                        n_pairs,
             guint                        mask,
             const PhiliaAlgorithm       *algorithm,
             double                      *out,
             GError                     **error)
{
  if (cli_mpi_active ())
    return cli_mpi_score_pairs (graph, params, pairs, n_pairs, mask, algorithm, out, error);
  if (algorithm != NULL)
    return philia_proximity_compute (algorithm, graph, params, pairs, n_pairs, out, NULL, error);
  return philia_proximity_score_pairs (graph, params, pairs, n_pairs, mask, out, NULL, error);
}


/* The text report's first line, shared with linkpred --model. */
void
cli_linkpred_text_header (const char                 *file,
                          const PhiliaLinkpredResult *result,
                          const PhiliaLinkSplit      *split,
                          gint64                      seed)
{
  /* Translators: "CN on cora.npz: split 4488/263/527 edges (seed 0)" */
  printf (_ ("%s on %s: split %" PRId64 "/%" PRId64 "/%" PRId64 " edges (seed %" PRId64 ")\n"),
          result->name, file, (gint64)split->n_train, (gint64)split->n_valid,
          (gint64)split->n_test, (gint64)seed);
}

/* A "features" line when the graph's own features were replaced (the
 * feature-proximity heuristic and a GNN read them). */
void
cli_linkpred_text_features (void)
{
  if (g_str_equal (cli_features_name (), PHILIA_FEATURES_ORIGINAL))
    return;
  cli_pad (_ ("features"), 9);
  printf ("%s\n", cli_features_name ());
}

gboolean
cli_linkpred_check_save_features (GError **error)
{
  PhiliaDocument *document = cli_project_get ();
  g_autofree char *sets = NULL;

  if (cli_features_project_set () != NULL || document == NULL)
    return TRUE;
  sets = philia_document_list_feature_set_names (document);
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
               _ ("--save: the project replays a saved evaluation on one of its own feature "
                  "sets (%s), and “%s” is not one of them; add it to the project first "
                  "(Dataset panel, Feature Sets)."), sets, opt_features);
  return FALSE;
}

/* The metric lines. Hits@K, MRR and AUC are the names the literature and the
 * JSON keys use in every language; the labels of the other lines are
 * translated and padded to the same column (cli_pad). */
void
cli_linkpred_text_metrics (const PhiliaLinkpredResult *result,
                           const PhiliaLinkSplit      *split)
{
  for (guint k = 0; k < G_N_ELEMENTS (philia_linkpred_hits_ks); k++)
    printf ("hits@%-4u %.4f\n", philia_linkpred_hits_ks[k], result->hits[k]);
  cli_pad ("mrr", 9);
  printf (ngettext ("%.4f  (%u negative per test edge)\n", "%.4f  (%u negatives per test edge)\n",
                    split->n_mrr_neg), result->mrr, split->n_mrr_neg);
  cli_pad ("auc", 9);
  printf ("%.4f\n", result->auc);
}

int
cmd_proximity (int    argc,
               char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *scores = NULL;
  g_autoptr(GString) csv = NULL;
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  g_autoptr(PhiliaStreamStats) stream = NULL;
  g_autoptr(PhiliaNpz) npz = NULL;
  PhiliaProximityParams params;
  GError *error = NULL;
  guint mask = PHILIA_PROXIMITY_ALL, n_cols, n_builtin;
  gsize n_pairs;
  int code = EXIT_OK;

  if (!parse_options ("proximity", "FILE --pairs P.csv",
                      N_ ("Score node pairs with link-prediction heuristics: shared neighbours, "
                          "paths (Katz, PPR, shortest path) and feature proximity."),
                      proximity_entries, &argc, &argv, 1, &code))
    return code;
  if (opt_pairs == NULL)
    return usage_error ("proximity", _ ("--pairs P.csv is required"));
  if (opt_heuristics != NULL && !split_heuristics (opt_heuristics, &mask, extra, &error))
    return proximity_fail ("proximity", error);
  if (!proximity_params_from_options ("proximity", &params, &code))
    return code;

  if (opt_prox_stream && (extra->len > 0 || !cli_stream_pairs_supports (mask)))
    return usage_error ("proximity", _ ("--stream scores cn, jaccard, aa, ra and pa; the other "
                                        "heuristics need the loaded graph"));
  if (opt_prox_stream && (opt_nodes != NULL || opt_features != NULL))
    return usage_error ("proximity", _ ("--stream does not combine with --nodes or --features"));
  /* Under mpirun an .npz is read in slices whenever the heuristics allow. */
  if (opt_prox_stream
      || (cli_mpi_active () && extra->len == 0 && cli_stream_pairs_supports (mask)
          && opt_nodes == NULL && opt_features == NULL && g_str_has_suffix (argv[1], ".npz")))
    {
      stream = _philia_stream_stats_new (argv[1], &npz, &error);
      if (!cli_mpi_agree (&error))
        {
          if (opt_prox_stream)
            return fail (error);
          /* Not an .npz this reads in slices: every rank loads it. */
          g_clear_error (&error);
          g_clear_pointer (&stream, _philia_stream_stats_free);
          g_clear_pointer (&npz, philia_npz_free);
        }
      else
        {
          g_autofree char *source = g_filename_display_basename (argv[1]);
          gint64 shape[2];
          guint ndim = 0;

          graph = g_object_ref (stream->graph);
          /* The feature columns the loaded graph would report: the header says. */
          if (!philia_npz_has_member (npz, "node_features")
              || !_philia_npz_member_shape (npz, "node_features", &ndim, shape, NULL)
              || ndim != 2)
            shape[1] = 0;
          cli_json_features_set_loaded (source, (guint)shape[1]);
        }
    }
  if (graph == NULL)
    graph = load_dataset (argv[1], &error);
  if (!cli_mpi_agree (&error))
    return fail (error);
  read_pairs (graph, opt_pairs, pairs, fields, &error);
  if (!cli_mpi_agree (&error))
    return fail (error);

  n_pairs = pairs->len / 2;
  n_builtin = philia_proximity_mask_count (mask);
  n_cols = n_builtin + extra->len;
  scores = g_new (double, MAX (n_pairs * n_cols, 1));
  if (stream != NULL)
    {
      if (!cli_stream_score_pairs (argv[1], npz, philia_graph_get_n_nodes (graph),
                                   (const gint64 *)pairs->data, n_pairs, mask, scores, &error))
        return fail (error);
    }
  else if (mask != 0 && !score_pairs (graph, &params, (const gint64 *)pairs->data, n_pairs, mask,
                                      NULL, scores, &error))
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
          if (!score_pairs (graph, &params, (const gint64 *)pairs->data, n_pairs, 0,
                            extra->pdata[k], column, &error))
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
      if (mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR))
        json_ppr (json, graph, &params);
      cli_json_features (json);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
      return EXIT_OK;
    }

  csv = g_string_new (NULL);
  /* The ppr column's method and bound go first, as a comment line. */
  if (mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR))
    {
      g_autofree char *bound = philia_proximity_ppr_describe (graph, &params);

      g_string_append_printf (csv, "# ppr: %s\n", bound);
    }
  g_string_append (csv, "u,v");
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
  if (!cli_mpi_is_root ())
    return EXIT_OK;   /* rank 0 writes the file */
  if (!g_file_set_contents (opt_out, csv->str, csv->len, &error))
    return fail (error);
  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_string (json, "path", opt_out);
      philia_json_member_int (json, "pairs", (gint64)n_pairs);
      if (mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR))
        json_ppr (json, graph, &params);
      cli_json_features (json);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
    }
  return EXIT_OK;
}

/* -------------------------------------------------------------- linkpred */

int
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

  /* Training stays on one machine: under mpirun, rank 0 trains alone. */
  if (cli_linkpred_wants_model (argc, argv))
    return cli_mpi_is_root () ? cmd_linkpred_model (argc, argv) : EXIT_OK;
  if (!parse_options ("linkpred", "FILE --heuristic H",
                      N_ ("Evaluate a heuristic on a seeded 85/5/10 edge split with the OGB rules "
                          "(Hits@K, MRR, ROC-AUC). Given a project (.philia), --save keeps the "
                          "evaluation in it. --model M trains a GNN link predictor on the same "
                          "split instead (linkpred --model gcn --help lists its options)."),
                      linkpred_entries, &argc, &argv, 1, &code))
    return code;
  if (opt_heuristic == NULL)
    return usage_error ("linkpred", _ ("--heuristic H is required"));
  if (!philia_proximity_heuristic_from_string (opt_heuristic, &heuristic))
    {
      /* A heuristic a plugin registered is evaluated the same way. */
      algorithm = philia_registry_lookup (philia_registry_get_default (),
                                          PHILIA_FAMILY_PROXIMITY, opt_heuristic);
      if (algorithm == NULL)
        {
          g_autofree char *known = registry_ids (PHILIA_FAMILY_PROXIMITY);
          g_autofree char *message = g_strdup_printf (_ ("unknown heuristic; known heuristics: %s"),
                                                      known);

          return usage_error ("linkpred", message);
        }
    }
  if (opt_mrr_negatives < 0)
    return usage_error ("linkpred", _ ("--mrr-negatives must not be negative"));
  if (!proximity_params_from_options ("linkpred", &params, &code))
    return code;
  if (!cli_project_check_save ("linkpred", argv[1], &code))
    return code;
  /* A project keeps evaluations as a recipe it can replay: built-ins only. */
  if (opt_save && algorithm != NULL)
    return usage_error ("linkpred", _ ("--save keeps evaluations of the built-in heuristics; "
                                       "this one comes from a plugin"));
  if (opt_save && ppr_options_given ())
    return usage_error ("linkpred", _ ("--save keeps PPR's α only; the --ppr-method, "
                                       "--ppr-epsilon, --ppr-delta, --ppr-failure and "
                                       "--ppr-seed options cannot be saved"));

  /* A project's evaluation is saved by one process: rank 0, alone. */
  if (opt_save && !cli_mpi_is_root ())
    return EXIT_OK;

  graph = load_dataset (argv[1], &error);
  if (!(opt_save ? graph != NULL : cli_mpi_agree (&error)))
    return fail (error);
  if (opt_save && !cli_linkpred_check_save_features (&error))
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
                       _ ("%s has no node features, so heuristic %s cannot score it."), argv[1],
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
      if (!cli_mpi_agree (&error))
        return fail (error);
      split = own_split;
      /* Under mpirun the ranks share the pairs (philia-cli-mpi.h). */
      if (cli_mpi_active ())
        own_result = cli_mpi_linkpred_evaluate (split, &params, heuristic, algorithm, &error);
      else
        own_result = algorithm != NULL
                     ? philia_linkpred_evaluate_algorithm (split, &params, algorithm, NULL,
                                                           &error)
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
      /* Recomputing it later takes the same features (cli_linkpred_check_save_features). */
      philia_document_set_evaluation_features (document, evaluation_id,
                                               cli_features_project_set ());
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
      if (heuristic == PHILIA_PROXIMITY_PPR)
        json_ppr (json, split->train, &params);
      if (opt_save)
        philia_json_member_int (json, "evaluation_id", evaluation_id);
      cli_json_features (json);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
      return EXIT_OK;
    }

  cli_linkpred_text_header (argv[1], result, split, opt_seed);
  cli_linkpred_text_metrics (result, split);
  if (heuristic == PHILIA_PROXIMITY_PPR)
    {
      g_autofree char *bound = philia_proximity_ppr_describe (split->train, &params);

      printf (_ ("ppr: %s\n"), bound);
    }
  cli_linkpred_text_features ();
  if (opt_save)
    printf (_ ("%s: saved evaluation %u\n"), argv[1], evaluation_id);
  return EXIT_OK;
}
