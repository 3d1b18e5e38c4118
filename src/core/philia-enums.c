/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include "philia-enums.h"

/* The nicks live in the generated code's static GEnumValue tables, so they
 * outlive the class reference taken to find them. */
const char *
philia_enum_to_nick (GType type,
                     int   value)
{
  GEnumClass *klass;
  GEnumValue *found;

  g_return_val_if_fail (G_TYPE_IS_ENUM (type), NULL);

  klass = g_type_class_ref (type);
  found = g_enum_get_value (klass, value);
  g_type_class_unref (klass);
  return found != NULL ? found->value_nick : NULL;
}

gboolean
philia_enum_from_nick (GType       type,
                       const char *nick,
                       int        *value)
{
  GEnumClass *klass;
  GEnumValue *found;

  g_return_val_if_fail (G_TYPE_IS_ENUM (type), FALSE);

  if (nick == NULL)
    return FALSE;
  klass = g_type_class_ref (type);
  found = g_enum_get_value_by_nick (klass, nick);
  g_type_class_unref (klass);
  if (found == NULL)
    return FALSE;
  if (value != NULL)
    *value = found->value;
  return TRUE;
}
