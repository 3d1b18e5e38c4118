/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The manifest reader's primitives (philia-project-reader.c), shared by the
 * parts of project reading: each checks one member of the manifest and
 * names the project, the member's path and what was expected when it is
 * wrong. philia-project-read.c restores a document with them. */

#include <json-glib/json-glib.h>

#include "philia-core.h"

G_BEGIN_DECLS

typedef struct
{
  const char   *name;         /* the project, in every message */
  PhiliaNpz    *npz;
  guint         n;
  gint64        n_entries;
  GCancellable *cancellable;
} Reader;

G_GNUC_PRINTF (4, 5)
gboolean reader_fail (GError     **error,
                      PhiliaError  code,
                      Reader      *r,
                      const char  *format,
                      ...);
char *reader_printable (const char *text);
JsonNode *reader_get_value (JsonObject *o,
                            const char *key,
                            GType       type);
gboolean reader_bad_member (Reader     *r,
                            const char *ctx,
                            const char *key,
                            const char *what,
                            GError    **error);
gboolean reader_get_int (Reader     *r,
                         JsonObject *o,
                         const char *ctx,
                         const char *key,
                         gint64      min,
                         gint64      max,
                         gint64     *out,
                         GError    **error);
gboolean reader_get_uint (Reader     *r,
                          JsonObject *o,
                          const char *ctx,
                          const char *key,
                          guint      *out,
                          GError    **error);
gboolean reader_get_sint (Reader     *r,
                          JsonObject *o,
                          const char *ctx,
                          const char *key,
                          int        *out,
                          GError    **error);
gboolean reader_get_double (Reader     *r,
                            JsonObject *o,
                            const char *ctx,
                            const char *key,
                            double     *out,
                            GError    **error);
gboolean reader_get_bool (Reader     *r,
                          JsonObject *o,
                          const char *ctx,
                          const char *key,
                          gboolean   *out,
                          GError    **error);
gboolean reader_get_string (Reader      *r,
                            JsonObject  *o,
                            const char  *ctx,
                            const char  *key,
                            gboolean     nullable,
                            const char **out,
                            GError     **error);
gboolean reader_get_seed (Reader     *r,
                          JsonObject *o,
                          const char *ctx,
                          const char *key,
                          guint64    *out,
                          GError    **error);
JsonObject *reader_get_object (Reader     *r,
                               JsonObject *o,
                               const char *ctx,
                               const char *key,
                               GError    **error);
JsonArray *reader_get_array (Reader     *r,
                             JsonObject *o,
                             const char *ctx,
                             const char *key,
                             gboolean    optional,
                             GError    **error);
JsonObject *reader_get_element (Reader     *r,
                                JsonArray  *array,
                                guint       i,
                                const char *ctx,
                                GError    **error);
PhiliaArray *reader_npy (Reader      *r,
                         JsonObject  *o,
                         const char  *ctx,
                         const char  *key,
                         gboolean     optional,
                         PhiliaDtype  dtype,
                         guint        ndim,
                         gint64       dim0,
                         gint64       dim1,
                         GError     **error);
gpointer reader_steal_data (PhiliaArray *array);
gboolean reader_params (Reader                *r,
                        JsonObject            *o,
                        const char            *ctx,
                        PhiliaProximityParams *p,
                        GError               **error);
int reader_lookup_name (const char        *name,
                        const char *const *names,
                        guint              n_names);

G_END_DECLS
