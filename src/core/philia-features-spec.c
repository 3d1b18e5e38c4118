/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Feature sets named by a short spec ("ahat:2", "degree", "random:64:1") or a
 * file: one grammar for the CLI's --features and the app's Derive dialog. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-features.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Â^k X for k above this is indistinguishable from the stationary vector on
 * any connected graph Philia loads, and costs k passes over the edges. */
#define MAX_PROPAGATION 64
#define MAX_RANDOM_DIM  65536
#define DEFAULT_MAX_DEGREE 32

static gboolean
parse_uint (const char *text,
            guint64     max,
            guint64    *out)
{
  char *end = NULL;
  guint64 v;

  if (text == NULL || !g_ascii_isdigit (text[0]))
    return FALSE;
  errno = 0;
  v = g_ascii_strtoull (text, &end, 10);
  if (errno != 0 || *end != '\0' || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

static PhiliaFeatureSet *
bad_spec (const char  *spec,
          const char  *why,
          GError     **error)
{
  g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
               _ ("Feature set “%s”: %s"), spec, why);
  return NULL;
}

gboolean
philia_feature_spec_is_derived (const char *spec)
{
  return g_str_equal (spec, "original") || g_str_equal (spec, "degree")
         || g_str_has_prefix (spec, "ahat:") || g_str_has_prefix (spec, "degree:")
         || g_str_has_prefix (spec, "random:");
}

PhiliaFeatureSet *
philia_feature_set_from_spec (PhiliaGraph *graph,
                              const char  *spec,
                              GError     **error)
{
  guint n = philia_graph_get_n_nodes (graph);
  g_auto(GStrv) parts = NULL;
  guint n_parts;

  g_return_val_if_fail (spec != NULL, NULL);

  if (!philia_feature_spec_is_derived (spec))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (spec);
      const char *colon = strrchr (spec, ':');

      /* FILE.npz:MEMBER, unless a file is called that. */
      if (colon != NULL && colon[1] != '\0' && !g_file_test (spec, G_FILE_TEST_EXISTS))
        {
          g_autofree char *path = g_strndup (spec, colon - spec);

          if (g_str_has_suffix (path, ".npz") && g_file_test (path, G_FILE_TEST_IS_REGULAR))
            {
              g_autoptr(GFile) npz = g_file_new_for_commandline_arg (path);

              return philia_feature_set_load_member (npz, colon + 1, n, error);
            }
        }
      return philia_feature_set_load (file, n, error);
    }
  parts = g_strsplit (spec, ":", -1);
  n_parts = g_strv_length (parts);
  if (g_str_equal (parts[0], "original") || g_str_equal (parts[0], "ahat"))
    {
      g_autoptr(PhiliaFeatureSet) x = philia_feature_set_original (graph);
      guint64 k = 0;
      PhiliaFeatureSet *set;

      if (g_str_equal (parts[0], "ahat")
          && (n_parts != 2 || !parse_uint (parts[1], MAX_PROPAGATION, &k)))
        return bad_spec (spec, "write ahat:K with K a whole number from 0 to 64 (Â^K X).",
                         error);
      if (x == NULL)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("Feature set “%s”: %s has no node features to start from."), spec,
                       philia_graph_get_source (graph));
          return NULL;
        }
      if (g_str_equal (parts[0], "original"))
        return g_steal_pointer (&x);
      set = philia_feature_set_propagated (graph, x, (guint)k);
      g_free (set->name);
      set->name = g_strdup_printf ("Â^%u X", (guint)k);
      return set;
    }
  if (g_str_equal (parts[0], "degree"))
    {
      guint64 max = 0;

      if (n_parts > 2 || (n_parts == 2 && !parse_uint (parts[1], 100000, &max)))
        return bad_spec (spec, "write degree or degree:MAX with MAX a whole number up to "
                         "100000 (higher degrees share the last column).", error);
      if (n_parts == 1)
        {
          const gint64 *off = philia_graph_get_row_offsets (graph);

          for (guint v = 0; v < n; v++)
            max = MAX (max, (guint64)(off[v + 1] - off[v]));
          max = MIN (max, DEFAULT_MAX_DEGREE);
        }
      return philia_feature_set_degree (graph, (guint)max);
    }
  /* random:DIM[:SEED] */
  {
    guint64 dim = 0, seed = 0;
    PhiliaFeatureSet *set;

    if (n_parts < 2 || n_parts > 3 || !parse_uint (parts[1], MAX_RANDOM_DIM, &dim) || dim == 0
        || (n_parts == 3 && !parse_uint (parts[2], G_MAXUINT64, &seed)))
      return bad_spec (spec, "write random:DIM or random:DIM:SEED with DIM from 1 to 65536 "
                       "and SEED a whole number.", error);
    if (dim > G_MAXINT32 / MAX (n, 1))
      return bad_spec (spec, "too many columns for this graph.", error);
    set = philia_feature_set_random (graph, (guint)dim, seed);
    g_free (set->name);
    set->name = g_strdup_printf ("random %u", (guint)dim);
    return set;
  }
}
