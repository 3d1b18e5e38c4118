/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-plugins"

#include "config.h"

#include <glib/gi18n-lib.h>
#include "philia-install-paths.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "philia-core.h"
#include "philia-enums.h"
#include "philia-plugin.h"

/* The header plugins compile against and the number meson gives the loader
 * must never drift apart. */
G_STATIC_ASSERT (PHILIA_PLUGIN_ABI == PHILIA_PLUGIN_ABI_VERSION);

#define PLUGIN_GROUP "Plugin"

const char *
philia_plugin_status_to_string (PhiliaPluginStatus status)
{
  const char *nick = philia_enum_to_nick (PHILIA_TYPE_PLUGIN_STATUS, status);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

void
philia_plugin_info_free (PhiliaPluginInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->name);
  g_free (info->description);
  g_strfreev (info->authors);
  g_free (info->version);
  g_free (info->file);
  g_free (info->module_file);
  g_free (info->reason);
  g_strfreev (info->families);
  g_strfreev (info->algorithms);
  g_free (info);
}

G_GNUC_PRINTF (2, 3)
static void
refuse (PhiliaPluginInfo *info,
        const char       *format,
        ...)
{
  va_list args;

  g_assert (info->reason == NULL);
  va_start (args, format);
  info->status = PHILIA_PLUGIN_REFUSED;
  info->reason = g_strdup_vprintf (format, args);
  va_end (args);
}

/* Module= and X-Philia-ABI= are read as written; Name= and Description=
 * in the user's language when the keyfile has it. */
static char *
get_string (GKeyFile   *keyfile,
            const char *key,
            gboolean    localized)
{
  char *value;

  if (localized)
    value = g_key_file_get_locale_string (keyfile, PLUGIN_GROUP, key, NULL, NULL);
  else
    value = g_key_file_get_string (keyfile, PLUGIN_GROUP, key, NULL);
  if (value != NULL)
    g_strstrip (value);
  return value;
}

/* Replaces *@field by @value unless @value is missing or empty. */
static void
take_nonempty (char **field,
               char  *value)
{
  if (value == NULL || value[0] == '\0')
    {
      g_free (value);
      return;
    }
  g_free (*field);
  *field = value;
}

/* Fills the keyfile fields of @info; returns FALSE (and refuses @info) when
 * the keyfile cannot say which module to open or which ABI it was built for. */
static gboolean
read_keyfile (PhiliaPluginInfo *info,
              const char       *dir)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *module = NULL;
  g_autofree char *abi = NULL;
  gint64 abi_value;

  if (!g_key_file_load_from_file (keyfile, info->file, G_KEY_FILE_NONE, &local_error))
    {
      refuse (info, _ ("Plugin file %s cannot be read: %s"), info->file, local_error->message);
      return FALSE;
    }
  if (!g_key_file_has_group (keyfile, PLUGIN_GROUP))
    {
      refuse (info, "Plugin file %s has no [" PLUGIN_GROUP "] group.", info->file);
      return FALSE;
    }

  module = get_string (keyfile, "Module", FALSE);
  if (module != NULL && module[0] != '\0')
    {
      g_free (info->id);
      info->id = g_strdup (module);
    }
  take_nonempty (&info->name, get_string (keyfile, "Name", TRUE));
  take_nonempty (&info->description, get_string (keyfile, "Description", TRUE));
  take_nonempty (&info->version, get_string (keyfile, "Version", FALSE));
  {
    char **authors = g_key_file_get_string_list (keyfile, PLUGIN_GROUP, "Authors", NULL, NULL);

    if (authors != NULL)
      {
        g_strfreev (info->authors);
        info->authors = authors;
      }
  }
  abi = get_string (keyfile, "X-Philia-ABI", FALSE);

  if (abi == NULL || abi[0] == '\0')
    {
      refuse (info, _ ("Plugin “%s” does not declare X-Philia-ABI in %s."), info->id, info->file);
      return FALSE;
    }
  if (!g_ascii_string_to_signed (abi, 10, G_MININT, G_MAXINT, &abi_value, NULL))
    {
      refuse (info, _ ("Plugin “%s” has X-Philia-ABI=“%s” in %s, which is not an integer."),
              info->id, abi, info->file);
      return FALSE;
    }
  info->abi = (int)abi_value;
  if (info->abi != PHILIA_PLUGIN_ABI)
    {
      refuse (info, _ ("Plugin “%s” was built for ABI %d, this Philia has ABI %d."),
              info->id, info->abi, PHILIA_PLUGIN_ABI);
      return FALSE;
    }
  if (module == NULL || module[0] == '\0')
    {
      refuse (info, _ ("Plugin file %s has no Module= key, so there is nothing to load."),
              info->file);
      return FALSE;
    }
  /* A path would let a keyfile load code from outside the plugin directory. */
  if (strchr (module, G_DIR_SEPARATOR) != NULL || g_str_equal (module, "..")
      || g_str_equal (module, "."))
    {
      refuse (info, _ ("Plugin “%s” has Module=“%s” in %s, which must be a bare name."),
              info->id, module, info->file);
      return FALSE;
    }
  {
    g_autofree char *basename = g_strconcat (module, "." G_MODULE_SUFFIX, NULL);

    info->module_file = g_build_filename (dir, basename, NULL);
  }
  return TRUE;
}

static PhiliaPluginInfo *
info_new (const char *file)
{
  PhiliaPluginInfo *info = g_new0 (PhiliaPluginInfo, 1);
  g_autofree char *basename = g_path_get_basename (file);

  /* Until the keyfile names its module, the file name is the best id. */
  if (g_str_has_suffix (basename, ".plugin"))
    basename[strlen (basename) - strlen (".plugin")] = '\0';
  info->id = g_steal_pointer (&basename);
  info->file = g_strdup (file);
  info->name = g_strdup (info->id);
  info->description = g_strdup ("");
  info->version = g_strdup ("");
  info->authors = g_new0 (char *, 1);
  info->families = g_new0 (char *, 1);
  info->algorithms = g_new0 (char *, 1);
  info->abi = -1;
  info->status = PHILIA_PLUGIN_LOADED;
  return info;
}

/* Opens the module, runs its entry point against a staging registry and, if
 * it succeeds, moves what it registered into @registry in one
 * philia_registry_add_all() call: either all of the plugin's algorithms are
 * registered or none are. */
static void
load_module (PhiliaPluginInfo *info,
             PhiliaRegistry   *registry)
{
  g_autoptr(PhiliaRegistry) staging = NULL;
  g_autoptr(GArray) algorithms = NULL;
  g_autoptr(GPtrArray) families = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) local_error = NULL;
  PhiliaPluginEntry entry = NULL;
  GModule *module;

  if (!g_file_test (info->module_file, G_FILE_TEST_EXISTS))
    {
      refuse (info, _ ("Plugin “%s” names the module %s, which does not exist."),
              info->id, info->module_file);
      return;
    }

  /* LOCAL: two plugins' private symbols must not clash; LAZY: an unresolved
   * function the plugin never calls should not stop it from loading. */
  module = g_module_open (info->module_file, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      refuse (info, _ ("Plugin “%s” cannot be opened: %s."), info->id, g_module_error ());
      return;
    }
  if (!g_module_symbol (module, PHILIA_PLUGIN_ENTRY_SYMBOL, (gpointer *)&entry)
      || entry == NULL)
    {
      refuse (info, _ ("Plugin “%s” does not export the entry point %s()."),
              info->id, PHILIA_PLUGIN_ENTRY_SYMBOL);
      g_module_close (module);
      return;
    }

  /* Once its code has run, a plugin may have registered types or handed out
   * pointers into itself: unloading it again is never safe. */
  g_module_make_resident (module);

  staging = philia_registry_new ();
  if (!entry (staging, info->id, &local_error))
    {
      if (local_error != NULL)
        refuse (info, _ ("Plugin “%s” failed to start: %s"), info->id, local_error->message);
      else
        refuse (info, _ ("Plugin “%s” failed to start and gave no reason."), info->id);
      return;
    }
  if (local_error != NULL)
    {
      refuse (info, _ ("Plugin “%s” reported success but set an error: %s"),
              info->id, local_error->message);
      return;
    }

  algorithms = g_array_new (FALSE, FALSE, sizeof (PhiliaAlgorithm));
  families = g_ptr_array_new ();
  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint f = 0; f < PHILIA_N_FAMILIES; f++)
    {
      g_autoptr(GPtrArray) list = philia_registry_list (staging, f);

      for (guint i = 0; i < list->len; i++)
        {
          PhiliaAlgorithm algorithm = *(const PhiliaAlgorithm *)list->pdata[i];

          /* The provider is who the loader says it is, whatever the plugin wrote. */
          algorithm.provider = info->id;
          g_array_append_val (algorithms, algorithm);
          g_ptr_array_add (ids, g_strdup (algorithm.id));
        }
      if (list->len > 0)
        g_ptr_array_add (families, (gpointer)philia_family_to_string (f));
    }

  if (!philia_registry_add_all (registry, (const PhiliaAlgorithm *)algorithms->data,
                                algorithms->len, &local_error))
    {
      refuse (info, _ ("Plugin “%s” was refused: %s"), info->id, local_error->message);
      return;
    }

  g_ptr_array_add (families, NULL);
  g_strfreev (info->families);
  info->families = g_strdupv ((char **)families->pdata);
  g_ptr_array_add (ids, NULL);
  g_strfreev (info->algorithms);
  info->algorithms = (char **)g_ptr_array_free (g_steal_pointer (&ids), FALSE);
  info->status = PHILIA_PLUGIN_LOADED;
}

static gboolean
find_info (GPtrArray                *infos,
           const char               *id,
           const PhiliaPluginInfo  **found)
{
  for (guint i = 0; i < infos->len; i++)
    {
      const PhiliaPluginInfo *info = infos->pdata[i];

      if (g_str_equal (info->id, id))
        {
          *found = info;
          return TRUE;
        }
    }
  return FALSE;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* Lists the *.plugin files of @dir, sorted so the load order is stable. A
 * missing directory is normal (most of the search path usually is). */
static GPtrArray *
list_keyfiles (const char  *dir,
               GError     **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) handle = g_dir_open (dir, 0, &local_error);
  const char *name;

  if (handle == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
          || g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
        return g_steal_pointer (&files);
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO,
                   _ ("Plugin directory %s cannot be read: %s"), dir, local_error->message);
      return NULL;
    }
  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, ".plugin") && name[0] != '.')
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (files, compare_paths);
  return g_steal_pointer (&files);
}

/* One key per directory, however it is spelled: its real path when it
 * exists (symbolic links resolved), else the canonical spelling. */
static char *
same_dir_key (const char *dir)
{
  char *real = realpath (dir, NULL);
  char *key;

  if (real == NULL)
    return g_canonicalize_filename (dir, NULL);
  key = g_strdup (real);
  free (real);
  return key;
}

/*
 * Where the plugins built with this Philia are: the build tree's plugins/
 * when the running program is itself in a meson build tree (the app and
 * philia-cli run from build/src/…, the tests from build/tests/…), else the
 * installed plugin directory. The build tree is recognised by its
 * meson-private/ directory a few levels above the executable, so neither a
 * variable nor the build path compiled into the binary is needed, and an
 * installed program never looks into a build tree.
 */
static char *
system_plugin_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe != NULL ? g_path_get_dirname (exe) : NULL;

  /* build/src/cli/philia-cli is two levels below the build root; allow one more. */
  for (guint up = 0; dir != NULL && g_path_is_absolute (dir) && up < 4; up++)
    {
      g_autofree char *marker = g_build_filename (dir, "meson-private", NULL);
      g_autofree char *plugins = g_build_filename (dir, "plugins", NULL);
      char *parent;

      if (g_file_test (marker, G_FILE_TEST_IS_DIR) && g_file_test (plugins, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&plugins);
      parent = g_path_get_dirname (dir);
      if (g_str_equal (parent, dir))
        {
          g_free (parent);
          break;
        }
      g_free (dir);
      dir = parent;
    }
  /* An installed program looks beside itself first: the same relative path
   * from the bindir to the plugin dir holds in a DESTDIR staging tree or a
   * prefix that was moved, where the configured absolute path does not. */
  if (exe != NULL)
    {
      g_autofree char *bindir = g_path_get_dirname (exe);
      g_autofree char *relative = g_build_filename (bindir, PHILIA_PLUGINDIR_FROM_BINDIR, NULL);
      g_autofree char *beside = g_canonicalize_filename (relative, NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&beside);
    }
  return g_strdup (PHILIA_PLUGINDIR);
}

static GStrv strv_from_settings (const char *key);

static GStrv
default_search_path (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *user_dir = g_build_filename (g_get_user_data_dir (), "philia", "plugins",
                                                NULL);
  g_autofree char *system_dir = system_plugin_dir ();
  const char *env = g_getenv ("PHILIA_PLUGIN_PATH");
  g_auto(GStrv) folders = NULL;

  if (env != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (parts[i][0] != '\0')
          g_strv_builder_add (builder, parts[i]);
    }
  /* The Preferences window's folders. */
  folders = strv_from_settings (PHILIA_PLUGINS_FOLDERS_KEY);
  for (guint i = 0; folders != NULL && folders[i] != NULL; i++)
    if (folders[i][0] != '\0')
      g_strv_builder_add (builder, folders[i]);
  g_strv_builder_add (builder, user_dir);
  g_strv_builder_add (builder, system_dir);
  return g_strv_builder_end (builder);
}

/**
 * philia_plugins_load:
 * @registry: where loaded plugins register their algorithms
 * @search_path: (nullable): directories to search in order; %NULL means
 *   $PHILIA_PLUGIN_PATH (colon-separated), then the folders of the GSettings
 *   key plugin-folders (when the app's schema is installed), then the user data dir's
 *   philia/plugins, then the installed plugin directory (the build tree's
 *   plugins/ instead when the program runs from a meson build tree)
 * @disabled_ids: (nullable): plugin ids not to load (reported as disabled)
 * @infos: (out) (optional): a #PhiliaPluginInfo per *.plugin file found,
 *   in search order
 * @error: set when a directory on the path exists but cannot be read
 *
 * Reads every *.plugin keyfile on the path and loads the plugins it may. A
 * plugin is refused, with a one-sentence reason in its info, for a missing,
 * malformed or mismatched X-Philia-ABI, a missing Module= or module file, a
 * module that cannot be opened, a missing entry point, an entry point that
 * fails, or an algorithm id that is already registered; a refused plugin
 * registers nothing. When two directories hold the same plugin id, the first
 * one found wins and the later one is refused. Call on the main thread.
 *
 * Returns: %FALSE with @error if some directory could not be read (every
 *   readable one is still loaded and reported in @infos)
 */
gboolean
philia_plugins_load (PhiliaRegistry      *registry,
                     const char * const  *search_path,
                     const char * const  *disabled_ids,
                     GPtrArray          **infos,
                     GError             **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GHashTable) searched = NULL;
  g_auto(GStrv) default_path = NULL;
  g_autoptr(GError) dir_error = NULL;

  g_return_val_if_fail (registry != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_module_supported ())
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   _ ("This system cannot load plugins."));
      return FALSE;
    }

  if (search_path == NULL)
    {
      default_path = default_search_path ();
      search_path = (const char * const *)default_path;
    }

  found = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_plugin_info_free);
  searched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint d = 0; search_path[d] != NULL; d++)
    {
      g_autoptr(GPtrArray) files = NULL;
      char *key = same_dir_key (search_path[d]);

      /* A directory named twice (the build tree's plugins/ in
       * $PHILIA_PLUGIN_PATH too) is searched once: its plugins are not
       * refused as their own shadows. */
      if (!g_hash_table_add (searched, key))
        continue;
      files = list_keyfiles (search_path[d], dir_error ? NULL : &dir_error);
      if (files == NULL)
        continue;
      for (guint i = 0; i < files->len; i++)
        {
          g_autoptr(PhiliaPluginInfo) info = info_new (files->pdata[i]);
          const PhiliaPluginInfo *first = NULL;

          if (!read_keyfile (info, search_path[d]))
            ;
          else if (find_info (found, info->id, &first))
            refuse (info, _ ("Plugin “%s” in %s is ignored: %s was found first."),
                    info->id, info->file, first->file);
          else if (disabled_ids != NULL
                   && g_strv_contains ((const char * const *)disabled_ids, info->id))
            {
              info->status = PHILIA_PLUGIN_DISABLED;
              info->reason = g_strdup_printf ("Plugin “%s” is disabled.", info->id);
            }
          else
            load_module (info, registry);
          g_ptr_array_add (found, g_steal_pointer (&info));
        }
    }

  if (infos != NULL)
    *infos = g_steal_pointer (&found);
  if (dir_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&dir_error));
      return FALSE;
    }
  return TRUE;
}

static GStrv
strv_from_settings (const char *key)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  /* The CLI also runs where the app's schema is not installed: then nothing
   * is disabled and no folder is added. */
  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, key))
    return NULL;
  settings = g_settings_new_full (schema, NULL, NULL);
  return g_settings_get_strv (settings, key);
}

static GStrv
disabled_from_settings (void)
{
  return strv_from_settings (PHILIA_PLUGINS_DISABLED_KEY);
}

static GPtrArray *default_infos;

/**
 * philia_plugins_load_default:
 *
 * Loads the plugins on the default search path into the default registry,
 * once per process, leaving out those listed in the GSettings key
 * disabled-plugins (when the application's schema is installed). The app and
 * philia-cli call it at start-up, after philia_core_init(). A directory that
 * cannot be read is logged as a warning; every plugin found is in the result.
 *
 * Returns: (transfer none): the #PhiliaPluginInfo of every plugin found
 */
GPtrArray *
philia_plugins_load_default (void)
{
  GPtrArray **infos = &default_infos;

  if (*infos == NULL)
    {
      g_auto(GStrv) disabled = disabled_from_settings ();
      g_autoptr(GError) error = NULL;

      if (!philia_plugins_load (philia_registry_get_default (), NULL,
                                (const char * const *)disabled, infos, &error))
        g_warning ("%s", error->message);
      if (*infos == NULL)
        *infos = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_plugin_info_free);
    }
  return *infos;
}

/**
 * philia_plugins_load_folder_default:
 * @dir: a folder of plugins (*.plugin keyfiles and their modules)
 * @error: set when @dir cannot be read
 *
 * Loads the plugins of @dir into the default registry at once (the
 * Preferences window calls it for a folder the user adds), appending what it
 * found to the array philia_plugins_load_default() returns. A folder searched
 * already is not searched again; a plugin whose id was found already is
 * refused, as it would be on the search path, and so are disabled ones left
 * out. Call on the main thread.
 *
 * Returns: %FALSE with @error if @dir could not be read
 */
gboolean
philia_plugins_load_folder_default (const char  *dir,
                                    GError     **error)
{
  GPtrArray *known = philia_plugins_load_default ();
  g_autofree char *key = NULL;
  g_autoptr(GStrvBuilder) skip = g_strv_builder_new ();
  g_auto(GStrv) disabled = disabled_from_settings ();
  g_auto(GStrv) skip_ids = NULL;
  g_autoptr(GPtrArray) found = NULL;
  const char *path[] = { dir, NULL };

  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  key = same_dir_key (dir);
  for (guint i = 0; i < known->len; i++)
    {
      const PhiliaPluginInfo *info = known->pdata[i];
      g_autofree char *info_dir = g_path_get_dirname (info->file);
      g_autofree char *info_key = same_dir_key (info_dir);

      if (g_str_equal (info_key, key))
        return TRUE;
      g_strv_builder_add (skip, info->id);
    }
  /* Ids found before are passed as disabled so that their modules are never
   * opened, then reported as the shadows they are. */
  if (disabled != NULL)
    g_strv_builder_addv (skip, (const char **)disabled);
  skip_ids = g_strv_builder_end (skip);
  if (!philia_plugins_load (philia_registry_get_default (), path,
                            (const char * const *)skip_ids, &found, error))
    return FALSE;
  for (guint i = 0; i < found->len; i++)
    {
      PhiliaPluginInfo *info = found->pdata[i];
      const PhiliaPluginInfo *first = NULL;

      if (info->status == PHILIA_PLUGIN_DISABLED && find_info (known, info->id, &first))
        {
          info->status = PHILIA_PLUGIN_REFUSED;
          g_free (info->reason);
          info->reason = g_strdup_printf ("Plugin “%s” in %s is ignored: %s was found first.",
                                          info->id, info->file, first->file);
        }
    }
  g_ptr_array_extend_and_steal (known, g_steal_pointer (&found));
  return TRUE;
}
