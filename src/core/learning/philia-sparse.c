/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sparse (CSR) matrices: construction, scales, row subsets, references
 * (HACKING.md §7). Their products with dense matrices are philia-spmm.c. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-tape-private.h"
#include "philia-cost-private.h"
#include "philia-simd-private.h"

#include <math.h>
#include <string.h>

/* --------------------------------------------------------------- sparse */

PhiliaSparse *
philia_sparse_new (guint   rows,
                   guint   cols,
                   gint64 *row_offsets,
                   gint32 *col_index,
                   float  *values)
{
  PhiliaSparse *s = g_new0 (PhiliaSparse, 1);
  PhiliaSparse *t = g_new0 (PhiliaSparse, 1);
  gint64 nnz = row_offsets[rows];
  gint64 *cursor;

  s->ref_count = 1;
  s->rows = rows;
  s->cols = cols;
  s->nnz = nnz;
  s->row_offsets = row_offsets;
  s->col_index = col_index;
  s->values = values;
  s->row_index = g_new (gint32, MAX (nnz, 1));
  for (guint i = 0; i < rows; i++)
    for (gint64 e = row_offsets[i]; e < row_offsets[i + 1]; e++)
      s->row_index[e] = i;

  /* The transpose by a counting sort on the column: its rows come out sorted. */
  t->rows = cols;
  t->cols = rows;
  t->nnz = nnz;
  t->row_offsets = g_new0 (gint64, cols + 1);
  t->col_index = g_new (gint32, MAX (nnz, 1));
  t->values = values ? g_new (float, MAX (nnz, 1)) : NULL;
  t->row_index = g_new (gint32, MAX (nnz, 1));
  s->transpose_perm = g_new (gint64, MAX (nnz, 1));
  for (gint64 e = 0; e < nnz; e++)
    t->row_offsets[col_index[e] + 1]++;
  for (guint j = 0; j < cols; j++)
    t->row_offsets[j + 1] += t->row_offsets[j];
  cursor = g_memdup2 (t->row_offsets, sizeof (gint64) * (cols + 1));
  for (guint i = 0; i < rows; i++)
    for (gint64 e = row_offsets[i]; e < row_offsets[i + 1]; e++)
      {
        gint64 k = cursor[col_index[e]]++;

        t->col_index[k] = i;
        t->row_index[k] = col_index[e];
        s->transpose_perm[k] = e;
        if (values)
          t->values[k] = values[e];
      }
  g_free (cursor);
  t->ref_count = 1;
  s->transpose = t;

  /* Every row's values equal (row-normalised binary features, a mean
   * aggregator): a row scale, exactly. */
  if (values != NULL)
    {
      gboolean constant = TRUE;

      for (guint i = 0; i < rows && constant; i++)
        for (gint64 e = row_offsets[i] + 1; e < row_offsets[i + 1] && constant; e++)
          constant = values[e] == values[row_offsets[i]];
      if (constant)
        {
          g_autofree float *scale = g_new (float, MAX (rows, 1));

          for (guint i = 0; i < rows; i++)
            scale[i] = row_offsets[i] < row_offsets[i + 1] ? values[row_offsets[i]] : 0;
          philia_sparse_set_scales (s, scale, NULL);
        }
    }
  return s;
}

void
philia_sparse_set_scales (PhiliaSparse *s,
                          const float  *row_scale,
                          const float  *col_scale)
{
  PhiliaSparse *t = s->transpose;

  g_clear_pointer (&s->row_scale, g_free);
  g_clear_pointer (&s->col_scale, g_free);
  g_clear_pointer (&t->row_scale, g_free);
  g_clear_pointer (&t->col_scale, g_free);
  if (row_scale != NULL)
    {
      s->row_scale = g_memdup2 (row_scale, sizeof (float) * MAX (s->rows, 1));
      t->col_scale = g_memdup2 (row_scale, sizeof (float) * MAX (s->rows, 1));
    }
  if (col_scale != NULL)
    {
      s->col_scale = g_memdup2 (col_scale, sizeof (float) * MAX (s->cols, 1));
      t->row_scale = g_memdup2 (col_scale, sizeof (float) * MAX (s->cols, 1));
    }
}

PhiliaSparse *
philia_sparse_new_rows (const PhiliaSparse *s,
                        const guint        *rows,
                        guint               n_rows)
{
  gint64 *off = g_new (gint64, n_rows + 1);
  gint32 *col;
  float *val = NULL;
  PhiliaSparse *out;
  gint64 nnz = 0;

  for (guint r = 0; r < n_rows; r++)
    {
      off[r] = nnz;
      nnz += s->row_offsets[rows[r] + 1] - s->row_offsets[rows[r]];
    }
  off[n_rows] = nnz;
  col = g_new (gint32, MAX (nnz, 1));
  if (s->values != NULL)
    val = g_new (float, MAX (nnz, 1));
  for (guint r = 0; r < n_rows; r++)
    {
      gint64 from = s->row_offsets[rows[r]], count = off[r + 1] - off[r];

      memcpy (col + off[r], s->col_index + from, sizeof (gint32) * count);
      if (val != NULL)
        memcpy (val + off[r], s->values + from, sizeof (float) * count);
    }
  out = philia_sparse_new (n_rows, s->cols, off, col, val);
  if (s->row_scale != NULL || s->col_scale != NULL)
    {
      g_autofree float *row_scale = NULL;

      if (s->row_scale != NULL)
        {
          row_scale = g_new (float, MAX (n_rows, 1));
          for (guint r = 0; r < n_rows; r++)
            row_scale[r] = s->row_scale[rows[r]];
        }
      philia_sparse_set_scales (out, row_scale, s->col_scale);
    }
  return out;
}

PhiliaSparse *
philia_sparse_new_from_dense (const float *data,
                              guint        rows,
                              guint        cols)
{
  gint64 *offsets = g_new (gint64, rows + 1);
  gint64 nnz = 0;
  gint32 *index;
  float *values;

  for (gsize i = 0; i < (gsize)rows * cols; i++)
    nnz += data[i] != 0.0f;
  index = g_new (gint32, MAX (nnz, 1));
  values = g_new (float, MAX (nnz, 1));
  nnz = 0;
  for (guint i = 0; i < rows; i++)
    {
      const float *row = data + (gsize)i * cols;

      offsets[i] = nnz;
      for (guint j = 0; j < cols; j++)
        if (row[j] != 0.0f)
          {
            index[nnz] = j;
            values[nnz++] = row[j];
          }
    }
  offsets[rows] = nnz;
  return philia_sparse_new (rows, cols, offsets, index, values);
}

PhiliaSparse *
philia_sparse_ref (PhiliaSparse *sparse)
{
  g_atomic_int_inc (&sparse->ref_count);
  return sparse;
}

static void
sparse_free (PhiliaSparse *s)
{
  g_free (s->row_offsets);
  g_free (s->col_index);
  g_free (s->values);
  g_free (s->row_index);
  g_free (s->transpose_perm);
  g_free (s->row_scale);
  g_free (s->col_scale);
  _philia_sparse_slices_free (s->slices);
  g_free (s);
}

void
philia_sparse_unref (PhiliaSparse *sparse)
{
  if (sparse == NULL || !g_atomic_int_dec_and_test (&sparse->ref_count))
    return;
  sparse_free (sparse->transpose);
  sparse_free (sparse);
}
