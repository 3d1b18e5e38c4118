/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the benchmarks share: on a machine shared with other jobs they report
 * CPU time beside the load average, and the least disturbed of several runs
 * (tests/bench/GRID.md). */

#include <glib.h>
#include <sys/resource.h>

/* CPU seconds of the process so far, user and system. */
static inline double
bench_cpu_seconds (void)
{
  struct rusage use;

  getrusage (RUSAGE_SELF, &use);
  return use.ru_utime.tv_sec + use.ru_stime.tv_sec
         + (use.ru_utime.tv_usec + use.ru_stime.tv_usec) / 1e6;
}

/* The process's peak resident set in MB. */
static inline long
bench_peak_mb (void)
{
  struct rusage use;

  getrusage (RUSAGE_SELF, &use);
  return use.ru_maxrss / 1024;
}

/* The one-minute load average, or -1. */
static inline double
bench_load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return -1;
  return g_ascii_strtod (text, NULL);
}

/* best = the least time over @runs runs of the statements, timed by the
 * including file's now (). */
#define BEST_OF(runs, best, ...)                   \
  do                                               \
    {                                              \
      best = 1e9;                                  \
      for (int run_ = 0; run_ < (runs); run_++)    \
        {                                          \
          double t0_ = now ();                     \
          __VA_ARGS__;                             \
          best = MIN (best, now () - t0_);         \
        }                                          \
    }                                              \
  while (0)
