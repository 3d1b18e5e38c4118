/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "philia-core.h"

G_BEGIN_DECLS

/*
 * The rows of the Statistics panel (philia-stats-panel.c) that
 * philia-stats-rows.c builds and fills: the built-in measures, the plugins'
 * measures below them, and the per-class table.
 */

typedef enum
{
  MEASURE_EDGE,
  MEASURE_NODE,
  MEASURE_CLASS,
  MEASURE_ADJUSTED,
  MEASURE_LI,
  MEASURE_FEATURE_EDGES,
  MEASURE_FEATURE_RANDOM,
  N_MEASURES
} Measure;

typedef struct
{
  const char *key;
  const char *name;         /* translatable (N_) */
  const char *definition;   /* translatable (N_), the tooltip */
} MeasureInfo;

extern const MeasureInfo _philia_stats_measures[N_MEASURES];

/* "undefined" for NaN, else four decimals. */
char   *_philia_stats_format_value        (double                   value);
double  _philia_stats_measure_value       (const PhiliaHomophily   *h,
                                           Measure                  m);
/* The value of @m, its definition as the tooltip and, when undefined, why. */
void    _philia_stats_set_measure_label   (GtkLabel                *label,
                                           const PhiliaHomophily   *h,
                                           PhiliaGraph             *graph,
                                           Measure                  m);
void    _philia_stats_clear_grid          (GtkGrid                 *grid);
/* One row per measure below the template's header row: the name and three
 * empty value cells (value, as stored, difference), returned in the arrays. */
void    _philia_stats_build_measures_grid (GtkGrid                 *grid,
                                           GtkLabel               **names,
                                           GtkLabel               **values,
                                           GtkLabel               **stored,
                                           GtkLabel               **differences);
/* Replaces the rows in @widgets (borrowed) with the report's plugin measures. */
void    _philia_stats_show_extra_measures (GtkGrid                 *grid,
                                           GPtrArray               *widgets,
                                           const PhiliaStatsReport *report);
/* The per-class table, or @note saying there are no labels. */
void    _philia_stats_fill_classes        (GtkGrid                 *grid,
                                           GtkLabel                *note,
                                           const PhiliaHomophily   *h,
                                           PhiliaGraph             *graph);

G_END_DECLS
