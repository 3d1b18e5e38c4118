/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "philia-core.h"
#include "philia-document-private.h"
#include "philia-npz-private.h"
#include "philia-zip-private.h"

/*
 * The document's overlay list (HACKING.md §16), driven without a window:
 * each change is one named step that undoes and redoes exactly; the view's
 * three names follow the list; projects keep the list, and a project of the
 * older format (the three names only) opens showing the same.
 *
 * The graph: a path 0–1–2–3, classes 0 0 1 1.
 */

static PhiliaGraph *
make_graph (void)
{
  static const gint64 rows[] = { 0, 1, 1, 2, 2, 3 };
  static const gint64 labels[] = { 0, 0, 1, 1 };
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (4);
  g_autoptr(GError) error = NULL;
  PhiliaGraph *graph;

  philia_graph_builder_take_edges (builder, g_memdup2 (rows, sizeof rows), 3);
  philia_graph_builder_take_labels (builder, g_memdup2 (labels, sizeof labels));
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  return graph;
}

/* "kind/source/visible …", bottom to top. */
static char *
describe (PhiliaDocument *doc)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < philia_document_get_n_overlays (doc); i++)
    {
      const PhiliaDocumentOverlay *o = philia_document_get_overlay (doc, i);

      g_string_append_printf (s, "%s%s/%s/%d", i > 0 ? " " : "",
                              philia_overlay_kind_to_string (o->kind), o->source, o->visible);
    }
  return g_string_free (s, FALSE);
}

static char *
describe_view (PhiliaDocument *doc)
{
  const PhiliaDocumentView *v = philia_document_get_view (doc);

  return g_strdup_printf ("%s|%s|%s", v->color_by, v->edge_style, v->overlay);
}

static void
on_changed (PhiliaDocument *doc,
            guint           parts,
            guint          *last)
{
  *last = parts;
}

/* The current step is @label and goes from (@list0, @view0) to (@list1,
 * @view1): undo and redo each give back exactly one side. */
static void
check_step (PhiliaDocument *doc,
            guint          *parts,
            const char     *label,
            const char     *list0,
            const char     *view0,
            const char     *list1,
            const char     *view1)
{
  g_autofree char *l = NULL, *v = NULL;

  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, label);
  l = describe (doc), v = describe_view (doc);
  g_assert_cmpstr (l, ==, list1);
  g_assert_cmpstr (v, ==, view1);
  *parts = 0;
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpuint (*parts & (PHILIA_DOCUMENT_PART_VIEW | PHILIA_DOCUMENT_PART_OVERLAYS), ==,
                    PHILIA_DOCUMENT_PART_VIEW | PHILIA_DOCUMENT_PART_OVERLAYS);
  g_free (l), g_free (v);
  l = describe (doc), v = describe_view (doc);
  g_assert_cmpstr (l, ==, list0);
  g_assert_cmpstr (v, ==, view0);
  g_assert_cmpstr (philia_document_get_redo_label (doc), ==, label);
  g_assert_true (philia_document_redo (doc));
  g_free (l), g_free (v);
  l = describe (doc), v = describe_view (doc);
  g_assert_cmpstr (l, ==, list1);
  g_assert_cmpstr (v, ==, view1);
}

static void
test_steps (void)
{
  g_autoptr(PhiliaGraph) graph = make_graph ();
  g_autoptr(PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  guint parts = 0;

  g_signal_connect (doc, "changed", G_CALLBACK (on_changed), &parts);
  /* A new document shows the defaults with an empty list. */
  g_assert_cmpuint (philia_document_get_n_overlays (doc), ==, 0);
  g_assert_null (philia_document_get_top_overlay (doc, PHILIA_OVERLAY_NODE_COLOR));

  g_assert_true (philia_document_add_overlay (doc, PHILIA_OVERLAY_NODE_COLOR,
                                              "run:3:prediction"));
  check_step (doc, &parts, "Colour by Prediction (Run 3)", "", "class|class|",
              "node-color/run:3:prediction/1", "run:3:prediction|class|");
  /* On top already: no step. */
  g_assert_false (philia_document_add_overlay (doc, PHILIA_OVERLAY_NODE_COLOR,
                                               "run:3:prediction"));
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 1);

  g_assert_true (philia_document_add_overlay (doc, PHILIA_OVERLAY_NODE_COLOR, "class"));
  check_step (doc, &parts, "Colour by Class", "node-color/run:3:prediction/1",
              "run:3:prediction|class|",
              "node-color/run:3:prediction/1 node-color/class/1", "class|class|");

  g_assert_true (philia_document_add_overlay (doc, PHILIA_OVERLAY_RUN_ERRORS, "run:3"));
  check_step (doc, &parts, "Show Errors (Run 3)",
              "node-color/run:3:prediction/1 node-color/class/1", "class|class|",
              "node-color/run:3:prediction/1 node-color/class/1 run-errors/run:3/1",
              "class|class|");

  /* Hiding the top colouring shows the one under it. */
  g_assert_true (philia_document_set_overlay_visible (doc, 1, FALSE));
  check_step (doc, &parts, "Hide Colour by Class",
              "node-color/run:3:prediction/1 node-color/class/1 run-errors/run:3/1",
              "class|class|",
              "node-color/run:3:prediction/1 node-color/class/0 run-errors/run:3/1",
              "run:3:prediction|class|");
  g_assert_false (philia_document_set_overlay_visible (doc, 1, FALSE));
  g_assert_false (philia_document_set_overlay_visible (doc, 7, TRUE));
  g_assert_cmpstr (philia_document_get_top_overlay (doc, PHILIA_OVERLAY_RUN_ERRORS)->source, ==,
                   "run:3");

  /* A hidden one added again comes up, visible, not doubled. */
  g_assert_true (philia_document_add_overlay (doc, PHILIA_OVERLAY_NODE_COLOR, "class"));
  check_step (doc, &parts, "Colour by Class",
              "node-color/run:3:prediction/1 node-color/class/0 run-errors/run:3/1",
              "run:3:prediction|class|",
              "node-color/run:3:prediction/1 run-errors/run:3/1 node-color/class/1",
              "class|class|");

  g_assert_true (philia_document_remove_overlay (doc, 0));
  check_step (doc, &parts, "Remove Colour by Prediction (Run 3)",
              "node-color/run:3:prediction/1 run-errors/run:3/1 node-color/class/1",
              "class|class|", "run-errors/run:3/1 node-color/class/1", "class|class|");
  g_assert_false (philia_document_remove_overlay (doc, 2));

  g_assert_true (philia_document_add_overlay (doc, PHILIA_OVERLAY_EDGE_VALUES,
                                              "run:2:attention:1"));
  check_step (doc, &parts, "Show Attention (Run 2, Layer 1)",
              "run-errors/run:3/1 node-color/class/1", "class|class|",
              "run-errors/run:3/1 node-color/class/1 edge-values/run:2:attention:1/1",
              "class|class|run:2:attention:1");
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 7);
  /* Every step undone: the empty list, the defaults. */
  while (philia_document_undo (doc))
    ;
  {
    g_autofree char *l = describe (doc), *v = describe_view (doc);

    g_assert_cmpstr (l, ==, "");
    g_assert_cmpstr (v, ==, "class|class|");
  }
}

/* The older API's three names are changes of the list. */
static void
test_set_view (void)
{
  g_autoptr(PhiliaGraph) graph = make_graph ();
  g_autoptr(PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  PhiliaDocumentView v = { 0 };
  guint parts = 0;

  g_signal_connect (doc, "changed", G_CALLBACK (on_changed), &parts);
  philia_document_view_copy (&v, philia_document_get_view (doc));
  g_free (v.color_by);
  v.color_by = g_strdup ("degree");
  philia_document_set_view (doc, &v);
  check_step (doc, &parts, "Colour by Degree", "", "class|class|", "node-color/degree/1",
              "degree|class|");

  /* An overlay with the edge style it needs is one step named after it. */
  g_free (v.edge_style), g_free (v.overlay);
  v.edge_style = g_strdup ("attention");
  v.overlay = g_strdup ("run:4:attention:0");
  philia_document_set_view (doc, &v);
  check_step (doc, &parts, "Show Attention (Run 4, Layer 0)", "node-color/degree/1",
              "degree|class|",
              "node-color/degree/1 edge-style/attention/1 edge-values/run:4:attention:0/1",
              "degree|attention|run:4:attention:0");

  /* Turned off: the edge values go, named so. */
  g_free (v.edge_style), g_free (v.overlay);
  v.edge_style = g_strdup ("class");
  v.overlay = g_strdup ("");
  philia_document_set_view (doc, &v);
  check_step (doc, &parts, "Remove Attention (Run 4, Layer 0)",
              "node-color/degree/1 edge-style/attention/1 edge-values/run:4:attention:0/1",
              "degree|attention|run:4:attention:0",
              "node-color/degree/1 edge-style/attention/1 edge-style/class/1",
              "degree|class|");
  philia_document_view_clear (&v);
}

/* Titles name what the canvas shows. */
static void
test_titles (void)
{
  static const struct { PhiliaOverlayKind kind; const char *source, *title; } cases[] = {
    { PHILIA_OVERLAY_NODE_COLOR, "local-homophily", "Colour by Local Homophily" },
    { PHILIA_OVERLAY_NODE_COLOR, "run:12:change", "Colour by Change by Adaptation (Run 12)" },
    { PHILIA_OVERLAY_NODE_COLOR, "run:2:value:gate", "Colour by gate (Run 2)" },
    { PHILIA_OVERLAY_NODE_COLOR, "run:2:same-label-attention:0",
      "Colour by Same-Label Attention (Run 2)" },
    { PHILIA_OVERLAY_NODE_COLOR, "pagerank", "Colour by pagerank" },
    { PHILIA_OVERLAY_EDGE_STYLE, "plain", "Edges by Plain" },
    { PHILIA_OVERLAY_EDGE_VALUES, "run:5:attention:2:1", "Attention (Run 5, Layer 2)" },
    { PHILIA_OVERLAY_RUN_ERRORS, "run:7", "Errors (Run 7)" },
  };
  PhiliaOverlayKind kind;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PhiliaDocumentOverlay) o = philia_document_overlay_new (cases[i].kind,
                                                                        cases[i].source, TRUE);
      g_autofree char *title = philia_document_overlay_dup_title (o);

      g_assert_cmpstr (title, ==, cases[i].title);
    }
  for (guint k = 0; k < PHILIA_OVERLAY_N_KINDS; k++)
    {
      g_assert_true (philia_overlay_kind_from_string (philia_overlay_kind_to_string (k), &kind));
      g_assert_cmpint (kind, ==, k);
    }
  g_assert_false (philia_overlay_kind_from_string ("node-colour", &kind));
  g_assert_false (philia_overlay_kind_from_string (NULL, &kind));
}

/* {{{ Projects */

typedef struct
{
  char *dir;
  char *dataset;
  char *project;
} Files;

static void
files_init (Files *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = make_graph ();

  f->dir = g_dir_make_tmp ("philia-overlays-XXXXXX", &error);
  g_assert_no_error (error);
  f->dataset = g_build_filename (f->dir, "path.npz", NULL);
  f->project = g_build_filename (f->dir, "p.philia", NULL);
  g_assert_true (philia_graph_write_npz (graph, f->dataset, &error));
  g_assert_no_error (error);
}

static void
files_clear (Files *f)
{
  g_unlink (f->project);
  g_unlink (f->dataset);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->dataset);
  g_free (f->project);
}

static PhiliaDocument *
new_document (Files *f)
{
  g_autoptr(GFile) file = g_file_new_for_path (f->dataset);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return philia_document_new (graph, f->dataset, NULL);
}

static PhiliaDocument *
open_project (const char *path,
              GError    **error)
{
  return philia_document_open (path, NULL, PHILIA_PROJECT_OPEN_DEFAULT, NULL, error);
}

/* Rewrites @path with its manifest passed through @edit (CRCs correct). */
static void
rewrite_manifest (const char *path,
                  void (*edit) (JsonObject *manifest, gpointer data),
                  gpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PhiliaNpz) npz = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(PhiliaZipWriter) zip = _philia_zip_writer_new (out, "test");
  g_autoptr(GBytes) all = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  npz = philia_npz_new_from_bytes (bytes, "test", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < _philia_npz_get_n_members (npz); i++)
    {
      const char *name = _philia_npz_get_member_name (npz, i);
      g_autoptr(GBytes) member = _philia_npz_read_member (npz, name, G_MAXUINT64, NULL, &error);
      g_autofree char *text = NULL;
      gsize size;
      const guint8 *p;

      g_assert_no_error (error);
      p = g_bytes_get_data (member, &size);
      if (strcmp (name, "philia-project.json") == 0)
        {
          g_autofree char *json = g_strndup ((const char *)p, size);
          g_autoptr(JsonNode) node = json_from_string (json, &error);

          g_assert_no_error (error);
          edit (json_node_get_object (node), data);
          text = json_to_string (node, TRUE);
          p = (const guint8 *)text, size = strlen (text);
        }
      g_assert_true (_philia_zip_writer_add (zip, name, NULL, 0, p, size, 6, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (_philia_zip_writer_finish (zip, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  all = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (all, NULL),
                                      (gssize)g_bytes_get_size (all), NULL));
}

static void
drop_overlays (JsonObject *manifest,
               gpointer    data)
{
  JsonObject *view = json_object_get_object_member (manifest, "view");

  g_assert_true (json_object_has_member (view, "overlays"));
  json_object_remove_member (view, "overlays");
}

static void
set_overlay_kind (JsonObject *manifest,
                  gpointer    data)
{
  JsonObject *view = json_object_get_object_member (manifest, "view");
  JsonArray *list = json_object_get_array_member (view, "overlays");

  json_object_set_string_member (json_array_get_object_element (list, 0), "kind", data);
}

static void
test_project (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaDocument) doc = NULL;
  g_autoptr(PhiliaDocument) back = NULL;
  g_autoptr(PhiliaDocument) old = NULL;
  g_autofree char *list = NULL, *view = NULL, *list2 = NULL, *view2 = NULL;
  Files f;

  files_init (&f);
  doc = new_document (&f);
  philia_document_add_overlay (doc, PHILIA_OVERLAY_EDGE_STYLE, "plain");
  philia_document_add_overlay (doc, PHILIA_OVERLAY_NODE_COLOR, "degree");
  philia_document_add_overlay (doc, PHILIA_OVERLAY_NODE_COLOR, "local-homophily");
  philia_document_add_overlay (doc, PHILIA_OVERLAY_EDGE_VALUES, "run:1:attention:0");
  philia_document_add_overlay (doc, PHILIA_OVERLAY_RUN_ERRORS, "run:1");
  philia_document_set_overlay_visible (doc, 2, FALSE);
  list = describe (doc);
  view = describe_view (doc);
  g_assert_cmpstr (view, ==, "degree|plain|run:1:attention:0");
  g_assert_true (philia_document_save (doc, f.project, NULL, &error));
  g_assert_no_error (error);

  /* The list comes back whole, hidden overlay and order included. */
  back = open_project (f.project, &error);
  g_assert_no_error (error);
  list2 = describe (back), view2 = describe_view (back);
  g_assert_cmpstr (list2, ==, list);
  g_assert_cmpstr (view2, ==, view);
  g_assert_false (philia_document_can_undo (back));

  /* The older format: the three names only. The picture is the same, and
   * each name that is not the default is an overlay of the list. */
  rewrite_manifest (f.project, drop_overlays, NULL);
  old = open_project (f.project, &error);
  g_assert_no_error (error);
  g_free (list2), g_free (view2);
  list2 = describe (old), view2 = describe_view (old);
  g_assert_cmpstr (view2, ==, view);
  g_assert_cmpstr (list2, ==, "edge-style/plain/1 edge-values/run:1:attention:0/1 "
                   "node-color/degree/1");
  /* …and it can be changed and undone like any list. */
  g_assert_true (philia_document_add_overlay (old, PHILIA_OVERLAY_NODE_COLOR, "class"));
  g_assert_true (philia_document_undo (old));
  g_free (view2);
  view2 = describe_view (old);
  g_assert_cmpstr (view2, ==, view);

  /* An unknown kind is refused with a message naming the file. */
  g_assert_true (philia_document_save (doc, f.project, NULL, &error));
  g_assert_no_error (error);
  rewrite_manifest (f.project, set_overlay_kind, (gpointer)"no-such-kind");
  g_clear_object (&old);
  g_assert_null (open_project (f.project, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "p.philia: overlay 0 of the view is of an unknown kind "
                   "“no-such-kind” or names nothing.");
  files_clear (&f);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/document-overlays/steps", test_steps);
  g_test_add_func ("/document-overlays/set-view", test_set_view);
  g_test_add_func ("/document-overlays/titles", test_titles);
  g_test_add_func ("/document-overlays/project", test_project);
  return g_test_run ();
}
