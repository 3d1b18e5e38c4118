/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "philia-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PhiliaApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* PHILIA_LOCALEDIR: the uninstalled build's catalogues (build/po, set by
   * meson devenv and the tests), so a translation is seen before install. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PHILIA_LOCALEDIR") ? g_getenv ("PHILIA_LOCALEDIR")
                                                                : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Philia"));

  app = philia_application_new (G_APPLICATION_DEFAULT_FLAGS);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
