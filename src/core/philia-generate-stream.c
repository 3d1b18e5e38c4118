/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "philia-generate-private.h"
#include "philia-zip-private.h"

/*
 * A CSBM written as it is drawn (philia-generate-private.h). The default
 * draw keeps every edge to drop repeats; here each pair is an edge on its
 * own, so none repeats and nothing is kept: node u's partners v > u of
 * each class are reached by geometric skips along that class's sorted node
 * list, and the rows come out sorted, (u, v) with u < v. The .npy header
 * needs the row count first, so the sweep runs twice from the same seed:
 * once to count, once to write.
 *
 * Pair probabilities give the default draw's expectations: there a node
 * draws a partner of its class with probability h, one of another class
 * with 1 − h (uniform over those nodes of its region), and n·d/2 draws are
 * made, each from a uniform node. A same-class pair of class k in a region
 * of R nodes is then hit 2 m_r h / (R (s_k − 1)) times on average, a pair
 * of classes k ≠ l m_r (1 − h) / R · (1 / (R − s_k) + 1 / (R − s_l)),
 * where m_r = (n·d/2)·R/n is the region's share of the draws.
 */

#define ROWS_PER_WRITE 65536

typedef struct
{
  const PhiliaCsbmParams *params;
  const gint64 *labels;
  const guint8 *region;
  GArray *members[2][PHILIA_CSBM_MAX_CLASSES];
  double  p[2][PHILIA_CSBM_MAX_CLASSES][PHILIA_CSBM_MAX_CLASSES];
} Sweep;

typedef gboolean (*EmitRows) (const gint32  *rows,
                              gsize          n_rows,
                              gpointer       user_data,
                              GError       **error);

static int
compare_gint32 (const void *a,
                const void *b)
{
  gint32 x = *(const gint32 *)a, y = *(const gint32 *)b;

  return (x > y) - (x < y);
}

static void
sweep_init (Sweep                  *sw,
            const PhiliaCsbmParams *params,
            const gint64           *labels,
            const guint8           *region)
{
  guint n = params->n_nodes, c = params->n_classes;
  double m_target = (double)llround (n * params->degree / 2.0);

  sw->params = params;
  sw->labels = labels;
  sw->region = region;
  for (guint r = 0; r < 2; r++)
    for (guint k = 0; k < c; k++)
      sw->members[r][k] = g_array_new (FALSE, FALSE, sizeof (gint32));
  for (guint v = 0; v < n; v++)
    {
      gint32 id = (gint32)v;

      g_array_append_val (sw->members[region[v]][labels[v]], id);
    }
  for (guint r = 0; r < 2; r++)
    {
      double size = 0, h = r == 0 ? params->homophily : params->heterophilous_homophily;
      double m_r;

      for (guint k = 0; k < c; k++)
        size += sw->members[r][k]->len;
      m_r = m_target * size / n;
      for (guint k = 0; k < c; k++)
        for (guint l = 0; l < c; l++)
          {
            double sk = sw->members[r][k]->len, sl = sw->members[r][l]->len, p;

            if (size == 0 || sk == 0 || sl == 0)
              p = 0;
            else if (k == l)
              p = sk > 1 ? 2 * m_r * h / (size * (sk - 1)) : 0;
            else
              p = m_r * (1 - h) / size * (1 / (size - sk) + 1 / (size - sl));
            sw->p[r][k][l] = CLAMP (p, 0.0, 1.0);
          }
    }
}

static void
sweep_clear (Sweep *sw)
{
  for (guint r = 0; r < 2; r++)
    for (guint k = 0; k < sw->params->n_classes; k++)
      g_clear_pointer (&sw->members[r][k], g_array_unref);
}

/* Every edge, in (u, v) order with u < v, to @emit in blocks. */
static gboolean
sweep_run (Sweep         *sw,
           EmitRows       emit,
           gpointer       user_data,
           GCancellable  *cancellable,
           GError       **error)
{
  const PhiliaCsbmParams *params = sw->params;
  guint n = params->n_nodes, c = params->n_classes;
  const guint32 words[3] = { (guint32)params->seed, (guint32)(params->seed >> 32), 4 };
  g_autoptr(GRand) rand = g_rand_new_with_seed_array (words, 3);
  g_autofree gint32 *rows = g_new (gint32, 2 * ROWS_PER_WRITE);
  g_autoptr(GArray) partners = g_array_new (FALSE, FALSE, sizeof (gint32));
  guint cursor[2][PHILIA_CSBM_MAX_CLASSES] = { { 0 } };
  gsize n_rows = 0;

  for (guint u = 0; u < n; u++)
    {
      guint r = sw->region[u], k = (guint)sw->labels[u];

      if ((u & 0xffff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_array_set_size (partners, 0);
      for (guint l = 0; l < c; l++)
        {
          GArray *list = sw->members[r][l];
          const gint32 *ids = (const gint32 *)(gpointer)list->data;
          double p = sw->p[r][k][l];
          gint64 i;

          /* The lists are sorted: the first id above u moves only forward. */
          while (cursor[r][l] < list->len && ids[cursor[r][l]] <= (gint32)u)
            cursor[r][l]++;
          if (p <= 0)
            continue;
          for (i = (gint64)cursor[r][l] - 1;;)
            {
              if (p >= 1)
                i++;
              else
                {
                  /* Failures before the next success: floor(log(U) / log(1 − p)). */
                  double skip = floor (log (1.0 - g_rand_double (rand)) / log1p (-p));

                  if (skip >= (double)list->len)
                    break;
                  i += 1 + (gint64)skip;
                }
              if (i >= (gint64)list->len)
                break;
              g_array_append_val (partners, ids[i]);
            }
        }
      if (partners->len > 1)
        qsort (partners->data, partners->len, sizeof (gint32), compare_gint32);
      for (guint j = 0; j < partners->len; j++)
        {
          rows[2 * n_rows] = (gint32)u;
          rows[2 * n_rows + 1] = g_array_index (partners, gint32, j);
          if (++n_rows == ROWS_PER_WRITE)
            {
              if (!emit (rows, n_rows, user_data, error))
                return FALSE;
              n_rows = 0;
            }
        }
    }
  return n_rows == 0 || emit (rows, n_rows, user_data, error);
}

static gboolean
count_rows (const gint32  *rows,
            gsize          n_rows,
            gpointer       user_data,
            GError       **error)
{
  *(gint64 *)user_data += (gint64)n_rows;
  return TRUE;
}

typedef struct
{
  PhiliaZipWriter *writer;
  GCancellable    *cancellable;
} WriteRows;

static gboolean
write_rows (const gint32  *rows,
            gsize          n_rows,
            gpointer       user_data,
            GError       **error)
{
  WriteRows *w = user_data;

  /* Little-endian int32, as the header says: the bytes are the values. */
  return _philia_zip_writer_write (w->writer, (const guint8 *)rows, n_rows * 2 * sizeof (gint32),
                                   w->cancellable, error);
}

gboolean
philia_csbm_write_streamed (const PhiliaCsbmParams  *params,
                            const char              *path,
                            int                      level,
                            gint64                  *n_edges,
                            GCancellable            *cancellable,
                            GError                 **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(PhiliaZipWriter) writer = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GByteArray) header = NULL;
  g_autofree gint64 *labels = NULL;
  g_autofree guint8 *region = NULL;
  g_autofree char *display_name = NULL;
  g_autoptr(GError) local_error = NULL;
  Sweep sw = { 0 };
  PhiliaArray edges = { 0 };
  WriteRows w;
  gint64 m = 0;
  guint n;
  gboolean ok = FALSE;

  g_return_val_if_fail (params != NULL && path != NULL, FALSE);
  g_return_val_if_fail (level >= 0 && level <= 9, FALSE);

  if (!_philia_csbm_check_params (params, error))
    return FALSE;
  n = params->n_nodes;
  labels = g_new (gint64, n);
  region = g_new0 (guint8, n);
  rand = _philia_csbm_draw_labels (params, labels, region);
  sweep_init (&sw, params, labels, region);
  if (!sweep_run (&sw, count_rows, &m, cancellable, error))
    goto out;

  display_name = g_filename_display_basename (path);
  file = g_file_new_for_path (path);
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                        &local_error);
  if (out == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, _ ("%s: cannot be written: %s."),
                   display_name, local_error->message);
      goto out;
    }
  writer = _philia_zip_writer_new (G_OUTPUT_STREAM (out), display_name);
  {
    PhiliaArray labels_array = { PHILIA_DTYPE_INT64, 1, { n }, n, labels, 8 };

    if (!_philia_zip_writer_add_array (writer, "node_labels", &labels_array, level, cancellable,
                                       error))
      goto out;
  }
  if (params->n_features > 0)
    {
      g_autofree float *x = _philia_csbm_features (params, labels);
      PhiliaArray features = { PHILIA_DTYPE_FLOAT32, 2, { n, params->n_features },
                               (gint64)n * params->n_features, x, 4 };

      if (!_philia_zip_writer_add_array (writer, "node_features", &features, level, cancellable,
                                         error))
        goto out;
    }
  if (params->n_splits > 0)
    {
      static const char * const names[3] = { "train_masks", "val_masks", "test_masks" };
      guint8 *masks[3];
      gboolean masks_ok = TRUE;

      _philia_csbm_masks (params, masks);
      for (guint p = 0; p < 3; p++)
        {
          PhiliaArray mask = { PHILIA_DTYPE_BOOL, 2, { params->n_splits, n },
                               (gint64)params->n_splits * n, masks[p], 1 };

          masks_ok = masks_ok && _philia_zip_writer_add_array (writer, names[p], &mask, level,
                                                               cancellable, error);
          g_free (masks[p]);
        }
      if (!masks_ok)
        goto out;
    }

  edges = (PhiliaArray) { PHILIA_DTYPE_INT32, 2, { m, 2 }, 2 * m, NULL, 4 };
  header = _philia_npy_make_header (&edges);
  w = (WriteRows) { writer, cancellable };
  if (!_philia_zip_writer_begin (writer, "edges.npy", level, cancellable, error) ||
      !_philia_zip_writer_write (writer, header->data, header->len, cancellable, error) ||
      !sweep_run (&sw, write_rows, &w, cancellable, error) ||
      !_philia_zip_writer_end (writer, cancellable, error) ||
      !_philia_zip_writer_finish (writer, cancellable, error))
    goto out;
  if (!g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &local_error))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_IO, _ ("%s: cannot be written: %s."),
                   display_name, local_error->message);
      goto out;
    }
  if (n_edges != NULL)
    *n_edges = m;
  ok = TRUE;

out:
  sweep_clear (&sw);
  return ok;
}
