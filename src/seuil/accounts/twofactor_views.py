"""The second-factor pages: set an authenticator application up, give a code, recovery codes."""

import io

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from seuil.core.views_policy import policy
from seuil.core.wording import plural

from . import twofactor
from .twofactor import two_factor_not_required

# The session key under which the secret being set up waits (a name, not a secret).
PENDING_SECRET_KEY = "_seuil_two_factor_pending_secret"  # noqa: S105  # nosec B105


class AuthenticatorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code à 6 chiffres",
        help_text="Le code affiché en ce moment par votre application d'authentification.",
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": r"[0-9 ]*",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label="Code de secours",
        help_text="L'un des codes de secours reçus à l'activation (chacun ne sert qu'une fois).",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


def _next_url(request):
    """The page asked for before the second-factor step, when it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _keeping_query(url, request):
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


def _may_change_devices(user):
    """Only a session that gave its second factor may replace it (or a user who has none)."""
    return twofactor.is_verified(user) or not twofactor.has_second_factor(user)


def _pending_secret(request):
    secret = request.session.get(PENDING_SECRET_KEY)
    if not secret:
        secret = twofactor.new_secret()
        request.session[PENDING_SECRET_KEY] = secret
    return secret


def _show_new_recovery_codes(request, codes, *, next_url=""):
    return render(
        request,
        "accounts/recovery_codes_new.html",
        {"codes": codes, "continue_url": next_url},
    )


@policy(read=None)
@two_factor_not_required
def setup(request):
    """Activer (ou remplacer) l'application d'authentification : QR code, clé, code."""
    user = request.user
    if not _may_change_devices(user):
        return redirect(_keeping_query(twofactor.second_factor_url(user), request))
    secret = _pending_secret(request)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = twofactor.enrol_authenticator(user, secret, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            del request.session[PENDING_SECRET_KEY]
            twofactor.mark_verified(request, device)
            messages.success(request, "La double authentification est activée sur votre compte.")
            return _show_new_recovery_codes(request, codes, next_url=_next_url(request))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret": twofactor.secret_for_display(secret),
            "replacing": twofactor.has_second_factor(user),
        },
    )


@policy(read=None)
@require_GET
@two_factor_not_required
def qr_code(request):
    """The QR code of the application being set up, as an SVG image (never cached)."""
    user = request.user
    if not _may_change_devices(user):
        raise Http404
    uri = twofactor.provisioning_uri(user, _pending_secret(request))
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer, kind="svg", scale=6, border=4, dark="#000", light="#fff", xmldecl=False
    )
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@policy(read=None)
@two_factor_not_required
def verify(request):
    """Deuxième étape de la connexion : le code de l'application, ou un code de secours."""
    user = request.user
    if not twofactor.has_second_factor(user):
        return redirect(_keeping_query(twofactor.second_factor_url(user), request))
    recovery = "recovery_code" in request.POST
    code_form = AuthenticatorCodeForm(None if recovery else request.POST or None)
    recovery_form = RecoveryCodeForm(request.POST if recovery else None)
    form = recovery_form if recovery else code_form
    if request.method == "POST" and form.is_valid():
        field = "recovery_code" if recovery else "code"
        try:
            device = twofactor.verify_second_factor(
                user, form.cleaned_data[field], recovery=recovery
            )
        except twofactor.SecondFactorThrottled as throttled:
            form.add_error(
                field,
                "Trop de codes erronés à la suite : patientez "
                f"{plural(throttled.wait, 'seconde')} avant de réessayer.",
            )
        else:
            if device is None:
                form.add_error(
                    field,
                    "Ce code de secours n'est pas valable (ou a déjà servi)."
                    if recovery
                    else "Ce code n'est pas le bon, ou il a expiré : saisissez le code affiché "
                    "en ce moment par votre application.",
                )
            else:
                twofactor.mark_verified(request, device)
                if recovery:
                    left = twofactor.remaining_recovery_codes(user)
                    messages.warning(
                        request,
                        "Vous vous êtes connecté avec un code de secours ; il vous en reste "
                        f"{left}. Si vous avez perdu votre téléphone, enregistrez une nouvelle "
                        "application depuis « Mon compte ».",
                    )
                return redirect(_next_url(request) or "home")
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"code_form": code_form, "recovery_form": recovery_form},
    )


@policy(read=None)
def recovery_codes(request):
    """Codes de secours : combien il en reste ; en créer de nouveaux (montrés une fois)."""
    user = request.user
    if not twofactor.has_second_factor(user):
        return redirect("two_factor_setup")
    if not twofactor.is_verified(user):
        return redirect(f"{twofactor.second_factor_url(user)}?next={request.path}")
    if request.method == "POST":
        codes = twofactor.regenerate_recovery_codes(user)
        messages.success(request, "Vos anciens codes de secours ne fonctionnent plus.")
        return _show_new_recovery_codes(request, codes)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"remaining": twofactor.remaining_recovery_codes(user)},
    )
