/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "philia-cli-private.h"

/* philia-cli figure: renders the workbench's figures to PNG, SVG or PDF. */

/* ---------------------------------------------------------------- figure */

static gint64 opt_seed = 0;
static int opt_bins = 10;
static char *opt_model;
static int opt_split = 0;
static int opt_epochs = -1;
static char *opt_models;
static int opt_node = -1;
static char *opt_kind;
static char *opt_sets;
static char *opt_out;
static double opt_width;    /* 0: the kind's default size */
static double opt_height;
static double opt_dpi = 150;
static gboolean opt_by_class;
static gboolean opt_linear;
static gboolean opt_counts;
static char *opt_layout;
static char *opt_color_by;
static char *opt_edges;
static gboolean opt_node_labels;
static guint opt_labels_dropped;   /* out: names the graph figure left out */
static int opt_hits_k = 20;
static char *opt_heuristics;
static char *opt_theme;

static GOptionEntry figure_entries[] = {
  { "kind", 0, 0, G_OPTION_ARG_STRING, &opt_kind,
    N_ ("graph, class-sizes, local-homophily, compatibility, degree, accuracy-by-homophily, "
        "feature-sets, attention, hits, overlap or factors"), "KIND" },
  { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out,
    N_ ("Output file (.png, .svg or .pdf)"), "FILE" },
  { "width", 0, 0, G_OPTION_ARG_DOUBLE, &opt_width,
    N_ ("Width in points (default 360; graph, hits, overlap 480)"), "PT" },
  { "height", 0, 0, G_OPTION_ARG_DOUBLE, &opt_height,
    N_ ("Height in points (default 240; graph 480; hits, overlap 320)"), "PT" },
  { "dpi", 0, 0, G_OPTION_ARG_DOUBLE, &opt_dpi, N_ ("PNG resolution (default 150)"), "DPI" },
  { "theme", 0, 0, G_OPTION_ARG_STRING, &opt_theme,
    N_ ("light (dark on white, the default) or dark (light on near-black)"), "THEME" },
  { "bins", 0, 0, G_OPTION_ARG_INT, &opt_bins, N_ ("local-homophily: bins (default 10)"), "N" },
  { "by-class", 0, 0, G_OPTION_ARG_NONE, &opt_by_class,
    N_ ("local-homophily: stack by class"), NULL },
  { "linear", 0, 0, G_OPTION_ARG_NONE, &opt_linear, N_ ("degree: linear axes instead of log-log"),
    NULL },
  { "counts", 0, 0, G_OPTION_ARG_NONE, &opt_counts, N_ ("compatibility: raw counts, not shares"),
    NULL },
  { "layout", 0, 0, G_OPTION_ARG_STRING, &opt_layout,
    N_ ("graph: fr, kk, drl, circle, class-grouped or multilevel (default: by size); for a "
        "project also the name of a saved layout (default: its current layout)"), "A" },
  { "color-by", 0, 0, G_OPTION_ARG_STRING, &opt_color_by,
    N_ ("graph: label, local-homophily or degree (default label); for a project also none, "
        "prediction, correct, run:ID:VALUE, or attention per node: "
        "run:ID:same-label-attention[:LAYER[:HEAD]] or "
        "run:ID:self-attention[:LAYER[:HEAD]][:relative] (default: the project's view)"), "WHAT" },
  { "edges", 0, 0, G_OPTION_ARG_STRING, &opt_edges,
    N_ ("graph: homophily (same/cross-class colours), plain or hidden; for a project also "
        "attention (default: the project's view)"), "STYLE" },
  { "run", 0, 0, G_OPTION_ARG_STRING, &opt_run,
    N_ ("Project: the saved run whose predictions or attention graph and attention draw (default: "
        "the view's, else the latest; given alone, graph colours by its predictions), or the runs "
        "accuracy-by-homophily draws (e.g. 1,3) instead of training"), "ID" },
  { "labels", 0, 0, G_OPTION_ARG_NONE, &opt_node_labels, N_ ("graph: node names where they fit"),
    NULL },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed,
    N_ ("graph: layout seed; accuracy-by-homophily, attention: training seed; hits, overlap: "
        "edge split seed (default 0)"), "S" },
  { "models", 0, 0, G_OPTION_ARG_STRING, &opt_models,
    N_ ("accuracy-by-homophily, feature-sets: comma-separated models to train (default gcn,mlp)"),
    "LIST" },
  { "sets", 0, 0, G_OPTION_ARG_STRING, &opt_sets,
    N_ ("feature-sets: comma-separated feature sets, each a file or ahat:K, degree[:MAX], "
        "random:DIM[:SEED] or original (default original,ahat:2,random:64)"), "LIST" },
  { "split", 0, 0, G_OPTION_ARG_INT, &opt_split,
    N_ ("accuracy-by-homophily, feature-sets, attention: split index (default 0)"), "K" },
  { "epochs", 0, 0, G_OPTION_ARG_INT, &opt_epochs,
    N_ ("accuracy-by-homophily, feature-sets, attention: epochs (default: each model's recipe)"),
    "N" },
  { "model", 'm', 0, G_OPTION_ARG_STRING, &opt_model,
    N_ ("attention: the model (default gat); factors: also train this GNN link predictor (gcn, "
        "sage, mlp) on the split, with --epochs"), "M" },
  { "node", 0, 0, G_OPTION_ARG_INT, &opt_node,
    N_ ("attention: the node whose neighbourhood is drawn (default: highest degree)"), "V" },
  { "k", 0, 0, G_OPTION_ARG_INT, &opt_hits_k,
    N_ ("hits, overlap, factors: the K of Hits@K (default 20)"), "K" },
  { "heuristics", 0, 0, G_OPTION_ARG_STRING, &opt_heuristics,
    N_ ("hits, overlap, factors: comma-separated heuristics (default: all; fp needs features)"),
    "LIST" },
  { NULL }
};

/* The page the figure is drawn on: --theme. */
static void
figure_style_init (PhiliaRenderStyle *style)
{
  if (opt_theme != NULL && g_str_equal (opt_theme, "dark"))
    philia_render_style_init_dark (style);
  else
    philia_render_style_init_default (style);
}

typedef struct
{
  PhiliaGraphView   view;
  PhiliaRenderStyle style;
} GraphFigure;

static void
draw_graph_figure (cairo_t  *cr,
                   double    width,
                   double    height,
                   gpointer  user_data)
{
  GraphFigure *figure = user_data;

  /* The view is fitted to the figure's own size, whatever that is, with the
   * legend kept off the nodes. */
  philia_graph_view_fit_figure (&figure->view, &figure->style, width, height);
  philia_graph_view_draw (cr, width, height, &figure->view, &figure->style);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliProjectView, cli_project_view_clear)

static int
figure_graph (PhiliaGraph *graph)
{
  g_autoptr(PhiliaHomophily) h = NULL;
  g_autofree double *xy = NULL;
  g_autofree double *chance = NULL;
  g_auto(CliProjectView) project = { 0 };
  g_autoptr(GArray) errors = NULL;
  g_autofree guint8 *ringed = NULL;
  PhiliaDocument *document = cli_project_get ();
  const PhiliaDocumentOverlay *rings;
  guint n_chance = 0, missing_run = 0;
  GraphFigure figure = { 0 };
  double figure_width = opt_width > 0 ? opt_width : 480;
  double figure_height = opt_height > 0 ? opt_height : 480;
  PhiliaColorBy color_by = PHILIA_COLOR_BY_LABEL;
  PhiliaEdgeStyle edges = PHILIA_EDGES_HOMOPHILY;
  GError *error = NULL;

  if (document != NULL)
    {
      /* The project's layout and view; the options, when given, win. */
      if (!cli_project_graph_view (document, opt_layout, opt_color_by, opt_edges, &project,
                                   &error))
        {
          int code;

          if (!g_error_matches (error, PHILIA_ERROR, PHILIA_ERROR_OPTION))
            return fail (error);
          code = usage_error ("figure", error->message);
          g_error_free (error);
          return code;
        }
      color_by = project.view.color_by;
      edges = project.view.edge_style;
    }
  else if (opt_color_by != NULL && (!philia_color_by_from_string (opt_color_by, &color_by)
                                    || color_by >= PHILIA_COLOR_BY_VALUE))
    return usage_error ("figure", _ ("--color-by must be label, local-homophily or degree"));
  /* The value style needs values a plain graph file does not have. */
  else if (opt_edges != NULL && (!philia_edge_style_from_string (opt_edges, &edges)
                                 || edges == PHILIA_EDGES_VALUE))
    return usage_error ("figure", _ ("--edges must be homophily, plain or hidden"));

  if (project.view.positions == NULL)
    {
      xy = philia_layout_compute (graph, opt_layout ? opt_layout
                                                    : philia_layout_default_algorithm (graph),
                                  (guint64)opt_seed, NULL, NULL, &error);
      if (xy == NULL)
        return fail (error);
    }
  h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 0, NULL, &error);
  if (h == NULL)
    return fail (error);

  chance = philia_local_homophily_chance (graph, &n_chance);

  figure_style_init (&figure.style);
  figure.view = project.view;
  figure.view.graph = graph;
  figure.view.positions = xy != NULL ? xy : project.view.positions;
  figure.view.color_by = color_by;
  if (color_by != PHILIA_COLOR_BY_VALUE)
    figure.view.node_values = h->local_homophily;
  figure.view.class_chance = chance;
  figure.view.n_class_chance = n_chance;
  figure.view.edge_style = edges;
  figure.view.show_labels = opt_node_labels;
  figure.view.show_legend = TRUE;
  /* The project's errors overlay rings the run's wrong predictions, as the
   * canvas does (the same flags, drawn by the same code); --run picks the run
   * (one that is not there was refused above). An overlay whose run was
   * deleted draws nothing on the canvas, so nothing here either, with a
   * warning: the figure is what the screen shows. */
  rings = document != NULL ? philia_document_get_top_overlay (document, PHILIA_OVERLAY_RUN_ERRORS)
                           : NULL;
  if (rings != NULL && opt_run == NULL && philia_document_overlay_is_stale (document, rings,
                                                                             &missing_run))
    {
      g_autofree char *title = philia_document_overlay_dup_title (rings);

      /* Translators: a warning of `philia-cli figure`, "the overlay “Errors (Run 3)” of
       * P.philia shows run 3, which was deleted: …" */
      g_printerr (_ ("figure: warning: the overlay “%s” of %s shows run %u, which was deleted: "
                     "it draws nothing, as on the canvas.\n"), title, cli_project_get_path (),
                  missing_run);
    }
  else if (document != NULL)
    {
      guint64 run_id = 0;

      if (opt_run != NULL)
        g_ascii_string_to_unsigned (opt_run, 10, 1, G_MAXUINT, &run_id, NULL);
      errors = philia_document_dup_run_errors (document, (guint) run_id, &error);
      if (error != NULL)
        {
          g_prefix_error (&error, _ ("%s: "), cli_project_get_path ());
          return fail (error);
        }
      /* No flags when nothing is wrong: a ring's room is kept only for rings. */
      if (errors != NULL && errors->len > 0)
        {
          ringed = g_new0 (guint8, MAX (philia_graph_get_n_nodes (graph), 1));
          for (guint i = 0; i < errors->len; i++)
            ringed[g_array_index (errors, guint, i)] = 1;
          figure.view.highlighted = ringed;
        }
    }
  if (!philia_figure_export (opt_out, figure_width, figure_height, opt_dpi, draw_graph_figure,
                             &figure, &error))
    return fail (error);
  if (opt_node_labels)
    {
      g_autoptr(GArray) placed = NULL;
      guint dropped = 0;

      philia_graph_view_fit_figure (&figure.view, &figure.style, figure_width, figure_height);
      placed = philia_graph_view_place_labels (&figure.view, &figure.style, figure_width,
                                               figure_height, &dropped);
      opt_labels_dropped = dropped;
      if (dropped > 0 && !opt_json)
        g_printerr (ngettext ("figure: %u of %u node names left out: no room to print them "
                              "apart.\n",
                              "figure: %u of %u node names left out: no room to print them "
                              "apart.\n", dropped + placed->len),
                    dropped, dropped + placed->len);
    }
  return EXIT_OK;
}

static gboolean
figure_stats (PhiliaGraph            *graph,
              PhiliaStatsFigureKind   kind,
              GError                **error)
{
  g_autoptr(PhiliaHomophily) h = NULL;
  g_autoptr(PhiliaStatsFigure) figure = NULL;
  PhiliaStatsFigureOptions options;
  PhiliaRenderStyle style;

  if (kind == PHILIA_STATS_FIGURE_LOCAL_HOMOPHILY || kind == PHILIA_STATS_FIGURE_COMPATIBILITY)
    {
      h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 0, NULL, error);
      if (h == NULL)
        return FALSE;
    }

  philia_stats_figure_options_init (&options);
  options.bins = opt_bins;
  options.by_class = opt_by_class;
  options.log_log = !opt_linear;
  options.counts = opt_counts;
  figure = philia_stats_figure_new (kind, graph, h, &options);
  figure_style_init (&style);
  philia_stats_figure_set_style (figure, &style);

  return philia_figure_export (opt_out, opt_width > 0 ? opt_width : 360,
                               opt_height > 0 ? opt_height : 240, opt_dpi,
                               philia_stats_figure_draw, figure, error);
}

/* Trains like `philia-cli train` with the model's recipe, for a figure. */
static PhiliaTrainResult *
train_for_figure (PhiliaGraph  *graph,
                  const char   *model,
                  GError      **error)
{
  PhiliaTrainParams params;

  if (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MODEL,
                              model) == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("Unknown model “%s” in --models."), model);
      return NULL;
    }
  philia_train_params_init (&params);
  params.epochs = opt_epochs;
  params.split = (guint)opt_split;
  params.seed = (guint64)opt_seed;
  return philia_train (graph, model, &params, NULL, NULL, NULL, NULL, error);
}

typedef struct
{
  GPtrArray         *runs;
  PhiliaRenderStyle  style;
} RunsFigure;

static void
draw_runs_figure (cairo_t  *cr,
                  double    width,
                  double    height,
                  gpointer  user_data)
{
  RunsFigure *figure = user_data;

  philia_accuracy_by_homophily_draw (cr, width, height,
                                     (const PhiliaTrainResult * const *)figure->runs->pdata,
                                     NULL, NULL, figure->runs->len, &figure->style);
}

static gboolean
figure_accuracy_by_homophily (PhiliaGraph  *graph,
                              GError      **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (
    (GDestroyNotify)philia_train_result_free);
  g_auto(GStrv) models = g_strsplit (opt_models != NULL ? opt_models : "gcn,mlp", ",", -1);
  RunsFigure figure = { runs };

  /* A project's saved runs are drawn as they are (the project owns them). */
  if (opt_run != NULL)
    {
      g_autoptr(GPtrArray) saved = cli_project_runs (cli_project_get (), FALSE, error);

      if (saved == NULL)
        return FALSE;
      figure.runs = saved;
      figure_style_init (&figure.style);
      return philia_figure_export (opt_out, opt_width > 0 ? opt_width : 360,
                                   opt_height > 0 ? opt_height : 240, opt_dpi,
                                   draw_runs_figure, &figure, error);
    }
  for (guint i = 0; models[i] != NULL; i++)
    {
      PhiliaTrainResult *r = train_for_figure (graph, g_strstrip (models[i]), error);

      if (r == NULL)
        return FALSE;
      g_ptr_array_add (runs, r);
    }
  figure_style_init (&figure.style);
  return philia_figure_export (opt_out, opt_width > 0 ? opt_width : 360,
                               opt_height > 0 ? opt_height : 240, opt_dpi, draw_runs_figure,
                               &figure, error);
}

typedef struct
{
  GPtrArray         *runs;
  GPtrArray         *sets;   /* the set each run trained on */
  GArray            *similarities; /* of PhiliaFeatureSetSimilarity, one a set */
  PhiliaRenderStyle  style;
} SetsFigure;

static void
draw_sets_figure (cairo_t  *cr,
                  double    width,
                  double    height,
                  gpointer  user_data)
{
  SetsFigure *figure = user_data;

  philia_feature_sets_chart_draw (cr, width, height,
                                  (const PhiliaTrainResult * const *)figure->runs->pdata,
                                  (const char * const *)figure->sets->pdata, figure->runs->len,
                                  (const PhiliaFeatureSetSimilarity *)figure->similarities->data,
                                  figure->similarities->len, &figure->style);
}

/* Every model of --models on every set of --sets (specs or files, as
 * --features takes them), the chart the Dataset panel draws from its runs. */
static gboolean
figure_feature_sets (PhiliaGraph  *graph,
                     GError      **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (
    (GDestroyNotify)philia_train_result_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) models = g_strsplit (opt_models != NULL ? opt_models : "gcn,mlp", ",", -1);
  g_auto(GStrv) sets = g_strsplit (opt_sets != NULL ? opt_sets : "original,ahat:2,random:64",
                                   ",", -1);
  g_autoptr(GArray) similarities = g_array_new (FALSE, TRUE, sizeof (PhiliaFeatureSetSimilarity));
  g_autoptr(GPtrArray) set_names = g_ptr_array_new_with_free_func (g_free);
  SetsFigure figure = { runs, names, similarities };

  for (guint s = 0; sets[s] != NULL; s++)
    {
      g_autoptr(PhiliaFeatureSet) set = philia_feature_set_from_spec (graph,
                                                                      g_strstrip (sets[s]),
                                                                      error);
      g_autoptr(PhiliaGraph) with = NULL;

      if (set == NULL)
        return FALSE;
      with = philia_graph_with_feature_set (graph, set);
      {
        /* Seed 0: the random pairs `philia-cli stats` draws by default. */
        PhiliaFeatureSetSimilarity sim = { NULL, NAN, NAN };

        g_ptr_array_add (set_names, g_strdup (set->name));
        sim.name = g_ptr_array_index (set_names, set_names->len - 1);
        philia_feature_similarity (with, 0, &sim.edges, &sim.random_pairs, NULL);
        g_array_append_val (similarities, sim);
      }
      for (guint m = 0; models[m] != NULL; m++)
        {
          PhiliaTrainResult *r = train_for_figure (with, g_strstrip (models[m]), error);

          if (r == NULL)
            return FALSE;
          g_ptr_array_add (runs, r);
          g_ptr_array_add (names, g_strdup (set->name));
        }
    }
  figure_style_init (&figure.style);
  return philia_figure_export (opt_out, opt_width > 0 ? opt_width : 360,
                               opt_height > 0 ? opt_height : 400, opt_dpi, draw_sets_figure,
                               &figure, error);
}

static gboolean
figure_attention (PhiliaGraph  *graph,
                  GError      **error)
{
  g_autoptr(PhiliaTrainResult) trained = NULL;
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(PhiliaAttentionGrid) grid = NULL;
  PhiliaTrainResult *r;
  PhiliaRenderStyle style;
  guint node = 0, n = philia_graph_get_n_nodes (graph);

  if (opt_node >= 0 && (guint)opt_node >= n)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("--node %d does not exist: the graph has %u nodes."), opt_node, n);
      return FALSE;
    }
  /* A run saved in the project, or one trained now. */
  if (opt_run != NULL)
    {
      saved = cli_project_runs (cli_project_get (), TRUE, error);
      if (saved == NULL)
        return FALSE;
      r = saved->pdata[0];
    }
  else
    {
      trained = train_for_figure (graph, opt_model != NULL ? opt_model : "gat", error);
      if (trained == NULL)
        return FALSE;
      r = trained;
    }
  if (opt_node >= 0)
    node = (guint)opt_node;
  else
    for (guint v = 1; v < n; v++)
      if (philia_graph_get_degree (graph, v) > philia_graph_get_degree (graph, node))
        node = v;
  /* Over uniform when that means something (a softmax, GAT's), as the app. */
  grid = philia_attention_grid_new (graph, r, node, 24,
                                    philia_train_result_attention_is_softmax (r, graph, 0));
  if (grid == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   _ ("Model “%s” keeps no attention weights; use gat."), r->model);
      return FALSE;
    }
  figure_style_init (&style);
  philia_attention_grid_set_style (grid, &style);
  return philia_figure_export (opt_out, opt_width > 0 ? opt_width : 480,
                               opt_height > 0 ? opt_height : 240, opt_dpi,
                               philia_attention_grid_draw, grid, error);
}

/* Evaluates the heuristics on a seeded split (HACKING.md §6) and draws their
 * Hits@K bars or overlap heatmap. */
static gboolean
figure_linkpred (PhiliaGraph               *graph,
                 PhiliaLinkpredFigureKind   kind,
                 PhiliaLinkpredReport     **report,
                 PhiliaLinkpredFigure     **figure,
                 GError                   **error)
{
  PhiliaProximityParams params;
  PhiliaRenderStyle style;
  guint mask = PHILIA_PROXIMITY_ALL;

  if (opt_heuristics != NULL && !philia_proximity_parse_mask (opt_heuristics, &mask, error))
    return FALSE;
  philia_proximity_params_init_default (&params);
  *report = philia_linkpred_report_new (graph, &params, mask, (guint64)opt_seed, 0, NULL, NULL,
                                        error);
  if (*report == NULL)
    return FALSE;
  if (kind == PHILIA_LINKPRED_FIGURE_FACTORS && opt_model != NULL)
    {
      PhiliaLinkModelParams lp;
      g_autoptr(PhiliaLinkTrainResult) trained = NULL;
      PhiliaLinkpredReport *r = *report;

      /* The GNN joins the report's results, scored on the same split. */
      philia_link_model_params_init (&lp);
      lp.seed = (guint64)opt_seed;
      if (opt_epochs > 0)
        lp.epochs = opt_epochs;
      trained = philia_link_train (r->split, opt_model, &lp, NULL, NULL, NULL, NULL, error);
      if (trained == NULL)
        return FALSE;
      r->results = g_renew (PhiliaLinkpredResult *, r->results, r->n_results + 1);
      r->results[r->n_results++] = g_steal_pointer (&trained->result);
    }
  *figure = philia_linkpred_figure_new (kind, *report, (guint)opt_hits_k);
  figure_style_init (&style);
  philia_linkpred_figure_set_style (*figure, &style);
  return philia_figure_export (opt_out, opt_width > 0 ? opt_width : 480,
                               opt_height > 0 ? opt_height : 320, opt_dpi,
                               philia_linkpred_figure_draw, *figure, error);
}

static void
linkpred_figure_json (PhiliaJson           *json,
                      PhiliaLinkpredReport *report,
                      PhiliaLinkpredFigure *figure)
{
  const double *values;
  guint n_values;

  values = philia_linkpred_figure_get_values (figure, &n_values);
  philia_json_member_int (json, "k", opt_hits_k);
  philia_json_member_int (json, "seed", opt_seed);
  philia_json_member_int (json, "test_edges", report->split->n_test);
  philia_json_key (json, "heuristics");
  philia_json_begin_array (json);
  for (guint i = 0; i < report->n_results; i++)
    philia_json_string (json, report->results[i]->name);
  philia_json_end_array (json);
  philia_json_key (json, "values");
  philia_json_double_array (json, values, n_values);
  if (g_str_equal (opt_kind, "factors"))
    {
      g_autoptr(PhiliaLinkFactors) factors =
        philia_link_factors_new (report->results, report->n_results, (guint)opt_hits_k);

      cli_json_link_factors (json, factors, report->results);
    }
}

int
cmd_figure (int    argc,
            char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  PhiliaStatsFigureKind kind = PHILIA_STATS_FIGURE_CLASS_SIZES;
  PhiliaLinkpredFigureKind lp_kind = PHILIA_LINKPRED_FIGURE_HITS;
  g_autoptr(PhiliaLinkpredReport) report = NULL;
  g_autoptr(PhiliaLinkpredFigure) lp_figure = NULL;
  PhiliaFigureFormat format;
  gboolean is_graph, is_runs, is_sets, is_attention, is_linkpred;
  GError *error = NULL;
  int code = EXIT_OK;

  if (!parse_options ("figure", "FILE",
    N_ ("Render a figure the workbench shows to PNG, SVG or PDF."),
                      figure_entries, &argc, &argv, 1, &code))
    return code;
  if (opt_kind == NULL)
    return usage_error ("figure", _ ("--kind is required"));
  is_graph = g_str_equal (opt_kind, "graph");
  is_runs = g_str_equal (opt_kind, "accuracy-by-homophily");
  is_sets = g_str_equal (opt_kind, "feature-sets");
  is_attention = g_str_equal (opt_kind, "attention");
  is_linkpred = philia_linkpred_figure_kind_from_string (opt_kind, &lp_kind);
  if (!is_graph && !is_runs && !is_sets && !is_attention && !is_linkpred
      && !philia_stats_figure_kind_from_string (opt_kind, &kind))
    return usage_error ("figure", _ ("unknown --kind; known kinds: graph, class-sizes, "
                                     "local-homophily, compatibility, degree, "
                                     "accuracy-by-homophily, feature-sets, attention, hits, overlap, factors"));
  if (opt_split < 0)
    return usage_error ("figure", _ ("--split must be ≥ 0"));
  if (opt_hits_k < 1)
    return usage_error ("figure", _ ("--k must be at least 1"));
  if (opt_out == NULL)
    return usage_error ("figure", _ ("--out is required"));
  if (opt_theme != NULL && !g_str_equal (opt_theme, "light") && !g_str_equal (opt_theme, "dark"))
    return usage_error ("figure", _ ("--theme must be light or dark"));
  if (!philia_figure_format_from_path (opt_out, &format))
    return usage_error ("figure", _ ("--out must end in .png, .svg or .pdf"));
  if (opt_bins < 1 || opt_bins > 1000)
    return usage_error ("figure", _ ("--bins must be between 1 and 1000"));
  if (opt_width < 0 || opt_height < 0)
    return usage_error ("figure", _ ("--width and --height must be positive"));

  graph = load_dataset (argv[1], &error);
  if (graph == NULL)
    return fail (error);
  if (opt_run != NULL && cli_project_get () == NULL)
    return usage_error ("figure",
                        _ ("--run picks a run saved in a project, and this is a dataset"));
  if (opt_run != NULL && !is_graph && !is_runs && !is_attention)
    return usage_error ("figure", _ ("--run is for the kinds graph, attention and "
                                     "accuracy-by-homophily"));

  if (is_graph)
    {
      code = figure_graph (graph);
      if (code != EXIT_OK)
        return code;
    }
  else if (is_linkpred)
    {
      if (!figure_linkpred (graph, lp_kind, &report, &lp_figure, &error))
        return proximity_fail ("figure", error);
    }
  else if (is_sets ? !figure_feature_sets (graph, &error)
           : is_runs ? !figure_accuracy_by_homophily (graph, &error)
           : is_attention ? !figure_attention (graph, &error)
           : !figure_stats (graph, kind, &error))
    return fail (error);

  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_string (json, "path", opt_out);
      philia_json_member_string (json, "kind", opt_kind);
      philia_json_member_double (json, "width",
                                 opt_width > 0 ? opt_width
                                 : is_graph || is_attention || is_linkpred ? 480 : 360);
      philia_json_member_double (json, "height",
                                 opt_height > 0 ? opt_height : is_graph ? 480
                                                             : is_linkpred ? 320 : 240);
      if (is_graph && opt_node_labels)
        philia_json_member_int (json, "labels_dropped", opt_labels_dropped);
      if (is_linkpred)
        linkpred_figure_json (json, report, lp_figure);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
    }
  else
    printf ("%s\n", opt_out);
  return EXIT_OK;
}
