/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Issue 20: what handing work to a second thread costs on this machine, and
 * from how much work on it pays. Measures philia_parallel_run with two
 * tasks of 5 µs (what the split costs beyond them), back to back (the worker
 * still spinning) and after an idle gap (the worker asleep); then, for a streaming
 * kernel (y += a x, 12 bytes and one multiply-add an element) and for
 * single-threaded sgemm split by rows, the time on one thread and split over
 * two, over sizes, to find where two threads start to win. Those figures set
 * the cost model of _philia_tape_parallel_rows_cost (philia-parallel-cost.c).
 *
 * Usage: bench-parallel [REPEATS] (default 2000). Wall-clock medians and
 * minima: on a loaded machine the minimum is the figure that means
 * something (a run in which both threads had a CPU).
 */
#include "config.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "philia-core.h"
#include "philia-parallel-private.h"
#include "philia-cost-private.h"

static double
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* A task of 5 µs of work: two of them on two threads take 5 µs plus the
 * dispatch and join, 10 µs when the worker did not come in time. */
#define BUSY_NS 5000.0

static void
busy (gpointer data,
      guint    task)
{
  double t0 = now_ns ();

  (void)data;
  (void)task;
  while (now_ns () - t0 < BUSY_NS)
    ;
}

/* The hand-over itself: task 0 (the caller's) waits, up to 5 ms, for another
 * thread to start task 1, which notes when it did; the region's cost beyond
 * that is posting and joining. */
typedef struct
{
  double posted;
  double started;
  gint   flag;
} Handover;

static void
handover_task (gpointer data,
               guint    task)
{
  Handover *h = data;

  if (task == 1)
    {
      h->started = now_ns ();
      g_atomic_int_set (&h->flag, 1);
      return;
    }
  while (!g_atomic_int_get (&h->flag) && now_ns () - h->posted < 5e6)
    ;
}

/* Median and minimum of the latency from posting a job to the worker
 * starting it, and of a whole region of no work (two no-op tasks), each
 * run after @gap_usec idle. */
static void
time_handover (int     reps,
               gulong  gap_usec,
               double *lat_median,
               double *lat_best,
               double *noop_median,
               double *noop_best)
{
  double *lat = g_new (double, reps), *noop = g_new (double, reps);

  for (int r = 0; r < reps; r++)
    {
      Handover h = { 0, 0, 0 };
      double t0;

      if (gap_usec > 0)
        g_usleep (gap_usec);
      h.posted = now_ns ();
      philia_parallel_run (2, 2, handover_task, &h);
      lat[r] = h.flag ? h.started - h.posted : 5e6;
      if (gap_usec > 0)
        g_usleep (gap_usec);
      h.flag = 1;   /* no waiting: a region of two no-op tasks */
      t0 = now_ns ();
      philia_parallel_run (2, 2, handover_task, &h);
      noop[r] = now_ns () - t0;
    }
  qsort (lat, reps, sizeof *lat, cmp_double);
  qsort (noop, reps, sizeof *noop, cmp_double);
  *lat_median = lat[reps / 2];
  *lat_best = lat[0];
  *noop_median = noop[reps / 2];
  *noop_best = noop[0];
  g_free (lat);
  g_free (noop);
}

typedef struct
{
  float       *y;
  const float *x;
  gsize        n;
  guint        parts;
} Axpy;

static void
axpy_part (gpointer data,
           guint    task)
{
  Axpy *job = data;
  gsize lo = job->n * task / job->parts, hi = job->n * (task + 1) / job->parts;

  for (gsize i = lo; i < hi; i++)
    job->y[i] += 0.5f * job->x[i];
}

typedef struct
{
  int          m, n, k;
  const float *a, *b;
  float       *c;
  guint        parts;
} Gemm;

static void
gemm_part (gpointer data,
           guint    task)
{
  Gemm *g = data;
  int lo = (int)((gint64)g->m * task / g->parts), hi = (int)((gint64)g->m * (task + 1) / g->parts);

  if (hi > lo)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, hi - lo, g->n, g->k, 1.0f,
                 g->a + (gsize)lo * g->k, g->k, g->b, g->n, 0.0f, g->c + (gsize)lo * g->n, g->n);
}

/* Median and minimum nanoseconds of @reps runs of func over @threads. */
static void
time_runs (guint              threads,
           PhiliaParallelFunc func,
           gpointer           data,
           int                reps,
           gulong             gap_usec,
           double            *median,
           double            *best)
{
  double *t = g_new (double, reps);

  func (data, 0);   /* warm the caches and the pages */
  for (int r = 0; r < reps; r++)
    {
      double t0;

      if (gap_usec > 0)
        g_usleep (gap_usec);
      t0 = now_ns ();
      philia_parallel_run (threads, threads, func, data);
      t[r] = now_ns () - t0;
    }
  qsort (t, reps, sizeof *t, cmp_double);
  *median = t[reps / 2];
  *best = t[0];
  g_free (t);
}

/* As time_runs, but as in a training step: before each run the caller
 * writes @x and @y (the ops before produced them on its core), and after it
 * the caller reads @y (the op after consumes it); the time covers the run
 * and that read. */
static void
time_runs_handoff (guint              threads,
                   PhiliaParallelFunc func,
                   Axpy              *job,
                   int                reps,
                   double            *median,
                   double            *best)
{
  double *t = g_new (double, reps);
  float *z = g_new (float, job->n);

  for (int r = 0; r < reps; r++)
    {
      double t0;

      for (gsize i = 0; i < job->n; i++)
        {
          ((float *)job->x)[i] = (float)(i & 7);
          job->y[i] = (float)(r & 3);
        }
      t0 = now_ns ();
      philia_parallel_run (threads, threads, func, job);
      for (gsize i = 0; i < job->n; i++)
        z[i] = 2.0f * job->y[i];
      t[r] = now_ns () - t0;
    }
  g_free (z);
  qsort (t, reps, sizeof *t, cmp_double);
  *median = t[reps / 2];
  *best = t[0];
  g_free (t);
}

int
main (int    argc,
      char **argv)
{
  int reps = argc > 1 ? atoi (argv[1]) : 2000;
  double med, best, med2, best2;

  openblas_set_num_threads (1);
  printf ("# load average: ");
  {
    g_autofree char *load = NULL;

    if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
      printf ("%s", load);
    else
      printf ("?\n");
  }

  /* Two 5 µs tasks: what the split costs beyond the 5 µs. */
  time_runs (2, busy, NULL, reps, 0, &med, &best);
  printf ("DISPATCH hot    median %.2f us  min %.2f us  (over 5 us of work, back to back)\n",
          (med - BUSY_NS) / 1e3, (best - BUSY_NS) / 1e3);
  time_runs (2, busy, NULL, MAX (reps / 10, 20), 2000, &med, &best);
  printf ("DISPATCH asleep median %.2f us  min %.2f us  (the same after 2 ms idle)\n",
          (med - BUSY_NS) / 1e3, (best - BUSY_NS) / 1e3);

  {
    static const gulong gaps[] = { 0, 20, 100, 400, 2000 };

    for (guint g = 0; g < G_N_ELEMENTS (gaps); g++)
      {
        double lm, lb, nm, nb;

        time_handover (gaps[g] > 100 ? MAX (reps / 10, 20) : reps, gaps[g], &lm, &lb, &nm, &nb);
        printf ("HANDOVER gap %4lu us: worker starts %.2f us after posting (min %.2f); "
                "no-op region %.2f us (min %.2f)\n",
                gaps[g], lm / 1e3, lb / 1e3, nm / 1e3, nb / 1e3);
      }
  }

  printf ("# kind n one_thread_us two_threads_us (minimum; median) model_us parallel\n");
  for (gsize n = 1024; n <= ((gsize)1 << 23); n *= 4)
    {
      Axpy job = { g_new0 (float, n), g_new0 (float, n), n, 1 };

      job.parts = 1;
      time_runs (1, axpy_part, &job, reps, 0, &med, &best);
      job.parts = 2;
      time_runs (2, axpy_part, &job, reps, 0, &med2, &best2);
      printf ("AXPY %" G_GSIZE_FORMAT " %.2f %.2f (%.2f %.2f) %.2f %s\n", n, best / 1e3,
              best2 / 1e3, med / 1e3, med2 / 1e3,
              _philia_cost_ns ((double)n, 12.0 * n) / 1e3,
              _philia_cost_parallel (2, (double)n, 12.0 * n) ? "yes" : "no");
      g_free (job.y);
      g_free ((float *)job.x);
    }
  printf ("# handed over: the caller writes x and y before, reads y after (counted)\n");
  for (gsize n = 1024; n <= ((gsize)1 << 23); n *= 4)
    {
      Axpy job = { g_new0 (float, n), g_new0 (float, n), n, 1 };
      int r = n > ((gsize)1 << 20) ? MAX (reps / 20, 20) : reps;

      job.parts = 1;
      time_runs_handoff (1, axpy_part, &job, r, &med, &best);
      job.parts = 2;
      time_runs_handoff (2, axpy_part, &job, r, &med2, &best2);
      printf ("AXPY-HANDOFF %" G_GSIZE_FORMAT " %.2f %.2f (%.2f %.2f) %.2f %s\n", n, best / 1e3,
              best2 / 1e3, med / 1e3, med2 / 1e3,
              _philia_cost_ns ((double)n, 12.0 * n) / 1e3,
              _philia_cost_parallel (2, (double)n, 12.0 * n) ? "yes" : "no");
      g_free (job.y);
      g_free ((float *)job.x);
    }
  for (int m = 64; m <= 16384; m *= 4)
    for (int w = 8; w <= 256; w *= 4)
      {
        int k = 64;
        Gemm g = { m, w, k, g_new0 (float, (gsize)m * k), g_new0 (float, (gsize)k * w),
                   g_new0 (float, (gsize)m * w), 1 };
        int r = MAX (reps / 10, 20);

        g.parts = 1;
        time_runs (1, gemm_part, &g, r, 0, &med, &best);
        g.parts = 2;
        time_runs (2, gemm_part, &g, r, 0, &med2, &best2);
        printf ("SGEMM %dx%dx%d %.2f %.2f (%.2f %.2f) %.2f %s\n", m, w, k, best / 1e3,
                best2 / 1e3, med / 1e3, med2 / 1e3, _philia_cost_sgemm_ns (m, w, k) / 1e3,
                _philia_cost_parallel_ns (2, _philia_cost_sgemm_ns (m, w, k),
                                                          _philia_cost_gemm_bytes (m, w, k)) ? "yes" : "no");
        g_free ((float *)g.a);
        g_free ((float *)g.b);
        g_free (g.c);
      }
  return 0;
}
