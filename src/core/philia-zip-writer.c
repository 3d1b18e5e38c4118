/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "philia-npz.h"

#include "philia-zip-private.h"

/*
 * Writing zip archives: .npz files numpy.load() reads, and project files.
 * Members are written one after the other, then the central directory; zip64
 * fields where a size or offset needs them.
 */

/* {{{ Writing */

typedef struct
{
  char    *name;
  guint16  method;
  guint16  flags;
  guint32  crc;
  guint64  comp_size;
  guint64  uncomp_size;
  guint64  offset;
} WrittenMember;

struct _PhiliaZipWriter
{
  GOutputStream *out;
  char          *display_name;
  GPtrArray     *written;
  guint64        offset;
  /* The member being streamed (_philia_zip_writer_begin()), or NULL. */
  WrittenMember *open;
  z_stream       zs;
  guint8        *zbuf;
};

static void
written_member_free (WrittenMember *w)
{
  g_free (w->name);
  g_free (w);
}

static gboolean
write_all (PhiliaZipWriter  *writer,
           const void       *data,
           gsize             len,
           GCancellable     *cancellable,
           GError          **error)
{
  g_autoptr(GError) local_error = NULL;

  if (len > 0 && !g_output_stream_write_all (writer->out, data, len, NULL, cancellable,
                                             &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, _ ("%s: cannot be written: %s."),
                     writer->display_name, local_error->message);
      return FALSE;
    }
  writer->offset += len;
  return TRUE;
}

/* Deflates header + payload into one buffer (raw deflate at @level; .npz
 * files use 6, as numpy's savez_compressed). */
static guint8 *
deflate_member (const guint8  *header,
                gsize          header_len,
                const guint8  *payload,
                gsize          payload_len,
                int            level,
                gsize         *out_len,
                guint32       *crc)
{
  z_stream zs = { 0 };
  gsize cap;
  guint8 *buf;
  const guint8 *parts[2] = { header, payload };
  gsize lens[2] = { header_len, payload_len };
  int ret;

  ret = deflateInit2 (&zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
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
          /* An empty part may be NULL, and NULL + 0 is undefined. */
          if (slice > 0)
            in += slice;
          left -= slice;
        }
      while (left > 0);
    }
  *out_len = (gsize)(zs.next_out - buf);
  deflateEnd (&zs);
  return buf;
}

PhiliaZipWriter *
_philia_zip_writer_new (GOutputStream *out,
                        const char    *display_name)
{
  PhiliaZipWriter *writer = g_new0 (PhiliaZipWriter, 1);

  writer->out = g_object_ref (out);
  writer->display_name = g_strdup (display_name);
  writer->written = g_ptr_array_new_with_free_func ((GDestroyNotify)written_member_free);
  return writer;
}

void
_philia_zip_writer_free (PhiliaZipWriter *writer)
{
  if (writer == NULL)
    return;
  if (writer->zbuf != NULL)
    deflateEnd (&writer->zs);
  g_free (writer->zbuf);
  g_object_unref (writer->out);
  g_ptr_array_unref (writer->written);
  g_free (writer->display_name);
  g_free (writer);
}

/**
 * _philia_zip_writer_add:
 *
 * Writes one member (local header, name, zip64 extra if needed, data).
 * O(@head_len + @data_len).
 */
gboolean
_philia_zip_writer_add (PhiliaZipWriter  *writer,
                        const char       *name,
                        const guint8     *head,
                        gsize             head_len,
                        const guint8     *data,
                        gsize             data_len,
                        int               level,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autofree guint8 *comp = NULL;
  const guint8 *stored = NULL;
  gsize comp_len;
  guint8 local[LOCAL_SIZE + 20];
  gsize name_len = strlen (name);
  WrittenMember *w;
  gboolean zip64;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (name_len > 0 && name_len <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (level >= 0 && level <= 9, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  w = g_new0 (WrittenMember, 1);
  g_ptr_array_add (writer->written, w);
  w->name = g_strdup (name);
  if (level > 0)
    {
      w->method = METHOD_DEFLATED;
      comp = deflate_member (head, head_len, data, data_len, level, &comp_len, &w->crc);
    }
  else
    {
      w->method = METHOD_STORED;
      stored = data;
      comp_len = head_len + data_len;
      w->crc = crc_update (crc_update (0, head, head_len), data, data_len);
    }
  w->comp_size = comp_len;
  w->uncomp_size = head_len + data_len;
  w->offset = writer->offset;
  zip64 = w->comp_size >= 0xffffffffu || w->uncomp_size >= 0xffffffffu;

  put32 (local, SIG_LOCAL);
  put16 (local + 4, zip64 ? 45 : 20);
  put16 (local + 6, 0);
  put16 (local + 8, w->method);
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
  return write_all (writer, local, LOCAL_SIZE, cancellable, error) &&
         write_all (writer, name, name_len, cancellable, error) &&
         (!zip64 || write_all (writer, local + 30, 20, cancellable, error)) &&
         (comp != NULL ? write_all (writer, comp, comp_len, cancellable, error)
                       : (write_all (writer, head, head_len, cancellable, error) &&
                          write_all (writer, stored, data_len, cancellable, error)));
}

gboolean
_philia_zip_writer_add_array (PhiliaZipWriter    *writer,
                              const char         *name,
                              const PhiliaArray  *array,
                              int                 level,
                              GCancellable       *cancellable,
                              GError            **error)
{
  g_autoptr(GByteArray) header = _philia_npy_make_header (array);
  g_autofree char *member_name = g_strconcat (name, ".npy", NULL);
  gsize payload = (gsize)array->n_elements * (array->dtype == PHILIA_DTYPE_UNICODE
                                              ? array->itemsize
                                              : philia_dtype_get_size (array->dtype));

  return _philia_zip_writer_add (writer, member_name, header->data, header->len,
                                 array->data, payload, level, cancellable, error);
}

/* {{{ Streamed members */

#define ZBUF_SIZE (1u << 20)

/**
 * _philia_zip_writer_begin:
 *
 * Starts a member whose data come in pieces (_philia_zip_writer_write()),
 * for data too large to hold: its sizes and CRC-32 follow the data in a
 * zip64 data descriptor, since they are known only at the end. @level as
 * _philia_zip_writer_add(). O(1).
 */
gboolean
_philia_zip_writer_begin (PhiliaZipWriter  *writer,
                          const char       *name,
                          int               level,
                          GCancellable     *cancellable,
                          GError          **error)
{
  guint8 local[LOCAL_SIZE + 20];
  gsize name_len = strlen (name);
  WrittenMember *w;

  g_return_val_if_fail (writer != NULL && writer->open == NULL, FALSE);
  g_return_val_if_fail (name_len > 0 && name_len <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (level >= 0 && level <= 9, FALSE);

  w = g_new0 (WrittenMember, 1);
  g_ptr_array_add (writer->written, w);
  w->name = g_strdup (name);
  w->method = level > 0 ? METHOD_DEFLATED : METHOD_STORED;
  w->flags = FLAG_DATA_DESCRIPTOR;
  w->offset = writer->offset;
  writer->open = w;
  if (level > 0)
    {
      int ret = deflateInit2 (&writer->zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);

      g_assert (ret == Z_OK);
      writer->zbuf = g_malloc (ZBUF_SIZE);
    }

  put32 (local, SIG_LOCAL);
  put16 (local + 4, 45);
  put16 (local + 6, FLAG_DATA_DESCRIPTOR);
  put16 (local + 8, w->method);
  put16 (local + 10, 0);
  put16 (local + 12, (0 << 9) | (1 << 5) | 1);
  put32 (local + 14, 0);
  put32 (local + 18, 0xffffffffu);
  put32 (local + 22, 0xffffffffu);
  put16 (local + 26, (guint16)name_len);
  put16 (local + 28, 20);
  put16 (local + 30, 0x0001);
  put16 (local + 32, 16);
  put64 (local + 34, 0);
  put64 (local + 42, 0);
  return write_all (writer, local, LOCAL_SIZE, cancellable, error) &&
         write_all (writer, name, name_len, cancellable, error) &&
         write_all (writer, local + 30, 20, cancellable, error);
}

static gboolean
deflate_some (PhiliaZipWriter  *writer,
              int               flush,
              GCancellable     *cancellable,
              GError          **error)
{
  int ret;

  do
    {
      gsize have;

      writer->zs.next_out = writer->zbuf;
      writer->zs.avail_out = ZBUF_SIZE;
      ret = deflate (&writer->zs, flush);
      g_assert (ret != Z_STREAM_ERROR);
      have = ZBUF_SIZE - writer->zs.avail_out;
      writer->open->comp_size += have;
      if (!write_all (writer, writer->zbuf, have, cancellable, error))
        return FALSE;
    }
  while (writer->zs.avail_out == 0 || (flush == Z_FINISH && ret != Z_STREAM_END));
  return TRUE;
}

/* The next @len bytes of the member begun last. O(@len). */
gboolean
_philia_zip_writer_write (PhiliaZipWriter  *writer,
                          const guint8     *data,
                          gsize             len,
                          GCancellable     *cancellable,
                          GError          **error)
{
  WrittenMember *w;

  g_return_val_if_fail (writer != NULL && writer->open != NULL, FALSE);

  w = writer->open;
  w->crc = crc_update (w->crc, data, len);
  w->uncomp_size += len;
  if (w->method == METHOD_STORED)
    {
      w->comp_size += len;
      return write_all (writer, data, len, cancellable, error);
    }
  while (len > 0)
    {
      uInt slice = (uInt)MIN (len, (gsize)(1u << 30));

      writer->zs.next_in = (Bytef *)data;
      writer->zs.avail_in = slice;
      if (!deflate_some (writer, Z_NO_FLUSH, cancellable, error))
        return FALSE;
      data += slice;
      len -= slice;
    }
  return TRUE;
}

/* Ends the member begun last with its data descriptor. */
gboolean
_philia_zip_writer_end (PhiliaZipWriter  *writer,
                        GCancellable     *cancellable,
                        GError          **error)
{
  WrittenMember *w;
  guint8 desc[24];

  g_return_val_if_fail (writer != NULL && writer->open != NULL, FALSE);

  w = writer->open;
  if (w->method == METHOD_DEFLATED)
    {
      writer->zs.next_in = NULL;
      writer->zs.avail_in = 0;
      if (!deflate_some (writer, Z_FINISH, cancellable, error))
        return FALSE;
      deflateEnd (&writer->zs);
      g_clear_pointer (&writer->zbuf, g_free);
    }
  writer->open = NULL;
  put32 (desc, SIG_DESCRIPTOR);
  put32 (desc + 4, w->crc);
  put64 (desc + 8, w->comp_size);
  put64 (desc + 16, w->uncomp_size);
  return write_all (writer, desc, sizeof desc, cancellable, error);
}

/* }}} */

/**
 * _philia_zip_writer_finish:
 *
 * Writes the central directory and the end records (zip64 ones when needed);
 * the stream stays open. O(members).
 */
gboolean
_philia_zip_writer_finish (PhiliaZipWriter  *writer,
                           GCancellable     *cancellable,
                           GError          **error)
{
  guint64 cd_start, cd_size;
  guint n;
  gboolean need_zip64_end;

  g_return_val_if_fail (writer != NULL, FALSE);

  n = writer->written->len;
  cd_start = writer->offset;
  for (guint i = 0; i < writer->written->len; i++)
    {
      WrittenMember *w = g_ptr_array_index (writer->written, i);
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
      put16 (h + 8, w->flags);
      put16 (h + 10, w->method);
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
      if (!write_all (writer, h, CENTRAL_SIZE, cancellable, error) ||
          !write_all (writer, w->name, name_len, cancellable, error) ||
          !write_all (writer, extra, extra_len, cancellable, error))
        return FALSE;
    }
  cd_size = writer->offset - cd_start;

  need_zip64_end = n >= 0xffff || cd_start >= 0xffffffffu || cd_size >= 0xffffffffu;
  if (need_zip64_end)
    {
      guint8 rec[EOCD64_SIZE + EOCD64_LOC_SIZE];
      guint64 rec_offset = writer->offset;

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
      if (!write_all (writer, rec, sizeof rec, cancellable, error))
        return FALSE;
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
    if (!write_all (writer, eocd, EOCD_SIZE, cancellable, error))
      return FALSE;
  }
  return TRUE;
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
  g_autoptr(PhiliaZipWriter) writer = NULL;
  g_autofree char *display_name = NULL;
  guint n = 0;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (names != NULL, FALSE);
  g_return_val_if_fail (arrays != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (n = 0; names[n] != NULL; n++)
    {
      g_return_val_if_fail (arrays[n] != NULL, FALSE);
      g_return_val_if_fail (_philia_dtype_to_descr (arrays[n]->dtype) != NULL
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
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, _ ("%s: cannot be written: %s."),
                   display_name, local_error->message);
      return FALSE;
    }
  writer = _philia_zip_writer_new (G_OUTPUT_STREAM (fout), display_name);

  for (guint i = 0; i < n; i++)
    if (!_philia_zip_writer_add_array (writer, names[i], arrays[i], 6, NULL, error))
      return FALSE;
  if (!_philia_zip_writer_finish (writer, NULL, error))
    return FALSE;

  if (!g_output_stream_close (G_OUTPUT_STREAM (fout), NULL, &local_error))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, _ ("%s: cannot be written: %s."),
                   display_name, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* }}} */
