/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include <math.h>

#include "philia-core.h"
#include "philia-generate-private.h"

void
philia_csbm_params_init_default (PhiliaCsbmParams *params)
{
  g_return_if_fail (params != NULL);

  *params = (PhiliaCsbmParams) {
    .n_nodes = 2000,
    .n_classes = 5,
    .degree = 10.0,
    .homophily = 0.5,
    .n_features = 32,
    .signal = 1.0,
    .heterophilous_fraction = 0.0,
    .heterophilous_homophily = 0.1,
    .n_splits = 10,
    .seed = 0,
    .class_proportions = { 0 },
  };
}

static GRand *
rand_new (guint64 seed,
          guint32 stream)
{
  const guint32 words[3] = { (guint32)seed, (guint32)(seed >> 32), stream };

  return g_rand_new_with_seed_array (words, 3);
}

static double
gaussian (GRand *rand)
{
  /* Box–Muller; 1 − u keeps the log argument in (0, 1]. */
  double u = 1.0 - g_rand_double (rand);
  double v = g_rand_double (rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

static void
shuffle (GRand  *rand,
         gint32 *items,
         guint   n)
{
  for (guint i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      gint32 t = items[i - 1];

      items[i - 1] = items[j];
      items[j] = t;
    }
}

typedef struct
{
  /* members[region][class]: node ids; region 0 homophilous, 1 heterophilous */
  GArray *members[2][64];
  guint   region_size[2];
} Regions;

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

/* With the probability h of u's region, a node of u's class in that region;
 * otherwise a node of another class of the region, a class in proportion to
 * its size. Returns -1 when the region has no such node. */
static gint32
draw_partner (GRand                  *rand,
              const Regions          *regions,
              const PhiliaCsbmParams *params,
              const guint8           *region,
              const gint64           *labels,
              gint32                  u)
{
  guint r = region[u], k = labels[u], l;
  double h = r == 0 ? params->homophily : params->heterophilous_homophily;
  GArray *pool;

  if (g_rand_double (rand) < h)
    l = k;
  else
    {
      guint others = regions->region_size[r] - regions->members[r][k]->len;
      guint pick;

      if (others == 0)
        return -1;
      pick = g_rand_int_range (rand, 0, others);
      for (l = 0; l < params->n_classes; l++)
        {
          guint size = l == k ? 0 : regions->members[r][l]->len;

          if (pick < size)
            break;
          pick -= size;
        }
    }
  pool = regions->members[r][l];
  if (pool->len == 0)
    return -1;
  return g_array_index (pool, gint32, g_rand_int_range (rand, 0, pool->len));
}

static gboolean
has_proportions (const PhiliaCsbmParams *p)
{
  for (guint k = 0; k < PHILIA_CSBM_MAX_CLASSES; k++)
    if (p->class_proportions[k] != 0)
      return TRUE;
  return FALSE;
}

/* Nodes per class: the floors of n·p_k, then the rest to the largest
 * remainders (the lower class on a tie), so the counts add up to n. */
static void
class_counts (const PhiliaCsbmParams *p,
              guint                  *counts)
{
  double total = 0, remainder[PHILIA_CSBM_MAX_CLASSES];
  guint given = 0;

  for (guint k = 0; k < p->n_classes; k++)
    total += p->class_proportions[k];
  for (guint k = 0; k < p->n_classes; k++)
    {
      double quota = p->n_nodes * p->class_proportions[k] / total;

      counts[k] = (guint)floor (quota + 1e-9);
      remainder[k] = MAX (quota - counts[k], 0);
      given += counts[k];
    }
  while (given < p->n_nodes)
    {
      guint best = 0;

      for (guint k = 1; k < p->n_classes; k++)
        if (remainder[k] > remainder[best])
          best = k;
      counts[best]++;
      remainder[best] = -1;
      given++;
    }
  while (given > p->n_nodes)
    for (guint k = 0; k < p->n_classes && given > p->n_nodes; k++)
      if (counts[k] > 1)
        {
          counts[k]--;
          given--;
        }
}

static gboolean
check_proportions (const PhiliaCsbmParams  *p,
                   const char             **bad)
{
  guint counts[PHILIA_CSBM_MAX_CLASSES];

  if (!has_proportions (p))
    return TRUE;
  for (guint k = 0; k < PHILIA_CSBM_MAX_CLASSES; k++)
    if (k < p->n_classes ? !(p->class_proportions[k] > 0 && p->class_proportions[k] < 1e6)
                         : p->class_proportions[k] != 0)
      {
        *bad = "--class-proportions needs one positive share per class";
        return FALSE;
      }
  class_counts (p, counts);
  for (guint k = 0; k < p->n_classes; k++)
    if (counts[k] == 0)
      {
        *bad = "--class-proportions leaves a class without nodes; use more nodes or a larger "
               "share";
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_params (const PhiliaCsbmParams  *p,
              GError                 **error)
{
  const char *bad = NULL;

  if (p->n_nodes < 2 || p->n_nodes > 50000000)
    bad = "--nodes must be between 2 and 50,000,000";
  else if (p->n_classes < 1 || p->n_classes > PHILIA_CSBM_MAX_CLASSES
           || p->n_classes > p->n_nodes)
    bad = "--classes must be between 1 and 64, and at most the number of nodes";
  else if (!check_proportions (p, &bad))
    ;
  else if (!(p->degree > 0) || p->degree > p->n_nodes - 1)
    bad = "--degree must be positive and below the number of nodes";
  else if (!(p->homophily >= 0 && p->homophily <= 1))
    bad = "--homophily must be between 0 and 1";
  else if (!(p->heterophilous_fraction >= 0 && p->heterophilous_fraction <= 1))
    bad = "--heterophilous-fraction must be between 0 and 1";
  else if (!(p->heterophilous_homophily >= 0 && p->heterophilous_homophily <= 1))
    bad = "--heterophilous-homophily must be between 0 and 1";
  else if (!(p->signal >= 0 && p->signal < 1e6))
    bad = "--signal must be a non-negative number";
  else if (p->n_features > 100000)
    bad = "--features must be at most 100,000";
  else if (p->n_classes == 1 && (p->homophily < 1
                                 || (p->heterophilous_fraction > 0
                                     && p->heterophilous_homophily < 1)))
    bad = "with one class every edge is homophilous: use --homophily 1 or more classes";
  else if ((double)p->n_nodes * p->n_features > 2e9)
    bad = "--nodes × --features is too large for memory";

  if (bad != NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION, _ ("CSBM: %s."), bad);
      return FALSE;
    }
  return TRUE;
}

/**
 * philia_csbm_generate:
 *
 * Edges: pick an endpoint u uniformly; with the probability h of u's region
 * pick v uniformly among u's class in that region, else among the other
 * classes of the region (a class in proportion to its size); redraw self-loops
 * and repeats. So each edge is homophilous with probability h exactly, and
 * the realised edge homophily concentrates at h as m grows.
 */
/* Labels: balanced (or in the given proportions), then shuffled; regions: a
 * seeded random subset. Returns the generator, which the edges go on with. */
GRand *
_philia_csbm_draw_labels (const PhiliaCsbmParams *params,
                          gint64                 *labels,
                          guint8                 *region)
{
  guint n = params->n_nodes, c = params->n_classes;
  GRand *rand = rand_new (params->seed, 1);
  g_autofree gint32 *order = g_new (gint32, n);

  for (guint i = 0; i < n; i++)
    order[i] = (gint32)i;
  shuffle (rand, order, n);
  if (has_proportions (params))
    {
      guint counts[PHILIA_CSBM_MAX_CLASSES], i = 0;

      class_counts (params, counts);
      for (guint k = 0; k < c; k++)
        for (guint j = 0; j < counts[k]; j++)
          labels[order[i++]] = k;
    }
  else
    for (guint i = 0; i < n; i++)
      labels[order[i]] = i % c;
  shuffle (rand, order, n);
  for (guint i = 0; i < (guint)llround (params->heterophilous_fraction * n); i++)
    region[order[i]] = 1;
  return rand;
}

/* Features: class means at pairwise distance `signal`, unit Gaussian noise. */
float *
_philia_csbm_features (const PhiliaCsbmParams *params,
                       const gint64           *labels)
{
  guint n = params->n_nodes, c = params->n_classes, f = params->n_features;
  g_autofree double *means = g_new0 (double, (gsize)c * f);
  g_autoptr(GRand) frand = rand_new (params->seed, 2);
  float *x = g_new (float, MAX ((gsize)n * f, 1));

  if (f >= c)
    for (guint k = 0; k < c; k++)
      means[(gsize)k * f + k] = params->signal / G_SQRT2;
  else
    for (guint k = 0; k < c; k++)
      {
        /* Fewer dimensions than classes: random directions of the same norm. */
        double norm = 0;

        for (guint j = 0; j < f; j++)
          {
            double z = gaussian (frand);

            means[(gsize)k * f + j] = z;
            norm += z * z;
          }
        for (guint j = 0; j < f; j++)
          means[(gsize)k * f + j] *= params->signal / G_SQRT2 / sqrt (MAX (norm, 1e-300));
      }
  for (guint v = 0; v < n; v++)
    for (guint j = 0; j < f; j++)
      x[(gsize)v * f + j] = (float)(means[(gsize)labels[v] * f + j] + gaussian (frand));
  return x;
}

/* @n_splits random 60/20/20 splits: masks[0..2] get train, val and test. */
void
_philia_csbm_masks (const PhiliaCsbmParams *params,
                    guint8                 *masks[3])
{
  guint s = params->n_splits, n = params->n_nodes;
  g_autoptr(GRand) srand = rand_new (params->seed, 3);
  g_autofree gint32 *order = g_new (gint32, MAX (n, 1));

  for (guint p = 0; p < 3; p++)
    masks[p] = g_new0 (guint8, MAX ((gsize)s * n, 1));
  for (guint i = 0; i < s; i++)
    {
      for (guint v = 0; v < n; v++)
        order[v] = (gint32)v;
      shuffle (srand, order, n);
      for (guint v = 0; v < n; v++)
        {
          guint part = v < n * 0.6 ? 0 : v < n * 0.8 ? 1 : 2;

          masks[part][(gsize)i * n + order[v]] = 1;
        }
    }
}

gboolean
_philia_csbm_check_params (const PhiliaCsbmParams  *params,
                           GError                 **error)
{
  return check_params (params, error);
}

PhiliaGraph *
philia_csbm_generate (const PhiliaCsbmParams  *params,
                      GCancellable            *cancellable,
                      GError                 **error)
{
  g_autoptr(PhiliaGraphBuilder) builder = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autofree guint8 *region = NULL;
  g_autofree gint64 *labels = NULL;
  g_autofree gint64 *packed = NULL;
  Regions regions = { 0 };
  guint n, c;
  gint64 m_target, m = 0, attempts = 0, max_attempts;
  guint stalled = 0;
  gint64 *pairs = NULL;
  PhiliaGraph *graph = NULL;

  g_return_val_if_fail (params != NULL, NULL);

  if (!check_params (params, error))
    return NULL;

  n = params->n_nodes;
  c = params->n_classes;
  m_target = (gint64)llround (n * params->degree / 2.0);

  labels = g_new (gint64, n);
  region = g_new0 (guint8, n);
  rand = _philia_csbm_draw_labels (params, labels, region);
  for (guint r = 0; r < 2; r++)
    for (guint k = 0; k < c; k++)
      regions.members[r][k] = g_array_new (FALSE, FALSE, sizeof (gint32));
  for (guint v = 0; v < n; v++)
    {
      gint32 id = (gint32)v;

      g_array_append_val (regions.members[region[v]][labels[v]], id);
      regions.region_size[region[v]]++;
    }

  builder = philia_graph_builder_new (n);
  packed = g_new (gint64, MAX (m_target, 1));
  max_attempts = 50 * m_target + 1000;

  /* Rounds: draw the missing edges, then sort and drop repeats, until n·d/2
   * distinct edges are in (or the draws stop finding new ones). */
  while (m < m_target && attempts < max_attempts && stalled < 64)
    {
      gint64 len = m, before = m;

      while (len < m_target && attempts < max_attempts)
        {
          gint32 u = g_rand_int_range (rand, 0, n);
          gint32 v = draw_partner (rand, &regions, params, region, labels, u);

          attempts++;
          if (v >= 0 && v != u)
            packed[len++] = (gint64)MIN (u, v) << 32 | MAX (u, v);
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      qsort (packed, len, sizeof (gint64), compare_gint64);
      m = 0;
      for (gint64 i = 0; i < len; i++)
        if (m == 0 || packed[i] != packed[m - 1])
          packed[m++] = packed[i];
      stalled = m == before ? stalled + 1 : 0;
    }

  if (m < m_target)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("CSBM: only %" PRId64 " of %" PRId64 " distinct edges "
                      "could be drawn; lower --degree or use more nodes per class and region."),
                   m, m_target);
      goto out;
    }

  if (params->n_features > 0)
    philia_graph_builder_take_features (builder, _philia_csbm_features (params, labels),
                                        params->n_features);

  if (params->n_splits > 0)
    {
      guint8 *masks[3];

      _philia_csbm_masks (params, masks);
      philia_graph_builder_take_masks (builder, params->n_splits, masks[0], masks[1], masks[2]);
    }

  pairs = g_new (gint64, 2 * MAX (m, 1));
  for (gint64 i = 0; i < m; i++)
    {
      pairs[2 * i] = packed[i] >> 32;
      pairs[2 * i + 1] = packed[i] & 0xffffffff;
    }
  g_clear_pointer (&packed, g_free);
  philia_graph_builder_take_edges (builder, g_steal_pointer (&pairs), m);
  philia_graph_builder_take_labels (builder, g_steal_pointer (&labels));
  {
    /* The source names the graph by what made it, e.g. in the window title. */
    g_autofree char *name = NULL;
    char h[G_ASCII_DTOSTR_BUF_SIZE], d[G_ASCII_DTOSTR_BUF_SIZE];

    g_ascii_formatd (h, sizeof h, "%.2f", params->homophily);
    g_ascii_formatd (d, sizeof d, "%g", params->degree);
    if (params->heterophilous_fraction > 0)
      {
        char f[G_ASCII_DTOSTR_BUF_SIZE], h2[G_ASCII_DTOSTR_BUF_SIZE];

        g_ascii_formatd (f, sizeof f, "%.0f", params->heterophilous_fraction * 100);
        g_ascii_formatd (h2, sizeof h2, "%.2f", params->heterophilous_homophily);
        name = g_strdup_printf ("CSBM n=%u C=%u d=%s h=%s, %s%% at h=%s", params->n_nodes,
                                params->n_classes, d, h, f, h2);
      }
    else
      name = g_strdup_printf ("CSBM n=%u C=%u d=%s h=%s", params->n_nodes, params->n_classes, d,
                              h);
    if (has_proportions (params))
      {
        /* "CSBM n=2000 C=2 d=10 h=0.50, classes 1600/400" */
        guint counts[PHILIA_CSBM_MAX_CLASSES];
        GString *text = g_string_new (name);

        class_counts (params, counts);
        g_string_append (text, ", classes ");
        for (guint k = 0; k < c; k++)
          g_string_append_printf (text, k > 0 ? "/%u" : "%u", counts[k]);
        g_free (name);
        name = g_string_free (text, FALSE);
      }
    philia_graph_builder_set_source (builder, name, "generated");
  }
  graph = philia_graph_builder_build (builder, error);

out:
  g_free (pairs);
  for (guint r = 0; r < 2; r++)
    for (guint k = 0; k < c; k++)
      g_array_unref (regions.members[r][k]);
  return graph;
}

static PhiliaGraph *
lattice_generate (guint     rows,
                  guint     cols,
                  gboolean  road,
                  guint64   seed,
                  GError  **error)
{
  g_autoptr(PhiliaGraphBuilder) builder = NULL;
  g_autoptr(GRand) rand = NULL;

  if (rows == 0 || cols == 0 || (guint64)rows * cols > G_MAXINT32)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("A %s needs 1 to %d nodes (rows × cols), not %" PRIu64 "."),
                   road ? "mesh" : "grid", G_MAXINT32, (guint64)rows * cols);
      return NULL;
    }
  rand = g_rand_new_with_seed_array ((const guint32[]){ (guint32)seed, (guint32)(seed >> 32) },
                                     2);
  builder = philia_graph_builder_new (rows * cols);
  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < cols; c++)
      {
        gint64 v = (gint64)r * cols + c;

        if (c + 1 < cols && (!road || g_rand_double (rand) < 0.85))
          philia_graph_builder_add_edge (builder, v, v + 1);
        if (r + 1 < rows && (!road || g_rand_double (rand) < 0.85))
          philia_graph_builder_add_edge (builder, v, v + cols);
        /* One diagonal per cell at most, so the mesh stays planar. */
        if (road && r + 1 < rows && c + 1 < cols && g_rand_double (rand) < 0.3)
          {
            if (g_rand_boolean (rand))
              philia_graph_builder_add_edge (builder, v, v + cols + 1);
            else
              philia_graph_builder_add_edge (builder, v + 1, v + cols);
          }
      }
  philia_graph_builder_set_source (builder, road ? "mesh" : "grid", "generated");
  return philia_graph_builder_build (builder, error);
}

typedef struct
{
  PhiliaCsbmParams  params;
  PhiliaProgress   *progress;
} GenerateJob;

static void
generate_job_free (GenerateJob *job)
{
  g_clear_object (&job->progress);
  g_free (job);
}

static void
generate_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GenerateJob *job = task_data;
  GError *error = NULL;
  PhiliaGraph *graph;

  graph = philia_csbm_generate (&job->params, cancellable, &error);
  if (graph == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (graph);
      return;
    }
  if (job->progress != NULL)
    philia_progress_update (job->progress, 1, "Done");
  g_task_return_pointer (task, graph, g_object_unref);
}

void
philia_csbm_generate_async (const PhiliaCsbmParams *params,
                            PhiliaProgress         *progress,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  GenerateJob *job;

  g_return_if_fail (params != NULL);
  g_return_if_fail (progress == NULL || PHILIA_IS_PROGRESS (progress));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (GenerateJob, 1);
  job->params = *params;
  job->progress = progress != NULL ? g_object_ref (progress) : NULL;
  if (progress != NULL)
    philia_progress_update (progress, 0, "Generating");

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, philia_csbm_generate_async);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify)generate_job_free);
  g_task_run_in_thread (task, generate_thread);
}

PhiliaGraph *
philia_csbm_generate_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == philia_csbm_generate_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

PhiliaGraph *
philia_grid_generate (guint     rows,
                      guint     cols,
                      GError  **error)
{
  return lattice_generate (rows, cols, FALSE, 0, error);
}

PhiliaGraph *
philia_mesh_generate (guint     rows,
                      guint     cols,
                      guint64   seed,
                      GError  **error)
{
  return lattice_generate (rows, cols, TRUE, seed, error);
}
