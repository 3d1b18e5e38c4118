/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include "philia-document.h"

G_BEGIN_DECLS

/*
 * The overlays of a document's view (HACKING.md §16): an ordered list, the
 * last on top, that the document owns and every canvas of it draws. Panels
 * add, hide and remove overlays here, never on a canvas; each change is one
 * undoable step named after the overlay ("Colour by Class", "Hide Errors
 * (Run 3)"), and the document emits "changed" with PHILIA_DOCUMENT_PART_VIEW
 * | PHILIA_DOCUMENT_PART_OVERLAYS.
 *
 * The canvas draws, of each kind, the topmost visible overlay; what shows
 * is also what philia_document_get_view() reports (color_by, edge_style,
 * overlay), which is how projects of the older format (those three strings
 * only) open with the same picture.
 */

#define PHILIA_DOCUMENT_PART_OVERLAYS (1 << 11)

typedef enum
{
  PHILIA_OVERLAY_NODE_COLOR,   /* nodes coloured by @source: "class", "degree",
                                * "local-homophily", "run:3:prediction",
                                * "run:3:correct", "run:3:change", "run:3:value:gate", … */
  PHILIA_OVERLAY_EDGE_STYLE,   /* edges drawn by @source: "class", "plain", "none", … */
  PHILIA_OVERLAY_EDGE_VALUES,  /* edge values over the edges: "run:3:attention:0", … */
  PHILIA_OVERLAY_RUN_ERRORS,   /* a run's wrong test predictions ringed: "run:3" */
} PhiliaOverlayKind;

#define PHILIA_OVERLAY_N_KINDS (PHILIA_OVERLAY_RUN_ERRORS + 1)

/**
 * PhiliaDocumentOverlay:
 * @kind: what it draws
 * @source: its parameter, in the names above (the view's names)
 * @visible: drawn; a hidden overlay stays in the list for its toggle
 *
 * Reference-counted and never modified once in the document (a change puts
 * a new one in place), like layouts and runs.
 */
typedef struct
{
  PhiliaOverlayKind  kind;
  char              *source;
  gboolean           visible;
} PhiliaDocumentOverlay;

PhiliaDocumentOverlay *philia_document_overlay_new   (PhiliaOverlayKind      kind,
                                                      const char            *source,
                                                      gboolean               visible);
PhiliaDocumentOverlay *philia_document_overlay_ref   (PhiliaDocumentOverlay *overlay);
void                   philia_document_overlay_unref (PhiliaDocumentOverlay *overlay);
/* "Class", "Prediction (Run 3)", "Attention (Run 3, Layer 1)" (translated). */
char                  *philia_document_overlay_dup_title (const PhiliaDocumentOverlay *overlay);

/* "node-color", "edge-style", "edge-values", "run-errors" (the project's names). */
const char *philia_overlay_kind_to_string   (PhiliaOverlayKind  kind);
gboolean    philia_overlay_kind_from_string (const char        *name,
                                             PhiliaOverlayKind *kind);

/* Bottom (0) to top. */
guint                        philia_document_get_n_overlays (PhiliaDocument *self);
const PhiliaDocumentOverlay *philia_document_get_overlay    (PhiliaDocument *self,
                                                             guint           index);
/* The topmost visible overlay of @kind, or NULL. */
const PhiliaDocumentOverlay *philia_document_get_top_overlay (PhiliaDocument    *self,
                                                              PhiliaOverlayKind  kind);
/* Puts a visible overlay on top ("Colour by Class", "Edges by Plain", "Show
 * Attention (Run 3, Layer 0)", "Show Errors (Run 3)"); one already in the
 * list with the same kind and source moves up instead of being doubled.
 * FALSE (no step) when it already shows on top. */
gboolean        philia_document_add_overlay          (PhiliaDocument    *self,
                                                      PhiliaOverlayKind  kind,
                                                      const char        *source);
/* Step "Remove …". */
gboolean        philia_document_remove_overlay       (PhiliaDocument    *self,
                                                      guint              index);
/* Step "Hide …" or "Show …"; FALSE when nothing changes. */
gboolean        philia_document_set_overlay_visible  (PhiliaDocument    *self,
                                                      guint              index,
                                                      gboolean           visible);

/* Whether @overlay names a run ("run:3", "run:3:prediction", …) that is not
 * in @self (deleted since, or never there): the canvas draws nothing for it,
 * the overlay list marks it "run deleted" and `philia-cli figure` leaves it
 * out with a warning, so the figure is what the screen shows. @run_id gets
 * the run's id. */
gboolean        philia_document_overlay_is_stale    (PhiliaDocument              *self,
                                                     const PhiliaDocumentOverlay *overlay,
                                                     guint                       *run_id);

/* The nodes (ascending) the topmost visible "run errors" overlay rings: the
 * wrong predictions of its run — or of run @run_id, when not 0 — on the
 * run's labeled test nodes (every labeled node for a run not trained in the
 * document, which scores them all). NULL without such an overlay (no
 * error), or with an error naming the run when it is not in the document.
 * What every canvas of the document and `philia-cli figure` ring. */
GArray         *philia_document_dup_run_errors      (PhiliaDocument    *self,
                                                      guint              run_id,
                                                      GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaDocumentOverlay, philia_document_overlay_unref)

G_END_DECLS
