/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-features.h"

G_BEGIN_DECLS

/* Feature rows from CSV text (philia-features-csv.c); @display names the
 * file in errors, @name becomes the set's name. */
PhiliaFeatureSet *_philia_feature_set_parse_csv (const char *text,
                                                 gsize       size,
                                                 const char *display,
                                                 const char *name,
                                                 guint       n_nodes,
                                                 GError    **error);

G_END_DECLS
