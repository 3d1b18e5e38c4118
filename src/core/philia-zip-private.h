/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>
#include <zlib.h>

#include "philia-core.h"
#include "philia-npz-private.h"

G_BEGIN_DECLS

/*
 * What the three files of the .npz code share: philia-npy.c (the .npy
 * header), philia-npz.c (the zip reader) and philia-zip-writer.c (the zip
 * writer). The reader and writer also take arbitrary members as bytes, which
 * project files (philia-project-*.c) use for their manifest and an embedded
 * dataset.
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
static inline char *
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
static inline void
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

static inline gboolean
mul_overflows (guint64  a,
               guint64  b,
               guint64 *out)
{
  if (a != 0 && b > G_MAXUINT64 / a)
    return TRUE;
  *out = a * b;
  return FALSE;
}


static inline void
put16 (guint8 *p,
       guint16 v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

static inline void
put32 (guint8 *p,
       guint32 v)
{
  put16 (p, v & 0xffff);
  put16 (p + 2, v >> 16);
}

static inline void
put64 (guint8 *p,
       guint64 v)
{
  put32 (p, (guint32)v);
  put32 (p + 4, (guint32)(v >> 32));
}

static inline guint32
crc_update (guint32       crc,
            const guint8 *data,
            guint64       len)
{
  /* zlib returns the initial value, not @crc, for a NULL buffer. */
  if (len == 0)
    return crc;
  return (guint32)crc32_z (crc, data, (z_size_t)len);
}

/* .npy headers (philia-npy.c) */

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

gboolean     _philia_npy_parse_header (const guint8      *data,
                                       gsize              avail,
                                       guint64            total,
                                       NpyHeader         *hdr,
                                       gsize             *need,
                                       const char        *display_name,
                                       const char        *member,
                                       GError           **error);
PhiliaArray *_philia_npy_array_new    (const NpyHeader   *hdr,
                                       const char        *display_name,
                                       const char        *member,
                                       GError           **error);
gboolean     _philia_npy_fix_order    (PhiliaArray       *array,
                                       const NpyHeader   *hdr,
                                       const char        *display_name,
                                       const char        *member,
                                       GError           **error);
GByteArray  *_philia_npy_make_header  (const PhiliaArray *array);
const char  *_philia_dtype_to_descr   (PhiliaDtype        dtype);

/* Members as bytes (philia-npz.c): @name is the member's full name as
 * stored ("philia-project.json", "edges.npy"). */
guint        _philia_npz_get_n_members   (PhiliaNpz    *npz);
/* In the order of the central directory. */
const char  *_philia_npz_get_member_name (PhiliaNpz    *npz,
                                          guint         index);
/* The offset of the member's local header (0 for the first in the file). */
guint64      _philia_npz_get_member_offset (PhiliaNpz  *npz,
                                            guint       index);
gboolean     _philia_npz_has_raw_member  (PhiliaNpz    *npz,
                                          const char   *name);
/* Inflates and checks (CRC-32, sizes) one member; refuses one larger than
 * @max_size bytes before allocating it. */
GBytes      *_philia_npz_read_member     (PhiliaNpz    *npz,
                                          const char   *name,
                                          guint64       max_size,
                                          GCancellable *cancellable,
                                          GError      **error);

/* Where a member lies, for readers that take it in pieces
 * (philia-npz-stream.c): *@data points at its first byte in the archive,
 * already checked to lie inside it. FALSE when there is no such member. */
typedef struct
{
  const guint8 *data;
  guint16       method;
  guint32       crc;
  guint64       comp_size;
  guint64       uncomp_size;
  const char   *printable_name;
} PhiliaNpzMemberInfo;

gboolean     _philia_npz_get_member_info (PhiliaNpz           *npz,
                                          const char          *name,
                                          PhiliaNpzMemberInfo *info);
const char  *_philia_npz_get_display_name (PhiliaNpz          *npz);

/* The zip writer (philia-zip-writer.c): members are written as they are
 * added, the central directory by _philia_zip_writer_finish(). Errors name
 * @display_name. */
typedef struct _PhiliaZipWriter PhiliaZipWriter;

PhiliaZipWriter *_philia_zip_writer_new    (GOutputStream     *out,
                                            const char        *display_name);
void             _philia_zip_writer_free   (PhiliaZipWriter   *writer);
/* One member made of @head then @data (either may be empty); @level 0 stores
 * it, 1–9 deflate it at that zlib level. */
gboolean         _philia_zip_writer_add    (PhiliaZipWriter   *writer,
                                            const char        *name,
                                            const guint8      *head,
                                            gsize              head_len,
                                            const guint8      *data,
                                            gsize              data_len,
                                            int                level,
                                            GCancellable      *cancellable,
                                            GError           **error);
/* @name without ".npy". */
gboolean         _philia_zip_writer_add_array (PhiliaZipWriter   *writer,
                                               const char        *name,
                                               const PhiliaArray *array,
                                               int                level,
                                               GCancellable      *cancellable,
                                               GError           **error);
/* A member written in pieces: begin, write any number of times, end. */
gboolean         _philia_zip_writer_begin  (PhiliaZipWriter   *writer,
                                            const char        *name,
                                            int                level,
                                            GCancellable      *cancellable,
                                            GError           **error);
gboolean         _philia_zip_writer_write  (PhiliaZipWriter   *writer,
                                            const guint8      *data,
                                            gsize              len,
                                            GCancellable      *cancellable,
                                            GError           **error);
gboolean         _philia_zip_writer_end    (PhiliaZipWriter   *writer,
                                            GCancellable      *cancellable,
                                            GError           **error);
gboolean         _philia_zip_writer_finish (PhiliaZipWriter   *writer,
                                            GCancellable      *cancellable,
                                            GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaZipWriter, _philia_zip_writer_free)

G_END_DECLS
