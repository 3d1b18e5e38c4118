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
#include "philia-generate-private.h"

/* philia-cli generate: synthetic graphs (CSBM, grids, meshes). */

/* -------------------------------------------------------------- generate */

static gint64 opt_seed = 0;
static char *opt_out;
static int opt_gen_nodes = -1;
static int opt_gen_classes = -1;
static double opt_gen_degree = -1;
static double opt_gen_homophily = -1;
static int opt_gen_features = -1;
static double opt_gen_signal = -1;
static double opt_gen_het_fraction = -1;
static double opt_gen_het_homophily = -1;
static int opt_gen_splits = -1;
static char *opt_gen_proportions;
static int opt_gen_rows = -1;
static int opt_gen_cols = -1;
static char *opt_gen_preset;
static int opt_gen_dim = -1;
static double opt_gen_sharpness = -1;
static double opt_gen_radius_spread = -1;
static double opt_gen_feature_weight = -1;
static int opt_gen_feature_dim = -1;
static double opt_gen_noise = -1;
static gboolean opt_gen_stream;
static gboolean opt_gen_stored;

static GOptionEntry generate_entries[] = {
  { "nodes", 0, 0, G_OPTION_ARG_INT, &opt_gen_nodes, N_ ("Number of nodes (default 2000)"), "N" },
  { "classes", 0, 0, G_OPTION_ARG_INT, &opt_gen_classes,
    N_ ("Number of classes (default 5)"), "C" },
  { "degree", 0, 0, G_OPTION_ARG_DOUBLE, &opt_gen_degree, N_ ("Expected mean degree (default 10)"),
    "D" },
  { "homophily", 0, 0, G_OPTION_ARG_DOUBLE, &opt_gen_homophily,
    N_ ("Target edge homophily in [0, 1] (default 0.5)"), "H" },
  { "features", 0, 0, G_OPTION_ARG_INT, &opt_gen_features,
    N_ ("Gaussian feature dimensions (default 32)"), "F" },
  { "signal", 0, 0, G_OPTION_ARG_DOUBLE, &opt_gen_signal,
    N_ ("Distance between class means, in noise units (default 1)"), "S" },
  { "heterophilous-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &opt_gen_het_fraction,
    N_ ("Share of nodes in a heterophilous region (default 0)"), "P" },
  { "heterophilous-homophily", 0, 0, G_OPTION_ARG_DOUBLE, &opt_gen_het_homophily,
    N_ ("Edge homophily inside that region (default 0.1)"), "H" },
  { "splits", 0, 0, G_OPTION_ARG_INT, &opt_gen_splits,
    N_ ("Random 60/20/20 splits to add (default 10)"), "K" },
  { "class-proportions", 0, 0, G_OPTION_ARG_STRING, &opt_gen_proportions,
    N_ ("Share of each class, e.g. 0.8,0.2 (normalised to sum 1; sets --classes; default "
        "balanced)"),
    "P0,P1,…" },
  { "rows", 0, 0, G_OPTION_ARG_INT, &opt_gen_rows, N_ ("grid, mesh: rows (default 100)"), "R" },
  { "cols", 0, 0, G_OPTION_ARG_INT, &opt_gen_cols, N_ ("grid, mesh: columns (default: --rows)"),
    "C" },
  { "preset", 0, 0, G_OPTION_ARG_STRING, &opt_gen_preset,
    N_ ("latent: lsp, gsp or fp (local structure, global structure or features explain the "
        "links; default lsp); the options below change it"), "P" },
  { "dim", 0, 0, G_OPTION_ARG_INT, &opt_gen_dim, N_ ("latent: structural space dimension"), "D" },
  { "sharpness", 0, 0, G_OPTION_ARG_DOUBLE, &opt_gen_sharpness,
    N_ ("latent: α of the link probability (large: a hard radius)"), "A" },
  { "radius-spread", 0, 0, G_OPTION_ARG_DOUBLE, &opt_gen_radius_spread,
    N_ ("latent: σ of the log-normal radii (0: one radius)"), "S" },
  { "feature-weight", 0, 0, G_OPTION_ARG_DOUBLE, &opt_gen_feature_weight,
    N_ ("latent: β in [0, 1], how much the feature distance decides links"), "B" },
  { "feature-dim", 0, 0, G_OPTION_ARG_INT, &opt_gen_feature_dim,
    N_ ("latent: feature space dimension (2 feature columns each)"), "F" },
  { "noise", 0, 0, G_OPTION_ARG_DOUBLE, &opt_gen_noise,
    N_ ("latent: standard deviation of the feature noise"), "N" },
  { "stream", 0, 0, G_OPTION_ARG_NONE, &opt_gen_stream,
    N_ ("csbm: write edges as they are drawn, never holding them (for graphs larger than "
        "memory): each pair is an edge on its own with its classes' probability, so the edge "
        "count is random around n·d/2 and the edges differ from the default draw's"), NULL },
  { "stored", 0, 0, G_OPTION_ARG_NONE, &opt_gen_stored,
    N_ ("csbm --stream: store the members uncompressed, so that stats --stream reads them in "
        "place and MPI ranks read only their slice"), NULL },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, N_ ("Random seed (default 0)"), "S" },
  { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, N_ ("Output .npz file"), "FILE.npz" },
  { NULL }
};

/* grid and mesh: the graphs on which layouts are judged (meshes, roads). */
static int
generate_lattice (const char *kind)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  GError *error = NULL;
  int rows = opt_gen_rows >= 0 ? opt_gen_rows : 100;
  int cols = opt_gen_cols >= 0 ? opt_gen_cols : rows;

  if (opt_gen_rows < -1 || opt_gen_cols < -1)
    return usage_error ("generate", _ ("--rows and --cols must not be negative"));
  graph = g_str_equal (kind, "grid") ? philia_grid_generate (rows, cols, &error)
                                     : philia_mesh_generate (rows, cols, (guint64)opt_seed,
                                                             &error);
  if (graph == NULL)
    {
      fprintf (stderr, "philia-cli generate: %s\n", error->message);
      g_error_free (error);
      return EXIT_USAGE;
    }
  if (!philia_graph_write_npz (graph, opt_out, &error))
    return fail (error);
  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_string (json, "generator", kind);
      philia_json_member_int (json, "nodes", philia_graph_get_n_nodes (graph));
      philia_json_member_int (json, "edges", philia_graph_get_n_edges (graph));
      philia_json_member_string (json, "path", opt_out);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
    }
  else
    /* Translators: "OUT: ring lattice of 100 nodes, 200 edges" */
    printf (_ ("%s: %s of %u nodes, %" PRId64 " edges\n"), opt_out, kind,
            philia_graph_get_n_nodes (graph), (gint64)philia_graph_get_n_edges (graph));
  return EXIT_OK;
}

/* latent: the latent space model, a preset and the knobs given. */
static int
generate_latent (void)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  PhiliaLatentParams params;
  PhiliaLatentPreset preset = PHILIA_LATENT_PRESET_LSP;
  GError *error = NULL;
  double radius = 0;

  if (opt_gen_preset != NULL && !philia_latent_preset_from_string (opt_gen_preset, &preset))
    return usage_error ("generate", _ ("--preset must be lsp, gsp or fp"));
  if (opt_gen_features != -1 || opt_gen_homophily != -1 || opt_gen_signal != -1
      || opt_gen_splits != -1 || opt_gen_proportions != NULL || opt_gen_het_fraction != -1
      || opt_gen_het_homophily != -1)
    return usage_error ("generate", _ ("latent takes --feature-dim, not the options of csbm"));
  if (opt_gen_nodes < -1 || opt_gen_classes < -1 || opt_gen_dim < -1 || opt_gen_feature_dim < -1)
    return usage_error ("generate", _ ("counts must not be negative"));
  philia_latent_params_init (&params);
  philia_latent_params_preset (&params, preset);
  if (opt_gen_nodes >= 0) params.n_nodes = opt_gen_nodes;
  if (opt_gen_classes >= 0) params.n_classes = opt_gen_classes;
  if (opt_gen_degree != -1) params.degree = opt_gen_degree;
  if (opt_gen_dim >= 0) params.dim = opt_gen_dim;
  if (opt_gen_sharpness != -1) params.sharpness = opt_gen_sharpness;
  if (opt_gen_radius_spread != -1) params.radius_spread = opt_gen_radius_spread;
  if (opt_gen_feature_weight != -1) params.feature_weight = opt_gen_feature_weight;
  if (opt_gen_feature_dim >= 0) params.feature_dim = opt_gen_feature_dim;
  if (opt_gen_noise != -1) params.noise = opt_gen_noise;
  params.seed = (guint64)opt_seed;

  graph = philia_latent_generate (&params, &radius, NULL, &error);
  if (graph == NULL)
    {
      fprintf (stderr, "philia-cli generate: %s\n", error->message);
      g_error_free (error);
      return EXIT_USAGE;
    }
  if (!philia_graph_write_npz (graph, opt_out, &error))
    return fail (error);
  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_string (json, "generator", "latent");
      philia_json_member_string (json, "path", opt_out);
      philia_json_member_int (json, "nodes", philia_graph_get_n_nodes (graph));
      philia_json_member_int (json, "edges", philia_graph_get_n_edges (graph));
      philia_json_member_int (json, "features", philia_graph_get_n_features (graph));
      philia_json_member_int (json, "classes", philia_graph_get_n_classes (graph));
      philia_json_member_int (json, "dim", params.dim);
      philia_json_member_double (json, "degree", params.degree);
      philia_json_member_double (json, "mean_degree",
                                 2.0 * philia_graph_get_n_edges (graph) / params.n_nodes);
      philia_json_member_double (json, "feature_weight", params.feature_weight);
      philia_json_member_double (json, "radius", radius);
      philia_json_member_int (json, "seed", opt_seed);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
    }
  else
    printf (_ ("%s: latent space model, %u nodes, %" PRId64 " edges (mean degree %.2f)\n"),
            opt_out, philia_graph_get_n_nodes (graph), (gint64)philia_graph_get_n_edges (graph),
            2.0 * philia_graph_get_n_edges (graph) / params.n_nodes);
  return EXIT_OK;
}

int
cmd_generate (int    argc,
              char **argv)
{
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaHomophily) h = NULL;
  PhiliaCsbmParams params;
  GError *error = NULL;
  int code = EXIT_OK;

  if (!parse_options ("generate", "csbm|grid|mesh|latent", N_ ("Generate a contextual stochastic "
                          "block model graph with a chosen edge homophily (optionally a "
                          "heterophilous region), a grid, a road-like planar mesh, or a latent "
                          "space model graph whose links local structure, global structure or "
                          "features explain."),
                      generate_entries, &argc, &argv, 1, &code))
    return code;
  if (!g_str_equal (argv[1], "csbm") && !g_str_equal (argv[1], "grid")
      && !g_str_equal (argv[1], "mesh") && !g_str_equal (argv[1], "latent"))
    return usage_error ("generate",
                        _ ("unknown generator; known generators: csbm, grid, mesh, latent"));
  if (opt_out == NULL)
    return usage_error ("generate", _ ("--out FILE.npz is required"));
  if (g_str_equal (argv[1], "latent"))
    return generate_latent ();
  if (!g_str_equal (argv[1], "csbm"))
    return generate_lattice (argv[1]);
  if (opt_gen_nodes < -1 || opt_gen_classes < -1 || opt_gen_features < -1 || opt_gen_splits < -1)
    return usage_error ("generate", _ ("counts must not be negative"));

  philia_csbm_params_init_default (&params);
  if (opt_gen_nodes >= 0) params.n_nodes = opt_gen_nodes;
  if (opt_gen_classes >= 0) params.n_classes = opt_gen_classes;
  if (opt_gen_degree != -1) params.degree = opt_gen_degree;
  if (opt_gen_homophily != -1) params.homophily = opt_gen_homophily;
  if (opt_gen_features >= 0) params.n_features = opt_gen_features;
  if (opt_gen_signal != -1) params.signal = opt_gen_signal;
  if (opt_gen_het_fraction != -1) params.heterophilous_fraction = opt_gen_het_fraction;
  if (opt_gen_het_homophily != -1) params.heterophilous_homophily = opt_gen_het_homophily;
  if (opt_gen_splits >= 0) params.n_splits = opt_gen_splits;
  params.seed = (guint64)opt_seed;
  if (opt_gen_proportions != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (opt_gen_proportions, ",", -1);
      guint n = g_strv_length (parts);

      if (n < 1 || n > PHILIA_CSBM_MAX_CLASSES)
        return usage_error ("generate", _ ("--class-proportions takes 1 to 64 shares"));
      if (opt_gen_classes >= 0 && (guint)opt_gen_classes != n)
        return usage_error ("generate", _ ("--class-proportions needs one share per class "
                                           "(--classes)"));
      params.n_classes = n;
      for (guint k = 0; k < n; k++)
        {
          char *end = NULL;

          params.class_proportions[k] = g_ascii_strtod (g_strstrip (parts[k]), &end);
          if (end == parts[k] || *end != '\0')
            return usage_error ("generate",
                                _ ("--class-proportions takes numbers such as 0.8,0.2"));
        }
    }

  if (opt_gen_stored && !opt_gen_stream)
    return usage_error ("generate", _ ("--stored goes with --stream"));
  if (opt_gen_stream)
    {
      gint64 m = 0;

      if (!philia_csbm_write_streamed (&params, opt_out, opt_gen_stored ? 0 : 6, &m, NULL,
                                       &error))
        {
          int status = g_error_matches (error, PHILIA_ERROR, PHILIA_ERROR_OPTION) ? EXIT_USAGE
                                                                                  : EXIT_FAILED;

          fprintf (stderr, "philia-cli generate: %s\n", error->message);
          g_error_free (error);
          return status;
        }
      if (opt_json)
        {
          g_autoptr(PhiliaJson) json = philia_json_new ();

          philia_json_begin_object (json);
          philia_json_member_string (json, "path", opt_out);
          philia_json_member_int (json, "nodes", params.n_nodes);
          philia_json_member_int (json, "edges", m);
          philia_json_member_int (json, "features", params.n_features);
          philia_json_member_int (json, "classes", params.n_classes);
          philia_json_member_bool (json, "streamed", TRUE);
          philia_json_member_int (json, "seed", opt_seed);
          philia_json_end_object (json);
          print_json (g_steal_pointer (&json));
        }
      else
        printf (_ ("%s: %u nodes, %" PRId64 " edges (streamed)\n"), opt_out,
                params.n_nodes, m);
      return EXIT_OK;
    }

  graph = philia_csbm_generate (&params, NULL, &error);
  if (graph == NULL)
    {
      fprintf (stderr, "philia-cli generate: %s\n", error->message);
      g_error_free (error);
      return EXIT_USAGE;
    }
  if (!philia_graph_write_npz (graph, opt_out, &error))
    return fail (error);
  h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 0, NULL, &error);
  if (h == NULL)
    return fail (error);

  if (opt_json)
    {
      g_autoptr(PhiliaJson) json = philia_json_new ();

      philia_json_begin_object (json);
      philia_json_member_string (json, "path", opt_out);
      philia_json_member_int (json, "nodes", philia_graph_get_n_nodes (graph));
      philia_json_member_int (json, "edges", philia_graph_get_n_edges (graph));
      philia_json_member_int (json, "features", philia_graph_get_n_features (graph));
      philia_json_member_int (json, "classes", philia_graph_get_n_classes (graph));
      philia_json_member_double (json, "edge_homophily", h->edge_homophily);
      philia_json_member_int (json, "seed", opt_seed);
      philia_json_end_object (json);
      print_json (g_steal_pointer (&json));
    }
  else
    printf (_ ("%s: %u nodes, %" PRId64 " edges, edge homophily %.4f\n"), opt_out,
            philia_graph_get_n_nodes (graph), (gint64)philia_graph_get_n_edges (graph),
            h->edge_homophily);
  return EXIT_OK;
}
