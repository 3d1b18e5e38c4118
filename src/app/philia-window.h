/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-autosave.h"
#include "philia-core.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_WINDOW (philia_window_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaWindow, philia_window, PHILIA, WINDOW, GtkApplicationWindow)

PhiliaWindow       *philia_window_new                (GtkApplication *application);
PhiliaGraph        *philia_window_get_graph          (PhiliaWindow   *self);
gboolean            philia_window_get_loading        (PhiliaWindow   *self);
void                philia_window_open               (PhiliaWindow   *self,
                                                      GFile          *file);
void                philia_window_open_with_nodes    (PhiliaWindow   *self,
                                                      GFile          *file,
                                                      GFile          *node_table);
void                philia_window_open_files         (PhiliaWindow   *self,
                                                      GFile         **files,
                                                      guint           n_files);
void                philia_window_open_default       (PhiliaWindow   *self);
void                philia_window_cancel_load        (PhiliaWindow   *self);
const char         *philia_window_get_banner_message (PhiliaWindow   *self);
GMenuModel         *philia_window_get_recent_menu    (PhiliaWindow   *self);
GtkWidget          *philia_window_get_dataset_panel  (PhiliaWindow   *self);
GtkWidget          *philia_window_get_stats_panel    (PhiliaWindow   *self);
GtkWidget          *philia_window_get_train_panel    (PhiliaWindow   *self);
GtkWidget          *philia_window_get_canvas         (PhiliaWindow   *self);
GtkWidget          *philia_window_get_inspector      (PhiliaWindow   *self);
GtkWidget          *philia_window_get_proximity_panel (PhiliaWindow  *self);
GtkWidget          *philia_window_get_adapt_page     (PhiliaWindow   *self);
void                philia_window_set_graph          (PhiliaWindow   *self,
                                                      PhiliaGraph    *graph);
void                philia_window_show_error         (PhiliaWindow   *self,
                                                      const char     *message);
void                philia_window_set_selected_nodes (PhiliaWindow   *self,
                                                      const guint    *nodes,
                                                      guint           n_nodes);
const guint        *philia_window_get_selected_nodes (PhiliaWindow   *self,
                                                      guint          *n_nodes);

PhiliaDocument     *philia_window_get_document       (PhiliaWindow   *self);
gboolean            philia_window_get_dirty          (PhiliaWindow   *self);
gboolean            philia_window_get_saving         (PhiliaWindow   *self);
const char         *philia_window_get_title_text     (PhiliaWindow   *self);
const char         *philia_window_get_subtitle_text  (PhiliaWindow   *self);
GMenuModel         *philia_window_get_undo_menu      (PhiliaWindow   *self);
GtkWidget          *philia_window_get_question       (PhiliaWindow   *self);
PhiliaAutosave     *philia_window_get_autosave       (PhiliaWindow   *self);
PhiliaWindow       *philia_window_filter             (PhiliaWindow       *self,
                                                      const PhiliaFilter *filter);
void                philia_window_offer_restore      (PhiliaWindow   *self,
                                                      GPtrArray      *orphans);
const char         *philia_window_get_restore_message (PhiliaWindow  *self);
GtkWindow          *philia_window_get_shortcuts_window (PhiliaWindow *self);

G_END_DECLS
