/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "philia-core.h"

static void
test_nesting_and_escapes (void)
{
  PhiliaJson *json = philia_json_new ();
  g_autofree char *text = NULL;

  philia_json_begin_object (json);
  philia_json_key (json, "name");
  philia_json_string (json, "a \"quoted\"\\path\n\x01");
  philia_json_key (json, "list");
  philia_json_begin_array (json);
  philia_json_int (json, -3);
  philia_json_double (json, 0.1);
  philia_json_double (json, NAN);
  philia_json_double (json, INFINITY);
  philia_json_bool (json, TRUE);
  philia_json_begin_object (json);
  philia_json_end_object (json);
  philia_json_begin_array (json);
  philia_json_end_array (json);
  philia_json_end_array (json);
  philia_json_key (json, "none");
  philia_json_string (json, NULL);
  philia_json_end_object (json);

  text = philia_json_free_to_string (json);
  g_assert_cmpstr (text, ==,
                   "{\"name\":\"a \\\"quoted\\\"\\\\path\\n\\u0001\","
                   "\"list\":[-3,0.1,null,null,true,{},[]],"
                   "\"none\":null}");
}

static void
test_doubles_round_trip (void)
{
  const double values[] = { 0.0, 1.0, -2.5, 1.0 / 3.0, 1e-300, 6.02214076e23, 0.81 };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      PhiliaJson *json = philia_json_new ();
      g_autofree char *text = NULL;

      philia_json_double (json, values[i]);
      text = philia_json_free_to_string (json);
      g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, values[i]);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Philia/Json/nesting-and-escapes", test_nesting_and_escapes);
  g_test_add_func ("/Philia/Json/doubles-round-trip", test_doubles_round_trip);
  return g_test_run ();
}
