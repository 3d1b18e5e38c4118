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
#endif

/* One parameter's Adam update over a block of its rows (the tape may split
 * the rows between threads: each element is updated alone, so any split
 * gives the same bits). A dry pass reads what the update reads and only
 * sets the gradient to zero: the thread choice's trial steps time it in
 * place of the step they must not take. */
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
      float sum = 0;

      for (gsize i = first; i < first + n; i++)
        {
          sum += job->data[i] + job->m[i] + job->v[i] + job->grad[i];
          job->grad[i] = 0;
        }
      /* A store the compiler must keep, so the reads stay; a local one,
       * so that the two halves never write the same place. */
      volatile float kept = sum;

      (void)kept;
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
