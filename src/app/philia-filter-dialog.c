/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-filter-dialog.h"

#include "philia-app-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* Asks which nodes to keep (by class, degree, component or local homophily)
 * and hands the filter to the window, which opens the filtered graph as a new
 * document in a new window. What the core refuses (nothing kept) goes to the
 * window's banner. */
struct _PhiliaFilterDialog
{
  GtkWindow      parent_instance;

  /* Template widgets */
  GtkCheckButton *classes_radio;
  GtkCheckButton *degree_radio;
  GtkCheckButton *component_radio;
  GtkCheckButton *homophily_radio;
  GtkFlowBox     *class_box;
  GtkAdjustment  *degree_min_adjustment;
  GtkAdjustment  *degree_max_adjustment;
  GtkAdjustment  *homophily_min_adjustment;
  GtkAdjustment  *homophily_max_adjustment;

  /* Borrowed */
  PhiliaWindow   *window;
  PhiliaWindow   *result;

  /* Owned */
  GPtrArray      *class_buttons;   /* GtkCheckButton per class, in class order */
};

G_DEFINE_FINAL_TYPE (PhiliaFilterDialog, philia_filter_dialog, GTK_TYPE_WINDOW)

/* The filter the widgets describe; @classes receives the kept class ids. */
void
philia_filter_dialog_get_filter (PhiliaFilterDialog *self,
                                 PhiliaFilter       *filter,
                                 GArray             *classes)
{
  g_return_if_fail (PHILIA_IS_FILTER_DIALOG (self));
  g_return_if_fail (filter != NULL && classes != NULL);

  memset (filter, 0, sizeof *filter);
  g_array_set_size (classes, 0);
  if (gtk_check_button_get_active (self->degree_radio))
    {
      filter->kind = PHILIA_FILTER_DEGREE;
      filter->min = gtk_adjustment_get_value (self->degree_min_adjustment);
      filter->max = gtk_adjustment_get_value (self->degree_max_adjustment);
    }
  else if (gtk_check_button_get_active (self->component_radio))
    filter->kind = PHILIA_FILTER_COMPONENT;
  else if (gtk_check_button_get_active (self->homophily_radio))
    {
      filter->kind = PHILIA_FILTER_LOCAL_HOMOPHILY;
      filter->min = gtk_adjustment_get_value (self->homophily_min_adjustment);
      filter->max = gtk_adjustment_get_value (self->homophily_max_adjustment);
    }
  else
    {
      filter->kind = PHILIA_FILTER_CLASSES;
      for (guint c = 0; c < self->class_buttons->len; c++)
        if (gtk_check_button_get_active (self->class_buttons->pdata[c]))
          g_array_append_val (classes, c);
      filter->classes = (const guint *) classes->data;
      filter->n_classes = classes->len;
    }
}

/* Shows @filter in the widgets (tests, and a filter asked again). */
void
philia_filter_dialog_set_filter (PhiliaFilterDialog *self,
                                 const PhiliaFilter *filter)
{
  g_return_if_fail (PHILIA_IS_FILTER_DIALOG (self));
  g_return_if_fail (filter != NULL);

  switch (filter->kind)
    {
    case PHILIA_FILTER_CLASSES:
      gtk_check_button_set_active (self->classes_radio, TRUE);
      for (guint c = 0; c < self->class_buttons->len; c++)
        {
          gboolean keep = FALSE;

          for (guint i = 0; i < filter->n_classes; i++)
            keep |= filter->classes[i] == c;
          gtk_check_button_set_active (self->class_buttons->pdata[c], keep);
        }
      break;

    case PHILIA_FILTER_DEGREE:
      gtk_check_button_set_active (self->degree_radio, TRUE);
      gtk_adjustment_set_value (self->degree_min_adjustment, filter->min);
      gtk_adjustment_set_value (self->degree_max_adjustment, filter->max);
      break;

    case PHILIA_FILTER_COMPONENT:
      gtk_check_button_set_active (self->component_radio, TRUE);
      break;

    case PHILIA_FILTER_LOCAL_HOMOPHILY:
      gtk_check_button_set_active (self->homophily_radio, TRUE);
      gtk_adjustment_set_value (self->homophily_min_adjustment, filter->min);
      gtk_adjustment_set_value (self->homophily_max_adjustment, filter->max);
      break;

    default:
      g_return_if_reached ();
    }
}

guint
philia_filter_dialog_get_n_class_buttons (PhiliaFilterDialog *self)
{
  g_return_val_if_fail (PHILIA_IS_FILTER_DIALOG (self), 0);

  return self->class_buttons->len;
}

/* The window the last filter opened, or NULL. */
PhiliaWindow *
philia_filter_dialog_get_result (PhiliaFilterDialog *self)
{
  g_return_val_if_fail (PHILIA_IS_FILTER_DIALOG (self), NULL);

  return self->result;
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PhiliaFilterDialog *self = PHILIA_FILTER_DIALOG (widget);
  g_autoptr(GArray) classes = g_array_new (FALSE, FALSE, sizeof (guint));
  PhiliaFilter filter;

  if (self->window == NULL)
    return;
  philia_filter_dialog_get_filter (self, &filter, classes);
  g_clear_weak_pointer (&self->result);
  g_set_weak_pointer (&self->result, philia_window_filter (self->window, &filter));
  /* Done either way: the new window, or the reason in the banner. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  gtk_window_close (GTK_WINDOW (self));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* A check button per class, all on; an unlabeled graph has no class to keep
 * and no local homophily. */
static void
fill_classes (PhiliaFilterDialog *self,
              PhiliaGraph        *graph)
{
  guint n_classes = graph != NULL ? philia_graph_get_n_classes (graph) : 0;
  guint max_degree = 0;

  for (guint c = 0; c < n_classes; c++)
    {
      const char *name = philia_graph_get_class_name (graph, c);
      g_autofree char *fallback = NULL;
      GtkWidget *button;

      if (name == NULL || *name == '\0')
        /* Translators: a class without a name in the data, by its number */
        name = fallback = g_strdup_printf (_("Class %u"), c);
      button = gtk_check_button_new_with_label (name);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (button), TRUE);
      gtk_widget_set_tooltip_text (button, name);
      gtk_flow_box_append (self->class_box, button);
      g_ptr_array_add (self->class_buttons, button);
    }
  if (n_classes == 0)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->classes_radio), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->homophily_radio), FALSE);
      gtk_check_button_set_active (self->degree_radio, TRUE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->classes_radio),
                                   _("The graph has no labels."));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->homophily_radio),
                                   _("The graph has no labels."));
    }

  if (graph != NULL)
    for (guint v = 0; v < philia_graph_get_n_nodes (graph); v++)
      max_degree = MAX (max_degree, philia_graph_get_degree (graph, v));
  gtk_adjustment_set_upper (self->degree_min_adjustment, max_degree);
  gtk_adjustment_set_upper (self->degree_max_adjustment, max_degree);
  gtk_adjustment_set_value (self->degree_max_adjustment, max_degree);
}

static void
philia_filter_dialog_dispose (GObject *object)
{
  PhiliaFilterDialog *self = PHILIA_FILTER_DIALOG (object);

  g_clear_weak_pointer (&self->window);
  g_clear_weak_pointer (&self->result);
  g_clear_pointer (&self->class_buttons, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_FILTER_DIALOG);

  G_OBJECT_CLASS (philia_filter_dialog_parent_class)->dispose (object);
}

static void
philia_filter_dialog_class_init (PhiliaFilterDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_filter_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-filter-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaFilterDialog, classes_radio);
  gtk_widget_class_bind_template_child (widget_class, PhiliaFilterDialog, degree_radio);
  gtk_widget_class_bind_template_child (widget_class, PhiliaFilterDialog, component_radio);
  gtk_widget_class_bind_template_child (widget_class, PhiliaFilterDialog, homophily_radio);
  gtk_widget_class_bind_template_child (widget_class, PhiliaFilterDialog, class_box);
  gtk_widget_class_bind_template_child (widget_class, PhiliaFilterDialog,
                                        degree_min_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaFilterDialog,
                                        degree_max_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaFilterDialog,
                                        homophily_min_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaFilterDialog,
                                        homophily_max_adjustment);

  gtk_widget_class_install_action (widget_class, "filter.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "filter.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "filter.close", NULL);
}

static void
philia_filter_dialog_init (PhiliaFilterDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _philia_widget_name_controls (GTK_WIDGET (self));
  self->class_buttons = g_ptr_array_new ();
}

PhiliaFilterDialog *
philia_filter_dialog_new (PhiliaWindow *window)
{
  PhiliaFilterDialog *self;

  g_return_val_if_fail (PHILIA_IS_WINDOW (window), NULL);

  self = g_object_new (PHILIA_TYPE_FILTER_DIALOG,
                       "transient-for", window,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);
  g_set_weak_pointer (&self->window, window);
  fill_classes (self, philia_window_get_graph (window));
  return self;
}
