/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The optimisers, Adam and SGD (HACKING.md §7). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-cost-private.h"
#include "philia-tape-private.h"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
# include <immintrin.h>
# define ADAM_AVX 1
#endif

#include <math.h>
#include <string.h>

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
  gsize n = tensor_size (parameter);

  g_return_if_fail (optimizer != NULL && parameter != NULL);

  parameter->requires_grad = TRUE;
  if (optimizer->kind == PHILIA_OPTIMIZER_ADAM)
    {
      slot.m = g_new0 (float, MAX (n, 1));
      slot.v = g_new0 (float, MAX (n, 1));
    }
  g_array_append_val (optimizer->slots, slot);
}

/* One Adam update of @n parameters, the gradient cleared as it is read. */
static void
adam_update (float *restrict data,
             float *restrict grad,
             float *restrict m,
             float *restrict v,
             gsize           n,
             float           wd,
             float           beta1,
             float           beta2,
             float           step,
             float           sbc2,
             float           eps)
{
  for (gsize i = 0; i < n; i++)
    {
      float g = grad[i] + wd * data[i];

      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      data[i] -= step * m[i] / (sqrtf (v[i]) / sbc2 + eps);
      grad[i] = 0;
    }
}

/* All bits set, read through a volatile: the dry pass below stores back what
 * it loaded, selected by this mask, and the compiler cannot see that the
 * update it computed is thrown away, so it keeps the arithmetic and the
 * stores. */
static volatile guint32 dry_keep = 0xffffffffu;

static inline float
keep_old (float    updated,
          float    old,
          guint32  keep)
{
  union { float f; guint32 u; } a = { updated }, b = { old };

  a.u = (a.u & ~keep) | (b.u & keep);
  return a.f;
}

/* The thread choice's dry pass of adam_update (): the same loads, the same
 * arithmetic and the same stores, but each store writes back the value it
 * replaces, and the gradient is cleared. So a trial step costs what a step
 * costs and changes nothing but the gradients. (It used to sum what it read
 * in one float, a chain of dependent additions the compiler may not
 * reorder: 2.5 times the update's time on one thread, a bias towards
 * splitting; tests/bench/GRID.md, session 18.) */
static void
adam_dry (float *restrict data,
          float *restrict grad,
          float *restrict m,
          float *restrict v,
          gsize           n,
          float           wd,
          float           beta1,
          float           beta2,
          float           step,
          float           sbc2,
          float           eps)
{
  guint32 keep = dry_keep;

  for (gsize i = 0; i < n; i++)
    {
      float g = grad[i] + wd * data[i];
      float mi = beta1 * m[i] + (1 - beta1) * g;
      float vi = beta2 * v[i] + (1 - beta2) * g * g;

      data[i] = keep_old (data[i] - step * mi / (sqrtf (vi) / sbc2 + eps), data[i], keep);
      m[i] = keep_old (mi, m[i], keep);
      v[i] = keep_old (vi, v[i], keep);
      grad[i] = 0;
    }
}

#ifdef ADAM_AVX
/* The same eight at a time. GCC leaves the loop above scalar whatever the
 * flags of the function (sqrtf may set errno, so it stays a call), and the
 * divisions and square roots one at a time were an eighth of a GCN epoch on
 * 1,500 features at width 256. The same operations in the same order, each
 * rounded once as in the scalar loop (no fused multiply-add; vsqrtps and
 * vdivps round correctly, as their scalar forms do): the same bits. */
__attribute__ ((target ("avx"))) static void
adam_update_avx (float *restrict data,
                 float *restrict grad,
                 float *restrict m,
                 float *restrict v,
                 gsize           n,
                 float           wd,
                 float           beta1,
                 float           beta2,
                 float           step,
                 float           sbc2,
                 float           eps)
{
  __m256 vwd = _mm256_set1_ps (wd), vb1 = _mm256_set1_ps (beta1), vb2 = _mm256_set1_ps (beta2);
  __m256 vc1 = _mm256_set1_ps (1 - beta1), vc2 = _mm256_set1_ps (1 - beta2);
  __m256 vstep = _mm256_set1_ps (step), vsbc2 = _mm256_set1_ps (sbc2);
  __m256 veps = _mm256_set1_ps (eps);
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      __m256 p = _mm256_loadu_ps (data + i);
      __m256 g = _mm256_add_ps (_mm256_loadu_ps (grad + i), _mm256_mul_ps (vwd, p));
      __m256 mi = _mm256_add_ps (_mm256_mul_ps (vb1, _mm256_loadu_ps (m + i)),
                                 _mm256_mul_ps (vc1, g));
      __m256 vi = _mm256_add_ps (_mm256_mul_ps (vb2, _mm256_loadu_ps (v + i)),
                                 _mm256_mul_ps (_mm256_mul_ps (vc2, g), g));
      __m256 denominator = _mm256_add_ps (_mm256_div_ps (_mm256_sqrt_ps (vi), vsbc2), veps);

      _mm256_storeu_ps (m + i, mi);
      _mm256_storeu_ps (v + i, vi);
      _mm256_storeu_ps (data + i,
                        _mm256_sub_ps (p, _mm256_div_ps (_mm256_mul_ps (vstep, mi), denominator)));
      _mm256_storeu_ps (grad + i, _mm256_setzero_ps ());
    }
  adam_update (data + i, grad + i, m + i, v + i, n - i, wd, beta1, beta2, step, sbc2, eps);
}

/* adam_dry () eight at a time, as adam_update_avx () is adam_update (). */
__attribute__ ((target ("avx"))) static void
adam_dry_avx (float *restrict data,
              float *restrict grad,
              float *restrict m,
              float *restrict v,
              gsize           n,
              float           wd,
              float           beta1,
              float           beta2,
              float           step,
              float           sbc2,
              float           eps)
{
  __m256 vwd = _mm256_set1_ps (wd), vb1 = _mm256_set1_ps (beta1), vb2 = _mm256_set1_ps (beta2);
  __m256 vc1 = _mm256_set1_ps (1 - beta1), vc2 = _mm256_set1_ps (1 - beta2);
  __m256 vstep = _mm256_set1_ps (step), vsbc2 = _mm256_set1_ps (sbc2);
  __m256 veps = _mm256_set1_ps (eps);
  __m256 keep = _mm256_castsi256_ps (_mm256_set1_epi32 ((int)dry_keep));
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      __m256 p = _mm256_loadu_ps (data + i);
      __m256 m0 = _mm256_loadu_ps (m + i), v0 = _mm256_loadu_ps (v + i);
      __m256 g = _mm256_add_ps (_mm256_loadu_ps (grad + i), _mm256_mul_ps (vwd, p));
      __m256 mi = _mm256_add_ps (_mm256_mul_ps (vb1, m0), _mm256_mul_ps (vc1, g));
      __m256 vi = _mm256_add_ps (_mm256_mul_ps (vb2, v0),
                                 _mm256_mul_ps (_mm256_mul_ps (vc2, g), g));
      __m256 denominator = _mm256_add_ps (_mm256_div_ps (_mm256_sqrt_ps (vi), vsbc2), veps);
      __m256 pi = _mm256_sub_ps (p, _mm256_div_ps (_mm256_mul_ps (vstep, mi), denominator));

      _mm256_storeu_ps (m + i, _mm256_blendv_ps (mi, m0, keep));
      _mm256_storeu_ps (v + i, _mm256_blendv_ps (vi, v0, keep));
      _mm256_storeu_ps (data + i, _mm256_blendv_ps (pi, p, keep));
      _mm256_storeu_ps (grad + i, _mm256_setzero_ps ());
    }
  adam_dry (data + i, grad + i, m + i, v + i, n - i, wd, beta1, beta2, step, sbc2, eps);
}
#endif

/* One parameter's Adam update over a block of its rows (the tape may split
 * the rows between threads: each element is updated alone, so any split
 * gives the same bits). A dry pass does the update's work and keeps only
 * the cleared gradient (adam_dry ()): the thread choice's trial steps time
 * it in place of the step they must not take. */
typedef struct
{
  float   *data, *grad, *m, *v;
  gsize    cols;
  float    wd, beta1, beta2, step, sbc2, eps;
  gboolean dry;
} AdamJob;

static void
adam_rows (gpointer data,
           guint    begin,
           guint    end)
{
  AdamJob *job = data;
  gsize first = (gsize)begin * job->cols, n = (gsize)(end - begin) * job->cols;

  if (job->dry)
    {
#ifdef ADAM_AVX
      if (__builtin_cpu_supports ("avx"))
        {
          adam_dry_avx (job->data + first, job->grad + first, job->m + first, job->v + first,
                        n, job->wd, job->beta1, job->beta2, job->step, job->sbc2, job->eps);
          return;
        }
#endif
      adam_dry (job->data + first, job->grad + first, job->m + first, job->v + first, n,
                job->wd, job->beta1, job->beta2, job->step, job->sbc2, job->eps);
      return;
    }
#ifdef ADAM_AVX
  if (__builtin_cpu_supports ("avx"))
    {
      adam_update_avx (job->data + first, job->grad + first, job->m + first, job->v + first, n,
                       job->wd, job->beta1, job->beta2, job->step, job->sbc2, job->eps);
      return;
    }
#endif
  adam_update (job->data + first, job->grad + first, job->m + first, job->v + first, n, job->wd,
               job->beta1, job->beta2, job->step, job->sbc2, job->eps);
}

static void
optimizer_step (PhiliaOptimizer *o,
                PhiliaTape      *tape,
                gboolean         dry)
{
  double bc1, bc2;

  if (!dry)
    o->t++;
  bc1 = 1.0 - pow (o->beta1, (double)MAX (o->t, 1));
  bc2 = 1.0 - pow (o->beta2, (double)MAX (o->t, 1));
  for (guint k = 0; k < o->slots->len; k++)
    {
      Slot *slot = &g_array_index (o->slots, Slot, k);
      PhiliaTensor *p = slot->p;
      float wd = slot->decay ? o->weight_decay : 0.0f;
      gsize n = tensor_size (p);

      if (p->grad == NULL)
        continue;
      if (o->kind == PHILIA_OPTIMIZER_SGD)
        {
          if (dry)
            {
              philia_tensor_zero_grad (p);
              continue;
            }
          for (gsize i = 0; i < n; i++)
            p->data[i] -= o->lr * (p->grad[i] + wd * p->data[i]);
        }
      else
        {
          /* PyTorch's Adam: the step is lr/bc1 · m / (√v / √bc2 + eps). */
          AdamJob job = { p->data, p->grad, slot->m, slot->v, (gsize)MAX (p->cols, 1), wd,
                          o->beta1, o->beta2, (float)(o->lr / bc1), (float)sqrt (bc2), o->eps,
                          dry };
          guint rows = (guint)(n / job.cols);

          /* The gradients of a split op's rows are in the other thread's
           * cache: updating them there spares fetching them (an MLP of width
           * 256 over 8,000 words: 1.1 ms a step after one thread, 1.8–2.1
           * after two, unsplit; tests/bench/GRID.md, session 17). Eight
           * floats of memory an element. */
          if (tape != NULL)
            _philia_tape_parallel_rows_cost (tape, rows, NULL, 0, 32.0 * (double)n, adam_rows,
                                             &job);
          else
            adam_rows (&job, 0, rows);
          continue;
        }
      philia_tensor_zero_grad (p);
    }
}

void
philia_optimizer_step (PhiliaOptimizer *o)
{
  g_return_if_fail (o != NULL);

  optimizer_step (o, NULL, FALSE);
}

void
_philia_optimizer_step_on (PhiliaOptimizer *o,
                           PhiliaTape      *tape)
{
  g_return_if_fail (o != NULL);

  optimizer_step (o, tape, FALSE);
}

void
_philia_optimizer_trial_step (PhiliaOptimizer *o,
                              PhiliaTape      *tape)
{
  g_return_if_fail (o != NULL);

  optimizer_step (o, tape, TRUE);
}

void
philia_optimizer_free (PhiliaOptimizer *optimizer)
{
  if (optimizer == NULL)
    return;
  g_array_unref (optimizer->slots);
  g_free (optimizer);
}
