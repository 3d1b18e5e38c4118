/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-epoch-relay.h"

/* Per-epoch updates reach the caller's main context at most this often. */
#define DELIVERY_INTERVAL_MS 16

/* Shared by the job and every delivery source; freed with the last
 * reference, whichever comes last. */
struct _PhiliaEpochRelay
{
  gsize                     item_size;
  const char               *source_name;   /* static */
  GMainContext             *context;
  PhiliaEpochRelayDispatch  dispatch;
  GCallback                 func;
  gpointer                  data;
  GDestroyNotify            destroy;

  GMutex                    mutex;
  GArray                   *pending;       /* under mutex */
  gboolean                  queued;        /* a delivery source is attached, under mutex */
};

typedef struct
{
  GDestroyNotify destroy;
  gpointer       data;
} Release;

static gboolean
release_cb (gpointer user_data)
{
  Release *release = user_data;

  release->destroy (release->data);
  g_free (release);
  return G_SOURCE_REMOVE;
}

/* Hands the epochs data back on the caller's context: it is often a widget,
 * and the last reference may well be dropped on the worker. */
static void
release_data (PhiliaEpochRelay *relay)
{
  GDestroyNotify destroy = g_steal_pointer (&relay->destroy);
  Release *release;

  relay->func = NULL;
  if (destroy == NULL)
    return;
  if (g_main_context_is_owner (relay->context))
    {
      destroy (relay->data);
      return;
    }
  release = g_new (Release, 1);
  release->destroy = destroy;
  release->data = relay->data;
  g_main_context_invoke (relay->context, release_cb, release);
}

static void
relay_clear (PhiliaEpochRelay *relay)
{
  release_data (relay);
  g_clear_pointer (&relay->context, g_main_context_unref);
  g_clear_pointer (&relay->pending, g_array_unref);
  g_mutex_clear (&relay->mutex);
}

/* Takes the calling thread's thread-default main context as the one to
 * deliver on. */
PhiliaEpochRelay *
_philia_epoch_relay_new (gsize                    item_size,
                         const char              *source_name,
                         PhiliaEpochRelayDispatch dispatch,
                         GCallback                func,
                         gpointer                 data,
                         GDestroyNotify           destroy)
{
  PhiliaEpochRelay *relay = g_atomic_rc_box_new0 (PhiliaEpochRelay);

  relay->item_size = item_size;
  relay->source_name = source_name;
  relay->context = g_main_context_ref_thread_default ();
  relay->dispatch = dispatch;
  relay->func = func;
  relay->data = data;
  relay->destroy = destroy;
  g_mutex_init (&relay->mutex);
  relay->pending = g_array_new (FALSE, FALSE, item_size);
  return relay;
}

void
_philia_epoch_relay_unref (PhiliaEpochRelay *relay)
{
  g_atomic_rc_box_release_full (relay, (GDestroyNotify) relay_clear);
}

/* Main thread: hands every queued epoch over in one call. */
static void
deliver (PhiliaEpochRelay *relay)
{
  g_autoptr(GArray) items = NULL;

  g_mutex_lock (&relay->mutex);
  relay->queued = FALSE;
  if (relay->pending->len > 0)
    {
      items = g_steal_pointer (&relay->pending);
      relay->pending = g_array_new (FALSE, FALSE, relay->item_size);
    }
  g_mutex_unlock (&relay->mutex);

  if (items != NULL && relay->func != NULL)
    relay->dispatch (relay->func, items->data, items->len, relay->data);
}

static gboolean
deliver_cb (gpointer user_data)
{
  deliver (user_data);
  return G_SOURCE_REMOVE;
}

/* Worker thread: queues a copy of @item. */
void
_philia_epoch_relay_push (PhiliaEpochRelay *relay,
                          gconstpointer     item)
{
  gboolean attach;

  g_mutex_lock (&relay->mutex);
  g_array_append_vals (relay->pending, item, 1);
  attach = !relay->queued && relay->func != NULL;
  relay->queued = relay->queued || attach;
  g_mutex_unlock (&relay->mutex);

  if (attach)
    {
      /* Below the frame clock's priority: a fast model never starves drawing. */
      g_autoptr(GSource) source = g_timeout_source_new (DELIVERY_INTERVAL_MS);

      g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
      g_source_set_callback (source, deliver_cb, g_atomic_rc_box_acquire (relay),
                             (GDestroyNotify) _philia_epoch_relay_unref);
      g_source_set_static_name (source, relay->source_name);
      g_source_attach (source, relay->context);
    }
}

/* Main thread, from the _finish() function: hands over every epoch not yet
 * delivered, then releases the epochs data. */
void
_philia_epoch_relay_finish (PhiliaEpochRelay *relay)
{
  deliver (relay);
  g_mutex_lock (&relay->mutex);
  release_data (relay);
  g_mutex_unlock (&relay->mutex);
}
