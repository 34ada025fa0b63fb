"""The OpenAPI schema of API v1 says what the API enforces and how it answers an error.

- `AutoSchema` (`REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]`) adds the plausibility rule of
  `seuil.core.plausibility` to the fields that follow it: a text without control characters
  (`pattern`), a date between 1900-01-01 and today or a year after today (in its
  description: OpenAPI 3 has no bound for a date).
- `document_errors` (a drf-spectacular post-processing hook) adds the error answers of every
  operation: 400 (refused fields, or an unreadable body), 401, 403, 404 (an object out of
  reach), 415 and 429, each with its JSON body in French.
"""

import decimal

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from .plausibility import (
    EARLIEST,
    validate_birth_date,
    validate_event_date,
    validate_free_text,
    validate_text,
)

# ECMA 262 patterns of a text without control characters (`plausibility.check_text`).
ONE_LINE_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f]*$"
FREE_TEXT_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"

DATE_BOUNDS = (
    (validate_birth_date, f"Date plausible : du {EARLIEST:%d/%m/%Y} à aujourd'hui."),
    (
        validate_event_date,
        f"Date plausible : du {EARLIEST:%d/%m/%Y} à un an après aujourd'hui au plus tard.",
    ),
)


class AutoSchema(SpectacularAutoSchema):
    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        for bound in ("minimum", "maximum"):  # a Decimal bound is a JSON number
            if isinstance(schema.get(bound), decimal.Decimal):
                schema[bound] = float(schema[bound])
        for validator in field.validators:
            if validator is validate_text:
                schema.setdefault("pattern", ONE_LINE_PATTERN)
            elif validator is validate_free_text:
                schema.setdefault("pattern", FREE_TEXT_PATTERN)
            for rule, bounds in DATE_BOUNDS:
                if validator is rule:
                    known = schema.get("description", "")
                    schema["description"] = f"{known} {bounds}".strip()


# ---- error answers ---------------------------------------------------------------------

ERROR = {
    "type": "object",
    "description": "Une erreur, expliquée en français.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Les messages de chaque champ refusé (en français), ou `detail` pour un "
    "corps illisible ou un paramètre de requête invalide.",
    "additionalProperties": True,
}

ERROR_ANSWERS = {
    "400": (
        "FieldErrors",
        "Requête refusée : champs ou paramètres invalides (les messages disent lesquels et "
        "pourquoi), ou corps illisible. Rien n'est enregistré.",
    ),
    "401": ("Error", "Jeton absent, inconnu, révoqué ou expiré."),
    "403": ("Error", "Votre rôle ne permet pas cette action."),
    "404": (
        "Error",
        "Introuvable : aucun objet ne porte cet identifiant parmi ceux auxquels vous avez "
        "accès (la même réponse pour un objet d'une autre organisation).",
    ),
    "415": ("Error", "Type de corps non pris en charge (JSON attendu)."),
    "429": ("Error", "Trop de requêtes pour votre compte : réessayez après le délai indiqué."),
}


def _answers(operation, method):
    """The error status codes an operation may answer."""
    parameters = operation.get("parameters", [])
    codes = ["401", "429"]
    if method != "get":
        codes.append("403")
    if any(p["in"] == "path" for p in parameters):
        codes.append("404")
    if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
        codes.append("400")
    if "requestBody" in operation:
        codes.append("415")
    return codes


def document_errors(result, generator, request, public):
    """Add the error answers to every operation of the schema."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR)
    components.setdefault("FieldErrors", FIELD_ERRORS)
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            for code in _answers(operation, method):
                component, description = ERROR_ANSWERS[code]
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{component}"}
                            }
                        },
                    },
                )
    return result
