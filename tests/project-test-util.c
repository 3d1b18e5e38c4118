/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "philia-document-private.h"
#include "philia-zip-private.h"

#include "project-test-util.h"

/* See project-test-util.h; @extra_chord adds the chord 0 – @extra_chord. */
PhiliaGraph *
ring_graph (guint extra_chord)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (N);
  g_autoptr(GError) error = NULL;
  GArray *edges = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 *labels = g_new (gint64, N);
  guint8 *train = g_new0 (guint8, N), *val = g_new0 (guint8, N), *test = g_new0 (guint8, N);
  float *x = g_new0 (float, N * 4);
  PhiliaGraph *graph;
  guint n_edges;

  for (gint64 i = 0; i < N; i++)
    {
      gint64 e[2] = { i, (i + 1) % N };

      g_array_append_vals (edges, e, 2);
      if (i % 2 == 0)
        {
          e[1] = (i + 5) % N;
          g_array_append_vals (edges, e, 2);
        }
      labels[i] = (i / 3) % 2;
      (i % 3 == 0 ? train : i % 3 == 1 ? val : test)[i] = 1;
      x[i * 4 + (labels[i] + i) % 4] = 1;
    }
  if (extra_chord)
    {
      gint64 e[2] = { 0, 12 };

      g_array_append_vals (edges, e, 2);
    }
  n_edges = edges->len / 2;
  philia_graph_builder_take_edges (b, (gint64 *)g_array_free (edges, FALSE), n_edges);
  philia_graph_builder_take_labels (b, labels);
  philia_graph_builder_take_features (b, x, 4);
  philia_graph_builder_take_masks (b, 1, train, val, test);
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  return graph;
}

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = ring_graph (0);
  g_autofree char *data_dir = NULL;

  f->dir = g_dir_make_tmp ("philia-project-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (f->dir, "data", NULL);
  g_assert_cmpint (g_mkdir (data_dir, 0755), ==, 0);
  f->dataset = g_build_filename (data_dir, "ring.npz", NULL);
  f->project = g_build_filename (f->dir, "p.philia", NULL);
  g_assert_true (philia_graph_write_npz (graph, f->dataset, &error));
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      g_chmod (path, 0755);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->dataset);
  g_free (f->project);
}

PhiliaDocument *
new_document (Fixture *f)
{
  g_autoptr(GFile) file = g_file_new_for_path (f->dataset);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return philia_document_new (graph, f->dataset, NULL);
}

PhiliaDocument *
reopen (const char *path)
{
  g_autoptr(GError) error = NULL;
  PhiliaDocument *doc = philia_document_open (path, NULL, PHILIA_PROJECT_OPEN_DEFAULT, NULL,
                                              &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

void
save (PhiliaDocument *doc,
      const char     *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (philia_document_save (doc, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (philia_document_get_dirty (doc));
  g_assert_cmpstr (philia_document_get_path (doc), ==, path);
}


PhiliaTrainResult *
train (PhiliaGraph *graph,
       const char  *model,
       guint64      seed)
{
  g_autoptr(GError) error = NULL;
  PhiliaTrainParams params;
  PhiliaTrainResult *r;

  philia_train_params_init (&params);
  params.epochs = 12;
  params.seed = seed;
  r = philia_train (graph, model, &params, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return r;
}

/* Two splits, the second the first's parts rotated: train v % 3 == 0, val
 * v % 3 == 1, then train (v + 1) % 3 == 0 and so on. A step on @doc. */
void
set_two_splits (PhiliaDocument *doc)
{
  guint8 *masks[3];

  for (guint part = 0; part < 3; part++)
    {
      masks[part] = g_new0 (guint8, 2 * N);
      for (guint v = 0; v < N; v++)
        {
          masks[part][v] = v % 3 == part;
          masks[part][N + v] = (v + 1) % 3 == part;
        }
    }
  philia_document_set_splits (doc, 2, masks[0], masks[1], masks[2]);
}

/* A document with some of everything (three real runs, one with node
 * values added, an evaluation, two pairs, new splits). */
PhiliaDocument *
full_document (Fixture *f)
{
  PhiliaDocument *doc = new_document (f);
  PhiliaGraph *graph;
  PhiliaDocumentView view = { (char *)"prediction", (char *)"attention",
                              (char *)"run:2:attention:0", 2.5, 0.125, -3.0 };
  guint selection[] = { 3, 0, 17 };
  double *positions;
  PhiliaTrainResult *r;
  PhiliaNodeValues *values;
  PhiliaProximityParams params;
  g_autoptr(GError) error = NULL;
  PhiliaLinkpredReport *report;
  guint moved = 5;
  double xy[2] = { 1.0 / 3.0, -7e-300 };

  set_two_splits (doc);
  graph = philia_document_get_graph (doc);

  for (guint l = 0; l < 2; l++)
    {
      positions = g_new (double, 2 * N);
      for (guint v = 0; v < 2 * N; v++)
        positions[v] = sin (v + 10.0 * l) * 1e3 / 7.0;
      philia_document_add_layout (doc, l == 0 ? "Fruchterman–Reingold" : "kk 2",
                                  l == 0 ? "fr" : "kk", l == 0 ? 7 : G_MAXUINT64, positions);
    }
  philia_document_set_current_layout (doc, "Fruchterman–Reingold");
  g_assert_true (philia_document_move_nodes (doc, &moved, xy, 1));
  philia_document_set_selection (doc, selection, G_N_ELEMENTS (selection));
  philia_document_set_view (doc, &view);
  philia_document_set_zoom (doc, view.zoom, view.center_x, view.center_y);
  philia_document_set_conventions (doc, PHILIA_CONVENTION_KEEP_SELF_LOOPS |
                                        PHILIA_CONVENTION_DIRECTED);
  philia_document_set_notes (doc, "Line one\nline “two”\tand a tab.");

  philia_document_add_run (doc, train (graph, "gcn", 3));
  r = train (graph, "gat", 4);
  g_assert_nonnull (r->attention);
  g_assert_cmpuint (r->attention->len, >, 0);
  philia_document_add_run (doc, r);
  r = train (graph, "mlp", G_MAXUINT64 - 1);
  values = g_new0 (PhiliaNodeValues, 1);
  values->name = g_strdup ("gate[0]");
  values->values = g_new (double, N);
  for (guint v = 0; v < N; v++)
    values->values[v] = v == 4 ? NAN : v == 5 ? -INFINITY : 1.0 / (v + 1);
  g_ptr_array_add (r->node_values, values);
  philia_document_add_run (doc, r);
  /* A deleted run's id is not reused. */
  philia_document_add_run (doc, train (graph, "mlp", 9));
  g_assert_true (philia_document_delete_run (doc, 4));

  philia_proximity_params_init_default (&params);
  params.katz_beta = 0.01;
  report = philia_linkpred_report_new (graph, &params,
                                       PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_CN) |
                                       PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_KATZ),
                                       11, 5, NULL, NULL, &error);
  g_assert_no_error (error);
  philia_document_add_evaluation (doc, &params, 11, 5, report);
  philia_document_add_pair (doc, 1, 7, &params);
  params.katz_len = 0;
  philia_document_add_pair (doc, 20, 3, &params);
  return doc;
}

/* Opens @path and checks the refusal: domain, code and whole message. */
void
assert_refused (const char  *path,
                GQuark       domain,
                int          code,
                const char  *message)
{
  g_autoptr(GError) error = NULL;
  PhiliaDocument *doc = philia_document_open (path, NULL, 0, NULL, &error);

  g_assert_null (doc);
  g_assert_error (error, domain, code);
  g_assert_cmpstr (error->message, ==, message);
}


Archive *
archive_read (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PhiliaNpz) npz = NULL;
  Archive *a = g_new0 (Archive, 1);

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  npz = philia_npz_new_from_bytes (bytes, "test", &error);
  g_assert_no_error (error);
  a->names = g_ptr_array_new_with_free_func (g_free);
  a->bytes = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  for (guint i = 0; i < _philia_npz_get_n_members (npz); i++)
    {
      const char *name = _philia_npz_get_member_name (npz, i);
      GBytes *b = _philia_npz_read_member (npz, name, G_MAXUINT64, NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (a->names, g_strdup (name));
      g_ptr_array_add (a->bytes, b);
      if (strcmp (name, "philia-project.json") == 0)
        {
          g_autofree char *text = g_strndup (g_bytes_get_data (b, NULL), g_bytes_get_size (b));

          a->manifest = json_from_string (text, &error);
          g_assert_no_error (error);
        }
    }
  g_assert_nonnull (a->manifest);
  return a;
}

void
archive_free (Archive *a)
{
  g_ptr_array_unref (a->names);
  g_ptr_array_unref (a->bytes);
  json_node_unref (a->manifest);
  g_free (a);
}


JsonObject *
manifest (Archive *a)
{
  return json_node_get_object (a->manifest);
}

void
archive_set (Archive    *a,
             const char *name,
             GBytes     *bytes)
{
  for (guint i = 0; i < a->names->len; i++)
    if (strcmp (g_ptr_array_index (a->names, i), name) == 0)
      {
        g_ptr_array_index (a->bytes, i) = bytes;
        return;
      }
  g_ptr_array_add (a->names, g_strdup (name));
  g_ptr_array_add (a->bytes, bytes);
}

/* Writes the archive (correct CRCs) with @text as its manifest. */
void
archive_write_text (Archive    *a,
                    const char *path,
                    const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(PhiliaZipWriter) zip = _philia_zip_writer_new (out, "test");
  g_autoptr(GBytes) all = NULL;

  for (guint i = 0; i < a->names->len; i++)
    {
      const char *name = g_ptr_array_index (a->names, i);
      gsize size;
      const guint8 *data;

      if (strcmp (name, "philia-project.json") == 0)
        data = (const guint8 *)text, size = strlen (text);
      else
        data = g_bytes_get_data (g_ptr_array_index (a->bytes, i), &size);
      g_assert_true (_philia_zip_writer_add (zip, name, NULL, 0, data, size, 6, NULL, &error));
    }
  g_assert_true (_philia_zip_writer_finish (zip, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  all = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (all, NULL),
                                      (gssize)g_bytes_get_size (all), NULL));
}

/* Writes the archive with the manifest as edited. */
void
archive_write (Archive    *a,
               const char *path)
{
  g_autofree char *text = json_to_string (a->manifest, TRUE);

  archive_write_text (a, path, text);
}

/* A saved project with layouts and runs, read back as an archive. */
Archive *
saved_archive (Fixture *f)
{
  g_autoptr(PhiliaDocument) doc = full_document (f);

  save (doc, f->project);
  return archive_read (f->project);
}

JsonObject *
first_of (JsonObject *o,
          const char *key)
{
  return json_array_get_object_element (json_object_get_array_member (o, key), 0);
}
