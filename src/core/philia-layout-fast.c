/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-layout-fast-private.h"
#include "philia-parallel-private.h"

/*
 * FR on 10^6 nodes and 10^7 edges ran for minutes before anything was drawn.
 * Here a picture comes in seconds and improves while the user looks:
 *
 * Placement. The coordinates of a spectral drawing (Koren's degree-normalised
 * eigenvectors) are the slowest-mixing directions of the random walk, so
 * communities come out as separate regions. A few power iterations of the
 * lazy walk ½ (I + D⁻¹A), from a seeded random start, kept D-orthogonal to
 * the constant vector and to each other within each component, approach them
 * in O(k (n + m)). Every component is scaled to an area that follows its size
 * and the components are packed on shelves, largest first.
 *
 * Refinement. Each step moves every node towards the mean of its neighbours
 * (the spring of a Tutte drawing, which keeps the communities together) and
 * down the gradient of the smoothed node density on a grid (a particle-mesh
 * repulsion, O(n + grid) whatever the clustering, where FR's grid of cells
 * degrades to O(n²) when the nodes bunch up). The repulsion is scaled to the
 * springs' mean size, so the shape does not depend on the drawing's scale, a
 * weak pull to the centre keeps isolated nodes from drifting away, and each
 * move is capped by a temperature that cools over the planned steps.
 */

#define PLACE_ITERATIONS 30

gboolean
philia_layout_is_progressive (const char *algorithm)
{
  return g_strcmp0 (algorithm, PHILIA_LAYOUT_PROGRESSIVE) == 0;
}

static double
uniform (PhiliaRng *rng)
{
  return (philia_rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

typedef struct
{
  guint start;   /* into the order array */
  guint size;
} Piece;

static int
compare_pieces (gconstpointer a,
                gconstpointer b)
{
  const Piece *x = a, *y = b;

  if (x->size != y->size)
    return (x->size < y->size) - (x->size > y->size);
  return (x->start > y->start) - (x->start < y->start);
}

/* Components by breadth-first search: @order holds them one after another,
 * @comp each node's component. Returns the pieces in discovery order. */
static GArray *
find_pieces (PhiliaGraph *graph,
             gint32      *order,
             guint       *comp)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  GArray *pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
  guint filled = 0;

  for (guint v = 0; v < n; v++)
    comp[v] = G_MAXUINT;
  for (guint s = 0; s < n; s++)
    {
      Piece piece = { filled, 0 };
      guint head = filled, id = pieces->len;

      if (comp[s] != G_MAXUINT)
        continue;
      comp[s] = id;
      order[filled++] = (gint32)s;
      while (head < filled)
        {
          gint32 u = order[head++];

          for (gint64 e = off[u]; e < off[u + 1]; e++)
            if (comp[nbr[e]] == G_MAXUINT)
              {
                comp[nbr[e]] = id;
                order[filled++] = nbr[e];
              }
        }
      piece.size = filled - piece.start;
      g_array_append_val (pieces, piece);
    }
  return pieces;
}

/* Within each component: @v minus its degree-weighted mean, minus its
 * D-projection on @against (when given, of unit D-norm), scaled to unit
 * D-norm. @acc holds 2 doubles per component. */
static void
orthonormalise (const double *degree,
                const guint  *comp,
                guint         n,
                guint         n_comp,
                double       *v,
                const double *against,
                double       *acc)
{
  memset (acc, 0, sizeof (double) * 2 * n_comp);
  for (guint u = 0; u < n; u++)
    {
      acc[2 * comp[u]] += degree[u] * v[u];
      acc[2 * comp[u] + 1] += degree[u];
    }
  for (guint u = 0; u < n; u++)
    if (acc[2 * comp[u] + 1] > 0)
      v[u] -= acc[2 * comp[u]] / acc[2 * comp[u] + 1];
  if (against != NULL)
    {
      memset (acc, 0, sizeof (double) * 2 * n_comp);
      for (guint u = 0; u < n; u++)
        acc[2 * comp[u]] += degree[u] * v[u] * against[u];
      for (guint u = 0; u < n; u++)
        v[u] -= acc[2 * comp[u]] * against[u];
    }
  memset (acc, 0, sizeof (double) * 2 * n_comp);
  for (guint u = 0; u < n; u++)
    acc[2 * comp[u]] += degree[u] * v[u] * v[u];
  for (guint u = 0; u < n; u++)
    v[u] = acc[2 * comp[u]] > 1e-300 ? v[u] / sqrt (acc[2 * comp[u]]) : 0.0;
}

/* The O(m) loops run on a few threads over ranges of nodes; each writes its
 * own nodes only, so the result does not depend on the schedule. */
#define N_CHUNKS 64

static guint
n_threads (void)
{
  return MIN (g_get_num_processors (), 8);
}

typedef struct
{
  const gint64 *off;
  const gint32 *nbr;
  guint         n;
  const double *xy;      /* 2 n */
  double       *out;     /* 2 n */
  double       *sums;    /* N_CHUNKS, for the refinement's spring sizes */
  double        cx;
  double        cy;
} Walk;

/* One step of the lazy walk on both coordinates at once (one fetch of a
 * neighbour gives both): out = ½ (xy + mean of the neighbours' xy). */
static void
lazy_walk_chunk (gpointer data,
                 guint    chunk)
{
  Walk *w = data;
  guint first = (guint) ((guint64) w->n * chunk / N_CHUNKS);
  guint last = (guint) ((guint64) w->n * (chunk + 1) / N_CHUNKS);

  for (guint u = first; u < last; u++)
    {
      gint64 d = w->off[u + 1] - w->off[u];
      double sx = 0, sy = 0;

      for (gint64 e = w->off[u]; e < w->off[u + 1]; e++)
        {
          sx += w->xy[2 * w->nbr[e]];
          sy += w->xy[2 * w->nbr[e] + 1];
        }
      w->out[2 * u] = d > 0 ? 0.5 * (w->xy[2 * u] + sx / (double)d) : w->xy[2 * u];
      w->out[2 * u + 1] = d > 0 ? 0.5 * (w->xy[2 * u + 1] + sy / (double)d) : w->xy[2 * u + 1];
    }
}

static void
lazy_walk (const gint64 *off,
           const gint32 *nbr,
           guint         n,
           double       *x,
           double       *y,
           double       *xy,
           double       *out)
{
  Walk w = { off, nbr, n, xy, out, NULL, 0, 0 };

  for (guint u = 0; u < n; u++)
    {
      xy[2 * u] = x[u];
      xy[2 * u + 1] = y[u];
    }
  philia_parallel_run (n_threads (), N_CHUNKS, lazy_walk_chunk, &w);
  for (guint u = 0; u < n; u++)
    {
      x[u] = out[2 * u];
      y[u] = out[2 * u + 1];
    }
}

/* Scales the piece's local coordinates (in @xy, by node) to an RMS radius of
 * √size / 2 (a pair closer), pulls the few far outliers of a spectral drawing in to twice
 * that, and returns its bounding box. */
static void
shape_piece (const gint32 *nodes,
             guint         size,
             double       *x,
             double       *y,
             double        box[4])
{
  /* A pair is drawn closer than the gap between pieces, so it reads as one. */
  double cx = 0, cy = 0, rms = 0, target = size <= 2 ? 0.25 : 0.5 * sqrt ((double)size);
  double scale, limit;

  for (guint i = 0; i < size; i++)
    {
      cx += x[nodes[i]] / size;
      cy += y[nodes[i]] / size;
    }
  for (guint i = 0; i < size; i++)
    rms += ((x[nodes[i]] - cx) * (x[nodes[i]] - cx) + (y[nodes[i]] - cy) * (y[nodes[i]] - cy))
           / size;
  rms = sqrt (rms);
  scale = rms > 1e-12 ? target / rms : 0.0;
  limit = 2 * target;
  box[0] = box[1] = G_MAXDOUBLE;
  box[2] = box[3] = -G_MAXDOUBLE;
  for (guint i = 0; i < size; i++)
    {
      double px = (x[nodes[i]] - cx) * scale, py = (y[nodes[i]] - cy) * scale;
      double r = hypot (px, py);

      if (r > limit)
        {
          px *= limit / r;
          py *= limit / r;
        }
      x[nodes[i]] = px;
      y[nodes[i]] = py;
      box[0] = MIN (box[0], px);
      box[1] = MIN (box[1], py);
      box[2] = MAX (box[2], px);
      box[3] = MAX (box[3], py);
    }
}

/* Packs the pieces (sorted, largest first) on shelves: writes @positions
 * from the walk's @x and @y, which it reshapes. */
static void
pack (const GArray *pieces,
      const gint32 *order,
      double       *x,
      double       *y,
      double       *positions)
{
  double area = 0, shelf_width, sx = 0, sy = 0, shelf_height = 0;

  /* Pieces of one or two nodes have no second eigenvector: a dot, a pair. */
  for (guint c = 0; c < pieces->len; c++)
    {
      const Piece *piece = &g_array_index (pieces, Piece, c);

      if (piece->size <= 2)
        for (guint i = 0; i < piece->size; i++)
          {
            x[order[piece->start + i]] = i == 0 ? -0.5 : 0.5;
            y[order[piece->start + i]] = 0;
          }
      area += 4.0 * piece->size;
    }

  /* Shelves, largest piece first, in a roughly square region. */
  shelf_width = MAX (sqrt (area) * 1.1, 2.0 * sqrt ((double)g_array_index (pieces, Piece,
                                                                            0).size) + 1);
  for (guint c = 0; c < pieces->len; c++)
    {
      const Piece *piece = &g_array_index (pieces, Piece, c);
      const gint32 *nodes = order + piece->start;
      double box[4], gap = 1.0 + 0.05 * sqrt ((double)piece->size);

      shape_piece (nodes, piece->size, x, y, box);
      if (sx > 0 && sx + (box[2] - box[0]) > shelf_width)
        {
          sx = 0;
          sy += shelf_height;
          shelf_height = 0;
        }
      for (guint i = 0; i < piece->size; i++)
        {
          positions[2 * nodes[i]] = sx + x[nodes[i]] - box[0];
          positions[2 * nodes[i] + 1] = sy + y[nodes[i]] - box[1];
        }
      sx += (box[2] - box[0]) + gap;
      shelf_height = MAX (shelf_height, (box[3] - box[1]) + gap);
    }
}

/**
 * philia_layout_fast_place_full:
 * @positions: (out caller-allocates): 2 n coordinates
 * @draft: (nullable): called with a rougher placement in @positions after
 *   2, 6 and 14 of the PLACE_ITERATIONS walks, so that a very large graph
 *   shows something before the placement ends
 *
 * Reproducible for a given @seed (the drafts change nothing of the result).
 * O(PLACE_ITERATIONS (n + m)).
 */
void
philia_layout_fast_place_full (PhiliaGraph          *graph,
                               guint64               seed,
                               double               *positions,
                               PhiliaLayoutDraftFunc draft,
                               gpointer              user_data)
{
  guint n;
  const gint64 *off;
  const gint32 *nbr;
  g_autofree gint32 *order = NULL;
  g_autofree guint *comp = NULL;
  g_autofree double *x = NULL, *y = NULL, *xy = NULL, *tmp = NULL, *degree = NULL;
  g_autofree double *acc = NULL;
  g_autoptr(GArray) pieces = NULL;
  g_autoptr(GArray) sorted = NULL;
  PhiliaRng rng;

  g_return_if_fail (PHILIA_IS_GRAPH (graph));
  n = philia_graph_get_n_nodes (graph);
  if (n == 0)
    return;
  g_return_if_fail (positions != NULL);
  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);

  order = g_new (gint32, n);
  comp = g_new (guint, n);
  pieces = find_pieces (graph, order, comp);
  sorted = g_array_copy (pieces);
  g_array_sort (sorted, compare_pieces);
  x = g_new (double, n);
  y = g_new (double, n);
  xy = g_new (double, 2 * n);
  tmp = g_new (double, 2 * n);
  degree = g_new (double, n);
  acc = g_new (double, 2 * pieces->len);

  philia_rng_init (&rng, seed ^ G_GUINT64_CONSTANT (0x706c616365000000));
  for (guint u = 0; u < n; u++)
    {
      x[u] = uniform (&rng) - 0.5;
      y[u] = uniform (&rng) - 0.5;
      degree[u] = (double)(off[u + 1] - off[u]);
    }
  orthonormalise (degree, comp, n, pieces->len, x, NULL, acc);
  orthonormalise (degree, comp, n, pieces->len, y, x, acc);
  for (guint it = 1; it <= PLACE_ITERATIONS; it++)
    {
      lazy_walk (off, nbr, n, x, y, xy, tmp);
      orthonormalise (degree, comp, n, pieces->len, x, NULL, acc);
      orthonormalise (degree, comp, n, pieces->len, y, x, acc);
      if (draft != NULL && (it == 2 || it == 6 || it == 14))
        {
          /* On copies: packing reshapes what it packs. */
          memcpy (xy, x, sizeof (double) * n);
          memcpy (tmp, y, sizeof (double) * n);
          pack (sorted, order, xy, tmp, positions);
          draft (positions, user_data);
        }
    }
  pack (sorted, order, x, y, positions);
}

void
philia_layout_fast_place (PhiliaGraph *graph,
                          guint64      seed,
                          double      *positions)
{
  philia_layout_fast_place_full (graph, seed, positions, NULL, NULL);
}

/* Refinement */

struct _PhiliaLayoutRefine
{
  PhiliaGraph *graph;
  guint        n;
  guint        iteration;
  guint        n_iterations;
  guint        grid;          /* cells a side */
  double      *positions;     /* 2 n */
  double      *move;          /* 2 n: the springs' pull */
  double      *push;          /* 2 n: down the density gradient */
  double      *density;       /* grid², then the smoothed density */
  double      *far;           /* grid²: the density smoothed wide */
  double      *scratch;       /* grid² */
  double      *grad;          /* 2 grid² */
};

PhiliaLayoutRefine *
philia_layout_refine_new (PhiliaGraph  *graph,
                          const double *positions,
                          guint         n_iterations)
{
  PhiliaLayoutRefine *self;
  guint n, g;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  n = philia_graph_get_n_nodes (graph);
  g_return_val_if_fail (positions != NULL || n == 0, NULL);

  self = g_new0 (PhiliaLayoutRefine, 1);
  self->graph = g_object_ref (graph);
  self->n = n;
  self->n_iterations = n_iterations;
  /* About two nodes a cell on average (a drawing fills about half its box). */
  g = (guint)ceil (sqrt (n / 4.0));
  self->grid = g = CLAMP (g, 8, 512);
  self->positions = g_new (double, 2 * MAX (n, 1));
  if (n > 0)
    memcpy (self->positions, positions, sizeof (double) * 2 * n);
  self->move = g_new (double, 2 * MAX (n, 1));
  self->push = g_new (double, 2 * MAX (n, 1));
  self->far = g_new (double, g * g);
  self->density = g_new (double, g * g);
  self->scratch = g_new (double, g * g);
  self->grad = g_new (double, 2 * g * g);
  return self;
}

void
philia_layout_refine_free (PhiliaLayoutRefine *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->graph);
  g_free (self->positions);
  g_free (self->move);
  g_free (self->push);
  g_free (self->far);
  g_free (self->density);
  g_free (self->scratch);
  g_free (self->grad);
  g_free (self);
}

guint
philia_layout_refine_get_iteration (PhiliaLayoutRefine *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->iteration;
}

guint
philia_layout_refine_get_n_iterations (PhiliaLayoutRefine *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_iterations;
}

const double *
philia_layout_refine_get_positions (PhiliaLayoutRefine *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->positions;
}

/* A box blur of radius @r along rows (@stride 1) or columns (@stride g) of
 * the g × g @src into @dst; outside the grid counts as empty. */
static void
box_blur (const double *src,
          double       *dst,
          guint         g,
          guint         r,
          gboolean      columns)
{
  gsize step = columns ? g : 1, line = columns ? 1 : g;
  double norm = 1.0 / (2 * r + 1);

  for (guint l = 0; l < g; l++)
    {
      const double *s = src + l * line;
      double *d = dst + l * line;
      double sum = 0;

      for (guint i = 0; i < MIN (r, g); i++)
        sum += s[i * step];
      for (guint i = 0; i < g; i++)
        {
          if (i + r < g)
            sum += s[(i + r) * step];
          d[i * step] = sum * norm;
          if (i >= r)
            sum -= s[(i - r) * step];
        }
    }
}

/* Two box passes each way: close to a Gaussian of σ ≈ 0.8 r. */
static void
smooth (double *grid,
        double *scratch,
        guint   g,
        guint   r)
{
  for (guint pass = 0; pass < 2; pass++)
    {
      box_blur (grid, scratch, g, r, FALSE);
      box_blur (scratch, grid, g, r, TRUE);
    }
}

static void
springs_chunk (gpointer data,
               guint    chunk)
{
  Walk *w = data;
  guint first = (guint) ((guint64) w->n * chunk / N_CHUNKS);
  guint last = (guint) ((guint64) w->n * (chunk + 1) / N_CHUNKS);
  const double *p = w->xy;
  double *mv = w->out, sum = 0;

  for (guint u = first; u < last; u++)
    {
      gint64 d = w->off[u + 1] - w->off[u];
      double sx = 0, sy = 0;

      for (gint64 e = w->off[u]; e < w->off[u + 1]; e++)
        {
          sx += p[2 * w->nbr[e]];
          sy += p[2 * w->nbr[e] + 1];
        }
      mv[2 * u] = d > 0 ? 0.5 * (sx / d - p[2 * u]) : 0.0;
      mv[2 * u + 1] = d > 0 ? 0.5 * (sy / d - p[2 * u + 1]) : 0.0;
      mv[2 * u] += 0.01 * (w->cx - p[2 * u]);
      mv[2 * u + 1] += 0.01 * (w->cy - p[2 * u + 1]);
      sum += mv[2 * u] * mv[2 * u] + mv[2 * u + 1] * mv[2 * u + 1];
    }
  w->sums[chunk] = sum;
}

/**
 * philia_layout_refine_step:
 *
 * O(n + m + grid²). Nodes that are at the same place move apart: the
 * springs pull them the same way, the density gradient pushes them
 * differently once they fall into different cells.
 *
 * Returns: whether a step ran.
 */
gboolean
philia_layout_refine_step (PhiliaLayoutRefine *self)
{
  const gint64 *off;
  const gint32 *nbr;
  double *p, *mv, *push;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  double side, h, cx, cy, spring_rms = 0, push_rms = 0, ratio, t, mean;
  guint n, g, r_small, r_large;

  g_return_val_if_fail (self != NULL, FALSE);
  if (self->iteration >= self->n_iterations)
    return FALSE;
  self->iteration++;
  n = self->n;
  if (n < 2)
    return TRUE;

  off = philia_graph_get_row_offsets (self->graph);
  nbr = philia_graph_get_neighbors (self->graph);
  p = self->positions;
  mv = self->move;
  push = self->push;
  g = self->grid;

  for (guint u = 0; u < n; u++)
    {
      x0 = MIN (x0, p[2 * u]);
      x1 = MAX (x1, p[2 * u]);
      y0 = MIN (y0, p[2 * u + 1]);
      y1 = MAX (y1, p[2 * u + 1]);
    }
  side = MAX (x1 - x0, y1 - y0);
  if (!(side > 0) || !isfinite (side))
    side = 1.0;
  cx = 0.5 * (x0 + x1);
  cy = 0.5 * (y0 + y1);
  /* A margin of a tenth each side, so that the density falls to nothing
   * inside the grid and the edge nodes feel the outward push. */
  side *= 1.2;
  x0 = cx - side / 2;
  y0 = cy - side / 2;
  h = side / g;

  /* The springs: towards the neighbours' mean, and a weak pull to the centre. */
  {
    double sums[N_CHUNKS];
    Walk w = { off, nbr, n, p, mv, sums, cx, cy };

    philia_parallel_run (n_threads (), N_CHUNKS, springs_chunk, &w);
    for (guint c = 0; c < N_CHUNKS; c++)
      spring_rms += sums[c];
  }
  spring_rms = sqrt (spring_rms / n);

  /* The density, bilinear splats at cell centres, over its mean. */
  memset (self->density, 0, sizeof (double) * g * g);
  for (guint u = 0; u < n; u++)
    {
      double gx = (p[2 * u] - x0) / h - 0.5, gy = (p[2 * u + 1] - y0) / h - 0.5;
      int i = (int)floor (gx), j = (int)floor (gy);
      double fx = gx - i, fy = gy - j;

      for (int dj = 0; dj <= 1; dj++)
        for (int di = 0; di <= 1; di++)
          if (i + di >= 0 && i + di < (int)g && j + dj >= 0 && j + dj < (int)g)
            self->density[(j + dj) * g + (i + di)] += (di ? fx : 1 - fx) * (dj ? fy : 1 - fy);
    }
  mean = (double)n / (g * g);
  for (guint c = 0; c < g * g; c++)
    self->density[c] /= mean;
  /* Near and far: the near blur parts neighbouring nodes, the far one moves
   * whole crowds; their sum is the potential the nodes roll down. */
  r_small = MAX (1, g / 64);
  r_large = MAX (2, g / 8);
  memcpy (self->far, self->density, sizeof (double) * g * g);
  smooth (self->density, self->scratch, g, r_small);
  smooth (self->far, self->scratch, g, r_large);
  for (guint c = 0; c < g * g; c++)
    self->density[c] += self->far[c];
  for (guint j = 0; j < g; j++)
    for (guint i = 0; i < g; i++)
      {
        const double *d = self->density;
        guint il = i > 0 ? i - 1 : i, ir = i + 1 < g ? i + 1 : i;
        guint jl = j > 0 ? j - 1 : j, jr = j + 1 < g ? j + 1 : j;

        self->grad[2 * (j * g + i)] = (d[j * g + ir] - d[j * g + il]) / MAX (1, ir - il);
        self->grad[2 * (j * g + i) + 1] = (d[jr * g + i] - d[jl * g + i]) / MAX (1, jr - jl);
      }

  /* The push at each node, interpolated the way it was splatted. */
  for (guint u = 0; u < n; u++)
    {
      double gx = (p[2 * u] - x0) / h - 0.5, gy = (p[2 * u + 1] - y0) / h - 0.5;
      int i = (int)floor (gx), j = (int)floor (gy);
      double fx = gx - i, fy = gy - j, px = 0, py = 0;

      for (int dj = 0; dj <= 1; dj++)
        for (int di = 0; di <= 1; di++)
          {
            int ci = CLAMP (i + di, 0, (int)g - 1), cj = CLAMP (j + dj, 0, (int)g - 1);
            double w = (di ? fx : 1 - fx) * (dj ? fy : 1 - fy);

            px -= w * self->grad[2 * (cj * g + ci)];
            py -= w * self->grad[2 * (cj * g + ci) + 1];
          }
      push[2 * u] = px;
      push[2 * u + 1] = py;
      push_rms += px * px + py * py;
    }
  push_rms = sqrt (push_rms / n);
  /* Pushes as large as the springs' pull on average (a cell when nothing pulls). */
  ratio = push_rms > 1e-300 ? (spring_rms > 1e-300 ? spring_rms : h) / push_rms : 0.0;

  /* The cap: a tenth of the box at first, cooling to a hundredth. */
  t = side * (0.1 * (1.0 - (double)self->iteration / self->n_iterations) + 0.01);
  for (guint u = 0; u < n; u++)
    {
      double dx = mv[2 * u] + ratio * push[2 * u], dy = mv[2 * u + 1] + ratio * push[2 * u + 1];
      double len = hypot (dx, dy);

      if (len > t)
        {
          dx *= t / len;
          dy *= t / len;
        }
      p[2 * u] += dx;
      p[2 * u + 1] += dy;
    }
  return TRUE;
}

/* The whole progressive layout in one call (the CLI, the project's batch
 * runs): the placement counts as a tenth of the work. */
static gboolean
progressive_compute (PhiliaGraph     *graph,
                     double          *positions,
                     guint64          seed,
                     PhiliaProgress  *progress,
                     gpointer         vtable_data,
                     GCancellable    *cancellable,
                     GError         **error)
{
  g_autoptr(PhiliaLayoutRefine) refine = NULL;
  guint n = philia_graph_get_n_nodes (graph);

  if (n == 0)
    return TRUE;
  if (progress != NULL)
    philia_progress_update (progress, 0.0, NULL);
  philia_layout_fast_place (graph, seed, positions);
  refine = philia_layout_refine_new (graph, positions, PHILIA_LAYOUT_REFINE_ITERATIONS);
  do
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (progress != NULL)
        philia_progress_update (progress, 0.1 + 0.9 * philia_layout_refine_get_iteration (refine)
                                / PHILIA_LAYOUT_REFINE_ITERATIONS, NULL);
    }
  while (philia_layout_refine_step (refine));
  memcpy (positions, philia_layout_refine_get_positions (refine), sizeof (double) * 2 * n);
  if (progress != NULL)
    philia_progress_update (progress, 1.0, NULL);
  return TRUE;
}

const PhiliaLayoutVTable _philia_layout_progressive_vtable = { progressive_compute };
