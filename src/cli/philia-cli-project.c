/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "philia-cli-private.h"

/*
 * Projects on the command line (HACKING.md §9, §16): `project new`, a project
 * wherever a dataset goes (load_dataset() asks cli_is_project()), --save for
 * layout, train and linkpred, and what info and figure read from a project.
 */

static char *opt_dataset;
static gboolean opt_ignore_checksum;
gboolean opt_save;
char *opt_save_name;
char *opt_run;

GOptionEntry cli_project_open_entries[] = {
  { "dataset", 0, 0, G_OPTION_ARG_FILENAME, &opt_dataset,
    N_ ("Project: read its dataset from here (it was moved or renamed)"), "PATH" },
  { "ignore-checksum", 0, 0, G_OPTION_ARG_NONE, &opt_ignore_checksum,
    N_ ("Project: open it even though its dataset changed since it was saved"), NULL },
  { NULL }
};

/* The project the command works on; it lives until the process ends. */
static PhiliaDocument *document;
static char *document_path;

PhiliaDocument *
cli_project_get (void)
{
  return document;
}

const char *
cli_project_get_path (void)
{
  return document != NULL ? document_path : NULL;
}

gboolean
cli_is_project (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInputStream) in = NULL;
  guint8 head[4096];
  gsize n = 0;

  if (g_str_has_suffix (path, PHILIA_PROJECT_EXTENSION))
    return TRUE;
  /* A file that cannot be read is left to the dataset loaders, whose
   * messages say why. */
  in = g_file_read (file, NULL, NULL);
  if (in == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head, &n, NULL, NULL))
    return FALSE;
  return philia_project_sniff (head, n);
}

/* The core's message, and on the command line what the GUI offers as buttons. */
static void
add_way_out (GError **error)
{
  const char *hint = NULL;
  char *message;

  if (g_error_matches (*error, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_DATASET_MISSING))
    hint = "Give --dataset PATH to say where it is now.";
  else if (g_error_matches (*error, PHILIA_PROJECT_ERROR, PHILIA_PROJECT_ERROR_DATASET_CHANGED))
    hint = "Give --ignore-checksum to open the project anyway.";
  if (hint == NULL)
    return;
  message = g_strdup_printf ("%s %s", (*error)->message, hint);
  g_free ((*error)->message);
  (*error)->message = message;
}

PhiliaGraph *
cli_project_load (const char  *path,
                  GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFile) dataset = NULL;
  g_autofree char *local = g_file_get_path (file);
  g_autofree char *dataset_path = NULL;
  PhiliaProjectOpenFlags flags = PHILIA_PROJECT_OPEN_DEFAULT;

  if (opt_nodes != NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("%s is a project: it names its own node table, so --nodes does not apply."),
                   path);
      return NULL;
    }
  if (opt_dataset != NULL)
    {
      dataset = g_file_new_for_commandline_arg (opt_dataset);
      dataset_path = g_file_get_path (dataset);
    }
  if (opt_ignore_checksum)
    flags |= PHILIA_PROJECT_OPEN_IGNORE_CHECKSUM;

  g_clear_object (&document);
  document = philia_document_open (local != NULL ? local : path, dataset_path, flags, NULL,
                                   error);
  if (document == NULL)
    {
      add_way_out (error);
      return NULL;
    }
  g_free (document_path);
  document_path = g_strdup (local != NULL ? local : path);
  return g_object_ref (philia_document_get_graph (document));
}

gboolean
cli_project_refuse_open_options (const char  *path,
                                 GError     **error)
{
  if (opt_dataset == NULL && !opt_ignore_checksum)
    return TRUE;
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
               _ ("%s is a dataset, not a project: %s applies to projects only."), path,
               opt_dataset != NULL ? "--dataset" : "--ignore-checksum");
  return FALSE;
}

gboolean
cli_project_check_save (const char *command,
                        const char *path,
                        int        *code)
{
  if (!opt_save || cli_is_project (path))
    return TRUE;
  *code = usage_error (command, _ ("--save stores the result in a project, and this is a dataset; "
                                   "make a project with "
                                   "“philia-cli project new OUT.philia DATASET”"));
  return FALSE;
}

gboolean
cli_project_save (const char  *path,
                  GError     **error)
{
  g_return_val_if_fail (document != NULL, FALSE);

  return philia_document_save (document, document_path != NULL ? document_path : path, NULL,
                               error);
}

void
cli_project_set_splits (PhiliaGraph *graph)
{
  guint n = philia_graph_get_n_nodes (graph);
  guint k = philia_graph_get_n_splits (graph);
  guint8 *masks[3] = { NULL, NULL, NULL };

  g_return_if_fail (document != NULL);
  for (guint part = 0; part < 3 && k > 0; part++)
    {
      masks[part] = g_new (guint8, (gsize)k * n);
      for (guint s = 0; s < k; s++)
        memcpy (masks[part] + (gsize)s * n, philia_graph_get_split_mask (graph, s, part), n);
    }
  philia_document_set_splits (document, k, masks[PHILIA_SPLIT_TRAIN], masks[PHILIA_SPLIT_VAL],
                              masks[PHILIA_SPLIT_TEST]);
}

char *
cli_project_layout_name (PhiliaDocument *doc,
                         const char     *algorithm)
{
  if (opt_save_name != NULL)
    return g_strdup (opt_save_name);
  if (philia_document_find_layout (doc, algorithm) == NULL)
    return g_strdup (algorithm);
  for (guint k = 2;; k++)
    {
      g_autofree char *name = g_strdup_printf ("%s %u", algorithm, k);

      if (philia_document_find_layout (doc, name) == NULL)
        return g_steal_pointer (&name);
    }
}

/* ----------------------------------------------------------- project new */

static gboolean opt_embed;
static gboolean opt_force;

static GOptionEntry project_entries[] = {
  { "embed", 0, 0, G_OPTION_ARG_NONE, &opt_embed,
    N_ ("Put the dataset (and node table) inside the project, so it opens without them"), NULL },
  { "force", 'f', 0, G_OPTION_ARG_NONE, &opt_force,
    N_ ("Replace OUT.philia if it exists (by default an existing project is never overwritten)"),
    NULL },
  { NULL }
};

int
cmd_project (int    argc,
             char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaDocument) doc = NULL;
  g_autoptr(GFile) dataset = NULL;
  g_autoptr(GFile) table = NULL;
  g_autofree char *dataset_path = NULL;
  g_autofree char *table_path = NULL;
  const char *out, *in;
  GError *error = NULL;
  int code = EXIT_OK;

  if (!parse_options ("project", "new OUT.philia FILE",
                      N_ ("Create a project file (.philia) around a dataset. It refers to the "
                          "dataset by path and SHA-256, or holds a copy with --embed. Every "
                          "command then takes the project in place of the dataset, and layout, "
                          "train and linkpred add their results to it with --save."),
                      project_entries, &argc, &argv, 3, &code))
    return code;
  if (!g_str_equal (argv[1], "new"))
    return usage_error ("project", _ ("unknown action; known actions: new"));
  out = argv[2];
  in = argv[3];
  if (!g_str_has_suffix (out, PHILIA_PROJECT_EXTENSION))
    {
      /* Translators: %s is the project file extension, ".philia" */
      g_autofree char *message = g_strdup_printf (_ ("OUT must end in %s"),
                                                  PHILIA_PROJECT_EXTENSION);

      return usage_error ("project", message);
    }
  if (cli_is_project (in))
    return usage_error ("project", _ ("FILE must be a dataset, not a project"));
  if (!opt_force && g_file_test (out, G_FILE_TEST_EXISTS))
    {
      g_set_error (&error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("%s exists; give --force to replace it."), out);
      return fail (error);
    }

  graph = load_dataset (in, &error);
  if (graph == NULL)
    return fail (error);
  /* The project records where the dataset is, whatever the working folder
   * of a later command. */
  dataset = g_file_new_for_commandline_arg (in);
  dataset_path = g_file_get_path (dataset);
  if (opt_nodes != NULL)
    {
      table = g_file_new_for_commandline_arg (opt_nodes);
      table_path = g_file_get_path (table);
    }
  doc = philia_document_new (graph, dataset_path, table_path);
  philia_document_set_embed (doc, opt_embed);
  if (!philia_document_save (doc, out, NULL, &error))
    return fail (error);

  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_string (json, "path", out);
      philia_json_member_string (json, "dataset", dataset_path);
      philia_json_key (json, "node_table");
      if (table_path != NULL)
        philia_json_string (json, table_path);
      else
        philia_json_null (json);
      philia_json_member_bool (json, "embedded", opt_embed);
      philia_json_member_int (json, "nodes", philia_graph_get_n_nodes (graph));
      philia_json_member_int (json, "edges", philia_graph_get_n_edges (graph));
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
    }
  else
    {
      guint n = philia_graph_get_n_nodes (graph);
      gint64 m = philia_graph_get_n_edges (graph);
      g_autofree char *nodes = g_strdup_printf (ngettext ("%u node", "%u nodes", n), n);
      g_autofree char *edges = g_strdup_printf (ngettext ("%" PRId64 " edge", "%" PRId64 " edges",
                                                          (gulong)m), m);

      /* Translators: "OUT: new project on IN (34 nodes, 78 edges), dataset embedded" */
      printf (_ ("%s: new project on %s (%s, %s), %s\n"), out, in, nodes, edges,
              opt_embed ? _ ("dataset embedded") : _ ("dataset referenced by path and SHA-256"));
    }
  return EXIT_OK;
}

/* ------------------------------------------------------------------ info */

void
cli_project_info_json (PhiliaJson *json)
{
  /* The core writes the member, key and all ("project": {…}). */
  if (document != NULL)
    philia_document_write_json (document, json);
}

void
cli_project_info_text (void)
{
  const char *table;
  const char *notes;
  const PhiliaDocumentLayout *current;

  if (document == NULL)
    return;
  table = philia_document_get_node_table_path (document);
  notes = philia_document_get_notes (document);
  current = philia_document_get_current_layout (document);

  printf ("%s\n", _ ("Project"));
  cli_label (_ ("dataset"), 19);
  printf ("%s (%s)\n",
          philia_document_get_dataset_path (document) != NULL
          ? philia_document_get_dataset_path (document) : _ ("(none)"),
          philia_document_get_embed (document) ? _ ("embedded")
                                               : _ ("referenced by path and SHA-256"));
  if (table != NULL)
    {
      cli_label (_ ("node table"), 19);
      printf ("%s\n", table);
    }
  if (philia_document_get_origin (document) != NULL)
    {
      cli_label (_ ("filtered from"), 19);
      printf ("%s\n", philia_document_get_origin (document));
    }
  cli_label (_ ("layouts"), 19);
  printf ("%u\n", philia_document_get_n_layouts (document));
  for (guint i = 0; i < philia_document_get_n_layouts (document); i++)
    {
      const PhiliaDocumentLayout *l = philia_document_get_layout (document, i);

      printf ("    ");
      cli_pad (l->name, 17);
      /* Translators: a saved layout: algorithm, its seed, and whether it is shown */
      printf (_ ("%s, seed %" PRIu64 "%s\n"), l->algorithm, (guint64)l->seed,
              l == current ? _ (" (current)") : "");
    }
  cli_label (_ ("runs"), 19);
  printf ("%u\n", philia_document_get_n_runs (document));
  for (guint i = 0; i < philia_document_get_n_runs (document); i++)
    {
      const PhiliaDocumentRun *run = philia_document_get_run (document, i);
      const PhiliaTrainResult *r = run->result;
      g_autofree char *id = g_strdup_printf (_ ("run %u"), run->id);

      printf ("    ");
      cli_pad (id, 17);
      printf (_ ("%s, split %u, seed %" PRIu64 ", best epoch %u: test accuracy %.4f"),
              r->model, r->split, (guint64)r->seed, r->best_epoch, r->test_accuracy);
      if (r->metric == PHILIA_METRIC_ROC_AUC)
        printf (", ROC-AUC %.4f", r->test_roc_auc);
      printf ("\n");
    }
  cli_label (_ ("evaluations"), 19);
  printf ("%u\n", philia_document_get_n_evaluations (document));
  for (guint i = 0; i < philia_document_get_n_evaluations (document); i++)
    {
      const PhiliaDocumentEvaluation *e = philia_document_get_evaluation (document, i);
      g_autofree char *id = g_strdup_printf (_ ("evaluation %u"), e->id);
      guint k = 0;

      printf ("    ");
      cli_pad (id, 17);
      /* Translators: "seed 0, 100 MRR negatives, features “Â^2 X”" */
      printf (_ ("seed %" PRIu64 ", %u MRR negatives, features “%s”\n"), (guint64)e->seed,
              e->n_mrr_neg, e->features != NULL ? e->features : PHILIA_FEATURES_ORIGINAL);
      for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS && k < e->n_heuristics; h++)
        if (e->mask & PHILIA_PROXIMITY_MASK (h))
          {
            const double *s = e->summary + 6 * k++;

            /* Metric names are the same in every language. */
            printf ("      %-14s AUC %.4f, AP %.4f, MRR %.4f, Hits@20 %.4f, Hits@50 %.4f, "
                    "Hits@100 %.4f\n", philia_proximity_heuristic_to_string (h), s[0], s[1],
                    s[2], s[3], s[4], s[5]);
          }
      for (guint m = 0; e->models != NULL && m < e->models->len; m++)
        {
          const PhiliaLinkTrainResult *t = e->models->pdata[m];

          /* Translators: a GNN link predictor of an evaluation and its feature set */
          printf (_ ("      %-14s MRR %.4f, Hits@20 %.4f, Hits@50 %.4f, Hits@100 %.4f, AUC %.4f, "
                     "features “%s”\n"), t->result->name, t->result->mrr, t->result->hits[1],
                  t->result->hits[2], t->result->hits[3], t->result->auc,
                  philia_document_evaluation_get_model_features (e, m));
        }
    }
  cli_label (_ ("overlays"), 19);
  printf ("%u\n", philia_document_get_n_overlays (document));
  /* Top first, as the overlay list in the workbench shows them. */
  for (guint i = philia_document_get_n_overlays (document); i > 0; i--)
    {
      const PhiliaDocumentOverlay *o = philia_document_get_overlay (document, i - 1);

      printf ("    %-16s %s%s%s\n", philia_overlay_kind_to_string (o->kind), o->source,
              !o->visible ? _ (" (hidden)")
              : philia_document_get_top_overlay (document, o->kind) != o ? _ (" (covered)") : "",
              philia_document_overlay_is_stale (document, o, NULL) ? _ (" (run deleted)") : "");
    }
  cli_label (_ ("explained pairs"), 19);
  printf ("%u\n", philia_document_get_n_pairs (document));
  cli_label (_ ("notes"), 19);
  /* Translators: whether the project has notes */
  printf ("%s\n", notes != NULL && *notes != '\0' ? C_ ("notes", "yes") : C_ ("notes", "none"));
}

/* ----------------------------------------------------------------- runs */

/* "1, 2 and 4", for messages. */
static char *
run_ids (PhiliaDocument *doc)
{
  guint n = philia_document_get_n_runs (doc);
  g_autofree guint *ids = g_new (guint, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    ids[i] = philia_document_get_run (doc, i)->id;
  return cli_id_list (ids, n);
}

static const PhiliaDocumentRun *
find_run (PhiliaDocument  *doc,
          const char      *text,
          GError         **error)
{
  const PhiliaDocumentRun *run = NULL;
  guint64 id;

  if (g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &id, NULL))
    run = philia_document_find_run (doc, (guint)id);
  if (run == NULL)
    {
      g_autofree char *ids = run_ids (doc);

      if (philia_document_get_n_runs (doc) == 0)
        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                     _ ("--run %s: %s has no runs; add one with “philia-cli train %s --model M "
                        "--save”."), text, document_path, document_path);
      else
        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                     _ ("--run %s: no such run in %s; its runs are %s."), text, document_path, ids);
    }
  return run;
}

GPtrArray *
cli_project_runs (PhiliaDocument  *doc,
                  gboolean         single,
                  GError         **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new ();
  g_auto(GStrv) parts = g_strsplit (opt_run, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const PhiliaDocumentRun *run = find_run (doc, g_strstrip (parts[i]), error);

      if (run == NULL)
        return NULL;
      g_ptr_array_add (runs, run->result);
    }
  if (runs->len == 0 || (single && runs->len != 1))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("--run takes %s, not “%s”."), single ? _ ("one run id") : _ ("run ids such as 1,3"),
                   opt_run);
      return NULL;
    }
  return g_steal_pointer (&runs);
}

/* ----------------------------------------------------------------- figure */

void
cli_project_view_clear (CliProjectView *view)
{
  g_clear_pointer (&view->positions_owned, g_free);
  g_clear_pointer (&view->categories, g_free);
  g_clear_pointer (&view->category_names, g_ptr_array_unref);
  g_clear_pointer (&view->node_values, g_free);
  g_clear_pointer (&view->edge_values, g_free);
  g_clear_pointer (&view->value_title, g_free);
  g_clear_pointer (&view->edge_title, g_free);
}

/* "run:3:gate" → 3 and "gate"; FALSE for other names. */
static gboolean
parse_run_name (const char  *name,
                guint       *id,
                char       **rest)
{
  g_auto(GStrv) parts = NULL;
  guint64 value;

  if (name == NULL || !g_str_has_prefix (name, "run:"))
    return FALSE;
  parts = g_strsplit (name + 4, ":", 2);
  if (parts[0] == NULL || !g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXUINT, &value, NULL))
    return FALSE;
  *id = (guint)value;
  *rest = g_strdup (parts[1] != NULL ? parts[1] : "");
  return TRUE;
}

/* The run --run names, else the one @hint_id names, else the latest. A
 * hint naming a deleted run gives NULL and sets @error, as the canvas then
 * shows none (not the latest). */
static const PhiliaDocumentRun *
choose_run (PhiliaDocument  *doc,
            guint            hint_id,
            GError         **error)
{
  guint n = philia_document_get_n_runs (doc);

  if (opt_run != NULL)
    return find_run (doc, opt_run, error);
  if (hint_id > 0)
    {
      const PhiliaDocumentRun *run = philia_document_find_run (doc, hint_id);

      if (run == NULL)
        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                     _ ("Run %u of %s was deleted."), hint_id, document_path);
      return run;
    }
  if (n == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   _ ("%s has no runs to colour by; add one with “philia-cli train %s --model M "
                      "--save”."), document_path, document_path);
      return NULL;
    }
  return philia_document_get_run (doc, n - 1);
}

static void
category_names_from_classes (CliProjectView *out,
                             PhiliaGraph    *graph,
                             guint           n_classes)
{
  out->category_names = g_ptr_array_new_with_free_func (g_free);
  for (guint k = 0; k < n_classes; k++)
    {
      const char *name = k < philia_graph_get_n_classes (graph)
                         ? philia_graph_get_class_name (graph, k) : NULL;

      g_ptr_array_add (out->category_names, name != NULL ? g_strdup (name)
                                                          : g_strdup_printf (_ ("class %u"), k));
    }
  g_ptr_array_add (out->category_names, NULL);
}

static const PhiliaNodeValues *
find_node_values (const PhiliaTrainResult *r,
                  const char              *name)
{
  for (guint i = 0; r->node_values != NULL && i < r->node_values->len; i++)
    if (g_str_equal (((PhiliaNodeValues *)r->node_values->pdata[i])->name, name))
      return r->node_values->pdata[i];
  return NULL;
}

/* Colours nodes by what @what names of run @run, as the Train panel does. */
static gboolean
color_by_run (CliProjectView          *out,
              PhiliaGraph             *graph,
              const PhiliaDocumentRun *run,
              const char              *what,
              GError                 **error)
{
  const PhiliaTrainResult *r = run->result;
  guint n = philia_graph_get_n_nodes (graph);
  g_autofree char *name = g_strdup_printf ("run:%u:%s", run->id, what);
  PhiliaAttentionOverlay attention;
  PhiliaAttentionNodes nodes;
  gboolean relative = FALSE;

  if (r->n_nodes != n || r->predictions == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("Run %u of %s keeps no predictions for this graph."), run->id, document_path);
      return FALSE;
    }
  if (philia_attention_nodes_parse (name, &nodes, &attention))
    {
      /* As the Train panel's colourings from attention, which the view names. */
      attention.run_id = run->id;
      out->node_values = philia_attention_nodes_values (r, graph, nodes, &attention, &relative,
                                                        &out->view.vmin, &out->view.vmax);
      if (out->node_values == NULL)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                       _ ("Run %u of %s (%s) keeps no attention weights for layer %u."), run->id,
                       document_path, r->model, attention.layer);
          return FALSE;
        }
      out->view.color_by = PHILIA_COLOR_BY_VALUE;
      out->view.node_values = out->node_values;
      /* Translators: a figure's colour-bar title, "Self attention, layer 0 (run 2, gat)" */
      out->value_title = g_strdup_printf (_ ("%s, layer %u (run %u, %s)"),
                                          nodes == PHILIA_ATTENTION_NODES_SAME_LABEL
                                          ? _ ("Same-label share of attention")
                                          : relative ? _ ("Self attention × uniform")
                                                     : _ ("Self attention"),
                                          attention.layer, run->id, r->model);
      out->view.value_name = out->value_title;
      return TRUE;
    }
  if (g_str_has_prefix (what, "value:"))
    /* The app's name for a run's node values ("run:3:value:gate"). */
    what += strlen ("value:");
  if (g_str_equal (what, "prediction"))
    {
      out->categories = g_memdup2 (r->predictions, n * sizeof (gint32));
      category_names_from_classes (out, graph, r->n_classes);
      out->value_title = g_strdup_printf (_ ("Prediction (run %u, %s)"), run->id, r->model);
      out->view.n_categories = r->n_classes;
    }
  else if (g_str_equal (what, "correct"))
    {
      /* Okabe–Ito bluish green and vermillion, and a neutral grey (the
       * Train panel's colours). */
      static const double colors[9] = { 0.0, 0.62, 0.45, 0.84, 0.37, 0.0, 0.72, 0.72, 0.72 };
      const gint32 *y = philia_graph_get_labels (graph);
      const guint8 *test = r->split < philia_graph_get_n_splits (graph)
                           ? philia_graph_get_split_mask (graph, r->split, PHILIA_SPLIT_TEST)
                           : NULL;

      out->categories = g_new (gint32, MAX (n, 1));
      for (guint v = 0; v < n; v++)
        out->categories[v] = y[v] < 0 ? -1 : test == NULL || !test[v] ? 2
                             : y[v] == r->predictions[v] ? 0 : 1;
      out->category_names = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (out->category_names, g_strdup ("correct"));
      g_ptr_array_add (out->category_names, g_strdup ("wrong"));
      g_ptr_array_add (out->category_names, g_strdup ("not in the test set"));
      g_ptr_array_add (out->category_names, NULL);
      out->view.category_colors = colors;
      out->view.n_categories = 3;
      out->value_title = g_strdup_printf (_ ("Correct on test (run %u, %s)"), run->id, r->model);
    }
  else if (g_str_equal (what, PHILIA_ADAPT_CHANGE_VALUES) && find_node_values (r, what) != NULL)
    {
      /* Four categories in the Adapt page's colours, not a scale of -1 … 1. */
      out->categories = philia_adapt_change_categories (find_node_values (r, what)->values, n);
      out->category_names = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (out->category_names, g_strdup ("changed to right"));
      g_ptr_array_add (out->category_names, g_strdup ("changed to wrong"));
      g_ptr_array_add (out->category_names, g_strdup ("changed, no label or still wrong"));
      g_ptr_array_add (out->category_names, g_strdup ("unchanged"));
      g_ptr_array_add (out->category_names, NULL);
      out->view.category_colors = philia_adapt_change_colors ();
      out->view.n_categories = PHILIA_ADAPT_CHANGE_N_CATEGORIES;
      out->value_title = g_strdup_printf (_ ("Changed by adaptation (run %u, %s)"), run->id,
                                          r->model);
    }
  else
    {
      const PhiliaNodeValues *values = NULL;
      double lo = INFINITY, hi = -INFINITY;

      for (guint i = 0; r->node_values != NULL && i < r->node_values->len; i++)
        if (g_str_equal (((PhiliaNodeValues *)r->node_values->pdata[i])->name, what))
          values = r->node_values->pdata[i];
      if (values == NULL)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                       _ ("Run %u of %s (%s) keeps no node values called “%s”."), run->id,
                       document_path, r->model, what);
          return FALSE;
        }
      out->node_values = g_memdup2 (values->values, MAX (n, 1) * sizeof (double));
      for (guint v = 0; v < n; v++)
        if (isfinite (values->values[v]))
          {
            lo = MIN (lo, values->values[v]);
            hi = MAX (hi, values->values[v]);
          }
      if (!isfinite (lo))
        lo = 0, hi = 1;
      out->view.color_by = PHILIA_COLOR_BY_VALUE;
      out->view.node_values = out->node_values;
      out->view.vmin = lo;
      out->view.vmax = hi > lo ? hi : lo + 1;
      /* Translators: a figure's colour-bar title, "entropy (run 2, gcn)" */
      out->value_title = g_strdup_printf (_ ("%s (run %u, %s)"), what, run->id, r->model);
      out->view.value_name = out->value_title;
      return TRUE;
    }
  out->view.color_by = PHILIA_COLOR_BY_CATEGORY;
  out->view.node_categories = out->categories;
  out->view.category_names = (const char * const *)out->category_names->pdata;
  out->view.value_name = out->value_title;
  return TRUE;
}

/* Attention of a run's layer on the edges, drawn like the Train panel's
 * default: α, the stronger direction of each edge, in greys, width by value. */
static gboolean
edges_by_attention (CliProjectView               *out,
                    PhiliaGraph                  *graph,
                    const PhiliaDocumentRun      *run,
                    const PhiliaAttentionOverlay *attention,
                    GError                      **error)
{
  const PhiliaTrainResult *r = run->result;
  gint64 m2 = philia_graph_get_row_offsets (graph)[philia_graph_get_n_nodes (graph)];
  guint layer = attention->layer;
  double vmax = 0;

  out->edge_values = r->n_nodes == philia_graph_get_n_nodes (graph)
                     ? philia_train_result_attention_values (r, graph, layer, attention->head,
                                                             NULL)
                     : NULL;
  if (out->edge_values == NULL)
    {
      if (attention->head >= 0)
        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                     _ ("Run %u of %s (%s) keeps no attention weights for layer %u, head %d."),
                     run->id, document_path, r->model, layer, attention->head);
      else
        g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                     _ ("Run %u of %s (%s) keeps no attention weights for layer %u."), run->id,
                     document_path, r->model, layer);
      return FALSE;
    }
  if (attention->relative)
    philia_attention_relative_to_uniform (graph, out->edge_values, NULL);
  philia_attention_combine_directions (graph, out->edge_values, attention->mean);
  for (gint64 e = 0; e < m2; e++)
    if (!isnan (out->edge_values[e]))
      vmax = MAX (vmax, out->edge_values[e]);
  out->edge_title = g_strdup_printf (_ ("Attention α, layer %u (run %u, %s)"), layer, run->id,
                                     r->model);
  out->view.edge_style = PHILIA_EDGES_VALUE;
  out->view.edge_values = out->edge_values;
  out->view.edge_value_name = out->edge_title;
  out->view.edge_vmin = 0;
  out->view.edge_vmax = vmax > 0 ? vmax : 1;
  out->view.edge_width_by_value = TRUE;
  out->view.edge_colormap = PHILIA_EDGE_COLORMAP_GREYS;
  return TRUE;
}

static gboolean
option_error (GError    **error,
              const char *message)
{
  g_set_error_literal (error, PHILIA_ERROR, PHILIA_ERROR_OPTION, message);
  return FALSE;
}

gboolean
cli_project_graph_view (PhiliaDocument  *doc,
                        const char      *layout,
                        const char      *color_by,
                        const char      *edges,
                        CliProjectView  *out,
                        GError         **error)
{
  PhiliaGraph *graph = philia_document_get_graph (doc);
  const PhiliaDocumentView *view = philia_document_get_view (doc);
  const PhiliaDocumentLayout *chosen = NULL;
  const char *color = color_by != NULL ? color_by : view != NULL ? view->color_by : NULL;
  const char *edge = edges != NULL ? edges : view != NULL ? view->edge_style : NULL;
  const char *overlay = view != NULL ? view->overlay : NULL;
  g_autofree char *color_rest = NULL;
  g_autofree char *overlay_rest = NULL;
  guint color_run = 0, overlay_run = 0;
  PhiliaEdgeStyle style;

  memset (out, 0, sizeof *out);
  out->view.color_by = PHILIA_COLOR_BY_LABEL;
  out->view.edge_style = PHILIA_EDGES_HOMOPHILY;

  /* --run names a run that must exist; asked for alone, it shows the run's
   * predictions rather than nothing of it. */
  if (opt_run != NULL)
    {
      gboolean uses_run = g_strcmp0 (color, "prediction") == 0
                          || g_strcmp0 (color, "correct") == 0
                          || g_str_has_prefix (color != NULL ? color : "", "run:")
                          || g_strcmp0 (edge, "attention") == 0;

      if (find_run (doc, opt_run, error) == NULL)
        return FALSE;
      if (!uses_run && color_by == NULL)
        color = "prediction";
    }

  /* Positions: --layout NAME, or the current layout. */
  if (layout != NULL)
    {
      chosen = philia_document_find_layout (doc, layout);
      if (chosen == NULL && philia_registry_lookup (philia_registry_get_default (),
                                                    PHILIA_FAMILY_LAYOUT, layout) == NULL)
        {
          GString *names = g_string_new (NULL);

          for (guint i = 0; i < philia_document_get_n_layouts (doc); i++)
            g_string_append_printf (names, "%s“%s”", i > 0 ? ", " : "",
                                    philia_document_get_layout (doc, i)->name);
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                       _ ("--layout %s is neither a layout of %s (%s) nor a layout algorithm."),
                       layout, document_path, names->len > 0 ? names->str : "it has none");
          g_string_free (names, TRUE);
          return FALSE;
        }
    }
  else
    chosen = philia_document_get_current_layout (doc);
  if (chosen != NULL)
    {
      guint n = philia_graph_get_n_nodes (graph);

      out->positions_owned = g_memdup2 (chosen->positions, MAX (2 * (gsize)n, 1) * sizeof (double));
      out->view.positions = out->positions_owned;
    }

  /* Colouring: the view's names (philia-document.h) or the render layer's. */
  if (color == NULL || *color == '\0' || g_str_equal (color, "class")
      || g_str_equal (color, "label"))
    out->view.color_by = PHILIA_COLOR_BY_LABEL;
  else if (g_str_equal (color, "local-homophily"))
    out->view.color_by = PHILIA_COLOR_BY_LOCAL_HOMOPHILY;
  else if (g_str_equal (color, "degree"))
    out->view.color_by = PHILIA_COLOR_BY_DEGREE;
  else if (g_str_equal (color, "none"))
    {
      static const double grey[3] = { 0.55, 0.55, 0.55 };
      guint n = philia_graph_get_n_nodes (graph);

      out->categories = g_new0 (gint32, MAX (n, 1));
      out->category_names = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (out->category_names, g_strdup ("node"));
      g_ptr_array_add (out->category_names, NULL);
      out->view.color_by = PHILIA_COLOR_BY_CATEGORY;
      out->view.node_categories = out->categories;
      out->view.category_names = (const char * const *)out->category_names->pdata;
      out->view.category_colors = grey;
      out->view.n_categories = 1;
    }
  else if (g_str_equal (color, "prediction") || g_str_equal (color, "correct")
           || parse_run_name (color, &color_run, &color_rest))
    {
      const PhiliaDocumentRun *run;
      g_autoptr(GError) local = NULL;

      if (color_rest == NULL)
        {
          color_rest = g_strdup (color);
          parse_run_name (overlay, &color_run, &overlay_rest);
          g_clear_pointer (&overlay_rest, g_free);
        }
      run = choose_run (doc, color_run, &local);
      /* A view naming a run that is gone falls back to classes, as the
       * canvas does (with a warning); an option that asks for one is
       * refused. */
      if (run == NULL && color_by != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (run == NULL && color_run > 0)
        /* Translators: the view's colouring names a deleted run */
        g_printerr (_ ("figure: warning: the view colours nodes by run %u of %s, which was "
                       "deleted: they are drawn by class, as on the canvas.\n"),
                    color_run, document_path);
      if (run != NULL && !color_by_run (out, graph, run, color_rest, &local))
        {
          if (color_by != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          cli_project_view_clear (out);
          return cli_project_graph_view (doc, layout, "class", edges, out, error);
        }
    }
  else if (color_by != NULL)
    return option_error (error, "--color-by must be class (or label), local-homophily, degree, "
                                "none, prediction, correct or run:ID:VALUE");

  /* Edges. */
  if (edge == NULL || *edge == '\0')
    out->view.edge_style = PHILIA_EDGES_HOMOPHILY;
  else if (philia_edge_style_from_string (edge, &style) && style != PHILIA_EDGES_VALUE)
    out->view.edge_style = style;
  else if (g_str_equal (edge, "attention"))
    {
      const PhiliaDocumentRun *run;
      g_autoptr(GError) local = NULL;
      PhiliaAttentionOverlay attention = { 0, 0, -1, FALSE, FALSE };

      /* "run:3:attention:1[:HEAD][:relative][:mean]", as the app writes it. */
      if (philia_attention_overlay_parse (overlay, &attention))
        overlay_run = attention.run_id;
      else if (parse_run_name (overlay, &overlay_run, &overlay_rest))
        attention.run_id = overlay_run;
      run = choose_run (doc, overlay_run, &local);
      if ((run == NULL || !edges_by_attention (out, graph, run, &attention, &local)))
        {
          if (edges != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          out->view.edge_style = PHILIA_EDGES_HOMOPHILY;
        }
    }
  else if (edges != NULL)
    return option_error (error, "--edges must be homophily (or class), plain, hidden (or none) "
                                "or attention");
  return TRUE;
}
