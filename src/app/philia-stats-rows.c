/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "philia-app-private.h"
#include "philia-stats-panel-private.h"

const MeasureInfo _philia_stats_measures[N_MEASURES] = {
  [MEASURE_EDGE] = {
    "edge", N_("Edge homophily"),
    N_("Share of edges that join two nodes of the same class."),
  },
  [MEASURE_NODE] = {
    "node", N_("Node homophily"),
    N_("Mean over nodes with neighbours of the share of neighbours in the node’s own class."),
  },
  [MEASURE_CLASS] = {
    "class", N_("Class-insensitive homophily"),
    N_("LINKX: mean over classes of how far h_k exceeds the class’s share of nodes, "
       "clipped at 0; large classes do not dominate."),
  },
  [MEASURE_ADJUSTED] = {
    "adjusted", N_("Adjusted homophily"),
    N_("Edge homophily corrected for the class mix expected from the degrees; "
       "0 means no more same-class edges than chance."),
  },
  [MEASURE_LI] = {
    "li", N_("Label informativeness"),
    N_("How much a neighbour’s label tells about a node’s label: "
       "I(y_u; y_v) / H(y_u) over edge ends."),
  },
  [MEASURE_FEATURE_EDGES] = {
    "feature-edges", N_("Feature similarity"),
    N_("Mean cosine similarity of the features of the two ends of each edge."),
  },
  [MEASURE_FEATURE_RANDOM] = {
    "feature-random", N_("Random-pair baseline"),
    N_("Mean cosine similarity of the features of seeded random node pairs: what feature "
       "similarity would be if edges ignored features."),
  },
};

char *
_philia_stats_format_value (double value)
{
  if (isnan (value))
    /* Translators: a measure that has no value on this graph */
    return g_strdup (_("undefined"));
  return g_strdup_printf ("%.4f", value);
}

double
_philia_stats_measure_value (const PhiliaHomophily *h,
                             Measure                m)
{
  switch (m)
    {
    case MEASURE_EDGE: return h->edge_homophily;
    case MEASURE_NODE: return h->node_homophily;
    case MEASURE_CLASS: return h->class_homophily;
    case MEASURE_ADJUSTED: return h->adjusted_homophily;
    case MEASURE_LI: return h->label_informativeness;
    case MEASURE_FEATURE_EDGES: return h->feature_similarity_edges;
    case MEASURE_FEATURE_RANDOM: return h->feature_similarity_random;
    case N_MEASURES:
    default:
      g_assert_not_reached ();
    }
}

/* Why a measure is NaN, in words, for the tooltip. */
static const char *
undefined_reason (const PhiliaHomophily *h,
                  PhiliaGraph           *graph,
                  Measure                m)
{
  if (m == MEASURE_FEATURE_EDGES || m == MEASURE_FEATURE_RANDOM)
    {
      if (philia_graph_get_n_features (graph) == 0)
        return _("The dataset has no node features.");
      if (m == MEASURE_FEATURE_EDGES && philia_graph_get_n_edges (graph) == 0)
        return _("The graph has no edges.");
      return _("No pair with two non-zero feature vectors to compare.");
    }

  if (h->n_classes == 0 || h->n_labeled == 0)
    return _("The dataset has no node labels.");
  if (h->n_ends == 0)
    return _("No edge joins two labeled nodes.");

  switch (m)
    {
    case MEASURE_CLASS:
      return _("Needs at least two classes.");
    case MEASURE_ADJUSTED:
    case MEASURE_LI:
      return _("All edge ends fall in one class, so chance already explains every edge.");
    case MEASURE_EDGE:
    case MEASURE_NODE:
    case MEASURE_FEATURE_EDGES:
    case MEASURE_FEATURE_RANDOM:
    case N_MEASURES:
    default:
      return _("No labeled node has a labeled neighbour.");
    }
}

void
_philia_stats_set_measure_label (GtkLabel              *label,
                                 const PhiliaHomophily *h,
                                 PhiliaGraph           *graph,
                                 Measure                m)
{
  double value = _philia_stats_measure_value (h, m);
  g_autofree char *text = _philia_stats_format_value (value);

  gtk_label_set_text (label, text);
  if (isnan (value))
    {
      g_autofree char *tooltip = g_strdup_printf ("%s\n%s", _(_philia_stats_measures[m].definition),
                                                  undefined_reason (h, graph, m));

      gtk_widget_set_tooltip_text (GTK_WIDGET (label), tooltip);
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
  else
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), _(_philia_stats_measures[m].definition));
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
    }
}

void
_philia_stats_clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

void
_philia_stats_build_measures_grid (GtkGrid   *grid,
                                   GtkLabel **names,
                                   GtkLabel **values,
                                   GtkLabel **stored,
                                   GtkLabel **differences)
{
  /* Row 0 holds the headers from the template. */
  for (guint m = 0; m < N_MEASURES; m++)
    {
      GtkWidget *name = gtk_label_new (_(_philia_stats_measures[m].name));
      GtkWidget **cells[3] = {
        (GtkWidget **) &values[m],
        (GtkWidget **) &stored[m],
        (GtkWidget **) &differences[m],
      };

      gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
      /* Wrapped, never cut, if the "as stored" columns leave little room. */
      gtk_label_set_wrap (GTK_LABEL (name), TRUE);
      gtk_widget_set_hexpand (name, TRUE);
      gtk_widget_set_tooltip_text (name, _(_philia_stats_measures[m].definition));
      /* The feature rows are a pair: a little air above them. */
      if (m == MEASURE_FEATURE_EDGES)
        gtk_widget_set_margin_top (name, 6);
      gtk_grid_attach (grid, name, 0, m + 1, 1, 1);
      names[m] = GTK_LABEL (name);

      for (guint c = 0; c < 3; c++)
        {
          GtkWidget *label = gtk_label_new ("");

          gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
          gtk_label_set_selectable (GTK_LABEL (label), TRUE);
          gtk_widget_add_css_class (label, "numeric");
          if (c == 2)
            gtk_widget_add_css_class (label, "dim-label");
          if (m == MEASURE_FEATURE_EDGES)
            gtk_widget_set_margin_top (label, 6);
          gtk_accessible_update_relation (GTK_ACCESSIBLE (label),
                                          GTK_ACCESSIBLE_RELATION_LABELLED_BY, name, NULL, -1);
          gtk_grid_attach (grid, label, c + 1, m + 1, 1, 1);
          *cells[c] = label;
        }
    }
}

/* Rows for the plugins' graph measures, below the built-in ones. */
void
_philia_stats_show_extra_measures (GtkGrid                 *grid,
                                   GPtrArray               *widgets,
                                   const PhiliaStatsReport *report)
{
  for (guint i = 0; i < widgets->len; i++)
    gtk_grid_remove (grid, widgets->pdata[i]);
  g_ptr_array_set_size (widgets, 0);

  for (guint i = 0; i < report->n_plugin_measures; i++)
    {
      const PhiliaStatsPluginMeasure *m = &report->plugin_measures[i];
      g_autofree char *text = m->error != NULL ? g_strdup (_("failed"))
                                               : _philia_stats_format_value (m->value);
      g_autofree char *tip = g_strdup_printf (_("%s\nFrom the plugin “%s”.%s%s"),
                                              m->algorithm->description,
                                              m->algorithm->provider,
                                              m->error != NULL ? "\n" : "",
                                              m->error != NULL ? m->error : "");
      GtkWidget *name = gtk_label_new (m->algorithm->name);
      GtkWidget *value = gtk_label_new (text);
      int row = N_MEASURES + 1 + (int) i;

      gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
      gtk_label_set_wrap (GTK_LABEL (name), TRUE);
      gtk_widget_set_hexpand (name, TRUE);
      gtk_widget_set_tooltip_text (name, tip);
      gtk_widget_set_name (value, m->algorithm->id);
      gtk_label_set_xalign (GTK_LABEL (value), 1.0f);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_widget_add_css_class (value, "numeric");
      gtk_widget_set_tooltip_text (value, tip);
      if (m->error != NULL || isnan (m->value))
        gtk_widget_add_css_class (value, "dim-label");
      if (i == 0)
        {
          gtk_widget_set_margin_top (name, 6);
          gtk_widget_set_margin_top (value, 6);
        }
      gtk_accessible_update_relation (GTK_ACCESSIBLE (value),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, name, NULL, -1);
      gtk_grid_attach (grid, name, 0, row, 1, 1);
      gtk_grid_attach (grid, value, 1, row, 1, 1);
      g_ptr_array_add (widgets, name);
      g_ptr_array_add (widgets, value);
    }
}

void
_philia_stats_fill_classes (GtkGrid               *grid,
                            GtkLabel              *note,
                            const PhiliaHomophily *h,
                            PhiliaGraph           *graph)
{
  static const char *headers[] = {
    /* Translators: column headers of the per-class table (Pango markup) */
    N_("Class"), N_("Nodes"), N_("h<sub>k</sub>"), N_("Local h"),
  };
  static const char *header_tips[] = {
    NULL,
    N_("Labeled nodes in the class"),
    N_("Class homophily: same-class neighbours of the class’s nodes over their degree sum D_k"),
    N_("Mean local homophily of the class’s nodes that have labeled neighbours"),
  };

  _philia_stats_clear_grid (grid);

  if (h->n_classes == 0)
    {
      gtk_label_set_text (note, _("The dataset has no node labels."));
      gtk_widget_set_visible (GTK_WIDGET (note), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (note), FALSE);

  /* Column 0 is the class's colour, as in the stacked histogram. */
  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_markup (GTK_LABEL (label), _(headers[c]));
      gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0.0f : 1.0f);
      gtk_widget_add_css_class (label, "dim-label");
      if (header_tips[c] != NULL)
        gtk_widget_set_tooltip_text (label, _(header_tips[c]));
      gtk_grid_attach (grid, label, c + 1, 0, 1, 1);
    }

  for (guint k = 0; k < h->n_classes; k++)
    {
      const char *name = philia_graph_get_class_name (graph, k);
      g_autofree char *cells[4] = {
        /* Translators: a class without a name in the data */
        name != NULL ? g_strdup (name) : g_strdup_printf (_("class %u"), k),
        g_strdup_printf ("%'" G_GINT64_FORMAT, h->class_size[k]),
        _philia_stats_format_value (h->class_h[k]),
        _philia_stats_format_value (h->class_mean_local[k]),
      };

      PhiliaRgba color;
      g_autofree char *swatch = NULL;
      GtkWidget *swatch_label;

      philia_palette_get_categorical (k, &color);
      swatch = g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">■</span>",
                                (guint) (color.r * 255 + 0.5), (guint) (color.g * 255 + 0.5),
                                (guint) (color.b * 255 + 0.5));
      swatch_label = gtk_label_new (NULL);
      gtk_label_set_markup (GTK_LABEL (swatch_label), swatch);
      gtk_accessible_update_state (GTK_ACCESSIBLE (swatch_label),
                                   GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      gtk_grid_attach (grid, swatch_label, 0, k + 1, 1, 1);

      for (guint c = 0; c < 4; c++)
        {
          GtkWidget *label = gtk_label_new (cells[c]);

          gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0.0f : 1.0f);
          gtk_label_set_selectable (GTK_LABEL (label), TRUE);
          if (c == 0)
            {
              gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
              gtk_widget_set_hexpand (label, TRUE);
              gtk_widget_set_tooltip_text (label, cells[0]);
            }
          else
            gtk_widget_add_css_class (label, "numeric");
          gtk_grid_attach (grid, label, c + 1, k + 1, 1, 1);
        }
      for (guint c = 0; c < 4; c++)
        g_clear_pointer (&cells[c], g_free);
    }
}
