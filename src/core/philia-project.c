/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-document.h"

#include "philia-core.h"
#include "philia-document-private.h"

/*
 * Project files (.philia): a zip whose first member is the JSON manifest
 * philia-project.json, followed by .npy members for the arrays (positions,
 * selection, split masks, each run's curves, predictions, weights, …).
 * HACKING.md §16 describes the format.
 */

struct _PhiliaDocumentSnapshot
{
  int placeholder;
};

G_DEFINE_QUARK (philia-project-error-quark, philia_project_error)

PhiliaDocument *
philia_document_open_bytes (GBytes                 *bytes,
                            const char             *display_name,
                            const char             *base_dir,
                            const char             *dataset_path,
                            PhiliaProjectOpenFlags  flags,
                            GCancellable           *cancellable,
                            GError                **error)
{
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
               "%s: project files are not implemented yet.", display_name);
  return NULL;
}

PhiliaDocument *
philia_document_open (const char             *path,
                      const char             *dataset_path,
                      PhiliaProjectOpenFlags  flags,
                      GCancellable           *cancellable,
                      GError                **error)
{
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
               "%s: project files are not implemented yet.", path);
  return NULL;
}

void
philia_document_open_async (const char             *path,
                            const char             *dataset_path,
                            PhiliaProjectOpenFlags  flags,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  g_task_report_new_error (NULL, callback, user_data, philia_document_open_async,
                           PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                           "%s: project files are not implemented yet.", path);
}

PhiliaDocument *
philia_document_open_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

PhiliaDocumentSnapshot *
philia_document_snapshot (PhiliaDocument *self)
{
  return g_new0 (PhiliaDocumentSnapshot, 1);
}

void
philia_document_snapshot_free (PhiliaDocumentSnapshot *snapshot)
{
  g_free (snapshot);
}

gboolean
philia_document_snapshot_write (PhiliaDocumentSnapshot *snapshot,
                                const char             *path,
                                GCancellable           *cancellable,
                                GError                **error)
{
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
               "%s: project files are not implemented yet.", path);
  return FALSE;
}

gboolean
philia_document_save (PhiliaDocument *self,
                      const char     *path,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(PhiliaDocumentSnapshot) snapshot = philia_document_snapshot (self);

  if (!philia_document_snapshot_write (snapshot, path, cancellable, error))
    return FALSE;
  _philia_document_mark_saved (self, path);
  return TRUE;
}

void
philia_document_save_async (PhiliaDocument      *self,
                            const char          *path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_task_report_new_error (self, callback, user_data, philia_document_save_async,
                           PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                           "%s: project files are not implemented yet.", path);
}

gboolean
philia_document_save_finish (PhiliaDocument *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
philia_document_write_json (PhiliaDocument *self,
                            PhiliaJson     *json)
{
  philia_json_key (json, "project");
  philia_json_begin_object (json);
  philia_json_member_int (json, "format_version", PHILIA_PROJECT_FORMAT_VERSION);
  philia_json_end_object (json);
}

gboolean
philia_project_sniff (const guint8 *data,
                      gsize         size)
{
  return FALSE;
}
