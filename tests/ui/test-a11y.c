/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <math.h>

#include "philia-canvas.h"
#include "philia-export-dialog.h"
#include "philia-filter-dialog.h"
#include "philia-generate-dialog.h"
#include "philia-split-dialog.h"
#include "philia-test-util.h"
#include "philia-window.h"

/*
 * What assistive technologies get from the window: every control has a name
 * (on every side panel and in the dialogs), the canvas's graph area (its
 * focus stop) describes the selected node, and the keyboard reaches what a
 * session needs. With PHILIA_A11Y_SHOTS=DIR
 * it also saves the window with each panel shown (1024 × 700), which is how the
 * translated windows are looked at: LANGUAGE=de PHILIA_A11Y_SHOTS=… .
 *
 * GTK 4.8 has no getter for the name it computes, so the test computes it the
 * way GTK does: the label property, a labelled-by relation, the label inside a
 * button, or the tooltip.
 */

static PhiliaApplication *app;
static PhiliaWindow *window;
static const char *shots;

static const char *const panels[] = { "dataset", "statistics", "train", "inspect", "proximity" };

static gboolean
is_control (GtkWidget *widget)
{
  switch (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
      return TRUE;
    default:
      return FALSE;
    }
}

/* The text of the first non-empty GtkLabel in @widget's subtree. */
static gboolean
has_label_inside (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget)
      && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    if (has_label_inside (c))
      return TRUE;
  return FALSE;
}

static gboolean
has_name (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL)
      || gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  if (tooltip != NULL && *tooltip != '\0')
    return TRUE;
  /* A button's name is its content: its label, or the label it holds. */
  if ((GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_EXPANDER (widget))
      && has_label_inside (widget))
    return TRUE;
  return FALSE;
}

/* The composite a part belongs to (the toggle of a menu button or drop-down,
 * the text of an entry): the whole is what is named. */
static GtkWidget *
named_whole (GtkWidget *widget)
{
  for (GtkWidget *p = gtk_widget_get_parent (widget); p != NULL; p = gtk_widget_get_parent (p))
    if (GTK_IS_MENU_BUTTON (p) || GTK_IS_DROP_DOWN (p) || GTK_IS_SPIN_BUTTON (p)
        || GTK_IS_ENTRY (p) || GTK_IS_SEARCH_ENTRY (p) || GTK_IS_PASSWORD_ENTRY (p))
      return p;
  return widget;
}

static void
describe (GtkWidget *widget,
          GString   *out)
{
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));
  GtkWidget *p;

  g_string_append_printf (out, "\n  %s", G_OBJECT_TYPE_NAME (widget));
  if (id != NULL)
    g_string_append_printf (out, " #%s", id);
  for (p = gtk_widget_get_parent (widget); p != NULL; p = gtk_widget_get_parent (p))
    if (gtk_buildable_get_buildable_id (GTK_BUILDABLE (p)) != NULL
        || g_str_has_prefix (G_OBJECT_TYPE_NAME (p), "Philia"))
      {
        g_string_append_printf (out, " in %s", G_OBJECT_TYPE_NAME (p));
        if (gtk_buildable_get_buildable_id (GTK_BUILDABLE (p)) != NULL)
          g_string_append_printf (out, " #%s", gtk_buildable_get_buildable_id (GTK_BUILDABLE (p)));
        break;
      }
}

/* Every mapped control under @widget without a name, into @out; @n counts the controls. */
static void
walk (GtkWidget *widget,
      GString   *out,
      guint     *n)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (is_control (widget))
    {
      GtkWidget *whole = named_whole (widget);

      (*n)++;
      if (!has_name (whole) && !g_object_get_data (G_OBJECT (whole), "philia-test-reported"))
        {
          g_object_set_data (G_OBJECT (whole), "philia-test-reported", GINT_TO_POINTER (1));
          describe (whole, out);
        }
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    walk (c, out, n);
}

static GtkStack *
panel_stack (void)
{
  GtkWidget *stack = gtk_widget_get_parent (philia_window_get_stats_panel (window));

  while (stack != NULL && !GTK_IS_STACK (stack))
    stack = gtk_widget_get_parent (stack);
  g_assert_nonnull (stack);
  return GTK_STACK (stack);
}

static gboolean
load_done (gpointer data)
{
  return !philia_window_get_loading (window) && philia_window_get_graph (window) != NULL;
}

static void
save_shot (GtkWidget  *widget,
           const char *name)
{
  g_autofree char *path = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (shots == NULL)
    return;
  gtk_test_widget_wait_for_draw (widget);
  if (PHILIA_IS_WINDOW (widget))
    texture = philia_test_render_window (PHILIA_WINDOW (widget), gtk_widget_get_width (widget),
                                         gtk_widget_get_height (widget));
  else
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
      GskRenderNode *node;

      gdk_paintable_snapshot (paintable, snapshot, w, h);
      node = gtk_snapshot_free_to_node (snapshot);
      texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                             &GRAPHENE_RECT_INIT (0, 0, w, h));
      gsk_render_node_unref (node);
    }
  path = g_build_filename (shots, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* Every control of the window, with each side panel shown in turn. */
static void
test_window_names (void)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (panels); i++)
    {
      g_autofree char *shot = g_strdup_printf ("window-%s.png", panels[i]);

      GtkWidget *page;
      int min_width, nat_width;

      gtk_stack_set_visible_child_name (panel_stack (), panels[i]);
      philia_test_spin_for (300);
      /* The widest page sets the side panel's width, and what is left to the canvas. */
      page = gtk_stack_get_visible_child (panel_stack ());
      gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &nat_width, NULL, NULL);
      g_test_message ("%s page: minimum width %d, natural %d", panels[i], min_width, nat_width);
      walk (GTK_WIDGET (window), unnamed, &n);
      save_shot (GTK_WIDGET (window), shot);
    }
  g_test_message ("%u controls walked", n);
  g_assert_cmpuint (n, >, 40);
  if (unnamed->len > 0)
    g_error ("controls without an accessible name:%s", unnamed->str);
}

static void
check_dialog (GtkWindow  *dialog,
              const char *shot)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);
  guint n = 0;

  gtk_window_present (dialog);
  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, dialog, 5000));
  philia_test_spin_for (200);
  walk (GTK_WIDGET (dialog), unnamed, &n);
  save_shot (GTK_WIDGET (dialog), shot);
  gtk_window_destroy (dialog);
  g_test_message ("%s: %u controls walked", shot, n);
  g_assert_cmpuint (n, >, 1);
  if (unnamed->len > 0)
    g_error ("controls without an accessible name in %s:%s", shot, unnamed->str);
}

static void
test_dialog_names (void)
{
  check_dialog (GTK_WINDOW (philia_filter_dialog_new (window)), "dialog-filter.png");
  check_dialog (GTK_WINDOW (philia_generate_dialog_new (window)), "dialog-generate.png");
  check_dialog (GTK_WINDOW (philia_split_dialog_new (window)), "dialog-split.png");
  check_dialog (GTK_WINDOW (philia_export_dialog_new (GTK_WINDOW (window))), "dialog-export.png");
}

/* The selected node's facts, computed here from the graph (local homophily
 * by counting the labeled neighbours of the same class). */
static char *
expected_description (PhiliaGraph *graph,
                      guint        v)
{
  const gint32 *y = philia_graph_get_labels (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  const char *name = philia_graph_get_node_name (graph, v);
  g_autofree char *node = name ? g_strdup (name) : g_strdup_printf ("%u", v);
  g_autofree char *klass = NULL;
  g_autofree char *hom = NULL;
  guint same = 0, labeled = 0;

  for (gint64 e = off[v]; e < off[v + 1]; e++)
    if (y[nbr[e]] >= 0)
      {
        labeled++;
        same += y[nbr[e]] == y[v];
      }
  if (y[v] < 0)
    klass = g_strdup ("unlabeled");
  else if (philia_graph_get_class_name (graph, y[v]) != NULL)
    klass = g_strdup_printf ("class %s", philia_graph_get_class_name (graph, y[v]));
  else
    klass = g_strdup_printf ("class %d", y[v]);
  hom = labeled > 0 && y[v] >= 0 ? g_strdup_printf ("%.2f", (double) same / labeled)
                                 : g_strdup ("undefined");
  return g_strdup_printf ("Node %s, %s, degree %u, local homophily %s", node, klass,
                          (guint) (off[v + 1] - off[v]), hom);
}

/* The canvas page's drawing area is its focus stop: named, described by
 * the selection; the page around it (toolbar and area) takes no focus and
 * says nothing of its own. */
static void
test_canvas_description (void)
{
  GtkWidget *canvas = philia_window_get_canvas (window);
  GtkWidget *area = GTK_WIDGET (philia_canvas_get_graph_area (PHILIA_CANVAS (canvas)));
  PhiliaGraph *graph = philia_window_get_graph (window);
  guint pair[2] = { 0, 1 };
  char *failure;

  g_assert_true (gtk_widget_get_focusable (area));
  g_assert_false (gtk_widget_get_focusable (canvas));
  gtk_test_accessible_assert_property (area, GTK_ACCESSIBLE_PROPERTY_LABEL, "Graph canvas");
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (canvas),
                                                    GTK_ACCESSIBLE_PROPERTY_LABEL));
  for (guint v = 0; v < philia_graph_get_n_nodes (graph); v += 331)
    {
      g_autofree char *want = expected_description (graph, v);

      philia_canvas_set_selection (PHILIA_CANVAS (canvas), &v, 1);
      failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (area),
                                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, want);
      if (failure != NULL)
        g_error ("node %u: the graph area says “%s”, expected “%s”", v, failure, want);
      g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (canvas),
                                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
    }
  philia_canvas_set_selection (PHILIA_CANVAS (canvas), pair, 2);
  gtk_test_accessible_assert_property (area, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "2 nodes selected");
  philia_canvas_set_selection (PHILIA_CANVAS (canvas), NULL, 0);
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (area),
                                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action)
{
  if (GTK_IS_ACTIONABLE (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_action_button (c, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether Tab, from the window's first focus, reaches @target (an ancestor of the focus counts). */
static gboolean
tab_reaches (GtkWidget *target)
{
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  for (guint i = 0; i < 400; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        continue;     /* wrapped around: the next call starts over */
      focus = gtk_window_get_focus (GTK_WINDOW (window));
      if (focus == target || (focus != NULL && gtk_widget_is_ancestor (focus, target)))
        return TRUE;
    }
  return FALSE;
}

/* The steps of a keyboard-only session: open (Ctrl+O), lay out (the layout
 * drop-down on the focus chain), select (Ctrl+F and Enter on the find entry),
 * train (the Train button on the focus chain), export (Ctrl+E on a chart). */
static void
test_keyboard (void)
{
  GtkWidget *canvas = philia_window_get_canvas (window);
  GtkWidget *area = GTK_WIDGET (philia_canvas_get_graph_area (PHILIA_CANVAS (canvas)));
  GtkWidget *train = philia_window_get_train_panel (window);
  GtkWidget *stats = philia_window_get_stats_panel (window);
  GtkWidget *entry, *layout, *button, *chart;
  g_auto(GStrv) open = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.open");
  g_autofree char *want = NULL;
  guint n = 0;
  const guint *selected;

  g_assert_true (g_strv_contains ((const char *const *) open, "<Control>o"));

  layout = find_type (canvas, GTK_TYPE_DROP_DOWN);
  g_assert_nonnull (layout);
  g_assert_true (tab_reaches (layout));
  /* The graph itself is a stop of its own: the area, whose keys move the view. */
  g_assert_true (tab_reaches (area));
  g_assert_true (gtk_widget_has_focus (area));

  /* Ctrl+F, type, Enter. */
  entry = find_type (canvas, GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  g_assert_true (gtk_widget_activate_action (canvas, "canvas.find", NULL));
  philia_test_spin_for (100);
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (window)), entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "42");
  g_signal_emit_by_name (entry, "activate");
  selected = philia_canvas_get_selection (PHILIA_CANVAS (canvas), &n);
  g_assert_cmpuint (n, ==, 1);
  want = expected_description (philia_window_get_graph (window), selected[0]);
  gtk_test_accessible_assert_property (area, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, want);

  gtk_stack_set_visible_child_name (panel_stack (), "train");
  philia_test_spin_for (200);
  button = find_action_button (train, "train.start");
  g_assert_nonnull (button);
  g_assert_true (tab_reaches (button));

  /* A chart takes the focus and exports with Ctrl+E. */
  gtk_stack_set_visible_child_name (panel_stack (), "statistics");
  philia_test_spin_for (200);
  chart = find_type (stats, g_type_from_name ("PhiliaChartView"));
  g_assert_nonnull (chart);
  g_assert_true (gtk_widget_get_focusable (chart));
  g_assert_true (tab_reaches (chart));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* The test AT context keeps the properties and relations for has_property(). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  if (!philia_test_init (&argc, &argv, "A11y"))
    return g_test_run ();
  /* Translated screenshots: the catalogues of the build tree. */
  if (g_getenv ("PHILIA_LOCALEDIR") != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PHILIA_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }

  shots = g_getenv ("PHILIA_A11Y_SHOTS");
  window = philia_test_window_new (&app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, window, 10000));
  g_assert_true (philia_test_spin_until (load_done, NULL, 30000));
  philia_test_spin_for (500);

  g_test_add_func ("/Philia/A11y/window-names", test_window_names);
  g_test_add_func ("/Philia/A11y/dialog-names", test_dialog_names);
  g_test_add_func ("/Philia/A11y/canvas-description", test_canvas_description);
  g_test_add_func ("/Philia/A11y/keyboard", test_keyboard);

  ret = g_test_run ();

  philia_test_window_destroy (window, &app);
  return ret;
}
