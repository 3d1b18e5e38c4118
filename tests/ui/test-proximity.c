/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "philia-canvas.h"
#include "philia-chart-view.h"
#include "philia-proximity-gnn.h"
#include "philia-proximity-panel.h"
#include "philia-test-util.h"
#include "philia-window.h"

/* The Proximity page through the real window: a pair picked as the canvas
 * selection on the bundled Cora, its scores and common neighbours against
 * independent counts from the CSR, the path on the canvas, suggestions that
 * can be clicked, and an evaluation on a small graph. */
static PhiliaApplication *app;
static PhiliaWindow *window;
/* The pairs test_pair found: two hops with common neighbours, three hops. */
static guint pair2[2], pair3[2];

static PhiliaProximityPanel *
panel (void)
{
  return PHILIA_PROXIMITY_PANEL (philia_window_get_proximity_panel (window));
}

static gboolean
cora_ready (gpointer data)
{
  PhiliaGraph *g = philia_window_get_graph (window);

  return !philia_window_get_loading (window) && g != NULL
         && philia_graph_get_n_nodes (g) == 2708
         && philia_canvas_has_positions (PHILIA_CANVAS (philia_window_get_canvas (window)));
}

static void
ensure_cora (void)
{
  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, window, 10000));
  if (philia_window_get_graph (window) == NULL
      || philia_graph_get_n_nodes (philia_window_get_graph (window)) != 2708)
    {
      philia_window_open_default (window);
      /* A new window when the document had work in it (HACKING.md §10). */
      window = philia_test_follow_open (window);
    }
  g_assert_true (philia_test_spin_until (cora_ready, NULL, 60000));
}

typedef struct
{
  guint u, v;
} Pair;

static gboolean
explained (gpointer data)
{
  const Pair *p = data;
  const PhiliaPairExplanation *x = philia_proximity_panel_get_explanation (panel ());

  return !philia_proximity_panel_get_busy (panel ()) && x != NULL && x->u == p->u && x->v == p->v;
}

static gboolean
adjacent (PhiliaGraph *g,
          guint        a,
          guint        b)
{
  const gint64 *off = philia_graph_get_row_offsets (g);
  const gint32 *nbr = philia_graph_get_neighbors (g);

  for (gint64 e = off[a]; e < off[a + 1]; e++)
    if ((guint)nbr[e] == b)
      return TRUE;
  return FALSE;
}

/* BFS distance, −1 if unreachable. */
static int
distance (PhiliaGraph *g,
          guint        a,
          guint        b)
{
  guint n = philia_graph_get_n_nodes (g);
  const gint64 *off = philia_graph_get_row_offsets (g);
  const gint32 *nbr = philia_graph_get_neighbors (g);
  g_autofree int *dist = g_new (int, n);
  g_autofree guint *queue = g_new (guint, n);
  guint head = 0, tail = 0;

  for (guint i = 0; i < n; i++)
    dist[i] = -1;
  dist[a] = 0;
  queue[tail++] = a;
  while (head < tail)
    {
      guint x = queue[head++];

      for (gint64 e = off[x]; e < off[x + 1]; e++)
        if (dist[nbr[e]] < 0)
          {
            dist[nbr[e]] = dist[x] + 1;
            queue[tail++] = (guint)nbr[e];
          }
    }
  return dist[b];
}

static GdkTexture *
canvas_png (const char *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (philia_canvas_export (PHILIA_CANVAS (philia_window_get_canvas (window)), path,
                                       300, 300, 72, TRUE, &error));
  g_assert_no_error (error);
  return gdk_texture_new_from_filename (path, &error);
}

static void
select_and_check (guint u,
                  guint v)
{
  PhiliaGraph *g = philia_window_get_graph (window);
  const guint pair[2] = { u, v };
  Pair want = { u, v };
  const PhiliaPairExplanation *x;
  const gint64 *off = philia_graph_get_row_offsets (g);
  const gint32 *nbr = philia_graph_get_neighbors (g);
  g_autoptr(GArray) hand = g_array_new (FALSE, FALSE, sizeof (guint));
  const double *neg_scores;
  const gint64 *neg;
  gsize n_neg;
  double walks = 0;

  g_assert_cmpuint (u, <, v);   /* the selection is sorted */
  philia_window_set_selected_nodes (window, pair, 2);
  g_assert_true (philia_test_spin_until (explained, &want, 30000));
  x = philia_proximity_panel_get_explanation (panel ());

  /* Every score is philia_proximity's, and the table shows it. */
  for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    {
      g_autoptr(GError) error = NULL;
      double want_score = philia_proximity_score (g, NULL, h, u, v, &error);

      g_assert_no_error (error);
      g_assert_cmpfloat (x->scores[h], ==, want_score);
    }
  {
    g_autofree char *cn = g_strdup_printf ("%.0f", x->scores[PHILIA_PROXIMITY_CN]);
    g_autofree char *aa = g_strdup_printf ("%.4g", x->scores[PHILIA_PROXIMITY_AA]);

    g_assert_cmpstr (philia_proximity_panel_get_score_text (panel (), PHILIA_PROXIMITY_CN, 1),
                     ==, cn);
    g_assert_cmpstr (philia_proximity_panel_get_score_text (panel (), PHILIA_PROXIMITY_AA, 1),
                     ==, aa);
  }

  /* Common neighbours by a double loop over the two CSR rows. */
  for (gint64 a = off[u]; a < off[u + 1]; a++)
    for (gint64 b = off[v]; b < off[v + 1]; b++)
      if (nbr[a] == nbr[b])
        g_array_append_val (hand, nbr[a]);
  g_assert_cmpuint (x->common->len, ==, hand->len);
  for (guint i = 0; i < hand->len; i++)
    {
      const PhiliaCommonNeighbor *c = &g_array_index (x->common, PhiliaCommonNeighbor, i);
      guint w = g_array_index (hand, guint, i);
      double d = (double)(off[w + 1] - off[w]);

      g_assert_cmpuint (c->node, ==, w);
      g_assert_cmpfloat (fabs (c->aa - 1 / log (d)), <, 1e-12);
      g_assert_cmpfloat (fabs (c->ra - 1 / d), <, 1e-12);
      g_assert_nonnull (gtk_list_box_get_row_at_index (
        GTK_LIST_BOX (philia_proximity_panel_get_common_list (panel ())), (int)i));
    }
  g_assert_null (gtk_list_box_get_row_at_index (
    GTK_LIST_BOX (philia_proximity_panel_get_common_list (panel ())), (int)hand->len));

  /* A shortest path: as long as the BFS distance, each step an edge. */
  g_assert_cmpint ((int)x->path->len - 1, ==, distance (g, u, v));
  g_assert_cmpuint (g_array_index (x->path, guint, 0), ==, u);
  g_assert_cmpuint (g_array_index (x->path, guint, x->path->len - 1), ==, v);
  for (guint i = 0; i + 1 < x->path->len; i++)
    g_assert_true (adjacent (g, g_array_index (x->path, guint, i),
                             g_array_index (x->path, guint, i + 1)));

  /* Katz: the β-weighted walk counts are the Katz score (L = 3 by default). */
  for (guint l = 1; l <= x->katz_len; l++)
    walks += pow (x->katz_beta, l) * x->katz_counts[l - 1];
  g_assert_cmpfloat (fabs (walks - x->scores[PHILIA_PROXIMITY_KATZ]), <=,
                     1e-12 * MAX (1, x->scores[PHILIA_PROXIMITY_KATZ]));

  /* Ranks: negatives with a strictly higher score, recounted for cn and aa. */
  g_assert_nonnull (x->negatives);
  n_neg = philia_proximity_negatives_get_n_pairs (x->negatives);
  g_assert_cmpuint (n_neg, ==, 1000);
  neg = philia_proximity_negatives_get_pairs (x->negatives);
  for (guint h = PHILIA_PROXIMITY_CN; h <= PHILIA_PROXIMITY_AA; h += 2)
    {
      gint64 above = 0;
      g_autofree char *text = NULL;

      neg_scores = philia_proximity_negatives_get_scores (x->negatives, h);
      for (gsize i = 0; i < n_neg; i++)
        {
          double s = philia_proximity_score (g, NULL, h, neg[2 * i], neg[2 * i + 1], NULL);

          g_assert_cmpfloat (s, ==, neg_scores[i]);
          above += s > x->scores[h];
        }
      g_assert_cmpint (x->above[h], ==, above);
      text = g_strdup_printf ("%" G_GINT64_FORMAT " of 1000 higher", above);
      g_assert_cmpstr (philia_proximity_panel_get_score_text (panel (), h, 2), ==, text);
    }
}

/* A pair two hops apart with at least two common neighbours, and a pair at
 * distance three (found from the CSR, so the test does not depend on ids). */
static void
test_pair (void)
{
  PhiliaGraph *g;
  const gint64 *off;
  const gint32 *nbr;
  guint n, u2 = G_MAXUINT, v2 = 0, u3 = G_MAXUINT, v3 = 0;
  g_autofree char *dir = g_dir_make_tmp ("philia-prox-XXXXXX", NULL);
  g_autofree char *with = g_build_filename (dir, "with.png", NULL);
  g_autofree char *without = g_build_filename (dir, "without.png", NULL);
  g_autoptr(GdkTexture) a = NULL;
  g_autoptr(GdkTexture) b = NULL;
  g_autoptr(GBytes) bytes_a = NULL;
  g_autoptr(GBytes) bytes_b = NULL;

  ensure_cora ();
  g = philia_window_get_graph (window);
  n = philia_graph_get_n_nodes (g);
  off = philia_graph_get_row_offsets (g);
  nbr = philia_graph_get_neighbors (g);
  for (guint u = 0; u < n && u2 == G_MAXUINT; u++)
    for (guint v = u + 1; v < n && u2 == G_MAXUINT; v++)
      {
        guint common = 0;

        for (gint64 x = off[u]; x < off[u + 1]; x++)
          for (gint64 y = off[v]; y < off[v + 1]; y++)
            common += nbr[x] == nbr[y];
        if (common >= 2 && !adjacent (g, u, v))
          u2 = u, v2 = v;
      }
  g_assert_cmpuint (u2, !=, G_MAXUINT);
  for (guint v = 1; v < n && u3 == G_MAXUINT; v++)
    if (distance (g, 0, v) == 3)
      u3 = 0, v3 = v;
  g_assert_cmpuint (u3, !=, G_MAXUINT);

  pair2[0] = u2, pair2[1] = v2, pair3[0] = u3, pair3[1] = v3;
  select_and_check (u2, v2);
  g_assert_cmpuint (philia_proximity_panel_get_explanation (panel ())->common->len, >=, 2);
  select_and_check (u3, v3);
  g_assert_cmpuint (philia_proximity_panel_get_explanation (panel ())->path->len, ==, 4);

  /* The highlight is drawn: the canvas differs once it is cleared. */
  a = canvas_png (with);
  philia_canvas_clear_highlight (PHILIA_CANVAS (philia_window_get_canvas (window)));
  b = canvas_png (without);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  bytes_a = gdk_texture_save_to_png_bytes (a);
  bytes_b = gdk_texture_save_to_png_bytes (b);
  g_assert_false (g_bytes_equal (bytes_a, bytes_b));
  g_unlink (with);
  g_unlink (without);
  g_rmdir (dir);
}

static gboolean
suggestions_ready (gpointer data)
{
  GtkListBox *list = GTK_LIST_BOX (philia_proximity_panel_get_suggest_list (panel ()));

  return !philia_proximity_panel_get_busy (panel ())
         && gtk_list_box_get_row_at_index (list, 0) != NULL;
}

/* Suggest links for a node under Adamic–Adar: 20 rows, the first as good as
 * any non-neighbour; clicking a row explains that pair and selects it. */
static void
test_suggest (void)
{
  PhiliaGraph *g;
  GtkListBox *list = GTK_LIST_BOX (philia_proximity_panel_get_suggest_list (panel ()));
  GtkListBoxRow *row;
  const PhiliaPairExplanation *x;
  const guint *sel;
  guint n_sel, u;
  double best = -1;
  Pair want;

  ensure_cora ();
  g = philia_window_get_graph (window);
  x = philia_proximity_panel_get_explanation (panel ());
  g_assert_nonnull (x);
  u = x->u;
  gtk_widget_activate_action (GTK_WIDGET (panel ()), "proximity.suggest", NULL);
  g_assert_true (philia_test_spin_until (suggestions_ready, NULL, 30000));
  g_assert_nonnull (gtk_list_box_get_row_at_index (list, 19));
  g_assert_null (gtk_list_box_get_row_at_index (list, 20));

  for (guint v = 0; v < philia_graph_get_n_nodes (g); v++)
    if (v != u && !adjacent (g, u, v))
      best = MAX (best, philia_proximity_score (g, NULL, PHILIA_PROXIMITY_AA, u, v, NULL));
  row = gtk_list_box_get_row_at_index (list, 0);
  want.u = u;
  want.v = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (gtk_list_box_row_get_child (row)),
                                                "node"));
  g_assert_false (adjacent (g, want.u, want.v));
  g_assert_cmpfloat (philia_proximity_score (g, NULL, PHILIA_PROXIMITY_AA, want.u, want.v, NULL),
                     ==, best);

  g_signal_emit_by_name (list, "row-activated", row);
  g_assert_true (philia_test_spin_until (explained, &want, 30000));
  sel = philia_window_get_selected_nodes (window, &n_sel);
  g_assert_cmpuint (n_sel, ==, 2);
  g_assert_cmpuint (sel[0], ==, MIN (want.u, want.v));
  g_assert_cmpuint (sel[1], ==, MAX (want.u, want.v));
}

static gboolean
evaluated (gpointer data)
{
  return !philia_proximity_panel_get_busy (panel ())
         && philia_proximity_panel_get_report (panel ()) != NULL;
}

static gboolean gnn_idle (gpointer data);

static gboolean
idle (gpointer data)
{
  return !philia_proximity_panel_get_busy (panel ());
}

/* Evaluate on a small featureless graph (two rings of 30 with chords): the
 * table is the core's report for the same seed, fp is left out, the charts
 * export to PNG, SVG and PDF; a cancelled run says so. */
static void
test_evaluate (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (60);
  g_autoptr(PhiliaGraph) small = NULL;
  g_autoptr(PhiliaLinkpredReport) want = NULL;
  g_autoptr(GError) error = NULL;
  const PhiliaLinkpredReport *got;
  g_autofree char *dir = g_dir_make_tmp ("philia-prox-XXXXXX", NULL);
  gint64 *edges = g_new (gint64, 2 * 150);
  guint m = 0;

  ensure_cora ();
  for (guint r = 0; r < 2; r++)
    for (guint i = 0; i < 30; i++)
      {
        guint a = 30 * r + i;

        edges[2 * m] = a, edges[2 * m + 1] = 30 * r + (i + 1) % 30, m++;
        edges[2 * m] = a, edges[2 * m + 1] = 30 * r + (i + 3) % 30, m++;
      }
  for (guint i = 0; i < 30; i += 3)
    edges[2 * m] = i, edges[2 * m + 1] = 30 + (i * 7) % 30, m++;
  philia_graph_builder_take_edges (builder, edges, m);
  small = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  philia_window_set_graph (window, small);
  window = philia_test_follow_open (window);
  g_assert_null (philia_proximity_panel_get_report (panel ()));
  g_assert_null (philia_proximity_panel_get_explanation (panel ()));

  philia_proximity_panel_evaluate (panel (), 10);
  g_assert_true (philia_test_spin_until (evaluated, NULL, 60000));
  got = philia_proximity_panel_get_report (panel ());
  want = philia_linkpred_report_new (small, NULL, PHILIA_PROXIMITY_ALL, 0, 10, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->n_results, ==, PHILIA_PROXIMITY_N_HEURISTICS - 1);
  g_assert_cmpuint (want->n_results, ==, got->n_results);
  g_assert_cmpstr (philia_proximity_panel_get_eval_text (panel (), 0, 1), ==, "Hits@20");
  for (guint i = 0; i < want->n_results; i++)
    {
      const PhiliaLinkpredResult *r = want->results[i];
      double values[] = { r->hits[1], r->hits[2], r->hits[3], r->mrr, r->auc };

      const PhiliaAlgorithm *a = philia_registry_lookup (
        philia_registry_get_default (), PHILIA_FAMILY_PROXIMITY,
        philia_proximity_heuristic_to_string (r->heuristic));

      /* Full names, as the registry gives them. */
      g_assert_cmpstr (philia_proximity_panel_get_eval_text (panel (), i + 1, 0), ==, a->name);
      for (guint c = 1; c < 6; c++)
        {
          g_autofree char *text = g_strdup_printf ("%.3f", values[c - 1]);

          g_assert_cmpstr (philia_proximity_panel_get_eval_text (panel (), i + 1, c), ==, text);
        }
    }

  for (guint kind = 0; kind < PHILIA_N_LINKPRED_FIGURES; kind++)
    for (guint f = 0; f < 3; f++)
      {
        const char *ext[] = { "png", "svg", "pdf" };
        g_autofree char *name = g_strdup_printf ("%u.%s", kind, ext[f]);
        g_autofree char *path = g_build_filename (dir, name, NULL);
        GtkWidget *chart = philia_proximity_panel_get_chart (panel (), kind);
        g_autofree char *contents = NULL;
        gsize length = 0;

        g_assert_true (gtk_widget_get_visible (chart));
        g_assert_true (philia_chart_view_export_full (PHILIA_CHART_VIEW (chart), path, 400, 300,
                                                      72, &error));
        g_assert_no_error (error);
        g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
        g_assert_cmpuint (length, >, 1000);
        g_assert_true (f != 0 || memcmp (contents, "\x89PNG", 4) == 0);
        g_assert_true (f != 1 || strstr (contents, "<svg") != NULL);
        g_assert_true (f != 2 || memcmp (contents, "%PDF", 4) == 0);
        g_unlink (path);
      }
  g_rmdir (dir);

  /* Cancel: the status says so (or the run was already done). */
  gtk_widget_activate_action (GTK_WIDGET (panel ()), "proximity.evaluate", NULL);
  gtk_widget_activate_action (GTK_WIDGET (panel ()), "proximity.cancel", NULL);
  g_assert_true (philia_test_spin_until (idle, NULL, 60000));

  philia_window_open_default (window);
  window = philia_test_follow_open (window);
  g_assert_true (philia_test_spin_until (cora_ready, NULL, 60000));
}

static GtkStack *
side_stack (void)
{
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (panel ()), GTK_TYPE_STACK);

  while (stack != NULL && gtk_stack_get_page (GTK_STACK (stack), GTK_WIDGET (panel ())) == NULL)
    stack = gtk_widget_get_ancestor (gtk_widget_get_parent (stack), GTK_TYPE_STACK);
  g_assert_nonnull (stack);
  return GTK_STACK (stack);
}

static void
save_window (const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;

  philia_test_spin_for (800);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  texture = philia_test_render_window (window, gtk_widget_get_width (GTK_WIDGET (window)),
                                       gtk_widget_get_height (GTK_WIDGET (window)));
  philia_test_save_png (texture, name);
}

/* The panel scrolled so the "What explains these links" view is on show. */
static void
save_factors_window (const char *name)
{
  GtkScrolledWindow *scroller =
    GTK_SCROLLED_WINDOW (gtk_widget_get_first_child (GTK_WIDGET (panel ())));
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scroller);
  GtkWidget *chart = philia_proximity_panel_get_chart (panel (), PHILIA_LINKPRED_FIGURE_FACTORS);
  graphene_point_t at;

  gtk_stack_set_visible_child_name (side_stack (), "proximity");
  philia_test_spin_for (300);
  gtk_adjustment_set_value (adj, 0);
  philia_test_spin_for (100);
  if (gtk_widget_compute_point (gtk_widget_get_parent (chart),
                                gtk_scrolled_window_get_child (scroller),
                                &GRAPHENE_POINT_INIT (0, 0), &at))
    gtk_adjustment_set_value (adj, at.y - 12);
  save_window (name);
}

/* "Why this link"'s GNN row, after training, against philia-cli linkpred
 * --explain with the same recipe, split and pair. */
static void
assert_gnn_pair_matches_cli (int   epochs,
                             guint n_mrr_neg)
{
  const PhiliaPairExplanation *x = philia_proximity_panel_get_explanation (panel ());
  /* The bundled Cora is the repository's data/cora.npz. */
  g_autofree char *dataset = g_test_build_filename (G_TEST_DIST, "..", "..", "data", "cora.npz",
                                                    NULL);
  g_autofree char *epochs_arg = g_strdup_printf ("%d", epochs);
  g_autofree char *mrr_arg = g_strdup_printf ("%u", n_mrr_neg);
  g_autofree char *pair_arg = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *want_score = NULL;
  g_autofree char *want_rank = NULL;
  g_autoptr(GError) error = NULL;
  const char *at;
  int status;

  g_assert_nonnull (x);
  g_assert_true (g_file_test (dataset, G_FILE_TEST_EXISTS));
  pair_arg = g_strdup_printf ("%u,%u", x->u, x->v);
  {
    const char *argv[] = { g_getenv ("PHILIA_CLI"), "linkpred", dataset, "--model", "gcn",
                           "--seed", "0", "--epochs", epochs_arg, "--mrr-negatives", mrr_arg,
                           "--explain", pair_arg, "--json", NULL };

    g_assert_nonnull (argv[0]);
    g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                 &err, &status, &error));
  }
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  at = strstr (out, "\"score\":");
  g_assert_nonnull (at);
  want_score = g_strdup_printf ("%.4g", g_ascii_strtod (at + 8, NULL));
  at = strstr (out, "\"above\":");
  g_assert_nonnull (at);
  want_rank = g_strdup_printf ("%" G_GINT64_FORMAT " of 1000 higher",
                               g_ascii_strtoll (at + 8, NULL, 10));
  g_test_message ("GNN on the pair: GUI %s, %s; CLI %s, %s",
                  philia_proximity_panel_get_gnn_score_text (panel (), 1),
                  philia_proximity_panel_get_gnn_score_text (panel (), 2), want_score, want_rank);
  g_assert_cmpstr (philia_proximity_panel_get_gnn_score_text (panel (), 0), ==,
                   "GCN (dot product)");
  g_assert_cmpstr (philia_proximity_panel_get_gnn_score_text (panel (), 1), ==, want_score);
  g_assert_cmpstr (philia_proximity_panel_get_gnn_score_text (panel (), 2), ==, want_rank);
}

/* Pictures for a person to look at: both pairs in the neighbourhood view, the
 * evaluation of Cora with its charts, and the charts exported as SVG and PDF
 * (written next to the test binary). */
static void
test_render (void)
{
  PhiliaCanvas *canvas = PHILIA_CANVAS (philia_window_get_canvas (window));
  GtkScrolledWindow *scroller;
  GtkAdjustment *adj;
  Pair want;

  ensure_cora ();
  gtk_stack_set_visible_child_name (side_stack (), "proximity");
  g_assert_cmpuint (pair2[0] + pair2[1], >, 0);

  want = (Pair) { pair2[0], pair2[1] };
  philia_window_set_selected_nodes (window, pair2, 2);
  g_assert_true (philia_test_spin_until (explained, &want, 30000));
  g_assert_true (philia_canvas_show_neighbourhood (canvas, pair2[0], 2));
  g_assert_true (philia_test_spin_until (cora_ready, NULL, 30000));
  save_window ("window-proximity-common.png");

  want = (Pair) { pair3[0], pair3[1] };
  philia_canvas_show_whole_graph (canvas);
  philia_window_set_selected_nodes (window, pair3, 2);
  g_assert_true (philia_test_spin_until (explained, &want, 30000));
  /* No GNN trained yet: its row says so. */
  g_assert_cmpstr (philia_proximity_panel_get_gnn_score_text (panel (), 2), ==, "none trained");
  g_assert_true (philia_canvas_show_neighbourhood (canvas, pair3[0], 3));
  save_window ("window-proximity-path.png");
  philia_canvas_show_whole_graph (canvas);

  philia_proximity_panel_evaluate (panel (), 20);
  g_assert_true (philia_test_spin_until (evaluated, NULL, 120000));
  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_first_child (GTK_WIDGET (panel ())));
  adj = gtk_scrolled_window_get_vadjustment (scroller);
  philia_test_spin_for (300);
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  save_window ("window-proximity-evaluate.png");

  /* A short GCN on Cora beside the heuristics: its heatmap row and column. */
  {
    GtkWidget *gnn = philia_proximity_panel_get_gnn (panel ());
    g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "proximity-overlap-cora-gnn.png",
                                                   NULL);
    g_autoptr(GError) error = NULL;

    philia_proximity_gnn_train (gnn, "gcn", "dot", 30);
    g_assert_true (philia_test_spin_until (gnn_idle, NULL, 300000));
    g_assert_nonnull (strstr (philia_proximity_gnn_get_status (gnn), "gcn"));
    assert_gnn_pair_matches_cli (30, 20);
    g_assert_nonnull (philia_proximity_panel_get_factors_text (panel ()));
    save_factors_window ("window-proximity-factors-cora.png");
    g_assert_true (philia_chart_view_export_full (
      PHILIA_CHART_VIEW (philia_proximity_panel_get_chart (panel (),
                                                           PHILIA_LINKPRED_FIGURE_OVERLAP)),
      path, 900, 700, 96, &error));
    g_assert_no_error (error);
  }

  for (guint kind = 0; kind < PHILIA_N_LINKPRED_FIGURES; kind++)
    for (guint f = 0; f < 3; f++)
      {
        const char *ext[] = { "png", "svg", "pdf" };
        g_autofree char *name = g_strdup_printf ("proximity-%s.%s",
                                                 philia_linkpred_figure_kind_to_string (kind),
                                                 ext[f]);
        g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
        g_autoptr(GError) error = NULL;

        g_assert_true (philia_chart_view_export_full (
          PHILIA_CHART_VIEW (philia_proximity_panel_get_chart (panel (), kind)), path, 480, 320,
          150, &error));
        g_assert_no_error (error);
      }
}

/* A plugin's heuristic: common neighbours by brute force. */
static gboolean
brute_cn (PhiliaGraph                 *graph,
          const PhiliaProximityParams *params,
          const gint64                *pairs,
          gsize                        n_pairs,
          double                      *out,
          gpointer                     data,
          GCancellable                *cancellable,
          GError                     **error)
{
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);

  for (gsize i = 0; i < n_pairs; i++)
    {
      gint64 u = pairs[2 * i], v = pairs[2 * i + 1];
      guint common = 0;

      for (gint64 a = off[u]; a < off[u + 1]; a++)
        for (gint64 b = off[v]; b < off[v + 1]; b++)
          common += nbr[a] == nbr[b];
      out[i] = common;
    }
  return TRUE;
}

static const PhiliaProximityVTable brute_cn_vtable = { brute_cn };

static gboolean
gnn_idle (gpointer data)
{
  return !philia_proximity_gnn_get_running (philia_proximity_panel_get_gnn (panel ()));
}

/* Evaluate lists a plugin's heuristic after the built-in ones (a brute-force
 * CN: the same numbers as CN's row), and a GNN trained from the panel adds
 * its row, its bar and its heatmap row on the same split. */
static void
test_plugin_and_gnn (void)
{
  const PhiliaAlgorithm brute = { "test-ui-brute-cn", PHILIA_FAMILY_PROXIMITY, "Brute CN",
                                  "Common neighbours by brute force.", "test-ui",
                                  &brute_cn_vtable, NULL };
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (60);
  g_autoptr(PhiliaGraph) small = NULL;
  g_autoptr(GError) error = NULL;
  const PhiliaLinkpredReport *got;
  gint64 *edges = g_new (gint64, 2 * 150);
  GtkWidget *gnn;
  guint m = 0, n, row;
  g_autofree char *shot = NULL;

  for (guint r = 0; r < 2; r++)
    for (guint i = 0; i < 30; i++)
      {
        guint a = 30 * r + i;

        edges[2 * m] = a, edges[2 * m + 1] = 30 * r + (i + 1) % 30, m++;
        edges[2 * m] = a, edges[2 * m + 1] = 30 * r + (i + 3) % 30, m++;
      }
  for (guint i = 0; i < 30; i += 3)
    edges[2 * m] = i, edges[2 * m + 1] = 30 + (i * 7) % 30, m++;
  philia_graph_builder_take_edges (builder, edges, m);
  small = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  philia_registry_add (philia_registry_get_default (), &brute, &error);
  g_assert_no_error (error);
  philia_window_set_graph (window, small);
  window = philia_test_follow_open (window);

  philia_proximity_panel_evaluate (panel (), 10);
  g_assert_true (philia_test_spin_until (evaluated, NULL, 60000));
  got = philia_proximity_panel_get_report (panel ());
  n = got->n_results;
  /* Shipped plugins' heuristics come too: find ours among the extra rows. */
  for (row = n + 1; philia_proximity_panel_get_eval_text (panel (), row, 0) != NULL; row++)
    if (g_strcmp0 (philia_proximity_panel_get_eval_text (panel (), row, 0), "Brute CN") == 0)
      break;
  g_assert_cmpstr (philia_proximity_panel_get_eval_text (panel (), row, 0), ==, "Brute CN");
  g_assert_cmpstr (philia_proximity_panel_get_eval_text (panel (), 1, 0), ==,
                   "Common neighbours");
  for (guint c = 1; c < 6; c++)
    g_assert_cmpstr (philia_proximity_panel_get_eval_text (panel (), row, c), ==,
                     philia_proximity_panel_get_eval_text (panel (), 1, c));
  while (philia_proximity_panel_get_eval_text (panel (), n + 1, 0) != NULL)
    n++;

  gnn = philia_proximity_panel_get_gnn (panel ());
  g_assert_true (gtk_widget_get_visible (gnn));
  philia_proximity_gnn_train (gnn, "gcn", "dot", 5);
  g_assert_true (philia_proximity_gnn_get_running (gnn));
  g_assert_true (philia_test_spin_until (gnn_idle, NULL, 120000));
  g_assert_cmpstr (philia_proximity_panel_get_eval_text (panel (), n + 1, 0), ==,
                   "GCN (dot product)");
  for (guint c = 1; c < 6; c++)
    {
      double v = g_ascii_strtod (philia_proximity_panel_get_eval_text (panel (), n + 1, c), NULL);

      g_assert_cmpfloat (v, >=, 0);
      g_assert_cmpfloat (v, <=, 1);
    }
  g_assert_nonnull (strstr (philia_proximity_gnn_get_status (gnn), "5 epochs"));

  /* What explains the links: the summary names the GNN, the chart shows,
   * and the document keeps the GNN with its evaluation. */
  {
    const char *factors = philia_proximity_panel_get_factors_text (panel ());
    PhiliaDocument *doc = philia_proximity_panel_get_document (panel ());
    const PhiliaDocumentEvaluation *e;
    g_autofree char *fshot = g_test_build_filename (G_TEST_BUILT, "proximity-factors-gnn.png",
                                                    NULL);

    g_test_message ("factors: %s", factors);
    g_assert_nonnull (factors);
    g_assert_nonnull (strstr (factors, "share a neighbour"));
    g_assert_nonnull (strstr (factors, "GCN (dot product)"));
    g_assert_nonnull (strstr (factors, "neighbours: Common neighbours"));
    g_assert_true (gtk_widget_get_visible (
      philia_proximity_panel_get_chart (panel (), PHILIA_LINKPRED_FIGURE_FACTORS)));
    g_assert_true (philia_chart_view_export_full (
      PHILIA_CHART_VIEW (philia_proximity_panel_get_chart (panel (),
                                                           PHILIA_LINKPRED_FIGURE_FACTORS)),
      fshot, 900, 600, 96, &error));
    g_assert_no_error (error);
    g_assert_nonnull (doc);
    e = philia_document_get_evaluation (doc, philia_document_get_n_evaluations (doc) - 1);
    g_assert_nonnull (e->models);
    g_assert_cmpuint (e->models->len, ==, 1);
    g_assert_cmpstr (((PhiliaLinkTrainResult *)e->models->pdata[0])->model, ==, "gcn");
  }

  /* Cancel stops a run and adds no row. */
  philia_proximity_gnn_train (gnn, "sage", "mlp", 5000);
  philia_proximity_gnn_cancel (gnn);
  g_assert_true (philia_test_spin_until (gnn_idle, NULL, 120000));
  g_assert_cmpstr (philia_proximity_gnn_get_status (gnn), ==, "Training cancelled.");
  g_assert_null (philia_proximity_panel_get_eval_text (panel (), n + 2, 0));

  shot = g_test_build_filename (G_TEST_BUILT, "proximity-overlap-gnn.png", NULL);
  g_assert_true (philia_chart_view_export_full (
    PHILIA_CHART_VIEW (philia_proximity_panel_get_chart (panel (), PHILIA_LINKPRED_FIGURE_OVERLAP)),
    shot, 900, 700, 96, &error));
  g_assert_no_error (error);
  g_clear_pointer (&shot, g_free);
  shot = g_test_build_filename (G_TEST_BUILT, "proximity-hits-gnn.png", NULL);
  g_assert_true (philia_chart_view_export_full (
    PHILIA_CHART_VIEW (philia_proximity_panel_get_chart (panel (), PHILIA_LINKPRED_FIGURE_HITS)),
    shot, 900, 500, 96, &error));
  g_assert_no_error (error);
  /* The panel scrolled to its table and the GNN section, for a person to look at. */
  gtk_stack_set_visible_child_name (side_stack (), "proximity");
  {
    GtkScrolledWindow *scroller =
      GTK_SCROLLED_WINDOW (gtk_widget_get_first_child (GTK_WIDGET (panel ())));
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scroller);
    graphene_point_t at;

    philia_test_spin_for (300);
    gtk_adjustment_set_value (adj, 0);
    philia_test_spin_for (100);
    if (gtk_widget_compute_point (gnn, gtk_scrolled_window_get_child (scroller),
                                  &GRAPHENE_POINT_INIT (0, 0), &at))
      gtk_adjustment_set_value (adj, at.y - 330);
  }
  save_window ("window-proximity-gnn.png");
  philia_registry_remove_provider (philia_registry_get_default (), "test-ui");
}

/* The latent space model's fp preset, evaluated with a GCN beside the
 * heuristics: the factors view on show, for a person to look at. */
static void
test_latent_fp (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  PhiliaLatentParams p;

  philia_latent_params_init (&p);
  philia_latent_params_preset (&p, PHILIA_LATENT_PRESET_FP);
  p.n_nodes = 1000;
  p.seed = 1;
  graph = philia_latent_generate (&p, NULL, NULL, &error);
  g_assert_no_error (error);
  philia_window_set_graph (window, graph);
  window = philia_test_follow_open (window);
  philia_proximity_panel_evaluate (panel (), 20);
  g_assert_true (philia_test_spin_until (evaluated, NULL, 120000));
  philia_proximity_gnn_train (philia_proximity_panel_get_gnn (panel ()), "gcn", "dot", 50);
  g_assert_true (philia_test_spin_until (gnn_idle, NULL, 300000));
  g_test_message ("fp factors: %s", philia_proximity_panel_get_factors_text (panel ()));
  g_assert_nonnull (strstr (philia_proximity_panel_get_factors_text (panel ()),
                            "features: Feature similarity"));
  save_factors_window ("window-proximity-factors-latent-fp.png");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!philia_test_init (&argc, &argv, "Proximity"))
    return g_test_run ();

  window = philia_test_window_new (&app);

  g_test_add_func ("/Philia/Proximity/pair", test_pair);
  g_test_add_func ("/Philia/Proximity/suggest", test_suggest);
  g_test_add_func ("/Philia/Proximity/evaluate", test_evaluate);
  g_test_add_func ("/Philia/Proximity/render", test_render);
  g_test_add_func ("/Philia/Proximity/plugin-gnn", test_plugin_and_gnn);
  g_test_add_func ("/Philia/Proximity/latent-fp", test_latent_fp);

  ret = g_test_run ();

  philia_test_window_destroy (window, &app);

  return ret;
}
