/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-document-private.h"

#include "document-test-util.h"

/*
 * What a document derives from its graph and runs (HACKING.md §16): the
 * summary of link-prediction evaluations, and filtered documents checked
 * against kept sets worked out by hand on the toy graph of
 * document-test-util.h.
 */

/* A link-prediction report made by hand (no split), for the summary. */
static PhiliaLinkpredReport *
hand_report (void)
{
  PhiliaLinkpredReport *report = g_new0 (PhiliaLinkpredReport, 1);
  PhiliaLinkpredResult *a = g_new0 (PhiliaLinkpredResult, 1);
  PhiliaLinkpredResult *b = g_new0 (PhiliaLinkpredResult, 1);

  report->mask = PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_CN)
                 | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_AA);
  report->n_results = 2;
  report->results = g_new0 (PhiliaLinkpredResult *, 2);
  report->results[0] = a;
  report->results[1] = b;
  /* pos {3, 2, 1}, neg {2, 1, 0}: thresholds 3 (1 pos, 0 neg), 2 (1 pos,
   * 1 neg), 1 (1 pos, 1 neg): AP = 1/3·1 + 1/3·2/3 + 1/3·3/5 = 34/45. */
  a->heuristic = PHILIA_PROXIMITY_CN;
  a->n_test = 3;
  a->test_pos = g_memdup2 ((double[]) { 1, 3, 2 }, 3 * sizeof (double));
  a->test_neg = g_memdup2 ((double[]) { 0, 2, 1 }, 3 * sizeof (double));
  a->auc = 0.75;
  a->mrr = 0.5;
  a->hits[0] = 0.1, a->hits[1] = 0.2, a->hits[2] = 0.5, a->hits[3] = 1;
  /* No ties: pos {0.9, 0.4}, neg {0.5, 0.1}: precision at each positive
   * 1/1 and 2/3, AP = 5/6. */
  b->heuristic = PHILIA_PROXIMITY_AA;
  b->n_test = 2;
  b->test_pos = g_memdup2 ((double[]) { 0.4, 0.9 }, 2 * sizeof (double));
  b->test_neg = g_memdup2 ((double[]) { 0.1, 0.5 }, 2 * sizeof (double));
  b->auc = 0.75;
  return report;
}

static void
test_evaluation_summary (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  PhiliaProximityParams params;
  const PhiliaDocumentEvaluation *e;
  g_autoptr (GError) error = NULL;
  guint id;

  philia_proximity_params_init_default (&params);
  id = philia_document_add_evaluation (doc, &params, 42, 7, hand_report ());
  g_assert_cmpuint (id, ==, 1);
  g_assert_cmpuint (philia_document_get_n_evaluations (doc), ==, 1);
  e = philia_document_get_evaluation (doc, 0);
  g_assert_cmpuint (e->seed, ==, 42);
  g_assert_cmpuint (e->n_mrr_neg, ==, 7);
  g_assert_cmpuint (e->n_heuristics, ==, 2);
  g_assert_nonnull (e->report);
  g_assert_cmpfloat (e->summary[0], ==, 0.75);
  g_assert_cmpfloat_with_epsilon (e->summary[1], 34.0 / 45, 1e-15);
  g_assert_cmpfloat (e->summary[2], ==, 0.5);
  g_assert_cmpfloat (e->summary[3], ==, 0.2);
  g_assert_cmpfloat (e->summary[4], ==, 0.5);
  g_assert_cmpfloat (e->summary[5], ==, 1);
  g_assert_cmpfloat_with_epsilon (e->summary[6 + 1], 5.0 / 6, 1e-15);
  /* Already computed: nothing to do. */
  g_assert_true (philia_document_ensure_evaluation (doc, id, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (philia_document_ensure_evaluation (doc, 9, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND);

  g_assert_cmpuint (philia_document_add_evaluation (doc, &params, 1, 1, hand_report ()), ==, 2);
  g_assert_true (philia_document_delete_evaluation (doc, 1));
  g_assert_false (philia_document_delete_evaluation (doc, 1));
  g_assert_cmpuint (philia_document_get_n_evaluations (doc), ==, 1);
  g_assert_cmpuint (philia_document_get_evaluation (doc, 0)->id, ==, 2);
  /* Never reused. */
  g_assert_cmpuint (philia_document_add_evaluation (doc, &params, 1, 1, hand_report ()), ==, 3);
}

/* A circulant graph (i ~ i±1, i±2, i±5 mod 20) with enough edges to split. */
static PhiliaGraph *
make_circulant (void)
{
  g_autoptr (PhiliaGraphBuilder) builder = philia_graph_builder_new (20);
  g_autoptr (GError) error = NULL;
  PhiliaGraph *graph;

  for (guint i = 0; i < 20; i++)
    {
      philia_graph_builder_add_edge (builder, i, (i + 1) % 20);
      philia_graph_builder_add_edge (builder, i, (i + 2) % 20);
      philia_graph_builder_add_edge (builder, i, (i + 5) % 20);
    }
  philia_graph_builder_set_source (builder, "circulant", "test");
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  return graph;
}

static void
test_ensure_evaluation (void)
{
  g_autoptr (PhiliaGraph) graph = make_circulant ();
  g_autoptr (PhiliaDocument) live = philia_document_new (graph, NULL, NULL);
  g_autoptr (PhiliaDocument) reopened = NULL;
  g_autoptr (PhiliaDocument) tampered = NULL;
  g_autoptr (GError) error = NULL;
  PhiliaProximityParams params;
  PhiliaLinkpredReport *report;
  const PhiliaDocumentEvaluation *e, *r;
  guint mask = PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_CN)
               | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PA)
               | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_KATZ);

  philia_proximity_params_init_default (&params);
  params.n_threads = 1;
  report = philia_linkpred_report_new (graph, &params, mask, 11, 4, NULL, NULL, &error);
  g_assert_no_error (error);
  philia_document_add_evaluation (live, &params, 11, 4, report);
  e = philia_document_get_evaluation (live, 0);

  /* As the project reader rebuilds it: the recipe and the saved figures. */
  for (guint pass = 0; pass < 2; pass++)
    {
      PhiliaDocument *doc = _philia_document_new_restored (graph, NULL, NULL);
      PhiliaDocumentEvaluation *saved = g_new0 (PhiliaDocumentEvaluation, 1);

      *saved = *e;
      saved->report = NULL;
      /* The copy owns its strings and lists, as the reader's does. */
      saved->features = g_strdup (e->features);
      saved->models = NULL;
      saved->model_features = NULL;
      saved->summary = g_memdup2 (e->summary, sizeof (double) * 6 * e->n_heuristics);
      if (pass == 1)
        saved->summary[6 + 2] += 0.125;   /* MRR of the second heuristic */
      _philia_document_restore_evaluation (doc, saved);
      _philia_document_set_next_ids (doc, 1, 2);
      g_assert_false (philia_document_get_dirty (doc));
      if (pass == 0)
        reopened = doc;
      else
        tampered = doc;
    }

  g_assert_true (philia_document_ensure_evaluation (reopened, e->id, NULL, &error));
  g_assert_no_error (error);
  r = philia_document_get_evaluation (reopened, 0);
  g_assert_nonnull (r->report);
  g_assert_cmpuint (r->report->n_results, ==, 3);
  for (guint k = 0; k < 3; k++)
    g_assert_cmpfloat (r->report->results[k]->auc, ==, e->report->results[k]->auc);
  g_assert_cmpmem (r->summary, sizeof (double) * 18, e->summary, sizeof (double) * 18);
  /* Figures as saved: still clean. */
  g_assert_false (philia_document_get_dirty (reopened));

  /* Saved figures the recipe does not give: the recomputed ones are kept
   * (and the document has changed). */
  g_assert_true (philia_document_ensure_evaluation (tampered, e->id, NULL, &error));
  g_assert_no_error (error);
  r = philia_document_get_evaluation (tampered, 0);
  g_assert_cmpfloat (r->summary[6 + 2], ==, e->summary[6 + 2]);
  g_assert_cmpmem (r->summary, sizeof (double) * 18, e->summary, sizeof (double) * 18);
  g_assert_true (philia_document_get_dirty (tampered));
  g_assert_cmpuint (_philia_document_get_next_evaluation_id (tampered), ==, 2);
}

/* ---------------------------------------------------------------- filters */

/* The filtered document holds exactly the nodes @kept of the test graph,
 * with the induced edges, labels, features, masks, names and positions. */
static void
check_filtered (PhiliaDocument *filtered,
                PhiliaGraph    *original,
                const guint    *kept,
                guint           n_kept,
                const char     *origin)
{
  PhiliaGraph *g = philia_document_get_graph (filtered);
  gint64 m = 0;

  g_assert_cmpuint (philia_graph_get_n_nodes (g), ==, n_kept);
  g_assert_cmpstr (philia_document_get_origin (filtered), ==, origin);
  g_assert_cmpstr (philia_graph_get_source (g), ==, philia_graph_get_source (original));
  for (guint i = 0; i < n_kept; i++)
    for (guint j = i + 1; j < n_kept; j++)
      {
        gboolean edge = philia_graph_find_edge (original, kept[i], kept[j]) >= 0;

        g_assert_cmpint (philia_graph_find_edge (g, i, j) >= 0, ==, edge);
        m += edge;
      }
  g_assert_cmpint (philia_graph_get_n_edges (g), ==, m);
  for (guint i = 0; i < n_kept; i++)
    {
      guint v = kept[i];

      g_assert_cmpint (philia_graph_get_labels (g)[i], ==, philia_graph_get_labels (original)[v]);
      g_assert_cmpfloat (philia_graph_get_features (g)[2 * i], ==, v);
      g_assert_cmpfloat (philia_graph_get_features (g)[2 * i + 1], ==, 10 + v);
      for (guint p = 0; p < 3; p++)
        g_assert_cmpuint (philia_graph_get_split_mask (g, 0, p)[i], ==,
                          philia_graph_get_split_mask (original, 0, p)[v]);
      if (philia_graph_has_node_names (original))
        g_assert_cmpstr (philia_graph_get_node_name (g, i), ==,
                         philia_graph_get_node_name (original, v));
    }
  if (philia_graph_has_class_names (original))
    {
      g_assert_cmpuint (philia_graph_get_n_classes (g), ==, 2);
      g_assert_cmpstr (philia_graph_get_class_name (g, 1), ==, "B");
    }
  /* A new document: no history, no runs, the graph held in the project. */
  g_assert_cmpuint (philia_document_get_history_length (filtered), ==, 0);
  g_assert_cmpuint (philia_document_get_n_runs (filtered), ==, 0);
  g_assert_null (philia_document_get_dataset_path (filtered));
  g_assert_true (philia_document_get_embed (filtered));
  g_assert_true (philia_document_get_dirty (filtered));
  g_assert_true (philia_document_has_work (filtered));
}

static PhiliaDocument *
filter_ok (PhiliaDocument    *doc,
           PhiliaFilterKind   kind,
           const guint       *classes,
           guint              n_classes,
           double             min,
           double             max)
{
  PhiliaFilter filter = { kind, classes, n_classes, min, max };
  g_autoptr (GError) error = NULL;
  PhiliaDocument *filtered = philia_document_filter (doc, &filter, &error);

  g_assert_no_error (error);
  g_assert_nonnull (filtered);
  return filtered;
}

static void
filter_refused (PhiliaDocument   *doc,
                PhiliaFilterKind  kind,
                const guint      *classes,
                guint             n_classes,
                double            min,
                double            max,
                int               code)
{
  PhiliaFilter filter = { kind, classes, n_classes, min, max };
  g_autoptr (GError) error = NULL;

  g_assert_null (philia_document_filter (doc, &filter, &error));
  g_assert_error (error, PHILIA_ERROR, code);
  g_assert_true (g_str_has_suffix (error->message, "."));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_filter (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, TRUE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, "/d/toy.npz", NULL);
  PhiliaDocument *f;
  PhiliaDocumentView view = { 0 };
  guint history;
  struct
  {
    PhiliaFilterKind kind;
    guint            classes[2];
    guint            n_classes;
    double           min, max;
    guint            kept[N];
    guint            n_kept;
    const char      *origin;
  } cases[] = {
    { PHILIA_FILTER_CLASSES, { 0 }, 1, 0, 0, { 0, 1, 4 }, 3, "toy.npz · class A" },
    { PHILIA_FILTER_CLASSES, { 1, 0 }, 2, 0, 0, { 0, 1, 2, 3, 4, 6 }, 6,
      "toy.npz · classes B, A" },
    { PHILIA_FILTER_DEGREE, { 0 }, 0, 2, 2, { 1, 3, 4, 5, 6 }, 5, "toy.npz · degree 2–2" },
    { PHILIA_FILTER_DEGREE, { 0 }, 0, 3, 10, { 0, 2 }, 2, "toy.npz · degree 3–10" },
    { PHILIA_FILTER_DEGREE, { 0 }, 0, 0, 0, { 7 }, 1, "toy.npz · degree 0–0" },
    { PHILIA_FILTER_DEGREE, { 0 }, 0, -INFINITY, INFINITY, { 0, 1, 2, 3, 4, 5, 6, 7 }, 8,
      "toy.npz · degree -inf–inf" },
    { PHILIA_FILTER_COMPONENT, { 0 }, 0, 0, 0, { 0, 1, 2, 3 }, 4,
      "toy.npz · largest component" },
    { PHILIA_FILTER_LOCAL_HOMOPHILY, { 0 }, 0, 0.4, 1, { 1, 3 }, 2,
      "toy.npz · local homophily 0.4–1" },
    { PHILIA_FILTER_LOCAL_HOMOPHILY, { 0 }, 0, 0, 0, { 4, 6 }, 2,
      "toy.npz · local homophily 0–0" },
    { PHILIA_FILTER_LOCAL_HOMOPHILY, { 0 }, 0, 0, 1, { 0, 1, 2, 3, 4, 6 }, 6,
      "toy.npz · local homophily 0–1" },
  };

  philia_document_add_layout (doc, "fr", "fr", 5, grid_positions (N, 0.25));
  philia_document_add_layout (doc, "kk", "kk", 6, grid_positions (N, 3));
  philia_document_set_current_layout (doc, "fr");
  philia_document_add_run (doc, fake_result ("gcn"));
  philia_document_set_selection (doc, (guint[]) { 6, 1, 5 }, 3);
  philia_document_set_conventions (doc, PHILIA_CONVENTION_KEEP_SELF_LOOPS);
  philia_document_view_copy (&view, philia_document_get_view (doc));
  g_free (view.color_by);
  view.color_by = g_strdup ("run:1:gate");
  g_free (view.edge_style);
  view.edge_style = g_strdup ("plain");
  philia_document_set_view (doc, &view);
  history = philia_document_get_history_length (doc);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (PhiliaDocument) filtered = NULL;
      const guint *sel;
      guint n_sel, n_sel_want = 0;

      g_test_message ("filter case %u: %s", c, cases[c].origin);
      filtered = filter_ok (doc, cases[c].kind, cases[c].classes, cases[c].n_classes,
                            cases[c].min, cases[c].max);
      check_filtered (filtered, graph, cases[c].kept, cases[c].n_kept, cases[c].origin);
      /* Layouts: each kept node's position, the same current layout. */
      g_assert_cmpuint (philia_document_get_n_layouts (filtered), ==, 2);
      g_assert_cmpstr (philia_document_get_current_layout (filtered)->name, ==, "fr");
      for (guint l = 0; l < 2; l++)
        {
          const PhiliaDocumentLayout *a = philia_document_get_layout (doc, l);
          const PhiliaDocumentLayout *b = philia_document_get_layout (filtered, l);

          g_assert_cmpstr (a->name, ==, b->name);
          g_assert_cmpstr (a->algorithm, ==, b->algorithm);
          g_assert_cmpuint (a->seed, ==, b->seed);
          for (guint i = 0; i < cases[c].n_kept; i++)
            {
              g_assert_cmpfloat (b->positions[2 * i], ==, a->positions[2 * cases[c].kept[i]]);
              g_assert_cmpfloat (b->positions[2 * i + 1], ==,
                                 a->positions[2 * cases[c].kept[i] + 1]);
            }
        }
      /* The view without what names a run; conventions; the kept selection. */
      g_assert_cmpstr (philia_document_get_view (filtered)->color_by, ==, "class");
      g_assert_cmpstr (philia_document_get_view (filtered)->edge_style, ==, "plain");
      g_assert_cmpint (philia_document_get_conventions (filtered), ==,
                       PHILIA_CONVENTION_KEEP_SELF_LOOPS);
      sel = philia_document_get_selection (filtered, &n_sel);
      for (guint s = 0; s < 3; s++)
        {
          guint v = (guint[]) { 6, 1, 5 }[s];

          for (guint i = 0; i < cases[c].n_kept; i++)
            if (cases[c].kept[i] == v)
              {
                g_assert_cmpuint (n_sel, >, n_sel_want);
                g_assert_cmpuint (sel[n_sel_want++], ==, i);
              }
        }
      g_assert_cmpuint (n_sel, ==, n_sel_want);
    }

  /* The original is untouched. */
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, history);
  g_assert_true (philia_document_get_graph (doc) == graph);
  g_assert_cmpuint (philia_document_get_n_runs (doc), ==, 1);

  /* A filter of a filtered graph names the filtered one. */
  f = filter_ok (doc, PHILIA_FILTER_COMPONENT, NULL, 0, 0, 0);
  {
    g_autoptr (PhiliaDocument) again = filter_ok (f, PHILIA_FILTER_DEGREE, NULL, 0, 3, 3);

    g_assert_cmpstr (philia_document_get_origin (again), ==,
                     "toy.npz · largest component · degree 3–3");
    g_assert_cmpuint (philia_graph_get_n_nodes (philia_document_get_graph (again)), ==, 2);
  }
  g_object_unref (f);

  /* Refusals. */
  filter_refused (doc, PHILIA_FILTER_DEGREE, NULL, 0, 5, 10, PHILIA_ERROR_EMPTY);
  filter_refused (doc, PHILIA_FILTER_LOCAL_HOMOPHILY, NULL, 0, 0.6, 0.9, PHILIA_ERROR_EMPTY);
  filter_refused (doc, PHILIA_FILTER_DEGREE, NULL, 0, 3, 2, PHILIA_ERROR_OPTION);
  filter_refused (doc, PHILIA_FILTER_DEGREE, NULL, 0, NAN, 2, PHILIA_ERROR_OPTION);
  filter_refused (doc, PHILIA_FILTER_LOCAL_HOMOPHILY, NULL, 0, 0, NAN, PHILIA_ERROR_OPTION);
  filter_refused (doc, PHILIA_FILTER_CLASSES, (guint[]) { 2 }, 1, 0, 0, PHILIA_ERROR_OPTION);
  filter_refused (doc, PHILIA_FILTER_CLASSES, NULL, 0, 0, 0, PHILIA_ERROR_OPTION);
  filter_refused (doc, (PhiliaFilterKind)42, NULL, 0, 0, 0, PHILIA_ERROR_OPTION);
  philia_document_view_clear (&view);
}

static void
test_filter_unlabeled (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (FALSE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  g_autoptr (PhiliaDocument) filtered = NULL;
  g_autoptr (PhiliaGraphBuilder) builder = philia_graph_builder_new (1);
  g_autoptr (PhiliaGraph) single = NULL;
  g_autoptr (PhiliaDocument) single_doc = NULL;
  g_autoptr (PhiliaDocument) single_filtered = NULL;
  g_autoptr (GError) error = NULL;
  static const guint kept[] = { 0, 1, 2, 3 };

  /* No labels: classes refused; no local homophily is defined. */
  filter_refused (doc, PHILIA_FILTER_CLASSES, (guint[]) { 0 }, 1, 0, 0, PHILIA_ERROR_OPTION);
  filter_refused (doc, PHILIA_FILTER_LOCAL_HOMOPHILY, NULL, 0, 0, 1, PHILIA_ERROR_EMPTY);
  filtered = filter_ok (doc, PHILIA_FILTER_COMPONENT, NULL, 0, 0, 0);
  check_filtered (filtered, graph, kept, 4, "Untitled · largest component");
  g_assert_cmpuint (philia_graph_get_n_labeled (philia_document_get_graph (filtered)), ==, 0);
  g_assert_cmpuint (philia_document_get_n_layouts (filtered), ==, 0);
  g_assert_null (philia_document_get_current_layout (filtered));

  /* One node, a self-loop in the input: the component is that node. */
  philia_graph_builder_add_edge (builder, 0, 0);
  philia_graph_builder_set_source (builder, "one", "test");
  single = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  single_doc = philia_document_new (single, NULL, NULL);
  single_filtered = filter_ok (single_doc, PHILIA_FILTER_COMPONENT, NULL, 0, 0, 0);
  g_assert_cmpuint (philia_graph_get_n_nodes (philia_document_get_graph (single_filtered)), ==, 1);
  g_assert_cmpint (philia_graph_get_n_edges (philia_document_get_graph (single_filtered)), ==, 0);

  /* Two components of the same size: the one holding node 0. Labels
   * without class names: class ids stay, the class count is what the kept
   * labels need (1 + the largest). */
  {
    g_autoptr (PhiliaGraphBuilder) b = philia_graph_builder_new (5);
    g_autoptr (PhiliaGraph) tie = NULL;
    g_autoptr (PhiliaDocument) tie_doc = NULL;
    g_autoptr (PhiliaDocument) comp = NULL;
    g_autoptr (PhiliaDocument) cls = NULL;
    static const gint64 y[] = { 2, 0, 1, 2, 0 };
    PhiliaGraph *g;

    philia_graph_builder_add_edge (b, 3, 2);
    philia_graph_builder_add_edge (b, 4, 0);
    philia_graph_builder_take_labels (b, g_memdup2 (y, sizeof y));
    philia_graph_builder_set_source (b, "tie", "test");
    tie = philia_graph_builder_build (b, &error);
    g_assert_no_error (error);
    tie_doc = philia_document_new (tie, NULL, NULL);
    comp = filter_ok (tie_doc, PHILIA_FILTER_COMPONENT, NULL, 0, 0, 0);
    g = philia_document_get_graph (comp);
    g_assert_cmpuint (philia_graph_get_n_nodes (g), ==, 2);
    g_assert_cmpint (philia_graph_get_labels (g)[0], ==, 2);
    g_assert_cmpint (philia_graph_get_labels (g)[1], ==, 0);
    g_assert_cmpint (philia_graph_find_edge (g, 0, 1), >=, 0);
    cls = filter_ok (tie_doc, PHILIA_FILTER_CLASSES, (guint[]) { 0, 1 }, 2, 0, 0);
    g = philia_document_get_graph (cls);
    g_assert_cmpuint (philia_graph_get_n_nodes (g), ==, 3);
    g_assert_cmpuint (philia_graph_get_n_classes (g), ==, 2);
    g_assert_cmpint (philia_graph_get_labels (g)[1], ==, 1);
    g_assert_cmpint (philia_graph_get_n_edges (g), ==, 0);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/Philia/Document/evaluation-summary", test_evaluation_summary);
  g_test_add_func ("/Philia/Document/ensure-evaluation", test_ensure_evaluation);
  g_test_add_func ("/Philia/Document/filter", test_filter);
  g_test_add_func ("/Philia/Document/filter-unlabeled", test_filter_unlabeled);
  return g_test_run ();
}
