/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

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
#include "philia-import-private.h"
#include "philia-project-private.h"
#include "philia-project-read-private.h"
#include "philia-zip-private.h"

/* Reading a project: the manifest checked member by member, the arrays
 * read from their .npy members, and a document restored from them. The
 * format is described in philia-project.c. */

/* {{{ Reading */

static void
node_values_free (PhiliaNodeValues *v)
{
  g_free (v->name);
  g_free (v->values);
  g_free (v);
}

static gboolean
read_run_arrays (Reader            *r,
                 JsonObject        *o,
                 const char        *ctx,
                 PhiliaTrainResult *t,
                 GError           **error)
{
  PhiliaArray *a;
  JsonArray *list;

  for (guint i = 0; i < G_N_ELEMENTS (curve_names); i++)
    {
      a = reader_npy (r, o, ctx, curve_names[i], TRUE, PHILIA_DTYPE_FLOAT64, 1, t->n_epochs, 0,
                      error);
      if (a == NULL && *error != NULL)
        return FALSE;
      if (a != NULL)
        *result_curve (t, i) = reader_steal_data (a);
    }
  a = reader_npy (r, o, ctx, "predictions", TRUE, PHILIA_DTYPE_INT32, 1, t->n_nodes, 0, error);
  if (a == NULL && *error != NULL)
    return FALSE;
  if (a != NULL)
    {
      t->predictions = reader_steal_data (a);
      for (guint v = 0; v < t->n_nodes; v++)
        if (t->predictions[v] < 0 || (guint)t->predictions[v] >= MAX (t->n_classes, 1))
          return reader_fail (error, PHILIA_ERROR_INVALID, r, "%spredictions names class %d of "
                              "%u.", ctx, t->predictions[v], t->n_classes);
    }
  a = reader_npy (r, o, ctx, "probabilities", TRUE, PHILIA_DTYPE_FLOAT32, 2, t->n_nodes,
                  t->n_classes, error);
  if (a == NULL && *error != NULL)
    return FALSE;
  if (a != NULL)
    t->probabilities = reader_steal_data (a);

  if ((list = reader_get_array (r, o, ctx, "weights", TRUE, error)) != NULL)
    {
      g_autofree char *sub = g_strconcat (ctx, "weights.", NULL);

      t->weights = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *wo = reader_get_element (r, list, i, sub, error);
          PhiliaTensor *tensor;

          if (wo == NULL)
            return FALSE;
          a = reader_npy (r, wo, sub, "member", FALSE, PHILIA_DTYPE_FLOAT32, 2, -1, -1, error);
          if (a == NULL)
            return FALSE;
          if (a->shape[0] > G_MAXUINT || a->shape[1] > G_MAXUINT)
            {
              philia_array_free (a);
              return reader_fail (error, PHILIA_ERROR_INVALID, r, "%sweight %u is too large.",
                                  ctx, i);
            }
          tensor = philia_tensor_new_from ((guint)a->shape[0], (guint)a->shape[1], a->data);
          philia_array_free (a);
          g_ptr_array_add (t->weights, tensor);
        }
    }
  else if (*error != NULL)
    return FALSE;

  if ((list = reader_get_array (r, o, ctx, "attention", TRUE, error)) != NULL)
    {
      g_autofree char *sub = g_strconcat (ctx, "attention.", NULL);

      t->attention = g_array_new (FALSE, TRUE, sizeof (PhiliaAttention));
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *ao = reader_get_element (r, list, i, sub, error);
          PhiliaAttention at = { 0 };
          PhiliaArray *edges, *self;

          if (ao == NULL || !reader_get_uint (r, ao, sub, "layer", &at.layer, error) ||
              !reader_get_uint (r, ao, sub, "heads", &at.heads, error))
            return FALSE;
          if (at.heads == 0 || at.heads > 4096)
            return reader_fail (error, PHILIA_ERROR_INVALID, r,
                                "%sattention layer %u has %u heads.", ctx, at.layer, at.heads);
          edges = reader_npy (r, ao, sub, "edges", FALSE, PHILIA_DTYPE_FLOAT32, 2, r->n_entries,
                              at.heads, error);
          if (edges == NULL)
            return FALSE;
          self = reader_npy (r, ao, sub, "self", FALSE, PHILIA_DTYPE_FLOAT32, 2, r->n, at.heads,
                             error);
          if (self == NULL)
            {
              philia_array_free (edges);
              return FALSE;
            }
          at.edges = reader_steal_data (edges);
          at.self = reader_steal_data (self);
          g_array_append_val (t->attention, at);
        }
    }
  else if (*error != NULL)
    return FALSE;

  if ((list = reader_get_array (r, o, ctx, "node_values", TRUE, error)) != NULL)
    {
      g_autofree char *sub = g_strconcat (ctx, "node_values.", NULL);

      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *vo = reader_get_element (r, list, i, sub, error);
          const char *name;
          PhiliaNodeValues *v;

          if (vo == NULL || !reader_get_string (r, vo, sub, "name", FALSE, &name, error))
            return FALSE;
          a = reader_npy (r, vo, sub, "member", FALSE, PHILIA_DTYPE_FLOAT64, 1, t->n_nodes, 0,
                          error);
          if (a == NULL)
            return FALSE;
          v = g_new0 (PhiliaNodeValues, 1);
          v->name = g_strdup (name);
          v->values = reader_steal_data (a);
          g_ptr_array_add (t->node_values, v);
        }
    }
  else if (*error != NULL)
    return FALSE;
  return TRUE;
}

/* The transformer's recipe, absent from projects saved before it: "the
 * model's default" then (-1, as philia_train_params_init() leaves it). */
static gboolean
read_transformer_params (Reader            *r,
                         JsonObject        *po,
                         const char        *sub,
                         PhiliaTrainParams *p,
                         GError           **error)
{
  const char *keys[] = { "layers", "walks", "walk_length", "hop_samples", "pretrain_epochs",
                         "batch_size" };
  int *fields[] = { &p->layers, &p->walks, &p->walk_length, &p->hop_samples,
                    &p->pretrain_epochs, &p->batch_size };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      *fields[i] = -1;
      if (json_object_has_member (po, keys[i])
          && !reader_get_sint (r, po, sub, keys[i], fields[i], error))
        return FALSE;
    }
  return TRUE;
}

static PhiliaTrainResult *
read_run (Reader      *r,
          JsonObject  *o,
          const char  *ctx,
          guint        n_splits,
          guint       *id,
          GError     **error)
{
  g_autoptr(PhiliaTrainResult) t = g_new0 (PhiliaTrainResult, 1);
  g_autofree char *sub = g_strconcat (ctx, "params.", NULL);
  g_autofree char *bins_ctx = g_strconcat (ctx, "bins.", NULL);
  PhiliaTrainParams *p = &t->params;
  JsonObject *po;
  JsonArray *bins;
  const char *model, *optimizer, *metric, *rule;
  gint64 majority;
  int k;

  t->node_values = g_ptr_array_new_with_free_func ((GDestroyNotify)node_values_free);
  if (!reader_get_uint (r, o, ctx, "id", id, error) ||
      !reader_get_string (r, o, ctx, "model", FALSE, &model, error) ||
      !reader_get_uint (r, o, ctx, "split", &t->split, error) ||
      !reader_get_seed (r, o, ctx, "seed", &t->seed, error) ||
      !reader_get_uint (r, o, ctx, "n_threads", &t->n_threads, error))
    return NULL;
  t->model = g_strdup (model);
  if (*id == 0)
    {
      reader_fail (error, PHILIA_ERROR_INVALID, r, "%sid is 0; run ids start at 1.", ctx);
      return NULL;
    }
  if (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MODEL,
                              model) == NULL)
    {
      g_autofree char *shown = reader_printable (model);

      reader_fail (error, PHILIA_ERROR_INVALID, r, "run %u was trained with the model “%s”, which "
                   "this Philia does not have.", *id, shown);
      return NULL;
    }
  if (t->split >= MAX (n_splits, 1))
    {
      reader_fail (error, PHILIA_ERROR_INVALID, r, "run %u used split %u, but the graph has %u.",
                   *id, t->split, n_splits);
      return NULL;
    }
  po = reader_get_object (r, o, ctx, "params", error);
  if (po == NULL ||
      !reader_get_sint (r, po, sub, "epochs", &p->epochs, error) ||
      !reader_get_double (r, po, sub, "lr", &p->lr, error) ||
      !reader_get_double (r, po, sub, "weight_decay", &p->weight_decay, error) ||
      !reader_get_sint (r, po, sub, "hidden", &p->hidden, error) ||
      !reader_get_double (r, po, sub, "dropout", &p->dropout, error) ||
      !reader_get_sint (r, po, sub, "heads", &p->heads, error) ||
      !reader_get_sint (r, po, sub, "k", &p->k, error) ||
      !reader_get_double (r, po, sub, "alpha", &p->alpha, error) ||
      !reader_get_string (r, po, sub, "optimizer", FALSE, &optimizer, error) ||
      !reader_get_bool (r, po, sub, "normalize_features", &p->normalize_features, error) ||
      !read_transformer_params (r, po, sub, p, error))
    return NULL;
  if ((k = reader_lookup_name (optimizer, optimizer_names, G_N_ELEMENTS (optimizer_names))) < 0)
    {
      reader_bad_member (r, sub, "optimizer", "“adam” or “sgd”", error);
      return NULL;
    }
  p->optimizer = k;
  if (!reader_get_bool (r, o, ctx, "identity_features", &t->identity_features, error) ||
      !reader_get_bool (r, o, ctx, "sparse_features", &t->sparse_features, error) ||
      !reader_get_uint (r, o, ctx, "n_epochs", &t->n_epochs, error) ||
      !reader_get_uint (r, o, ctx, "best_epoch", &t->best_epoch, error) ||
      !reader_get_double (r, o, ctx, "train_accuracy", &t->train_accuracy, error) ||
      !reader_get_double (r, o, ctx, "val_accuracy", &t->val_accuracy, error) ||
      !reader_get_double (r, o, ctx, "test_accuracy", &t->test_accuracy, error) ||
      !reader_get_double (r, o, ctx, "epoch_ms_median", &t->epoch_ms_median, error) ||
      !reader_get_double (r, o, ctx, "seconds", &t->seconds, error) ||
      !reader_get_uint (r, o, ctx, "n_nodes", &t->n_nodes, error) ||
      !reader_get_uint (r, o, ctx, "n_classes", &t->n_classes, error) ||
      !reader_get_string (r, o, ctx, "metric", FALSE, &metric, error) ||
      !reader_get_string (r, o, ctx, "best_epoch_rule", FALSE, &rule, error) ||
      !reader_get_double (r, o, ctx, "train_roc_auc", &t->train_roc_auc, error) ||
      !reader_get_double (r, o, ctx, "val_roc_auc", &t->val_roc_auc, error) ||
      !reader_get_double (r, o, ctx, "test_roc_auc", &t->test_roc_auc, error) ||
      !reader_get_int (r, o, ctx, "majority_class", -1, G_MAXINT32, &majority, error) ||
      !reader_get_double (r, o, ctx, "train_majority", &t->train_majority, error) ||
      !reader_get_double (r, o, ctx, "val_majority", &t->val_majority, error) ||
      !reader_get_double (r, o, ctx, "test_majority", &t->test_majority, error))
    return NULL;
  t->majority_class = (gint32)majority;
  if ((k = reader_lookup_name (metric, metric_names, G_N_ELEMENTS (metric_names))) < 0)
    {
      reader_bad_member (r, ctx, "metric", "a metric", error);
      return NULL;
    }
  t->metric = k;
  if ((k = reader_lookup_name (rule, rule_names, G_N_ELEMENTS (rule_names))) < 0)
    {
      reader_bad_member (r, ctx, "best_epoch_rule", "a rule", error);
      return NULL;
    }
  t->best_epoch_rule = k;
  if (t->n_nodes != r->n)
    {
      reader_fail (error, PHILIA_ERROR_INVALID, r, "run %u has %u nodes, but the graph has %u.",
                   *id, t->n_nodes, r->n);
      return NULL;
    }
  if (t->best_epoch > t->n_epochs || t->n_classes > 1u << 20 ||
      t->majority_class >= (gint32)MAX (t->n_classes, 1))
    {
      reader_fail (error, PHILIA_ERROR_INVALID, r, "run %u is inconsistent (best epoch %u of %u, "
                   "majority class %d of %u).", *id, t->best_epoch, t->n_epochs, t->majority_class,
                   t->n_classes);
      return NULL;
    }
  bins = reader_get_array (r, o, ctx, "bins", FALSE, error);
  if (bins == NULL)
    return NULL;
  if (json_array_get_length (bins) != PHILIA_TRAIN_HOMOPHILY_BINS)
    {
      reader_fail (error, PHILIA_ERROR_INVALID, r, "run %u has %u homophily bins, not %u.", *id,
                   json_array_get_length (bins), PHILIA_TRAIN_HOMOPHILY_BINS);
      return NULL;
    }
  for (guint i = 0; i < PHILIA_TRAIN_HOMOPHILY_BINS; i++)
    {
      JsonObject *bo = reader_get_element (r, bins, i, bins_ctx, error);

      if (bo == NULL ||
          !reader_get_int (r, bo, bins_ctx, "count", 0, G_MAXINT64, &t->bin_count[i], error) ||
          !reader_get_double (r, bo, bins_ctx, "accuracy", &t->bin_accuracy[i], error))
        return NULL;
    }
  if (!read_run_arrays (r, o, ctx, t, error))
    return NULL;
  return g_steal_pointer (&t);
}

/* Where a referenced file is: @override, else the relative path against
 * @base_dir, else the absolute path. NULL (and the paths tried in @tried)
 * when none exists. */
static char *
locate (const char  *override,
        const char  *relative,
        const char  *absolute,
        const char  *base_dir,
        GString     *tried)
{
  const char *candidates[3] = { NULL, NULL, NULL };
  g_autofree char *joined = NULL;

  if (override != NULL)
    candidates[0] = override;
  else
    {
      if (relative != NULL && !g_path_is_absolute (relative) && base_dir != NULL)
        candidates[0] = joined = g_build_filename (base_dir, relative, NULL);
      else if (relative != NULL && g_path_is_absolute (relative))
        candidates[0] = relative;
      candidates[1] = absolute;
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *shown = NULL;

      if (candidates[i] == NULL || (i == 1 && g_strcmp0 (candidates[0], candidates[1]) == 0))
        continue;
      if (g_file_test (candidates[i], G_FILE_TEST_IS_REGULAR))
        return g_canonicalize_filename (candidates[i], NULL);
      shown = sanitize (candidates[i], strlen (candidates[i]));
      g_string_append_printf (tried, "%s%s", tried->len > 0 ? " nor at " : "", shown);
    }
  return NULL;
}

/* Finds a referenced file and checks that it is the one the project saw. */
static char *
find_reference (Reader                 *r,
                JsonObject             *o,
                const char             *ctx,
                const char             *what,
                const char             *override,
                const char             *base_dir,
                PhiliaProjectOpenFlags  flags,
                GError                **error)
{
  const char *relative, *absolute, *sha256;
  g_autoptr(GString) tried = g_string_new (NULL);
  g_autofree char *found = NULL;

  if (!reader_get_string (r, o, ctx, "path", TRUE, &relative, error) ||
      !reader_get_string (r, o, ctx, "absolute_path", TRUE, &absolute, error) ||
      !reader_get_string (r, o, ctx, "sha256", TRUE, &sha256, error))
    return NULL;
  if (override == NULL && relative == NULL && absolute == NULL)
    {
      reader_bad_member (r, ctx, "path", "a string", error);
      return NULL;
    }
  found = locate (override, relative, absolute, base_dir, tried);
  if (found == NULL)
    {
      g_set_error (error, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_DATASET_MISSING,
                   _ ("%s: its %s cannot be found at %s."), r->name, what, tried->str);
      return NULL;
    }
  if (sha256 != NULL && !(flags & PHILIA_PROJECT_OPEN_IGNORE_CHECKSUM))
    {
      g_autofree char *actual = NULL;
      g_autofree char *shown = sanitize (found, strlen (found));
      guint64 size;

      if (!_philia_project_file_checksum (found, r->cancellable, &actual, &size))
        {
          if (!g_cancellable_set_error_if_cancelled (r->cancellable, error))
            g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO,
                         _ ("%s: its %s %s cannot be read."), r->name, what, shown);
          return NULL;
        }
      if (g_ascii_strcasecmp (actual, sha256) != 0)
        {
          g_set_error (error, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_DATASET_CHANGED,
                       _ ("%s: its %s %s has changed since the project was saved (its SHA-256 "
                          "differs)."), r->name, what, shown);
          return NULL;
        }
    }
  return g_steal_pointer (&found);
}

/* The graph, from the embedded member or the referenced files. */
static PhiliaGraph *
load_dataset (Reader                 *r,
              JsonObject             *root,
              const char             *base_dir,
              const char             *dataset_path,
              PhiliaProjectOpenFlags  flags,
              char                  **found_dataset,
              char                  **found_table,
              GBytes                **embedded,
              char                  **embedded_name,
              GError                **error)
{
  JsonObject *d = reader_get_object (r, root, "", "dataset", error);
  const char *member, *name;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) table = NULL;
  PhiliaGraph *graph;

  if (d == NULL || !reader_get_string (r, d, "dataset.", "embedded", TRUE, &member, error))
    return NULL;
  if (member != NULL && dataset_path == NULL)
    {
      g_autofree char *shown = reader_printable (member);

      if (!reader_get_string (r, d, "dataset.", "name", FALSE, &name, error))
        return NULL;
      if (!_philia_npz_has_raw_member (r->npz, member))
        {
          reader_fail (error, PHILIA_ERROR_INVALID, r, "the manifest names the member “%s”, which "
                       "is missing.", shown);
          return NULL;
        }
      *embedded = _philia_npz_read_member (r->npz, member, G_MAXUINT64, r->cancellable, error);
      if (*embedded == NULL)
        return NULL;
      *embedded_name = reader_printable (name);
      graph = philia_graph_load_bytes (*embedded, *embedded_name, PHILIA_FORMAT_AUTO, NULL,
                                       r->cancellable, error);
      /* The dataset's own message, after the project's name. */
      if (graph == NULL && !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (error, _ ("%s: "), r->name);
      return graph;
    }

  *found_dataset = find_reference (r, d, "dataset.", "dataset", dataset_path, base_dir, flags,
                                   error);
  if (*found_dataset == NULL)
    return NULL;
  if (json_object_has_member (d, "node_table"))
    {
      JsonObject *t = reader_get_object (r, d, "dataset.", "node_table", error);

      if (t == NULL)
        return NULL;
      *found_table = find_reference (r, t, "dataset.node_table.", "node table", NULL, base_dir,
                                     flags, error);
      if (*found_table == NULL)
        return NULL;
      table = g_file_new_for_path (*found_table);
    }
  file = g_file_new_for_path (*found_dataset);
  graph = philia_graph_load (file, table, NULL, r->cancellable, error);
  if (graph == NULL && !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (error, _ ("%s: "), r->name);
  return graph;
}

/* The split masks saved with the project replace the dataset's (Make Splits). */
static PhiliaGraph *
restore_splits (Reader       *r,
                JsonObject   *root,
                PhiliaGraph  *graph,
                GError      **error)
{
  static const char *const parts[] = { "train", "val", "test" };
  JsonObject *so;
  guint n_splits;
  PhiliaArray *masks[3] = { NULL, NULL, NULL };
  gboolean same;
  PhiliaGraph *copy = NULL;

  if (!json_object_has_member (root, "splits"))
    return g_object_ref (graph);
  so = reader_get_object (r, root, "", "splits", error);
  if (so == NULL || !reader_get_uint (r, so, "splits.", "count", &n_splits, error))
    return NULL;
  if (n_splits == 0 || n_splits > 1000)
    {
      reader_fail (error, PHILIA_ERROR_INVALID, r, "the project has %u splits.", n_splits);
      return NULL;
    }
  for (guint part = 0; part < 3; part++)
    {
      masks[part] = reader_npy (r, so, "splits.", parts[part], FALSE, PHILIA_DTYPE_UINT8, 2,
                                n_splits, r->n, error);
      if (masks[part] == NULL)
        goto out;
    }
  same = philia_graph_get_n_splits (graph) == n_splits;
  for (guint part = 0; part < 3 && same; part++)
    same = memcmp (philia_graph_get_split_mask (graph, 0, part), masks[part]->data,
                   (gsize)n_splits * r->n) == 0;
  if (same)
    copy = g_object_ref (graph);
  else
    {
      copy = philia_graph_copy_with_splits (graph, n_splits, reader_steal_data (masks[0]),
                                            reader_steal_data (masks[1]),
                                            reader_steal_data (masks[2]));
      masks[0] = masks[1] = masks[2] = NULL;
    }
out:
  for (guint part = 0; part < 3; part++)
    philia_array_free (masks[part]);
  return copy;
}

static gboolean
restore_layouts (Reader          *r,
                 JsonObject      *root,
                 PhiliaDocument  *doc,
                 GError         **error)
{
  JsonArray *list = reader_get_array (r, root, "", "layouts", FALSE, error);
  const char *current;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  if (list == NULL || !reader_get_string (r, root, "", "current_layout", TRUE, &current, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *o = reader_get_element (r, list, i, "layouts.", error);
      const char *name, *algorithm;
      guint64 seed;
      PhiliaArray *positions;
      PhiliaDocumentLayout *layout;

      if (o == NULL ||
          !reader_get_string (r, o, "layouts.", "name", FALSE, &name, error) ||
          !reader_get_string (r, o, "layouts.", "algorithm", FALSE, &algorithm, error) ||
          !reader_get_seed (r, o, "layouts.", "seed", &seed, error))
        return FALSE;
      if (g_hash_table_contains (names, name))
        {
          g_autofree char *shown = reader_printable (name);

          return reader_fail (error, PHILIA_ERROR_INVALID, r, "two layouts are called “%s”.",
                              shown);
        }
      g_hash_table_add (names, (char *)name);
      positions = reader_npy (r, o, "layouts.", "positions", FALSE, PHILIA_DTYPE_FLOAT64, 2,
                              r->n, 2, error);
      if (positions == NULL)
        return FALSE;
      for (gint64 k = 0; k < positions->n_elements; k++)
        if (!isfinite (((const double *)positions->data)[k]))
          {
            g_autofree char *shown = reader_printable (name);

            philia_array_free (positions);
            return reader_fail (error, PHILIA_ERROR_INVALID, r, "layout “%s” puts node %"
                                G_GINT64_FORMAT " at a position that is not a finite number.",
                                shown, k / 2);
          }
      layout = _philia_document_layout_new (name, algorithm, seed, reader_steal_data (positions));
      _philia_document_restore_layout (doc, layout,
                                       current != NULL && strcmp (current, name) == 0);
      philia_document_layout_unref (layout);
    }
  if (current != NULL && !g_hash_table_contains (names, current))
    {
      g_autofree char *shown = reader_printable (current);

      return reader_fail (error, PHILIA_ERROR_INVALID, r, "the current layout “%s” does not exist.",
                          shown);
    }
  return TRUE;
}

/* The view's overlay list; absent in a project of the older format, whose
 * three names then stand for it (_philia_document_restore_state()). */
static gboolean
restore_overlays (Reader          *r,
                  JsonObject      *vo,
                  PhiliaDocument  *doc,
                  GError         **error)
{
  g_autoptr(GPtrArray) list = NULL;
  JsonArray *array;

  if (json_object_get_member (vo, "overlays") == NULL)
    return TRUE;
  if ((array = reader_get_array (r, vo, "view.", "overlays", FALSE, error)) == NULL)
    return FALSE;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_document_overlay_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = reader_get_element (r, array, i, "view.overlays.", error);
      const char *kind_name, *source;
      PhiliaOverlayKind kind;
      gboolean visible = TRUE;

      if (o == NULL ||
          !reader_get_string (r, o, "view.overlays[].", "kind", FALSE, &kind_name, error) ||
          !reader_get_string (r, o, "view.overlays[].", "source", FALSE, &source, error) ||
          !reader_get_bool (r, o, "view.overlays[].", "visible", &visible, error))
        return FALSE;
      if (!philia_overlay_kind_from_string (kind_name, &kind) || *source == '\0')
        {
          g_autofree char *shown = reader_printable (kind_name);

          return reader_fail (error, PHILIA_ERROR_INVALID, r, "overlay %u of the view is of an "
                              "unknown kind “%s” or names nothing.", i, shown);
        }
      g_ptr_array_add (list, philia_document_overlay_new (kind, source, visible));
    }
  _philia_document_restore_overlays (doc, list);
  return TRUE;
}

static gboolean
restore_state (Reader          *r,
               JsonObject      *root,
               PhiliaDocument  *doc,
               GError         **error)
{
  g_autoptr(PhiliaArray) selection = NULL;
  JsonObject *vo, *co;
  PhiliaDocumentView view = { 0 };
  const char *color_by, *edge_style, *overlay, *notes, *origin;
  gboolean self_loops, directed;

  selection = reader_npy (r, root, "", "selection", FALSE, PHILIA_DTYPE_UINT32, 1, -1, 0, error);
  if (selection == NULL)
    return FALSE;
  for (gint64 i = 0; i < selection->n_elements; i++)
    if (((const guint32 *)selection->data)[i] >= r->n)
      return reader_fail (error, PHILIA_ERROR_INVALID, r, "the selection names node %u, but the "
                          "graph has %u nodes.", ((const guint32 *)selection->data)[i], r->n);
  if (selection->n_elements > r->n)
    return reader_fail (error, PHILIA_ERROR_INVALID, r, "the selection holds more nodes than the "
                        "graph.");
  vo = reader_get_object (r, root, "", "view", error);
  if (vo == NULL ||
      !reader_get_string (r, vo, "view.", "color_by", TRUE, &color_by, error) ||
      !reader_get_string (r, vo, "view.", "edge_style", TRUE, &edge_style, error) ||
      !reader_get_string (r, vo, "view.", "overlay", TRUE, &overlay, error) ||
      !reader_get_double (r, vo, "view.", "zoom", &view.zoom, error) ||
      !reader_get_double (r, vo, "view.", "center_x", &view.center_x, error) ||
      !reader_get_double (r, vo, "view.", "center_y", &view.center_y, error))
    return FALSE;
  co = reader_get_object (r, root, "", "conventions", error);
  if (co == NULL ||
      !reader_get_bool (r, co, "conventions.", "keep_self_loops", &self_loops, error) ||
      !reader_get_bool (r, co, "conventions.", "directed", &directed, error) ||
      !reader_get_string (r, root, "", "notes", TRUE, &notes, error) ||
      !reader_get_string (r, root, "", "origin", TRUE, &origin, error))
    return FALSE;
  view.color_by = (char *)color_by;
  view.edge_style = (char *)edge_style;
  view.overlay = (char *)overlay;
  _philia_document_restore_state (doc, selection->data, (guint)selection->n_elements, &view,
                                  (self_loops ? PHILIA_CONVENTION_KEEP_SELF_LOOPS : 0) |
                                  (directed ? PHILIA_CONVENTION_DIRECTED : 0),
                                  notes, origin);
  return restore_overlays (r, vo, doc, error);
}

/* A run's place in runs over splits × seeds: the group is named by its
 * first run's id, its runs have consecutive ids in split-major order, and
 * every run of it gives the same shape (@shapes: group id → first run seen). */
static gboolean
read_run_group (Reader            *r,
                JsonObject        *o,
                const char        *ctx,
                PhiliaDocumentRun *run,
                GHashTable        *shapes,
                GError           **error)
{
  g_autofree char *sub = g_strconcat (ctx, "group.", NULL);
  JsonObject *g = reader_get_object (r, o, ctx, "group", error);
  const PhiliaDocumentRun *first;
  gint64 id, splits, seeds;
  guint64 index;

  if (g == NULL ||
      !reader_get_int (r, g, sub, "id", 1, G_MAXUINT, &id, error) ||
      !reader_get_int (r, g, sub, "splits", 1, G_MAXUINT, &splits, error) ||
      !reader_get_int (r, g, sub, "seeds", 1, G_MAXUINT, &seeds, error))
    return FALSE;
  index = (guint64)run->id - (guint64)id;
  if (run->id < id || index >= (guint64)splits * (guint64)seeds)
    return reader_fail (error, PHILIA_ERROR_INVALID, r, "run %u is not one of the %" G_GINT64_FORMAT
                        " × %" G_GINT64_FORMAT " runs of the group that starts at run %"
                        G_GINT64_FORMAT ".", run->id, splits, seeds, id);
  if (run->result->split != index / (guint64)seeds)
    return reader_fail (error, PHILIA_ERROR_INVALID, r, "run %u of the group that starts at run %"
                        G_GINT64_FORMAT " used split %u, not %" G_GUINT64_FORMAT ".", run->id, id,
                        run->result->split, index / (guint64)seeds);
  first = g_hash_table_lookup (shapes, GUINT_TO_POINTER ((guint)id));
  if (first != NULL && (first->n_splits != splits || first->n_seeds != seeds))
    return reader_fail (error, PHILIA_ERROR_INVALID, r, "runs %u and %u of the group that "
                        "starts at run %" G_GINT64_FORMAT " disagree on its shape.", first->id,
                        run->id, id);
  run->group = (guint)id;
  run->n_splits = (guint)splits;
  run->n_seeds = (guint)seeds;
  if (first == NULL)
    g_hash_table_insert (shapes, GUINT_TO_POINTER ((guint)id), run);
  return TRUE;
}

/* An applied or adapted run's origin (absent for a run trained here). */
static gboolean
read_run_provenance (Reader            *r,
                     JsonObject        *o,
                     const char        *ctx,
                     PhiliaDocumentRun *run,
                     GError           **error)
{
  g_autofree char *sub = g_strconcat (ctx, "provenance.", NULL);
  JsonObject *po = reader_get_object (r, o, ctx, "provenance", error);
  const char *kind, *source, *method;

  if (po == NULL ||
      !reader_get_string (r, po, sub, "kind", FALSE, &kind, error) ||
      !reader_get_string (r, po, sub, "source", TRUE, &source, error) ||
      !reader_get_string (r, po, sub, "method", TRUE, &method, error))
    return FALSE;
  if (g_str_equal (kind, "applied"))
    run->provenance = PHILIA_RUN_APPLIED;
  else if (g_str_equal (kind, "adapted"))
    run->provenance = PHILIA_RUN_ADAPTED;
  else
    {
      g_autofree char *shown = reader_printable (kind);

      return reader_fail (error, PHILIA_ERROR_INVALID, r, "run %u comes from “%s”, which is "
                          "neither applied nor adapted.", run->id, shown);
    }
  run->provenance_source = g_strdup (source);
  run->provenance_method = g_strdup (method);
  return TRUE;
}

static gboolean
restore_runs (Reader          *r,
              JsonObject      *root,
              PhiliaDocument  *doc,
              guint           *max_id,
              GError         **error)
{
  JsonArray *list = reader_get_array (r, root, "", "runs", FALSE, error);
  g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) shapes = g_hash_table_new (NULL, NULL);
  guint n_splits = philia_graph_get_n_splits (philia_document_get_graph (doc));

  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      g_autofree char *ctx = g_strdup_printf ("runs.%u.", i);
      JsonObject *o = reader_get_element (r, list, i, "runs.", error);
      PhiliaTrainResult *result;
      PhiliaDocumentRun *run;
      guint id = 0;

      if (o == NULL)
        return FALSE;
      result = read_run (r, o, ctx, n_splits, &id, error);
      if (result == NULL)
        return FALSE;
      if (g_hash_table_contains (ids, GUINT_TO_POINTER (id)))
        {
          philia_train_result_free (result);
          return reader_fail (error, PHILIA_ERROR_INVALID, r, "two runs have the id %u.", id);
        }
      g_hash_table_add (ids, GUINT_TO_POINTER (id));
      *max_id = MAX (*max_id, id);
      run = _philia_document_run_new (id, result);
      if (json_object_has_member (o, "group") &&
          !read_run_group (r, o, ctx, run, shapes, error))
        {
          philia_document_run_unref (run);
          return FALSE;
        }
      if (json_object_has_member (o, "provenance") &&
          !read_run_provenance (r, o, ctx, run, error))
        {
          philia_document_run_unref (run);
          return FALSE;
        }
      _philia_document_restore_run (doc, run);
      philia_document_run_unref (run);
    }
  return TRUE;
}

/* Feature sets and the set each run used (absent from older projects). */
static gboolean
restore_feature_sets (Reader          *r,
                      JsonObject      *root,
                      PhiliaDocument  *doc,
                      GError         **error)
{
  guint n = philia_graph_get_n_nodes (philia_document_get_graph (doc));
  JsonArray *list;
  JsonObject *runs;

  if (!json_object_has_member (root, "feature_sets"))
    return TRUE;
  list = reader_get_array (r, root, "", "feature_sets", FALSE, error);
  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      g_autofree char *ctx = g_strdup_printf ("feature_sets.%u.", i);
      JsonObject *o = reader_get_element (r, list, i, "feature_sets.", error);
      const char *name = NULL, *origin = NULL, *spec = NULL;
      guint cols = 0;
      PhiliaArray *a = NULL;

      if (o == NULL || !reader_get_string (r, o, ctx, "name", FALSE, &name, error)
          || !reader_get_string (r, o, ctx, "origin", FALSE, &origin, error)
          || !reader_get_string (r, o, ctx, "spec", TRUE, &spec, error)
          || !reader_get_uint (r, o, ctx, "columns", &cols, error))
        return FALSE;
      if (cols > 0)
        {
          a = reader_npy (r, o, ctx, "data", FALSE, PHILIA_DTYPE_FLOAT32, 2, n, cols, error);
          if (a == NULL)
            return FALSE;
        }
      _philia_document_restore_feature_set (doc, philia_feature_set_new (name, origin, n, cols,
                                                                         a != NULL
                                                                         ? reader_steal_data (a)
                                                                         : NULL), spec);
    }
  if (json_object_has_member (root, "run_features"))
    {
      runs = reader_get_object (r, root, "", "run_features", error);
      if (runs == NULL)
        return FALSE;
      g_autoptr(GList) ids = json_object_get_members (runs);

      for (GList *l = ids; l != NULL; l = l->next)
        {
          const char *name = NULL;
          guint64 id = 0;

          if (!g_ascii_string_to_unsigned (l->data, 10, 1, G_MAXUINT, &id, NULL))
            return reader_fail (error, PHILIA_ERROR_INVALID, r, "run_features names a run by "
                         "something that is not an id.");
          if (!reader_get_string (r, runs, "run_features.", l->data, FALSE, &name, error))
            return FALSE;
          _philia_document_restore_run_features (doc, (guint) id, name);
        }
    }
  if (json_object_has_member (root, "measure_features"))
    {
      const char *name = NULL;

      if (!reader_get_string (r, root, "", "measure_features", FALSE, &name, error))
        return FALSE;
      if (!g_str_equal (name, PHILIA_FEATURES_ORIGINAL)
          && philia_document_find_feature_set (doc, name) == NULL)
        return reader_fail (error, PHILIA_ERROR_INVALID, r, "measure_features names the "
                            "feature set “%s”, which the project does not have.", name);
      _philia_document_restore_measure_features (doc, name);
    }
  return TRUE;
}

static gboolean
restore_evaluations (Reader          *r,
                     JsonObject      *root,
                     PhiliaDocument  *doc,
                     guint           *max_id,
                     GError         **error)
{
  static const char *const keys[] = { "auc", "ap", "mrr", "hits@20", "hits@50", "hits@100" };
  JsonArray *list = reader_get_array (r, root, "", "evaluations", FALSE, error);
  g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);

  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *o = reader_get_element (r, list, i, "evaluations.", error);
      PhiliaDocumentEvaluation *e;
      JsonArray *summary;
      const char *features = NULL;

      if (o == NULL)
        return FALSE;
      e = g_new0 (PhiliaDocumentEvaluation, 1);
      if (!reader_get_uint (r, o, "evaluations.", "id", &e->id, error) ||
          !reader_params (r, o, "evaluations.", &e->params, error) ||
          !reader_get_uint (r, o, "evaluations.", "mask", &e->mask, error) ||
          !reader_get_seed (r, o, "evaluations.", "seed", &e->seed, error) ||
          !reader_get_uint (r, o, "evaluations.", "n_mrr_neg", &e->n_mrr_neg, error) ||
          (summary = reader_get_array (r, o, "evaluations.", "summary", FALSE, error)) == NULL)
        goto fail;
      if (e->id == 0 || g_hash_table_contains (ids, GUINT_TO_POINTER (e->id)))
        {
          reader_fail (error, PHILIA_ERROR_INVALID, r, "two evaluations have the id %u.", e->id);
          goto fail;
        }
      if ((e->mask & ~PHILIA_PROXIMITY_ALL) != 0 || e->mask == 0 ||
          json_array_get_length (summary) > PHILIA_PROXIMITY_N_HEURISTICS + 64)
        {
          reader_fail (error, PHILIA_ERROR_INVALID, r, "evaluation %u names unknown heuristics.",
                       e->id);
          goto fail;
        }
      g_hash_table_add (ids, GUINT_TO_POINTER (e->id));
      *max_id = MAX (*max_id, e->id);
      e->n_heuristics = json_array_get_length (summary);
      e->summary = g_new0 (double, 6 * MAX (e->n_heuristics, 1));
      for (guint h = 0; h < e->n_heuristics; h++)
        {
          JsonObject *ho = reader_get_element (r, summary, h, "evaluations.summary.", error);

          if (ho == NULL)
            goto fail;
          for (guint k = 0; k < 6; k++)
            if (!reader_get_double (r, ho, "evaluations.summary.", keys[k], &e->summary[h * 6 + k],
                                    error))
              goto fail;
        }
      /* Projects from before feature sets scored fp on the original
       * features. A set the project no longer has is no reason to refuse
       * it (removing a set keeps the evaluations): recomputing refuses. */
      if (!reader_get_string (r, o, "evaluations.", "features", TRUE, &features, error))
        goto fail;
      e->features = g_strdup (features != NULL ? features : PHILIA_FEATURES_ORIGINAL);
      if (!_philia_project_read_link_models (o, r->name, e, error))
        goto fail;
      _philia_document_restore_evaluation (doc, e);
      continue;
fail:
      _philia_document_evaluation_free (e);
      return FALSE;
    }
  return TRUE;
}

static gboolean
restore_pairs (Reader          *r,
               JsonObject      *root,
               PhiliaDocument  *doc,
               GError         **error)
{
  JsonArray *list = reader_get_array (r, root, "", "pairs", FALSE, error);

  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *o = reader_get_element (r, list, i, "pairs.", error);
      PhiliaDocumentPair pair = { 0 };

      if (o == NULL ||
          !reader_get_uint (r, o, "pairs.", "u", &pair.u, error) ||
          !reader_get_uint (r, o, "pairs.", "v", &pair.v, error) ||
          !reader_params (r, o, "pairs.", &pair.params, error))
        return FALSE;
      if (pair.u >= r->n || pair.v >= r->n)
        return reader_fail (error, PHILIA_ERROR_INVALID, r, "the pair (%u, %u) names a node the "
                            "graph (%u nodes) does not have.", pair.u, pair.v, r->n);
      _philia_document_restore_pair (doc, &pair);
    }
  return TRUE;
}

PhiliaDocument *
_philia_project_read (GBytes                 *bytes,
                      const char             *display_name,
                      const char             *base_dir,
                      const char             *dataset_path,
                      PhiliaProjectOpenFlags  flags,
                      GCancellable           *cancellable,
                      GError                **error)
{
  g_autoptr(PhiliaNpz) npz = NULL;
  g_autoptr(GBytes) manifest = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) json_error = NULL;
  g_autoptr(PhiliaGraph) loaded = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaDocument) doc = NULL;
  g_autoptr(GBytes) embedded = NULL;
  g_autofree char *embedded_name = NULL;
  g_autofree char *found_dataset = NULL;
  g_autofree char *found_table = NULL;
  JsonNode *root_node;
  JsonObject *root;
  const char *format;
  gint64 version, n_nodes;
  guint next_run = 1, next_evaluation = 1, max_run = 0, max_evaluation = 0;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  Reader r = { display_name, NULL, 0, 0, cancellable };

  if (size < 4 || memcmp (data, "PK\003\004", 4) != 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s is not a Philia project (it is not a zip archive)."), display_name);
      return NULL;
    }
  if (size < EOCD_SIZE)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s is truncated (%zu bytes)."), display_name, size);
      return NULL;
    }
  npz = philia_npz_new_from_bytes (bytes, display_name, error);
  if (npz == NULL)
    return NULL;
  r.npz = npz;
  if (!_philia_npz_has_raw_member (npz, MANIFEST_NAME))
    {
      for (guint i = 0; i < _philia_npz_get_n_members (npz); i++)
        if (g_str_has_suffix (_philia_npz_get_member_name (npz, i), ".npy"))
          {
            g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                         _ ("%s is a dataset, not a Philia project; open it as a dataset."),
                         display_name);
            return NULL;
          }
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s is a zip archive but not a Philia project (it has no %s)."),
                   display_name, MANIFEST_NAME);
      return NULL;
    }
  manifest = _philia_npz_read_member (npz, MANIFEST_NAME, MAX_MANIFEST, cancellable, error);
  if (manifest == NULL)
    return NULL;
  if (!_philia_json_single_object (g_bytes_get_data (manifest, NULL), g_bytes_get_size (manifest)))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s: its manifest is not one JSON object."), display_name);
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, g_bytes_get_data (manifest, NULL),
                                   (gssize)g_bytes_get_size (manifest), &json_error))
    {
      g_autofree char *why = _philia_project_one_line (json_error->message);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s: its manifest is not valid JSON (%s)."), display_name, why);
      return NULL;
    }
  root_node = json_parser_get_root (parser);
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s: its manifest is not a JSON object."), display_name);
      return NULL;
    }
  root = json_node_get_object (root_node);
  if (!reader_get_string (&r, root, "", "format", FALSE, &format, error))
    return NULL;
  if (strcmp (format, PROJECT_FORMAT) != 0)
    {
      g_autofree char *shown = reader_printable (format);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s is not a Philia project (its manifest says the format is “%s”)."),
                   display_name, shown);
      return NULL;
    }
  if (!reader_get_int (&r, root, "", "format_version", 1, G_MAXINT, &version, error))
    return NULL;
  if (version > PHILIA_PROJECT_FORMAT_VERSION)
    {
      g_set_error (error, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_NEWER_VERSION,
                   _ ("%s was saved by a newer Philia (format %" PRId64 "; this one "
                      "reads %d)."), display_name, version, PHILIA_PROJECT_FORMAT_VERSION);
      return NULL;
    }
  if (!reader_get_int (&r, root, "", "n_nodes", 1, G_MAXUINT, &n_nodes, error))
    return NULL;

  loaded = load_dataset (&r, root, base_dir, dataset_path, flags, &found_dataset,
                         &found_table, &embedded, &embedded_name, error);
  if (loaded == NULL)
    return NULL;
  r.n = philia_graph_get_n_nodes (loaded);
  r.n_entries = philia_graph_get_row_offsets (loaded)[r.n];
  if ((gint64)r.n != n_nodes)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: its dataset has %u nodes, but the project was saved with %"
                      PRId64 "."), display_name, r.n, n_nodes);
      return NULL;
    }
  graph = restore_splits (&r, root, loaded, error);
  if (graph == NULL)
    return NULL;

  doc = _philia_document_new_restored (graph, found_dataset, found_table);
  if (embedded != NULL)
    {
      _philia_document_set_embedded_dataset (doc, embedded, embedded_name);
      philia_document_set_embed (doc, TRUE);
    }
  if (!restore_layouts (&r, root, doc, error) ||
      !restore_state (&r, root, doc, error) ||
      !restore_runs (&r, root, doc, &max_run, error) ||
      !restore_evaluations (&r, root, doc, &max_evaluation, error) ||
      !restore_pairs (&r, root, doc, error) ||
      !restore_feature_sets (&r, root, doc, error) ||
      !reader_get_uint (&r, root, "", "next_run_id", &next_run, error) ||
      !reader_get_uint (&r, root, "", "next_evaluation_id", &next_evaluation, error))
    return NULL;
  /* Ids are never reused, even if the counters were lost. */
  _philia_document_set_next_ids (doc, MAX (next_run, max_run + 1),
                                 MAX (next_evaluation, max_evaluation + 1));
  /* Restoring (the embed flag) is no change of the user's. */
  _philia_document_mark_saved (doc, NULL);
  return g_steal_pointer (&doc);
}

/* }}} */
