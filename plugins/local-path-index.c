/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Local path index (a proximity plugin).
 *
 * Lü, Jin & Zhou, "Similarity index based on local paths for link prediction
 * of complex networks", Phys. Rev. E 80, 046122 (2009):
 *
 *   LPI(u, v) = (A²)_uv + ε (A³)_uv,  ε = 0.01
 *
 * the number of walks of length 2 between u and v plus ε times those of
 * length 3. Like the built-in heuristics, (u, u) follows the formula
 * literally: (A²)_uu = d(u).
 *
 * Batched: pairs are grouped by u, the walk counts a = A² e_u are computed
 * once per distinct u in O(Σ_{w ∈ N(u)} d(w)), and each pair then costs
 * O(d(v)) since (A³)_uv = Σ_{w ∈ N(v)} (A²)_uw.
 */
#include <stdlib.h>

#include "philia-plugin.h"

/* Shipped with Philia: the name and description are in Philia's catalogue,
 * and the host reads them in the user's language; N_() only marks them. */
#ifndef N_
#define N_(String) (String)
#endif

#define LPI_EPSILON 0.01

typedef struct
{
  const gint64 *pairs;
} SortData;

static int
compare_sources (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const gint64 *pairs = ((SortData *)user_data)->pairs;
  gint64 ua = pairs[2 * *(const gsize *)a], ub = pairs[2 * *(const gsize *)b];

  return (ua > ub) - (ua < ub);
}

static gboolean
lpi_score_pairs (PhiliaGraph                 *graph,
                 const PhiliaProximityParams *params,
                 const gint64                *pairs,
                 gsize                        n_pairs,
                 double                      *out,
                 gpointer                     vtable_data,
                 GCancellable                *cancellable,
                 GError                     **error)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *offsets = philia_graph_get_row_offsets (graph);
  const gint32 *neighbors = philia_graph_get_neighbors (graph);
  g_autofree gsize *order = NULL;
  g_autofree double *a2 = NULL;
  g_autoptr(GArray) touched = NULL;
  SortData sort = { pairs };
  gint64 current = -1;

  for (gsize i = 0; i < 2 * n_pairs; i++)
    if (pairs[i] < 0 || pairs[i] >= (gint64)n)
      {
        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                     "Node %" G_GINT64_FORMAT " does not exist; the graph has %u nodes.",
                     pairs[i], n);
        return FALSE;
      }
  if (n_pairs == 0)
    return TRUE;

  order = g_new (gsize, n_pairs);
  for (gsize i = 0; i < n_pairs; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint)n_pairs, sizeof (gsize), compare_sources, &sort);

  a2 = g_new0 (double, n);
  touched = g_array_new (FALSE, FALSE, sizeof (gint32));
  for (gsize k = 0; k < n_pairs; k++)
    {
      gsize i = order[k];
      gint64 u = pairs[2 * i], v = pairs[2 * i + 1];
      double a3 = 0;

      if (u != current)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          for (guint t = 0; t < touched->len; t++)
            a2[g_array_index (touched, gint32, t)] = 0;
          g_array_set_size (touched, 0);
          for (gint64 e = offsets[u]; e < offsets[u + 1]; e++)
            {
              gint32 w = neighbors[e];

              for (gint64 f = offsets[w]; f < offsets[w + 1]; f++)
                {
                  gint32 x = neighbors[f];

                  if (a2[x] == 0)
                    g_array_append_val (touched, x);
                  a2[x] += 1;
                }
            }
          current = u;
        }
      for (gint64 e = offsets[v]; e < offsets[v + 1]; e++)
        a3 += a2[neighbors[e]];
      out[i] = a2[v] + LPI_EPSILON * a3;
    }
  return TRUE;
}

static const PhiliaProximityVTable vtable = { lpi_score_pairs };

gboolean
philia_plugin_register (PhiliaRegistry  *registry,
                        const char      *provider,
                        GError         **error)
{
  const PhiliaAlgorithm algorithm = {
    "lpi", PHILIA_FAMILY_PROXIMITY, N_ ("Local path index"),
    N_ ("Walks of length 2 plus 0.01 times walks of length 3 between u and v (Lü et al. "
        "2009)."),
    provider, &vtable, NULL,
  };

  return philia_registry_add (registry, &algorithm, error);
}
