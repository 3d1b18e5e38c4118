/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#define PHILIA_CORE_INSIDE
# include "philia-autograd.h"
# include "philia-document.h"
# include "philia-document-features.h"
# include "philia-document-overlays.h"
# include "philia-error.h"
# include "philia-evaluation.h"
# include "philia-export.h"
# include "philia-features.h"
# include "philia-generate.h"
# include "philia-generate-latent.h"
# include "philia-graph.h"
# include "philia-homophily.h"
# include "philia-json.h"
# include "philia-layout.h"
# include "philia-layout-fast.h"
# include "philia-linkmodel.h"
# include "philia-linkpred.h"
# include "philia-linkpred-factors.h"
# include "philia-loader.h"
# include "philia-measure.h"
# include "philia-model.h"
# include "philia-npz.h"
# include "philia-pair-explanation.h"
# include "philia-plugin-loader.h"
# include "philia-progress.h"
# include "philia-proximity.h"
# include "philia-registry.h"
# include "philia-stats-report.h"
# include "philia-train.h"
# include "philia-train-run.h"
#undef PHILIA_CORE_INSIDE

G_BEGIN_DECLS

/* Call once at start-up from the main thread: installs igraph's non-aborting
 * error handler and attribute table, and registers the built-in algorithms. */
void philia_core_init (void);

G_END_DECLS
