/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Issue 17: the floor of one link-predictor training epoch (forward,
 * backward and Adam step) of run-linkpred.sh's recipe, the lowest time any
 * implementation built on this machine's OpenBLAS can reach.
 *
 * For each encoder:decoder pair the epoch's work is listed term by term
 * from the graph's own sizes (n nodes, the training edges of the seeded
 * 85/5/10 split, the features' stored entries, hidden width 256, two
 * encoder layers, a two-layer MLP decoder): every dense product, forward and
 * both gradients, is timed as the cblas_sgemm call of its exact shape and
 * transposition at one thread (best of several runs, process CPU time, so
 * that a loaded machine disturbs it little); every other term (the sparse
 * products, the decoder's pair gathers and scatters, one fused pass each way
 * per activation, Adam's read of parameter, gradient and two moments and
 * write of three) is counted in the bytes it must move at least and priced
 * at the triad bandwidth measured at its working-set size, or at the sgemm
 * peak when its FLOPs cost more. The two sides of run-linkpred.sh do at
 * least this work; an implementation can only approach the sum from above.
 *
 * Usage: bench-linkpred-floor FILE.npz [SEED] (the split's sizes; default 0).
 * Prints "FLOOR" lines: dataset, recipe, GFLOP of the epoch, GFLOP in dense
 * products, their measured ms, the other terms' ms and the floor in ms,
 * and "SGEMM" lines with each product shape's measured rate.
 */
#include "config.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "philia-core.h"

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The peak seen over every product timed: the price of a FLOP that is not
 * in a dense product (a sparse product or a dot) when it costs more than its
 * bytes. */
static double sgemm_peak = 0;

/* Seconds of one cblas_sgemm (row-major) of C[m, n] = op(A) op(B), inner @k. */
static double
time_sgemm (gboolean ta,
            gboolean tb,
            int      m,
            int      n,
            int      k)
{
  gsize sa = (gsize)m * k, sb = (gsize)k * n, sc = (gsize)m * n;
  g_autofree float *a = g_new (float, MAX (sa, 1));
  g_autofree float *b = g_new (float, MAX (sb, 1));
  g_autofree float *c = g_new0 (float, MAX (sc, 1));
  double best = 1e9, flops = 2.0 * m * n * k;
  int runs = flops > 4e9 ? 3 : flops > 4e8 ? 6 : 12;

  for (gsize i = 0; i < sa; i++)
    a[i] = (float)(i % 7) / 7 - 0.5f;
  for (gsize i = 0; i < sb; i++)
    b[i] = (float)(i % 5) / 5 - 0.5f;
  for (int r = 0; r < runs; r++)
    {
      double t0 = now ();

      cblas_sgemm (CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                   m, n, k, 1.0f, a, ta ? m : k, b, tb ? k : n, 0.0f, c, n);
      best = MIN (best, now () - t0);
    }
  printf ("SGEMM %s%s m=%d n=%d k=%d %.1f GFLOP/s\n", ta ? "T" : "N", tb ? "T" : "N", m, n, k,
          flops / best / 1e9);
  sgemm_peak = MAX (sgemm_peak, flops / best);
  return best;
}

/* Triad bandwidth (bytes/s of three arrays) at a working set of about
 * @bytes: cache-resident tensors stream faster than memory-resident ones.
 * Measured once per power of two. */
static double
triad_bandwidth (double bytes)
{
  static double cache[40];
  int slot = 0;
  gsize n;

  while ((double)((gsize)1 << slot) < bytes && slot < 36)
    slot++;
  slot = MAX (slot, 16);
  if (cache[slot] > 0)
    return cache[slot];
  n = ((gsize)1 << slot) / (3 * sizeof (float));
  {
    g_autofree float *a = g_new (float, n), *b = g_new (float, n), *c = g_new (float, n);
    double best = 1e9;
    int runs = MAX (5, (int)(2e8 / (12.0 * n)));

    for (gsize i = 0; i < n; i++)
      a[i] = 0, b[i] = 1, c[i] = 2;
    for (int r = 0; r < runs; r++)
      {
        double t0 = now ();

        for (gsize i = 0; i < n; i++)
          a[i] = b[i] + 3.0f * c[i];
        best = MIN (best, now () - t0);
        /* Keeps the stores from being dropped. */
        if (a[r % n] < 0)
          printf ("?\n");
      }
    cache[slot] = 3.0 * sizeof (float) * n / best;
  }
  return cache[slot];
}

typedef struct
{
  double flops, gemm_flops, gemm_s, other_s;
} Epoch;

static void
gemm (Epoch   *e,
      gboolean ta,
      gboolean tb,
      int      m,
      int      n,
      int      k)
{
  e->flops += 2.0 * m * n * k;
  e->gemm_flops += 2.0 * m * n * k;
  e->gemm_s += time_sgemm (ta, tb, m, n, k);
}

/* A term priced by its bytes (the triad rate at its working set) or its
 * FLOPs (the sgemm peak), whichever costs more. */
static void
other (Epoch *e,
       double flops,
       double bytes,
       double working_set)
{
  double by_bytes = bytes / triad_bandwidth (working_set);
  double by_flops = flops / sgemm_peak;

  e->flops += flops;
  e->other_s += MAX (by_bytes, by_flops);
}

/* C = S · B, S sparse [rows, cols] with @nnz entries, B [cols, h]:
 * index and value per entry, B read and C written once at least. */
static void
sparse_product (Epoch *e,
                double nnz,
                double rows,
                double cols,
                double h)
{
  double bytes = 8 * nnz + 4 * h * (rows + cols);

  other (e, 2 * nnz * h, bytes, bytes);
}

/* One fused pass over an activation of @count elements (bias, ReLU and a
 * dropout byte mask forward; the mask and the input's sign backward). */
static void
activation (Epoch *e,
            double count)
{
  other (e, 3 * count, 9 * count, 9 * count);   /* read x and the mask, write y */
  other (e, 2 * count, 13 * count, 13 * count); /* read dy, x and the mask, write dx */
}

typedef struct
{
  double n, f, nnz_x, nnz_a, nnz_mean, pairs, h;
} Sizes;

static void
encoder (Epoch       *e,
         const Sizes *s,
         const char  *kind)
{
  gboolean sage = g_str_equal (kind, "sage"), gcn = g_str_equal (kind, "gcn");
  int n = (int)s->n, h = (int)s->h;
  double products = sage ? 2 : 1;

  /* Layer 1: the (sparse) features times W (and W_root): forward and the
   * weight's gradient (the features need none). */
  for (int i = 0; i < products; i++)
    {
      sparse_product (e, s->nnz_x, s->n, s->f, s->h);
      sparse_product (e, s->nnz_x, s->f, s->n, s->h);
    }
  /* Aggregation, forward and backward, in both layers. */
  for (int l = 0; l < 2; l++)
    if (gcn || sage)
      {
        double nnz = gcn ? s->nnz_a : s->nnz_mean;

        sparse_product (e, nnz, s->n, s->n, s->h);
        sparse_product (e, nnz, s->n, s->n, s->h);
      }
  activation (e, s->n * s->h);
  /* Layer 2: H W (and H W_root), dH = dY Wᵀ, dW = Hᵀ dY. */
  for (int i = 0; i < products; i++)
    {
      gemm (e, FALSE, FALSE, n, h, h);
      gemm (e, FALSE, TRUE, n, h, h);
      gemm (e, TRUE, FALSE, h, h, n);
    }
}

static void
decoder (Epoch       *e,
         const Sizes *s,
         const char  *kind)
{
  double p = s->pairs, h = s->h, z = 4 * s->n * s->h;

  /* Forward: the two rows of every pair read; backward: each pair's two
   * rows read again and its two gradient rows added to. */
  if (g_str_equal (kind, "dot"))
    {
      other (e, 2 * p * h, 8 * p * h, z);
      other (e, 4 * p * h, 16 * p * h, 2 * z);
      return;
    }
  /* The MLP on z_u ⊙ z_v: the product written, H→H with bias, ReLU and
   * dropout, then H→1 (a matrix-vector product each way). */
  other (e, p * h, 12 * p * h, z + 4 * p * h);
  gemm (e, FALSE, FALSE, (int)p, (int)h, (int)h);
  activation (e, p * h);
  other (e, 2 * p * h, 4 * p * h, 4 * p * h);     /* H→1 forward */
  other (e, 2 * p * h, 4 * p * h, 4 * p * h);     /* its weight's gradient */
  other (e, 2 * p * h, 4 * p * h, 4 * p * h);     /* its input's gradient */
  gemm (e, FALSE, TRUE, (int)p, (int)h, (int)h);
  gemm (e, TRUE, FALSE, (int)h, (int)h, (int)p);
  other (e, p * h, 4 * p * h, 4 * p * h);         /* the first bias's gradient */
  other (e, 4 * p * h, 24 * p * h, 2 * z + 4 * p * h); /* the pair product's backward */
}

/* Adam: parameter, gradient and both moments read, three written. */
static void
adam (Epoch       *e,
      const Sizes *s,
      const char  *enc,
      const char  *dec)
{
  double h = s->h, params = (s->f + 1) * h + (h + 1) * h;

  if (g_str_equal (enc, "sage"))
    params += s->f * h + h * h;
  if (g_str_equal (dec, "mlp"))
    params += (h + 1) * h + h + 1;
  other (e, 12 * params, 28 * params, 16 * params);
}

int
main (int    argc,
      char **argv)
{
  static const char *recipes[][2] = {
    { "gcn", "dot" }, { "gcn", "mlp" }, { "sage", "dot" }, { "sage", "mlp" },
    { "mlp", "dot" }, { "mlp", "mlp" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;
  PhiliaLinkSplit *split;
  Sizes s = { 0 };
  const float *x;
  guint f;

  if (argc < 2)
    {
      fprintf (stderr, "Usage: bench-linkpred-floor FILE.npz [SEED]\n");
      return 2;
    }
  philia_core_init ();
  openblas_set_num_threads (1);
  file = g_file_new_for_commandline_arg (argv[1]);
  graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  if (graph == NULL)
    {
      fprintf (stderr, "bench-linkpred-floor: %s\n", error->message);
      return 1;
    }
  split = philia_link_split_new (graph, 0.05, 0.10, 100,
                                 argc > 2 ? g_ascii_strtoull (argv[2], NULL, 10) : 0, &error);
  if (split == NULL)
    {
      fprintf (stderr, "bench-linkpred-floor: %s\n", error->message);
      return 1;
    }
  s.n = philia_graph_get_n_nodes (graph);
  s.h = 256;
  s.pairs = 2.0 * split->n_train;
  s.nnz_mean = 2.0 * split->n_train;
  s.nnz_a = s.nnz_mean + s.n;
  f = philia_graph_get_n_features (graph);
  x = philia_graph_get_features (graph);
  if (f == 0 || x == NULL)
    {
      /* One-hot ids: X W is W's rows. */
      s.f = s.n;
      s.nnz_x = s.n;
    }
  else
    {
      s.f = f;
      for (gsize i = 0; i < (gsize)s.n * f; i++)
        s.nnz_x += x[i] != 0;
    }
  name = g_path_get_basename (argv[1]);
  if (g_str_has_suffix (name, ".npz"))
    name[strlen (name) - 4] = '\0';
  printf ("SIZES %s n=%.0f features=%.0f stored=%.0f train_edges=%" G_GINT64_FORMAT
          " pairs=%.0f\n", name, s.n, s.f, s.nnz_x, split->n_train, s.pairs);
  /* A first large product sets the peak before any term is priced by it. */
  time_sgemm (FALSE, FALSE, 2048, 2048, 2048);
  printf ("%-6s %-8s %-9s %8s %8s %9s %9s %9s\n", "FLOOR", "dataset", "recipe", "GFLOP",
          "gemm_GF", "gemm_ms", "other_ms", "floor_ms");
  for (guint r = 0; r < G_N_ELEMENTS (recipes); r++)
    {
      Epoch e = { 0 };

      if (g_str_equal (recipes[r][0], "mlp") && (f == 0 || x == NULL))
        continue;
      encoder (&e, &s, recipes[r][0]);
      decoder (&e, &s, recipes[r][1]);
      other (&e, 10 * s.pairs, 8 * s.pairs, 8 * s.pairs);  /* the loss */
      adam (&e, &s, recipes[r][0], recipes[r][1]);
      printf ("FLOOR  %-8s %4s:%-4s %8.3f %8.3f %9.2f %9.2f %9.2f\n", name, recipes[r][0],
              recipes[r][1], e.flops / 1e9, e.gemm_flops / 1e9, 1e3 * e.gemm_s, 1e3 * e.other_s,
              1e3 * (e.gemm_s + e.other_s));
    }
  philia_link_split_free (split);
  return 0;
}
