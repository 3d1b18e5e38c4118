/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cli-test-util.h"
#include "philia-core.h"

/*
 * Projects on the command line, driven as a user would (issue 14): project
 * new, a project in place of a dataset, layout/train/linkpred --save, info
 * and figure from a project, and the refusals with their ways out. Numbers
 * are checked against what the same command prints for the dataset, or
 * against the core computing them in this process.
 */

/* A scratch folder, removed with everything in it. */
static char *
scratch_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("philia-cli-project-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (from, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (to, contents, len, NULL));
}

static char *
test_data (const char *dir,
           const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", dir, name, NULL);
}

static void
assert_ok (Run *run)
{
  if (run->status != 0)
    g_test_message ("stderr: %s", run->err);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
}

/* The one line of JSON a command printed, as an object. */
static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static JsonObject *
project_of (JsonObject *info)
{
  g_assert_true (json_object_has_member (info, "project"));
  return json_object_get_object_member (info, "project");
}

/* Runs `info PATH --json` (with @extra, nullable) and returns its "project". */
static JsonObject *
info_project (JsonParser *parser,
              const char *path,
              const char *extra)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, "info", path, "--json", extra, NULL);
  assert_ok (&run);
  return project_of (parse_object (parser, run.out));
}

/* Checks that every member of the dataset's `info --json` but "file" is in the
 * project's with the same value: the project works on the dataset's graph. */
static void
assert_same_facts (const char *dataset_json,
                   const char *project_json)
{
  g_autoptr(JsonParser) p1 = json_parser_new ();
  g_autoptr(JsonParser) p2 = json_parser_new ();
  JsonObject *a = parse_object (p1, dataset_json);
  JsonObject *b = parse_object (p2, project_json);
  g_autoptr(GList) members = json_object_get_members (a);

  g_assert_cmpuint (g_list_length (members), >, 10);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *x = NULL;
      g_autofree char *y = NULL;

      if (g_str_equal (l->data, "file"))
        continue;
      g_assert_true (json_object_has_member (b, l->data));
      x = json_to_string (json_object_get_member (a, l->data), FALSE);
      y = json_to_string (json_object_get_member (b, l->data), FALSE);
      if (!g_str_equal (x, y))
        g_error ("%s: dataset %s, project %s", (char *)l->data, x, y);
    }
}

static void
make_project (const char *out,
              const char *dataset,
              const char *extra)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, "project", "new", out, dataset, extra, NULL);
  assert_ok (&run);
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
}

/* ------------------------------------------------------------------ new */

static void
test_new_small (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *tiny = test_data ("npz", "tiny-graph.npz");
  g_autofree char *out = g_build_filename (dir, "tiny.philia", NULL);
  g_autofree char *not_project = g_build_filename (dir, "tiny.zip", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) dataset = { 0 };
  g_auto(Run) project = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) forced = { 0 };
  g_auto(Run) wrong_ext = { 0 };
  g_auto(Run) from_project = { 0 };
  g_auto(Run) text = { 0 };
  JsonObject *p, *d;

  run_cli (&project, "project", "new", out, tiny, "--json", NULL);
  assert_ok (&project);
  p = parse_object (parser, project.out);
  g_assert_cmpint (json_object_get_int_member (p, "nodes"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (p, "edges"), ==, 4);
  g_assert_false (json_object_get_boolean_member (p, "embedded"));
  g_assert_true (g_path_is_absolute (json_object_get_string_member (p, "dataset")));

  /* The project's info is the dataset's (5 nodes, an unlabeled one, two
   * components), plus what the project holds: nothing yet. */
  run_cli (&dataset, "info", tiny, "--json", NULL);
  assert_ok (&dataset);
  run_cli (&text, "info", out, "--json", NULL);
  assert_ok (&text);
  assert_same_facts (dataset.out, text.out);
  p = project_of (parse_object (parser, text.out));
  g_assert_cmpint (json_object_get_int_member (p, "format_version"), ==,
                   PHILIA_PROJECT_FORMAT_VERSION);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (p, "layouts")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (p, "runs")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (p, "evaluations")), ==,
                    0);
  d = json_object_get_object_member (p, "dataset");
  g_assert_nonnull (d);

  /* Every other command reads the project as the dataset. */
  {
    g_auto(Run) stats_dataset = { 0 };
    g_auto(Run) stats_project = { 0 };

    run_cli (&stats_dataset, "stats", tiny, "--json", NULL);
    assert_ok (&stats_dataset);
    run_cli (&stats_project, "stats", out, "--json", NULL);
    assert_ok (&stats_project);
    g_assert_cmpstr (stats_dataset.out, ==, stats_project.out);
  }

  /* An existing project is never overwritten by accident. */
  run_cli (&again, "project", "new", out, tiny, NULL);
  assert_one_line_error (&again, 1, "--force");
  run_cli (&forced, "project", "new", out, tiny, "--force", NULL);
  assert_ok (&forced);
  run_cli (&wrong_ext, "project", "new", not_project, tiny, NULL);
  assert_one_line_error (&wrong_ext, 2, ".philia");
  g_assert_false (g_file_test (not_project, G_FILE_TEST_EXISTS));
  run_cli (&from_project, "project", "new", out, out, "--force", NULL);
  assert_one_line_error (&from_project, 2, "not a project");

  remove_dir (dir);
}

/* An edge list with a node table: the project remembers both. */
static void
test_new_node_table (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *edges = test_data ("import", "people.tsv");
  g_autofree char *nodes = test_data ("import", "people.nodes.csv");
  g_autofree char *out = g_build_filename (dir, "people.philia", NULL);
  g_auto(Run) made = { 0 };
  g_auto(Run) dataset = { 0 };
  g_auto(Run) project = { 0 };
  g_auto(Run) text = { 0 };
  g_auto(Run) nodes_again = { 0 };

  run_cli (&made, "project", "new", out, edges, "--nodes", nodes, NULL);
  assert_ok (&made);
  run_cli (&dataset, "info", edges, "--nodes", nodes, "--json", NULL);
  assert_ok (&dataset);
  run_cli (&project, "info", out, "--json", NULL);
  assert_ok (&project);
  assert_same_facts (dataset.out, project.out);
  g_assert_nonnull (strstr (project.out, "people.nodes.csv"));

  run_cli (&text, "info", out, NULL);
  assert_ok (&text);
  g_assert_nonnull (strstr (text.out, "\nProject\n"));
  g_assert_nonnull (strstr (text.out, "node table"));

  /* A project names its own node table. */
  run_cli (&nodes_again, "info", out, "--nodes", nodes, NULL);
  assert_one_line_error (&nodes_again, 1, "--nodes");
  remove_dir (dir);
}

/* --------------------------------------------------------------- layout */

/* Pixels of a PNG, and its size. */
static GBytes *
png_pixels (const char *path,
            int        *width,
            int        *height)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);
  GBytes *bytes;

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (surface);
  *width = cairo_image_surface_get_width (surface);
  *height = cairo_image_surface_get_height (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize)cairo_image_surface_get_stride (surface) * *height);
  cairo_surface_destroy (surface);
  return bytes;
}

static gboolean
same_pixels (const char *a,
             const char *b)
{
  int wa, ha, wb, hb;
  g_autoptr(GBytes) pa = png_pixels (a, &wa, &ha);
  g_autoptr(GBytes) pb = png_pixels (b, &wb, &hb);

  g_assert_cmpint (wa, ==, wb);
  g_assert_cmpint (ha, ==, hb);
  return g_bytes_equal (pa, pb);
}

static void
figure (const char *file,
        const char *out,
        ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (args, (char *)g_getenv ("PHILIA_CLI"));
  g_ptr_array_add (args, "figure");
  g_ptr_array_add (args, (char *)file);
  g_ptr_array_add (args, "--kind");
  g_ptr_array_add (args, "graph");
  g_ptr_array_add (args, "--out");
  g_ptr_array_add (args, (char *)out);
  g_ptr_array_add (args, "--width");
  g_ptr_array_add (args, "200");
  g_ptr_array_add (args, "--height");
  g_ptr_array_add (args, "160");
  g_ptr_array_add (args, "--dpi");
  g_ptr_array_add (args, "72");
  va_start (ap, out);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *)a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  proc = g_subprocess_newv ((const char * const *)args->pdata, G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
}

/* Two layouts saved get unique names; the figure of a project draws its
 * current layout (pixel for pixel the figure of the dataset with the same
 * algorithm and seed), --layout NAME another saved one. */
static void
test_layout_save_and_figure (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *karate = test_data ("import", "karate.graphml");
  g_autofree char *out = g_build_filename (dir, "karate.philia", NULL);
  g_autofree char *pos = g_build_filename (dir, "pos.csv", NULL);
  g_autofree char *from_project = g_build_filename (dir, "project.png", NULL);
  g_autofree char *from_first = g_build_filename (dir, "first.png", NULL);
  g_autofree char *seed1 = g_build_filename (dir, "seed1.png", NULL);
  g_autofree char *seed2 = g_build_filename (dir, "seed2.png", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.png", NULL);
  g_autofree char *plain_dataset = g_build_filename (dir, "plain-dataset.png", NULL);
  g_autofree char *csv = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) first = { 0 };
  g_auto(Run) second = { 0 };
  g_auto(Run) named = { 0 };
  g_auto(Run) bad_layout = { 0 };
  g_auto(Run) text = { 0 };
  JsonObject *o, *p;
  JsonArray *layouts;
  int w, h;

  make_project (out, karate, NULL);
  run_cli (&first, "layout", out, "-a", "fr", "--seed", "1", "--save", "--json", NULL);
  assert_ok (&first);
  o = parse_object (parser, first.out);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "fr");
  g_assert_true (json_object_get_null_member (o, "path"));
  run_cli (&second, "layout", out, "-a", "fr", "--seed", "2", "--save", "--out", pos, NULL);
  assert_ok (&second);
  g_assert_nonnull (strstr (second.out, "“fr 2”"));
  g_assert_true (g_file_get_contents (pos, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "id,x,y\n"));

  p = info_project (parser, out, NULL);
  layouts = json_object_get_array_member (p, "layouts");
  g_assert_cmpuint (json_array_get_length (layouts), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (layouts, 0),
                                                  "name"), ==, "fr");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (layouts, 1),
                                                  "name"), ==, "fr 2");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (layouts, 1),
                                                  "algorithm"), ==, "fr");

  /* The current layout is the last saved: seed 2. */
  figure (out, from_project, NULL);
  figure (karate, seed1, "--layout", "fr", "--seed", "1", NULL);
  figure (karate, seed2, "--layout", "fr", "--seed", "2", NULL);
  g_bytes_unref (png_pixels (from_project, &w, &h));
  g_assert_cmpint (w, ==, 200);
  g_assert_cmpint (h, ==, 160);
  g_assert_true (same_pixels (from_project, seed2));
  g_assert_false (same_pixels (from_project, seed1));
  /* --layout NAME picks a saved one. */
  figure (out, from_first, "--layout", "fr", NULL);
  g_assert_true (same_pixels (from_first, seed1));
  /* Options still win over the view. */
  figure (out, plain, "--edges", "plain", "--layout", "fr", NULL);
  figure (karate, plain_dataset, "--edges", "plain", "--layout", "fr", "--seed", "1", NULL);
  g_assert_true (same_pixels (plain, plain_dataset));
  g_assert_false (same_pixels (plain, seed1));

  /* --name replaces the layout of that name. */
  run_cli (&named, "layout", out, "-a", "circle", "--save", "--name", "fr", NULL);
  assert_ok (&named);
  p = info_project (parser, out, NULL);
  layouts = json_object_get_array_member (p, "layouts");
  g_assert_cmpuint (json_array_get_length (layouts), ==, 2);
  run_cli (&bad_layout, "figure", out, "--kind", "graph", "--out", from_first, "--layout",
           "no-such-layout", NULL);
  assert_one_line_error (&bad_layout, 2, "no-such-layout");

  run_cli (&text, "info", out, NULL);
  assert_ok (&text);
  g_assert_nonnull (strstr (text.out, "layouts            2\n"));
  g_assert_nonnull (strstr (text.out, "(current)"));
  remove_dir (dir);
}

/* A single node, and self-loops, duplicate rows and an isolated node: the
 * project sees the dataset's graph (same facts), lays it out and draws it. */
static void
test_small_graphs (void)
{
  static const struct { const char *name, *text; } graphs[] = {
    { "one.gml", "graph [\n node [ id 0 ]\n]\n" },
    { "loops.txt", "a a\na b\na b\nb a\nc c\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (graphs); i++)
    {
      g_autofree char *dir = scratch_dir ();
      g_autofree char *path = g_build_filename (dir, graphs[i].name, NULL);
      g_autofree char *out = g_build_filename (dir, "small.philia", NULL);
      g_autofree char *png = g_build_filename (dir, "small.png", NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_auto(Run) dataset = { 0 };
      g_auto(Run) layout = { 0 };
      g_auto(Run) info = { 0 };
      int w, h;

      g_assert_true (g_file_set_contents (path, graphs[i].text, -1, NULL));
      make_project (out, path, NULL);
      run_cli (&dataset, "info", path, "--json", NULL);
      assert_ok (&dataset);
      run_cli (&layout, "layout", out, "--save", "--json", NULL);
      assert_ok (&layout);
      run_cli (&info, "info", out, "--json", NULL);
      assert_ok (&info);
      assert_same_facts (dataset.out, info.out);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
        project_of (parse_object (parser, info.out)), "layouts")), ==, 1);
      figure (out, png, NULL);
      g_bytes_unref (png_pixels (png, &w, &h));
      g_assert_cmpint (w, ==, 200);
      remove_dir (dir);
    }
}

/* ---------------------------------------------------------------- train */

static double
member_double (JsonObject *o,
               const char *key)
{
  g_assert_true (json_object_has_member (o, key));
  return json_object_get_double_member (o, key);
}

/* Train on Cora's project: the run's accuracy in info is what train printed
 * and what the core computes; several seeds make several runs. */
static void
test_train_save (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *dir = scratch_dir ();
  g_autofree char *out = g_build_filename (dir, "cora.philia", NULL);
  g_autofree char *png = g_build_filename (dir, "pred.png", NULL);
  g_autofree char *att_project = g_build_filename (dir, "att-project.png", NULL);
  g_autofree char *att_trained = g_build_filename (dir, "att-trained.png", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) parser2 = json_parser_new ();
  g_autoptr(GFile) file = g_file_new_for_path (cora);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaTrainResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) one = { 0 };
  g_auto(Run) many = { 0 };
  g_auto(Run) gat = { 0 };
  g_auto(Run) pred = { 0 };
  g_auto(Run) no_run = { 0 };
  g_auto(Run) text = { 0 };
  PhiliaTrainParams params;
  JsonObject *o, *p, *run0;
  JsonArray *runs, *ids;
  double printed;

  make_project (out, cora, NULL);
  run_cli (&one, "train", out, "--model", "mlp", "--epochs", "8", "--seed", "5", "--save",
           "--json", NULL);
  assert_ok (&one);
  o = parse_object (parser, one.out);
  g_assert_cmpint (json_object_get_int_member (o, "run_id"), ==, 1);
  printed = member_double (o, "test_accuracy");

  /* The core, in this process, on the dataset. */
  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  philia_train_params_init (&params);
  params.epochs = 8;
  params.seed = 5;
  r = philia_train (graph, "mlp", &params, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (printed, ==, r->test_accuracy);

  p = info_project (parser2, out, NULL);
  runs = json_object_get_array_member (p, "runs");
  g_assert_cmpuint (json_array_get_length (runs), ==, 1);
  run0 = json_array_get_object_element (runs, 0);
  g_assert_cmpint (json_object_get_int_member (run0, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (run0, "model"), ==, "mlp");
  g_assert_cmpfloat (member_double (run0, "test_accuracy"), ==, printed);

  /* Splits × seeds: every run is kept, ids never reused. */
  run_cli (&many, "train", out, "--model", "mlp", "--epochs", "3", "--seeds", "2", "--save",
           "--json", NULL);
  assert_ok (&many);
  o = parse_object (parser, many.out);
  ids = json_object_get_array_member (o, "run_ids");
  g_assert_cmpuint (json_array_get_length (ids), ==, 2);
  g_assert_cmpint (json_array_get_int_element (ids, 0), ==, 2);
  g_assert_cmpint (json_array_get_int_element (ids, 1), ==, 3);
  p = info_project (parser2, out, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (p, "runs")), ==, 3);

  /* Saved runs draw accuracy by homophily without training: the same
   * chart as training the same recipe again. */
  {
    g_autofree char *saved_png = g_build_filename (dir, "acc-saved.png", NULL);
    g_autofree char *trained_png = g_build_filename (dir, "acc-trained.png", NULL);
    g_auto(Run) a = { 0 };
    g_auto(Run) b = { 0 };

    run_cli (&a, "figure", out, "--kind", "accuracy-by-homophily", "--run", "1", "--out",
             saved_png, NULL);
    assert_ok (&a);
    run_cli (&b, "figure", cora, "--kind", "accuracy-by-homophily", "--models", "mlp",
             "--epochs", "8", "--seed", "5", "--out", trained_png, NULL);
    assert_ok (&b);
    g_assert_true (same_pixels (saved_png, trained_png));
  }

  /* A saved GAT run draws the attention figure the same as training it
   * again (same seed, same run), and colours the graph by its predictions. */
  run_cli (&gat, "train", out, "--model", "gat", "--epochs", "3", "--seed", "2", "--save", NULL);
  assert_ok (&gat);
  g_assert_nonnull (strstr (gat.out, "saved run 4"));
  {
    g_auto(Run) a = { 0 };
    g_auto(Run) b = { 0 };

    run_cli (&a, "figure", out, "--kind", "attention", "--run", "4", "--out", att_project,
             "--node", "0", NULL);
    assert_ok (&a);
    run_cli (&b, "figure", cora, "--kind", "attention", "--model", "gat", "--epochs", "3",
             "--seed", "2", "--out", att_trained, "--node", "0", NULL);
    assert_ok (&b);
    g_assert_true (same_pixels (att_project, att_trained));
  }
  run_cli (&pred, "figure", out, "--kind", "graph", "--layout", "circle", "--color-by",
           "correct", "--edges", "attention", "--run", "4", "--out", png, NULL);
  assert_ok (&pred);
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  /* The Train panel's attention colourings of nodes, named in the view or
   * asked for: the same figure, not the classes; a layer the run lacks is
   * refused when asked for. */
  {
    g_autofree char *asked = g_build_filename (dir, "share-asked.png", NULL);
    g_autofree char *viewed = g_build_filename (dir, "share-view.png", NULL);
    g_autofree char *classes = g_build_filename (dir, "share-classes.png", NULL);
    g_autofree char *copy = g_build_filename (dir, "share.philia", NULL);
    g_autoptr(PhiliaDocument) project = NULL;
    g_autoptr(GError) save_error = NULL;
    PhiliaDocumentView view = { 0 };
    g_auto(Run) no_layer = { 0 };

    figure (out, classes, "--layout", "circle", "--color-by", "class", NULL);
    figure (out, asked, "--layout", "circle", "--color-by", "run:4:same-label-attention:0",
            NULL);
    g_assert_false (same_pixels (asked, classes));
    project = philia_document_open (out, NULL, PHILIA_PROJECT_OPEN_DEFAULT, NULL, &save_error);
    g_assert_no_error (save_error);
    philia_document_view_copy (&view, philia_document_get_view (project));
    g_free (view.color_by);
    view.color_by = g_strdup ("run:4:same-label-attention:0");
    philia_document_set_view (project, &view);
    philia_document_view_clear (&view);
    g_assert_true (philia_document_save (project, copy, NULL, &save_error));
    g_assert_no_error (save_error);
    figure (copy, viewed, "--layout", "circle", NULL);
    g_assert_true (same_pixels (asked, viewed));
    run_cli (&no_layer, "figure", out, "--kind", "graph", "--color-by",
             "run:4:self-attention:7:relative", "--out", png, NULL);
    assert_one_line_error (&no_layer, 1, "layer 7");
  }
  run_cli (&no_run, "figure", out, "--kind", "graph", "--color-by", "prediction", "--run",
           "99", "--out", png, NULL);
  assert_one_line_error (&no_run, 1, "1, 2, 3 and 4");
  {
    g_autofree char *alone = g_build_filename (dir, "alone.png", NULL);
    g_autofree char *prediction = g_build_filename (dir, "prediction.png", NULL);
    g_autofree char *classes = g_build_filename (dir, "classes.png", NULL);
    g_auto(Run) missing = { 0 };

    /* --run alone colours by that run's predictions. */
    figure (out, alone, "--layout", "circle", "--run", "1", NULL);
    figure (out, prediction, "--layout", "circle", "--run", "1", "--color-by", "prediction",
            NULL);
    figure (out, classes, "--layout", "circle", NULL);
    g_assert_true (same_pixels (alone, prediction));
    g_assert_false (same_pixels (alone, classes));
    run_cli (&missing, "figure", out, "--kind", "graph", "--run", "7", "--out", png, NULL);
    assert_one_line_error (&missing, 1, "--run 7");
  }

  run_cli (&text, "info", out, NULL);
  assert_ok (&text);
  g_assert_nonnull (strstr (text.out, "runs               4\n"));
  g_assert_nonnull (strstr (text.out, "run 4"));
  remove_dir (dir);
}

/* train --random-split --save: the project takes the random splits its runs
 * name, so a later run on split 1 of the project is the saved run again. */
static void
test_train_random_split_save (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *dir = scratch_dir ();
  g_autofree char *out = g_build_filename (dir, "cora.philia", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) parser2 = json_parser_new ();
  g_autoptr(JsonParser) parser3 = json_parser_new ();
  g_autoptr(GFile) file = g_file_new_for_path (cora);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaGraph) split = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) saved = { 0 };
  g_auto(Run) info = { 0 };
  g_auto(Run) again = { 0 };
  JsonObject *o, *facts, *run1;
  JsonArray *sizes;

  make_project (out, cora, NULL);
  run_cli (&saved, "train", out, "--model", "mlp", "--epochs", "3", "--seed", "4",
           "--random-split", "0.6,0.2", "--num-splits", "2", "--splits", "all", "--save",
           "--json", NULL);
  assert_ok (&saved);
  o = parse_object (parser, saved.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "run_ids")), ==, 2);

  /* The same splits, drawn by the core in this process. */
  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  split = philia_graph_with_random_splits (graph, 0.6, 0.2, 2, 4, FALSE, &error);
  g_assert_no_error (error);
  run_cli (&info, "info", out, "--json", NULL);
  assert_ok (&info);
  facts = parse_object (parser2, info.out);
  g_assert_cmpint (json_object_get_int_member (facts, "splits"), ==, 2);
  sizes = json_object_get_array_member (facts, "split_sizes");
  for (guint k = 0; k < 2; k++)
    {
      JsonObject *size = json_array_get_object_element (sizes, k);
      gint64 train, val, test;

      philia_graph_get_split_sizes (split, k, &train, &val, &test);
      g_assert_cmpint (json_object_get_int_member (size, "train"), ==, train);
      g_assert_cmpint (json_object_get_int_member (size, "val"), ==, val);
      g_assert_cmpint (json_object_get_int_member (size, "test"), ==, test);
    }
  run1 = json_array_get_object_element (
    json_object_get_array_member (project_of (facts), "runs"), 1);
  g_assert_cmpint (json_object_get_int_member (run1, "split"), ==, 1);

  run_cli (&again, "train", out, "--model", "mlp", "--epochs", "3", "--seed", "4", "--split",
           "1", "--json", NULL);
  assert_ok (&again);
  g_assert_cmpfloat (member_double (parse_object (parser3, again.out), "test_accuracy"), ==,
                     member_double (run1, "test_accuracy"));
  remove_dir (dir);
}

/* A project whose view the workbench set (degree colouring, plain edges, a
 * layout): its figure is the dataset's figure with those options. */
static void
test_figure_follows_view (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *karate = test_data ("import", "karate.graphml");
  g_autofree char *out = g_build_filename (dir, "karate.philia", NULL);
  g_autofree char *from_project = g_build_filename (dir, "project.png", NULL);
  g_autofree char *from_dataset = g_build_filename (dir, "dataset.png", NULL);
  g_autofree char *class_colours = g_build_filename (dir, "class.png", NULL);
  g_autofree char *none = g_build_filename (dir, "none.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (karate);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  PhiliaDocumentView view = { .color_by = "degree", .edge_style = "plain", .overlay = "",
                              .zoom = 1 };
  double *xy;

  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  xy = philia_layout_compute (graph, "kk", 3, NULL, NULL, &error);
  g_assert_no_error (error);
  doc = philia_document_new (graph, karate, NULL);
  philia_document_add_layout (doc, "tuned", "kk", 3, xy);
  philia_document_set_view (doc, &view);
  philia_document_save (doc, out, NULL, &error);
  g_assert_no_error (error);

  figure (out, from_project, NULL);
  figure (karate, from_dataset, "--layout", "kk", "--seed", "3", "--color-by", "degree",
          "--edges", "plain", NULL);
  g_assert_true (same_pixels (from_project, from_dataset));
  figure (out, class_colours, "--color-by", "label", NULL);
  g_assert_false (same_pixels (from_project, class_colours));
  /* "none": one colour for every node, still a figure. */
  figure (out, none, "--color-by", "none", NULL);
  g_assert_false (same_pixels (none, class_colours));
  remove_dir (dir);
}

/* A project's "run errors" overlay: its figure rings the run's wrong
 * predictions (the canvas's flags, drawn by the same code), only while the
 * overlay is shown; --run picks the run, and a run that is not there is
 * refused by name. An overlay whose run was deleted draws nothing, as on
 * the canvas, with a warning. Karate has no splits: every labeled node is
 * scored. */
static void
test_figure_run_errors (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *karate = test_data ("import", "karate.graphml");
  g_autofree char *plain = g_build_filename (dir, "plain.philia", NULL);
  g_autofree char *ringed = g_build_filename (dir, "errors.philia", NULL);
  g_autofree char *hidden = g_build_filename (dir, "hidden.philia", NULL);
  g_autofree char *gone = g_build_filename (dir, "gone.philia", NULL);
  g_autofree char *plain_png = g_build_filename (dir, "plain.png", NULL);
  g_autofree char *ringed_png = g_build_filename (dir, "errors.png", NULL);
  g_autofree char *run_png = g_build_filename (dir, "errors-run.png", NULL);
  g_autofree char *other_png = g_build_filename (dir, "errors-other.png", NULL);
  g_autofree char *hidden_png = g_build_filename (dir, "hidden.png", NULL);
  g_autofree char *source = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (karate);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaDocument) doc = NULL;
  g_autoptr(GArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) no_run = { 0 };
  g_auto(Run) run_gone = { 0 };
  g_auto(Run) run_asked = { 0 };
  g_autofree char *gone_png = g_build_filename (dir, "gone.png", NULL);
  PhiliaTrainResult *r;
  const gint32 *y;
  guint n, id = 0, id2 = 0, expected = 0;
  double *xy;

  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  n = philia_graph_get_n_nodes (graph);
  y = philia_graph_get_labels (graph);
  xy = philia_layout_compute (graph, "kk", 3, NULL, NULL, &error);
  g_assert_no_error (error);
  doc = philia_document_new (graph, karate, NULL);
  philia_document_add_layout (doc, "tuned", "kk", 3, xy);
  /* Run 1 is wrong on the nodes v % 3 == 0; run 2 on none of them. */
  for (guint k = 0; k < 2; k++)
    {
      r = g_new0 (PhiliaTrainResult, 1);
      r->model = g_strdup ("gcn");
      r->n_nodes = n;
      r->n_classes = philia_graph_get_n_classes (graph);
      r->predictions = g_new (gint32, n);
      for (guint v = 0; v < n; v++)
        r->predictions[v] = k == 0 && v % 3 == 0 ? 1 - y[v] : y[v];
      if (k == 0)
        id = philia_document_add_run (doc, r);
      else
        id2 = philia_document_add_run (doc, r);
    }
  for (guint v = 0; v < n; v++)
    expected += y[v] >= 0 && v % 3 == 0;
  g_assert_cmpuint (expected, ==, 12);
  g_assert_true (philia_document_save (doc, plain, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (philia_document_dup_run_errors (doc, 0, &error));
  g_assert_no_error (error);

  source = g_strdup_printf ("run:%u", id);
  g_assert_true (philia_document_add_overlay (doc, PHILIA_OVERLAY_RUN_ERRORS, source));
  errors = philia_document_dup_run_errors (doc, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, expected);
  for (guint i = 0; i < errors->len; i++)
    g_assert_cmpuint (g_array_index (errors, guint, i) % 3, ==, 0);
  g_clear_pointer (&errors, g_array_unref);
  errors = philia_document_dup_run_errors (doc, id2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 0);
  g_assert_true (philia_document_save (doc, ringed, NULL, &error));
  g_assert_no_error (error);

  /* info lists the overlays, what they show and whether they are drawn. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(JsonParser) parser2 = json_parser_new ();
    JsonArray *overlays = json_object_get_array_member (info_project (parser, ringed, NULL),
                                                        "overlays");
    JsonObject *o = json_array_get_object_element (overlays, 0);
    g_auto(Run) text = { 0 };

    g_assert_cmpuint (json_array_get_length (overlays), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "run-errors");
    g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, "run:1");
    g_assert_cmpint (json_object_get_int_member (o, "run"), ==, 1);
    g_assert_true (json_object_get_boolean_member (o, "visible"));
    g_assert_true (json_object_get_boolean_member (o, "drawn"));
    overlays = json_object_get_array_member (info_project (parser2, plain, NULL), "overlays");
    g_assert_cmpuint (json_array_get_length (overlays), ==, 0);
    run_cli (&text, "info", ringed, NULL);
    assert_ok (&text);
    g_assert_nonnull (strstr (text.out, "  overlays           1\n    run-errors       run:1\n"));
  }

  figure (plain, plain_png, NULL);
  figure (ringed, ringed_png, NULL);
  g_assert_false (same_pixels (plain_png, ringed_png));
  /* --run names the run whose errors are ringed: the same run, the same
   * figure; a run without errors, nothing ringed (its predictions, asked
   * for with --run alone, colour the nodes as classes would: all right). */
  figure (ringed, run_png, "--run", "1", NULL);
  figure (ringed, other_png, "--run", "2", "--color-by", "class", NULL);
  g_assert_cmpuint (id, ==, 1);
  g_assert_cmpuint (id2, ==, 2);
  g_assert_false (same_pixels (run_png, other_png));
  g_assert_true (same_pixels (other_png, plain_png));
  {
    g_autofree char *class_png = g_build_filename (dir, "errors-class.png", NULL);

    figure (ringed, class_png, "--run", "1", "--color-by", "class", NULL);
    g_assert_true (same_pixels (class_png, ringed_png));
  }

  /* Hidden, the overlay rings nothing. */
  g_assert_true (philia_document_set_overlay_visible (doc, philia_document_get_n_overlays (doc) - 1,
                                                      FALSE));
  g_assert_true (philia_document_save (doc, hidden, NULL, &error));
  g_assert_no_error (error);
  figure (hidden, hidden_png, NULL);
  g_assert_true (same_pixels (hidden_png, plain_png));
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonArray *overlays = json_object_get_array_member (info_project (parser, hidden, NULL),
                                                        "overlays");
    JsonObject *o = json_array_get_object_element (overlays, 0);

    g_assert_false (json_object_get_boolean_member (o, "visible"));
    g_assert_false (json_object_get_boolean_member (o, "drawn"));
  }

  /* A run that is not there: asked for, or named by the overlay. */
  run_cli (&no_run, "figure", ringed, "--kind", "graph", "--run", "99", "--out", plain_png,
           NULL);
  assert_one_line_error (&no_run, 1, "--run 99");
  g_assert_true (philia_document_set_overlay_visible (doc, philia_document_get_n_overlays (doc) - 1,
                                                      TRUE));
  g_assert_true (philia_document_delete_run (doc, id));
  g_assert_true (philia_document_save (doc, gone, NULL, &error));
  g_assert_no_error (error);
  /* The overlay's run deleted: the canvas draws nothing for it and marks it
   * "run deleted"; the figure is the same picture (the classes, no rings),
   * with a warning naming the overlay and the run, and info says so. */
  run_cli (&run_gone, "figure", gone, "--kind", "graph", "--out", gone_png, "--width", "200",
           "--height", "160", "--dpi", "72", NULL);
  g_assert_cmpint (run_gone.status, ==, 0);
  g_assert_nonnull (strstr (run_gone.err, "warning: the overlay “Errors (Run 1)”"));
  g_assert_nonnull (strstr (run_gone.err, "shows run 1, which was deleted"));
  g_assert_true (same_pixels (gone_png, plain_png));
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonArray *overlays = json_object_get_array_member (info_project (parser, gone, NULL),
                                                        "overlays");
    JsonObject *o = json_array_get_object_element (overlays, 0);
    g_auto(Run) text = { 0 };

    g_assert_true (json_object_get_boolean_member (o, "visible"));
    g_assert_true (json_object_get_boolean_member (o, "stale"));
    g_assert_false (json_object_get_boolean_member (o, "drawn"));
    run_cli (&text, "info", gone, NULL);
    assert_ok (&text);
    g_assert_nonnull (strstr (text.out, "    run-errors       run:1 (run deleted)\n"));
  }
  /* A colouring that names the deleted run: classes, as on the canvas, not
   * the latest run (run 2 would colour every node "correct"), and a
   * warning. */
  {
    g_autofree char *recoloured = g_build_filename (dir, "recoloured.philia", NULL);
    g_autofree char *recoloured_png = g_build_filename (dir, "recoloured.png", NULL);
    g_autofree char *colour = g_strdup_printf ("run:%u:correct", id);
    PhiliaDocumentView view = *philia_document_get_view (doc);
    g_auto(Run) recolour = { 0 };

    view.color_by = colour;
    philia_document_set_view (doc, &view);
    g_assert_true (philia_document_save (doc, recoloured, NULL, &error));
    g_assert_no_error (error);
    run_cli (&recolour, "figure", recoloured, "--kind", "graph", "--out", recoloured_png,
             "--width", "200", "--height", "160", "--dpi", "72", NULL);
    g_assert_cmpint (recolour.status, ==, 0);
    g_assert_nonnull (strstr (recolour.err, "colours nodes by run 1"));
    g_assert_true (same_pixels (recoloured_png, plain_png));
  }
  /* --run naming the deleted run is still refused by name. */
  run_cli (&run_asked, "figure", gone, "--kind", "graph", "--run", "1", "--out", gone_png,
           NULL);
  assert_one_line_error (&run_asked, 1, "--run 1");
  remove_dir (dir);
}

/* ------------------------------------------------------------- linkpred */

static void
test_linkpred_save (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *dir = scratch_dir ();
  g_autofree char *out = g_build_filename (dir, "cora.philia", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) parser2 = json_parser_new ();
  g_autoptr(JsonParser) parser3 = json_parser_new ();
  g_auto(Run) plain = { 0 };
  g_auto(Run) saved = { 0 };
  g_auto(Run) text = { 0 };
  JsonObject *a, *b, *p;
  JsonArray *evaluations;
  const char *keys[] = { "hits@10", "hits@20", "hits@50", "hits@100", "mrr", "auc",
                         "test_edges" };

  make_project (out, cora, NULL);
  run_cli (&plain, "linkpred", cora, "--heuristic", "aa", "--seed", "3", "--json", NULL);
  assert_ok (&plain);
  run_cli (&saved, "linkpred", out, "--heuristic", "aa", "--seed", "3", "--save", "--json",
           NULL);
  assert_ok (&saved);
  a = parse_object (parser, plain.out);
  b = parse_object (parser2, saved.out);
  /* Saving evaluates the same split the same way. */
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_cmpfloat (member_double (a, keys[i]), ==, member_double (b, keys[i]));
  g_assert_cmpint (json_object_get_int_member (b, "evaluation_id"), ==, 1);

  p = info_project (parser3, out, NULL);
  evaluations = json_object_get_array_member (p, "evaluations");
  g_assert_cmpuint (json_array_get_length (evaluations), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (evaluations, 0),
                                               "id"), ==, 1);
  run_cli (&text, "info", out, NULL);
  assert_ok (&text);
  g_assert_nonnull (strstr (text.out, "evaluations        1\n"));
  g_assert_nonnull (strstr (text.out, "aa "));
  remove_dir (dir);
}

/* ------------------------------------------------------------- refusals */

static void
test_save_needs_project (void)
{
  g_autofree char *tiny = test_data ("npz", "tiny-graph.npz");
  g_auto(Run) layout = { 0 };
  g_auto(Run) train = { 0 };
  g_auto(Run) linkpred = { 0 };
  g_auto(Run) run = { 0 };
  g_auto(Run) dataset_opt = { 0 };

  run_cli (&layout, "layout", tiny, "--save", NULL);
  assert_one_line_error (&layout, 2, "--save");
  run_cli (&train, "train", tiny, "--model", "mlp", "--save", NULL);
  assert_one_line_error (&train, 2, "project new");
  run_cli (&linkpred, "linkpred", tiny, "--heuristic", "cn", "--save", NULL);
  assert_one_line_error (&linkpred, 2, "--save");
  run_cli (&run, "figure", tiny, "--kind", "graph", "--out", "x.png", "--run", "1", NULL);
  assert_one_line_error (&run, 2, "--run");
  run_cli (&dataset_opt, "info", tiny, "--ignore-checksum", NULL);
  assert_one_line_error (&dataset_opt, 1, "--ignore-checksum");
}

static void
test_corrupt_project (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *tiny = test_data ("npz", "tiny-graph.npz");
  g_autofree char *good = g_build_filename (dir, "good.philia", NULL);
  g_autofree char *garbage = g_build_filename (dir, "garbage.philia", NULL);
  g_autofree char *truncated = g_build_filename (dir, "truncated.philia", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *after = NULL;
  gsize len;
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) c = { 0 };

  make_project (good, tiny, NULL);
  g_assert_true (g_file_get_contents (good, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (garbage, "this is not a project\n", -1, NULL));
  g_assert_true (g_file_set_contents (truncated, contents, len / 2, NULL));

  run_cli (&a, "info", garbage, NULL);
  assert_one_line_error (&a, 1, "garbage.philia");
  run_cli (&b, "info", truncated, "--json", NULL);
  assert_one_line_error (&b, 1, "truncated.philia");
  /* A refused save leaves the file as it was. */
  run_cli (&c, "layout", truncated, "--save", NULL);
  assert_one_line_error (&c, 1, "truncated.philia");
  g_assert_true (g_file_get_contents (truncated, &after, NULL, NULL));
  g_assert_cmpmem (after, len / 2, contents, len / 2);
  remove_dir (dir);
}

/* A moved dataset is refused with the way out; --dataset finds it, and a
 * --save then remembers where. A changed one needs --ignore-checksum. */
static void
test_missing_and_changed_dataset (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *tiny = test_data ("npz", "tiny-graph.npz");
  g_autofree char *stored = test_data ("npz", "tiny-graph-stored.npz");
  g_autofree char *copy = g_build_filename (dir, "tiny.npz", NULL);
  g_autofree char *moved = g_build_filename (dir, "moved.npz", NULL);
  g_autofree char *out = g_build_filename (dir, "tiny.philia", NULL);
  g_auto(Run) missing = { 0 };
  g_auto(Run) located = { 0 };
  g_auto(Run) saved = { 0 };
  g_auto(Run) after_save = { 0 };
  g_auto(Run) changed = { 0 };
  g_auto(Run) anyway = { 0 };

  copy_file (tiny, copy);
  make_project (out, copy, NULL);
  g_assert_cmpint (g_rename (copy, moved), ==, 0);

  run_cli (&missing, "info", out, NULL);
  assert_one_line_error (&missing, 1, "--dataset");
  g_assert_nonnull (strstr (missing.err, "tiny.npz"));
  run_cli (&located, "info", out, "--dataset", moved, "--json", NULL);
  assert_ok (&located);
  g_assert_nonnull (strstr (located.out, "\"nodes\":5"));
  run_cli (&saved, "layout", out, "--dataset", moved, "-a", "circle", "--save", NULL);
  assert_ok (&saved);
  run_cli (&after_save, "info", out, NULL);
  assert_ok (&after_save);

  /* The same graph stored another way: other bytes, other checksum. */
  copy_file (stored, moved);
  run_cli (&changed, "info", out, NULL);
  assert_one_line_error (&changed, 1, "--ignore-checksum");
  run_cli (&anyway, "info", out, "--ignore-checksum", NULL);
  assert_ok (&anyway);
  g_assert_nonnull (strstr (anyway.out, "nodes              5\n"));
  remove_dir (dir);
}

/* An embedded project needs no dataset file, and stays embedded on save. */
static void
test_embedded (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *tiny = test_data ("npz", "tiny-graph.npz");
  g_autofree char *copy = g_build_filename (dir, "tiny.npz", NULL);
  g_autofree char *out = g_build_filename (dir, "tiny.philia", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) made = { 0 };
  g_auto(Run) info = { 0 };
  g_auto(Run) saved = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) dataset = { 0 };

  copy_file (tiny, copy);
  run_cli (&made, "project", "new", out, copy, "--embed", "--json", NULL);
  assert_ok (&made);
  g_assert_true (json_object_get_boolean_member (parse_object (parser, made.out), "embedded"));
  run_cli (&dataset, "info", copy, "--json", NULL);
  assert_ok (&dataset);
  g_assert_cmpint (g_unlink (copy), ==, 0);

  run_cli (&info, "info", out, "--json", NULL);
  assert_ok (&info);
  assert_same_facts (dataset.out, info.out);
  run_cli (&saved, "layout", out, "-a", "kk", "--save", NULL);
  assert_ok (&saved);
  run_cli (&again, "info", out, NULL);
  assert_ok (&again);
  g_assert_nonnull (strstr (again.out, "embedded"));
  g_assert_nonnull (strstr (again.out, "kk"));
  remove_dir (dir);
}

static void
test_help (void)
{
  g_auto(Run) top = { 0 };
  g_auto(Run) project = { 0 };
  g_auto(Run) layout = { 0 };
  g_auto(Run) figure_help = { 0 };

  run_cli (&top, "--help", NULL);
  assert_ok (&top);
  g_assert_nonnull (strstr (top.out, "  project "));
  run_cli (&project, "project", "--help", NULL);
  assert_ok (&project);
  g_assert_nonnull (strstr (project.out, "--embed"));
  g_assert_nonnull (strstr (project.out, "--force"));
  run_cli (&layout, "layout", "--help", NULL);
  assert_ok (&layout);
  g_assert_nonnull (strstr (layout.out, "--save"));
  g_assert_nonnull (strstr (layout.out, "--dataset"));
  g_assert_nonnull (strstr (layout.out, "--ignore-checksum"));
  run_cli (&figure_help, "figure", "--help", NULL);
  assert_ok (&figure_help);
  g_assert_nonnull (strstr (figure_help.out, "--run"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/Philia/CliProject/new/small", test_new_small);
  g_test_add_func ("/Philia/CliProject/new/node-table", test_new_node_table);
  g_test_add_func ("/Philia/CliProject/small-graphs", test_small_graphs);
  g_test_add_func ("/Philia/CliProject/layout-save-and-figure", test_layout_save_and_figure);
  g_test_add_func ("/Philia/CliProject/train-save", test_train_save);
  g_test_add_func ("/Philia/CliProject/train-random-split-save", test_train_random_split_save);
  g_test_add_func ("/Philia/CliProject/figure-follows-view", test_figure_follows_view);
  g_test_add_func ("/Philia/CliProject/figure-run-errors", test_figure_run_errors);
  g_test_add_func ("/Philia/CliProject/linkpred-save", test_linkpred_save);
  g_test_add_func ("/Philia/CliProject/refuse/save-needs-project", test_save_needs_project);
  g_test_add_func ("/Philia/CliProject/refuse/corrupt", test_corrupt_project);
  g_test_add_func ("/Philia/CliProject/refuse/missing-and-changed-dataset",
                   test_missing_and_changed_dataset);
  g_test_add_func ("/Philia/CliProject/embedded", test_embedded);
  g_test_add_func ("/Philia/CliProject/help", test_help);
  return g_test_run ();
}
