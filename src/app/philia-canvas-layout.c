/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-canvas-private.h"

/* Layout jobs of the canvas (on a worker, cached on the graph or written to
 * the document) and the neighbourhood (ego) view. */

static const char *layout_name (const char *algorithm);

static void
layout_request_free (LayoutRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->graph);
  g_free (request->algorithm);
  g_free (request);
}

static GHashTable *
layout_cache (PhiliaGraph *graph,
              gboolean     create)
{
  GHashTable *cache = g_object_get_data (G_OBJECT (graph), LAYOUTS_KEY);

  /* The cache lives on the graph, so positions go when the dataset does. */
  if (cache == NULL && create)
    {
      cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_object_set_data_full (G_OBJECT (graph), LAYOUTS_KEY, cache,
                              (GDestroyNotify) g_hash_table_unref);
    }
  return cache;
}

void
_philia_canvas_set_busy (PhiliaCanvas *self,
                         const char   *message)
{
  gboolean busy = message != NULL;

  if (busy)
    gtk_label_set_text (self->progress_label, message);
  gtk_revealer_set_reveal_child (self->progress_revealer, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.cancel-layout", busy);
  if (self->busy != busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), _philia_canvas_properties[PROP_BUSY]);
    }
}

void
_philia_canvas_stop_layout (PhiliaCanvas *self)
{
  if (self->layout_cancellable != NULL)
    g_cancellable_cancel (self->layout_cancellable);
  g_clear_object (&self->layout_cancellable);
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  g_clear_object (&self->progress);
  self->layout_serial++;
}

void
_philia_canvas_cancel_layout (PhiliaCanvas *self)
{
  _philia_canvas_stop_layout (self);
  _philia_canvas_set_busy (self, NULL);
}

void
_philia_canvas_update_actions (PhiliaCanvas *self)
{
  gboolean have = self->positions != NULL && _philia_canvas_shown_graph (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.fit", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-in", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-out", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-to-selection",
                                 have && self->selection->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.neighbourhood",
                                 self->graph != NULL && self->selection->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.export-view", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.export-whole", have);
  gtk_widget_set_visible (self->whole_button, self->ego_graph != NULL);
}

static void
layout_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  LayoutRequest *request = user_data;
  PhiliaCanvas *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autofree double *positions = NULL;
  const double *cached = NULL;

  positions = philia_layout_compute_finish (result, &error);

  /* With a document, a finished whole-graph layout is a step of the
   * document's, and the canvas draws it when the document says it changed. */
  if (positions != NULL && !request->ego && self->document != NULL
      && request->graph == philia_document_get_graph (self->document))
    {
      if (request->serial == self->layout_serial)
        {
          g_clear_pointer (&self->progress_binding, g_binding_unbind);
          g_clear_object (&self->progress);
          g_clear_object (&self->layout_cancellable);
          _philia_canvas_set_busy (self, NULL);
          /* The first layout of a document just opened is what it opens
           * with, not a step to undo; one the user asked for is a step. */
          if (request->initial && philia_document_get_n_layouts (self->document) == 0)
            philia_document_set_initial_layout (self->document, layout_name (request->algorithm),
                                                request->algorithm, LAYOUT_SEED,
                                                g_steal_pointer (&positions));
          else
            philia_document_add_layout (self->document, layout_name (request->algorithm),
                                        request->algorithm, LAYOUT_SEED,
                                        g_steal_pointer (&positions));
        }
      layout_request_free (request);
      return;
    }

  /* Whole-graph positions go to the graph's cache even when superseded, so
   * switching back is instant; the first result for a key stays, as the
   * canvas may already be drawing it. */
  if (positions != NULL && !request->ego)
    {
      GHashTable *cache = layout_cache (request->graph, TRUE);

      if (!g_hash_table_contains (cache, request->algorithm))
        g_hash_table_insert (cache, g_strdup (request->algorithm), g_steal_pointer (&positions));
      cached = g_hash_table_lookup (cache, request->algorithm);
    }

  if (request->serial == self->layout_serial)
    {
      g_clear_pointer (&self->progress_binding, g_binding_unbind);
      g_clear_object (&self->progress);
      g_clear_object (&self->layout_cancellable);
      _philia_canvas_set_busy (self, NULL);

      if (error != NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

              if (PHILIA_IS_WINDOW (root))
                philia_window_show_error (PHILIA_WINDOW (root), error->message);
              else
                g_message ("Layout failed: %s", error->message);
            }
        }
      else if (request->ego)
        {
          if (request->graph == self->ego_graph)
            {
              g_free (self->ego_positions);
              self->ego_positions = g_steal_pointer (&positions);
              self->positions = self->ego_positions;
              _philia_canvas_fit (self);
            }
        }
      else if (request->graph == self->graph && self->ego_graph == NULL)
        {
          self->positions = cached;
          _philia_canvas_fit (self);
          /* As a document's new layout (philia-canvas-document.c). */
          _philia_graph_area_refit_frame (self->area, &self->area->view);
        }
      _philia_canvas_update_actions (self);
    }

  layout_request_free (request);
}

/* Returns the request in flight (owned by the worker's callback). */
LayoutRequest *
_philia_canvas_start_layout (PhiliaCanvas *self,
                             PhiliaGraph  *graph,
                             const char   *algorithm,
                             gboolean      ego)
{
  const PhiliaAlgorithm *info;
  LayoutRequest *request;
  g_autofree char *message = NULL;

  _philia_canvas_cancel_layout (self);

  info = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_LAYOUT, algorithm);
  /* Translators: %s is a layout's name, e.g. "Fruchterman–Reingold" */
  message = g_strdup_printf (_("Computing the %s layout…"), info ? _(info->name) : algorithm);

  self->layout_cancellable = g_cancellable_new ();
  self->progress = philia_progress_new ();
  self->progress_binding = g_object_bind_property (self->progress, "fraction",
                                                   self->progress_bar, "fraction",
                                                   G_BINDING_SYNC_CREATE);
  _philia_canvas_set_busy (self, message);

  request = g_new0 (LayoutRequest, 1);
  request->self = g_object_ref (self);
  request->graph = g_object_ref (graph);
  request->algorithm = g_strdup (algorithm);
  request->serial = self->layout_serial;
  request->ego = ego;

  /* The progressive layout is drawn while it refines (philia-canvas-refine.c). */
  if (!ego && philia_layout_is_progressive (algorithm))
    _philia_canvas_start_live_layout (self, request, layout_done_cb);
  else
    philia_layout_compute_async (graph, algorithm, LAYOUT_SEED, self->progress,
                                 self->layout_cancellable, layout_done_cb, request);
  return request;
}

/* Shows the whole graph with the chosen layout: from the cache, or computed on a worker. */
void
_philia_canvas_request_layout (PhiliaCanvas *self)
{
  GHashTable *cache;
  const double *positions;

  if (self->graph == NULL || self->ego_graph != NULL)
    return;

  /* The document's layouts replace the cache: one made before is shown, not
   * computed again (setting it current is what the document records). */
  if (self->document != NULL && self->syncing)
    return;   /* sync_layout() decides from the document */
  if (self->document != NULL)
    {
      const PhiliaDocumentLayout *current = philia_document_get_current_layout (self->document);
      const char *name = layout_name (self->algorithm);

      if (current != NULL && g_strcmp0 (current->algorithm, self->algorithm) == 0)
        {
          /* Back from a neighbourhood, say: the document's layout again. */
          _philia_canvas_cancel_layout (self);
          _philia_canvas_sync_layout (self);
          return;
        }
      if (philia_document_find_layout (self->document, name) != NULL)
        {
          _philia_canvas_cancel_layout (self);
          philia_document_set_current_layout (self->document, name);
          return;
        }
      _philia_canvas_start_layout (self, self->graph, self->algorithm, FALSE);
      return;
    }

  cache = layout_cache (self->graph, FALSE);
  positions = cache != NULL ? g_hash_table_lookup (cache, self->algorithm) : NULL;
  if (positions != NULL)
    {
      _philia_canvas_cancel_layout (self);
      self->positions = positions;
      _philia_canvas_fit (self);
      _philia_canvas_update_actions (self);
      return;
    }

  /* The old drawing stays up (greyed by nothing) until the new positions land. */
  _philia_canvas_start_layout (self, self->graph, self->algorithm, FALSE);
}

void
_philia_canvas_clear_ego (PhiliaCanvas *self)
{
  g_clear_object (&self->ego_graph);
  g_clear_pointer (&self->ego_nodes, g_free);
  g_clear_pointer (&self->ego_positions, g_free);
  g_clear_pointer (&self->ego_values, g_free);
}

void
_philia_canvas_select_algorithm_in_dropdown (PhiliaCanvas *self)
{
  for (guint i = 0; i < self->algorithms->len; i++)
    if (g_strcmp0 (self->algorithms->pdata[i], self->algorithm) == 0)
      {
        gtk_drop_down_set_selected (self->layout_dropdown, i);
        return;
      }
}

static void ask_before_layout (PhiliaCanvas *self,
                               const char   *id);

void
_philia_canvas_on_layout_selected (GtkDropDown  *dropdown,
                                   GParamSpec   *pspec,
                                   PhiliaCanvas *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  const char *id;

  if (i >= self->algorithms->len)
    return;
  id = self->algorithms->pdata[i];
  if (g_str_has_prefix (id, DOC_LAYOUT_PREFIX))
    {
      if (self->document != NULL)
        philia_document_set_current_layout (self->document, id + strlen (DOC_LAYOUT_PREFIX));
      return;
    }
  if (self->graph != NULL && g_strcmp0 (id, self->algorithm) != 0
      && philia_layout_estimate_bytes (self->graph, id) > PHILIA_LAYOUT_MEMORY_WARN_BYTES)
    {
      ask_before_layout (self, id);
      return;
    }
  philia_canvas_set_layout (self, id);
}

/* The menu names what is drawn again. */
static void
select_shown_in_dropdown (PhiliaCanvas *self)
{
  g_signal_handlers_block_by_func (self->layout_dropdown, _philia_canvas_on_layout_selected, self);
  _philia_canvas_select_algorithm_in_dropdown (self);
  g_signal_handlers_unblock_by_func (self->layout_dropdown, _philia_canvas_on_layout_selected,
                                     self);
}

/**
 * _philia_canvas_restore_shown_layout:
 *
 * After a layout was cancelled: the layout menu (and #PhiliaCanvas:layout)
 * name the layout the drawing shows, not the one that never came.
 */
void
_philia_canvas_restore_shown_layout (PhiliaCanvas *self)
{
  const char *shown = NULL;

  if (self->graph == NULL || self->ego_graph != NULL)
    return;
  if (self->document != NULL)
    {
      const PhiliaDocumentLayout *current = philia_document_get_current_layout (self->document);

      if (current != NULL)
        shown = current->algorithm;
    }
  else
    {
      GHashTable *cache = layout_cache (self->graph, FALSE);
      GHashTableIter iter;
      gpointer key, value;

      if (cache != NULL)
        {
          g_hash_table_iter_init (&iter, cache);
          while (shown == NULL && g_hash_table_iter_next (&iter, &key, &value))
            if (value == self->positions)
              shown = key;
        }
    }
  if (shown == NULL || g_strcmp0 (shown, self->algorithm) == 0)
    return;

  g_free (self->algorithm);
  self->algorithm = g_strdup (shown);
  select_shown_in_dropdown (self);
  g_object_notify_by_pspec (G_OBJECT (self), _philia_canvas_properties[PROP_LAYOUT]);
}

static void
on_ask_response (GtkDialog *dialog,
                 int        response,
                 gpointer   user_data)
{
  PhiliaCanvas *self = PHILIA_CANVAS (user_data);
  g_autofree char *id = g_strdup (g_object_get_data (G_OBJECT (dialog), "philia-layout"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_ACCEPT)
    philia_canvas_set_layout (self, id);
  else
    select_shown_in_dropdown (self);
}

/* A layout whose memory grows with n² (Kamada–Kawai) on a large graph: say
 * how much it will take before taking it. */
static void
ask_before_layout (PhiliaCanvas *self,
                   const char   *id)
{
  const PhiliaAlgorithm *info = philia_registry_lookup (philia_registry_get_default (),
                                                        PHILIA_FAMILY_LAYOUT, id);
  g_autofree char *size = g_format_size (philia_layout_estimate_bytes (self->graph, id));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = gtk_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE,
                                   /* Translators: %s is a layout's name, %s a size ("1.2 GB") */
                                   _("%s needs about %s on this graph"),
                                   info != NULL ? _(info->name) : id, size);
  gtk_message_dialog_format_secondary_text (
    GTK_MESSAGE_DIALOG (dialog),
    /* Translators: %u is a number of nodes */
    _("Its memory grows with the square of the node count (%u nodes here), and it may take "
      "minutes. Multilevel and DrL draw large graphs in far less."),
    philia_graph_get_n_nodes (self->graph));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("_Run Anyway"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_object_set_data_full (G_OBJECT (dialog), "philia-layout", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_ask_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_philia_canvas_fill_layout_dropdown (PhiliaCanvas *self)
{
  g_autoptr(GPtrArray) list = philia_registry_list (philia_registry_get_default (),
                                                    PHILIA_FAMILY_LAYOUT);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n_layouts = self->document != NULL ? philia_document_get_n_layouts (self->document) : 0;

  g_ptr_array_set_size (self->algorithms, 0);
  for (guint i = 0; i < list->len; i++)
    {
      const PhiliaAlgorithm *algorithm = list->pdata[i];

      g_ptr_array_add (self->algorithms, g_strdup (algorithm->id));
      gtk_string_list_append (names, _(algorithm->name));
    }
  for (guint i = 0; i < n_layouts; i++)
    {
      const PhiliaDocumentLayout *layout = philia_document_get_layout (self->document, i);

      if (philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_LAYOUT,
                                  layout->algorithm) != NULL)
        continue;
      g_ptr_array_add (self->algorithms, g_strconcat (DOC_LAYOUT_PREFIX, layout->name, NULL));
      gtk_string_list_append (names, layout->name);
    }
  gtk_drop_down_set_model (self->layout_dropdown, G_LIST_MODEL (names));
}

/* The document */

/* Layouts are stored under their algorithm's (untranslated) name, so a
 * project reads the same in every language; running one again replaces it. */
static const char *
layout_name (const char *algorithm)
{
  const PhiliaAlgorithm *info = philia_registry_lookup (philia_registry_get_default (),
                                                        PHILIA_FAMILY_LAYOUT, algorithm);

  return info != NULL && info->name != NULL ? info->name : algorithm;
}

const char *
philia_canvas_get_layout (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), NULL);

  return self->algorithm;
}

/**
 * philia_canvas_set_layout:
 * @algorithm: a registered layout id ("fr", "kk", "drl", "circle", …)
 *
 * Switches the whole-graph layout: instant when computed before for this
 * graph, otherwise on a worker with progress and cancel.
 */
void
philia_canvas_set_layout (PhiliaCanvas *self,
                          const char   *algorithm)
{
  g_return_if_fail (PHILIA_IS_CANVAS (self));

  if (algorithm == NULL)
    return;
  /* With a document, what is on show may be a hand-made layout. */
  if (self->document != NULL && self->ego_graph == NULL
      && philia_document_get_current_layout (self->document) != NULL
      && g_strcmp0 (philia_document_get_current_layout (self->document)->algorithm,
                    algorithm) != 0)
    {
      g_free (self->algorithm);
      self->algorithm = g_strdup (algorithm);
      _philia_canvas_request_layout (self);
      g_object_notify_by_pspec (G_OBJECT (self), _philia_canvas_properties[PROP_LAYOUT]);
      return;
    }
  if (g_strcmp0 (self->algorithm, algorithm) == 0)
    return;

  g_free (self->algorithm);
  self->algorithm = g_strdup (algorithm);
  _philia_canvas_select_algorithm_in_dropdown (self);
  if (self->ego_graph != NULL)
    philia_canvas_show_whole_graph (self);
  else
    _philia_canvas_request_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), _philia_canvas_properties[PROP_LAYOUT]);
}

gboolean
philia_canvas_get_busy (PhiliaCanvas *self)
{
  g_return_val_if_fail (PHILIA_IS_CANVAS (self), FALSE);

  return self->busy;
}

/**
 * philia_canvas_show_neighbourhood:
 * @node: a node of the graph
 * @k: hops, 1 to 3
 *
 * Shows the k-hop ego network of @node as a graph of its own, laid out on a
 * worker (Kamada–Kawai when small, Fruchterman–Reingold otherwise). O(size
 * of the neighbourhood) plus one O(n) map.
 *
 * Returns: whether @node exists.
 */
gboolean
philia_canvas_show_neighbourhood (PhiliaCanvas *self,
                                  guint         node,
                                  guint         k)
{
  g_autoptr(PhiliaGraphBuilder) builder = NULL;
  g_autoptr(GArray) members = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint32 *index = NULL;
  g_autofree gint64 *labels = NULL;
  PhiliaGraph *ego;
  const gint64 *off;
  const gint32 *nbr;
  const gint32 *y;
  guint n, level_start = 0, m;

  g_return_val_if_fail (PHILIA_IS_CANVAS (self), FALSE);
  g_return_val_if_fail (k >= 1 && k <= 3, FALSE);

  if (self->graph == NULL || node >= philia_graph_get_n_nodes (self->graph))
    return FALSE;

  n = philia_graph_get_n_nodes (self->graph);
  off = philia_graph_get_row_offsets (self->graph);
  nbr = philia_graph_get_neighbors (self->graph);
  y = philia_graph_get_labels (self->graph);

  /* Breadth-first, level by level, up to k hops. */
  index = g_new (gint32, n);
  memset (index, 0xff, sizeof (gint32) * n);
  members = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_val (members, node);
  index[node] = 0;
  for (guint hop = 0; hop < k; hop++)
    {
      guint level_end = members->len;

      for (guint i = level_start; i < level_end; i++)
        {
          guint u = g_array_index (members, guint, i);

          for (gint64 e = off[u]; e < off[u + 1]; e++)
            if (index[nbr[e]] < 0)
              {
                guint v = (guint) nbr[e];

                index[v] = (gint32) members->len;
                g_array_append_val (members, v);
              }
        }
      level_start = level_end;
    }

  m = members->len;
  builder = philia_graph_builder_new (m);
  labels = g_new (gint64, m);
  for (guint i = 0; i < m; i++)
    {
      guint u = g_array_index (members, guint, i);

      labels[i] = y[u];
      for (gint64 e = off[u]; e < off[u + 1]; e++)
        if (index[nbr[e]] > (gint32) i)
          philia_graph_builder_add_edge (builder, i, index[nbr[e]]);
    }
  philia_graph_builder_take_labels (builder, g_steal_pointer (&labels));
  if (philia_graph_has_class_names (self->graph))
    {
      guint c = philia_graph_get_n_classes (self->graph);
      char **names = g_new0 (char *, c + 1);

      for (guint i = 0; i < c; i++)
        names[i] = g_strdup (philia_graph_get_class_name (self->graph, i));
      philia_graph_builder_take_class_names (builder, names);
    }
  {
    /* The neighbourhood's nodes keep the whole graph's names, or its ids. */
    char **names = g_new0 (char *, m + 1);

    for (guint i = 0; i < m; i++)
      {
        guint u = g_array_index (members, guint, i);
        const char *name = philia_graph_get_node_name (self->graph, u);

        names[i] = name != NULL ? g_strdup (name) : g_strdup_printf ("%u", u);
      }
    philia_graph_builder_take_node_names (builder, names);
  }
  philia_graph_builder_set_source (builder, philia_graph_get_source (self->graph), "ego");

  ego = philia_graph_builder_build (builder, &error);
  if (ego == NULL)
    {
      g_warning ("Could not build the neighbourhood of node %u: %s", node, error->message);
      return FALSE;
    }

  _philia_canvas_cancel_layout (self);
  _philia_canvas_clear_ego (self);
  self->ego_graph = ego;
  self->ego_root = node;
  self->ego_nodes = (guint *) g_array_free (g_steal_pointer (&members), FALSE);
  self->ego_values = g_new (double, m);
  _philia_canvas_get_local_homophily (self);
  for (guint i = 0; i < m; i++)
    self->ego_values[i] = self->local_homophily != NULL
                          ? self->local_homophily[self->ego_nodes[i]] : NAN;
  self->positions = NULL;
  _philia_canvas_update_selected_flags (self);
  _philia_canvas_update_overlays (self);
  _philia_canvas_update_view (self);
  _philia_canvas_update_actions (self);

  _philia_canvas_start_layout (self, ego, m <= 500 ? "kk" : "fr", TRUE);
  return TRUE;
}

/* Back from a neighbourhood to the whole graph (its cached layout when there is one). */
void
philia_canvas_show_whole_graph (PhiliaCanvas *self)
{
  g_return_if_fail (PHILIA_IS_CANVAS (self));

  if (self->ego_graph == NULL)
    return;

  _philia_canvas_cancel_layout (self);
  _philia_canvas_clear_ego (self);
  self->positions = NULL;
  _philia_canvas_update_selected_flags (self);
  _philia_canvas_update_overlays (self);
  _philia_canvas_update_view (self);
  _philia_canvas_request_layout (self);
  _philia_canvas_update_actions (self);
}
