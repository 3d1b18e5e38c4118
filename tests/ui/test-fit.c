/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "philia-canvas-private.h"
#include "philia-proximity-panel.h"
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

/* The toolbar folds its tools in a second layout pass after a resize: what
 * the user sees is the settled toolbar, with a find box wide enough. */
static gboolean
toolbar_settled (gpointer data)
{
  PhiliaCanvas *c = data;

  return gtk_widget_get_width (c->toolbar) <= gtk_widget_get_width (GTK_WIDGET (c))
         && gtk_widget_get_width (GTK_WIDGET (c->find_entry)) >= 80;
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

  philia_test_resize (window, 1200, 800);
  g_assert_false (gtk_widget_get_visible (c->more_button));
  g_assert_true (gtk_widget_get_visible (c->tools_box));
  g_assert_true (gtk_widget_get_visible (c->export_button));
  assert_reachable (c->toolbar, more);

  for (int width = 1024; width >= 800; width -= 224)
    {
      philia_test_resize (window, width, width == 800 ? 600 : 700);
      philia_test_spin_until (toolbar_settled, c, 2000);
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

  philia_test_resize (window, 1200, 800);
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

static double
luminance (guint32 argb)
{
  double a = (argb >> 24) / 255.0;

  /* Premultiplied: the drawn colour over black, which is what the eye gets
   * from an opaque frame. */
  if (a <= 0)
    return 0;
  return (0.2126 * ((argb >> 16) & 0xff) + 0.7152 * ((argb >> 8) & 0xff)
          + 0.0722 * (argb & 0xff)) / 255.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The legend's box (its median luminance) and its text (the pixel that
 * differs most from the box) as drawn on screen now. */
static void
legend_luminance (double *box_lum,
                  double *text_lum)
{
  PhiliaCanvas *c = canvas ();
  GtkWidget *area = GTK_WIDGET (c->area);
  int w = gtk_widget_get_width (area), h = gtk_widget_get_height (area);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GArray) lums = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree guint32 *pixels = g_new (guint32, (gsize) w * h);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  PhiliaBox box;
  guint covered;
  double median, far = 0;

  gtk_widget_queue_draw (area);
  gtk_test_widget_wait_for_draw (area);
  paintable = gtk_widget_paintable_new (area);
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (area)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gdk_texture_download (texture, (guchar *) pixels, (gsize) w * 4);

  g_assert_true (philia_graph_view_get_legend_box (&c->area->view, &c->style, w, h, &box,
                                                  &covered));
  for (int y = (int) box.y + 1; y < (int) (box.y + box.height) - 1 && y < h; y++)
    for (int x = (int) box.x + 1; x < (int) (box.x + box.width) - 1 && x < w; x++)
      {
        double l = luminance (pixels[(gsize) y * w + x]);

        g_array_append_val (lums, l);
      }
  g_assert_cmpuint (lums->len, >, 100);
  g_array_sort (lums, compare_doubles);
  median = g_array_index (lums, double, lums->len / 2);
  *box_lum = median;
  /* The text is the far end from the box, whichever side that is. */
  for (guint i = 0; i < lums->len; i++)
    if (fabs (g_array_index (lums, double, i) - median) > fabs (far - median))
      far = g_array_index (lums, double, i);
  *text_lum = far;
}

static gboolean
is_dark (gpointer data)
{
  return canvas ()->style.foreground.r > 0.5;
}

static gboolean
is_light (gpointer data)
{
  return !is_dark (data);
}

static void
test_dark_legend (void)
{
  GtkSettings *settings = gtk_settings_get_default ();
  double box, text;

  wait_for_cora ();
  legend_luminance (&box, &text);
  g_test_message ("light theme: legend box %.2f, text %.2f", box, text);
  g_assert_cmpfloat (box, >, 0.8);
  g_assert_cmpfloat (text, <, box - 0.5);

  g_object_set (settings, "gtk-application-prefer-dark-theme", TRUE, NULL);
  g_assert_true (philia_test_spin_until (is_dark, NULL, 5000));
  legend_luminance (&box, &text);
  g_test_message ("dark theme: legend box %.2f, text %.2f", box, text);
  g_assert_cmpfloat (box, <, 0.25);
  g_assert_cmpfloat (text, >, box + 0.5);

  g_object_set (settings, "gtk-application-prefer-dark-theme", FALSE, NULL);
  g_assert_true (philia_test_spin_until (is_light, NULL, 5000));
}

static guint
algorithm_index (PhiliaCanvas *c,
                 const char   *id)
{
  for (guint i = 0; i < c->algorithms->len; i++)
    if (g_str_equal (c->algorithms->pdata[i], id))
      return i;
  g_assert_not_reached ();
}

/* Cancel leaves the menu naming the drawing that stays. */
static void
test_layout_cancel (void)
{
  PhiliaCanvas *c = canvas ();
  g_autofree char *before = NULL;
  guint shown;

  wait_for_cora ();
  before = g_strdup (philia_canvas_get_layout (c));
  g_assert_cmpstr (before, !=, "kk");
  shown = gtk_drop_down_get_selected (c->layout_dropdown);
  g_assert_cmpuint (shown, ==, algorithm_index (c, before));

  /* Cora is small enough for Kamada–Kawai without a question. */
  gtk_drop_down_set_selected (c->layout_dropdown, algorithm_index (c, "kk"));
  g_assert_true (philia_canvas_get_busy (c));
  g_assert_cmpstr (philia_canvas_get_layout (c), ==, "kk");

  gtk_widget_activate_action (GTK_WIDGET (c), "canvas.cancel-layout", NULL);
  g_assert_false (philia_canvas_get_busy (c));
  g_assert_cmpstr (philia_canvas_get_layout (c), ==, before);
  g_assert_cmpuint (gtk_drop_down_get_selected (c->layout_dropdown), ==, shown);
  g_assert_cmpstr (philia_document_get_current_layout (philia_window_get_document (window))
                     ->algorithm, ==, before);
}

static GtkMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (GTK_IS_MESSAGE_DIALOG (w))
        return GTK_MESSAGE_DIALOG (w);
    }
  return NULL;
}

/* A path of 12,000 nodes is one component: Kamada–Kawai's distance matrix
 * alone is 8 × 12,000² bytes, over the warning line. */
static void
test_layout_warning (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (12000);
  g_autoptr(PhiliaGraph) path = NULL;
  g_autofree char *size = NULL;
  g_autofree char *text = NULL;
  g_autofree char *secondary = NULL;
  GtkWidget *win = gtk_window_new ();
  PhiliaCanvas *c = PHILIA_CANVAS (philia_canvas_new ());
  GtkMessageDialog *dialog;
  g_autofree char *before = NULL;
  guint shown;

  for (guint v = 1; v < 12000; v++)
    philia_graph_builder_add_edge (builder, v - 1, v);
  path = philia_graph_builder_build (builder, NULL);
  g_assert_cmpuint (philia_layout_estimate_bytes (path, "kk"), >=, 8ull * 12000 * 12000);
  size = g_format_size (philia_layout_estimate_bytes (path, "kk"));

  gtk_window_set_child (GTK_WINDOW (win), GTK_WIDGET (c));
  gtk_window_present (GTK_WINDOW (win));
  philia_canvas_set_graph (c, path);
  before = g_strdup (philia_canvas_get_layout (c));
  shown = gtk_drop_down_get_selected (c->layout_dropdown);

  /* (Running Anyway is not tried: it would take the test a gigabyte.) */
  gtk_drop_down_set_selected (c->layout_dropdown, algorithm_index (c, "kk"));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_object_get (dialog, "text", &text, "secondary-text", &secondary, NULL);
  g_test_message ("%s / %s", text, secondary);
  g_assert_nonnull (strstr (text, size));
  g_assert_nonnull (strstr (secondary, "12000 nodes"));
  /* Nothing runs before the answer. */
  g_assert_cmpstr (philia_canvas_get_layout (c), ==, before);

  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_assert_null (find_message_dialog ());
  g_assert_cmpstr (philia_canvas_get_layout (c), ==, before);
  g_assert_cmpuint (gtk_drop_down_get_selected (c->layout_dropdown), ==, shown);
  gtk_window_destroy (GTK_WINDOW (win));
}

static gboolean
explained (gpointer data)
{
  PhiliaProximityPanel *panel = data;
  const PhiliaPairExplanation *x = philia_proximity_panel_get_explanation (panel);

  return !philia_proximity_panel_get_busy (panel) && x != NULL && x->u == 20 && x->v == 10;
}

/* "Why this link" selects the pair and zooms the canvas to it. */
static void
test_why_in_view (void)
{
  PhiliaCanvas *c;
  PhiliaProximityPanel *panel;
  double w, h, x[2], y[2];
  const guint *nodes;
  guint n;

  /* Cora again (find went to another dataset). */
  philia_window_open_default (window);
  window = philia_test_follow_open (window);
  wait_for_cora ();
  g_assert_cmpuint (philia_graph_get_n_nodes (philia_window_get_graph (window)), ==, 2708);
  c = canvas ();
  panel = PHILIA_PROXIMITY_PANEL (philia_window_get_proximity_panel (window));
  gtk_widget_activate_action (GTK_WIDGET (c), "canvas.fit", NULL);
  philia_proximity_panel_explain (panel, 20, 10);
  g_assert_true (philia_test_spin_until (explained, panel, 30000));

  nodes = philia_canvas_get_selection (c, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (nodes[0], ==, 10);
  g_assert_cmpuint (nodes[1], ==, 20);
  nodes = philia_window_get_selected_nodes (window, &n);
  g_assert_cmpuint (n, ==, 2);

  /* Both in the area, their middle at its centre. */
  w = gtk_widget_get_width (GTK_WIDGET (c->area));
  h = gtk_widget_get_height (GTK_WIDGET (c->area));
  for (int i = 0; i < 2; i++)
    {
      guint v = i == 0 ? 10 : 20;

      x[i] = c->area->view.offset_x + c->area->view.scale * c->positions[2 * v];
      y[i] = c->area->view.offset_y + c->area->view.scale * c->positions[2 * v + 1];
      g_assert_cmpfloat (x[i], >=, 0);
      g_assert_cmpfloat (x[i], <=, w);
      g_assert_cmpfloat (y[i], >=, 0);
      g_assert_cmpfloat (y[i], <=, h);
    }
  g_assert_cmpfloat (fabs ((x[0] + x[1]) / 2 - w / 2), <, 2);
  g_assert_cmpfloat (fabs ((y[0] + y[1]) / 2 - h / 2), <, 2);
  gtk_widget_activate_action (GTK_WIDGET (c), "canvas.clear-selection", NULL);
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
  g_test_add_func ("/Philia/Fit/dark-legend", test_dark_legend);
  g_test_add_func ("/Philia/Fit/layout-cancel", test_layout_cancel);
  g_test_add_func ("/Philia/Fit/layout-warning", test_layout_warning);
  g_test_add_func ("/Philia/Fit/find", test_find);
  g_test_add_func ("/Philia/Fit/why-in-view", test_why_in_view);

  ret = g_test_run ();

  philia_test_window_destroy (window, &app);

  return ret;
}
