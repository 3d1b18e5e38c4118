/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"

G_BEGIN_DECLS

/* The per-epoch curves a run has. */
typedef enum
{
  PHILIA_RUN_CURVE_LOSS,
  PHILIA_RUN_CURVE_VAL_LOSS,
  PHILIA_RUN_CURVE_TRAIN_ACC,
  PHILIA_RUN_CURVE_VAL_ACC,
  PHILIA_RUN_CURVE_TRAIN_AUC,
  PHILIA_RUN_CURVE_VAL_AUC,
  PHILIA_RUN_N_CURVES
} PhiliaRunCurve;

/* A mean and a sample standard deviation over a group's runs, and how many
 * runs had the value. */
typedef struct
{
  double mean;
  double std;
  guint  n;
} PhiliaSpread;

/* One entry of the history: a single run, or a group of runs over splits ×
 * seeds summarised by mean ± standard deviation. */
typedef struct
{
  PhiliaTrainResult *result;     /* the run; a group's first run (what the inspect views show) */
  GPtrArray         *members;    /* a group's runs (result is the first), else NULL */
  guint              n_splits;   /* a group's splits and seeds per split */
  guint              n_seeds;
  guint              n_points;   /* epochs on the curves */
  /* A group's per-epoch means and spreads; NULL if none. */
  double            *mean[PHILIA_RUN_N_CURVES];
  double            *std[PHILIA_RUN_N_CURVES];
  PhiliaSpread       test_accuracy;
  PhiliaSpread       test_roc_auc;
  PhiliaSpread       test_majority;
  PhiliaSpread       val_majority;
  double             seconds;
  PhiliaTrainResult  pooled;     /* a group's bins pooled over its runs (a shallow copy) */
  char              *title;      /* "GCN · split 0 · seed 0" */
  char              *name;       /* legend: "GCN #1" */
  char              *inspected;  /* what the canvas layers name: "GCN #1", "GCN #2, split 0, seed 0" */
  guint              color;      /* palette index, stable for the run's life */
  guint              id;
  GPtrArray         *doc_runs;   /* PhiliaDocumentRun*, with a document: they own the results */
} PhiliaRunEntry;

#define PHILIA_TYPE_RUN_HISTORY (philia_run_history_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaRunHistory, philia_run_history, PHILIA, RUN_HISTORY, GtkWidget)

GtkWidget      *philia_run_history_new              (void);
void            philia_run_history_set_document     (PhiliaRunHistory  *self,
                                                     PhiliaDocument    *document);
void            philia_run_history_sync             (PhiliaRunHistory  *self);
void            philia_run_history_clear            (PhiliaRunHistory  *self);
guint           philia_run_history_take_color       (PhiliaRunHistory  *self);
void            philia_run_history_set_adopt_color  (PhiliaRunHistory  *self,
                                                     gint               color);
PhiliaRunEntry *philia_run_history_add_result       (PhiliaRunHistory  *self,
                                                     PhiliaTrainResult *result,
                                                     guint              color);
PhiliaRunEntry *philia_run_history_add_group        (PhiliaRunHistory  *self,
                                                     GPtrArray         *results,
                                                     guint              n_splits,
                                                     guint              n_seeds,
                                                     guint              color);
PhiliaRunEntry *philia_run_history_find             (PhiliaRunHistory  *self,
                                                     guint              id);
void            philia_run_history_remove_id        (PhiliaRunHistory  *self,
                                                     guint              id);
PhiliaRunEntry *philia_run_history_get_current      (PhiliaRunHistory  *self);
guint           philia_run_history_get_selected     (PhiliaRunHistory  *self,
                                                     PhiliaRunEntry  ***entries);
guint           philia_run_history_get_n_entries    (PhiliaRunHistory  *self);
const char     *philia_run_history_display_name     (PhiliaRunHistory  *self,
                                                     PhiliaRunEntry    *entry);
char           *philia_run_history_dup_text         (PhiliaRunHistory  *self,
                                                     guint              index);
char           *philia_run_history_dup_provenance   (PhiliaRunHistory  *self,
                                                     guint              index);
void            philia_run_history_select           (PhiliaRunHistory  *self,
                                                     const guint       *indices,
                                                     guint              n_indices);
GtkWidget      *philia_run_history_get_chart        (PhiliaRunHistory  *self);

const char     *philia_run_model_name               (const char        *model_id);
char           *philia_run_entry_details            (PhiliaRunEntry    *entry,
                                                     gboolean           bare);
const double   *philia_run_entry_get_curve          (PhiliaRunEntry    *entry,
                                                     PhiliaRunCurve     kind,
                                                     const double     **spread);

G_END_DECLS
