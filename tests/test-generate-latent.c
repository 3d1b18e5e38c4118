/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"

/* The latent space model: reproducible by seed, knobs that do what they
 * say, and the geometry read back from the features (with no noise they are
 * the feature positions, so distances can be checked by hand). */

static PhiliaGraph *
generate (const PhiliaLatentParams *p,
          double                   *radius)
{
  GError *error = NULL;
  PhiliaGraph *graph = philia_latent_generate (p, radius, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (graph);
  return graph;
}

static double
mean_degree (PhiliaGraph *graph)
{
  return 2.0 * philia_graph_get_n_edges (graph) / philia_graph_get_n_nodes (graph);
}

/* Share of edges whose ends have a common neighbour. */
static double
closed_share (PhiliaGraph *graph)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  gint64 closed = 0, m = 0;

  for (guint u = 0; u < n; u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      if (nbr[e] > (gint32)u)
        {
          gboolean found = FALSE;

          m++;
          for (gint64 f = off[u]; f < off[u + 1] && !found; f++)
            found = philia_graph_find_edge (graph, (guint)nbr[e], (guint)nbr[f]) >= 0;
          closed += found;
        }
  return m ? (double)closed / m : NAN;
}

static void
test_seed (void)
{
  PhiliaLatentParams p;
  g_autoptr(PhiliaGraph) a = NULL;
  g_autoptr(PhiliaGraph) b = NULL;
  g_autoptr(PhiliaGraph) c = NULL;
  guint n, f;

  philia_latent_params_init (&p);
  p.n_nodes = 300;
  p.seed = 11;
  p.n_classes = 3;
  a = generate (&p, NULL);
  b = generate (&p, NULL);
  n = philia_graph_get_n_nodes (a);
  f = philia_graph_get_n_features (a);
  g_assert_cmpuint (n, ==, 300);
  g_assert_cmpuint (f, ==, 2 * p.feature_dim);
  g_assert_cmpint (philia_graph_get_n_edges (a), ==, philia_graph_get_n_edges (b));
  g_assert_cmpmem (philia_graph_get_neighbors (a), sizeof (gint32) * 2 * philia_graph_get_n_edges (a),
                   philia_graph_get_neighbors (b), sizeof (gint32) * 2 * philia_graph_get_n_edges (b));
  g_assert_cmpmem (philia_graph_get_features (a), sizeof (float) * n * f,
                   philia_graph_get_features (b), sizeof (float) * n * f);
  g_assert_cmpmem (philia_graph_get_labels (a), sizeof (gint32) * n,
                   philia_graph_get_labels (b), sizeof (gint32) * n);
  p.seed = 12;
  c = generate (&p, NULL);
  g_assert_true (philia_graph_get_n_edges (a) != philia_graph_get_n_edges (c)
                 || memcmp (philia_graph_get_neighbors (a), philia_graph_get_neighbors (c),
                            sizeof (gint32) * 2 * philia_graph_get_n_edges (a)) != 0);
}

/* The radii are calibrated so the mean degree is the one asked for, for any
 * mix of the spaces; spread radii are checked in two dimensions only (in
 * ten, a degree grows like r¹⁰ and a few hubs make the calibration's sample
 * of nodes a noisy estimate). */
static void
test_degree (void)
{
  const double degrees[] = { 3, 12 };
  const double weights[] = { 0, 0.5, 1 };
  const double spreads[] = { 0, 0.8 };

  for (guint d = 0; d < G_N_ELEMENTS (degrees); d++)
    for (guint w = 0; w < G_N_ELEMENTS (weights); w++)
      for (guint s = 0; s < G_N_ELEMENTS (spreads); s++)
        {
          PhiliaLatentParams p;
          g_autoptr(PhiliaGraph) g = NULL;

          if (spreads[s] > 0 && weights[w] > 0)
            continue;
          philia_latent_params_init (&p);
          p.n_nodes = 1500;
          p.degree = degrees[d];
          p.feature_weight = weights[w];
          p.radius_spread = spreads[s];
          p.seed = d * 10 + w * 3 + s;
          g = generate (&p, NULL);
          g_test_message ("degree %g β %g σ %g: %.3f", p.degree, p.feature_weight,
                          p.radius_spread, mean_degree (g));
          g_assert_cmpfloat (fabs (mean_degree (g) - p.degree), <, 0.12 * p.degree);
        }
}

/* With noise 0 the features are (cos 2πt, sin 2πt) of the feature positions:
 * on the unit circle. With β = 1 and a hard threshold, a pair is an edge
 * exactly when its feature distance (over its mean) is below r₀: checked on
 * every pair, the few pairs within 3 % of the radius excepted. */
static void
test_feature_geometry (void)
{
  PhiliaLatentParams p;
  g_autoptr(PhiliaGraph) g = NULL;
  g_autofree double *t = NULL;
  const float *x;
  guint n, F;
  double r0, mean = 0, wrong = 0;
  gint64 pairs = 0;

  philia_latent_params_init (&p);
  p.n_nodes = 400;
  p.feature_dim = 2;
  p.feature_weight = 1;
  p.noise = 0;
  p.sharpness = 2000;
  p.degree = 8;
  p.seed = 5;
  g = generate (&p, &r0);
  n = philia_graph_get_n_nodes (g);
  F = p.feature_dim;
  x = philia_graph_get_features (g);
  t = g_new (double, n * F);
  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < F; k++)
      {
        double c = x[i * 2 * F + 2 * k], s = x[i * 2 * F + 2 * k + 1];

        g_assert_cmpfloat (fabs (c * c + s * s - 1), <, 1e-5);
        t[i * F + k] = atan2 (s, c) / (2 * G_PI);
      }
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      for (guint j = i + 1; j < n; j++)
        {
          double sum = 0, d;

          for (guint k = 0; k < F; k++)
            {
              double a = fabs (t[i * F + k] - t[j * F + k]);

              a = MIN (a, 1 - a);
              sum += a * a;
            }
          d = sqrt (sum);
          if (pass == 0)
            {
              mean += d;
              pairs++;
              continue;
            }
          d /= mean / pairs;
          if (fabs (d / r0 - 1) < 0.03)
            continue;
          wrong += (philia_graph_find_edge (g, i, j) >= 0) != (d < r0);
        }
  g_assert_cmpfloat (wrong, ==, 0);
}

/* Where the links come from decides what explains them: with β = 0 the
 * features say nothing about links (linked and random pairs equally
 * similar), with β = 1 linked pairs are far more similar; the dense
 * two-dimensional preset closes triangles on almost every edge, the
 * sparse one and the eight-dimensional feature space far fewer. */
static double
linked_cosine (PhiliaGraph *g)
{
  guint n = philia_graph_get_n_nodes (g), f = philia_graph_get_n_features (g);
  const float *x = philia_graph_get_features (g);
  const gint64 *off = philia_graph_get_row_offsets (g);
  const gint32 *nbr = philia_graph_get_neighbors (g);
  double sum = 0;

  for (guint u = 0; u < n; u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      {
        double dot = 0, a = 0, b = 0;

        for (guint k = 0; k < f; k++)
          {
            dot += x[u * f + k] * x[nbr[e] * f + k];
            a += x[u * f + k] * x[u * f + k];
            b += x[nbr[e] * f + k] * x[nbr[e] * f + k];
          }
        sum += dot / sqrt (a * b);
      }
  return sum / off[n];
}

static void
test_presets (void)
{
  PhiliaLatentParams p;
  g_autoptr(PhiliaGraph) lsp = NULL;
  g_autoptr(PhiliaGraph) gsp = NULL;
  g_autoptr(PhiliaGraph) fp = NULL;
  PhiliaLatentPreset preset;

  g_assert_true (philia_latent_preset_from_string ("gsp", &preset));
  g_assert_cmpint (preset, ==, PHILIA_LATENT_PRESET_GSP);
  g_assert_false (philia_latent_preset_from_string ("LSP", NULL));

  philia_latent_params_init (&p);
  p.n_nodes = 1000;
  p.seed = 2;
  philia_latent_params_preset (&p, PHILIA_LATENT_PRESET_LSP);
  lsp = generate (&p, NULL);
  philia_latent_params_preset (&p, PHILIA_LATENT_PRESET_GSP);
  gsp = generate (&p, NULL);
  philia_latent_params_preset (&p, PHILIA_LATENT_PRESET_FP);
  fp = generate (&p, NULL);
  g_assert_cmpuint (philia_graph_get_n_nodes (fp), ==, 1000);
  g_test_message ("closed: lsp %.3f gsp %.3f fp %.3f; cosine: lsp %.3f fp %.3f",
                  closed_share (lsp), closed_share (gsp), closed_share (fp),
                  linked_cosine (lsp), linked_cosine (fp));
  g_assert_cmpfloat (closed_share (lsp), >, 0.95);
  g_assert_cmpfloat (closed_share (gsp), <, closed_share (lsp) - 0.1);
  g_assert_cmpfloat (fabs (linked_cosine (lsp)), <, 0.05);
  g_assert_cmpfloat (linked_cosine (fp), >, 0.5);
}

/* More noise, features further from the circle; labels in range. */
static void
test_noise_and_labels (void)
{
  PhiliaLatentParams p;
  double spread[2];

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PhiliaGraph) g = NULL;
      const float *x;
      guint n, f;
      double sum = 0;

      philia_latent_params_init (&p);
      p.n_nodes = 200;
      p.noise = i ? 0.5 : 0.05;
      p.n_classes = i ? 4 : 0;
      g = generate (&p, NULL);
      n = philia_graph_get_n_nodes (g);
      f = philia_graph_get_n_features (g);
      x = philia_graph_get_features (g);
      for (guint v = 0; v < n; v++)
        for (guint k = 0; k < f; k += 2)
          sum += fabs (hypot (x[v * f + k], x[v * f + k + 1]) - 1);
      spread[i] = sum / (n * f / 2);
      if (i == 0)
        g_assert_cmpuint (philia_graph_get_n_classes (g), ==, 0);
      else
        {
          g_assert_cmpuint (philia_graph_get_n_classes (g), <=, 4);
          for (guint v = 0; v < n; v++)
            g_assert_true (philia_graph_get_labels (g)[v] >= 0
                           && philia_graph_get_labels (g)[v] < 4);
        }
    }
  g_assert_cmpfloat (spread[1], >, 4 * spread[0]);
}

static void
test_refusals (void)
{
  struct { const char *what; double value; } bad[] = {
    { "nodes", 1 }, { "nodes", 50001 }, { "dim", 0 }, { "dim", 17 }, { "degree", 0 },
    { "degree", 10 }, { "sharpness", 0 }, { "spread", -1 }, { "weight", 1.5 },
    { "feature_dim", 0 }, { "noise", -0.1 }, { "classes", 65 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      PhiliaLatentParams p;
      GError *error = NULL;

      philia_latent_params_init (&p);
      p.n_nodes = 10;
      p.degree = 2;
      if (g_str_equal (bad[i].what, "nodes")) p.n_nodes = (guint)bad[i].value;
      if (g_str_equal (bad[i].what, "dim")) p.dim = (guint)bad[i].value;
      if (g_str_equal (bad[i].what, "degree")) p.degree = bad[i].value;
      if (g_str_equal (bad[i].what, "sharpness")) p.sharpness = bad[i].value;
      if (g_str_equal (bad[i].what, "spread")) p.radius_spread = bad[i].value;
      if (g_str_equal (bad[i].what, "weight")) p.feature_weight = bad[i].value;
      if (g_str_equal (bad[i].what, "feature_dim")) p.feature_dim = (guint)bad[i].value;
      if (g_str_equal (bad[i].what, "noise")) p.noise = bad[i].value;
      if (g_str_equal (bad[i].what, "classes")) p.n_classes = (guint)bad[i].value;
      g_assert_null (philia_latent_generate (&p, NULL, NULL, &error));
      g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION);
      g_assert_true (g_str_has_suffix (error->message, "."));
      g_clear_error (&error);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/generate-latent/seed", test_seed);
  g_test_add_func ("/generate-latent/degree", test_degree);
  g_test_add_func ("/generate-latent/feature-geometry", test_feature_geometry);
  g_test_add_func ("/generate-latent/presets", test_presets);
  g_test_add_func ("/generate-latent/noise-and-labels", test_noise_and_labels);
  g_test_add_func ("/generate-latent/refusals", test_refusals);
  return g_test_run ();
}
