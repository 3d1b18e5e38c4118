/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-app-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "philia-enums.h"
#include "philia-file-chooser.h"

/* Theme */

static void
rgba_from_gdk (PhiliaRgba    *out,
               const GdkRGBA *in,
               double         alpha)
{
  out->r = in->red;
  out->g = in->green;
  out->b = in->blue;
  out->a = in->alpha * alpha;
}

static GtkWindow *
parent_window (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/*
 * _philia_widget_lookup_color:
 * @fallback_name: the older theme's name for the same colour
 *
 * Sets @color to the theme's named colour and returns TRUE, or leaves it alone.
 */
gboolean
_philia_widget_lookup_color (GtkWidget  *widget,
                             const char *name,
                             const char *fallback_name,
                             PhiliaRgba *color)
{
  GtkStyleContext *context;
  GdkRGBA rgba;
  gboolean found;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (name != NULL && fallback_name != NULL, FALSE);
  g_return_val_if_fail (color != NULL, FALSE);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (widget);
  found = gtk_style_context_lookup_color (context, name, &rgba) ||
          gtk_style_context_lookup_color (context, fallback_name, &rgba);
  G_GNUC_END_IGNORE_DEPRECATIONS

  if (found)
    rgba_from_gdk (color, &rgba, 1.0);
  return found;
}

/*
 * _philia_widget_get_style:
 * @font_scale: the font size relative to the theme's body text
 * @font_family_storage: where the font family string lives; @style points into it
 *
 * Reads the theme's text, grid and accent colours and font into @style, with a
 * transparent background. Theme colours are read once per style change
 * (css_changed), not per frame.
 */
void
_philia_widget_get_style (GtkWidget          *widget,
                          double              font_scale,
                          PhiliaRenderStyle  *style,
                          char              **font_family_storage)
{
  GtkStyleContext *context;
  PangoContext *pango;
  const PangoFontDescription *font;
  GdkRGBA color;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (style != NULL);
  g_return_if_fail (font_family_storage != NULL);

  philia_render_style_init_default (style);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (context, &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  rgba_from_gdk (&style->foreground, &color, 1.0);
  rgba_from_gdk (&style->grid, &color, 0.12);
  _philia_widget_lookup_color (widget, "accent_bg_color", "theme_selected_bg_color",
                               &style->accent);

  /* Transparent: the widget's own background shows through, as everywhere else. */
  style->background = (PhiliaRgba) { 0, 0, 0, 0 };

  pango = gtk_widget_get_pango_context (widget);
  font = pango_context_get_font_description (pango);
  if (font != NULL)
    {
      const char *family = pango_font_description_get_family (font);
      int size = pango_font_description_get_size (font);

      if (family != NULL)
        {
          g_free (*font_family_storage);
          *font_family_storage = g_strdup (family);
          style->font_family = *font_family_storage;
        }
      if (size > 0)
        {
          double value = (double) size / PANGO_SCALE;
          /* On screen one user unit is one pixel: points become pixels at 96 dpi. */
          double pixels = pango_font_description_get_size_is_absolute (font)
                          ? value : value * 96.0 / 72.0;

          style->font_size = pixels * font_scale;
        }
    }
}

/* Dialogs */

/* A modal message over @widget's window, gone when closed. */
void
_philia_widget_show_error (GtkWidget    *widget,
                           const char   *title,
                           const GError *error)
{
  GtkWidget *message;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (title != NULL);
  g_return_if_fail (error != NULL);

  message = gtk_message_dialog_new (parent_window (widget),
                                    GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                    GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", title);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (message), "%s", error->message);
  g_signal_connect (message, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (message));
}

/* @patterns: %NULL-terminated glob patterns */
void
_philia_file_chooser_add_filter (GtkFileChooser     *chooser,
                                 const char         *name,
                                 const char * const *patterns)
{
  g_autoptr(GtkFileFilter) filter = NULL;

  g_return_if_fail (GTK_IS_FILE_CHOOSER (chooser));
  g_return_if_fail (name != NULL && patterns != NULL);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

/* For dispose: a chooser still open goes, without calling back into a dying owner. */
void
_philia_clear_file_chooser (GtkFileChooserNative **chooser,
                            gpointer               handler_data)
{
  g_return_if_fail (chooser != NULL);

  if (*chooser == NULL)
    return;

  g_signal_handlers_disconnect_by_data (*chooser, handler_data);
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (*chooser));
  g_clear_object (chooser);
}

/* Figure export */

/**
 * _philia_figure_exporter_init:
 * @widget: the owner, which embeds @self and clears it in dispose
 * @width: (in points) the size first offered, with 300 dpi and PNG
 * @describe: the chooser's title and file name, asked once the size is chosen
 * @write: writes the figure; the format follows the file name
 * @error_title: (not translated here) the heading of the error message
 */
void
_philia_figure_exporter_init (PhiliaFigureExporter     *self,
                              GtkWidget                *widget,
                              double                    width,
                              double                    height,
                              PhiliaFigureDescribeFunc  describe,
                              PhiliaFigureWriteFunc     write,
                              const char               *error_title)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (describe != NULL && write != NULL && error_title != NULL);

  *self = (PhiliaFigureExporter) {
    .widget = widget,
    .describe = describe,
    .write = write,
    .error_title = error_title,
    .format = PHILIA_FIGURE_PNG,
    .width = width,
    .height = height,
    .dpi = 300,
    .own_width = width,
    .own_height = height,
  };
}

void
_philia_figure_exporter_clear (PhiliaFigureExporter *self)
{
  g_return_if_fail (self != NULL);

  _philia_clear_file_chooser (&self->chooser, self);
  /* Its "destroy" handler forgets it. */
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
}

/* A file chooser is open: one export at a time. */
gboolean
_philia_figure_exporter_is_busy (PhiliaFigureExporter *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->chooser != NULL;
}

static void
on_chooser_response (GtkNativeDialog      *dialog,
                     int                   response,
                     PhiliaFigureExporter *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = file != NULL ? g_file_get_path (file) : NULL;
      _philia_file_chooser_remember (GTK_FILE_CHOOSER (dialog), file);
    }

  if (path != NULL)
    {
      /* The name decides the format; without an extension, the one asked for. */
      if (!philia_figure_format_from_path (path, &(PhiliaFigureFormat) { 0 }))
        {
          char *with_ext = g_strconcat (path, ".",
                                        philia_figure_format_get_extension (self->format),
                                        NULL);

          g_free (path);
          path = with_ext;
        }
      if (!self->write (self->widget, path, self->width, self->height, self->dpi, &error))
        _philia_widget_show_error (self->widget, _(self->error_title), error);
    }

  g_clear_object (&self->chooser);
}

static void
choose_file (PhiliaFigureExporter *self)
{
  const char *title = NULL;
  const char *stem = NULL;
  g_autofree char *name = NULL;

  if (self->chooser != NULL || !self->describe (self->widget, &title, &stem))
    return;

  self->chooser = gtk_file_chooser_native_new (title, parent_window (self->widget),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  /* Translators: file type names in the export dialog */
  _philia_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), _("PNG image"),
                                   (const char *[]) { "*.png", NULL });
  _philia_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), _("SVG image"),
                                   (const char *[]) { "*.svg", NULL });
  _philia_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), _("PDF document"),
                                   (const char *[]) { "*.pdf", NULL });
  _philia_file_chooser_start (GTK_FILE_CHOOSER (self->chooser), "exports");

  name = g_strdup_printf ("%s.%s", stem, philia_figure_format_get_extension (self->format));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_dialog_accept (PhiliaExportDialog   *dialog,
                  PhiliaFigureExporter *self)
{
  self->format = philia_export_dialog_get_format (dialog);
  philia_export_dialog_get_size (dialog, &self->width, &self->height, &self->dpi);
  self->chosen = TRUE;
  gtk_window_destroy (GTK_WINDOW (dialog));
  choose_file (self);
}

static void
on_dialog_destroy (PhiliaExportDialog   *dialog,
                   PhiliaFigureExporter *self)
{
  if (self->dialog == dialog)
    self->dialog = NULL;
}

/* Size first (the shared export dialog), then the file: what a figure for a paper needs. */
void
_philia_figure_exporter_present (PhiliaFigureExporter *self)
{
  g_return_if_fail (self != NULL);

  /* Until an export chose otherwise: the Preferences' defaults, read now so
   * that a change there shows in the next export dialog. */
  if (self->dialog == NULL && !self->chosen)
    {
      g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
      g_autofree char *format = g_settings_get_string (settings, "figure-format");
      int width = g_settings_get_int (settings, "figure-width");
      int height = g_settings_get_int (settings, "figure-height");
      int value = PHILIA_FIGURE_PNG;

      /* The schema's choices are the format nicks. */
      philia_enum_from_nick (PHILIA_TYPE_FIGURE_FORMAT, format, &value);
      self->format = value;
      self->width = width > 0 ? width : self->own_width;
      self->height = height > 0 ? height : self->own_height;
      self->dpi = g_settings_get_int (settings, "figure-dpi");
    }
  if (self->dialog == NULL)
    {
      self->dialog = philia_export_dialog_new (parent_window (self->widget));
      philia_export_dialog_set_format (self->dialog, self->format);
      philia_export_dialog_set_size (self->dialog, self->width, self->height, self->dpi);
      g_signal_connect (self->dialog, "accept", G_CALLBACK (on_dialog_accept), self);
      g_signal_connect (self->dialog, "destroy", G_CALLBACK (on_dialog_destroy), self);
    }
  gtk_window_present (GTK_WINDOW (self->dialog));
}

static int
compare_node (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* A panel's selection gesture, written to the document: ascending and without
 * repeats, as the canvas and the project keep it. */
void
_philia_document_select (PhiliaDocument *document,
                         const guint    *nodes,
                         guint           n_nodes)
{
  g_autofree guint *sorted = NULL;
  guint n = 0;

  g_return_if_fail (PHILIA_IS_DOCUMENT (document));

  sorted = g_new (guint, MAX (n_nodes, 1));
  if (n_nodes > 0)
    memcpy (sorted, nodes, sizeof (guint) * n_nodes);
  qsort (sorted, n_nodes, sizeof (guint), compare_node);
  for (guint i = 0; i < n_nodes; i++)
    if (n == 0 || sorted[n - 1] != sorted[i])
      sorted[n++] = sorted[i];
  philia_document_set_selection (document, sorted, n);
}

/* Writes the parts given (non-NULL) into the document's view: one step of
 * the document's ("Colouring", "Overlay"), none if nothing changes. */
void
_philia_document_write_view (PhiliaDocument *document,
                             const char     *color_by,
                             const char     *edge_style,
                             const char     *overlay)
{
  PhiliaDocumentView view = { 0 };

  g_return_if_fail (PHILIA_IS_DOCUMENT (document));

  philia_document_view_copy (&view, philia_document_get_view (document));
  if (color_by != NULL)
    {
      g_free (view.color_by);
      view.color_by = g_strdup (color_by);
    }
  if (edge_style != NULL)
    {
      g_free (view.edge_style);
      view.edge_style = g_strdup (edge_style);
    }
  if (overlay != NULL)
    {
      g_free (view.overlay);
      view.overlay = g_strdup (overlay);
    }
  if (!philia_document_view_equal (&view, philia_document_get_view (document)))
    philia_document_set_view (document, &view);
  philia_document_view_clear (&view);
}

/*
 * What every panel's set_document () does (HACKING.md §10): forget the old
 * document's handlers, hold the new one in *@slot, follow its "changed" (if
 * @on_changed) and "notify::graph", and take its graph now through
 * @on_graph (document, NULL, widget). FALSE when @document is already held.
 */
gboolean
_philia_widget_follow_document (gpointer         widget,
                                PhiliaDocument **slot,
                                PhiliaDocument  *document,
                                GCallback        on_changed,
                                GCallback        on_graph)
{
  void (*graph_func) (PhiliaDocument *, GParamSpec *, gpointer);

  g_return_val_if_fail (G_IS_OBJECT (widget), FALSE);
  g_return_val_if_fail (document == NULL || PHILIA_IS_DOCUMENT (document), FALSE);
  g_return_val_if_fail (on_graph != NULL, FALSE);

  if (*slot == document)
    return FALSE;
  if (*slot != NULL)
    g_signal_handlers_disconnect_by_data (*slot, widget);
  g_set_object (slot, document);
  if (document != NULL)
    {
      if (on_changed != NULL)
        g_signal_connect (document, "changed", on_changed, widget);
      g_signal_connect (document, "notify::graph", on_graph, widget);
      graph_func = (void (*) (PhiliaDocument *, GParamSpec *, gpointer))on_graph;
      graph_func (document, NULL, widget);
    }
  return TRUE;
}

/* Scrolling over value controls */

/* The controls whose value the wheel changes: spin buttons and scales (and
 * drop-downs, should a theme or a later GTK give them the wheel). */
static gboolean
is_value_control (GtkWidget *widget)
{
  return GTK_IS_SPIN_BUTTON (widget) || GTK_IS_RANGE (widget) || GTK_IS_DROP_DOWN (widget);
}

/* The value control under the pointer of @controller's current event, inside
 * @scrolled and not inside a scroller nested in it; NULL if none. */
static GtkWidget *
value_control_under_pointer (GtkEventController *controller,
                             GtkWidget          *scrolled)
{
  GdkEvent *event = gtk_event_controller_get_current_event (controller);
  GtkNative *native = gtk_widget_get_native (scrolled);
  GdkSurface *surface = native != NULL ? gtk_native_get_surface (native) : NULL;
  GdkSeat *seat = event != NULL ? gdk_event_get_seat (event) : NULL;
  GdkDevice *pointer = seat != NULL ? gdk_seat_get_pointer (seat) : NULL;
  graphene_point_t point;
  double x, y, dx, dy;

  /* Scroll events carry no position: they go where the (logical) pointer is. */
  if (surface == NULL || pointer == NULL ||
      !gdk_surface_get_device_position (surface, pointer, &x, &y, NULL))
    return NULL;
  /* The native widget sits at an offset in its surface (client-side shadows). */
  gtk_native_get_surface_transform (native, &dx, &dy);
  if (!gtk_widget_compute_point (GTK_WIDGET (native), scrolled,
                                 &GRAPHENE_POINT_INIT ((float) (x - dx), (float) (y - dy)),
                                 &point))
    return NULL;
  for (GtkWidget *w = gtk_widget_pick (scrolled, point.x, point.y, GTK_PICK_DEFAULT);
       w != NULL && w != scrolled; w = gtk_widget_get_parent (w))
    {
      if (GTK_IS_SCROLLED_WINDOW (w))
        return NULL;
      if (is_value_control (w))
        return w;
    }
  return NULL;
}

/* Moves @adjustment as GtkScrolledWindow does for the same delta: one wheel
 * notch is (page size)^(2/3), a touchpad's delta is in pixels. */
static void
scroll_adjustment (GtkAdjustment *adjustment,
                   double         delta,
                   gboolean       wheel)
{
  double unit = wheel ? pow (gtk_adjustment_get_page_size (adjustment), 2.0 / 3.0) : 1.0;

  if (delta != 0)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + delta * unit);
}

static gboolean
on_guarded_scroll (GtkEventControllerScroll *controller,
                   double                    dx,
                   double                    dy,
                   GtkScrolledWindow        *scrolled)
{
  GtkWidget *control = value_control_under_pointer (GTK_EVENT_CONTROLLER (controller),
                                                    GTK_WIDGET (scrolled));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (scrolled));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;
  GdkModifierType state;

  if (control == NULL)
    return FALSE;
  /* A focused control is the one being edited: the wheel is its own. */
  if (focus != NULL && (focus == control || gtk_widget_is_ancestor (focus, control)))
    return FALSE;
  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  if (state & GDK_SHIFT_MASK)
    {
      double swap = dx;

      dx = dy;
      dy = swap;
    }
  scroll_adjustment (gtk_scrolled_window_get_hadjustment (scrolled), dx, wheel);
  scroll_adjustment (gtk_scrolled_window_get_vadjustment (scrolled), dy, wheel);
  return TRUE;
}

static void
guard_scrolled (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    guard_scrolled (child);
  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      GtkEventController *controller =
        gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);

      /* Before the control under the pointer sees the event. */
      gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
      g_signal_connect (controller, "scroll", G_CALLBACK (on_guarded_scroll), widget);
      gtk_widget_add_controller (widget, controller);
    }
}

/*
 * _philia_widget_scroll_not_values:
 * @panel: a panel whose scrolled windows hold spin buttons, scales or drop-downs
 *
 * Scrolling over a long panel must not change the hyperparameter that passes
 * under the pointer (a seed went from 0 to 25 that way): in every scrolled
 * window in @panel (now and later: the check is made per event), the wheel
 * over a control that does not have the keyboard focus scrolls the window;
 * a focused control still takes the wheel.
 */
void
_philia_widget_scroll_not_values (GtkWidget *panel)
{
  g_return_if_fail (GTK_IS_WIDGET (panel));

  guard_scrolled (panel);
}

/**
 * _philia_default_layout_for:
 * @graph: a graph about to be shown
 *
 * The layout a newly opened graph gets: the Preferences' default-layout when
 * it names a registered layout (a plugin's layout may be gone), else the one
 * philia_layout_default_algorithm() picks by size.
 *
 * Returns: (transfer full): a layout id
 */
char *
_philia_default_layout_for (PhiliaGraph *graph)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *id = g_settings_get_string (settings, "default-layout");

  if (id[0] != '\0'
      && philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_LAYOUT, id) != NULL)
    return g_steal_pointer (&id);
  return g_strdup (philia_layout_default_algorithm (graph));
}

PhiliaExportDialog *
_philia_figure_exporter_get_dialog (PhiliaFigureExporter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->dialog;
}

/* The text a control shows or explains itself with: a tooltip (its own, or
 * for the button inside a menu button or drop-down, the whole's), or an
 * expander's label. */
static const char *
control_text (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (gtk_widget_get_tooltip_text (widget) != NULL)
    return gtk_widget_get_tooltip_text (widget);
  if (parent != NULL && (GTK_IS_MENU_BUTTON (parent) || GTK_IS_DROP_DOWN (parent)))
    return gtk_widget_get_tooltip_text (parent);
  if (GTK_IS_EXPANDER (widget))
    return gtk_expander_get_label (GTK_EXPANDER (widget));
  return NULL;
}

static gboolean
shows_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    if (shows_text (c))
      return TRUE;
  return FALSE;
}

/*
 * _philia_widget_name_controls:
 *
 * GTK 4.8 names an icon-only button, a menu button, the button inside a
 * drop-down and an expander by their type ("GtkImage", "GtkMenuButton") on
 * the accessibility bus, not by their tooltip or label: a screen reader then
 * says nothing useful. Gives every such control under @root the text of its
 * tooltip (or an expander its label) as accessible label.
 */
static char *
without_mnemonic (const char *text)
{
  GString *label = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (*p != '_')
      g_string_append_c (label, *p);
    else if (p[1] == '_')
      g_string_append_c (label, *p++);
  return g_string_free (label, FALSE);
}

/* GTK 4.8 gives a button with a mnemonic its raw label ("_Train") as
 * accessible label and then appends the text it shows: the bus says
 * "_Train Train". Without the property the shown text alone names it. A
 * check button is named by the property alone, so it gets the label without
 * the underscore instead. */
static void
drop_mnemonic_label (GtkWidget *button)
{
  if (GTK_IS_BUTTON (button))
    {
      if (gtk_button_get_use_underline (GTK_BUTTON (button)))
        gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
    }
  else if (gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (button))
           && gtk_check_button_get_label (GTK_CHECK_BUTTON (button)) != NULL)
    {
      g_autofree char *label =
        without_mnemonic (gtk_check_button_get_label (GTK_CHECK_BUTTON (button)));

      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
    }
}

static void
mnemonic_label_changed (GtkWidget  *button,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  drop_mnemonic_label (button);
}

/* An empty selectable label (a status line before its first message) would
 * be a silent stop on the focus chain: it is selectable only with text.
 * (Not focusable = FALSE: GTK 4.8's label still claims a Tab it cannot take,
 * and the focus stops moving.) */
static void
selectable_text_changed (GtkWidget  *label,
                         GParamSpec *pspec,
                         gpointer    user_data)
{
  gtk_label_set_selectable (GTK_LABEL (label), *gtk_label_get_text (GTK_LABEL (label)) != '\0');
}

void
_philia_widget_name_controls (GtkWidget *root)
{
  GtkWidget *parent = gtk_widget_get_parent (root);
  const char *text;

  if ((GTK_IS_BUTTON (root) || GTK_IS_CHECK_BUTTON (root)) && shows_text (root)
      && g_object_get_data (G_OBJECT (root), "philia-mnemonic-name") == NULL)
    {
      /* Labels set later ("Train" / "Stop") get the same treatment. */
      g_object_set_data (G_OBJECT (root), "philia-mnemonic-name", GINT_TO_POINTER (1));
      g_signal_connect_after (root, "notify::label", G_CALLBACK (mnemonic_label_changed), NULL);
      g_signal_connect_after (root, "notify::use-underline", G_CALLBACK (mnemonic_label_changed),
                              NULL);
      drop_mnemonic_label (root);
    }
  /* A menu button's own label names the button inside it too; a label on
   * the inner button as well would be read twice ("Main Menu Main Menu"). */
  if ((GTK_IS_MENU_BUTTON (root) || GTK_IS_EXPANDER (root) || GTK_IS_DROP_DOWN (root)
       || (GTK_IS_BUTTON (root) && !shows_text (root)
           && !(parent != NULL && GTK_IS_MENU_BUTTON (parent))))
      && (text = control_text (root)) != NULL)
    {
      /* Without the mnemonic underscore ("_Hyperparameters"). */
      g_autofree char *label = without_mnemonic (text);

      gtk_accessible_update_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
    }
  if (GTK_IS_LABEL (root) && gtk_label_get_selectable (GTK_LABEL (root))
      && g_object_get_data (G_OBJECT (root), "philia-selectable-focus") == NULL)
    {
      g_object_set_data (G_OBJECT (root), "philia-selectable-focus", GINT_TO_POINTER (1));
      g_signal_connect_after (root, "notify::label", G_CALLBACK (selectable_text_changed), NULL);
      selectable_text_changed (root, NULL, NULL);
    }
  /* A flow box that selects nothing only lays its buttons out: its children
   * are no stop of their own on the focus chain ("GtkFlowBoxChild"). */
  if (GTK_IS_FLOW_BOX_CHILD (root) && GTK_IS_FLOW_BOX (parent)
      && gtk_flow_box_get_selection_mode (GTK_FLOW_BOX (parent)) == GTK_SELECTION_NONE)
    gtk_widget_set_focusable (root, FALSE);
  /* The button inside a drop-down (showing the chosen item) is named by the
   * drop-down, whatever names that: its tooltip or the label beside it. */
  if (GTK_IS_BUTTON (root) && GTK_IS_DROP_DOWN (gtk_widget_get_parent (root)))
    gtk_accessible_update_relation (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                    gtk_widget_get_parent (root), NULL, -1);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    _philia_widget_name_controls (c);
}

/**
 * _philia_list_box_append_named:
 *
 * Appends @child to @list in a row a screen reader names @name: GTK 4.8
 * gives the row it wraps a child in no name of its own (the bus says "list
 * item" and nothing more).
 */
void
_philia_list_box_append_named (GtkListBox *list,
                               GtkWidget  *child,
                               const char *name)
{
  GtkWidget *row;

  gtk_list_box_append (list, child);
  row = gtk_widget_get_parent (child);
  if (GTK_IS_LIST_BOX_ROW (row) && name != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
}
