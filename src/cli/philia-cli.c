/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "philia-cli-mpi.h"
#include "philia-cli-private.h"

/*
 * philia-cli: the headless twin of every analysis in the workbench. Each
 * subcommand parses its own options, takes the dataset path first, prints a
 * table as CSV or a summary (or JSON with --json) on stdout, and on bad input
 * prints one line on stderr and exits non-zero.
 */

typedef struct
{
  const char *name;
  const char *args;
  const char *summary;
  int (*run) (int argc, char **argv);
} Command;

/* ------------------------------------------------------------------ main */

static const Command commands[] = {
  { "info", "FILE", N_ ("sizes of a dataset and its sanity report"), cmd_info },
  { "stats", "FILE", N_ ("homophily and heterophily measures"), cmd_stats },
  { "layout", "FILE --out POS.csv", N_ ("node positions (FR, KK, DrL, … or a plugin's layout)"),
    cmd_layout },
  { "figure", "FILE --kind K --out F", N_ ("render a figure to PNG, SVG or PDF"), cmd_figure },
  { "generate", "csbm --out F.npz", N_ ("generate a synthetic graph (CSBM)"), cmd_generate },
  { "proximity", "FILE --pairs P.csv", N_ ("link-prediction heuristics for node pairs"),
    cmd_proximity },
  { "linkpred", "FILE --heuristic H|--model M",
    N_ ("evaluate a heuristic or train a GNN link predictor, OGB metrics"), cmd_linkpred },
  { "train", "FILE --model M", N_ ("train a node classifier (MLP, GCN, SAGE, GAT, H2GCN, …)"),
    cmd_train },
  { "predict", "MODEL FILE", N_ ("apply a saved model (train --save-model), no training"),
    cmd_predict },
  { "adapt", "MODEL TARGET", N_ ("adapt a saved model to an unlabeled graph (SOGA)"), cmd_adapt },
  { "plugins", "", N_ ("plugins found, loaded, refused or disabled"), cmd_plugins },
  { "project", "new OUT.philia FILE", N_ ("create a project (.philia) around a dataset"),
    cmd_project },
};

static void
print_usage (FILE *out)
{
  fprintf (out, _ ("Usage: philia-cli COMMAND FILE [OPTIONS]\n\n"
                  "Philia %s, the headless twin of the workbench.\n\nCommands:\n"),
           PACKAGE_VERSION);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-9s %-24s %s\n", commands[i].name, commands[i].args,
             _ (commands[i].summary));
  fprintf (out, _ ("\nEvery command takes --json and --help. Datasets: .npz, GraphML, GML, Pajek,\n"
                  "edge lists (with --nodes TABLE.csv for labels and features). A project\n"
                  "(.philia) goes wherever a dataset goes; layout, train and linkpred --save\n"
                  "add their results to it.\n"));
}

static int
run (int    argc,
     char **argv)
{
  setlocale (LC_ALL, "");
  /* Help, usage errors and figure titles in the user's language; what a
   * script parses (CSV, JSON, the numbers) stays the same in every locale. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PHILIA_LOCALEDIR") ? g_getenv ("PHILIA_LOCALEDIR")
                                                                : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  philia_core_init ();
  /* Plugin algorithms then look exactly like built-ins to every command. */
  philia_plugins_load_default ();

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      printf ("philia-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      {
        /* GOption would take the program name from argv[0], which is now
         * the command: "train [OPTION…] train FILE". */
        static char prgname[64];

        g_snprintf (prgname, sizeof prgname, "philia-cli %s", commands[i].name);
        g_set_prgname (prgname);
        return commands[i].run (argc - 1, argv + 1);
      }

  fprintf (stderr, _ ("philia-cli: unknown command “%s” (see “philia-cli --help”)\n"),
           argv[1]);
  return EXIT_USAGE;
}

int
main (int    argc,
      char **argv)
{
  /* Under an MPI launcher, before any thread starts (philia-cli-mpi.h). */
  if (!cli_mpi_init (argc > 1 ? argv[1] : NULL, &argc, &argv))
    return cli_mpi_finish (EXIT_OK);
  return cli_mpi_finish (run (argc, argv));
}
