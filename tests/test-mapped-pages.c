/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dropping the pages of a mapped .npz member as it is copied
 * (philia-mapped-pages.c): only a read-only file mapping qualifies, and the
 * data read, then and afterwards, is the file's. */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "philia-core.h"
#include "philia-mapped-pages-private.h"
#include "philia-zip-private.h"

static void
test_which_memory (void)
{
  g_autofree guint8 *heap = g_malloc0 (1 << 20);
  guint8 stack[64] = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("philia-pages-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bytes", NULL);
  g_autofree guint8 *want = g_malloc (3 << 20);
  g_autoptr(GMappedFile) mapped = NULL;
  const guint8 *p;

  g_assert_false (_philia_is_read_only_file_mapping (heap, 1 << 20));
  g_assert_false (_philia_is_read_only_file_mapping (stack, sizeof stack));
  for (gsize i = 0; i < (3 << 20); i++)
    want[i] = (guint8)(i * 2654435761u >> 13);
  g_assert_true (g_file_set_contents (path, (const char *)want, 3 << 20, NULL));
  mapped = g_mapped_file_new (path, FALSE, NULL);
  g_assert_nonnull (mapped);
  p = (const guint8 *)g_mapped_file_get_contents (mapped);
  g_assert_true (_philia_is_read_only_file_mapping (p, 3 << 20));
  /* Beyond the mapping: not one mapping. */
  g_assert_false (_philia_is_read_only_file_mapping (p, (3 << 20) + (64 << 20)));
  g_assert_cmpmem (p, 3 << 20, want, 3 << 20);
  _philia_drop_mapped_pages (p + 1000, p + (2 << 20) + 77);
  /* Read again from the file. */
  g_assert_cmpmem (p, 3 << 20, want, 3 << 20);
  g_clear_pointer (&mapped, g_mapped_file_unref);
  g_unlink (path);
  g_rmdir (dir);
}

/* A stored member above the dropping size, read from a mapped file: the
 * array has the file's values, and a second read gives them again. */
static void
test_npz_member (void)
{
  g_autofree char *dir = g_dir_make_tmp ("philia-pages-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.npz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  gsize n = 3u << 20;   /* 12 MB of float32 */
  PhiliaArray array = { PHILIA_DTYPE_FLOAT32, 1, { (gint64)n }, (gint64)n, NULL };
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree float *x = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    x[i] = (float)i * 0.25f - 7.0f;
  array.data = x;
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(PhiliaZipWriter) w = _philia_zip_writer_new (G_OUTPUT_STREAM (out), "big.npz");

    g_assert_true (_philia_zip_writer_add_array (w, "x", &array, 0, NULL, &error));
    g_assert_true (_philia_zip_writer_finish (w, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error));
  array.data = NULL;

  mapped = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);
  bytes = g_mapped_file_get_bytes (mapped);
  for (int round = 0; round < 2; round++)
    {
      g_autoptr(PhiliaNpz) npz = philia_npz_new_from_bytes (bytes, "big.npz", &error);
      g_autoptr(PhiliaArray) a = NULL;

      g_assert_no_error (error);
      a = philia_npz_read_array (npz, "x", NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (a->n_elements, ==, (gint64)n);
      g_assert_cmpmem (a->data, sizeof (float) * n, x, sizeof (float) * n);
    }
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&mapped, g_mapped_file_unref);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Philia/MappedPages/which-memory", test_which_memory);
  g_test_add_func ("/Philia/MappedPages/npz-member", test_npz_member);
  return g_test_run ();
}
