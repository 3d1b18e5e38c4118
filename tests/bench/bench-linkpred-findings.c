/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-bench"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "philia-core.h"

/*
 * Issue 17's findings on the latent space model's presets: Hits@K of common
 * neighbours, Katz, feature proximity (cosine) and the GCN link predictor on
 * the same seeded split, and how the GCN does on the test edges feature
 * proximity gets right. Usage:
 *   bench-linkpred-findings [--nodes N] [--seeds S] [--k K] [--epochs E] [PRESET|FILE.npz …]
 * (default: lsp gsp fp). A FILE is split with each seed instead of generated.
 */

static gboolean
hits (const PhiliaLinkpredResult *r,
      guint                       k,
      gboolean                   *set)
{
  philia_linkpred_hit_set (r->test_pos, r->n_test, r->test_neg, r->n_test, k, set);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  int nodes = 2000, seeds = 5, k = 50, epochs = 300;
  g_autoptr(GPtrArray) inputs = g_ptr_array_new ();
  const PhiliaProximityHeuristic hs[] = { PHILIA_PROXIMITY_CN, PHILIA_PROXIMITY_KATZ,
                                          PHILIA_PROXIMITY_FP };

  philia_core_init ();
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--nodes") && i + 1 < argc)
        nodes = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--seeds") && i + 1 < argc)
        seeds = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--k") && i + 1 < argc)
        k = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--epochs") && i + 1 < argc)
        epochs = atoi (argv[++i]);
      else
        g_ptr_array_add (inputs, argv[i]);
    }
  if (inputs->len == 0)
    {
      g_ptr_array_add (inputs, "lsp");
      g_ptr_array_add (inputs, "gsp");
      g_ptr_array_add (inputs, "fp");
    }

  printf ("%-8s %4s %8s %8s %8s %8s %8s %8s %10s %10s\n", "input", "seed", "edges", "cn",
          "katz", "fp", "gcn", "best_ep", "gcn|fp_ok", "fp|gcn_ok");
  for (guint in = 0; in < inputs->len; in++)
    {
      const char *name = inputs->pdata[in];
      double sum[4] = { 0 }, sum_cond = 0;

      for (int seed = 0; seed < seeds; seed++)
        {
          g_autoptr(PhiliaGraph) graph = NULL;
          g_autoptr(PhiliaLinkSplit) split = NULL;
          g_autoptr(PhiliaLinkTrainResult) gcn = NULL;
          PhiliaLinkpredResult *res[3] = { NULL };
          g_autofree gboolean *fp_set = NULL;
          g_autofree gboolean *gcn_set = NULL;
          PhiliaLatentPreset preset;
          PhiliaProximityParams pp;
          PhiliaLinkModelParams lp;
          GError *error = NULL;
          gsize fp_ok = 0, both = 0, gcn_ok = 0;
          double h[4];

          if (philia_latent_preset_from_string (name, &preset))
            {
              PhiliaLatentParams params;

              philia_latent_params_init (&params);
              philia_latent_params_preset (&params, preset);
              params.n_nodes = nodes;
              params.seed = seed;
              graph = philia_latent_generate (&params, NULL, NULL, &error);
            }
          else
            {
              g_autoptr(GFile) file = g_file_new_for_commandline_arg (name);

              graph = philia_graph_load (file, NULL, NULL, NULL, &error);
            }
          if (graph == NULL)
            g_error ("%s: %s", name, error->message);
          split = philia_link_split_new (graph, 0.05, 0.10, 100, seed, &error);
          g_assert_no_error (error);
          philia_proximity_params_init_default (&pp);
          for (guint j = 0; j < 3; j++)
            {
              res[j] = philia_linkpred_evaluate (split, &pp, hs[j], NULL, &error);
              g_assert_no_error (error);
              h[j] = philia_linkpred_result_hits (res[j], k);
            }
          philia_link_model_params_init (&lp);
          lp.epochs = epochs;
          lp.seed = seed;
          gcn = philia_link_train (split, "gcn", &lp, NULL, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          h[3] = philia_linkpred_result_hits (gcn->result, k);
          fp_set = g_new (gboolean, MAX (split->n_test, 1));
          gcn_set = g_new (gboolean, MAX (split->n_test, 1));
          hits (res[2], k, fp_set);
          hits (gcn->result, k, gcn_set);
          for (gint64 i = 0; i < split->n_test; i++)
            {
              fp_ok += fp_set[i];
              gcn_ok += gcn_set[i];
              both += fp_set[i] && gcn_set[i];
            }
          printf ("%-8s %4d %8" G_GINT64_FORMAT " %8.4f %8.4f %8.4f %8.4f %8u %10.4f %10.4f\n",
                  strrchr (name, '/') ? strrchr (name, '/') + 1 : name, seed,
                  philia_graph_get_n_edges (graph), h[0], h[1], h[2], h[3], gcn->best_epoch,
                  fp_ok ? (double)both / fp_ok : NAN, gcn_ok ? (double)both / gcn_ok : NAN);
          fflush (stdout);
          for (guint j = 0; j < 4; j++)
            sum[j] += h[j];
          sum_cond += fp_ok ? (double)both / fp_ok : 0;
          for (guint j = 0; j < 3; j++)
            philia_linkpred_result_free (res[j]);
        }
      printf ("%-8s mean          %8.4f %8.4f %8.4f %8.4f %8s %10.4f\n",
              strrchr (name, '/') ? strrchr (name, '/') + 1 : name, sum[0] / seeds,
              sum[1] / seeds, sum[2] / seeds, sum[3] / seeds, "", sum_cond / seeds);
    }
  return 0;
}
