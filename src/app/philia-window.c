/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-window.h"

#include <glib/gi18n.h>
#include <string.h>

#include "philia-app-private.h"
#include "philia-autosave.h"
#include "philia-canvas.h"
#include "philia-dataset-panel.h"
#include "philia-document-private.h"
#include "philia-filter-dialog.h"
#include "philia-generate-dialog.h"
#include "philia-inspector.h"
#include "philia-proximity-panel.h"
#include "philia-stats-panel.h"
#include "philia-train-panel.h"

#define MAX_RECENT_FILES 10
#define DEFAULT_RESOURCE "/io/github/philia/Philia/cora.npz"

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

  /* Owned */
  GSettings            *settings;
  PhiliaGraph          *graph;
  GCancellable         *load_cancellable;
  PhiliaProgress       *progress;
  GBinding             *progress_binding;
  GtkFileChooserNative *chooser;
  GtkFileChooserNative *node_table_chooser;
  GFile                *pending_graph_file;
  GtkFileChooserNative *save_chooser;
  GArray               *selection;          /* guint node ids, ascending */
  guint                 load_serial;
  guint                 loading : 1;

  /* The document on show, and what the window does with it */
  PhiliaDocument       *document;
  GSignalGroup         *document_signals;
  PhiliaAutosave       *autosave;
  GtkFileChooserNative *project_chooser;
  GtkWidget            *question;           /* the close, locate or open-anyway dialog */
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

G_DEFINE_FINAL_TYPE (PhiliaWindow, philia_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_GRAPH,
  PROP_DOCUMENT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

static void
load_request_free (LoadRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->file);
  g_clear_object (&request->node_table);
  g_free (request->dataset_path);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadRequest, load_request_free)

static void
set_graph (PhiliaWindow *self,
           PhiliaGraph  *graph)
{
  g_autofree char *summary = NULL;
  g_autofree char *nodes = NULL;
  g_autofree char *edges = NULL;
  g_autofree char *classes = NULL;

  if (!g_set_object (&self->graph, graph))
    return;

  if (graph != NULL)
    {
      guint n_nodes = philia_graph_get_n_nodes (graph);
      gint64 n_edges = philia_graph_get_n_edges (graph);
      guint n_classes = philia_graph_get_n_classes (graph);
      g_autofree char *nodes_str = g_strdup_printf ("%'u", n_nodes);
      g_autofree char *edges_str = g_strdup_printf ("%'" G_GINT64_FORMAT, n_edges);

      nodes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s node", "%s nodes", n_nodes),
                               nodes_str);
      edges = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s edge", "%s edges",
                                            (gulong) n_edges),
                               edges_str);
      classes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u class", "%u classes",
                                              n_classes),
                                 n_classes);
      if (n_classes > 0)
        /* Translators: "2,708 nodes · 5,278 edges · 7 classes" */
        summary = g_strdup_printf (_("%s · %s · %s"), nodes, edges, classes);
      else
        /* Translators: "2,708 nodes · 5,278 edges · no labels" */
        summary = g_strdup_printf (_("%s · %s · no labels"), nodes, edges);

      gtk_label_set_text (self->summary_title, philia_graph_get_source (graph));
      gtk_label_set_text (self->summary_label, summary);
    }

  gtk_stack_set_visible_child_name (self->main_stack, graph != NULL ? "canvas" : "empty");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRAPH]);
}

static void
show_banner (PhiliaWindow *self,
             const char   *message)
{
  gtk_label_set_text (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

static void
dismiss_banner (PhiliaWindow *self)
{
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}

static void
set_loading (PhiliaWindow *self,
             const char   *name)
{
  gboolean loading = name != NULL;

  if (loading)
    {
      /* Translators: shown beside the progress bar; %s is a file name */
      g_autofree char *text = g_strdup_printf (_("Loading %s…"), name);

      gtk_label_set_text (self->progress_label, text);
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
    }
  gtk_revealer_set_reveal_child (self->progress_revealer, loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", loading);

  if (self->loading != loading)
    {
      self->loading = loading;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
}

/* Cancels the load in flight (if any) and prepares a fresh one. */
static guint
begin_load (PhiliaWindow *self,
            const char   *name)
{
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  g_clear_object (&self->progress);

  self->load_serial++;
  self->load_cancellable = g_cancellable_new ();
  self->progress = philia_progress_new ();
  self->progress_binding = g_object_bind_property (self->progress, "fraction",
                                                   self->progress_bar, "fraction",
                                                   G_BINDING_DEFAULT);
  set_loading (self, name);

  return self->load_serial;
}

static void
end_load (PhiliaWindow *self)
{
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  g_clear_object (&self->progress);
  g_clear_object (&self->load_cancellable);
  set_loading (self, NULL);
}

static void
rebuild_recent_menu (PhiliaWindow *self)
{
  g_auto(GStrv) uris = g_settings_get_strv (self->settings, "recent-files");
  g_autoptr(GVariant) table_of = g_settings_get_value (self->settings, "recent-node-tables");

  g_menu_remove_all (self->recent_section);

  for (guint i = 0; uris[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_uri (uris[i]);
      g_autoptr(GMenuItem) item = NULL;
      g_autofree char *label = g_file_get_basename (file);
      const char *table_uri = NULL;

      if (label == NULL)
        continue;
      /* A graph opened with a node table comes back with it, and says so. */
      if (g_variant_lookup (table_of, uris[i], "&s", &table_uri))
        {
          g_autoptr(GFile) table = g_file_new_for_uri (table_uri);
          g_autofree char *table_name = g_file_get_basename (table);
          /* Translators: an Open Recent item, "graph.txt with nodes.csv" */
          g_autofree char *both = g_strdup_printf (_("%s with %s"), label, table_name);

          item = g_menu_item_new (both, NULL);
          g_menu_item_set_action_and_target_value (item, "win.open-file-with-nodes",
                                                   g_variant_new ("(ss)", uris[i], table_uri));
        }
      else
        {
          item = g_menu_item_new (label, NULL);
          g_menu_item_set_action_and_target_value (item, "win.open-file",
                                                   g_variant_new_string (uris[i]));
        }
      g_menu_append_item (self->recent_section, item);
    }

  if (uris[0] == NULL)
    g_menu_append (self->recent_section, _("No Recent Datasets"), "win.no-recent-files");
}

static void
add_recent (PhiliaWindow *self,
            GFile        *file,
            GFile        *node_table)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-files");
  g_autoptr(GVariant) old_table_of = g_settings_get_value (self->settings, "recent-node-tables");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GVariantBuilder) tables = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *table_uri = node_table != NULL ? g_file_get_uri (node_table) : NULL;
  g_auto(GStrv) uris = NULL;
  guint n = 1;

  /* The node table a graph was last opened with goes with it; opened alone,
   * it is remembered alone. Tables of graphs that fell off the list go. */
  g_strv_builder_add (builder, uri);
  if (table_uri != NULL)
    g_variant_builder_add (&tables, "{ss}", uri, table_uri);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT_FILES; i++)
    {
      const char *old_table = NULL;

      if (g_str_equal (old[i], uri))
        continue;
      g_strv_builder_add (builder, old[i]);
      if (g_variant_lookup (old_table_of, old[i], "&s", &old_table))
        g_variant_builder_add (&tables, "{ss}", old[i], old_table);
      n++;
    }
  uris = g_strv_builder_end (builder);
  /* Both keys at once, so the menu is rebuilt from a consistent pair. */
  g_settings_delay (self->settings);
  g_settings_set_value (self->settings, "recent-node-tables", g_variant_builder_end (&tables));
  g_settings_set_strv (self->settings, "recent-files", (const char * const *) uris);
  g_settings_apply (self->settings);

  gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
}

/* --- The document ---------------------------------------------------------- */

/* Unsaved changes: the document's, or a restored autosave's. */
static gboolean
window_is_dirty (PhiliaWindow *self)
{
  return self->document != NULL
         && (self->restored || philia_document_get_dirty (self->document));
}

/* Where Save writes, or NULL when it has to ask (Save As). */
static const char *
window_get_project_path (PhiliaWindow *self)
{
  if (self->document == NULL)
    return NULL;
  /* A restored document's own path is its copy in the cache. */
  if (self->restored)
    return self->restored_path;
  return philia_document_get_path (self->document);
}

static char *
base_name_without_extension (const char *path)
{
  char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return base;
}

static char *
window_dup_title (PhiliaWindow *self)
{
  const char *dataset;

  if (self->document == NULL)
    return g_strdup (_("Philia"));
  /* Neither a project nor a file (bundled Cora, a generated graph): the
   * graph's own name says more than "Untitled". */
  if (philia_document_get_path (self->document) == NULL
      && philia_document_get_dataset_path (self->document) == NULL)
    return g_strdup (philia_graph_get_source (philia_document_get_graph (self->document)));
  if (!self->restored)
    return philia_document_dup_title (self->document);
  /* As the document names itself: the file's name without its extension. */
  if (self->restored_path != NULL)
    return base_name_without_extension (self->restored_path);
  dataset = philia_document_get_dataset_path (self->document);
  if (dataset != NULL)
    return base_name_without_extension (dataset);
  return g_strdup (_("Untitled"));
}

static void
update_title (PhiliaWindow *self)
{
  g_autofree char *title = window_dup_title (self);
  g_autofree char *shown = NULL;
  g_autofree char *subtitle = NULL;

  /* GNOME's mark of unsaved changes: a bullet before the title. */
  shown = window_is_dirty (self) ? g_strdup_printf ("• %s", title) : g_strdup (title);
  gtk_label_set_text (self->title_label, shown);
  gtk_window_set_title (GTK_WINDOW (self), shown);

  if (self->document != NULL)
    {
      const char *origin = philia_document_get_origin (self->document);
      const char *dataset = philia_document_get_dataset_path (self->document);

      if (origin != NULL && *origin != '\0')
        subtitle = g_strdup (origin);
      else if (dataset != NULL)
        subtitle = g_path_get_basename (dataset);
      if (subtitle != NULL && g_str_equal (subtitle, title))
        g_clear_pointer (&subtitle, g_free);
    }
  gtk_label_set_text (self->subtitle_label, subtitle != NULL ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), subtitle != NULL);
}

static void
update_actions (PhiliaWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_document = self->document != NULL;

  gtk_widget_action_set_enabled (widget, "win.save", has_document && !self->saving);
  gtk_widget_action_set_enabled (widget, "win.save-as", has_document && !self->saving);
  gtk_widget_action_set_enabled (widget, "win.filter", has_document);
  gtk_widget_action_set_enabled (widget, "win.save-npz", self->graph != NULL);
  gtk_widget_action_set_enabled (widget, "win.undo",
                                 has_document && philia_document_can_undo (self->document));
  gtk_widget_action_set_enabled (widget, "win.redo",
                                 has_document && philia_document_can_redo (self->document));
}

/* The Undo and Redo items name the step they undo or redo. */
static void
update_history (PhiliaWindow *self)
{
  const char *undo = self->document != NULL
                     ? philia_document_get_undo_label (self->document) : NULL;
  const char *redo = self->document != NULL
                     ? philia_document_get_redo_label (self->document) : NULL;
  g_autofree char *undo_text = NULL;
  g_autofree char *redo_text = NULL;

  /* Translators: a menu item, "Undo Layout", "Undo Move Node 42" */
  undo_text = undo != NULL ? g_strdup_printf (_("_Undo %s"), undo) : g_strdup (_("_Undo"));
  /* Translators: a menu item, "Redo Layout", "Redo Move Node 42" */
  redo_text = redo != NULL ? g_strdup_printf (_("_Redo %s"), redo) : g_strdup (_("_Redo"));

  g_menu_remove_all (self->undo_section);
  g_menu_append (self->undo_section, undo_text, "win.undo");
  g_menu_append (self->undo_section, redo_text, "win.redo");
  update_actions (self);
}

static void
sync_selection_from_document (PhiliaWindow *self)
{
  guint n_nodes = 0;
  const guint *nodes = philia_document_get_selection (self->document, &n_nodes);

  philia_window_set_selected_nodes (self, nodes, n_nodes);
}

static void
on_document_changed (PhiliaWindow       *self,
                     PhiliaDocumentPart  parts)
{
  /* The canvas's first layout is the document's initial one, not work:
   * the document stays replaceable until the user does something. */
  if (self->pristine && philia_document_has_work (self->document))
    self->pristine = FALSE;
  if (parts & PHILIA_DOCUMENT_PART_SELECTION)
    sync_selection_from_document (self);
  if (window_is_dirty (self))
    philia_autosave_schedule (self->autosave);
}

static void
on_document_graph (PhiliaWindow *self)
{
  set_graph (self, philia_document_get_graph (self->document));
  update_actions (self);
}

static void
on_document_path (PhiliaWindow *self)
{
  if (!self->restored)
    philia_autosave_set_project_path (self->autosave, philia_document_get_path (self->document));
  update_title (self);
}

/* The canvas and the panels that know documents get it; until they all do,
 * the others follow the window's graph and selection as before. */
static void
hand_document (PhiliaWindow *self,
               GtkWidget    *widget)
{
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "document") != NULL)
    g_object_set (widget, "document", self->document, NULL);
}

static void
set_document (PhiliaWindow   *self,
              PhiliaDocument *document)
{
  if (self->document == document)
    return;

  g_set_object (&self->document, document);
  g_signal_group_set_target (self->document_signals, document);
  self->restored = FALSE;
  g_clear_pointer (&self->restored_path, g_free);
  self->pristine = document != NULL && !philia_document_has_work (document);
  philia_autosave_set_document (self->autosave, document,
                                document != NULL ? philia_document_get_path (document) : NULL);

  hand_document (self, self->canvas);
  hand_document (self, self->dataset_panel);
  hand_document (self, self->stats_panel);
  hand_document (self, self->inspector);
  hand_document (self, self->train_panel);
  hand_document (self, self->proximity_panel);

  /* A selection names nodes of one graph: the document's own comes with it. */
  if (self->selection != NULL)
    g_array_set_size (self->selection, 0);
  set_graph (self, document != NULL ? philia_document_get_graph (document) : NULL);
  if (document != NULL && philia_document_get_selection (document, NULL) != NULL)
    sync_selection_from_document (self);
  else
    g_signal_emit (self, signals[SELECTION_CHANGED], 0);

  update_title (self);
  update_history (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

/*
 * Shows @document: here, or in a new window when this one's document has
 * work in it (several documents at once, none thrown away). Returns the
 * window that shows it.
 */
static PhiliaWindow *
place_document (PhiliaWindow   *self,
                PhiliaDocument *document)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  PhiliaWindow *target = self;

  /* Work, not mere unsaved state: a selection alone does not keep a
   * document from being replaced. */
  if (self->document != NULL && application != NULL && !self->pristine
      && (self->restored || philia_document_has_work (self->document)))
    target = philia_window_new (application);

  set_document (target, document);
  if (target != self)
    gtk_window_present (GTK_WINDOW (target));
  return target;
}

/* --- File choosers, answerable by tests ------------------------------------ */

typedef void (*ChooserDone) (PhiliaWindow *self,
                             GFile        *file,
                             gpointer      data);

typedef struct
{
  ChooserDone    done;
  gpointer       data;
  GDestroyNotify destroy;
} ChooserRequest;

static void
chooser_request_free (ChooserRequest *request)
{
  if (request->destroy != NULL)
    g_clear_pointer (&request->data, request->destroy);
  g_free (request);
}

static void
on_project_chooser_response (GtkNativeDialog *dialog,
                             int              response,
                             PhiliaWindow    *self)
{
  ChooserRequest *request = g_object_steal_data (G_OBJECT (dialog), "philia-request");
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->project_chooser);

  if (request != NULL)
    {
      request->done (self, file, request->data);
      chooser_request_free (request);
    }
}

/* Shows @native (taking it) and calls @done with the file chosen, or NULL.
 * A test answers instead with philia_window_set_chooser_answer(). */
static void
run_chooser (PhiliaWindow         *self,
             GtkFileChooserNative *native,
             ChooserDone           done,
             gpointer              data,
             GDestroyNotify        destroy)
{
  ChooserRequest *request = g_new0 (ChooserRequest, 1);

  request->done = done;
  request->data = data;
  request->destroy = destroy;

  if (self->chooser_answer != NULL)
    {
      g_autofree char *answer = g_steal_pointer (&self->chooser_answer);
      g_autoptr(GFile) file = *answer != '\0' ? g_file_new_for_path (answer) : NULL;

      g_object_unref (native);
      done (self, file, data);
      chooser_request_free (request);
      return;
    }

  _philia_clear_file_chooser (&self->project_chooser, self);
  self->project_chooser = native;
  g_object_set_data_full (G_OBJECT (native), "philia-request", request,
                          (GDestroyNotify) chooser_request_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect (native, "response", G_CALLBACK (on_project_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* --- Saving ----------------------------------------------------------------- */

typedef struct
{
  PhiliaWindow   *self;
  PhiliaDocument *document;
  char           *path;
} SaveRequest;

static void
save_request_free (SaveRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->document);
  g_free (request->path);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveRequest, save_request_free)

static void
save_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SaveRequest) request = user_data;
  PhiliaWindow *self = request->self;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = philia_document_save_finish (request->document, result, &error);
  self->saving = FALSE;
  g_clear_object (&self->save_cancellable);
  philia_autosave_release (self->autosave);
  update_actions (self);

  if (request->document != self->document)
    return;   /* the window moved on; the file is written all the same */

  if (!ok)
    {
      self->close_after_save = FALSE;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_banner (self, error->message);   /* the document stays as it was */
      return;
    }

  self->restored = FALSE;
  g_clear_pointer (&self->restored_path, g_free);
  philia_autosave_set_project_path (self->autosave, request->path);
  /* Changes made while the file was written keep their copy. */
  if (!window_is_dirty (self))
    philia_autosave_discard (self->autosave);
  {
    g_autoptr(GFile) file = g_file_new_for_path (request->path);

    add_recent (self, file, NULL);
  }
  update_title (self);

  if (self->close_after_save)
    {
      self->close_after_save = FALSE;
      gtk_window_close (GTK_WINDOW (self));
    }
}

static void
save_to (PhiliaWindow *self,
         const char   *path)
{
  SaveRequest *request;

  if (self->document == NULL || self->saving)
    return;

  self->saving = TRUE;
  update_actions (self);
  philia_autosave_hold (self->autosave);
  self->save_cancellable = g_cancellable_new ();

  request = g_new0 (SaveRequest, 1);
  request->self = g_object_ref (self);
  request->document = g_object_ref (self->document);
  request->path = g_strdup (path);
  philia_document_save_async (self->document, path, self->save_cancellable, save_done,
                              request);
}

static void
save_as_chosen (PhiliaWindow *self,
                GFile        *file,
                gpointer      data)
{
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path == NULL)
    {
      self->close_after_save = FALSE;   /* cancelled: the window stays */
      return;
    }
  if (!g_str_has_suffix (path, PHILIA_PROJECT_EXTENSION))
    {
      char *with_ext = g_strconcat (path, PHILIA_PROJECT_EXTENSION, NULL);

      g_free (path);
      path = with_ext;
    }
  save_to (self, path);
}

/* "cora.philia" for a document of cora.npz; a saved project keeps its name. */
static char *
default_project_name (PhiliaWindow *self)
{
  const char *project = window_get_project_path (self);
  const char *dataset = philia_document_get_dataset_path (self->document);
  g_autofree char *base = NULL;
  char *dot;

  if (project != NULL)
    return g_path_get_basename (project);
  if (dataset != NULL)
    base = g_path_get_basename (dataset);
  else
    base = window_dup_title (self);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_strconcat (base, PHILIA_PROJECT_EXTENSION, NULL);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PhiliaWindow *self = PHILIA_WINDOW (widget);
  GtkFileChooserNative *native;
  g_autofree char *name = NULL;
  const char *project;

  if (self->document == NULL || self->saving)
    return;

  native = gtk_file_chooser_native_new (_("Save Analysis"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  /* Translators: the file type of saved analyses */
  _philia_file_chooser_add_filter (GTK_FILE_CHOOSER (native), _("Philia projects (.philia)"),
                                   (const char *[]) { "*" PHILIA_PROJECT_EXTENSION, NULL });
  project = window_get_project_path (self);
  if (project != NULL)
    {
      g_autoptr(GFile) folder = NULL;
      g_autoptr(GFile) file = g_file_new_for_path (project);

      folder = g_file_get_parent (file);
      if (folder != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (native), folder, NULL);
    }
  name = default_project_name (self);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  run_chooser (self, native, save_as_chosen, NULL, NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PhiliaWindow *self = PHILIA_WINDOW (widget);
  const char *path = window_get_project_path (self);

  if (self->document == NULL || self->saving)
    return;
  if (path == NULL)
    save_as_action (widget, action_name, parameter);
  else
    save_to (self, path);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PhiliaWindow *self = PHILIA_WINDOW (widget);

  if (self->document != NULL)
    philia_document_undo (self->document);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PhiliaWindow *self = PHILIA_WINDOW (widget);

  if (self->document != NULL)
    philia_document_redo (self->document);
}

/* --- Questions: close, locate, open anyway --------------------------------- */

static GtkWidget *
new_question (PhiliaWindow *self,
              const char   *primary,
              const char   *secondary)
{
  GtkWidget *dialog;

  if (self->question != NULL)
    gtk_window_destroy (GTK_WINDOW (self->question));
  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s", primary);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", secondary);
  self->question = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->question);
  return dialog;
}

static void
style_response (GtkWidget  *dialog,
                int         response,
                const char *style_class)
{
  GtkWidget *button = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), response);

  if (button != NULL)
    gtk_widget_add_css_class (button, style_class);
}

/* Unlinked from the window first: the window may close before the dialog,
 * still referenced by its own response emission, is finalized. */
static void
drop_question (GtkDialog *dialog)
{
  gtk_window_set_transient_for (GTK_WINDOW (dialog), NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
on_close_response (GtkDialog    *dialog,
                   int           response,
                   PhiliaWindow *self)
{
  drop_question (dialog);

  switch (response)
    {
    case GTK_RESPONSE_ACCEPT:
      self->close_after_save = TRUE;
      save_action (GTK_WIDGET (self), "win.save", NULL);
      break;

    case GTK_RESPONSE_REJECT:
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
      break;

    default:
      break;   /* Cancel: nothing happens */
    }
}

static void
ask_close (PhiliaWindow *self)
{
  g_autofree char *title = window_dup_title (self);
  g_autofree char *primary = NULL;
  GtkWidget *dialog;

  /* Translators: %s is the analysis' title, e.g. "cora.philia" */
  primary = g_strdup_printf (_("Save changes to “%s” before closing?"), title);
  dialog = new_question (self, primary,
                         _("If you close without saving, the changes since the last save "
                           "are lost."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("_Discard"), GTK_RESPONSE_REJECT,
                          _("_Save"), GTK_RESPONSE_ACCEPT, NULL);
  style_response (dialog, GTK_RESPONSE_REJECT, "destructive-action");
  style_response (dialog, GTK_RESPONSE_ACCEPT, "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_signal_connect (dialog, "response", G_CALLBACK (on_close_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- Opening projects ------------------------------------------------------- */

static void open_project (PhiliaWindow           *self,
                          GFile                  *file,
                          const char             *dataset_path,
                          PhiliaProjectOpenFlags  flags);

typedef struct
{
  GFile *file;
  char  *dataset_path;
  guint  flags;
} ProjectRetry;

static void
project_retry_free (ProjectRetry *retry)
{
  g_clear_object (&retry->file);
  g_free (retry->dataset_path);
  g_free (retry);
}

static ProjectRetry *
project_retry_new (LoadRequest *request)
{
  ProjectRetry *retry = g_new0 (ProjectRetry, 1);

  retry->file = g_object_ref (request->file);
  retry->dataset_path = g_strdup (request->dataset_path);
  retry->flags = request->flags;
  return retry;
}

static void
dataset_located (PhiliaWindow *self,
                 GFile        *file,
                 gpointer      data)
{
  ProjectRetry *retry = data;
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path != NULL)
    open_project (self, retry->file, path, retry->flags);
}

static GtkFileChooserNative *new_dataset_chooser (PhiliaWindow *self,
                                                  const char   *title);

static void
on_project_question_response (GtkDialog    *dialog,
                              int           response,
                              PhiliaWindow *self)
{
  ProjectRetry *retry = g_object_steal_data (G_OBJECT (dialog), "philia-retry");
  gboolean locate = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "philia-locate"));

  drop_question (dialog);
  if (retry == NULL)
    return;

  if (response == GTK_RESPONSE_ACCEPT && locate)
    {
      run_chooser (self, new_dataset_chooser (self, _("Locate the Dataset")), dataset_located,
                   retry, (GDestroyNotify) project_retry_free);
      return;
    }
  if (response == GTK_RESPONSE_ACCEPT)
    open_project (self, retry->file, retry->dataset_path,
                  retry->flags | PHILIA_PROJECT_OPEN_IGNORE_CHECKSUM);
  project_retry_free (retry);
}

/* The project's dataset is missing (offer to locate it) or changed since
 * the project was saved (offer to open anyway). */
static void
ask_about_dataset (PhiliaWindow *self,
                   LoadRequest  *request,
                   const GError *error)
{
  gboolean locate = error->code == PHILIA_PROJECT_ERROR_DATASET_MISSING;
  GtkWidget *dialog;

  dialog = new_question (self,
                         locate ? _("The dataset of this analysis is missing")
                                : _("The dataset changed since this analysis was saved"),
                         error->message);
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          locate ? _("_Locate…") : _("_Open Anyway"), GTK_RESPONSE_ACCEPT,
                          NULL);
  style_response (dialog, GTK_RESPONSE_ACCEPT, "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_object_set_data (G_OBJECT (dialog), "philia-locate", GINT_TO_POINTER (locate));
  g_object_set_data_full (G_OBJECT (dialog), "philia-retry", project_retry_new (request),
                          (GDestroyNotify) project_retry_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_project_question_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_project_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LoadRequest) request = user_data;
  PhiliaWindow *self = request->self;
  g_autoptr(PhiliaDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = philia_document_open_finish (result, &error);
  if (request->serial != self->load_serial)
    return;   /* superseded by a newer load */
  end_load (self);

  if (document != NULL)
    {
      dismiss_banner (self);
      place_document (self, document);
      add_recent (self, request->file, NULL);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Open cancelled");
  else if (g_error_matches (error, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_DATASET_MISSING)
           || g_error_matches (error, PHILIA_PROJECT_ERROR,
                               PHILIA_PROJECT_ERROR_DATASET_CHANGED))
    ask_about_dataset (self, request, error);
  else
    show_banner (self, error->message);   /* the current document stays */
}

static void
open_project (PhiliaWindow           *self,
              GFile                  *file,
              const char             *dataset_path,
              PhiliaProjectOpenFlags  flags)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *path = g_file_get_path (file);
  LoadRequest *request;

  if (path == NULL)
    {
      /* Translators: %s is a URI */
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *message = g_strdup_printf (_("Cannot open %s: projects open from local "
                                                    "files only."), uri);

      show_banner (self, message);
      return;
    }

  request = g_new0 (LoadRequest, 1);
  request->self = g_object_ref (self);
  request->file = g_object_ref (file);
  request->dataset_path = g_strdup (dataset_path);
  request->flags = flags;
  request->serial = begin_load (self, name);
  philia_document_open_async (path, dataset_path, flags, self->load_cancellable,
                              open_project_cb, request);
}

/* A .philia file, or a file that starts like one whatever its name. */
static gboolean
is_project_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GFileInputStream) stream = NULL;
  guint8 head[4096];
  gsize got = 0;

  if (name != NULL && g_str_has_suffix (name, PHILIA_PROJECT_EXTENSION))
    return TRUE;
  stream = g_file_read (file, NULL, NULL);
  if (stream == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (stream), head, sizeof head, &got, NULL,
                                   NULL))
    return FALSE;
  return philia_project_sniff (head, got);
}

/* --- Restoring autosaves ----------------------------------------------------- */

static void
hide_restore_offer (PhiliaWindow *self)
{
  gtk_revealer_set_reveal_child (self->restore_revealer, FALSE);
  g_clear_pointer (&self->orphans, g_ptr_array_unref);
}

typedef struct
{
  PhiliaWindow        *self;
  PhiliaAutosaveEntry *entry;
} RestoreRequest;

static void
restore_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RestoreRequest *request = user_data;
  PhiliaWindow *self = request->self;
  g_autoptr(PhiliaDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = philia_document_open_finish (result, &error);
  if (document != NULL)
    {
      PhiliaWindow *target = place_document (self, document);

      /* Unsaved, and saved where it was saved before the crash; never
       * replaced by the next Open. */
      target->restored = TRUE;
      target->pristine = FALSE;
      target->restored_path = g_strdup (request->entry->project_path);
      philia_autosave_set_project_path (target->autosave, target->restored_path);
      update_title (target);
      /* The old copy goes; this process keeps a new one from now on. */
      philia_autosave_entry_delete (request->entry);
      philia_autosave_write_now (target->autosave);
    }
  else
    {
      /* Translators: %s says why, a sentence */
      g_autofree char *message = g_strdup_printf (_("Could not restore an unsaved analysis: %s"),
                                                  error->message);

      show_banner (self, message);
    }

  g_object_unref (request->self);
  philia_autosave_entry_free (request->entry);
  g_free (request);
}

static void
restore_autosaves_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PhiliaWindow *self = PHILIA_WINDOW (widget);
  g_autoptr(GPtrArray) orphans = self->orphans != NULL ? g_ptr_array_ref (self->orphans) : NULL;

  hide_restore_offer (self);
  if (orphans == NULL)
    return;

  while (orphans->len > 0)
    {
      RestoreRequest *request = g_new0 (RestoreRequest, 1);

      request->self = g_object_ref (self);
      request->entry = g_ptr_array_steal_index (orphans, 0);
      /* Autosaves of one run are opened one after the other in order,
       * each in its own window (place_document). */
      philia_document_open_async (request->entry->autosave_path, NULL,
                                  PHILIA_PROJECT_OPEN_DEFAULT, NULL, restore_done, request);
    }
}

static void
discard_autosaves_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PhiliaWindow *self = PHILIA_WINDOW (widget);

  if (self->orphans != NULL)
    g_ptr_array_foreach (self->orphans, (GFunc) philia_autosave_entry_delete, NULL);
  hide_restore_offer (self);
}

static void
filter_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PhiliaWindow *self = PHILIA_WINDOW (widget);

  if (self->document == NULL)
    return;
  gtk_window_present (GTK_WINDOW (philia_filter_dialog_new (self)));
}

static void
finish_load (LoadRequest *request,
             PhiliaGraph *graph,
             GError      *error)
{
  PhiliaWindow *self = request->self;

  if (request->serial != self->load_serial)
    return;   /* superseded by a newer load, which owns the UI now */

  end_load (self);

  if (graph != NULL)
    {
      g_autofree char *path = request->file != NULL ? g_file_get_path (request->file) : NULL;
      g_autofree char *table = request->node_table != NULL
                               ? g_file_get_path (request->node_table) : NULL;
      g_autoptr(PhiliaDocument) document = philia_document_new (graph, path, table);

      dismiss_banner (self);
      place_document (self, document);
      if (request->file != NULL)
        add_recent (self, request->file, request->node_table);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Load cancelled");
  else
    show_banner (self, error->message);   /* the previous dataset stays */
}

static void
load_file_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LoadRequest) request = user_data;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;

  graph = philia_graph_load_finish (result, &error);
  finish_load (request, graph, error);
}

/**
 * philia_window_open:
 *
 * Loads @file on a worker thread and shows it when done. A load already
 * running is cancelled. On error the banner says why and the current dataset
 * stays.
 */
void
philia_window_open (PhiliaWindow *self,
                    GFile        *file)
{
  philia_window_open_with_nodes (self, file, NULL);
}

/**
 * philia_window_open_with_nodes:
 * @node_table: (nullable): a CSV node table (id,label,f0,…) for @file
 *
 * Like philia_window_open(), attaching labels and features from @node_table.
 */
void
philia_window_open_with_nodes (PhiliaWindow *self,
                               GFile        *file,
                               GFile        *node_table)
{
  LoadRequest *request;
  g_autofree char *name = NULL;

  g_return_if_fail (PHILIA_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (node_table == NULL || G_IS_FILE (node_table));

  if (node_table == NULL && is_project_file (file))
    {
      open_project (self, file, NULL, PHILIA_PROJECT_OPEN_DEFAULT);
      return;
    }

  name = g_file_get_basename (file);
  request = g_new0 (LoadRequest, 1);
  request->self = g_object_ref (self);
  request->file = g_object_ref (file);
  request->node_table = node_table != NULL ? g_object_ref (node_table) : NULL;
  request->serial = begin_load (self, name);

  philia_graph_load_async (file, node_table, self->progress, self->load_cancellable,
                           load_file_cb, request);
}

typedef struct
{
  GBytes         *bytes;
  char           *display_name;
  PhiliaProgress *progress;
} BytesTaskData;

static void
bytes_task_data_free (BytesTaskData *data)
{
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_clear_pointer (&data->display_name, g_free);
  g_clear_object (&data->progress);
  g_free (data);
}

static void
load_bytes_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  BytesTaskData *data = task_data;
  GError *error = NULL;
  PhiliaGraph *graph;

  graph = philia_graph_load_bytes (data->bytes, data->display_name, PHILIA_FORMAT_NPZ,
                                   data->progress, cancellable, &error);
  if (graph == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, graph, g_object_unref);
}

static void
load_bytes_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LoadRequest) request = user_data;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;

  graph = g_task_propagate_pointer (G_TASK (result), &error);
  finish_load (request, graph, error);
}

/**
 * philia_window_open_default:
 *
 * Loads the bundled Cora dataset (a GResource) the same way as a file:
 * on a worker, with progress, cancellable.
 */
void
philia_window_open_default (PhiliaWindow *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  BytesTaskData *data;
  LoadRequest *request;
  GBytes *bytes;
  /* Translators: the dataset that comes with Philia */
  const char *name = _("Cora (bundled)");

  g_return_if_fail (PHILIA_IS_WINDOW (self));

  bytes = g_resources_lookup_data (DEFAULT_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    {
      show_banner (self, error->message);
      return;
    }

  request = g_new0 (LoadRequest, 1);
  request->self = g_object_ref (self);
  request->serial = begin_load (self, name);

  data = g_new0 (BytesTaskData, 1);
  data->bytes = bytes;
  data->display_name = g_strdup (name);
  data->progress = g_object_ref (self->progress);

  task = g_task_new (NULL, self->load_cancellable, load_bytes_cb, request);
  g_task_set_source_tag (task, philia_window_open_default);
  g_task_set_task_data (task, data, (GDestroyNotify) bytes_task_data_free);
  g_task_run_in_thread (task, load_bytes_thread);
}

void
philia_window_cancel_load (PhiliaWindow *self)
{
  g_return_if_fail (PHILIA_IS_WINDOW (self));

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  PhiliaWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        philia_window_open (self, file);
    }

  g_clear_object (&self->chooser);
}

static GtkFileChooserNative *
new_dataset_chooser (PhiliaWindow *self,
                     const char   *title)
{
  GtkFileChooserNative *native;
  GtkFileChooser *chooser;

  native = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  chooser = GTK_FILE_CHOOSER (native);

  _philia_file_chooser_add_filter (chooser, _("All supported files"),
                                   (const char *[]) { "*.npz", "*.graphml", "*.xml", "*.gml",
                                                      "*.net", "*.paj", "*.txt", "*.edges",
                                                      "*.el", "*.csv", "*.tsv",
                                                      "*" PHILIA_PROJECT_EXTENSION, NULL });
  _philia_file_chooser_add_filter (chooser, _("Philia projects (.philia)"),
                                   (const char *[]) { "*" PHILIA_PROJECT_EXTENSION, NULL });
  /* Translators: file type names in the Open dialog */
  _philia_file_chooser_add_filter (chooser, _("NumPy archives (.npz)"),
                                   (const char *[]) { "*.npz", NULL });
  _philia_file_chooser_add_filter (chooser, _("GraphML"),
                                   (const char *[]) { "*.graphml", "*.xml", NULL });
  _philia_file_chooser_add_filter (chooser, _("GML"), (const char *[]) { "*.gml", NULL });
  _philia_file_chooser_add_filter (chooser, _("Pajek"),
                                   (const char *[]) { "*.net", "*.paj", NULL });
  _philia_file_chooser_add_filter (chooser, _("Edge lists"),
                                   (const char *[]) { "*.txt", "*.edges", "*.el", "*.csv",
                                                      "*.tsv", NULL });
  _philia_file_chooser_add_filter (chooser, _("All files"), (const char *[]) { "*", NULL });

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  return native;
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PhiliaWindow *self = PHILIA_WINDOW (widget);

  if (self->chooser == NULL)
    {
      self->chooser = new_dataset_chooser (self, _("Open Dataset"));
      g_signal_connect (self->chooser, "response", G_CALLBACK (on_open_response), self);
    }
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_node_table_response (GtkNativeDialog *dialog,
                        int              response,
                        PhiliaWindow    *self)
{
  g_autoptr(GFile) graph_file = g_steal_pointer (&self->pending_graph_file);

  if (response == GTK_RESPONSE_ACCEPT && graph_file != NULL)
    {
      g_autoptr(GFile) table = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (table != NULL)
        philia_window_open_with_nodes (self, graph_file, table);
    }
  g_clear_object (&self->node_table_chooser);
}

static void
on_graph_for_table_response (GtkNativeDialog *dialog,
                             int              response,
                             PhiliaWindow    *self)
{
  GtkFileChooser *chooser;

  if (response == GTK_RESPONSE_ACCEPT)
    self->pending_graph_file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->node_table_chooser);
  if (self->pending_graph_file == NULL)
    return;

  /* Step two: the node table for the graph just chosen. */
  self->node_table_chooser = gtk_file_chooser_native_new (_("Choose the Node Table"),
                                                          GTK_WINDOW (self),
                                                          GTK_FILE_CHOOSER_ACTION_OPEN,
                                                          _("_Open"), _("_Cancel"));
  chooser = GTK_FILE_CHOOSER (self->node_table_chooser);
  /* Translators: a CSV file with a row per node: id,label,f0,f1,… */
  _philia_file_chooser_add_filter (chooser, _("Node tables (.csv, .tsv)"),
                                   (const char *[]) { "*.csv", "*.tsv", NULL });
  _philia_file_chooser_add_filter (chooser, _("All files"), (const char *[]) { "*", NULL });
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->node_table_chooser), TRUE);
  g_signal_connect (self->node_table_chooser, "response", G_CALLBACK (on_node_table_response),
                    self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->node_table_chooser));
}

static void
open_with_nodes_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PhiliaWindow *self = PHILIA_WINDOW (widget);

  if (self->node_table_chooser != NULL)
    return;   /* one of its two steps is on screen */

  /* Step one: the graph file, from the same kind of chooser as Open. */
  g_clear_object (&self->pending_graph_file);
  self->node_table_chooser = new_dataset_chooser (self, _("Open a Graph for Its Node Table"));
  g_signal_connect (self->node_table_chooser, "response",
                    G_CALLBACK (on_graph_for_table_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->node_table_chooser));
}

static void
open_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (g_variant_get_string (parameter, NULL));

  philia_window_open (PHILIA_WINDOW (widget), file);
}

/* (ss): a graph and its node table, as paths or URIs (Open Recent). */
static void
open_file_with_nodes_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  const char *graph_arg, *table_arg;
  g_autoptr(GFile) graph = NULL;
  g_autoptr(GFile) table = NULL;

  g_variant_get (parameter, "(&s&s)", &graph_arg, &table_arg);
  graph = g_file_new_for_commandline_arg (graph_arg);
  table = g_file_new_for_commandline_arg (table_arg);
  philia_window_open_with_nodes (PHILIA_WINDOW (widget), graph, table);
}

static void
cancel_load_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  philia_window_cancel_load (PHILIA_WINDOW (widget));
}

static void
dismiss_banner_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  dismiss_banner (PHILIA_WINDOW (widget));
}

/* A node table's header starts with id, node or name (what the core's CSV
 * reader accepts); an edge list's does not. Reads at most 1 KiB. */
static gboolean
looks_like_node_table (GFile *file)
{
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  char head[1024] = "";
  gsize got = 0;
  const char *p = head;
  gsize len;

  if (stream == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (stream), head, sizeof head - 1, &got, NULL,
                                   NULL))
    return FALSE;
  head[got] = '\0';
  if (g_str_has_prefix (p, "\xef\xbb\xbf"))
    p += 3;
  if (*p == '"')
    p++;
  len = strcspn (p, ",\t\"\r\n");
  return (len == 2 && g_ascii_strncasecmp (p, "id", 2) == 0)
         || (len == 4 && (g_ascii_strncasecmp (p, "node", 4) == 0
                          || g_ascii_strncasecmp (p, "name", 4) == 0));
}

/**
 * philia_window_open_files:
 *
 * Opens what a user hands over at once (a drop, the command line): one
 * dataset, plus a node table when one of two files is one.
 */
void
philia_window_open_files (PhiliaWindow  *self,
                          GFile        **files,
                          guint          n_files)
{
  g_return_if_fail (PHILIA_IS_WINDOW (self));

  if (n_files == 0)
    return;
  if (n_files == 2 && looks_like_node_table (files[1]) != looks_like_node_table (files[0]))
    {
      gboolean first_is_table = looks_like_node_table (files[0]);

      philia_window_open_with_nodes (self, files[first_is_table ? 1 : 0],
                                     files[first_is_table ? 0 : 1]);
      return;
    }
  /* One dataset at a time: the first file wins. */
  philia_window_open (self, files[0]);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         PhiliaWindow  *self)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      for (GSList *l = g_value_get_boxed (value); l != NULL; l = l->next)
        g_ptr_array_add (files, l->data);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE) && g_value_get_object (value) != NULL)
    g_ptr_array_add (files, g_value_get_object (value));

  if (files->len == 0)
    return FALSE;

  philia_window_open_files (self, (GFile **)files->pdata, files->len);
  return TRUE;
}

static gboolean
philia_window_close_request (GtkWindow *window)
{
  PhiliaWindow *self = PHILIA_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  if (self->saving)
    {
      self->close_after_save = TRUE;   /* closes when the file is written */
      return TRUE;
    }
  if (window_is_dirty (self) && !self->close_confirmed)
    {
      ask_close (self);
      return TRUE;
    }

  philia_autosave_discard (self->autosave);
  philia_window_cancel_load (self);

  return GTK_WINDOW_CLASS (philia_window_parent_class)->close_request (window);
}

static void
on_stats_select_nodes (PhiliaStatsPanel *panel,
                       const guint      *nodes,
                       guint             n_nodes,
                       PhiliaWindow     *self)
{
  philia_window_set_selected_nodes (self, nodes, n_nodes);
}

/* The canvas and the inspector show the window's selection and change it. */
static void
on_view_select_nodes (GtkWidget    *view,
                      const guint  *nodes,
                      guint         n_nodes,
                      PhiliaWindow *self)
{
  philia_window_set_selected_nodes (self, nodes, n_nodes);
}

static void
on_selection_changed (PhiliaWindow *self)
{
  guint n_nodes;
  const guint *nodes = philia_window_get_selected_nodes (self, &n_nodes);

  philia_canvas_set_selection (PHILIA_CANVAS (self->canvas), nodes, n_nodes);
  philia_inspector_set_selection (PHILIA_INSPECTOR (self->inspector), nodes, n_nodes);
  philia_proximity_panel_set_selection (PHILIA_PROXIMITY_PANEL (self->proximity_panel), nodes,
                                        n_nodes);
}

/* The Train panel's run goes to the inspector; its views follow the selection. */
static void
on_train_run_changed (PhiliaTrainPanel *panel,
                      PhiliaWindow     *self)
{
  philia_inspector_set_train_result (PHILIA_INSPECTOR (self->inspector),
                                     philia_train_panel_get_current_run (panel));
}

static void
on_train_selection_changed (PhiliaWindow *self)
{
  guint n_nodes;
  const guint *nodes = philia_window_get_selected_nodes (self, &n_nodes);

  philia_train_panel_set_selection (PHILIA_TRAIN_PANEL (self->train_panel), nodes, n_nodes);
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PhiliaGenerateDialog *dialog = philia_generate_dialog_new (PHILIA_WINDOW (widget));

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_save_response (GtkNativeDialog *dialog,
                  int              response,
                  PhiliaWindow    *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->graph != NULL)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = file != NULL ? g_file_get_path (file) : NULL;

  if (path != NULL && !g_str_has_suffix (path, ".npz"))
    {
      char *with_ext = g_strconcat (path, ".npz", NULL);

      g_free (path);
      path = with_ext;
    }
  /* Small and sequential: the graph is already in memory. */
  if (path != NULL && !philia_graph_write_npz (self->graph, path, &error))
    show_banner (self, error->message);

  g_clear_object (&self->save_chooser);
}

static void
save_npz_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PhiliaWindow *self = PHILIA_WINDOW (widget);
  g_autofree char *name = NULL;

  if (self->graph == NULL || self->save_chooser != NULL)
    return;

  self->save_chooser = gtk_file_chooser_native_new (_("Save Dataset"), GTK_WINDOW (self),
                                                    GTK_FILE_CHOOSER_ACTION_SAVE,
                                                    _("_Save"), _("_Cancel"));
  _philia_file_chooser_add_filter (GTK_FILE_CHOOSER (self->save_chooser),
                                   _("NumPy archives (.npz)"), (const char *[]) { "*.npz", NULL });
  name = g_strdup_printf ("%s.npz", g_str_has_prefix (philia_graph_get_source (self->graph),
                                                      "CSBM") ? "csbm" : "dataset");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->save_chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->save_chooser), TRUE);
  g_signal_connect (self->save_chooser, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->save_chooser));
}

static void
philia_window_dispose (GObject *object)
{
  PhiliaWindow *self = PHILIA_WINDOW (object);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  self->load_serial++;   /* a result still in flight finds nothing to update */

  _philia_clear_file_chooser (&self->chooser, self);
  _philia_clear_file_chooser (&self->node_table_chooser, self);
  g_clear_object (&self->pending_graph_file);
  _philia_clear_file_chooser (&self->save_chooser, self);
  _philia_clear_file_chooser (&self->project_chooser, self);
  g_clear_pointer (&self->selection, g_array_unref);
  if (self->question != NULL)
    gtk_window_destroy (GTK_WINDOW (self->question));
  if (self->save_cancellable != NULL)
    g_cancellable_cancel (self->save_cancellable);
  /* An orderly end (a crash never gets here): the copy is not needed. */
  if (self->autosave != NULL)
    philia_autosave_discard (self->autosave);
  if (self->document_signals != NULL)
    g_signal_group_set_target (self->document_signals, NULL);

  /* Before the template: the binding's target is the progress bar. */
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  g_clear_object (&self->progress);

  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_WINDOW);

  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->graph);
  g_clear_object (&self->settings);
  g_clear_object (&self->document);
  g_clear_object (&self->document_signals);
  g_clear_object (&self->autosave);
  g_clear_object (&self->save_cancellable);
  g_clear_pointer (&self->orphans, g_ptr_array_unref);
  g_clear_pointer (&self->chooser_answer, g_free);
  g_clear_pointer (&self->restored_path, g_free);

  G_OBJECT_CLASS (philia_window_parent_class)->dispose (object);
}

static void
philia_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PhiliaWindow *self = PHILIA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      g_value_set_object (value, self->graph);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, philia_window_get_loading (self));
      break;

    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_window_class_init (PhiliaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = philia_window_dispose;
  object_class->get_property = philia_window_get_property;
  window_class->close_request = philia_window_close_request;

  /**
   * PhiliaWindow:graph:
   *
   * The dataset on show. Panels follow it; a failed load leaves it as it was.
   */
  properties[PROP_GRAPH] =
    g_param_spec_object ("graph", NULL, NULL, PHILIA_TYPE_GRAPH,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PhiliaWindow:document:
   *
   * The analysis on show; the canvas and the panels read and write it.
   */
  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, PHILIA_TYPE_DOCUMENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PhiliaWindow:loading:
   *
   * Whether a dataset is being loaded.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PhiliaWindow::selection-changed:
   *
   * The selected nodes changed (philia_window_get_selected_nodes()).
   */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (PHILIA_TYPE_DATASET_PANEL);
  g_type_ensure (PHILIA_TYPE_STATS_PANEL);
  g_type_ensure (PHILIA_TYPE_CANVAS);
  g_type_ensure (PHILIA_TYPE_INSPECTOR);
  g_type_ensure (PHILIA_TYPE_TRAIN_PANEL);
  g_type_ensure (PHILIA_TYPE_PROXIMITY_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, undo_section);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, restore_revealer);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, restore_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, summary_title);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, dataset_panel);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, stats_panel);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, train_panel);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, proximity_panel);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, recent_section);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "win.save-npz", NULL, save_npz_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.filter", NULL, filter_action);
  gtk_widget_class_install_action (widget_class, "win.restore-autosaves", NULL,
                                   restore_autosaves_action);
  gtk_widget_class_install_action (widget_class, "win.discard-autosaves", NULL,
                                   discard_autosaves_action);
  gtk_widget_class_install_action (widget_class, "win.open-file", "s", open_file_action);
  gtk_widget_class_install_action (widget_class, "win.open-with-nodes", NULL,
                                   open_with_nodes_action);
  gtk_widget_class_install_action (widget_class, "win.open-file-with-nodes", "(ss)",
                                   open_file_with_nodes_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, cancel_load_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-banner", NULL,
                                   dismiss_banner_action);
  /* Never enabled: gives "No Recent Datasets" a greyed-out menu item. */
  gtk_widget_class_install_action (widget_class, "win.no-recent-files", NULL, NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0,
                                       "win.cancel-load", NULL);
}

static void
philia_window_init (PhiliaWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (self->settings, "changed::recent-files",
                           G_CALLBACK (rebuild_recent_menu), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::recent-node-tables",
                           G_CALLBACK (rebuild_recent_menu), self, G_CONNECT_SWAPPED);
  rebuild_recent_menu (self);

  self->selection = g_array_new (FALSE, FALSE, sizeof (guint));
  self->autosave = philia_autosave_new ();
  self->document_signals = g_signal_group_new (PHILIA_TYPE_DOCUMENT);
  g_signal_group_connect_swapped (self->document_signals, "changed",
                                  G_CALLBACK (on_document_changed), self);
  g_signal_group_connect_swapped (self->document_signals, "notify::graph",
                                  G_CALLBACK (on_document_graph), self);
  g_signal_group_connect_swapped (self->document_signals, "notify::path",
                                  G_CALLBACK (on_document_path), self);
  g_signal_group_connect_swapped (self->document_signals, "notify::title",
                                  G_CALLBACK (update_title), self);
  g_signal_group_connect_swapped (self->document_signals, "notify::dirty",
                                  G_CALLBACK (update_title), self);
  for (guint i = 0; i < 4; i++)
    {
      static const char *const history[] = {
        "notify::can-undo", "notify::can-redo", "notify::undo-label", "notify::redo-label",
      };

      g_signal_group_connect_swapped (self->document_signals, history[i],
                                      G_CALLBACK (update_history), self);
    }
  g_object_bind_property (self, "graph", self->dataset_panel, "graph", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "graph", self->stats_panel, "graph", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->stats_panel, "select-nodes",
                           G_CALLBACK (on_stats_select_nodes), self, 0);
  g_object_bind_property (self, "graph", self->canvas, "graph", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "graph", self->inspector, "graph", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->canvas, "select-nodes",
                           G_CALLBACK (on_view_select_nodes), self, 0);
  g_signal_connect_object (self->inspector, "select-nodes",
                           G_CALLBACK (on_view_select_nodes), self, 0);
  g_signal_connect (self, "selection-changed", G_CALLBACK (on_selection_changed), NULL);
  philia_train_panel_set_canvas (PHILIA_TRAIN_PANEL (self->train_panel),
                                 PHILIA_CANVAS (self->canvas));
  g_object_bind_property (self, "graph", self->train_panel, "graph", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->train_panel, "current-run-changed",
                           G_CALLBACK (on_train_run_changed), self, 0);
  g_signal_connect (self, "selection-changed", G_CALLBACK (on_train_selection_changed), NULL);
  g_object_bind_property (self, "graph", self->proximity_panel, "graph", G_BINDING_SYNC_CREATE);
  philia_proximity_panel_set_canvas (PHILIA_PROXIMITY_PANEL (self->proximity_panel),
                                     PHILIA_CANVAS (self->canvas));
  g_signal_connect_object (self->proximity_panel, "select-nodes",
                           G_CALLBACK (on_view_select_nodes), self, 0);

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.no-recent-files", FALSE);
  update_history (self);
  update_title (self);
}

PhiliaWindow *
philia_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (PHILIA_TYPE_WINDOW, "application", application, NULL);
}

PhiliaGraph *
philia_window_get_graph (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return self->graph;
}

gboolean
philia_window_get_loading (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), FALSE);

  return self->loading;
}

/* The error the banner shows, or %NULL when it is hidden. */
/* The Open Recent section of the main menu (for tests). */
GMenuModel *
philia_window_get_recent_menu (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return G_MENU_MODEL (self->recent_section);
}

const char *
philia_window_get_banner_message (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->banner_revealer))
    return NULL;

  return gtk_label_get_text (self->banner_label);
}

GtkWidget *
philia_window_get_dataset_panel (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return self->dataset_panel;
}

GtkWidget *
philia_window_get_canvas (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return self->canvas;
}

GtkWidget *
philia_window_get_inspector (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return self->inspector;
}

GtkWidget *
philia_window_get_train_panel (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return self->train_panel;
}

GtkWidget *
philia_window_get_proximity_panel (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return self->proximity_panel;
}

GtkWidget *
philia_window_get_stats_panel (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return self->stats_panel;
}

/**
 * philia_window_set_graph:
 *
 * Shows @graph (e.g. a generated one) as a new document, the way a loaded
 * file is shown: here, or in a new window when this window's document has
 * work in it. A load in flight is cancelled and the banner goes.
 */
void
philia_window_set_graph (PhiliaWindow *self,
                         PhiliaGraph  *graph)
{
  g_return_if_fail (PHILIA_IS_WINDOW (self));
  g_return_if_fail (PHILIA_IS_GRAPH (graph));

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  self->load_serial++;   /* newest wins: a load still in flight is dropped */
  end_load (self);

  dismiss_banner (self);
  {
    g_autoptr(PhiliaDocument) document = philia_document_new (graph, NULL, NULL);

    place_document (self, document);
  }
}

/* Says @message in the window's banner, as a failed load does. */
void
philia_window_show_error (PhiliaWindow *self,
                          const char   *message)
{
  g_return_if_fail (PHILIA_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  show_banner (self, message);
}

/**
 * philia_window_set_selected_nodes:
 * @nodes: (array length=n_nodes) (nullable): node ids of the current graph
 *
 * Replaces the selection (the canvas highlights it) and emits
 * #PhiliaWindow::selection-changed if it changed.
 */
void
philia_window_set_selected_nodes (PhiliaWindow *self,
                                  const guint  *nodes,
                                  guint         n_nodes)
{
  g_return_if_fail (PHILIA_IS_WINDOW (self));
  g_return_if_fail (nodes != NULL || n_nodes == 0);

  if (self->selection == NULL)
    return;   /* disposed */
  if (self->selection->len == n_nodes
      && (n_nodes == 0 || memcmp (self->selection->data, nodes, n_nodes * sizeof (guint)) == 0))
    return;

  g_array_set_size (self->selection, 0);
  if (n_nodes > 0)
    g_array_append_vals (self->selection, nodes, n_nodes);
  if (self->document != NULL)
    {
      guint n_doc = 0;
      const guint *doc_nodes = philia_document_get_selection (self->document, &n_doc);

      /* Saved with the document; compared first so the echo stops here. */
      if (n_doc != n_nodes
          || (n_nodes > 0 && memcmp (doc_nodes, nodes, n_nodes * sizeof (guint)) != 0))
        philia_document_set_selection (self->document, nodes, n_nodes);
    }
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

/* The selected node ids (ascending when they came from a histogram bin). */
const guint *
philia_window_get_selected_nodes (PhiliaWindow *self,
                                  guint        *n_nodes)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  if (n_nodes != NULL)
    *n_nodes = self->selection != NULL ? self->selection->len : 0;
  return self->selection != NULL && self->selection->len > 0
         ? (const guint *) self->selection->data : NULL;
}

PhiliaDocument *
philia_window_get_document (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return self->document;
}

/**
 * philia_window_filter:
 *
 * Filters the document on show; the result opens in a new window, which is
 * returned. A refusal (nothing kept) goes to this window's banner.
 *
 * Returns: (transfer none) (nullable): the new window
 */
PhiliaWindow *
philia_window_filter (PhiliaWindow       *self,
                      const PhiliaFilter *filter)
{
  g_autoptr(PhiliaDocument) filtered = NULL;
  g_autoptr(GError) error = NULL;
  GtkApplication *application;
  PhiliaWindow *target;

  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  if (self->document == NULL)
    return NULL;
  filtered = philia_document_filter (self->document, filter, &error);
  if (filtered == NULL)
    {
      show_banner (self, error->message);
      return NULL;
    }

  /* The filtered graph is a new document beside the original. */
  application = gtk_window_get_application (GTK_WINDOW (self));
  target = application != NULL ? philia_window_new (application) : self;
  set_document (target, filtered);
  gtk_window_present (GTK_WINDOW (target));
  return target;
}

/**
 * philia_window_offer_restore:
 * @orphans: (element-type PhiliaAutosaveEntry): autosaves a previous run left
 *
 * Says that Philia did not close properly and offers to restore @orphans.
 */
void
philia_window_offer_restore (PhiliaWindow *self,
                             GPtrArray    *orphans)
{
  g_autofree char *text = NULL;

  g_return_if_fail (PHILIA_IS_WINDOW (self));
  g_return_if_fail (orphans != NULL);

  if (orphans->len == 0)
    return;
  g_clear_pointer (&self->orphans, g_ptr_array_unref);
  self->orphans = g_ptr_array_ref (orphans);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Philia did not close properly. Restore %u unsaved "
                                       "analysis?",
                                       "Philia did not close properly. Restore %u unsaved "
                                       "analyses?", orphans->len),
                          orphans->len);
  gtk_label_set_text (self->restore_label, text);
  gtk_revealer_set_reveal_child (self->restore_revealer, TRUE);
}

/* The restore offer on show, or NULL. */
const char *
philia_window_get_restore_message (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->restore_revealer))
    return NULL;
  return gtk_label_get_text (self->restore_label);
}

/* Whether closing would lose changes (the title then starts with "•"). */
gboolean
philia_window_get_dirty (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), FALSE);

  return window_is_dirty (self);
}

gboolean
philia_window_get_saving (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), FALSE);

  return self->saving;
}

/* The title as the header bar shows it. */
const char *
philia_window_get_title_text (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return gtk_label_get_text (self->title_label);
}

const char *
philia_window_get_subtitle_text (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return gtk_label_get_text (self->subtitle_label);
}

/* "Undo Layout" and "Redo …" as the main menu shows them. */
GMenuModel *
philia_window_get_undo_menu (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return G_MENU_MODEL (self->undo_section);
}

/* The question on screen (close, locate, open anyway), or NULL. */
GtkWidget *
philia_window_get_question (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return self->question;
}

PhiliaAutosave *
philia_window_get_autosave (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return self->autosave;
}

/**
 * philia_window_set_chooser_answer:
 * @path: (nullable): the file the next chooser returns ("" for Cancel)
 *
 * For tests: the next file chooser of Save As, Locate (and Open projects)
 * answers @path at once instead of showing itself.
 */
void
philia_window_set_chooser_answer (PhiliaWindow *self,
                                  const char   *path)
{
  g_return_if_fail (PHILIA_IS_WINDOW (self));

  g_free (self->chooser_answer);
  self->chooser_answer = g_strdup (path);
}
