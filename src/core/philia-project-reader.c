/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "philia-import-private.h"
#include "philia-project-read-private.h"
#include "philia-zip-private.h"

/* Reading a manifest member by member: a missing member, one of the wrong
 * type or one out of range is an error naming it; arrays are read from
 * their .npy members and checked against the type and shape expected. */

G_GNUC_PRINTF (4, 5)
gboolean
reader_fail (GError     **error,
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
  g_set_error (error, PHILIA_ERROR, code, _ ("%s: %s"), r->name, rest);
  return FALSE;
}

/* Text from the file (UTF-8, checked), made fit for a one-line message:
 * control characters replaced, at most 80 characters. */
char *
reader_printable (const char *text)
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

JsonNode *
reader_get_value (JsonObject *o,
                  const char *key,
                  GType       type)
{
  JsonNode *node = json_object_get_member (o, key);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != type)
    return NULL;
  return node;
}

gboolean
reader_bad_member (Reader     *r,
                   const char *ctx,
                   const char *key,
                   const char *what,
                   GError    **error)
{
  return reader_fail (error, PHILIA_ERROR_FORMAT, r, "the manifest's %s%s is missing or not %s.",
                      ctx, key, what);
}

gboolean
reader_get_int (Reader     *r,
                JsonObject *o,
                const char *ctx,
                const char *key,
                gint64      min,
                gint64      max,
                gint64     *out,
                GError    **error)
{
  JsonNode *node = reader_get_value (o, key, G_TYPE_INT64);

  if (node == NULL)
    return reader_bad_member (r, ctx, key, "an integer", error);
  *out = json_node_get_int (node);
  if (*out < min || *out > max)
    return reader_fail (error, PHILIA_ERROR_INVALID, r,
                        "the manifest's %s%s is %" G_GINT64_FORMAT ", outside [%" G_GINT64_FORMAT
                        ", %" G_GINT64_FORMAT "].", ctx, key, *out, min, max);
  return TRUE;
}

gboolean
reader_get_uint (Reader     *r,
                 JsonObject *o,
                 const char *ctx,
                 const char *key,
                 guint      *out,
                 GError    **error)
{
  gint64 v;

  if (!reader_get_int (r, o, ctx, key, 0, G_MAXUINT, &v, error))
    return FALSE;
  *out = (guint)v;
  return TRUE;
}

gboolean
reader_get_sint (Reader     *r,
                 JsonObject *o,
                 const char *ctx,
                 const char *key,
                 int        *out,
                 GError    **error)
{
  gint64 v;

  if (!reader_get_int (r, o, ctx, key, G_MININT, G_MAXINT, &v, error))
    return FALSE;
  *out = (int)v;
  return TRUE;
}

gboolean
reader_get_double (Reader     *r,
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
  return reader_bad_member (r, ctx, key, "a number", error);
}

gboolean
reader_get_bool (Reader     *r,
                 JsonObject *o,
                 const char *ctx,
                 const char *key,
                 gboolean   *out,
                 GError    **error)
{
  JsonNode *node = reader_get_value (o, key, G_TYPE_BOOLEAN);

  if (node == NULL)
    return reader_bad_member (r, ctx, key, "true or false", error);
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* A string, or NULL for null when @nullable; the string belongs to @o. */
gboolean
reader_get_string (Reader      *r,
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
  node = reader_get_value (o, key, G_TYPE_STRING);
  if (node == NULL)
    return reader_bad_member (r, ctx, key, "a string", error);
  *out = json_node_get_string (node);
  if (!g_utf8_validate (*out, -1, NULL))
    return reader_fail (error, PHILIA_ERROR_FORMAT, r, "the manifest's %s%s is not valid UTF-8.",
                        ctx, key);
  return TRUE;
}

gboolean
reader_get_seed (Reader     *r,
                 JsonObject *o,
                 const char *ctx,
                 const char *key,
                 guint64    *out,
                 GError    **error)
{
  JsonNode *node = reader_get_value (o, key, G_TYPE_INT64);

  if (node != NULL && json_node_get_int (node) >= 0)
    {
      *out = (guint64)json_node_get_int (node);
      return TRUE;
    }
  node = reader_get_value (o, key, G_TYPE_STRING);
  if (node != NULL &&
      g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXUINT64, out, NULL))
    return TRUE;
  return reader_bad_member (r, ctx, key, "a seed", error);
}

JsonObject *
reader_get_object (Reader     *r,
                   JsonObject *o,
                   const char *ctx,
                   const char *key,
                   GError    **error)
{
  JsonNode *node = json_object_get_member (o, key);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      reader_bad_member (r, ctx, key, "an object", error);
      return NULL;
    }
  return json_node_get_object (node);
}

/* An array, or NULL (no error) when absent and @optional. */
JsonArray *
reader_get_array (Reader     *r,
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
      reader_bad_member (r, ctx, key, "an array", error);
      return NULL;
    }
  return json_node_get_array (node);
}

JsonObject *
reader_get_element (Reader     *r,
                    JsonArray  *array,
                    guint       i,
                    const char *ctx,
                    GError    **error)
{
  JsonNode *node = json_array_get_element (array, i);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      reader_fail (error, PHILIA_ERROR_FORMAT, r, "the manifest's %s%u is not an object.", ctx, i);
      return NULL;
    }
  return json_node_get_object (node);
}

/* The array of the member that @o names under @key, checked against the
 * type and shape it was written with (@dim < 0: any). NULL without an error
 * when @optional and @key is absent. */
PhiliaArray *
reader_npy (Reader      *r,
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
  if (!reader_get_string (r, o, ctx, key, FALSE, &member, error))
    return NULL;
  shown = reader_printable (member);
  if (!g_str_has_suffix (member, ".npy") || !_philia_npz_has_raw_member (r->npz, member))
    {
      reader_fail (error, PHILIA_ERROR_INVALID, r, "the manifest names the member “%s”, which is "
                   "missing.", shown);
      return NULL;
    }
  stem = g_strndup (member, strlen (member) - 4);
  array = philia_npz_read_array (r->npz, stem, r->cancellable, error);
  if (array == NULL)
    return NULL;
  if (array->dtype != dtype || array->ndim != ndim)
    {
      reader_fail (error, PHILIA_ERROR_INVALID, r, "member “%s” holds a %u-dimensional %s array; a "
                   "%u-dimensional %s array was expected.", shown, array->ndim,
                   philia_dtype_to_string (array->dtype), ndim, philia_dtype_to_string (dtype));
      return NULL;
    }
  for (guint d = 0; d < ndim; d++)
    if (want[d] >= 0 && array->shape[d] != want[d])
      {
        reader_fail (error, PHILIA_ERROR_INVALID, r, "member “%s” has %" G_GINT64_FORMAT " entries "
                     "along axis %u, where %" G_GINT64_FORMAT " were expected.", shown,
                     array->shape[d], d, want[d]);
        return NULL;
      }
  return g_steal_pointer (&array);
}

/* Takes the data out of @array (which is then freed). */
gpointer
reader_steal_data (PhiliaArray *array)
{
  gpointer data = g_steal_pointer (&array->data);

  philia_array_free (array);
  return data;
}

gboolean
reader_params (Reader                *r,
               JsonObject            *o,
               const char            *ctx,
               PhiliaProximityParams *p,
               GError               **error)
{
  g_autofree char *sub = g_strconcat (ctx, "params.", NULL);
  JsonObject *po = reader_get_object (r, o, ctx, "params", error);

  philia_proximity_params_init_default (p);

  return po != NULL &&
         reader_get_double (r, po, sub, "katz_beta", &p->katz_beta, error) &&
         reader_get_uint (r, po, sub, "katz_len", &p->katz_len, error) &&
         reader_get_double (r, po, sub, "ppr_alpha", &p->ppr_alpha, error) &&
         reader_get_uint (r, po, sub, "n_threads", &p->n_threads, error);
}

int
reader_lookup_name (const char        *name,
                    const char *const *names,
                    guint              n_names)
{
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (name, names[i]) == 0)
      return (int)i;
  return -1;
}
