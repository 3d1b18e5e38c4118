/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-document-private.h"

/*
 * The document model (HACKING.md §16): every undoable step is done, undone
 * and redone against states recorded by hand; filters against kept sets
 * worked out by hand on the graph below.
 *
 * The test graph (8 nodes; input rows hold a self-loop 3–3 and a duplicate
 * 1–0, both dropped):
 *
 *   0(A) — 1(A)      4(A) — 5(·)      7(·) isolated
 *   |  \   |           \    |
 *   3(B) — 2(B)          6(B)
 *
 * edges 0–1 1–2 2–3 3–0 0–2 4–5 5–6 4–6; labels A=0, B=1, · unlabeled.
 * Degrees: 0:3 1:2 2:3 3:2 4:2 5:2 6:2 7:0.
 * Components: {0,1,2,3} {4,5,6} {7}.
 * Local homophily (labeled neighbours only): 0: 1/3 (1 A; 3, 2 B)
 * 1: 1/2  2: 1/3  3: 1/2  4: 0 (only 6 is labeled)  5: NaN  6: 0  7: NaN.
 * Features of node v: (v, 10 + v). One split: train v < 3, val {3, 4},
 * test the rest. Names "n0" … "n7".
 */

#define N 8

static PhiliaGraph *
make_graph (gboolean labeled,
            gboolean names)
{
  static const gint64 rows[] = {
    0, 1, 1, 2, 2, 3, 3, 0, 0, 2, 4, 5, 5, 6, 4, 6, 3, 3, 1, 0,
  };
  static const gint64 labels[N] = { 0, 0, 1, 1, 0, -1, 1, -1 };
  g_autoptr (PhiliaGraphBuilder) builder = philia_graph_builder_new (N);
  g_autoptr (GError) error = NULL;
  float *x = g_new (float, 2 * N);
  guint8 *masks[3];
  PhiliaGraph *graph;

  philia_graph_builder_take_edges (builder, g_memdup2 (rows, sizeof rows),
                                   G_N_ELEMENTS (rows) / 2);
  if (labeled)
    {
      char **class_names = g_new0 (char *, 3);

      class_names[0] = g_strdup ("A");
      class_names[1] = g_strdup ("B");
      philia_graph_builder_take_labels (builder, g_memdup2 (labels, sizeof labels));
      philia_graph_builder_take_class_names (builder, class_names);
    }
  for (guint v = 0; v < N; v++)
    {
      x[2 * v] = v;
      x[2 * v + 1] = 10 + v;
    }
  philia_graph_builder_take_features (builder, x, 2);
  for (guint p = 0; p < 3; p++)
    masks[p] = g_new0 (guint8, N);
  for (guint v = 0; v < N; v++)
    masks[v < 3 ? 0 : v == 3 || v == 4 ? 1 : 2][v] = 1;
  philia_graph_builder_take_masks (builder, 1, masks[0], masks[1], masks[2]);
  if (names)
    {
      char **node_names = g_new0 (char *, N + 1);

      for (guint v = 0; v < N; v++)
        node_names[v] = g_strdup_printf ("n%u", v);
      philia_graph_builder_take_node_names (builder, node_names);
    }
  philia_graph_builder_set_source (builder, "toy.npz", "npz");
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 8);
  return graph;
}

static double *
grid_positions (guint  n,
                double shift)
{
  double *xy = g_new (double, 2 * MAX (n, 1));

  for (guint v = 0; v < n; v++)
    {
      xy[2 * v] = v + shift;
      xy[2 * v + 1] = -(double)v * 0.5 + shift;
    }
  return xy;
}

static PhiliaTrainResult *
fake_result (const char *model)
{
  PhiliaTrainResult *result = g_new0 (PhiliaTrainResult, 1);

  result->model = g_strdup (model);
  return result;
}

/* What "changed" reported, and how often each property was notified. */
typedef struct
{
  guint  n_changed;
  guint  parts;       /* OR of every emission since the last reset */
  guint  last_parts;
  guint  notify_dirty;
  guint  notify_can_undo;
  guint  notify_undo_label;
  guint  notify_title;
  guint  notify_graph;
} Recorder;

static void
on_changed (PhiliaDocument *document,
            guint           parts,
            Recorder       *rec)
{
  rec->n_changed++;
  rec->parts |= parts;
  rec->last_parts = parts;
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           Recorder   *rec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "dirty"))
    rec->notify_dirty++;
  else if (g_str_equal (name, "can-undo"))
    rec->notify_can_undo++;
  else if (g_str_equal (name, "undo-label"))
    rec->notify_undo_label++;
  else if (g_str_equal (name, "title"))
    rec->notify_title++;
  else if (g_str_equal (name, "graph"))
    rec->notify_graph++;
}

static void
recorder_attach (PhiliaDocument *document,
                 Recorder       *rec)
{
  memset (rec, 0, sizeof *rec);
  g_signal_connect (document, "changed", G_CALLBACK (on_changed), rec);
  g_signal_connect (document, "notify", G_CALLBACK (on_notify), rec);
}

static void
recorder_reset (Recorder *rec)
{
  memset (rec, 0, sizeof *rec);
}

/* A bit-for-bit record of everything a step may change. */
typedef struct
{
  PhiliaGraph         *graph;
  GPtrArray           *layouts;       /* PhiliaDocumentLayout refs */
  GPtrArray           *positions;     /* copies of each layout's positions */
  const PhiliaDocumentLayout *current;
  PhiliaDocumentView   view;
  PhiliaConvention     conventions;
  GArray              *runs;          /* PhiliaDocumentRun * */
  char                *notes;
  guint                n;
} State;

static void
state_take (State          *s,
            PhiliaDocument *document)
{
  s->graph = g_object_ref (philia_document_get_graph (document));
  s->n = philia_graph_get_n_nodes (s->graph);
  s->layouts = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_document_layout_unref);
  s->positions = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < philia_document_get_n_layouts (document); i++)
    {
      PhiliaDocumentLayout *l = (PhiliaDocumentLayout *)philia_document_get_layout (document, i);

      g_ptr_array_add (s->layouts, philia_document_layout_ref (l));
      g_ptr_array_add (s->positions, g_memdup2 (l->positions, sizeof (double) * 2 * s->n));
    }
  s->current = philia_document_get_current_layout (document);
  memset (&s->view, 0, sizeof s->view);
  philia_document_view_copy (&s->view, philia_document_get_view (document));
  s->conventions = philia_document_get_conventions (document);
  s->runs = g_array_new (FALSE, FALSE, sizeof (gpointer));
  for (guint i = 0; i < philia_document_get_n_runs (document); i++)
    {
      gconstpointer run = philia_document_get_run (document, i);

      g_array_append_val (s->runs, run);
    }
  s->notes = g_strdup (philia_document_get_notes (document));
}

static void
state_clear (State *s)
{
  g_clear_object (&s->graph);
  g_clear_pointer (&s->layouts, g_ptr_array_unref);
  g_clear_pointer (&s->positions, g_ptr_array_unref);
  philia_document_view_clear (&s->view);
  g_clear_pointer (&s->runs, g_array_unref);
  g_clear_pointer (&s->notes, g_free);
}

static void
assert_state (PhiliaDocument *document,
              const State    *s)
{
  const PhiliaDocumentView *view = philia_document_get_view (document);

  g_assert_true (philia_document_get_graph (document) == s->graph);
  g_assert_cmpuint (philia_document_get_n_layouts (document), ==, s->layouts->len);
  for (guint i = 0; i < s->layouts->len; i++)
    {
      const PhiliaDocumentLayout *l = philia_document_get_layout (document, i);

      g_assert_true (l == s->layouts->pdata[i]);
      /* Positions bit for bit, and the layout was never written to. */
      g_assert_cmpmem (l->positions, sizeof (double) * 2 * s->n, s->positions->pdata[i],
                       sizeof (double) * 2 * s->n);
    }
  g_assert_true (philia_document_get_current_layout (document) == s->current);
  g_assert_cmpstr (view->color_by, ==, s->view.color_by);
  g_assert_cmpstr (view->edge_style, ==, s->view.edge_style);
  g_assert_cmpstr (view->overlay, ==, s->view.overlay);
  g_assert_cmpint (philia_document_get_conventions (document), ==, s->conventions);
  g_assert_cmpuint (philia_document_get_n_runs (document), ==, s->runs->len);
  for (guint i = 0; i < s->runs->len; i++)
    g_assert_true ((gconstpointer)philia_document_get_run (document, i)
                   == g_array_index (s->runs, gpointer, i));
  g_assert_cmpstr (philia_document_get_notes (document), ==, s->notes);
}

/* Checks that @document is in state @b, that undo gives exactly @a with
 * @parts emitted and the redo label @label, and that redo gives @b again. */
static void
check_step (PhiliaDocument *document,
            Recorder       *rec,
            const State    *a,
            const State    *b,
            const char     *label,
            guint           parts)
{
  assert_state (document, b);
  g_assert_cmpstr (philia_document_get_undo_label (document), ==, label);
  g_assert_true (philia_document_can_undo (document));
  g_assert_false (philia_document_can_redo (document));

  recorder_reset (rec);
  g_assert_true (philia_document_undo (document));
  assert_state (document, a);
  g_assert_cmpuint (rec->n_changed, ==, 1);
  g_assert_cmpuint (rec->last_parts & ~PHILIA_DOCUMENT_PART_FILE, ==, parts);
  g_assert_cmpstr (philia_document_get_redo_label (document), ==, label);
  g_assert_true (philia_document_can_redo (document));

  recorder_reset (rec);
  g_assert_true (philia_document_redo (document));
  assert_state (document, b);
  g_assert_cmpuint (rec->last_parts & ~PHILIA_DOCUMENT_PART_FILE, ==, parts);
  g_assert_cmpstr (philia_document_get_undo_label (document), ==, label);
  g_assert_false (philia_document_can_redo (document));
}

static void
test_new (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, "/data/sets/cora.npz", NULL);
  g_autoptr (PhiliaDocument) untitled = philia_document_new (graph, NULL, NULL);
  g_autofree char *title = philia_document_dup_title (doc);
  g_autofree char *untitled_title = philia_document_dup_title (untitled);
  g_autofree char *prop_title = NULL;
  const PhiliaDocumentView *view = philia_document_get_view (doc);
  guint n_selected = 99;

  g_assert_cmpstr (title, ==, "cora");
  g_assert_cmpstr (untitled_title, ==, "Untitled");
  g_object_get (doc, "title", &prop_title, NULL);
  g_assert_cmpstr (prop_title, ==, "cora");
  g_assert_cmpstr (philia_document_get_dataset_path (doc), ==, "/data/sets/cora.npz");
  g_assert_null (philia_document_get_node_table_path (doc));
  g_assert_null (philia_document_get_path (doc));
  g_assert_null (philia_document_get_origin (doc));
  g_assert_true (philia_document_get_graph (doc) == graph);
  g_assert_false (philia_document_get_dirty (doc));
  g_assert_false (philia_document_has_work (doc));
  g_assert_false (philia_document_can_undo (doc));
  g_assert_false (philia_document_can_redo (doc));
  g_assert_false (philia_document_undo (doc));
  g_assert_false (philia_document_redo (doc));
  g_assert_null (philia_document_get_undo_label (doc));
  g_assert_null (philia_document_get_redo_label (doc));
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 0);
  g_assert_null (philia_document_get_current_layout (doc));
  g_assert_cmpuint (philia_document_get_n_layouts (doc), ==, 0);
  g_assert_cmpuint (philia_document_get_n_runs (doc), ==, 0);
  g_assert_cmpstr (philia_document_get_notes (doc), ==, "");
  g_assert_cmpstr (view->color_by, ==, "class");
  g_assert_cmpstr (view->edge_style, ==, "class");
  g_assert_cmpstr (view->overlay, ==, "");
  g_assert_cmpfloat (view->zoom, ==, 1);
  philia_document_get_selection (doc, &n_selected);
  g_assert_cmpuint (n_selected, ==, 0);
  g_assert_false (philia_document_move_nodes (doc, (guint[]) { 0 }, (double[]) { 1, 1 }, 1));

  /* Title: the project, else the dataset (without extension). */
  _philia_document_mark_saved (doc, "/projects/analysis.v2.philia");
  g_clear_pointer (&title, g_free);
  title = philia_document_dup_title (doc);
  g_assert_cmpstr (title, ==, "analysis.v2");
  g_assert_cmpstr (philia_document_get_path (doc), ==, "/projects/analysis.v2.philia");
}

static void
test_view_helpers (void)
{
  PhiliaDocumentView a = { (char *)"class", (char *)"plain", (char *)"", 2, 1, -1 };
  PhiliaDocumentView b = { 0 };
  PhiliaDocumentView c = { 0 };

  philia_document_view_copy (&b, &a);
  g_assert_true (philia_document_view_equal (&a, &b));
  g_assert_true (b.color_by != a.color_by);
  /* Copying onto itself keeps the values. */
  philia_document_view_copy (&b, &b);
  g_assert_true (philia_document_view_equal (&a, &b));
  philia_document_view_copy (&c, &b);
  g_free (c.overlay);
  c.overlay = g_strdup ("run:3:attention:0");
  g_assert_false (philia_document_view_equal (&b, &c));
  philia_document_view_copy (&c, &b);
  c.zoom = 3;
  g_assert_false (philia_document_view_equal (&b, &c));
  philia_document_view_clear (&b);
  philia_document_view_clear (&c);
  g_assert_null (b.color_by);
}

static void
test_layouts (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  State s0, s1, s2, s3, s4, s5;
  Recorder rec;

  recorder_attach (doc, &rec);
  state_take (&s0, doc);

  philia_document_add_layout (doc, "fr", "fr", 7, grid_positions (N, 0));
  g_assert_cmpuint (rec.n_changed, ==, 1);
  g_assert_true (rec.parts & PHILIA_DOCUMENT_PART_LAYOUTS);
  g_assert_true (rec.parts & PHILIA_DOCUMENT_PART_POSITIONS);
  g_assert_cmpstr (philia_document_get_current_layout (doc)->name, ==, "fr");
  g_assert_cmpstr (philia_document_get_current_layout (doc)->algorithm, ==, "fr");
  g_assert_cmpuint (philia_document_get_current_layout (doc)->seed, ==, 7);
  g_assert_true (philia_document_has_work (doc));
  state_take (&s1, doc);
  check_step (doc, &rec, &s0, &s1, "Layout",
              PHILIA_DOCUMENT_PART_LAYOUTS | PHILIA_DOCUMENT_PART_POSITIONS);

  philia_document_add_layout (doc, "kk", "kk", 1, grid_positions (N, 100));
  state_take (&s2, doc);
  check_step (doc, &rec, &s1, &s2, "Layout",
              PHILIA_DOCUMENT_PART_LAYOUTS | PHILIA_DOCUMENT_PART_POSITIONS);
  g_assert_true (philia_document_find_layout (doc, "kk") == philia_document_get_layout (doc, 1));
  g_assert_null (philia_document_find_layout (doc, "nope"));

  /* Replacing "fr" keeps its place in the list and makes it current. */
  philia_document_add_layout (doc, "fr", "fr", 8, grid_positions (N, 50));
  g_assert_cmpuint (philia_document_get_n_layouts (doc), ==, 2);
  g_assert_cmpstr (philia_document_get_layout (doc, 0)->name, ==, "fr");
  g_assert_cmpuint (philia_document_get_layout (doc, 0)->seed, ==, 8);
  g_assert_cmpfloat (philia_document_get_layout (doc, 0)->positions[0], ==, 50);
  g_assert_true (philia_document_get_current_layout (doc) == philia_document_get_layout (doc, 0));
  state_take (&s3, doc);
  check_step (doc, &rec, &s2, &s3, "Layout",
              PHILIA_DOCUMENT_PART_LAYOUTS | PHILIA_DOCUMENT_PART_POSITIONS);

  g_assert_false (philia_document_set_current_layout (doc, "nope"));
  /* Already current: no step. */
  g_assert_true (philia_document_set_current_layout (doc, "fr"));
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 3);
  g_assert_true (philia_document_set_current_layout (doc, "kk"));
  state_take (&s4, doc);
  check_step (doc, &rec, &s3, &s4, "Switch Layout",
              PHILIA_DOCUMENT_PART_LAYOUTS | PHILIA_DOCUMENT_PART_POSITIONS);

  g_assert_false (philia_document_remove_layout (doc, "nope"));
  g_assert_true (philia_document_remove_layout (doc, "kk"));
  /* The one before the removed current layout is shown. */
  g_assert_cmpstr (philia_document_get_current_layout (doc)->name, ==, "fr");
  state_take (&s5, doc);
  check_step (doc, &rec, &s4, &s5, "Remove Layout",
              PHILIA_DOCUMENT_PART_LAYOUTS | PHILIA_DOCUMENT_PART_POSITIONS);
  g_assert_true (philia_document_remove_layout (doc, "fr"));
  g_assert_null (philia_document_get_current_layout (doc));
  g_assert_cmpuint (philia_document_get_n_layouts (doc), ==, 0);

  /* All the way back to the start. */
  for (guint i = 0; i < 6; i++)
    g_assert_true (philia_document_undo (doc));
  g_assert_false (philia_document_undo (doc));
  assert_state (doc, &s0);

  state_clear (&s0), state_clear (&s1), state_clear (&s2);
  state_clear (&s3), state_clear (&s4), state_clear (&s5);
}

/* The automatic first layout: current, not a step, not dirty, not work;
 * undoing a later step comes back to it, and a document that has a layout
 * refuses another initial one. */
static void
test_initial_layout (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  g_autoptr (PhiliaDocument) other = philia_document_new (graph, NULL, NULL);
  const PhiliaDocumentLayout *initial;
  guint node = 2;
  double xy[2] = { 40, 41 };
  Recorder rec;

  recorder_attach (doc, &rec);
  g_assert_true (philia_document_set_initial_layout (doc, "Fruchterman–Reingold", "fr", 42,
                                                     grid_positions (N, 0)));
  g_assert_cmpuint (rec.n_changed, ==, 1);
  g_assert_cmpuint (rec.parts & ~PHILIA_DOCUMENT_PART_FILE, ==,
                    PHILIA_DOCUMENT_PART_LAYOUTS | PHILIA_DOCUMENT_PART_POSITIONS);
  initial = philia_document_get_current_layout (doc);
  g_assert_nonnull (initial);
  g_assert_cmpstr (initial->name, ==, "Fruchterman–Reingold");
  g_assert_cmpstr (initial->algorithm, ==, "fr");
  g_assert_cmpuint (initial->seed, ==, 42);
  g_assert_cmpfloat (initial->positions[2 * 3], ==, 3);
  g_assert_false (philia_document_can_undo (doc));
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 0);
  g_assert_null (philia_document_get_undo_label (doc));
  g_assert_false (philia_document_get_dirty (doc));
  g_assert_false (philia_document_has_work (doc));
  g_assert_false (philia_document_undo (doc));
  g_assert_true (philia_document_get_current_layout (doc) == initial);

  /* Only a document without layouts gets one. */
  recorder_reset (&rec);
  g_assert_false (philia_document_set_initial_layout (doc, "kk", "kk", 1,
                                                      grid_positions (N, 9)));
  g_assert_cmpuint (rec.n_changed, ==, 0);
  g_assert_cmpuint (philia_document_get_n_layouts (doc), ==, 1);
  philia_document_add_layout (other, "grid", "grid", 0, grid_positions (N, 5));
  g_assert_false (philia_document_set_initial_layout (other, "fr", "fr", 42,
                                                      grid_positions (N, 0)));
  g_assert_cmpstr (philia_document_get_current_layout (other)->name, ==, "grid");
  g_assert_cmpuint (philia_document_get_history_length (other), ==, 1);

  /* Moving a node of it is a step, and work; undo brings the initial
   * layout back, the very same one. */
  g_assert_true (philia_document_move_nodes (doc, &node, xy, 1));
  g_assert_true (philia_document_has_work (doc));
  g_assert_true (philia_document_get_dirty (doc));
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Move Node 2");
  g_assert_true (philia_document_undo (doc));
  g_assert_true (philia_document_get_current_layout (doc) == initial);
  g_assert_cmpfloat (initial->positions[2 * 2], ==, 2);
  g_assert_false (philia_document_can_undo (doc));
  g_assert_false (philia_document_get_dirty (doc));
}

static void
test_move (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaGraph) named = make_graph (TRUE, TRUE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  g_autoptr (PhiliaDocument) doc_named = philia_document_new (named, NULL, NULL);
  PhiliaDocumentLayout *before;
  g_autofree double *before_xy = NULL;
  const PhiliaDocumentLayout *after;
  State s0, s1, s2;
  Recorder rec;

  recorder_attach (doc, &rec);
  philia_document_add_layout (doc, "fr", "fr", 3, grid_positions (N, 0));
  before = philia_document_layout_ref ((PhiliaDocumentLayout *)
                                       philia_document_get_current_layout (doc));
  before_xy = g_memdup2 (before->positions, sizeof (double) * 2 * N);
  state_take (&s0, doc);

  recorder_reset (&rec);
  g_assert_true (philia_document_move_nodes (doc, (guint[]) { 2 }, (double[]) { -5, 6.25 }, 1));
  g_assert_cmpuint (rec.last_parts & ~PHILIA_DOCUMENT_PART_FILE, ==,
                    PHILIA_DOCUMENT_PART_POSITIONS);
  after = philia_document_get_current_layout (doc);
  /* A new layout box; the old one is untouched (a snapshot may hold it). */
  g_assert_true (after != before);
  g_assert_cmpmem (before->positions, sizeof (double) * 2 * N, before_xy, sizeof (double) * 2 * N);
  g_assert_cmpstr (after->name, ==, "fr");
  g_assert_cmpstr (after->algorithm, ==, "fr");
  for (guint v = 0; v < N; v++)
    {
      g_assert_cmpfloat (after->positions[2 * v], ==, v == 2 ? -5 : before_xy[2 * v]);
      g_assert_cmpfloat (after->positions[2 * v + 1], ==, v == 2 ? 6.25 : before_xy[2 * v + 1]);
    }
  state_take (&s1, doc);
  check_step (doc, &rec, &s0, &s1, "Move Node 2", PHILIA_DOCUMENT_PART_POSITIONS);

  g_assert_true (philia_document_move_nodes (doc, (guint[]) { 0, 7, 4 },
                                             (double[]) { 1, 2, 3, 4, 5, 6 }, 3));
  after = philia_document_get_current_layout (doc);
  g_assert_cmpfloat (after->positions[0], ==, 1);
  g_assert_cmpfloat (after->positions[15], ==, 4);
  g_assert_cmpfloat (after->positions[8], ==, 5);
  g_assert_cmpfloat (after->positions[4], ==, -5);
  state_take (&s2, doc);
  check_step (doc, &rec, &s1, &s2, "Move 3 Nodes", PHILIA_DOCUMENT_PART_POSITIONS);

  /* Refused: out of range, not finite, nothing to move; no step. */
  g_assert_false (philia_document_move_nodes (doc, (guint[]) { N }, (double[]) { 0, 0 }, 1));
  g_assert_false (philia_document_move_nodes (doc, (guint[]) { 1 }, (double[]) { NAN, 0 }, 1));
  g_assert_false (philia_document_move_nodes (doc, NULL, NULL, 0));
  /* Where it already is: not a step. */
  g_assert_true (philia_document_move_nodes (doc, (guint[]) { 0 }, (double[]) { 1, 2 }, 1));
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 3);
  assert_state (doc, &s2);

  /* With node names the label names the node, as the Inspector does. */
  philia_document_add_layout (doc_named, "fr", "fr", 3, grid_positions (N, 0));
  g_assert_true (philia_document_move_nodes (doc_named, (guint[]) { 5 }, (double[]) { 0, 0 }, 1));
  g_assert_cmpstr (philia_document_get_undo_label (doc_named), ==, "Move Node n5");

  philia_document_layout_unref (before);
  state_clear (&s0), state_clear (&s1), state_clear (&s2);
}

static void
test_view (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  PhiliaDocumentView v = { 0 };
  State s0, s1, s2, s3, s4;
  Recorder rec;

  recorder_attach (doc, &rec);
  state_take (&s0, doc);
  philia_document_view_copy (&v, philia_document_get_view (doc));

  g_free (v.color_by);
  v.color_by = g_strdup ("degree");
  philia_document_set_view (doc, &v);
  state_take (&s1, doc);
  check_step (doc, &rec, &s0, &s1, "Colouring", PHILIA_DOCUMENT_PART_VIEW);

  g_free (v.edge_style);
  v.edge_style = g_strdup ("plain");
  philia_document_set_view (doc, &v);
  state_take (&s2, doc);
  check_step (doc, &rec, &s1, &s2, "Edge Style", PHILIA_DOCUMENT_PART_VIEW);

  g_free (v.color_by);
  v.color_by = g_strdup ("run:3:gate");
  g_free (v.edge_style);
  v.edge_style = g_strdup ("attention");
  philia_document_set_view (doc, &v);
  state_take (&s3, doc);
  check_step (doc, &rec, &s2, &s3, "View", PHILIA_DOCUMENT_PART_VIEW);

  g_free (v.overlay);
  v.overlay = g_strdup ("run:3:attention:0");
  philia_document_set_view (doc, &v);
  state_take (&s4, doc);
  check_step (doc, &rec, &s3, &s4, "Overlay", PHILIA_DOCUMENT_PART_VIEW);

  /* The same view again: no step. */
  philia_document_set_view (doc, &v);
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 4);

  /* Zoom and centre are saved but not steps: the document stays clean, the
   * history unchanged, and undoing a colouring keeps the zoom. */
  _philia_document_mark_saved (doc, "/tmp/x.philia");
  recorder_reset (&rec);
  philia_document_set_zoom (doc, 2.5, 10, -3);
  g_assert_cmpuint (rec.last_parts & PHILIA_DOCUMENT_PART_VIEW, !=, 0);
  g_assert_false (philia_document_get_dirty (doc));
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 4);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Overlay");
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpfloat (philia_document_get_view (doc)->zoom, ==, 2.5);
  g_assert_cmpfloat (philia_document_get_view (doc)->center_x, ==, 10);
  g_assert_cmpfloat (philia_document_get_view (doc)->center_y, ==, -3);
  /* set_view with a new zoom only: no step either. */
  philia_document_view_copy (&v, philia_document_get_view (doc));
  v.zoom = 4;
  philia_document_set_view (doc, &v);
  g_assert_cmpfloat (philia_document_get_view (doc)->zoom, ==, 4);
  g_assert_true (philia_document_can_redo (doc));

  philia_document_view_clear (&v);
  state_clear (&s0), state_clear (&s1), state_clear (&s2);
  state_clear (&s3), state_clear (&s4);
}

static void
test_conventions (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  State s0, s1;
  Recorder rec;

  recorder_attach (doc, &rec);
  state_take (&s0, doc);
  philia_document_set_conventions (doc, PHILIA_CONVENTION_DEFAULT);
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 0);
  g_assert_cmpuint (rec.n_changed, ==, 0);
  philia_document_set_conventions (doc, PHILIA_CONVENTION_KEEP_SELF_LOOPS
                                   | PHILIA_CONVENTION_DIRECTED);
  state_take (&s1, doc);
  check_step (doc, &rec, &s0, &s1, "Conventions", PHILIA_DOCUMENT_PART_CONVENTIONS);
  state_clear (&s0), state_clear (&s1);
}

static void
test_splits (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  guint8 *train = g_new0 (guint8, 2 * N), *val = g_new0 (guint8, 2 * N);
  guint8 *test = g_new0 (guint8, 2 * N);
  PhiliaGraph *split_graph;
  State s0, s1;
  Recorder rec;

  recorder_attach (doc, &rec);
  philia_document_add_layout (doc, "fr", "fr", 1, grid_positions (N, 0));
  philia_document_add_run (doc, fake_result ("gcn"));
  philia_document_set_selection (doc, (guint[]) { 1, 6 }, 2);
  state_take (&s0, doc);
  for (guint s = 0; s < 2; s++)
    for (guint v = 0; v < N; v++)
      {
        train[s * N + v] = (v + s) % 3 == 0;
        val[s * N + v] = (v + s) % 3 == 1 ? 7 : 0;   /* any nonzero byte counts */
        test[s * N + v] = (v + s) % 3 == 2;
      }
  recorder_reset (&rec);
  philia_document_set_splits (doc, 2, train, val, test);
  g_assert_cmpuint (rec.notify_graph, ==, 1);
  split_graph = philia_document_get_graph (doc);
  g_assert_true (split_graph != graph);
  g_assert_cmpuint (philia_graph_get_n_splits (split_graph), ==, 2);
  g_assert_cmpuint (philia_graph_get_n_splits (graph), ==, 1);
  for (guint s = 0; s < 2; s++)
    for (guint v = 0; v < N; v++)
      {
        g_assert_cmpuint (philia_graph_get_split_mask (split_graph, s, PHILIA_SPLIT_TRAIN)[v], ==,
                          (v + s) % 3 == 0);
        g_assert_cmpuint (philia_graph_get_split_mask (split_graph, s, PHILIA_SPLIT_VAL)[v], ==,
                          (v + s) % 3 == 1);
      }
  state_take (&s1, doc);
  /* Layouts, runs and the selection stay. */
  g_assert_cmpuint (s1.layouts->len, ==, 1);
  g_assert_cmpuint (s1.runs->len, ==, 1);
  g_assert_cmpuint (philia_graph_get_n_edges (split_graph), ==, 8);
  check_step (doc, &rec, &s0, &s1, "Make Splits", PHILIA_DOCUMENT_PART_GRAPH);
  g_assert_cmpuint (philia_graph_get_n_splits (philia_document_get_graph (doc)), ==, 2);
  philia_document_undo (doc);
  g_assert_true (philia_document_get_graph (doc) == graph);
  g_assert_cmpuint (philia_graph_get_n_splits (philia_document_get_graph (doc)), ==, 1);
  state_clear (&s0), state_clear (&s1);
}

static void
test_runs (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  State s0, s1;
  Recorder rec;

  recorder_attach (doc, &rec);
  g_assert_cmpuint (philia_document_add_run (doc, fake_result ("gcn")), ==, 1);
  g_assert_cmpuint (rec.last_parts & PHILIA_DOCUMENT_PART_RUNS, !=, 0);
  g_assert_cmpuint (philia_document_add_run (doc, fake_result ("gat")), ==, 2);
  g_assert_cmpuint (philia_document_add_run (doc, fake_result ("mlp")), ==, 3);
  /* Adding a run is not a step. */
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 0);
  g_assert_true (philia_document_get_dirty (doc));
  g_assert_true (philia_document_has_work (doc));
  g_assert_cmpstr (philia_document_find_run (doc, 2)->result->model, ==, "gat");
  g_assert_null (philia_document_find_run (doc, 4));
  g_assert_false (philia_document_delete_run (doc, 4));

  state_take (&s0, doc);
  g_assert_true (philia_document_delete_run (doc, 2));
  g_assert_null (philia_document_find_run (doc, 2));
  state_take (&s1, doc);
  check_step (doc, &rec, &s0, &s1, "Delete Run 2", PHILIA_DOCUMENT_PART_RUNS);
  g_assert_true (philia_document_undo (doc));
  /* Back in its place, the same run. */
  g_assert_cmpuint (philia_document_get_run (doc, 1)->id, ==, 2);

  /* Ids are never reused: not after a delete, not after undoing one. */
  g_assert_true (philia_document_redo (doc));
  g_assert_cmpuint (philia_document_add_run (doc, fake_result ("sage")), ==, 4);
  g_assert_true (philia_document_delete_run (doc, 4));
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpuint (philia_document_add_run (doc, fake_result ("sgc")), ==, 5);
  g_assert_cmpuint (_philia_document_get_next_run_id (doc), ==, 6);
  state_clear (&s0), state_clear (&s1);
}

static void
test_notes (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  gint64 t = 1000 * G_USEC_PER_SEC;
  State s0, s1;
  Recorder rec;

  recorder_attach (doc, &rec);
  _philia_document_set_time (doc, t);
  state_take (&s0, doc);
  philia_document_set_notes (doc, "h");
  g_assert_cmpuint (rec.last_parts & ~PHILIA_DOCUMENT_PART_FILE, ==, PHILIA_DOCUMENT_PART_NOTES);
  _philia_document_set_time (doc, t += G_USEC_PER_SEC);
  philia_document_set_notes (doc, "he");
  _philia_document_set_time (doc, t += G_USEC_PER_SEC * 19 / 10);
  philia_document_set_notes (doc, "hello");
  /* Three edits, each within 2 s of the one before: one step. */
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 1);
  g_assert_cmpstr (philia_document_get_notes (doc), ==, "hello");
  state_take (&s1, doc);
  check_step (doc, &rec, &s0, &s1, "Edit Notes", PHILIA_DOCUMENT_PART_NOTES);

  /* After a pause of 2 s, a new step. */
  _philia_document_set_time (doc, t += 2 * G_USEC_PER_SEC);
  philia_document_set_notes (doc, "hello world");
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 2);
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpstr (philia_document_get_notes (doc), ==, "hello");
  g_assert_true (philia_document_redo (doc));

  /* Not merged into a step that was saved: the saved text stays reachable. */
  _philia_document_mark_saved (doc, "/tmp/notes.philia");
  _philia_document_set_time (doc, t += G_USEC_PER_SEC / 2);
  philia_document_set_notes (doc, "hello world!");
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 3);
  g_assert_true (philia_document_get_dirty (doc));
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpstr (philia_document_get_notes (doc), ==, "hello world");
  g_assert_false (philia_document_get_dirty (doc));
  g_assert_true (philia_document_redo (doc));

  /* Not merged into a step that has been undone either (redo branch). */
  _philia_document_set_time (doc, t += G_USEC_PER_SEC / 2);
  g_assert_true (philia_document_undo (doc));
  philia_document_set_notes (doc, "hello world?");
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 3);
  g_assert_false (philia_document_can_redo (doc));

  /* Typed and erased within 2 s: nothing left to undo. */
  _philia_document_set_time (doc, t += 5 * G_USEC_PER_SEC);
  philia_document_set_notes (doc, "hello world?!");
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 4);
  _philia_document_set_time (doc, t += G_USEC_PER_SEC);
  philia_document_set_notes (doc, "hello world?");
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 3);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Edit Notes");
  g_assert_cmpstr (philia_document_get_notes (doc), ==, "hello world?");

  /* NULL clears; the same text again is no step. */
  philia_document_set_notes (doc, "hello world?");
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 3);
  _philia_document_set_time (doc, t += 5 * G_USEC_PER_SEC);
  philia_document_set_notes (doc, NULL);
  g_assert_cmpstr (philia_document_get_notes (doc), ==, "");
  state_clear (&s0), state_clear (&s1);
}

static void
test_dirty (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, "/d/toy.npz", NULL);
  PhiliaProximityParams params;
  Recorder rec;
  gboolean dirty;

  philia_proximity_params_init_default (&params);
  recorder_attach (doc, &rec);
  philia_document_set_conventions (doc, PHILIA_CONVENTION_DIRECTED);   /* step 1 */
  g_assert_true (philia_document_get_dirty (doc));
  g_object_get (doc, "dirty", &dirty, NULL);
  g_assert_true (dirty);
  g_assert_cmpuint (rec.notify_dirty, ==, 1);
  g_assert_cmpuint (rec.notify_can_undo, ==, 1);
  g_assert_cmpuint (rec.notify_undo_label, ==, 1);
  /* Dirty already: no second notify. */
  philia_document_set_conventions (doc, PHILIA_CONVENTION_DEFAULT);    /* step 2 */
  g_assert_cmpuint (rec.notify_dirty, ==, 1);
  g_assert_cmpuint (rec.notify_can_undo, ==, 1);
  /* Same label: not notified again. */
  g_assert_cmpuint (rec.notify_undo_label, ==, 1);

  recorder_reset (&rec);
  _philia_document_mark_saved (doc, "/p/study.philia");
  g_assert_false (philia_document_get_dirty (doc));
  g_assert_cmpuint (rec.notify_dirty, ==, 1);
  g_assert_cmpuint (rec.notify_title, ==, 1);
  g_assert_true (rec.parts & PHILIA_DOCUMENT_PART_FILE);
  /* Saving again where it is: nothing to say. */
  recorder_reset (&rec);
  _philia_document_mark_saved (doc, "/p/study.philia");
  g_assert_cmpuint (rec.notify_dirty + rec.notify_title + rec.n_changed, ==, 0);

  /* Around the save point. */
  g_assert_true (philia_document_undo (doc));
  g_assert_true (philia_document_get_dirty (doc));
  g_assert_true (philia_document_redo (doc));
  g_assert_false (philia_document_get_dirty (doc));
  philia_document_set_conventions (doc, PHILIA_CONVENTION_KEEP_SELF_LOOPS);  /* step 3 */
  g_assert_true (philia_document_get_dirty (doc));
  g_assert_true (philia_document_undo (doc));
  g_assert_false (philia_document_get_dirty (doc));

  /* The saved state dropped with a redo branch: dirty until saved. */
  g_assert_true (philia_document_undo (doc));
  philia_document_set_conventions (doc, PHILIA_CONVENTION_KEEP_SELF_LOOPS);
  g_assert_true (philia_document_get_dirty (doc));
  g_assert_true (philia_document_undo (doc));
  g_assert_true (philia_document_get_dirty (doc));
  g_assert_cmpint (philia_document_get_conventions (doc), ==, PHILIA_CONVENTION_DIRECTED);
  g_assert_true (philia_document_can_redo (doc));
  _philia_document_mark_saved (doc, "/p/study.philia");
  g_assert_false (philia_document_get_dirty (doc));

  /* Changes that are saved but not undone make the document dirty; undo
   * does not make it clean again. */
  {
    PhiliaLinkpredReport *report = g_new0 (PhiliaLinkpredReport, 1);

    /* Where the user looks is saved but asks for no save. */
    philia_document_set_selection (doc, (guint[]) { 3 }, 1);
    g_assert_false (philia_document_get_dirty (doc));
    philia_document_set_zoom (doc, 3, 1, 2);
    g_assert_false (philia_document_get_dirty (doc));
    g_assert_cmpfloat (philia_document_get_view (doc)->zoom, ==, 3);
    philia_document_set_zoom (doc, 1, 0, 0);

    philia_document_add_pair (doc, 0, 1, &params);
    g_assert_true (philia_document_get_dirty (doc));
    g_assert_true (philia_document_undo (doc));
    g_assert_true (philia_document_get_dirty (doc));
    g_assert_true (philia_document_redo (doc));
    g_assert_true (philia_document_get_dirty (doc));
    _philia_document_mark_saved (doc, "/p/study.philia");
    philia_document_add_evaluation (doc, &params, 1, 5, report);
    g_assert_true (philia_document_get_dirty (doc));
    _philia_document_mark_saved (doc, "/p/study.philia");
    philia_document_set_embed (doc, TRUE);
    g_assert_true (philia_document_get_embed (doc));
    g_assert_true (philia_document_get_dirty (doc));
    _philia_document_mark_saved (doc, "/p/study.philia");
    philia_document_set_zoom (doc, 1, 0, 0);   /* unchanged */
    g_assert_false (philia_document_get_dirty (doc));
  }
}

/* A save written on a worker while the user goes on working. */
static void
test_save_revision (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  guint64 revision;

  philia_document_set_conventions (doc, PHILIA_CONVENTION_DIRECTED);
  revision = _philia_document_get_revision (doc);
  /* Nothing happened meanwhile: clean. */
  _philia_document_mark_saved_revision (doc, "/p/a.philia", revision);
  g_assert_false (philia_document_get_dirty (doc));
  g_assert_cmpstr (philia_document_get_path (doc), ==, "/p/a.philia");

  /* A step, an undo, a redo, a non-step: each is a new revision. */
  philia_document_set_notes (doc, "n");
  g_assert_cmpuint (_philia_document_get_revision (doc), >, revision);
  revision = _philia_document_get_revision (doc);
  philia_document_undo (doc);
  g_assert_cmpuint (_philia_document_get_revision (doc), >, revision);
  revision = _philia_document_get_revision (doc);
  philia_document_redo (doc);
  g_assert_cmpuint (_philia_document_get_revision (doc), >, revision);
  revision = _philia_document_get_revision (doc);
  philia_document_set_selection (doc, (guint[]) { 1 }, 1);
  g_assert_cmpuint (_philia_document_get_revision (doc), >, revision);

  /* Snapshot taken, then the user undoes (back to the saved state) while
   * the file is written: the new file is not that state, so dirty. */
  revision = _philia_document_get_revision (doc);
  philia_document_undo (doc);
  _philia_document_mark_saved_revision (doc, "/p/b.philia", revision);
  g_assert_cmpstr (philia_document_get_path (doc), ==, "/p/b.philia");
  g_assert_true (philia_document_get_dirty (doc));
  g_assert_true (philia_document_redo (doc));
  g_assert_true (philia_document_get_dirty (doc));
  _philia_document_mark_saved (doc, "/p/b.philia");
  g_assert_false (philia_document_get_dirty (doc));
}

static void
test_redo_branch (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);

  philia_document_add_layout (doc, "a", "fr", 1, grid_positions (N, 0));
  philia_document_add_layout (doc, "b", "fr", 2, grid_positions (N, 1));
  philia_document_add_layout (doc, "c", "fr", 3, grid_positions (N, 2));
  g_assert_true (philia_document_undo (doc));
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 3);
  philia_document_set_conventions (doc, PHILIA_CONVENTION_DIRECTED);
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 2);
  g_assert_false (philia_document_can_redo (doc));
  g_assert_false (philia_document_redo (doc));
  g_assert_null (philia_document_get_redo_label (doc));
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Conventions");
  g_assert_cmpuint (philia_document_get_n_layouts (doc), ==, 1);
  g_assert_null (philia_document_find_layout (doc, "b"));
}

static void
test_history_cap (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  guint undone = 0;

  _philia_document_mark_saved (doc, "/p/cap.philia");
  for (guint i = 1; i <= 150; i++)
    {
      g_autofree char *name = g_strdup_printf ("l%u", i);

      philia_document_add_layout (doc, name, "fr", i, grid_positions (N, i));
    }
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 100);
  while (philia_document_undo (doc))
    undone++;
  g_assert_cmpuint (undone, ==, 100);
  /* The oldest 50 steps are gone: their layouts stay. */
  g_assert_cmpuint (philia_document_get_n_layouts (doc), ==, 50);
  g_assert_cmpstr (philia_document_get_current_layout (doc)->name, ==, "l50");
  /* The saved (empty) state fell off the history: dirty. */
  g_assert_true (philia_document_get_dirty (doc));
  while (philia_document_redo (doc))
    ;
  g_assert_cmpuint (philia_document_get_n_layouts (doc), ==, 150);
}

static void
test_history_budget (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);

  /* A new layout of 8 nodes makes 128 bytes: three fit in 400. */
  _philia_document_set_history_budget (doc, 400);
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("l%u", i);

      philia_document_add_layout (doc, name, "fr", i, grid_positions (N, i));
    }
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 3);
  /* Steps that make nothing new cost nothing. */
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("l%u", i);

      philia_document_set_current_layout (doc, name);
    }
  philia_document_set_conventions (doc, PHILIA_CONVENTION_DIRECTED);
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 9);
  /* A redo branch dropped gives its bytes back. */
  for (guint i = 0; i < 6; i++)
    g_assert_true (philia_document_undo (doc));
  philia_document_set_notes (doc, "x");
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 4);
  /* A fourth new layout: the oldest layout step goes. */
  philia_document_add_layout (doc, "m", "fr", 9, grid_positions (N, 9));
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 4);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Layout");
  /* The newest step stays, whatever its size. */
  _philia_document_set_history_budget (doc, 1);
  philia_document_set_splits (doc, 0, NULL, NULL, NULL);
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 1);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Make Splits");
  g_assert_true (philia_document_undo (doc));
  g_assert_true (philia_document_get_graph (doc) == graph);
  g_assert_cmpuint (philia_document_get_n_layouts (doc), ==, 6);
}

static void
test_has_work (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  PhiliaProximityParams params;
  g_autoptr (PhiliaDocument) a = philia_document_new (graph, NULL, NULL);
  g_autoptr (PhiliaDocument) b = philia_document_new (graph, NULL, NULL);
  g_autoptr (PhiliaDocument) c = philia_document_new (graph, NULL, NULL);
  g_autoptr (PhiliaDocument) d = philia_document_new (graph, NULL, NULL);

  philia_proximity_params_init_default (&params);
  /* A selection or a zoom is not work worth a new window. */
  philia_document_set_selection (a, (guint[]) { 1 }, 1);
  philia_document_set_zoom (a, 2, 0, 0);
  g_assert_false (philia_document_has_work (a));
  philia_document_add_pair (a, 0, 3, &params);
  g_assert_true (philia_document_has_work (a));
  philia_document_set_notes (b, "why?");
  g_assert_true (philia_document_has_work (b));
  philia_document_set_conventions (c, PHILIA_CONVENTION_DIRECTED);
  g_assert_true (philia_document_has_work (c));
  philia_document_add_run (d, fake_result ("gcn"));
  g_assert_true (philia_document_has_work (d));
}

static void
test_selection_and_pairs (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  PhiliaProximityParams params, other;
  const guint *sel;
  guint n_sel;
  Recorder rec;

  recorder_attach (doc, &rec);
  philia_proximity_params_init_default (&params);
  other = params;
  other.katz_beta = 0.01;
  philia_document_set_selection (doc, (guint[]) { 4, 2, 7 }, 3);
  /* The selection does not make the document dirty: no PART_FILE. */
  g_assert_cmpuint (rec.last_parts, ==, PHILIA_DOCUMENT_PART_SELECTION);
  sel = philia_document_get_selection (doc, &n_sel);
  g_assert_cmpuint (n_sel, ==, 3);
  g_assert_cmpuint (sel[0], ==, 4);
  g_assert_cmpuint (sel[2], ==, 7);
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 0);
  philia_document_set_selection (doc, NULL, 0);
  philia_document_get_selection (doc, &n_sel);
  g_assert_cmpuint (n_sel, ==, 0);

  philia_document_add_pair (doc, 0, 1, &params);
  philia_document_add_pair (doc, 2, 5, &params);
  philia_document_add_pair (doc, 3, 3, &params);
  g_assert_cmpuint (rec.last_parts & PHILIA_DOCUMENT_PART_PAIRS, !=, 0);
  /* Asked again (either way round): moves to the end with its new parameters. */
  philia_document_add_pair (doc, 1, 0, &other);
  g_assert_cmpuint (philia_document_get_n_pairs (doc), ==, 3);
  g_assert_cmpuint (philia_document_get_pair (doc, 0)->u, ==, 2);
  g_assert_cmpuint (philia_document_get_pair (doc, 1)->u, ==, 3);
  g_assert_cmpuint (philia_document_get_pair (doc, 2)->u, ==, 1);
  g_assert_cmpuint (philia_document_get_pair (doc, 2)->v, ==, 0);
  g_assert_cmpfloat (philia_document_get_pair (doc, 2)->params.katz_beta, ==, 0.01);
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 0);
}

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

static void
test_restore (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = _philia_document_new_restored (graph, "/d/toy.npz",
                                                                   "/d/nodes.csv");
  PhiliaDocumentLayout *a = _philia_document_layout_new ("a", NULL, 1, grid_positions (N, 0));
  PhiliaDocumentLayout *b = _philia_document_layout_new ("b", "kk", 2, grid_positions (N, 1));
  PhiliaDocumentRun *run = _philia_document_run_new (7, fake_result ("gcn"));
  PhiliaDocumentPair pair = { 1, 2, { 0 } };
  PhiliaDocumentView view = { (char *)"degree", (char *)"plain", NULL, 2, 3, 4 };
  g_autoptr (GBytes) bytes = g_bytes_new_static ("npz", 3);
  const char *name = NULL;
  guint n_sel;

  _philia_document_restore_layout (doc, a, FALSE);
  _philia_document_restore_layout (doc, b, TRUE);
  _philia_document_restore_run (doc, run);
  _philia_document_restore_pair (doc, &pair);
  _philia_document_restore_state (doc, (guint[]) { 5 }, 1, &view, PHILIA_CONVENTION_DIRECTED,
                                  "notes", "cora.npz · largest component");
  _philia_document_set_embedded_dataset (doc, bytes, "toy.npz");
  philia_document_layout_unref (a);
  philia_document_layout_unref (b);
  philia_document_run_unref (run);

  /* Restored, not done: no history, clean. */
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 0);
  g_assert_false (philia_document_get_dirty (doc));
  g_assert_true (philia_document_has_work (doc));
  g_assert_cmpstr (philia_document_get_layout (doc, 0)->algorithm, ==, "manual");
  g_assert_cmpstr (philia_document_get_current_layout (doc)->name, ==, "b");
  g_assert_cmpstr (philia_document_get_view (doc)->color_by, ==, "degree");
  g_assert_cmpstr (philia_document_get_view (doc)->overlay, ==, "");
  g_assert_cmpfloat (philia_document_get_view (doc)->center_y, ==, 4);
  g_assert_cmpstr (philia_document_get_notes (doc), ==, "notes");
  g_assert_cmpstr (philia_document_get_origin (doc), ==, "cora.npz · largest component");
  g_assert_cmpstr (philia_document_get_node_table_path (doc), ==, "/d/nodes.csv");
  g_assert_cmpuint (philia_document_get_conventions (doc), ==, PHILIA_CONVENTION_DIRECTED);
  g_assert_cmpuint (*philia_document_get_selection (doc, &n_sel), ==, 5);
  g_assert_true (_philia_document_get_embedded_dataset (doc, &name) == bytes);
  g_assert_cmpstr (name, ==, "toy.npz");
  /* The next run id follows the restored ones; it never goes down. */
  g_assert_cmpuint (_philia_document_get_next_run_id (doc), ==, 8);
  _philia_document_set_next_ids (doc, 12, 3);
  _philia_document_set_next_ids (doc, 2, 1);
  g_assert_cmpuint (_philia_document_get_next_run_id (doc), ==, 12);
  g_assert_cmpuint (_philia_document_get_next_evaluation_id (doc), ==, 3);
  g_assert_cmpuint (philia_document_add_run (doc, fake_result ("gat")), ==, 12);

  /* Undo works on a restored document from its restored state. */
  g_assert_true (philia_document_move_nodes (doc, (guint[]) { 0 }, (double[]) { 9, 9 }, 1));
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpfloat (philia_document_get_current_layout (doc)->positions[0], ==, 1);
  _philia_document_set_embedded_dataset (doc, NULL, NULL);
  g_assert_null (_philia_document_get_embedded_dataset (doc, &name));
}

int
main (int    argc,
      char **argv)
{
  static const struct
  {
    const char *path;
    GTestFunc   func;
  } tests[] = {
    { "/Philia/Document/new", test_new },
    { "/Philia/Document/view-helpers", test_view_helpers },
    { "/Philia/Document/layouts", test_layouts },
    { "/Philia/Document/initial-layout", test_initial_layout },
    { "/Philia/Document/move", test_move },
    { "/Philia/Document/view", test_view },
    { "/Philia/Document/conventions", test_conventions },
    { "/Philia/Document/splits", test_splits },
    { "/Philia/Document/runs", test_runs },
    { "/Philia/Document/notes", test_notes },
    { "/Philia/Document/dirty", test_dirty },
    { "/Philia/Document/save-revision", test_save_revision },
    { "/Philia/Document/redo-branch", test_redo_branch },
    { "/Philia/Document/history-cap", test_history_cap },
    { "/Philia/Document/history-budget", test_history_budget },
    { "/Philia/Document/has-work", test_has_work },
    { "/Philia/Document/selection-and-pairs", test_selection_and_pairs },
    { "/Philia/Document/evaluation-summary", test_evaluation_summary },
    { "/Philia/Document/ensure-evaluation", test_ensure_evaluation },
    { "/Philia/Document/filter", test_filter },
    { "/Philia/Document/filter-unlabeled", test_filter_unlabeled },
    { "/Philia/Document/restore", test_restore },
  };

  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_func (tests[i].path, tests[i].func);
  return g_test_run ();
}
