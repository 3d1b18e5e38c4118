/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The training's CSR features made from a graph that keeps its features as
 * CSR (philia-graph-features-private.h): no dense n × F matrix is made on
 * the way, and the result has the bits _philia_prepare_features () gives
 * from the dense matrix. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-graph-features-private.h"
#include "philia-train-private.h"

gboolean
_philia_prepare_kept_sparse_features (PhiliaGraph   *graph,
                                      gboolean       normalize,
                                      PhiliaSparse **sparse_x)
{
  const gint64 *xo;
  const gint32 *xc;
  const float *xv;
  guint n = philia_graph_get_n_nodes (graph), f = philia_graph_get_n_features (graph);
  gint64 *off;
  gint32 *col;
  float *val;
  gint64 k = 0;

  if (!_philia_graph_get_sparse_features (graph, &xo, &xc, &xv))
    return FALSE;
  /* Room for every stored entry: -0.0 and values normalised to zero are
   * dropped below, as the dense path drops them. */
  off = g_new (gint64, (gsize)n + 1);
  col = g_new (gint32, MAX (xo[n], 1));
  val = g_new (float, MAX (xo[n], 1));
  for (guint i = 0; i < n; i++)
    {
      double sum = 0;

      /* The dense path sums the whole row in column order; the zeros it
       * adds leave a double sum unchanged. */
      for (gint64 e = xo[i]; e < xo[i + 1]; e++)
        sum += xv[e];
      off[i] = k;
      for (gint64 e = xo[i]; e < xo[i + 1]; e++)
        if (xv[e] != 0)
          {
            float v = normalize && sum != 0 ? (float)(xv[e] / sum) : xv[e];

            if (v == 0)
              continue;
            col[k] = xc[e];
            val[k++] = v;
          }
    }
  off[n] = k;
  *sparse_x = philia_sparse_new (n, f, off, col, val);
  return TRUE;
}
