/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "philia-enums.h"
#include "philia-npz.h"

#include "philia-zip-private.h"

/*
 * .npy arrays: the header (magic, version, the Python dict with dtype, order
 * and shape), checked against the size before anything is allocated, and the
 * header Philia writes. The zip around them is philia-npz.c (reading) and
 * philia-zip-writer.c (writing).
 */

/* {{{ Dtypes and arrays */

void
philia_array_free (PhiliaArray *array)
{
  if (array == NULL)
    return;
  g_free (array->data);
  g_free (array);
}

const char *
philia_dtype_to_string (PhiliaDtype dtype)
{
  const char *nick = philia_enum_to_nick (PHILIA_TYPE_DTYPE, dtype);

  return nick != NULL ? nick : "unknown";
}

char *
philia_array_dup_string (const PhiliaArray *array,
                         gsize              i)
{
  const gunichar *chars;
  glong len = 0;

  g_return_val_if_fail (array != NULL, NULL);
  g_return_val_if_fail (array->dtype == PHILIA_DTYPE_UNICODE, NULL);
  g_return_val_if_fail ((gint64)i < array->n_elements, NULL);

  chars = (const gunichar *)((const guint8 *)array->data + i * array->itemsize);
  while ((gsize)len < array->itemsize / 4 && chars[len] != 0)
    len++;
  /* Invalid code points give NULL; callers report them. */
  return g_ucs4_to_utf8 (chars, len, NULL, NULL, NULL);
}

gsize
philia_dtype_get_size (PhiliaDtype dtype)
{
  switch (dtype)
    {
    case PHILIA_DTYPE_BOOL:
    case PHILIA_DTYPE_UINT8:
    case PHILIA_DTYPE_INT8:    return 1;
    case PHILIA_DTYPE_INT16:
    case PHILIA_DTYPE_UINT16:  return 2;
    case PHILIA_DTYPE_INT32:
    case PHILIA_DTYPE_UINT32:
    case PHILIA_DTYPE_FLOAT32: return 4;
    case PHILIA_DTYPE_INT64:
    case PHILIA_DTYPE_UINT64:
    case PHILIA_DTYPE_FLOAT64: return 8;
    default:                   return 0;
    }
}

/* The numpy descr Philia writes for each dtype. */
const char *
_philia_dtype_to_descr (PhiliaDtype dtype)
{
  switch (dtype)
    {
    case PHILIA_DTYPE_BOOL:    return "|b1";
    case PHILIA_DTYPE_UINT8:   return "|u1";
    case PHILIA_DTYPE_INT8:    return "|i1";
    case PHILIA_DTYPE_INT16:   return "<i2";
    case PHILIA_DTYPE_INT32:   return "<i4";
    case PHILIA_DTYPE_INT64:   return "<i8";
    case PHILIA_DTYPE_UINT16:  return "<u2";
    case PHILIA_DTYPE_UINT32:  return "<u4";
    case PHILIA_DTYPE_UINT64:  return "<u8";
    case PHILIA_DTYPE_FLOAT32: return "<f4";
    case PHILIA_DTYPE_FLOAT64: return "<f8";
    default:                   return NULL;
    }
}

/* }}} */
/* {{{ .npy header */

typedef struct
{
  const char *p;
  const char *end;
} Scanner;

static void
scan_ws (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
scan_char (Scanner *s,
           char     c)
{
  scan_ws (s);
  if (s->p < s->end && *s->p == c)
    {
      s->p++;
      return TRUE;
    }
  return FALSE;
}

/* A Python string literal in single or double quotes; escapes are kept
 * verbatim (numpy never writes any in the keys or descrs we accept). */
static char *
scan_string (Scanner *s)
{
  char quote;
  const char *start;

  scan_ws (s);
  if (s->p >= s->end || (*s->p != '\'' && *s->p != '"'))
    return NULL;
  quote = *s->p++;
  start = s->p;
  while (s->p < s->end && *s->p != quote)
    {
      if (*s->p == '\\' && s->p + 1 < s->end)
        s->p++;
      s->p++;
    }
  if (s->p >= s->end)
    return NULL;
  s->p++;
  return g_strndup (start, s->p - 1 - start);
}

static gboolean
scan_word (Scanner    *s,
           const char *word)
{
  gsize len = strlen (word);

  scan_ws (s);
  if ((gsize)(s->end - s->p) >= len && memcmp (s->p, word, len) == 0)
    {
      const char *after = s->p + len;

      if (after < s->end && (g_ascii_isalnum (*after) || *after == '_'))
        return FALSE;
      s->p = after;
      return TRUE;
    }
  return FALSE;
}

/* A non-negative decimal (Python 2 wrote a trailing L). Returns -1 on
 * syntax errors, -2 for negative numbers and -3 for overflow. */
static gint64
scan_dim (Scanner *s)
{
  guint64 value = 0;
  gboolean any = FALSE;

  scan_ws (s);
  if (s->p < s->end && *s->p == '-')
    return -2;
  if (s->p < s->end && *s->p == '+')
    s->p++;
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    {
      guint digit = (guint)(*s->p - '0');

      if (value > ((guint64)G_MAXINT64 - digit) / 10)
        return -3;
      value = value * 10 + digit;
      s->p++;
      any = TRUE;
    }
  if (!any)
    return -1;
  if (s->p < s->end && (*s->p == 'L' || *s->p == 'l'))
    s->p++;
  return (gint64)value;
}

static gboolean
parse_descr (const char  *descr,
             PhiliaDtype *dtype,
             gsize       *itemsize,
             const char  *display_name,
             const char  *member,
             GError     **error)
{
  g_autofree char *shown = sanitize (descr, strlen (descr));
  char order = '=';
  const char *t = descr;
  static const struct { const char *code; PhiliaDtype dtype; } types[] = {
    { "b1", PHILIA_DTYPE_BOOL },    { "?", PHILIA_DTYPE_BOOL },
    { "u1", PHILIA_DTYPE_UINT8 },   { "B", PHILIA_DTYPE_UINT8 },
    { "i1", PHILIA_DTYPE_INT8 },    { "b", PHILIA_DTYPE_INT8 },
    { "i2", PHILIA_DTYPE_INT16 },   { "u2", PHILIA_DTYPE_UINT16 },
    { "i4", PHILIA_DTYPE_INT32 },   { "u4", PHILIA_DTYPE_UINT32 },
    { "i8", PHILIA_DTYPE_INT64 },   { "u8", PHILIA_DTYPE_UINT64 },
    { "f4", PHILIA_DTYPE_FLOAT32 }, { "f8", PHILIA_DTYPE_FLOAT64 },
  };

  if (*t == '<' || *t == '>' || *t == '=' || *t == '|' || *t == '!')
    order = *t++;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (strcmp (t, types[i].code) == 0)
      {
        gsize size = philia_dtype_get_size (types[i].dtype);

        if ((order == '>' || order == '!') && size > 1)
          {
            set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
                       _ ("is big-endian (dtype “%s”); Philia reads little-endian arrays only, "
                          "so save it with .astype(\"<%s\") first."), shown, t);
            return FALSE;
          }
        if (order == '|' && size > 1)
          break;
        *dtype = types[i].dtype;
        *itemsize = size;
        return TRUE;
      }

  /* Text: numpy's fixed-width UTF-32 strings, e.g. class names ('<U22'). */
  if (*t == 'U' && order != '>' && order != '!' && g_ascii_isdigit (t[1]))
    {
      guint64 chars;

      if (g_ascii_string_to_unsigned (t + 1, 10, 1, 65536, &chars, NULL))
        {
          *dtype = PHILIA_DTYPE_UNICODE;
          *itemsize = 4 * chars;
          return TRUE;
        }
    }

  if (*t == 'O')
    set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
               _ ("holds Python objects (dtype “%s”), which Philia does not read."), shown);
  else if (*t == 'U' || *t == 'S' || *t == 'a')
    set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
               _ ("holds text (dtype “%s”), but a numeric array is expected."), shown);
  else if (*t == 'V')
    set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
               _ ("holds raw records (dtype “%s”), which Philia does not read."), shown);
  else
    set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
               _ ("has the dtype “%s”, which Philia does not read (use bool, integers, "
                  "float32 or float64)."), shown);
  return FALSE;
}

static gboolean
parse_header_dict (const char  *text,
                   gsize        len,
                   NpyHeader   *hdr,
                   const char  *display_name,
                   const char  *member,
                   GError     **error)
{
  Scanner s = { text, text + len };
  gboolean have_descr = FALSE, have_fortran = FALSE, have_shape = FALSE;

  if (!scan_char (&s, '{'))
    goto syntax;

  for (;;)
    {
      g_autofree char *key = NULL;

      if (scan_char (&s, '}'))
        break;
      key = scan_string (&s);
      if (key == NULL || !scan_char (&s, ':'))
        goto syntax;

      if (strcmp (key, "descr") == 0 && !have_descr)
        {
          g_autofree char *descr = NULL;

          scan_ws (&s);
          if (s.p < s.end && *s.p == '[')
            {
              set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
                         _ ("has a structured dtype (named fields), which Philia does not read."));
              return FALSE;
            }
          descr = scan_string (&s);
          if (descr == NULL)
            goto syntax;
          if (!parse_descr (descr, &hdr->dtype, &hdr->itemsize, display_name, member, error))
            return FALSE;
          have_descr = TRUE;
        }
      else if (strcmp (key, "fortran_order") == 0 && !have_fortran)
        {
          if (scan_word (&s, "True"))
            hdr->fortran_order = TRUE;
          else if (scan_word (&s, "False"))
            hdr->fortran_order = FALSE;
          else
            goto syntax;
          have_fortran = TRUE;
        }
      else if (strcmp (key, "shape") == 0 && !have_shape)
        {
          gboolean comma = FALSE;

          hdr->ndim = 0;
          if (!scan_char (&s, '('))
            goto syntax;
          for (;;)
            {
              gint64 dim;

              if (scan_char (&s, ')'))
                break;
              dim = scan_dim (&s);
              if (dim == -2)
                {
                  set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                             _ ("has a negative dimension in its shape."));
                  return FALSE;
                }
              if (dim == -3)
                {
                  set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                             _ ("has a shape dimension too large to be real."));
                  return FALSE;
                }
              if (dim < 0)
                goto syntax;
              if (hdr->ndim == PHILIA_NPY_MAX_DIMS)
                {
                  set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
                             _ ("has more than %d dimensions."), PHILIA_NPY_MAX_DIMS);
                  return FALSE;
                }
              hdr->shape[hdr->ndim++] = dim;
              if (scan_char (&s, ')'))
                break;
              if (!scan_char (&s, ','))
                goto syntax;
              comma = TRUE;
            }
          /* "(5)" is an int in Python, not a tuple. */
          if (hdr->ndim == 1 && !comma)
            goto syntax;
          have_shape = TRUE;
        }
      else
        {
          g_autofree char *shown = sanitize (key, strlen (key));

          set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                     _ ("has an unexpected key “%s” in its .npy header."), shown);
          return FALSE;
        }

      if (scan_char (&s, '}'))
        break;
      if (!scan_char (&s, ','))
        goto syntax;
    }

  scan_ws (&s);
  while (s.p < s.end && *s.p == '\0')
    s.p++;
  if (s.p != s.end)
    goto syntax;

  if (!have_descr || !have_fortran || !have_shape)
    {
      const char *key = !have_descr ? "descr" : !have_fortran ? "fortran_order" : "shape";

      set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                 _ ("has a .npy header without “%s”."), key);
      return FALSE;
    }
  return TRUE;

syntax:
  set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
             _ ("has a .npy header that cannot be parsed (at byte %d of the header dictionary)."),
             (int)(s.p - text));
  return FALSE;
}

/*
 * Parses the magic, version, header length and dictionary from the first
 * @avail bytes of a .npy blob of @total bytes. If @avail is too short,
 * sets *@need to the number of bytes required and returns FALSE with no
 * error. Validates the shape against the size before anything is allocated.
 */
gboolean
_philia_npy_parse_header (const guint8 *data,
                          gsize         avail,
                          guint64       total,
                          NpyHeader    *hdr,
                          gsize        *need,
                          const char   *display_name,
                          const char   *member,
                          GError      **error)
{
  static const guint8 magic[6] = { 0x93, 'N', 'U', 'M', 'P', 'Y' };
  guint major, minor;
  gsize prefix;
  guint64 dict_len;
  guint64 itemsize;

  *need = 0;
  memset (hdr, 0, sizeof *hdr);

  if (total < 10 || (avail >= 6 && memcmp (data, magic, MIN (avail, 6)) != 0))
    {
      set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                 _ ("is not a .npy array (the “\\x93NUMPY” signature is missing)."));
      return FALSE;
    }
  if (avail < 12 && avail < total)
    {
      *need = MIN (12, total);
      return FALSE;
    }
  if (memcmp (data, magic, 6) != 0)
    {
      set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                 _ ("is not a .npy array (the “\\x93NUMPY” signature is missing)."));
      return FALSE;
    }

  major = data[6];
  minor = data[7];
  if (major == 1 && minor == 0)
    {
      prefix = 10;
      dict_len = rd16 (data + 8);
    }
  else if ((major == 2 || major == 3) && minor == 0)
    {
      if (total < 12)
        {
          set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                     _ ("is truncated inside its .npy header."));
          return FALSE;
        }
      prefix = 12;
      dict_len = rd32 (data + 8);
    }
  else
    {
      set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
                 _ ("is a .npy file of version %u.%u; Philia reads versions 1.0, 2.0 and 3.0."),
                 major, minor);
      return FALSE;
    }

  if (dict_len > MAX_NPY_HEADER || prefix + dict_len > total)
    {
      set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                 _ ("has a .npy header length (%" PRIu64 " bytes) that runs past "
                    "the end of the array (%" PRIu64 " bytes)."),
                 dict_len, total);
      return FALSE;
    }
  if (avail < prefix + dict_len)
    {
      *need = prefix + dict_len;
      return FALSE;
    }

  /* Version 3 only differs by allowing UTF-8 in field names, which Philia
   * refuses anyway; the dictionary itself must be valid text. */
  if (!g_utf8_validate ((const char *)data + prefix, dict_len, NULL))
    {
      set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                 _ ("has a .npy header that is not valid text."));
      return FALSE;
    }
  if (!parse_header_dict ((const char *)data + prefix, dict_len, hdr, display_name, member,
                          error))
    return FALSE;

  if (hdr->fortran_order && hdr->ndim > 2)
    {
      set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
                 _ ("is a %u-dimensional array in Fortran order; Philia reads Fortran order "
                    "for 1-D and 2-D arrays only (save it with numpy.ascontiguousarray)."),
                 hdr->ndim);
      return FALSE;
    }

  hdr->header_len = prefix + dict_len;
  hdr->n_elements = 1;
  for (guint i = 0; i < hdr->ndim; i++)
    if (mul_overflows (hdr->n_elements, (guint64)hdr->shape[i], &hdr->n_elements))
      {
        set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                   _ ("has a shape whose size does not fit in 64 bits."));
        return FALSE;
      }
  itemsize = hdr->itemsize;
  if (hdr->n_elements > (guint64)G_MAXINT64 ||
      mul_overflows (hdr->n_elements, itemsize, &hdr->payload_size))
    {
      set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                 _ ("has a shape whose size does not fit in 64 bits."));
      return FALSE;
    }

  if (hdr->payload_size != total - hdr->header_len)
    {
      guint64 found = total - hdr->header_len;

      if (found < hdr->payload_size)
        set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                   _ ("is truncated (expected %" PRIu64 " bytes of data, found %"
                      PRIu64 ")."), hdr->payload_size, found);
      else
        set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                   _ ("has %" PRIu64 " bytes of data, but its shape and dtype "
                      "need %" PRIu64 "."), found, hdr->payload_size);
      return FALSE;
    }
  if (hdr->payload_size > G_MAXSIZE / 2)
    {
      set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
                 _ ("is too large for this computer (%" PRIu64 " bytes)."),
                 hdr->payload_size);
      return FALSE;
    }
  return TRUE;
}

PhiliaArray *
_philia_npy_array_new (const NpyHeader *hdr,
                       const char      *display_name,
                       const char      *member,
                       GError         **error)
{
  g_autoptr(PhiliaArray) array = g_new0 (PhiliaArray, 1);

  array->dtype = hdr->dtype;
  array->itemsize = hdr->itemsize;
  array->ndim = hdr->ndim;
  memcpy (array->shape, hdr->shape, sizeof array->shape);
  array->n_elements = (gint64)hdr->n_elements;
  /* Never NULL, so that callers can tell an empty array from a missing one. */
  array->data = g_try_malloc (MAX (hdr->payload_size, 1));
  if (array->data == NULL)
    {
      set_error (error, PHILIA_ERROR_FAILED, display_name, member,
                 _ ("needs %" PRIu64 " bytes of memory, which are not available."),
                 hdr->payload_size);
      return NULL;
    }
  return g_steal_pointer (&array);
}

/* Fortran order is only accepted for 2-D arrays (1-D is the same in both);
 * transposing into C order means the values are never misread. */
gboolean
_philia_npy_fix_order (PhiliaArray     *array,
                       const NpyHeader *hdr,
                       const char      *display_name,
                       const char      *member,
                       GError         **error)
{
  gsize itemsize = array->itemsize;
  gsize rows, cols;
  guint8 *out;
  const guint8 *in = array->data;

  if (!hdr->fortran_order || hdr->ndim < 2 || hdr->n_elements == 0)
    return TRUE;

  g_assert (hdr->ndim == 2);
  rows = (gsize)hdr->shape[0];
  cols = (gsize)hdr->shape[1];
  out = g_try_malloc (hdr->payload_size);
  if (out == NULL)
    {
      set_error (error, PHILIA_ERROR_FAILED, display_name, member,
                 _ ("needs %" PRIu64 " bytes of memory, which are not available."),
                 hdr->payload_size);
      return FALSE;
    }
  /* Fortran element (i, j) lives at j * rows + i. */
  for (gsize i = 0; i < rows; i++)
    for (gsize j = 0; j < cols; j++)
      memcpy (out + (i * cols + j) * itemsize, in + (j * rows + i) * itemsize, itemsize);
  g_free (array->data);
  array->data = out;
  return TRUE;
}

static PhiliaArray *
npy_parse_full (const guint8 *data,
                gsize         length,
                const char   *display_name,
                const char   *member,
                GError      **error)
{
  NpyHeader hdr;
  gsize need;
  g_autoptr(PhiliaArray) array = NULL;

  if (!_philia_npy_parse_header (data, length, length, &hdr, &need, display_name, member, error))
    {
      /* The whole blob is available, so "need more" means truncated. */
      if (error != NULL && *error == NULL)
        set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                   _ ("is truncated inside its .npy header."));
      return NULL;
    }
  array = _philia_npy_array_new (&hdr, display_name, member, error);
  if (array == NULL)
    return NULL;
  memcpy (array->data, data + hdr.header_len, hdr.payload_size);
  if (!_philia_npy_fix_order (array, &hdr, display_name, member, error))
    return NULL;
  return g_steal_pointer (&array);
}

/**
 * philia_npy_parse:
 * @data: a whole .npy blob
 * @display_name: the name errors use
 *
 * Parses and copies one .npy array. O(size).
 */
PhiliaArray *
philia_npy_parse (const guint8  *data,
                  gsize          length,
                  const char    *display_name,
                  GError       **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return npy_parse_full (data, length, display_name, NULL, error);
}

/* A numpy 1.0 header, padded with spaces so that the data start on a 64-byte
 * boundary, as numpy does. */
GByteArray *
_philia_npy_make_header (const PhiliaArray *array)
{
  GString *dict = g_string_new (NULL);
  GByteArray *out;
  guint8 prefix[10] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0, 0 };
  gsize total;

  if (array->dtype == PHILIA_DTYPE_UNICODE)
    g_string_append_printf (dict, "{'descr': '<U%" G_GSIZE_FORMAT "', 'fortran_order': False, "
                            "'shape': (", array->itemsize / 4);
  else
    g_string_append_printf (dict, "{'descr': '%s', 'fortran_order': False, 'shape': (",
                            _philia_dtype_to_descr (array->dtype));
  for (guint i = 0; i < array->ndim; i++)
    g_string_append_printf (dict, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "", array->shape[i]);
  if (array->ndim == 1)
    g_string_append_c (dict, ',');
  g_string_append (dict, "), }");
  total = 10 + dict->len + 1;
  while (total % 64 != 0)
    {
      g_string_append_c (dict, ' ');
      total++;
    }
  g_string_append_c (dict, '\n');
  g_assert (dict->len <= G_MAXUINT16);
  put16 (prefix + 8, (guint16)dict->len);

  out = g_byte_array_sized_new (10 + dict->len);
  g_byte_array_append (out, prefix, 10);
  g_byte_array_append (out, (const guint8 *)dict->str, dict->len);
  g_string_free (dict, TRUE);
  return out;
}

/* }}} */
