/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the window's files share: philia-window.c is the shell (panels, title,
 * selection, the document on show), philia-window-files.c opens datasets
 * (and Open Recent), philia-window-project.c saves and opens analyses,
 * philia-window-dialogs.c asks the questions and runs the file choosers. */

#include <gtk/gtk.h>

#include "philia-autosave.h"
#include "philia-core.h"
#include "philia-window.h"

G_BEGIN_DECLS

struct _PhiliaWindow
{
  GtkApplicationWindow  parent_instance;

  /* Template widgets */
  GtkLabel             *title_label;
  GtkLabel             *subtitle_label;
  GMenu                *undo_section;
  GtkRevealer          *restore_revealer;
  GtkLabel             *restore_label;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkPaned             *paned;
  GtkLabel             *summary_title;
  GtkLabel             *summary_label;
  GtkWidget            *dataset_panel;
  GtkWidget            *stats_panel;
  GMenu                *recent_section;
  GtkStack             *main_stack;
  GtkWidget            *canvas;
  GtkWidget            *inspector;
  GtkWidget            *train_panel;
  GtkWidget            *proximity_panel;
  GtkWidget            *adapt_page;

  /* Owned */
  GSettings            *settings;
  PhiliaGraph          *graph;
  GCancellable         *load_cancellable;
  PhiliaProgress       *progress;
  GBinding             *progress_binding;
  GtkFileChooserNative *chooser;            /* the one on screen (run_chooser) */
  GArray               *selection;          /* guint node ids, ascending */
  guint                 load_serial;
  gint64                load_started_us;    /* for the debug log's timing */
  char                 *load_name;          /* the file being loaded */
  guint                 pulse_id;           /* the bar pulses while the graph is built */
  guint                 loading : 1;
  guint                 load_builds : 1;    /* a dataset: its last tenth is the build */

  /* The document on show, and what the window does with it */
  PhiliaDocument       *document;
  GSignalGroup         *document_signals;
  PhiliaAutosave       *autosave;
  GtkWidget            *question;           /* the close, locate or open-anyway dialog */
  GtkWidget            *shortcuts;          /* the keyboard shortcuts window, while shown */
  GCancellable         *save_cancellable;
  GPtrArray            *orphans;            /* PhiliaAutosaveEntry offered for restore */
  char                 *chooser_answer;     /* tests: what the next file chooser answers */
  /* Restored from an autosave: unsaved whatever the history says, and saved
   * to the project it came from (restored_path, NULL if it had none). */
  char                 *restored_path;
  guint                 restored : 1;
  /* Nothing done yet but what opening does by itself (the canvas's first
   * layout): Open may replace the document, and closing asks nothing. */
  guint                 pristine : 1;
  guint                 saving : 1;
  guint                 close_after_save : 1;
  guint                 close_confirmed : 1;
};

/* One load in flight. A newer load cancels it and bumps the window's serial,
 * so a result that arrives late is dropped instead of replacing the newer one. */
typedef struct
{
  PhiliaWindow *self;
  GFile        *file;
  GFile        *node_table;   /* or NULL */
  char         *dataset_path; /* a project's dataset, located by the user, or NULL */
  guint         flags;        /* PhiliaProjectOpenFlags of a project */
  guint         serial;
} LoadRequest;


void          _philia_window_load_request_free    (LoadRequest    *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadRequest, _philia_window_load_request_free)

/* The shell (philia-window.c) */
void          _philia_window_show_banner          (PhiliaWindow   *self,
                                                   const char     *message);
void          _philia_window_dismiss_banner       (PhiliaWindow   *self);
guint         _philia_window_begin_load           (PhiliaWindow   *self,
                                                   const char     *name);
void          _philia_window_end_load             (PhiliaWindow   *self);
gboolean      _philia_window_is_dirty             (PhiliaWindow   *self);
const char   *_philia_window_get_project_path     (PhiliaWindow   *self);
char         *_philia_window_dup_title            (PhiliaWindow   *self);
void          _philia_window_update_title         (PhiliaWindow   *self);
void          _philia_window_update_actions       (PhiliaWindow   *self);
void          _philia_window_set_document         (PhiliaWindow   *self,
                                                   PhiliaDocument *document);
PhiliaWindow *_philia_window_place_document       (PhiliaWindow   *self,
                                                   PhiliaDocument *document);

/* Datasets (philia-window-files.c) */
void          _philia_window_class_init_files     (GtkWidgetClass *widget_class);
void          _philia_window_init_files           (PhiliaWindow   *self);
void          _philia_window_add_recent           (PhiliaWindow   *self,
                                                   GFile          *file,
                                                   GFile          *node_table);
GtkFileChooserNative *_philia_window_new_dataset_chooser (PhiliaWindow *self,
                                                          const char   *title);

/* Dialogs (philia-window-dialogs.c) */
void          _philia_window_class_init_dialogs   (GtkWidgetClass *widget_class);

/* Analyses (philia-window-project.c) */
void          _philia_window_class_init_project   (GtkWidgetClass *widget_class);
void          _philia_window_save_action          (GtkWidget      *widget,
                                                   const char     *action_name,
                                                   GVariant       *parameter);
void          _philia_window_open_project         (PhiliaWindow           *self,
                                                   GFile                  *file,
                                                   const char             *dataset_path,
                                                   PhiliaProjectOpenFlags  flags);
gboolean      _philia_window_is_project_file      (GFile          *file);

/* Questions and file choosers (philia-window-dialogs.c) */
typedef void (*PhiliaWindowChooserDone) (PhiliaWindow *self,
                                         GFile        *file,
                                         gpointer      data);

void          _philia_window_run_chooser          (PhiliaWindow            *self,
                                                   GtkFileChooserNative    *native,
                                                   PhiliaWindowChooserDone  done,
                                                   gpointer                 data,
                                                   GDestroyNotify           destroy);
GtkWidget    *_philia_window_new_question         (PhiliaWindow   *self,
                                                   const char     *primary,
                                                   const char     *secondary);
void          _philia_window_style_response       (GtkWidget      *dialog,
                                                   int             response,
                                                   const char     *style_class);
void          _philia_window_drop_question        (GtkDialog      *dialog);
void          _philia_window_ask_close            (PhiliaWindow   *self);
void          _philia_window_ask_about_dataset    (PhiliaWindow   *self,
                                                   LoadRequest    *request,
                                                   const GError   *error);

G_END_DECLS
