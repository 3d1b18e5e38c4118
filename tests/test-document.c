/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-document-private.h"

#include "document-test-util.h"

/*
 * The document model (HACKING.md §16): every undoable step is done, undone
 * and redone against states recorded by hand, on the toy graph of
 * document-test-util.h. Evaluations and filters: test-document-derived.c.
 */

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
  check_step (doc, &rec, &s0, &s1, "Colour by Degree",
              PHILIA_DOCUMENT_PART_VIEW | PHILIA_DOCUMENT_PART_OVERLAYS);

  g_free (v.edge_style);
  v.edge_style = g_strdup ("plain");
  philia_document_set_view (doc, &v);
  state_take (&s2, doc);
  check_step (doc, &rec, &s1, &s2, "Edges by Plain",
              PHILIA_DOCUMENT_PART_VIEW | PHILIA_DOCUMENT_PART_OVERLAYS);

  g_free (v.color_by);
  v.color_by = g_strdup ("run:3:gate");
  g_free (v.edge_style);
  v.edge_style = g_strdup ("attention");
  philia_document_set_view (doc, &v);
  state_take (&s3, doc);
  check_step (doc, &rec, &s2, &s3, "View",
              PHILIA_DOCUMENT_PART_VIEW | PHILIA_DOCUMENT_PART_OVERLAYS);

  g_free (v.overlay);
  v.overlay = g_strdup ("run:3:attention:0");
  philia_document_set_view (doc, &v);
  state_take (&s4, doc);
  check_step (doc, &rec, &s3, &s4, "Show Attention (Run 3, Layer 0)",
              PHILIA_DOCUMENT_PART_VIEW | PHILIA_DOCUMENT_PART_OVERLAYS);

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
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Show Attention (Run 3, Layer 0)");
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
    { "/Philia/Document/restore", test_restore },
  };

  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_func (tests[i].path, tests[i].func);
  return g_test_run ();
}
