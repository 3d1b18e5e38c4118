/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-layout.h"

G_BEGIN_DECLS

/* The registry's entry for PHILIA_LAYOUT_PROGRESSIVE (philia-layout.c registers it). */
extern const PhiliaLayoutVTable _philia_layout_progressive_vtable;

G_END_DECLS
