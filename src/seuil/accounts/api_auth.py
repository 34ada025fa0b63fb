from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from seuil.core.models import ApiToken
from seuil.core.templatetags.ui import datetime_fr


def expired_message(token):
    return (
        f"Jeton expiré le {datetime_fr(token.expires_at)} : son titulaire peut le renouveler "
        "(Mon compte › Mes jetons d'API, ou « seuil token renew »)."
    )


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` with a personal, revocable API token."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("En-tête d'authentification mal formé.")
        key = header[1].decode(errors="replace")
        token = (
            ApiToken.objects.filter(revoked_at__isnull=True)
            .select_related("user", "user__organisation")
            .filter(digest=ApiToken.digest_of(key))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Jeton invalide ou révoqué.")
        if token.is_expired:
            raise exceptions.AuthenticationFailed(expired_message(token))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = PersonalTokenAuthentication
    name = "jeton"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization"}
