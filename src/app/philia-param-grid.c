/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-param-grid.h"

#include <glib/gi18n.h>

/* The Train panel's hyperparameters: a label and a spin button for each, in
 * two columns; picking a model fills its recipe and greys out what the
 * model does not read. */

typedef enum
{
  PARAM_EPOCHS,
  PARAM_LR,
  PARAM_WEIGHT_DECAY,
  PARAM_HIDDEN,
  PARAM_DROPOUT,
  PARAM_HEADS,
  PARAM_K,
  PARAM_ALPHA,
  /* The transformer's: shown only while it is picked (three whole rows). */
  PARAM_LAYERS,
  PARAM_WALKS,
  PARAM_WALK_LENGTH,
  PARAM_HOP_SAMPLES,
  PARAM_PRETRAIN,
  PARAM_BATCH,
  PARAM_SEED,
  PARAM_THREADS,
  N_PARAMS
} Param;

static const struct
{
  const char *key;
  const char *label;
  const char *tooltip;
  double      lower, upper, step;
  guint       digits;
  gboolean    model_param;   /* filled from the model's recipe */
  gboolean    hide_unused;   /* hidden, not greyed out, for a model that does not read it */
} param_info[N_PARAMS] = {
  [PARAM_EPOCHS] = { "epochs", N_("_Epochs"),
    N_("Full-batch training epochs; the model of the best-validation epoch is kept."),
    1, 100000, 10, 0, TRUE },
  [PARAM_LR] = { "lr", N_("_Learning rate"), N_("Adam’s step size."), 1e-5, 10, 1e-3, 4, TRUE },
  [PARAM_WEIGHT_DECAY] = { "weight-decay", N_("_Weight decay"),
    N_("L2 penalty added to the gradient of the decayed weights."), 0, 1, 1e-4, 5, TRUE },
  [PARAM_HIDDEN] = { "hidden", N_("H_idden units"),
    N_("Width of the hidden layer (per attention head for attention models)."), 1, 4096, 8, 0,
    TRUE },
  [PARAM_DROPOUT] = { "dropout", N_("_Dropout"),
    N_("Probability of dropping an input or hidden unit in training epochs."), 0, 0.99, 0.05, 2,
    TRUE },
  [PARAM_HEADS] = { "heads", N_("H_eads"), N_("Attention heads of the first layer."), 1, 64, 1, 0,
    TRUE },
  [PARAM_K] = { "k", N_("Propagation steps _K"),
    N_("How many times features are propagated over the normalised adjacency."), 1, 64, 1, 0,
    TRUE },
  [PARAM_ALPHA] = { "alpha", N_("Teleport _α"),
    N_("Restart probability of the personalised-PageRank propagation."), 0, 1, 0.05, 2, TRUE },
  [PARAM_LAYERS] = { "layers", N_("_Layers"),
    N_("Transformer encoder layers (attention and feed-forward blocks)."), 1, 16, 1, 0, TRUE,
    TRUE },
  [PARAM_WALKS] = { "walks", N_("_Walks"),
    N_("Random walks from each node whose steps join its sequence of tokens."), 0, 64, 1, 0,
    TRUE, TRUE },
  [PARAM_WALK_LENGTH] = { "walk-length", N_("Walk len_gth"), N_("Steps of each random walk."),
    1, 64, 1, 0, TRUE, TRUE },
  [PARAM_HOP_SAMPLES] = { "hop-samples", N_("_Neighbour samples"),
    N_("Distinct neighbours sampled once each into the node's sequence."), 0, 255, 1, 0, TRUE,
    TRUE },
  [PARAM_PRETRAIN] = { "pretrain-epochs", N_("_Pretraining epochs"),
    N_("Masked-node-modelling steps on the same sequences before training (0: none)."), 0,
    100000, 10, 0, TRUE, TRUE },
  [PARAM_BATCH] = { "batch-size", N_("_Batch size"),
    N_("Training nodes per step, one step per epoch (0: all of them, full batch)."), 0,
    1000000, 16, 0, TRUE, TRUE },
  [PARAM_SEED] = { "seed", N_("See_d"),
    N_("Seed of the initialisation and dropout: the same seed and threads give the same run."),
    0, G_MAXINT32, 1, 0, FALSE },
  [PARAM_THREADS] = { "threads", N_("T_hreads"),
    N_("Worker threads for the sparse and dense products; more than the cores slows the "
       "window."), 1, 64, 1, 0, FALSE },
};

struct _PhiliaParamGrid
{
  GtkWidget      parent_instance;

  GtkGrid       *grid;
  GtkSpinButton *spins[N_PARAMS];
  GtkWidget     *spin_labels[N_PARAMS];
};

G_DEFINE_FINAL_TYPE (PhiliaParamGrid, philia_param_grid, GTK_TYPE_WIDGET)

/**
 * philia_param_grid_set_model:
 * @needs_features: (out) (optional): whether the model needs node features
 *
 * Fills the recipe of @model_id; the fields it does not read are greyed out
 * and say so. FALSE (nothing changed) for a model without a recipe.
 */
gboolean
philia_param_grid_set_model (PhiliaParamGrid *self,
                             const char      *model_id,
                             gboolean        *needs_features)
{
  PhiliaTrainParams p;
  gboolean features = FALSE;
  double values[N_PARAMS];

  g_return_val_if_fail (PHILIA_IS_PARAM_GRID (self), FALSE);

  if (model_id == NULL || !philia_train_model_defaults (model_id, &p, &features))
    return FALSE;
  if (needs_features != NULL)
    *needs_features = features;

  values[PARAM_EPOCHS] = p.epochs;
  values[PARAM_LR] = p.lr;
  values[PARAM_WEIGHT_DECAY] = p.weight_decay;
  values[PARAM_HIDDEN] = p.hidden;
  values[PARAM_DROPOUT] = p.dropout;
  values[PARAM_HEADS] = p.heads;
  values[PARAM_K] = p.k;
  values[PARAM_ALPHA] = p.alpha;
  values[PARAM_LAYERS] = p.layers;
  values[PARAM_WALKS] = p.walks;
  values[PARAM_WALK_LENGTH] = p.walk_length;
  values[PARAM_HOP_SAMPLES] = p.hop_samples;
  values[PARAM_PRETRAIN] = p.pretrain_epochs;
  values[PARAM_BATCH] = p.batch_size;
  for (guint i = 0; i < N_PARAMS; i++)
    {
      gboolean used;
      g_autofree char *tooltip = NULL;

      if (!param_info[i].model_param)
        continue;
      /* A field the recipe leaves at "default" is one the model does not read. */
      used = values[i] >= 0;
      if (used)
        gtk_spin_button_set_value (self->spins[i], values[i]);
      gtk_widget_set_sensitive (GTK_WIDGET (self->spins[i]), used);
      gtk_widget_set_sensitive (self->spin_labels[i], used);
      if (param_info[i].hide_unused)
        {
          gtk_widget_set_visible (GTK_WIDGET (self->spins[i]), used);
          gtk_widget_set_visible (self->spin_labels[i], used);
        }
      /* Translators: appended to a hyperparameter's tooltip: "Not used by GCN." */
      tooltip = used ? g_strdup (_(param_info[i].tooltip))
                     : g_strdup_printf ("%s\n%s", _(param_info[i].tooltip),
                                        _("Not used by this model."));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->spins[i]), tooltip);
      gtk_widget_set_tooltip_text (self->spin_labels[i], tooltip);
    }

  return TRUE;
}

/* The recipe as set: a greyed-out field reads as "the model's default" (-1). */
void
philia_param_grid_read (PhiliaParamGrid   *self,
                        PhiliaTrainParams *p,
                        guint64           *seed,
                        guint             *threads)
{
  g_return_if_fail (PHILIA_IS_PARAM_GRID (self));

  philia_train_params_init (p);

#define VALUE(i) (gtk_widget_get_sensitive (GTK_WIDGET (self->spins[i])) \
                  ? gtk_spin_button_get_value (self->spins[i]) : -1)
  p->epochs = (int) VALUE (PARAM_EPOCHS);
  p->lr = VALUE (PARAM_LR);
  p->weight_decay = VALUE (PARAM_WEIGHT_DECAY);
  p->hidden = (int) VALUE (PARAM_HIDDEN);
  p->dropout = VALUE (PARAM_DROPOUT);
  p->heads = (int) VALUE (PARAM_HEADS);
  p->k = (int) VALUE (PARAM_K);
  p->alpha = VALUE (PARAM_ALPHA);
  p->layers = (int) VALUE (PARAM_LAYERS);
  p->walks = (int) VALUE (PARAM_WALKS);
  p->walk_length = (int) VALUE (PARAM_WALK_LENGTH);
  p->hop_samples = (int) VALUE (PARAM_HOP_SAMPLES);
  p->pretrain_epochs = (int) VALUE (PARAM_PRETRAIN);
  p->batch_size = (int) VALUE (PARAM_BATCH);
#undef VALUE
  *seed = (guint64) gtk_spin_button_get_value (self->spins[PARAM_SEED]);
  *threads = (guint) gtk_spin_button_get_value (self->spins[PARAM_THREADS]);
}

static void
philia_param_grid_init (PhiliaParamGrid *self)
{
  g_autoptr(GSettings) settings = NULL;

  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_spacing (self->grid, 4);
  gtk_widget_set_parent (GTK_WIDGET (self->grid), GTK_WIDGET (self));

  for (guint i = 0; i < N_PARAMS; i++)
    {
      GtkWidget *label = gtk_label_new_with_mnemonic (_(param_info[i].label));
      GtkAdjustment *adj = gtk_adjustment_new (0, param_info[i].lower, param_info[i].upper,
                                               param_info[i].step, param_info[i].step * 10, 0);
      GtkWidget *spin = gtk_spin_button_new (adj, param_info[i].step, param_info[i].digits);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      /* Wrapped, so that the side panel (as wide as its widest page) leaves
       * the canvas its room. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_tooltip_text (label, _(param_info[i].tooltip));
      gtk_widget_set_tooltip_text (spin, _(param_info[i].tooltip));
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
      gtk_editable_set_width_chars (GTK_EDITABLE (spin), 6);
      gtk_widget_set_name (spin, param_info[i].key);
      /* Two columns of label + spin keep the panel short. */
      gtk_grid_attach (self->grid, label, (i % 2) * 2, i / 2, 1, 1);
      gtk_grid_attach (self->grid, spin, (i % 2) * 2 + 1, i / 2, 1, 1);
      self->spins[i] = GTK_SPIN_BUTTON (spin);
      self->spin_labels[i] = label;
    }
  gtk_grid_set_column_spacing (self->grid, 8);
  gtk_spin_button_set_value (self->spins[PARAM_SEED], 0);
  /* Starts at the Preferences' worker threads and follows them; typing in
   * the field changes this panel's runs only. NO_SENSITIVITY: the grid greys
   * out fields a model does not read itself. */
  settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (settings, "worker-threads", self->spins[PARAM_THREADS], "value",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_NO_SENSITIVITY);
}

static void
philia_param_grid_dispose (GObject *object)
{
  PhiliaParamGrid *self = PHILIA_PARAM_GRID (object);

  g_clear_pointer ((GtkWidget **) &self->grid, gtk_widget_unparent);

  G_OBJECT_CLASS (philia_param_grid_parent_class)->dispose (object);
}

static void
philia_param_grid_class_init (PhiliaParamGridClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = philia_param_grid_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

GtkWidget *
philia_param_grid_new (void)
{
  return g_object_new (PHILIA_TYPE_PARAM_GRID, NULL);
}

/* The spin button of hyperparameter @key ("epochs", "lr", "weight-decay",
 * "hidden", "dropout", "heads", "k", "alpha", the transformer's "layers", "walks",
 * "walk-length", "hop-samples", "pretrain-epochs", "batch-size", "seed",
 * "threads"), or NULL. */
GtkSpinButton *
philia_param_grid_get_spin (PhiliaParamGrid *self,
                            const char      *key)
{
  g_return_val_if_fail (PHILIA_IS_PARAM_GRID (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < N_PARAMS; i++)
    if (g_str_equal (param_info[i].key, key))
      return self->spins[i];
  return NULL;
}
