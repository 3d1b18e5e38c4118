/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#define PHILIA_RENDER_INSIDE
# include "philia-render-types.h"
# include "philia-bar-chart.h"
# include "philia-figure.h"
# include "philia-heatmap.h"
# include "philia-xy-chart.h"
# include "philia-stats-figure.h"
# include "philia-linkpred-figure.h"
# include "philia-graph-view.h"
# include "philia-train-figure.h"
# include "philia-features-figure.h"
# include "philia-adapt-figure.h"
# include "philia-render-enums.h"
#undef PHILIA_RENDER_INSIDE
