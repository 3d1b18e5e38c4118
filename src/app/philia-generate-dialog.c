/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-generate-dialog.h"

#include "philia-app-private.h"

#include <glib/gi18n.h>

#define PULSE_INTERVAL_MS 100

/* Asks for the parameters of a contextual stochastic block model, generates
 * it on a worker and hands the graph to the window, which shows it like a
 * file it loaded. The ranges of the adjustments are the valid values, so a
 * bad one cannot be typed; what the generator still refuses goes to the
 * window's banner. */
struct _PhiliaGenerateDialog
{
  GtkWindow       parent_instance;

  /* Template widgets */
  GtkWidget      *form;
  GtkAdjustment  *nodes_adjustment;
  GtkAdjustment  *classes_adjustment;
  GtkAdjustment  *degree_adjustment;
  GtkAdjustment  *homophily_adjustment;
  GtkAdjustment  *features_adjustment;
  GtkAdjustment  *signal_adjustment;
  GtkAdjustment  *fraction_adjustment;
  GtkAdjustment  *hetero_adjustment;
  GtkAdjustment  *seed_adjustment;
  GtkRevealer    *progress_revealer;
  GtkProgressBar *progress_bar;

  /* Borrowed */
  PhiliaWindow   *window;

  /* Owned */
  GCancellable   *cancellable;
  guint           pulse_id;
};

G_DEFINE_FINAL_TYPE (PhiliaGenerateDialog, philia_generate_dialog, GTK_TYPE_WINDOW)

static gboolean
pulse_cb (gpointer user_data)
{
  PhiliaGenerateDialog *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
set_running (PhiliaGenerateDialog *self,
             gboolean              running)
{
  gtk_widget_set_sensitive (self->form, !running);
  gtk_revealer_set_reveal_child (self->progress_revealer, running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.run", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.stop", running);

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (running)
    self->pulse_id = g_timeout_add (PULSE_INTERVAL_MS, pulse_cb, self);
}

static void
generate_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PhiliaGenerateDialog) self = user_data;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;

  graph = philia_csbm_generate_finish (result, &error);

  /* A newer run or the dialog's end replaced the cancellable: not ours. */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;
  g_clear_object (&self->cancellable);
  set_running (self, FALSE);

  if (graph != NULL)
    {
      if (self->window != NULL)
        philia_window_set_graph (self->window, graph);
      gtk_window_close (GTK_WINDOW (self));
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->window != NULL)
    philia_window_show_error (self->window, error->message);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PhiliaGenerateDialog *self = PHILIA_GENERATE_DIALOG (widget);
  PhiliaCsbmParams params;

  if (self->cancellable != NULL)
    return;

  philia_generate_dialog_get_params (self, &params);

  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);

  /* The generator reports no fraction, so the bar keeps pulsing. */
  philia_csbm_generate_async (&params, NULL, self->cancellable, generate_cb,
                              g_object_ref (self));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PhiliaGenerateDialog *self = PHILIA_GENERATE_DIALOG (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static gboolean
philia_generate_dialog_close_request (GtkWindow *window)
{
  PhiliaGenerateDialog *self = PHILIA_GENERATE_DIALOG (window);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (philia_generate_dialog_parent_class)->close_request (window);
}

static void
philia_generate_dialog_dispose (GObject *object)
{
  PhiliaGenerateDialog *self = PHILIA_GENERATE_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_weak_pointer (&self->window);

  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_GENERATE_DIALOG);

  G_OBJECT_CLASS (philia_generate_dialog_parent_class)->dispose (object);
}

static void
philia_generate_dialog_class_init (PhiliaGenerateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = philia_generate_dialog_dispose;
  window_class->close_request = philia_generate_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-generate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaGenerateDialog, form);
  gtk_widget_class_bind_template_child (widget_class, PhiliaGenerateDialog, nodes_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaGenerateDialog, classes_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaGenerateDialog, degree_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaGenerateDialog, homophily_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaGenerateDialog, features_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaGenerateDialog, signal_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaGenerateDialog, fraction_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaGenerateDialog, hetero_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaGenerateDialog, seed_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaGenerateDialog, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, PhiliaGenerateDialog, progress_bar);

  gtk_widget_class_install_action (widget_class, "generate.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "generate.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "generate.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "generate.close", NULL);
}

static void
philia_generate_dialog_init (PhiliaGenerateDialog *self)
{
  PhiliaCsbmParams params;

  gtk_widget_init_template (GTK_WIDGET (self));
  _philia_widget_name_controls (GTK_WIDGET (self));

  philia_csbm_params_init_default (&params);
  params.homophily = 0.3;
  params.seed = 42;
  philia_generate_dialog_set_params (self, &params);
  set_running (self, FALSE);
}

PhiliaGenerateDialog *
philia_generate_dialog_new (PhiliaWindow *window)
{
  PhiliaGenerateDialog *self;

  g_return_val_if_fail (PHILIA_IS_WINDOW (window), NULL);

  self = g_object_new (PHILIA_TYPE_GENERATE_DIALOG,
                       "transient-for", window,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);
  g_set_weak_pointer (&self->window, window);
  return self;
}

void
philia_generate_dialog_get_params (PhiliaGenerateDialog *self,
                                   PhiliaCsbmParams     *params)
{
  g_return_if_fail (PHILIA_IS_GENERATE_DIALOG (self));
  g_return_if_fail (params != NULL);

  philia_csbm_params_init_default (params);
  params->n_nodes = (guint) gtk_adjustment_get_value (self->nodes_adjustment);
  params->n_classes = (guint) gtk_adjustment_get_value (self->classes_adjustment);
  params->degree = gtk_adjustment_get_value (self->degree_adjustment);
  params->homophily = gtk_adjustment_get_value (self->homophily_adjustment);
  params->n_features = (guint) gtk_adjustment_get_value (self->features_adjustment);
  params->signal = gtk_adjustment_get_value (self->signal_adjustment);
  params->heterophilous_fraction = gtk_adjustment_get_value (self->fraction_adjustment);
  params->heterophilous_homophily = gtk_adjustment_get_value (self->hetero_adjustment);
  params->seed = (guint64) gtk_adjustment_get_value (self->seed_adjustment);
}

/* Values outside the dialog's ranges are clamped into them. */
void
philia_generate_dialog_set_params (PhiliaGenerateDialog   *self,
                                   const PhiliaCsbmParams *params)
{
  g_return_if_fail (PHILIA_IS_GENERATE_DIALOG (self));
  g_return_if_fail (params != NULL);

  gtk_adjustment_set_value (self->nodes_adjustment, params->n_nodes);
  gtk_adjustment_set_value (self->classes_adjustment, params->n_classes);
  gtk_adjustment_set_value (self->degree_adjustment, params->degree);
  gtk_adjustment_set_value (self->homophily_adjustment, params->homophily);
  gtk_adjustment_set_value (self->features_adjustment, params->n_features);
  gtk_adjustment_set_value (self->signal_adjustment, params->signal);
  gtk_adjustment_set_value (self->fraction_adjustment, params->heterophilous_fraction);
  gtk_adjustment_set_value (self->hetero_adjustment, params->heterophilous_homophily);
  gtk_adjustment_set_value (self->seed_adjustment, (double) params->seed);
}

gboolean
philia_generate_dialog_get_running (PhiliaGenerateDialog *self)
{
  g_return_val_if_fail (PHILIA_IS_GENERATE_DIALOG (self), FALSE);

  return self->cancellable != NULL;
}
