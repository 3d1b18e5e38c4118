/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-dataset-panel.h"

#include <glib/gi18n.h>

#include "philia-app-private.h"
#include "philia-chart-view.h"
#include "philia-feature-sets.h"

struct _PhiliaDatasetPanel
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkStack        *stack;
  GtkLabel        *source_label;
  GtkLabel        *format_label;
  GtkLabel        *nodes_label;
  GtkLabel        *edges_label;
  GtkLabel        *features_label;
  GtkLabel        *classes_label;
  GtkLabel        *labeled_label;
  GtkBox          *sanity_box;
  PhiliaChartView *class_chart;
  GtkLabel        *classes_note;
  GtkLabel        *splits_label;
  GtkGrid         *splits_grid;
  PhiliaFeatureSets *feature_sets;

  /* Owned */
  PhiliaGraph     *graph;
  PhiliaDocument   *document;        /* followed and written to, or NULL */
  gboolean           syncing;         /* applying the document: no writes back */
  double          *class_values;
  char           **class_labels;
  guint            n_class_values;
};

G_DEFINE_FINAL_TYPE (PhiliaDatasetPanel, philia_dataset_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_GRAPH,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "%'" groups digits the way the user's locale does (2,708 / 2 708 / 2708 in C). */
static char *
format_count (gint64 value)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, value);
}

static void
set_label_count (GtkLabel *label,
                 gint64    value)
{
  g_autofree char *text = format_count (value);

  gtk_label_set_text (label, text);
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

typedef enum
{
  SANITY_OK,
  SANITY_INFO,
  SANITY_WARNING,
} SanityKind;

static void
add_sanity_row (PhiliaDatasetPanel *self,
                SanityKind          kind,
                const char         *text)
{
  static const char * const icons[] = {
    [SANITY_OK] = "emblem-ok-symbolic",
    [SANITY_INFO] = "dialog-information-symbolic",
    [SANITY_WARNING] = "dialog-warning-symbolic",
  };
  static const char * const classes[] = {
    [SANITY_OK] = "sanity-ok",
    [SANITY_INFO] = "sanity-info",
    [SANITY_WARNING] = "sanity-warning",
  };
  GtkWidget *row;
  GtkWidget *image;
  GtkWidget *label;

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_add_css_class (row, classes[kind]);

  image = gtk_image_new_from_icon_name (icons[kind]);
  gtk_widget_set_valign (image, GTK_ALIGN_START);
  if (kind == SANITY_WARNING)
    /* Translators: accessible name of the icon in front of a sanity warning */
    gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"), -1);
  gtk_box_append (GTK_BOX (row), image);

  label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* Without a cap a long sentence (longer still in German) asks for a wider
   * side panel and squeezes the canvas toolbar. */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (row), label);

  gtk_box_append (self->sanity_box, row);
}

static void
update_sanity (PhiliaDatasetPanel *self)
{
  const PhiliaSanityReport *report = philia_graph_get_sanity_report (self->graph);
  guint n = philia_graph_get_n_nodes (self->graph);
  g_autofree char *rows = format_count (report->input_edges);
  g_autofree char *edges = format_count (philia_graph_get_n_edges (self->graph));
  g_autofree char *text = NULL;

  clear_box (self->sanity_box);

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The file lists %s edge row; %s undirected edges remain.",
                                       "The file lists %s edge rows; %s undirected edges remain.",
                                       (gulong) report->input_edges),
                          rows, edges);
  add_sanity_row (self, SANITY_INFO, text);
  g_clear_pointer (&text, g_free);

  if (report->declared_directed)
    add_sanity_row (self, SANITY_WARNING,
                    _("The file declares a directed graph; Philia ignores edge directions."));
  if (report->reciprocal_pairs > 0)
    {
      g_autofree char *pairs = format_count (report->reciprocal_pairs);

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Input looked directed: %s pair was given in both directions and merged.",
                                           "Input looked directed: %s pairs were given in both directions and merged.",
                                           (gulong) report->reciprocal_pairs),
                              pairs);
      add_sanity_row (self, SANITY_WARNING, text);
      g_clear_pointer (&text, g_free);
    }
  else if (!report->directed_input)
    add_sanity_row (self, SANITY_OK, _("Each edge is listed once."));

  if (report->duplicate_edges > 0)
    {
      g_autofree char *dups = format_count (report->duplicate_edges);

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s duplicate row merged.",
                                           "%s duplicate rows merged.",
                                           (gulong) report->duplicate_edges),
                              dups);
      add_sanity_row (self, SANITY_WARNING, text);
      g_clear_pointer (&text, g_free);
    }
  else
    add_sanity_row (self, SANITY_OK, _("No duplicate rows."));

  if (report->self_loops > 0)
    {
      g_autofree char *loops = format_count (report->self_loops);

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s self-loop dropped.",
                                           "%s self-loops dropped.",
                                           (gulong) report->self_loops),
                              loops);
      add_sanity_row (self, SANITY_WARNING, text);
      g_clear_pointer (&text, g_free);
    }
  else
    add_sanity_row (self, SANITY_OK, _("No self-loops."));

  if (report->isolated_nodes > 0)
    {
      g_autofree char *isolated = format_count (report->isolated_nodes);

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s isolated node (no edges).",
                                           "%s isolated nodes (no edges).",
                                           (gulong) report->isolated_nodes),
                              isolated);
      add_sanity_row (self, SANITY_INFO, text);
      g_clear_pointer (&text, g_free);
    }
  else
    add_sanity_row (self, SANITY_OK, _("No isolated nodes."));

  if (report->components <= 1)
    add_sanity_row (self, SANITY_OK, _("The graph is connected."));
  else
    {
      g_autofree char *components = format_count (report->components);
      g_autofree char *largest = format_count (report->largest_component);

      /* Translators: "78 connected components; the largest has 2,485 nodes (91.8 %)." */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s connected components; the largest has %s node (%.1f %%).",
                                           "%s connected components; the largest has %s nodes (%.1f %%).",
                                           (gulong) report->largest_component),
                              components, largest,
                              n > 0 ? 100.0 * report->largest_component / n : 0.0);
      add_sanity_row (self, SANITY_INFO, text);
    }
}

static void
update_splits (PhiliaDatasetPanel *self)
{
  static const char *headers[] = {
    N_("Split"), N_("Train"), N_("Validation"), N_("Test"),
  };
  guint n_splits = philia_graph_get_n_splits (self->graph);
  g_autofree char *text = NULL;

  clear_grid (self->splits_grid);

  if (n_splits == 0)
    {
      gtk_label_set_text (self->splits_label, _("The file defines no train, validation or test split."));
      gtk_widget_set_visible (GTK_WIDGET (self->splits_grid), FALSE);
      return;
    }

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u split; nodes in each part:",
                                       "%u splits; nodes in each part:",
                                       n_splits),
                          n_splits);
  gtk_label_set_text (self->splits_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->splits_grid), TRUE);

  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    {
      GtkWidget *label = gtk_label_new (_(headers[c]));

      gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0.0f : 1.0f);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_grid_attach (self->splits_grid, label, c, 0, 1, 1);
    }

  for (guint s = 0; s < n_splits; s++)
    {
      gint64 sizes[3];

      philia_graph_get_split_sizes (self->graph, s, &sizes[0], &sizes[1], &sizes[2]);

      for (guint c = 0; c < 4; c++)
        {
          g_autofree char *cell = c == 0 ? g_strdup_printf ("%u", s) : format_count (sizes[c - 1]);
          GtkWidget *label = gtk_label_new (cell);

          gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0.0f : 1.0f);
          gtk_label_set_selectable (GTK_LABEL (label), TRUE);
          gtk_widget_add_css_class (label, "numeric");
          gtk_grid_attach (self->splits_grid, label, c, s + 1, 1, 1);
        }
    }
}

static void
draw_class_chart (cairo_t                 *cr,
                  double                   width,
                  double                   height,
                  const PhiliaRenderStyle *style,
                  gpointer                 user_data)
{
  PhiliaDatasetPanel *self = user_data;
  PhiliaBarChart chart = {
    .x_label = _("Class"),
    .y_label = _("Nodes"),
    .n_bars = self->n_class_values,
    .values = self->class_values,
    .labels = (const char * const *) self->class_labels,
    .color_by_category = TRUE,
    .show_values = TRUE,
  };

  philia_bar_chart_draw (cr, width, height, &chart, style);
}

static void
update_classes (PhiliaDatasetPanel *self)
{
  guint n_classes = philia_graph_get_n_classes (self->graph);
  const gint64 *sizes = philia_graph_get_class_sizes (self->graph);
  gboolean names = philia_graph_has_class_names (self->graph);
  guint n_labeled = philia_graph_get_n_labeled (self->graph);
  guint n = philia_graph_get_n_nodes (self->graph);

  g_clear_pointer (&self->class_values, g_free);
  g_clear_pointer (&self->class_labels, g_strfreev);
  self->n_class_values = 0;

  set_label_count (self->classes_label, n_classes);

  if (n_labeled == n)
    {
      g_autofree char *all = format_count (n_labeled);

      /* Translators: "2,708 (all)" labeled nodes */
      g_autofree char *text = g_strdup_printf (_("%s (all)"), all);

      gtk_label_set_text (self->labeled_label, text);
    }
  else
    {
      g_autofree char *labeled = format_count (n_labeled);
      g_autofree char *unlabeled = format_count ((gint64) n - n_labeled);

      /* Translators: "150 (33 unlabeled)" */
      g_autofree char *text = g_strdup_printf (_("%s (%s unlabeled)"), labeled, unlabeled);

      gtk_label_set_text (self->labeled_label, text);
    }

  if (n_classes == 0 || sizes == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->class_chart), FALSE);
      gtk_label_set_text (self->classes_note, _("The dataset has no node labels."));
      philia_chart_view_set_draw_func (self->class_chart, NULL, NULL, NULL);
      return;
    }

  self->n_class_values = n_classes;
  self->class_values = g_new (double, n_classes);
  self->class_labels = g_new0 (char *, n_classes + 1);
  for (guint k = 0; k < n_classes; k++)
    {
      const char *name = names ? philia_graph_get_class_name (self->graph, k) : NULL;

      self->class_values[k] = (double) sizes[k];
      /* Translators: a class without a name in the data, on a chart axis */
      self->class_labels[k] = name != NULL ? g_strdup (name) : g_strdup_printf (_("class %u"), k);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->class_chart), TRUE);
  gtk_label_set_text (self->classes_note,
                      names ? "" : _("The file has no class names; classes are numbered."));
  gtk_widget_set_visible (GTK_WIDGET (self->classes_note), !names);
  philia_chart_view_set_draw_func (self->class_chart, draw_class_chart, self, NULL);
}

static void
update (PhiliaDatasetPanel *self)
{
  const char *format;

  if (self->graph == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      philia_chart_view_set_draw_func (self->class_chart, NULL, NULL, NULL);
      return;
    }

  gtk_label_set_text (self->source_label, philia_graph_get_source (self->graph));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->source_label),
                               philia_graph_get_source (self->graph));
  format = philia_graph_get_format (self->graph);
  gtk_label_set_text (self->format_label, format != NULL ? format : "");
  set_label_count (self->nodes_label, philia_graph_get_n_nodes (self->graph));
  set_label_count (self->edges_label, philia_graph_get_n_edges (self->graph));
  set_label_count (self->features_label, philia_graph_get_n_features (self->graph));

  update_classes (self);
  update_splits (self);
  update_sanity (self);

  gtk_stack_set_visible_child_name (self->stack, "dataset");
}

static void
philia_dataset_panel_dispose (GObject *object)
{
  PhiliaDatasetPanel *self = PHILIA_DATASET_PANEL (object);
  GtkWidget *child;

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);

  /* The chart draws from our arrays: detach it before they go. */
  if (self->class_chart != NULL)
    philia_chart_view_set_draw_func (self->class_chart, NULL, NULL, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_DATASET_PANEL);
  /* GTK 4.8 only unparents bound template children; the root scrolled window is not. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->graph);

  G_OBJECT_CLASS (philia_dataset_panel_parent_class)->dispose (object);
}

static void
philia_dataset_panel_finalize (GObject *object)
{
  PhiliaDatasetPanel *self = PHILIA_DATASET_PANEL (object);

  g_clear_pointer (&self->class_values, g_free);
  g_clear_pointer (&self->class_labels, g_strfreev);

  G_OBJECT_CLASS (philia_dataset_panel_parent_class)->finalize (object);
}

static void
philia_dataset_panel_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PhiliaDatasetPanel *self = PHILIA_DATASET_PANEL (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      g_value_set_object (value, self->graph);
      break;

    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_dataset_panel_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PhiliaDatasetPanel *self = PHILIA_DATASET_PANEL (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      philia_dataset_panel_set_graph (self, g_value_get_object (value));
      break;

    case PROP_DOCUMENT:
      philia_dataset_panel_set_document (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_dataset_panel_class_init (PhiliaDatasetPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_dataset_panel_dispose;
  object_class->finalize = philia_dataset_panel_finalize;
  object_class->get_property = philia_dataset_panel_get_property;
  object_class->set_property = philia_dataset_panel_set_property;

  properties[PROP_GRAPH] =
    g_param_spec_object ("graph", NULL, NULL, PHILIA_TYPE_GRAPH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, PHILIA_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PHILIA_TYPE_CHART_VIEW);
  g_type_ensure (PHILIA_TYPE_FEATURE_SETS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-dataset-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaDatasetPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, PhiliaDatasetPanel, source_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaDatasetPanel, format_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaDatasetPanel, nodes_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaDatasetPanel, edges_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaDatasetPanel, features_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaDatasetPanel, classes_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaDatasetPanel, labeled_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaDatasetPanel, sanity_box);
  gtk_widget_class_bind_template_child (widget_class, PhiliaDatasetPanel, class_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaDatasetPanel, classes_note);
  gtk_widget_class_bind_template_child (widget_class, PhiliaDatasetPanel, splits_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaDatasetPanel, splits_grid);
  gtk_widget_class_bind_template_child (widget_class, PhiliaDatasetPanel, feature_sets);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "philiadatasetpanel");
}

static void
philia_dataset_panel_init (PhiliaDatasetPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _philia_widget_scroll_not_values (GTK_WIDGET (self));
  update (self);
}

GtkWidget *
philia_dataset_panel_new (void)
{
  return g_object_new (PHILIA_TYPE_DATASET_PANEL, NULL);
}

PhiliaGraph *
philia_dataset_panel_get_graph (PhiliaDatasetPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_DATASET_PANEL (self), NULL);

  return self->graph;
}

void
philia_dataset_panel_set_graph (PhiliaDatasetPanel *self,
                                PhiliaGraph        *graph)
{
  g_return_if_fail (PHILIA_IS_DATASET_PANEL (self));
  g_return_if_fail (graph == NULL || PHILIA_IS_GRAPH (graph));

  if (!g_set_object (&self->graph, graph))
    return;

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRAPH]);
}

/**
 * philia_dataset_panel_get_row_text:
 * @key: one of "source", "format", "nodes", "edges", "features", "classes",
 *   "labeled", "splits"
 *
 * The text the panel shows for @key, for tests and accessibility checks.
 * Returns: (nullable): the text, or %NULL for an unknown key
 */
const char *
philia_dataset_panel_get_row_text (PhiliaDatasetPanel *self,
                                   const char         *key)
{
  static const struct {
    const char *key;
    gsize       offset;
  } rows[] = {
    { "source", G_STRUCT_OFFSET (PhiliaDatasetPanel, source_label) },
    { "format", G_STRUCT_OFFSET (PhiliaDatasetPanel, format_label) },
    { "nodes", G_STRUCT_OFFSET (PhiliaDatasetPanel, nodes_label) },
    { "edges", G_STRUCT_OFFSET (PhiliaDatasetPanel, edges_label) },
    { "features", G_STRUCT_OFFSET (PhiliaDatasetPanel, features_label) },
    { "classes", G_STRUCT_OFFSET (PhiliaDatasetPanel, classes_label) },
    { "labeled", G_STRUCT_OFFSET (PhiliaDatasetPanel, labeled_label) },
    { "splits", G_STRUCT_OFFSET (PhiliaDatasetPanel, splits_label) },
  };

  g_return_val_if_fail (PHILIA_IS_DATASET_PANEL (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_str_equal (rows[i].key, key))
      return gtk_label_get_text (G_STRUCT_MEMBER (GtkLabel *, self, rows[i].offset));

  return NULL;
}

/**
 * philia_dataset_panel_dup_split_text:
 *
 * Row @split of the splits table as "train/val/test", e.g. "140/500/1000".
 * Returns: (nullable): a new string, or %NULL if there is no such row
 */
char *
philia_dataset_panel_dup_split_text (PhiliaDatasetPanel *self,
                                     guint               split)
{
  GString *text;

  g_return_val_if_fail (PHILIA_IS_DATASET_PANEL (self), NULL);

  if (gtk_grid_get_child_at (self->splits_grid, 0, split + 1) == NULL)
    return NULL;

  text = g_string_new (NULL);
  for (int c = 1; c <= 3; c++)
    {
      GtkWidget *cell = gtk_grid_get_child_at (self->splits_grid, c, split + 1);

      if (c > 1)
        g_string_append_c (text, '/');
      g_string_append (text, gtk_label_get_text (GTK_LABEL (cell)));
    }

  return g_string_free (text, FALSE);
}

/**
 * philia_dataset_panel_dup_sanity_text:
 *
 * The sanity report as shown, one sentence a line; warnings start with "! ".
 * Returns: a new string
 */
char *
philia_dataset_panel_dup_sanity_text (PhiliaDatasetPanel *self)
{
  GString *text;

  g_return_val_if_fail (PHILIA_IS_DATASET_PANEL (self), NULL);

  text = g_string_new (NULL);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sanity_box));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *label = gtk_widget_get_last_child (row);

      if (gtk_widget_has_css_class (row, "sanity-warning"))
        g_string_append (text, "! ");
      g_string_append (text, gtk_label_get_text (GTK_LABEL (label)));
      g_string_append_c (text, '\n');
    }

  return g_string_free (text, FALSE);
}

static void
on_document_changed (PhiliaDocument      *document,
                     PhiliaDocumentPart   parts,
                     PhiliaDatasetPanel  *self)
{
  if (self->graph != philia_document_get_graph (document))
    return;
  self->syncing = TRUE;
  (void) parts;
  self->syncing = FALSE;
}

static void
on_document_graph (PhiliaDocument      *document,
                   GParamSpec          *pspec,
                   PhiliaDatasetPanel  *self)
{
  self->syncing = TRUE;
  philia_dataset_panel_set_graph (self, philia_document_get_graph (document));
  on_document_changed (document, ~0u, self);
}

PhiliaDocument *
philia_dataset_panel_get_document (PhiliaDatasetPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_DATASET_PANEL (self), NULL);

  return self->document;
}

/* With @document (nullable), the panel shows its graph and follows it. */
void
philia_dataset_panel_set_document (PhiliaDatasetPanel *self,
                                   PhiliaDocument     *document)
{
  g_return_if_fail (PHILIA_IS_DATASET_PANEL (self));
  g_return_if_fail (document == NULL || PHILIA_IS_DOCUMENT (document));

  philia_feature_sets_set_document (self->feature_sets, document);
  if (_philia_widget_follow_document (self, &self->document, document,
                                      G_CALLBACK (on_document_changed),
                                      G_CALLBACK (on_document_graph)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

GtkWidget *
philia_dataset_panel_get_feature_sets (PhiliaDatasetPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_DATASET_PANEL (self), NULL);

  return GTK_WIDGET (self->feature_sets);
}
