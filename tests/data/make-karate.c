/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Writes import/karate.graphml: Zachary's karate club with each member's
 * faction after the split as a string attribute "club".
 *
 * Edges: igraph_famous ("Zachary"). Factions: W. W. Zachary, "An information
 * flow model for conflict and fission in small groups", Journal of
 * Anthropological Research 33 (4), 452-473, 1977 -- the members who joined
 * Mr. Hi's club after the fission; everyone else stayed with the officers.
 *
 * Build and run by hand when the file must change (it is committed):
 *   cc make-karate.c $(pkg-config --cflags --libs igraph) -o make-karate
 *   ./make-karate > import/karate.graphml
 */
#include <stdio.h>
#include <igraph.h>

/* 0-based members of Mr. Hi's faction; the other 17 are the officers'. */
static const int mr_hi[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 16, 17, 19, 21 };

static int
is_mr_hi (int v)
{
  for (size_t i = 0; i < sizeof mr_hi / sizeof mr_hi[0]; i++)
    if (mr_hi[i] == v)
      return 1;
  return 0;
}

int
main (void)
{
  igraph_t graph;

  if (igraph_famous (&graph, "Zachary") != IGRAPH_SUCCESS)
    return 1;

  printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<!-- Zachary's karate club. Edges as in igraph_famous (\"Zachary\"); \"club\" is\n"
          "     the faction each member joined, from W. W. Zachary, \"An information flow\n"
          "     model for conflict and fission in small groups\", J. Anthropological\n"
          "     Research 33 (4), 1977. Written by tests/data/make-karate.c. -->\n"
          "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
          "  <key id=\"club\" for=\"node\" attr.name=\"club\" attr.type=\"string\"/>\n"
          "  <graph id=\"karate\" edgedefault=\"undirected\">\n");
  for (int v = 0; v < igraph_vcount (&graph); v++)
    printf ("    <node id=\"n%d\"><data key=\"club\">%s</data></node>\n",
            v, is_mr_hi (v) ? "Mr. Hi" : "Officer");
  for (igraph_integer_t e = 0; e < igraph_ecount (&graph); e++)
    {
      igraph_integer_t from, to;

      igraph_edge (&graph, e, &from, &to);
      printf ("    <edge source=\"n%d\" target=\"n%d\"/>\n", (int)from, (int)to);
    }
  printf ("  </graph>\n</graphml>\n");

  igraph_destroy (&graph);
  return 0;
}
