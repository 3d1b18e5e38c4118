/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "philia-core.h"

/* A link model's result is named after its encoder, with "-mlp" when its
 * decoder is the MLP on the Hadamard product (philia_link_train ()). */
static const PhiliaAlgorithm *
lookup_model (const char        *id,
              PhiliaLinkDecoder *decoder)
{
  PhiliaRegistry *registry = philia_registry_get_default ();
  const PhiliaAlgorithm *a = philia_registry_lookup (registry, PHILIA_FAMILY_LINK_MODEL, id);
  gsize len = strlen (id);

  *decoder = PHILIA_LINK_DECODER_DOT;
  if (a != NULL)
    return a;
  if (len > 4 && g_str_has_suffix (id, "-mlp"))
    {
      g_autofree char *encoder = g_strndup (id, len - 4);

      *decoder = PHILIA_LINK_DECODER_MLP;
      return philia_registry_lookup (registry, PHILIA_FAMILY_LINK_MODEL, encoder);
    }
  return NULL;
}

static const char *
decoder_title (PhiliaLinkDecoder decoder)
{
  return decoder == PHILIA_LINK_DECODER_DOT ? _("dot product") : _("MLP decoder");
}

char *
philia_linkpred_predictor_title (const char *id)
{
  const PhiliaAlgorithm *a;
  PhiliaLinkDecoder decoder;

  g_return_val_if_fail (id != NULL, NULL);

  a = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_PROXIMITY, id);
  if (a != NULL)
    return g_strdup (a->name != NULL ? a->name : id);
  a = lookup_model (id, &decoder);
  if (a != NULL)
    return g_strdup_printf ("%s (%s)", a->name != NULL ? a->name : a->id,
                            decoder_title (decoder));
  return g_strdup (id);
}

char *
philia_linkpred_predictor_tooltip (const char *id)
{
  const PhiliaAlgorithm *a;
  PhiliaLinkDecoder decoder;
  g_autofree char *abbreviation = NULL;

  g_return_val_if_fail (id != NULL, NULL);

  a = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_PROXIMITY, id);
  if (a != NULL)
    {
      /* The built-in ids are the abbreviations the literature uses. */
      abbreviation = g_strcmp0 (a->provider, PHILIA_PROVIDER_BUILTIN) == 0
                     ? g_ascii_strup (id, -1) : g_strdup (id);
      return a->description != NULL ? g_strdup_printf ("%s: %s", abbreviation, a->description)
                                     : g_steal_pointer (&abbreviation);
    }
  a = lookup_model (id, &decoder);
  if (a != NULL)
    return g_strdup_printf (decoder == PHILIA_LINK_DECODER_DOT
                            ? _("%s, scored by the dot product of the two embeddings: %s")
                            : _("%s, scored by an MLP on the Hadamard product of the two "
                                "embeddings: %s"),
                            id, a->description != NULL ? a->description : "");
  return g_strdup (id);
}
