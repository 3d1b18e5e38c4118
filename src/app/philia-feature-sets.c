/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-feature-sets.h"

#include <glib/gi18n.h>
#include <math.h>

#include "philia-app-private.h"
#include "philia-chart-view.h"
#include "philia-file-chooser.h"

struct _PhiliaFeatureSets
{
  GtkWidget             parent_instance;

  GtkListBox           *list;
  GtkLabel             *message;
  GtkDropDown          *kind;
  GtkLabel             *amount_label;
  GtkSpinButton        *amount;
  GtkWidget            *seed_box;
  GtkSpinButton        *seed;
  GtkMenuButton        *derive_button;
  PhiliaChartView      *chart;
  GtkLabel             *chart_note;
  GPtrArray            *remove_buttons;  /* GtkWidget*, NULL for the original */

  PhiliaDocument       *document;
  GtkFileChooserNative *chooser;

  /* Each set's feature homophily for the chart, computed off the main thread
   * whenever the graph or the sets change. */
  GArray               *similarities;  /* PhiliaFeatureSetSimilarity */
  GPtrArray            *similarity_names;
  GCancellable         *similarity_cancel;
};

G_DEFINE_FINAL_TYPE (PhiliaFeatureSets, philia_feature_sets, GTK_TYPE_WIDGET)

enum { KIND_PROPAGATED, KIND_DEGREE, KIND_RANDOM };

static void
set_message (PhiliaFeatureSets *self,
             const char        *text)
{
  gtk_label_set_text (self->message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL);
}

static void
on_remove_clicked (GtkButton         *button,
                   PhiliaFeatureSets *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "feature-set");

  if (self->document != NULL && name != NULL)
    philia_document_remove_feature_set (self->document, name);
}

static void
add_row (PhiliaFeatureSets *self,
         const char        *name,
         const char        *origin,
         guint              n_rows,
         guint              n_cols,
         gboolean           removable)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (name);
  g_autofree char *shape_text = g_strdup_printf ("%'u × %'u", n_rows, n_cols);
  GtkWidget *shape = gtk_label_new (shape_text);
  GtkWidget *remove = NULL;

  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 4);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (shape, "dim-label");
  gtk_widget_add_css_class (shape, "numeric");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), shape);
  if (removable)
    {
      g_autofree char *tip = g_strdup_printf (_("Remove the feature set “%s”"), name);

      remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, tip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      tip, -1);
      g_object_set_data_full (G_OBJECT (remove), "feature-set", g_strdup (name), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), self);
      gtk_box_append (GTK_BOX (box), remove);
    }
  else
    {
      /* Keeps the shapes aligned with the removable rows'. */
      GtkWidget *spacer = gtk_button_new_from_icon_name ("list-remove-symbolic");

      gtk_widget_set_opacity (spacer, 0);
      gtk_widget_set_can_target (spacer, FALSE);
      gtk_widget_set_can_focus (spacer, FALSE);
      gtk_widget_add_css_class (spacer, "flat");
      gtk_accessible_update_state (GTK_ACCESSIBLE (spacer), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                                   -1);
      gtk_box_append (GTK_BOX (box), spacer);
    }
  gtk_widget_set_tooltip_text (box, origin);
  g_ptr_array_add (self->remove_buttons, remove);
  {
    g_autofree char *spoken = g_strdup_printf ("%s, %s", name, shape_text);

    _philia_list_box_append_named (self->list, box, spoken);
  }
}

static void
rebuild (PhiliaFeatureSets *self)
{
  GtkWidget *child;
  PhiliaGraph *graph = self->document != NULL ? philia_document_get_graph (self->document)
                                              : NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_ptr_array_set_size (self->remove_buttons, 0);
  if (graph == NULL)
    return;
  /* Translators: the dataset's own features in the list of feature sets */
  add_row (self, _("original"), philia_graph_get_source (graph), philia_graph_get_n_nodes (graph),
           philia_graph_get_n_features (graph), FALSE);
  for (guint i = 0; i < philia_document_get_n_feature_sets (self->document); i++)
    {
      const PhiliaFeatureSet *set = philia_document_get_feature_set (self->document, i);

      add_row (self, set->name, set->origin, set->n_rows, set->n_cols, TRUE);
    }
}

/* Runs and the set each trained on, in the document's order. */
static void
draw_chart (cairo_t                 *cr,
            double                   width,
            double                   height,
            const PhiliaRenderStyle *style,
            gpointer                 user_data)
{
  PhiliaFeatureSets *self = user_data;
  guint n = self->document != NULL ? philia_document_get_n_runs (self->document) : 0;
  g_autofree const PhiliaTrainResult **runs = g_new0 (const PhiliaTrainResult *, MAX (n, 1));
  g_autofree const char **features = g_new0 (const char *, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      const PhiliaDocumentRun *run = philia_document_get_run (self->document, i);

      runs[i] = run->result;
      features[i] = philia_document_get_run_features (self->document, run->id);
    }
  philia_feature_sets_chart_draw (cr, width, height, runs, features, n,
                                  (const PhiliaFeatureSetSimilarity *) self->similarities->data,
                                  self->similarities->len, style);
}

typedef struct
{
  GPtrArray *graphs;  /* PhiliaGraph*, one a set */
  GPtrArray *names;   /* char*, their names */
} SimilarityJob;

static void
similarity_job_free (SimilarityJob *job)
{
  g_ptr_array_unref (job->graphs);
  g_ptr_array_unref (job->names);
  g_free (job);
}

static void
similarity_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  SimilarityJob *job = data;
  GArray *values = g_array_new (FALSE, TRUE, sizeof (PhiliaFeatureSetSimilarity));

  for (guint i = 0; i < job->graphs->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      /* Seed 0, the Statistics panel's: the same random pairs, the same value. */
      PhiliaFeatureSetSimilarity sim = { job->names->pdata[i], NAN, NAN };

      philia_feature_similarity (job->graphs->pdata[i], 0, &sim.edges, &sim.random_pairs, NULL);
      g_array_append_val (values, sim);
    }
  g_task_return_pointer (task, values, (GDestroyNotify) g_array_unref);
}

static void
similarity_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PhiliaFeatureSets) self = user_data;
  SimilarityJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GArray) values = g_task_propagate_pointer (G_TASK (result), NULL);

  if (values == NULL || g_task_get_cancellable (G_TASK (result)) != self->similarity_cancel)
    return;
  g_clear_object (&self->similarity_cancel);
  g_ptr_array_set_size (self->similarity_names, 0);
  g_array_set_size (self->similarities, 0);
  /* The names move over with the values that point at them. */
  for (guint i = 0; i < job->names->len; i++)
    g_ptr_array_add (self->similarity_names, g_strdup (job->names->pdata[i]));
  for (guint i = 0; i < values->len; i++)
    {
      PhiliaFeatureSetSimilarity sim = g_array_index (values, PhiliaFeatureSetSimilarity, i);

      sim.name = self->similarity_names->pdata[i];
      g_array_append_val (self->similarities, sim);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

static void
update_similarities (PhiliaFeatureSets *self)
{
  PhiliaGraph *graph = self->document != NULL ? philia_document_get_graph (self->document)
                                              : NULL;
  g_autoptr(GTask) task = NULL;
  SimilarityJob *job;

  if (self->similarity_cancel != NULL)
    g_cancellable_cancel (self->similarity_cancel);
  g_clear_object (&self->similarity_cancel);
  g_array_set_size (self->similarities, 0);
  g_ptr_array_set_size (self->similarity_names, 0);
  if (graph == NULL)
    return;

  job = g_new0 (SimilarityJob, 1);
  job->graphs = g_ptr_array_new_with_free_func (g_object_unref);
  job->names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (job->graphs, g_object_ref (graph));
  g_ptr_array_add (job->names, g_strdup ("original"));
  for (guint i = 0; i < philia_document_get_n_feature_sets (self->document); i++)
    {
      const PhiliaFeatureSet *set = philia_document_get_feature_set (self->document, i);
      PhiliaGraph *with = philia_document_dup_graph_with_features (self->document, set->name,
                                                                   NULL);

      if (with == NULL)
        continue;
      g_ptr_array_add (job->graphs, with);
      g_ptr_array_add (job->names, g_strdup (set->name));
    }
  self->similarity_cancel = g_cancellable_new ();
  task = g_task_new (NULL, self->similarity_cancel, similarity_done, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify) similarity_job_free);
  g_task_run_in_thread (task, similarity_thread);
}

static void
update_chart (PhiliaFeatureSets *self)
{
  gboolean any = self->document != NULL && philia_document_get_n_runs (self->document) > 0;

  gtk_widget_set_visible (GTK_WIDGET (self->chart), any);
  gtk_widget_set_visible (GTK_WIDGET (self->chart_note), !any);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

static void
on_document_changed (PhiliaDocument     *document,
                     PhiliaDocumentPart  parts,
                     PhiliaFeatureSets  *self)
{
  if (parts & (PHILIA_DOCUMENT_PART_FEATURES | PHILIA_DOCUMENT_PART_GRAPH))
    {
      rebuild (self);
      update_similarities (self);
    }
  if (parts & (PHILIA_DOCUMENT_PART_RUNS | PHILIA_DOCUMENT_PART_FEATURES))
    update_chart (self);
}

static void
on_document_graph (PhiliaDocument    *document,
                   GParamSpec        *pspec,
                   PhiliaFeatureSets *self)
{
  rebuild (self);
  update_similarities (self);
  update_chart (self);
}

void
philia_feature_sets_set_document (PhiliaFeatureSets *self,
                                  PhiliaDocument    *document)
{
  g_return_if_fail (PHILIA_IS_FEATURE_SETS (self));

  _philia_widget_follow_document (self, &self->document, document,
                                  G_CALLBACK (on_document_changed),
                                  G_CALLBACK (on_document_graph));
  set_message (self, NULL);
  rebuild (self);
  update_similarities (self);
  update_chart (self);
}

gboolean
philia_feature_sets_import (PhiliaFeatureSets *self,
                            GFile             *file,
                            GError           **error)
{
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) members = NULL;
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (
    (GDestroyNotify) philia_feature_set_free);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *text = NULL;
  guint n_cols = 0;
  gboolean several;

  g_return_val_if_fail (PHILIA_IS_FEATURE_SETS (self), FALSE);
  if (self->document == NULL)
    return FALSE;
  /* An .npz of several matrices (text and image embeddings, say) gives one
   * set each: the user keeps what they want, nothing is guessed. */
  members = philia_feature_file_list_members (file, &local);
  several = members != NULL && members[0] != NULL && members[1] != NULL;
  for (guint i = 0; local == NULL && (i == 0 || (several && members[i] != NULL)); i++)
    {
      PhiliaFeatureSet *set = philia_feature_set_load_member (
        file, several ? members[i] : NULL,
        philia_graph_get_n_nodes (philia_document_get_graph (self->document)), &local);

      if (set != NULL)
        g_ptr_array_add (loaded, set);
    }
  if (local != NULL)
    {
      set_message (self, local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  for (guint i = 0; loaded->len > 0; i++)
    {
      PhiliaFeatureSet *set = g_ptr_array_steal_index (loaded, 0);

      n_cols = set->n_cols;
      g_string_append_printf (names, "%s“%s”", i > 0 ? ", " : "",
                              philia_document_add_feature_set (self->document, set, NULL));
    }
  /* Translators: %s is a set's name in quotes, or several, "“a.npz:x”, “a.npz:y”" */
  text = several
         ? g_strdup_printf (_("Imported %s, one set per matrix of the file."), names->str)
         : g_strdup_printf (_("Imported %s (%'u columns)."), names->str, n_cols);
  set_message (self, text);
  return TRUE;
}

gboolean
philia_feature_sets_derive (PhiliaFeatureSets *self,
                            const char        *spec,
                            GError           **error)
{
  g_autoptr(GError) local = NULL;
  PhiliaFeatureSet *set;

  g_return_val_if_fail (PHILIA_IS_FEATURE_SETS (self), FALSE);
  if (self->document == NULL)
    return FALSE;
  set = philia_feature_set_from_spec (philia_document_get_graph (self->document), spec, &local);
  if (set == NULL)
    {
      set_message (self, local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  philia_document_add_feature_set (self->document, set, spec);
  set_message (self, NULL);
  return TRUE;
}

static void
on_chooser_response (GtkNativeDialog   *dialog,
                     int                response,
                     PhiliaFeatureSets *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  _philia_file_chooser_remember (GTK_FILE_CHOOSER (dialog), file);
  if (file != NULL)
    philia_feature_sets_import (self, file, NULL);
  _philia_clear_file_chooser (&self->chooser, self);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PhiliaFeatureSets *self = PHILIA_FEATURE_SETS (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->chooser != NULL || self->document == NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Import Features"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
                                               _("_Cancel"));
  _philia_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser),
                                   _("Feature matrices (.npy, .npz, .csv)"),
                                   (const char *[]) { "*.npy", "*.npz", "*.csv", NULL });
  _philia_file_chooser_start (GTK_FILE_CHOOSER (self->chooser), "datasets");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
derive_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PhiliaFeatureSets *self = PHILIA_FEATURE_SETS (widget);
  guint amount = (guint) gtk_spin_button_get_value (self->amount);
  g_autofree char *spec = NULL;

  switch (gtk_drop_down_get_selected (self->kind))
    {
    case KIND_PROPAGATED:
      spec = g_strdup_printf ("ahat:%u", amount);
      break;
    case KIND_DEGREE:
      spec = g_strdup_printf ("degree:%u", amount);
      break;
    default:
      spec = g_strdup_printf ("random:%u:%u", amount,
                              (guint) gtk_spin_button_get_value (self->seed));
      break;
    }
  gtk_menu_button_popdown (self->derive_button);
  philia_feature_sets_derive (self, spec, NULL);
}

/* The amount means k, the highest degree or the columns, by kind. */
static void
on_kind_selected (GtkDropDown       *dropdown,
                  GParamSpec        *pspec,
                  PhiliaFeatureSets *self)
{
  static const struct { const char *label; double value, lower, upper; } kinds[] = {
    { N_("_Steps k"), 2, 0, 64 },
    { N_("_Highest degree"), 32, 0, 100000 },
    { N_("_Columns"), 64, 1, 65536 },
  };
  guint k = MIN (gtk_drop_down_get_selected (dropdown), G_N_ELEMENTS (kinds) - 1);

  gtk_label_set_text_with_mnemonic (self->amount_label, _(kinds[k].label));
  gtk_spin_button_set_range (self->amount, kinds[k].lower, kinds[k].upper);
  gtk_spin_button_set_value (self->amount, kinds[k].value);
  gtk_widget_set_visible (self->seed_box, k == KIND_RANDOM);
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static GtkWidget *
build_derive_popover (PhiliaFeatureSets *self)
{
  const char *kinds[] = {
    /* Translators: derived feature sets; Â is the normalised adjacency with self-loops */
    N_("Propagated, Âᵏ X"), N_("Node degree, one-hot"), N_("Random (a control)"), NULL,
  };
  const char *translated[4];
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *kind_label = gtk_label_new_with_mnemonic (_("_Kind"));
  GtkWidget *seed_label = gtk_label_new_with_mnemonic (_("S_eed"));
  GtkWidget *add = gtk_button_new_with_mnemonic (_("_Add"));

  for (guint i = 0; i < 4; i++)
    translated[i] = kinds[i] != NULL ? _(kinds[i]) : NULL;
  self->kind = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (translated));
  self->amount_label = GTK_LABEL (gtk_label_new (NULL));
  self->amount = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 64, 1));
  self->seed = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, G_MAXINT32, 1));
  self->seed_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 10);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_label_set_xalign (GTK_LABEL (kind_label), 0);
  gtk_label_set_xalign (self->amount_label, 0);
  gtk_label_set_xalign (GTK_LABEL (seed_label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (kind_label), GTK_WIDGET (self->kind));
  gtk_label_set_mnemonic_widget (self->amount_label, GTK_WIDGET (self->amount));
  gtk_label_set_mnemonic_widget (GTK_LABEL (seed_label), GTK_WIDGET (self->seed));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->kind), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Kind of derived features"), -1);
  gtk_grid_attach (GTK_GRID (grid), kind_label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->kind), 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->amount_label), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->amount), 1, 1, 1, 1);
  gtk_box_append (GTK_BOX (self->seed_box), GTK_WIDGET (self->seed));
  gtk_grid_attach (GTK_GRID (grid), seed_label, 0, 2, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->seed_box, 1, 2, 1, 1);
  g_object_bind_property (self->seed_box, "visible", seed_label, "visible",
                          G_BINDING_SYNC_CREATE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "featuresets.derive");
  gtk_widget_set_halign (add, GTK_ALIGN_END);
  gtk_widget_add_css_class (add, "suggested-action");
  gtk_grid_attach (GTK_GRID (grid), add, 1, 3, 1, 1);
  g_signal_connect (self->kind, "notify::selected", G_CALLBACK (on_kind_selected), self);
  on_kind_selected (self->kind, NULL, self);
  gtk_popover_set_child (GTK_POPOVER (popover), grid);
  return popover;
}

static void
philia_feature_sets_dispose (GObject *object)
{
  PhiliaFeatureSets *self = PHILIA_FEATURE_SETS (object);
  GtkWidget *child;

  _philia_widget_follow_document (self, &self->document, NULL, NULL,
                                  G_CALLBACK (on_document_graph));
  _philia_clear_file_chooser (&self->chooser, self);
  if (self->similarity_cancel != NULL)
    g_cancellable_cancel (self->similarity_cancel);
  g_clear_object (&self->similarity_cancel);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (philia_feature_sets_parent_class)->dispose (object);
}

static void
philia_feature_sets_finalize (GObject *object)
{
  PhiliaFeatureSets *self = PHILIA_FEATURE_SETS (object);

  g_ptr_array_unref (self->remove_buttons);
  g_array_unref (self->similarities);
  g_ptr_array_unref (self->similarity_names);
  G_OBJECT_CLASS (philia_feature_sets_parent_class)->finalize (object);
}

static void
philia_feature_sets_class_init (PhiliaFeatureSetsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_feature_sets_dispose;
  object_class->finalize = philia_feature_sets_finalize;
  gtk_widget_class_install_action (widget_class, "featuresets.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "featuresets.derive", NULL, derive_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "philiafeaturesets");
}

static void
philia_feature_sets_init (PhiliaFeatureSets *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *import = gtk_button_new_with_mnemonic (_("_Import…"));
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 8);
  self->remove_buttons = g_ptr_array_new ();
  self->similarities = g_array_new (FALSE, TRUE, sizeof (PhiliaFeatureSetSimilarity));
  self->similarity_names = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_set_parent (heading (_("Feature Sets")), widget);
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "frame");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Feature sets"), -1);
  gtk_widget_set_parent (GTK_WIDGET (self->list), widget);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (import), "featuresets.import");
  gtk_widget_set_tooltip_text (import, _("Add a feature matrix from a file: .npy, an .npz with "
                                         "one 2-D array, or CSV; one row per node"));
  self->derive_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_label (self->derive_button, _("_Derive"));
  gtk_menu_button_set_use_underline (self->derive_button, TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->derive_button),
                               _("Add features computed from the graph: Âᵏ X, one-hot degree or "
                                 "random columns"));
  gtk_menu_button_set_popover (self->derive_button, build_derive_popover (self));
  gtk_box_append (GTK_BOX (buttons), import);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->derive_button));
  gtk_widget_set_parent (buttons, widget);

  self->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->message, 0);
  gtk_label_set_wrap (self->message, TRUE);
  gtk_label_set_max_width_chars (self->message, 40);
  gtk_label_set_selectable (self->message, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->message), FALSE);
  gtk_widget_set_parent (GTK_WIDGET (self->message), widget);

  self->chart = PHILIA_CHART_VIEW (philia_chart_view_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->chart), -1, 400);
  philia_chart_view_set_draw_func (self->chart, draw_chart, self, NULL);
  philia_chart_view_set_export_name (self->chart, "feature-sets");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Test accuracy per feature set and model"), -1);
  gtk_widget_set_parent (GTK_WIDGET (self->chart), widget);
  self->chart_note = GTK_LABEL (gtk_label_new (_("Train models on each set (Train panel, "
                                                 "Features) to compare them here.")));
  gtk_label_set_xalign (self->chart_note, 0);
  gtk_label_set_wrap (self->chart_note, TRUE);
  gtk_label_set_max_width_chars (self->chart_note, 40);
  gtk_widget_add_css_class (GTK_WIDGET (self->chart_note), "dim-label");
  gtk_widget_set_parent (GTK_WIDGET (self->chart_note), widget);
  update_chart (self);
}

GtkWidget *
philia_feature_sets_new (void)
{
  return g_object_new (PHILIA_TYPE_FEATURE_SETS, NULL);
}

guint
philia_feature_sets_get_n_rows (PhiliaFeatureSets *self)
{
  g_return_val_if_fail (PHILIA_IS_FEATURE_SETS (self), 0);
  return self->remove_buttons->len;
}

char *
philia_feature_sets_dup_row_text (PhiliaFeatureSets *self,
                                  guint              index)
{
  GtkListBoxRow *row;
  GtkWidget *box, *name, *shape;

  g_return_val_if_fail (PHILIA_IS_FEATURE_SETS (self), NULL);
  row = gtk_list_box_get_row_at_index (self->list, (int) index);
  if (row == NULL)
    return NULL;
  box = gtk_list_box_row_get_child (row);
  name = gtk_widget_get_first_child (box);
  shape = gtk_widget_get_next_sibling (name);
  return g_strdup_printf ("%s  %s", gtk_label_get_text (GTK_LABEL (name)),
                          gtk_label_get_text (GTK_LABEL (shape)));
}

const char *
philia_feature_sets_get_message (PhiliaFeatureSets *self)
{
  g_return_val_if_fail (PHILIA_IS_FEATURE_SETS (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->message))
         ? gtk_label_get_text (self->message) : NULL;
}

GtkWidget *
philia_feature_sets_get_chart (PhiliaFeatureSets *self)
{
  g_return_val_if_fail (PHILIA_IS_FEATURE_SETS (self), NULL);
  return GTK_WIDGET (self->chart);
}

GtkWidget *
philia_feature_sets_get_remove_button (PhiliaFeatureSets *self,
                                       guint              index)
{
  g_return_val_if_fail (PHILIA_IS_FEATURE_SETS (self), NULL);
  return index < self->remove_buttons->len ? self->remove_buttons->pdata[index] : NULL;
}
