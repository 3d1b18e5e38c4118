/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "philia-canvas-private.h"
#include "philia-test-util.h"
#include "philia-window.h"

/* The window at laptop sizes and in a dark theme: the canvas toolbar fits,
 * the legend follows the theme, Find answers, a cancelled layout leaves the
 * menu naming what is drawn. One window with the bundled Cora. */
static PhiliaApplication *app;
static PhiliaWindow *window;

static PhiliaCanvas *
canvas (void)
{
  return PHILIA_CANVAS (philia_window_get_canvas (window));
}

static gboolean
layout_done (gpointer data)
{
  return !philia_window_get_loading (window) && philia_window_get_graph (window) != NULL
         && !philia_canvas_get_busy (canvas ()) && philia_canvas_has_positions (canvas ());
}

static void
wait_for_cora (void)
{
  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, window, 10000));
  g_assert_true (philia_test_spin_until (layout_done, NULL, 60000));
}

static gboolean
window_width_is (gpointer data)
{
  /* The surface gets the size; the window widget is that less its
   * client-side shadow. */
  int width = gtk_widget_get_width (GTK_WIDGET (window));

  return width <= GPOINTER_TO_INT (data) && width >= GPOINTER_TO_INT (data) - 32;
}

static void
resize (int width,
        int height)
{
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  if (!philia_test_spin_until (window_width_is, GINT_TO_POINTER (width), 10000))
    g_error ("window %d wide, not %d", gtk_widget_get_width (GTK_WIDGET (window)), width);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

/* Does @menu (or a section in it) have an item for @action? */
static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has_action (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name)
          && g_str_equal (name, action))
        return TRUE;
    }
  return FALSE;
}

/* Every action button under @widget is reachable: shown inside the canvas's
 * width, or hidden with its action in the "more" menu. */
static void
assert_reachable (GtkWidget  *widget,
                  GMenuModel *more)
{
  PhiliaCanvas *c = canvas ();
  int width = gtk_widget_get_width (GTK_WIDGET (c));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *action = GTK_IS_ACTIONABLE (child)
                           ? gtk_actionable_get_action_name (GTK_ACTIONABLE (child)) : NULL;
      graphene_rect_t bounds;

      if (GTK_IS_BOX (child))
        {
          assert_reachable (child, more);
          continue;
        }
      if (!gtk_widget_is_visible (child))
        {
          if (action != NULL && !g_str_equal (action, "canvas.whole-graph"))
            g_assert_true (menu_has_action (more, action));
          continue;
        }
      g_assert_true (gtk_widget_compute_bounds (child, GTK_WIDGET (c), &bounds));
      g_assert_cmpfloat (bounds.origin.x, >=, 0);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, width);
    }
}

static void
test_toolbar (void)
{
  PhiliaCanvas *c = canvas ();
  GMenuModel *more = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (c->more_button));
  static const char *const folded[] = {
    "canvas.fit", "canvas.zoom-to-selection", "canvas.neighbourhood", "canvas.export-view",
    "canvas.export-whole", "canvas.edge-style", "canvas.size-by-degree", "canvas.show-labels",
  };

  wait_for_cora ();
  for (guint i = 0; i < G_N_ELEMENTS (folded); i++)
    g_assert_true (menu_has_action (more, folded[i]));

  resize (1200, 800);
  g_assert_false (gtk_widget_get_visible (c->more_button));
  g_assert_true (gtk_widget_get_visible (c->tools_box));
  g_assert_true (gtk_widget_get_visible (c->export_button));
  assert_reachable (c->toolbar, more);

  for (int width = 1024; width >= 800; width -= 224)
    {
      resize (width, width == 800 ? 600 : 700);
      g_test_message ("window %d, canvas %d, toolbar %d", width,
                      gtk_widget_get_width (GTK_WIDGET (c)), gtk_widget_get_width (c->toolbar));
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, width);
      g_assert_cmpint (gtk_widget_get_width (c->toolbar), <=, gtk_widget_get_width (GTK_WIDGET (c)));
      /* The find box is whole and wide enough to type in. */
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (c->find_entry)));
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (c->find_entry)), >=, 80);
      assert_reachable (c->toolbar, more);
      /* Export is reachable: inline or in the menu next to the find box. */
      g_assert_true (gtk_widget_get_visible (c->export_button)
                     || gtk_widget_get_visible (c->more_button));
    }
  /* 800 px leaves the canvas too little for every tool inline. */
  g_assert_true (gtk_widget_get_visible (c->more_button));
  g_assert_false (gtk_widget_get_visible (c->tools_box));

  resize (1200, 800);
  g_assert_false (gtk_widget_get_visible (c->more_button));
  g_assert_true (gtk_widget_get_visible (c->tools_box));
}

static void
find (const char *text)
{
  PhiliaCanvas *c = canvas ();

  gtk_editable_set_text (GTK_EDITABLE (c->find_entry), text);
  g_signal_emit_by_name (c->find_entry, "activate");
}

static gboolean
status_hidden (gpointer data)
{
  return !gtk_revealer_get_reveal_child (canvas ()->find_revealer);
}

static void
test_find (void)
{
  PhiliaCanvas *c = canvas ();
  g_autofree char *people = g_test_build_filename (G_TEST_DIST, "..", "data", "import",
                                                   "people.tsv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (people);
  const guint *nodes;
  guint n;

  wait_for_cora ();
  find ("no such node");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (c->find_entry), "error"));
  g_assert_true (gtk_revealer_get_reveal_child (c->find_revealer));
  g_assert_cmpstr (gtk_label_get_text (c->find_status), ==, "No node matches “no such node”.");

  find (" 12 ");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (c->find_entry), "error"));
  g_assert_cmpstr (gtk_label_get_text (c->find_status), ==, "1 node matches “12”.");
  nodes = philia_canvas_get_selection (c, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (nodes[0], ==, 12);

  /* Typing again makes the answer stale. */
  gtk_editable_set_text (GTK_EDITABLE (c->find_entry), "12x");
  g_assert_true (philia_test_spin_until (status_hidden, NULL, 5000));

  /* Another dataset: the search was about Cora. */
  find ("no such node");
  philia_window_open (window, file);
  g_assert_true (philia_test_spin_until (layout_done, NULL, 30000));
  g_assert_cmpuint (philia_graph_get_n_nodes (philia_window_get_graph (window)), ==, 4);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (c->find_entry)), ==, "");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (c->find_entry), "error"));
  g_assert_false (gtk_revealer_get_reveal_child (c->find_revealer));

  /* Part of a name, any case: every node it is in. */
  find ("AR");
  nodes = philia_canvas_get_selection (c, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (philia_graph_get_node_name (philia_window_get_graph (window), nodes[0]), ==,
                   "carol");
  find ("E");
  nodes = philia_canvas_get_selection (c, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (gtk_label_get_text (c->find_status), ==, "2 nodes match “E”.");
  find ("zz");
  g_assert_cmpstr (gtk_label_get_text (c->find_status), ==, "No node matches “zz”.");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!philia_test_init (&argc, &argv, "Fit"))
    return g_test_run ();

  window = philia_test_window_new (&app);

  g_test_add_func ("/Philia/Fit/toolbar", test_toolbar);
  g_test_add_func ("/Philia/Fit/find", test_find);

  ret = g_test_run ();

  philia_test_window_destroy (window, &app);

  return ret;
}
