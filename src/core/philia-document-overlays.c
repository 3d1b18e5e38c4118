/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-document-private.h"

/* ---------------------------------------------------------------- overlay */

static void
overlay_clear (gpointer data)
{
  PhiliaDocumentOverlay *overlay = data;

  g_free (overlay->source);
}

PhiliaDocumentOverlay *
philia_document_overlay_new (PhiliaOverlayKind  kind,
                             const char        *source,
                             gboolean           visible)
{
  PhiliaDocumentOverlay *overlay;

  g_return_val_if_fail (kind < PHILIA_OVERLAY_N_KINDS, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  /* Atomic: snapshots share the list with a worker (autosave). */
  overlay = g_atomic_rc_box_new0 (PhiliaDocumentOverlay);
  overlay->kind = kind;
  overlay->source = g_strdup (source);
  overlay->visible = visible != FALSE;
  return overlay;
}

PhiliaDocumentOverlay *
philia_document_overlay_ref (PhiliaDocumentOverlay *overlay)
{
  g_return_val_if_fail (overlay != NULL, NULL);
  return g_atomic_rc_box_acquire (overlay);
}

void
philia_document_overlay_unref (PhiliaDocumentOverlay *overlay)
{
  if (overlay != NULL)
    g_atomic_rc_box_release_full (overlay, overlay_clear);
}

static const char *const kind_names[PHILIA_OVERLAY_N_KINDS] = {
  "node-color", "edge-style", "edge-values", "run-errors",
};

const char *
philia_overlay_kind_to_string (PhiliaOverlayKind kind)
{
  g_return_val_if_fail (kind < PHILIA_OVERLAY_N_KINDS, NULL);
  return kind_names[kind];
}

gboolean
philia_overlay_kind_from_string (const char        *name,
                                 PhiliaOverlayKind *kind)
{
  for (guint i = 0; name != NULL && i < PHILIA_OVERLAY_N_KINDS; i++)
    if (g_str_equal (name, kind_names[i]))
      {
        if (kind != NULL)
          *kind = i;
        return TRUE;
      }
  return FALSE;
}

/* "run:3:rest" → 3 and "rest" ("" when there is none); FALSE otherwise. */
static gboolean
parse_run (const char  *source,
           guint       *run,
           const char **rest)
{
  const char *p;
  char *end;
  guint64 id;

  if (!g_str_has_prefix (source, "run:"))
    return FALSE;
  p = source + strlen ("run:");
  if (!g_ascii_isdigit (*p))
    return FALSE;
  id = g_ascii_strtoull (p, &end, 10);
  if (id == 0 || id > G_MAXUINT || (*end != '\0' && *end != ':'))
    return FALSE;
  *run = (guint)id;
  *rest = *end == ':' ? end + 1 : end;
  return TRUE;
}

/* The name of what a node colouring or an edge style shows. */
static char *
what_title (const char *what)
{
  static const struct { const char *id; const char *title; } names[] = {
    { "class", N_("Class") },
    { "label", N_("Class") },
    { "local-homophily", N_("Local Homophily") },
    { "degree", N_("Degree") },
    { "prediction", N_("Prediction") },
    { "correct", N_("Correct on Test") },
    { "change", N_("Change by Adaptation") },
    { "homophily", N_("Class") },
    { "plain", N_("Plain") },
    { "none", N_("None") },
    { "attention", N_("Attention") },
    { "same-label-attention", N_("Same-Label Attention") },
    { "self-attention", N_("Self Attention") },
  };
  g_auto(GStrv) parts = g_strsplit (what, ":", 2);

  if (g_str_has_prefix (what, "value:"))
    return g_strdup (what + strlen ("value:"));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (parts[0] != NULL ? parts[0] : "", names[i].id))
      return g_strdup (_(names[i].title));
  return g_strdup (what);
}

char *
philia_document_overlay_dup_title (const PhiliaDocumentOverlay *overlay)
{
  g_autofree char *what = NULL;
  const char *rest = NULL;
  guint run = 0;
  gboolean of_run;

  g_return_val_if_fail (overlay != NULL, NULL);

  of_run = parse_run (overlay->source, &run, &rest);
  switch (overlay->kind)
    {
    case PHILIA_OVERLAY_NODE_COLOR:
      what = what_title (of_run ? rest : overlay->source);
      if (of_run)
        /* Translators: a node colouring in the overlay list and undo menu,
         * "Colour by Prediction (Run 3)" */
        return g_strdup_printf (_("Colour by %s (Run %u)"), what, run);
      /* Translators: "Colour by Class" */
      return g_strdup_printf (_("Colour by %s"), what);
    case PHILIA_OVERLAY_EDGE_STYLE:
      what = what_title (overlay->source);
      /* Translators: an edge style in the overlay list, "Edges by Class" */
      return g_strdup_printf (_("Edges by %s"), what);
    case PHILIA_OVERLAY_EDGE_VALUES:
      if (of_run && g_str_has_prefix (rest, "attention:"))
        {
          guint64 layer = g_ascii_strtoull (rest + strlen ("attention:"), NULL, 10);

          /* Translators: "Attention (Run 3, Layer 0)" */
          return g_strdup_printf (_("Attention (Run %u, Layer %u)"), run,
                                  (guint)MIN (layer, G_MAXUINT));
        }
      return g_strdup_printf (_("Edge Values %s"), overlay->source);
    case PHILIA_OVERLAY_RUN_ERRORS:
      if (of_run)
        /* Translators: a run's wrong predictions ringed on the canvas */
        return g_strdup_printf (_("Errors (Run %u)"), run);
      return g_strdup_printf (_("Errors (%s)"), overlay->source);
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ------------------------------------------------------------ the list */

guint
philia_document_get_n_overlays (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  return self->overlays->len;
}

const PhiliaDocumentOverlay *
philia_document_get_overlay (PhiliaDocument *self,
                             guint           index)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (index < self->overlays->len, NULL);
  return self->overlays->pdata[index];
}

static const PhiliaDocumentOverlay *
top_of (GPtrArray         *overlays,
        PhiliaOverlayKind  kind)
{
  for (guint i = overlays->len; i > 0; i--)
    {
      const PhiliaDocumentOverlay *o = overlays->pdata[i - 1];

      if (o->kind == kind && o->visible)
        return o;
    }
  return NULL;
}

const PhiliaDocumentOverlay *
philia_document_get_top_overlay (PhiliaDocument    *self,
                                 PhiliaOverlayKind  kind)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  return top_of (self->overlays, kind);
}

GPtrArray *
_philia_document_overlays_dup (GPtrArray *overlays)
{
  GPtrArray *copy = g_ptr_array_new_full (overlays->len,
                                          (GDestroyNotify)philia_document_overlay_unref);

  for (guint i = 0; i < overlays->len; i++)
    g_ptr_array_add (copy, philia_document_overlay_ref (overlays->pdata[i]));
  return copy;
}

/* The view's three names are what the list shows: the topmost visible
 * overlay of each kind, or the default. */
void
_philia_document_overlays_sync_view (PhiliaDocument *self)
{
  const PhiliaDocumentOverlay *color = top_of (self->overlays, PHILIA_OVERLAY_NODE_COLOR);
  const PhiliaDocumentOverlay *edges = top_of (self->overlays, PHILIA_OVERLAY_EDGE_STYLE);
  const PhiliaDocumentOverlay *values = top_of (self->overlays, PHILIA_OVERLAY_EDGE_VALUES);

  _philia_document_replace_string (&self->view.color_by, color != NULL ? color->source : "class");
  _philia_document_replace_string (&self->view.edge_style,
                                   edges != NULL ? edges->source : "class");
  _philia_document_replace_string (&self->view.overlay, values != NULL ? values->source : "");
}

/* ----------------------------------------------------------------- steps */

typedef struct
{
  GPtrArray *lists[2];   /* before, after: whole lists, by reference */
} OverlayStep;

static void
overlay_step_free (gpointer data)
{
  OverlayStep *step = data;

  g_ptr_array_unref (step->lists[0]);
  g_ptr_array_unref (step->lists[1]);
  g_free (step);
}

static void
overlay_step_apply (PhiliaDocument *self,
                    gpointer        data,
                    guint           side)
{
  OverlayStep *step = data;

  g_ptr_array_unref (self->overlays);
  self->overlays = _philia_document_overlays_dup (step->lists[side]);
  _philia_document_overlays_sync_view (self);
}

/* Makes @list (taken) the document's list as one step called @label (taken). */
static void
push_list (PhiliaDocument *self,
           GPtrArray      *list,
           char           *label)
{
  OverlayStep *step = g_new0 (OverlayStep, 1);

  step->lists[0] = _philia_document_overlays_dup (self->overlays);
  step->lists[1] = list;
  _philia_document_push_custom_step (self, PHILIA_DOCUMENT_PART_VIEW
                                     | PHILIA_DOCUMENT_PART_OVERLAYS, label,
                                     sizeof *step + 64 * (list->len + self->overlays->len),
                                     overlay_step_apply, step, overlay_step_free);
}

/* Puts (@kind, @source) visible on top of @list, dropping its copies. */
static void
list_put_on_top (GPtrArray         *list,
                 PhiliaOverlayKind  kind,
                 const char        *source)
{
  for (guint i = list->len; i > 0; i--)
    {
      const PhiliaDocumentOverlay *o = list->pdata[i - 1];

      if (o->kind == kind && g_str_equal (o->source, source))
        g_ptr_array_remove_index (list, i - 1);
    }
  g_ptr_array_add (list, philia_document_overlay_new (kind, source, TRUE));
}

static char *
add_label (PhiliaOverlayKind  kind,
           const char        *source)
{
  g_autoptr(PhiliaDocumentOverlay) o = philia_document_overlay_new (kind, source, TRUE);
  g_autofree char *title = philia_document_overlay_dup_title (o);

  if (kind == PHILIA_OVERLAY_NODE_COLOR || kind == PHILIA_OVERLAY_EDGE_STYLE)
    return g_steal_pointer (&title);
  /* Translators: an undo step that puts an overlay on the canvas, "Show Errors (Run 3)" */
  return g_strdup_printf (_("Show %s"), title);
}

gboolean
philia_document_add_overlay (PhiliaDocument    *self,
                             PhiliaOverlayKind  kind,
                             const char        *source)
{
  GPtrArray *list;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (kind < PHILIA_OVERLAY_N_KINDS, FALSE);
  g_return_val_if_fail (source != NULL && *source != '\0', FALSE);

  if (self->overlays->len > 0)
    {
      const PhiliaDocumentOverlay *top = self->overlays->pdata[self->overlays->len - 1];

      if (top->kind == kind && top->visible && g_str_equal (top->source, source))
        return FALSE;
    }
  list = _philia_document_overlays_dup (self->overlays);
  list_put_on_top (list, kind, source);
  push_list (self, list, add_label (kind, source));
  return TRUE;
}

gboolean
philia_document_remove_overlay (PhiliaDocument *self,
                                guint           index)
{
  g_autofree char *title = NULL;
  GPtrArray *list;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  if (index >= self->overlays->len)
    return FALSE;
  title = philia_document_overlay_dup_title (self->overlays->pdata[index]);
  list = _philia_document_overlays_dup (self->overlays);
  g_ptr_array_remove_index (list, index);
  /* Translators: an undo step, "Remove Colour by Class" */
  push_list (self, list, g_strdup_printf (_("Remove %s"), title));
  return TRUE;
}

gboolean
philia_document_set_overlay_visible (PhiliaDocument *self,
                                     guint           index,
                                     gboolean        visible)
{
  const PhiliaDocumentOverlay *old;
  g_autofree char *title = NULL;
  GPtrArray *list;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  if (index >= self->overlays->len)
    return FALSE;
  old = self->overlays->pdata[index];
  if (old->visible == (visible != FALSE))
    return FALSE;
  title = philia_document_overlay_dup_title (old);
  list = _philia_document_overlays_dup (self->overlays);
  g_ptr_array_index (list, index) = philia_document_overlay_new (old->kind, old->source, visible);
  philia_document_overlay_unref ((PhiliaDocumentOverlay *)old);
  push_list (self, list, visible ? g_strdup_printf (_("Show %s"), title)
                                 /* Translators: an undo step, "Hide Errors (Run 3)" */
                                 : g_strdup_printf (_("Hide %s"), title));
  return TRUE;
}

/* philia_document_set_view(): the three names the older API sets, as
 * changes of the list. FALSE when they are what shows already. */
gboolean
_philia_document_overlays_set_view (PhiliaDocument           *self,
                                    const PhiliaDocumentView *view)
{
  const char *overlay = view->overlay != NULL ? view->overlay : "";
  gboolean color = g_strcmp0 (view->color_by, self->view.color_by) != 0;
  gboolean edge = g_strcmp0 (view->edge_style, self->view.edge_style) != 0;
  gboolean values = g_strcmp0 (overlay, self->view.overlay) != 0;
  GPtrArray *list;
  char *label;

  if (!color && !edge && !values)
    return FALSE;
  list = _philia_document_overlays_dup (self->overlays);
  if (color)
    list_put_on_top (list, PHILIA_OVERLAY_NODE_COLOR, view->color_by);
  if (edge)
    list_put_on_top (list, PHILIA_OVERLAY_EDGE_STYLE, view->edge_style);
  if (values && *overlay != '\0')
    list_put_on_top (list, PHILIA_OVERLAY_EDGE_VALUES, overlay);
  else if (values)
    /* No edge values: those that showed go. */
    for (guint i = list->len; i > 0; i--)
      {
        const PhiliaDocumentOverlay *o = list->pdata[i - 1];

        if (o->kind == PHILIA_OVERLAY_EDGE_VALUES && o->visible)
          g_ptr_array_remove_index (list, i - 1);
      }

  /* An overlay shown with the edge style it needs ("attention") is one
   * change to the user. */
  if (values && !color)
    {
      if (*overlay != '\0')
        label = add_label (PHILIA_OVERLAY_EDGE_VALUES, overlay);
      else
        {
          g_autoptr(PhiliaDocumentOverlay) o =
            philia_document_overlay_new (PHILIA_OVERLAY_EDGE_VALUES, self->view.overlay, TRUE);
          g_autofree char *title = philia_document_overlay_dup_title (o);

          label = g_strdup_printf (_("Remove %s"), title);
        }
    }
  else if (color + edge + values > 1)
    label = g_strdup (_("View"));
  else if (color)
    label = add_label (PHILIA_OVERLAY_NODE_COLOR, view->color_by);
  else
    label = add_label (PHILIA_OVERLAY_EDGE_STYLE, view->edge_style);
  push_list (self, list, label);
  return TRUE;
}

/* ------------------------------------------------------------- restoring */

/* A project of the older format keeps the three names only: each that is
 * not the default becomes an overlay, so it opens showing the same. */
void
_philia_document_overlays_from_view (PhiliaDocument *self)
{
  g_ptr_array_set_size (self->overlays, 0);
  if (self->view.edge_style != NULL && !g_str_equal (self->view.edge_style, "class"))
    g_ptr_array_add (self->overlays, philia_document_overlay_new (PHILIA_OVERLAY_EDGE_STYLE,
                                                                  self->view.edge_style, TRUE));
  if (self->view.overlay != NULL && *self->view.overlay != '\0')
    g_ptr_array_add (self->overlays, philia_document_overlay_new (PHILIA_OVERLAY_EDGE_VALUES,
                                                                  self->view.overlay, TRUE));
  if (self->view.color_by != NULL && !g_str_equal (self->view.color_by, "class"))
    g_ptr_array_add (self->overlays, philia_document_overlay_new (PHILIA_OVERLAY_NODE_COLOR,
                                                                  self->view.color_by, TRUE));
  _philia_document_overlays_sync_view (self);
}

void
_philia_document_restore_overlays (PhiliaDocument *self,
                                   GPtrArray      *overlays)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  g_return_if_fail (overlays != NULL);
  g_ptr_array_unref (self->overlays);
  self->overlays = _philia_document_overlays_dup (overlays);
  _philia_document_overlays_sync_view (self);
}

/* ------------------------------------------------------------- run errors */

gboolean
philia_document_overlay_is_stale (PhiliaDocument              *self,
                                  const PhiliaDocumentOverlay *overlay,
                                  guint                       *run_id)
{
  const char *rest;
  guint id;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (overlay != NULL, FALSE);

  if (!parse_run (overlay->source, &id, &rest) || philia_document_find_run (self, id) != NULL)
    return FALSE;
  if (run_id != NULL)
    *run_id = id;
  return TRUE;
}

GArray *
philia_document_dup_run_errors (PhiliaDocument  *self,
                                guint            run_id,
                                GError         **error)
{
  const PhiliaDocumentOverlay *o;
  const PhiliaDocumentRun *run;
  const PhiliaTrainResult *r;
  PhiliaGraph *graph;
  const gint32 *y;
  const guint8 *test = NULL;
  const char *rest;
  guint id, n;
  GArray *nodes;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  o = philia_document_get_top_overlay (self, PHILIA_OVERLAY_RUN_ERRORS);
  if (o == NULL)
    return NULL;
  if (run_id != 0)
    id = run_id;
  else if (!parse_run (o->source, &id, &rest))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _("The errors overlay names no run (“%s”)."), o->source);
      return NULL;
    }
  run = philia_document_find_run (self, id);
  if (run == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   _("The errors overlay shows run %u, which is not in the project."), id);
      return NULL;
    }
  graph = philia_document_get_graph (self);
  r = run->result;
  n = graph != NULL ? philia_graph_get_n_nodes (graph) : 0;
  y = graph != NULL ? philia_graph_get_labels (graph) : NULL;
  if (graph == NULL || r->n_nodes != n || r->predictions == NULL || y == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _("Run %u has no predictions for the nodes of this graph."), id);
      return NULL;
    }
  if (run->provenance == PHILIA_RUN_TRAINED && r->split < philia_graph_get_n_splits (graph))
    test = philia_graph_get_split_mask (graph, r->split, PHILIA_SPLIT_TEST);
  nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint v = 0; v < n; v++)
    if (y[v] >= 0 && (test == NULL || test[v]) && r->predictions[v] != y[v])
      g_array_append_val (nodes, v);
  return nodes;
}
