/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: .philia project files, opened with
 * philia_document_open_bytes(). A mutated zip almost never keeps its CRC-32s
 * right, so (like fuzz-npz-members) the target zips the members itself with
 * correct checksums and sizes: mutations reach the manifest's JSON, the
 * checks of every array against the graph, the embedded dataset and the
 * rebuilt document. An opened document is then snapshotted and described as
 * `philia-cli info --json` would.
 *
 * Input: one flag byte (bit k set: member k is deflated, else stored), then
 * members separated by SEPARATOR, each its name, a newline and its bytes;
 * the first is normally philia-project.json. make-project-seeds.py turns
 * .philia files into seeds of this form.
 */
/* memmem(), which libFuzzer also watches to learn SEPARATOR. */
#define _GNU_SOURCE
#include "fuzz-common.h"

#include "philia-document-private.h"
#include "philia-zip-private.h"

#define SEPARATOR "<<member>>"
#define NAME      "fuzz.philia"

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
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(PhiliaZipWriter) zip = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PhiliaDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const guint8 *p, *end;
  guint flags, k = 0;

  if (size < 1)
    return 0;
  flags = data[0];
  p = data + 1;
  end = data + size;
  out = g_memory_output_stream_new_resizable ();
  zip = _philia_zip_writer_new (out, NAME);

  while (p <= end)
    {
      const guint8 *stop = memmem (p, end - p, SEPARATOR, strlen (SEPARATOR));
      const guint8 *member_end = stop != NULL ? stop : end;
      const guint8 *newline = memchr (p, '\n', member_end - p);

      /* A member needs a name the zip can hold, once. */
      if (newline != NULL && newline > p && newline - p < 256 &&
          memchr (p, '\0', newline - p) == NULL)
        {
          char *name = g_strndup ((const char *)p, newline - p);

          if (!g_hash_table_contains (names, name))
            {
              if (!_philia_zip_writer_add (zip, name, NULL, 0, newline + 1,
                                           member_end - newline - 1, (flags >> (k % 8)) & 1 ? 6 : 0,
                                           NULL, NULL))
                abort ();
              g_hash_table_add (names, name);
            }
          else
            g_free (name);
        }
      k++;
      if (stop == NULL)
        break;
      p = stop + strlen (SEPARATOR);
    }
  if (!_philia_zip_writer_finish (zip, NULL, NULL))
    abort ();
  g_output_stream_close (out, NULL, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

  /* No folder: relative dataset paths lead nowhere, and only the embedded
   * dataset is read. */
  doc = philia_document_open_bytes (bytes, NAME, NULL, NULL, PHILIA_PROJECT_OPEN_DEFAULT, NULL,
                                    &error);
  if (doc == NULL)
    {
      /* The project's own codes (missing, changed, newer) are refusals too. */
      if (error != NULL && error->domain == PHILIA_PROJECT_ERROR)
        {
          error->domain = PHILIA_ERROR;
          error->code = PHILIA_ERROR_NOT_FOUND;
        }
      fuzz_check_refusal (error, NAME);
    }
  else
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      /* What an autosave takes (writing it would be a disk write per input). */
      philia_document_snapshot_free (philia_document_snapshot (doc));
      philia_json_begin_object (json);
      philia_document_write_json (doc, json);
      philia_json_end_object (json);
      g_free (philia_json_free_to_string (g_steal_pointer (&json)));
      fuzz_use_graph (philia_document_get_graph (doc), NAME);
    }
  return 0;
}
