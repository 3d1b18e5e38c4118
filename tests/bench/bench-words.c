/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Issue 20: the four wide sparse products of a GCN layer on bag-of-words
 * features, each timed alone (best of REPS by process CPU time): X W with
 * half of X's entries dropped (dropout on sparse input), its weight
 * gradient Xᵀ dZ over the same kept entries, Â H and Âᵀ dH. X is N × F with
 * K words a row (values 1/K), Â N × N with D entries a row, H of width W.
 * Usage: bench-words N F K W D [REPS], e.g. 2708 1500 20 256 5 (the grid's
 * 1,500-word graph at hidden width 256).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "philia-core.h"
#include "bench-util.h"

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* @n rows of @k sorted columns below @f, spread over the row's @k strides. */
static PhiliaSparse *
words (guint      n,
       guint      f,
       guint      k,
       PhiliaRng *rng)
{
  gint64 *off = g_new (gint64, n + 1);
  gint32 *col = g_new (gint32, (gsize)n * k);
  float *val = g_new (float, (gsize)n * k);
  gint64 e = 0;

  for (guint i = 0; i < n; i++)
    {
      guint start = philia_rng_below (rng, f);

      off[i] = e;
      for (guint j = 0; j < k; j++)
        {
          col[e] = (start + j * (f / k) + philia_rng_below (rng, MAX (f / k, 1))) % f;
          val[e++] = 1.0f / k;
        }
      for (gint64 a = off[i]; a < e; a++)
        for (gint64 b = a + 1; b < e; b++)
          if (col[b] < col[a])
            {
              gint32 c = col[a];

              col[a] = col[b];
              col[b] = c;
            }
    }
  off[n] = e;
  return philia_sparse_new (n, f, off, col, val);
}

/* One product S·X and its backward pass on @tape, the fastest of each kept
 * in @best[0] (forward) and @best[1] (backward). */
static void
time_spmm (PhiliaTape   *tape,
           PhiliaSparse *s,
           PhiliaTensor *values,
           PhiliaTensor *x,
           const float  *dout,
           double       *best)
{
  PhiliaTensor *out;
  double t0, t1, t2;

  t0 = now ();
  out = philia_op_spmm (tape, s, values, x);
  t1 = now ();
  philia_tape_backward_from (tape, out, dout);
  t2 = now ();
  philia_tape_reset (tape);
  best[0] = MIN (best[0], t1 - t0);
  best[1] = MIN (best[1], t2 - t1);
}

int
main (int    argc,
      char **argv)
{
  guint n, f, k, w, deg;
  int reps;
  PhiliaRng rng;
  g_autoptr(PhiliaSparse) x = NULL, a = NULL;
  g_autoptr(PhiliaTensor) wt = NULL, h = NULL;
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  g_autofree float *dout = NULL, *kept = NULL;
  double best[4] = { 1e9, 1e9, 1e9, 1e9 };

  if (argc < 6)
    {
      fprintf (stderr, "usage: bench-words N F K W D [REPS]\n");
      return 2;
    }
  n = atoi (argv[1]);
  f = atoi (argv[2]);
  k = atoi (argv[3]);
  w = atoi (argv[4]);
  deg = atoi (argv[5]);
  reps = argc > 6 ? atoi (argv[6]) : 50;
  philia_rng_init (&rng, 3);
  x = words (n, f, k, &rng);
  a = words (n, n, deg, &rng);
  wt = philia_tensor_new (f, w);
  h = philia_tensor_new (n, w);
  for (gsize i = 0; i < (gsize)f * w; i++)
    wt->data[i] = philia_rng_float (&rng) - 0.5f;
  for (gsize i = 0; i < (gsize)n * w; i++)
    h->data[i] = philia_rng_float (&rng) - 0.5f;
  dout = g_new (float, (gsize)n * w);
  for (gsize i = 0; i < (gsize)n * w; i++)
    dout[i] = 0.001f * (i % 7);
  kept = g_new (float, MAX (x->nnz, 1));
  for (gint64 e = 0; e < x->nnz; e++)
    kept[e] = philia_rng_float (&rng) < 0.5f ? 0 : 2.0f * x->values[e];
  wt->requires_grad = TRUE;
  h->requires_grad = TRUE;
  for (int r = 0; r < reps; r++)
    {
      PhiliaTensor *values = philia_tape_constant (tape, x->nnz, 1, kept);

      time_spmm (tape, x, values, wt, dout, best);
      time_spmm (tape, a, NULL, h, dout, best + 2);
    }
  /* The backward times include adding dOut into the output's gradient (one
   * pass over N × W floats). */
  printf ("X %u×%u nnz %" G_GINT64_FORMAT ", Â nnz %" G_GINT64_FORMAT ", width %u, load %.2f: "
          "X W (kept) %.1f µs, Xᵀ dZ %.1f µs, Â H %.1f µs, Âᵀ dH %.1f µs\n",
          n, f, x->nnz, a->nnz, w, bench_load_average (), best[0] * 1e6, best[1] * 1e6,
          best[2] * 1e6, best[3] * 1e6);
  return 0;
}
