/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <fcntl.h>
#include <glib/gi18n.h>
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "philia-cli-mpi.h"

/* philia-cli under an MPI launcher: start-up, agreement on failure, and the
 * pairs of proximity and linkpred shared among the ranks (philia-cli-mpi.h). */

static gboolean mpi_on;
static int mpi_rank;
static int mpi_size = 1;

/* The commands whose work is shared; any other runs on rank 0 alone. */
static const char *const shared_commands[] = { "stats", "proximity", "linkpred", NULL };

/* Whether a launcher started this process: Open MPI's mpirun, PMIx (srun
 * --mpi=pmix, prterun) or PMI (srun --mpi=pmi2, MPICH's Hydra). Without one,
 * MPI_Init() would start a singleton runtime for nothing. */
static gboolean
launched (void)
{
  static const char *const vars[] = { "OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK",
                                      "PMI_SIZE" };

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    if (g_getenv (vars[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* GOption's --help exits from inside the parser, on every rank alike: MPI
 * must still be finalised, or the launcher reports an abnormal end. */
static void
finalize_at_exit (void)
{
  if (mpi_on)
    {
      fflush (stdout);
      MPI_Finalize ();
      mpi_on = FALSE;
    }
}

gboolean
cli_mpi_init (const char   *command,
              int          *argc,
              char       ***argv)
{
  gboolean shared = FALSE;

  if (!launched ())
    return TRUE;
  if (MPI_Init (argc, argv) != MPI_SUCCESS)
    return TRUE;   /* Open MPI has said why; run as one process. */
  mpi_on = TRUE;
  atexit (finalize_at_exit);
  MPI_Comm_rank (MPI_COMM_WORLD, &mpi_rank);
  MPI_Comm_size (MPI_COMM_WORLD, &mpi_size);

  /* Rank 0 alone prints: what K ranks print is what one process prints. */
  if (mpi_rank != 0)
    {
      int null = open ("/dev/null", O_WRONLY);

      if (null >= 0)
        {
          fflush (stdout);
          fflush (stderr);
          dup2 (null, STDOUT_FILENO);
          dup2 (null, STDERR_FILENO);
          close (null);
        }
    }

  shared = command != NULL && g_strv_contains (shared_commands, command);
  return shared || mpi_rank == 0;
}

int
cli_mpi_finish (int code)
{
  MPI_Request request;
  int done = 0;

  if (!mpi_on)
    return code;
  fflush (stdout);
  /* Waiting ranks sleep instead of spinning in a blocking broadcast: rank 0
   * may be training a model on the same cores. */
  MPI_Ibcast (&code, 1, MPI_INT, 0, MPI_COMM_WORLD, &request);
  while (MPI_Test (&request, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS && !done)
    g_usleep (2000);
  MPI_Finalize ();
  mpi_on = FALSE;
  return code;
}

const char *
cli_mpi_help (const char *command)
{
  if (command == NULL || !g_strv_contains (shared_commands, command))
    return NULL;
  return _ ("Under mpirun (or srun --mpi=pmix) the processes share the work, and rank 0\n"
            "prints what one process prints. stats --stream, and proximity with cn, jaccard,\n"
            "aa, ra or pa, read only each process's slice of an .npz's edges; otherwise\n"
            "every process reads the whole dataset.");
}

gboolean
cli_mpi_active (void)
{
  return mpi_on;
}

int
cli_mpi_rank (void)
{
  return mpi_rank;
}

int
cli_mpi_size (void)
{
  return mpi_size;
}

gboolean
cli_mpi_agree (GError **error)
{
  int mine, lowest, code = 0, lengths[2] = { 0, 0 };
  g_autofree char *domain = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (error != NULL, FALSE);

  if (!mpi_on)
    return *error == NULL;
  mine = *error != NULL ? mpi_rank : mpi_size;
  MPI_Allreduce (&mine, &lowest, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (lowest == mpi_size)
    return TRUE;

  /* The lowest failing rank's error, to every rank. */
  if (mpi_rank == lowest)
    {
      domain = g_strdup (g_quark_to_string ((*error)->domain));
      message = g_strdup ((*error)->message);
      code = (*error)->code;
      lengths[0] = (int)strlen (domain) + 1;
      lengths[1] = (int)strlen (message) + 1;
    }
  MPI_Bcast (lengths, 2, MPI_INT, lowest, MPI_COMM_WORLD);
  MPI_Bcast (&code, 1, MPI_INT, lowest, MPI_COMM_WORLD);
  if (mpi_rank != lowest)
    {
      domain = g_malloc (lengths[0]);
      message = g_malloc (lengths[1]);
    }
  MPI_Bcast (domain, lengths[0], MPI_CHAR, lowest, MPI_COMM_WORLD);
  MPI_Bcast (message, lengths[1], MPI_CHAR, lowest, MPI_COMM_WORLD);
  if (mpi_rank != lowest)
    {
      g_clear_error (error);
      g_set_error_literal (error, g_quark_from_string (domain), code, message);
    }
  return FALSE;
}

/* ------------------------------------------------------------ pairs */

/* The rank that scores the pairs of source @u: all of them, so the work
 * per source (walk counts, a Katz or PPR solve, a BFS) is done once. */
static int
owner (gint64 u)
{
  return (int)(u % mpi_size);
}

/* PPR solves its pairs in blocks and turns each pair towards the end that
 * covers most pairs, looking at every pair it is given
 * (philia-proximity-ppr.c): the last digits of a pair's score depend on the
 * other pairs. So that rank 0 prints what one process prints, rank 0 solves
 * PPR for all the pairs, as one process would, and sends the scores to
 * every rank; the other heuristics are shared out. */
static gboolean
ppr_on_rank0 (PhiliaGraph                 *graph,
              const PhiliaProximityParams *params,
              const gint64                *pairs,
              gsize                        n_pairs,
              double                      *out,
              GError                     **error)
{
  gboolean ok = TRUE;

  if (mpi_rank == 0)
    ok = philia_proximity_score_pairs (graph, params, pairs, n_pairs,
                                       PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR), out, NULL,
                                       error);
  (void)ok;
  if (!cli_mpi_agree (error))
    return FALSE;
  for (gsize done = 0; done < n_pairs;)
    {
      int chunk = (int)MIN (n_pairs - done, (gsize)1 << 30);

      MPI_Bcast (out + done, chunk, MPI_DOUBLE, 0, MPI_COMM_WORLD);
      done += (gsize)chunk;
    }
  return TRUE;
}

static gboolean
is_builtin_ppr (const PhiliaAlgorithm *algorithm)
{
  return algorithm != NULL && g_strcmp0 (algorithm->provider, PHILIA_PROVIDER_BUILTIN) == 0
         && g_strcmp0 (algorithm->id,
                       philia_proximity_heuristic_to_string (PHILIA_PROXIMITY_PPR)) == 0;
}

gboolean
cli_mpi_score_pairs (PhiliaGraph                 *graph,
                     const PhiliaProximityParams *params,
                     const gint64                *pairs,
                     gsize                        n_pairs,
                     guint                        mask,
                     const PhiliaAlgorithm       *algorithm,
                     double                      *out,
                     GError                     **error)
{
  guint width = algorithm != NULL ? 1 : philia_proximity_mask_count (mask);
  g_autofree int *counts = g_new0 (int, mpi_size);
  g_autofree int *displs = g_new0 (int, mpi_size);
  g_autofree int *cursor = NULL;
  g_autofree gint64 *mine = NULL;
  g_autofree double *mine_scores = NULL;
  g_autofree double *all = NULL;
  gsize n_mine = 0;
  MPI_Datatype row;
  gboolean ok;

  g_return_val_if_fail (mpi_on, FALSE);

  /* Approximate PPR (bippr) scores each pair on its own, from the pair and
   * the seed: it is shared out like the others. */
  if (mpi_size > 1 && (is_builtin_ppr (algorithm)
                       || (algorithm == NULL
                           && (mask & PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR))))
      && philia_proximity_ppr_method_resolve (graph, params) == PHILIA_PROXIMITY_PPR_EXACT)
    {
      guint ppr = PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR);
      g_autofree double *rest = NULL;
      g_autofree double *ppr_scores = NULL;

      if (algorithm != NULL || mask == ppr)
        return ppr_on_rank0 (graph, params, pairs, n_pairs, out, error);
      /* The other columns shared out, PPR's slotted in where it belongs. */
      rest = g_new (double, MAX (n_pairs * (width - 1), 1));
      ppr_scores = g_new (double, MAX (n_pairs, 1));
      if (!cli_mpi_score_pairs (graph, params, pairs, n_pairs, mask & ~ppr, NULL, rest, error)
          || !ppr_on_rank0 (graph, params, pairs, n_pairs, ppr_scores, error))
        return FALSE;
      philia_proximity_join_column (mask, PHILIA_PROXIMITY_PPR, rest, ppr_scores, n_pairs, out);
      return TRUE;
    }

  /* Every rank knows every owner: the gathered rows go back in place. */
  for (gsize i = 0; i < n_pairs; i++)
    counts[owner (pairs[2 * i])]++;
  for (int r = 1; r < mpi_size; r++)
    displs[r] = displs[r - 1] + counts[r - 1];
  n_mine = (gsize)counts[mpi_rank];
  mine = g_new (gint64, MAX (2 * n_mine, 1));
  mine_scores = g_new (double, MAX (n_mine * width, 1));
  for (gsize i = 0, j = 0; i < n_pairs; i++)
    if (owner (pairs[2 * i]) == mpi_rank)
      {
        mine[2 * j] = pairs[2 * i];
        mine[2 * j + 1] = pairs[2 * i + 1];
        j++;
      }

  if (algorithm != NULL)
    ok = philia_proximity_compute (algorithm, graph, params, mine, n_mine, mine_scores, NULL,
                                   error);
  else
    ok = philia_proximity_score_pairs (graph, params, mine, n_mine, mask, mine_scores, NULL,
                                       error);
  (void)ok;
  if (!cli_mpi_agree (error))
    return FALSE;

  /* One row of @width scores is one element: counts stay within an int
   * for up to 2^31 pairs per rank. */
  all = g_new (double, MAX (n_pairs * width, 1));
  MPI_Type_contiguous ((int)width, MPI_DOUBLE, &row);
  MPI_Type_commit (&row);
  MPI_Allgatherv (mine_scores, (int)n_mine, row, all, counts, displs, row, MPI_COMM_WORLD);
  MPI_Type_free (&row);

  cursor = g_memdup2 (displs, sizeof (int) * mpi_size);
  for (gsize i = 0; i < n_pairs; i++)
    {
      int r = owner (pairs[2 * i]);

      memcpy (out + i * width, all + (gsize)cursor[r]++ * width, sizeof (double) * width);
    }
  return TRUE;
}

PhiliaLinkpredResult *
cli_mpi_linkpred_evaluate (PhiliaLinkSplit             *split,
                           const PhiliaProximityParams *params,
                           PhiliaProximityHeuristic     heuristic,
                           const PhiliaAlgorithm       *algorithm,
                           GError                     **error)
{
  g_autofree gint64 *pairs = NULL;
  g_autofree double *scores = NULL;
  PhiliaLinkpredResult *result;
  gint64 n_pairs = 0;

  /* What philia_linkpred_evaluate() refuses, it refuses on every rank. */
  if (algorithm == NULL && heuristic == PHILIA_PROXIMITY_FP
      && philia_graph_get_n_features (split->train) == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("Feature similarity needs node features, and the graph has none."));
      return NULL;
    }

  pairs = philia_link_split_eval_pairs (split, &n_pairs);
  scores = g_new (double, MAX (n_pairs, 1));
  if (!cli_mpi_score_pairs (split->train, params, pairs, (gsize)n_pairs,
                            algorithm != NULL ? 0 : PHILIA_PROXIMITY_MASK (heuristic), algorithm,
                            scores, error))
    return NULL;
  /* Higher is likelier: a distance d becomes −d, unreachable −∞ (as the
   * core orients sp; a registered heuristic's scores are oriented already). */
  if (algorithm == NULL && heuristic == PHILIA_PROXIMITY_SP)
    for (gint64 i = 0; i < n_pairs; i++)
      scores[i] = scores[i] < 0 ? -INFINITY : -scores[i];

  result = philia_linkpred_result_new_from_scores (split,
                                                   algorithm != NULL
                                                   ? algorithm->id
                                                   : philia_proximity_heuristic_to_string (
                                                       heuristic),
                                                   scores);
  result->heuristic = algorithm != NULL ? PHILIA_PROXIMITY_N_HEURISTICS : heuristic;
  return result;
}
