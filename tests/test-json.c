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

static void
test_members_and_arrays (void)
{
  PhiliaJson *json = philia_json_new ();
  const gint64 ints[] = { 1, -2 };
  const double doubles[] = { 0.5, NAN };
  g_autofree char *text = NULL;

  philia_json_begin_object (json);
  philia_json_member_int (json, "n", 3);
  philia_json_member_double (json, "h", 0.25);
  philia_json_member_string (json, "s", "x");
  philia_json_member_bool (json, "b", FALSE);
  philia_json_key (json, "i");
  philia_json_int_array (json, ints, 2);
  philia_json_key (json, "d");
  philia_json_double_array (json, doubles, 2);
  philia_json_key (json, "e");
  philia_json_int_array (json, NULL, 0);
  philia_json_end_object (json);
  text = philia_json_free_to_string (json);
  g_assert_cmpstr (text, ==, "{\"n\":3,\"h\":0.25,\"s\":\"x\",\"b\":false,\"i\":[1,-2],"
                             "\"d\":[0.5,null],\"e\":[]}");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Philia/Json/nesting-and-escapes", test_nesting_and_escapes);
  g_test_add_func ("/Philia/Json/doubles-round-trip", test_doubles_round_trip);
  g_test_add_func ("/Philia/Json/members-and-arrays", test_members_and_arrays);
  return g_test_run ();
}
