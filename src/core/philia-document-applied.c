/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-document-private.h"

/*
 * Applied and adapted runs (a saved model used on this graph): unlike a run
 * trained here, adding one is a step, since the user made it with one click
 * on the Adapt page and may well want it gone again with Ctrl+Z.
 */

typedef struct
{
  PhiliaDocumentRun *run;
} AddRunStep;

static void
add_run_step_free (gpointer data)
{
  AddRunStep *step = data;

  philia_document_run_unref (step->run);
  g_free (step);
}

static void
add_run_step_apply (PhiliaDocument *self,
                    gpointer        data,
                    guint           side)
{
  AddRunStep *step = data;

  /* Runs only ever go in at the end, and later steps are undone first, so
   * on undo this run is the last one. */
  if (side == 1)
    g_ptr_array_add (self->runs, philia_document_run_ref (step->run));
  else if (self->runs->len > 0 && self->runs->pdata[self->runs->len - 1] == step->run)
    g_ptr_array_remove_index (self->runs, self->runs->len - 1);
  else
    g_ptr_array_remove (self->runs, step->run);
}

guint
philia_document_add_applied_run (PhiliaDocument    *self,
                                 PhiliaTrainResult *result,
                                 const char        *source,
                                 const char        *method)
{
  AddRunStep *step;
  PhiliaDocumentRun *run;
  char *label;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  g_return_val_if_fail (result != NULL, 0);

  run = _philia_document_run_new (self->next_run_id++, result);
  run->provenance = method != NULL ? PHILIA_RUN_ADAPTED : PHILIA_RUN_APPLIED;
  run->provenance_source = g_strdup (source);
  run->provenance_method = g_strdup (method);
  step = g_new0 (AddRunStep, 1);
  step->run = run;
  label = method != NULL
          /* Translators: an undo step, "Adapt Model (Run 5)" */
          ? g_strdup_printf (_("Adapt Model (Run %u)"), run->id)
          /* Translators: an undo step, "Apply Model (Run 4)" */
          : g_strdup_printf (_("Apply Model (Run %u)"), run->id);
  /* The run's bytes are what a deleted run's step holds too: by reference. */
  _philia_document_push_custom_step (self, PHILIA_DOCUMENT_PART_RUNS, label, sizeof *step,
                                     add_run_step_apply, step, add_run_step_free);
  return run->id;
}
