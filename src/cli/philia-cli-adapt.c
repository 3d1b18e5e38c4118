/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "philia-cli-private.h"

/* philia-cli adapt: source-free adaptation of a saved model to a target graph. */

static char *opt_method;
static int opt_epochs = -1;
static gint64 opt_seed = 0;
static int opt_threads = 1;
static double opt_lr = -1;
static double opt_structure_weight = -1;
static int opt_negatives = 0;
static int opt_window = 0;
static char *opt_save_model;
static char *opt_predictions;
static char *opt_figure;

static GOptionEntry adapt_entries[] = {
  { "method", 0, 0, G_OPTION_ARG_STRING, &opt_method, N_ ("Adaptation method: soga (the default)"),
    "M" },
  { "epochs", 0, 0, G_OPTION_ARG_INT, &opt_epochs, N_ ("Adaptation epochs (default 100)"), "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed,
    N_ ("Seed of the sampled node pairs (default 0)"), "S" },
  { "threads", 0, 0, G_OPTION_ARG_INT, &opt_threads, N_ ("Worker threads (default 1)"), "T" },
  { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &opt_lr, N_ ("Adam's learning rate (default 0.001)"), "X" },
  { "structure-weight", 0, 0, G_OPTION_ARG_DOUBLE, &opt_structure_weight,
    N_ ("Weight of the structure-consistency term (default 1)"), "L" },
  { "negatives", 0, 0, G_OPTION_ARG_INT, &opt_negatives,
    N_ ("Negative pairs per positive pair (default 5)"), "K" },
  { "window", 0, 0, G_OPTION_ARG_INT, &opt_window,
    N_ ("Random-walk window: positive partners are 1 to W steps away (default 2)"), "W" },
  { "save-model", 0, 0, G_OPTION_ARG_FILENAME, &opt_save_model,
    N_ ("Write the adapted model"), "OUT.philia-model" },
  { "predictions", 0, 0, G_OPTION_ARG_FILENAME, &opt_predictions,
    N_ ("Write the adapted model's id,label,prediction,correct,p0,… on TARGET"), "OUT.csv" },
  { "figure", 0, 0, G_OPTION_ARG_FILENAME, &opt_figure,
    N_ ("Draw the curves and the before/after comparison (PNG, SVG or PDF, as the Adapt page)"),
    "OUT" },
  { NULL }
};

static void
json_curve (PhiliaJson   *json,
            const char   *key,
            const double *values,
            guint         n)
{
  philia_json_key (json, key);
  philia_json_begin_array (json);
  for (guint i = 0; i < n; i++)
    if (isnan (values[i]))
      philia_json_null (json);
    else
      philia_json_double (json, values[i]);
  philia_json_end_array (json);
}

static guint
n_changed (const PhiliaAdaptResult *r)
{
  guint changed = 0;

  for (guint i = 0; i < r->before->n_nodes; i++)
    changed += r->before->predictions[i] != r->after->predictions[i];
  return changed;
}

static void
json_counts (PhiliaJson   *json,
             const char   *key,
             const gint64 *counts,
             guint         n)
{
  philia_json_key (json, key);
  philia_json_begin_array (json);
  for (guint i = 0; i < n; i++)
    philia_json_int (json, counts[i]);
  philia_json_end_array (json);
}

/* The numbers of the Adapt page's comparison charts. */
static void
json_comparison (PhiliaJson                  *json,
                 const PhiliaAdaptComparison *c)
{
  philia_json_key (json, "comparison");
  philia_json_begin_object (json);
  philia_json_member_int (json, "changed_to_right", c->changed_right);
  philia_json_member_int (json, "changed_to_wrong", c->changed_wrong);
  /* McNemar's test on the changed labeled nodes, as the Adapt page words it. */
  if (c->n_labeled > 0)
    philia_json_member_bool (json, "significant_improvement",
                             philia_adapt_comparison_improved (c));
  philia_json_key (json, "class_distribution");
  philia_json_begin_object (json);
  json_counts (json, "source_only", c->before_counts, c->n_classes);
  json_counts (json, "adapted", c->after_counts, c->n_classes);
  json_counts (json, "true", c->true_counts, c->n_classes);
  philia_json_end_object (json);
  philia_json_key (json, "homophily_bins");
  philia_json_begin_array (json);
  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    {
      philia_json_begin_object (json);
      philia_json_member_double (json, "from", (double)b / PHILIA_TRAIN_HOMOPHILY_BINS);
      philia_json_member_double (json, "to", (b + 1.0) / PHILIA_TRAIN_HOMOPHILY_BINS);
      philia_json_member_int (json, "count", c->bin_count[b]);
      cli_json_nullable (json, "source_only_accuracy", c->before_bin_accuracy[b]);
      cli_json_nullable (json, "adapted_accuracy", c->after_bin_accuracy[b]);
      philia_json_end_object (json);
    }
  philia_json_end_array (json);
  philia_json_end_object (json);
}

typedef struct
{
  const PhiliaAdaptResult     *result;
  const PhiliaAdaptComparison *comparison;
  const char * const          *class_names;
  PhiliaRenderStyle            style;
} AdaptFigure;

static void
draw_adapt_figure (cairo_t *cr,
                   double   width,
                   double   height,
                   gpointer data)
{
  AdaptFigure *f = data;

  philia_adapt_figure_draw (cr, width, height, f->result, f->comparison, f->class_names,
                            &f->style);
}

int
cmd_adapt (int    argc,
           char **argv)
{
  g_autoptr(PhiliaSavedModel) model = NULL;
  g_autoptr(PhiliaGraph) target = NULL;
  g_autoptr(PhiliaAdaptResult) r = NULL;
  g_autoptr(PhiliaAdaptComparison) comparison = NULL;
  PhiliaAdaptParams params;
  GError *error = NULL;
  int code = EXIT_OK;

  if (!parse_options ("adapt", "MODEL TARGET",
                      N_ ("Adapt a saved model to a target graph without reading the target's "
                          "labels (SOGA: Mao et al., WSDM 2024): information maximisation (each "
                          "prediction confident, the predictions as a whole diverse) plus "
                          "structure consistency (nodes that co-occur on short random walks "
                          "predict alike). When TARGET has labels they only score the model "
                          "before and after."), adapt_entries, &argc, &argv, 2, &code))
    return code;
  if (opt_method != NULL && !g_str_equal (opt_method, "soga"))
    {
      g_autofree char *message = g_strdup_printf (_ ("unknown --method “%s” (known: soga)"),
                                                  opt_method);

      return usage_error ("adapt", message);
    }
  if (opt_threads < 1 || opt_threads > 64)
    return usage_error ("adapt", _ ("--threads must be between 1 and 64"));
  if (opt_epochs == 0 || opt_epochs < -1 || opt_epochs > 100000)
    return usage_error ("adapt", _ ("--epochs must be between 1 and 100000"));
  if (opt_negatives < 0 || opt_negatives > 256 || opt_window < 0 || opt_window > 64)
    return usage_error ("adapt", _ ("--negatives must be between 1 and 256 and --window "
                                    "between 1 and 64"));
  if (opt_lr != -1 && !(opt_lr > 0 && isfinite (opt_lr)))
    return usage_error ("adapt", _ ("--lr must be a positive number"));
  if (opt_structure_weight != -1 && !(opt_structure_weight >= 0
                                      && isfinite (opt_structure_weight)))
    return usage_error ("adapt", _ ("--structure-weight must be a number ≥ 0"));

  model = philia_saved_model_load (argv[1], &error);
  if (model == NULL)
    return fail (error);
  target = load_dataset (argv[2], &error);
  if (target == NULL)
    return fail (error);
  philia_adapt_params_init (&params);
  params.epochs = opt_epochs;
  params.lr = opt_lr;
  params.structure_weight = opt_structure_weight;
  params.negatives = (guint)opt_negatives;
  params.window = (guint)opt_window;
  r = philia_adapt (model, target, &params, (guint64)opt_seed, (guint)opt_threads, NULL, NULL,
                    NULL, NULL, &error);
  if (r == NULL)
    return fail (error);
  if (opt_save_model != NULL && !philia_saved_model_save (r->adapted, opt_save_model, &error))
    return fail (error);
  comparison = philia_adapt_comparison_new (target, r->before->predictions,
                                            r->after->predictions, r->before->n_classes);
  if (opt_figure != NULL)
    {
      AdaptFigure figure = { r, comparison, (const char * const *)model->class_names };

      philia_render_style_init_default (&figure.style);
      if (!philia_figure_export (opt_figure, 720, 640, 144, draw_adapt_figure, &figure, &error))
        return fail (error);
    }
  if (opt_predictions != NULL)
    {
      g_autofree char *csv = philia_prediction_csv (r->after, target);

      if (!g_file_set_contents (opt_predictions, csv, -1, &error))
        return fail (error);
    }

  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_string (json, "method", "soga");
      cli_saved_model_json (json, model);
      philia_json_member_int (json, "seed", opt_seed);
      philia_json_member_int (json, "epochs", r->n_epochs);
      philia_json_member_double (json, "lr", r->params.lr);
      philia_json_member_double (json, "weight_decay", r->params.weight_decay);
      philia_json_member_double (json, "structure_weight", r->params.structure_weight);
      philia_json_member_int (json, "negatives", r->params.negatives);
      philia_json_member_int (json, "window", r->params.window);
      philia_json_member_int (json, "n_nodes", r->before->n_nodes);
      philia_json_member_int (json, "n_labeled", r->before->n_labeled);
      cli_json_nullable (json, "source_only_accuracy", r->before->accuracy);
      cli_json_nullable (json, "adapted_accuracy", r->after->accuracy);
      if (r->before->n_classes == 2)
        {
          cli_json_nullable (json, "source_only_roc_auc", r->before->roc_auc);
          cli_json_nullable (json, "adapted_roc_auc", r->after->roc_auc);
        }
      cli_json_nullable (json, "majority_accuracy", r->before->majority_accuracy);
      philia_json_member_int (json, "changed_predictions", n_changed (r));
      json_comparison (json, comparison);
      philia_json_member_bool (json, "labels_used_for_adaptation", FALSE);
      json_curve (json, "loss", r->loss, r->n_epochs);
      json_curve (json, "information_maximisation", r->im_loss, r->n_epochs);
      json_curve (json, "structure_consistency", r->structure_loss, r->n_epochs);
      /* Scored for display only; the adaptation never read these labels. */
      json_curve (json, "target_accuracy_not_used", r->accuracy_curve, r->n_epochs);
      philia_json_member_double (json, "epoch_ms_median", r->epoch_ms_median);
      philia_json_member_double (json, "seconds", r->seconds);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
      return EXIT_OK;
    }
  /* Translators: the figures are the target file, epochs, seed, first and
   * last loss, milliseconds per epoch and the number of changed predictions */
  printf (_ ("SOGA on %s, %u epochs (seed %" PRId64 "): loss %.4f → %.4f, "
             "%.3f ms/epoch, %u predictions changed\n"), philia_graph_get_source (target),
          r->n_epochs, opt_seed, r->loss[0], r->loss[r->n_epochs - 1], r->epoch_ms_median,
          n_changed (r));
  if (r->before->n_labeled > 0)
    {
      printf (_ ("target accuracy (labels used only to score): source-only %.4f, adapted "
                 "%.4f (majority %.4f)\n"), r->before->accuracy, r->after->accuracy,
              r->before->majority_accuracy);
      if (r->after->accuracy <= r->before->accuracy)
        printf ("%s\n", _ ("adaptation did not improve the accuracy on this target"));
    }
  else
    printf ("%s\n", _ ("the target has no labels: nothing to score"));
  return EXIT_OK;
}
