/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "philia-core.h"
#include "philia-document-private.h"
#include "philia-zip-private.h"

#include "project-test-util.h"

/*
 * Projects Philia refuses to open (HACKING.md §16), each refusal with its
 * whole message checked: files that are not projects, newer formats,
 * damaged members, missing or changed datasets, manifests that contradict
 * themselves. Damaged projects are made by rewriting a real one's manifest
 * or members with correct CRCs, so each case reaches the check it is meant
 * for.
 */

static void
test_not_a_project (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *text = g_build_filename (f->dir, "notes.philia", NULL);
  g_autofree char *folder = g_build_filename (f->dir, "folder.philia", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.philia", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (text, "hello, world\n", -1, NULL));
  assert_refused (text, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                  "notes.philia is not a Philia project (it is not a zip archive).");
  g_assert_true (g_file_set_contents (text, "", 0, NULL));
  assert_refused (text, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                  "notes.philia is not a Philia project (it is not a zip archive).");
  g_assert_true (g_file_set_contents (text, "PK\003\004abc", 7, NULL));
  assert_refused (text, PHILIA_ERROR, PHILIA_ERROR_FORMAT, "notes.philia is truncated (7 bytes).");
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  assert_refused (folder, PHILIA_ERROR, PHILIA_ERROR_IO,
                  "folder.philia is a folder, not a Philia project.");
  g_assert_null (philia_document_open (missing, NULL, 0, NULL, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "missing.philia: cannot be read: "));
  g_assert_true (g_str_has_suffix (error->message, "."));

  /* A dataset given as a project. */
  assert_refused (f->dataset, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                  "ring.npz is a dataset, not a Philia project; open it as a dataset.");
}

static void
test_foreign_zip (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Archive) a = saved_archive (f);
  g_autofree char *path = g_build_filename (f->dir, "other.philia", NULL);

  json_object_set_string_member (manifest (a), "format", "some-other-app");
  archive_write (a, path);
  assert_refused (path, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                  "other.philia is not a Philia project (its manifest says the format is "
                  "“some-other-app”).");

  /* A zip of other files. */
  g_ptr_array_set_size (a->names, 0);
  g_ptr_array_set_size (a->bytes, 0);
  archive_set (a, "readme.txt", g_bytes_new_static ("hi", 2));
  archive_write (a, path);
  assert_refused (path, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                  "other.philia is a zip archive but not a Philia project (it has no "
                  "philia-project.json).");
}

static void
test_newer (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Archive) a = saved_archive (f);
  g_autofree char *path = g_build_filename (f->dir, "new.philia", NULL);

  json_object_set_int_member (manifest (a), "format_version", 2);
  archive_write (a, path);
  assert_refused (path, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_NEWER_VERSION,
                  "new.philia was saved by a newer Philia (format 2; this one reads 1).");
}

static void
test_damaged (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = full_document (f);
  g_autofree char *contents = NULL;
  g_autofree char *path = g_build_filename (f->dir, "damaged.philia", NULL);
  g_autoptr(GError) error = NULL;
  gsize len;
  PhiliaDocument *refused;

  save (doc, f->project);
  g_assert_true (g_file_get_contents (f->project, &contents, &len, NULL));

  /* Truncated: the central directory is gone. */
  g_assert_true (g_file_set_contents (path, contents, (gssize)len / 2, NULL));
  assert_refused (path, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                  "damaged.philia is a truncated zip archive (its central directory is "
                  "missing).");

  /* A flipped byte inside the manifest's compressed data. */
  contents[30 + strlen ("philia-project.json") + 40] ^= 0x55;
  g_assert_true (g_file_set_contents (path, contents, (gssize)len, NULL));
  refused = philia_document_open (path, NULL, 0, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT);
  g_assert_true (g_str_has_prefix (error->message,
                                   "damaged.philia: member “philia-project.json” "));
  g_assert_true (g_str_has_suffix (error->message, "."));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_dataset_missing (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = new_document (f);
  g_autoptr(PhiliaDocument) located = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *elsewhere = g_build_filename (f->dir, "ring-moved.npz", NULL);

  save (doc, f->project);
  g_assert_cmpint (g_rename (f->dataset, elsewhere), ==, 0);
  /* Relative path first (it resolves to the same file here, so it is named once). */
  message = g_strdup_printf ("p.philia: its dataset cannot be found at %s.", f->dataset);
  assert_refused (f->project, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_DATASET_MISSING,
                  message);

  /* The user locates it. */
  located = philia_document_open (f->project, elsewhere, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (philia_document_get_dataset_path (located), ==, elsewhere);
}

static void
test_dataset_missing_both (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Archive) a = saved_archive (f);
  g_autofree char *message = NULL;
  g_autofree char *relative = g_build_filename (f->dir, "data", "gone.npz", NULL);
  JsonObject *d = json_object_get_object_member (manifest (a), "dataset");

  json_object_set_string_member (d, "path", "data/gone.npz");
  json_object_set_string_member (d, "absolute_path", "/nonexistent/ring.npz");
  archive_write (a, f->project);
  message = g_strdup_printf ("p.philia: its dataset cannot be found at %s nor at "
                             "/nonexistent/ring.npz.", relative);
  assert_refused (f->project, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_DATASET_MISSING,
                  message);
}

static void
test_dataset_changed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(PhiliaDocument) doc = new_document (f);
  g_autoptr(PhiliaGraph) other = ring_graph (1);
  g_autoptr(PhiliaDocument) anyway = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  save (doc, f->project);
  g_assert_true (philia_graph_write_npz (other, f->dataset, &error));
  message = g_strdup_printf ("p.philia: its dataset %s has changed since the project was "
                             "saved (its SHA-256 differs).", f->dataset);
  assert_refused (f->project, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_DATASET_CHANGED,
                  message);
  /* "Open anyway": the dataset as it is now. */
  anyway = philia_document_open (f->project, NULL, PHILIA_PROJECT_OPEN_IGNORE_CHECKSUM, NULL,
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpint (philia_graph_get_n_edges (philia_document_get_graph (anyway)), ==,
                   N + N / 2 + 1);
}

static void
test_inconsistent (Fixture       *f,
                   gconstpointer  data)
{
  struct
  {
    const char *what;
    const char *message;
  } cases[] = {
    { "short-positions", "p.philia: member “layouts/0.npy” has 3 entries along axis 0, where "
                         "24 were expected." },
    { "nan-positions", "p.philia: layout “Fruchterman–Reingold” puts node 2 at a position "
                       "that is not a finite number." },
    { "duplicate-run", "p.philia: two runs have the id 1." },
    { "unknown-model", "p.philia: run 1 was trained with the model “nope”, which this Philia "
                       "does not have." },
    { "current-layout", "p.philia: the current layout “gone” does not exist." },
    { "missing-member", "p.philia: the manifest names the member “runs/1/predictions.npy”, "
                        "which is missing." },
    { "selection", "p.philia: the selection names node 99, but the graph has 24 nodes." },
    { "nodes", "p.philia: its dataset has 24 nodes, but the project was saved with 25." },
    { "pair", "p.philia: the pair (1, 24) names a node the graph (24 nodes) does not have." },
    { "type", "p.philia: the manifest's runs.0.best_epoch is missing or not an integer." },
    { "measure-features", "p.philia: measure_features names the feature set “Â^2 X”, which "
                          "the project does not have." },
    { "json", NULL },
    { "two-values", "p.philia: its manifest is not one JSON object." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Archive) a = saved_archive (f);
      JsonObject *m = manifest (a);
      JsonObject *run = first_of (m, "runs");
      g_autoptr(GError) error = NULL;
      PhiliaDocument *doc;

      if (strcmp (cases[i].what, "short-positions") == 0)
        {
          double xy[6] = { 0 };
          g_autoptr(PhiliaArray) array = g_new0 (PhiliaArray, 1);
          g_autoptr(GByteArray) npy = NULL;

          array->dtype = PHILIA_DTYPE_FLOAT64;
          array->ndim = 2;
          array->shape[0] = 3;
          array->shape[1] = 2;
          array->n_elements = 6;
          npy = _philia_npy_make_header (array);
          g_byte_array_append (npy, (const guint8 *)xy, sizeof xy);
          archive_set (a, "layouts/0.npy", g_bytes_new (npy->data, npy->len));
        }
      else if (strcmp (cases[i].what, "nan-positions") == 0)
        {
          for (guint k = 0; k < a->names->len; k++)
            if (strcmp (g_ptr_array_index (a->names, k), "layouts/0.npy") == 0)
              {
                gsize size;
                guint8 *copy = g_bytes_unref_to_data (g_ptr_array_index (a->bytes, k), &size);
                double nan = NAN;

                memcpy (copy + size - 2 * N * 8 + 5 * 8, &nan, 8);
                g_ptr_array_index (a->bytes, k) = g_bytes_new_take (copy, size);
              }
        }
      else if (strcmp (cases[i].what, "duplicate-run") == 0)
        json_array_add_object_element (json_object_get_array_member (m, "runs"),
                                       json_object_ref (run));
      else if (strcmp (cases[i].what, "unknown-model") == 0)
        json_object_set_string_member (run, "model", "nope");
      else if (strcmp (cases[i].what, "current-layout") == 0)
        json_object_set_string_member (m, "current_layout", "gone");
      else if (strcmp (cases[i].what, "missing-member") == 0)
        {
          for (guint k = 0; k < a->names->len; k++)
            if (strcmp (g_ptr_array_index (a->names, k), "runs/1/predictions.npy") == 0)
              {
                g_ptr_array_remove_index (a->names, k);
                g_ptr_array_remove_index (a->bytes, k);
              }
        }
      else if (strcmp (cases[i].what, "selection") == 0)
        {
          guint32 nodes[2] = { 1, 99 };
          g_autoptr(PhiliaArray) array = g_new0 (PhiliaArray, 1);
          g_autoptr(GByteArray) npy = NULL;

          array->dtype = PHILIA_DTYPE_UINT32;
          array->ndim = 1;
          array->shape[0] = 2;
          array->n_elements = 2;
          npy = _philia_npy_make_header (array);
          g_byte_array_append (npy, (const guint8 *)nodes, sizeof nodes);
          archive_set (a, "selection.npy", g_bytes_new (npy->data, npy->len));
        }
      else if (strcmp (cases[i].what, "nodes") == 0)
        json_object_set_int_member (m, "n_nodes", 25);
      else if (strcmp (cases[i].what, "pair") == 0)
        json_object_set_int_member (first_of (m, "pairs"), "v", 24);
      else if (strcmp (cases[i].what, "measure-features") == 0)
        json_object_set_string_member (m, "measure_features", "Â^2 X");
      else if (strcmp (cases[i].what, "type") == 0)
        json_object_set_string_member (run, "best_epoch", "3");
      else if (strcmp (cases[i].what, "two-values") == 0)
        {
          /* json-glib 1.6 would take the first value and leak the second. */
          g_autofree char *text = json_to_string (a->manifest, FALSE);
          g_autofree char *twice = g_strconcat (text, " {\"a\": [1]}", NULL);

          archive_write_text (a, f->project, twice);
          doc = philia_document_open (f->project, NULL, 0, NULL, &error);
          g_assert_null (doc);
          g_assert_cmpstr (error->message, ==, cases[i].message);
          continue;
        }
      else if (strcmp (cases[i].what, "json") == 0)
        {
          json_node_unref (a->manifest);
          a->manifest = json_node_new (JSON_NODE_ARRAY);
          json_node_take_array (a->manifest, json_array_new ());
        }
      archive_write (a, f->project);
      doc = philia_document_open (f->project, NULL, 0, NULL, &error);
      g_assert_null (doc);
      g_test_message ("%s: %s", cases[i].what, error->message);
      if (cases[i].message != NULL)
        {
          g_assert_cmpstr (error->message, ==, cases[i].message);
          g_assert_true (error->domain == PHILIA_ERROR);
        }
      else
        g_assert_cmpstr (error->message, ==, "p.philia: its manifest is not one JSON object.");
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

#define ADD(path, func) \
  g_test_add ("/Philia/Project/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("not-a-project", test_not_a_project);
  ADD ("foreign-zip", test_foreign_zip);
  ADD ("newer", test_newer);
  ADD ("damaged", test_damaged);
  ADD ("dataset-missing", test_dataset_missing);
  ADD ("dataset-missing-both", test_dataset_missing_both);
  ADD ("dataset-changed", test_dataset_changed);
  ADD ("inconsistent", test_inconsistent);
#undef ADD

  return g_test_run ();
}
