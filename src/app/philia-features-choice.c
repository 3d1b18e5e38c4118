/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The feature measures' set, as the Statistics and Proximity panels offer it
 * (philia-features-choice.h). */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include <glib/gi18n.h>

#include "philia-features-choice.h"

#define SYNCING "philia-features-choice-syncing"

static gboolean
same_labels (GListModel    *model,
             GtkStringList *labels)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (labels));

  if (!GTK_IS_STRING_LIST (model) || g_list_model_get_n_items (model) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i),
                   gtk_string_list_get_string (labels, i)) != 0)
      return FALSE;
  return TRUE;
}

void
_philia_features_choice_sync (GtkDropDown    *dropdown,
                              GPtrArray      *names,
                              PhiliaDocument *document)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint n = document != NULL ? philia_document_get_n_feature_sets (document) : 0;
  const char *chosen = document != NULL ? philia_document_get_measure_features (document)
                                        : PHILIA_FEATURES_ORIGINAL;
  guint selected = 0;

  g_ptr_array_set_size (names, 0);
  g_ptr_array_add (names, g_strdup (PHILIA_FEATURES_ORIGINAL));
  /* Translators: the dataset's own features in the Features drop-down */
  gtk_string_list_append (labels, _("Original"));
  for (guint i = 0; i < n; i++)
    {
      const PhiliaFeatureSet *set = philia_document_get_feature_set (document, i);
      /* Translators: a feature set and its shape, "Â^2 X (2708 × 1433)" */
      g_autofree char *label = g_strdup_printf (_("%s (%u × %u)"), set->name, set->n_rows,
                                                set->n_cols);

      if (g_str_equal (chosen, set->name))
        selected = i + 1;
      g_ptr_array_add (names, g_strdup (set->name));
      gtk_string_list_append (labels, label);
    }
  /* Showing the document's choice is no pick of the user's. */
  g_object_set_data (G_OBJECT (dropdown), SYNCING, GINT_TO_POINTER (TRUE));
  /* The same list keeps its model, so an open popover is not torn down. */
  if (!same_labels (gtk_drop_down_get_model (dropdown), labels))
    gtk_drop_down_set_model (dropdown, G_LIST_MODEL (labels));
  if (gtk_drop_down_get_selected (dropdown) != selected)
    gtk_drop_down_set_selected (dropdown, selected);
  g_object_set_data (G_OBJECT (dropdown), SYNCING, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (dropdown), n > 0);
}

void
_philia_features_choice_picked (GtkDropDown    *dropdown,
                                GPtrArray      *names,
                                PhiliaDocument *document)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (document == NULL || g_object_get_data (G_OBJECT (dropdown), SYNCING) != NULL
      || i >= names->len)
    return;
  philia_document_set_measure_features (document, names->pdata[i]);
}

void
_philia_features_choice_clear (PhiliaFeaturesChoice *choice)
{
  g_clear_pointer (&choice->name, g_free);
  g_clear_object (&choice->graph);
  choice->set = NULL;
  choice->base = NULL;
}

gboolean
_philia_features_choice_follow (PhiliaFeaturesChoice *choice,
                                PhiliaDocument       *document,
                                PhiliaGraph          *graph)
{
  gboolean ours = document != NULL && graph != NULL
                  && philia_document_get_graph (document) == graph;
  const char *want = ours ? philia_document_get_measure_features (document)
                          : PHILIA_FEATURES_ORIGINAL;
  const PhiliaFeatureSet *set = ours ? philia_document_find_feature_set (document, want) : NULL;

  /* A set removed and derived again under its old name is another set. */
  if (choice->base == (gconstpointer) graph && g_strcmp0 (choice->name, want) == 0
      && choice->set == (gconstpointer) set)
    return FALSE;
  _philia_features_choice_clear (choice);
  choice->base = graph;
  choice->name = g_strdup (want);
  choice->set = set;
  if (set != NULL)
    choice->graph = philia_graph_with_feature_set (graph, set);
  return TRUE;
}
