/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(PHILIA_CORE_INSIDE) && !defined(PHILIA_CORE_COMPILATION)
# error "Only <philia-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define PHILIA_ERROR (philia_error_quark ())

/**
 * PhiliaError:
 * @PHILIA_ERROR_FAILED: anything not covered below
 * @PHILIA_ERROR_IO: the file cannot be read (missing, a directory, permissions)
 * @PHILIA_ERROR_FORMAT: the file is malformed (truncated zip, bad header, syntax error)
 * @PHILIA_ERROR_UNSUPPORTED: well-formed but not supported (a dtype, Fortran order, a format)
 * @PHILIA_ERROR_INVALID: the values are inconsistent (ids out of range, shapes disagree)
 * @PHILIA_ERROR_EMPTY: the input holds no nodes
 * @PHILIA_ERROR_DUPLICATE: an id registered twice
 * @PHILIA_ERROR_NOT_FOUND: a named thing does not exist
 * @PHILIA_ERROR_IGRAPH: igraph reported an error (its message is kept)
 * @PHILIA_ERROR_OPTION: a bad option value (CLI, dialog)
 */
typedef enum
{
  PHILIA_ERROR_FAILED,
  PHILIA_ERROR_IO,
  PHILIA_ERROR_FORMAT,
  PHILIA_ERROR_UNSUPPORTED,
  PHILIA_ERROR_INVALID,
  PHILIA_ERROR_EMPTY,
  PHILIA_ERROR_DUPLICATE,
  PHILIA_ERROR_NOT_FOUND,
  PHILIA_ERROR_IGRAPH,
  PHILIA_ERROR_OPTION,
} PhiliaError;

GQuark philia_error_quark (void);

G_END_DECLS
