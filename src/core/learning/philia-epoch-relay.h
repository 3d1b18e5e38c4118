/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Hands per-epoch records from a worker thread to the caller's main context,
 * batched: the shared plumbing of philia_train_async() and
 * philia_adapt_async(). Private to the core. */
typedef struct _PhiliaEpochRelay PhiliaEpochRelay;

/* Calls @func (the caller's typed epochs function, as a GCallback) with
 * @n_items records of the relay's element size. */
typedef void (*PhiliaEpochRelayDispatch) (GCallback     func,
                                          gconstpointer items,
                                          guint         n_items,
                                          gpointer      data);

PhiliaEpochRelay *_philia_epoch_relay_new    (gsize                    item_size,
                                              const char              *source_name,
                                              PhiliaEpochRelayDispatch dispatch,
                                              GCallback                func,
                                              gpointer                 data,
                                              GDestroyNotify           destroy);
void              _philia_epoch_relay_unref  (PhiliaEpochRelay        *relay);
void              _philia_epoch_relay_push   (PhiliaEpochRelay        *relay,
                                              gconstpointer            item);
void              _philia_epoch_relay_finish (PhiliaEpochRelay        *relay);

G_END_DECLS
