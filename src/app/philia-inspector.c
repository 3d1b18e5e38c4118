/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-inspector.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#include "philia-app-private.h"
#include "philia-render.h"

/* A hub's neighbour list stops here; the heading still gives the full count. */
#define MAX_NEIGHBOUR_ROWS 500

struct _PhiliaInspector
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkStack        *stack;
  GtkLabel        *id_value;
  GtkLabel        *name_value;
  GtkLabel        *class_value;
  GtkLabel        *degree_value;
  GtkLabel        *local_homophily_value;
  GtkLabel        *neighbours_heading;
  GtkListBox      *neighbours_list;
  GtkLabel        *summary_label;
  GtkListBox      *classes_list;
  GtkLabel        *prediction_title;
  GtkLabel        *prediction_value;
  GtkLabel        *distribution_title;
  GtkLabel        *distribution_value;
  GtkLabel        *self_attention_title;
  GtkLabel        *self_attention_value;

  /* Borrowed: the window swaps it before the run goes */
  const PhiliaTrainResult *result;

  /* Owned */
  PhiliaGraph     *graph;
  PhiliaDocument   *document;        /* followed and written to, or NULL */
  gboolean           syncing;         /* applying the document: no writes back */
  double          *local_homophily;   /* computed on first use */
  GArray          *selection;
  guint            n_neighbour_rows;
};

G_DEFINE_FINAL_TYPE (PhiliaInspector, philia_inspector, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_GRAPH,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SELECT_NODES,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const double *
local_homophily (PhiliaInspector *self)
{
  /* O(n + m): cheap enough to do when the first node is inspected. */
  if (self->local_homophily == NULL && self->graph != NULL)
    self->local_homophily = philia_local_homophily (self->graph);
  return self->local_homophily;
}

static char *
format_homophily (double h)
{
  /* Translators: local homophily of a node without labeled neighbours */
  return isnan (h) ? g_strdup (_("undefined")) : g_strdup_printf ("%.3f", h);
}

static char *
class_text (PhiliaGraph *graph,
            gint32       label)
{
  const char *name;

  if (label < 0)
    /* Translators: a node without a class label */
    return g_strdup (_("unlabeled"));
  name = philia_graph_get_class_name (graph, (guint) label);
  return name != NULL ? g_strdup_printf ("%s (%d)", name, label) : g_strdup_printf ("%d", label);
}

/* A class-coloured dot, the canvas's palette. */
static GtkWidget *
swatch_new (gint32 label)
{
  PhiliaRgba c = { 0.62, 0.62, 0.62, 1 };
  g_autofree char *markup = NULL;
  GtkWidget *swatch;

  if (label >= 0)
    philia_palette_get_categorical ((guint) label, &c);
  markup = g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">●</span>",
                            (int) lround (c.r * 255), (int) lround (c.g * 255),
                            (int) lround (c.b * 255));
  swatch = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (swatch), markup);
  gtk_accessible_update_property (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Class colour"), -1);
  return swatch;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
row_new (gint32      label,
         const char *start,
         const char *end,
         gboolean    mark)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *text = gtk_label_new (start);
  GtkWidget *tail = gtk_label_new (end);

  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_box_append (GTK_BOX (box), swatch_new (label));
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), text);
  gtk_label_set_ellipsize (GTK_LABEL (tail), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (tail), 18);
  gtk_widget_add_css_class (tail, "dim-label");
  gtk_box_append (GTK_BOX (box), tail);
  if (mark)
    {
      GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

      gtk_widget_set_tooltip_text (check, _("Same class"));
      gtk_box_append (GTK_BOX (box), check);
    }
  else
    {
      /* Keeps the columns aligned. */
      GtkWidget *blank = gtk_image_new ();

      gtk_image_set_pixel_size (GTK_IMAGE (blank), 16);
      gtk_box_append (GTK_BOX (box), blank);
    }
  return box;
}

static void show_result (PhiliaInspector *self,
                         guint            node);

static void
show_node (PhiliaInspector *self,
           guint            node)
{
  PhiliaGraph *graph = self->graph;
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  const gint32 *y = philia_graph_get_labels (graph);
  const double *h = local_homophily (self);
  const char *name = philia_graph_get_node_name (graph, node);
  guint degree = philia_graph_get_degree (graph, node);
  guint same = 0;
  g_autofree char *id = g_strdup_printf ("%u", node);
  g_autofree char *deg = g_strdup_printf ("%u", degree);
  g_autofree char *klass = class_text (graph, y[node]);
  g_autofree char *hom = format_homophily (h != NULL ? h[node] : NAN);
  g_autofree char *heading = NULL;

  gtk_label_set_text (self->id_value, id);
  gtk_label_set_text (self->name_value, name != NULL ? name : "—");
  gtk_label_set_text (self->class_value, klass);
  gtk_label_set_text (self->degree_value, deg);
  gtk_label_set_text (self->local_homophily_value, hom);
  show_result (self, node);

  clear_list (self->neighbours_list);
  self->n_neighbour_rows = 0;
  for (gint64 e = off[node]; e < off[node + 1]; e++)
    {
      guint v = (guint) nbr[e];
      gboolean is_same = y[node] >= 0 && y[v] == y[node];
      const char *vname = philia_graph_get_node_name (graph, v);
      g_autofree char *start = vname != NULL ? g_strdup_printf ("%u  %s", v, vname)
                                             : g_strdup_printf ("%u", v);
      g_autofree char *end = class_text (graph, y[v]);
      GtkWidget *row;

      same += is_same;
      if (self->n_neighbour_rows >= MAX_NEIGHBOUR_ROWS)
        continue;
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), row_new (y[v], start, end, is_same));
      {
        /* What a screen reader says for the row (GTK 4.8 names it from nothing). */
        g_autofree char *spoken = g_strdup_printf ("%s, %s", start, end);

        gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        spoken, -1);
      }
      g_object_set_data (G_OBJECT (row), "node", GUINT_TO_POINTER (v + 1));
      gtk_list_box_append (self->neighbours_list, row);
      self->n_neighbour_rows++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->neighbours_list), degree > 0);

  /* Translators: heading of the neighbour list: "4 neighbours, 3 of the same class" */
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u neighbour, %u of the same class",
                                          "%u neighbours, %u of the same class", degree),
                             degree, same);
  gtk_label_set_text (self->neighbours_heading, heading);
  gtk_stack_set_visible_child_name (self->stack, "node");
}

static void
set_row (GtkLabel   *title,
         GtkLabel   *value,
         const char *text)
{
  gtk_label_set_text (value, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (title), text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (value), text != NULL);
}

typedef struct
{
  guint class;
  float p;
} ClassP;

static int
cmp_p_desc (gconstpointer a,
            gconstpointer b)
{
  const ClassP *x = a, *y = b;

  return x->p < y->p ? 1 : x->p > y->p ? -1 : (int) x->class - (int) y->class;
}

/* What the current training run says about @node. */
static void
show_result (PhiliaInspector *self,
             guint            node)
{
  const PhiliaTrainResult *r = self->result;
  g_autofree char *prediction = NULL;
  g_autofree ClassP *top = NULL;
  g_autoptr(GString) distribution = NULL;
  g_autoptr(GString) attention = NULL;
  const gint32 *y;
  gint32 predicted;

  if (r == NULL || self->graph == NULL || r->n_nodes != philia_graph_get_n_nodes (self->graph)
      || node >= r->n_nodes)
    {
      set_row (self->prediction_title, self->prediction_value, NULL);
      set_row (self->distribution_title, self->distribution_value, NULL);
      set_row (self->self_attention_title, self->self_attention_value, NULL);
      return;
    }

  y = philia_graph_get_labels (self->graph);
  predicted = r->predictions[node];
  {
    g_autofree char *klass = class_text (self->graph, predicted);

    /* Translators: "Theory (3), p = 0.82 · wrong" in the Inspect panel */
    prediction = g_strdup_printf ("%s, p = %.2f · %s", klass,
                                  r->probabilities[(gsize) node * r->n_classes + predicted],
                                  y[node] < 0 ? _("unlabeled")
                                  : y[node] == predicted ? _("correct") : _("wrong"));
  }
  set_row (self->prediction_title, self->prediction_value, prediction);

  top = g_new (ClassP, r->n_classes);
  for (guint k = 0; k < r->n_classes; k++)
    top[k] = (ClassP) { k, r->probabilities[(gsize) node * r->n_classes + k] };
  qsort (top, r->n_classes, sizeof (ClassP), cmp_p_desc);
  distribution = g_string_new (NULL);
  for (guint k = 0; k < MIN (r->n_classes, 3); k++)
    {
      g_autofree char *klass = class_text (self->graph, (gint32) top[k].class);

      g_string_append_printf (distribution, "%s%s %.2f", k > 0 ? "\n" : "", klass, top[k].p);
    }
  set_row (self->distribution_title, self->distribution_value, distribution->str);

  if (r->attention != NULL && r->attention->len > 0)
    {
      attention = g_string_new (NULL);
      for (guint l = 0; l < r->attention->len; l++)
        {
          const PhiliaAttention *a = &g_array_index (r->attention, PhiliaAttention, l);
          double sum = 0;

          for (guint h = 0; h < a->heads; h++)
            sum += a->self[(gsize) node * a->heads + h];
          if (philia_train_result_attention_is_softmax (r, self->graph, a->layer))
            /* Translators: self attention of one layer and the same over the
             * uniform share 1 / (degree + 1): "layer 0: 0.210 (×1.05 uniform)" */
            g_string_append_printf (attention, _("%slayer %u: %.3f (×%.2f uniform)"),
                                    l > 0 ? "\n" : "", a->layer, sum / a->heads,
                                    sum / a->heads
                                    * (philia_graph_get_degree (self->graph, node) + 1));
          else
            /* Translators: self attention of one layer, "layer 0: 0.21" */
            g_string_append_printf (attention, _("%slayer %u: %.3f"), l > 0 ? "\n" : "",
                                    a->layer, sum / a->heads);
        }
    }
  set_row (self->self_attention_title, self->self_attention_value,
           attention != NULL ? attention->str : NULL);
}

static void
show_many (PhiliaInspector *self)
{
  PhiliaGraph *graph = self->graph;
  const gint32 *y = philia_graph_get_labels (graph);
  const double *h = local_homophily (self);
  guint c = philia_graph_get_n_classes (graph);
  g_autofree guint *counts = g_new0 (guint, c + 1);
  guint n = self->selection->len, defined = 0;
  double sum = 0, degree_sum = 0;
  g_autofree char *mean = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      guint v = g_array_index (self->selection, guint, i);

      counts[y[v] >= 0 && (guint) y[v] < c ? (guint) y[v] : c]++;
      degree_sum += philia_graph_get_degree (graph, v);
      if (h != NULL && !isnan (h[v]))
        {
          sum += h[v];
          defined++;
        }
    }
  mean = format_homophily (defined > 0 ? sum / defined : NAN);
  /* Translators: summary of a multi-node selection */
  text = g_strdup_printf (_("%u nodes selected\nMean degree: %.2f\nMean local homophily: %s"),
                          n, degree_sum / n, mean);
  gtk_label_set_text (self->summary_label, text);

  clear_list (self->classes_list);
  for (guint k = 0; k <= c; k++)
    {
      g_autofree char *name = NULL;
      g_autofree char *share = NULL;
      GtkWidget *row;

      if (counts[k] == 0)
        continue;
      name = class_text (graph, k < c ? (gint32) k : -1);
      share = g_strdup_printf ("%u (%.0f %%)", counts[k], 100.0 * counts[k] / n);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row),
                                  row_new (k < c ? (gint32) k : -1, name, share, FALSE));
      gtk_list_box_append (self->classes_list, row);
    }
  gtk_stack_set_visible_child_name (self->stack, "many");
}

static void
update (PhiliaInspector *self)
{
  if (self->graph == NULL || self->selection->len == 0)
    {
      clear_list (self->neighbours_list);
      self->n_neighbour_rows = 0;
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else if (self->selection->len == 1)
    show_node (self, g_array_index (self->selection, guint, 0));
  else
    show_many (self);
}

static void
on_neighbour_activated (GtkListBox      *list,
                        GtkListBoxRow   *row,
                        PhiliaInspector *self)
{
  guint node = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "node"));

  /* Walks the graph: the neighbour becomes the selection. */
  if (node > 0)
    {
      node--;
      if (self->document != NULL)
        philia_document_set_selection (self->document, &node, 1);
      g_signal_emit (self, signals[SELECT_NODES], 0, &node, 1u);
    }
}

static void
philia_inspector_dispose (GObject *object)
{
  PhiliaInspector *self = PHILIA_INSPECTOR (object);
  GtkWidget *child;

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);

  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_INSPECTOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->graph);

  G_OBJECT_CLASS (philia_inspector_parent_class)->dispose (object);
}

static void
philia_inspector_finalize (GObject *object)
{
  PhiliaInspector *self = PHILIA_INSPECTOR (object);

  g_clear_pointer (&self->local_homophily, g_free);
  g_clear_pointer (&self->selection, g_array_unref);

  G_OBJECT_CLASS (philia_inspector_parent_class)->finalize (object);
}

static void
philia_inspector_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PhiliaInspector *self = PHILIA_INSPECTOR (object);

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
philia_inspector_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PhiliaInspector *self = PHILIA_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      philia_inspector_set_graph (self, g_value_get_object (value));
      break;

    case PROP_DOCUMENT:
      philia_inspector_set_document (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_inspector_class_init (PhiliaInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_inspector_dispose;
  object_class->finalize = philia_inspector_finalize;
  object_class->get_property = philia_inspector_get_property;
  object_class->set_property = philia_inspector_set_property;

  properties[PROP_GRAPH] =
    g_param_spec_object ("graph", NULL, NULL, PHILIA_TYPE_GRAPH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, PHILIA_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PhiliaInspector::select-nodes:
   * @nodes: (array length=n_nodes): node ids
   * @n_nodes: how many
   *
   * The user activated a neighbour in the list.
   */
  signals[SELECT_NODES] =
    g_signal_new ("select-nodes", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, stack);
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, id_value);
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, name_value);
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, class_value);
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, degree_value);
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, local_homophily_value);
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, neighbours_heading);
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, neighbours_list);
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, classes_list);
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, prediction_title);
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, prediction_value);
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, distribution_title);
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, distribution_value);
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, self_attention_title);
  gtk_widget_class_bind_template_child (widget_class, PhiliaInspector, self_attention_value);
  gtk_widget_class_bind_template_callback (widget_class, on_neighbour_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "philiainspector");
}

static void
philia_inspector_init (PhiliaInspector *self)
{
  self->selection = g_array_new (FALSE, FALSE, sizeof (guint));
  gtk_widget_init_template (GTK_WIDGET (self));
  _philia_widget_scroll_not_values (GTK_WIDGET (self));
}

GtkWidget *
philia_inspector_new (void)
{
  return g_object_new (PHILIA_TYPE_INSPECTOR, NULL);
}

PhiliaGraph *
philia_inspector_get_graph (PhiliaInspector *self)
{
  g_return_val_if_fail (PHILIA_IS_INSPECTOR (self), NULL);

  return self->graph;
}

void
philia_inspector_set_graph (PhiliaInspector *self,
                            PhiliaGraph     *graph)
{
  g_return_if_fail (PHILIA_IS_INSPECTOR (self));
  g_return_if_fail (graph == NULL || PHILIA_IS_GRAPH (graph));

  if (!g_set_object (&self->graph, graph))
    return;

  g_clear_pointer (&self->local_homophily, g_free);
  g_array_set_size (self->selection, 0);
  self->result = NULL;   /* a run belongs to one graph */
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRAPH]);
}

/**
 * philia_inspector_set_selection:
 * @nodes: (array length=n_nodes) (nullable): node ids of the graph
 *
 * Shows one node in full (neighbours with their classes), or a summary of
 * several. O(degree) for one node, O(n_nodes) for several.
 */
void
philia_inspector_set_selection (PhiliaInspector *self,
                                const guint     *nodes,
                                guint            n_nodes)
{
  g_return_if_fail (PHILIA_IS_INSPECTOR (self));
  g_return_if_fail (nodes != NULL || n_nodes == 0);

  g_array_set_size (self->selection, 0);
  if (self->graph != NULL)
    for (guint i = 0; i < n_nodes; i++)
      if (nodes[i] < philia_graph_get_n_nodes (self->graph))
        g_array_append_val (self->selection, nodes[i]);
  update (self);
}

/**
 * philia_inspector_get_row_text:
 * @key: "id", "name", "class", "degree", "local-homophily", "neighbours"
 *   (the list heading), "summary", or of a training run "prediction",
 *   "distribution" and "self-attention" (%NULL without a run)
 *
 * What the panel shows for @key, for tests and accessibility checks.
 */
const char *
philia_inspector_get_row_text (PhiliaInspector *self,
                               const char      *key)
{
  g_return_val_if_fail (PHILIA_IS_INSPECTOR (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (g_str_equal (key, "id"))
    return gtk_label_get_text (self->id_value);
  if (g_str_equal (key, "name"))
    return gtk_label_get_text (self->name_value);
  if (g_str_equal (key, "class"))
    return gtk_label_get_text (self->class_value);
  if (g_str_equal (key, "degree"))
    return gtk_label_get_text (self->degree_value);
  if (g_str_equal (key, "local-homophily"))
    return gtk_label_get_text (self->local_homophily_value);
  if (g_str_equal (key, "neighbours"))
    return gtk_label_get_text (self->neighbours_heading);
  if (g_str_equal (key, "summary"))
    return gtk_label_get_text (self->summary_label);
  if (g_str_equal (key, "prediction") || g_str_equal (key, "distribution")
      || g_str_equal (key, "self-attention"))
    {
      GtkLabel *label = key[0] == 'p' ? self->prediction_value
                        : key[0] == 'd' ? self->distribution_value
                        : self->self_attention_value;

      return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
    }
  return NULL;
}

/* Rows in the neighbour list of the node on show. */
guint
philia_inspector_get_n_neighbour_rows (PhiliaInspector *self)
{
  g_return_val_if_fail (PHILIA_IS_INSPECTOR (self), 0);

  return self->n_neighbour_rows;
}

/**
 * philia_inspector_set_train_result:
 * @result: (nullable): a run on the inspector's graph; borrowed, the caller
 *   replaces it (or passes %NULL) before freeing it
 *
 * Adds the run's prediction, predicted distribution and self attention to the
 * node on show.
 */
void
philia_inspector_set_train_result (PhiliaInspector         *self,
                                   const PhiliaTrainResult *result)
{
  g_return_if_fail (PHILIA_IS_INSPECTOR (self));

  self->result = result;
  update (self);
}

static void
on_document_changed (PhiliaDocument     *document,
                     PhiliaDocumentPart  parts,
                     PhiliaInspector    *self)
{
  if (self->graph != philia_document_get_graph (document))
    return;
  self->syncing = TRUE;
  if (parts & PHILIA_DOCUMENT_PART_SELECTION)
    {
      guint n_nodes = 0;
      const guint *nodes = philia_document_get_selection (document, &n_nodes);

      philia_inspector_set_selection (self, nodes, n_nodes);
    }
  self->syncing = FALSE;
}

static void
on_document_graph (PhiliaDocument     *document,
                   GParamSpec         *pspec,
                   PhiliaInspector    *self)
{
  self->syncing = TRUE;
  philia_inspector_set_graph (self, philia_document_get_graph (document));
  on_document_changed (document, ~0u, self);
}

PhiliaDocument *
philia_inspector_get_document (PhiliaInspector *self)
{
  g_return_val_if_fail (PHILIA_IS_INSPECTOR (self), NULL);

  return self->document;
}

/* With @document (nullable), the panel shows its graph and follows it. */
void
philia_inspector_set_document (PhiliaInspector *self,
                               PhiliaDocument  *document)
{
  g_return_if_fail (PHILIA_IS_INSPECTOR (self));
  g_return_if_fail (document == NULL || PHILIA_IS_DOCUMENT (document));

  if (_philia_widget_follow_document (self, &self->document, document,
                                      G_CALLBACK (on_document_changed),
                                      G_CALLBACK (on_document_graph)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}
