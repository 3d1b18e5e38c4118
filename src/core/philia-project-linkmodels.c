/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "philia-core.h"
#include "philia-project-private.h"

/* The GNN link predictors of a project's evaluation ("models" in an
 * evaluation of the manifest): unlike the heuristics they are not replayed
 * from a recipe (training is slow and its floating-point sums depend on the
 * thread count), so the project keeps what they gave: the recipe as run, the
 * figures, the curves and the test edges' and negatives' scores, enough for
 * the table, the Hits@K chart and the overlap heatmap at any K. The scores
 * are doubles printed exactly (17 digits), non-finite ones as null, "inf",
 * "-inf", like every double of the manifest. */

/* {{{ Writing */

GPtrArray *
_philia_project_copy_link_models (GPtrArray *models)
{
  GPtrArray *copy;

  if (models == NULL || models->len == 0)
    return NULL;
  copy = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_link_train_result_free);
  for (guint i = 0; i < models->len; i++)
    g_ptr_array_add (copy, philia_link_train_result_copy_figures (models->pdata[i]));
  return copy;
}

/* add_double(), member_double() and member_int() are the manifest's
 * (philia-manifest-private.h). */

static void
member_doubles (JsonBuilder  *b,
                const char   *key,
                const double *v,
                gint64        n)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_array (b);
  for (gint64 i = 0; v != NULL && i < n; i++)
    add_double (b, v[i]);
  json_builder_end_array (b);
}

void
_philia_project_write_link_models (JsonBuilder *b,
                                   GPtrArray   *models,
                                   char       **features)
{
  if (models == NULL || models->len == 0)
    return;
  json_builder_set_member_name (b, "models");
  json_builder_begin_array (b);
  for (guint i = 0; i < models->len; i++)
    {
      const PhiliaLinkTrainResult *t = models->pdata[i];
      const PhiliaLinkModelParams *p = &t->params;
      const PhiliaLinkpredResult *res = t->result;
      char seed[32];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "model");
      json_builder_add_string_value (b, t->model);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, res->name);
      /* The set it learnt from (optional: older projects lack it). */
      json_builder_set_member_name (b, "features");
      json_builder_add_string_value (b, features != NULL && features[i] != NULL
                                        ? features[i] : PHILIA_FEATURES_ORIGINAL);
      json_builder_set_member_name (b, "params");
      json_builder_begin_object (b);
      member_int (b, "epochs", p->epochs);
      member_int (b, "patience", p->patience);
      member_double (b, "lr", p->lr);
      member_double (b, "weight_decay", p->weight_decay);
      member_int (b, "hidden", p->hidden);
      member_int (b, "layers", p->layers);
      member_int (b, "decoder_layers", p->decoder_layers);
      member_double (b, "dropout", p->dropout);
      json_builder_set_member_name (b, "decoder");
      json_builder_add_string_value (b, philia_link_decoder_to_string (p->decoder));
      member_int (b, "val_k", p->val_k);
      /* 64-bit unsigned, so a decimal string (JSON integers here are signed). */
      g_snprintf (seed, sizeof seed, "%" G_GUINT64_FORMAT, p->seed);
      json_builder_set_member_name (b, "seed");
      json_builder_add_string_value (b, seed);
      member_int (b, "n_threads", p->n_threads);
      json_builder_set_member_name (b, "normalize_features");
      json_builder_add_boolean_value (b, p->normalize_features);
      json_builder_end_object (b);
      member_int (b, "best_epoch", t->best_epoch);
      member_double (b, "best_val_hits", t->best_val_hits);
      member_double (b, "epoch_ms_median", t->epoch_ms_median);
      member_double (b, "epoch_cpu_ms_median", t->epoch_cpu_ms_median);
      member_double (b, "seconds", t->seconds);
      json_builder_set_member_name (b, "identity_features");
      json_builder_add_boolean_value (b, t->identity_features);
      member_doubles (b, "hits", res->hits, G_N_ELEMENTS (res->hits));
      member_double (b, "mrr", res->mrr);
      member_double (b, "auc", res->auc);
      member_doubles (b, "loss", t->loss, t->n_epochs);
      member_doubles (b, "val_hits", t->val_hits, t->n_epochs);
      member_doubles (b, "test_pos", res->test_pos, res->n_test);
      member_doubles (b, "test_neg", res->test_neg, res->n_test);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* }}} */
/* {{{ Reading */

typedef struct
{
  const char *project;
  guint       evaluation;
  guint       index;
} Where;

G_GNUC_PRINTF (3, 4)
static gboolean
bad (GError     **error,
     const Where *w,
     const char  *format,
     ...)
{
  g_autofree char *rest = NULL;
  va_list args;

  va_start (args, format);
  rest = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
               _ ("%s: link predictor %u of evaluation %u: %s"), w->project, w->index + 1,
               w->evaluation, rest);
  return FALSE;
}

static gboolean
node_double (JsonNode *node,
             double   *out)
{
  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (node))
    {
      *out = NAN;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_DOUBLE:
    case G_TYPE_INT64:
      *out = json_node_get_double (node);
      return TRUE;
    case G_TYPE_STRING:
      if (g_strcmp0 (json_node_get_string (node), "inf") == 0)
        *out = INFINITY;
      else if (g_strcmp0 (json_node_get_string (node), "-inf") == 0)
        *out = -INFINITY;
      else
        return FALSE;
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
get_double (JsonObject  *o,
            const char  *key,
            double      *out,
            const Where *w,
            GError     **error)
{
  if (!node_double (json_object_get_member (o, key), out))
    return bad (error, w, "%s is missing or not a number.", key);
  return TRUE;
}

static gboolean
get_int (JsonObject  *o,
         const char  *key,
         gint64       min,
         gint64       max,
         gint64      *out,
         const Where *w,
         GError     **error)
{
  JsonNode *node = json_object_get_member (o, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return bad (error, w, "%s is missing or not an integer.", key);
  *out = json_node_get_int (node);
  if (*out < min || *out > max)
    return bad (error, w, "%s is %" G_GINT64_FORMAT ", outside [%" G_GINT64_FORMAT ", %"
                G_GINT64_FORMAT "].", key, *out, min, max);
  return TRUE;
}

static gboolean
get_bool (JsonObject  *o,
          const char  *key,
          gboolean    *out,
          const Where *w,
          GError     **error)
{
  JsonNode *node = json_object_get_member (o, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return bad (error, w, "%s is missing or not true or false.", key);
  *out = json_node_get_boolean (node);
  return TRUE;
}

static const char *
get_string (JsonObject  *o,
            const char  *key,
            const Where *w,
            GError     **error)
{
  JsonNode *node = json_object_get_member (o, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING
      || !g_utf8_validate (json_node_get_string (node), -1, NULL)
      || *json_node_get_string (node) == '\0')
    {
      bad (error, w, "%s is missing or not a name.", key);
      return NULL;
    }
  return json_node_get_string (node);
}

/* A list of numbers; @n < 0 takes any length and sets it. */
static double *
get_doubles (JsonObject  *o,
             const char  *key,
             gint64      *n,
             const Where *w,
             GError     **error)
{
  JsonNode *node = json_object_get_member (o, key);
  JsonArray *list;
  g_autofree double *out = NULL;
  guint len;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      bad (error, w, "%s is missing or not a list of numbers.", key);
      return NULL;
    }
  list = json_node_get_array (node);
  len = json_array_get_length (list);
  if (*n >= 0 && len != *n)
    {
      bad (error, w, "%s has %u numbers, where %" G_GINT64_FORMAT " were expected.", key, len,
           *n);
      return NULL;
    }
  out = g_new (double, MAX (len, 1));
  for (guint i = 0; i < len; i++)
    if (!node_double (json_array_get_element (list, i), &out[i]))
      {
        bad (error, w, "entry %u of %s is not a number.", i + 1, key);
        return NULL;
      }
  *n = len;
  return g_steal_pointer (&out);
}

static gboolean
read_params (JsonObject            *o,
             PhiliaLinkModelParams *p,
             const Where           *w,
             GError               **error)
{
  JsonNode *node = json_object_get_member (o, "params");
  JsonObject *po;
  const char *decoder, *seed;
  gint64 v[7];
  guint64 seed_value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return bad (error, w, "params is missing or not an object.");
  po = json_node_get_object (node);
  if (!get_int (po, "epochs", 0, G_MAXINT, &v[0], w, error) ||
      !get_int (po, "patience", 0, G_MAXINT, &v[1], w, error) ||
      !get_int (po, "hidden", 1, G_MAXINT, &v[2], w, error) ||
      !get_int (po, "layers", 1, G_MAXINT, &v[3], w, error) ||
      !get_int (po, "decoder_layers", 1, G_MAXINT, &v[4], w, error) ||
      !get_int (po, "val_k", 1, G_MAXUINT, &v[5], w, error) ||
      !get_int (po, "n_threads", 0, G_MAXUINT, &v[6], w, error) ||
      !get_double (po, "lr", &p->lr, w, error) ||
      !get_double (po, "weight_decay", &p->weight_decay, w, error) ||
      !get_double (po, "dropout", &p->dropout, w, error) ||
      !get_bool (po, "normalize_features", &p->normalize_features, w, error) ||
      (decoder = get_string (po, "decoder", w, error)) == NULL ||
      (seed = get_string (po, "seed", w, error)) == NULL)
    return FALSE;
  if (!philia_link_decoder_from_string (decoder, &p->decoder))
    return bad (error, w, "the decoder is neither dot nor mlp.");
  if (!g_ascii_string_to_unsigned (seed, 10, 0, G_MAXUINT64, &seed_value, NULL))
    return bad (error, w, "the seed is not a whole number.");
  p->epochs = (int)v[0];
  p->patience = (int)v[1];
  p->hidden = (int)v[2];
  p->layers = (int)v[3];
  p->decoder_layers = (int)v[4];
  p->val_k = (guint)v[5];
  p->n_threads = (guint)v[6];
  p->seed = seed_value;
  return TRUE;
}

static PhiliaLinkTrainResult *
read_model (JsonNode    *node,
            gint64      *n_test,
            const char  *evaluation_features,
            char       **features,
            const Where *w,
            GError     **error)
{
  g_autoptr(PhiliaLinkTrainResult) t = g_new0 (PhiliaLinkTrainResult, 1);
  PhiliaLinkpredResult *res;
  JsonObject *o;
  const char *model, *name;
  gint64 best_epoch, n_hits = G_N_ELEMENTS (res->hits), n_epochs = -1, n_test_neg;
  g_autofree double *hits = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bad (error, w, "it is not an object.");
      return NULL;
    }
  o = json_node_get_object (node);
  t->result = res = g_new0 (PhiliaLinkpredResult, 1);
  res->heuristic = PHILIA_PROXIMITY_N_HEURISTICS;
  /* Projects from before feature sets: the evaluation's, the original. */
  if (json_object_has_member (o, "features"))
    {
      const char *set = get_string (o, "features", w, error);

      if (set == NULL)
        return NULL;
      *features = g_strdup (set);
    }
  else
    *features = g_strdup (evaluation_features != NULL ? evaluation_features
                                                      : PHILIA_FEATURES_ORIGINAL);
  if ((model = get_string (o, "model", w, error)) == NULL ||
      (name = get_string (o, "name", w, error)) == NULL ||
      !read_params (o, &t->params, w, error) ||
      !get_int (o, "best_epoch", 0, G_MAXUINT, &best_epoch, w, error) ||
      !get_double (o, "best_val_hits", &t->best_val_hits, w, error) ||
      !get_double (o, "epoch_ms_median", &t->epoch_ms_median, w, error) ||
      !get_double (o, "epoch_cpu_ms_median", &t->epoch_cpu_ms_median, w, error) ||
      !get_double (o, "seconds", &t->seconds, w, error) ||
      !get_bool (o, "identity_features", &t->identity_features, w, error) ||
      (hits = get_doubles (o, "hits", &n_hits, w, error)) == NULL ||
      !get_double (o, "mrr", &res->mrr, w, error) ||
      !get_double (o, "auc", &res->auc, w, error) ||
      (t->loss = get_doubles (o, "loss", &n_epochs, w, error)) == NULL ||
      (t->val_hits = get_doubles (o, "val_hits", &n_epochs, w, error)) == NULL ||
      (res->test_pos = get_doubles (o, "test_pos", n_test, w, error)) == NULL)
    return NULL;
  n_test_neg = *n_test;
  if ((res->test_neg = get_doubles (o, "test_neg", &n_test_neg, w, error)) == NULL)
    return NULL;
  if (best_epoch > n_epochs)
    {
      bad (error, w, "its best epoch %" G_GINT64_FORMAT " is past its %" G_GINT64_FORMAT
           " epochs.", best_epoch, n_epochs);
      return NULL;
    }
  t->model = g_strdup (model);
  res->name = g_strdup (name);
  t->n_epochs = (guint)n_epochs;
  t->best_epoch = (guint)best_epoch;
  res->n_test = *n_test;
  memcpy (res->hits, hits, sizeof res->hits);
  return g_steal_pointer (&t);
}

gboolean
_philia_project_read_link_models (JsonObject               *o,
                                  const char               *project,
                                  PhiliaDocumentEvaluation *e,
                                  GError                  **error)
{
  JsonNode *node = json_object_get_member (o, "models");
  JsonArray *list;
  Where w = { project, e->id, 0 };
  gint64 n_test = -1;

  /* Optional: projects from before GNN link predictors have none. */
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s: the models of evaluation %u are not a list."), project, e->id);
      return FALSE;
    }
  list = json_node_get_array (node);
  if (json_array_get_length (list) == 0)
    return TRUE;
  e->models = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_link_train_result_free);
  e->model_features = g_ptr_array_new_with_free_func (g_free);
  for (w.index = 0; w.index < json_array_get_length (list); w.index++)
    {
      char *features = NULL;
      /* Every model of one evaluation scored the same test edges. */
      PhiliaLinkTrainResult *t = read_model (json_array_get_element (list, w.index), &n_test,
                                             e->features, &features, &w, error);

      if (t == NULL)
        {
          g_free (features);
          return FALSE;
        }
      g_ptr_array_add (e->models, t);
      g_ptr_array_add (e->model_features, features);
    }
  return TRUE;
}

/* }}} */
