/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* philia-cli driven as a user would: a subprocess ($PHILIA_CLI), its stdout,
 * stderr and exit status. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

void  run_clear             (Run        *run);
void  run_cli               (Run        *run,
                             const char *first,
                             ...) G_GNUC_NULL_TERMINATED;
/* The bundled Cora in data/: always there, so CLI tests never skip. */
char *cora_path             (void);
/* Exit @status, nothing on stdout, exactly one line on stderr containing @needle. */
void  assert_one_line_error (Run        *run,
                             int         status,
                             const char *needle);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

G_END_DECLS
