/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "philia-core.h"

/* Which data factor explains which test links (philia-linkpred-factors.h). */

static const char *const factor_names[] = { "local", "global", "feature" };

/* The heuristics of each factor, by id (the evaluation names them so). */
static const char *const local_ids[] = { "cn", "jaccard", "aa", "ra" };
static const char *const global_ids[] = { "katz", "ppr", "sp" };
static const char *const feature_ids[] = { "fp" };

const char *
philia_link_factor_to_string (PhiliaLinkFactor factor)
{
  g_return_val_if_fail (factor < PHILIA_N_LINK_FACTORS, NULL);
  return factor_names[factor];
}

static gboolean
in_list (const char         *id,
         const char * const *list,
         guint               n)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (id, list[i]) == 0)
      return TRUE;
  return FALSE;
}

gboolean
philia_link_factor_of_heuristic (const char       *id,
                                 PhiliaLinkFactor *factor)
{
  PhiliaProximityHeuristic heuristic;
  const char *canonical;

  /* Through the heuristics' own names, so an alias or a renamed table still
   * maps (only built-ins stand for a factor). */
  if (id == NULL || !philia_proximity_heuristic_from_string (id, &heuristic))
    return FALSE;
  canonical = philia_proximity_heuristic_to_string (heuristic);
  if (in_list (canonical, local_ids, G_N_ELEMENTS (local_ids)))
    *factor = PHILIA_LINK_FACTOR_LOCAL;
  else if (in_list (canonical, global_ids, G_N_ELEMENTS (global_ids)))
    *factor = PHILIA_LINK_FACTOR_GLOBAL;
  else if (in_list (canonical, feature_ids, G_N_ELEMENTS (feature_ids)))
    *factor = PHILIA_LINK_FACTOR_FEATURE;
  else
    return FALSE;
  return TRUE;
}

gboolean
philia_link_factors_is_model (const char *name)
{
  PhiliaRegistry *registry = philia_registry_get_default ();
  gsize len;

  if (name == NULL)
    return FALSE;
  if (philia_registry_lookup (registry, PHILIA_FAMILY_LINK_MODEL, name) != NULL)
    return TRUE;
  /* "MODEL-mlp": the model with the MLP decoder. */
  len = strlen (name);
  if (len > 4 && g_str_has_suffix (name, "-mlp"))
    {
      g_autofree char *encoder = g_strndup (name, len - 4);

      return philia_registry_lookup (registry, PHILIA_FAMILY_LINK_MODEL, encoder) != NULL;
    }
  return FALSE;
}

void
philia_link_factors_free (PhiliaLinkFactors *f)
{
  if (f == NULL)
    return;
  g_free (f->models);
  g_free (f->model_hits);
  g_free (f->model_regions);
  g_free (f);
}

static gboolean *
hit_set (const PhiliaLinkpredResult *r,
         guint                       k,
         double                     *hits)
{
  gboolean *hit = g_new0 (gboolean, MAX (r->n_test, 1));
  gsize n = philia_linkpred_hit_set (r->test_pos, r->n_test, r->test_neg, r->n_test, k, hit);

  if (hits != NULL)
    *hits = r->n_test > 0 ? (double)n / r->n_test : NAN;
  return hit;
}

PhiliaLinkFactors *
philia_link_factors_new (PhiliaLinkpredResult * const *results,
                         guint                         n_results,
                         guint                         k)
{
  PhiliaLinkFactors *f;
  gboolean *factor_hit[PHILIA_N_LINK_FACTORS] = { NULL, NULL, NULL };
  gint64 n_test;

  g_return_val_if_fail (n_results == 0 || results != NULL, NULL);
  g_return_val_if_fail (k > 0, NULL);

  n_test = n_results > 0 ? results[0]->n_test : 0;
  for (guint i = 1; i < n_results; i++)
    g_return_val_if_fail (results[i]->n_test == n_test, NULL);

  f = g_new0 (PhiliaLinkFactors, 1);
  f->k = k;
  f->n_test = n_test;
  f->n_shared = -1;
  f->models = g_new (guint, MAX (n_results, 1));
  for (guint c = 0; c < PHILIA_N_LINK_FACTORS; c++)
    {
      f->best[c] = -1;
      f->hits[c] = NAN;
    }

  for (guint i = 0; i < n_results; i++)
    {
      const PhiliaLinkpredResult *r = results[i];
      PhiliaLinkFactor c;
      double hits;

      if (philia_link_factors_is_model (r->name))
        {
          f->models[f->n_models++] = i;
          continue;
        }
      if (!philia_link_factor_of_heuristic (r->name, &c))
        continue;
      if (g_strcmp0 (r->name, "cn") == 0)
        {
          /* Scores are on the training graph: cn > 0 is a shared neighbour. */
          f->n_shared = 0;
          for (gint64 e = 0; e < n_test; e++)
            f->n_shared += r->test_pos[e] > 0;
        }
      g_free (hit_set (r, k, &hits));
      if (f->best[c] < 0 || hits > f->hits[c] || (isnan (f->hits[c]) && !isnan (hits)))
        {
          f->best[c] = (int)i;
          f->hits[c] = hits;
        }
    }

  for (guint c = 0; c < PHILIA_N_LINK_FACTORS; c++)
    if (f->best[c] >= 0)
      factor_hit[c] = hit_set (results[f->best[c]], k, NULL);
  f->model_hits = g_new (double, MAX (f->n_models, 1));
  f->model_regions = g_new0 (gint64, MAX (f->n_models, 1) * PHILIA_LINK_FACTOR_REGIONS);
  {
    g_autofree guint8 *region = g_new0 (guint8, MAX (n_test, 1));

    for (gint64 e = 0; e < n_test; e++)
      {
        for (guint c = 0; c < PHILIA_N_LINK_FACTORS; c++)
          if (factor_hit[c] != NULL && factor_hit[c][e])
            region[e] |= 1u << c;
        f->regions[region[e]]++;
      }
    for (guint m = 0; m < f->n_models; m++)
      {
        g_autofree gboolean *hit = hit_set (results[f->models[m]], k, &f->model_hits[m]);

        for (gint64 e = 0; e < n_test; e++)
          f->model_regions[m * PHILIA_LINK_FACTOR_REGIONS + region[e]] += hit[e] != FALSE;
      }
  }
  /* One g_autofree would free only the first of the array. */
  for (guint c = 0; c < PHILIA_N_LINK_FACTORS; c++)
    g_free (factor_hit[c]);
  return f;
}

static double
percent (gint64 part,
         gint64 whole)
{
  return whole > 0 ? 100.0 * part / whole : NAN;
}

char *
philia_link_factors_summary (const PhiliaLinkFactors      *f,
                             PhiliaLinkpredResult * const *results)
{
  GString *s;
  guint only[] = { 1u << PHILIA_LINK_FACTOR_LOCAL, 1u << PHILIA_LINK_FACTOR_GLOBAL,
                   1u << PHILIA_LINK_FACTOR_FEATURE };
  gboolean first = TRUE;

  g_return_val_if_fail (f != NULL, NULL);

  s = g_string_new (NULL);
  if (f->n_test == 0)
    {
      g_string_append (s, _("No test links to explain."));
      return g_string_free (s, FALSE);
    }
  if (f->n_shared >= 0)
    {
      double share = percent (f->n_shared, f->n_test);

      if (share > 50)
        g_string_append_printf (s, _("Most test links (%.0f %%) share a neighbour. "), share);
      else
        g_string_append_printf (s, _("%.0f %% of the test links share a neighbour. "), share);
    }
  g_string_append_printf (s, _("At Hits@%u, "), f->k);
  for (guint c = 0; c < PHILIA_N_LINK_FACTORS; c++)
    {
      if (f->best[c] < 0)
        continue;
      if (!first)
        g_string_append (s, _(", "));
      double share = percent (f->regions[only[c]], f->n_test);

      if (c == PHILIA_LINK_FACTOR_LOCAL)
        g_string_append_printf (s, _("%.0f %% only by shared neighbours"), share);
      else if (c == PHILIA_LINK_FACTOR_GLOBAL)
        g_string_append_printf (s, _("%.0f %% only by paths"), share);
      else
        g_string_append_printf (s, _("%.0f %% only by features"), share);
      first = FALSE;
    }
  if (!first)
    g_string_append (s, _(", "));
  g_string_append_printf (s, _("%.0f %% by none."), percent (f->regions[0], f->n_test));
  if (f->n_models > 0 && results != NULL && f->best[PHILIA_LINK_FACTOR_FEATURE] >= 0
      && f->regions[only[PHILIA_LINK_FACTOR_FEATURE]] > 0)
    {
      g_autofree char *title = philia_linkpred_predictor_title (results[f->models[0]]->name);
      gint64 region = only[PHILIA_LINK_FACTOR_FEATURE];

      g_string_append_printf (s, _(" %s gets %.0f %% of the links only features explain right, "
                                   "and %.0f %% of all."), title,
                              percent (f->model_regions[region], f->regions[region]),
                              100 * f->model_hits[0]);
    }
  else if (f->n_models > 0 && results != NULL)
    {
      g_autofree char *title = philia_linkpred_predictor_title (results[f->models[0]]->name);

      g_string_append_printf (s, _(" %s gets %.0f %% right."), title, 100 * f->model_hits[0]);
    }
  return g_string_free (s, FALSE);
}
