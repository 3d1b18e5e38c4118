/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-generate-dialog.h"

#include "philia-app-private.h"
#include "philia-generate-latent-form.h"

#include <glib/gi18n.h>

#define PULSE_INTERVAL_MS 100

/* Asks for the parameters of a contextual stochastic block model or of the
 * latent space network model (the Model drop-down switches the form),
 * generates it on a worker and hands the graph to the window, which shows it
 * like a file it loaded. The ranges of the adjustments are the valid values, so a
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

  /* Built in code: the model switch and the latent space model's form */
  GtkDropDown    *model_dropdown;
  GtkWidget      *csbm_description;
  GtkWidget      *latent_description;
  GtkWidget      *latent_form;

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
  gtk_widget_set_sensitive (self->latent_form, !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->model_dropdown), !running);
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

  if (g_task_get_source_tag (G_TASK (result)) == _philia_generate_latent_async)
    graph = _philia_generate_latent_finish (result, &error);
  else
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
  if (g_strcmp0 (philia_generate_dialog_get_model (self), "latent") == 0)
    {
      PhiliaLatentParams latent;

      philia_generate_dialog_get_latent_params (self, &latent);
      _philia_generate_latent_async (&latent, self->cancellable, generate_cb,
                                     g_object_ref (self));
      return;
    }

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
on_model_selected (PhiliaGenerateDialog *self)
{
  gboolean latent = gtk_drop_down_get_selected (self->model_dropdown) == 1;

  gtk_widget_set_visible (self->csbm_description, !latent);
  gtk_widget_set_visible (self->form, !latent);
  gtk_widget_set_visible (self->latent_description, latent);
  gtk_widget_set_visible (self->latent_form, latent);
}

/* The model switch above the contextual SBM's form (from the template) and
 * the latent space model's form below it, one of them shown. */
static void
add_latent_model (PhiliaGenerateDialog *self)
{
  const char *models[] = { _("Contextual stochastic block model"),
                           _("Latent space model"), NULL };
  GtkWidget *box = gtk_widget_get_parent (self->form);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("_Model"));

  self->csbm_description = gtk_widget_get_prev_sibling (self->form);
  self->model_dropdown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (models));
  gtk_widget_set_name (GTK_WIDGET (self->model_dropdown), "generate-model");
  gtk_widget_set_hexpand (GTK_WIDGET (self->model_dropdown), TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->model_dropdown));
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->model_dropdown));
  gtk_widget_set_margin_top (row, 18);
  gtk_widget_set_margin_start (row, 18);
  gtk_widget_set_margin_end (row, 18);
  gtk_box_prepend (GTK_BOX (box), row);

  self->latent_description =
    gtk_label_new (_("A latent space network model: nodes at random positions, linked by "
                     "their distance, with features drawn from positions in a feature space. "
                     "The presets make shared neighbours, paths or features explain the "
                     "links."));
  gtk_label_set_wrap (GTK_LABEL (self->latent_description), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->latent_description), 48);
  gtk_label_set_xalign (GTK_LABEL (self->latent_description), 0);
  gtk_widget_set_margin_top (self->latent_description, 18);
  gtk_widget_set_margin_start (self->latent_description, 18);
  gtk_widget_set_margin_end (self->latent_description, 18);
  gtk_widget_add_css_class (self->latent_description, "dim-label");
  gtk_widget_insert_after (self->latent_description, box, self->form);
  self->latent_form = _philia_generate_latent_form_new ();
  gtk_widget_insert_after (self->latent_form, box, self->latent_description);
  g_signal_connect_swapped (self->model_dropdown, "notify::selected",
                            G_CALLBACK (on_model_selected), self);
  on_model_selected (self);
}

static void
philia_generate_dialog_init (PhiliaGenerateDialog *self)
{
  PhiliaCsbmParams params;

  gtk_widget_init_template (GTK_WIDGET (self));
  add_latent_model (self);
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

const char *
philia_generate_dialog_get_model (PhiliaGenerateDialog *self)
{
  g_return_val_if_fail (PHILIA_IS_GENERATE_DIALOG (self), NULL);

  return gtk_drop_down_get_selected (self->model_dropdown) == 1 ? "latent" : "csbm";
}

void
philia_generate_dialog_set_model (PhiliaGenerateDialog *self,
                                  const char           *model)
{
  g_return_if_fail (PHILIA_IS_GENERATE_DIALOG (self));
  g_return_if_fail (g_strcmp0 (model, "csbm") == 0 || g_strcmp0 (model, "latent") == 0);

  gtk_drop_down_set_selected (self->model_dropdown, g_str_equal (model, "latent") ? 1 : 0);
}

void
philia_generate_dialog_get_latent_params (PhiliaGenerateDialog *self,
                                          PhiliaLatentParams   *params)
{
  g_return_if_fail (PHILIA_IS_GENERATE_DIALOG (self));
  g_return_if_fail (params != NULL);

  _philia_generate_latent_form_get_params (self->latent_form, params);
}

void
philia_generate_dialog_set_latent_params (PhiliaGenerateDialog     *self,
                                          const PhiliaLatentParams *params)
{
  g_return_if_fail (PHILIA_IS_GENERATE_DIALOG (self));
  g_return_if_fail (params != NULL);

  _philia_generate_latent_form_set_params (self->latent_form, params);
}

void
philia_generate_dialog_set_latent_preset (PhiliaGenerateDialog *self,
                                          PhiliaLatentPreset    preset)
{
  g_return_if_fail (PHILIA_IS_GENERATE_DIALOG (self));

  _philia_generate_latent_form_set_preset (self->latent_form, preset);
}

const char *
philia_generate_dialog_get_latent_preset (PhiliaGenerateDialog *self)
{
  g_return_val_if_fail (PHILIA_IS_GENERATE_DIALOG (self), NULL);

  return _philia_generate_latent_form_get_preset (self->latent_form);
}
