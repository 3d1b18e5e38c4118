/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <inttypes.h>
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
  cli_label (_ ("nodes"), 19);
  printf ("%u\n", n);
  cli_label (_ ("undirected edges"), 19);
  printf ("%" PRId64 "\n", (gint64)philia_graph_get_n_edges (graph));
  cli_label (_ ("features"), 19);
  printf ("%u\n", philia_graph_get_n_features (graph));
  cli_label (_ ("classes"), 19);
  printf ("%u\n", n_classes);
  cli_label (_ ("labeled nodes"), 19);
  /* Translators: labeled nodes, "2708 of 2708" */
  printf (_ ("%u of %u\n"), philia_graph_get_n_labeled (graph), n);
  if (n_classes > 0)
    {
      cli_label (_ ("class sizes"), 18);
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
  cli_label (_ ("splits"), 19);
  printf ("%u\n", philia_graph_get_n_splits (graph));
  for (guint s = 0; s < philia_graph_get_n_splits (graph); s++)
    {
      gint64 train, val, test;

      philia_graph_get_split_sizes (graph, s, &train, &val, &test);
      printf (_ ("    split %-3u        train %" PRId64 ", val %" PRId64 ", test %" PRId64 "\n"),
              s, (gint64)train, (gint64)val, (gint64)test);
    }
  printf ("%s\n", _ ("Sanity report"));
  cli_label (_ ("edge rows in file"), 19);
  printf ("%" PRId64 "\n", (gint64)r->input_edges);
  cli_label (_ ("directed input"), 19);
  printf ("%s%s\n", r->directed_input ? _ ("yes") : _ ("no"),
          r->declared_directed ? _ (" (declared by the file)")
          : r->directed_input ? _ (" (pairs given in both directions)") : "");
  cli_label (_ ("reciprocal pairs"), 19);
  printf (_ ("%" PRId64 " (merged)\n"), (gint64)r->reciprocal_pairs);
  cli_label (_ ("duplicate rows"), 19);
  printf (_ ("%" PRId64 " (merged)\n"), (gint64)r->duplicate_edges);
  cli_label (_ ("self-loops"), 19);
  printf (_ ("%" PRId64 " (dropped)\n"), (gint64)r->self_loops);
  cli_label (_ ("isolated nodes"), 19);
  printf ("%" PRId64 "\n", (gint64)r->isolated_nodes);
  cli_label (_ ("components"), 19);
  /* Translators: components, "78, largest 2485 nodes (91.8%)" */
  printf (_ ("%" PRId64 ", largest %" PRId64 " nodes (%.1f%%)\n"), (gint64)r->components,
          (gint64)r->largest_component, n > 0 ? 100.0 * r->largest_component / n : 0.0);
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
