/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A document's feature sets (philia-document-features.h). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-document-features.h"
#include "philia-document-private.h"

/* Sets are immutable once in the document, so the list a step holds before
 * and after shares them by reference. */
typedef PhiliaDocumentFeatures Entry;

static Entry *
entry_ref (Entry *e)
{
  g_atomic_ref_count_inc (&e->ref);
  return e;
}

static void
entry_unref (gpointer data)
{
  Entry *e = data;

  if (!g_atomic_ref_count_dec (&e->ref))
    return;
  philia_feature_set_free (e->set);
  g_free (e->spec);
  g_free (e);
}

static GPtrArray *
sets (PhiliaDocument *self)
{
  if (self->feature_sets == NULL)
    self->feature_sets = g_ptr_array_new_with_free_func (entry_unref);
  return self->feature_sets;
}

static GPtrArray *
sets_dup (GPtrArray *list)
{
  GPtrArray *copy = g_ptr_array_new_full (list->len, entry_unref);

  for (guint i = 0; i < list->len; i++)
    g_ptr_array_add (copy, entry_ref (list->pdata[i]));
  return copy;
}

/* A step's two lists of sets: [0] before, [1] after. */
typedef struct
{
  GPtrArray *lists[2];
} SetsStep;

static void
sets_step_free (gpointer data)
{
  SetsStep *step = data;

  g_ptr_array_unref (step->lists[0]);
  g_ptr_array_unref (step->lists[1]);
  g_free (step);
}

static void
apply_sets (PhiliaDocument *self,
            gpointer        data,
            guint           side)
{
  g_ptr_array_unref (sets (self));
  self->feature_sets = sets_dup (((SetsStep *) data)->lists[side]);
}

/* Pushes the change from @before to @after (both taken) as one step. */
static void
push_sets (PhiliaDocument *self,
           char           *label,
           gsize           bytes,
           GPtrArray      *before,
           GPtrArray      *after)
{
  SetsStep *step = g_new0 (SetsStep, 1);

  step->lists[0] = before;
  step->lists[1] = after;
  _philia_document_push_custom_step (self, PHILIA_DOCUMENT_PART_FEATURES, label, bytes,
                                     apply_sets, step, sets_step_free);
}

guint
philia_document_get_n_feature_sets (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  return self->feature_sets != NULL ? self->feature_sets->len : 0;
}

const PhiliaFeatureSet *
philia_document_get_feature_set (PhiliaDocument *self,
                                 guint           index)
{
  g_return_val_if_fail (index < philia_document_get_n_feature_sets (self), NULL);
  return ((Entry *)self->feature_sets->pdata[index])->set;
}

const char *
philia_document_get_feature_set_spec (PhiliaDocument *self,
                                      guint           index)
{
  g_return_val_if_fail (index < philia_document_get_n_feature_sets (self), NULL);
  return ((Entry *)self->feature_sets->pdata[index])->spec;
}

GPtrArray *
_philia_document_features_snapshot (PhiliaDocument  *self,
                                    GHashTable     **run_features)
{
  *run_features = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  if (self->run_features != NULL)
    {
      GHashTableIter it;
      gpointer key, value;

      g_hash_table_iter_init (&it, self->run_features);
      while (g_hash_table_iter_next (&it, &key, &value))
        g_hash_table_insert (*run_features, key, g_strdup (value));
    }
  return sets_dup (sets (self));
}

void
_philia_document_restore_feature_set (PhiliaDocument   *self,
                                      PhiliaFeatureSet *set,
                                      const char       *spec)
{
  Entry *e = g_new0 (Entry, 1);

  g_atomic_ref_count_init (&e->ref);
  e->set = set;
  e->spec = g_strdup (spec);
  g_ptr_array_add (sets (self), e);
}

void
_philia_document_restore_run_features (PhiliaDocument *self,
                                       guint           run_id,
                                       const char     *name)
{
  if (self->run_features == NULL)
    self->run_features = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_hash_table_insert (self->run_features, GUINT_TO_POINTER (run_id), g_strdup (name));
}

const PhiliaFeatureSet *
philia_document_find_feature_set (PhiliaDocument *self,
                                  const char     *name)
{
  guint n = philia_document_get_n_feature_sets (self);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (philia_document_get_feature_set (self, i)->name, name))
      return philia_document_get_feature_set (self, i);
  return NULL;
}

static gboolean
name_taken (PhiliaDocument *self,
            const char     *name)
{
  return g_str_equal (name, PHILIA_FEATURES_ORIGINAL)
         || philia_document_find_feature_set (self, name) != NULL;
}

const char *
philia_document_add_feature_set (PhiliaDocument   *self,
                                 PhiliaFeatureSet *set,
                                 const char       *spec)
{
  g_autoptr(GPtrArray) before = NULL;
  GPtrArray *after;
  Entry *e;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (set->n_rows == philia_graph_get_n_nodes (self->graph), NULL);

  if (name_taken (self, set->name))
    {
      g_autofree char *base = set->name;

      set->name = NULL;
      for (guint i = 2; set->name == NULL || name_taken (self, set->name); i++)
        {
          g_free (set->name);
          set->name = g_strdup_printf ("%s (%u)", base, i);
        }
    }
  e = g_new0 (Entry, 1);
  g_atomic_ref_count_init (&e->ref);
  e->set = set;
  e->spec = g_strdup (spec);
  before = sets_dup (sets (self));
  after = sets_dup (sets (self));
  g_ptr_array_add (after, e);
  push_sets (self, g_strdup (_("Add Feature Set")), sizeof (float) * set->n_rows * set->n_cols,
             g_steal_pointer (&before), after);
  return set->name;
}

gboolean
philia_document_remove_feature_set (PhiliaDocument *self,
                                    const char     *name)
{
  guint n = philia_document_get_n_feature_sets (self);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (philia_document_get_feature_set (self, i)->name, name))
      {
        GPtrArray *before = sets_dup (self->feature_sets);
        GPtrArray *after = sets_dup (self->feature_sets);

        g_ptr_array_remove_index (after, i);
        push_sets (self, g_strdup (_("Remove Feature Set")), 0, before, after);
        return TRUE;
      }
  return FALSE;
}

PhiliaGraph *
philia_document_dup_graph_with_features (PhiliaDocument *self,
                                         const char     *name,
                                         GError        **error)
{
  const PhiliaFeatureSet *set;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  if (name == NULL || g_str_equal (name, PHILIA_FEATURES_ORIGINAL))
    return g_object_ref (self->graph);
  set = philia_document_find_feature_set (self, name);
  if (set == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _("The document has no feature set called “%s”."), name);
      return NULL;
    }
  return philia_graph_with_feature_set (self->graph, set);
}

const char *
philia_document_get_run_features (PhiliaDocument *self,
                                  guint           run_id)
{
  const char *name;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  name = self->run_features != NULL
         ? g_hash_table_lookup (self->run_features, GUINT_TO_POINTER (run_id)) : NULL;
  return name != NULL ? name : PHILIA_FEATURES_ORIGINAL;
}

void
philia_document_set_run_features (PhiliaDocument *self,
                                  guint           run_id,
                                  const char     *name)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  if (self->run_features == NULL)
    self->run_features = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  if (name == NULL || g_str_equal (name, PHILIA_FEATURES_ORIGINAL))
    g_hash_table_remove (self->run_features, GUINT_TO_POINTER (run_id));
  else
    g_hash_table_insert (self->run_features, GUINT_TO_POINTER (run_id), g_strdup (name));
  _philia_document_changed_not_a_step (self, PHILIA_DOCUMENT_PART_RUNS);
}

/* ------------------------------------------------------- measures' features */

const char *
philia_document_get_measure_features (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  /* A removed set falls back to the original without a step of its own. */
  if (self->measure_features == NULL
      || philia_document_find_feature_set (self, self->measure_features) == NULL)
    return PHILIA_FEATURES_ORIGINAL;
  return self->measure_features;
}

/* A choice's two names: [0] before, [1] after (NULL: original). */
typedef struct
{
  char *names[2];
} MeasureStep;

static void
measure_step_free (gpointer data)
{
  MeasureStep *step = data;

  g_free (step->names[0]);
  g_free (step->names[1]);
  g_free (step);
}

static void
apply_measure (PhiliaDocument *self,
               gpointer        data,
               guint           side)
{
  g_free (self->measure_features);
  self->measure_features = g_strdup (((MeasureStep *) data)->names[side]);
}

gboolean
philia_document_set_measure_features (PhiliaDocument *self,
                                      const char     *name)
{
  MeasureStep *step;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  if (!g_str_equal (name, PHILIA_FEATURES_ORIGINAL)
      && philia_document_find_feature_set (self, name) == NULL)
    return FALSE;
  if (g_str_equal (name, philia_document_get_measure_features (self)))
    return TRUE;
  step = g_new0 (MeasureStep, 1);
  step->names[0] = g_strdup (self->measure_features);
  step->names[1] = g_str_equal (name, PHILIA_FEATURES_ORIGINAL) ? NULL : g_strdup (name);
  _philia_document_push_custom_step (self, PHILIA_DOCUMENT_PART_FEATURES,
                                     g_strdup (_("Features for Measures")), 0, apply_measure,
                                     step, measure_step_free);
  return TRUE;
}

void
_philia_document_restore_measure_features (PhiliaDocument *self,
                                           const char     *name)
{
  g_free (self->measure_features);
  self->measure_features = name != NULL && !g_str_equal (name, PHILIA_FEATURES_ORIGINAL)
                           ? g_strdup (name) : NULL;
}

char *
philia_document_list_feature_set_names (PhiliaDocument *self)
{
  GString *out = g_string_new (PHILIA_FEATURES_ORIGINAL);
  guint n = philia_document_get_n_feature_sets (self);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, ", %s", philia_document_get_feature_set (self, i)->name);
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------- evaluations' sets */

static PhiliaDocumentEvaluation *
find_evaluation (PhiliaDocument *self,
                 guint           id)
{
  for (guint i = 0; i < self->evaluations->len; i++)
    if (((PhiliaDocumentEvaluation *)self->evaluations->pdata[i])->id == id)
      return self->evaluations->pdata[i];
  return NULL;
}

gboolean
philia_document_set_evaluation_features (PhiliaDocument *self,
                                         guint           id,
                                         const char     *name)
{
  PhiliaDocumentEvaluation *e;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  e = find_evaluation (self, id);
  if (name == NULL)
    name = PHILIA_FEATURES_ORIGINAL;
  if (e == NULL || (!g_str_equal (name, PHILIA_FEATURES_ORIGINAL)
                    && philia_document_find_feature_set (self, name) == NULL))
    return FALSE;
  g_free (e->features);
  e->features = g_strdup (name);
  _philia_document_changed_not_a_step (self, PHILIA_DOCUMENT_PART_EVALUATIONS);
  return TRUE;
}

PhiliaGraph *
philia_document_dup_evaluation_graph (PhiliaDocument *self,
                                      guint           id,
                                      GError        **error)
{
  PhiliaDocumentEvaluation *e;
  const char *name;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  e = find_evaluation (self, id);
  if (e == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   _("The document has no link-prediction evaluation %u."), id);
      return NULL;
    }
  name = e->features != NULL ? e->features : PHILIA_FEATURES_ORIGINAL;
  if (!g_str_equal (name, PHILIA_FEATURES_ORIGINAL)
      && philia_document_find_feature_set (self, name) == NULL)
    {
      g_autofree char *sets = philia_document_list_feature_set_names (self);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   _("Evaluation %u was made with the feature set “%s”, which the document "
                     "no longer has (it has %s): add it again or evaluate anew."), id, name,
                   sets);
      return NULL;
    }
  return philia_document_dup_graph_with_features (self, name, error);
}

const char *
philia_document_evaluation_get_model_features (const PhiliaDocumentEvaluation *e,
                                               guint                           index)
{
  g_return_val_if_fail (e != NULL, NULL);
  if (e->model_features != NULL && index < e->model_features->len
      && e->model_features->pdata[index] != NULL)
    return e->model_features->pdata[index];
  return e->features != NULL ? e->features : PHILIA_FEATURES_ORIGINAL;
}
