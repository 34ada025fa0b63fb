"""Two-factor authentication: a TOTP application, and single-use recovery codes.

After the password, a session is *unverified* until its user gives a code from their
authenticator application (or a recovery code): django-otp's `OTPMiddleware` keeps the
verifying device in the session (`otp_device_id`) and answers `user.is_verified()`.
`TwoFactorMiddleware` sends every unverified session to the second-factor step, the API
refuses unverified sessions (`VerifiedSessionAuthentication`); personal API tokens are a
separate credential and are not affected.

`settings.SEUIL_TWO_FACTOR` turns all of this off for the demo only (`seuil demo`), with a
banner on every page (`two_factor_context`); the settings refuse it in production.
"""

import os
import time
from base64 import b32encode
from binascii import unhexlify

import django_otp
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from seuil.core.environment import IN_PRODUCTION

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"
DEMO_BANNER = "Démonstration : double authentification désactivée"


def required():
    """Is the second factor required (always, except in the demo)?"""
    return settings.SEUIL_TWO_FACTOR


def is_verified(user):
    """Has this session's user given their second factor? (False for a user not from a request.)"""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def two_factor_not_required(view):
    """Mark a view as reachable by a session that has not given its second factor yet."""
    view.two_factor_required = False
    return view


# Devices ---------------------------------------------------------------------------------


def totp_device_of(user):
    """The user's confirmed authenticator application, or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_second_factor(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def remaining_recovery_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_secret():
    """A new TOTP secret, hex-encoded (20 random bytes, as django-otp does)."""
    return random_hex(20)


def secret_for_display(secret):
    """The secret as an application asks for it: base 32, in groups of four."""
    encoded = b32encode(unhexlify(secret)).decode()
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def provisioning_uri(user, secret):
    """The `otpauth://` address a QR code carries (issuer "Seuil", the username)."""
    return TOTPDevice(user=user, key=secret).config_url


def _matching_step(secret, code):
    """The time step at which `code` is valid for `secret` (one step of tolerance), or None."""
    code = normalise_code(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(unhexlify(secret))
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=1):
        return None
    return totp


@transaction.atomic
def enrol_authenticator(user, secret, code):
    """Enregistrer l'application d'authentification dont `code` prouve qu'elle a `secret`.

    Remplace l'application précédente et crée de nouveaux codes de secours ; renvoie
    (appareil, codes de secours en clair, à montrer une seule fois).
    """
    totp = _matching_step(secret, code)
    if totp is None:
        raise ValidationError(
            "Ce code ne correspond pas. Vérifiez que l'application affiche le compte « Seuil » "
            "que vous venez d'ajouter, et saisissez le code à 6 chiffres affiché en ce moment."
        )
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user,
        name=TOTP_DEVICE_NAME,
        key=secret,
        confirmed=True,
        drift=totp.drift,
        last_t=totp.t(),  # this code cannot be used a second time
    )
    return device, regenerate_recovery_codes(user)


@transaction.atomic
def regenerate_recovery_codes(user):
    """Créer 10 nouveaux codes de secours (les anciens ne valent plus) ; les renvoyer en clair."""
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    StaticToken.objects.filter(device__user=user).delete()
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def normalise_code(code):
    """What a person types: spaces and dashes dropped, case ignored."""
    return "".join(ch for ch in str(code) if ch not in " -\u00a0\t").lower()


class SecondFactorThrottled(Exception):
    """Too many wrong codes in a row: the device refuses any code until `wait` seconds pass."""

    def __init__(self, wait):
        super().__init__(wait)
        self.wait = wait


def verify_second_factor(user, code, *, recovery=False):
    """The device that accepts `code`: the application's, or with `recovery` a recovery code.

    Returns None for a wrong code; raises `SecondFactorThrottled` while the device waits
    after wrong codes (django-otp's throttling: 1, 2, 4, 8… seconds). A recovery code is
    consumed by its use.
    """
    code = normalise_code(code)
    model = StaticDevice if recovery else TOTPDevice
    devices = model.objects.devices_for_user(user, confirmed=True)
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            locked_until = (details or {}).get("locked_until")
            wait = 1
            if locked_until is not None:
                wait = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
            raise SecondFactorThrottled(wait)
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


# The session key that says a session was opened through the identity provider (single
# sign-on, `seuil.accounts.sso`), holding the account's pk (a name, not a secret).
IDENTITY_PROVIDER_SESSION_KEY = "_seuil_identity_provider_user"


def trust_identity_provider(request, user):
    """The identity provider checked the person's second factor: this session, of `user`,
    does not ask for Seuil's own (a local password sign-in still does)."""
    request.session[IDENTITY_PROVIDER_SESSION_KEY] = str(user.pk)


def _signed_in_through_identity_provider(request):
    """Mark the request's user as verified when its session came through the identity
    provider (and single sign-on is still configured)."""
    session = getattr(request, "session", None)
    signed_in = session.get(IDENTITY_PROVIDER_SESSION_KEY) if session is not None else None
    if signed_in is None or not settings.SEUIL_SSO:
        return
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and str(user.pk) == signed_in:
        user.is_verified = lambda: True


def mark_verified(request, device):
    """The session has given its second factor with `device` (a new session key)."""
    django_otp.login(request, device)
    request.session.cycle_key()


def remove_devices(user):
    """Delete the user's authenticator applications and recovery codes (confirmed or not):
    at the next sign-in, the person sets a new application up. Returns how many went.

    Call it through `administration.reset_second_factor`, which writes the history."""
    removed = 0
    for device in django_otp.devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    return removed


# Demo switch -----------------------------------------------------------------------------


def disable_for_demo():
    """Turn the second factor off in this process and its children: `seuil demo` only."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            f"La démonstration ne peut pas désactiver la double authentification {IN_PRODUCTION}."
        )
    settings.SEUIL_TWO_FACTOR = False
    os.environ["SEUIL_TWO_FACTOR"] = "0"


def two_factor_context(request):
    """`two_factor_disabled` (the demo banner) and `two_factor_pending` (second step due)."""
    user = getattr(request, "user", None)
    pending = bool(
        required() and user is not None and user.is_authenticated and not is_verified(user)
    )
    return {
        "two_factor_disabled": not required(),
        "two_factor_pending": pending,
        "two_factor_demo_banner": DEMO_BANNER,
    }


# Enforcement -----------------------------------------------------------------------------


def second_factor_url(user):
    """The step a half-logged-in user is due: give a code, or first set an application up."""
    return reverse("two_factor_verify" if has_second_factor(user) else "two_factor_setup")


class TwoFactorMiddleware:
    """Send every session that has not given its second factor to the second-factor step.

    Public pages, the API (`VerifiedSessionAuthentication` decides there) and the views
    marked `two_factor_not_required` (logout, the second-factor pages) are let through, and
    so is a session opened through the identity provider (single sign-on), which checked
    the second factor itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _signed_in_through_identity_provider(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not required():
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public pages and DRF views (which authenticate on their own)
        if not getattr(view_func, "two_factor_required", True):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_verified(user):
            return None
        target = second_factor_url(user)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect_to_login(request.get_full_path(), login_url=target)


class VerifiedSessionAuthentication(SessionAuthentication):
    """DRF session authentication that ignores a session without its second factor."""

    def authenticate(self, request):
        user = getattr(request._request, "user", None)
        if required() and user is not None and user.is_authenticated and not is_verified(user):
            return None
        return super().authenticate(request)

    def enforce_csrf(self, request):
        """DRF's CSRF check of a session's writes, refused in French."""
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                "Requête refusée : le jeton CSRF de la session est absent ou invalide (envoyez "
                "l'en-tête X-CSRFToken, ou utilisez un jeton d'API)."
            ) from None


class VerifiedSessionScheme(SessionScheme):
    target_class = "seuil.accounts.twofactor.VerifiedSessionAuthentication"
