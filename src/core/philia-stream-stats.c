/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>

#include "philia-import-private.h"
#include "philia-stream-stats.h"
#include "philia-zip-private.h"

/* Graph-level statistics with the edges streamed (philia-stream-stats.h). */

#define ROWS_PER_READ 65536

void
_philia_stream_stats_free (PhiliaStreamStats *stats)
{
  if (stats == NULL)
    return;
  g_clear_object (&stats->graph);
  g_clear_pointer (&stats->counts, philia_homophily_counts_free);
  g_free (stats->degree);
  g_free (stats->parent);
  g_free (stats);
}

static gint32
find_root (gint32 *parent,
           gint32  v)
{
  /* Path halving: every other node on the way points to its grandparent. */
  while (parent[v] != v)
    {
      parent[v] = parent[parent[v]];
      v = parent[v];
    }
  return v;
}

static void
unite (gint32 *parent,
       gint32  a,
       gint32  b)
{
  a = find_root (parent, a);
  b = find_root (parent, b);
  /* The smaller id becomes the root: any rule gives the same components. */
  if (a < b)
    parent[b] = a;
  else if (b < a)
    parent[a] = b;
}

void
_philia_stream_stats_unite (PhiliaStreamStats *stats,
                            const gint32      *other_parent)
{
  guint n = philia_graph_get_n_nodes (stats->graph);

  for (guint v = 0; v < n; v++)
    if (other_parent[v] != (gint32)v)
      unite (stats->parent, (gint32)v, other_parent[v]);
}

/**
 * _philia_stream_stats_new:
 * @npz_out: (out): the archive, which the counting reads
 *
 * Maps @path and reads everything but its edges. O(N) memory.
 */
PhiliaStreamStats *
_philia_stream_stats_new (const char  *path,
                          PhiliaNpz  **npz_out,
                          GError     **error)
{
  g_autoptr(PhiliaStreamStats) stats = g_new0 (PhiliaStreamStats, 1);
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PhiliaGraphBuilder) builder = NULL;
  g_autoptr(PhiliaNpz) npz = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display_name = g_filename_display_basename (path);
  PhiliaNpzMemberInfo info;
  guint n;

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, _ ("%s: cannot be read: %s."),
                   display_name, local_error->message);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  builder = _philia_npz_read_nodes (bytes, display_name, FALSE, FALSE, NULL, NULL, error);
  if (builder == NULL)
    return NULL;
  stats->graph = philia_graph_builder_build (builder, error);
  if (stats->graph == NULL)
    return NULL;
  npz = philia_npz_new_from_bytes (bytes, display_name, error);
  if (npz == NULL)
    return NULL;
  if (!_philia_npz_get_member_info (npz, "edges", &info))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s: the member “edges.npy” is missing."), display_name);
      return NULL;
    }
  stats->member_stored = info.method == METHOD_STORED;

  n = philia_graph_get_n_nodes (stats->graph);
  stats->sorted = TRUE;
  stats->degree = g_new0 (gint64, MAX (n, 1));
  stats->parent = g_new (gint32, MAX (n, 1));
  for (guint v = 0; v < n; v++)
    stats->parent[v] = (gint32)v;
  if (philia_graph_get_labels (stats->graph) != NULL)
    {
      stats->counts = philia_homophily_counts_new (stats->graph, error);
      if (stats->counts == NULL)
        return NULL;
    }
  *npz_out = g_steal_pointer (&npz);
  return g_steal_pointer (&stats);
}

/* One distinct pair, with how often each orientation came. */
static void
add_pair (PhiliaStreamStats *stats)
{
  gint32 a = (gint32)stats->run_u, b = (gint32)stats->run_v;
  gint64 f = stats->run_forward, r = stats->run_backward;

  stats->duplicate_edges += (f > 1 ? f - 1 : 0) + (r > 1 ? r - 1 : 0);
  stats->reciprocal_pairs += f > 0 && r > 0;
  stats->edges++;
  stats->degree[a]++;
  stats->degree[b]++;
  unite (stats->parent, a, b);
  if (stats->counts != NULL)
    {
      const gint32 *y = philia_graph_get_labels (stats->graph);
      gint32 ka = y[a], kb = y[b];
      guint c = stats->counts->n_classes;

      if (ka >= 0 && kb >= 0)
        {
          stats->counts->degree[a]++;
          stats->counts->degree[b]++;
          stats->counts->same[a] += ka == kb;
          stats->counts->same[b] += ka == kb;
          stats->counts->compatibility[(gsize)ka * c + kb]++;
          stats->counts->compatibility[(gsize)kb * c + ka]++;
        }
    }
  stats->have_run = FALSE;
}

gboolean
_philia_stream_check_row (const char  *display_name,
                          guint        n,
                          guint64      r,
                          gint64       u,
                          gint64       v,
                          GError     **error)
{
  if (u < 0 || v < 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: edge %" PRIu64 " (row %" PRIu64 ") points to node %" PRId64
                      ", but node ids start at 0."), display_name, r, r, MIN (u, v));
      return FALSE;
    }
  if (u >= n || v >= n)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: edge %" PRIu64 " (row %" PRIu64 ") points to node %" PRId64
                      ", but there are only %u nodes."), display_name, r, r, MAX (u, v), n);
      return FALSE;
    }
  return TRUE;
}

gboolean
_philia_stream_stats_count (PhiliaStreamStats  *stats,
                            PhiliaNpz          *npz,
                            gboolean            drop_pages,
                            guint64             first,
                            guint64             last,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_autoptr(PhiliaRowStream) s = NULL;
  g_autofree gint64 *rows = g_new (gint64, 2 * ROWS_PER_READ);
  const char *display_name = _philia_npz_get_display_name (npz);
  gint64 prev_a = -1, prev_b = -1;
  gboolean have_prev = FALSE, skipping = FALSE;
  guint64 r;

  s = _philia_row_stream_new (npz, "edges", drop_pages, error);
  if (s == NULL)
    return FALSE;
  g_return_val_if_fail (first <= last && last <= _philia_row_stream_get_n_rows (s), FALSE);
  if (first == last && first > 0)
    return TRUE;
  r = first > 0 ? first - 1 : 0;
  if (!_philia_row_stream_set_range (s, r, _philia_row_stream_get_n_rows (s), error))
    return FALSE;
  stats->have_run = FALSE;

  for (;;)
    {
      gssize got = _philia_row_stream_read (s, rows, ROWS_PER_READ, error);

      if (got < 0)
        return FALSE;
      if (got == 0)
        break;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      for (gssize i = 0; i < got; i++, r++)
        {
          gint64 u = rows[2 * i], v = rows[2 * i + 1];
          gint64 a = MIN (u, v), b = MAX (u, v);

          if (!_philia_stream_check_row (display_name, philia_graph_get_n_nodes (stats->graph),
                                         r, u, v, error))
            return FALSE;
          if (r + 1 == first)
            {
              /* The row before the range: only what the range continues. */
              prev_a = a;
              prev_b = b;
              have_prev = TRUE;
              skipping = a != b;
              continue;
            }
          if (r >= last)
            {
              /* Past the range: only rows that continue its last run. */
              if (stats->have_run && a == stats->run_u && b == stats->run_v && a != b)
                {
                  if (u < v)
                    stats->run_forward++;
                  else
                    stats->run_backward++;
                  continue;
                }
              goto done;
            }

          stats->rows++;
          if (have_prev && (a < prev_a || (a == prev_a && b < prev_b)))
            stats->sorted = FALSE;
          if (skipping && a == prev_a && b == prev_b)
            {
              /* The range before counts this row in its run. */
              prev_a = a;
              prev_b = b;
              continue;
            }
          skipping = FALSE;
          prev_a = a;
          prev_b = b;
          have_prev = TRUE;
          if (a == b)
            {
              stats->self_loops++;
              if (stats->have_run)
                add_pair (stats);
              continue;
            }
          if (stats->have_run && a == stats->run_u && b == stats->run_v)
            {
              if (u < v)
                stats->run_forward++;
              else
                stats->run_backward++;
              continue;
            }
          if (stats->have_run)
            add_pair (stats);
          stats->have_run = TRUE;
          stats->run_u = a;
          stats->run_v = b;
          stats->run_forward = u < v;
          stats->run_backward = u > v;
        }
    }
done:
  if (stats->have_run)
    add_pair (stats);
  return TRUE;
}

void
_philia_stream_stats_summary (PhiliaStreamStats   *stats,
                              PhiliaStreamSummary *summary)
{
  guint n = philia_graph_get_n_nodes (stats->graph);
  g_autofree gint32 *size = g_new0 (gint32, MAX (n, 1));
  double sum = 0.0, sum_sq = 0.0;

  memset (summary, 0, sizeof *summary);
  summary->min_degree = n > 0 ? G_MAXINT64 : 0;
  for (guint v = 0; v < n; v++)
    {
      gint64 d = stats->degree[v];
      guint bin = d > 0 ? (guint)g_bit_storage ((gulong)d) : 0;

      summary->isolated_nodes += d == 0;
      summary->min_degree = MIN (summary->min_degree, d);
      summary->max_degree = MAX (summary->max_degree, d);
      sum += (double)d;
      summary->degree_bins[bin]++;
      summary->n_degree_bins = MAX (summary->n_degree_bins, bin + 1);
      size[find_root (stats->parent, (gint32)v)]++;
    }
  for (guint v = 0; v < n; v++)
    if (size[v] > 0)
      {
        summary->components++;
        summary->largest_component = MAX (summary->largest_component, size[v]);
      }
  if (n > 0)
    {
      summary->mean_degree = sum / n;
      for (guint v = 0; v < n; v++)
        {
          double d = (double)stats->degree[v] - summary->mean_degree;

          sum_sq += d * d;
        }
      summary->degree_stddev = sqrt (sum_sq / n);
    }
  if (!stats->sorted)
    stats->duplicate_edges = stats->reciprocal_pairs = -1;
}

/**
 * philia_stream_stats_compute:
 *
 * Every row of @path's edge member counted in one pass, the member never
 * held: O(N) memory, O(E) time.
 */
PhiliaStreamStats *
philia_stream_stats_compute (const char    *path,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(PhiliaNpz) npz = NULL;
  g_autoptr(PhiliaStreamStats) stats = NULL;
  g_autoptr(PhiliaRowStream) s = NULL;
  guint64 n_rows;

  g_return_val_if_fail (path != NULL, NULL);

  stats = _philia_stream_stats_new (path, &npz, error);
  if (stats == NULL)
    return NULL;
  s = _philia_row_stream_new (npz, "edges", FALSE, error);
  if (s == NULL)
    return NULL;
  n_rows = _philia_row_stream_get_n_rows (s);
  g_clear_pointer (&s, _philia_row_stream_free);
  if (!_philia_stream_stats_count (stats, npz, TRUE, 0, n_rows, cancellable, error))
    return NULL;
  return g_steal_pointer (&stats);
}
