/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cli-test-util.h"

/* philia-cli linkpred --model, driven as a user would: a GNN link predictor
 * trained and scored on the split --heuristic uses. Few epochs and a narrow
 * width keep it quick; the numbers are the core's (tests/test-linkmodel.c). */

static char *
karate_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "import", "karate.graphml", NULL);
}

static void
assert_keys (const char  *out,
             const char **keys,
             guint        n_keys)
{
  for (guint i = 0; i < n_keys; i++)
    if (strstr (out, keys[i]) == NULL)
      g_error ("“%s” not in %s", keys[i], out);
}

static void
test_model_json (void)
{
  g_autofree char *cora = cora_path ();
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) cn = { 0 };
  g_auto(Run) text = { 0 };
  const char *keys[] = {
    "\"model\":\"gcn\"", "\"hits@10\":", "\"hits@20\":", "\"hits@50\":", "\"hits@100\":",
    "\"mrr\":", "\"auc\":", "\"train_edges\":4486", "\"valid_edges\":264", "\"test_edges\":528",
    "\"test_negatives\":528", "\"seed\":3", "\"best_epoch\":", "\"epoch_ms_median\":",
    "\"epochs\":4", "\"epoch_cpu_ms_median\":", "\"hidden\":16", "\"layers\":2", "\"decoder\":\"dot\"",
  };
  const char *mlp_keys[] = { "\"model\":\"sage-mlp\"", "\"decoder\":\"mlp\"", "\"layers\":1" };
  const char *split_keys[] = { "\"train_edges\":4486", "\"valid_edges\":264",
                               "\"test_edges\":528" };

  run_cli (&a, "linkpred", cora, "--model", "gcn", "--seed", "3", "--epochs", "4", "--hidden",
           "16", "--threads", "1", "--json", NULL);
  if (a.status != 0)
    g_test_message ("stderr: %s", a.err);
  g_assert_cmpint (a.status, ==, 0);
  assert_keys (a.out, keys, G_N_ELEMENTS (keys));
  /* The same split as the heuristics': same sizes for the same seed. */
  run_cli (&cn, "linkpred", cora, "--heuristic", "cn", "--seed", "3", "--json", NULL);
  g_assert_cmpint (cn.status, ==, 0);
  assert_keys (cn.out, split_keys, G_N_ELEMENTS (split_keys));
  /* Same seed and threads, same numbers (everything before the timings). */
  run_cli (&b, "linkpred", cora, "--model", "gcn", "--seed", "3", "--epochs", "4", "--hidden",
           "16", "--threads", "1", "--json", NULL);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_true (strncmp (a.out, b.out, strstr (a.out, "\"best_val_hits\"") - a.out) == 0);
  /* --explain adds the pair and changes nothing else. */
  {
    g_auto(Run) x = { 0 };
    const char *pair_keys[] = { "\"pair\":{\"u\":0,\"v\":633,\"score\":", "\"above\":",
                                "\"negatives\":1000}" };

    run_cli (&x, "linkpred", cora, "--model", "gcn", "--seed", "3", "--epochs", "4", "--hidden",
             "16", "--threads", "1", "--explain", "0,633", "--json", NULL);
    g_assert_cmpint (x.status, ==, 0);
    assert_keys (x.out, pair_keys, G_N_ELEMENTS (pair_keys));
    g_assert_true (strncmp (a.out, x.out, strstr (a.out, "\"best_val_hits\"") - a.out) == 0);
  }

  run_cli (&text, "linkpred", cora, "--model", "sage", "--decoder", "mlp", "--layers", "1",
           "--epochs", "2", "--hidden", "8", "--dropout", "0", "--lr", "0.005", "--json", NULL);
  g_assert_cmpint (text.status, ==, 0);
  assert_keys (text.out, mlp_keys, G_N_ELEMENTS (mlp_keys));
}

static void
test_model_text (void)
{
  g_autofree char *karate = karate_path ();
  g_auto(Run) run = { 0 };

  /* Karate has no features: GCN learns one embedding per node. */
  run_cli (&run, "linkpred", karate, "--model", "gcn", "--epochs", "3", "--hidden", "8", NULL);
  if (run.status != 0)
    g_test_message ("stderr: %s", run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "gcn on "));
  g_assert_nonnull (strstr (run.out, "hits@100"));
  g_assert_nonnull (strstr (run.out, "epochs   3"));
}

static void
test_model_errors (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *karate = karate_path ();
  struct { const char *args[6]; int status; const char *needle; } cases[] = {
    { { "--model", "gat" }, 2, "unknown model; known models: gcn, mlp" },
    { { "--model", "" }, 2, "--model M is required" },
    { { "--model", "gcn", "--decoder", "cosine" }, 2, "--decoder must be dot or mlp" },
    { { "--model", "gcn", "--epochs", "0" }, 2, "The number of epochs must be at least 1." },
    { { "--model", "gcn", "--dropout", "1" }, 2, "The dropout must be at least 0 and below 1." },
    { { "--model", "gcn", "--lr", "-1" }, 2, "The learning rate must be positive." },
    { { "--model", "gcn", "--layers", "0" }, 2, "layers must be between 1 and 16" },
    { { "--model", "gcn", "--val-k", "0" }, 2, "--val-k must be at least 1" },
    { { "--model", "gcn", "--threads", "-2" }, 2, "--threads must not be negative" },
    { { "--model", "gcn", "--explain", "0" }, 2, "--explain takes two nodes, U,V" },
    { { "--model", "gcn", "--explain", "0,99999" }, 2, "--explain: no node “99999”" },
  };
  g_auto(Run) mlp = { 0 };
  g_auto(Run) file = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      run_cli (&run, "linkpred", cora, cases[i].args[0], cases[i].args[1], cases[i].args[2],
               cases[i].args[3], cases[i].args[4], cases[i].args[5], NULL);
      assert_one_line_error (&run, cases[i].status, cases[i].needle);
    }
  run_cli (&mlp, "linkpred", karate, "--model", "mlp", "--epochs", "2", NULL);
  assert_one_line_error (&mlp, 1, "reads node features, and the graph has none.");
  run_cli (&file, "linkpred", "no-such.npz", "--model", "gcn", NULL);
  assert_one_line_error (&file, 1, "no-such.npz");
}

/* generate latent: a preset, the knobs over it, the same file for the same
 * seed; the graph it writes goes into linkpred like any dataset. */
static void
test_generate_latent (void)
{
  g_autofree char *dir = g_dir_make_tmp ("philia-latent-XXXXXX", NULL);
  g_autofree char *a_path = g_build_filename (dir, "a.npz", NULL);
  g_autofree char *b_path = g_build_filename (dir, "b.npz", NULL);
  g_autofree char *a_bytes = NULL;
  g_autofree char *b_bytes = NULL;
  gsize a_len, b_len;
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) fp = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) csbm = { 0 };
  g_auto(Run) range = { 0 };
  g_auto(Run) cn = { 0 };
  const char *keys[] = { "\"generator\":\"latent\"", "\"nodes\":300", "\"features\":16",
                         "\"dim\":2", "\"degree\":3", "\"feature_weight\":0", "\"seed\":4" };

  g_assert_nonnull (dir);
  run_cli (&a, "generate", "latent", "--preset", "gsp", "--nodes", "300", "--seed", "4",
           "--out", a_path, "--json", NULL);
  if (a.status != 0)
    g_test_message ("stderr: %s", a.err);
  g_assert_cmpint (a.status, ==, 0);
  assert_keys (a.out, keys, G_N_ELEMENTS (keys));
  run_cli (&b, "generate", "latent", "--preset", "gsp", "--nodes", "300", "--seed", "4",
           "--out", b_path, NULL);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_nonnull (strstr (b.out, "latent space model, 300 nodes"));
  g_assert_true (g_file_get_contents (a_path, &a_bytes, &a_len, NULL));
  g_assert_true (g_file_get_contents (b_path, &b_bytes, &b_len, NULL));
  g_assert_cmpmem (a_bytes, a_len, b_bytes, b_len);

  /* A knob over a preset: fp with 3 feature dimensions and labels. */
  run_cli (&fp, "generate", "latent", "--preset", "fp", "--nodes", "200", "--feature-dim", "3",
           "--classes", "4", "--out", b_path, "--json", NULL);
  g_assert_cmpint (fp.status, ==, 0);
  g_assert_nonnull (strstr (fp.out, "\"features\":6"));
  g_assert_nonnull (strstr (fp.out, "\"feature_weight\":1"));
  g_assert_nonnull (strstr (fp.out, "\"classes\":4"));

  run_cli (&cn, "linkpred", a_path, "--heuristic", "cn", "--json", NULL);
  g_assert_cmpint (cn.status, ==, 0);

  run_cli (&bad, "generate", "latent", "--preset", "xyz", "--out", a_path, NULL);
  assert_one_line_error (&bad, 2, "--preset must be lsp, gsp or fp");
  run_cli (&csbm, "generate", "latent", "--homophily", "0.5", "--out", a_path, NULL);
  assert_one_line_error (&csbm, 2, "not the options of csbm");
  run_cli (&range, "generate", "latent", "--feature-weight", "2", "--out", a_path, NULL);
  assert_one_line_error (&range, 2, "The feature weight must be between 0 and 1.");
  g_unlink (a_path);
  g_unlink (b_path);
  g_rmdir (dir);
}

/* --save keeps the model with the project's evaluation of the same split
 * (a new one for another seed), and info shows it; --factors adds what
 * explains the links; a dataset refuses --save. */
static void
test_model_save (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-cli-lp-XXXXXX", &error);
  g_autofree char *project = g_build_filename (dir, "k.philia", NULL);
  g_autofree char *karate = karate_path ();
  g_auto(Run) made = { 0 };
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) c = { 0 };
  g_auto(Run) info = { 0 };
  g_auto(Run) refused = { 0 };
  g_auto(Run) factors = { 0 };
  const char *factor_keys[] = {
    "\"factors\":{\"k\":5,\"test_edges\":8,", "\"sharing_a_neighbour\":",
    "\"local\":{\"heuristic\":", "\"global\":{\"heuristic\":", "\"regions\":{\"none\":",
    "\"models\":[{\"model\":\"gcn\",\"hits\":", "\"summary\":\"",
  };

  g_assert_no_error (error);
  run_cli (&made, "project", "new", project, karate, NULL);
  g_assert_cmpint (made.status, ==, 0);
  run_cli (&a, "linkpred", project, "--model", "gcn", "--epochs", "3", "--hidden", "8",
           "--save", "--json", NULL);
  if (a.status != 0)
    g_test_message ("stderr: %s", a.err);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_nonnull (strstr (a.out, "\"evaluation_id\":1"));
  run_cli (&b, "linkpred", project, "--model", "sage", "--decoder", "mlp", "--epochs", "3",
           "--hidden", "8", "--save", "--json", NULL);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_nonnull (strstr (b.out, "\"evaluation_id\":1"));
  run_cli (&c, "linkpred", project, "--model", "gcn", "--epochs", "3", "--hidden", "8",
           "--seed", "4", "--save", "--json", NULL);
  g_assert_cmpint (c.status, ==, 0);
  g_assert_nonnull (strstr (c.out, "\"evaluation_id\":2"));
  run_cli (&info, "info", project, "--json", NULL);
  g_assert_cmpint (info.status, ==, 0);
  g_assert_nonnull (strstr (info.out, "\"models\":[{\"name\":\"gcn\",\"best_epoch\":"));
  g_assert_nonnull (strstr (info.out, "{\"name\":\"sage-mlp\","));

  run_cli (&refused, "linkpred", karate, "--model", "gcn", "--save", NULL);
  g_assert_cmpint (refused.status, ==, 2);
  g_assert_nonnull (strstr (refused.err, "--save stores the result in a project"));

  run_cli (&factors, "linkpred", karate, "--model", "gcn", "--epochs", "3", "--hidden", "8",
           "--factors", "5", "--json", NULL);
  g_assert_cmpint (factors.status, ==, 0);
  assert_keys (factors.out, factor_keys, G_N_ELEMENTS (factor_keys));

  /* The same view as a figure, with the GNN's right and wrong per region
   * (8 regions × 2 series) and the same JSON member. */
  {
    g_autofree char *png = g_build_filename (dir, "factors.png", NULL);
    g_auto(Run) fig = { 0 };

    run_cli (&fig, "figure", karate, "--kind", "factors", "--k", "5", "--model", "gcn",
             "--epochs", "3", "-o", png, "--json", NULL);
    if (fig.status != 0)
      g_test_message ("stderr: %s", fig.err);
    g_assert_cmpint (fig.status, ==, 0);
    g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
    g_assert_nonnull (strstr (fig.out, "\"kind\":\"factors\""));
    g_assert_nonnull (strstr (fig.out, "\"gcn\"],\"values\":["));
    assert_keys (fig.out, factor_keys + 1, G_N_ELEMENTS (factor_keys) - 1);
    g_unlink (png);
  }

  g_unlink (project);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/linkpred-model/json", test_model_json);
  g_test_add_func ("/cli/linkpred-model/text", test_model_text);
  g_test_add_func ("/cli/linkpred-model/errors", test_model_errors);
  g_test_add_func ("/cli/linkpred-model/save", test_model_save);
  g_test_add_func ("/cli/generate-latent", test_generate_latent);
  return g_test_run ();
}
