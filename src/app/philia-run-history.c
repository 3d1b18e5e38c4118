/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-run-history.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "philia-app-private.h"
#include "philia-chart-view.h"

/* The Train panel's run history: one entry per run or per group of runs
 * over splits × seeds (mean ± sample standard deviation), with its colour,
 * and the test accuracy by local homophily of every entry. With a document
 * the history is the document's runs (a reopened project's too): it follows
 * the document's "changed", and removing an entry deletes its runs there, an
 * undoable step. Ctrl-click selects several entries; the first selected is
 * the one the panel's inspect views show. */

typedef PhiliaRunEntry Run;

struct _PhiliaRunHistory
{
  GtkWidget         parent_instance;

  /* Template widgets */
  GtkListBox       *runs_list;
  GtkLabel         *runs_note;
  PhiliaChartView  *homophily_chart;

  /* Owned */
  PhiliaDocument   *document;
  GPtrArray        *runs;          /* Run*, history order */
  guint             next_run_id;
  guint             next_color;
  gint              adopt_color;   /* colour of the run the document adds next, or -1 */
  GHashTable       *run_colors;    /* document run id → palette index, kept across undo */
  gboolean          disposed;
};

G_DEFINE_FINAL_TYPE (PhiliaRunHistory, philia_run_history, GTK_TYPE_WIDGET)

enum {
  SELECTION_CHANGED,
  REMOVING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The model's name ("GCN"), or its id for a model the registry does not know. */
const char *
philia_run_model_name (const char *id)
{
  const PhiliaAlgorithm *a = philia_registry_lookup (philia_registry_get_default (),
                                                     PHILIA_FAMILY_MODEL, id);

  return a != NULL && a->name != NULL ? a->name : id;
}

static void
run_free (Run *run)
{
  if (run->doc_runs != NULL)
    {
      /* The document's results: the runs hold them. */
      g_clear_pointer (&run->members, g_ptr_array_unref);
      run->result = NULL;
      g_ptr_array_unref (run->doc_runs);
    }
  if (run->members != NULL)
    g_ptr_array_unref (run->members);   /* owns result too */
  else
    g_clear_pointer (&run->result, philia_train_result_free);
  for (guint k = 0; k < PHILIA_RUN_N_CURVES; k++)
    {
      g_free (run->mean[k]);
      g_free (run->std[k]);
    }
  g_free (run->title);
  g_free (run->name);
  g_free (run->inspected);
  g_free (run);
}

/* "GCN" while the history holds one GCN run, "GCN #2" once there are more. */
const char *
philia_run_history_display_name (PhiliaRunHistory *self,
                                 PhiliaRunEntry   *run)
{
  guint same = 0;

  for (guint i = 0; i < self->runs->len; i++)
    same += g_str_equal (((Run *) g_ptr_array_index (self->runs, i))->result->model,
                         run->result->model);
  return same > 1 ? run->name : philia_run_model_name (run->result->model);
}

/* Curves of the selected runs plus the live one, in the panel's colours. */
/* The selected entries, in selection order (a new array, NULL-terminated). */
guint
philia_run_history_get_selected (PhiliaRunHistory  *self,
                                 PhiliaRunEntry  ***out)
{
  g_autoptr(GList) rows = gtk_list_box_get_selected_rows (self->runs_list);
  Run **shown = g_new0 (Run *, g_list_length (rows) + 1);
  guint n = 0;

  for (GList *l = rows; l != NULL; l = l->next)
    {
      Run *run = g_object_get_data (G_OBJECT (l->data), "run");

      if (run != NULL)
        shown[n++] = run;
    }
  *out = shown;
  return n;
}

static const double *
result_curve (const PhiliaTrainResult *r,
              PhiliaRunCurve                kind)
{
  switch (kind)
    {
    case PHILIA_RUN_CURVE_LOSS:
      return r->loss;
    case PHILIA_RUN_CURVE_VAL_LOSS:
      return r->val_loss;
    case PHILIA_RUN_CURVE_TRAIN_ACC:
      return r->train_curve;
    case PHILIA_RUN_CURVE_VAL_ACC:
      return r->val_curve;
    case PHILIA_RUN_CURVE_TRAIN_AUC:
      return r->train_auc_curve;
    case PHILIA_RUN_CURVE_VAL_AUC:
      return r->val_auc_curve;
    case PHILIA_RUN_N_CURVES:
    default:
      return NULL;
    }
}

/* A run's curve of @kind (a group's per-epoch mean), with a group's standard
 * deviation in @spread; NULL when the run has no such curve. */
const double *
philia_run_entry_get_curve (PhiliaRunEntry  *run,
                            PhiliaRunCurve   kind,
                            const double   **spread)
{
  *spread = run->members != NULL ? run->std[kind] : NULL;
  return run->members != NULL ? run->mean[kind] : result_curve (run->result, kind);
}

static void
draw_homophily (cairo_t                 *cr,
                double                   width,
                double                   height,
                const PhiliaRenderStyle *style,
                gpointer                 user_data)
{
  PhiliaRunHistory *self = user_data;
  guint n = self->runs->len;
  g_autofree const PhiliaTrainResult **results = g_new0 (const PhiliaTrainResult *, n + 1);
  g_autofree const char **names = g_new0 (const char *, n + 1);
  g_autofree guint *colors = g_new0 (guint, n + 1);

  for (guint i = 0; i < n; i++)
    {
      Run *run = g_ptr_array_index (self->runs, i);

      /* A group shows the test nodes of all its runs pooled. */
      results[i] = run->members != NULL ? &run->pooled : run->result;
      names[i] = run->members != NULL ? run->name : philia_run_history_display_name (self, run);
      colors[i] = run->color;
    }
  philia_accuracy_by_homophily_draw (cr, width, height, results, names, colors, n, style);
}

/* "0.812" or "—" for an undefined value. */
static void
append_value (GString *text,
              double   value)
{
  if (isnan (value))
    g_string_append (text, "—");
  else
    g_string_append_printf (text, "%.3f", value);
}

/* "0.812 ± 0.015", "0.812 (one run)" or "—". */
static void
append_spread (GString      *text,
               const PhiliaSpread *spread)
{
  append_value (text, spread->mean);
  if (spread->n >= 2)
    g_string_append_printf (text, " ± %.3f", spread->std);
  else if (spread->n == 1)
    g_string_append (text, _(" (one run)"));
}

/* The history row's second line: the metric, accuracy, the majority baseline;
 * a group's with its run count and time unless @bare. */
char *
philia_run_entry_details (PhiliaRunEntry *run,
                          gboolean        bare)
{
  PhiliaTrainResult *r = run->result;
  gboolean auc = r->metric == PHILIA_METRIC_ROC_AUC;
  GString *text = g_string_new (NULL);

  if (run->members != NULL)
    {
      /* Translators: a group's summary: "test ROC-AUC 0.991 ± 0.030, accuracy …" */
      if (auc)
        {
          g_string_append (text, _("test ROC-AUC "));
          append_spread (text, &run->test_roc_auc);
          g_string_append (text, _(", accuracy "));
        }
      else
        g_string_append (text, _("test "));
      append_spread (text, &run->test_accuracy);
      g_string_append (text, _(" (majority "));
      append_spread (text, &run->test_majority);
      g_string_append_c (text, ')');
      if (!bare)
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " · %u run · %.1f s",
                                                   " · %u runs · %.1f s", run->members->len),
                                run->members->len, run->seconds);
      return g_string_free (text, FALSE);
    }

  switch (r->best_epoch_rule)
    {
    case PHILIA_BEST_BY_VAL_ROC_AUC:
      g_string_append (text, _("best val ROC-AUC "));
      append_value (text, r->val_roc_auc);
      break;
    case PHILIA_BEST_BY_VAL_ACCURACY:
      g_string_append (text, auc ? _("best val accuracy ") : _("best val "));
      append_value (text, r->val_accuracy);
      break;
    case PHILIA_BEST_BY_LAST_EPOCH:
    default:
      g_string_append (text, _("no validation nodes, last epoch"));
      break;
    }
  g_string_append_printf (text, _(" (epoch %u) · "), r->best_epoch);
  if (auc)
    {
      g_string_append (text, _("test ROC-AUC "));
      append_value (text, r->test_roc_auc);
      g_string_append (text, _(", accuracy "));
    }
  else
    g_string_append (text, _("test "));
  append_value (text, r->test_accuracy);
  g_string_append (text, _(" (majority "));
  append_value (text, r->test_majority);
  g_string_append_printf (text, _(") · %.1f s"), r->seconds);
  return g_string_free (text, FALSE);
}

/* "Applied from acm.philia-model", "Adapted (SOGA) from acm: GCN #1", or
 * NULL for a run trained here (or a group). */
static char *
provenance_text (Run *run)
{
  const PhiliaDocumentRun *doc_run;
  const char *source;

  if (run->doc_runs == NULL || run->doc_runs->len != 1)
    return NULL;
  doc_run = g_ptr_array_index (run->doc_runs, 0);
  /* Translators: where an applied or adapted run's model came from, when unknown */
  source = doc_run->provenance_source != NULL ? doc_run->provenance_source : _("a saved model");
  if (doc_run->provenance == PHILIA_RUN_APPLIED)
    /* Translators: a run made by applying a saved model, "Applied from acm.philia-model" */
    return g_strdup_printf (_("Applied from %s (no training)"), source);
  if (doc_run->provenance == PHILIA_RUN_ADAPTED)
    {
      g_autofree char *method = g_ascii_strup (doc_run->provenance_method != NULL
                                               ? doc_run->provenance_method : "soga", -1);

      /* Translators: a run made by adapting a model, "Adapted (SOGA) from acm: GCN #1" */
      return g_strdup_printf (_("Adapted (%s) from %s"), method, source);
    }
  return NULL;
}

static GtkWidget *
provenance_line (Run *run)
{
  g_autofree char *text = provenance_text (run);
  const PhiliaDocumentRun *doc_run;
  GtkWidget *line, *icon, *label;

  if (text == NULL)
    return NULL;
  doc_run = g_ptr_array_index (run->doc_runs, 0);
  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  icon = gtk_image_new_from_icon_name (doc_run->provenance == PHILIA_RUN_ADAPTED
                                       ? "view-refresh-symbolic" : "document-open-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_tooltip_text (label, text);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "accent");
  gtk_box_append (GTK_BOX (line), icon);
  gtk_box_append (GTK_BOX (line), label);
  gtk_widget_set_name (line, "provenance");
  return line;
}

static GtkWidget *
run_row_new (Run *run)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *swatch = gtk_label_new (NULL);
  GtkWidget *title = gtk_label_new (run->title);
  GtkWidget *details, *remove, *save = NULL, *provenance;
  g_autofree char *markup = NULL;
  g_autofree char *text = NULL;
  PhiliaRgba c;

  philia_palette_get_categorical (run->color, &c);
  markup = g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">■</span>",
                            (int) lround (c.r * 255), (int) lround (c.g * 255),
                            (int) lround (c.b * 255));
  gtk_label_set_markup (GTK_LABEL (swatch), markup);
  gtk_accessible_update_state (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);

  text = philia_run_entry_details (run, FALSE);
  details = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  /* Wrapped: the numbers are the point, none may be cut off. */
  gtk_label_set_wrap (GTK_LABEL (details), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (details), 40);
  gtk_widget_set_tooltip_text (details,
                               run->members != NULL
                               ? _("Mean ± sample standard deviation (n − 1) over the runs; the "
                                   "majority baseline is the test accuracy of always predicting "
                                   "the most frequent class of each run’s training nodes.")
                               : _("The majority baseline is the test accuracy of always "
                                   "predicting the most frequent class of the training nodes."));
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (details, "caption");
  gtk_widget_add_css_class (details, "numeric");
  gtk_box_append (GTK_BOX (texts), title);
  if ((provenance = provenance_line (run)) != NULL)
    gtk_box_append (GTK_BOX (texts), provenance);
  gtk_box_append (GTK_BOX (texts), details);
  gtk_widget_set_hexpand (texts, TRUE);

  remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove Run"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "train.remove-run");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "u", run->id);
  /* A model file holds one run's weights: not offered for a group. */
  if (run->members == NULL && run->result->weights != NULL)
    {
      save = gtk_button_new_from_icon_name ("document-save-symbolic");
      gtk_widget_add_css_class (save, "flat");
      gtk_widget_set_valign (save, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (save, _("Save Model…"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (save), "train.save-model");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (save), "u", run->id);
    }

  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 4);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), texts);
  if (save != NULL)
    gtk_box_append (GTK_BOX (box), save);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "run", run);
  /* Rows come after the window named its controls: the icon buttons and the
   * row itself get their names here. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, run->title,
                                  -1);
  _philia_widget_name_controls (row);
  return row;
}

static void
update_runs_note (PhiliaRunHistory *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->runs_list), self->runs->len > 0);
  gtk_label_set_text (self->runs_note,
                      self->runs->len == 0
                      ? _("No runs yet. Train a model; Ctrl-click runs to compare their curves.")
                      : _("Ctrl-click runs to compare their curves; the first selected run "
                          "colours the canvas and fills the inspector."));
}

static void
on_runs_selection_changed (GtkListBox       *list,
                           PhiliaRunHistory *self)
{
  /* Tearing the template down unselects rows too. */
  if (self->disposed)
    return;
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
add_entry (PhiliaRunHistory *self,
           Run              *run)
{
  GtkWidget *row;

  g_ptr_array_add (self->runs, run);

  row = run_row_new (run);
  gtk_list_box_append (self->runs_list, row);
  update_runs_note (self);
  /* The new run is the one to look at. */
  gtk_list_box_unselect_all (self->runs_list);
  gtk_list_box_select_row (self->runs_list, GTK_LIST_BOX_ROW (row));
  gtk_widget_queue_draw (GTK_WIDGET (self->homophily_chart));
}

static void add_run_named (PhiliaRunHistory *self,
                           Run              *run);

/* Without a document: takes @result. */
PhiliaRunEntry *
philia_run_history_add_result (PhiliaRunHistory  *self,
                               PhiliaTrainResult *result,
                               guint              color)
{
  Run *run;

  g_return_val_if_fail (PHILIA_IS_RUN_HISTORY (self), NULL);
  g_return_val_if_fail (result != NULL, NULL);

  run = g_new0 (Run, 1);
  run->result = result;
  run->n_points = result->n_epochs;
  run->id = ++self->next_run_id;
  run->color = color;
  add_run_named (self, run);
  return run;
}

/* Names @run (a single run, its id set) and puts it in the history. */
static void
add_run_named (PhiliaRunHistory *self,
               Run              *run)
{
  PhiliaTrainResult *result = run->result;

  run->name = g_strdup_printf ("%s #%u", philia_run_model_name (result->model), run->id);
  run->inspected = g_strdup (run->name);
  /* Translators: a run's title: "GCN #2 · split 0 · seed 0" */
  run->title = g_strdup_printf (_("%s · split %u · seed %" PRIu64), run->name,
                                result->split, result->seed);
  add_entry (self, run);
}

static PhiliaSpread
spread_of (GPtrArray *results,
           gsize      offset)
{
  g_autofree double *values = g_new (double, MAX (results->len, 1));
  PhiliaSpread spread;

  for (guint i = 0; i < results->len; i++)
    values[i] = G_STRUCT_MEMBER (double, g_ptr_array_index (results, i), offset);
  spread.n = philia_mean_std (values, results->len, &spread.mean, &spread.std);
  return spread;
}

/* Takes the group's runs into one history entry: mean ± sample standard
 * deviation of the numbers and, per epoch, of the curves; the bins of
 * accuracy by local homophily pooled over every run's test nodes. */
static Run *
add_group (PhiliaRunHistory *self,
           GPtrArray        *results,
           guint             n_splits,
           guint             n_seeds,
           guint             id,
           guint             color)
{
  Run *run = g_new0 (Run, 1);
  PhiliaTrainResult *first = g_ptr_array_index (results, 0);
  g_autofree double *column = g_new (double, results->len);

  run->members = g_ptr_array_ref (results);
  run->result = first;
  run->n_splits = n_splits;
  run->n_seeds = n_seeds;
  run->n_points = first->n_epochs;
  for (guint i = 0; i < run->members->len; i++)
    {
      PhiliaTrainResult *r = g_ptr_array_index (run->members, i);

      run->n_points = MIN (run->n_points, r->n_epochs);
      run->seconds += r->seconds;
    }
  for (guint k = 0; k < PHILIA_RUN_N_CURVES; k++)
    {
      if (result_curve (first, k) == NULL)
        continue;
      run->mean[k] = g_new (double, MAX (run->n_points, 1));
      run->std[k] = g_new (double, MAX (run->n_points, 1));
      for (guint e = 0; e < run->n_points; e++)
        {
          for (guint i = 0; i < run->members->len; i++)
            column[i] = result_curve (g_ptr_array_index (run->members, i), k)[e];
          philia_mean_std (column, run->members->len, &run->mean[k][e], &run->std[k][e]);
        }
    }
  run->test_accuracy = spread_of (run->members, G_STRUCT_OFFSET (PhiliaTrainResult,
                                                                 test_accuracy));
  run->test_roc_auc = spread_of (run->members, G_STRUCT_OFFSET (PhiliaTrainResult,
                                                                test_roc_auc));
  run->test_majority = spread_of (run->members, G_STRUCT_OFFSET (PhiliaTrainResult,
                                                                 test_majority));
  run->val_majority = spread_of (run->members, G_STRUCT_OFFSET (PhiliaTrainResult,
                                                                val_majority));
  run->pooled = *first;
  for (guint b = 0; b < PHILIA_TRAIN_HOMOPHILY_BINS; b++)
    {
      gint64 count = 0, hits = 0;

      for (guint i = 0; i < run->members->len; i++)
        {
          PhiliaTrainResult *r = g_ptr_array_index (run->members, i);

          count += r->bin_count[b];
          if (r->bin_count[b] > 0)
            hits += llround (r->bin_accuracy[b] * r->bin_count[b]);
        }
      run->pooled.bin_count[b] = count;
      run->pooled.bin_accuracy[b] = count > 0 ? (double) hits / count : NAN;
    }

  run->id = id > 0 ? id : ++self->next_run_id;
  run->color = color;
  run->name = g_strdup_printf ("%s #%u", philia_run_model_name (first->model), run->id);
  /* Translators: what the canvas shows of a group: "GCN #3, split 0, seed 0" */
  run->inspected = g_strdup_printf (_("%s, split %u, seed %" PRIu64), run->name,
                                    first->split, first->seed);
  /* Translators: a group's title: "GCN #3 · 10 splits × 10 seeds" */
  run->title = g_strdup_printf (_("%s · %u %s × %u %s"), run->name, run->n_splits,
                                g_dngettext (GETTEXT_PACKAGE, "split", "splits", run->n_splits),
                                run->n_seeds,
                                g_dngettext (GETTEXT_PACKAGE, "seed", "seeds", run->n_seeds));
  add_entry (self, run);
  return run;
}

static GtkListBoxRow *
row_for_run (PhiliaRunHistory *self,
             Run              *run)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->runs_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && g_object_get_data (G_OBJECT (child), "run") == run)
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}

static void
remove_run (PhiliaRunHistory *self,
            Run              *run)
{
  GtkListBoxRow *row = row_for_run (self, run);

  /* Unselected first: the inspector lets go of the run before it is freed. */
  if (row != NULL)
    gtk_list_box_unselect_row (self->runs_list, row);
  /* Whoever shows it lets go before it is freed. */
  g_signal_emit (self, signals[REMOVING], 0, run);
  if (row != NULL)
    {
      g_object_set_data (G_OBJECT (row), "run", NULL);
      gtk_list_box_remove (self->runs_list, GTK_WIDGET (row));
    }
  g_ptr_array_remove (self->runs, run);
  update_runs_note (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->homophily_chart));
  if (!self->disposed)
    g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

/* Empties the history; the next run is #1 again, in the first colour. */
void
philia_run_history_clear (PhiliaRunHistory *self)
{
  g_return_if_fail (PHILIA_IS_RUN_HISTORY (self));

  while (self->runs->len > 0)
    remove_run (self, g_ptr_array_index (self->runs, self->runs->len - 1));
  /* A new dataset starts a new history: GCN #1 in the first colour. */
  self->next_run_id = 0;
  self->next_color = 0;
}

static gboolean
run_in_document (PhiliaRunHistory *self,
                 Run              *run)
{
  for (guint k = 0; k < run->doc_runs->len; k++)
    {
      PhiliaDocumentRun *doc_run = g_ptr_array_index (run->doc_runs, k);

      if (philia_document_find_run (self->document, doc_run->id) != doc_run)
        return FALSE;
    }
  return TRUE;
}

static gboolean
in_history (PhiliaRunHistory        *self,
            const PhiliaDocumentRun *doc_run)
{
  for (guint i = 0; i < self->runs->len; i++)
    {
      Run *run = g_ptr_array_index (self->runs, i);

      for (guint k = 0; run->doc_runs != NULL && k < run->doc_runs->len; k++)
        if (g_ptr_array_index (run->doc_runs, k) == doc_run)
          return TRUE;
    }
  return FALSE;
}

/* The palette index of the entry of document run @id: a run that comes back
 * (undo) comes back in its colour, a new one takes the live run's. */
static guint
document_run_color (PhiliaRunHistory *self,
                    guint             id)
{
  guint color;

  if (g_hash_table_contains (self->run_colors, GUINT_TO_POINTER (id)))
    color = GPOINTER_TO_UINT (g_hash_table_lookup (self->run_colors, GUINT_TO_POINTER (id)));
  else if (self->adopt_color >= 0)
    color = (guint) self->adopt_color;
  else
    color = self->next_color++;
  g_hash_table_insert (self->run_colors, GUINT_TO_POINTER (id), GUINT_TO_POINTER (color));
  return color;
}

static void
add_document_run (PhiliaRunHistory        *self,
                  const PhiliaDocumentRun *doc_run)
{
  Run *run = g_new0 (Run, 1);

  run->doc_runs = g_ptr_array_new_with_free_func ((GDestroyNotify) philia_document_run_unref);
  g_ptr_array_add (run->doc_runs, philia_document_run_ref ((PhiliaDocumentRun *) doc_run));
  run->result = doc_run->result;
  run->n_points = doc_run->result->n_epochs;
  run->id = doc_run->id;
  self->next_run_id = MAX (self->next_run_id, doc_run->id);
  run->color = document_run_color (self, doc_run->id);
  add_run_named (self, run);
}

/* The runs of the group that starts with @doc_run, all in the document and
 * none in the history yet (the pieces of a group some of whose runs were
 * deleted stay entries of their own); NULL otherwise. */
static GPtrArray *
document_group (PhiliaRunHistory        *self,
                const PhiliaDocumentRun *doc_run)
{
  g_autoptr(GPtrArray) members = NULL;
  guint n;

  if (doc_run->group == 0 || doc_run->group != doc_run->id)
    return NULL;
  n = doc_run->n_splits * doc_run->n_seeds;
  members = g_ptr_array_new_with_free_func ((GDestroyNotify) philia_document_run_unref);
  for (guint k = 0; k < n; k++)
    {
      const PhiliaDocumentRun *member = philia_document_find_run (self->document,
                                                                  doc_run->id + k);

      if (member == NULL || member->group != doc_run->id || in_history (self, member))
        return NULL;
      g_ptr_array_add (members, philia_document_run_ref ((PhiliaDocumentRun *) member));
    }
  return g_steal_pointer (&members);
}

/* One entry, mean ± standard deviation, for the runs of a group (a reopened
 * project's too). */
static void
add_document_group (PhiliaRunHistory *self,
                    GPtrArray        *members)
{
  const PhiliaDocumentRun *first = g_ptr_array_index (members, 0);
  /* Borrowed from the document's runs. */
  g_autoptr(GPtrArray) results = g_ptr_array_new ();
  Run *run;

  for (guint k = 0; k < members->len; k++)
    g_ptr_array_add (results, ((PhiliaDocumentRun *) g_ptr_array_index (members, k))->result);
  run = add_group (self, results, first->n_splits, first->n_seeds, first->id,
                   document_run_color (self, first->id));
  self->next_run_id = MAX (self->next_run_id, first->id + members->len - 1);
  run->doc_runs = g_ptr_array_ref (members);
}

/* The history is the document's runs: a deleted (or undone) run leaves it, a
 * restored one comes back. Entries of runs over splits × seeds keep their
 * members together while all of them are in the document. */
void
philia_run_history_sync (PhiliaRunHistory *self)
{
  guint n;

  g_return_if_fail (PHILIA_IS_RUN_HISTORY (self));

  if (self->document == NULL)
    return;
  for (guint i = self->runs->len; i > 0; i--)
    {
      Run *run = g_ptr_array_index (self->runs, i - 1);

      if (run->doc_runs == NULL || !run_in_document (self, run))
        remove_run (self, run);
    }
  n = philia_document_get_n_runs (self->document);
  for (guint i = 0; i < n; i++)
    {
      const PhiliaDocumentRun *doc_run = philia_document_get_run (self->document, i);
      g_autoptr(GPtrArray) members = NULL;

      if (in_history (self, doc_run))
        continue;
      members = document_group (self, doc_run);
      if (members != NULL)
        add_document_group (self, members);
      else
        add_document_run (self, doc_run);
    }
}

/* Removes the entry of @id: with a document, deletes its runs there. */
void
philia_run_history_remove_id (PhiliaRunHistory *self,
                              guint             id)
{
  g_return_if_fail (PHILIA_IS_RUN_HISTORY (self));

  for (guint i = 0; i < self->runs->len; i++)
    {
      Run *run = g_ptr_array_index (self->runs, i);

      if (run->id != id)
        continue;
      if (run->doc_runs != NULL && self->document != NULL)
        {
          /* Undoable, one step for the whole group, so undo brings back
           * the one entry it was. The document's "changed" takes the entry
           * out of the history. */
          g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));

          for (guint k = 0; k < run->doc_runs->len; k++)
            g_array_append_val (ids, ((PhiliaDocumentRun *) g_ptr_array_index (run->doc_runs,
                                                                                k))->id);
          philia_document_delete_runs (self->document, (const guint *) ids->data, ids->len);
        }
      else
        remove_run (self, run);
      return;
    }
}

/* Without a document: takes @results (their references), one entry. */
PhiliaRunEntry *
philia_run_history_add_group (PhiliaRunHistory *self,
                              GPtrArray        *results,
                              guint             n_splits,
                              guint             n_seeds,
                              guint             color)
{
  g_return_val_if_fail (PHILIA_IS_RUN_HISTORY (self), NULL);
  g_return_val_if_fail (results != NULL && results->len > 0, NULL);

  return add_group (self, results, n_splits, n_seeds, 0, color);
}

static void
on_document_changed (PhiliaDocument     *document,
                     PhiliaDocumentPart  parts,
                     PhiliaRunHistory   *self)
{
  if (parts & PHILIA_DOCUMENT_PART_RUNS)
    philia_run_history_sync (self);
}

/**
 * philia_run_history_set_document:
 * @document: (nullable): the analysis whose runs the history shows
 *
 * Follows the document's runs from now on; philia_run_history_sync() takes
 * in the ones it has (after philia_run_history_clear() for another
 * document's).
 */
void
philia_run_history_set_document (PhiliaRunHistory *self,
                                 PhiliaDocument   *document)
{
  g_return_if_fail (PHILIA_IS_RUN_HISTORY (self));
  g_return_if_fail (document == NULL || PHILIA_IS_DOCUMENT (document));

  if (self->document == document)
    return;
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  g_hash_table_remove_all (self->run_colors);
  if (document != NULL)
    g_signal_connect (document, "changed", G_CALLBACK (on_document_changed), self);
}

/* A palette index for a new run: the next colour. */
guint
philia_run_history_take_color (PhiliaRunHistory *self)
{
  g_return_val_if_fail (PHILIA_IS_RUN_HISTORY (self), 0);

  return self->next_color++;
}

/* The colour of the entry the document's next run gets (the live curves'),
 * or -1: the next colour. */
void
philia_run_history_set_adopt_color (PhiliaRunHistory *self,
                                    gint              color)
{
  g_return_if_fail (PHILIA_IS_RUN_HISTORY (self));

  self->adopt_color = color;
}

PhiliaRunEntry *
philia_run_history_find (PhiliaRunHistory *self,
                         guint             id)
{
  g_return_val_if_fail (PHILIA_IS_RUN_HISTORY (self), NULL);

  for (guint i = 0; i < self->runs->len; i++)
    if (((Run *) g_ptr_array_index (self->runs, i))->id == id)
      return g_ptr_array_index (self->runs, i);
  return NULL;
}

/* The first selected entry (the one the inspect views show), or NULL. */
PhiliaRunEntry *
philia_run_history_get_current (PhiliaRunHistory *self)
{
  g_autoptr(GList) rows = NULL;
  GtkListBoxRow *row = NULL;

  g_return_val_if_fail (PHILIA_IS_RUN_HISTORY (self), NULL);

  rows = gtk_list_box_get_selected_rows (self->runs_list);
  for (GList *l = rows; l != NULL; l = l->next)
    if (row == NULL || gtk_list_box_row_get_index (l->data) < gtk_list_box_row_get_index (row))
      row = l->data;
  return row != NULL ? g_object_get_data (G_OBJECT (row), "run") : NULL;
}

guint
philia_run_history_get_n_entries (PhiliaRunHistory *self)
{
  g_return_val_if_fail (PHILIA_IS_RUN_HISTORY (self), 0);

  return self->runs->len;
}

/* "title|details" of row @index, or %NULL. */
char *
philia_run_history_dup_text (PhiliaRunHistory *self,
                             guint             index)
{
  GtkListBoxRow *row;
  GtkWidget *texts;

  g_return_val_if_fail (PHILIA_IS_RUN_HISTORY (self), NULL);

  row = gtk_list_box_get_row_at_index (self->runs_list, (int) index);
  if (row == NULL)
    return NULL;
  texts = gtk_widget_get_next_sibling (gtk_widget_get_first_child (
                                         gtk_list_box_row_get_child (row)));
  return g_strdup_printf ("%s|%s",
                          gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (texts))),
                          gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (texts))));
}

/* The provenance line of row @index ("Adapted (SOGA) from …"), or %NULL
 * for a run trained here. */
char *
philia_run_history_dup_provenance (PhiliaRunHistory *self,
                                   guint             index)
{
  g_return_val_if_fail (PHILIA_IS_RUN_HISTORY (self), NULL);
  if (index >= self->runs->len)
    return NULL;
  return provenance_text (g_ptr_array_index (self->runs, index));
}

/* Selects rows @indices (as Ctrl-clicks do); the first becomes current. */
void
philia_run_history_select (PhiliaRunHistory *self,
                           const guint      *indices,
                           guint             n_indices)
{
  g_return_if_fail (PHILIA_IS_RUN_HISTORY (self));

  gtk_list_box_unselect_all (self->runs_list);
  for (guint i = 0; i < n_indices; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->runs_list, (int) indices[i]);

      if (row != NULL)
        gtk_list_box_select_row (self->runs_list, row);
    }
}

/* The accuracy-by-local-homophily chart. */
GtkWidget *
philia_run_history_get_chart (PhiliaRunHistory *self)
{
  g_return_val_if_fail (PHILIA_IS_RUN_HISTORY (self), NULL);

  return GTK_WIDGET (self->homophily_chart);
}

static void
philia_run_history_dispose (GObject *object)
{
  PhiliaRunHistory *self = PHILIA_RUN_HISTORY (object);
  GtkWidget *child;

  self->disposed = TRUE;
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  if (self->homophily_chart != NULL)
    philia_chart_view_set_draw_func (self->homophily_chart, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PHILIA_TYPE_RUN_HISTORY);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (philia_run_history_parent_class)->dispose (object);
}

static void
philia_run_history_finalize (GObject *object)
{
  PhiliaRunHistory *self = PHILIA_RUN_HISTORY (object);

  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->run_colors, g_hash_table_unref);

  G_OBJECT_CLASS (philia_run_history_parent_class)->finalize (object);
}

static void
philia_run_history_class_init (PhiliaRunHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_run_history_dispose;
  object_class->finalize = philia_run_history_finalize;

  /**
   * PhiliaRunHistory::selection-changed:
   *
   * The selected entries changed, or an entry went.
   */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * PhiliaRunHistory::removing:
   * @entry: the PhiliaRunEntry, freed after the emission
   */
  signals[REMOVING] =
    g_signal_new ("removing", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  g_type_ensure (PHILIA_TYPE_CHART_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/philia/Philia/philia-run-history.ui");
  gtk_widget_class_bind_template_child (widget_class, PhiliaRunHistory, runs_list);
  gtk_widget_class_bind_template_child (widget_class, PhiliaRunHistory, runs_note);
  gtk_widget_class_bind_template_child (widget_class, PhiliaRunHistory, homophily_chart);
  gtk_widget_class_bind_template_callback (widget_class, on_runs_selection_changed);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
philia_run_history_init (PhiliaRunHistory *self)
{
  self->adopt_color = -1;
  self->run_colors = g_hash_table_new (NULL, NULL);
  self->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  philia_chart_view_set_draw_func (self->homophily_chart, draw_homophily, self, NULL);
  update_runs_note (self);
}

GtkWidget *
philia_run_history_new (void)
{
  return g_object_new (PHILIA_TYPE_RUN_HISTORY, NULL);
}
