/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Pages of a read-only file mapping handed back once read
 * (philia-mapped-pages.c): a member of a mapped .npz copied into memory of
 * its own would otherwise be resident twice until the archive is closed
 * (1.2 GB for the 600 MB feature matrix of 10^5 nodes and 1,500 words). */

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when [@p, @p + @len) lies in one private, read-only mapping of a
 * file (as GMappedFile makes one), whose pages can be dropped and read
 * again from the file; FALSE for anything else (memory of the process's
 * own, which dropping would zero) and where this cannot be told. */
gboolean _philia_is_read_only_file_mapping (const void *p,
                                            gsize       len);

/* Drops the whole pages inside [@from, @to) of such a mapping. */
void     _philia_drop_mapped_pages         (const void *from,
                                            const void *to);

G_END_DECLS
