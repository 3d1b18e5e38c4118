/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The sparse product's one-pass last block for widths that are not a
 * multiple of 16 (philia-spmm-tail.c), called by philia-spmm.c. */

#include <glib.h>

/* Whether columns [j0, j0 + width) of a head go through the one-pass
 * kernels: a block below 64 columns that is not a multiple of 16 (widths
 * that are keep their blocks, bits and speed), with eight columns of the
 * row to end on. */
static inline gboolean
_philia_spmm_tail_applies (guint j0,
                           guint width)
{
  return width < 64 && width % 16 != 0 && j0 + width >= 8;
}

/* Output row @i's columns [j0, j0 + width) into @o (pointing at column
 * j0), head @h of @heads (@values NULL: ones), X's rows @stride floats
 * apart: the old column blocks' sums, bit for bit. */
void _philia_spmm_tail_row  (const gint64 *off,
                             const gint32 *col,
                             const float  *values,
                             guint         heads,
                             guint         h,
                             const float  *x,
                             guint         stride,
                             guint         j0,
                             guint         i,
                             float        *o,
                             gboolean      accumulate,
                             guint         width);

/* The same for rows [begin, end) of a one-head product, output rows
 * @out_stride floats apart from @out. */
void _philia_spmm_tail_rows (const gint64 *off,
                             const gint32 *col,
                             const float  *values,
                             const float  *x,
                             guint         stride,
                             guint         j0,
                             float        *out,
                             gsize         out_stride,
                             guint         begin,
                             guint         end,
                             gboolean      accumulate,
                             guint         width);
