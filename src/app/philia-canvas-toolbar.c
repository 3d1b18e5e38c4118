/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-canvas-private.h"

/* The canvas toolbar's behaviour beyond its template: folding the less-used
 * tools into the "more" menu when the canvas is narrow, and the find box
 * (matching, feedback, forgetting its text when another graph is shown). */

static GQuark
width_quark (void)
{
  return g_quark_from_static_string ("philia-canvas-toolbar-width");
}

/**
 * _philia_canvas_fit_toolbar:
 * @width: the width the canvas is being given
 *
 * Shows the tools inline when the toolbar fits @width with all of them at
 * their natural width, else puts them in the "more" menu (which holds every
 * one of them). Called while the canvas is allocated, before the header is
 * measured: the decision depends on @width alone, so it is stable.
 */
void
_philia_canvas_fit_toolbar (PhiliaCanvas *self,
                            int           width)
{
  GtkWidget *foldable[] = { self->tools_box, self->export_button };
  int spacing = gtk_box_get_spacing (GTK_BOX (self->toolbar));
  int need, nat;
  gboolean narrow;

  /* The toolbar's natural width with every tool inline; a hidden tool counts
   * with the width it had when last shown (the template shows them all, so
   * every width is known from the first allocation on). */
  gtk_widget_measure (self->toolbar, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &need, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (foldable); i++)
    if (gtk_widget_get_visible (foldable[i]))
      {
        gtk_widget_measure (foldable[i], GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat, NULL, NULL);
        g_object_set_qdata (G_OBJECT (foldable[i]), width_quark (), GINT_TO_POINTER (nat + 1));
      }
    else
      need += GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (foldable[i]), width_quark ()))
              - 1 + spacing;
  if (gtk_widget_get_visible (self->more_button))
    {
      gtk_widget_measure (self->more_button, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat,
                          NULL, NULL);
      need -= nat + spacing;
    }

  narrow = need > width;
  if (narrow == gtk_widget_get_visible (self->more_button))
    return;
  /* A popover of a tool about to be hidden would point at nothing. */
  gtk_menu_button_popdown (self->ego_button);
  if (self->overlays_button != NULL)
    gtk_menu_button_popdown (self->overlays_button);
  for (guint i = 0; i < G_N_ELEMENTS (foldable); i++)
    gtk_widget_set_visible (foldable[i], !narrow);
  if (!narrow)
    gtk_menu_button_popdown (GTK_MENU_BUTTON (self->more_button));
  gtk_widget_set_visible (self->more_button, narrow);
}

/* Find */

static void
show_find_status (PhiliaCanvas *self,
                  const char   *message,
                  gboolean      error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->find_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->find_entry), "error");
  gtk_label_set_text (self->find_status, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->find_revealer, message != NULL);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->find_entry),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
}

/* Nodes whose name contains @text, ignoring case, ascending. */
static GArray *
nodes_containing (PhiliaGraph *graph,
                  const char  *text)
{
  GArray *nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *needle = g_utf8_casefold (text, -1);
  guint n = philia_graph_get_n_nodes (graph);

  if (!philia_graph_has_node_names (graph))
    return nodes;
  for (guint v = 0; v < n; v++)
    {
      const char *name = philia_graph_get_node_name (graph, v);
      g_autofree char *folded = NULL;

      if (name == NULL)
        continue;
      folded = g_utf8_casefold (name, -1);
      if (strstr (folded, needle) != NULL)
        g_array_append_val (nodes, v);
    }
  return nodes;
}

/**
 * _philia_canvas_find:
 * @text: what the user typed
 *
 * A node name or id selects that node and centres on it; otherwise every node
 * whose name contains @text is selected and brought into view. Either way the
 * entry says how many nodes matched, or that none did.
 *
 * Returns: the number of nodes that matched.
 */
guint
_philia_canvas_find (PhiliaCanvas *self,
                     const char   *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autofree char *message = NULL;
  g_autoptr(GArray) nodes = NULL;

  if (stripped[0] == '\0' || self->graph == NULL)
    {
      show_find_status (self, NULL, FALSE);
      return 0;
    }
  if (philia_canvas_find_node (self, stripped))
    {
      /* Translators: %s is what the user searched for */
      message = g_strdup_printf (_("1 node matches “%s”."), stripped);
      show_find_status (self, message, FALSE);
      return 1;
    }

  nodes = nodes_containing (self->graph, stripped);
  if (nodes->len == 0)
    {
      /* Translators: %s is what the user searched for */
      message = g_strdup_printf (_("No node matches “%s”."), stripped);
      show_find_status (self, message, TRUE);
      gtk_widget_error_bell (GTK_WIDGET (self->find_entry));
      return 0;
    }

  if (self->ego_graph != NULL)
    philia_canvas_show_whole_graph (self);
  _philia_canvas_select_nodes (self, nodes);
  gtk_widget_activate_action (GTK_WIDGET (self), "canvas.zoom-to-selection", NULL);
  /* Translators: %u is a number of nodes, %s what the user searched for */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u node matches “%s”.",
                                          "%u nodes match “%s”.", nodes->len),
                             nodes->len, stripped);
  show_find_status (self, message, FALSE);
  return nodes->len;
}

void
_philia_canvas_on_find_activate (GtkSearchEntry *entry,
                                 PhiliaCanvas   *self)
{
  _philia_canvas_find (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* Feedback is about what was searched: typing on makes it stale. */
void
_philia_canvas_on_find_changed (GtkSearchEntry *entry,
                                PhiliaCanvas   *self)
{
  show_find_status (self, NULL, FALSE);
}

/* A search belongs to the graph it was made in. */
static void
on_graph_changed (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  PhiliaCanvas *self = PHILIA_CANVAS (object);

  gtk_editable_set_text (GTK_EDITABLE (self->find_entry), "");
  show_find_status (self, NULL, FALSE);
}

void
_philia_canvas_init_toolbar (PhiliaCanvas *self)
{
  g_signal_connect (self, "notify::graph", G_CALLBACK (on_graph_changed), NULL);
  g_signal_connect (self, "notify::document", G_CALLBACK (on_graph_changed), NULL);
}
