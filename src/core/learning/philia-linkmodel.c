/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Training GNN link predictors on a seeded edge split (HACKING.md §7): the
 * context an encoder sees, the decoders, the loop with early stopping on
 * validation Hits@K, and its asynchronous variant. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "philia-core.h"
#include "philia-ops-link-private.h"
#include "philia-train-private.h"
#include "philia-cost-private.h"

#include <cblas.h>

#include <math.h>
#include <string.h>
#include <time.h>

/* Pairs scored per evaluation step: bounds the [pairs, hidden] buffers. */
#define SCORE_CHUNK 65536

static const char *decoder_names[] = { "dot", "mlp" };

const char *
philia_link_decoder_to_string (PhiliaLinkDecoder decoder)
{
  g_return_val_if_fail ((guint)decoder < G_N_ELEMENTS (decoder_names), NULL);
  return decoder_names[decoder];
}

gboolean
philia_link_decoder_from_string (const char        *name,
                                 PhiliaLinkDecoder *decoder)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (decoder_names); i++)
    if (g_str_equal (name, decoder_names[i]))
      {
        if (decoder != NULL)
          *decoder = i;
        return TRUE;
      }
  return FALSE;
}

void
philia_link_model_params_init (PhiliaLinkModelParams *params)
{
  g_return_if_fail (params != NULL);

  *params = (PhiliaLinkModelParams) {
    .epochs = 300,
    .patience = 50,
    .lr = 0.01,
    .weight_decay = 0,
    .hidden = 256,
    .layers = 2,
    .decoder_layers = 2,
    .dropout = 0.5,
    .decoder = PHILIA_LINK_DECODER_DOT,
    .val_k = 100,
    .seed = 0,
    .n_threads = 0,
    .normalize_features = TRUE,
  };
}

/* ----------------------------------------------------------------- context */

struct _PhiliaLinkModelContext
{
  PhiliaGraph           *graph;
  PhiliaLinkModelParams  params;
  guint                  n_features;
  PhiliaSparse          *sparse_x;
  PhiliaTensor          *dense_x;
  gboolean               identity_x;   /* no features: sparse_x is the identity */
  GPtrArray             *parameters;
  PhiliaRng              rng;
};

static void
context_free (PhiliaLinkModelContext *ctx)
{
  g_clear_object (&ctx->graph);
  g_clear_pointer (&ctx->sparse_x, philia_sparse_unref);
  g_clear_pointer (&ctx->dense_x, philia_tensor_free);
  g_clear_pointer (&ctx->parameters, g_ptr_array_unref);
  g_free (ctx);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaLinkModelContext, context_free)

PhiliaGraph *
philia_link_model_context_get_graph (PhiliaLinkModelContext *ctx)
{
  return ctx->graph;
}

const PhiliaLinkModelParams *
philia_link_model_context_get_params (PhiliaLinkModelContext *ctx)
{
  return &ctx->params;
}

guint
philia_link_model_context_get_n_features (PhiliaLinkModelContext *ctx)
{
  return ctx->n_features;
}

PhiliaSparse *
philia_link_model_context_get_adjacency (PhiliaLinkModelContext *ctx)
{
  return _philia_adjacency_cached (ctx->graph, ADJ_GCN);
}

PhiliaSparse *
philia_link_model_context_get_mean_adjacency (PhiliaLinkModelContext *ctx)
{
  return _philia_adjacency_cached (ctx->graph, ADJ_MEAN);
}

PhiliaTensor *
philia_link_model_context_input_matmul (PhiliaLinkModelContext *ctx,
                                        PhiliaTape             *tape,
                                        PhiliaTensor           *w,
                                        float                   dropout)
{
  /* A featureless graph's input is the identity: X W is W itself, with no
   * copy of its [n, hidden] rows forward and none of their gradient back. */
  if (ctx->identity_x && (dropout == 0 || !philia_tape_get_training (tape)))
    return w;
  return _philia_input_matmul_on (tape, ctx->dense_x, ctx->sparse_x, w, dropout);
}

PhiliaTensor *
philia_link_model_context_add_parameter (PhiliaLinkModelContext *ctx,
                                         guint                   rows,
                                         guint                   cols,
                                         gboolean                glorot)
{
  PhiliaTensor *t = philia_tensor_new (rows, cols);

  t->requires_grad = TRUE;
  if (glorot)
    philia_tensor_glorot (t, &ctx->rng);
  g_ptr_array_add (ctx->parameters, t);
  return t;
}

static void
prepare_features (PhiliaLinkModelContext *ctx)
{
  _philia_prepare_features (ctx->graph, ctx->params.normalize_features, &ctx->n_features,
                            &ctx->sparse_x, &ctx->dense_x);
  ctx->identity_x = philia_graph_get_n_features (ctx->graph) == 0
                    || philia_graph_get_features (ctx->graph) == NULL;
}

/* ----------------------------------------------------------------- decoder */

typedef struct
{
  PhiliaLinkDecoder kind;
  float             dropout;
  GPtrArray        *w;   /* MLP: hidden → … → 1 */
  GPtrArray        *b;
} Decoder;

static void
decoder_clear (Decoder *d)
{
  g_clear_pointer (&d->w, g_ptr_array_unref);
  g_clear_pointer (&d->b, g_ptr_array_unref);
}

static void
decoder_init (Decoder                *d,
              PhiliaLinkModelContext *ctx)
{
  const PhiliaLinkModelParams *p = &ctx->params;

  d->kind = p->decoder;
  d->dropout = (float)p->dropout;
  d->w = g_ptr_array_new ();
  d->b = g_ptr_array_new ();
  if (d->kind != PHILIA_LINK_DECODER_MLP)
    return;
  for (int l = 0; l < p->decoder_layers; l++)
    {
      guint out = l + 1 < p->decoder_layers ? (guint)p->hidden : 1;

      g_ptr_array_add (d->w, philia_link_model_context_add_parameter (ctx, p->hidden, out, TRUE));
      g_ptr_array_add (d->b, philia_link_model_context_add_parameter (ctx, 1, out, FALSE));
    }
}

/* Logits [n, 1] of the pairs (src[k], dst[k]). */
static PhiliaTensor *
decode (Decoder      *d,
        PhiliaTape   *tape,
        PhiliaTensor *z,
        const gint32 *src,
        const gint32 *dst,
        guint         n)
{
  PhiliaTensor *h;

  if (d->kind == PHILIA_LINK_DECODER_DOT)
    return philia_op_pair_dot (tape, z, src, dst, n);
  h = philia_op_pair_product (tape, z, src, dst, n);
  if (d->w->len == 1)
    return philia_op_linear (tape, h, d->w->pdata[0], d->b->pdata[0]);
  /* Hidden layers: the product, then bias, ReLU and dropout in one pass;
   * the last of them with the output weights (width 1) in the same pass. */
  for (guint l = 0; l + 2 < d->w->len; l++)
    h = _philia_op_bias_relu_dropout (tape, philia_op_matmul (tape, h, d->w->pdata[l]),
                                      d->b->pdata[l], d->dropout);
  h = philia_op_matmul (tape, h, d->w->pdata[d->w->len - 2]);
  h = _philia_op_bias_relu_dropout_dot (tape, h, d->b->pdata[d->w->len - 2],
                                        d->w->pdata[d->w->len - 1], d->dropout);
  return philia_op_add (tape, h, d->b->pdata[d->w->len - 1]);
}

/* ------------------------------------------------------------------ runner */

typedef struct
{
  PhiliaLinkModelContext      *ctx;
  const PhiliaLinkModelVTable *vt;
  gpointer                     model;
  Decoder                      decoder;
  PhiliaTape                  *tape;
} Run;

/* Scores @n pairs (2 ids each) in evaluation mode: the embeddings once, then
 * the decoder chunk by chunk. */
static void
score_pairs (Run          *run,
             const gint64 *pairs,
             gint64        n,
             double       *out)
{
  g_autoptr(PhiliaTensor) z = NULL;
  g_autofree gint32 *src = g_new (gint32, MIN (MAX (n, 1), SCORE_CHUNK));
  g_autofree gint32 *dst = g_new (gint32, MIN (MAX (n, 1), SCORE_CHUNK));

  philia_tape_reset (run->tape);
  philia_tape_set_training (run->tape, FALSE);
  z = philia_tensor_copy (run->vt->encode (run->model, run->ctx, run->tape));
  z->requires_grad = FALSE;
  for (gint64 at = 0; at < n; at += SCORE_CHUNK)
    {
      guint c = (guint)MIN (n - at, SCORE_CHUNK);
      PhiliaTensor *logits;

      philia_tape_reset (run->tape);
      for (guint k = 0; k < c; k++)
        {
          src[k] = (gint32)pairs[2 * (at + k)];
          dst[k] = (gint32)pairs[2 * (at + k) + 1];
        }
      logits = decode (&run->decoder, run->tape, z, src, dst, c);
      for (guint k = 0; k < c; k++)
        out[at + k] = logits->data[k];
    }
  philia_tape_reset (run->tape);
}

static void
run_clear (Run *run)
{
  if (run->model != NULL)
    run->vt->free (run->model);
  decoder_clear (&run->decoder);
  g_clear_pointer (&run->tape, philia_tape_free);
  g_clear_pointer (&run->ctx, context_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

void
philia_link_train_result_free (PhiliaLinkTrainResult *result)
{
  if (result == NULL)
    return;
  if (result->scorer != NULL)
    run_clear (result->scorer);
  g_free (result->scorer);
  g_free (result->model);
  g_free (result->loss);
  g_free (result->val_hits);
  philia_linkpred_result_free (result->result);
  g_free (result);
}

PhiliaLinkTrainResult *
philia_link_train_result_copy_figures (const PhiliaLinkTrainResult *result)
{
  PhiliaLinkTrainResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_memdup2 (result, sizeof *result);
  copy->model = g_strdup (result->model);
  copy->loss = result->loss ? g_memdup2 (result->loss, sizeof (double) * result->n_epochs) : NULL;
  copy->val_hits = result->val_hits ? g_memdup2 (result->val_hits,
                                                 sizeof (double) * result->n_epochs) : NULL;
  copy->result = result->result ? philia_linkpred_result_copy (result->result) : NULL;
  copy->scorer = NULL;
  return copy;
}

static gboolean
check_params (const PhiliaLinkModelParams *p,
              GError                     **error)
{
  const char *bad = NULL;

  if (p->epochs < 1)
    bad = "The number of epochs must be at least 1.";
  else if (p->patience < 0)
    bad = "The patience must not be negative.";
  else if (!(p->lr > 0) || !isfinite (p->lr))
    bad = "The learning rate must be positive.";
  else if (!(p->weight_decay >= 0) || !isfinite (p->weight_decay))
    bad = "The weight decay must not be negative.";
  else if (p->hidden < 1 || p->hidden > 65536)
    bad = "The hidden width must be between 1 and 65536.";
  else if (p->layers < 1 || p->layers > 16)
    bad = "The number of layers must be between 1 and 16.";
  else if (p->decoder_layers < 1 || p->decoder_layers > 16)
    bad = "The number of decoder layers must be between 1 and 16.";
  else if (!(p->dropout >= 0 && p->dropout < 1))
    bad = "The dropout must be at least 0 and below 1.";
  else if ((guint)p->decoder > PHILIA_LINK_DECODER_MLP)
    bad = "The decoder must be dot or mlp.";
  else if (p->val_k < 1)
    bad = "The K of validation Hits@K must be at least 1.";
  if (bad != NULL)
    g_set_error_literal (error, PHILIA_ERROR, PHILIA_ERROR_OPTION, bad);
  return bad == NULL;
}

/* CPU time of the whole process (every worker thread), in ms. */
static double
process_cpu_ms (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
    return NAN;
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
median (GArray *values)
{
  double *v = (double *)(gpointer)values->data;
  guint n = values->len;

  if (n == 0)
    return NAN;
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && v[j - 1] > v[j]; j--)
      {
        double t = v[j];

        v[j] = v[j - 1];
        v[j - 1] = t;
      }
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Draws @count uniformly random pairs u ≠ v that are not training edges into
 * @src/@dst (a pair may repeat, as in the usual recipes). On a graph whose
 * training edges leave almost no pair free, a pair that keeps hitting edges
 * is taken anyway after a few tries rather than looping forever. */
static void
sample_negatives (PhiliaGraph *train,
                  PhiliaRng   *rng,
                  gint32      *src,
                  gint32      *dst,
                  gint64       count)
{
  guint n = philia_graph_get_n_nodes (train);

  for (gint64 i = 0; i < count; i++)
    {
      guint u, v;

      for (guint tries = 0;; tries++)
        {
          u = philia_rng_below (rng, n);
          v = philia_rng_below (rng, n - 1);
          v += v >= u;
          if (tries >= 16 || philia_graph_find_edge (train, u, v) < 0)
            break;
        }
      src[i] = (gint32)u;
      dst[i] = (gint32)v;
    }
}

PhiliaLinkTrainResult *
philia_link_train (PhiliaLinkSplit             *split,
                   const char                  *model_id,
                   const PhiliaLinkModelParams *params,
                   PhiliaLinkTrainEpochFunc     epoch_func,
                   gpointer                     epoch_data,
                   PhiliaProgress              *progress,
                   GCancellable                *cancellable,
                   GError                     **error)
{
  const PhiliaAlgorithm *algorithm;
  PhiliaLinkModelParams p;
  g_auto(Run) run = { 0 };
  g_autoptr(PhiliaLinkTrainResult) result = NULL;
  g_autoptr(PhiliaOptimizer) optimizer = NULL;
  g_autoptr(GArray) loss = NULL;
  g_autoptr(GArray) val_hits = NULL;
  g_autoptr(GArray) epoch_ms = NULL;
  g_autoptr(GArray) epoch_cpu = NULL;
  g_autoptr(GPtrArray) best = NULL;
  g_autofree gint32 *src = NULL;
  g_autofree gint32 *dst = NULL;
  g_autofree float *targets = NULL;
  g_autofree gint64 *valid_pairs = NULL;
  g_autofree double *valid_scores = NULL;
  g_autofree gint64 *eval_pairs = NULL;
  g_autofree double *eval_scores = NULL;
  g_autofree char *name = NULL;
  GTimer *timer;
  const gint64 *off;
  const gint32 *nbr;
  gint64 n_pos, n_valid, n_eval;
  guint n, since_best = 0;
  double best_hits = -1, best_auc = -1;
  gint64 start;

  g_return_val_if_fail (split != NULL, NULL);
  g_return_val_if_fail (model_id != NULL, NULL);
  g_return_val_if_fail (progress == NULL || PHILIA_IS_PROGRESS (progress), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  philia_core_init ();
  start = g_get_monotonic_time ();
  if (params != NULL)
    p = *params;
  else
    philia_link_model_params_init (&p);
  if (!check_params (&p, error))
    return NULL;

  algorithm = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_LINK_MODEL,
                                      model_id);
  if (algorithm == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("Unknown link-prediction model “%s”."), model_id);
      return NULL;
    }
  n = philia_graph_get_n_nodes (split->train);
  n_pos = split->n_train;
  n_valid = split->n_valid;
  if (n < 2 || n_pos == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("The graph has no training edges to learn links from."));
      return NULL;
    }
  if (n_valid == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("The graph has too few edges for validation edges to pick an epoch with."));
      return NULL;
    }
  run.vt = algorithm->vtable;
  if (run.vt->needs_features && philia_graph_get_n_features (split->train) == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("The “%s” link predictor reads node features, and the graph has none."),
                   model_id);
      return NULL;
    }
  if (n_pos > G_MAXINT32 / 2 || (guint64)n_valid > G_MAXINT32 / 2)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("The graph has too many edges for one training batch."));
      return NULL;
    }

  run.ctx = g_new0 (PhiliaLinkModelContext, 1);
  run.ctx->graph = g_object_ref (split->train);
  run.ctx->params = p;
  run.ctx->parameters = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  philia_rng_init (&run.ctx->rng, p.seed);
  prepare_features (run.ctx);
  run.model = run.vt->create (run.ctx, error);
  if (run.model == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                     _ ("The “%s” link predictor could not be built."), model_id);
      return NULL;
    }
  decoder_init (&run.decoder, run.ctx);
  optimizer = philia_optimizer_new (PHILIA_OPTIMIZER_ADAM, (float)p.lr, (float)p.weight_decay);
  for (guint i = 0; i < run.ctx->parameters->len; i++)
    philia_optimizer_add (optimizer, run.ctx->parameters->pdata[i], TRUE);
  run.tape = philia_tape_new (p.n_threads > 0 ? p.n_threads : g_get_num_processors ());
  /* OpenBLAS would otherwise start a thread per core for every product,
   * whatever --threads says, and its idle workers spin. */
  _philia_cost_blas_single ();
  philia_rng_init (philia_tape_get_rng (run.tape),
                   p.seed ^ G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  /* The training edges (u < v) then as many fresh negatives each epoch. */
  src = g_new (gint32, 2 * n_pos);
  dst = g_new (gint32, 2 * n_pos);
  targets = g_new0 (float, 2 * n_pos);
  off = philia_graph_get_row_offsets (split->train);
  nbr = philia_graph_get_neighbors (split->train);
  for (guint u = 0, at = 0; u < n; u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      if (nbr[e] > (gint32)u)
        {
          src[at] = (gint32)u;
          dst[at] = nbr[e];
          targets[at++] = 1;
        }
  valid_pairs = g_new (gint64, 4 * n_valid);
  memcpy (valid_pairs, split->valid, sizeof (gint64) * 2 * n_valid);
  memcpy (valid_pairs + 2 * n_valid, split->valid_neg, sizeof (gint64) * 2 * n_valid);
  valid_scores = g_new (double, 2 * n_valid);

  loss = g_array_new (FALSE, FALSE, sizeof (double));
  val_hits = g_array_new (FALSE, FALSE, sizeof (double));
  epoch_ms = g_array_new (FALSE, FALSE, sizeof (double));
  epoch_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  best = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  result = g_new0 (PhiliaLinkTrainResult, 1);
  timer = g_timer_new ();
  for (guint epoch = 1; epoch <= (guint)p.epochs; epoch++)
    {
      PhiliaLinkTrainEpoch info = { 0 };
      PhiliaTensor *z, *l;
      double ms, cpu, hits, auc;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          g_timer_destroy (timer);
          return NULL;
        }
      sample_negatives (split->train, &run.ctx->rng, src + n_pos, dst + n_pos, n_pos);
      g_timer_start (timer);
      cpu = process_cpu_ms ();
      philia_tape_reset (run.tape);
      philia_tape_set_training (run.tape, TRUE);
      z = run.vt->encode (run.model, run.ctx, run.tape);
      l = philia_op_bce_logits (run.tape, decode (&run.decoder, run.tape, z, src, dst,
                                                  (guint)(2 * n_pos)), targets);
      philia_tape_backward (run.tape, l);
      philia_optimizer_step (optimizer);
      ms = 1000 * g_timer_elapsed (timer, NULL);
      cpu = process_cpu_ms () - cpu;
      info.loss = l->data[0];

      score_pairs (&run, valid_pairs, 2 * n_valid, valid_scores);
      hits = philia_linkpred_hits_at_k (valid_scores, n_valid, valid_scores + n_valid, n_valid,
                                        p.val_k);
      auc = philia_linkpred_auc (valid_scores, n_valid, valid_scores + n_valid, n_valid);
      /* Hits@K first; AUC breaks ties (Hits@K is 1 for any ranking when
       * there are fewer than K negatives). */
      if (hits > best_hits || (hits == best_hits && auc > best_auc))
        {
          best_hits = hits;
          best_auc = auc;
          result->best_epoch = epoch;
          since_best = 0;
          g_ptr_array_set_size (best, 0);
          for (guint i = 0; i < run.ctx->parameters->len; i++)
            g_ptr_array_add (best, philia_tensor_copy (run.ctx->parameters->pdata[i]));
        }
      else
        since_best++;
      g_array_append_val (loss, info.loss);
      g_array_append_val (val_hits, hits);
      g_array_append_val (epoch_ms, ms);
      g_array_append_val (epoch_cpu, cpu);

      info.epoch = epoch;
      info.n_epochs = (guint)p.epochs;
      info.val_hits = hits;
      info.epoch_ms = ms;
      info.best_epoch = result->best_epoch;
      if (epoch_func != NULL)
        epoch_func (&info, epoch_data);
      if (progress != NULL)
        philia_progress_update (progress, (double)epoch / p.epochs, "Training");
      if (p.patience > 0 && since_best >= (guint)p.patience)
        break;
    }
  g_timer_destroy (timer);

  /* Back to the kept epoch's weights, then the test pairs of every predictor. */
  for (guint i = 0; i < best->len; i++)
    {
      PhiliaTensor *to = run.ctx->parameters->pdata[i], *from = best->pdata[i];

      memcpy (to->data, from->data, sizeof (float) * philia_tensor_size (to));
    }
  eval_pairs = philia_link_split_eval_pairs (split, &n_eval);
  eval_scores = g_new (double, MAX (n_eval, 1));
  score_pairs (&run, eval_pairs, n_eval, eval_scores);
  name = p.decoder == PHILIA_LINK_DECODER_DOT ? g_strdup (model_id)
                                                : g_strdup_printf ("%s-mlp", model_id);
  result->result = philia_linkpred_result_new_from_scores (split, name, eval_scores);
  result->model = g_strdup (model_id);
  result->params = p;
  result->n_epochs = loss->len;
  result->loss = g_memdup2 (loss->data, sizeof (double) * MAX (loss->len, 1));
  result->val_hits = g_memdup2 (val_hits->data, sizeof (double) * MAX (loss->len, 1));
  result->best_val_hits = best_hits;
  result->epoch_ms_median = median (epoch_ms);
  result->epoch_cpu_ms_median = median (epoch_cpu);
  result->identity_features = philia_graph_get_n_features (split->train) == 0;
  result->seconds = (g_get_monotonic_time () - start) / 1e6;
  /* The run with the kept weights scores more pairs later ("Why this link"). */
  result->scorer = g_memdup2 (&run, sizeof run);
  memset (&run, 0, sizeof run);
  if (progress != NULL)
    philia_progress_update (progress, 1, "Done");
  return g_steal_pointer (&result);
}

gboolean
philia_link_train_result_score_pairs (PhiliaLinkTrainResult *result,
                                      const gint64          *pairs,
                                      gint64                 n_pairs,
                                      double                *scores,
                                      GError               **error)
{
  Run *run;
  guint n;

  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (n_pairs == 0 || (pairs != NULL && scores != NULL), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  run = result->scorer;
  if (run == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("The link predictor’s weights were not kept."));
      return FALSE;
    }
  n = philia_graph_get_n_nodes (run->ctx->graph);
  for (gint64 k = 0; k < 2 * n_pairs; k++)
    if (pairs[k] < 0 || pairs[k] >= n)
      {
        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                     _ ("Node %" PRId64 " is not in the graph of %u nodes."), pairs[k], n);
        return FALSE;
      }
  score_pairs (run, pairs, n_pairs, scores);
  return TRUE;
}

gboolean
philia_link_train_result_rank_pair (PhiliaLinkTrainResult    *result,
                                    PhiliaProximityNegatives *negatives,
                                    guint                     u,
                                    guint                     v,
                                    double                   *score,
                                    gint64                   *above,
                                    GError                  **error)
{
  gsize n_neg = negatives != NULL ? philia_proximity_negatives_get_n_pairs (negatives) : 0;
  g_autofree gint64 *pairs = g_new (gint64, 2 * (n_neg + 1));
  g_autofree double *scores = g_new (double, n_neg + 1);
  gint64 count = 0;

  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (score != NULL && above != NULL, FALSE);

  /* The pair first, then the negatives: one encoder pass for all. */
  pairs[0] = u;
  pairs[1] = v;
  if (n_neg > 0)
    memcpy (pairs + 2, philia_proximity_negatives_get_pairs (negatives),
            2 * n_neg * sizeof (gint64));
  if (!philia_link_train_result_score_pairs (result, pairs, (gint64)n_neg + 1, scores, error))
    return FALSE;
  for (gsize i = 1; i <= n_neg; i++)
    count += scores[i] > scores[0];
  *score = scores[0];
  *above = negatives != NULL ? count : -1;
  return TRUE;
}

/* ------------------------------------------------------------------- async */

typedef struct
{
  PhiliaLinkSplit          *split;
  char                     *model;
  PhiliaLinkModelParams     params;
  PhiliaProgress           *progress;
  GMainContext             *context;
  PhiliaLinkTrainEpochFunc  epoch_func;
  gpointer                  epoch_data;
  GDestroyNotify            epoch_destroy;
} LinkJob;

static void
link_job_clear (LinkJob *job)
{
  if (job->epoch_destroy != NULL)
    job->epoch_destroy (job->epoch_data);
  g_free (job->model);
  g_clear_object (&job->progress);
  g_clear_pointer (&job->context, g_main_context_unref);
}

static void
link_job_unref (LinkJob *job)
{
  g_atomic_rc_box_release_full (job, (GDestroyNotify)link_job_clear);
}

typedef struct
{
  LinkJob              *job;
  PhiliaLinkTrainEpoch  epoch;
} Delivery;

static void
delivery_free (Delivery *d)
{
  link_job_unref (d->job);
  g_free (d);
}

static gboolean
deliver_cb (gpointer user_data)
{
  Delivery *d = user_data;

  if (d->job->epoch_func != NULL)
    d->job->epoch_func (&d->epoch, d->job->epoch_data);
  return G_SOURCE_REMOVE;
}

/* Worker thread: every epoch is queued on the caller's context in order. */
static void
on_epoch (const PhiliaLinkTrainEpoch *epoch,
          gpointer                    user_data)
{
  LinkJob *job = user_data;
  Delivery *d = g_new (Delivery, 1);

  d->job = g_atomic_rc_box_acquire (job);
  d->epoch = *epoch;
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, deliver_cb, d,
                              (GDestroyNotify)delivery_free);
}

static void
link_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LinkJob *job = task_data;
  PhiliaLinkTrainResult *result;
  GError *error = NULL;

  result = philia_link_train (job->split, job->model, &job->params,
                              job->epoch_func != NULL ? on_epoch : NULL, job, job->progress,
                              cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify)philia_link_train_result_free);
}

/**
 * philia_link_train_async:
 * @split: must outlive the run (the caller keeps it until the callback)
 * @params: (nullable): copied; %NULL for the defaults
 * @epoch_destroy: (nullable): frees @epoch_data when the run is over
 *
 * Runs philia_link_train() on a worker thread.
 */
void
philia_link_train_async (PhiliaLinkSplit             *split,
                         const char                  *model_id,
                         const PhiliaLinkModelParams *params,
                         PhiliaLinkTrainEpochFunc     epoch_func,
                         gpointer                     epoch_data,
                         GDestroyNotify               epoch_destroy,
                         PhiliaProgress              *progress,
                         GCancellable                *cancellable,
                         GAsyncReadyCallback          callback,
                         gpointer                     user_data)
{
  g_autoptr(GTask) task = NULL;
  LinkJob *job;

  g_return_if_fail (split != NULL);
  g_return_if_fail (model_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_atomic_rc_box_new0 (LinkJob);
  job->split = split;
  job->model = g_strdup (model_id);
  if (params != NULL)
    job->params = *params;
  else
    philia_link_model_params_init (&job->params);
  job->progress = progress != NULL ? g_object_ref (progress) : NULL;
  job->context = g_main_context_ref_thread_default ();
  job->epoch_func = epoch_func;
  job->epoch_data = epoch_data;
  job->epoch_destroy = epoch_destroy;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, philia_link_train_async);
  g_task_set_name (task, "[philia] link train");
  g_task_set_task_data (task, job, (GDestroyNotify)link_job_unref);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, link_thread);
}

/**
 * philia_link_train_finish:
 *
 * Epochs still queued are handed to the epoch function before this returns;
 * then the epoch data is released. Call it on the thread that started the run.
 */
PhiliaLinkTrainResult *
philia_link_train_finish (GAsyncResult  *result,
                          GError       **error)
{
  GTask *task = G_TASK (result);
  LinkJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == philia_link_train_async, NULL);

  /* Each epoch was queued on this context before the result was, at the
   * same priority, so all of them have been delivered. */
  job = g_task_get_task_data (task);
  job->epoch_func = NULL;
  if (job->epoch_destroy != NULL)
    {
      GDestroyNotify destroy = g_steal_pointer (&job->epoch_destroy);

      destroy (job->epoch_data);
    }
  return g_task_propagate_pointer (task, error);
}
