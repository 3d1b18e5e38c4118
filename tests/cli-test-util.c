/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cli-test-util.h"

void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

void
run_cli (Run        *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("PHILIA_CLI");
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (args, (char *)cli);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *)a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *)args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

char *
cora_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "cora.npz", NULL);
}

void
assert_one_line_error (Run        *run,
                       int         status,
                       const char *needle)
{
  if (run->status != status)
    g_test_message ("stderr: %s", run->err);
  g_assert_cmpint (run->status, ==, status);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (strchr (run->err, '\n') == run->err + strlen (run->err) - 1);
  if (strstr (run->err, needle) == NULL)
    g_error ("“%s” not in %s", needle, run->err);
}
