/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ForceAtlas2 with Barnes–Hut repulsion (a layout plugin).
 *
 * Jacomy, Venturini, Heymann & Bastian, "ForceAtlas2, a Continuous Graph
 * Layout Algorithm for Handy Network Visualization Designed for the Gephi
 * Software", PLoS ONE 9(6): e98679 (2014). With the paper's defaults:
 *
 *   mass         m(v) = d(v) + 1
 *   repulsion    F_r(u, v) = k_r m(u) m(v) / d(u, v)       (k_r = 10, or 2 from 100 nodes)
 *   attraction   F_a(u, v) = d(u, v) along each edge       (LinLog off, weight 1)
 *   gravity      F_g(v) = k_g m(v) towards the origin      (k_g = 1, not "strong")
 *   speed        the adaptive global and per-node speeds of §"Adaptive speed"
 *                (swinging, effective traction, jitter tolerance τ = 1)
 *
 * Repulsion is approximated with a Barnes–Hut quadtree (θ = 1.2): a cell
 * whose side over its distance to v is below θ acts as one body of its total
 * mass at its centre of mass. Per iteration O(n log n + m).
 *
 * Deterministic for a seed: the initial positions come from the seeded
 * generator (each connected component starts in its own square) and every
 * sum runs in a fixed order.
 */
#include <math.h>
#include <string.h>

#include "philia-plugin.h"

/* Shipped with Philia: the name and description are in Philia's catalogue,
 * and the host reads them in the user's language; N_() only marks them. */
#ifndef N_
#define N_(String) (String)
#endif

#define THETA 1.2
#define GRAVITY 1.0
#define JITTER_TOLERANCE 1.0
#define MAX_DEPTH 48

typedef struct
{
  double cx, cy;     /* centre of mass */
  double mass;
  double size;       /* side of the square */
  gint64 lo, hi;     /* bodies order[lo..hi) */
  gint32 child[4];   /* -1: none; all -1: a leaf */
} Cell;

typedef struct
{
  const double *x, *y, *mass;
  gint32       *order;
  GArray       *cells;
} Tree;

/* Builds the cell of bodies order[lo..hi) in the square (x0, y0, size) and
 * returns its index. */
static gint32
build_cell (Tree   *tree,
            gint64  lo,
            gint64  hi,
            double  x0,
            double  y0,
            double  size,
            guint   depth)
{
  Cell cell = { 0, 0, 0, size, lo, hi, { -1, -1, -1, -1 } };
  gint32 index;
  gint64 bounds[5];
  double half = size / 2, mx = x0 + half, my = y0 + half;

  for (gint64 k = lo; k < hi; k++)
    {
      gint32 v = tree->order[k];

      cell.mass += tree->mass[v];
      cell.cx += tree->mass[v] * tree->x[v];
      cell.cy += tree->mass[v] * tree->y[v];
    }
  cell.cx /= cell.mass;
  cell.cy /= cell.mass;
  index = (gint32)tree->cells->len;
  g_array_append_val (tree->cells, cell);
  if (hi - lo <= 1 || depth >= MAX_DEPTH)
    return index;

  /* Partition into quadrants 0 (x<, y<), 1 (x≥, y<), 2 (x<, y≥), 3 (x≥, y≥):
   * first by y, then each half by x. */
  {
    gint64 i = lo, j = hi - 1;
    gint64 mid;

    while (i <= j)
      {
        if (tree->y[tree->order[i]] < my)
          i++;
        else
          {
            gint32 t = tree->order[i];

            tree->order[i] = tree->order[j];
            tree->order[j--] = t;
          }
      }
    mid = i;
    bounds[0] = lo;
    bounds[2] = mid;
    bounds[4] = hi;
    for (guint h = 0; h < 2; h++)
      {
        gint64 a = h == 0 ? lo : mid, b = h == 0 ? mid : hi;

        i = a;
        j = b - 1;
        while (i <= j)
          {
            if (tree->x[tree->order[i]] < mx)
              i++;
            else
              {
                gint32 t = tree->order[i];

                tree->order[i] = tree->order[j];
                tree->order[j--] = t;
              }
          }
        bounds[2 * h + 1] = i;
      }
  }
  for (guint q = 0; q < 4; q++)
    if (bounds[q + 1] > bounds[q])
      {
        gint32 child = build_cell (tree, bounds[q], bounds[q + 1], x0 + (q & 1 ? half : 0),
                                   y0 + (q & 2 ? half : 0), half, depth + 1);

        g_array_index (tree->cells, Cell, index).child[q] = child;
      }
  return index;
}

/* Barnes–Hut repulsion on body @v, added to (*fx, *fy). */
static void
repulse (const Tree *tree,
         gint32      v,
         double      kr,
         GArray     *stack,
         double     *fx,
         double     *fy)
{
  const Cell *cells = (const Cell *)tree->cells->data;
  double xv = tree->x[v], yv = tree->y[v], mv = tree->mass[v];

  g_array_set_size (stack, 0);
  {
    gint32 root = 0;

    g_array_append_val (stack, root);
  }
  while (stack->len > 0)
    {
      const Cell *cell = &cells[g_array_index (stack, gint32, stack->len - 1)];
      gboolean leaf = cell->child[0] < 0 && cell->child[1] < 0 && cell->child[2] < 0
                      && cell->child[3] < 0;
      double dx = xv - cell->cx, dy = yv - cell->cy, d2 = dx * dx + dy * dy;

      g_array_set_size (stack, stack->len - 1);
      if (!leaf && d2 > 0 && cell->size * cell->size < THETA * THETA * d2)
        {
          double f = kr * mv * cell->mass / d2;

          *fx += dx * f;
          *fy += dy * f;
        }
      else if (leaf)
        {
          for (gint64 k = cell->lo; k < cell->hi; k++)
            {
              gint32 u = tree->order[k];
              double ux = xv - tree->x[u], uy = yv - tree->y[u], e2 = ux * ux + uy * uy;

              if (u == v || e2 <= 0)
                continue;
              *fx += ux * kr * mv * tree->mass[u] / e2;
              *fy += uy * kr * mv * tree->mass[u] / e2;
            }
        }
      else
        for (guint q = 0; q < 4; q++)
          if (cell->child[q] >= 0)
            g_array_append_val (stack, cell->child[q]);
    }
}

/* Iterations: enough for a small graph to settle, bounded on large ones
 * where every iteration costs O(n log n + m). */
static guint
iterations_for (guint n)
{
  if (n < 1000)
    return 500;
  if (n < 20000)
    return 200;
  return 100;
}

static gboolean
forceatlas2 (PhiliaGraph     *graph,
             double          *positions,
             guint64          seed,
             PhiliaProgress  *progress,
             gpointer         vtable_data,
             GCancellable    *cancellable,
             GError         **error)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *offsets = philia_graph_get_row_offsets (graph);
  const gint32 *neighbors = philia_graph_get_neighbors (graph);
  guint n_iterations = iterations_for (n);
  double kr = n >= 100 ? 2.0 : 10.0;
  double speed = 1.0, speed_efficiency = 1.0;
  g_autofree double *x = NULL, *y = NULL, *mass = NULL;
  g_autofree double *fx = NULL, *fy = NULL, *old_fx = NULL, *old_fy = NULL;
  g_autofree gint32 *order = NULL;
  g_autoptr(GArray) cells = NULL;
  g_autoptr(GArray) stack = NULL;
  PhiliaRng rng;

  if (n == 0)
    return TRUE;

  x = g_new (double, n);
  y = g_new (double, n);
  mass = g_new (double, n);
  fx = g_new (double, n);
  fy = g_new (double, n);
  old_fx = g_new0 (double, n);
  old_fy = g_new0 (double, n);
  order = g_new (gint32, n);
  cells = g_array_sized_new (FALSE, FALSE, sizeof (Cell), 2 * n);
  stack = g_array_new (FALSE, FALSE, sizeof (gint32));

  /* Seeded start: each connected component in its own random square around
   * a random centre. Scattering every node over the whole plane instead can
   * start a small component on both sides of a big one, and gravity and the
   * big one's repulsion then hold its edge stretched across the graph. */
  philia_rng_init (&rng, seed);
  {
    double side = 10.0 * sqrt ((double)n);
    g_autofree gint32 *component = g_new (gint32, n);
    g_autofree gint32 *queue = g_new (gint32, n);

    for (guint v = 0; v < n; v++)
      {
        component[v] = -1;
        mass[v] = (double)(offsets[v + 1] - offsets[v]) + 1;
      }
    for (guint s = 0; s < n; s++)
      {
        gint64 head = 0, tail = 0;
        double cx, cy, r;

        if (component[s] >= 0)
          continue;
        component[s] = (gint32)s;
        queue[tail++] = (gint32)s;
        while (head < tail)
          {
            gint32 v = queue[head++];

            for (gint64 e = offsets[v]; e < offsets[v + 1]; e++)
              if (component[neighbors[e]] < 0)
                {
                  component[neighbors[e]] = (gint32)s;
                  queue[tail++] = neighbors[e];
                }
          }
        cx = side * (philia_rng_float (&rng) - 0.5);
        cy = side * (philia_rng_float (&rng) - 0.5);
        r = 10.0 * sqrt ((double)tail);
        for (gint64 k = 0; k < tail; k++)
          {
            x[queue[k]] = cx + r * (philia_rng_float (&rng) - 0.5);
            y[queue[k]] = cy + r * (philia_rng_float (&rng) - 0.5);
          }
      }
  }

  for (guint it = 0; it < n_iterations; it++)
    {
      Tree tree = { x, y, mass, order, cells };
      double x_min = G_MAXDOUBLE, y_min = G_MAXDOUBLE, x_max = -G_MAXDOUBLE, y_max = -G_MAXDOUBLE;
      double swinging = 0, traction = 0, jitter, estimated, target;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (progress != NULL && it % 5 == 0)
        philia_progress_update (progress, (double)it / n_iterations,
                                "ForceAtlas2 iterations");

      for (guint v = 0; v < n; v++)
        {
          order[v] = (gint32)v;
          x_min = MIN (x_min, x[v]);
          x_max = MAX (x_max, x[v]);
          y_min = MIN (y_min, y[v]);
          y_max = MAX (y_max, y[v]);
        }
      g_array_set_size (cells, 0);
      build_cell (&tree, 0, n, x_min, y_min,
                  MAX (MAX (x_max - x_min, y_max - y_min), 1e-9) * (1 + 1e-9), 0);

      for (guint v = 0; v < n; v++)
        {
          double d = sqrt (x[v] * x[v] + y[v] * y[v]);

          fx[v] = fy[v] = 0;
          repulse (&tree, (gint32)v, kr, stack, &fx[v], &fy[v]);
          /* Gravity: k_g m(v), scaled by k_r as in Gephi's implementation. */
          if (d > 0)
            {
              fx[v] -= x[v] * kr * mass[v] * GRAVITY / d;
              fy[v] -= y[v] * kr * mass[v] * GRAVITY / d;
            }
          /* Attraction: each edge once per end, towards the neighbour. */
          for (gint64 e = offsets[v]; e < offsets[v + 1]; e++)
            {
              gint32 u = neighbors[e];

              fx[v] -= x[v] - x[u];
              fy[v] -= y[v] - y[u];
            }
        }

      /* Adaptive global speed (the paper's §"Adaptive speed", as in Gephi). */
      for (guint v = 0; v < n; v++)
        {
          double sx = fx[v] - old_fx[v], sy = fy[v] - old_fy[v];
          double tx = fx[v] + old_fx[v], ty = fy[v] + old_fy[v];

          swinging += mass[v] * sqrt (sx * sx + sy * sy);
          traction += 0.5 * mass[v] * sqrt (tx * tx + ty * ty);
        }
      estimated = 0.05 * sqrt ((double)n);
      jitter = JITTER_TOLERANCE
               * MAX (sqrt (estimated),
                      MIN (10.0, estimated * traction / ((double)n * (double)n)));
      if (traction > 0 && swinging / traction > 2.0)
        {
          if (speed_efficiency > 0.05)
            speed_efficiency *= 0.5;
          jitter = MAX (jitter, JITTER_TOLERANCE);
        }
      target = swinging > 0 ? jitter * speed_efficiency * traction / swinging : speed;
      if (swinging > jitter * traction)
        {
          if (speed_efficiency > 0.05)
            speed_efficiency *= 0.7;
        }
      else if (speed < 1000)
        speed_efficiency *= 1.3;
      speed = speed + MIN (target - speed, 0.5 * speed);

      /* Per-node speed: a node that swings moves less. */
      for (guint v = 0; v < n; v++)
        {
          double sx = fx[v] - old_fx[v], sy = fy[v] - old_fy[v];
          double node_swinging = mass[v] * sqrt (sx * sx + sy * sy);
          double factor = speed / (1.0 + sqrt (speed * node_swinging));

          x[v] += fx[v] * factor;
          y[v] += fy[v] * factor;
          old_fx[v] = fx[v];
          old_fy[v] = fy[v];
        }
    }

  for (guint v = 0; v < n; v++)
    {
      positions[2 * v] = x[v];
      positions[2 * v + 1] = y[v];
    }
  if (progress != NULL)
    philia_progress_update (progress, 1.0, "ForceAtlas2 done");
  return TRUE;
}

static const PhiliaLayoutVTable vtable = { forceatlas2 };

gboolean
philia_plugin_register (PhiliaRegistry  *registry,
                        const char      *provider,
                        GError         **error)
{
  const PhiliaAlgorithm algorithm = {
    "forceatlas2", PHILIA_FAMILY_LAYOUT, "ForceAtlas2",
    N_ ("Gephi's continuous force-directed layout with Barnes–Hut repulsion (Jacomy et "
        "al. 2014)."),
    provider, &vtable, NULL,
  };

  return philia_registry_add (registry, &algorithm, error);
}
