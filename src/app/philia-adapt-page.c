/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-adapt-page.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "philia-app-private.h"
#include "philia-chart-view.h"
#include "philia-file-chooser.h"
#include "philia-run-history.h"
#include "philia-run-overlay.h"
#include "philia-window.h"

/* A model to apply: a file, or a run of another open document (its model is
 * taken when first used, so the list costs nothing to build). */
typedef struct
{
  char              *label;
  char              *path;      /* a model file, or NULL */
  PhiliaDocumentRun *run;       /* a run of another document, or NULL */
  PhiliaGraph       *graph;     /* that run's graph */
  PhiliaSavedModel  *model;
} Source;

struct _PhiliaAdaptPage
{
  GtkWidget              parent_instance;

  GtkDropDown           *source_dropdown;
  GtkLabel              *source_label;
  GtkLabel              *target_label;
  GtkSpinButton         *epochs_spin;
  GtkLabel              *status_label;
  GtkLabel              *summary_label;
  GtkWidget             *changes_button;
  PhiliaChartView       *curves_chart;
  PhiliaChartView       *distribution_chart;
  PhiliaChartView       *homophily_chart;

  PhiliaDocument        *document;
  GPtrArray             *sources;       /* Source* */
  GtkFileChooserNative  *chooser;

  GCancellable          *cancellable;   /* discards a run (document gone) */
  GCancellable          *stop;          /* ends it, keeping the model reached */
  PhiliaGraph           *running_graph;
  char                  *running_source; /* the source's label, for the run's provenance */
  guint                  planned_epochs;
  GArray                *im_loss;
  GArray                *structure_loss;
  GArray                *accuracy;
  PhiliaAdaptComparison *comparison;
  char                 **class_names;
  guint                  result_run;
};

G_DEFINE_FINAL_TYPE (PhiliaAdaptPage, philia_adapt_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
source_free (Source *s)
{
  g_free (s->label);
  g_free (s->path);
  g_clear_pointer (&s->run, philia_document_run_unref);
  g_clear_object (&s->graph);
  philia_saved_model_free (s->model);
  g_free (s);
}

static PhiliaGraph *
target_graph (PhiliaAdaptPage *self)
{
  return self->document != NULL ? philia_document_get_graph (self->document) : NULL;
}

static Source *
selected_source (PhiliaAdaptPage *self)
{
  guint i = gtk_drop_down_get_selected (self->source_dropdown);

  return i < self->sources->len ? g_ptr_array_index (self->sources, i) : NULL;
}

/* The selected source's model, taken from its run on first use. */
static const PhiliaSavedModel *
source_model (PhiliaAdaptPage *self,
              GError         **error)
{
  Source *s = selected_source (self);

  if (s == NULL)
    {
      g_set_error_literal (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                           _("No source model: open a model file, or train a run in another "
                             "document."));
      return NULL;
    }
  if (s->model == NULL && s->run != NULL)
    s->model = philia_saved_model_new_from_run (s->run->result, s->graph, error);
  return s->model;
}

static void
set_status (PhiliaAdaptPage *self,
            const char      *text,
            gboolean         is_error)
{
  gtk_label_set_text (self->status_label, text);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
show_error (PhiliaAdaptPage *self,
            const char      *what,
            const GError    *error)
{
  g_autofree char *text = g_strdup_printf ("%s %s", what, error->message);

  set_status (self, text, TRUE);
}

static void
update_actions (PhiliaAdaptPage *self)
{
  gboolean running = self->cancellable != NULL;
  gboolean ready = !running && target_graph (self) != NULL && selected_source (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "adapt.apply", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "adapt.start", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "adapt.stop", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "adapt.show-changes", self->result_run != 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->source_dropdown), !running);
}

static void
update_labels (PhiliaAdaptPage *self)
{
  Source *s = selected_source (self);
  PhiliaGraph *graph = target_graph (self);
  g_autofree char *target = NULL;

  if (s == NULL)
    gtk_label_set_text (self->source_label,
                        _("Open a model file (philia-cli train --save-model, or Save Model… "
                          "on a run), or open the source graph in another window and train "
                          "there."));
  else if (s->model != NULL || s->path == NULL)
    {
      const PhiliaSavedModel *m = s->model;
      g_autofree char *text = NULL;

      if (m != NULL)
        text = g_strdup_printf (_("%s trained on %s: %u features, %u classes%s."),
                                philia_run_model_name (m->model),
                                m->source != NULL ? m->source : _("an unnamed graph"),
                                m->n_features, m->n_classes,
                                m->adapted_from != NULL ? _(", adapted") : "");
      else
        text = g_strdup_printf (_("A run of another open document (%s)."),
                                philia_graph_get_source (s->graph));
      gtk_label_set_text (self->source_label, text);
    }
  if (graph == NULL)
    target = g_strdup (_("Target: no graph open."));
  else
    target = g_strdup_printf (_("Target: this document (%s, %u nodes, %u features, "
                                "%u classes). Its labels, if any, only score the result."),
                              philia_graph_get_source (graph), philia_graph_get_n_nodes (graph),
                              philia_graph_get_n_features (graph),
                              philia_graph_get_n_classes (graph));
  gtk_label_set_text (self->target_label, target);
}

static void
fill_dropdown (PhiliaAdaptPage *self,
               guint            select)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; i < self->sources->len; i++)
    gtk_string_list_append (names, ((Source *)g_ptr_array_index (self->sources, i))->label);
  gtk_drop_down_set_model (self->source_dropdown, G_LIST_MODEL (names));
  if (select < self->sources->len)
    gtk_drop_down_set_selected (self->source_dropdown, select);
  update_labels (self);
  update_actions (self);
}

void
philia_adapt_page_refresh_sources (PhiliaAdaptPage *self)
{
  GtkRoot *root;
  GtkApplication *app;
  Source *keep;
  guint select = 0;

  g_return_if_fail (PHILIA_IS_ADAPT_PAGE (self));

  if (self->cancellable != NULL)
    return;
  keep = selected_source (self);
  /* Model files stay; runs are listed afresh. */
  for (guint i = self->sources->len; i > 0; i--)
    {
      Source *s = g_ptr_array_index (self->sources, i - 1);

      if (s->path == NULL)
        g_ptr_array_remove_index (self->sources, i - 1);
    }
  root = gtk_widget_get_root (GTK_WIDGET (self));
  app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  for (GList *l = app != NULL ? gtk_application_get_windows (app) : NULL; l != NULL; l = l->next)
    {
      PhiliaDocument *doc;
      g_autofree char *title = NULL;

      if (!PHILIA_IS_WINDOW (l->data))
        continue;
      doc = philia_window_get_document (l->data);
      if (doc == NULL || doc == self->document)
        continue;
      title = philia_document_dup_title (doc);
      for (guint i = 0; i < philia_document_get_n_runs (doc); i++)
        {
          const PhiliaDocumentRun *run = philia_document_get_run (doc, i);
          g_autofree char *name = NULL;
          Source *s;

          if (run->result->weights == NULL)
            continue;
          s = g_new0 (Source, 1);
          name = philia_run_overlay_run_name (run->result, run->id);
          /* Translators: a source model, "cora.npz: GCN #1" */
          s->label = g_strdup_printf (_("%s: %s"), title, name);
          s->run = philia_document_run_ref ((PhiliaDocumentRun *)run);
          s->graph = g_object_ref (philia_document_get_graph (doc));
          g_ptr_array_add (self->sources, s);
        }
    }
  for (guint i = 0; i < self->sources->len; i++)
    if (g_ptr_array_index (self->sources, i) == keep)
      select = i;
  fill_dropdown (self, select);
}

guint
philia_adapt_page_get_n_sources (PhiliaAdaptPage *self)
{
  g_return_val_if_fail (PHILIA_IS_ADAPT_PAGE (self), 0);
  return self->sources->len;
}

const char *
philia_adapt_page_get_source_label (PhiliaAdaptPage *self,
                                    guint            index)
{
  g_return_val_if_fail (PHILIA_IS_ADAPT_PAGE (self), NULL);
  g_return_val_if_fail (index < self->sources->len, NULL);
  return ((Source *)g_ptr_array_index (self->sources, index))->label;
}

void
philia_adapt_page_select_source (PhiliaAdaptPage *self,
                                 guint            index)
{
  g_return_if_fail (PHILIA_IS_ADAPT_PAGE (self));
  gtk_drop_down_set_selected (self->source_dropdown, index);
}

gboolean
philia_adapt_page_add_model_file (PhiliaAdaptPage *self,
                                  const char      *path,
                                  GError         **error)
{
  g_autoptr(PhiliaSavedModel) model = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *base = NULL;
  Source *s;

  g_return_val_if_fail (PHILIA_IS_ADAPT_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  model = philia_saved_model_load (path, &local);
  if (model == NULL)
    {
      show_error (self, _("Could not open the model."), local);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  base = g_path_get_basename (path);
  s = g_new0 (Source, 1);
  s->label = g_strdup (base);
  s->path = g_strdup (path);
  s->model = g_steal_pointer (&model);
  g_ptr_array_insert (self->sources, 0, s);
  fill_dropdown (self, 0);
  set_status (self, "", FALSE);
  return TRUE;
}

/* ------------------------------------------------------------- results */

static void
clear_results (PhiliaAdaptPage *self)
{
  g_array_set_size (self->im_loss, 0);
  g_array_set_size (self->structure_loss, 0);
  g_array_set_size (self->accuracy, 0);
  g_clear_pointer (&self->comparison, philia_adapt_comparison_free);
  g_clear_pointer (&self->class_names, g_strfreev);
  self->result_run = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), FALSE);
  gtk_widget_set_visible (self->changes_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->distribution_chart), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->homophily_chart), FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self->curves_chart));
}

static void
draw_curves (cairo_t                 *cr,
             double                   width,
             double                   height,
             const PhiliaRenderStyle *style,
             gpointer                 user_data)
{
  PhiliaAdaptPage *self = user_data;

  guint planned = self->planned_epochs > 0 ? self->planned_epochs
                 : (guint)gtk_spin_button_get_value_as_int (self->epochs_spin);

  philia_adapt_curves_draw (cr, width, height, planned, self->im_loss->len,
                            (const double *)(gpointer)self->im_loss->data,
                            (const double *)(gpointer)self->structure_loss->data,
                            (const double *)(gpointer)self->accuracy->data, style);
}

static void
draw_distribution (cairo_t                 *cr,
                   double                   width,
                   double                   height,
                   const PhiliaRenderStyle *style,
                   gpointer                 user_data)
{
  PhiliaAdaptPage *self = user_data;

  if (self->comparison != NULL)
    philia_adapt_distribution_draw (cr, width, height, self->comparison,
                                    (const char * const *)self->class_names, style);
}

static void
draw_homophily (cairo_t                 *cr,
                double                   width,
                double                   height,
                const PhiliaRenderStyle *style,
                gpointer                 user_data)
{
  PhiliaAdaptPage *self = user_data;

  if (self->comparison != NULL)
    philia_adapt_homophily_draw (cr, width, height, self->comparison, style);
}

/* "Adaptation did not improve accuracy on this target: 0.449 → 0.452", or
 * what did change, in plain words. */
static char *
summary_text (const PhiliaAdaptComparison *c)
{
  if (c->n_labeled == 0)
    return g_strdup_printf (_("The target has no labels, so nothing can be scored: %"
                              PRId64 " predictions changed."), c->n_changed);
  if (!philia_adapt_comparison_improved (c))
    return g_strdup_printf (_("Adaptation did not improve accuracy on this target: %.3f → %.3f "
                              "(%" PRId64 " nodes changed to right, %" PRId64
                              " to wrong: not a significant gain)."),
                            c->before_accuracy, c->after_accuracy, c->changed_right,
                            c->changed_wrong);
  return g_strdup_printf (_("Adaptation improved accuracy on this target: %.3f → %.3f "
                            "(%" PRId64 " nodes changed to right, %" PRId64
                            " to wrong; the labels only scored it)."),
                          c->before_accuracy, c->after_accuracy, c->changed_right,
                          c->changed_wrong);
}

static void
show_comparison (PhiliaAdaptPage         *self,
                 const PhiliaAdaptResult *result,
                 PhiliaGraph             *graph)
{
  g_autofree char *summary = NULL;
  guint c = result->before->n_classes;

  self->comparison = philia_adapt_comparison_new (graph, result->before->predictions,
                                                  result->after->predictions, c);
  self->class_names = g_new0 (char *, c + 1);
  for (guint k = 0; k < c; k++)
    {
      const char *name = k < philia_graph_get_n_classes (graph)
                         ? philia_graph_get_class_name (graph, k) : NULL;

      self->class_names[k] = name != NULL ? g_strdup (name) : g_strdup_printf (_("class %u"), k);
    }
  summary = summary_text (self->comparison);
  gtk_label_set_text (self->summary_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->distribution_chart), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->homophily_chart), TRUE);
  gtk_widget_queue_draw (GTK_WIDGET (self->distribution_chart));
  gtk_widget_queue_draw (GTK_WIDGET (self->homophily_chart));
}

static void
color_by (PhiliaAdaptPage *self,
          const char      *what)
{
  g_autofree char *id = NULL;

  if (self->document == NULL || self->result_run == 0)
    return;
  id = g_strdup_printf ("run:%u:%s", self->result_run, what);
  _philia_document_write_view (self->document, id, NULL, NULL);
}

guint
philia_adapt_page_apply (PhiliaAdaptPage *self,
                         GError         **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(PhiliaPrediction) p = NULL;
  g_autofree char *text = NULL;
  const PhiliaSavedModel *model;
  PhiliaGraph *graph;

  g_return_val_if_fail (PHILIA_IS_ADAPT_PAGE (self), 0);

  graph = target_graph (self);
  if (graph == NULL || self->cancellable != NULL)
    return 0;
  if ((model = source_model (self, &local)) == NULL ||
      (p = philia_saved_model_predict (model, graph, 1, &local)) == NULL)
    {
      show_error (self, _("Could not apply the model."), local);
      g_propagate_error (error, g_steal_pointer (&local));
      return 0;
    }
  clear_results (self);
  /* A step (Ctrl+Z takes it out again) that remembers where it came from. */
  self->result_run = philia_document_add_applied_run (
    self->document, philia_train_result_new_applied (model, p, graph, NULL),
    selected_source (self)->label, NULL);
  color_by (self, "prediction");
  if (p->n_labeled > 0)
    text = g_strdup_printf (_("Applied as run %u (no training): accuracy %.3f on %"
                              PRId64 " labeled nodes (majority class %.3f)."),
                            self->result_run, p->accuracy, p->n_labeled, p->majority_accuracy);
  else
    text = g_strdup_printf (_("Applied as run %u (no training); the graph has no labels to "
                              "score it."), self->result_run);
  set_status (self, text, FALSE);
  update_labels (self);
  update_actions (self);
  return self->result_run;
}

/* --------------------------------------------------------------- adapt */

static void
on_epochs (const PhiliaAdaptEpoch *epochs,
           guint                   n_epochs,
           gpointer                user_data)
{
  PhiliaAdaptPage *self = user_data;

  for (guint i = 0; i < n_epochs; i++)
    {
      g_array_append_val (self->im_loss, epochs[i].im_loss);
      g_array_append_val (self->structure_loss, epochs[i].structure_loss);
      g_array_append_val (self->accuracy, epochs[i].target_accuracy);
    }
  if (n_epochs > 0)
    {
      g_autofree char *text = g_strdup_printf (_("Adapting: epoch %u of %u."),
                                               epochs[n_epochs - 1].epoch, self->planned_epochs);

      set_status (self, text, FALSE);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->curves_chart));
}

static void
on_adapt_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(PhiliaAdaptPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaAdaptResult) result = philia_adapt_finish (res, &error);
  g_autoptr(PhiliaGraph) graph = g_steal_pointer (&self->running_graph);
  g_autofree char *source_label = g_steal_pointer (&self->running_source);
  g_autofree char *text = NULL;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->stop);
  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("Adaptation failed."), error);
      update_actions (self);
      return;
    }
  /* The document may have changed meanwhile: the result is of @graph only. */
  if (self->document == NULL || philia_document_get_graph (self->document) != graph)
    {
      update_actions (self);
      return;
    }
  self->result_run = philia_document_add_applied_run (
    self->document, philia_train_result_new_applied (result->adapted, result->after, graph,
                                                     result->before->predictions),
    source_label, result->adapted->adapted_from != NULL ? result->adapted->adapted_from : "soga");
  show_comparison (self, result, graph);
  gtk_widget_set_visible (self->changes_button, TRUE);
  color_by (self, "change");
  text = g_strdup_printf (_("Adapted in %u epochs (%.1f ms each), kept as run %u; the target’s "
                            "labels were not used."), result->n_epochs, result->epoch_ms_median,
                          self->result_run);
  set_status (self, text, FALSE);
  update_actions (self);
}

void
philia_adapt_page_set_epochs (PhiliaAdaptPage *self,
                              guint            epochs)
{
  g_return_if_fail (PHILIA_IS_ADAPT_PAGE (self));
  gtk_spin_button_set_value (self->epochs_spin, epochs);
}

gboolean
philia_adapt_page_start (PhiliaAdaptPage *self,
                         GError         **error)
{
  g_autoptr(GError) local = NULL;
  const PhiliaSavedModel *model;
  PhiliaAdaptParams params;
  PhiliaGraph *graph;

  g_return_val_if_fail (PHILIA_IS_ADAPT_PAGE (self), FALSE);

  graph = target_graph (self);
  if (graph == NULL || self->cancellable != NULL)
    return FALSE;
  /* Refused here, before a thread starts, with both numbers. */
  if ((model = source_model (self, &local)) == NULL ||
      !philia_saved_model_check_graph (model, graph, &local))
    {
      show_error (self, _("Could not adapt the model."), local);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  clear_results (self);
  philia_adapt_params_init (&params);
  params.epochs = gtk_spin_button_get_value_as_int (self->epochs_spin);
  self->planned_epochs = params.epochs;
  self->cancellable = g_cancellable_new ();
  self->stop = g_cancellable_new ();
  self->running_graph = g_object_ref (graph);
  g_free (self->running_source);
  self->running_source = g_strdup (selected_source (self)->label);
  set_status (self, _("Adapting…"), FALSE);
  philia_adapt_async_full (model, graph, &params, 0, 1, self->cancellable, self->stop,
                           on_epochs, self, NULL, on_adapt_done, g_object_ref (self));
  update_actions (self);
  return TRUE;
}

void
philia_adapt_page_stop (PhiliaAdaptPage *self)
{
  g_return_if_fail (PHILIA_IS_ADAPT_PAGE (self));
  if (self->stop != NULL)
    g_cancellable_cancel (self->stop);
}

gboolean
philia_adapt_page_get_running (PhiliaAdaptPage *self)
{
  g_return_val_if_fail (PHILIA_IS_ADAPT_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

guint
philia_adapt_page_get_n_curve_points (PhiliaAdaptPage *self)
{
  g_return_val_if_fail (PHILIA_IS_ADAPT_PAGE (self), 0);
  return self->im_loss->len;
}

const PhiliaAdaptComparison *
philia_adapt_page_get_comparison (PhiliaAdaptPage *self)
{
  g_return_val_if_fail (PHILIA_IS_ADAPT_PAGE (self), NULL);
  return self->comparison;
}

guint
philia_adapt_page_get_result_run (PhiliaAdaptPage *self)
{
  g_return_val_if_fail (PHILIA_IS_ADAPT_PAGE (self), 0);
  return self->result_run;
}

const char *
philia_adapt_page_get_status (PhiliaAdaptPage *self)
{
  g_return_val_if_fail (PHILIA_IS_ADAPT_PAGE (self), NULL);
  return gtk_label_get_text (self->status_label);
}

const char *
philia_adapt_page_get_summary (PhiliaAdaptPage *self)
{
  g_return_val_if_fail (PHILIA_IS_ADAPT_PAGE (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->summary_label))
         ? gtk_label_get_text (self->summary_label) : NULL;
}

GtkWidget *
philia_adapt_page_get_chart (PhiliaAdaptPage *self,
                             guint            index)
{
  PhiliaChartView *charts[3] = { self->curves_chart, self->distribution_chart,
                                 self->homophily_chart };

  g_return_val_if_fail (PHILIA_IS_ADAPT_PAGE (self), NULL);
  return index < 3 ? GTK_WIDGET (charts[index]) : NULL;
}

/* ------------------------------------------------------------- actions */

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  philia_adapt_page_apply (PHILIA_ADAPT_PAGE (widget), NULL);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  philia_adapt_page_start (PHILIA_ADAPT_PAGE (widget), NULL);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  philia_adapt_page_stop (PHILIA_ADAPT_PAGE (widget));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  philia_adapt_page_refresh_sources (PHILIA_ADAPT_PAGE (widget));
}

static void
show_changes_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  color_by (PHILIA_ADAPT_PAGE (widget), "change");
}

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     PhiliaAdaptPage *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  _philia_file_chooser_remember (GTK_FILE_CHOOSER (dialog), file);
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path != NULL)
    philia_adapt_page_add_model_file (self, path, &error);
  _philia_clear_file_chooser (&self->chooser, self);
}

static void
open_model_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PhiliaAdaptPage *self = PHILIA_ADAPT_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Open Model"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                               _("_Cancel"));
  _philia_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), _("Philia models"),
                                   (const char *[]) { "*" PHILIA_MODEL_EXTENSION, NULL });
  _philia_file_chooser_start (GTK_FILE_CHOOSER (self->chooser), "exports");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* -------------------------------------------------------------- object */

static void
on_source_selected (GtkDropDown     *dropdown,
                    GParamSpec      *pspec,
                    PhiliaAdaptPage *self)
{
  g_autoptr(GError) error = NULL;

  /* Taking the run's model now shows its facts (and any refusal) at once. */
  if (selected_source (self) != NULL && source_model (self, &error) == NULL)
    show_error (self, _("Could not use this run."), error);
  update_labels (self);
  update_actions (self);
}

static void
on_map (GtkWidget       *widget,
        PhiliaAdaptPage *self)
{
  philia_adapt_page_refresh_sources (self);
}

static void
set_document (PhiliaAdaptPage *self,
              PhiliaDocument  *document)
{
  if (self->document == document)
    return;
  /* A run in flight is of the old graph: it is dropped, not added elsewhere. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_set_object (&self->document, document);
  clear_results (self);
  set_status (self, "", FALSE);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    philia_adapt_page_refresh_sources (self);
  update_labels (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

static void
philia_adapt_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PhiliaAdaptPage *self = PHILIA_ADAPT_PAGE (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_adapt_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PhiliaAdaptPage *self = PHILIA_ADAPT_PAGE (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      set_document (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_adapt_page_dispose (GObject *object)
{
  PhiliaAdaptPage *self = PHILIA_ADAPT_PAGE (object);
  GtkWidget *child;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  _philia_clear_file_chooser (&self->chooser, self);
  g_clear_object (&self->document);
  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_ADAPT_PAGE);
  /* The scrolled window is not bound to a name: unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (philia_adapt_page_parent_class)->dispose (object);
}

static void
philia_adapt_page_finalize (GObject *object)
{
  PhiliaAdaptPage *self = PHILIA_ADAPT_PAGE (object);

  g_ptr_array_unref (self->sources);
  g_array_unref (self->im_loss);
  g_array_unref (self->structure_loss);
  g_array_unref (self->accuracy);
  g_clear_pointer (&self->comparison, philia_adapt_comparison_free);
  g_strfreev (self->class_names);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->stop);
  g_clear_object (&self->running_graph);
  g_clear_pointer (&self->running_source, g_free);
  G_OBJECT_CLASS (philia_adapt_page_parent_class)->finalize (object);
}

static void
philia_adapt_page_class_init (PhiliaAdaptPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_adapt_page_dispose;
  object_class->finalize = philia_adapt_page_finalize;
  object_class->get_property = philia_adapt_page_get_property;
  object_class->set_property = philia_adapt_page_set_property;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, PHILIA_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PHILIA_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-adapt-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaAdaptPage, source_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAdaptPage, source_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAdaptPage, target_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAdaptPage, epochs_spin);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAdaptPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAdaptPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAdaptPage, changes_button);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAdaptPage, curves_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAdaptPage, distribution_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAdaptPage, homophily_chart);

  gtk_widget_class_install_action (widget_class, "adapt.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "adapt.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "adapt.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "adapt.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "adapt.open-model", NULL, open_model_action);
  gtk_widget_class_install_action (widget_class, "adapt.show-changes", NULL,
                                   show_changes_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
philia_adapt_page_init (PhiliaAdaptPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->sources = g_ptr_array_new_with_free_func ((GDestroyNotify)source_free);
  self->im_loss = g_array_new (FALSE, FALSE, sizeof (double));
  self->structure_loss = g_array_new (FALSE, FALSE, sizeof (double));
  self->accuracy = g_array_new (FALSE, FALSE, sizeof (double));
  philia_chart_view_set_draw_func (self->curves_chart, draw_curves, self, NULL);
  philia_chart_view_set_draw_func (self->distribution_chart, draw_distribution, self, NULL);
  philia_chart_view_set_draw_func (self->homophily_chart, draw_homophily, self, NULL);
  philia_chart_view_set_export_name (self->curves_chart, "adaptation-curves");
  philia_chart_view_set_export_name (self->distribution_chart, "adaptation-class-distribution");
  philia_chart_view_set_export_name (self->homophily_chart, "adaptation-accuracy-by-homophily");
  g_signal_connect (self->source_dropdown, "notify::selected", G_CALLBACK (on_source_selected),
                    self);
  g_signal_connect (self, "map", G_CALLBACK (on_map), self);
  update_labels (self);
  update_actions (self);
}

GtkWidget *
philia_adapt_page_new (void)
{
  return g_object_new (PHILIA_TYPE_ADAPT_PAGE, NULL);
}
