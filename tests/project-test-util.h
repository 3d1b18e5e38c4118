/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "philia-core.h"

G_BEGIN_DECLS

/*
 * Fixtures the project suites share (test-project.c,
 * test-project-refused.c): a fresh folder with the ring graph saved as a
 * dataset, documents on it (one with real runs), and a saved project's
 * members, to rewrite into damaged ones.
 *
 * The graph: a ring of 24 nodes plus chords i – i+5 for even i, two classes
 * by parity of i / 3, 4 one-hot features, one split (train i % 3 == 0, val
 * i % 3 == 1, test the rest).
 */

#define N 24

typedef struct
{
  char *dir;           /* a fresh folder */
  char *dataset;       /* dir/data/ring.npz */
  char *project;       /* dir/p.philia */
} Fixture;

/* The members of a zip, the manifest parsed. */
typedef struct
{
  GPtrArray  *names;
  GPtrArray  *bytes;
  JsonNode   *manifest;
} Archive;

PhiliaGraph       *ring_graph         (guint          extra_chord);
void               fixture_set_up     (Fixture       *f,
                                       gconstpointer  data);
void               fixture_tear_down  (Fixture       *f,
                                       gconstpointer  data);
/* A document on the fixture's dataset, and one with some of everything
 * (real runs, an evaluation, pairs, new splits). */
PhiliaDocument    *new_document       (Fixture       *f);
PhiliaDocument    *full_document      (Fixture       *f);
void               set_two_splits     (PhiliaDocument *doc);
PhiliaTrainResult *train              (PhiliaGraph   *graph,
                                       const char    *model,
                                       guint64        seed);
PhiliaDocument    *reopen             (const char    *path);
void               save               (PhiliaDocument *doc,
                                       const char    *path);
/* Opening @path fails with @domain, @code and exactly @message. */
void               assert_refused     (const char    *path,
                                       GQuark         domain,
                                       int            code,
                                       const char    *message);
Archive           *archive_read       (const char    *path);
void               archive_free       (Archive       *a);
JsonObject        *manifest           (Archive       *a);
void               archive_set        (Archive       *a,
                                       const char    *name,
                                       GBytes        *bytes);
void               archive_write_text (Archive       *a,
                                       const char    *path,
                                       const char    *text);
void               archive_write      (Archive       *a,
                                       const char    *path);
/* The full document saved to the fixture's project, read back as members. */
Archive           *saved_archive      (Fixture       *f);
JsonObject        *first_of           (JsonObject    *o,
                                       const char    *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Archive, archive_free)

G_END_DECLS
