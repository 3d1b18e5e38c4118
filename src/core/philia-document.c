/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-document-private.h"
#include "philia-document-step-private.h"

/*
 * The document model (HACKING.md §16). Undoable changes are steps holding
 * the state before and after; layouts, runs and graphs are immutable and
 * reference-counted, so a step holds references, never copies.
 */

/* Steps kept for undo (HACKING.md §16): enough for an afternoon of edits.
 * A step can also hold a whole graph (splits copy the features: 49 MB for
 * CiteSeer) or a layout (16 bytes a node), so the oldest steps also go when
 * what the steps made passes a memory budget. */
#define HISTORY_CAP 100
#define HISTORY_BUDGET ((gsize)512 << 20)

/* Successive notes edits closer than this merge into one step. */
#define NOTES_MERGE_USEC (2 * G_USEC_PER_SEC)


enum
{
  PROP_0,
  PROP_GRAPH,
  PROP_TITLE,
  PROP_PATH,
  PROP_DIRTY,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  N_PROPS
};

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PhiliaDocument, philia_document, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ steps */

static void
step_free (gpointer data)
{
  Step *step = data;

  g_free (step->label);
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&step->layouts[i], g_ptr_array_unref);
      g_clear_object (&step->graph[i]);
      g_free (step->notes[i]);
    }
  g_clear_pointer (&step->runs, g_ptr_array_unref);
  g_clear_pointer (&step->run_indices, g_array_unref);
  if (step->custom_free != NULL)
    step->custom_free (step->custom_data);
  g_free (step);
}

static gint64
now (PhiliaDocument *self)
{
  return self->fake_now != 0 ? self->fake_now : g_get_monotonic_time ();
}

static gboolean
is_dirty (PhiliaDocument *self)
{
  return self->unsaved || self->saved_position != (gint64)self->position;
}

char *
_philia_document_compute_title (PhiliaDocument *self)
{
  const char *file = self->path != NULL ? self->path : self->dataset_path;
  g_autofree char *base = NULL;
  char *dot;

  if (file == NULL)
    return g_strdup (_("Untitled"));
  base = g_path_get_basename (file);
  /* "cora.npz" → "cora"; a name that is all extension (".npz") stays. */
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

/* Notifies the properties whose value changed and emits "changed" with
 * @parts (plus PHILIA_DOCUMENT_PART_FILE when path, title or dirty moved). */
void
_philia_document_emit_changed (PhiliaDocument     *self,
                               PhiliaDocumentPart  parts)
{
  gboolean dirty = is_dirty (self);
  gboolean can_undo = self->position > 0;
  gboolean can_redo = self->position < self->steps->len;
  const char *undo = can_undo ? ((Step *)self->steps->pdata[self->position - 1])->label : NULL;
  const char *redo = can_redo ? ((Step *)self->steps->pdata[self->position])->label : NULL;
  g_autofree char *title = _philia_document_compute_title (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (dirty != self->was_dirty)
    {
      self->was_dirty = dirty;
      parts |= PHILIA_DOCUMENT_PART_FILE;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DIRTY]);
    }
  if (can_undo != self->could_undo)
    {
      self->could_undo = can_undo;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAN_UNDO]);
    }
  if (can_redo != self->could_redo)
    {
      self->could_redo = can_redo;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAN_REDO]);
    }
  if (g_strcmp0 (undo, self->undo_label) != 0)
    {
      g_free (self->undo_label);
      self->undo_label = g_strdup (undo);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_UNDO_LABEL]);
    }
  if (g_strcmp0 (redo, self->redo_label) != 0)
    {
      g_free (self->redo_label);
      self->redo_label = g_strdup (redo);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REDO_LABEL]);
    }
  if (g_strcmp0 (title, self->title) != 0)
    {
      g_free (self->title);
      self->title = g_steal_pointer (&title);
      parts |= PHILIA_DOCUMENT_PART_FILE;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TITLE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  if (parts != 0)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0, (guint)parts);
}

/* A change that is saved but not undone (a run, an evaluation, a pair). */
void
_philia_document_changed_not_a_step (PhiliaDocument     *self,
                                     PhiliaDocumentPart  parts)
{
  self->unsaved = TRUE;
  self->revision++;
  _philia_document_emit_changed (self, parts);
}

/* Where the user looks (the selection, zoom and pan): saved with the rest,
 * but like a text editor's cursor and scroll position not a reason to ask
 * "Save changes?" on close (HACKING.md §16). */
static void
changed_where_looking (PhiliaDocument     *self,
                       PhiliaDocumentPart  parts)
{
  self->revision++;
  _philia_document_emit_changed (self, parts);
}

static void
step_apply (PhiliaDocument *self,
            Step           *step,
            guint           side)
{
  switch (step->kind)
    {
    case STEP_LAYOUTS:
      g_ptr_array_unref (self->layouts);
      self->layouts = _philia_document_layouts_dup (step->layouts[side]);
      self->current = step->current[side];
      break;
    case STEP_GRAPH:
      g_set_object (&self->graph, step->graph[side]);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_GRAPH]);
      break;
    case STEP_CONVENTIONS:
      self->conventions = step->conventions[side];
      break;
    case STEP_NOTES:
      g_free (self->notes);
      self->notes = g_strdup (step->notes[side]);
      break;
    case STEP_DELETE_RUN:
      /* Indices ascend: removed from the last, put back from the first. */
      if (side == 1)
        for (guint i = step->runs->len; i > 0; i--)
          g_ptr_array_remove_index (self->runs, g_array_index (step->run_indices, guint, i - 1));
      else
        for (guint i = 0; i < step->runs->len; i++)
          g_ptr_array_insert (self->runs, (int)g_array_index (step->run_indices, guint, i),
                              philia_document_run_ref (step->runs->pdata[i]));
      break;
    case STEP_CUSTOM:
      step->custom_apply (self, step->custom_data, side);
      break;
    default:
      g_assert_not_reached ();
    }
}

Step *
_philia_document_step_new (StepKind            kind,
                           PhiliaDocumentPart  parts,
                           char               *label)
{
  Step *step = g_new0 (Step, 1);

  step->kind = kind;
  step->parts = parts;
  step->label = label;
  return step;
}

/* Applies @step's new state and makes it the latest step: a redo branch is
 * dropped (and with it, maybe, the saved state), the oldest step goes when
 * the history is full. Takes @step. */
void
_philia_document_push_step (PhiliaDocument *self,
                            Step           *step)
{
  if (self->position < self->steps->len)
    {
      if (self->saved_position > (gint64)self->position)
        self->saved_position = -1;
      for (guint i = self->position; i < self->steps->len; i++)
        self->history_bytes -= ((Step *)self->steps->pdata[i])->bytes;
      g_ptr_array_remove_range (self->steps, self->position,
                                self->steps->len - self->position);
    }
  step->time = now (self);
  self->revision++;
  step_apply (self, step, 1);
  g_ptr_array_add (self->steps, step);
  self->position++;
  self->history_bytes += step->bytes;
  /* The newest step always stays, whatever its size. */
  while (self->steps->len > HISTORY_CAP
         || (self->steps->len > 1 && self->history_bytes > self->budget))
    {
      self->history_bytes -= ((Step *)self->steps->pdata[0])->bytes;
      g_ptr_array_remove_index (self->steps, 0);
      self->position--;
      if (self->saved_position >= 0)
        self->saved_position--;
    }
  _philia_document_emit_changed (self, step->parts);
}

void
_philia_document_push_custom_step (PhiliaDocument          *self,
                                   PhiliaDocumentPart       parts,
                                   char                    *label,
                                   gsize                    bytes,
                                   PhiliaDocumentStepApply  apply,
                                   gpointer                 data,
                                   GDestroyNotify           free_data)
{
  Step *step = _philia_document_step_new (STEP_CUSTOM, parts, label);

  step->bytes = bytes;
  step->custom_apply = apply;
  step->custom_data = data;
  step->custom_free = free_data;
  _philia_document_push_step (self, step);
}

/* ----------------------------------------------------------------- object */

static void
philia_document_finalize (GObject *object)
{
  PhiliaDocument *self = PHILIA_DOCUMENT (object);

  g_clear_object (&self->graph);
  g_free (self->dataset_path);
  g_free (self->node_table_path);
  g_free (self->path);
  g_free (self->origin);
  g_clear_pointer (&self->embedded, g_bytes_unref);
  g_free (self->embedded_name);
  g_ptr_array_unref (self->layouts);
  g_array_unref (self->selection);
  philia_document_view_clear (&self->view);
  g_ptr_array_unref (self->overlays);
  g_ptr_array_unref (self->runs);
  g_ptr_array_unref (self->evaluations);
  g_array_unref (self->pairs);
  g_free (self->notes);
  g_ptr_array_unref (self->steps);
  g_clear_pointer (&self->feature_sets, g_ptr_array_unref);
  g_clear_pointer (&self->run_features, g_hash_table_unref);
  g_clear_pointer (&self->measure_features, g_free);
  g_free (self->undo_label);
  g_free (self->redo_label);
  g_free (self->title);

  G_OBJECT_CLASS (philia_document_parent_class)->finalize (object);
}

static void
philia_document_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PhiliaDocument *self = PHILIA_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      g_value_set_object (value, self->graph);
      break;
    case PROP_TITLE:
      g_value_take_string (value, philia_document_dup_title (self));
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_DIRTY:
      g_value_set_boolean (value, philia_document_get_dirty (self));
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, philia_document_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, philia_document_can_redo (self));
      break;
    case PROP_UNDO_LABEL:
      g_value_set_string (value, philia_document_get_undo_label (self));
      break;
    case PROP_REDO_LABEL:
      g_value_set_string (value, philia_document_get_redo_label (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_document_class_init (PhiliaDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = philia_document_finalize;
  object_class->get_property = philia_document_get_property;

  props[PROP_GRAPH] = g_param_spec_object ("graph", NULL, NULL, PHILIA_TYPE_GRAPH, flags);
  props[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  props[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, flags);
  props[PROP_DIRTY] = g_param_spec_boolean ("dirty", NULL, NULL, FALSE, flags);
  props[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, flags);
  props[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, flags);
  props[PROP_UNDO_LABEL] = g_param_spec_string ("undo-label", NULL, NULL, NULL, flags);
  props[PROP_REDO_LABEL] = g_param_spec_string ("redo-label", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * PhiliaDocument::changed:
   * @parts: the #PhiliaDocumentPart flags that changed
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_UINT);
  _philia_document_class_init_reveal (object_class);
}

static void
philia_document_init (PhiliaDocument *self)
{
  self->layouts = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_document_layout_unref);
  self->current = -1;
  self->selection = g_array_new (FALSE, FALSE, sizeof (guint));
  _philia_document_view_init_default (&self->view);
  self->overlays = g_ptr_array_new_with_free_func (
    (GDestroyNotify)philia_document_overlay_unref);
  self->runs = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_document_run_unref);
  self->evaluations = g_ptr_array_new_with_free_func (
    (GDestroyNotify)_philia_document_evaluation_free);
  self->pairs = g_array_new (FALSE, FALSE, sizeof (PhiliaDocumentPair));
  self->notes = g_strdup ("");
  self->next_run_id = 1;
  self->next_evaluation_id = 1;
  self->steps = g_ptr_array_new_with_free_func (step_free);
  self->budget = HISTORY_BUDGET;
}

PhiliaDocument *
philia_document_new (PhiliaGraph *graph,
                     const char  *dataset_path,
                     const char  *node_table_path)
{
  PhiliaDocument *self;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);

  self = g_object_new (PHILIA_TYPE_DOCUMENT, NULL);
  self->graph = g_object_ref (graph);
  self->dataset_path = g_strdup (dataset_path);
  self->node_table_path = g_strdup (node_table_path);
  self->title = _philia_document_compute_title (self);
  return self;
}

PhiliaDocument *
_philia_document_new_restored (PhiliaGraph *graph,
                               const char  *dataset_path,
                               const char  *node_table_path)
{
  /* A new document has no history and is clean already. */
  return philia_document_new (graph, dataset_path, node_table_path);
}

PhiliaGraph *
philia_document_get_graph (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  return self->graph;
}

const char *
philia_document_get_dataset_path (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  return self->dataset_path;
}

const char *
philia_document_get_node_table_path (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  return self->node_table_path;
}

const char *
philia_document_get_path (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  return self->path;
}

char *
philia_document_dup_title (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  return _philia_document_compute_title (self);
}

gboolean
philia_document_get_dirty (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  return is_dirty (self);
}

gboolean
philia_document_has_work (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  /* A filtered graph is work too: it exists nowhere else. */
  /* The layout Philia made by itself on opening is nobody's work yet. */
  gboolean only_initial = self->initial_layout && self->layouts->len == 1
                          && self->steps->len == 0;

  return (self->layouts->len > 0 && !only_initial) || self->runs->len > 0 || self->evaluations->len > 0
         || self->pairs->len > 0 || self->notes[0] != '\0' || self->steps->len > 0
         || self->origin != NULL;
}

gboolean
philia_document_get_embed (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  return self->embed;
}

void
philia_document_set_embed (PhiliaDocument *self,
                           gboolean        embed)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  embed = !!embed;
  if (self->embed == embed)
    return;
  self->embed = embed;
  _philia_document_changed_not_a_step (self, PHILIA_DOCUMENT_PART_FILE);
}

const char *
philia_document_get_origin (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  return self->origin;
}

/* ---------------------------------------------------------------- history */

gboolean
philia_document_can_undo (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  return self->position > 0;
}

gboolean
philia_document_can_redo (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  return self->position < self->steps->len;
}

const char *
philia_document_get_undo_label (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  return self->position > 0 ? ((Step *)self->steps->pdata[self->position - 1])->label : NULL;
}

const char *
philia_document_get_redo_label (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  return self->position < self->steps->len
         ? ((Step *)self->steps->pdata[self->position])->label : NULL;
}

gboolean
philia_document_undo (PhiliaDocument *self)
{
  Step *step;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  if (self->position == 0)
    return FALSE;
  step = self->steps->pdata[--self->position];
  self->revision++;
  step_apply (self, step, 0);
  _philia_document_emit_changed (self, step->parts);
  return TRUE;
}

gboolean
philia_document_redo (PhiliaDocument *self)
{
  Step *step;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  if (self->position == self->steps->len)
    return FALSE;
  step = self->steps->pdata[self->position++];
  self->revision++;
  step_apply (self, step, 1);
  _philia_document_emit_changed (self, step->parts);
  return TRUE;
}

guint
philia_document_get_history_length (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  return self->steps->len;
}

/* ---------------------------------------------------------------- layouts */

guint
philia_document_get_n_layouts (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  return self->layouts->len;
}

const PhiliaDocumentLayout *
philia_document_get_layout (PhiliaDocument *self,
                            guint           index)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (index < self->layouts->len, NULL);
  return self->layouts->pdata[index];
}

static int
layout_index (PhiliaDocument *self,
              const char     *name)
{
  for (guint i = 0; name != NULL && i < self->layouts->len; i++)
    if (g_str_equal (((PhiliaDocumentLayout *)self->layouts->pdata[i])->name, name))
      return (int)i;
  return -1;
}

const PhiliaDocumentLayout *
philia_document_find_layout (PhiliaDocument *self,
                             const char     *name)
{
  int i;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  i = layout_index (self, name);
  return i >= 0 ? self->layouts->pdata[i] : NULL;
}

const PhiliaDocumentLayout *
philia_document_get_current_layout (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  return self->current >= 0 ? self->layouts->pdata[self->current] : NULL;
}

/* A layouts step from the current list to @layouts (taken) with @current. */
static void
push_layouts_step (PhiliaDocument     *self,
                   GPtrArray          *layouts,
                   int                 current,
                   PhiliaDocumentPart  parts,
                   char               *label)
{
  Step *step = _philia_document_step_new (STEP_LAYOUTS, parts, label);

  step->layouts[0] = _philia_document_layouts_dup (self->layouts);
  step->current[0] = self->current;
  step->layouts[1] = layouts;
  step->current[1] = current;
  /* A layout that is new in the list is what this step made. */
  for (guint i = 0; i < layouts->len; i++)
    if (!g_ptr_array_find (step->layouts[0], layouts->pdata[i], NULL))
      step->bytes += sizeof (double) * 2 * philia_graph_get_n_nodes (self->graph);
  _philia_document_push_step (self, step);
}

void
philia_document_add_layout (PhiliaDocument *self,
                            const char     *name,
                            const char     *algorithm,
                            guint64         seed,
                            double         *positions)
{
  GPtrArray *layouts;
  int i;

  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (positions != NULL || philia_graph_get_n_nodes (self->graph) == 0);

  layouts = _philia_document_layouts_dup (self->layouts);
  i = layout_index (self, name);
  if (i >= 0)
    {
      /* Replaced in place, so the list keeps its order. */
      philia_document_layout_unref (layouts->pdata[i]);
      layouts->pdata[i] = _philia_document_layout_new (name, algorithm, seed, positions);
    }
  else
    {
      g_ptr_array_add (layouts, _philia_document_layout_new (name, algorithm, seed, positions));
      i = (int)layouts->len - 1;
    }
  push_layouts_step (self, layouts, i,
                     PHILIA_DOCUMENT_PART_LAYOUTS | PHILIA_DOCUMENT_PART_POSITIONS,
                     g_strdup (_("Layout")));
}

gboolean
philia_document_set_initial_layout (PhiliaDocument *self,
                                    const char     *name,
                                    const char     *algorithm,
                                    guint64         seed,
                                    double         *positions)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (positions != NULL || philia_graph_get_n_nodes (self->graph) == 0,
                        FALSE);

  if (self->layouts->len > 0)
    {
      g_free (positions);
      return FALSE;
    }
  g_ptr_array_add (self->layouts, _philia_document_layout_new (name, algorithm, seed, positions));
  self->current = 0;
  self->initial_layout = TRUE;
  /* Saved with the project like where the user looks, but nothing the
   * user did: no step, no "Save changes?". */
  changed_where_looking (self, PHILIA_DOCUMENT_PART_LAYOUTS | PHILIA_DOCUMENT_PART_POSITIONS);
  return TRUE;
}

gboolean
philia_document_set_current_layout (PhiliaDocument *self,
                                    const char     *name)
{
  int i;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  i = layout_index (self, name);
  if (i < 0)
    return FALSE;
  if (i == self->current)
    return TRUE;
  push_layouts_step (self, _philia_document_layouts_dup (self->layouts), i,
                     PHILIA_DOCUMENT_PART_LAYOUTS | PHILIA_DOCUMENT_PART_POSITIONS,
                     g_strdup (_("Switch Layout")));
  return TRUE;
}

gboolean
philia_document_remove_layout (PhiliaDocument *self,
                               const char     *name)
{
  GPtrArray *layouts;
  int i, current = self->current;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  i = layout_index (self, name);
  if (i < 0)
    return FALSE;
  layouts = _philia_document_layouts_dup (self->layouts);
  g_ptr_array_remove_index (layouts, i);
  /* The removed layout's neighbour (the one before it) is shown instead. */
  if (current == i)
    current = layouts->len == 0 ? -1 : MAX (i - 1, 0);
  else if (current > i)
    current--;
  push_layouts_step (self, layouts, current,
                     PHILIA_DOCUMENT_PART_LAYOUTS | PHILIA_DOCUMENT_PART_POSITIONS,
                     g_strdup (_("Remove Layout")));
  return TRUE;
}

gboolean
philia_document_move_nodes (PhiliaDocument *self,
                            const guint    *nodes,
                            const double   *xy,
                            guint           n_nodes)
{
  const PhiliaDocumentLayout *old;
  PhiliaDocumentLayout *moved;
  GPtrArray *layouts;
  guint n;
  double *positions;
  gboolean same = TRUE;
  char *label;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (nodes != NULL || n_nodes == 0, FALSE);
  g_return_val_if_fail (xy != NULL || n_nodes == 0, FALSE);

  old = philia_document_get_current_layout (self);
  n = philia_graph_get_n_nodes (self->graph);
  if (old == NULL || n_nodes == 0)
    return FALSE;
  for (guint i = 0; i < n_nodes; i++)
    if (nodes[i] >= n || !isfinite (xy[2 * i]) || !isfinite (xy[2 * i + 1]))
      return FALSE;

  /* Layouts are immutable (a snapshot may be writing this one): copy. */
  positions = g_memdup2 (old->positions, sizeof (double) * 2 * n);
  for (guint i = 0; i < n_nodes; i++)
    {
      positions[2 * nodes[i]] = xy[2 * i];
      positions[2 * nodes[i] + 1] = xy[2 * i + 1];
    }
  same = memcmp (positions, old->positions, sizeof (double) * 2 * n) == 0;
  if (same)
    {
      /* A drag that ended where it began is not a step. */
      g_free (positions);
      return TRUE;
    }

  moved = _philia_document_layout_new (old->name, old->algorithm, old->seed, positions);
  layouts = _philia_document_layouts_dup (self->layouts);
  philia_document_layout_unref (layouts->pdata[self->current]);
  layouts->pdata[self->current] = moved;

  if (n_nodes == 1)
    {
      const char *name = philia_graph_get_node_name (self->graph, nodes[0]);

      if (name != NULL)
        label = g_strdup_printf (_("Move Node %s"), name);
      else
        label = g_strdup_printf (_("Move Node %u"), nodes[0]);
    }
  else
    {
      label = g_strdup_printf (ngettext ("Move %u Node", "Move %u Nodes", n_nodes), n_nodes);
    }
  push_layouts_step (self, layouts, self->current, PHILIA_DOCUMENT_PART_POSITIONS, label);
  return TRUE;
}

/* -------------------------------------------------------------- selection */

const guint *
philia_document_get_selection (PhiliaDocument *self,
                               guint          *n_nodes)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  if (n_nodes != NULL)
    *n_nodes = self->selection->len;
  return (const guint *)self->selection->data;
}

gboolean
_philia_document_selection_set (PhiliaDocument *self,
                                const guint    *nodes,
                                guint           n_nodes)
{
  guint n = philia_graph_get_n_nodes (self->graph);

  for (guint i = 0; i < n_nodes; i++)
    g_return_val_if_fail (nodes[i] < n, FALSE);
  if (n_nodes == self->selection->len
      && (n_nodes == 0 || memcmp (nodes, self->selection->data, sizeof (guint) * n_nodes) == 0))
    return FALSE;
  g_array_set_size (self->selection, 0);
  g_array_append_vals (self->selection, nodes, n_nodes);
  return TRUE;
}

void
philia_document_set_selection (PhiliaDocument *self,
                               const guint    *nodes,
                               guint           n_nodes)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  g_return_if_fail (nodes != NULL || n_nodes == 0);
  if (_philia_document_selection_set (self, nodes, n_nodes))
    changed_where_looking (self, PHILIA_DOCUMENT_PART_SELECTION);
}

/* ------------------------------------------------------------------- view */

const PhiliaDocumentView *
philia_document_get_view (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  return &self->view;
}

void
philia_document_set_view (PhiliaDocument           *self,
                          const PhiliaDocumentView *view)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  g_return_if_fail (view != NULL);
  g_return_if_fail (view->color_by != NULL && view->edge_style != NULL);

  /* Zoom and centre first: a caller's copy of the view may hold an older
   * zoom than the one a canvas is about to write when told of the step
   * (it writes a pending zoom then); set afterwards, the older zoom would
   * win and the canvas jump back to where it was before. */
  philia_document_set_zoom (self, view->zoom, view->center_x, view->center_y);
  /* The names are what the overlay list shows: a change is a step on it. */
  _philia_document_overlays_set_view (self, view);
}

void
philia_document_set_zoom (PhiliaDocument *self,
                          double          zoom,
                          double          center_x,
                          double          center_y)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  g_return_if_fail (isfinite (zoom) && zoom > 0 && isfinite (center_x) && isfinite (center_y));
  if (zoom == self->view.zoom && center_x == self->view.center_x
      && center_y == self->view.center_y)
    return;
  self->view.zoom = zoom;
  self->view.center_x = center_x;
  self->view.center_y = center_y;
  changed_where_looking (self, PHILIA_DOCUMENT_PART_VIEW);
}

/* ------------------------------------------------------------ conventions */

PhiliaConvention
philia_document_get_conventions (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), PHILIA_CONVENTION_DEFAULT);
  return self->conventions;
}

void
philia_document_set_conventions (PhiliaDocument  *self,
                                 PhiliaConvention conventions)
{
  Step *step;

  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  if (conventions == self->conventions)
    return;
  step = _philia_document_step_new (STEP_CONVENTIONS, PHILIA_DOCUMENT_PART_CONVENTIONS,
                   g_strdup (_("Conventions")));
  step->conventions[0] = self->conventions;
  step->conventions[1] = conventions;
  _philia_document_push_step (self, step);
}

/* ------------------------------------------------------------------ notes */

const char *
philia_document_get_notes (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  return self->notes;
}

void
philia_document_set_notes (PhiliaDocument *self,
                           const char     *notes)
{
  Step *top = NULL;
  Step *step;
  gint64 t;

  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  if (notes == NULL)
    notes = "";
  if (g_str_equal (notes, self->notes))
    return;

  t = now (self);
  if (self->position > 0 && self->position == self->steps->len)
    top = self->steps->pdata[self->position - 1];
  /* Typing is one step per pause, not one per key. Not merged into a step
   * that was saved: the saved state must stay reachable by undo. */
  if (top != NULL && top->kind == STEP_NOTES && t - top->time < NOTES_MERGE_USEC
      && self->saved_position != (gint64)self->position)
    {
      g_free (top->notes[1]);
      top->notes[1] = g_strdup (notes);
      top->time = t;
      self->revision++;
      step_apply (self, top, 1);
      if (g_str_equal (top->notes[0], top->notes[1]))
        {
          /* Typed and erased: nothing left to undo. */
          g_ptr_array_remove_index (self->steps, --self->position);
        }
      _philia_document_emit_changed (self, PHILIA_DOCUMENT_PART_NOTES);
      return;
    }

  step = _philia_document_step_new (STEP_NOTES, PHILIA_DOCUMENT_PART_NOTES,
                                    g_strdup (_("Edit Notes")));
  step->notes[0] = g_strdup (self->notes);
  step->notes[1] = g_strdup (notes);
  _philia_document_push_step (self, step);
}

void
_philia_document_set_history_budget (PhiliaDocument *self,
                                     gsize           bytes)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  self->budget = bytes;
}

void
_philia_document_set_time (PhiliaDocument *self,
                           gint64          monotonic_usec)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  self->fake_now = monotonic_usec;
}

/* ---------------------------------------------------------------- private */

guint64
_philia_document_get_revision (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  return self->revision;
}

void
_philia_document_mark_saved_revision (PhiliaDocument *self,
                                      const char     *path,
                                      guint64         revision)
{
  g_return_if_fail (PHILIA_IS_DOCUMENT (self));

  if (revision == self->revision)
    {
      _philia_document_mark_saved (self, path);
      return;
    }
  /* Changed while the file was written: the file is the project's now, but
   * what it holds is not what the document shows, and which step it matches
   * is not known (a later one may have been undone since): stay dirty. */
  if (g_strcmp0 (path, self->path) != 0)
    {
      g_free (self->path);
      self->path = g_strdup (path);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PATH]);
    }
  self->saved_position = -1;
  self->unsaved = TRUE;
  _philia_document_emit_changed (self, PHILIA_DOCUMENT_PART_FILE);
}

void
_philia_document_mark_saved (PhiliaDocument *self,
                             const char     *path)
{
  PhiliaDocumentPart parts = 0;

  g_return_if_fail (PHILIA_IS_DOCUMENT (self));

  if (g_strcmp0 (path, self->path) != 0)
    {
      g_free (self->path);
      self->path = g_strdup (path);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PATH]);
      parts |= PHILIA_DOCUMENT_PART_FILE;
    }
  self->saved_position = self->position;
  self->unsaved = FALSE;
  _philia_document_emit_changed (self, parts);
}
