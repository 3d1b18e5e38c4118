/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-core.h"

G_BEGIN_DECLS

/* Called after each chunk of a member with the bytes of it done so far. */
typedef void (*PhiliaNpzReport) (gpointer user_data,
                                 guint64  bytes_done);

guint64      _philia_npz_get_member_size  (PhiliaNpz        *npz,
                                           const char       *name);
PhiliaArray *_philia_npz_read_array_full  (PhiliaNpz        *npz,
                                           const char       *name,
                                           GCancellable     *cancellable,
                                           PhiliaNpzReport   report,
                                           gpointer          user_data,
                                           GError          **error);

/* The members' names as stored, without ".npy"; free with g_strfreev(). */
char       **_philia_npz_list_members     (PhiliaNpz        *npz);

G_END_DECLS
