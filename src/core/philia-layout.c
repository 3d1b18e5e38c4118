/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-igraph-private.h"

void _philia_layouts_register (PhiliaRegistry *registry);

typedef enum
{
  LAYOUT_FR,
  LAYOUT_KK,
  LAYOUT_DRL,
  LAYOUT_CIRCLE,
  LAYOUT_CLASS_GROUPED,
} Which;

typedef struct
{
  PhiliaGraph *graph;
  double      *positions;
  guint64      seed;
  Which        which;
} LayoutCall;

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

static igraph_error_t
run_igraph_layout (const igraph_t *g,
                   Which           which,
                   igraph_matrix_t *res)
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
      return igraph_layout_kamada_kawai (g, res, FALSE, 50 * n, 0.0, (double)n, NULL, NULL, NULL,
                                         NULL, NULL);
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
  code = run_igraph_layout (&g, which, &res);
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
  guint filled = 0, shelf_start;

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

      for (guint i = 0; i < comp->size; i++)
        local[nodes[i]] = (gint32)i;
      /* DrL pays for a 1000 × 1000 density grid and 750 passes whatever the
       * size: 0.3–0.5 s for a pair of nodes, so CiteSeer's 438 components took
       * minutes. Components too small for DrL to help get FR instead. */
      if (!layout_members (graph, nodes, comp->size, local,
                           call->which == LAYOUT_DRL && comp->size < DRL_MIN_COMPONENT
                           ? LAYOUT_FR : call->which,
                           xy, error))
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
  code = run_igraph_layout (&g, call->which, &res);
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
      code = run_igraph_layout (&g, LAYOUT_FR, &res);
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
  LayoutCall call = { graph, positions, seed, GPOINTER_TO_UINT (vtable_data) };

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
  { id, PHILIA_FAMILY_LAYOUT, name, desc, "built-in", &builtin_vtable, GUINT_TO_POINTER (which) }
  const PhiliaAlgorithm layouts[] = {
    L ("fr", "Fruchterman–Reingold", "Force-directed; igraph's grid variant above 1,000 nodes.",
       LAYOUT_FR),
    L ("kk", "Kamada–Kawai", "Spring layout from graph distances; best for small graphs.",
       LAYOUT_KK),
    L ("drl", "DrL", "Distributed recursive layout for large graphs (components under "
       "1,000 nodes are laid out with Fruchterman–Reingold).", LAYOUT_DRL),
    L ("circle", "Circle", "Nodes on a circle in id order.", LAYOUT_CIRCLE),
    L ("class-grouped", "Grouped by class",
       "Each class laid out in its own disc; edges between classes become the long ones.",
       LAYOUT_CLASS_GROUPED),
  };
#undef L
  g_autoptr(GError) error = NULL;

  if (!philia_registry_add_all (registry, layouts, G_N_ELEMENTS (layouts), &error))
    g_critical ("Built-in layouts: %s", error->message);
}

/*
 * Fruchterman–Reingold at every size: above 1,000 nodes igraph switches to
 * its grid variant, which laid out 10^5 nodes / 10^6 edges in 10.8 s here,
 * while DrL took more than 40 minutes on that graph (tests/bench/run-layout.sh).
 */
const char *
philia_layout_default_algorithm (PhiliaGraph *graph)
{
  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), "fr");
  return "fr";
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
                   "There is no layout “%s”; known layouts: %s.", algorithm, known->str);
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
