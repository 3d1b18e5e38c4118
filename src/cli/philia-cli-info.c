/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "philia-cli-private.h"

/* philia-cli info: the sizes of a dataset (or project) and its sanity report. */

/* ------------------------------------------------------------------ info */

static void
info_json (PhiliaGraph *graph,
           const char  *path)
{
  const PhiliaSanityReport *r = philia_graph_get_sanity_report (graph);
  const gint64 *sizes = philia_graph_get_class_sizes (graph);
  g_autoptr(PhiliaJson) json = philia_json_new ();
  guint n_classes = philia_graph_get_n_classes (graph);
  guint n_splits = philia_graph_get_n_splits (graph);

  philia_json_begin_object (json);
  philia_json_member_string (json, "file", path);
  philia_json_member_string (json, "format", philia_graph_get_format (graph));
  philia_json_member_int (json, "nodes", philia_graph_get_n_nodes (graph));
  philia_json_member_int (json, "edges", philia_graph_get_n_edges (graph));
  philia_json_member_int (json, "features", philia_graph_get_n_features (graph));
  philia_json_member_int (json, "classes", n_classes);
  philia_json_member_int (json, "labeled", philia_graph_get_n_labeled (graph));
  philia_json_key (json, "class_sizes");
  philia_json_int_array (json, sizes, n_classes);
  /* Like class_sizes: an empty array when there is nothing to list, never null. */
  philia_json_key (json, "class_names");
  philia_json_begin_array (json);
  for (guint k = 0; philia_graph_has_class_names (graph) && k < n_classes; k++)
    philia_json_string (json, philia_graph_get_class_name (graph, k));
  philia_json_end_array (json);
  philia_json_member_int (json, "splits", n_splits);
  philia_json_key (json, "split_sizes");
  philia_json_begin_array (json);
  for (guint s = 0; s < n_splits; s++)
    {
      gint64 train, val, test;

      philia_graph_get_split_sizes (graph, s, &train, &val, &test);
      philia_json_begin_object (json);
      philia_json_member_int (json, "train", train);
      philia_json_member_int (json, "val", val);
      philia_json_member_int (json, "test", test);
      philia_json_end_object (json);
    }
  philia_json_end_array (json);
  philia_json_member_int (json, "input_edges", r->input_edges);
  philia_json_member_bool (json, "declared_directed", r->declared_directed);
  philia_json_member_bool (json, "directed_input", r->directed_input);
  philia_json_member_int (json, "self_loops", r->self_loops);
  philia_json_member_int (json, "duplicate_edges", r->duplicate_edges);
  philia_json_member_int (json, "reciprocal_pairs", r->reciprocal_pairs);
  philia_json_member_int (json, "isolated_nodes", r->isolated_nodes);
  philia_json_member_int (json, "components", r->components);
  philia_json_member_int (json, "largest_component", r->largest_component);
  cli_project_info_json (json);
  philia_json_end_object (json);

  print_json (g_steal_pointer (&json));
}

static void
info_text (PhiliaGraph *graph,
           const char  *path)
{
  const PhiliaSanityReport *r = philia_graph_get_sanity_report (graph);
  const gint64 *sizes = philia_graph_get_class_sizes (graph);
  guint n = philia_graph_get_n_nodes (graph);
  guint n_classes = philia_graph_get_n_classes (graph);

  printf ("%s (%s)\n", path, philia_graph_get_format (graph));
  printf ("  nodes              %u\n", n);
  printf ("  undirected edges   %" G_GINT64_FORMAT "\n", philia_graph_get_n_edges (graph));
  printf ("  features           %u\n", philia_graph_get_n_features (graph));
  printf ("  classes            %u\n", n_classes);
  printf ("  labeled nodes      %u of %u\n", philia_graph_get_n_labeled (graph), n);
  if (n_classes > 0)
    {
      printf ("  class sizes       ");
      for (guint k = 0; k < n_classes; k++)
        {
          const char *name = philia_graph_get_class_name (graph, k);

          if (name)
            printf (" %s=%" G_GINT64_FORMAT, name, sizes[k]);
          else
            printf (" %" G_GINT64_FORMAT, sizes[k]);
        }
      printf ("\n");
    }
  printf ("  splits             %u\n", philia_graph_get_n_splits (graph));
  for (guint s = 0; s < philia_graph_get_n_splits (graph); s++)
    {
      gint64 train, val, test;

      philia_graph_get_split_sizes (graph, s, &train, &val, &test);
      printf ("    split %-3u        train %" G_GINT64_FORMAT ", val %" G_GINT64_FORMAT
              ", test %" G_GINT64_FORMAT "\n", s, train, val, test);
    }
  printf ("Sanity report\n");
  printf ("  edge rows in file  %" G_GINT64_FORMAT "\n", r->input_edges);
  printf ("  directed input     %s%s\n", r->directed_input ? "yes" : "no",
          r->declared_directed ? " (declared by the file)"
          : r->directed_input ? " (pairs given in both directions)" : "");
  printf ("  reciprocal pairs   %" G_GINT64_FORMAT " (merged)\n", r->reciprocal_pairs);
  printf ("  duplicate rows     %" G_GINT64_FORMAT " (merged)\n", r->duplicate_edges);
  printf ("  self-loops         %" G_GINT64_FORMAT " (dropped)\n", r->self_loops);
  printf ("  isolated nodes     %" G_GINT64_FORMAT "\n", r->isolated_nodes);
  printf ("  components         %" G_GINT64_FORMAT ", largest %" G_GINT64_FORMAT
          " nodes (%.1f%%)\n", r->components, r->largest_component,
          n > 0 ? 100.0 * r->largest_component / n : 0.0);
  cli_project_info_text ();
}

int
cmd_info (int    argc,
          char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  GError *error = NULL;
  int code = EXIT_OK;

  if (!parse_options ("info", "FILE", N_ ("Sizes of a dataset and the sanity report: "
                          "directed input, self-loops, duplicates, isolated nodes, components. "
                          "Given a project (.philia), the same for its dataset and then what the "
                          "project holds: layouts, runs, evaluations, overlays (with --json, a \"project\" "
                          "member)."),
                      NULL, &argc, &argv, 1, &code))
    return code;

  graph = load_dataset (argv[1], &error);
  if (graph == NULL)
    return fail (error);

  if (opt_json)
    info_json (graph, argv[1]);
  else
    info_text (graph, argv[1]);
  return EXIT_OK;
}
