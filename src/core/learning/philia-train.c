/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The model context and the training loop (HACKING.md §7). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-train-private.h"
#include "philia-cost-private.h"
#include "philia-ops-narrow-private.h"
#include "philia-train-eval-private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>
#include <time.h>
#ifdef G_OS_UNIX
#include <sys/resource.h>
#endif

/* How much faster a trial step on several threads must be than on one for a
 * run to keep them, by the fastest trials and in the median round
 * (PhiliaChoice): when they are level, one thread spares the other core,
 * and a level cell kept on two threads by a lucky trial ran its epochs up
 * to a quarter slower than one thread (GAT 8 × 8 and GCN 16 on the
 * bag-of-words graphs won their fastest trials by 3–4 %; tests/bench/GRID.md,
 * session 19). */
#define EPOCH_THREADS_MARGIN 0.05
/* Trial steps timed on each thread count, after epoch 0's training step,
 * before any counted epoch; the fastest of each is compared. Short steps
 * are timed more often, up to EPOCH_THREADS_MAX_ROUNDS each, while the
 * timed trials take at most about EPOCH_TRIALS_US: the fastest of more
 * trials is less at the mercy of one preemption on a shared machine, and
 * a step of a millisecond costs little to time again. */
#define EPOCH_THREADS_ROUNDS 2
#define EPOCH_THREADS_MAX_ROUNDS 5
G_STATIC_ASSERT (EPOCH_THREADS_MAX_ROUNDS <= PHILIA_CHOICE_MAX_ROUNDS);
#define EPOCH_TRIALS_US 10000.0
/* A step shorter than this runs once untimed on an arm before each timed
 * trial on it: the arms alternate, and a one-thread step right after a
 * split one first fetches what the worker left in its cache (GAT 256 on
 * 2,708 × 10: one thread's trials 3.2 ms against counted epochs of 2.7, so
 * two threads won trials they then lost; tests/bench/GRID.md, session 17).
 * Longer steps pay that once among many milliseconds. */
#define EPOCH_WARM_US 20000.0
/* A timed trial that first touched more than this many pages is not counted
 * and its arm runs again, at most EPOCH_THREADS_RETRIES times a run: the
 * buffer pool keeps what one arm's ops need, so the first trial after a
 * switch takes fresh pages (an MLP of width 512 on 11,758 nodes: 110 ms of
 * page faults against a 9 ms epoch), which says nothing of the arm. */
#define EPOCH_FRESH_PAGES 256
#define EPOCH_THREADS_RETRIES 4
/* Trial steps that time op sites once a run goes on with several threads,
 * at most (a site is decided on its third use). */
#define EPOCH_SITE_TRIALS 6
/* Untimed steps, each with an evaluation pass, on what the run goes on with
 * once the thread choice is made, at most: until one of them frees nothing
 * from the buffer pool (settle_pool ()). */
#define EPOCH_SETTLE_STEPS 4

/* Pages the process has touched for the first time so far (minor faults),
 * or 0 where the system does not say. */
static guint64
fresh_pages (void)
{
#ifdef G_OS_UNIX
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) == 0)
    return (guint64)usage.ru_minflt;
#endif
  return 0;
}

/* The labels (and mask) the training step's loss reads for an output of
 * @rows rows: the loss rows' when the model computed them alone (in order),
 * a batch's, or the training nodes' among all. */
static void
loss_target (guint                     rows,
             const PhiliaModelContext *ctx,
             const gint32             *labels,
             const gint32             *loss_labels,
             const guint8             *train,
             const gint32            **target,
             const guint8            **mask)
{
  *mask = NULL;
  if (ctx->loss_rows != NULL && rows == ctx->n_loss_rows)
    *target = loss_labels;
  else if (ctx->n_batch_rows > 0 && rows == ctx->n_batch_rows)
    *target = ctx->batch_labels;
  else
    {
      *target = labels;
      *mask = train;
    }
}

/* The training step's forward pass and loss (the tape reset and in
 * training mode). A model whose output layer is linear on a tensor that
 * needs no gradient (_philia_op_linear_output ()) leaves it to the loss:
 * product, log-softmax, NLL and weight gradient in one pass over its rows
 * (HACKING.md §7); any other output goes through log-softmax and NLL. */
static PhiliaTensor *
training_loss (PhiliaTape               *tape,
               const PhiliaModelVTable  *vtable,
               gpointer                  model,
               PhiliaModelContext       *ctx,
               const gint32             *labels,
               const gint32             *loss_labels,
               const guint8             *train)
{
  PhiliaRng ctx_rng = ctx->rng, tape_rng = *philia_tape_get_rng (tape);
  PhiliaTensor *out, *loss;
  const gint32 *target;
  const guint8 *mask;
  gboolean misused;

  _philia_tape_defer_output (tape, TRUE);
  out = vtable->forward (model, ctx, tape);
  _philia_tape_defer_output (tape, FALSE);
  loss_target (out->rows, ctx, labels, loss_labels, train, &target, &mask);
  loss = _philia_op_output_nll (tape, out, target, mask, &misused);
  if (loss != NULL)
    return loss;
  if (misused)
    {
      g_critical ("A model computed on its deferred output layer; running its forward pass "
                  "again without deferring.");
      philia_tape_reset (tape);
      ctx->rng = ctx_rng;
      *philia_tape_get_rng (tape) = tape_rng;
      out = vtable->forward (model, ctx, tape);
      loss_target (out->rows, ctx, labels, loss_labels, train, &target, &mask);
    }
  return philia_op_nll (tape, philia_op_log_softmax (tape, out), target, mask);
}

/* A trial step for the thread choice: the training step's forward pass,
 * loss and backward pass, and in place of the optimizer's step its dry pass
 * (it reads what the step reads, where the step would run, and sets the
 * parameters' gradients back to zero as the step leaves them), and
 * the caller puts the random streams back. A model whose training pass
 * moves state of its own runs it in evaluation mode (dropout off), and one
 * that trains on batches gets an evaluation pass alone. */
static void
trial_step (PhiliaTape              *tape,
            const PhiliaModelVTable *vtable,
            gpointer                 model,
            PhiliaModelContext      *ctx,
            const gint32            *labels,
            const gint32            *loss_labels,
            const guint8            *train,
            PhiliaOptimizer         *optimizer)
{
  if (ctx->n_batch_rows > 0)
    {
      _philia_eval_forward (tape, vtable, model, ctx, NULL);
      return;
    }
  philia_tape_reset (tape);
  philia_tape_set_training (tape, !ctx->own_training_state);
  philia_tape_backward (tape, training_loss (tape, vtable, model, ctx, labels, loss_labels,
                                             train));
  _philia_optimizer_trial_step (optimizer, tape);
}

/* One timed trial step (wall µs), or a negative time when it first touched
 * so many pages that it says more of the buffer pool than of the step and
 * should run again (*retries counts those, at most EPOCH_THREADS_RETRIES
 * a run; without @retries it never does). */
static double
timed_trial (PhiliaTape              *tape,
             const PhiliaModelVTable *vtable,
             gpointer                 model,
             PhiliaModelContext      *ctx,
             const gint32            *labels,
             const gint32            *loss_labels,
             const guint8            *train,
             PhiliaOptimizer         *optimizer,
             guint                   *retries)
{
  guint64 pages0 = fresh_pages ();
  gint64 w0 = g_get_monotonic_time ();

  trial_step (tape, vtable, model, ctx, labels, loss_labels, train, optimizer);
  if (retries != NULL && *retries < EPOCH_THREADS_RETRIES
      && fresh_pages () - pages0 > EPOCH_FRESH_PAGES)
    {
      (*retries)++;
      g_debug ("trial step on %u threads took %" G_GUINT64_FORMAT " fresh pages: timed again",
               tape->n_threads, fresh_pages () - pages0);
      return -1;
    }
  return (double)(g_get_monotonic_time () - w0);
}

/* After the thread choice: the buffer pool holds what the trials on both
 * arms needed (two threads' separate ops keep more [n, H] buffers than the
 * fused ones of one thread), and it frees what a step stopped using once
 * the steps that used it have left its window, in the reset that starts a
 * counted epoch: about a millisecond of unmapping in epoch 1 or 2 of a
 * 2.2 ms GCN 512 step over 2,708 × 10 (tests/bench/GRID.md, session 18).
 * So the trials are forgotten and steps on the chosen arm (a trial step
 * and an evaluation pass, as an epoch has) run untimed until one of them
 * frees nothing; the first of them also warms the arm. Returns the steps
 * taken. */
static guint
settle_pool (PhiliaTape              *tape,
             const PhiliaModelVTable *vtable,
             gpointer                 model,
             PhiliaModelContext      *ctx,
             const gint32            *labels,
             const gint32            *loss_labels,
             const guint8            *train,
             PhiliaOptimizer         *optimizer)
{
  guint steps = 0;

  _philia_tape_pool_forget_steps (tape);
  while (steps < EPOCH_SETTLE_STEPS)
    {
      gsize freed = _philia_tape_pool_freed (tape);

      _philia_eval_forward (tape, vtable, model, ctx, NULL);
      trial_step (tape, vtable, model, ctx, labels, loss_labels, train, optimizer);
      steps++;
      if (_philia_tape_pool_freed (tape) == freed)
        break;
    }
  return steps;
}

/* Chooses between one thread and @n_threads by timing trial steps on each
 * in turn (@choice: the first on all threads uncounted, then one, all, one,
 * all, …, two to five of each as the first took; the fastest of each
 * compared). When all threads win, the op sites are timed on further trial
 * steps (each op alone, split and not), and the mix of choices they make
 * is timed as a whole step twice: the ops' own times miss what a split op
 * costs the ops beside it (an unsplit optimizer step fetching the
 * gradients a split op left in the other core's cache), so the run goes
 * on with the faster of the mix and every op the cost model splits, which
 * beat one thread's fastest trial by EPOCH_THREADS_MARGIN. So no
 * configuration the run goes on with was slower than one thread on the
 * trials (tests/test-parallel-cost.c). Then the buffer pool settles on
 * what the run goes on with (settle_pool ()). All of it runs between epoch
 * 0's training step and its evaluation pass, outside every epoch's time; the
 * trials' results are dropped and the random streams put back, so the run
 * gives the bits it gives without them. Returns whether the op sites'
 * choices are kept (else every op splits as the cost model says). */
static gboolean
choose_threads (PhiliaTape              *tape,
                const PhiliaModelVTable *vtable,
                gpointer                 model,
                PhiliaModelContext      *ctx,
                const gint32            *labels,
                const gint32            *loss_labels,
                const guint8            *train,
                PhiliaOptimizer         *optimizer,
                guint                    n_threads,
                PhiliaChoice            *choice)
{
  PhiliaRng ctx_rng = ctx->rng, tape_rng = *philia_tape_get_rng (tape);
  guint retries = 0, site_trials = 0, settled;
  double mix = G_MAXDOUBLE, first_us = G_MAXDOUBLE, ratio;
  gboolean keep_sites = TRUE;
  GString *trials = g_string_new (NULL);

  while (choice->kept < 0)
    {
      guint arm = _philia_choice_next (choice, 1);
      double us;

      _philia_tape_use_threads (tape, arm ? n_threads : 1, FALSE);
      if (choice->uses > 0 && first_us < EPOCH_WARM_US)
        trial_step (tape, vtable, model, ctx, labels, loss_labels, train, optimizer);
      us = timed_trial (tape, vtable, model, ctx, labels, loss_labels, train, optimizer,
                        choice->uses > 0 ? &retries : NULL);
      if (us >= 0 && choice->uses == 0)
        {
          first_us = us;
          choice->rounds = CLAMP ((guint)(EPOCH_TRIALS_US / (2 * MAX (us, 1))),
                                  EPOCH_THREADS_ROUNDS, EPOCH_THREADS_MAX_ROUNDS);
        }
      g_string_append_printf (trials, " %u:%.0f", arm ? n_threads : 1, us);
      if (us >= 0)
        _philia_choice_record (choice, arm, us, EPOCH_THREADS_MARGIN);
    }
  g_debug ("trial steps (threads:µs, the first uncounted, negative: fresh pages):%s",
           trials->str);
  g_string_free (trials, TRUE);
  if (choice->kept)
    {
      guint split, single, timing = 1;

      _philia_tape_use_threads (tape, n_threads, TRUE);
      for (; timing > 0 && site_trials < EPOCH_SITE_TRIALS; site_trials++)
        {
          trial_step (tape, vtable, model, ctx, labels, loss_labels, train, optimizer);
          _philia_tape_site_counts (tape, &split, &single, &timing);
        }
      for (guint timed = 0; timed < EPOCH_THREADS_ROUNDS;)
        {
          double us = timed_trial (tape, vtable, model, ctx, labels, loss_labels, train,
                                   optimizer, &retries);

          if (us >= 0)
            {
              mix = MIN (mix, us);
              timed++;
            }
        }
      keep_sites = _philia_choice_keep_mix (choice, mix);
      if (!keep_sites)
        _philia_tape_forget_sites (tape);
    }
  _philia_tape_use_threads (tape, choice->kept ? n_threads : 1, keep_sites);
  settled = settle_pool (tape, vtable, model, ctx, labels, loss_labels, train, optimizer);
  ratio = _philia_choice_upper_median (choice->ratios, choice->n_ratios);
  if (site_trials > 0)
    g_debug ("fastest trial step on %u threads %.0f µs, the op sites' mix after %u trials "
             "%.0f µs, on one %.0f µs, the median round's ratio %.3f: going on with %u, %s",
             n_threads, choice->best[1], site_trials, mix, choice->best[0], ratio, n_threads,
             keep_sites ? "the sites' mix" : "every op the cost model splits");
  else
    g_debug ("fastest trial step on %u threads %.0f µs, on one %.0f µs, the median round's "
             "ratio %.3f: going on with 1", n_threads, choice->best[1], choice->best[0], ratio);
  g_debug ("the buffer pool settled after %u untimed steps, %.1f MB freed in all", settled,
           _philia_tape_pool_freed (tape) / 1048576.0);
  ctx->rng = ctx_rng;
  *philia_tape_get_rng (tape) = tape_rng;
  return keep_sites;
}

void
philia_train_params_init (PhiliaTrainParams *params)
{
  g_return_if_fail (params != NULL);

  params->epochs = -1;
  params->lr = -1;
  params->weight_decay = -1;
  params->hidden = -1;
  params->dropout = -1;
  params->heads = -1;
  params->k = -1;
  params->alpha = -1;
  params->optimizer = PHILIA_OPTIMIZER_ADAM;
  params->normalize_features = TRUE;
  params->layers = -1;
  params->walks = -1;
  params->walk_length = -1;
  params->hop_samples = -1;
  params->pretrain_epochs = -1;
  params->batch_size = -1;
  params->split = 0;
  params->seed = 0;
  params->n_threads = 1;
}

/* ---------------------------------------------------------------- context */

static G_LOCK_DEFINE (adjacency_cache);

/* Â (or the 0/1 pattern of A+I): row i holds i and its neighbours, sorted. */
static PhiliaSparse *
build_adjacency (PhiliaGraph *graph,
                 gboolean     normalize)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  gint64 nnz = off[n] + n;
  gint64 *row_offsets = g_new (gint64, n + 1);
  gint32 *cols = g_new (gint32, MAX (nnz, 1));
  float *values = g_new (float, MAX (nnz, 1));
  g_autofree float *dinv = g_new (float, MAX (n, 1));
  PhiliaSparse *s;
  gint64 k = 0;

  for (guint i = 0; i < n; i++)
    dinv[i] = (float)(1.0 / sqrt ((double)(off[i + 1] - off[i] + 1)));
  for (guint i = 0; i < n; i++)
    {
      gboolean self_done = FALSE;

      row_offsets[i] = k;
      for (gint64 e = off[i]; e <= off[i + 1]; e++)
        {
          gint32 j;

          if (!self_done && (e == off[i + 1] || nbr[e] > (gint32)i))
            {
              cols[k] = i;
              values[k++] = normalize ? dinv[i] * dinv[i] : 1.0f;
              self_done = TRUE;
            }
          if (e == off[i + 1])
            break;
          j = nbr[e];
          cols[k] = j;
          values[k++] = normalize ? dinv[i] * dinv[j] : 1.0f;
        }
    }
  row_offsets[n] = k;
  s = philia_sparse_new (n, n, row_offsets, cols, values);
  if (normalize)
    philia_sparse_set_scales (s, dinv, dinv);
  return s;
}

static PhiliaSparse *
cached_adjacency (PhiliaGraph *graph,
                  gboolean     normalize)
{
  const char *key = normalize ? "philia-normalized-adjacency" : "philia-adjacency-pattern";
  PhiliaSparse *s;

  G_LOCK (adjacency_cache);
  s = g_object_get_data (G_OBJECT (graph), key);
  if (s == NULL)
    {
      s = build_adjacency (graph, normalize);
      g_object_set_data_full (G_OBJECT (graph), key, s, (GDestroyNotify)philia_sparse_unref);
    }
  G_UNLOCK (adjacency_cache);
  return s;
}

/* Row i of A without self-loops (the graph's own CSR), scaled by @kind:
 * "mean": 1/deg(i) (GraphSAGE's mean aggregator; an isolated row is empty);
 * "sym": 1/√(deg(i) deg(j)) (H2GCN's Ā₁). */
static PhiliaSparse *
build_neighbors (PhiliaGraph *graph,
                 gboolean     mean)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  gint64 nnz = off[n];
  gint64 *row_offsets = g_memdup2 (off, sizeof (gint64) * (n + 1));
  gint32 *cols = g_new (gint32, MAX (nnz, 1));
  float *values = g_new (float, MAX (nnz, 1));

  memcpy (cols, nbr, sizeof (gint32) * nnz);
  for (guint i = 0; i < n; i++)
    for (gint64 e = off[i]; e < off[i + 1]; e++)
      {
        gint64 di = off[i + 1] - off[i], dj = off[nbr[e] + 1] - off[nbr[e]];

        values[e] = mean ? (float)(1.0 / di) : (float)(1.0 / sqrt ((double)di * dj));
      }
  return philia_sparse_new (n, n, row_offsets, cols, values);
}

static int
cmp_gint32 (gconstpointer a,
            gconstpointer b)
{
  gint32 x = *(const gint32 *)a, y = *(const gint32 *)b;

  return (x > y) - (x < y);
}

/* H2GCN's Ā₂: the nodes at distance exactly two (neither a neighbour nor the
 * node itself), symmetrically normalised by their counts. O(Σ deg²). */
static PhiliaSparse *
build_two_hop (PhiliaGraph *graph)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  g_autofree gint64 *stamp = g_new (gint64, MAX (n, 1));
  g_autoptr(GArray) cols = g_array_new (FALSE, FALSE, sizeof (gint32));
  gint64 *row_offsets = g_new (gint64, n + 1);
  g_autofree float *count = g_new (float, MAX (n, 1));
  gint32 *col_index;
  float *values;

  for (guint i = 0; i < n; i++)
    stamp[i] = -1;
  for (guint v = 0; v < n; v++)
    {
      guint first = cols->len;

      row_offsets[v] = cols->len;
      stamp[v] = 2 * (gint64)v;
      for (gint64 e = off[v]; e < off[v + 1]; e++)
        stamp[nbr[e]] = 2 * (gint64)v;
      for (gint64 e = off[v]; e < off[v + 1]; e++)
        for (gint64 f = off[nbr[e]]; f < off[nbr[e] + 1]; f++)
          {
            gint32 w = nbr[f];

            if (stamp[w] < 2 * (gint64)v)
              {
                stamp[w] = 2 * (gint64)v + 1;
                g_array_append_val (cols, w);
              }
          }
      qsort (&g_array_index (cols, gint32, first), cols->len - first, sizeof (gint32),
             cmp_gint32);
      count[v] = (float)(cols->len - first);
    }
  row_offsets[n] = cols->len;
  col_index = g_new (gint32, MAX (cols->len, 1));
  memcpy (col_index, cols->data, sizeof (gint32) * cols->len);
  values = g_new (float, MAX (cols->len, 1));
  for (guint v = 0; v < n; v++)
    for (gint64 e = row_offsets[v]; e < row_offsets[v + 1]; e++)
      values[e] = (float)(1.0 / sqrt ((double)count[v] * count[col_index[e]]));
  return philia_sparse_new (n, n, row_offsets, col_index, values);
}

PhiliaSparse *
_philia_adjacency_cached (PhiliaGraph   *graph,
                          AdjacencyKind  kind)
{
  static const char *keys[] = { "philia-normalized-adjacency", "philia-adjacency-pattern",
                                "philia-mean-adjacency", "philia-sym-adjacency",
                                "philia-two-hop-adjacency" };
  PhiliaSparse *s;

  G_LOCK (adjacency_cache);
  s = g_object_get_data (G_OBJECT (graph), keys[kind]);
  if (s == NULL)
    {
      switch (kind)
        {
        case ADJ_GCN: s = build_adjacency (graph, TRUE); break;
        case ADJ_PATTERN: s = build_adjacency (graph, FALSE); break;
        case ADJ_MEAN: s = build_neighbors (graph, TRUE); break;
        case ADJ_SYM: s = build_neighbors (graph, FALSE); break;
        case ADJ_TWO_HOP: default: s = build_two_hop (graph); break;
        }
      g_object_set_data_full (G_OBJECT (graph), keys[kind], s,
                              (GDestroyNotify)philia_sparse_unref);
    }
  G_UNLOCK (adjacency_cache);
  return s;
}

PhiliaGraph *
philia_model_context_get_graph (PhiliaModelContext *ctx)
{
  return ctx->graph;
}

const PhiliaTrainParams *
philia_model_context_get_params (PhiliaModelContext *ctx)
{
  return &ctx->params;
}

guint
philia_model_context_get_n_classes (PhiliaModelContext *ctx)
{
  return ctx->n_classes;
}

guint
philia_model_context_get_n_features (PhiliaModelContext *ctx)
{
  return ctx->n_features;
}

PhiliaSparse *
philia_model_context_get_adjacency (PhiliaModelContext *ctx)
{
  if (ctx->adjacency == NULL)
    ctx->adjacency = philia_sparse_ref (cached_adjacency (ctx->graph, TRUE));
  return ctx->adjacency;
}

PhiliaSparse *
philia_model_context_get_pattern (PhiliaModelContext *ctx)
{
  if (ctx->pattern == NULL)
    ctx->pattern = philia_sparse_ref (cached_adjacency (ctx->graph, FALSE));
  return ctx->pattern;
}

PhiliaSparse *
philia_model_context_get_sparse_features (PhiliaModelContext *ctx)
{
  return ctx->sparse_x;
}

PhiliaTensor *
philia_model_context_get_dense_features (PhiliaModelContext *ctx)
{
  return ctx->dense_x;
}

PhiliaRng *
philia_model_context_get_rng (PhiliaModelContext *ctx)
{
  return &ctx->rng;
}

PhiliaTensor *
_philia_input_matmul_on (PhiliaTape   *tape,
                         PhiliaTensor *dense,
                         PhiliaSparse *sparse,
                         PhiliaTensor *w,
                         float         dropout)
{
  if (dense != NULL)
    return philia_op_matmul (tape, philia_op_dropout (tape, dense, dropout), w);
  if (dropout > 0 && philia_tape_get_training (tape))
    {
      /* Dropout on a sparse matrix drops stored entries: zeros stay zero. */
      PhiliaTensor *values = philia_tape_constant (tape, sparse->nnz, 1, sparse->values);

      return philia_op_spmm (tape, sparse, philia_op_dropout (tape, values, dropout), w);
    }
  return philia_op_spmm (tape, sparse, NULL, w);
}

PhiliaTensor *
philia_model_context_input_matmul (PhiliaModelContext *ctx,
                                   PhiliaTape         *tape,
                                   PhiliaTensor       *w,
                                   float               dropout)
{
  return _philia_input_matmul_on (tape, ctx->dense_x, ctx->sparse_x, w, dropout);
}

const guint *
philia_model_context_get_loss_rows (PhiliaModelContext *ctx,
                                    PhiliaTape         *tape,
                                    guint              *n_rows)
{
  if (ctx->loss_rows == NULL || !philia_tape_get_training (tape))
    {
      *n_rows = 0;
      return NULL;
    }
  *n_rows = ctx->n_loss_rows;
  return ctx->loss_rows;
}

/* Microseconds of the step clock: wall time, or with PHILIA_EPOCH_CLOCK=cpu
 * in the environment the process's CPU time, which a loaded machine
 * disturbs less (HACKING.md §14). */
static gint64
epoch_clock (gboolean cpu)
{
  struct timespec ts;

  if (cpu && clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts) == 0)
    return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
  return g_get_monotonic_time ();
}

/* The given rows of a dense matrix, in that order. */
PhiliaTensor *
_philia_dense_rows (const PhiliaTensor *x,
                    const guint        *rows,
                    guint               n_rows)
{
  PhiliaTensor *out = philia_tensor_new (n_rows, x->cols);

  for (guint i = 0; i < n_rows; i++)
    memcpy (out->data + (gsize)i * x->cols, x->data + (gsize)rows[i] * x->cols,
            sizeof (float) * x->cols);
  return out;
}

/* The features of the loss rows, built on first use. */
void
_philia_model_context_ensure_row_features (PhiliaModelContext *ctx,
                                           const guint        *rows,
                                           guint               n_rows)
{
  if (ctx->dense_x != NULL && ctx->dense_x_rows == NULL)
    ctx->dense_x_rows = _philia_dense_rows (ctx->dense_x, rows, n_rows);
  if (ctx->sparse_x != NULL && ctx->sparse_x_rows == NULL)
    ctx->sparse_x_rows = philia_sparse_new_rows (ctx->sparse_x, rows, n_rows);
}

PhiliaTensor *
philia_model_context_row_input_matmul (PhiliaModelContext *ctx,
                                       PhiliaTape         *tape,
                                       PhiliaTensor       *w,
                                       float               dropout)
{
  guint n_rows;
  const guint *rows = philia_model_context_get_loss_rows (ctx, tape, &n_rows);

  if (rows == NULL)
    return philia_model_context_input_matmul (ctx, tape, w, dropout);
  _philia_model_context_ensure_row_features (ctx, rows, n_rows);
  return _philia_input_matmul_on (tape, ctx->dense_x_rows, ctx->sparse_x_rows, w, dropout);
}

PhiliaTensor *
philia_model_context_add_parameter (PhiliaModelContext *ctx,
                                    guint               rows,
                                    guint               cols,
                                    gboolean            glorot,
                                    gboolean            decay)
{
  PhiliaTensor *t = philia_tensor_new (rows, cols);

  if (glorot)
    philia_tensor_glorot (t, &ctx->rng);
  t->requires_grad = TRUE;
  g_ptr_array_add (ctx->parameters, t);
  g_array_append_val (ctx->decay, decay);
  return t;
}

void
_philia_model_context_set_batch (PhiliaModelContext *ctx,
                                 const guint        *rows,
                                 guint               n_rows)
{
  const gint32 *labels = philia_graph_get_labels (ctx->graph);

  ctx->batch_labels = g_renew (gint32, ctx->batch_labels, MAX (n_rows, 1));
  for (guint i = 0; i < n_rows; i++)
    ctx->batch_labels[i] = labels[rows[i]];
  ctx->n_batch_rows = n_rows;
}

void
philia_model_context_keep_attention (PhiliaModelContext *ctx,
                                     guint               layer,
                                     PhiliaTensor       *alpha)
{
  if (ctx->attention->len <= layer)
    g_ptr_array_set_size (ctx->attention, layer + 1);
  g_clear_pointer (&g_ptr_array_index (ctx->attention, layer), philia_tensor_free);
  g_ptr_array_index (ctx->attention, layer) = philia_tensor_copy (alpha);
}

static void
node_values_free (PhiliaNodeValues *v)
{
  g_free (v->name);
  g_free (v->values);
  g_free (v);
}

void
philia_model_context_keep_node_values (PhiliaModelContext *ctx,
                                       const char         *name,
                                       PhiliaTensor       *values)
{
  guint n = philia_graph_get_n_nodes (ctx->graph);

  g_return_if_fail (name != NULL && values != NULL);
  g_return_if_fail (values->rows == n && values->cols >= 1);

  for (guint j = 0; j < values->cols; j++)
    {
      g_autofree char *full = values->cols == 1 ? g_strdup (name)
                                                : g_strdup_printf ("%s[%u]", name, j);
      PhiliaNodeValues *v = NULL;

      for (guint i = 0; i < ctx->node_values->len && v == NULL; i++)
        if (g_str_equal (((PhiliaNodeValues *)g_ptr_array_index (ctx->node_values, i))->name, full))
          v = g_ptr_array_index (ctx->node_values, i);
      if (v == NULL)
        {
          v = g_new0 (PhiliaNodeValues, 1);
          v->name = g_steal_pointer (&full);
          v->values = g_new (double, MAX (n, 1));
          g_ptr_array_add (ctx->node_values, v);
        }
      for (guint i = 0; i < n; i++)
        v->values[i] = values->data[(gsize)i * values->cols + j];
    }
}

static PhiliaNodeValues *
node_values_copy (const PhiliaNodeValues *v,
                  guint                   n)
{
  PhiliaNodeValues *copy = g_new0 (PhiliaNodeValues, 1);

  copy->name = g_strdup (v->name);
  copy->values = g_memdup2 (v->values, sizeof (double) * MAX (n, 1));
  return copy;
}

static void
context_free (PhiliaModelContext *ctx)
{
  g_clear_pointer (&ctx->adjacency, philia_sparse_unref);
  g_clear_pointer (&ctx->pattern, philia_sparse_unref);
  g_clear_pointer (&ctx->sparse_x, philia_sparse_unref);
  g_clear_pointer (&ctx->dense_x, philia_tensor_free);
  g_clear_pointer (&ctx->parameters, g_ptr_array_unref);
  g_clear_pointer (&ctx->decay, g_array_unref);
  g_clear_pointer (&ctx->attention, g_ptr_array_unref);
  g_clear_pointer (&ctx->node_values, g_ptr_array_unref);
  g_clear_pointer (&ctx->dense_x_rows, philia_tensor_free);
  g_clear_pointer (&ctx->sparse_x_rows, philia_sparse_unref);
  g_free (ctx->loss_rows);
  g_free (ctx->batch_labels);
  g_free (ctx);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaModelContext, context_free)

/* Row-normalised (when @normalize) copies of @graph's features, kept as CSR
 * when sparse enough; an identity (one-hot node id, as CSR) for a featureless
 * graph. Exactly one of *@sparse_x and *@dense_x is set. */
void
_philia_prepare_features (PhiliaGraph   *graph,
                          gboolean       normalize,
                          guint         *n_features,
                          PhiliaSparse **sparse_x,
                          PhiliaTensor **dense_x)
{
  guint n = philia_graph_get_n_nodes (graph);
  guint f = philia_graph_get_n_features (graph);
  const float *x;
  g_autofree float *copy = NULL;
  gsize nonzero = 0;

  if (f > 0 && _philia_prepare_kept_sparse_features (graph, normalize, sparse_x))
    {
      *n_features = f;
      return;
    }
  x = philia_graph_get_features (graph);
  if (f == 0 || x == NULL)
    {
      gint64 *off = g_new (gint64, n + 1);
      gint32 *col = g_new (gint32, MAX (n, 1));
      float *val = g_new (float, MAX (n, 1));

      for (guint i = 0; i < n; i++)
        {
          off[i] = i;
          col[i] = i;
          val[i] = 1.0f;
        }
      off[n] = n;
      *n_features = n;
      *sparse_x = philia_sparse_new (n, n, off, col, val);
      return;
    }

  *n_features = f;
  for (gsize i = 0; i < (gsize)n * f; i++)
    nonzero += x[i] != 0;
  if ((double)nonzero < SPARSE_FEATURE_DENSITY * n * f)
    {
      /* Sparse features straight from the graph's matrix, without a dense
       * copy of it: the copy was the peak of a run on 10^5 nodes of 1,500
       * words (600 MB beside the graph's own 600 MB). */
      gint64 *off = g_new (gint64, n + 1);
      gint32 *col = g_new (gint32, MAX (nonzero, 1));
      float *val = g_new (float, MAX (nonzero, 1));
      gint64 k = 0;

      for (guint i = 0; i < n; i++)
        {
          const float *row = x + (gsize)i * f;
          double sum = 0;

          for (guint j = 0; j < f; j++)
            sum += row[j];
          off[i] = k;
          for (guint j = 0; j < f; j++)
            if (row[j] != 0)
              {
                float v = normalize && sum != 0 ? (float)(row[j] / sum) : row[j];

                /* A value normalised to zero (underflow) is not stored,
                 * as the dense copy's conversion would not store it. */
                if (v == 0)
                  continue;
                col[k] = (gint32)j;
                val[k++] = v;
              }
        }
      off[n] = k;
      *sparse_x = philia_sparse_new (n, f, off, col, val);
      return;
    }
  copy = g_memdup2 (x, sizeof (float) * n * f);
  for (guint i = 0; i < n; i++)
    {
      float *row = copy + (gsize)i * f;
      double sum = 0;

      for (guint j = 0; j < f; j++)
        sum += row[j];
      if (normalize && sum != 0)
        for (guint j = 0; j < f; j++)
          row[j] = (float)(row[j] / sum);
    }
  *dense_x = philia_tensor_new_from (n, f, copy);
}

static void
prepare_features (PhiliaModelContext *ctx)
{
  _philia_prepare_features (ctx->graph, ctx->params.normalize_features, &ctx->n_features,
                            &ctx->sparse_x, &ctx->dense_x);
}

/* ---------------------------------------------------------------- training */

void
philia_train_result_free (PhiliaTrainResult *r)
{
  if (r == NULL)
    return;
  g_free (r->model);
  g_free (r->loss);
  g_free (r->val_loss);
  g_free (r->train_curve);
  g_free (r->val_curve);
  g_free (r->test_curve);
  g_free (r->train_auc_curve);
  g_free (r->val_auc_curve);
  g_free (r->test_auc_curve);
  g_free (r->predictions);
  g_free (r->probabilities);
  g_clear_pointer (&r->weights, g_ptr_array_unref);
  g_clear_pointer (&r->node_values, g_ptr_array_unref);
  if (r->attention != NULL)
    {
      for (guint i = 0; i < r->attention->len; i++)
        {
          PhiliaAttention *a = &g_array_index (r->attention, PhiliaAttention, i);

          g_free (a->edges);
          g_free (a->self);
        }
      g_array_unref (r->attention);
    }
  g_free (r);
}

/* ROC-AUC of P(class 1) on the labeled nodes of each mask, from the very
 * float probabilities the result keeps (and the predictions CSV prints), so
 * that the file gives the same number. @scores and @positive are n scratch. */
static void
roc_aucs (const PhiliaTensor *logp,
          const gint32       *labels,
          const guint8       *const masks[3],
          double              out[3],
          float              *scores,
          guint8             *positive)
{
  for (guint k = 0; k < 3; k++)
    {
      gsize m = 0;

      for (guint i = 0; i < logp->rows; i++)
        if (masks[k][i] && labels[i] >= 0)
          {
            scores[m] = expf (logp->data[(gsize)i * 2 + 1]);
            positive[m++] = labels[i] == 1;
          }
      out[k] = philia_roc_auc_float (scores, positive, m);
    }
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* Splits GAT's attention on the pattern of A+I into neighbours and self. */
static void
keep_attention (PhiliaTrainResult  *result,
                PhiliaModelContext *ctx)
{
  PhiliaSparse *s;
  const gint64 *off = philia_graph_get_row_offsets (ctx->graph);
  guint n = philia_graph_get_n_nodes (ctx->graph);

  if (result->attention == NULL)
    result->attention = g_array_new (FALSE, TRUE, sizeof (PhiliaAttention));
  for (guint i = 0; i < result->attention->len; i++)
    {
      PhiliaAttention *a = &g_array_index (result->attention, PhiliaAttention, i);

      g_free (a->edges);
      g_free (a->self);
    }
  g_array_set_size (result->attention, 0);
  if (ctx->attention->len == 0)
    return;
  s = philia_model_context_get_pattern (ctx);
  for (guint layer = 0; layer < ctx->attention->len; layer++)
    {
      PhiliaTensor *alpha = g_ptr_array_index (ctx->attention, layer);
      PhiliaAttention a = { layer, alpha->cols, NULL, NULL };
      guint h = alpha->cols;

      a.edges = g_new (float, MAX (off[n] * h, 1));
      a.self = g_new (float, MAX ((gsize)n * h, 1));
      for (guint v = 0; v < n; v++)
        {
          gint64 k = off[v];

          for (gint64 e = s->row_offsets[v]; e < s->row_offsets[v + 1]; e++)
            {
              float *dst = s->col_index[e] == (gint32)v ? a.self + (gsize)v * h
                                                        : a.edges + (k++) * h;

              memcpy (dst, alpha->data + e * h, sizeof (float) * h);
            }
        }
      g_array_append_val (result->attention, a);
    }
}

static void
homophily_bins (PhiliaTrainResult *result,
                PhiliaGraph       *graph,
                const guint8      *test)
{
  /* Only local homophily: the full report's feature similarities cost
   * O(m·F), more than training SGC on Squirrel. */
  g_autofree double *local = philia_local_homophily (graph);
  const gint32 *labels = philia_graph_get_labels (graph);
  gint64 hits[PHILIA_TRAIN_HOMOPHILY_BINS] = { 0 };

  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    result->bin_accuracy[b] = NAN;
  if (local == NULL)
    return;
  for (guint v = 0; v < result->n_nodes; v++)
    {
      double lh = local[v];
      guint b;

      if (!test[v] || labels[v] < 0 || isnan (lh))
        continue;
      b = MIN ((guint)(lh * PHILIA_TRAIN_HOMOPHILY_BINS), PHILIA_TRAIN_HOMOPHILY_BINS - 1);
      result->bin_count[b]++;
      hits[b] += result->predictions[v] == labels[v];
    }
  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    if (result->bin_count[b] > 0)
      result->bin_accuracy[b] = (double)hits[b] / result->bin_count[b];
}

PhiliaTrainResult *
philia_train (PhiliaGraph              *graph,
              const char               *model_id,
              const PhiliaTrainParams  *params,
              PhiliaProgress           *progress,
              GCancellable             *cancellable,
              PhiliaTrainEpochFunc      callback,
              gpointer                  user_data,
              GError                  **error)
{
  const PhiliaAlgorithm *algorithm;
  const PhiliaModelVTable *vtable;
  g_autoptr(PhiliaModelContext) ctx = NULL;
  g_autoptr(PhiliaTrainResult) result = NULL;
  g_autoptr(PhiliaTape) tape = NULL;
  g_autoptr(PhiliaOptimizer) optimizer = NULL;
  g_autofree double *epoch_ms = NULL;
  PhiliaChoice threads_choice;
  g_autofree gint32 *loss_labels = NULL;
  g_autofree gint32 *epoch_predictions = NULL;
  g_autofree float *auc_scores = NULL;
  g_autofree guint8 *auc_positive = NULL;
  const guint8 *train, *val, *test;
  const gint32 *labels;
  gint64 n_train, n_val, n_test;
  gpointer model;
  double best_val = -1, best_val_loss = INFINITY;
  gboolean two_class;
  gint64 start = g_get_monotonic_time ();
  gboolean cpu_clock = g_strcmp0 (g_getenv ("PHILIA_EPOCH_CLOCK"), "cpu") == 0;
  PhiliaTrainParams defaults;
  guint n, c, split, n_threads;
  guint64 seed;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (model_id != NULL, NULL);

  if (params == NULL)
    {
      philia_train_params_init (&defaults);
      params = &defaults;
    }
  split = params->split;
  seed = params->seed;
  n_threads = params->n_threads;

  algorithm = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MODEL,
                                      model_id);
  if (algorithm == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   _ ("Unknown model “%s”."), model_id);
      return NULL;
    }
  vtable = algorithm->vtable;
  n = philia_graph_get_n_nodes (graph);
  c = philia_graph_get_n_classes (graph);
  if (n == 0 || c == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_EMPTY,
                   _ ("%s has no labeled nodes to train on."), philia_graph_get_source (graph));
      return NULL;
    }
  if (philia_graph_get_n_splits (graph) == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s has labels but no train/validation/test split; make random splits "
                      "(philia-cli train --random-split 0.6,0.2, or Make Splits… in the Train "
                      "panel)."), philia_graph_get_source (graph));
      return NULL;
    }
  if (split >= philia_graph_get_n_splits (graph))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("Split %u does not exist: %s has %u splits."), split,
                   philia_graph_get_source (graph), philia_graph_get_n_splits (graph));
      return NULL;
    }
  philia_graph_get_split_sizes (graph, split, &n_train, &n_val, &n_test);
  if (n_train == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("Split %u of %s has no training nodes."), split,
                   philia_graph_get_source (graph));
      return NULL;
    }
  if (vtable->needs_features && philia_graph_get_n_features (graph) == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   _ ("%s has no node features, and model “%s” needs them; try gcn, appnp or "
                      "gat, which fall back to one-hot node ids."), philia_graph_get_source (graph),
                   model_id);
      return NULL;
    }
  train = philia_graph_get_split_mask (graph, split, PHILIA_SPLIT_TRAIN);
  val = philia_graph_get_split_mask (graph, split, PHILIA_SPLIT_VAL);
  test = philia_graph_get_split_mask (graph, split, PHILIA_SPLIT_TEST);
  labels = philia_graph_get_labels (graph);

  ctx = g_new0 (PhiliaModelContext, 1);
  ctx->graph = graph;
  ctx->params = *params;
  vtable->defaults (&ctx->params);
  if (ctx->params.dropout >= 1 || ctx->params.lr <= 0 || ctx->params.epochs <= 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("The learning rate and epochs must be positive and dropout below 1."));
      return NULL;
    }
  ctx->n_classes = c;
  ctx->parameters = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  ctx->decay = g_array_new (FALSE, FALSE, sizeof (gboolean));
  ctx->attention = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  ctx->node_values = g_ptr_array_new_with_free_func ((GDestroyNotify)node_values_free);
  philia_rng_init (&ctx->rng, seed);
  prepare_features (ctx);
  /* The nodes the loss reads; row-independent models may compute only these
   * in a training step (philia_model_context_get_loss_rows()). */
  {
    guint r = 0;

    for (guint i = 0; i < n; i++)
      r += train[i] && labels[i] >= 0;
    if (r < n)
      {
        ctx->loss_rows = g_new (guint, MAX (r, 1));
        ctx->n_loss_rows = r;
        loss_labels = g_new (gint32, MAX (r, 1));
        r = 0;
        for (guint i = 0; i < n; i++)
          if (train[i] && labels[i] >= 0)
            {
              loss_labels[r] = labels[i];
              ctx->loss_rows[r++] = i;
            }
      }
  }

  n_threads = MAX (n_threads, 1);
  ctx->params.n_threads = n_threads;
  ctx->n_threads = n_threads;
  _philia_cost_blas_single ();
  model = vtable->create (ctx, error);
  if (model == NULL)
    return NULL;

  result = g_new0 (PhiliaTrainResult, 1);
  result->model = g_strdup (model_id);
  result->split = split;
  result->seed = seed;
  result->n_threads = n_threads;
  result->params = ctx->params;
  result->identity_features = philia_graph_get_n_features (graph) == 0;
  result->sparse_features = ctx->sparse_x != NULL;
  result->n_nodes = n;
  result->n_classes = c;
  result->predictions = g_new0 (gint32, n);
  result->probabilities = g_new0 (float, (gsize)n * c);
  result->weights = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  result->node_values = g_ptr_array_new_with_free_func ((GDestroyNotify)node_values_free);
  result->best_epoch = 0;
  result->train_accuracy = result->val_accuracy = result->test_accuracy = NAN;
  result->loss = g_new0 (double, ctx->params.epochs);
  result->val_loss = g_new0 (double, ctx->params.epochs);
  result->train_curve = g_new0 (double, ctx->params.epochs);
  result->val_curve = g_new0 (double, ctx->params.epochs);
  result->test_curve = g_new0 (double, ctx->params.epochs);
  result->train_roc_auc = result->val_roc_auc = result->test_roc_auc = NAN;
  two_class = c == 2;
  result->metric = two_class ? PHILIA_METRIC_ROC_AUC : PHILIA_METRIC_ACCURACY;
  if (two_class)
    {
      result->train_auc_curve = g_new0 (double, ctx->params.epochs);
      result->val_auc_curve = g_new0 (double, ctx->params.epochs);
      result->test_auc_curve = g_new0 (double, ctx->params.epochs);
      auc_scores = g_new (float, n);
      auc_positive = g_new (guint8, n);
    }
  /* Selection by validation ROC-AUC needs both classes among the validation
   * nodes; it is undefined otherwise, and accuracy decides. */
  {
    double share = philia_class_share (labels, val, n, 0);   /* NaN: no labeled node */

    if (isnan (share))
      result->best_epoch_rule = PHILIA_BEST_BY_LAST_EPOCH;
    else if (two_class && share > 0 && share < 1)
      result->best_epoch_rule = PHILIA_BEST_BY_VAL_ROC_AUC;
    else
      result->best_epoch_rule = PHILIA_BEST_BY_VAL_ACCURACY;
  }
  result->majority_class = philia_majority_class (labels, train, n, c);
  result->train_majority = philia_class_share (labels, train, n, result->majority_class);
  result->val_majority = philia_class_share (labels, val, n, result->majority_class);
  result->test_majority = philia_class_share (labels, test, n, result->majority_class);
  epoch_ms = g_new0 (double, ctx->params.epochs);
  epoch_predictions = g_new (gint32, n);

  optimizer = philia_optimizer_new (ctx->params.optimizer, (float)ctx->params.lr,
                                    (float)ctx->params.weight_decay);
  for (guint i = 0; i < ctx->parameters->len; i++)
    philia_optimizer_add (optimizer, g_ptr_array_index (ctx->parameters, i),
                          g_array_index (ctx->decay, gboolean, i));
  tape = philia_tape_new (n_threads);
  /* Dropout draws from a stream of its own, so initialisation and masks do not interact. */
  philia_rng_init (philia_tape_get_rng (tape), seed ^ 0x5deece66dULL);
  _philia_choice_init (&threads_choice, EPOCH_THREADS_ROUNDS);
  gboolean time_sites = TRUE;

  for (int epoch = 0; epoch < ctx->params.epochs; epoch++)
    {
      PhiliaTrainEpoch info = { 0 };
      PhiliaTensor *logp, *loss;
      /* On several threads, epoch 0 trains on all of them, then trial steps
       * on one and on all choose the count the run goes on with; op
       * sites are timed once it is settled on several (HACKING.md §7). */
      gboolean choosing = n_threads > 1 && threads_choice.kept < 0;
      gint64 t0;
      double val_loss;

      if (n_threads > 1)
        _philia_tape_use_threads (tape, choosing || threads_choice.kept ? n_threads : 1,
                                  !choosing && time_sites);
      t0 = epoch_clock (cpu_clock);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          vtable->free (model);
          return NULL;
        }

      philia_tape_reset (tape);
      philia_tape_set_training (tape, TRUE);
      loss = training_loss (tape, vtable, model, ctx, labels, loss_labels, train);
      if (!isfinite (loss->data[0]))
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FAILED,
                       _ ("Training diverged at epoch %d: the loss is %s; lower the learning "
                          "rate."),
                       epoch + 1, isnan (loss->data[0]) ? "NaN" : "infinite");
          vtable->free (model);
          return NULL;
        }
      philia_tape_backward (tape, loss);
      _philia_optimizer_step_on (optimizer, tape);
      epoch_ms[epoch] = (epoch_clock (cpu_clock) - t0) / 1000.0;
      result->loss[epoch] = loss->data[0];

      /* The thread count, on trial steps of the weights after this step (a
       * run of one epoch keeps the cost model's choice). */
      if (choosing && ctx->params.epochs > 1)
        {
          time_sites = choose_threads (tape, vtable, model, ctx, labels, loss_labels, train,
                                       optimizer, n_threads, &threads_choice);
          _philia_tape_use_threads (tape, threads_choice.kept ? n_threads : 1, time_sites);
        }
      {
        const guint8 *const masks[3] = { train, val, test };
        PhiliaEvalCounts counts = { labels, { train, val, test }, epoch_predictions };
        double acc[3];

        /* As philia_op_nll () on the validation mask and one argmax pass
         * gave them (NaN for an empty mask). */
        logp = _philia_eval_forward (tape, vtable, model, ctx, &counts);
        val_loss = n_val > 0 && counts.val_count > 0
                   ? (float)(counts.val_sum / counts.val_count) : NAN;
        result->val_loss[epoch] = val_loss;
        for (guint k = 0; k < 3; k++)
          acc[k] = counts.total[k] > 0 ? (double)counts.hit[k] / counts.total[k] : NAN;
        result->train_curve[epoch] = acc[0];
        result->val_curve[epoch] = acc[1];
        result->test_curve[epoch] = acc[2];
        if (two_class)
          {
            roc_aucs (logp, labels, masks, acc, auc_scores, auc_positive);
            result->train_auc_curve[epoch] = acc[0];
            result->val_auc_curve[epoch] = acc[1];
            result->test_auc_curve[epoch] = acc[2];
          }
      }
      result->n_epochs = epoch + 1;

      /* Best validation ROC-AUC or accuracy (PhiliaBestEpochRule), ties to
       * the lower validation loss; without validation nodes, the last epoch. */
      {
        double score = result->best_epoch_rule == PHILIA_BEST_BY_VAL_ROC_AUC
                       ? result->val_auc_curve[epoch] : result->val_curve[epoch];

        if (result->best_epoch == 0 || result->best_epoch_rule == PHILIA_BEST_BY_LAST_EPOCH
            || score > best_val
            || (score == best_val && val_loss < best_val_loss))
          {
            best_val = score;
            best_val_loss = val_loss;
            result->best_epoch = epoch + 1;
          }
      }
      if (result->best_epoch == (guint)epoch + 1)
        {
          result->train_accuracy = result->train_curve[epoch];
          result->val_accuracy = result->val_curve[epoch];
          result->test_accuracy = result->test_curve[epoch];
          if (two_class)
            {
              result->train_roc_auc = result->train_auc_curve[epoch];
              result->val_roc_auc = result->val_auc_curve[epoch];
              result->test_roc_auc = result->test_auc_curve[epoch];
            }
          memcpy (result->predictions, epoch_predictions, sizeof (gint32) * n);
          /* the log-probabilities for now: exponentiated once, after the
           * last epoch */
          memcpy (result->probabilities, logp->data, sizeof (float) * n * c);
          g_ptr_array_set_size (result->weights, 0);
          for (guint i = 0; i < ctx->parameters->len; i++)
            g_ptr_array_add (result->weights,
                             philia_tensor_copy (g_ptr_array_index (ctx->parameters, i)));
          keep_attention (result, ctx);
          g_ptr_array_set_size (result->node_values, 0);
          for (guint i = 0; i < ctx->node_values->len; i++)
            g_ptr_array_add (result->node_values,
                             node_values_copy (g_ptr_array_index (ctx->node_values, i), n));
        }

      if (callback != NULL)
        {
          info.epoch = epoch + 1;
          info.n_epochs = ctx->params.epochs;
          info.loss = result->loss[epoch];
          info.val_loss = val_loss;
          info.train_accuracy = result->train_curve[epoch];
          info.val_accuracy = result->val_curve[epoch];
          info.test_accuracy = result->test_curve[epoch];
          info.epoch_ms = epoch_ms[epoch];
          info.best_epoch = result->best_epoch;
          info.train_roc_auc = two_class ? result->train_auc_curve[epoch] : NAN;
          info.val_roc_auc = two_class ? result->val_auc_curve[epoch] : NAN;
          info.test_roc_auc = two_class ? result->test_auc_curve[epoch] : NAN;
          callback (&info, user_data);
        }
      if (progress != NULL)
        philia_progress_set_fraction (progress, (epoch + 1.0) / ctx->params.epochs);
    }
  if (n_threads > 1)
    {
      guint kept_split, kept_single, timing;

      _philia_tape_site_counts (tape, &kept_split, &kept_single, &timing);
      g_debug ("op sites: %u kept split, %u kept on one thread, %u still timed", kept_split,
               kept_single, timing);
    }
  if (result->n_epochs > 0)
    {
      GString *ms = g_string_new (NULL);

      for (guint e = 0; e < result->n_epochs; e++)
        g_string_append_printf (ms, " %.2f", epoch_ms[e]);
      g_debug ("epoch ms:%s", ms->str);
      g_string_free (ms, TRUE);
    }
  for (gsize i = 0; i < (gsize)n * c; i++)
    result->probabilities[i] = expf (result->probabilities[i]);
  philia_tape_reset (tape);
  vtable->free (model);

  qsort (epoch_ms, result->n_epochs, sizeof (double), cmp_double);
  result->epoch_ms_median = result->n_epochs % 2
    ? epoch_ms[result->n_epochs / 2]
    : (epoch_ms[result->n_epochs / 2 - 1] + epoch_ms[result->n_epochs / 2]) / 2;
  homophily_bins (result, graph, test);
  result->seconds = (g_get_monotonic_time () - start) / 1e6;
  return g_steal_pointer (&result);
}

/* ------------------------------------------------- context for saved models */

/* A context for @graph as philia_train() builds it, without a split: the
 * saved-model code (philia-model-apply.c, philia-adapt.c) runs a model's
 * forward pass on a graph it was not trained on. @params are resolved. */
PhiliaModelContext *
_philia_model_context_new (PhiliaGraph             *graph,
                           const PhiliaTrainParams *params,
                           guint                    n_classes,
                           guint64                  seed)
{
  PhiliaModelContext *ctx = g_new0 (PhiliaModelContext, 1);

  ctx->graph = graph;
  ctx->params = *params;
  ctx->n_classes = n_classes;
  ctx->parameters = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  ctx->decay = g_array_new (FALSE, FALSE, sizeof (gboolean));
  ctx->attention = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  ctx->node_values = g_ptr_array_new_with_free_func ((GDestroyNotify)node_values_free);
  philia_rng_init (&ctx->rng, seed);
  prepare_features (ctx);
  return ctx;
}

void
_philia_model_context_free (PhiliaModelContext *ctx)
{
  context_free (ctx);
}
