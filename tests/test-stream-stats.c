/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Streamed statistics (philia-stream-stats.h) against the graph loaded in
 * memory: stored and deflated members, int32 and int64 ids, self-loops,
 * duplicates, reciprocal rows, isolated and unlabeled nodes, counts made
 * in slices, unsorted rows, and broken members. Also the streamed CSBM
 * writer. */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "philia-core.h"
#include "philia-generate-private.h"
#include "philia-stream-stats.h"
#include "philia-zip-private.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("philia-stream-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* An .npz of @n labels and @n_rows edge rows, members at zlib @level (0:
 * stored), ids as @dtype (int32 or int64). */
static PhiliaGraph *
load (const char  *path,
      GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return philia_graph_load (file, NULL, NULL, NULL, error);
}

static char *
write_npz (Fixture      *f,
           const char   *name,
           const gint64 *labels,
           guint         n,
           const gint64 *rows,
           gsize         n_rows,
           PhiliaDtype   dtype,
           int           level)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE, 0, NULL, NULL);
  g_autoptr(PhiliaZipWriter) writer = _philia_zip_writer_new (G_OUTPUT_STREAM (out), name);
  g_autofree gint32 *narrow = g_new (gint32, 2 * n_rows + 1);
  PhiliaArray lab = { PHILIA_DTYPE_INT64, 1, { n }, n, (gpointer)labels, 8 };
  PhiliaArray edges = { dtype, 2, { (gint64)n_rows, 2 }, 2 * (gint64)n_rows, (gpointer)rows, 8 };
  g_autoptr(GError) error = NULL;

  if (dtype == PHILIA_DTYPE_INT32)
    {
      for (gsize i = 0; i < 2 * n_rows; i++)
        narrow[i] = (gint32)rows[i];
      edges.data = narrow;
      edges.itemsize = 4;
    }
  g_assert_true (_philia_zip_writer_add_array (writer, "node_labels", &lab, level, NULL, &error));
  g_assert_true (_philia_zip_writer_add_array (writer, "edges", &edges, level, NULL, &error));
  g_assert_true (_philia_zip_writer_finish (writer, NULL, &error));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* Everything the stream gives, checked against the loaded graph. */
static void
assert_matches_loaded (const char        *path,
                       PhiliaStreamStats *stats)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = load (path, &error);
  g_autoptr(PhiliaHomophily) want = NULL;
  g_autoptr(PhiliaHomophily) got = NULL;
  const PhiliaSanityReport *report;
  PhiliaStreamSummary sum;
  guint n;

  g_assert_no_error (error);
  n = philia_graph_get_n_nodes (graph);
  report = philia_graph_get_sanity_report (graph);
  _philia_stream_stats_summary (stats, &sum);
  g_assert_true (stats->sorted);
  g_assert_cmpint (stats->rows, ==, report->input_edges);
  g_assert_cmpint (stats->self_loops, ==, report->self_loops);
  g_assert_cmpint (stats->duplicate_edges, ==, report->duplicate_edges);
  g_assert_cmpint (stats->reciprocal_pairs, ==, report->reciprocal_pairs);
  g_assert_cmpint (stats->edges, ==, philia_graph_get_n_edges (graph));
  g_assert_cmpint (sum.isolated_nodes, ==, report->isolated_nodes);
  g_assert_cmpint (sum.components, ==, report->components);
  g_assert_cmpint (sum.largest_component, ==, report->largest_component);
  for (guint v = 0; v < n; v++)
    g_assert_cmpint (stats->degree[v], ==, philia_graph_get_degree (graph, v));

  want = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 0, NULL, &error);
  g_assert_no_error (error);
  got = philia_homophily_from_counts (stats->graph, stats->counts, PHILIA_CONVENTION_DEFAULT);
  /* The same integers through the same code: equal to the last bit. */
  g_assert_cmpmem (&got->edge_homophily, sizeof (double), &want->edge_homophily, sizeof (double));
  g_assert_cmpmem (&got->node_homophily, sizeof (double), &want->node_homophily, sizeof (double));
  g_assert_cmpmem (&got->class_homophily, sizeof (double), &want->class_homophily,
                   sizeof (double));
  g_assert_cmpmem (&got->adjusted_homophily, sizeof (double), &want->adjusted_homophily,
                   sizeof (double));
  g_assert_cmpmem (&got->label_informativeness, sizeof (double), &want->label_informativeness,
                   sizeof (double));
  g_assert_cmpint (got->n_ends, ==, want->n_ends);
  g_assert_cmpmem (got->compatibility_counts, sizeof (gint64) * got->n_classes * got->n_classes,
                   want->compatibility_counts,
                   sizeof (gint64) * want->n_classes * want->n_classes);
}

/* Rows in (min, max) order with everything a file may hold: a repeated
 * row, a reciprocal one, self-loops, an unlabeled node (2), and isolated
 * nodes (5, 6). */
static const gint64 tricky_rows[] = {
  0, 1,  0, 1,  1, 0,  1, 1,  1, 2,  1, 3,  3, 1,  3, 1,  2, 4,  3, 4,  4, 4,
};
static const gint64 tricky_labels[] = { 0, 1, -1, 0, 1, 1, 0 };

static void
test_matches_memory (Fixture       *f,
                     gconstpointer  data)
{
  const struct { PhiliaDtype dtype; int level; } cases[] = {
    { PHILIA_DTYPE_INT64, 0 }, { PHILIA_DTYPE_INT64, 6 },
    { PHILIA_DTYPE_INT32, 0 }, { PHILIA_DTYPE_INT32, 1 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *name = g_strdup_printf ("tricky-%u.npz", c);
      g_autofree char *path = write_npz (f, name, tricky_labels, 7, tricky_rows,
                                         G_N_ELEMENTS (tricky_rows) / 2, cases[c].dtype,
                                         cases[c].level);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaStreamStats) stats = philia_stream_stats_compute (path, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (stats->member_stored, ==, cases[c].level == 0);
      /* By hand: pairs 01 12 13 24 34; 01 and 13 repeat once each and
       * are reciprocal; loops at 1 and 4. */
      g_assert_cmpint (stats->edges, ==, 5);
      g_assert_cmpint (stats->self_loops, ==, 2);
      g_assert_cmpint (stats->duplicate_edges, ==, 2);
      g_assert_cmpint (stats->reciprocal_pairs, ==, 2);
      assert_matches_loaded (path, stats);
    }
}

/* Slices [a, b) that tile the rows, counted apart and summed as MPI ranks
 * do, give the whole: at every pair of cut points. */
static void
test_slices (Fixture       *f,
             gconstpointer  data)
{
  gsize n_rows = G_N_ELEMENTS (tricky_rows) / 2;

  for (int level = 0; level <= 6; level += 6)
    {
      g_autofree char *path = write_npz (f, level ? "slices-d.npz" : "slices-s.npz",
                                         tricky_labels, 7, tricky_rows, n_rows,
                                         PHILIA_DTYPE_INT32, level);

      for (gsize a = 0; a <= n_rows; a++)
        for (gsize b = a; b <= n_rows; b++)
          {
            const gsize cuts[4] = { 0, a, b, n_rows };
            g_autoptr(PhiliaStreamStats) total = NULL;

            for (guint piece = 0; piece < 3; piece++)
              {
                g_autoptr(PhiliaNpz) npz = NULL;
                g_autoptr(GError) error = NULL;
                g_autoptr(PhiliaStreamStats) part = _philia_stream_stats_new (path, &npz, &error);

                g_assert_no_error (error);
                g_assert_true (_philia_stream_stats_count (part, npz, FALSE, cuts[piece],
                                                           cuts[piece + 1], NULL, &error));
                g_assert_no_error (error);
                if (total == NULL)
                  {
                    total = g_steal_pointer (&part);
                    continue;
                  }
                total->rows += part->rows;
                total->self_loops += part->self_loops;
                total->edges += part->edges;
                total->duplicate_edges += part->duplicate_edges;
                total->reciprocal_pairs += part->reciprocal_pairs;
                total->sorted = total->sorted && part->sorted;
                for (guint v = 0; v < 7; v++)
                  {
                    total->degree[v] += part->degree[v];
                    total->counts->degree[v] += part->counts->degree[v];
                    total->counts->same[v] += part->counts->same[v];
                  }
                for (guint k = 0; k < 4; k++)
                  total->counts->compatibility[k] += part->counts->compatibility[k];
                _philia_stream_stats_unite (total, part->parent);
              }
            assert_matches_loaded (path, total);
          }
    }
}

/* Unsorted rows: the repeats cannot be found, so they are not claimed;
 * every row counts as an edge, and the summary says duplicates unknown. */
static void
test_unsorted (Fixture       *f,
               gconstpointer  data)
{
  const gint64 rows[] = { 0, 1,  2, 3,  1, 0,  0, 2 };
  const gint64 labels[] = { 0, 0, 1, 1 };
  g_autofree char *path = write_npz (f, "unsorted.npz", labels, 4, rows, 4, PHILIA_DTYPE_INT64, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaStreamStats) stats = philia_stream_stats_compute (path, NULL, &error);
  PhiliaStreamSummary sum;

  g_assert_no_error (error);
  g_assert_false (stats->sorted);
  g_assert_cmpint (stats->edges, ==, 4);
  g_assert_cmpint (stats->degree[0], ==, 3);
  _philia_stream_stats_summary (stats, &sum);
  g_assert_cmpint (stats->duplicate_edges, ==, -1);
  g_assert_cmpint (stats->reciprocal_pairs, ==, -1);
  g_assert_cmpint (sum.components, ==, 1);
}

/* A graph of one node and no edges, and one with only isolated nodes. */
static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  const gint64 labels[] = { 0, 1, 0 };

  for (guint n = 1; n <= 3; n += 2)
    {
      g_autofree char *path = write_npz (f, "empty.npz", labels, n, NULL, 0, PHILIA_DTYPE_INT64,
                                         n == 1 ? 0 : 6);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaStreamStats) stats = philia_stream_stats_compute (path, NULL, &error);
      PhiliaStreamSummary sum;

      g_assert_no_error (error);
      g_assert_cmpint (stats->rows, ==, 0);
      _philia_stream_stats_summary (stats, &sum);
      g_assert_cmpint (sum.components, ==, n);
      g_assert_cmpint (sum.isolated_nodes, ==, n);
      assert_matches_loaded (path, stats);
    }
}

/* Bytes of @path with the byte at @offset from the end of the edge
 * payload flipped, or the file cut there. */
static char *
damage (Fixture    *f,
        const char *path,
        const char *name,
        gsize       cut_from,
        gssize      flip_at)
{
  g_autofree char *contents = NULL;
  gsize len;
  g_autofree char *out = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  if (flip_at >= 0)
    contents[flip_at] ^= 0x5a;
  g_assert_true (g_file_set_contents (out, contents, MIN (len, cut_from), NULL));
  return g_steal_pointer (&out);
}

static void
test_broken (Fixture       *f,
             gconstpointer  data)
{
  gint64 rows[400];
  const gint64 labels[] = { 0, 1, 0, 1 };
  g_autofree char *stored = NULL, *deflated = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  for (guint i = 0; i < 200; i++)
    {
      rows[2 * i] = i % 3;
      rows[2 * i + 1] = 3;
    }
  stored = write_npz (f, "ok-s.npz", labels, 4, rows, 200, PHILIA_DTYPE_INT64, 0);
  deflated = write_npz (f, "ok-d.npz", labels, 4, rows, 200, PHILIA_DTYPE_INT64, 9);

  /* A flipped id in a stored member: past the ids' check only the CRC-32
   * catches it (a flip that makes an id out of range is caught first). */
  {
    g_autofree char *p = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(PhiliaStreamStats) stats = NULL;
    const char *needle = "\x03\x00\x00\x00\x00\x00\x00\x00\x01\x00";
    char *at;

    g_assert_true (g_file_get_contents (stored, &contents, &len, NULL));
    at = NULL;
    for (gsize i = 0; at == NULL && i + 10 <= len; i++)
      if (memcmp (contents + i, needle, 10) == 0)
        at = contents + i;
    g_assert_nonnull (at);
    /* Row (1, 3) becomes (0, 3): in range, so only the checksum knows. */
    p = damage (f, stored, "crc.npz", len, at - contents + 8);
    stats = philia_stream_stats_compute (p, NULL, &error);
    g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT);
    g_assert_nonnull (strstr (error->message, "edges.npy"));
    g_assert_nonnull (strstr (error->message, "CRC-32"));
    g_clear_pointer (&contents, g_free);
  }
  /* A deflated member flipped in the middle of its data. */
  {
    g_autofree char *p = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(PhiliaStreamStats) stats = NULL;
    g_autoptr(PhiliaNpz) npz = NULL;
    PhiliaNpzMemberInfo info;
    g_autoptr(GMappedFile) mapped = g_mapped_file_new (deflated, FALSE, NULL);
    g_autoptr(GBytes) bytes = g_mapped_file_get_bytes (mapped);
    gsize offset;

    npz = philia_npz_new_from_bytes (bytes, "ok-d.npz", &error);
    g_assert_no_error (error);
    g_assert_true (_philia_npz_get_member_info (npz, "edges", &info));
    offset = (gsize)(info.data - (const guint8 *)g_bytes_get_data (bytes, NULL));
    p = damage (f, deflated, "zlib.npz", G_MAXSIZE, (gssize)(offset + info.comp_size / 2));
    stats = philia_stream_stats_compute (p, NULL, &error);
    g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT);
    g_assert_nonnull (strstr (error->message, "edges.npy"));
  }
  /* A file cut short: the zip directory is gone. */
  {
    g_autofree char *p = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(PhiliaStreamStats) stats = NULL;

    p = damage (f, stored, "cut.npz", 300, -1);
    stats = philia_stream_stats_compute (p, NULL, &error);
    g_assert_null (stats);
    g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT);
    g_assert_nonnull (strstr (error->message, "cut.npz"));
  }
  /* A row out of range names the row. */
  {
    g_autofree char *p = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(PhiliaStreamStats) stats = NULL;

    rows[2 * 150 + 1] = 4;
    p = write_npz (f, "range.npz", labels, 4, rows, 200, PHILIA_DTYPE_INT64, 6);
    stats = philia_stream_stats_compute (p, NULL, &error);
    g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "row 150"));
  }
}

/* A member whose .npy header claims more rows than it holds. */
static void
test_short_member (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "short.npz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE, 0, NULL, NULL);
  g_autoptr(PhiliaZipWriter) writer = _philia_zip_writer_new (G_OUTPUT_STREAM (out), "short.npz");
  const gint64 labels[] = { 0, 1 };
  const gint64 rows[] = { 0, 1, 0, 1 };
  PhiliaArray lab = { PHILIA_DTYPE_INT64, 1, { 2 }, 2, (gpointer)labels, 8 };
  PhiliaArray claim = { PHILIA_DTYPE_INT64, 2, { 5, 2 }, 10, NULL, 8 };
  g_autoptr(GByteArray) head = _philia_npy_make_header (&claim);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaStreamStats) stats = NULL;

  g_assert_true (_philia_zip_writer_add_array (writer, "node_labels", &lab, 0, NULL, NULL));
  g_assert_true (_philia_zip_writer_add (writer, "edges.npy", head->data, head->len,
                                         (const guint8 *)rows, sizeof rows, 0, NULL, NULL));
  g_assert_true (_philia_zip_writer_finish (writer, NULL, NULL));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL));
  stats = philia_stream_stats_compute (path, NULL, &error);
  g_assert_null (stats);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "short.npz"));
  g_assert_nonnull (strstr (error->message, "edges.npy"));
}

/* The streamed CSBM: the default draw's labels, sorted distinct rows, and
 * the expected size and homophily. */
static void
test_generate_streamed (Fixture       *f,
                        gconstpointer  data)
{
  PhiliaCsbmParams params;
  g_autofree char *path = g_build_filename (f->dir, "csbm.npz", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaGraph) reference = NULL;
  g_autoptr(PhiliaStreamStats) stats = NULL;
  g_autoptr(PhiliaHomophily) h = NULL;
  gint64 m = 0;
  double expected;

  philia_csbm_params_init_default (&params);
  params.n_nodes = 4000;
  params.n_classes = 4;
  params.degree = 12;
  params.homophily = 0.7;
  params.n_features = 3;
  params.n_splits = 2;
  params.seed = 9;
  for (int level = 0; level <= 6; level += 6)
    {
      g_assert_true (philia_csbm_write_streamed (&params, path, level, &m, NULL, &error));
      g_assert_no_error (error);
      g_clear_object (&graph);
      graph = load (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (philia_graph_get_n_edges (graph), ==, m);
      g_assert_cmpint (philia_graph_get_sanity_report (graph)->duplicate_edges, ==, 0);
      g_assert_cmpint (philia_graph_get_sanity_report (graph)->self_loops, ==, 0);
      g_clear_pointer (&stats, _philia_stream_stats_free);
      stats = philia_stream_stats_compute (path, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (stats->sorted);
      assert_matches_loaded (path, stats);
    }
  /* A sum of independent pairs: within 5 standard deviations of n·d/2. */
  expected = params.n_nodes * params.degree / 2;
  g_assert_cmpfloat (fabs ((double)m - expected), <, 5 * sqrt (expected));
  h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 0, NULL, &error);
  g_assert_cmpfloat (fabs (h->edge_homophily - params.homophily), <, 0.02);

  params.n_nodes = 300;
  reference = philia_csbm_generate (&params, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (philia_csbm_write_streamed (&params, path, 6, &m, NULL, &error));
  g_clear_object (&graph);
  graph = load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (philia_graph_get_labels (graph), 300 * sizeof (gint32),
                   philia_graph_get_labels (reference), 300 * sizeof (gint32));
  g_assert_cmpmem (philia_graph_get_features (graph), 300 * 3 * sizeof (float),
                   philia_graph_get_features (reference), 300 * 3 * sizeof (float));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/stream-stats/matches-memory", test_matches_memory);
  ADD ("/stream-stats/slices", test_slices);
  ADD ("/stream-stats/unsorted", test_unsorted);
  ADD ("/stream-stats/empty", test_empty);
  ADD ("/stream-stats/broken", test_broken);
  ADD ("/stream-stats/short-member", test_short_member);
  ADD ("/stream-stats/generate-streamed", test_generate_streamed);
#undef ADD
  return g_test_run ();
}
