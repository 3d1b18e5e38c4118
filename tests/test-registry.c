/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "philia-core.h"
#include "philia-enums.h"

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

/* Each enum's names are the ones files and command lines were written with
 * before the enums had GTypes (the hand-written tables these replace), in
 * value order; a name maps back to its value and nothing else does. */
static void
check_names (GType               type,
             const char * const *names,
             guint               n)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  int value = -7;

  g_assert_true (G_TYPE_IS_ENUM (type));
  g_assert_cmpuint (klass->n_values, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpstr (philia_enum_to_nick (type, i), ==, names[i]);
      g_assert_true (philia_enum_from_nick (type, names[i], &value));
      g_assert_cmpint (value, ==, i);
      g_assert_true (philia_enum_from_nick (type, names[i], NULL));
    }
  value = -7;
  g_assert_null (philia_enum_to_nick (type, n));
  g_assert_null (philia_enum_to_nick (type, -1));
  g_assert_false (philia_enum_from_nick (type, "nope", &value));
  g_assert_false (philia_enum_from_nick (type, NULL, &value));
  g_assert_false (philia_enum_from_nick (type, "", &value));
  g_assert_cmpint (value, ==, -7);
}

static void
test_enum_names (void)
{
  static const char * const families[] = {
    "measure", "proximity", "layout", "model", "generator", "exporter", "link-model",
  };
  static const char * const heuristics[] = {
    "cn", "jaccard", "aa", "ra", "pa", "katz", "ppr", "sp", "fp",
  };
  static const char * const statuses[] = { "loaded", "refused", "disabled" };
  static const char * const formats[] = { "auto", "npz", "graphml", "gml", "pajek", "edgelist" };
  static const char * const dtypes[] = {
    "bool", "uint8", "int8", "int16", "int32", "int64", "uint16", "uint32", "uint64",
    "float32", "float64", "text",
  };
  static const char * const metrics[] = { "accuracy", "roc_auc" };
  static const char * const rules[] = { "val_roc_auc", "val_accuracy", "last_epoch" };
  PhiliaFamily family = PHILIA_FAMILY_MEASURE;

  check_names (PHILIA_TYPE_FAMILY, families, G_N_ELEMENTS (families));
  g_assert_cmpuint (G_N_ELEMENTS (families), ==, PHILIA_N_FAMILIES);
  check_names (PHILIA_TYPE_PROXIMITY_HEURISTIC, heuristics, G_N_ELEMENTS (heuristics));
  g_assert_cmpuint (G_N_ELEMENTS (heuristics), ==, PHILIA_PROXIMITY_N_HEURISTICS);
  check_names (PHILIA_TYPE_PLUGIN_STATUS, statuses, G_N_ELEMENTS (statuses));
  check_names (PHILIA_TYPE_FORMAT, formats, G_N_ELEMENTS (formats));
  check_names (PHILIA_TYPE_DTYPE, dtypes, G_N_ELEMENTS (dtypes));
  check_names (PHILIA_TYPE_METRIC, metrics, G_N_ELEMENTS (metrics));
  check_names (PHILIA_TYPE_BEST_EPOCH_RULE, rules, G_N_ELEMENTS (rules));

  /* The named wrappers say the same, and keep their fallbacks. */
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      g_assert_cmpstr (philia_family_to_string (i), ==, families[i]);
      g_assert_true (philia_family_from_string (families[i], &family));
      g_assert_cmpint (family, ==, i);
    }
  for (guint i = 0; i < G_N_ELEMENTS (heuristics); i++)
    {
      PhiliaProximityHeuristic h = PHILIA_PROXIMITY_CN;

      g_assert_cmpstr (philia_proximity_heuristic_to_string (i), ==, heuristics[i]);
      g_assert_true (philia_proximity_heuristic_from_string (heuristics[i], &h));
      g_assert_cmpint (h, ==, i);
    }
  /* Heuristic names are read regardless of case; unknown ones are not. */
  {
    PhiliaProximityHeuristic h = PHILIA_PROXIMITY_CN;

    g_assert_true (philia_proximity_heuristic_from_string ("KATZ", &h));
    g_assert_cmpint (h, ==, PHILIA_PROXIMITY_KATZ);
    g_assert_true (philia_proximity_heuristic_from_string ("Jaccard", &h));
    g_assert_cmpint (h, ==, PHILIA_PROXIMITY_JACCARD);
    g_assert_false (philia_proximity_heuristic_from_string ("katz2", &h));
    g_assert_false (philia_proximity_heuristic_from_string ("", &h));
    g_assert_cmpint (h, ==, PHILIA_PROXIMITY_JACCARD);
  }
  g_assert_false (philia_family_from_string ("Measure", &family));
  g_assert_cmpint (family, ==, G_N_ELEMENTS (families) - 1);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    g_assert_cmpstr (philia_plugin_status_to_string (i), ==, statuses[i]);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    g_assert_cmpstr (philia_format_to_string (i), ==, formats[i]);
  g_assert_cmpstr (philia_format_to_string (G_N_ELEMENTS (formats)), ==, "auto");
  for (guint i = 0; i < G_N_ELEMENTS (dtypes); i++)
    g_assert_cmpstr (philia_dtype_to_string (i), ==, dtypes[i]);
  g_assert_cmpstr (philia_dtype_to_string (G_N_ELEMENTS (dtypes)), ==, "unknown");
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
  g_test_add_func ("/Philia/Registry/enum-names", test_enum_names);
  return g_test_run ();
}
