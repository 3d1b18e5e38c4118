/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-parallel-private.h"

#if defined(__x86_64__) || defined(__i386__)
# include <immintrin.h>
# define cpu_relax() _mm_pause ()
#else
# define cpu_relax() do { } while (0)
#endif

/* Workers beyond this are never started: the ops split into at most 64 blocks. */
#define MAX_WORKERS 63
/* How long an idle worker spins before it sleeps. A training epoch issues its
 * ops microseconds apart; a futex wake-up costs tens of microseconds on a VM. */
#define SPIN_USEC 200

typedef struct
{
  PhiliaParallelFunc func;
  gpointer           data;
  guint              n_tasks;
  gint               next;          /* next unclaimed task */
  gint               done_workers;  /* workers that have left the job */
} Job;

/* Each worker waits on a slot of its own: a job is handed to exactly the
 * workers it wants, and the caller returns only once each has left it (its
 * Job lives on the caller's stack). */
typedef struct
{
  gint   generation;
  Job   *job;
} Slot;

static struct
{
  Slot     slots[MAX_WORKERS];
  guint    n_started;
  GMutex   lock;          /* sleeping workers, and starting them */
  GCond    wake;
  gint     n_sleeping;
  GMutex   busy;          /* held by the caller of a run */
} team;

static GPrivate in_task;

static void
claim_tasks (Job *job)
{
  for (;;)
    {
      guint task = (guint)g_atomic_int_add (&job->next, 1);

      if (task >= job->n_tasks)
        return;
      job->func (job->data, task);
    }
}

static gpointer
worker (gpointer data)
{
  Slot *slot = data;
  gint seen = 0;   /* the slot's generation moves only once its worker exists */

  g_private_set (&in_task, GINT_TO_POINTER (1));
  for (;;)
    {
      gint64 spin_until = 0;
      guint spins = 0;
      Job *job;

      /* Spin a while, then sleep until this slot's generation moves. */
      while (g_atomic_int_get (&slot->generation) == seen)
        {
          cpu_relax ();
          if ((++spins & 255) != 0)
            continue;
          if (spin_until == 0)
            spin_until = g_get_monotonic_time () + SPIN_USEC;
          else if (g_get_monotonic_time () > spin_until)
            {
              g_mutex_lock (&team.lock);
              g_atomic_int_inc (&team.n_sleeping);
              while (g_atomic_int_get (&slot->generation) == seen)
                g_cond_wait (&team.wake, &team.lock);
              g_atomic_int_add (&team.n_sleeping, -1);
              g_mutex_unlock (&team.lock);
              break;
            }
        }
      seen++;
      job = g_atomic_pointer_get (&slot->job);
      claim_tasks (job);
      /* The last touch of the job: the caller may return after it. */
      g_atomic_int_inc (&job->done_workers);
    }
  return NULL;
}

void
philia_parallel_run (guint              n_threads,
                     guint              n_tasks,
                     PhiliaParallelFunc func,
                     gpointer           data)
{
  Job job = { func, data, n_tasks, 0, 0 };
  guint n_workers, spins = 0;

  g_return_if_fail (func != NULL);

  n_workers = MIN (MIN (n_threads, n_tasks), MAX_WORKERS + 1);
  if (n_workers <= 1 || g_private_get (&in_task) != NULL || !g_mutex_trylock (&team.busy))
    {
      for (guint task = 0; task < n_tasks; task++)
        func (data, task);
      return;
    }
  n_workers--;   /* the caller is one of them */

  g_mutex_lock (&team.lock);
  while (team.n_started < n_workers)
    {
      g_thread_unref (g_thread_new ("philia-worker", worker, &team.slots[team.n_started]));
      team.n_started++;
    }
  g_mutex_unlock (&team.lock);

  for (guint w = 0; w < n_workers; w++)
    {
      g_atomic_pointer_set (&team.slots[w].job, &job);
      g_atomic_int_inc (&team.slots[w].generation);
    }
  if (g_atomic_int_get (&team.n_sleeping) > 0)
    {
      g_mutex_lock (&team.lock);
      g_cond_broadcast (&team.wake);
      g_mutex_unlock (&team.lock);
    }

  g_private_set (&in_task, GINT_TO_POINTER (1));
  claim_tasks (&job);
  g_private_set (&in_task, NULL);

  while ((guint)g_atomic_int_get (&job.done_workers) < n_workers)
    {
      cpu_relax ();
      /* A worker descheduled in the middle of a task: let it run. */
      if ((++spins & 4095) == 0)
        g_thread_yield ();
    }
  g_mutex_unlock (&team.busy);
}
