/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The random generator, tensors and the tape (HACKING.md §7). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-tape-private.h"
#include "philia-parallel-private.h"
#include "philia-cost-private.h"

#include <math.h>
#include <string.h>


/* ------------------------------------------------------------------ RNG */

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += 0x9e3779b97f4a7c15ULL);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void
philia_rng_init (PhiliaRng *rng,
                 guint64    seed)
{
  guint64 x = seed;

  for (guint i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&x);
}

guint64
philia_rng_next (PhiliaRng *rng)
{
  return rng_step (rng);
}

static inline float
rng_float (PhiliaRng *rng)
{
  return (rng_step (rng) >> 40) * (1.0f / 16777216.0f);
}

float
philia_rng_float (PhiliaRng *rng)
{
  return rng_float (rng);
}

guint32
philia_rng_below (PhiliaRng *rng,
                  guint32    bound)
{
  /* Lemire's multiply-shift; the bias is below 2^-32 for our bounds. */
  return (guint32)(((philia_rng_next (rng) >> 32) * (guint64)bound) >> 32);
}

/* --------------------------------------------------------------- tensor */

gsize
philia_tensor_size (const PhiliaTensor *tensor)
{
  return (gsize)tensor->rows * tensor->cols;
}

PhiliaTensor *
philia_tensor_new (guint rows,
                   guint cols)
{
  PhiliaTensor *t = g_new0 (PhiliaTensor, 1);

  t->rows = rows;
  t->cols = cols;
  t->data = g_new0 (float, MAX ((gsize)rows * cols, 1));
  return t;
}

PhiliaTensor *
philia_tensor_new_from (guint        rows,
                        guint        cols,
                        const float *data)
{
  PhiliaTensor *t = philia_tensor_new (rows, cols);

  if (data != NULL)
    memcpy (t->data, data, sizeof (float) * rows * cols);
  return t;
}

PhiliaTensor *
philia_tensor_copy (const PhiliaTensor *tensor)
{
  PhiliaTensor *t = philia_tensor_new_from (tensor->rows, tensor->cols, tensor->data);

  t->requires_grad = tensor->requires_grad;
  return t;
}

void
philia_tensor_free (PhiliaTensor *tensor)
{
  if (tensor == NULL)
    return;
  g_free (tensor->data);
  g_free (tensor->grad);
  g_free (tensor);
}

void
philia_tensor_zero_grad (PhiliaTensor *tensor)
{
  if (tensor->grad != NULL)
    memset (tensor->grad, 0, sizeof (float) * philia_tensor_size (tensor));
}

void
philia_tensor_glorot (PhiliaTensor *tensor,
                      PhiliaRng    *rng)
{
  float a = sqrtf (6.0f / (float)(tensor->rows + tensor->cols));
  gsize n = philia_tensor_size (tensor);

  for (gsize i = 0; i < n; i++)
    tensor->data[i] = (2.0f * philia_rng_float (rng) - 1.0f) * a;
}

/* ----------------------------------------------------------------- tape */

/* Runs @fn over [0, n) in contiguous blocks, one per thread. With @offsets the
 * blocks hold about equal numbers of entries (power-law degrees); each output
 * row is written by one thread, so results do not depend on the schedule. */
void
_philia_tape_split_rows (PhiliaTape   *tape,
                         guint         n,
                         const gint64 *offsets,
                         RangeFunc     fn,
                         gpointer      data)
{
  _philia_tape_split_rows_blocks (tape, n, offsets, 1, fn, data);
}

static void
node_clear (gpointer data)
{
  Node *node = data;

  g_free (node->saved);
  g_clear_pointer (&node->sparse, philia_sparse_unref);
}

/* One size class of the pool: its buffers (taken from the end, so the
 * first ones are those that sat idle longest), the fewest it held during
 * the current step, and how many at its start had also sat idle through
 * the step before. */
typedef struct
{
  GPtrArray *list;
  guint      low;
  guint      idle_before;
} PoolClass;

static void
pool_class_free (gpointer data)
{
  PoolClass *pc = data;

  g_ptr_array_unref (pc->list);
  g_free (pc);
}

PhiliaTape *
philia_tape_new (guint n_threads)
{
  PhiliaTape *tape = g_new0 (PhiliaTape, 1);

  tape->n_threads = MAX (n_threads, 1);
  tape->training = TRUE;
  philia_rng_init (&tape->rng, 0);
  tape->tensors = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  tape->nodes = g_array_new (FALSE, TRUE, sizeof (Node));
  g_array_set_clear_func (tape->nodes, node_clear);
  tape->buffers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, pool_class_free);
  tape->lent = g_hash_table_new (NULL, NULL);
  tape->force_split = -1;
  tape->time_ops = TRUE;
  return tape;
}

/* From this many floats (1 MiB) on, a request the pool has no buffer of its
 * class for may take a larger idle one or replace a smaller one: a training
 * step on the loss rows and an evaluation pass on all rows (the MLP's) then
 * share one set of buffers, where each kept its own (1.3 GB beside 0.7 at
 * 10^6 nodes, width 64). Smaller buffers are not worth the search. */
#define POOL_SHARE_MIN ((gsize)1 << 18)

/* The idle class nearest to @key above (up to twice it) or, with @below,
 * the largest under it; 0 when there is none. */
static gint64
pool_find_class (PhiliaTape *tape,
                 gint64      key,
                 gboolean    below)
{
  GHashTableIter iter;
  PoolClass *pc;
  gint64 *k, best = 0;

  g_hash_table_iter_init (&iter, tape->buffers);
  while (g_hash_table_iter_next (&iter, (gpointer *)&k, (gpointer *)&pc))
    {
      if (pc->list->len == 0)
        continue;
      if (!below && *k > key && *k <= 2 * key && (best == 0 || *k < best))
        best = *k;
      if (below && *k < key && *k > best)
        best = *k;
    }
  return best;
}

/* Whether class @key kept an idle buffer through all of this step so far. */
static gboolean
pool_spare (PhiliaTape *tape,
            gint64      key)
{
  PoolClass *pc = g_hash_table_lookup (tape->buffers, &key);

  return pc != NULL && MIN (pc->low, pc->list->len) > 0;
}

/* The last buffer of idle class @key, out of the pool. */
static float *
pool_pop (PhiliaTape *tape,
          gint64      key)
{
  PoolClass *pc = g_hash_table_lookup (tape->buffers, &key);
  float *buffer = g_ptr_array_steal_index_fast (pc->list, pc->list->len - 1);

  pc->low = MIN (pc->low, pc->list->len);
  tape->pool_idle -= sizeof (float) * (gsize)key;
  return buffer;
}

float *
_philia_tape_pool_take (PhiliaTape *tape,
                        gsize       n)
{
  gint64 key = (gint64)_philia_tape_pool_class (n), other;
  PoolClass *pc = g_hash_table_lookup (tape->buffers, &key);

  tape->step_taken += sizeof (float) * (gsize)key;
  if (pc != NULL && pc->list->len > 0)
    return pool_pop (tape, key);
  if ((gsize)key < POOL_SHARE_MIN)
    return g_new (float, key);
  if ((other = pool_find_class (tape, key, FALSE)) != 0)
    {
      float *buffer = pool_pop (tape, other);

      g_hash_table_insert (tape->lent, buffer, GSIZE_TO_POINTER ((gsize)other));
      return buffer;
    }
  /* A new buffer replaces the largest smaller idle one, so that what the
   * pool holds follows the largest step rather than adding up the shapes
   * of all of them: but only one of a class that had a buffer to spare all
   * through this step. A class that ran out this step (its requests took a
   * larger buffer on loan, SAGE's [n, 64] borrowing an [n, 128]) needs
   * every buffer it has; freeing one of them made it borrow again next
   * step, and each step turned one more small buffer into a large one
   * (page faults every epoch, and a peak that grew with the epochs). */
  if ((other = pool_find_class (tape, key, TRUE)) != 0 && (gsize)other >= POOL_SHARE_MIN
      && pool_spare (tape, other))
    {
      g_free (pool_pop (tape, other));
      tape->pool_freed += sizeof (float) * (gsize)other;
    }
  return g_new (float, key);
}

void
_philia_tape_pool_give (PhiliaTape *tape,
                        gsize       n,
                        float      *buffer)
{
  gint64 key = (gint64)_philia_tape_pool_class (n);
  PoolClass *pc;
  gpointer own;

  if (buffer == NULL)
    return;
  if (g_hash_table_size (tape->lent) > 0
      && g_hash_table_lookup_extended (tape->lent, buffer, NULL, &own))
    {
      key = (gint64)GPOINTER_TO_SIZE (own);
      g_hash_table_remove (tape->lent, buffer);
    }
  pc = g_hash_table_lookup (tape->buffers, &key);
  if (pc == NULL)
    {
      pc = g_new0 (PoolClass, 1);
      pc->list = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (tape->buffers, g_memdup2 (&key, sizeof key), pc);
    }
  g_ptr_array_add (pc->list, buffer);
  tape->pool_idle += sizeof (float) * (gsize)key;
}

gsize
_philia_tape_pool_bytes (PhiliaTape *tape)
{
  return tape->pool_idle;
}

gsize
_philia_tape_pool_freed (PhiliaTape *tape)
{
  return tape->pool_freed;
}

void
_philia_tape_pool_forget_steps (PhiliaTape *tape)
{
  memset (tape->step_history, 0, sizeof tape->step_history);
  tape->step_count = 0;
  tape->step_taken = 0;
}

/* At the end of a step: when the pool holds more than the largest of the
 * last POOL_STEP_WINDOW steps took, frees the buffers that sat idle through
 * this step and the one before, so shapes that stopped occurring do not
 * hold memory for the rest of the run. The window matters: a training step
 * followed by several small evaluation steps (link prediction scores its
 * validation pairs in chunks) must find its buffers again next epoch, or
 * every epoch pays the page faults of fresh multi-megabyte allocations
 * (4-5x the epoch time on Cora's link predictors). */
static void
pool_trim (PhiliaTape *tape)
{
  GHashTableIter iter;
  PoolClass *pc;
  gint64 *key;
  gsize largest = 0;
  gboolean trim;

  tape->step_history[tape->step_count++ % POOL_STEP_WINDOW] = tape->step_taken;
  for (guint i = 0; i < MIN (tape->step_count, POOL_STEP_WINDOW); i++)
    largest = MAX (largest, tape->step_history[i]);
  trim = tape->pool_idle > largest;

  g_hash_table_iter_init (&iter, tape->buffers);
  while (g_hash_table_iter_next (&iter, (gpointer *)&key, (gpointer *)&pc))
    {
      guint idle = MIN (pc->low, pc->list->len);
      guint drop = trim ? MIN (idle, pc->idle_before) : 0;

      if (drop > 0)
        {
          g_ptr_array_remove_range (pc->list, 0, drop);
          tape->pool_idle -= sizeof (float) * (gsize)*key * drop;
          tape->pool_freed += sizeof (float) * (gsize)*key * drop;
        }
      pc->idle_before = idle - drop;
    }
  tape->step_taken = 0;
}

void
philia_tape_free (PhiliaTape *tape)
{
  if (tape == NULL)
    return;
  _philia_tape_kept_clear (tape);
  g_ptr_array_unref (tape->tensors);
  g_array_unref (tape->nodes);
  g_hash_table_unref (tape->buffers);
  g_hash_table_unref (tape->lent);
  if (tape->sites != NULL)
    g_hash_table_unref (tape->sites);
  g_free (tape);
}

guint
philia_tape_get_n_threads (PhiliaTape *tape)
{
  return tape->n_threads;
}

void
philia_tape_reset (PhiliaTape *tape)
{
  GHashTableIter iter;
  PoolClass *pc;

  g_array_set_size (tape->nodes, 0);
  memset (&tape->deferred, 0, sizeof tape->deferred);
  _philia_tape_kept_clear (tape);
  pool_trim (tape);
  for (guint i = 0; i < tape->tensors->len; i++)
    {
      PhiliaTensor *t = g_ptr_array_index (tape->tensors, i);
      gsize n = MAX (philia_tensor_size (t), 1);

      _philia_tape_pool_give (tape, n, g_steal_pointer (&t->data));
      _philia_tape_pool_give (tape, n, g_steal_pointer (&t->grad));
    }
  g_ptr_array_set_size (tape->tensors, 0);
  g_hash_table_iter_init (&iter, tape->buffers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&pc))
    pc->low = pc->list->len;
}

void
philia_tape_set_training (PhiliaTape *tape,
                          gboolean    training)
{
  tape->training = !!training;
}

gboolean
philia_tape_get_training (PhiliaTape *tape)
{
  return tape->training;
}

PhiliaRng *
philia_tape_get_rng (PhiliaTape *tape)
{
  return &tape->rng;
}

PhiliaTensor *
philia_tape_constant (PhiliaTape  *tape,
                      guint        rows,
                      guint        cols,
                      const float *data)
{
  PhiliaTensor *t = tape_tensor (tape, rows, cols);

  if (data != NULL)
    memcpy (t->data, data, sizeof (float) * rows * cols);
  return t;
}

/* Whether @node's output is also one of its inputs (an op working in place):
 * its gradient then goes on to the node that made the input. */
static gboolean
node_reads_own_grad (const Node *node)
{
  return node->out == node->in[0] || node->out == node->in[1] || node->out == node->in[2];
}

void
philia_tape_backward_from (PhiliaTape   *tape,
                           PhiliaTensor *output,
                           const float  *output_grad)
{
  float *g;

  g_return_if_fail (tape != NULL && output != NULL && output_grad != NULL);

  if (!output->requires_grad)
    return;
  g = ensure_grad (output);
  for (gsize i = 0; i < philia_tensor_size (output); i++)
    g[i] += output_grad[i];
  tape->walk_output = output;
  for (guint k = tape->nodes->len; k-- > 0;)
    {
      Node *node = &g_array_index (tape->nodes, Node, k);

      /* A node whose output got no gradient contributes nothing. */
      if (node->out->grad == NULL)
        continue;
      node->backward (tape, node);
      /* Nothing reads an intermediate's gradient once its own node has run
       * (the nodes that read the tensor are later on the tape and ran
       * before): back to the pool, so that the nodes still to run reuse it. Only the gradients on
       * the path being walked are then alive, not every one of the step (a
       * GCN at 10^6 nodes held three [n, 64] ones). The output the walk
       * starts from keeps its gradient, as leaves do. */
      if (node->out != output && node->out->tape_owned && !node_reads_own_grad (node))
        {
          _philia_tape_pool_give (tape, MAX (tensor_size (node->out), 1), node->out->grad);
          node->out->grad = NULL;
        }
    }
  tape->walk_output = NULL;
}

void
philia_tape_backward (PhiliaTape   *tape,
                      PhiliaTensor *loss)
{
  const float one = 1.0f;

  g_return_if_fail (loss != NULL && loss->rows == 1 && loss->cols == 1);
  philia_tape_backward_from (tape, loss, &one);
}
