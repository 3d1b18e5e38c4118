/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-file-chooser.h"

#define FOLDERS_KEY "chooser-folders"

static GFile *last_start;

static gboolean
is_folder (GFile *file)
{
  return file != NULL
         && g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY;
}

/**
 * _philia_file_chooser_dup_start_folder:
 * @purpose: what the chooser is for ("datasets", "projects", "exports")
 *
 * The folder last used for @purpose if it still exists, else the documents
 * folder, else home: a chooser left to itself opens in the working
 * directory, which for a program started from a terminal is anywhere.
 *
 * Returns: (transfer full): a folder
 */
GFile *
_philia_file_chooser_dup_start_folder (const char *purpose)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GVariant) folders = g_settings_get_value (settings, FOLDERS_KEY);
  const char *uri = NULL;
  const char *documents;

  g_return_val_if_fail (purpose != NULL, NULL);

  if (g_variant_lookup (folders, purpose, "&s", &uri))
    {
      g_autoptr(GFile) last = g_file_new_for_uri (uri);

      if (is_folder (last))
        return g_steal_pointer (&last);
    }
  documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  if (documents != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (documents);

      if (is_folder (folder))
        return g_steal_pointer (&folder);
    }
  return g_file_new_for_path (g_get_home_dir ());
}

/* Starts @chooser in the folder for @purpose, which it keeps for remember(). */
void
_philia_file_chooser_start (GtkFileChooser *chooser,
                            const char     *purpose)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GTK_IS_FILE_CHOOSER (chooser));
  g_return_if_fail (purpose != NULL);

  folder = _philia_file_chooser_dup_start_folder (purpose);
  if (!gtk_file_chooser_set_current_folder (chooser, folder, &error))
    g_debug ("Cannot start a file chooser in its folder: %s", error->message);
  g_object_set_data_full (G_OBJECT (chooser), "philia-purpose", g_strdup (purpose), g_free);
  g_set_object (&last_start, folder);
}

/* The folder of @chosen becomes where the next chooser for the same purpose
 * starts. A chooser that was not started by _philia_file_chooser_start() is
 * left alone. */
void
_philia_file_chooser_remember (GtkFileChooser *chooser,
                               GFile          *chosen)
{
  const char *purpose;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GVariant) old = NULL;
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  g_autofree char *uri = NULL;
  GVariantIter iter;
  const char *key, *value;

  g_return_if_fail (GTK_IS_FILE_CHOOSER (chooser));

  purpose = g_object_get_data (G_OBJECT (chooser), "philia-purpose");
  if (purpose == NULL || chosen == NULL)
    return;
  folder = g_file_get_parent (chosen);
  if (folder == NULL)
    return;

  uri = g_file_get_uri (folder);
  settings = g_settings_new (APPLICATION_ID);
  old = g_settings_get_value (settings, FOLDERS_KEY);
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (!g_str_equal (key, purpose))
      g_variant_builder_add (&builder, "{ss}", key, value);
  g_variant_builder_add (&builder, "{ss}", purpose, uri);
  g_settings_set_value (settings, FOLDERS_KEY, g_variant_builder_end (&builder));
}

GFile *
_philia_file_chooser_get_last_start (void)
{
  return last_start;
}
