/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "philia-core.h"

static const PhiliaAlgorithm algos[] = {
  { "katz", PHILIA_FAMILY_PROXIMITY, "Katz index", "All paths, damped.", "built-in" },
  { "cn", PHILIA_FAMILY_PROXIMITY, "Common neighbours", "Shared neighbours.", "built-in" },
  { "katz", PHILIA_FAMILY_MEASURE, "Same id, other family", NULL, NULL },
};

static void
test_add_lookup_list (void)
{
  g_autoptr(PhiliaRegistry) registry = philia_registry_new ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  const PhiliaAlgorithm *found;

  g_assert_true (philia_registry_add_all (registry, algos, G_N_ELEMENTS (algos), &error));
  g_assert_no_error (error);

  found = philia_registry_lookup (registry, PHILIA_FAMILY_PROXIMITY, "katz");
  g_assert_nonnull (found);
  g_assert_cmpstr (found->name, ==, "Katz index");
  g_assert_true (found->name != algos[0].name);    /* copied, not borrowed */
  found = philia_registry_lookup (registry, PHILIA_FAMILY_MEASURE, "katz");
  g_assert_cmpstr (found->provider, ==, "built-in");
  g_assert_cmpstr (found->description, ==, "");
  g_assert_null (philia_registry_lookup (registry, PHILIA_FAMILY_LAYOUT, "katz"));

  list = philia_registry_list (registry, PHILIA_FAMILY_PROXIMITY);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((PhiliaAlgorithm *)list->pdata[0])->id, ==, "cn");
  g_assert_cmpstr (((PhiliaAlgorithm *)list->pdata[1])->id, ==, "katz");
}

static void
test_duplicate_refused_atomically (void)
{
  g_autoptr(PhiliaRegistry) registry = philia_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  const PhiliaAlgorithm plugin[] = {
    { "simrank", PHILIA_FAMILY_PROXIMITY, "SimRank", NULL, "libsim" },
    { "katz", PHILIA_FAMILY_PROXIMITY, "Katz again", NULL, "libsim" },
  };

  g_assert_true (philia_registry_add (registry, &algos[0], &error));
  g_assert_false (philia_registry_add_all (registry, plugin, 2, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "katz"));
  g_assert_nonnull (strstr (error->message, "libsim"));
  g_assert_nonnull (strstr (error->message, "built-in"));
  /* Nothing half-registered. */
  g_assert_null (philia_registry_lookup (registry, PHILIA_FAMILY_PROXIMITY, "simrank"));
  list = philia_registry_list (registry, PHILIA_FAMILY_PROXIMITY);
  g_assert_cmpuint (list->len, ==, 1);
}

static void
test_duplicate_within_batch (void)
{
  g_autoptr(PhiliaRegistry) registry = philia_registry_new ();
  g_autoptr(GError) error = NULL;
  const PhiliaAlgorithm twice[] = {
    { "a", PHILIA_FAMILY_LAYOUT, NULL, NULL, "p" },
    { "a", PHILIA_FAMILY_LAYOUT, NULL, NULL, "p" },
  };

  g_assert_false (philia_registry_add_all (registry, twice, 2, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_DUPLICATE);
  g_assert_null (philia_registry_lookup (registry, PHILIA_FAMILY_LAYOUT, "a"));
}

static void
test_empty_id_and_remove (void)
{
  g_autoptr(PhiliaRegistry) registry = philia_registry_new ();
  g_autoptr(GError) error = NULL;
  const PhiliaAlgorithm empty = { "", PHILIA_FAMILY_MODEL, NULL, NULL, "p" };
  const PhiliaAlgorithm plugin[] = {
    { "x", PHILIA_FAMILY_MODEL, NULL, NULL, "p" },
    { "y", PHILIA_FAMILY_EXPORTER, NULL, NULL, "p" },
  };
  PhiliaFamily family;

  g_assert_false (philia_registry_add (registry, &empty, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_true (philia_registry_add_all (registry, plugin, 2, NULL));
  g_assert_cmpuint (philia_registry_remove_provider (registry, "p"), ==, 2);
  g_assert_null (philia_registry_lookup (registry, PHILIA_FAMILY_MODEL, "x"));

  g_assert_true (philia_family_from_string ("generator", &family));
  g_assert_cmpint (family, ==, PHILIA_FAMILY_GENERATOR);
  g_assert_false (philia_family_from_string ("nope", &family));
  g_assert_cmpstr (philia_family_to_string (PHILIA_FAMILY_EXPORTER), ==, "exporter");
  g_assert_true (philia_registry_get_default () == philia_registry_get_default ());
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/Philia/Registry/add-lookup-list", test_add_lookup_list);
  g_test_add_func ("/Philia/Registry/duplicate-refused-atomically",
                   test_duplicate_refused_atomically);
  g_test_add_func ("/Philia/Registry/duplicate-within-batch", test_duplicate_within_batch);
  g_test_add_func ("/Philia/Registry/empty-id-and-remove", test_empty_id_and_remove);
  return g_test_run ();
}
