/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/*
 * A small reverse-mode autograd over float32 matrices (HACKING.md §7).
 *
 * Tensors are 2-D, row-major and contiguous. A PhiliaTape records the ops of
 * one step; the tensors an op returns belong to the tape and live until
 * philia_tape_reset() (an arena per step). Parameters are created with
 * philia_tensor_new() and belong to the caller. Ops only record a backward
 * node when an input requires a gradient, so an evaluation pass with constant
 * inputs costs no tape memory. Every op is deterministic for a given thread
 * count and seed; the multithreaded ones split rows, never sums.
 */

/**
 * PhiliaTensor:
 * @rows: first dimension
 * @cols: second dimension
 * @data: @rows × @cols values, row-major
 * @grad: the same shape, allocated (zeroed) when a backward pass first reaches it
 * @requires_grad: backward passes accumulate into @grad
 */
typedef struct
{
  guint     rows;
  guint     cols;
  float    *data;
  float    *grad;
  gboolean  requires_grad;
  /*< private >*/
  gboolean  tape_owned;
} PhiliaTensor;

/**
 * PhiliaSparse:
 * @rows: rows
 * @cols: columns
 * @row_offsets: @rows + 1 offsets into @col_index
 * @col_index: column of each stored entry, sorted within a row
 * @values: one value per entry (may be NULL: all ones)
 * @row_index: the row of each entry (for gathers over edges)
 *
 * A constant CSR matrix: a normalised adjacency, an attention pattern or
 * sparse features. Build it with philia_sparse_new(); its transpose (for
 * backward passes) is built at the same time, so a finished PhiliaSparse is
 * immutable and can be shared between threads.
 */
typedef struct _PhiliaSparse PhiliaSparse;
struct _PhiliaSparse
{
  guint         rows;
  guint         cols;
  gint64        nnz;
  gint64       *row_offsets;
  gint32       *col_index;
  float        *values;
  gint32       *row_index;
  /*< private >*/
  PhiliaSparse *transpose;
  gint64       *transpose_perm; /* entry of the transpose → entry of this matrix */
  gint          ref_count;
  float        *row_scale;      /* values[e] = row_scale[i] col_scale[j]; NULL: ones */
  float        *col_scale;      /* (both NULL when the values do not factor) */
  gpointer      slices;         /* sliced-ELLPACK copy, built on first narrow product */
};

typedef struct _PhiliaTape PhiliaTape;

/* A xoshiro256** generator: fast, seedable, the same stream on every platform. */
typedef struct
{
  guint64 s[4];
} PhiliaRng;

void          philia_rng_init            (PhiliaRng          *rng,
                                          guint64             seed);
guint64       philia_rng_next            (PhiliaRng          *rng);
/* Uniform in [0, 1) with 24 random bits. */
float         philia_rng_float           (PhiliaRng          *rng);
/* Uniform in [0, bound). */
guint32       philia_rng_below           (PhiliaRng          *rng,
                                          guint32             bound);

PhiliaTensor *philia_tensor_new          (guint               rows,
                                          guint               cols);
PhiliaTensor *philia_tensor_new_from     (guint               rows,
                                          guint               cols,
                                          const float        *data);
void          philia_tensor_free         (PhiliaTensor       *tensor);
PhiliaTensor *philia_tensor_copy         (const PhiliaTensor *tensor);
void          philia_tensor_zero_grad    (PhiliaTensor       *tensor);
/* Glorot (Xavier) uniform: U(−a, a) with a = √(6 / (rows + cols)). */
void          philia_tensor_glorot       (PhiliaTensor       *tensor,
                                          PhiliaRng          *rng);
gsize         philia_tensor_size         (const PhiliaTensor *tensor);

/*
 * Takes @row_offsets (rows + 1), @col_index and @values (nnz each; @values may
 * be NULL for ones) and builds the transpose. O(rows + cols + nnz).
 */
PhiliaSparse *philia_sparse_new          (guint               rows,
                                          guint               cols,
                                          gint64             *row_offsets,
                                          gint32             *col_index,
                                          float              *values);
/* Compressed copy of the non-zeros of a dense row-major matrix. O(rows·cols). */
PhiliaSparse *philia_sparse_new_from_dense (const float       *data,
                                          guint               rows,
                                          guint               cols);
PhiliaSparse *philia_sparse_ref          (PhiliaSparse       *sparse);
void          philia_sparse_unref        (PhiliaSparse       *sparse);

/* @n_threads ≥ 1 workers for the row-parallel ops (the caller is one of them). */
PhiliaTape   *philia_tape_new            (guint               n_threads);
void          philia_tape_free           (PhiliaTape         *tape);
guint         philia_tape_get_n_threads  (PhiliaTape         *tape);
/* Frees every tensor and node recorded since the last reset. */
void          philia_tape_reset          (PhiliaTape         *tape);
/* Training mode: dropout is active. Off (evaluation): dropout is the identity. */
void          philia_tape_set_training   (PhiliaTape         *tape,
                                          gboolean            training);
gboolean      philia_tape_get_training   (PhiliaTape         *tape);
/* Seeds the tape's generator (dropout masks). */
PhiliaRng    *philia_tape_get_rng        (PhiliaTape         *tape);
/* A tape-owned constant (no gradient) with a copy of @data, or zeros if NULL. */
PhiliaTensor *philia_tape_constant       (PhiliaTape         *tape,
                                          guint               rows,
                                          guint               cols,
                                          const float        *data);
/* Backpropagates from a 1 × 1 @loss (d loss = 1). */
void          philia_tape_backward       (PhiliaTape         *tape,
                                          PhiliaTensor       *loss);
/* Backpropagates from any @output with the given output gradient. */
void          philia_tape_backward_from  (PhiliaTape         *tape,
                                          PhiliaTensor       *output,
                                          const float        *output_grad);

/* Ops. Each returns a tape-owned tensor. Shapes are checked with g_return_val_if_fail. */

/* A [m,k] × B [k,n] via cblas_sgemm; backward with both transposes. */
PhiliaTensor *philia_op_matmul           (PhiliaTape *tape, PhiliaTensor *a, PhiliaTensor *b);
/* X [m,k] × W [k,n] + b [1,n] in one op (one pass fewer each way than matmul then add). */
PhiliaTensor *philia_op_linear           (PhiliaTape *tape, PhiliaTensor *x, PhiliaTensor *w,
                                          PhiliaTensor *b);
/*
 * S [r,c] × X [c, H·D] → [r, H·D]. With @values NULL the matrix's own values
 * (constant) are used; otherwise @values is [nnz, H]: head h multiplies the
 * columns h·D … h·D+D−1 of X by its own values (multi-head attention), and
 * gets a gradient if it requires one. Row-parallel over nnz-balanced blocks.
 */
PhiliaTensor *philia_op_spmm             (PhiliaTape *tape, PhiliaSparse *s, PhiliaTensor *values,
                                          PhiliaTensor *x);
/* A + B, B of the same shape or a [1, cols] row broadcast over rows (a bias). */
PhiliaTensor *philia_op_add              (PhiliaTape *tape, PhiliaTensor *a, PhiliaTensor *b);
/* A ⊙ B, B of the same shape or a [1, cols] row broadcast over rows. */
PhiliaTensor *philia_op_mul              (PhiliaTape *tape, PhiliaTensor *a, PhiliaTensor *b);
/* alpha · A. */
PhiliaTensor *philia_op_scale            (PhiliaTape *tape, PhiliaTensor *a, float alpha);
PhiliaTensor *philia_op_relu             (PhiliaTape *tape, PhiliaTensor *a);
PhiliaTensor *philia_op_leaky_relu       (PhiliaTape *tape, PhiliaTensor *a, float slope);
PhiliaTensor *philia_op_elu              (PhiliaTape *tape, PhiliaTensor *a, float alpha);
/* tanh, in (−1, 1): signed coefficients (FAGCN's edge weights). */
PhiliaTensor *philia_op_tanh             (PhiliaTape *tape, PhiliaTensor *a);
/* The logistic function 1 / (1 + e^−x), in (0, 1): gates. */
PhiliaTensor *philia_op_sigmoid          (PhiliaTape *tape, PhiliaTensor *a);
/* Inverted dropout with the tape's generator; the identity when not training or p = 0. */
PhiliaTensor *philia_op_dropout          (PhiliaTape *tape, PhiliaTensor *a, float p);
/* philia_op_dropout (philia_op_relu (a), p) in one op, with the same mask draws. */
PhiliaTensor *philia_op_relu_dropout     (PhiliaTape *tape, PhiliaTensor *a, float p);
/* Row-wise log-softmax. */
PhiliaTensor *philia_op_log_softmax      (PhiliaTape *tape, PhiliaTensor *a);
/*
 * Mean negative log-likelihood over the rows with @mask[i] != 0 (all rows if
 * @mask is NULL) of log-probabilities @logp [n, C] and @labels (−1 skipped).
 * Returns 1 × 1; NaN if no row counts.
 */
PhiliaTensor *philia_op_nll              (PhiliaTape *tape, PhiliaTensor *logp,
                                          const gint32 *labels, const guint8 *mask);
/* out[k] = A[index[k]] for k < n_index (rows); backward scatters. */
PhiliaTensor *philia_op_index_select     (PhiliaTape *tape, PhiliaTensor *a,
                                          const gint32 *index, guint n_index);
/* out [n_out, cols], out[index[k]] += A[k]; backward gathers. */
PhiliaTensor *philia_op_scatter_add      (PhiliaTape *tape, PhiliaTensor *a,
                                          const gint32 *index, guint n_out);
/* [A | B] along columns (same rows). */
PhiliaTensor *philia_op_concat           (PhiliaTape *tape, PhiliaTensor *a, PhiliaTensor *b);
/* Columns @begin … @begin+@count−1 of A (a view copied out; backward adds into them). */
PhiliaTensor *philia_op_columns          (PhiliaTape *tape, PhiliaTensor *a, guint begin,
                                          guint count);
/* g[0, k] · A: A scaled by one entry of a learnable row (GPR-GNN's γ_k); both get gradients. */
PhiliaTensor *philia_op_scale_by         (PhiliaTape *tape, PhiliaTensor *a, PhiliaTensor *g,
                                          guint k);
/* [n, G·D] → [n, G]: the sum of each group of @group_size consecutive columns. */
PhiliaTensor *philia_op_group_sum        (PhiliaTape *tape, PhiliaTensor *a, guint group_size);
/*
 * GAT's attention logits in one pass: out[e, h] = LeakyReLU_slope(dst[row(e), h]
 * + src[col(e), h]) over the entries e of @s, with @src and @dst [n, H]. The
 * same as index_select, add and leaky_relu composed, without the three
 * [nnz, H] intermediates (@slope > 0).
 */
PhiliaTensor *philia_op_edge_scores      (PhiliaTape *tape, PhiliaSparse *s, PhiliaTensor *src,
                                          PhiliaTensor *dst, float slope);
/* Softmax of @scores [nnz, H] over the entries of each row of @s, per head. */
PhiliaTensor *philia_op_edge_softmax     (PhiliaTape *tape, PhiliaSparse *s, PhiliaTensor *scores);
/*
 * GAT's attention in one op: edge_softmax of edge_scores (@slope), then
 * dropout (@p) while training, with the same arithmetic and the same draws
 * of the tape's RNG as the three composed, without their [nnz, H]
 * intermediates; its backward pass runs on the tape's threads.
 */
PhiliaTensor *philia_op_edge_attention   (PhiliaTape *tape, PhiliaSparse *s, PhiliaTensor *src,
                                          PhiliaTensor *dst, float slope, float p);

/*
 * Link prediction's pair scores: out[k] = Z[src[k]] ⊙ Z[dst[k]] ([n, d], the
 * Hadamard product an MLP decoder reads) or its row sum ([n, 1], the dot
 * product decoder), without the two gathered [n, d] copies; backward scatters
 * into both rows. The indices are copied.
 */
PhiliaTensor *philia_op_pair_product     (PhiliaTape *tape, PhiliaTensor *z, const gint32 *src,
                                          const gint32 *dst, guint n);
PhiliaTensor *philia_op_pair_dot         (PhiliaTape *tape, PhiliaTensor *z, const gint32 *src,
                                          const gint32 *dst, guint n);
/* Mean binary cross-entropy of logits [n, 1] against @targets (n values in
 * [0, 1]), computed stably; 1 × 1, NaN for n = 0. */
PhiliaTensor *philia_op_bce_logits       (PhiliaTape *tape, PhiliaTensor *logits,
                                          const float *targets);

/* Optimisers. Weight decay adds decay·θ to the gradient (PyTorch's convention). */
typedef enum
{
  PHILIA_OPTIMIZER_ADAM,
  PHILIA_OPTIMIZER_SGD,
} PhiliaOptimizerKind;

typedef struct _PhiliaOptimizer PhiliaOptimizer;

PhiliaOptimizer *philia_optimizer_new    (PhiliaOptimizerKind  kind,
                                          float                lr,
                                          float                weight_decay);
/* @decay: whether weight decay applies to this parameter (Kipf & Welling decay layer 1 only). */
void             philia_optimizer_add    (PhiliaOptimizer     *optimizer,
                                          PhiliaTensor        *parameter,
                                          gboolean             decay);
/* Applies one step and zeroes the gradients. Parameters without a gradient are skipped. */
void             philia_optimizer_step   (PhiliaOptimizer     *optimizer);
void             philia_optimizer_free   (PhiliaOptimizer     *optimizer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaTensor, philia_tensor_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaSparse, philia_sparse_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaTape, philia_tape_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaOptimizer, philia_optimizer_free)

G_END_DECLS
