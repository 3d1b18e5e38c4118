/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-model-save.h"

#include <glib/gi18n.h>

#include "philia-app-private.h"
#include "philia-file-chooser.h"
#include "philia-window-private.h"

typedef struct
{
  PhiliaSavedModel *model;
  GtkWidget        *widget;   /* weak: where errors go */
} SaveJob;

gboolean
_philia_model_save_run (const PhiliaTrainResult *result,
                        PhiliaGraph             *graph,
                        const char              *path,
                        GError                 **error)
{
  g_autoptr(PhiliaSavedModel) model = NULL;

  g_return_val_if_fail (result != NULL && PHILIA_IS_GRAPH (graph) && path != NULL, FALSE);

  model = philia_saved_model_new_from_run (result, graph, error);
  return model != NULL && philia_saved_model_save (model, path, error);
}

static void
save_job_free (SaveJob *job)
{
  g_clear_weak_pointer (&job->widget);
  philia_saved_model_free (job->model);
  g_free (job);
}

static void
save_to (SaveJob *job,
         GFile   *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path != NULL && !g_str_has_suffix (path, PHILIA_MODEL_EXTENSION))
    {
      char *named = g_strconcat (path, PHILIA_MODEL_EXTENSION, NULL);

      g_free (path);
      path = named;
    }
  if (path != NULL && !philia_saved_model_save (job->model, path, &error)
      && job->widget != NULL)
    _philia_widget_show_error (job->widget, _("Could not save the model"), error);
}

/* Through the window: its chooser (and the answer a test gives it). */
static void
on_window_chosen (PhiliaWindow *window,
                  GFile        *file,
                  gpointer      data)
{
  save_to (data, file);
}

static void
on_response (GtkNativeDialog *dialog,
             int              response,
             SaveJob         *job)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  _philia_file_chooser_remember (GTK_FILE_CHOOSER (dialog), file);
  save_to (job, file);
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
_philia_model_save_dialog (GtkWidget               *widget,
                           const PhiliaTrainResult *result,
                           PhiliaGraph             *graph)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = NULL;
  g_autoptr(PhiliaSavedModel) model = NULL;
  g_autoptr(GError) error = NULL;
  GtkFileChooserNative *chooser;
  SaveJob *job;

  g_return_if_fail (result != NULL && PHILIA_IS_GRAPH (graph));

  /* Taken now: the run may be deleted while the chooser is up. */
  model = philia_saved_model_new_from_run (result, graph, &error);
  if (model == NULL)
    {
      _philia_widget_show_error (widget, _("Could not save the model"), error);
      return;
    }
  chooser = gtk_file_chooser_native_new (_("Save Model"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  _philia_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), _("Philia models"),
                                   (const char *[]) { "*" PHILIA_MODEL_EXTENSION, NULL });
  _philia_file_chooser_start (GTK_FILE_CHOOSER (chooser), "exports");
  name = g_strdup_printf ("%s%s", result->model, PHILIA_MODEL_EXTENSION);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  job = g_new0 (SaveJob, 1);
  job->model = g_steal_pointer (&model);
  g_set_weak_pointer (&job->widget, widget);
  if (PHILIA_IS_WINDOW (root))
    {
      _philia_window_run_chooser (PHILIA_WINDOW (root), chooser, on_window_chosen, job,
                                  (GDestroyNotify)save_job_free);
      return;
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_data (chooser, "response", G_CALLBACK (on_response), job,
                         (GClosureNotify)(void (*) (void))save_job_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

