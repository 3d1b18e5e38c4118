/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <math.h>

#include "philia-graph-view.h"

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
  guint64 counted = 0;

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
    return max_edges;
  return (guint64)MIN (budget, 1e15);
}
