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

/* Asks for transparent huge pages over the whole 2 MB pages inside
 * [@p, @p + @len) of the process's own memory, before it is first written
 * (Linux's madvise (MADV_HUGEPAGE); a hint, ignored elsewhere and below
 * 8 MB). The CSR of a large graph is read at random by walks and pushes:
 * with 4 KB pages nearly every such read also misses the TLB. */
void     _philia_advise_huge_pages         (void       *p,
                                            gsize       len);

G_END_DECLS
