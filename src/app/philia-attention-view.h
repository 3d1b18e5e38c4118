/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-canvas.h"
#include "philia-core.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_ATTENTION_VIEW (philia_attention_view_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaAttentionView, philia_attention_view, PHILIA, ATTENTION_VIEW,
                      GtkWidget)

GtkWidget *philia_attention_view_new           (void);
void       philia_attention_view_set_document  (PhiliaAttentionView     *self,
                                                PhiliaDocument          *document);
void       philia_attention_view_set_run       (PhiliaAttentionView     *self,
                                                PhiliaGraph             *graph,
                                                const PhiliaTrainResult *result,
                                                guint                    document_run_id);
void       philia_attention_view_set_selection (PhiliaAttentionView     *self,
                                                const guint             *nodes,
                                                guint                    n_nodes);
void       philia_attention_view_show_edges    (PhiliaAttentionView     *self);
void       philia_attention_view_show_layer    (PhiliaAttentionView     *self,
                                                const char              *what);
void       philia_attention_view_remove_layers (PhiliaAttentionView     *self);
GtkWidget *philia_attention_view_get_chart     (PhiliaAttentionView     *self,
                                                const char              *name);
void       philia_attention_view_set_compare   (PhiliaAttentionView      *self,
                                                PhiliaGraph              *graph,
                                                const PhiliaTrainResult **results,
                                                const char              **names,
                                                guint                     n_results);
guint      philia_attention_view_get_compare   (PhiliaAttentionView     *self,
                                                guint                    i,
                                                double                  *value);

G_END_DECLS
