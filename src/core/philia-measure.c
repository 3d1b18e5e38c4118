/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "philia-core.h"
#include "philia-builtins-private.h"

double *
philia_measure_compute (const PhiliaAlgorithm  *algorithm,
                        PhiliaGraph            *graph,
                        gsize                  *n_values,
                        GCancellable           *cancellable,
                        GError                **error)
{
  const PhiliaMeasureVTable *vtable;
  g_autofree double *out = NULL;
  gsize n;

  g_return_val_if_fail (algorithm != NULL, NULL);
  g_return_val_if_fail (algorithm->family == PHILIA_FAMILY_MEASURE, NULL);
  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);

  vtable = algorithm->vtable;
  n = vtable->scope == PHILIA_MEASURE_NODE ? philia_graph_get_n_nodes (graph) : 1;
  out = g_new (double, MAX (n, 1));
  if (!vtable->compute (graph, out, algorithm->vtable_data, cancellable, error))
    return NULL;
  if (n_values)
    *n_values = n;
  return g_steal_pointer (&out);
}

/* Built-ins: each runs the one-pass computation and keeps its part. */

typedef enum
{
  EDGE, NODE, CLASS, ADJUSTED, INFORMATIVENESS, FEATURES_EDGES, FEATURES_RANDOM, LOCAL, DEGREE,
} Which;

static gboolean
builtin_compute (PhiliaGraph   *graph,
                 double        *out,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Which which = GPOINTER_TO_UINT (data);
  g_autoptr(PhiliaHomophily) h = NULL;
  guint n = philia_graph_get_n_nodes (graph);

  if (which == DEGREE)
    {
      for (guint v = 0; v < n; v++)
        out[v] = philia_graph_get_degree (graph, v);
      return TRUE;
    }

  h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 0, cancellable, error);
  if (h == NULL)
    return FALSE;

  switch (which)
    {
    case EDGE:            out[0] = h->edge_homophily; break;
    case NODE:            out[0] = h->node_homophily; break;
    case CLASS:           out[0] = h->class_homophily; break;
    case ADJUSTED:        out[0] = h->adjusted_homophily; break;
    case INFORMATIVENESS: out[0] = h->label_informativeness; break;
    case FEATURES_EDGES:  out[0] = h->feature_similarity_edges; break;
    case FEATURES_RANDOM: out[0] = h->feature_similarity_random; break;
    case LOCAL:           memcpy (out, h->local_homophily, sizeof (double) * n); break;
    case DEGREE:
    default:              g_assert_not_reached ();
    }
  return TRUE;
}

static const PhiliaMeasureVTable graph_vtable = { PHILIA_MEASURE_GRAPH, builtin_compute };
static const PhiliaMeasureVTable node_vtable = { PHILIA_MEASURE_NODE, builtin_compute };

void
_philia_measures_register (PhiliaRegistry *registry)
{
#define M(id, name, desc, vt, which) \
  { id, PHILIA_FAMILY_MEASURE, name, desc, PHILIA_PROVIDER_BUILTIN, &vt, GUINT_TO_POINTER (which) }
  const PhiliaAlgorithm measures[] = {
    M ("edge-homophily", "Edge homophily",
       N_ ("Share of edges whose two ends have the same label."), graph_vtable, EDGE),
    M ("node-homophily", "Node homophily",
       N_ ("Mean over nodes of the share of same-label neighbours."), graph_vtable, NODE),
    M ("class-homophily", "Class-insensitive homophily",
       N_ ("LINKX's class-balanced homophily: excess same-class edge share per class, averaged."),
       graph_vtable, CLASS),
    M ("adjusted-homophily", "Adjusted homophily",
       N_ ("Edge homophily corrected for the degree-weighted class mix (0 = chance)."),
       graph_vtable, ADJUSTED),
    M ("label-informativeness", "Label informativeness",
       N_ ("How much a neighbour's label tells about a node's: I(y_u; y_v) / H(y_u)."),
       graph_vtable, INFORMATIVENESS),
    M ("feature-similarity-edges", "Feature similarity (edges)",
       N_ ("Mean cosine similarity of the features of linked nodes."), graph_vtable,
       FEATURES_EDGES),
    M ("feature-similarity-random", "Feature similarity (random pairs)",
       N_ ("Mean cosine similarity over random node pairs: the baseline."), graph_vtable,
       FEATURES_RANDOM),
    M ("local-homophily", "Local homophily",
       N_ ("Per node: the share of its labeled neighbours with its label."), node_vtable, LOCAL),
    M ("degree", "Degree", N_ ("Per node: neighbours in the simple undirected graph."), node_vtable,
       DEGREE),
  };
#undef M
  g_autoptr(GError) error = NULL;

  if (!philia_registry_add_all (registry, measures, G_N_ELEMENTS (measures), &error))
    g_critical ("Built-in measures: %s", error->message);
}
