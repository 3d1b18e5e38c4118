/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <string.h>

#include "philia-graph-view-private.h"

/*
 * What a series of screen frames reuses. A sampled frame of 10^6 nodes
 * needs some 50 MB of arrays (each node's device position and colour, the
 * density grid, the kept edges and their sort), and allocated afresh each
 * frame they came back from the system as fresh pages, faulted in one at a
 * time: a cost in every frame for nothing the frame draws. A scratch keeps
 * each array and image at the largest size asked for, so frames of the
 * same view size allocate nothing, and keeps the kept edges of the last
 * sampled frame (philia-graph-sample.c). One draw at a time takes it (a
 * lock; a second draw meanwhile allocates its own); exports pass none.
 */

/**
 * philia_frame_scratch_new:
 *
 * Buffers for the frames of one view (set it as the view's @scratch).
 *
 * Returns: (transfer full): a new scratch
 */
PhiliaFrameScratch *
philia_frame_scratch_new (void)
{
  PhiliaFrameScratch *scratch = g_new0 (PhiliaFrameScratch, 1);

  g_mutex_init (&scratch->lock);
  g_weak_ref_init (&scratch->kept_graph, NULL);
  g_weak_ref_init (&scratch->density_graph, NULL);
  g_weak_ref_init (&scratch->edges_graph, NULL);
  g_weak_ref_init (&scratch->budget_graph, NULL);
  return scratch;
}

void
philia_frame_scratch_free (PhiliaFrameScratch *scratch)
{
  if (scratch == NULL)
    return;
  for (int i = 0; i < N_SCRATCH_BUFFERS; i++)
    g_free (scratch->buffers[i]);
  for (int i = 0; i < N_SCRATCH_SURFACES; i++)
    g_clear_pointer (&scratch->surfaces[i], cairo_surface_destroy);
  g_free (scratch->kept.pairs);
  g_free (scratch->kept.slots);
  g_weak_ref_clear (&scratch->kept_graph);
  g_weak_ref_clear (&scratch->density_graph);
  g_weak_ref_clear (&scratch->edges_graph);
  g_weak_ref_clear (&scratch->budget_graph);
  g_mutex_clear (&scratch->lock);
  g_free (scratch);
}

/**
 * philia_frame_scratch_get_allocations:
 *
 * How many times a frame had to allocate a buffer or image of the scratch,
 * or its kept edges, since it was made: a frame like the last one adds none.
 */
guint64
philia_frame_scratch_get_allocations (const PhiliaFrameScratch *scratch)
{
  g_return_val_if_fail (scratch != NULL, 0);

  return scratch->allocations;
}

/* @view's scratch when no other draw holds it, else %NULL (allocate). */
PhiliaFrameScratch *
_philia_frame_scratch_lock (const PhiliaGraphView *view)
{
  if (view->scratch == NULL || !g_mutex_trylock (&view->scratch->lock))
    return NULL;
  view->scratch->frame_hash_valid = FALSE;
  return view->scratch;
}

void
_philia_frame_scratch_unlock (PhiliaFrameScratch *scratch)
{
  if (scratch != NULL)
    g_mutex_unlock (&scratch->lock);
}

/* @size bytes of @which, not cleared; give it back with _philia_frame_scratch_give(). */
gpointer
_philia_frame_scratch_take (PhiliaFrameScratch *scratch,
                            ScratchBuffer       which,
                            gsize               size)
{
  size = MAX (size, 1);
  if (scratch == NULL)
    return g_malloc (size);
  if (scratch->sizes[which] < size)
    {
      g_free (scratch->buffers[which]);
      scratch->buffers[which] = g_malloc (size);
      scratch->sizes[which] = size;
      scratch->allocations++;
    }
  return scratch->buffers[which];
}

void
_philia_frame_scratch_give (PhiliaFrameScratch *scratch,
                            gpointer            data)
{
  if (scratch == NULL)
    g_free (data);
}

/* A cleared image of @width × @height pixels at @device_scale. */
cairo_surface_t *
_philia_frame_scratch_surface (PhiliaFrameScratch *scratch,
                               ScratchSurface      which,
                               cairo_format_t      format,
                               int                 width,
                               int                 height,
                               double              device_scale)
{
  cairo_surface_t *surface = scratch != NULL ? scratch->surfaces[which] : NULL;

  if (surface != NULL && cairo_image_surface_get_format (surface) == format
      && cairo_image_surface_get_width (surface) == width
      && cairo_image_surface_get_height (surface) == height)
    {
      cairo_surface_flush (surface);
      memset (cairo_image_surface_get_data (surface), 0,
              (gsize)cairo_image_surface_get_stride (surface) * height);
      cairo_surface_mark_dirty (surface);
    }
  else
    {
      surface = cairo_image_surface_create (format, width, height);
      if (scratch != NULL)
        {
          g_clear_pointer (&scratch->surfaces[which], cairo_surface_destroy);
          scratch->surfaces[which] = surface;
          scratch->allocations++;
        }
    }
  cairo_surface_set_device_scale (surface, device_scale, device_scale);
  cairo_surface_flush (surface);
  return surface;
}

void
_philia_frame_scratch_give_surface (PhiliaFrameScratch *scratch,
                                    cairo_surface_t    *surface)
{
  if (scratch == NULL)
    cairo_surface_destroy (surface);
}

/* A hash of @size bytes (a multiple of 4), four 64-bit lanes at a time. */
guint64
_philia_frame_scratch_hash_bytes (gconstpointer data,
                                  gsize         size)
{
  const guint8 *bytes = data;
  guint64 h[4] = { 1, 2, 3, 4 }, w;
  gsize k = 0;

  for (; k + 32 <= size; k += 32)
    for (int l = 0; l < 4; l++)
      {
        memcpy (&w, bytes + k + 8 * l, 8);
        h[l] = (h[l] ^ w) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)
               + G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
      }
  for (; k + 4 <= size; k += 4)
    {
      guint32 u;

      memcpy (&u, bytes + k, 4);
      h[0] = (h[0] ^ u) * G_GUINT64_CONSTANT (0x94d049bb133111eb) + 1;
    }
  return ((h[0] * 31 + h[1]) * 31 + h[2]) * 31 + h[3] + size;
}

/* The hash of @view's positions, computed once per draw: the density grid
 * and the edge masks both ask whether the positions are the kept ones'. */
guint64
_philia_frame_scratch_positions_hash (PhiliaFrameScratch    *scratch,
                                      const PhiliaGraphView *view)
{
  guint n = philia_graph_get_n_nodes (view->graph);

  if (scratch == NULL || !scratch->frame_hash_valid)
    {
      guint64 h = _philia_frame_scratch_hash_bytes (view->positions,
                                                    2 * (gsize)n * sizeof (double));

      if (scratch == NULL)
        return h;
      scratch->frame_hash = h;
      scratch->frame_hash_valid = TRUE;
    }
  return scratch->frame_hash;
}
