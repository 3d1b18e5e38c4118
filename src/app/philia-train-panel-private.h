/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The Train panel's state, shared by its source files: philia-train-panel.c
 * (parameters, training, the object) and philia-train-panel-inspect.c (the
 * inspect views, exports and accessors). */

#include <gtk/gtk.h>

#include "philia-attention-view.h"
#include "philia-canvas.h"
#include "philia-param-grid.h"
#include "philia-run-history.h"
#include "philia-train-curves.h"
#include "philia-train-panel.h"

G_BEGIN_DECLS

typedef PhiliaRunEntry Run;
typedef struct _PhiliaTrainGroup Group;

struct _PhiliaTrainPanel
{
  GtkWidget          parent_instance;

  /* Template widgets */
  GtkStack          *stack;
  GtkDropDown       *model_dropdown;
  GtkDropDown       *features_dropdown;
  GtkLabel          *model_description;
  GtkLabel          *split_label;
  GtkSpinButton     *split_spin;
  GtkLabel          *split_sizes;
  PhiliaParamGrid   *params_grid;
  GtkCheckButton    *many_check;
  GtkSpinButton     *seeds_spin;
  GtkWidget         *seeds_label;
  GtkButton         *train_button;
  GtkProgressBar    *progress_bar;
  GtkLabel          *status_label;
  GtkLabel          *message_label;
  PhiliaTrainCurves *curves;
  PhiliaRunHistory  *history;
  GtkWidget         *canvas_box;
  GtkFlowBox        *color_box;
  PhiliaAttentionView *attention_view;

  /* Borrowed */
  PhiliaDocument    *document;        /* owned; its runs are the history */
  GPtrArray         *value_buttons;   /* node-values buttons in color_box */

  /* Owned */
  PhiliaGraph       *graph;
  GPtrArray         *model_ids;       /* char*, dropdown order */
  Run               *current;         /* one of the history's, or NULL */
  GCancellable      *cancellable;
  guint              serial;
  GtkFileChooserNative *csv_chooser;
  GPtrArray         *feature_names;   /* char*, features_dropdown order */
  PhiliaGraph       *run_graph;       /* the graph with the chosen features, for this launch */
  char              *run_features;    /* its feature set's name */
  char              *csv_kind;

  /* The run in progress */
  guint              live_color;
  Group             *group;           /* runs over splits × seeds in progress, or NULL */
  gint64             stop_time;       /* µs, when Stop was pressed; 0 */
  gint64             status_time;     /* µs, last live status text */

  guint              training : 1;
  guint              disposed : 1;
};

/* philia-train-panel-features.c: the Features drop-down (the document's
 * feature sets), the graph a run trains on, and which set runs used. */
void _philia_train_panel_sync_features             (PhiliaTrainPanel *self);
gboolean _philia_train_panel_take_run_graph        (PhiliaTrainPanel *self);
void _philia_train_panel_record_features           (PhiliaTrainPanel *self,
                                                    guint             first_id,
                                                    guint             n_runs);
void _philia_train_panel_remove_canvas_layers       (PhiliaTrainPanel *self);
void _philia_train_panel_clear_value_buttons        (PhiliaTrainPanel *self);
void _philia_train_panel_set_document_layer_buttons (PhiliaTrainPanel *self);
void _philia_train_panel_update_compare             (PhiliaTrainPanel *self);
void _philia_train_panel_color_by_action            (GtkWidget        *widget,
                                                     const char       *action_name,
                                                     GVariant         *parameter);
void _philia_train_panel_edges_action               (GtkWidget        *widget,
                                                     const char       *action_name,
                                                     GVariant         *parameter);
void _philia_train_panel_export_figure_action       (GtkWidget        *widget,
                                                     const char       *action_name,
                                                     GVariant         *parameter);
void _philia_train_panel_export_csv_action          (GtkWidget        *widget,
                                                     const char       *action_name,
                                                     GVariant         *parameter);

G_END_DECLS
