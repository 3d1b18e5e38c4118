/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-npz.h"

#include <string.h>
#include <zlib.h>

#include "philia-core.h"
#include "philia-npz-private.h"

/*
 * A .npz is a zip archive of .npy files. Everything here reads from memory
 * (the loader maps the file), trusts nothing in the file, and checks every
 * offset and size before it is used. Only what numpy writes (stored or
 * deflated members, zip64 fields) is read; anything else is refused with an
 * error that names the file and the member.
 */

#define SIG_LOCAL       0x04034b50u
#define SIG_CENTRAL     0x02014b50u
#define SIG_EOCD        0x06054b50u
#define SIG_EOCD64      0x06064b50u
#define SIG_EOCD64_LOC  0x07064b50u
#define SIG_DESCRIPTOR  0x08074b50u

#define EOCD_SIZE       22
#define EOCD64_LOC_SIZE 20
#define EOCD64_SIZE     56
#define CENTRAL_SIZE    46
#define LOCAL_SIZE      30

#define METHOD_STORED   0
#define METHOD_DEFLATED 8

#define FLAG_ENCRYPTED        (1u << 0)
#define FLAG_DATA_DESCRIPTOR  (1u << 3)
#define FLAG_STRONG_ENCRYPTED (1u << 6)

/* Deflate cannot compress better than 1032:1; a member that claims more is lying,
 * and it is refused before anything of that size is allocated. */
#define MAX_DEFLATE_RATIO 1032
/* numpy itself refuses headers longer than 10000 bytes by default. */
#define MAX_NPY_HEADER    (1u << 20)
/* Output chunk between cancellation checks: small enough that the CRC-32 reads
 * what inflate just wrote while it is still in cache. */
#define INFLATE_CHUNK     (256u << 10)

typedef struct
{
  char    *raw_name;      /* as stored, e.g. "edges.npy" */
  char    *name;          /* the same, made printable for messages */
  guint16  flags;
  guint16  method;
  guint32  crc;
  guint64  comp_size;
  guint64  uncomp_size;
  guint64  local_offset;
  guint64  data_offset;   /* after the local header */
} Member;

struct _PhiliaNpz
{
  GBytes       *bytes;
  const guint8 *data;
  gsize         size;
  char         *display_name;
  GPtrArray    *members;
};

/* Progress and cancellation for one array read. */
typedef struct
{
  GCancellable *cancellable;
  PhiliaNpzReport report;
  gpointer      user_data;
} ReadContext;

/* {{{ Helpers */

static inline guint16
rd16 (const guint8 *p)
{
  return (guint16)(p[0] | (p[1] << 8));
}

static inline guint32
rd32 (const guint8 *p)
{
  return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) | ((guint32)p[3] << 24);
}

static inline guint64
rd64 (const guint8 *p)
{
  return (guint64)rd32 (p) | ((guint64)rd32 (p + 4) << 32);
}

/* Text from the file goes into messages: keep it short, printable and on one line. */
static char *
sanitize (const char *text,
          gsize       len)
{
  GString *s = g_string_new (NULL);
  gsize max = MIN (len, 80);

  for (gsize i = 0; i < max; i++)
    {
      guchar c = (guchar)text[i];

      if (c >= 0x20 && c < 0x7f)
        g_string_append_c (s, (char)c);
      else
        g_string_append_c (s, '?');
    }
  if (len > max)
    g_string_append (s, "…");
  return g_string_free (s, FALSE);
}

/* "cora.npz: member “edges.npy”" or, for a bare .npy, "edges.npy". */
G_GNUC_PRINTF (5, 6)
static void
set_error (GError     **error,
           PhiliaError  code,
           const char  *display_name,
           const char  *member,
           const char  *format,
           ...)
{
  g_autofree char *rest = NULL;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  rest = g_strdup_vprintf (format, args);
  va_end (args);

  if (member != NULL)
    g_set_error (error, PHILIA_ERROR, code, "%s: member “%s” %s", display_name, member, rest);
  else
    g_set_error (error, PHILIA_ERROR, code, "%s %s", display_name, rest);
}

static gboolean
mul_overflows (guint64  a,
               guint64  b,
               guint64 *out)
{
  if (a != 0 && b > G_MAXUINT64 / a)
    return TRUE;
  *out = a * b;
  return FALSE;
}

/* }}} */
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
  switch (dtype)
    {
    case PHILIA_DTYPE_BOOL:    return "bool";
    case PHILIA_DTYPE_UINT8:   return "uint8";
    case PHILIA_DTYPE_INT8:    return "int8";
    case PHILIA_DTYPE_INT16:   return "int16";
    case PHILIA_DTYPE_INT32:   return "int32";
    case PHILIA_DTYPE_INT64:   return "int64";
    case PHILIA_DTYPE_UINT16:  return "uint16";
    case PHILIA_DTYPE_UINT32:  return "uint32";
    case PHILIA_DTYPE_UINT64:  return "uint64";
    case PHILIA_DTYPE_FLOAT32: return "float32";
    case PHILIA_DTYPE_FLOAT64: return "float64";
    case PHILIA_DTYPE_UNICODE: return "text";
    default:                   return "unknown";
    }
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
static const char *
dtype_to_descr (PhiliaDtype dtype)
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
  gsize       header_len;   /* magic + lengths + dict: where the payload starts */
  PhiliaDtype dtype;
  gsize       itemsize;
  gboolean    fortran_order;
  guint       ndim;
  gint64      shape[PHILIA_NPY_MAX_DIMS];
  guint64     n_elements;
  guint64     payload_size;
} NpyHeader;

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
                       "is big-endian (dtype “%s”); Philia reads little-endian arrays only, "
                       "so save it with .astype(\"<%s\") first.", shown, t);
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
               "holds Python objects (dtype “%s”), which Philia does not read.", shown);
  else if (*t == 'U' || *t == 'S' || *t == 'a')
    set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
               "holds text (dtype “%s”), but a numeric array is expected.", shown);
  else if (*t == 'V')
    set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
               "holds raw records (dtype “%s”), which Philia does not read.", shown);
  else
    set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
               "has the dtype “%s”, which Philia does not read (use bool, integers, "
               "float32 or float64).", shown);
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
                         "has a structured dtype (named fields), which Philia does not read.");
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
                             "has a negative dimension in its shape.");
                  return FALSE;
                }
              if (dim == -3)
                {
                  set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                             "has a shape dimension too large to be real.");
                  return FALSE;
                }
              if (dim < 0)
                goto syntax;
              if (hdr->ndim == PHILIA_NPY_MAX_DIMS)
                {
                  set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
                             "has more than %d dimensions.", PHILIA_NPY_MAX_DIMS);
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
                     "has an unexpected key “%s” in its .npy header.", shown);
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
                 "has a .npy header without “%s”.", key);
      return FALSE;
    }
  return TRUE;

syntax:
  set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
             "has a .npy header that cannot be parsed (at byte %d of the header dictionary).",
             (int)(s.p - text));
  return FALSE;
}

/*
 * Parses the magic, version, header length and dictionary from the first
 * @avail bytes of a .npy blob of @total bytes. If @avail is too short,
 * sets *@need to the number of bytes required and returns FALSE with no
 * error. Validates the shape against the size before anything is allocated.
 */
static gboolean
parse_npy_header (const guint8 *data,
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
                 "is not a .npy array (the “\\x93NUMPY” signature is missing).");
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
                 "is not a .npy array (the “\\x93NUMPY” signature is missing).");
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
                     "is truncated inside its .npy header.");
          return FALSE;
        }
      prefix = 12;
      dict_len = rd32 (data + 8);
    }
  else
    {
      set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
                 "is a .npy file of version %u.%u; Philia reads versions 1.0, 2.0 and 3.0.",
                 major, minor);
      return FALSE;
    }

  if (dict_len > MAX_NPY_HEADER || prefix + dict_len > total)
    {
      set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                 "has a .npy header length (%" G_GUINT64_FORMAT " bytes) that runs past "
                 "the end of the array (%" G_GUINT64_FORMAT " bytes).",
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
                 "has a .npy header that is not valid text.");
      return FALSE;
    }
  if (!parse_header_dict ((const char *)data + prefix, dict_len, hdr, display_name, member,
                          error))
    return FALSE;

  if (hdr->fortran_order && hdr->ndim > 2)
    {
      set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
                 "is a %u-dimensional array in Fortran order; Philia reads Fortran order "
                 "for 1-D and 2-D arrays only (save it with numpy.ascontiguousarray).",
                 hdr->ndim);
      return FALSE;
    }

  hdr->header_len = prefix + dict_len;
  hdr->n_elements = 1;
  for (guint i = 0; i < hdr->ndim; i++)
    if (mul_overflows (hdr->n_elements, (guint64)hdr->shape[i], &hdr->n_elements))
      {
        set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                   "has a shape whose size does not fit in 64 bits.");
        return FALSE;
      }
  itemsize = hdr->itemsize;
  if (hdr->n_elements > (guint64)G_MAXINT64 ||
      mul_overflows (hdr->n_elements, itemsize, &hdr->payload_size))
    {
      set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                 "has a shape whose size does not fit in 64 bits.");
      return FALSE;
    }

  if (hdr->payload_size != total - hdr->header_len)
    {
      guint64 found = total - hdr->header_len;

      if (found < hdr->payload_size)
        set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                   "is truncated (expected %" G_GUINT64_FORMAT " bytes of data, found %"
                   G_GUINT64_FORMAT ").", hdr->payload_size, found);
      else
        set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                   "has %" G_GUINT64_FORMAT " bytes of data, but its shape and dtype "
                   "need %" G_GUINT64_FORMAT ".", found, hdr->payload_size);
      return FALSE;
    }
  if (hdr->payload_size > G_MAXSIZE / 2)
    {
      set_error (error, PHILIA_ERROR_UNSUPPORTED, display_name, member,
                 "is too large for this computer (%" G_GUINT64_FORMAT " bytes).",
                 hdr->payload_size);
      return FALSE;
    }
  return TRUE;
}

static PhiliaArray *
array_new_for_header (const NpyHeader *hdr,
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
                 "needs %" G_GUINT64_FORMAT " bytes of memory, which are not available.",
                 hdr->payload_size);
      return NULL;
    }
  return g_steal_pointer (&array);
}

/* Fortran order is only accepted for 2-D arrays (1-D is the same in both);
 * transposing into C order means the values are never misread. */
static gboolean
fix_order (PhiliaArray     *array,
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
                 "needs %" G_GUINT64_FORMAT " bytes of memory, which are not available.",
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

  if (!parse_npy_header (data, length, length, &hdr, &need, display_name, member, error))
    {
      /* The whole blob is available, so "need more" means truncated. */
      if (error != NULL && *error == NULL)
        set_error (error, PHILIA_ERROR_FORMAT, display_name, member,
                   "is truncated inside its .npy header.");
      return NULL;
    }
  array = array_new_for_header (&hdr, display_name, member, error);
  if (array == NULL)
    return NULL;
  memcpy (array->data, data + hdr.header_len, hdr.payload_size);
  if (!fix_order (array, &hdr, display_name, member, error))
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

/* }}} */
/* {{{ Zip directory */

static void
member_free (Member *m)
{
  g_free (m->raw_name);
  g_free (m->name);
  g_free (m);
}

void
philia_npz_free (PhiliaNpz *npz)
{
  if (npz == NULL)
    return;
  g_clear_pointer (&npz->members, g_ptr_array_unref);
  g_clear_pointer (&npz->bytes, g_bytes_unref);
  g_free (npz->display_name);
  g_free (npz);
}

/* Reads the zip64 extra field values that the 32-bit fields defer to. */
static gboolean
read_zip64_extra (const guint8 *extra,
                  gsize         extra_len,
                  guint64      *uncomp,
                  guint64      *comp,
                  guint64      *offset,
                  gboolean      is_local)
{
  gsize pos = 0;

  while (pos + 4 <= extra_len)
    {
      guint16 id = rd16 (extra + pos);
      guint16 len = rd16 (extra + pos + 2);
      const guint8 *p = extra + pos + 4;
      gsize q = 0;

      if (pos + 4 + len > extra_len)
        return FALSE;
      if (id == 0x0001)
        {
          if (*uncomp == 0xffffffffu)
            {
              if (q + 8 > len)
                return FALSE;
              *uncomp = rd64 (p + q);
              q += 8;
            }
          if (*comp == 0xffffffffu)
            {
              if (q + 8 > len)
                return FALSE;
              *comp = rd64 (p + q);
              q += 8;
            }
          if (!is_local && offset != NULL && *offset == 0xffffffffu)
            {
              if (q + 8 > len)
                return FALSE;
              *offset = rd64 (p + q);
              q += 8;
            }
          return TRUE;
        }
      pos += 4 + len;
    }
  return TRUE;
}

static gint
compare_offsets (gconstpointer a,
                 gconstpointer b)
{
  const Member *ma = *(const Member * const *)a;
  const Member *mb = *(const Member * const *)b;

  return ma->local_offset < mb->local_offset ? -1 : ma->local_offset > mb->local_offset;
}

static gboolean
find_eocd (PhiliaNpz  *npz,
           guint64    *n_entries,
           guint64    *cd_offset,
           guint64    *cd_size,
           guint64    *cd_limit,
           GError    **error)
{
  const guint8 *d = npz->data;
  gsize size = npz->size;
  gssize found = -1;
  gsize lowest;
  guint16 disk, cd_disk, entries_disk, entries;

  if (size < EOCD_SIZE)
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, NULL,
                 "is not a zip archive (too short: %" G_GSIZE_FORMAT " bytes), so it is not "
                 "a valid .npz file.", size);
      return FALSE;
    }

  /* Search backwards, past a comment of up to 65535 bytes; the comment
   * length must reach the end of the file exactly. */
  lowest = size > EOCD_SIZE + 0xffff ? size - EOCD_SIZE - 0xffff : 0;
  for (gsize i = size - EOCD_SIZE + 1; i-- > lowest;)
    if (rd32 (d + i) == SIG_EOCD && i + EOCD_SIZE + rd16 (d + i + 20) == size)
      {
        found = (gssize)i;
        break;
      }
  if (found < 0)
    {
      if (rd32 (d) == SIG_LOCAL)
        set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, NULL,
                   "is a truncated zip archive (its central directory is missing).");
      else
        set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, NULL,
                   "is not a zip archive, so it is not a valid .npz file.");
      return FALSE;
    }

  disk = rd16 (d + found + 4);
  cd_disk = rd16 (d + found + 6);
  entries_disk = rd16 (d + found + 8);
  entries = rd16 (d + found + 10);
  *cd_size = rd32 (d + found + 12);
  *cd_offset = rd32 (d + found + 16);
  *n_entries = entries;
  *cd_limit = (guint64)found;

  /* The zip64 locator sits right before the classic record. */
  if (found >= EOCD64_LOC_SIZE && rd32 (d + found - EOCD64_LOC_SIZE) == SIG_EOCD64_LOC)
    {
      const guint8 *loc = d + found - EOCD64_LOC_SIZE;
      guint64 rec = rd64 (loc + 8);
      const guint8 *r;

      if (rd32 (loc + 4) != 0 || rd32 (loc + 16) > 1)
        goto multi_disk;
      if (rec > (guint64)found - EOCD64_LOC_SIZE ||
          (guint64)found - EOCD64_LOC_SIZE - rec < EOCD64_SIZE ||
          rd32 (d + rec) != SIG_EOCD64)
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, NULL,
                     "is a damaged zip archive (its zip64 end record is missing).");
          return FALSE;
        }
      r = d + rec;
      if (rd32 (r + 16) != 0 || rd32 (r + 20) != 0)
        goto multi_disk;
      if (rd64 (r + 24) != rd64 (r + 32))
        goto multi_disk;
      *n_entries = rd64 (r + 32);
      *cd_size = rd64 (r + 40);
      *cd_offset = rd64 (r + 48);
      *cd_limit = rec;
      return TRUE;
    }

  if (disk != 0 || cd_disk != 0 || entries_disk != entries)
    goto multi_disk;
  return TRUE;

multi_disk:
  set_error (error, PHILIA_ERROR_UNSUPPORTED, npz->display_name, NULL,
             "is a multi-part zip archive, which Philia does not read.");
  return FALSE;
}

static gboolean
check_local_header (PhiliaNpz  *npz,
                    Member     *m,
                    guint64     cd_offset,
                    GError    **error)
{
  const guint8 *d = npz->data;
  const guint8 *h;
  guint16 name_len, extra_len, flags, method;
  guint64 comp, uncomp;
  guint32 crc;

  if (m->local_offset > cd_offset || cd_offset - m->local_offset < LOCAL_SIZE ||
      rd32 (d + m->local_offset) != SIG_LOCAL)
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                 "has a damaged local header (offset %" G_GUINT64_FORMAT ").",
                 m->local_offset);
      return FALSE;
    }
  h = d + m->local_offset;
  flags = rd16 (h + 6);
  method = rd16 (h + 8);
  crc = rd32 (h + 14);
  comp = rd32 (h + 18);
  uncomp = rd32 (h + 22);
  name_len = rd16 (h + 26);
  extra_len = rd16 (h + 28);
  if (m->local_offset + LOCAL_SIZE + name_len + extra_len > cd_offset)
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                 "has a local header that runs into the central directory.");
      return FALSE;
    }
  if (method != m->method || (flags & FLAG_ENCRYPTED) != (m->flags & FLAG_ENCRYPTED) ||
      name_len != strlen (m->raw_name) || memcmp (h + LOCAL_SIZE, m->raw_name, name_len) != 0)
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                 "has a local header that disagrees with the central directory.");
      return FALSE;
    }
  if (!read_zip64_extra (h + LOCAL_SIZE + name_len, extra_len, &uncomp, &comp, NULL, TRUE))
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                 "has a damaged zip64 extra field in its local header.");
      return FALSE;
    }
  /* With a data descriptor the local fields are zero; otherwise they must agree. */
  if (!(flags & FLAG_DATA_DESCRIPTOR) &&
      (crc != m->crc || comp != m->comp_size || uncomp != m->uncomp_size))
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                 "has a local header whose sizes or checksum disagree with the central "
                 "directory.");
      return FALSE;
    }
  m->data_offset = m->local_offset + LOCAL_SIZE + name_len + extra_len;
  if (m->comp_size > cd_offset - m->data_offset)
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                 "is truncated (expected %" G_GUINT64_FORMAT " bytes, found %"
                 G_GUINT64_FORMAT ").", m->comp_size, cd_offset - m->data_offset);
      return FALSE;
    }

  if (flags & FLAG_DATA_DESCRIPTOR)
    {
      guint64 pos = m->data_offset + m->comp_size;
      guint64 avail = cd_offset - pos;
      const guint8 *p = d + pos;
      gboolean ok = FALSE;

      if (avail >= 4 && rd32 (p) == SIG_DESCRIPTOR)
        {
          p += 4;
          avail -= 4;
        }
      /* 32-bit sizes, or 64-bit ones when the member needs zip64. */
      if (avail >= 12 && rd32 (p) == m->crc && rd32 (p + 4) == m->comp_size &&
          rd32 (p + 8) == m->uncomp_size)
        ok = TRUE;
      else if (avail >= 20 && rd32 (p) == m->crc && rd64 (p + 4) == m->comp_size &&
               rd64 (p + 12) == m->uncomp_size)
        ok = TRUE;
      if (!ok)
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                     "has a data descriptor that disagrees with the central directory.");
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_directory (PhiliaNpz  *npz,
                GError    **error)
{
  const guint8 *d = npz->data;
  guint64 n_entries, cd_offset, cd_size, cd_limit, pos;
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GHashTable) seen = NULL;

  if (!find_eocd (npz, &n_entries, &cd_offset, &cd_size, &cd_limit, error))
    return FALSE;

  if (cd_offset > cd_limit || cd_size > cd_limit - cd_offset)
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, NULL,
                 "is a damaged zip archive (its central directory lies outside the file).");
      return FALSE;
    }
  if (n_entries > cd_size / CENTRAL_SIZE)
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, NULL,
                 "is a damaged zip archive (%" G_GUINT64_FORMAT " entries cannot fit in a "
                 "central directory of %" G_GUINT64_FORMAT " bytes).", n_entries, cd_size);
      return FALSE;
    }

  seen = g_hash_table_new (g_str_hash, g_str_equal);
  pos = cd_offset;
  for (guint64 i = 0; i < n_entries; i++)
    {
      const guint8 *h = d + pos;
      guint16 name_len, extra_len, comment_len, disk;
      Member *m;

      if (cd_offset + cd_size - pos < CENTRAL_SIZE || rd32 (h) != SIG_CENTRAL)
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, NULL,
                     "is a damaged zip archive (entry %" G_GUINT64_FORMAT " of its central "
                     "directory is broken).", i);
          return FALSE;
        }
      name_len = rd16 (h + 28);
      extra_len = rd16 (h + 30);
      comment_len = rd16 (h + 32);
      if (cd_offset + cd_size - pos < (guint64)CENTRAL_SIZE + name_len + extra_len + comment_len)
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, NULL,
                     "is a damaged zip archive (entry %" G_GUINT64_FORMAT " of its central "
                     "directory runs past its end).", i);
          return FALSE;
        }

      if (name_len == 0 || memchr (h + CENTRAL_SIZE, '\0', name_len) != NULL)
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, NULL,
                     "is a damaged zip archive (entry %" G_GUINT64_FORMAT " has no valid "
                     "name).", i);
          return FALSE;
        }
      m = g_new0 (Member, 1);
      m->raw_name = g_strndup ((const char *)h + CENTRAL_SIZE, name_len);
      m->name = sanitize (m->raw_name, name_len);
      g_ptr_array_add (npz->members, m);
      m->flags = rd16 (h + 8);
      m->method = rd16 (h + 10);
      m->crc = rd32 (h + 16);
      m->comp_size = rd32 (h + 20);
      m->uncomp_size = rd32 (h + 24);
      disk = rd16 (h + 34);
      m->local_offset = rd32 (h + 42);

      if (!read_zip64_extra (h + CENTRAL_SIZE + name_len, extra_len,
                             &m->uncomp_size, &m->comp_size, &m->local_offset, FALSE))
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                     "has a damaged zip64 extra field.");
          return FALSE;
        }
      if (disk != 0 && disk != 0xffff)
        {
          set_error (error, PHILIA_ERROR_UNSUPPORTED, npz->display_name, NULL,
                     "is a multi-part zip archive, which Philia does not read.");
          return FALSE;
        }
      if ((m->flags & FLAG_ENCRYPTED) || (m->flags & FLAG_STRONG_ENCRYPTED))
        {
          set_error (error, PHILIA_ERROR_UNSUPPORTED, npz->display_name, m->name,
                     "is encrypted, which Philia does not read.");
          return FALSE;
        }
      if (m->method != METHOD_STORED && m->method != METHOD_DEFLATED)
        {
          set_error (error, PHILIA_ERROR_UNSUPPORTED, npz->display_name, m->name,
                     "uses zip compression method %u; Philia reads stored and deflated "
                     "members only.", m->method);
          return FALSE;
        }
      if (m->method == METHOD_STORED && m->comp_size != m->uncomp_size)
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                     "is stored uncompressed but its two sizes differ (%" G_GUINT64_FORMAT
                     " and %" G_GUINT64_FORMAT " bytes).", m->comp_size, m->uncomp_size);
          return FALSE;
        }
      if (m->method == METHOD_DEFLATED &&
          (m->comp_size > G_MAXUINT64 / MAX_DEFLATE_RATIO ||
           m->uncomp_size > m->comp_size * MAX_DEFLATE_RATIO + 1024))
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                     "claims %" G_GUINT64_FORMAT " bytes uncompressed from %" G_GUINT64_FORMAT
                     " compressed, which deflate cannot do.", m->uncomp_size, m->comp_size);
          return FALSE;
        }
      if (g_hash_table_contains (seen, m->raw_name))
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                     "appears twice in the archive.");
          return FALSE;
        }
      g_hash_table_add (seen, m->raw_name);
      pos += CENTRAL_SIZE + name_len + extra_len + comment_len;
    }

  /* Members must lie before the directory and must not overlap. */
  sorted = g_ptr_array_new ();
  for (guint i = 0; i < npz->members->len; i++)
    {
      Member *m = g_ptr_array_index (npz->members, i);

      if (!check_local_header (npz, m, cd_offset, error))
        return FALSE;
      g_ptr_array_add (sorted, m);
    }
  g_ptr_array_sort (sorted, compare_offsets);
  for (guint i = 1; i < sorted->len; i++)
    {
      Member *prev = g_ptr_array_index (sorted, i - 1);
      Member *m = g_ptr_array_index (sorted, i);

      if (prev->data_offset + prev->comp_size > m->local_offset)
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                     "overlaps member “%s” in the archive.", prev->name);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * philia_npz_new_from_bytes:
 * @bytes: the whole archive (kept referenced, typically a mapped file)
 * @display_name: the name every error uses
 *
 * Reads and checks the zip directory; members are read on demand.
 * O(members + archive comment).
 */
PhiliaNpz *
philia_npz_new_from_bytes (GBytes      *bytes,
                           const char  *display_name,
                           GError     **error)
{
  g_autoptr(PhiliaNpz) npz = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  npz = g_new0 (PhiliaNpz, 1);
  npz->bytes = g_bytes_ref (bytes);
  npz->data = g_bytes_get_data (bytes, &npz->size);
  npz->display_name = g_strdup (display_name);
  npz->members = g_ptr_array_new_with_free_func ((GDestroyNotify)member_free);

  if (npz->size == 0)
    {
      set_error (error, PHILIA_ERROR_FORMAT, display_name, NULL,
                 "is empty (0 bytes), so it is not a valid .npz file.");
      return NULL;
    }
  if (!read_directory (npz, error))
    return NULL;
  return g_steal_pointer (&npz);
}

static Member *
find_member (PhiliaNpz  *npz,
             const char *name)
{
  g_autofree char *file_name = g_strconcat (name, ".npy", NULL);

  for (guint i = 0; i < npz->members->len; i++)
    {
      Member *m = g_ptr_array_index (npz->members, i);

      if (strcmp (m->raw_name, file_name) == 0)
        return m;
    }
  return NULL;
}

gboolean
philia_npz_has_member (PhiliaNpz  *npz,
                       const char *name)
{
  g_return_val_if_fail (npz != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return find_member (npz, name) != NULL;
}

/**
 * _philia_npz_get_member_size:
 *
 * The uncompressed size of a member (for progress), or 0 if there is none.
 */
guint64
_philia_npz_get_member_size (PhiliaNpz  *npz,
                             const char *name)
{
  Member *m;

  g_return_val_if_fail (npz != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  m = find_member (npz, name);
  return m != NULL ? m->uncomp_size : 0;
}

/* }}} */
/* {{{ Reading members */

static gboolean
check_crc (PhiliaNpz  *npz,
           Member     *m,
           guint32     crc,
           GError    **error)
{
  if (crc != m->crc)
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                 "is corrupt (its CRC-32 is %08x, but the archive says %08x).", crc, m->crc);
      return FALSE;
    }
  return TRUE;
}

static guint32
crc_update (guint32       crc,
            const guint8 *data,
            guint64       len)
{
  /* zlib returns the initial value, not @crc, for a NULL buffer. */
  if (len == 0)
    return crc;
  return (guint32)crc32_z (crc, data, (z_size_t)len);
}

static PhiliaArray *
read_stored (PhiliaNpz    *npz,
             Member       *m,
             ReadContext  *ctx,
             GError      **error)
{
  const guint8 *data = npz->data + m->data_offset;
  NpyHeader hdr;
  gsize need;
  g_autoptr(PhiliaArray) array = NULL;
  guint32 crc = 0;

  if (!parse_npy_header (data, m->uncomp_size, m->uncomp_size, &hdr, &need,
                         npz->display_name, m->name, error))
    {
      if (error != NULL && *error == NULL)
        set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                   "is truncated inside its .npy header.");
      return NULL;
    }
  array = array_new_for_header (&hdr, npz->display_name, m->name, error);
  if (array == NULL)
    return NULL;

  crc = crc_update (crc, data, hdr.header_len);
  for (guint64 done = 0; done < hdr.payload_size;)
    {
      guint64 n = MIN (hdr.payload_size - done, INFLATE_CHUNK);

      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        return NULL;
      memcpy ((guint8 *)array->data + done, data + hdr.header_len + done, n);
      crc = crc_update (crc, data + hdr.header_len + done, n);
      done += n;
      if (ctx->report != NULL)
        ctx->report (ctx->user_data, hdr.header_len + done);
    }
  if (!check_crc (npz, m, crc, error))
    return NULL;
  if (!fix_order (array, &hdr, npz->display_name, m->name, error))
    return NULL;
  return g_steal_pointer (&array);
}

static PhiliaArray *
read_deflated (PhiliaNpz    *npz,
               Member       *m,
               ReadContext  *ctx,
               GError      **error)
{
  z_stream zs = { 0 };
  g_autoptr(PhiliaArray) array = NULL;
  g_autofree guint8 *head = NULL;
  gsize head_len = 0;
  NpyHeader hdr;
  gsize need = 16;
  guint32 crc = 0;
  guint64 done = 0;
  int ret = Z_OK;
  gboolean ended = FALSE;

  /* zlib's avail_in is 32-bit; a member is fed in slices. */
  const guint8 *in = npz->data + m->data_offset;
  guint64 in_left = m->comp_size;

  if (inflateInit2 (&zs, -15) != Z_OK)
    {
      set_error (error, PHILIA_ERROR_FAILED, npz->display_name, m->name,
                 "cannot be decompressed (zlib failed to start).");
      return NULL;
    }

#define FEED()                                                          \
  G_STMT_START {                                                        \
    if (zs.avail_in == 0 && in_left > 0)                                \
      {                                                                 \
        uInt slice = (uInt)MIN (in_left, (guint64)(1u << 30));          \
        zs.next_in = (Bytef *)in;                                       \
        zs.avail_in = slice;                                            \
        in += slice;                                                    \
        in_left -= slice;                                               \
      }                                                                 \
  } G_STMT_END

  /* First the .npy header, which is tiny, into a scratch buffer. */
  head = g_malloc (MIN (m->uncomp_size, (guint64)need) + 1);
  for (;;)
    {
      gsize want = (gsize)MIN ((guint64)need, m->uncomp_size);

      if (want > head_len)
        {
          head = g_realloc (head, want);
          while (head_len < want)
            {
              uInt before;

              if (ended)
                goto truncated;
              FEED ();
              zs.next_out = head + head_len;
              zs.avail_out = (uInt)(want - head_len);
              before = zs.avail_out;
              ret = inflate (&zs, Z_NO_FLUSH);
              head_len += before - zs.avail_out;
              if (ret == Z_STREAM_END)
                ended = TRUE;
              else if (ret == Z_BUF_ERROR && zs.avail_in == 0 && in_left == 0)
                goto truncated;
              else if (ret != Z_OK && ret != Z_BUF_ERROR)
                goto inflate_error;
            }
        }
      if (parse_npy_header (head, head_len, m->uncomp_size, &hdr, &need,
                            npz->display_name, m->name, error))
        break;
      if (need == 0)
        goto fail;
      if (need <= head_len)
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                     "is truncated inside its .npy header.");
          goto fail;
        }
    }

  array = array_new_for_header (&hdr, npz->display_name, m->name, error);
  if (array == NULL)
    goto fail;

  /* Bytes already inflated past the header belong to the payload. */
  crc = crc_update (0, head, head_len);
  if (head_len > hdr.header_len)
    {
      done = head_len - hdr.header_len;
      memcpy (array->data, head + hdr.header_len, done);
    }

  while (done < hdr.payload_size)
    {
      gsize n = (gsize)MIN (hdr.payload_size - done, (guint64)INFLATE_CHUNK);
      guint8 *dst = (guint8 *)array->data + done;
      gsize got = 0;

      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        goto fail;
      if (ended)
        goto truncated;
      while (got < n)
        {
          uInt avail_before;

          FEED ();
          zs.next_out = dst + got;
          zs.avail_out = (uInt)(n - got);
          avail_before = zs.avail_out;
          ret = inflate (&zs, Z_NO_FLUSH);
          got += avail_before - zs.avail_out;
          if (ret == Z_STREAM_END)
            {
              ended = TRUE;
              break;
            }
          if (ret == Z_BUF_ERROR && zs.avail_in == 0 && in_left == 0)
            goto truncated;
          if (ret != Z_OK && ret != Z_BUF_ERROR)
            goto inflate_error;
        }
      crc = crc_update (crc, dst, got);
      done += got;
      if (got < n && ended)
        goto truncated;
      if (ctx->report != NULL)
        ctx->report (ctx->user_data, hdr.header_len + done);
    }

  /* The stream must end exactly here, with no input left over. */
  while (!ended)
    {
      guint8 extra;

      FEED ();
      zs.next_out = &extra;
      zs.avail_out = 1;
      ret = inflate (&zs, Z_NO_FLUSH);
      if (zs.avail_out == 0)
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                     "holds more data than its zip header says (%" G_GUINT64_FORMAT
                     " bytes).", m->uncomp_size);
          goto fail;
        }
      if (ret == Z_STREAM_END)
        ended = TRUE;
      else if (ret == Z_BUF_ERROR && zs.avail_in == 0 && in_left == 0)
        goto truncated;
      else if (ret != Z_OK && ret != Z_BUF_ERROR)
        goto inflate_error;
    }
  if (zs.avail_in != 0 || in_left != 0)
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                 "has %" G_GUINT64_FORMAT " bytes of data after the end of its compressed "
                 "stream.", (guint64)zs.avail_in + in_left);
      goto fail;
    }
  if (!check_crc (npz, m, crc, error))
    goto fail;
  inflateEnd (&zs);
  if (!fix_order (array, &hdr, npz->display_name, m->name, error))
    return NULL;
  return g_steal_pointer (&array);

#undef FEED

truncated:
  set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
             "is truncated (expected %" G_GUINT64_FORMAT " bytes, found %" G_GUINT64_FORMAT ").",
             m->uncomp_size, (guint64)zs.total_out);
  goto fail;

inflate_error:
  set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
             "has corrupt compressed data (%s).",
             zs.msg != NULL ? zs.msg : "zlib error");
fail:
  inflateEnd (&zs);
  return NULL;
}

static PhiliaArray *
read_array (PhiliaNpz    *npz,
            const char   *name,
            ReadContext  *ctx,
            GError      **error)
{
  Member *m = find_member (npz, name);

  if (m == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   "%s: the member “%s.npy” is missing.", npz->display_name, name);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
    return NULL;
  if (m->method == METHOD_STORED)
    return read_stored (npz, m, ctx, error);
  return read_deflated (npz, m, ctx, error);
}

/**
 * philia_npz_read_array:
 * @name: the member without ".npy"
 *
 * Inflates, checks (CRC-32, sizes, .npy header versus shape) and returns one
 * member, converted to C order. Nothing the size of the payload is
 * allocated before the header has been validated. O(member size).
 */
PhiliaArray *
philia_npz_read_array (PhiliaNpz     *npz,
                       const char    *name,
                       GCancellable  *cancellable,
                       GError       **error)
{
  ReadContext ctx = { cancellable, NULL, NULL };

  g_return_val_if_fail (npz != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return read_array (npz, name, &ctx, error);
}

/**
 * _philia_npz_read_array_full:
 * @report: (nullable): called after each chunk with the bytes of this member done
 *
 * philia_npz_read_array() with progress reports.
 */
PhiliaArray *
_philia_npz_read_array_full (PhiliaNpz     *npz,
                             const char    *name,
                             GCancellable  *cancellable,
                             PhiliaNpzReport report,
                             gpointer       user_data,
                             GError       **error)
{
  ReadContext ctx = { cancellable, report, user_data };

  g_return_val_if_fail (npz != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return read_array (npz, name, &ctx, error);
}

/* }}} */
/* {{{ Writing */

static void
put16 (guint8 *p,
       guint16 v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

static void
put32 (guint8 *p,
       guint32 v)
{
  put16 (p, v & 0xffff);
  put16 (p + 2, v >> 16);
}

static void
put64 (guint8 *p,
       guint64 v)
{
  put32 (p, (guint32)v);
  put32 (p + 4, (guint32)(v >> 32));
}

/* A numpy 1.0 header, padded with spaces so that the data start on a 64-byte
 * boundary, as numpy does. */
static GByteArray *
make_npy_header (const PhiliaArray *array)
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
                            dtype_to_descr (array->dtype));
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

typedef struct
{
  char    *name;
  guint32  crc;
  guint64  comp_size;
  guint64  uncomp_size;
  guint64  offset;
} WrittenMember;

static void
written_member_free (WrittenMember *w)
{
  g_free (w->name);
  g_free (w);
}

static gboolean
write_all (GOutputStream  *out,
           const void     *data,
           gsize           len,
           guint64        *offset,
           GError        **error)
{
  if (!g_output_stream_write_all (out, data, len, NULL, NULL, error))
    return FALSE;
  *offset += len;
  return TRUE;
}

/* Deflates header + payload into one buffer (raw deflate, level 6 as
 * numpy's savez_compressed). */
static guint8 *
deflate_member (const guint8  *header,
                gsize          header_len,
                const guint8  *payload,
                gsize          payload_len,
                gsize         *out_len,
                guint32       *crc)
{
  z_stream zs = { 0 };
  gsize cap;
  guint8 *buf;
  const guint8 *parts[2] = { header, payload };
  gsize lens[2] = { header_len, payload_len };
  int ret;

  ret = deflateInit2 (&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  g_assert (ret == Z_OK);
  cap = deflateBound (&zs, (uLong)MIN (header_len + payload_len, (gsize)G_MAXULONG)) + 64;
  buf = g_malloc (cap);
  zs.next_out = buf;
  *crc = 0;
  for (guint p = 0; p < 2; p++)
    {
      const guint8 *in = parts[p];
      gsize left = lens[p];

      *crc = crc_update (*crc, in, left);
      do
        {
          uInt slice = (uInt)MIN (left, (gsize)(1u << 30));
          gboolean last = p == 1 && slice == left;

          zs.next_in = (Bytef *)in;
          zs.avail_in = slice;
          do
            {
              gsize used = (gsize)(zs.next_out - buf);

              if (cap - used < 4096)
                {
                  cap *= 2;
                  buf = g_realloc (buf, cap);
                  zs.next_out = buf + used;
                }
              zs.avail_out = (uInt)MIN (cap - used, (gsize)(1u << 30));
              ret = deflate (&zs, last ? Z_FINISH : Z_NO_FLUSH);
              g_assert (ret != Z_STREAM_ERROR);
            }
          while (zs.avail_in > 0 || (last && ret != Z_STREAM_END));
          in += slice;
          left -= slice;
        }
      while (left > 0);
    }
  *out_len = (gsize)(zs.next_out - buf);
  deflateEnd (&zs);
  return buf;
}

/**
 * philia_npz_write:
 * @path: the file to (atomically) replace
 *
 * Writes the arrays as deflated .npy 1.0 members that numpy.load() reads.
 * Members that need it get zip64 fields. O(total size).
 */
gboolean
philia_npz_write (const char   *path,
                  const char  **names,
                  PhiliaArray **arrays,
                  GError      **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) fout = NULL;
  g_autoptr(GPtrArray) written = NULL;
  g_autofree char *display_name = NULL;
  GOutputStream *out;
  guint64 offset = 0, cd_start, cd_size;
  guint n = 0;
  g_autoptr(GError) local_error = NULL;
  gboolean need_zip64_end;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (names != NULL, FALSE);
  g_return_val_if_fail (arrays != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (n = 0; names[n] != NULL; n++)
    {
      g_return_val_if_fail (arrays[n] != NULL, FALSE);
      g_return_val_if_fail (dtype_to_descr (arrays[n]->dtype) != NULL
                            || (arrays[n]->dtype == PHILIA_DTYPE_UNICODE
                                && arrays[n]->itemsize % 4 == 0 && arrays[n]->itemsize > 0),
                            FALSE);
      g_return_val_if_fail (arrays[n]->ndim <= PHILIA_NPY_MAX_DIMS, FALSE);
    }
  g_return_val_if_fail (arrays[n] == NULL, FALSE);

  file = g_file_new_for_path (path);
  display_name = g_file_get_basename (file);
  fout = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &local_error);
  if (fout == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, "%s: cannot be written: %s.",
                   display_name, local_error->message);
      return FALSE;
    }
  out = G_OUTPUT_STREAM (fout);
  written = g_ptr_array_new_with_free_func ((GDestroyNotify)written_member_free);

  for (guint i = 0; i < n; i++)
    {
      const PhiliaArray *a = arrays[i];
      g_autoptr(GByteArray) header = make_npy_header (a);
      g_autofree guint8 *comp = NULL;
      g_autofree char *member_name = g_strconcat (names[i], ".npy", NULL);
      gsize comp_len;
      gsize payload = (gsize)a->n_elements * (a->dtype == PHILIA_DTYPE_UNICODE
                                              ? a->itemsize : philia_dtype_get_size (a->dtype));
      guint8 local[LOCAL_SIZE + 20];
      gsize name_len = strlen (member_name);
      WrittenMember *w = g_new0 (WrittenMember, 1);
      gboolean zip64;

      g_ptr_array_add (written, w);
      comp = deflate_member (header->data, header->len, a->data, payload, &comp_len, &w->crc);
      w->name = g_strdup (member_name);
      w->comp_size = comp_len;
      w->uncomp_size = header->len + payload;
      w->offset = offset;
      zip64 = w->comp_size >= 0xffffffffu || w->uncomp_size >= 0xffffffffu;

      put32 (local, SIG_LOCAL);
      put16 (local + 4, zip64 ? 45 : 20);
      put16 (local + 6, 0);
      put16 (local + 8, METHOD_DEFLATED);
      put16 (local + 10, 0);             /* 00:00 */
      put16 (local + 12, (0 << 9) | (1 << 5) | 1);  /* 1980-01-01: reproducible */
      put32 (local + 14, w->crc);
      put32 (local + 18, zip64 ? 0xffffffffu : (guint32)w->comp_size);
      put32 (local + 22, zip64 ? 0xffffffffu : (guint32)w->uncomp_size);
      put16 (local + 26, (guint16)name_len);
      put16 (local + 28, zip64 ? 20 : 0);
      if (zip64)
        {
          put16 (local + 30, 0x0001);
          put16 (local + 32, 16);
          put64 (local + 34, w->uncomp_size);
          put64 (local + 42, w->comp_size);
        }
      if (!write_all (out, local, LOCAL_SIZE, &offset, &local_error) ||
          !write_all (out, member_name, name_len, &offset, &local_error) ||
          (zip64 && !write_all (out, local + 30, 20, &offset, &local_error)) ||
          !write_all (out, comp, comp_len, &offset, &local_error))
        goto io_error;
    }

  cd_start = offset;
  for (guint i = 0; i < written->len; i++)
    {
      WrittenMember *w = g_ptr_array_index (written, i);
      guint8 h[CENTRAL_SIZE];
      guint8 extra[28];
      gsize extra_len = 0;
      gsize name_len = strlen (w->name);
      gboolean big_u = w->uncomp_size >= 0xffffffffu;
      gboolean big_c = w->comp_size >= 0xffffffffu;
      gboolean big_o = w->offset >= 0xffffffffu;

      if (big_u || big_c || big_o)
        {
          put16 (extra, 0x0001);
          extra_len = 4;
          if (big_u)
            put64 (extra + (extra_len += 8) - 8, w->uncomp_size);
          if (big_c)
            put64 (extra + (extra_len += 8) - 8, w->comp_size);
          if (big_o)
            put64 (extra + (extra_len += 8) - 8, w->offset);
          put16 (extra + 2, (guint16)(extra_len - 4));
        }
      put32 (h, SIG_CENTRAL);
      put16 (h + 4, extra_len ? 45 : 20);
      put16 (h + 6, extra_len ? 45 : 20);
      put16 (h + 8, 0);
      put16 (h + 10, METHOD_DEFLATED);
      put16 (h + 12, 0);
      put16 (h + 14, (1 << 5) | 1);
      put32 (h + 16, w->crc);
      put32 (h + 20, big_c ? 0xffffffffu : (guint32)w->comp_size);
      put32 (h + 24, big_u ? 0xffffffffu : (guint32)w->uncomp_size);
      put16 (h + 28, (guint16)name_len);
      put16 (h + 30, (guint16)extra_len);
      put16 (h + 32, 0);
      put16 (h + 34, 0);
      put16 (h + 36, 0);
      put32 (h + 38, 0644u << 16);
      put32 (h + 42, big_o ? 0xffffffffu : (guint32)w->offset);
      if (!write_all (out, h, CENTRAL_SIZE, &offset, &local_error) ||
          !write_all (out, w->name, name_len, &offset, &local_error) ||
          !write_all (out, extra, extra_len, &offset, &local_error))
        goto io_error;
    }
  cd_size = offset - cd_start;

  need_zip64_end = n >= 0xffff || cd_start >= 0xffffffffu || cd_size >= 0xffffffffu;
  if (need_zip64_end)
    {
      guint8 rec[EOCD64_SIZE + EOCD64_LOC_SIZE];
      guint64 rec_offset = offset;

      put32 (rec, SIG_EOCD64);
      put64 (rec + 4, EOCD64_SIZE - 12);
      put16 (rec + 12, 45);
      put16 (rec + 14, 45);
      put32 (rec + 16, 0);
      put32 (rec + 20, 0);
      put64 (rec + 24, n);
      put64 (rec + 32, n);
      put64 (rec + 40, cd_size);
      put64 (rec + 48, cd_start);
      put32 (rec + 56, SIG_EOCD64_LOC);
      put32 (rec + 60, 0);
      put64 (rec + 64, rec_offset);
      put32 (rec + 72, 1);
      if (!write_all (out, rec, sizeof rec, &offset, &local_error))
        goto io_error;
    }

  {
    guint8 eocd[EOCD_SIZE];

    put32 (eocd, SIG_EOCD);
    put16 (eocd + 4, 0);
    put16 (eocd + 6, 0);
    put16 (eocd + 8, need_zip64_end ? 0xffff : (guint16)n);
    put16 (eocd + 10, need_zip64_end ? 0xffff : (guint16)n);
    put32 (eocd + 12, need_zip64_end ? 0xffffffffu : (guint32)cd_size);
    put32 (eocd + 16, need_zip64_end ? 0xffffffffu : (guint32)cd_start);
    put16 (eocd + 20, 0);
    if (!write_all (out, eocd, EOCD_SIZE, &offset, &local_error))
      goto io_error;
  }

  if (!g_output_stream_close (out, NULL, &local_error))
    goto io_error;
  return TRUE;

io_error:
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, "%s: cannot be written: %s.",
               display_name, local_error->message);
  return FALSE;
}

/* }}} */
