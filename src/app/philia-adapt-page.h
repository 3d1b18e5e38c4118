/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"

G_BEGIN_DECLS

/*
 * The Adapt page: a saved model (a file, or a run of another open document)
 * applied to this document's graph as a new run, or adapted to it without
 * its labels (SOGA) on a worker thread with live curves, then compared
 * before and after. Results are runs of the document (saved with it).
 */

#define PHILIA_TYPE_ADAPT_PAGE (philia_adapt_page_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaAdaptPage, philia_adapt_page, PHILIA, ADAPT_PAGE, GtkWidget)

GtkWidget   *philia_adapt_page_new                (void);
/* Lists the runs of the other open documents again (model files stay). */
void         philia_adapt_page_refresh_sources    (PhiliaAdaptPage  *self);
guint        philia_adapt_page_get_n_sources      (PhiliaAdaptPage  *self);
const char  *philia_adapt_page_get_source_label   (PhiliaAdaptPage  *self,
                                                   guint             index);
void         philia_adapt_page_select_source      (PhiliaAdaptPage  *self,
                                                   guint             index);
/* Adds the model file @path as a source and selects it. */
gboolean     philia_adapt_page_add_model_file     (PhiliaAdaptPage  *self,
                                                   const char       *path,
                                                   GError          **error);
/* Predict: the selected model on this graph as a new run; its id (0 and
 * @error, also shown on the page, when the model does not fit the graph). */
guint        philia_adapt_page_apply              (PhiliaAdaptPage  *self,
                                                   GError          **error);
void         philia_adapt_page_set_epochs         (PhiliaAdaptPage  *self,
                                                   guint             epochs);
/* Adapt (asynchronous); FALSE and @error when it cannot start. */
gboolean     philia_adapt_page_start              (PhiliaAdaptPage  *self,
                                                   GError          **error);
void         philia_adapt_page_stop               (PhiliaAdaptPage  *self);
gboolean     philia_adapt_page_get_running        (PhiliaAdaptPage  *self);
/* Tests and screenshots. */
guint        philia_adapt_page_get_n_curve_points (PhiliaAdaptPage  *self);
const PhiliaAdaptComparison *
             philia_adapt_page_get_comparison     (PhiliaAdaptPage  *self);
guint        philia_adapt_page_get_result_run     (PhiliaAdaptPage  *self);
const char  *philia_adapt_page_get_status         (PhiliaAdaptPage  *self);
const char  *philia_adapt_page_get_summary        (PhiliaAdaptPage  *self);
GtkWidget   *philia_adapt_page_get_chart          (PhiliaAdaptPage  *self,
                                                   guint             index);

G_END_DECLS
