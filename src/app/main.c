/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "philia-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PhiliaApplication) app = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source;
  gboolean answers_alone = FALSE;

  setlocale (LC_ALL, "");
  /* PHILIA_LOCALEDIR: the uninstalled build's catalogues (build/po, set by
   * meson devenv and the tests), so a translation is seen before install. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PHILIA_LOCALEDIR") ? g_getenv ("PHILIA_LOCALEDIR")
                                                                : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Philia"));

  /* GSettings aborts the process on a missing schema, as when an uninstalled
   * build is run without meson devenv: say what to do instead. --help and
   * --version answer before anything reads a setting, so they still work. */
  for (int i = 1; i < argc; i++)
    answers_alone = answers_alone || g_str_equal (argv[i], "--version")
                    || g_str_equal (argv[i], "-h") || g_str_equal (argv[i], "-?")
                    || g_str_has_prefix (argv[i], "--help");
  source = g_settings_schema_source_get_default ();
  schema = source != NULL ? g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE) : NULL;
  if (schema == NULL && !answers_alone)
    {
      g_printerr (_("Philia cannot start: its settings schema %s is not installed. Run a build "
                    "tree with “meson devenv -C build philia” (or “.ci/dev.sh run”), or install "
                    "Philia with “meson install -C build”.\n"), APPLICATION_ID);
      return 1;
    }

  app = philia_application_new (G_APPLICATION_DEFAULT_FLAGS);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
