/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-render"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "philia-render-private.h"

static guint
index_of (GPtrArray  *names,
          const char *name)
{
  guint i;

  for (i = 0; i < names->len; i++)
    if (g_str_equal (names->pdata[i], name))
      return i;
  g_ptr_array_add (names, (gpointer) name);
  return i;
}

static const char *
model_name (const char *id)
{
  const PhiliaAlgorithm *a = philia_registry_lookup (philia_registry_get_default (),
                                                     PHILIA_FAMILY_MODEL, id);

  return a != NULL && a->name != NULL ? a->name : id;
}

void
philia_feature_sets_chart_draw (cairo_t                         *cr,
                                double                           width,
                                double                           height,
                                const PhiliaTrainResult * const *runs,
                                const char * const              *features,
                                guint                            n_runs,
                                const PhiliaFeatureSetSimilarity *similarities,
                                guint                            n_similarities,
                                const PhiliaRenderStyle         *style)
{
  g_autoptr(GPtrArray) sets = g_ptr_array_new ();
  g_autoptr(GPtrArray) models = g_ptr_array_new ();
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint *set_of = g_new (guint, MAX (n_runs, 1));
  g_autofree guint *model_of = g_new (guint, MAX (n_runs, 1));
  g_autofree double *sum = NULL;
  g_autofree guint *count = NULL;
  g_autofree guint *set_runs = NULL;
  g_autofree const char **model_labels = NULL;
  gboolean auc = n_runs > 0;
  PhiliaGroupedBarChart chart = { 0 };

  g_return_if_fail (cr != NULL);
  g_return_if_fail (n_runs == 0 || (runs != NULL && features != NULL));
  g_return_if_fail (n_similarities == 0 || similarities != NULL);

  for (guint i = 0; i < n_similarities; i++)
    index_of (sets, similarities[i].name != NULL ? similarities[i].name : "original");
  for (guint r = 0; r < n_runs; r++)
    {
      set_of[r] = index_of (sets, features[r] != NULL ? features[r] : "original");
      model_of[r] = index_of (models, runs[r]->model);
      auc = auc && runs[r]->metric == PHILIA_METRIC_ROC_AUC;
    }
  sum = g_new0 (double, MAX (sets->len * models->len, 1));
  count = g_new0 (guint, MAX (sets->len * models->len, 1));
  set_runs = g_new0 (guint, MAX (sets->len, 1));
  for (guint r = 0; r < n_runs; r++)
    {
      double v = auc ? runs[r]->test_roc_auc : runs[r]->test_accuracy;
      gsize cell = (gsize) model_of[r] * sets->len + set_of[r];

      set_runs[set_of[r]]++;
      if (isfinite (v))
        {
          sum[cell] += v;
          count[cell]++;
        }
    }
  /* Series-major: one row of sets per model; a pair without runs is no bar. */
  for (gsize i = 0; i < (gsize) sets->len * models->len; i++)
    sum[i] = count[i] > 0 ? sum[i] / count[i] : NAN;
  for (guint s = 0; s < sets->len; s++)
    /* Translators: under a feature set's bars, how many runs they average */
    g_ptr_array_add (notes, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u run", "%u runs",
                                                          set_runs[s]), set_runs[s]));
  model_labels = g_new0 (const char *, MAX (models->len, 1));
  for (guint m = 0; m < models->len; m++)
    model_labels[m] = model_name (models->pdata[m]);

  chart.title = _("Models on each feature set");
  chart.x_label = _("Feature set");
  chart.y_label = auc ? _("Test ROC-AUC (mean over runs)") : _("Test accuracy (mean over runs)");
  chart.n_groups = sets->len;
  chart.n_series = models->len;
  chart.values = sum;
  chart.group_labels = (const char * const *) sets->pdata;
  chart.group_notes = (const char * const *) notes->pdata;
  chart.series_labels = model_labels;
  chart.y_max = 1;
  chart.show_values = TRUE;
  if (n_similarities == 0)
    {
      philia_grouped_bar_chart_draw (cr, width, height, &chart, style);
      return;
    }

  /* The homophily panel above the scores, over the same groups: a set whose
   * rows are more alike across edges than across random pairs is one the
   * graph's structure agrees with. */
  {
    g_autofree double *sim = g_new (double, 2 * (gsize) MAX (sets->len, 1));
    const char *series[2];
    /* A dark and a light colour of Tol's schemes, measured against baseline,
     * apart from the first models' colours below. */
    const guint colors[2] = { 7, 8 };
    PhiliaGroupedBarChart top = { 0 };
    double top_h = floor (height * 0.42);

    for (guint g = 0; g < 2 * sets->len; g++)
      sim[g] = NAN;
    for (guint i = 0; i < n_similarities; i++)
      {
        guint g = index_of (sets, similarities[i].name != NULL ? similarities[i].name
                                                               : "original");

        sim[g] = similarities[i].edges;
        sim[sets->len + g] = similarities[i].random_pairs;
      }
    /* Translators: the feature homophily bars: similarity over the edges … */
    series[0] = _("over edges");
    /* Translators: … against similarity over random pairs of nodes */
    series[1] = _("random pairs");
    top.title = _("Feature homophily of each set");
    top.y_label = _("Mean cosine similarity");
    top.n_groups = sets->len;
    top.n_series = 2;
    top.values = sim;
    top.group_labels = (const char * const *) sets->pdata;
    top.series_labels = series;
    top.series_colors = colors;
    top.y_max = 0;
    top.show_values = TRUE;
    {
      double l1, r1, l2, r2;

      /* The same margins for both panels: a set's groups line up. */
      philia_grouped_bar_chart_get_margins (cr, width, &top, style, &l1, &r1);
      philia_grouped_bar_chart_get_margins (cr, width, &chart, style, &l2, &r2);
      top.min_left = chart.min_left = MAX (l1, l2);
      top.min_right = chart.min_right = MAX (r1, r2);
    }
    philia_grouped_bar_chart_draw (cr, width, top_h, &top, style);
    cairo_save (cr);
    cairo_translate (cr, 0, top_h);
    /* The chart paints its background: keep it to its own panel. */
    cairo_rectangle (cr, 0, 0, width, height - top_h);
    cairo_clip (cr);
    philia_grouped_bar_chart_draw (cr, width, height - top_h, &chart, style);
    cairo_restore (cr);
  }
}
