/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "philia-canvas.h"
#include "philia-filter-dialog.h"
#include "philia-app-private.h"
#include "philia-test-util.h"
#include "philia-window.h"

/*
 * The window around a document, driven through its actions as a user would:
 * undo and redo with the step named in the menu, the unsaved-changes bullet,
 * Save As and reopening, the close question, projects whose dataset moved or
 * changed, filtering into a second window, two documents side by side. File
 * choosers answer through philia_window_set_chooser_answer().
 */
static PhiliaApplication *app;
static char *cora_path;
static char *tmp_dir;

static gboolean
not_loading (gpointer window)
{
  return !philia_window_get_loading (window);
}

static gboolean
not_saving (gpointer window)
{
  return !philia_window_get_saving (window);
}

static gboolean
has_question (gpointer window)
{
  return philia_window_get_question (window) != NULL;
}

static gboolean
is_null (gpointer pointer_to_pointer)
{
  return *(gpointer *) pointer_to_pointer == NULL;
}

static guint
n_windows (void)
{
  return g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));
}

static gboolean
n_windows_is_two (gpointer data)
{
  return n_windows () == 2;
}

/* One application for the whole run (it registers once), no window left
 * over from the test before. */
static void
setup (void)
{
  if (app == NULL)
    {
      app = philia_application_new (G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
    }
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
}

static void
teardown (void)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
}

/* A window showing @path (a dataset or project), loaded. */
static PhiliaWindow *
window_with (const char *path)
{
  PhiliaWindow *window = philia_window_new (GTK_APPLICATION (app));
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_window_present (GTK_WINDOW (window));
  philia_window_open (window, file);
  g_assert_true (philia_test_spin_until (not_loading, window, 30000));
  g_assert_null (philia_window_get_banner_message (window));
  g_assert_nonnull (philia_window_get_document (window));
  return window;
}

/* A layout with recognisable coordinates: node i at (i, -i / 2 + @shift). */
static void
add_layout (PhiliaDocument *document,
            const char     *name,
            double          shift)
{
  guint n = philia_graph_get_n_nodes (philia_document_get_graph (document));
  double *xy = g_new (double, 2 * n);

  for (guint i = 0; i < n; i++)
    {
      xy[2 * i] = i;
      xy[2 * i + 1] = -0.5 * i + shift;
    }
  philia_document_add_layout (document, name, "manual", 7, xy);
}

static char *
menu_label (GMenuModel *menu,
            guint       index)
{
  char *label = NULL;

  g_assert_cmpint (g_menu_model_get_n_items (menu), >, index);
  g_assert_true (g_menu_model_get_item_attribute (menu, index, G_MENU_ATTRIBUTE_LABEL, "s",
                                                  &label));
  return label;
}

static void
assert_menu (PhiliaWindow *window,
             const char   *undo,
             const char   *redo)
{
  GMenuModel *menu = philia_window_get_undo_menu (window);
  g_autofree char *undo_label = menu_label (menu, 0);
  g_autofree char *redo_label = menu_label (menu, 1);

  g_assert_cmpstr (undo_label, ==, undo);
  g_assert_cmpstr (redo_label, ==, redo);
}

static void
test_undo_redo (void)
{
  PhiliaWindow *window = window_with (cora_path);
  PhiliaDocument *document = philia_window_get_document (window);
  const PhiliaDocumentLayout *layout;
  guint node = 42;
  double xy[2] = { 1000.0, 2000.0 };

  /* A fresh document: nothing to undo, no bullet, the dataset as subtitle. */
  assert_menu (window, "_Undo", "_Redo");
  g_assert_false (philia_window_get_dirty (window));
  g_assert_cmpstr (philia_window_get_title_text (window), ==, "cora");
  g_assert_cmpstr (philia_window_get_subtitle_text (window), ==, "cora.npz");
  /* Undo with nothing to undo does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpuint (philia_document_get_n_layouts (document), ==, 0);

  add_layout (document, "Grid", 0.0);
  assert_menu (window, "_Undo Layout", "_Redo");
  g_assert_true (philia_window_get_dirty (window));
  g_assert_cmpstr (philia_window_get_title_text (window), ==, "• cora");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "• cora");

  g_assert_true (philia_document_move_nodes (document, &node, xy, 1));
  assert_menu (window, "_Undo Move Node 42", "_Redo");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  assert_menu (window, "_Undo Layout", "_Redo Move Node 42");
  layout = philia_document_get_current_layout (document);
  g_assert_cmpfloat (layout->positions[2 * 42], ==, 42.0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL);
  assert_menu (window, "_Undo Move Node 42", "_Redo");
  layout = philia_document_get_current_layout (document);
  g_assert_cmpfloat (layout->positions[2 * 42], ==, 1000.0);
  g_assert_cmpfloat (layout->positions[2 * 42 + 1], ==, 2000.0);

  /* Back to where it was opened: clean again, the bullet goes. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  assert_menu (window, "_Undo", "_Redo Layout");
  g_assert_cmpuint (philia_document_get_n_layouts (document), ==, 0);
  g_assert_false (philia_window_get_dirty (window));
  g_assert_cmpstr (philia_window_get_title_text (window), ==, "cora");
}

static gboolean
canvas_laid_out (gpointer window)
{
  PhiliaDocument *document = philia_window_get_document (window);
  PhiliaCanvas *canvas = PHILIA_CANVAS (philia_window_get_canvas (window));

  return philia_document_get_current_layout (document) != NULL
         && !philia_canvas_get_busy (canvas) && philia_canvas_has_positions (canvas);
}

/* The canvas's automatic first layout is what the document opens with: no
 * step, so Undo is insensitive and names nothing, the title has no bullet,
 * and the document is still free for the next Open. Another layout is a
 * step, and undoing it comes back to the first one. */
static void
test_first_layout (void)
{
  PhiliaWindow *window = window_with (cora_path);
  PhiliaDocument *document = philia_window_get_document (window);
  const PhiliaDocumentLayout *first;

  g_assert_true (philia_test_spin_until (canvas_laid_out, window, 60000));
  first = philia_document_get_current_layout (document);
  g_assert_cmpuint (philia_document_get_n_layouts (document), ==, 1);
  g_assert_cmpstr (first->algorithm, !=, "manual");
  g_assert_false (philia_document_can_undo (document));
  g_assert_cmpuint (philia_document_get_history_length (document), ==, 0);
  assert_menu (window, "_Undo", "_Redo");
  g_assert_false (philia_window_get_dirty (window));
  g_assert_cmpstr (philia_window_get_title_text (window), ==, "cora");
  g_assert_false (philia_document_has_work (document));
  /* Undo does nothing: the layout stays. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_true (philia_document_get_current_layout (document) == first);

  add_layout (document, "Grid", 0.0);
  assert_menu (window, "_Undo Layout", "_Redo");
  g_assert_true (philia_window_get_dirty (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_true (philia_document_get_current_layout (document) == first);
  assert_menu (window, "_Undo", "_Redo Layout");
  g_assert_false (philia_window_get_dirty (window));
}

static void
assert_same_layout (PhiliaDocument *a,
                    PhiliaDocument *b)
{
  const PhiliaDocumentLayout *la = philia_document_get_current_layout (a);
  const PhiliaDocumentLayout *lb = philia_document_get_current_layout (b);
  guint n = philia_graph_get_n_nodes (philia_document_get_graph (a));

  g_assert_nonnull (la);
  g_assert_nonnull (lb);
  g_assert_cmpstr (la->name, ==, lb->name);
  g_assert_cmpuint (philia_graph_get_n_nodes (philia_document_get_graph (b)), ==, n);
  g_assert_cmpmem (la->positions, 2 * n * sizeof (double), lb->positions,
                   2 * n * sizeof (double));
}

static void
test_save_close_reopen (void)
{
  g_autofree char *project = g_build_filename (tmp_dir, "session.philia", NULL);
  g_autofree char *typed = g_build_filename (tmp_dir, "session", NULL);
  PhiliaWindow *window = window_with (cora_path);
  PhiliaDocument *document = philia_window_get_document (window);
  g_autoptr(PhiliaDocument) kept = g_object_ref (document);
  PhiliaWindow *reopened;
  guint node = 7;
  double xy[2] = { -3.0, 4.0 };

  add_layout (document, "Mine", 1.0);
  g_assert_true (philia_document_move_nodes (document, &node, xy, 1));

  /* Save on a never-saved document is Save As; the extension is added. */
  philia_window_set_chooser_answer (window, typed);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_true (philia_window_get_saving (window));
  g_assert_true (philia_test_spin_until (not_saving, window, 30000));
  g_assert_null (philia_window_get_banner_message (window));
  g_assert_true (g_file_test (project, G_FILE_TEST_IS_REGULAR));
  g_assert_false (philia_window_get_dirty (window));
  g_assert_cmpstr (philia_window_get_title_text (window), ==, "session");
  g_assert_cmpstr (philia_document_get_path (document), ==, project);

  /* Clean: closing asks nothing. */
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpuint (n_windows (), ==, 0);

  reopened = window_with (project);
  g_assert_false (philia_window_get_dirty (reopened));
  g_assert_cmpstr (philia_window_get_title_text (reopened), ==, "session");
  g_assert_cmpstr (philia_document_get_dataset_path (philia_window_get_document (reopened)), ==,
                   cora_path);
  assert_same_layout (kept, philia_window_get_document (reopened));

  /* Open Recent lists the project. */
  {
    GMenuModel *recent = philia_window_get_recent_menu (reopened);
    g_autofree char *first = menu_label (recent, 0);

    /* Its name, then its folder. */
    g_assert_true (g_str_has_prefix (first, "session.philia — "));
  }
}

static void
respond (PhiliaWindow *window,
         int           response)
{
  GtkWidget *question;

  g_assert_true (philia_test_spin_until (has_question, window, 5000));
  question = philia_window_get_question (window);
  gtk_dialog_response (GTK_DIALOG (question), response);
}

static void
test_close_question (void)
{
  g_autofree char *project = g_build_filename (tmp_dir, "closing.philia", NULL);
  PhiliaWindow *window = window_with (cora_path);
  g_autofree char *primary = NULL;

  add_layout (philia_window_get_document (window), "Dirty", 0.0);

  /* Cancel: the window and its changes stay. */
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (philia_test_spin_until (has_question, window, 5000));
  g_object_get (philia_window_get_question (window), "text", &primary, NULL);
  g_assert_cmpstr (primary, ==, "Save changes to “cora” before closing?");
  respond (window, GTK_RESPONSE_CANCEL);
  g_assert_cmpuint (n_windows (), ==, 1);
  g_assert_true (philia_window_get_dirty (window));

  /* Save: the file is written, then the window goes. */
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  philia_window_set_chooser_answer (window, project);
  gtk_window_close (GTK_WINDOW (window));
  respond (window, GTK_RESPONSE_ACCEPT);
  g_assert_true (philia_test_spin_until (is_null, &window, 30000));
  g_assert_true (g_file_test (project, G_FILE_TEST_IS_REGULAR));

  /* Discard: gone without a file. */
  window = window_with (cora_path);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  add_layout (philia_window_get_document (window), "Dirty", 0.0);
  gtk_window_close (GTK_WINDOW (window));
  respond (window, GTK_RESPONSE_REJECT);
  g_assert_true (philia_test_spin_until (is_null, &window, 5000));
  g_assert_cmpuint (n_windows (), ==, 0);
}

/* Saves a project of a copy of Cora in @dir and returns its path. */
static char *
project_of_copy (const char *name,
                 char      **copy_path)
{
  g_autofree char *copy = g_build_filename (tmp_dir, name, NULL);
  g_autofree char *project = g_strconcat (copy, PHILIA_PROJECT_EXTENSION, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  PhiliaWindow *window;

  g_assert_true (g_file_get_contents (cora_path, &contents, &length, &error));
  g_assert_true (g_file_set_contents (copy, contents, length, &error));
  window = window_with (copy);
  add_layout (philia_window_get_document (window), "Copy", 0.0);
  g_assert_true (philia_document_save (philia_window_get_document (window), project, NULL,
                                       &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (window));
  *copy_path = g_steal_pointer (&copy);
  return g_steal_pointer (&project);
}

static void
test_dataset_missing (void)
{
  g_autofree char *copy = NULL;
  g_autofree char *project = project_of_copy ("moved.npz", &copy);
  PhiliaWindow *window = window_with (cora_path);
  PhiliaDocument *before = philia_window_get_document (window);
  g_autoptr(GFile) file = g_file_new_for_path (project);
  PhiliaDocument *after;

  g_assert_cmpint (g_remove (copy), ==, 0);
  philia_window_open (window, file);
  g_assert_true (philia_test_spin_until (not_loading, window, 30000));
  /* Not an error in the banner: a question that offers to locate it. */
  g_assert_null (philia_window_get_banner_message (window));
  g_assert_true (philia_window_get_document (window) == before);
  philia_window_set_chooser_answer (window, cora_path);
  respond (window, GTK_RESPONSE_ACCEPT);
  g_assert_true (philia_test_spin_until (not_loading, window, 30000));
  after = philia_window_get_document (window);
  g_assert_true (after != before);
  g_assert_cmpstr (philia_document_get_dataset_path (after), ==, cora_path);
  g_assert_nonnull (philia_document_find_layout (after, "Copy"));
}

static void
test_dataset_changed (void)
{
  g_autofree char *copy = NULL;
  g_autofree char *project = project_of_copy ("changed.npz", &copy);
  PhiliaWindow *window = window_with (cora_path);
  PhiliaDocument *before = philia_window_get_document (window);
  g_autoptr(GFile) file = g_file_new_for_path (project);
  g_autoptr(GError) error = NULL;

  /* Same graph, other bytes (Philia's writer, not numpy's): the checksum differs. */
  g_assert_true (philia_graph_write_npz (philia_window_get_graph (window), copy, &error));
  g_assert_no_error (error);

  philia_window_open (window, file);
  g_assert_true (philia_test_spin_until (not_loading, window, 30000));
  g_test_message ("banner: %s", philia_window_get_banner_message (window));
  g_assert_null (philia_window_get_banner_message (window));
  /* Cancel: nothing changes. */
  respond (window, GTK_RESPONSE_CANCEL);
  g_assert_true (philia_window_get_document (window) == before);

  philia_window_open (window, file);
  g_assert_true (philia_test_spin_until (not_loading, window, 30000));
  respond (window, GTK_RESPONSE_ACCEPT);   /* Open Anyway */
  g_assert_true (philia_test_spin_until (not_loading, window, 30000));
  g_assert_null (philia_window_get_banner_message (window));
  g_assert_nonnull (philia_document_find_layout (philia_window_get_document (window), "Copy"));
}

static void
test_corrupt_project (void)
{
  g_autofree char *bad = g_build_filename (tmp_dir, "bad.philia", NULL);
  PhiliaWindow *window = window_with (cora_path);
  PhiliaDocument *before = philia_window_get_document (window);
  g_autoptr(GFile) file = g_file_new_for_path (bad);
  g_autoptr(GError) error = NULL;

  add_layout (before, "Precious", 0.0);
  g_assert_true (g_file_set_contents (bad, "PK\003\004 not a zip at all", -1, &error));
  philia_window_open (window, file);
  g_assert_true (philia_test_spin_until (not_loading, window, 30000));
  g_test_message ("banner: %s", philia_window_get_banner_message (window));
  g_assert_nonnull (philia_window_get_banner_message (window));
  g_assert_nonnull (strstr (philia_window_get_banner_message (window), "bad.philia"));
  g_assert_true (philia_window_get_document (window) == before);
  g_assert_nonnull (philia_document_find_layout (before, "Precious"));
  g_assert_cmpuint (n_windows (), ==, 1);
}

static void
test_filter (void)
{
  PhiliaWindow *window = window_with (cora_path);
  PhiliaDocument *document = philia_window_get_document (window);
  PhiliaFilterDialog *dialog;
  PhiliaWindow *filtered;
  PhiliaGraph *graph;
  PhiliaFilter filter = { .kind = PHILIA_FILTER_DEGREE, .min = 2, .max = 10 };
  guint n_kept = 0;

  /* Refused (no class ticked, so no node kept): the banner says why, no window. */
  dialog = philia_filter_dialog_new (window);
  g_assert_cmpuint (philia_filter_dialog_get_n_class_buttons (dialog), ==, 7);
  gtk_window_present (GTK_WINDOW (dialog));
  philia_filter_dialog_set_filter (dialog, &(PhiliaFilter) { .kind = PHILIA_FILTER_CLASSES });
  gtk_widget_activate_action (GTK_WIDGET (dialog), "filter.run", NULL);
  g_test_message ("banner: %s", philia_window_get_banner_message (window));
  g_assert_nonnull (philia_window_get_banner_message (window));
  g_assert_cmpuint (n_windows (), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-banner", NULL);

  dialog = philia_filter_dialog_new (window);
  g_object_ref (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  philia_filter_dialog_set_filter (dialog, &filter);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "filter.run", NULL);
  filtered = philia_filter_dialog_get_result (dialog);
  g_object_unref (dialog);
  g_assert_nonnull (filtered);
  g_assert_true (filtered != window);
  g_assert_cmpuint (n_windows (), ==, 2);
  g_assert_true (philia_window_get_document (window) == document);

  graph = philia_window_get_graph (window);
  for (guint v = 0; v < philia_graph_get_n_nodes (graph); v++)
    {
      guint d = philia_graph_get_degree (graph, v);

      n_kept += d >= 2 && d <= 10;
    }
  g_assert_cmpuint (philia_graph_get_n_nodes (philia_window_get_graph (filtered)), ==, n_kept);
  g_test_message ("filtered subtitle: %s", philia_window_get_subtitle_text (filtered));
  g_assert_nonnull (philia_document_get_origin (philia_window_get_document (filtered)));
  g_assert_cmpstr (philia_window_get_subtitle_text (filtered), ==,
                   philia_document_get_origin (philia_window_get_document (filtered)));
}

static gboolean
laid_out (gpointer window)
{
  PhiliaDocument *document = philia_window_get_document (window);
  GtkWidget *canvas = philia_window_get_canvas (window);
  gboolean busy = FALSE;

  g_object_get (canvas, "busy", &busy, NULL);
  return philia_document_get_current_layout (document) != NULL && !busy;
}

/* Node @v a little to the right, as a drag would leave it. */
static void
move_node (PhiliaDocument *document,
           guint           v)
{
  const PhiliaDocumentLayout *layout = philia_document_get_current_layout (document);
  double xy[2] = { layout->positions[2 * v] + 20.0, layout->positions[2 * v + 1] };

  g_assert_true (philia_document_move_nodes (document, &v, xy, 1));
}

static GdkTexture *
render (PhiliaWindow *window)
{
  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, window, 10000));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  philia_test_spin_for (300);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return philia_test_render_window (window, gtk_widget_get_width (GTK_WIDGET (window)),
                                    gtk_widget_get_height (GTK_WIDGET (window)));
}

/* Both windows' frames in one picture, the way two windows side by side look. */
static void
save_side_by_side (GdkTexture *left,
                   GdkTexture *right,
                   const char *name)
{
  int lw = gdk_texture_get_width (left), lh = gdk_texture_get_height (left);
  int rw = gdk_texture_get_width (right), rh = gdk_texture_get_height (right);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, lw + rw + 16,
                                                         MAX (lh, rh));
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  GdkTexture *parts[2] = { left, right };
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_paint (cr);
  for (guint i = 0; i < 2; i++)
    {
      int w = gdk_texture_get_width (parts[i]), h = gdk_texture_get_height (parts[i]);
      cairo_surface_t *part = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);

      cairo_surface_flush (part);
      gdk_texture_download (parts[i], cairo_image_surface_get_data (part),
                            cairo_image_surface_get_stride (part));
      cairo_surface_mark_dirty (part);
      cairo_set_source_surface (cr, part, i == 0 ? 0 : lw + 16, 0);
      cairo_paint (cr);
      cairo_surface_destroy (part);
    }
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  g_test_message ("saved %s", path);
}

static void
test_two_documents (void)
{
  g_autofree char *citeseer = philia_test_shared_dataset ("citeseer.npz");
  PhiliaWindow *first = window_with (cora_path);
  PhiliaDocument *document = philia_window_get_document (first);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkTexture) left = NULL;
  g_autoptr(GdkTexture) right = NULL;
  PhiliaWindow *second = NULL;

  if (citeseer == NULL)
    {
      g_test_skip ("citeseer.npz is not in the shared datasets");
      return;
    }

  /* No work yet: Open replaces the document in the same window. */
  file = g_file_new_for_path (citeseer);
  philia_window_open (first, file);
  g_assert_true (philia_test_spin_until (not_loading, first, 30000));
  g_assert_cmpuint (n_windows (), ==, 1);
  g_assert_true (philia_window_get_document (first) != document);
  g_assert_cmpstr (philia_window_get_title_text (first), ==, "citeseer");

  /* With work in it (a node moved in the canvas's own layout), Open puts the
   * next dataset in a new window. */
  document = philia_window_get_document (first);
  g_assert_true (philia_test_spin_until (laid_out, first, 60000));
  move_node (document, 5);
  g_clear_object (&file);
  file = g_file_new_for_path (cora_path);
  philia_window_open (first, file);
  g_assert_true (philia_test_spin_until (not_loading, first, 30000));
  g_assert_true (philia_test_spin_until (n_windows_is_two, NULL, 5000));
  g_assert_true (philia_window_get_document (first) == document);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (l->data != first)
      second = l->data;
  g_assert_nonnull (second);
  g_assert_cmpstr (philia_window_get_title_text (second), ==, "cora");
  g_assert_cmpstr (philia_window_get_title_text (first), ==, "• citeseer");

  /* Undo in one window leaves the other alone. */
  g_assert_true (philia_test_spin_until (laid_out, second, 60000));
  move_node (philia_window_get_document (second), 9);
  gtk_widget_activate_action (GTK_WIDGET (first), "win.undo", NULL);
  g_assert_cmpstr (philia_document_get_redo_label (document), ==, "Move Node 5");
  g_assert_cmpstr (philia_document_get_undo_label (philia_window_get_document (second)), ==,
                   "Move Node 9");
  gtk_widget_activate_action (GTK_WIDGET (first), "win.redo", NULL);

  gtk_window_set_default_size (GTK_WINDOW (first), 900, 600);
  gtk_window_set_default_size (GTK_WINDOW (second), 900, 600);
  left = render (first);
  right = render (second);
  save_side_by_side (left, right, "documents-side-by-side.png");
}

/* The whole screen, popovers and dialogs included (Xvfb has no window
 * manager: every window sits at 0,0, the newest on top). */
static void
grab_screen (const char *name)
{
  g_autofree char *import = g_find_program_in_path ("import");
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (import == NULL)
    {
      g_test_message ("no ImageMagick import: %s not taken", name);
      return;
    }
  philia_test_spin_for (400);
  {
    const char *argv[] = { import, "-window", "root", path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                                 NULL, &status, &error));
  }
  g_assert_no_error (error);
  g_test_message ("saved %s", path);
}

static GtkWidget *
find_menu_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_menu_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Pictures to look at: the undo menu, the close question, the filter dialog. */
static void
test_screenshots (void)
{
  PhiliaWindow *window = window_with (cora_path);
  PhiliaDocument *document = philia_window_get_document (window);
  GtkWidget *button;
  PhiliaFilterDialog *dialog;
  guint node = 42;
  double xy[2] = { 10.0, 20.0 };

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, window, 10000));
  add_layout (document, "Grid", 0.0);
  g_assert_true (philia_document_move_nodes (document, &node, xy, 1));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);

  /* The loading bar slides away first. */
  philia_test_spin_for (1500);
  button = find_menu_button (gtk_window_get_titlebar (GTK_WINDOW (window)));
  g_assert_nonnull (button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  grab_screen ("documents-undo-menu.png");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));

  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (philia_test_spin_until (has_question, window, 5000));
  {
    GtkWidget *question = philia_window_get_question (window);
    g_autoptr(GdkPaintable) paintable = NULL;
    g_autoptr(GdkTexture) texture = NULL;
    GtkSnapshot *snapshot;
    GskRenderNode *render_node;
    int w, h;

    /* The dialog itself (a screen grab without a window manager may not
     * show it above its parent). */
    g_assert_true (philia_test_spin_until (philia_test_widget_mapped, question, 5000));
    gtk_test_widget_wait_for_draw (question);
    w = gtk_widget_get_width (question);
    h = gtk_widget_get_height (question);
    paintable = gtk_widget_paintable_new (question);
    snapshot = gtk_snapshot_new ();
    gdk_paintable_snapshot (paintable, snapshot, w, h);
    render_node = gtk_snapshot_free_to_node (snapshot);
    g_assert_nonnull (render_node);
    texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (question)),
                                           render_node, &GRAPHENE_RECT_INIT (0, 0, w, h));
    gsk_render_node_unref (render_node);
    philia_test_save_png (texture, "documents-close-question.png");
  }
  respond (window, GTK_RESPONSE_CANCEL);

  dialog = philia_filter_dialog_new (window);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (philia_test_spin_until (philia_test_widget_mapped, dialog, 5000));
  grab_screen ("documents-filter-dialog.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
no_datasets (void)
{
  g_test_skip ("cora.npz is not in the shared datasets");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!philia_test_init (&argc, &argv, "Documents"))
    return g_test_run ();

  cora_path = philia_test_shared_dataset ("cora.npz");
  /* Documents keep canonical paths (no "..") */
  if (cora_path != NULL)
    {
      char *canonical = g_canonicalize_filename (cora_path, NULL);

      g_free (cora_path);
      cora_path = canonical;
    }
  if (cora_path == NULL)
    {
      g_test_add_func ("/Philia/Documents/no-datasets", no_datasets);
      return g_test_run ();
    }
  tmp_dir = g_dir_make_tmp ("philia-documents-XXXXXX", NULL);

#define ADD(path, func) g_test_add_vtable (path, 0, NULL, (GTestFixtureFunc) setup, \
                                          (GTestFixtureFunc) func, (GTestFixtureFunc) teardown)
  ADD ("/Philia/Documents/undo-redo", test_undo_redo);
  ADD ("/Philia/Documents/first-layout", test_first_layout);
  ADD ("/Philia/Documents/save-close-reopen", test_save_close_reopen);
  ADD ("/Philia/Documents/close-question", test_close_question);
  ADD ("/Philia/Documents/dataset-missing", test_dataset_missing);
  ADD ("/Philia/Documents/dataset-changed", test_dataset_changed);
  ADD ("/Philia/Documents/corrupt-project", test_corrupt_project);
  ADD ("/Philia/Documents/filter", test_filter);
  ADD ("/Philia/Documents/two-documents", test_two_documents);
  ADD ("/Philia/Documents/screenshots", test_screenshots);
#undef ADD

  status = g_test_run ();
  {
    g_autoptr(GFile) dir = g_file_new_for_path (tmp_dir);
    g_autoptr(GFileEnumerator) children = g_file_enumerate_children (dir, "standard::name", 0,
                                                                     NULL, NULL);
    GFileInfo *info;

    while (children != NULL
           && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
      {
        g_autofree char *child = g_build_filename (tmp_dir, g_file_info_get_name (info), NULL);

        g_remove (child);
        g_object_unref (info);
      }
    g_rmdir (tmp_dir);
  }
  return status;
}
