/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-application.h"
#include "philia-window.h"

G_BEGIN_DECLS

/* What the UI tests share: a display or a clean skip, one real window, a main
 * loop that turns while they wait, datasets and pictures on disk. */

gboolean      philia_test_init            (int                 *argc,
                                           char              ***argv,
                                           const char          *area);
PhiliaWindow *philia_test_window_new      (PhiliaApplication  **app);
void          philia_test_window_destroy  (PhiliaWindow        *window,
                                           PhiliaApplication  **app);

gboolean      philia_test_spin_until      (gboolean           (*condition) (gpointer),
                                           gpointer             data,
                                           guint                timeout_ms);
void          philia_test_spin_for        (guint                ms);
gboolean      philia_test_widget_mapped   (gpointer             widget);
void          philia_test_resize          (PhiliaWindow        *window,
                                           int                  width,
                                           int                  height);
/* The same for any toplevel (a test's own window around a widget). */
void          philia_test_resize_window   (GtkWindow           *window,
                                           int                  width,
                                           int                  height);
PhiliaWindow *philia_test_follow_open     (PhiliaWindow        *window);

char         *philia_test_shared_dataset  (const char          *name);

GdkTexture   *philia_test_render_window   (PhiliaWindow        *window,
                                           int                  width,
                                           int                  height);
void          philia_test_save_png        (GdkTexture          *texture,
                                           const char          *name);
gsize         philia_test_count_differences (GdkTexture        *a,
                                             GdkTexture        *b);

guint philia_test_count_chart_colour (GtkWidget *chart,
                                      guint      index);
/* A key press on @widget, without an input event (GTK 4 has no way to
 * synthesise one in-process): its class's key binding, activated. */
gboolean philia_test_press_key (GtkWidget       *widget,
                                guint            keyval,
                                GdkModifierType  mods);

G_END_DECLS
