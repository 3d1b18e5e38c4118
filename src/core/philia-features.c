/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Feature sets: imported and derived feature matrices of a graph. */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "philia-core.h"
#include "philia-features.h"
#include "philia-features-private.h"
#include "philia-npz-private.h"

#include <math.h>
#include <string.h>

PhiliaFeatureSet *
philia_feature_set_new (const char *name,
                        const char *origin,
                        guint       n_rows,
                        guint       n_cols,
                        float      *data)
{
  PhiliaFeatureSet *set = g_new0 (PhiliaFeatureSet, 1);

  set->name = g_strdup (name);
  set->origin = g_strdup (origin);
  set->n_rows = n_rows;
  set->n_cols = n_cols;
  set->data = data != NULL ? data : g_new0 (float, MAX ((gsize)n_rows * n_cols, 1));
  return set;
}

void
philia_feature_set_free (PhiliaFeatureSet *set)
{
  if (set == NULL)
    return;
  g_free (set->name);
  g_free (set->origin);
  g_free (set->data);
  g_free (set);
}

static double
element (const PhiliaArray *a,
         gsize              i)
{
  switch (a->dtype)
    {
    case PHILIA_DTYPE_BOOL:
    case PHILIA_DTYPE_UINT8:   return ((const guint8 *)a->data)[i];
    case PHILIA_DTYPE_INT8:    return ((const gint8 *)a->data)[i];
    case PHILIA_DTYPE_INT16:   return ((const gint16 *)a->data)[i];
    case PHILIA_DTYPE_UINT16:  return ((const guint16 *)a->data)[i];
    case PHILIA_DTYPE_INT32:   return ((const gint32 *)a->data)[i];
    case PHILIA_DTYPE_UINT32:  return ((const guint32 *)a->data)[i];
    case PHILIA_DTYPE_INT64:   return (double)((const gint64 *)a->data)[i];
    case PHILIA_DTYPE_UINT64:  return (double)((const guint64 *)a->data)[i];
    case PHILIA_DTYPE_FLOAT32: return ((const float *)a->data)[i];
    case PHILIA_DTYPE_FLOAT64: return ((const double *)a->data)[i];
    case PHILIA_DTYPE_UNICODE:
    default:                   g_assert_not_reached ();
    }
  return 0;
}

/* The 2-D members of an .npz, in file order (a new list). */
static GPtrArray *
npz_2d_members (PhiliaNpz  *npz,
                GError    **error)
{
  g_auto(GStrv) names = _philia_npz_list_members (npz);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(PhiliaArray) a = philia_npz_read_array (npz, names[i], NULL, error);

      if (a == NULL)
        return NULL;
      if (a->ndim == 2)
        g_ptr_array_add (found, g_strdup (names[i]));
    }
  return g_steal_pointer (&found);
}

/* The 2-D member @wanted of an .npz (NULL: the only one), or why not. */
static PhiliaArray *
read_npz_member (GBytes      *bytes,
                 const char  *display,
                 const char  *wanted,
                 char       **member,
                 GError     **error)
{
  g_autoptr(PhiliaNpz) npz = philia_npz_new_from_bytes (bytes, display, error);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GString) list = g_string_new (NULL);

  if (npz == NULL || (names = npz_2d_members (npz, error)) == NULL)
    return NULL;
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (list, "%s“%s”", i > 0 ? ", " : "", (char *) names->pdata[i]);
  if (wanted != NULL)
    {
      for (guint i = 0; i < names->len; i++)
        if (g_str_equal (names->pdata[i], wanted))
          {
            *member = g_strdup (wanted);
            return philia_npz_read_array (npz, wanted, NULL, error);
          }
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_NOT_FOUND,
                   _ ("%s has no 2-D array called “%s”; its 2-D arrays: %s."), display, wanted,
                   names->len > 0 ? list->str : _ ("none"));
      return NULL;
    }
  if (names->len == 1)
    {
      *member = g_strdup (names->pdata[0]);
      return philia_npz_read_array (npz, *member, NULL, error);
    }
  if (names->len > 1)
    g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                 _ ("%s holds more than one 2-D array (%s); name the one to use as "
                    "%s:%s."), display, list->str, display, (char *) names->pdata[0]);
  else
    g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                 _ ("%s holds no 2-D array; a feature file must hold exactly one."), display);
  return NULL;
}

char **
philia_feature_file_list_members (GFile   *file,
                                  GError **error)
{
  g_autofree char *display = g_file_get_parse_name (file);
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, error);
  g_autoptr(PhiliaNpz) npz = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const guint8 *data;
  gsize size;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  if (size < 4 || memcmp (data, "PK\003\004", 4) != 0)
    return g_new0 (char *, 1);
  npz = philia_npz_new_from_bytes (bytes, display, error);
  if (npz == NULL || (names = npz_2d_members (npz, error)) == NULL)
    return NULL;
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

PhiliaFeatureSet *
philia_feature_set_load (GFile   *file,
                         guint    n_nodes,
                         GError **error)
{
  return philia_feature_set_load_member (file, NULL, n_nodes, error);
}

PhiliaFeatureSet *
philia_feature_set_load_member (GFile      *file,
                                const char *wanted,
                                guint       n_nodes,
                                GError    **error)
{
  g_autofree char *display = g_file_get_parse_name (file);
  g_autofree char *base = g_file_get_basename (file);
  g_autofree char *member = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PhiliaArray) a = NULL;
  const guint8 *data;
  gsize size;
  float *x;

  bytes = g_file_load_bytes (file, NULL, NULL, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  if (size >= 4 && memcmp (data, "PK\003\004", 4) == 0)
    a = read_npz_member (bytes, display, wanted, &member, error);
  else if (size >= 6 && memcmp (data, "\223NUMPY", 6) == 0)
    a = philia_npy_parse (data, size, display, error);
  else if (g_str_has_suffix (base, ".csv") || g_str_has_suffix (base, ".CSV"))
    return _philia_feature_set_parse_csv ((const char *) data, size, display, base, n_nodes,
                                          error);
  else
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s is neither an .npy, an .npz nor a .csv file; features are read from "
                      "one 2-D array in the first two, or rows of comma-separated numbers."),
                   display);
      return NULL;
    }
  if (a == NULL)
    return NULL;
  if (a->ndim != 2 || a->dtype == PHILIA_DTYPE_UNICODE)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s holds a %u-D %s array; features must be a 2-D numeric array "
                      "(one row per node)."), display, a->ndim, philia_dtype_to_string (a->dtype));
      return NULL;
    }
  if (a->shape[0] != (gint64)n_nodes)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s has %" PRId64 " rows but the graph has %u nodes; a feature "
                      "matrix needs one row per node."), display, a->shape[0], n_nodes);
      return NULL;
    }
  if (a->shape[1] > G_MAXINT32 / MAX (n_nodes, 1))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s has %" PRId64 " columns, too many to hold."), display,
                   a->shape[1]);
      return NULL;
    }
  x = g_new (float, MAX (a->n_elements, 1));
  for (gint64 i = 0; i < a->n_elements; i++)
    {
      double v = element (a, i);

      if (!isfinite (v) || fabs (v) > G_MAXFLOAT)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("%s has a value that is not a finite float (row %" PRId64
                          ", column %" PRId64 ")."), display, i / a->shape[1],
                       i % a->shape[1]);
          g_free (x);
          return NULL;
        }
      x[i] = (float)v;
    }
  {
    g_autofree char *name = member != NULL ? g_strdup_printf ("%s:%s", base, member)
                                           : g_strdup (base);

    return philia_feature_set_new (name, display, n_nodes, (guint)a->shape[1], x);
  }
}

PhiliaFeatureSet *
philia_feature_set_original (PhiliaGraph *graph)
{
  guint n = philia_graph_get_n_nodes (graph), f = philia_graph_get_n_features (graph);

  if (f == 0 || philia_graph_get_features (graph) == NULL)
    return NULL;
  return philia_feature_set_new ("original", philia_graph_get_source (graph), n, f,
                                 g_memdup2 (philia_graph_get_features (graph),
                                            sizeof (float) * n * f));
}

PhiliaFeatureSet *
philia_feature_set_propagated (PhiliaGraph            *graph,
                               const PhiliaFeatureSet *x,
                               guint                   k)
{
  guint n = philia_graph_get_n_nodes (graph), f = x->n_cols;
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nb = philia_graph_get_neighbors (graph);
  g_autofree double *scale = g_new (double, MAX (n, 1));
  g_autofree double *cur = g_new (double, MAX ((gsize)n * f, 1));
  g_autofree double *next = g_new (double, MAX ((gsize)n * f, 1));
  g_autofree char *name = g_strdup_printf ("Â^%u %s", k, x->name);
  g_autofree char *origin = g_strdup_printf ("%s propagated %u times over D^-1/2 (A+I) D^-1/2",
                                             x->name, k);
  float *out;

  g_return_val_if_fail (x->n_rows == n, NULL);
  for (guint v = 0; v < n; v++)
    scale[v] = 1.0 / sqrt ((double)(off[v + 1] - off[v]) + 1);
  for (gsize i = 0; i < (gsize)n * f; i++)
    cur[i] = x->data[i];
  for (guint step = 0; step < k; step++)
    {
      for (guint v = 0; v < n; v++)
        {
          double *dst = next + (gsize)v * f;
          const double *self = cur + (gsize)v * f;

          for (guint j = 0; j < f; j++)
            dst[j] = scale[v] * scale[v] * self[j];
          for (gint64 e = off[v]; e < off[v + 1]; e++)
            {
              const double *src = cur + (gsize)nb[e] * f;
              double w = scale[v] * scale[nb[e]];

              for (guint j = 0; j < f; j++)
                dst[j] += w * src[j];
            }
        }
      { double *t = cur; cur = next; next = t; }
    }
  out = g_new (float, MAX ((gsize)n * f, 1));
  for (gsize i = 0; i < (gsize)n * f; i++)
    out[i] = (float)cur[i];
  return philia_feature_set_new (name, origin, n, f, out);
}

PhiliaFeatureSet *
philia_feature_set_degree (PhiliaGraph *graph,
                           guint        max_degree)
{
  guint n = philia_graph_get_n_nodes (graph), f = max_degree + 1;
  const gint64 *off = philia_graph_get_row_offsets (graph);
  float *x = g_new0 (float, MAX ((gsize)n * f, 1));
  g_autofree char *origin = g_strdup_printf ("one-hot degree, degrees above %u in the last "
                                             "column", max_degree);

  for (guint v = 0; v < n; v++)
    x[(gsize)v * f + MIN ((guint64)(off[v + 1] - off[v]), max_degree)] = 1;
  return philia_feature_set_new ("degree", origin, n, f, x);
}

PhiliaFeatureSet *
philia_feature_set_random (PhiliaGraph *graph,
                           guint        dim,
                           guint64      seed)
{
  guint n = philia_graph_get_n_nodes (graph);
  float *x = g_new (float, MAX ((gsize)n * dim, 1));
  g_autofree char *origin = g_strdup_printf ("uniform in [0, 1), %u columns, seed %"
                                             G_GUINT64_FORMAT, dim, seed);
  PhiliaRng rng;

  philia_rng_init (&rng, seed);
  for (gsize i = 0; i < (gsize)n * dim; i++)
    x[i] = philia_rng_float (&rng);
  return philia_feature_set_new ("random", origin, n, dim, x);
}

PhiliaGraph *
philia_graph_with_feature_set (PhiliaGraph            *graph,
                               const PhiliaFeatureSet *set)
{
  g_return_val_if_fail (set->n_rows == philia_graph_get_n_nodes (graph), NULL);

  return philia_graph_copy_with_features (graph,
                                          set->n_cols > 0
                                          ? g_memdup2 (set->data,
                                                       sizeof (float) * set->n_rows * set->n_cols)
                                          : NULL, set->n_cols);
}
