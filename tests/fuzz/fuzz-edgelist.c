/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the input is read as an edge list by philia_graph_load_bytes(),
 * the path the application takes; a graph that loads then goes through stats. */
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_load_bytes (data, size, "graph.txt", PHILIA_FORMAT_EDGELIST);
  return 0;
}
