/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-document.h"
#include "philia-document-private.h"

/*
 * Asking whoever draws the document to bring nodes into view (HACKING.md
 * §10): a panel that explains a pair or lists nodes does not call the
 * canvas, it asks the document, and the canvas follows the request like
 * any other change. A request is no step and not saved: where the user
 * looks is the canvas's zoom, which the canvas writes back by itself.
 */

static guint reveal_signal;

void
_philia_document_class_init_reveal (GObjectClass *klass)
{
  /**
   * PhiliaDocument::reveal-nodes:
   * @nodes: (array length=n_nodes) (element-type guint): node ids of the graph
   * @n_nodes: how many, at least one
   *
   * Someone asked to see @nodes (philia_document_reveal_nodes()).
   */
  reveal_signal = g_signal_new ("reveal-nodes", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);
}

/**
 * philia_document_reveal_nodes:
 * @nodes: (array length=n_nodes): node ids of the document's graph
 *
 * Asks the views of the document to bring @nodes into view (the canvas
 * zooms to their box). Ids outside the graph are left out; with none left
 * nothing is asked. Returns whether a request was made.
 */
gboolean
philia_document_reveal_nodes (PhiliaDocument *self,
                              const guint    *nodes,
                              guint           n_nodes)
{
  g_autoptr(GArray) kept = NULL;
  guint n;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (nodes != NULL || n_nodes == 0, FALSE);

  n = philia_graph_get_n_nodes (philia_document_get_graph (self));
  kept = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < n_nodes; i++)
    if (nodes[i] < n)
      g_array_append_val (kept, nodes[i]);
  if (kept->len == 0)
    return FALSE;
  g_signal_emit (self, reveal_signal, 0, kept->data, kept->len);
  return TRUE;
}
