/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef PHILIA_CLI_MPI
# include <mpi.h>
#endif

#include "philia-cli-mpi.h"
#include "philia-cli-stream.h"
#include "philia-stream-stats.h"

/*
 * proximity --stream: cn, jaccard, aa, ra and pa of given pairs with the
 * edge member of an .npz read in pieces, never loaded as a graph. A pair's
 * scores need the rows of its two nodes and the degrees of their common
 * neighbours, nothing else: the slice is read once to collect the rows of
 * the pairs' nodes, and once more for the rows of the common neighbours
 * (a degree is the length of a row without repeats, which only the row
 * itself gives when rows are stored in any order). Each row is sorted and
 * its repeats and self-loops dropped, so it is the loaded graph's CSR row
 * (HACKING.md §3), and the scores come from the same loop in the same
 * order as philia-proximity-fast.c: equal to the last bit.
 *
 * Under mpirun rank r reads rows [E r / K, E (r + 1) / K) of the member
 * only (a stored member from its byte offset; a deflated one is inflated
 * up to the end of the slice), scores the pairs whose source u has
 * u mod K = r, and sends each rank the parts of its rows found in its
 * slice; the scores are gathered back in the pairs' order.
 */

#define ROWS_PER_READ 65536

#define STREAM_MASK (PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_CN) \
                     | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_JACCARD) \
                     | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_AA) \
                     | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_RA) \
                     | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PA))

gboolean
cli_stream_pairs_supports (guint mask)
{
  return mask != 0 && (mask & ~STREAM_MASK) == 0;
}

/* Rows of some nodes: @off has n + 1 entries, a node not asked for has an
 * empty row. */
typedef struct
{
  gint64 *off;
  gint32 *nbr;
} Rows;

static void
rows_clear (Rows *rows)
{
  g_clear_pointer (&rows->off, g_free);
  g_clear_pointer (&rows->nbr, g_free);
}

/* Which ranks want node x's row: bit q of want[x * words + q / 8]. */
typedef struct
{
  guint8 *bits;
  guint   words;
} Want;

static inline gboolean
wanted_by (const Want *want,
           gint64      x,
           int         q)
{
  return (want->bits[(gsize)x * want->words + (guint)q / 8] >> ((guint)q % 8)) & 1;
}

static inline gboolean
wanted (const Want *want,
        gint64      x)
{
  for (guint w = 0; w < want->words; w++)
    if (want->bits[(gsize)x * want->words + w] != 0)
      return TRUE;
  return FALSE;
}

static int
cmp_gint32 (const void *a,
            const void *b)
{
  gint32 x = *(const gint32 *)a, y = *(const gint32 *)b;

  return (x > y) - (x < y);
}

/* Sorts each row and drops its repeats, moving the rows together. */
static void
rows_normalise (Rows *rows,
                guint n)
{
  gint64 to = 0, from = 0;

  for (guint x = 0; x < n; x++)
    {
      gint64 end = rows->off[x + 1], start = to;
      gint32 *row = rows->nbr + from;
      gsize len = (gsize)(end - from);
      gboolean sorted = TRUE;

      /* Sorted files give sorted rows: only the others pay for a sort. */
      for (gsize i = 1; i < len && sorted; i++)
        sorted = row[i - 1] <= row[i];
      if (!sorted)
        qsort (row, len, sizeof (gint32), cmp_gint32);
      for (gsize i = 0; i < len; i++)
        if (to == start || rows->nbr[to - 1] != row[i])
          rows->nbr[to++] = row[i];
      rows->off[x] = start;
      from = end;
    }
  rows->off[n] = to;
  rows->nbr = g_renew (gint32, rows->nbr, MAX (to, 1));
}

/* Reads rows [@first, @last) of the edge member twice: once to count, once
 * to keep the half-edges (x, y) of every wanted x. Self-loops are left out,
 * as the loaded graph leaves them out. */
static gboolean
read_slice (PhiliaNpz   *npz,
            const char  *path,
            guint        n,
            const Want  *want,
            guint64      first,
            guint64      last,
            Rows        *rows,
            GError     **error)
{
  g_autofree gint64 *buf = g_new (gint64, 2 * ROWS_PER_READ);
  g_autofree gint64 *cursor = NULL;

  rows->off = g_new0 (gint64, (gsize)n + 1);
  for (int pass = 0; pass < 2; pass++)
    {
      g_autoptr(PhiliaRowStream) s = _philia_row_stream_new (npz, "edges", TRUE, error);
      guint64 r = first;

      if (s == NULL || !_philia_row_stream_set_range (s, first, last, error))
        return FALSE;
      for (;;)
        {
          gssize got = _philia_row_stream_read (s, buf, ROWS_PER_READ, error);

          if (got < 0)
            return FALSE;
          if (got == 0)
            break;
          for (gssize i = 0; i < got; i++, r++)
            {
              gint64 u = buf[2 * i], v = buf[2 * i + 1];

              if (pass == 0 && (u < 0 || v < 0 || u >= n || v >= n))
                {
                  g_autofree char *name = g_filename_display_basename (path);

                  return _philia_stream_check_row (name, n, r, u, v, error);
                }
              if (u == v)
                continue;
              if (pass == 0)
                {
                  if (wanted (want, u))
                    rows->off[u + 1]++;
                  if (wanted (want, v))
                    rows->off[v + 1]++;
                }
              else
                {
                  if (wanted (want, u))
                    rows->nbr[cursor[u]++] = (gint32)v;
                  if (wanted (want, v))
                    rows->nbr[cursor[v]++] = (gint32)u;
                }
            }
        }
      if (pass == 0)
        {
          for (guint x = 0; x < n; x++)
            rows->off[x + 1] += rows->off[x];
          rows->nbr = g_new (gint32, MAX (rows->off[n], 1));
          cursor = g_memdup2 (rows->off, sizeof (gint64) * n);
        }
    }
  return TRUE;
}

#ifdef PHILIA_CLI_MPI
/* Rank q gets the rows of the nodes it wants from every slice: for each
 * such x, the words x, len, then len neighbours. */
static gboolean
exchange_rows (guint        n,
               const Want  *want,
               Rows        *rows,
               GError     **error)
{
  int size = cli_mpi_size ();
  g_autofree int *send_counts = g_new0 (int, size);
  g_autofree int *recv_counts = g_new0 (int, size);
  g_autofree int *send_displs = g_new0 (int, size);
  g_autofree int *recv_displs = g_new0 (int, size);
  g_autofree gint32 *send = NULL;
  g_autofree gint32 *recv = NULL;
  gint64 total = 0, recv_total = 0;
  Rows mine = { NULL, NULL };
  gint64 *cursor;
  int too_big = 0;

  for (int q = 0; q < size; q++)
    {
      gint64 words = 0;

      for (guint x = 0; x < n; x++)
        if (rows->off[x + 1] > rows->off[x] && wanted_by (want, x, q))
          words += 2 + rows->off[x + 1] - rows->off[x];
      if (total + words > INT_MAX)
        too_big = 1;
      send_counts[q] = (int)MIN (words, INT_MAX);
      send_displs[q] = (int)MIN (total, INT_MAX);
      total += words;
    }
  MPI_Allreduce (MPI_IN_PLACE, &too_big, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (too_big)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   _ ("The rows one process sends exceed 2³¹ numbers: run more processes."));
      return FALSE;
    }
  send = g_new (gint32, MAX (total, 1));
  for (int q = 0, at = 0; q < size; q++)
    for (guint x = 0; x < n; x++)
      if (rows->off[x + 1] > rows->off[x] && wanted_by (want, x, q))
        {
          gint64 len = rows->off[x + 1] - rows->off[x];

          send[at++] = (gint32)x;
          send[at++] = (gint32)len;
          memcpy (send + at, rows->nbr + rows->off[x], sizeof (gint32) * len);
          at += (int)len;
        }
  rows_clear (rows);

  MPI_Alltoall (send_counts, 1, MPI_INT, recv_counts, 1, MPI_INT, MPI_COMM_WORLD);
  for (int q = 0; q < size; q++)
    {
      recv_displs[q] = (int)recv_total;
      recv_total += recv_counts[q];
      if (recv_total > INT_MAX)
        too_big = 1;
    }
  MPI_Allreduce (MPI_IN_PLACE, &too_big, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (too_big)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   _ ("The rows one process receives exceed 2³¹ numbers: run more processes."));
      return FALSE;
    }
  recv = g_new (gint32, MAX (recv_total, 1));
  MPI_Alltoallv (send, send_counts, send_displs, MPI_INT32_T, recv, recv_counts, recv_displs,
                 MPI_INT32_T, MPI_COMM_WORLD);
  g_clear_pointer (&send, g_free);

  /* The pieces of a row, from rank 0's slice up: a row in file order. */
  mine.off = g_new0 (gint64, (gsize)n + 1);
  for (gint64 at = 0; at < recv_total; at += 2 + recv[at + 1])
    mine.off[recv[at] + 1] += recv[at + 1];
  for (guint x = 0; x < n; x++)
    mine.off[x + 1] += mine.off[x];
  mine.nbr = g_new (gint32, MAX (mine.off[n], 1));
  cursor = g_memdup2 (mine.off, sizeof (gint64) * n);
  for (gint64 at = 0; at < recv_total; at += 2 + recv[at + 1])
    {
      gint32 x = recv[at], len = recv[at + 1];

      memcpy (mine.nbr + cursor[x], recv + at + 2, sizeof (gint32) * len);
      cursor[x] += len;
    }
  g_free (cursor);
  *rows = mine;
  return TRUE;
}
#endif

/* The rows this rank wants (@want), read from this rank's slice and, under
 * mpirun, from every other rank's. */
static gboolean
gather_rows (PhiliaNpz   *npz,
             const char  *path,
             guint        n,
             const Want  *want,
             guint64      first,
             guint64      last,
             Rows        *rows,
             GError     **error)
{
  read_slice (npz, path, n, want, first, last, rows, error);
  if (!cli_mpi_agree (error))
    {
      rows_clear (rows);
      return FALSE;
    }
#ifdef PHILIA_CLI_MPI
  if (cli_mpi_active () && !exchange_rows (n, want, rows, error))
    return FALSE;
#endif
  rows_normalise (rows, n);
  return TRUE;
}

static int
owner (gint64 u)
{
  return (int)(u % cli_mpi_size ());
}

/* Marks the nodes in @nodes (ascending, no repeats) wanted by rank @q. */
static void
want_nodes (Want         *want,
            const gint32 *nodes,
            gsize         n_nodes,
            int           q)
{
  for (gsize i = 0; i < n_nodes; i++)
    want->bits[(gsize)nodes[i] * want->words + (guint)q / 8] |= (guint8)(1u << ((guint)q % 8));
}

/* The nodes of @mark set, ascending. */
static GArray *
marked_nodes (const guint8 *mark,
              guint         n)
{
  GArray *nodes = g_array_new (FALSE, FALSE, sizeof (gint32));

  for (guint x = 0; x < n; x++)
    if (mark[x])
      {
        gint32 v = (gint32)x;

        g_array_append_val (nodes, v);
      }
  return nodes;
}

/* Every rank's list of nodes, to every rank, as @want bits. */
static void
share_wants (Want   *want,
             GArray *mine)
{
#ifdef PHILIA_CLI_MPI
  if (cli_mpi_active ())
    {
      int size = cli_mpi_size ();
      g_autofree int *counts = g_new0 (int, size);
      g_autofree int *displs = g_new0 (int, size);
      g_autofree gint32 *all = NULL;
      int len = (int)mine->len, total = 0;

      MPI_Allgather (&len, 1, MPI_INT, counts, 1, MPI_INT, MPI_COMM_WORLD);
      for (int q = 0; q < size; q++)
        {
          displs[q] = total;
          total += counts[q];
        }
      all = g_new (gint32, MAX (total, 1));
      MPI_Allgatherv (mine->data, len, MPI_INT32_T, all, counts, displs, MPI_INT32_T,
                      MPI_COMM_WORLD);
      for (int q = 0; q < size; q++)
        want_nodes (want, all + displs[q], (gsize)counts[q], q);
      return;
    }
#endif
  want_nodes (want, (const gint32 *)mine->data, mine->len, 0);
}

/* Scores the @n_mine pairs @mine as _philia_proximity_score_pairs_fast()
 * does; @degree holds the degree of every node the loop reads. */
static void
score (const Rows   *rows,
       const gint64 *degree,
       const gint64 *mine,
       gsize         n_mine,
       guint         mask,
       double       *out)
{
  guint stride = philia_proximity_mask_count (mask);
  int col[PHILIA_PROXIMITY_N_HEURISTICS];

  for (guint h = 0, c = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    col[h] = (mask & PHILIA_PROXIMITY_MASK (h)) ? (int)c++ : -1;
  for (gsize i = 0; i < n_mine; i++)
    {
      gint64 u = mine[2 * i], v = mine[2 * i + 1];
      const gint32 *a = rows->nbr + rows->off[u], *a1 = rows->nbr + rows->off[u + 1];
      const gint32 *b = rows->nbr + rows->off[v], *b1 = rows->nbr + rows->off[v + 1];
      guint du = (guint)(a1 - a), dv = (guint)(b1 - b), cn = 0;
      double aa = 0, ra = 0, *row = out + i * stride;

      while (a < a1 && b < b1)
        {
          gint32 x = *a, y = *b;

          if (x == y)
            {
              double d = (double)degree[x];

              cn++;
              aa += 1.0 / log (d);
              ra += 1.0 / d;
            }
          a += x <= y;
          b += y <= x;
        }
      if (col[PHILIA_PROXIMITY_CN] >= 0)
        row[col[PHILIA_PROXIMITY_CN]] = cn;
      if (col[PHILIA_PROXIMITY_JACCARD] >= 0)
        row[col[PHILIA_PROXIMITY_JACCARD]] = du + dv - cn > 0 ? (double)cn / (du + dv - cn)
                                                               : 0.0;
      if (col[PHILIA_PROXIMITY_AA] >= 0)
        row[col[PHILIA_PROXIMITY_AA]] = aa;
      if (col[PHILIA_PROXIMITY_RA] >= 0)
        row[col[PHILIA_PROXIMITY_RA]] = ra;
      if (col[PHILIA_PROXIMITY_PA] >= 0)
        row[col[PHILIA_PROXIMITY_PA]] = (double)du * (double)dv;
    }
}

/* The scores of every rank's pairs, to every rank, in the pairs' order. */
static void
gather_scores (const gint64 *pairs,
               gsize         n_pairs,
               guint         width,
               const double *mine_scores,
               gsize         n_mine,
               double       *out)
{
#ifdef PHILIA_CLI_MPI
  if (cli_mpi_active ())
    {
      int size = cli_mpi_size ();
      g_autofree int *counts = g_new0 (int, size);
      g_autofree int *displs = g_new0 (int, size);
      g_autofree double *all = g_new (double, MAX (n_pairs * width, 1));
      MPI_Datatype row;

      for (gsize i = 0; i < n_pairs; i++)
        counts[owner (pairs[2 * i])]++;
      for (int q = 1; q < size; q++)
        displs[q] = displs[q - 1] + counts[q - 1];
      MPI_Type_contiguous ((int)width, MPI_DOUBLE, &row);
      MPI_Type_commit (&row);
      MPI_Allgatherv (mine_scores, (int)n_mine, row, all, counts, displs, row, MPI_COMM_WORLD);
      MPI_Type_free (&row);
      for (gsize i = 0; i < n_pairs; i++)
        memcpy (out + i * width, all + (gsize)displs[owner (pairs[2 * i])]++ * width,
                sizeof (double) * width);
      return;
    }
#endif
  (void)pairs;
  memcpy (out, mine_scores, sizeof (double) * n_pairs * width);
}

gboolean
cli_stream_score_pairs (const char    *path,
                        PhiliaNpz     *npz,
                        guint          n,
                        const gint64  *pairs,
                        gsize          n_pairs,
                        guint          mask,
                        double        *out,
                        GError       **error)
{
  int rank = cli_mpi_rank (), size = cli_mpi_size ();
  guint width = philia_proximity_mask_count (mask);
  g_autoptr(PhiliaRowStream) s = NULL;
  g_autofree gint64 *mine = NULL;
  g_autofree double *mine_scores = NULL;
  g_autofree guint8 *mark = NULL;
  g_autofree gint64 *degree = NULL;
  g_autoptr(GArray) nodes = NULL;
  Want want = { NULL, (guint)(size + 7) / 8 };
  Rows rows = { NULL, NULL }, more = { NULL, NULL };
  guint64 n_rows, first, last;
  gsize n_mine = 0;

  g_return_val_if_fail (cli_stream_pairs_supports (mask), FALSE);

  s = _philia_row_stream_new (npz, "edges", FALSE, error);
  if (!cli_mpi_agree (error))
    return FALSE;
  n_rows = _philia_row_stream_get_n_rows (s);
  g_clear_pointer (&s, _philia_row_stream_free);
  first = (guint64)((double)n_rows * rank / size);
  last = rank + 1 == size ? n_rows : (guint64)((double)n_rows * (rank + 1) / size);

  /* This rank's pairs, and the nodes whose rows they read. */
  mine = g_new (gint64, MAX (2 * n_pairs, 1));
  mark = g_new0 (guint8, MAX (n, 1));
  for (gsize i = 0; i < n_pairs; i++)
    if (owner (pairs[2 * i]) == rank)
      {
        mine[2 * n_mine] = pairs[2 * i];
        mine[2 * n_mine + 1] = pairs[2 * i + 1];
        mark[pairs[2 * i]] = mark[pairs[2 * i + 1]] = 1;
        n_mine++;
      }
  want.bits = g_new0 (guint8, MAX ((gsize)n * want.words, 1));
  nodes = marked_nodes (mark, n);
  share_wants (&want, nodes);
  if (!gather_rows (npz, path, n, &want, first, last, &rows, error))
    return FALSE;

  /* aa and ra need the degrees of the common neighbours: their rows. */
  degree = g_new (gint64, MAX (n, 1));
  for (guint x = 0; x < n; x++)
    degree[x] = rows.off[x + 1] - rows.off[x];
  memset (mark, 0, n);
  if (mask & (PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_AA)
              | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_RA)))
    for (gsize i = 0; i < n_mine; i++)
      {
        const gint32 *a = rows.nbr + rows.off[mine[2 * i]];
        const gint32 *a1 = rows.nbr + rows.off[mine[2 * i] + 1];
        const gint32 *b = rows.nbr + rows.off[mine[2 * i + 1]];
        const gint32 *b1 = rows.nbr + rows.off[mine[2 * i + 1] + 1];

        while (a < a1 && b < b1)
          {
            gint32 x = *a, y = *b;

            if (x == y)
              mark[x] = 1;
            a += x <= y;
            b += y <= x;
          }
      }
  /* A node already gathered keeps its row; only the others are read. */
  for (gsize i = 0; i < nodes->len; i++)
    mark[g_array_index (nodes, gint32, i)] = 0;
  g_clear_pointer (&nodes, g_array_unref);
  nodes = marked_nodes (mark, n);
  memset (want.bits, 0, (gsize)n * want.words);
  share_wants (&want, nodes);
  if (!gather_rows (npz, path, n, &want, first, last, &more, error))
    {
      rows_clear (&rows);
      return FALSE;
    }
  for (gsize i = 0; i < nodes->len; i++)
    {
      gint32 x = g_array_index (nodes, gint32, i);

      degree[x] = more.off[x + 1] - more.off[x];
    }
  rows_clear (&more);
  g_clear_pointer (&want.bits, g_free);

  mine_scores = g_new (double, MAX (n_mine * width, 1));
  score (&rows, degree, mine, n_mine, mask, mine_scores);
  rows_clear (&rows);
  gather_scores (pairs, n_pairs, width, mine_scores, n_mine, out);
  return TRUE;
}
