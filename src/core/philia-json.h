/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/* A small streaming JSON writer for machine-readable output: keys and values
 * are emitted in call order, commas are placed for you, NaN and infinities
 * become null, strings are escaped. */
typedef struct _PhiliaJson PhiliaJson;

PhiliaJson *philia_json_new          (void);
void        philia_json_free         (PhiliaJson *json);
void        philia_json_begin_object (PhiliaJson *json);
void        philia_json_end_object   (PhiliaJson *json);
void        philia_json_begin_array  (PhiliaJson *json);
void        philia_json_end_array    (PhiliaJson *json);
void        philia_json_key          (PhiliaJson *json,
                                      const char *key);
void        philia_json_string       (PhiliaJson *json,
                                      const char *value);
void        philia_json_int          (PhiliaJson *json,
                                      gint64      value);
void        philia_json_double       (PhiliaJson *json,
                                      double      value);
void        philia_json_bool         (PhiliaJson *json,
                                      gboolean    value);
void        philia_json_null         (PhiliaJson *json);
char       *philia_json_free_to_string (PhiliaJson *json);

/* "key": value members of the current object, and arrays of numbers. */
void        philia_json_member_int    (PhiliaJson   *json,
                                       const char   *key,
                                       gint64        value);
void        philia_json_member_double (PhiliaJson   *json,
                                       const char   *key,
                                       double        value);
void        philia_json_member_string (PhiliaJson   *json,
                                       const char   *key,
                                       const char   *value);
void        philia_json_member_bool   (PhiliaJson   *json,
                                       const char   *key,
                                       gboolean      value);
void        philia_json_int_array     (PhiliaJson   *json,
                                       const gint64 *values,
                                       gsize         n);
void        philia_json_double_array  (PhiliaJson   *json,
                                       const double *values,
                                       gsize         n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaJson, philia_json_free)

G_END_DECLS
