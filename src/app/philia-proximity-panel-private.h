/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-chart-view.h"
#include "philia-core.h"
#include "philia-features-choice.h"
#include "philia-proximity-panel.h"

G_BEGIN_DECLS

/* The Proximity panel's state, shared by its files: the panel itself and
 * "Why this link" (philia-proximity-panel.c) and the evaluation table and
 * charts (philia-proximity-evaluate.c). */

#define N_EVAL_COLUMNS 6

struct _PhiliaProximityPanel
{
  GtkWidget              parent_instance;

  /* Template widgets */
  GtkEntry              *u_entry;
  GtkEntry              *v_entry;
  GtkLabel              *status_label;
  GtkGrid               *scores_grid;
  GtkLabel              *common_heading;
  GtkListBox            *common_list;
  GtkLabel              *path_label;
  GtkLabel              *katz_label;
  GtkLabel              *ppr_label;
  GtkDropDown           *heuristic_dropdown;
  GtkDropDown           *features_dropdown;
  GtkListBox            *suggest_list;
  GtkSpinButton         *seed_spin;
  GtkSpinButton         *k_spin;
  GtkProgressBar        *progress_bar;
  GtkLabel              *eval_status;
  GtkGrid               *eval_grid;
  PhiliaChartView       *hits_chart;
  PhiliaChartView       *overlap_chart;

  /* Built in init */
  GtkLabel              *score_cells[PHILIA_PROXIMITY_N_HEURISTICS][3];
  GPtrArray             *extra_rows;   /* borrowed labels of plugins' heuristics */
  GtkLabel              *gnn_cells[3]; /* borrowed: the trained GNN's row, or NULL */
  GtkLabel              *eval_cells[PHILIA_PROXIMITY_N_HEURISTICS + 1][N_EVAL_COLUMNS];
  GPtrArray             *eval_extra;   /* labels of the extra results' rows */
  GtkWidget             *gnn;
  GtkWidget             *factors_box;    /* heading, summary and chart */
  GtkLabel              *factors_label;  /* the plain-language summary */
  PhiliaChartView       *factors_chart;

  /* The report's results and then plugins' and GNNs', for the figures */
  GPtrArray             *extra_results;
  PhiliaLinkpredReport   view;

  /* Owned */
  PhiliaGraph           *graph;
  PhiliaFeaturesChoice   features;     /* the features fp scores with */
  GPtrArray             *feature_names; /* the features drop-down's set names */
  GArray                *selection;
  PhiliaProximityNegatives *negatives;
  PhiliaPairExplanation *explanation;
  PhiliaLinkpredReport  *report;
  PhiliaLinkpredFigure  *figures[PHILIA_N_LINKPRED_FIGURES];
  GCancellable          *explain_cancel;
  GCancellable          *suggest_cancel;
  GCancellable          *eval_cancel;
  PhiliaProgress        *progress;
  GBinding              *progress_binding;
  GBinding              *progress_text_binding;
  guint                  pending_u, pending_v;
  guint                  suggest_u;
  guint                  busy;
  PhiliaDocument        *document;     /* its evaluations and pairs, or NULL */
  guint                  report_id;    /* the document evaluation on show, 0: none */
  char                  *report_features; /* the set the report's fp (and GNNs) used */
  gboolean               report_borrowed;  /* self->report is the document's */
  gboolean               record_pair;  /* the explanation in flight goes to the document */

  /* Borrowed (weak) */
  PhiliaCanvas          *canvas;
};

/* The graph the heuristics score on: the panel's, with the features the
 * document chose for the feature measures (fp). */
#define PROXIMITY_SCORE_GRAPH(self) \
  ((self)->features.graph != NULL ? (self)->features.graph : (self)->graph)

/* The name of the set the report on show was made with. */
#define REPORT_FEATURES(self) \
  ((self)->report_features != NULL ? (self)->report_features : PHILIA_FEATURES_ORIGINAL)

/* The GNN finished training: its row of "Why this link" follows. */
void _philia_proximity_panel_gnn_trained            (PhiliaProximityPanel *self);
/* philia-proximity-factors.c: the "What explains these links" view. */
void _philia_proximity_panel_build_factors          (PhiliaProximityPanel *self);
void _philia_proximity_panel_show_factors           (PhiliaProximityPanel *self,
                                                     guint                 k);
void _philia_proximity_panel_set_busy               (PhiliaProximityPanel *self,
                                                     int                   delta);

/* philia-proximity-evaluate.c */
void _philia_proximity_panel_class_init_evaluation  (GtkWidgetClass       *widget_class);
void _philia_proximity_panel_show_report            (PhiliaProximityPanel *self);
void _philia_proximity_panel_set_evaluating         (PhiliaProximityPanel *self,
                                                     gboolean              running);
void _philia_proximity_panel_drop_report            (PhiliaProximityPanel *self);
void _philia_proximity_panel_on_gnn_result          (PhiliaLinkpredResult *result,
                                                     gpointer              user_data);
void _philia_proximity_panel_sync_evaluation        (PhiliaProximityPanel *self);

G_END_DECLS
