/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "philia-app-private.h"
#include "philia-canvas.h"
#include "philia-file-chooser.h"
#include "philia-filter-dialog.h"

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
  _philia_window_update_actions (self);

  if (request->document != self->document)
    return;   /* the window moved on; the file is written all the same */

  if (!ok)
    {
      self->close_after_save = FALSE;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _philia_window_show_banner (self, error->message);   /* the document stays as it was */
      return;
    }

  self->restored = FALSE;
  g_clear_pointer (&self->restored_path, g_free);
  philia_autosave_set_project_path (self->autosave, request->path);
  /* Changes made while the file was written keep their copy. */
  if (!_philia_window_is_dirty (self))
    philia_autosave_discard (self->autosave);
  {
    g_autoptr(GFile) file = g_file_new_for_path (request->path);

    _philia_window_add_recent (self, file, NULL);
  }
  _philia_window_update_title (self);

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

  /* The view the canvas shows, not the one written before its last pause. */
  philia_canvas_commit_view (PHILIA_CANVAS (self->canvas));
  self->saving = TRUE;
  _philia_window_update_actions (self);
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
  const char *project = _philia_window_get_project_path (self);
  const char *dataset = philia_document_get_dataset_path (self->document);
  g_autofree char *base = NULL;
  char *dot;

  if (project != NULL)
    return g_path_get_basename (project);
  if (dataset != NULL)
    base = g_path_get_basename (dataset);
  else
    base = _philia_window_dup_title (self);
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
  _philia_file_chooser_start (GTK_FILE_CHOOSER (native), "projects");
  /* A saved analysis is saved again beside itself. */
  project = _philia_window_get_project_path (self);
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
  _philia_window_run_chooser (self, native, save_as_chosen, NULL, NULL);
}

void
_philia_window_save_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  PhiliaWindow *self = PHILIA_WINDOW (widget);
  const char *path = _philia_window_get_project_path (self);

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
  _philia_window_end_load (self);

  if (document != NULL)
    {
      _philia_window_dismiss_banner (self);
      _philia_window_place_document (self, document);
      _philia_window_add_recent (self, request->file, NULL);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Open cancelled");
  else if (g_error_matches (error, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_DATASET_MISSING)
           || g_error_matches (error, PHILIA_PROJECT_ERROR,
                               PHILIA_PROJECT_ERROR_DATASET_CHANGED))
    _philia_window_ask_about_dataset (self, request, error);
  else
    _philia_window_show_banner (self, error->message);   /* the current document stays */
}

void
_philia_window_open_project (PhiliaWindow           *self,
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

      _philia_window_show_banner (self, message);
      return;
    }

  request = g_new0 (LoadRequest, 1);
  request->self = g_object_ref (self);
  request->file = g_object_ref (file);
  request->dataset_path = g_strdup (dataset_path);
  request->flags = flags;
  request->serial = _philia_window_begin_load (self, name);
  philia_document_open_async (path, dataset_path, flags, self->load_cancellable,
                              open_project_cb, request);
}

/* A .philia file, or a file that starts like one whatever its name. */
gboolean
_philia_window_is_project_file (GFile *file)
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
      PhiliaWindow *target = _philia_window_place_document (self, document);

      /* Unsaved, and saved where it was saved before the crash; never
       * replaced by the next Open. */
      target->restored = TRUE;
      target->pristine = FALSE;
      target->restored_path = g_strdup (request->entry->project_path);
      philia_autosave_set_project_path (target->autosave, target->restored_path);
      _philia_window_update_title (target);
      /* The old copy goes; this process keeps a new one from now on. */
      philia_autosave_entry_delete (request->entry);
      philia_autosave_write_now (target->autosave);
    }
  else
    {
      /* Translators: %s says why, a sentence */
      g_autofree char *message = g_strdup_printf (_("Could not restore an unsaved analysis: %s"),
                                                  error->message);

      _philia_window_show_banner (self, message);
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
       * each in its own window (_philia_window_place_document). */
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

void
_philia_window_class_init_project (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.save", NULL, _philia_window_save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.filter", NULL, filter_action);
  gtk_widget_class_install_action (widget_class, "win.restore-autosaves", NULL,
                                   restore_autosaves_action);
  gtk_widget_class_install_action (widget_class, "win.discard-autosaves", NULL,
                                   discard_autosaves_action);
}
