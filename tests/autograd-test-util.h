/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the autograd suites share (test-autograd.c, test-autograd-spmm.c,
 * test-transformer.c, the fused ops' test-linear-nll.c and
 * test-linear-eval.c, and GAT's test-gat.c and test-gat-widths.c):
 * every op's backward pass against central finite differences of
 * L = Σ out ⊙ R (R fixed random), accumulated in double. float32 forward
 * passes limit the agreement to about 1e-3 relative, so inputs are kept away
 * from kinks (ReLU at 0) by the draw. */
#pragma once

#include "philia-core.h"
#include "philia-autograd-private.h"

typedef PhiliaTensor *(*BuildFunc) (PhiliaTape *tape, PhiliaTensor **in, gpointer data);

#define FREE_ALL(arr) \
  for (guint _i = 0; _i < G_N_ELEMENTS (arr); _i++) philia_tensor_free (arr[_i])

PhiliaTensor *uniform_tensor  (guint          rows,
                               guint          cols,
                               float          scale,
                               PhiliaRng     *rng);
void          fill            (PhiliaTensor  *t,
                               PhiliaRng     *rng,
                               float          lo,
                               float          hi);
void          check_gradients (const char    *name,
                               BuildFunc      build,
                               PhiliaTensor **in,
                               guint          n_in,
                               gpointer       data,
                               double         tolerance);
PhiliaTensor *param           (guint          rows,
                               guint          cols,
                               PhiliaRng     *rng);
PhiliaSparse *small_sparse    (guint          rows,
                               guint          cols,
                               PhiliaRng     *rng);

/* One step of a GAT attention op, kept to compare two paths bit for bit:
 * the output, the attention weights, then the three inputs' gradients. */
typedef struct
{
  float *out, *alpha, *gwx, *gs, *gd;
} GatRun;

float        *copy_floats     (const float   *p,
                               gsize          n);
GatRun        gat_run_capture (PhiliaTape    *tape,
                               PhiliaTensor  *o,
                               PhiliaTensor  *alpha,
                               gsize          weights,
                               PhiliaTensor **in,
                               const float   *r);
void          gat_run_free    (GatRun        *r);
GatRun        gat_attend_run  (PhiliaTape    *tape,
                               PhiliaSparse  *s,
                               PhiliaTensor **in,
                               gboolean       via_op,
                               float          p,
                               const float   *r);
