/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PLACEHOLDER: being written (issue 2). */
#define G_LOG_DOMAIN "philia-core"
#include "config.h"
#include "philia-import-private.h"
void philia_array_free (PhiliaArray *a) { if (a) { g_free (a->data); g_free (a); } }
PhiliaNpz *philia_npz_new_from_bytes (GBytes *b, const char *n, GError **e)
{ g_set_error (e, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED, "%s: not implemented.", n); return NULL; }
void philia_npz_free (PhiliaNpz *npz) { }
gboolean philia_npz_has_member (PhiliaNpz *n, const char *m) { return FALSE; }
PhiliaArray *philia_npz_read_array (PhiliaNpz *n, const char *m, GCancellable *c, GError **e) { return NULL; }
