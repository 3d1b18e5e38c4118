/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PLACEHOLDER: being written (issue 2). */
#define G_LOG_DOMAIN "philia-core"
#include "config.h"
#include "philia-import-private.h"
gboolean _philia_node_table_apply (PhiliaGraphBuilder *b, GBytes *bytes, const char *n, GError **e)
{ g_set_error (e, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED, "%s: not implemented yet.", n); return FALSE; }
