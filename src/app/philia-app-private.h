/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"
#include "philia-export-dialog.h"
#include "philia-render.h"
#include "philia-window.h"

G_BEGIN_DECLS

/* Theme */

gboolean _philia_widget_lookup_color (GtkWidget         *widget,
                                      const char        *name,
                                      const char        *fallback_name,
                                      PhiliaRgba        *color);
void     _philia_widget_get_style    (GtkWidget         *widget,
                                      double             font_scale,
                                      PhiliaRenderStyle *style,
                                      char             **font_family_storage);

/* Documents */

void     _philia_document_select     (PhiliaDocument    *document,
                                      const guint       *nodes,
                                      guint              n_nodes);
void     _philia_document_write_view (PhiliaDocument    *document,
                                      const char        *color_by,
                                      const char        *edge_style,
                                      const char        *overlay);
gboolean _philia_widget_follow_document (gpointer         widget,
                                         PhiliaDocument **slot,
                                         PhiliaDocument  *document,
                                         GCallback        on_changed,
                                         GCallback        on_graph);

/* Scrolling */

void     _philia_widget_scroll_not_values (GtkWidget         *panel);
void     _philia_widget_name_controls  (GtkWidget         *root);
void     _philia_list_box_append_named (GtkListBox        *list,
                                        GtkWidget         *child,
                                        const char        *name);

/* Dialogs */

void     _philia_widget_show_error        (GtkWidget             *widget,
                                           const char            *title,
                                           const GError          *error);
void     _philia_file_chooser_add_filter  (GtkFileChooser        *chooser,
                                           const char            *name,
                                           const char * const    *patterns);
void     _philia_clear_file_chooser       (GtkFileChooserNative **chooser,
                                           gpointer               handler_data);

/* Figure export: the size dialog, then the file chooser, then the write. */

/* What the chooser shows once a size is chosen; FALSE: nothing to export any more. */
typedef gboolean (*PhiliaFigureDescribeFunc) (GtkWidget   *widget,
                                              const char **chooser_title,
                                              const char **file_stem);
typedef gboolean (*PhiliaFigureWriteFunc)    (GtkWidget   *widget,
                                              const char  *path,
                                              double       width,
                                              double       height,
                                              double       dpi,
                                              GError     **error);

typedef struct
{
  /* Borrowed */
  GtkWidget                *widget;
  PhiliaFigureDescribeFunc  describe;
  PhiliaFigureWriteFunc     write;
  const char               *error_title;

  /* Owned */
  GtkFileChooserNative     *chooser;
  PhiliaExportDialog       *dialog;

  /* What the last export asked for, offered again next time. */
  PhiliaFigureFormat        format;
  double                    width;
  double                    height;
  double                    dpi;
  /* The figure's own size, and whether an export chose the fields above
   * (until then the Preferences' figure defaults are offered). */
  double                    own_width;
  double                    own_height;
  gboolean                  chosen;
} PhiliaFigureExporter;

void     _philia_figure_exporter_init    (PhiliaFigureExporter     *self,
                                          GtkWidget                *widget,
                                          double                    width,
                                          double                    height,
                                          PhiliaFigureDescribeFunc  describe,
                                          PhiliaFigureWriteFunc     write,
                                          const char               *error_title);
void     _philia_figure_exporter_clear   (PhiliaFigureExporter     *self);
gboolean _philia_figure_exporter_is_busy (PhiliaFigureExporter     *self);
void     _philia_figure_exporter_present (PhiliaFigureExporter     *self);
/* The export dialog, while it is open (tests). */
PhiliaExportDialog *_philia_figure_exporter_get_dialog (PhiliaFigureExporter *self);

/* The layout a newly opened graph gets (Preferences, else by size). */
char    *_philia_default_layout_for      (PhiliaGraph              *graph);

/* Test hooks */

/* The next file chooser answers @path ("" cancels) without showing. */
void     philia_window_set_chooser_answer (PhiliaWindow *self,
                                           const char   *path);

G_END_DECLS
