"""Every error answer of API v1 in French: `{"detail": "…"}` (or, for a 400 on fields,
`{"champ": ["…"]}`), whatever language the client asks for.

DRF's own messages are translated by its French catalogue (the only language of the
site), but a few are built from English text: the 404 of a missing object (`Http404`
carries Django's "No … matches the given query."), the body that is no JSON (the parser
quotes Python's error), the CSRF refusal of a browser session and the wait of a 429. The
exception handler (`REST_FRAMEWORK["EXCEPTION_HANDLER"]`) and the parsers below replace
them; `api_not_found` and `api_server_error` answer, in JSON too, the paths under /api/
that no view serves and the server errors.

Its own module: the REST framework imports it while it loads its settings.
"""

import json

from django.http import Http404, JsonResponse
from rest_framework import exceptions, parsers, throttling

NOT_FOUND = (
    "Introuvable : aucun objet ne porte cet identifiant parmi ceux auxquels vous avez accès."
)
SERVER_ERROR = (
    "Erreur du serveur : la requête n'a pas abouti et rien n'a été enregistré. "
    "Réessayez plus tard ; si l'erreur persiste, signalez-la à l'administrateur."
)


class NotFound(exceptions.NotFound):
    """HTTP 404: the same answer for an object that does not exist and one of a stranger."""

    default_detail = NOT_FOUND


def _seconds(wait):
    return f"{wait} seconde{'s' if wait > 1 else ''}"


def french(exc):
    """`exc` with a French message where DRF's would be English."""
    if isinstance(exc, Http404):
        return NotFound()
    if isinstance(exc, exceptions.Throttled):
        detail = "Trop de requêtes pour votre compte."
        if exc.wait is not None:
            detail += f" Réessayez dans {_seconds(exc.wait)}."
        throttled = exceptions.Throttled(detail=detail)
        throttled.wait = exc.wait  # the Retry-After header
        return throttled
    return exc


def exception_handler(exc, context):
    """DRF's handler, after `french(exc)`."""
    # Imported here: the REST framework's views read the settings that name this module.
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(french(exc), context)


# ---- bodies that cannot be read --------------------------------------------------------


def _json_error(error):
    if isinstance(error, json.JSONDecodeError):
        return (
            f"Corps de la requête illisible : JSON invalide (ligne {error.lineno}, "
            f"colonne {error.colno})."
        )
    if isinstance(error, UnicodeDecodeError):
        return "Corps de la requête illisible : le texte n'est pas encodé en UTF-8."
    return "Corps de la requête illisible : JSON invalide (NaN et Infinity ne sont pas admis)."


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a French message for a body that is no JSON."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except exceptions.ParseError as error:
            raise exceptions.ParseError(_json_error(error.__context__)) from None


# ---- how many requests a token may send ----------------------------------------------


class UserRateThrottle(throttling.UserRateThrottle):
    """At most `SEUIL_API_RATE` requests per account (see the settings), counted per server
    process; 429 with the wait in French beyond it."""


# ---- paths under /api/ that no view serves, and server errors -------------------------


def api_not_found(request):
    """The 404 of a path under /api/ that names no endpoint, in JSON."""
    return JsonResponse({"detail": f"Adresse inconnue de l'API : {request.path}."}, status=404)


def api_bad_request(request):
    """The 400 of a request under /api/ refused before any view, in JSON."""
    return JsonResponse(
        {"detail": "Requête refusée : adresse du serveur ou taille de la requête non admise."},
        status=400,
    )


def api_server_error(request):
    """The 500 of a request under /api/, in JSON."""
    return JsonResponse({"detail": SERVER_ERROR}, status=500)
