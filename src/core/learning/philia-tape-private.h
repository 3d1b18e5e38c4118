/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the files of the autograd share behind its public API: the tape and
 * its backward nodes, the buffer pool, the row-parallel driver and the
 * helpers every op uses to make outputs and record nodes. */

#include "philia-autograd.h"

#include <string.h>

G_BEGIN_DECLS

typedef struct _Node Node;
struct _Node
{
  void         (*backward) (PhiliaTape *tape, Node *node);
  PhiliaTensor  *out;
  PhiliaTensor  *in[3];
  PhiliaSparse  *sparse;
  gpointer       saved;    /* g_free'd with the node */
  const guint8  *mask;     /* dropout's, in a tape-owned buffer */
  const gint32  *index;    /* borrowed: must outlive the step */
  guint          n_index;
  float          f;
};

struct _PhiliaTape
{
  guint        n_threads;
  gboolean     training;
  PhiliaRng    rng;
  GPtrArray   *tensors;    /* tape-owned */
  GArray      *nodes;
  /* Buffers of the tensors of earlier steps, by size class: each step
   * builds the same shapes, and reusing them spares the page faults of
   * fresh multi-megabyte allocations (a quarter of GAT's time on 500k edges).
   * Sizes are rounded up to a class (at most 1/8 more) so that shapes that
   * vary a little between steps (masked tokens, mini-batches) share buffers
   * instead of piling up one set per step. */
  GHashTable  *buffers;    /* gsize* class → PoolClass */
  /* Buffers handed out for a smaller class than their own (pointer → its
   * class as a gsize in a pointer), filed under their own when given back. */
  GHashTable  *lent;
  gsize        pool_idle;  /* bytes in the pool now */
  gsize        step_taken; /* bytes taken since the last reset */
  /* What the last POOL_STEP_WINDOW steps took: the pool is trimmed only
   * when it holds more than the largest of them (philia-tensor.c). */
#define POOL_STEP_WINDOW 32
  gsize        step_history[POOL_STEP_WINDOW];
  guint        step_count;
  gsize        pool_freed; /* bytes the pool has freed, all told */
  /* The tensor a backward walk started from (its gradient is the caller's). */
  PhiliaTensor *walk_output;
  /* Op sites (op and shape) the cost model would split, each timed split
   * and on one thread on its first uses, the faster kept (Site,
   * philia-parallel-cost.c); created on first use. */
  GHashTable  *sites;
  /* The kept entries of sparse products over dropped values made this
   * step, by matrix and values tensor (philia-spmm.c): SAGE's two
   * products over one dropped X share one, as do their backward products.
   * Given back to the pool at reset. */
#define TAPE_KEPT_MAX 4
  struct
  {
    const PhiliaSparse  *s;
    const PhiliaTensor  *values;
    const float         *data;
    PhiliaSparse        *kept;
  }            kept[TAPE_KEPT_MAX];
  guint        n_kept;
  /* The training loop's request that the step's output layer wait for
   * the loss (_philia_op_linear_output ()), and the layer that did: its
   * output @y, not computed, and its operands (philia-ops-narrow.c). */
  gboolean     defer_output;
  struct
  {
    PhiliaTensor *x, *w, *b, *y;
  }            deferred;
  gboolean     time_ops;     /* whether undecided sites are timed (else split) */
  int          force_split;  /* tests: −1, or 0 never / 1 always split */
};

/* Gives the step's kept-entry matrices back to the pool (philia-spmm.c;
 * at reset and when the tape is freed). */
void _philia_tape_kept_clear (PhiliaTape *tape);

/* The element count a pool buffer for @n floats really has: @n rounded up
 * so that at most 8 classes cover each power of two. */
static inline gsize
_philia_tape_pool_class (gsize n)
{
  gsize step;

  if (n <= 64)
    return MAX (n, 1);
  step = (gsize)1 << (g_bit_storage (n) - 4);
  return (n + step - 1) & ~(step - 1);
}

/* o[j] += Σ_r x[r][j], rows in order: each column summed as a scalar loop
 * would, vectorised across columns only. Every bias gradient (linear, the
 * fused hidden op, GAT's bias-ELU op) sums through it, so fused and separate
 * ops agree to the bit (philia-ops-dense.c). */
void _philia_acc_columns (float *restrict       o,
                          const float *restrict x,
                          guint                 rows,
                          guint                 cols);

/* out[i] = x[i] · the mask's factor (0 or 1 / (1 − p) as @keep): dropout's
 * forward arithmetic, shared by every op that applies a dense mask so they
 * agree to the bit (philia-ops-dense.c; SAGE's stacked input). */
void _philia_dropout_apply (float *restrict        out,
                            const float *restrict  x,
                            const guint8 *restrict mask,
                            gsize                  n,
                            float                  keep);

/* The element count of @t (philia_tensor_size() inlined: the ops call it in
 * loop conditions). */
static inline gsize
tensor_size (const PhiliaTensor *t)
{
  return (gsize)t->rows * t->cols;
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
rng_step (PhiliaRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* A buffer of at least @n floats from the tape's pool (uninitialised), and
 * back; a buffer given back must have come from _philia_tape_pool_take () or
 * hold _philia_tape_pool_class (@n) floats. */
float *_philia_tape_pool_take (PhiliaTape *tape,
                               gsize       n);
void   _philia_tape_pool_give (PhiliaTape *tape,
                               gsize       n,
                               float      *buffer);
/* Bytes the pool holds between steps (for tests and benchmarks). */
gsize  _philia_tape_pool_bytes (PhiliaTape *tape);
/* Bytes the pool has freed since the tape was made (trimmed, or replaced
 * by a larger buffer). */
gsize  _philia_tape_pool_freed (PhiliaTape *tape);
/* Forgets what earlier steps took, so that buffers only they used are
 * trimmed two steps on (the thread choice's trials on the arm a run did
 * not keep; philia-train.c). */
void   _philia_tape_pool_forget_steps (PhiliaTape *tape);

typedef void (*RangeFunc) (gpointer data, guint begin, guint end);

/* Runs @fn over [0, n) in contiguous blocks, one per thread of the tape
 * (on the calling thread alone for fewer than two rows a thread). With
 * @offsets the blocks hold about equal numbers of entries (power-law
 * degrees); each output row is written by one thread, so results do not
 * depend on the schedule. Ops do not call it: they go through
 * _philia_tape_parallel_rows_cost () or _ns () (philia-cost-private.h),
 * which decide whether the split pays. */
void _philia_tape_split_rows (PhiliaTape   *tape,
                              guint         n,
                              const gint64 *offsets,
                              RangeFunc     fn,
                              gpointer      data);
/* The same split into @per_thread blocks a thread (at most 4,
 * philia-parallel-cost.c): the caller runs blocks from the first row on,
 * the workers from the last (philia_parallel_run ()). */
void _philia_tape_split_rows_blocks (PhiliaTape   *tape,
                                     guint         n,
                                     const gint64 *offsets,
                                     guint         per_thread,
                                     RangeFunc     fn,
                                     gpointer      data);

/* mask[i] = 1 (kept) or 0 (dropped with probability p), the streams seeded
 * from the tape's generator. */
void _philia_dropout_mask_from_tape (PhiliaTape *tape,
                                     guint8     *mask,
                                     gsize       n,
                                     float       p);

/* A tape-owned tensor's gradient comes from the tape's buffer pool. */
static inline float *
ensure_grad_on (PhiliaTape   *tape,
                PhiliaTensor *t)
{
  if (t->grad == NULL)
    {
      gsize n = MAX (tensor_size (t), 1);

      if (t->tape_owned && tape != NULL)
        {
          t->grad = _philia_tape_pool_take (tape, n);
          memset (t->grad, 0, sizeof (float) * n);
        }
      else
        t->grad = g_new0 (float, t->tape_owned ? _philia_tape_pool_class (n) : n);
    }
  return t->grad;
}

#define ensure_grad(t) ensure_grad_on (tape, (t))

/* The gradient buffer of @t for a backward pass that may write it outright:
 * *@fresh is TRUE when nothing has been accumulated into it yet, and its
 * contents are then undefined (no zeroing pass over a buffer about to be
 * overwritten). */
static inline float *
grad_for_write (PhiliaTape   *tape,
                PhiliaTensor *t,
                gboolean     *fresh)
{
  *fresh = t->grad == NULL;
  if (t->grad == NULL)
    {
      gsize n = MAX (tensor_size (t), 1);

      if (t->tape_owned && tape != NULL)
        t->grad = _philia_tape_pool_take (tape, n);
      else
        t->grad = g_new (float, t->tape_owned ? _philia_tape_pool_class (n) : n);
    }
  return t->grad;
}

/* For a node whose backward pass makes its input's gradient elementwise from
 * its output's: hands the output's gradient buffer over to @in when nothing
 * has reached @in's yet and both are tape tensors of one size (the walk
 * would give the output's back to the pool next). Returns the buffer, which
 * holds the output's gradient, to be rewritten in place; NULL when it cannot. */
static inline float *
grad_steal_from_output (PhiliaTape   *tape,
                        Node         *node,
                        PhiliaTensor *in)
{
  PhiliaTensor *out = node->out;

  if (tape == NULL || in->grad != NULL || !in->tape_owned || !out->tape_owned
      || out == tape->walk_output || in == out || in->rows != out->rows
      || in->cols != out->cols || out->grad == NULL)
    return NULL;
  in->grad = out->grad;
  out->grad = NULL;
  return in->grad;
}

/* Like tape_tensor() without zeroing, for outputs every element of which is written. */
static inline PhiliaTensor *
tape_tensor_uninit (PhiliaTape *tape,
                    guint       rows,
                    guint       cols)
{
  PhiliaTensor *t = g_new0 (PhiliaTensor, 1);

  t->rows = rows;
  t->cols = cols;
  t->data = _philia_tape_pool_take (tape, MAX ((gsize)rows * cols, 1));
  t->tape_owned = TRUE;
  g_ptr_array_add (tape->tensors, t);
  return t;
}

static inline PhiliaTensor *
tape_tensor (PhiliaTape *tape,
             guint       rows,
             guint       cols)
{
  PhiliaTensor *t = tape_tensor_uninit (tape, rows, cols);

  memset (t->data, 0, sizeof (float) * MAX ((gsize)rows * cols, 1));
  return t;
}

/* Records a node when some input needs a gradient; returns it (or NULL). */
static inline Node *
record (PhiliaTape   *tape,
        void        (*backward) (PhiliaTape *, Node *),
        PhiliaTensor *out,
        PhiliaTensor *a,
        PhiliaTensor *b,
        PhiliaTensor *c)
{
  Node node = { 0 };

  if (!((a && a->requires_grad) || (b && b->requires_grad) || (c && c->requires_grad)))
    return NULL;
  out->requires_grad = TRUE;
  node.backward = backward;
  node.out = out;
  node.in[0] = a;
  node.in[1] = b;
  node.in[2] = c;
  g_array_append_val (tape->nodes, node);
  return &g_array_index (tape->nodes, Node, tape->nodes->len - 1);
}

G_END_DECLS
