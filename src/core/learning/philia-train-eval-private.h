/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The training loop's evaluation pass (philia-train-eval.c). */

#include "philia-core.h"
#include "philia-train-private.h"

G_BEGIN_DECLS

/* What the loop reads of an evaluation pass's log-probabilities, row by row
 * in order: the argmax per node (into @predictions if set), the hits and
 * counts of the train, validation and test masks, and the validation NLL's
 * sum in double as philia_op_nll () sums it. */
typedef struct
{
  const gint32 *labels;
  const guint8 *masks[3];
  gint32       *predictions;
  gint64        hit[3], total[3], val_count;
  double        val_sum;
} PhiliaEvalCounts;

/* The evaluation pass: dropout off, no tape nodes (parameters need no
 * grad). A linear output layer on fixed features (SGC's) is deferred to
 * the log-softmax, which takes X's rows a block at a time and gives each
 * block's log-probabilities to @counts while in cache (HACKING.md §7);
 * any other output is counted after its log-softmax. @counts (zeroed but
 * for its inputs) may be NULL. */
PhiliaTensor *_philia_eval_forward (PhiliaTape              *tape,
                                    const PhiliaModelVTable *vtable,
                                    gpointer                 model,
                                    PhiliaModelContext      *ctx,
                                    PhiliaEvalCounts        *counts);

G_END_DECLS
