/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-builtins-private.h"
#include "philia-igraph-private.h"

#include <string.h>

/*
 * One thread owns igraph. Debian builds igraph without thread-local state, so
 * its error stack, RNG and attribute handler are process globals: two threads
 * inside igraph at once corrupt them. Every call is funnelled through an
 * exclusive one-thread pool, and the caller waits for the result.
 */

typedef struct
{
  PhiliaIgraphFunc func;
  gpointer         data;
  GCancellable    *cancellable;
  GError          *error;
  gboolean         ok;
  gboolean         done;
  GMutex           mutex;
  GCond            cond;
} Call;

static GThreadPool *igraph_pool;
static GThread     *igraph_thread;

/* Written only on the igraph thread. */
static GCancellable *current_cancellable;
static char          last_reason[512];
static char          last_location[256];

static void
error_handler (const char     *reason,
               const char     *file,
               int             line,
               igraph_error_t  code)
{
  /* Record, free what igraph registered for cleanup, and return: never abort.
   * igraph reports the specific reason first and then re-raises with generic
   * text on the way out, so the first reason of a call is the one to keep. */
  if (last_reason[0] == '\0' && reason != NULL && reason[0] != '\0')
    {
      g_strlcpy (last_reason, reason, sizeof last_reason);
      g_snprintf (last_location, sizeof last_location, "%s:%d", file ? file : "?", line);
    }
  IGRAPH_FINALLY_FREE ();
}

static void
warning_handler (const char *reason,
                 const char *file,
                 int         line)
{
  g_debug ("igraph warning: %s (%s:%d)", reason, file, line);
}

static igraph_error_t
interruption_handler (void *data)
{
  /* IGRAPH_ALLOW_INTERRUPTION() returns IGRAPH_INTERRUPTED straight away,
   * without raising an error, so nothing frees what the interrupted function
   * put on igraph's cleanup stack: it must be freed here, as the R and Python
   * interfaces do, or the next failing call frees those stale entries again. */
  if (current_cancellable != NULL && g_cancellable_is_cancelled (current_cancellable))
    {
      IGRAPH_FINALLY_FREE ();
      return IGRAPH_INTERRUPTED;
    }
  return IGRAPH_SUCCESS;
}

static void
run_call (Call *call)
{
  GCancellable *saved = current_cancellable;

  current_cancellable = call->cancellable;
  last_reason[0] = '\0';
  call->ok = call->func (call->data, call->cancellable, &call->error);
  current_cancellable = saved;
  g_assert (call->ok || call->error != NULL);
}

static void
pool_func (gpointer data,
           gpointer user_data)
{
  Call *call = data;

  if (igraph_thread == NULL)
    {
      igraph_thread = g_thread_self ();
      igraph_set_error_handler (error_handler);
      igraph_set_warning_handler (warning_handler);
      igraph_set_interruption_handler (interruption_handler);
      igraph_set_attribute_table (&igraph_cattribute_table);
    }

  run_call (call);

  g_mutex_lock (&call->mutex);
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->mutex);
}

void
_philia_igraph_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      /* Handlers are installed again on the pool thread; installing them here
       * too means no igraph default (abort) is ever live in this process. */
      igraph_set_error_handler (error_handler);
      igraph_set_warning_handler (warning_handler);
      igraph_set_attribute_table (&igraph_cattribute_table);
      igraph_pool = g_thread_pool_new (pool_func, NULL, 1, TRUE, NULL);
      g_once_init_leave (&initialized, 1);
    }
}

gboolean
_philia_igraph_call (PhiliaIgraphFunc  func,
                     gpointer          data,
                     GCancellable     *cancellable,
                     GError          **error)
{
  Call call = { 0 };
  GError *local_error = NULL;

  g_return_val_if_fail (func != NULL, FALSE);

  _philia_igraph_init ();

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  call.func = func;
  call.data = data;
  call.cancellable = cancellable;

  if (igraph_thread != NULL && g_thread_self () == igraph_thread)
    {
      run_call (&call);
    }
  else
    {
      g_mutex_init (&call.mutex);
      g_cond_init (&call.cond);
      if (!g_thread_pool_push (igraph_pool, &call, &local_error))
        {
          g_propagate_error (error, local_error);
          g_mutex_clear (&call.mutex);
          g_cond_clear (&call.cond);
          return FALSE;
        }
      g_mutex_lock (&call.mutex);
      while (!call.done)
        g_cond_wait (&call.cond, &call.mutex);
      g_mutex_unlock (&call.mutex);
      g_mutex_clear (&call.mutex);
      g_cond_clear (&call.cond);
    }

  if (!call.ok)
    {
      g_propagate_error (error, call.error);
      return FALSE;
    }
  return TRUE;
}

gboolean
_philia_igraph_check (igraph_error_t   code,
                      const char      *context,
                      GError         **error)
{
  g_autofree char *reason = NULL;

  if (code == IGRAPH_SUCCESS)
    return TRUE;

  if (code == IGRAPH_INTERRUPTED)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("%s: cancelled."), context);
      return FALSE;
    }

  /* igraph's reasons are multi-line sometimes and lack a full stop; libxml2's
   * quote the file, whatever its bytes (a message must stay one line of UTF-8). */
  reason = g_utf8_make_valid (last_reason[0] ? last_reason : igraph_strerror (code), -1);
  for (char *p = reason; *p != '\0'; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      *p = ' ';
  g_strstrip (reason);
  while (*reason && (reason[strlen (reason) - 1] == '.'))
    reason[strlen (reason) - 1] = '\0';

  g_set_error (error, PHILIA_ERROR,
               code == IGRAPH_PARSEERROR ? PHILIA_ERROR_FORMAT
               : code == IGRAPH_ENOMEM ? PHILIA_ERROR_FAILED
               : code == IGRAPH_EINVAL ? PHILIA_ERROR_INVALID
               : code == IGRAPH_UNIMPLEMENTED ? PHILIA_ERROR_UNSUPPORTED
               : PHILIA_ERROR_IGRAPH,
               _ ("%s: %s."), context, reason);
  last_reason[0] = '\0';
  return FALSE;
}
