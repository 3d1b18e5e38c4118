/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The input form of the targets that read zips of named members (fuzz-model,
 * fuzz-project): a mutated zip almost never keeps its CRC-32s right, so the
 * target zips the members itself with correct checksums and sizes, and
 * mutations reach what the members hold.
 *
 * Input: one flag byte (bit k set: member k is deflated, else stored), then
 * members separated by FUZZ_MEMBER_SEPARATOR, each its name, a newline and
 * its bytes. A member without a usable name (empty, over 255 bytes, holding
 * a NUL, or a name already used) is skipped.
 *
 * Include after defining _GNU_SOURCE (memmem(), which libFuzzer also
 * watches to learn the separator).
 */
#pragma once

#include "fuzz-common.h"

#include "philia-zip-private.h"

#define FUZZ_MEMBER_SEPARATOR "<<member>>"

/* The zip @data describes, named @name in what the writer reports; NULL for
 * an empty input. */
static inline GBytes *
fuzz_zip_members (const uint8_t *data,
                  size_t         size,
                  const char    *name)
{
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(PhiliaZipWriter) zip = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const size_t sep_len = strlen (FUZZ_MEMBER_SEPARATOR);
  const guint8 *p, *end;
  guint flags, k = 0;

  if (size < 1)
    return NULL;
  flags = data[0];
  p = data + 1;
  end = data + size;
  out = g_memory_output_stream_new_resizable ();
  zip = _philia_zip_writer_new (out, name);

  while (p <= end)
    {
      const guint8 *stop = memmem (p, end - p, FUZZ_MEMBER_SEPARATOR, sep_len);
      const guint8 *member_end = stop != NULL ? stop : end;
      const guint8 *newline = memchr (p, '\n', member_end - p);

      /* A member needs a name the zip can hold, once. */
      if (newline != NULL && newline > p && newline - p < 256 &&
          memchr (p, '\0', newline - p) == NULL)
        {
          char *member = g_strndup ((const char *)p, newline - p);

          if (!g_hash_table_contains (names, member))
            {
              if (!_philia_zip_writer_add (zip, member, NULL, 0, newline + 1,
                                           member_end - newline - 1, (flags >> (k % 8)) & 1 ? 6 : 0,
                                           NULL, NULL))
                abort ();
              g_hash_table_add (names, member);
            }
          else
            g_free (member);
        }
      k++;
      if (stop == NULL)
        break;
      p = stop + sep_len;
    }
  if (!_philia_zip_writer_finish (zip, NULL, NULL))
    abort ();
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}
