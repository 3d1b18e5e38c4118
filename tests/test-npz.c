/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The .npz reader: .npy headers from hand-made bytes, zip containers from
 * fixtures written by numpy/zipfile (tests/data/make-bad-files.py), a
 * write/read round trip (checked by numpy too when PHILIA_PYTHON is set), and
 * every shared dataset against facts computed independently with numpy and
 * scipy (tests/data/dataset-facts.py → tests/dataset-facts.h).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "philia-core.h"
#include "dataset-facts.h"

/* {{{ Helpers */

/* A .npy blob: magic, version, header length, @dict padded like numpy, payload. */
static GBytes *
make_npy (guint         major,
          const char   *dict,
          const void   *payload,
          gsize         payload_len)
{
  GByteArray *out = g_byte_array_new ();
  g_autoptr(GString) text = g_string_new (dict);
  gsize prefix = major == 1 ? 10 : 12;
  guint8 head[12] = { 0x93, 'N', 'U', 'M', 'P', 'Y', (guint8)major, 0 };

  while ((prefix + text->len + 1) % 64 != 0)
    g_string_append_c (text, ' ');
  g_string_append_c (text, '\n');
  if (major == 1)
    {
      head[8] = text->len & 0xff;
      head[9] = (text->len >> 8) & 0xff;
    }
  else
    {
      head[8] = text->len & 0xff;
      head[9] = (text->len >> 8) & 0xff;
      head[10] = (text->len >> 16) & 0xff;
      head[11] = (text->len >> 24) & 0xff;
    }
  g_byte_array_append (out, head, prefix);
  g_byte_array_append (out, (const guint8 *)text->str, text->len);
  if (payload_len > 0)
    g_byte_array_append (out, payload, payload_len);
  return g_byte_array_free_to_bytes (out);
}

static PhiliaArray *
parse_bytes (GBytes  *bytes,
             GError **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return philia_npy_parse (data, len, "test.npy", error);
}

static void
assert_one_sentence (const GError *error,
                     const char   *name)
{
  gsize len = strlen (error->message);

  g_test_message ("%s", error->message);
  g_assert_cmpuint (len, >, 1);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_cmpint (error->message[len - 1], ==, '.');
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (name != NULL && strstr (error->message, name) == NULL)
    g_error ("“%s” does not name %s", error->message, name);
}

static GBytes *
read_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "npz", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static PhiliaNpz *
open_fixture (const char *name)
{
  g_autoptr(GBytes) bytes = read_fixture (name);
  g_autoptr(GError) error = NULL;
  PhiliaNpz *npz = philia_npz_new_from_bytes (bytes, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (npz);
  return npz;
}

static double
element (const PhiliaArray *a,
         gsize              i)
{
  switch (a->dtype)
    {
    case PHILIA_DTYPE_BOOL:
    case PHILIA_DTYPE_UINT8:   return ((const guint8 *)a->data)[i];
    case PHILIA_DTYPE_INT8:    return ((const gint8 *)a->data)[i];
    case PHILIA_DTYPE_INT16:   return ((const gint16 *)a->data)[i];
    case PHILIA_DTYPE_INT32:   return ((const gint32 *)a->data)[i];
    case PHILIA_DTYPE_INT64:   return (double)((const gint64 *)a->data)[i];
    case PHILIA_DTYPE_UINT16:  return ((const guint16 *)a->data)[i];
    case PHILIA_DTYPE_UINT32:  return ((const guint32 *)a->data)[i];
    case PHILIA_DTYPE_UINT64:  return (double)((const guint64 *)a->data)[i];
    case PHILIA_DTYPE_FLOAT32: return ((const float *)a->data)[i];
    case PHILIA_DTYPE_FLOAT64: return ((const double *)a->data)[i];
    default:                   g_assert_not_reached ();
    }
  return 0;
}

/* }}} */
/* {{{ .npy headers from hand-made bytes */

static void
test_npy_dtypes (void)
{
  static const struct { const char *descr; PhiliaDtype dtype; } cases[] = {
    { "<f4", PHILIA_DTYPE_FLOAT32 }, { "=f4", PHILIA_DTYPE_FLOAT32 },
    { "<f8", PHILIA_DTYPE_FLOAT64 }, { "=f8", PHILIA_DTYPE_FLOAT64 },
    { "<i8", PHILIA_DTYPE_INT64 },   { "=i8", PHILIA_DTYPE_INT64 },
    { "<i4", PHILIA_DTYPE_INT32 },   { "<i2", PHILIA_DTYPE_INT16 },
    { "|i1", PHILIA_DTYPE_INT8 },    { "<i1", PHILIA_DTYPE_INT8 },
    { "|u1", PHILIA_DTYPE_UINT8 },   { ">u1", PHILIA_DTYPE_UINT8 },
    { "<u2", PHILIA_DTYPE_UINT16 },  { "<u4", PHILIA_DTYPE_UINT32 },
    { "<u8", PHILIA_DTYPE_UINT64 },  { "|b1", PHILIA_DTYPE_BOOL },
  };
  guint8 payload[3 * 8];

  for (guint i = 0; i < sizeof payload; i++)
    payload[i] = (guint8)(i % 2);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dict = g_strdup_printf ("{'descr': '%s', 'fortran_order': False, "
                                               "'shape': (3,), }", cases[i].descr);
      gsize size = philia_dtype_get_size (cases[i].dtype);
      g_autoptr(GBytes) bytes = make_npy (1, dict, payload, 3 * size);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaArray) a = parse_bytes (bytes, &error);

      g_assert_no_error (error);
      g_assert_cmpint (a->dtype, ==, cases[i].dtype);
      g_assert_cmpuint (a->ndim, ==, 1);
      g_assert_cmpint (a->shape[0], ==, 3);
      g_assert_cmpint (a->n_elements, ==, 3);
      g_assert_cmpmem (a->data, 3 * size, payload, 3 * size);
      g_assert_cmpstr (philia_dtype_to_string (a->dtype), !=, "unknown");
    }
}

static void
test_npy_refused_dtypes (void)
{
  static const struct { const char *descr; const char *words; } cases[] = {
    { "'>f8'", "big-endian" },  { "'>i8'", "big-endian" },  { "'!i4'", "big-endian" },
    { "'|O'", "Python objects" }, { "'>U5'", "text" },     { "'|S3'", "text" },
    { "'<f2'", "float32" },     { "'<c16'", "float32" },   { "'|i4'", "float32" },
    { "[('u', '<i8'), ('v', '<i8')]", "structured" },     { "'|V8'", "raw records" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dict = g_strdup_printf ("{'descr': %s, 'fortran_order': False, "
                                               "'shape': (1,), }", cases[i].descr);
      g_autoptr(GBytes) bytes = make_npy (1, dict, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaArray) a = parse_bytes (bytes, &error);

      g_assert_null (a);
      g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED);
      assert_one_sentence (error, "test.npy");
      g_assert_nonnull (strstr (error->message, cases[i].words));
    }
}

/* numpy's str arrays ('<U n', UTF-32LE) are read as text, e.g. class names. */
static void
test_npy_unicode (void)
{
  static const gunichar chars[2 * 3] = { 'a', 0xe9, 'z',   0x4e2d, 0, 0 };   /* "aéz", "中" */
  g_autoptr(GBytes) bytes = make_npy (1, "{'descr': '<U3', 'fortran_order': False, "
                                         "'shape': (2,), }", chars, sizeof chars);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaArray) a = parse_bytes (bytes, &error);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (a->dtype, ==, PHILIA_DTYPE_UNICODE);
  g_assert_cmpuint (a->itemsize, ==, 12);
  first = philia_array_dup_string (a, 0);
  second = philia_array_dup_string (a, 1);
  g_assert_cmpstr (first, ==, "a\xc3\xa9z");
  g_assert_cmpstr (second, ==, "\xe4\xb8\xad");
}

static void
test_npy_versions (void)
{
  const gint32 values[4] = { 1, -2, 3, -4 };

  for (guint major = 1; major <= 3; major++)
    {
      g_autoptr(GBytes) bytes = make_npy (major, "{'shape': (2, 2), 'descr': '<i4', "
                                          "'fortran_order': False}", values, sizeof values);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaArray) a = parse_bytes (bytes, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (a->ndim, ==, 2);
      g_assert_cmpmem (a->data, sizeof values, values, sizeof values);
    }
}

static void
test_npy_shapes (void)
{
  const double v = 4.25;
  struct { const char *shape; guint ndim; gint64 n; gsize bytes; } cases[] = {
    { "()", 0, 1, 8 },           { "(1,)", 1, 1, 8 },        { "(0,)", 1, 0, 0 },
    { "(0, 2)", 2, 0, 0 },       { "(5, 0)", 2, 0, 0 },      { "(1, 1, 1)", 3, 1, 8 },
    { "( 1 , )", 1, 1, 8 },      { "(1L,)", 1, 1, 8 },
    { "(1, 1, 1, 1, 1, 1, 1, 1)", 8, 1, 8 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dict = g_strdup_printf ("{'descr': '<f8', 'fortran_order': False, "
                                               "'shape': %s, }", cases[i].shape);
      g_autoptr(GBytes) bytes = make_npy (1, dict, &v, cases[i].bytes);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaArray) a = parse_bytes (bytes, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (a->ndim, ==, cases[i].ndim);
      g_assert_cmpint (a->n_elements, ==, cases[i].n);
      g_assert_nonnull (a->data);
      if (cases[i].n == 1)
        g_assert_cmpfloat (((double *)a->data)[0], ==, v);
    }
}

static void
test_npy_fortran (void)
{
  /* numpy.asfortranarray([[0, 1, 2], [3, 4, 5]]) is stored column by column. */
  const gint16 stored[6] = { 0, 3, 1, 4, 2, 5 };
  const gint16 c_order[6] = { 0, 1, 2, 3, 4, 5 };
  g_autoptr(GBytes) bytes = make_npy (1, "{'descr': '<i2', 'fortran_order': True, "
                                      "'shape': (2, 3), }", stored, sizeof stored);
  g_autoptr(GBytes) cube = make_npy (1, "{'descr': '<i2', 'fortran_order': True, "
                                     "'shape': (1, 2, 3), }", stored, sizeof stored);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaArray) a = parse_bytes (bytes, &error);
  g_autoptr(PhiliaArray) b = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (a->shape[0], ==, 2);
  g_assert_cmpint (a->shape[1], ==, 3);
  g_assert_cmpmem (a->data, sizeof c_order, c_order, sizeof c_order);

  b = parse_bytes (cube, &error);
  g_assert_null (b);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED);
  assert_one_sentence (error, "test.npy");
  g_assert_nonnull (strstr (error->message, "Fortran order"));
}

static void
test_npy_bad_headers (void)
{
  static const struct { const char *dict; gsize payload; PhiliaError code; const char *words; }
  cases[] = {
    { "{'descr': '<f8', 'shape': (1,)}", 8, PHILIA_ERROR_FORMAT, "fortran_order" },
    { "{'descr': '<f8', 'fortran_order': False}", 8, PHILIA_ERROR_FORMAT, "shape" },
    { "{'fortran_order': False, 'shape': (1,)}", 8, PHILIA_ERROR_FORMAT, "descr" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", 8,
      PHILIA_ERROR_FORMAT, "unexpected key" },
    { "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", 8,
      PHILIA_ERROR_FORMAT, "unexpected key" },
    { "{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}", 8, PHILIA_ERROR_FORMAT, "parsed" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (1)}", 8, PHILIA_ERROR_FORMAT,
      "parsed" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': [1]}", 8, PHILIA_ERROR_FORMAT,
      "parsed" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)} x", 8, PHILIA_ERROR_FORMAT,
      "parsed" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)", 8, PHILIA_ERROR_FORMAT,
      "parsed" },
    { "{'descr': '<f8", 8, PHILIA_ERROR_FORMAT, "parsed" },
    { "", 8, PHILIA_ERROR_FORMAT, "parsed" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}", 8, PHILIA_ERROR_FORMAT,
      "negative" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}", 8,
      PHILIA_ERROR_FORMAT, "too large" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", 8,
      PHILIA_ERROR_FORMAT, "64 bits" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,)}", 8,
      PHILIA_ERROR_FORMAT, "64 bits" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1)}", 8,
      PHILIA_ERROR_UNSUPPORTED, "dimensions" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (2,)}", 8, PHILIA_ERROR_FORMAT,
      "truncated" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", 9, PHILIA_ERROR_FORMAT,
      "need 8" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': ()}", 0, PHILIA_ERROR_FORMAT,
      "truncated" },
  };
  const guint8 zeros[16] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = make_npy (1, cases[i].dict, zeros, cases[i].payload);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaArray) a = parse_bytes (bytes, &error);

      g_assert_null (a);
      if (error->code != (int)cases[i].code || strstr (error->message, cases[i].words) == NULL)
        g_error ("case %u: %s", i, error->message);
      assert_one_sentence (error, "test.npy");
    }
}

static void
test_npy_bad_prefix (void)
{
  const double v = 1;
  g_autoptr(GBytes) good = make_npy (1, "{'descr': '<f8', 'fortran_order': False, "
                                     "'shape': (1,)}", &v, sizeof v);
  gsize len;
  const guint8 *data = g_bytes_get_data (good, &len);
  g_autofree guint8 *copy = g_memdup2 (data, len);

  /* Every truncation is an error, never a crash or a misread. */
  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaArray) a = philia_npy_parse (data, cut, "cut.npy", &error);

      g_assert_null (a);
      g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT);
      assert_one_sentence (error, "cut.npy");
    }

  /* Bad magic, unknown version, header length past the end. */
  for (guint k = 0; k < 3; k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaArray) a = NULL;

      memcpy (copy, data, len);
      if (k == 0)
        copy[1] = 'n';
      else if (k == 1)
        copy[6] = 9;
      else
        copy[8] = 0xff;
      a = philia_npy_parse (copy, len, "bad.npy", &error);
      g_assert_null (a);
      g_assert_nonnull (error);
      assert_one_sentence (error, "bad.npy");
      g_assert_cmpint (error->code, ==, k == 1 ? PHILIA_ERROR_UNSUPPORTED : PHILIA_ERROR_FORMAT);
    }
}

/* }}} */
/* {{{ Zip containers (fixtures) */

static void
check_dtype_member (PhiliaNpz  *npz,
                    const char *name,
                    PhiliaDtype dtype)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaArray) a = philia_npz_read_array (npz, name, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (a->dtype, ==, dtype);
  g_assert_cmpuint (a->ndim, ==, 2);
  g_assert_cmpint (a->shape[0], ==, 2);
  g_assert_cmpint (a->shape[1], ==, 3);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpfloat (element (a, i), ==, dtype == PHILIA_DTYPE_BOOL ? i % 2 : i);
}

static void
test_zip_dtypes (gconstpointer data)
{
  const char *fixture = data;
  g_autoptr(PhiliaNpz) npz = open_fixture (fixture);
  static const struct { const char *name; PhiliaDtype dtype; } members[] = {
    { "b1", PHILIA_DTYPE_BOOL },    { "u1", PHILIA_DTYPE_UINT8 },  { "i1", PHILIA_DTYPE_INT8 },
    { "i2", PHILIA_DTYPE_INT16 },   { "i4", PHILIA_DTYPE_INT32 },  { "i8", PHILIA_DTYPE_INT64 },
    { "u2", PHILIA_DTYPE_UINT16 },  { "u4", PHILIA_DTYPE_UINT32 }, { "u8", PHILIA_DTYPE_UINT64 },
    { "f4", PHILIA_DTYPE_FLOAT32 }, { "f8", PHILIA_DTYPE_FLOAT64 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaArray) missing = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_assert_true (philia_npz_has_member (npz, members[i].name));
      check_dtype_member (npz, members[i].name, members[i].dtype);
    }
  g_assert_false (philia_npz_has_member (npz, "f2"));
  g_assert_false (philia_npz_has_member (npz, "f4.npy"));

  missing = philia_npz_read_array (npz, "nothing", NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND);
  assert_one_sentence (error, fixture);
}

static void
test_zip_shapes (void)
{
  g_autoptr(PhiliaNpz) npz = open_fixture ("shapes.npz");
  static const struct { const char *name; guint ndim; gint64 shape[3]; } cases[] = {
    { "scalar", 0, { 0 } },     { "vector", 1, { 4 } },        { "empty", 1, { 0 } },
    { "no_rows", 2, { 0, 2 } }, { "no_cols", 2, { 5, 0 } },    { "cube", 3, { 2, 3, 4 } },
    { "fortran", 2, { 2, 3 } }, { "fortran_vector", 1, { 3 } }, { "v2", 2, { 2, 3 } },
    { "v3", 2, { 2, 3 } },      { "native", 2, { 2, 3 } },     { "double_quotes", 2, { 2, 3 } },
    { "big_v2_header", 2, { 2, 3 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaArray) a = philia_npz_read_array (npz, cases[i].name, NULL, &error);
      gint64 n = 1;

      g_assert_no_error (error);
      g_assert_cmpuint (a->ndim, ==, cases[i].ndim);
      for (guint d = 0; d < a->ndim; d++)
        {
          g_assert_cmpint (a->shape[d], ==, cases[i].shape[d]);
          n *= a->shape[d];
        }
      g_assert_cmpint (a->n_elements, ==, n);
      g_assert_nonnull (a->data);

      if (strcmp (cases[i].name, "scalar") == 0)
        g_assert_cmpfloat (element (a, 0), ==, 2.5);
      else if (a->ndim == 2 && a->shape[0] == 2)
        for (guint k = 0; k < 6; k++)   /* [[0, 1, 2], [3, 4, 5]] in C order */
          g_assert_cmpfloat (element (a, k), ==, k);
      else if (a->n_elements > 0)
        for (gint64 k = 0; k < a->n_elements; k++)
          g_assert_cmpfloat (element (a, k), ==, k);
    }
}

static void
test_zip_cancel (void)
{
  g_autoptr(PhiliaNpz) npz = open_fixture ("dtypes-deflated.npz");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaArray) a = NULL;

  g_cancellable_cancel (cancellable);
  a = philia_npz_read_array (npz, "f8", cancellable, &error);
  g_assert_null (a);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Every prefix and every single-byte corruption of a small archive is either
 * read or refused with a proper error: never a crash, a hang or a misread
 * (CRC-32 catches changed payload bytes). */
static void
test_zip_mangled (void)
{
  g_autoptr(GBytes) original = read_fixture ("tiny-graph.npz");
  gsize len;
  const guint8 *data = g_bytes_get_data (original, &len);
  g_autofree guint8 *copy = g_malloc (len);
  const char *members[] = { "edges", "node_labels", "node_features", "train_masks" };

  for (gsize step = 0; step < 2 * len; step++)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaNpz) npz = NULL;

      memcpy (copy, data, len);
      if (step < len)
        bytes = g_bytes_new (copy, step);
      else
        {
          copy[step - len] ^= 0x5a;
          bytes = g_bytes_new (copy, len);
        }
      /* The whole reader and builder too. */
        {
          g_autoptr(GError) graph_error = NULL;
          g_autoptr(PhiliaGraph) graph = philia_graph_load_bytes (bytes, "mangled.npz",
                                                                  PHILIA_FORMAT_NPZ, NULL,
                                                                  NULL, &graph_error);

          if (graph == NULL)
            {
              g_assert_true (graph_error->domain == PHILIA_ERROR);
              assert_one_sentence (graph_error, "mangled.npz");
            }
        }

      npz = philia_npz_new_from_bytes (bytes, "mangled.npz", &error);
      if (npz == NULL)
        {
          g_assert_nonnull (error);
          assert_one_sentence (error, "mangled.npz");
          continue;
        }
      for (guint m = 0; m < G_N_ELEMENTS (members); m++)
        {
          g_autoptr(GError) member_error = NULL;
          g_autoptr(PhiliaArray) a = NULL;

          if (!philia_npz_has_member (npz, members[m]))
            continue;
          a = philia_npz_read_array (npz, members[m], NULL, &member_error);
          if (a == NULL)
            {
              g_assert_true (member_error->domain == PHILIA_ERROR);
              assert_one_sentence (member_error, "mangled.npz");
            }
        }
    }
}

static void
test_zip_not_zip (void)
{
  const char *inputs[] = { "", "PK", "hello world, this is not an archive at all\n",
                           "PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0" };
  gsize lens[] = { 0, 2, 43, 22 };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (inputs[i], lens[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaNpz) npz = philia_npz_new_from_bytes (bytes, "x.npz", &error);

      if (i == 3)
        {
          /* An empty archive is a valid zip with no members. */
          g_assert_no_error (error);
          g_assert_false (philia_npz_has_member (npz, "edges"));
          continue;
        }
      g_assert_null (npz);
      g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT);
      assert_one_sentence (error, "x.npz");
    }
}

/* }}} */
/* {{{ Writing */

static PhiliaArray *
array_new (PhiliaDtype dtype,
           guint       ndim,
           ...)
{
  PhiliaArray *a = g_new0 (PhiliaArray, 1);
  gsize size = philia_dtype_get_size (dtype);
  va_list args;

  a->dtype = dtype;
  a->ndim = ndim;
  a->n_elements = 1;
  va_start (args, ndim);
  for (guint i = 0; i < ndim; i++)
    {
      a->shape[i] = va_arg (args, int);
      a->n_elements *= a->shape[i];
    }
  va_end (args);
  a->data = g_malloc0 (MAX (a->n_elements * size, 1));
  for (gint64 i = 0; i < a->n_elements; i++)
    {
      /* Values that every dtype holds exactly, with negatives where signed. */
      gint64 v = dtype == PHILIA_DTYPE_BOOL ? (i % 3 == 0) : (i * 7) % 100;
      guint8 *p = (guint8 *)a->data + i * size;

      switch (dtype)
        {
        case PHILIA_DTYPE_BOOL:
        case PHILIA_DTYPE_UINT8:   *p = (guint8)v; break;
        case PHILIA_DTYPE_INT8:    *(gint8 *)p = (gint8)-v; break;
        case PHILIA_DTYPE_INT16:   *(gint16 *)p = (gint16)(-v * 300); break;
        case PHILIA_DTYPE_INT32:   *(gint32 *)p = (gint32)(-v * 100000); break;
        case PHILIA_DTYPE_INT64:   *(gint64 *)p = -v * G_GINT64_CONSTANT (10000000000); break;
        case PHILIA_DTYPE_UINT16:  *(guint16 *)p = (guint16)(v * 600); break;
        case PHILIA_DTYPE_UINT32:  *(guint32 *)p = (guint32)(v * 40000000); break;
        case PHILIA_DTYPE_UINT64:  *(guint64 *)p = (guint64)v << 57; break;
        case PHILIA_DTYPE_FLOAT32: *(float *)p = (float)v / 8.0f; break;
        case PHILIA_DTYPE_FLOAT64: *(double *)p = (double)v / 3.0; break;
        default: g_assert_not_reached ();
        }
    }
  return a;
}

static void
test_write_round_trip (void)
{
  const char *names[] = { "b", "u1", "i1", "i2", "i4", "i8", "u2", "u4", "u8", "f4", "f8",
                          "scalar", "empty", "no_cols", "cube", NULL };
  PhiliaArray *arrays[G_N_ELEMENTS (names)];
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-npz-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(PhiliaNpz) npz = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize len = 0;
  const char *python;

  g_assert_no_error (error);
  path = g_build_filename (dir, "round-trip.npz", NULL);
  arrays[0] = array_new (PHILIA_DTYPE_BOOL, 2, 3, 5);
  arrays[1] = array_new (PHILIA_DTYPE_UINT8, 1, 7);
  arrays[2] = array_new (PHILIA_DTYPE_INT8, 1, 7);
  arrays[3] = array_new (PHILIA_DTYPE_INT16, 2, 2, 9);
  arrays[4] = array_new (PHILIA_DTYPE_INT32, 1, 11);
  arrays[5] = array_new (PHILIA_DTYPE_INT64, 2, 13, 2);
  arrays[6] = array_new (PHILIA_DTYPE_UINT16, 1, 5);
  arrays[7] = array_new (PHILIA_DTYPE_UINT32, 1, 5);
  arrays[8] = array_new (PHILIA_DTYPE_UINT64, 1, 5);
  arrays[9] = array_new (PHILIA_DTYPE_FLOAT32, 2, 100, 33);
  arrays[10] = array_new (PHILIA_DTYPE_FLOAT64, 2, 4, 4);
  arrays[11] = array_new (PHILIA_DTYPE_FLOAT64, 0);
  arrays[12] = array_new (PHILIA_DTYPE_FLOAT32, 1, 0);
  arrays[13] = array_new (PHILIA_DTYPE_INT64, 2, 6, 0);
  arrays[14] = array_new (PHILIA_DTYPE_UINT8, 3, 2, 3, 4);
  arrays[15] = NULL;

  g_assert_true (philia_npz_write (path, names, arrays, &error));
  g_assert_no_error (error);

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new_take (contents, len);
  npz = philia_npz_new_from_bytes (bytes, "round-trip.npz", &error);
  g_assert_no_error (error);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(PhiliaArray) back = philia_npz_read_array (npz, names[i], NULL, &error);
      gsize size = (gsize)arrays[i]->n_elements * philia_dtype_get_size (arrays[i]->dtype);

      g_assert_no_error (error);
      g_assert_cmpint (back->dtype, ==, arrays[i]->dtype);
      g_assert_cmpuint (back->ndim, ==, arrays[i]->ndim);
      g_assert_cmpmem (back->shape, sizeof (gint64) * back->ndim,
                       arrays[i]->shape, sizeof (gint64) * arrays[i]->ndim);
      g_assert_cmpmem (back->data, size, arrays[i]->data, size);
    }

  /* numpy must read the file, with the same dtypes, shapes and values. */
  python = g_getenv ("PHILIA_PYTHON");
  if (python != NULL && *python != '\0')
    {
      g_autofree char *script = g_test_build_filename (G_TEST_DIST, "data",
                                                       "check-round-trip.py", NULL);
      const char *argv[] = { python, script, path, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = 0;

      g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                    &status, &error);
      g_assert_no_error (error);
      g_test_message ("numpy: %s%s", out, err);
      g_spawn_check_wait_status (status, &error);
      g_assert_no_error (error);
    }
  else
    g_test_message ("PHILIA_PYTHON is not set: numpy does not check the written file");

  for (guint i = 0; names[i] != NULL; i++)
    philia_array_free (arrays[i]);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_write_error (void)
{
  const char *names[] = { "a", NULL };
  g_autoptr(PhiliaArray) a = array_new (PHILIA_DTYPE_INT32, 1, 3);
  PhiliaArray *arrays[] = { a, NULL };
  g_autoptr(GError) error = NULL;

  g_assert_false (philia_npz_write ("/nonexistent-philia-dir/x.npz", names, arrays, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_IO);
  assert_one_sentence (error, "x.npz");
}

/* }}} */
/* {{{ Graphs */

static void
test_tiny_graph (gconstpointer data)
{
  const char *fixture = data;
  g_autoptr(GBytes) bytes = read_fixture (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  const gint32 labels[5] = { 0, 1, -1, 1, 0 };
  const float *x;
  gint64 n_train, n_val, n_test;

  graph = philia_graph_load_bytes (bytes, fixture, PHILIA_FORMAT_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, 5);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 4);
  g_assert_cmpuint (philia_graph_get_n_features (graph), ==, 2);
  x = philia_graph_get_features (graph);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpfloat (x[i], ==, (float)i);
  g_assert_cmpmem (philia_graph_get_labels (graph), sizeof labels, labels, sizeof labels);
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 2);
  g_assert_cmpuint (philia_graph_get_n_labeled (graph), ==, 4);
  g_assert_cmpuint (philia_graph_get_n_splits (graph), ==, 1);
  philia_graph_get_split_sizes (graph, 0, &n_train, &n_val, &n_test);
  g_assert_cmpint (n_train, ==, 1);
  g_assert_cmpint (n_val, ==, 1);
  g_assert_cmpint (n_test, ==, 2);
  g_assert_cmpint (philia_graph_get_degree (graph, 2), ==, 2);
  g_assert_cmpint (philia_graph_get_degree (graph, 4), ==, 1);
  g_assert_cmpint (philia_graph_get_sanity_report (graph)->components, ==, 2);
}

static void
test_dataset (gconstpointer data)
{
  const DatasetFacts *facts = data;
  const char *dir = g_getenv ("PHILIA_SHARED_DATASETS");
  g_autofree char *file_name = g_strconcat (facts->name, ".npz", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaProgress) progress = philia_progress_new ();
  const PhiliaSanityReport *report;
  const gint64 *offsets;
  const gint32 *neighbors;
  const gint32 *labels;
  const float *x;
  guint n, f;
  double sum = 0, wsum = 0;
  gint64 label_sum = 0;
  guint64 edge_sum = 0;
  gint64 half = 0;

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("PHILIA_SHARED_DATASETS is not a folder");
      return;
    }
  path = g_build_filename (dir, file_name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("dataset file is missing");
      return;
    }

  file = g_file_new_for_path (path);
  graph = philia_graph_load (file, NULL, progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (philia_progress_get_fraction (progress), ==, 1.0);

  n = philia_graph_get_n_nodes (graph);
  f = philia_graph_get_n_features (graph);
  g_assert_cmpuint (n, ==, facts->n_nodes);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, facts->n_edges);
  g_assert_cmpuint (f, ==, facts->n_features);
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, facts->n_classes);
  g_assert_cmpuint (philia_graph_get_n_labeled (graph), ==, facts->n_labeled);
  g_assert_cmpuint (philia_graph_get_n_splits (graph), ==, facts->n_splits);
  for (guint s = 0; s < facts->n_splits; s++)
    {
      gint64 sizes[3];

      philia_graph_get_split_sizes (graph, s, &sizes[0], &sizes[1], &sizes[2]);
      for (guint part = 0; part < 3; part++)
        g_assert_cmpint (sizes[part], ==, facts->splits[s][part]);
    }
  g_assert_cmpmem (philia_graph_get_class_sizes (graph), sizeof (gint64) * facts->n_classes,
                   facts->class_sizes, sizeof (gint64) * facts->n_classes);

  report = philia_graph_get_sanity_report (graph);
  g_assert_cmpint (report->isolated_nodes, ==, facts->isolated_nodes);
  g_assert_cmpint (report->components, ==, facts->components);
  g_assert_cmpint (report->largest_component, ==, facts->largest_component);

  /* Checksums that catch a transposed, shifted or truncated read. */
  x = philia_graph_get_features (graph);
  g_assert_true (f == 0 || x != NULL);
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < f; j++)
      {
        double v = x[i * f + j];

        sum += v;
        wsum += v * (double)((i * 31 + j * 17) % 101);
      }
  g_assert_cmpfloat_with_epsilon (sum, facts->feature_sum, 1e-6 * MAX (1, fabs (sum)));
  g_assert_cmpfloat_with_epsilon (wsum, facts->feature_wsum, 1e-6 * MAX (1, fabs (wsum)));

  labels = philia_graph_get_labels (graph);
  for (guint i = 0; i < n; i++)
    label_sum += labels[i];
  g_assert_cmpint (label_sum, ==, facts->label_sum);

  offsets = philia_graph_get_row_offsets (graph);
  neighbors = philia_graph_get_neighbors (graph);
  g_assert_cmpint (offsets[0], ==, 0);
  g_assert_cmpint (offsets[n], ==, 2 * facts->n_edges);
  for (guint u = 0; u < n; u++)
    for (gint64 k = offsets[u]; k < offsets[u + 1]; k++)
      {
        gint32 v = neighbors[k];

        g_assert_cmpint (v, >=, 0);
        g_assert_cmpint (v, <, (gint64)n);
        g_assert_cmpint (v, !=, (gint64)u);
        if ((guint)v > u)
          {
            edge_sum = (edge_sum + 7 * (guint64)u + 13 * (guint64)v) % DATASET_FACTS_EDGE_MOD;
            half++;
          }
      }
  g_assert_cmpint (half, ==, facts->n_edges);
  g_assert_cmpuint (edge_sum, ==, facts->edge_sum);
  g_assert_cmpstr (philia_graph_get_format (graph), ==, "npz");
}

/* }}} */

/* An array of @dtype holding @values (given as doubles) in shape [d0] or [d0, d1]. */
static PhiliaArray *
array_of (PhiliaDtype   dtype,
          gint64        d0,
          gint64        d1,
          const double *values)
{
  PhiliaArray *a = g_new0 (PhiliaArray, 1);
  gsize size = philia_dtype_get_size (dtype);

  a->dtype = dtype;
  a->ndim = d1 < 0 ? 1 : 2;
  a->shape[0] = d0;
  a->shape[1] = MAX (d1, 0);
  a->n_elements = d1 < 0 ? d0 : d0 * d1;
  a->data = g_malloc0 (MAX (a->n_elements * size, 1));
  for (gint64 i = 0; i < a->n_elements; i++)
    switch (dtype)
      {
      case PHILIA_DTYPE_INT32:   ((gint32 *)a->data)[i] = (gint32)values[i]; break;
      case PHILIA_DTYPE_INT64:   ((gint64 *)a->data)[i] = (gint64)values[i]; break;
      case PHILIA_DTYPE_FLOAT32: ((float *)a->data)[i] = (float)values[i]; break;
      case PHILIA_DTYPE_FLOAT64: ((double *)a->data)[i] = values[i]; break;
      default: g_assert_not_reached ();
      }
  return a;
}

/* The bundled dataset's way in: bytes on a worker, with the same result as
 * the synchronous call, errors naming the display name, and cancellation. */
static void
bytes_loaded (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static PhiliaGraph *
load_bytes_async (GBytes          *bytes,
                  const char      *name,
                  PhiliaProgress  *progress,
                  GCancellable    *cancellable,
                  GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  philia_graph_load_bytes_async (bytes, name, PHILIA_FORMAT_AUTO, progress, cancellable,
                                 bytes_loaded, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return philia_graph_load_finish (result, error);
}

static void
test_bytes_async (void)
{
  g_autoptr(GBytes) bytes = read_fixture ("tiny-graph.npz");
  g_autoptr(GBytes) half = g_bytes_new_from_bytes (bytes, 0, g_bytes_get_size (bytes) / 2);
  g_autoptr(PhiliaProgress) progress = philia_progress_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PhiliaGraph) sync = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;

  sync = philia_graph_load_bytes (bytes, "tiny (bundled)", PHILIA_FORMAT_AUTO, NULL, NULL,
                                  &error);
  g_assert_no_error (error);
  graph = load_bytes_async (bytes, "tiny (bundled)", progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (philia_graph_get_source (graph), ==, "tiny (bundled)");
  g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, philia_graph_get_n_nodes (sync));
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, philia_graph_get_n_edges (sync));
  g_assert_cmpmem (philia_graph_get_labels (graph), 5 * sizeof (gint32),
                   philia_graph_get_labels (sync), 5 * sizeof (gint32));
  g_assert_cmpfloat (philia_progress_get_fraction (progress), ==, 1.0);
  g_clear_object (&graph);

  graph = load_bytes_async (half, "half.npz", NULL, NULL, &error);
  g_assert_null (graph);
  g_assert_true (error != NULL && error->domain == PHILIA_ERROR);
  g_assert_true (g_str_has_prefix (error->message, "half.npz"));
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  graph = load_bytes_async (bytes, "tiny (bundled)", NULL, cancellable, &error);
  g_assert_null (graph);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* What src/core/READERS.md says the .npz reader takes besides the canonical
 * dtypes: ids and labels as floats that are whole numbers, integer features,
 * 0/1 integer masks of shape [N] (one split), members it does not know. And
 * what the graph makes of the rows: a self-loop dropped, a reciprocal pair
 * merged, both counted. */
static void
test_lenient_graph (void)
{
  static const double edges[] = { 0, 1,  1, 2,  2, 2,  1, 0 };
  static const double labels[] = { 0, 1, -1 };
  static const double features[] = { 1, 2,  3, 4,  5, 6 };
  static const double train[] = { 1, 0, 0 }, val[] = { 0, 1, 0 }, test[] = { 0, 0, 1 };
  static const double notes[] = { 42 };
  const char *names[] = { "edges", "node_labels", "node_features", "train_masks",
                          "val_masks", "test_masks", "notes", NULL };
  PhiliaArray *arrays[G_N_ELEMENTS (names)] = {
    array_of (PHILIA_DTYPE_FLOAT64, 4, 2, edges),
    array_of (PHILIA_DTYPE_FLOAT32, 3, -1, labels),
    array_of (PHILIA_DTYPE_INT32, 3, 2, features),
    array_of (PHILIA_DTYPE_INT64, 3, -1, train),
    array_of (PHILIA_DTYPE_INT32, 3, -1, val),
    array_of (PHILIA_DTYPE_INT64, 3, -1, test),
    array_of (PHILIA_DTYPE_FLOAT64, 1, -1, notes),
    NULL,
  };
  static const gint32 expected_labels[] = { 0, 1, -1 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-npz-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "lenient.npz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PhiliaGraph) graph = NULL;
  const PhiliaSanityReport *report;
  const float *x;
  gint64 n_train, n_val, n_test;

  g_assert_no_error (error);
  g_assert_true (philia_npz_write (path, names, arrays, &error));
  g_assert_no_error (error);
  for (guint i = 0; arrays[i] != NULL; i++)
    philia_array_free (arrays[i]);

  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, 3);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 2);
  g_assert_cmpmem (philia_graph_get_labels (graph), sizeof expected_labels,
                   expected_labels, sizeof expected_labels);
  g_assert_cmpuint (philia_graph_get_n_features (graph), ==, 2);
  x = philia_graph_get_features (graph);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpfloat (x[i], ==, (float)features[i]);
  g_assert_cmpuint (philia_graph_get_n_splits (graph), ==, 1);
  philia_graph_get_split_sizes (graph, 0, &n_train, &n_val, &n_test);
  g_assert_cmpint (n_train, ==, 1);
  g_assert_cmpint (n_val, ==, 1);
  g_assert_cmpint (n_test, ==, 1);
  report = philia_graph_get_sanity_report (graph);
  g_assert_cmpint (report->input_edges, ==, 4);
  g_assert_cmpint (report->self_loops, ==, 1);
  g_assert_cmpint (report->reciprocal_pairs, ==, 1);
  g_assert_true (report->directed_input);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/Philia/Npz/npy/dtypes", test_npy_dtypes);
  g_test_add_func ("/Philia/Npz/npy/refused-dtypes", test_npy_refused_dtypes);
  g_test_add_func ("/Philia/Npz/npy/unicode", test_npy_unicode);
  g_test_add_func ("/Philia/Npz/npy/versions", test_npy_versions);
  g_test_add_func ("/Philia/Npz/npy/shapes", test_npy_shapes);
  g_test_add_func ("/Philia/Npz/npy/fortran", test_npy_fortran);
  g_test_add_func ("/Philia/Npz/npy/bad-headers", test_npy_bad_headers);
  g_test_add_func ("/Philia/Npz/npy/bad-prefix", test_npy_bad_prefix);

  g_test_add_data_func ("/Philia/Npz/zip/stored", "dtypes-stored.npz", test_zip_dtypes);
  g_test_add_data_func ("/Philia/Npz/zip/deflated", "dtypes-deflated.npz", test_zip_dtypes);
  g_test_add_data_func ("/Philia/Npz/zip/no-zip64", "dtypes-no-zip64.npz", test_zip_dtypes);
  g_test_add_data_func ("/Philia/Npz/zip/zip64-end", "dtypes-zip64-end.npz", test_zip_dtypes);
  g_test_add_data_func ("/Philia/Npz/zip/mixed-with-comment", "dtypes-mixed-comment.npz",
                        test_zip_dtypes);
  g_test_add_func ("/Philia/Npz/zip/shapes", test_zip_shapes);
  g_test_add_func ("/Philia/Npz/zip/cancel", test_zip_cancel);
  g_test_add_func ("/Philia/Npz/zip/mangled", test_zip_mangled);
  g_test_add_func ("/Philia/Npz/zip/not-zip", test_zip_not_zip);

  g_test_add_func ("/Philia/Npz/write/round-trip", test_write_round_trip);
  g_test_add_func ("/Philia/Npz/write/error", test_write_error);

  g_test_add_data_func ("/Philia/Npz/graph/tiny", "tiny-graph.npz", test_tiny_graph);
  g_test_add_data_func ("/Philia/Npz/graph/tiny-stored", "tiny-graph-stored.npz",
                        test_tiny_graph);
  g_test_add_func ("/Philia/Npz/graph/lenient", test_lenient_graph);
  g_test_add_func ("/Philia/Npz/graph/bytes-async", test_bytes_async);
  for (guint i = 0; i < G_N_ELEMENTS (dataset_facts); i++)
    {
      g_autofree char *test_path = g_strconcat ("/Philia/Npz/dataset/", dataset_facts[i].name,
                                                NULL);

      g_test_add_data_func (test_path, &dataset_facts[i], test_dataset);
    }

  return g_test_run ();
}
