/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"
#include "philia-render.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_STATS_PANEL (philia_stats_panel_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaStatsPanel, philia_stats_panel, PHILIA, STATS_PANEL, GtkWidget)

GtkWidget   *philia_stats_panel_new                (void);
PhiliaGraph *philia_stats_panel_get_graph          (PhiliaStatsPanel      *self);
void         philia_stats_panel_set_graph          (PhiliaStatsPanel      *self,
                                                    PhiliaGraph           *graph);
gboolean     philia_stats_panel_get_computing      (PhiliaStatsPanel      *self);
PhiliaGraph *philia_stats_panel_get_result_graph   (PhiliaStatsPanel      *self);
void         philia_stats_panel_select_bin         (PhiliaStatsPanel      *self,
                                                    int                    bin);

/* For tests and accessibility checks: what the panel shows. */
const char  *philia_stats_panel_get_value_text     (PhiliaStatsPanel      *self,
                                                    const char            *measure);
const char  *philia_stats_panel_get_stored_text    (PhiliaStatsPanel      *self,
                                                    const char            *measure);
const char  *philia_stats_panel_get_difference_text (PhiliaStatsPanel     *self,
                                                    const char            *measure);
const char  *philia_stats_panel_get_selection_text (PhiliaStatsPanel      *self);
const char  *philia_stats_panel_get_notice         (PhiliaStatsPanel      *self);
char        *philia_stats_panel_dup_class_row_text (PhiliaStatsPanel      *self,
                                                    guint                  k);
GtkWidget   *philia_stats_panel_get_chart          (PhiliaStatsPanel      *self,
                                                    PhiliaStatsFigureKind  kind);

PhiliaDocument *philia_stats_panel_get_document (PhiliaStatsPanel *self);
void            philia_stats_panel_set_document (PhiliaStatsPanel *self,
                                                 PhiliaDocument *document);

G_END_DECLS
