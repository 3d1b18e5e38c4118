/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include <math.h>

#include "philia-canvas-private.h"

/*
 * The progressive layout, live. A worker places the graph (seconds, even at
 * 10^6 nodes) and then refines it step by step; after the placement and
 * every tenth of a second of steps it copies the positions into a back
 * buffer. The main thread swaps that buffer with the one the canvas draws at
 * most ten times a second, and less often when drawing a frame takes longer,
 * so the window keeps answering while a large graph refines. Stopping keeps
 * the picture: the steps done so far become the layout.
 */

#define LIVE_KEY         "philia-canvas-live"
#define PUBLISH_US       (100 * G_TIME_SPAN_MILLISECOND)
#define SWAP_MIN_MS      100

typedef struct
{
  LayoutRequest       *request;      /* handed on to the finishing callback */
  GAsyncReadyCallback  finish;
  PhiliaGraph         *graph;
  PhiliaProgress      *progress;
  guint                n;
  GCancellable        *stop;         /* the user's: stop refining, keep the picture */
  gint64               min_step_us;   /* PHILIA_REFINE_STEP_MS, for tests */
  /* Shared with the worker, under @lock */
  GMutex               lock;
  double              *back;
  gboolean             fresh;
  guint                iteration;
  guint                n_iterations;
  /* Main thread only */
  double              *front;        /* what the canvas draws once the first swap is done */
  gboolean             shown;
  guint                tick_id;
  gint64               swapped_at;
  gint64               started_at;
} Live;

static void
live_free (Live *live)
{
  g_clear_handle_id (&live->tick_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (live->progress, live);
  g_clear_object (&live->graph);
  g_clear_object (&live->progress);
  g_clear_object (&live->stop);
  g_mutex_clear (&live->lock);
  g_free (live->back);
  g_free (live->front);
  g_free (live);
}

static void
publish (Live         *live,
         const double *positions,
         guint         iteration,
         guint         n_iterations)
{
  g_mutex_lock (&live->lock);
  memcpy (live->back, positions, sizeof (double) * 2 * live->n);
  live->fresh = TRUE;
  live->iteration = iteration;
  live->n_iterations = n_iterations;
  g_mutex_unlock (&live->lock);
}

/* A rough placement: shown as step 0 while the placement goes on. */
static void
draft_cb (const double *positions,
          gpointer      user_data)
{
  publish (user_data, positions, 0, PHILIA_LAYOUT_REFINE_ITERATIONS);
}

static void
live_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Live *live = task_data;
  g_autofree double *positions = g_new (double, 2 * MAX (live->n, 1));
  g_autoptr(PhiliaLayoutRefine) refine = NULL;
  gint64 published;
  guint planned = PHILIA_LAYOUT_REFINE_ITERATIONS;

  philia_progress_update (live->progress, 0.0, NULL);
  philia_layout_fast_place_full (live->graph, LAYOUT_SEED, positions, draft_cb, live);
  if (g_task_return_error_if_cancelled (task))
    return;
  publish (live, positions, 0, planned);
  published = g_get_monotonic_time ();

  refine = philia_layout_refine_new (live->graph, positions, planned);
  while (!g_cancellable_is_cancelled (live->stop))
    {
      gint64 start = g_get_monotonic_time ();
      guint done;

      if (!philia_layout_refine_step (refine))
        break;
      done = philia_layout_refine_get_iteration (refine);
      if (g_get_monotonic_time () - start < live->min_step_us)
        g_usleep ((gulong) (live->min_step_us - (g_get_monotonic_time () - start)));

      if (g_task_return_error_if_cancelled (task))
        return;
      philia_progress_update (live->progress, (double) done / planned, NULL);
      if (g_get_monotonic_time () - published >= PUBLISH_US || done == planned)
        {
          publish (live, philia_layout_refine_get_positions (refine), done, planned);
          published = g_get_monotonic_time ();
        }
    }
  memcpy (positions, philia_layout_refine_get_positions (refine),
          sizeof (double) * 2 * live->n);
  g_task_return_pointer (task, g_steal_pointer (&positions), g_free);
}

static gboolean live_tick (gpointer user_data);

/*
 * The step the label names is the one the bar shows, read from the bar
 * whenever the progress moves: the picture is of a step published a little
 * earlier, and a label that followed the pictures fell behind the bar while
 * frames of a large graph took their time.
 */
static void
show_step (Live *live)
{
  PhiliaCanvas *self = live->request->self;
  guint planned = PHILIA_LAYOUT_REFINE_ITERATIONS;
  g_autofree char *message = NULL;

  if (!live->shown || !self->busy || g_cancellable_is_cancelled (live->stop)
      || live->request->serial != self->layout_serial || self->graph != live->graph)
    return;
  /* Translators: the layout is improved in steps while it is shown */
  message = g_strdup_printf (_("Refining the layout: step %u of %u"),
                             (guint) lround (gtk_progress_bar_get_fraction (self->progress_bar)
                                             * planned), planned);
  gtk_label_set_text (self->progress_label, message);
}

static void
fraction_cb (GObject    *progress,
             GParamSpec *pspec,
             gpointer    user_data)
{
  show_step (user_data);
}

/* Draws the newest published positions, if any, and says how far it got. */
static void
swap_in (Live *live)
{
  PhiliaCanvas *self = live->request->self;
  double *drawn;
  guint iteration, n_iterations;
  gboolean fresh;

  g_mutex_lock (&live->lock);
  fresh = live->fresh;
  if (fresh)
    {
      drawn = live->back;
      live->back = live->front;
      live->front = drawn;
      live->fresh = FALSE;
    }
  iteration = live->iteration;
  n_iterations = live->n_iterations;
  g_mutex_unlock (&live->lock);

  if (!fresh || live->request->serial != self->layout_serial || self->ego_graph != NULL
      || self->graph != live->graph)
    return;

  if (!live->shown)
    g_debug ("Progressive layout: first picture (step %u of %u) after %.2f s", iteration,
             n_iterations, (g_get_monotonic_time () - live->started_at) / 1e6);
  self->positions = live->front;
  /* Until the user moves the view, the drawing stays fitted as it grows. */
  if (!live->shown || !self->area->user_view)
    {
      _philia_canvas_fit (self);
      _philia_graph_area_refit_frame (self->area, &self->area->view);
    }
  else
    {
      _philia_canvas_update_view (self);
      _philia_canvas_invalidate_frame (self);
    }
  live->shown = TRUE;
  _philia_canvas_update_actions (self);
  show_step (live);
}

/* The next swap waits at least as long again as the main loop was busy
 * (drawing the last one, mostly), so drawing never takes the whole loop. */
static void
schedule_tick (Live *live,
               gint64 busy_us)
{
  guint wait_ms = SWAP_MIN_MS + (guint) MIN (busy_us / 1000, 5000);

  live->tick_id = g_timeout_add (wait_ms, live_tick, live);
}

static gboolean
live_tick (gpointer user_data)
{
  Live *live = user_data;
  gint64 now = g_get_monotonic_time (), busy = 0;

  live->tick_id = 0;
  if (live->swapped_at != 0)
    busy = MAX (0, now - live->swapped_at - SWAP_MIN_MS * G_TIME_SPAN_MILLISECOND);
  swap_in (live);
  live->swapped_at = g_get_monotonic_time ();
  schedule_tick (live, busy);
  return G_SOURCE_REMOVE;
}

static void
live_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Live *live = user_data;
  g_autoptr(PhiliaCanvas) self = g_object_ref (live->request->self);

  g_clear_handle_id (&live->tick_id, g_source_remove);
  g_debug ("Progressive layout: done after %.2f s",
           (g_get_monotonic_time () - live->started_at) / 1e6);
  if (g_object_get_data (G_OBJECT (self), LIVE_KEY) == live)
    g_object_set_data (G_OBJECT (self), LIVE_KEY, NULL);

  /* The finished (or stopped) positions go where any layout's go: the
   * document or the graph's cache, which the canvas then draws. */
  self->live_keeps_view = self->area->user_view && live->shown && self->positions == live->front;
  live->finish (object, result, live->request);
  self->live_keeps_view = FALSE;

  /* Still drawing the buffer (superseded by another layout, say): nothing
   * to draw until that one lands, rather than freed memory. */
  if (self->positions == live->front || self->positions == live->back)
    {
      self->positions = NULL;
      _philia_canvas_update_view (self);
      _philia_canvas_invalidate_frame (self);
      _philia_canvas_update_actions (self);
    }
  live_free (live);
}

/**
 * _philia_canvas_start_live_layout:
 * @request: the whole-graph request of the progressive layout
 * @finish: what finishes any layout request (called with @request)
 *
 * Runs the progressive layout on a worker with the canvas's cancellable and
 * progress, drawing its steps as they come.
 */
void
_philia_canvas_start_live_layout (PhiliaCanvas        *self,
                                  LayoutRequest       *request,
                                  GAsyncReadyCallback  finish)
{
  g_autoptr(GTask) task = NULL;
  Live *live = g_new0 (Live, 1);

  live->request = request;
  live->finish = finish;
  live->graph = g_object_ref (request->graph);
  live->progress = g_object_ref (self->progress);
  live->n = philia_graph_get_n_nodes (request->graph);
  live->stop = g_cancellable_new ();
  /* Tests watch a small graph refine at the pace of a large one. */
  {
    const char *env = g_getenv ("PHILIA_REFINE_STEP_MS");
    guint64 ms;

    if (env != NULL && g_ascii_string_to_unsigned (env, 10, 0, 10000, &ms, NULL))
      live->min_step_us = (gint64) ms * G_TIME_SPAN_MILLISECOND;
  }
  g_mutex_init (&live->lock);
  live->started_at = g_get_monotonic_time ();
  live->back = g_new (double, 2 * MAX (live->n, 1));
  live->front = g_new (double, 2 * MAX (live->n, 1));
  g_object_set_data (G_OBJECT (self), LIVE_KEY, live);
  /* After the bar's own binding, so the label reads the fraction it shows. */
  g_signal_connect_after (live->progress, "notify::fraction", G_CALLBACK (fraction_cb), live);

  task = g_task_new (NULL, self->layout_cancellable, live_done_cb, live);
  g_task_set_source_tag (task, _philia_canvas_start_live_layout);
  g_task_set_task_data (task, live, NULL);
  g_task_run_in_thread (task, live_thread);
  schedule_tick (live, 0);
}

/**
 * _philia_canvas_stop_live_layout:
 *
 * Stops the refinement on show and keeps what it drew as the layout.
 *
 * Returns: whether a live layout was running (else the caller cancels).
 */
gboolean
_philia_canvas_stop_live_layout (PhiliaCanvas *self)
{
  Live *live = g_object_get_data (G_OBJECT (self), LIVE_KEY);

  if (live == NULL || live->request->serial != self->layout_serial)
    return FALSE;
  g_cancellable_cancel (live->stop);
  gtk_label_set_text (self->progress_label, _("Keeping the layout as it is…"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.cancel-layout", FALSE);
  return TRUE;
}
