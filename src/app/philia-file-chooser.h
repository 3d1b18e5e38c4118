/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * Where file choosers start: the folder last used for the same purpose
 * ("datasets", "projects", "exports"), else the user's documents folder,
 * else the home folder; never the working directory. Remembered in the
 * "chooser-folders" setting.
 */

GFile   *_philia_file_chooser_dup_start_folder (const char     *purpose);
void     _philia_file_chooser_start            (GtkFileChooser *chooser,
                                                const char     *purpose);
void     _philia_file_chooser_remember         (GtkFileChooser *chooser,
                                                GFile          *chosen);

/* Tests: the folder the last chooser was started in (NULL before any). */
GFile   *_philia_file_chooser_get_last_start   (void);

G_END_DECLS
