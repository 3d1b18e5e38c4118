/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "philia-cli-private.h"

/* philia-cli linkpred --model: a GNN link predictor trained on the same
 * seeded 85/5/10 split the heuristics are scored on, and scored the same
 * way (the output keys of --heuristic plus the training's own). */

static char *opt_model;
static char *opt_decoder;
static gint64 opt_lp_seed = 0;
static int opt_lp_epochs = -1;
static int opt_lp_patience = -1;
static int opt_lp_hidden = -1;
static int opt_lp_layers = -1;
static int opt_lp_decoder_layers = -1;
static double opt_lp_lr = NAN;
static double opt_lp_dropout = NAN;
static double opt_lp_weight_decay = NAN;
static int opt_lp_val_k = -1;
static int opt_lp_threads = 0;
static int opt_lp_mrr_negatives = 100;
static gboolean opt_lp_raw_features;
static char *opt_explain;
static int opt_factors;

/* The yardstick "Why this link" ranks a pair against: 1000 random non-edges
 * of the whole graph drawn with seed 0 (philia-proximity-panel.c). */
#define EXPLAIN_NEGATIVES     1000
#define EXPLAIN_NEGATIVE_SEED 0

static GOptionEntry model_entries[] = {
  { "model", 0, 0, G_OPTION_ARG_STRING, &opt_model,
    N_ ("Encoder: gcn, sage, mlp or a plugin's link model"), "M" },
  { "decoder", 0, 0, G_OPTION_ARG_STRING, &opt_decoder,
    N_ ("dot (default) or mlp (an MLP on the Hadamard product)"), "D" },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_lp_seed,
    N_ ("Seed of the edge split and of the training (default 0)"), "S" },
  { "epochs", 0, 0, G_OPTION_ARG_INT, &opt_lp_epochs, N_ ("Most epochs (default 300)"), "N" },
  { "patience", 0, 0, G_OPTION_ARG_INT, &opt_lp_patience,
    N_ ("Stop after this many epochs without a better validation Hits@K; 0 never (default 50)"),
    "N" },
  { "hidden", 0, 0, G_OPTION_ARG_INT, &opt_lp_hidden,
    N_ ("Width of every layer (default 256)"), "H" },
  { "layers", 0, 0, G_OPTION_ARG_INT, &opt_lp_layers, N_ ("Encoder layers (default 2)"), "L" },
  { "decoder-layers", 0, 0, G_OPTION_ARG_INT, &opt_lp_decoder_layers,
    N_ ("Layers of the MLP decoder (default 2)"), "L" },
  { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &opt_lp_lr, N_ ("Adam's learning rate (default 0.01)"), "X" },
  { "dropout", 0, 0, G_OPTION_ARG_DOUBLE, &opt_lp_dropout,
    N_ ("Dropout between layers (default 0.5)"), "P" },
  { "weight-decay", 0, 0, G_OPTION_ARG_DOUBLE, &opt_lp_weight_decay,
    N_ ("L2 weight decay (default 0)"), "W" },
  { "val-k", 0, 0, G_OPTION_ARG_INT, &opt_lp_val_k,
    N_ ("K of the validation Hits@K that picks the epoch (default 100)"), "K" },
  { "raw-features", 0, 0, G_OPTION_ARG_NONE, &opt_lp_raw_features,
    N_ ("Do not divide each feature row by its sum"), NULL },
  { "mrr-negatives", 0, 0, G_OPTION_ARG_INT, &opt_lp_mrr_negatives,
    N_ ("Negatives per test edge for MRR (default 100)"), "N" },
  { "threads", 0, 0, G_OPTION_ARG_INT, &opt_lp_threads,
    N_ ("Worker threads (default: one per processor)"), "T" },
  { "save", 0, 0, G_OPTION_ARG_NONE, &opt_save,
    N_ ("Project: add the model to its latest evaluation on the same split (seed and MRR "
        "negatives), or to a new evaluation of the built-in heuristics, and save it"), NULL },
  { "factors", 0, 0, G_OPTION_ARG_INT, &opt_factors,
    N_ ("Also evaluate every built-in heuristic on the split and say what explains the test links "
        "at Hits@K: shared neighbours, paths or features, and what the model gets of each "
        "(JSON: \"factors\")"), "K" },
  { "explain", 0, 0, G_OPTION_ARG_STRING, &opt_explain,
    N_ ("Also score the pair U,V (ids or names) and rank it against the 1000 random non-edges "
        "the Proximity panel's \"Why this link\" uses"), "U,V" },
  { NULL }
};

static void
json_region (PhiliaJson   *json,
             const gint64 *counts)
{
  static const char *const names[PHILIA_LINK_FACTOR_REGIONS] = {
    "none", "local", "global", "local+global", "feature", "local+feature", "global+feature",
    "all",
  };

  philia_json_begin_object (json);
  for (guint r = 0; r < PHILIA_LINK_FACTOR_REGIONS; r++)
    philia_json_member_int (json, names[r], counts[r]);
  philia_json_end_object (json);
}

void
cli_json_link_factors (PhiliaJson                   *json,
                       const PhiliaLinkFactors      *factors,
                       PhiliaLinkpredResult * const *results)
{
  g_autofree char *summary = philia_link_factors_summary (factors, results);

  philia_json_key (json, "factors");
  philia_json_begin_object (json);
  philia_json_member_int (json, "k", factors->k);
  philia_json_member_int (json, "test_edges", factors->n_test);
  if (factors->n_shared >= 0)
    philia_json_member_int (json, "sharing_a_neighbour", factors->n_shared);
  for (guint c = 0; c < PHILIA_N_LINK_FACTORS; c++)
    {
      philia_json_key (json, philia_link_factor_to_string (c));
      philia_json_begin_object (json);
      if (factors->best[c] >= 0)
        philia_json_member_string (json, "heuristic", results[factors->best[c]]->name);
      else
        {
          philia_json_key (json, "heuristic");
          philia_json_null (json);
        }
      philia_json_member_double (json, "hits", factors->hits[c]);
      philia_json_end_object (json);
    }
  /* Test edges by the factors whose best heuristic gets them right. */
  philia_json_key (json, "regions");
  json_region (json, factors->regions);
  philia_json_key (json, "models");
  philia_json_begin_array (json);
  for (guint m = 0; m < factors->n_models; m++)
    {
      philia_json_begin_object (json);
      philia_json_member_string (json, "model", results[factors->models[m]]->name);
      philia_json_member_double (json, "hits", factors->model_hits[m]);
      philia_json_key (json, "right");
      json_region (json, factors->model_regions + m * PHILIA_LINK_FACTOR_REGIONS);
      philia_json_end_object (json);
    }
  philia_json_end_array (json);
  philia_json_member_string (json, "summary", summary);
  philia_json_end_object (json);
}

/* Whether the command line asks for a model (linkpred dispatches on it). */
gboolean
cli_linkpred_wants_model (int    argc,
                          char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_strcmp0 (argv[i], "--") == 0)
        break;
      if (g_strcmp0 (argv[i], "--model") == 0 || g_str_has_prefix (argv[i], "--model="))
        return TRUE;
    }
  return FALSE;
}

static gboolean
params_from_options (PhiliaLinkModelParams *p,
                     int                   *code)
{
  philia_link_model_params_init (p);
  if (opt_decoder != NULL && !philia_link_decoder_from_string (opt_decoder, &p->decoder))
    {
      *code = usage_error ("linkpred", _ ("--decoder must be dot or mlp"));
      return FALSE;
    }
  if (opt_lp_epochs != -1)
    p->epochs = opt_lp_epochs;
  if (opt_lp_patience != -1)
    p->patience = opt_lp_patience;
  if (opt_lp_hidden != -1)
    p->hidden = opt_lp_hidden;
  if (opt_lp_layers != -1)
    p->layers = opt_lp_layers;
  if (opt_lp_decoder_layers != -1)
    p->decoder_layers = opt_lp_decoder_layers;
  if (!isnan (opt_lp_lr))
    p->lr = opt_lp_lr;
  if (!isnan (opt_lp_dropout))
    p->dropout = opt_lp_dropout;
  if (!isnan (opt_lp_weight_decay))
    p->weight_decay = opt_lp_weight_decay;
  if (opt_lp_val_k != -1)
    {
      if (opt_lp_val_k < 1)
        {
          *code = usage_error ("linkpred", _ ("--val-k must be at least 1"));
          return FALSE;
        }
      p->val_k = (guint)opt_lp_val_k;
    }
  if (opt_lp_threads < 0)
    {
      *code = usage_error ("linkpred", _ ("--threads must not be negative"));
      return FALSE;
    }
  if (opt_lp_mrr_negatives < 0)
    {
      *code = usage_error ("linkpred", _ ("--mrr-negatives must not be negative"));
      return FALSE;
    }
  p->n_threads = (guint)opt_lp_threads;
  p->seed = (guint64)opt_lp_seed;
  p->normalize_features = !opt_lp_raw_features;
  return TRUE;
}

/* "U,V": two nodes by id or name. */
static gboolean
parse_pair (PhiliaGraph *graph,
            const char  *text,
            guint       *pair,
            int         *code)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  if (g_strv_length (parts) != 2)
    {
      *code = usage_error ("linkpred", _ ("--explain takes two nodes, U,V"));
      return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    {
      gint64 node = philia_graph_find_node (graph, g_strstrip (parts[i]));

      if (node < 0)
        {
          g_autofree char *message = g_strdup_printf (_ ("--explain: no node “%s” in the graph"),
                                                      parts[i]);

          *code = usage_error ("linkpred", message);
          return FALSE;
        }
      pair[i] = (guint)node;
    }
  return TRUE;
}

/* The split the model trains on when --save keeps it: that of the project's
 * latest evaluation with this seed and number of MRR negatives (recomputed
 * from its recipe when the project was just opened), or of a new evaluation
 * of every built-in heuristic, so the model sits next to them as in the
 * Proximity panel. */
static PhiliaLinkSplit *
saved_split (PhiliaDocument *document,
             PhiliaGraph    *graph,
             guint          *evaluation_id,
             GError        **error)
{
  const PhiliaDocumentEvaluation *e = NULL;
  PhiliaLinkpredReport *report;
  PhiliaProximityParams params;

  for (guint i = philia_document_get_n_evaluations (document); e == NULL && i-- > 0;)
    {
      const PhiliaDocumentEvaluation *c = philia_document_get_evaluation (document, i);

      /* The model trains on the split's graph: its features too. */
      if (c->seed == (guint64)opt_lp_seed && c->n_mrr_neg == (guint)opt_lp_mrr_negatives
          && g_strcmp0 (c->features, cli_features_project_set ()) == 0)
        e = c;
    }
  if (e != NULL)
    {
      *evaluation_id = e->id;
      if (!philia_document_ensure_evaluation (document, e->id, NULL, error))
        return NULL;
      return e->report->split;
    }
  philia_proximity_params_init_default (&params);
  report = philia_linkpred_report_new (graph, &params, PHILIA_PROXIMITY_ALL, (guint64)opt_lp_seed,
                                       (guint)opt_lp_mrr_negatives, NULL, NULL, error);
  if (report == NULL)
    return NULL;
  /* The document takes the report; the split stays alive with it. */
  *evaluation_id = philia_document_add_evaluation (document, &params, (guint64)opt_lp_seed,
                                                   (guint)opt_lp_mrr_negatives, report);
  philia_document_set_evaluation_features (document, *evaluation_id,
                                           cli_features_project_set ());
  return report->split;
}

int
cmd_linkpred_model (int    argc,
                    char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaLinkSplit) own_split = NULL;
  g_autoptr(PhiliaLinkpredReport) own_report = NULL;
  g_autoptr(PhiliaLinkFactors) factors = NULL;
  PhiliaLinkpredReport *heuristics = NULL;
  PhiliaLinkSplit *split;
  g_autoptr(PhiliaLinkTrainResult) trained = NULL;
  guint evaluation_id = 0;
  PhiliaLinkModelParams params;
  PhiliaLinkpredResult *result;
  g_autoptr(PhiliaProximityNegatives) negatives = NULL;
  guint pair[2] = { 0, 0 };
  double pair_score = NAN;
  gint64 pair_above = -1;
  GError *error = NULL;
  gint64 start;
  double seconds;
  int code = EXIT_OK;

  if (!parse_options ("linkpred", "FILE --model M",
                      N_ ("Train a GNN link predictor on the training edges of a seeded 85/5/10 "
                          "edge split and evaluate it with the OGB rules on the test edges and "
                          "negatives the heuristics are scored on."),
                      model_entries, &argc, &argv, 1, &code))
    return code;
  if (opt_model == NULL || *opt_model == '\0')
    return usage_error ("linkpred", _ ("--model M is required"));
  if (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_LINK_MODEL,
                              opt_model) == NULL)
    {
      g_autofree char *known = registry_ids (PHILIA_FAMILY_LINK_MODEL);
      g_autofree char *message = g_strdup_printf (_ ("unknown model; known models: %s"), known);

      return usage_error ("linkpred", message);
    }
  if (!params_from_options (&params, &code))
    return code;
  if (!cli_project_check_save ("linkpred", argv[1], &code))
    return code;
  if (opt_factors < 0)
    return usage_error ("linkpred", _ ("--factors must be at least 1"));

  graph = load_dataset (argv[1], &error);
  if (graph == NULL)
    return fail (error);
  if (opt_explain != NULL && !parse_pair (graph, opt_explain, pair, &code))
    return code;
  if (opt_save && !cli_linkpred_check_save_features (&error))
    return fail (error);
  start = g_get_monotonic_time ();
  if (opt_save)
    split = saved_split (cli_project_get (), graph, &evaluation_id, &error);
  else if (opt_factors > 0)
    {
      PhiliaProximityParams proximity;

      /* The heuristics' own split, which the model then trains on. */
      philia_proximity_params_init_default (&proximity);
      own_report = philia_linkpred_report_new (graph, &proximity, PHILIA_PROXIMITY_ALL,
                                               (guint64)opt_lp_seed,
                                               (guint)opt_lp_mrr_negatives, NULL, NULL, &error);
      split = own_report != NULL ? own_report->split : NULL;
    }
  else
    split = own_split = philia_link_split_new (graph, 0.05, 0.10, (guint)opt_lp_mrr_negatives,
                                               (guint64)opt_lp_seed, &error);
  if (split == NULL)
    return proximity_fail ("linkpred", error);
  trained = philia_link_train (split, opt_model, &params, NULL, NULL, NULL, NULL, &error);
  if (trained == NULL)
    return proximity_fail ("linkpred", error);
  if (opt_save
      && (!philia_document_add_evaluation_model (cli_project_get (), evaluation_id, trained,
                                                 &error)
          || !cli_project_save (argv[1], &error)))
    return fail (error);
  result = trained->result;
  if (opt_factors > 0)
    {
      g_autofree PhiliaLinkpredResult **all = NULL;

      if (own_report != NULL)
        heuristics = own_report;
      else
        for (guint i = 0; i < philia_document_get_n_evaluations (cli_project_get ()); i++)
          if (philia_document_get_evaluation (cli_project_get (), i)->id == evaluation_id)
            heuristics = philia_document_get_evaluation (cli_project_get (), i)->report;
      g_assert (heuristics != NULL);
      all = g_new (PhiliaLinkpredResult *, heuristics->n_results + 1);
      memcpy (all, heuristics->results, sizeof (PhiliaLinkpredResult *) * heuristics->n_results);
      all[heuristics->n_results] = result;
      factors = philia_link_factors_new (all, heuristics->n_results + 1, (guint)opt_factors);
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  if (opt_explain != NULL)
    {
      PhiliaProximityParams proximity;

      philia_proximity_params_init_default (&proximity);
      negatives = philia_proximity_negatives_new (graph, &proximity, EXPLAIN_NEGATIVES,
                                                  EXPLAIN_NEGATIVE_SEED, NULL, &error);
      if (negatives == NULL
          || !philia_link_train_result_rank_pair (trained, negatives, pair[0], pair[1],
                                                  &pair_score, &pair_above, &error))
        return fail (error);
    }

  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_string (json, "model", result->name);
      philia_json_member_string (json, "encoder", trained->model);
      philia_json_member_string (json, "decoder", philia_link_decoder_to_string (params.decoder));
      for (guint k = 0; k < G_N_ELEMENTS (philia_linkpred_hits_ks); k++)
        {
          g_autofree char *key = g_strdup_printf ("hits@%u", philia_linkpred_hits_ks[k]);

          philia_json_member_double (json, key, result->hits[k]);
        }
      philia_json_member_double (json, "mrr", result->mrr);
      philia_json_member_double (json, "auc", result->auc);
      philia_json_member_int (json, "seed", opt_lp_seed);
      philia_json_member_int (json, "train_edges", split->n_train);
      philia_json_member_int (json, "valid_edges", split->n_valid);
      philia_json_member_int (json, "test_edges", split->n_test);
      philia_json_member_int (json, "test_negatives", split->n_test);
      philia_json_member_int (json, "mrr_negatives", split->n_mrr_neg);
      philia_json_member_int (json, "epochs", trained->n_epochs);
      philia_json_member_int (json, "best_epoch", trained->best_epoch);
      philia_json_member_double (json, "best_val_hits", trained->best_val_hits);
      philia_json_member_int (json, "val_k", params.val_k);
      philia_json_member_double (json, "epoch_ms_median", trained->epoch_ms_median);
      philia_json_member_double (json, "epoch_cpu_ms_median", trained->epoch_cpu_ms_median);
      philia_json_member_int (json, "hidden", params.hidden);
      philia_json_member_int (json, "layers", params.layers);
      philia_json_member_double (json, "lr", params.lr);
      philia_json_member_double (json, "dropout", params.dropout);
      philia_json_member_bool (json, "identity_features", trained->identity_features);
      cli_json_features (json);
      philia_json_member_double (json, "seconds", seconds);
      if (opt_save)
        philia_json_member_int (json, "evaluation_id", evaluation_id);
      if (factors != NULL)
        {
          g_autofree PhiliaLinkpredResult **all = g_new (PhiliaLinkpredResult *,
                                                          heuristics->n_results + 1);

          memcpy (all, heuristics->results,
                  sizeof (PhiliaLinkpredResult *) * heuristics->n_results);
          all[heuristics->n_results] = result;
          cli_json_link_factors (json, factors, all);
        }
      if (negatives != NULL)
        {
          philia_json_key (json, "pair");
          philia_json_begin_object (json);
          philia_json_member_int (json, "u", pair[0]);
          philia_json_member_int (json, "v", pair[1]);
          philia_json_member_double (json, "score", pair_score);
          philia_json_member_int (json, "above", pair_above);
          philia_json_member_int (json, "negatives",
                                  (gint64)philia_proximity_negatives_get_n_pairs (negatives));
          philia_json_end_object (json);
        }
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
      return EXIT_OK;
    }

  cli_linkpred_text_header (argv[1], result, split, opt_lp_seed);
  cli_pad (_ ("epochs"), 9);
  /* Translators: "200 (best 57, validation hits@20 0.6120, 21.10 ms per epoch)" */
  printf (_ ("%u (best %u, validation hits@%u %.4f, %.2f ms per epoch)\n"),
          trained->n_epochs, trained->best_epoch, params.val_k, trained->best_val_hits,
          trained->epoch_ms_median);
  cli_linkpred_text_metrics (result, split);
  cli_linkpred_text_features ();
  if (negatives != NULL)
    {
      cli_pad (_ ("pair"), 9);
      /* Translators: "12,40: score 0.8123, 17 of 10000 random non-edges higher" */
      printf (_ ("%u,%u: score %.4g, %" PRId64 " of %" PRId64 " random non-edges higher\n"),
              pair[0], pair[1], pair_score, (gint64)pair_above,
              (gint64)philia_proximity_negatives_get_n_pairs (negatives));
    }
  if (factors != NULL)
    {
      g_autofree PhiliaLinkpredResult **all = g_new (PhiliaLinkpredResult *,
                                                      heuristics->n_results + 1);
      g_autofree char *summary = NULL;

      memcpy (all, heuristics->results, sizeof (PhiliaLinkpredResult *) * heuristics->n_results);
      all[heuristics->n_results] = result;
      summary = philia_link_factors_summary (factors, all);
      cli_pad (_ ("factors"), 9);
      printf ("%s\n", summary);
    }
  if (opt_save)
    printf (_ ("%s: saved in evaluation %u\n"), argv[1], evaluation_id);
  return EXIT_OK;
}
