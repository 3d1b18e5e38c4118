/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-attention-view.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "philia-app-private.h"
#include "philia-chart-view.h"
#include "philia-run-overlay.h"

/* The Train panel's views of a run's attention (a GAT's, a FAGCN's): the
 * layer and head chooser, the histogram of each node's share of attention
 * on same-label neighbours, the attention grid around one selected node, and
 * what goes to the canvas: edges shaded by attention, nodes coloured by the
 * same-label share or by self attention. Hidden for a run without
 * attention. */

/* Canvas layers this view owns. */

/* Neighbours drawn around a node in the attention grid. */
#define GRID_NEIGHBOURS 24
#define SHARE_BINS 10

struct _PhiliaAttentionView
{
  GtkWidget                parent_instance;

  /* Template widgets */
  GtkDropDown             *layer_dropdown;
  GtkDropDown             *head_dropdown;
  GtkDropDown             *scale_dropdown;
  GtkDropDown             *direction_dropdown;
  PhiliaChartView         *share_chart;
  PhiliaChartView         *compare_chart;
  GtkLabel                *grid_note;
  PhiliaChartView         *grid_chart;

  /* Borrowed */
  const PhiliaTrainResult *result;      /* the run shown; its owner outlives it here */

  /* Owned */
  PhiliaDocument          *document;
  PhiliaGraph             *graph;
  guint                    run_id;      /* the document's run, or 0 */
  GArray                  *selection;   /* guint, the window's selection */
  double                  *share;       /* n, same-label share for the chosen layer/head */
  double                   share_counts[SHARE_BINS];
  GArray                  *compare_values;  /* double: mean same-label share per bar */
  GPtrArray               *compare_labels;  /* char*: "GAT #1 · layer 1", …, "Uniform" */
  PhiliaAttentionGrid     *grid;
  gboolean                 edges_shown;
  gboolean                 nodes_in_document;  /* an attention colouring was shown from here */
};

G_DEFINE_FINAL_TYPE (PhiliaAttentionView, philia_attention_view, GTK_TYPE_WIDGET)

static void
draw_share (cairo_t                 *cr,
            double                   width,
            double                   height,
            const PhiliaRenderStyle *style,
            gpointer                 user_data)
{
  PhiliaAttentionView *self = user_data;
  char labels[SHARE_BINS][16];
  const char *label_ptrs[SHARE_BINS];
  PhiliaBarChart chart = { 0 };

  for (guint b = 0; b < SHARE_BINS; b++)
    {
      g_snprintf (labels[b], sizeof labels[b], "%.1f", (double) b / SHARE_BINS);
      label_ptrs[b] = labels[b];
    }
  chart.title = _("Share of attention on same-label neighbours");
  chart.x_label = _("Share (bin start)");
  chart.y_label = _("Nodes");
  chart.n_bars = SHARE_BINS;
  chart.values = self->share_counts;
  chart.labels = label_ptrs;
  philia_bar_chart_draw (cr, width, height, &chart, style);
}

/* One bar per layer of each selected attention run: the mean over labeled
 * nodes of their same-label share, then what uniform attention over the
 * same neighbours would give (the mean of the nodes' label agreement). A
 * model whose bars stand above the uniform one attends to its own label. */
static void
draw_compare (cairo_t                 *cr,
              double                   width,
              double                   height,
              const PhiliaRenderStyle *style,
              gpointer                 user_data)
{
  PhiliaAttentionView *self = user_data;
  PhiliaBarChart chart = { 0 };

  chart.title = _("Mean same-label share of attention, by run and layer");
  chart.y_label = _("Mean share");
  chart.n_bars = self->compare_values->len;
  chart.values = (const double *) self->compare_values->data;
  chart.labels = (const char * const *) self->compare_labels->pdata;
  chart.show_values = TRUE;
  philia_bar_chart_draw (cr, width, height, &chart, style);
}

/* The mean of the non-NaN entries of @share, NaN for none. */
static double
mean_share (const double *share,
            guint         n)
{
  double sum = 0;
  guint count = 0;

  for (guint v = 0; share != NULL && v < n; v++)
    if (!isnan (share[v]))
      {
        sum += share[v];
        count++;
      }
  return count > 0 ? sum / count : NAN;
}

/**
 * philia_attention_view_set_compare:
 * @results: (array length=n_results): the selected runs (those without
 *   attention are passed over)
 * @names: (array length=n_results): their legend names
 *
 * Fills the comparison of the same-label share of attention across runs
 * (a transformer's against a GAT's), with uniform attention as reference.
 */
void
philia_attention_view_set_compare (PhiliaAttentionView      *self,
                                   PhiliaGraph              *graph,
                                   const PhiliaTrainResult **results,
                                   const char              **names,
                                   guint                     n_results)
{
  g_return_if_fail (PHILIA_IS_ATTENTION_VIEW (self));

  g_array_set_size (self->compare_values, 0);
  g_ptr_array_set_size (self->compare_labels, 0);
  for (guint i = 0; graph != NULL && i < n_results; i++)
    {
      const PhiliaTrainResult *r = results[i];

      if (r->attention == NULL || r->n_nodes != philia_graph_get_n_nodes (graph))
        continue;
      for (guint l = 0; l < r->attention->len; l++)
        {
          g_autofree double *share = philia_train_result_same_label_attention (r, graph, l, -1);
          double mean = mean_share (share, r->n_nodes);

          g_array_append_val (self->compare_values, mean);
          /* Translators: a bar of the attention comparison, "GAT #1 · layer 0"
           * (layers count from 0, as in the layer chooser and the grid) */
          g_ptr_array_add (self->compare_labels, g_strdup_printf (_("%s · layer %u"), names[i],
                                                                  l));
        }
    }
  if (self->compare_values->len > 0)
    {
      const gint64 *off = philia_graph_get_row_offsets (graph);
      const gint32 *nbr = philia_graph_get_neighbors (graph);
      const gint32 *y = philia_graph_get_labels (graph);
      guint n = philia_graph_get_n_nodes (graph);
      g_autofree double *agree = g_new (double, MAX (n, 1));
      double mean;

      /* What philia_train_result_same_label_attention() gives when every
       * labeled neighbour gets the same weight. */
      for (guint v = 0; v < n; v++)
        {
          double same = 0, total = 0;

          agree[v] = NAN;
          if (y == NULL || y[v] < 0)
            continue;
          for (gint64 e = off[v]; e < off[v + 1]; e++)
            if (y[nbr[e]] >= 0)
              {
                total++;
                same += y[nbr[e]] == y[v];
              }
          if (total > 0)
            agree[v] = same / total;
        }
      mean = mean_share (agree, n);
      g_array_append_val (self->compare_values, mean);
      g_ptr_array_add (self->compare_labels, g_strdup (_("Uniform over neighbours")));
    }
  g_ptr_array_add (self->compare_labels, NULL);
  g_ptr_array_set_size (self->compare_labels, self->compare_labels->len - 1);
  gtk_widget_set_visible (GTK_WIDGET (self->compare_chart), self->compare_values->len > 0);
  gtk_widget_queue_draw (GTK_WIDGET (self->compare_chart));
}

/* The bars of the comparison: their count, and value @i (NaN out of range). */
guint
philia_attention_view_get_compare (PhiliaAttentionView *self,
                                   guint                i,
                                   double              *value)
{
  g_return_val_if_fail (PHILIA_IS_ATTENTION_VIEW (self), 0);

  if (value != NULL)
    *value = i < self->compare_values->len ? g_array_index (self->compare_values, double, i)
                                           : NAN;
  return self->compare_values->len;
}

static void
draw_grid (cairo_t                 *cr,
           double                   width,
           double                   height,
           const PhiliaRenderStyle *style,
           gpointer                 user_data)
{
  PhiliaAttentionView *self = user_data;

  if (self->grid == NULL)
    return;
  philia_attention_grid_set_style (self->grid, style);
  philia_attention_grid_draw (cr, width, height, self->grid);
}

static void
clear_attention_views (PhiliaAttentionView *self)
{
  g_clear_pointer (&self->share, g_free);
  memset (self->share_counts, 0, sizeof self->share_counts);
  g_clear_pointer (&self->grid, philia_attention_grid_free);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static int
chosen_head (PhiliaAttentionView *self)
{
  guint i = gtk_drop_down_get_selected (self->head_dropdown);

  /* Item 0 is "Mean over heads". */
  return i == 0 || i == GTK_INVALID_LIST_POSITION ? -1 : (int) i - 1;
}

static guint
chosen_layer (PhiliaAttentionView *self)
{
  guint i = gtk_drop_down_get_selected (self->layer_dropdown);

  return i == GTK_INVALID_LIST_POSITION ? 0 : i;
}

/* Attention over uniform (α·(deg+1)) when chosen and meaningful: only a
 * softmax over each node's neighbours and itself has 1 / (deg + 1) as its
 * uniform value; signed coefficients (FAGCN's) are shown raw. */
static gboolean
chosen_relative (PhiliaAttentionView *self)
{
  return gtk_drop_down_get_selected (self->scale_dropdown) == 0
         && gtk_widget_get_sensitive (GTK_WIDGET (self->scale_dropdown));
}

static gboolean
chosen_mean_direction (PhiliaAttentionView *self)
{
  return gtk_drop_down_get_selected (self->direction_dropdown) == 1;
}

static void
update_grid (PhiliaAttentionView *self)
{
  gboolean one = self->selection->len == 1;

  g_clear_pointer (&self->grid, philia_attention_grid_free);
  if (self->result != NULL && self->graph != NULL && one)
    self->grid = philia_attention_grid_new (self->graph, self->result,
                                            g_array_index (self->selection, guint, 0),
                                            GRID_NEIGHBOURS, chosen_relative (self));
  gtk_widget_set_visible (GTK_WIDGET (self->grid_chart), self->grid != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->grid_note), self->grid == NULL);
  philia_chart_view_set_draw_func (self->grid_chart, self->grid != NULL ? draw_grid : NULL,
                                   self, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self->grid_chart));
}

void
philia_attention_view_show_edges (PhiliaAttentionView *self)
{
  PhiliaAttentionOverlay attention = { self->run_id, chosen_layer (self), chosen_head (self),
                                       chosen_relative (self), chosen_mean_direction (self) };
  g_autofree char *overlay = NULL;

  /* A run's attention is the document's overlay (saved with the project,
   * undoable, in the overlay list): the canvas derives the edges from the
   * run. Without a document run there is nothing to put it on. */
  if (self->result == NULL || self->graph == NULL || self->document == NULL
      || self->run_id == 0)
    return;
  overlay = philia_attention_overlay_format (&attention);
  _philia_document_write_view (self->document, NULL, "attention", overlay);
  self->edges_shown = TRUE;
}

/* Colours the canvas by the document run's attention colouring @what (-1:
 * the one the view shows, if it is this run's), as chosen: a step. */
static void
show_attention_nodes (PhiliaAttentionView *self,
                      int                  what)
{
  PhiliaAttentionOverlay attention = { self->run_id, chosen_layer (self), chosen_head (self),
                                       chosen_relative (self), FALSE };
  PhiliaAttentionOverlay shown;
  PhiliaAttentionNodes nodes;
  g_autofree char *overlay = NULL;

  if (what < 0)
    {
      if (!philia_attention_nodes_parse (philia_document_get_view (self->document)->color_by,
                                         &nodes, &shown)
          || shown.run_id != self->run_id)
        return;
      what = (int) nodes;
    }
  overlay = philia_attention_nodes_format ((PhiliaAttentionNodes) what, &attention);
  _philia_document_write_view (self->document, overlay, NULL, NULL);
  self->nodes_in_document = TRUE;
}

/* Layer/head-dependent views: the share histogram, the edges overlay. */
static void
update_attention (PhiliaAttentionView *self)
{
  const PhiliaTrainResult *r = self->result;
  guint n;

  if (r == NULL || r->attention == NULL || r->attention->len == 0 || self->graph == NULL)
    return;

  {
    gboolean softmax = philia_train_result_attention_is_softmax (r, self->graph,
                                                                 chosen_layer (self));

    gtk_widget_set_sensitive (GTK_WIDGET (self->scale_dropdown), softmax);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->scale_dropdown),
                                 softmax ? _("Attention over what a uniform softmax over the "
                                             "node’s neighbours and itself would give, "
                                             "α·(deg+1): 1 is uniform, so the shade does not "
                                             "just follow degree. Or α itself.")
                                         : _("This layer’s coefficients are not a softmax over "
                                             "each node’s neighbours, so they have no uniform "
                                             "value: shown as they are."));
  }

  n = r->n_nodes;
  g_clear_pointer (&self->share, g_free);
  self->share = philia_train_result_same_label_attention (r, self->graph, chosen_layer (self),
                                                          chosen_head (self));
  memset (self->share_counts, 0, sizeof self->share_counts);
  for (guint v = 0; self->share != NULL && v < n; v++)
    if (!isnan (self->share[v]))
      self->share_counts[MIN ((guint) (self->share[v] * SHARE_BINS), SHARE_BINS - 1)]++;
  gtk_widget_queue_draw (GTK_WIDGET (self->share_chart));

  if (self->edges_shown)
    philia_attention_view_show_edges (self);
  /* The grid follows the scale. */
  update_grid (self);
}

static void
on_attention_choice (GtkDropDown      *dropdown,
                     GParamSpec       *pspec,
                     PhiliaAttentionView *self)
{
  update_attention (self);
  /* The colouring shown from here follows the user's choice (not the
   * document's undo, which updates the views too). */
  if (self->nodes_in_document && self->document != NULL && self->run_id != 0)
    show_attention_nodes (self, -1);
}

static void
fill_attention_choosers (PhiliaAttentionView *self)
{
  const PhiliaTrainResult *r = self->result;
  g_autoptr(GtkStringList) layers = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) heads = gtk_string_list_new (NULL);
  guint max_heads = 0;

  for (guint l = 0; l < r->attention->len; l++)
    {
      const PhiliaAttention *a = &g_array_index (r->attention, PhiliaAttention, l);
      /* Translators: an item of the attention layer chooser */
      g_autofree char *text = g_strdup_printf (_("Layer %u"), a->layer);

      gtk_string_list_append (layers, text);
      max_heads = MAX (max_heads, a->heads);
    }
  gtk_string_list_append (heads, _("Mean over heads"));
  for (guint h = 0; h < max_heads; h++)
    {
      /* Translators: an item of the attention head chooser */
      g_autofree char *text = g_strdup_printf (_("Head %u"), h);

      gtk_string_list_append (heads, text);
    }
  g_signal_handlers_block_by_func (self->layer_dropdown, on_attention_choice, self);
  g_signal_handlers_block_by_func (self->head_dropdown, on_attention_choice, self);
  gtk_drop_down_set_model (self->layer_dropdown, G_LIST_MODEL (layers));
  gtk_drop_down_set_model (self->head_dropdown, G_LIST_MODEL (heads));
  gtk_drop_down_set_selected (self->layer_dropdown, 0);
  gtk_drop_down_set_selected (self->head_dropdown, 0);
  g_signal_handlers_unblock_by_func (self->layer_dropdown, on_attention_choice, self);
  g_signal_handlers_unblock_by_func (self->head_dropdown, on_attention_choice, self);
}

/**
 * philia_attention_view_set_run:
 * @result: (nullable): the run to show, kept alive by its owner until the
 *   next call
 * @document_run_id: the document's run @result is, or 0: its edges are then
 *   the document's overlay
 *
 * Shows @result's attention (hidden without any), with the choosers back at
 * the first layer and the mean over heads.
 */
void
philia_attention_view_set_run (PhiliaAttentionView     *self,
                               PhiliaGraph             *graph,
                               const PhiliaTrainResult *result,
                               guint                    document_run_id)
{
  gboolean has_attention;

  g_return_if_fail (PHILIA_IS_ATTENTION_VIEW (self));

  clear_attention_views (self);
  g_set_object (&self->graph, graph);
  self->result = graph != NULL ? result : NULL;
  self->run_id = document_run_id;
  has_attention = self->result != NULL && self->result->attention != NULL
                  && self->result->attention->len > 0;
  gtk_widget_set_visible (GTK_WIDGET (self), has_attention);
  if (has_attention)
    {
      fill_attention_choosers (self);
      update_attention (self);
    }
  update_grid (self);
}

/* "same-label" or "self-attention": the canvas colours nodes by it. */
void
philia_attention_view_show_layer (PhiliaAttentionView *self,
                                  const char          *what)
{
  g_return_if_fail (PHILIA_IS_ATTENTION_VIEW (self));
  g_return_if_fail (what != NULL);

  if (self->document != NULL && self->run_id != 0)
    show_attention_nodes (self, g_str_equal (what, "same-label")
                                ? PHILIA_ATTENTION_NODES_SAME_LABEL
                                : PHILIA_ATTENTION_NODES_SELF);
}

/* Forgets what the view showed: the document's overlays stay until its
 * view changes, as its runs' colourings do. */
void
philia_attention_view_remove_layers (PhiliaAttentionView *self)
{
  g_return_if_fail (PHILIA_IS_ATTENTION_VIEW (self));

  self->edges_shown = FALSE;
  self->nodes_in_document = FALSE;
}

/**
 * philia_attention_view_set_selection:
 * @nodes: (array length=n_nodes) (nullable): the window's selected nodes
 *
 * One selected node gets its attention grid.
 */
void
philia_attention_view_set_selection (PhiliaAttentionView *self,
                                     const guint         *nodes,
                                     guint                n_nodes)
{
  g_return_if_fail (PHILIA_IS_ATTENTION_VIEW (self));
  g_return_if_fail (nodes != NULL || n_nodes == 0);

  g_array_set_size (self->selection, 0);
  for (guint i = 0; i < n_nodes; i++)
    g_array_append_val (self->selection, nodes[i]);
  update_grid (self);
}

/* @document: (nullable): where a document run's attention edges go, as its overlay */
void
philia_attention_view_set_document (PhiliaAttentionView *self,
                                    PhiliaDocument      *document)
{
  g_return_if_fail (PHILIA_IS_ATTENTION_VIEW (self));

  g_set_object (&self->document, document);
}

/* "same-label", "attention-grid" or "attention-compare", or NULL. */
GtkWidget *
philia_attention_view_get_chart (PhiliaAttentionView *self,
                                 const char          *name)
{
  g_return_val_if_fail (PHILIA_IS_ATTENTION_VIEW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, "same-label"))
    return GTK_WIDGET (self->share_chart);
  if (g_str_equal (name, "attention-grid"))
    return GTK_WIDGET (self->grid_chart);
  if (g_str_equal (name, "attention-compare"))
    return GTK_WIDGET (self->compare_chart);
  return NULL;
}

static void
philia_attention_view_dispose (GObject *object)
{
  PhiliaAttentionView *self = PHILIA_ATTENTION_VIEW (object);
  GtkWidget *child;

  /* The charts draw our data: detach them first. */
  if (self->share_chart != NULL)
    {
      philia_chart_view_set_draw_func (self->share_chart, NULL, NULL, NULL);
      philia_chart_view_set_draw_func (self->grid_chart, NULL, NULL, NULL);
      philia_chart_view_set_draw_func (self->compare_chart, NULL, NULL, NULL);
    }
  self->result = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_ATTENTION_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->graph);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (philia_attention_view_parent_class)->dispose (object);
}

static void
philia_attention_view_finalize (GObject *object)
{
  PhiliaAttentionView *self = PHILIA_ATTENTION_VIEW (object);

  g_clear_pointer (&self->selection, g_array_unref);
  g_clear_pointer (&self->compare_values, g_array_unref);
  g_clear_pointer (&self->compare_labels, g_ptr_array_unref);
  g_clear_pointer (&self->share, g_free);
  g_clear_pointer (&self->grid, philia_attention_grid_free);

  G_OBJECT_CLASS (philia_attention_view_parent_class)->finalize (object);
}

static void
philia_attention_view_class_init (PhiliaAttentionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_attention_view_dispose;
  object_class->finalize = philia_attention_view_finalize;

  g_type_ensure (PHILIA_TYPE_CHART_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-attention-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaAttentionView, layer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAttentionView, head_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAttentionView, scale_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAttentionView, direction_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAttentionView, share_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAttentionView, compare_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAttentionView, grid_note);
  gtk_widget_class_bind_template_child (widget_class, PhiliaAttentionView, grid_chart);
  gtk_widget_class_bind_template_callback (widget_class, on_attention_choice);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
philia_attention_view_init (PhiliaAttentionView *self)
{
  self->selection = g_array_new (FALSE, FALSE, sizeof (guint));
  gtk_widget_init_template (GTK_WIDGET (self));
  philia_chart_view_set_draw_func (self->share_chart, draw_share, self, NULL);
  self->compare_values = g_array_new (FALSE, FALSE, sizeof (double));
  self->compare_labels = g_ptr_array_new_with_free_func (g_free);
  philia_chart_view_set_draw_func (self->compare_chart, draw_compare, self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
philia_attention_view_new (void)
{
  return g_object_new (PHILIA_TYPE_ATTENTION_VIEW, NULL);
}
