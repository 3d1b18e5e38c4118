/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-graph.h"
#include "philia-homophily.h"
#include "philia-json.h"
#include "philia-linkmodel.h"
#include "philia-linkpred.h"
#include "philia-proximity.h"
#include "philia-train.h"

G_BEGIN_DECLS

/*
 * PhiliaDocument: one analysis (HACKING.md §16). It holds a graph and what the
 * user did with it: named layouts, the selection, the view, the statistics
 * conventions, training runs, link-prediction evaluations, explained pairs
 * and notes. Every change goes through a function below; the undoable ones
 * push a step on the document's history, so undo and redo work the same with
 * or without a window. Main thread only (like a widget); what a worker needs
 * it gets as a snapshot (philia_document_snapshot()).
 *
 * Signals:
 *   "changed" (PhiliaDocumentPart parts): emitted after any change, undo or
 *   redo, with the parts that changed; widgets redraw from the document.
 * Properties (notify): "graph", "title", "path", "dirty", "can-undo",
 *   "can-redo", "undo-label", "redo-label".
 */

#define PHILIA_PROJECT_FORMAT_VERSION 1
#define PHILIA_PROJECT_EXTENSION ".philia"

typedef enum
{
  PHILIA_DOCUMENT_PART_GRAPH       = 1 << 0,  /* the graph itself (splits, filter) */
  PHILIA_DOCUMENT_PART_LAYOUTS     = 1 << 1,  /* a layout added, changed, removed, current */
  PHILIA_DOCUMENT_PART_POSITIONS   = 1 << 2,  /* node positions of the current layout */
  PHILIA_DOCUMENT_PART_SELECTION   = 1 << 3,
  PHILIA_DOCUMENT_PART_VIEW        = 1 << 4,  /* colouring, edge style, overlay, zoom */
  PHILIA_DOCUMENT_PART_CONVENTIONS = 1 << 5,
  PHILIA_DOCUMENT_PART_RUNS        = 1 << 6,
  PHILIA_DOCUMENT_PART_EVALUATIONS = 1 << 7,
  PHILIA_DOCUMENT_PART_PAIRS       = 1 << 8,
  PHILIA_DOCUMENT_PART_NOTES       = 1 << 9,
  PHILIA_DOCUMENT_PART_FILE        = 1 << 10, /* path, title, dirty */
} PhiliaDocumentPart;

/**
 * PhiliaDocumentView:
 * @color_by: how nodes are coloured ("class", "prediction", "correct",
 *   "local-homophily", "degree", "none", or an overlay id such as
 *   "run:3:gate"); the render layer maps these names to its enums
 * @edge_style: "class", "plain", "attention", "none", …
 * @overlay: the edge overlay shown ("" for none), e.g. "run:3:attention:0"
 * @zoom: canvas scale (1 = fit), @center_x/@center_y: the layout point at the
 *   centre of the canvas
 *
 * What the canvas shows. Plain data, compared with philia_document_view_equal().
 */
typedef struct
{
  char   *color_by;
  char   *edge_style;
  char   *overlay;
  double  zoom;
  double  center_x;
  double  center_y;
} PhiliaDocumentView;

void     philia_document_view_clear (PhiliaDocumentView       *view);
void     philia_document_view_copy  (PhiliaDocumentView       *dest,
                                     const PhiliaDocumentView *src);
gboolean philia_document_view_equal (const PhiliaDocumentView *a,
                                     const PhiliaDocumentView *b);

/*
 * Layouts and runs are reference-counted and never modified once in the
 * document: a change (moving a node) puts a new one in place. A snapshot for
 * a worker (autosave) therefore takes references, not copies.
 */

/**
 * PhiliaDocumentLayout:
 * @name: unique in the document ("Fruchterman–Reingold", "fr 2", …)
 * @algorithm: the registered layout id that made it ("fr", "kk", …) or
 *   "manual"; @seed: its seed
 * @positions: 2 n coordinates (x0, y0, x1, y1, …) of the document's graph
 */
typedef struct
{
  char    *name;
  char    *algorithm;
  guint64  seed;
  double  *positions;
} PhiliaDocumentLayout;

PhiliaDocumentLayout *philia_document_layout_ref   (PhiliaDocumentLayout *layout);
void                  philia_document_layout_unref (PhiliaDocumentLayout *layout);

/**
 * PhiliaDocumentRun:
 * @id: unique in the document, never reused (1, 2, …)
 * @result: the run (curves, predictions, probabilities, weights, attention,
 *   node values), owned by the document, read-only
 * @group: 0 for a run of its own; for one of runs over splits × seeds (shown
 *   together as mean ± standard deviation), the id of the group's first run
 * @n_splits, @n_seeds: a group's shape: its @n_splits × @n_seeds runs have
 *   consecutive ids in split-major order (0 for a run of its own)
 */
typedef enum
{
  PHILIA_RUN_TRAINED,   /* trained here */
  PHILIA_RUN_APPLIED,   /* a saved model applied without training */
  PHILIA_RUN_ADAPTED,   /* a model adapted to this graph (source-free) */
} PhiliaRunProvenance;

/*
 * @provenance: how the run came to be; for an applied or adapted run,
 * @provenance_source names the model it came from for display ("GCN on
 * arnet_acm (acm.philia-model)", "run 3 of cora") and @provenance_method the
 * adaptation ("soga"; NULL for an applied run)
 */
typedef struct
{
  guint               id;
  PhiliaTrainResult  *result;
  guint               group;
  guint               n_splits;
  guint               n_seeds;
  PhiliaRunProvenance provenance;
  char               *provenance_source;
  char               *provenance_method;
} PhiliaDocumentRun;

PhiliaDocumentRun *philia_document_run_ref   (PhiliaDocumentRun *run);
void               philia_document_run_unref (PhiliaDocumentRun *run);

/**
 * PhiliaDocumentEvaluation:
 * @id: unique in the document, never reused
 * @params, @mask, @seed, @n_mrr_neg: the recipe (philia_linkpred_report_new()
 *   gives the same report again from these)
 * @report: the report, or NULL after a project was reopened until someone
 *   calls philia_document_ensure_evaluation(); @summary holds its figures
 * @summary: per heuristic (in mask order): AUC, AP, MRR, Hits@20, Hits@50,
 *   Hits@100, as read from or written to the project
 * @models: GNN link predictors trained on the same split
 *   (#PhiliaLinkTrainResult without weights: figures, curves and test scores,
 *   stored in the project as they are; NULL when there are none)
 * @features: the feature set the split's graph carried, which the
 *   feature-proximity heuristic scored with ("original" unless recorded,
 *   philia_document_set_evaluation_features())
 * @model_features: (element-type utf8): the set each of @models trained on,
 *   by position (NULL when there are no models)
 */
typedef struct
{
  guint                  id;
  PhiliaProximityParams  params;
  guint                  mask;
  guint64                seed;
  guint                  n_mrr_neg;
  PhiliaLinkpredReport  *report;
  guint                  n_heuristics;
  double                *summary;      /* n_heuristics × 6 */
  GPtrArray             *models;
  char                  *features;
  GPtrArray             *model_features;
} PhiliaDocumentEvaluation;

/* A pair the user asked "why would these link?" about (explanations are
 * recomputed from the pair and the parameters; they are cheap). */
typedef struct
{
  guint                 u;
  guint                 v;
  PhiliaProximityParams params;
} PhiliaDocumentPair;

#define PHILIA_TYPE_DOCUMENT (philia_document_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaDocument, philia_document, PHILIA, DOCUMENT, GObject)

/* A new, unsaved document around @graph. @dataset_path (nullable): the file
 * the graph was read from (absolute), @node_table_path (nullable) likewise;
 * the project stores them with their SHA-256 unless the dataset is embedded. */
PhiliaDocument *philia_document_new              (PhiliaGraph    *graph,
                                                  const char     *dataset_path,
                                                  const char     *node_table_path);
PhiliaGraph    *philia_document_get_graph        (PhiliaDocument *self);
const char     *philia_document_get_dataset_path (PhiliaDocument *self);
const char     *philia_document_get_node_table_path (PhiliaDocument *self);
/* The project file, NULL until saved or when opened from a dataset. */
const char     *philia_document_get_path         (PhiliaDocument *self);
/* The project's base name, or the dataset's, or "Untitled". */
char           *philia_document_dup_title        (PhiliaDocument *self);
gboolean        philia_document_get_dirty        (PhiliaDocument *self);
/* Whether anything worth keeping was done (a layout, a run, an evaluation, a
 * pair, notes, an undoable step): Open then puts a new file in a new window. */
gboolean        philia_document_has_work         (PhiliaDocument *self);
gboolean        philia_document_get_embed        (PhiliaDocument *self);
void            philia_document_set_embed        (PhiliaDocument *self,
                                                  gboolean        embed);
/* For a document made by philia_document_filter(): what it came from. */
const char     *philia_document_get_origin       (PhiliaDocument *self);

/* --- The history ---------------------------------------------------------- */
gboolean        philia_document_can_undo         (PhiliaDocument *self);
gboolean        philia_document_can_redo         (PhiliaDocument *self);
/* "Layout", "Move Node 42", "Colouring", … (translated); NULL if none. */
const char     *philia_document_get_undo_label   (PhiliaDocument *self);
const char     *philia_document_get_redo_label   (PhiliaDocument *self);
gboolean        philia_document_undo             (PhiliaDocument *self);
gboolean        philia_document_redo             (PhiliaDocument *self);
guint           philia_document_get_history_length (PhiliaDocument *self);

/* --- Layouts (undoable) --------------------------------------------------- */
guint                       philia_document_get_n_layouts     (PhiliaDocument *self);
const PhiliaDocumentLayout *philia_document_get_layout        (PhiliaDocument *self,
                                                               guint           index);
const PhiliaDocumentLayout *philia_document_find_layout       (PhiliaDocument *self,
                                                               const char     *name);
/* The layout shown, or NULL. */
const PhiliaDocumentLayout *philia_document_get_current_layout (PhiliaDocument *self);
/* Adds a layout (or replaces the one called @name) and makes it current;
 * takes @positions (2 n). Step "Layout". */
void            philia_document_add_layout        (PhiliaDocument *self,
                                                   const char     *name,
                                                   const char     *algorithm,
                                                   guint64         seed,
                                                   double         *positions);
/* The layout a document gets when it has none yet (the canvas's automatic
 * first layout of a dataset just opened): made current, saved with the
 * project, but not a step (nothing to undo right after opening), not a
 * change that makes the document dirty, and not work by itself
 * (philia_document_has_work()). Takes @positions; FALSE (and frees them)
 * if the document already has a layout. */
gboolean        philia_document_set_initial_layout (PhiliaDocument *self,
                                                    const char     *name,
                                                    const char     *algorithm,
                                                    guint64         seed,
                                                    double         *positions);
gboolean        philia_document_set_current_layout (PhiliaDocument *self,
                                                    const char     *name);
gboolean        philia_document_remove_layout     (PhiliaDocument *self,
                                                   const char     *name);
/* Moves nodes of the current layout; one step ("Move Node 42", "Move 3
 * Nodes") per call, so a drag calls it once, when it ends. */
gboolean        philia_document_move_nodes        (PhiliaDocument *self,
                                                   const guint    *nodes,
                                                   const double   *xy,
                                                   guint           n_nodes);

/* --- Selection (saved, not undoable: like Gephi and Cytoscape) ------------ */
const guint    *philia_document_get_selection    (PhiliaDocument *self,
                                                  guint          *n_nodes);
void            philia_document_set_selection    (PhiliaDocument *self,
                                                  const guint    *nodes,
                                                  guint           n_nodes);

/* --- View (undoable, except zoom and centre) ------------------------------ */
const PhiliaDocumentView *philia_document_get_view (PhiliaDocument *self);
/* Step "Colouring" or "Edge Style" (or "View" when both change). */
void            philia_document_set_view          (PhiliaDocument           *self,
                                                   const PhiliaDocumentView *view);
/* Zoom and pan are not steps (they would bury the real ones). */
void            philia_document_set_zoom          (PhiliaDocument *self,
                                                   double          zoom,
                                                   double          center_x,
                                                   double          center_y);

/* --- Statistics conventions (undoable) ------------------------------------ */
PhiliaConvention philia_document_get_conventions  (PhiliaDocument  *self);
void             philia_document_set_conventions  (PhiliaDocument  *self,
                                                   PhiliaConvention conventions);

/* --- Splits (undoable): the graph gets new masks -------------------------- */
/* Replaces the graph by philia_graph_copy_with_splits() (takes the masks);
 * layouts, runs and selection stay (same nodes). Step "Make Splits". */
void            philia_document_set_splits        (PhiliaDocument *self,
                                                   guint           n_splits,
                                                   guint8         *train,
                                                   guint8         *val,
                                                   guint8         *test);

/* --- Runs (adding is not a step — a run is not undone by Ctrl+Z; deleting
 * is, "Delete Run 3") ----------------------------------------------------- */
guint                    philia_document_get_n_runs  (PhiliaDocument *self);
const PhiliaDocumentRun *philia_document_get_run     (PhiliaDocument *self,
                                                      guint           index);
const PhiliaDocumentRun *philia_document_find_run    (PhiliaDocument *self,
                                                      guint           id);
/* Takes @result; returns the new run's id. */
guint           philia_document_add_run           (PhiliaDocument    *self,
                                                   PhiliaTrainResult *result);
/* Takes the @n_splits × @n_seeds results of @results (split-major), which
 * become one group with consecutive ids; returns the first id. */
guint           philia_document_add_run_group     (PhiliaDocument     *self,
                                                   PhiliaTrainResult **results,
                                                   guint               n_splits,
                                                   guint               n_seeds);
/* An applied (@method NULL) or adapted run, from the model @source names:
 * takes @result; one step ("Apply Model (Run 4)", "Adapt Model (Run 5)")
 * whose undo takes the run out again and redo brings it back with the same
 * id. Returns the id. */
guint           philia_document_add_applied_run   (PhiliaDocument    *self,
                                                   PhiliaTrainResult *result,
                                                   const char        *source,
                                                   const char        *method);
gboolean        philia_document_delete_run        (PhiliaDocument *self,
                                                   guint           id);
/* Deletes the runs of @ids that exist as one step; FALSE when none does. */
gboolean        philia_document_delete_runs       (PhiliaDocument *self,
                                                   const guint    *ids,
                                                   guint           n_ids);

/* Asks the document's views to bring @nodes into view (no step, not saved). */
gboolean        philia_document_reveal_nodes      (PhiliaDocument *self,
                                                   const guint    *nodes,
                                                   guint           n_nodes);

/* --- Link-prediction evaluations and explained pairs ---------------------- */
guint                           philia_document_get_n_evaluations (PhiliaDocument *self);
const PhiliaDocumentEvaluation *philia_document_get_evaluation    (PhiliaDocument *self,
                                                                   guint           index);
/* Takes @report; returns its id. Not a step. */
guint           philia_document_add_evaluation    (PhiliaDocument              *self,
                                                   const PhiliaProximityParams *params,
                                                   guint64                      seed,
                                                   guint                        n_mrr_neg,
                                                   PhiliaLinkpredReport        *report);
/* Adds a copy of @trained's figures and test scores (not its weights) to
 * evaluation @id; refuses a result scored on another split (a different
 * number of test edges). Not a step. */
gboolean        philia_document_add_evaluation_model (PhiliaDocument              *self,
                                                      guint                        id,
                                                      const PhiliaLinkTrainResult *trained,
                                                      GError                     **error);
gboolean        philia_document_delete_evaluation (PhiliaDocument *self,
                                                   guint           id);
/* Recomputes a reopened evaluation's report from its recipe (slow: call from
 * a worker on a snapshot, or from the CLI). */
gboolean        philia_document_ensure_evaluation (PhiliaDocument *self,
                                                   guint           id,
                                                   GCancellable   *cancellable,
                                                   GError        **error);
guint                     philia_document_get_n_pairs (PhiliaDocument *self);
const PhiliaDocumentPair *philia_document_get_pair    (PhiliaDocument *self,
                                                       guint           index);
/* Remembers an explained pair (the latest last; a pair asked again moves to
 * the end). Not a step. */
void            philia_document_add_pair          (PhiliaDocument              *self,
                                                   guint                        u,
                                                   guint                        v,
                                                   const PhiliaProximityParams *params);

/* --- Notes (undoable, "Edit Notes"; successive edits within 2 s merge) ---- */
const char     *philia_document_get_notes         (PhiliaDocument *self);
void            philia_document_set_notes         (PhiliaDocument *self,
                                                   const char     *notes);

/* --- Filtering: a new document ------------------------------------------- */
typedef enum
{
  PHILIA_FILTER_CLASSES,          /* keep nodes whose label is in @classes */
  PHILIA_FILTER_DEGREE,           /* keep nodes with @min ≤ degree ≤ @max */
  PHILIA_FILTER_COMPONENT,        /* keep the largest connected component */
  PHILIA_FILTER_LOCAL_HOMOPHILY,  /* keep nodes with @min ≤ local homophily ≤ @max */
} PhiliaFilterKind;

typedef struct
{
  PhiliaFilterKind kind;
  const guint     *classes;
  guint            n_classes;
  double           min;
  double           max;
} PhiliaFilter;

/* The induced subgraph on the kept nodes as a new, unsaved document whose
 * origin names this one and the filter ("cora.npz, degree 2–10"); layouts
 * are carried over (kept nodes' positions), runs are not. Refuses a filter
 * that keeps no node. */
PhiliaDocument *philia_document_filter            (PhiliaDocument     *self,
                                                   const PhiliaFilter *filter,
                                                   GError            **error);

/* --- Project files -------------------------------------------------------- */
typedef enum
{
  PHILIA_PROJECT_OPEN_DEFAULT           = 0,
  PHILIA_PROJECT_OPEN_IGNORE_CHECKSUM   = 1 << 0,  /* the user chose "open anyway" */
} PhiliaProjectOpenFlags;

/* Error codes of the PHILIA_PROJECT_ERROR domain, for the dialogs that offer
 * a way out; every other refusal is a PHILIA_ERROR. */
#define PHILIA_PROJECT_ERROR (philia_project_error_quark ())
typedef enum
{
  PHILIA_PROJECT_ERROR_DATASET_MISSING,   /* offer to locate it */
  PHILIA_PROJECT_ERROR_DATASET_CHANGED,   /* checksum mismatch: offer to open anyway */
  PHILIA_PROJECT_ERROR_NEWER_VERSION,     /* written by a newer Philia */
} PhiliaProjectError;
GQuark philia_project_error_quark (void);

/*
 * Opens a project. @dataset_path (nullable) replaces the dataset path stored in
 * the project (the user located a moved dataset). Refuses a corrupt or
 * truncated file, a foreign zip, a newer format, a missing or changed dataset
 * with one-line messages naming the file.
 */
PhiliaDocument *philia_document_open              (const char             *path,
                                                   const char             *dataset_path,
                                                   PhiliaProjectOpenFlags  flags,
                                                   GCancellable           *cancellable,
                                                   GError                **error);
/* The same from bytes (fuzzing, tests); @display_name names it in messages,
 * relative dataset paths are resolved against @base_dir. */
PhiliaDocument *philia_document_open_bytes        (GBytes                 *bytes,
                                                   const char             *display_name,
                                                   const char             *base_dir,
                                                   const char             *dataset_path,
                                                   PhiliaProjectOpenFlags  flags,
                                                   GCancellable           *cancellable,
                                                   GError                **error);
void            philia_document_open_async        (const char             *path,
                                                   const char             *dataset_path,
                                                   PhiliaProjectOpenFlags  flags,
                                                   GCancellable           *cancellable,
                                                   GAsyncReadyCallback     callback,
                                                   gpointer                user_data);
PhiliaDocument *philia_document_open_finish       (GAsyncResult           *result,
                                                   GError                **error);

/* An immutable copy of everything a project holds, safe to write from any
 * thread (arrays shared by reference: layouts and runs are never modified in
 * place, only replaced). */
typedef struct _PhiliaDocumentSnapshot PhiliaDocumentSnapshot;
PhiliaDocumentSnapshot *philia_document_snapshot  (PhiliaDocument         *self);
void            philia_document_snapshot_free     (PhiliaDocumentSnapshot *snapshot);
/* Writes @snapshot to @path atomically (a temporary file beside it, then a
 * rename), so a crash mid-save leaves the previous file whole. Any thread. */
gboolean        philia_document_snapshot_write    (PhiliaDocumentSnapshot *snapshot,
                                                   const char             *path,
                                                   GCancellable           *cancellable,
                                                   GError                **error);

/* Save (main thread): snapshot, write, then the document's path is @path and
 * it is clean. The async variant writes on a worker. */
gboolean        philia_document_save              (PhiliaDocument *self,
                                                   const char     *path,
                                                   GCancellable   *cancellable,
                                                   GError        **error);
void            philia_document_save_async        (PhiliaDocument      *self,
                                                   const char          *path,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean        philia_document_save_finish       (PhiliaDocument *self,
                                                   GAsyncResult   *result,
                                                   GError        **error);

/* The project's facts for `philia-cli info --json` ("project": {…}). */
void            philia_document_write_json        (PhiliaDocument *self,
                                                   PhiliaJson     *json);

/* Whether @bytes start like a Philia project (a zip whose first member is
 * the manifest), so loaders can take a project where a dataset goes. */
gboolean        philia_project_sniff              (const guint8   *data,
                                                   gsize           size);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaDocumentSnapshot, philia_document_snapshot_free)

G_END_DECLS
