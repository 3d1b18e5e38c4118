/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-document-private.h"

/* ------------------------------------------------------------------- view */

void
philia_document_view_clear (PhiliaDocumentView *view)
{
  g_return_if_fail (view != NULL);
  g_clear_pointer (&view->color_by, g_free);
  g_clear_pointer (&view->edge_style, g_free);
  g_clear_pointer (&view->overlay, g_free);
}

void
philia_document_view_copy (PhiliaDocumentView       *dest,
                           const PhiliaDocumentView *src)
{
  char *color_by, *edge_style, *overlay;

  g_return_if_fail (dest != NULL && src != NULL);
  /* Duplicated first: @dest may be @src. */
  color_by = g_strdup (src->color_by);
  edge_style = g_strdup (src->edge_style);
  overlay = g_strdup (src->overlay);
  philia_document_view_clear (dest);
  dest->color_by = color_by;
  dest->edge_style = edge_style;
  dest->overlay = overlay;
  dest->zoom = src->zoom;
  dest->center_x = src->center_x;
  dest->center_y = src->center_y;
}

gboolean
philia_document_view_equal (const PhiliaDocumentView *a,
                            const PhiliaDocumentView *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);
  return g_strcmp0 (a->color_by, b->color_by) == 0
         && g_strcmp0 (a->edge_style, b->edge_style) == 0
         && g_strcmp0 (a->overlay, b->overlay) == 0
         && a->zoom == b->zoom && a->center_x == b->center_x && a->center_y == b->center_y;
}

void
_philia_document_replace_string (char       **field,
                                 const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

void
_philia_document_view_init_default (PhiliaDocumentView *view)
{
  view->color_by = g_strdup ("class");
  view->edge_style = g_strdup ("class");
  view->overlay = g_strdup ("");
  view->zoom = 1;
  view->center_x = 0;
  view->center_y = 0;
}

/* --------------------------------------------------------- layouts, runs */

static void
layout_clear (gpointer data)
{
  PhiliaDocumentLayout *layout = data;

  g_free (layout->name);
  g_free (layout->algorithm);
  g_free (layout->positions);
}

PhiliaDocumentLayout *
_philia_document_layout_new (const char *name,
                             const char *algorithm,
                             guint64     seed,
                             double     *positions)
{
  PhiliaDocumentLayout *layout;

  g_return_val_if_fail (name != NULL, NULL);

  /* Atomic: snapshots share layouts with a worker (autosave). */
  layout = g_atomic_rc_box_new0 (PhiliaDocumentLayout);
  layout->name = g_strdup (name);
  layout->algorithm = g_strdup (algorithm != NULL ? algorithm : "manual");
  layout->seed = seed;
  layout->positions = positions;
  return layout;
}

PhiliaDocumentLayout *
philia_document_layout_ref (PhiliaDocumentLayout *layout)
{
  g_return_val_if_fail (layout != NULL, NULL);
  return g_atomic_rc_box_acquire (layout);
}

void
philia_document_layout_unref (PhiliaDocumentLayout *layout)
{
  if (layout != NULL)
    g_atomic_rc_box_release_full (layout, layout_clear);
}

static void
run_clear (gpointer data)
{
  PhiliaDocumentRun *run = data;

  g_clear_pointer (&run->result, philia_train_result_free);
  g_free (run->provenance_source);
  g_free (run->provenance_method);
}

PhiliaDocumentRun *
_philia_document_run_new (guint              id,
                          PhiliaTrainResult *result)
{
  PhiliaDocumentRun *run;

  g_return_val_if_fail (result != NULL, NULL);

  run = g_atomic_rc_box_new0 (PhiliaDocumentRun);
  run->id = id;
  run->result = result;
  return run;
}

PhiliaDocumentRun *
philia_document_run_ref (PhiliaDocumentRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);
  return g_atomic_rc_box_acquire (run);
}

void
philia_document_run_unref (PhiliaDocumentRun *run)
{
  if (run != NULL)
    g_atomic_rc_box_release_full (run, run_clear);
}

void
_philia_document_evaluation_free (PhiliaDocumentEvaluation *evaluation)
{
  if (evaluation == NULL)
    return;
  philia_linkpred_report_free (evaluation->report);
  g_free (evaluation->summary);
  g_clear_pointer (&evaluation->models, g_ptr_array_unref);
  g_clear_pointer (&evaluation->model_features, g_ptr_array_unref);
  g_free (evaluation->features);
  g_free (evaluation);
}

/* A new list holding references to the layouts of @layouts. */
GPtrArray *
_philia_document_layouts_dup (GPtrArray *layouts)
{
  GPtrArray *copy = g_ptr_array_new_full (layouts->len,
                                          (GDestroyNotify)philia_document_layout_unref);

  for (guint i = 0; i < layouts->len; i++)
    g_ptr_array_add (copy, philia_document_layout_ref (layouts->pdata[i]));
  return copy;
}
