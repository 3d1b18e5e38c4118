/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Source-free adaptation of a saved model to an unlabeled target graph: SOGA
 * (Mao et al., "Source Free Graph Unsupervised Domain Adaptation", WSDM 2024),
 * HACKING.md §7. The objective is information maximisation (each prediction
 * confident, the predictions as a whole diverse) plus structure consistency
 * (nodes that co-occur on short random walks predict alike, random pairs
 * need not). Only the target's structure and features are read. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "philia-epoch-relay.h"
#include "philia-model-private.h"
#include "philia-tape-private.h"
#include "philia-cost-private.h"
#include "philia-simd-private.h"

/* The recipe. SOGA adapts with Adam, a small learning rate, and weights the
 * two objectives equally; its structure term is a negative-sampling loss over
 * random-walk co-occurrences, with unigram^0.75 negatives as in word2vec. */
#define DEFAULT_EPOCHS 100
#define DEFAULT_LR 0.001
#define DEFAULT_STRUCTURE_WEIGHT 1.0
#define DEFAULT_NEGATIVES 5
#define DEFAULT_WINDOW 2
#define MAX_WINDOW 64
#define MAX_NEGATIVES 256

void
philia_adapt_params_init (PhiliaAdaptParams *params)
{
  g_return_if_fail (params != NULL);

  params->epochs = -1;
  params->lr = -1;
  params->weight_decay = -1;
  params->structure_weight = -1;
  params->negatives = 0;
  params->window = 0;
}

void
philia_adapt_result_free (PhiliaAdaptResult *result)
{
  if (result == NULL)
    return;
  g_free (result->loss);
  g_free (result->im_loss);
  g_free (result->structure_loss);
  g_free (result->accuracy_curve);
  philia_saved_model_free (result->adapted);
  philia_prediction_free (result->before);
  philia_prediction_free (result->after);
  g_free (result);
}

void
_philia_soga_negatives_free (SogaNegatives *negatives)
{
  if (negatives == NULL)
    return;
  g_free (negatives->prob);
  g_free (negatives->alias);
  g_free (negatives);
}

/* Walker's alias table of the nodes' unigram^0.75 weights (degree as the
 * count), uniform when the graph has no edges: one draw is one random number
 * and one comparison, where a search of cumulative weights mispredicted a
 * branch per level. */
SogaNegatives *
_philia_soga_negatives_new (PhiliaGraph *graph)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  SogaNegatives *t = g_new0 (SogaNegatives, 1);
  g_autofree double *w = g_new (double, MAX (n, 1));
  g_autofree guint32 *small = g_new (guint32, MAX (n, 1));
  g_autofree guint32 *large = g_new (guint32, MAX (n, 1));
  guint n_small = 0, n_large = 0;
  double total = 0;

  t->n = n;
  t->prob = g_new (double, MAX (n, 1));
  t->alias = g_new (guint32, MAX (n, 1));
  for (guint v = 0; v < n; v++)
    total += w[v] = pow ((double)(off[v + 1] - off[v]), 0.75);
  for (guint v = 0; v < n; v++)
    {
      w[v] = total > 0 ? w[v] * n / total : 1;
      t->alias[v] = v;
      if (w[v] < 1)
        small[n_small++] = v;
      else
        large[n_large++] = v;
    }
  while (n_small > 0 && n_large > 0)
    {
      guint32 s = small[--n_small], l = large[n_large - 1];

      t->prob[s] = w[s];
      t->alias[s] = l;
      w[l] -= 1 - w[s];
      if (w[l] < 1)
        {
          n_large--;
          small[n_small++] = l;
        }
    }
  /* What is left is 1 up to rounding. */
  while (n_large > 0)
    t->prob[large[--n_large]] = 1;
  while (n_small > 0)
    t->prob[small[--n_small]] = 1;
  return t;
}

/* philia_rng_float() and philia_rng_below() inlined, the same streams: the
 * objective draws six numbers per node and epoch, and the calls cost more
 * than the draws. */
static inline float
draw_float (PhiliaRng *rng)
{
  return (rng_step (rng) >> 40) * (1.0f / 16777216.0f);
}

static inline guint32
draw_below (PhiliaRng *rng,
            guint32    bound)
{
  return (guint32)(((rng_step (rng) >> 32) * (guint64)bound) >> 32);
}

static inline guint
draw_negative (const SogaNegatives *t,
               PhiliaRng           *rng)
{
  double x = (double)draw_float (rng) * t->n;
  guint v = MIN ((guint)x, t->n - 1);

  return x - v < t->prob[v] ? v : t->alias[v];
}

guint
_philia_soga_draw_negative (const SogaNegatives *t,
                            PhiliaRng           *rng)
{
  return draw_negative (t, rng);
}

/*
 * The objective runs on rows of the probabilities padded to a whole number
 * of eight-float vectors (zero beyond C), so that a dot product or an axpy
 * of two rows is one vector operation per eight classes instead of a loop
 * over C, and the exponentials go eight at a time (exp_approx: within 2 ulp
 * of expf, where glibc's double exp() of every entry took an eighth of an
 * ArnetMiner epoch). Sums over the nodes stay in double.
 */
#define SOGA_LANES 8
/* Partner groups whose factors 1 + e^z multiply in the double lanes before
 * their logarithms are taken: each factor is below 3.72 (see below), and
 * 3.72^128 is far inside double's range. */
#define SOGA_FLUSH 128

typedef float  V4f __attribute__ ((vector_size (16)));
typedef double V4d __attribute__ ((vector_size (32)));

static const V8i lane_index = { 0, 1, 2, 3, 4, 5, 6, 7 };

static inline G_ALWAYS_INLINE V4d
v8_low_double (V8f v)
{
  V4f half;

  memcpy (&half, &v, sizeof half);
  return __builtin_convertvector (half, V4d);
}

static inline G_ALWAYS_INLINE V4d
v8_high_double (V8f v)
{
  V4f half;

  memcpy (&half, (const char *)&v + sizeof half, sizeof half);
  return __builtin_convertvector (half, V4d);
}

static inline G_ALWAYS_INLINE float
v8_sum (V8f v)
{
  v += __builtin_shufflevector (v, v, 4, 5, 6, 7, 0, 1, 2, 3);
  v += __builtin_shufflevector (v, v, 2, 3, 0, 1, 6, 7, 4, 5);
  v += __builtin_shufflevector (v, v, 1, 0, 3, 2, 5, 4, 7, 6);
  return v[0];
}

/* log p in rows of @stride floats, zero beyond C. */
PHILIA_NO_MEMCPY static void
soga_pad_rows (const float *restrict logp,
               float *restrict       l,
               guint                 n,
               guint                 c,
               guint                 stride)
{
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < stride; j++)
      l[(gsize)i * stride + j] = j < c ? logp[(gsize)i * c + j] : 0.0f;
}

/* p = e^l (zero beyond C), Σ p l and the column sums of p, in double. */
static inline G_ALWAYS_INLINE void
soga_probabilities_body (const float *restrict l,
                         float *restrict       p,
                         guint                 n,
                         guint                 c,
                         guint                 stride,
                         double *restrict      col_sum,
                         double               *plogp)
{
  V4d ent = { 0 };

  for (guint j0 = 0; j0 < stride; j0 += SOGA_LANES)
    {
      V8i keep = lane_index < (gint32)(c - j0);
      V4d lo = { 0 }, hi = { 0 };

      for (guint i = 0; i < n; i++)
        {
          gsize at = (gsize)i * stride + j0;
          V8f x = v8_load (l + at);
          V8f e = v8_select (keep, v8_exp_approx (x), (V8f){ 0 });
          V4d pl = v8_low_double (e), ph = v8_high_double (e);

          v8_store (p + at, e);
          lo += pl;
          hi += ph;
          ent += pl * v8_low_double (x) + ph * v8_high_double (x);
        }
      memcpy (col_sum + j0, &lo, sizeof lo);
      memcpy (col_sum + j0 + 4, &hi, sizeof hi);
    }
  *plogp = ent[0] + ent[1] + ent[2] + ent[3];
}

PHILIA_VECTORIZE static void
soga_probabilities_8 (const float *restrict l, float *restrict p, guint n, guint c,
                      double *restrict col_sum, double *plogp)
{
  soga_probabilities_body (l, p, n, c, SOGA_LANES, col_sum, plogp);
}

PHILIA_VECTORIZE static void
soga_probabilities_any (const float *restrict l, float *restrict p, guint n, guint c,
                        guint stride, double *restrict col_sum, double *plogp)
{
  soga_probabilities_body (l, p, n, c, stride, col_sum, plogp);
}

/*
 * Structure consistency over the padded probabilities @p: per node with
 * neighbours, the pairs drawn in the documented order (1 + below(window)
 * walk steps, each to a uniform neighbour, then k negatives), then the
 * dot products of up to eight partners, one e^z for them all, and the
 * axpys of the slopes into @gp. With z = −s for the positive pair's dot
 * product s and z = t for a negative's, −log σ(s) and −log σ(−t) are both
 * log(1 + e^z) and the slopes −e^z / (1 + e^z) and e^z / (1 + e^z). Dot
 * products of probability vectors lie in [0, 1], so 1 + e^z lies in
 * [1.36, 3.72]: the factors multiply in double and one log() per lane and
 * SOGA_FLUSH groups sums them (a logf() per pair was a seventh of an epoch).
 * @loss gets the sum of the terms, @pairs the number of positive pairs.
 */
static inline G_ALWAYS_INLINE void
soga_structure_body (const float *restrict p,
                     float *restrict       gp,
                     guint                 n,
                     guint                 stride,
                     const gint64         *off,
                     const gint32         *nbr,
                     guint                 window,
                     guint                 k,
                     const SogaNegatives  *negatives,
                     PhiliaRng            *rng,
                     double               *loss,
                     gint64               *pairs)
{
  guint partner[1 + MAX_NEGATIVES];
  V4d prod_lo = { 1, 1, 1, 1 }, prod_hi = { 1, 1, 1, 1 };
  double sum = 0;
  guint groups = 0;
  gint64 m = 0;

  for (guint i = 0; i < n; i++)
    {
      const float *pi = p + (gsize)i * stride;
      float *gi = gp + (gsize)i * stride;
      guint v = i, steps;

      if (off[i + 1] == off[i])
        continue;
      steps = 1 + draw_below (rng, window);
      for (guint s = 0; s < steps; s++)
        v = nbr[off[v] + draw_below (rng, (guint32)(off[v + 1] - off[v]))];
      partner[0] = v;
      for (guint r = 0; r < k; r++)
        partner[1 + r] = draw_negative (negatives, rng);
      m++;
      for (guint g0 = 0; g0 < k + 1; g0 += SOGA_LANES)
        {
          guint w = MIN (SOGA_LANES, k + 1 - g0);
          V8f z = { 0 }, e, factor, slope;

          for (guint q = 0; q < w; q++)
            {
              const float *pu = p + (gsize)partner[g0 + q] * stride;
              V8f acc = { 0 };

              for (guint j = 0; j < stride; j += SOGA_LANES)
                acc += v8_load (pi + j) * v8_load (pu + j);
              z[q] = v8_sum (acc);
            }
          if (g0 == 0)
            z[0] = -z[0];
          e = v8_exp_approx (z);
          factor = v8_select (lane_index < (gint32)w, 1.0f + e, (V8f){ 0 } + 1.0f);
          slope = e / factor;
          if (g0 == 0)
            slope[0] = -slope[0];
          prod_lo *= v8_low_double (factor);
          prod_hi *= v8_high_double (factor);
          if (++groups == SOGA_FLUSH)
            {
              for (guint q = 0; q < 4; q++)
                sum += log (prod_lo[q]) + log (prod_hi[q]);
              prod_lo = prod_hi = (V4d){ 1, 1, 1, 1 };
              groups = 0;
            }
          for (guint q = 0; q < w; q++)
            {
              guint u = partner[g0 + q];
              const float *pu = p + (gsize)u * stride;
              float *gu = gp + (gsize)u * stride;

              for (guint j = 0; j < stride; j += SOGA_LANES)
                {
                  v8_store (gu + j, v8_load (gu + j) + slope[q] * v8_load (pi + j));
                  v8_store (gi + j, v8_load (gi + j) + slope[q] * v8_load (pu + j));
                }
            }
        }
    }
  for (guint q = 0; q < 4; q++)
    sum += log (prod_lo[q]) + log (prod_hi[q]);
  *loss = sum;
  *pairs = m;
}

PHILIA_VECTORIZE static void
soga_structure_8 (const float *restrict p, float *restrict gp, guint n, const gint64 *off,
                  const gint32 *nbr, guint window, guint k, const SogaNegatives *negatives,
                  PhiliaRng *rng, double *loss, gint64 *pairs)
{
  soga_structure_body (p, gp, n, SOGA_LANES, off, nbr, window, k, negatives, rng, loss, pairs);
}

PHILIA_VECTORIZE static void
soga_structure_any (const float *restrict p, float *restrict gp, guint n, guint stride,
                    const gint64 *off, const gint32 *nbr, guint window, guint k,
                    const SogaNegatives *negatives, PhiliaRng *rng, double *loss,
                    gint64 *pairs)
{
  soga_structure_body (p, gp, n, stride, off, nbr, window, k, negatives, rng, loss, pairs);
}

/* d/d log p_ij of both terms: information maximisation's
 * p_ij (log p̄_j − log p_ij) / n (mean entropy and entropy of the mean
 * together), and through p = e^{log p} the structure term's p_ij gp_ij
 * times @scale. */
PHILIA_VECTORIZE static void
soga_gradient (const float *restrict  logp,
               const float *restrict  p,
               const float *restrict  gp,
               const double *restrict log_mean,
               guint                  n,
               guint                  c,
               guint                  stride,
               double                 inv_n,
               double                 scale,
               float *restrict        grad)
{
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < c; j++)
      {
        gsize at = (gsize)i * stride + j;

        grad[(gsize)i * c + j] =
          (float)(p[at] * ((log_mean[j] - logp[(gsize)i * c + j]) * inv_n + scale * gp[at]));
      }
}

void
_philia_soga_objective (const PhiliaTensor *logp,
                        PhiliaGraph        *graph,
                        double              lambda,
                        guint               window,
                        guint               k,
                        const SogaNegatives *negatives,
                        PhiliaRng          *rng,
                        float              *grad,
                        double              terms[5])
{
  guint n = logp->rows, c = logp->cols;
  guint stride = (c + SOGA_LANES - 1) / SOGA_LANES * SOGA_LANES;
  gsize size = (gsize)n * stride;
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  /* Three row blocks from one allocation, 32-byte aligned so that no row
   * straddles a cache line. */
  g_autofree float *block = g_new (float, 3 * size + SOGA_LANES);
  float *l = (float *)(((guintptr)block + 31) & ~(guintptr)31);
  float *p = l + size, *gp = p + size;
  g_autofree double *sums = g_new (double, MAX (stride, 1));
  g_autofree double *log_mean = g_new0 (double, MAX (c, 1));
  double plogp = 0, entropy, marginal = 0, structure = 0, scale = 0;
  double inv_n = 1.0 / MAX (n, 1);
  gint64 n_pairs = 0;

  /* Information maximisation: mean entropy − entropy of the mean. */
  soga_pad_rows (logp->data, l, n, c, stride);
  if (stride == SOGA_LANES)
    soga_probabilities_8 (l, p, n, c, sums, &plogp);
  else
    soga_probabilities_any (l, p, n, c, stride, sums, &plogp);
  entropy = -plogp * inv_n;
  for (guint j = 0; j < c; j++)
    {
      double mean = sums[j] * inv_n;

      if (mean > 0)
        {
          log_mean[j] = log (mean);
          marginal -= mean * log_mean[j];
        }
    }

  /* Structure consistency, a mean over the positive pairs. */
  memset (gp, 0, sizeof (float) * size);
  if (stride == SOGA_LANES)
    soga_structure_8 (p, gp, n, off, nbr, window, k, negatives, rng, &structure, &n_pairs);
  else
    soga_structure_any (p, gp, n, stride, off, nbr, window, k, negatives, rng, &structure,
                        &n_pairs);
  if (n_pairs > 0)
    {
      scale = lambda / n_pairs;
      structure /= n_pairs;
    }
  soga_gradient (logp->data, p, gp, log_mean, n, c, stride, inv_n, scale, grad);
  terms[0] = entropy - marginal + lambda * structure;
  terms[1] = entropy - marginal;
  terms[2] = entropy;
  terms[3] = marginal;
  terms[4] = structure;
}

static double
labeled_accuracy (const PhiliaTensor *logp,
                  const gint32       *labels)
{
  gint64 hits = 0, total = 0;
  guint c = logp->cols;

  for (guint i = 0; i < logp->rows; i++)
    {
      const float *row = logp->data + (gsize)i * c;
      guint best = 0;

      if (labels[i] < 0)
        continue;
      for (guint j = 1; j < c; j++)
        if (row[j] > row[best])
          best = j;
      total++;
      hits += (gint32)best == labels[i];
    }
  return total > 0 ? (double)hits / total : NAN;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

PhiliaAdaptResult *
philia_adapt (const PhiliaSavedModel  *model,
              PhiliaGraph             *target,
              const PhiliaAdaptParams *params,
              guint64                  seed,
              guint                    n_threads,
              PhiliaProgress          *progress,
              GCancellable            *cancellable,
              PhiliaAdaptEpochFunc     callback,
              gpointer                 user_data,
              GError                 **error)
{
  return _philia_adapt_full (model, target, params, seed, n_threads, progress, cancellable,
                             NULL, callback, user_data, error);
}

/* philia_adapt() that also ends, keeping what it reached, once @stop is
 * cancelled (after at least one epoch): the Adapt page's "Stop". */
PhiliaAdaptResult *
_philia_adapt_full (const PhiliaSavedModel  *model,
                    PhiliaGraph             *target,
                    const PhiliaAdaptParams *params,
                    guint64                  seed,
                    guint                    n_threads,
                    PhiliaProgress          *progress,
                    GCancellable            *cancellable,
                    GCancellable            *stop,
                    PhiliaAdaptEpochFunc     callback,
                    gpointer                 user_data,
                    GError                 **error)
{
  g_auto(SavedModelInstance) instance = { 0 };
  g_autoptr(PhiliaAdaptResult) result = NULL;
  g_autoptr(PhiliaTape) tape = NULL;
  g_autoptr(PhiliaOptimizer) optimizer = NULL;
  g_autoptr(SogaNegatives) negatives = NULL;
  g_autofree double *epoch_ms = NULL;
  g_autofree float *grad = NULL;
  PhiliaAdaptParams p;
  PhiliaRng rng;
  const gint32 *labels;
  gint64 start = g_get_monotonic_time ();
  guint n, c;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (PHILIA_IS_GRAPH (target), NULL);

  if (params != NULL)
    p = *params;
  else
    philia_adapt_params_init (&p);
  if (p.epochs <= 0)
    p.epochs = DEFAULT_EPOCHS;
  if (p.lr <= 0)
    p.lr = DEFAULT_LR;
  if (p.weight_decay < 0)
    p.weight_decay = model->params.weight_decay >= 0 ? model->params.weight_decay : 0;
  if (p.structure_weight < 0)
    p.structure_weight = DEFAULT_STRUCTURE_WEIGHT;
  if (p.negatives == 0)
    p.negatives = DEFAULT_NEGATIVES;
  if (p.window == 0)
    p.window = DEFAULT_WINDOW;
  if (p.window > MAX_WINDOW || p.negatives > MAX_NEGATIVES || !isfinite (p.lr)
      || !isfinite (p.structure_weight) || !isfinite (p.weight_decay))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("The adaptation's walk window must be at most %d, its negatives at most %d "
                      "and its rates finite."), MAX_WINDOW, MAX_NEGATIVES);
      return NULL;
    }

  if (!_philia_saved_model_instantiate (model, target, &instance, error))
    return NULL;
  n = philia_graph_get_n_nodes (target);
  c = model->n_classes;
  labels = philia_graph_get_labels (target);
  n_threads = MAX (n_threads, 1);
  _philia_cost_blas_single ();
  tape = philia_tape_new (n_threads);

  result = g_new0 (PhiliaAdaptResult, 1);
  result->params = p;
  result->seed = seed;
  result->loss = g_new0 (double, p.epochs);
  result->im_loss = g_new0 (double, p.epochs);
  result->structure_loss = g_new0 (double, p.epochs);
  result->accuracy_curve = g_new0 (double, p.epochs);
  result->before = _philia_prediction_new (_philia_saved_model_eval (&instance, tape), target);

  optimizer = philia_optimizer_new (PHILIA_OPTIMIZER_ADAM, (float)p.lr, (float)p.weight_decay);
  for (guint i = 0; i < instance.ctx->parameters->len; i++)
    philia_optimizer_add (optimizer, g_ptr_array_index (instance.ctx->parameters, i),
                          g_array_index (instance.ctx->decay, gboolean, i));
  negatives = _philia_soga_negatives_new (target);
  grad = g_new (float, (gsize)n * c);
  epoch_ms = g_new0 (double, p.epochs);
  philia_rng_init (&rng, seed);

  for (int epoch = 0; epoch < p.epochs; epoch++)
    {
      PhiliaAdaptEpoch info = { 0 };
      PhiliaTensor *logp;
      double terms[5];
      gint64 t0 = g_get_monotonic_time ();

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (epoch > 0 && g_cancellable_is_cancelled (stop))
        break;
      /* Dropout off: the objective is about the predictions the adapted
       * model will make, and the seed alone decides the sampled pairs. */
      philia_tape_reset (tape);
      philia_tape_set_training (tape, FALSE);
      logp = philia_op_log_softmax (tape, instance.vtable->forward (instance.model, instance.ctx,
                                                                    tape));
      _philia_soga_objective (logp, target, p.structure_weight, p.window, p.negatives,
                              negatives, &rng, grad, terms);
      if (!isfinite (terms[0]))
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FAILED,
                       _ ("Adaptation diverged at epoch %d: the loss is not finite; lower the "
                          "learning rate."), epoch + 1);
          return NULL;
        }
      philia_tape_backward_from (tape, logp, grad);
      philia_optimizer_step (optimizer);
      epoch_ms[epoch] = (g_get_monotonic_time () - t0) / 1000.0;
      result->loss[epoch] = terms[0];
      result->im_loss[epoch] = terms[1];
      result->structure_loss[epoch] = terms[4];
      /* Scored on the predictions this epoch's loss saw; display only. */
      result->accuracy_curve[epoch] = labeled_accuracy (logp, labels);
      result->n_epochs = epoch + 1;
      if (callback != NULL)
        {
          info.epoch = epoch + 1;
          info.n_epochs = p.epochs;
          info.loss = terms[0];
          info.im_loss = terms[1];
          info.mean_entropy = terms[2];
          info.marginal_entropy = terms[3];
          info.structure_loss = terms[4];
          info.target_accuracy = result->accuracy_curve[epoch];
          info.epoch_ms = epoch_ms[epoch];
          callback (&info, user_data);
        }
      if (progress != NULL)
        philia_progress_set_fraction (progress, (epoch + 1.0) / p.epochs);
    }

  result->after = _philia_prediction_new (_philia_saved_model_eval (&instance, tape), target);
  philia_tape_reset (tape);
  result->adapted = philia_saved_model_copy (model);
  g_free (result->adapted->adapted_from);
  result->adapted->adapted_from = g_strdup ("soga");
  for (guint i = 0; i < instance.ctx->parameters->len; i++)
    {
      PhiliaTensor *w = g_ptr_array_index (result->adapted->weights, i);

      memcpy (w->data, ((PhiliaTensor *)g_ptr_array_index (instance.ctx->parameters, i))->data,
              sizeof (float) * w->rows * w->cols);
    }
  qsort (epoch_ms, result->n_epochs, sizeof (double), cmp_double);
  result->epoch_ms_median = result->n_epochs % 2
    ? epoch_ms[result->n_epochs / 2]
    : (epoch_ms[result->n_epochs / 2 - 1] + epoch_ms[result->n_epochs / 2]) / 2;
  result->seconds = (g_get_monotonic_time () - start) / 1e6;
  return g_steal_pointer (&result);
}

/* ------------------------------------------------------------------ async */

typedef struct
{
  PhiliaSavedModel      *model;
  PhiliaGraph           *target;
  PhiliaAdaptParams      params;
  guint64                seed;
  guint                  n_threads;
  GCancellable          *stop;
  PhiliaEpochRelay      *relay;
} AdaptJob;

static void
adapt_job_clear (AdaptJob *job)
{
  g_clear_pointer (&job->model, philia_saved_model_free);
  g_clear_object (&job->target);
  g_clear_object (&job->stop);
  g_clear_pointer (&job->relay, _philia_epoch_relay_unref);
}

static void
adapt_job_unref (AdaptJob *job)
{
  g_atomic_rc_box_release_full (job, (GDestroyNotify)adapt_job_clear);
}

static void
dispatch_epochs (GCallback     func,
                 gconstpointer items,
                 guint         n_items,
                 gpointer      data)
{
  ((PhiliaAdaptEpochsFunc)func) (items, n_items, data);
}

/* Worker thread. */
static void
on_epoch (const PhiliaAdaptEpoch *epoch,
          gpointer                user_data)
{
  AdaptJob *job = user_data;

  _philia_epoch_relay_push (job->relay, epoch);
}

static void
adapt_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  AdaptJob *job = task_data;
  PhiliaAdaptResult *result;
  GError *error = NULL;

  result = _philia_adapt_full (job->model, job->target, &job->params, job->seed,
                               job->n_threads, NULL, cancellable, job->stop, on_epoch, job,
                               &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify)philia_adapt_result_free);
}

/**
 * philia_adapt_async:
 * @model: copied
 * @target: referenced for the run
 * @params: (nullable): copied; %NULL for the recipe
 * @epochs_func: (nullable): receives epochs on the calling thread's
 *   thread-default main context, batched, at most every 16 ms
 *
 * Runs philia_adapt() on a worker thread; cancelling stops it within one
 * epoch (philia_adapt_finish() then fails with %G_IO_ERROR_CANCELLED).
 */
void
philia_adapt_async (const PhiliaSavedModel  *model,
                    PhiliaGraph             *target,
                    const PhiliaAdaptParams *params,
                    guint64                  seed,
                    guint                    n_threads,
                    GCancellable            *cancellable,
                    PhiliaAdaptEpochsFunc    epochs_func,
                    gpointer                 epochs_data,
                    GDestroyNotify           epochs_destroy,
                    GAsyncReadyCallback      callback,
                    gpointer                 user_data)
{
  philia_adapt_async_full (model, target, params, seed, n_threads, cancellable, NULL,
                           epochs_func, epochs_data, epochs_destroy, callback, user_data);
}

/**
 * philia_adapt_async_full:
 * @stop: (nullable): cancelled to end after the current epoch with the
 *   model reached so far (at least one epoch), where @cancellable discards it
 *
 * philia_adapt_async() with "stop here and keep it".
 */
void
philia_adapt_async_full (const PhiliaSavedModel  *model,
                         PhiliaGraph             *target,
                         const PhiliaAdaptParams *params,
                         guint64                  seed,
                         guint                    n_threads,
                         GCancellable            *cancellable,
                         GCancellable            *stop,
                         PhiliaAdaptEpochsFunc    epochs_func,
                         gpointer                 epochs_data,
                         GDestroyNotify           epochs_destroy,
                         GAsyncReadyCallback      callback,
                         gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  AdaptJob *job;

  g_return_if_fail (model != NULL);
  g_return_if_fail (PHILIA_IS_GRAPH (target));

  job = g_atomic_rc_box_new0 (AdaptJob);
  job->model = philia_saved_model_copy (model);
  job->target = g_object_ref (target);
  if (params != NULL)
    job->params = *params;
  else
    philia_adapt_params_init (&job->params);
  job->seed = seed;
  job->n_threads = n_threads;
  job->stop = stop != NULL ? g_object_ref (stop) : NULL;
  job->relay = _philia_epoch_relay_new (sizeof (PhiliaAdaptEpoch), "[philia] adaptation epochs",
                                        dispatch_epochs, (GCallback)epochs_func, epochs_data,
                                        epochs_destroy);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, philia_adapt_async);
  g_task_set_name (task, "[philia] adapt");
  g_task_set_task_data (task, job, (GDestroyNotify)adapt_job_unref);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, adapt_thread);
}

/**
 * philia_adapt_finish:
 *
 * Hands over the epochs not yet delivered, then releases the epochs data.
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
PhiliaAdaptResult *
philia_adapt_finish (GAsyncResult *result,
                     GError      **error)
{
  GTask *task = G_TASK (result);
  AdaptJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == philia_adapt_async, NULL);

  job = g_task_get_task_data (task);
  _philia_epoch_relay_finish (job->relay);
  return g_task_propagate_pointer (task, error);
}
