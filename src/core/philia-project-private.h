/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by philia-project.c (entry points, facts), philia-project-read.c
 * and philia-project-write.c: the manifest's names and constants. */

#include <json-glib/json-glib.h>

#include "philia-core.h"
#include "philia-manifest-private.h"

G_BEGIN_DECLS

#define MANIFEST_NAME "philia-project.json"
#define PROJECT_FORMAT "philia-project"
/* A manifest is small; anything larger is not one Philia wrote. */
#define MAX_MANIFEST  (64u << 20)
/* Arrays are deflated fast, and large float arrays (weights, probabilities,
 * attention, positions) are stored: their low bits are noise, deflate gains
 * a few percent on them at about 15 MB/s, and saving a PubMed project with
 * ten runs must stay well under a second. */
#define ARRAY_LEVEL   1
#define STORE_FLOATS_FROM (64u << 10)

static const char *const metric_names[] G_GNUC_UNUSED = { "accuracy", "roc-auc" };
static const char *const rule_names[] G_GNUC_UNUSED = {
  "val-roc-auc", "val-accuracy", "last-epoch",
};
static const char *const curve_names[] G_GNUC_UNUSED = {
  "loss", "val_loss", "train_curve", "val_curve", "test_curve",
  "train_auc_curve", "val_auc_curve", "test_auc_curve",
};

static inline double **
result_curve (PhiliaTrainResult *r,
              guint              i)
{
  double **curves[] = {
    &r->loss, &r->val_loss, &r->train_curve, &r->val_curve, &r->test_curve,
    &r->train_auc_curve, &r->val_auc_curve, &r->test_auc_curve,
  };

  return curves[i];
}

char          **_philia_project_evaluation_names (const PhiliaDocumentEvaluation *e);
/* philia-project-linkmodels.c: an evaluation's GNN link predictors. */
GPtrArray      *_philia_project_copy_link_models  (GPtrArray                *models);
void            _philia_project_write_link_models (JsonBuilder              *b,
                                                   GPtrArray                *models,
                                                   char                    **features);
gboolean        _philia_project_read_link_models  (JsonObject               *o,
                                                   const char               *project,
                                                   PhiliaDocumentEvaluation *e,
                                                   GError                  **error);
gboolean        _philia_project_file_checksum    (const char    *path,
                                                  GCancellable  *cancellable,
                                                  char         **sha256,
                                                  guint64       *size);
char           *_philia_project_one_line         (const char *message);
PhiliaDocument *_philia_project_read             (GBytes                 *bytes,
                                                  const char             *display_name,
                                                  const char             *base_dir,
                                                  const char             *dataset_path,
                                                  PhiliaProjectOpenFlags  flags,
                                                  GCancellable           *cancellable,
                                                  GError                **error);

G_END_DECLS
