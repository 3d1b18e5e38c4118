/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-train-panel.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "philia-app-private.h"
#include "philia-train-panel-private.h"
#include "philia-attention-view.h"
#include "philia-chart-view.h"
#include "philia-model-save.h"
#include "philia-param-grid.h"
#include "philia-run-history.h"
#include "philia-file-chooser.h"
#include "philia-run-overlay.h"
#include "philia-split-dialog.h"
#include "philia-train-curves.h"
#include "philia-window.h"

/* Runs over splits × seeds in progress: one at a time, in split-major order. */
struct _PhiliaTrainGroup
{
  char              *model;
  PhiliaTrainParams  params;
  guint64            first_seed;
  guint              threads;
  guint              n_splits;
  guint              n_seeds;
  guint              next;       /* index of the run in flight */
  GPtrArray         *done;       /* PhiliaTrainResult* */
};

static void
group_free (Group *group)
{
  g_free (group->model);
  g_clear_pointer (&group->done, g_ptr_array_unref);
  g_free (group);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Group, group_free)

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
static Run *add_group_to_document (PhiliaTrainPanel *self,
                                   Group            *group);

/* ------------------------------------------------------------- helpers */

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

/* ----------------------------------------------------------- parameters */

/* The chosen model's recipe in the grid, its description under the chooser. */
static void
fill_defaults (PhiliaTrainPanel *self)
{
  const char *id = selected_model (self);
  const PhiliaAlgorithm *algorithm;
  g_autofree char *text = NULL;
  const char *description;
  gboolean needs_features = FALSE;

  if (!philia_param_grid_set_model (self->params_grid, id, &needs_features))
    return;
  algorithm = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MODEL, id);
  description = algorithm->description != NULL ? algorithm->description : "";
  if (needs_features)
    /* Translators: appended to a model's description */
    text = g_strdup_printf ("%s %s", description, _("Needs node features."));
  else
    text = g_strdup (description);
  gtk_label_set_text (self->model_description, text);
  gtk_widget_set_visible (GTK_WIDGET (self->model_description), *text != '\0');
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
      text = g_strdup_printf (_("%'" PRId64 " / %'" PRId64 " / %'"
                                PRId64 " (train/val/test)"), train, val, test);
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

/* ------------------------------------------------------- inspect views */

/* The current run is the first selected one; everything that shows "the run"
 * follows it. */
static void
update_current (PhiliaTrainPanel *self)
{
  Run *run = philia_run_history_get_current (self->history);
  gboolean has_attention;

  if (run == self->current)
    return;

  _philia_train_panel_remove_canvas_layers (self);
  _philia_train_panel_clear_value_buttons (self);
  philia_attention_view_set_run (self->attention_view, NULL, NULL, 0);
  self->current = run;
  g_signal_emit (self, signals[CURRENT_RUN_CHANGED], 0);

  gtk_widget_set_sensitive (self->canvas_box,
                            run != NULL && self->document != NULL && run->doc_runs != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.export-csv", run != NULL);
  if (run == NULL || self->graph == NULL)
    return;

  if (self->document != NULL && run->doc_runs != NULL)
    _philia_train_panel_set_document_layer_buttons (self);
  has_attention = run->result->attention != NULL && run->result->attention->len > 0;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.edges-by-attention", has_attention);
  philia_attention_view_set_run (self->attention_view, self->graph, run->result,
                                 run->doc_runs != NULL && self->document != NULL
                                 ? ((PhiliaDocumentRun *) g_ptr_array_index (run->doc_runs,
                                                                             0))->id : 0);
}

static void
on_history_selection (PhiliaRunHistory *history,
                      PhiliaTrainPanel *self)
{
  /* Tearing the template down unselects rows too. */
  if (self->disposed)
    return;
  update_current (self);
  _philia_train_panel_update_compare (self);
  philia_train_curves_queue_draw (self->curves);
}

/* The inspect views let go of an entry before it is freed. */
static void
on_history_removing (PhiliaRunHistory *history,
                     PhiliaRunEntry   *entry,
                     PhiliaTrainPanel *self)
{
  if (self->current == entry)
    {
      self->current = NULL;
      g_signal_emit (self, signals[CURRENT_RUN_CHANGED], 0);
    }
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

  philia_train_curves_add_epochs (self->curves, epochs, n_epochs);
  if (self->group != NULL)
    fraction = (self->group->next + fraction) / group_total (self->group);
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);

  /* New text re-lays the whole scrolled panel out: some 15 times a second
   * keeps up with the curves without a relayout in every frame. */
  if (g_get_monotonic_time () - self->status_time < 60000 && last->epoch < last->n_epochs)
    return;
  self->status_time = g_get_monotonic_time ();
  if (self->group != NULL)
    /* Translators: live status of runs over splits × seeds: "Run 3 of 30 (split 0, seed 2) · " */
    g_string_append_printf (text, _("Run %u of %u (split %u, seed %" PRIu64 ") · "),
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
  g_autofree char *name = NULL;
  PhiliaTrainParams run_params;

  self->serial++;
  if (self->group != NULL)
    /* Translators: the live curves' legend name: "GCN run 3 of 30" */
    name = g_strdup_printf (_("%s run %u of %u"), philia_run_model_name (model),
                            self->group->next + 1, group_total (self->group));
  else
    name = g_strdup (philia_run_model_name (model));
  philia_train_curves_start_live (self->curves, name, self->live_color,
                                  params->epochs > 0 ? (guint) params->epochs : 0);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->status_time = 0;

  epochs_request = g_new0 (Request, 1);
  epochs_request->self = g_object_ref (self);
  epochs_request->serial = self->serial;
  done_request = g_new0 (Request, 1);
  done_request->self = g_object_ref (self);
  done_request->serial = self->serial;
  run_params = *params;
  run_params.split = split;
  run_params.seed = seed;
  run_params.n_threads = threads;
  philia_train_async (self->run_graph != NULL ? self->run_graph : self->graph, model, &run_params,
                      self->cancellable, on_epochs, epochs_request, (GDestroyNotify) request_free,
                      train_done_cb, done_request);
  philia_train_curves_queue_draw (self->curves);
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
  g_autofree char *details = philia_run_entry_details (run, TRUE);

  /* Translators: after runs over splits × seeds; the summary follows the colon */
  return g_strdup_printf (_("%s, %u splits × %u seeds (%u runs), mean ± sample standard "
                            "deviation: %s."), philia_run_model_name (run->result->model),
                          run->n_splits, run->n_seeds, run->members->len, details);
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

      philia_train_curves_reset_live (self->curves);
      if (self->document != NULL)
        run = add_group_to_document (self, group);
      else
        run = philia_run_history_add_group (self->history, group->done,
                                            group->n_splits, group->n_seeds, self->live_color);
      text = run != NULL ? group_status (run) : NULL;
      gtk_label_set_text (self->status_label, text != NULL ? text : "");
    }
  else if (result != NULL)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      /* Translators: after a run, "GCN: test ROC-AUC 0.957, accuracy 0.815 (majority 0.815)
       * at the best-validation epoch 35 (…)" */
      if (result->metric == PHILIA_METRIC_ROC_AUC)
        g_string_append_printf (text, _("%s: test ROC-AUC %.3f, accuracy %.3f (majority %.3f)"),
                                philia_run_model_name (result->model), result->test_roc_auc,
                                result->test_accuracy, result->test_majority);
      else
        g_string_append_printf (text, _("%s: test accuracy %.3f (majority %.3f)"),
                                philia_run_model_name (result->model), result->test_accuracy,
                                result->test_majority);
      g_string_append_printf (text, _(" at the best-validation epoch %u (%.1f s, median %.1f "
                                      "ms/epoch)."), result->best_epoch, result->seconds,
                              result->epoch_ms_median);
      gtk_label_set_text (self->status_label, text->str);
      philia_train_curves_reset_live (self->curves);
      if (self->document != NULL)
        {
          /* The document's "changed" puts it in the history, in the live colour. */
          philia_run_history_set_adopt_color (self->history, (gint) self->live_color);
          _philia_train_panel_record_features (self, philia_document_add_run (self->document,
                                                                               result), 1);
          philia_run_history_set_adopt_color (self->history, -1);
        }
      else
        philia_run_history_add_result (self->history, result, self->live_color);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = NULL;
      double ms = self->stop_time > 0 ? (g_get_monotonic_time () - self->stop_time) / 1000.0 : 0;

      if (group != NULL)
        /* Translators: after Stop during runs over splits × seeds */
        text = g_strdup_printf (_("Stopped in run %u of %u, after epoch %u (%.0f ms after Stop); "
                                  "the runs are not kept."), group->next + 1, group_total (group),
                                philia_train_curves_get_live_epochs (self->curves), ms);
      else
        /* Translators: after Stop, "Stopped after epoch 12 (142 ms after Stop)." */
        text = g_strdup_printf (_("Stopped after epoch %u (%.0f ms after Stop); the run is not "
                                  "kept."), philia_train_curves_get_live_epochs (self->curves), ms);
      gtk_label_set_text (self->status_label, text);
      philia_train_curves_reset_live (self->curves);
    }
  else
    {
      gtk_label_set_text (self->status_label, "");
      set_message (self, error->message);
      philia_train_curves_reset_live (self->curves);
    }
  self->stop_time = 0;
  philia_train_curves_queue_draw (self->curves);
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

  if (!_philia_train_panel_take_run_graph (self))
    return;
  philia_param_grid_read (self->params_grid, &params, &seed, &threads);
  split = (guint) gtk_spin_button_get_value (self->split_spin);
  self->live_color = philia_run_history_take_color (self->history);
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

  philia_run_history_remove_id (self->history, g_variant_get_uint32 (parameter));
}

static void
save_model_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PhiliaTrainPanel *self = PHILIA_TRAIN_PANEL (widget);
  PhiliaRunEntry *entry = philia_run_history_find (self->history,
                                                   g_variant_get_uint32 (parameter));

  if (entry != NULL && self->graph != NULL)
    _philia_model_save_dialog (widget, entry->result, self->graph);
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
  philia_train_curves_reset_live (self->curves);
  /* Nothing shows a run about to go. */
  self->current = NULL;
  g_signal_emit (self, signals[CURRENT_RUN_CHANGED], 0);
  philia_run_history_clear (self->history);
  philia_attention_view_set_selection (self->attention_view, NULL, 0);
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
  philia_train_curves_set_two_class (self->curves,
                                     graph != NULL && philia_graph_get_n_classes (graph) == 2);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_stack_set_visible_child_name (self->stack, graph != NULL ? "train" : "empty");
  update_start_action (self);
  philia_train_curves_queue_draw (self->curves);
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
          philia_run_history_sync (self->history);
        }
      return;
    }
  set_graph (self, graph);
}

/* ------------------------------------------------------------ document */

/* A finished group goes into the document as one (saved as one with the
 * project); the document's "changed" makes it one entry of the history, in
 * the live colour. */
static Run *
add_group_to_document (PhiliaTrainPanel *self,
                       Group            *group)
{
  guint first;

  /* The document takes the results. */
  g_ptr_array_set_free_func (group->done, NULL);
  philia_run_history_set_adopt_color (self->history, (gint) self->live_color);
  first = philia_document_add_run_group (self->document,
                                         (PhiliaTrainResult **) group->done->pdata,
                                         group->n_splits, group->n_seeds);
  _philia_train_panel_record_features (self, first, group->done->len);
  philia_run_history_set_adopt_color (self->history, -1);
  g_ptr_array_set_size (group->done, 0);
  return philia_run_history_find (self->history, first);
}

static void
on_document_changed (PhiliaDocument     *document,
                     PhiliaDocumentPart  parts,
                     PhiliaTrainPanel   *self)
{
  if (parts & PHILIA_DOCUMENT_PART_RUNS)
    philia_run_history_sync (self->history);
  if (parts & PHILIA_DOCUMENT_PART_FEATURES)
    _philia_train_panel_sync_features (self);
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
  philia_run_history_sync (self->history);
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
  philia_attention_view_set_document (self->attention_view, document);
  /* Another document's history (or none) replaces this one's. */
  set_graph (self, NULL);
  philia_run_history_set_document (self->history, document);
  if (document != NULL)
    {
      g_signal_connect (document, "changed", G_CALLBACK (on_document_changed), self);
      g_signal_connect (document, "notify::graph", G_CALLBACK (on_document_graph), self);
      set_graph (self, philia_document_get_graph (document));
      philia_run_history_sync (self->history);
    }
  _philia_train_panel_sync_features (self);
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
  g_clear_object (&self->run_graph);
  g_clear_pointer (&self->run_features, g_free);
  g_clear_pointer (&self->feature_names, g_ptr_array_unref);

  /* The charts draw our data: detach them first. */
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

  g_clear_pointer (&self->model_ids, g_ptr_array_unref);
  g_clear_pointer (&self->value_buttons, g_ptr_array_unref);
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
  g_type_ensure (PHILIA_TYPE_PARAM_GRID);
  g_type_ensure (PHILIA_TYPE_ATTENTION_VIEW);
  g_type_ensure (PHILIA_TYPE_RUN_HISTORY);
  g_type_ensure (PHILIA_TYPE_TRAIN_CURVES);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-train-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, model_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, features_dropdown);
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
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, curves);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, history);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, canvas_box);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, color_box);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainPanel, attention_view);
  gtk_widget_class_bind_template_callback (widget_class, on_model_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_split_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_many_toggled);

  gtk_widget_class_install_action (widget_class, "train.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "train.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "train.remove-run", "u", remove_run_action);
  gtk_widget_class_install_action (widget_class, "train.save-model", "u", save_model_action);
  gtk_widget_class_install_action (widget_class, "train.color-by", "s",
                                   _philia_train_panel_color_by_action);
  gtk_widget_class_install_action (widget_class, "train.edges-by-attention", NULL,
                                   _philia_train_panel_edges_action);
  gtk_widget_class_install_action (widget_class, "train.export-figure", "s",
                                   _philia_train_panel_export_figure_action);
  gtk_widget_class_install_action (widget_class, "train.export-csv", "s",
                                   _philia_train_panel_export_csv_action);
  gtk_widget_class_install_action (widget_class, "train.make-splits", NULL, make_splits_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
philia_train_panel_init (PhiliaTrainPanel *self)
{
  self->model_ids = g_ptr_array_new_with_free_func (g_free);
  self->value_buttons = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  _philia_widget_scroll_not_values (GTK_WIDGET (self));

  fill_models (self);
  _philia_train_panel_sync_features (self);
  philia_train_curves_set_history (self->curves, self->history);
  g_signal_connect (self->history, "selection-changed", G_CALLBACK (on_history_selection),
                    self);
  g_signal_connect (self->history, "removing", G_CALLBACK (on_history_removing), self);
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
