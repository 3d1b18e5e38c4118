/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The optimisers, Adam and SGD (HACKING.md §7). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-tape-private.h"

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

/* One Adam step over @n parameters, the gradient zeroed in the same pass
 * (not a second pass over a buffer as large as the parameters). */
static void
adam_update (float *restrict p,
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
      float g = grad[i] + wd * p[i];

      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      p[i] -= step * m[i] / (sqrtf (v[i]) / sbc2 + eps);
      grad[i] = 0;
    }
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
      gsize n = tensor_size (p);

      if (p->grad == NULL)
        continue;
      if (o->kind == PHILIA_OPTIMIZER_SGD)
        for (gsize i = 0; i < n; i++)
          p->data[i] -= o->lr * (p->grad[i] + wd * p->data[i]);
      else
        {
          /* PyTorch's Adam: the step is lr/bc1 · m / (√v / √bc2 + eps). */
          adam_update (p->data, p->grad, slot->m, slot->v, n, wd, o->beta1, o->beta2,
                       (float)(o->lr / bc1), (float)sqrt (bc2), o->eps);
          continue;
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
