/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-proximity-gnn.h"

#include <glib/gi18n.h>
#include <math.h>

/* ----------------------------------------------------- heuristics + plugins */

typedef struct
{
  PhiliaGraph           *graph;
  PhiliaProximityParams  params;
  guint                  mask;
  guint64                seed;
  guint                  n_mrr_neg;
  PhiliaProgress        *progress;
  PhiliaLinkpredReport  *report;
  GPtrArray             *plugins;
} EvalJob;

static void
eval_job_free (EvalJob *job)
{
  g_clear_object (&job->graph);
  g_clear_object (&job->progress);
  g_clear_pointer (&job->report, philia_linkpred_report_free);
  g_clear_pointer (&job->plugins, g_ptr_array_unref);
  g_free (job);
}

static void
eval_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  EvalJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;

  job->report = philia_linkpred_report_new (job->graph, &job->params, job->mask, job->seed,
                                            job->n_mrr_neg, job->progress, cancellable, &error);
  if (job->report == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Plugins' heuristics, like "Why this link" shows them; one that fails is
   * left out rather than losing the built-in ones. */
  job->plugins = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_linkpred_result_free);
  list = philia_registry_list (philia_registry_get_default (), PHILIA_FAMILY_PROXIMITY);
  for (guint i = 0; i < list->len; i++)
    {
      const PhiliaAlgorithm *algorithm = list->pdata[i];
      g_autoptr(GError) local_error = NULL;
      PhiliaLinkpredResult *result;

      if (g_strcmp0 (algorithm->provider, PHILIA_PROVIDER_BUILTIN) == 0)
        continue;
      result = philia_linkpred_evaluate_algorithm (job->report->split, &job->params, algorithm,
                                                   cancellable, &local_error);
      if (result != NULL)
        g_ptr_array_add (job->plugins, result);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&local_error));
          return;
        }
      else
        g_warning ("Plugin heuristic %s left out of the evaluation: %s", algorithm->id,
                   local_error->message);
    }
  g_task_return_boolean (task, TRUE);
}

void
philia_proximity_evaluate_all_async (PhiliaGraph                 *graph,
                                     const PhiliaProximityParams *params,
                                     guint                        mask,
                                     guint64                      seed,
                                     guint                        n_mrr_neg,
                                     PhiliaProgress              *progress,
                                     GCancellable                *cancellable,
                                     GAsyncReadyCallback          callback,
                                     gpointer                     user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  EvalJob *job = g_new0 (EvalJob, 1);

  job->graph = g_object_ref (graph);
  job->params = *params;
  job->mask = mask;
  job->seed = seed;
  job->n_mrr_neg = n_mrr_neg;
  job->progress = progress ? g_object_ref (progress) : NULL;
  g_task_set_task_data (task, job, (GDestroyNotify)eval_job_free);
  g_task_run_in_thread (task, eval_thread);
}

PhiliaLinkpredReport *
philia_proximity_evaluate_all_finish (GAsyncResult  *result,
                                      GPtrArray    **plugins,
                                      GError       **error)
{
  EvalJob *job = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  if (plugins != NULL)
    *plugins = g_steal_pointer (&job->plugins);
  return g_steal_pointer (&job->report);
}

/* --------------------------------------------------------------------- GNN */

static const char *decoders[] = { "dot", "mlp", NULL };

typedef struct
{
  PhiliaProximityGnnFunc func;
  gpointer         user_data;
  GtkDropDown     *model_dropdown;
  GtkDropDown     *decoder_dropdown;
  GtkSpinButton   *epochs_spin;
  GtkSpinButton   *hidden_spin;
  GtkSpinButton   *layers_spin;
  GtkSpinButton   *lr_spin;
  GtkSpinButton   *dropout_spin;
  GtkWidget       *train_button;
  GtkWidget       *cancel_button;
  GtkProgressBar  *progress_bar;
  GtkLabel        *status;
  GtkWidget       *curve;
  GtkStringList   *models;
  PhiliaGraph     *graph;       /* the split's graph, or NULL */
  guint64          seed;
  guint            n_mrr_neg;
  GCancellable    *cancel;
  PhiliaProgress  *progress;
  GArray          *loss;        /* per epoch, of the run on show */
  GArray          *val_hits;
  guint            val_k;
  PhiliaLinkTrainResult *trained;  /* the latest finished run, its weights kept */
  char            *features;         /* the set the split's graph carries */
  char            *trained_features; /* the set @trained learnt from */
  char            *run_features;     /* the set of the run in progress */
} Gnn;

static Gnn *
gnn_get (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "philia-proximity-gnn");
}

static void
gnn_free (Gnn *gnn)
{
  if (gnn->cancel != NULL)
    g_cancellable_cancel (gnn->cancel);
  g_clear_object (&gnn->cancel);
  g_clear_object (&gnn->progress);
  g_clear_object (&gnn->graph);
  g_clear_object (&gnn->models);
  g_clear_pointer (&gnn->trained, philia_link_train_result_free);
  g_free (gnn->features);
  g_free (gnn->trained_features);
  g_free (gnn->run_features);
  g_array_unref (gnn->loss);
  g_array_unref (gnn->val_hits);
  g_free (gnn);
}

static void
gnn_sync (Gnn *gnn)
{
  gboolean running = gnn->cancel != NULL;

  gtk_widget_set_sensitive (gnn->train_button, !running && gnn->graph != NULL);
  gtk_widget_set_visible (gnn->cancel_button, running);
  gtk_widget_set_visible (GTK_WIDGET (gnn->progress_bar), running);
  gtk_widget_set_visible (gnn->curve, gnn->loss->len > 0);
}

/* Loss (clay, left scale from 0 to its maximum) and validation Hits@K (slate,
 * 0 to 1) against the epoch. */
static void
draw_curve (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  Gnn *gnn = user_data;
  const double pad = 4;
  double max_loss = 0;
  guint n = gnn->loss->len;
  GArray *series[] = { gnn->loss, gnn->val_hits };
  const double colors[][3] = { { 0.66, 0.44, 0.30 }, { 0.36, 0.42, 0.50 } };

  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    if (isfinite (g_array_index (gnn->loss, double, i)))
      max_loss = MAX (max_loss, g_array_index (gnn->loss, double, i));
  cairo_set_line_width (cr, 1.5);
  for (guint s = 0; s < G_N_ELEMENTS (series); s++)
    {
      double top = s == 0 ? (max_loss > 0 ? max_loss : 1) : 1;

      cairo_set_source_rgb (cr, colors[s][0], colors[s][1], colors[s][2]);
      if (s == 0)
        cairo_set_dash (cr, (const double[]) { 4, 3 }, 2, 0);
      else
        cairo_set_dash (cr, NULL, 0, 0);
      for (guint i = 0; i < n; i++)
        {
          double v = g_array_index (series[s], double, i);
          double x = pad + (n > 1 ? (double)i / (n - 1) : 0.5) * (width - 2 * pad);
          double y = height - pad - CLAMP (v / top, 0, 1) * (height - 2 * pad);

          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_stroke (cr);
    }
}

static void
on_epoch (const PhiliaLinkTrainEpoch *epoch,
          gpointer                    user_data)
{
  GtkWidget *widget = user_data;
  Gnn *gnn = gnn_get (widget);
  g_autofree char *text = NULL;

  if (gnn == NULL)
    return;
  g_array_append_val (gnn->loss, epoch->loss);
  g_array_append_val (gnn->val_hits, epoch->val_hits);
  text = g_strdup_printf (_("Epoch %u of %u: loss %.4f, validation Hits@%u %.3f (best epoch %u)."),
                          epoch->epoch, epoch->n_epochs, epoch->loss, gnn->val_k,
                          epoch->val_hits, epoch->best_epoch);
  gtk_label_set_text (gnn->status, text);
  gtk_progress_bar_set_fraction (gnn->progress_bar,
                                 epoch->n_epochs ? (double)epoch->epoch / epoch->n_epochs : 0);
  gtk_widget_queue_draw (gnn->curve);
  gnn_sync (gnn);
}

typedef struct
{
  GtkWidget       *widget;
  GCancellable    *cancel;
  PhiliaLinkSplit *split;
} TrainJob;

static void
train_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  TrainJob *job = user_data;
  Gnn *gnn = gnn_get (job->widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaLinkTrainResult) train = philia_link_train_finish (result, &error);

  /* The split outlives the worker: free it only now. */
  philia_link_split_free (job->split);
  if (gnn != NULL && gnn->cancel == job->cancel)
    {
      g_clear_object (&gnn->cancel);
      if (train == NULL)
        gtk_label_set_text (gnn->status,
                            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                            ? _("Training cancelled.") : error->message);
      else
        {
          g_autofree char *text = NULL;

          /* Translators: the last %s is a feature set, “original” or “Â^2 X” */
          text = g_strdup_printf (_("%s: %u epochs, kept epoch %u (validation Hits@%u %.3f), "
                                    "median %.0f ms an epoch, features “%s”."),
                                  train->result->name, train->n_epochs, train->best_epoch,
                                  gnn->val_k, train->best_val_hits, train->epoch_ms_median,
                                  gnn->run_features);
          gtk_label_set_text (gnn->status, text);
          /* The table takes the test result; the weights stay to score pairs. */
          g_clear_pointer (&gnn->trained, philia_link_train_result_free);
          gnn->trained = g_steal_pointer (&train);
          g_free (gnn->trained_features);
          gnn->trained_features = g_strdup (gnn->run_features);
          gnn->func (philia_linkpred_result_copy (gnn->trained->result), gnn->user_data);
        }
      gnn_sync (gnn);
    }
  g_object_unref (job->cancel);
  g_object_unref (job->widget);
  g_free (job);
}

void
philia_proximity_gnn_train (GtkWidget  *widget,
                            const char *model,
                            const char *decoder,
                            int         epochs)
{
  Gnn *gnn = gnn_get (widget);
  PhiliaLinkModelParams params;
  g_autoptr(GError) error = NULL;
  PhiliaLinkSplit *split;
  TrainJob *job;

  g_return_if_fail (gnn != NULL);
  if (gnn->graph == NULL || gnn->cancel != NULL)
    return;
  philia_link_model_params_init (&params);
  if (!philia_link_decoder_from_string (decoder, &params.decoder))
    {
      gtk_label_set_text (gnn->status, _("Unknown decoder."));
      return;
    }
  params.epochs = MAX (epochs, 1);
  params.hidden = gtk_spin_button_get_value_as_int (gnn->hidden_spin);
  params.layers = gtk_spin_button_get_value_as_int (gnn->layers_spin);
  params.lr = gtk_spin_button_get_value (gnn->lr_spin);
  params.dropout = gtk_spin_button_get_value (gnn->dropout_spin);
  /* The split's seed seeds the weights too, as linkpred --seed does, so the
   * CLI reproduces the panel's run. */
  params.seed = gnn->seed;
  /* The same split as the table's (seeded, same shares), so the same test
   * edges and negatives; the GNN's own copy outlives a report dropped while
   * it trains. */
  split = philia_link_split_new (gnn->graph, 0.05, 0.10, gnn->n_mrr_neg, gnn->seed, &error);
  if (split == NULL)
    {
      gtk_label_set_text (gnn->status, error->message);
      return;
    }
  gnn->val_k = params.val_k;
  /* The split's graph carries the features it trains on. */
  g_free (gnn->run_features);
  gnn->run_features = g_strdup (gnn->features != NULL ? gnn->features
                                                      : PHILIA_FEATURES_ORIGINAL);
  g_array_set_size (gnn->loss, 0);
  g_array_set_size (gnn->val_hits, 0);
  gnn->cancel = g_cancellable_new ();
  g_clear_object (&gnn->progress);
  gnn->progress = philia_progress_new ();
  gtk_progress_bar_set_fraction (gnn->progress_bar, 0);
  gtk_label_set_text (gnn->status, _("Training…"));
  job = g_new0 (TrainJob, 1);
  job->widget = g_object_ref (widget);
  job->cancel = g_object_ref (gnn->cancel);
  job->split = split;
  philia_link_train_async (split, model, &params, on_epoch, g_object_ref (widget),
                           g_object_unref, gnn->progress, gnn->cancel, train_done, job);
  gnn_sync (gnn);
}

void
philia_proximity_gnn_set_hyperparameters (GtkWidget *widget,
                                          int        hidden,
                                          int        layers,
                                          double     lr,
                                          double     dropout)
{
  Gnn *gnn = gnn_get (widget);

  g_return_if_fail (gnn != NULL);
  gtk_spin_button_set_value (gnn->hidden_spin, hidden);
  gtk_spin_button_set_value (gnn->layers_spin, layers);
  gtk_spin_button_set_value (gnn->lr_spin, lr);
  gtk_spin_button_set_value (gnn->dropout_spin, dropout);
}

void
philia_proximity_gnn_cancel (GtkWidget *widget)
{
  Gnn *gnn = gnn_get (widget);

  g_return_if_fail (gnn != NULL);
  if (gnn->cancel != NULL)
    g_cancellable_cancel (gnn->cancel);
}

gboolean
philia_proximity_gnn_get_running (GtkWidget *widget)
{
  Gnn *gnn = gnn_get (widget);

  g_return_val_if_fail (gnn != NULL, FALSE);
  return gnn->cancel != NULL;
}

PhiliaLinkTrainResult *
philia_proximity_gnn_get_trained (GtkWidget *widget)
{
  Gnn *gnn = gnn_get (widget);

  g_return_val_if_fail (gnn != NULL, NULL);
  return gnn->trained;
}

void
philia_proximity_gnn_set_features (GtkWidget  *widget,
                                   const char *name)
{
  Gnn *gnn = gnn_get (widget);

  g_return_if_fail (gnn != NULL);
  g_free (gnn->features);
  gnn->features = g_strdup (name);
}

const char *
philia_proximity_gnn_get_trained_features (GtkWidget *widget)
{
  Gnn *gnn = gnn_get (widget);

  g_return_val_if_fail (gnn != NULL, NULL);
  return gnn->trained != NULL ? gnn->trained_features : NULL;
}

const char *
philia_proximity_gnn_get_status (GtkWidget *widget)
{
  Gnn *gnn = gnn_get (widget);

  g_return_val_if_fail (gnn != NULL, NULL);
  return gtk_label_get_text (gnn->status);
}

void
philia_proximity_gnn_set_split (GtkWidget   *widget,
                                PhiliaGraph *graph,
                                guint64      seed,
                                guint        n_mrr_neg)
{
  Gnn *gnn = gnn_get (widget);

  g_return_if_fail (gnn != NULL);
  if (graph == gnn->graph && seed == gnn->seed && n_mrr_neg == gnn->n_mrr_neg)
    return;
  if (gnn->cancel != NULL)
    {
      g_cancellable_cancel (gnn->cancel);
      g_clear_object (&gnn->cancel);
      gtk_label_set_text (gnn->status, _("Training cancelled: the evaluation changed."));
    }
  /* A run on another graph scores nothing of this one. */
  if (graph != gnn->graph)
    {
      g_clear_pointer (&gnn->trained, philia_link_train_result_free);
      g_clear_pointer (&gnn->trained_features, g_free);
    }
  g_set_object (&gnn->graph, graph);
  gnn->seed = seed;
  gnn->n_mrr_neg = n_mrr_neg;
  gnn_sync (gnn);
}

static void
on_train_clicked (GtkWidget *widget)
{
  Gnn *gnn = gnn_get (widget);
  guint m = gtk_drop_down_get_selected (gnn->model_dropdown);
  guint d = gtk_drop_down_get_selected (gnn->decoder_dropdown);

  if (m == GTK_INVALID_LIST_POSITION || d == GTK_INVALID_LIST_POSITION)
    return;
  philia_proximity_gnn_train (widget, gtk_string_list_get_string (gnn->models, m), decoders[d],
                              gtk_spin_button_get_value_as_int (gnn->epochs_spin));
}

static GtkSpinButton *
add_spin (GtkWidget  *grid,
          int         at,
          const char *label,
          const char *tooltip,
          double      min,
          double      max,
          double      step,
          guint       digits,
          double      value)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);
  GtkWidget *text = gtk_label_new (label);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 6);
  gtk_widget_set_tooltip_text (spin, tooltip);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  /* Two knobs a line, so the panel keeps its width. */
  gtk_grid_attach (GTK_GRID (grid), text, 2 * (at % 2), at / 2, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), spin, 2 * (at % 2) + 1, at / 2, 1, 1);
  return GTK_SPIN_BUTTON (spin);
}

/* The recipe's other knobs, starting from its defaults. */
static GtkWidget *
hyperparameter_row (Gnn *gnn)
{
  GtkWidget *grid = gtk_grid_new ();
  PhiliaLinkModelParams p;

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  philia_link_model_params_init (&p);
  gnn->epochs_spin = add_spin (grid, 0, _("Epochs"), _("The most epochs the run may take"),
                               1, 5000, 10, 0, 100);
  gnn->hidden_spin = add_spin (grid, 1, _("Hidden"),
                               _("Width of every layer and of the embedding"),
                               1, 4096, 16, 0, p.hidden);
  gnn->layers_spin = add_spin (grid, 2, _("Layers"), _("Encoder layers"), 1, 8, 1, 0, p.layers);
  gnn->lr_spin = add_spin (grid, 3, _("Learning rate"), _("Adam's learning rate"),
                           0.0001, 1, 0.001, 4, p.lr);
  gnn->dropout_spin = add_spin (grid, 4, _("Dropout"), _("Dropout between layers"),
                                0, 0.95, 0.05, 2, p.dropout);
  return grid;
}

GtkWidget *
philia_proximity_gnn_new (PhiliaProximityGnnFunc func,
                          gpointer               user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autoptr(GPtrArray) list = philia_registry_list (philia_registry_get_default (),
                                                    PHILIA_FAMILY_LINK_MODEL);
  Gnn *gnn = g_new0 (Gnn, 1);
  GtkStringList *names;
  const char *decoder_names[] = { _("dot product"), _("MLP on the Hadamard product"), NULL };

  gnn->func = func;
  gnn->user_data = user_data;
  gnn->loss = g_array_new (FALSE, FALSE, sizeof (double));
  gnn->val_hits = g_array_new (FALSE, FALSE, sizeof (double));
  g_object_set_data_full (G_OBJECT (box), "philia-proximity-gnn", gnn, (GDestroyNotify)gnn_free);

  /* Models are the registry's: plugins' link models come with the built-in. */
  gnn->models = gtk_string_list_new (NULL);
  names = gtk_string_list_new (NULL);
  for (guint i = 0; i < list->len; i++)
    {
      const PhiliaAlgorithm *a = list->pdata[i];

      gtk_string_list_append (gnn->models, a->id);
      gtk_string_list_append (names, a->name != NULL ? a->name : a->id);
    }
  gtk_box_append (GTK_BOX (row), gtk_label_new (_("GNN")));
  gnn->model_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (names), NULL));
  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (((const PhiliaAlgorithm *)list->pdata[i])->id, "gcn") == 0)
      gtk_drop_down_set_selected (gnn->model_dropdown, i);
  gtk_widget_set_tooltip_text (GTK_WIDGET (gnn->model_dropdown), _("Encoder"));
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (gnn->model_dropdown));
  gnn->decoder_dropdown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (decoder_names));
  gtk_widget_set_tooltip_text (GTK_WIDGET (gnn->decoder_dropdown),
                               _("Decoder: how a pair is scored from the two embeddings"));
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (gnn->decoder_dropdown));
  gnn->train_button = gtk_button_new_with_mnemonic (_("_Train"));
  gtk_widget_set_tooltip_text (gnn->train_button,
                               _("Train on the evaluation's split and add the GNN to the table"));
  g_signal_connect_swapped (gnn->train_button, "clicked", G_CALLBACK (on_train_clicked), box);
  gtk_box_append (GTK_BOX (row), gnn->train_button);
  gnn->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (gnn->cancel_button, "clicked",
                            G_CALLBACK (philia_proximity_gnn_cancel), box);
  gtk_box_append (GTK_BOX (row), gnn->cancel_button);
  gtk_box_append (GTK_BOX (box), row);
  gtk_box_append (GTK_BOX (box), hyperparameter_row (gnn));

  gnn->progress_bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (gnn->progress_bar));
  gnn->status = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_wrap (gnn->status, TRUE);
  gtk_label_set_xalign (gnn->status, 0);
  gtk_widget_add_css_class (GTK_WIDGET (gnn->status), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (gnn->status));
  gnn->curve = gtk_drawing_area_new ();
  gtk_widget_set_size_request (gnn->curve, -1, 80);
  gtk_widget_set_tooltip_text (gnn->curve, _("Training loss (dashed) and validation Hits@K "
                                             "(solid) by epoch"));
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (gnn->curve), draw_curve, gnn, NULL);
  gtk_box_append (GTK_BOX (box), gnn->curve);
  gnn_sync (gnn);
  return box;
}
