/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <string.h>

#include "philia-graph-view-private.h"

/*
 * The edges of a sampled frame found from the sample, not by walking the
 * graph. A frame of a 10^6-node, 10^7-edge graph keeps about 2 · 10^5
 * edges, but finding them by running the Weyl sequence (EdgeSample) along
 * the CSR read all 2 · 10^7 entries, and counting the canonical edges for
 * the sequence's modulus read them once more: about half of the frame's
 * time, spent on edges it does not draw. The slots kept are 0 … keep − 1,
 * and slot r holds canonical edge r · step⁻¹ mod m, so the kept edges are
 * reached directly: the sequence run backwards (one addition an edge), and
 * the edge's row found by bisection in the number of canonical edges before
 * each row. Those counts are the graph's (graphs never change), computed
 * once and kept on it. The edges are the same ones the walk keeps, so the
 * frame is the same, pixel for pixel: coverage adds up and saturates,
 * which does not depend on the order the lines are drawn in.
 */

static GMutex rows_lock;

/* The canonical edges (u < v: the end of a sorted row) before each row; n + 1 of them. */
static const gint64 *
canonical_rows (PhiliaGraph *graph)
{
  static GQuark quark;
  const gint64 *off;
  const gint32 *nbr;
  gint64 *before;
  guint n;

  g_mutex_lock (&rows_lock);
  if (quark == 0)
    quark = g_quark_from_static_string ("philia-render-canonical-rows");
  before = g_object_get_qdata (G_OBJECT (graph), quark);
  if (before != NULL)
    {
      g_mutex_unlock (&rows_lock);
      return before;
    }
  n = philia_graph_get_n_nodes (graph);
  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  before = g_new (gint64, (gsize)n + 1);
  before[0] = 0;
  for (guint u = 0; u < n; u++)
    {
      /* Rows are sorted: the first entry above u, by bisection. */
      gint64 lo = off[u], hi = off[u + 1];

      while (lo < hi)
        {
          gint64 mid = lo + (hi - lo) / 2;

          if (nbr[mid] > (gint32)u)
            hi = mid;
          else
            lo = mid + 1;
        }
      before[u + 1] = before[u] + (off[u + 1] - lo);
    }
  g_object_set_qdata_full (G_OBJECT (graph), quark, before, g_free);
  g_mutex_unlock (&rows_lock);
  return before;
}

/* The canonical edges @view's graph draws: every edge but self-loops. */
guint64
_philia_graph_view_canonical_edges (const PhiliaGraphView *view)
{
  guint n = philia_graph_get_n_nodes (view->graph);

  return (guint64)canonical_rows (view->graph)[n];
}

/* x⁻¹ mod m for x coprime to m (extended Euclid). */
static guint64
inverse_mod (guint64 x,
             guint64 m)
{
  gint64 r0 = (gint64)m, r1 = (gint64)(x % m), s0 = 0, s1 = 1;

  while (r1 != 0)
    {
      gint64 q = r0 / r1, t;

      t = r0 - q * r1, r0 = r1, r1 = t;
      t = s0 - q * s1, s0 = s1, s1 = t;
    }
  return (guint64)(s0 < 0 ? s0 + (gint64)m : s0);
}

/* The kept canonical edge numbers, ascending, each with its slot: the
 * sequence run backwards, then a counting sort by range (about one number
 * a range), so that rows are found in one forward sweep instead of a
 * bisection each, which missed the cache at nearly every step. @number and
 * @rank take @keep entries. */
static void
kept_ascending (PhiliaFrameScratch *scratch,
                guint64             keep,
                guint64             m,
                guint64             step,
                guint64            *number,
                guint64            *rank)
{
  guint64 inv = inverse_mod (step, m), i = 0;
  guint64 width = m / keep + 1, n_ranges = m / width + 1;
  guint64 *slot = _philia_frame_scratch_take (scratch, SCRATCH_SORT_SLOT, keep * sizeof (guint64));
  guint64 *start = _philia_frame_scratch_take (scratch, SCRATCH_SORT_START,
                                               (n_ranges + 1) * sizeof (guint64));

  memset (start, 0, (n_ranges + 1) * sizeof (guint64));
  for (guint64 r = 0; r < keep; r++)
    {
      slot[r] = i;
      start[i / width + 1]++;
      i += inv;
      if (i >= m)
        i -= m;
    }
  for (guint64 b = 0; b < n_ranges; b++)
    start[b + 1] += start[b];
  for (guint64 r = 0; r < keep; r++)
    {
      guint64 at = start[slot[r] / width]++;

      number[at] = slot[r];
      rank[at] = r;
    }
  /* Each range is now in place but for its own order: insertion sort, over
   * runs of about one. */
  for (guint64 r = 1; r < keep; r++)
    {
      guint64 x = number[r], y = rank[r], k = r;

      for (; k > 0 && number[k - 1] > x; k--)
        number[k] = number[k - 1], rank[k] = rank[k - 1];
      number[k] = x, rank[k] = y;
    }
  _philia_frame_scratch_give (scratch, slot);
  _philia_frame_scratch_give (scratch, start);
}

/* Fills @kept with the first @keep slots' edges, in CSR order. */
static void
kept_fill (const PhiliaGraphView *view,
           PhiliaFrameScratch    *scratch,
           guint64                keep,
           guint64                m,
           guint64                step,
           KeptEdges             *kept)
{
  const gint64 *off = philia_graph_get_row_offsets (view->graph);
  const gint32 *nbr = philia_graph_get_neighbors (view->graph);
  const gint64 *before = canonical_rows (view->graph);
  guint64 *number = _philia_frame_scratch_take (scratch, SCRATCH_SORT_NUMBER,
                                                keep * sizeof (guint64));
  guint u = 0;

  /* The ranks land in kept->slots directly: same order as the numbers. */
  kept_ascending (scratch, keep, m, step, number, kept->slots);
  for (guint64 r = 0; r < keep; r++)
    {
      gint64 i = (gint64)number[r];

      /* The row u with before[u] ≤ i < before[u + 1]. */
      while (before[u + 1] <= i)
        u++;
      kept->pairs[2 * r] = u;
      kept->pairs[2 * r + 1] = (guint32)nbr[off[u + 1] - (before[u + 1] - i)];
    }
  kept->n = keep;
  _philia_frame_scratch_give (scratch, number);
}

/* Headroom of the kept edges a scratch keeps over what a frame asks for:
 * the budget of a panned frame moves with the visible lengths. */
#define KEPT_HEADROOM 1.25

/**
 * _philia_graph_view_sample_edges:
 * @scratch: (nullable): where the kept edges of the last frame are kept
 * @kept: (out): the edges, a superset of the sample's when @scratch held
 *   them from an earlier frame: draw those whose slot is below
 *   @sample->keep
 *
 * The edges @sample keeps, as (u, v) pairs with u < v, in CSR order: the
 * ones edge_sample_next() keeps along the CSR. Clear @kept with
 * _philia_graph_view_kept_edges_clear().
 *
 * Returns: %FALSE when @sample keeps every edge (then walk the CSR)
 */
gboolean
_philia_graph_view_sample_edges (const PhiliaGraphView *view,
                                 PhiliaFrameScratch    *scratch,
                                 const EdgeSample      *sample,
                                 KeptEdges             *kept)
{
  guint n = philia_graph_get_n_nodes (view->graph);
  g_autoptr(PhiliaGraph) held = NULL;
  guint64 keep;

  *kept = (KeptEdges) { 0 };
  if (sample->keep >= sample->m)
    return FALSE;
  g_return_val_if_fail ((guint64)canonical_rows (view->graph)[n] == sample->m, FALSE);
  if (scratch == NULL)
    {
      kept->pairs = g_new (guint32, 2 * MAX (sample->keep, 1));
      kept->slots = g_new (guint64, MAX (sample->keep, 1));
      kept->owned = TRUE;
      kept_fill (view, NULL, sample->keep, sample->m, sample->step, kept);
      return TRUE;
    }

  /* The last frame's edges serve when they hold every slot below keep and
   * not more than twice as many as it needs. */
  held = g_weak_ref_get (&scratch->kept_graph);
  if (held == view->graph && scratch->kept_m == sample->m && scratch->kept_step == sample->step
      && scratch->kept_keep >= sample->keep && scratch->kept_keep <= 2 * sample->keep)
    {
      *kept = scratch->kept;
      kept->owned = FALSE;
      return TRUE;
    }
  keep = MIN (sample->m, (guint64)(sample->keep * KEPT_HEADROOM) + 1);
  if (scratch->kept_capacity < keep)
    {
      g_free (scratch->kept.pairs);
      g_free (scratch->kept.slots);
      scratch->kept.pairs = g_new (guint32, 2 * keep);
      scratch->kept.slots = g_new (guint64, keep);
      scratch->kept_capacity = keep;
      scratch->allocations++;
    }
  kept_fill (view, scratch, keep, sample->m, sample->step, &scratch->kept);
  g_weak_ref_set (&scratch->kept_graph, view->graph);
  scratch->kept_m = sample->m;
  scratch->kept_step = sample->step;
  scratch->kept_keep = keep;
  *kept = scratch->kept;
  kept->owned = FALSE;
  return TRUE;
}

void
_philia_graph_view_kept_edges_clear (KeptEdges *kept)
{
  if (kept->owned)
    {
      g_free (kept->pairs);
      g_free (kept->slots);
    }
  *kept = (KeptEdges) { 0 };
}
