/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: saved models (.philia-model), read with
 * philia_saved_model_new_from_bytes(). Like fuzz-project, the target zips the
 * members itself with correct checksums, so mutations reach the manifest's
 * JSON and the weight arrays. A model that loads is then applied to a small
 * graph of its input size (rebuilding the model from its recipe and checking
 * the weights against it) and adapted for two epochs.
 *
 * Input: one flag byte (bit k set: member k is deflated, else stored), then
 * members separated by SEPARATOR, each its name, a newline and its bytes;
 * the first is normally philia-model.json (tests/data/make-bad-models.py
 * writes the seed).
 */
/* memmem(), which libFuzzer also watches to learn SEPARATOR. */
#define _GNU_SOURCE
#include "fuzz-common.h"

#include "philia-zip-private.h"

#define SEPARATOR "<<member>>"
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
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(PhiliaZipWriter) zip = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PhiliaSavedModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const guint8 *p, *end;
  guint flags, k = 0;

  if (size < 1)
    return 0;
  flags = data[0];
  p = data + 1;
  end = data + size;
  out = g_memory_output_stream_new_resizable ();
  zip = _philia_zip_writer_new (out, NAME);
  while (p <= end)
    {
      const guint8 *stop = memmem (p, end - p, SEPARATOR, strlen (SEPARATOR));
      const guint8 *member_end = stop != NULL ? stop : end;
      const guint8 *newline = memchr (p, '\n', member_end - p);

      if (newline != NULL && newline > p && newline - p < 256 &&
          memchr (p, '\0', newline - p) == NULL)
        {
          char *name = g_strndup ((const char *)p, newline - p);

          if (!g_hash_table_contains (names, name))
            {
              if (!_philia_zip_writer_add (zip, name, NULL, 0, newline + 1,
                                           member_end - newline - 1, (flags >> (k % 8)) & 1 ? 6 : 0,
                                           NULL, NULL))
                abort ();
              g_hash_table_add (names, name);
            }
          else
            g_free (name);
        }
      k++;
      if (stop == NULL)
        break;
      p = stop + strlen (SEPARATOR);
    }
  if (!_philia_zip_writer_finish (zip, NULL, NULL))
    abort ();
  g_output_stream_close (out, NULL, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

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
