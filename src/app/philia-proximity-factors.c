/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "philia-chart-view.h"
#include "philia-proximity-panel-private.h"

/* The Proximity panel's "What explains these links" view, under the overlap
 * heatmap: for the evaluation on show (its heuristics and GNNs), the Hits@K
 * of each data factor's best heuristic and of the GNNs, a plain-language
 * summary, and the chart of the test links by the factors that explain them
 * (philia-linkpred-factors.h; the chart is the factors figure, drawn and
 * exported like the other two). */

void
_philia_proximity_panel_build_factors (PhiliaProximityPanel *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self->overlap_chart));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("What Explains These Links"));
  GtkWidget *chart = philia_chart_view_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_name (label, "factors-summary");
  gtk_widget_set_size_request (chart, -1, 300);
  gtk_widget_set_name (chart, "factors-chart");
  philia_chart_view_set_export_name (PHILIA_CHART_VIEW (chart), "factors");
  gtk_widget_set_tooltip_text (chart, _("Test links by the factors whose best heuristic ranks "
                                        "them in its top K: shared neighbours, paths, "
                                        "features; with a GNN, the part it gets right. "
                                        "Right-click to export."));
  gtk_accessible_update_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Bar chart of the test links by the factors that explain "
                                    "them"), -1);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), chart);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_insert_after (box, parent, GTK_WIDGET (self->overlap_chart));
  gtk_widget_set_visible (box, FALSE);
  self->factors_box = box;
  self->factors_label = GTK_LABEL (label);
  self->factors_chart = PHILIA_CHART_VIEW (chart);
}

/* "neighbours: Resource allocation 0.62 · paths: Katz 0.55 · …" */
static void
append_hits (GString    *s,
             const char *what,
             const char *id,
             double      hits)
{
  g_autofree char *title = id != NULL ? philia_linkpred_predictor_title (id) : NULL;

  if (s->len > 0)
    g_string_append (s, " · ");
  if (what != NULL)
    g_string_append_printf (s, "%s: ", what);
  if (title != NULL)
    g_string_append_printf (s, "%s %.3f", title, hits);
  else
    g_string_append (s, _("not evaluated"));
}

void
_philia_proximity_panel_show_factors (PhiliaProximityPanel *self,
                                      guint                 k)
{
  g_autoptr(PhiliaLinkFactors) factors = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *text = NULL;
  GString *hits;

  if (self->factors_box == NULL)
    return;
  gtk_widget_set_visible (self->factors_box, self->report != NULL);
  if (self->report == NULL || k == 0)
    return;
  factors = philia_link_factors_new (self->view.results, self->view.n_results, k);
  summary = philia_link_factors_summary (factors, self->view.results);
  hits = g_string_new (NULL);
  for (guint c = 0; c < PHILIA_N_LINK_FACTORS; c++)
    {
      const char *what[] = { _("neighbours"), _("paths"), _("features") };
      int best = factors->best[c];

      append_hits (hits, what[c], best >= 0 ? self->view.results[best]->name : NULL,
                   factors->hits[c]);
    }
  for (guint m = 0; m < factors->n_models; m++)
    append_hits (hits, NULL, self->view.results[factors->models[m]]->name,
                 factors->model_hits[m]);
  text = g_strdup_printf (_("%s\nHits@%u of each factor’s best heuristic: %s"), summary, k,
                          hits->str);
  g_string_free (hits, TRUE);
  gtk_label_set_text (self->factors_label, text);
}

const char *
philia_proximity_panel_get_factors_text (PhiliaProximityPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_PROXIMITY_PANEL (self), NULL);
  return self->factors_label != NULL && gtk_widget_get_visible (self->factors_box)
         ? gtk_label_get_text (self->factors_label) : NULL;
}
