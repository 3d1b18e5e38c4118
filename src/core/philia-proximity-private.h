/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <math.h>

#include "philia-core.h"

G_BEGIN_DECLS

/*
 * What the three parts of the proximity heuristics share: the entry points
 * and the registry (philia-proximity.c), the per-source solvers behind
 * cn/jaccard/aa/ra, truncated and exact Katz, PPR, sp and fp
 * (philia-proximity-solve.c), and the one pass over the pairs for the
 * heuristics that read only the two rows of a pair (philia-proximity-fast.c).
 */

/* The heuristics that read the neighbourhoods of both ends of a pair. */
#define LOCAL_MASK (PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_CN)      \
                    | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_JACCARD) \
                    | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_AA)      \
                    | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_RA))

/* Sources solved together by the blocked CG of exact Katz and PPR. */
#define BLOCK 8

/* Sources solved together by PPR's Chebyshev iteration, at most. */
#define PPR_BLOCK 16

/* The absolute error bound of every PPR score (see do_ppr() and
 * philia-proximity-ppr.c). */
#define PPR_TOLERANCE 1e-10

/* The CG kernels run over per-column loops of a constant width: -O3 and an
 * AVX2/FMA clone picked at load time vectorise them (not under ASan, whose
 * instrumentation and ifuncs do not mix). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) \
    && !defined(__SANITIZE_ADDRESS__)
# define PROXIMITY_VECTORIZE \
  __attribute__ ((target_clones ("arch=x86-64-v3", "default"), optimize ("O3")))
# define PPR_VECTORIZE \
  __attribute__ ((target_clones ("arch=x86-64-v4", "arch=x86-64-v3", "default"), \
                  optimize ("O3")))
#else
# define PROXIMITY_VECTORIZE
# define PPR_VECTORIZE
#endif

/* The job of philia_proximity_score_pairs() when a heuristic needs more than
 * the two rows of a pair; its workers share it. */
typedef struct
{
  PhiliaGraph           *graph;
  guint                  n;
  const gint64          *off;
  const gint32          *nbr;
  PhiliaProximityParams  params;
  guint                  mask;
  guint                  n_cols;
  int                    col[PHILIA_PROXIMITY_N_HEURISTICS];
  const gint64          *pairs;
  double                *out;

  /* Pairs grouped by source: order[start[u] .. start[u+1]) are the pair
   * indices of source u; sources lists the distinct u, component by
   * component when a solver runs (so solver blocks share a component). */
  guint                  n_sources;
  guint                 *sources;
  gsize                 *start;
  gsize                 *order;

  double                *inv_log_deg;   /* 1 / ln d(w), for aa */
  const float           *features;
  guint                  n_features;
  double                 lambda_hi;     /* exact Katz */
  guint                 *comp_off;      /* components: comp_nodes[comp_off[c] .. comp_off[c+1]) */
  guint                 *comp_nodes;
  guint                 *comp_of;
  gint64                *comp_ends;     /* Σ d over the component */
  guint                  width;         /* sources per CG block */
  gint64                *turned_pairs;  /* PPR: pairs with some (u, v) turned to (v, u) */
  guint8                *turned;        /* PPR: per pair, whether it was */
  guint                  ppr_width;     /* PPR: sources per Chebyshev block */
  guint                 *ppr_pos;       /* PPR: label of each node in ppr_off/ppr_nbr */
  gint64                *ppr_off;       /* PPR: the CSR relabelled, one range per component */
  gint32                *ppr_nbr;

  gint                   next;
  GCancellable          *cancellable;
  GMutex                 lock;
  GError                *error;
} Job;

/* One source of a job and the indices of its pairs. */
typedef struct
{
  guint        u;
  const gsize *pairs;
  gsize        n_pairs;
} Source;

void     _philia_proximity_job_clear      (Job *job);
/* Fills comp_of, comp_off, comp_nodes and comp_ends. */
void     _philia_proximity_job_components (Job *job);
/* Thread body: takes chunks of sources until none is left; @data is the Job. */
gpointer _philia_proximity_worker         (gpointer data);
/* Runs @func (@data) on @n_threads threads (the caller's alone when 1) and joins them. */
void     _philia_proximity_run_threads    (const char *name,
                                           guint       n_threads,
                                           GThreadFunc func,
                                           gpointer    data);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Job, _philia_proximity_job_clear)

/* PPR (philia-proximity-ppr.c). Before the sources are grouped, each pair is
 * turned to be solved from the end that fewer solves cover (needs the
 * components); after the run, the turned scores are mapped back. */
void     _philia_proximity_ppr_turn_pairs (Job *job, gsize n_pairs);
void     _philia_proximity_ppr_map_back   (Job *job, gsize n_pairs);
/* Fills ppr_pos, ppr_off and ppr_nbr (needs the components). */
void     _philia_proximity_ppr_relabel    (Job *job);
/* Scores the pairs of @nb ≤ PPR_BLOCK non-isolated sources of one component;
 * @a and @b are n × nb scratch vectors. */
void     _philia_proximity_ppr_block      (const Job    *job,
                                           const Source *src,
                                           guint         nb,
                                           double       *a,
                                           double       *b);

/* Approximate PPR (philia-proximity-bippr.c): one score a pair in @out,
 * each depending only on the graph, the pair and @params. */
gboolean _philia_proximity_bippr_score_pairs (PhiliaGraph                 *graph,
                                              const PhiliaProximityParams *params,
                                              const gint64                *pairs,
                                              gsize                        n_pairs,
                                              double                      *out,
                                              GCancellable                *cancellable,
                                              GError                     **error);
/* δ: params->ppr_delta, or 1/n when that is 0. */
double   _philia_proximity_bippr_delta       (PhiliaGraph                 *graph,
                                              const PhiliaProximityParams *params);

/* Truncated Katz of a source with few targets by meeting in the middle
 * (philia-proximity-katz.c): the same bits as the per-source route while walk
 * counts stay below 2^53. Scratch for one thread, for L = @len. */
typedef struct _KatzMap KatzMap;
typedef struct _KatzMeet KatzMeet;

/* Sources with at most this many targets try the meeting in the middle. */
#define KATZ_MEET_MAX_TARGETS 4

KatzMeet *_philia_proximity_katz_meet_new  (guint len);
void      _philia_proximity_katz_meet_free (KatzMeet *k);
/* Writes the Katz column (@col) of the @n_pairs pairs of source @u; FALSE,
 * with some of them written, when the walk counts outgrow the scratch maps
 * (the caller then takes the per-source route). */
gboolean  _philia_proximity_katz_meet      (const Job   *job,
                                            KatzMeet    *k,
                                            guint        u,
                                            const gsize *pairs,
                                            gsize        n_pairs,
                                            int          col);
/* Hop distance s–t by a bidirectional BFS over the same maps (KATZ_MEET
 * scratch); FALSE when a side outgrows them. */
gboolean  _philia_proximity_sp_meet        (const Job   *job,
                                            KatzMeet    *k,
                                            guint        s,
                                            guint        t,
                                            gint32      *dist);

/* cn, jaccard, aa, ra, pa and/or fp for every pair; FALSE with @error for an
 * id out of range. */
gboolean _philia_proximity_score_pairs_fast (PhiliaGraph                 *graph,
                                            const PhiliaProximityParams *params,
                                            const gint64                *pairs,
                                            gsize                        n_pairs,
                                            guint                        mask,
                                            double                      *out,
                                            GError                     **error);

/* Cosine of two float rows, accumulated in double over four lanes so the
 * loop pipelines; the three sums share one read of each row. */
static inline double
cosine (const float * restrict a,
        const float * restrict b,
        guint                  f)
{
  double dot[4] = { 0 }, na[4] = { 0 }, nb[4] = { 0 };
  double d, sa, sb;
  guint j = 0;

  for (; j + 4 <= f; j += 4)
    for (guint l = 0; l < 4; l++)
      {
        double x = a[j + l], y = b[j + l];

        dot[l] += x * y;
        na[l] += x * x;
        nb[l] += y * y;
      }
  for (; j < f; j++)
    {
      double x = a[j], y = b[j];

      dot[0] += x * y;
      na[0] += x * x;
      nb[0] += y * y;
    }
  d = (dot[0] + dot[1]) + (dot[2] + dot[3]);
  sa = (na[0] + na[1]) + (na[2] + na[3]);
  sb = (nb[0] + nb[1]) + (nb[2] + nb[3]);
  if (sa == 0 || sb == 0)
    return 0;
  return d / (sqrt (sa) * sqrt (sb));
}

G_END_DECLS
