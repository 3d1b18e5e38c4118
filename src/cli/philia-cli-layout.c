/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <locale.h>
#include <math.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "philia-cli-private.h"

/* philia-cli layout: node positions from a built-in or plugin layout. */

/* ---------------------------------------------------------------- layout */

static gint64 opt_seed = 0;
static char *opt_out;
static char *opt_algorithm;
static gboolean opt_layout_force;

static GOptionEntry layout_entries[] = {
  { "algorithm", 'a', 0, G_OPTION_ARG_STRING, &opt_algorithm,
    N_ ("fr, kk, drl, multilevel, circle or class-grouped (default: multilevel for sparse "
        "graphs of 1,000 to 20,000 nodes, which it untangles, else fr)"), "A" },
  { "force", 0, 0, G_OPTION_ARG_NONE, &opt_layout_force,
    N_ ("Run even when the layout needs more than 1 GiB of memory"), NULL },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, N_ ("Random seed (default 0)"), "S" },
  { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out,
    N_ ("Write id,x,y to this CSV file"), "POS.csv" },
  { "save", 0, 0, G_OPTION_ARG_NONE, &opt_save,
    N_ ("Project: add the layout to it (and make it current) and save it"), NULL },
  { "name", 0, 0, G_OPTION_ARG_STRING, &opt_save_name,
    N_ ("With --save: the layout's name, replacing a layout of that name (default: the "
        "algorithm's id, numbered if taken: fr, fr 2, …)"), "NAME" },
  { NULL }
};

int
cmd_layout (int    argc,
            char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autofree double *xy = NULL;
  g_autoptr(GString) csv = NULL;
  g_autofree char *name = NULL;
  const char *algorithm;
  GError *error = NULL;
  gint64 start;
  double seconds;
  int code = EXIT_OK;

  if (!parse_options ("layout", "FILE", N_ ("Compute node positions with an igraph layout. "
                          "Given a project (.philia), --save adds them to it as a named layout."),
                      layout_entries, &argc, &argv, 1, &code))
    return code;
  if (opt_out == NULL && !opt_save)
    return usage_error ("layout", _ ("--out POS.csv (or, for a project, --save) is required"));
  if (opt_save_name != NULL && !opt_save)
    return usage_error ("layout", _ ("--name names the layout --save stores"));
  if (opt_save_name != NULL && *g_strstrip (opt_save_name) == '\0')
    return usage_error ("layout", _ ("--name must not be empty"));
  if (!cli_project_check_save ("layout", argv[1], &code))
    return code;

  graph = load_dataset (argv[1], &error);
  if (graph == NULL)
    return fail (error);

  algorithm = opt_algorithm ? opt_algorithm : philia_layout_default_algorithm (graph);
  if (!opt_layout_force
      && philia_layout_estimate_bytes (graph, algorithm) > PHILIA_LAYOUT_MEMORY_WARN_BYTES)
    {
      g_autofree char *size = g_format_size (philia_layout_estimate_bytes (graph, algorithm));
      g_autofree char *message = g_strdup_printf (_ ("the %s layout of this graph needs about %s "
                                                     "of memory; pass --force to run it anyway, or "
                                                     "choose --algorithm multilevel"), algorithm,
                                                  size);

      return usage_error ("layout", message);
    }
  start = g_get_monotonic_time ();
  xy = philia_layout_compute (graph, algorithm, (guint64)opt_seed, NULL, NULL, &error);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  if (xy == NULL)
    {
      if (g_error_matches (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND))
        {
          code = usage_error ("layout", error->message);
          g_error_free (error);
          return code;
        }
      return fail (error);
    }

  csv = g_string_new ("id,x,y\n");
  for (guint v = 0; v < philia_graph_get_n_nodes (graph); v++)
    {
      char x[G_ASCII_DTOSTR_BUF_SIZE], y[G_ASCII_DTOSTR_BUF_SIZE];
      const char *node_name = philia_graph_get_node_name (graph, v);

      g_ascii_formatd (x, sizeof x, "%.9g", xy[2 * v]);
      g_ascii_formatd (y, sizeof y, "%.9g", xy[2 * v + 1]);
      if (node_name != NULL && strpbrk (node_name, ",\"\n") == NULL)
        g_string_append_printf (csv, "%s,%s,%s\n", node_name, x, y);
      else
        g_string_append_printf (csv, "%u,%s,%s\n", v, x, y);
    }
  if (opt_out != NULL && !g_file_set_contents (opt_out, csv->str, csv->len, &error))
    return fail (error);
  if (opt_save)
    {
      PhiliaDocument *document = cli_project_get ();

      name = cli_project_layout_name (document, algorithm);
      philia_document_add_layout (document, name, algorithm, (guint64)opt_seed,
                                  g_steal_pointer (&xy));
      if (!cli_project_save (argv[1], &error))
        return fail (error);
    }

  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_string (json, "algorithm", algorithm);
      philia_json_member_int (json, "nodes", philia_graph_get_n_nodes (graph));
      philia_json_member_int (json, "seed", opt_seed);
      philia_json_member_double (json, "seconds", seconds);
      philia_json_key (json, "path");
      if (opt_out != NULL)
        philia_json_string (json, opt_out);
      else
        philia_json_null (json);
      if (opt_save)
        {
          philia_json_member_string (json, "project", argv[1]);
          philia_json_member_string (json, "name", name);
        }
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
    }
  else
    {
      if (opt_out != NULL)
        /* Translators: "OUT: fr layout of 2708 nodes in 1.234 s" */
        printf (_ ("%s: %s layout of %u nodes in %.3f s\n"), opt_out, algorithm,
                philia_graph_get_n_nodes (graph), seconds);
      if (opt_save)
        printf (_ ("%s: saved the %s layout of %u nodes as “%s” in %.3f s\n"), argv[1], algorithm,
                philia_graph_get_n_nodes (graph), name, seconds);
    }
  return EXIT_OK;
}
