/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PLACEHOLDER: being written (issue 2). */
#define G_LOG_DOMAIN "philia-core"
#include "config.h"
#include "philia-import-private.h"
PhiliaGraphBuilder *_philia_npz_read_graph (GBytes *b, const char *n, PhiliaProgress *p, GCancellable *c, GError **e)
{ g_set_error (e, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED, "%s: .npz reading is not implemented yet.", n); return NULL; }
