"""« Mon compte » : identity, second factor, password change and personal API tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy

from seuil.core.models import ApiToken
from seuil.core.permissions import can_manage_tokens
from seuil.core.plausibility import validate_text
from seuil.core.policy import Action
from seuil.core.templatetags.ui import datetime_fr
from seuil.core.views_policy import policy

from . import twofactor
from .api_tokens import renew_api_token, revoke_api_token, tokens_visible_to


class LoginForm(AuthenticationForm):
    """Django's sign-in form; a refusal is a failed sign-in, not a form left unsaved."""

    error_summary_title = "Connexion refusée"


# The rules of a new password (AUTH_PASSWORD_VALIDATORS), in one plain sentence.
RULES_HELP = (
    "Au moins 12 caractères ; pas uniquement des chiffres ; ni un mot de passe courant, "
    "ni un mot de passe proche de votre identifiant, de votre nom ou de votre adresse "
    "électronique. Une phrase de plusieurs mots est facile à retenir et difficile à "
    "deviner."
)


class ChangePasswordForm(PasswordChangeForm):
    """Django's password change, with the rules in one plain sentence."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = RULES_HELP


class NewPasswordForm(SetPasswordForm):
    """The first password of a new account (its one-time link), with the same rules."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = RULES_HELP


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """« Choisir mon mot de passe »: the page of the one-time link an account's first
    e-mail carries (`password_link`). Once the password is set the link no longer opens,
    and the person signs in (then enrols the second factor)."""

    template_name = "accounts/password_set.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            f"Votre mot de passe est enregistré. Connectez-vous avec votre identifiant "
            f"« {form.user.username} » et ce mot de passe.",
        )
        return response


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        validators=[validate_text],
        help_text="Pour vous rappeler à quoi il sert, par exemple « tableau de bord ».",
    )


@policy(read=None)
def account(request):
    """Mon compte : qui je suis, où en est ma double authentification, mes accès."""
    user = request.user
    device = twofactor.totp_device_of(user)
    return render(
        request,
        "accounts/account.html",
        {
            "device": device,
            "remaining_codes": twofactor.remaining_recovery_codes(user) if device else 0,
            "active_tokens": user.api_tokens.active().count(),
        },
    )


@policy(read=None)
def api_tokens(request):
    """Mes jetons d'API (et, pour qui les gère, ceux des comptes de l'organisation)."""
    user = request.user
    form = NewTokenForm(request.POST or None)
    new_key = new_token = None
    if request.method == "POST" and form.is_valid():
        new_token, new_key = ApiToken.issue(user, name=form.cleaned_data["name"])
        form = NewTokenForm()
    own = user.api_tokens.order_by("-created_at", "-pk")
    others = ApiToken.objects.none()
    if can_manage_tokens(user):
        others = (
            tokens_visible_to(user)
            .exclude(user=user)
            .select_related("user")
            .order_by("user__username", "-created_at", "-pk")
        )
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "new_token": new_token,
            "own_tokens": own,
            "other_tokens": others,
        },
    )


# Everyone revokes their own tokens; MANAGE_TOKENS reaches the other accounts' of the
# organisation: `tokens_visible_to` applies it, no role is refused up front.
@policy(Action.MANAGE_TOKENS, by_queryset=True)
def api_token_revoke(request, uuid):
    """Révoquer un jeton (après confirmation ; par POST seulement)."""
    token = get_object_or_404(tokens_visible_to(request.user).select_related("user"), uuid=uuid)
    if request.method == "POST":
        token, revoked = revoke_api_token(token, acting_user=request.user)
        if revoked:
            messages.success(
                request,
                f"Le jeton {token.prefix}… est révoqué : il ne permet plus d'accéder à l'API.",
            )
        else:
            messages.info(request, f"Le jeton {token.prefix}… était déjà révoqué.")
        return redirect("api_tokens")
    return render(request, "accounts/api_token_revoke.html", {"token": token})


# Who may revoke a token may renew it (`tokens_visible_to`).
@policy(Action.MANAGE_TOKENS, by_queryset=True)
def api_token_renew(request, uuid):
    """Renouveler un jeton pour un an, avec la même clé (après confirmation ; par POST)."""
    token = get_object_or_404(tokens_visible_to(request.user).select_related("user"), uuid=uuid)
    if request.method == "POST":
        try:
            token = renew_api_token(token, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                f"Le jeton {token.prefix}… est renouvelé : il ouvre l'API jusqu'au "
                f"{datetime_fr(token.expires_at)}, avec la même clé.",
            )
        return redirect("api_tokens")
    return render(request, "accounts/api_token_renew.html", {"token": token})
