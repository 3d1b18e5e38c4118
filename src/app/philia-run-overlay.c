/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-run-overlay.h"
#include "philia-render.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define VALUE_PREFIX "value:"

void
philia_run_overlay_free (PhiliaRunOverlay *overlay)
{
  if (overlay == NULL)
    return;
  g_free (overlay->id);
  g_free (overlay->title);
  g_free (overlay->values);
  g_free (overlay->categories);
  g_strfreev (overlay->names);
  g_free (overlay->colors);
  g_free (overlay);
}

gboolean
philia_run_overlay_parse (const char  *id,
                          guint       *run_id,
                          const char **what)
{
  const char *p;
  char *end = NULL;
  guint64 n;

  if (id == NULL || !g_str_has_prefix (id, "run:"))
    return FALSE;
  p = id + 4;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  n = g_ascii_strtoull (p, &end, 10);
  if (end == NULL || *end != ':' || end[1] == '\0' || n == 0 || n > G_MAXUINT)
    return FALSE;
  if (run_id != NULL)
    *run_id = (guint) n;
  if (what != NULL)
    *what = end + 1;
  return TRUE;
}

char *
philia_run_overlay_run_name (const PhiliaTrainResult *result,
                             guint                    run_id)
{
  const PhiliaAlgorithm *a = philia_registry_lookup (philia_registry_get_default (),
                                                     PHILIA_FAMILY_MODEL, result->model);

  return g_strdup_printf ("%s #%u", a != NULL && a->name != NULL ? a->name : result->model,
                          run_id);
}

static const PhiliaNodeValues *
find_values (const PhiliaTrainResult *result,
             const char              *name)
{
  for (guint i = 0; result->node_values != NULL && i < result->node_values->len; i++)
    {
      const PhiliaNodeValues *nv = g_ptr_array_index (result->node_values, i);

      if (g_str_equal (nv->name, name))
        return nv;
    }
  return NULL;
}

char **
philia_run_overlay_list (const PhiliaTrainResult *result,
                         guint                    run_id)
{
  GPtrArray *ids = g_ptr_array_new ();

  if (result->predictions != NULL)
    {
      g_ptr_array_add (ids, g_strdup_printf ("run:%u:prediction", run_id));
      g_ptr_array_add (ids, g_strdup_printf ("run:%u:correct", run_id));
    }
  if (find_values (result, PHILIA_ADAPT_CHANGE_VALUES) != NULL)
    g_ptr_array_add (ids, g_strdup_printf ("run:%u:change", run_id));
  for (guint i = 0; result->node_values != NULL && i < result->node_values->len; i++)
    {
      const PhiliaNodeValues *nv = g_ptr_array_index (result->node_values, i);

      g_ptr_array_add (ids, g_strdup_printf ("run:%u:" VALUE_PREFIX "%s", run_id, nv->name));
    }
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (ids, FALSE);
}

PhiliaRunOverlay *
philia_run_overlay_new (PhiliaGraph             *graph,
                        const PhiliaTrainResult *result,
                        guint                    run_id,
                        const char              *id)
{
  g_autoptr(PhiliaRunOverlay) overlay = NULL;
  g_autofree char *name = NULL;
  PhiliaAttentionOverlay attention;
  PhiliaAttentionNodes nodes;
  const char *what;
  guint parsed_id, n;

  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (result != NULL, NULL);

  if (!philia_run_overlay_parse (id, &parsed_id, &what) || parsed_id != run_id)
    return NULL;
  n = philia_graph_get_n_nodes (graph);
  /* A run of another graph (a project whose dataset changed) has nothing to show. */
  if (result->n_nodes != n)
    return NULL;

  overlay = g_new0 (PhiliaRunOverlay, 1);
  overlay->id = g_strdup (id);
  name = philia_run_overlay_run_name (result, run_id);

  if (g_str_equal (what, "prediction") && result->predictions != NULL)
    {
      guint c = result->n_classes;

      overlay->names = g_new0 (char *, c + 1);
      for (guint k = 0; k < c; k++)
        {
          const char *class_name = k < philia_graph_get_n_classes (graph)
                                   ? philia_graph_get_class_name (graph, k) : NULL;

          /* Translators: a class without a name in the data */
          overlay->names[k] = class_name != NULL ? g_strdup (class_name)
                                                 : g_strdup_printf (_("class %u"), k);
        }
      overlay->n_categories = c;
      overlay->categories = g_memdup2 (result->predictions, sizeof (gint32) * MAX (n, 1));
      /* Translators: canvas colouring by a run, "Prediction (GCN #1)" */
      overlay->title = g_strdup_printf (_("Prediction (%s)"), name);
    }
  else if (g_str_equal (what, "correct") && result->predictions != NULL)
    {
      /* Okabe–Ito bluish green, vermillion, and a neutral grey. */
      static const double colors[9] = { 0.0, 0.62, 0.45, 0.84, 0.37, 0.0, 0.72, 0.72, 0.72 };
      const gint32 *y = philia_graph_get_labels (graph);
      const guint8 *test = result->split < philia_graph_get_n_splits (graph)
                           ? philia_graph_get_split_mask (graph, result->split, PHILIA_SPLIT_TEST)
                           : NULL;

      overlay->categories = g_new (gint32, MAX (n, 1));
      for (guint v = 0; v < n; v++)
        overlay->categories[v] = y == NULL || y[v] < 0 ? -1
                                 : test == NULL || !test[v] ? 2
                                 : y[v] == result->predictions[v] ? 0 : 1;
      overlay->names = g_new0 (char *, 4);
      overlay->names[0] = g_strdup (_("correct"));
      overlay->names[1] = g_strdup (_("wrong"));
      overlay->names[2] = g_strdup (_("not in the test set"));
      overlay->colors = g_memdup2 (colors, sizeof colors);
      overlay->n_categories = 3;
      overlay->title = g_strdup_printf (_("Correct on test (%s)"), name);
    }
  else if (g_str_equal (what, "change")
           && find_values (result, PHILIA_ADAPT_CHANGE_VALUES) != NULL)
    {
      /* The same categories and colours as `philia-cli figure` draws. */
      const double *change = find_values (result, PHILIA_ADAPT_CHANGE_VALUES)->values;

      overlay->categories = philia_adapt_change_categories (change, n);
      overlay->names = g_new0 (char *, 5);
      overlay->names[0] = g_strdup (_("changed to right"));
      overlay->names[1] = g_strdup (_("changed to wrong"));
      overlay->names[2] = g_strdup (_("changed, no label or still wrong"));
      overlay->names[3] = g_strdup (_("unchanged"));
      overlay->colors = g_memdup2 (philia_adapt_change_colors (),
                                   3 * PHILIA_ADAPT_CHANGE_N_CATEGORIES * sizeof (double));
      overlay->n_categories = PHILIA_ADAPT_CHANGE_N_CATEGORIES;
      /* Translators: canvas colouring by an adapted run, "Changed by adaptation (GCN #2)" */
      overlay->title = g_strdup_printf (_("Changed by adaptation (%s)"), name);
    }
  else if (philia_attention_nodes_parse (id, &nodes, &attention))
    {
      gboolean relative = FALSE;

      overlay->values = philia_attention_nodes_values (result, graph, nodes, &attention,
                                                      &relative, &overlay->vmin, &overlay->vmax);
      if (overlay->values == NULL)
        return NULL;
      overlay->title = philia_run_overlay_attention_title (
        nodes == PHILIA_ATTENTION_NODES_SAME_LABEL ? _("Same-label share of attention")
        : relative ? _("Self attention × uniform") : _("Self attention"),
        attention.layer, attention.head);
    }
  else if (g_str_has_prefix (what, VALUE_PREFIX))
    {
      const char *value_name = what + strlen (VALUE_PREFIX);
      const PhiliaNodeValues *found = NULL;
      double lo = INFINITY, hi = -INFINITY;

      for (guint i = 0; result->node_values != NULL && i < result->node_values->len; i++)
        {
          const PhiliaNodeValues *nv = g_ptr_array_index (result->node_values, i);

          if (g_str_equal (nv->name, value_name))
            found = nv;
        }
      if (found == NULL)
        return NULL;
      for (guint v = 0; v < n; v++)
        if (isfinite (found->values[v]))
          {
            lo = MIN (lo, found->values[v]);
            hi = MAX (hi, found->values[v]);
          }
      if (!isfinite (lo))
        lo = 0, hi = 1;
      overlay->values = g_memdup2 (found->values, sizeof (double) * MAX (n, 1));
      overlay->vmin = lo;
      overlay->vmax = hi > lo ? hi : lo + 1;
      overlay->title = g_strdup_printf ("%s (%s)", found->name, name);
    }
  else
    return NULL;

  return g_steal_pointer (&overlay);
}

/* "Self attention, layer 0, mean over heads": the titles the Train panel's
 * attention views and the canvas's attention edges share. */
char *
philia_run_overlay_attention_title (const char *what,
                                    guint       layer,
                                    int         head)
{
  if (head < 0)
    /* Translators: "Self attention, layer 0, mean over heads" */
    return g_strdup_printf (_("%s, layer %u, mean over heads"), what, layer);
  /* Translators: "Self attention, layer 0, head 3" */
  return g_strdup_printf (_("%s, layer %u, head %d"), what, layer, head);
}

double *
philia_run_overlay_attention_new (PhiliaGraph                  *graph,
                                  const PhiliaTrainResult      *result,
                                  const PhiliaAttentionOverlay *attention,
                                  char                        **title,
                                  gboolean                     *relative_out,
                                  double                       *vmin_out,
                                  double                       *vmax_out)
{
  g_autofree double *values = NULL;
  g_autofree char *what = NULL;
  /* Only a softmax over each node's neighbours and itself has a uniform
   * value, 1 / (deg + 1); signed coefficients (FAGCN's) are shown raw. */
  gboolean relative = attention->relative
                      && philia_train_result_attention_is_softmax (result, graph,
                                                                   attention->layer);
  double vmin = relative ? G_MAXDOUBLE : 0, vmax = 0;
  gint64 m2;

  g_return_val_if_fail (graph != NULL && result != NULL, NULL);

  values = philia_train_result_attention_values (result, graph, attention->layer,
                                                 attention->head, NULL);
  if (values == NULL)
    return NULL;
  if (relative)
    philia_attention_relative_to_uniform (graph, values, NULL);
  /* Each edge is drawn once, so its two coefficients become one, as chosen
   * and as the legend says. */
  philia_attention_combine_directions (graph, values, attention->mean);
  m2 = philia_graph_get_row_offsets (graph)[philia_graph_get_n_nodes (graph)];
  for (gint64 e = 0; e < m2; e++)
    if (!isnan (values[e]) && (!relative || values[e] > 0))
      {
        vmin = MIN (vmin, values[e]);
        vmax = MAX (vmax, values[e]);
      }
  if (relative)
    {
      /* A log scale symmetric about 1 (uniform): ½ and 2 are as far from it. */
      double r = vmax > 0 ? MAX (vmax, 1 / vmin) : 2;

      r = CLAMP (r, 2.0, 1e3);
      vmin = 1 / r;
      vmax = r;
    }
  what = g_strdup_printf ("%s (%s)", relative ? _("Attention × uniform") : _("Attention α"),
                          attention->mean ? _("mean of both directions")
                                          : _("stronger direction"));
  if (title != NULL)
    *title = philia_run_overlay_attention_title (what, attention->layer, attention->head);
  if (relative_out != NULL)
    *relative_out = relative;
  if (vmin_out != NULL)
    *vmin_out = vmin;
  if (vmax_out != NULL)
    *vmax_out = vmax > vmin ? vmax : vmin + 1;
  return g_steal_pointer (&values);
}
