/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-chart-view.h"

#include <glib/gi18n.h>

#include "philia-export-dialog.h"

#define EXPORT_DPI 144.0

struct _PhiliaChartView
{
  GtkWidget            parent_instance;

  /* Owned */
  GtkWidget           *context_menu;
  GtkFileChooserNative *chooser;
  PhiliaExportDialog  *export_dialog;
  char                *export_name;
  char                *font_family;
  PhiliaChartDrawFunc  draw_func;
  gpointer             draw_data;
  GDestroyNotify       draw_destroy;
  PhiliaRenderStyle    style;

  /* What the last export asked for, offered again next time. */
  PhiliaFigureFormat   export_format;
  double               export_width;
  double               export_height;
  double               export_dpi;
};

G_DEFINE_FINAL_TYPE (PhiliaChartView, philia_chart_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EXPORT_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

/* Theme colours are read once per style change, not per frame. */
static void
update_style (PhiliaChartView *self)
{
  GtkStyleContext *context;
  PangoContext *pango;
  const PangoFontDescription *font;
  GdkRGBA color;

  philia_render_style_init_default (&self->style);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (GTK_WIDGET (self));
  gtk_style_context_get_color (context, &color);
  rgba_from_gdk (&self->style.foreground, &color, 1.0);
  rgba_from_gdk (&self->style.grid, &color, 0.12);
  if (gtk_style_context_lookup_color (context, "accent_bg_color", &color) ||
      gtk_style_context_lookup_color (context, "theme_selected_bg_color", &color))
    rgba_from_gdk (&self->style.accent, &color, 1.0);
  G_GNUC_END_IGNORE_DEPRECATIONS

  /* Transparent: the panel's own background shows through, as everywhere else. */
  self->style.background = (PhiliaRgba) { 0, 0, 0, 0 };

  pango = gtk_widget_get_pango_context (GTK_WIDGET (self));
  font = pango_context_get_font_description (pango);
  if (font != NULL)
    {
      const char *family = pango_font_description_get_family (font);
      int size = pango_font_description_get_size (font);

      if (family != NULL)
        {
          g_free (self->font_family);
          self->font_family = g_strdup (family);
          self->style.font_family = self->font_family;
        }
      if (size > 0)
        {
          double value = (double) size / PANGO_SCALE;
          /* On screen one user unit is one pixel: points become pixels at 96 dpi. */
          double pixels = pango_font_description_get_size_is_absolute (font)
                          ? value : value * 96.0 / 72.0;

          /* Axis labels sit a notch below body text, as in any chart. */
          self->style.font_size = pixels * 0.75;
        }
    }
}

static void
philia_chart_view_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  PhiliaChartView *self = PHILIA_CHART_VIEW (widget);

  GTK_WIDGET_CLASS (philia_chart_view_parent_class)->css_changed (widget, change);

  update_style (self);
  gtk_widget_queue_draw (widget);
}

static void
philia_chart_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  PhiliaChartView *self = PHILIA_CHART_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (self->draw_func == NULL || width <= 0 || height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  self->draw_func (cr, width, height, &self->style, self->draw_data);
  cairo_destroy (cr);
}

static void
philia_chart_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 80;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 320 : 200;
}

static void
philia_chart_view_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  PhiliaChartView *self = PHILIA_CHART_VIEW (widget);

  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));
}

static void
on_secondary_pressed (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      PhiliaChartView *self)
{
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  if (self->draw_func == NULL)
    return;

  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &rect);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

typedef struct
{
  PhiliaChartView   *self;
  PhiliaRenderStyle  style;
} ExportClosure;

static void
export_draw (cairo_t *cr,
             double   width,
             double   height,
             gpointer user_data)
{
  ExportClosure *closure = user_data;

  closure->self->draw_func (cr, width, height, &closure->style, closure->self->draw_data);
}

/**
 * philia_chart_view_export:
 *
 * Writes the chart at @width × @height points to @path (PNG, SVG or PDF from
 * the extension). Figures leave the app for papers and slides, so they are
 * dark on white whatever the desktop theme; the fonts are the theme's.
 */
gboolean
philia_chart_view_export (PhiliaChartView  *self,
                          const char       *path,
                          double            width,
                          double            height,
                          GError          **error)
{
  return philia_chart_view_export_full (self, path, width, height, EXPORT_DPI, error);
}

/**
 * philia_chart_view_export_full:
 *
 * Like philia_chart_view_export(), with the PNG resolution in dots per inch.
 */
gboolean
philia_chart_view_export_full (PhiliaChartView  *self,
                               const char       *path,
                               double            width,
                               double            height,
                               double            dpi,
                               GError          **error)
{
  ExportClosure closure;

  g_return_val_if_fail (PHILIA_IS_CHART_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (self->draw_func != NULL, FALSE);

  closure.self = self;
  philia_render_style_init_default (&closure.style);
  closure.style.font_family = self->style.font_family;
  closure.style.font_size = self->style.font_size;

  return philia_figure_export (path, width, height, dpi, export_draw, &closure, error);
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    PhiliaChartView *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    goto out;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path == NULL)
    goto out;

  /* The name decides the format; without an extension, the one asked for. */
  if (!philia_figure_format_from_path (path, &(PhiliaFigureFormat) { 0 }))
    {
      char *with_ext = g_strconcat (path, ".",
                                    philia_figure_format_get_extension (self->export_format),
                                    NULL);

      g_free (path);
      path = with_ext;
    }

  if (!philia_chart_view_export_full (self, path, self->export_width, self->export_height,
                                      self->export_dpi, &error))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *message;

      message = gtk_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                        GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                        _("Could not export the figure"));
      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (message), "%s",
                                                error->message);
      g_signal_connect (message, "response", G_CALLBACK (gtk_window_destroy), NULL);
      gtk_window_present (GTK_WINDOW (message));
    }

out:
  g_clear_object (&self->chooser);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *pattern)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
choose_export_file (PhiliaChartView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *name = NULL;

  if (self->draw_func == NULL || self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Export Figure"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  /* Translators: file type names in the export dialog */
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("PNG image"), "*.png");
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("SVG image"), "*.svg");
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("PDF document"), "*.pdf");

  name = g_strdup_printf ("%s.%s", self->export_name ? self->export_name : "figure",
                          philia_figure_format_get_extension (self->export_format));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_export_dialog_accept (PhiliaExportDialog *dialog,
                         PhiliaChartView    *self)
{
  self->export_format = philia_export_dialog_get_format (dialog);
  philia_export_dialog_get_size (dialog, &self->export_width, &self->export_height,
                                 &self->export_dpi);
  gtk_window_destroy (GTK_WINDOW (dialog));
  choose_export_file (self);
}

static void
on_export_dialog_destroy (PhiliaExportDialog *dialog,
                          PhiliaChartView    *self)
{
  if (self->export_dialog == dialog)
    self->export_dialog = NULL;
}

/* Size first, then the file: the two things a figure for a paper needs. */
static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PhiliaChartView *self = PHILIA_CHART_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->draw_func == NULL || self->chooser != NULL)
    return;

  if (self->export_dialog == NULL)
    {
      self->export_dialog = philia_export_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                           : NULL);
      philia_export_dialog_set_format (self->export_dialog, self->export_format);
      philia_export_dialog_set_size (self->export_dialog, self->export_width,
                                     self->export_height, self->export_dpi);
      g_signal_connect_object (self->export_dialog, "accept",
                               G_CALLBACK (on_export_dialog_accept), self, 0);
      g_signal_connect_object (self->export_dialog, "destroy",
                               G_CALLBACK (on_export_dialog_destroy), self, 0);
    }
  gtk_window_present (GTK_WINDOW (self->export_dialog));
}

static void
on_primary_pressed (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    PhiliaChartView *self)
{
  /* Not claimed: a chart may use the click too (the histogram selects bins). */
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
philia_chart_view_dispose (GObject *object)
{
  PhiliaChartView *self = PHILIA_CHART_VIEW (object);

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->export_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->export_dialog));
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  philia_chart_view_set_draw_func (self, NULL, NULL, NULL);

  G_OBJECT_CLASS (philia_chart_view_parent_class)->dispose (object);
}

static void
philia_chart_view_finalize (GObject *object)
{
  PhiliaChartView *self = PHILIA_CHART_VIEW (object);

  g_clear_pointer (&self->export_name, g_free);
  g_clear_pointer (&self->font_family, g_free);

  G_OBJECT_CLASS (philia_chart_view_parent_class)->finalize (object);
}

static void
philia_chart_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PhiliaChartView *self = PHILIA_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_EXPORT_NAME:
      g_value_set_string (value, self->export_name);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_chart_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PhiliaChartView *self = PHILIA_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_EXPORT_NAME:
      philia_chart_view_set_export_name (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
philia_chart_view_class_init (PhiliaChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = philia_chart_view_dispose;
  object_class->finalize = philia_chart_view_finalize;
  object_class->get_property = philia_chart_view_get_property;
  object_class->set_property = philia_chart_view_set_property;

  widget_class->snapshot = philia_chart_view_snapshot;
  widget_class->measure = philia_chart_view_measure;
  widget_class->size_allocate = philia_chart_view_size_allocate;
  widget_class->css_changed = philia_chart_view_css_changed;

  /**
   * PhiliaChartView:export-name:
   *
   * The file name, without extension, that "Export…" suggests.
   */
  properties[PROP_EXPORT_NAME] =
    g_param_spec_string ("export-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "chart.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "chart.export", NULL);
  gtk_widget_class_set_css_name (widget_class, "philiachart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
philia_chart_view_init (PhiliaChartView *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkGesture *click;

  g_menu_append (menu, _("_Export Figure…"), "chart.export");
  self->context_menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_primary_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  /* Focusable, so Ctrl+E exports the chart the user last clicked or tabbed to. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  self->export_format = PHILIA_FIGURE_PNG;
  self->export_width = 360;
  self->export_height = 240;
  self->export_dpi = 300;

  philia_render_style_init_default (&self->style);
  self->style.background = (PhiliaRgba) { 0, 0, 0, 0 };
}

GtkWidget *
philia_chart_view_new (void)
{
  return g_object_new (PHILIA_TYPE_CHART_VIEW, NULL);
}

/**
 * philia_chart_view_set_draw_func:
 *
 * Sets what the view draws; called with the widget's size on every snapshot
 * and with the requested size on export. Queues a redraw.
 */
void
philia_chart_view_set_draw_func (PhiliaChartView     *self,
                                 PhiliaChartDrawFunc  draw_func,
                                 gpointer             user_data,
                                 GDestroyNotify       destroy)
{
  g_return_if_fail (PHILIA_IS_CHART_VIEW (self));

  if (self->draw_destroy != NULL)
    self->draw_destroy (self->draw_data);

  self->draw_func = draw_func;
  self->draw_data = user_data;
  self->draw_destroy = destroy;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.export", draw_func != NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The style the next snapshot uses (theme colours and font). */
void
philia_chart_view_get_style (PhiliaChartView   *self,
                             PhiliaRenderStyle *style)
{
  g_return_if_fail (PHILIA_IS_CHART_VIEW (self));
  g_return_if_fail (style != NULL);

  *style = self->style;
}

const char *
philia_chart_view_get_export_name (PhiliaChartView *self)
{
  g_return_val_if_fail (PHILIA_IS_CHART_VIEW (self), NULL);

  return self->export_name;
}

void
philia_chart_view_set_export_name (PhiliaChartView *self,
                                   const char      *name)
{
  g_return_if_fail (PHILIA_IS_CHART_VIEW (self));

  if (g_strcmp0 (self->export_name, name) == 0)
    return;

  g_free (self->export_name);
  self->export_name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPORT_NAME]);
}
