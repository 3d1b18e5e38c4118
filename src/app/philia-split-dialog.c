/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-split-dialog.h"

#include "philia-app-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* "Make Splits…": asks for the fractions, the number of splits and a seed,
 * draws stratified random splits (philia_graph_with_random_splits(), the
 * call behind `philia-cli train --random-split`) and hands the window a copy
 * of its dataset with them, so they are trained on and saved by Save as .npz
 * like a file's own. Drawing is O(splits · n), quick enough to stay on the
 * main thread. */
struct _PhiliaSplitDialog
{
  GtkWindow       parent_instance;

  /* Template widgets */
  GtkWidget      *form;
  GtkAdjustment  *train_adjustment;
  GtkAdjustment  *val_adjustment;
  GtkAdjustment  *splits_adjustment;
  GtkAdjustment  *seed_adjustment;
  GtkLabel       *test_label;
  GtkCheckButton *keep_check;
  GtkLabel       *note_label;
  GtkLabel       *error_label;

  /* Borrowed */
  PhiliaWindow   *window;

  /* Owned */
  PhiliaDocument *document;
};

G_DEFINE_FINAL_TYPE (PhiliaSplitDialog, philia_split_dialog, GTK_TYPE_WINDOW)

static void
set_error (PhiliaSplitDialog *self,
           const char        *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_fractions (PhiliaSplitDialog *self)
{
  double train = gtk_adjustment_get_value (self->train_adjustment);
  double val = gtk_adjustment_get_value (self->val_adjustment);
  double test = 1 - train - val;
  char text[32];
  /* The core's own rule (philia_random_splits()): 1e-9 of slack for 0.7 + 0.3. */
  gboolean ok = test > 1e-9;

  g_snprintf (text, sizeof text, "%.2f", ok ? test : 0.0);
  gtk_label_set_text (self->test_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "splits.make", ok);
  set_error (self, ok ? NULL : _("The training and validation fractions must add up to less "
                                 "than 1, so that some nodes are left to test."));
}

static void
on_fraction_changed (GtkSpinButton     *spin,
                     PhiliaSplitDialog *self)
{
  update_fractions (self);
}

static void
make_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PhiliaSplitDialog *self = PHILIA_SPLIT_DIALOG (widget);
  PhiliaGraph *graph = self->document != NULL ? philia_document_get_graph (self->document)
                       : self->window != NULL ? philia_window_get_graph (self->window) : NULL;
  g_autoptr(PhiliaGraph) split = NULL;
  g_autoptr(GError) error = NULL;

  if (graph == NULL)
    {
      set_error (self, _("No dataset is open."));
      return;
    }
  split = philia_graph_with_random_splits (graph,
                                           gtk_adjustment_get_value (self->train_adjustment),
                                           gtk_adjustment_get_value (self->val_adjustment),
                                           (guint) gtk_adjustment_get_value (self->splits_adjustment),
                                           (guint64) gtk_adjustment_get_value (self->seed_adjustment),
                                           gtk_widget_get_visible (GTK_WIDGET (self->keep_check))
                                           && gtk_check_button_get_active (self->keep_check),
                                           &error);
  if (split == NULL)
    {
      /* The dialog stays, with what the user typed. */
      set_error (self, error->message);
      return;
    }
  if (self->document != NULL)
    {
      guint n = philia_graph_get_n_nodes (split), n_splits = philia_graph_get_n_splits (split);
      gsize size = (gsize) n * n_splits;
      guint8 *masks[3];

      for (guint part = 0; part < 3; part++)
        {
          masks[part] = g_new0 (guint8, MAX (size, 1));
          for (guint k = 0; k < n_splits; k++)
            memcpy (masks[part] + (gsize) k * n,
                    philia_graph_get_split_mask (split, k, (PhiliaSplitPart) part), n);
        }
      philia_document_set_splits (self->document, n_splits, masks[0], masks[1], masks[2]);
    }
  else
    philia_window_set_graph (self->window, split);
  gtk_window_close (GTK_WINDOW (self));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
philia_split_dialog_dispose (GObject *object)
{
  PhiliaSplitDialog *self = PHILIA_SPLIT_DIALOG (object);

  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->document);
  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_SPLIT_DIALOG);

  G_OBJECT_CLASS (philia_split_dialog_parent_class)->dispose (object);
}

static void
philia_split_dialog_class_init (PhiliaSplitDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_split_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-split-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaSplitDialog, form);
  gtk_widget_class_bind_template_child (widget_class, PhiliaSplitDialog, train_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaSplitDialog, val_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaSplitDialog, splits_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaSplitDialog, seed_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PhiliaSplitDialog, test_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaSplitDialog, keep_check);
  gtk_widget_class_bind_template_child (widget_class, PhiliaSplitDialog, note_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaSplitDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_fraction_changed);

  gtk_widget_class_install_action (widget_class, "splits.make", NULL, make_action);
  gtk_widget_class_install_action (widget_class, "splits.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "splits.close", NULL);
}

static void
philia_split_dialog_init (PhiliaSplitDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _philia_widget_name_controls (GTK_WIDGET (self));
  update_fractions (self);
}

/* The "keep" check and the note, for a graph with @n_splits splits. */
static void
describe (PhiliaSplitDialog *self,
          guint              n_splits)
{
  if (n_splits > 0)
    {
      g_autofree char *keep = NULL;

      /* Translators: a check box of Make Splits; %u is the dataset's split count */
      keep = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "_Keep the dataset’s %u split and add the new ones "
                                           "after it",
                                           "_Keep the dataset’s %u splits and add the new ones "
                                           "after them", n_splits), n_splits);
      gtk_check_button_set_label (self->keep_check, keep);
      gtk_widget_set_visible (GTK_WIDGET (self->keep_check), TRUE);
    }
  if (self->document != NULL)
    gtk_label_set_text (self->note_label,
                        _("The new splits replace the dataset’s (unless kept); layouts and runs "
                          "stay. Undo brings the old splits back."));
  else
    gtk_label_set_text (self->note_label,
                        n_splits > 0
                        ? _("The new splits replace the dataset’s (unless kept) and become part "
                            "of it: Save as .npz writes them. Runs in the Train history are "
                            "cleared, since they used the old splits.")
                        : _("The new splits become part of the dataset: Save as .npz writes "
                            "them. Runs in the Train history are cleared."));
}

PhiliaSplitDialog *
philia_split_dialog_new (PhiliaWindow *window)
{
  PhiliaSplitDialog *self;
  PhiliaGraph *graph;

  g_return_val_if_fail (PHILIA_IS_WINDOW (window), NULL);

  self = g_object_new (PHILIA_TYPE_SPLIT_DIALOG,
                       "transient-for", window,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);
  g_set_weak_pointer (&self->window, window);

  graph = philia_window_get_graph (window);
  describe (self, graph != NULL ? philia_graph_get_n_splits (graph) : 0);
  return self;
}

PhiliaSplitDialog *
philia_split_dialog_new_for_document (GtkWindow      *parent,
                                      PhiliaDocument *document)
{
  PhiliaSplitDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (document), NULL);

  self = g_object_new (PHILIA_TYPE_SPLIT_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->document = g_object_ref (document);
  describe (self, philia_graph_get_n_splits (philia_document_get_graph (document)));
  return self;
}

/* Values outside the dialog's ranges are clamped into them. */
void
philia_split_dialog_set_values (PhiliaSplitDialog *self,
                                double             train_fraction,
                                double             val_fraction,
                                guint              n_splits,
                                guint64            seed,
                                gboolean           keep_existing)
{
  g_return_if_fail (PHILIA_IS_SPLIT_DIALOG (self));

  gtk_adjustment_set_value (self->train_adjustment, train_fraction);
  gtk_adjustment_set_value (self->val_adjustment, val_fraction);
  gtk_adjustment_set_value (self->splits_adjustment, n_splits);
  gtk_adjustment_set_value (self->seed_adjustment, (double) seed);
  gtk_check_button_set_active (self->keep_check, keep_existing);
}

/* The error on show, or %NULL. */
const char *
philia_split_dialog_get_error_text (PhiliaSplitDialog *self)
{
  g_return_val_if_fail (PHILIA_IS_SPLIT_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

