"""Single sign-on with OpenID Connect (mozilla-django-oidc), optional per instance.

Configured by the environment (`SEUIL_OIDC_*`, read in the settings; ProConnect, the
State's identity federation for professionals, by default): without `SEUIL_OIDC_CLIENT_ID`
the login page shows no button and these URLs answer 404.

- The provider's answer maps to an **existing active account by e-mail** (case ignored);
  no account is ever created; an unknown or ambiguous address is refused with a French
  message on the login page.
- The provider checks the person's second factor: a session opened through it does not ask
  for Seuil's own (`twofactor.trust_identity_provider`). A local password still does.
- Signing out of a session opened through the provider ends the provider's session too:
  the sign-out (the library's `OIDCLogoutView`) sends the browser to the provider's
  end_session_endpoint with the id token as `id_token_hint` and Seuil's login page as
  `post_logout_redirect_uri` (`provider_logout_url`). A session opened with a password
  signs out of Seuil only.
- Only the id token is kept, in the session (server-side) until the sign-out, for that
  hint; no token is logged, nothing personal goes to the logs.
"""

import functools
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

from . import twofactor


def enabled():
    """Is single sign-on configured on this instance?"""
    return bool(settings.SEUIL_SSO)


def provider_name():
    return settings.SEUIL_SSO_NAME


def login_context(request):
    """What the login page shows of single sign-on: the button, when configured."""
    return {"sso_enabled": enabled(), "sso_name": provider_name()}


class Backend(OIDCAuthenticationBackend):
    """The provider's answer → the one active account with that e-mail address."""

    def __init__(self, *args, **kwargs):
        if enabled():
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback of the provider passes a nonce: a password sign-in never
        # reaches the provider, whatever its address says.
        if not enabled() or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def _refuse(self, message):
        messages.error(self.request, message)
        self.request.seuil_sso_refused = True

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        email = str(claims.get("email") or "").strip()
        name = provider_name()
        if not email:
            self._refuse(
                f"{name} n'a pas transmis d'adresse électronique : Seuil ne peut pas "
                "retrouver votre compte. Connectez-vous avec votre identifiant et votre mot "
                "de passe."
            )
            return None
        accounts = list(self.UserModel.objects.filter(email__iexact=email, is_active=True)[:2])
        if not accounts:
            self._refuse(
                f"Aucun compte actif de Seuil n'a l'adresse {email}, que {name} a transmise. "
                "Demandez à la personne qui administre Seuil dans votre organisation de vous "
                "inviter avec cette adresse (ou de corriger celle de votre compte)."
            )
            return None
        if len(accounts) > 1:
            self._refuse(
                f"Plusieurs comptes de Seuil ont l'adresse {email} : Seuil ne sait pas lequel "
                "ouvrir. Connectez-vous avec votre identifiant et votre mot de passe, ou "
                "demandez à la personne qui administre Seuil de corriger les adresses."
            )
            return None
        return accounts[0]

    def get_user(self, user_id):
        """The account of a session opened through the provider, while it may sign in."""
        if not enabled():
            return None
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the person back here: their account is opened, or the login page
    says why not."""

    @property
    def failure_url(self):
        return reverse("login")

    def login_failure(self):
        if not getattr(self.request, "seuil_sso_refused", False):
            messages.error(
                self.request,
                f"La connexion avec {provider_name()} n'a pas abouti. Réessayez, ou "
                "connectez-vous avec votre identifiant et votre mot de passe.",
            )
        return HttpResponseRedirect(self.failure_url)

    def login_success(self):
        response = super().login_success()
        twofactor.trust_identity_provider(self.request, self.user)
        return response


def provider_logout_url(request):
    """Where signing out sends the browser (called by `OIDCLogoutView` before the session
    ends): the provider's end_session_endpoint when the session was opened through it, so
    that the provider's session ends too, then back to the login page; else the login page."""
    login = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    endpoint = settings.OIDC_OP_LOGOUT_ENDPOINT
    if not (enabled() and id_token and endpoint):
        return login
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": secrets.token_urlsafe(16),
            "post_logout_redirect_uri": request.build_absolute_uri(login),
        }
    )
    return f"{endpoint}?{query}"


# Sign-out, by POST: the session ends, then `provider_logout_url`.
logout = never_cache(OIDCLogoutView.as_view())


def _only_when_enabled(view):
    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if not enabled():
            raise Http404
        return view(request, *args, **kwargs)

    # Public (the person is not signed in yet), and before any second factor.
    return login_not_required(twofactor.two_factor_not_required(guarded))


authenticate = _only_when_enabled(OIDCAuthenticationRequestView.as_view())
callback = _only_when_enabled(CallbackView.as_view())
