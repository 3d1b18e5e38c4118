/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "philia-core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- ROC-AUC */

typedef struct
{
  double score;
  guint8 positive;
} Scored;

static int
cmp_scored (const void *a,
            const void *b)
{
  double x = ((const Scored *) a)->score, y = ((const Scored *) b)->score;

  return (x > y) - (x < y);
}

/**
 * philia_roc_auc:
 * @scores: @n scores, higher meaning "more likely positive"
 * @positive: @n flags, nonzero for the positive items
 *
 * The area under the ROC curve in its exact Mann–Whitney form: the share of
 * (positive, negative) pairs whose positive item scores higher, a tie counting
 * one half. That is what scikit-learn's roc_auc_score computes, and the
 * metric of the two-class datasets of the heterophilous benchmark (Platonov et
 * al., ICLR 2023). O(n log n): one sort, then each group of equal scores adds
 * its positives times the negatives below it plus half the pairs inside it,
 * all in integers (exact for n below 2^26).
 *
 * Returns: the ROC-AUC in [0, 1]; NaN when one class is absent or a score is NaN
 */
double
philia_roc_auc (const double *scores,
                const guint8 *positive,
                gsize         n)
{
  g_autofree Scored *items = NULL;
  guint64 n_pos = 0, n_neg = 0, twice = 0, neg_below = 0;

  g_return_val_if_fail (n == 0 || (scores != NULL && positive != NULL), NAN);

  items = g_new (Scored, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      if (isnan (scores[i]))
        return NAN;
      items[i].score = scores[i];
      items[i].positive = positive[i] != 0;
      n_pos += items[i].positive;
    }
  n_neg = n - n_pos;
  if (n_pos == 0 || n_neg == 0)
    return NAN;

  qsort (items, n, sizeof (Scored), cmp_scored);
  for (gsize i = 0; i < n;)
    {
      guint64 p = 0, q = 0;
      gsize j = i;

      for (; j < n && items[j].score == items[i].score; j++)
        {
          p += items[j].positive;
          q += !items[j].positive;
        }
      /* Each positive of the group beats the negatives below it (2 halves)
       * and ties with the negatives of its group (1 half). */
      twice += p * (2 * neg_below + q);
      neg_below += q;
      i = j;
    }
  return (double) twice / (2.0 * (double) n_pos * (double) n_neg);
}

/* Sortable bits of a float: ascending keys for ascending values, -0 = +0. */
static inline guint32
float_key (float x)
{
  union { float f; guint32 u; } bits = { .f = x == 0 ? 0.0f : x };

  return bits.u & 0x80000000u ? ~bits.u : bits.u | 0x80000000u;
}

/**
 * philia_roc_auc_float:
 * @scores: @n float scores
 * @positive: @n flags, nonzero for the positive items
 *
 * philia_roc_auc() for float scores, such as a model's probabilities, in
 * O(n): the scores' bits are radix-sorted (three passes of 11 bits) instead of
 * compared, which keeps a two-class training run from spending more time on
 * its per-epoch ROC-AUC than on the epoch. Same value as philia_roc_auc() on
 * the scores converted to double.
 *
 * Returns: the ROC-AUC in [0, 1]; NaN when one class is absent or a score is NaN
 */
double
philia_roc_auc_float (const float  *scores,
                      const guint8 *positive,
                      gsize         n)
{
  g_autofree guint64 *items = NULL;
  g_autofree guint64 *other = NULL;
  guint64 n_pos = 0, twice = 0, neg_below = 0;
  guint64 *from, *to;

  g_return_val_if_fail (n == 0 || (scores != NULL && positive != NULL), NAN);

  items = g_new (guint64, MAX (n, 1));
  other = g_new (guint64, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      if (isnan (scores[i]))
        return NAN;
      /* The key above the flag: a sort by key that keeps the flag along. */
      items[i] = (guint64) float_key (scores[i]) << 1 | (positive[i] != 0);
      n_pos += positive[i] != 0;
    }
  if (n_pos == 0 || n_pos == n)
    return NAN;

  from = items;
  to = other;
  for (guint shift = 1; shift < 34; shift += 11)
    {
      gsize counts[2048] = { 0 };
      gsize total = 0;

      for (gsize i = 0; i < n; i++)
        counts[(from[i] >> shift) & 2047]++;
      for (guint d = 0; d < 2048; d++)
        {
          gsize c = counts[d];

          counts[d] = total;
          total += c;
        }
      for (gsize i = 0; i < n; i++)
        to[counts[(from[i] >> shift) & 2047]++] = from[i];
      from = to;
      to = from == items ? other : items;
    }

  for (gsize i = 0; i < n;)
    {
      guint64 p = 0, q = 0;
      gsize j = i;

      for (; j < n && from[j] >> 1 == from[i] >> 1; j++)
        {
          p += from[j] & 1;
          q += !(from[j] & 1);
        }
      twice += p * (2 * neg_below + q);
      neg_below += q;
      i = j;
    }
  return (double) twice / (2.0 * (double) n_pos * (double) (n - n_pos));
}

/* --------------------------------------------------------- majority class */

/**
 * philia_majority_class:
 * @labels: n labels, negative for unlabeled nodes
 * @mask: (nullable): the nodes to count (%NULL: all)
 * @n_classes: labels at or above it are ignored
 *
 * The most frequent class among the labeled nodes of @mask, the lowest class
 * id on a tie. Training code takes it on the training part: the class a model
 * that ignored the graph and the features would always predict. O(n + C).
 *
 * Returns: the class, or -1 when @mask holds no labeled node
 */
gint32
philia_majority_class (const gint32 *labels,
                       const guint8 *mask,
                       guint         n,
                       guint         n_classes)
{
  g_autofree gint64 *counts = NULL;
  gint32 best = -1;

  g_return_val_if_fail (labels != NULL || n == 0, -1);

  counts = g_new0 (gint64, MAX (n_classes, 1));
  for (guint i = 0; i < n; i++)
    if ((mask == NULL || mask[i]) && labels[i] >= 0 && (guint) labels[i] < n_classes)
      counts[labels[i]]++;
  for (guint k = 0; k < n_classes; k++)
    if (counts[k] > 0 && (best < 0 || counts[k] > counts[best]))
      best = (gint32) k;
  return best;
}

/**
 * philia_class_share:
 * @mask: (nullable): the nodes to count (%NULL: all)
 *
 * The share of the labeled nodes of @mask whose label is @klass: the accuracy
 * of always predicting @klass there. O(n).
 *
 * Returns: the share in [0, 1]; NaN when @mask holds no labeled node or
 *   @klass is negative
 */
double
philia_class_share (const gint32 *labels,
                    const guint8 *mask,
                    guint         n,
                    gint32        klass)
{
  gint64 hits = 0, total = 0;

  g_return_val_if_fail (labels != NULL || n == 0, NAN);

  if (klass < 0)
    return NAN;
  for (guint i = 0; i < n; i++)
    if ((mask == NULL || mask[i]) && labels[i] >= 0)
      {
        total++;
        hits += labels[i] == klass;
      }
  return total > 0 ? (double) hits / (double) total : NAN;
}

/* ----------------------------------------------------------- many runs */

/**
 * philia_mean_std:
 * @values: @n values; NaN entries (a metric undefined in that run) are skipped
 * @mean: (out) (optional): the mean, NaN without a value
 * @std: (out) (optional): the sample standard deviation (denominator k − 1
 *   for k values, as papers and numpy.std(ddof=1) report it), NaN with fewer
 *   than two values: one run has no spread to estimate
 *
 * Two passes, so the spread of values far from zero keeps its digits.
 *
 * Returns: k, the number of values that were not NaN
 */
guint
philia_mean_std (const double *values,
                 guint         n,
                 double       *mean,
                 double       *std)
{
  double sum = 0, m, ss = 0;
  guint k = 0;

  g_return_val_if_fail (values != NULL || n == 0, 0);

  for (guint i = 0; i < n; i++)
    if (!isnan (values[i]))
      {
        sum += values[i];
        k++;
      }
  m = k > 0 ? sum / k : NAN;
  for (guint i = 0; i < n; i++)
    if (!isnan (values[i]))
      ss += (values[i] - m) * (values[i] - m);
  if (mean != NULL)
    *mean = m;
  if (std != NULL)
    *std = k >= 2 ? sqrt (ss / (k - 1)) : NAN;
  return k;
}

/* ------------------------------------------------------- random splits */

/* Nodes of one class go train, val, test in these proportions: the floors of
 * n·f first, then the nodes left over to the parts with the largest
 * remainders (a tie to the later part: test, then validation, so that a small
 * class is tested rather than only validated), so a class is split as evenly
 * as its size allows and the parts' sizes add up to n. A class with a node
 * has one in training: a model cannot learn a class it never sees. */
static void
class_counts (guint         n,
              const double  fractions[3],
              guint         counts[3])
{
  double remainder[3];
  guint given = 0;

  for (guint j = 0; j < 3; j++)
    {
      double quota = fractions[j] * n;

      /* 0.6 × 10 may come out as 5.999…: a hair of slack keeps whole quotas whole. */
      counts[j] = (guint) floor (quota + 1e-9);
      remainder[j] = MAX (quota - counts[j], 0);
      given += counts[j];
    }
  while (given < n)
    {
      guint best = 2;

      /* Remainders within 1e-9 are equal: 1 − 0.6 − 0.2 is 0.19999… */
      for (int j = 1; j >= 0; j--)
        if (remainder[j] > remainder[best] + 1e-9)
          best = j;
      counts[best]++;
      remainder[best] = -1;
      given++;
    }
  while (given > n)   /* only through the slack above; take from the largest part */
    {
      guint big = counts[2] >= counts[1] ? (counts[2] >= counts[0] ? 2 : 0)
                                         : (counts[1] >= counts[0] ? 1 : 0);

      counts[big]--;
      given--;
    }
  if (n > 0 && counts[0] == 0)
    {
      /* From the larger of validation and test (test on a tie). */
      guint from = counts[1] > counts[2] ? 1 : 2;

      counts[from]--;
      counts[0]++;
    }
}

static gboolean
check_fraction (double       value,
                const char  *what,
                GError     **error)
{
  if (value > 0 && value < 1)
    return TRUE;
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
               _ ("The %s fraction must lie strictly between 0 and 1, not %g."), what, value);
  return FALSE;
}

/**
 * philia_random_splits:
 * @train_fraction: share of each class that trains, in (0, 1)
 * @val_fraction: share of each class that validates, in (0, 1); the rest
 *   (1 − @train_fraction − @val_fraction, which must be positive) is tested
 * @n_splits: 1 … %PHILIA_MAX_RANDOM_SPLITS
 * @train: (out) (transfer full): @n_splits × n, row k = split k
 * @val: (out) (transfer full): likewise
 * @test: (out) (transfer full): likewise
 *
 * Stratified random splits: within each class, its labeled nodes are
 * shuffled and cut train | val | test in the given proportions (counts
 * rounded by largest remainder; a class with any node keeps at least one in
 * training, so a one-node class trains and a two-node class 60/20/20 goes one
 * train, one test). Unlabeled nodes are in no part. Seeded: the same graph,
 * fractions and @seed give the same splits, and the first k splits do not
 * depend on how many more were asked for. O(n_splits · n).
 *
 * Returns: %FALSE with @error set for bad fractions, a bad count, or a graph
 *   without labeled nodes
 */
gboolean
philia_random_splits (PhiliaGraph  *graph,
                      double        train_fraction,
                      double        val_fraction,
                      guint         n_splits,
                      guint64       seed,
                      guint8      **train,
                      guint8      **val,
                      guint8      **test,
                      GError      **error)
{
  const double fractions[3] = { train_fraction, val_fraction,
                                1.0 - train_fraction - val_fraction };
  guint8 *masks[3];
  g_autofree guint *order = NULL;
  g_autofree gint64 *starts = NULL;
  const gint32 *labels;
  guint n, c;
  PhiliaRng rng;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), FALSE);
  g_return_val_if_fail (train != NULL && val != NULL && test != NULL, FALSE);

  if (!check_fraction (train_fraction, "training", error)
      || !check_fraction (val_fraction, "validation", error))
    return FALSE;
  /* 0.7 + 0.3 comes out as 0.99999…: within 1e-9 of 1 leaves nothing to test. */
  if (!(train_fraction + val_fraction < 1 - 1e-9))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("The training and validation fractions must add up to less than 1, so "
                      "that some nodes are left to test (%g + %g)."), train_fraction, val_fraction);
      return FALSE;
    }
  if (n_splits < 1 || n_splits > PHILIA_MAX_RANDOM_SPLITS)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("The number of splits must lie between 1 and %u, not %u."),
                   PHILIA_MAX_RANDOM_SPLITS, n_splits);
      return FALSE;
    }
  n = philia_graph_get_n_nodes (graph);
  c = philia_graph_get_n_classes (graph);
  labels = philia_graph_get_labels (graph);
  if (philia_graph_get_n_labeled (graph) == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_EMPTY,
                   _ ("%s has no labeled nodes to split; open a node table or a file with labels."),
                   philia_graph_get_source (graph));
      return FALSE;
    }

  /* The labeled nodes grouped by class, ascending within a class. */
  starts = g_new0 (gint64, c + 1);
  for (guint v = 0; v < n; v++)
    if (labels[v] >= 0)
      starts[labels[v] + 1]++;
  for (guint k = 0; k < c; k++)
    starts[k + 1] += starts[k];
  order = g_new (guint, MAX (starts[c], 1));
  {
    g_autofree gint64 *fill = g_memdup2 (starts, sizeof (gint64) * (c + 1));

    for (guint v = 0; v < n; v++)
      if (labels[v] >= 0)
        order[fill[labels[v]]++] = v;
  }

  for (guint part = 0; part < 3; part++)
    masks[part] = g_new0 (guint8, MAX ((gsize) n_splits * n, 1));
  /* A stream of its own: the split seed and a training seed may well be equal. */
  philia_rng_init (&rng, seed ^ G_GUINT64_CONSTANT (0x73706c6974730000));
  for (guint s = 0; s < n_splits; s++)
    for (guint k = 0; k < c; k++)
      {
        guint *nodes = order + starts[k];
        guint size = (guint) (starts[k + 1] - starts[k]), counts[3], at = 0;

        /* Fisher–Yates, continuing from the previous split's order: every
         * permutation is equally likely whatever the starting order. */
        for (guint i = size; i > 1; i--)
          {
            guint j = philia_rng_below (&rng, i), t = nodes[i - 1];

            nodes[i - 1] = nodes[j];
            nodes[j] = t;
          }
        class_counts (size, fractions, counts);
        for (guint part = 0; part < 3; part++)
          for (guint i = 0; i < counts[part]; i++)
            masks[part][(gsize) s * n + nodes[at++]] = 1;
      }

  *train = masks[0];
  *val = masks[1];
  *test = masks[2];
  return TRUE;
}

/**
 * philia_graph_with_random_splits:
 * @keep_existing: put the new splits after the graph's own (else they replace them)
 *
 * A copy of @graph with philia_random_splits() as its splits, the way
 * `philia-cli train --random-split` and the app's Make Splits… use it.
 *
 * Returns: (transfer full): the new graph, or %NULL with @error set
 */
PhiliaGraph *
philia_graph_with_random_splits (PhiliaGraph  *graph,
                                 double        train_fraction,
                                 double        val_fraction,
                                 guint         n_splits,
                                 guint64       seed,
                                 gboolean      keep_existing,
                                 GError      **error)
{
  guint8 *fresh[3], *masks[3];
  guint old, n;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);

  if (!philia_random_splits (graph, train_fraction, val_fraction, n_splits, seed, &fresh[0],
                             &fresh[1], &fresh[2], error))
    return NULL;
  old = keep_existing ? philia_graph_get_n_splits (graph) : 0;
  n = philia_graph_get_n_nodes (graph);
  for (guint part = 0; part < 3; part++)
    {
      if (old == 0)
        {
          masks[part] = fresh[part];
          continue;
        }
      masks[part] = g_new (guint8, MAX ((gsize) (old + n_splits) * n, 1));
      for (guint s = 0; s < old; s++)
        memcpy (masks[part] + (gsize) s * n, philia_graph_get_split_mask (graph, s, part), n);
      memcpy (masks[part] + (gsize) old * n, fresh[part], (gsize) n_splits * n);
      g_free (fresh[part]);
    }
  return philia_graph_copy_with_splits (graph, old + n_splits, masks[0], masks[1], masks[2]);
}
