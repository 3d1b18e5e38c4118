/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "philia-core.h"
#include "philia-document-private.h"

#include "document-test-util.h"

/*
 * Document steps added after test-document.c reached its size: deleting a
 * group of runs as one step. The graph is the toy graph of
 * document-test-util.h; the runs are placeholders (only their model names
 * are compared).
 */

/* The ids, group ids and models of the document's runs, in order. */
static char *
describe_runs (PhiliaDocument *doc)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < philia_document_get_n_runs (doc); i++)
    {
      const PhiliaDocumentRun *run = philia_document_get_run (doc, i);

      g_string_append_printf (s, "%s%u/%u/%s/%ux%u", i > 0 ? " " : "", run->id, run->group,
                              run->result->model, run->n_splits, run->n_seeds);
    }
  return g_string_free (s, FALSE);
}

static void
count_changed (PhiliaDocument *document,
               guint           parts,
               guint          *n)
{
  (*n)++;
}

/* A group of 2 splits × 2 seeds between two single runs: deleting it is one
 * step, undone and redone as one, the group and its order intact. */
static void
test_delete_group (void)
{
  g_autoptr (PhiliaGraph) graph = make_graph (TRUE, FALSE);
  g_autoptr (PhiliaDocument) doc = philia_document_new (graph, NULL, NULL);
  PhiliaTrainResult *results[4];
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *again = NULL;
  guint first, n_changed = 0;
  guint ids[4];

  g_assert_cmpuint (philia_document_add_run (doc, fake_result ("mlp")), ==, 1);
  for (guint i = 0; i < 4; i++)
    results[i] = fake_result ("gcn");
  first = philia_document_add_run_group (doc, results, 2, 2);
  g_assert_cmpuint (first, ==, 2);
  g_assert_cmpuint (philia_document_add_run (doc, fake_result ("gat")), ==, 6);
  before = describe_runs (doc);
  g_assert_cmpstr (before, ==,
                   "1/0/mlp/0x0 2/2/gcn/2x2 3/2/gcn/2x2 4/2/gcn/2x2 5/2/gcn/2x2 6/0/gat/0x0");
  g_signal_connect (doc, "changed", G_CALLBACK (count_changed), &n_changed);

  /* An id that is not there is ignored; none there is no step. */
  for (guint i = 0; i < 4; i++)
    ids[i] = first + 3 - i;   /* in any order */
  g_assert_false (philia_document_delete_runs (doc, (guint[]) { 9, 10 }, 2));
  g_assert_false (philia_document_delete_runs (doc, NULL, 0));
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 0);
  g_assert_true (philia_document_delete_runs (doc, ids, 4));
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_cmpuint (philia_document_get_history_length (doc), ==, 1);
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Delete 4 Runs");
  after = describe_runs (doc);
  g_assert_cmpstr (after, ==, "1/0/mlp/0x0 6/0/gat/0x0");

  /* One undo brings the whole group back where it was. */
  g_assert_true (philia_document_undo (doc));
  g_assert_cmpuint (n_changed, ==, 2);
  again = describe_runs (doc);
  g_assert_cmpstr (again, ==, before);
  g_assert_false (philia_document_can_undo (doc));
  g_assert_true (philia_document_redo (doc));
  g_clear_pointer (&again, g_free);
  again = describe_runs (doc);
  g_assert_cmpstr (again, ==, after);
  g_assert_true (philia_document_undo (doc));

  /* Deleting one run of several is "Delete Run N", as before. */
  g_assert_true (philia_document_delete_runs (doc, (guint[]) { 6, 11 }, 2));
  g_assert_cmpstr (philia_document_get_undo_label (doc), ==, "Delete Run 6");
  g_assert_true (philia_document_undo (doc));
  g_clear_pointer (&again, g_free);
  again = describe_runs (doc);
  g_assert_cmpstr (again, ==, before);
  /* Ids keep growing across the undo. */
  g_assert_cmpuint (philia_document_add_run (doc, fake_result ("sgc")), ==, 7);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/Philia/Document/delete-group", test_delete_group);
  return g_test_run ();
}
