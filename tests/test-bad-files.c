/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every file in tests/data/bad/ must be refused through the public loader (the
 * project reader for *.philia) with the error listed in tests/data/bad/EXPECTED:
 * right domain and code, one sentence that names the file, and the expected
 * words. A bad file never
 * crashes Philia (run this under AddressSanitizer too).
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "philia-core.h"

typedef struct
{
  char   *file;
  GQuark  domain;
  int     code;
  char   *substring;
} Case;

static const struct
{
  const char *name;
  PhiliaError code;
} error_codes[] = {
  { "FAILED", PHILIA_ERROR_FAILED },
  { "IO", PHILIA_ERROR_IO },
  { "FORMAT", PHILIA_ERROR_FORMAT },
  { "UNSUPPORTED", PHILIA_ERROR_UNSUPPORTED },
  { "INVALID", PHILIA_ERROR_INVALID },
  { "EMPTY", PHILIA_ERROR_EMPTY },
  { "DUPLICATE", PHILIA_ERROR_DUPLICATE },
  { "NOT_FOUND", PHILIA_ERROR_NOT_FOUND },
  { "IGRAPH", PHILIA_ERROR_IGRAPH },
  { "OPTION", PHILIA_ERROR_OPTION },
};

/* Project files (*.philia, opened as projects) may also fail with these. */
static const struct
{
  const char        *name;
  PhiliaProjectError code;
} project_codes[] = {
  { "DATASET_MISSING", PHILIA_PROJECT_ERROR_DATASET_MISSING },
  { "DATASET_CHANGED", PHILIA_PROJECT_ERROR_DATASET_CHANGED },
  { "NEWER_VERSION", PHILIA_PROJECT_ERROR_NEWER_VERSION },
};

static int
code_from_name (const char *name,
                GQuark     *domain)
{
  *domain = PHILIA_ERROR;
  for (guint i = 0; i < G_N_ELEMENTS (error_codes); i++)
    if (strcmp (error_codes[i].name, name) == 0)
      return error_codes[i].code;
  *domain = PHILIA_PROJECT_ERROR;
  for (guint i = 0; i < G_N_ELEMENTS (project_codes); i++)
    if (strcmp (project_codes[i].name, name) == 0)
      return project_codes[i].code;
  return -1;
}

static void
case_free (Case *c)
{
  g_free (c->file);
  g_free (c->substring);
  g_free (c);
}

/* What every Philia error message looks like (HACKING.md §15): one line, one
 * sentence ending with a full stop, naming the file at fault. */
static void
assert_good_message (const GError *error,
                     const char   *base_name)
{
  gsize len;

  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  len = strlen (error->message);
  g_test_message ("%s", error->message);
  g_assert_cmpuint (len, >, 1);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strchr (error->message, '\r'));
  g_assert_cmpint (error->message[len - 1], ==, '.');
  g_assert_false (g_str_has_suffix (error->message, ".."));
  if (strstr (error->message, base_name) == NULL)
    g_test_fail_printf ("“%s” does not name the file %s", error->message, base_name);
}

static void
test_bad_file (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "bad", c->file, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaDocument) doc = NULL;
  g_autoptr(PhiliaSavedModel) model = NULL;

  if (g_str_has_suffix (c->file, PHILIA_PROJECT_EXTENSION))
    doc = philia_document_open (path, NULL, PHILIA_PROJECT_OPEN_DEFAULT, NULL, &error);
  else if (g_str_has_suffix (c->file, PHILIA_MODEL_EXTENSION))
    model = philia_saved_model_load (path, &error);
  else
    graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_null (graph);
  g_assert_null (doc);
  g_assert_null (model);
  g_assert_nonnull (error);
  if (error->domain != c->domain || error->code != c->code)
    {
      g_test_fail_printf ("%s: expected code %d, got %s %d: %s", c->file, c->code,
                          g_quark_to_string (error->domain), error->code, error->message);
      return;
    }
  assert_good_message (error, c->file);
  if (strstr (error->message, c->substring) == NULL)
    g_test_fail_printf ("%s: “%s” does not contain “%s”", c->file, error->message,
                        c->substring);
}

/* The same files through the async API, which the GUI uses, must fail the same way. */
static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(PhiliaGraph) graph = philia_graph_load_finish (result, error);

  g_assert_null (graph);
}

static void
test_async (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "bad",
                                                 "corrupt-deflate.npz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  philia_graph_load_async (file, NULL, NULL, NULL, load_done, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT);
  assert_good_message (error, "corrupt-deflate.npz");
}

static void
test_directory (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-bad-XXXXXX", &error);
  g_autofree char *base = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;

  g_assert_no_error (error);
  file = g_file_new_for_path (dir);
  base = g_file_get_basename (file);
  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_null (graph);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_IO);
  assert_good_message (error, base);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-bad-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "no-such-dataset.npz", NULL);
  file = g_file_new_for_path (path);
  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_null (graph);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_IO);
  assert_good_message (error, "no-such-dataset.npz");
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Every file in the folder is listed, so that a new bad file cannot go untested;
 * only the node tables (*.nodes.csv) are loaded by tests/test-import.c instead,
 * beside a graph. */
static void
test_all_listed (gconstpointer data)
{
  GPtrArray *cases = (GPtrArray *)data;
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", "bad", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      gboolean found = FALSE;

      if (g_str_equal (name, "EXPECTED") || g_str_has_suffix (name, ".nodes.csv"))
        continue;
      for (guint i = 0; i < cases->len && !found; i++)
        found = strcmp (((Case *)g_ptr_array_index (cases, i))->file, name) == 0;
      if (!found)
        g_test_fail_printf ("tests/data/bad/%s has no line in EXPECTED", name);
    }
}

static GPtrArray *
read_expected (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "bad", "EXPECTED", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *cases = g_ptr_array_new_with_free_func ((GDestroyNotify)case_free);

  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("%s", error->message);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      Case *c;
      char *line = g_strchomp (lines[i]);

      if (line[0] == '\0' || line[0] == '#')
        continue;
      fields = g_strsplit (line, "\t", 3);
      if (g_strv_length (fields) != 3 || fields[0][0] == '\0' || fields[2][0] == '\0')
        g_error ("EXPECTED line %u: need three tab-separated fields", i + 1);
      c = g_new0 (Case, 1);
      c->file = g_strdup (fields[0]);
      c->code = code_from_name (fields[1], &c->domain);
      c->substring = g_strdup (fields[2]);
      if (c->code < 0)
        g_error ("EXPECTED line %u: unknown error code “%s”", i + 1, fields[1]);
      g_ptr_array_add (cases, c);
    }
  return cases;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GPtrArray) cases = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  cases = read_expected ();
  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = g_ptr_array_index (cases, i);
      g_autofree char *test_path = g_strconcat ("/Philia/BadFiles/", c->file, NULL);

      g_test_add_data_func (test_path, c, test_bad_file);
    }
  g_test_add_data_func ("/Philia/BadFiles/all-listed", cases, test_all_listed);
  g_test_add_func ("/Philia/BadFiles/directory", test_directory);
  g_test_add_func ("/Philia/BadFiles/missing-file", test_missing);
  g_test_add_func ("/Philia/BadFiles/async", test_async);

  ret = g_test_run ();
  return ret;
}
