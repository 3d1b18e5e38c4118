/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Where the user guide's @page ("index", "homophily", …) is: help:philia/PAGE
 * for Yelp when it is installed, else the file:// address of the HTML build
 * of the same pages (installed beside the program, or in the build tree);
 * NULL when neither exists. */
char *philia_help_get_uri (const char *page);
/* Opens @page with gtk_show_uri (Yelp or the browser), or says why not. */
void  philia_help_show    (GtkWindow  *parent,
                           const char *page);

G_END_DECLS
