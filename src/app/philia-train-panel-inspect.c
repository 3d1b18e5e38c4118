/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "philia-app-private.h"
#include "philia-file-chooser.h"
#include "philia-run-overlay.h"
#include "philia-train-panel-private.h"

/* The Train panel's inspect views (the document overlays of the current run),
 * its figure and CSV exports, and its accessors. */

/* Colours the canvas by @overlay: a step ("Colouring") of the document's. */
static void
write_color_by (PhiliaTrainPanel *self,
                const char       *overlay)
{
  _philia_document_write_view (self->document, overlay, NULL, NULL);
}

/* The document's overlays of the run stay (undoable, in its overlay list);
 * the attention view forgets what it showed. */
void
_philia_train_panel_remove_canvas_layers (PhiliaTrainPanel *self)
{
  philia_attention_view_remove_layers (self->attention_view);
}

void
_philia_train_panel_clear_value_buttons (PhiliaTrainPanel *self)
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
void
_philia_train_panel_set_document_layer_buttons (PhiliaTrainPanel *self)
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

/* The selected runs' attention side by side (a transformer's against a GAT's). */
void
_philia_train_panel_update_compare (PhiliaTrainPanel *self)
{
  g_autofree Run **selected = NULL;
  guint n = philia_run_history_get_selected (self->history, &selected);
  g_autofree const PhiliaTrainResult **results = g_new0 (const PhiliaTrainResult *, n + 1);
  g_autofree const char **names = g_new0 (const char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      results[i] = selected[i]->result;
      names[i] = philia_run_history_display_name (self->history, selected[i]);
    }
  philia_attention_view_set_compare (self->attention_view, self->graph, results, names, n);
}

void
_philia_train_panel_color_by_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  PhiliaTrainPanel *self = PHILIA_TRAIN_PANEL (widget);
  const char *what = g_variant_get_string (parameter, NULL);
  g_autofree char *overlay = NULL;
  guint id;

  /* A run's colourings are overlays of the document (undoable, in its
   * overlay list, saved): the canvas derives them from the run. */
  if (self->current == NULL || self->document == NULL || self->current->doc_runs == NULL)
    return;
  id = ((PhiliaDocumentRun *) g_ptr_array_index (self->current->doc_runs, 0))->id;
  if (g_str_equal (what, "prediction"))
    overlay = g_strdup_printf ("run:%u:prediction", id);
  else if (g_str_equal (what, "correctness"))
    overlay = g_strdup_printf ("run:%u:correct", id);
  else if (g_str_equal (what, "same-label") || g_str_equal (what, "self-attention"))
    philia_attention_view_show_layer (self->attention_view, what);
  else if (philia_run_overlay_parse (what, NULL, NULL))
    overlay = g_strdup (what);
  if (overlay != NULL)
    write_color_by (self, overlay);
}

void
_philia_train_panel_edges_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  philia_attention_view_show_edges (PHILIA_TRAIN_PANEL (widget)->attention_view);
}

void
_philia_train_panel_export_figure_action (GtkWidget  *widget,
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

void
_philia_train_panel_export_csv_action (GtkWidget  *widget,
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

PhiliaGraph *
philia_train_panel_get_graph (PhiliaTrainPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), NULL);

  return self->graph;
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
  g_autoptr(GArray) selection = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_if_fail (PHILIA_IS_TRAIN_PANEL (self));
  g_return_if_fail (nodes != NULL || n_nodes == 0);

  if (self->graph != NULL)
    for (guint i = 0; i < n_nodes; i++)
      if (nodes[i] < philia_graph_get_n_nodes (self->graph))
        g_array_append_val (selection, nodes[i]);
  philia_attention_view_set_selection (self->attention_view, (const guint *) selection->data,
                                       selection->len);
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
  return philia_param_grid_get_spin (self->params_grid, key);
}

guint
philia_train_panel_get_n_runs (PhiliaTrainPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), 0);

  return philia_run_history_get_n_entries (self->history);
}

/* "title|details" of history row @index, or %NULL. */
char *
philia_train_panel_dup_run_text (PhiliaTrainPanel *self,
                                 guint             index)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), NULL);

  return philia_run_history_dup_text (self->history, index);
}

/* Selects history rows @indices (as Ctrl-clicks do); the first becomes current. */
void
philia_train_panel_select_runs (PhiliaTrainPanel *self,
                                const guint      *indices,
                                guint             n_indices)
{
  g_return_if_fail (PHILIA_IS_TRAIN_PANEL (self));

  philia_run_history_select (self->history, indices, n_indices);
}

/* Curves drawn on each curve chart: two per shown run (selected or live). */
guint
philia_train_panel_get_n_shown_curves (PhiliaTrainPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), 0);

  return philia_train_curves_get_n_shown (self->curves);
}

/* Epochs of the run in progress that reached the panel. */
guint
philia_train_panel_get_live_epochs (PhiliaTrainPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), 0);

  return philia_train_curves_get_live_epochs (self->curves);
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

  if (philia_train_curves_get_chart (self->curves, name) != NULL)
    return philia_train_curves_get_chart (self->curves, name);
  if (g_str_equal (name, "homophily"))
    return philia_run_history_get_chart (self->history);
  return philia_attention_view_get_chart (self->attention_view, name);
}

/* The "Runs over splits × seeds" check box. */
GtkCheckButton *
philia_train_panel_get_many_check (PhiliaTrainPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), NULL);

  return self->many_check;
}
