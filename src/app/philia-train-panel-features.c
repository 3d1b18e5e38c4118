/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Train panel's Features drop-down: which of the document's feature sets
 * a run trains on, and recording it with the runs. */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include <glib/gi18n.h>

#include "philia-train-panel-private.h"

/* Refills the drop-down from the document, keeping the chosen set when it
 * is still there (else the original). */
void
_philia_train_panel_sync_features (PhiliaTrainPanel *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *chosen = g_strdup (philia_train_panel_get_features (self));
  guint n = self->document != NULL ? philia_document_get_n_feature_sets (self->document) : 0;
  guint selected = 0;

  if (self->feature_names == NULL)
    self->feature_names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (self->feature_names, 0);
  g_ptr_array_add (self->feature_names, g_strdup (PHILIA_FEATURES_ORIGINAL));
  /* Translators: the dataset's own features in the Train panel's Features list */
  gtk_string_list_append (labels, _("Original"));
  for (guint i = 0; i < n; i++)
    {
      const PhiliaFeatureSet *set = philia_document_get_feature_set (self->document, i);
      g_autofree char *label = g_strdup_printf ("%s (%u × %u)", set->name, set->n_rows,
                                                set->n_cols);

      if (g_strcmp0 (chosen, set->name) == 0)
        selected = i + 1;
      g_ptr_array_add (self->feature_names, g_strdup (set->name));
      gtk_string_list_append (labels, label);
    }
  gtk_drop_down_set_model (self->features_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->features_dropdown, selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->features_dropdown), n > 0);
}

const char *
philia_train_panel_get_features (PhiliaTrainPanel *self)
{
  guint i;

  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), NULL);
  i = gtk_drop_down_get_selected (self->features_dropdown);
  if (self->feature_names == NULL || i >= self->feature_names->len)
    return PHILIA_FEATURES_ORIGINAL;
  return self->feature_names->pdata[i];
}

gboolean
philia_train_panel_set_features (PhiliaTrainPanel *self,
                                 const char       *name)
{
  g_return_val_if_fail (PHILIA_IS_TRAIN_PANEL (self), FALSE);
  for (guint i = 0; self->feature_names != NULL && i < self->feature_names->len; i++)
    if (g_str_equal (self->feature_names->pdata[i], name))
      {
        gtk_drop_down_set_selected (self->features_dropdown, i);
        return TRUE;
      }
  return FALSE;
}

/* Before a launch: the graph carrying the chosen features (a copy for any
 * set but the original, made once for all runs of a group). */
gboolean
_philia_train_panel_take_run_graph (PhiliaTrainPanel *self)
{
  const char *name = philia_train_panel_get_features (self);
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->run_graph);
  g_free (self->run_features);
  self->run_features = g_strdup (name);
  if (self->document == NULL || g_str_equal (name, PHILIA_FEATURES_ORIGINAL))
    return TRUE;
  self->run_graph = philia_document_dup_graph_with_features (self->document, name, &error);
  if (self->run_graph == NULL)
    {
      gtk_label_set_text (self->message_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
      return FALSE;
    }
  return TRUE;
}

void
_philia_train_panel_record_features (PhiliaTrainPanel *self,
                                     guint             first_id,
                                     guint             n_runs)
{
  if (self->document == NULL || self->run_features == NULL)
    return;
  for (guint i = 0; i < n_runs; i++)
    philia_document_set_run_features (self->document, first_id + i, self->run_features);
}
