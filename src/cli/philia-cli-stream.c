/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#ifdef PHILIA_CLI_MPI
# include <mpi.h>
#endif

#include "philia-cli-mpi.h"
#include "philia-cli-stream.h"
#include "philia-stream-stats.h"

/*
 * philia-cli stats --stream: graph-level statistics with the edge list read
 * from disk in pieces and never held (philia-stream-stats.h says what is
 * exact). Under mpirun each rank counts one slice of the edge rows: a
 * stored (uncompressed) member is read from the slice's byte offset, so a
 * rank reads only its part of the file; a deflated member has no offsets,
 * so each rank inflates from the start up to the end of its slice and
 * counts only the slice. The counts are integers, summed exactly; the
 * union-find forests are united on rank 0.
 */

/* What loading the graph would take, by the measured ~48 bytes a row
 * (CSR, the rows as read and the build's buckets), against what the
 * machine has free now. */
static gboolean
would_not_fit (const char *path)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PhiliaNpz) npz = NULL;
  g_autoptr(PhiliaRowStream) s = NULL;
  long pages = sysconf (_SC_AVPHYS_PAGES), page = sysconf (_SC_PAGESIZE);

  if (!g_str_has_suffix (path, ".npz") || pages <= 0 || page <= 0)
    return FALSE;
  mapped = g_mapped_file_new (path, FALSE, NULL);
  if (mapped == NULL)
    return FALSE;
  bytes = g_mapped_file_get_bytes (mapped);
  npz = philia_npz_new_from_bytes (bytes, path, NULL);
  if (npz == NULL)
    return FALSE;
  s = _philia_row_stream_new (npz, "edges", FALSE, NULL);
  if (s == NULL)
    return FALSE;
  return (double)_philia_row_stream_get_n_rows (s) * 48.0 > (double)pages * (double)page;
}

/* Decided on rank 0 under MPI: ranks on other machines see other free
 * memory, and every rank must take the same path. */
gboolean
cli_stream_would_not_fit (const char *path)
{
  int answer = cli_mpi_is_root () ? would_not_fit (path) : 0;

#ifdef PHILIA_CLI_MPI
  if (cli_mpi_active ())
    MPI_Bcast (&answer, 1, MPI_INT, 0, MPI_COMM_WORLD);
#endif
  return answer != 0;
}

#ifdef PHILIA_CLI_MPI
static void
sum_int64 (gint64 *values,
           gsize   n)
{
  const gsize slice = 1 << 28;

  if (!cli_mpi_active ())
    return;
  for (gsize at = 0; at < n; at += slice)
    MPI_Allreduce (MPI_IN_PLACE, values + at, (int)MIN (slice, n - at), MPI_INT64_T, MPI_SUM,
                   MPI_COMM_WORLD);
}

/* Every rank's forest into rank 0's, rank after rank. */
static void
unite_forests (PhiliaStreamStats *stats)
{
  guint n = philia_graph_get_n_nodes (stats->graph);
  const gsize slice = 1 << 28;
  int rank = cli_mpi_rank (), size = cli_mpi_size ();

  if (rank == 0)
    {
      g_autofree gint32 *other = g_new (gint32, MAX (n, 1));

      for (int from = 1; from < size; from++)
        {
          for (gsize at = 0; at < n; at += slice)
            MPI_Recv (other + at, (int)MIN (slice, n - at), MPI_INT32_T, from, 1,
                      MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          _philia_stream_stats_unite (stats, other);
        }
    }
  else
    for (gsize at = 0; at < n; at += slice)
      MPI_Send (stats->parent + at, (int)MIN (slice, n - at), MPI_INT32_T, 0, 1, MPI_COMM_WORLD);
}
#endif

static PhiliaStreamStats *
count (const char  *path,
       GError     **error)
{
  g_autoptr(PhiliaNpz) npz = NULL;
  g_autoptr(PhiliaStreamStats) stats = NULL;
  g_autoptr(PhiliaRowStream) s = NULL;
  guint64 n_rows = 0, first, last;
  int rank = cli_mpi_rank (), size = cli_mpi_size ();

  stats = _philia_stream_stats_new (path, &npz, error);
  if (stats != NULL)
    s = _philia_row_stream_new (npz, "edges", FALSE, error);
  if (!cli_mpi_agree (error))
    return NULL;
  n_rows = _philia_row_stream_get_n_rows (s);
  g_clear_pointer (&s, _philia_row_stream_free);
  /* Rank r's slice: rows [E r / K, E (r + 1) / K). */
  first = (guint64)((double)n_rows * rank / size);
  last = rank + 1 == size ? n_rows : (guint64)((double)n_rows * (rank + 1) / size);
  _philia_stream_stats_count (stats, npz, TRUE, first, last, NULL, error);
  if (!cli_mpi_agree (error))
    return NULL;

#ifdef PHILIA_CLI_MPI
  if (cli_mpi_active ())
    {
      gint64 scalars[5] = { stats->rows, stats->self_loops, stats->edges,
                            stats->duplicate_edges, stats->reciprocal_pairs };
      int sorted = stats->sorted;
      guint n = philia_graph_get_n_nodes (stats->graph);

      sum_int64 (scalars, G_N_ELEMENTS (scalars));
      MPI_Allreduce (MPI_IN_PLACE, &sorted, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
      stats->rows = scalars[0];
      stats->self_loops = scalars[1];
      stats->edges = scalars[2];
      stats->duplicate_edges = scalars[3];
      stats->reciprocal_pairs = scalars[4];
      stats->sorted = sorted;
      sum_int64 (stats->degree, n);
      if (stats->counts != NULL)
        {
          sum_int64 (stats->counts->degree, n);
          sum_int64 (stats->counts->same, n);
          sum_int64 (stats->counts->compatibility,
                     (gsize)stats->counts->n_classes * stats->counts->n_classes);
        }
      unite_forests (stats);
    }
#endif
  return g_steal_pointer (&stats);
}

/* Reasons, for the measures a stream cannot give exactly. */
static const struct
{
  const char *key;
  const char *reason;
} unavailable[] = {
  { "triangles", N_ ("needs the neighbours of both ends of every edge at once") },
  { "clustering", N_ ("needs the neighbours of both ends of every edge at once") },
  { "feature_similarity_edges", N_ ("needs the features of both ends of every edge "
                                    "(N × F in memory); not streamed") },
  { "feature_similarity_random", N_ ("needs the features; not streamed") },
  { "plugin_measures", N_ ("plugins' measures take the whole graph") },
};

static void
degree_bin_label (char  *buf,
                  gsize  len,
                  guint  b)
{
  if (b == 0)
    g_snprintf (buf, len, "0");
  else if (b == 1)
    g_snprintf (buf, len, "1");
  else
    g_snprintf (buf, len, "%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT,
                (guint64)1 << (b - 1), ((guint64)1 << b) - 1);
}

static void
print_json_report (const char          *path,
                   PhiliaStreamStats   *stats,
                   PhiliaStreamSummary *sum,
                   PhiliaHomophily     *h,
                   const gint64        *histogram,
                   guint                bins)
{
  g_autoptr(PhiliaJson) json = philia_json_new ();
  guint n = philia_graph_get_n_nodes (stats->graph);

  philia_json_begin_object (json);
  philia_json_member_string (json, "file", path);
  philia_json_member_bool (json, "streamed", TRUE);
  philia_json_member_string (json, "edges_member", stats->member_stored ? "stored" : "deflated");
  philia_json_member_int (json, "nodes", n);
  philia_json_member_int (json, "input_edges", stats->rows);
  philia_json_member_bool (json, "rows_sorted", stats->sorted);
  philia_json_member_bool (json, "exact", stats->sorted);
  philia_json_member_int (json, "edges", stats->edges);
  philia_json_member_int (json, "self_loops", stats->self_loops);
  philia_json_key (json, "duplicate_edges");
  if (stats->sorted)
    philia_json_int (json, stats->duplicate_edges);
  else
    philia_json_null (json);
  philia_json_key (json, "reciprocal_pairs");
  if (stats->sorted)
    philia_json_int (json, stats->reciprocal_pairs);
  else
    philia_json_null (json);
  philia_json_member_int (json, "isolated_nodes", sum->isolated_nodes);
  philia_json_member_int (json, "components", sum->components);
  philia_json_member_int (json, "largest_component", sum->largest_component);
  philia_json_key (json, "degree");
  philia_json_begin_object (json);
  philia_json_member_int (json, "min", sum->min_degree);
  philia_json_member_int (json, "max", sum->max_degree);
  philia_json_member_double (json, "mean", sum->mean_degree);
  philia_json_member_double (json, "stddev", sum->degree_stddev);
  philia_json_key (json, "log2_histogram");
  philia_json_int_array (json, sum->degree_bins, sum->n_degree_bins);
  philia_json_end_object (json);
  if (h != NULL)
    {
      philia_json_member_int (json, "labeled", h->n_labeled);
      philia_json_member_int (json, "labeled_edge_ends", h->n_ends);
      philia_json_member_double (json, "edge_homophily", h->edge_homophily);
      philia_json_member_double (json, "node_homophily", h->node_homophily);
      philia_json_member_double (json, "class_homophily", h->class_homophily);
      philia_json_member_double (json, "adjusted_homophily", h->adjusted_homophily);
      philia_json_member_double (json, "label_informativeness", h->label_informativeness);
      philia_json_member_int (json, "classes", h->n_classes);
      cli_json_class_structure (json, h, histogram, bins);
    }
  philia_json_key (json, "unavailable");
  philia_json_begin_object (json);
  for (guint i = 0; i < G_N_ELEMENTS (unavailable); i++)
    philia_json_member_string (json, unavailable[i].key, _ (unavailable[i].reason));
  if (!stats->sorted)
    {
      philia_json_member_string (json, "duplicate_edges",
                                 _ ("the rows are not in (min, max) order, so repeated pairs "
                                    "cannot be found in one pass with O(N) memory"));
      philia_json_member_string (json, "reciprocal_pairs",
                                 _ ("the rows are not in (min, max) order"));
    }
  philia_json_end_object (json);
  philia_json_end_object (json);
  print_json (g_steal_pointer (&json));
}

static void
print_text_report (const char          *path,
                   PhiliaStreamStats   *stats,
                   PhiliaStreamSummary *sum,
                   PhiliaHomophily     *h,
                   const gint64        *histogram,
                   guint                bins)
{
  guint n = philia_graph_get_n_nodes (stats->graph);

  printf (_ ("%s (edges streamed, %s member): %u nodes, %" PRId64 " edge rows\n"),
          path, stats->member_stored ? _ ("stored") : _ ("deflated"), n, stats->rows);
  if (!stats->sorted)
    printf ("%s\n", _ ("  The rows are not in (min, max) order: repeated pairs cannot be found "
                       "in one pass, so every count below takes each stored row as an edge "
                       "(exact only if no pair repeats)."));
  cli_label (_ ("edges"), 37);
  printf ("%14" PRId64 "\n", (gint64)stats->edges);
  cli_label (_ ("self-loops"), 37);
  printf ("%14" PRId64 "\n", (gint64)stats->self_loops);
  if (stats->sorted)
    {
      cli_label (_ ("duplicate edges"), 37);
      printf ("%14" PRId64 "\n", (gint64)stats->duplicate_edges);
      cli_label (_ ("reciprocal pairs"), 37);
      printf ("%14" PRId64 "\n", (gint64)stats->reciprocal_pairs);
    }
  else
    {
      cli_label (_ ("duplicate edges"), 37);
      cli_right (_ ("unavailable"), 14);
      printf ("\n");
      cli_label (_ ("reciprocal pairs"), 37);
      cli_right (_ ("unavailable"), 14);
      printf ("\n");
    }
  cli_label (_ ("isolated nodes"), 37);
  printf ("%14" PRId64 "\n", (gint64)sum->isolated_nodes);
  cli_label (_ ("components"), 37);
  printf ("%14" PRId64 "\n", (gint64)sum->components);
  cli_label (_ ("largest component"), 37);
  printf ("%14" PRId64 "\n", (gint64)sum->largest_component);
  printf (_ ("  degree: min %" PRId64 ", max %" PRId64 ", mean %.6f, "
             "standard deviation %.6f\n"), sum->min_degree, sum->max_degree, sum->mean_degree,
          sum->degree_stddev);
  printf ("%s", _ ("  degree histogram:"));
  for (guint b = 0; b < sum->n_degree_bins; b++)
    {
      char label[64];

      degree_bin_label (label, sizeof label, b);
      printf (" %s: %" G_GINT64_FORMAT, label, sum->degree_bins[b]);
    }
  printf ("\n");
  if (h != NULL)
    {
      printf (_ ("  %u labeled, %" PRId64 " labeled edge ends\n"),
              (guint)h->n_labeled, h->n_ends);
      cli_label (_ ("edge homophily"), 37);
      printf ("%10.6f\n", h->edge_homophily);
      cli_label (_ ("node homophily"), 37);
      printf ("%10.6f\n", h->node_homophily);
      cli_label (_ ("class-insensitive homophily"), 37);
      printf ("%10.6f\n", h->class_homophily);
      cli_label (_ ("adjusted homophily"), 37);
      printf ("%10.6f\n", h->adjusted_homophily);
      cli_label (_ ("label informativeness"), 37);
      printf ("%10.6f\n", h->label_informativeness);
      printf ("  ");
      printf (ngettext ("local homophily histogram (%d bin):",
                        "local homophily histogram (%d bins):", bins), (int)bins);
      for (guint b = 0; b < bins; b++)
        printf (" %" PRId64, (gint64)histogram[b]);
      printf ("\n");
    }
  printf ("%s\n", _ ("  Not streamed:"));
  for (guint i = 0; i < G_N_ELEMENTS (unavailable); i++)
    printf ("    %s: %s\n", unavailable[i].key, _ (unavailable[i].reason));
}

int
cli_stats_stream (const char *path,
                  guint       bins)
{
  g_autoptr(PhiliaStreamStats) stats = NULL;
  g_autoptr(PhiliaHomophily) h = NULL;
  g_autofree gint64 *histogram = g_new0 (gint64, bins);
  PhiliaStreamSummary sum;
  GError *error = NULL;

  stats = count (path, &error);
  if (stats == NULL)
    return fail (error);
  if (!cli_mpi_is_root ())
    return EXIT_OK;

  _philia_stream_stats_summary (stats, &sum);
  if (stats->counts != NULL)
    {
      h = philia_homophily_from_counts (stats->graph, stats->counts, PHILIA_CONVENTION_DEFAULT);
      for (guint v = 0; v < h->n_nodes; v++)
        if (!isnan (h->local_homophily[v]))
          histogram[philia_stats_bin (h->local_homophily[v], bins)]++;
    }
  if (opt_json)
    print_json_report (path, stats, &sum, h, histogram, bins);
  else
    print_text_report (path, stats, &sum, h, histogram, bins);
  return EXIT_OK;
}
