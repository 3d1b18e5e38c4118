/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-stats-panel.h"

#include <glib/gi18n.h>
#include <math.h>

#include "philia-app-private.h"
#include "philia-chart-view.h"
#include "philia-features-choice.h"
#include "philia-stats-panel-private.h"

/* The figure seed, as in `philia-cli stats`, so the random-pair baseline
 * matches the command line. */
#define FEATURE_SEED 0

#define N_CHARTS 3
static const PhiliaStatsFigureKind chart_kinds[N_CHARTS] = {
  PHILIA_STATS_FIGURE_LOCAL_HOMOPHILY,
  PHILIA_STATS_FIGURE_COMPATIBILITY,
  PHILIA_STATS_FIGURE_DEGREE,
};

static const guint bin_choices[] = { 5, 10, 20, 50 };

struct _PhiliaStatsPanel
{
  GtkWidget          parent_instance;

  /* Template widgets */
  GtkStack          *stack;
  GtkProgressBar    *progress_bar;
  GtkLabel          *message_label;
  GtkGrid           *measures_grid;
  GtkLabel          *stored_header;
  GtkLabel          *difference_header;
  GtkLabel          *stored_note;
  GtkSpinner        *stored_spinner;
  GtkDropDown       *bins_dropdown;
  GtkDropDown       *features_dropdown;
  PhiliaChartView   *histogram_chart;
  PhiliaChartView   *compatibility_chart;
  PhiliaChartView   *degree_chart;
  GtkLabel          *selection_label;
  GtkGrid           *classes_grid;
  GtkLabel          *classes_note;
  GtkLabel          *no_labels_label;
  GtkWidget         *measure_header;
  GtkWidget         *value_header;
  GtkWidget         *measures_caption;
  GtkWidget         *conventions_box;
  GtkWidget         *local_homophily_box;
  GtkWidget         *compatibility_box;
  GtkWidget         *classes_box;

  /* Borrowed: rows of measures_grid for plugins' measures, after the built-in ones */
  GPtrArray         *extra_widgets;

  /* Borrowed: rows of measures_grid */
  GtkLabel          *name_labels[N_MEASURES];
  GtkLabel          *value_labels[N_MEASURES];
  GtkLabel          *stored_labels[N_MEASURES];
  GtkLabel          *difference_labels[N_MEASURES];

  /* Owned */
  PhiliaGraph       *graph;
  PhiliaDocument   *document;        /* followed and written to, or NULL */
  gboolean           syncing;         /* applying the document: no writes back */
  PhiliaGraph       *result_graph;     /* the graph the results below belong to */
  PhiliaFeaturesChoice features;      /* what the feature measures run on */
  GPtrArray         *feature_names;    /* the features drop-down's set names */
  PhiliaHomophily   *homophily;
  PhiliaHomophily   *stored;
  PhiliaStatsFigure *figures[N_CHARTS];
  GCancellable      *cancellable;
  PhiliaProgress    *progress;
  GBinding          *progress_binding;
  guint              serial;
  int                selected_bin;

  /* Options */
  guint              bins;
  guint              keep_self_loops : 1;
  guint              directed : 1;
  guint              by_class : 1;
  guint              counts : 1;
  guint              log_log : 1;
  guint              computing : 1;
};

G_DEFINE_FINAL_TYPE (PhiliaStatsPanel, philia_stats_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_GRAPH,
  PROP_COMPUTING,
  PROP_BINS,
  PROP_KEEP_SELF_LOOPS,
  PROP_DIRECTED,
  PROP_BY_CLASS,
  PROP_COUNTS,
  PROP_LOG_LOG,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SELECT_NODES,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_job (PhiliaStatsPanel *self,
                       gboolean          want_default);

/* The panel's graph with the features chosen for the feature measures. */
static PhiliaGraph *
job_graph (PhiliaStatsPanel *self)
{
  return self->features.graph != NULL ? self->features.graph : self->graph;
}

static PhiliaConvention
stored_convention (PhiliaStatsPanel *self)
{
  return (self->keep_self_loops ? PHILIA_CONVENTION_KEEP_SELF_LOOPS : 0)
         | (self->directed ? PHILIA_CONVENTION_DIRECTED : 0);
}

static void
options_for (PhiliaStatsPanel         *self,
             PhiliaStatsFigureOptions *options)
{
  philia_stats_figure_options_init (options);
  options->bins = self->bins;
  options->by_class = self->by_class;
  options->counts = self->counts;
  options->log_log = self->log_log;
}

/* Every measure but the two feature ones needs node labels. */
static gboolean
needs_labels (Measure m)
{
  return m != MEASURE_FEATURE_EDGES && m != MEASURE_FEATURE_RANDOM;
}

/* FALSE when the graph on show has no labelled node: the label measures
 * and charts then give way to one sentence that says why. */
static gboolean
has_labels (PhiliaStatsPanel *self)
{
  return self->result_graph == NULL || philia_graph_get_n_labeled (self->result_graph) > 0;
}

static void
set_stored_column_visible (PhiliaStatsPanel *self,
                           gboolean          visible)
{
  gtk_widget_set_visible (GTK_WIDGET (self->stored_header), visible);
  gtk_widget_set_visible (GTK_WIDGET (self->difference_header), visible);
  gtk_widget_set_visible (GTK_WIDGET (self->stored_note), visible);
  for (guint m = 0; m < N_MEASURES; m++)
    {
      gboolean shown = gtk_widget_get_visible (GTK_WIDGET (self->value_labels[m]));

      gtk_widget_set_visible (GTK_WIDGET (self->stored_labels[m]), visible && shown);
      gtk_widget_set_visible (GTK_WIDGET (self->difference_labels[m]), visible && shown);
    }
}

/*
 * Without labels, one sentence says why instead of a column of "undefined"
 * and empty charts; without features as well, the feature rows go too and
 * the sentence says so. Plugins' measures stay: only they know what they need.
 */
static void
update_label_sections (PhiliaStatsPanel *self)
{
  gboolean labels = has_labels (self);
  gboolean features = self->result_graph == NULL
                      || philia_graph_get_n_features (self->result_graph) > 0;
  gboolean any_row = labels || features || self->extra_widgets->len > 0;

  if (!labels)
    gtk_label_set_text (self->no_labels_label,
                        features
                        ? _("No labels: open a node table or a file with labels. The homophily "
                            "measures, local homophily, class compatibility and the class table "
                            "need them.")
                        : _("No labels: open a node table or a file with labels. Every measure "
                            "here but the degree distribution needs labels or node features, "
                            "and this dataset has neither."));
  gtk_widget_set_visible (GTK_WIDGET (self->no_labels_label), !labels);
  for (guint m = 0; m < N_MEASURES; m++)
    {
      gboolean visible = needs_labels (m) ? labels : labels || features;

      gtk_widget_set_visible (GTK_WIDGET (self->name_labels[m]), visible);
      gtk_widget_set_visible (GTK_WIDGET (self->value_labels[m]), visible);
    }
  gtk_widget_set_visible (self->measure_header, any_row);
  gtk_widget_set_visible (self->value_header, any_row);
  gtk_widget_set_visible (self->measures_caption, labels || features);
  gtk_widget_set_visible (self->conventions_box, labels || features);
  gtk_widget_set_visible (self->local_homophily_box, labels);
  gtk_widget_set_visible (self->compatibility_box, labels);
  gtk_widget_set_visible (self->classes_box, labels);
}

static void
update_stored (PhiliaStatsPanel *self)
{
  PhiliaConvention convention = stored_convention (self);
  g_autofree char *note = NULL;

  set_stored_column_visible (self, convention != PHILIA_CONVENTION_DEFAULT);
  if (convention == PHILIA_CONVENTION_DEFAULT)
    return;

  if (convention == (PHILIA_CONVENTION_KEEP_SELF_LOOPS | PHILIA_CONVENTION_DIRECTED))
    note = g_strdup (_("As stored: self-loops counted, each row one direction, duplicates kept; "
                       "a node’s neighbours are the sources of rows ending at it."));
  else if (convention == PHILIA_CONVENTION_KEEP_SELF_LOOPS)
    note = g_strdup (_("As stored: undirected, self-loops counted as same-class edges."));
  else
    note = g_strdup (_("As stored: self-loops removed, each row one direction, duplicates kept; "
                       "a node’s neighbours are the sources of rows ending at it."));
  gtk_label_set_text (self->stored_note, note);

  for (guint m = 0; m < N_MEASURES; m++)
    {
      if (self->stored == NULL || self->homophily == NULL)
        {
          /* Being computed: never the numbers of another convention. */
          gtk_label_set_text (self->stored_labels[m], "…");
          gtk_label_set_text (self->difference_labels[m], "");
          continue;
        }

      _philia_stats_set_measure_label (self->stored_labels[m], self->stored, self->result_graph, m);
      {
        double a = _philia_stats_measure_value (self->homophily, m);
        double b = _philia_stats_measure_value (self->stored, m);
        g_autofree char *diff = isnan (a) || isnan (b) ? g_strdup ("—")
                                                       : g_strdup_printf ("%+.4f", b - a);

        gtk_label_set_text (self->difference_labels[m], diff);
      }
    }
}

static void
draw_figure (cairo_t                 *cr,
             double                   width,
             double                   height,
             const PhiliaRenderStyle *style,
             gpointer                 user_data)
{
  PhiliaStatsFigure *figure = user_data;

  philia_stats_figure_set_style (figure, style);
  philia_stats_figure_draw (cr, width, height, figure);
}

static PhiliaChartView *
chart_for (PhiliaStatsPanel *self,
           guint             i)
{
  PhiliaChartView *charts[N_CHARTS] = {
    self->histogram_chart, self->compatibility_chart, self->degree_chart,
  };

  return charts[i];
}

/* Takes @figure; the chart draws it until the next one replaces it. */
static void
set_figure (PhiliaStatsPanel  *self,
            guint              i,
            PhiliaStatsFigure *figure)
{
  PhiliaStatsFigure *old = self->figures[i];

  self->figures[i] = figure;
  philia_chart_view_set_draw_func (chart_for (self, i), figure != NULL ? draw_figure : NULL,
                                   figure, NULL);
  philia_stats_figure_free (old);
}

static void
rebuild_figure (PhiliaStatsPanel *self,
                guint             i)
{
  PhiliaStatsFigureOptions options;

  if (self->homophily == NULL || self->result_graph == NULL)
    return;

  options_for (self, &options);
  set_figure (self, i, philia_stats_figure_new (chart_kinds[i], self->result_graph,
                                                self->homophily, &options));
}

static void
set_selection_text (PhiliaStatsPanel *self,
                    const char       *text)
{
  gtk_label_set_text (self->selection_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->selection_label), text != NULL);
}

static void
show_results (PhiliaStatsPanel *self)
{
  for (guint m = 0; m < N_MEASURES; m++)
    _philia_stats_set_measure_label (self->value_labels[m], self->homophily, self->result_graph, m);
  update_label_sections (self);
  update_stored (self);
  _philia_stats_fill_classes (self->classes_grid, self->classes_note, self->homophily,
                              self->result_graph);
  gtk_stack_set_visible_child_name (self->stack, "results");
}

static void
set_computing (PhiliaStatsPanel *self,
               gboolean          computing)
{
  if (self->computing == computing)
    return;
  self->computing = computing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPUTING]);
}

static void
end_job (PhiliaStatsPanel *self)
{
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  g_clear_object (&self->progress);
  g_clear_object (&self->cancellable);
  gtk_spinner_set_spinning (self->stored_spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->stored_spinner), FALSE);
  set_computing (self, FALSE);
}

/* A request carries the serial it was started with: a result whose serial is
 * not the panel's current one belongs to an older graph or convention. */
typedef struct
{
  PhiliaStatsPanel *self;
  guint             serial;
} StatsRequest;

static void
stats_done_cb (GObject      *object,
               GAsyncResult *async_result,
               gpointer      user_data)
{
  StatsRequest *request = user_data;
  PhiliaStatsPanel *self = request->self;
  g_autoptr(PhiliaStatsReport) result = NULL;
  g_autoptr(GError) error = NULL;
  guint serial = request->serial;

  result = philia_stats_report_new_finish (async_result, &error);
  g_free (request);

  if (serial != self->serial || (result != NULL && result->graph != job_graph (self)))
    {
      g_object_unref (self);
      return;   /* stale: a newer job owns the panel */
    }

  end_job (self);

  if (result == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->message_label, _("Computation cancelled."));
      else
        gtk_label_set_text (self->message_label, error->message);
      gtk_stack_set_visible_child_name (self->stack, "message");
      g_object_unref (self);
      return;
    }

  g_set_object (&self->result_graph, self->graph);
  if (result->homophily != NULL)
    {
      g_clear_pointer (&self->homophily, philia_homophily_free);
      self->homophily = g_steal_pointer (&result->homophily);
      /* Figures hold their counts and labels, so drawing never recomputes. */
      for (guint i = 0; i < N_CHARTS; i++)
        rebuild_figure (self, i);
      _philia_stats_show_extra_measures (self->measures_grid, self->extra_widgets, result);
    }
  g_clear_pointer (&self->stored, philia_homophily_free);
  self->stored = g_steal_pointer (&result->stored);

  show_results (self);
  g_object_unref (self);
}

/* Starts computing for the current graph; a job in flight is cancelled and
 * its result will be dropped. */
static void
start_job (PhiliaStatsPanel *self,
           gboolean          want_default)
{
  PhiliaStatsReportOptions options;
  StatsRequest *request;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  end_job (self);
  self->serial++;

  if (self->graph == NULL)
    return;

  if (self->homophily == NULL || self->result_graph != self->graph)
    want_default = TRUE;

  self->cancellable = g_cancellable_new ();
  self->progress = philia_progress_new ();
  self->progress_binding = g_object_bind_property (self->progress, "fraction",
                                                   self->progress_bar, "fraction",
                                                   G_BINDING_SYNC_CREATE);

  philia_stats_report_options_init (&options);
  options.seed = FEATURE_SEED;
  options.bins = self->bins;
  options.stored = stored_convention (self);
  options.stored_only = !want_default;

  if (want_default)
    gtk_stack_set_visible_child_name (self->stack, "computing");
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->stored_spinner), TRUE);
      gtk_spinner_set_spinning (self->stored_spinner, TRUE);
    }
  set_computing (self, TRUE);

  request = g_new0 (StatsRequest, 1);
  request->self = g_object_ref (self);
  request->serial = self->serial;

  philia_stats_report_new_async (job_graph (self), &options, self->progress, self->cancellable,
                                 stats_done_cb, request);
}

static void
clear_results (PhiliaStatsPanel *self)
{
  for (guint i = 0; i < N_CHARTS; i++)
    set_figure (self, i, NULL);
  g_clear_pointer (&self->homophily, philia_homophily_free);
  g_clear_pointer (&self->stored, philia_homophily_free);
  g_clear_object (&self->result_graph);
  self->selected_bin = -1;
  set_selection_text (self, NULL);

  /* Even hidden, no label keeps another graph's number. */
  for (guint m = 0; m < N_MEASURES; m++)
    {
      gtk_label_set_text (self->value_labels[m], "");
      gtk_label_set_text (self->stored_labels[m], "");
      gtk_label_set_text (self->difference_labels[m], "");
    }
  _philia_stats_clear_grid (self->classes_grid);
}

void
philia_stats_panel_set_graph (PhiliaStatsPanel *self,
                              PhiliaGraph      *graph)
{
  g_return_if_fail (PHILIA_IS_STATS_PANEL (self));
  g_return_if_fail (graph == NULL || PHILIA_IS_GRAPH (graph));

  if (!g_set_object (&self->graph, graph))
    return;

  clear_results (self);
  _philia_features_choice_follow (&self->features, self->document, graph);
  if (graph == NULL)
    {
      start_job (self, FALSE);   /* cancels only */
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    start_job (self, TRUE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRAPH]);
}

static void
set_convention_flag (PhiliaStatsPanel *self,
                     guint             prop_id,
                     gboolean          value)
{
  /* With a document the conventions are its (an undoable step); its
   * "changed" sets them here. */
  if (self->document != NULL && !self->syncing)
    {
      PhiliaConvention flag = prop_id == PROP_KEEP_SELF_LOOPS ? PHILIA_CONVENTION_KEEP_SELF_LOOPS
                                                              : PHILIA_CONVENTION_DIRECTED;
      PhiliaConvention conventions = philia_document_get_conventions (self->document);

      conventions = value ? conventions | flag : conventions & ~flag;
      if (conventions != philia_document_get_conventions (self->document))
        philia_document_set_conventions (self->document, conventions);
      return;
    }
  if (prop_id == PROP_KEEP_SELF_LOOPS)
    {
      if (self->keep_self_loops == !!value)
        return;
      self->keep_self_loops = !!value;
    }
  else
    {
      if (self->directed == !!value)
        return;
      self->directed = !!value;
    }

  g_clear_pointer (&self->stored, philia_homophily_free);
  if (self->graph != NULL)
    {
      update_stored (self);
      if (stored_convention (self) != PHILIA_CONVENTION_DEFAULT || self->homophily == NULL
          || self->computing)
        start_job (self, FALSE);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_figure_flag (PhiliaStatsPanel *self,
                 guint             prop_id,
                 gboolean          value)
{
  guint chart;

  value = !!value;
  switch (prop_id)
    {
    case PROP_BY_CLASS:
      if (self->by_class == value)
        return;
      self->by_class = value;
      chart = 0;
      break;
    case PROP_COUNTS:
      if (self->counts == value)
        return;
      self->counts = value;
      chart = 1;
      break;
    case PROP_LOG_LOG:
    default:
      if (self->log_log == value)
        return;
      self->log_log = value;
      chart = 2;
      break;
    }

  rebuild_figure (self, chart);
  if (chart == 0 && self->figures[0] != NULL)
    philia_stats_figure_set_highlight (self->figures[0], self->selected_bin);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_bins (PhiliaStatsPanel *self,
          guint             bins)
{
  if (self->bins == bins)
    return;
  self->bins = bins;

  /* The selection stays (its label still says what it holds); only the
   * highlight goes, since the bins moved. */
  self->selected_bin = -1;
  rebuild_figure (self, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bin_choices); i++)
    if (bin_choices[i] == bins && gtk_drop_down_get_selected (self->bins_dropdown) != i)
      gtk_drop_down_set_selected (self->bins_dropdown, i);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BINS]);
}

static void
on_bins_selected (GtkDropDown      *dropdown,
                  GParamSpec       *pspec,
                  PhiliaStatsPanel *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (i < G_N_ELEMENTS (bin_choices))
    set_bins (self, bin_choices[i]);
}

/* The user's pick is the document's (a step); its "changed" recomputes. */
static void
on_features_selected (GtkDropDown      *dropdown,
                      GParamSpec       *pspec,
                      PhiliaStatsPanel *self)
{
  _philia_features_choice_picked (dropdown, self->feature_names, self->document);
}

/**
 * philia_stats_panel_select_bin:
 *
 * Selects the nodes of histogram bin @bin (as a click on it does) and emits
 * #PhiliaStatsPanel::select-nodes; -1, or the bin already selected, clears the
 * selection. Complexity O(n).
 */
void
philia_stats_panel_select_bin (PhiliaStatsPanel *self,
                               int               bin)
{
  PhiliaStatsFigure *figure;
  g_autoptr(GArray) nodes = NULL;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;
  double lo, hi;

  g_return_if_fail (PHILIA_IS_STATS_PANEL (self));

  figure = self->figures[0];
  if (figure == NULL)
    return;

  if (bin < 0 || bin >= (int) self->bins || bin == self->selected_bin)
    {
      self->selected_bin = -1;
      philia_stats_figure_set_highlight (figure, -1);
      gtk_widget_queue_draw (GTK_WIDGET (self->histogram_chart));
      set_selection_text (self, NULL);
      if (self->document != NULL)
        philia_document_set_selection (self->document, NULL, 0);
      g_signal_emit (self, signals[SELECT_NODES], 0, NULL, 0u);
      return;
    }

  self->selected_bin = bin;
  philia_stats_figure_set_highlight (figure, bin);
  gtk_widget_queue_draw (GTK_WIDGET (self->histogram_chart));

  nodes = philia_stats_figure_bin_nodes (figure, bin);
  lo = (double) bin / self->bins;
  hi = (double) (bin + 1) / self->bins;
  count = g_strdup_printf ("%'u", nodes->len);
  /* Translators: "1,796 nodes selected (local homophily 0.90–1.00)" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s node selected (local homophily %.2f–%.2f)",
                                       "%s nodes selected (local homophily %.2f–%.2f)",
                                       nodes->len),
                          count, lo, hi);
  set_selection_text (self, text);

  if (self->document != NULL)
    _philia_document_select (self->document, (const guint *) nodes->data, nodes->len);
  g_signal_emit (self, signals[SELECT_NODES], 0, (gpointer) nodes->data, nodes->len);
}

static void
on_histogram_released (GtkGestureClick  *gesture,
                       int               n_press,
                       double            x,
                       double            y,
                       PhiliaStatsPanel *self)
{
  GtkWidget *chart = GTK_WIDGET (self->histogram_chart);
  PhiliaRenderStyle style;
  int bin;

  if (self->figures[0] == NULL)
    return;

  /* Hit-test with the style the screen was drawn with (fonts set the margins). */
  philia_chart_view_get_style (self->histogram_chart, &style);
  philia_stats_figure_set_style (self->figures[0], &style);
  bin = philia_stats_figure_hit_bar (self->figures[0], gtk_widget_get_width (chart),
                                     gtk_widget_get_height (chart), x, y);
  if (bin >= 0)
    philia_stats_panel_select_bin (self, bin);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PhiliaStatsPanel *self = PHILIA_STATS_PANEL (widget);
  PhiliaStatsFigureKind kind;

  if (!philia_stats_figure_kind_from_string (g_variant_get_string (parameter, NULL), &kind))
    return;

  gtk_widget_activate_action (philia_stats_panel_get_chart (self, kind), "chart.export", NULL);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PhiliaStatsPanel *self = PHILIA_STATS_PANEL (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
recompute_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  start_job (PHILIA_STATS_PANEL (widget), TRUE);
}

static void
philia_stats_panel_dispose (GObject *object)
{
  PhiliaStatsPanel *self = PHILIA_STATS_PANEL (object);
  GtkWidget *child;

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  self->serial++;
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  g_clear_object (&self->progress);
  g_clear_object (&self->cancellable);

  /* The charts draw our figures: detach them before the figures go. */
  for (guint i = 0; i < N_CHARTS; i++)
    if (self->figures[i] != NULL)
      set_figure (self, i, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_STATS_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->graph);
  g_clear_object (&self->result_graph);
  _philia_features_choice_clear (&self->features);

  G_OBJECT_CLASS (philia_stats_panel_parent_class)->dispose (object);
}

static void
philia_stats_panel_finalize (GObject *object)
{
  PhiliaStatsPanel *self = PHILIA_STATS_PANEL (object);

  g_clear_pointer (&self->homophily, philia_homophily_free);
  g_clear_pointer (&self->stored, philia_homophily_free);
  g_clear_pointer (&self->extra_widgets, g_ptr_array_unref);
  g_clear_pointer (&self->feature_names, g_ptr_array_unref);

  G_OBJECT_CLASS (philia_stats_panel_parent_class)->finalize (object);
}

static void
philia_stats_panel_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PhiliaStatsPanel *self = PHILIA_STATS_PANEL (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      g_value_set_object (value, self->graph);
      break;

    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_COMPUTING:
      g_value_set_boolean (value, self->computing);
      break;
    case PROP_BINS:
      g_value_set_uint (value, self->bins);
      break;
    case PROP_KEEP_SELF_LOOPS:
      g_value_set_boolean (value, self->keep_self_loops);
      break;
    case PROP_DIRECTED:
      g_value_set_boolean (value, self->directed);
      break;
    case PROP_BY_CLASS:
      g_value_set_boolean (value, self->by_class);
      break;
    case PROP_COUNTS:
      g_value_set_boolean (value, self->counts);
      break;
    case PROP_LOG_LOG:
      g_value_set_boolean (value, self->log_log);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_stats_panel_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PhiliaStatsPanel *self = PHILIA_STATS_PANEL (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      philia_stats_panel_set_graph (self, g_value_get_object (value));
      break;

    case PROP_DOCUMENT:
      philia_stats_panel_set_document (self, g_value_get_object (value));
      break;
    case PROP_BINS:
      set_bins (self, g_value_get_uint (value));
      break;
    case PROP_KEEP_SELF_LOOPS:
    case PROP_DIRECTED:
      set_convention_flag (self, prop_id, g_value_get_boolean (value));
      break;
    case PROP_BY_CLASS:
    case PROP_COUNTS:
    case PROP_LOG_LOG:
      set_figure_flag (self, prop_id, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_stats_panel_class_init (PhiliaStatsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_stats_panel_dispose;
  object_class->finalize = philia_stats_panel_finalize;
  object_class->get_property = philia_stats_panel_get_property;
  object_class->set_property = philia_stats_panel_set_property;

  properties[PROP_GRAPH] =
    g_param_spec_object ("graph", NULL, NULL, PHILIA_TYPE_GRAPH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PhiliaStatsPanel:computing:
   *
   * Whether statistics are being computed for the current graph.
   */
  properties[PROP_COMPUTING] =
    g_param_spec_boolean ("computing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BINS] =
    g_param_spec_uint ("bins", NULL, NULL, 1, 1000, 10,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PhiliaStatsPanel:keep-self-loops:
   *
   * Also compute every measure with self-loops counted (the "as stored" column).
   */
  properties[PROP_KEEP_SELF_LOOPS] =
    g_param_spec_boolean ("keep-self-loops", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PhiliaStatsPanel:directed:
   *
   * Also compute every measure on the rows as stored, one direction each.
   */
  properties[PROP_DIRECTED] =
    g_param_spec_boolean ("directed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BY_CLASS] =
    g_param_spec_boolean ("by-class", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COUNTS] =
    g_param_spec_boolean ("counts", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOG_LOG] =
    g_param_spec_boolean ("log-log", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, PHILIA_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PhiliaStatsPanel::select-nodes:
   * @nodes: (array length=n_nodes): node ids, ascending, or %NULL
   * @n_nodes: how many
   *
   * The user selected the nodes of a histogram bin (none: cleared).
   */
  signals[SELECT_NODES] =
    g_signal_new ("select-nodes", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);

  g_type_ensure (PHILIA_TYPE_CHART_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-stats-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, message_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, measures_grid);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, stored_header);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, difference_header);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, stored_note);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, stored_spinner);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, bins_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, features_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, histogram_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, compatibility_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, degree_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, selection_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, classes_grid);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, classes_note);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, no_labels_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, measure_header);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, value_header);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, measures_caption);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, conventions_box);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, local_homophily_box);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, compatibility_box);
  gtk_widget_class_bind_template_child (widget_class, PhiliaStatsPanel, classes_box);
  gtk_widget_class_bind_template_callback (widget_class, on_bins_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_features_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_histogram_released);

  gtk_widget_class_install_property_action (widget_class, "stats.keep-self-loops",
                                            "keep-self-loops");
  gtk_widget_class_install_property_action (widget_class, "stats.directed", "directed");
  gtk_widget_class_install_property_action (widget_class, "stats.by-class", "by-class");
  gtk_widget_class_install_property_action (widget_class, "stats.counts", "counts");
  gtk_widget_class_install_property_action (widget_class, "stats.log-log", "log-log");
  gtk_widget_class_install_action (widget_class, "stats.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "stats.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "stats.recompute", NULL, recompute_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
philia_stats_panel_init (PhiliaStatsPanel *self)
{
  self->bins = 10;
  self->log_log = TRUE;
  self->selected_bin = -1;
  self->extra_widgets = g_ptr_array_new ();
  self->feature_names = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  _philia_widget_scroll_not_values (GTK_WIDGET (self));

  gtk_drop_down_set_selected (self->bins_dropdown, 1);   /* 10 */
  _philia_stats_build_measures_grid (self->measures_grid, self->name_labels, self->value_labels,
                                     self->stored_labels, self->difference_labels);
  set_stored_column_visible (self, FALSE);
  set_selection_text (self, NULL);
}

GtkWidget *
philia_stats_panel_new (void)
{
  return g_object_new (PHILIA_TYPE_STATS_PANEL, NULL);
}

PhiliaGraph *
philia_stats_panel_get_graph (PhiliaStatsPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_STATS_PANEL (self), NULL);

  return self->graph;
}

gboolean
philia_stats_panel_get_computing (PhiliaStatsPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_STATS_PANEL (self), FALSE);

  return self->computing;
}

/* The graph the numbers on show belong to (%NULL while none are). */
PhiliaGraph *
philia_stats_panel_get_result_graph (PhiliaStatsPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_STATS_PANEL (self), NULL);

  return self->result_graph;
}

static int
measure_index (const char *key)
{
  for (guint m = 0; m < N_MEASURES; m++)
    if (g_strcmp0 (_philia_stats_measures[m].key, key) == 0)
      return m;
  return -1;
}

/* The value shown for @measure ("edge", "node", "class", "adjusted", "li",
 * "feature-edges", "feature-random"); "" while computing; %NULL when the row
 * is hidden (a label measure on a graph without labels). */
const char *
philia_stats_panel_get_value_text (PhiliaStatsPanel *self,
                                   const char       *measure)
{
  int m = measure_index (measure);

  g_return_val_if_fail (PHILIA_IS_STATS_PANEL (self), NULL);

  if (m < 0)
    {
      /* A plugin's measure, by its algorithm id (value labels are named so). */
      for (guint i = 1; i < self->extra_widgets->len; i += 2)
        if (g_strcmp0 (gtk_widget_get_name (self->extra_widgets->pdata[i]), measure) == 0)
          return gtk_label_get_text (self->extra_widgets->pdata[i]);
      return NULL;
    }
  if (!gtk_widget_get_visible (GTK_WIDGET (self->value_labels[m])))
    return NULL;
  return gtk_label_get_text (self->value_labels[m]);
}

/* The sentence shown instead of the label measures, or %NULL when the graph
 * has labels. */
const char *
philia_stats_panel_get_notice (PhiliaStatsPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_STATS_PANEL (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->no_labels_label)))
    return NULL;
  return gtk_label_get_text (self->no_labels_label);
}

/* The "as stored" value, or %NULL when that column is hidden. */
const char *
philia_stats_panel_get_stored_text (PhiliaStatsPanel *self,
                                    const char       *measure)
{
  int m = measure_index (measure);

  g_return_val_if_fail (PHILIA_IS_STATS_PANEL (self), NULL);
  g_return_val_if_fail (m >= 0, NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->stored_labels[m])))
    return NULL;
  return gtk_label_get_text (self->stored_labels[m]);
}

const char *
philia_stats_panel_get_difference_text (PhiliaStatsPanel *self,
                                        const char       *measure)
{
  int m = measure_index (measure);

  g_return_val_if_fail (PHILIA_IS_STATS_PANEL (self), NULL);
  g_return_val_if_fail (m >= 0, NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->difference_labels[m])))
    return NULL;
  return gtk_label_get_text (self->difference_labels[m]);
}

/* "N nodes selected (…)", or %NULL without a selection. */
const char *
philia_stats_panel_get_selection_text (PhiliaStatsPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_STATS_PANEL (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->selection_label)))
    return NULL;
  return gtk_label_get_text (self->selection_label);
}

/* Row @k of the per-class table as "name|size|h_k|mean", or %NULL. */
char *
philia_stats_panel_dup_class_row_text (PhiliaStatsPanel *self,
                                       guint             k)
{
  GString *text;

  g_return_val_if_fail (PHILIA_IS_STATS_PANEL (self), NULL);

  if (gtk_grid_get_child_at (self->classes_grid, 1, k + 1) == NULL)
    return NULL;

  text = g_string_new (NULL);
  for (guint c = 0; c < 4; c++)
    {
      GtkWidget *label = gtk_grid_get_child_at (self->classes_grid, c + 1, k + 1);

      if (c > 0)
        g_string_append_c (text, '|');
      g_string_append (text, gtk_label_get_text (GTK_LABEL (label)));
    }
  return g_string_free (text, FALSE);
}

/* The chart view showing @kind (local-homophily, compatibility or degree). */
GtkWidget *
philia_stats_panel_get_chart (PhiliaStatsPanel      *self,
                              PhiliaStatsFigureKind  kind)
{
  g_return_val_if_fail (PHILIA_IS_STATS_PANEL (self), NULL);

  for (guint i = 0; i < N_CHARTS; i++)
    if (chart_kinds[i] == kind)
      return GTK_WIDGET (chart_for (self, i));

  g_return_val_if_reached (NULL);
}

static void
on_document_changed (PhiliaDocument     *document,
                     PhiliaDocumentPart  parts,
                     PhiliaStatsPanel   *self)
{
  if (self->graph != philia_document_get_graph (document))
    return;
  self->syncing = TRUE;
  if (parts & PHILIA_DOCUMENT_PART_FEATURES)
    {
      _philia_features_choice_sync (self->features_dropdown, self->feature_names, document);
      if (_philia_features_choice_follow (&self->features, document, self->graph))
        start_job (self, TRUE);
    }
  if (parts & PHILIA_DOCUMENT_PART_CONVENTIONS)
    {
      PhiliaConvention conventions = philia_document_get_conventions (document);

      set_convention_flag (self, PROP_KEEP_SELF_LOOPS,
                           (conventions & PHILIA_CONVENTION_KEEP_SELF_LOOPS) != 0);
      set_convention_flag (self, PROP_DIRECTED, (conventions & PHILIA_CONVENTION_DIRECTED) != 0);
    }
  self->syncing = FALSE;
}

static void
on_document_graph (PhiliaDocument     *document,
                   GParamSpec         *pspec,
                   PhiliaStatsPanel   *self)
{
  self->syncing = TRUE;
  philia_stats_panel_set_graph (self, philia_document_get_graph (document));
  on_document_changed (document, ~0u, self);
}

PhiliaDocument *
philia_stats_panel_get_document (PhiliaStatsPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_STATS_PANEL (self), NULL);

  return self->document;
}

/* With @document (nullable), the panel shows its graph and follows it. */
void
philia_stats_panel_set_document (PhiliaStatsPanel *self,
                                 PhiliaDocument   *document)
{
  g_return_if_fail (PHILIA_IS_STATS_PANEL (self));
  g_return_if_fail (document == NULL || PHILIA_IS_DOCUMENT (document));

  if (_philia_widget_follow_document (self, &self->document, document,
                                      G_CALLBACK (on_document_changed),
                                      G_CALLBACK (on_document_graph)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}
