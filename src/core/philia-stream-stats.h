/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-core.h"
#include "philia-homophily-parts.h"

G_BEGIN_DECLS

/*
 * Graph-level statistics of an .npz whose edges are not held in memory: the
 * edge member is read in pieces (philia-npz-stream.c) and every row is
 * counted as it passes, with O(N) memory (labels, degrees, the homophily
 * counts and a union-find forest). Not part of the plugin API.
 *
 * Exactness. One pass in O(N) memory cannot find a repeated row unless
 * equal rows are adjacent. When the rows, each taken as (min, max), come in
 * non-decreasing order (what Philia and `generate` write: each edge once,
 * u < v, sorted), repeats are adjacent and every count below is the simple
 * graph's, exactly what loading the file gives. Otherwise @sorted is FALSE:
 * duplicates and reciprocal pairs are unknown, and the degrees and the
 * homophily counts are those of the rows as stored (each row one edge, self-
 * loops left out), which equal the simple graph's only if the file holds no
 * repeated pair. Triangles and clustering need the neighbourhoods of both
 * ends of an edge at once: they are not streamed.
 */

typedef struct _PhiliaRowStream PhiliaRowStream;

PhiliaRowStream *_philia_row_stream_new        (PhiliaNpz        *npz,
                                                const char       *name,
                                                gboolean          drop_pages,
                                                GError          **error);
void             _philia_row_stream_free       (PhiliaRowStream  *stream);
guint64          _philia_row_stream_get_n_rows (PhiliaRowStream  *stream);
gboolean         _philia_row_stream_is_stored  (PhiliaRowStream  *stream);
gboolean         _philia_row_stream_set_range  (PhiliaRowStream  *stream,
                                                guint64           first,
                                                guint64           last,
                                                GError          **error);
gssize           _philia_row_stream_read       (PhiliaRowStream  *stream,
                                                gint64           *rows,
                                                gsize             max_rows,
                                                GError          **error);

/* Row @r (u, v) of a streamed edge member of @display_name names nodes of
 * a graph of @n nodes, or @error says which end is out of range. */
gboolean         _philia_stream_check_row      (const char       *display_name,
                                                guint             n,
                                                guint64           r,
                                                gint64            u,
                                                gint64            v,
                                                GError          **error);

/* The .npy header of member @name only: its rank and first two dimensions. */
gboolean         _philia_npz_member_shape      (PhiliaNpz        *npz,
                                                const char       *name,
                                                guint            *ndim,
                                                gint64            shape[2],
                                                GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaRowStream, _philia_row_stream_free)

/**
 * PhiliaStreamStats:
 * @graph: the nodes (labels, names, masks; no edges)
 * @member_stored: whether "edges.npy" is stored (read in place) or deflated
 * @rows: edge rows counted
 * @self_loops: rows (v, v)
 * @sorted: whether the rows came in (min, max) order; see above
 * @edges: distinct pairs (rows as stored, less self-loops, when not @sorted)
 * @duplicate_edges, @reciprocal_pairs: as PhiliaSanityReport; -1 unless @sorted
 * @degree: N degrees (see above)
 * @counts: the homophily counts (NULL when the graph has no labels)
 * @parent: the union-find forest, N entries
 */
typedef struct
{
  PhiliaGraph           *graph;
  gboolean               member_stored;
  gint64                 rows;
  gint64                 self_loops;
  gboolean               sorted;
  gint64                 edges;
  gint64                 duplicate_edges;
  gint64                 reciprocal_pairs;
  gint64                *degree;
  PhiliaHomophilyCounts *counts;
  gint32                *parent;

  /*< private >*/
  gint64                 run_u, run_v, run_forward, run_backward;
  gboolean               have_run;
} PhiliaStreamStats;

/* Summary figures derived from the counts. */
typedef struct
{
  gint64  isolated_nodes;
  gint64  components;
  gint64  largest_component;
  gint64  min_degree, max_degree;
  double  mean_degree, degree_stddev;
  /* Nodes whose degree d has floor(log2 d) = b - 1 in bin b; bin 0 is d = 0. */
  gint64  degree_bins[64];
  guint   n_degree_bins;
} PhiliaStreamSummary;

/* Maps @path, reads its nodes and opens its edge member (nothing is counted
 * yet). */
PhiliaStreamStats *_philia_stream_stats_new      (const char          *path,
                                                  PhiliaNpz          **npz_out,
                                                  GError             **error);
void               _philia_stream_stats_free     (PhiliaStreamStats   *stats);
/* Counts rows [@first, @last) of the edge member of @npz; @previous (or
 * NULL) is the row just before @first, which a run of equal pairs may
 * continue: the rows that continue it are left to the range before, and
 * the rows after @last that continue the range's last run are counted
 * here, so ranges that tile the member count every pair exactly once. */
gboolean           _philia_stream_stats_count    (PhiliaStreamStats   *stats,
                                                  PhiliaNpz           *npz,
                                                  gboolean             drop_pages,
                                                  guint64              first,
                                                  guint64              last,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
/* Unites @other's forest into @stats's (for counts made in pieces). */
void               _philia_stream_stats_unite    (PhiliaStreamStats   *stats,
                                                  const gint32        *other_parent);
void               _philia_stream_stats_summary  (PhiliaStreamStats   *stats,
                                                  PhiliaStreamSummary *summary);

/* The whole pass: open, count every row, done. */
PhiliaStreamStats *philia_stream_stats_compute   (const char          *path,
                                                  GCancellable        *cancellable,
                                                  GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaStreamStats, _philia_stream_stats_free)

G_END_DECLS
