/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-core.h"

G_BEGIN_DECLS

/*
 * Node colourings a training run offers, addressed by the ids a document's
 * view stores ("run:3:prediction", "run:3:correct", "run:3:value:gate"), and
 * derived from the run's result whenever they are needed: a deleted run's
 * colourings are gone with it, and a reopened project gets them back.
 */
typedef struct
{
  char    *id;
  char    *title;
  double  *values;       /* n, or NULL for categories */
  gint32  *categories;   /* n, or NULL for values */
  char   **names;        /* n_categories + 1, NULL-terminated */
  double  *colors;       /* 3 n_categories, or NULL: the class palette */
  guint    n_categories;
  double   vmin;
  double   vmax;
} PhiliaRunOverlay;

void              philia_run_overlay_free  (PhiliaRunOverlay        *overlay);
/* Splits "run:ID:WHAT"; FALSE for any other id. */
gboolean          philia_run_overlay_parse (const char              *id,
                                            guint                   *run_id,
                                            const char             **what);
/* "Prediction (GCN #3)", the name runs go by in the history and menus. */
char             *philia_run_overlay_run_name (const PhiliaTrainResult *result,
                                               guint                    run_id);
/* The ids run @run_id offers, in menu order (NULL-terminated). */
char            **philia_run_overlay_list  (const PhiliaTrainResult *result,
                                            guint                    run_id);
/* The colouring @id of the run, on @graph (the run's graph: the same nodes);
 * NULL when the run does not have it. Besides the listed ones, the
 * attention colourings philia_attention_nodes_parse() reads. */
PhiliaRunOverlay *philia_run_overlay_new   (PhiliaGraph             *graph,
                                            const PhiliaTrainResult *result,
                                            guint                    run_id,
                                            const char              *id);
/* "WHAT, layer L, head H" (or "mean over heads" for a head < 0). */
char             *philia_run_overlay_attention_title (const char *what,
                                                      guint       layer,
                                                      int         head);
/* The attention edge values @attention names, one per CSR entry of @graph
 * (both entries of an edge combined as it says), with the legend @title,
 * whether they are over uniform (@relative: only for a softmax layer) and
 * the scale's ends; NULL when the run has no such layer. */
double           *philia_run_overlay_attention_new (PhiliaGraph                  *graph,
                                                    const PhiliaTrainResult      *result,
                                                    const PhiliaAttentionOverlay *attention,
                                                    char                        **title,
                                                    gboolean                     *relative,
                                                    double                       *vmin,
                                                    double                       *vmax);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaRunOverlay, philia_run_overlay_free)

G_END_DECLS
