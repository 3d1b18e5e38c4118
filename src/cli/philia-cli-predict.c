/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <inttypes.h>
#include <stdio.h>

#include "philia-cli-private.h"

/* philia-cli predict: apply a saved model to a graph, no training. */

static char *opt_predictions;
static int opt_threads = 1;

static GOptionEntry predict_entries[] = {
  { "predictions", 0, 0, G_OPTION_ARG_FILENAME, &opt_predictions,
    N_ ("Write id,label,prediction,correct,p0,p1,… (as train --predictions does)"), "OUT.csv" },
  { "threads", 0, 0, G_OPTION_ARG_INT, &opt_threads, N_ ("Worker threads (default 1)"), "T" },
  { NULL }
};

void
cli_json_nullable (PhiliaJson *json,
                   const char *key,
                   double      value)
{
  philia_json_key (json, key);
  if (isnan (value))
    philia_json_null (json);
  else
    philia_json_double (json, value);
}

void
cli_saved_model_json (PhiliaJson             *json,
                      const PhiliaSavedModel *model)
{
  philia_json_member_string (json, "model", model->model);
  if (model->source != NULL)
    philia_json_member_string (json, "trained_on", model->source);
  if (model->adapted_from != NULL)
    philia_json_member_string (json, "adapted_by", model->adapted_from);
  philia_json_member_int (json, "n_features", model->n_features);
  philia_json_member_int (json, "n_classes", model->n_classes);
}

int
cmd_predict (int    argc,
             char **argv)
{
  g_autoptr(PhiliaSavedModel) model = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaPrediction) prediction = NULL;
  GError *error = NULL;
  int code = EXIT_OK;

  if (!parse_options ("predict", "MODEL FILE",
                      N_ ("Apply a saved model (philia-cli train --save-model) to a graph without "
                          "training. When FILE has labels, every labeled node is scored: accuracy, "
                          "ROC-AUC of P(class 1) for two classes, and the majority baseline (the "
                          "share of FILE's most frequent label)."),
                      predict_entries, &argc, &argv, 2, &code))
    return code;
  if (opt_threads < 1 || opt_threads > 64)
    return usage_error ("predict", _ ("--threads must be between 1 and 64"));
  model = philia_saved_model_load (argv[1], &error);
  if (model == NULL)
    return fail (error);
  graph = load_dataset (argv[2], &error);
  if (graph == NULL)
    return fail (error);
  prediction = philia_saved_model_predict (model, graph, (guint)opt_threads, &error);
  if (prediction == NULL)
    return fail (error);
  if (opt_predictions != NULL)
    {
      g_autofree char *csv = philia_prediction_csv (prediction, graph);

      if (!g_file_set_contents (opt_predictions, csv, -1, &error))
        return fail (error);
    }
  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      cli_saved_model_json (json, model);
      philia_json_member_int (json, "n_nodes", prediction->n_nodes);
      philia_json_member_int (json, "n_labeled", prediction->n_labeled);
      cli_json_nullable (json, "accuracy", prediction->accuracy);
      if (prediction->n_classes == 2)
        cli_json_nullable (json, "roc_auc", prediction->roc_auc);
      philia_json_member_int (json, "majority_class", prediction->majority_class);
      cli_json_nullable (json, "majority_accuracy", prediction->majority_accuracy);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
      return EXIT_OK;
    }
  /* Translators: "gcn model (trained on acm.npz) on dblp.npz: 5578 nodes" */
  printf (_ ("%s model (trained on %s) on %s: %u nodes"), model->model,
          model->source != NULL ? model->source : _ ("an unnamed graph"),
          philia_graph_get_source (graph), prediction->n_nodes);
  if (prediction->n_labeled == 0)
    printf ("%s\n", _ (", no labels to score"));
  else
    {
      printf (_ (", %" PRId64 " labeled: accuracy %.4f"), (gint64)prediction->n_labeled,
              prediction->accuracy);
      if (prediction->n_classes == 2)
        printf (", ROC-AUC %.4f", prediction->roc_auc);
      printf (_ (" (majority class %d: %.4f)\n"), prediction->majority_class,
              prediction->majority_accuracy);
    }
  return EXIT_OK;
}
