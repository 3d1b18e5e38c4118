/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-application.h"

#include <glib/gi18n.h>

#include "philia-core.h"
#include "philia-plugins-dialog.h"
#include "philia-help.h"
#include "philia-preferences.h"
#include "philia-window.h"

#define PHILIA_WEBSITE "https://github.com/philia/philia"
/* A credit line "Name URL" becomes a link in GtkAboutDialog. */
#define PHILIA_ISSUES_LABEL \
  "github.com/philia/philia/issues https://github.com/philia/philia/issues"

struct _PhiliaApplication
{
  GtkApplication parent_instance;

  gboolean       looked_for_autosaves;
  GSettings     *settings;      /* followed for the colour scheme and figure font */
};

G_DEFINE_FINAL_TYPE (PhiliaApplication, philia_application, GTK_TYPE_APPLICATION)

static PhiliaWindow *
get_or_create_window (PhiliaApplication *self,
                      gboolean          *created)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  *created = window == NULL;
  if (window == NULL)
    window = GTK_WINDOW (philia_window_new (GTK_APPLICATION (self)));

  /* Once per run, in its first window: what a crash left behind. */
  if (!self->looked_for_autosaves)
    {
      g_autoptr(GPtrArray) orphans = philia_autosave_find_orphans ();

      self->looked_for_autosaves = TRUE;
      philia_window_offer_restore (PHILIA_WINDOW (window), orphans);
    }

  return PHILIA_WINDOW (window);
}

static void
philia_application_activate (GApplication *application)
{
  PhiliaApplication *self = PHILIA_APPLICATION (application);
  gboolean created;
  PhiliaWindow *window = get_or_create_window (self, &created);

  /* A new window starts on the bundled Cora so there is always something to look at. */
  if (created)
    philia_window_open_default (window);

  gtk_window_present (GTK_WINDOW (window));
}

static void
philia_application_open (GApplication  *application,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  PhiliaApplication *self = PHILIA_APPLICATION (application);
  gboolean created;
  PhiliaWindow *window = get_or_create_window (self, &created);

  /* One dataset per window: a graph, and a node table named beside it. */
  philia_window_open_files (window, files, n_files);
  if (n_files > 2)
    g_warning ("Philia shows one dataset at a time; opening only %s",
               g_file_peek_path (files[0]));

  gtk_window_present (GTK_WINDOW (window));
}

/*
 * The command line, in whichever instance runs it: the first one, or the one
 * already running, to which GApplication forwards the arguments, the parsed
 * options (--nodes) and the caller's working directory. Files are resolved
 * against that directory; messages go to the caller's terminal, and the
 * caller exits with the status returned here.
 */
static int
philia_application_command_line (GApplication            *application,
                                 GApplicationCommandLine *command_line)
{
  PhiliaApplication *self = PHILIA_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GFile) node_table = NULL;
  g_auto(GStrv) argv = NULL;
  const char *nodes = NULL;
  PhiliaWindow *window;
  gboolean created;
  int argc;

  argv = g_application_command_line_get_arguments (command_line, &argc);
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (files, g_application_command_line_create_file_for_arg (command_line,
                                                                            argv[i]));
  if (g_variant_dict_lookup (options, "nodes", "^&ay", &nodes))
    node_table = g_application_command_line_create_file_for_arg (command_line, nodes);

  if (node_table != NULL && files->len != 1)
    {
      g_application_command_line_printerr (command_line, "%s\n",
                                           _("philia: --nodes TABLE.csv goes with exactly one "
                                             "graph file: philia --nodes TABLE.csv GRAPH"));
      return 2;
    }
  if (files->len == 0)
    {
      g_application_activate (application);
      return 0;
    }

  window = get_or_create_window (self, &created);
  if (node_table != NULL)
    philia_window_open_with_nodes (window, files->pdata[0], node_table);
  else
    philia_window_open_files (window, (GFile **) files->pdata, files->len);
  if (files->len > 2)
    g_application_command_line_printerr (command_line,
                                         _("philia: one dataset at a time; opening only %s\n"),
                                         argv[1]);
  gtk_window_present (GTK_WINDOW (window));
  return 0;
}

static void
philia_application_startup (GApplication *application)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  G_APPLICATION_CLASS (philia_application_parent_class)->startup (application);

  philia_core_init ();
  /* Before any window: plugin algorithms then appear wherever built-ins do. */
  philia_plugins_load_default ();
  gtk_window_set_default_icon_name (APPLICATION_ID);
  PHILIA_APPLICATION (application)->settings = g_settings_new (APPLICATION_ID);
  philia_preferences_follow_color_scheme (PHILIA_APPLICATION (application)->settings);
  philia_preferences_follow_figure_font (PHILIA_APPLICATION (application)->settings);

  /* GtkApplication finds icons under the resource base path by itself, but
   * not style.css (that is libadwaita's doing). The shortcuts window is not
   * its automatic help overlay either (philia-window-dialogs.c). */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/philia/Philia/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (self));

  /* Close the windows (they save their size) rather than just leaving the loop. */
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

/* Another document, in its own window, starting on the bundled Cora. */
static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  GtkApplication *self = user_data;
  PhiliaWindow *window = philia_window_new (self);

  philia_window_open_default (window);
  gtk_window_present (GTK_WINDOW (window));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *self = user_data;
  static const char *authors[] = { "The Philia developers", NULL };
  /* Whose work the bundled data and the measures rest on (data/README.md). */
  static const char *dataset_credits[] = {
    "Sen et al., Collective classification in network data (Cora, 2008)",
    "Yang, Cohen, Salakhutdinov, Planetoid split (2016)",
    "Pei et al., Geom-GCN splits (2020)",
    NULL
  };
  GtkWindow *parent = gtk_application_get_active_window (self);
  GtkAboutDialog *about;

  about = g_object_new (GTK_TYPE_ABOUT_DIALOG,
                         "transient-for", parent,
                         "modal", parent != NULL,
                         "destroy-with-parent", TRUE,
                         "program-name", _("Philia"),
                         "logo-icon-name", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("A workbench for machine learning on graphs"),
                         "authors", authors,
                         /* Translators: put your names here, one a line */
                         "translator-credits", _("translator-credits"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2025 The Philia developers",
                         "website", PHILIA_WEBSITE,
                         "website-label", _("Website"),
                         NULL);
  gtk_about_dialog_add_credit_section (about, _("Issue tracker"),
                                       (const char *[]) { PHILIA_ISSUES_LABEL, NULL });
  gtk_about_dialog_add_credit_section (about, _("Bundled dataset"), dataset_credits);
  gtk_window_present (GTK_WINDOW (about));
}

static void
plugins_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *self = user_data;
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  PhiliaPluginsDialog *dialog;

  dialog = philia_plugins_dialog_new (gtk_application_get_active_window (self),
                                      philia_plugins_load_default (), settings);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (self);

  /* One Preferences window: a second activation raises it. */
  for (GList *l = gtk_application_get_windows (self); l != NULL; l = l->next)
    if (PHILIA_IS_PREFERENCES (l->data))
      {
        gtk_window_present (l->data);
        return;
      }
  gtk_window_present (GTK_WINDOW (philia_preferences_new (parent)));
}

/* The user guide's front page (F1), or one page ("homophily"). */
static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *self = user_data;
  const char *page = parameter != NULL ? g_variant_get_string (parameter, NULL) : "index";

  philia_help_show (gtk_application_get_active_window (self), page[0] != '\0' ? page : "index");
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_action },
  { .name = "new-window", .activate = new_window_action },
  { .name = "plugins", .activate = plugins_action },
  { .name = "about", .activate = about_action },
  { .name = "preferences", .activate = preferences_action },
  { .name = "help", .activate = help_action },
  { .name = "help-page", .activate = help_action, .parameter_type = "s" },
};

/* In the process that was started, before any display or primary instance
 * is needed: `philia --version` works without a session. */
static int
philia_application_handle_local_options (GApplication *application,
                                         GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("philia %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

static void
philia_application_dispose (GObject *object)
{
  PhiliaApplication *self = PHILIA_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (philia_application_parent_class)->dispose (object);
}

static void
philia_application_class_init (PhiliaApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = philia_application_dispose;

  app_class->command_line = philia_application_command_line;
  app_class->handle_local_options = philia_application_handle_local_options;
  app_class->activate = philia_application_activate;
  app_class->open = philia_application_open;
  app_class->startup = philia_application_startup;
}

/* No storage: GApplication packs each option into the dictionary it hands,
 * with the arguments, to whichever instance handles the command line. */
static const GOptionEntry options[] = {
  { "nodes", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("CSV node table (id,label,f0,…) for the dataset file"), N_("TABLE.csv") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

static void
philia_application_init (PhiliaApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help",
                                         (const char *[]) { "F1", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.open",
                                         (const char *[]) { "<Control>o", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         (const char *[]) { "<Control>question", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.generate",
                                         (const char *[]) { "<Control>g", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-window",
                                         (const char *[]) { "<Control>n", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.save",
                                         (const char *[]) { "<Control>s", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.save-as",
                                         (const char *[]) { "<Shift><Control>s", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.undo",
                                         (const char *[]) { "<Control>z", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.redo",
                                         (const char *[]) { "<Shift><Control>z", NULL });
}

PhiliaApplication *
philia_application_new (GApplicationFlags flags)
{
  return g_object_new (PHILIA_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       /* Files from the command line go through command-line
                        * (with --nodes); HANDLES_OPEN is for D-Bus Open. */
                       "flags", flags | G_APPLICATION_HANDLES_OPEN
                                | G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/philia/Philia",
                       NULL);
}
