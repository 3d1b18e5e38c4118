/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the input is one .npy blob for philia_npy_parse() (the
 * header dictionary, dtypes, shapes, Fortran order); an array that parses is
 * checked against its own header and its text elements are decoded. */
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaArray) array = NULL;
  guint64 product = 1;
  gboolean has_zero = FALSE;

  array = philia_npy_parse (data, size, "array.npy", &error);
  if (array == NULL)
    {
      fuzz_check_refusal (error, "array.npy");
      return 0;
    }

  /* Unsigned, and only compared without a zero: (2^40, 2^40, 0) is empty
   * although its first two dimensions alone overflow. */
  for (guint i = 0; i < array->ndim && i < PHILIA_NPY_MAX_DIMS; i++)
    {
      product *= (guint64)array->shape[i];
      has_zero |= array->shape[i] == 0;
    }
  if (has_zero)
    product = 0;
  if (array->ndim > PHILIA_NPY_MAX_DIMS || product != (guint64)array->n_elements
      || array->data == NULL
      || (guint64)array->n_elements * array->itemsize > size)
    {
      fprintf (stderr, "fuzz: array.npy: the array disagrees with its header\n");
      abort ();
    }
  if (array->dtype == PHILIA_DTYPE_UNICODE)
    for (gint64 i = 0; i < MIN (array->n_elements, 64); i++)
      g_free (philia_array_dup_string (array, (gsize)i));
  return 0;
}
