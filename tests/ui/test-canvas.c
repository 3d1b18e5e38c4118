/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "philia-canvas.h"
#include "philia-inspector.h"
#include "philia-test-util.h"
#include "philia-window.h"

/* One window with the bundled Cora, driven through the canvas's actions. */
static PhiliaApplication *app;
static PhiliaWindow *window;

static PhiliaCanvas *
canvas (void)
{
  return PHILIA_CANVAS (philia_window_get_canvas (window));
}

static PhiliaInspector *
inspector (void)
{
  return PHILIA_INSPECTOR (philia_window_get_inspector (window));
}

static gboolean
layout_done (gpointer data)
{
  return !philia_window_get_loading (window) && philia_window_get_graph (window) != NULL
         && !philia_canvas_get_busy (canvas ()) && philia_canvas_has_positions (canvas ());
}

static void
activate (const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (canvas ()), action, parameter));
}

static void
assert_selection (guint n_expected,
                  guint first)
{
  guint n;
  const guint *nodes = philia_window_get_selected_nodes (window, &n);

  g_assert_cmpuint (n, ==, n_expected);
  if (n_expected > 0)
    g_assert_cmpuint (nodes[0], ==, first);
  nodes = philia_canvas_get_selection (canvas (), &n);
  g_assert_cmpuint (n, ==, n_expected);
  if (n_expected > 0)
    g_assert_cmpuint (nodes[0], ==, first);
}

static gboolean
fitted (gpointer data)
{
  return philia_canvas_get_scale (canvas ()) > 0;
}

static void
test_layout (void)
{
  PhiliaGraph *graph;

  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, window, 10000));
  g_assert_true (philia_test_spin_until (layout_done, NULL, 60000));

  graph = philia_window_get_graph (window);
  g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, 2708);
  g_assert_true (philia_canvas_get_graph (canvas ()) == graph);
  g_assert_true (philia_canvas_get_shown_graph (canvas ()) == graph);
  g_assert_cmpstr (philia_canvas_get_layout (canvas ()), ==, philia_layout_default_algorithm (graph));
  /* Fitted once the window has its first allocation, which under load can
   * come after the layout. */
  g_assert_true (philia_test_spin_until (fitted, NULL, 10000));
}

static void
test_zoom (void)
{
  double fitted, zoomed;

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  activate ("canvas.fit", NULL);
  fitted = philia_canvas_get_scale (canvas ());
  g_assert_cmpfloat (fitted, >, 0);

  activate ("canvas.zoom-in", NULL);
  zoomed = philia_canvas_get_scale (canvas ());
  g_assert_cmpfloat_with_epsilon (zoomed / fitted, PHILIA_CANVAS_ZOOM_STEP, 1e-9);

  activate ("canvas.zoom-out", NULL);
  g_assert_cmpfloat_with_epsilon (philia_canvas_get_scale (canvas ()), fitted, 1e-9 * fitted);

  activate ("canvas.zoom-in", NULL);
  activate ("canvas.fit", NULL);
  g_assert_cmpfloat_with_epsilon (philia_canvas_get_scale (canvas ()), fitted, 1e-9 * fitted);
}

static void
test_select (void)
{
  g_autofree char *heading = NULL;

  activate ("canvas.select-node", g_variant_new_int64 (0));
  assert_selection (1, 0);

  /* Cora's node 0 cites or is cited by three papers. */
  g_assert_cmpstr (philia_inspector_get_row_text (inspector (), "id"), ==, "0");
  g_assert_cmpstr (philia_inspector_get_row_text (inspector (), "degree"), ==, "3");
  g_assert_cmpuint (philia_inspector_get_n_neighbour_rows (inspector ()), ==, 3);
  heading = g_strdup (philia_inspector_get_row_text (inspector (), "neighbours"));
  g_test_message ("inspector: %s; local homophily %s", heading,
                  philia_inspector_get_row_text (inspector (), "local-homophily"));
  g_assert_true (g_str_has_prefix (heading, "3 neighbours"));

  activate ("canvas.zoom-to-selection", NULL);
  g_assert_cmpfloat (philia_canvas_get_scale (canvas ()), >, 0);

  activate ("canvas.clear-selection", NULL);
  assert_selection (0, 0);

  /* The window's selection (e.g. a histogram bin) reaches the canvas and the inspector. */
  philia_window_set_selected_nodes (window, (const guint[]) { 1, 2, 3 }, 3);
  assert_selection (3, 1);
  g_assert_nonnull (strstr (philia_inspector_get_row_text (inspector (), "summary"),
                            "3 nodes selected"));

  /* Escape on the graph area (the page's focus stop) clears it too, for the
   * window; with nothing selected it leaves the key to the window. */
  g_assert_true (philia_test_press_key (GTK_WIDGET (philia_canvas_get_graph_area (canvas ())),
                                        GDK_KEY_Escape, 0));
  assert_selection (0, 0);
  g_assert_false (philia_test_press_key (GTK_WIDGET (philia_canvas_get_graph_area (canvas ())),
                                         GDK_KEY_Escape, 0));
}

static void
test_find (void)
{
  g_assert_true (philia_canvas_find_node (canvas (), "1"));
  assert_selection (1, 1);
  g_assert_false (philia_canvas_find_node (canvas (), "no such node"));
  assert_selection (1, 1);
  activate ("canvas.clear-selection", NULL);
}

static gboolean
ego_done (gpointer data)
{
  return !philia_canvas_get_busy (canvas ()) && philia_canvas_has_positions (canvas ());
}

static void
test_neighbourhood (void)
{
  PhiliaGraph *graph = philia_window_get_graph (window);
  PhiliaGraph *ego;
  const guint *nodes;
  guint n;

  activate ("canvas.select-node", g_variant_new_int64 (0));
  activate ("canvas.neighbourhood", NULL);   /* k = 1, the spin button's default */
  g_assert_true (philia_test_spin_until (ego_done, NULL, 30000));

  ego = philia_canvas_get_shown_graph (canvas ());
  g_assert_true (ego != graph);
  g_assert_cmpuint (philia_graph_get_n_nodes (ego), ==, 4);
  g_assert_cmpint (philia_graph_get_n_edges (ego), >=, 3);
  nodes = philia_canvas_get_shown_nodes (canvas (), &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpuint (nodes[0], ==, 0);
  assert_selection (1, 0);

  /* k = 2 is larger, and the way back restores the cached layout at once. */
  g_assert_true (philia_canvas_show_neighbourhood (canvas (), 0, 2));
  g_assert_true (philia_test_spin_until (ego_done, NULL, 30000));
  g_assert_cmpuint (philia_graph_get_n_nodes (philia_canvas_get_shown_graph (canvas ())), >, 4);

  activate ("canvas.whole-graph", NULL);
  g_assert_true (philia_canvas_get_shown_graph (canvas ()) == graph);
  g_assert_false (philia_canvas_get_busy (canvas ()));
  g_assert_true (philia_canvas_has_positions (canvas ()));
  activate ("canvas.clear-selection", NULL);
}

static void
test_layout_cache (void)
{
  PhiliaGraph *graph = philia_window_get_graph (window);
  const char *first = philia_layout_default_algorithm (graph);

  philia_canvas_set_layout (canvas (), "circle");
  g_assert_true (philia_test_spin_until (layout_done, NULL, 30000));
  g_assert_cmpstr (philia_canvas_get_layout (canvas ()), ==, "circle");

  /* Back to the first layout: from the cache, no worker. */
  philia_canvas_set_layout (canvas (), first);
  g_assert_false (philia_canvas_get_busy (canvas ()));
  g_assert_true (philia_canvas_has_positions (canvas ()));
}

static void
test_render (void)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint32 *pixels = NULL;
  GtkWidget *widget = GTK_WIDGET (canvas ());
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  GskRenderer *renderer;
  graphene_rect_t bounds;
  int width, height;
  gsize differing = 0;

  philia_canvas_set_color_by (canvas (), PHILIA_COLOR_BY_LABEL);
  activate ("canvas.fit", NULL);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* A fresh node of the canvas alone (HACKING.md §13). */
  snapshot = gtk_snapshot_new ();
  gtk_widget_snapshot_child (gtk_widget_get_parent (widget), widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  gsk_render_node_get_bounds (node, &bounds);
  width = (int) bounds.size.width;
  height = (int) bounds.size.height;
  g_assert_cmpint (width, >, 100);
  g_assert_cmpint (height, >, 100);

  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, &bounds);
  gsk_render_node_unref (node);
  philia_test_save_png (texture, "canvas.png");

  pixels = g_new (guint32, (gsize) width * height);
  gdk_texture_download (texture, (guchar *) pixels, width * 4);
  /* Count pixels that differ from the canvas background in the lower half (below the toolbar). */
  for (gsize i = (gsize) width * (height / 2); i < (gsize) width * height; i++)
    differing += pixels[i] != pixels[(gsize) width * (height - 1)];
  g_test_message ("%" G_GSIZE_FORMAT " drawn pixels in the lower half", differing);
  g_assert_cmpuint (differing, >, (gsize) width * height / 200);
}

static void
assert_magic (const char *path,
              const char *magic,
              gsize       offset)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpuint (length, >, offset + strlen (magic));
  g_assert_true (memcmp (contents + offset, magic, strlen (magic)) == 0);
}

static void
test_export (void)
{
  static const struct { const char *name; const char *magic; gsize offset; gboolean whole; } files[] = {
    { "canvas-view.png", "\x89PNG", 0, FALSE },
    { "canvas-view.svg", "<svg", 0, FALSE },
    { "canvas-view.pdf", "%PDF", 0, FALSE },
    { "canvas-whole.png", "\x89PNG", 0, TRUE },
    { "canvas-whole.svg", "<svg", 0, TRUE },
    { "canvas-whole.pdf", "%PDF", 0, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_BUILT, files[i].name, NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (philia_canvas_export (canvas (), path, 480, 360, 150, files[i].whole, &error));
      g_assert_no_error (error);
      if (g_str_has_suffix (path, ".svg"))
        {
          g_autofree char *contents = NULL;

          g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
          g_assert_nonnull (strstr (contents, files[i].magic));
        }
      else
        assert_magic (path, files[i].magic, files[i].offset);
      g_test_message ("exported %s", path);
    }
}

static guint
n_items (const char *dropdown)
{
  GObject *widget = gtk_widget_get_template_child (GTK_WIDGET (canvas ()), PHILIA_TYPE_CANVAS,
                                                   dropdown);

  return g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (widget)));
}

static GtkDropDown *
dropdown (const char *name)
{
  return GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (canvas ()),
                                                       PHILIA_TYPE_CANVAS, name));
}

/* Layers other panels add join the colour menu, can be picked there, replaced
 * and removed; edge values and highlights follow the neighbourhood view and
 * reach exports; a new graph drops them all. */
static void
test_overlays (void)
{
  PhiliaGraph *graph = philia_window_get_graph (window);
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  g_autofree double *values = g_new (double, n);
  g_autofree gint32 *cats = g_new (gint32, n);
  g_autofree double *edges = g_new (double, off[n]);
  const char * const names[] = { "correct", "wrong" };
  const guint ring[] = { 1, 2 }, path[] = { 0, 633 }, pair[] = { 0, 633 };
  g_autoptr(PhiliaGraph) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *png = g_test_build_filename (G_TEST_BUILT, "canvas-overlays.png", NULL);
  g_autofree char *ego_png = g_test_build_filename (G_TEST_BUILT, "canvas-overlays-ego.png", NULL);

  for (guint v = 0; v < n; v++)
    {
      values[v] = philia_graph_get_degree (graph, v);
      cats[v] = v % 3 == 0 ? 0 : v % 3 == 1 ? 1 : -1;
    }
  for (gint64 e = 0; e < off[n]; e++)
    edges[e] = (double) e / off[n];

  philia_canvas_set_color_by (canvas (), PHILIA_COLOR_BY_LABEL);
  g_assert_cmpuint (n_items ("color_dropdown"), ==, 3);
  philia_canvas_set_node_values (canvas (), "degree-copy", "Degree (copy)", values, 0, 168);
  g_assert_cmpuint (n_items ("color_dropdown"), ==, 4);
  g_assert_cmpint (philia_canvas_get_color_by (canvas ()), ==, PHILIA_COLOR_BY_LABEL);
  g_assert_true (philia_canvas_show_node_layer (canvas (), "degree-copy"));
  g_assert_cmpint (philia_canvas_get_color_by (canvas ()), ==, PHILIA_COLOR_BY_VALUE);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown ("color_dropdown")), ==, 3);
  g_assert_false (philia_canvas_show_node_layer (canvas (), "no-such-layer"));

  /* Picked from the menu, as a user would. */
  philia_canvas_set_node_categories (canvas (), "correctness", "Correctness", cats, names,
                                     (const double[]) { 0, 0.45, 0.7,   0.84, 0.37, 0 }, 2);
  g_assert_cmpuint (n_items ("color_dropdown"), ==, 5);
  gtk_drop_down_set_selected (dropdown ("color_dropdown"), 4);
  g_assert_cmpstr (philia_canvas_get_node_layer (canvas ()), ==, "correctness");
  g_assert_cmpint (philia_canvas_get_color_by (canvas ()), ==, PHILIA_COLOR_BY_CATEGORY);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* Replacing a layer keeps its place; the shown one stays shown. */
  philia_canvas_set_node_values (canvas (), "degree-copy", "Degree (log)", values, 0, 10);
  g_assert_cmpuint (n_items ("color_dropdown"), ==, 5);
  g_assert_cmpstr (philia_canvas_get_node_layer (canvas ()), ==, "correctness");

  /* Edge values: a fourth edge style, picked and left like the others. */
  philia_canvas_set_edge_values (canvas (), "Attention", edges, 0, 1, TRUE);
  g_assert_cmpuint (n_items ("edges_dropdown"), ==, 4);
  g_assert_cmpint (philia_canvas_get_edge_style (canvas ()), ==, PHILIA_EDGES_VALUE);
  gtk_drop_down_set_selected (dropdown ("edges_dropdown"), 1);
  g_assert_cmpint (philia_canvas_get_edge_style (canvas ()), ==, PHILIA_EDGES_PLAIN);
  gtk_drop_down_set_selected (dropdown ("edges_dropdown"), 3);
  g_assert_cmpint (philia_canvas_get_edge_style (canvas ()), ==, PHILIA_EDGES_VALUE);

  philia_canvas_set_highlight (canvas (), ring, 2, path, 2, pair);
  g_assert_true (philia_canvas_export (canvas (), png, 480, 360, 96, TRUE, &error));
  g_assert_no_error (error);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* In the neighbourhood view: the layers are mapped onto its nodes and edges. */
  g_assert_true (philia_canvas_show_neighbourhood (canvas (), 0, 2));
  g_assert_true (philia_test_spin_until (ego_done, NULL, 30000));
  g_assert_cmpstr (philia_canvas_get_node_layer (canvas ()), ==, "correctness");
  g_assert_true (philia_canvas_show_node_layer (canvas (), "degree-copy"));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (philia_canvas_export (canvas (), ego_png, 480, 360, 96, TRUE, &error));
  g_assert_no_error (error);
  activate ("canvas.whole-graph", NULL);

  /* Removing the shown layer falls back to the classes. */
  philia_canvas_remove_node_layer (canvas (), "degree-copy");
  g_assert_cmpuint (n_items ("color_dropdown"), ==, 4);
  g_assert_null (philia_canvas_get_node_layer (canvas ()));
  g_assert_cmpint (philia_canvas_get_color_by (canvas ()), ==, PHILIA_COLOR_BY_LABEL);
  philia_canvas_set_edge_values (canvas (), NULL, NULL, 0, 0, FALSE);
  g_assert_cmpuint (n_items ("edges_dropdown"), ==, 3);
  g_assert_cmpint (philia_canvas_get_edge_style (canvas ()), ==, PHILIA_EDGES_HOMOPHILY);

  /* Another graph: everything added is gone. */
  philia_canvas_set_node_values (canvas (), "degree-copy", "Degree (copy)", values, 0, 168);
  philia_canvas_set_edge_values (canvas (), "Attention", edges, 0, 1, FALSE);
  philia_canvas_show_node_layer (canvas (), "degree-copy");
  {
    g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (5);

    for (guint v = 0; v + 1 < 5; v++)
      philia_graph_builder_add_edge (builder, v, v + 1);
    other = philia_graph_builder_build (builder, &error);
    g_assert_no_error (error);
  }
  /* The canvas on its own (the window's document let go of first: with a
   * document, another graph is another document, HACKING.md §10). */
  g_object_set (canvas (), "document", NULL, NULL);
  philia_canvas_set_graph (canvas (), other);
  g_assert_cmpuint (n_items ("color_dropdown"), ==, 3);
  g_assert_cmpuint (n_items ("edges_dropdown"), ==, 3);
  g_assert_null (philia_canvas_get_node_layer (canvas ()));
  g_assert_cmpint (philia_canvas_get_edge_style (canvas ()), ==, PHILIA_EDGES_HOMOPHILY);
  philia_canvas_set_graph (canvas (), graph);
  g_object_set (canvas (), "document", philia_window_get_document (window), NULL);
  g_assert_true (philia_test_spin_until (layout_done, NULL, 30000));
}

static gboolean
canvas_ready (gpointer data)
{
  PhiliaCanvas *c = data;

  return !philia_canvas_get_busy (c) && philia_canvas_has_positions (c);
}

static GBytes *
export_bytes (PhiliaCanvas *c,
              const char   *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (philia_canvas_export (c, path, 320, 240, 96, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_unlink (path);
  return g_bytes_new_take (contents, length);
}

/* A reopened project shows its latest explained pair on a canvas no
 * Proximity panel ever saw: the pair, its common neighbours and a shortest
 * path, the same drawing as a highlight given by hand. */
static void
test_pair_from_document (void)
{
  /* 0–1–2 with one common neighbour (1), a longer way round 0–3–4–2, an
   * isolated node 5 and a self-loop on 4. */
  const guint edges[][2] = { { 0, 1 }, { 1, 2 }, { 0, 3 }, { 3, 4 }, { 4, 2 }, { 4, 4 } };
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (6);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaDocument) written = NULL;
  g_autoptr(PhiliaDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-canvas-XXXXXX", &error);
  g_autofree char *project = NULL;
  g_autofree char *png = NULL;
  PhiliaProximityParams params;
  GtkWidget *win, *c;
  g_autoptr(GBytes) derived = NULL;
  g_autoptr(GBytes) by_hand = NULL;
  g_autoptr(GBytes) cleared = NULL;

  g_assert_no_error (error);
  project = g_build_filename (dir, "pair.philia", NULL);
  png = g_build_filename (dir, "pair.png", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    philia_graph_builder_add_edge (builder, edges[i][0], edges[i][1]);
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  written = philia_document_new (graph, NULL, NULL);
  philia_proximity_params_init_default (&params);
  philia_document_add_pair (written, 3, 1, &params);
  philia_document_add_pair (written, 0, 2, &params);
  g_assert_true (philia_document_save (written, project, NULL, &error));
  g_assert_no_error (error);
  document = philia_document_open (project, NULL, PHILIA_PROJECT_OPEN_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (philia_document_get_n_pairs (document), ==, 2);

  /* A bare canvas in a bare window: no panel can set anything on it. */
  win = gtk_window_new ();
  c = philia_canvas_new ();
  gtk_window_set_child (GTK_WINDOW (win), c);
  gtk_window_set_default_size (GTK_WINDOW (win), 480, 360);
  philia_canvas_set_document (PHILIA_CANVAS (c), document);
  gtk_window_present (GTK_WINDOW (win));
  g_assert_true (philia_test_spin_until (canvas_ready, c, 30000));
  gtk_test_widget_wait_for_draw (win);

  derived = export_bytes (PHILIA_CANVAS (c), png);
  philia_canvas_set_highlight (PHILIA_CANVAS (c), (const guint[]) { 1 }, 1,
                               (const guint[]) { 0, 1, 2 }, 3, (const guint[]) { 0, 2 });
  by_hand = export_bytes (PHILIA_CANVAS (c), png);
  g_assert_true (g_bytes_equal (derived, by_hand));
  philia_canvas_clear_highlight (PHILIA_CANVAS (c));
  cleared = export_bytes (PHILIA_CANVAS (c), png);
  g_assert_false (g_bytes_equal (derived, cleared));

  /* A newly explained pair replaces it: 3 and 4 are linked, with no common
   * neighbour; then a pair with the isolated node has no path. */
  g_clear_pointer (&derived, g_bytes_unref);
  g_clear_pointer (&by_hand, g_bytes_unref);
  philia_document_add_pair (document, 3, 4, &params);
  derived = export_bytes (PHILIA_CANVAS (c), png);
  philia_canvas_set_highlight (PHILIA_CANVAS (c), NULL, 0, (const guint[]) { 3, 4 }, 2,
                               (const guint[]) { 3, 4 });
  by_hand = export_bytes (PHILIA_CANVAS (c), png);
  g_assert_true (g_bytes_equal (derived, by_hand));

  g_clear_pointer (&derived, g_bytes_unref);
  g_clear_pointer (&by_hand, g_bytes_unref);
  philia_document_add_pair (document, 5, 0, &params);
  derived = export_bytes (PHILIA_CANVAS (c), png);
  philia_canvas_set_highlight (PHILIA_CANVAS (c), NULL, 0, NULL, 0, (const guint[]) { 5, 0 });
  by_hand = export_bytes (PHILIA_CANVAS (c), png);
  g_assert_true (g_bytes_equal (derived, by_hand));

  gtk_window_destroy (GTK_WINDOW (win));
  g_unlink (project);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!philia_test_init (&argc, &argv, "Canvas"))
    return g_test_run ();

  window = philia_test_window_new (&app);

  g_test_add_func ("/Philia/Canvas/layout", test_layout);
  g_test_add_func ("/Philia/Canvas/zoom", test_zoom);
  g_test_add_func ("/Philia/Canvas/select", test_select);
  g_test_add_func ("/Philia/Canvas/find", test_find);
  g_test_add_func ("/Philia/Canvas/neighbourhood", test_neighbourhood);
  g_test_add_func ("/Philia/Canvas/layout-cache", test_layout_cache);
  g_test_add_func ("/Philia/Canvas/render", test_render);
  g_test_add_func ("/Philia/Canvas/overlays", test_overlays);
  g_test_add_func ("/Philia/Canvas/export", test_export);
  g_test_add_func ("/Philia/Canvas/pair-from-document", test_pair_from_document);

  ret = g_test_run ();

  philia_test_window_destroy (window, &app);

  return ret;
}
