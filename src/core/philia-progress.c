/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"

struct _PhiliaProgress
{
  GObject       parent_instance;

  GMainContext *context;
  GMutex        mutex;
  double        fraction;
  char         *message;
  guint         notify_source;   /* under mutex: an idle is pending */
};

G_DEFINE_FINAL_TYPE (PhiliaProgress, philia_progress, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FRACTION,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
notify_idle (gpointer data)
{
  PhiliaProgress *self = data;

  g_mutex_lock (&self->mutex);
  self->notify_source = 0;
  g_mutex_unlock (&self->mutex);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
  return G_SOURCE_REMOVE;
}

static void
philia_progress_finalize (GObject *object)
{
  PhiliaProgress *self = (PhiliaProgress *)object;

  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (philia_progress_parent_class)->finalize (object);
}

static void
philia_progress_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PhiliaProgress *self = PHILIA_PROGRESS (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, philia_progress_get_fraction (self));
      break;

    case PROP_MESSAGE:
      g_value_take_string (value, philia_progress_dup_message (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_progress_class_init (PhiliaProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = philia_progress_finalize;
  object_class->get_property = philia_progress_get_property;

  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
philia_progress_init (PhiliaProgress *self)
{
  g_mutex_init (&self->mutex);
  self->context = g_main_context_ref_thread_default ();
}

PhiliaProgress *
philia_progress_new (void)
{
  return g_object_new (PHILIA_TYPE_PROGRESS, NULL);
}

/**
 * philia_progress_update:
 * @self: a #PhiliaProgress
 * @fraction: done so far, clamped to 0..1
 * @message: (nullable): what is being done, or %NULL to keep the last one
 *
 * Thread-safe. Notifications reach the creating context through at most one
 * pending idle, however often a worker calls this.
 */
void
philia_progress_update (PhiliaProgress *self,
                        double          fraction,
                        const char     *message)
{
  g_return_if_fail (PHILIA_IS_PROGRESS (self));

  g_mutex_lock (&self->mutex);
  self->fraction = CLAMP (fraction, 0.0, 1.0);
  if (message != NULL && g_strcmp0 (message, self->message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
    }
  if (self->notify_source == 0)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_LOW);
      g_source_set_callback (source, notify_idle, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[philia] progress notify");
      self->notify_source = g_source_attach (source, self->context);
      g_source_unref (source);
    }
  g_mutex_unlock (&self->mutex);
}

void
philia_progress_set_fraction (PhiliaProgress *self,
                              double          fraction)
{
  philia_progress_update (self, fraction, NULL);
}

double
philia_progress_get_fraction (PhiliaProgress *self)
{
  double fraction;

  g_return_val_if_fail (PHILIA_IS_PROGRESS (self), 0.0);

  g_mutex_lock (&self->mutex);
  fraction = self->fraction;
  g_mutex_unlock (&self->mutex);
  return fraction;
}

char *
philia_progress_dup_message (PhiliaProgress *self)
{
  char *message;

  g_return_val_if_fail (PHILIA_IS_PROGRESS (self), NULL);

  g_mutex_lock (&self->mutex);
  message = g_strdup (self->message);
  g_mutex_unlock (&self->mutex);
  return message;
}
