/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Issue 20: the machine's ceilings and how near Philia's products get to
 * them at the widths models use. Ceilings: OpenBLAS sgemm on 2048² (GFLOP/s)
 * and a STREAM-style triad a = b + s c over three 64 MiB arrays (GB/s, the
 * three arrays' bytes, as STREAM counts). Products, forward and backward:
 * philia_op_matmul of a 20,000 × K hidden layer by K × W, and philia_op_spmm
 * of a random sparse matrix (a 11,758-row one of degree 88, the shape of a
 * crowd-worker graph, whose X stays in cache, and a 200,000-row one of
 * degree 10, whose X does not) by an N × W matrix, for W = 16, 64, 256, 512.
 * The sparse products count the bytes they must move: index and value per
 * entry, the gathered row of X per entry, the output row per row.
 * Usage: bench-kernels [THREADS...] (default 1 2). Prints "KERNEL name
 * threads value unit fraction" lines, the fraction of the ceiling. Times
 * are process CPU time over the thread count (see now ()).
 */
#include "config.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "philia-core.h"
#include "bench-util.h"

static int timing_threads = 1;

/* The process's CPU seconds over the threads it runs: wall time on an idle
 * machine, and far less disturbed than wall time on a shared, loaded one
 * (a helper on two cores beside other jobs). */
static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (ts.tv_sec + ts.tv_nsec / 1e9) / timing_threads;
}

typedef struct
{
  float       *a;
  const float *b, *c;
  gsize        n;
} Triad;

static gpointer
triad_part (gpointer data)
{
  Triad *t = data;

  for (gsize i = 0; i < t->n; i++)
    t->a[i] = t->b[i] + 3.0f * t->c[i];
  return NULL;
}

static double
bench_triad (int threads)
{
  gsize n = (gsize)16 << 20;
  g_autofree float *a = g_new (float, n), *b = g_new (float, n), *c = g_new (float, n);
  double best;

  for (gsize i = 0; i < n; i++)
    a[i] = 0, b[i] = 1, c[i] = 2;
  BEST_OF (8, best, {
    Triad parts[2] = { { a, b, c, n / threads },
                       { a + n / 2, b + n / 2, c + n / 2, n - n / 2 } };

    if (threads == 1)
      triad_part (&parts[0]);
    else
      {
        GThread *other = g_thread_new ("triad", triad_part, &parts[1]);

        triad_part (&parts[0]);
        g_thread_join (other);
      }
  });
  return 3.0 * sizeof (float) * n / best / 1e9;
}

static double
bench_sgemm (void)
{
  int n = 2048;
  g_autofree float *a = g_new (float, (gsize)n * n), *b = g_new (float, (gsize)n * n);
  g_autofree float *c = g_new (float, (gsize)n * n);
  double best;

  for (gsize i = 0; i < (gsize)n * n; i++)
    a[i] = (float)(i % 7) / 7, b[i] = (float)(i % 5) / 5;
  BEST_OF (5, best, cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n,
                                 b, n, 0.0f, c, n));
  return 2.0 * n * n * n / best / 1e9;
}

static PhiliaSparse *
random_matrix (guint      n,
               guint      degree,
               PhiliaRng *rng)
{
  gint64 *off = g_new (gint64, n + 1);
  gint32 *col = g_new (gint32, (gsize)n * degree);
  float *val = g_new (float, (gsize)n * degree);

  for (guint i = 0; i <= n; i++)
    off[i] = (gint64)i * degree;
  for (gsize e = 0; e < (gsize)n * degree; e++)
    {
      col[e] = philia_rng_below (rng, n);
      val[e] = 0.5f + philia_rng_float (rng);
    }
  return philia_sparse_new (n, n, off, col, val);
}

static PhiliaTensor *
random_tensor (guint      rows,
               guint      cols,
               PhiliaRng *rng)
{
  PhiliaTensor *t = philia_tensor_new (rows, cols);

  for (gsize i = 0; i < philia_tensor_size (t); i++)
    t->data[i] = philia_rng_float (rng) - 0.5f;
  t->requires_grad = TRUE;
  return t;
}

static void
bench_products (int    threads,
                double peak,
                double triad)
{
  static const guint widths[] = { 16, 64, 256, 512 };
  g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
  PhiliaRng rng;
  struct { const char *name; guint n, degree; } shapes[] = {
    { "n11758-deg88", 11758, 88 }, { "n200k-deg10", 200000, 10 } };

  philia_rng_init (&rng, 20);
  for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
    {
      guint w = widths[k], n = 20000, inner = 256;
      g_autoptr(PhiliaTensor) x = random_tensor (n, inner, &rng);
      g_autoptr(PhiliaTensor) wt = random_tensor (inner, w, &rng);
      g_autofree float *dout = g_new (float, (gsize)n * w);
      double fwd, bwd, flops = 2.0 * n * inner * w;

      for (gsize i = 0; i < (gsize)n * w; i++)
        dout[i] = 0.001f;
      BEST_OF (10, fwd, { philia_op_matmul (tape, x, wt); philia_tape_reset (tape); });
      bwd = 1e9;
      for (int run = 0; run < 10; run++)
        {
          PhiliaTensor *out = philia_op_matmul (tape, x, wt);
          double t0 = now ();

          /* The gradients stay allocated across runs (added to, not fresh pages). */
          philia_tape_backward_from (tape, out, dout);
          bwd = MIN (bwd, now () - t0);
          philia_tape_reset (tape);
        }
      printf ("KERNEL matmul-%ux%u·%ux%u-forward %d %.2f GFLOP/s %.2f\n", n, inner, inner, w,
              threads, flops / fwd / 1e9, flops / fwd / 1e9 / peak);
      printf ("KERNEL matmul-%ux%u·%ux%u-backward %d %.2f GFLOP/s %.2f\n", n, inner, inner, w,
              threads, 2 * flops / bwd / 1e9, 2 * flops / bwd / 1e9 / peak);
    }
  for (guint g = 0; g < G_N_ELEMENTS (shapes); g++)
    {
      g_autoptr(PhiliaSparse) s = random_matrix (shapes[g].n, shapes[g].degree, &rng);

      for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
        {
          guint w = widths[k], n = shapes[g].n;
          g_autoptr(PhiliaTensor) x = random_tensor (n, w, &rng);
          g_autofree float *dout = g_new (float, (gsize)n * w);
          double fwd, bwd, bytes = (double)s->nnz * (8 + 4.0 * w) + 4.0 * n * w;

          for (gsize i = 0; i < (gsize)n * w; i++)
            dout[i] = 0.001f;
          x->requires_grad = FALSE;
          BEST_OF (6, fwd, { philia_op_spmm (tape, s, NULL, x); philia_tape_reset (tape); });
          x->requires_grad = TRUE;
          bwd = 1e9;
          for (int run = 0; run < 6; run++)
            {
              PhiliaTensor *out = philia_op_spmm (tape, s, NULL, x);
              double t0 = now ();

              philia_tape_backward_from (tape, out, dout);
              bwd = MIN (bwd, now () - t0);
              philia_tape_reset (tape);
            }
          printf ("KERNEL spmm-%s-nnz%" G_GINT64_FORMAT "x%u-forward %d %.2f GB/s %.2f\n",
                  shapes[g].name, s->nnz, w, threads, bytes / fwd / 1e9, bytes / fwd / 1e9 / triad);
          /* Backward: the same entries through the transpose, plus reading
           * the gradient it adds to. */
          bytes += 4.0 * n * w;
          printf ("KERNEL spmm-%s-nnz%" G_GINT64_FORMAT "x%u-backward %d %.2f GB/s %.2f\n",
                  shapes[g].name, s->nnz, w, threads, bytes / bwd / 1e9, bytes / bwd / 1e9 / triad);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  int threads[8] = { 1, 2 }, n_threads = 2;

  if (argc > 1)
    {
      n_threads = MIN (argc - 1, 8);
      for (int i = 0; i < n_threads; i++)
        threads[i] = CLAMP (atoi (argv[i + 1]), 1, 2);
    }
  for (int i = 0; i < n_threads; i++)
    {
      double peak, triad;

      openblas_set_num_threads (threads[i]);
      timing_threads = threads[i];
      peak = bench_sgemm ();
      triad = bench_triad (threads[i]);
      printf ("KERNEL sgemm-2048 %d %.2f GFLOP/s 1.00\n", threads[i], peak);
      printf ("KERNEL triad-3x64MiB %d %.2f GB/s 1.00\n", threads[i], triad);
      fflush (stdout);
      bench_products (threads[i], peak, triad);
      fflush (stdout);
    }
  return 0;
}
