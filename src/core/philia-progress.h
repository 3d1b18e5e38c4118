/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define PHILIA_TYPE_PROGRESS (philia_progress_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaProgress, philia_progress, PHILIA, PROGRESS, GObject)

/*
 * A progress sink that a worker thread writes to and the main thread reads.
 * Updates are stored under a mutex; property notifications are coalesced into
 * one low-priority idle on the main context that was the thread-default when
 * the object was created, so binding a GtkProgressBar to "fraction" is safe.
 */
PhiliaProgress *philia_progress_new          (void);
void            philia_progress_update       (PhiliaProgress *self,
                                              double          fraction,
                                              const char     *message);
void            philia_progress_set_fraction (PhiliaProgress *self,
                                              double          fraction);
double          philia_progress_get_fraction (PhiliaProgress *self);
char           *philia_progress_dup_message  (PhiliaProgress *self);

G_END_DECLS
