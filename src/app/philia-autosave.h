/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"

G_BEGIN_DECLS

#define PHILIA_TYPE_AUTOSAVE (philia_autosave_get_type ())

G_DECLARE_FINAL_TYPE (PhiliaAutosave, philia_autosave, PHILIA, AUTOSAVE, GObject)

/* One window's autosave: a copy of its document in the user cache folder,
 * written on a worker some seconds after the last change. */
PhiliaAutosave *philia_autosave_new            (void);
void            philia_autosave_set_document   (PhiliaAutosave *self,
                                                PhiliaDocument *document,
                                                const char     *project_path);
void            philia_autosave_set_project_path (PhiliaAutosave *self,
                                                  const char     *project_path);
void            philia_autosave_schedule       (PhiliaAutosave *self);
gboolean        philia_autosave_write_now      (PhiliaAutosave *self);
void            philia_autosave_hold           (PhiliaAutosave *self);
void            philia_autosave_release        (PhiliaAutosave *self);
void            philia_autosave_discard        (PhiliaAutosave *self);
gboolean        philia_autosave_get_writing    (PhiliaAutosave *self);
const char     *philia_autosave_get_path       (PhiliaAutosave *self);
guint           philia_autosave_get_n_written  (PhiliaAutosave *self);

/* What a previous Philia that did not close properly left behind. */
typedef struct
{
  char *autosave_path;   /* the .philia copy */
  char *marker_path;     /* the key file naming its owner and its project */
  char *project_path;    /* the project the document was saved as, or NULL */
  char *title;
} PhiliaAutosaveEntry;

void       philia_autosave_entry_free    (PhiliaAutosaveEntry *entry);
void       philia_autosave_entry_delete  (PhiliaAutosaveEntry *entry);
char      *philia_autosave_dup_dir       (void);
GPtrArray *philia_autosave_find_orphans  (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhiliaAutosaveEntry, philia_autosave_entry_free)

guint philia_autosave_get_delay_ms (void);

G_END_DECLS
