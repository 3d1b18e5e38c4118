/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs func (data, task) for every task in [0, n_tasks) on up to n_threads
 * threads (the caller's included) and returns when all have run. Tasks are
 * handed out in order to whichever thread asks next; a caller that needs a
 * result independent of the schedule writes each task's output apart.
 *
 * The workers are one team for the process: they wait for the next job
 * spinning for a fraction of a millisecond (back-to-back tensor ops and
 * short batches start in microseconds instead of a futex wake-up each),
 * then sleep. A run issued while another is in progress, or from inside a
 * task, runs its tasks on the calling thread. */
typedef void (*PhiliaParallelFunc) (gpointer data,
                                    guint    task);

void  philia_parallel_run          (guint              n_threads,
                                    guint              n_tasks,
                                    PhiliaParallelFunc func,
                                    gpointer           data);

G_END_DECLS
