/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"

G_BEGIN_DECLS

/*
 * The "Features" drop-down of the Statistics and Proximity panels: which of
 * the document's feature sets the feature measures (feature similarity, the
 * feature-proximity heuristic) use. The choice is the document's
 * (philia_document_set_measure_features(), a step), so both panels show the
 * same set and undo walks it.
 */

/* Refills @dropdown with "Original" and the document's sets (shape in the
 * label), @names (of char *) with their names by position, and selects the
 * document's choice; insensitive while there is nothing to choose. */
void         _philia_features_choice_sync      (GtkDropDown    *dropdown,
                                                GPtrArray      *names,
                                                PhiliaDocument *document);
/* For "notify::selected": the user's pick becomes the document's choice (a
 * step); the sync's own changes are ignored. */
void         _philia_features_choice_picked    (GtkDropDown    *dropdown,
                                                GPtrArray      *names,
                                                PhiliaDocument *document);
/* What a panel's feature measures run on, following the document. */
typedef struct
{
  char          *name;   /* the set's name; NULL: not known yet (a new graph) */
  gconstpointer  set;    /* the document's set it was copied from, NULL: original */
  PhiliaGraph   *graph;  /* the graph with those features, NULL: the panel's own */
  gconstpointer  base;   /* the panel's graph it was made for (compared only) */
} PhiliaFeaturesChoice;

void         _philia_features_choice_clear     (PhiliaFeaturesChoice *choice);
/* Brings @choice in step with the document's choice for @graph (a new
 * @graph starts afresh); TRUE when it changed (the measures are out of date). */
gboolean     _philia_features_choice_follow    (PhiliaFeaturesChoice *choice,
                                                PhiliaDocument       *document,
                                                PhiliaGraph          *graph);

G_END_DECLS
