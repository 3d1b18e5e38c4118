/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#define PHILIA_RENDER_INSIDE
# include "philia-render-types.h"
# include "philia-bar-chart.h"
# include "philia-figure.h"
#undef PHILIA_RENDER_INSIDE
