/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-canvas-private.h"

/*
 * The overlay list in the canvas toolbar: what the document's view holds,
 * top first, each with a toggle (shown or hidden) and a remove button. It
 * only reads the document and asks it for changes (each an undoable step);
 * the canvas redraws from the document's "changed" signal like any view.
 */

#define INDEX_KEY "philia-overlay-index"

static void
on_visible_toggled (GtkCheckButton *check,
                    PhiliaCanvas   *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), INDEX_KEY));

  if (self->document != NULL && !self->syncing)
    philia_document_set_overlay_visible (self->document, index,
                                         gtk_check_button_get_active (check));
}

static void
on_remove_clicked (GtkButton    *button,
                   PhiliaCanvas *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), INDEX_KEY));

  if (self->document != NULL)
    philia_document_remove_overlay (self->document, index);
}

static GtkWidget *
overlay_row (PhiliaCanvas                *self,
             const PhiliaDocumentOverlay *overlay,
             guint                        index)
{
  g_autofree char *title = philia_document_overlay_dup_title (overlay);
  g_autofree char *remove_label = NULL;
  g_autofree char *label = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *check;
  GtkWidget *remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");
  guint run = 0;
  gboolean stale = philia_document_overlay_is_stale (self->document, overlay, &run);

  /* Translators: an overlay of the list whose run was deleted (it draws
   * nothing), "Errors (Run 3) — run deleted" */
  label = stale ? g_strdup_printf (_("%s — run deleted"), title) : g_strdup (title);
  check = gtk_check_button_new_with_label (label);
  gtk_widget_set_hexpand (check, TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), overlay->visible);
  /* An overlay of a run that is gone stays for undo but draws nothing; the
   * row says so rather than leave an empty canvas to puzzle over. */
  if (stale)
    {
      g_autofree char *tip = g_strdup_printf (_("Run %u was deleted: this overlay draws "
                                                "nothing. Undo the deletion or remove it."), run);

      gtk_widget_add_css_class (check, "dim-label");
      gtk_widget_set_tooltip_text (check, tip);
    }
  /* Of each kind the canvas draws the topmost visible overlay: one under
   * it is on but not seen, which the row says rather than let it puzzle. */
  else if (overlay->visible
           && philia_document_get_top_overlay (self->document, overlay->kind) != overlay)
    {
      gtk_widget_add_css_class (check, "dim-label");
      gtk_widget_set_tooltip_text (check, _("Covered by an overlay above of the same kind"));
    }
  else
    gtk_widget_set_tooltip_text (check, overlay->visible ? _("Shown: click to hide")
                                                         : _("Hidden: click to show"));
  g_object_set_data (G_OBJECT (check), INDEX_KEY, GUINT_TO_POINTER (index));
  g_signal_connect (check, "toggled", G_CALLBACK (on_visible_toggled), self);

  gtk_widget_add_css_class (remove, "flat");
  /* Translators: tooltip of an overlay's remove button, "Remove Colour by Class" */
  remove_label = g_strdup_printf (_("Remove %s"), title);
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  g_object_set_data (G_OBJECT (remove), INDEX_KEY, GUINT_TO_POINTER (index));
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), self);

  gtk_box_append (GTK_BOX (box), check);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_widget_set_name (box, "overlay-row");
  return box;
}

/* Fills @list with a row per overlay, top first, as they lie on the canvas. */
static void
fill_list (PhiliaCanvas *self,
           GtkWidget    *list,
           GtkWidget    *empty)
{
  GtkWidget *child;
  guint n = self->document != NULL ? philia_document_get_n_overlays (self->document) : 0;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_box_remove (GTK_BOX (list), child);
  for (guint i = n; i > 0; i--)
    gtk_box_append (GTK_BOX (list),
                    overlay_row (self, philia_document_get_overlay (self->document, i - 1),
                                 i - 1));
  gtk_widget_set_visible (empty, n == 0);
}

void
_philia_canvas_sync_overlay_list (PhiliaCanvas *self)
{
  gboolean syncing = self->syncing;

  if (self->overlay_list == NULL)
    return;
  self->syncing = TRUE;
  fill_list (self, self->overlay_list, self->overlay_empty);
  if (self->more_overlay_list != NULL)
    fill_list (self, self->more_overlay_list, self->more_overlay_empty);
  self->syncing = syncing;
}

static GtkWidget *
empty_label (void)
{
  GtkWidget *label = gtk_label_new (_("None: nodes and edges are coloured by class."));

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

void
_philia_canvas_init_overlay_list (PhiliaCanvas *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (_("Overlays"));
  GtkWidget *button = gtk_menu_button_new ();
  GtkPopover *more = gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->more_button));

  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  self->overlay_empty = empty_label ();
  self->overlay_list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), self->overlay_empty);
  gtk_box_append (GTK_BOX (box), self->overlay_list);
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-list-symbolic");
  gtk_widget_set_tooltip_text (button, _("Overlays"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Overlays"), -1);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  /* With the tools that fold away when the canvas is narrow, so that the
   * find box keeps its room (_philia_canvas_fit_toolbar()). */
  gtk_box_prepend (GTK_BOX (self->tools_box), button);
  self->overlays_button = GTK_MENU_BUTTON (button);

  /* Folded away, the list is a section of the "more" menu (its "overlays"
   * placeholder), the way the other tools have their menu items there. */
  if (GTK_IS_POPOVER_MENU (more))
    {
      GtkWidget *more_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

      self->more_overlay_empty = empty_label ();
      self->more_overlay_list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      gtk_widget_set_margin_start (more_box, 6);
      gtk_widget_set_margin_end (more_box, 6);
      gtk_box_append (GTK_BOX (more_box), self->more_overlay_empty);
      gtk_box_append (GTK_BOX (more_box), self->more_overlay_list);
      if (!gtk_popover_menu_add_child (GTK_POPOVER_MENU (more), more_box, "overlays"))
        {
          g_object_ref_sink (more_box);
          g_object_unref (more_box);
          self->more_overlay_list = self->more_overlay_empty = NULL;
        }
    }
  _philia_canvas_sync_overlay_list (self);
}
