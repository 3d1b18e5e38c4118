/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The latent space network model with a feature space (see the header):
 * graphs built so that local structure, global structure or features
 * explain the links. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"

#define MAX_NODES 50000
#define CALIBRATION_PAIRS 20000
#define CALIBRATION_ENTRIES 1500000

gboolean
philia_latent_preset_from_string (const char         *name,
                                  PhiliaLatentPreset *preset)
{
  static const char *names[] = { "lsp", "gsp", "fp" };

  g_return_val_if_fail (name != NULL, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (name, names[i]))
      {
        if (preset != NULL)
          *preset = i;
        return TRUE;
      }
  return FALSE;
}

void
philia_latent_params_init (PhiliaLatentParams *params)
{
  g_return_if_fail (params != NULL);

  *params = (PhiliaLatentParams) {
    .n_nodes = 2000,
    .n_classes = 0,
    .seed = 0,
  };
  philia_latent_params_preset (params, PHILIA_LATENT_PRESET_LSP);
}

void
philia_latent_params_preset (PhiliaLatentParams *params,
                             PhiliaLatentPreset  preset)
{
  g_return_if_fail (params != NULL);

  /* Chosen from the model's geometry before anything was measured on them:
   * in two dimensions the neighbourhoods of linked nodes overlap by about
   * 59 %, so a mean degree of 20 gives a dozen common neighbours and one of
   * 3 often none; in eight dimensions the overlap is a few per cent. */
  params->dim = 2;
  params->sharpness = 20;
  params->radius_spread = 0;
  params->feature_dim = 8;
  params->noise = 0.1;
  switch (preset)
    {
    case PHILIA_LATENT_PRESET_LSP:
      params->degree = 20;
      params->feature_weight = 0;
      break;
    case PHILIA_LATENT_PRESET_GSP:
      params->degree = 3;
      params->feature_weight = 0;
      break;
    case PHILIA_LATENT_PRESET_FP:
    default:
      params->degree = 10;
      params->feature_weight = 1;
      break;
    }
}

/* The distance on the unit torus. */
static double
torus_distance (const double *a,
                const double *b,
                guint         dim)
{
  double sum = 0;

  for (guint k = 0; k < dim; k++)
    {
      double d = fabs (a[k] - b[k]);

      d = MIN (d, 1 - d);
      sum += d * d;
    }
  return sqrt (sum);
}

static double
rng_uniform (PhiliaRng *rng)
{
  return (philia_rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

static double
rng_gaussian (PhiliaRng *rng)
{
  double u = 1 - rng_uniform (rng), v = rng_uniform (rng);

  return sqrt (-2 * log (u)) * cos (2 * G_PI * v);
}

static double
link_probability (double d,
                  double r,
                  double sharpness)
{
  return 1 / (1 + exp (sharpness * (d / r - 1)));
}

static gboolean
check (const PhiliaLatentParams *p,
       GError                  **error)
{
  const char *bad = NULL;

  if (p->n_nodes < 2 || p->n_nodes > MAX_NODES)
    bad = "The latent space model takes 2 to 50000 nodes (every pair is drawn).";
  else if (p->dim < 1 || p->dim > 16)
    bad = "The latent dimension must be between 1 and 16.";
  else if (!(p->degree > 0) || p->degree > p->n_nodes - 1.0)
    bad = "The mean degree must be positive and below the number of nodes.";
  else if (!(p->sharpness > 0) || !isfinite (p->sharpness))
    bad = "The sharpness must be positive.";
  else if (!(p->radius_spread >= 0 && p->radius_spread <= 3))
    bad = "The radius spread must be between 0 and 3.";
  else if (!(p->feature_weight >= 0 && p->feature_weight <= 1))
    bad = "The feature weight must be between 0 and 1.";
  else if (p->feature_dim < 1 || p->feature_dim > 64)
    bad = "The feature dimension must be between 1 and 64.";
  else if (!(p->noise >= 0) || !isfinite (p->noise))
    bad = "The feature noise must not be negative.";
  else if (p->n_classes > 64 || p->n_classes > p->n_nodes)
    bad = "The number of classes must be at most 64 and at most the number of nodes.";
  if (bad != NULL)
    g_set_error_literal (error, PHILIA_ERROR, PHILIA_ERROR_OPTION, bad);
  return bad == NULL;
}

PhiliaGraph *
philia_latent_generate (const PhiliaLatentParams *params,
                        double                   *radius_out,
                        GCancellable             *cancellable,
                        GError                  **error)
{
  g_autoptr(PhiliaGraphBuilder) builder = NULL;
  g_autofree double *pos = NULL;
  g_autofree double *feat = NULL;
  g_autofree double *scale = NULL;
  g_autofree double *cal_d = NULL;
  g_autofree double *cal_s = NULL;
  g_autoptr(GArray) edges = NULL;
  PhiliaRng rng;
  guint n, D, F, n_cal;
  double ws, wf, mean_s = 0, mean_f = 0, lo, hi, r0;
  g_autofree char *source = NULL;
  char deg[G_ASCII_DTOSTR_BUF_SIZE], beta[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check (params, error))
    return NULL;
  n = params->n_nodes;
  D = params->dim;
  F = params->feature_dim;
  philia_rng_init (&rng, params->seed);

  pos = g_new (double, (gsize)n * D);
  feat = g_new (double, (gsize)n * F);
  scale = g_new (double, n);
  for (gsize i = 0; i < (gsize)n * D; i++)
    pos[i] = rng_uniform (&rng);
  for (gsize i = 0; i < (gsize)n * F; i++)
    feat[i] = rng_uniform (&rng);
  for (guint i = 0; i < n; i++)
    {
      double s = params->radius_spread;

      scale[i] = exp (s * rng_gaussian (&rng) - s * s / 2);
    }

  /* Mean distances over random pairs put both spaces on one scale. */
  {
    for (guint k = 0; k < CALIBRATION_PAIRS; k++)
      {
        guint i = philia_rng_below (&rng, n), j = philia_rng_below (&rng, n - 1);

        j += j >= i;
        mean_s += torus_distance (pos + (gsize)i * D, pos + (gsize)j * D, D);
        mean_f += torus_distance (feat + (gsize)i * F, feat + (gsize)j * F, F);
      }
    mean_s /= CALIBRATION_PAIRS;
    mean_f /= CALIBRATION_PAIRS;
    ws = (1 - params->feature_weight) / (mean_s * mean_s);
    wf = params->feature_weight / (mean_f * mean_f);
  }
  /* r₀ makes the expected degree of some nodes (all their pairs: a sparse
   * graph's few close pairs would be missed by random pairs) the one asked
   * for: bisection on its log, as the expected degree grows with r₀. */
  n_cal = (guint)CLAMP (CALIBRATION_ENTRIES / n, 1, n);
  cal_d = g_new (double, (gsize)n_cal * (n - 1));
  cal_s = g_new (double, (gsize)n_cal * (n - 1));
  for (guint c = 0, at = 0; c < n_cal; c++)
    {
      guint i = n_cal == n ? c : philia_rng_below (&rng, n);

      for (guint j = 0; j < n; j++)
        if (j != i)
          {
            double ds = torus_distance (pos + (gsize)i * D, pos + (gsize)j * D, D);
            double df = torus_distance (feat + (gsize)i * F, feat + (gsize)j * F, F);

            cal_d[at] = sqrt (ws * ds * ds + wf * df * df);
            cal_s[at++] = MAX (scale[i], scale[j]);
          }
    }
  lo = log (1e-6);
  hi = log (1e3);
  for (guint it = 0; it < 40; it++)
    {
      double mid = 0.5 * (lo + hi), r = exp (mid), sum = 0;

      for (gsize k = 0; k < (gsize)n_cal * (n - 1); k++)
        sum += link_probability (cal_d[k], r * cal_s[k], params->sharpness);
      if (sum / n_cal < params->degree)
        lo = mid;
      else
        hi = mid;
    }
  r0 = exp (0.5 * (lo + hi));
  if (radius_out != NULL)
    *radius_out = r0;

  edges = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < n; i++)
    {
      if ((i & 63) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      for (guint j = i + 1; j < n; j++)
        {
          double s2 = 0, f2 = 0, d, p;

          if (ws > 0)
            {
              s2 = torus_distance (pos + (gsize)i * D, pos + (gsize)j * D, D);
              s2 *= s2;
            }
          if (wf > 0)
            {
              f2 = torus_distance (feat + (gsize)i * F, feat + (gsize)j * F, F);
              f2 *= f2;
            }
          d = sqrt (ws * s2 + wf * f2);
          p = link_probability (d, r0 * MAX (scale[i], scale[j]), params->sharpness);
          if (rng_uniform (&rng) < p)
            {
              gint64 u = i, v = j;

              g_array_append_val (edges, u);
              g_array_append_val (edges, v);
            }
        }
    }

  builder = philia_graph_builder_new (n);
  {
    gsize m = edges->len / 2;

    philia_graph_builder_take_edges (builder, (gint64 *)(gpointer)g_array_free (
                                       g_steal_pointer (&edges), FALSE), m);
  }
  {
    guint cols = 2 * F;
    float *x = g_new (float, (gsize)n * cols);

    for (guint i = 0; i < n; i++)
      for (guint k = 0; k < F; k++)
        {
          double t = 2 * G_PI * feat[(gsize)i * F + k];

          x[(gsize)i * cols + 2 * k] = (float)(cos (t) + params->noise * rng_gaussian (&rng));
          x[(gsize)i * cols + 2 * k + 1] = (float)(sin (t) + params->noise * rng_gaussian (&rng));
        }
    philia_graph_builder_take_features (builder, x, cols);
  }
  if (params->n_classes > 0)
    {
      /* Labels follow the space that weighs more in the links. */
      gboolean in_features = params->feature_weight > 0.5;
      guint dim = in_features ? F : D;
      const double *space = in_features ? feat : pos;
      g_autofree double *centres = g_new (double, (gsize)params->n_classes * dim);
      gint64 *labels = g_new (gint64, n);

      for (gsize i = 0; i < (gsize)params->n_classes * dim; i++)
        centres[i] = rng_uniform (&rng);
      for (guint i = 0; i < n; i++)
        {
          double best = INFINITY;

          labels[i] = 0;
          for (guint c = 0; c < params->n_classes; c++)
            {
              double d = torus_distance (space + (gsize)i * dim, centres + (gsize)c * dim, dim);

              if (d < best)
                {
                  best = d;
                  labels[i] = c;
                }
            }
        }
      philia_graph_builder_take_labels (builder, labels);
    }
  g_ascii_formatd (deg, sizeof deg, "%g", params->degree);
  g_ascii_formatd (beta, sizeof beta, "%g", params->feature_weight);
  source = g_strdup_printf ("latent-n%u-d%u-k%s-b%s-s%" G_GUINT64_FORMAT, n, D, deg, beta,
                            params->seed);
  philia_graph_builder_set_source (builder, source, "generated");
  return philia_graph_builder_build (builder, error);
}
