/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Feature matrices from CSV text: one row of numbers per node, in node order. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "philia-core.h"
#include "philia-features-private.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* Lines longer than this are refused rather than read: a 4096-column
 * embedding in full float precision stays well under it. */
#define MAX_LINE (64 * 1024 * 1024)

static gboolean
blank (const char *s,
       gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
      return FALSE;
  return TRUE;
}

/* Parses one field of @len bytes as a finite float; FALSE if it is not one. */
static gboolean
parse_field (const char *s,
             gsize       len,
             float      *out)
{
  char buffer[64];
  char *end = NULL;
  double v;

  while (len > 0 && (*s == ' ' || *s == '\t'))
    s++, len--;
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
    len--;
  if (len == 0 || len >= sizeof buffer)
    return FALSE;
  memcpy (buffer, s, len);
  buffer[len] = '\0';
  errno = 0;
  v = g_ascii_strtod (buffer, &end);
  if (end != buffer + len || (errno == ERANGE && fabs (v) > 1) || !isfinite (v)
      || fabs (v) > G_MAXFLOAT)
    return FALSE;
  *out = (float) v;
  return TRUE;
}

/* "row 3 has 5 values" → "line 4 of FILE: …": the error names the file and
 * the line as a text editor counts them. */
static PhiliaFeatureSet *
fail (GError    **error,
      int         code,
      const char *display,
      guint64     line,
      const char *what)
{
  g_set_error (error, PHILIA_ERROR, code, _ ("%s, line %" PRIu64 ": %s"), display, line,
               what);
  return NULL;
}

/**
 * _philia_feature_set_parse_csv:
 *
 * Comma-separated numbers, one row per node in node order, every row with
 * as many values as the first. A first line that is not all numbers is a
 * header and skipped; blank lines are skipped. Refused, naming the file and
 * line: a value that is not a finite float, a row of another width, a line
 * that is not UTF-8 or holds a NUL, and a row count other than @n_nodes
 * (with both numbers).
 */
PhiliaFeatureSet *
_philia_feature_set_parse_csv (const char *text,
                               gsize       size,
                               const char *display,
                               const char *name,
                               guint       n_nodes,
                               GError    **error)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (float));
  guint64 line = 0, rows = 0;
  guint cols = 0;
  gsize at = 0;

  if (size >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    at = 3;   /* a byte-order mark */
  while (at < size)
    {
      const char *start = text + at;
      const char *nl = memchr (start, '\n', size - at);
      gsize len = nl != NULL ? (gsize) (nl - start) : size - at;
      guint fields = 0;
      gsize field_start = 0;
      gboolean numbers = TRUE;
      guint before = values->len;

      at += len + (nl != NULL);
      line++;
      if (len > MAX_LINE)
        return fail (error, PHILIA_ERROR_FORMAT, display, line, _ ("the line is too long."));
      if (memchr (start, '\0', len) != NULL || !g_utf8_validate (start, len, NULL))
        return fail (error, PHILIA_ERROR_FORMAT, display, line,
                     _ ("the line is not UTF-8 text."));
      if (blank (start, len))
        continue;
      for (gsize i = 0; i <= len; i++)
        if (i == len || start[i] == ',')
          {
            float v = 0;

            if (!parse_field (start + field_start, i - field_start, &v))
              numbers = FALSE;
            g_array_append_val (values, v);
            fields++;
            field_start = i + 1;
          }
      if (!numbers && rows == 0 && cols == 0)
        {
          /* The header: its width is the one every row must have. */
          g_array_set_size (values, before);
          cols = fields;
          continue;
        }
      if (!numbers)
        {
          g_array_set_size (values, before);
          return fail (error, PHILIA_ERROR_INVALID, display, line,
                       _ ("a value is not a finite number; features are comma-separated numbers "
                          "(with “.” as the decimal point)."));
        }
      if (cols == 0)
        cols = fields;
      if (fields != cols)
        {
          g_autofree char *what = g_strdup_printf ("the row has %u values but the %s has %u.",
                                                   fields, rows == 0 ? "header" : "first row",
                                                   cols);

          return fail (error, PHILIA_ERROR_INVALID, display, line, what);
        }
      rows++;
      if (rows > n_nodes)
        break;   /* the count below names the excess */
    }
  if (rows != n_nodes)
    {
      /* Count the rest for the message, without keeping it. */
      if (rows > n_nodes)
        for (const char *p = text + at; p < text + size; )
          {
            const char *nl = memchr (p, '\n', text + size - p);
            gsize len = nl != NULL ? (gsize) (nl - p) : (gsize) (text + size - p);

            rows += !blank (p, len);
            p += len + (nl != NULL);
          }
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s has %" PRIu64 " rows but the graph has %u nodes; a feature "
                      "matrix needs one row per node."), display, rows, n_nodes);
      return NULL;
    }
  if (cols == 0 || n_nodes == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s holds no feature values."), display);
      return NULL;
    }
  if (cols > G_MAXINT32 / n_nodes)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s has %u columns, too many to hold."), display, cols);
      return NULL;
    }
  return philia_feature_set_new (name, display, n_nodes, cols,
                                 (float *) g_array_free (g_steal_pointer (&values), FALSE));
}
