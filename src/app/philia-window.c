/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-window.h"

#include <glib/gi18n.h>
#include <string.h>

#include "philia-adapt-page.h"
#include "philia-app-private.h"
#include "philia-canvas.h"
#include "philia-dataset-panel.h"
#include "philia-document-private.h"
#include "philia-inspector.h"
#include "philia-proximity-panel.h"
#include "philia-stats-panel.h"
#include "philia-train-panel.h"
#include "philia-window-private.h"

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

void
_philia_window_show_banner (PhiliaWindow *self,
                            const char   *message)
{
  gtk_label_set_text (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

void
_philia_window_dismiss_banner (PhiliaWindow *self)
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
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  /* Shown sliding down; gone at once when the load ends, in the frame that
   * shows what was loaded, not sliding away after it. (A duration of 0, not
   * the transition NONE, with which a revealer keeps its child's height.) */
  gtk_revealer_set_transition_duration (self->progress_revealer, loading ? 250 : 0);
  gtk_revealer_set_reveal_child (self->progress_revealer, loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", loading);

  if (self->loading != loading)
    {
      self->loading = loading;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
}

static gboolean
pulse_cb (gpointer user_data)
{
  gtk_progress_bar_pulse (PHILIA_WINDOW (user_data)->progress_bar);
  return G_SOURCE_CONTINUE;
}

/*
 * A dataset's reading ends at nine tenths; building the graph (sorting 10^7
 * edges, the sanity report) took seconds more with a bar standing still,
 * nearly full, as if the load were over and something had hung. That stage
 * has no measure of its own, so the bar says what happens and pulses.
 */
static void
load_progress_cb (PhiliaProgress *progress,
                  GParamSpec     *pspec,
                  PhiliaWindow   *self)
{
  g_autofree char *text = NULL;

  if (!self->load_builds || self->pulse_id != 0 || philia_progress_get_fraction (progress) < 0.9)
    return;
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  /* Translators: shown beside the progress bar once the file is read; %s is a file name */
  text = g_strdup_printf (_("Building the graph of %s…"), self->load_name);
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_pulse_step (self->progress_bar, 0.1);
  gtk_progress_bar_pulse (self->progress_bar);
  self->pulse_id = g_timeout_add (150, pulse_cb, self);
}

/* Cancels the load in flight (if any) and prepares a fresh one. */
guint
_philia_window_begin_load (PhiliaWindow *self,
                           const char   *name)
{
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  g_clear_object (&self->progress);

  self->load_serial++;
  self->load_started_us = g_get_monotonic_time ();
  self->load_cancellable = g_cancellable_new ();
  self->progress = philia_progress_new ();
  self->progress_binding = g_object_bind_property (self->progress, "fraction",
                                                   self->progress_bar, "fraction",
                                                   G_BINDING_DEFAULT);
  g_signal_connect_object (self->progress, "notify::fraction", G_CALLBACK (load_progress_cb),
                           self, 0);
  g_free (self->load_name);
  self->load_name = g_strdup (name);
  self->load_builds = FALSE;
  set_loading (self, name);

  return self->load_serial;
}

void
_philia_window_end_load (PhiliaWindow *self)
{
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  g_clear_object (&self->progress);
  g_clear_object (&self->load_cancellable);
  set_loading (self, NULL);
}

/* --- The document ---------------------------------------------------------- */

/* Unsaved changes: the document's, or a restored autosave's. */
gboolean
_philia_window_is_dirty (PhiliaWindow *self)
{
  return self->document != NULL
         && (self->restored || philia_document_get_dirty (self->document));
}

/* Where Save writes, or NULL when it has to ask (Save As). */
const char *
_philia_window_get_project_path (PhiliaWindow *self)
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

char *
_philia_window_dup_title (PhiliaWindow *self)
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

void
_philia_window_update_title (PhiliaWindow *self)
{
  g_autofree char *title = _philia_window_dup_title (self);
  g_autofree char *shown = NULL;
  g_autofree char *subtitle = NULL;

  /* GNOME's mark of unsaved changes: a bullet before the title. */
  shown = _philia_window_is_dirty (self) ? g_strdup_printf ("• %s", title) : g_strdup (title);
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

void
_philia_window_update_actions (PhiliaWindow *self)
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
  _philia_window_update_actions (self);
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
  if (_philia_window_is_dirty (self))
    philia_autosave_schedule (self->autosave);
}

static void
on_document_graph (PhiliaWindow *self)
{
  set_graph (self, philia_document_get_graph (self->document));
  _philia_window_update_actions (self);
}

static void
on_document_path (PhiliaWindow *self)
{
  if (!self->restored)
    philia_autosave_set_project_path (self->autosave, philia_document_get_path (self->document));
  _philia_window_update_title (self);
}

/* The canvas and the panels that know documents get it; until they all do,
 * the others follow the window's graph and selection as before. */
static void
hand_document (PhiliaWindow *self,
               GtkWidget    *widget)
{
  gint64 start = g_get_monotonic_time ();

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "document") != NULL)
    g_object_set (widget, "document", self->document, NULL);
  /* For the debug log: what each part of the window costs an open. */
  g_debug ("Document: %s took it in %.3f s", G_OBJECT_TYPE_NAME (widget),
           (g_get_monotonic_time () - start) / 1e6);
}

void
_philia_window_set_document (PhiliaWindow   *self,
                             PhiliaDocument *document)
{
  gint64 start;

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
  hand_document (self, self->adapt_page);

  /* A selection names nodes of one graph: the document's own comes with it. */
  if (self->selection != NULL)
    g_array_set_size (self->selection, 0);
  start = g_get_monotonic_time ();
  set_graph (self, document != NULL ? philia_document_get_graph (document) : NULL);
  g_debug ("Document: the window's graph set in %.3f s", (g_get_monotonic_time () - start) / 1e6);
  if (document != NULL && philia_document_get_selection (document, NULL) != NULL)
    sync_selection_from_document (self);
  else
    g_signal_emit (self, signals[SELECTION_CHANGED], 0);

  _philia_window_update_title (self);
  update_history (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

/*
 * Shows @document: here, or in a new window when this one's document has
 * work in it (several documents at once, none thrown away). Returns the
 * window that shows it.
 */
PhiliaWindow *
_philia_window_place_document (PhiliaWindow   *self,
                               PhiliaDocument *document)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  PhiliaWindow *target = self;

  /* Work, not mere unsaved state: a selection alone does not keep a
   * document from being replaced. */
  if (self->document != NULL && application != NULL && !self->pristine
      && (self->restored || philia_document_has_work (self->document)))
    target = philia_window_new (application);

  _philia_window_set_document (target, document);
  if (target != self)
    gtk_window_present (GTK_WINDOW (target));
  return target;
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
  if (_philia_window_is_dirty (self) && !self->close_confirmed)
    {
      _philia_window_ask_close (self);
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
philia_window_dispose (GObject *object)
{
  PhiliaWindow *self = PHILIA_WINDOW (object);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  self->load_serial++;   /* a result still in flight finds nothing to update */

  _philia_clear_file_chooser (&self->chooser, self);
  g_clear_pointer (&self->selection, g_array_unref);
  if (self->question != NULL)
    gtk_window_destroy (GTK_WINDOW (self->question));
  if (self->shortcuts != NULL)
    gtk_window_destroy (GTK_WINDOW (self->shortcuts));
  if (self->save_cancellable != NULL)
    g_cancellable_cancel (self->save_cancellable);
  /* An orderly end (a crash never gets here): the copy is not needed. */
  if (self->autosave != NULL)
    philia_autosave_discard (self->autosave);
  if (self->document_signals != NULL)
    g_signal_group_set_target (self->document_signals, NULL);

  /* Before the template: the binding's target is the progress bar. */
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_object (&self->progress);
  g_clear_pointer (&self->load_name, g_free);

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

/* Ctrl+F finds a node from anywhere in the window, not only when the focus
 * is already on the canvas (a keyboard user starts wherever the focus is). */
static gboolean
find_shortcut (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  return gtk_widget_activate_action (GTK_WIDGET (PHILIA_WINDOW (widget)->canvas), "canvas.find",
                                     NULL);
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
  g_type_ensure (PHILIA_TYPE_ADAPT_PAGE);

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
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, adapt_page);
  gtk_widget_class_bind_template_child (widget_class, PhiliaWindow, recent_section);

  _philia_window_class_init_files (widget_class);
  _philia_window_class_init_project (widget_class);
  _philia_window_class_init_dialogs (widget_class);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, find_shortcut, NULL);
}

static void
philia_window_init (PhiliaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _philia_widget_name_controls (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  _philia_window_init_files (self);

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
                                  G_CALLBACK (_philia_window_update_title), self);
  g_signal_group_connect_swapped (self->document_signals, "notify::dirty",
                                  G_CALLBACK (_philia_window_update_title), self);
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
  g_object_bind_property (self, "graph", self->train_panel, "graph", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->train_panel, "current-run-changed",
                           G_CALLBACK (on_train_run_changed), self, 0);
  g_signal_connect (self, "selection-changed", G_CALLBACK (on_train_selection_changed), NULL);
  g_object_bind_property (self, "graph", self->proximity_panel, "graph", G_BINDING_SYNC_CREATE);
  philia_proximity_panel_set_canvas (PHILIA_PROXIMITY_PANEL (self->proximity_panel),
                                     PHILIA_CANVAS (self->canvas));
  g_signal_connect_object (self->proximity_panel, "select-nodes",
                           G_CALLBACK (on_view_select_nodes), self, 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.no-recent-files", FALSE);
  update_history (self);
  _philia_window_update_title (self);
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
philia_window_get_adapt_page (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return self->adapt_page;
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
  _philia_window_end_load (self);

  _philia_window_dismiss_banner (self);
  {
    g_autoptr(PhiliaDocument) document = philia_document_new (graph, NULL, NULL);

    _philia_window_place_document (self, document);
  }
}

/* Says @message in the window's banner, as a failed load does. */
void
philia_window_show_error (PhiliaWindow *self,
                          const char   *message)
{
  g_return_if_fail (PHILIA_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  _philia_window_show_banner (self, message);
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
      _philia_window_show_banner (self, error->message);
      return NULL;
    }

  /* The filtered graph is a new document beside the original. */
  application = gtk_window_get_application (GTK_WINDOW (self));
  target = application != NULL ? philia_window_new (application) : self;
  _philia_window_set_document (target, filtered);
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

  return _philia_window_is_dirty (self);
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
