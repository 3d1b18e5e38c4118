/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-document-private.h"
#include "philia-document-step-private.h"

/*
 * What a document keeps of the work done on its graph: the splits (a step
 * holding both graphs), the training runs (added without a step, deleted
 * as one) and the explained pairs. The steps themselves live in
 * philia-document.c.
 */

/* ----------------------------------------------------------------- splits */

/* What a copy of @graph holds (the large arrays only). */
static gsize
graph_bytes (PhiliaGraph *graph)
{
  gsize n = philia_graph_get_n_nodes (graph);
  gsize m = philia_graph_get_n_edges (graph);
  gint64 n_rows = 0;

  philia_graph_get_input_rows (graph, &n_rows);
  return n * philia_graph_get_n_features (graph) * sizeof (float)
         + (n + 1) * sizeof (gint64) + 2 * m * sizeof (gint32)
         + 2 * (gsize)n_rows * sizeof (gint32) + n * sizeof (gint32)
         + 3 * n * philia_graph_get_n_splits (graph);
}

void
philia_document_set_splits (PhiliaDocument *self,
                            guint           n_splits,
                            guint8         *train,
                            guint8         *val,
                            guint8         *test)
{
  Step *step;

  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  g_return_if_fail (n_splits == 0 || (train != NULL && val != NULL && test != NULL));

  step = _philia_document_step_new (STEP_GRAPH, PHILIA_DOCUMENT_PART_GRAPH,
                                    g_strdup (_("Make Splits")));
  step->graph[0] = g_object_ref (self->graph);
  /* The copy duplicates the features too (O(n·F)); the step keeps both
   * graphs, so undo and redo copy nothing. */
  step->graph[1] = philia_graph_copy_with_splits (self->graph, n_splits, train, val, test);
  step->bytes = graph_bytes (step->graph[1]);
  _philia_document_push_step (self, step);
}

/* ------------------------------------------------------------------- runs */

guint
philia_document_get_n_runs (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  return self->runs->len;
}

const PhiliaDocumentRun *
philia_document_get_run (PhiliaDocument *self,
                         guint           index)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (index < self->runs->len, NULL);
  return self->runs->pdata[index];
}

static int
run_index (PhiliaDocument *self,
           guint           id)
{
  for (guint i = 0; i < self->runs->len; i++)
    if (((PhiliaDocumentRun *)self->runs->pdata[i])->id == id)
      return (int)i;
  return -1;
}

const PhiliaDocumentRun *
philia_document_find_run (PhiliaDocument *self,
                          guint           id)
{
  int i;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  i = run_index (self, id);
  return i >= 0 ? self->runs->pdata[i] : NULL;
}

guint
philia_document_add_run (PhiliaDocument    *self,
                         PhiliaTrainResult *result)
{
  guint id;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  g_return_val_if_fail (result != NULL, 0);

  /* Ids only grow, so "run 3" in a figure or a note keeps its meaning even
   * after run 3 is deleted (and undo brings back the same run 3). */
  id = self->next_run_id++;
  g_ptr_array_add (self->runs, _philia_document_run_new (id, result));
  _philia_document_changed_not_a_step (self, PHILIA_DOCUMENT_PART_RUNS);
  return id;
}

guint
philia_document_add_run_group (PhiliaDocument     *self,
                               PhiliaTrainResult **results,
                               guint               n_splits,
                               guint               n_seeds)
{
  guint first;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  g_return_val_if_fail (results != NULL, 0);
  g_return_val_if_fail (n_splits > 0 && n_seeds > 0 && n_splits <= G_MAXUINT / n_seeds, 0);
  for (guint i = 0; i < n_splits * n_seeds; i++)
    g_return_val_if_fail (results[i] != NULL, 0);

  /* Kept as a group (also in the project), so that a reopened history shows
   * the mean ± standard deviation again, not n single runs. */
  first = self->next_run_id;
  for (guint i = 0; i < n_splits * n_seeds; i++)
    {
      PhiliaDocumentRun *run = _philia_document_run_new (self->next_run_id++, results[i]);

      run->group = first;
      run->n_splits = n_splits;
      run->n_seeds = n_seeds;
      g_ptr_array_add (self->runs, run);
    }
  _philia_document_changed_not_a_step (self, PHILIA_DOCUMENT_PART_RUNS);
  return first;
}

gboolean
philia_document_delete_run (PhiliaDocument *self,
                            guint           id)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  return philia_document_delete_runs (self, &id, 1);
}

/* One step for all of @ids, so that undo brings a group of runs over splits
 * × seeds back as the one group it was, not run by run. */
gboolean
philia_document_delete_runs (PhiliaDocument *self,
                             const guint    *ids,
                             guint           n_ids)
{
  g_autoptr(GArray) indices = NULL;
  Step *step;
  char *label;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);
  indices = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < self->runs->len; i++)
    for (guint k = 0; k < n_ids; k++)
      if (((PhiliaDocumentRun *)self->runs->pdata[i])->id == ids[k])
        {
          g_array_append_val (indices, i);
          break;
        }
  if (indices->len == 0)
    return FALSE;
  if (indices->len == 1)
    label = g_strdup_printf (_("Delete Run %u"),
                             ((PhiliaDocumentRun *)self->runs->pdata[g_array_index (
                                                                        indices, guint, 0)])->id);
  else
    label = g_strdup_printf (ngettext ("Delete %u Run", "Delete %u Runs", indices->len),
                             indices->len);
  step = _philia_document_step_new (STEP_DELETE_RUN, PHILIA_DOCUMENT_PART_RUNS, label);
  step->runs = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_document_run_unref);
  for (guint i = 0; i < indices->len; i++)
    g_ptr_array_add (step->runs,
                     philia_document_run_ref (self->runs->pdata[g_array_index (indices, guint, i)]));
  step->run_indices = g_steal_pointer (&indices);
  _philia_document_push_step (self, step);
  return TRUE;
}

/* ------------------------------------------------------------------ pairs */

guint
philia_document_get_n_pairs (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  return self->pairs->len;
}

const PhiliaDocumentPair *
philia_document_get_pair (PhiliaDocument *self,
                          guint           index)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (index < self->pairs->len, NULL);
  return &g_array_index (self->pairs, PhiliaDocumentPair, index);
}

void
philia_document_add_pair (PhiliaDocument              *self,
                          guint                        u,
                          guint                        v,
                          const PhiliaProximityParams *params)
{
  PhiliaDocumentPair pair = { u, v, { 0 } };
  guint n;

  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  g_return_if_fail (params != NULL);
  n = philia_graph_get_n_nodes (self->graph);
  g_return_if_fail (u < n && v < n);

  /* Links are undirected: (v, u) is the same question as (u, v). */
  for (guint i = 0; i < self->pairs->len; i++)
    {
      const PhiliaDocumentPair *p = &g_array_index (self->pairs, PhiliaDocumentPair, i);

      if ((p->u == u && p->v == v) || (p->u == v && p->v == u))
        {
          g_array_remove_index (self->pairs, i);
          break;
        }
    }
  pair.params = *params;
  g_array_append_val (self->pairs, pair);
  _philia_document_changed_not_a_step (self, PHILIA_DOCUMENT_PART_PAIRS);
}
