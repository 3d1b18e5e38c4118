/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include <string.h>
#include <time.h>

#include "philia-canvas-private.h"
#include "philia-graph-area-private.h"

/*
 * Full frames of large graphs, drawn off the main thread. A frame of 10^7
 * edges takes seconds; drawn in the snapshot it froze the window and, while
 * the layout refined, kept it frozen (each new step asked for another). The
 * job copies what the frame shows (the view and every array it points to,
 * which the canvas may change or free meanwhile), a worker draws it into an
 * image, and the area swaps it in (philia-graph-area.c) and meanwhile moves
 * the last frame with the view.
 *
 * Screen frames have a level of detail: past a few edges per pixel the
 * drawing is saturated, and drawing more only costs time, so a frame draws a
 * deterministic sample of at most EDGES_PER_PIXEL edges per device pixel
 * (more as the user zooms in, since most edges then fall outside). Exports
 * never sample (philia_graph_view_draw()).
 */

#define EDGES_PER_PIXEL 1.0
/* ... and no more than make this many lines cross each pixel on average (a
 * hairline's mask saturates at about five): long edges, as in the first
 * placement of 10^6 nodes, drew some 150 over each pixel at one a pixel. */
#define CROSSINGS_PER_PIXEL 32.0

struct _PhiliaCanvasFrameJob
{
  PhiliaGraphView    view;         /* every pointer owned by the job */
  PhiliaRenderStyle  style;
  char              *font_family;
  PhiliaRgba         background;
  int                width;
  int                height;
  int                scale_factor;
  guint64            max_edges;
  gint64             created_us;
  gboolean           own_positions;   /* else the area's, lent to this job */
};

static gpointer
dup_array (gconstpointer data,
           gsize         n,
           gsize         size)
{
  return data != NULL ? g_memdup2 (data, n * size) : NULL;
}

/**
 * _philia_canvas_frame_job_new:
 *
 * What the next full frame of the canvas shows at @width × @height, copied,
 * or %NULL with nothing to draw (no graph, or no positions yet).
 */
PhiliaCanvasFrameJob *
_philia_canvas_frame_job_new (PhiliaCanvas *self,
                              int           width,
                              int           height)
{
  const PhiliaGraphView *v = &self->area->view;
  PhiliaCanvasFrameJob *job;
  PhiliaGraphView *c;
  guint n, n_cat;
  gint64 entries;
  double zoom;

  _philia_canvas_update_view (self);
  /* No positions yet: the background alone, as philia-canvas-area.c's draw_graph. */
  if (v->graph == NULL || v->positions == NULL || width <= 0 || height <= 0)
    return NULL;

  job = g_new0 (PhiliaCanvasFrameJob, 1);
  n = philia_graph_get_n_nodes (v->graph);
  n_cat = v->n_categories;
  entries = philia_graph_get_row_offsets (v->graph)[n];
  c = &job->view;
  *c = *v;
  c->graph = g_object_ref (v->graph);
  /* The area's buffers serve one job at a time: a 10^6-node frame copied
   * 16 MB of positions into fresh pages and took some 35 MB more for the
   * render, each frame. While a job draws, another (a test's) has its own. */
  if (!self->area->rendering)
    {
      if (self->area->job_positions_n < 2 * (gsize) n)
        {
          g_free (self->area->job_positions);
          self->area->job_positions = g_new (double, 2 * (gsize) n);
          self->area->job_positions_n = 2 * (gsize) n;
        }
      memcpy (self->area->job_positions, v->positions, 2 * (gsize) n * sizeof (double));
      c->positions = self->area->job_positions;
      c->scratch = self->area->scratch;
    }
  else
    {
      c->positions = dup_array (v->positions, 2 * (gsize) n, sizeof (double));
      c->scratch = NULL;
      job->own_positions = TRUE;
    }
  c->node_values = dup_array (v->node_values, n, sizeof (double));
  c->class_chance = dup_array (v->class_chance, v->n_class_chance, sizeof (double));
  c->value_name = g_strdup (v->value_name);
  c->node_categories = dup_array (v->node_categories, n, sizeof (gint32));
  if (v->category_names != NULL)
    {
      char **names = g_new0 (char *, n_cat + 1);

      for (guint k = 0; k < n_cat; k++)
        names[k] = g_strdup (v->category_names[k]);
      c->category_names = (const char * const *) names;
    }
  c->category_colors = dup_array (v->category_colors, 3 * (gsize) n_cat, sizeof (double));
  c->edge_values = dup_array (v->edge_values, (gsize) entries, sizeof (double));
  c->edge_value_name = g_strdup (v->edge_value_name);
  c->edge_mark_label = g_strdup (v->edge_mark_label);
  c->selected = dup_array (v->selected, n, 1);
  c->highlighted = dup_array (v->highlighted, n, 1);
  c->path = dup_array (v->path, v->n_path, sizeof (guint));
  c->pair = dup_array (v->pair, 2, sizeof (guint));

  job->style = self->style;
  job->font_family = g_strdup (self->style.font_family);
  job->style.font_family = job->font_family;
  job->background = self->canvas_bg;
  job->width = width;
  job->height = height;
  job->scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  /* Zoomed in k times, about 1/k² of the edges are in the frame. */
  zoom = self->area->fit_scale > 0 ? MAX (1.0, v->scale / self->area->fit_scale) : 1.0;
  job->max_edges = (guint64) MIN (EDGES_PER_PIXEL * width * height * job->scale_factor
                                  * job->scale_factor * zoom * zoom, 1e15);
  job->created_us = g_get_monotonic_time ();
  return job;
}

void
_philia_canvas_frame_job_free (PhiliaCanvasFrameJob *job)
{
  PhiliaGraphView *c = &job->view;

  g_clear_object (&c->graph);
  if (job->own_positions)
    g_free ((gpointer) c->positions);
  g_free ((gpointer) c->node_values);
  g_free ((gpointer) c->class_chance);
  g_free ((gpointer) c->value_name);
  g_free ((gpointer) c->node_categories);
  g_strfreev ((char **) c->category_names);
  g_free ((gpointer) c->category_colors);
  g_free ((gpointer) c->edge_values);
  g_free ((gpointer) c->edge_value_name);
  g_free ((gpointer) c->edge_mark_label);
  g_free ((gpointer) c->selected);
  g_free ((gpointer) c->highlighted);
  g_free ((gpointer) c->path);
  g_free ((gpointer) c->pair);
  g_free (job->font_family);
  g_free (job);
}

/* The view the frame was drawn with: the area moves it from there. */
const PhiliaGraphView *
_philia_canvas_frame_job_get_view (const PhiliaCanvasFrameJob *job)
{
  return &job->view;
}

/* For the debug log: what drawing cost this thread, whatever else runs. */
static double
thread_cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/**
 * _philia_canvas_frame_job_run:
 *
 * Draws the frame; any thread. The image is @width × @height device pixels
 * of the job (its scale factor applied).
 *
 * Returns: (transfer full): an ARGB32 image surface
 */
cairo_surface_t *
_philia_canvas_frame_job_run (PhiliaCanvasFrameJob *job)
{
  int sf = job->scale_factor;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, job->width * sf,
                                                         job->height * sf);
  gint64 start = g_get_monotonic_time ();
  double cpu = thread_cpu_s ();
  cairo_t *cr;

  cairo_surface_set_device_scale (surface, sf, sf);
  cr = cairo_create (surface);
  cairo_set_source_rgba (cr, job->background.r, job->background.g, job->background.b,
                         job->background.a);
  cairo_paint (cr);
  job->max_edges = philia_graph_view_edge_budget (&job->view, job->width, job->height,
                                                  CROSSINGS_PER_PIXEL, job->max_edges);
  philia_graph_view_draw_sampled (cr, job->width, job->height, &job->view, &job->style,
                                  job->max_edges);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_debug ("Canvas frame: %d × %d drawn in %.0f ms (%.0f ms of CPU; %.0f ms after it was"
           " asked for), at most %" G_GUINT64_FORMAT " edges",
           job->width, job->height, (g_get_monotonic_time () - start) / 1e3,
           (thread_cpu_s () - cpu) * 1e3, (g_get_monotonic_time () - job->created_us) / 1e3,
           job->max_edges);
  return surface;
}
