/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the streamed reader of an .npz's edge rows
 * (philia-npz-stream.c), which stats --stream and the MPI ranks use
 * instead of loading: the whole member, then a slice from its middle (a
 * direct offset when stored, inflate-and-discard when deflated). Every
 * refusal must be a well-formed error naming the file. */
#include "fuzz-common.h"

#include "philia-stream-stats.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

/* Reads rows [@first, @last) (the whole member when @last is 0). */
static void
read_rows (PhiliaNpz *npz,
           guint64    first,
           guint64    last)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaRowStream) s = _philia_row_stream_new (npz, "edges", FALSE, &error);
  gint64 rows[2 * 256];
  guint64 n_rows;
  gssize got;

  if (s == NULL)
    {
      fuzz_check_message (error, "graph.npz", TRUE);
      return;
    }
  n_rows = _philia_row_stream_get_n_rows (s);
  if (last == 0 || last > n_rows)
    last = n_rows;
  first = MIN (first, last);
  if (!_philia_row_stream_set_range (s, first, last, &error))
    {
      fuzz_check_message (error, "graph.npz", TRUE);
      return;
    }
  /* A header may claim far more rows than the bytes hold: the read stops
   * at the end of the data with an error, never past it. */
  while ((got = _philia_row_stream_read (s, rows, 256, &error)) > 0)
    ;
  if (got < 0)
    fuzz_check_message (error, "graph.npz", TRUE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaNpz) npz = philia_npz_new_from_bytes (bytes, "graph.npz", &error);

  if (npz == NULL)
    {
      fuzz_check_message (error, "graph.npz", TRUE);
      return 0;
    }
  read_rows (npz, 0, 0);
  read_rows (npz, 3, 11);
  return 0;
}
