/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-proximity-panel.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "philia-app-private.h"
#include "philia-chart-view.h"
#include "philia-proximity-gnn.h"
#include "philia-proximity-panel-private.h"

/* Negatives a pair's scores are ranked against: drawn once per graph with a
 * fixed seed, so a rank means the same thing from one pair to the next. */
#define N_NEGATIVES   1000
#define NEGATIVE_SEED 0
#define N_SUGGESTIONS 20

static const char *heuristic_names[PHILIA_PROXIMITY_N_HEURISTICS] = {
  N_("Common neighbours"), N_("Jaccard"), N_("Adamic–Adar"), N_("Resource allocation"),
  N_("Preferential attachment"), N_("Katz"), N_("Personalized PageRank"), N_("Shortest path"),
  N_("Feature similarity"),
};


G_DEFINE_FINAL_TYPE (PhiliaProximityPanel, philia_proximity_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_GRAPH,
  PROP_BUSY,
  PROP_DOCUMENT,
  N_PROPS
};

enum {
  SELECT_NODES,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
node_text (PhiliaGraph *graph,
           guint        node)
{
  const char *name = philia_graph_has_node_names (graph)
                     ? philia_graph_get_node_name (graph, node) : NULL;

  return name != NULL ? g_strdup (name) : g_strdup_printf ("%u", node);
}

static void
set_busy (PhiliaProximityPanel *self,
          int                   delta)
{
  self->busy += delta;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
_philia_proximity_panel_set_busy (PhiliaProximityPanel *self,
                                  int                   delta)
{
  set_busy (self, delta);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
row_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_start (label, 8);
  gtk_widget_set_margin_end (label, 8);
  gtk_widget_set_margin_top (label, 4);
  gtk_widget_set_margin_bottom (label, 4);
  return label;
}

static char *
format_score (PhiliaProximityHeuristic h,
              double                   score)
{
  if (isnan (score))
    return g_strdup (h == PHILIA_PROXIMITY_FP ? _("no features") : "—");
  if (h == PHILIA_PROXIMITY_SP)
    return score < 0 ? g_strdup (_("unreachable"))
                     : g_strdup_printf (g_dngettext (NULL, "%.0f hop", "%.0f hops", (gulong)score),
                                        score);
  if (h == PHILIA_PROXIMITY_CN || h == PHILIA_PROXIMITY_PA)
    return g_strdup_printf ("%.0f", score);
  return g_strdup_printf ("%.4g", score);
}

/* ------------------------------------------------------------ explanation */

static void
clear_extra_rows (PhiliaProximityPanel *self)
{
  for (guint i = 0; i < self->extra_rows->len; i++)
    gtk_grid_remove (self->scores_grid, self->extra_rows->pdata[i]);
  g_ptr_array_set_size (self->extra_rows, 0);
  memset (self->gnn_cells, 0, sizeof self->gnn_cells);
}

/* The GNN trained on the evaluation's split, scored like the heuristics:
 * its logit for the pair and how many of the same negatives score higher.
 * Its embeddings come from the split's training graph, not the whole graph. */
static void
add_gnn_row (PhiliaProximityPanel *self,
             int                   row,
             gsize                 n_neg)
{
  const PhiliaPairExplanation *x = self->explanation;
  PhiliaLinkTrainResult *trained = self->gnn ? philia_proximity_gnn_get_trained (self->gnn) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *tip = NULL;
  g_autofree char *score = NULL;
  g_autofree char *rank = NULL;
  double value;
  gint64 above;

  if (trained == NULL)
    {
      name = g_strdup (_("GNN"));
      score = g_strdup ("—");
      rank = g_strdup (_("none trained"));
      tip = g_strdup (_("Evaluate, then train a GNN below to rank this pair with it too."));
    }
  else
    {
      const char *features = philia_proximity_gnn_get_trained_features (self->gnn);
      g_autofree char *title = philia_linkpred_predictor_title (trained->result->name);

      if (features == NULL)
        features = PHILIA_FEATURES_ORIGINAL;
      /* Translators: a GNN and the feature set it learnt from, "GCN on Â^2 X" */
      name = g_str_equal (features, PHILIA_FEATURES_ORIGINAL)
             ? g_steal_pointer (&title) : g_strdup_printf (_("%s on %s"), title, features);
      tip = g_strdup_printf (_("%s, trained on the evaluation’s split (seed %" PRIu64
                               ") with the feature set “%s”; the score is its logit"),
                             trained->result->name, trained->params.seed, features);
      /* Its embeddings come from the features it learnt from: a set removed
       * since (undo brings it back) is no longer the document's to score with. */
      if (self->document != NULL && !g_str_equal (features, PHILIA_FEATURES_ORIGINAL)
          && philia_document_find_feature_set (self->document, features) == NULL)
        {
          score = g_strdup ("—");
          rank = g_strdup_printf (_("Trained on the feature set “%s”, which the document no "
                                    "longer has."), features);
        }
      else if (philia_link_train_result_rank_pair (trained, x->negatives, x->u, x->v, &value,
                                                   &above, &error))
        {
          score = g_strdup_printf ("%.4g", value);
          rank = above >= 0 ? g_strdup_printf (_("%" PRId64 " of %zu higher"), above,
                                               n_neg)
                            : g_strdup ("—");
        }
      else
        {
          score = g_strdup (_("failed"));
          rank = g_strdup (error->message);
        }
    }
  {
    const char *texts[3] = { name, score, rank };

    for (guint c = 0; c < 3; c++)
      {
        GtkWidget *label = gtk_label_new (texts[c]);

        gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0 : 1);
        if (c == 2)
          gtk_widget_add_css_class (label, "dim-label");
        if (c > 0)
          gtk_widget_add_css_class (label, "numeric");
        gtk_widget_set_tooltip_text (label, tip);
        gtk_grid_attach (self->scores_grid, label, (int)c, row, 1, 1);
        g_ptr_array_add (self->extra_rows, label);
        self->gnn_cells[c] = GTK_LABEL (label);
      }
  }
}

static void
clear_explanation (PhiliaProximityPanel *self)
{
  g_clear_pointer (&self->explanation, philia_pair_explanation_free);
  for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    {
      gtk_label_set_text (self->score_cells[h][1], "");
      gtk_label_set_text (self->score_cells[h][2], "");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->scores_grid), FALSE);
  clear_extra_rows (self);
  clear_list (self->common_list);
  gtk_label_set_text (self->common_heading, "");
  gtk_label_set_text (self->path_label, "");
  gtk_label_set_text (self->katz_label, "");
  gtk_label_set_text (self->ppr_label, "");
}

static void
show_explanation (PhiliaProximityPanel *self)
{
  const PhiliaPairExplanation *x = self->explanation;
  g_autofree char *u_name = node_text (self->graph, x->u);
  g_autofree char *v_name = node_text (self->graph, x->v);
  g_autoptr(GString) text = g_string_new (NULL);
  gsize n_neg = x->negatives ? philia_proximity_negatives_get_n_pairs (x->negatives) : 0;
  double aa = 0, ra = 0;

  if (x->adjacent)
    g_string_printf (text, _("%s and %s are already linked; scores are on the whole graph."),
                     u_name, v_name);
  else
    g_string_printf (text, _("Why %s and %s might link."), u_name, v_name);
  if (n_neg > 0)
    g_string_append_printf (text, _(" “Higher” counts how many of %zu random non-edges "
                                    "score above this pair."), n_neg);
  gtk_label_set_text (self->status_label, text->str);

  for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    {
      g_autofree char *score = format_score (h, x->scores[h]);
      g_autofree char *rank = x->above[h] >= 0
        ? g_strdup_printf (_("%" PRId64 " of %zu higher"), x->above[h], n_neg)
        : g_strdup ("—");

      gtk_label_set_text (self->score_cells[h][1], score);
      gtk_label_set_text (self->score_cells[h][2], rank);
    }
  /* Plugins' heuristics, after the built-in ones, the same way. */
  clear_extra_rows (self);
  for (guint i = 0; x->extra != NULL && i < x->extra->len; i++)
    {
      const PhiliaPairExtraScore *e = &g_array_index (x->extra, PhiliaPairExtraScore, i);
      g_autofree char *score = isnan (e->score) ? g_strdup (_("failed"))
                                                : g_strdup_printf ("%.4g", e->score);
      g_autofree char *rank = e->above >= 0
        ? g_strdup_printf (_("%" PRId64 " of %zu higher"), e->above, n_neg)
        : g_strdup ("—");
      const char *texts[3] = { e->algorithm->name, score, rank };

      for (guint c = 0; c < 3; c++)
        {
          GtkWidget *label = gtk_label_new (texts[c]);

          gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0 : 1);
          if (c == 2)
            gtk_widget_add_css_class (label, "dim-label");
          if (c > 0)
            gtk_widget_add_css_class (label, "numeric");
          gtk_widget_set_tooltip_text (label, e->algorithm->description);
          gtk_grid_attach (self->scores_grid, label, (int) c,
                           (int) (PHILIA_PROXIMITY_N_HEURISTICS + i), 1, 1);
          g_ptr_array_add (self->extra_rows, label);
        }
    }
  add_gnn_row (self, (int)(PHILIA_PROXIMITY_N_HEURISTICS + (x->extra ? x->extra->len : 0)), n_neg);
  gtk_widget_set_visible (GTK_WIDGET (self->scores_grid), TRUE);

  clear_list (self->common_list);
  for (guint i = 0; i < x->common->len; i++)
    {
      const PhiliaCommonNeighbor *c = &g_array_index (x->common, PhiliaCommonNeighbor, i);
      g_autofree char *name = node_text (self->graph, c->node);
      g_autofree char *row = g_strdup_printf (_("%s  (degree %u)   AA 1/ln d = %.4g   RA 1/d = %.4g"),
                                              name, c->degree, c->aa, c->ra);

      _philia_list_box_append_named (self->common_list, row_label (row), row);
      aa += c->aa;
      ra += c->ra;
    }
  g_string_printf (text, g_dngettext (NULL, "%u common neighbour", "%u common neighbours",
                                      x->common->len), x->common->len);
  if (x->common->len > 0)
    g_string_append_printf (text, _(": AA sum %.4g, RA sum %.4g"), aa, ra);
  gtk_label_set_text (self->common_heading, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->common_list), x->common->len > 0);

  if (x->path->len == 0)
    gtk_label_set_text (self->path_label, _("No path: the two nodes are in different components."));
  else
    {
      g_string_printf (text, g_dngettext (NULL, "Shortest path (%u hop): ",
                                          "Shortest path (%u hops): ", x->path->len - 1),
                       x->path->len - 1);
      for (guint i = 0; i < x->path->len; i++)
        {
          g_autofree char *name = node_text (self->graph, g_array_index (x->path, guint, i));

          g_string_append_printf (text, "%s%s", i > 0 ? " → " : "", name);
        }
      gtk_label_set_text (self->path_label, text->str);
    }

  g_string_assign (text, _("Katz: walks of length l between u and v, (Aˡ)ᵤᵥ:"));
  for (guint l = 1; l <= x->katz_len; l++)
    g_string_append_printf (text, " l=%u: %.0f%s", l, x->katz_counts[l - 1],
                            l < x->katz_len ? "," : ".");
  g_string_append_printf (text, _(" Σ βˡ·walks with β = %g: %.6g"), x->katz_beta, x->katz_sum);
  if (!isnan (x->scores[PHILIA_PROXIMITY_KATZ]))
    g_string_append_printf (text, _(" (Katz score %.6g)."), x->scores[PHILIA_PROXIMITY_KATZ]);
  gtk_label_set_text (self->katz_label, text->str);

  g_string_printf (text, _("Personalized PageRank of v with restarts at u: %.6g"),
                   x->scores[PHILIA_PROXIMITY_PPR]);
  {
    /* The explanation scores with the default parameters: say which method
     * that is on this graph, and its bound. */
    PhiliaProximityParams params;

    philia_proximity_params_init_default (&params);
    if (philia_proximity_ppr_method_resolve (self->graph, &params) == PHILIA_PROXIMITY_PPR_EXACT)
      g_string_append (text, _(" (exact within 10⁻¹⁰)."));
    else
      g_string_append_printf (text, _(" (estimated by bidirectional PPR: within %g × max (score, "
                                       "%.3g) with probability %g)."),
                              params.ppr_epsilon, philia_proximity_ppr_delta (self->graph, &params),
                              1 - params.ppr_failure);
  }
  if (isnan (x->scores[PHILIA_PROXIMITY_FP]))
    g_string_append (text, _(" Feature similarity: the graph has no features."));
  else
    g_string_append_printf (text, _(" Feature cosine similarity: %.4g."),
                            x->scores[PHILIA_PROXIMITY_FP]);
  gtk_label_set_text (self->ppr_label, text->str);
  /* The canvas draws the document's latest pair itself. */
}

void
_philia_proximity_panel_gnn_trained (PhiliaProximityPanel *self)
{
  if (self->explanation != NULL)
    show_explanation (self);
}

static void
explain_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PhiliaProximityPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  PhiliaPairExplanation *x = philia_pair_explanation_new_finish (result, &error);

  set_busy (self, -1);
  /* A newer pair or graph was asked for since: this answer is stale. */
  if (g_task_get_cancellable (G_TASK (result)) != self->explain_cancel)
    {
      philia_pair_explanation_free (x);
      return;
    }
  if (x == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status_label, error->message);
      return;
    }
  if (self->negatives == NULL && x->negatives != NULL)
    self->negatives = philia_proximity_negatives_ref (x->negatives);
  g_clear_pointer (&self->explanation, philia_pair_explanation_free);
  self->explanation = x;
  if (self->document != NULL && self->record_pair)
    {
      PhiliaProximityParams params;

      philia_proximity_params_init_default (&params);
      philia_document_add_pair (self->document, x->u, x->v, &params);
      /* Into view: the pair selected (ascending, as selections are) and the
       * canvas zoomed to it. */
      _philia_document_select (self->document, (const guint[]) { MIN (x->u, x->v),
                                                                 MAX (x->u, x->v) },
                               x->u == x->v ? 1 : 2);
      if (self->canvas != NULL)
        gtk_widget_activate_action (GTK_WIDGET (self->canvas), "canvas.zoom-to-selection",
                                    NULL);
    }
  self->record_pair = FALSE;
  show_explanation (self);
}

static void explain (PhiliaProximityPanel *self,
                     guint                 u,
                     guint                 v,
                     gboolean              record);

void
philia_proximity_panel_explain (PhiliaProximityPanel *self,
                                guint                 u,
                                guint                 v)
{
  g_return_if_fail (PHILIA_IS_PROXIMITY_PANEL (self));
  g_return_if_fail (self->graph != NULL);
  g_return_if_fail (u < philia_graph_get_n_nodes (self->graph));
  g_return_if_fail (v < philia_graph_get_n_nodes (self->graph));

  explain (self, u, v, TRUE);
}

/* @record: the pair goes to the document once explained (not when it came
 * from there). */
static void
explain (PhiliaProximityPanel *self,
         guint                 u,
         guint                 v,
         gboolean              record)
{
  PhiliaProximityParams params;
  g_autofree char *u_name = NULL;
  g_autofree char *v_name = NULL;

  self->record_pair = record;

  g_cancellable_cancel (self->explain_cancel);
  g_clear_object (&self->explain_cancel);
  self->explain_cancel = g_cancellable_new ();
  self->pending_u = u;
  self->pending_v = v;
  u_name = node_text (self->graph, u);
  v_name = node_text (self->graph, v);
  gtk_editable_set_text (GTK_EDITABLE (self->u_entry), u_name);
  gtk_editable_set_text (GTK_EDITABLE (self->v_entry), v_name);
  gtk_label_set_text (self->status_label, self->negatives == NULL
                      ? _("Scoring the pair and, once per graph, 1000 random non-edges…")
                      : _("Scoring the pair…"));

  philia_proximity_params_init_default (&params);
  set_busy (self, +1);
  philia_pair_explanation_new_async (PROXIMITY_SCORE_GRAPH (self), &params, self->negatives,
                                     self->negatives ? 0 : N_NEGATIVES, NEGATIVE_SEED, u, v,
                                     self->explain_cancel, explain_done, g_object_ref (self));
}

static gboolean
parse_node (PhiliaProximityPanel *self,
            GtkEntry             *entry,
            guint                *node)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  gint64 found;

  found = self->graph ? philia_graph_find_node (self->graph, text) : -1;
  if (found < 0)
    {
      g_autofree char *message = g_strdup_printf (_("No node “%s” in this graph."), text);

      gtk_label_set_text (self->status_label, message);
      return FALSE;
    }
  *node = (guint)found;
  return TRUE;
}

static void
explain_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PhiliaProximityPanel *self = PHILIA_PROXIMITY_PANEL (widget);
  guint u, v;

  if (self->graph == NULL)
    return;
  if (parse_node (self, self->u_entry, &u) && parse_node (self, self->v_entry, &v))
    philia_proximity_panel_explain (self, u, v);
}

static void
on_entry_activate (PhiliaProximityPanel *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "proximity.explain", NULL);
}

static void
use_selection_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PhiliaProximityPanel *self = PHILIA_PROXIMITY_PANEL (widget);
  const guint *nodes = (const guint *)self->selection->data;

  if (self->graph == NULL)
    return;
  if (self->selection->len >= 2)
    philia_proximity_panel_explain (self, nodes[0], nodes[1]);
  else if (self->selection->len == 1)
    {
      g_autofree char *name = node_text (self->graph, nodes[0]);

      gtk_editable_set_text (GTK_EDITABLE (self->u_entry), name);
      gtk_label_set_text (self->status_label, _("Pick a second node, or type it as node v."));
    }
  else
    gtk_label_set_text (self->status_label, _("Nothing is selected on the canvas."));
}

static void
on_common_activated (PhiliaProximityPanel *self,
                     GtkListBoxRow        *row)
{
  int i = gtk_list_box_row_get_index (row);
  guint nodes[3];

  if (self->explanation == NULL || i < 0 || (guint)i >= self->explanation->common->len)
    return;
  /* The pair and that neighbour: a triangle to look at on the canvas. */
  nodes[0] = self->explanation->u;
  nodes[1] = self->explanation->v;
  nodes[2] = g_array_index (self->explanation->common, PhiliaCommonNeighbor, i).node;
  if (self->document != NULL)
    _philia_document_select (self->document, nodes, 3);
  g_signal_emit (self, signals[SELECT_NODES], 0, nodes, 3);
}

void
philia_proximity_panel_set_selection (PhiliaProximityPanel *self,
                                      const guint          *nodes,
                                      guint                 n_nodes)
{
  g_return_if_fail (PHILIA_IS_PROXIMITY_PANEL (self));

  g_array_set_size (self->selection, 0);
  if (n_nodes > 0)
    g_array_append_vals (self->selection, nodes, n_nodes);
  if (self->graph == NULL || n_nodes != 2)
    return;
  /* The selection is sorted; keep the order of a pair already asked for. */
  if ((nodes[0] == self->pending_u && nodes[1] == self->pending_v)
      || (nodes[1] == self->pending_u && nodes[0] == self->pending_v))
    return;
  philia_proximity_panel_explain (self, nodes[0], nodes[1]);
}

/* ------------------------------------------------------------- suggestions */

/* What a suggestion was asked for, to show with its answer. */
typedef struct
{
  PhiliaProximityPanel     *self;   /* a reference */
  PhiliaProximityHeuristic  heuristic;
  guint                     u;
} SuggestJob;

static void
suggest_job_free (SuggestJob *job)
{
  g_clear_object (&job->self);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SuggestJob, suggest_job_free)

static void
suggest_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SuggestJob) job = user_data;
  PhiliaProximityPanel *self = job->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) suggestions = philia_proximity_suggest_finish (result, &error);

  set_busy (self, -1);
  if (g_task_get_cancellable (G_TASK (result)) != self->suggest_cancel)
    return;
  if (suggestions == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status_label, error->message);
      return;
    }
  clear_list (self->suggest_list);
  self->suggest_u = job->u;
  for (guint i = 0; i < suggestions->len; i++)
    {
      const PhiliaProximitySuggestion *s = &g_array_index (suggestions, PhiliaProximitySuggestion,
                                                           i);
      g_autofree char *name = node_text (self->graph, s->node);
      g_autofree char *score = format_score (job->heuristic, s->score);
      g_autofree char *row = g_strdup_printf ("%u. %s   %s", i + 1, name, score);
      GtkWidget *label = row_label (row);

      /* The row knows its node, whatever the list looks like. */
      g_object_set_data (G_OBJECT (label), "node", GUINT_TO_POINTER (s->node));
      _philia_list_box_append_named (self->suggest_list, label, row);
    }
  if (suggestions->len == 0)
    gtk_list_box_append (self->suggest_list, row_label (_("No candidate: every other node is "
                                                          "a neighbour or out of reach.")));
}

static void
suggest_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PhiliaProximityPanel *self = PHILIA_PROXIMITY_PANEL (widget);
  SuggestJob *job;
  guint u, h = gtk_drop_down_get_selected (self->heuristic_dropdown);

  if (self->graph == NULL || !parse_node (self, self->u_entry, &u))
    return;
  if (h == PHILIA_PROXIMITY_FP && philia_graph_get_n_features (PROXIMITY_SCORE_GRAPH (self)) == 0)
    {
      gtk_label_set_text (self->status_label,
                          _("Feature similarity needs node features, and the graph has none."));
      return;
    }
  g_cancellable_cancel (self->suggest_cancel);
  g_clear_object (&self->suggest_cancel);
  self->suggest_cancel = g_cancellable_new ();

  job = g_new0 (SuggestJob, 1);
  job->self = g_object_ref (self);
  job->heuristic = h;
  job->u = u;
  set_busy (self, +1);
  philia_proximity_suggest_async (PROXIMITY_SCORE_GRAPH (self), NULL, h, u, N_SUGGESTIONS, NULL,
                                  self->suggest_cancel, suggest_done, job);
}

static void
on_suggestion_activated (PhiliaProximityPanel *self,
                         GtkListBoxRow        *row)
{
  GtkWidget *label = gtk_list_box_row_get_child (row);
  guint v;

  if (label == NULL || g_object_get_data (G_OBJECT (label), "node") == NULL)
    return;
  v = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label), "node"));
  philia_proximity_panel_explain (self, self->suggest_u, v);
  if (self->document != NULL)
    _philia_document_select (self->document,
                             (const guint[]) { MIN (self->suggest_u, v), MAX (self->suggest_u, v) },
                             2);
  g_signal_emit (self, signals[SELECT_NODES], 0,
                 (const guint[]) { MIN (self->suggest_u, v), MAX (self->suggest_u, v) }, 2);
}

/* ---------------------------------------------------------------- document */

static void
sync_pair (PhiliaProximityPanel *self)
{
  guint n = philia_document_get_n_pairs (self->document);
  const PhiliaDocumentPair *pair = n > 0 ? philia_document_get_pair (self->document, n - 1)
                                         : NULL;
  guint graph_n = self->graph != NULL ? philia_graph_get_n_nodes (self->graph) : 0;

  if (pair == NULL || pair->u >= graph_n || pair->v >= graph_n)
    return;
  /* The one on show (or being explained) already. */
  if (pair->u == self->pending_u && pair->v == self->pending_v)
    return;
  explain (self, pair->u, pair->v, FALSE);
}

/* The document's choice of features for fp: the drop-down shows it; when it
 * changed, the negatives (scored with fp) go and the pair on show is scored
 * again. */
static void
sync_features (PhiliaProximityPanel *self)
{
  _philia_features_choice_sync (self->features_dropdown, self->feature_names, self->document);
  if (!_philia_features_choice_follow (&self->features, self->document, self->graph))
    {
      /* The GNN row says whether the set it learnt from is still there. */
      if (self->explanation != NULL)
        show_explanation (self);
      return;
    }
  g_clear_pointer (&self->negatives, philia_proximity_negatives_unref);
  if (self->explanation != NULL || self->pending_u != G_MAXUINT)
    explain (self, self->pending_u, self->pending_v, FALSE);
}

/* The user's pick is the document's (a step), for fp here and the feature
 * measures of the Statistics panel. */
static void
on_features_selected (GtkDropDown          *dropdown,
                      GParamSpec           *pspec,
                      PhiliaProximityPanel *self)
{
  _philia_features_choice_picked (dropdown, self->feature_names, self->document);
}

static void
on_document_changed (PhiliaDocument       *document,
                     PhiliaDocumentPart    parts,
                     PhiliaProximityPanel *self)
{
  if (self->graph != philia_document_get_graph (document))
    return;
  if (parts & PHILIA_DOCUMENT_PART_FEATURES)
    sync_features (self);
  if (parts & PHILIA_DOCUMENT_PART_EVALUATIONS)
    _philia_proximity_panel_sync_evaluation (self);
  if (parts & PHILIA_DOCUMENT_PART_PAIRS)
    sync_pair (self);
  if (parts & PHILIA_DOCUMENT_PART_SELECTION)
    {
      guint n_nodes = 0;
      const guint *nodes = philia_document_get_selection (document, &n_nodes);

      philia_proximity_panel_set_selection (self, nodes, n_nodes);
    }
}

static void
on_document_graph (PhiliaDocument       *document,
                   GParamSpec           *pspec,
                   PhiliaProximityPanel *self)
{
  philia_proximity_panel_set_graph (self, philia_document_get_graph (document));
  sync_features (self);
  _philia_proximity_panel_sync_evaluation (self);
  sync_pair (self);
}

PhiliaDocument *
philia_proximity_panel_get_document (PhiliaProximityPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_PROXIMITY_PANEL (self), NULL);
  return self->document;
}

/**
 * philia_proximity_panel_set_document:
 * @document: (nullable): the analysis the panel reads and adds to
 *
 * Evaluations and explained pairs go into the document; the panel shows the
 * document's latest of each (a reopened project's too).
 */
void
philia_proximity_panel_set_document (PhiliaProximityPanel *self,
                                     PhiliaDocument       *document)
{
  g_return_if_fail (PHILIA_IS_PROXIMITY_PANEL (self));
  g_return_if_fail (document == NULL || PHILIA_IS_DOCUMENT (document));

  if (self->document == document)
    return;
  /* The old document's report may be on show. */
  philia_proximity_panel_set_graph (self, NULL);
  _philia_widget_follow_document (self, &self->document, document,
                                  G_CALLBACK (on_document_changed),
                                  G_CALLBACK (on_document_graph));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

/* ------------------------------------------------------------------ object */

static void
cancel_all (PhiliaProximityPanel *self)
{
  g_cancellable_cancel (self->explain_cancel);
  g_cancellable_cancel (self->suggest_cancel);
  g_cancellable_cancel (self->eval_cancel);
  g_clear_object (&self->explain_cancel);
  g_clear_object (&self->suggest_cancel);
  g_clear_object (&self->eval_cancel);
}

PhiliaGraph *
philia_proximity_panel_get_graph (PhiliaProximityPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_PROXIMITY_PANEL (self), NULL);
  return self->graph;
}

void
philia_proximity_panel_set_graph (PhiliaProximityPanel *self,
                                  PhiliaGraph          *graph)
{
  g_return_if_fail (PHILIA_IS_PROXIMITY_PANEL (self));
  g_return_if_fail (graph == NULL || PHILIA_IS_GRAPH (graph));

  if (self->graph == graph)
    return;
  cancel_all (self);
  g_set_object (&self->graph, graph);
  _philia_features_choice_follow (&self->features, self->document, graph);
  g_clear_pointer (&self->negatives, philia_proximity_negatives_unref);
  _philia_proximity_panel_drop_report (self);
  g_array_set_size (self->selection, 0);
  self->pending_u = self->pending_v = G_MAXUINT;
  clear_explanation (self);
  clear_list (self->suggest_list);
  gtk_editable_set_text (GTK_EDITABLE (self->u_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->v_entry), "");
  gtk_label_set_text (self->status_label,
                      _("Select two nodes on the canvas (Shift+click), or type their ids or "
                        "names."));
  gtk_widget_set_visible (GTK_WIDGET (self->eval_status), FALSE);
  _philia_proximity_panel_show_report (self);
  _philia_proximity_panel_set_evaluating (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "proximity.explain", graph != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "proximity.suggest", graph != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "proximity.use-selection", graph != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRAPH]);
}

void
philia_proximity_panel_set_canvas (PhiliaProximityPanel *self,
                                   PhiliaCanvas         *canvas)
{
  g_return_if_fail (PHILIA_IS_PROXIMITY_PANEL (self));
  g_return_if_fail (canvas == NULL || PHILIA_IS_CANVAS (canvas));

  g_set_weak_pointer (&self->canvas, canvas);
}

gboolean
philia_proximity_panel_get_busy (PhiliaProximityPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_PROXIMITY_PANEL (self), FALSE);
  return self->busy > 0;
}

const PhiliaPairExplanation *
philia_proximity_panel_get_explanation (PhiliaProximityPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_PROXIMITY_PANEL (self), NULL);
  return self->explanation;
}

const PhiliaLinkpredReport *
philia_proximity_panel_get_report (PhiliaProximityPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_PROXIMITY_PANEL (self), NULL);
  return self->report;
}

const char *
philia_proximity_panel_get_score_text (PhiliaProximityPanel     *self,
                                       PhiliaProximityHeuristic  heuristic,
                                       guint                     column)
{
  g_return_val_if_fail (PHILIA_IS_PROXIMITY_PANEL (self), NULL);
  g_return_val_if_fail ((guint)heuristic < PHILIA_PROXIMITY_N_HEURISTICS && column < 3, NULL);
  return gtk_label_get_text (self->score_cells[heuristic][column]);
}

const char *
philia_proximity_panel_get_eval_text (PhiliaProximityPanel *self,
                                      guint                 row,
                                      guint                 column)
{
  g_return_val_if_fail (PHILIA_IS_PROXIMITY_PANEL (self), NULL);
  g_return_val_if_fail (column < N_EVAL_COLUMNS, NULL);
  /* Rows past the report's are the plugins' and GNNs'. */
  if (self->report != NULL && row > self->report->n_results)
    {
      guint i = (row - self->report->n_results - 1) * N_EVAL_COLUMNS + column;

      return i < self->eval_extra->len ? gtk_label_get_text (self->eval_extra->pdata[i]) : NULL;
    }
  g_return_val_if_fail (row <= PHILIA_PROXIMITY_N_HEURISTICS, NULL);
  return gtk_label_get_text (self->eval_cells[row][column]);
}

const char *
philia_proximity_panel_get_gnn_score_text (PhiliaProximityPanel *self,
                                           guint                 column)
{
  g_return_val_if_fail (PHILIA_IS_PROXIMITY_PANEL (self), NULL);
  g_return_val_if_fail (column < 3, NULL);
  return self->gnn_cells[column] != NULL ? gtk_label_get_text (self->gnn_cells[column]) : NULL;
}

const char *
philia_proximity_panel_get_gnn_tooltip (PhiliaProximityPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_PROXIMITY_PANEL (self), NULL);
  return self->gnn_cells[0] != NULL
         ? gtk_widget_get_tooltip_text (GTK_WIDGET (self->gnn_cells[0])) : NULL;
}

const char *
philia_proximity_panel_get_eval_status (PhiliaProximityPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_PROXIMITY_PANEL (self), NULL);
  return gtk_label_get_text (self->eval_status);
}

GtkWidget *
philia_proximity_panel_get_gnn (PhiliaProximityPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_PROXIMITY_PANEL (self), NULL);
  return self->gnn;
}

GtkWidget *
philia_proximity_panel_get_common_list (PhiliaProximityPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_PROXIMITY_PANEL (self), NULL);
  return GTK_WIDGET (self->common_list);
}

GtkWidget *
philia_proximity_panel_get_suggest_list (PhiliaProximityPanel *self)
{
  g_return_val_if_fail (PHILIA_IS_PROXIMITY_PANEL (self), NULL);
  return GTK_WIDGET (self->suggest_list);
}

GtkWidget *
philia_proximity_panel_get_chart (PhiliaProximityPanel     *self,
                                  PhiliaLinkpredFigureKind  kind)
{
  g_return_val_if_fail (PHILIA_IS_PROXIMITY_PANEL (self), NULL);
  g_return_val_if_fail (kind < PHILIA_N_LINKPRED_FIGURES, NULL);
  return GTK_WIDGET (kind == PHILIA_LINKPRED_FIGURE_HITS ? self->hits_chart
                     : kind == PHILIA_LINKPRED_FIGURE_OVERLAP ? self->overlap_chart
                     : self->factors_chart);
}

GtkWidget *
philia_proximity_panel_new (void)
{
  return g_object_new (PHILIA_TYPE_PROXIMITY_PANEL, NULL);
}

static void
philia_proximity_panel_dispose (GObject *object)
{
  PhiliaProximityPanel *self = PHILIA_PROXIMITY_PANEL (object);
  GtkWidget *child;

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  cancel_all (self);
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  g_clear_pointer (&self->progress_text_binding, g_binding_unbind);
  g_clear_object (&self->progress);
  /* The charts draw the figures: unhook them before the figures go. */
  if (self->hits_chart != NULL)
    philia_chart_view_set_draw_func (self->hits_chart, NULL, NULL, NULL);
  if (self->overlap_chart != NULL)
    philia_chart_view_set_draw_func (self->overlap_chart, NULL, NULL, NULL);
  if (self->factors_chart != NULL)
    philia_chart_view_set_draw_func (self->factors_chart, NULL, NULL, NULL);
  g_clear_weak_pointer (&self->canvas);
  /* A GNN still training must not call back into a disposed panel. */
  if (self->gnn != NULL)
    philia_proximity_gnn_set_split (self->gnn, NULL, 0, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_PROXIMITY_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->hits_chart = NULL;
  self->overlap_chart = NULL;
  self->factors_chart = NULL;
  g_clear_object (&self->graph);
  _philia_features_choice_clear (&self->features);
  g_clear_pointer (&self->feature_names, g_ptr_array_unref);
  /* A report on show may be the document's: let go of it with the figures. */
  for (guint i = 0; i < PHILIA_N_LINKPRED_FIGURES; i++)
    g_clear_pointer (&self->figures[i], philia_linkpred_figure_free);
  _philia_proximity_panel_drop_report (self);
  g_clear_pointer (&self->view.results, g_free);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (philia_proximity_panel_parent_class)->dispose (object);
}

static void
philia_proximity_panel_finalize (GObject *object)
{
  PhiliaProximityPanel *self = PHILIA_PROXIMITY_PANEL (object);

  g_clear_pointer (&self->selection, g_array_unref);
  g_clear_pointer (&self->extra_rows, g_ptr_array_unref);
  g_clear_pointer (&self->eval_extra, g_ptr_array_unref);
  g_clear_pointer (&self->extra_results, g_ptr_array_unref);
  g_clear_pointer (&self->negatives, philia_proximity_negatives_unref);
  g_clear_pointer (&self->explanation, philia_pair_explanation_free);
  g_clear_pointer (&self->report, philia_linkpred_report_free);
  for (guint i = 0; i < PHILIA_N_LINKPRED_FIGURES; i++)
    g_clear_pointer (&self->figures[i], philia_linkpred_figure_free);

  G_OBJECT_CLASS (philia_proximity_panel_parent_class)->finalize (object);
}

static void
philia_proximity_panel_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  PhiliaProximityPanel *self = PHILIA_PROXIMITY_PANEL (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      g_value_set_object (value, self->graph);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_proximity_panel_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  PhiliaProximityPanel *self = PHILIA_PROXIMITY_PANEL (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      philia_proximity_panel_set_graph (self, g_value_get_object (value));
      break;

    case PROP_DOCUMENT:
      philia_proximity_panel_set_document (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_proximity_panel_class_init (PhiliaProximityPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_proximity_panel_dispose;
  object_class->finalize = philia_proximity_panel_finalize;
  object_class->get_property = philia_proximity_panel_get_property;
  object_class->set_property = philia_proximity_panel_set_property;

  properties[PROP_GRAPH] =
    g_param_spec_object ("graph", NULL, NULL, PHILIA_TYPE_GRAPH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, PHILIA_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PhiliaProximityPanel::select-nodes:
   * @nodes: (array length=n_nodes): node ids
   * @n_nodes: how many
   *
   * The user picked a suggested link or a common neighbour.
   */
  signals[SELECT_NODES] =
    g_signal_new ("select-nodes", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);

  g_type_ensure (PHILIA_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-proximity-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, u_entry);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, v_entry);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, scores_grid);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, common_heading);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, common_list);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, path_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, katz_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, ppr_label);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, heuristic_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, features_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, suggest_list);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, k_spin);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, eval_status);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, eval_grid);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, hits_chart);
  gtk_widget_class_bind_template_child (widget_class, PhiliaProximityPanel, overlap_chart);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_features_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_common_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_suggestion_activated);

  gtk_widget_class_install_action (widget_class, "proximity.explain", NULL, explain_action);
  gtk_widget_class_install_action (widget_class, "proximity.use-selection", NULL,
                                   use_selection_action);
  gtk_widget_class_install_action (widget_class, "proximity.suggest", NULL, suggest_action);
  _philia_proximity_panel_class_init_evaluation (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
philia_proximity_panel_init (PhiliaProximityPanel *self)
{
  const char *eval_headers[N_EVAL_COLUMNS] = {
    N_("Predictor"), N_("Hits@20"), N_("Hits@50"), N_("Hits@100"), N_("MRR"), N_("AUC"),
  };

  self->extra_rows = g_ptr_array_new ();
  self->feature_names = g_ptr_array_new_with_free_func (g_free);
  self->eval_extra = g_ptr_array_new ();
  self->extra_results =
    g_ptr_array_new_with_free_func ((GDestroyNotify)philia_linkpred_result_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  _philia_widget_scroll_not_values (GTK_WIDGET (self));
  self->selection = g_array_new (FALSE, FALSE, sizeof (guint));
  self->pending_u = self->pending_v = G_MAXUINT;

  for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
    for (guint c = 0; c < 3; c++)
      {
        GtkWidget *label = gtk_label_new (c == 0 ? _(heuristic_names[h]) : "");

        gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0 : 1);
        if (c == 2)
          gtk_widget_add_css_class (label, "dim-label");
        if (c > 0)
          gtk_widget_add_css_class (label, "numeric");
        gtk_grid_attach (self->scores_grid, label, (int)c, (int)h, 1, 1);
        self->score_cells[h][c] = GTK_LABEL (label);
      }
  gtk_widget_set_visible (GTK_WIDGET (self->scores_grid), FALSE);

  for (guint row = 0; row <= PHILIA_PROXIMITY_N_HEURISTICS; row++)
    for (guint c = 0; c < N_EVAL_COLUMNS; c++)
      {
        GtkWidget *label = gtk_label_new (row == 0 ? _(eval_headers[c]) : "");

        gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0 : 1);
        if (row == 0)
          gtk_widget_add_css_class (label, "heading");
        else if (c > 0)
          gtk_widget_add_css_class (label, "numeric");
        gtk_grid_attach (self->eval_grid, label, (int)c, (int)row, 1, 1);
        self->eval_cells[row][c] = GTK_LABEL (label);
      }
  gtk_widget_set_visible (GTK_WIDGET (self->eval_grid), FALSE);
  self->gnn = philia_proximity_gnn_new (_philia_proximity_panel_on_gnn_result, self);
  gtk_widget_insert_after (self->gnn, gtk_widget_get_parent (GTK_WIDGET (self->eval_grid)),
                           GTK_WIDGET (self->eval_grid));
  gtk_widget_set_visible (self->gnn, FALSE);
  _philia_proximity_panel_build_factors (self);
  _philia_proximity_panel_set_evaluating (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "proximity.explain", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "proximity.suggest", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "proximity.use-selection", FALSE);
}
