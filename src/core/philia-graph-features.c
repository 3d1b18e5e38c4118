/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Conversions between a graph's dense feature matrix and the CSR it keeps
 * when the matrix is mostly zeros (philia-graph-features-private.h). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <string.h>

#include "philia-core.h"
#include "philia-graph-features-private.h"

/* An entry is stored when its bits are not all zero: -0.0 is kept, so that
 * the dense matrix made back from the CSR has the original's bits. */
static inline gboolean
stored (const float *x)
{
  guint32 bits;

  memcpy (&bits, x, sizeof bits);
  return bits != 0;
}

gboolean
_philia_features_to_csr (const float  *x,
                         guint         n,
                         guint         f,
                         gint64      **offsets,
                         gint32      **columns,
                         float       **values)
{
  gsize total = (gsize)n * f, nnz = 0;
  gint64 *off;
  gint32 *col;
  float *val;
  gsize k = 0;

  g_return_val_if_fail (x != NULL || total == 0, FALSE);

  for (gsize i = 0; i < total; i++)
    nnz += stored (x + i);
  if (total == 0 || (double)nnz >= PHILIA_GRAPH_SPARSE_FEATURES * (double)total)
    return FALSE;
  off = g_new (gint64, (gsize)n + 1);
  col = g_new (gint32, MAX (nnz, 1));
  val = g_new (float, MAX (nnz, 1));
  for (guint i = 0; i < n; i++)
    {
      const float *row = x + (gsize)i * f;

      off[i] = (gint64)k;
      for (guint j = 0; j < f; j++)
        if (stored (row + j))
          {
            col[k] = (gint32)j;
            val[k++] = row[j];
          }
    }
  off[n] = (gint64)k;
  *offsets = off;
  *columns = col;
  *values = val;
  return TRUE;
}

float *
_philia_features_from_csr (const gint64 *offsets,
                           const gint32 *columns,
                           const float  *values,
                           guint         n,
                           guint         f)
{
  float *x = g_new0 (float, MAX ((gsize)n * f, 1));

  for (guint i = 0; i < n; i++)
    for (gint64 k = offsets[i]; k < offsets[i + 1]; k++)
      x[(gsize)i * f + (guint)columns[k]] = values[k];
  return x;
}
