/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-cli-private.h"

G_BEGIN_DECLS

/*
 * philia-cli across MPI processes (HACKING.md, "Past one machine: MPI").
 *
 * Started by an MPI launcher (mpirun, mpiexec, srun --mpi=pmix), stats,
 * proximity and linkpred share their work among the processes ("ranks"):
 * every rank runs the same command on the same arguments, does its share,
 * and the shares are summed (exact integer counts, or floating-point sums
 * folded rank after rank in the one order a single process uses) or
 * gathered, so every rank ends with what one process computes. Only rank 0
 * prints or writes files; the other ranks' stdout and stderr go to
 * /dev/null. Any other command runs on rank 0 alone.
 *
 * Started without a launcher, MPI is never initialised and nothing changes.
 * Built without MPI (meson -Dmpi=disabled), these are no-ops below.
 */

#ifdef PHILIA_CLI_MPI

/* Initialises MPI when a launcher started this process; @command is the
 * subcommand (NULL for none). Returns FALSE when this rank has nothing to do
 * (a command that is not shared, on a rank other than 0). */
gboolean     cli_mpi_init          (const char   *command,
                                    int          *argc,
                                    char       ***argv);
/* Finalises MPI if it was initialised; returns rank 0's exit code on every
 * rank, so the launcher sees one status. */
int          cli_mpi_finish        (int           code);
/* Whether MPI is initialised (under a launcher, even with one rank). */
gboolean     cli_mpi_active        (void);
int          cli_mpi_rank          (void);
int          cli_mpi_size          (void);

/* The --help note of a shared @command (NULL for the others). */
const char  *cli_mpi_help          (const char   *command);

/* Every rank calls it at the same point with its own outcome (*@error set
 * on failure). TRUE when every rank succeeded; otherwise FALSE, and *@error
 * is the failure of the lowest failing rank on every rank. */
gboolean     cli_mpi_agree         (GError      **error);

/* philia-cli-mpi-stats.c: the report of philia_stats_report_new(), its
 * counts shared among the ranks; every rank gets the whole report. */
PhiliaStatsReport *cli_mpi_stats_report (PhiliaGraph                    *graph,
                                         const PhiliaStatsReportOptions *options,
                                         GError                        **error);

/* philia-cli-mpi.c: philia_proximity_score_pairs() with @mask, or with
 * @algorithm philia_proximity_compute() (one column), the pairs shared among
 * the ranks grouped by source node (its work is done once, on one rank);
 * every rank gets every score in @out, as one process writes them. */
gboolean     cli_mpi_score_pairs   (PhiliaGraph                 *graph,
                                    const PhiliaProximityParams *params,
                                    const gint64                *pairs,
                                    gsize                        n_pairs,
                                    guint                        mask,
                                    const PhiliaAlgorithm       *algorithm,
                                    double                      *out,
                                    GError                     **error);

/* philia-cli-mpi.c: philia_linkpred_evaluate() (@algorithm NULL) or
 * philia_linkpred_evaluate_algorithm(), the test and negative pairs scored
 * by cli_mpi_score_pairs(); every rank gets the whole result. */
PhiliaLinkpredResult *cli_mpi_linkpred_evaluate (PhiliaLinkSplit             *split,
                                                 const PhiliaProximityParams *params,
                                                 PhiliaProximityHeuristic     heuristic,
                                                 const PhiliaAlgorithm       *algorithm,
                                                 GError                     **error);

#else

static inline gboolean cli_mpi_init (const char *command, int *argc, char ***argv)
{
  return TRUE;
}
static inline int      cli_mpi_finish (int code) { return code; }
static inline const char *cli_mpi_help (const char *command) { return NULL; }
static inline gboolean cli_mpi_active (void) { return FALSE; }
static inline int      cli_mpi_rank (void) { return 0; }
static inline int      cli_mpi_size (void) { return 1; }
static inline gboolean cli_mpi_agree (GError **error) { return error == NULL || *error == NULL; }
static inline PhiliaStatsReport *
cli_mpi_stats_report (PhiliaGraph *graph, const PhiliaStatsReportOptions *options,
                      GError **error)
{
  return philia_stats_report_new (graph, options, NULL, NULL, error);
}
static inline gboolean
cli_mpi_score_pairs (PhiliaGraph *graph, const PhiliaProximityParams *params,
                     const gint64 *pairs, gsize n_pairs, guint mask,
                     const PhiliaAlgorithm *algorithm, double *out, GError **error)
{
  if (algorithm != NULL)
    return philia_proximity_compute (algorithm, graph, params, pairs, n_pairs, out, NULL, error);
  return philia_proximity_score_pairs (graph, params, pairs, n_pairs, mask, out, NULL, error);
}

static inline PhiliaLinkpredResult *
cli_mpi_linkpred_evaluate (PhiliaLinkSplit *split, const PhiliaProximityParams *params,
                           PhiliaProximityHeuristic heuristic, const PhiliaAlgorithm *algorithm,
                           GError **error)
{
  g_assert_not_reached ();
  return NULL;
}

#endif

/* Whether this process prints and writes files: always, but under MPI only
 * rank 0. */
static inline gboolean cli_mpi_is_root (void) { return cli_mpi_rank () == 0; }

G_END_DECLS
