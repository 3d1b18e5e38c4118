/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-window-private.h"

#include <glib/gi18n.h>

#include "philia-app-private.h"
#include "philia-file-chooser.h"

/* --- File choosers, answerable by tests ------------------------------------ */

typedef struct
{
  PhiliaWindowChooserDone done;
  gpointer                data;
  GDestroyNotify          destroy;
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
  _philia_file_chooser_remember (GTK_FILE_CHOOSER (dialog), file);
  g_clear_object (&self->chooser);

  if (request != NULL)
    {
      request->done (self, file, request->data);
      chooser_request_free (request);
    }
}

/* Shows @native (taking it) and calls @done with the file chosen, or NULL.
 * One chooser at a time: a newer one replaces it. A test answers instead
 * with philia_window_set_chooser_answer(), and the answer's folder is
 * remembered as a chosen one is. */
void
_philia_window_run_chooser (PhiliaWindow            *self,
                            GtkFileChooserNative    *native,
                            PhiliaWindowChooserDone  done,
                            gpointer                 data,
                            GDestroyNotify           destroy)
{
  ChooserRequest *request = g_new0 (ChooserRequest, 1);

  request->done = done;
  request->data = data;
  request->destroy = destroy;

  if (self->chooser_answer != NULL)
    {
      g_autofree char *answer = g_steal_pointer (&self->chooser_answer);
      g_autoptr(GFile) file = *answer != '\0' ? g_file_new_for_path (answer) : NULL;

      _philia_file_chooser_remember (GTK_FILE_CHOOSER (native), file);
      g_object_unref (native);
      done (self, file, data);
      chooser_request_free (request);
      return;
    }

  _philia_clear_file_chooser (&self->chooser, self);
  self->chooser = native;
  g_object_set_data_full (G_OBJECT (native), "philia-request", request,
                          (GDestroyNotify) chooser_request_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect (native, "response", G_CALLBACK (on_project_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* --- Questions: close, locate, open anyway --------------------------------- */

GtkWidget *
_philia_window_new_question (PhiliaWindow *self,
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

void
_philia_window_style_response (GtkWidget  *dialog,
                               int         response,
                               const char *style_class)
{
  GtkWidget *button = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), response);

  if (button != NULL)
    gtk_widget_add_css_class (button, style_class);
}

/* Unlinked from the window first: the window may close before the dialog,
 * still referenced by its own response emission, is finalized. */
void
_philia_window_drop_question (GtkDialog *dialog)
{
  gtk_window_set_transient_for (GTK_WINDOW (dialog), NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
on_close_response (GtkDialog    *dialog,
                   int           response,
                   PhiliaWindow *self)
{
  _philia_window_drop_question (dialog);

  switch (response)
    {
    case GTK_RESPONSE_ACCEPT:
      self->close_after_save = TRUE;
      _philia_window_save_action (GTK_WIDGET (self), "win.save", NULL);
      break;

    case GTK_RESPONSE_REJECT:
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
      break;

    default:
      break;   /* Cancel: nothing happens */
    }
}

void
_philia_window_ask_close (PhiliaWindow *self)
{
  g_autofree char *title = _philia_window_dup_title (self);
  g_autofree char *primary = NULL;
  GtkWidget *dialog;

  /* Translators: %s is the analysis' title, e.g. "cora.philia" */
  primary = g_strdup_printf (_("Save changes to “%s” before closing?"), title);
  dialog = _philia_window_new_question (self, primary,
                                        _("If you close without saving, the changes since "
                                          "the last save are lost."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("_Discard"), GTK_RESPONSE_REJECT,
                          _("_Save"), GTK_RESPONSE_ACCEPT, NULL);
  _philia_window_style_response (dialog, GTK_RESPONSE_REJECT, "destructive-action");
  _philia_window_style_response (dialog, GTK_RESPONSE_ACCEPT, "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_signal_connect (dialog, "response", G_CALLBACK (on_close_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- A project's dataset: locate it, or open anyway ------------------------ */

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
    _philia_window_open_project (self, retry->file, path, retry->flags);
}

static void
on_project_question_response (GtkDialog    *dialog,
                              int           response,
                              PhiliaWindow *self)
{
  ProjectRetry *retry = g_object_steal_data (G_OBJECT (dialog), "philia-retry");
  gboolean locate = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "philia-locate"));

  _philia_window_drop_question (dialog);
  if (retry == NULL)
    return;

  if (response == GTK_RESPONSE_ACCEPT && locate)
    {
      GtkFileChooserNative *chooser;

      chooser = _philia_window_new_dataset_chooser (self, _("Locate the Dataset"));
      _philia_window_run_chooser (self, chooser, dataset_located, retry,
                                  (GDestroyNotify) project_retry_free);
      return;
    }
  if (response == GTK_RESPONSE_ACCEPT)
    _philia_window_open_project (self, retry->file, retry->dataset_path,
                                 retry->flags | PHILIA_PROJECT_OPEN_IGNORE_CHECKSUM);
  project_retry_free (retry);
}

/* The project's dataset is missing (offer to locate it) or changed since
 * the project was saved (offer to open anyway). */
void
_philia_window_ask_about_dataset (PhiliaWindow *self,
                                  LoadRequest  *request,
                                  const GError *error)
{
  gboolean locate = error->code == PHILIA_PROJECT_ERROR_DATASET_MISSING;
  GtkWidget *dialog;

  dialog = _philia_window_new_question (self,
                                        locate ? _("The dataset of this analysis is missing")
                                        : _("The dataset changed since this analysis was saved"),
                                        error->message);
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          locate ? _("_Locate…") : _("_Open Anyway"), GTK_RESPONSE_ACCEPT,
                          NULL);
  _philia_window_style_response (dialog, GTK_RESPONSE_ACCEPT, "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_object_set_data (G_OBJECT (dialog), "philia-locate", GINT_TO_POINTER (locate));
  g_object_set_data_full (G_OBJECT (dialog), "philia-retry", project_retry_new (request),
                          (GDestroyNotify) project_retry_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_project_question_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- Keyboard shortcuts ------------------------------------------------------ */

/*
 * The shortcuts window is built when asked for and destroyed when closed.
 * GtkApplication's automatic help overlay (a gtk/help-overlay.ui resource)
 * would instead keep a hidden GtkShortcutsWindow per window for the whole
 * run, and GTK 4.8's AT-SPI root answers GetChildAtIndex past its last
 * shown window with the last toplevel, shown or not: for a hidden one, whose
 * accessible has no object path, the reply crashes the app (HACKING.md,
 * "Accessibility"). So no window of Philia's stays alive hidden.
 */
static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PhiliaWindow *self = PHILIA_WINDOW (widget);
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  if (self->shortcuts != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->shortcuts));
      return;
    }
  builder = gtk_builder_new_from_resource ("/io/github/philia/Philia/philia-shortcuts.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (self));
  gtk_window_set_hide_on_close (shortcuts, FALSE);
  gtk_window_set_destroy_with_parent (shortcuts, TRUE);
  self->shortcuts = GTK_WIDGET (shortcuts);
  g_object_add_weak_pointer (G_OBJECT (shortcuts), (gpointer *) &self->shortcuts);
  gtk_window_present (shortcuts);
}

/* The shortcuts window while it is shown, else NULL (for tests). */
GtkWindow *
philia_window_get_shortcuts_window (PhiliaWindow *self)
{
  g_return_val_if_fail (PHILIA_IS_WINDOW (self), NULL);

  return self->shortcuts != NULL ? GTK_WINDOW (self->shortcuts) : NULL;
}

void
_philia_window_class_init_dialogs (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   show_shortcuts_action);
}
