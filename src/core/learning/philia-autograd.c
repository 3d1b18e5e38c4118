/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-parallel-private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* Below this many multiply-adds a row-parallel op runs on the calling thread:
 * waking a worker costs more than the work. */
#define PARALLEL_MIN_WORK 65536

/* The sparse kernels are row-of-X axpys: GCC's -O2 cost model leaves them
 * scalar, so they get -O3 and an AVX2/FMA clone picked at load time. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
# define PHILIA_VECTORIZE __attribute__ ((target_clones ("arch=x86-64-v3", "default"), optimize ("O3")))
/* The same without fusing a multiply and an add into one rounding, for a
 * kernel that must round as the unfused ops it replaces do. */
# define PHILIA_VECTORIZE_NO_FMA __attribute__ ((target_clones ("arch=x86-64-v3", "default"), optimize ("O3", "fp-contract=off")))
#else
# define PHILIA_VECTORIZE
# define PHILIA_VECTORIZE_NO_FMA
#endif
#if defined(__GNUC__) && !defined(__clang__)
# define PHILIA_NO_MEMCPY __attribute__ ((optimize ("no-tree-loop-distribute-patterns")))
#else
# define PHILIA_NO_MEMCPY
#endif

/* e^x for softmax's x ≤ 0 (any x below 88): x = n ln 2 + r with |r| ≤ ln 2 / 2,
 * e^r by its Taylor polynomial to r^7 (relative error below 1e-8, so within
 * 2 ulp of expf), 2^n through the exponent bits; below -87.3 it is 0. Branch
 * free and call free, so the loops that use it vectorise. */
static inline float
exp_approx (float x)
{
  float y = MAX (MIN (x, 88.0f), -87.5f);   /* keeps 2^n a normal float */
  float n, r, p, scale;
  gint32 bits;

  n = (y * 1.44269504088896341f + 12582912.0f) - 12582912.0f;   /* round to nearest */
  r = y - n * 0.693145751953125f;        /* ln 2 in two parts, the first exact times n */
  r = r - n * 1.4286068202862268e-06f;
  p = 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  bits = ((gint32)n + 127) << 23;
  memcpy (&scale, &bits, sizeof scale);
  return x < -87.3f ? 0.0f : p * scale;
}

/* The V8f helpers are static and inlined: no call crosses an ABI boundary. */
#pragma GCC diagnostic ignored "-Wpsabi"

/* Eight floats (one AVX register in the x86-64-v3 clones, two SSE ones
 * otherwise), for GAT's eight heads: GCC leaves the per-head loops scalar. */
typedef float  V8f __attribute__ ((vector_size (32)));
typedef gint32 V8i __attribute__ ((vector_size (32)));

static inline G_ALWAYS_INLINE V8f
v8_load (const float *p)
{
  V8f v;

  memcpy (&v, p, sizeof v);
  return v;
}

/* From a 32-byte aligned address. */
static inline G_ALWAYS_INLINE V8f
v8_load_aligned (const float *p)
{
  return *(const V8f *)__builtin_assume_aligned (p, 32);
}

static inline void
v8_store (float *p,
          V8f    v)
{
  memcpy (p, &v, sizeof v);
}

/* m ? a : b, lane by lane (m all ones or all zeros, as comparisons give). */
static inline V8f
v8_select (V8i m,
           V8f a,
           V8f b)
{
  return (V8f)(((V8i)a & m) | ((V8i)b & ~m));
}

/* exp_approx on eight lanes, with the same operations in the same order. */
static inline V8f
v8_exp_approx (V8f x)
{
  V8f y = v8_select (x < 88.0f, x, (V8f){ 0 } + 88.0f);
  V8f n, r, p;
  V8i bits;

  y = v8_select (y > -87.5f, y, (V8f){ 0 } - 87.5f);
  n = (y * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  r = y - n * 0.693145751953125f;
  r = r - n * 1.4286068202862268e-06f;
  p = (V8f){ 0 } + 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  bits = (__builtin_convertvector (n, V8i) + 127) << 23;
  return v8_select (x < -87.3f, (V8f){ 0 }, p * (V8f)bits);
}

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

static float *pool_take (PhiliaTape *tape, gsize n);

/* A tape-owned tensor's gradient comes from the tape's buffer pool. */
static float *
ensure_grad_on (PhiliaTape   *tape,
                PhiliaTensor *t)
{
  if (t->grad == NULL)
    {
      gsize n = MAX (philia_tensor_size (t), 1);

      if (t->tape_owned && tape != NULL)
        {
          t->grad = pool_take (tape, n);
          memset (t->grad, 0, sizeof (float) * n);
        }
      else
        t->grad = g_new0 (float, n);
    }
  return t->grad;
}

#define ensure_grad(t) ensure_grad_on (tape, (t))

/* The gradient buffer of @t for a backward pass that may write it outright:
 * *@fresh is TRUE when nothing has been accumulated into it yet, and its
 * contents are then undefined (no zeroing pass over a buffer about to be
 * overwritten). */
static float *
grad_for_write (PhiliaTape   *tape,
                PhiliaTensor *t,
                gboolean     *fresh)
{
  *fresh = t->grad == NULL;
  if (t->grad == NULL)
    {
      gsize n = MAX (philia_tensor_size (t), 1);

      t->grad = t->tape_owned && tape != NULL ? pool_take (tape, n) : g_new (float, n);
    }
  return t->grad;
}

/* --------------------------------------------------------------- sparse */

static void slices_free (gpointer slices);

PhiliaSparse *
philia_sparse_new (guint   rows,
                   guint   cols,
                   gint64 *row_offsets,
                   gint32 *col_index,
                   float  *values)
{
  PhiliaSparse *s = g_new0 (PhiliaSparse, 1);
  PhiliaSparse *t = g_new0 (PhiliaSparse, 1);
  gint64 nnz = row_offsets[rows];
  gint64 *cursor;

  s->ref_count = 1;
  s->rows = rows;
  s->cols = cols;
  s->nnz = nnz;
  s->row_offsets = row_offsets;
  s->col_index = col_index;
  s->values = values;
  s->row_index = g_new (gint32, MAX (nnz, 1));
  for (guint i = 0; i < rows; i++)
    for (gint64 e = row_offsets[i]; e < row_offsets[i + 1]; e++)
      s->row_index[e] = i;

  /* The transpose by a counting sort on the column: its rows come out sorted. */
  t->rows = cols;
  t->cols = rows;
  t->nnz = nnz;
  t->row_offsets = g_new0 (gint64, cols + 1);
  t->col_index = g_new (gint32, MAX (nnz, 1));
  t->values = values ? g_new (float, MAX (nnz, 1)) : NULL;
  t->row_index = g_new (gint32, MAX (nnz, 1));
  s->transpose_perm = g_new (gint64, MAX (nnz, 1));
  for (gint64 e = 0; e < nnz; e++)
    t->row_offsets[col_index[e] + 1]++;
  for (guint j = 0; j < cols; j++)
    t->row_offsets[j + 1] += t->row_offsets[j];
  cursor = g_memdup2 (t->row_offsets, sizeof (gint64) * (cols + 1));
  for (guint i = 0; i < rows; i++)
    for (gint64 e = row_offsets[i]; e < row_offsets[i + 1]; e++)
      {
        gint64 k = cursor[col_index[e]]++;

        t->col_index[k] = i;
        t->row_index[k] = col_index[e];
        s->transpose_perm[k] = e;
        if (values)
          t->values[k] = values[e];
      }
  g_free (cursor);
  t->ref_count = 1;
  s->transpose = t;

  /* Every row's values equal (row-normalised binary features, a mean
   * aggregator): a row scale, exactly. */
  if (values != NULL)
    {
      gboolean constant = TRUE;

      for (guint i = 0; i < rows && constant; i++)
        for (gint64 e = row_offsets[i] + 1; e < row_offsets[i + 1] && constant; e++)
          constant = values[e] == values[row_offsets[i]];
      if (constant)
        {
          g_autofree float *scale = g_new (float, MAX (rows, 1));

          for (guint i = 0; i < rows; i++)
            scale[i] = row_offsets[i] < row_offsets[i + 1] ? values[row_offsets[i]] : 0;
          philia_sparse_set_scales (s, scale, NULL);
        }
    }
  return s;
}

void
philia_sparse_set_scales (PhiliaSparse *s,
                          const float  *row_scale,
                          const float  *col_scale)
{
  PhiliaSparse *t = s->transpose;

  g_clear_pointer (&s->row_scale, g_free);
  g_clear_pointer (&s->col_scale, g_free);
  g_clear_pointer (&t->row_scale, g_free);
  g_clear_pointer (&t->col_scale, g_free);
  if (row_scale != NULL)
    {
      s->row_scale = g_memdup2 (row_scale, sizeof (float) * MAX (s->rows, 1));
      t->col_scale = g_memdup2 (row_scale, sizeof (float) * MAX (s->rows, 1));
    }
  if (col_scale != NULL)
    {
      s->col_scale = g_memdup2 (col_scale, sizeof (float) * MAX (s->cols, 1));
      t->row_scale = g_memdup2 (col_scale, sizeof (float) * MAX (s->cols, 1));
    }
}

PhiliaSparse *
philia_sparse_new_rows (const PhiliaSparse *s,
                        const guint        *rows,
                        guint               n_rows)
{
  gint64 *off = g_new (gint64, n_rows + 1);
  gint32 *col;
  float *val = NULL;
  PhiliaSparse *out;
  gint64 nnz = 0;

  for (guint r = 0; r < n_rows; r++)
    {
      off[r] = nnz;
      nnz += s->row_offsets[rows[r] + 1] - s->row_offsets[rows[r]];
    }
  off[n_rows] = nnz;
  col = g_new (gint32, MAX (nnz, 1));
  if (s->values != NULL)
    val = g_new (float, MAX (nnz, 1));
  for (guint r = 0; r < n_rows; r++)
    {
      gint64 from = s->row_offsets[rows[r]], count = off[r + 1] - off[r];

      memcpy (col + off[r], s->col_index + from, sizeof (gint32) * count);
      if (val != NULL)
        memcpy (val + off[r], s->values + from, sizeof (float) * count);
    }
  out = philia_sparse_new (n_rows, s->cols, off, col, val);
  if (s->row_scale != NULL || s->col_scale != NULL)
    {
      g_autofree float *row_scale = NULL;

      if (s->row_scale != NULL)
        {
          row_scale = g_new (float, MAX (n_rows, 1));
          for (guint r = 0; r < n_rows; r++)
            row_scale[r] = s->row_scale[rows[r]];
        }
      philia_sparse_set_scales (out, row_scale, s->col_scale);
    }
  return out;
}

PhiliaSparse *
philia_sparse_new_from_dense (const float *data,
                              guint        rows,
                              guint        cols)
{
  gint64 *offsets = g_new (gint64, rows + 1);
  gint64 nnz = 0;
  gint32 *index;
  float *values;

  for (gsize i = 0; i < (gsize)rows * cols; i++)
    nnz += data[i] != 0.0f;
  index = g_new (gint32, MAX (nnz, 1));
  values = g_new (float, MAX (nnz, 1));
  nnz = 0;
  for (guint i = 0; i < rows; i++)
    {
      const float *row = data + (gsize)i * cols;

      offsets[i] = nnz;
      for (guint j = 0; j < cols; j++)
        if (row[j] != 0.0f)
          {
            index[nnz] = j;
            values[nnz++] = row[j];
          }
    }
  offsets[rows] = nnz;
  return philia_sparse_new (rows, cols, offsets, index, values);
}

PhiliaSparse *
philia_sparse_ref (PhiliaSparse *sparse)
{
  g_atomic_int_inc (&sparse->ref_count);
  return sparse;
}

static void
sparse_free (PhiliaSparse *s)
{
  g_free (s->row_offsets);
  g_free (s->col_index);
  g_free (s->values);
  g_free (s->row_index);
  g_free (s->transpose_perm);
  g_free (s->row_scale);
  g_free (s->col_scale);
  slices_free (s->slices);
  g_free (s);
}

void
philia_sparse_unref (PhiliaSparse *sparse)
{
  if (sparse == NULL || !g_atomic_int_dec_and_test (&sparse->ref_count))
    return;
  sparse_free (sparse->transpose);
  sparse_free (sparse);
}

/* ----------------------------------------------------------------- tape */

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
  /* Buffers of the tensors of earlier steps, by element count: each step
   * builds the same shapes, and reusing them spares the page faults of
   * fresh multi-megabyte allocations (a quarter of GAT's time on 500k edges). */
  GHashTable  *buffers;    /* gsize* → GPtrArray of float* */
};

typedef void (*RangeFunc) (gpointer data, guint begin, guint end);

typedef struct
{
  RangeFunc fn;
  gpointer  data;
  guint     bounds[65];
} Blocks;

static void
run_block (gpointer data,
           guint    task)
{
  Blocks *blocks = data;

  blocks->fn (blocks->data, blocks->bounds[task], blocks->bounds[task + 1]);
}

/* Runs @fn over [0, n) in contiguous blocks, one per thread. With @offsets the
 * blocks hold about equal numbers of entries (power-law degrees); each output
 * row is written by one thread, so results do not depend on the schedule. */
static void
parallel_rows (PhiliaTape   *tape,
               guint         n,
               const gint64 *offsets,
               double        work,
               RangeFunc     fn,
               gpointer      data)
{
  guint t = tape->n_threads;
  Blocks blocks;

  if (t <= 1 || work < PARALLEL_MIN_WORK || n < 2 * t)
    {
      fn (data, 0, n);
      return;
    }
  t = MIN (t, 64);
  blocks.fn = fn;
  blocks.data = data;
  blocks.bounds[0] = 0;
  blocks.bounds[t] = n;
  for (guint k = 1; k < t; k++)
    {
      if (offsets != NULL)
        {
          gint64 target = offsets[0] + (offsets[n] - offsets[0]) * k / t;
          guint lo = blocks.bounds[k - 1], hi = n;

          while (lo < hi)
            {
              guint mid = lo + (hi - lo) / 2;

              if (offsets[mid] < target)
                lo = mid + 1;
              else
                hi = mid;
            }
          blocks.bounds[k] = lo;
        }
      else
        blocks.bounds[k] = (guint)((guint64)n * k / t);
    }
  philia_parallel_run (t, t, run_block, &blocks);
}

static void
node_clear (gpointer data)
{
  Node *node = data;

  g_free (node->saved);
  g_clear_pointer (&node->sparse, philia_sparse_unref);
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
  tape->buffers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         (GDestroyNotify)g_ptr_array_unref);
  return tape;
}

static float *
pool_take (PhiliaTape *tape,
           gsize       n)
{
  gint64 key = (gint64)n;
  GPtrArray *list = g_hash_table_lookup (tape->buffers, &key);

  if (list != NULL && list->len > 0)
    return g_ptr_array_steal_index_fast (list, list->len - 1);
  return g_new (float, n);
}

static void
pool_give (PhiliaTape *tape,
           gsize       n,
           float      *buffer)
{
  gint64 key = (gint64)n;
  GPtrArray *list;

  if (buffer == NULL)
    return;
  list = g_hash_table_lookup (tape->buffers, &key);
  if (list == NULL)
    {
      list = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (tape->buffers, g_memdup2 (&key, sizeof key), list);
    }
  g_ptr_array_add (list, buffer);
}

void
philia_tape_free (PhiliaTape *tape)
{
  if (tape == NULL)
    return;
  g_ptr_array_unref (tape->tensors);
  g_array_unref (tape->nodes);
  g_hash_table_unref (tape->buffers);
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
  g_array_set_size (tape->nodes, 0);
  for (guint i = 0; i < tape->tensors->len; i++)
    {
      PhiliaTensor *t = g_ptr_array_index (tape->tensors, i);
      gsize n = MAX (philia_tensor_size (t), 1);

      pool_give (tape, n, g_steal_pointer (&t->data));
      pool_give (tape, n, g_steal_pointer (&t->grad));
    }
  g_ptr_array_set_size (tape->tensors, 0);
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

static PhiliaTensor *tape_tensor_uninit (PhiliaTape *tape, guint rows, guint cols);

static PhiliaTensor *
tape_tensor (PhiliaTape *tape,
             guint       rows,
             guint       cols)
{
  PhiliaTensor *t = tape_tensor_uninit (tape, rows, cols);

  memset (t->data, 0, sizeof (float) * MAX ((gsize)rows * cols, 1));
  return t;
}

/* Like tape_tensor() without zeroing, for outputs every element of which is written. */
static PhiliaTensor *
tape_tensor_uninit (PhiliaTape *tape,
                    guint       rows,
                    guint       cols)
{
  PhiliaTensor *t = g_new0 (PhiliaTensor, 1);

  t->rows = rows;
  t->cols = cols;
  t->data = pool_take (tape, MAX ((gsize)rows * cols, 1));
  t->tape_owned = TRUE;
  g_ptr_array_add (tape->tensors, t);
  return t;
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

/* Records a node when some input needs a gradient; returns it (or NULL). */
static Node *
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
  for (guint k = tape->nodes->len; k-- > 0;)
    {
      Node *node = &g_array_index (tape->nodes, Node, k);

      /* A node whose output got no gradient contributes nothing. */
      if (node->out->grad != NULL)
        node->backward (tape, node);
    }
}

void
philia_tape_backward (PhiliaTape   *tape,
                      PhiliaTensor *loss)
{
  const float one = 1.0f;

  g_return_if_fail (loss != NULL && loss->rows == 1 && loss->cols == 1);
  philia_tape_backward_from (tape, loss, &one);
}

/* --------------------------------------------------------------- matmul */

/* dA += dC Bᵀ and dB += Aᵀ dC for those that need a gradient; a gradient
 * nothing has reached yet is written (beta 0), not added to. */
static void
product_grads (PhiliaTape   *tape,
               PhiliaTensor *a,
               PhiliaTensor *b,
               const float  *dc)
{
  int m = a->rows, k = a->cols, n = b->cols;
  gboolean fresh;
  float *g;

  if (m == 0 || n == 0 || k == 0)
    return;
  if (a->requires_grad)
    {
      g = grad_for_write (tape, a, &fresh);
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, m, k, n, 1.0f, dc, n,
                   b->data, n, fresh ? 0.0f : 1.0f, g, k);
    }
  if (b->requires_grad)
    {
      g = grad_for_write (tape, b, &fresh);
      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, k, n, m, 1.0f, a->data, k,
                   dc, n, fresh ? 0.0f : 1.0f, g, n);
    }
}

static void
matmul_backward (PhiliaTape *tape,
                 Node       *node)
{
  product_grads (tape, node->in[0], node->in[1], node->out->grad);
}

PhiliaTensor *
philia_op_matmul (PhiliaTape   *tape,
                  PhiliaTensor *a,
                  PhiliaTensor *b)
{
  PhiliaTensor *c;

  g_return_val_if_fail (a != NULL && b != NULL && a->cols == b->rows, NULL);

  if (a->rows > 0 && b->cols > 0 && a->cols > 0)
    {
      c = tape_tensor_uninit (tape, a->rows, b->cols);
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, a->rows, b->cols, a->cols, 1.0f,
                   a->data, a->cols, b->data, b->cols, 0.0f, c->data, c->cols);
    }
  else
    c = tape_tensor (tape, a->rows, b->cols);
  record (tape, matmul_backward, c, a, b, NULL);
  return c;
}

/* ----------------------------------------------------------------- spmm */

typedef struct
{
  const PhiliaSparse *s;
  const float        *values;  /* nnz × heads, or NULL for ones */
  guint               heads;
  const float        *x;
  float              *out;
  guint               cols;
  gboolean            accumulate;
  const float        *row_scale;  /* the padded path: each output row's factor, or NULL */
  const struct _SparseSlices *slices;
  const gint64       *value_index;  /* 8×8 and padded kernels: entry e's values at
                                     * value_index[e] (NULL: at e) */
} SpmmTask;

/* Where entry @e's values are: a transposed product may read the values of
 * the matrix it transposes through the permutation between their entries. */
#define ENTRY(vidx, e) ((vidx) != NULL ? (vidx)[e] : (e))

/*
 * Sliced ELLPACK (SELL-4-64) for unweighted narrow products: rows in
 * chunks of four, each chunk's entries stored column by column (entry k of
 * its four rows side by side, a short row padded with a zero row of X), the
 * rows sorted by length within windows of 64 so that a chunk's rows have
 * similar lengths and stay near their place. A chunk's loop sums four
 * independent rows and ends once per four rows: CSR's per-row loop ends
 * with a mispredicted branch after which the next row's loads start late,
 * which on rows of a few dozen entries (bag-of-words features, a training
 * subset's transpose) costs as much as the entries (Squirrel's features:
 * 80 -> 41 µs a product of 5 columns).
 */
typedef struct _SparseSlices SparseSlices;
struct _SparseSlices
{
  gboolean usable;          /* FALSE when padding would add more than a third */
  guint    n_chunks;
  gint64  *chunk_offsets;   /* n_chunks + 1 offsets into col: 4 L slots for length L */
  guint   *slot_row;        /* 4 per chunk: the rows, or the row count for none */
  gint32  *col;             /* the entries' columns; the column count pads */
};

#define SLICE_ROWS 4
#define SLICE_WINDOW 64

static void
slices_free (gpointer slices)
{
  SparseSlices *sl = slices;

  if (sl == NULL)
    return;
  g_free (sl->chunk_offsets);
  g_free (sl->slot_row);
  g_free (sl->col);
  g_free (sl);
}

/* Longer rows first, then by index (@data: the row offsets). */
static gint
cmp_longer_first (gconstpointer a,
                  gconstpointer b,
                  gpointer      data)
{
  const gint64 *off = data;
  guint i = *(const guint *)a, j = *(const guint *)b;
  gint64 li = off[i + 1] - off[i], lj = off[j + 1] - off[j];

  if (li != lj)
    return li > lj ? -1 : 1;
  return (i > j) - (i < j);
}

static SparseSlices *
slices_build (const PhiliaSparse *s)
{
  SparseSlices *sl = g_new0 (SparseSlices, 1);
  guint n = s->rows;
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  gint64 slots = 0;

  for (guint i = 0; i < n; i++)
    order[i] = i;
  for (guint w = 0; w < n; w += SLICE_WINDOW)
    g_qsort_with_data (order + w, MIN (SLICE_WINDOW, n - w), sizeof (guint), cmp_longer_first,
                       s->row_offsets);

  sl->n_chunks = (n + SLICE_ROWS - 1) / SLICE_ROWS;
  sl->chunk_offsets = g_new (gint64, sl->n_chunks + 1);
  sl->slot_row = g_new (guint, (gsize)sl->n_chunks * SLICE_ROWS + 1);
  for (guint c = 0; c < sl->n_chunks; c++)
    {
      gint64 longest = 0;

      for (guint r = 0; r < SLICE_ROWS; r++)
        {
          guint k = c * SLICE_ROWS + r, row = k < n ? order[k] : n;

          sl->slot_row[k] = row;
          if (row < n)
            longest = MAX (longest, s->row_offsets[row + 1] - s->row_offsets[row]);
        }
      sl->chunk_offsets[c] = slots;
      slots += longest * SLICE_ROWS;
    }
  sl->chunk_offsets[sl->n_chunks] = slots;
  sl->usable = slots * 3 <= s->nnz * 4;
  if (!sl->usable)
    return sl;
  sl->col = g_new (gint32, MAX (slots, 1));
  for (guint c = 0; c < sl->n_chunks; c++)
    {
      gint64 base = sl->chunk_offsets[c];
      gint64 length = (sl->chunk_offsets[c + 1] - base) / SLICE_ROWS;

      for (guint r = 0; r < SLICE_ROWS; r++)
        {
          guint row = sl->slot_row[c * SLICE_ROWS + r];
          gint64 have = row < n ? s->row_offsets[row + 1] - s->row_offsets[row] : 0;

          for (gint64 k = 0; k < length; k++)
            sl->col[base + k * SLICE_ROWS + r] =
              k < have ? s->col_index[s->row_offsets[row] + k] : (gint32)s->cols;
        }
    }
  return sl;
}

/* @s's slices, built once (thread-safe: a finished PhiliaSparse is shared). */
static const SparseSlices *
sparse_slices (const PhiliaSparse *s)
{
  PhiliaSparse *mutable = (PhiliaSparse *)s;

  if (g_once_init_enter (&mutable->slices))
    g_once_init_leave (&mutable->slices, slices_build (s));
  return s->slices;
}

gboolean
philia_sparse_get_sliced (const PhiliaSparse *s)
{
  const SparseSlices *sl = g_atomic_pointer_get (&((PhiliaSparse *)s)->slices);

  return sl != NULL && sl->usable;
}

/*
 * One output row's columns [j0, j0 + W) of S X, with W a compile-time width so
 * the accumulator stays in registers across the row's entries (a GCN's 16
 * hidden columns or SGC's 5 classes need one or two AVX registers, instead
 * of a load and store of the output row per entry). @stride is X's row
 * length, @heads and @d say which head's value scales column j.
 */
#define SPMM_KERNEL(W)                                                              \
  PHILIA_VECTORIZE static void                                                     \
  spmm_block_##W (const gint64 *off, const gint32 *col, const float *values,       \
                  guint heads, guint h, const float *x, guint stride, guint j0,    \
                  guint i, float *restrict o, gboolean accumulate)                 \
  {                                                                                \
    float acc[W];                                                                  \
                                                                                   \
    for (guint j = 0; j < W; j++)                                                  \
      acc[j] = accumulate ? o[j] : 0.0f;                                           \
    for (gint64 e = off[i]; e < off[i + 1]; e++)                                   \
      {                                                                            \
        const float *restrict xr = x + (gsize)col[e] * stride + j0;                \
        float v = values ? values[e * heads + h] : 1.0f;                           \
                                                                                   \
        for (guint j = 0; j < W; j++)                                              \
          acc[j] += v * xr[j];                                                     \
      }                                                                            \
    for (guint j = 0; j < W; j++)                                                  \
      o[j] = acc[j];                                                               \
  }

/* Narrow blocks (a model's 2 to 7 classes) fill a fraction of a vector: one
 * accumulator would make every entry wait on the previous multiply-add's
 * latency, so two take alternate entries and are summed at the end (a fixed
 * order, so results do not depend on threads). */
#define SPMM_KERNEL_NARROW(W)                                                       \
  PHILIA_VECTORIZE static void                                                     \
  spmm_block_##W (const gint64 *off, const gint32 *col, const float *values,       \
                  guint heads, guint h, const float *x, guint stride, guint j0,    \
                  guint i, float *restrict o, gboolean accumulate)                 \
  {                                                                                \
    float a0[W], a1[W];                                                            \
    gint64 e = off[i], end = off[i + 1];                                           \
                                                                                   \
    for (guint j = 0; j < W; j++)                                                  \
      {                                                                            \
        a0[j] = accumulate ? o[j] : 0.0f;                                          \
        a1[j] = 0.0f;                                                              \
      }                                                                            \
    for (; e + 2 <= end; e += 2)                                                   \
      {                                                                            \
        const float *restrict x0 = x + (gsize)col[e] * stride + j0;                \
        const float *restrict x1 = x + (gsize)col[e + 1] * stride + j0;            \
        float v0 = values ? values[e * heads + h] : 1.0f;                          \
        float v1 = values ? values[(e + 1) * heads + h] : 1.0f;                    \
                                                                                   \
        for (guint j = 0; j < W; j++)                                              \
          {                                                                        \
            a0[j] += v0 * x0[j];                                                   \
            a1[j] += v1 * x1[j];                                                   \
          }                                                                        \
      }                                                                            \
    if (e < end)                                                                   \
      {                                                                            \
        const float *restrict x0 = x + (gsize)col[e] * stride + j0;                \
        float v0 = values ? values[e * heads + h] : 1.0f;                          \
                                                                                   \
        for (guint j = 0; j < W; j++)                                              \
          a0[j] += v0 * x0[j];                                                     \
      }                                                                            \
    for (guint j = 0; j < W; j++)                                                  \
      o[j] = a0[j] + a1[j];                                                        \
  }

SPMM_KERNEL_NARROW (1) SPMM_KERNEL_NARROW (2) SPMM_KERNEL_NARROW (3) SPMM_KERNEL_NARROW (4)
SPMM_KERNEL_NARROW (5) SPMM_KERNEL_NARROW (6) SPMM_KERNEL_NARROW (7)
SPMM_KERNEL (8) SPMM_KERNEL (16) SPMM_KERNEL (32)

typedef void (*SpmmBlock) (const gint64 *, const gint32 *, const float *, guint, guint,
                           const float *, guint, guint, guint, float *, gboolean);

static const SpmmBlock spmm_blocks[9] = { NULL, spmm_block_1, spmm_block_2, spmm_block_3,
                                          spmm_block_4, spmm_block_5, spmm_block_6,
                                          spmm_block_7, spmm_block_8 };

/* The columns of one head, [j0, j0 + width), in blocks of 32, 16, then ≤ 8
 * (the last few columns of an odd width one at a time). */
static void
spmm_columns (const SpmmTask *t,
              guint           i,
              guint           h,
              guint           j0,
              guint           width)
{
  const gint64 *off = t->s->row_offsets;
  const gint32 *col = t->s->col_index;
  guint n = t->cols, end = j0 + width;
  float *o = t->out + (gsize)i * n;

  while (j0 < end)
    {
      guint left = end - j0;

      if (left >= 32)
        {
          spmm_block_32 (off, col, t->values, t->heads, h, t->x, n, j0, i, o + j0,
                         t->accumulate);
          j0 += 32;
        }
      else if (left >= 16)
        {
          spmm_block_16 (off, col, t->values, t->heads, h, t->x, n, j0, i, o + j0,
                         t->accumulate);
          j0 += 16;
        }
      else
        {
          guint w = MIN (left, 8);

          spmm_blocks[w] (off, col, t->values, t->heads, h, t->x, n, j0, i, o + j0,
                          t->accumulate);
          j0 += w;
        }
    }
}

/* GAT's first layer (8 heads of 8): one pass over the row's entries for all
 * heads, the 64 accumulators in eight 8-lane vectors, instead of eight passes
 * of spmm_block_8. Each output element gets the same multiply-adds in the
 * same order as there. */
PHILIA_VECTORIZE static void
spmm_row_8x8 (const SpmmTask *t,
              guint           i)
{
  const gint64 *restrict off = t->s->row_offsets;
  const gint32 *restrict col = t->s->col_index;
  float *restrict o = t->out + (gsize)i * 64;
  V8f acc[8];

  for (guint h = 0; h < 8; h++)
    acc[h] = t->accumulate ? v8_load (o + h * 8) : (V8f){ 0 };
  for (gint64 e = off[i]; e < off[i + 1]; e++)
    {
      const float *restrict xr = t->x + (gsize)col[e] * 64;
      const float *restrict v = t->values + ENTRY (t->value_index, e) * 8;

      for (guint h = 0; h < 8; h++)
        acc[h] += v[h] * v8_load (xr + h * 8);
    }
  for (guint h = 0; h < 8; h++)
    v8_store (o + h * 8, acc[h]);
}

/*
 * One head of W = 2 to 7 columns (a model's classes) read from @t->x padded
 * to eight floats a row, 32-byte aligned: one vector load per entry, never
 * across a cache line, instead of a 4-wide and scalar loads from a row of
 * 8 to 28 bytes at any offset (4.5× faster on Squirrel's Â at 5 columns).
 * With @t->values the multiply-adds and their order are those of the narrow
 * blocks. A matrix whose values factor (D^{-1/2}(A+I)D^{-1/2}) comes with
 * its column scale folded into the padded rows: the entries are summed
 * unweighted (no value to load), the row scale applied once. W is a
 * compile-time constant so that a row's W floats move without a memcpy call.
 */
#define SPMM_PADDED(W)                                                              \
  PHILIA_VECTORIZE static void                                                     \
  spmm_rows_padded_##W (gpointer data,                                             \
                        guint    begin,                                            \
                        guint    end)                                              \
  {                                                                                \
    const SpmmTask *t = data;                                                      \
    const gint64 *restrict off = t->s->row_offsets;                                \
    const gint32 *restrict col = t->s->col_index;                                  \
    const float *restrict values = t->values;                                      \
    const gint64 *restrict vidx = t->value_index;                                  \
    const float *restrict x = t->x;                                                \
                                                                                   \
    for (guint i = begin; i < end; i++)                                            \
      {                                                                            \
        float *restrict o = t->out + (gsize)i * W;                                 \
        gint64 e = off[i], stop = off[i + 1];                                      \
        V8f a0 = { 0 }, a1 = { 0 }, sum;                                           \
                                                                                   \
        if (t->accumulate && t->row_scale == NULL)                                 \
          for (guint j = 0; j < W; j++)                                            \
            a0[j] = o[j];                                                          \
        if (values != NULL)                                                        \
          {                                                                        \
            for (; e + 2 <= stop; e += 2)                                          \
              {                                                                    \
                a0 += values[ENTRY (vidx, e)] * v8_load_aligned (x + (gsize)col[e] * 8); \
                a1 += values[ENTRY (vidx, e + 1)]                                  \
                      * v8_load_aligned (x + (gsize)col[e + 1] * 8);               \
              }                                                                    \
            if (e < stop)                                                          \
              a0 += values[ENTRY (vidx, e)] * v8_load_aligned (x + (gsize)col[e] * 8); \
          }                                                                        \
        else                                                                       \
          {                                                                        \
            for (; e + 2 <= stop; e += 2)                                          \
              {                                                                    \
                a0 += v8_load_aligned (x + (gsize)col[e] * 8);                     \
                a1 += v8_load_aligned (x + (gsize)col[e + 1] * 8);                 \
              }                                                                    \
            if (e < stop)                                                          \
              a0 += v8_load_aligned (x + (gsize)col[e] * 8);                       \
          }                                                                        \
        sum = a0 + a1;                                                             \
        if (t->row_scale != NULL)                                                  \
          {                                                                        \
            sum *= t->row_scale[i];                                                \
            if (t->accumulate)                                                     \
              for (guint j = 0; j < W; j++)                                        \
                sum[j] += o[j];                                                    \
          }                                                                        \
        for (guint j = 0; j < W; j++)                                              \
          o[j] = sum[j];                                                           \
      }                                                                            \
  }                                                                                \
                                                                                   \
  /* Rows [begin, end) of the W-column @x, times @scale[r] unless it is NULL,   \
   * into @padded, eight floats a row. */                                          \
  PHILIA_VECTORIZE static void                                                     \
  pad_rows_##W (const float *restrict x,                                           \
                const float *restrict scale,                                       \
                float *restrict       padded,                                      \
                gsize                 rows)                                        \
  {                                                                                \
    for (gsize r = 0; r < rows; r++)                                               \
      {                                                                            \
        V8f row = { 0 };                                                           \
                                                                                   \
        for (guint j = 0; j < W; j++)                                              \
          row[j] = x[r * W + j];                                                   \
        if (scale != NULL)                                                         \
          row *= scale[r];                                                         \
        v8_store (padded + r * 8, row);                                            \
      }                                                                            \
  }                                                                                \
                                                                                   \
  /* Chunks [begin, end) of @t->slices, unweighted, each row scaled once. */       \
  PHILIA_VECTORIZE static void                                                     \
  spmm_slices_##W (gpointer data,                                                  \
                   guint    begin,                                                 \
                   guint    end)                                                   \
  {                                                                                \
    const SpmmTask *t = data;                                                      \
    const SparseSlices *sl = t->slices;                                            \
    const float *restrict x = t->x;                                                \
    guint n = t->s->rows;                                                          \
                                                                                   \
    for (guint c = begin; c < end; c++)                                            \
      {                                                                            \
        const gint32 *restrict sc = sl->col + sl->chunk_offsets[c];                \
        gint64 length = (sl->chunk_offsets[c + 1] - sl->chunk_offsets[c]) / 4;     \
        V8f acc[4] = { { 0 }, { 0 }, { 0 }, { 0 } };                               \
                                                                                   \
        for (gint64 k = 0; k < length; k++, sc += 4)                               \
          {                                                                        \
            acc[0] += v8_load_aligned (x + (gsize)sc[0] * 8);                      \
            acc[1] += v8_load_aligned (x + (gsize)sc[1] * 8);                      \
            acc[2] += v8_load_aligned (x + (gsize)sc[2] * 8);                      \
            acc[3] += v8_load_aligned (x + (gsize)sc[3] * 8);                      \
          }                                                                        \
        for (guint r = 0; r < 4; r++)                                              \
          {                                                                        \
            guint row = sl->slot_row[c * 4 + r];                                   \
            float *restrict o = t->out + (gsize)row * W;                           \
            V8f sum = acc[r];                                                      \
                                                                                   \
            if (row >= n)                                                          \
              continue;                                                            \
            if (t->row_scale != NULL)                                              \
              sum *= t->row_scale[row];                                            \
            if (t->accumulate)                                                     \
              for (guint j = 0; j < W; j++)                                        \
                sum[j] += o[j];                                                    \
            for (guint j = 0; j < W; j++)                                          \
              o[j] = sum[j];                                                       \
          }                                                                        \
      }                                                                            \
  }

SPMM_PADDED (2) SPMM_PADDED (3) SPMM_PADDED (4) SPMM_PADDED (5) SPMM_PADDED (6)
SPMM_PADDED (7)

static const RangeFunc spmm_padded[8] = { NULL, NULL, spmm_rows_padded_2,
                                          spmm_rows_padded_3, spmm_rows_padded_4,
                                          spmm_rows_padded_5, spmm_rows_padded_6,
                                          spmm_rows_padded_7 };

static const RangeFunc spmm_slices[8] = { NULL, NULL, spmm_slices_2, spmm_slices_3,
                                          spmm_slices_4, spmm_slices_5, spmm_slices_6,
                                          spmm_slices_7 };

typedef void (*PadRows) (const float *, const float *, float *, gsize);

static const PadRows pad_rows[8] = { NULL, NULL, pad_rows_2, pad_rows_3, pad_rows_4,
                                     pad_rows_5, pad_rows_6, pad_rows_7 };

static void
spmm_rows (gpointer data,
           guint    begin,
           guint    end)
{
  const SpmmTask *t = data;
  guint d = t->cols / t->heads;

  if (t->heads == 8 && d == 8 && t->values != NULL)
    {
      for (guint i = begin; i < end; i++)
        spmm_row_8x8 (t, i);
      return;
    }
  for (guint i = begin; i < end; i++)
    for (guint h = 0; h < t->heads; h++)
      spmm_columns (t, i, h, h * d, d);
}

static void
spmm_run (PhiliaTape         *tape,
          const PhiliaSparse *s,
          const float        *values,
          guint               heads,
          const float        *x,
          float              *out,
          guint               cols,
          const gint64       *value_index,
          gboolean            accumulate)
{
  SpmmTask task = { s, values, heads, x, out, cols, accumulate, NULL, NULL, value_index };
  float *ordered = NULL;

  if (heads == 1 && cols >= 2 && cols <= 7 && s->nnz > 2 * (gint64)s->cols)
    {
      /* Pad X's rows to eight floats (a pass over X, small beside the
       * gathers when the matrix has a few entries per column or more). */
      gsize size = ((gsize)s->cols + 1) * 8 + 8;
      float *buffer = pool_take (tape, size);
      float *padded = (float *)(((guintptr)buffer + 31) & ~(guintptr)31);
      gboolean factored = values == s->values && value_index == NULL
                          && (s->row_scale != NULL || s->col_scale != NULL);

      pad_rows[cols] (x, factored ? s->col_scale : NULL, padded, s->cols);
      memset (padded + (gsize)s->cols * 8, 0, sizeof (float) * 8);   /* the slices' padding row */
      task.x = padded;
      if (factored)
        {
          task.values = NULL;
          task.row_scale = s->row_scale;
        }
      task.slices = task.values == NULL ? sparse_slices (s) : NULL;
      if (task.slices != NULL && task.slices->usable)
        parallel_rows (tape, task.slices->n_chunks, task.slices->chunk_offsets,
                       (double)s->nnz * cols, spmm_slices[cols], &task);
      else
        parallel_rows (tape, s->rows, s->row_offsets, (double)s->nnz * cols, spmm_padded[cols],
                       &task);
      pool_give (tape, size, buffer);
      return;
    }
  if (value_index != NULL && !(heads == 8 && cols == 64))
    {
      /* The column-block kernels read values in entry order: put them in
       * it (from the tape's pool, not fresh pages every step). */
      ordered = pool_take (tape, MAX (s->nnz * heads, 1));
      for (gint64 k = 0; k < s->nnz; k++)
        for (guint h = 0; h < heads; h++)
          ordered[k * heads + h] = values[value_index[k] * heads + h];
      task.values = ordered;
      task.value_index = NULL;
    }
  parallel_rows (tape, s->rows, s->row_offsets, (double)s->nnz * cols, spmm_rows, &task);
  if (ordered != NULL)
    pool_give (tape, MAX (s->nnz * heads, 1), ordered);
}

typedef struct
{
  const PhiliaSparse *s;
  guint               heads;
  const float        *dout;
  const float        *x;
  float              *dvalues;
  guint               cols;
} SpmmValuesTask;

PHILIA_VECTORIZE static void
spmm_values_rows (gpointer data,
                  guint    begin,
                  guint    end)
{
  const SpmmValuesTask *t = data;
  guint n = t->cols, heads = t->heads, d = n / heads;

  if (heads == 8 && d == 8)
    {
      /* GAT's first layer: the eight heads' sums interleaved (the same
       * multiply-adds per head, in the same order), not one dependent
       * chain after another. */
      for (guint i = begin; i < end; i++)
        for (gint64 e = t->s->row_offsets[i]; e < t->s->row_offsets[i + 1]; e++)
          {
            const float *restrict g = t->dout + (gsize)i * 64;
            const float *restrict x = t->x + (gsize)t->s->col_index[e] * 64;
            float *restrict dv = t->dvalues + e * 8;
            float acc[8] = { 0 };

            for (guint j = 0; j < 8; j++)
              for (guint h = 0; h < 8; h++)
                acc[h] += g[h * 8 + j] * x[h * 8 + j];
            for (guint h = 0; h < 8; h++)
              dv[h] += acc[h];
          }
      return;
    }
  for (guint i = begin; i < end; i++)
    for (gint64 e = t->s->row_offsets[i]; e < t->s->row_offsets[i + 1]; e++)
      {
        const float *g = t->dout + (gsize)i * n;
        const float *x = t->x + (gsize)t->s->col_index[e] * n;

        for (guint h = 0; h < heads; h++)
          {
            float acc = 0;

            for (guint j = h * d; j < (h + 1) * d; j++)
              acc += g[j] * x[j];
            t->dvalues[e * heads + h] += acc;
          }
      }
}

static void
spmm_backward (PhiliaTape *tape,
               Node       *node)
{
  PhiliaSparse *s = node->sparse;
  PhiliaTensor *values = node->in[0], *x = node->in[1], *out = node->out;
  guint heads = values ? values->cols : 1;

  /* dX = Sᵀ dOut, row-parallel over the transpose; the op's values are read
   * where they are, through the permutation from the transpose's entries. */
  if (x->requires_grad)
    spmm_run (tape, s->transpose, values ? values->data : s->transpose->values, heads, out->grad,
              ensure_grad (x), x->cols, values ? s->transpose_perm : NULL, TRUE);
  if (values != NULL && values->requires_grad)
    {
      SpmmValuesTask task = { s, heads, out->grad, x->data, ensure_grad (values), x->cols };

      parallel_rows (tape, s->rows, s->row_offsets, (double)s->nnz * x->cols,
                     spmm_values_rows, &task);
    }
}

PhiliaTensor *
philia_op_spmm (PhiliaTape   *tape,
                PhiliaSparse *s,
                PhiliaTensor *values,
                PhiliaTensor *x)
{
  PhiliaTensor *out;
  guint heads = values ? values->cols : 1;
  Node *node;

  g_return_val_if_fail (s != NULL && x != NULL && x->rows == s->cols, NULL);
  g_return_val_if_fail (values == NULL || (values->rows == s->nnz && values->cols > 0
                                           && x->cols % values->cols == 0), NULL);

  out = tape_tensor_uninit (tape, s->rows, x->cols);
  spmm_run (tape, s, values ? values->data : s->values, heads, x->data, out->data, x->cols, NULL,
            FALSE);
  node = record (tape, spmm_backward, out, values, x, NULL);
  if (node != NULL)
    node->sparse = philia_sparse_ref (s);
  return out;
}

/* ----------------------------------------------------------- elementwise */

static gboolean
broadcast_ok (PhiliaTensor *a,
              PhiliaTensor *b)
{
  return (b->rows == a->rows || b->rows == 1) && b->cols == a->cols;
}

/* Elementwise kernels on restrict pointers: the core is built with
 * -fno-strict-aliasing, so a loop storing through out->data would reload every
 * struct field each iteration and stay scalar. */
PHILIA_VECTORIZE static void
vec_add (float *restrict o,
         const float *restrict x,
         const float *restrict y,
         gsize        n)
{
  for (gsize i = 0; i < n; i++)
    o[i] = x[i] + y[i];
}

PHILIA_VECTORIZE static void
vec_add_row (float *restrict o,
             const float *restrict x,
             const float *restrict row,
             guint        rows,
             guint        cols)
{
  for (guint r = 0; r < rows; r++)
    for (guint j = 0; j < cols; j++)
      o[(gsize)r * cols + j] = x[(gsize)r * cols + j] + row[j];
}

PHILIA_VECTORIZE static void
vec_acc (float *restrict o,
         const float *restrict x,
         gsize        n)
{
  for (gsize i = 0; i < n; i++)
    o[i] += x[i];
}

/* Each row of o set to @row, in the loop itself: GCC otherwise turns the copy
 * into a memcpy call per (short) row. */
PHILIA_VECTORIZE PHILIA_NO_MEMCPY static void
vec_fill_rows (float *restrict o,
               const float *restrict row,
               guint        rows,
               guint        cols)
{
  for (guint r = 0; r < rows; r++)
    {
      float *restrict out = o + (gsize)r * cols;
      guint j = 0;

      for (; j + 8 <= cols; j += 8)
        v8_store (out + j, v8_load (row + j));
      for (; j < cols; j++)
        out[j] = row[j];
    }
}

/* o[j] += Σ_r x[r][j], rows in order (the sum a scalar loop makes). */
PHILIA_VECTORIZE static void
vec_acc_columns (float *restrict o,
                 const float *restrict x,
                 guint        rows,
                 guint        cols)
{
  for (guint r = 0; r < rows; r++)
    for (guint j = 0; j < cols; j++)
      o[j] += x[(gsize)r * cols + j];
}

static void
add_backward (PhiliaTape *tape,
              Node       *node)
{
  PhiliaTensor *a = node->in[0], *b = node->in[1], *out = node->out;
  gsize n = philia_tensor_size (out);

  if (a->requires_grad)
    vec_acc (ensure_grad (a), out->grad, n);
  if (b->requires_grad)
    {
      float *gb = ensure_grad (b);

      if (b->rows == a->rows)
        vec_acc (gb, out->grad, n);
      else
        vec_acc_columns (gb, out->grad, out->rows, out->cols);
    }
}

PhiliaTensor *
philia_op_add (PhiliaTape   *tape,
               PhiliaTensor *a,
               PhiliaTensor *b)
{
  PhiliaTensor *out;

  g_return_val_if_fail (a != NULL && b != NULL && broadcast_ok (a, b), NULL);

  out = tape_tensor_uninit (tape, a->rows, a->cols);
  if (b->rows == a->rows)
    vec_add (out->data, a->data, b->data, philia_tensor_size (a));
  else
    vec_add_row (out->data, a->data, b->data, a->rows, a->cols);
  record (tape, add_backward, out, a, b, NULL);
  return out;
}

/* X W + b in one op: the bias rows are the product's starting value and its
 * gradient the column sums of the output's, so neither direction makes a
 * pass of its own over the [n, out] tensor. */
static void
linear_backward (PhiliaTape *tape,
                 Node       *node)
{
  PhiliaTensor *b = node->in[2], *y = node->out;

  product_grads (tape, node->in[0], node->in[1], y->grad);
  if (b->requires_grad && y->rows > 0)
    vec_acc_columns (ensure_grad (b), y->grad, y->rows, y->cols);
}

PhiliaTensor *
philia_op_linear (PhiliaTape   *tape,
                  PhiliaTensor *x,
                  PhiliaTensor *w,
                  PhiliaTensor *b)
{
  PhiliaTensor *y;

  g_return_val_if_fail (x != NULL && w != NULL && b != NULL && x->cols == w->rows, NULL);
  g_return_val_if_fail (b->rows == 1 && b->cols == w->cols, NULL);

  y = tape_tensor_uninit (tape, x->rows, w->cols);
  vec_fill_rows (y->data, b->data, x->rows, w->cols);
  if (x->rows > 0 && w->cols > 0 && x->cols > 0)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, x->rows, w->cols, x->cols, 1.0f,
                 x->data, x->cols, w->data, w->cols, 1.0f, y->data, y->cols);
  record (tape, linear_backward, y, x, w, b);
  return y;
}

PHILIA_VECTORIZE static void
vec_mul_rows (float *restrict o,
              const float *restrict x,
              const float *restrict y,
              guint        rows,
              guint        cols,
              gboolean     broadcast)
{
  for (guint r = 0; r < rows; r++)
    {
      const float *restrict yr = y + (broadcast ? 0 : (gsize)r * cols);

      for (guint j = 0; j < cols; j++)
        o[(gsize)r * cols + j] = x[(gsize)r * cols + j] * yr[j];
    }
}

/* o[r][j] += g[r][j] · y[j or r][j]; with @sum_rows o is one row, summed over r in order. */
PHILIA_VECTORIZE static void
vec_mul_acc (float *restrict o,
             const float *restrict g,
             const float *restrict y,
             guint        rows,
             guint        cols,
             gboolean     broadcast_y,
             gboolean     sum_rows)
{
  for (guint r = 0; r < rows; r++)
    {
      const float *restrict yr = y + (broadcast_y ? 0 : (gsize)r * cols);
      float *restrict orow = o + (sum_rows ? 0 : (gsize)r * cols);

      for (guint j = 0; j < cols; j++)
        orow[j] += g[(gsize)r * cols + j] * yr[j];
    }
}

static void
mul_backward (PhiliaTape *tape,
              Node       *node)
{
  PhiliaTensor *a = node->in[0], *b = node->in[1], *out = node->out;
  gboolean broadcast = b->rows == 1 && a->rows != 1;

  if (a->requires_grad)
    vec_mul_acc (ensure_grad (a), out->grad, b->data, out->rows, out->cols, broadcast, FALSE);
  if (b->requires_grad)
    vec_mul_acc (ensure_grad (b), out->grad, a->data, out->rows, out->cols, FALSE, broadcast);
}

PhiliaTensor *
philia_op_mul (PhiliaTape   *tape,
               PhiliaTensor *a,
               PhiliaTensor *b)
{
  PhiliaTensor *out;

  g_return_val_if_fail (a != NULL && b != NULL && broadcast_ok (a, b), NULL);

  out = tape_tensor_uninit (tape, a->rows, a->cols);
  vec_mul_rows (out->data, a->data, b->data, a->rows, a->cols, b->rows == 1);
  record (tape, mul_backward, out, a, b, NULL);
  return out;
}

static void
scale_backward (PhiliaTape *tape,
                Node       *node)
{
  float *ga = ensure_grad (node->in[0]);

  for (gsize i = 0; i < philia_tensor_size (node->out); i++)
    ga[i] += node->f * node->out->grad[i];
}

PhiliaTensor *
philia_op_scale (PhiliaTape   *tape,
                 PhiliaTensor *a,
                 float         alpha)
{
  PhiliaTensor *out;
  Node *node;

  g_return_val_if_fail (a != NULL, NULL);

  out = tape_tensor_uninit (tape, a->rows, a->cols);
  for (gsize i = 0; i < philia_tensor_size (a); i++)
    out->data[i] = alpha * a->data[i];
  node = record (tape, scale_backward, out, a, NULL, NULL);
  if (node != NULL)
    node->f = alpha;
  return out;
}

/* ReLU, leaky ReLU, ELU: the derivative is a function of input and output. */
typedef enum { ACT_RELU, ACT_LEAKY, ACT_ELU, ACT_TANH, ACT_SIGMOID } Activation;

/* ReLU (slope 0) and leaky ReLU as branch-free loops the compiler vectorises. */
PHILIA_VECTORIZE static void
leaky_forward (float *restrict out,
               const float *restrict x,
               gsize        n,
               float        slope)
{
  if (slope == 0)
    for (gsize i = 0; i < n; i++)
      out[i] = x[i] > 0 ? x[i] : 0.0f;
  else
    for (gsize i = 0; i < n; i++)
      out[i] = x[i] > 0 ? x[i] : slope * x[i];
}

PHILIA_VECTORIZE static void
leaky_backward (float *restrict ga,
                const float *restrict x,
                const float *restrict g,
                gsize        n,
                float        slope,
                gboolean     fresh)
{
  if (fresh && slope == 0)
    for (gsize i = 0; i < n; i++)
      ga[i] = x[i] > 0 ? g[i] : 0.0f;
  else if (fresh)
    for (gsize i = 0; i < n; i++)
      ga[i] = x[i] > 0 ? g[i] : slope * g[i];
  else if (slope == 0)
    for (gsize i = 0; i < n; i++)
      ga[i] += x[i] > 0 ? g[i] : 0.0f;
  else
    for (gsize i = 0; i < n; i++)
      ga[i] += x[i] > 0 ? g[i] : slope * g[i];
}

/* e^x − 1 on eight lanes for x ≤ 0 (GAT's ELU): its Taylor series to x^8
 * for |x| < 0.5 (truncation below 6e-9), exp_approx (x) − 1 beyond, where
 * the subtraction loses nothing that matters (|e^x − 1| > 0.39). */
static inline V8f
v8_expm1_nonpositive (V8f x)
{
  V8f p = (V8f){ 0 } + 1.0f / 40320;

  p = p * x + 1.0f / 5040;
  p = p * x + 1.0f / 720;
  p = p * x + 1.0f / 120;
  p = p * x + 1.0f / 24;
  p = p * x + 1.0f / 6;
  p = p * x + 0.5f;
  p = p * x + 1.0f;
  return v8_select (x > -0.5f, p * x, v8_exp_approx (x) - 1.0f);
}

PHILIA_VECTORIZE static void
elu_forward (float *restrict out,
             const float *restrict x,
             gsize        n,
             float        alpha)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      V8f v = v8_load (x + i);

      v8_store (out + i, v8_select (v > 0, v,
                                    alpha * v8_expm1_nonpositive (v8_select (v > 0, (V8f){ 0 },
                                                                             v))));
    }
  for (; i < n; i++)
    out[i] = x[i] > 0 ? x[i] : alpha * expm1f (x[i]);
}

PHILIA_VECTORIZE static void
elu_backward (float *restrict ga,
              const float *restrict x,
              const float *restrict y,
              const float *restrict g,
              gsize        n,
              float        alpha,
              gboolean     fresh)
{
  for (gsize i = 0; i < n; i++)
    {
      float d = g[i] * (y[i] + alpha);
      float r = x[i] > 0 ? g[i] : d;

      ga[i] = fresh ? r : ga[i] + r;
    }
}

static void
activation_backward (PhiliaTape *tape,
                     Node       *node)
{
  PhiliaTensor *a = node->in[0], *out = node->out;
  Activation kind = GPOINTER_TO_UINT (node->index);
  gboolean fresh;
  float *ga = grad_for_write (tape, a, &fresh);
  float f = node->f;

  if (kind == ACT_RELU || kind == ACT_LEAKY)
    {
      leaky_backward (ga, a->data, out->grad, philia_tensor_size (out),
                      kind == ACT_RELU ? 0.0f : f, fresh);
      return;
    }
  if (kind == ACT_ELU)
    {
      elu_backward (ga, a->data, out->data, out->grad, philia_tensor_size (out), f, fresh);
      return;
    }
  if (fresh)
    memset (ga, 0, sizeof (float) * philia_tensor_size (a));
  for (gsize i = 0; i < philia_tensor_size (out); i++)
    {
      float x = a->data[i], g = out->grad[i];

      switch (kind)
        {
        case ACT_RELU:
          ga[i] += x > 0 ? g : 0;
          break;
        case ACT_LEAKY:
          ga[i] += x > 0 ? g : f * g;
          break;
        case ACT_ELU:
          ga[i] += x > 0 ? g : g * (out->data[i] + f);
          break;
        case ACT_TANH:
          ga[i] += g * (1 - out->data[i] * out->data[i]);
          break;
        case ACT_SIGMOID:
          ga[i] += g * out->data[i] * (1 - out->data[i]);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static PhiliaTensor *
activation (PhiliaTape   *tape,
            PhiliaTensor *a,
            Activation    kind,
            float         f)
{
  PhiliaTensor *out;
  Node *node;

  g_return_val_if_fail (a != NULL, NULL);

  out = tape_tensor_uninit (tape, a->rows, a->cols);
  if (kind == ACT_RELU || kind == ACT_LEAKY)
    leaky_forward (out->data, a->data, philia_tensor_size (a), kind == ACT_RELU ? 0.0f : f);
  else if (kind == ACT_ELU)
    elu_forward (out->data, a->data, philia_tensor_size (a), f);
  else
  for (gsize i = 0; i < philia_tensor_size (a); i++)
    {
      float x = a->data[i];

      switch (kind)
        {
        case ACT_RELU:
          out->data[i] = x > 0 ? x : 0;
          break;
        case ACT_LEAKY:
          out->data[i] = x > 0 ? x : f * x;
          break;
        case ACT_ELU:
          out->data[i] = x > 0 ? x : f * expm1f (x);
          break;
        case ACT_TANH:
          out->data[i] = tanhf (x);
          break;
        case ACT_SIGMOID:
          /* Written so that neither branch overflows expf. */
          out->data[i] = x >= 0 ? 1 / (1 + expf (-x)) : expf (x) / (1 + expf (x));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  node = record (tape, activation_backward, out, a, NULL, NULL);
  if (node != NULL)
    {
      node->index = GUINT_TO_POINTER (kind);
      node->f = f;
    }
  return out;
}

PhiliaTensor *
philia_op_relu (PhiliaTape   *tape,
                PhiliaTensor *a)
{
  return activation (tape, a, ACT_RELU, 0);
}

PhiliaTensor *
philia_op_leaky_relu (PhiliaTape   *tape,
                      PhiliaTensor *a,
                      float         slope)
{
  return activation (tape, a, ACT_LEAKY, slope);
}

PhiliaTensor *
philia_op_elu (PhiliaTape   *tape,
               PhiliaTensor *a,
               float         alpha)
{
  return activation (tape, a, ACT_ELU, alpha);
}

PhiliaTensor *
philia_op_tanh (PhiliaTape   *tape,
                PhiliaTensor *a)
{
  return activation (tape, a, ACT_TANH, 0);
}

PhiliaTensor *
philia_op_sigmoid (PhiliaTape   *tape,
                   PhiliaTensor *a)
{
  return activation (tape, a, ACT_SIGMOID, 0);
}

/* Dropout masks, one byte per element, from eight xoshiro128** streams
 * seeded from the tape's generator, each draw giving a 24-bit uniform (the
 * resolution the single-stream version had). Eight 32-bit lanes are one AVX2
 * register, so a mask costs a fraction of a nanosecond an element. */
#define MASK_LANES 8

typedef guint32 V8u __attribute__ ((vector_size (32)));
typedef gint8   V8b __attribute__ ((vector_size (8)));
typedef gint8   V32b __attribute__ ((vector_size (32)));

PHILIA_VECTORIZE static void
dropout_mask (guint8 *restrict mask,
              gsize            n,
              const guint32   *state,   /* 4 × MASK_LANES words */
              guint32          threshold)
{
  V8u s0, s1, s2, s3;

  memcpy (&s0, state, sizeof s0);
  memcpy (&s1, state + MASK_LANES, sizeof s1);
  memcpy (&s2, state + 2 * MASK_LANES, sizeof s2);
  memcpy (&s3, state + 3 * MASK_LANES, sizeof s3);
  for (gsize i = 0; i < n; i += MASK_LANES)
    {
      V8u x = s1 * 5, t = s1 << 9;
      V8u draw = ((x << 7) | (x >> 25)) * 9;
      V32b bytes;
      V8b keep;

      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >> 21);
      /* The low byte of each lane, by a byte shuffle (a lane-by-lane
       * conversion compiles to eight extracts). */
      bytes = (V32b)((V8i)((draw >> 8) >= threshold) & 1);
      keep = __builtin_shufflevector (bytes, bytes, 0, 4, 8, 12, 16, 20, 24, 28);
      if (n - i >= MASK_LANES)
        memcpy (mask + i, &keep, MASK_LANES);
      else
        memcpy (mask + i, &keep, n - i);
    }
}

/* mask[i] = 1 (kept) or 0 (dropped with probability p), the streams seeded
 * from the tape's generator. */
static void
dropout_mask_from_tape (PhiliaTape *tape,
                        guint8     *mask,
                        gsize       n,
                        float       p)
{
  guint32 state[4 * MASK_LANES];

  /* Two 32-bit words of each 64-bit draw; a lane of all zeros would be stuck. */
  for (guint k = 0; k < G_N_ELEMENTS (state); k += 2)
    {
      guint64 draw = rng_step (&tape->rng);

      state[k] = (guint32)draw;
      state[k + 1] = (guint32)(draw >> 32) | (k < MASK_LANES ? 1u : 0u);
    }
  /* Dropped when the 24-bit uniform u satisfies u / 2^24 < p. */
  dropout_mask (mask, n, state, (guint32)ceil ((double)p * 16777216.0));
}

/* Eight mask bytes as lanes: all ones where the byte is set (kept). */
static inline V8i
v8_kept (const guint8 *mask)
{
  V8b bytes;

  memcpy (&bytes, mask, sizeof bytes);
  return __builtin_convertvector (bytes, V8i) != 0;
}

/* The mask's factor on eight lanes: keep where the byte is set, else 0. */
static inline V8f
v8_mask_factor (const guint8 *mask,
                float         keep)
{
  return v8_select (v8_kept (mask), (V8f){ 0 } + keep, (V8f){ 0 });
}

PHILIA_VECTORIZE static void
dropout_apply (float *restrict out,
               const float *restrict x,
               const guint8 *restrict mask,
               gsize        n,
               float        keep)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    v8_store (out + i, v8_load (x + i) * v8_mask_factor (mask + i, keep));
  for (; i < n; i++)
    out[i] = x[i] * (mask[i] ? keep : 0.0f);
}

PHILIA_VECTORIZE static void
dropout_grad (float *restrict ga,
              const float *restrict g,
              const guint8 *restrict mask,
              gsize        n,
              float        keep,
              gboolean     fresh)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      V8f r = v8_load (g + i) * v8_mask_factor (mask + i, keep);

      v8_store (ga + i, fresh ? r : v8_load (ga + i) + r);
    }
  for (; i < n; i++)
    {
      float r = g[i] * (mask[i] ? keep : 0.0f);

      ga[i] = fresh ? r : ga[i] + r;
    }
}

static void
dropout_backward (PhiliaTape *tape,
                  Node       *node)
{
  gboolean fresh;
  float *ga = grad_for_write (tape, node->in[0], &fresh);

  dropout_grad (ga, node->out->grad, node->mask, philia_tensor_size (node->out), node->f,
                fresh);
}

typedef void (*MaskApply) (float *restrict, const float *restrict, const guint8 *restrict,
                           gsize, float);

/* out = apply (a, fresh mask, 1/(1 − p)), recorded with @backward; the mask
 * lives in a tape buffer, reused step after step like the tensors'. */
static PhiliaTensor *
masked_op (PhiliaTape   *tape,
           PhiliaTensor *a,
           float         p,
           MaskApply     apply,
           void        (*backward) (PhiliaTape *, Node *))
{
  gsize n = philia_tensor_size (a);
  float keep = 1.0f / (1.0f - p);
  guint8 *mask = (guint8 *)tape_tensor_uninit (tape, 1, (guint)((n + 3) / 4))->data;
  PhiliaTensor *out;
  Node *node;

  dropout_mask_from_tape (tape, mask, n, p);
  out = tape_tensor_uninit (tape, a->rows, a->cols);
  apply (out->data, a->data, mask, n, keep);
  node = record (tape, backward, out, a, NULL, NULL);
  if (node != NULL)
    {
      node->mask = mask;
      node->f = keep;
    }
  return out;
}

PhiliaTensor *
philia_op_dropout (PhiliaTape   *tape,
                   PhiliaTensor *a,
                   float         p)
{
  g_return_val_if_fail (a != NULL && p >= 0 && p < 1, NULL);

  if (!tape->training || p == 0)
    return a;
  return masked_op (tape, a, p, dropout_apply, dropout_backward);
}

/* dropout (relu (a)) in one pass each way: no intermediate tensor, and the
 * backward reads the input and the mask once. Same mask draws as dropout. */
/* Written as relu then the mask's factor (the composition's bits), eight lanes
 * by hand: GCC leaves the byte-mask select scalar here. */
PHILIA_VECTORIZE static void
relu_dropout_apply (float *restrict out,
                    const float *restrict x,
                    const guint8 *restrict mask,
                    gsize        n,
                    float        keep)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      V8f v = v8_load (x + i);

      v8_store (out + i, v8_select (v > 0, v, (V8f){ 0 }) * v8_mask_factor (mask + i, keep));
    }
  for (; i < n; i++)
    out[i] = (x[i] > 0 ? x[i] : 0.0f) * (mask[i] ? keep : 0.0f);
}

PHILIA_VECTORIZE static void
relu_dropout_grad (float *restrict ga,
                   const float *restrict x,
                   const float *restrict g,
                   const guint8 *restrict mask,
                   gsize        n,
                   float        keep,
                   gboolean     fresh)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      V8f gm = v8_load (g + i) * v8_mask_factor (mask + i, keep);
      V8f r = v8_select (v8_load (x + i) > 0, gm, (V8f){ 0 });

      v8_store (ga + i, fresh ? r : v8_load (ga + i) + r);
    }
  for (; i < n; i++)
    {
      float gm = g[i] * (mask[i] ? keep : 0.0f);
      float r = x[i] > 0 ? gm : 0.0f;

      ga[i] = fresh ? r : ga[i] + r;
    }
}

static void
relu_dropout_backward (PhiliaTape *tape,
                       Node       *node)
{
  gboolean fresh;
  float *ga = grad_for_write (tape, node->in[0], &fresh);

  relu_dropout_grad (ga, node->in[0]->data, node->out->grad, node->mask,
                     philia_tensor_size (node->out), node->f, fresh);
}

PhiliaTensor *
philia_op_relu_dropout (PhiliaTape   *tape,
                        PhiliaTensor *a,
                        float         p)
{
  g_return_val_if_fail (a != NULL && p >= 0 && p < 1, NULL);

  if (!tape->training || p == 0)
    return philia_op_relu (tape, a);
  return masked_op (tape, a, p, relu_dropout_apply, relu_dropout_backward);
}

/* ------------------------------------------------------ softmax and loss */

/* ln x for positive normal x: x = m 2^e with m in [√½, √2),
 * ln m = 2 atanh(s), s = (m − 1)/(m + 1), |s| < 0.172, by its series to s^11
 * (truncation below 1e-9); e ln 2 with ln 2 in two parts. Branch free and
 * call free, so a loop of it vectorises. */
static inline float
log_approx (float x)
{
  guint32 bits;
  gint32 e;
  float m, s, s2, p, ef;

  memcpy (&bits, &x, sizeof bits);
  e = (gint32)((bits >> 23) & 0xff) - 127;
  bits = (bits & 0x7fffff) | 0x3f800000;
  memcpy (&m, &bits, sizeof m);
  e += m > 1.41421356f;
  m = m > 1.41421356f ? m * 0.5f : m;
  s = (m - 1.0f) / (m + 1.0f);
  s2 = s * s;
  p = 2.0f / 11;
  p = p * s2 + 2.0f / 9;
  p = p * s2 + 2.0f / 7;
  p = p * s2 + 2.0f / 5;
  p = p * s2 + 2.0f / 3;
  p = p * s2 + 2.0f;
  ef = (float)e;
  return ef * 0.693145751953125f + (ef * 1.4286068202862268e-06f + s * p);
}

/* log_approx on eight lanes, with the same operations in the same order. */
static inline V8f
v8_log_approx (V8f x)
{
  V8i bits = (V8i)x;
  V8i e = ((bits >> 23) & 0xff) - 127;
  V8f m = (V8f)((bits & 0x7fffff) | 0x3f800000);
  V8i big = m > 1.41421356f;
  V8f s, s2, p, ef;

  e = e - big;                   /* big is −1 where true */
  m = v8_select (big, m * 0.5f, m);
  s = (m - 1.0f) / (m + 1.0f);
  s2 = s * s;
  p = (V8f){ 0 } + 2.0f / 11;
  p = p * s2 + 2.0f / 9;
  p = p * s2 + 2.0f / 7;
  p = p * s2 + 2.0f / 5;
  p = p * s2 + 2.0f / 3;
  p = p * s2 + 2.0f;
  ef = __builtin_convertvector (e, V8f);
  return ef * 0.693145751953125f + (ef * 1.4286068202862268e-06f + s * p);
}

/* The clamps of the scalar versions become branches: GCC does not vectorise
 * a plain loop of them, so these go eight lanes at a time by hand. */
PHILIA_VECTORIZE static void
vec_exp (float *restrict y,
         const float *restrict x,
         gsize        n)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    v8_store (y + i, v8_exp_approx (v8_load (x + i)));
  for (; i < n; i++)
    y[i] = exp_approx (x[i]);
}

PHILIA_VECTORIZE static void
vec_log_in_place (float *restrict v,
                  gsize           n)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    v8_store (v + i, v8_log_approx (v8_load (v + i)));
  for (; i < n; i++)
    v[i] = log_approx (v[i]);
}

/* ga += g − e^y · s, s repeated over each row's classes. */
PHILIA_VECTORIZE static void
log_softmax_grad (float *restrict ga,
                  const float *restrict g,
                  const float *restrict y,
                  const float *restrict s,
                  gsize        n)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    v8_store (ga + i, v8_load (ga + i) + (v8_load (g + i)
                                          - v8_exp_approx (v8_load (y + i)) * v8_load (s + i)));
  for (; i < n; i++)
    ga[i] += g[i] - exp_approx (y[i]) * s[i];
}

/* The per-row steps of log-softmax with the class count C a compile-time
 * constant for C ≤ 8 (straight-line rows GCC can interleave), any C otherwise:
 * shift each row by its max (NaN for a row with a non-finite logit), the
 * row sums of the exponentials, the output. */
#define LOG_SOFTMAX_ROWS(NAME, C_EXPR, C_PARAM)                                        \
  PHILIA_VECTORIZE static void                                                        \
  log_softmax_shift_##NAME (float *restrict shifted, const float *restrict x,         \
                            guint rows C_PARAM)                                        \
  {                                                                                   \
    const guint c = (C_EXPR);                                                         \
                                                                                      \
    for (guint r = 0; r < rows; r++)                                                  \
      {                                                                               \
        const float *xr = x + (gsize)r * c;                                           \
        float mx = xr[0], bad = 0;                                                    \
                                                                                      \
        for (guint j = 1; j < c; j++)                                                 \
          mx = xr[j] > mx ? xr[j] : mx;                                               \
        for (guint j = 0; j < c; j++)                                                 \
          bad += xr[j] - xr[j];                                                       \
        mx += bad;                                                                    \
        for (guint j = 0; j < c; j++)                                                 \
          shifted[(gsize)r * c + j] = xr[j] - mx;                                     \
      }                                                                               \
  }                                                                                   \
  PHILIA_VECTORIZE static void                                                        \
  log_softmax_sum_##NAME (float *restrict sums, const float *restrict e, guint rows   \
                          C_PARAM)                                                    \
  {                                                                                   \
    const guint c = (C_EXPR);                                                         \
                                                                                      \
    for (guint r = 0; r < rows; r++)                                                  \
      {                                                                               \
        float sum = 0;                                                                \
                                                                                      \
        for (guint j = 0; j < c; j++)                                                 \
          sum += e[(gsize)r * c + j];                                                 \
        sums[r] = sum;                                                                \
      }                                                                               \
  }                                                                                   \
  PHILIA_VECTORIZE static void                                                        \
  log_softmax_out_##NAME (float *restrict y, const float *restrict shifted,           \
                          const float *restrict lse, guint rows C_PARAM)               \
  {                                                                                   \
    const guint c = (C_EXPR);                                                         \
                                                                                      \
    for (guint r = 0; r < rows; r++)                                                  \
      for (guint j = 0; j < c; j++)                                                   \
        y[(gsize)r * c + j] = shifted[(gsize)r * c + j] - lse[r];                     \
  }                                                                                   \
  /* The backward pass's Σ dy of each row, repeated over its classes. */              \
  PHILIA_VECTORIZE static void                                                        \
  log_softmax_gsum_##NAME (float *restrict sums, const float *restrict g, guint rows  \
                           C_PARAM)                                                   \
  {                                                                                   \
    const guint c = (C_EXPR);                                                         \
                                                                                      \
    for (guint r = 0; r < rows; r++)                                                  \
      {                                                                               \
        float sum = 0;                                                                \
                                                                                      \
        for (guint j = 0; j < c; j++)                                                 \
          sum += g[(gsize)r * c + j];                                                 \
        for (guint j = 0; j < c; j++)                                                 \
          sums[(gsize)r * c + j] = sum;                                               \
      }                                                                               \
  }

#define NO_PARAM
#define COLS_PARAM , guint cols
LOG_SOFTMAX_ROWS (2, 2, NO_PARAM) LOG_SOFTMAX_ROWS (3, 3, NO_PARAM)
LOG_SOFTMAX_ROWS (4, 4, NO_PARAM) LOG_SOFTMAX_ROWS (5, 5, NO_PARAM)
LOG_SOFTMAX_ROWS (6, 6, NO_PARAM) LOG_SOFTMAX_ROWS (7, 7, NO_PARAM)
LOG_SOFTMAX_ROWS (8, 8, NO_PARAM) LOG_SOFTMAX_ROWS (any, cols, COLS_PARAM)
#undef NO_PARAM
#undef COLS_PARAM

typedef enum { LS_SHIFT, LS_SUM, LS_OUT, LS_GSUM } LogSoftmaxStep;

#define LS_CASE(C)                                                                   \
  case C:                                                                            \
    switch (step)                                                                    \
      {                                                                              \
      case LS_SHIFT: log_softmax_shift_##C (a, b, rows); return;                     \
      case LS_SUM: log_softmax_sum_##C (a, b, rows); return;                         \
      case LS_OUT: log_softmax_out_##C (a, b, lse, rows); return;                    \
      case LS_GSUM: log_softmax_gsum_##C (a, b, rows); return;                       \
      default: g_assert_not_reached ();                                              \
      }

static void
log_softmax_step (LogSoftmaxStep step,
                  float         *a,
                  const float   *b,
                  const float   *lse,
                  guint          rows,
                  guint          cols)
{
  switch (cols)
    {
      LS_CASE (2) LS_CASE (3) LS_CASE (4) LS_CASE (5) LS_CASE (6) LS_CASE (7) LS_CASE (8)
    default:
      switch (step)
        {
        case LS_SHIFT: log_softmax_shift_any (a, b, rows, cols); return;
        case LS_SUM: log_softmax_sum_any (a, b, rows, cols); return;
        case LS_OUT: log_softmax_out_any (a, b, lse, rows, cols); return;
        case LS_GSUM: log_softmax_gsum_any (a, b, rows, cols); return;
        default: g_assert_not_reached ();
        }
    }
}

static void
log_softmax_backward (PhiliaTape *tape,
                      Node       *node)
{
  PhiliaTensor *a = node->in[0], *out = node->out;
  gsize n = philia_tensor_size (out);
  float *sums = pool_take (tape, MAX (n, 1));

  /* dx = dy − softmax · Σ dy */
  if (out->cols > 0)
    log_softmax_step (LS_GSUM, sums, out->grad, NULL, out->rows, out->cols);
  log_softmax_grad (ensure_grad (a), out->grad, out->data, sums, n);
  pool_give (tape, MAX (n, 1), sums);
}

/* Classes are few (2 to a few dozen), so the exponentials and logarithms run
 * as flat vectorised passes over all rows, the per-row max and sums between
 * them. Sums of exponentials in float (each term ≤ 1). An infinite or NaN
 * logit makes its whole row NaN, as a direct evaluation would. */
PhiliaTensor *
philia_op_log_softmax (PhiliaTape   *tape,
                       PhiliaTensor *a)
{
  PhiliaTensor *out;
  guint c, rows;
  gsize n;
  float *shifted, *lse;

  g_return_val_if_fail (a != NULL, NULL);

  c = a->cols;
  rows = a->rows;
  n = philia_tensor_size (a);
  out = tape_tensor_uninit (tape, rows, c);
  if (c > 0 && rows > 0)
    {
      shifted = pool_take (tape, n);
      lse = pool_take (tape, rows);
      log_softmax_step (LS_SHIFT, shifted, a->data, NULL, rows, c);
      vec_exp (out->data, shifted, n);       /* e^(x − max) for now */
      log_softmax_step (LS_SUM, lse, out->data, NULL, rows, c);
      vec_log_in_place (lse, rows);
      log_softmax_step (LS_OUT, out->data, shifted, lse, rows, c);
      pool_give (tape, n, shifted);
      pool_give (tape, rows, lse);
    }
  record (tape, log_softmax_backward, out, a, NULL, NULL);
  return out;
}

typedef struct
{
  const gint32 *labels;
  const guint8 *mask;
  double        count;
} NllSaved;

static gboolean
nll_counts (const NllSaved *s,
            guint           i)
{
  return s->labels[i] >= 0 && (s->mask == NULL || s->mask[i]);
}

static void
nll_backward (PhiliaTape *tape,
              Node       *node)
{
  const NllSaved *s = node->saved;
  PhiliaTensor *logp = node->in[0];
  float *g = ensure_grad (logp);
  float scale = (float)(node->out->grad[0] / s->count);

  for (guint i = 0; i < logp->rows; i++)
    if (nll_counts (s, i))
      g[(gsize)i * logp->cols + s->labels[i]] -= scale;
}

PhiliaTensor *
philia_op_nll (PhiliaTape   *tape,
               PhiliaTensor *logp,
               const gint32 *labels,
               const guint8 *mask)
{
  PhiliaTensor *out;
  NllSaved s = { labels, mask, 0 };
  double sum = 0;
  Node *node;

  g_return_val_if_fail (logp != NULL && labels != NULL, NULL);
  g_return_val_if_fail (logp->cols > 0 || logp->rows == 0, NULL);

  {
    const float *restrict data = logp->data;
    guint cols = logp->cols;
    gint64 count = 0;
    gboolean bad = FALSE;

    for (guint i = 0; i < logp->rows; i++)
      if (labels[i] >= 0 && (mask == NULL || mask[i]))
        {
          bad |= (guint)labels[i] >= cols;
          sum -= data[(gsize)i * cols + MIN ((guint)labels[i], cols - 1)];
          count++;
        }
    g_return_val_if_fail (!bad, NULL);
    s.count = count;
  }
  out = tape_tensor (tape, 1, 1);
  out->data[0] = s.count > 0 ? (float)(sum / s.count) : NAN;
  node = record (tape, nll_backward, out, logp, NULL, NULL);
  if (node != NULL)
    node->saved = g_memdup2 (&s, sizeof s);
  return out;
}

/* ------------------------------------------------------- gather, scatter */

static void
index_select_backward (PhiliaTape *tape,
                       Node       *node)
{
  PhiliaTensor *a = node->in[0], *out = node->out;
  float *ga = ensure_grad (a);
  guint c = a->cols;

  for (guint k = 0; k < node->n_index; k++)
    {
      float *dst = ga + (gsize)node->index[k] * c;
      const float *src = out->grad + (gsize)k * c;

      for (guint j = 0; j < c; j++)
        dst[j] += src[j];
    }
}

PhiliaTensor *
philia_op_index_select (PhiliaTape   *tape,
                        PhiliaTensor *a,
                        const gint32 *index,
                        guint         n_index)
{
  PhiliaTensor *out;
  Node *node;

  g_return_val_if_fail (a != NULL && (index != NULL || n_index == 0), NULL);

  out = tape_tensor_uninit (tape, n_index, a->cols);
  for (guint k = 0; k < n_index; k++)
    {
      g_return_val_if_fail ((guint)index[k] < a->rows, NULL);
      memcpy (out->data + (gsize)k * a->cols, a->data + (gsize)index[k] * a->cols,
              sizeof (float) * a->cols);
    }
  node = record (tape, index_select_backward, out, a, NULL, NULL);
  if (node != NULL)
    {
      node->index = index;
      node->n_index = n_index;
    }
  return out;
}

static void
scatter_add_backward (PhiliaTape *tape,
                      Node       *node)
{
  PhiliaTensor *a = node->in[0], *out = node->out;
  float *ga = ensure_grad (a);
  guint c = a->cols;

  for (guint k = 0; k < a->rows; k++)
    {
      const float *src = out->grad + (gsize)node->index[k] * c;
      float *dst = ga + (gsize)k * c;

      for (guint j = 0; j < c; j++)
        dst[j] += src[j];
    }
}

PhiliaTensor *
philia_op_scatter_add (PhiliaTape   *tape,
                       PhiliaTensor *a,
                       const gint32 *index,
                       guint         n_out)
{
  PhiliaTensor *out;
  Node *node;

  g_return_val_if_fail (a != NULL && (index != NULL || a->rows == 0), NULL);

  out = tape_tensor (tape, n_out, a->cols);
  for (guint k = 0; k < a->rows; k++)
    {
      float *dst;
      const float *src = a->data + (gsize)k * a->cols;

      g_return_val_if_fail ((guint)index[k] < n_out, NULL);
      dst = out->data + (gsize)index[k] * a->cols;
      for (guint j = 0; j < a->cols; j++)
        dst[j] += src[j];
    }
  node = record (tape, scatter_add_backward, out, a, NULL, NULL);
  if (node != NULL)
    node->index = index;
  return out;
}

static void
concat_backward (PhiliaTape *tape,
                 Node       *node)
{
  PhiliaTensor *a = node->in[0], *b = node->in[1], *out = node->out;

  for (guint r = 0; r < out->rows; r++)
    {
      const float *g = out->grad + (gsize)r * out->cols;

      if (a->requires_grad)
        {
          float *ga = ensure_grad (a) + (gsize)r * a->cols;

          for (guint j = 0; j < a->cols; j++)
            ga[j] += g[j];
        }
      if (b->requires_grad)
        {
          float *gb = ensure_grad (b) + (gsize)r * b->cols;

          for (guint j = 0; j < b->cols; j++)
            gb[j] += g[a->cols + j];
        }
    }
}

PhiliaTensor *
philia_op_concat (PhiliaTape   *tape,
                  PhiliaTensor *a,
                  PhiliaTensor *b)
{
  PhiliaTensor *out;

  g_return_val_if_fail (a != NULL && b != NULL && a->rows == b->rows, NULL);

  out = tape_tensor_uninit (tape, a->rows, a->cols + b->cols);
  for (guint r = 0; r < a->rows; r++)
    {
      memcpy (out->data + (gsize)r * out->cols, a->data + (gsize)r * a->cols,
              sizeof (float) * a->cols);
      memcpy (out->data + (gsize)r * out->cols + a->cols, b->data + (gsize)r * b->cols,
              sizeof (float) * b->cols);
    }
  record (tape, concat_backward, out, a, b, NULL);
  return out;
}

static void
columns_backward (PhiliaTape *tape,
                  Node       *node)
{
  PhiliaTensor *a = node->in[0], *out = node->out;
  float *ga = ensure_grad (a);

  for (guint r = 0; r < out->rows; r++)
    {
      const float *g = out->grad + (gsize)r * out->cols;
      float *d = ga + (gsize)r * a->cols + node->n_index;

      for (guint j = 0; j < out->cols; j++)
        d[j] += g[j];
    }
}

PhiliaTensor *
philia_op_columns (PhiliaTape   *tape,
                   PhiliaTensor *a,
                   guint         begin,
                   guint         count)
{
  PhiliaTensor *out;
  Node *node;

  g_return_val_if_fail (a != NULL && begin <= a->cols && count <= a->cols - begin, NULL);

  out = tape_tensor_uninit (tape, a->rows, count);
  for (guint r = 0; r < a->rows; r++)
    memcpy (out->data + (gsize)r * count, a->data + (gsize)r * a->cols + begin,
            sizeof (float) * count);
  node = record (tape, columns_backward, out, a, NULL, NULL);
  if (node != NULL)
    node->n_index = begin;
  return out;
}

static void
scale_by_backward (PhiliaTape *tape,
                   Node       *node)
{
  PhiliaTensor *a = node->in[0], *g = node->in[1], *out = node->out;
  gsize n = philia_tensor_size (out);
  guint k = node->n_index;

  if (a->requires_grad)
    {
      float *ga = ensure_grad (a);
      float s = g->data[k];

      for (gsize i = 0; i < n; i++)
        ga[i] += s * out->grad[i];
    }
  if (g->requires_grad)
    {
      double acc = 0;

      for (gsize i = 0; i < n; i++)
        acc += (double)a->data[i] * out->grad[i];
      ensure_grad (g)[k] += (float)acc;
    }
}

PhiliaTensor *
philia_op_scale_by (PhiliaTape   *tape,
                    PhiliaTensor *a,
                    PhiliaTensor *g,
                    guint         k)
{
  PhiliaTensor *out;
  Node *node;
  float s;

  g_return_val_if_fail (a != NULL && g != NULL && g->rows == 1 && k < g->cols, NULL);

  s = g->data[k];
  out = tape_tensor_uninit (tape, a->rows, a->cols);
  for (gsize i = 0; i < philia_tensor_size (a); i++)
    out->data[i] = s * a->data[i];
  node = record (tape, scale_by_backward, out, a, g, NULL);
  if (node != NULL)
    node->n_index = k;
  return out;
}

PHILIA_VECTORIZE static void
group_sum_grad (float *restrict ga,
                const float *restrict g,
                gsize        groups,
                guint        d)
{
  for (gsize k = 0; k < groups; k++)
    for (guint j = 0; j < d; j++)
      ga[k * d + j] += g[k];
}

static void
group_sum_backward (PhiliaTape *tape,
                    Node       *node)
{
  PhiliaTensor *a = node->in[0], *out = node->out;

  group_sum_grad (ensure_grad (a), out->grad, philia_tensor_size (out), node->n_index);
}

/* Each group's elements summed in order from 0 (the bits of a running sum
 * over the row-major tensor). */
PHILIA_VECTORIZE static void
group_sum_rows (float *restrict o,
                const float *restrict x,
                gsize        groups,
                guint        d)
{
  for (gsize k = 0; k < groups; k++)
    {
      float acc = 0;

      for (guint j = 0; j < d; j++)
        acc += x[k * d + j];
      o[k] = acc;
    }
}

PhiliaTensor *
philia_op_group_sum (PhiliaTape   *tape,
                     PhiliaTensor *a,
                     guint         group_size)
{
  PhiliaTensor *out;
  Node *node;

  g_return_val_if_fail (a != NULL && group_size > 0 && a->cols % group_size == 0, NULL);

  out = tape_tensor_uninit (tape, a->rows, a->cols / group_size);
  group_sum_rows (out->data, a->data, philia_tensor_size (out), group_size);
  node = record (tape, group_sum_backward, out, a, NULL, NULL);
  if (node != NULL)
    node->n_index = group_size;
  return out;
}

/* ----------------------------------------------------------- edge scores */

typedef struct
{
  const PhiliaSparse *s;
  guint               heads;
  const float        *src;
  const float        *dst;
  float              *out;
  float               slope;
} EdgeScoresTask;

/* With H a compile-time constant (8 heads, or 1) the per-entry loop is straight-line code. */
#define EDGE_SCORES(H)                                                        \
  for (guint v = begin; v < end; v++)                                         \
    {                                                                         \
      const float *d = t->dst + (gsize)v * (H);                               \
                                                                              \
      for (gint64 e = t->s->row_offsets[v]; e < t->s->row_offsets[v + 1]; e++) \
        {                                                                     \
          const float *u = t->src + (gsize)t->s->col_index[e] * (H);          \
          float *o = t->out + e * (H);                                        \
                                                                              \
          for (guint k = 0; k < (H); k++)                                     \
            {                                                                 \
              float x = d[k] + u[k];                                          \
                                                                              \
              o[k] = x > 0 ? x : t->slope * x;                                \
            }                                                                 \
        }                                                                     \
    }

PHILIA_VECTORIZE static void
edge_scores_rows (gpointer data,
                  guint    begin,
                  guint    end)
{
  const EdgeScoresTask *t = data;
  guint h = t->heads;

  if (h == 8)
    {
      EDGE_SCORES (8);
      return;
    }
  if (h == 1)
    {
      EDGE_SCORES (1);
      return;
    }
  for (guint v = begin; v < end; v++)
    {
      const float *d = t->dst + (gsize)v * h;

      for (gint64 e = t->s->row_offsets[v]; e < t->s->row_offsets[v + 1]; e++)
        {
          const float *u = t->src + (gsize)t->s->col_index[e] * h;
          float *o = t->out + e * h;

          for (guint k = 0; k < h; k++)
            {
              float x = d[k] + u[k];

              o[k] = x > 0 ? x : t->slope * x;
            }
        }
    }
}

PHILIA_VECTORIZE static void
edge_scores_backward (PhiliaTape *tape,
                      Node       *node)
{
  PhiliaSparse *s = node->sparse;
  PhiliaTensor *src = node->in[0], *dst = node->in[1], *out = node->out;
  guint h = out->cols;
  float slope = node->f;
  float *gs = src->requires_grad ? ensure_grad (src) : NULL;
  float *gd = dst->requires_grad ? ensure_grad (dst) : NULL;

  /* The output's sign is the input's (slope > 0), so it tells the branch. */
  for (guint v = 0; v < s->rows; v++)
    for (gint64 e = s->row_offsets[v]; e < s->row_offsets[v + 1]; e++)
      for (guint k = 0; k < h; k++)
        {
          float g = out->grad[e * h + k];

          g = out->data[e * h + k] > 0 ? g : slope * g;
          if (gd != NULL)
            gd[(gsize)v * h + k] += g;
          if (gs != NULL)
            gs[(gsize)s->col_index[e] * h + k] += g;
        }
}

PhiliaTensor *
philia_op_edge_scores (PhiliaTape   *tape,
                       PhiliaSparse *s,
                       PhiliaTensor *src,
                       PhiliaTensor *dst,
                       float         slope)
{
  PhiliaTensor *out;
  EdgeScoresTask task;
  Node *node;

  g_return_val_if_fail (s != NULL && src != NULL && dst != NULL, NULL);
  g_return_val_if_fail (src->rows == s->cols && dst->rows == s->rows && src->cols == dst->cols,
                        NULL);
  g_return_val_if_fail (slope > 0, NULL);

  out = tape_tensor_uninit (tape, s->nnz, src->cols);
  task = (EdgeScoresTask) { s, src->cols, src->data, dst->data, out->data, slope };
  parallel_rows (tape, s->rows, s->row_offsets, (double)s->nnz * src->cols * 2,
                 edge_scores_rows, &task);
  node = record (tape, edge_scores_backward, out, src, dst, NULL);
  if (node != NULL)
    {
      node->sparse = philia_sparse_ref (s);
      node->f = slope;
    }
  return out;
}

/* ----------------------------------------------------------- edge softmax */

typedef struct
{
  const PhiliaSparse *s;
  guint               heads;
  const float        *in;    /* scores (forward) or α (backward) */
  const float        *grad;  /* backward: dα */
  float              *out;
} EdgeSoftmaxTask;

PHILIA_VECTORIZE static void
edge_softmax_rows (gpointer data,
                   guint    begin,
                   guint    end)
{
  const EdgeSoftmaxTask *t = data;
  guint H = t->heads;

  for (guint i = begin; i < end; i++)
    {
      gint64 e0 = t->s->row_offsets[i], e1 = t->s->row_offsets[i + 1];

      for (guint h = 0; h < H; h++)
        {
          float max = -INFINITY;
          float sum = 0;

          for (gint64 e = e0; e < e1; e++)
            max = MAX (max, t->in[e * H + h]);
          for (gint64 e = e0; e < e1; e++)
            {
              float v = exp_approx (t->in[e * H + h] - max);

              t->out[e * H + h] = v;
              sum += v;
            }
          for (gint64 e = e0; e < e1; e++)
            t->out[e * H + h] /= sum;
        }
    }
}

PHILIA_VECTORIZE static void
edge_softmax_grad_rows (gpointer data,
                        guint    begin,
                        guint    end)
{
  const EdgeSoftmaxTask *t = data;
  guint H = t->heads;

  /* d score_e = α_e (dα_e − Σ_row α dα), per head */
  for (guint i = begin; i < end; i++)
    {
      gint64 e0 = t->s->row_offsets[i], e1 = t->s->row_offsets[i + 1];

      for (guint h = 0; h < H; h++)
        {
          float dot = 0;

          for (gint64 e = e0; e < e1; e++)
            dot += t->in[e * H + h] * t->grad[e * H + h];
          for (gint64 e = e0; e < e1; e++)
            t->out[e * H + h] += t->in[e * H + h] * (t->grad[e * H + h] - dot);
        }
    }
}

static void
edge_softmax_backward (PhiliaTape *tape,
                       Node       *node)
{
  PhiliaSparse *s = node->sparse;
  EdgeSoftmaxTask task = { s, node->out->cols, node->out->data, node->out->grad,
                           ensure_grad (node->in[0]) };

  parallel_rows (tape, s->rows, s->row_offsets, (double)s->nnz * task.heads * 8,
                 edge_softmax_grad_rows, &task);
}

PhiliaTensor *
philia_op_edge_softmax (PhiliaTape   *tape,
                        PhiliaSparse *s,
                        PhiliaTensor *scores)
{
  PhiliaTensor *out;
  EdgeSoftmaxTask task;
  Node *node;

  g_return_val_if_fail (s != NULL && scores != NULL && scores->rows == s->nnz, NULL);

  out = tape_tensor_uninit (tape, scores->rows, scores->cols);
  task = (EdgeSoftmaxTask) { s, scores->cols, scores->data, NULL, out->data };
  parallel_rows (tape, s->rows, s->row_offsets, (double)s->nnz * task.heads * 8,
                 edge_softmax_rows, &task);
  node = record (tape, edge_softmax_backward, out, scores, NULL, NULL);
  if (node != NULL)
    node->sparse = philia_sparse_ref (s);
  return out;
}

/* ------------------------------------------------- fused GAT attention */

typedef struct
{
  const PhiliaSparse *s;
  guint               heads;
  const float        *src;
  const float        *dst;
  float              *alpha;   /* softmax, before dropout */
  float              *out;     /* after dropout (NULL without) */
  const guint8       *mask;    /* 1 = kept (NULL without dropout) */
  const float        *grad;    /* backward: d out */
  float              *gs;      /* backward */
  float              *gd;
  float               slope;
  float               keep;
  /* backward with threads: the scattered source gradients of every block
   * but the first go to a private buffer, added in block order afterwards */
  GMutex              lock;
  guint               n_partial;
  guint               partial_begin[64];
  float              *partial[64];
} AttentionTask;

/* Scores, per-head max, exponentials, normalisation and dropout for the rows
 * [begin, end), with the very arithmetic of edge_scores, edge_softmax and
 * dropout composed; @mx and @sm hold H floats each. The restrict locals let
 * GCC vectorise across the heads. */
#define ATTENTION_LOCALS                                                      \
  const gint64 *restrict off = t->s->row_offsets;                             \
  const gint32 *restrict col = t->s->col_index;                               \
  const float *restrict src = t->src;                                         \
  const float *restrict dst = t->dst;                                         \
  const guint8 *restrict mask = t->mask;                                      \
  float slope = t->slope, keep = t->keep;

#define ATTENTION_ROWS(H, mx, sm)                                             \
  for (guint v = begin; v < end; v++)                                         \
    {                                                                         \
      const float *restrict d = dst + (gsize)v * (H);                         \
                                                                              \
      for (guint k = 0; k < (H); k++)                                         \
        {                                                                     \
          mx[k] = -INFINITY;                                                  \
          sm[k] = 0;                                                          \
        }                                                                     \
      for (gint64 e = off[v]; e < off[v + 1]; e++)                            \
        {                                                                     \
          const float *restrict u = src + (gsize)col[e] * (H);                \
          float *restrict a = alpha + e * (H);                                \
                                                                              \
          for (guint k = 0; k < (H); k++)                                     \
            {                                                                 \
              float x = d[k] + u[k];                                          \
                                                                              \
              x = x > 0 ? x : slope * x;                                      \
              a[k] = x;                                                       \
              mx[k] = MAX (mx[k], x);                                         \
            }                                                                 \
        }                                                                     \
      for (gint64 e = off[v]; e < off[v + 1]; e++)                            \
        {                                                                     \
          float *restrict a = alpha + e * (H);                                \
                                                                              \
          for (guint k = 0; k < (H); k++)                                     \
            {                                                                 \
              float w = exp_approx (a[k] - mx[k]);                            \
                                                                              \
              a[k] = w;                                                       \
              sm[k] += w;                                                     \
            }                                                                 \
        }                                                                     \
      for (gint64 e = off[v]; e < off[v + 1]; e++)                            \
        {                                                                     \
          float *restrict a = alpha + e * (H);                                \
                                                                              \
          for (guint k = 0; k < (H); k++)                                     \
            a[k] /= sm[k];                                                    \
          if (out != NULL)                                                    \
            for (guint k = 0; k < (H); k++)                                   \
              out[e * (H) + k] = a[k] * (mask[e * (H) + k] ? keep : 0.0f);    \
        }                                                                     \
    }

PHILIA_VECTORIZE static void
attention_rows (gpointer data,
                guint    begin,
                guint    end)
{
  const AttentionTask *t = data;
  ATTENTION_LOCALS
  float *restrict alpha = t->alpha;
  float *restrict out = t->out;
  guint h = t->heads;

  if (h == 8)
    {
      for (guint v = begin; v < end; v++)
        {
          V8f d = v8_load (dst + (gsize)v * 8);
          V8f mx = (V8f){ 0 } - INFINITY, sm = { 0 };

          for (gint64 e = off[v]; e < off[v + 1]; e++)
            {
              V8f x = d + v8_load (src + (gsize)col[e] * 8);

              x = v8_select (x > 0, x, slope * x);
              v8_store (alpha + e * 8, x);
              mx = v8_select (mx > x, mx, x);
            }
          for (gint64 e = off[v]; e < off[v + 1]; e++)
            {
              V8f w = v8_exp_approx (v8_load (alpha + e * 8) - mx);

              v8_store (alpha + e * 8, w);
              sm += w;
            }
          for (gint64 e = off[v]; e < off[v + 1]; e++)
            {
              V8f a = v8_load (alpha + e * 8) / sm;

              v8_store (alpha + e * 8, a);
              if (out != NULL)
                {
                  v8_store (out + e * 8, a * v8_mask_factor (mask + e * 8, keep));
                }
            }
        }
    }
  else if (h == 1)
    {
      float mx[1], sm[1];

      ATTENTION_ROWS (1, mx, sm);
    }
  else
    {
      g_autofree float *mx = g_new (float, 2 * (gsize)h);
      float *sm = mx + h;

      ATTENTION_ROWS (h, mx, sm);
    }
}

/* d α = mask · d out; d score = α (d α − Σ_row α d α); then LeakyReLU's
 * derivative from the sign of dst + src, recomputed. The row sums Σ α d α
 * come from a kernel that may fuse their multiply-adds, the rest from one
 * that may not, so that each clone rounds as the unfused ops (dropout,
 * edge_softmax, edge_scores backward) do, bit for bit. */
#define ATTENTION_DOT_ROWS(H)                                                 \
  for (guint v = begin; v < end; v++)                                         \
    {                                                                         \
      float *restrict dot = dots + (gsize)(v - begin) * (H);                  \
                                                                              \
      for (guint k = 0; k < (H); k++)                                         \
        dot[k] = 0;                                                           \
      for (gint64 e = off[v]; e < off[v + 1]; e++)                            \
        for (guint k = 0; k < (H); k++)                                       \
          {                                                                   \
            gsize i = e * (H) + k;                                            \
            float ga = mask[i] ? keep * grad[i] : 0.0f;                       \
                                                                              \
            dot[k] += alpha[i] * ga;                                          \
          }                                                                   \
    }

PHILIA_VECTORIZE static void
attention_dot_rows (const AttentionTask *t,
                    guint                begin,
                    guint                end,
                    float *restrict      dots)
{
  const gint64 *restrict off = t->s->row_offsets;
  const guint8 *restrict mask = t->mask;
  const float *restrict alpha = t->alpha;
  const float *restrict grad = t->grad;
  float keep = t->keep;
  guint h = t->heads;

  if (h == 8)
    {
      for (guint v = begin; v < end; v++)
        {
          V8f dot = { 0 };

          for (gint64 e = off[v]; e < off[v + 1]; e++)
            {
              V8f ga = v8_select (v8_kept (mask + e * 8), keep * v8_load (grad + e * 8),
                                  (V8f){ 0 });

              dot += v8_load (alpha + e * 8) * ga;
            }
          v8_store (dots + (gsize)(v - begin) * 8, dot);
        }
    }
  else if (h == 1)
    {
      ATTENTION_DOT_ROWS (1);
    }
  else
    {
      ATTENTION_DOT_ROWS (h);
    }
}

#define ATTENTION_GRAD_ROWS(H)                                                \
  for (guint v = begin; v < end; v++)                                         \
    {                                                                         \
      const float *restrict d = dst + (gsize)v * (H);                         \
      const float *restrict dot = dots + (gsize)(v - begin) * (H);            \
      float *restrict gv = gd + (gsize)v * (H);                               \
                                                                              \
      for (gint64 e = off[v]; e < off[v + 1]; e++)                            \
        {                                                                     \
          const float *restrict u = src + (gsize)col[e] * (H);                \
          float *restrict gu = gs + (gsize)col[e] * (H);                      \
                                                                              \
          for (guint k = 0; k < (H); k++)                                     \
            {                                                                 \
              gsize i = e * (H) + k;                                          \
              float ga = mask[i] ? keep * grad[i] : 0.0f;                     \
              float g = alpha[i] * (ga - dot[k]);                             \
                                                                              \
              g = d[k] + u[k] > 0 ? g : slope * g;                            \
              gv[k] += g;                                                     \
              gu[k] += g;                                                     \
            }                                                                 \
        }                                                                     \
    }

PHILIA_VECTORIZE_NO_FMA static void
attention_grad_rows (gpointer data,
                     guint    begin,
                     guint    end)
{
  AttentionTask *t = data;
  ATTENTION_LOCALS
  const float *restrict alpha = t->alpha;
  const float *restrict grad = t->grad;
  float *restrict gd = t->gd;
  float *restrict gs = t->gs;
  g_autofree float *dots = NULL;
  guint h = t->heads;

  if (begin == end)
    return;
  if (begin > 0)
    {
      /* Only the block starting at row 0 writes the shared buffer. */
      gs = g_new0 (float, (gsize)t->s->cols * h);
      g_mutex_lock (&t->lock);
      t->partial_begin[t->n_partial] = begin;
      t->partial[t->n_partial++] = gs;
      g_mutex_unlock (&t->lock);
    }
  dots = g_new (float, (gsize)(end - begin) * h);
  attention_dot_rows (t, begin, end, dots);
  if (h == 8)
    {
      for (guint v = begin; v < end; v++)
        {
          V8f d = v8_load (dst + (gsize)v * 8);
          V8f dot = v8_load (dots + (gsize)(v - begin) * 8);
          V8f gv = v8_load (gd + (gsize)v * 8);

          for (gint64 e = off[v]; e < off[v + 1]; e++)
            {
              V8f ga = v8_select (v8_kept (mask + e * 8), keep * v8_load (grad + e * 8),
                                  (V8f){ 0 });
              V8f g = v8_load (alpha + e * 8) * (ga - dot);
              float *gu = gs + (gsize)col[e] * 8;

              g = v8_select (d + v8_load (src + (gsize)col[e] * 8) > 0, g, slope * g);
              gv += g;
              v8_store (gu, v8_load (gu) + g);
            }
          v8_store (gd + (gsize)v * 8, gv);
        }
    }
  else if (h == 1)
    {
      ATTENTION_GRAD_ROWS (1);
    }
  else
    {
      ATTENTION_GRAD_ROWS (h);
    }
}

typedef struct
{
  PhiliaTensor *alpha;   /* tape-owned */
  float         keep;
  guint8        mask[];  /* nnz·H, or empty without dropout */
} AttentionSaved;

static void
edge_attention_backward (PhiliaTape *tape,
                         Node       *node)
{
  PhiliaSparse *s = node->sparse;
  AttentionSaved *saved = node->saved;
  PhiliaTensor *src = node->in[0], *dst = node->in[1];
  AttentionTask task = { 0 };
  float *scratch_s = NULL, *scratch_d = NULL;
  gsize n;

  task.s = s;
  task.heads = src->cols;
  task.src = src->data;
  task.dst = dst->data;
  task.alpha = saved->alpha->data;
  task.mask = saved->mask;
  task.grad = node->out->grad;
  /* An input without a gradient gets a scratch one, so the loops test nothing. */
  task.gs = src->requires_grad ? ensure_grad (src) : (scratch_s = g_new0 (float, philia_tensor_size (src)));
  task.gd = dst->requires_grad ? ensure_grad (dst) : (scratch_d = g_new0 (float, philia_tensor_size (dst)));
  task.slope = node->f;
  task.keep = saved->keep;
  g_mutex_init (&task.lock);
  parallel_rows (tape, s->rows, s->row_offsets, (double)s->nnz * task.heads * 8,
                 attention_grad_rows, &task);
  g_mutex_clear (&task.lock);

  /* The blocks' partial sums in row order, so a thread count gives one result. */
  n = (gsize)s->cols * task.heads;
  for (guint b = 0; b < task.n_partial; b++)
    {
      guint best = b;

      for (guint c = b + 1; c < task.n_partial; c++)
        if (task.partial_begin[c] < task.partial_begin[best])
          best = c;
      if (best != b)
        {
          float *p = task.partial[b];
          guint pb = task.partial_begin[b];

          task.partial[b] = task.partial[best];
          task.partial_begin[b] = task.partial_begin[best];
          task.partial[best] = p;
          task.partial_begin[best] = pb;
        }
      for (gsize i = 0; i < n; i++)
        task.gs[i] += task.partial[b][i];
      g_free (task.partial[b]);
    }
  g_free (scratch_s);
  g_free (scratch_d);
}

PhiliaTensor *
philia_op_edge_attention (PhiliaTape   *tape,
                          PhiliaSparse *s,
                          PhiliaTensor *src,
                          PhiliaTensor *dst,
                          float         slope,
                          float         p)
{
  PhiliaTensor *alpha, *out;
  AttentionSaved *saved;
  AttentionTask task = { 0 };
  gboolean drop;
  gsize n;
  Node *node;

  g_return_val_if_fail (s != NULL && src != NULL && dst != NULL, NULL);
  g_return_val_if_fail (src->rows == s->cols && dst->rows == s->rows && src->cols == dst->cols,
                        NULL);
  g_return_val_if_fail (slope > 0 && p >= 0 && p < 1, NULL);

  n = (gsize)s->nnz * src->cols;
  drop = tape->training && p > 0;
  /* Without dropout the backward pass reads a mask of ones (keep 1), which
   * multiplies exactly. */
  saved = g_malloc (sizeof (AttentionSaved) + MAX (n, 1));
  saved->keep = drop ? 1.0f / (1.0f - p) : 1.0f;
  if (!drop)
    {
      if (src->requires_grad || dst->requires_grad)
        memset (saved->mask, 1, n);
    }
  else
    {
      /* philia_op_dropout's mask, from the same draws. */
      dropout_mask_from_tape (tape, saved->mask, n, p);
    }

  alpha = tape_tensor_uninit (tape, s->nnz, src->cols);
  out = drop ? tape_tensor_uninit (tape, s->nnz, src->cols) : alpha;
  task.s = s;
  task.heads = src->cols;
  task.src = src->data;
  task.dst = dst->data;
  task.alpha = alpha->data;
  task.out = drop ? out->data : NULL;
  task.mask = drop ? saved->mask : NULL;
  task.slope = slope;
  task.keep = saved->keep;
  parallel_rows (tape, s->rows, s->row_offsets, (double)n * 12, attention_rows, &task);

  node = record (tape, edge_attention_backward, out, src, dst, NULL);
  if (node != NULL)
    {
      node->sparse = philia_sparse_ref (s);
      node->f = slope;
      saved->alpha = alpha;
      node->saved = saved;
    }
  else
    g_free (saved);
  return out;
}

/* ------------------------------------------------------------ optimisers */

typedef struct
{
  PhiliaTensor *p;
  gboolean      decay;
  float        *m;
  float        *v;
} Slot;

struct _PhiliaOptimizer
{
  PhiliaOptimizerKind kind;
  float               lr;
  float               weight_decay;
  float               beta1;
  float               beta2;
  float               eps;
  guint64             t;
  GArray             *slots;
};

static void
slot_clear (gpointer data)
{
  Slot *slot = data;

  g_free (slot->m);
  g_free (slot->v);
}

PhiliaOptimizer *
philia_optimizer_new (PhiliaOptimizerKind kind,
                      float               lr,
                      float               weight_decay)
{
  PhiliaOptimizer *o = g_new0 (PhiliaOptimizer, 1);

  o->kind = kind;
  o->lr = lr;
  o->weight_decay = weight_decay;
  o->beta1 = 0.9f;
  o->beta2 = 0.999f;
  o->eps = 1e-8f;
  o->slots = g_array_new (FALSE, TRUE, sizeof (Slot));
  g_array_set_clear_func (o->slots, slot_clear);
  return o;
}

void
philia_optimizer_add (PhiliaOptimizer *optimizer,
                      PhiliaTensor    *parameter,
                      gboolean         decay)
{
  Slot slot = { parameter, decay, NULL, NULL };
  gsize n = philia_tensor_size (parameter);

  g_return_if_fail (optimizer != NULL && parameter != NULL);

  parameter->requires_grad = TRUE;
  if (optimizer->kind == PHILIA_OPTIMIZER_ADAM)
    {
      slot.m = g_new0 (float, MAX (n, 1));
      slot.v = g_new0 (float, MAX (n, 1));
    }
  g_array_append_val (optimizer->slots, slot);
}

void
philia_optimizer_step (PhiliaOptimizer *o)
{
  double bc1, bc2;

  g_return_if_fail (o != NULL);

  o->t++;
  bc1 = 1.0 - pow (o->beta1, (double)o->t);
  bc2 = 1.0 - pow (o->beta2, (double)o->t);
  for (guint k = 0; k < o->slots->len; k++)
    {
      Slot *slot = &g_array_index (o->slots, Slot, k);
      PhiliaTensor *p = slot->p;
      float wd = slot->decay ? o->weight_decay : 0.0f;
      gsize n = philia_tensor_size (p);

      if (p->grad == NULL)
        continue;
      if (o->kind == PHILIA_OPTIMIZER_SGD)
        for (gsize i = 0; i < n; i++)
          p->data[i] -= o->lr * (p->grad[i] + wd * p->data[i]);
      else
        {
          /* PyTorch's Adam: the step is lr/bc1 · m / (√v / √bc2 + eps). */
          float step = (float)(o->lr / bc1);
          float sbc2 = (float)sqrt (bc2);

          for (gsize i = 0; i < n; i++)
            {
              float g = p->grad[i] + wd * p->data[i];

              slot->m[i] = o->beta1 * slot->m[i] + (1 - o->beta1) * g;
              slot->v[i] = o->beta2 * slot->v[i] + (1 - o->beta2) * g * g;
              p->data[i] -= step * slot->m[i] / (sqrtf (slot->v[i]) / sbc2 + o->eps);
            }
        }
      philia_tensor_zero_grad (p);
    }
}

void
philia_optimizer_free (PhiliaOptimizer *optimizer)
{
  if (optimizer == NULL)
    return;
  g_array_unref (optimizer->slots);
  g_free (optimizer);
}
