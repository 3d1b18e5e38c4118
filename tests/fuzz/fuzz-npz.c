/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the input is read as a .npz archive (the zip container,
 * its .npy members, the dataset layout) by philia_graph_load_bytes(), the
 * path the application takes; a graph that loads then goes through stats.
 * Mutations rarely keep a member's CRC-32 right, so fuzz-npz-members drives
 * the layer behind the CRC check. */
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
  fuzz_load_bytes (data, size, "graph.npz", PHILIA_FORMAT_NPZ);
  return 0;
}
