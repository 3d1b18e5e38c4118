/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What every libFuzzer target of tests/fuzz shares: the core set up as the
 * application sets it up (igraph on its own thread, non-aborting handlers),
 * GLib warnings and criticals made fatal (the core never prints, so one is a
 * bug), and the checks every refusal must pass: a PhiliaError whose one-line
 * message names the file and ends with a full stop.
 */
#pragma once

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "philia-core.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static inline void
fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  philia_core_init ();
}

/* Aborts (a finding) unless @error is a well-formed refusal of @name: one
 * UTF-8 line in PHILIA_ERROR ending in a full stop, naming @name when
 * @names_file (a refusal to use what loaded, e.g. a model on a graph, is
 * about the pair and need not name the file). */
static inline void
fuzz_check_message (const GError *error,
                    const char   *name,
                    gboolean      names_file)
{
  const char *message;
  gsize len;

  if (error == NULL)
    {
      fprintf (stderr, "fuzz: %s: NULL returned without an error\n", name);
      abort ();
    }
  message = error->message;
  len = message != NULL ? strlen (message) : 0;
  if (error->domain != PHILIA_ERROR)
    {
      fprintf (stderr, "fuzz: %s: error outside PHILIA_ERROR (%s %d): %s\n", name,
               g_quark_to_string (error->domain), error->code, message);
      abort ();
    }
  if (len < 2 || message[len - 1] != '.' || strchr (message, '\n') != NULL
      || strchr (message, '\r') != NULL || !g_utf8_validate (message, -1, NULL)
      || (names_file && strstr (message, name) == NULL))
    {
      fprintf (stderr, "fuzz: %s: malformed message (not one UTF-8 line naming the file "
               "and ending in a full stop): «%s»\n", name, message ? message : "(null)");
      abort ();
    }
}

static inline void
fuzz_check_refusal (const GError *error,
                    const char   *name)
{
  fuzz_check_message (error, name, TRUE);
}

/* What `philia-cli info` and `stats` do with a graph that loaded. */
static inline void
fuzz_use_graph (PhiliaGraph *graph,
                const char  *name)
{
  g_autoptr(PhiliaHomophily) h = NULL;
  g_autoptr(GError) error = NULL;
  const PhiliaSanityReport *report = philia_graph_get_sanity_report (graph);

  if (report->largest_component > philia_graph_get_n_nodes (graph))
    {
      fprintf (stderr, "fuzz: %s: largest component above the node count\n", name);
      abort ();
    }
  h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 1, NULL, &error);
  if (h == NULL)
    fuzz_check_refusal (error, name);
}

/* Loads @data as @format through the public in-memory entry. */
static inline void
fuzz_load_bytes (const uint8_t *data,
                 size_t         size,
                 const char    *name,
                 PhiliaFormat   format)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;

  graph = philia_graph_load_bytes (bytes, name, format, NULL, NULL, &error);
  if (graph == NULL)
    fuzz_check_refusal (error, name);
  else
    fuzz_use_graph (graph, name);
}
