/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include "philia-document.h"
#include "philia-features.h"

G_BEGIN_DECLS

/*
 * Feature sets of a document: the graph's own features ("original", not
 * stored here) and the sets the user imported or derived, each with a
 * unique name. Adding and removing are steps ("Add Feature Set", "Remove
 * Feature Set"); the sets are saved with the project (derived ones as their
 * spec, imported ones as arrays). Runs remember which set they trained on.
 */

/* Emitted in "changed" when the list of feature sets changes. */
#define PHILIA_DOCUMENT_PART_FEATURES ((PhiliaDocumentPart)(1 << 16))
/* The name of the graph's own features. */
#define PHILIA_FEATURES_ORIGINAL "original"

guint                   philia_document_get_n_feature_sets   (PhiliaDocument   *self);
const PhiliaFeatureSet *philia_document_get_feature_set      (PhiliaDocument   *self,
                                                              guint             index);
/* The spec a derived set was made from ("ahat:2", …), NULL for an imported one. */
const char             *philia_document_get_feature_set_spec (PhiliaDocument   *self,
                                                              guint             index);
const PhiliaFeatureSet *philia_document_find_feature_set     (PhiliaDocument   *self,
                                                              const char       *name);
/* Takes @set (its rows must be the graph's nodes); a name already used, or
 * "original", gets " (2)", " (3)", …; @spec (nullable): how to derive it
 * again. Returns the name it got (owned by the document). */
const char             *philia_document_add_feature_set      (PhiliaDocument   *self,
                                                              PhiliaFeatureSet *set,
                                                              const char       *spec);
gboolean                philia_document_remove_feature_set   (PhiliaDocument   *self,
                                                              const char       *name);
/* The graph with the features called @name (NULL or "original": the
 * document's graph); a new reference. Refuses a name the document lacks. */
PhiliaGraph            *philia_document_dup_graph_with_features (PhiliaDocument *self,
                                                                 const char     *name,
                                                                 GError        **error);
/* Which feature set run @run_id trained on ("original" unless recorded);
 * recording is not a step (like adding the run). */
const char             *philia_document_get_run_features     (PhiliaDocument   *self,
                                                              guint             run_id);
void                    philia_document_set_run_features     (PhiliaDocument   *self,
                                                              guint             run_id,
                                                              const char       *name);

/*
 * The set the feature measures (feature similarity over edges and random
 * pairs in the Statistics panel, the feature-proximity link heuristic) use:
 * "original" unless chosen, and "original" again while the chosen set is
 * not in the document (removed; an undo brings both back). Choosing is a
 * step ("Features for Measures"), saved with the project.
 */
const char             *philia_document_get_measure_features (PhiliaDocument *self);
/* Refuses (FALSE, no step) a name the document lacks. */
gboolean                philia_document_set_measure_features (PhiliaDocument *self,
                                                              const char     *name);
/* Names the document offers for a choice: "original, Â^2 X, random 16" (for
 * messages; a new string). */
char                   *philia_document_list_feature_set_names (PhiliaDocument *self);

/*
 * Evaluations (link prediction) record the set their split's graph carried:
 * the one the feature-proximity heuristic scored with and the GNNs trained
 * on their split learnt from (PhiliaDocumentEvaluation.features and
 * .model_features). Recording is not a step, like adding the evaluation.
 */
/* Refuses (FALSE) an evaluation or a set name the document lacks. */
gboolean                philia_document_set_evaluation_features (PhiliaDocument *self,
                                                                 guint           id,
                                                                 const char     *name);
/* The document's graph with evaluation @id's features (a new reference);
 * refuses, naming it, a set the document no longer has. */
PhiliaGraph            *philia_document_dup_evaluation_graph    (PhiliaDocument *self,
                                                                 guint           id,
                                                                 GError        **error);
/* The set model @index of @evaluation trained on ("original" unless recorded). */
const char             *philia_document_evaluation_get_model_features
                                                               (const PhiliaDocumentEvaluation *e,
                                                                guint                           index);

G_END_DECLS
