/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A document's undoable step, shared by philia-document.c (the history)
 * and philia-document-runs.c (splits and run deletions push steps). Apart
 * from philia-document-private.h so that the short names stay in those two
 * files. */

#include "philia-document-private.h"

G_BEGIN_DECLS

typedef enum
{
  STEP_LAYOUTS,
  STEP_GRAPH,
  STEP_CONVENTIONS,
  STEP_NOTES,
  STEP_DELETE_RUN,
  STEP_CUSTOM,
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
  PhiliaConvention    conventions[2];
  char               *notes[2];
  GPtrArray          *runs;          /* STEP_DELETE_RUN: the runs, by ascending index */
  GArray             *run_indices;   /* guint, where they were */
  PhiliaDocumentStepApply custom_apply; /* STEP_CUSTOM (philia-document-overlays.c, …) */
  gpointer            custom_data;
  GDestroyNotify      custom_free;
} Step;

/* A step of @kind touching @parts, labelled @label (taken); its states are
 * filled in by the caller. */
Step *_philia_document_step_new  (StepKind            kind,
                                  PhiliaDocumentPart  parts,
                                  char               *label);
/* Applies @step's new state and makes it the latest step (takes @step). */
void  _philia_document_push_step (PhiliaDocument     *self,
                                  Step               *step);

G_END_DECLS
