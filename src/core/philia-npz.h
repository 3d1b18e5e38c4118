/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "philia-graph.h"

G_BEGIN_DECLS

/* dtypes that Philia reads from .npy members; every value is converted on read,
 * never reinterpreted, so a wrong dtype is refused or widened, not misread. */
typedef enum
{
  PHILIA_DTYPE_BOOL,
  PHILIA_DTYPE_UINT8,
  PHILIA_DTYPE_INT8,
  PHILIA_DTYPE_INT16,
  PHILIA_DTYPE_INT32,
  PHILIA_DTYPE_INT64,
  PHILIA_DTYPE_UINT16,
  PHILIA_DTYPE_UINT32,
  PHILIA_DTYPE_UINT64,
  PHILIA_DTYPE_FLOAT32,
  PHILIA_DTYPE_FLOAT64,
  PHILIA_DTYPE_UNICODE,   /*< nick=text >*/ /* numpy '<U n': n UTF-32LE code units per element */
} PhiliaDtype;

#define PHILIA_NPY_MAX_DIMS 8

/**
 * PhiliaArray:
 * @dtype: element type as stored in the file
 * @ndim: number of dimensions (0 for a scalar)
 * @shape: the dimensions, @ndim of them
 * @n_elements: product of @shape
 * @data: @n_elements values of @dtype, little-endian, C order, owned
 * @itemsize: bytes per element (philia_dtype_get_size() for the fixed-size
 *   dtypes; 4 n for PHILIA_DTYPE_UNICODE)
 */
typedef struct
{
  PhiliaDtype dtype;
  guint       ndim;
  gint64      shape[PHILIA_NPY_MAX_DIMS];
  gint64      n_elements;
  gpointer    data;
  gsize       itemsize;
} PhiliaArray;

void         philia_array_free         (PhiliaArray  *array);
const char  *philia_dtype_to_string    (PhiliaDtype   dtype);
gsize        philia_dtype_get_size     (PhiliaDtype   dtype);
/* Element @i of a PHILIA_DTYPE_UNICODE array as UTF-8, trailing NULs dropped. */
char        *philia_array_dup_string   (const PhiliaArray *array,
                                        gsize              i);

typedef struct _PhiliaNpz PhiliaNpz;

/* Reads the zip directory of an in-memory .npz (stored or deflated members,
 * zip64 fields understood). @display_name is used in every error message. */
PhiliaNpz   *philia_npz_new_from_bytes (GBytes       *bytes,
                                        const char   *display_name,
                                        GError      **error);
void         philia_npz_free           (PhiliaNpz    *npz);
gboolean     philia_npz_has_member     (PhiliaNpz    *npz,
                                        const char   *name);
/* @name without ".npy"; the array is fully validated (header, shape versus
 * size) before anything the size of the payload is allocated. */
PhiliaArray *philia_npz_read_array     (PhiliaNpz    *npz,
                                        const char   *name,
                                        GCancellable *cancellable,
                                        GError      **error);

/* Parses one .npy blob (a member's inflated bytes). */
PhiliaArray *philia_npy_parse          (const guint8 *data,
                                        gsize         length,
                                        const char   *display_name,
                                        GError      **error);

/* Writes arrays as an .npz (deflated members). @names and @arrays are
 * NULL-terminated and parallel; names without ".npy". */
gboolean     philia_npz_write          (const char   *path,
                                        const char  **names,
                                        PhiliaArray **arrays,
                                        GError      **error);

/* Writes @graph as an .npz in the benchmark layout (edges once, u < v),
 * with class_names and node_names (numpy '<U' text) when the graph has them;
 * philia_graph_load() reads it back. */
gboolean     philia_graph_write_npz    (PhiliaGraph  *graph,
                                        const char   *path,
                                        GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaArray, philia_array_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaNpz, philia_npz_free)

G_END_DECLS
