/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The training loop's evaluation pass and what it counts (HACKING.md §7). */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"
#include "philia-autograd-private.h"
#include "philia-simd-private.h"
#include "philia-ops-narrow-private.h"
#include "philia-train-eval-private.h"

#include <string.h>

/* Rows counted at a time (the validation loss's terms of a chunk are
 * gathered first). */
#define EVAL_CHUNK 256

/* The masks' hits and counts over @rows rows, without a branch: a random
 * split's masks and a row's argmax against its label defeat branch
 * prediction (the branchy loop took about 10 ns a row at 10^6 rows,
 * tests/bench/GRID.md, session 20); as 0/1 lanes the loop vectorises. */
PHILIA_VECTORIZE static void
count_masks (const gint32 *restrict labels,
             const gint32 *restrict best,
             const guint8 *restrict m0,
             const guint8 *restrict m1,
             const guint8 *restrict m2,
             guint                  rows,
             gint64                *hit,
             gint64                *total)
{
  gint32 h0 = 0, h1 = 0, h2 = 0, t0 = 0, t1 = 0, t2 = 0;

  for (guint i = 0; i < rows; i++)
    {
      gint32 ok = labels[i] >= 0, good = ok & (best[i] == labels[i]);
      gint32 a = m0[i] != 0, b = m1[i] != 0, c = m2[i] != 0;

      t0 += ok & a;
      h0 += good & a;
      t1 += ok & b;
      h1 += good & b;
      t2 += ok & c;
      h2 += good & c;
    }
  hit[0] += h0;
  hit[1] += h1;
  hit[2] += h2;
  total[0] += t0;
  total[1] += t1;
  total[2] += t2;
}

/* PhiliaEvalBlockFunc: the argmax of each row into the predictions, the
 * masks' counts, and the validation loss's terms subtracted in row order
 * (philia_op_nll ()'s double sum): a row not in it subtracts nothing, so
 * its value is gathered without a branch and the sum takes only the
 * gathered ones. */
static void
eval_count_rows (const float  *logp,
                 const gint32 *best,
                 guint         r0,
                 guint         rows,
                 guint         c,
                 gpointer      data)
{
  PhiliaEvalCounts *e = data;
  const gint32 *labels = e->labels + r0;
  const guint8 *val = e->masks[1] + r0;

  if (e->predictions)
    memcpy (e->predictions + r0, best, sizeof (gint32) * rows);
  for (guint i0 = 0; i0 < rows; i0 += EVAL_CHUNK)
    {
      guint n = MIN (EVAL_CHUNK, rows - i0), m = 0;
      float terms[EVAL_CHUNK];

      count_masks (labels + i0, best + i0, e->masks[0] + r0 + i0, val + i0,
                   e->masks[2] + r0 + i0, n, e->hit, e->total);
      for (guint i = i0; i < i0 + n; i++)
        {
          terms[m] = logp[(gsize)i * c + MIN ((guint)labels[i], c - 1)];
          m += labels[i] >= 0 && val[i] != 0;
        }
      for (guint t = 0; t < m; t++)
        e->val_sum -= terms[t];
      e->val_count += m;
    }
}

/* philia-train-eval-private.h */
PhiliaTensor *
_philia_eval_forward (PhiliaTape              *tape,
                      const PhiliaModelVTable *vtable,
                      gpointer                 model,
                      PhiliaModelContext      *ctx,
                      PhiliaEvalCounts        *counts)
{
  PhiliaRng ctx_rng = ctx->rng, tape_rng = *philia_tape_get_rng (tape);
  PhiliaTensor *out, *logp;
  gboolean misused;

  philia_tape_reset (tape);
  philia_tape_set_training (tape, FALSE);
  for (guint i = 0; i < ctx->parameters->len; i++)
    ((PhiliaTensor *)g_ptr_array_index (ctx->parameters, i))->requires_grad = FALSE;
  _philia_tape_defer_output (tape, TRUE);
  out = vtable->forward (model, ctx, tape);
  _philia_tape_defer_output (tape, FALSE);
  logp = _philia_op_output_log_softmax (tape, out, counts != NULL ? eval_count_rows : NULL,
                                        counts, &misused);
  if (logp == NULL)
    {
      if (misused)
        {
          g_critical ("A model computed on its deferred output layer; running its forward "
                      "pass again without deferring.");
          philia_tape_reset (tape);
          ctx->rng = ctx_rng;
          *philia_tape_get_rng (tape) = tape_rng;
          out = vtable->forward (model, ctx, tape);
        }
      logp = philia_op_log_softmax (tape, out);
      if (counts != NULL && logp->rows > 0 && logp->cols > 0)
        {
          gint32 best[EVAL_CHUNK];

          for (guint r0 = 0; r0 < logp->rows; r0 += EVAL_CHUNK)
            {
              guint rows = MIN (EVAL_CHUNK, logp->rows - r0);
              const float *block = logp->data + (gsize)r0 * logp->cols;

              _philia_rows_argmax (best, block, rows, logp->cols);
              eval_count_rows (block, best, r0, rows, logp->cols, counts);
            }
        }
    }
  for (guint i = 0; i < ctx->parameters->len; i++)
    ((PhiliaTensor *)g_ptr_array_index (ctx->parameters, i))->requires_grad = TRUE;
  return logp;
}
