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

G_END_DECLS
