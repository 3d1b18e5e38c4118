/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

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

#define MANIFEST_NAME "philia-project.json"
#define PROJECT_FORMAT "philia-project"
/* A manifest is small; anything larger is not one Philia wrote. */
#define MAX_MANIFEST  (64u << 20)
/* Arrays are deflated fast, and large float arrays (weights, probabilities,
 * attention, positions) are stored: their low bits are noise, deflate gains
 * a few percent on them at about 15 MB/s, and saving a PubMed project with
 * ten runs must stay well under a second. */
#define ARRAY_LEVEL   1
#define STORE_FLOATS_FROM (64u << 10)

static const char *const metric_names[] = { "accuracy", "roc-auc" };
static const char *const rule_names[] = { "val-roc-auc", "val-accuracy", "last-epoch" };
static const char *const optimizer_names[] = { "adam", "sgd" };
static const char *const curve_names[] = {
  "loss", "val_loss", "train_curve", "val_curve", "test_curve",
  "train_auc_curve", "val_auc_curve", "test_auc_curve",
};

G_DEFINE_QUARK (philia-project-error-quark, philia_project_error)

static double **
result_curve (PhiliaTrainResult *r,
              guint              i)
{
  double **curves[] = {
    &r->loss, &r->val_loss, &r->train_curve, &r->val_curve, &r->test_curve,
    &r->train_auc_curve, &r->val_auc_curve, &r->test_auc_curve,
  };

  return curves[i];
}

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
  PhiliaConvention     conventions;
  char                *notes;
  char                *origin;
  guint                next_run_id;
  guint                next_evaluation_id;
  GPtrArray           *runs;         /* PhiliaDocumentRun, referenced */
  GArray              *evaluations;  /* EvaluationCopy */
  GArray              *pairs;        /* PhiliaDocumentPair */
};

static void
evaluation_copy_clear (EvaluationCopy *e)
{
  g_free (e->summary);
  g_strfreev (e->names);
}

/* The heuristics of an evaluation, by name, in mask order. */
static char **
evaluation_names (const PhiliaDocumentEvaluation *e)
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
        g_memdup2 (e->summary, sizeof (double) * 6 * e->n_heuristics), evaluation_names (e),
      };

      g_array_append_val (s->evaluations, c);
    }

  s->pairs = g_array_new (FALSE, FALSE, sizeof (PhiliaDocumentPair));
  for (guint i = 0; i < philia_document_get_n_pairs (self); i++)
    g_array_append_val (s->pairs, *philia_document_get_pair (self, i));
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
  g_free (s->notes);
  g_free (s->origin);
  g_clear_pointer (&s->runs, g_ptr_array_unref);
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

/* The SHA-256 and size of a file, or FALSE if it cannot be read. */
static gboolean
file_checksum (const char    *path,
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

static void
add_double (JsonBuilder *b,
            double       v)
{
  if (isnan (v))
    json_builder_add_null_value (b);
  else if (isinf (v))
    json_builder_add_string_value (b, v > 0 ? "inf" : "-inf");
  else
    json_builder_add_double_value (b, v);
}

static void
member_double (JsonBuilder *b,
               const char  *key,
               double       v)
{
  json_builder_set_member_name (b, key);
  add_double (b, v);
}

static void
member_int (JsonBuilder *b,
            const char  *key,
            gint64       v)
{
  json_builder_set_member_name (b, key);
  json_builder_add_int_value (b, v);
}

static void
member_string (JsonBuilder *b,
               const char  *key,
               const char  *v)
{
  json_builder_set_member_name (b, key);
  if (v != NULL)
    json_builder_add_string_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
member_bool (JsonBuilder *b,
             const char  *key,
             gboolean     v)
{
  json_builder_set_member_name (b, key);
  json_builder_add_boolean_value (b, v);
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
  member_string (b, "model", r->model);
  member_int (b, "split", r->split);
  member_seed (b, "seed", r->seed);
  member_int (b, "n_threads", r->n_threads);
  json_builder_set_member_name (b, "params");
  json_builder_begin_object (b);
  member_int (b, "epochs", p->epochs);
  member_double (b, "lr", p->lr);
  member_double (b, "weight_decay", p->weight_decay);
  member_int (b, "hidden", p->hidden);
  member_double (b, "dropout", p->dropout);
  member_int (b, "heads", p->heads);
  member_int (b, "k", p->k);
  member_double (b, "alpha", p->alpha);
  member_string (b, "optimizer", (guint)p->optimizer < G_N_ELEMENTS (optimizer_names)
                 ? optimizer_names[p->optimizer] : "adam");
  member_bool (b, "normalize_features", p->normalize_features);
  json_builder_end_object (b);
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
                   "%s: cannot be written: %s.", display_name, local_error->message);
      return NULL;
    }
  close (fd);
  if (!philia_graph_write_npz (graph, tmp, error) ||
      !g_file_get_contents (tmp, &contents, &length, &local_error))
    {
      if (local_error != NULL)
        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO,
                     "%s: cannot be written: %s.", display_name, local_error->message);
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
  if (file_checksum (path, cancellable, &sha256, &size))
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
                           "%s: cannot embed the dataset %s: %s.", display_name, base,
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
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, "%s: cannot be written: %s.",
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
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, "%s: cannot be written: %s.",
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

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, "%s: cannot be written: %s.",
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

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, "%s: cannot be written: %s.",
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
/* {{{ Reading */

typedef struct
{
  const char   *name;         /* the project, in every message */
  PhiliaNpz    *npz;
  guint         n;
  gint64        n_entries;
  GCancellable *cancellable;
} Reader;

G_GNUC_PRINTF (4, 5)
static gboolean
fail (GError     **error,
      PhiliaError  code,
      Reader      *r,
      const char  *format,
      ...)
{
  g_autofree char *rest = NULL;
  va_list args;

  va_start (args, format);
  rest = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PHILIA_ERROR, code, "%s: %s", r->name, rest);
  return FALSE;
}

/* Text from the file (UTF-8, checked), made fit for a one-line message:
 * control characters replaced, at most 80 characters. */
static char *
printable (const char *text)
{
  GString *s = g_string_new (NULL);
  glong n = 0;

  if (!g_utf8_validate (text, -1, NULL))
    return sanitize (text, strlen (text));
  for (const char *p = text; *p != '\0' && n < 80; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (s, '?');
      else
        g_string_append_unichar (s, c);
    }
  if (g_utf8_strlen (text, -1) > 80)
    g_string_append (s, "…");
  return g_string_free (s, FALSE);
}

static JsonNode *
get_value (JsonObject *o,
           const char *key,
           GType       type)
{
  JsonNode *node = json_object_get_member (o, key);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != type)
    return NULL;
  return node;
}

static gboolean
bad_member (Reader     *r,
            const char *ctx,
            const char *key,
            const char *what,
            GError    **error)
{
  return fail (error, PHILIA_ERROR_FORMAT, r, "the manifest's %s%s is missing or not %s.",
               ctx, key, what);
}

static gboolean
get_int (Reader     *r,
         JsonObject *o,
         const char *ctx,
         const char *key,
         gint64      min,
         gint64      max,
         gint64     *out,
         GError    **error)
{
  JsonNode *node = get_value (o, key, G_TYPE_INT64);

  if (node == NULL)
    return bad_member (r, ctx, key, "an integer", error);
  *out = json_node_get_int (node);
  if (*out < min || *out > max)
    return fail (error, PHILIA_ERROR_INVALID, r,
                 "the manifest's %s%s is %" G_GINT64_FORMAT ", outside [%" G_GINT64_FORMAT
                 ", %" G_GINT64_FORMAT "].", ctx, key, *out, min, max);
  return TRUE;
}

static gboolean
get_uint (Reader     *r,
          JsonObject *o,
          const char *ctx,
          const char *key,
          guint      *out,
          GError    **error)
{
  gint64 v;

  if (!get_int (r, o, ctx, key, 0, G_MAXUINT, &v, error))
    return FALSE;
  *out = (guint)v;
  return TRUE;
}

static gboolean
get_sint (Reader     *r,
          JsonObject *o,
          const char *ctx,
          const char *key,
          int        *out,
          GError    **error)
{
  gint64 v;

  if (!get_int (r, o, ctx, key, G_MININT, G_MAXINT, &v, error))
    return FALSE;
  *out = (int)v;
  return TRUE;
}

static gboolean
get_double (Reader     *r,
            JsonObject *o,
            const char *ctx,
            const char *key,
            double     *out,
            GError    **error)
{
  JsonNode *node = json_object_get_member (o, key);

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    {
      *out = NAN;
      return TRUE;
    }
  if (node != NULL && JSON_NODE_TYPE (node) == JSON_NODE_VALUE)
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_DOUBLE || type == G_TYPE_INT64)
        {
          *out = json_node_get_double (node);
          return TRUE;
        }
      if (type == G_TYPE_STRING && g_strcmp0 (json_node_get_string (node), "inf") == 0)
        {
          *out = INFINITY;
          return TRUE;
        }
      if (type == G_TYPE_STRING && g_strcmp0 (json_node_get_string (node), "-inf") == 0)
        {
          *out = -INFINITY;
          return TRUE;
        }
    }
  return bad_member (r, ctx, key, "a number", error);
}

static gboolean
get_bool (Reader     *r,
          JsonObject *o,
          const char *ctx,
          const char *key,
          gboolean   *out,
          GError    **error)
{
  JsonNode *node = get_value (o, key, G_TYPE_BOOLEAN);

  if (node == NULL)
    return bad_member (r, ctx, key, "true or false", error);
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* A string, or NULL for null when @nullable; the string belongs to @o. */
static gboolean
get_string (Reader      *r,
            JsonObject  *o,
            const char  *ctx,
            const char  *key,
            gboolean     nullable,
            const char **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (o, key);

  *out = NULL;
  if (nullable && (node == NULL || JSON_NODE_HOLDS_NULL (node)))
    return TRUE;
  node = get_value (o, key, G_TYPE_STRING);
  if (node == NULL)
    return bad_member (r, ctx, key, "a string", error);
  *out = json_node_get_string (node);
  if (!g_utf8_validate (*out, -1, NULL))
    return fail (error, PHILIA_ERROR_FORMAT, r, "the manifest's %s%s is not valid UTF-8.",
                 ctx, key);
  return TRUE;
}

static gboolean
get_seed (Reader     *r,
          JsonObject *o,
          const char *ctx,
          const char *key,
          guint64    *out,
          GError    **error)
{
  JsonNode *node = get_value (o, key, G_TYPE_INT64);

  if (node != NULL && json_node_get_int (node) >= 0)
    {
      *out = (guint64)json_node_get_int (node);
      return TRUE;
    }
  node = get_value (o, key, G_TYPE_STRING);
  if (node != NULL &&
      g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXUINT64, out, NULL))
    return TRUE;
  return bad_member (r, ctx, key, "a seed", error);
}

static JsonObject *
get_object (Reader     *r,
            JsonObject *o,
            const char *ctx,
            const char *key,
            GError    **error)
{
  JsonNode *node = json_object_get_member (o, key);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      bad_member (r, ctx, key, "an object", error);
      return NULL;
    }
  return json_node_get_object (node);
}

/* An array, or NULL (no error) when absent and @optional. */
static JsonArray *
get_array (Reader     *r,
           JsonObject *o,
           const char *ctx,
           const char *key,
           gboolean    optional,
           GError    **error)
{
  JsonNode *node = json_object_get_member (o, key);

  if (node == NULL && optional)
    return NULL;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      bad_member (r, ctx, key, "an array", error);
      return NULL;
    }
  return json_node_get_array (node);
}

static JsonObject *
get_element (Reader     *r,
             JsonArray  *array,
             guint       i,
             const char *ctx,
             GError    **error)
{
  JsonNode *node = json_array_get_element (array, i);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, PHILIA_ERROR_FORMAT, r, "the manifest's %s%u is not an object.", ctx, i);
      return NULL;
    }
  return json_node_get_object (node);
}

/* The array of the member that @o names under @key, checked against the
 * type and shape it was written with (@dim < 0: any). NULL without an error
 * when @optional and @key is absent. */
static PhiliaArray *
read_npy (Reader      *r,
          JsonObject  *o,
          const char  *ctx,
          const char  *key,
          gboolean     optional,
          PhiliaDtype  dtype,
          guint        ndim,
          gint64       dim0,
          gint64       dim1,
          GError     **error)
{
  const char *member;
  g_autofree char *shown = NULL;
  g_autofree char *stem = NULL;
  g_autoptr(PhiliaArray) array = NULL;
  gint64 want[2] = { dim0, dim1 };

  if (optional && json_object_get_member (o, key) == NULL)
    return NULL;
  if (!get_string (r, o, ctx, key, FALSE, &member, error))
    return NULL;
  shown = printable (member);
  if (!g_str_has_suffix (member, ".npy") || !_philia_npz_has_raw_member (r->npz, member))
    {
      fail (error, PHILIA_ERROR_INVALID, r, "the manifest names the member “%s”, which is "
            "missing.", shown);
      return NULL;
    }
  stem = g_strndup (member, strlen (member) - 4);
  array = philia_npz_read_array (r->npz, stem, r->cancellable, error);
  if (array == NULL)
    return NULL;
  if (array->dtype != dtype || array->ndim != ndim)
    {
      fail (error, PHILIA_ERROR_INVALID, r, "member “%s” holds a %u-dimensional %s array; a "
            "%u-dimensional %s array was expected.", shown, array->ndim,
            philia_dtype_to_string (array->dtype), ndim, philia_dtype_to_string (dtype));
      return NULL;
    }
  for (guint d = 0; d < ndim; d++)
    if (want[d] >= 0 && array->shape[d] != want[d])
      {
        fail (error, PHILIA_ERROR_INVALID, r, "member “%s” has %" G_GINT64_FORMAT " entries "
              "along axis %u, where %" G_GINT64_FORMAT " were expected.", shown,
              array->shape[d], d, want[d]);
        return NULL;
      }
  return g_steal_pointer (&array);
}

/* Takes the data out of @array (which is then freed). */
static gpointer
steal_data (PhiliaArray *array)
{
  gpointer data = g_steal_pointer (&array->data);

  philia_array_free (array);
  return data;
}

static gboolean
read_params (Reader                *r,
             JsonObject            *o,
             const char            *ctx,
             PhiliaProximityParams *p,
             GError               **error)
{
  g_autofree char *sub = g_strconcat (ctx, "params.", NULL);
  JsonObject *po = get_object (r, o, ctx, "params", error);

  return po != NULL &&
         get_double (r, po, sub, "katz_beta", &p->katz_beta, error) &&
         get_uint (r, po, sub, "katz_len", &p->katz_len, error) &&
         get_double (r, po, sub, "ppr_alpha", &p->ppr_alpha, error) &&
         get_uint (r, po, sub, "n_threads", &p->n_threads, error);
}

static int
lookup_name (const char        *name,
             const char *const *names,
             guint              n_names)
{
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (name, names[i]) == 0)
      return (int)i;
  return -1;
}

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
      a = read_npy (r, o, ctx, curve_names[i], TRUE, PHILIA_DTYPE_FLOAT64, 1, t->n_epochs, 0,
                    error);
      if (a == NULL && *error != NULL)
        return FALSE;
      if (a != NULL)
        *result_curve (t, i) = steal_data (a);
    }
  a = read_npy (r, o, ctx, "predictions", TRUE, PHILIA_DTYPE_INT32, 1, t->n_nodes, 0, error);
  if (a == NULL && *error != NULL)
    return FALSE;
  if (a != NULL)
    {
      t->predictions = steal_data (a);
      for (guint v = 0; v < t->n_nodes; v++)
        if (t->predictions[v] < 0 || (guint)t->predictions[v] >= MAX (t->n_classes, 1))
          return fail (error, PHILIA_ERROR_INVALID, r, "%spredictions names class %d of "
                       "%u.", ctx, t->predictions[v], t->n_classes);
    }
  a = read_npy (r, o, ctx, "probabilities", TRUE, PHILIA_DTYPE_FLOAT32, 2, t->n_nodes,
                t->n_classes, error);
  if (a == NULL && *error != NULL)
    return FALSE;
  if (a != NULL)
    t->probabilities = steal_data (a);

  if ((list = get_array (r, o, ctx, "weights", TRUE, error)) != NULL)
    {
      g_autofree char *sub = g_strconcat (ctx, "weights.", NULL);

      t->weights = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *wo = get_element (r, list, i, sub, error);
          PhiliaTensor *tensor;

          if (wo == NULL)
            return FALSE;
          a = read_npy (r, wo, sub, "member", FALSE, PHILIA_DTYPE_FLOAT32, 2, -1, -1, error);
          if (a == NULL)
            return FALSE;
          if (a->shape[0] > G_MAXUINT || a->shape[1] > G_MAXUINT)
            {
              philia_array_free (a);
              return fail (error, PHILIA_ERROR_INVALID, r, "%sweight %u is too large.", ctx, i);
            }
          tensor = philia_tensor_new_from ((guint)a->shape[0], (guint)a->shape[1], a->data);
          philia_array_free (a);
          g_ptr_array_add (t->weights, tensor);
        }
    }
  else if (*error != NULL)
    return FALSE;

  if ((list = get_array (r, o, ctx, "attention", TRUE, error)) != NULL)
    {
      g_autofree char *sub = g_strconcat (ctx, "attention.", NULL);

      t->attention = g_array_new (FALSE, TRUE, sizeof (PhiliaAttention));
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *ao = get_element (r, list, i, sub, error);
          PhiliaAttention at = { 0 };
          PhiliaArray *edges, *self;

          if (ao == NULL || !get_uint (r, ao, sub, "layer", &at.layer, error) ||
              !get_uint (r, ao, sub, "heads", &at.heads, error))
            return FALSE;
          if (at.heads == 0 || at.heads > 4096)
            return fail (error, PHILIA_ERROR_INVALID, r, "%sattention layer %u has %u heads.",
                         ctx, at.layer, at.heads);
          edges = read_npy (r, ao, sub, "edges", FALSE, PHILIA_DTYPE_FLOAT32, 2, r->n_entries,
                            at.heads, error);
          if (edges == NULL)
            return FALSE;
          self = read_npy (r, ao, sub, "self", FALSE, PHILIA_DTYPE_FLOAT32, 2, r->n, at.heads,
                           error);
          if (self == NULL)
            {
              philia_array_free (edges);
              return FALSE;
            }
          at.edges = steal_data (edges);
          at.self = steal_data (self);
          g_array_append_val (t->attention, at);
        }
    }
  else if (*error != NULL)
    return FALSE;

  if ((list = get_array (r, o, ctx, "node_values", TRUE, error)) != NULL)
    {
      g_autofree char *sub = g_strconcat (ctx, "node_values.", NULL);

      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *vo = get_element (r, list, i, sub, error);
          const char *name;
          PhiliaNodeValues *v;

          if (vo == NULL || !get_string (r, vo, sub, "name", FALSE, &name, error))
            return FALSE;
          a = read_npy (r, vo, sub, "member", FALSE, PHILIA_DTYPE_FLOAT64, 1, t->n_nodes, 0,
                        error);
          if (a == NULL)
            return FALSE;
          v = g_new0 (PhiliaNodeValues, 1);
          v->name = g_strdup (name);
          v->values = steal_data (a);
          g_ptr_array_add (t->node_values, v);
        }
    }
  else if (*error != NULL)
    return FALSE;
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
  if (!get_uint (r, o, ctx, "id", id, error) ||
      !get_string (r, o, ctx, "model", FALSE, &model, error) ||
      !get_uint (r, o, ctx, "split", &t->split, error) ||
      !get_seed (r, o, ctx, "seed", &t->seed, error) ||
      !get_uint (r, o, ctx, "n_threads", &t->n_threads, error))
    return NULL;
  t->model = g_strdup (model);
  if (*id == 0)
    {
      fail (error, PHILIA_ERROR_INVALID, r, "%sid is 0; run ids start at 1.", ctx);
      return NULL;
    }
  if (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MODEL,
                              model) == NULL)
    {
      g_autofree char *shown = printable (model);

      fail (error, PHILIA_ERROR_INVALID, r, "run %u was trained with the model “%s”, which "
            "this Philia does not have.", *id, shown);
      return NULL;
    }
  if (t->split >= MAX (n_splits, 1))
    {
      fail (error, PHILIA_ERROR_INVALID, r, "run %u used split %u, but the graph has %u.",
            *id, t->split, n_splits);
      return NULL;
    }
  po = get_object (r, o, ctx, "params", error);
  if (po == NULL ||
      !get_sint (r, po, sub, "epochs", &p->epochs, error) ||
      !get_double (r, po, sub, "lr", &p->lr, error) ||
      !get_double (r, po, sub, "weight_decay", &p->weight_decay, error) ||
      !get_sint (r, po, sub, "hidden", &p->hidden, error) ||
      !get_double (r, po, sub, "dropout", &p->dropout, error) ||
      !get_sint (r, po, sub, "heads", &p->heads, error) ||
      !get_sint (r, po, sub, "k", &p->k, error) ||
      !get_double (r, po, sub, "alpha", &p->alpha, error) ||
      !get_string (r, po, sub, "optimizer", FALSE, &optimizer, error) ||
      !get_bool (r, po, sub, "normalize_features", &p->normalize_features, error))
    return NULL;
  if ((k = lookup_name (optimizer, optimizer_names, G_N_ELEMENTS (optimizer_names))) < 0)
    {
      bad_member (r, sub, "optimizer", "“adam” or “sgd”", error);
      return NULL;
    }
  p->optimizer = k;
  if (!get_bool (r, o, ctx, "identity_features", &t->identity_features, error) ||
      !get_bool (r, o, ctx, "sparse_features", &t->sparse_features, error) ||
      !get_uint (r, o, ctx, "n_epochs", &t->n_epochs, error) ||
      !get_uint (r, o, ctx, "best_epoch", &t->best_epoch, error) ||
      !get_double (r, o, ctx, "train_accuracy", &t->train_accuracy, error) ||
      !get_double (r, o, ctx, "val_accuracy", &t->val_accuracy, error) ||
      !get_double (r, o, ctx, "test_accuracy", &t->test_accuracy, error) ||
      !get_double (r, o, ctx, "epoch_ms_median", &t->epoch_ms_median, error) ||
      !get_double (r, o, ctx, "seconds", &t->seconds, error) ||
      !get_uint (r, o, ctx, "n_nodes", &t->n_nodes, error) ||
      !get_uint (r, o, ctx, "n_classes", &t->n_classes, error) ||
      !get_string (r, o, ctx, "metric", FALSE, &metric, error) ||
      !get_string (r, o, ctx, "best_epoch_rule", FALSE, &rule, error) ||
      !get_double (r, o, ctx, "train_roc_auc", &t->train_roc_auc, error) ||
      !get_double (r, o, ctx, "val_roc_auc", &t->val_roc_auc, error) ||
      !get_double (r, o, ctx, "test_roc_auc", &t->test_roc_auc, error) ||
      !get_int (r, o, ctx, "majority_class", -1, G_MAXINT32, &majority, error) ||
      !get_double (r, o, ctx, "train_majority", &t->train_majority, error) ||
      !get_double (r, o, ctx, "val_majority", &t->val_majority, error) ||
      !get_double (r, o, ctx, "test_majority", &t->test_majority, error))
    return NULL;
  t->majority_class = (gint32)majority;
  if ((k = lookup_name (metric, metric_names, G_N_ELEMENTS (metric_names))) < 0)
    {
      bad_member (r, ctx, "metric", "a metric", error);
      return NULL;
    }
  t->metric = k;
  if ((k = lookup_name (rule, rule_names, G_N_ELEMENTS (rule_names))) < 0)
    {
      bad_member (r, ctx, "best_epoch_rule", "a rule", error);
      return NULL;
    }
  t->best_epoch_rule = k;
  if (t->n_nodes != r->n)
    {
      fail (error, PHILIA_ERROR_INVALID, r, "run %u has %u nodes, but the graph has %u.",
            *id, t->n_nodes, r->n);
      return NULL;
    }
  if (t->best_epoch > t->n_epochs || t->n_classes > 1u << 20 ||
      t->majority_class >= (gint32)MAX (t->n_classes, 1))
    {
      fail (error, PHILIA_ERROR_INVALID, r, "run %u is inconsistent (best epoch %u of %u, "
            "majority class %d of %u).", *id, t->best_epoch, t->n_epochs, t->majority_class,
            t->n_classes);
      return NULL;
    }
  bins = get_array (r, o, ctx, "bins", FALSE, error);
  if (bins == NULL)
    return NULL;
  if (json_array_get_length (bins) != PHILIA_TRAIN_HOMOPHILY_BINS)
    {
      fail (error, PHILIA_ERROR_INVALID, r, "run %u has %u homophily bins, not %u.", *id,
            json_array_get_length (bins), PHILIA_TRAIN_HOMOPHILY_BINS);
      return NULL;
    }
  for (guint i = 0; i < PHILIA_TRAIN_HOMOPHILY_BINS; i++)
    {
      JsonObject *bo = get_element (r, bins, i, bins_ctx, error);

      if (bo == NULL ||
          !get_int (r, bo, bins_ctx, "count", 0, G_MAXINT64, &t->bin_count[i], error) ||
          !get_double (r, bo, bins_ctx, "accuracy", &t->bin_accuracy[i], error))
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

  if (!get_string (r, o, ctx, "path", TRUE, &relative, error) ||
      !get_string (r, o, ctx, "absolute_path", TRUE, &absolute, error) ||
      !get_string (r, o, ctx, "sha256", TRUE, &sha256, error))
    return NULL;
  if (override == NULL && relative == NULL && absolute == NULL)
    {
      bad_member (r, ctx, "path", "a string", error);
      return NULL;
    }
  found = locate (override, relative, absolute, base_dir, tried);
  if (found == NULL)
    {
      g_set_error (error, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_DATASET_MISSING,
                   "%s: its %s cannot be found at %s.", r->name, what, tried->str);
      return NULL;
    }
  if (sha256 != NULL && !(flags & PHILIA_PROJECT_OPEN_IGNORE_CHECKSUM))
    {
      g_autofree char *actual = NULL;
      g_autofree char *shown = sanitize (found, strlen (found));
      guint64 size;

      if (!file_checksum (found, r->cancellable, &actual, &size))
        {
          if (!g_cancellable_set_error_if_cancelled (r->cancellable, error))
            g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO,
                         "%s: its %s %s cannot be read.", r->name, what, shown);
          return NULL;
        }
      if (g_ascii_strcasecmp (actual, sha256) != 0)
        {
          g_set_error (error, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_DATASET_CHANGED,
                       "%s: its %s %s has changed since the project was saved (its SHA-256 "
                       "differs).", r->name, what, shown);
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
  JsonObject *d = get_object (r, root, "", "dataset", error);
  const char *member, *name;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) table = NULL;
  PhiliaGraph *graph;

  if (d == NULL || !get_string (r, d, "dataset.", "embedded", TRUE, &member, error))
    return NULL;
  if (member != NULL && dataset_path == NULL)
    {
      g_autofree char *shown = printable (member);

      if (!get_string (r, d, "dataset.", "name", FALSE, &name, error))
        return NULL;
      if (!_philia_npz_has_raw_member (r->npz, member))
        {
          fail (error, PHILIA_ERROR_INVALID, r, "the manifest names the member “%s”, which "
                "is missing.", shown);
          return NULL;
        }
      *embedded = _philia_npz_read_member (r->npz, member, G_MAXUINT64, r->cancellable, error);
      if (*embedded == NULL)
        return NULL;
      *embedded_name = printable (name);
      graph = philia_graph_load_bytes (*embedded, *embedded_name, PHILIA_FORMAT_AUTO, NULL,
                                       r->cancellable, error);
      /* The dataset's own message, after the project's name. */
      if (graph == NULL && !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (error, "%s: ", r->name);
      return graph;
    }

  *found_dataset = find_reference (r, d, "dataset.", "dataset", dataset_path, base_dir, flags,
                                   error);
  if (*found_dataset == NULL)
    return NULL;
  if (json_object_has_member (d, "node_table"))
    {
      JsonObject *t = get_object (r, d, "dataset.", "node_table", error);

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
    g_prefix_error (error, "%s: ", r->name);
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
  so = get_object (r, root, "", "splits", error);
  if (so == NULL || !get_uint (r, so, "splits.", "count", &n_splits, error))
    return NULL;
  if (n_splits == 0 || n_splits > 1000)
    {
      fail (error, PHILIA_ERROR_INVALID, r, "the project has %u splits.", n_splits);
      return NULL;
    }
  for (guint part = 0; part < 3; part++)
    {
      masks[part] = read_npy (r, so, "splits.", parts[part], FALSE, PHILIA_DTYPE_UINT8, 2,
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
      copy = philia_graph_copy_with_splits (graph, n_splits, steal_data (masks[0]),
                                            steal_data (masks[1]), steal_data (masks[2]));
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
  JsonArray *list = get_array (r, root, "", "layouts", FALSE, error);
  const char *current;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  if (list == NULL || !get_string (r, root, "", "current_layout", TRUE, &current, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *o = get_element (r, list, i, "layouts.", error);
      const char *name, *algorithm;
      guint64 seed;
      PhiliaArray *positions;
      PhiliaDocumentLayout *layout;

      if (o == NULL ||
          !get_string (r, o, "layouts.", "name", FALSE, &name, error) ||
          !get_string (r, o, "layouts.", "algorithm", FALSE, &algorithm, error) ||
          !get_seed (r, o, "layouts.", "seed", &seed, error))
        return FALSE;
      if (g_hash_table_contains (names, name))
        {
          g_autofree char *shown = printable (name);

          return fail (error, PHILIA_ERROR_INVALID, r, "two layouts are called “%s”.", shown);
        }
      g_hash_table_add (names, (char *)name);
      positions = read_npy (r, o, "layouts.", "positions", FALSE, PHILIA_DTYPE_FLOAT64, 2,
                            r->n, 2, error);
      if (positions == NULL)
        return FALSE;
      for (gint64 k = 0; k < positions->n_elements; k++)
        if (!isfinite (((const double *)positions->data)[k]))
          {
            g_autofree char *shown = printable (name);

            philia_array_free (positions);
            return fail (error, PHILIA_ERROR_INVALID, r, "layout “%s” puts node %"
                         G_GINT64_FORMAT " at a position that is not a finite number.",
                         shown, k / 2);
          }
      layout = _philia_document_layout_new (name, algorithm, seed, steal_data (positions));
      _philia_document_restore_layout (doc, layout,
                                       current != NULL && strcmp (current, name) == 0);
      philia_document_layout_unref (layout);
    }
  if (current != NULL && !g_hash_table_contains (names, current))
    {
      g_autofree char *shown = printable (current);

      return fail (error, PHILIA_ERROR_INVALID, r, "the current layout “%s” does not exist.",
                   shown);
    }
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

  selection = read_npy (r, root, "", "selection", FALSE, PHILIA_DTYPE_UINT32, 1, -1, 0, error);
  if (selection == NULL)
    return FALSE;
  for (gint64 i = 0; i < selection->n_elements; i++)
    if (((const guint32 *)selection->data)[i] >= r->n)
      return fail (error, PHILIA_ERROR_INVALID, r, "the selection names node %u, but the "
                   "graph has %u nodes.", ((const guint32 *)selection->data)[i], r->n);
  if (selection->n_elements > r->n)
    return fail (error, PHILIA_ERROR_INVALID, r, "the selection holds more nodes than the "
                 "graph.");
  vo = get_object (r, root, "", "view", error);
  if (vo == NULL ||
      !get_string (r, vo, "view.", "color_by", TRUE, &color_by, error) ||
      !get_string (r, vo, "view.", "edge_style", TRUE, &edge_style, error) ||
      !get_string (r, vo, "view.", "overlay", TRUE, &overlay, error) ||
      !get_double (r, vo, "view.", "zoom", &view.zoom, error) ||
      !get_double (r, vo, "view.", "center_x", &view.center_x, error) ||
      !get_double (r, vo, "view.", "center_y", &view.center_y, error))
    return FALSE;
  co = get_object (r, root, "", "conventions", error);
  if (co == NULL ||
      !get_bool (r, co, "conventions.", "keep_self_loops", &self_loops, error) ||
      !get_bool (r, co, "conventions.", "directed", &directed, error) ||
      !get_string (r, root, "", "notes", TRUE, &notes, error) ||
      !get_string (r, root, "", "origin", TRUE, &origin, error))
    return FALSE;
  view.color_by = (char *)color_by;
  view.edge_style = (char *)edge_style;
  view.overlay = (char *)overlay;
  _philia_document_restore_state (doc, selection->data, (guint)selection->n_elements, &view,
                                  (self_loops ? PHILIA_CONVENTION_KEEP_SELF_LOOPS : 0) |
                                  (directed ? PHILIA_CONVENTION_DIRECTED : 0),
                                  notes, origin);
  return TRUE;
}

static gboolean
restore_runs (Reader          *r,
              JsonObject      *root,
              PhiliaDocument  *doc,
              guint           *max_id,
              GError         **error)
{
  JsonArray *list = get_array (r, root, "", "runs", FALSE, error);
  g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);
  guint n_splits = philia_graph_get_n_splits (philia_document_get_graph (doc));

  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      g_autofree char *ctx = g_strdup_printf ("runs.%u.", i);
      JsonObject *o = get_element (r, list, i, "runs.", error);
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
          return fail (error, PHILIA_ERROR_INVALID, r, "two runs have the id %u.", id);
        }
      g_hash_table_add (ids, GUINT_TO_POINTER (id));
      *max_id = MAX (*max_id, id);
      run = _philia_document_run_new (id, result);
      _philia_document_restore_run (doc, run);
      philia_document_run_unref (run);
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
  JsonArray *list = get_array (r, root, "", "evaluations", FALSE, error);
  g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);

  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *o = get_element (r, list, i, "evaluations.", error);
      PhiliaDocumentEvaluation *e;
      JsonArray *summary;

      if (o == NULL)
        return FALSE;
      e = g_new0 (PhiliaDocumentEvaluation, 1);
      if (!get_uint (r, o, "evaluations.", "id", &e->id, error) ||
          !read_params (r, o, "evaluations.", &e->params, error) ||
          !get_uint (r, o, "evaluations.", "mask", &e->mask, error) ||
          !get_seed (r, o, "evaluations.", "seed", &e->seed, error) ||
          !get_uint (r, o, "evaluations.", "n_mrr_neg", &e->n_mrr_neg, error) ||
          (summary = get_array (r, o, "evaluations.", "summary", FALSE, error)) == NULL)
        goto fail;
      if (e->id == 0 || g_hash_table_contains (ids, GUINT_TO_POINTER (e->id)))
        {
          fail (error, PHILIA_ERROR_INVALID, r, "two evaluations have the id %u.", e->id);
          goto fail;
        }
      if ((e->mask & ~PHILIA_PROXIMITY_ALL) != 0 || e->mask == 0 ||
          json_array_get_length (summary) > PHILIA_PROXIMITY_N_HEURISTICS + 64)
        {
          fail (error, PHILIA_ERROR_INVALID, r, "evaluation %u names unknown heuristics.",
                e->id);
          goto fail;
        }
      g_hash_table_add (ids, GUINT_TO_POINTER (e->id));
      *max_id = MAX (*max_id, e->id);
      e->n_heuristics = json_array_get_length (summary);
      e->summary = g_new0 (double, 6 * MAX (e->n_heuristics, 1));
      for (guint h = 0; h < e->n_heuristics; h++)
        {
          JsonObject *ho = get_element (r, summary, h, "evaluations.summary.", error);

          if (ho == NULL)
            goto fail;
          for (guint k = 0; k < 6; k++)
            if (!get_double (r, ho, "evaluations.summary.", keys[k], &e->summary[h * 6 + k],
                             error))
              goto fail;
        }
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
  JsonArray *list = get_array (r, root, "", "pairs", FALSE, error);

  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *o = get_element (r, list, i, "pairs.", error);
      PhiliaDocumentPair pair = { 0 };

      if (o == NULL ||
          !get_uint (r, o, "pairs.", "u", &pair.u, error) ||
          !get_uint (r, o, "pairs.", "v", &pair.v, error) ||
          !read_params (r, o, "pairs.", &pair.params, error))
        return FALSE;
      if (pair.u >= r->n || pair.v >= r->n)
        return fail (error, PHILIA_ERROR_INVALID, r, "the pair (%u, %u) names a node the "
                     "graph (%u nodes) does not have.", pair.u, pair.v, r->n);
      _philia_document_restore_pair (doc, &pair);
    }
  return TRUE;
}

/* One line, ending with a full stop, whatever json-glib said. */
static char *
one_line (const char *message)
{
  g_autofree char *flat = sanitize (message, strlen (message));
  gsize len = strlen (flat);

  while (len > 0 && (flat[len - 1] == '.' || flat[len - 1] == ' '))
    flat[--len] = '\0';
  return g_strdup (flat);
}

/* Whether @text is one JSON object and nothing after it but white space.
 * json-glib 1.6 accepts further top-level values after the first and leaks
 * them, so they are refused here; the object itself is checked by the
 * parser (an unbalanced one fails there). O(length). */
static gboolean
single_object (const char *text,
               gsize       len)
{
  gsize i = 0, depth = 0;
  gboolean in_string = FALSE;

  while (i < len && g_ascii_isspace (text[i]))
    i++;
  if (i == len || text[i] != '{')
    return FALSE;
  for (; i < len; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        depth++;
      else if (c == '}' || c == ']')
        {
          if (depth == 0)
            return FALSE;
          if (--depth == 0)
            break;
        }
    }
  /* Unterminated: the parser says where. */
  if (i >= len)
    return TRUE;
  for (i++; i < len; i++)
    if (!g_ascii_isspace (text[i]))
      return FALSE;
  return TRUE;
}

static PhiliaDocument *
open_project (GBytes                 *bytes,
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
                   "%s is not a Philia project (it is not a zip archive).", display_name);
      return NULL;
    }
  if (size < EOCD_SIZE)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   "%s is truncated (%" G_GSIZE_FORMAT " bytes).", display_name, size);
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
                         "%s is a dataset, not a Philia project; open it as a dataset.",
                         display_name);
            return NULL;
          }
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   "%s is a zip archive but not a Philia project (it has no %s).",
                   display_name, MANIFEST_NAME);
      return NULL;
    }
  manifest = _philia_npz_read_member (npz, MANIFEST_NAME, MAX_MANIFEST, cancellable, error);
  if (manifest == NULL)
    return NULL;
  if (!single_object (g_bytes_get_data (manifest, NULL), g_bytes_get_size (manifest)))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   "%s: its manifest is not one JSON object.", display_name);
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, g_bytes_get_data (manifest, NULL),
                                   (gssize)g_bytes_get_size (manifest), &json_error))
    {
      g_autofree char *why = one_line (json_error->message);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   "%s: its manifest is not valid JSON (%s).", display_name, why);
      return NULL;
    }
  root_node = json_parser_get_root (parser);
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   "%s: its manifest is not a JSON object.", display_name);
      return NULL;
    }
  root = json_node_get_object (root_node);
  if (!get_string (&r, root, "", "format", FALSE, &format, error))
    return NULL;
  if (strcmp (format, PROJECT_FORMAT) != 0)
    {
      g_autofree char *shown = printable (format);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   "%s is not a Philia project (its manifest says the format is “%s”).",
                   display_name, shown);
      return NULL;
    }
  if (!get_int (&r, root, "", "format_version", 1, G_MAXINT, &version, error))
    return NULL;
  if (version > PHILIA_PROJECT_FORMAT_VERSION)
    {
      g_set_error (error, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_NEWER_VERSION,
                   "%s was saved by a newer Philia (format %" G_GINT64_FORMAT "; this one "
                   "reads %d).", display_name, version, PHILIA_PROJECT_FORMAT_VERSION);
      return NULL;
    }
  if (!get_int (&r, root, "", "n_nodes", 1, G_MAXUINT, &n_nodes, error))
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
                   "%s: its dataset has %u nodes, but the project was saved with %"
                   G_GINT64_FORMAT ".", display_name, r.n, n_nodes);
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
      !get_uint (&r, root, "", "next_run_id", &next_run, error) ||
      !get_uint (&r, root, "", "next_evaluation_id", &next_evaluation, error))
    return NULL;
  /* Ids are never reused, even if the counters were lost. */
  _philia_document_set_next_ids (doc, MAX (next_run, max_run + 1),
                                 MAX (next_evaluation, max_evaluation + 1));
  /* Restoring (the embed flag) is no change of the user's. */
  _philia_document_mark_saved (doc, NULL);
  return g_steal_pointer (&doc);
}

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
  doc = open_project (bytes, display_name, base_dir, dataset_path, flags, cancellable,
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
                   "%s is a folder, not a Philia project.", display_name);
      return NULL;
    }
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_autofree char *why = one_line (local_error->message);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, "%s: cannot be read: %s.",
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
  if (file_checksum (path, NULL, &sha256, &size))
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
      g_auto(GStrv) names = evaluation_names (e);

      philia_json_begin_object (json);
      philia_json_member_int (json, "id", e->id);
      json_seed (json, "seed", e->seed);
      philia_json_member_int (json, "n_mrr_neg", e->n_mrr_neg);
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
