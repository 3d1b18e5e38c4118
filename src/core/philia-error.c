/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-core.h"

G_DEFINE_QUARK (philia-error-quark, philia_error)
