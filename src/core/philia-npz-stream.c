/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <sys/mman.h>
#include <unistd.h>

#include "philia-stream-stats.h"
#include "philia-zip-private.h"

/*
 * The rows of an [R, 2] integer member, read in pieces so that a member far
 * larger than memory can be counted: a stored member straight from the
 * mapped archive, a deflated one inflated a chunk at a time. Only what has
 * not been consumed yet is held, so the resident memory of a read is a few
 * chunks however long the member is: the pages of a mapped file already
 * read are handed back to the kernel as the read moves on.
 *
 * A range that starts at row r > 0 of a stored member is reached directly
 * (its byte offset is known); a deflated member has no such offsets, so
 * everything before the range is inflated and thrown away. The CRC-32
 * covers the whole member: it is checked when a read starts at row 0 and
 * reaches the last row, and cannot be checked by a read of one slice.
 */

#define STREAM_CHUNK (1u << 20)

struct _PhiliaRowStream
{
  PhiliaNpzMemberInfo info;
  char        *display_name;
  NpyHeader    hdr;
  gsize        row_bytes;
  guint64      n_rows;
  gboolean     drop_pages;

  /* Uncompressed bytes of the member handed out so far. */
  guint64      done;
  guint32      crc;
  gboolean     crc_from_start;

  /* Deflated members. */
  z_stream     zs;
  gboolean     zs_ready;
  gboolean     ended;
  const guint8 *in;
  guint64      in_left;

  /* Bytes inflated but not yet handed out (past the .npy header). */
  guint8      *pending;
  gsize        pending_len;
  gsize        pending_at;

  guint8      *scratch;
  guint64      row;
  guint64      end_row;
  const guint8 *dropped;   /* pages below this were handed back */
};

void
_philia_row_stream_free (PhiliaRowStream *s)
{
  if (s == NULL)
    return;
  if (s->zs_ready)
    inflateEnd (&s->zs);
  g_free (s->pending);
  g_free (s->scratch);
  g_free (s->display_name);
  g_free (s);
}

/* Hands the mapped pages in [s->dropped, upto) back to the kernel: they are
 * read once, and would otherwise count as resident until the end. */
static void
drop_pages (PhiliaRowStream *s,
            const guint8    *upto)
{
  static gsize page = 0;
  guintptr from, to;

  if (!s->drop_pages)
    return;
  if (page == 0)
    page = (gsize)sysconf (_SC_PAGESIZE);
  from = ((guintptr)s->dropped + page - 1) / page * page;
  to = (guintptr)upto / page * page;
  if (to > from + (STREAM_CHUNK * 8))
    {
      madvise ((void *)from, to - from, MADV_DONTNEED);
      s->dropped = (const guint8 *)to;
    }
}

static void
truncated_error (PhiliaRowStream  *s,
                 GError          **error)
{
  set_error (error, PHILIA_ERROR_FORMAT, s->display_name, s->info.printable_name,
             _ ("is truncated (expected %" PRIu64 " bytes, found %" PRIu64 ")."),
             s->info.uncomp_size, s->done);
}

/* The next @want bytes of the member (exactly; short only with an error). */
static gboolean
pull (PhiliaRowStream  *s,
      guint8           *dst,
      gsize             want,
      GError          **error)
{
  gsize got = 0;

  if (want > s->info.uncomp_size - s->done)
    {
      truncated_error (s, error);
      return FALSE;
    }
  if (s->info.method == METHOD_STORED)
    {
      const guint8 *src = s->info.data + s->done;

      memcpy (dst, src, want);
      s->crc = crc_update (s->crc, src, want);
      s->done += want;
      drop_pages (s, src + want);
      return TRUE;
    }

  if (s->pending_at < s->pending_len)
    {
      got = MIN (want, s->pending_len - s->pending_at);
      memcpy (dst, s->pending + s->pending_at, got);
      s->pending_at += got;
    }
  while (got < want)
    {
      uInt before;
      int ret;

      if (s->ended)
        {
          s->done += got;
          truncated_error (s, error);
          return FALSE;
        }
      if (s->zs.avail_in == 0 && s->in_left > 0)
        {
          uInt slice = (uInt)MIN (s->in_left, (guint64)STREAM_CHUNK);

          drop_pages (s, s->in);
          s->zs.next_in = (Bytef *)s->in;
          s->zs.avail_in = slice;
          s->in += slice;
          s->in_left -= slice;
        }
      s->zs.next_out = dst + got;
      s->zs.avail_out = (uInt)MIN (want - got, (gsize)G_MAXUINT32);
      before = s->zs.avail_out;
      ret = inflate (&s->zs, Z_NO_FLUSH);
      got += before - s->zs.avail_out;
      if (ret == Z_STREAM_END)
        s->ended = TRUE;
      else if (ret == Z_BUF_ERROR && s->zs.avail_in == 0 && s->in_left == 0)
        s->ended = TRUE;
      else if (ret != Z_OK && ret != Z_BUF_ERROR)
        {
          set_error (error, PHILIA_ERROR_FORMAT, s->display_name, s->info.printable_name,
                     _ ("has corrupt compressed data (%s)."),
                     s->zs.msg != NULL ? s->zs.msg : "zlib error");
          return FALSE;
        }
    }
  s->crc = crc_update (s->crc, dst, want);
  s->done += want;
  return TRUE;
}

/* At the end of a whole read: the stream ends here and the CRC-32 agrees. */
static gboolean
check_end (PhiliaRowStream  *s,
           GError          **error)
{
  if (s->info.method == METHOD_DEFLATED)
    {
      while (!s->ended)
        {
          guint8 extra;
          int ret;

          if (s->zs.avail_in == 0 && s->in_left > 0)
            {
              uInt slice = (uInt)MIN (s->in_left, (guint64)STREAM_CHUNK);

              s->zs.next_in = (Bytef *)s->in;
              s->zs.avail_in = slice;
              s->in += slice;
              s->in_left -= slice;
            }
          s->zs.next_out = &extra;
          s->zs.avail_out = 1;
          ret = inflate (&s->zs, Z_NO_FLUSH);
          if (s->zs.avail_out == 0)
            {
              set_error (error, PHILIA_ERROR_FORMAT, s->display_name, s->info.printable_name,
                         _ ("holds more data than its zip header says (%" PRIu64
                            " bytes)."), s->info.uncomp_size);
              return FALSE;
            }
          if (ret == Z_STREAM_END)
            s->ended = TRUE;
          else if (ret == Z_BUF_ERROR && s->zs.avail_in == 0 && s->in_left == 0)
            {
              truncated_error (s, error);
              return FALSE;
            }
          else if (ret != Z_OK && ret != Z_BUF_ERROR)
            {
              set_error (error, PHILIA_ERROR_FORMAT, s->display_name, s->info.printable_name,
                         _ ("has corrupt compressed data (%s)."),
                         s->zs.msg != NULL ? s->zs.msg : "zlib error");
              return FALSE;
            }
        }
      if (s->zs.avail_in != 0 || s->in_left != 0)
        {
          set_error (error, PHILIA_ERROR_FORMAT, s->display_name, s->info.printable_name,
                     _ ("has %" PRIu64 " bytes of data after the end of its compressed "
                        "stream."), (guint64)s->zs.avail_in + s->in_left);
          return FALSE;
        }
    }
  if (s->crc_from_start && s->done == s->info.uncomp_size && s->crc != s->info.crc)
    {
      set_error (error, PHILIA_ERROR_FORMAT, s->display_name, s->info.printable_name,
                 _ ("is corrupt (its CRC-32 is %08x, but the archive says %08x)."),
                 s->crc, s->info.crc);
      return FALSE;
    }
  return TRUE;
}

static gboolean
dtype_is_int (PhiliaDtype dtype)
{
  switch (dtype)
    {
    case PHILIA_DTYPE_INT8: case PHILIA_DTYPE_INT16: case PHILIA_DTYPE_INT32:
    case PHILIA_DTYPE_INT64: case PHILIA_DTYPE_UINT8: case PHILIA_DTYPE_UINT16:
    case PHILIA_DTYPE_UINT32: case PHILIA_DTYPE_UINT64:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Opens member @name and reads its .npy header, whatever its shape. */
static PhiliaRowStream *
open_member (PhiliaNpz   *npz,
             const char  *name,
             gboolean     drop_pages,
             GError     **error)
{
  g_autoptr(PhiliaRowStream) s = g_new0 (PhiliaRowStream, 1);
  g_autofree guint8 *head = NULL;
  gsize head_len = 0, need = 16;

  g_return_val_if_fail (npz != NULL && name != NULL, NULL);

  s->display_name = g_strdup (_philia_npz_get_display_name (npz));
  s->drop_pages = drop_pages;
  s->crc_from_start = TRUE;
  if (!_philia_npz_get_member_info (npz, name, &s->info))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   _ ("%s: the member “%s.npy” is missing."), s->display_name, name);
      return NULL;
    }
  s->dropped = s->info.data;
  if (s->info.method == METHOD_DEFLATED)
    {
      if (inflateInit2 (&s->zs, -15) != Z_OK)
        {
          set_error (error, PHILIA_ERROR_FAILED, s->display_name, s->info.printable_name,
                     _ ("cannot be decompressed (zlib failed to start)."));
          return NULL;
        }
      s->zs_ready = TRUE;
      s->in = s->info.data;
      s->in_left = s->info.comp_size;
    }

  /* The header is read in growing pieces, as the parser asks. */
  for (;;)
    {
      gsize want = (gsize)MIN ((guint64)need, s->info.uncomp_size);

      if (want > head_len)
        {
          head = g_realloc (head, want);
          if (!pull (s, head + head_len, want - head_len, error))
            {
              if (error != NULL && *error != NULL && s->done < 16)
                {
                  g_clear_error (error);
                  set_error (error, PHILIA_ERROR_FORMAT, s->display_name, s->info.printable_name,
                             _ ("is truncated inside its .npy header."));
                }
              return NULL;
            }
          head_len = want;
        }
      if (_philia_npy_parse_header (head, head_len, s->info.uncomp_size, &s->hdr, &need,
                                    s->display_name, s->info.printable_name, error))
        break;
      if (need == 0 || need <= head_len)
        {
          if (error != NULL && *error == NULL)
            set_error (error, PHILIA_ERROR_FORMAT, s->display_name, s->info.printable_name,
                       _ ("is truncated inside its .npy header."));
          return NULL;
        }
    }
  /* Bytes pulled past the header are the first of the payload: a stored
   * member is read again from there, a deflated one keeps them. */
  if (s->info.method == METHOD_STORED)
    {
      s->done = s->hdr.header_len;
      s->crc = crc_update (0, head, s->hdr.header_len);
    }
  else if (head_len > s->hdr.header_len)
    {
      s->pending_len = head_len - s->hdr.header_len;
      s->pending = g_memdup2 (head + s->hdr.header_len, s->pending_len);
    }

  return g_steal_pointer (&s);
}

/**
 * _philia_row_stream_new:
 * @npz: the archive; it must outlive the stream
 * @name: the member without ".npy"
 * @drop_pages: whether the archive is a mapped file whose pages may be
 *   handed back once read (never for bytes in ordinary memory)
 *
 * Opens an [R, 2] integer member and reads its .npy header. O(header).
 */
PhiliaRowStream *
_philia_row_stream_new (PhiliaNpz   *npz,
                        const char  *name,
                        gboolean     drop_pages,
                        GError     **error)
{
  g_autoptr(PhiliaRowStream) s = open_member (npz, name, drop_pages, error);

  if (s == NULL)
    return NULL;
  if (s->hdr.ndim != 2 || s->hdr.shape[1] != 2)
    {
      set_error (error, PHILIA_ERROR_INVALID, s->display_name, s->info.printable_name,
                 _ ("does not have the shape [E, 2] (one row per edge)."));
      return NULL;
    }
  if (!dtype_is_int (s->hdr.dtype))
    {
      set_error (error, PHILIA_ERROR_UNSUPPORTED, s->display_name, s->info.printable_name,
                 _ ("holds %s values; a streamed read takes integer node ids only."),
                 philia_dtype_to_string (s->hdr.dtype));
      return NULL;
    }
  if (s->hdr.fortran_order && s->hdr.shape[0] > 1)
    {
      set_error (error, PHILIA_ERROR_UNSUPPORTED, s->display_name, s->info.printable_name,
                 _ ("is in Fortran order (one column after the other); a streamed read "
                    "takes rows in C order only."));
      return NULL;
    }
  s->row_bytes = 2 * s->hdr.itemsize;
  s->n_rows = (guint64)s->hdr.shape[0];
  s->end_row = s->n_rows;
  s->scratch = g_malloc (STREAM_CHUNK);
  return g_steal_pointer (&s);
}

/**
 * _philia_npz_member_shape:
 * @ndim: (out): the member's number of dimensions
 * @shape: (out): its first two dimensions (1 where it has fewer)
 *
 * Reads only the .npy header of member @name (without ".npy"): what a
 * report says of a member it does not read. O(header).
 */
gboolean
_philia_npz_member_shape (PhiliaNpz   *npz,
                          const char  *name,
                          guint       *ndim,
                          gint64       shape[2],
                          GError     **error)
{
  g_autoptr(PhiliaRowStream) s = open_member (npz, name, FALSE, error);

  if (s == NULL)
    return FALSE;
  *ndim = s->hdr.ndim;
  shape[0] = s->hdr.ndim > 0 ? s->hdr.shape[0] : 1;
  shape[1] = s->hdr.ndim > 1 ? s->hdr.shape[1] : 1;
  return TRUE;
}

guint64
_philia_row_stream_get_n_rows (PhiliaRowStream *s)
{
  return s->n_rows;
}

gboolean
_philia_row_stream_is_stored (PhiliaRowStream *s)
{
  return s->info.method == METHOD_STORED;
}

/**
 * _philia_row_stream_set_range:
 *
 * Restricts the reads to rows [@first, @last); call it before the first
 * read. A stored member starts there directly, a deflated one inflates and
 * discards the rows before @first. O(1) stored, O(@first) deflated.
 */
gboolean
_philia_row_stream_set_range (PhiliaRowStream  *s,
                              guint64           first,
                              guint64           last,
                              GError          **error)
{
  g_return_val_if_fail (s->row == 0 && first <= last && last <= s->n_rows, FALSE);

  s->end_row = last;
  if (first == 0)
    return TRUE;
  if (s->info.method == METHOD_STORED)
    {
      s->done = s->hdr.header_len + first * s->row_bytes;
      s->crc_from_start = FALSE;
      s->dropped = s->info.data + s->done;
      s->row = first;
      return TRUE;
    }
  while (s->row < first)
    {
      gsize rows = (gsize)MIN (first - s->row, (guint64)(STREAM_CHUNK / s->row_bytes));

      if (!pull (s, s->scratch, rows * s->row_bytes, error))
        return FALSE;
      s->row += rows;
    }
  return TRUE;
}

/**
 * _philia_row_stream_read:
 * @rows: room for 2 × @max_rows values
 *
 * The next rows of the range, as int64 pairs. At the last row of the member
 * the end of the stream and (for a read from row 0) the CRC-32 are checked.
 *
 * Returns: the rows read, 0 at the end of the range, -1 with @error set
 */
gssize
_philia_row_stream_read (PhiliaRowStream  *s,
                         gint64           *rows,
                         gsize             max_rows,
                         GError          **error)
{
  gsize n = (gsize)MIN ((guint64)max_rows, s->end_row - s->row);
  gsize k;

  n = MIN (n, STREAM_CHUNK / s->row_bytes);
  if (n == 0)
    return 0;
  if (!pull (s, s->scratch, n * s->row_bytes, error))
    return -1;

#define CONVERT(type)                                                   \
  G_STMT_START {                                                        \
    const type *p = (const type *)(gconstpointer)s->scratch;            \
    for (k = 0; k < 2 * n; k++)                                         \
      {                                                                 \
        type value;                                                     \
        memcpy (&value, p + k, sizeof value);                           \
        rows[k] = (gint64)value;                                        \
      }                                                                 \
  } G_STMT_END

  switch (s->hdr.dtype)
    {
    case PHILIA_DTYPE_INT8: CONVERT (gint8); break;
    case PHILIA_DTYPE_INT16: CONVERT (gint16); break;
    case PHILIA_DTYPE_INT32: CONVERT (gint32); break;
    case PHILIA_DTYPE_INT64: CONVERT (gint64); break;
    case PHILIA_DTYPE_UINT8: CONVERT (guint8); break;
    case PHILIA_DTYPE_UINT16: CONVERT (guint16); break;
    case PHILIA_DTYPE_UINT32: CONVERT (guint32); break;
    case PHILIA_DTYPE_UINT64:
      {
        const guint64 *p = (const guint64 *)(gconstpointer)s->scratch;

        for (k = 0; k < 2 * n; k++)
          {
            guint64 value;

            memcpy (&value, p + k, sizeof value);
            /* Out of every graph's range, and caught as such by the caller. */
            rows[k] = value > (guint64)G_MAXINT64 ? G_MAXINT64 : (gint64)value;
          }
        break;
      }
    default:
      g_assert_not_reached ();
    }
#undef CONVERT

  s->row += n;
  if (s->row == s->n_rows && !check_end (s, error))
    return -1;
  return (gssize)n;
}
