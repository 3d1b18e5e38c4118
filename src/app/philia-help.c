/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"
#include "philia-install-paths.h"

#include "philia-help.h"

#include <glib/gi18n.h>

#include "philia-app-private.h"
#include "philia-core.h"

/* The user guide is Mallard (help/C), installed for Yelp. Without Yelp the
 * help: address opens nothing, so the same pages built to HTML at build time
 * (help/meson.build) are opened in the browser instead. They are looked up
 * like the plugins: beside the running program (a build tree, or an
 * installed tree wherever it was staged or moved), then at the configured
 * path. */

static char *
html_page (const char *dir,
           const char *page)
{
  g_autofree char *name = g_strconcat (page, ".html", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);

  if (!g_file_test (canonical, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return g_filename_to_uri (canonical, NULL, NULL);
}

static char *
html_uri (const char *page)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bindir = exe != NULL ? g_path_get_dirname (exe) : NULL;
  const char *env = g_getenv ("PHILIA_HELP_HTML_DIR");
  char *uri;

  /* Tests point at the build's HTML. */
  if (env != NULL && env[0] != '\0')
    return html_page (env, page);
  if (bindir != NULL)
    {
      /* build/src/app/philia → build/help/help-html */
      g_autofree char *build = g_build_filename (bindir, "..", "..", "help", "help-html", NULL);
      g_autofree char *installed = g_build_filename (bindir, PHILIA_HELP_HTMLDIR_FROM_BINDIR,
                                                     NULL);
      g_autofree char *marker = g_build_filename (bindir, "..", "..", "meson-private", NULL);

      if (g_file_test (marker, G_FILE_TEST_IS_DIR) && (uri = html_page (build, page)) != NULL)
        return uri;
      if ((uri = html_page (installed, page)) != NULL)
        return uri;
    }
  return html_page (PHILIA_HELP_HTMLDIR, page);
}

char *
philia_help_get_uri (const char *page)
{
  g_autofree char *yelp = NULL;

  g_return_val_if_fail (page != NULL, NULL);

  yelp = g_find_program_in_path ("yelp");
  if (yelp != NULL)
    return g_str_equal (page, "index") ? g_strdup ("help:philia")
                                       : g_strconcat ("help:philia/", page, NULL);
  return html_uri (page);
}

void
philia_help_show (GtkWindow  *parent,
                  const char *page)
{
  g_autofree char *uri = philia_help_get_uri (page);

  if (uri == NULL)
    {
      g_autoptr(GError) error = g_error_new (PHILIA_ERROR, PHILIA_ERROR_IO,
                                             _("Neither Yelp nor the HTML pages of the "
                                               "help are installed."));

      if (parent != NULL)
        _philia_widget_show_error (GTK_WIDGET (parent), _("Could not open the help"), error);
      else
        g_warning ("%s", error->message);
      return;
    }
  gtk_show_uri (parent, uri, GDK_CURRENT_TIME);
}
