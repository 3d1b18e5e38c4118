/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PHILIA_TYPE_APPLICATION (philia_application_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaApplication, philia_application, PHILIA, APPLICATION, GtkApplication)

PhiliaApplication *philia_application_new (GApplicationFlags flags);

G_END_DECLS
