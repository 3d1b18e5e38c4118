/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-document-private.h"

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

typedef enum
{
  STEP_LAYOUTS,
  STEP_GRAPH,
  STEP_VIEW,
  STEP_CONVENTIONS,
  STEP_NOTES,
  STEP_DELETE_RUN,
} StepKind;

/* Index 0 of each pair is the state before the step, 1 the state after. */
typedef struct
{
  StepKind            kind;
  char               *label;
  PhiliaDocumentPart  parts;
  gint64              time;          /* when it was made or last merged */
  gsize               bytes;         /* what it made (estimate), for the budget */

  GPtrArray          *layouts[2];    /* STEP_LAYOUTS: the whole list, by reference */
  int                 current[2];
  PhiliaGraph        *graph[2];      /* STEP_GRAPH */
  PhiliaDocumentView  view[2];       /* STEP_VIEW: colouring, edge style, overlay */
  PhiliaConvention    conventions[2];
  char               *notes[2];
  PhiliaDocumentRun  *run;           /* STEP_DELETE_RUN */
  guint               run_index;
} Step;

struct _PhiliaDocument
{
  GObject             parent_instance;

  PhiliaGraph        *graph;
  char               *dataset_path;
  char               *node_table_path;
  char               *path;
  char               *origin;
  gboolean            embed;
  GBytes             *embedded;
  char               *embedded_name;

  GPtrArray          *layouts;       /* PhiliaDocumentLayout */
  int                 current;       /* index in layouts, -1 for none */
  gboolean            initial_layout; /* layouts holds the initial layout alone */
  GArray             *selection;     /* guint */
  PhiliaDocumentView  view;
  PhiliaConvention    conventions;
  GPtrArray          *runs;          /* PhiliaDocumentRun */
  GPtrArray          *evaluations;   /* PhiliaDocumentEvaluation */
  GArray             *pairs;         /* PhiliaDocumentPair */
  char               *notes;
  guint               next_run_id;
  guint               next_evaluation_id;

  GPtrArray          *steps;         /* Step */
  guint               position;      /* steps applied */
  gint64              saved_position; /* -1: the saved state is no longer reachable */
  gboolean            unsaved;       /* a change that is not a step since the save */
  gint64              fake_now;      /* tests: 0 for the monotonic clock */
  gsize               history_bytes; /* the steps' bytes */
  guint64             revision;      /* counts the changes a project would save */
  gsize               budget;

  /* What the properties last said, to notify only on a change. */
  gboolean            was_dirty;
  gboolean            could_undo;
  gboolean            could_redo;
  char               *undo_label;
  char               *redo_label;
  char               *title;
};

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

static void
replace_string (char       **field,
                const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

static void
view_init_default (PhiliaDocumentView *view)
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
  g_free (evaluation);
}

/* A new list holding references to the layouts of @layouts. */
static GPtrArray *
layouts_dup (GPtrArray *layouts)
{
  GPtrArray *copy = g_ptr_array_new_full (layouts->len,
                                          (GDestroyNotify)philia_document_layout_unref);

  for (guint i = 0; i < layouts->len; i++)
    g_ptr_array_add (copy, philia_document_layout_ref (layouts->pdata[i]));
  return copy;
}

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
      philia_document_view_clear (&step->view[i]);
      g_free (step->notes[i]);
    }
  philia_document_run_unref (step->run);
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

static char *
compute_title (PhiliaDocument *self)
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
static void
emit_changed (PhiliaDocument     *self,
              PhiliaDocumentPart  parts)
{
  gboolean dirty = is_dirty (self);
  gboolean can_undo = self->position > 0;
  gboolean can_redo = self->position < self->steps->len;
  const char *undo = can_undo ? ((Step *)self->steps->pdata[self->position - 1])->label : NULL;
  const char *redo = can_redo ? ((Step *)self->steps->pdata[self->position])->label : NULL;
  g_autofree char *title = compute_title (self);

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
static void
changed_not_a_step (PhiliaDocument     *self,
                    PhiliaDocumentPart  parts)
{
  self->unsaved = TRUE;
  self->revision++;
  emit_changed (self, parts);
}

/* Where the user looks (the selection, zoom and pan): saved with the rest,
 * but like a text editor's cursor and scroll position not a reason to ask
 * "Save changes?" on close (HACKING.md §16). */
static void
changed_where_looking (PhiliaDocument     *self,
                       PhiliaDocumentPart  parts)
{
  self->revision++;
  emit_changed (self, parts);
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
      self->layouts = layouts_dup (step->layouts[side]);
      self->current = step->current[side];
      break;
    case STEP_GRAPH:
      g_set_object (&self->graph, step->graph[side]);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_GRAPH]);
      break;
    case STEP_VIEW:
      /* Zoom and centre are not part of the step: they stay as they are. */
      replace_string (&self->view.color_by, step->view[side].color_by);
      replace_string (&self->view.edge_style, step->view[side].edge_style);
      replace_string (&self->view.overlay, step->view[side].overlay);
      break;
    case STEP_CONVENTIONS:
      self->conventions = step->conventions[side];
      break;
    case STEP_NOTES:
      g_free (self->notes);
      self->notes = g_strdup (step->notes[side]);
      break;
    case STEP_DELETE_RUN:
      if (side == 1)
        g_ptr_array_remove_index (self->runs, step->run_index);
      else
        g_ptr_array_insert (self->runs, step->run_index, philia_document_run_ref (step->run));
      break;
    default:
      g_assert_not_reached ();
    }
}

static Step *
step_new (StepKind            kind,
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
static void
push_step (PhiliaDocument *self,
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
  emit_changed (self, step->parts);
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
  g_ptr_array_unref (self->runs);
  g_ptr_array_unref (self->evaluations);
  g_array_unref (self->pairs);
  g_free (self->notes);
  g_ptr_array_unref (self->steps);
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
}

static void
philia_document_init (PhiliaDocument *self)
{
  self->layouts = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_document_layout_unref);
  self->current = -1;
  self->selection = g_array_new (FALSE, FALSE, sizeof (guint));
  view_init_default (&self->view);
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
  self->title = compute_title (self);
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
  return compute_title (self);
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
  changed_not_a_step (self, PHILIA_DOCUMENT_PART_FILE);
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
  emit_changed (self, step->parts);
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
  emit_changed (self, step->parts);
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
  Step *step = step_new (STEP_LAYOUTS, parts, label);

  step->layouts[0] = layouts_dup (self->layouts);
  step->current[0] = self->current;
  step->layouts[1] = layouts;
  step->current[1] = current;
  /* A layout that is new in the list is what this step made. */
  for (guint i = 0; i < layouts->len; i++)
    if (!g_ptr_array_find (step->layouts[0], layouts->pdata[i], NULL))
      step->bytes += sizeof (double) * 2 * philia_graph_get_n_nodes (self->graph);
  push_step (self, step);
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

  layouts = layouts_dup (self->layouts);
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
  push_layouts_step (self, layouts_dup (self->layouts), i,
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
  layouts = layouts_dup (self->layouts);
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
  layouts = layouts_dup (self->layouts);
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

static gboolean
selection_set (PhiliaDocument *self,
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
  if (selection_set (self, nodes, n_nodes))
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
  gboolean color, edge, overlay;
  Step *step;
  const char *label;

  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  g_return_if_fail (view != NULL);
  g_return_if_fail (view->color_by != NULL && view->edge_style != NULL);

  color = g_strcmp0 (view->color_by, self->view.color_by) != 0;
  edge = g_strcmp0 (view->edge_style, self->view.edge_style) != 0;
  overlay = g_strcmp0 (view->overlay != NULL ? view->overlay : "", self->view.overlay) != 0;
  if (color || edge || overlay)
    {
      /* An overlay shown with the edge style it needs ("attention") is one
       * overlay to the user. */
      if (overlay && !color)
        label = _("Overlay");
      else if (color + edge + overlay > 1)
        label = _("View");
      else if (color)
        label = _("Colouring");
      else if (edge)
        label = _("Edge Style");
      else
        label = _("Overlay");
      step = step_new (STEP_VIEW, PHILIA_DOCUMENT_PART_VIEW, g_strdup (label));
      philia_document_view_copy (&step->view[0], &self->view);
      philia_document_view_copy (&step->view[1], view);
      if (step->view[1].overlay == NULL)
        step->view[1].overlay = g_strdup ("");
      push_step (self, step);
    }
  philia_document_set_zoom (self, view->zoom, view->center_x, view->center_y);
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
  step = step_new (STEP_CONVENTIONS, PHILIA_DOCUMENT_PART_CONVENTIONS,
                   g_strdup (_("Conventions")));
  step->conventions[0] = self->conventions;
  step->conventions[1] = conventions;
  push_step (self, step);
}

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

  step = step_new (STEP_GRAPH, PHILIA_DOCUMENT_PART_GRAPH, g_strdup (_("Make Splits")));
  step->graph[0] = g_object_ref (self->graph);
  /* The copy duplicates the features too (O(n·F)); the step keeps both
   * graphs, so undo and redo copy nothing. */
  step->graph[1] = philia_graph_copy_with_splits (self->graph, n_splits, train, val, test);
  step->bytes = graph_bytes (step->graph[1]);
  push_step (self, step);
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
  changed_not_a_step (self, PHILIA_DOCUMENT_PART_RUNS);
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
  changed_not_a_step (self, PHILIA_DOCUMENT_PART_RUNS);
  return first;
}

gboolean
philia_document_delete_run (PhiliaDocument *self,
                            guint           id)
{
  Step *step;
  int i;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  i = run_index (self, id);
  if (i < 0)
    return FALSE;
  step = step_new (STEP_DELETE_RUN, PHILIA_DOCUMENT_PART_RUNS,
                   g_strdup_printf (_("Delete Run %u"), id));
  step->run = philia_document_run_ref (self->runs->pdata[i]);
  step->run_index = (guint)i;
  push_step (self, step);
  return TRUE;
}

/* ------------------------------------------------------------ evaluations */

guint
philia_document_get_n_evaluations (PhiliaDocument *self)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  return self->evaluations->len;
}

const PhiliaDocumentEvaluation *
philia_document_get_evaluation (PhiliaDocument *self,
                                guint           index)
{
  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (index < self->evaluations->len, NULL);
  return self->evaluations->pdata[index];
}

static int
compare_descending (gconstpointer a,
                    gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  /* NaN (a score that could not be computed) ranks last. */
  if (isnan (x) || isnan (y))
    return isnan (x) - isnan (y);
  return (x < y) - (x > y);
}

/* Average precision of @n positives against @n negatives: the mean of the
 * precision at each distinct score threshold, weighted by the recall gained
 * there (tied scores form one threshold, as in scikit-learn). */
static double
average_precision (const double *pos,
                   const double *neg,
                   gint64        n)
{
  g_autofree double *all = NULL;
  g_autofree double *p = NULL;
  gint64 true_pos = 0, seen = 0, i = 0, j = 0;
  double ap = 0;

  if (n <= 0)
    return NAN;
  p = g_memdup2 (pos, sizeof (double) * n);
  all = g_memdup2 (neg, sizeof (double) * n);
  qsort (p, n, sizeof (double), compare_descending);
  qsort (all, n, sizeof (double), compare_descending);
  /* Walk both sorted lists by threshold, highest first. */
  while (i < n || j < n)
    {
      double t;
      gint64 new_pos = 0;

      if (j >= n || (i < n && compare_descending (&p[i], &all[j]) <= 0))
        t = p[i];
      else
        t = all[j];
      while (i < n && (p[i] == t || (isnan (t) && isnan (p[i]))))
        i++, new_pos++;
      while (j < n && (all[j] == t || (isnan (t) && isnan (all[j]))))
        j++, seen++;
      seen += new_pos;
      true_pos += new_pos;
      if (new_pos > 0)
        ap += (double)new_pos / n * ((double)true_pos / seen);
    }
  return ap;
}

static double *
report_summary (const PhiliaLinkpredReport *report)
{
  double *summary = g_new (double, 6 * MAX (report->n_results, 1));

  for (guint k = 0; k < report->n_results; k++)
    {
      const PhiliaLinkpredResult *r = report->results[k];
      double *row = summary + 6 * k;

      row[0] = r->auc;
      row[1] = average_precision (r->test_pos, r->test_neg, r->n_test);
      row[2] = r->mrr;
      row[3] = r->hits[1];
      row[4] = r->hits[2];
      row[5] = r->hits[3];
    }
  return summary;
}

guint
philia_document_add_evaluation (PhiliaDocument              *self,
                                const PhiliaProximityParams *params,
                                guint64                      seed,
                                guint                        n_mrr_neg,
                                PhiliaLinkpredReport        *report)
{
  PhiliaDocumentEvaluation *evaluation;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), 0);
  g_return_val_if_fail (params != NULL, 0);
  g_return_val_if_fail (report != NULL, 0);

  evaluation = g_new0 (PhiliaDocumentEvaluation, 1);
  evaluation->id = self->next_evaluation_id++;
  evaluation->params = *params;
  evaluation->mask = report->mask;
  evaluation->seed = seed;
  evaluation->n_mrr_neg = n_mrr_neg;
  evaluation->report = report;
  evaluation->n_heuristics = report->n_results;
  evaluation->summary = report_summary (report);
  g_ptr_array_add (self->evaluations, evaluation);
  changed_not_a_step (self, PHILIA_DOCUMENT_PART_EVALUATIONS);
  return evaluation->id;
}

static int
evaluation_index (PhiliaDocument *self,
                  guint           id)
{
  for (guint i = 0; i < self->evaluations->len; i++)
    if (((PhiliaDocumentEvaluation *)self->evaluations->pdata[i])->id == id)
      return (int)i;
  return -1;
}

gboolean
philia_document_delete_evaluation (PhiliaDocument *self,
                                   guint           id)
{
  int i;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  i = evaluation_index (self, id);
  if (i < 0)
    return FALSE;
  g_ptr_array_remove_index (self->evaluations, i);
  changed_not_a_step (self, PHILIA_DOCUMENT_PART_EVALUATIONS);
  return TRUE;
}

gboolean
philia_document_ensure_evaluation (PhiliaDocument *self,
                                   guint           id,
                                   GCancellable   *cancellable,
                                   GError        **error)
{
  PhiliaDocumentEvaluation *evaluation;
  PhiliaLinkpredReport *report;
  g_autofree double *summary = NULL;
  gboolean same;
  int i;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  i = evaluation_index (self, id);
  if (i < 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   "The document has no link-prediction evaluation %u.", id);
      return FALSE;
    }
  evaluation = self->evaluations->pdata[i];
  if (evaluation->report != NULL)
    return TRUE;

  report = philia_linkpred_report_new (self->graph, &evaluation->params, evaluation->mask,
                                       evaluation->seed, evaluation->n_mrr_neg, NULL,
                                       cancellable, error);
  if (report == NULL)
    return FALSE;
  summary = report_summary (report);
  same = report->n_results == evaluation->n_heuristics;
  for (guint k = 0; same && k < 6 * report->n_results; k++)
    {
      double a = summary[k], b = evaluation->summary[k];

      same = (isnan (a) && isnan (b)) || a == b || fabs (a - b) <= 1e-12;
    }
  evaluation->report = report;
  if (!same)
    {
      /* The recipe no longer gives the saved figures (another Philia
       * version, a changed heuristic): the figures shown are the ones
       * recomputed, and the project is saved with them. */
      g_debug ("Link-prediction evaluation %u recomputed to other figures than saved.", id);
      g_free (evaluation->summary);
      evaluation->summary = g_steal_pointer (&summary);
      evaluation->n_heuristics = report->n_results;
      evaluation->mask = report->mask;
      changed_not_a_step (self, PHILIA_DOCUMENT_PART_EVALUATIONS);
    }
  else
    {
      emit_changed (self, PHILIA_DOCUMENT_PART_EVALUATIONS);
    }
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
  changed_not_a_step (self, PHILIA_DOCUMENT_PART_PAIRS);
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
      emit_changed (self, PHILIA_DOCUMENT_PART_NOTES);
      return;
    }

  step = step_new (STEP_NOTES, PHILIA_DOCUMENT_PART_NOTES, g_strdup (_("Edit Notes")));
  step->notes[0] = g_strdup (self->notes);
  step->notes[1] = g_strdup (notes);
  push_step (self, step);
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

/* ----------------------------------------------------------------- filter */

static char *
filter_describe (PhiliaDocument     *self,
                 const PhiliaFilter *filter)
{
  switch (filter->kind)
    {
    case PHILIA_FILTER_CLASSES:
      {
        g_autoptr (GString) names = g_string_new (NULL);

        for (guint i = 0; i < filter->n_classes; i++)
          {
            const char *name = philia_graph_get_class_name (self->graph, filter->classes[i]);

            if (i > 0)
              g_string_append (names, ", ");
            if (name != NULL)
              g_string_append (names, name);
            else
              g_string_append_printf (names, "%u", filter->classes[i]);
          }
        return g_strdup_printf (ngettext ("class %s", "classes %s", filter->n_classes),
                                names->str);
      }
    case PHILIA_FILTER_DEGREE:
      return g_strdup_printf (_("degree %g–%g"), filter->min, filter->max);
    case PHILIA_FILTER_COMPONENT:
      return g_strdup (_("largest component"));
    case PHILIA_FILTER_LOCAL_HOMOPHILY:
      return g_strdup_printf (_("local homophily %g–%g"), filter->min, filter->max);
    default:
      g_assert_not_reached ();
    }
}

/* The nodes of the largest connected component (on a tie, the one holding
 * the lowest node id). */
static void
keep_largest_component (PhiliaGraph *graph,
                        gboolean    *keep)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  g_autofree guint *component = g_new (guint, MAX (n, 1));
  g_autofree guint *queue = g_new (guint, MAX (n, 1));
  guint n_components = 0, best = 0, best_size = 0;

  for (guint v = 0; v < n; v++)
    component[v] = G_MAXUINT;
  for (guint s = 0; s < n; s++)
    {
      guint head = 0, tail = 0;

      if (component[s] != G_MAXUINT)
        continue;
      component[s] = n_components;
      queue[tail++] = s;
      while (head < tail)
        {
          guint v = queue[head++];

          for (gint64 e = off[v]; e < off[v + 1]; e++)
            if (component[nbr[e]] == G_MAXUINT)
              {
                component[nbr[e]] = n_components;
                queue[tail++] = (guint)nbr[e];
              }
        }
      if (tail > best_size)
        {
          best_size = tail;
          best = n_components;
        }
      n_components++;
    }
  for (guint v = 0; v < n; v++)
    keep[v] = component[v] == best;
}

static gboolean
filter_keep (PhiliaDocument     *self,
             const PhiliaFilter *filter,
             gboolean           *keep,
             GError            **error)
{
  PhiliaGraph *graph = self->graph;
  guint n = philia_graph_get_n_nodes (graph);

  if ((filter->kind == PHILIA_FILTER_DEGREE || filter->kind == PHILIA_FILTER_LOCAL_HOMOPHILY)
      && (isnan (filter->min) || isnan (filter->max) || filter->min > filter->max))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   "The filter range %g–%g is empty or not a number; "
                   "the minimum must be at most the maximum.", filter->min, filter->max);
      return FALSE;
    }

  switch (filter->kind)
    {
    case PHILIA_FILTER_CLASSES:
      {
        const gint32 *y = philia_graph_get_labels (graph);
        guint n_classes = philia_graph_get_n_classes (graph);
        g_autofree gboolean *wanted = NULL;

        if (philia_graph_get_n_labeled (graph) == 0)
          {
            g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                         "%s has no labels to filter by class.",
                         philia_graph_get_source (graph));
            return FALSE;
          }
        if (filter->n_classes == 0 || filter->classes == NULL)
          {
            g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                         "The class filter names no class.");
            return FALSE;
          }
        wanted = g_new0 (gboolean, MAX (n_classes, 1));
        for (guint i = 0; i < filter->n_classes; i++)
          {
            if (filter->classes[i] >= n_classes)
              {
                g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                             "There is no class %u in %s (it has %u).", filter->classes[i],
                             philia_graph_get_source (graph), n_classes);
                return FALSE;
              }
            wanted[filter->classes[i]] = TRUE;
          }
        for (guint v = 0; v < n; v++)
          keep[v] = y[v] >= 0 && wanted[y[v]];
        break;
      }
    case PHILIA_FILTER_DEGREE:
      for (guint v = 0; v < n; v++)
        {
          double d = philia_graph_get_degree (graph, v);

          keep[v] = filter->min <= d && d <= filter->max;
        }
      break;
    case PHILIA_FILTER_COMPONENT:
      keep_largest_component (graph, keep);
      break;
    case PHILIA_FILTER_LOCAL_HOMOPHILY:
      {
        g_autofree double *h = philia_local_homophily (graph);

        /* An undefined local homophily (NaN) is in no range. */
        for (guint v = 0; v < n; v++)
          keep[v] = filter->min <= h[v] && h[v] <= filter->max;
        break;
      }
    default:
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION, "Unknown filter kind %d.",
                   (int)filter->kind);
      return FALSE;
    }
  return TRUE;
}

/* The induced subgraph on @kept (@n_kept old ids, ascending). */
static PhiliaGraph *
induced_subgraph (PhiliaGraph  *graph,
                  const guint  *kept,
                  guint         n_kept,
                  const gint64 *new_id,
                  GError      **error)
{
  g_autoptr (PhiliaGraphBuilder) builder = philia_graph_builder_new (n_kept);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  const gint32 *y = philia_graph_get_labels (graph);
  guint n_features = philia_graph_get_n_features (graph);
  guint n_splits = philia_graph_get_n_splits (graph);

  for (guint i = 0; i < n_kept; i++)
    {
      guint v = kept[i];

      for (gint64 e = off[v]; e < off[v + 1]; e++)
        if ((guint)nbr[e] > v && new_id[nbr[e]] >= 0)
          philia_graph_builder_add_edge (builder, i, new_id[nbr[e]]);
    }
  if (philia_graph_get_n_labeled (graph) > 0 || philia_graph_has_class_names (graph))
    {
      gint64 *labels = g_new (gint64, MAX (n_kept, 1));

      for (guint i = 0; i < n_kept; i++)
        labels[i] = y[kept[i]];
      philia_graph_builder_take_labels (builder, labels);
    }
  if (philia_graph_has_class_names (graph))
    {
      /* All names are kept, so class ids (and colours) stay the same. */
      guint n_classes = philia_graph_get_n_classes (graph);
      char **names = g_new0 (char *, n_classes + 1);

      for (guint k = 0; k < n_classes; k++)
        names[k] = g_strdup (philia_graph_get_class_name (graph, k));
      philia_graph_builder_take_class_names (builder, names);
    }
  if (n_features > 0)
    {
      const float *x = philia_graph_get_features (graph);
      float *features = g_new (float, (gsize)MAX (n_kept, 1) * n_features);

      for (guint i = 0; i < n_kept; i++)
        memcpy (features + (gsize)i * n_features, x + (gsize)kept[i] * n_features,
                sizeof (float) * n_features);
      philia_graph_builder_take_features (builder, features, n_features);
    }
  if (n_splits > 0)
    {
      guint8 *masks[3];

      for (guint part = 0; part < 3; part++)
        {
          masks[part] = g_new (guint8, (gsize)n_splits * MAX (n_kept, 1));
          for (guint s = 0; s < n_splits; s++)
            {
              const guint8 *mask = philia_graph_get_split_mask (graph, s, part);

              for (guint i = 0; i < n_kept; i++)
                masks[part][(gsize)s * n_kept + i] = mask[kept[i]];
            }
        }
      philia_graph_builder_take_masks (builder, n_splits, masks[0], masks[1], masks[2]);
    }
  if (philia_graph_has_node_names (graph))
    {
      char **names = g_new0 (char *, n_kept + 1);

      for (guint i = 0; i < n_kept; i++)
        names[i] = g_strdup (philia_graph_get_node_name (graph, kept[i]));
      philia_graph_builder_take_node_names (builder, names);
    }
  philia_graph_builder_set_source (builder, philia_graph_get_source (graph),
                                   philia_graph_get_format (graph));
  return philia_graph_builder_build (builder, error);
}

PhiliaDocument *
philia_document_filter (PhiliaDocument     *self,
                        const PhiliaFilter *filter,
                        GError            **error)
{
  guint n;
  g_autofree gboolean *keep = NULL;
  g_autofree gint64 *new_id = NULL;
  g_autoptr (GArray) kept = NULL;
  g_autoptr (PhiliaGraph) graph = NULL;
  g_autofree char *what = NULL;
  g_autofree char *name = NULL;
  PhiliaDocument *filtered;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = philia_graph_get_n_nodes (self->graph);
  keep = g_new0 (gboolean, MAX (n, 1));
  if (!filter_keep (self, filter, keep, error))
    return NULL;

  kept = g_array_new (FALSE, FALSE, sizeof (guint));
  new_id = g_new (gint64, MAX (n, 1));
  for (guint v = 0; v < n; v++)
    {
      new_id[v] = keep[v] ? (gint64)kept->len : -1;
      if (keep[v])
        g_array_append_val (kept, v);
    }
  what = filter_describe (self, filter);
  if (kept->len == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_EMPTY,
                   "The filter “%s” keeps no node of %s.", what,
                   philia_graph_get_source (self->graph));
      return NULL;
    }

  graph = induced_subgraph (self->graph, (const guint *)kept->data, kept->len, new_id, error);
  if (graph == NULL)
    return NULL;

  filtered = philia_document_new (graph, NULL, NULL);
  /* The graph exists in no file: the project has to hold it. */
  filtered->embed = TRUE;
  if (self->path != NULL || self->dataset_path != NULL)
    name = g_path_get_basename (self->path != NULL ? self->path : self->dataset_path);
  else if (self->origin != NULL)
    name = g_strdup (self->origin);
  else
    name = compute_title (self);
  /* TRANSLATORS: where a filtered graph came from: "cora.npz · degree 2–10" */
  filtered->origin = g_strdup_printf (_("%s · %s"), name, what);

  for (guint l = 0; l < self->layouts->len; l++)
    {
      const PhiliaDocumentLayout *layout = self->layouts->pdata[l];
      double *positions = g_new (double, 2 * (gsize)kept->len);

      for (guint i = 0; i < kept->len; i++)
        {
          guint v = g_array_index (kept, guint, i);

          positions[2 * i] = layout->positions[2 * v];
          positions[2 * i + 1] = layout->positions[2 * v + 1];
        }
      g_ptr_array_add (filtered->layouts,
                       _philia_document_layout_new (layout->name, layout->algorithm,
                                                    layout->seed, positions));
    }
  filtered->current = self->current;

  /* The view and conventions carry over, except what names a run (runs do not). */
  philia_document_view_copy (&filtered->view, &self->view);
  if (g_str_has_prefix (filtered->view.color_by, "run:"))
    replace_string (&filtered->view.color_by, "class");
  if (g_str_has_prefix (filtered->view.edge_style, "run:")
      || g_str_equal (filtered->view.edge_style, "attention"))
    replace_string (&filtered->view.edge_style, "class");
  if (g_str_has_prefix (filtered->view.overlay, "run:"))
    replace_string (&filtered->view.overlay, "");
  filtered->conventions = self->conventions;
  for (guint i = 0; i < self->selection->len; i++)
    {
      guint v = g_array_index (self->selection, guint, i);

      if (new_id[v] >= 0)
        {
          guint w = (guint)new_id[v];

          g_array_append_val (filtered->selection, w);
        }
    }

  /* Never saved anywhere: closing it should ask. */
  filtered->unsaved = TRUE;
  filtered->was_dirty = TRUE;
  return filtered;
}

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

  selection_set (self, selection, n_selected);
  if (view != NULL)
    {
      philia_document_view_copy (&self->view, view);
      /* NULL fields (an older or hand-written project) get the defaults. */
      if (self->view.color_by == NULL)
        replace_string (&self->view.color_by, "class");
      if (self->view.edge_style == NULL)
        replace_string (&self->view.edge_style, "class");
      if (self->view.overlay == NULL)
        replace_string (&self->view.overlay, "");
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
  emit_changed (self, PHILIA_DOCUMENT_PART_FILE);
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
  emit_changed (self, parts);
}
