/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "autograd-test-util.h"
#include "philia-ops-gat-private.h"

/* A rows × cols tensor of values drawn uniformly from [−scale, scale),
 * zeros included: for the fused ops' tests, which compare two paths on the
 * same inputs rather than against finite differences. */
PhiliaTensor *
uniform_tensor (guint      rows,
                guint      cols,
                float      scale,
                PhiliaRng *rng)
{
  PhiliaTensor *t = philia_tensor_new (rows, cols);

  for (gsize i = 0; i < philia_tensor_size (t); i++)
    t->data[i] = scale * (2 * philia_rng_float (rng) - 1);
  return t;
}

void
fill (PhiliaTensor *t,
      PhiliaRng    *rng,
      float         lo,
      float         hi)
{
  for (gsize i = 0; i < philia_tensor_size (t); i++)
    {
      float x;

      do
        x = lo + (hi - lo) * philia_rng_float (rng);
      while (fabsf (x) < 0.05f);
      t->data[i] = x;
    }
}

static double
objective (PhiliaTape   *tape,
           BuildFunc     build,
           PhiliaTensor **in,
           gpointer      data,
           const float  *r,
           gsize        *n_out)
{
  PhiliaTensor *out;
  double sum = 0;

  philia_tape_reset (tape);
  philia_rng_init (philia_tape_get_rng (tape), 7);
  out = build (tape, in, data);
  for (gsize i = 0; i < philia_tensor_size (out); i++)
    sum += (double)out->data[i] * r[i];
  *n_out = philia_tensor_size (out);
  return sum;
}

void
check_gradients (const char    *name,
                 BuildFunc      build,
                 PhiliaTensor **in,
                 guint          n_in,
                 gpointer       data,
                 double         tolerance)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  g_autofree float *r = NULL;
  PhiliaRng rng;
  PhiliaTensor *out;
  gsize n_out;
  double worst = 0;

  philia_rng_init (&rng, 99);
  philia_rng_init (philia_tape_get_rng (tape), 7);
  out = build (tape, in, data);
  n_out = philia_tensor_size (out);
  r = g_new (float, MAX (n_out, 1));
  for (gsize i = 0; i < n_out; i++)
    r[i] = 2 * philia_rng_float (&rng) - 1;
  for (guint k = 0; k < n_in; k++)
    philia_tensor_zero_grad (in[k]);
  philia_tape_backward_from (tape, out, r);

  for (guint k = 0; k < n_in; k++)
    {
      g_autofree float *analytic = NULL;

      if (!in[k]->requires_grad)
        continue;
      g_assert_nonnull (in[k]->grad);
      analytic = g_memdup2 (in[k]->grad, sizeof (float) * philia_tensor_size (in[k]));
      for (gsize i = 0; i < philia_tensor_size (in[k]); i++)
        {
          float saved = in[k]->data[i];
          float h = 1e-2f * MAX (1.0f, fabsf (saved));
          double plus, minus, numeric, err;
          gsize m;

          in[k]->data[i] = saved + h;
          plus = objective (tape, build, in, data, r, &m);
          in[k]->data[i] = saved - h;
          minus = objective (tape, build, in, data, r, &m);
          in[k]->data[i] = saved;
          numeric = (plus - minus) / (((double)(saved + h)) - ((double)(saved - h)));
          err = fabs (numeric - analytic[i]) / MAX (1.0, fabs (numeric));
          worst = MAX (worst, err);
          if (err > tolerance)
            g_error ("%s: input %u element %" G_GSIZE_FORMAT ": analytic %g, numeric %g",
                     name, k, i, analytic[i], numeric);
        }
    }
  g_test_message ("%s: worst relative error %.2e", name, worst);
  philia_tape_reset (tape);
}

PhiliaTensor *
param (guint      rows,
       guint      cols,
       PhiliaRng *rng)
{
  PhiliaTensor *t = philia_tensor_new (rows, cols);

  fill (t, rng, -1, 1);
  t->requires_grad = TRUE;
  return t;
}

/* A small directed-looking (unsymmetric) sparse matrix with an empty row. */
PhiliaSparse *
small_sparse (guint rows,
              guint cols,
              PhiliaRng *rng)
{
  g_autofree float *dense = g_new0 (float, rows * cols);

  for (guint i = 0; i < rows; i++)
    for (guint j = 0; j < cols; j++)
      if (i != 2 && (philia_rng_float (rng) < 0.4f || i == j))
        dense[i * cols + j] = 0.25f + philia_rng_float (rng);
  return philia_sparse_new_from_dense (dense, rows, cols);
}

/* A copy of @n floats (at least one, so that an empty tensor still gives a
 * pointer to compare). */
float *
copy_floats (const float *p,
             gsize        n)
{
  return g_memdup2 (p, sizeof (float) * MAX (n, 1));
}

/* The output @o and weights @alpha (@weights of them), then, backward from
 * @r, the three inputs' gradients. */
GatRun
gat_run_capture (PhiliaTape    *tape,
                 PhiliaTensor  *o,
                 PhiliaTensor  *alpha,
                 gsize          weights,
                 PhiliaTensor **in,
                 const float   *r)
{
  GatRun run;

  run.out = copy_floats (o->data, philia_tensor_size (o));
  run.alpha = copy_floats (alpha->data, weights);
  philia_tape_backward_from (tape, o, r);
  run.gwx = copy_floats (in[0]->grad, philia_tensor_size (in[0]));
  run.gs = copy_floats (in[1]->grad, philia_tensor_size (in[1]));
  run.gd = copy_floats (in[2]->grad, philia_tensor_size (in[2]));
  return run;
}

void
gat_run_free (GatRun *r)
{
  g_free (r->out);
  g_free (r->alpha);
  g_free (r->gwx);
  g_free (r->gs);
  g_free (r->gd);
}

/* GAT's fused op on @in (wx through an exact copy op when @via_op, so that
 * its gradient is written outright rather than added to), tape seed 5,
 * training with attention dropout @p, backward from @r. */
GatRun
gat_attend_run (PhiliaTape    *tape,
                PhiliaSparse  *s,
                PhiliaTensor **in,
                gboolean       via_op,
                float          p,
                const float   *r)
{
  PhiliaTensor *o, *alpha, *wx;

  philia_tape_reset (tape);
  philia_tape_set_training (tape, TRUE);
  philia_rng_init (philia_tape_get_rng (tape), 5);
  for (guint k = 0; k < 3; k++)
    philia_tensor_zero_grad (in[k]);
  wx = via_op ? philia_op_scale (tape, in[0], 1.0f) : in[0];
  o = _philia_op_gat_attend (tape, s, wx, in[1], in[2], 0.2f, p, &alpha);
  return gat_run_capture (tape, o, alpha, (gsize)s->nnz * in[1]->cols, in, r);
}
