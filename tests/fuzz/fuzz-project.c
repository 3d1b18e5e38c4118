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
 * Input: members as fuzz-zip-members.h describes; the first is normally
 * philia-project.json. make-project-seeds.py turns .philia files into
 * seeds of this form.
 */
/* memmem() in fuzz-zip-members.h. */
#define _GNU_SOURCE
#include "fuzz-zip-members.h"

#include "philia-document-private.h"

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
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PhiliaDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  bytes = fuzz_zip_members (data, size, NAME);
  if (bytes == NULL)
    return 0;

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
