/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Writing the JSON manifests of project files (philia-project-write.c) and
 * saved models (philia-model-file.c): members of each type, and the training
 * recipe, which both files hold under "params" with the same keys. */

#include <math.h>
#include <json-glib/json-glib.h>

#include "philia-core.h"

G_BEGIN_DECLS

/* PhiliaOptimizer's names in manifests, by value. */
static const char *const optimizer_names[] G_GNUC_UNUSED = { "adam", "sgd" };

/* NaN is null and ±∞ a string: JSON has neither. */
static inline void
add_double (JsonBuilder *b,
            double       v)
{
  if (isnan (v))
    json_builder_add_null_value (b);
  else if (isinf (v))
    json_builder_add_string_value (b, v > 0 ? "inf" : "-inf");
  else
    json_builder_add_double_value (b, v);
}

static inline void
member_double (JsonBuilder *b,
               const char  *key,
               double       v)
{
  json_builder_set_member_name (b, key);
  add_double (b, v);
}

static inline void
member_int (JsonBuilder *b,
            const char  *key,
            gint64       v)
{
  json_builder_set_member_name (b, key);
  json_builder_add_int_value (b, v);
}

static inline void
member_string (JsonBuilder *b,
               const char  *key,
               const char  *v)
{
  json_builder_set_member_name (b, key);
  if (v != NULL)
    json_builder_add_string_value (b, v);
  else
    json_builder_add_null_value (b);
}

static inline void
member_bool (JsonBuilder *b,
             const char  *key,
             gboolean     v)
{
  json_builder_set_member_name (b, key);
  json_builder_add_boolean_value (b, v);
}

/* The "params" object: the recipe a run was trained with, which a saved
 * model keeps to rebuild its weights' shapes. */
static inline void
member_train_params (JsonBuilder             *b,
                     const char              *key,
                     const PhiliaTrainParams *p)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_object (b);
  member_int (b, "epochs", p->epochs);
  member_double (b, "lr", p->lr);
  member_double (b, "weight_decay", p->weight_decay);
  member_int (b, "hidden", p->hidden);
  member_double (b, "dropout", p->dropout);
  member_int (b, "heads", p->heads);
  member_int (b, "k", p->k);
  member_double (b, "alpha", p->alpha);
  member_string (b, "optimizer", (guint)p->optimizer < G_N_ELEMENTS (optimizer_names)
                 ? optimizer_names[p->optimizer] : "adam");
  member_bool (b, "normalize_features", p->normalize_features);
  /* The transformer's recipe: its weight shapes follow the layers, and its
   * sequences the walks and samples, which predict draws again. */
  member_int (b, "layers", p->layers);
  member_int (b, "walks", p->walks);
  member_int (b, "walk_length", p->walk_length);
  member_int (b, "hop_samples", p->hop_samples);
  member_int (b, "pretrain_epochs", p->pretrain_epochs);
  member_int (b, "batch_size", p->batch_size);
  json_builder_end_object (b);
}

G_END_DECLS
