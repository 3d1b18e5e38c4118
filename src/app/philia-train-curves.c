/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-train-curves.h"

#include <glib/gi18n.h>
#include <math.h>

#include "philia-chart-view.h"

/* The Train panel's curves: accuracy, ROC-AUC (two-class data only) and
 * loss per epoch of the runs selected in the history, as mean ± sd for a
 * group, and of the run in progress as its epochs arrive. */

typedef PhiliaRunEntry Run;

typedef enum
{
  CHART_ACCURACY,
  CHART_ROC_AUC,
  CHART_LOSS,
} ChartKind;

struct _PhiliaTrainCurves
{
  GtkWidget          parent_instance;

  /* Template widgets */
  PhiliaChartView   *accuracy_chart;
  PhiliaChartView   *roc_auc_chart;
  PhiliaChartView   *loss_chart;

  /* Borrowed */
  PhiliaRunHistory  *history;         /* weak */

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
};

G_DEFINE_FINAL_TYPE (PhiliaTrainCurves, philia_train_curves, GTK_TYPE_WIDGET)

static GArray *
live_curve (PhiliaTrainCurves *self,
            PhiliaRunCurve     kind)
{
  switch (kind)
    {
    case PHILIA_RUN_CURVE_LOSS:
      return self->live_loss;
    case PHILIA_RUN_CURVE_VAL_LOSS:
      return self->live_val_loss;
    case PHILIA_RUN_CURVE_TRAIN_ACC:
      return self->live_train;
    case PHILIA_RUN_CURVE_VAL_ACC:
      return self->live_val;
    case PHILIA_RUN_CURVE_TRAIN_AUC:
      return self->live_train_auc;
    case PHILIA_RUN_CURVE_VAL_AUC:
    case PHILIA_RUN_N_CURVES:
    default:
      return self->live_val_auc;
    }
}

/* The baseline of the current run: the validation accuracy of the majority
 * class on the accuracy chart, the 0.5 of a constant score on the ROC-AUC one. */
static double
chart_baseline (PhiliaTrainCurves *self,
                ChartKind          kind,
                const char       **label)
{
  PhiliaRunEntry *current = self->history != NULL
                            ? philia_run_history_get_current (self->history) : NULL;

  *label = NULL;
  if (kind == CHART_ROC_AUC)
    {
      *label = _("chance (constant score)");
      return 0.5;
    }
  if (kind == CHART_ACCURACY && current != NULL)
    {
      *label = _("majority class (val)");
      return current->members != NULL ? current->val_majority.mean
                                       : current->result->val_majority;
    }
  return NAN;
}

static void
draw_curves (cairo_t                 *cr,
             double                   width,
             double                   height,
             const PhiliaRenderStyle *style,
             PhiliaTrainCurves        *self,
             ChartKind                kind)
{
  g_autofree Run **shown = NULL;
  g_autofree PhiliaCurve *curves = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  guint n_shown = self->history != NULL ? philia_run_history_get_selected (self->history, &shown)
                                         : 0;
  guint n = 0, n_epochs = 0;
  gboolean loss = kind == CHART_LOSS;
  /* One convention in every chart (philia-train-figure.h): validation
   * solid, train dashed, for loss as for accuracy and ROC-AUC. */
  PhiliaRunCurve solid = loss ? PHILIA_RUN_CURVE_VAL_LOSS
                        : kind == CHART_ROC_AUC ? PHILIA_RUN_CURVE_VAL_AUC : PHILIA_RUN_CURVE_VAL_ACC;
  PhiliaRunCurve dashed = loss ? PHILIA_RUN_CURVE_LOSS
                         : kind == CHART_ROC_AUC ? PHILIA_RUN_CURVE_TRAIN_AUC
                                                 : PHILIA_RUN_CURVE_TRAIN_ACC;
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
          name = group ? shown[i]->name
                       : philia_run_history_display_name (self->history, shown[i]);
          a = philia_run_entry_get_curve (shown[i], solid, &sa);
          b = philia_run_entry_get_curve (shown[i], dashed, &sb);
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

void
philia_train_curves_queue_draw (PhiliaTrainCurves *self)
{
  g_return_if_fail (PHILIA_IS_TRAIN_CURVES (self));

  gtk_widget_queue_draw (GTK_WIDGET (self->accuracy_chart));
  gtk_widget_queue_draw (GTK_WIDGET (self->roc_auc_chart));
  gtk_widget_queue_draw (GTK_WIDGET (self->loss_chart));
}

/**
 * philia_train_curves_set_history:
 * @history: (nullable): whose selected entries the charts draw (not referenced)
 */
void
philia_train_curves_set_history (PhiliaTrainCurves *self,
                                 PhiliaRunHistory  *history)
{
  g_return_if_fail (PHILIA_IS_TRAIN_CURVES (self));

  if (self->history != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->history), (gpointer *) &self->history);
  self->history = history;
  if (history != NULL)
    g_object_add_weak_pointer (G_OBJECT (history), (gpointer *) &self->history);
  philia_train_curves_queue_draw (self);
}

/* Forgets the run in progress. */
void
philia_train_curves_reset_live (PhiliaTrainCurves *self)
{
  g_return_if_fail (PHILIA_IS_TRAIN_CURVES (self));

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

/* A run starts: @name in the legend, in palette colour @color, on an axis
 * of @n_epochs (0: as the epochs come). */
void
philia_train_curves_start_live (PhiliaTrainCurves *self,
                                const char        *name,
                                guint              color,
                                guint              n_epochs)
{
  g_return_if_fail (PHILIA_IS_TRAIN_CURVES (self));
  g_return_if_fail (name != NULL);

  philia_train_curves_reset_live (self);
  self->live_model = g_strdup (name);
  self->live_color = color;
  self->live_total = n_epochs;
  philia_train_curves_queue_draw (self);
}

void
philia_train_curves_add_epochs (PhiliaTrainCurves      *self,
                                const PhiliaTrainEpoch *epochs,
                                guint                   n_epochs)
{
  g_return_if_fail (PHILIA_IS_TRAIN_CURVES (self));
  g_return_if_fail (epochs != NULL && n_epochs > 0);

  for (guint i = 0; i < n_epochs; i++)
    {
      g_array_append_val (self->live_loss, epochs[i].loss);
      g_array_append_val (self->live_val_loss, epochs[i].val_loss);
      g_array_append_val (self->live_train, epochs[i].train_accuracy);
      g_array_append_val (self->live_val, epochs[i].val_accuracy);
      g_array_append_val (self->live_train_auc, epochs[i].train_roc_auc);
      g_array_append_val (self->live_val_auc, epochs[i].val_roc_auc);
    }
  self->live_best = epochs[n_epochs - 1].best_epoch;
  self->live_total = epochs[n_epochs - 1].n_epochs;
  philia_train_curves_queue_draw (self);
}

/* Epochs of the run in progress drawn so far. */
guint
philia_train_curves_get_live_epochs (PhiliaTrainCurves *self)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_CURVES (self), 0);

  return self->live_loss->len;
}

/* Curves drawn on each chart: two per shown run (selected or live). */
guint
philia_train_curves_get_n_shown (PhiliaTrainCurves *self)
{
  g_autofree Run **shown = NULL;
  guint n = 0;

  g_return_val_if_fail (PHILIA_IS_TRAIN_CURVES (self), 0);

  if (self->history != NULL)
    n = philia_run_history_get_selected (self->history, &shown);
  return 2 * (n + (self->live_model != NULL ? 1 : 0));
}

/* ROC-AUC is the metric of two-class data: its curves only there. */
void
philia_train_curves_set_two_class (PhiliaTrainCurves *self,
                                   gboolean           two_class)
{
  g_return_if_fail (PHILIA_IS_TRAIN_CURVES (self));

  gtk_widget_set_visible (GTK_WIDGET (self->roc_auc_chart), two_class);
}

/* "accuracy", "roc-auc" or "loss", or NULL. */
GtkWidget *
philia_train_curves_get_chart (PhiliaTrainCurves *self,
                               const char        *name)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_CURVES (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, "accuracy"))
    return GTK_WIDGET (self->accuracy_chart);
  if (g_str_equal (name, "roc-auc"))
    return GTK_WIDGET (self->roc_auc_chart);
  if (g_str_equal (name, "loss"))
    return GTK_WIDGET (self->loss_chart);
  return NULL;
}

static void
philia_train_curves_dispose (GObject *object)
{
  PhiliaTrainCurves *self = PHILIA_TRAIN_CURVES (object);
  GtkWidget *child;

  /* The charts draw our data: detach them first. */
  if (self->accuracy_chart != NULL)
    {
      philia_chart_view_set_draw_func (self->accuracy_chart, NULL, NULL, NULL);
      philia_chart_view_set_draw_func (self->roc_auc_chart, NULL, NULL, NULL);
      philia_chart_view_set_draw_func (self->loss_chart, NULL, NULL, NULL);
    }
  philia_train_curves_set_history (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_TRAIN_CURVES);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (philia_train_curves_parent_class)->dispose (object);
}

static void
philia_train_curves_finalize (GObject *object)
{
  PhiliaTrainCurves *self = PHILIA_TRAIN_CURVES (object);

  g_clear_pointer (&self->live_loss, g_array_unref);
  g_clear_pointer (&self->live_val_loss, g_array_unref);
  g_clear_pointer (&self->live_train, g_array_unref);
  g_clear_pointer (&self->live_val, g_array_unref);
  g_clear_pointer (&self->live_train_auc, g_array_unref);
  g_clear_pointer (&self->live_val_auc, g_array_unref);
  g_clear_pointer (&self->live_model, g_free);

  G_OBJECT_CLASS (philia_train_curves_parent_class)->finalize (object);
}

static void
philia_train_curves_class_init (PhiliaTrainCurvesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_train_curves_dispose;
  object_class->finalize = philia_train_curves_finalize;

  g_type_ensure (PHILIA_TYPE_CHART_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-train-curves.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainCurves, accuracy_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainCurves, roc_auc_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaTrainCurves, loss_chart);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
philia_train_curves_init (PhiliaTrainCurves *self)
{
  self->live_loss = g_array_new (FALSE, FALSE, sizeof (double));
  self->live_val_loss = g_array_new (FALSE, FALSE, sizeof (double));
  self->live_train = g_array_new (FALSE, FALSE, sizeof (double));
  self->live_val = g_array_new (FALSE, FALSE, sizeof (double));
  self->live_train_auc = g_array_new (FALSE, FALSE, sizeof (double));
  self->live_val_auc = g_array_new (FALSE, FALSE, sizeof (double));
  gtk_widget_init_template (GTK_WIDGET (self));
  philia_chart_view_set_draw_func (self->accuracy_chart, draw_accuracy, self, NULL);
  philia_chart_view_set_draw_func (self->roc_auc_chart, draw_roc_auc, self, NULL);
  philia_chart_view_set_draw_func (self->loss_chart, draw_loss, self, NULL);
}

GtkWidget *
philia_train_curves_new (void)
{
  return g_object_new (PHILIA_TYPE_TRAIN_CURVES, NULL);
}
