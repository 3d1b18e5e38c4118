/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Aggregation homophily (a measure plugin).
 *
 * Luan, Hua, Lu, Zhu, Zhao, Zhang, Chang & Precup, "Revisiting Heterophily
 * for Graph Neural Networks", NeurIPS 2022, §3 (aggregation similarity):
 *
 *   S(Â, Y) = Â Y (Â Y)ᵀ,  Â = D̂⁻¹(A + I) (random-walk normalised, with self-loops)
 *   H_agg(G) = |{ v : mean_{u : y_u = y_v} S_vu ≥ mean_{u : y_u ≠ y_v} S_vu }| / |V|
 *
 * i.e. the share of nodes whose aggregated label distribution is at least as
 * similar, on average, to that of their own class as to that of the others.
 * The means run over all nodes u of the graph (u = v included in the first).
 * Philia's conventions (HACKING.md §5): unlabeled nodes have a zero row in Y,
 * are not counted in |V| and are left out of both means. Undefined (NaN)
 * with fewer than two labeled classes.
 *
 * S is n × n, but its class means factor: with Z = ÂY and M_c the mean row of
 * Z over class c, mean_{u : y_u = c} S_vu = Z_v · M_c. So the cost is O(m C).
 */
#include <math.h>

#include "philia-plugin.h"

/* Shipped with Philia: the name and description are in Philia's catalogue,
 * and the host reads them in the user's language; N_() only marks them. */
#ifndef N_
#define N_(String) (String)
#endif

static gboolean
aggregation_homophily (PhiliaGraph   *graph,
                       double        *out,
                       gpointer       vtable_data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  guint n = philia_graph_get_n_nodes (graph);
  guint c_count = philia_graph_get_n_classes (graph);
  const gint64 *offsets = philia_graph_get_row_offsets (graph);
  const gint32 *neighbors = philia_graph_get_neighbors (graph);
  const gint32 *y = philia_graph_get_labels (graph);
  g_autofree double *z = NULL, *sums = NULL, *total = NULL;
  g_autofree gint64 *size = NULL;
  gint64 n_labeled = 0, n_classes_present = 0, agree = 0;

  out[0] = NAN;
  if (n == 0 || y == NULL || c_count < 2)
    return TRUE;

  /* Z = D̂⁻¹(A + I) Y */
  z = g_new0 (double, (gsize)n * c_count);
  for (guint v = 0; v < n; v++)
    {
      double inv = 1.0 / (double)(offsets[v + 1] - offsets[v] + 1);

      if (y[v] >= 0)
        z[(gsize)v * c_count + y[v]] += inv;
      for (gint64 e = offsets[v]; e < offsets[v + 1]; e++)
        if (y[neighbors[e]] >= 0)
          z[(gsize)v * c_count + y[neighbors[e]]] += inv;
      if (v % 4096 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }

  /* Class sums of Z rows; M_c = sums_c / size_c. */
  sums = g_new0 (double, (gsize)c_count * c_count);
  total = g_new0 (double, c_count);
  size = g_new0 (gint64, c_count);
  for (guint v = 0; v < n; v++)
    if (y[v] >= 0)
      {
        size[y[v]]++;
        n_labeled++;
        for (guint k = 0; k < c_count; k++)
          sums[(gsize)y[v] * c_count + k] += z[(gsize)v * c_count + k];
      }
  for (guint c = 0; c < c_count; c++)
    {
      n_classes_present += size[c] > 0;
      for (guint k = 0; k < c_count; k++)
        total[k] += sums[(gsize)c * c_count + k];
    }
  if (n_classes_present < 2)
    return TRUE;

  for (guint v = 0; v < n; v++)
    {
      const double *zv = z + (gsize)v * c_count;
      double same = 0, other = 0, tolerance;
      gint64 n_same, n_other;

      if (y[v] < 0)
        continue;
      n_same = size[y[v]];
      n_other = n_labeled - n_same;
      for (guint k = 0; k < c_count; k++)
        {
          double s = sums[(gsize)y[v] * c_count + k];

          same += zv[k] * s;
          other += zv[k] * (total[k] - s);
        }
      same /= (double)n_same;
      other /= (double)n_other;
      /* The two means are sums of the same products in a different order:
       * a tie must not be decided by rounding. */
      tolerance = 1e-12 * MAX (1.0, MAX (fabs (same), fabs (other)));
      agree += same >= other - tolerance;
    }
  out[0] = (double)agree / (double)n_labeled;
  return TRUE;
}

static const PhiliaMeasureVTable vtable = { PHILIA_MEASURE_GRAPH, aggregation_homophily };

gboolean
philia_plugin_register (PhiliaRegistry  *registry,
                        const char      *provider,
                        GError         **error)
{
  const PhiliaAlgorithm algorithm = {
    "aggregation-homophily", PHILIA_FAMILY_MEASURE, N_ ("Aggregation homophily"),
    N_ ("Share of nodes whose mean-aggregated labels look more like their own class's than "
        "the others' (Luan et al. 2022)."),
    provider, &vtable, NULL,
  };

  return philia_registry_add (registry, &algorithm, error);
}
