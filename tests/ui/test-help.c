/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "philia-help.h"
#include "philia-test-util.h"

/* Where F1 and the menu's Help take the user: Yelp's help: address when yelp
 * is installed, else the HTML build of the same pages, opened in a browser. */
static const char *pages[] = {
  "index", "open-dataset", "homophily", "layout", "train", "explain-link", "export-figure",
  "project", "preferences", "plugin", NULL
};

static void
test_yelp (void)
{
  g_autofree char *dir = g_dir_make_tmp ("philia-help-XXXXXX", NULL);
  g_autofree char *yelp = g_build_filename (dir, "yelp", NULL);
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *index = NULL;
  g_autofree char *page = NULL;

  /* A yelp on the PATH. */
  g_assert_true (g_file_set_contents (yelp, "#!/bin/sh\nexit 0\n", -1, NULL));
  g_assert_cmpint (g_chmod (yelp, 0755), ==, 0);
  g_setenv ("PATH", dir, TRUE);
  index = philia_help_get_uri ("index");
  page = philia_help_get_uri ("homophily");
  g_setenv ("PATH", old_path, TRUE);
  g_assert_cmpstr (index, ==, "help:philia");
  g_assert_cmpstr (page, ==, "help:philia/homophily");
  g_unlink (yelp);
  g_rmdir (dir);
}

static void
test_html_fallback (void)
{
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));

  /* No yelp anywhere: every page is an HTML file that exists and shows its
   * figures (the files they name exist beside them). */
  g_setenv ("PATH", "/nonexistent", TRUE);
  for (guint i = 0; pages[i] != NULL; i++)
    {
      g_autofree char *uri = philia_help_get_uri (pages[i]);
      g_autofree char *path = NULL;
      g_autofree char *html = NULL;
      g_autofree char *dir = NULL;
      const char *p;

      g_assert_nonnull (uri);
      g_assert_true (g_str_has_prefix (uri, "file:///"));
      path = g_filename_from_uri (uri, NULL, NULL);
      g_assert_true (g_file_get_contents (path, &html, NULL, NULL));
      g_assert_nonnull (strstr (html, "<html"));
      dir = g_path_get_dirname (path);
      for (p = strstr (html, "src=\"figures/"); p != NULL; p = strstr (p + 1, "src=\"figures/"))
        {
          g_autofree char *name = g_strndup (p + 5, strcspn (p + 5, "\""));
          g_autofree char *figure = g_build_filename (dir, name, NULL);

          g_assert_true (g_file_test (figure, G_FILE_TEST_IS_REGULAR));
        }
    }
  /* The index links every page. */
  {
    g_autofree char *uri = philia_help_get_uri ("index");
    g_autofree char *path = g_filename_from_uri (uri, NULL, NULL);
    g_autofree char *html = NULL;

    g_assert_true (g_file_get_contents (path, &html, NULL, NULL));
    for (guint i = 1; pages[i] != NULL; i++)
      {
        g_autofree char *link = g_strdup_printf ("href=\"%s.html\"", pages[i]);

        g_assert_nonnull (strstr (html, link));
      }
  }
  g_assert_null (philia_help_get_uri ("no-such-page"));
  g_setenv ("PATH", old_path, TRUE);
}

/* F1 is Help, from every window. */
static void
test_accel (void)
{
  PhiliaApplication *app = NULL;
  PhiliaWindow *window = philia_test_window_new (&app);
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                "app.help");

  g_assert_true (g_strv_contains ((const char * const *) accels, "F1"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "help"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "help-page"));
  philia_test_window_destroy (window, &app);
}

int
main (int   argc,
      char *argv[])
{
  if (!philia_test_init (&argc, &argv, "Help"))
    return 0;

  g_test_add_func ("/help/yelp", test_yelp);
  g_test_add_func ("/help/html-fallback", test_html_fallback);
  g_test_add_func ("/help/accel", test_accel);
  return g_test_run ();
}
