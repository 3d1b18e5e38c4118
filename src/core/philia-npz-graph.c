/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "philia-import-private.h"

#include <math.h>
#include <string.h>

#include "philia-npz-private.h"

/*
 * The .npz dataset layout (HACKING.md §4): node_features [N, F], node_labels [N],
 * edges [E, 2], train/val/test_masks [S, N] or [N]; optionally class_names [C]
 * and node_names [N] as text. Every shape is checked
 * against N and every id against [0, N) here, so that errors name the member;
 * the builder checks again.
 */

#define MEMBER_FEATURES "node_features"
#define MEMBER_LABELS   "node_labels"
#define MEMBER_EDGES    "edges"
#define MEMBER_CLASSES  "class_names"
#define MEMBER_NAMES    "node_names"

static const char * const mask_members[3] = { "train_masks", "val_masks", "test_masks" };

typedef struct
{
  PhiliaProgress *progress;
  guint64         total;
  guint64         base;
  const char     *display_name;
} ProgressState;

static void
report_progress (gpointer user_data,
                 guint64  bytes_done)
{
  ProgressState *state = user_data;

  /* The last tenth is the builder's. */
  if (state->progress != NULL && state->total > 0)
    philia_progress_update (state->progress,
                            0.9 * (double)(state->base + bytes_done) / (double)state->total,
                            NULL);
}

static PhiliaArray *
read_member (PhiliaNpz      *npz,
             const char     *name,
             ProgressState  *state,
             GCancellable   *cancellable,
             GError        **error)
{
  PhiliaArray *array;

  array = _philia_npz_read_array_full (npz, name, cancellable, report_progress, state, error);
  state->base += _philia_npz_get_member_size (npz, name);
  if (array != NULL && array->dtype == PHILIA_DTYPE_UNICODE)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   _ ("%s: member “%s.npy” holds text (dtype “<U%zu”), but a "
                      "numeric array is expected."),
                   state->display_name, name, array->itemsize / 4);
      philia_array_free (array);
      return NULL;
    }
  return array;
}

static char *
format_shape (const PhiliaArray *array)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < array->ndim; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "", array->shape[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static gboolean
dtype_is_integer (PhiliaDtype dtype)
{
  return dtype != PHILIA_DTYPE_BOOL && dtype != PHILIA_DTYPE_FLOAT32 &&
         dtype != PHILIA_DTYPE_FLOAT64;
}

static gboolean
dtype_is_float (PhiliaDtype dtype)
{
  return dtype == PHILIA_DTYPE_FLOAT32 || dtype == PHILIA_DTYPE_FLOAT64;
}

/* Element i of any numeric array as a double (exact for every integer up to 2^53,
 * and only used where that is enough). */
static inline double
value_as_double (const PhiliaArray *a,
                 gsize              i)
{
  switch (a->dtype)
    {
    case PHILIA_DTYPE_BOOL:
    case PHILIA_DTYPE_UINT8:   return ((const guint8 *)a->data)[i];
    case PHILIA_DTYPE_INT8:    return ((const gint8 *)a->data)[i];
    case PHILIA_DTYPE_INT16:   return ((const gint16 *)a->data)[i];
    case PHILIA_DTYPE_INT32:   return ((const gint32 *)a->data)[i];
    case PHILIA_DTYPE_INT64:   return (double)((const gint64 *)a->data)[i];
    case PHILIA_DTYPE_UINT16:  return ((const guint16 *)a->data)[i];
    case PHILIA_DTYPE_UINT32:  return ((const guint32 *)a->data)[i];
    case PHILIA_DTYPE_UINT64:  return (double)((const guint64 *)a->data)[i];
    case PHILIA_DTYPE_FLOAT32: return ((const float *)a->data)[i];
    case PHILIA_DTYPE_FLOAT64: return ((const double *)a->data)[i];
    default:                   g_assert_not_reached ();
    }
  return 0;
}

/*
 * Converts ids or labels to a new gint64 array (or steals an int64 one).
 * Floats are accepted when every value is integral, so that a file written
 * from a float tensor still loads but 2.5 is never read as 2. @row_width is
 * 2 for edges, so that errors report the row.
 */
static gint64 *
take_int64 (PhiliaArray  *array,
            const char   *display_name,
            const char   *member,
            guint         row_width,
            GError      **error)
{
  gsize n = (gsize)array->n_elements;
  g_autofree gint64 *out = NULL;

  if (array->dtype == PHILIA_DTYPE_INT64)
    return g_steal_pointer (&array->data);

  if (array->dtype == PHILIA_DTYPE_BOOL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   _ ("%s: member “%s.npy” holds booleans, but integers are expected."),
                   display_name, member);
      return NULL;
    }

  out = g_try_new (gint64, MAX (n, 1));
  if (out == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FAILED,
                   _ ("%s: member “%s.npy” is too large for the memory available."),
                   display_name, member);
      return NULL;
    }

  if (array->dtype == PHILIA_DTYPE_UINT64)
    {
      const guint64 *in = array->data;

      for (gsize i = 0; i < n; i++)
        {
          if (in[i] > (guint64)G_MAXINT64)
            {
              g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                           _ ("%s: member “%s.npy” has the value %" PRIu64
                              " in row %zu, which is far too large."),
                           display_name, member, in[i], i / row_width);
              return NULL;
            }
          out[i] = (gint64)in[i];
        }
    }
  else if (dtype_is_float (array->dtype))
    {
      for (gsize i = 0; i < n; i++)
        {
          double v = value_as_double (array, i);

          /* 2^62 keeps the cast exact and far beyond any node count. */
          if (!isfinite (v) || v != floor (v) || fabs (v) > 4.6e18)
            {
              g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                           _ ("%s: member “%s.npy” has the value %g in row %zu, but whole "
                              "numbers are expected (its dtype is %s)."),
                           display_name, member, v, i / row_width,
                           philia_dtype_to_string (array->dtype));
              return NULL;
            }
          out[i] = (gint64)v;
        }
    }
  else
    {
      for (gsize i = 0; i < n; i++)
        out[i] = (gint64)value_as_double (array, i);
    }

  return g_steal_pointer (&out);
}

static PhiliaArray *
read_labels (PhiliaNpz      *npz,
             const char     *display_name,
             ProgressState  *state,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autoptr(PhiliaArray) labels = NULL;

  labels = read_member (npz, MEMBER_LABELS, state, cancellable, error);
  if (labels == NULL)
    return NULL;
  if (labels->ndim != 1)
    {
      g_autofree char *shape = format_shape (labels);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: member “%s.npy” has shape %s, but the expected shape is [N] "
                      "(one class id per node)."), display_name, MEMBER_LABELS, shape);
      return NULL;
    }
  if (!dtype_is_integer (labels->dtype) && !dtype_is_float (labels->dtype))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   _ ("%s: member “%s.npy” holds %s values, but class ids must be integers."),
                   display_name, MEMBER_LABELS, philia_dtype_to_string (labels->dtype));
      return NULL;
    }
  return g_steal_pointer (&labels);
}

static float *
take_features (PhiliaArray  *features,
               const char   *display_name,
               GError      **error)
{
  gsize n = (gsize)features->n_elements;
  float *out;

  if (features->dtype == PHILIA_DTYPE_FLOAT32)
    return g_steal_pointer (&features->data);

  out = g_try_new (float, MAX (n, 1));
  if (out == NULL)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FAILED,
                   _ ("%s: member “%s.npy” is too large for the memory available."),
                   display_name, MEMBER_FEATURES);
      return NULL;
    }
  if (features->dtype == PHILIA_DTYPE_FLOAT64)
    {
      const double *in = features->data;

      for (gsize i = 0; i < n; i++)
        out[i] = (float)in[i];
    }
  else
    {
      for (gsize i = 0; i < n; i++)
        out[i] = (float)value_as_double (features, i);
    }
  return out;
}

/* Reads the three masks as guint8 0/1 arrays of [S, n]; S = 0 if absent. */
static gboolean
read_masks (PhiliaNpz      *npz,
            const char     *display_name,
            guint           n,
            ProgressState  *state,
            GCancellable   *cancellable,
            guint          *n_splits,
            guint8        **out_masks,
            GError        **error)
{
  g_autoptr(PhiliaArray) train = NULL;
  g_autoptr(PhiliaArray) val = NULL;
  g_autoptr(PhiliaArray) test = NULL;
  PhiliaArray **masks[3] = { &train, &val, &test };
  guint present = 0;
  gint64 s;

  *n_splits = 0;
  for (guint k = 0; k < 3; k++)
    present += philia_npz_has_member (npz, mask_members[k]) ? 1 : 0;
  if (present == 0)
    return TRUE;
  if (present < 3)
    {
      GString *missing = g_string_new (NULL);
      g_autofree char *list = NULL;

      for (guint k = 0; k < 3; k++)
        if (!philia_npz_has_member (npz, mask_members[k]))
          g_string_append_printf (missing, "%s“%s.npy”", missing->len ? " and " : "",
                                  mask_members[k]);
      list = g_string_free (missing, FALSE);
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s: the split masks are incomplete (%s %s missing); give all three of "
                      "train_masks, val_masks and test_masks, or none."),
                   display_name, list, present == 2 ? "is" : "are");
      return FALSE;
    }

  for (guint k = 0; k < 3; k++)
    {
      PhiliaArray *a;
      gint64 cols;

      *masks[k] = read_member (npz, mask_members[k], state, cancellable, error);
      if (*masks[k] == NULL)
        return FALSE;
      a = *masks[k];
      if (a->dtype != PHILIA_DTYPE_BOOL && !dtype_is_integer (a->dtype))
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                       _ ("%s: member “%s.npy” holds %s values, but a mask must be bool "
                          "or 0/1 integers."), display_name, mask_members[k],
                       philia_dtype_to_string (a->dtype));
          return FALSE;
        }
      cols = a->ndim == 1 ? a->shape[0] : a->ndim == 2 ? a->shape[1] : -1;
      if (cols != (gint64)n)
        {
          g_autofree char *shape = format_shape (a);

          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("%s: member “%s.npy” has shape %s, but the expected shape is "
                          "[S, %u] or [%u] for a graph of %u nodes."),
                       display_name, mask_members[k], shape, n, n, n);
          return FALSE;
        }
      if (k > 0 && (a->ndim != train->ndim || a->n_elements != train->n_elements))
        {
          g_autofree char *shape = format_shape (a);
          g_autofree char *shape0 = format_shape (train);

          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("%s: member “%s.npy” has shape %s, but “%s.npy” has shape %s."),
                       display_name, mask_members[k], shape, mask_members[0], shape0);
          return FALSE;
        }
    }

  s = train->ndim == 1 ? 1 : train->shape[0];
  if (s > G_MAXUINT16)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   _ ("%s: member “%s.npy” holds %" PRId64 " splits; Philia reads at "
                      "most %u."), display_name, mask_members[0], s, (guint)G_MAXUINT16);
      return FALSE;
    }

  for (guint k = 0; k < 3; k++)
    {
      PhiliaArray *a = *masks[k];
      gsize total = (gsize)a->n_elements;

      if (a->dtype == PHILIA_DTYPE_BOOL || a->dtype == PHILIA_DTYPE_UINT8)
        {
          guint8 *v = a->data;

          for (gsize i = 0; i < total; i++)
            if (v[i] > 1)
              {
                if (a->dtype == PHILIA_DTYPE_BOOL)
                  v[i] = 1;
                else
                  goto not_binary;
              }
          out_masks[k] = g_steal_pointer (&a->data);
          continue;
        }

      out_masks[k] = g_malloc (MAX (total, 1));
      for (gsize i = 0; i < total; i++)
        {
          double v = value_as_double (a, i);

          if (v != 0 && v != 1)
            goto not_binary;
          out_masks[k][i] = (guint8)v;
        }
      continue;

not_binary:
      for (guint j = 0; j <= k; j++)
        g_clear_pointer (&out_masks[j], g_free);
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: member “%s.npy” holds values other than 0 and 1."),
                   display_name, mask_members[k]);
      return FALSE;
    }

  *n_splits = (guint)s;
  return TRUE;
}

/* The three masks read, freed on every way out until the builder takes them. */
typedef struct
{
  guint8 *parts[3];
} Masks;

static void
masks_clear (Masks *masks)
{
  for (guint k = 0; k < 3; k++)
    g_clear_pointer (&masks->parts[k], g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Masks, masks_clear)

/* Optional class_names and node_names: a 1-D text array (np.array of str),
 * name k for class k or node k; node_names has exactly @n entries (@n < 0:
 * any number). @what is "class" or "node". */
static gboolean
read_names (PhiliaNpz     *npz,
            const char    *display_name,
            const char    *member,
            const char    *what,
            gint64         n,
            GCancellable  *cancellable,
            char        ***out,
            GError       **error)
{
  g_autoptr(PhiliaArray) array = philia_npz_read_array (npz, member, cancellable, error);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  if (array == NULL)
    return FALSE;
  if (array->dtype != PHILIA_DTYPE_UNICODE || array->ndim != 1)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: member “%s.npy” must be a 1-D array of strings, one name per %s."),
                   display_name, member, what);
      return FALSE;
    }
  if (n >= 0 && array->n_elements != n)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: member “%s.npy” has %" PRId64 " names, but the graph has %"
                      PRId64 " nodes; it needs one name per node."),
                   display_name, member, array->n_elements, n);
      return FALSE;
    }
  for (gint64 k = 0; k < array->n_elements; k++)
    {
      g_autofree char *name = philia_array_dup_string (array, k);

      if (name == NULL)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("%s: %s name %" PRId64 " in “%s.npy” is not valid text."),
                       display_name, what, k, member);
          return FALSE;
        }
      g_strv_builder_add (names, name);
    }
  *out = g_strv_builder_end (names);
  return TRUE;
}

PhiliaGraphBuilder *
_philia_npz_read_graph (GBytes          *bytes,
                        const char      *display_name,
                        PhiliaProgress  *progress,
                        GCancellable    *cancellable,
                        GError         **error)
{
  return _philia_npz_read_nodes (bytes, display_name, TRUE, TRUE, progress, cancellable, error);
}

/**
 * _philia_npz_read_nodes:
 * @with_edges: read “edges.npy” (otherwise the graph has no edges, and the
 *   member is left to a streamed read)
 * @with_features: read the features (they are still read when the graph has
 *   no labels, since they then give the node count)
 *
 * _philia_npz_read_graph() with its largest members optional.
 */
PhiliaGraphBuilder *
_philia_npz_read_nodes (GBytes          *bytes,
                        const char      *display_name,
                        gboolean         with_edges,
                        gboolean         with_features,
                        PhiliaProgress  *progress,
                        GCancellable    *cancellable,
                        GError         **error)
{
  g_autoptr(PhiliaNpz) npz = NULL;
  g_autoptr(PhiliaGraphBuilder) builder = NULL;
  g_autoptr(PhiliaArray) labels_array = NULL;
  g_autoptr(PhiliaArray) features_array = NULL;
  g_autoptr(PhiliaArray) edges_array = NULL;
  g_autofree gint64 *labels = NULL;
  g_auto(GStrv) class_names = NULL;
  g_auto(GStrv) node_names = NULL;
  g_autofree float *features = NULL;
  g_autofree gint64 *edges = NULL;
  g_auto(Masks) masks = { { NULL, NULL, NULL } };
  ProgressState state = { progress, 0, 0, display_name };
  gboolean has_labels, has_features;
  gint64 n = -1;
  guint n_features = 0;
  guint n_splits = 0;
  gsize n_edges;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  npz = philia_npz_new_from_bytes (bytes, display_name, error);
  if (npz == NULL)
    return NULL;

  has_labels = philia_npz_has_member (npz, MEMBER_LABELS);
  has_features = philia_npz_has_member (npz, MEMBER_FEATURES);
  if (!philia_npz_has_member (npz, MEMBER_EDGES) || (!has_labels && !has_features))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_FORMAT,
                   _ ("%s: the archive has no “%s.npy”; a Philia .npz dataset needs "
                      "“edges.npy” and at least one of “node_labels.npy” and "
                      "“node_features.npy”."), display_name,
                   !philia_npz_has_member (npz, MEMBER_EDGES) ? MEMBER_EDGES :
                   MEMBER_LABELS);
      return NULL;
    }

  if (!with_features && has_labels)
    has_features = FALSE;
  state.total = _philia_npz_get_member_size (npz, MEMBER_EDGES) +
                _philia_npz_get_member_size (npz, MEMBER_LABELS) +
                _philia_npz_get_member_size (npz, MEMBER_FEATURES);
  for (guint k = 0; k < 3; k++)
    state.total += _philia_npz_get_member_size (npz, mask_members[k]);

  /* N comes from the labels, else from the features. */
  if (has_labels)
    {
      labels_array = read_labels (npz, display_name, &state, cancellable, error);
      if (labels_array == NULL)
        return NULL;
      n = labels_array->shape[0];
    }

  if (has_features)
    {
      features_array = read_member (npz, MEMBER_FEATURES, &state, cancellable, error);
      if (features_array == NULL)
        return NULL;
      if (features_array->ndim != 2)
        {
          g_autofree char *shape = format_shape (features_array);

          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("%s: member “%s.npy” has shape %s, but the expected shape is [N, F] "
                          "(one row of F features per node)."),
                       display_name, MEMBER_FEATURES, shape);
          return NULL;
        }
      if (features_array->dtype == PHILIA_DTYPE_BOOL)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                       _ ("%s: member “%s.npy” holds booleans, but float32 or float64 features "
                          "are expected."), display_name, MEMBER_FEATURES);
          return NULL;
        }
      if (n < 0)
        n = features_array->shape[0];
      else if (features_array->shape[0] != n)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("%s: member “%s.npy” has %" PRId64 " labels, but “%s.npy” "
                          "has %" PRId64 " rows; both must have one entry per node."),
                       display_name, MEMBER_LABELS, n, MEMBER_FEATURES,
                       features_array->shape[0]);
          return NULL;
        }
      if (features_array->shape[1] > G_MAXINT32)
        {
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                       _ ("%s: member “%s.npy” has %" PRId64 " features per node; "
                          "Philia reads at most %d."), display_name, MEMBER_FEATURES,
                       features_array->shape[1], G_MAXINT32);
          return NULL;
        }
      n_features = (guint)features_array->shape[1];
    }

  if (n > G_MAXINT32)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   _ ("%s: the graph has %" PRId64 " nodes; Philia reads at most %d."),
                   display_name, n, G_MAXINT32);
      return NULL;
    }

  if (labels_array != NULL)
    {
      labels = take_int64 (labels_array, display_name, MEMBER_LABELS, 1, error);
      if (labels == NULL)
        return NULL;
      for (gint64 i = 0; i < n; i++)
        if (labels[i] < -1)
          {
            g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                         _ ("%s: node %" PRId64 " has label %" PRId64
                            "; labels must be class ids from 0, or -1 for unlabeled."),
                         display_name, i, labels[i]);
            return NULL;
          }
    }
  if (features_array != NULL)
    {
      features = take_features (features_array, display_name, error);
      if (features == NULL)
        return NULL;
      g_clear_pointer (&features_array, philia_array_free);
    }

  if (!with_edges)
    {
      n_edges = 0;
      goto edges_read;
    }
  edges_array = read_member (npz, MEMBER_EDGES, &state, cancellable, error);
  if (edges_array == NULL)
    return NULL;
  if (edges_array->ndim != 2 || edges_array->shape[1] != 2)
    {
      g_autofree char *shape = format_shape (edges_array);

      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                   _ ("%s: member “%s.npy” has shape %s, but the expected shape is [E, 2] "
                      "(one row per edge)."), display_name, MEMBER_EDGES, shape);
      return NULL;
    }
  if (!dtype_is_integer (edges_array->dtype) && !dtype_is_float (edges_array->dtype))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED,
                   _ ("%s: member “%s.npy” holds %s values, but node ids must be integers."),
                   display_name, MEMBER_EDGES, philia_dtype_to_string (edges_array->dtype));
      return NULL;
    }
  n_edges = (gsize)edges_array->shape[0];
  edges = take_int64 (edges_array, display_name, MEMBER_EDGES, 2, error);
  if (edges == NULL)
    return NULL;
  g_clear_pointer (&edges_array, philia_array_free);
  for (gsize i = 0; i < 2 * n_edges; i++)
    if (edges[i] < 0 || edges[i] >= n)
      {
        if (edges[i] < 0)
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("%s: edge %zu (row %zu) points to "
                          "node %" PRId64 ", but node ids start at 0."),
                       display_name, i / 2, i / 2, edges[i]);
        else
          g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID,
                       _ ("%s: edge %zu (row %zu) points to "
                          "node %" PRId64 ", but there are only %" PRId64
                          " nodes."), display_name, i / 2, i / 2, edges[i], n);
        return NULL;
      }

edges_read:
  if (!read_masks (npz, display_name, (guint)n, &state, cancellable, &n_splits, masks.parts,
                   error))
    return NULL;

  if (philia_npz_has_member (npz, MEMBER_CLASSES)
      && !read_names (npz, display_name, MEMBER_CLASSES, "class", -1, cancellable, &class_names,
                      error))
    return NULL;
  if (philia_npz_has_member (npz, MEMBER_NAMES)
      && !read_names (npz, display_name, MEMBER_NAMES, "node", n, cancellable, &node_names,
                      error))
    return NULL;

  builder = philia_graph_builder_new ((guint)n);
  if (class_names != NULL)
    philia_graph_builder_take_class_names (builder, g_steal_pointer (&class_names));
  /* The builder refuses a name used twice, naming it. */
  if (node_names != NULL)
    philia_graph_builder_take_node_names (builder, g_steal_pointer (&node_names));
  if (with_edges)
    philia_graph_builder_take_edges (builder, g_steal_pointer (&edges), n_edges);
  if (labels != NULL)
    philia_graph_builder_take_labels (builder, g_steal_pointer (&labels));
  if (has_features)
    philia_graph_builder_take_features (builder, g_steal_pointer (&features), n_features);
  if (n_splits > 0)
    philia_graph_builder_take_masks (builder, n_splits, g_steal_pointer (&masks.parts[0]),
                                     g_steal_pointer (&masks.parts[1]),
                                     g_steal_pointer (&masks.parts[2]));
  philia_graph_builder_set_source (builder, display_name, "npz");

  if (progress != NULL)
    philia_progress_update (progress, 0.9, NULL);

  return g_steal_pointer (&builder);
}

/* @n strings as numpy writes a str array: fixed-width UTF-32 ('<U w', w the
 * longest in characters, shorter ones padded with NULs), which is what the
 * .npz reader's class_names and node_names take. */
static void
fill_text_array (PhiliaArray  *array,
                 guint         n,
                 const char *(*get) (PhiliaGraph *, guint),
                 PhiliaGraph  *graph)
{
  glong width = 1;

  for (guint i = 0; i < n; i++)
    width = MAX (width, g_utf8_strlen (get (graph, i), -1));
  *array = (PhiliaArray) { PHILIA_DTYPE_UNICODE, 1, { n }, n, NULL, 4 * width };
  array->data = g_malloc0 (MAX ((gsize)n * 4 * width, 1));
  for (guint i = 0; i < n; i++)
    {
      glong len = 0;
      g_autofree gunichar *chars = g_utf8_to_ucs4_fast (get (graph, i), -1, &len);

      memcpy ((guint8 *)array->data + (gsize)i * 4 * width, chars, 4 * len);
    }
}

gboolean
philia_graph_write_npz (PhiliaGraph  *graph,
                        const char   *path,
                        GError      **error)
{
  guint n, f, s;
  gint64 m;
  const gint64 *off;
  const gint32 *nbr;
  const gint32 *y;
  PhiliaArray features = { 0 }, labels = { 0 }, edges = { 0 }, masks[3] = { { 0 } };
  PhiliaArray classes = { 0 }, node_names = { 0 };
  const char *names[9] = {
    MEMBER_FEATURES, MEMBER_LABELS, MEMBER_EDGES, mask_members[0], mask_members[1],
    mask_members[2],
  };
  PhiliaArray *arrays[9] = {
    &features, &labels, &edges, &masks[0], &masks[1], &masks[2],
  };
  guint n_members = 6;
  gboolean ok;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  n = philia_graph_get_n_nodes (graph);
  f = philia_graph_get_n_features (graph);
  s = philia_graph_get_n_splits (graph);
  m = philia_graph_get_n_edges (graph);
  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  y = philia_graph_get_labels (graph);

  features = (PhiliaArray) { PHILIA_DTYPE_FLOAT32, 2, { n, f }, (gint64)n * f, NULL };
  features.data = f > 0 ? g_memdup2 (philia_graph_get_features (graph), sizeof (float) * n * f)
                        : g_malloc (1);

  labels = (PhiliaArray) { PHILIA_DTYPE_INT64, 1, { n }, n, g_new (gint64, MAX (n, 1)) };
  for (guint v = 0; v < n; v++)
    ((gint64 *)labels.data)[v] = y[v];

  /* CSR rows are sorted, so walking u and its larger neighbours gives the
   * lexicographic (u < v) order the benchmark files use. */
  edges = (PhiliaArray) { PHILIA_DTYPE_INT64, 2, { m, 2 }, 2 * m, g_new (gint64, 2 * MAX (m, 1)) };
  for (guint u = 0, at = 0; u < n; u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      if (nbr[e] > (gint32)u)
        {
          ((gint64 *)edges.data)[at++] = u;
          ((gint64 *)edges.data)[at++] = nbr[e];
        }

  for (guint part = 0; part < 3; part++)
    {
      masks[part] = (PhiliaArray) { PHILIA_DTYPE_BOOL, 2, { s, n }, (gint64)s * n, NULL };
      masks[part].data = g_malloc (MAX ((gsize)s * n, 1));
      for (guint i = 0; i < s; i++)
        memcpy ((guint8 *)masks[part].data + (gsize)i * n,
                philia_graph_get_split_mask (graph, i, part), n);
    }

  /* Names, so that a graph read from GraphML, GML, Pajek or an edge list
   * with a node table comes back with its node ids and class names. */
  if (philia_graph_has_class_names (graph))
    {
      fill_text_array (&classes, philia_graph_get_n_classes (graph),
                       philia_graph_get_class_name, graph);
      names[n_members] = MEMBER_CLASSES;
      arrays[n_members++] = &classes;
    }
  if (philia_graph_has_node_names (graph))
    {
      fill_text_array (&node_names, n, philia_graph_get_node_name, graph);
      names[n_members] = MEMBER_NAMES;
      arrays[n_members++] = &node_names;
    }
  names[n_members] = NULL;
  arrays[n_members] = NULL;

  ok = philia_npz_write (path, names, arrays, error);

  g_free (features.data);
  g_free (labels.data);
  g_free (edges.data);
  for (guint part = 0; part < 3; part++)
    g_free (masks[part].data);
  g_free (classes.data);
  g_free (node_names.data);
  return ok;
}
