/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Issue 5: per-epoch time (forward + backward + optimiser step, the median
 * over the epochs of philia_train) of each model's standard recipe on Cora,
 * CiteSeer and Squirrel with 1 and 2 threads; GFLOP/s of the dense product
 * (philia_op_matmul against a bare cblas_sgemm on 2048²) and effective GB/s of
 * the sparse product against a memcpy. bench-train.py times PyTorch on the
 * same recipes. Usage: bench-train [EPOCHS] (default 50); run-train.py drives
 * the side-by-side run with "--one FILE MODEL THREADS EPOCHS normalize|raw"
 * (one model per process, for its peak RSS) and "--kernels SQUIRREL CSBM".
 */
#include "config.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "philia-core.h"

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static void
bench_models (const char *folder,
              int         epochs)
{
  const char *datasets[] = { "cora", "citeseer", "squirrel" };
  const char *models[] = { "mlp", "gcn", "sgc", "gat" };

  printf ("%-9s %-6s %7s %12s %9s\n", "dataset", "model", "threads", "epoch_ms", "test_acc");
  for (guint d = 0; d < G_N_ELEMENTS (datasets); d++)
    {
      g_autofree char *name = g_strdup_printf ("%s.npz", datasets[d]);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, NULL, NULL, &error);

      if (graph == NULL)
        {
          fprintf (stderr, "bench-train: %s\n", error->message);
          continue;
        }
      for (guint m = 0; m < G_N_ELEMENTS (models); m++)
        for (guint threads = 1; threads <= 2; threads++)
          {
            g_autoptr(PhiliaTrainResult) r = NULL;
            PhiliaTrainParams params;

            philia_train_params_init (&params);
            params.epochs = epochs;
            params.n_threads = threads;
            r = philia_train (graph, models[m], &params, NULL, NULL, NULL, NULL, &error);
            if (r == NULL)
              {
                fprintf (stderr, "bench-train: %s\n", error->message);
                g_clear_error (&error);
                continue;
              }
            printf ("%-9s %-6s %7u %12.3f %9.4f\n", datasets[d], models[m], threads,
                    r->epoch_ms_median, r->test_accuracy);
            fflush (stdout);
          }
    }
}

static void
bench_sgemm (void)
{
  const int n = 2048;
  g_autoptr(PhiliaTensor) a = philia_tensor_new (n, n);
  g_autoptr(PhiliaTensor) b = philia_tensor_new (n, n);
  g_autofree float *c = g_new (float, (gsize)n * n);
  PhiliaRng rng;

  philia_rng_init (&rng, 1);
  philia_tensor_glorot (a, &rng);
  philia_tensor_glorot (b, &rng);
  for (int threads = 1; threads <= 2; threads++)
    {
      g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
      double best_raw = 1e9, best_op = 1e9, flops = 2.0 * n * n * n;

      openblas_set_num_threads (threads);
      for (int run = 0; run < 4; run++)
        {
          double t0 = now ();

          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a->data, n,
                       b->data, n, 0.0f, c, n);
          best_raw = MIN (best_raw, now () - t0);
          t0 = now ();
          philia_op_matmul (tape, a, b);
          best_op = MIN (best_op, now () - t0);
          philia_tape_reset (tape);
        }
      printf ("sgemm 2048² threads %d: philia_op_matmul %.1f GFLOP/s, cblas_sgemm %.1f GFLOP/s"
              " (%.0f%%)\n", threads, flops / best_op / 1e9, flops / best_raw / 1e9,
              100 * best_raw / best_op);
    }
}

static void
bench_spmm (const char *folder)
{
  g_autofree char *path = g_build_filename (folder, "squirrel.npz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  gsize copy_bytes = (gsize)256 << 20;
  g_autofree char *src = NULL, *dst = NULL;
  double best_copy = 1e9;

  if (graph == NULL)
    {
      fprintf (stderr, "bench-train: %s\n", error->message);
      return;
    }
  src = g_malloc (copy_bytes);
  dst = g_malloc (copy_bytes);
  memset (src, 1, copy_bytes);
  memset (dst, 0, copy_bytes);
  for (int run = 0; run < 4; run++)
    {
      double t0 = now ();

      memcpy (dst, src, copy_bytes);
      best_copy = MIN (best_copy, now () - t0);
    }
  /* STREAM counts a copy as read + write. */
  printf ("memcpy 256 MiB: %.1f GB/s (read + write)\n", 2.0 * copy_bytes / best_copy / 1e9);

  for (guint cols = 16; cols <= 64; cols *= 4)
    for (guint threads = 1; threads <= 2; threads++)
      {
        PhiliaTrainParams params;
        g_autoptr(PhiliaTrainResult) r = NULL;
        g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
        g_autoptr(PhiliaTensor) x = NULL;
        PhiliaSparse *s;
        double best = 1e9, bytes;
        guint n = philia_graph_get_n_nodes (graph);
        PhiliaRng rng;

        /* One epoch builds and caches Â on the graph. */
        philia_train_params_init (&params);
        params.epochs = 1;
        r = philia_train (graph, "gcn", &params, NULL, NULL, NULL, NULL, NULL);
        s = g_object_get_data (G_OBJECT (graph), "philia-normalized-adjacency");
        g_assert (s != NULL);
        x = philia_tensor_new (n, cols);
        philia_rng_init (&rng, 2);
        philia_tensor_glorot (x, &rng);
        for (int run = 0; run < 20; run++)
          {
            double t0 = now ();

            philia_op_spmm (tape, s, NULL, x);
            best = MIN (best, now () - t0);
            philia_tape_reset (tape);
          }
        /* Index + value per entry, one row of X per entry, one output row per row. */
        bytes = (double)s->nnz * (8 + 4.0 * cols) + 4.0 * n * cols;
        printf ("spmm squirrel Â (nnz %" G_GINT64_FORMAT ") × [%u, %u], threads %u: %.3f ms,"
                " %.1f GB/s effective\n", s->nnz, n, cols, threads, best * 1e3,
                bytes / best / 1e9);
      }
}

static double
cpu_seconds (const struct rusage *u)
{
  return u->ru_utime.tv_sec + u->ru_utime.tv_usec / 1e6 + u->ru_stime.tv_sec
         + u->ru_stime.tv_usec / 1e6;
}

/* One model on one graph in this process, so that its peak RSS is its own:
 * prints "RESULT epoch_ms test_acc peak_mib". */
static int
bench_one (const char *path,
           const char *model,
           guint       threads,
           int         epochs,
           gboolean    normalize)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_autoptr(PhiliaTrainResult) r = NULL;
  PhiliaTrainParams params;
  struct rusage usage, before;

  if (graph == NULL)
    {
      fprintf (stderr, "bench-train: %s\n", error->message);
      return 1;
    }
  philia_train_params_init (&params);
  params.epochs = epochs;
  params.normalize_features = normalize;
  getrusage (RUSAGE_SELF, &before);
  params.n_threads = threads;
  r = philia_train (graph, model, &params, NULL, NULL, NULL, NULL, &error);
  if (r == NULL)
    {
      fprintf (stderr, "bench-train: %s\n", error->message);
      return 1;
    }
  getrusage (RUSAGE_SELF, &usage);
  /* CPU time of the whole run (setup, and an evaluation pass per epoch that
   * the torch side does not time) per epoch: robust to a loaded machine. */
  printf ("RESULT %.3f %.4f %.1f %.3f\n", r->epoch_ms_median, r->test_accuracy,
          usage.ru_maxrss / 1024.0, (cpu_seconds (&usage) - cpu_seconds (&before)) * 1e3 / epochs);
  return 0;
}

typedef struct
{
  char       *dst;
  const char *src;
  gsize       bytes;
} CopyHalf;

static gpointer
copy_half (gpointer data)
{
  CopyHalf *half = data;

  memcpy (half->dst, half->src, half->bytes);
  return NULL;
}

/* The products the models run, timed alone: a dense X·W of the CSBM graph's
 * shape (and 2048²) in GFLOP/s, Â·H of Squirrel and the CSBM graph in
 * effective GB/s. Prints "KERNEL name threads value unit". */
static void
bench_kernels (const char *squirrel,
               const char *csbm)
{
  const char *paths[] = { squirrel, csbm };
  const char *names[] = { "squirrel", "csbm" };
  gsize copy_bytes = (gsize)256 << 20;
  g_autofree char *src = g_malloc (copy_bytes), *dst = g_malloc (copy_bytes);

  memset (src, 1, copy_bytes);
  memset (dst, 0, copy_bytes);
  for (int threads = 1; threads <= 2; threads++)
    {
      double best = 1e9;

      /* A STREAM-style copy: two threads copy halves. */
      for (int run = 0; run < 5; run++)
        {
          double t0 = now ();

          if (threads == 1)
            memcpy (dst, src, copy_bytes);
          else
            {
              CopyHalf half = { dst + copy_bytes / 2, src + copy_bytes / 2, copy_bytes / 2 };
              GThread *thread = g_thread_new ("copy", copy_half, &half);

              memcpy (dst, src, copy_bytes / 2);
              g_thread_join (thread);
            }
          best = MIN (best, now () - t0);
        }
      printf ("KERNEL copy %d %.2f GB/s\n", threads, 2.0 * copy_bytes / best / 1e9);
    }
  for (int threads = 1; threads <= 2; threads++)
    {
      const int n = 2048;
      g_autoptr(PhiliaTensor) a = philia_tensor_new (n, n);
      g_autoptr(PhiliaTensor) b = philia_tensor_new (n, n);
      g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
      g_autofree float *c = g_new (float, (gsize)n * n);
      double best_raw = 1e9, best_op = 1e9, flops = 2.0 * n * n * n;
      PhiliaRng rng;

      philia_rng_init (&rng, 1);
      philia_tensor_glorot (a, &rng);
      philia_tensor_glorot (b, &rng);
      openblas_set_num_threads (threads);
      for (int run = 0; run < 3; run++)
        {
          double t0 = now ();

          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a->data, n,
                       b->data, n, 0.0f, c, n);
          best_raw = MIN (best_raw, now () - t0);
          t0 = now ();
          philia_op_matmul (tape, a, b);
          best_op = MIN (best_op, now () - t0);
          philia_tape_reset (tape);
        }
      printf ("KERNEL sgemm2048 %d %.2f GFLOP/s\n", threads, flops / best_raw / 1e9);
      printf ("KERNEL matmul2048 %d %.2f GFLOP/s\n", threads, flops / best_op / 1e9);
    }
  for (guint g = 0; g < G_N_ELEMENTS (paths); g++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (paths[g]);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, NULL, NULL, &error);
      g_autoptr(PhiliaTrainResult) r = NULL;
      PhiliaTrainParams params;
      PhiliaSparse *s;
      guint n;

      if (graph == NULL)
        {
          fprintf (stderr, "bench-train: %s\n", error->message);
          continue;
        }
      n = philia_graph_get_n_nodes (graph);
      philia_train_params_init (&params);
      params.epochs = 1;
      params.normalize_features = FALSE;
      r = philia_train (graph, "gcn", &params, NULL, NULL, NULL, NULL, NULL);
      s = g_object_get_data (G_OBJECT (graph), "philia-normalized-adjacency");
      g_assert (s != NULL);
      for (int threads = 1; threads <= 2; threads++)
        {
          g_autoptr(PhiliaTape) tape = philia_tape_new (threads);
          guint f = philia_graph_get_n_features (graph);

          openblas_set_num_threads (threads);
          /* X·W with X the graph's dense features and W of GAT's 64 columns. */
          if (f > 0 && g == 1)
            {
              g_autoptr(PhiliaTensor) x = philia_tensor_new_from (n, f,
                                                                  philia_graph_get_features (graph));
              g_autoptr(PhiliaTensor) w = philia_tensor_new (f, 64);
              double best = 1e9;
              PhiliaRng rng;

              philia_rng_init (&rng, 3);
              philia_tensor_glorot (w, &rng);
              for (int run = 0; run < 20; run++)
                {
                  double t0 = now ();

                  philia_op_matmul (tape, x, w);
                  best = MIN (best, now () - t0);
                  philia_tape_reset (tape);
                }
              printf ("KERNEL matmul-%s-%ux%u·%ux64 %d %.2f GFLOP/s\n", names[g], n, f, f,
                      threads, 2.0 * n * f * 64 / best / 1e9);
            }
          for (guint cols = 16; cols <= 64; cols *= 4)
            {
              g_autoptr(PhiliaTensor) x = philia_tensor_new (n, cols);
              double best = 1e9, bytes;
              PhiliaRng rng;

              philia_rng_init (&rng, 2);
              philia_tensor_glorot (x, &rng);
              for (int run = 0; run < 20; run++)
                {
                  double t0 = now ();

                  philia_op_spmm (tape, s, NULL, x);
                  best = MIN (best, now () - t0);
                  philia_tape_reset (tape);
                }
              /* Index + value per entry, one row of X per entry, one output row per row. */
              bytes = (double)s->nnz * (8 + 4.0 * cols) + 4.0 * n * cols;
              printf ("KERNEL spmm-%s-nnz%" G_GINT64_FORMAT "x%u %d %.2f GB/s\n", names[g],
                      s->nnz, cols, threads, bytes / best / 1e9);
            }
        }
    }
}

int
main (int    argc,
      char **argv)
{
  const char *folder = g_getenv ("PHILIA_SHARED_DATASETS");
  int epochs = argc > 1 ? atoi (argv[1]) : 50;
  struct rusage usage;

  philia_core_init ();
  if (argc == 7 && g_str_equal (argv[1], "--one"))
    return bench_one (argv[2], argv[3], (guint)atoi (argv[4]), atoi (argv[5]),
                      g_str_equal (argv[6], "normalize"));
  if (argc == 4 && g_str_equal (argv[1], "--kernels"))
    {
      bench_kernels (argv[2], argv[3]);
      return 0;
    }
  if (folder == NULL)
    folder = "../shared/datasets";
  bench_sgemm ();
  bench_spmm (folder);
  bench_models (folder, MAX (epochs, 2));
  getrusage (RUSAGE_SELF, &usage);
  printf ("peak RSS %.1f MiB\n", usage.ru_maxrss / 1024.0);
  return 0;
}
