/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "philia-cli-private.h"
#include "philia-enums.h"

/* philia-cli train: node classification runs, one or many (splits x seeds). */

/* ----------------------------------------------------------------- train */

static gint64 opt_seed = 0;
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
static char *opt_random_split;
static int opt_num_splits = -1;   /* -1: not given */
static char *opt_splits;
static int opt_seeds = -1;
static char *opt_save_model;
static int opt_layers = -1;
static int opt_walks = -1;
static int opt_walk_length = -1;
static int opt_hop_samples = -1;
static int opt_pretrain_epochs = -1;
static int opt_batch_size = -1;

static GOptionEntry train_entries[] = {
  { "model", 'm', 0, G_OPTION_ARG_STRING, &opt_model, N_ ("Model id (listed above)"), "M" },
  { "split", 0, 0, G_OPTION_ARG_INT, &opt_split, N_ ("Split index (default 0)"), "K" },
  { "epochs", 0, 0, G_OPTION_ARG_INT, &opt_epochs,
    N_ ("Epochs (default: the model's recipe)"), "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, N_ ("Random seed (default 0)"), "S" },
  { "threads", 0, 0, G_OPTION_ARG_INT, &opt_threads, N_ ("Worker threads (default 1)"), "T" },
  { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &opt_lr, N_ ("Learning rate"), "X" },
  { "hidden", 0, 0, G_OPTION_ARG_INT, &opt_hidden,
    N_ ("Hidden width (per head for GAT; the model width for the transformer)"), "H" },
  { "dropout", 0, 0, G_OPTION_ARG_DOUBLE, &opt_dropout, N_ ("Dropout probability"), "P" },
  { "weight-decay", 0, 0, G_OPTION_ARG_DOUBLE, &opt_weight_decay, N_ ("L2 weight decay"), "W" },
  { "heads", 0, 0, G_OPTION_ARG_INT, &opt_heads, N_ ("GAT, transformer: attention heads"), "H" },
  { "k", 0, 0, G_OPTION_ARG_INT, &opt_k,
    N_ ("SGC, APPNP, GPR-GNN: propagation steps; H2GCN: rounds"), "K" },
  { "alpha", 0, 0, G_OPTION_ARG_DOUBLE, &opt_alpha,
    N_ ("APPNP, GPR-GNN: teleport probability"), "A" },
  { "layers", 0, 0, G_OPTION_ARG_INT, &opt_layers, N_ ("Transformer: encoder layers (default 2)"),
    "L" },
  { "walks", 0, 0, G_OPTION_ARG_INT, &opt_walks,
    N_ ("Transformer: random walks per node in its sequence (default 4)"), "N" },
  { "walk-length", 0, 0, G_OPTION_ARG_INT, &opt_walk_length,
    N_ ("Transformer: steps per walk (default 3)"), "N" },
  { "hop-samples", 0, 0, G_OPTION_ARG_INT, &opt_hop_samples,
    N_ ("Transformer: distinct neighbours sampled into the sequence (default 4)"), "N" },
  { "pretrain-epochs", 0, 0, G_OPTION_ARG_INT, &opt_pretrain_epochs,
    N_ ("Transformer: masked-node-modelling steps before training (default 0)"), "N" },
  { "batch-size", 0, 0, G_OPTION_ARG_INT, &opt_batch_size,
    N_ ("Transformer: training nodes per step, one step per epoch (default: all)"), "B" },
  { "no-normalize", 0, 0, G_OPTION_ARG_NONE, &opt_no_normalize,
    N_ ("Keep raw features (default: each row divided by its sum)"), NULL },
  { "predictions", 0, 0, G_OPTION_ARG_FILENAME, &opt_predictions,
    N_ ("Write id,label,prediction,correct,p0,p1,… at the best epoch"), "OUT.csv" },
  { "attention", 0, 0, G_OPTION_ARG_FILENAME, &opt_attention,
    N_ ("GAT, transformer: write layer,head,target,source,attention (self-loops have target = "
        "source)"),
    "OUT.csv" },
  { "random-split", 0, 0, G_OPTION_ARG_STRING, &opt_random_split,
    N_ ("Replace the file's splits by stratified random ones: fractions of each class to train "
        "and validate, the rest tests (e.g. 0.6,0.2); drawn from --seed"), "TRAIN,VAL" },
  { "num-splits", 0, 0, G_OPTION_ARG_INT, &opt_num_splits,
    N_ ("How many random splits --random-split makes (default 1)"), "K" },
  { "splits", 0, 0, G_OPTION_ARG_STRING, &opt_splits,
    N_ ("“all”: one run per split (all the file's, or the K random ones) instead of --split"),
    "all" },
  { "seeds", 0, 0, G_OPTION_ARG_INT, &opt_seeds,
    N_ ("Runs per split with seeds S, S+1, …, S+N−1 (S = --seed); with --splits all or --seeds, "
        "the output is the mean ± sample standard deviation (n − 1) over the runs, and each run"),
    "N" },
  { "save-model", 0, 0, G_OPTION_ARG_FILENAME, &opt_save_model,
    N_ ("Write the run's model (weights at the best epoch, recipe, input size, class names) "
        "for philia-cli predict and adapt"), "OUT.philia-model" },
  { "save", 0, 0, G_OPTION_ARG_NONE, &opt_save,
    N_ ("Project: add every run (predictions and weights kept) to it and save it; with "
        "--random-split the project's splits become the random ones"), NULL },
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
  g_autofree char *ids = cli_id_list ((const guint *)(gpointer)saved_run_ids->data,
                                      saved_run_ids->len);

  /* Translators: "PROJECT: saved runs 1, 2 and 4" */
  printf (ngettext ("%s: saved run %s\n", "%s: saved runs %s\n", saved_run_ids->len), project,
          ids);
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
  const char *nick = philia_enum_to_nick (PHILIA_TYPE_METRIC, metric);

  return nick != NULL ? nick : "accuracy";
}

static const char *
best_epoch_rule_name (PhiliaBestEpochRule rule)
{
  const char *nick = philia_enum_to_nick (PHILIA_TYPE_BEST_EPOCH_RULE, rule);

  return nick != NULL ? nick : "last_epoch";
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
  /* Pads by characters, not bytes, so translated labels line up too. */
  printf ("  %s%*s ", label, (int)MAX (0, 22 - (glong)g_utf8_strlen (label, -1)), "");
  if (k == 0)
    printf ("%s\n", _ ("undefined"));
  else if (k == 1)
    printf (_ ("%.4f (one run: no spread)\n"), mean);
  else
    printf ("%.4f ± %.4f (n = %u)\n", mean, std, k);
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
  cli_json_features (json);
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

      printf (_ ("split %u seed %" PRIu64 ": best epoch %u, test accuracy %.4f"),
              r->split, (guint64)r->seed, r->best_epoch, r->test_accuracy);
      if (auc)
        printf (_ (", test ROC-AUC %.4f"), r->test_roc_auc);
      printf (_ (" (majority %.4f)\n"), r->test_majority);
    }
  {
    g_autofree char *splits = g_strdup_printf (ngettext ("%u split", "%u splits", n_splits),
                                               n_splits);
    g_autofree char *seeds = g_strdup_printf (ngettext ("%u seed", "%u seeds", n_seeds), n_seeds);
    g_autofree char *n_runs = g_strdup_printf (ngettext ("%u run", "%u runs", runs->len),
                                               runs->len);

    /* Translators: "gcn over 10 splits × 1 seed (10 runs), mean ± …" */
    printf (_ ("%1$s over %2$s × %3$s (%4$s), mean ± sample standard deviation:\n"), model,
            splits, seeds, n_runs);
  }
  print_mean_std (_ ("test accuracy"), runs, G_STRUCT_OFFSET (PhiliaTrainResult, test_accuracy));
  print_mean_std (_ ("majority accuracy"), runs,
                  G_STRUCT_OFFSET (PhiliaTrainResult, test_majority));
  if (auc)
    print_mean_std (_ ("test ROC-AUC"), runs, G_STRUCT_OFFSET (PhiliaTrainResult, test_roc_auc));
}

static void
single_json (PhiliaTrainResult *r)
{
  g_autoptr(PhiliaJson) json = philia_json_new ();

  philia_json_begin_object (json);
  cli_json_features (json);
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
  if (g_str_equal (r->model, "transformer"))
    {
      philia_json_member_int (json, "heads", r->params.heads);
      philia_json_member_int (json, "layers", r->params.layers);
      philia_json_member_int (json, "walks", r->params.walks);
      philia_json_member_int (json, "walk_length", r->params.walk_length);
      philia_json_member_int (json, "hop_samples", r->params.hop_samples);
      philia_json_member_int (json, "pretrain_epochs", r->params.pretrain_epochs);
      philia_json_member_int (json, "batch_size", r->params.batch_size);
    }
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
  printf (_ ("%s on split %u (seed %" PRIu64 ", %u epochs): best epoch %u, "
             "accuracy train %.4f, val %.4f, test %.4f; %.3f ms/epoch, %.2f s\n"),
          r->model, r->split, (guint64)r->seed, r->n_epochs, r->best_epoch, r->train_accuracy,
          r->val_accuracy, r->test_accuracy, r->epoch_ms_median, r->seconds);
  printf (_ ("majority class %d (most frequent in training): accuracy val %.4f, test %.4f\n"),
          r->majority_class, r->val_majority, r->test_majority);
  if (r->metric == PHILIA_METRIC_ROC_AUC)
    printf (_ ("ROC-AUC (the metric of two-class data; best epoch by %s): train %.4f, val "
               "%.4f, test %.4f\n"), r->best_epoch_rule == PHILIA_BEST_BY_VAL_ROC_AUC
                                     ? _ ("validation ROC-AUC") : _ ("validation accuracy"),
            r->train_roc_auc, r->val_roc_auc, r->test_roc_auc);
  printf ("%s", _ ("test accuracy by local homophily:"));
  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    printf (" [%.1f,%.1f%s %.3f (%" G_GINT64_FORMAT ")", (double)b / 5, (b + 1.0) / 5,
            b == 4 ? "]" : ")", r->bin_accuracy[b], r->bin_count[b]);
  printf ("\n");
}

int
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
  /* The fixed paragraph is translated here: parse_options looks the whole
   * summary up again, which finds nothing for a string built at run time. */
  g_autofree char *summary = g_strdup_printf ("%s\n\n%s%s",
                                              _ ("Train a node-classification model (full "
                                                 "batch). Two-class datasets are scored by the "
                                                 "ROC-AUC of P(class 1), and the kept epoch has "
                                                 "the best validation ROC-AUC; every accuracy "
                                                 "comes with the majority-class baseline: the "
                                                 "share of the most frequent training class. "
                                                 "Given a project (.philia), it trains on the "
                                                 "project's splits, and --save keeps the runs in "
                                                 "it."),
                                              _ ("Models (--model):"), models);

  opt_split = G_MININT;   /* tells --split K from its default */
  if (!parse_options ("train", "FILE", summary, train_entries, &argc, &argv, 1, &code))
    return code;
  split_given = opt_split != G_MININT;
  if (!split_given)
    opt_split = 0;
  if (opt_model == NULL)
    return usage_error ("train", _ ("--model M is required"));
  if (opt_split < 0 || opt_threads < 1 || opt_threads > 64)
    return usage_error ("train", _ ("--split must be ≥ 0 and --threads between 1 and 64"));
  if (opt_dropout >= 1)
    return usage_error ("train", _ ("--dropout must be below 1"));
  if ((opt_layers != -1 && (opt_layers < 1 || opt_layers > 16))
      || (opt_walks != -1 && (opt_walks < 0 || opt_walks > 64))
      || (opt_walk_length != -1 && (opt_walk_length < 1 || opt_walk_length > 64))
      || (opt_hop_samples != -1 && (opt_hop_samples < 0 || opt_hop_samples > 255))
      || (opt_pretrain_epochs != -1 && (opt_pretrain_epochs < 0 || opt_pretrain_epochs > 100000))
      || (opt_batch_size != -1 && opt_batch_size < 1))
    return usage_error ("train", _ ("--layers takes 1 to 16, --walks 0 to 64, --walk-length 1 to "
                                    "64, --hop-samples 0 to 255, --pretrain-epochs 0 to 100000 and "
                                    "--batch-size at least 1"));
  if (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MODEL,
                              opt_model) == NULL)
    {
      g_autofree char *known = registry_ids (PHILIA_FAMILY_MODEL);
      g_autofree char *message = g_strdup_printf (_ ("unknown --model “%s” (registered: %s)"),
                                                  opt_model, known);

      return usage_error ("train", message);
    }
  if (opt_splits != NULL && !g_str_equal (opt_splits, "all"))
    return usage_error ("train", _ ("--splits takes “all” (use --split K for one split)"));
  if (opt_splits != NULL && split_given)
    return usage_error ("train", _ ("give --split K or --splits all, not both"));
  if (opt_seeds != -1 && (opt_seeds < 1 || opt_seeds > 1000))
    return usage_error ("train", _ ("--seeds must be between 1 and 1000"));
  if (opt_num_splits != -1 && opt_random_split == NULL)
    return usage_error ("train", _ ("--num-splits needs --random-split TRAIN,VAL"));
  if (opt_num_splits != -1 && (opt_num_splits < 1 || opt_num_splits > PHILIA_MAX_RANDOM_SPLITS))
    return usage_error ("train", _ ("--num-splits must be between 1 and 1000"));
  if (opt_random_split != NULL && !parse_fractions (opt_random_split, &train_fraction,
                                                    &val_fraction))
    {
      g_autofree char *message = g_strdup_printf (_ ("--random-split takes two fractions "
                                                     "TRAIN,VAL such as 0.6,0.2, not “%s”"),
                                                  opt_random_split);

      return usage_error ("train", message);
    }
  many = opt_splits != NULL || opt_seeds != -1;
  if (many && (opt_predictions != NULL || opt_attention != NULL))
    return usage_error ("train", _ ("--predictions and --attention write one run: leave out "
                                    "--splits all and --seeds"));
  if (many && opt_save_model != NULL)
    return usage_error ("train", _ ("--save-model saves one run's model: leave out --splits all "
                                    "and --seeds"));
  /* A model file records its input width, not the matrix: predict would feed
   * it the dataset's own features, a silent mismatch when the widths agree. */
  if (opt_save_model != NULL && opt_features != NULL)
    return usage_error ("train", _ ("--save-model cannot record the --features matrix: the "
                                    "saved model would be applied to the dataset's own "
                                    "features; leave out one of them"));
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
  params.layers = opt_layers;
  params.walks = opt_walks;
  params.walk_length = opt_walk_length;
  params.hop_samples = opt_hop_samples;
  params.pretrain_epochs = opt_pretrain_epochs;
  params.batch_size = opt_batch_size;

  first_split = opt_splits != NULL ? 0 : (guint)opt_split;
  n_splits = opt_splits != NULL ? philia_graph_get_n_splits (graph) : 1;
  n_seeds = opt_seeds > 0 ? (guint)opt_seeds : 1;
  if (n_splits == 0)
    n_splits = 1;   /* philia_train() says why a graph without splits cannot train */
  for (guint s = 0; s < n_splits; s++)
    for (guint k = 0; k < n_seeds; k++)
      {
        PhiliaTrainResult *r;

        params.split = first_split + s;
        params.seed = (guint64)opt_seed + k;
        params.n_threads = (guint)opt_threads;
        r = philia_train (graph, opt_model, &params, NULL, NULL, NULL, NULL, &error);
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
  if (opt_save_model != NULL)
    {
      g_autoptr(PhiliaSavedModel) saved = philia_saved_model_new_from_run (runs->pdata[0], graph,
                                                                           &error);

      if (saved == NULL || !philia_saved_model_save (saved, opt_save_model, &error))
        return fail (error);
    }
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
