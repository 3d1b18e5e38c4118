/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Issue 14: saving and reopening a PubMed project with two layouts and ten
 * runs (5 GCN, 3 APPNP, 2 GAT with their attention, 3 epochs each: the arrays
 * a real run keeps, at PubMed's size), each under one second. Prints the
 * median and best of 5 saves and 5 opens after one warm-up, and the file
 * size, for the dataset referenced (the default) and embedded.
 * Usage: bench-project [PUBMED.npz]; without an argument, pubmed.npz from
 * $PHILIA_SHARED_DATASETS.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "philia-core.h"

#define RUNS 5

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static PhiliaDocument *
build_document (const char *path)
{
  /* PubMed has no features here: models that fall back to one-hot ids. */
  static const char *const models[] = { "gcn", "appnp", "gcn", "appnp", "gat",
                                        "gcn", "appnp", "gcn", "gcn", "gat" };
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, NULL, NULL, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  PhiliaDocument *doc;
  guint n;

  if (graph == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      exit (1);
    }
  n = philia_graph_get_n_nodes (graph);
  doc = philia_document_new (graph, path, NULL);
  for (guint l = 0; l < 2; l++)
    {
      double *positions = g_new (double, 2 * n);

      for (guint i = 0; i < 2 * n; i++)
        positions[i] = g_rand_double_range (rand, -1000, 1000);
      philia_document_add_layout (doc, l == 0 ? "fr" : "drl", l == 0 ? "fr" : "drl", l,
                                  positions);
    }
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      PhiliaTrainParams params;
      PhiliaTrainResult *r;

      philia_train_params_init (&params);
      params.epochs = 3;
      params.seed = i;
      params.n_threads = 2;
      r = philia_train (graph, models[i], &params, NULL, NULL, NULL, NULL, &error);
      if (r == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          exit (1);
        }
      philia_document_add_run (doc, r);
    }
  return doc;
}

static void
bench (PhiliaDocument *doc,
       const char     *project,
       const char     *label)
{
  double save_ms[RUNS], open_ms[RUNS];
  GStatBuf st;

  for (int run = -1; run < RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaDocument) back = NULL;
      gint64 start = g_get_monotonic_time ();

      if (!philia_document_save (doc, project, NULL, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          exit (1);
        }
      if (run >= 0)
        save_ms[run] = (g_get_monotonic_time () - start) / 1000.0;
      start = g_get_monotonic_time ();
      back = philia_document_open (project, NULL, 0, NULL, &error);
      if (back == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          exit (1);
        }
      if (run >= 0)
        open_ms[run] = (g_get_monotonic_time () - start) / 1000.0;
      if (philia_document_get_n_runs (back) != 10 || philia_document_get_n_layouts (back) != 2)
        {
          fprintf (stderr, "the project did not come back whole\n");
          exit (1);
        }
    }
  qsort (save_ms, RUNS, sizeof save_ms[0], compare_doubles);
  qsort (open_ms, RUNS, sizeof open_ms[0], compare_doubles);
  g_stat (project, &st);
  printf ("project  %-9s save median %7.1f ms (best %7.1f)  open median %7.1f ms "
          "(best %7.1f)  file %6.1f MB\n", label, save_ms[RUNS / 2], save_ms[0],
          open_ms[RUNS / 2], open_ms[0], st.st_size / 1e6);
}

int
main (int argc, char *argv[])
{
  const char *dir = g_getenv ("PHILIA_SHARED_DATASETS");
  g_autofree char *path = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *project = NULL;
  g_autoptr(PhiliaDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  philia_core_init ();
  if (argc > 1)
    path = g_strdup (argv[1]);
  else if (dir != NULL)
    path = g_build_filename (dir, "pubmed.npz", NULL);
  else
    {
      fprintf (stderr, "Set PHILIA_SHARED_DATASETS or name pubmed.npz.\n");
      return 77;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      fprintf (stderr, "%s is missing.\n", path);
      return 77;
    }
  doc = build_document (path);
  tmp = g_dir_make_tmp ("philia-bench-XXXXXX", &error);
  if (tmp == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  project = g_build_filename (tmp, "pubmed.philia", NULL);
  bench (doc, project, "reference");
  philia_document_set_embed (doc, TRUE);
  bench (doc, project, "embedded");
  g_unlink (project);
  g_rmdir (tmp);
  return 0;
}
