/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "philia-core.h"
#include "philia-document-private.h"

/* ----------------------------------------------------------------- filter */

static char *
filter_describe (PhiliaDocument     *self,
                 const PhiliaFilter *filter)
{
  switch (filter->kind)
    {
    case PHILIA_FILTER_CLASSES:
      {
        g_autoptr (GString) names = g_string_new (NULL);

        for (guint i = 0; i < filter->n_classes; i++)
          {
            const char *name = philia_graph_get_class_name (self->graph, filter->classes[i]);

            if (i > 0)
              g_string_append (names, ", ");
            if (name != NULL)
              g_string_append (names, name);
            else
              g_string_append_printf (names, "%u", filter->classes[i]);
          }
        return g_strdup_printf (ngettext ("class %s", "classes %s", filter->n_classes),
                                names->str);
      }
    case PHILIA_FILTER_DEGREE:
      return g_strdup_printf (_("degree %g–%g"), filter->min, filter->max);
    case PHILIA_FILTER_COMPONENT:
      return g_strdup (_("largest component"));
    case PHILIA_FILTER_LOCAL_HOMOPHILY:
      return g_strdup_printf (_("local homophily %g–%g"), filter->min, filter->max);
    default:
      g_assert_not_reached ();
    }
}

/* The nodes of the largest connected component (on a tie, the one holding
 * the lowest node id). */
static void
keep_largest_component (PhiliaGraph *graph,
                        gboolean    *keep)
{
  guint n = philia_graph_get_n_nodes (graph);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  g_autofree guint *component = g_new (guint, MAX (n, 1));
  g_autofree guint *queue = g_new (guint, MAX (n, 1));
  guint n_components = 0, best = 0, best_size = 0;

  for (guint v = 0; v < n; v++)
    component[v] = G_MAXUINT;
  for (guint s = 0; s < n; s++)
    {
      guint head = 0, tail = 0;

      if (component[s] != G_MAXUINT)
        continue;
      component[s] = n_components;
      queue[tail++] = s;
      while (head < tail)
        {
          guint v = queue[head++];

          for (gint64 e = off[v]; e < off[v + 1]; e++)
            if (component[nbr[e]] == G_MAXUINT)
              {
                component[nbr[e]] = n_components;
                queue[tail++] = (guint)nbr[e];
              }
        }
      if (tail > best_size)
        {
          best_size = tail;
          best = n_components;
        }
      n_components++;
    }
  for (guint v = 0; v < n; v++)
    keep[v] = component[v] == best;
}

static gboolean
filter_keep (PhiliaDocument     *self,
             const PhiliaFilter *filter,
             gboolean           *keep,
             GError            **error)
{
  PhiliaGraph *graph = self->graph;
  guint n = philia_graph_get_n_nodes (graph);

  if ((filter->kind == PHILIA_FILTER_DEGREE || filter->kind == PHILIA_FILTER_LOCAL_HOMOPHILY)
      && (isnan (filter->min) || isnan (filter->max) || filter->min > filter->max))
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                   _ ("The filter range %g–%g is empty or not a number; "
                      "the minimum must be at most the maximum."), filter->min, filter->max);
      return FALSE;
    }

  switch (filter->kind)
    {
    case PHILIA_FILTER_CLASSES:
      {
        const gint32 *y = philia_graph_get_labels (graph);
        guint n_classes = philia_graph_get_n_classes (graph);
        g_autofree gboolean *wanted = NULL;

        if (philia_graph_get_n_labeled (graph) == 0)
          {
            g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                         _ ("%s has no labels to filter by class."),
                         philia_graph_get_source (graph));
            return FALSE;
          }
        if (filter->n_classes == 0 || filter->classes == NULL)
          {
            g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                         _ ("The class filter names no class."));
            return FALSE;
          }
        wanted = g_new0 (gboolean, MAX (n_classes, 1));
        for (guint i = 0; i < filter->n_classes; i++)
          {
            if (filter->classes[i] >= n_classes)
              {
                g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION,
                             _ ("There is no class %u in %s (it has %u)."), filter->classes[i],
                             philia_graph_get_source (graph), n_classes);
                return FALSE;
              }
            wanted[filter->classes[i]] = TRUE;
          }
        for (guint v = 0; v < n; v++)
          keep[v] = y[v] >= 0 && wanted[y[v]];
        break;
      }
    case PHILIA_FILTER_DEGREE:
      for (guint v = 0; v < n; v++)
        {
          double d = philia_graph_get_degree (graph, v);

          keep[v] = filter->min <= d && d <= filter->max;
        }
      break;
    case PHILIA_FILTER_COMPONENT:
      keep_largest_component (graph, keep);
      break;
    case PHILIA_FILTER_LOCAL_HOMOPHILY:
      {
        g_autofree double *h = philia_local_homophily (graph);

        /* An undefined local homophily (NaN) is in no range. */
        for (guint v = 0; v < n; v++)
          keep[v] = filter->min <= h[v] && h[v] <= filter->max;
        break;
      }
    default:
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_OPTION, _ ("Unknown filter kind %d."),
                   (int)filter->kind);
      return FALSE;
    }
  return TRUE;
}

/* The induced subgraph on @kept (@n_kept old ids, ascending). */
static PhiliaGraph *
induced_subgraph (PhiliaGraph  *graph,
                  const guint  *kept,
                  guint         n_kept,
                  const gint64 *new_id,
                  GError      **error)
{
  g_autoptr (PhiliaGraphBuilder) builder = philia_graph_builder_new (n_kept);
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  const gint32 *y = philia_graph_get_labels (graph);
  guint n_features = philia_graph_get_n_features (graph);
  guint n_splits = philia_graph_get_n_splits (graph);

  for (guint i = 0; i < n_kept; i++)
    {
      guint v = kept[i];

      for (gint64 e = off[v]; e < off[v + 1]; e++)
        if ((guint)nbr[e] > v && new_id[nbr[e]] >= 0)
          philia_graph_builder_add_edge (builder, i, new_id[nbr[e]]);
    }
  if (philia_graph_get_n_labeled (graph) > 0 || philia_graph_has_class_names (graph))
    {
      gint64 *labels = g_new (gint64, MAX (n_kept, 1));

      for (guint i = 0; i < n_kept; i++)
        labels[i] = y[kept[i]];
      philia_graph_builder_take_labels (builder, labels);
    }
  if (philia_graph_has_class_names (graph))
    {
      /* All names are kept, so class ids (and colours) stay the same. */
      guint n_classes = philia_graph_get_n_classes (graph);
      char **names = g_new0 (char *, n_classes + 1);

      for (guint k = 0; k < n_classes; k++)
        names[k] = g_strdup (philia_graph_get_class_name (graph, k));
      philia_graph_builder_take_class_names (builder, names);
    }
  if (n_features > 0)
    {
      const float *x = philia_graph_get_features (graph);
      float *features = g_new (float, (gsize)MAX (n_kept, 1) * n_features);

      for (guint i = 0; i < n_kept; i++)
        memcpy (features + (gsize)i * n_features, x + (gsize)kept[i] * n_features,
                sizeof (float) * n_features);
      philia_graph_builder_take_features (builder, features, n_features);
    }
  if (n_splits > 0)
    {
      guint8 *masks[3];

      for (guint part = 0; part < 3; part++)
        {
          masks[part] = g_new (guint8, (gsize)n_splits * MAX (n_kept, 1));
          for (guint s = 0; s < n_splits; s++)
            {
              const guint8 *mask = philia_graph_get_split_mask (graph, s, part);

              for (guint i = 0; i < n_kept; i++)
                masks[part][(gsize)s * n_kept + i] = mask[kept[i]];
            }
        }
      philia_graph_builder_take_masks (builder, n_splits, masks[0], masks[1], masks[2]);
    }
  if (philia_graph_has_node_names (graph))
    {
      char **names = g_new0 (char *, n_kept + 1);

      for (guint i = 0; i < n_kept; i++)
        names[i] = g_strdup (philia_graph_get_node_name (graph, kept[i]));
      philia_graph_builder_take_node_names (builder, names);
    }
  philia_graph_builder_set_source (builder, philia_graph_get_source (graph),
                                   philia_graph_get_format (graph));
  return philia_graph_builder_build (builder, error);
}

PhiliaDocument *
philia_document_filter (PhiliaDocument     *self,
                        const PhiliaFilter *filter,
                        GError            **error)
{
  guint n;
  g_autofree gboolean *keep = NULL;
  g_autofree gint64 *new_id = NULL;
  g_autoptr (GArray) kept = NULL;
  g_autoptr (PhiliaGraph) graph = NULL;
  g_autofree char *what = NULL;
  g_autofree char *name = NULL;
  PhiliaDocument *filtered;

  g_return_val_if_fail (PHILIA_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = philia_graph_get_n_nodes (self->graph);
  keep = g_new0 (gboolean, MAX (n, 1));
  if (!filter_keep (self, filter, keep, error))
    return NULL;

  kept = g_array_new (FALSE, FALSE, sizeof (guint));
  new_id = g_new (gint64, MAX (n, 1));
  for (guint v = 0; v < n; v++)
    {
      new_id[v] = keep[v] ? (gint64)kept->len : -1;
      if (keep[v])
        g_array_append_val (kept, v);
    }
  what = filter_describe (self, filter);
  if (kept->len == 0)
    {
      g_set_error (error, PHILIA_ERROR, PHILIA_ERROR_EMPTY,
                   _ ("The filter “%s” keeps no node of %s."), what,
                   philia_graph_get_source (self->graph));
      return NULL;
    }

  graph = induced_subgraph (self->graph, (const guint *)kept->data, kept->len, new_id, error);
  if (graph == NULL)
    return NULL;

  filtered = philia_document_new (graph, NULL, NULL);
  /* The graph exists in no file: the project has to hold it. */
  filtered->embed = TRUE;
  if (self->path != NULL || self->dataset_path != NULL)
    name = g_path_get_basename (self->path != NULL ? self->path : self->dataset_path);
  else if (self->origin != NULL)
    name = g_strdup (self->origin);
  else
    name = _philia_document_compute_title (self);
  /* TRANSLATORS: where a filtered graph came from: "cora.npz · degree 2–10" */
  filtered->origin = g_strdup_printf (_("%s · %s"), name, what);

  for (guint l = 0; l < self->layouts->len; l++)
    {
      const PhiliaDocumentLayout *layout = self->layouts->pdata[l];
      double *positions = g_new (double, 2 * (gsize)kept->len);

      for (guint i = 0; i < kept->len; i++)
        {
          guint v = g_array_index (kept, guint, i);

          positions[2 * i] = layout->positions[2 * v];
          positions[2 * i + 1] = layout->positions[2 * v + 1];
        }
      g_ptr_array_add (filtered->layouts,
                       _philia_document_layout_new (layout->name, layout->algorithm,
                                                    layout->seed, positions));
    }
  filtered->current = self->current;

  /* The view and conventions carry over, except what names a run (runs do not). */
  philia_document_view_copy (&filtered->view, &self->view);
  if (g_str_has_prefix (filtered->view.color_by, "run:"))
    _philia_document_replace_string (&filtered->view.color_by, "class");
  if (g_str_has_prefix (filtered->view.edge_style, "run:")
      || g_str_equal (filtered->view.edge_style, "attention"))
    _philia_document_replace_string (&filtered->view.edge_style, "class");
  if (g_str_has_prefix (filtered->view.overlay, "run:"))
    _philia_document_replace_string (&filtered->view.overlay, "");
  _philia_document_overlays_from_view (filtered);
  filtered->conventions = self->conventions;
  for (guint i = 0; i < self->selection->len; i++)
    {
      guint v = g_array_index (self->selection, guint, i);

      if (new_id[v] >= 0)
        {
          guint w = (guint)new_id[v];

          g_array_append_val (filtered->selection, w);
        }
    }

  /* Never saved anywhere: closing it should ask. */
  filtered->unsaved = TRUE;
  filtered->was_dirty = TRUE;
  return filtered;
}
