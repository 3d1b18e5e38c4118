/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-builtins-private.h"
#include "philia-igraph-private.h"
#include "philia-layout-fast-private.h"

typedef enum
{
  LAYOUT_FR,
  LAYOUT_KK,
  LAYOUT_DRL,
  LAYOUT_CIRCLE,
  LAYOUT_CLASS_GROUPED,
  LAYOUT_MULTILEVEL,
} Which;

/* Where a layout's progress goes: the share [base, base + span) of the whole
 * run belongs to the igraph call in flight. */
typedef struct
{
  PhiliaProgress *progress;
  GCancellable   *cancellable;
  double          base;
  double          span;
} Report;

typedef struct
{
  PhiliaGraph *graph;
  double      *positions;
  guint64      seed;
  Which        which;
  Report       report;
} LayoutCall;

static void
report_fraction (Report *report,
                 double  fraction)
{
  if (report != NULL && report->progress != NULL)
    philia_progress_update (report->progress, report->base + report->span * fraction, NULL);
}

static gboolean
report_cancelled (Report *report)
{
  return report != NULL && g_cancellable_is_cancelled (report->cancellable);
}

/* Builds the igraph copy of the simple undirected graph, or of the subgraph
 * induced by @nodes (n_nodes of them, @local mapping graph ids to 0..k-1). */
static igraph_error_t
make_igraph (PhiliaGraph  *graph,
             const gint32 *nodes,
             guint         n_nodes,
             const gint32 *local,
             igraph_t     *out)
{
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  igraph_vector_int_t edges;
  igraph_error_t code;

  IGRAPH_CHECK (igraph_vector_int_init (&edges, 0));
  IGRAPH_FINALLY (igraph_vector_int_destroy, &edges);
  for (guint i = 0; i < n_nodes; i++)
    {
      gint32 u = nodes ? nodes[i] : (gint32)i;

      for (gint64 e = off[u]; e < off[u + 1]; e++)
        {
          gint32 v = nbr[e];

          if (v <= u || (local != NULL && local[v] < 0))
            continue;
          IGRAPH_CHECK (igraph_vector_int_push_back (&edges, local ? local[u] : u));
          IGRAPH_CHECK (igraph_vector_int_push_back (&edges, local ? local[v] : v));
        }
    }
  code = igraph_create (out, &edges, n_nodes, IGRAPH_UNDIRECTED);
  igraph_vector_int_destroy (&edges);
  IGRAPH_FINALLY_CLEAN (1);
  return code;
}

/* KK runs in this many rounds, each seeded with the last one's positions,
 * because igraph's KK reports no progress. Each round recomputes the distance
 * matrix (one BFS per node, O(n m)) against 50 n² / rounds of spring work, so
 * a few rounds cost little. */
#define KK_ROUNDS 10

static igraph_error_t
kamada_kawai_in_rounds (const igraph_t  *g,
                        igraph_matrix_t *res,
                        Report          *report)
{
  igraph_integer_t n = igraph_vcount (g);
  igraph_integer_t total = 50 * n, done = 0;

  for (guint round = 0; round < KK_ROUNDS; round++)
    {
      igraph_integer_t iterations = (total - done) / (KK_ROUNDS - round);

      if (report_cancelled (report))
        return IGRAPH_INTERRUPTED;
      IGRAPH_CHECK (igraph_layout_kamada_kawai (g, res, round > 0, MAX (iterations, 1), 0.0,
                                                (double)n, NULL, NULL, NULL, NULL, NULL));
      done += iterations;
      report_fraction (report, (double)done / (double)total);
    }
  return IGRAPH_SUCCESS;
}

static igraph_error_t multilevel_layout (const igraph_t  *g,
                                         igraph_matrix_t *res,
                                         Report          *report);

static igraph_error_t
run_igraph_layout (const igraph_t  *g,
                   Which            which,
                   igraph_matrix_t *res,
                   Report          *report)
{
  igraph_integer_t n = igraph_vcount (g);

  switch (which)
    {
    case LAYOUT_FR:
    case LAYOUT_CLASS_GROUPED:
      /* igraph's C defaults, as R uses them (python-igraph starts cooler, at √n / 10). */
      return igraph_layout_fruchterman_reingold (g, res, FALSE, 500, sqrt ((double)n),
                                                 IGRAPH_LAYOUT_AUTOGRID, NULL, NULL, NULL, NULL,
                                                 NULL);
    case LAYOUT_KK:
      return kamada_kawai_in_rounds (g, res, report);
    case LAYOUT_MULTILEVEL:
      return multilevel_layout (g, res, report);
    case LAYOUT_DRL:
      {
        igraph_layout_drl_options_t options;

        IGRAPH_CHECK (igraph_layout_drl_options_init (&options, IGRAPH_LAYOUT_DRL_DEFAULT));
        return igraph_layout_drl (g, res, FALSE, &options, NULL);
      }
    case LAYOUT_CIRCLE:
      return igraph_layout_circle (g, res, igraph_vss_all ());
    default:
      g_assert_not_reached ();
    }
  return IGRAPH_FAILURE;
}

/*
 * Multilevel layout. Force-directed layouts crumple meshes and large sparse
 * graphs: their forces are local, so a fold made early is never undone
 * (FR turns a 100 × 100 grid into a ball). Here the graph is coarsened by
 * matching neighbours until a few dozen nodes remain; that small graph is
 * laid out with KK, whose springs follow graph distances and so unfold it;
 * then each finer level starts from its parents' positions and a short, cool
 * FR pass only refines what the coarser level already placed. The same idea
 * as Walshaw's multilevel and Hu's sfdp, on igraph's own FR.
 */

typedef struct
{
  guint   n;
  guint   m;         /* undirected edges, u < v, no duplicates */
  gint32 *edges;     /* 2 m */
  guint  *weight;    /* the original nodes each node stands for */
  gint32 *parent;    /* each node's node one level coarser (NULL at the coarsest) */
} Level;

static void
level_clear (Level *level)
{
  g_free (level->edges);
  g_free (level->weight);
  g_free (level->parent);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

/* Matches each node with its lightest unmatched neighbour, in a random order;
 * a node left without one joins its lightest neighbour's group, so stars and
 * trees shrink too. Fills @fine->parent and returns the coarser level. */
static Level
coarsen (Level *fine)
{
  guint n = fine->n;
  g_autofree gint64 *off = g_new0 (gint64, n + 1);
  g_autofree gint32 *adj = g_new (gint32, 2 * (gsize)MAX (fine->m, 1));
  g_autofree gint64 *fill = g_new (gint64, n);
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  g_autofree gint64 *keys = NULL;
  Level coarse = { 0 };
  guint k = 0, m = 0;

  for (guint e = 0; e < fine->m; e++)
    {
      off[fine->edges[2 * e] + 1]++;
      off[fine->edges[2 * e + 1] + 1]++;
    }
  for (guint v = 0; v < n; v++)
    off[v + 1] += off[v];
  memcpy (fill, off, n * sizeof (gint64));
  for (guint e = 0; e < fine->m; e++)
    {
      gint32 u = fine->edges[2 * e], v = fine->edges[2 * e + 1];

      adj[fill[u]++] = v;
      adj[fill[v]++] = u;
    }

  for (guint v = 0; v < n; v++)
    order[v] = v;
  for (guint i = n; i > 1; i--)
    {
      guint j = (guint)igraph_rng_get_integer (igraph_rng_default (), 0, i - 1);
      guint t = order[i - 1];

      order[i - 1] = order[j];
      order[j] = t;
    }

  fine->parent = g_new (gint32, MAX (n, 1));
  for (guint v = 0; v < n; v++)
    fine->parent[v] = -1;
  for (guint i = 0; i < n; i++)
    {
      guint u = order[i];
      gint32 best = -1;

      if (fine->parent[u] != -1)
        continue;
      for (gint64 e = off[u]; e < off[u + 1]; e++)
        if (fine->parent[adj[e]] == -1
            && (best == -1 || fine->weight[adj[e]] < fine->weight[best]))
          best = adj[e];
      if (best != -1)
        fine->parent[u] = fine->parent[best] = (gint32)k++;
    }
  for (guint i = 0; i < n; i++)
    {
      guint u = order[i];
      gint32 best = -1;

      if (fine->parent[u] != -1)
        continue;
      /* Every neighbour of a node left over is matched already. */
      for (gint64 e = off[u]; e < off[u + 1]; e++)
        if (fine->parent[adj[e]] >= 0 && (best == -1 || fine->weight[adj[e]] < fine->weight[best]))
          best = adj[e];
      fine->parent[u] = best != -1 ? fine->parent[best] : (gint32)k++;
    }

  coarse.n = k;
  coarse.weight = g_new0 (guint, MAX (k, 1));
  for (guint v = 0; v < n; v++)
    coarse.weight[fine->parent[v]] += fine->weight[v];
  keys = g_new (gint64, MAX (fine->m, 1));
  for (guint e = 0; e < fine->m; e++)
    {
      gint64 a = fine->parent[fine->edges[2 * e]], b = fine->parent[fine->edges[2 * e + 1]];

      if (a != b)
        keys[m++] = MIN (a, b) * (gint64)k + MAX (a, b);
    }
  qsort (keys, m, sizeof (gint64), compare_gint64);
  coarse.edges = g_new (gint32, 2 * (gsize)MAX (m, 1));
  for (guint e = 0; e < m; e++)
    if (e == 0 || keys[e] != keys[e - 1])
      {
        coarse.edges[2 * coarse.m] = (gint32)(keys[e] / k);
        coarse.edges[2 * coarse.m + 1] = (gint32)(keys[e] % k);
        coarse.m++;
      }
  return coarse;
}

static igraph_error_t
level_to_igraph (const Level *level,
                 igraph_t    *out)
{
  igraph_vector_int_t edges;
  igraph_error_t code;

  IGRAPH_CHECK (igraph_vector_int_init (&edges, 2 * (igraph_integer_t)level->m));
  for (guint i = 0; i < 2 * level->m; i++)
    VECTOR (edges)[i] = level->edges[i];
  code = igraph_create (out, &edges, level->n, IGRAPH_UNDIRECTED);
  igraph_vector_int_destroy (&edges);
  return code;
}

/* The default layout is multilevel for a largest component of this many
 * nodes, with at most this mean degree (philia_layout_default_algorithm). */
#define MULTILEVEL_DEFAULT_NODES 1000
#define MULTILEVEL_DEFAULT_MAX_NODES 20000
#define MULTILEVEL_DEFAULT_DEGREE 10.0
/* From this many nodes the default is the progressive layout: FR took 12 s
 * on a 10^5-node graph of 10^6 edges and minutes on 10^6 nodes, with nothing
 * drawn meanwhile. */
#define PROGRESSIVE_DEFAULT_NODES 50000

/* Coarsening stops at this many nodes, or when a round removes under 10 %. */
#define MULTILEVEL_COARSEST 40
/* FR iterations and starting temperature (in edge lengths) on each level. */
#define MULTILEVEL_ITERATIONS 40
#define MULTILEVEL_TEMPERATURE 1.5

static igraph_error_t
multilevel_layout (const igraph_t  *g,
                   igraph_matrix_t *res,
                   Report          *report)
{
  g_autoptr(GArray) levels = g_array_new (FALSE, TRUE, sizeof (Level));
  igraph_vector_int_t list;
  igraph_error_t code = IGRAPH_SUCCESS;
  igraph_matrix_t coarse_xy;
  Level first = { 0 };
  double total = 0, done = 0;

  first.n = (guint)igraph_vcount (g);
  first.m = (guint)igraph_ecount (g);
  IGRAPH_CHECK (igraph_vector_int_init (&list, 0));
  code = igraph_get_edgelist (g, &list, FALSE);
  if (code != IGRAPH_SUCCESS)
    {
      igraph_vector_int_destroy (&list);
      return code;
    }
  first.edges = g_new (gint32, 2 * (gsize)MAX (first.m, 1));
  for (guint e = 0; e < first.m; e++)
    {
      gint32 u = (gint32)VECTOR (list)[2 * e], v = (gint32)VECTOR (list)[2 * e + 1];

      first.edges[2 * e] = MIN (u, v);
      first.edges[2 * e + 1] = MAX (u, v);
    }
  igraph_vector_int_destroy (&list);
  first.weight = g_new (guint, MAX (first.n, 1));
  for (guint v = 0; v < first.n; v++)
    first.weight[v] = 1;
  g_array_append_val (levels, first);

  while (g_array_index (levels, Level, levels->len - 1).n > MULTILEVEL_COARSEST)
    {
      Level *fine = &g_array_index (levels, Level, levels->len - 1);
      Level coarse = coarsen (fine);

      if (coarse.n > 0.9 * fine->n)
        {
          g_clear_pointer (&fine->parent, g_free);
          level_clear (&coarse);
          break;
        }
      g_array_append_val (levels, coarse);
    }
  for (guint l = 0; l < levels->len; l++)
    total += g_array_index (levels, Level, l).n;

  /* The coarsest level: KK when it is small, as it nearly always is. */
  igraph_matrix_init (&coarse_xy, 0, 0);
  {
    Level *top = &g_array_index (levels, Level, levels->len - 1);
    igraph_t h;

    code = level_to_igraph (top, &h);
    if (code == IGRAPH_SUCCESS)
      {
        if (top->n <= 1)
          code = igraph_matrix_resize (&coarse_xy, top->n, 2);
        else if (top->n <= 500)
          code = igraph_layout_kamada_kawai (&h, &coarse_xy, FALSE, 50 * top->n, 0.0,
                                             (double)top->n, NULL, NULL, NULL, NULL, NULL);
        else
          code = igraph_layout_fruchterman_reingold (&h, &coarse_xy, FALSE, 500,
                                                     sqrt ((double)top->n),
                                                     IGRAPH_LAYOUT_AUTOGRID, NULL, NULL, NULL,
                                                     NULL, NULL);
        if (top->n <= 1)
          igraph_matrix_null (&coarse_xy);
        igraph_destroy (&h);
      }
    done += top->n;
    report_fraction (report, done / total);
  }

  /* Finer levels: start at the parent's place, scaled so that the mean edge
   * stays about one unit long as the node count grows, then refine. */
  for (guint l = levels->len - 1; code == IGRAPH_SUCCESS && l-- > 0;)
    {
      Level *fine = &g_array_index (levels, Level, l);
      Level *coarse = &g_array_index (levels, Level, l + 1);
      double scale = sqrt ((double)fine->n / MAX (coarse->n, 1));
      igraph_matrix_t xy;
      igraph_t h;

      if (report_cancelled (report))
        {
          code = IGRAPH_INTERRUPTED;
          break;
        }
      code = igraph_matrix_init (&xy, fine->n, 2);
      if (code != IGRAPH_SUCCESS)
        break;
      for (guint v = 0; v < fine->n; v++)
        for (guint d = 0; d < 2; d++)
          MATRIX (xy, v, d) = scale * MATRIX (coarse_xy, fine->parent[v], d)
                              + igraph_rng_get_unif (igraph_rng_default (), -0.2, 0.2);
      code = level_to_igraph (fine, &h);
      if (code == IGRAPH_SUCCESS)
        {
          code = igraph_layout_fruchterman_reingold (&h, &xy, TRUE, MULTILEVEL_ITERATIONS,
                                                     MULTILEVEL_TEMPERATURE,
                                                     IGRAPH_LAYOUT_AUTOGRID, NULL, NULL, NULL,
                                                     NULL, NULL);
          igraph_destroy (&h);
        }
      igraph_matrix_destroy (&coarse_xy);
      coarse_xy = xy;
      done += fine->n;
      report_fraction (report, done / total);
    }

  if (code == IGRAPH_SUCCESS)
    code = igraph_matrix_update (res, &coarse_xy);
  igraph_matrix_destroy (&coarse_xy);
  for (guint l = 0; l < levels->len; l++)
    level_clear (&g_array_index (levels, Level, l));
  return code;
}

/* Centres a block of k positions at the origin and scales it to radius 1. */
static void
normalise (double *xy,
           guint   k)
{
  double cx = 0, cy = 0, r = 0;

  for (guint i = 0; i < k; i++)
    {
      cx += xy[2 * i] / k;
      cy += xy[2 * i + 1] / k;
    }
  for (guint i = 0; i < k; i++)
    r = MAX (r, hypot (xy[2 * i] - cx, xy[2 * i + 1] - cy));
  for (guint i = 0; i < k; i++)
    {
      xy[2 * i] = r > 0 ? (xy[2 * i] - cx) / r : 0;
      xy[2 * i + 1] = r > 0 ? (xy[2 * i + 1] - cy) / r : 0;
    }
}

/* Lays out the subgraph induced by @members (m nodes, @local maps graph ids
 * to 0..m-1 and must be -1 elsewhere) and writes normalised coordinates. */
static gboolean
layout_members (PhiliaGraph   *graph,
                const gint32  *members,
                guint          m,
                const gint32  *local,
                Which          which,
                Report        *report,
                double        *xy,
                GError       **error)
{
  igraph_t g;
  igraph_matrix_t res;
  igraph_error_t code;

  if (m == 1)
    {
      xy[0] = xy[1] = 0;
      return TRUE;
    }
  if (!_philia_igraph_check (make_igraph (graph, members, m, local, &g), "Layout", error))
    return FALSE;
  igraph_matrix_init (&res, 0, 0);
  code = run_igraph_layout (&g, which, &res, report);
  if (code == IGRAPH_SUCCESS)
    for (guint i = 0; i < m; i++)
      {
        xy[2 * i] = MATRIX (res, i, 0);
        xy[2 * i + 1] = MATRIX (res, i, 1);
      }
  igraph_matrix_destroy (&res);
  igraph_destroy (&g);
  if (!_philia_igraph_check (code, "Layout", error))
    return FALSE;
  normalise (xy, m);
  return TRUE;
}

/* Components below this many nodes are laid out with FR when DrL is asked for. */
#define DRL_MIN_COMPONENT 1000

typedef struct
{
  guint start;   /* into the members array */
  guint size;
} Component;

static int
compare_components (gconstpointer a,
                    gconstpointer b)
{
  const Component *x = a, *y = b;

  return (x->size < y->size) - (x->size > y->size);
}

/* Shifts the components [first, last) of one shelf right so that the shelf,
 * @used wide, sits in the middle of the packing's width. */
static void
center_shelf (double       *positions,
              const gint32 *members,
              GArray       *components,
              guint         first,
              guint         last,
              double        used,
              double        width)
{
  double shift = MAX (0.0, (width - used) / 2);

  for (guint c = first; c < last; c++)
    {
      Component *comp = &g_array_index (components, Component, c);

      for (guint i = 0; i < comp->size; i++)
        positions[2 * members[comp->start + i]] += shift;
    }
}

/*
 * Force-directed layouts push disconnected pieces far apart, which leaves
 * the main component a speck in the middle (Cora has 78 components). So each
 * component is laid out on its own, scaled to a disc whose area follows its
 * size, and the discs are packed on shelves, largest first, into a roughly
 * square region: what graphviz calls packing.
 */
static gboolean
layout_packed (LayoutCall  *call,
               GError     **error)
{
  PhiliaGraph *graph = call->graph;
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  g_autofree gint32 *members = g_new (gint32, MAX (n, 1));
  g_autofree gint32 *local = g_new (gint32, MAX (n, 1));
  g_autofree double *xy = g_new (double, 2 * MAX (n, 1));
  g_autoptr(GArray) components = g_array_new (FALSE, FALSE, sizeof (Component));
  double area = 0, shelf_width, x = 0, y = 0, shelf_height = 0;
  guint filled = 0, shelf_start, laid_out = 0;

  /* Components by BFS; members[] holds them one after another. */
  for (guint v = 0; v < n; v++)
    local[v] = -1;
  for (guint s = 0; s < n; s++)
    {
      Component comp = { filled, 0 };
      guint head = filled;

      if (local[s] != -1)
        continue;
      local[s] = 0;
      members[filled++] = (gint32)s;
      while (head < filled)
        {
          gint32 u = members[head++];

          for (gint64 e = off[u]; e < off[u + 1]; e++)
            if (local[nbr[e]] == -1)
              {
                local[nbr[e]] = 0;
                members[filled++] = nbr[e];
              }
        }
      comp.size = filled - comp.start;
      area += 4.0 * comp.size;
      g_array_append_val (components, comp);
    }
  g_array_sort (components, compare_components);

  /* The widest shelf: the square root of the total area, or the biggest disc. */
  shelf_width = MAX (sqrt (area) * 1.1,
                     components->len ? 2 * sqrt ((double)g_array_index (components, Component,
                                                                        0).size) : 1);

  for (guint v = 0; v < n; v++)
    local[v] = -1;
  shelf_start = 0;
  for (guint c = 0; c < components->len; c++)
    {
      Component *comp = &g_array_index (components, Component, c);
      double radius = sqrt ((double)comp->size), gap = 1.0 + radius * 0.05;
      double bx0 = G_MAXDOUBLE, by0 = G_MAXDOUBLE, bx1 = -G_MAXDOUBLE, by1 = -G_MAXDOUBLE;
      const gint32 *nodes = members + comp->start;

      Report report = call->report;

      report.base = call->report.base + call->report.span * laid_out / MAX (n, 1);
      report.span = call->report.span * comp->size / MAX (n, 1);
      laid_out += comp->size;
      for (guint i = 0; i < comp->size; i++)
        local[nodes[i]] = (gint32)i;
      /* DrL pays for a 1000 × 1000 density grid and 750 passes whatever the
       * size: 0.3–0.5 s for a pair of nodes, so CiteSeer's 438 components took
       * minutes. Components too small for DrL to help get FR instead. */
      if (!layout_members (graph, nodes, comp->size, local,
                           call->which == LAYOUT_DRL && comp->size < DRL_MIN_COMPONENT
                           ? LAYOUT_FR : call->which,
                           &report, xy, error))
        return FALSE;
      for (guint i = 0; i < comp->size; i++)
        local[nodes[i]] = -1;

      /* Pack by the drawing's own box (a force layout is rarely a disc). */
      for (guint i = 0; i < comp->size; i++)
        {
          bx0 = MIN (bx0, radius * xy[2 * i]);
          bx1 = MAX (bx1, radius * xy[2 * i]);
          by0 = MIN (by0, radius * xy[2 * i + 1]);
          by1 = MAX (by1, radius * xy[2 * i + 1]);
        }
      if (x > 0 && x + (bx1 - bx0) > shelf_width)
        {
          center_shelf (call->positions, members, components, shelf_start, c, x - gap,
                        shelf_width);
          shelf_start = c;
          x = 0;
          y += shelf_height;
          shelf_height = 0;
        }
      for (guint i = 0; i < comp->size; i++)
        {
          call->positions[2 * nodes[i]] = x + radius * xy[2 * i] - bx0;
          call->positions[2 * nodes[i] + 1] = y + radius * xy[2 * i + 1] - by0;
        }
      x += (bx1 - bx0) + gap;
      shelf_height = MAX (shelf_height, (by1 - by0) + gap);
    }
  center_shelf (call->positions, members, components, shelf_start, components->len, x,
                shelf_width);
  return TRUE;
}

static gboolean
layout_whole (LayoutCall  *call,
              GError     **error)
{
  guint n = philia_graph_get_n_nodes (call->graph);
  igraph_t g;
  igraph_matrix_t res;
  igraph_error_t code;

  if (call->which != LAYOUT_CIRCLE && philia_graph_get_sanity_report (call->graph)->components > 1)
    return layout_packed (call, error);

  if (!_philia_igraph_check (make_igraph (call->graph, NULL, n, NULL, &g), "Layout", error))
    return FALSE;
  igraph_matrix_init (&res, 0, 0);
  code = run_igraph_layout (&g, call->which, &res, &call->report);
  if (code == IGRAPH_SUCCESS)
    for (guint v = 0; v < n; v++)
      {
        call->positions[2 * v] = MATRIX (res, v, 0);
        call->positions[2 * v + 1] = MATRIX (res, v, 1);
      }
  igraph_matrix_destroy (&res);
  igraph_destroy (&g);
  return _philia_igraph_check (code, "Layout", error);
}

/*
 * Class-grouped: each class (and the unlabeled nodes) is laid out on its own
 * with Fruchterman–Reingold, scaled to a disc whose area follows the class
 * size, and the discs are set on a ring. Edges between classes become the long
 * ones, so heterophily is visible at a glance.
 */
static gboolean
layout_class_grouped (LayoutCall  *call,
                      GError     **error)
{
  PhiliaGraph *graph = call->graph;
  guint n = philia_graph_get_n_nodes (graph);
  guint c = philia_graph_get_n_classes (graph);
  const gint32 *y = philia_graph_get_labels (graph);
  guint groups = c + 1;   /* the last group holds unlabeled nodes */
  g_autofree gint32 *local = g_new (gint32, MAX (n, 1));
  g_autofree guint *size = g_new0 (guint, groups);
  double total_radius = 0, angle = 0;

  for (guint v = 0; v < n; v++)
    size[y[v] >= 0 ? (guint)y[v] : c]++;
  for (guint k = 0; k < groups; k++)
    total_radius += sqrt ((double)size[k]);

  for (guint k = 0; k < groups; k++)
    {
      g_autofree gint32 *members = NULL;
      g_autofree double *xy = NULL;
      guint m = 0;
      double radius = sqrt ((double)size[k]), ring, step;
      igraph_t g;
      igraph_matrix_t res;
      igraph_error_t code;

      if (size[k] == 0)
        continue;
      members = g_new (gint32, size[k]);
      for (guint v = 0; v < n; v++)
        {
          local[v] = -1;
          if ((y[v] >= 0 ? (guint)y[v] : c) == k)
            {
              local[v] = (gint32)m;
              members[m++] = (gint32)v;
            }
        }

      if (!_philia_igraph_check (make_igraph (graph, members, m, local, &g), "Layout", error))
        return FALSE;
      igraph_matrix_init (&res, 0, 0);
      code = run_igraph_layout (&g, LAYOUT_FR, &res, NULL);
      if (code != IGRAPH_SUCCESS)
        {
          igraph_matrix_destroy (&res);
          igraph_destroy (&g);
          return _philia_igraph_check (code, "Layout", error);
        }
      xy = g_new (double, 2 * m);
      for (guint i = 0; i < m; i++)
        {
          xy[2 * i] = MATRIX (res, i, 0);
          xy[2 * i + 1] = MATRIX (res, i, 1);
        }
      igraph_matrix_destroy (&res);
      igraph_destroy (&g);

      /* The ring's circumference holds every disc side by side. */
      normalise (xy, m);
      ring = total_radius / G_PI * 1.15;
      step = groups > 1 ? 2 * G_PI * radius / (2 * total_radius) : 0;
      angle += step;
      for (guint i = 0; i < m; i++)
        {
          call->positions[2 * members[i]] = ring * cos (angle) + radius * xy[2 * i];
          call->positions[2 * members[i] + 1] = ring * sin (angle) + radius * xy[2 * i + 1];
        }
      angle += step;
    }
  return TRUE;
}

static gboolean
layout_in_igraph_thread (gpointer       data,
                         GCancellable  *cancellable,
                         GError       **error)
{
  LayoutCall *call = data;

  /* One RNG for the igraph thread: seeding it here makes the run reproducible. */
  igraph_rng_seed (igraph_rng_default (), call->seed);
  if (call->which == LAYOUT_CLASS_GROUPED)
    return layout_class_grouped (call, error);
  return layout_whole (call, error);
}

static gboolean
builtin_compute (PhiliaGraph     *graph,
                 double          *positions,
                 guint64          seed,
                 PhiliaProgress  *progress,
                 gpointer         vtable_data,
                 GCancellable    *cancellable,
                 GError         **error)
{
  LayoutCall call = { graph, positions, seed, GPOINTER_TO_UINT (vtable_data),
                      { progress, cancellable, 0.0, 1.0 } };

  if (philia_graph_get_n_nodes (graph) == 0)
    return TRUE;
  if (progress != NULL)
    philia_progress_update (progress, 0.0, NULL);
  if (!_philia_igraph_call (layout_in_igraph_thread, &call, cancellable, error))
    return FALSE;
  if (progress != NULL)
    philia_progress_update (progress, 1.0, NULL);
  return TRUE;
}

static const PhiliaLayoutVTable builtin_vtable = { builtin_compute };

void
_philia_layouts_register (PhiliaRegistry *registry)
{
#define L(id, name, desc, which) \
  { id, PHILIA_FAMILY_LAYOUT, name, desc, PHILIA_PROVIDER_BUILTIN, &builtin_vtable, \
    GUINT_TO_POINTER (which) }
  const PhiliaAlgorithm layouts[] = {
    L ("fr", "Fruchterman–Reingold",
       N_ ("Force-directed; igraph's grid variant above 1,000 nodes."),
       LAYOUT_FR),
    L ("kk", "Kamada–Kawai", N_ ("Spring layout from graph distances; best for small graphs."),
       LAYOUT_KK),
    L ("drl", "DrL", N_ ("Distributed recursive layout for large graphs (components under "
           "1,000 nodes are laid out with Fruchterman–Reingold)."), LAYOUT_DRL),
    L ("multilevel", "Multilevel",
       N_ ("Coarsens the graph, lays out the coarsest with Kamada–Kawai and refines level by "
           "level with Fruchterman–Reingold; unfolds meshes and large sparse graphs."),
       LAYOUT_MULTILEVEL),
    L ("circle", "Circle", N_ ("Nodes on a circle in id order."), LAYOUT_CIRCLE),
    L ("class-grouped", "Grouped by class",
       N_ ("Each class laid out in its own disc; edges between classes become the long ones."),
       LAYOUT_CLASS_GROUPED),
    { PHILIA_LAYOUT_PROGRESSIVE, PHILIA_FAMILY_LAYOUT, "Progressive",
      N_ ("A spectral placement in seconds, then refined step by step with springs and a "
          "density-grid repulsion; for graphs of 10^5 nodes and more, which it draws while it "
          "refines."), PHILIA_PROVIDER_BUILTIN, &_philia_layout_progressive_vtable, NULL },
  };
#undef L
  g_autoptr(GError) error = NULL;

  if (!philia_registry_add_all (registry, layouts, G_N_ELEMENTS (layouts), &error))
    g_critical ("Built-in layouts: %s", error->message);
}

/*
 * FR folds sparse graphs of a thousand nodes and more onto themselves: a
 * 100 × 100 grid and a 10^4-node road-like mesh come out as crumpled balls,
 * which the multilevel layout unfolds into flat sheets; on Cora it separates
 * the classes FR piles up. It cost about as much as FR on those graphs. On a
 * 10^5-node CSBM graph (mean degree 10) it ran for minutes where FR took
 * one, so above 20,000 nodes FR stays the default, up to the size where the
 * progressive layout takes over (PROGRESSIVE_DEFAULT_NODES). Dense graphs have no flat
 * shape to unfold, and small ones FR lays out well. The largest component
 * counts: a graph of many small pieces gets FR for each piece anyway.
 */
const char *
philia_layout_default_algorithm (PhiliaGraph *graph)
{
  const PhiliaSanityReport *sanity;
  double mean_degree;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), "fr");
  if (philia_graph_get_n_nodes (graph) >= PROGRESSIVE_DEFAULT_NODES)
    return PHILIA_LAYOUT_PROGRESSIVE;
  sanity = philia_graph_get_sanity_report (graph);
  if (sanity->largest_component < MULTILEVEL_DEFAULT_NODES
      || sanity->largest_component > MULTILEVEL_DEFAULT_MAX_NODES)
    return "fr";
  mean_degree = 2.0 * philia_graph_get_n_edges (graph) / philia_graph_get_n_nodes (graph);
  return mean_degree <= MULTILEVEL_DEFAULT_DEGREE ? "multilevel" : "fr";
}

gboolean
philia_layout_is_quadratic (const char *algorithm)
{
  g_return_val_if_fail (algorithm != NULL, FALSE);
  return g_str_equal (algorithm, "kk");
}

guint64
philia_layout_estimate_bytes (PhiliaGraph *graph,
                              const char  *algorithm)
{
  const PhiliaAlgorithm *found;
  guint64 n, m, k, linear;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), 0);
  g_return_val_if_fail (algorithm != NULL, 0);

  found = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_LAYOUT,
                                  algorithm);
  n = philia_graph_get_n_nodes (graph);
  /* The placement's six arrays of n and the refinement's three of 2 n doubles
   * and its grids (at most 4 × 512² doubles); no copy of the edges. */
  if (found != NULL && found->vtable == &_philia_layout_progressive_vtable)
    return 112 * (guint64)n + 4 * 512 * 512 * 8;
  if (found == NULL || found->vtable != &builtin_vtable)
    return 0;
  m = (guint64)philia_graph_get_n_edges (graph);
  k = (guint64)philia_graph_get_sanity_report (graph)->largest_component;
  /* The positions, the packing's arrays and igraph's copy of the graph
   * (edge lists and indices, about 6 integers of 8 bytes per edge). */
  linear = 40 * n + 48 * m;
  if (GPOINTER_TO_UINT (found->vtable_data) == LAYOUT_MULTILEVEL)
    linear *= 2;   /* every coarser level is at most as big again */
  /* igraph's Kamada–Kawai keeps three k × k matrices of doubles for the
   * largest component (its distances and their derived spring lengths and
   * strengths): the peak resident size of `philia-cli layout --algorithm kk`
   * on `generate csbm --degree 4` graphs (k = 1,960 and 3,920) grew by
   * 23.4 bytes per k² over FR's. */
  if (philia_layout_is_quadratic (algorithm))
    return linear + 24 * k * k;
  return linear;
}

/**
 * philia_layout_compute:
 *
 * Returns: (transfer full): 2 n coordinates, or %NULL with @error set (an
 *   unknown algorithm is PHILIA_ERROR_NOT_FOUND, naming the known ones).
 */
double *
philia_layout_compute (PhiliaGraph     *graph,
                       const char      *algorithm,
                       guint64          seed,
                       PhiliaProgress  *progress,
                       GCancellable    *cancellable,
                       GError         **error)
{
  const PhiliaAlgorithm *found;
  const PhiliaLayoutVTable *vtable;
  g_autofree double *positions = NULL;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (algorithm != NULL, NULL);

  found = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_LAYOUT,
                                  algorithm);
  if (found == NULL)
    {
      g_autoptr(GPtrArray) all = philia_registry_list (philia_registry_get_default (),
                                                       PHILIA_FAMILY_LAYOUT);
      g_autoptr(GString) known = g_string_new (NULL);

      for (guint i = 0; i < all->len; i++)
        g_string_append_printf (known, "%s%s", i ? ", " : "",
                                ((const PhiliaAlgorithm *)all->pdata[i])->id);
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   _ ("There is no layout “%s”; known layouts: %s."), algorithm, known->str);
      return NULL;
    }

  vtable = found->vtable;
  positions = g_new0 (double, 2 * MAX (philia_graph_get_n_nodes (graph), 1));
  if (!vtable->compute (graph, positions, seed, progress, found->vtable_data, cancellable,
                        error))
    return NULL;
  return g_steal_pointer (&positions);
}

typedef struct
{
  PhiliaGraph    *graph;
  char           *algorithm;
  guint64         seed;
  PhiliaProgress *progress;
} AsyncData;

static void
async_data_free (AsyncData *data)
{
  g_clear_object (&data->graph);
  g_clear_pointer (&data->algorithm, g_free);
  g_clear_object (&data->progress);
  g_free (data);
}

static void
layout_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncData *data = task_data;
  GError *error = NULL;
  double *positions;

  positions = philia_layout_compute (data->graph, data->algorithm, data->seed, data->progress,
                                     cancellable, &error);
  if (positions == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, positions, g_free);
}

void
philia_layout_compute_async (PhiliaGraph         *graph,
                             const char          *algorithm,
                             guint64              seed,
                             PhiliaProgress      *progress,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncData *data;

  g_return_if_fail (PHILIA_IS_GRAPH (graph));
  g_return_if_fail (algorithm != NULL);

  data = g_new0 (AsyncData, 1);
  data->graph = g_object_ref (graph);
  data->algorithm = g_strdup (algorithm);
  data->seed = seed;
  data->progress = progress ? g_object_ref (progress) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, philia_layout_compute_async);
  g_task_set_task_data (task, data, (GDestroyNotify)async_data_free);
  g_task_run_in_thread (task, layout_thread);
}

double *
philia_layout_compute_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
