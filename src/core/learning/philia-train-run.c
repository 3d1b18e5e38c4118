/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-train-run.h"

#include <math.h>

#include "philia-epoch-relay.h"
#include "philia-error.h"

/* Shared by the worker and the task; freed with the last reference. */
typedef struct
{
  PhiliaGraph           *graph;
  char                  *model;
  PhiliaTrainParams      params;
  PhiliaEpochRelay      *relay;
} TrainJob;

static void
train_job_clear (TrainJob *job)
{
  g_clear_object (&job->graph);
  g_clear_pointer (&job->model, g_free);
  g_clear_pointer (&job->relay, _philia_epoch_relay_unref);
}

static void
train_job_unref (TrainJob *job)
{
  g_atomic_rc_box_release_full (job, (GDestroyNotify) train_job_clear);
}

static void
dispatch_epochs (GCallback     func,
                 gconstpointer items,
                 guint         n_items,
                 gpointer      data)
{
  ((PhiliaTrainEpochsFunc) func) (items, n_items, data);
}

/* Worker thread. */
static void
on_epoch (const PhiliaTrainEpoch *epoch,
          gpointer                user_data)
{
  TrainJob *job = user_data;

  _philia_epoch_relay_push (job->relay, epoch);
}

static void
train_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TrainJob *job = task_data;
  PhiliaTrainResult *result;
  GError *error = NULL;

  result = philia_train (job->graph, job->model, &job->params, NULL, cancellable, on_epoch, job,
                         &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) philia_train_result_free);
}

/**
 * philia_train_async:
 * @graph: the dataset (immutable, referenced for the run)
 * @params: (nullable): copied; %NULL for the model's defaults
 * @epochs_func: (nullable): receives epochs on the calling thread's
 *   thread-default main context, batched, at most every 16 ms
 * @epochs_destroy: (nullable): frees @epochs_data when the run is over
 *
 * Runs philia_train() on a worker thread. Cancelling @cancellable stops the
 * run within one epoch (philia_train_finish() then fails with
 * %G_IO_ERROR_CANCELLED).
 */
void
philia_train_async (PhiliaGraph             *graph,
                    const char              *model_id,
                    const PhiliaTrainParams *params,
                    GCancellable            *cancellable,
                    PhiliaTrainEpochsFunc    epochs_func,
                    gpointer                 epochs_data,
                    GDestroyNotify           epochs_destroy,
                    GAsyncReadyCallback      callback,
                    gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  TrainJob *job;

  g_return_if_fail (PHILIA_IS_GRAPH (graph));
  g_return_if_fail (model_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_atomic_rc_box_new0 (TrainJob);
  job->graph = g_object_ref (graph);
  job->model = g_strdup (model_id);
  if (params != NULL)
    job->params = *params;
  else
    philia_train_params_init (&job->params);
  job->relay = _philia_epoch_relay_new (sizeof (PhiliaTrainEpoch), "[philia] training epochs",
                                        dispatch_epochs, (GCallback) epochs_func, epochs_data,
                                        epochs_destroy);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, philia_train_async);
  g_task_set_name (task, "[philia] train");
  g_task_set_task_data (task, job, (GDestroyNotify) train_job_unref);
  /* Cancelled means cancelled, even if the last epoch just finished. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, train_thread);
}

/**
 * philia_train_finish:
 *
 * Every epoch not yet handed to the epochs function is handed over before
 * this returns, so the curves are complete when the result arrives; then the
 * epochs data is released. Call it on the thread that started the run.
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
PhiliaTrainResult *
philia_train_finish (GAsyncResult  *result,
                     GError       **error)
{
  GTask *task = G_TASK (result);
  TrainJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == philia_train_async, NULL);

  job = g_task_get_task_data (task);
  _philia_epoch_relay_finish (job->relay);
  return g_task_propagate_pointer (task, error);
}

gboolean
philia_train_model_defaults (const char        *model_id,
                             PhiliaTrainParams *params,
                             gboolean          *needs_features)
{
  const PhiliaAlgorithm *algorithm;
  const PhiliaModelVTable *vtable;

  g_return_val_if_fail (model_id != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);

  philia_train_params_init (params);
  algorithm = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MODEL,
                                      model_id);
  if (algorithm == NULL || algorithm->vtable == NULL)
    return FALSE;
  vtable = algorithm->vtable;
  vtable->defaults (params);
  if (needs_features != NULL)
    *needs_features = vtable->needs_features;
  return TRUE;
}

/* ",x" with the fewest digits (6 to 9) that read back as the very float @x:
 * distinct probabilities stay distinct and in order, so a metric recomputed
 * from the file (a ROC-AUC from p1) equals the one Philia reports. A '.' in
 * any locale. */
static void
append_exact (GString *csv,
              float    x)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  for (int digits = 6; digits <= 9; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buffer, sizeof buffer, format, x);
      if ((float) g_ascii_strtod (buffer, NULL) == x)
        break;
    }
  g_string_append_c (csv, ',');
  g_string_append (csv, buffer);
}

/**
 * philia_train_result_predictions_csv:
 *
 * The predictions at the best epoch as `philia-cli train --predictions`
 * writes them.
 *
 * Returns: (transfer full): the CSV text
 */
char *
philia_train_result_predictions_csv (const PhiliaTrainResult *r,
                                     PhiliaGraph             *graph)
{
  GString *csv = g_string_new ("id,label,prediction,correct");
  const gint32 *labels;

  g_return_val_if_fail (r != NULL, NULL);
  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (philia_graph_get_n_nodes (graph) == r->n_nodes, NULL);

  labels = philia_graph_get_labels (graph);
  for (guint k = 0; k < r->n_classes; k++)
    g_string_append_printf (csv, ",p%u", k);
  for (guint i = 0; r->node_values != NULL && i < r->node_values->len; i++)
    {
      const PhiliaNodeValues *nv = g_ptr_array_index (r->node_values, i);

      g_string_append_printf (csv, ",%s", nv->name);
    }
  g_string_append_c (csv, '\n');
  for (guint v = 0; v < r->n_nodes; v++)
    {
      g_string_append_printf (csv, "%u,%d,%d,%s", v, labels[v], r->predictions[v],
                              labels[v] < 0 ? "" : labels[v] == r->predictions[v] ? "1" : "0");
      for (guint k = 0; k < r->n_classes; k++)
        append_exact (csv, r->probabilities[(gsize) v * r->n_classes + k]);
      for (guint i = 0; r->node_values != NULL && i < r->node_values->len; i++)
        {
          const PhiliaNodeValues *nv = g_ptr_array_index (r->node_values, i);

          g_string_append_printf (csv, ",%.9g", nv->values[v]);
        }
      g_string_append_c (csv, '\n');
    }
  return g_string_free (csv, FALSE);
}

/**
 * philia_train_result_attention_csv:
 *
 * Every attention weight at the best epoch as `philia-cli train --attention`
 * writes them: per layer, target node and head, the self-loop first, then the
 * neighbours in CSR order. Only the header for a model without attention.
 *
 * Returns: (transfer full): the CSV text
 */
char *
philia_train_result_attention_csv (const PhiliaTrainResult *r,
                                   PhiliaGraph             *graph)
{
  GString *csv = g_string_new ("layer,head,target,source,attention\n");
  const gint64 *off;
  const gint32 *nbr;

  g_return_val_if_fail (r != NULL, NULL);
  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (philia_graph_get_n_nodes (graph) == r->n_nodes, NULL);

  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  for (guint l = 0; r->attention != NULL && l < r->attention->len; l++)
    {
      const PhiliaAttention *a = &g_array_index (r->attention, PhiliaAttention, l);

      for (guint v = 0; v < r->n_nodes; v++)
        for (guint h = 0; h < a->heads; h++)
          {
            g_string_append_printf (csv, "%u,%u,%u,%u,%.6g\n", a->layer, h, v, v,
                                    a->self[(gsize) v * a->heads + h]);
            for (gint64 e = off[v]; e < off[v + 1]; e++)
              g_string_append_printf (csv, "%u,%u,%u,%d,%.6g\n", a->layer, h, v, nbr[e],
                                      a->edges[e * a->heads + h]);
          }
    }
  return g_string_free (csv, FALSE);
}

static const PhiliaAttention *
find_layer (const PhiliaTrainResult *r,
            guint                    layer,
            int                      head)
{
  for (guint l = 0; r->attention != NULL && l < r->attention->len; l++)
    {
      const PhiliaAttention *a = &g_array_index (r->attention, PhiliaAttention, l);

      if (a->layer == layer)
        return head < (int) a->heads ? a : NULL;
    }
  return NULL;
}

static double
pick (const float *values,
      gsize        row,
      guint        heads,
      int          head)
{
  double sum = 0;

  if (head >= 0)
    return values[row * heads + head];
  for (guint h = 0; h < heads; h++)
    sum += values[row * heads + h];
  return sum / heads;
}

/**
 * philia_train_result_attention_values:
 *
 * Returns: (transfer full) (nullable): 2m values in CSR order
 */
double *
philia_train_result_attention_values (const PhiliaTrainResult *r,
                                      PhiliaGraph             *graph,
                                      guint                    layer,
                                      int                      head,
                                      double                  *self_values)
{
  const PhiliaAttention *a;
  const gint64 *off;
  double *values;

  g_return_val_if_fail (r != NULL, NULL);
  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (philia_graph_get_n_nodes (graph) == r->n_nodes, NULL);

  a = find_layer (r, layer, head);
  if (a == NULL)
    return NULL;

  off = philia_graph_get_row_offsets (graph);
  values = g_new (double, MAX (off[r->n_nodes], 1));
  for (gint64 e = 0; e < off[r->n_nodes]; e++)
    values[e] = pick (a->edges, e, a->heads, head);
  if (self_values != NULL)
    for (guint v = 0; v < r->n_nodes; v++)
      self_values[v] = pick (a->self, v, a->heads, head);
  return values;
}

/**
 * philia_train_result_attention_is_softmax:
 *
 * Whether every node's attention in layer @layer sums to 1 over its
 * neighbours and itself, on every head (within 1e-3, float rounding), as a
 * GAT's softmax over N(v) ∪ {v} does. Only then is 1 / (deg v + 1) what
 * uniform attention gives, and philia_attention_relative_to_uniform() means
 * something; signed coefficients (FAGCN's) are not a distribution.
 */
gboolean
philia_train_result_attention_is_softmax (const PhiliaTrainResult *r,
                                          PhiliaGraph             *graph,
                                          guint                    layer)
{
  const PhiliaAttention *a;
  const gint64 *off;

  g_return_val_if_fail (r != NULL, FALSE);
  g_return_val_if_fail (PHILIA_IS_GRAPH (graph), FALSE);

  a = find_layer (r, layer, 0);
  if (a == NULL || philia_graph_get_n_nodes (graph) != r->n_nodes)
    return FALSE;
  off = philia_graph_get_row_offsets (graph);
  for (guint v = 0; v < r->n_nodes; v++)
    for (guint h = 0; h < a->heads; h++)
      {
        double sum = a->self[(gsize) v * a->heads + h];

        for (gint64 e = off[v]; e < off[v + 1]; e++)
          {
            if (a->edges[e * a->heads + h] < 0)
              return FALSE;
            sum += a->edges[e * a->heads + h];
          }
        if (fabs (sum - 1) > 1e-3)
          return FALSE;
      }
  return TRUE;
}

/**
 * philia_attention_relative_to_uniform:
 * @values: 2m attention values in CSR order (row v: what v puts on each
 *   neighbour), scaled in place
 * @self_values: (nullable): n self-loop values, scaled in place
 *
 * Divides each node's attention by what a uniform softmax over its
 * neighbours and itself would give: α · (deg v + 1), so 1 is uniform, 2 is
 * twice the uniform share and ½ half of it. Raw α is about 1 / (deg + 1)
 * everywhere and so mostly tracks degree; this does not.
 */
void
philia_attention_relative_to_uniform (PhiliaGraph *graph,
                                      double      *values,
                                      double      *self_values)
{
  const gint64 *off;
  guint n;

  g_return_if_fail (PHILIA_IS_GRAPH (graph));
  g_return_if_fail (values != NULL);

  n = philia_graph_get_n_nodes (graph);
  off = philia_graph_get_row_offsets (graph);
  for (guint v = 0; v < n; v++)
    {
      double uniform = (double) (off[v + 1] - off[v]) + 1;

      for (gint64 e = off[v]; e < off[v + 1]; e++)
        values[e] *= uniform;
      if (self_values != NULL)
        self_values[v] *= uniform;
    }
}

/**
 * philia_attention_combine_directions:
 * @values: 2m values in CSR order, combined in place
 *
 * An undirected edge u – v carries two coefficients, what u puts on v (row
 * u) and what v puts on u (row v). After this both entries hold one number,
 * the larger of the two (@mean %FALSE) or their mean, so a drawing of the
 * edge shows it whichever entry it reads. NaN counts only when both are.
 */
void
philia_attention_combine_directions (PhiliaGraph *graph,
                                     double      *values,
                                     gboolean     mean)
{
  const gint64 *off;
  const gint32 *nbr;
  guint n;

  g_return_if_fail (PHILIA_IS_GRAPH (graph));
  g_return_if_fail (values != NULL);

  n = philia_graph_get_n_nodes (graph);
  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  for (guint u = 0; u < n; u++)
    for (gint64 e = off[u]; e < off[u + 1]; e++)
      {
        gint64 back;
        double a, b, both;

        if ((guint) nbr[e] <= u || (back = philia_graph_find_edge (graph, nbr[e], u)) < 0)
          continue;
        a = values[e];
        b = values[back];
        if (isnan (a) || isnan (b))
          both = isnan (a) ? b : a;
        else
          both = mean ? (a + b) / 2 : MAX (a, b);
        values[e] = values[back] = both;
      }
}

/**
 * philia_train_result_same_label_attention:
 *
 * Returns: (transfer full) (nullable): n shares in [0, 1] or NaN
 */
double *
philia_train_result_same_label_attention (const PhiliaTrainResult *r,
                                          PhiliaGraph             *graph,
                                          guint                    layer,
                                          int                      head)
{
  g_autofree double *edges = NULL;
  const gint64 *off;
  const gint32 *nbr, *y;
  double *share;

  edges = philia_train_result_attention_values (r, graph, layer, head, NULL);
  if (edges == NULL)
    return NULL;

  off = philia_graph_get_row_offsets (graph);
  nbr = philia_graph_get_neighbors (graph);
  y = philia_graph_get_labels (graph);
  share = g_new (double, MAX (r->n_nodes, 1));
  for (guint v = 0; v < r->n_nodes; v++)
    {
      double same = 0, total = 0;

      share[v] = NAN;
      if (y[v] < 0)
        continue;
      for (gint64 e = off[v]; e < off[v + 1]; e++)
        if (y[nbr[e]] >= 0)
          {
            total += edges[e];
            if (y[nbr[e]] == y[v])
              same += edges[e];
          }
      if (total > 0)
        share[v] = same / total;
    }
  return share;
}

/* Bounds on LAYER and HEAD: more than any model Philia trains. */
#define ATTENTION_OVERLAY_MAX 1000

/* "run:ID:KIND[:LAYER[:HEAD]][:relative][:mean]", with only the flags the
 * kind allows. */
static gboolean
parse_attention_name (const char             *name,
                      const char             *kind,
                      gboolean                allow_relative,
                      gboolean                allow_mean,
                      PhiliaAttentionOverlay *out)
{
  PhiliaAttentionOverlay o = { 0, 0, -1, FALSE, FALSE };
  g_auto(GStrv) parts = NULL;
  guint64 value;
  guint i, n_numbers = 0;

  if (name == NULL || !g_str_has_prefix (name, "run:"))
    return FALSE;
  parts = g_strsplit (name + 4, ":", -1);
  if (parts[0] == NULL
      || !g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXUINT, &value, NULL)
      || g_strcmp0 (parts[1], kind) != 0)
    return FALSE;
  o.run_id = (guint) value;
  for (i = 2; parts[i] != NULL; i++)
    {
      if (allow_relative && g_str_equal (parts[i], "relative") && !o.relative)
        o.relative = TRUE;
      else if (allow_mean && g_str_equal (parts[i], "mean") && !o.mean)
        o.mean = TRUE;
      /* Numbers come first: "attention:1:relative:2" is not a head. */
      else if (n_numbers < 2 && !o.relative && !o.mean
               && g_ascii_string_to_unsigned (parts[i], 10, 0, ATTENTION_OVERLAY_MAX,
                                              &value, NULL))
        {
          if (n_numbers++ == 0)
            o.layer = (guint) value;
          else
            o.head = (int) value;
        }
      else
        return FALSE;
    }
  if (out != NULL)
    *out = o;
  return TRUE;
}

gboolean
philia_attention_overlay_parse (const char             *overlay,
                                PhiliaAttentionOverlay *out)
{
  return parse_attention_name (overlay, "attention", TRUE, TRUE, out);
}

char *
philia_attention_overlay_format (const PhiliaAttentionOverlay *overlay)
{
  GString *s;

  g_return_val_if_fail (overlay != NULL, NULL);

  s = g_string_new (NULL);
  g_string_printf (s, "run:%u:attention:%u", overlay->run_id, overlay->layer);
  if (overlay->head >= 0)
    g_string_append_printf (s, ":%d", overlay->head);
  if (overlay->relative)
    g_string_append (s, ":relative");
  if (overlay->mean)
    g_string_append (s, ":mean");
  return g_string_free (s, FALSE);
}

#define SAME_LABEL_NODES "same-label-attention"
#define SELF_NODES       "self-attention"

gboolean
philia_attention_nodes_parse (const char             *color_by,
                              PhiliaAttentionNodes   *what,
                              PhiliaAttentionOverlay *out)
{
  PhiliaAttentionNodes kind;

  /* The share does not depend on the scale, so it takes no "relative". */
  if (parse_attention_name (color_by, SAME_LABEL_NODES, FALSE, FALSE, out))
    kind = PHILIA_ATTENTION_NODES_SAME_LABEL;
  else if (parse_attention_name (color_by, SELF_NODES, TRUE, FALSE, out))
    kind = PHILIA_ATTENTION_NODES_SELF;
  else
    return FALSE;
  if (what != NULL)
    *what = kind;
  return TRUE;
}

char *
philia_attention_nodes_format (PhiliaAttentionNodes          what,
                               const PhiliaAttentionOverlay *overlay)
{
  GString *s;

  g_return_val_if_fail (overlay != NULL, NULL);
  g_return_val_if_fail (what == PHILIA_ATTENTION_NODES_SAME_LABEL
                        || what == PHILIA_ATTENTION_NODES_SELF, NULL);

  s = g_string_new (NULL);
  g_string_printf (s, "run:%u:%s:%u", overlay->run_id,
                   what == PHILIA_ATTENTION_NODES_SAME_LABEL ? SAME_LABEL_NODES : SELF_NODES,
                   overlay->layer);
  if (overlay->head >= 0)
    g_string_append_printf (s, ":%d", overlay->head);
  if (overlay->relative && what == PHILIA_ATTENTION_NODES_SELF)
    g_string_append (s, ":relative");
  return g_string_free (s, FALSE);
}

/**
 * philia_attention_nodes_values:
 *
 * Returns: (transfer full) (nullable): n values
 */
double *
philia_attention_nodes_values (const PhiliaTrainResult      *result,
                               PhiliaGraph                  *graph,
                               PhiliaAttentionNodes          what,
                               const PhiliaAttentionOverlay *overlay,
                               gboolean                     *relative_out,
                               double                       *vmin,
                               double                       *vmax)
{
  g_autofree double *edges = NULL;
  g_autofree double *values = NULL;
  gboolean relative = FALSE;
  double hi = 1;
  guint n;

  g_return_val_if_fail (result != NULL && PHILIA_IS_GRAPH (graph) && overlay != NULL, NULL);

  n = philia_graph_get_n_nodes (graph);
  /* A run of another graph (a project whose dataset changed) has nothing to show. */
  if (result->n_nodes != n || result->attention == NULL
      || overlay->layer >= result->attention->len)
    return NULL;
  if (what == PHILIA_ATTENTION_NODES_SAME_LABEL)
    values = philia_train_result_same_label_attention (result, graph, overlay->layer,
                                                       overlay->head);
  else
    {
      values = g_new (double, MAX (n, 1));
      edges = philia_train_result_attention_values (result, graph, overlay->layer,
                                                    overlay->head, values);
      if (edges == NULL)
        g_clear_pointer (&values, g_free);
      /* Only a softmax over the neighbours and itself has a uniform value,
       * 1 / (deg + 1); else it mostly shows degree. */
      relative = values != NULL && overlay->relative
                 && philia_train_result_attention_is_softmax (result, graph, overlay->layer);
      if (relative)
        {
          philia_attention_relative_to_uniform (graph, edges, values);
          for (guint v = 0; v < n; v++)
            if (!isnan (values[v]))
              hi = MAX (hi, values[v]);
        }
    }
  if (values == NULL)
    return NULL;
  if (relative_out != NULL)
    *relative_out = relative;
  if (vmin != NULL)
    *vmin = 0;
  if (vmax != NULL)
    *vmax = hi;
  return g_steal_pointer (&values);
}
