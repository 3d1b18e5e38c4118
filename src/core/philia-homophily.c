/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>

#include "philia-core.h"
#include "philia-homophily-parts.h"

/* Edge ends grouped by target: ends of v are sources[offsets[v] .. offsets[v+1]). */
typedef struct
{
  const gint64 *offsets;
  const gint32 *sources;
  gint64       *owned_offsets;
  gint32       *owned_sources;
} Ends;

static void
ends_clear (Ends *ends)
{
  g_clear_pointer (&ends->owned_offsets, g_free);
  g_clear_pointer (&ends->owned_sources, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Ends, ends_clear)

/* Builds the ends for a non-default convention with a counting sort by target. */
static void
ends_build (Ends             *ends,
            PhiliaGraph      *graph,
            PhiliaConvention  convention)
{
  guint n = philia_graph_get_n_nodes (graph);
  gboolean loops = (convention & PHILIA_CONVENTION_KEEP_SELF_LOOPS) != 0;
  gint64 n_rows, total = 0;
  const gint32 *rows = philia_graph_get_input_rows (graph, &n_rows);
  const gint64 *csr_off = philia_graph_get_row_offsets (graph);
  const gint32 *csr_nbr = philia_graph_get_neighbors (graph);
  g_autofree gint64 *fill = NULL;
  g_autofree guint8 *has_loop = NULL;

  ends->owned_offsets = g_new0 (gint64, (gsize)n + 1);

  if (convention & PHILIA_CONVENTION_DIRECTED)
    {
      /* Rows as stored: u → v makes u a neighbour of v; duplicates count. */
      for (gint64 r = 0; r < n_rows; r++)
        if (loops || rows[2 * r] != rows[2 * r + 1])
          ends->owned_offsets[rows[2 * r + 1] + 1]++;
      for (guint v = 0; v < n; v++)
        ends->owned_offsets[v + 1] += ends->owned_offsets[v];
      total = ends->owned_offsets[n];
      ends->owned_sources = g_new (gint32, MAX (total, 1));
      fill = g_memdup2 (ends->owned_offsets, sizeof (gint64) * n);
      for (gint64 r = 0; r < n_rows; r++)
        if (loops || rows[2 * r] != rows[2 * r + 1])
          ends->owned_sources[fill[rows[2 * r + 1]]++] = rows[2 * r];
    }
  else
    {
      /* The simple undirected graph plus one loop end per node with a self-loop. */
      has_loop = g_new0 (guint8, MAX (n, 1));
      for (gint64 r = 0; r < n_rows; r++)
        if (rows[2 * r] == rows[2 * r + 1])
          has_loop[rows[2 * r]] = 1;
      for (guint v = 0; v < n; v++)
        ends->owned_offsets[v + 1] = ends->owned_offsets[v]
                                     + (csr_off[v + 1] - csr_off[v]) + has_loop[v];
      total = ends->owned_offsets[n];
      ends->owned_sources = g_new (gint32, MAX (total, 1));
      for (guint v = 0; v < n; v++)
        {
          gint64 at = ends->owned_offsets[v];

          for (gint64 e = csr_off[v]; e < csr_off[v + 1]; e++)
            ends->owned_sources[at++] = csr_nbr[e];
          if (has_loop[v])
            ends->owned_sources[at++] = (gint32)v;
        }
    }

  ends->offsets = ends->owned_offsets;
  ends->sources = ends->owned_sources;
}

static double
entropy_term (double p)
{
  return p > 0 ? p * log (p) : 0.0;
}

/* Cosine similarity with the zero-vector convention of the datasets README: 0. */
static double
cosine (const float *x,
        guint        f,
        guint        a,
        guint        b,
        const double *norms)
{
  const float *xa = x + (gsize)a * f;
  const float *xb = x + (gsize)b * f;
  double dot = 0.0;

  if (norms[a] == 0.0 || norms[b] == 0.0)
    return 0.0;
  for (guint j = 0; j < f; j++)
    dot += (double)xa[j] * xb[j];
  return dot / (norms[a] * norms[b]);
}

double *
philia_feature_norms (PhiliaGraph *graph)
{
  guint n, f;
  const float *x;
  double *norms;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);

  n = philia_graph_get_n_nodes (graph);
  f = philia_graph_get_n_features (graph);
  x = philia_graph_get_features (graph);
  if (f == 0 || x == NULL || n == 0)
    return NULL;
  norms = g_new (double, n);
  for (guint v = 0; v < n; v++)
    {
      double s = 0.0;

      for (guint j = 0; j < f; j++)
        s += (double)x[(gsize)v * f + j] * x[(gsize)v * f + j];
      norms[v] = sqrt (s);
    }
  return norms;
}

double
philia_feature_cosine (PhiliaGraph  *graph,
                       const double *norms,
                       guint         a,
                       guint         b)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (graph) && norms != NULL, NAN);

  return cosine (philia_graph_get_features (graph), philia_graph_get_n_features (graph), a, b,
                 norms);
}

double
philia_feature_similarity_random (PhiliaGraph  *graph,
                                  const double *norms,
                                  guint64       seed,
                                  gint64       *n_pairs)
{
  guint n = philia_graph_get_n_nodes (graph);
  guint f = philia_graph_get_n_features (graph);
  const float *x = philia_graph_get_features (graph);
  g_autoptr(GRand) rand = NULL;
  double sum = 0.0;

  *n_pairs = 0;
  if (norms == NULL || n < 2)
    return NAN;

  /* As many uniformly drawn pairs of distinct nodes as there are edges, at
   * least 10,000 and at most 1,000,000, from a seeded generator. */
  *n_pairs = CLAMP (philia_graph_get_n_edges (graph), 10000, 1000000);
  rand = g_rand_new_with_seed_array ((const guint32[]) { (guint32)seed, (guint32)(seed >> 32) },
                                     2);
  for (gint64 i = 0; i < *n_pairs; i++)
    {
      guint a = g_rand_int_range (rand, 0, n);
      guint b = g_rand_int_range (rand, 0, n - 1);

      if (b >= a)
        b++;
      sum += cosine (x, f, a, b, norms);
    }
  return sum / *n_pairs;
}

gboolean
philia_feature_similarity (PhiliaGraph *graph,
                           guint64      seed,
                           double      *edges,
                           double      *random_pairs,
                           gint64      *n_random_pairs)
{
  guint n, f;
  const float *x;
  const gint64 *off;
  const gint32 *nbr;
  g_autofree double *norms = NULL;
  double sum = 0.0;
  gint64 count = 0, drawn = 0;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), FALSE);

  n = philia_graph_get_n_nodes (graph);
  f = philia_graph_get_n_features (graph);
  x = philia_graph_get_features (graph);
  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  norms = philia_feature_norms (graph);
  if (edges != NULL)
    *edges = NAN;
  if (random_pairs != NULL)
    *random_pairs = NAN;
  if (n_random_pairs != NULL)
    *n_random_pairs = 0;
  if (norms == NULL)
    return FALSE;

  /* Each undirected edge once, in node order (philia-cli under MPI sums
   * them in this order too). */
  for (guint v = 0; v < n; v++)
    for (gint64 e = off[v]; e < off[v + 1]; e++)
      if (nbr[e] > (gint32)v)
        {
          sum += cosine (x, f, v, nbr[e], norms);
          count++;
        }
  if (edges != NULL && count > 0)
    *edges = sum / count;

  if (random_pairs != NULL)
    *random_pairs = philia_feature_similarity_random (graph, norms, seed, &drawn);
  if (n_random_pairs != NULL)
    *n_random_pairs = drawn;
  return TRUE;
}

PhiliaHomophilyCounts *
philia_homophily_counts_new (PhiliaGraph  *graph,
                             GError      **error)
{
  PhiliaHomophilyCounts *counts;
  guint n, c;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);

  n = philia_graph_get_n_nodes (graph);
  c = philia_graph_get_n_classes (graph);

  /* One label of 65535 in a file of a few bytes would ask for two dense
   * 65536 × 65536 tables (64 GiB); sparse class ids are renumbered by whoever
   * wrote them far more cheaply than they are stored. */
  if (c > PHILIA_HOMOPHILY_MAX_CLASSES)
    {
      const gint64 *sizes = philia_graph_get_class_sizes (graph);
      const char *source = philia_graph_get_source (graph);
      guint used = 0;

      for (guint k = 0; k < c; k++)
        used += sizes[k] > 0;
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   _ ("%s: the class ids go up to %u, but the homophily measures compare "
                      "classes pairwise for at most %u classes (%u of the %u class ids have "
                      "nodes; number the classes from 0 without gaps)."),
                   source != NULL ? source : "the graph", c - 1, PHILIA_HOMOPHILY_MAX_CLASSES,
                   used, c);
      return NULL;
    }

  counts = g_new0 (PhiliaHomophilyCounts, 1);
  counts->n_nodes = n;
  counts->n_classes = c;
  counts->degree = g_new0 (gint64, MAX (n, 1));
  counts->same = g_new0 (gint64, MAX (n, 1));
  counts->compatibility = g_new0 (gint64, MAX ((gsize)c * c, 1));
  return counts;
}

void
philia_homophily_counts_free (PhiliaHomophilyCounts *counts)
{
  if (counts == NULL)
    return;
  g_free (counts->degree);
  g_free (counts->same);
  g_free (counts->compatibility);
  g_free (counts);
}

gboolean
philia_homophily_counts_add_nodes (PhiliaHomophilyCounts *counts,
                                   PhiliaGraph           *graph,
                                   PhiliaConvention       convention,
                                   guint                  first,
                                   guint                  last,
                                   GCancellable          *cancellable,
                                   GError               **error)
{
  g_auto(Ends) ends = { 0 };
  const gint32 *y;
  guint c;

  g_return_val_if_fail (counts != NULL && PHILIA_IS_GRAPH (graph), FALSE);
  g_return_val_if_fail (counts->n_nodes == philia_graph_get_n_nodes (graph), FALSE);
  g_return_val_if_fail (first <= last && last <= counts->n_nodes, FALSE);

  c = counts->n_classes;
  y = philia_graph_get_labels (graph);
  if (convention == PHILIA_CONVENTION_DEFAULT)
    {
      ends.offsets = philia_graph_get_row_offsets (graph);
      ends.sources = philia_graph_get_neighbors (graph);
    }
  else
    ends_build (&ends, graph, convention);

  /* Per target, its labeled and same-label ends. */
  for (guint v = first; v < last; v++)
    {
      gint32 k = y[v];

      if (((v - first) & 0xffff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (k < 0)
        continue;
      for (gint64 e = ends.offsets[v]; e < ends.offsets[v + 1]; e++)
        {
          gint32 l = y[ends.sources[e]];

          if (l < 0)
            continue;
          counts->degree[v]++;
          counts->same[v] += (l == k);
          counts->compatibility[(gsize)k * c + l]++;
        }
    }
  return TRUE;
}

PhiliaHomophily *
philia_homophily_from_counts (PhiliaGraph                 *graph,
                              const PhiliaHomophilyCounts *counts,
                              PhiliaConvention             convention)
{
  g_autoptr(PhiliaHomophily) h = NULL;
  const gint32 *y;
  guint n, c;
  gint64 same_total = 0, n_local = 0;
  double local_sum = 0.0;
  g_autofree gint64 *source_count = NULL;
  g_autofree gint64 *local_count = NULL;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph) && counts != NULL, NULL);
  g_return_val_if_fail (counts->n_nodes == philia_graph_get_n_nodes (graph), NULL);

  n = counts->n_nodes;
  c = counts->n_classes;
  y = philia_graph_get_labels (graph);

  h = g_new0 (PhiliaHomophily, 1);
  h->convention = convention;
  h->n_classes = c;
  h->n_nodes = n;
  h->class_degree = g_new0 (gint64, MAX (c, 1));
  h->class_size = g_new0 (gint64, MAX (c, 1));
  h->class_h = g_new (double, MAX (c, 1));
  h->class_mean_local = g_new0 (double, MAX (c, 1));
  h->compatibility_counts = g_memdup2 (counts->compatibility,
                                       sizeof (gint64) * MAX ((gsize)c * c, 1));
  h->compatibility = g_new (double, MAX ((gsize)c * c, 1));
  h->local_homophily = g_new (double, MAX (n, 1));
  h->feature_similarity_edges = NAN;
  h->feature_similarity_random = NAN;
  source_count = g_new0 (gint64, MAX (c, 1));
  local_count = g_new0 (gint64, MAX (c, 1));

  /* Every end has a labeled source: a column of the table counts them. */
  for (guint k = 0; k < c; k++)
    for (guint l = 0; l < c; l++)
      source_count[l] += h->compatibility_counts[(gsize)k * c + l];

  for (guint v = 0; v < n; v++)
    {
      gint32 k = y[v];
      gint64 deg = counts->degree[v], same = counts->same[v];

      h->local_homophily[v] = NAN;
      if (k < 0)
        continue;
      h->n_labeled++;
      h->class_size[k]++;
      h->class_degree[k] += deg;
      h->n_ends += deg;
      same_total += same;
      if (deg > 0)
        {
          h->local_homophily[v] = (double)same / deg;
          local_sum += h->local_homophily[v];
          n_local++;
          h->class_mean_local[k] += h->local_homophily[v];
          local_count[k]++;
        }
    }

  h->edge_homophily = h->n_ends > 0 ? (double)same_total / h->n_ends : NAN;
  h->node_homophily = n_local > 0 ? local_sum / n_local : NAN;

  /* Per class, LINKX, adjusted homophily and label informativeness. */
  {
    double linkx = 0.0, expected = 0.0, joint_entropy = 0.0, h_target = 0.0, h_source = 0.0;
    double total = (double)h->n_ends;

    for (guint k = 0; k < c; k++)
      {
        gint64 same_k = h->compatibility_counts[(gsize)k * c + k];

        h->class_h[k] = h->class_degree[k] > 0 ? (double)same_k / h->class_degree[k] : NAN;
        h->class_mean_local[k] = local_count[k] > 0 ? h->class_mean_local[k] / local_count[k]
                                                    : NAN;
        if (h->class_degree[k] > 0 && h->n_labeled > 0)
          linkx += MAX (0.0, h->class_h[k] - (double)h->class_size[k] / h->n_labeled);
        for (guint l = 0; l < c; l++)
          {
            gsize i = (gsize)k * c + l;

            h->compatibility[i] = h->class_degree[k] > 0
                                  ? (double)h->compatibility_counts[i] / h->class_degree[k]
                                  : NAN;
            if (total > 0)
              joint_entropy += entropy_term (h->compatibility_counts[i] / total);
          }
        if (total > 0)
          {
            /* Target marginal D_k, source marginal: equal when the ends are symmetric. */
            expected += (h->class_degree[k] / total) * (source_count[k] / total);
            h_target += entropy_term (h->class_degree[k] / total);
            h_source += entropy_term (source_count[k] / total);
          }
      }

    h->class_homophily = c > 1 && h->n_labeled > 0 ? linkx / (c - 1) : NAN;
    h->adjusted_homophily = total > 0 && expected < 1.0
                            ? (h->edge_homophily - expected) / (1.0 - expected) : NAN;
    /* I(y_u; y_v) = H(y_u) + H(y_v) − H(y_u, y_v); the sums above are −H. */
    h->label_informativeness = total > 0 && h_source < 0.0
                               ? (-h_source - h_target + joint_entropy) / -h_source : NAN;
  }

  return g_steal_pointer (&h);
}

PhiliaHomophily *
philia_homophily_compute (PhiliaGraph       *graph,
                          PhiliaConvention   convention,
                          guint64            seed,
                          GCancellable      *cancellable,
                          GError           **error)
{
  g_autoptr(PhiliaHomophilyCounts) counts = NULL;
  PhiliaHomophily *h;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);

  counts = philia_homophily_counts_new (graph, error);
  if (counts == NULL)
    return NULL;
  if (!philia_homophily_counts_add_nodes (counts, graph, convention, 0, counts->n_nodes,
                                          cancellable, error))
    return NULL;
  h = philia_homophily_from_counts (graph, counts, convention);
  philia_feature_similarity (graph, seed, &h->feature_similarity_edges,
                             &h->feature_similarity_random, &h->n_random_pairs);
  return h;
}

double *
philia_local_homophily (PhiliaGraph *graph)
{
  const gint64 *off;
  const gint32 *nbr;
  const gint32 *y;
  double *local;
  guint n;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);

  n = philia_graph_get_n_nodes (graph);
  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  y = philia_graph_get_labels (graph);
  local = g_new (double, MAX (n, 1));
  for (guint v = 0; v < n; v++)
    {
      gint64 deg = 0, same = 0;

      for (gint64 e = off[v]; y[v] >= 0 && e < off[v + 1]; e++)
        if (y[nbr[e]] >= 0)
          {
            deg++;
            same += y[nbr[e]] == y[v];
          }
      local[v] = deg > 0 ? (double)same / deg : NAN;
    }
  return local;
}

/**
 * philia_local_homophily_chance:
 * @n_classes: (out): C, the length of the result
 *
 * What chance gives the local homophily of a node of each class, in the
 * default convention: D_k / Σ_l D_l, the share of labelled edge ends that
 * belong to class k. Under a degree-preserving random rewiring (the
 * configuration model, the null model of adjusted homophily) a neighbour's
 * end is drawn with probability proportional to degree, so a class-k node
 * expects that share of its labelled neighbours in its own class. Class
 * sizes |k| / n would ignore that hubs collect more ends; 1 / C would also
 * ignore the class mix. O(n + m).
 *
 * Returns: (transfer full): C values (NaN for all when no edge joins two
 *   labelled nodes), or %NULL when the graph has no classes
 */
double *
philia_local_homophily_chance (PhiliaGraph *graph,
                               guint       *n_classes)
{
  const gint64 *off;
  const gint32 *nbr;
  const gint32 *y;
  g_autofree gint64 *ends = NULL;
  gint64 total = 0;
  double *chance;
  guint n, c;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (n_classes != NULL, NULL);

  n = philia_graph_get_n_nodes (graph);
  c = philia_graph_get_n_classes (graph);
  *n_classes = c;
  if (c == 0)
    return NULL;
  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  y = philia_graph_get_labels (graph);
  ends = g_new0 (gint64, c);
  for (guint v = 0; v < n; v++)
    for (gint64 e = off[v]; y[v] >= 0 && e < off[v + 1]; e++)
      if (y[nbr[e]] >= 0)
        {
          ends[y[v]]++;
          total++;
        }
  chance = g_new (double, c);
  for (guint k = 0; k < c; k++)
    chance[k] = total > 0 ? (double)ends[k] / total : NAN;
  return chance;
}

void
philia_homophily_free (PhiliaHomophily *h)
{
  if (h == NULL)
    return;
  g_free (h->class_degree);
  g_free (h->class_size);
  g_free (h->class_h);
  g_free (h->class_mean_local);
  g_free (h->compatibility_counts);
  g_free (h->compatibility);
  g_free (h->local_homophily);
  g_free (h);
}
