/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "philia-app-private.h"
#include "philia-chart-view.h"
#include "philia-proximity-gnn.h"
#include "philia-proximity-panel-private.h"

/* The Proximity panel's link prediction evaluation: the table, the Hits@K
 * chart and the overlap heatmap, of a fresh evaluation or of the document's
 * (recomputed from its recipe when reopened from a project). */

static void
draw_figure (cairo_t                 *cr,
             double                   width,
             double                   height,
             const PhiliaRenderStyle *style,
             gpointer                 user_data)
{
  PhiliaLinkpredFigure *figure = user_data;

  philia_linkpred_figure_set_style (figure, style);
  philia_linkpred_figure_draw (cr, width, height, figure);
}

static void
rebuild_figures (PhiliaProximityPanel *self)
{
  PhiliaChartView *charts[] = { self->hits_chart, self->overlap_chart, self->factors_chart };
  guint k = (guint)gtk_spin_button_get_value_as_int (self->k_spin);

  /* Plugins' and GNNs' results after the report's, like a heuristic's. */
  g_clear_pointer (&self->view.results, g_free);
  if (self->report != NULL)
    {
      self->view = *self->report;
      self->view.n_results = self->report->n_results + self->extra_results->len;
      self->view.results = g_new (PhiliaLinkpredResult *, MAX (self->view.n_results, 1));
      memcpy (self->view.results, self->report->results,
              self->report->n_results * sizeof (PhiliaLinkpredResult *));
      memcpy (self->view.results + self->report->n_results, self->extra_results->pdata,
              self->extra_results->len * sizeof (PhiliaLinkpredResult *));
    }

  for (guint i = 0; i < PHILIA_N_LINKPRED_FIGURES; i++)
    {
      PhiliaLinkpredFigure *old = self->figures[i];

      self->figures[i] = self->report ? philia_linkpred_figure_new (i, &self->view, k) : NULL;
      philia_chart_view_set_draw_func (charts[i], self->figures[i] ? draw_figure : NULL,
                                       self->figures[i], NULL);
      gtk_widget_set_visible (GTK_WIDGET (charts[i]), self->figures[i] != NULL);
      philia_linkpred_figure_free (old);
    }
  _philia_proximity_panel_show_factors (self, k);
}

static void
on_k_changed (PhiliaProximityPanel *self)
{
  rebuild_figures (self);
}

/* Rows of the plugins' and GNNs' results, after the built-in heuristics. */
static void
show_extra_rows (PhiliaProximityPanel *self)
{
  for (guint i = 0; i < self->eval_extra->len; i++)
    gtk_grid_remove (self->eval_grid, self->eval_extra->pdata[i]);
  g_ptr_array_set_size (self->eval_extra, 0);
  for (guint i = 0; self->report != NULL && i < self->extra_results->len; i++)
    {
      const PhiliaLinkpredResult *res = self->extra_results->pdata[i];
      double values[] = { res->hits[1], res->hits[2], res->hits[3], res->mrr, res->auc };

      for (guint c = 0; c < N_EVAL_COLUMNS; c++)
        {
          g_autofree char *text = c == 0 ? philia_linkpred_predictor_title (res->name)
                                         : g_strdup_printf ("%.3f", values[c - 1]);
          g_autofree char *tip = c == 0 ? philia_linkpred_predictor_tooltip (res->name) : NULL;
          GtkWidget *label = gtk_label_new (text);

          gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0 : 1);
          gtk_widget_set_tooltip_text (label, tip);
          if (c > 0)
            gtk_widget_add_css_class (label, "numeric");
          gtk_grid_attach (self->eval_grid, label, (int)c,
                           (int)(self->report->n_results + 1 + i), 1, 1);
          g_ptr_array_add (self->eval_extra, label);
        }
    }
}

void
_philia_proximity_panel_show_report (PhiliaProximityPanel *self)
{
  const PhiliaLinkpredReport *r = self->report;
  g_autofree char *status = NULL;

  for (guint row = 0; row <= PHILIA_PROXIMITY_N_HEURISTICS; row++)
    for (guint c = 0; c < N_EVAL_COLUMNS; c++)
      {
        GtkLabel *cell = self->eval_cells[row][c];

        gtk_widget_set_visible (GTK_WIDGET (cell), row == 0 || (r && row - 1 < r->n_results));
        if (r == NULL || row == 0 || row - 1 >= r->n_results)
          continue;
        {
          const PhiliaLinkpredResult *res = r->results[row - 1];
          double values[] = { res->hits[1], res->hits[2], res->hits[3], res->mrr, res->auc };
          const char *id = philia_proximity_heuristic_to_string (res->heuristic);
          g_autofree char *text = c == 0 ? philia_linkpred_predictor_title (id)
                                         : g_strdup_printf ("%.3f", values[c - 1]);
          g_autofree char *tip = c == 0 ? philia_linkpred_predictor_tooltip (id) : NULL;

          gtk_label_set_text (cell, text);
          gtk_widget_set_tooltip_text (GTK_WIDGET (cell), tip);
        }
      }
  show_extra_rows (self);
  gtk_widget_set_visible (GTK_WIDGET (self->eval_grid), r != NULL);
  if (r != NULL)
    {
      philia_proximity_gnn_set_split (self->gnn, r->split->full, r->split->seed,
                                      r->split->n_mrr_neg);
      philia_proximity_gnn_set_features (self->gnn, REPORT_FEATURES (self));
    }
  gtk_widget_set_visible (self->gnn, r != NULL);
  if (r != NULL)
    {
      status = g_strdup_printf (_("Split seed %" PRIu64 ": %" PRId64
                                  " train, %" PRId64 " valid, %" PRId64
                                  " test edges; as many random non-edges; MRR against %u per "
                                  "test edge.%s"),
                                r->split->seed, r->split->n_train, r->split->n_valid,
                                r->split->n_test, r->split->n_mrr_neg,
                                (r->mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_FP)) ? ""
                                : _(" No features: fp left out."));
      if (r->mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_FP))
        {
          /* Translators: the feature set fp and the GNNs of an evaluation used */
          g_autofree char *features = g_strdup_printf (_(" Features: “%s” (fp and GNNs)."),
                                                       REPORT_FEATURES (self));
          char *longer = g_strconcat (status, features, NULL);

          g_free (status);
          status = longer;
        }
      gtk_label_set_text (self->eval_status, status);
    }
  rebuild_figures (self);
}

void
_philia_proximity_panel_set_evaluating (PhiliaProximityPanel *self,
                gboolean              running)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "proximity.evaluate",
                                 !running && self->graph != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "proximity.cancel", running);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running);
}

void
_philia_proximity_panel_drop_report (PhiliaProximityPanel *self)
{
  if (self->report_borrowed)
    self->report = NULL;
  g_clear_pointer (&self->report, philia_linkpred_report_free);
  self->report_borrowed = FALSE;
  self->report_id = 0;
  g_clear_pointer (&self->report_features, g_free);
  g_ptr_array_set_size (self->extra_results, 0);
}

/* The GNN link predictors the document keeps with evaluation @id, after
 * the heuristics like a fresh run's. */
static void
add_document_models (PhiliaProximityPanel *self,
                     guint                 id)
{
  guint n = self->document != NULL ? philia_document_get_n_evaluations (self->document) : 0;

  for (guint i = 0; i < n; i++)
    {
      const PhiliaDocumentEvaluation *e = philia_document_get_evaluation (self->document, i);

      if (e->id != id || e->models == NULL)
        continue;
      for (guint m = 0; m < e->models->len; m++)
        {
          const PhiliaLinkTrainResult *t = e->models->pdata[m];

          if (self->report == NULL || t->result->n_test == self->report->split->n_test)
            g_ptr_array_add (self->extra_results, philia_linkpred_result_copy (t->result));
        }
    }
}

void
_philia_proximity_panel_on_gnn_result (PhiliaLinkpredResult *result,
               gpointer              user_data)
{
  PhiliaProximityPanel *self = user_data;
  PhiliaLinkTrainResult *trained = philia_proximity_gnn_get_trained (self->gnn);

  g_ptr_array_add (self->extra_results, result);
  if (self->document != NULL && self->report_id != 0 && trained != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* The project keeps the model with the evaluation it was scored on. */
      if (!philia_document_add_evaluation_model (self->document, self->report_id, trained,
                                                 &error))
        g_warning ("%s", error->message);
    }
  if (self->report != NULL)
    _philia_proximity_panel_show_report (self);
  _philia_proximity_panel_gnn_trained (self);
}

static void
evaluate_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PhiliaProximityPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plugins = NULL;
  PhiliaLinkpredReport *report = philia_proximity_evaluate_all_finish (result, &plugins, &error);
  g_autofree char *features = NULL;
  guint id;

  _philia_proximity_panel_set_busy (self, -1);
  if (self->eval_cancel == NULL || g_task_get_cancellable (G_TASK (result)) != self->eval_cancel)
    {
      /* The graph changed underneath; nothing to show. */
      philia_linkpred_report_free (report);
      return;
    }
  /* The set the graph carried when Evaluate was pressed. */
  features = g_strdup (g_object_get_data (G_OBJECT (self->eval_cancel), "features"));
  g_clear_object (&self->eval_cancel);
  _philia_proximity_panel_set_evaluating (self, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->eval_status), TRUE);
  if (report == NULL)
    {
      gtk_label_set_text (self->eval_status,
                          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                          ? _("Evaluation cancelled.") : error->message);
      return;
    }
  _philia_proximity_panel_drop_report (self);
  if (self->document != NULL)
    {
      PhiliaProximityParams params;

      /* The document keeps it; its "changed" shows it (the latest). */
      philia_proximity_params_init_default (&params);
      id = philia_document_add_evaluation (self->document, &params, report->split->seed,
                                           report->split->n_mrr_neg, report);
      /* Recorded before "changed" shows it: a set removed since the
       * evaluation started stays named (the refusal names it). */
      if (!philia_document_set_evaluation_features (self->document, id, features))
        g_debug ("Evaluation %u keeps the original features: “%s” is gone.", id, features);
    }
  else
    {
      self->report = report;
      self->report_features = g_strdup (features);
    }
  /* The plugins' results stay the panel's; the document keeps the built-in ones. */
  while (plugins->len > 0 && self->report == report)
    g_ptr_array_add (self->extra_results, g_ptr_array_steal_index (plugins, 0));
  _philia_proximity_panel_show_report (self);
}

/* A fresh progress for the next job, shown by the panel's bar. */
static void
show_new_progress (PhiliaProximityPanel *self)
{
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  g_clear_pointer (&self->progress_text_binding, g_binding_unbind);
  g_clear_object (&self->progress);
  self->progress = philia_progress_new ();
  self->progress_binding = g_object_bind_property (self->progress, "fraction",
                                                   self->progress_bar, "fraction",
                                                   G_BINDING_SYNC_CREATE);
  self->progress_text_binding = g_object_bind_property (self->progress, "message",
                                                        self->progress_bar, "text",
                                                        G_BINDING_SYNC_CREATE);
}

void
philia_proximity_panel_evaluate (PhiliaProximityPanel *self,
                                 guint                 n_mrr_neg)
{
  PhiliaProximityParams params;

  g_return_if_fail (PHILIA_IS_PROXIMITY_PANEL (self));

  if (self->graph == NULL || self->eval_cancel != NULL)
    return;
  self->eval_cancel = g_cancellable_new ();
  show_new_progress (self);
  _philia_proximity_panel_set_evaluating (self, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->eval_status), FALSE);
  philia_proximity_params_init_default (&params);
  g_object_set_data_full (G_OBJECT (self->eval_cancel), "features",
                          g_strdup (self->features.graph != NULL && self->features.name != NULL
                                    ? self->features.name : PHILIA_FEATURES_ORIGINAL),
                          g_free);
  _philia_proximity_panel_set_busy (self, +1);
  philia_proximity_evaluate_all_async (PROXIMITY_SCORE_GRAPH (self), &params, PHILIA_PROXIMITY_ALL,
                                       (guint64)gtk_spin_button_get_value_as_int (self->seed_spin),
                                       n_mrr_neg, self->progress, self->eval_cancel,
                                       evaluate_done, g_object_ref (self));
}

static void
evaluate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  philia_proximity_panel_evaluate (PHILIA_PROXIMITY_PANEL (widget), 100);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PhiliaProximityPanel *self = PHILIA_PROXIMITY_PANEL (widget);

  g_cancellable_cancel (self->eval_cancel);
}

/* The figures a project stored, while the report is recomputed: the table
 * columns are Hits@20, @50, @100, MRR and AUC. */
static void
show_summary (PhiliaProximityPanel           *self,
              const PhiliaDocumentEvaluation *evaluation)
{
  guint row = 1;

  for (guint r = 0; r <= PHILIA_PROXIMITY_N_HEURISTICS; r++)
    for (guint c = 0; c < N_EVAL_COLUMNS; c++)
      gtk_widget_set_visible (GTK_WIDGET (self->eval_cells[r][c]), r == 0);
  for (guint h = 0, i = 0; h < PHILIA_PROXIMITY_N_HEURISTICS && i < evaluation->n_heuristics;
       h++)
    {
      const double *f;
      double values[5];

      if (!(evaluation->mask & PHILIA_PROXIMITY_MASK (h)))
        continue;
      f = evaluation->summary + 6 * i++;
      values[0] = f[3], values[1] = f[4], values[2] = f[5], values[3] = f[2], values[4] = f[0];
      for (guint c = 0; c < N_EVAL_COLUMNS; c++)
        {
          const char *id = philia_proximity_heuristic_to_string (h);
          g_autofree char *text = c == 0 ? philia_linkpred_predictor_title (id)
                                         : g_strdup_printf ("%.3f", values[c - 1]);
          g_autofree char *tip = c == 0 ? philia_linkpred_predictor_tooltip (id) : NULL;

          gtk_label_set_text (self->eval_cells[row][c], text);
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->eval_cells[row][c]), tip);
          gtk_widget_set_visible (GTK_WIDGET (self->eval_cells[row][c]), TRUE);
        }
      row++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->eval_grid), evaluation->summary != NULL);
}

static void
recompute_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PhiliaProximityPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  PhiliaLinkpredReport *report = philia_linkpred_report_new_finish (result, &error);
  guint id;

  _philia_proximity_panel_set_busy (self, -1);
  if (self->eval_cancel == NULL || g_task_get_cancellable (G_TASK (result)) != self->eval_cancel)
    {
      philia_linkpred_report_free (report);
      return;
    }
  id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self->eval_cancel), "evaluation"));
  g_clear_object (&self->eval_cancel);
  _philia_proximity_panel_set_evaluating (self, FALSE);
  if (report == NULL)
    {
      gtk_label_set_text (self->eval_status,
                          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                          ? _("Recomputing the evaluation was cancelled; the table shows the "
                              "figures the project stored.") : error->message);
      return;
    }
  /* The panel keeps what it recomputed (the same report again, from the
   * recipe); the document's evaluation stays as it was read. */
  _philia_proximity_panel_drop_report (self);
  self->report = report;
  self->report_id = id;
  for (guint i = 0; i < philia_document_get_n_evaluations (self->document); i++)
    if (philia_document_get_evaluation (self->document, i)->id == id)
      self->report_features = g_strdup (philia_document_get_evaluation (self->document,
                                                                         i)->features);
  add_document_models (self, id);
  _philia_proximity_panel_show_report (self);
}

/* Shows the document's latest evaluation: its report, or, for one reopened
 * from a project, its stored figures while the report is recomputed from
 * its recipe on a worker. */
void
_philia_proximity_panel_sync_evaluation (PhiliaProximityPanel *self)
{
  guint n = philia_document_get_n_evaluations (self->document);
  const PhiliaDocumentEvaluation *e = n > 0 ? philia_document_get_evaluation (self->document,
                                                                              n - 1) : NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;

  if (e != NULL && e->id == self->report_id && (e->report == NULL || e->report == self->report))
    {
      /* Its features are recorded just after it is added. */
      if (g_strcmp0 (e->features, self->report_features) != 0)
        {
          g_free (self->report_features);
          self->report_features = g_strdup (e->features);
          _philia_proximity_panel_show_report (self);
        }
      return;
    }
  if (self->eval_cancel != NULL && e != NULL
      && g_object_get_data (G_OBJECT (self->eval_cancel), "evaluation") == GUINT_TO_POINTER (e->id))
    return;   /* already recomputing it */
  if (self->eval_cancel != NULL)
    {
      g_cancellable_cancel (self->eval_cancel);
      g_clear_object (&self->eval_cancel);
      _philia_proximity_panel_set_evaluating (self, FALSE);
    }
  _philia_proximity_panel_drop_report (self);
  if (e == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->eval_status), FALSE);
      _philia_proximity_panel_show_report (self);
      return;
    }
  if (e->report != NULL)
    {
      self->report = e->report;
      self->report_borrowed = TRUE;
      self->report_id = e->id;
      self->report_features = g_strdup (e->features);
      add_document_models (self, e->id);
      gtk_widget_set_visible (GTK_WIDGET (self->eval_status), TRUE);
      _philia_proximity_panel_show_report (self);
      return;
    }

  _philia_proximity_panel_show_report (self);
  show_summary (self, e);
  /* Recomputed on the features it was made with, not today's choice; a
   * set removed since cannot give its figures again. */
  graph = philia_document_dup_evaluation_graph (self->document, e->id, &error);
  if (graph == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->eval_status), TRUE);
      gtk_label_set_text (self->eval_status, error->message);
      return;
    }
  self->eval_cancel = g_cancellable_new ();
  g_object_set_data (G_OBJECT (self->eval_cancel), "evaluation", GUINT_TO_POINTER (e->id));
  show_new_progress (self);
  _philia_proximity_panel_set_evaluating (self, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->eval_status), TRUE);
  gtk_label_set_text (self->eval_status,
                      _("Recomputing the charts of the saved evaluation from its recipe; the "
                        "table shows the figures the project stored."));
  _philia_proximity_panel_set_busy (self, +1);
  /* The evaluation's id rides on the cancellable, which recompute_done matches. */
  philia_linkpred_report_new_async (graph, &e->params, e->mask, e->seed, e->n_mrr_neg,
                                    self->progress, self->eval_cancel, recompute_done,
                                    g_object_ref (self));
}
void
_philia_proximity_panel_class_init_evaluation (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_k_changed);
  gtk_widget_class_install_action (widget_class, "proximity.evaluate", NULL, evaluate_action);
  gtk_widget_class_install_action (widget_class, "proximity.cancel", NULL, cancel_action);
}
