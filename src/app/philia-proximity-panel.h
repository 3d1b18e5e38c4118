/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-canvas.h"
#include "philia-core.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_PROXIMITY_PANEL (philia_proximity_panel_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaProximityPanel, philia_proximity_panel, PHILIA, PROXIMITY_PANEL,
                      GtkWidget)

GtkWidget   *philia_proximity_panel_new             (void);
PhiliaDocument *philia_proximity_panel_get_document (PhiliaProximityPanel *self);
void         philia_proximity_panel_set_document    (PhiliaProximityPanel *self,
                                                     PhiliaDocument       *document);
PhiliaGraph *philia_proximity_panel_get_graph       (PhiliaProximityPanel *self);
void         philia_proximity_panel_set_graph       (PhiliaProximityPanel *self,
                                                     PhiliaGraph          *graph);
/* Where the pair, its common neighbours and a shortest path are highlighted. */
void         philia_proximity_panel_set_canvas      (PhiliaProximityPanel *self,
                                                     PhiliaCanvas         *canvas);
/* The window's selection: with two or more nodes, the first two are explained. */
void         philia_proximity_panel_set_selection   (PhiliaProximityPanel *self,
                                                     const guint          *nodes,
                                                     guint                 n_nodes);
/* Explains (u, v) on a worker thread. */
void         philia_proximity_panel_explain         (PhiliaProximityPanel *self,
                                                     guint                 u,
                                                     guint                 v);

/* For tests: what the panel computed and shows. */
gboolean     philia_proximity_panel_get_busy        (PhiliaProximityPanel *self);
const PhiliaPairExplanation *
             philia_proximity_panel_get_explanation (PhiliaProximityPanel *self);
const PhiliaLinkpredReport *
             philia_proximity_panel_get_report      (PhiliaProximityPanel *self);
/* The text of a cell of the scores table (column 0 name, 1 score, 2 rank) or
 * of the evaluation table (row 0 is the header). */
const char  *philia_proximity_panel_get_score_text  (PhiliaProximityPanel *self,
                                                     PhiliaProximityHeuristic heuristic,
                                                     guint                 column);
const char  *philia_proximity_panel_get_eval_text   (PhiliaProximityPanel *self,
                                                     guint                 row,
                                                     guint                 column);
GtkWidget   *philia_proximity_panel_get_common_list (PhiliaProximityPanel *self);
/* The trained GNN's row of "Why this link" (name, score, rank), NULL before
 * a pair is shown. */
const char  *philia_proximity_panel_get_gnn_score_text (PhiliaProximityPanel *self,
                                                        guint                 column);
/* That row's tooltip: which GNN, its split and the feature set it learnt from. */
const char  *philia_proximity_panel_get_gnn_tooltip    (PhiliaProximityPanel *self);
/* The evaluation's status line (split, negatives, features). */
const char  *philia_proximity_panel_get_eval_status    (PhiliaProximityPanel *self);
/* The GNN controls (philia-proximity-gnn.h). */
GtkWidget   *philia_proximity_panel_get_gnn         (PhiliaProximityPanel *self);
GtkWidget   *philia_proximity_panel_get_suggest_list (PhiliaProximityPanel *self);
/* The "What explains these links" summary on show, or NULL without an evaluation. */
const char  *philia_proximity_panel_get_factors_text (PhiliaProximityPanel *self);
GtkWidget   *philia_proximity_panel_get_chart       (PhiliaProximityPanel *self,
                                                     PhiliaLinkpredFigureKind kind);
/* Evaluation with @n_mrr_neg MRR negatives per test edge (the button uses 100). */
void         philia_proximity_panel_evaluate        (PhiliaProximityPanel *self,
                                                     guint                 n_mrr_neg);

G_END_DECLS
