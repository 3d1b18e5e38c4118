/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "philia-cli-private.h"

/* philia-cli plugins: the plugins found, loaded, refused or disabled. */

/* --------------------------------------------------------------- plugins */

static void
json_strv (PhiliaJson         *json,
           const char         *key,
           const char * const *strv)
{
  philia_json_key (json, key);
  philia_json_begin_array (json);
  for (guint i = 0; strv[i] != NULL; i++)
    philia_json_string (json, strv[i]);
  philia_json_end_array (json);
}

/* The text report names the status in the user's language; --json keeps
 * the identifier (philia_plugin_status_to_string). */
static const char *
status_label (PhiliaPluginStatus status)
{
  switch (status)
    {
    case PHILIA_PLUGIN_LOADED:
      /* Translators: a plugin's status in "fagcn 1.0 (loaded): FILE" */
      return C_ ("plugin", "loaded");
    case PHILIA_PLUGIN_REFUSED:
      return C_ ("plugin", "refused");
    case PHILIA_PLUGIN_DISABLED:
      return C_ ("plugin", "disabled");
    default:
      return philia_plugin_status_to_string (status);
    }
}

int
cmd_plugins (int    argc,
             char **argv)
{
  GPtrArray *infos;
  int code = EXIT_OK;

  if (!parse_options ("plugins", "",
                      N_ ("The plugins found on the plugin path ($PHILIA_PLUGIN_PATH, the user "
                          "data dir, the installed plugin dir or, run from a build tree, its "
                          "plugins/), whether each was loaded, refused (and why) or disabled, "
                          "and the algorithms it added."),
                      NULL, &argc, &argv, 0, &code))
    return code;

  infos = philia_plugins_load_default ();
  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_key (json, "plugins");
      philia_json_begin_array (json);
      for (guint i = 0; i < infos->len; i++)
        {
          const PhiliaPluginInfo *info = infos->pdata[i];

          philia_json_begin_object (json);
          philia_json_member_string (json, "id", info->id);
          philia_json_member_string (json, "name", info->name);
          philia_json_member_string (json, "version", info->version);
          philia_json_member_string (json, "file", info->file);
          philia_json_key (json, "module");
          if (info->module_file != NULL)
            philia_json_string (json, info->module_file);
          else
            philia_json_null (json);
          philia_json_key (json, "abi");
          if (info->abi >= 0)
            philia_json_int (json, info->abi);
          else
            philia_json_null (json);
          philia_json_member_string (json, "status", philia_plugin_status_to_string (info->status));
          philia_json_key (json, "reason");
          if (info->reason != NULL)
            philia_json_string (json, info->reason);
          else
            philia_json_null (json);
          /* HACKING.md §9 names one "family"; a plugin may register several. */
          philia_json_member_string (json, "family", info->families[0] ? info->families[0] : "");
          json_strv (json, "families", (const char * const *)info->families);
          json_strv (json, "algorithms", (const char * const *)info->algorithms);
          philia_json_end_object (json);
        }
      philia_json_end_array (json);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
      return EXIT_OK;
    }

  if (infos->len == 0)
    printf ("%s\n", _ ("No plugins found."));
  for (guint i = 0; i < infos->len; i++)
    {
      const PhiliaPluginInfo *info = infos->pdata[i];
      g_autofree char *algorithms = g_strjoinv (", ", info->algorithms);
      g_autofree char *families = g_strjoinv (", ", info->families);

      printf ("%s %s (%s): %s\n", info->id, info->version, status_label (info->status),
              info->file);
      if (info->status == PHILIA_PLUGIN_LOADED)
        printf ("  %s: %s\n", families, algorithms);
      else
        printf ("  %s\n", info->reason);
    }
  return EXIT_OK;
}
