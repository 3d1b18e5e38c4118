/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-train-panel.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "philia-app-private.h"
#include "philia-chart-view.h"
#include "philia-file-chooser.h"
#include "philia-run-overlay.h"
#include "philia-split-dialog.h"
#include "philia-window.h"

/* Canvas layers this panel owns. */
#define LAYER_PREDICTION  "train-prediction"
#define LAYER_CORRECTNESS "train-correctness"
#define LAYER_SAME_LABEL  "train-same-label-attention"
#define LAYER_SELF        "train-self-attention"
#define LAYER_VALUE       "train-value-"

/* Neighbours drawn around a node in the attention grid. */
#define GRID_NEIGHBOURS 24
#define SHARE_BINS 10

typedef enum
{
  PARAM_EPOCHS,
  PARAM_LR,
  PARAM_WEIGHT_DECAY,
  PARAM_HIDDEN,
  PARAM_DROPOUT,
  PARAM_HEADS,
  PARAM_K,
  PARAM_ALPHA,
  PARAM_SEED,
  PARAM_THREADS,
  N_PARAMS
} Param;

static const struct
{
  const char *key;
  const char *label;
  const char *tooltip;
  double      lower, upper, step;
  guint       digits;
  gboolean    model_param;   /* filled from the model's recipe */
} param_info[N_PARAMS] = {
  [PARAM_EPOCHS] = { "epochs", N_("_Epochs"),
    N_("Full-batch training epochs; the model of the best-validation epoch is kept."),
    1, 100000, 10, 0, TRUE },
  [PARAM_LR] = { "lr", N_("_Learning rate"), N_("Adam’s step size."), 1e-5, 10, 1e-3, 4, TRUE },
  [PARAM_WEIGHT_DECAY] = { "weight-decay", N_("_Weight decay"),
    N_("L2 penalty added to the gradient of the decayed weights."), 0, 1, 1e-4, 5, TRUE },
  [PARAM_HIDDEN] = { "hidden", N_("H_idden units"),
    N_("Width of the hidden layer (per attention head for attention models)."), 1, 4096, 8, 0,
    TRUE },
  [PARAM_DROPOUT] = { "dropout", N_("_Dropout"),
    N_("Probability of dropping an input or hidden unit in training epochs."), 0, 0.99, 0.05, 2,
    TRUE },
  [PARAM_HEADS] = { "heads", N_("H_eads"), N_("Attention heads of the first layer."), 1, 64, 1, 0,
    TRUE },
  [PARAM_K] = { "k", N_("Propagation steps _K"),
    N_("How many times features are propagated over the normalised adjacency."), 1, 64, 1, 0,
    TRUE },
  [PARAM_ALPHA] = { "alpha", N_("Teleport _α"),
    N_("Restart probability of the personalised-PageRank propagation."), 0, 1, 0.05, 2, TRUE },
  [PARAM_SEED] = { "seed", N_("See_d"),
    N_("Seed of the initialisation and dropout: the same seed and threads give the same run."),
    0, G_MAXINT32, 1, 0, FALSE },
  [PARAM_THREADS] = { "threads", N_("T_hreads"),
    N_("Worker threads for the sparse and dense products; more than the cores slows the "
       "window."), 1, 64, 1, 0, FALSE },
};

/* The per-epoch curves a run has. */
typedef enum
{
  CURVE_LOSS,
  CURVE_VAL_LOSS,
  CURVE_TRAIN_ACC,
  CURVE_VAL_ACC,
  CURVE_TRAIN_AUC,
  CURVE_VAL_AUC,
  N_CURVES
} CurveKind;

typedef enum
{
  CHART_ACCURACY,
  CHART_ROC_AUC,
  CHART_LOSS,
} ChartKind;

/* A mean and a sample standard deviation over a group's runs, and how many
 * runs had the value. */
typedef struct
{
  double mean;
  double std;
  guint  n;
} Spread;

/* One entry of the history: a single run, or a group of runs over splits ×
 * seeds summarised by mean ± standard deviation. */
typedef struct
{
  PhiliaTrainResult *result;     /* the run; a group's first run (what the inspect views show) */
  GPtrArray         *members;    /* a group's runs (result is the first), else NULL */
  guint              n_splits;   /* a group's splits and seeds per split */
  guint              n_seeds;
  guint              n_points;   /* epochs on the curves */
  double            *mean[N_CURVES];  /* a group's per-epoch means and spreads; NULL if none */
  double            *std[N_CURVES];
  Spread             test_accuracy;
  Spread             test_roc_auc;
  Spread             test_majority;
  Spread             val_majority;
  double             seconds;
  PhiliaTrainResult  pooled;     /* a group's bins pooled over its runs (a shallow copy) */
  char              *title;      /* "GCN · split 0 · seed 0" */
  char              *name;       /* legend: "GCN #1" */
  char              *inspected;  /* what the canvas layers name: "GCN #1", "GCN #2, split 0, seed 0" */
  guint              color;      /* palette index, stable for the run's life */
  guint              id;
  GPtrArray         *doc_runs;   /* PhiliaDocumentRun*, with a document: they own the results */
} Run;

static void
run_free (Run *run)
{
  if (run->doc_runs != NULL)
    {
      /* The document's results: the runs hold them. */
      g_clear_pointer (&run->members, g_ptr_array_unref);
      run->result = NULL;
      g_ptr_array_unref (run->doc_runs);
    }
  if (run->members != NULL)
    g_ptr_array_unref (run->members);   /* owns result too */
  else
    g_clear_pointer (&run->result, philia_train_result_free);
  for (guint k = 0; k < N_CURVES; k++)
    {
      g_free (run->mean[k]);
      g_free (run->std[k]);
    }
  g_free (run->title);
  g_free (run->name);
  g_free (run->inspected);
  g_free (run);
}

/* Runs over splits × seeds in progress: one at a time, in split-major order. */
typedef struct
{
  char              *model;
  PhiliaTrainParams  params;
  guint64            first_seed;
  guint              threads;
  guint              n_splits;
  guint              n_seeds;
  guint              next;       /* index of the run in flight */
  GPtrArray         *done;       /* PhiliaTrainResult* */
} Group;

static void
group_free (Group *group)
{
  g_free (group->model);
  g_ptr_array_unref (group->done);
  g_free (group);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Group, group_free)

struct _PhiliaTrainPanel
{
  GtkWidget          parent_instance;

  /* Template widgets */
  GtkStack          *stack;
  GtkDropDown       *model_dropdown;
  GtkLabel          *model_description;
  GtkLabel          *split_label;
  GtkSpinButton     *split_spin;
  GtkLabel          *split_sizes;
  GtkGrid           *params_grid;
  GtkCheckButton    *many_check;
  GtkSpinButton     *seeds_spin;
  GtkWidget         *seeds_label;
  GtkButton         *train_button;
  GtkProgressBar    *progress_bar;
  GtkLabel          *status_label;
  GtkLabel          *message_label;
  PhiliaChartView   *accuracy_chart;
  PhiliaChartView   *roc_auc_chart;
  PhiliaChartView   *loss_chart;
  GtkListBox        *runs_list;
  GtkLabel          *runs_note;
  PhiliaChartView   *homophily_chart;
  GtkWidget         *canvas_box;
  GtkFlowBox        *color_box;
  GtkWidget         *attention_box;
  GtkDropDown       *layer_dropdown;
  GtkDropDown       *head_dropdown;
  GtkDropDown       *scale_dropdown;
  GtkDropDown       *direction_dropdown;
  PhiliaChartView   *share_chart;
  GtkLabel          *grid_note;
  PhiliaChartView   *grid_chart;

  /* Borrowed */
  GtkSpinButton     *spins[N_PARAMS];
  GtkWidget         *spin_labels[N_PARAMS];
  PhiliaCanvas      *canvas;          /* weak */
  PhiliaDocument    *document;        /* owned; its runs are the history */
  GPtrArray         *value_buttons;   /* node-values buttons in color_box */

  /* Owned */
  PhiliaGraph       *graph;
  GPtrArray         *model_ids;       /* char*, dropdown order */
  GPtrArray         *runs;            /* Run*, history order */
  Run               *current;         /* one of runs, or NULL */
  guint              next_run_id;
  guint              next_color;
  GCancellable      *cancellable;
  guint              serial;
  GtkFileChooserNative *csv_chooser;
  char              *csv_kind;
  GArray            *selection;       /* guint, the window's selection */

  /* The run in progress */
  char              *live_model;
  guint              live_color;
  guint              live_total;
  guint              live_best;
  GArray            *live_loss;
  GArray            *live_val_loss;
  GArray            *live_train;
  GArray            *live_val;
  GArray            *live_train_auc;
  GArray            *live_val_auc;
  Group             *group;           /* runs over splits × seeds in progress, or NULL */
  gint64             stop_time;       /* µs, when Stop was pressed; 0 */
  gint64             status_time;     /* µs, last live status text */

  /* Attention views of the current run */
  double            *share;           /* n, same-label share for the chosen layer/head */
  double             share_counts[SHARE_BINS];
  PhiliaAttentionGrid *grid;
  gboolean           edges_shown;
  gboolean           edges_in_document;  /* the shown edges are the document's overlay */
  gboolean           nodes_in_document;  /* an attention colouring was shown from here */

  guint              training : 1;
  guint              disposed : 1;
  guint              adding_group : 1;  /* a group's runs going into the document */
  gint               adopt_color;       /* colour of the run the document adds next, or -1 */
  GHashTable        *run_colors;        /* document run id → palette index, kept across undo */
};

G_DEFINE_FINAL_TYPE (PhiliaTrainPanel, philia_train_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_GRAPH,
  PROP_TRAINING,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CURRENT_RUN_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_current (PhiliaTrainPanel *self);
static void write_color_by (PhiliaTrainPanel *self,
                            const char       *overlay);
static Run *add_group_to_document (PhiliaTrainPanel *self,
                                   Group            *group);

/* ------------------------------------------------------------- helpers */

static const char *
model_name (const char *id)
{
  const PhiliaAlgorithm *a = philia_registry_lookup (philia_registry_get_default (),
                                                     PHILIA_FAMILY_MODEL, id);

  return a != NULL && a->name != NULL ? a->name : id;
}

static const char *
selected_model (PhiliaTrainPanel *self)
{
  guint i = gtk_drop_down_get_selected (self->model_dropdown);

  return i < self->model_ids->len ? g_ptr_array_index (self->model_ids, i) : NULL;
}

static void
set_message (PhiliaTrainPanel *self,
             const char       *message)
{
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static void
set_training (PhiliaTrainPanel *self,
              gboolean          training)
{
  gboolean splits = self->graph != NULL && philia_graph_get_n_splits (self->graph) > 0;

  self->training = !!training;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.stop", training);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.start",
                                 !training && splits && selected_model (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.make-splits",
                                 !training && self->graph != NULL
                                 && philia_graph_get_n_labeled (self->graph) > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->many_check), !training && splits);
  gtk_widget_set_sensitive (GTK_WIDGET (self->seeds_spin),
                            !training && splits && gtk_check_button_get_active (self->many_check));
  gtk_widget_set_sensitive (self->seeds_label, gtk_widget_get_sensitive (
                                                 GTK_WIDGET (self->seeds_spin)));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINING]);
}

static void
update_start_action (PhiliaTrainPanel *self)
{
  set_training (self, self->training);
}

/* --------------------------------------------------------------- charts */

/* "GCN" while the history holds one GCN run, "GCN #2" once there are more. */
static const char *
display_name (PhiliaTrainPanel *self,
              Run              *run)
{
  guint same = 0;

  for (guint i = 0; i < self->runs->len; i++)
    same += g_str_equal (((Run *) g_ptr_array_index (self->runs, i))->result->model,
                         run->result->model);
  return same > 1 ? run->name : model_name (run->result->model);
}

/* Curves of the selected runs plus the live one, in the panel's colours. */
static guint
collect_shown (PhiliaTrainPanel *self,
               Run            ***out)
{
  g_autoptr(GList) rows = gtk_list_box_get_selected_rows (self->runs_list);
  Run **shown = g_new0 (Run *, g_list_length (rows) + 1);
  guint n = 0;

  for (GList *l = rows; l != NULL; l = l->next)
    {
      Run *run = g_object_get_data (G_OBJECT (l->data), "run");

      if (run != NULL)
        shown[n++] = run;
    }
  *out = shown;
  return n;
}

static const double *
result_curve (const PhiliaTrainResult *r,
              CurveKind                kind)
{
  switch (kind)
    {
    case CURVE_LOSS:
      return r->loss;
    case CURVE_VAL_LOSS:
      return r->val_loss;
    case CURVE_TRAIN_ACC:
      return r->train_curve;
    case CURVE_VAL_ACC:
      return r->val_curve;
    case CURVE_TRAIN_AUC:
      return r->train_auc_curve;
    case CURVE_VAL_AUC:
      return r->val_auc_curve;
    case N_CURVES:
    default:
      return NULL;
    }
}

/* A run's curve of @kind (a group's per-epoch mean), with a group's standard
 * deviation in @spread; NULL when the run has no such curve. */
static const double *
run_curve (Run           *run,
           CurveKind      kind,
           const double **spread)
{
  *spread = run->members != NULL ? run->std[kind] : NULL;
  return run->members != NULL ? run->mean[kind] : result_curve (run->result, kind);
}

static GArray *
live_curve (PhiliaTrainPanel *self,
            CurveKind         kind)
{
  switch (kind)
    {
    case CURVE_LOSS:
      return self->live_loss;
    case CURVE_VAL_LOSS:
      return self->live_val_loss;
    case CURVE_TRAIN_ACC:
      return self->live_train;
    case CURVE_VAL_ACC:
      return self->live_val;
    case CURVE_TRAIN_AUC:
      return self->live_train_auc;
    case CURVE_VAL_AUC:
    case N_CURVES:
    default:
      return self->live_val_auc;
    }
}

/* The baseline of the current run: the validation accuracy of the majority
 * class on the accuracy chart, the 0.5 of a constant score on the ROC-AUC one. */
static double
chart_baseline (PhiliaTrainPanel *self,
                ChartKind         kind,
                const char      **label)
{
  *label = NULL;
  if (kind == CHART_ROC_AUC)
    {
      *label = _("chance (constant score)");
      return 0.5;
    }
  if (kind == CHART_ACCURACY && self->current != NULL)
    {
      *label = _("majority class (val)");
      return self->current->members != NULL ? self->current->val_majority.mean
                                            : self->current->result->val_majority;
    }
  return NAN;
}

static void
draw_curves (cairo_t                 *cr,
             double                   width,
             double                   height,
             const PhiliaRenderStyle *style,
             PhiliaTrainPanel        *self,
             ChartKind                kind)
{
  g_autofree Run **shown = NULL;
  g_autofree PhiliaCurve *curves = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  guint n_shown = collect_shown (self, &shown), n = 0, n_epochs = 0;
  gboolean loss = kind == CHART_LOSS;
  /* One convention in every chart (philia-train-figure.h): validation
   * solid, train dashed, for loss as for accuracy and ROC-AUC. */
  CurveKind solid = loss ? CURVE_VAL_LOSS : kind == CHART_ROC_AUC ? CURVE_VAL_AUC : CURVE_VAL_ACC;
  CurveKind dashed = loss ? CURVE_LOSS : kind == CHART_ROC_AUC ? CURVE_TRAIN_AUC : CURVE_TRAIN_ACC;
  PhiliaCurvesChart chart = { 0 };

  curves = g_new0 (PhiliaCurve, 2 * (n_shown + 1));
  for (guint i = 0; i <= n_shown; i++)
    {
      const char *name;
      const double *a, *b, *sa = NULL, *sb = NULL;
      guint len, best, color;
      gboolean group = FALSE;

      if (i < n_shown)
        {
          PhiliaTrainResult *r = shown[i]->result;

          group = shown[i]->members != NULL;
          name = group ? shown[i]->name : display_name (self, shown[i]);
          a = run_curve (shown[i], solid, &sa);
          b = run_curve (shown[i], dashed, &sb);
          len = shown[i]->n_points;
          /* Each run of a group has its own best epoch: none to mark. */
          best = group ? 0 : r->best_epoch;
          color = shown[i]->color;
          n_epochs = MAX (n_epochs, (guint) MAX (r->params.epochs, 0));
        }
      else if (self->live_model != NULL)
        {
          name = self->live_model;
          a = (double *) (gpointer) live_curve (self, solid)->data;
          b = (double *) (gpointer) live_curve (self, dashed)->data;
          len = live_curve (self, solid)->len;
          best = self->live_best;
          color = self->live_color;
          n_epochs = MAX (n_epochs, self->live_total);
        }
      else
        break;
      if (a == NULL || b == NULL || len == 0)
        continue;   /* no ROC-AUC: a run of a many-class dataset */

      /* Translators: legend entries: "GCN val", "GCN #2 val, mean ± sd" */
      g_ptr_array_add (labels, group ? g_strdup_printf (_("%s val, mean ± sd"), name)
                                     : g_strdup_printf (_("%s val"), name));
      curves[n++] = (PhiliaCurve) { g_ptr_array_index (labels, labels->len - 1), len, a, color,
                                    FALSE, loss ? 0 : best, sa };
      g_ptr_array_add (labels, group ? g_strdup_printf (_("%s train, mean ± sd"), name)
                                     : g_strdup_printf (_("%s train"), name));
      curves[n++] = (PhiliaCurve) { g_ptr_array_index (labels, labels->len - 1), len, b, color,
                                    TRUE, 0, sb };
    }

  chart.x_label = _("Epoch");
  chart.y_label = loss ? _("Loss") : kind == CHART_ROC_AUC ? _("ROC-AUC") : _("Accuracy");
  chart.log_y = loss;
  chart.legend_bottom = !loss;   /* accuracy climbs, loss falls: keep clear of both */
  chart.y_min = loss ? NAN : 0;
  chart.y_max = loss ? NAN : 1;
  chart.n_epochs = n_epochs;
  chart.n_curves = n;
  chart.curves = curves;
  chart.baseline = chart_baseline (self, kind, &chart.baseline_label);
  philia_curves_chart_draw (cr, width, height, &chart, style);
}

static void
draw_accuracy (cairo_t                 *cr,
               double                   width,
               double                   height,
               const PhiliaRenderStyle *style,
               gpointer                 user_data)
{
  draw_curves (cr, width, height, style, user_data, CHART_ACCURACY);
}

static void
draw_roc_auc (cairo_t                 *cr,
              double                   width,
              double                   height,
              const PhiliaRenderStyle *style,
              gpointer                 user_data)
{
  draw_curves (cr, width, height, style, user_data, CHART_ROC_AUC);
}

static void
draw_loss (cairo_t                 *cr,
           double                   width,
           double                   height,
           const PhiliaRenderStyle *style,
           gpointer                 user_data)
{
  draw_curves (cr, width, height, style, user_data, CHART_LOSS);
}

static void
draw_homophily (cairo_t                 *cr,
                double                   width,
                double                   height,
                const PhiliaRenderStyle *style,
                gpointer                 user_data)
{
  PhiliaTrainPanel *self = user_data;
  guint n = self->runs->len;
  g_autofree const PhiliaTrainResult **results = g_new0 (const PhiliaTrainResult *, n + 1);
  g_autofree const char **names = g_new0 (const char *, n + 1);
  g_autofree guint *colors = g_new0 (guint, n + 1);

  for (guint i = 0; i < n; i++)
    {
      Run *run = g_ptr_array_index (self->runs, i);

      /* A group shows the test nodes of all its runs pooled. */
      results[i] = run->members != NULL ? &run->pooled : run->result;
      names[i] = run->members != NULL ? run->name : display_name (self, run);
      colors[i] = run->color;
    }
  philia_accuracy_by_homophily_draw (cr, width, height, results, names, colors, n, style);
}

static void
draw_share (cairo_t                 *cr,
            double                   width,
            double                   height,
            const PhiliaRenderStyle *style,
            gpointer                 user_data)
{
  PhiliaTrainPanel *self = user_data;
  char labels[SHARE_BINS][16];
  const char *label_ptrs[SHARE_BINS];
  PhiliaBarChart chart = { 0 };

  for (guint b = 0; b < SHARE_BINS; b++)
    {
      g_snprintf (labels[b], sizeof labels[b], "%.1f", (double) b / SHARE_BINS);
      label_ptrs[b] = labels[b];
    }
  chart.title = _("Share of attention on same-label neighbours");
  chart.x_label = _("Share (bin start)");
  chart.y_label = _("Nodes");
  chart.n_bars = SHARE_BINS;
  chart.values = self->share_counts;
  chart.labels = label_ptrs;
  philia_bar_chart_draw (cr, width, height, &chart, style);
}

static void
draw_grid (cairo_t                 *cr,
           double                   width,
           double                   height,
           const PhiliaRenderStyle *style,
           gpointer                 user_data)
{
  PhiliaTrainPanel *self = user_data;

  if (self->grid == NULL)
    return;
  philia_attention_grid_set_style (self->grid, style);
  philia_attention_grid_draw (cr, width, height, self->grid);
}

static void
queue_curves (PhiliaTrainPanel *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->accuracy_chart));
  gtk_widget_queue_draw (GTK_WIDGET (self->roc_auc_chart));
  gtk_widget_queue_draw (GTK_WIDGET (self->loss_chart));
}

/* ----------------------------------------------------------- parameters */

static void
fill_defaults (PhiliaTrainPanel *self)
{
  const char *id = selected_model (self);
  const PhiliaAlgorithm *algorithm;
  PhiliaTrainParams p;
  gboolean needs_features = FALSE;
  double values[N_PARAMS];

  if (id == NULL || !philia_train_model_defaults (id, &p, &needs_features))
    return;

  values[PARAM_EPOCHS] = p.epochs;
  values[PARAM_LR] = p.lr;
  values[PARAM_WEIGHT_DECAY] = p.weight_decay;
  values[PARAM_HIDDEN] = p.hidden;
  values[PARAM_DROPOUT] = p.dropout;
  values[PARAM_HEADS] = p.heads;
  values[PARAM_K] = p.k;
  values[PARAM_ALPHA] = p.alpha;
  for (guint i = 0; i < N_PARAMS; i++)
    {
      gboolean used;
      g_autofree char *tooltip = NULL;

      if (!param_info[i].model_param)
        continue;
      /* A field the recipe leaves at "default" is one the model does not read. */
      used = values[i] >= 0;
      if (used)
        gtk_spin_button_set_value (self->spins[i], values[i]);
      gtk_widget_set_sensitive (GTK_WIDGET (self->spins[i]), used);
      gtk_widget_set_sensitive (self->spin_labels[i], used);
      /* Translators: appended to a hyperparameter's tooltip: "Not used by GCN." */
      tooltip = used ? g_strdup (_(param_info[i].tooltip))
                     : g_strdup_printf ("%s\n%s", _(param_info[i].tooltip),
                                        _("Not used by this model."));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->spins[i]), tooltip);
      gtk_widget_set_tooltip_text (self->spin_labels[i], tooltip);
    }

  algorithm = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MODEL, id);
  {
    g_autofree char *text = NULL;
    const char *description = algorithm->description != NULL ? algorithm->description : "";

    if (needs_features)
      /* Translators: appended to a model's description */
      text = g_strdup_printf ("%s %s", description, _("Needs node features."));
    else
      text = g_strdup (description);
    gtk_label_set_text (self->model_description, text);
    gtk_widget_set_visible (GTK_WIDGET (self->model_description), *text != '\0');
  }
}

static void
read_params (PhiliaTrainPanel  *self,
             PhiliaTrainParams *p,
             guint64           *seed,
             guint             *threads)
{
  philia_train_params_init (p);

#define VALUE(i) (gtk_widget_get_sensitive (GTK_WIDGET (self->spins[i])) \
                  ? gtk_spin_button_get_value (self->spins[i]) : -1)
  p->epochs = (int) VALUE (PARAM_EPOCHS);
  p->lr = VALUE (PARAM_LR);
  p->weight_decay = VALUE (PARAM_WEIGHT_DECAY);
  p->hidden = (int) VALUE (PARAM_HIDDEN);
  p->dropout = VALUE (PARAM_DROPOUT);
  p->heads = (int) VALUE (PARAM_HEADS);
  p->k = (int) VALUE (PARAM_K);
  p->alpha = VALUE (PARAM_ALPHA);
#undef VALUE
  *seed = (guint64) gtk_spin_button_get_value (self->spins[PARAM_SEED]);
  *threads = (guint) gtk_spin_button_get_value (self->spins[PARAM_THREADS]);
}

static void
build_params_grid (PhiliaTrainPanel *self)
{
  for (guint i = 0; i < N_PARAMS; i++)
    {
      GtkWidget *label = gtk_label_new_with_mnemonic (_(param_info[i].label));
      GtkAdjustment *adj = gtk_adjustment_new (0, param_info[i].lower, param_info[i].upper,
                                               param_info[i].step, param_info[i].step * 10, 0);
      GtkWidget *spin = gtk_spin_button_new (adj, param_info[i].step, param_info[i].digits);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      /* Wrapped, so that the side panel (as wide as its widest page) leaves
       * the canvas its room. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_tooltip_text (label, _(param_info[i].tooltip));
      gtk_widget_set_tooltip_text (spin, _(param_info[i].tooltip));
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
      gtk_editable_set_width_chars (GTK_EDITABLE (spin), 6);
      gtk_widget_set_name (spin, param_info[i].key);
      /* Two columns of label + spin keep the panel short. */
      gtk_grid_attach (self->params_grid, label, (i % 2) * 2, i / 2, 1, 1);
      gtk_grid_attach (self->params_grid, spin, (i % 2) * 2 + 1, i / 2, 1, 1);
      self->spins[i] = GTK_SPIN_BUTTON (spin);
      self->spin_labels[i] = label;
    }
  gtk_grid_set_column_spacing (self->params_grid, 8);
  gtk_spin_button_set_value (self->spins[PARAM_SEED], 0);
  gtk_spin_button_set_value (self->spins[PARAM_THREADS], 1);
}

static void
on_model_selected (GtkDropDown      *dropdown,
                   GParamSpec       *pspec,
                   PhiliaTrainPanel *self)
{
  fill_defaults (self);
  update_start_action (self);
}

static void
update_split (PhiliaTrainPanel *self)
{
  guint n_splits = self->graph != NULL ? philia_graph_get_n_splits (self->graph) : 0;
  gboolean any = n_splits > 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->split_spin), any);
  if (any)
    {
      gint64 train, val, test;
      guint split = (guint) gtk_spin_button_get_value (self->split_spin);
      g_autofree char *text = NULL;

      philia_graph_get_split_sizes (self->graph, MIN (split, n_splits - 1), &train, &val, &test);
      /* Translators: the sizes of a split: "140 / 500 / 1,000 (train/val/test)" */
      text = g_strdup_printf (_("%'" G_GINT64_FORMAT " / %'" G_GINT64_FORMAT " / %'"
                                G_GINT64_FORMAT " (train/val/test)"), train, val, test);
      gtk_label_set_text (self->split_sizes, text);
    }
  else
    gtk_label_set_text (self->split_sizes, _("no splits in this dataset"));
}

static void
on_split_changed (GtkSpinButton    *spin,
                  PhiliaTrainPanel *self)
{
  update_split (self);
}

/* ------------------------------------------------------------ run list */

/* "0.812" or "—" for an undefined value. */
static void
append_value (GString *text,
              double   value)
{
  if (isnan (value))
    g_string_append (text, "—");
  else
    g_string_append_printf (text, "%.3f", value);
}

/* "0.812 ± 0.015", "0.812 (one run)" or "—". */
static void
append_spread (GString      *text,
               const Spread *spread)
{
  append_value (text, spread->mean);
  if (spread->n >= 2)
    g_string_append_printf (text, " ± %.3f", spread->std);
  else if (spread->n == 1)
    g_string_append (text, _(" (one run)"));
}

/* The history row's second line: the metric, accuracy, the majority baseline;
 * a group's with its run count and time unless @bare. */
static char *
run_details (Run      *run,
             gboolean  bare)
{
  PhiliaTrainResult *r = run->result;
  gboolean auc = r->metric == PHILIA_METRIC_ROC_AUC;
  GString *text = g_string_new (NULL);

  if (run->members != NULL)
    {
      /* Translators: a group's summary: "test ROC-AUC 0.991 ± 0.030, accuracy …" */
      if (auc)
        {
          g_string_append (text, _("test ROC-AUC "));
          append_spread (text, &run->test_roc_auc);
          g_string_append (text, _(", accuracy "));
        }
      else
        g_string_append (text, _("test "));
      append_spread (text, &run->test_accuracy);
      g_string_append (text, _(" (majority "));
      append_spread (text, &run->test_majority);
      g_string_append_c (text, ')');
      if (!bare)
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " · %u run · %.1f s",
                                                   " · %u runs · %.1f s", run->members->len),
                                run->members->len, run->seconds);
      return g_string_free (text, FALSE);
    }

  switch (r->best_epoch_rule)
    {
    case PHILIA_BEST_BY_VAL_ROC_AUC:
      g_string_append (text, _("best val ROC-AUC "));
      append_value (text, r->val_roc_auc);
      break;
    case PHILIA_BEST_BY_VAL_ACCURACY:
      g_string_append (text, auc ? _("best val accuracy ") : _("best val "));
      append_value (text, r->val_accuracy);
      break;
    case PHILIA_BEST_BY_LAST_EPOCH:
    default:
      g_string_append (text, _("no validation nodes, last epoch"));
      break;
    }
  g_string_append_printf (text, _(" (epoch %u) · "), r->best_epoch);
  if (auc)
    {
      g_string_append (text, _("test ROC-AUC "));
      append_value (text, r->test_roc_auc);
      g_string_append (text, _(", accuracy "));
    }
  else
    g_string_append (text, _("test "));
  append_value (text, r->test_accuracy);
  g_string_append (text, _(" (majority "));
  append_value (text, r->test_majority);
  g_string_append_printf (text, _(") · %.1f s"), r->seconds);
  return g_string_free (text, FALSE);
}

static GtkWidget *
run_row_new (Run *run)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *swatch = gtk_label_new (NULL);
  GtkWidget *title = gtk_label_new (run->title);
  GtkWidget *details, *remove;
  g_autofree char *markup = NULL;
  g_autofree char *text = NULL;
  PhiliaRgba c;

  philia_palette_get_categorical (run->color, &c);
  markup = g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">■</span>",
                            (int) lround (c.r * 255), (int) lround (c.g * 255),
                            (int) lround (c.b * 255));
  gtk_label_set_markup (GTK_LABEL (swatch), markup);
  gtk_accessible_update_state (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);

  text = run_details (run, FALSE);
  details = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  /* Wrapped: the numbers are the point, none may be cut off. */
  gtk_label_set_wrap (GTK_LABEL (details), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (details), 40);
  gtk_widget_set_tooltip_text (details,
                               run->members != NULL
                               ? _("Mean ± sample standard deviation (n − 1) over the runs; the "
                                   "majority baseline is the test accuracy of always predicting "
                                   "the most frequent class of each run’s training nodes.")
                               : _("The majority baseline is the test accuracy of always "
                                   "predicting the most frequent class of the training nodes."));
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (details, "caption");
  gtk_widget_add_css_class (details, "numeric");
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), details);
  gtk_widget_set_hexpand (texts, TRUE);

  remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove Run"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "train.remove-run");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "u", run->id);

  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 4);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "run", run);
  return row;
}

static void
update_runs_note (PhiliaTrainPanel *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->runs_list), self->runs->len > 0);
  gtk_label_set_text (self->runs_note,
                      self->runs->len == 0
                      ? _("No runs yet. Train a model; Ctrl-click runs to compare their curves.")
                      : _("Ctrl-click runs to compare their curves; the first selected run "
                          "colours the canvas and fills the inspector."));
}

static void
on_runs_selection_changed (GtkListBox       *list,
                           PhiliaTrainPanel *self)
{
  /* Tearing the template down unselects rows too. */
  if (self->disposed)
    return;
  update_current (self);
  queue_curves (self);
}

static void
add_entry (PhiliaTrainPanel *self,
           Run              *run)
{
  GtkWidget *row;

  g_ptr_array_add (self->runs, run);

  row = run_row_new (run);
  gtk_list_box_append (self->runs_list, row);
  update_runs_note (self);
  /* The new run is the one to look at. */
  gtk_list_box_unselect_all (self->runs_list);
  gtk_list_box_select_row (self->runs_list, GTK_LIST_BOX_ROW (row));
  gtk_widget_queue_draw (GTK_WIDGET (self->homophily_chart));
}

static void add_run_named (PhiliaTrainPanel *self,
                           Run              *run);

static void
add_run (PhiliaTrainPanel  *self,
         PhiliaTrainResult *result)
{
  Run *run = g_new0 (Run, 1);

  run->result = result;
  run->n_points = result->n_epochs;
  run->id = ++self->next_run_id;
  run->color = self->live_color;
  add_run_named (self, run);
}

/* Names @run (a single run, its id set) and puts it in the history. */
static void
add_run_named (PhiliaTrainPanel *self,
               Run              *run)
{
  PhiliaTrainResult *result = run->result;

  run->name = g_strdup_printf ("%s #%u", model_name (result->model), run->id);
  run->inspected = g_strdup (run->name);
  /* Translators: a run's title: "GCN #2 · split 0 · seed 0" */
  run->title = g_strdup_printf (_("%s · split %u · seed %" G_GUINT64_FORMAT), run->name,
                                result->split, result->seed);
  add_entry (self, run);
}

static Spread
spread_of (GPtrArray *results,
           gsize      offset)
{
  g_autofree double *values = g_new (double, MAX (results->len, 1));
  Spread spread;

  for (guint i = 0; i < results->len; i++)
    values[i] = G_STRUCT_MEMBER (double, g_ptr_array_index (results, i), offset);
  spread.n = philia_mean_std (values, results->len, &spread.mean, &spread.std);
  return spread;
}

/* Takes the group's runs into one history entry: mean ± sample standard
 * deviation of the numbers and, per epoch, of the curves; the bins of
 * accuracy by local homophily pooled over every run's test nodes. */
static Run *
add_group (PhiliaTrainPanel *self,
           Group            *group,
           guint             id)
{
  Run *run = g_new0 (Run, 1);
  PhiliaTrainResult *first = g_ptr_array_index (group->done, 0);
  g_autofree double *column = g_new (double, group->done->len);

  run->members = g_ptr_array_ref (group->done);
  run->result = first;
  run->n_splits = group->n_splits;
  run->n_seeds = group->n_seeds;
  run->n_points = first->n_epochs;
  for (guint i = 0; i < run->members->len; i++)
    {
      PhiliaTrainResult *r = g_ptr_array_index (run->members, i);

      run->n_points = MIN (run->n_points, r->n_epochs);
      run->seconds += r->seconds;
    }
  for (guint k = 0; k < N_CURVES; k++)
    {
      if (result_curve (first, k) == NULL)
        continue;
      run->mean[k] = g_new (double, MAX (run->n_points, 1));
      run->std[k] = g_new (double, MAX (run->n_points, 1));
      for (guint e = 0; e < run->n_points; e++)
        {
          for (guint i = 0; i < run->members->len; i++)
            column[i] = result_curve (g_ptr_array_index (run->members, i), k)[e];
          philia_mean_std (column, run->members->len, &run->mean[k][e], &run->std[k][e]);
        }
    }
  run->test_accuracy = spread_of (run->members, G_STRUCT_OFFSET (PhiliaTrainResult,
                                                                 test_accuracy));
  run->test_roc_auc = spread_of (run->members, G_STRUCT_OFFSET (PhiliaTrainResult,
                                                                test_roc_auc));
  run->test_majority = spread_of (run->members, G_STRUCT_OFFSET (PhiliaTrainResult,
                                                                 test_majority));
  run->val_majority = spread_of (run->members, G_STRUCT_OFFSET (PhiliaTrainResult,
                                                                val_majority));
  run->pooled = *first;
  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    {
      gint64 count = 0, hits = 0;

      for (guint i = 0; i < run->members->len; i++)
        {
          PhiliaTrainResult *r = g_ptr_array_index (run->members, i);

          count += r->bin_count[b];
          if (r->bin_count[b] > 0)
            hits += llround (r->bin_accuracy[b] * r->bin_count[b]);
        }
      run->pooled.bin_count[b] = count;
      run->pooled.bin_accuracy[b] = count > 0 ? (double) hits / count : NAN;
    }

  run->id = id > 0 ? id : ++self->next_run_id;
  run->color = self->live_color;
  run->name = g_strdup_printf ("%s #%u", model_name (first->model), run->id);
  /* Translators: what the canvas shows of a group: "GCN #3, split 0, seed 0" */
  run->inspected = g_strdup_printf (_("%s, split %u, seed %" G_GUINT64_FORMAT), run->name,
                                    first->split, first->seed);
  /* Translators: a group's title: "GCN #3 · 10 splits × 10 seeds" */
  run->title = g_strdup_printf (_("%s · %u %s × %u %s"), run->name, run->n_splits,
                                g_dngettext (GETTEXT_PACKAGE, "split", "splits", run->n_splits),
                                run->n_seeds,
                                g_dngettext (GETTEXT_PACKAGE, "seed", "seeds", run->n_seeds));
  add_entry (self, run);
  return run;
}

static GtkListBoxRow *
row_for_run (PhiliaTrainPanel *self,
             Run              *run)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->runs_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && g_object_get_data (G_OBJECT (child), "run") == run)
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}

static void
remove_run (PhiliaTrainPanel *self,
            Run              *run)
{
  GtkListBoxRow *row = row_for_run (self, run);

  /* Unselected first: the inspector lets go of the run before it is freed. */
  if (row != NULL)
    gtk_list_box_unselect_row (self->runs_list, row);
  if (self->current == run)
    {
      self->current = NULL;
      g_signal_emit (self, signals[CURRENT_RUN_CHANGED], 0);
    }
  if (row != NULL)
    {
      g_object_set_data (G_OBJECT (row), "run", NULL);
      gtk_list_box_remove (self->runs_list, GTK_WIDGET (row));
    }
  g_ptr_array_remove (self->runs, run);
  update_runs_note (self);
  update_current (self);
  queue_curves (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->homophily_chart));
}

static void
clear_runs (PhiliaTrainPanel *self)
{
  self->current = NULL;
  g_signal_emit (self, signals[CURRENT_RUN_CHANGED], 0);
  while (self->runs->len > 0)
    remove_run (self, g_ptr_array_index (self->runs, self->runs->len - 1));
  /* A new dataset starts a new history: GCN #1 in the first colour. */
  self->next_run_id = 0;
  self->next_color = 0;
}

/* ------------------------------------------------------- inspect views */

static void
clear_attention_views (PhiliaTrainPanel *self)
{
  g_clear_pointer (&self->share, g_free);
  memset (self->share_counts, 0, sizeof self->share_counts);
  g_clear_pointer (&self->grid, philia_attention_grid_free);
  gtk_widget_set_visible (self->attention_box, FALSE);
}

static int
chosen_head (PhiliaTrainPanel *self)
{
  guint i = gtk_drop_down_get_selected (self->head_dropdown);

  /* Item 0 is "Mean over heads". */
  return i == 0 || i == GTK_INVALID_LIST_POSITION ? -1 : (int) i - 1;
}

static guint
chosen_layer (PhiliaTrainPanel *self)
{
  guint i = gtk_drop_down_get_selected (self->layer_dropdown);

  return i == GTK_INVALID_LIST_POSITION ? 0 : i;
}

/* Attention over uniform (α·(deg+1)) when chosen and meaningful: only a
 * softmax over each node's neighbours and itself has 1 / (deg + 1) as its
 * uniform value; signed coefficients (FAGCN's) are shown raw. */
static gboolean
chosen_relative (PhiliaTrainPanel *self)
{
  return gtk_drop_down_get_selected (self->scale_dropdown) == 0
         && gtk_widget_get_sensitive (GTK_WIDGET (self->scale_dropdown));
}

static gboolean
chosen_mean_direction (PhiliaTrainPanel *self)
{
  return gtk_drop_down_get_selected (self->direction_dropdown) == 1;
}

static char *
attention_title (PhiliaTrainPanel *self,
                 const char       *what)
{
  return philia_run_overlay_attention_title (what, chosen_layer (self), chosen_head (self));
}

static void
update_grid (PhiliaTrainPanel *self)
{
  gboolean one = self->selection->len == 1;

  g_clear_pointer (&self->grid, philia_attention_grid_free);
  if (self->current != NULL && self->graph != NULL && one)
    self->grid = philia_attention_grid_new (self->graph, self->current->result,
                                            g_array_index (self->selection, guint, 0),
                                            GRID_NEIGHBOURS, chosen_relative (self));
  gtk_widget_set_visible (GTK_WIDGET (self->grid_chart), self->grid != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->grid_note), self->grid == NULL);
  philia_chart_view_set_draw_func (self->grid_chart, self->grid != NULL ? draw_grid : NULL,
                                   self, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self->grid_chart));
}

static void write_view (PhiliaTrainPanel *self, const char *color_by, const char *edge_style,
                        const char *overlay);
static void write_color_by (PhiliaTrainPanel *self, const char *overlay);

static void
show_edges (PhiliaTrainPanel *self)
{
  PhiliaAttentionOverlay attention = { 0, chosen_layer (self), chosen_head (self),
                                       chosen_relative (self), chosen_mean_direction (self) };
  g_autofree double *values = NULL;
  g_autofree char *title = NULL;
  gboolean relative;
  double vmin, vmax;

  if (self->current == NULL || self->graph == NULL)
    return;
  /* A document run's attention is the document's overlay (saved with the
   * project, undoable): the canvas derives the edges from the run. */
  if (self->document != NULL && self->current->doc_runs != NULL)
    {
      g_autofree char *overlay = NULL;

      attention.run_id = ((PhiliaDocumentRun *) g_ptr_array_index (self->current->doc_runs,
                                                                   0))->id;
      overlay = philia_attention_overlay_format (&attention);
      write_view (self, NULL, "attention", overlay);
      self->edges_shown = self->edges_in_document = TRUE;
      return;
    }
  if (self->canvas == NULL)
    return;
  values = philia_run_overlay_attention_new (self->graph, self->current->result, &attention,
                                             &title, &relative, &vmin, &vmax);
  if (values == NULL)
    return;
  /* Shades of grey, so edges never read as classes; softmax attention
   * starts at 0, signed coefficients (FAGCN's, in [-1, 1]) keep their
   * negative end on the scale. */
  philia_canvas_set_edge_scale (self->canvas, PHILIA_EDGE_COLORMAP_GREYS, relative, 1.0,
                                relative ? _("1 = uniform") : NULL);
  philia_canvas_set_edge_values (self->canvas, title, values, vmin, vmax, TRUE);
  self->edges_shown = TRUE;
  self->edges_in_document = FALSE;
}

/* Colours the canvas by a document run's attention colouring @what (-1:
 * the one the view shows, if it is this run's), as chosen: a step. */
static void
show_attention_nodes (PhiliaTrainPanel *self,
                      int               what)
{
  guint id = ((PhiliaDocumentRun *) g_ptr_array_index (self->current->doc_runs, 0))->id;
  PhiliaAttentionOverlay attention = { id, chosen_layer (self), chosen_head (self),
                                       chosen_relative (self), FALSE };
  PhiliaAttentionOverlay shown;
  PhiliaAttentionNodes nodes;
  g_autofree char *overlay = NULL;

  if (what < 0)
    {
      if (!philia_attention_nodes_parse (philia_document_get_view (self->document)->color_by,
                                         &nodes, &shown)
          || shown.run_id != id)
        return;
      what = (int) nodes;
    }
  overlay = philia_attention_nodes_format ((PhiliaAttentionNodes) what, &attention);
  write_color_by (self, overlay);
  self->nodes_in_document = TRUE;
}

/* Layer/head-dependent views: share histogram, canvas layers, edges. */
static void
update_attention (PhiliaTrainPanel *self)
{
  PhiliaTrainResult *r = self->current != NULL ? self->current->result : NULL;
  g_autofree double *self_values = NULL;
  g_autofree double *edges = NULL;
  g_autofree char *share_title = NULL;
  g_autofree char *self_title = NULL;
  guint n;

  if (r == NULL || r->attention == NULL || r->attention->len == 0 || self->graph == NULL)
    return;

  {
    gboolean softmax = philia_train_result_attention_is_softmax (r, self->graph,
                                                                 chosen_layer (self));

    gtk_widget_set_sensitive (GTK_WIDGET (self->scale_dropdown), softmax);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->scale_dropdown),
                                 softmax ? _("Attention over what a uniform softmax over the "
                                             "node’s neighbours and itself would give, "
                                             "α·(deg+1): 1 is uniform, so the shade does not "
                                             "just follow degree. Or α itself.")
                                         : _("This layer’s coefficients are not a softmax over "
                                             "each node’s neighbours, so they have no uniform "
                                             "value: shown as they are."));
  }

  n = r->n_nodes;
  g_clear_pointer (&self->share, g_free);
  self->share = philia_train_result_same_label_attention (r, self->graph, chosen_layer (self),
                                                          chosen_head (self));
  memset (self->share_counts, 0, sizeof self->share_counts);
  for (guint v = 0; self->share != NULL && v < n; v++)
    if (!isnan (self->share[v]))
      self->share_counts[MIN ((guint) (self->share[v] * SHARE_BINS), SHARE_BINS - 1)]++;
  gtk_widget_queue_draw (GTK_WIDGET (self->share_chart));

  self_values = g_new (double, n);
  edges = philia_train_result_attention_values (r, self->graph, chosen_layer (self),
                                                chosen_head (self), self_values);
  /* A document run's attention colourings are the document's view (saved,
   * undoable), written when chosen (on_attention_choice()). */
  if ((self->document == NULL || self->current->doc_runs == NULL)
      && self->canvas != NULL && self->share != NULL && edges != NULL)
    {
      double self_max = 1;

      share_title = attention_title (self, _("Same-label share of attention"));
      /* Self attention over uniform too, or it mostly shows 1 / (deg + 1). */
      if (chosen_relative (self))
        {
          philia_attention_relative_to_uniform (self->graph, edges, self_values);
          self_max = 0;
          for (guint v = 0; v < n; v++)
            if (!isnan (self_values[v]))
              self_max = MAX (self_max, self_values[v]);
          self_title = attention_title (self, _("Self attention × uniform"));
        }
      else
        self_title = attention_title (self, _("Self attention"));
      philia_canvas_set_node_values (self->canvas, LAYER_SAME_LABEL, share_title, self->share,
                                     0, 1);
      philia_canvas_set_node_values (self->canvas, LAYER_SELF, self_title, self_values, 0,
                                     MAX (self_max, 1));
    }
  if (self->edges_shown)
    show_edges (self);
  /* The grid follows the scale. */
  update_grid (self);
}

static void
on_attention_choice (GtkDropDown      *dropdown,
                     GParamSpec       *pspec,
                     PhiliaTrainPanel *self)
{
  update_attention (self);
  /* The colouring shown from here follows the user's choice (not the
   * document's undo, which updates the views too). */
  if (self->nodes_in_document && self->current != NULL && self->current->doc_runs != NULL)
    show_attention_nodes (self, -1);
}

static void
remove_canvas_layers (PhiliaTrainPanel *self)
{
  if (self->canvas == NULL)
    return;
  philia_canvas_remove_node_layer (self->canvas, LAYER_PREDICTION);
  philia_canvas_remove_node_layer (self->canvas, LAYER_CORRECTNESS);
  philia_canvas_remove_node_layer (self->canvas, LAYER_SAME_LABEL);
  philia_canvas_remove_node_layer (self->canvas, LAYER_SELF);
  for (guint i = 0; i < self->value_buttons->len; i++)
    {
      const char *id = g_object_get_data (g_ptr_array_index (self->value_buttons, i), "layer");

      /* A document run's colourings are the canvas's own. */
      if (!philia_run_overlay_parse (id, NULL, NULL))
        philia_canvas_remove_node_layer (self->canvas, id);
    }
  /* The document's attention overlay stays until its view changes, as its
   * runs' colourings do. */
  if (self->edges_shown && !self->edges_in_document && self->graph != NULL)
    philia_canvas_set_edge_values (self->canvas, NULL, NULL, 0, 1, FALSE);
  self->edges_shown = self->edges_in_document = FALSE;
  self->nodes_in_document = FALSE;
}

static void
clear_value_buttons (PhiliaTrainPanel *self)
{
  for (guint i = 0; i < self->value_buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->value_buttons, i);

      gtk_flow_box_remove (self->color_box, gtk_widget_get_parent (button));
    }
  g_ptr_array_set_size (self->value_buttons, 0);
}

/* With a document: the buttons name the run's colourings by their ids; the
 * canvas derives them from the document's run. */
static void
set_document_layer_buttons (PhiliaTrainPanel *self)
{
  PhiliaTrainResult *r = self->current->result;
  guint id = ((PhiliaDocumentRun *) g_ptr_array_index (self->current->doc_runs, 0))->id;

  for (guint i = 0; r->node_values != NULL && i < r->node_values->len; i++)
    {
      const PhiliaNodeValues *nv = g_ptr_array_index (r->node_values, i);
      g_autofree char *layer = g_strdup_printf ("run:%u:value:%s", id, nv->name);
      GtkWidget *button = gtk_button_new_with_label (nv->name);

      gtk_widget_set_tooltip_text (button, _("Colour nodes by this value the model publishes"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "train.color-by");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", layer);
      g_object_set_data_full (G_OBJECT (button), "layer", g_steal_pointer (&layer), g_free);
      gtk_flow_box_append (self->color_box, button);
      g_ptr_array_add (self->value_buttons, button);
    }
}

static void
set_canvas_layers (PhiliaTrainPanel *self)
{
  PhiliaTrainResult *r = self->current->result;
  guint n = r->n_nodes, c = r->n_classes;
  const gint32 *y = philia_graph_get_labels (self->graph);
  const guint8 *test = philia_graph_get_split_mask (self->graph, r->split, PHILIA_SPLIT_TEST);
  g_autofree gint32 *correct = g_new (gint32, n);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *prediction_title = NULL;
  g_autofree char *correct_title = NULL;
  /* Okabe–Ito bluish green, vermillion, and a neutral grey. */
  static const double correct_colors[9] = { 0.0, 0.62, 0.45, 0.84, 0.37, 0.0, 0.72, 0.72, 0.72 };
  const char *correct_names[3] = { _("correct"), _("wrong"), _("not in the test set") };

  for (guint k = 0; k < c; k++)
    {
      const char *name = philia_graph_get_class_name (self->graph, k);

      /* Translators: a class without a name in the data */
      g_ptr_array_add (names, name != NULL ? g_strdup (name) : g_strdup_printf (_("class %u"), k));
    }
  g_ptr_array_add (names, NULL);
  for (guint v = 0; v < n; v++)
    correct[v] = y[v] < 0 ? -1 : test == NULL || !test[v] ? 2 : y[v] == r->predictions[v] ? 0 : 1;

  /* Translators: canvas colouring by a run, "Prediction (GCN #1)" */
  prediction_title = g_strdup_printf (_("Prediction (%s)"), self->current->inspected);
  correct_title = g_strdup_printf (_("Correct on test (%s)"), self->current->inspected);
  philia_canvas_set_node_categories (self->canvas, LAYER_PREDICTION, prediction_title,
                                     r->predictions, (const char * const *) names->pdata, NULL, c);
  philia_canvas_set_node_categories (self->canvas, LAYER_CORRECTNESS, correct_title, correct,
                                     correct_names, correct_colors, 3);

  for (guint i = 0; r->node_values != NULL && i < r->node_values->len; i++)
    {
      const PhiliaNodeValues *nv = g_ptr_array_index (r->node_values, i);
      g_autofree char *id = g_strconcat (LAYER_VALUE, nv->name, NULL);
      g_autofree char *title = g_strdup_printf ("%s (%s)", nv->name, self->current->inspected);
      double lo = INFINITY, hi = -INFINITY;
      GtkWidget *button;

      for (guint v = 0; v < n; v++)
        if (isfinite (nv->values[v]))
          {
            lo = MIN (lo, nv->values[v]);
            hi = MAX (hi, nv->values[v]);
          }
      if (!isfinite (lo))
        lo = 0, hi = 1;
      philia_canvas_set_node_values (self->canvas, id, title, nv->values, lo,
                                     hi > lo ? hi : lo + 1);
      button = gtk_button_new_with_label (nv->name);
      gtk_widget_set_tooltip_text (button, _("Colour nodes by this value the model publishes"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "train.color-by");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
      g_object_set_data_full (G_OBJECT (button), "layer", g_strdup (id), g_free);
      gtk_flow_box_append (self->color_box, button);
      g_ptr_array_add (self->value_buttons, button);
    }
}

static void
fill_attention_choosers (PhiliaTrainPanel *self)
{
  PhiliaTrainResult *r = self->current->result;
  g_autoptr(GtkStringList) layers = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) heads = gtk_string_list_new (NULL);
  guint max_heads = 0;

  for (guint l = 0; l < r->attention->len; l++)
    {
      const PhiliaAttention *a = &g_array_index (r->attention, PhiliaAttention, l);
      /* Translators: an item of the attention layer chooser */
      g_autofree char *text = g_strdup_printf (_("Layer %u"), a->layer);

      gtk_string_list_append (layers, text);
      max_heads = MAX (max_heads, a->heads);
    }
  gtk_string_list_append (heads, _("Mean over heads"));
  for (guint h = 0; h < max_heads; h++)
    {
      /* Translators: an item of the attention head chooser */
      g_autofree char *text = g_strdup_printf (_("Head %u"), h);

      gtk_string_list_append (heads, text);
    }
  g_signal_handlers_block_by_func (self->layer_dropdown, on_attention_choice, self);
  g_signal_handlers_block_by_func (self->head_dropdown, on_attention_choice, self);
  gtk_drop_down_set_model (self->layer_dropdown, G_LIST_MODEL (layers));
  gtk_drop_down_set_model (self->head_dropdown, G_LIST_MODEL (heads));
  gtk_drop_down_set_selected (self->layer_dropdown, 0);
  gtk_drop_down_set_selected (self->head_dropdown, 0);
  g_signal_handlers_unblock_by_func (self->layer_dropdown, on_attention_choice, self);
  g_signal_handlers_unblock_by_func (self->head_dropdown, on_attention_choice, self);
}

/* The current run is the first selected one; everything that shows "the run"
 * follows it. */
static void
update_current (PhiliaTrainPanel *self)
{
  g_autoptr(GList) rows = gtk_list_box_get_selected_rows (self->runs_list);
  GtkListBoxRow *row = NULL;
  Run *run;
  gboolean has_attention;

  for (GList *l = rows; l != NULL; l = l->next)
    if (row == NULL || gtk_list_box_row_get_index (l->data) < gtk_list_box_row_get_index (row))
      row = l->data;
  run = row != NULL ? g_object_get_data (G_OBJECT (row), "run") : NULL;

  if (run == self->current)
    return;

  remove_canvas_layers (self);
  clear_value_buttons (self);
  clear_attention_views (self);
  self->current = run;
  g_signal_emit (self, signals[CURRENT_RUN_CHANGED], 0);

  gtk_widget_set_sensitive (self->canvas_box,
                            run != NULL && (self->canvas != NULL || self->document != NULL));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.export-csv", run != NULL);
  if (run == NULL || self->graph == NULL)
    {
      update_grid (self);
      return;
    }

  if (self->document != NULL && run->doc_runs != NULL)
    set_document_layer_buttons (self);
  else if (self->canvas != NULL)
    set_canvas_layers (self);
  has_attention = run->result->attention != NULL && run->result->attention->len > 0;
  gtk_widget_set_visible (self->attention_box, has_attention);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.edges-by-attention", has_attention);
  if (has_attention)
    {
      fill_attention_choosers (self);
      update_attention (self);
    }
  update_grid (self);
}

/* --------------------------------------------------------------- train */

typedef struct
{
  PhiliaTrainPanel *self;
  guint             serial;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->self);
  g_free (request);
}

static void
reset_live (PhiliaTrainPanel *self)
{
  g_clear_pointer (&self->live_model, g_free);
  g_array_set_size (self->live_loss, 0);
  g_array_set_size (self->live_val_loss, 0);
  g_array_set_size (self->live_train, 0);
  g_array_set_size (self->live_val, 0);
  g_array_set_size (self->live_train_auc, 0);
  g_array_set_size (self->live_val_auc, 0);
  self->live_best = 0;
  self->live_total = 0;
}

static guint
group_total (const Group *group)
{
  return group->n_splits * group->n_seeds;
}

static void
on_epochs (const PhiliaTrainEpoch *epochs,
           guint                   n_epochs,
           gpointer                user_data)
{
  Request *request = user_data;
  PhiliaTrainPanel *self = request->self;
  const PhiliaTrainEpoch *last = &epochs[n_epochs - 1];
  /* Validation ROC-AUC when it is defined (two classes, both among the
   * validation nodes), which is then what picks the kept epoch. */
  gboolean auc = !isnan (last->val_roc_auc);
  double fraction = (double) last->epoch / last->n_epochs;
  g_autoptr(GString) text = g_string_new (NULL);

  if (request->serial != self->serial)
    return;   /* a stopped or replaced run */

  for (guint i = 0; i < n_epochs; i++)
    {
      g_array_append_val (self->live_loss, epochs[i].loss);
      g_array_append_val (self->live_val_loss, epochs[i].val_loss);
      g_array_append_val (self->live_train, epochs[i].train_accuracy);
      g_array_append_val (self->live_val, epochs[i].val_accuracy);
      g_array_append_val (self->live_train_auc, epochs[i].train_roc_auc);
      g_array_append_val (self->live_val_auc, epochs[i].val_roc_auc);
    }
  self->live_best = last->best_epoch;
  self->live_total = last->n_epochs;
  if (self->group != NULL)
    fraction = (self->group->next + fraction) / group_total (self->group);
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  queue_curves (self);

  /* New text re-lays the whole scrolled panel out: some 15 times a second
   * keeps up with the curves without a relayout in every frame. */
  if (g_get_monotonic_time () - self->status_time < 60000 && last->epoch < last->n_epochs)
    return;
  self->status_time = g_get_monotonic_time ();
  if (self->group != NULL)
    /* Translators: live status of runs over splits × seeds: "Run 3 of 30 (split 0, seed 2) · " */
    g_string_append_printf (text, _("Run %u of %u (split %u, seed %" G_GUINT64_FORMAT ") · "),
                            self->group->next + 1, group_total (self->group),
                            self->group->next / self->group->n_seeds,
                            self->group->first_seed + self->group->next % self->group->n_seeds);
  if (auc)
    /* Translators: live status, "Epoch 37 of 200 · loss 0.5312 · val ROC-AUC 0.774 (best at 35)" */
    g_string_append_printf (text, _("Epoch %u of %u · loss %.4f · val ROC-AUC %.3f (best at %u) "
                                    "· %.1f ms/epoch"), last->epoch, last->n_epochs, last->loss,
                            last->val_roc_auc, last->best_epoch, last->epoch_ms);
  else
    /* Translators: live status, "Epoch 37 of 200 · loss 0.5312 · val 0.774 (best at 35)" */
    g_string_append_printf (text, _("Epoch %u of %u · loss %.4f · val %.3f (best at %u) · "
                                    "%.1f ms/epoch"), last->epoch, last->n_epochs, last->loss,
                            last->val_accuracy, last->best_epoch, last->epoch_ms);
  gtk_label_set_text (self->status_label, text->str);
}

static void train_done_cb (GObject      *object,
                           GAsyncResult *async_result,
                           gpointer      user_data);

/* Starts one run (the group's next one while a group is in progress). */
static void
launch (PhiliaTrainPanel        *self,
        const char              *model,
        const PhiliaTrainParams *params,
        guint                    split,
        guint64                  seed,
        guint                    threads)
{
  Request *epochs_request, *done_request;

  self->serial++;
  reset_live (self);
  if (self->group != NULL)
    /* Translators: the live curves' legend name: "GCN run 3 of 30" */
    self->live_model = g_strdup_printf (_("%s run %u of %u"), model_name (model),
                                        self->group->next + 1, group_total (self->group));
  else
    self->live_model = g_strdup (model_name (model));
  self->live_total = params->epochs > 0 ? (guint) params->epochs : 0;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->status_time = 0;

  epochs_request = g_new0 (Request, 1);
  epochs_request->self = g_object_ref (self);
  epochs_request->serial = self->serial;
  done_request = g_new0 (Request, 1);
  done_request->self = g_object_ref (self);
  done_request->serial = self->serial;
  philia_train_async (self->graph, model, params, split, seed, threads, self->cancellable,
                      on_epochs, epochs_request, (GDestroyNotify) request_free,
                      train_done_cb, done_request);
  queue_curves (self);
}

static void
launch_group_run (PhiliaTrainPanel *self)
{
  Group *group = self->group;

  launch (self, group->model, &group->params, group->next / group->n_seeds,
          group->first_seed + group->next % group->n_seeds, group->threads);
}

/* "GCN, 10 splits × 10 seeds (100 runs), mean ± sample standard deviation: …" */
static char *
group_status (Run *run)
{
  g_autofree char *details = run_details (run, TRUE);

  /* Translators: after runs over splits × seeds; the summary follows the colon */
  return g_strdup_printf (_("%s, %u splits × %u seeds (%u runs), mean ± sample standard "
                            "deviation: %s."), model_name (run->result->model), run->n_splits,
                          run->n_seeds, run->members->len, details);
}

static void
train_done_cb (GObject      *object,
               GAsyncResult *async_result,
               gpointer      user_data)
{
  Request *request = user_data;
  PhiliaTrainPanel *self = request->self;
  g_autoptr(GError) error = NULL;
  PhiliaTrainResult *result;
  gboolean stale = request->serial != self->serial;
  g_autoptr(Group) group = NULL;

  result = philia_train_finish (async_result, &error);
  if (stale)
    {
      g_clear_pointer (&result, philia_train_result_free);
      request_free (request);
      return;
    }

  if (result != NULL && self->group != NULL)
    {
      g_ptr_array_add (self->group->done, g_steal_pointer (&result));
      if (++self->group->next < group_total (self->group))
        {
          launch_group_run (self);
          request_free (request);
          return;
        }
    }
  /* The group, if any, is over: finished, stopped or failed. */
  group = g_steal_pointer (&self->group);

  g_clear_object (&self->cancellable);
  set_training (self, FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 result != NULL || (group != NULL && error == NULL) ? 1.0 : 0.0);

  if (group != NULL && error == NULL)
    {
      Run *run;
      g_autofree char *text = NULL;

      reset_live (self);
      if (self->document != NULL)
        run = add_group_to_document (self, group);
      else
        run = add_group (self, group, 0);
      text = group_status (run);
      gtk_label_set_text (self->status_label, text);
    }
  else if (result != NULL)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      /* Translators: after a run, "GCN: test ROC-AUC 0.957, accuracy 0.815 (majority 0.815)
       * at the best-validation epoch 35 (…)" */
      if (result->metric == PHILIA_METRIC_ROC_AUC)
        g_string_append_printf (text, _("%s: test ROC-AUC %.3f, accuracy %.3f (majority %.3f)"),
                                model_name (result->model), result->test_roc_auc,
                                result->test_accuracy, result->test_majority);
      else
        g_string_append_printf (text, _("%s: test accuracy %.3f (majority %.3f)"),
                                model_name (result->model), result->test_accuracy,
                                result->test_majority);
      g_string_append_printf (text, _(" at the best-validation epoch %u (%.1f s, median %.1f "
                                      "ms/epoch)."), result->best_epoch, result->seconds,
                              result->epoch_ms_median);
      gtk_label_set_text (self->status_label, text->str);
      reset_live (self);
      if (self->document != NULL)
        {
          /* The document's "changed" puts it in the history, in the live colour. */
          self->adopt_color = (gint) self->live_color;
          philia_document_add_run (self->document, result);
          self->adopt_color = -1;
        }
      else
        add_run (self, result);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = NULL;
      double ms = self->stop_time > 0 ? (g_get_monotonic_time () - self->stop_time) / 1000.0 : 0;

      if (group != NULL)
        /* Translators: after Stop during runs over splits × seeds */
        text = g_strdup_printf (_("Stopped in run %u of %u, after epoch %u (%.0f ms after Stop); "
                                  "the runs are not kept."), group->next + 1, group_total (group),
                                self->live_loss->len, ms);
      else
        /* Translators: after Stop, "Stopped after epoch 12 (142 ms after Stop)." */
        text = g_strdup_printf (_("Stopped after epoch %u (%.0f ms after Stop); the run is not "
                                  "kept."), self->live_loss->len, ms);
      gtk_label_set_text (self->status_label, text);
      reset_live (self);
    }
  else
    {
      gtk_label_set_text (self->status_label, "");
      set_message (self, error->message);
      reset_live (self);
    }
  self->stop_time = 0;
  queue_curves (self);
  request_free (request);
}

static void
stop_run (PhiliaTrainPanel *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PhiliaTrainPanel *self = PHILIA_TRAIN_PANEL (widget);
  const char *model = selected_model (self);
  PhiliaTrainParams params;
  guint64 seed;
  guint threads, split;

  if (self->training || self->graph == NULL || model == NULL)
    return;
  set_message (self, NULL);
  if (philia_graph_get_n_splits (self->graph) == 0)
    {
      set_message (self, _("This dataset has no train/validation/test split; draw random ones "
                           "with Make Splits…"));
      return;
    }

  read_params (self, &params, &seed, &threads);
  split = (guint) gtk_spin_button_get_value (self->split_spin);
  self->live_color = self->next_color++;
  self->stop_time = 0;
  g_clear_pointer (&self->group, group_free);
  if (gtk_check_button_get_active (self->many_check))
    {
      self->group = g_new0 (Group, 1);
      self->group->model = g_strdup (model);
      self->group->params = params;
      self->group->first_seed = seed;
      self->group->threads = threads;
      self->group->n_splits = philia_graph_get_n_splits (self->graph);
      self->group->n_seeds = (guint) gtk_spin_button_get_value (self->seeds_spin);
      self->group->done = g_ptr_array_new_with_free_func (
        (GDestroyNotify) philia_train_result_free);
    }
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_label_set_text (self->status_label, _("Starting…"));
  set_training (self, TRUE);
  if (self->group != NULL)
    launch_group_run (self);
  else
    launch (self, model, &params, split, seed, threads);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PhiliaTrainPanel *self = PHILIA_TRAIN_PANEL (widget);

  if (self->cancellable != NULL && !g_cancellable_is_cancelled (self->cancellable))
    {
      self->stop_time = g_get_monotonic_time ();
      gtk_label_set_text (self->status_label, _("Stopping after this epoch…"));
      stop_run (self);
    }
}

static void
remove_run_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PhiliaTrainPanel *self = PHILIA_TRAIN_PANEL (widget);
  guint id = g_variant_get_uint32 (parameter);

  for (guint i = 0; i < self->runs->len; i++)
    {
      Run *run = g_ptr_array_index (self->runs, i);

      if (run->id != id)
        continue;
      if (run->doc_runs != NULL && self->document != NULL)
        {
          /* Undoable: "Delete Run 3", one step per run of a group. The
           * document's "changed" takes the entry out of the history. */
          g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));

          for (guint k = 0; k < run->doc_runs->len; k++)
            g_array_append_val (ids, ((PhiliaDocumentRun *) g_ptr_array_index (run->doc_runs,
                                                                                k))->id);
          for (guint k = 0; k < ids->len; k++)
            philia_document_delete_run (self->document, g_array_index (ids, guint, k));
        }
      else
        remove_run (self, run);
      return;
    }
}

static void
on_many_toggled (GtkCheckButton   *check,
                 PhiliaTrainPanel *self)
{
  update_start_action (self);
}

static void
make_splits_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PhiliaTrainPanel *self = PHILIA_TRAIN_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  PhiliaSplitDialog *dialog;

  if (self->training || self->graph == NULL)
    return;
  /* With a document, new splits are an undoable step of it that keeps the
   * layouts and runs. */
  if (self->document != NULL)
    dialog = philia_split_dialog_new_for_document (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                         : NULL, self->document);
  else if (PHILIA_IS_WINDOW (root))
    dialog = philia_split_dialog_new (PHILIA_WINDOW (root));
  else
    return;
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
color_by_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PhiliaTrainPanel *self = PHILIA_TRAIN_PANEL (widget);
  const char *what = g_variant_get_string (parameter, NULL);
  const char *layer = what;

  if (self->current == NULL)
    return;
  /* A run's own colourings are the document's: the view names them and the
   * canvas derives them from the run. */
  if (self->document != NULL && self->current->doc_runs != NULL)
    {
      guint id = ((PhiliaDocumentRun *) g_ptr_array_index (self->current->doc_runs, 0))->id;
      g_autofree char *overlay = NULL;

      if (g_str_equal (what, "prediction"))
        overlay = g_strdup_printf ("run:%u:prediction", id);
      else if (g_str_equal (what, "correctness"))
        overlay = g_strdup_printf ("run:%u:correct", id);
      else if (g_str_equal (what, "same-label") || g_str_equal (what, "self-attention"))
        {
          show_attention_nodes (self, g_str_equal (what, "same-label")
                                      ? PHILIA_ATTENTION_NODES_SAME_LABEL
                                      : PHILIA_ATTENTION_NODES_SELF);
          return;
        }
      else if (philia_run_overlay_parse (what, NULL, NULL))
        overlay = g_strdup (what);
      if (overlay != NULL)
        {
          write_color_by (self, overlay);
          return;
        }
    }
  if (self->canvas == NULL)
    return;
  if (g_str_equal (what, "prediction"))
    layer = LAYER_PREDICTION;
  else if (g_str_equal (what, "correctness"))
    layer = LAYER_CORRECTNESS;
  else if (g_str_equal (what, "same-label"))
    layer = LAYER_SAME_LABEL;
  else if (g_str_equal (what, "self-attention"))
    layer = LAYER_SELF;
  philia_canvas_show_node_layer (self->canvas, layer);
}

static void
edges_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  show_edges (PHILIA_TRAIN_PANEL (widget));
}

static void
export_figure_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GtkWidget *chart = philia_train_panel_get_chart (PHILIA_TRAIN_PANEL (widget),
                                                   g_variant_get_string (parameter, NULL));

  if (chart != NULL)
    gtk_widget_activate_action (chart, "chart.export", NULL);
}

/**
 * philia_train_panel_export_csv:
 * @kind: "predictions" or "attention"
 *
 * Writes the current run's predictions or attention as `philia-cli train
 * --predictions/--attention` would (the "Export as CSV" menu's writer).
 */
gboolean
philia_train_panel_export_csv (PhiliaTrainPanel  *self,
                               const char        *kind,
                               const char        *path,
                               GError           **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), FALSE);
  g_return_val_if_fail (kind != NULL && path != NULL, FALSE);

  if (self->current == NULL || self->graph == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   _("No run is selected to export."));
      return FALSE;
    }
  text = g_str_equal (kind, "attention")
         ? philia_train_result_attention_csv (self->current->result, self->graph)
         : philia_train_result_predictions_csv (self->current->result, self->graph);
  return g_file_set_contents (path, text, -1, error);
}

static void
on_csv_response (GtkNativeDialog  *dialog,
                 int               response,
                 PhiliaTrainPanel *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  _philia_file_chooser_remember (GTK_FILE_CHOOSER (dialog), file);
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path != NULL && !philia_train_panel_export_csv (self, self->csv_kind, path, &error))
    _philia_widget_show_error (GTK_WIDGET (self), _("Could not export the CSV file"), error);
  _philia_clear_file_chooser (&self->csv_chooser, self);
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PhiliaTrainPanel *self = PHILIA_TRAIN_PANEL (widget);
  const char *kind = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = NULL;

  if (self->current == NULL || self->csv_chooser != NULL)
    return;
  g_free (self->csv_kind);
  self->csv_kind = g_strdup (kind);
  self->csv_chooser = gtk_file_chooser_native_new (g_str_equal (kind, "attention")
                                                   ? _("Export Attention")
                                                   : _("Export Predictions"),
                                                   GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                   GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                                   _("_Cancel"));
  _philia_file_chooser_add_filter (GTK_FILE_CHOOSER (self->csv_chooser), _("CSV files"),
                                   (const char *[]) { "*.csv", NULL });
  _philia_file_chooser_start (GTK_FILE_CHOOSER (self->csv_chooser), "exports");
  name = g_strdup_printf ("%s-%s.csv", self->current->result->model, kind);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->csv_chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->csv_chooser), TRUE);
  g_signal_connect (self->csv_chooser, "response", G_CALLBACK (on_csv_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->csv_chooser));
}

/* ------------------------------------------------------------- object */

static void
fill_models (PhiliaTrainPanel *self)
{
  g_autoptr(GPtrArray) models = philia_registry_list (philia_registry_get_default (),
                                                      PHILIA_FAMILY_MODEL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *keep = g_strdup (selected_model (self));
  guint gcn = 0;

  g_ptr_array_set_size (self->model_ids, 0);
  for (guint i = 0; i < models->len; i++)
    {
      const PhiliaAlgorithm *a = g_ptr_array_index (models, i);

      gtk_string_list_append (names, a->name != NULL ? a->name : a->id);
      g_ptr_array_add (self->model_ids, g_strdup (a->id));
      if (g_str_equal (a->id, keep != NULL ? keep : "gcn"))
        gcn = i;
    }
  g_signal_handlers_block_by_func (self->model_dropdown, on_model_selected, self);
  gtk_drop_down_set_model (self->model_dropdown, G_LIST_MODEL (names));
  /* The model picked before, else the usual first model to try. */
  gtk_drop_down_set_selected (self->model_dropdown, gcn);
  g_signal_handlers_unblock_by_func (self->model_dropdown, on_model_selected, self);
  if (keep == NULL || g_strcmp0 (keep, selected_model (self)) != 0)
    fill_defaults (self);
}

static void sync_graph (PhiliaTrainPanel *self);
static void sync_runs  (PhiliaTrainPanel *self);

static void
set_graph (PhiliaTrainPanel *self,
           PhiliaGraph      *graph)
{
  guint n_splits;

  if (self->graph == graph)
    return;

  /* A run in flight belongs to the old graph: cancel it and drop its result. */
  stop_run (self);
  self->serial++;
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->group, group_free);
  if (self->training)
    {
      set_training (self, FALSE);
      gtk_label_set_text (self->status_label, _("The dataset changed: the run was stopped."));
    }
  else
    gtk_label_set_text (self->status_label, "");
  reset_live (self);
  clear_runs (self);
  g_array_set_size (self->selection, 0);
  set_message (self, NULL);

  g_set_object (&self->graph, graph);
  /* Plugins loaded since may have added models. */
  fill_models (self);
  n_splits = graph != NULL ? philia_graph_get_n_splits (graph) : 0;
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->split_spin),
                            n_splits > 0 ? n_splits - 1 : 0);
  gtk_spin_button_set_value (self->split_spin, 0);
  update_split (self);
  if (graph != NULL && n_splits == 0 && philia_graph_get_n_labeled (graph) > 0)
    set_message (self, _("This dataset has no train/validation/test split; draw random ones "
                         "with Make Splits…"));
  else if (graph != NULL && n_splits == 0)
    set_message (self, _("This dataset has no labels to train on; open a node table or a file "
                         "with labels."));
  /* ROC-AUC is the metric of two-class data: its curves only there. */
  gtk_widget_set_visible (GTK_WIDGET (self->roc_auc_chart),
                          graph != NULL && philia_graph_get_n_classes (graph) == 2);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_stack_set_visible_child_name (self->stack, graph != NULL ? "train" : "empty");
  update_start_action (self);
  queue_curves (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->homophily_chart));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRAPH]);
}

void
philia_train_panel_set_graph (PhiliaTrainPanel *self,
                              PhiliaGraph      *graph)
{
  g_return_if_fail (PHILIA_IS_TRAIN_PANEL (self));
  g_return_if_fail (graph == NULL || PHILIA_IS_GRAPH (graph));

  /* With a document the graph is the document's: a window handing on its
   * new graph (new splits) must not clear the document's runs. */
  if (self->document != NULL)
    {
      if (graph == philia_document_get_graph (self->document))
        {
          sync_graph (self);
          sync_runs (self);
        }
      return;
    }
  set_graph (self, graph);
}

/* ------------------------------------------------------------ document */

/* Writes the parts given (non-NULL) into the document's view: one step of
 * the document's ("Colouring", "Overlay"). */
static void
write_view (PhiliaTrainPanel *self,
            const char       *color_by,
            const char       *edge_style,
            const char       *overlay)
{
  PhiliaDocumentView view = { 0 };

  philia_document_view_copy (&view, philia_document_get_view (self->document));
  if (color_by != NULL)
    {
      g_free (view.color_by);
      view.color_by = g_strdup (color_by);
    }
  if (edge_style != NULL)
    {
      g_free (view.edge_style);
      view.edge_style = g_strdup (edge_style);
    }
  if (overlay != NULL)
    {
      g_free (view.overlay);
      view.overlay = g_strdup (overlay);
    }
  if (!philia_document_view_equal (&view, philia_document_get_view (self->document)))
    philia_document_set_view (self->document, &view);
  philia_document_view_clear (&view);
}

/* Colours the canvas by @overlay: a step ("Colouring") of the document's. */
static void
write_color_by (PhiliaTrainPanel *self,
                const char       *overlay)
{
  write_view (self, overlay, NULL, NULL);
}

static gboolean
run_in_document (PhiliaTrainPanel *self,
                 Run              *run)
{
  for (guint k = 0; k < run->doc_runs->len; k++)
    {
      PhiliaDocumentRun *doc_run = g_ptr_array_index (run->doc_runs, k);

      if (philia_document_find_run (self->document, doc_run->id) != doc_run)
        return FALSE;
    }
  return TRUE;
}

static gboolean
in_history (PhiliaTrainPanel        *self,
            const PhiliaDocumentRun *doc_run)
{
  for (guint i = 0; i < self->runs->len; i++)
    {
      Run *run = g_ptr_array_index (self->runs, i);

      for (guint k = 0; run->doc_runs != NULL && k < run->doc_runs->len; k++)
        if (g_ptr_array_index (run->doc_runs, k) == doc_run)
          return TRUE;
    }
  return FALSE;
}

static void
add_document_run (PhiliaTrainPanel        *self,
                  const PhiliaDocumentRun *doc_run)
{
  Run *run = g_new0 (Run, 1);

  run->doc_runs = g_ptr_array_new_with_free_func ((GDestroyNotify) philia_document_run_unref);
  g_ptr_array_add (run->doc_runs, philia_document_run_ref ((PhiliaDocumentRun *) doc_run));
  run->result = doc_run->result;
  run->n_points = doc_run->result->n_epochs;
  run->id = doc_run->id;
  self->next_run_id = MAX (self->next_run_id, doc_run->id);
  /* A run that comes back (undo) comes back in its colour. */
  if (g_hash_table_contains (self->run_colors, GUINT_TO_POINTER (doc_run->id)))
    run->color = GPOINTER_TO_UINT (g_hash_table_lookup (self->run_colors,
                                                        GUINT_TO_POINTER (doc_run->id)));
  else if (self->adopt_color >= 0)
    run->color = (guint) self->adopt_color;
  else
    run->color = self->next_color++;
  g_hash_table_insert (self->run_colors, GUINT_TO_POINTER (doc_run->id),
                       GUINT_TO_POINTER (run->color));
  add_run_named (self, run);
}

/* The history is the document's runs: a deleted (or undone) run leaves it, a
 * restored one comes back. Entries of runs over splits × seeds keep their
 * members together while all of them are in the document. */
static void
sync_runs (PhiliaTrainPanel *self)
{
  guint n;

  if (self->adding_group || self->document == NULL)
    return;
  for (guint i = self->runs->len; i > 0; i--)
    {
      Run *run = g_ptr_array_index (self->runs, i - 1);

      if (run->doc_runs == NULL || !run_in_document (self, run))
        remove_run (self, run);
    }
  n = philia_document_get_n_runs (self->document);
  for (guint i = 0; i < n; i++)
    {
      const PhiliaDocumentRun *doc_run = philia_document_get_run (self->document, i);

      if (!in_history (self, doc_run))
        add_document_run (self, doc_run);
    }
}

/* A finished group: its runs go into the document one by one, and stay one
 * entry of the history. */
static Run *
add_group_to_document (PhiliaTrainPanel *self,
                       Group            *group)
{
  g_autoptr(GPtrArray) doc_runs =
    g_ptr_array_new_with_free_func ((GDestroyNotify) philia_document_run_unref);
  GPtrArray *results = g_ptr_array_new ();
  Run *run;

  self->adding_group = TRUE;
  while (group->done->len > 0)
    {
      PhiliaTrainResult *result = g_ptr_array_steal_index (group->done, 0);
      guint id = philia_document_add_run (self->document, result);
      const PhiliaDocumentRun *doc_run = philia_document_find_run (self->document, id);

      g_ptr_array_add (doc_runs, philia_document_run_ref ((PhiliaDocumentRun *) doc_run));
      g_ptr_array_add (results, doc_run->result);
    }
  self->adding_group = FALSE;
  g_ptr_array_unref (group->done);
  group->done = results;   /* borrowed from the document's runs */
  run = add_group (self, group,
                   ((PhiliaDocumentRun *) g_ptr_array_index (doc_runs, 0))->id);
  self->next_run_id = MAX (self->next_run_id, run->id);
  run->doc_runs = g_steal_pointer (&doc_runs);
  return run;
}

static void
on_document_changed (PhiliaDocument     *document,
                     PhiliaDocumentPart  parts,
                     PhiliaTrainPanel   *self)
{
  if (parts & PHILIA_DOCUMENT_PART_RUNS)
    sync_runs (self);
  if (parts & PHILIA_DOCUMENT_PART_SELECTION)
    {
      guint n_nodes = 0;
      const guint *nodes = philia_document_get_selection (document, &n_nodes);

      philia_train_panel_set_selection (self, nodes, n_nodes);
    }
}

/* New splits put the same nodes in a new graph: runs stay (they are the
 * document's), the split chooser follows. */
static void
swap_graph (PhiliaTrainPanel *self,
            PhiliaGraph      *graph)
{
  guint n_splits = philia_graph_get_n_splits (graph);

  g_set_object (&self->graph, graph);
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->split_spin),
                            n_splits > 0 ? n_splits - 1 : 0);
  if (gtk_spin_button_get_value (self->split_spin) > MAX (n_splits, 1) - 1)
    gtk_spin_button_set_value (self->split_spin, 0);
  update_split (self);
  set_message (self, n_splits == 0 && philia_graph_get_n_labeled (graph) > 0
                     ? _("This dataset has no train/validation/test split; draw random ones "
                         "with Make Splits…") : NULL);
  update_start_action (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRAPH]);
}

static void
sync_graph (PhiliaTrainPanel *self)
{
  PhiliaGraph *graph = philia_document_get_graph (self->document);

  if (self->graph == graph)
    return;
  if (self->graph != NULL && graph != NULL && !self->training
      && philia_graph_get_n_nodes (self->graph) == philia_graph_get_n_nodes (graph))
    swap_graph (self, graph);
  else
    set_graph (self, graph);
}

static void
on_document_graph (PhiliaDocument   *document,
                   GParamSpec       *pspec,
                   PhiliaTrainPanel *self)
{
  sync_graph (self);
  sync_runs (self);
}

PhiliaDocument *
philia_train_panel_get_document (PhiliaTrainPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), NULL);

  return self->document;
}

/**
 * philia_train_panel_set_document:
 * @document: (nullable): the analysis whose runs the panel shows and adds to
 *
 * The panel trains on the document's graph; finished runs go into the
 * document and the history shows the document's runs (a reopened project's
 * too); deleting a run is an undoable step of the document's.
 */
void
philia_train_panel_set_document (PhiliaTrainPanel *self,
                                 PhiliaDocument   *document)
{
  g_return_if_fail (PHILIA_IS_TRAIN_PANEL (self));
  g_return_if_fail (document == NULL || PHILIA_IS_DOCUMENT (document));

  if (self->document == document)
    return;
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  /* Another document's history (or none) replaces this one's. */
  set_graph (self, NULL);
  g_hash_table_remove_all (self->run_colors);
  if (document != NULL)
    {
      g_signal_connect (document, "changed", G_CALLBACK (on_document_changed), self);
      g_signal_connect (document, "notify::graph", G_CALLBACK (on_document_graph), self);
      set_graph (self, philia_document_get_graph (document));
      sync_runs (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

static void
philia_train_panel_dispose (GObject *object)
{
  PhiliaTrainPanel *self = PHILIA_TRAIN_PANEL (object);
  GtkWidget *child;

  self->disposed = TRUE;
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  stop_run (self);
  self->serial++;
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->group, group_free);
  _philia_clear_file_chooser (&self->csv_chooser, self);

  /* The charts draw our data: detach them first. */
  if (self->accuracy_chart != NULL)
    {
      philia_chart_view_set_draw_func (self->accuracy_chart, NULL, NULL, NULL);
      philia_chart_view_set_draw_func (self->roc_auc_chart, NULL, NULL, NULL);
      philia_chart_view_set_draw_func (self->loss_chart, NULL, NULL, NULL);
      philia_chart_view_set_draw_func (self->homophily_chart, NULL, NULL, NULL);
      philia_chart_view_set_draw_func (self->share_chart, NULL, NULL, NULL);
      philia_chart_view_set_draw_func (self->grid_chart, NULL, NULL, NULL);
    }
  if (self->canvas != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->canvas), (gpointer *) &self->canvas);
  self->canvas = NULL;
  self->current = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_TRAIN_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->graph);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (philia_train_panel_parent_class)->dispose (object);
}

static void
philia_train_panel_finalize (GObject *object)
{
  PhiliaTrainPanel *self = PHILIA_TRAIN_PANEL (object);

  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->run_colors, g_hash_table_unref);
  g_clear_pointer (&self->model_ids, g_ptr_array_unref);
  g_clear_pointer (&self->value_buttons, g_ptr_array_unref);
  g_clear_pointer (&self->selection, g_array_unref);
  g_clear_pointer (&self->live_loss, g_array_unref);
  g_clear_pointer (&self->live_val_loss, g_array_unref);
  g_clear_pointer (&self->live_train, g_array_unref);
  g_clear_pointer (&self->live_val, g_array_unref);
  g_clear_pointer (&self->live_train_auc, g_array_unref);
  g_clear_pointer (&self->live_val_auc, g_array_unref);
  g_clear_pointer (&self->live_model, g_free);
  g_clear_pointer (&self->share, g_free);
  g_clear_pointer (&self->grid, philia_attention_grid_free);
  g_clear_pointer (&self->csv_kind, g_free);

  G_OBJECT_CLASS (philia_train_panel_parent_class)->finalize (object);
}

static void
philia_train_panel_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PhiliaTrainPanel *self = PHILIA_TRAIN_PANEL (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      g_value_set_object (value, self->graph);
      break;
    case PROP_TRAINING:
      g_value_set_boolean (value, self->training);
      break;
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_train_panel_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PhiliaTrainPanel *self = PHILIA_TRAIN_PANEL (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      philia_train_panel_set_graph (self, g_value_get_object (value));
      break;
    case PROP_DOCUMENT:
      philia_train_panel_set_document (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_train_panel_class_init (PhiliaTrainPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_train_panel_dispose;
  object_class->finalize = philia_train_panel_finalize;
  object_class->get_property = philia_train_panel_get_property;
  object_class->set_property = philia_train_panel_set_property;

  properties[PROP_GRAPH] =
    g_param_spec_object ("graph", NULL, NULL, PHILIA_TYPE_GRAPH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PhiliaTrainPanel:training:
   *
   * Whether a model is being trained.
   */
  properties[PROP_TRAINING] =
    g_param_spec_boolean ("training", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, PHILIA_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PhiliaTrainPanel::current-run-changed:
   *
   * The run the inspect views show changed
   * (philia_train_panel_get_current_run()); emitted before a run is freed.
   */
  signals[CURRENT_RUN_CHANGED] =
    g_signal_new ("current-run-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (PHILIA_TYPE_CHART_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-train-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, model_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, model_description);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, split_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, split_spin);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, split_sizes);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, params_grid);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, many_check);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, seeds_spin);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, seeds_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, train_button);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, message_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, accuracy_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, roc_auc_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, loss_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, runs_list);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, runs_note);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, homophily_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, canvas_box);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, color_box);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, attention_box);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, layer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, head_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, scale_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, direction_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, share_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, grid_note);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, grid_chart);
  gtk_widget_class_bind_template_callback (widget_class, on_model_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_split_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_runs_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_attention_choice);
  gtk_widget_class_bind_template_callback (widget_class, on_many_toggled);

  gtk_widget_class_install_action (widget_class, "train.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "train.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "train.remove-run", "u", remove_run_action);
  gtk_widget_class_install_action (widget_class, "train.color-by", "s", color_by_action);
  gtk_widget_class_install_action (widget_class, "train.edges-by-attention", NULL, edges_action);
  gtk_widget_class_install_action (widget_class, "train.export-figure", "s",
                                   export_figure_action);
  gtk_widget_class_install_action (widget_class, "train.export-csv", "s", export_csv_action);
  gtk_widget_class_install_action (widget_class, "train.make-splits", NULL, make_splits_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
philia_train_panel_init (PhiliaTrainPanel *self)
{
  self->model_ids = g_ptr_array_new_with_free_func (g_free);
  self->adopt_color = -1;
  self->run_colors = g_hash_table_new (NULL, NULL);
  self->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
  self->value_buttons = g_ptr_array_new ();
  self->selection = g_array_new (FALSE, FALSE, sizeof (guint));
  self->live_loss = g_array_new (FALSE, FALSE, sizeof (double));
  self->live_val_loss = g_array_new (FALSE, FALSE, sizeof (double));
  self->live_train = g_array_new (FALSE, FALSE, sizeof (double));
  self->live_val = g_array_new (FALSE, FALSE, sizeof (double));
  self->live_train_auc = g_array_new (FALSE, FALSE, sizeof (double));
  self->live_val_auc = g_array_new (FALSE, FALSE, sizeof (double));

  gtk_widget_init_template (GTK_WIDGET (self));

  build_params_grid (self);
  fill_models (self);
  philia_chart_view_set_draw_func (self->accuracy_chart, draw_accuracy, self, NULL);
  philia_chart_view_set_draw_func (self->roc_auc_chart, draw_roc_auc, self, NULL);
  philia_chart_view_set_draw_func (self->loss_chart, draw_loss, self, NULL);
  philia_chart_view_set_draw_func (self->homophily_chart, draw_homophily, self, NULL);
  philia_chart_view_set_draw_func (self->share_chart, draw_share, self, NULL);
  update_runs_note (self);
  update_split (self);
  set_training (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.export-csv", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.edges-by-attention", FALSE);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
philia_train_panel_new (void)
{
  return g_object_new (PHILIA_TYPE_TRAIN_PANEL, NULL);
}

PhiliaGraph *
philia_train_panel_get_graph (PhiliaTrainPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), NULL);

  return self->graph;
}

/**
 * philia_train_panel_set_canvas:
 * @canvas: (nullable): the canvas the inspect views colour (not referenced)
 */
void
philia_train_panel_set_canvas (PhiliaTrainPanel *self,
                               PhiliaCanvas     *canvas)
{
  g_return_if_fail (PHILIA_IS_TRAIN_PANEL (self));
  g_return_if_fail (canvas == NULL || PHILIA_IS_CANVAS (canvas));

  if (self->canvas != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->canvas), (gpointer *) &self->canvas);
  self->canvas = canvas;
  if (canvas != NULL)
    g_object_add_weak_pointer (G_OBJECT (canvas), (gpointer *) &self->canvas);
  gtk_widget_set_sensitive (self->canvas_box, self->current != NULL
                            && (canvas != NULL || self->document != NULL));
}

/**
 * philia_train_panel_set_selection:
 * @nodes: (array length=n_nodes) (nullable): the window's selected nodes
 *
 * One selected node gets its attention grid (for a run with attention).
 */
void
philia_train_panel_set_selection (PhiliaTrainPanel *self,
                                  const guint      *nodes,
                                  guint             n_nodes)
{
  g_return_if_fail (PHILIA_IS_TRAIN_PANEL (self));
  g_return_if_fail (nodes != NULL || n_nodes == 0);

  g_array_set_size (self->selection, 0);
  if (self->graph != NULL)
    for (guint i = 0; i < n_nodes; i++)
      if (nodes[i] < philia_graph_get_n_nodes (self->graph))
        g_array_append_val (self->selection, nodes[i]);
  update_grid (self);
}

gboolean
philia_train_panel_get_training (PhiliaTrainPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), FALSE);

  return self->training;
}

/* The run the inspect views show (the first selected in the history), or %NULL. */
const PhiliaTrainResult *
philia_train_panel_get_current_run (PhiliaTrainPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), NULL);

  return self->current != NULL ? self->current->result : NULL;
}

/* Picks @model_id in the model chooser (its defaults fill the parameters). */
gboolean
philia_train_panel_set_model (PhiliaTrainPanel *self,
                              const char       *model_id)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), FALSE);
  g_return_val_if_fail (model_id != NULL, FALSE);

  for (guint i = 0; i < self->model_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->model_ids, i), model_id))
      {
        gtk_drop_down_set_selected (self->model_dropdown, i);
        return TRUE;
      }
  return FALSE;
}

/* The spin button of hyperparameter @key ("epochs", "lr", "weight-decay",
 * "hidden", "dropout", "heads", "k", "alpha", "seed", "threads"), "split", or
 * "seeds" (per split, for runs over splits × seeds). */
GtkSpinButton *
philia_train_panel_get_param_spin (PhiliaTrainPanel *self,
                                   const char       *key)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (g_str_equal (key, "split"))
    return self->split_spin;
  if (g_str_equal (key, "seeds"))
    return self->seeds_spin;
  for (guint i = 0; i < N_PARAMS; i++)
    if (g_str_equal (param_info[i].key, key))
      return self->spins[i];
  return NULL;
}

guint
philia_train_panel_get_n_runs (PhiliaTrainPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), 0);

  return self->runs->len;
}

/* "title|details" of history row @index, or %NULL. */
char *
philia_train_panel_dup_run_text (PhiliaTrainPanel *self,
                                 guint             index)
{
  GtkListBoxRow *row;
  GtkWidget *texts;

  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), NULL);

  row = gtk_list_box_get_row_at_index (self->runs_list, (int) index);
  if (row == NULL)
    return NULL;
  texts = gtk_widget_get_next_sibling (gtk_widget_get_first_child (
                                         gtk_list_box_row_get_child (row)));
  return g_strdup_printf ("%s|%s",
                          gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (texts))),
                          gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (texts))));
}

/* Selects history rows @indices (as Ctrl-clicks do); the first becomes current. */
void
philia_train_panel_select_runs (PhiliaTrainPanel *self,
                                const guint      *indices,
                                guint             n_indices)
{
  g_return_if_fail (PHILIA_IS_TRAIN_PANEL (self));

  gtk_list_box_unselect_all (self->runs_list);
  for (guint i = 0; i < n_indices; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->runs_list, (int) indices[i]);

      if (row != NULL)
        gtk_list_box_select_row (self->runs_list, row);
    }
}

/* Curves drawn on each curve chart: two per shown run (selected or live). */
guint
philia_train_panel_get_n_shown_curves (PhiliaTrainPanel *self)
{
  g_autofree Run **shown = NULL;
  guint n;

  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), 0);

  n = collect_shown (self, &shown);
  return 2 * (n + (self->live_model != NULL ? 1 : 0));
}

/* Epochs of the run in progress that reached the panel. */
guint
philia_train_panel_get_live_epochs (PhiliaTrainPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), 0);

  return self->live_loss->len;
}

const char *
philia_train_panel_get_status_text (PhiliaTrainPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), NULL);

  return gtk_label_get_text (self->status_label);
}

/* The error on show, or %NULL. */
const char *
philia_train_panel_get_message_text (PhiliaTrainPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return NULL;
  return gtk_label_get_text (self->message_label);
}

/* "accuracy", "roc-auc", "loss", "homophily", "same-label" or "attention-grid". */
GtkWidget *
philia_train_panel_get_chart (PhiliaTrainPanel *self,
                              const char       *name)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, "accuracy"))
    return GTK_WIDGET (self->accuracy_chart);
  if (g_str_equal (name, "roc-auc"))
    return GTK_WIDGET (self->roc_auc_chart);
  if (g_str_equal (name, "loss"))
    return GTK_WIDGET (self->loss_chart);
  if (g_str_equal (name, "homophily"))
    return GTK_WIDGET (self->homophily_chart);
  if (g_str_equal (name, "same-label"))
    return GTK_WIDGET (self->share_chart);
  if (g_str_equal (name, "attention-grid"))
    return GTK_WIDGET (self->grid_chart);
  return NULL;
}

/* The "Runs over splits × seeds" check box. */
GtkCheckButton *
philia_train_panel_get_many_check (PhiliaTrainPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), NULL);

  return self->many_check;
}
