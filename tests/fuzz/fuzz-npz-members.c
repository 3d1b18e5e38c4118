/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: the .npy members of a dataset, zipped here with correct
 * CRC-32s and sizes, then loaded by philia_graph_load_bytes(). A mutated .npz
 * almost never keeps its CRC-32 right, so fuzz-npz stops at the checksum; this
 * target reaches what lies behind it: inflating, .npy headers, Fortran order,
 * shapes against N, labels, masks and class names.
 *
 * Input: one flag byte (bit k set: member k is deflated, else stored), then
 * the members in the order of member_names[], separated by SEPARATOR; a
 * missing or empty member is left out of the archive.
 * tests/fuzz/make-npz-member-seeds.py writes seeds in this form.
 */
/* memmem(), which libFuzzer also watches to learn SEPARATOR. */
#define _GNU_SOURCE
#include "fuzz-common.h"

#include <zlib.h>

#define SEPARATOR "<<member>>"

static const char * const member_names[] = {
  "node_features.npy", "node_labels.npy", "edges.npy",
  "train_masks.npy", "val_masks.npy", "test_masks.npy", "class_names.npy", "node_names.npy",
};

static void
put16 (GByteArray *out,
       guint       v)
{
  guint8 b[2] = { v & 0xff, (v >> 8) & 0xff };

  g_byte_array_append (out, b, 2);
}

static void
put32 (GByteArray *out,
       guint32     v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };

  g_byte_array_append (out, b, 4);
}

/* Raw deflate (no zlib header), as zip members hold it. */
static GByteArray *
deflate_raw (const guint8 *data,
             gsize         size)
{
  GByteArray *out = g_byte_array_new ();
  z_stream zs = { 0 };
  guint8 chunk[4096];
  int ret;

  if (deflateInit2 (&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    abort ();
  zs.next_in = (Bytef *)data;
  zs.avail_in = (uInt)size;
  do
    {
      zs.next_out = chunk;
      zs.avail_out = sizeof chunk;
      ret = deflate (&zs, Z_FINISH);
      g_byte_array_append (out, chunk, sizeof chunk - zs.avail_out);
    }
  while (ret == Z_OK);
  if (ret != Z_STREAM_END)
    abort ();
  deflateEnd (&zs);
  return out;
}

typedef struct
{
  const char *name;
  guint32     crc;
  guint32     comp_size;
  guint32     size;
  guint       method;
  guint32     offset;
} Entry;

static void
put_header (GByteArray  *out,
            const Entry *e,
            gboolean     central)
{
  put32 (out, central ? 0x02014b50 : 0x04034b50);
  if (central)
    put16 (out, 20);            /* made by */
  put16 (out, 20);              /* needed */
  put16 (out, 0);               /* flags */
  put16 (out, e->method);
  put16 (out, 0);               /* time */
  put16 (out, 0x21);            /* date: 1980-01-01 */
  put32 (out, e->crc);
  put32 (out, e->comp_size);
  put32 (out, e->size);
  put16 (out, strlen (e->name));
  put16 (out, 0);               /* extra */
  if (central)
    {
      put16 (out, 0);           /* comment */
      put16 (out, 0);           /* disk */
      put16 (out, 0);           /* internal attributes */
      put32 (out, 0);           /* external attributes */
      put32 (out, e->offset);
    }
  g_byte_array_append (out, (const guint8 *)e->name, strlen (e->name));
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GByteArray) zip = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  Entry entries[G_N_ELEMENTS (member_names)];
  guint n_entries = 0;
  const guint8 *p, *end;
  guint32 directory, directory_size;
  guint flags;

  if (size < 1)
    return 0;
  flags = data[0];
  p = data + 1;
  end = data + size;

  for (guint k = 0; k < G_N_ELEMENTS (member_names) && p <= end; k++)
    {
      const guint8 *stop = memmem (p, end - p, SEPARATOR, strlen (SEPARATOR));
      gsize len = (stop != NULL ? stop : end) - p;
      Entry *e = &entries[n_entries];

      if (len > 0)
        {
          g_autoptr(GByteArray) packed = NULL;

          e->name = member_names[k];
          e->size = (guint32)len;
          e->crc = (guint32)crc32 (0, p, (uInt)len);
          e->method = (flags >> k) & 1 ? 8 : 0;
          e->offset = zip->len;
          if (e->method == 8)
            packed = deflate_raw (p, len);
          e->comp_size = packed != NULL ? packed->len : (guint32)len;
          put_header (zip, e, FALSE);
          if (packed != NULL)
            g_byte_array_append (zip, packed->data, packed->len);
          else
            g_byte_array_append (zip, p, len);
          n_entries++;
        }
      if (stop == NULL)
        break;
      p = stop + strlen (SEPARATOR);
    }

  directory = zip->len;
  for (guint i = 0; i < n_entries; i++)
    put_header (zip, &entries[i], TRUE);
  directory_size = zip->len - directory;
  put32 (zip, 0x06054b50);
  put16 (zip, 0);
  put16 (zip, 0);
  put16 (zip, n_entries);
  put16 (zip, n_entries);
  put32 (zip, directory_size);
  put32 (zip, directory);
  put16 (zip, 0);

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&zip));
  graph = philia_graph_load_bytes (bytes, "graph.npz", PHILIA_FORMAT_NPZ, NULL, NULL, &error);
  if (graph == NULL)
    fuzz_check_refusal (error, "graph.npz");
  else
    fuzz_use_graph (graph, "graph.npz");
  return 0;
}
