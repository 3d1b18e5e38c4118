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
#include "philia-manifest-private.h"
#include "philia-project-private.h"
#include "philia-zip-private.h"

/* Writing a project: the snapshot taken on the main thread, then the
 * manifest and the arrays written from it (any thread). The format is described
 * in philia-project.c. */

/* {{{ The snapshot */

typedef struct
{
  guint                  id;
  PhiliaProximityParams  params;
  guint                  mask;
  guint64                seed;
  guint                  n_mrr_neg;
  guint                  n_heuristics;
  double                *summary;
  char                 **names;       /* n_heuristics, from the report when there is one */
  GPtrArray             *models;      /* copies of the GNN link predictors, or NULL */
  char                  *features;    /* the feature set fp scored with */
  char                 **model_features; /* the set each model trained on */
} EvaluationCopy;

struct _PhiliaDocumentSnapshot
{
  PhiliaGraph         *graph;
  char                *dataset_path;
  char                *node_table_path;
  gboolean             embed;
  GBytes              *embedded;
  char                *embedded_name;
  GPtrArray           *layouts;      /* PhiliaDocumentLayout, referenced */
  int                  current;      /* index in @layouts, -1 for none */
  guint               *selection;
  guint                n_selected;
  PhiliaDocumentView   view;
  GPtrArray           *overlays;     /* PhiliaDocumentOverlay, referenced */
  PhiliaConvention     conventions;
  char                *notes;
  char                *origin;
  guint                next_run_id;
  guint                next_evaluation_id;
  GPtrArray           *runs;         /* PhiliaDocumentRun, referenced */
  GArray              *evaluations;  /* EvaluationCopy */
  GArray              *pairs;        /* PhiliaDocumentPair */
  GPtrArray           *feature_sets; /* PhiliaDocumentFeatures, referenced */
  GHashTable          *run_features; /* run id → feature set name */
  char                *measure_features; /* the feature measures' set */
};

static void
evaluation_copy_clear (EvaluationCopy *e)
{
  g_free (e->summary);
  g_strfreev (e->names);
  g_clear_pointer (&e->models, g_ptr_array_unref);
  g_free (e->features);
  g_strfreev (e->model_features);
}

/**
 * philia_document_snapshot:
 *
 * References the graph, the layouts and the runs (immutable once in the
 * document) and copies the rest. O(selection + evaluations + pairs).
 */
PhiliaDocumentSnapshot *
philia_document_snapshot (PhiliaDocument *self)
{
  PhiliaDocumentSnapshot *s;
  const PhiliaDocumentLayout *current;
  const guint *selection;
  const char *name = NULL;
  GBytes *embedded;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);

  s = g_new0 (PhiliaDocumentSnapshot, 1);
  s->graph = g_object_ref (philia_document_get_graph (self));
  s->dataset_path = g_strdup (philia_document_get_dataset_path (self));
  s->node_table_path = g_strdup (philia_document_get_node_table_path (self));
  s->embed = philia_document_get_embed (self);
  embedded = _philia_document_get_embedded_dataset (self, &name);
  if (embedded != NULL)
    {
      s->embedded = g_bytes_ref (embedded);
      s->embedded_name = g_strdup (name);
    }

  s->layouts = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_document_layout_unref);
  current = philia_document_get_current_layout (self);
  s->current = -1;
  for (guint i = 0; i < philia_document_get_n_layouts (self); i++)
    {
      const PhiliaDocumentLayout *l = philia_document_get_layout (self, i);

      if (l == current)
        s->current = (int)i;
      g_ptr_array_add (s->layouts, philia_document_layout_ref ((PhiliaDocumentLayout *)l));
    }

  selection = philia_document_get_selection (self, &s->n_selected);
  s->selection = g_memdup2 (selection, sizeof (guint) * s->n_selected);
  philia_document_view_copy (&s->view, philia_document_get_view (self));
  s->overlays = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_document_overlay_unref);
  for (guint i = 0; i < philia_document_get_n_overlays (self); i++)
    g_ptr_array_add (s->overlays, philia_document_overlay_ref (
      (PhiliaDocumentOverlay *)philia_document_get_overlay (self, i)));
  s->conventions = philia_document_get_conventions (self);
  s->notes = g_strdup (philia_document_get_notes (self));
  s->origin = g_strdup (philia_document_get_origin (self));
  s->next_run_id = _philia_document_get_next_run_id (self);
  s->next_evaluation_id = _philia_document_get_next_evaluation_id (self);

  s->runs = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_document_run_unref);
  for (guint i = 0; i < philia_document_get_n_runs (self); i++)
    g_ptr_array_add (s->runs,
                     philia_document_run_ref ((PhiliaDocumentRun *)philia_document_get_run (self,
                                                                                            i)));

  s->evaluations = g_array_new (FALSE, TRUE, sizeof (EvaluationCopy));
  g_array_set_clear_func (s->evaluations, (GDestroyNotify)evaluation_copy_clear);
  for (guint i = 0; i < philia_document_get_n_evaluations (self); i++)
    {
      const PhiliaDocumentEvaluation *e = philia_document_get_evaluation (self, i);
      EvaluationCopy c = {
        e->id, e->params, e->mask, e->seed, e->n_mrr_neg, e->n_heuristics,
        g_memdup2 (e->summary, sizeof (double) * 6 * e->n_heuristics),
        _philia_project_evaluation_names (e),
        _philia_project_copy_link_models (e->models),
        g_strdup (e->features != NULL ? e->features : PHILIA_FEATURES_ORIGINAL),
        NULL,
      };

      if (e->models != NULL)
        {
          c.model_features = g_new0 (char *, e->models->len + 1);
          for (guint m = 0; m < e->models->len; m++)
            c.model_features[m] = g_strdup (philia_document_evaluation_get_model_features (e, m));
        }

      g_array_append_val (s->evaluations, c);
    }

  s->pairs = g_array_new (FALSE, FALSE, sizeof (PhiliaDocumentPair));
  for (guint i = 0; i < philia_document_get_n_pairs (self); i++)
    g_array_append_val (s->pairs, *philia_document_get_pair (self, i));
  s->feature_sets = _philia_document_features_snapshot (self, &s->run_features);
  s->measure_features = g_strdup (philia_document_get_measure_features (self));
  return s;
}

void
philia_document_snapshot_free (PhiliaDocumentSnapshot *s)
{
  if (s == NULL)
    return;
  g_clear_object (&s->graph);
  g_free (s->dataset_path);
  g_free (s->node_table_path);
  g_clear_pointer (&s->embedded, g_bytes_unref);
  g_free (s->embedded_name);
  g_clear_pointer (&s->layouts, g_ptr_array_unref);
  g_free (s->selection);
  philia_document_view_clear (&s->view);
  g_clear_pointer (&s->overlays, g_ptr_array_unref);
  g_free (s->notes);
  g_free (s->origin);
  g_clear_pointer (&s->runs, g_ptr_array_unref);
  g_clear_pointer (&s->feature_sets, g_ptr_array_unref);
  g_clear_pointer (&s->run_features, g_hash_table_unref);
  g_free (s->measure_features);
  g_clear_pointer (&s->evaluations, g_array_unref);
  g_clear_pointer (&s->pairs, g_array_unref);
  g_free (s);
}

/* }}} */
/* {{{ Writing */

/* A path from @base_dir to @path ("../data/cora.npz"), or NULL when they
 * share nothing but the root. */
static char *
relative_path (const char *base_dir,
               const char *path)
{
  g_auto(GStrv) a = g_strsplit (base_dir, G_DIR_SEPARATOR_S, -1);
  g_auto(GStrv) b = g_strsplit (path, G_DIR_SEPARATOR_S, -1);
  guint na = g_strv_length (a), nb = g_strv_length (b), common = 0;
  GString *out;

  /* Drop empty components ("/a//b", trailing "/") by comparing real ones. */
  while (common < na && common + 1 < nb && strcmp (a[common], b[common]) == 0)
    common++;
  if (common <= 1)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = common; i < na; i++)
    if (a[i][0] != '\0')
      g_string_append (out, ".." G_DIR_SEPARATOR_S);
  for (guint i = common; i < nb; i++)
    {
      g_string_append (out, b[i]);
      if (i + 1 < nb)
        g_string_append_c (out, G_DIR_SEPARATOR);
    }
  return g_string_free (out, FALSE);
}

/* Seeds are 64-bit unsigned; JSON integers here are signed. */
static void
member_seed (JsonBuilder *b,
             const char  *key,
             guint64      seed)
{
  json_builder_set_member_name (b, key);
  if (seed <= G_MAXINT64)
    json_builder_add_int_value (b, (gint64)seed);
  else
    {
      char buf[32];

      g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, seed);
      json_builder_add_string_value (b, buf);
    }
}

/* Members are written to memory, then the whole file at once. */
typedef struct
{
  PhiliaZipWriter *zip;
  JsonBuilder     *json;
  GCancellable    *cancellable;
  GPtrArray       *names;        /* member names queued, with their arrays */
  GPtrArray       *arrays;
  gint64           n_entries;    /* of the graph's CSR: attention rows */
} Writer;

/* Queues an array (written after the manifest) and names it in the manifest
 * under @key. The array's data is borrowed, never freed here. */
static void
queue_array (Writer      *w,
             const char  *key,
             const char  *member,
             PhiliaDtype  dtype,
             gconstpointer data,
             guint        ndim,
             gint64       dim0,
             gint64       dim1)
{
  PhiliaArray *a = g_new0 (PhiliaArray, 1);

  a->dtype = dtype;
  a->itemsize = philia_dtype_get_size (dtype);
  a->ndim = ndim;
  a->shape[0] = dim0;
  a->shape[1] = dim1;
  a->n_elements = ndim == 1 ? dim0 : dim0 * dim1;
  a->data = (gpointer)data;
  g_ptr_array_add (w->names, g_strdup (member));
  g_ptr_array_add (w->arrays, a);
  if (key != NULL)
    {
      g_autofree char *file = g_strconcat (member, ".npy", NULL);

      member_string (w->json, key, file);
    }
}

static void
write_params (JsonBuilder                 *b,
              const char                  *key,
              const PhiliaProximityParams *p)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_object (b);
  member_double (b, "katz_beta", p->katz_beta);
  member_int (b, "katz_len", p->katz_len);
  member_double (b, "ppr_alpha", p->ppr_alpha);
  member_int (b, "n_threads", p->n_threads);
  json_builder_end_object (b);
}

static void
write_run (Writer                  *w,
           const PhiliaDocumentRun *run)
{
  JsonBuilder *b = w->json;
  PhiliaTrainResult *r = run->result;
  const PhiliaTrainParams *p = &r->params;
  char prefix[32];

  g_snprintf (prefix, sizeof prefix, "runs/%u/", run->id);
  json_builder_begin_object (b);
  member_int (b, "id", run->id);
  if (run->group != 0)
    {
      /* Optional, so that older readers open the runs as runs of their own. */
      json_builder_set_member_name (b, "group");
      json_builder_begin_object (b);
      member_int (b, "id", run->group);
      member_int (b, "splits", run->n_splits);
      member_int (b, "seeds", run->n_seeds);
      json_builder_end_object (b);
    }
  if (run->provenance != PHILIA_RUN_TRAINED)
    {
      /* Optional too: an older reader opens it as a run like any other. */
      json_builder_set_member_name (b, "provenance");
      json_builder_begin_object (b);
      member_string (b, "kind", run->provenance == PHILIA_RUN_ADAPTED ? "adapted" : "applied");
      member_string (b, "source", run->provenance_source);
      member_string (b, "method", run->provenance_method);
      json_builder_end_object (b);
    }
  member_string (b, "model", r->model);
  member_int (b, "split", r->split);
  member_seed (b, "seed", r->seed);
  member_int (b, "n_threads", r->n_threads);
  member_train_params (b, "params", p);
  member_bool (b, "identity_features", r->identity_features);
  member_bool (b, "sparse_features", r->sparse_features);
  member_int (b, "n_epochs", r->n_epochs);
  member_int (b, "best_epoch", r->best_epoch);
  member_double (b, "train_accuracy", r->train_accuracy);
  member_double (b, "val_accuracy", r->val_accuracy);
  member_double (b, "test_accuracy", r->test_accuracy);
  member_double (b, "epoch_ms_median", r->epoch_ms_median);
  member_double (b, "seconds", r->seconds);
  member_int (b, "n_nodes", r->n_nodes);
  member_int (b, "n_classes", r->n_classes);
  member_string (b, "metric", (guint)r->metric < G_N_ELEMENTS (metric_names)
                 ? metric_names[r->metric] : "accuracy");
  member_string (b, "best_epoch_rule", (guint)r->best_epoch_rule < G_N_ELEMENTS (rule_names)
                 ? rule_names[r->best_epoch_rule] : "val-accuracy");
  member_double (b, "train_roc_auc", r->train_roc_auc);
  member_double (b, "val_roc_auc", r->val_roc_auc);
  member_double (b, "test_roc_auc", r->test_roc_auc);
  member_int (b, "majority_class", r->majority_class);
  member_double (b, "train_majority", r->train_majority);
  member_double (b, "val_majority", r->val_majority);
  member_double (b, "test_majority", r->test_majority);
  json_builder_set_member_name (b, "bins");
  json_builder_begin_array (b);
  for (guint i = 0; i < PHILIA_TRAIN_HOMOPHILY_BINS; i++)
    {
      json_builder_begin_object (b);
      member_int (b, "count", r->bin_count[i]);
      member_double (b, "accuracy", r->bin_accuracy[i]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  for (guint i = 0; i < G_N_ELEMENTS (curve_names); i++)
    {
      double *curve = *result_curve (r, i);
      g_autofree char *member = g_strconcat (prefix, curve_names[i], NULL);

      if (curve != NULL)
        queue_array (w, curve_names[i], member, PHILIA_DTYPE_FLOAT64, curve, 1, r->n_epochs, 0);
    }
  if (r->predictions != NULL)
    {
      g_autofree char *member = g_strconcat (prefix, "predictions", NULL);

      queue_array (w, "predictions", member, PHILIA_DTYPE_INT32, r->predictions, 1,
                   r->n_nodes, 0);
    }
  if (r->probabilities != NULL)
    {
      g_autofree char *member = g_strconcat (prefix, "probabilities", NULL);

      queue_array (w, "probabilities", member, PHILIA_DTYPE_FLOAT32, r->probabilities, 2,
                   r->n_nodes, r->n_classes);
    }
  if (r->weights != NULL)
    {
      json_builder_set_member_name (b, "weights");
      json_builder_begin_array (b);
      for (guint i = 0; i < r->weights->len; i++)
        {
          const PhiliaTensor *t = g_ptr_array_index (r->weights, i);
          g_autofree char *member = g_strdup_printf ("%sweight-%u", prefix, i);

          json_builder_begin_object (b);
          queue_array (w, "member", member, PHILIA_DTYPE_FLOAT32, t->data, 2, t->rows, t->cols);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  if (r->attention != NULL)
    {
      json_builder_set_member_name (b, "attention");
      json_builder_begin_array (b);
      for (guint i = 0; i < r->attention->len; i++)
        {
          const PhiliaAttention *a = &g_array_index (r->attention, PhiliaAttention, i);
          g_autofree char *edges = g_strdup_printf ("%sattention-%u-edges", prefix, i);
          g_autofree char *self = g_strdup_printf ("%sattention-%u-self", prefix, i);

          json_builder_begin_object (b);
          member_int (b, "layer", a->layer);
          member_int (b, "heads", a->heads);
          queue_array (w, "edges", edges, PHILIA_DTYPE_FLOAT32, a->edges, 2, w->n_entries,
                       a->heads);
          queue_array (w, "self", self, PHILIA_DTYPE_FLOAT32, a->self, 2, r->n_nodes, a->heads);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "node_values");
  json_builder_begin_array (b);
  for (guint i = 0; r->node_values != NULL && i < r->node_values->len; i++)
    {
      const PhiliaNodeValues *v = g_ptr_array_index (r->node_values, i);
      g_autofree char *member = g_strdup_printf ("%snode-values-%u", prefix, i);

      json_builder_begin_object (b);
      member_string (b, "name", v->name);
      queue_array (w, "member", member, PHILIA_DTYPE_FLOAT64, v->values, 1, r->n_nodes, 0);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* The bytes of a graph that has no file (a filtered or generated one): the
 * .npz philia_graph_write_npz() writes. */
static GBytes *
graph_to_npz (PhiliaGraph  *graph,
              const char   *display_name,
              GError      **error)
{
  g_autofree char *tmp = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;
  int fd;

  fd = g_file_open_tmp ("philia-graph-XXXXXX.npz", &tmp, &local_error);
  if (fd < 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO,
                   _ ("%s: cannot be written: %s."), display_name, local_error->message);
      return NULL;
    }
  close (fd);
  if (!philia_graph_write_npz (graph, tmp, error) ||
      !g_file_get_contents (tmp, &contents, &length, &local_error))
    {
      if (local_error != NULL)
        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO,
                     _ ("%s: cannot be written: %s."), display_name, local_error->message);
      g_unlink (tmp);
      return NULL;
    }
  g_unlink (tmp);
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* "path", "absolute_path", "size", "sha256" of a file the project refers to. */
static void
write_file_reference (JsonBuilder  *b,
                      const char   *base_dir,
                      const char   *path,
                      GCancellable *cancellable)
{
  g_autofree char *relative = relative_path (base_dir, path);
  g_autofree char *sha256 = NULL;
  guint64 size = 0;

  member_string (b, "path", relative != NULL ? relative : path);
  member_string (b, "absolute_path", path);
  if (_philia_project_file_checksum (path, cancellable, &sha256, &size))
    {
      member_int (b, "size", (gint64)size);
      member_string (b, "sha256", sha256);
    }
}

/* The dataset reference; the bytes to embed, if any, go to @embedded. */
static gboolean
write_dataset (Writer                 *w,
               PhiliaDocumentSnapshot *s,
               const char             *base_dir,
               const char             *display_name,
               GBytes                **embedded,
               char                  **embedded_name,
               GError                **error)
{
  JsonBuilder *b = w->json;

  json_builder_set_member_name (b, "dataset");
  json_builder_begin_object (b);
  if (s->embedded != NULL && (s->embed || s->dataset_path == NULL))
    {
      *embedded = g_bytes_ref (s->embedded);
      *embedded_name = g_strdup (s->embedded_name != NULL ? s->embedded_name : "dataset.npz");
    }
  else if (s->embed || s->dataset_path == NULL)
    {
      /* A node table changes the graph; the embedded dataset is then the graph
       * as loaded, so the project needs no second file. */
      if (s->dataset_path != NULL && s->node_table_path == NULL)
        {
          g_autoptr(GError) local_error = NULL;
          g_autofree char *contents = NULL;
          gsize length;

          if (!g_file_get_contents (s->dataset_path, &contents, &length, &local_error))
            {
              g_autofree char *base = g_path_get_basename (s->dataset_path);

              g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO,
                           _ ("%s: cannot embed the dataset %s: %s."), display_name, base,
                           local_error->message);
              return FALSE;
            }
          *embedded = g_bytes_new_take (g_steal_pointer (&contents), length);
          *embedded_name = g_path_get_basename (s->dataset_path);
        }
      else
        {
          *embedded = graph_to_npz (s->graph, display_name, error);
          if (*embedded == NULL)
            return FALSE;
          if (s->dataset_path != NULL)
            {
              g_autofree char *base = g_path_get_basename (s->dataset_path);

              *embedded_name = g_strconcat (base, ".npz", NULL);
            }
          else
            *embedded_name = g_strdup ("graph.npz");
        }
    }
  if (*embedded != NULL)
    {
      g_autofree char *member = g_strconcat ("dataset/", *embedded_name, NULL);
      g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, *embedded);

      member_string (b, "embedded", member);
      member_string (b, "name", *embedded_name);
      member_int (b, "size", (gint64)g_bytes_get_size (*embedded));
      member_string (b, "sha256", sha256);
    }
  else
    {
      write_file_reference (b, base_dir, s->dataset_path, w->cancellable);
      if (s->node_table_path != NULL)
        {
          json_builder_set_member_name (b, "node_table");
          json_builder_begin_object (b);
          write_file_reference (b, base_dir, s->node_table_path, w->cancellable);
          json_builder_end_object (b);
        }
    }
  json_builder_end_object (b);
  return TRUE;
}

/* Feature sets as arrays (derived ones also by their spec), and which set
 * each run trained on. */
static void
write_feature_sets (Writer                 *w,
                    PhiliaDocumentSnapshot *s)
{
  JsonBuilder *b = w->json;
  GHashTableIter it;
  gpointer key, value;

  json_builder_set_member_name (b, "feature_sets");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->feature_sets->len; i++)
    {
      const PhiliaDocumentFeatures *f = s->feature_sets->pdata[i];
      g_autofree char *member = g_strdup_printf ("features/%u", i);

      json_builder_begin_object (b);
      member_string (b, "name", f->set->name);
      member_string (b, "origin", f->set->origin);
      if (f->spec != NULL)
        member_string (b, "spec", f->spec);
      member_int (b, "columns", f->set->n_cols);
      if (f->set->n_cols > 0)
        queue_array (w, "data", member, PHILIA_DTYPE_FLOAT32, f->set->data, 2, f->set->n_rows,
                     f->set->n_cols);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "run_features");
  json_builder_begin_object (b);
  g_hash_table_iter_init (&it, s->run_features);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      char id[16];

      g_snprintf (id, sizeof id, "%u", GPOINTER_TO_UINT (key));
      member_string (b, id, value);
    }
  json_builder_end_object (b);
  member_string (b, "measure_features", s->measure_features);
}

static gboolean
write_manifest (Writer                 *w,
                PhiliaDocumentSnapshot *s,
                const char             *base_dir,
                const char             *display_name,
                GBytes                **embedded,
                char                  **embedded_name,
                GError                **error)
{
  JsonBuilder *b = w->json;
  guint n = philia_graph_get_n_nodes (s->graph);
  guint n_splits = philia_graph_get_n_splits (s->graph);

  json_builder_begin_object (b);
  member_string (b, "format", PROJECT_FORMAT);
  member_int (b, "format_version", PHILIA_PROJECT_FORMAT_VERSION);
  member_string (b, "generator", "Philia " PACKAGE_VERSION);
  if (!write_dataset (w, s, base_dir, display_name, embedded, embedded_name, error))
    return FALSE;
  member_int (b, "n_nodes", n);

  if (n_splits > 0)
    {
      static const char *const parts[] = { "train", "val", "test" };

      json_builder_set_member_name (b, "splits");
      json_builder_begin_object (b);
      member_int (b, "count", n_splits);
      for (guint part = 0; part < 3; part++)
        {
          g_autofree char *member = g_strconcat ("splits/", parts[part], NULL);

          /* The masks of one part are contiguous, split after split. */
          queue_array (w, parts[part], member, PHILIA_DTYPE_UINT8,
                       philia_graph_get_split_mask (s->graph, 0, part), 2, n_splits, n);
        }
      json_builder_end_object (b);
    }

  json_builder_set_member_name (b, "layouts");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->layouts->len; i++)
    {
      const PhiliaDocumentLayout *l = g_ptr_array_index (s->layouts, i);
      g_autofree char *member = g_strdup_printf ("layouts/%u", i);

      json_builder_begin_object (b);
      member_string (b, "name", l->name);
      member_string (b, "algorithm", l->algorithm);
      member_seed (b, "seed", l->seed);
      queue_array (w, "positions", member, PHILIA_DTYPE_FLOAT64, l->positions, 2, n, 2);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  member_string (b, "current_layout", s->current >= 0
                 ? ((PhiliaDocumentLayout *)g_ptr_array_index (s->layouts, s->current))->name
                 : NULL);
  /* guint is 32 bits on every platform Philia builds for. */
  G_STATIC_ASSERT (sizeof (guint) == 4);
  queue_array (w, "selection", "selection", PHILIA_DTYPE_UINT32, s->selection, 1,
               s->n_selected, 0);

  json_builder_set_member_name (b, "view");
  json_builder_begin_object (b);
  member_string (b, "color_by", s->view.color_by);
  member_string (b, "edge_style", s->view.edge_style);
  member_string (b, "overlay", s->view.overlay);
  member_double (b, "zoom", s->view.zoom);
  member_double (b, "center_x", s->view.center_x);
  member_double (b, "center_y", s->view.center_y);
  /* The list the three names above stand for; a reader of the older
   * format sees the names and shows the same. */
  json_builder_set_member_name (b, "overlays");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->overlays->len; i++)
    {
      const PhiliaDocumentOverlay *o = s->overlays->pdata[i];

      json_builder_begin_object (b);
      member_string (b, "kind", philia_overlay_kind_to_string (o->kind));
      member_string (b, "source", o->source);
      member_bool (b, "visible", o->visible);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "conventions");
  json_builder_begin_object (b);
  member_bool (b, "keep_self_loops", (s->conventions & PHILIA_CONVENTION_KEEP_SELF_LOOPS) != 0);
  member_bool (b, "directed", (s->conventions & PHILIA_CONVENTION_DIRECTED) != 0);
  json_builder_end_object (b);
  member_string (b, "notes", s->notes != NULL ? s->notes : "");
  member_string (b, "origin", s->origin);
  member_int (b, "next_run_id", s->next_run_id);
  member_int (b, "next_evaluation_id", s->next_evaluation_id);

  json_builder_set_member_name (b, "runs");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->runs->len; i++)
    write_run (w, g_ptr_array_index (s->runs, i));
  json_builder_end_array (b);

  json_builder_set_member_name (b, "evaluations");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->evaluations->len; i++)
    {
      const EvaluationCopy *e = &g_array_index (s->evaluations, EvaluationCopy, i);

      json_builder_begin_object (b);
      member_int (b, "id", e->id);
      write_params (b, "params", &e->params);
      member_int (b, "mask", e->mask);
      member_seed (b, "seed", e->seed);
      member_int (b, "n_mrr_neg", e->n_mrr_neg);
      member_string (b, "features", e->features);
      json_builder_set_member_name (b, "summary");
      json_builder_begin_array (b);
      for (guint h = 0; h < e->n_heuristics; h++)
        {
          static const char *const keys[] = { "auc", "ap", "mrr", "hits@20", "hits@50",
                                              "hits@100" };

          json_builder_begin_object (b);
          member_string (b, "heuristic", e->names[h]);
          for (guint k = 0; k < 6; k++)
            member_double (b, keys[k], e->summary[h * 6 + k]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      _philia_project_write_link_models (b, e->models, e->model_features);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "pairs");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->pairs->len; i++)
    {
      const PhiliaDocumentPair *pair = &g_array_index (s->pairs, PhiliaDocumentPair, i);

      json_builder_begin_object (b);
      member_int (b, "u", pair->u);
      member_int (b, "v", pair->v);
      write_params (b, "params", &pair->params);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  write_feature_sets (w, s);
  json_builder_end_object (b);
  return TRUE;
}

static gboolean
io_failed (GError      **error,
           GError       *local_error,
           const char   *display_name)
{
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      local_error->domain == PHILIA_ERROR)
    g_propagate_error (error, local_error);
  else
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, _ ("%s: cannot be written: %s."),
                   display_name, local_error->message);
      g_error_free (local_error);
    }
  return FALSE;
}

/* Writes the archive to @tmp (which exists, empty), then flushes it to the
 * disk. */
static gboolean
write_archive (PhiliaDocumentSnapshot *snapshot,
               const char             *tmp,
               const char             *display_name,
               const char             *manifest,
               gsize                   manifest_len,
               GPtrArray              *names,
               GPtrArray              *arrays,
               GBytes                 *embedded,
               const char             *embedded_name,
               GCancellable           *cancellable,
               GError                **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (tmp);
  g_autoptr(GFileOutputStream) fout = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(PhiliaZipWriter) zip = NULL;
  GError *local_error = NULL;
  int fd;

  fout = g_file_append_to (file, G_FILE_CREATE_NONE, cancellable, &local_error);
  if (fout == NULL)
    return io_failed (error, local_error, display_name);
  out = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (fout), 1u << 20);
  zip = _philia_zip_writer_new (out, display_name);
  if (!_philia_zip_writer_add (zip, MANIFEST_NAME, NULL, 0, (const guint8 *)manifest,
                               manifest_len, 6, cancellable, &local_error))
    goto fail;
  for (guint i = 0; i < arrays->len; i++)
    {
      const PhiliaArray *a = g_ptr_array_index (arrays, i);
      gboolean noise = (a->dtype == PHILIA_DTYPE_FLOAT32 || a->dtype == PHILIA_DTYPE_FLOAT64) &&
                       (guint64)a->n_elements * a->itemsize >= STORE_FLOATS_FROM;

      if (!_philia_zip_writer_add_array (zip, g_ptr_array_index (names, i), a,
                                         noise ? 0 : ARRAY_LEVEL, cancellable, &local_error))
        goto fail;
    }
  if (embedded != NULL)
    {
      g_autofree char *member = g_strconcat ("dataset/", embedded_name, NULL);
      gsize size;
      const guint8 *data = g_bytes_get_data (embedded, &size);

      if (!_philia_zip_writer_add (zip, member, NULL, 0, data, size, ARRAY_LEVEL,
                                   cancellable, &local_error))
        goto fail;
    }
  if (!_philia_zip_writer_finish (zip, cancellable, &local_error) ||
      !g_output_stream_close (out, cancellable, &local_error))
    goto fail;

  /* fsync() applies to the file, whichever descriptor names it. */
  fd = open (tmp, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, _ ("%s: cannot be written: %s."),
                   display_name, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;

fail:
  /* Only @tmp is at stake; the caller removes it. */
  g_output_stream_close (out, NULL, NULL);
  return io_failed (error, local_error, display_name);
}

/**
 * philia_document_snapshot_write:
 *
 * Builds the archive in memory, writes it to a temporary file in the same
 * folder, flushes it to disk (fsync) and renames it over @path, so @path is
 * at every instant either the old project or the new one. O(project size).
 */
gboolean
philia_document_snapshot_write (PhiliaDocumentSnapshot *snapshot,
                                const char             *path,
                                GCancellable           *cancellable,
                                GError                **error)
{
  g_autofree char *display_name = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *embedded_name = NULL;
  g_autofree char *manifest = NULL;
  g_autoptr(GBytes) embedded = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) arrays = NULL;
  const gint64 *off;
  Writer w = { 0 };
  gsize manifest_len;
  int fd;

  g_return_val_if_fail (snapshot != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display_name = g_path_get_basename (path);
  if (g_path_is_absolute (path))
    dir = g_path_get_dirname (path);
  else
    {
      g_autofree char *cwd = g_get_current_dir ();
      g_autofree char *abs = g_build_filename (cwd, path, NULL);

      dir = g_path_get_dirname (abs);
    }

  builder = json_builder_new ();
  names = g_ptr_array_new_with_free_func (g_free);
  arrays = g_ptr_array_new_with_free_func (g_free);   /* data borrowed */
  off = philia_graph_get_row_offsets (snapshot->graph);
  w.json = builder;
  w.cancellable = cancellable;
  w.names = names;
  w.arrays = arrays;
  w.n_entries = off[philia_graph_get_n_nodes (snapshot->graph)];
  if (!write_manifest (&w, snapshot, dir, display_name, &embedded, &embedded_name, error))
    return FALSE;
  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  manifest = json_generator_to_data (generator, &manifest_len);

  /* Straight into a temporary file beside @path: a second copy of the
   * archive in memory would cost as much again in page faults. */
  tmp = g_build_filename (dir, ".philia-save-XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, _ ("%s: cannot be written: %s."),
                   display_name, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  if (!write_archive (snapshot, tmp, display_name, manifest, manifest_len, names, arrays,
                      embedded, embedded_name, cancellable, error))
    goto fail;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, _ ("%s: cannot be written: %s."),
                   display_name, g_strerror (saved));
      goto fail;
    }
  /* The rename itself reaches the disk with the folder. */
  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
  return TRUE;

fail:
  g_unlink (tmp);
  return FALSE;
}

/* }}} */
