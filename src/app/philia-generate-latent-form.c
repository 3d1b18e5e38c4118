/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include <glib/gi18n.h>

#include "philia-generate-latent-form.h"

/* The Generate dialog's form for the latent space network model: a preset
 * (local structure, global structure or features explain the links) that
 * sets the knobs, and the knobs themselves; touching a knob turns the preset
 * into "Custom". The ranges are the generator's valid values. */

enum { PRESET_CUSTOM = 3 };

typedef struct
{
  GtkDropDown   *preset;
  GtkAdjustment *nodes;
  GtkAdjustment *dim;
  GtkAdjustment *degree;
  GtkAdjustment *sharpness;
  GtkAdjustment *spread;
  GtkAdjustment *feature_weight;
  GtkAdjustment *feature_dim;
  GtkAdjustment *noise;
  GtkAdjustment *classes;
  GtkAdjustment *seed;
  gboolean       applying;   /* a preset is setting the knobs */
} Form;

static Form *
form_get (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "philia-latent-form");
}

static void
set_knobs (Form                     *form,
           const PhiliaLatentParams *p)
{
  form->applying = TRUE;
  gtk_adjustment_set_value (form->nodes, p->n_nodes);
  gtk_adjustment_set_value (form->dim, p->dim);
  gtk_adjustment_set_value (form->degree, p->degree);
  gtk_adjustment_set_value (form->sharpness, p->sharpness);
  gtk_adjustment_set_value (form->spread, p->radius_spread);
  gtk_adjustment_set_value (form->feature_weight, p->feature_weight);
  gtk_adjustment_set_value (form->feature_dim, p->feature_dim);
  gtk_adjustment_set_value (form->noise, p->noise);
  gtk_adjustment_set_value (form->classes, p->n_classes);
  gtk_adjustment_set_value (form->seed, (double)p->seed);
  form->applying = FALSE;
}

static void
on_preset_selected (GtkDropDown *dropdown,
                    GParamSpec  *pspec,
                    Form        *form)
{
  guint preset = gtk_drop_down_get_selected (dropdown);
  PhiliaLatentParams p;

  if (form->applying || preset >= PRESET_CUSTOM)
    return;
  _philia_generate_latent_form_get_params (GTK_WIDGET (g_object_get_data (G_OBJECT (dropdown),
                                                                          "form")), &p);
  philia_latent_params_preset (&p, (PhiliaLatentPreset)preset);
  set_knobs (form, &p);
}

static void
on_knob_changed (GtkAdjustment *adjustment,
                 Form          *form)
{
  if (form->applying)
    return;
  form->applying = TRUE;
  gtk_drop_down_set_selected (form->preset, PRESET_CUSTOM);
  form->applying = FALSE;
}

static GtkAdjustment *
add_row (GtkGrid    *grid,
         Form       *form,
         int         row,
         const char *label,
         const char *tooltip,
         double      lower,
         double      upper,
         double      step,
         guint       digits,
         gboolean    knob)
{
  GtkAdjustment *adjustment = gtk_adjustment_new (lower, lower, upper, step, step * 10, 0);
  GtkWidget *name = gtk_label_new_with_mnemonic (label);
  GtkWidget *spin = gtk_spin_button_new (adjustment, step, digits);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (name), spin);
  gtk_widget_set_tooltip_text (name, tooltip);
  gtk_widget_set_tooltip_text (spin, tooltip);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_hexpand (spin, TRUE);
  gtk_grid_attach (grid, name, 0, row, 1, 1);
  gtk_grid_attach (grid, spin, 1, row, 1, 1);
  if (knob)
    g_signal_connect (adjustment, "value-changed", G_CALLBACK (on_knob_changed), form);
  return adjustment;
}

static void
add_heading (GtkGrid    *grid,
             int         row,
             const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  if (row > 0)
    gtk_widget_set_margin_top (label, 6);
  gtk_grid_attach (grid, label, 0, row, 2, 1);
}

GtkWidget *
_philia_generate_latent_form_new (void)
{
  const char *presets[] = {
    N_("Local structure (lsp)"), N_("Global structure (gsp)"), N_("Features (fp)"),
    N_("Custom"), NULL,
  };
  const char *shown[G_N_ELEMENTS (presets)];
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());
  Form *form = g_new0 (Form, 1);
  GtkWidget *label;
  PhiliaLatentParams p;
  int row = 0;

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    shown[i] = presets[i] != NULL ? _(presets[i]) : NULL;
  g_object_set_data_full (G_OBJECT (grid), "philia-latent-form", form, g_free);
  gtk_grid_set_column_spacing (grid, 12);
  gtk_grid_set_row_spacing (grid, 6);
  gtk_widget_set_margin_top (GTK_WIDGET (grid), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (grid), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (grid), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (grid), 18);

  label = gtk_label_new_with_mnemonic (_("_Preset"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  form->preset = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (shown));
  gtk_widget_set_name (GTK_WIDGET (form->preset), "latent-preset");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (form->preset));
  gtk_widget_set_tooltip_text (GTK_WIDGET (form->preset),
                               _("Which factor explains the links: shared neighbours, paths, "
                                 "or feature similarity; it sets the knobs below"));
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, GTK_WIDGET (form->preset), 1, row++, 1, 1);
  g_object_set_data (G_OBJECT (form->preset), "form", grid);

  add_heading (grid, row++, _("Graph"));
  form->nodes = add_row (grid, form, row++, _("_Nodes"),
                         _("Number of nodes, 2 to 50,000 (every pair is drawn)"),
                         2, 50000, 100, 0, FALSE);
  form->degree = add_row (grid, form, row++, _("Expected _degree"),
                          _("The mean degree the link radii are calibrated to"),
                          0.1, 1000, 0.5, 1, TRUE);
  form->dim = add_row (grid, form, row++, _("Latent _dimension"),
                       _("Dimension of the structural latent space (a torus); in higher "
                         "dimensions linked nodes share fewer neighbours"),
                       1, 16, 1, 0, TRUE);
  form->sharpness = add_row (grid, form, row++, _("_Sharpness"),
                             _("α of the link probability: large is a hard radius, small lets "
                               "far pairs link"),
                             0.1, 1000, 1, 1, TRUE);
  form->spread = add_row (grid, form, row++, _("Radius _spread"),
                          _("σ of the log-normal radii: 0 gives every node one radius, larger "
                            "values make hubs"),
                          0, 3, 0.05, 2, TRUE);
  add_heading (grid, row++, _("Node Features"));
  form->feature_weight = add_row (grid, form, row++, _("Feature _weight"),
                                  _("How much the feature distance decides links: 0 the "
                                    "structural space alone, 1 the feature space alone"),
                                  0, 1, 0.05, 2, TRUE);
  form->feature_dim = add_row (grid, form, row++, _("Feature dime_nsion"),
                               _("Dimension of the feature space; each gives two feature "
                                 "columns"),
                               1, 64, 1, 0, TRUE);
  form->noise = add_row (grid, form, row++, _("Feature n_oise"),
                         _("Standard deviation of the Gaussian noise on each feature"),
                         0, 10, 0.05, 2, TRUE);
  add_heading (grid, row++, _("Labels and Seed"));
  form->classes = add_row (grid, form, row++, _("C_lasses"),
                           _("Labels: the nearest of this many random centres (0: no labels)"),
                           0, 100, 1, 0, FALSE);
  form->seed = add_row (grid, form, row++, _("S_eed"), _("Random seed; the same seed gives "
                                                          "the same graph"),
                        0, G_MAXINT32, 1, 0, FALSE);

  philia_latent_params_init (&p);
  p.n_nodes = 1000;
  p.n_classes = 0;
  p.seed = 42;
  set_knobs (form, &p);
  g_signal_connect (form->preset, "notify::selected", G_CALLBACK (on_preset_selected), form);
  return GTK_WIDGET (grid);
}

void
_philia_generate_latent_form_get_params (GtkWidget          *widget,
                                         PhiliaLatentParams *p)
{
  Form *form = form_get (widget);

  g_return_if_fail (form != NULL);
  philia_latent_params_init (p);
  p->n_nodes = (guint)gtk_adjustment_get_value (form->nodes);
  p->dim = (guint)gtk_adjustment_get_value (form->dim);
  p->degree = gtk_adjustment_get_value (form->degree);
  p->sharpness = gtk_adjustment_get_value (form->sharpness);
  p->radius_spread = gtk_adjustment_get_value (form->spread);
  p->feature_weight = gtk_adjustment_get_value (form->feature_weight);
  p->feature_dim = (guint)gtk_adjustment_get_value (form->feature_dim);
  p->noise = gtk_adjustment_get_value (form->noise);
  p->n_classes = (guint)gtk_adjustment_get_value (form->classes);
  p->seed = (guint64)gtk_adjustment_get_value (form->seed);
}

void
_philia_generate_latent_form_set_params (GtkWidget                *widget,
                                         const PhiliaLatentParams *p)
{
  Form *form = form_get (widget);

  g_return_if_fail (form != NULL);
  set_knobs (form, p);
  gtk_drop_down_set_selected (form->preset, PRESET_CUSTOM);
}

void
_philia_generate_latent_form_set_preset (GtkWidget          *widget,
                                         PhiliaLatentPreset  preset)
{
  Form *form = form_get (widget);

  g_return_if_fail (form != NULL);
  /* Selecting the entry applies it, even when it was selected already. */
  gtk_drop_down_set_selected (form->preset, PRESET_CUSTOM);
  gtk_drop_down_set_selected (form->preset, (guint)preset);
}

const char *
_philia_generate_latent_form_get_preset (GtkWidget *widget)
{
  static const char *const names[] = { "lsp", "gsp", "fp", "custom" };
  Form *form = form_get (widget);
  guint i;

  g_return_val_if_fail (form != NULL, NULL);
  i = gtk_drop_down_get_selected (form->preset);
  return i < G_N_ELEMENTS (names) ? names[i] : NULL;
}

/* {{{ Generating on a worker */

static void
generate_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  PhiliaGraph *graph = philia_latent_generate (task_data, NULL, cancellable, &error);

  if (graph == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, graph, g_object_unref);
}

void
_philia_generate_latent_async (const PhiliaLatentParams *params,
                               GCancellable             *cancellable,
                               GAsyncReadyCallback       callback,
                               gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, _philia_generate_latent_async);
  g_task_set_task_data (task, g_memdup2 (params, sizeof *params), g_free);
  g_task_run_in_thread (task, generate_thread);
}

PhiliaGraph *
_philia_generate_latent_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */
