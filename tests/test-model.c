/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "philia-core.h"
#include "philia-model-private.h"
#include "philia-zip-private.h"

/*
 * Saved models and SOGA adaptation: the model file round trip and its
 * refusals, predictions equal to the training run's, the objective's value
 * and gradient against hand and finite-difference computations, and that
 * adaptation never reads a target label.
 */

typedef enum
{
  LABELS_KEEP,
  LABELS_SCRAMBLE,
  LABELS_REMOVE,
} LabelMode;

static PhiliaGraph *
csbm (guint   n,
      double  homophily,
      guint   n_features,
      guint   n_classes,
      guint64 seed)
{
  g_autoptr(GError) error = NULL;
  PhiliaCsbmParams p;
  PhiliaGraph *graph;

  philia_csbm_params_init_default (&p);
  p.n_nodes = n;
  p.n_classes = n_classes;
  p.n_features = n_features;
  p.homophily = homophily;
  p.degree = 4;
  p.n_splits = 1;
  p.seed = seed;
  graph = philia_csbm_generate (&p, NULL, &error);
  g_assert_no_error (error);
  return graph;
}

/* A copy of @graph (edges, features) whose labels are kept, permuted with
 * @seed, or removed; @extra_feature adds a constant column. */
static PhiliaGraph *
relabel (PhiliaGraph *graph,
         LabelMode    mode,
         guint64      seed,
         gboolean     extra_feature)
{
  guint n = philia_graph_get_n_nodes (graph);
  guint f = philia_graph_get_n_features (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  const gint32 *labels = philia_graph_get_labels (graph);
  const float *x = philia_graph_get_features (graph);
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (n);
  g_autoptr(GError) error = NULL;
  guint g = f + (extra_feature ? 1 : 0);
  float *features = g_new0 (float, (gsize)n * g);
  gint64 *new_labels = g_new (gint64, n);
  PhiliaRng rng;
  PhiliaGraph *out;

  for (guint u = 0; u < n; u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      if ((guint)nbr[e] >= u)
        philia_graph_builder_add_edge (b, u, nbr[e]);
  for (guint u = 0; u < n; u++)
    {
      memcpy (features + (gsize)u * g, x + (gsize)u * f, sizeof (float) * f);
      if (extra_feature)
        features[(gsize)u * g + f] = 1;
      new_labels[u] = mode == LABELS_REMOVE ? -1 : labels[u];
    }
  philia_rng_init (&rng, seed);
  if (mode == LABELS_SCRAMBLE)
    for (guint u = n - 1; u > 0; u--)
      {
        guint v = philia_rng_below (&rng, u + 1);
        gint64 t = new_labels[u];

        new_labels[u] = new_labels[v];
        new_labels[v] = t;
      }
  philia_graph_builder_take_features (b, features, g);
  philia_graph_builder_take_labels (b, new_labels);
  out = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  return out;
}

static PhiliaTrainResult *
train (PhiliaGraph *graph,
       const char  *model,
       int          epochs)
{
  g_autoptr(GError) error = NULL;
  PhiliaTrainParams params;
  PhiliaTrainResult *r;

  philia_train_params_init (&params);
  params.epochs = epochs;
  params.seed = 7;
  r = philia_train (graph, model, &params, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return r;
}

static PhiliaSavedModel *
trained_model (PhiliaGraph *graph,
               const char  *model)
{
  g_autoptr(PhiliaTrainResult) r = train (graph, model, 30);
  g_autoptr(GError) error = NULL;
  PhiliaSavedModel *m = philia_saved_model_new_from_run (r, graph, &error);

  g_assert_no_error (error);
  return m;
}

static void
assert_same_weights (const PhiliaSavedModel *a,
                     const PhiliaSavedModel *b)
{
  g_assert_cmpuint (a->weights->len, ==, b->weights->len);
  for (guint i = 0; i < a->weights->len; i++)
    {
      const PhiliaTensor *x = g_ptr_array_index (a->weights, i);
      const PhiliaTensor *y = g_ptr_array_index (b->weights, i);

      g_assert_cmpuint (x->rows, ==, y->rows);
      g_assert_cmpuint (x->cols, ==, y->cols);
      g_assert_cmpmem (x->data, sizeof (float) * x->rows * x->cols,
                       y->data, sizeof (float) * y->rows * y->cols);
    }
}

/* ------------------------------------------------------------ model file */

/* Field by field: the struct has padding. Doubles must be bit-exact. */
static void
assert_same_params (const PhiliaTrainParams *a,
                    const PhiliaTrainParams *b)
{
  g_assert_cmpint (a->epochs, ==, b->epochs);
  g_assert_cmpmem (&a->lr, sizeof (double), &b->lr, sizeof (double));
  g_assert_cmpmem (&a->weight_decay, sizeof (double), &b->weight_decay, sizeof (double));
  g_assert_cmpint (a->hidden, ==, b->hidden);
  g_assert_cmpmem (&a->dropout, sizeof (double), &b->dropout, sizeof (double));
  g_assert_cmpint (a->heads, ==, b->heads);
  g_assert_cmpint (a->k, ==, b->k);
  g_assert_cmpmem (&a->alpha, sizeof (double), &b->alpha, sizeof (double));
  g_assert_cmpint (a->optimizer, ==, b->optimizer);
  g_assert_cmpint (a->normalize_features, ==, b->normalize_features);
}

static void
test_round_trip (void)
{
  g_autoptr(PhiliaGraph) graph = csbm (120, 0.8, 12, 3, 1);
  const char *models[] = { "gcn", "mlp", "gat", "sage", "appnp" };

  for (guint k = 0; k < G_N_ELEMENTS (models); k++)
    {
      g_autoptr(PhiliaSavedModel) m = trained_model (graph, models[k]);
      g_autoptr(PhiliaSavedModel) back = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GBytes) again = NULL;
      g_autoptr(GError) error = NULL;

      m->seed = G_MAXUINT64 - 3;   /* past 2^53: stored exactly */
      m->params.lr = 0.1 + 0.2;    /* not a short decimal */
      bytes = philia_saved_model_to_bytes (m, &error);
      g_assert_no_error (error);
      back = philia_saved_model_new_from_bytes (bytes, "m.philia-model", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (back->model, ==, models[k]);
      assert_same_params (&back->params, &m->params);
      g_assert_cmpuint (back->n_features, ==, 12);
      g_assert_cmpuint (back->n_classes, ==, 3);
      g_assert_cmpuint (back->seed, ==, m->seed);
      g_assert_true (back->identity_features == m->identity_features);
      g_assert_cmpstr (back->source, ==, m->source);
      g_assert_null (back->adapted_from);
      g_assert_true ((back->class_names == NULL) == (m->class_names == NULL));
      assert_same_weights (m, back);
      /* Writing what was read gives the same bytes. */
      again = philia_saved_model_to_bytes (back, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (bytes, again));
    }
}

static void
test_class_names (void)
{
  g_autoptr(PhiliaGraph) base = csbm (60, 0.8, 6, 2, 2);
  g_autoptr(PhiliaGraphBuilder) b = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaSavedModel) m = NULL;
  g_autoptr(PhiliaSavedModel) back = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-model-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "m" PHILIA_MODEL_EXTENSION, NULL);
  char **names = g_new0 (char *, 3);

  /* Names with a quote, a newline and non-ASCII survive. */
  names[0] = g_strdup ("Théorie \"A\"");
  names[1] = g_strdup ("line\nbreak");
  m = trained_model (base, "gcn");
  m->class_names = names;
  m->adapted_from = g_strdup ("soga");
  g_assert_true (philia_saved_model_save (m, path, &error));
  g_assert_no_error (error);
  back = philia_saved_model_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (back->class_names, m->class_names);
  g_assert_cmpstr (back->adapted_from, ==, "soga");
  assert_same_weights (m, back);
  g_unlink (path);
  g_rmdir (dir);
  (void)b;
  (void)graph;
  (void)bytes;
}

/* A model zip whose manifest is @manifest and whose weights are @m's. */
static GBytes *
custom_zip (const char             *manifest,
            const PhiliaSavedModel *m)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(PhiliaZipWriter) zip = _philia_zip_writer_new (out, "test");
  g_autoptr(GError) error = NULL;

  g_assert_true (_philia_zip_writer_add (zip, "philia-model.json", NULL, 0,
                                         (const guint8 *)manifest, strlen (manifest), 6, NULL,
                                         &error));
  for (guint i = 0; m != NULL && i < m->weights->len; i++)
    {
      const PhiliaTensor *t = g_ptr_array_index (m->weights, i);
      g_autofree char *name = g_strdup_printf ("weight-%u", i);
      PhiliaArray a = { 0 };

      a.dtype = PHILIA_DTYPE_FLOAT32;
      a.ndim = 2;
      a.shape[0] = t->rows;
      a.shape[1] = t->cols;
      a.n_elements = (gint64)t->rows * t->cols;
      a.data = t->data;
      a.itemsize = 4;
      g_assert_true (_philia_zip_writer_add_array (zip, name, &a, 6, NULL, &error));
    }
  g_assert_true (_philia_zip_writer_finish (zip, NULL, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* The manifest @m writes, with @from replaced by @to. */
static char *
edited_manifest (const PhiliaSavedModel *m,
                 const char             *from,
                 const char             *to)
{
  g_autoptr(GBytes) bytes = philia_saved_model_to_bytes (m, NULL);
  g_autoptr(PhiliaNpz) npz = philia_npz_new_from_bytes (bytes, "m", NULL);
  g_autoptr(GBytes) manifest = _philia_npz_read_member (npz, "philia-model.json", 1 << 20,
                                                        NULL, NULL);
  g_autofree char *text = g_strndup (g_bytes_get_data (manifest, NULL),
                                     g_bytes_get_size (manifest));
  g_auto(GStrv) parts = g_strsplit (text, from, 2);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  return g_strjoinv (to, parts);
}

static void
assert_refused (GBytes     *bytes,
                int         code,
                const char *substring)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaSavedModel) m = philia_saved_model_new_from_bytes (bytes, "bad.philia-model",
                                                                     &error);

  g_assert_null (m);
  g_assert_error (error, PHILIA_ERROR, code);
  if (strstr (error->message, substring) == NULL || strstr (error->message, "bad.philia-model")
      == NULL)
    g_error ("“%s” lacks “%s” or the file name", error->message, substring);
}

static void
test_refusals (void)
{
  g_autoptr(PhiliaGraph) graph = csbm (80, 0.8, 8, 3, 3);
  g_autoptr(PhiliaSavedModel) m = trained_model (graph, "gcn");
  g_autoptr(GBytes) good = philia_saved_model_to_bytes (m, NULL);
  gsize size;
  const guint8 *data = g_bytes_get_data (good, &size);

  {
    g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

    assert_refused (empty, PHILIA_ERROR_FORMAT, "not a zip archive");
  }
  for (gsize cut = 4; cut < size; cut += size / 7)
    {
      g_autoptr(GBytes) truncated = g_bytes_new (data, cut);

      assert_refused (truncated, PHILIA_ERROR_FORMAT, "");
    }
  {
    /* A flipped byte inside the first weight's compressed data. */
    g_autofree guint8 *copy = g_memdup2 (data, size);
    g_autoptr(GBytes) corrupt = NULL;

    copy[size / 2] ^= 0x5a;
    corrupt = g_bytes_new (copy, size);
    assert_refused (corrupt, PHILIA_ERROR_FORMAT, "");
  }
  {
    g_autofree char *text = edited_manifest (m, "\"format_version\" : 1",
                                             "\"format_version\" : 2");
    g_autoptr(GBytes) newer = custom_zip (text, m);

    assert_refused (newer, PHILIA_ERROR_UNSUPPORTED, "newer Philia (model format 2; this one "
                    "reads 1)");
  }
  {
    g_autofree char *text = edited_manifest (m, "\"philia-model\"", "\"philia-project\"");
    g_autoptr(GBytes) other = custom_zip (text, m);

    assert_refused (other, PHILIA_ERROR_FORMAT, "format is “philia-project”");
  }
  {
    g_autoptr(GBytes) not_json = custom_zip ("{ \"format\": ", m);

    assert_refused (not_json, PHILIA_ERROR_FORMAT, "not valid JSON");
  }
  {
    /* Found by fuzzing: a dropout the dropout ops refuse. */
    g_autofree char *text = edited_manifest (m, "\"dropout\" : 0.5", "\"dropout\" : 1.5");
    g_autoptr(GBytes) dropout = custom_zip (text, m);

    assert_refused (dropout, PHILIA_ERROR_FORMAT, "its dropout is not a probability below 1");
  }
  {
    g_autofree char *text = edited_manifest (m, "weight-1", "weight-9");
    g_autoptr(GBytes) no_weights = custom_zip (text, m);

    assert_refused (no_weights, PHILIA_ERROR_FORMAT, "weight “weight-9” is missing");
  }
  {
    g_autofree char *text = edited_manifest (m, "\"n_classes\" : 3", "\"n_classes\" : 0");
    g_autoptr(GBytes) zero = custom_zip (text, m);

    assert_refused (zero, PHILIA_ERROR_FORMAT, "“n_classes” is 0");
  }
}

/* Recipe versus weights, feature dimension and class count: refused where
 * the model is used, with both numbers. */
static void
test_mismatch (void)
{
  g_autoptr(PhiliaGraph) graph = csbm (80, 0.8, 8, 3, 4);
  g_autoptr(PhiliaGraph) wider = relabel (graph, LABELS_KEEP, 0, TRUE);
  g_autoptr(PhiliaGraph) two = csbm (80, 0.8, 8, 2, 5);
  g_autoptr(PhiliaGraph) unlabeled = relabel (two, LABELS_REMOVE, 0, FALSE);
  g_autoptr(PhiliaSavedModel) m = trained_model (graph, "gcn");
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaPrediction) p = NULL;

  p = philia_saved_model_predict (m, wider, 1, &error);
  g_assert_null (p);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "expects 8 features per node"));
  g_assert_nonnull (strstr (error->message, "has 9"));
  g_clear_error (&error);

  p = philia_saved_model_predict (m, two, 1, &error);
  g_assert_null (p);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "predicts 3 classes"));
  g_assert_nonnull (strstr (error->message, "has 2"));
  g_clear_error (&error);

  /* Without labels the class count cannot disagree. */
  p = philia_saved_model_predict (m, unlabeled, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (p->n_labeled, ==, 0);
  g_assert_true (isnan (p->accuracy));
  g_clear_pointer (&p, philia_prediction_free);

  /* Weights that do not fit the recipe. */
  {
    PhiliaSavedModel *odd = philia_saved_model_copy (m);

    odd->params.hidden = m->params.hidden / 2;
    p = philia_saved_model_predict (odd, graph, 1, &error);
    g_assert_null (p);
    g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "needs"));
    g_clear_error (&error);
    g_ptr_array_set_size (odd->weights, 1);
    odd->params.hidden = m->params.hidden;
    p = philia_saved_model_predict (odd, graph, 1, &error);
    g_assert_null (p);
    g_assert_nonnull (strstr (error->message, "holds 1 weight matrices"));
    g_clear_error (&error);
    g_free (odd->model);
    odd->model = g_strdup ("no-such-model");
    p = philia_saved_model_predict (odd, graph, 1, &error);
    g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND);
    g_clear_error (&error);
    philia_saved_model_free (odd);
  }
}

/* -------------------------------------------------------------- predict */

static void
test_predict_matches_training (void)
{
  g_autoptr(PhiliaGraph) graph = csbm (150, 0.7, 10, 3, 6);
  const char *models[] = { "gcn", "mlp", "gat", "sage", "sgc", "appnp", "h2gcn", "gprgnn" };

  for (guint k = 0; k < G_N_ELEMENTS (models); k++)
    {
      g_autoptr(PhiliaTrainResult) r = train (graph, models[k], 25);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaSavedModel) m = philia_saved_model_new_from_run (r, graph, &error);
      g_autoptr(GBytes) bytes = philia_saved_model_to_bytes (m, &error);
      g_autoptr(PhiliaSavedModel) back = philia_saved_model_new_from_bytes (bytes, "m", &error);
      g_autoptr(PhiliaPrediction) p = philia_saved_model_predict (back, graph, 1, &error);
      g_autofree char *csv_run = philia_train_result_predictions_csv (r, graph);
      g_autofree char *csv_model = philia_prediction_csv (p, graph);
      gint64 hits = 0;

      g_assert_no_error (error);
      g_assert_cmpmem (p->predictions, sizeof (gint32) * 150, r->predictions,
                       sizeof (gint32) * 150);
      g_assert_cmpmem (p->probabilities, sizeof (float) * 150 * 3, r->probabilities,
                       sizeof (float) * 150 * 3);
      if (r->node_values->len == 0)
        g_assert_cmpstr (csv_model, ==, csv_run);
      /* Accuracy over every labeled node, counted here independently. */
      for (guint i = 0; i < 150; i++)
        hits += r->predictions[i] == philia_graph_get_labels (graph)[i];
      g_assert_cmpfloat_with_epsilon (p->accuracy, hits / 150.0, 1e-12);
    }
}

/* r[i] = Σ_e s(i, e) x[e's column] over @graph's neighbours of i, with the
 * node itself (weight @self) when @self > 0; weights w(i, j). Double. */
static void
propagate (PhiliaGraph  *graph,
           const double *x,
           guint         f,
           gboolean      gcn,
           double       *out)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);

  for (guint i = 0; i < n; i++)
    {
      double di = (double)(off[i + 1] - off[i]);

      for (guint k = 0; k < f; k++)
        out[(gsize)i * f + k] = gcn ? x[(gsize)i * f + k] / (di + 1) : 0;
      for (gint64 e = off[i]; e < off[i + 1]; e++)
        {
          guint j = nbr[e];
          double dj = (double)(off[j + 1] - off[j]);
          double w = gcn ? 1 / sqrt ((di + 1) * (dj + 1)) : 1 / di;

          for (guint k = 0; k < f; k++)
            out[(gsize)i * f + k] += w * x[(gsize)j * f + k];
        }
    }
}

/* out = Σ_p x_p W_p (+ b), [n, k_p] · [k_p, m] for the @parts given. */
static void
affine (guint               n,
        guint               m,
        guint               parts,
        const double *const *x,
        const guint         *k,
        PhiliaTensor *const *w,
        const PhiliaTensor  *b,
        double              *out)
{
  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < m; c++)
      {
        double acc = b != NULL ? b->data[c] : 0;

        for (guint p = 0; p < parts; p++)
          for (guint t = 0; t < k[p]; t++)
            acc += x[p][(gsize)i * k[p] + t] * w[p]->data[(gsize)t * m + c];
        out[(gsize)i * m + c] = acc;
      }
}

/* GCN and SAGE with dense features narrower than the hidden layer keep Â X
 * (or [mean X | X]) across the passes without input dropout. The run's
 * probabilities at its best epoch (an evaluation pass, so on the kept
 * propagation) against the two models computed here in double from the
 * run's weights and the graph's own features; and with dropout 0, where
 * the training passes use the kept propagation too. */
static void
test_kept_propagation (void)
{
  g_autoptr(PhiliaGraph) graph = csbm (160, 0.7, 12, 3, 11);
  guint n = 160, f = 12, c = 3, h = 32;
  const char *models[] = { "gcn", "sage" };
  const double dropouts[] = { -1, 0 };

  for (guint k = 0; k < G_N_ELEMENTS (models); k++)
    for (guint d = 0; d < G_N_ELEMENTS (dropouts); d++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(PhiliaTrainResult) r = NULL;
        g_autofree double *x = g_new (double, (gsize)n * f), *ax = g_new (double, (gsize)n * f);
        g_autofree double *hid = g_new (double, (gsize)n * h), *z = g_new (double, (gsize)n * c);
        g_autofree double *az = g_new (double, (gsize)n * MAX (c, h));
        PhiliaTensor *const *w;
        PhiliaTrainParams params;
        gboolean gcn = k == 0;

        philia_train_params_init (&params);
        params.epochs = 12;
        params.seed = 5;
        params.hidden = h;
        params.dropout = dropouts[d];
        params.normalize_features = FALSE;
        r = philia_train (graph, models[k], &params, NULL, NULL, NULL, NULL, &error);
        g_assert_no_error (error);
        w = (PhiliaTensor *const *)r->weights->pdata;
        for (gsize i = 0; i < (gsize)n * f; i++)
          x[i] = philia_graph_get_features (graph)[i];
        propagate (graph, x, f, gcn, ax);
        if (gcn)
          {
            /* w1, b1, w2, b2: Â relu (Â X W1 + b1) W2 + b2 */
            const double *in[] = { ax };

            affine (n, h, 1, in, &f, &w[0], w[1], hid);
            for (gsize i = 0; i < (gsize)n * h; i++)
              hid[i] = MAX (hid[i], 0);
            in[0] = hid;
            affine (n, c, 1, in, &h, &w[2], NULL, az);
            propagate (graph, az, c, TRUE, z);
            for (gsize i = 0; i < (gsize)n * c; i++)
              z[i] += w[3]->data[i % c];
          }
        else
          {
            /* wl1, wr1, b1, wl2, wr2, b2: mean (H) Wl + H Wr + b, twice */
            const double *in[] = { ax, x };
            const guint ks[] = { f, f }, hs[] = { h, h };
            g_autofree double *mh = g_new (double, (gsize)n * h);

            affine (n, h, 2, in, ks, &w[0], w[2], hid);
            for (gsize i = 0; i < (gsize)n * h; i++)
              hid[i] = MAX (hid[i], 0);
            propagate (graph, hid, h, FALSE, mh);
            in[0] = mh;
            in[1] = hid;
            affine (n, c, 2, in, hs, &w[3], w[5], z);
          }
        for (guint i = 0; i < n; i++)
          {
            double top = z[(gsize)i * c], sum = 0;

            for (guint j = 1; j < c; j++)
              top = MAX (top, z[(gsize)i * c + j]);
            for (guint j = 0; j < c; j++)
              sum += exp (z[(gsize)i * c + j] - top);
            for (guint j = 0; j < c; j++)
              g_assert_cmpfloat_with_epsilon (r->probabilities[(gsize)i * c + j],
                                              exp (z[(gsize)i * c + j] - top) / sum, 1e-4);
          }
      }
}

/* A transformer away from its default recipe: one layer, other walks and
 * samples, a pretraining phase and mini-batches. The file must carry all of
 * it, or predict builds other weight shapes or draws other sequences. */
static void
test_predict_transformer (void)
{
  g_autoptr(PhiliaGraph) graph = csbm (120, 0.3, 8, 3, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaTrainResult) r = NULL;
  g_autoptr(PhiliaSavedModel) m = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PhiliaSavedModel) back = NULL;
  g_autoptr(PhiliaPrediction) p = NULL;
  PhiliaTrainParams params;

  philia_train_params_init (&params);
  params.epochs = 12;
  params.hidden = 16;
  params.heads = 2;
  params.layers = 1;
  params.walks = 2;
  params.walk_length = 5;
  params.hop_samples = 1;
  params.pretrain_epochs = 3;
  params.batch_size = 20;
  params.seed = 11;
  r = philia_train (graph, "transformer", &params, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  m = philia_saved_model_new_from_run (r, graph, &error);
  g_assert_no_error (error);
  bytes = philia_saved_model_to_bytes (m, &error);
  g_assert_no_error (error);
  back = philia_saved_model_new_from_bytes (bytes, "m", &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->params.layers, ==, 1);
  g_assert_cmpint (back->params.walks, ==, 2);
  g_assert_cmpint (back->params.walk_length, ==, 5);
  g_assert_cmpint (back->params.hop_samples, ==, 1);
  g_assert_cmpint (back->params.pretrain_epochs, ==, 3);
  g_assert_cmpint (back->params.batch_size, ==, 20);
  p = philia_saved_model_predict (back, graph, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (p->predictions, sizeof (gint32) * 120, r->predictions, sizeof (gint32) * 120);
  g_assert_cmpmem (p->probabilities, sizeof (float) * 120 * 3, r->probabilities,
                   sizeof (float) * 120 * 3);
}

static void
test_predict_two_class (void)
{
  g_autoptr(PhiliaGraph) graph = csbm (100, 0.8, 6, 2, 8);
  g_autoptr(PhiliaSavedModel) m = trained_model (graph, "gcn");
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaPrediction) p = philia_saved_model_predict (m, graph, 1, &error);
  const gint32 *labels = philia_graph_get_labels (graph);
  double pairs = 0, wins = 0;
  gint64 count[2] = { 0 };

  g_assert_no_error (error);
  /* ROC-AUC by counting pairs (ties half), majority by counting. */
  for (guint i = 0; i < 100; i++)
    {
      count[labels[i]]++;
      for (guint j = 0; j < 100; j++)
        if (labels[i] == 1 && labels[j] == 0)
          {
            float a = p->probabilities[i * 2 + 1], b = p->probabilities[j * 2 + 1];

            pairs++;
            wins += a > b ? 1 : a == b ? 0.5 : 0;
          }
    }
  g_assert_cmpfloat_with_epsilon (p->roc_auc, wins / pairs, 1e-9);
  g_assert_cmpfloat_with_epsilon (p->majority_accuracy,
                                  (double)MAX (count[0], count[1]) / 100, 1e-12);
}

/* ------------------------------------------------------------- objective */

static PhiliaGraph *
path_graph (guint n,
            guint n_isolated)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (n + n_isolated);
  g_autoptr(GError) error = NULL;
  PhiliaGraph *g;

  for (guint i = 0; i + 1 < n; i++)
    philia_graph_builder_add_edge (b, i, i + 1);
  g = philia_graph_builder_build (b, &error);
  g_assert_no_error (error);
  return g;
}

static void
test_objective_values (void)
{
  /* Two nodes, no edges: only information maximisation, by hand. */
  g_autoptr(PhiliaGraph) g = path_graph (0, 2);
  float logp[4] = { logf (0.9f), logf (0.1f), logf (0.5f), logf (0.5f) };
  g_autoptr(PhiliaTensor) t = philia_tensor_new_from (2, 2, logp);
  g_autoptr(SogaNegatives) cum = _philia_soga_negatives_new (g);
  float grad[4];
  double terms[5];
  double h0 = -(0.9 * logf (0.9f) + 0.1 * logf (0.1f)), h1 = log (2.0);
  double m0 = (0.9 + 0.5) / 2, m1 = (0.1 + 0.5) / 2;
  PhiliaRng rng;

  philia_rng_init (&rng, 1);
  _philia_soga_objective (t, g, 1.0, 2, 5, cum, &rng, grad, terms);
  g_assert_cmpfloat_with_epsilon (terms[2], (h0 + h1) / 2, 1e-6);
  g_assert_cmpfloat_with_epsilon (terms[3], -(m0 * log (m0) + m1 * log (m1)), 1e-6);
  g_assert_cmpfloat (terms[4], ==, 0);
  g_assert_cmpfloat_with_epsilon (terms[0], terms[2] - terms[3], 1e-12);
}

/* The alias table draws node v with probability deg(v)^0.75 / Σ; uniformly
 * without edges. A star of 5 leaves with a tail and an isolated node. */
static void
test_negative_sampling (void)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (9);
  g_autoptr(PhiliaGraph) g = NULL;
  g_autoptr(PhiliaGraph) bare = path_graph (0, 4);
  g_autoptr(SogaNegatives) t = NULL;
  g_autoptr(SogaNegatives) u = NULL;
  guint count[9] = { 0 }, bare_count[4] = { 0 };
  const guint draws = 400000;
  double total = 0, w[9];
  PhiliaRng rng;

  for (guint leaf = 1; leaf <= 5; leaf++)
    philia_graph_builder_add_edge (b, 0, leaf);
  philia_graph_builder_add_edge (b, 5, 6);
  philia_graph_builder_add_edge (b, 6, 7);
  g = philia_graph_builder_build (b, NULL);
  t = _philia_soga_negatives_new (g);
  u = _philia_soga_negatives_new (bare);
  philia_rng_init (&rng, 21);
  for (guint i = 0; i < draws; i++)
    {
      count[_philia_soga_draw_negative (t, &rng)]++;
      bare_count[_philia_soga_draw_negative (u, &rng)]++;
    }
  {
    const double degree[9] = { 5, 1, 1, 1, 1, 2, 2, 1, 0 };

    for (guint v = 0; v < 9; v++)
      total += w[v] = pow (degree[v], 0.75);
  }
  g_assert_cmpuint (count[8], ==, 0);
  for (guint v = 0; v < 9; v++)
    g_assert_cmpfloat_with_epsilon ((double)count[v] / draws, w[v] / total, 0.005);
  for (guint v = 0; v < 4; v++)
    g_assert_cmpfloat_with_epsilon ((double)bare_count[v] / draws, 0.25, 0.005);
}

/* The gradient against central differences, pairs fixed by the seed; on a
 * path with isolated nodes (no pairs from them). */
static void
test_objective_gradient (void)
{
  g_autoptr(PhiliaGraph) g = path_graph (6, 2);
  guint n = 8, c = 3;
  g_autoptr(PhiliaTensor) t = philia_tensor_new (n, c);
  g_autoptr(SogaNegatives) cum = _philia_soga_negatives_new (g);
  g_autofree float *grad = g_new (float, n * c);
  g_autofree float *scratch = g_new (float, n * c);
  double terms[5], up[5], down[5];
  PhiliaRng rng;

  philia_rng_init (&rng, 3);
  for (guint i = 0; i < n; i++)
    {
      double z[3], s = 0;

      for (guint j = 0; j < c; j++)
        s += z[j] = exp (2 * philia_rng_float (&rng));
      for (guint j = 0; j < c; j++)
        t->data[i * c + j] = (float)log (z[j] / s);
    }
  philia_rng_init (&rng, 11);
  _philia_soga_objective (t, g, 0.7, 3, 4, cum, &rng, grad, terms);
  g_assert_cmpfloat (terms[4], >, 0);
  for (guint k = 0; k < n * c; k++)
    {
      float keep = t->data[k];
      const float h = 1e-2f;
      double numeric;

      t->data[k] = keep + h;
      philia_rng_init (&rng, 11);
      _philia_soga_objective (t, g, 0.7, 3, 4, cum, &rng, scratch, up);
      t->data[k] = keep - h;
      philia_rng_init (&rng, 11);
      _philia_soga_objective (t, g, 0.7, 3, 4, cum, &rng, scratch, down);
      t->data[k] = keep;
      numeric = (up[0] - down[0]) / (2 * h);
      g_assert_cmpfloat_with_epsilon (grad[k], numeric, 2e-3 + 1e-2 * fabs (numeric));
    }
}

/* The whole objective and its gradient against a second computation in
 * double: the pairs drawn again from the same seed in the documented order
 * (per node with neighbours: 1 + below(window) walk steps, each to a uniform
 * neighbour, then k negatives), the loss summed from its definition and its
 * derivative taken term by term. @c classes, @k negatives. */
static void
check_objective_reference (PhiliaGraph *g,
                           guint        c,
                           guint        window,
                           guint        k,
                           guint        expected_pairs)
{
  g_autoptr(SogaNegatives) negatives = _philia_soga_negatives_new (g);
  const guint n = philia_graph_get_n_nodes (g);
  const double lambda = 0.8;
  g_autoptr(PhiliaTensor) t = philia_tensor_new (n, c);
  g_autofree float *grad = g_new (float, n * c);
  g_autofree double *p = g_new (double, n * c);
  g_autofree double *dp = g_new0 (double, n * c);   /* d structure / d p */
  g_autofree double *mean = g_new0 (double, c);
  const gint64 *off = philia_graph_get_row_offsets (g);
  const gint32 *nbr = philia_graph_get_neighbors (g);
  double entropy = 0, marginal = 0, structure = 0, terms[5];
  guint n_pairs = 0;
  PhiliaRng rng;

  philia_rng_init (&rng, 5);
  for (guint i = 0; i < n; i++)
    {
      double z[16], s = 0;

      g_assert_cmpuint (c, <=, G_N_ELEMENTS (z));
      for (guint j = 0; j < c; j++)
        s += z[j] = exp (3 * philia_rng_float (&rng));
      for (guint j = 0; j < c; j++)
        {
          t->data[i * c + j] = (float)log (z[j] / s);
          p[i * c + j] = exp ((double)t->data[i * c + j]);
          entropy -= p[i * c + j] * t->data[i * c + j] / n;
          mean[j] += p[i * c + j] / n;
        }
    }
  for (guint j = 0; j < c; j++)
    marginal -= mean[j] * log (mean[j]);

  philia_rng_init (&rng, 17);
  for (guint i = 0; i < n; i++)
    {
      guint v = i, steps;
      double dot = 0, slope;

      if (off[i + 1] == off[i])
        continue;
      steps = 1 + philia_rng_below (&rng, window);
      for (guint s = 0; s < steps; s++)
        v = nbr[off[v] + philia_rng_below (&rng, (guint32)(off[v + 1] - off[v]))];
      for (guint j = 0; j < c; j++)
        dot += p[i * c + j] * p[v * c + j];
      structure += log1p (exp (-dot));   /* −log σ(dot) */
      slope = -1 / (1 + exp (dot));       /* its derivative, −σ(−dot) */
      for (guint j = 0; j < c; j++)
        {
          dp[i * c + j] += slope * p[v * c + j];
          dp[v * c + j] += slope * p[i * c + j];
        }
      for (guint r = 0; r < k; r++)
        {
          guint u = _philia_soga_draw_negative (negatives, &rng);

          dot = 0;
          for (guint j = 0; j < c; j++)
            dot += p[i * c + j] * p[u * c + j];
          structure += log1p (exp (dot));   /* −log σ(−dot) */
          slope = 1 / (1 + exp (-dot));      /* σ(dot) */
          for (guint j = 0; j < c; j++)
            {
              dp[i * c + j] += slope * p[u * c + j];
              dp[u * c + j] += slope * p[i * c + j];
            }
        }
      n_pairs++;
    }
  g_assert_cmpuint (n_pairs, ==, expected_pairs);
  structure /= n_pairs;

  philia_rng_init (&rng, 17);
  _philia_soga_objective (t, g, lambda, window, k, negatives, &rng, grad, terms);
  g_assert_cmpfloat_with_epsilon (terms[2], entropy, 1e-6);
  g_assert_cmpfloat_with_epsilon (terms[3], marginal, 1e-6);
  g_assert_cmpfloat_with_epsilon (terms[4], structure, 1e-6);
  g_assert_cmpfloat_with_epsilon (terms[1], entropy - marginal, 1e-6);
  g_assert_cmpfloat_with_epsilon (terms[0], entropy - marginal + lambda * structure, 1e-6);
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < c; j++)
      {
        double pij = p[i * c + j], lij = t->data[i * c + j];
        /* d/d log p_ij, p_ij times d/dp_ij: −(log p + 1)/n from the mean
         * entropy, (log p̄_j + 1)/n from the entropy of the mean. */
        double want = pij * (-(lij + 1) / n + (log (mean[j]) + 1) / n
                             + lambda / n_pairs * dp[i * c + j]);

        g_assert_cmpfloat_with_epsilon (grad[i * c + j], want, 1e-7 + 1e-5 * fabs (want));
      }
}

/* A path, a triangle with a duplicate edge, a self-loop (the graph keeps
 * none) and an isolated node; four classes and three negatives (one group
 * of partners, one vector of classes), then eleven classes and nine
 * negatives (two of each). */
static void
test_objective_reference (void)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (10);
  g_autoptr(PhiliaGraph) g = NULL;
  const gint64 *off;

  for (guint i = 0; i + 1 < 5; i++)
    philia_graph_builder_add_edge (b, i, i + 1);
  philia_graph_builder_add_edge (b, 5, 6);
  philia_graph_builder_add_edge (b, 6, 7);
  philia_graph_builder_add_edge (b, 7, 5);
  philia_graph_builder_add_edge (b, 7, 5);
  philia_graph_builder_add_edge (b, 8, 8);
  g = philia_graph_builder_build (b, NULL);
  off = philia_graph_get_row_offsets (g);
  /* The graph keeps no self-loop: node 8 walks nowhere, like node 9. */
  g_assert_cmpint (off[9] - off[8], ==, 0);
  check_objective_reference (g, 4, 3, 3, 8);
  check_objective_reference (g, 11, 3, 9, 8);
  check_objective_reference (g, 8, 2, 7, 8);
}

/* Enough pairs (400) that the structure loss's products are taken in
 * several batches, with isolated nodes among them and duplicate chords. */
static void
test_objective_reference_large (void)
{
  g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (410);
  g_autoptr(PhiliaGraph) g = NULL;

  for (guint i = 0; i < 400; i++)
    {
      philia_graph_builder_add_edge (b, i, (i + 1) % 400);
      philia_graph_builder_add_edge (b, i, (i * 7 + 3) % 400);
    }
  g = philia_graph_builder_build (b, NULL);
  check_objective_reference (g, 5, 2, 5, 400);
}

/* ------------------------------------------------------------ adaptation */

static PhiliaAdaptResult *
adapt (const PhiliaSavedModel *m,
       PhiliaGraph            *target,
       int                     epochs,
       guint64                 seed)
{
  g_autoptr(GError) error = NULL;
  PhiliaAdaptParams params;
  PhiliaAdaptResult *r;

  philia_adapt_params_init (&params);
  params.epochs = epochs;
  params.lr = 0.01;
  r = philia_adapt (m, target, &params, seed, 1, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return r;
}

static void
test_adapt_label_blind (void)
{
  g_autoptr(PhiliaGraph) source = csbm (200, 0.9, 10, 3, 9);
  g_autoptr(PhiliaGraph) target = csbm (180, 0.4, 10, 3, 10);
  g_autoptr(PhiliaGraph) scrambled = relabel (target, LABELS_SCRAMBLE, 5, FALSE);
  g_autoptr(PhiliaGraph) removed = relabel (target, LABELS_REMOVE, 0, FALSE);
  g_autoptr(PhiliaSavedModel) m = trained_model (source, "gcn");
  g_autoptr(PhiliaAdaptResult) a = adapt (m, target, 20, 4);
  g_autoptr(PhiliaAdaptResult) b = adapt (m, scrambled, 20, 4);
  g_autoptr(PhiliaAdaptResult) c = adapt (m, removed, 20, 4);
  g_autoptr(PhiliaAdaptResult) d = adapt (m, target, 20, 5);
  gboolean differs = FALSE;

  assert_same_weights (a->adapted, b->adapted);
  assert_same_weights (a->adapted, c->adapted);
  g_assert_cmpmem (a->loss, sizeof (double) * 20, b->loss, sizeof (double) * 20);
  g_assert_cmpmem (a->loss, sizeof (double) * 20, c->loss, sizeof (double) * 20);
  /* The labels did score: differently for the scrambled ones, not at all
   * without them. */
  g_assert_false (isnan (a->after->accuracy));
  g_assert_true (isnan (c->after->accuracy) && isnan (c->accuracy_curve[0]));
  g_assert_cmpstr (a->adapted->adapted_from, ==, "soga");
  /* The weights did move, and another seed samples other pairs. */
  for (guint i = 0; i < m->weights->len && !differs; i++)
    {
      const PhiliaTensor *x = g_ptr_array_index (m->weights, i);
      const PhiliaTensor *y = g_ptr_array_index (a->adapted->weights, i);

      differs = memcmp (x->data, y->data, sizeof (float) * x->rows * x->cols) != 0;
    }
  g_assert_true (differs);
  g_assert_true (memcmp (a->loss, d->loss, sizeof (double) * 20) != 0);
  /* The adapted model predicts on the target what the result says. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PhiliaPrediction) p = philia_saved_model_predict (a->adapted, target, 1, &error);

    g_assert_no_error (error);
    g_assert_cmpmem (p->predictions, sizeof (gint32) * 180, a->after->predictions,
                     sizeof (gint32) * 180);
  }
  /* Source-only is the model as saved. */
  {
    g_autoptr(PhiliaPrediction) p = philia_saved_model_predict (m, target, 1, NULL);

    g_assert_cmpmem (p->predictions, sizeof (gint32) * 180, a->before->predictions,
                     sizeof (gint32) * 180);
  }
}

/* Lowering the objective is what the steps do: the loss falls. */
static void
test_adapt_lowers_objective (void)
{
  g_autoptr(PhiliaGraph) source = csbm (200, 0.9, 10, 3, 12);
  g_autoptr(PhiliaGraph) target = csbm (200, 0.5, 10, 3, 13);
  g_autoptr(PhiliaSavedModel) m = trained_model (source, "gcn");
  g_autoptr(PhiliaAdaptResult) r = adapt (m, target, 60, 1);

  g_assert_cmpuint (r->n_epochs, ==, 60);
  g_assert_cmpfloat (r->loss[59], <, r->loss[0]);
  g_assert_cmpfloat (r->epoch_ms_median, >, 0);
}

static void
test_adapt_small_graphs (void)
{
  /* One node without edges; a graph with only isolated nodes. */
  g_autoptr(PhiliaGraph) source = csbm (60, 0.9, 4, 2, 14);
  g_autoptr(PhiliaSavedModel) m = trained_model (source, "gcn");
  g_autoptr(GError) error = NULL;

  for (guint n = 1; n <= 3; n += 2)
    {
      g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (n);
      g_autoptr(PhiliaGraph) g = NULL;
      g_autoptr(PhiliaAdaptResult) r = NULL;
      float *x = g_new0 (float, n * 4);

      x[0] = 1;
      if (n == 3)
        {
          philia_graph_builder_add_edge (b, 1, 1);   /* a self-loop */
          philia_graph_builder_add_edge (b, 1, 2);
          philia_graph_builder_add_edge (b, 1, 2);   /* a duplicate */
        }
      philia_graph_builder_take_features (b, x, 4);
      g = philia_graph_builder_build (b, &error);
      g_assert_no_error (error);
      r = adapt (m, g, 5, 0);
      g_assert_cmpuint (r->n_epochs, ==, 5);
      g_assert_true (isfinite (r->loss[4]));
    }
  {
    g_autoptr(PhiliaGraphBuilder) b = philia_graph_builder_new (0);
    g_autoptr(PhiliaGraph) empty = philia_graph_builder_build (b, NULL);
    g_autoptr(PhiliaAdaptResult) r = NULL;

    if (empty != NULL)
      {
        r = philia_adapt (m, empty, NULL, 0, 1, NULL, NULL, NULL, NULL, &error);
        g_assert_null (r);
        g_assert_nonnull (error);
      }
  }
}

static void
count_epoch (const PhiliaAdaptEpoch *epoch,
             gpointer                user_data)
{
  GCancellable *cancellable = ((gpointer *)user_data)[0];
  guint *count = ((gpointer *)user_data)[1];

  g_assert_cmpuint (epoch->epoch, ==, *count + 1);
  g_assert_cmpfloat_with_epsilon (epoch->loss, epoch->im_loss + 1.0 * epoch->structure_loss,
                                  1e-9);
  g_assert_cmpfloat_with_epsilon (epoch->im_loss, epoch->mean_entropy - epoch->marginal_entropy,
                                  1e-9);
  (*count)++;
  if (*count == 3)
    g_cancellable_cancel (cancellable);
}

static void
test_adapt_cancel (void)
{
  g_autoptr(PhiliaGraph) source = csbm (80, 0.9, 6, 3, 15);
  g_autoptr(PhiliaSavedModel) m = trained_model (source, "gcn");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint count = 0;
  gpointer data[2] = { cancellable, &count };
  PhiliaAdaptResult *r;

  r = philia_adapt (m, source, NULL, 0, 1, NULL, cancellable, count_epoch, data, &error);
  g_assert_null (r);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count, ==, 3);
}

typedef struct
{
  GMainLoop         *loop;
  guint              epochs;
  PhiliaAdaptResult *result;
  GError            *error;
} AsyncState;

static void
on_epochs (const PhiliaAdaptEpoch *epochs,
           guint                   n_epochs,
           gpointer                user_data)
{
  AsyncState *s = user_data;

  for (guint i = 0; i < n_epochs; i++)
    g_assert_cmpuint (epochs[i].epoch, ==, ++s->epochs);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncState *s = user_data;

  s->result = philia_adapt_finish (result, &s->error);
  g_main_loop_quit (s->loop);
}

static void
test_adapt_async (void)
{
  g_autoptr(PhiliaGraph) source = csbm (80, 0.9, 6, 3, 16);
  g_autoptr(PhiliaGraph) target = csbm (80, 0.5, 6, 3, 17);
  g_autoptr(PhiliaSavedModel) m = trained_model (source, "gcn");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(PhiliaAdaptResult) sync = adapt (m, target, 12, 2);
  AsyncState s = { loop, 0, NULL, NULL };
  PhiliaAdaptParams params;

  philia_adapt_params_init (&params);
  params.epochs = 12;
  params.lr = 0.01;
  philia_adapt_async (m, target, &params, 2, 1, NULL, on_epochs, &s, NULL, on_done, &s);
  g_main_loop_run (loop);
  g_assert_no_error (s.error);
  g_assert_cmpuint (s.epochs, ==, 12);
  assert_same_weights (sync->adapted, s.result->adapted);
  philia_adapt_result_free (s.result);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();

  g_test_add_func ("/model/round-trip", test_round_trip);
  g_test_add_func ("/model/class-names", test_class_names);
  g_test_add_func ("/model/refusals", test_refusals);
  g_test_add_func ("/model/mismatch", test_mismatch);
  g_test_add_func ("/model/predict-matches-training", test_predict_matches_training);
  g_test_add_func ("/model/kept-propagation", test_kept_propagation);
  g_test_add_func ("/model/predict-two-class", test_predict_two_class);
  g_test_add_func ("/model/predict-transformer", test_predict_transformer);
  g_test_add_func ("/adapt/objective-values", test_objective_values);
  g_test_add_func ("/adapt/objective-gradient", test_objective_gradient);
  g_test_add_func ("/adapt/objective-reference", test_objective_reference);
  g_test_add_func ("/adapt/objective-reference-large", test_objective_reference_large);
  g_test_add_func ("/adapt/negative-sampling", test_negative_sampling);
  g_test_add_func ("/adapt/label-blind", test_adapt_label_blind);
  g_test_add_func ("/adapt/lowers-objective", test_adapt_lowers_objective);
  g_test_add_func ("/adapt/small-graphs", test_adapt_small_graphs);
  g_test_add_func ("/adapt/cancel", test_adapt_cancel);
  g_test_add_func ("/adapt/async", test_adapt_async);
  return g_test_run ();
}
