/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-graph-view-private.h"

/*
 * How many edges a screen frame needs. Past a few lines over each pixel the
 * frame's edge mask is saturated, and more lines only cost time, in
 * proportion to their drawn length: a budget of one edge per pixel drew
 * about 150 lines over each pixel of a 10^6-node graph's first placement,
 * whose edges run across the whole drawing. So the budget is also bounded
 * by the drawn length: the edges whose visible lengths add up to a given
 * number of lines over each pixel, the mean visible length estimated on a
 * systematic sample of the edges (edges outside the view count as length
 * 0, so zooming in raises the budget by itself).
 *
 * A pan keeps its budget. The estimate moves a little with every pan, and
 * a frame whose budget moved draws other edges, so it could not paint the
 * edge masks the last frame kept (philia-graph-raster.c). So a view with a
 * scratch that differs from the last one measured only by its offsets, by
 * less than its width and height, gets the last budget: the same graph,
 * the same sampled positions (hashed as they are read), zoom, size and
 * bounds. Past that, or after a zoom or a layout step, it is measured again.
 */

#define LENGTH_SAMPLE 4096

/* The length of the segment inside [0, w] × [0, h] (Liang–Barsky). */
static double
visible_length (double x0,
                double y0,
                double x1,
                double y1,
                double w,
                double h)
{
  double dx = x1 - x0, dy = y1 - y0, t0 = 0, t1 = 1;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { x0, w - x0, y0, h - y0 };

  for (int k = 0; k < 4; k++)
    {
      if (p[k] == 0)
        {
          if (q[k] < 0)
            return 0;
          continue;
        }
      if (p[k] < 0)
        t0 = MAX (t0, q[k] / p[k]);
      else
        t1 = MIN (t1, q[k] / p[k]);
    }
  return t1 > t0 ? (t1 - t0) * sqrt (dx * dx + dy * dy) : 0;
}

/**
 * philia_graph_view_edge_budget:
 * @view: the view of the frame (positions set)
 * @width: the frame's width in drawing units
 * @height: its height
 * @crossings: how many lines should cross each pixel, on average
 * @max_edges: the budget by count (0: no bound)
 *
 * The edges a sampled frame of @view needs so that their visible lengths
 * add up to @crossings lines over each of the @width × @height pixels,
 * estimated on an even spread of at most 4096 of the stored edge entries,
 * and no more than @max_edges.
 *
 * Returns: the budget for philia_graph_view_draw_sampled(); @max_edges
 *   when there is nothing to measure (no edges, no positions, no length)
 */
guint64
philia_graph_view_edge_budget (const PhiliaGraphView *view,
                               double                 width,
                               double                 height,
                               double                 crossings,
                               guint64                max_edges)
{
  const gint64 *off;
  const gint32 *nbr;
  const double *p;
  guint n, u = 0;
  gint64 entries, step;
  double sum = 0, budget;
  guint64 counted = 0, hash = 1;
  PhiliaFrameScratch *scratch;
  guint64 result;

  g_return_val_if_fail (view != NULL && PHILIA_IS_GRAPH (view->graph), max_edges);

  n = philia_graph_get_n_nodes (view->graph);
  off = philia_graph_get_row_offsets (view->graph);
  nbr = philia_graph_get_neighbors (view->graph);
  p = view->positions;
  entries = n > 0 ? off[n] : 0;
  if (p == NULL || entries == 0 || !(width > 0 && height > 0 && crossings > 0))
    return max_edges;

  /* Every step-th entry: the rows are walked once, in order. */
  step = MAX (1, entries / LENGTH_SAMPLE);
  for (gint64 e = 0; e < entries; e += step)
    {
      guint v;

      while (off[u + 1] <= e)
        u++;
      v = (guint)nbr[e];
      if (v == u)
        continue;   /* self-loops are not drawn */
      {
        guint64 w[4];

        memcpy (w, p + 2 * u, 2 * sizeof (double));
        memcpy (w + 2, p + 2 * (gsize)v, 2 * sizeof (double));
        for (int l = 0; l < 4; l++)
          hash = (hash ^ w[l]) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) + l;
      }
      sum += visible_length (p[2 * u] * view->scale + view->offset_x,
                             p[2 * u + 1] * view->scale + view->offset_y,
                             p[2 * v] * view->scale + view->offset_x,
                             p[2 * v + 1] * view->scale + view->offset_y, width, height);
      counted++;
    }
  if (counted == 0 || !(sum > 0))
    return max_edges;
  budget = ceil (crossings * width * height / (sum / counted));
  if (max_edges != 0 && budget >= (double)max_edges)
    result = max_edges;
  else
    result = (guint64)MIN (budget, 1e15);

  /* The last budget, if this view is a pan of the one it was measured for. */
  scratch = _philia_frame_scratch_lock (view);
  if (scratch != NULL)
    {
      g_autoptr(PhiliaGraph) graph = g_weak_ref_get (&scratch->budget_graph);

      if (scratch->budget_valid && graph == view->graph && scratch->budget_hash == hash
          && scratch->budget_scale == view->scale && scratch->budget_width == width
          && scratch->budget_height == height && scratch->budget_crossings == crossings
          && scratch->budget_max_edges == max_edges
          && fabs (view->offset_x - scratch->budget_offset_x) <= width
          && fabs (view->offset_y - scratch->budget_offset_y) <= height)
        result = scratch->budget;
      else
        {
          g_weak_ref_set (&scratch->budget_graph, view->graph);
          scratch->budget_valid = TRUE;
          scratch->budget_hash = hash;
          scratch->budget_scale = view->scale;
          scratch->budget_width = width;
          scratch->budget_height = height;
          scratch->budget_crossings = crossings;
          scratch->budget_max_edges = max_edges;
          scratch->budget_offset_x = view->offset_x;
          scratch->budget_offset_y = view->offset_y;
          scratch->budget = result;
        }
      _philia_frame_scratch_unlock (scratch);
    }
  return result;
}

/*
 * The view a user fits a large graph to: the bulk of the nodes, not its
 * few extremes. A layout of 10^5–10^6 nodes leaves a handful of nodes (small
 * components, nodes of degree one) far outside the rest, and fitting every
 * one shrank the drawing to a blot in the middle of the canvas. Past
 * ROBUST_MIN_NODES nodes, each axis is bounded by the 0.5th and 99.5th
 * percentiles (of an even spread of at most ROBUST_SAMPLE nodes) grown by a
 * quarter of their span on each side; the whole extent is used where it
 * lies within that, so a graph without outliers is fitted exactly as
 * philia_graph_view_fit() fits it. Exports keep fitting every node.
 */
#define ROBUST_MIN_NODES 1000
#define ROBUST_SAMPLE    65536
#define ROBUST_TAIL      0.005
#define ROBUST_GROW      0.25

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* [lo, hi] of axis @axis: the extent, cut to the grown percentile box. */
static void
robust_extent (const double *p,
               guint         n,
               int           axis,
               double       *lo,
               double       *hi)
{
  guint step = MAX (1u, n / ROBUST_SAMPLE), k = 0;
  g_autofree double *sample = g_new (double, n / step + 1);
  double q0, q1, span;

  *lo = G_MAXDOUBLE, *hi = -G_MAXDOUBLE;
  for (guint v = 0; v < n; v++)
    {
      *lo = MIN (*lo, p[2 * v + axis]);
      *hi = MAX (*hi, p[2 * v + axis]);
    }
  for (guint v = 0; v < n; v += step)
    if (isfinite (p[2 * v + axis]))
      sample[k++] = p[2 * v + axis];
  if (k == 0)
    return;
  qsort (sample, k, sizeof (double), compare_doubles);
  q0 = sample[(guint)(ROBUST_TAIL * (k - 1))];
  q1 = sample[(guint)ceil ((1 - ROBUST_TAIL) * (k - 1))];
  span = q1 - q0;
  *lo = MAX (*lo, q0 - ROBUST_GROW * span);
  *hi = MIN (*hi, q1 + ROBUST_GROW * span);
}

/**
 * philia_graph_view_fit_robust:
 *
 * philia_graph_view_fit() for the screen: fits the bulk of the nodes of a
 * graph of 1,000 nodes or more to @width × @height, leaving out the few
 * that lie far beyond the rest; smaller graphs, and graphs without such
 * nodes, are fitted whole.
 */
void
philia_graph_view_fit_robust (PhiliaGraphView *view,
                              double           width,
                              double           height,
                              double           margin)
{
  guint n;
  double x0, x1, y0, y1, sx, sy;

  g_return_if_fail (view != NULL && PHILIA_IS_GRAPH (view->graph));

  n = philia_graph_get_n_nodes (view->graph);
  if (n < ROBUST_MIN_NODES || view->positions == NULL)
    {
      philia_graph_view_fit (view, width, height, margin);
      return;
    }
  robust_extent (view->positions, n, 0, &x0, &x1);
  robust_extent (view->positions, n, 1, &y0, &y1);
  if (!(x1 - x0 >= 1e-12 && y1 - y0 >= 1e-12))
    {
      philia_graph_view_fit (view, width, height, margin);
      return;
    }
  /* As philia_graph_view_fit() does with the whole extent. */
  sx = MAX (1.0, width - 2 * margin) / (x1 - x0);
  sy = MAX (1.0, height - 2 * margin) / (y1 - y0);
  view->scale = MIN (sx, sy);
  view->offset_x = width / 2 - view->scale * (x0 + x1) / 2;
  view->offset_y = height / 2 - view->scale * (y0 + y1) / 2;
}
