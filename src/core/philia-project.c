/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "philia-document.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "philia-core.h"
#include "philia-document-private.h"
#include "philia-project-private.h"
#include "philia-zip-private.h"

/*
 * Project files (.philia): a zip whose first member is the JSON manifest
 * (philia-project.json), followed by .npy members for the arrays: layout
 * positions (float64), the selection (uint32), the split masks (uint8), and
 * per run its curves (float64), predictions (int32), probabilities, weights
 * and attention (float32) and node values (float64). Every number is stored
 * in its own type, so a run reads back bit for bit; doubles in the manifest
 * are printed with 17 digits (exact), non-finite ones as null, "inf", "-inf".
 * HACKING.md §16 describes the format.
 */

G_DEFINE_QUARK (philia-project-error-quark, philia_project_error)

/* {{{ Shared by the reader and the writer */

/* The heuristics of an evaluation, by name, in mask order. */
char **
_philia_project_evaluation_names (const PhiliaDocumentEvaluation *e)
{
  GPtrArray *names = g_ptr_array_new ();

  if (e->report != NULL && e->report->n_results == e->n_heuristics)
    {
      for (guint i = 0; i < e->report->n_results; i++)
        g_ptr_array_add (names, g_strdup (e->report->results[i]->name));
    }
  else
    {
      for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS && names->len < e->n_heuristics; h++)
        if (e->mask & PHILIA_PROXIMITY_MASK (h))
          g_ptr_array_add (names, g_strdup (philia_proximity_heuristic_to_string (h)));
      while (names->len < e->n_heuristics)
        g_ptr_array_add (names, g_strdup_printf ("heuristic %u", names->len + 1));
    }
  g_ptr_array_add (names, NULL);
  return (char **)g_ptr_array_free (names, FALSE);
}

/* The SHA-256 and size of a file, or FALSE if it cannot be read. */
gboolean
_philia_project_file_checksum (const char    *path,
                               GCancellable  *cancellable,
                               char         **sha256,
                               guint64       *size)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);

  if (mapped == NULL || g_cancellable_is_cancelled (cancellable))
    return FALSE;
  *size = g_mapped_file_get_length (mapped);
  *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                         (const guchar *)g_mapped_file_get_contents (mapped),
                                         *size);
  return TRUE;
}

/* One line, ending with a full stop, whatever json-glib said. */
char *
_philia_project_one_line (const char *message)
{
  g_autofree char *flat = sanitize (message, strlen (message));
  gsize len = strlen (flat);

  while (len > 0 && (flat[len - 1] == '.' || flat[len - 1] == ' '))
    flat[--len] = '\0';
  return g_strdup (flat);
}

/* }}} */
/* {{{ Opening */

PhiliaDocument *
philia_document_open_bytes (GBytes                 *bytes,
                            const char             *display_name,
                            const char             *base_dir,
                            const char             *dataset_path,
                            PhiliaProjectOpenFlags  flags,
                            GCancellable           *cancellable,
                            GError                **error)
{
  g_autoptr(GError) local_error = NULL;
  PhiliaDocument *doc;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The readers below test *error, so they always get a place for one. */
  doc = _philia_project_read (bytes, display_name, base_dir, dataset_path, flags, cancellable,
                              &local_error);
  if (doc == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return doc;
}

/**
 * philia_document_open:
 *
 * Maps @path and reads it with philia_document_open_bytes(); relative
 * dataset paths are resolved against the project's folder. O(project size +
 * dataset size).
 */
PhiliaDocument *
philia_document_open (const char             *path,
                      const char             *dataset_path,
                      PhiliaProjectOpenFlags  flags,
                      GCancellable           *cancellable,
                      GError                **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *base_dir = NULL;
  PhiliaDocument *doc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display_name = g_path_get_basename (path);
  absolute = g_canonicalize_filename (path, NULL);
  base_dir = g_path_get_dirname (absolute);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO,
                   _ ("%s is a folder, not a Philia project."), display_name);
      return NULL;
    }
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_autofree char *why = _philia_project_one_line (local_error->message);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, _ ("%s: cannot be read: %s."),
                   display_name, why);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  doc = philia_document_open_bytes (bytes, display_name, base_dir, dataset_path, flags,
                                    cancellable, error);
  if (doc != NULL)
    _philia_document_mark_saved (doc, absolute);
  return doc;
}

typedef struct
{
  char                   *path;
  char                   *dataset_path;
  PhiliaProjectOpenFlags  flags;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->path);
  g_free (data->dataset_path);
  g_free (data);
}

static void
open_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;
  GError *error = NULL;
  PhiliaDocument *doc;

  doc = philia_document_open (data->path, data->dataset_path, data->flags, cancellable,
                              &error);
  if (doc == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, doc, g_object_unref);
}

void
philia_document_open_async (const char             *path,
                            const char             *dataset_path,
                            PhiliaProjectOpenFlags  flags,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, philia_document_open_async);
  data = g_new0 (OpenData, 1);
  data->path = g_strdup (path);
  data->dataset_path = g_strdup (dataset_path);
  data->flags = flags;
  g_task_set_task_data (task, data, (GDestroyNotify)open_data_free);
  g_task_run_in_thread (task, open_thread);
}

PhiliaDocument *
philia_document_open_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */
/* {{{ Saving */

gboolean
philia_document_save (PhiliaDocument *self,
                      const char     *path,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(PhiliaDocumentSnapshot) snapshot = NULL;
  g_autofree char *absolute = NULL;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  snapshot = philia_document_snapshot (self);
  absolute = g_canonicalize_filename (path, NULL);
  if (!philia_document_snapshot_write (snapshot, absolute, cancellable, error))
    return FALSE;
  _philia_document_mark_saved (self, absolute);
  return TRUE;
}

typedef struct
{
  PhiliaDocumentSnapshot *snapshot;
  char                   *path;
  guint64                 revision;   /* of the document when snapshotted */
} SaveData;

static void
save_data_free (SaveData *data)
{
  philia_document_snapshot_free (data->snapshot);
  g_free (data->path);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  GError *error = NULL;

  if (philia_document_snapshot_write (data->snapshot, data->path, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * philia_document_save_async:
 *
 * Takes the snapshot now (main thread) and writes it on a worker; the
 * document is marked saved by philia_document_save_finish(), unless it
 * changed in the meantime.
 */
void
philia_document_save_async (PhiliaDocument      *self,
                            const char          *path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, philia_document_save_async);
  data = g_new0 (SaveData, 1);
  data->snapshot = philia_document_snapshot (self);
  data->revision = _philia_document_get_revision (self);
  data->path = g_canonicalize_filename (path, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify)save_data_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
philia_document_save_finish (PhiliaDocument *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  SaveData *data;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  /* Edits made while the worker wrote are not in the file: they stay unsaved. */
  _philia_document_mark_saved_revision (self, data->path, data->revision);
  return TRUE;
}

/* }}} */
/* {{{ Facts for the CLI */

static void
json_seed (PhiliaJson *json,
           const char *key,
           guint64     seed)
{
  if (seed <= G_MAXINT64)
    philia_json_member_int (json, key, (gint64)seed);
  else
    {
      char buf[32];

      g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, seed);
      philia_json_member_string (json, key, buf);
    }
}

static void
json_file (PhiliaJson *json,
           const char *path)
{
  g_autofree char *sha256 = NULL;
  guint64 size;

  philia_json_member_string (json, "path", path);
  if (_philia_project_file_checksum (path, NULL, &sha256, &size))
    {
      philia_json_member_int (json, "size", (gint64)size);
      philia_json_member_string (json, "sha256", sha256);
    }
}

/**
 * philia_document_write_json:
 *
 * Writes "project": {…} into the current object: what `philia-cli info
 * --json` adds for a project. Reads the dataset file for its SHA-256.
 */
void
philia_document_write_json (PhiliaDocument *self,
                            PhiliaJson     *json)
{
  static const char *const keys[] = { "auc", "ap", "mrr", "hits@20", "hits@50", "hits@100" };
  const PhiliaDocumentLayout *current;
  const char *embedded_name = NULL;
  GBytes *embedded;
  const char *dataset_path;
  const char *table_path;

  g_return_if_fail (PHILIA_IS_DOCUMENT (self));
  g_return_if_fail (json != NULL);

  philia_json_key (json, "project");
  philia_json_begin_object (json);
  philia_json_member_int (json, "format_version", PHILIA_PROJECT_FORMAT_VERSION);
  philia_json_member_string (json, "path", philia_document_get_path (self));

  philia_json_key (json, "dataset");
  philia_json_begin_object (json);
  embedded = _philia_document_get_embedded_dataset (self, &embedded_name);
  dataset_path = philia_document_get_dataset_path (self);
  table_path = philia_document_get_node_table_path (self);
  philia_json_member_bool (json, "embedded", philia_document_get_embed (self));
  if (embedded != NULL && dataset_path == NULL)
    {
      g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, embedded);

      philia_json_member_string (json, "name", embedded_name);
      philia_json_member_int (json, "size", (gint64)g_bytes_get_size (embedded));
      philia_json_member_string (json, "sha256", sha256);
    }
  else if (dataset_path != NULL)
    json_file (json, dataset_path);
  if (table_path != NULL)
    {
      philia_json_key (json, "node_table");
      philia_json_begin_object (json);
      json_file (json, table_path);
      philia_json_end_object (json);
    }
  philia_json_end_object (json);

  current = philia_document_get_current_layout (self);
  philia_json_key (json, "layouts");
  philia_json_begin_array (json);
  for (guint i = 0; i < philia_document_get_n_layouts (self); i++)
    {
      const PhiliaDocumentLayout *l = philia_document_get_layout (self, i);

      philia_json_begin_object (json);
      philia_json_member_string (json, "name", l->name);
      philia_json_member_string (json, "algorithm", l->algorithm);
      json_seed (json, "seed", l->seed);
      philia_json_member_bool (json, "current", l == current);
      philia_json_end_object (json);
    }
  philia_json_end_array (json);

  philia_json_key (json, "runs");
  philia_json_begin_array (json);
  for (guint i = 0; i < philia_document_get_n_runs (self); i++)
    {
      const PhiliaDocumentRun *run = philia_document_get_run (self, i);
      const PhiliaTrainResult *r = run->result;

      philia_json_begin_object (json);
      philia_json_member_int (json, "id", run->id);
      if (run->group != 0)
        {
          /* Runs over splits × seeds, as the project keeps them. */
          philia_json_key (json, "group");
          philia_json_begin_object (json);
          philia_json_member_int (json, "id", run->group);
          philia_json_member_int (json, "splits", run->n_splits);
          philia_json_member_int (json, "seeds", run->n_seeds);
          philia_json_end_object (json);
        }
      philia_json_member_string (json, "model", r->model);
      philia_json_member_int (json, "split", r->split);
      json_seed (json, "seed", r->seed);
      philia_json_member_string (json, "metric", (guint)r->metric < G_N_ELEMENTS (metric_names)
                                 ? metric_names[r->metric] : "accuracy");
      philia_json_member_int (json, "n_epochs", r->n_epochs);
      philia_json_member_int (json, "best_epoch", r->best_epoch);
      philia_json_member_string (json, "best_epoch_rule",
                                 (guint)r->best_epoch_rule < G_N_ELEMENTS (rule_names)
                                 ? rule_names[r->best_epoch_rule] : "val-accuracy");
      philia_json_member_double (json, "train_accuracy", r->train_accuracy);
      philia_json_member_double (json, "val_accuracy", r->val_accuracy);
      philia_json_member_double (json, "test_accuracy", r->test_accuracy);
      philia_json_member_double (json, "train_roc_auc", r->train_roc_auc);
      philia_json_member_double (json, "val_roc_auc", r->val_roc_auc);
      philia_json_member_double (json, "test_roc_auc", r->test_roc_auc);
      philia_json_member_double (json, "test_majority", r->test_majority);
      philia_json_member_double (json, "seconds", r->seconds);
      philia_json_end_object (json);
    }
  philia_json_end_array (json);

  philia_json_key (json, "evaluations");
  philia_json_begin_array (json);
  for (guint i = 0; i < philia_document_get_n_evaluations (self); i++)
    {
      const PhiliaDocumentEvaluation *e = philia_document_get_evaluation (self, i);
      g_auto(GStrv) names = _philia_project_evaluation_names (e);

      philia_json_begin_object (json);
      philia_json_member_int (json, "id", e->id);
      json_seed (json, "seed", e->seed);
      philia_json_member_int (json, "n_mrr_neg", e->n_mrr_neg);
      philia_json_member_string (json, "features",
                                 e->features != NULL ? e->features : PHILIA_FEATURES_ORIGINAL);
      philia_json_key (json, "heuristics");
      philia_json_begin_array (json);
      for (guint h = 0; h < e->n_heuristics; h++)
        {
          philia_json_begin_object (json);
          philia_json_member_string (json, "name", names[h]);
          for (guint k = 0; k < 6; k++)
            philia_json_member_double (json, keys[k], e->summary[h * 6 + k]);
          philia_json_end_object (json);
        }
      philia_json_end_array (json);
      /* The GNN link predictors kept with it (philia-project-linkmodels.c). */
      philia_json_key (json, "models");
      philia_json_begin_array (json);
      for (guint m = 0; e->models != NULL && m < e->models->len; m++)
        {
          const PhiliaLinkTrainResult *t = e->models->pdata[m];

          philia_json_begin_object (json);
          philia_json_member_string (json, "name", t->result->name);
          philia_json_member_int (json, "best_epoch", t->best_epoch);
          for (guint k = 0; k < G_N_ELEMENTS (philia_linkpred_hits_ks); k++)
            {
              g_autofree char *key = g_strdup_printf ("hits@%u", philia_linkpred_hits_ks[k]);

              philia_json_member_double (json, key, t->result->hits[k]);
            }
          philia_json_member_double (json, "mrr", t->result->mrr);
          philia_json_member_double (json, "auc", t->result->auc);
          philia_json_member_string (json, "features",
                                     philia_document_evaluation_get_model_features (e, m));
          philia_json_end_object (json);
        }
      philia_json_end_array (json);
      philia_json_end_object (json);
    }
  philia_json_end_array (json);

  /* The view's overlays, bottom first as the document keeps them; "drawn"
   * says which of them shows (the topmost visible one of its kind, unless
   * it is "stale": its run is gone). */
  philia_json_key (json, "overlays");
  philia_json_begin_array (json);
  for (guint i = 0; i < philia_document_get_n_overlays (self); i++)
    {
      const PhiliaDocumentOverlay *o = philia_document_get_overlay (self, i);
      guint64 run = 0;

      philia_json_begin_object (json);
      philia_json_member_string (json, "kind", philia_overlay_kind_to_string (o->kind));
      philia_json_member_string (json, "source", o->source);
      philia_json_key (json, "run");
      if (g_str_has_prefix (o->source, "run:") && g_ascii_isdigit (o->source[4]))
        run = g_ascii_strtoull (o->source + 4, NULL, 10);
      if (run > 0 && run <= G_MAXUINT)
        philia_json_int (json, (gint64)run);
      else
        philia_json_null (json);
      philia_json_member_bool (json, "visible", o->visible);
      /* An overlay of a deleted run is on the list but draws nothing. */
      philia_json_member_bool (json, "stale", philia_document_overlay_is_stale (self, o, NULL));
      philia_json_member_bool (json, "drawn",
                               philia_document_get_top_overlay (self, o->kind) == o
                               && !philia_document_overlay_is_stale (self, o, NULL));
      philia_json_end_object (json);
    }
  philia_json_end_array (json);

  philia_json_key (json, "pairs");
  philia_json_begin_array (json);
  for (guint i = 0; i < philia_document_get_n_pairs (self); i++)
    {
      const PhiliaDocumentPair *pair = philia_document_get_pair (self, i);

      philia_json_begin_object (json);
      philia_json_member_int (json, "u", pair->u);
      philia_json_member_int (json, "v", pair->v);
      philia_json_end_object (json);
    }
  philia_json_end_array (json);
  philia_json_member_string (json, "notes", philia_document_get_notes (self));
  philia_json_member_string (json, "origin", philia_document_get_origin (self));
  philia_json_end_object (json);
}

/**
 * philia_project_sniff:
 *
 * Whether the first local header of a zip names the manifest. O(1).
 */
gboolean
philia_project_sniff (const guint8 *data,
                      gsize         size)
{
  gsize name_len = strlen (MANIFEST_NAME);

  if (data == NULL || size < LOCAL_SIZE + name_len || rd32 (data) != SIG_LOCAL)
    return FALSE;
  return rd16 (data + 26) == name_len &&
         memcmp (data + LOCAL_SIZE, MANIFEST_NAME, name_len) == 0;
}

/* }}} */
