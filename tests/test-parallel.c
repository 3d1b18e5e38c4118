/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The core's worker team (philia-parallel.c): every task runs exactly once
 * whatever the thread count, back-to-back runs and runs after the workers
 * have gone to sleep, a run from inside a task, and two callers at once. */
#include "config.h"

#include "philia-core.h"
#include "philia-parallel-private.h"

typedef struct
{
  gint    *counts;
  guint    n_tasks;
  guint    nested_threads;   /* > 0: each task runs a nested philia_parallel_run */
  gint    *nested_counts;
} Work;

static void
nested_task (gpointer data,
             guint    task)
{
  g_atomic_int_inc ((gint *)data + task);
}

static void
count_task (gpointer data,
            guint    task)
{
  Work *w = data;

  g_assert_cmpuint (task, <, w->n_tasks);
  g_atomic_int_inc (&w->counts[task]);
  if (w->nested_threads > 0)
    philia_parallel_run (w->nested_threads, 4, nested_task, w->nested_counts + 4 * task);
}

static void
run_and_check (guint n_threads,
               guint n_tasks,
               guint nested)
{
  g_autofree gint *counts = g_new0 (gint, MAX (n_tasks, 1));
  g_autofree gint *nested_counts = g_new0 (gint, 4 * MAX (n_tasks, 1));
  Work w = { counts, n_tasks, nested, nested_counts };

  philia_parallel_run (n_threads, n_tasks, count_task, &w);
  for (guint k = 0; k < n_tasks; k++)
    {
      g_assert_cmpint (counts[k], ==, 1);
      for (guint j = 0; nested > 0 && j < 4; j++)
        g_assert_cmpint (nested_counts[4 * k + j], ==, 1);
    }
}

static void
test_counts (void)
{
  static const guint threads[] = { 1, 2, 3, 8 };
  static const guint tasks[] = { 0, 1, 2, 5, 64, 1000 };

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    for (guint j = 0; j < G_N_ELEMENTS (tasks); j++)
      for (guint rep = 0; rep < 50; rep++)
        run_and_check (threads[i], tasks[j], 0);
}

/* After a pause longer than the workers' spin they sleep; a run wakes them. */
static void
test_after_sleep (void)
{
  for (guint rep = 0; rep < 5; rep++)
    {
      run_and_check (4, 16, 0);
      g_usleep (3000);
    }
}

typedef struct
{
  GThread *caller;
  gint     by_caller[64];   /* 1: the caller ran the task, 2: a worker did */
  gint     caller_done;     /* tasks the caller has finished */
  gint     hold;            /* a worker's task waits for this many of them */
} Ends;

static void
ends_task (gpointer data,
           guint    task)
{
  Ends *e = data;
  gboolean mine = g_thread_self () == e->caller;

  g_assert_cmpint (g_atomic_int_add (&e->by_caller[task], mine ? 1 : 2), ==, 0);
  if (mine)
    {
      g_usleep (100);
      g_atomic_int_inc (&e->caller_done);
      return;
    }
  /* A slow worker, made slow by waiting for the caller rather than by a
   * sleep: on a loaded machine a sleep of the worker's can be shorter than
   * the caller's time off the CPU, and the caller would then run fewer
   * tasks for reasons of the scheduler's. Bounded, so that a team that
   * never lets the caller run fails the assertion instead of hanging. */
  for (guint wait = 0; wait < 100000 && g_atomic_int_get (&e->caller_done) < e->hold; wait++)
    g_usleep (100);
}

/* On two threads the caller takes tasks from the front, the worker from the
 * back: an op cut into more blocks than threads still leaves each thread
 * one contiguous share (the rows it wrote in the op before), and a worker
 * that is slow leaves the rest of its share to the caller
 * (_philia_tape_parallel_rows_ns ()). A shared counter handed out the tasks
 * in turns. */
static void
test_two_ends (void)
{
  for (guint rep = 0; rep < 20; rep++)
    {
      guint n = 16, split = 0;
      Ends e = { g_thread_self (), { 0 }, 0, rep % 2 ? 0 : (gint)n / 2 };

      philia_parallel_run (2, n, ends_task, &e);
      while (split < n && e.by_caller[split] == 1)
        split++;
      for (guint k = split; k < n; k++)
        g_assert_cmpint (e.by_caller[k], ==, 2);
      /* A worker that waits for half the tasks left the caller them. */
      if (rep % 2 == 0)
        g_assert_cmpuint (split, >=, n / 2);
    }
}

static void
test_nested (void)
{
  run_and_check (4, 12, 3);
}

static gpointer
caller_thread (gpointer data)
{
  for (guint rep = 0; rep < 200; rep++)
    run_and_check (3, 37, 0);
  return NULL;
}

/* Two callers at once: one gets the team, the other runs inline. */
static void
test_concurrent_callers (void)
{
  GThread *a = g_thread_new ("caller-a", caller_thread, NULL);
  GThread *b = g_thread_new ("caller-b", caller_thread, NULL);

  g_thread_join (a);
  g_thread_join (b);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/Philia/Parallel/counts", test_counts);
  g_test_add_func ("/Philia/Parallel/after-sleep", test_after_sleep);
  g_test_add_func ("/Philia/Parallel/two-ends", test_two_ends);
  g_test_add_func ("/Philia/Parallel/nested", test_nested);
  g_test_add_func ("/Philia/Parallel/concurrent-callers", test_concurrent_callers);
  return g_test_run ();
}
