/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-core.h"

G_BEGIN_DECLS

/*
 * What the project reader (philia-project-read.c) needs from the document model
 * (philia-document.c) to rebuild a saved document without recording steps,
 * and what the writer needs beyond the public getters. HACKING.md §16.
 */

/* A document with no history, not dirty. */
PhiliaDocument *_philia_document_new_restored       (PhiliaGraph          *graph,
                                                     const char           *dataset_path,
                                                     const char           *node_table_path);
/* Appends, without a step; takes a reference. */
void            _philia_document_restore_layout     (PhiliaDocument       *self,
                                                     PhiliaDocumentLayout *layout,
                                                     gboolean              current);
void            _philia_document_restore_run        (PhiliaDocument       *self,
                                                     PhiliaDocumentRun    *run);
/* Takes @evaluation (its report may be NULL). */
void            _philia_document_restore_evaluation (PhiliaDocument           *self,
                                                     PhiliaDocumentEvaluation *evaluation);
void            _philia_document_restore_pair       (PhiliaDocument           *self,
                                                     const PhiliaDocumentPair *pair);
void            _philia_document_restore_state      (PhiliaDocument           *self,
                                                     const guint              *selection,
                                                     guint                     n_selected,
                                                     const PhiliaDocumentView *view,
                                                     PhiliaConvention          conventions,
                                                     const char               *notes,
                                                     const char               *origin);
/* philia-document-reveal.c: installs PhiliaDocument::reveal-nodes. */
void            _philia_document_class_init_reveal  (GObjectClass         *klass);
/* The ids the next run and evaluation get (never reused, also across saves). */
guint           _philia_document_get_next_run_id        (PhiliaDocument *self);
guint           _philia_document_get_next_evaluation_id (PhiliaDocument *self);
void            _philia_document_set_next_ids       (PhiliaDocument *self,
                                                     guint           next_run_id,
                                                     guint           next_evaluation_id);
/* The dataset embedded in the project it was opened from (kept so that a
 * re-save embeds it again even if the original file is gone); NULL if none. */
GBytes         *_philia_document_get_embedded_dataset (PhiliaDocument *self,
                                                       const char    **name);
void            _philia_document_set_embedded_dataset (PhiliaDocument *self,
                                                       GBytes         *bytes,
                                                       const char     *name);
/* After a save or an open: @path becomes the document's, the current point
 * of the history is the clean one (notify "path", "title", "dirty"). */
void            _philia_document_mark_saved         (PhiliaDocument *self,
                                                     const char     *path);
/* A save on a worker: the revision counts every change a project would
 * save (steps, undo, redo, non-steps). Take it with the snapshot and pass it
 * back when the write is done; if the user changed the document meanwhile,
 * it takes the path but stays dirty (the file holds an older state). */
guint64         _philia_document_get_revision       (PhiliaDocument *self);
void            _philia_document_mark_saved_revision (PhiliaDocument *self,
                                                      const char     *path,
                                                      guint64         revision);
PhiliaDocumentLayout *_philia_document_layout_new   (const char *name,
                                                     const char *algorithm,
                                                     guint64     seed,
                                                     double     *positions);
PhiliaDocumentRun    *_philia_document_run_new      (guint              id,
                                                     PhiliaTrainResult *result);
void            _philia_document_evaluation_free    (PhiliaDocumentEvaluation *evaluation);
/* Tests: the clock that decides whether notes edits merge (2 s), in
 * g_get_monotonic_time() microseconds; 0 goes back to the real clock. */
void            _philia_document_set_time           (PhiliaDocument *self,
                                                     gint64          monotonic_usec);
/* Tests: the memory budget of the history (512 MiB unless set); the oldest
 * steps go when what the steps made is larger. */
void            _philia_document_set_history_budget (PhiliaDocument *self,
                                                     gsize           bytes);

/*
 * What the document's own files share beyond the above: the object itself
 * (philia-document.c: steps, history, layouts, selection, view, notes),
 * the splits, runs and pairs (philia-document-runs.c), the boxed types and
 * views (philia-document-types.c), the evaluations
 * (philia-document-evaluations.c), the filters (philia-document-filter.c)
 * and the restoring of a saved document (philia-document-restore.c).
 */

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
  GPtrArray          *overlays;      /* PhiliaDocumentOverlay, bottom to top */
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

  /* philia-document-features.c (NULL until the first feature set) */
  GPtrArray          *feature_sets;  /* PhiliaDocumentFeatures */
  GHashTable         *run_features;  /* run id → the feature set's name it trained on */
  char               *measure_features; /* the set feature measures use; NULL: original */
};

/* --- philia-document-types.c ---------------------------------------------- */
void _philia_document_replace_string (char       **field,
                                      const char  *value);
void _philia_document_view_init_default (PhiliaDocumentView *view);
GPtrArray *_philia_document_layouts_dup (GPtrArray *layouts);

/* --- philia-document.c ---------------------------------------------------- */
char *_philia_document_compute_title (PhiliaDocument *self);
void _philia_document_emit_changed (PhiliaDocument     *self,
                                    PhiliaDocumentPart  parts);
void _philia_document_changed_not_a_step (PhiliaDocument     *self,
                                          PhiliaDocumentPart  parts);
gboolean _philia_document_selection_set (PhiliaDocument *self,
                                         const guint    *nodes,
                                         guint           n_nodes);
/* philia-document-features.c: a feature set as the document holds it
 * (immutable, shared by the history's steps and by snapshots). */
typedef struct
{
  gatomicrefcount   ref;
  PhiliaFeatureSet *set;
  char             *spec;     /* how it was derived, or NULL (imported) */
} PhiliaDocumentFeatures;
/* For the project writer: the sets (a new array of references) and a copy
 * of run id → set name. */
GPtrArray *_philia_document_features_snapshot (PhiliaDocument  *self,
                                               GHashTable     **run_features);
/* For the project reader: append without a step; takes @set. */
void _philia_document_restore_feature_set  (PhiliaDocument   *self,
                                            PhiliaFeatureSet *set,
                                            const char       *spec);
void _philia_document_restore_run_features (PhiliaDocument   *self,
                                            guint             run_id,
                                            const char       *name);
/* For the project reader: the measures' set, without a step (NULL: original). */
void _philia_document_restore_measure_features (PhiliaDocument *self,
                                                const char     *name);
/* A step whose state lives elsewhere (philia-document-overlays.c, …):
 * @apply puts side 0 (before) or 1 (after) of @data in place; pushing
 * applies side 1. Takes @label and @data. */
typedef void (*PhiliaDocumentStepApply) (PhiliaDocument *self,
                                         gpointer        data,
                                         guint           side);
void _philia_document_push_custom_step (PhiliaDocument          *self,
                                        PhiliaDocumentPart       parts,
                                        char                    *label,
                                        gsize                    bytes,
                                        PhiliaDocumentStepApply  apply,
                                        gpointer                 data,
                                        GDestroyNotify           free_data);

/* --- philia-document-overlays.c -------------------------------------------- */
GPtrArray *_philia_document_overlays_dup (GPtrArray *overlays);
void _philia_document_overlays_sync_view (PhiliaDocument *self);
gboolean _philia_document_overlays_set_view (PhiliaDocument           *self,
                                             const PhiliaDocumentView *view);
void _philia_document_overlays_from_view (PhiliaDocument *self);
/* The project reader: the list saved (after _philia_document_restore_state()). */
void _philia_document_restore_overlays (PhiliaDocument *self,
                                        GPtrArray      *overlays);

G_END_DECLS
