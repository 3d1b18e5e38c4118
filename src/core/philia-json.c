/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>

#include "philia-core.h"
#include "philia-import-private.h"

struct _PhiliaJson
{
  GString *out;
  GArray  *first;    /* per open container: no element written yet */
  gboolean after_key;
};

PhiliaJson *
philia_json_new (void)
{
  PhiliaJson *json = g_new0 (PhiliaJson, 1);

  json->out = g_string_new (NULL);
  json->first = g_array_new (FALSE, FALSE, sizeof (gboolean));
  return json;
}

void
philia_json_free (PhiliaJson *json)
{
  if (json == NULL)
    return;
  g_string_free (json->out, TRUE);
  g_array_unref (json->first);
  g_free (json);
}

/* Emits the separator a new value needs at this point. */
static void
begin_value (PhiliaJson *json)
{
  if (json->after_key)
    {
      json->after_key = FALSE;
      return;
    }
  if (json->first->len > 0)
    {
      gboolean *first = &g_array_index (json->first, gboolean, json->first->len - 1);

      if (!*first)
        g_string_append_c (json->out, ',');
      *first = FALSE;
    }
}

static void
open_container (PhiliaJson *json,
                char        bracket)
{
  gboolean yes = TRUE;

  begin_value (json);
  g_string_append_c (json->out, bracket);
  g_array_append_val (json->first, yes);
}

static void
close_container (PhiliaJson *json,
                 char        bracket)
{
  g_return_if_fail (json->first->len > 0);
  g_array_set_size (json->first, json->first->len - 1);
  g_string_append_c (json->out, bracket);
}

void
philia_json_begin_object (PhiliaJson *json)
{
  open_container (json, '{');
}

void
philia_json_end_object (PhiliaJson *json)
{
  close_container (json, '}');
}

void
philia_json_begin_array (PhiliaJson *json)
{
  open_container (json, '[');
}

void
philia_json_end_array (PhiliaJson *json)
{
  close_container (json, ']');
}

static void
append_string (GString    *out,
               const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *)s; *p; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char)*p);
        }
    }
  g_string_append_c (out, '"');
}

void
philia_json_key (PhiliaJson *json,
                 const char *key)
{
  g_return_if_fail (json != NULL && key != NULL);

  begin_value (json);
  append_string (json->out, key);
  g_string_append_c (json->out, ':');
  json->after_key = TRUE;
}

void
philia_json_string (PhiliaJson *json,
                    const char *value)
{
  if (value == NULL)
    {
      philia_json_null (json);
      return;
    }
  begin_value (json);
  append_string (json->out, value);
}

void
philia_json_int (PhiliaJson *json,
                 gint64      value)
{
  begin_value (json);
  g_string_append_printf (json->out, "%" G_GINT64_FORMAT, value);
}

void
philia_json_double (PhiliaJson *json,
                    double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      philia_json_null (json);
      return;
    }
  begin_value (json);
  /* 15 digits read well; fall back to 17, which always reads back the same double. */
  g_ascii_formatd (buf, sizeof buf, "%.15g", value);
  if (g_ascii_strtod (buf, NULL) != value)
    g_ascii_formatd (buf, sizeof buf, "%.17g", value);
  g_string_append (json->out, buf);
}

void
philia_json_bool (PhiliaJson *json,
                  gboolean    value)
{
  begin_value (json);
  g_string_append (json->out, value ? "true" : "false");
}

void
philia_json_null (PhiliaJson *json)
{
  begin_value (json);
  g_string_append (json->out, "null");
}

char *
philia_json_free_to_string (PhiliaJson *json)
{
  char *s;

  g_return_val_if_fail (json != NULL, NULL);
  s = g_string_free (g_steal_pointer (&json->out), FALSE);
  g_array_unref (json->first);
  g_free (json);
  return s;
}

void
philia_json_member_int (PhiliaJson *json,
                        const char *key,
                        gint64      value)
{
  philia_json_key (json, key);
  philia_json_int (json, value);
}

void
philia_json_member_double (PhiliaJson *json,
                           const char *key,
                           double      value)
{
  philia_json_key (json, key);
  philia_json_double (json, value);
}

void
philia_json_member_string (PhiliaJson *json,
                           const char *key,
                           const char *value)
{
  philia_json_key (json, key);
  philia_json_string (json, value);
}

void
philia_json_member_bool (PhiliaJson *json,
                         const char *key,
                         gboolean    value)
{
  philia_json_key (json, key);
  philia_json_bool (json, value);
}

void
philia_json_int_array (PhiliaJson   *json,
                       const gint64 *values,
                       gsize         n)
{
  philia_json_begin_array (json);
  for (gsize i = 0; i < n; i++)
    philia_json_int (json, values[i]);
  philia_json_end_array (json);
}

void
philia_json_double_array (PhiliaJson   *json,
                          const double *values,
                          gsize         n)
{
  philia_json_begin_array (json);
  for (gsize i = 0; i < n; i++)
    philia_json_double (json, values[i]);
  philia_json_end_array (json);
}

/* Whether @text is one JSON object and nothing after it but white space.
 * json-glib 1.6 accepts further top-level values after the first and leaks
 * them, so they are refused here; the object itself is checked by the
 * parser (an unbalanced one fails there). O(length). */
gboolean
_philia_json_single_object (const char *text,
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
