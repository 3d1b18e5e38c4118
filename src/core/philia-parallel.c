/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#ifndef _GNU_SOURCE
# define _GNU_SOURCE   /* sched_getcpu, CPU_SET */
#endif
#include "config.h"

#include "philia-parallel-private.h"

#ifdef __linux__
# include <pthread.h>
# include <sched.h>
#endif

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
  /* The unclaimed tasks [front, back), in one word so that a claim at either
   * end is one compare-and-swap: front in the low 32 bits, back in the high. */
  guint64            ends;
  gint               done_workers;  /* workers that took the job and left it */
  int                caller_cpu;    /* where the caller ran when it posted the job, or -1 */
} Job;

/* Each worker waits on a slot of its own: a job is handed to exactly the
 * workers it wants. A worker takes the job out of its slot when it wakes; one
 * that has not by the time the caller has run out of tasks (asleep, or not
 * yet scheduled) has the job taken back, so the caller never waits for a
 * wake-up. The caller returns once every worker that took the job has left
 * it (the Job lives on the caller's stack). */
typedef struct
{
  gint   generation;
  Job   *job;
  gboolean started_away;  /* started with its creator's CPU left out of its mask */
} Slot;

static struct
{
  Slot     slots[MAX_WORKERS];
  guint    n_started;
  GMutex   lock;          /* sleeping workers, and starting them */
  GCond    wake;
  gint     n_sleeping;
  GMutex   busy;          /* held by the caller of a run */
  gint     caller_cpu;    /* where the last caller ran, or -1 */
} team = { .caller_cpu = -1 };

static GPrivate in_task;
#ifdef __linux__
static cpu_set_t allowed_cpus;   /* the process's, read when the first worker starts */
#endif

/* The scheduler was seen to leave a worker on the CPU of the thread waiting
 * for it, both spinning, each at half speed, for good (it keeps tasks it deems
 * cache-hot where they are, and wakes a thread next to its waker). A worker
 * that finds itself on @cpu steps off it once, then allows every CPU again. */
static void
step_off_cpu (int cpu)
{
#ifdef __linux__
  cpu_set_t all, others;

  if (cpu < 0 || cpu >= CPU_SETSIZE || sched_getcpu () != cpu
      || sched_getaffinity (0, sizeof all, &all) != 0 || CPU_COUNT (&all) < 2
      || !CPU_ISSET (cpu, &all))
    return;
  others = all;
  CPU_CLR (cpu, &others);
  if (sched_setaffinity (0, sizeof others, &others) == 0)
    sched_setaffinity (0, sizeof all, &all);
#endif
}

/* The caller claims tasks from the front, the workers from the back. An op
 * split into more blocks than threads (_philia_tape_parallel_rows_ns ()) so
 * gives each thread its own end of the rows, as a split into halves did:
 * the rows the caller wrote in one op are mostly the ones it reads in the
 * next. But a worker that starts late (woken from its sleep: tens of
 * microseconds, far more when the other core is busy) or runs slower (its
 * operands are in the caller's cache) leaves its last blocks to the caller,
 * which used to wait for the worker's whole half (tests/bench/GRID.md,
 * session 21). Which thread runs a block never changes its rows' bits. */
static void
claim_tasks (Job     *job,
             gboolean from_back)
{
  for (;;)
    {
      guint64 ends = __atomic_load_n (&job->ends, __ATOMIC_ACQUIRE), next;
      guint front = (guint)(ends & G_MAXUINT32), back = (guint)(ends >> 32), task;

      if (front >= back)
        return;
      task = from_back ? back - 1 : front;
      next = from_back ? ((guint64)task << 32) | front : ends + 1;
      if (__atomic_compare_exchange_n (&job->ends, &ends, next, FALSE, __ATOMIC_ACQ_REL,
                                       __ATOMIC_ACQUIRE))
        job->func (job->data, task);
    }
}

static gpointer
worker (gpointer data)
{
  Slot *slot = data;
  gint seen = 0;   /* the slot's generation moves only once its worker exists */

  g_private_set (&in_task, GINT_TO_POINTER (1));
#ifdef __linux__
  /* Started away from the creator's CPU (see start_worker); from here on
   * any CPU will do. */
  if (slot->started_away)
    sched_setaffinity (0, sizeof allowed_cpus, &allowed_cpus);
#endif
  for (;;)
    {
      gint64 spin_until = 0;
      guint spins = 0;
      Job *job;

      /* Spin a while, then sleep until this slot's generation moves. Now
       * and then give the CPU away, in case the caller shares this one. */
      while (g_atomic_int_get (&slot->generation) == seen)
        {
          cpu_relax ();
          if ((++spins & 255) != 0)
            continue;
          step_off_cpu (g_atomic_int_get (&team.caller_cpu));
          g_thread_yield ();
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
      job = g_atomic_pointer_exchange (&slot->job, NULL);
      if (job == NULL)
        continue;   /* taken back: the caller ran every task itself */
      step_off_cpu (job->caller_cpu);
      claim_tasks (job, TRUE);
      /* The last touch of the job: the caller may return after it. */
      g_atomic_int_inc (&job->done_workers);
    }
  return NULL;
}

/* Starts @slot's worker, away from @here (the creator's CPU, or −1): a new
 * thread otherwise begins next to its creator and may never run until the
 * creator stops. */
static void
start_worker (Slot *slot,
              int   here)
{
#ifdef __linux__
  pthread_attr_t attr;
  pthread_t thread;
  cpu_set_t others;

  pthread_attr_init (&attr);
  pthread_attr_setdetachstate (&attr, PTHREAD_CREATE_DETACHED);
  if (here >= 0 && here < CPU_SETSIZE && sched_getaffinity (0, sizeof others, &others) == 0
      && CPU_COUNT (&others) > 1 && CPU_ISSET (here, &others))
    {
      if (team.n_started == 0)
        allowed_cpus = others;
      CPU_CLR (here, &others);
      pthread_attr_setaffinity_np (&attr, sizeof others, &others);
      slot->started_away = TRUE;
    }
  if (pthread_create (&thread, &attr, worker, slot) != 0)
    g_error ("philia: cannot start a worker thread");
  pthread_attr_destroy (&attr);
#else
  g_thread_unref (g_thread_new ("philia-worker", worker, slot));
#endif
}

void
philia_parallel_run (guint              n_threads,
                     guint              n_tasks,
                     PhiliaParallelFunc func,
                     gpointer           data)
{
  Job job = { func, data, n_tasks, (guint64)n_tasks << 32, 0, -1 };
  guint n_workers, taken, spins = 0;

  g_return_if_fail (func != NULL);

  n_workers = MIN (MIN (n_threads, n_tasks), MAX_WORKERS + 1);
  if (n_workers <= 1 || g_private_get (&in_task) != NULL || !g_mutex_trylock (&team.busy))
    {
      for (guint task = 0; task < n_tasks; task++)
        func (data, task);
      return;
    }
  /* (n_tasks fits the 32 bits of an end: guint.) */
  n_workers--;   /* the caller is one of them */
#ifdef __linux__
  job.caller_cpu = sched_getcpu ();
  g_atomic_int_set (&team.caller_cpu, job.caller_cpu);
#endif

  g_mutex_lock (&team.lock);
  while (team.n_started < n_workers)
    {
      start_worker (&team.slots[team.n_started], job.caller_cpu);
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
      /* A woken worker may have been placed on this CPU: let it run now, so
       * that it takes the job and steps off, instead of after our tasks. */
      g_thread_yield ();
    }

  g_private_set (&in_task, GINT_TO_POINTER (1));
  claim_tasks (&job, FALSE);
  g_private_set (&in_task, NULL);

  /* Take the job back from workers that have not picked it up. */
  taken = n_workers;
  for (guint w = 0; w < n_workers; w++)
    if (g_atomic_pointer_compare_and_exchange (&team.slots[w].job, &job, NULL))
      taken--;
  while ((guint)g_atomic_int_get (&job.done_workers) < taken)
    {
      cpu_relax ();
      /* A worker descheduled in the middle of a task, maybe on this CPU: let it run. */
      if ((++spins & 255) == 0)
        g_thread_yield ();
    }
  g_mutex_unlock (&team.busy);
}
