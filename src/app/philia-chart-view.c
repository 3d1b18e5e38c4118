/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-app"

#include "config.h"

#include "philia-chart-view.h"

#include <glib/gi18n.h>

#include "philia-app-private.h"

#define EXPORT_DPI 144.0

struct _PhiliaChartView
{
  GtkWidget            parent_instance;

  /* Owned */
  GtkWidget           *context_menu;
  PhiliaFigureExporter exporter;
  char                *export_name;
  char                *font_family;
  PhiliaChartDrawFunc  draw_func;
  gpointer             draw_data;
  GDestroyNotify       draw_destroy;
  PhiliaRenderStyle    style;
};

G_DEFINE_FINAL_TYPE (PhiliaChartView, philia_chart_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EXPORT_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Axis labels sit a notch below body text, as in any chart. */
static void
update_style (PhiliaChartView *self)
{
  _philia_widget_get_style (GTK_WIDGET (self), 0.75, &self->style, &self->font_family);
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

static gboolean
describe_export (GtkWidget   *widget,
                 const char **chooser_title,
                 const char **file_stem)
{
  PhiliaChartView *self = PHILIA_CHART_VIEW (widget);

  if (self->draw_func == NULL)
    return FALSE;

  *chooser_title = _("Export Figure");
  *file_stem = self->export_name ? self->export_name : "figure";
  return TRUE;
}

static gboolean
write_export (GtkWidget   *widget,
              const char  *path,
              double       width,
              double       height,
              double       dpi,
              GError     **error)
{
  return philia_chart_view_export_full (PHILIA_CHART_VIEW (widget), path, width, height, dpi,
                                        error);
}

/* Size first, then the file: the two things a figure for a paper needs. */
static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PhiliaChartView *self = PHILIA_CHART_VIEW (widget);

  if (self->draw_func == NULL || _philia_figure_exporter_is_busy (&self->exporter))
    return;

  _philia_figure_exporter_present (&self->exporter);
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

  _philia_figure_exporter_clear (&self->exporter);
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

  _philia_figure_exporter_init (&self->exporter, GTK_WIDGET (self), 360, 240,
                                describe_export, write_export,
                                N_("Could not export the figure"));

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
