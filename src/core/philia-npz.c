/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "philia-npz.h"

#include "philia-zip-private.h"
#include "philia-mapped-pages-private.h"

/*
 * A .npz is a zip archive of .npy files. Everything here reads from memory
 * (the loader maps the file), trusts nothing in the file, and checks every
 * offset and size before it is used. Only what numpy writes (stored or
 * deflated members, zip64 fields) is read; anything else is refused with an
 * error that names the file and the member.
 */

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

/* Stored members from this size on have their mapped pages dropped as they
 * are copied (philia-mapped-pages-private.h). */
#define DROP_PAGES_FROM (8u << 20)

/* Progress and cancellation for one array read. */
typedef struct
{
  GCancellable *cancellable;
  PhiliaNpzReport report;
  gpointer      user_data;
} ReadContext;

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
                 _ ("is not a zip archive (too short: %zu bytes), so it is not "
                    "a valid .npz file."), size);
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
                   _ ("is a truncated zip archive (its central directory is missing)."));
      else
        set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, NULL,
                   _ ("is not a zip archive, so it is not a valid .npz file."));
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
                     _ ("is a damaged zip archive (its zip64 end record is missing)."));
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
             _ ("is a multi-part zip archive, which Philia does not read."));
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
                 _ ("has a damaged local header (offset %" PRIu64 ")."),
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
                 _ ("has a local header that runs into the central directory."));
      return FALSE;
    }
  if (method != m->method || (flags & FLAG_ENCRYPTED) != (m->flags & FLAG_ENCRYPTED) ||
      name_len != strlen (m->raw_name) || memcmp (h + LOCAL_SIZE, m->raw_name, name_len) != 0)
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                 _ ("has a local header that disagrees with the central directory."));
      return FALSE;
    }
  if (!read_zip64_extra (h + LOCAL_SIZE + name_len, extra_len, &uncomp, &comp, NULL, TRUE))
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                 _ ("has a damaged zip64 extra field in its local header."));
      return FALSE;
    }
  /* With a data descriptor the local fields are zero; otherwise they must agree. */
  if (!(flags & FLAG_DATA_DESCRIPTOR) &&
      (crc != m->crc || comp != m->comp_size || uncomp != m->uncomp_size))
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                 _ ("has a local header whose sizes or checksum disagree with the central "
                    "directory."));
      return FALSE;
    }
  m->data_offset = m->local_offset + LOCAL_SIZE + name_len + extra_len;
  if (m->comp_size > cd_offset - m->data_offset)
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                 _ ("is truncated (expected %" PRIu64 " bytes, found %"
                    PRIu64 ")."), m->comp_size, cd_offset - m->data_offset);
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
                     _ ("has a data descriptor that disagrees with the central directory."));
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
                 _ ("is a damaged zip archive (its central directory lies outside the file)."));
      return FALSE;
    }
  if (n_entries > cd_size / CENTRAL_SIZE)
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, NULL,
                 _ ("is a damaged zip archive (%" PRIu64 " entries cannot fit in a "
                    "central directory of %" PRIu64 " bytes)."), n_entries, cd_size);
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
                     _ ("is a damaged zip archive (entry %" PRIu64 " of its central "
                        "directory is broken)."), i);
          return FALSE;
        }
      name_len = rd16 (h + 28);
      extra_len = rd16 (h + 30);
      comment_len = rd16 (h + 32);
      if (cd_offset + cd_size - pos < (guint64)CENTRAL_SIZE + name_len + extra_len + comment_len)
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, NULL,
                     _ ("is a damaged zip archive (entry %" PRIu64 " of its central "
                        "directory runs past its end)."), i);
          return FALSE;
        }

      if (name_len == 0 || memchr (h + CENTRAL_SIZE, '\0', name_len) != NULL)
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, NULL,
                     _ ("is a damaged zip archive (entry %" PRIu64 " has no valid "
                        "name)."), i);
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
                     _ ("has a damaged zip64 extra field."));
          return FALSE;
        }
      if (disk != 0 && disk != 0xffff)
        {
          set_error (error, PHILIA_ERROR_UNSUPPORTED, npz->display_name, NULL,
                     _ ("is a multi-part zip archive, which Philia does not read."));
          return FALSE;
        }
      if ((m->flags & FLAG_ENCRYPTED) || (m->flags & FLAG_STRONG_ENCRYPTED))
        {
          set_error (error, PHILIA_ERROR_UNSUPPORTED, npz->display_name, m->name,
                     _ ("is encrypted, which Philia does not read."));
          return FALSE;
        }
      if (m->method != METHOD_STORED && m->method != METHOD_DEFLATED)
        {
          set_error (error, PHILIA_ERROR_UNSUPPORTED, npz->display_name, m->name,
                     _ ("uses zip compression method %u; Philia reads stored and deflated "
                        "members only."), m->method);
          return FALSE;
        }
      if (m->method == METHOD_STORED && m->comp_size != m->uncomp_size)
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                     _ ("is stored uncompressed but its two sizes differ (%" PRIu64
                        " and %" PRIu64 " bytes)."), m->comp_size, m->uncomp_size);
          return FALSE;
        }
      if (m->method == METHOD_DEFLATED &&
          (m->comp_size > G_MAXUINT64 / MAX_DEFLATE_RATIO ||
           m->uncomp_size > m->comp_size * MAX_DEFLATE_RATIO + 1024))
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                     _ ("claims %" PRIu64 " bytes uncompressed from %" PRIu64
                        " compressed, which deflate cannot do."), m->uncomp_size, m->comp_size);
          return FALSE;
        }
      if (g_hash_table_contains (seen, m->raw_name))
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                     _ ("appears twice in the archive."));
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
                     _ ("overlaps member “%s” in the archive."), prev->name);
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
                 _ ("is empty (0 bytes), so it is not a valid .npz file."));
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
                 _ ("is corrupt (its CRC-32 is %08x, but the archive says %08x)."), crc, m->crc);
      return FALSE;
    }
  return TRUE;
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
  gboolean drop;

  if (!_philia_npy_parse_header (data, m->uncomp_size, m->uncomp_size, &hdr, &need,
                                 npz->display_name, m->name, error))
    {
      if (error != NULL && *error == NULL)
        set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                   _ ("is truncated inside its .npy header."));
      return NULL;
    }
  array = _philia_npy_array_new (&hdr, npz->display_name, m->name, error);
  if (array == NULL)
    return NULL;

  /* A large member of a mapped file is resident once, in its copy: the
   * pages copied are handed back as the copy goes. */
  drop = hdr.payload_size >= DROP_PAGES_FROM
         && _philia_is_read_only_file_mapping (data, hdr.header_len + hdr.payload_size);
  crc = crc_update (crc, data, hdr.header_len);
  for (guint64 done = 0; done < hdr.payload_size;)
    {
      guint64 n = MIN (hdr.payload_size - done, INFLATE_CHUNK);

      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        return NULL;
      memcpy ((guint8 *)array->data + done, data + hdr.header_len + done, n);
      crc = crc_update (crc, data + hdr.header_len + done, n);
      if (drop)
        _philia_drop_mapped_pages (data + hdr.header_len + done, data + hdr.header_len + done + n);
      done += n;
      if (ctx->report != NULL)
        ctx->report (ctx->user_data, hdr.header_len + done);
    }
  if (!check_crc (npz, m, crc, error))
    return NULL;
  if (!_philia_npy_fix_order (array, &hdr, npz->display_name, m->name, error))
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
                 _ ("cannot be decompressed (zlib failed to start)."));
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
      if (_philia_npy_parse_header (head, head_len, m->uncomp_size, &hdr, &need,
                                    npz->display_name, m->name, error))
        break;
      if (need == 0)
        goto fail;
      if (need <= head_len)
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                     _ ("is truncated inside its .npy header."));
          goto fail;
        }
    }

  array = _philia_npy_array_new (&hdr, npz->display_name, m->name, error);
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
                     _ ("holds more data than its zip header says (%" PRIu64
                        " bytes)."), m->uncomp_size);
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
                 _ ("has %" PRIu64 " bytes of data after the end of its compressed "
                    "stream."), (guint64)zs.avail_in + in_left);
      goto fail;
    }
  if (!check_crc (npz, m, crc, error))
    goto fail;
  inflateEnd (&zs);
  if (!_philia_npy_fix_order (array, &hdr, npz->display_name, m->name, error))
    return NULL;
  return g_steal_pointer (&array);

#undef FEED

truncated:
  set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
             _ ("is truncated (expected %" PRIu64 " bytes, found %" PRIu64 ")."),
             m->uncomp_size, (guint64)zs.total_out);
  goto fail;

inflate_error:
  set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
             _ ("has corrupt compressed data (%s)."),
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
                   _ ("%s: the member “%s.npy” is missing."), npz->display_name, name);
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
/* {{{ Members as bytes */

guint
_philia_npz_get_n_members (PhiliaNpz *npz)
{
  g_return_val_if_fail (npz != NULL, 0);

  return npz->members->len;
}

const char *
_philia_npz_get_member_name (PhiliaNpz *npz,
                             guint      index)
{
  g_return_val_if_fail (npz != NULL, NULL);
  g_return_val_if_fail (index < npz->members->len, NULL);

  return ((Member *)g_ptr_array_index (npz->members, index))->raw_name;
}

guint64
_philia_npz_get_member_offset (PhiliaNpz *npz,
                               guint      index)
{
  g_return_val_if_fail (npz != NULL, 0);
  g_return_val_if_fail (index < npz->members->len, 0);

  return ((Member *)g_ptr_array_index (npz->members, index))->local_offset;
}

static Member *
find_raw_member (PhiliaNpz  *npz,
                 const char *name)
{
  for (guint i = 0; i < npz->members->len; i++)
    {
      Member *m = g_ptr_array_index (npz->members, i);

      if (strcmp (m->raw_name, name) == 0)
        return m;
    }
  return NULL;
}

gboolean
_philia_npz_has_raw_member (PhiliaNpz  *npz,
                            const char *name)
{
  g_return_val_if_fail (npz != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return find_raw_member (npz, name) != NULL;
}

/**
 * _philia_npz_read_member:
 *
 * A stored member is returned as a slice of the archive (no copy) once its
 * CRC-32 has been checked; a deflated one is inflated into a buffer of the
 * size the directory gives, which the stream must fill exactly.
 * O(member size).
 */
GBytes *
_philia_npz_read_member (PhiliaNpz     *npz,
                         const char    *name,
                         guint64        max_size,
                         GCancellable  *cancellable,
                         GError       **error)
{
  Member *m;
  z_stream zs = { 0 };
  g_autofree guint8 *buf = NULL;
  const guint8 *in;
  guint64 in_left, done = 0;
  guint32 crc = 0;
  gboolean ended = FALSE;
  int ret;

  g_return_val_if_fail (npz != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  m = find_raw_member (npz, name);
  if (m == NULL)
    {
      g_autofree char *printable = sanitize (name, strlen (name));

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   _ ("%s: the member “%s” is missing."), npz->display_name, printable);
      return NULL;
    }
  if (m->uncomp_size > max_size || m->uncomp_size > G_MAXSIZE - 1)
    {
      set_error (error, PHILIA_ERROR_INVALID, npz->display_name, m->name,
                 _ ("is too large (%" PRIu64 " bytes; at most %" PRIu64
                    " are read)."), m->uncomp_size, max_size);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  in = npz->data + m->data_offset;
  if (m->method == METHOD_STORED)
    {
      for (guint64 pos = 0; pos < m->comp_size; pos += INFLATE_CHUNK)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          crc = crc_update (crc, in + pos, MIN (m->comp_size - pos, (guint64)INFLATE_CHUNK));
        }
      if (!check_crc (npz, m, crc, error))
        return NULL;
      return g_bytes_new_from_bytes (npz->bytes, (gsize)m->data_offset, (gsize)m->comp_size);
    }

  buf = g_try_malloc (MAX (m->uncomp_size, 1));
  if (buf == NULL)
    {
      set_error (error, PHILIA_ERROR_FAILED, npz->display_name, m->name,
                 _ ("needs %" PRIu64 " bytes of memory, which are not available."),
                 m->uncomp_size);
      return NULL;
    }
  if (inflateInit2 (&zs, -15) != Z_OK)
    {
      set_error (error, PHILIA_ERROR_FAILED, npz->display_name, m->name,
                 _ ("cannot be decompressed (zlib failed to start)."));
      return NULL;
    }
  in_left = m->comp_size;
  /* One byte more than the directory says is asked for, so that a stream
   * holding more data is caught. */
  while (!ended)
    {
      guint8 extra;
      gboolean past = done >= m->uncomp_size;
      uInt want = past ? 1 : (uInt)MIN (m->uncomp_size - done, (guint64)INFLATE_CHUNK);
      uInt before;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      if (zs.avail_in == 0 && in_left > 0)
        {
          uInt slice = (uInt)MIN (in_left, (guint64)(1u << 30));

          zs.next_in = (Bytef *)in;
          zs.avail_in = slice;
          in += slice;
          in_left -= slice;
        }
      zs.next_out = past ? &extra : buf + done;
      zs.avail_out = want;
      before = zs.avail_out;
      ret = inflate (&zs, Z_NO_FLUSH);
      if (past && zs.avail_out == 0)
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                     _ ("holds more data than its zip header says (%" PRIu64
                        " bytes)."), m->uncomp_size);
          goto fail;
        }
      if (!past)
        {
          crc = crc_update (crc, buf + done, before - zs.avail_out);
          done += before - zs.avail_out;
        }
      if (ret == Z_STREAM_END)
        ended = TRUE;
      else if (ret == Z_BUF_ERROR && zs.avail_in == 0 && in_left == 0)
        goto truncated;
      else if (ret != Z_OK && ret != Z_BUF_ERROR)
        {
          set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                     _ ("has corrupt compressed data (%s)."),
                     zs.msg != NULL ? zs.msg : "zlib error");
          goto fail;
        }
    }
  if (done != m->uncomp_size)
    goto truncated;
  if (zs.avail_in != 0 || in_left != 0)
    {
      set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
                 _ ("has %" PRIu64 " bytes of data after the end of its compressed "
                    "stream."), (guint64)zs.avail_in + in_left);
      goto fail;
    }
  inflateEnd (&zs);
  if (!check_crc (npz, m, crc, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&buf), (gsize)m->uncomp_size);

truncated:
  set_error (error, PHILIA_ERROR_FORMAT, npz->display_name, m->name,
             _ ("is truncated (expected %" PRIu64 " bytes, found %" PRIu64 ")."),
             m->uncomp_size, done);
fail:
  inflateEnd (&zs);
  return NULL;
}

/* }}} */
/* {{{ Members in pieces */

gboolean
_philia_npz_get_member_info (PhiliaNpz           *npz,
                             const char          *name,
                             PhiliaNpzMemberInfo *info)
{
  Member *m;

  g_return_val_if_fail (npz != NULL && name != NULL && info != NULL, FALSE);

  m = find_member (npz, name);
  if (m == NULL)
    return FALSE;
  info->data = npz->data + m->data_offset;
  info->method = m->method;
  info->crc = m->crc;
  info->comp_size = m->comp_size;
  info->uncomp_size = m->uncomp_size;
  info->printable_name = m->name;
  return TRUE;
}

const char *
_philia_npz_get_display_name (PhiliaNpz *npz)
{
  g_return_val_if_fail (npz != NULL, NULL);
  return npz->display_name;
}

/* }}} */

/* The members' names as stored, ".npy" dropped where present; NULL-terminated. */
char **
_philia_npz_list_members (PhiliaNpz *npz)
{
  GStrvBuilder *b = g_strv_builder_new ();
  char **names;

  for (guint i = 0; i < npz->members->len; i++)
    {
      Member *m = g_ptr_array_index (npz->members, i);
      g_autofree char *name = g_strdup (m->raw_name);

      if (g_str_has_suffix (name, ".npy"))
        name[strlen (name) - 4] = '\0';
      g_strv_builder_add (b, name);
    }
  names = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return names;
}
