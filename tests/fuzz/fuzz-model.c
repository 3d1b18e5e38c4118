/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: saved models (.philia-model), read with
 * philia_saved_model_new_from_bytes(). Like fuzz-project, the target zips the
 * members itself with correct checksums, so mutations reach the manifest's
 * JSON and the weight arrays. A model that loads is then applied to a small
 * graph of its input size (rebuilding the model from its recipe and checking
 * the weights against it) and adapted for two epochs.
 *
 * Input: members as fuzz-zip-members.h describes; the first is normally
 * philia-model.json (tests/data/make-bad-models.py writes the seed).
 */
/* memmem() in fuzz-zip-members.h. */
#define _GNU_SOURCE
#include "fuzz-zip-members.h"

#define NAME      "fuzz.philia-model"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

/* A five-node path with @f features and no labels. */
static PhiliaGraph *
small_graph (guint f)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (5);
  float *x = g_new0 (float, 5 * f);

  for (guint i = 0; i < 5 * f; i += 3)
    x[i] = 1;
  for (guint i = 0; i < 4; i++)
    philia_graph_builder_add_edge (b, i, i + 1);
  philia_graph_builder_take_features (b, x, f);
  return philia_graph_builder_build (b, NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PhiliaSavedModel) model = NULL;
  g_autoptr(GError) error = NULL;

  bytes = fuzz_zip_members (data, size, NAME);
  if (bytes == NULL)
    return 0;

  model = philia_saved_model_new_from_bytes (bytes, NAME, &error);
  if (model == NULL)
    {
      fuzz_check_refusal (error, NAME);
      return 0;
    }
  g_free (g_bytes_unref_to_data (philia_saved_model_to_bytes (model, NULL), &size));
  /* Big inputs or hidden layers would only measure the fuzzer's patience. */
  if (!model->identity_features && model->n_features <= 64 && model->n_classes <= 64
      && model->params.hidden <= 64 && model->params.heads <= 8 && model->params.k <= 16)
    {
      g_autoptr(PhiliaGraph) graph = small_graph (model->n_features);
      g_autoptr(PhiliaPrediction) prediction = NULL;

      prediction = philia_saved_model_predict (model, graph, 1, &error);
      /* The file loaded: a refusal now is of the model on this graph. */
      if (prediction == NULL)
        fuzz_check_message (error, NAME, FALSE);
      else
        {
          PhiliaAdaptParams params;
          g_autoptr(PhiliaAdaptResult) r = NULL;

          philia_adapt_params_init (&params);
          params.epochs = 2;
          r = philia_adapt (model, graph, &params, 0, 1, NULL, NULL, NULL, NULL, NULL);
        }
    }
  return 0;
}
