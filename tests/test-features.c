/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "philia-core.h"

/*
 * Feature sets: reading .npy and .npz feature files (and the refusals),
 * the derived sets against hand computations on a small graph, and the
 * graph copy a model runs on.
 */

static char *tmpdir;

/* A little-endian float32 .npy of @rows × @cols (or 1-D when @cols is 0). */
static char *
write_npy (const char  *name,
           guint        rows,
           guint        cols,
           const float *values)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *header = NULL;
  GString *blob = g_string_new (NULL);
  guint16 len;
  g_autoptr(GError) error = NULL;
  gsize n = (gsize)rows * MAX (cols, 1);

  header = cols > 0
           ? g_strdup_printf ("{'descr': '<f4', 'fortran_order': False, 'shape': (%u, %u), }",
                              rows, cols)
           : g_strdup_printf ("{'descr': '<f4', 'fortran_order': False, 'shape': (%u,), }",
                              rows);
  g_string_append_len (blob, "\223NUMPY\001\000", 8);
  len = (guint16)(strlen (header) + 1);
  len += (64 - (10 + len) % 64) % 64;
  g_string_append_c (blob, (char)(len & 0xff));
  g_string_append_c (blob, (char)(len >> 8));
  g_string_append (blob, header);
  while (blob->len < 10 + (gsize)len - 1)
    g_string_append_c (blob, ' ');
  g_string_append_c (blob, '\n');
  g_string_append_len (blob, (const char *)values, sizeof (float) * n);
  g_file_set_contents (path, blob->str, blob->len, &error);
  g_assert_no_error (error);
  g_string_free (blob, TRUE);
  return g_steal_pointer (&path);
}

static PhiliaArray *
float_array (guint  rows,
             guint  cols,
             float  start)
{
  PhiliaArray *a = g_new0 (PhiliaArray, 1);
  float *x = g_new (float, rows * MAX (cols, 1));

  for (guint i = 0; i < rows * MAX (cols, 1); i++)
    x[i] = start + i;
  a->dtype = PHILIA_DTYPE_FLOAT32;
  a->ndim = cols > 0 ? 2 : 1;
  a->shape[0] = rows;
  a->shape[1] = cols;
  a->n_elements = rows * MAX (cols, 1);
  a->data = x;
  a->itemsize = 4;
  return a;
}

static char *
write_npz (const char  *name,
           const char **names,
           PhiliaArray **arrays)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (philia_npz_write (path, names, arrays, &error));
  g_assert_no_error (error);
  for (guint i = 0; arrays[i] != NULL; i++)
    philia_array_free (arrays[i]);
  return path;
}

static PhiliaFeatureSet *
load (const char *path,
      guint       n,
      GError    **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return philia_feature_set_load (file, n, error);
}

static void
test_load_npy (void)
{
  const float x[] = { 1, 2, 3, 4, 5, 6 };
  g_autofree char *path = write_npy ("x.npy", 3, 2, x);
  g_autofree char *flat = write_npy ("flat.npy", 6, 0, x);
  g_autoptr(PhiliaFeatureSet) set = NULL;
  g_autoptr(GError) error = NULL;

  set = load (path, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (set->n_rows, ==, 3);
  g_assert_cmpuint (set->n_cols, ==, 2);
  g_assert_cmpmem (set->data, sizeof x, x, sizeof x);
  g_assert_cmpstr (set->name, ==, "x.npy");

  /* Rows must be the graph's nodes: both numbers in the message. */
  g_assert_null (load (path, 4, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "3 rows"));
  g_assert_nonnull (strstr (error->message, "4 nodes"));
  g_clear_error (&error);

  g_assert_null (load (flat, 6, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "2-D"));
  g_clear_error (&error);

  g_assert_null (load ("/nonexistent/features.npy", 3, &error));
  g_assert_nonnull (error);
}

static void
test_load_refusals (void)
{
  const float bad[] = { 1, NAN, 3, 4 };
  g_autofree char *nan_path = write_npy ("nan.npy", 2, 2, bad);
  g_autofree char *text = g_build_filename (tmpdir, "x.txt", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (load (nan_path, 2, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "row 0, column 1"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (text, "1,2\n3,4\n", -1, NULL));
  g_assert_null (load (text, 2, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT);
  g_clear_error (&error);
}

/* CSV rows: values as written, a header skipped, blank lines and CRLF and a
 * byte-order mark taken; each bad input refused naming the file and line. */
static void
test_load_csv (void)
{
  static const struct
  {
    const char *text;
    guint       n;
    const char *message;   /* NULL: loads */
  } cases[] = {
    { "1,2.5,-3\n4,5e-1,6\n", 2, NULL },
    { "a,b,c\n1,2.5,-3\n\n4,5e-1,6", 2, NULL },
    { "\xEF\xBB\xBF" "1, 2.5 ,-3\r\n4,0.5,6\r\n", 2, NULL },
    { "1,2,3\n4,5\n", 2, "line 2: the row has 2 values but the first row has 3." },
    { "a,b\n1,2,3\n4,5,6\n", 2, "line 2: the row has 3 values but the header has 2." },
    { "1,2\n3,x\n", 2, "line 2: a value is not a finite number" },
    { "1,2\n3,nan\n", 2, "line 2: a value is not a finite number" },
    { "1,2\n3,inf\n", 2, "line 2: a value is not a finite number" },
    { "1,2\n3,1e39\n", 2, "line 2: a value is not a finite number" },
    { "1,2\n3,\n", 2, "line 2: a value is not a finite number" },
    { "1,2\n3,4\n", 3, "has 2 rows but the graph has 3 nodes" },
    { "1,2\n3,4\n5,6\n\n7,8\n", 3, "has 4 rows but the graph has 3 nodes" },
    { "a,b\n", 1, "has 0 rows but the graph has 1 nodes" },
    { "", 1, "has 0 rows but the graph has 1 nodes" },
    { "1,2\n\xFF,3\n", 2, "line 2: the line is not UTF-8 text." },
    { "1,2\n3,4 5\n", 2, "line 2: a value is not a finite number" },
    /* "1;2" reads as a one-column header, so the second line is the first refused. */
    { "1;2\n3;4\n", 2, "line 2: a value is not a finite number" },
  };
  const float want[] = { 1, 2.5f, -3, 4, 0.5f, 6 };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *name = g_strdup_printf ("case%u.csv", c);
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaFeatureSet) set = NULL;

      g_assert_true (g_file_set_contents (path, cases[c].text, -1, NULL));
      set = load (path, cases[c].n, &error);
      if (cases[c].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (set->n_rows, ==, 2);
          g_assert_cmpuint (set->n_cols, ==, 3);
          g_assert_cmpmem (set->data, sizeof want, want, sizeof want);
          g_assert_cmpstr (set->name, ==, name);
        }
      else
        {
          g_assert_null (set);
          g_assert_nonnull (error);
          g_test_message ("%s", error->message);
          g_assert_nonnull (strstr (error->message, name));
          g_assert_nonnull (strstr (error->message, cases[c].message));
          g_assert_true (g_str_has_suffix (error->message, "."));
        }
      g_unlink (path);
    }

  /* Every prefix of a good file, cut anywhere: a set or an error, never a crash. */
  {
    const char *good = "x,y\n0.25,-1e-3\n7,8\n";
    g_autofree char *path = g_build_filename (tmpdir, "cut.csv", NULL);

    for (gsize len = 0; len <= strlen (good); len++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(PhiliaFeatureSet) set = NULL;

        g_assert_true (g_file_set_contents (path, good, len, NULL));
        set = load (path, 2, &error);
        g_assert_true ((set == NULL) != (error == NULL));
      }
    g_unlink (path);
  }
}

static void
test_load_npz (void)
{
  const char *one_names[] = { "ids", "emb", NULL };
  PhiliaArray *one_arrays[] = { float_array (4, 0, 0), float_array (4, 3, 10), NULL };
  const char *two_names[] = { "a", "b", NULL };
  PhiliaArray *two_arrays[] = { float_array (4, 2, 0), float_array (4, 3, 0), NULL };
  const char *none_names[] = { "ids", NULL };
  PhiliaArray *none_arrays[] = { float_array (4, 0, 0), NULL };
  g_autofree char *one = write_npz ("one.npz", one_names, one_arrays);
  g_autofree char *two = write_npz ("two.npz", two_names, two_arrays);
  g_autofree char *none = write_npz ("none.npz", none_names, none_arrays);
  g_autoptr(PhiliaFeatureSet) set = NULL;
  g_autoptr(GError) error = NULL;

  set = load (one, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (set->n_cols, ==, 3);
  g_assert_cmpfloat (set->data[0], ==, 10);
  g_assert_cmpfloat (set->data[11], ==, 21);
  g_assert_cmpstr (set->name, ==, "one.npz:emb");

  g_assert_null (load (two, 4, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "more than one 2-D array (“a”, “b”); name the one "
                            "to use as"));
  g_clear_error (&error);
  /* Naming the member picks it; a name that is not a 2-D member is refused
   * listing those there are; the members are listed in file order. */
  {
    g_autoptr(GFile) file = g_file_new_for_path (two);
    g_autoptr(GFile) file_one = g_file_new_for_path (one);
    g_autoptr(PhiliaFeatureSet) b = philia_feature_set_load_member (file, "b", 4, &error);
    g_auto(GStrv) members = philia_feature_file_list_members (file, &error);
    g_auto(GStrv) members_one = philia_feature_file_list_members (file_one, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (b->name, ==, "two.npz:b");
    g_assert_cmpuint (b->n_cols, ==, 3);
    g_assert_cmpuint (g_strv_length (members), ==, 2);
    g_assert_cmpstr (members[0], ==, "a");
    g_assert_cmpstr (members[1], ==, "b");
    g_assert_cmpuint (g_strv_length (members_one), ==, 1);
    g_assert_cmpstr (members_one[0], ==, "emb");
    g_assert_null (philia_feature_set_load_member (file, "ids", 4, &error));
    g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "no 2-D array called “ids”; its 2-D arrays: “a”, "
                              "“b”."));
    g_clear_error (&error);
  }
  g_assert_null (load (none, 4, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "no 2-D array"));
  g_clear_error (&error);
  g_assert_null (load (one, 5, &error));
  g_assert_nonnull (strstr (error->message, "4 rows but the graph has 5 nodes"));
}

/* A path 0 – 1 – 2 and an isolated node 3, with one split. */
static PhiliaGraph *
path_graph (void)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (4);
  g_autoptr(GError) error = NULL;
  gint64 *edges = g_new (gint64, 6);
  gint64 *labels = g_new (gint64, 4);
  float *x = g_new (float, 8);
  guint8 *train = g_new0 (guint8, 4), *val = g_new0 (guint8, 4), *test = g_new0 (guint8, 4);
  PhiliaGraph *graph;

  edges[0] = 0; edges[1] = 1; edges[2] = 1; edges[3] = 2; edges[4] = 2; edges[5] = 2;
  for (guint i = 0; i < 4; i++)
    {
      labels[i] = i % 2;
      x[2 * i] = (float)i;
      x[2 * i + 1] = 1;
    }
  train[0] = val[1] = test[2] = test[3] = 1;
  philia_graph_builder_take_edges (b, edges, 3);
  philia_graph_builder_take_labels (b, labels);
  philia_graph_builder_take_features (b, x, 2);
  philia_graph_builder_take_masks (b, 1, train, val, test);
  graph = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  return graph;
}

static void
test_derived (void)
{
  g_autoptr(PhiliaGraph) graph = path_graph ();
  g_autoptr(PhiliaFeatureSet) x = philia_feature_set_original (graph);
  g_autoptr(PhiliaFeatureSet) same = philia_feature_set_propagated (graph, x, 0);
  g_autoptr(PhiliaFeatureSet) one = philia_feature_set_propagated (graph, x, 1);
  g_autoptr(PhiliaFeatureSet) two = philia_feature_set_propagated (graph, x, 2);
  g_autoptr(PhiliaFeatureSet) deg = philia_feature_set_degree (graph, 1);
  g_autoptr(PhiliaFeatureSet) r1 = philia_feature_set_random (graph, 3, 7);
  g_autoptr(PhiliaFeatureSet) r2 = philia_feature_set_random (graph, 3, 7);
  g_autoptr(PhiliaFeatureSet) r3 = philia_feature_set_random (graph, 3, 8);
  /* Degrees with the self-loop of A + I: 2, 3, 2, 1 (the self-loop row 2–2 is dropped). */
  double d[4] = { 2, 3, 2, 1 }, first[4][2];

  g_assert_cmpmem (same->data, sizeof (float) * 8, x->data, sizeof (float) * 8);
  /* (Â X)_v = Σ_{u ∈ N(v) ∪ {v}} x_u / √(d_v d_u) */
  for (guint c = 0; c < 2; c++)
    {
      double col[4] = { 0, 1, 2, 3 };

      if (c == 1)
        col[0] = col[1] = col[2] = col[3] = 1;
      first[0][c] = col[0] / 2 + col[1] / sqrt (6);
      first[1][c] = col[0] / sqrt (6) + col[1] / 3 + col[2] / sqrt (6);
      first[2][c] = col[1] / sqrt (6) + col[2] / 2;
      first[3][c] = col[3];
      for (guint v = 0; v < 4; v++)
        g_assert_cmpfloat_with_epsilon (one->data[v * 2 + c], first[v][c], 1e-6);
      /* Once more for k = 2. */
      g_assert_cmpfloat_with_epsilon (two->data[0 * 2 + c],
                                      first[0][c] / d[0] + first[1][c] / sqrt (d[0] * d[1]),
                                      1e-6);
      g_assert_cmpfloat_with_epsilon (two->data[3 * 2 + c], first[3][c], 1e-6);
    }
  /* Degrees 1, 2, 1, 0 with max 1: columns [0, 1+]. */
  {
    const float want[] = { 0, 1, 0, 1, 0, 1, 1, 0 };

    g_assert_cmpuint (deg->n_cols, ==, 2);
    g_assert_cmpmem (deg->data, sizeof want, want, sizeof want);
  }
  g_assert_cmpuint (r1->n_cols, ==, 3);
  g_assert_cmpmem (r1->data, sizeof (float) * 12, r2->data, sizeof (float) * 12);
  g_assert_true (memcmp (r1->data, r3->data, sizeof (float) * 12) != 0);
  for (guint i = 0; i < 12; i++)
    g_assert_true (r1->data[i] >= 0 && r1->data[i] < 1);
}

static void
test_graph_with_set (void)
{
  g_autoptr(PhiliaGraph) graph = path_graph ();
  g_autoptr(PhiliaFeatureSet) r = philia_feature_set_random (graph, 5, 1);
  g_autoptr(PhiliaGraph) copy = philia_graph_with_feature_set (graph, r);
  g_autoptr(PhiliaFeatureSet) none = philia_feature_set_new ("none", "", 4, 0, NULL);
  g_autoptr(PhiliaGraph) bare = philia_graph_with_feature_set (graph, none);

  g_assert_cmpuint (philia_graph_get_n_features (copy), ==, 5);
  g_assert_cmpmem (philia_graph_get_features (copy), sizeof (float) * 20, r->data,
                   sizeof (float) * 20);
  g_assert_cmpuint (philia_graph_get_n_features (graph), ==, 2);
  g_assert_cmpuint (philia_graph_get_n_splits (copy), ==, 1);
  g_assert_cmpmem (philia_graph_get_split_mask (copy, 0, PHILIA_SPLIT_TEST), 4,
                   philia_graph_get_split_mask (graph, 0, PHILIA_SPLIT_TEST), 4);
  g_assert_cmpmem (philia_graph_get_labels (copy), 16, philia_graph_get_labels (graph), 16);
  g_assert_cmpint (philia_graph_get_n_edges (copy), ==, 2);
  g_assert_cmpuint (philia_graph_get_n_features (bare), ==, 0);
  g_assert_null (philia_graph_get_features (bare));
}

static PhiliaFeatureSet *
spec (PhiliaGraph *graph,
      const char  *text,
      GError     **error)
{
  return philia_feature_set_from_spec (graph, text, error);
}

/* Specs against the hand computations of test_derived (the path 0 – 1 – 2
 * with a self-loop on 2 dropped and node 3 isolated), their refusals, a
 * featureless and an empty graph. */
static void
test_spec (void)
{
  g_autoptr(PhiliaGraph) graph = path_graph ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaFeatureSet) orig = spec (graph, "original", &error);
  g_autoptr(PhiliaFeatureSet) one = spec (graph, "ahat:1", &error);
  g_autoptr(PhiliaFeatureSet) zero = spec (graph, "ahat:0", &error);
  g_autoptr(PhiliaFeatureSet) deg = spec (graph, "degree", &error);
  g_autoptr(PhiliaFeatureSet) deg1 = spec (graph, "degree:1", &error);
  g_autoptr(PhiliaFeatureSet) r = spec (graph, "random:3:7", &error);
  g_autoptr(PhiliaFeatureSet) r0 = spec (graph, "random:5", &error);
  g_autoptr(PhiliaFeatureSet) want = philia_feature_set_random (graph, 3, 7);
  const char *bad[] = { "ahat:", "ahat:x", "ahat:-1", "ahat:65", "ahat:1:2", "degree:",
                        "degree:a", "degree:1:2", "random:", "random:0", "random:3:x",
                        "random:3:1:1", "random:99999999", NULL };

  g_assert_no_error (error);
  g_assert_cmpstr (orig->name, ==, "original");
  g_assert_cmpfloat (orig->data[6], ==, 3);
  g_assert_cmpstr (one->name, ==, "Â^1 X");
  g_assert_cmpuint (one->n_cols, ==, 2);
  /* Node 0: x_0 / 2 + x_1 / √6; node 3 (isolated) keeps its row. */
  g_assert_cmpfloat_with_epsilon (one->data[0], 0 / 2.0 + 1 / sqrt (6), 1e-6);
  g_assert_cmpfloat_with_epsilon (one->data[1], 1 / 2.0 + 1 / sqrt (6), 1e-6);
  g_assert_cmpfloat_with_epsilon (one->data[6], 3, 1e-6);
  g_assert_cmpmem (zero->data, sizeof (float) * 8, orig->data, sizeof (float) * 8);
  /* Degrees 1, 2, 1, 0: the default width is the highest degree + 1. */
  {
    const float d3[] = { 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0 };
    const float d1[] = { 0, 1, 0, 1, 0, 1, 1, 0 };

    g_assert_cmpstr (deg->name, ==, "degree");
    g_assert_cmpuint (deg->n_cols, ==, 3);
    g_assert_cmpmem (deg->data, sizeof d3, d3, sizeof d3);
    g_assert_cmpmem (deg1->data, sizeof d1, d1, sizeof d1);
  }
  g_assert_cmpstr (r->name, ==, "random 3");
  g_assert_cmpmem (r->data, sizeof (float) * 12, want->data, sizeof (float) * 12);
  g_assert_cmpuint (r0->n_cols, ==, 5);
  g_assert_true (philia_feature_spec_is_derived ("ahat:2"));
  g_assert_false (philia_feature_spec_is_derived ("ahat.npy"));
  g_assert_false (philia_feature_spec_is_derived ("degrees.csv"));
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_assert_null (spec (graph, bad[i], &error));
      g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_clear_error (&error);
    }
  /* Anything else is a file. */
  g_assert_null (spec (graph, "no-such-file.npy", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A graph without features: structure-only sets work, Â^k X is refused. */
  {
    g_autoptr(PhiliaFeatureSet) none = philia_feature_set_new ("none", "", 4, 0, NULL);
    g_autoptr(PhiliaGraph) bare = philia_graph_with_feature_set (graph, none);
    g_autoptr(PhiliaFeatureSet) bd = spec (bare, "degree", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (bd->n_cols, ==, 3);
    g_assert_null (spec (bare, "ahat:2", &error));
    g_assert_nonnull (strstr (error->message, "has no node features"));
    g_clear_error (&error);
  }
  /* The empty graph: zero rows everywhere. */
  {
    g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (0);
    g_autoptr(PhiliaGraph) empty = philia_graph_builder_build (b, &error);

    if (empty != NULL)
      {
        g_autoptr(PhiliaFeatureSet) ed = spec (empty, "degree", &error);
        g_autoptr(PhiliaFeatureSet) er = spec (empty, "random:4:1", &error);

        g_assert_no_error (error);
        g_assert_cmpuint (ed->n_rows, ==, 0);
        g_assert_cmpuint (ed->n_cols, ==, 1);
        g_assert_cmpuint (er->n_rows, ==, 0);
      }
    g_clear_error (&error);
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  tmpdir = g_dir_make_tmp ("philia-features-XXXXXX", NULL);
  g_test_add_func ("/features/load-npy", test_load_npy);
  g_test_add_func ("/features/load-refusals", test_load_refusals);
  g_test_add_func ("/features/load-npz", test_load_npz);
  g_test_add_func ("/features/load-csv", test_load_csv);
  g_test_add_func ("/features/derived", test_derived);
  g_test_add_func ("/features/graph-with-set", test_graph_with_set);
  g_test_add_func ("/features/spec", test_spec);
  status = g_test_run ();
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmpdir, name, NULL);

        g_unlink (p);
      }
    g_rmdir (tmpdir);
    g_free (tmpdir);
  }
  return status;
}
