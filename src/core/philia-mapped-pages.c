/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dropping the pages of a read-only file mapping once they have been read
 * (philia-mapped-pages-private.h). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "philia-mapped-pages-private.h"

gboolean
_philia_is_read_only_file_mapping (const void *p,
                                   gsize       len)
{
#ifdef __linux__
  /* MADV_DONTNEED on a private mapping that was never written reads the
   * pages back from the file on the next touch; on anonymous memory it
   * would zero them, so only a mapping the kernel lists as "r--p" with an
   * inode qualifies. */
  FILE *maps = fopen ("/proc/self/maps", "re");
  char line[4096];
  guintptr a = (guintptr)p, b = a + len;
  gboolean found = FALSE;

  if (maps == NULL || len == 0)
    {
      if (maps != NULL)
        fclose (maps);
      return FALSE;
    }
  while (fgets (line, sizeof line, maps) != NULL)
    {
      uintmax_t lo, hi, offset, inode;
      char perms[8];
      unsigned dev_major, dev_minor;

      if (sscanf (line, "%jx-%jx %7s %jx %x:%x %ju", &lo, &hi, perms, &offset, &dev_major,
                  &dev_minor, &inode) != 7)
        continue;
      if (a >= lo && b <= hi)
        {
          found = strcmp (perms, "r--p") == 0 && inode != 0;
          break;
        }
    }
  fclose (maps);
  return found;
#else
  return FALSE;
#endif
}

void
_philia_drop_mapped_pages (const void *from,
                           const void *to)
{
#ifdef __linux__
  static gsize page = 0;
  guintptr a, b;

  if (page == 0)
    page = (gsize)sysconf (_SC_PAGESIZE);
  a = ((guintptr)from + page - 1) / page * page;
  b = (guintptr)to / page * page;
  if (b > a)
    madvise ((void *)a, b - a, MADV_DONTNEED);
#endif
}

void
_philia_advise_huge_pages (void  *p,
                           gsize  len)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  const guintptr huge = 2 << 20;
  guintptr a = ((guintptr)p + huge - 1) & ~(huge - 1);
  guintptr b = ((guintptr)p + len) & ~(huge - 1);

  if (len >= 8 << 20 && b > a)
    madvise ((void *)a, b - a, MADV_HUGEPAGE);
#else
  (void)p;
  (void)len;
#endif
}
