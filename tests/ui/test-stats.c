/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "philia-chart-view.h"
#include "philia-generate-dialog.h"
#include "philia-stats-panel.h"
#include "philia-test-util.h"
#include "philia-window.h"

/* The Statistics page, driven through the real window as a user would:
 * bundled Cora first, then conventions, a bin, exports, another dataset and
 * a generated graph. */
static PhiliaApplication *app;
static PhiliaWindow *window;

static PhiliaStatsPanel *
panel (void)
{
  return PHILIA_STATS_PANEL (philia_window_get_stats_panel (window));
}

/* Loaded, and the statistics on show belong to the window's graph. */
static gboolean
stats_ready (gpointer data)
{
  return !philia_window_get_loading (window)
         && philia_window_get_graph (window) != NULL
         && !philia_stats_panel_get_computing (panel ())
         && philia_stats_panel_get_result_graph (panel ()) == philia_window_get_graph (window);
}

static gboolean
not_computing (gpointer data)
{
  return !philia_stats_panel_get_computing (panel ());
}

static void
assert_value (const char *measure,
              const char *expected)
{
  g_assert_cmpstr (philia_stats_panel_get_value_text (panel (), measure), ==, expected);
}

static void
ensure_cora (void)
{
  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, window, 10000));
  if (philia_window_get_graph (window) == NULL
      || philia_graph_get_n_nodes (philia_window_get_graph (window)) != 2708)
    {
      philia_window_open_default (window);
      window = philia_test_follow_open (window);
    }
  g_assert_true (philia_test_spin_until (stats_ready, NULL, 30000));
}

/* Two graph measures as a plugin would register them: one that works, one that fails. */
static gboolean
density_compute (PhiliaGraph   *graph,
                 double        *out,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  double n = philia_graph_get_n_nodes (graph);

  out[0] = n > 1 ? 2.0 * philia_graph_get_n_edges (graph) / (n * (n - 1)) : NAN;
  return TRUE;
}

static gboolean
failing_compute (PhiliaGraph   *graph,
                 double        *out,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FAILED, "This measure always fails.");
  return FALSE;
}

static const PhiliaMeasureVTable density_vtable = { PHILIA_MEASURE_GRAPH, density_compute };
static const PhiliaMeasureVTable failing_vtable = { PHILIA_MEASURE_GRAPH, failing_compute };

static void
register_test_measures (void)
{
  const PhiliaAlgorithm algorithms[] = {
    { "test-density", PHILIA_FAMILY_MEASURE, "Edge density (test)", "2m / n(n-1).",
      "test-plugin", &density_vtable, NULL },
    { "test-failing", PHILIA_FAMILY_MEASURE, "Failing measure (test)", "Fails.",
      "test-plugin", &failing_vtable, NULL },
  };
  g_autoptr(GError) error = NULL;

  philia_registry_add_all (philia_registry_get_default (), algorithms,
                           G_N_ELEMENTS (algorithms), &error);
  g_assert_no_error (error);
}

static void
test_cora (void)
{
  g_autofree char *row = NULL;

  ensure_cora ();

  assert_value ("edge", "0.8100");
  assert_value ("node", "0.8252");
  assert_value ("class", "0.7657");
  assert_value ("adjusted", "0.7711");
  assert_value ("li", "0.5904");
  assert_value ("feature-edges", "0.1677");
  g_assert_null (philia_stats_panel_get_stored_text (panel (), "edge"));
  g_assert_null (philia_stats_panel_get_selection_text (panel ()));

  /* Class 0 of the bundled file: size, h_k and mean local homophily. */
  row = philia_stats_panel_dup_class_row_text (panel (), 0);
  g_test_message ("class 0: %s", row);
  g_assert_nonnull (row);
  g_assert_cmpstr (row, ==, "Theory|351|0.6994|0.7433");
  g_assert_null (philia_stats_panel_dup_class_row_text (panel (), 7));

  /* Plugins' graph measures get rows of their own: 2 · 5278 / (2708 · 2707). */
  assert_value ("test-density", "0.0014");
  assert_value ("test-failing", "failed");
}

static void
test_as_stored (void)
{
  GtkWidget *widget = GTK_WIDGET (panel ());

  ensure_cora ();

  /* "Rows as directed": the column appears, with Cora's stored numbers. */
  gtk_widget_activate_action (widget, "stats.directed", NULL);
  g_assert_nonnull (philia_stats_panel_get_stored_text (panel (), "node"));
  g_assert_true (philia_test_spin_until (not_computing, NULL, 30000));
  g_assert_cmpstr (philia_stats_panel_get_stored_text (panel (), "node"), ==, "0.8174");
  g_assert_cmpstr (philia_stats_panel_get_stored_text (panel (), "edge"), ==, "0.8100");
  g_assert_cmpstr (philia_stats_panel_get_difference_text (panel (), "node"), ==, "-0.0078");
  /* The default column stays as it was. */
  assert_value ("node", "0.8252");

  /* Cora has no self-loops: counting them changes nothing more. */
  gtk_widget_activate_action (widget, "stats.keep-self-loops", NULL);
  g_assert_true (philia_test_spin_until (not_computing, NULL, 30000));
  g_assert_cmpstr (philia_stats_panel_get_stored_text (panel (), "node"), ==, "0.8174");

  /* Both off: the column goes. */
  gtk_widget_activate_action (widget, "stats.keep-self-loops", NULL);
  gtk_widget_activate_action (widget, "stats.directed", NULL);
  g_assert_true (philia_test_spin_until (not_computing, NULL, 30000));
  g_assert_null (philia_stats_panel_get_stored_text (panel (), "node"));
  assert_value ("edge", "0.8100");
}

static guint selection_changes;

static void
on_selection_changed (PhiliaWindow *win,
                      gpointer      data)
{
  selection_changes++;
}

static void
test_select_bin (void)
{
  g_autoptr(PhiliaHomophily) h = NULL;
  g_autoptr(GError) error = NULL;
  const guint *nodes;
  guint n = 0, expected = 0;
  gulong id;

  ensure_cora ();
  h = philia_homophily_compute (philia_window_get_graph (window), PHILIA_CONVENTION_DEFAULT, 0,
                                NULL, &error);
  g_assert_no_error (error);
  for (guint v = 0; v < h->n_nodes; v++)
    expected += h->local_homophily[v] >= 0.9;
  g_assert_cmpuint (expected, ==, 1796);

  id = g_signal_connect (window, "selection-changed", G_CALLBACK (on_selection_changed), NULL);
  selection_changes = 0;

  philia_stats_panel_select_bin (panel (), 9);
  nodes = philia_window_get_selected_nodes (window, &n);
  g_assert_cmpuint (selection_changes, ==, 1);
  g_assert_cmpuint (n, ==, 1796);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat (h->local_homophily[nodes[i]], >=, 0.9);
      if (i > 0)
        g_assert_cmpuint (nodes[i - 1], <, nodes[i]);
    }
  g_assert_cmpstr (philia_stats_panel_get_selection_text (panel ()), ==,
                   "1796 nodes selected (local homophily 0.90–1.00)");

  /* Another bin replaces it; the same bin again clears it. */
  philia_stats_panel_select_bin (panel (), 2);
  philia_window_get_selected_nodes (window, &n);
  g_assert_cmpuint (n, ==, 50);
  g_assert_cmpstr (philia_stats_panel_get_selection_text (panel ()), ==,
                   "50 nodes selected (local homophily 0.20–0.30)");
  philia_stats_panel_select_bin (panel (), 2);
  g_assert_null (philia_window_get_selected_nodes (window, &n));
  g_assert_cmpuint (n, ==, 0);
  g_assert_null (philia_stats_panel_get_selection_text (panel ()));
  g_assert_cmpuint (selection_changes, ==, 3);

  /* Bins follow the option: 20 bins, the top one holds local homophily ≥ 0.95. */
  g_object_set (panel (), "bins", 20u, NULL);
  philia_stats_panel_select_bin (panel (), 19);
  philia_window_get_selected_nodes (window, &n);
  expected = 0;
  for (guint v = 0; v < h->n_nodes; v++)
    expected += h->local_homophily[v] >= 0.95;
  g_assert_cmpuint (n, ==, expected);
  philia_stats_panel_select_bin (panel (), -1);
  g_object_set (panel (), "bins", 10u, NULL);

  g_signal_handler_disconnect (window, id);
}

static void
assert_magic (const char *path,
              const char *magic,
              gsize       magic_len)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 500);
  g_assert_cmpmem (contents, magic_len, magic, magic_len);
}

static void
test_export (void)
{
  static const PhiliaStatsFigureKind kinds[] = {
    PHILIA_STATS_FIGURE_LOCAL_HOMOPHILY,
    PHILIA_STATS_FIGURE_COMPATIBILITY,
    PHILIA_STATS_FIGURE_DEGREE,
  };

  ensure_cora ();

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GtkWidget *chart = philia_stats_panel_get_chart (panel (), kinds[i]);
      const char *name = philia_stats_figure_kind_to_string (kinds[i]);
      static const char *extensions[] = { "png", "svg", "pdf" };

      g_assert_true (PHILIA_IS_CHART_VIEW (chart));
      g_assert_cmpstr (philia_chart_view_get_export_name (PHILIA_CHART_VIEW (chart)), ==, name);
      /* Ctrl+E and the Export button go through this action. */
      g_assert_true (gtk_widget_get_focusable (chart));

      for (guint e = 0; e < G_N_ELEMENTS (extensions); e++)
        {
          g_autofree char *file = g_strdup_printf ("stats-%s.%s", name, extensions[e]);
          g_autofree char *path = g_test_build_filename (G_TEST_BUILT, file, NULL);
          g_autoptr(GError) error = NULL;

          g_assert_true (philia_chart_view_export_full (PHILIA_CHART_VIEW (chart), path,
                                                        360, 240, 150, &error));
          g_assert_no_error (error);
          if (e == 0)
            assert_magic (path, "\x89PNG\r\n\x1a\n", 8);
          else if (e == 1)
            {
              g_autofree char *svg = NULL;

              g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
              g_assert_nonnull (strstr (svg, "<svg"));
            }
          else
            assert_magic (path, "%PDF-", 5);
          g_test_message ("exported %s", path);
        }
    }
}

static GtkStack *
side_stack (void)
{
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (panel ()), GTK_TYPE_STACK);

  /* The panel's own stack is inside it; the side stack holds the panel. */
  while (stack != NULL && gtk_stack_get_page (GTK_STACK (stack), GTK_WIDGET (panel ())) == NULL)
    stack = gtk_widget_get_ancestor (gtk_widget_get_parent (stack), GTK_TYPE_STACK);
  g_assert_nonnull (stack);
  return GTK_STACK (stack);
}

static void
test_render (void)
{
  g_autoptr(GdkTexture) texture = NULL;
  int width, height;

  ensure_cora ();
  gtk_stack_set_visible_child_name (side_stack (), "statistics");
  /* A selection, so the highlight is in the picture. */
  philia_stats_panel_select_bin (panel (), 9);

  philia_test_spin_for (600);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  g_test_message ("window %dx%d, statistics panel %dx%d", width, height,
                  gtk_widget_get_width (GTK_WIDGET (panel ())),
                  gtk_widget_get_height (GTK_WIDGET (panel ())));
  texture = philia_test_render_window (window, width, height);
  philia_test_save_png (texture, "window-stats.png");

  philia_stats_panel_select_bin (panel (), -1);
}

/* Whenever the window shows another graph, Cora's numbers must be gone from
 * the panel at once, not after the worker is done. */
static PhiliaGraph *cora_graph;
static guint stale_seen;

static gboolean
texas_ready_checking (gpointer data)
{
  if (philia_window_get_graph (window) != cora_graph
      && g_strcmp0 (philia_stats_panel_get_value_text (panel (), "edge"), "0.8100") == 0)
    stale_seen++;
  return stats_ready (data);
}

static void
test_new_dataset (void)
{
  g_autofree char *path = philia_test_shared_dataset ("texas.npz");

  if (path == NULL)
    {
      g_test_skip ("texas.npz not found in $PHILIA_SHARED_DATASETS");
      return;
    }

  ensure_cora ();
  cora_graph = philia_window_get_graph (window);
  stale_seen = 0;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-file", "s", path);
  /* Cora's document has work in it (the conventions toggled above), so Open
   * puts Texas in a window of its own (HACKING.md §10); the rest looks there. */
  window = philia_test_follow_open (window);
  g_assert_true (philia_test_spin_until (texas_ready_checking, NULL, 30000));
  g_assert_cmpuint (stale_seen, ==, 0);
  g_assert_true (philia_window_get_graph (window) != cora_graph);

  assert_value ("edge", "0.0609");
  g_assert_cmpuint (philia_graph_get_n_nodes (philia_stats_panel_get_result_graph (panel ())),
                    ==, 183);

  /* The published 0.112 of the geom-gcn lists: self-loops counted. */
  gtk_widget_activate_action (GTK_WIDGET (panel ()), "stats.keep-self-loops", NULL);
  g_assert_true (philia_test_spin_until (not_computing, NULL, 30000));
  g_test_message ("texas edge homophily as stored: %s",
                  philia_stats_panel_get_stored_text (panel (), "edge"));
  g_assert_nonnull (philia_stats_panel_get_stored_text (panel (), "edge"));
  gtk_widget_activate_action (GTK_WIDGET (panel ()), "stats.keep-self-loops", NULL);
  g_assert_true (philia_test_spin_until (not_computing, NULL, 30000));
}

static gboolean
chart_shown (PhiliaStatsFigureKind kind)
{
  return gtk_widget_is_visible (philia_stats_panel_get_chart (panel (), kind));
}

/* A graph without labels: one sentence says why, instead of a column of
 * "undefined" and empty label charts; the degree distribution stays. */
static void
test_unlabeled (void)
{
  g_autofree char *integers = g_test_build_filename (G_TEST_DIST, "..", "data", "import",
                                                     "integers.txt", NULL);
  g_autofree char *people = g_test_build_filename (G_TEST_DIST, "..", "data", "import",
                                                   "people.tsv", NULL);
  g_autofree char *dir = g_dir_make_tmp ("philia-ui-XXXXXX", NULL);
  g_autofree char *table = g_build_filename (dir, "people.nodes.csv", NULL);
  g_autoptr(GFile) people_file = g_file_new_for_path (people);
  g_autoptr(GFile) table_file = g_file_new_for_path (table);
  const char *notice;

  ensure_cora ();
  g_assert_null (philia_stats_panel_get_notice (panel ()));

  /* No labels, no features. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-file", "s", integers);
  window = philia_test_follow_open (window);
  g_assert_true (philia_test_spin_until (stats_ready, NULL, 30000));
  notice = philia_stats_panel_get_notice (panel ());
  g_test_message ("notice: %s", notice);
  g_assert_nonnull (notice);
  g_assert_true (g_str_has_prefix (notice, "No labels: open a node table or a file with labels."));
  g_assert_nonnull (strstr (notice, "neither"));
  for (const char **m = (const char *[]) { "edge", "node", "class", "adjusted", "li",
                                           "feature-edges", "feature-random", NULL }; *m; m++)
    g_assert_null (philia_stats_panel_get_value_text (panel (), *m));
  g_assert_false (chart_shown (PHILIA_STATS_FIGURE_LOCAL_HOMOPHILY));
  g_assert_false (chart_shown (PHILIA_STATS_FIGURE_COMPATIBILITY));
  g_assert_true (chart_shown (PHILIA_STATS_FIGURE_DEGREE));

  /* Features without labels (a node table with empty label cells): the
   * feature measures have values, the label ones still give way. */
  g_assert_true (g_file_set_contents (table, "id,label,f0,f1\nalice,,1,0\nbob,,0,1\n"
                                             "carol,,1,1\ndave,,0.5,2\n", -1, NULL));
  philia_window_open_with_nodes (window, people_file, table_file);
  window = philia_test_follow_open (window);
  g_assert_true (philia_test_spin_until (stats_ready, NULL, 30000));
  g_assert_cmpuint (philia_graph_get_n_features (philia_window_get_graph (window)), ==, 2);
  notice = philia_stats_panel_get_notice (panel ());
  g_assert_nonnull (notice);
  g_assert_null (strstr (notice, "neither"));
  g_assert_null (philia_stats_panel_get_value_text (panel (), "edge"));
  g_assert_null (philia_stats_panel_get_value_text (panel (), "li"));
  /* Edges alice–bob, bob–carol, carol–dave: cosines 0, 1/√2, 2.5/√8.5; mean 0.5215. */
  assert_value ("feature-edges", "0.5215");
  g_assert_false (chart_shown (PHILIA_STATS_FIGURE_LOCAL_HOMOPHILY));

  /* Labels again: everything is back, the sentence gone. */
  philia_window_open_default (window);
  window = philia_test_follow_open (window);
  g_assert_true (philia_test_spin_until (stats_ready, NULL, 30000));
  g_assert_null (philia_stats_panel_get_notice (panel ()));
  assert_value ("edge", "0.8100");
  g_assert_true (chart_shown (PHILIA_STATS_FIGURE_LOCAL_HOMOPHILY));
  g_assert_true (chart_shown (PHILIA_STATS_FIGURE_COMPATIBILITY));

  g_unlink (table);
  g_rmdir (dir);
}

static PhiliaGenerateDialog *
find_generate_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (PHILIA_IS_GENERATE_DIALOG (item))
        return PHILIA_GENERATE_DIALOG (item);
    }
  return NULL;
}

static gboolean
generated_ready (gpointer data)
{
  PhiliaGraph *graph = philia_window_get_graph (window);

  return graph != NULL && g_str_has_prefix (philia_graph_get_source (graph), "CSBM")
         && stats_ready (NULL);
}

static gboolean
generate_done (gpointer data)
{
  return !philia_generate_dialog_get_running (data);
}

static void
test_generate (void)
{
  PhiliaGraph *before;
  PhiliaGenerateDialog *dialog;
  PhiliaCsbmParams params;
  const char *text;
  double value;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  dialog = find_generate_dialog ();
  g_assert_nonnull (dialog);

  /* The ranges keep bad values out. */
  philia_generate_dialog_get_params (dialog, &params);
  params.n_nodes = 10;
  params.n_classes = 99;
  params.homophily = 1.5;
  philia_generate_dialog_set_params (dialog, &params);
  philia_generate_dialog_get_params (dialog, &params);
  g_assert_cmpuint (params.n_nodes, ==, 100);
  g_assert_cmpuint (params.n_classes, ==, 20);
  g_assert_cmpfloat (params.homophily, ==, 1.0);

  /* What the ranges cannot rule out, the generator refuses: said in the banner,
   * the dataset and the dialog stay. */
  before = philia_window_get_graph (window);
  params.n_nodes = 100;
  params.degree = 100;
  philia_generate_dialog_set_params (dialog, &params);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "generate.run", NULL);
  g_assert_true (philia_test_spin_until (generate_done, dialog, 30000));
  g_test_message ("banner: %s", philia_window_get_banner_message (window));
  g_assert_nonnull (philia_window_get_banner_message (window));
  g_assert_nonnull (strstr (philia_window_get_banner_message (window), "degree"));
  g_assert_true (philia_window_get_graph (window) == before);
  g_assert_true (find_generate_dialog () == dialog);

  params.n_nodes = 2000;
  params.degree = 10;
  params.n_classes = 5;
  params.homophily = 0.3;
  params.seed = 7;
  philia_generate_dialog_set_params (dialog, &params);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "generate.run", NULL);
  g_assert_true (philia_generate_dialog_get_running (dialog));
  g_assert_true (philia_test_spin_until (generated_ready, NULL, 60000));
  g_assert_null (philia_window_get_banner_message (window));

  g_assert_true (g_str_has_prefix (philia_graph_get_source (philia_window_get_graph (window)),
                                   "CSBM n=2000 "));
  g_assert_nonnull (strstr (philia_graph_get_source (philia_window_get_graph (window)),
                            " h=0.30"));
  text = philia_stats_panel_get_value_text (panel (), "edge");
  value = g_ascii_strtod (text, NULL);
  g_test_message ("generated edge homophily %s", text);
  g_assert_cmpfloat (fabs (value - 0.3), <=, 0.02);

  /* The dialog closed itself once the graph was on show. */
  philia_test_spin_for (100);
  g_assert_null (find_generate_dialog ());
}

static gboolean
latent_ready (gpointer data)
{
  PhiliaGraph *graph = philia_window_get_graph (window);

  return graph != NULL && g_str_has_prefix (philia_graph_get_source (graph), "latent-n300-")
         && stats_ready (NULL);
}

/* The latent space model: the model switch, the presets setting the knobs
 * (a knob changed by hand makes it Custom), and a graph generated. */
static void
test_generate_latent (void)
{
  PhiliaGenerateDialog *dialog;
  PhiliaLatentParams p;
  PhiliaGraph *graph;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  dialog = find_generate_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (philia_generate_dialog_get_model (dialog), ==, "csbm");
  philia_generate_dialog_set_model (dialog, "latent");
  g_assert_cmpstr (philia_generate_dialog_get_model (dialog), ==, "latent");

  philia_generate_dialog_set_latent_preset (dialog, PHILIA_LATENT_PRESET_GSP);
  philia_generate_dialog_get_latent_params (dialog, &p);
  g_assert_cmpstr (philia_generate_dialog_get_latent_preset (dialog), ==, "gsp");
  g_assert_cmpfloat (p.degree, ==, 3);
  g_assert_cmpfloat (p.feature_weight, ==, 0);

  /* Knobs by hand: Custom; out of range values are clamped. */
  p.n_nodes = 300;
  p.feature_weight = 1.5;
  philia_generate_dialog_set_latent_params (dialog, &p);
  g_assert_cmpstr (philia_generate_dialog_get_latent_preset (dialog), ==, "custom");
  philia_generate_dialog_get_latent_params (dialog, &p);
  g_assert_cmpfloat (p.feature_weight, ==, 1);

  /* A preset keeps the nodes, labels and seed. */
  philia_generate_dialog_set_latent_preset (dialog, PHILIA_LATENT_PRESET_FP);
  philia_generate_dialog_get_latent_params (dialog, &p);
  g_assert_cmpstr (philia_generate_dialog_get_latent_preset (dialog), ==, "fp");
  g_assert_cmpuint (p.n_nodes, ==, 300);
  g_assert_cmpfloat (p.degree, ==, 10);
  g_assert_cmpfloat (p.feature_weight, ==, 1);
  g_assert_cmpuint (p.feature_dim, ==, 8);

  gtk_widget_activate_action (GTK_WIDGET (dialog), "generate.run", NULL);
  g_assert_true (philia_generate_dialog_get_running (dialog));
  g_assert_true (philia_test_spin_until (latent_ready, NULL, 60000));
  graph = philia_window_get_graph (window);
  g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, 300);
  g_assert_cmpuint (philia_graph_get_n_features (graph), ==, 16);
  philia_test_spin_for (100);
  g_assert_null (find_generate_dialog ());
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!philia_test_init (&argc, &argv, "Stats"))
    return g_test_run ();

  window = philia_test_window_new (&app);

  register_test_measures ();
  g_test_add_func ("/Philia/Stats/cora", test_cora);
  g_test_add_func ("/Philia/Stats/generate-latent", test_generate_latent);
  g_test_add_func ("/Philia/Stats/as-stored", test_as_stored);
  g_test_add_func ("/Philia/Stats/select-bin", test_select_bin);
  g_test_add_func ("/Philia/Stats/export", test_export);
  g_test_add_func ("/Philia/Stats/render", test_render);
  g_test_add_func ("/Philia/Stats/new-dataset", test_new_dataset);
  g_test_add_func ("/Philia/Stats/unlabeled", test_unlabeled);
  g_test_add_func ("/Philia/Stats/generate", test_generate);

  ret = g_test_run ();

  philia_test_window_destroy (window, &app);

  return ret;
}
