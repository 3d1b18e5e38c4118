/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-document-private.h"

/* ---------------------------------------------------------------- private */

void
_philia_document_restore_layout (PhiliaDocument       *self,
                                 PhiliaDocumentLayout *layout,
                                 gboolean              current)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  g_return_if_fail (layout != NULL);
  g_ptr_array_add (self->layouts, philia_document_layout_ref (layout));
  if (current || self->current < 0)
    self->current = (int)self->layouts->len - 1;
}

void
_philia_document_restore_run (PhiliaDocument    *self,
                              PhiliaDocumentRun *run)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  g_return_if_fail (run != NULL);
  g_ptr_array_add (self->runs, philia_document_run_ref (run));
  self->next_run_id = MAX (self->next_run_id, run->id + 1);
}

void
_philia_document_restore_evaluation (PhiliaDocument           *self,
                                     PhiliaDocumentEvaluation *evaluation)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  g_return_if_fail (evaluation != NULL);
  g_ptr_array_add (self->evaluations, evaluation);
  self->next_evaluation_id = MAX (self->next_evaluation_id, evaluation->id + 1);
}

void
_philia_document_restore_pair (PhiliaDocument           *self,
                               const PhiliaDocumentPair *pair)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  g_return_if_fail (pair != NULL);
  g_array_append_val (self->pairs, *pair);
}

void
_philia_document_restore_state (PhiliaDocument           *self,
                                const guint              *selection,
                                guint                     n_selected,
                                const PhiliaDocumentView *view,
                                PhiliaConvention          conventions,
                                const char               *notes,
                                const char               *origin)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  g_return_if_fail (selection != NULL || n_selected == 0);

  _philia_document_selection_set (self, selection, n_selected);
  if (view != NULL)
    {
      philia_document_view_copy (&self->view, view);
      /* NULL fields (an older or hand-written project) get the defaults. */
      if (self->view.color_by == NULL)
        _philia_document_replace_string (&self->view.color_by, "class");
      if (self->view.edge_style == NULL)
        _philia_document_replace_string (&self->view.edge_style, "class");
      if (self->view.overlay == NULL)
        _philia_document_replace_string (&self->view.overlay, "");
      /* The list the three names stand for (the reader then puts in the
       * saved list when the project has one). */
      _philia_document_overlays_from_view (self);
    }
  self->conventions = conventions;
  g_free (self->notes);
  self->notes = g_strdup (notes != NULL ? notes : "");
  g_free (self->origin);
  self->origin = g_strdup (origin);
}

guint
_philia_document_get_next_run_id (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  return self->next_run_id;
}

guint
_philia_document_get_next_evaluation_id (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  return self->next_evaluation_id;
}

void
_philia_document_set_next_ids (PhiliaDocument *self,
                               guint           next_run_id,
                               guint           next_evaluation_id)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  /* Never below an id in use: ids are not reused. */
  self->next_run_id = MAX (self->next_run_id, next_run_id);
  self->next_evaluation_id = MAX (self->next_evaluation_id, next_evaluation_id);
}

GBytes *
_philia_document_get_embedded_dataset (PhiliaDocument  *self,
                                       const char     **name)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  if (name != NULL)
    *name = self->embedded_name;
  return self->embedded;
}

void
_philia_document_set_embedded_dataset (PhiliaDocument *self,
                                       GBytes         *bytes,
                                       const char     *name)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  if (bytes != NULL)
    g_bytes_ref (bytes);
  g_clear_pointer (&self->embedded, g_bytes_unref);
  self->embedded = bytes;
  g_free (self->embedded_name);
  self->embedded_name = g_strdup (name);
}
