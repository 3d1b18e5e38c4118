/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-autosave.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/*
 * Autosave (HACKING.md §10). Each window writes its document to
 * $XDG_CACHE_HOME/philia/autosave/PID-N.philia, beside a key file PID-N.ini
 * that names the owner's process id and the project the document belongs to.
 * The copy is a snapshot taken on the main thread (cheap: layouts and runs
 * are shared, not copied) and written on a worker, so a frame is never late
 * for it. The key file is written after the copy, so a key file always
 * stands beside a whole project. Clean closes and saves delete both; what is
 * left whose owner is not running is what a crash left, and the next start
 * offers it.
 */

#define DEFAULT_DELAY_MS 30000
#define MARKER_GROUP "Autosave"

struct _PhiliaAutosave
{
  GObject         parent_instance;

  PhiliaDocument *document;
  char           *project_path;
  char           *path;          /* the .philia copy */
  char           *marker_path;
  GCancellable   *cancellable;   /* of the write in flight */
  guint           timeout_id;
  guint           hold;          /* a save runs: no autosave meanwhile */
  guint           n_written;
  guint           generation;    /* bumped by discard: a late write is removed */
  guint           writing : 1;
  guint           pending : 1;   /* a change came while writing or held */
};

G_DEFINE_FINAL_TYPE (PhiliaAutosave, philia_autosave, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WRITING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  WRITTEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * philia_autosave_get_delay_ms:
 *
 * How long after a change the copy is written: the Preferences'
 * autosave-interval, read at each change so that a new value applies at once.
 */
guint
philia_autosave_get_delay_ms (void)
{
  /* Tests and the frame-time benchmark do not wait 30 s. */
  const char *env = g_getenv ("PHILIA_AUTOSAVE_DELAY_MS");
  g_autoptr(GSettings) settings = NULL;
  guint64 value;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, G_MAXUINT, &value, NULL))
    return (guint) value;
  settings = g_settings_new (APPLICATION_ID);
  value = (guint64) g_settings_get_int (settings, "autosave-interval") * 1000;
  return value > 0 ? (guint) value : DEFAULT_DELAY_MS;
}

/**
 * philia_autosave_dup_dir:
 *
 * Where autosaves live: a folder of the user cache, which may be deleted at
 * any time without losing anything but unsaved work.
 */
char *
philia_autosave_dup_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "philia", "autosave", NULL);
}

static void
set_writing (PhiliaAutosave *self,
             gboolean        writing)
{
  if (self->writing == writing)
    return;
  self->writing = writing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITING]);
}

typedef struct
{
  PhiliaDocumentSnapshot *snapshot;
  char                   *path;
  char                   *marker_path;
  char                   *marker;
  guint                   generation;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_clear_pointer (&data->snapshot, philia_document_snapshot_free);
  g_free (data->path);
  g_free (data->marker_path);
  g_free (data->marker);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  g_autofree char *dir = g_path_get_dirname (data->path);
  GError *error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not create the autosave folder %s: %s."), dir,
                               g_strerror (saved_errno));
      return;
    }
  if (!philia_document_snapshot_write (data->snapshot, data->path, cancellable, &error)
      || g_cancellable_set_error_if_cancelled (cancellable, &error)
      || !g_file_set_contents (data->marker_path, data->marker, -1, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
remove_files (const char *path,
              const char *marker_path)
{
  /* The marker first: without it, a copy is never offered. */
  if (marker_path != NULL)
    g_remove (marker_path);
  if (path != NULL)
    g_remove (path);
}

static void write_start (PhiliaAutosave *self);

static void
write_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PhiliaAutosave *self = PHILIA_AUTOSAVE (object);
  WriteData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->cancellable);
  set_writing (self, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Not the user's business unless it keeps failing; the next change retries. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Autosave failed: %s", error->message);
    }
  else if (data->generation != self->generation)
    remove_files (data->path, data->marker_path);   /* discarded meanwhile */
  else
    {
      self->n_written++;
      g_signal_emit (self, signals[WRITTEN], 0);
    }

  if (self->pending && self->hold == 0)
    philia_autosave_schedule (self);
}

static char *
make_marker (PhiliaAutosave *self)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *title = philia_document_dup_title (self->document);

  g_key_file_set_int64 (key_file, MARKER_GROUP, "pid", getpid ());
  g_key_file_set_string (key_file, MARKER_GROUP, "title", title);
  if (self->project_path != NULL)
    g_key_file_set_string (key_file, MARKER_GROUP, "project", self->project_path);
  return g_key_file_to_data (key_file, NULL, NULL);
}

static void
write_start (PhiliaAutosave *self)
{
  g_autoptr(GTask) task = NULL;
  WriteData *data;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->document == NULL)
    return;
  if (self->writing || self->hold > 0)
    {
      self->pending = TRUE;
      return;
    }

  self->pending = FALSE;
  data = g_new0 (WriteData, 1);
  data->snapshot = philia_document_snapshot (self->document);
  data->path = g_strdup (self->path);
  data->marker_path = g_strdup (self->marker_path);
  data->marker = make_marker (self);
  data->generation = self->generation;

  self->cancellable = g_cancellable_new ();
  set_writing (self, TRUE);
  task = g_task_new (self, self->cancellable, write_done, NULL);
  g_task_set_source_tag (task, write_start);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

static gboolean
timeout_cb (gpointer user_data)
{
  PhiliaAutosave *self = user_data;

  self->timeout_id = 0;
  write_start (self);
  return G_SOURCE_REMOVE;
}

/**
 * philia_autosave_schedule:
 *
 * A change happened: write a copy once no change came for a while
 * (philia_autosave_get_delay_ms(), 30 s unless the Preferences say otherwise).
 */
void
philia_autosave_schedule (PhiliaAutosave *self)
{
  g_return_if_fail (PHILIA_IS_AUTOSAVE (self));

  if (self->document == NULL)
    return;
  if (self->writing || self->hold > 0)
    {
      self->pending = TRUE;
      return;
    }
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (philia_autosave_get_delay_ms (), timeout_cb, self);
}

/* Starts a write at once (tests, benchmarks); FALSE if one cannot start now. */
gboolean
philia_autosave_write_now (PhiliaAutosave *self)
{
  g_return_val_if_fail (PHILIA_IS_AUTOSAVE (self), FALSE);

  if (self->document == NULL || self->writing || self->hold > 0)
    return FALSE;
  write_start (self);
  return TRUE;
}

/* A save is running: it writes the same document, and two writers would
 * only compete for the disk. */
void
philia_autosave_hold (PhiliaAutosave *self)
{
  g_return_if_fail (PHILIA_IS_AUTOSAVE (self));

  self->hold++;
  if (self->timeout_id != 0)
    {
      g_clear_handle_id (&self->timeout_id, g_source_remove);
      self->pending = TRUE;
    }
}

void
philia_autosave_release (PhiliaAutosave *self)
{
  g_return_if_fail (PHILIA_IS_AUTOSAVE (self));
  g_return_if_fail (self->hold > 0);

  if (--self->hold == 0 && self->pending)
    philia_autosave_schedule (self);
}

/**
 * philia_autosave_discard:
 *
 * The document was saved or closed on purpose: its copy goes, and a write in
 * flight is cancelled (or removed when it lands).
 */
void
philia_autosave_discard (PhiliaAutosave *self)
{
  g_return_if_fail (PHILIA_IS_AUTOSAVE (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->pending = FALSE;
  self->generation++;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  remove_files (self->path, self->marker_path);
}

/* The document to keep a copy of (NULL: none); the old one's copy goes. */
void
philia_autosave_set_document (PhiliaAutosave *self,
                              PhiliaDocument *document,
                              const char     *project_path)
{
  g_return_if_fail (PHILIA_IS_AUTOSAVE (self));
  g_return_if_fail (document == NULL || PHILIA_IS_DOCUMENT (document));

  philia_autosave_discard (self);
  g_set_object (&self->document, document);
  philia_autosave_set_project_path (self, project_path);
}

/* The project the document will be saved to (recorded for a restore). */
void
philia_autosave_set_project_path (PhiliaAutosave *self,
                                  const char     *project_path)
{
  g_return_if_fail (PHILIA_IS_AUTOSAVE (self));

  g_free (self->project_path);
  self->project_path = g_strdup (project_path);
}

gboolean
philia_autosave_get_writing (PhiliaAutosave *self)
{
  g_return_val_if_fail (PHILIA_IS_AUTOSAVE (self), FALSE);

  return self->writing;
}

const char *
philia_autosave_get_path (PhiliaAutosave *self)
{
  g_return_val_if_fail (PHILIA_IS_AUTOSAVE (self), NULL);

  return self->path;
}

guint
philia_autosave_get_n_written (PhiliaAutosave *self)
{
  g_return_val_if_fail (PHILIA_IS_AUTOSAVE (self), 0);

  return self->n_written;
}

static void
philia_autosave_dispose (GObject *object)
{
  PhiliaAutosave *self = PHILIA_AUTOSAVE (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (philia_autosave_parent_class)->dispose (object);
}

static void
philia_autosave_finalize (GObject *object)
{
  PhiliaAutosave *self = PHILIA_AUTOSAVE (object);

  g_free (self->project_path);
  g_free (self->path);
  g_free (self->marker_path);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (philia_autosave_parent_class)->finalize (object);
}

static void
philia_autosave_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PhiliaAutosave *self = PHILIA_AUTOSAVE (object);

  switch (prop_id)
    {
    case PROP_WRITING:
      g_value_set_boolean (value, self->writing);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_autosave_class_init (PhiliaAutosaveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = philia_autosave_dispose;
  object_class->finalize = philia_autosave_finalize;
  object_class->get_property = philia_autosave_get_property;

  properties[PROP_WRITING] =
    g_param_spec_boolean ("writing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A copy was written (tests wait for it). */
  signals[WRITTEN] = g_signal_new ("written", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
philia_autosave_init (PhiliaAutosave *self)
{
  static guint counter;
  g_autofree char *dir = philia_autosave_dup_dir ();
  g_autofree char *stem = g_strdup_printf ("%ld-%u", (long) getpid (), ++counter);
  g_autofree char *name = g_strconcat (stem, PHILIA_PROJECT_EXTENSION, NULL);
  g_autofree char *marker = g_strconcat (stem, ".ini", NULL);

  self->path = g_build_filename (dir, name, NULL);
  self->marker_path = g_build_filename (dir, marker, NULL);
}

PhiliaAutosave *
philia_autosave_new (void)
{
  return g_object_new (PHILIA_TYPE_AUTOSAVE, NULL);
}

void
philia_autosave_entry_free (PhiliaAutosaveEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->autosave_path);
  g_free (entry->marker_path);
  g_free (entry->project_path);
  g_free (entry->title);
  g_free (entry);
}

/* The user restored or declined it: it is not offered again. */
void
philia_autosave_entry_delete (PhiliaAutosaveEntry *entry)
{
  g_return_if_fail (entry != NULL);

  remove_files (entry->autosave_path, entry->marker_path);
}

static gboolean
process_is_running (gint64 pid)
{
  if (pid <= 0 || pid > G_MAXINT)
    return FALSE;
  if (pid == getpid ())
    return TRUE;
  /* EPERM: it exists, but belongs to someone else. */
  return kill ((pid_t) pid, 0) == 0 || errno == EPERM;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const PhiliaAutosaveEntry *ea = *(PhiliaAutosaveEntry * const *) a;
  const PhiliaAutosaveEntry *eb = *(PhiliaAutosaveEntry * const *) b;

  return g_strcmp0 (ea->autosave_path, eb->autosave_path);
}

/**
 * philia_autosave_find_orphans:
 *
 * Autosaves whose owner is no longer running (a crash, a kill), in a stable
 * order. A key file without its copy is removed.
 *
 * Returns: (transfer full) (element-type PhiliaAutosaveEntry): possibly empty
 */
GPtrArray *
philia_autosave_find_orphans (void)
{
  g_autoptr(GPtrArray) entries =
    g_ptr_array_new_with_free_func ((GDestroyNotify) philia_autosave_entry_free);
  g_autofree char *dir_path = philia_autosave_dup_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return g_steal_pointer (&entries);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(GKeyFile) key_file = g_key_file_new ();
      g_autofree char *marker_path = NULL;
      g_autofree char *stem = NULL;
      g_autoptr(PhiliaAutosaveEntry) entry = NULL;
      gint64 pid;

      if (!g_str_has_suffix (name, ".ini"))
        continue;
      marker_path = g_build_filename (dir_path, name, NULL);
      if (!g_key_file_load_from_file (key_file, marker_path, G_KEY_FILE_NONE, NULL))
        continue;
      pid = g_key_file_get_int64 (key_file, MARKER_GROUP, "pid", NULL);
      if (process_is_running (pid))
        continue;

      stem = g_strndup (name, strlen (name) - strlen (".ini"));
      entry = g_new0 (PhiliaAutosaveEntry, 1);
      entry->marker_path = g_steal_pointer (&marker_path);
      entry->autosave_path = g_strconcat (dir_path, G_DIR_SEPARATOR_S, stem,
                                          PHILIA_PROJECT_EXTENSION, NULL);
      entry->project_path = g_key_file_get_string (key_file, MARKER_GROUP, "project", NULL);
      entry->title = g_key_file_get_string (key_file, MARKER_GROUP, "title", NULL);
      if (!g_file_test (entry->autosave_path, G_FILE_TEST_IS_REGULAR))
        {
          philia_autosave_entry_delete (entry);
          continue;
        }
      g_ptr_array_add (entries, g_steal_pointer (&entry));
    }
  g_ptr_array_sort (entries, compare_entries);
  return g_steal_pointer (&entries);
}
