/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Saved models (.philia-model): a zip of a JSON manifest and one .npy per
 * weight, the pieces a project file is made of (HACKING.md §7). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "philia-core.h"
#include "philia-import-private.h"
#include "philia-manifest-private.h"
#include "philia-model.h"
#include "philia-zip-private.h"

#define MODEL_MANIFEST "philia-model.json"
#define MODEL_FORMAT "philia-model"
#define MAX_MODEL_MANIFEST (16u << 20)
#define MAX_WEIGHTS 4096

void
philia_saved_model_free (PhiliaSavedModel *model)
{
  if (model == NULL)
    return;
  g_free (model->model);
  g_strfreev (model->class_names);
  g_clear_pointer (&model->weights, g_ptr_array_unref);
  g_free (model->source);
  g_free (model->adapted_from);
  g_free (model);
}

PhiliaSavedModel *
philia_saved_model_copy (const PhiliaSavedModel *model)
{
  PhiliaSavedModel *copy;

  g_return_val_if_fail (model != NULL, NULL);
  copy = g_memdup2 (model, sizeof *model);
  copy->model = g_strdup (model->model);
  copy->class_names = g_strdupv (model->class_names);
  copy->source = g_strdup (model->source);
  copy->adapted_from = g_strdup (model->adapted_from);
  copy->weights = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  for (guint i = 0; i < model->weights->len; i++)
    g_ptr_array_add (copy->weights, philia_tensor_copy (g_ptr_array_index (model->weights, i)));
  return copy;
}

PhiliaSavedModel *
philia_saved_model_new_from_run (const PhiliaTrainResult *run,
                                 PhiliaGraph             *graph,
                                 GError                 **error)
{
  PhiliaSavedModel *m;

  g_return_val_if_fail (run != NULL, NULL);
  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);

  if (run->weights == NULL || run->weights->len == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("The %s run kept no weights, so it cannot be saved as a model."),
                   run->model);
      return NULL;
    }
  m = g_new0 (PhiliaSavedModel, 1);
  m->model = g_strdup (run->model);
  m->params = run->params;
  m->identity_features = run->identity_features;
  m->n_features = run->identity_features ? run->n_nodes : philia_graph_get_n_features (graph);
  m->n_classes = run->n_classes;
  if (philia_graph_has_class_names (graph))
    {
      m->class_names = g_new0 (char *, run->n_classes + 1);
      for (guint c = 0; c < run->n_classes; c++)
        m->class_names[c] = g_strdup (philia_graph_get_class_name (graph, c));
    }
  m->weights = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  for (guint i = 0; i < run->weights->len; i++)
    g_ptr_array_add (m->weights, philia_tensor_copy (g_ptr_array_index (run->weights, i)));
  m->source = g_strdup (philia_graph_get_source (graph));
  m->seed = run->seed;
  return m;
}

/* ------------------------------------------------------------------ write */

static char *
manifest_text (const PhiliaSavedModel *m,
               gsize                  *length)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  const PhiliaTrainParams *p = &m->params;
  char seed[32];

  json_builder_begin_object (b);
  member_string (b, "format", MODEL_FORMAT);
  member_int (b, "format_version", PHILIA_MODEL_FORMAT_VERSION);
  member_string (b, "model", m->model);
  member_train_params (b, "params", p);
  member_int (b, "n_features", m->n_features);
  json_builder_set_member_name (b, "identity_features");
  json_builder_add_boolean_value (b, m->identity_features);
  member_int (b, "n_classes", m->n_classes);
  json_builder_set_member_name (b, "class_names");
  if (m->class_names == NULL)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_array (b);
      for (guint c = 0; m->class_names[c] != NULL; c++)
        json_builder_add_string_value (b, m->class_names[c]);
      json_builder_end_array (b);
    }
  member_string (b, "source", m->source);
  /* A string: JSON numbers stop being exact integers past 2^53. */
  g_snprintf (seed, sizeof seed, "%" G_GUINT64_FORMAT, m->seed);
  member_string (b, "seed", seed);
  member_string (b, "adapted_from", m->adapted_from);
  json_builder_set_member_name (b, "weights");
  json_builder_begin_array (b);
  for (guint i = 0; i < m->weights->len; i++)
    {
      const PhiliaTensor *t = g_ptr_array_index (m->weights, i);
      g_autofree char *member = g_strdup_printf ("weight-%u", i);

      json_builder_begin_object (b);
      member_string (b, "member", member);
      member_int (b, "rows", t->rows);
      member_int (b, "cols", t->cols);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, length);
}

GBytes *
philia_saved_model_to_bytes (const PhiliaSavedModel *model,
                             GError                **error)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(PhiliaZipWriter) zip = NULL;
  g_autofree char *manifest = NULL;
  gsize manifest_len;

  g_return_val_if_fail (model != NULL && model->weights != NULL, NULL);

  manifest = manifest_text (model, &manifest_len);
  zip = _philia_zip_writer_new (out, "the model");
  if (!_philia_zip_writer_add (zip, MODEL_MANIFEST, NULL, 0, (const guint8 *)manifest,
                               manifest_len, 6, NULL, error))
    return NULL;
  for (guint i = 0; i < model->weights->len; i++)
    {
      const PhiliaTensor *t = g_ptr_array_index (model->weights, i);
      g_autofree char *name = g_strdup_printf ("weight-%u", i);
      PhiliaArray array = { 0 };

      array.dtype = PHILIA_DTYPE_FLOAT32;
      array.ndim = 2;
      array.shape[0] = t->rows;
      array.shape[1] = t->cols;
      array.n_elements = (gint64)t->rows * t->cols;
      array.data = t->data;
      array.itemsize = sizeof (float);
      if (!_philia_zip_writer_add_array (zip, name, &array, 6, NULL, error))
        return NULL;
    }
  if (!_philia_zip_writer_finish (zip, NULL, error)
      || !g_output_stream_close (out, NULL, error))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

gboolean
philia_saved_model_save (const PhiliaSavedModel *model,
                         const char             *path,
                         GError                **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (model != NULL && path != NULL, FALSE);

  bytes = philia_saved_model_to_bytes (model, error);
  if (bytes == NULL)
    return FALSE;
  /* g_file_set_contents() writes a temporary file and renames it: a failed
   * save never leaves half a model where a good one was. */
  if (!g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                            (gssize)g_bytes_get_size (bytes), &local_error))
    {
      name = g_filename_display_name (path);
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, _ ("Cannot save the model to %s: %s."),
                   name, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------- read */

static gboolean
bad (GError    **error,
     const char *display_name,
     const char *what)
{
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
               _ ("%s is not a valid Philia model: %s."), display_name, what);
  return FALSE;
}

static gboolean
get_member (JsonObject  *o,
            const char  *key,
            JsonNodeType type,
            GType        value_type,
            JsonNode   **out,
            const char  *display_name,
            GError     **error)
{
  JsonNode *node = json_object_get_member (o, key);
  g_autofree char *what = NULL;

  if (node != NULL && JSON_NODE_TYPE (node) == type
      && (type != JSON_NODE_VALUE || json_node_get_value_type (node) == value_type
          || (value_type == G_TYPE_DOUBLE && json_node_get_value_type (node) == G_TYPE_INT64)))
    {
      *out = node;
      return TRUE;
    }
  what = g_strdup_printf ("“%s” is missing or has the wrong type", key);
  return bad (error, display_name, what);
}

static gboolean
get_int (JsonObject  *o,
         const char  *key,
         gint64       min,
         gint64       max,
         gint64      *value,
         const char  *display_name,
         GError     **error)
{
  JsonNode *node;

  if (!get_member (o, key, JSON_NODE_VALUE, G_TYPE_INT64, &node, display_name, error))
    return FALSE;
  *value = json_node_get_int (node);
  if (*value < min || *value > max)
    {
      g_autofree char *what = g_strdup_printf ("“%s” is %" G_GINT64_FORMAT ", outside %"
                                               G_GINT64_FORMAT "…%" G_GINT64_FORMAT,
                                               key, *value, min, max);

      return bad (error, display_name, what);
    }
  return TRUE;
}

static gboolean
get_double (JsonObject  *o,
            const char  *key,
            double      *value,
            const char  *display_name,
            GError     **error)
{
  JsonNode *node;

  if (!get_member (o, key, JSON_NODE_VALUE, G_TYPE_DOUBLE, &node, display_name, error))
    return FALSE;
  *value = json_node_get_double (node);
  if (!isfinite (*value))
    {
      g_autofree char *what = g_strdup_printf ("“%s” is not a finite number", key);

      return bad (error, display_name, what);
    }
  return TRUE;
}

static gboolean
get_bool (JsonObject  *o,
          const char  *key,
          gboolean    *value,
          const char  *display_name,
          GError     **error)
{
  JsonNode *node;

  if (!get_member (o, key, JSON_NODE_VALUE, G_TYPE_BOOLEAN, &node, display_name, error))
    return FALSE;
  *value = json_node_get_boolean (node);
  return TRUE;
}

/* A string member, or NULL for JSON null when @nullable. */
static gboolean
get_string (JsonObject  *o,
            const char  *key,
            gboolean     nullable,
            char       **value,
            const char  *display_name,
            GError     **error)
{
  JsonNode *node = json_object_get_member (o, key);

  if (nullable && node != NULL && JSON_NODE_HOLDS_NULL (node))
    {
      *value = NULL;
      return TRUE;
    }
  if (!get_member (o, key, JSON_NODE_VALUE, G_TYPE_STRING, &node, display_name, error))
    return FALSE;
  if (!g_utf8_validate (json_node_get_string (node), -1, NULL))
    return bad (error, display_name, "a string is not UTF-8");
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* Members of "params" that only the transformer reads. */
static const struct
{
  const char *key;
  gsize       offset;
} transformer_params[] = {
  { "layers", G_STRUCT_OFFSET (PhiliaTrainParams, layers) },
  { "walks", G_STRUCT_OFFSET (PhiliaTrainParams, walks) },
  { "walk_length", G_STRUCT_OFFSET (PhiliaTrainParams, walk_length) },
  { "hop_samples", G_STRUCT_OFFSET (PhiliaTrainParams, hop_samples) },
  { "pretrain_epochs", G_STRUCT_OFFSET (PhiliaTrainParams, pretrain_epochs) },
  { "batch_size", G_STRUCT_OFFSET (PhiliaTrainParams, batch_size) },
};

static gboolean
read_params (JsonObject        *root,
             PhiliaTrainParams *p,
             const char        *display_name,
             GError           **error)
{
  JsonNode *node;
  JsonObject *o;
  gint64 v;
  g_autofree char *optimizer = NULL;

  if (!get_member (root, "params", JSON_NODE_OBJECT, G_TYPE_INVALID, &node, display_name, error))
    return FALSE;
  o = json_node_get_object (node);
  philia_train_params_init (p);
  if (!get_int (o, "epochs", -1, G_MAXINT, &v, display_name, error))
    return FALSE;
  p->epochs = (int)v;
  if (!get_int (o, "hidden", -1, 1 << 20, &v, display_name, error))
    return FALSE;
  p->hidden = (int)v;
  if (!get_int (o, "heads", -1, 1024, &v, display_name, error))
    return FALSE;
  p->heads = (int)v;
  if (!get_int (o, "k", -1, 1 << 16, &v, display_name, error))
    return FALSE;
  p->k = (int)v;
  /* Absent from the files of Philia before the transformer: the defaults. */
  for (guint i = 0; i < G_N_ELEMENTS (transformer_params); i++)
    if (json_object_has_member (o, transformer_params[i].key))
      {
        if (!get_int (o, transformer_params[i].key, -1, 1 << 20, &v, display_name, error))
          return FALSE;
        *(int *)((char *)p + transformer_params[i].offset) = (int)v;
      }
  if (!get_double (o, "lr", &p->lr, display_name, error)
      || !get_double (o, "weight_decay", &p->weight_decay, display_name, error)
      || !get_double (o, "dropout", &p->dropout, display_name, error)
      || !get_double (o, "alpha", &p->alpha, display_name, error)
      || !get_bool (o, "normalize_features", &p->normalize_features, display_name, error)
      || !get_string (o, "optimizer", FALSE, &optimizer, display_name, error))
    return FALSE;
  /* The dropout ops take a probability in [0, 1) (found by fuzzing). */
  if (!(p->dropout >= 0 && p->dropout < 1))
    return bad (error, display_name, "its dropout is not a probability below 1");
  if (g_str_equal (optimizer, "adam"))
    p->optimizer = PHILIA_OPTIMIZER_ADAM;
  else if (g_str_equal (optimizer, "sgd"))
    p->optimizer = PHILIA_OPTIMIZER_SGD;
  else
    return bad (error, display_name, "its optimizer is neither “adam” nor “sgd”");
  return TRUE;
}

static gboolean
read_weights (PhiliaNpz        *npz,
              JsonObject       *root,
              PhiliaSavedModel *m,
              const char       *display_name,
              GError          **error)
{
  JsonNode *node;
  JsonArray *list;

  if (!get_member (root, "weights", JSON_NODE_ARRAY, G_TYPE_INVALID, &node, display_name, error))
    return FALSE;
  list = json_node_get_array (node);
  if (json_array_get_length (list) == 0 || json_array_get_length (list) > MAX_WEIGHTS)
    return bad (error, display_name, "it lists no weights, or too many");
  m->weights = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *item = json_array_get_element (list, i);
      JsonObject *o;
      g_autofree char *member = NULL;
      g_autoptr(PhiliaArray) array = NULL;
      gint64 rows, cols;
      PhiliaTensor *t;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return bad (error, display_name, "a weight entry is not an object");
      o = json_node_get_object (item);
      if (!get_string (o, "member", FALSE, &member, display_name, error)
          || !get_int (o, "rows", 1, G_MAXINT32, &rows, display_name, error)
          || !get_int (o, "cols", 1, G_MAXINT32, &cols, display_name, error))
        return FALSE;
      if (!philia_npz_has_member (npz, member))
        {
          g_autofree char *name = _philia_excerpt (member, -1);
          g_autofree char *what = g_strdup_printf ("its weight “%s” is missing", name);

          return bad (error, display_name, what);
        }
      array = philia_npz_read_array (npz, member, NULL, error);
      if (array == NULL)
        return FALSE;
      if (array->dtype != PHILIA_DTYPE_FLOAT32 || array->ndim != 2
          || array->shape[0] != rows || array->shape[1] != cols)
        {
          g_autofree char *name = _philia_excerpt (member, -1);
          g_autofree char *what = g_strdup_printf ("weight “%s” is not a float32 matrix of "
                                                   "%" G_GINT64_FORMAT " × %" G_GINT64_FORMAT,
                                                   name, rows, cols);

          return bad (error, display_name, what);
        }
      t = philia_tensor_new ((guint)rows, (guint)cols);
      memcpy (t->data, array->data, sizeof (float) * rows * cols);
      g_ptr_array_add (m->weights, t);
      for (gint64 k = 0; k < rows * cols; k++)
        if (!isfinite (t->data[k]))
          {
            g_autofree char *name = _philia_excerpt (member, -1);
            g_autofree char *what = g_strdup_printf ("weight “%s” holds a value that is "
                                                     "not a finite number", name);

            return bad (error, display_name, what);
          }
    }
  return TRUE;
}

PhiliaSavedModel *
philia_saved_model_new_from_bytes (GBytes     *bytes,
                                   const char *display_name,
                                   GError    **error)
{
  g_autoptr(PhiliaNpz) npz = NULL;
  g_autoptr(GBytes) manifest = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) json_error = NULL;
  g_autoptr(PhiliaSavedModel) m = NULL;
  g_autofree char *format = NULL;
  g_autofree char *seed = NULL;
  JsonNode *root_node, *node;
  JsonObject *root;
  gint64 version, v;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_return_val_if_fail (bytes != NULL && display_name != NULL, NULL);

  if (size < 4 || memcmp (data, "PK\003\004", 4) != 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s is not a Philia model (it is not a zip archive)."), display_name);
      return NULL;
    }
  npz = philia_npz_new_from_bytes (bytes, display_name, error);
  if (npz == NULL)
    return NULL;
  if (!_philia_npz_has_raw_member (npz, MODEL_MANIFEST))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s is a zip archive but not a Philia model (it has no %s)."),
                   display_name, MODEL_MANIFEST);
      return NULL;
    }
  manifest = _philia_npz_read_member (npz, MODEL_MANIFEST, MAX_MODEL_MANIFEST, NULL, error);
  if (manifest == NULL)
    return NULL;
  if (!_philia_json_single_object (g_bytes_get_data (manifest, NULL),
                                   g_bytes_get_size (manifest)))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s: its manifest is not one JSON object."), display_name);
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, g_bytes_get_data (manifest, NULL),
                                   (gssize)g_bytes_get_size (manifest), &json_error))
    {
      g_autofree char *why = g_strdelimit (g_strdup (json_error->message), "\r\n", ' ');

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
  if (!get_string (root, "format", FALSE, &format, display_name, error))
    return NULL;
  if (!g_str_equal (format, MODEL_FORMAT))
    {
      g_autofree char *said = _philia_excerpt (format, -1);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s is not a Philia model (its manifest says the format is “%s”)."),
                   display_name, said);
      return NULL;
    }
  if (!get_int (root, "format_version", 1, G_MAXINT, &version, display_name, error))
    return NULL;
  if (version > PHILIA_MODEL_FORMAT_VERSION)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   _ ("%s was saved by a newer Philia (model format %" PRId64 "; this "
                      "one reads %d)."), display_name, version, PHILIA_MODEL_FORMAT_VERSION);
      return NULL;
    }

  m = g_new0 (PhiliaSavedModel, 1);
  if (!get_string (root, "model", FALSE, &m->model, display_name, error)
      || !read_params (root, &m->params, display_name, error)
      || !get_int (root, "n_features", 1, G_MAXINT32, &v, display_name, error))
    return NULL;
  m->n_features = (guint)v;
  if (!get_bool (root, "identity_features", &m->identity_features, display_name, error)
      || !get_int (root, "n_classes", 1, 65535, &v, display_name, error))
    return NULL;
  m->n_classes = (guint)v;
  node = json_object_get_member (root, "class_names");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *names = json_node_get_array (node);

      if (json_array_get_length (names) != m->n_classes)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                       _ ("%s is not a valid Philia model: it names %u classes but has %u."),
                       display_name, json_array_get_length (names), m->n_classes);
          return NULL;
        }
      m->class_names = g_new0 (char *, m->n_classes + 1);
      for (guint c = 0; c < m->n_classes; c++)
        {
          JsonNode *name = json_array_get_element (names, c);

          if (!JSON_NODE_HOLDS_VALUE (name)
              || json_node_get_value_type (name) != G_TYPE_STRING
              || !g_utf8_validate (json_node_get_string (name), -1, NULL))
            {
              bad (error, display_name, "a class name is not a string");
              return NULL;
            }
          m->class_names[c] = g_strdup (json_node_get_string (name));
        }
    }
  else if (node == NULL || !JSON_NODE_HOLDS_NULL (node))
    {
      bad (error, display_name, "“class_names” is missing or has the wrong type");
      return NULL;
    }
  if (!get_string (root, "source", TRUE, &m->source, display_name, error)
      || !get_string (root, "seed", FALSE, &seed, display_name, error)
      || !get_string (root, "adapted_from", TRUE, &m->adapted_from, display_name, error))
    return NULL;
  if (!g_ascii_string_to_unsigned (seed, 10, 0, G_MAXUINT64, &m->seed, NULL))
    {
      bad (error, display_name, "its seed is not a number");
      return NULL;
    }
  if (!read_weights (npz, root, m, display_name, error))
    return NULL;
  /* That the weights fit the model's recipe is checked where they are used
   * (philia_saved_model_predict()): only the model knows its shapes. */
  return g_steal_pointer (&m);
}

PhiliaSavedModel *
philia_saved_model_load (const char *path,
                         GError    **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  name = g_filename_display_basename (path);
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, _ ("Cannot read %s: %s."), name,
                   local_error->message);
      return NULL;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  return philia_saved_model_new_from_bytes (bytes, name, error);
}

gboolean
philia_saved_model_check_graph (const PhiliaSavedModel *model,
                                PhiliaGraph            *graph,
                                GError                **error)
{
  guint f = philia_graph_get_n_features (graph);
  guint c = philia_graph_get_n_classes (graph);
  guint n = philia_graph_get_n_nodes (graph);

  g_return_val_if_fail (model != NULL && PHILIA_IS_GRAPH (graph), FALSE);

  if (n == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_EMPTY, _ ("%s has no nodes."),
                   philia_graph_get_source (graph));
      return FALSE;
    }
  if (model->identity_features && (f != 0 || n != model->n_features))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("The model was trained on one-hot node ids of %u nodes; %s has %u nodes "
                      "and %u features, so the model cannot read it."), model->n_features,
                   philia_graph_get_source (graph), n, f);
      return FALSE;
    }
  if (!model->identity_features && f != model->n_features)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("The model expects %u features per node, but %s has %u."),
                   model->n_features, philia_graph_get_source (graph), f);
      return FALSE;
    }
  if (c != 0 && c != model->n_classes)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("The model predicts %u classes, but %s has %u."), model->n_classes,
                   philia_graph_get_source (graph), c);
      return FALSE;
    }
  return TRUE;
}
